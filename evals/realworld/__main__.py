"""``python -m evals.realworld --src DIR``: assess the corpus trees and score the reports.

DIR holds one checkout per manifest entry (``DIR/<name>``, at the pinned commit; see
manifest.toml). Reports go to ``--work`` (offline, the default drafter); ``--reports DIR``
scores reports already written (``DIR/<name>/report.json``) instead, e.g. an older version's.
Prints fact accuracy and coverage per repository and per kind; ``--out`` writes the details.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from evals.realworld import RepoScore, manifest, score_repo, summary, write


def _pct(value: float | None) -> str:
    return "   –" if value is None else f"{100 * value:3.0f}%"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--src", type=Path, required=True, help="folder of checkouts")
    parser.add_argument("--work", type=Path, default=Path("evals-out/realworld"))
    parser.add_argument("--reports", type=Path, help="score these reports instead of assessing")
    parser.add_argument("--out", type=Path, help="write summary and details as JSON")
    parser.add_argument("--only", action="append", default=[], help="repository name")
    parser.add_argument(
        "--holdout",
        action="store_true",
        help="score the held-out repositories too (never used while tuning the probes)",
    )
    parser.add_argument(
        "--round",
        type=int,
        default=0,
        help="only the held-out repositories of this round (implies --holdout)",
    )
    args = parser.parse_args(argv)
    args.holdout = args.holdout or bool(args.round)

    scores: list[RepoScore] = []
    for repo in manifest():
        if args.only and repo.name not in args.only:
            continue
        if repo.holdout and not args.holdout:
            continue
        if args.round and repo.holdout_round != args.round:
            continue
        tree = args.src / repo.name
        if args.reports:
            path = args.reports / repo.name / "report.json"
        else:
            if not tree.is_dir():
                print(f"{repo.name}: no checkout at {tree}, skipped", file=sys.stderr)
                continue
            path = _assess(tree, repo.scope, args.work / repo.name, repo.name)
        if not path.is_file():
            print(f"{repo.name}: no report at {path}, skipped", file=sys.stderr)
            continue
        scores.append(score_repo(repo, json.loads(path.read_text(encoding="utf-8"))))

    data = summary(scores)
    print(f"{'repository':26} {'kind':16} {'addr':>5} {'ok':>4} {'wrong':>5} {'acc':>5} {'cov':>5}")
    for name, row in data["repos"].items():
        print(
            f"{name:26} {row['kind']:16} {row['addressed']:5} {row['correct']:4} "
            f"{row['wrong']:5} {_pct(row['accuracy']):>5} {_pct(row['coverage']):>5}"
        )
    print()
    for kind, row in [*data["kinds"].items(), ("TOTAL", data["total"])]:
        print(
            f"{kind:43} {row['addressed']:5} {row['correct']:4} {row['wrong']:5} "
            f"{_pct(row['accuracy']):>5} {_pct(row['coverage']):>5}"
        )
    print("\nmost often wrong:", ", ".join(f"{q} ({n})" for q, n in data["most_wrong"]))
    print("most often unaddressed:", ", ".join(f"{q} ({n})" for q, n in data["most_unaddressed"]))
    if args.out:
        write(args.out, scores)
    return 0


def _assess(tree: Path, scope: str | None, out: Path, name: str) -> Path:
    from pipeline.options import AssessOptions
    from pipeline.output import prepare_out_dir
    from pipeline.runner import assess

    started = time.perf_counter()
    options = AssessOptions(
        path=tree,
        out=prepare_out_dir(out, ("md", "json"), force=True),
        scope=scope,
        name=name,
    )
    assess(options)
    print(f"{name}: assessed in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return out / "report.json"


if __name__ == "__main__":
    sys.exit(main())
