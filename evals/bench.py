"""``make bench``: every speed and memory figure of readiness, measured side by side in one run.

Usage: ``python -m evals.bench [--sections peers,index,scale,batch,encoder] [--peers DIR]``

Sections (each writes ``bench/results/<section>.json``; ``summary.json`` holds every figure):

* ``peers``: cold ``assess --probes-only`` against AgentReady and repo-review on the same
  repositories, in turns (``evals.bench_peers``);
* ``index``: the full pipeline (index + LLM judge at a fake server) cold and warm, and its
  encoding stages against a bare ``SentenceTransformer.encode`` of the same texts; model
  loads, chunks over the 256-token window, embedded chunks retrieval cannot return
  (``evals.bench_index``);
* ``scale``: a generated 100k-line repository: peak memory offline and with the index, and
  what an incremental re-run embeds and asks again (``evals.bench_scale``);
* ``batch``: 50 generated repositories offline with concurrency 2: repositories per minute
  and peak memory (``evals.bench_batch``);
* ``encoder``: the ONNX Runtime static-int8 encoder against the torch one on real chunks:
  speed and cosine (``evals.bench_encoder``).

Not part of this run, each runnable on its own: ``evals.bench_probes`` (ingest + probes on
100k lines), ``evals.bench_hook`` (the pre-commit hook), ``evals.bench_ratelimit`` (the
shared limiter) and ``evals.bench_cluster`` (a loopback Ray cluster).

Times are wall-clock seconds on a shared machine, so every target is a ratio of two things
measured in the same run. The project's modules are byte-compiled first, as a pip install
leaves them (this machine sets PYTHONDONTWRITEBYTECODE, which would otherwise make readiness
compile its own sources on every run while the peers' installed code is compiled).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evals.bench_common import DEFAULT_CORPUS, DEFAULT_PEERS, PROJECT, RESULTS, Figure, machine

SECTIONS = ("peers", "index", "scale", "batch", "encoder")
BENCHMARKS = PROJECT / "BENCHMARKS.md"
START, END = "<!-- figures:start -->", "<!-- figures:end -->"


def byte_compile() -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "pipeline", "evals", "tests/fakes"],
        cwd=PROJECT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def commit() -> str:
    done = subprocess.run(
        ["git", "-C", str(PROJECT), "describe", "--always", "--dirty"],
        capture_output=True,
        text=True,
    )
    return done.stdout.strip() or "?"


def run_section(name: str, work: Path, args: argparse.Namespace, fake: Any) -> tuple[list, dict]:
    if name == "peers":
        from evals import bench_peers

        return bench_peers.run(work, args.corpus, args.peers, args.rounds)
    if name == "index":
        from evals import bench_index

        return bench_index.run(work, bench_index.default_repository(args.corpus), fake)
    if name == "scale":
        from evals import bench_scale

        return bench_scale.run(work, args.lines, fake)
    if name == "batch":
        from evals import bench_batch

        return bench_batch.run(work, args.batch_repos, 2)
    from evals import bench_encoder

    return bench_encoder.run(work, args.corpus, chunks=64, rounds=2)


def figures_block(summary: dict[str, Any]) -> str:
    """The Markdown table of the latest figures, with the command and the machine."""
    host = summary["machine"]
    lines = [
        f"Measured {summary['date']} at commit `{summary['commit']}` by `{summary['command']}`"
        f" in {summary['seconds']:.0f} s, on {host['cpus']} CPUs ({host['cpu_model']}),"
        f" {host['memory']}, load average {host['load_average']} at the start"
        f" (a shared machine: read the ratios), Python {host['python']}.",
        "",
        "| figure | value | target | met | what |",
        "|---|---:|---|---|---|",
    ]
    for figure in summary["figures"]:
        value = "n/a" if figure["value"] is None else f"{figure['value']:.3g} {figure['unit']}"
        target = "" if figure["target"] is None else f"{figure['op']} {figure['target']:g}"
        met = {True: "yes", False: "**no**", None: ""}[figure["passed"]]
        lines.append(f"| `{figure['name']}` | {value} | {target} | {met} | {figure['what']} |")
    return "\n".join(lines)


def update_benchmarks(summary: dict[str, Any]) -> None:
    """Replace the figures block of BENCHMARKS.md (when it has one) with this run's."""
    if not BENCHMARKS.exists():
        return
    text = BENCHMARKS.read_text()
    if START not in text or END not in text:
        return
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    BENCHMARKS.write_text(f"{head}{START}\n{figures_block(summary)}\n{END}{tail}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", default=",".join(SECTIONS))
    parser.add_argument("--peers", type=Path, default=DEFAULT_PEERS)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--rounds", type=int, default=3, help="turns of each peer comparison")
    parser.add_argument("--lines", type=int, default=100_000, help="size of the scale repo")
    parser.add_argument("--batch-repos", type=int, default=50)
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    sections = [s.strip() for s in args.sections.split(",") if s.strip()]
    unknown = sorted(set(sections) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown section {', '.join(unknown)}: choose from {', '.join(SECTIONS)}")
    os.environ.setdefault("OPENAI_API_KEY", "sk-bench")
    byte_compile()
    from tests.fakes.openai_server import FakeOpenAI, citing_responder

    args.results.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    context = {
        "command": "make bench  (python -m evals.bench " + " ".join(sys.argv[1:]) + ")",
        "commit": commit(),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
    }
    print(
        f"readiness bench at {context['commit']} on {context['machine']['cpus']} CPUs,"
        f" load {context['machine']['load_average']}",
        flush=True,
    )
    figures: list[Figure] = []
    with FakeOpenAI(citing_responder) as fake:
        for name in sections:
            print(f"--- {name}", flush=True)
            began = time.monotonic()
            with tempfile.TemporaryDirectory(prefix=f"readiness-bench-{name}-") as tmp:
                found, raw = run_section(name, Path(tmp), args, fake)
            seconds = round(time.monotonic() - began, 1)
            for figure in found:
                print(figure.line(), flush=True)
            print(f"    ({name}: {seconds}s)", flush=True)
            figures += found
            record = {
                "section": name,
                "seconds": seconds,
                **context,
                "figures": [f.as_json() for f in found],
                "raw": raw,
            }
            (args.results / f"{name}.json").write_text(json.dumps(record, indent=1) + "\n")
    total = round(time.monotonic() - started, 1)
    summary = {
        **context,
        "seconds": total,
        "sections": sections,
        "figures": [f.as_json() for f in figures],
    }
    (args.results / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    if set(sections) == set(SECTIONS) and args.results == RESULTS:
        update_benchmarks(summary)  # only a complete run is "the latest figures"
    print(f"=== summary ({total}s, results in {args.results})")
    for figure in figures:
        print(figure.line())
    missed = [f.name for f in figures if f.passed is False]
    if missed:
        print(f"targets missed: {', '.join(missed)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
