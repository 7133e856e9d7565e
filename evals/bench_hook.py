"""Time the pre-commit hook (``assess --probes-only --fail-on-new high``) on a generated
~100k-line repository: the first run on a HEAD (which assesses HEAD too), a run with
nothing changed, and a run after one edited file.

``python -m evals.bench_hook [--lines N]``. Wall-clock seconds on a shared machine: compare
the ratios to the first run, not the absolutes.
"""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from evals.bench_probes import generate

PROJECT = Path(__file__).resolve().parent.parent


def hook_command() -> list[str]:
    """The hook's entry from .pre-commit-hooks.yaml, run with this interpreter."""
    [hook] = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text())
    entry = shlex.split(hook["entry"])
    assert entry[0] == "readiness"
    return [sys.executable, "-m", "pipeline.cli", *entry[1:]]


def timed(repo: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(hook_command(), cwd=repo, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"the hook failed ({done.returncode}): {done.stderr[-500:]}")
    return elapsed


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.email=b@example.com", "-c", "user.name=b", *args],
        check=True,
        capture_output=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="readiness-hook-") as tmp:
        repo = Path(tmp) / "repo"
        repo.mkdir()
        lines = generate(repo, args.lines)
        git(repo, "init", "-q")
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", "generated")
        first = timed(repo)
        unchanged = timed(repo)
        edited = next(repo.glob("src/bench/mod_0.py"))
        edited.write_text(edited.read_text() + "\n# edited\n")
        after_edit = timed(repo)
    print(
        f"pre-commit hook on {lines} lines: first run on a HEAD {first:.1f}s | unchanged"
        f" {unchanged:.1f}s ({unchanged / first:.2f} of the first) | one file edited"
        f" {after_edit:.1f}s ({after_edit / first:.2f})",
        flush=True,
    )


if __name__ == "__main__":
    main()
