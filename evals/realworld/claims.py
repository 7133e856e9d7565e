"""Claims a report makes, sampled for a second reader, and the false-claim rate they give.

The labels measure whether the tool answers the reviewer's questions right. This measures
the other half: of what a report *says* (each gap, each strength, what the software is),
how much is false when a second reader checks it against the code. The reader sees the claim
and its cited lines, never the labels, and writes ``reviews/<version>/<repo>.toml``::

    [[claim]]
    id = "F31491130ac"
    verdict = "false"        # true | false | unsure
    note = "StopIteration ends a generator; nothing is swallowed."

``python -m evals.realworld.claims sample --reports DIR --version after --per-repo 12``
writes one sheet per repository under ``reviews/<version>/`` (claims, no verdicts);
``python -m evals.realworld.claims score --version after`` prints the false-claim rate per
repository, per kind of claim and per severity, and lists every false one.
"""

from __future__ import annotations

import argparse
import json
import random
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evals.realworld import HERE, manifest

REVIEWS = HERE / "reviews"
_SEVERITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3}


@dataclass(frozen=True)
class Claim:
    """One statement a report makes, with the lines it cites."""

    id: str
    kind: str  # gap | strength | profile | advisory
    severity: str
    text: str
    evidence: tuple[str, ...]


def claims_of(report: dict[str, Any]) -> list[Claim]:
    """Every claim a report makes: its gaps, its strengths, the failures it says are no gap
    here, and what it says the software is.

    Old reports (before profiles) contribute their findings only.
    """
    found: list[Claim] = []
    checks = {c["id"]: c for c in report.get("checks", [])}
    for f in report.get("findings", []):
        if f.get("muted"):
            continue
        check = checks.get(f.get("check_id") or "", {})
        text = f["title"]
        if f["kind"] == "gap" and check.get("message"):
            text = f"{f['title']}: {check['message']}"
        found.append(
            Claim(
                id=f["id"],
                kind=f["kind"],
                severity=f.get("severity", "") if f["kind"] == "gap" else "",
                text=text,
                evidence=tuple(_where(e) for e in f.get("evidence", [])[:3]),
            )
        )
    for check in report.get("checks", []):
        # A failure the report says is no gap here still claims two things: the fact, and
        # that it does not matter for this software. Both are checked.
        if check.get("advisory") and check.get("outcome") == "fail" and not check.get("waiver"):
            found.append(
                Claim(
                    id=f"advisory:{check['id']}",
                    kind="advisory",
                    severity="",
                    text=(
                        f"{check['title']}: {check['message']} Not a gap here: {check['advisory']}"
                    ),
                    evidence=tuple(_where(e) for e in check.get("evidence", [])[:3]),
                )
            )
    for reason in (report.get("profile") or {}).get("reasons", []):
        found.append(
            Claim(
                id=f"kind:{reason['kind']}",
                kind="profile",
                severity="",
                text=f"The software is {reason['kind']}: {reason['reason']}",
                evidence=tuple(_where(e) for e in reason.get("evidence", [])[:2]),
            )
        )
    return found


def _where(evidence: dict[str, Any]) -> str:
    start, end = evidence["start_line"], evidence["end_line"]
    return f"{evidence['path']}:{start}" + (f"-{end}" if end != start else "")


def sample(claims: list[Claim], per_repo: int, seed: str) -> list[Claim]:
    """Every critical and high gap and profile claim, then a seeded draw of the rest."""
    first = [c for c in claims if c.kind == "profile" or _SEVERITY_RANK.get(c.severity, 9) <= 1]
    rest = [c for c in claims if c not in first]
    random.Random(seed).shuffle(rest)
    return first + rest[: max(0, per_repo - len(first))]


def _toml_string(value: str) -> str:
    """A TOML basic string. JSON's escapes are TOML's, except that JSON writes a character
    beyond the BMP (an emoji in a README's title) as a surrogate pair, which TOML rejects:
    such characters are written as they are."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def write_sheet(path: Path, repo: str, commit: str, claims: list[Claim]) -> None:
    lines = [f'repo = "{repo}"', f'commit = "{commit}"', 'reviewer = ""', ""]
    for c in claims:
        lines += [
            "[[claim]]",
            f"id = {_toml_string(c.id)}",
            f"kind = {_toml_string(c.kind)}",
            f"severity = {_toml_string(c.severity)}",
            f"text = {_toml_string(c.text)}",
            f"evidence = [{', '.join(_toml_string(e) for e in c.evidence)}]",
            'verdict = ""',
            'note = ""',
            "",
        ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


def score(version: str) -> dict[str, Any]:
    """False-claim rate from the filled sheets of ``version``: overall and by kind/severity."""
    rows: list[dict[str, Any]] = []
    for path in sorted((REVIEWS / version).glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for claim in data.get("claim", []):
            if claim.get("verdict") in ("true", "false"):
                rows.append({"repo": data["repo"], **claim})

    def rate(selected: list[dict[str, Any]]) -> dict[str, Any]:
        false = sum(1 for r in selected if r["verdict"] == "false")
        return {
            "checked": len(selected),
            "false": false,
            "rate": false / len(selected) if selected else None,
        }

    by_kind = {
        k: rate([r for r in rows if r["kind"] == k]) for k in sorted({r["kind"] for r in rows})
    }
    by_severity = {
        s or "-": rate([r for r in rows if r["severity"] == s])
        for s in sorted({r["severity"] for r in rows}, key=lambda s: _SEVERITY_RANK.get(s, 9))
    }
    by_repo = {
        n: rate([r for r in rows if r["repo"] == n]) for n in sorted({r["repo"] for r in rows})
    }
    return {
        "overall": rate(rows),
        "by_kind": by_kind,
        "by_severity": by_severity,
        "by_repo": by_repo,
        "false_claims": [r for r in rows if r["verdict"] == "false"],
        "false_key_blockers": [
            r for r in rows if r["verdict"] == "false" and r["severity"] in ("critical", "high")
        ],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("sample", help="write review sheets from reports")
    make.add_argument("--reports", type=Path, required=True, help="DIR/<repo>/report.json")
    make.add_argument("--version", required=True, help="sheet folder name: before, after...")
    make.add_argument("--per-repo", type=int, default=12)
    make.add_argument("--only", action="append", default=[])
    make.add_argument("--holdout", action="store_true", help="include held-out repositories")
    tally = sub.add_parser("score", help="false-claim rate of filled sheets")
    tally.add_argument("--version", required=True)
    tally.add_argument("--out", type=Path)
    args = parser.parse_args(argv)

    if args.command == "sample":
        for repo in manifest():
            if (args.only and repo.name not in args.only) or (repo.holdout and not args.holdout):
                continue
            path = args.reports / repo.name / "report.json"
            if not path.is_file():
                continue
            claims = claims_of(json.loads(path.read_text(encoding="utf-8")))
            chosen = sample(claims, args.per_repo, seed=f"{repo.name}:{args.version}")
            write_sheet(
                REVIEWS / args.version / f"{repo.name}.toml", repo.name, repo.commit, chosen
            )
            print(f"{repo.name}: {len(chosen)} of {len(claims)} claims")
        return 0
    result = score(args.version)
    overall = result["overall"]
    print(f"checked {overall['checked']}, false {overall['false']}, rate {_pct(overall['rate'])}")
    for group in ("by_kind", "by_severity", "by_repo"):
        print(f"\n{group[3:]}:")
        for name, row in result[group].items():
            print(
                f"  {name:26} {row['checked']:4} checked {row['false']:4} false {_pct(row['rate'])}"
            )
    print(f"\nfalse key blockers (critical/high): {len(result['false_key_blockers'])}")
    for r in result["false_claims"]:
        label = r["severity"] or r["kind"]
        print(f"  [{r['repo']}] {label}: {r['text'][:110]} -- {r.get('note', '')[:120]}")
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


if __name__ == "__main__":
    raise SystemExit(main())
