"""A 100k-line repository: peak memory offline and with the index, and an incremental re-run.

Usage: ``python -m evals.bench_scale [--lines 100000]``

The repository is generated (``evals.bench_probes.generate``: Python, JavaScript, Go, Rust
and Java in six hundred files; function bodies repeat across files, so the content-addressed
embedding cache serves the repeats and this section measures memory and incremental work,
not encoder speed: ``evals.bench_index`` does that on a real repository). Each run is its
own process; peak memory is that process's maximum resident set.

1. ``readiness assess`` offline (the default judge): under 1 GB, or under 2.5 GB when the
   offline run embeds (the reviewer's pointers);
2. ``--probes-only``: wall time and memory, for reference;
3. the full pipeline with an LLM judge (the fake server), the probes of four categories
   ignored so that their questions stay open and need the index (as in
   ``evals.bench_index``): under 2.5 GB;
4. one file changed (a function appended), the full pipeline again: it embeds at most that
   file's chunks, and every LLM request it makes carries that file (only affected questions
   are asked again).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from evals.bench_common import Figure, git_commit_all, readiness, run_timed
from evals.bench_index import OPEN_CATEGORIES, drive
from evals.bench_peers import probes_only_flag
from evals.bench_probes import generate
from tests.fakes.openai_server import FakeOpenAI, citing_responder

CHANGED = "src/shop/mod_3.py"
APPENDED = '''

def reconcile_ledger(entries, tolerance=0.005):
    """Match payments to invoices; what cannot be matched is returned for a person."""
    unmatched = []
    for entry in entries:
        invoice = entry.get("invoice")
        if invoice is None or abs(entry["amount"] - invoice["total"]) > tolerance:
            unmatched.append(entry)
    return unmatched
'''


def chunks_of(repo: Path, path: str) -> int:
    from pipeline.ingest import ingest_repository
    from pipeline.ingest.chunking import chunk_snapshot

    return sum(1 for c in chunk_snapshot(ingest_repository(repo)) if c.path == path)


def cli_run(repo: Path, work: Path, label: str, *extra: str) -> dict[str, Any]:
    out = work / f"out-{label}"
    args = ["assess", str(repo), "--out", str(out), "--cache-dir", str(work / f"cache-{label}")]
    timed = run_timed(readiness(*args, *extra))
    report = json.loads((out / "report.json").read_text())
    return {
        "wall_s": round(timed.wall_s, 2),
        "peak_rss_mb": round(timed.peak_rss_mb),
        "embeddings_computed": report["usage"]["embeddings_computed"],
        "files": report["coverage"]["files_included"],
        "lines": report["coverage"]["lines_included"],
    }


def run(work: Path, lines: int, fake: FakeOpenAI) -> tuple[list[Figure], dict[str, Any]]:
    repo = work / f"generated-{lines // 1000}k"
    repo.mkdir(parents=True)
    generate(repo, lines)
    git_commit_all(repo)
    offline = cli_run(repo, work, "offline")
    probes_only = cli_run(repo, work, "probes-only", *probes_only_flag())
    cache = work / "cache-full"
    before = len(fake.requests)
    full = drive(repo, work, "full", cache, fake.base_url, "--ignore", OPEN_CATEGORIES)
    cold_requests = len(fake.requests) - before
    with (repo / CHANGED).open("a") as handle:
        handle.write(APPENDED)
    git_commit_all(repo)
    changed_chunks = chunks_of(repo, CHANGED)
    before = len(fake.requests)
    again = drive(repo, work, "incremental", cache, fake.base_url, "--ignore", OPEN_CATEGORIES)
    asked = fake.requests[before:]
    unaffected = sum(1 for request in asked if CHANGED not in request.prompt_text)
    offline_limit = 2560.0 if offline["embeddings_computed"] else 1024.0
    size = f"{offline['lines'] // 1000}k lines, {offline['files']} files"
    figures = [
        Figure(
            "offline_100k_peak_rss_mb",
            offline["peak_rss_mb"],
            "<",
            offline_limit,
            "MB",
            f"offline assess of {size}"
            + (" (it embeds: the index target applies)" if offline["embeddings_computed"] else ""),
        ),
        Figure(
            "index_100k_peak_rss_mb",
            full["process_peak_rss_mb"],
            "<",
            2560.0,
            "MB",
            f"full pipeline with the index (LLM judge) on {size},"
            f" {full['coverage'].get('chunks', '?')} chunks",
        ),
        Figure(
            "incremental_embedded_vs_changed",
            round(again["encoded"] / changed_chunks, 3) if changed_chunks else None,
            "<=",
            1.0,
            "ratio",
            f"texts embedded after one file changed ({again['encoded']}) / that file's"
            f" chunks ({changed_chunks})",
        ),
        Figure(
            "incremental_unaffected_requests",
            unaffected,
            "<=",
            0,
            "requests",
            f"LLM requests of the re-run that do not carry the changed file"
            f" ({len(asked)} re-asked of {cold_requests} on the cold run)",
        ),
    ]
    raw = {
        "repository": {"lines": offline["lines"], "files": offline["files"]},
        "offline": offline,
        "probes_only": probes_only,
        "full_cold": {k: v for k, v in full.items() if k != "texts_file"},
        "incremental": {k: v for k, v in again.items() if k != "texts_file"},
        "changed_file": CHANGED,
        "changed_file_chunks": changed_chunks,
        "llm_requests": {"cold": cold_requests, "incremental": len(asked)},
    }
    return figures, raw


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    args = parser.parse_args()
    os.environ.setdefault("OPENAI_API_KEY", "sk-bench")
    with FakeOpenAI(citing_responder) as fake, tempfile.TemporaryDirectory() as tmp:
        figures, raw = run(Path(tmp), args.lines, fake)
    for figure in figures:
        print(figure.line())
    print(json.dumps(raw, indent=1)[:3000])


if __name__ == "__main__":
    main()
