"""Wall time and peak memory of ``readiness batch`` on generated repositories, offline.

Usage: ``python -m evals.bench_batch [--repos 20] [--concurrency 2] [--keep DIR]``

Three runs of the same manifest, each measured with ``/usr/bin/time -v``:
cold (empty cache and output), warm (same cache, new output folder: every repository is
assessed again from the caches) and resume (same output folder: every repository is reused).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DRIVER = "import typer; from pipeline.commands.batch import batch_command; typer.run(batch_command)"
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
    """Run one batch under /usr/bin/time -v; returns wall seconds, peak RSS and the result line."""
    command = ["/usr/bin/time", "-v", sys.executable, "-c", DRIVER, str(manifest)]
    command += ["--out", str(out), "--cache-dir", str(cache), "--concurrency", str(concurrency)]
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, timeout=3600)
    wall = time.monotonic() - started
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    summary = next((line for line in done.stdout.splitlines() if "repositories:" in line), "")
    if done.returncode != 0:
        print(done.stdout[-2000:], done.stderr[-3000:], file=sys.stderr)
    return {
        "run": label,
        "exit": done.returncode,
        "wall_s": round(wall, 1),
        "peak_rss_mb": round(int(rss.group(1)) / 1024) if rss else None,
        "result": summary.strip(),
    }


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
    for index in range(args.repos):
        generate_repository(work / "repos", index)
    manifest = work / "manifest.txt"
    manifest.write_text("".join(f"repos/svc{i:02d}\n" for i in range(args.repos)))
    runs = [
        measure("cold", manifest, work / "out-cold", work / "cache", args.concurrency),
        measure("warm", manifest, work / "out-warm", work / "cache", args.concurrency),
        measure("resume", manifest, work / "out-warm", work / "cache", args.concurrency),
    ]
    print(f"{args.repos} repositories, concurrency {args.concurrency}, offline model")
    print(f"{'run':8} {'exit':>4} {'wall s':>8} {'peak RSS MB':>12}  result")
    for run in runs:
        print(
            f"{run['run']:8} {run['exit']:>4} {run['wall_s']:>8} {run['peak_rss_mb']!s:>12}"
            f"  {run['result']}"
        )
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if all(run["exit"] == 0 for run in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
