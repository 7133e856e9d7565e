"""``make bench``: the speed figures, each measured side by side in one run.

* assess, cold vs warm, on a snapshot of this project and on a generated multi-language
  repository (``--lines``, default 20k): the warm run must load every stage from its
  checkpoint, so the ratio warm/cold is the figure to watch;
* ingest + probes on a generated 100k-line repository (``evals.bench_probes``), and the
  pre-commit hook on one (``evals.bench_hook``);
* the shared rate limiter against a fake server that enforces a limit
  (``evals.bench_ratelimit``);
* with ``--batch``, a batch of 20 generated repositories cold and warm (``evals.bench_batch``);
* with ``--cluster``, repositories per minute on a loopback Ray cluster of 1 and 2 workers,
  offline and through the fake provider (``evals.bench_cluster``).

Times are wall-clock seconds on a shared machine: compare the ratios, not the absolutes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from evals.bench_probes import generate

PROJECT = Path(__file__).resolve().parent.parent


def snapshot_project(into: Path) -> Path:
    """This project's committed tree (HEAD), so the bench never reads a moving target."""
    into.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(PROJECT), "archive", "HEAD"], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def timed_assess(repo: Path, out: Path, cache: Path) -> tuple[float, dict]:
    env = {**os.environ, "READINESS_CACHE_DIR": str(cache)}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "assess", str(repo), "--out", str(out)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    elapsed = time.perf_counter() - started
    return elapsed, json.loads((out / "report.json").read_text())


def bench_assess(label: str, repo: Path, work: Path) -> None:
    cache = work / f"cache-{label}"
    cold, report = timed_assess(repo, work / f"out-{label}-cold", cache)
    warm, again = timed_assess(repo, work / f"out-{label}-warm", cache)
    coverage = report["coverage"]
    print(
        f"assess {label}: {coverage['files_included']} files, {coverage['lines_included']} lines,"
        f" {coverage['chunks']} chunks | cold {cold:.1f}s"
        f" ({report['usage']['embeddings_computed']} embeddings) | warm {warm:.1f}s"
        f" ({again['usage']['embeddings_computed']} embeddings,"
        f" {again['usage']['llm_requests']} LLM requests) | warm/cold {warm / cold:.2f}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=20_000)
    parser.add_argument("--batch", action="store_true", help="also the 20-repository batch")
    parser.add_argument("--cluster", action="store_true", help="also the Ray cluster batch")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="readiness-bench-") as tmp:
        work = Path(tmp)
        bench_assess("this-project", snapshot_project(work / "project"), work)
        generated = work / "generated"
        generated.mkdir()
        generate(generated, args.lines)
        bench_assess(f"generated-{args.lines // 1000}k", generated, work)
    modules = ["evals.bench_probes", "evals.bench_hook", "evals.bench_ratelimit"]
    if args.batch:
        modules.append("evals.bench_batch")
    if args.cluster:
        modules.append("evals.bench_cluster")
    for module in modules:
        print(f"--- {module}", flush=True)
        subprocess.run([sys.executable, "-m", module], check=True)


if __name__ == "__main__":
    main()
