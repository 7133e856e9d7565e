"""Repositories per minute of ``readiness batch --executor ray`` with 1 and 2 workers.

Usage: ``python -m evals.bench_cluster [--repos 12] [--workers 1 2] [--local]``

For each worker count a loopback Ray cluster is started (one node of one CPU per worker,
the recipe of the design notes) with a ``chroma run`` server, and the same generated fleet
(``evals.bench_batch``) is assessed twice from empty caches: offline, and through the fake
OpenAI-compatible server (instant answers, no rate limit) with ``--chroma-url``. The
throughput is the repositories over the batch's own seconds (``summary.json``: from the
manifest read to the summaries, Ray's connection and the workers' model loading included).
``--local`` adds the local executor at the same concurrency, for the overhead of Ray.

Times are wall-clock on a shared machine: compare the ratios, not the absolutes.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from evals.bench_batch import generate_repository
from tests.batch.cluster import ChromaServer, LoopbackRayCluster
from tests.fakes.openai_server import FakeOpenAI, citing_responder

PROJECT = Path(__file__).resolve().parent.parent


def run_batch(manifest: Path, work: Path, label: str, *extra: str) -> dict:
    out, cache = work / f"out-{label}", work / f"cache-{label}"
    command = [sys.executable, "-m", "pipeline.cli", "batch", str(manifest)]
    command += ["--out", str(out), "--cache-dir", str(cache), *extra]
    env = {**os.environ, "OPENAI_API_KEY": "sk-bench", "PYTHONPATH": str(PROJECT)}
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=3600)
    if done.returncode != 0:
        print(done.stdout[-2000:], done.stderr[-3000:], file=sys.stderr)
    summary = json.loads((out / "summary.json").read_text())
    seconds = float(summary["seconds"])
    repos = summary["totals"]["assessed"]
    return {
        "run": label,
        "exit": done.returncode,
        "assessed": repos,
        "seconds": seconds,
        "repos_per_min": round(repos / seconds * 60, 1) if seconds else None,
        "llm_calls": (summary.get("llm_rate") or {}).get("requests", 0),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=12)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--local", action="store_true", help="also the local executor")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as tmp:
        work = Path(tmp)
        for index in range(args.repos):
            generate_repository(work / "repos", index)
        manifest = work / "manifest.txt"
        manifest.write_text("".join(f"repos/svc{i:02d}\n" for i in range(args.repos)))
        with FakeOpenAI(citing_responder) as fake:
            llm = ["--model", "openai/fake", "--api-base", fake.base_url]
            for workers in args.workers:
                with (
                    LoopbackRayCluster(cpus=(1,) * workers) as cluster,
                    ChromaServer(work / f"chroma-{workers}") as chroma,
                ):
                    ray = ["--executor", "ray", "--ray-address", cluster.address]
                    results.append(run_batch(manifest, work, f"ray{workers}-offline", *ray))
                    results.append(
                        run_batch(
                            manifest, work, f"ray{workers}-fake", *ray, *llm,
                            "--chroma-url", chroma.url,
                        )
                    )  # fmt: skip
                if args.local:
                    concurrency = ["--concurrency", str(workers)]
                    results.append(
                        run_batch(manifest, work, f"local{workers}-offline", *concurrency)
                    )
                    results.append(
                        run_batch(manifest, work, f"local{workers}-fake", *concurrency, *llm)
                    )
    print(f"{args.repos} generated repositories, empty caches, {os.cpu_count()} CPUs")
    header = ("run", "exit", "assessed", "seconds", "repos/min", "LLM calls")
    print("{:16} {:>4} {:>8} {:>8} {:>10} {:>9}".format(*header))
    for r in results:
        print(
            f"{r['run']:16} {r['exit']:>4} {r['assessed']:>8} {r['seconds']:>8.1f}"
            f" {r['repos_per_min']!s:>10} {r['llm_calls']:>9}"
        )
    return 0 if all(r["exit"] == 0 for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
