"""Wall time and peak memory of ``readiness batch`` on generated repositories, offline.

Usage: ``python -m evals.bench_batch [--repos 20] [--concurrency 2] [--keep DIR]``

Three runs of the same manifest, each in its own process (peak RSS from ``wait4``):
cold (empty cache and output), warm (same cache, new output folder: every repository is
assessed again from the caches) and resume (same output folder: every repository is reused).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from evals.bench_common import Figure, run_timed

# The batch command as the CLI runs it, with the embedding model wrapped so that its loads
# in this one process are counted (written at exit to $BENCH_LOADS when set).
DRIVER = """
import atexit, json, os, typer
from evals.bench_drive import Recorder, instrument_embedder
seen = instrument_embedder(Recorder())
if os.environ.get("BENCH_LOADS"):
    atexit.register(lambda: open(os.environ["BENCH_LOADS"], "w").write(json.dumps(
        {"loads": len(seen["loads"]), "encode_calls": len(seen["calls"])})))
from pipeline.commands.batch import batch_command
typer.run(batch_command)
"""
MODULES = ("orders", "billing", "users", "search", "notify", "audit")


def generate_repository(root: Path, index: int) -> None:
    """A small Python service whose size and habits vary with ``index``."""
    name = f"svc{index:02d}"
    files = {
        "README.md": f"# {name}\n\nService {index} of the benchmark fleet.\n",
        "pyproject.toml": f'[project]\nname = "{name}"\nversion = "0.{index}.0"\n',
        f"src/{name}/__init__.py": "",
    }
    for number, module in enumerate(MODULES[: 2 + index % 5]):
        body = [f'"""The {module} component of {name}."""', "", "import logging", ""]
        body += ["log = logging.getLogger(__name__)", ""]
        for fn in range(6 + number):
            body += [
                "",
                f"def {module}_step_{fn}(items: list[int], factor: int = {fn + 1}) -> int:",
                f'    """Combine the items of step {fn}."""',
                "    total = 0",
                "    for item in items:",
                "        if item < 0:",
                f"            log.warning('negative item in {module} step {fn}')",
                "            continue",
                "        total += item * factor",
                "    return total",
            ]
        files[f"src/{name}/{module}.py"] = "\n".join(body) + "\n"
    if index % 2 == 0:
        files["tests/test_basic.py"] = (
            f"from {name}.orders import orders_step_0\n\n\n"
            "def test_step():\n    assert orders_step_0([1, 2]) == 3\n"
        )
        files[".github/workflows/ci.yml"] = (
            "on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - uses: actions/checkout@v4\n      - run: pytest\n"
        )
    if index % 3 == 0:
        files["Dockerfile"] = "FROM python:3.12-slim\nCOPY . /app\nCMD python -m app\n"
    for rel, text in files.items():
        path = root / name / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def measure(label: str, manifest: Path, out: Path, cache: Path, concurrency: int) -> dict:
    """Run one batch in its own process; returns wall seconds, peak RSS and the result line."""
    command = [sys.executable, "-c", DRIVER, str(manifest)]
    command += ["--out", str(out), "--cache-dir", str(cache), "--concurrency", str(concurrency)]
    loads = out.parent / f"loads-{label}.json"
    done = run_timed(command, env={"BENCH_LOADS": str(loads)}, ok=(0, 1), timeout_s=3600)
    summary = next((line for line in done.stdout.splitlines() if "repositories:" in line), "")
    if done.returncode != 0:
        print(done.stdout[-2000:], done.stderr[-3000:], file=sys.stderr)
    return {
        "run": label,
        "exit": done.returncode,
        "wall_s": round(done.wall_s, 1),
        "peak_rss_mb": round(done.peak_rss_mb),
        "result": summary.strip(),
        "model": json.loads(loads.read_text()) if loads.exists() else None,
    }


def prepare(work: Path, repos: int) -> Path:
    """Generate ``repos`` services and their manifest under ``work``."""
    for index in range(repos):
        generate_repository(work / "repos", index)
    manifest = work / "manifest.txt"
    manifest.write_text("".join(f"repos/svc{i:02d}\n" for i in range(repos)))
    return manifest


def run(work: Path, repos: int = 50, concurrency: int = 2) -> tuple[list[Figure], dict]:
    """The bench's figures: a cold offline batch of ``repos`` generated repositories."""
    manifest = prepare(work, repos)
    cold = measure("cold", manifest, work / "out-cold", work / "cache", concurrency)
    if cold["exit"] != 0:
        raise RuntimeError(f"the batch failed: {cold['result']}")
    what = f"{repos} generated repositories, offline, concurrency {concurrency}, cold"
    figures = [
        Figure(
            "batch_repos_per_minute",
            round(repos / cold["wall_s"] * 60, 1),
            ">=",
            None,
            "repos/min",
            what,
        ),
        Figure("batch_peak_rss_mb", cold["peak_rss_mb"], "<", None, "MB", what),
        Figure(
            "batch_model_loads",
            cold["model"]["loads"] if cold["model"] else None,
            "<=",
            1,
            "loads",
            "embedding model loads in the batch's one process (shared by every repository)",
        ),
    ]
    return figures, {"repos": repos, "concurrency": concurrency, "runs": [cold]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=20)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-batch-"))
    shutil.rmtree(work / "out-cold", ignore_errors=True)
    shutil.rmtree(work / "out-warm", ignore_errors=True)
    shutil.rmtree(work / "cache", ignore_errors=True)
    manifest = prepare(work, args.repos)
    runs = [
        measure("cold", manifest, work / "out-cold", work / "cache", args.concurrency),
        measure("warm", manifest, work / "out-warm", work / "cache", args.concurrency),
        measure("resume", manifest, work / "out-warm", work / "cache", args.concurrency),
    ]
    print(f"{args.repos} repositories, concurrency {args.concurrency}, offline model")
    print(f"{'run':8} {'exit':>4} {'wall s':>8} {'peak RSS MB':>12}  result")
    for run_ in runs:
        print(
            f"{run_['run']:8} {run_['exit']:>4} {run_['wall_s']:>8} {run_['peak_rss_mb']!s:>12}"
            f"  {run_['result']}"
        )
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if all(run_["exit"] == 0 for run_ in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
