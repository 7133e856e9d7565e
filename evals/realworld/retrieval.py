"""``python -m evals.realworld.retrieval --src DIR``: retrieval recall on the real corpus.

For every labelled question with evidence (``labels/<name>.toml``, written by readers who saw
no report), run BM25 alone, embeddings alone and the hybrid on the checkout at
``DIR/<name>`` and count the labelled locations found in the first 3 and 8 hits. The held-out
repositories are skipped unless ``--holdout`` (they are never used for tuning). Every
question is asked, not only those a run leaves open: more labels, the same retriever.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

from evals.realworld import labels, manifest
from pipeline.config import load_config
from pipeline.evaluation.question_metrics import RetrievalMetrics
from pipeline.evaluation.question_metrics import format_retrieval as format_table
from pipeline.evaluation.retrieval import Place, measure_repository
from pipeline.index.embedding import Embedder
from pipeline.ingest import RepoSnapshot, ingest_repository
from pipeline.options import DEFAULT_EMBEDDING_MODEL


def places(snapshot: RepoSnapshot, evidence: list[str]) -> list[Place]:
    """Labelled ``path``, ``path:line`` or ``path:start-end`` as places (files it holds)."""
    found = []
    for item in evidence:
        path, _, lines = item.strip().partition(":")
        path = path.strip().removeprefix("./")
        start = end = None
        if lines:
            first, _, last = lines.partition("-")
            if first.strip().isdigit():
                start = int(first)
                end = int(last) if last.strip().isdigit() else start
        if path in snapshot.by_path:
            found.append(Place(path, start, end))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--src", type=Path, required=True, help="folder of checkouts")
    parser.add_argument("--cache-dir", type=Path, default=Path("cache"))
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--holdout", action="store_true", help="include held-out repositories")
    parser.add_argument("--out", type=Path, help="write per-question recall as JSON")
    args = parser.parse_args(argv)

    embedder = Embedder(DEFAULT_EMBEDDING_MODEL, args.cache_dir.resolve())
    total = RetrievalMetrics()
    for repo in manifest():
        if (args.only and repo.name not in args.only) or (repo.holdout and not args.holdout):
            continue
        tree = args.src / repo.name
        if not tree.is_dir():
            print(f"{repo.name}: no checkout at {tree}, skipped", file=sys.stderr)
            continue
        snapshot = ingest_repository(tree, repo.scope, roles=load_config(tree).roles)
        wanted = {
            qid: places(snapshot, record.get("evidence", []))
            for qid, record in labels(repo.name).items()
            if not qid.startswith("profile.") and record.get("evidence")
        }
        wanted = {qid: found for qid, found in wanted.items() if found}
        metrics = measure_repository(repo.name, snapshot, wanted, embedder, args.cache_dir)
        print("\n".join(format_table(metrics, repo.name)), flush=True)
        total.add(metrics)

    print()
    print("\n".join(format_table(total, "TOTAL")))
    by_question: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    sizes: dict[str, int] = defaultdict(int)
    for row in total.questions:
        sizes[row.question_id] += row.locations
        for mode, (at3, at8) in row.found.items():
            by_question[row.question_id][mode][0] += at3
            by_question[row.question_id][mode][1] += at8
    print("\nrecall@8 per question (bm25 / embedding / hybrid):")
    for qid in sorted(by_question):
        cells = " / ".join(f"{by_question[qid][m][1]}" for m in ("bm25", "embedding", "hybrid"))
        print(f"  {qid:40} {cells} of {sizes[qid]}")
    if args.out:
        args.out.write_text(total.model_dump_json(indent=2) + "\n", encoding="utf-8")
    print(json.dumps({m.mode: [m.recall_at_3, m.recall_at_8] for m in total.modes}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
