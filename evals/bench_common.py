"""What every ``make bench`` section shares: timed child processes, repositories, figures.

A figure is one number a target is stated about, measured side by side in the same run:
``Figure("probes_only_vs_agentready", 1.4, "<=", 2.0, "ratio", detail)``. Sections return
their figures and their raw measurements; ``evals.bench`` writes them to
``bench/results/<section>.json`` and prints them.

Wall times come from ``time.perf_counter`` around the child; peak memory from the child's
own ``ru_maxrss`` (``os.wait4``), so no ``/usr/bin/time`` is needed and a child that forks
a helper (git, a ChromaDB thread pool) is still one process tree measured once.
"""

from __future__ import annotations

import math
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
RESULTS = PROJECT / "bench" / "results"
DEFAULT_PEERS = PROJECT / "bench" / ".peers"
DEFAULT_CORPUS = Path(os.environ.get("BENCH_CORPUS", "/work/corpus/src"))
# Real repositories of five languages and shapes; a machine without them uses generated ones.
REAL_REPOSITORIES = ("requests", "fd", "gin-realworld", "flask-microblog", "notion-sdk-js")
GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@example.invalid",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@example.invalid",
    "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
    "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
}


@dataclass
class Figure:
    """One measured figure and its target (``op`` is ``<=``, ``<`` or ``>=``; no target:
    the figure is printed for information)."""

    name: str
    value: float | None
    op: str
    target: float | None
    unit: str
    what: str
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        return {
            "<=": self.value <= self.target,
            "<": self.value < self.target,
            ">=": self.value >= self.target,
        }[self.op]

    def as_json(self) -> dict[str, Any]:
        return asdict(self) | {"passed": self.passed}

    def line(self) -> str:
        shown = "n/a" if self.value is None else f"{self.value:.3g}"
        verdict = {True: "ok", False: "MISSED", None: "info" if self.value is not None else "n/a"}[
            self.passed
        ]
        target = "" if self.target is None else f"{self.op} {self.target:g}"
        return f"{verdict:6} {self.name:34} {shown:>8} {self.unit:8} {target:8}  {self.what}"


@dataclass
class Timed:
    """A finished child process: wall seconds, peak resident memory, CPU seconds, exit code and
    output."""

    wall_s: float
    peak_rss_mb: float
    cpu_s: float
    returncode: int
    stdout: str
    stderr: str


def run_timed(
    command: list[str],
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    ok: tuple[int, ...] = (0,),
    timeout_s: float = 1800,
) -> Timed:
    """Run ``command`` to its end; its wall time and peak RSS. Raise when its exit is not ok."""
    out_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-{os.getpid()}-{time.time_ns()}"
    with open(f"{out_path}.out", "w+") as out, open(f"{out_path}.err", "w+") as err:
        started = time.perf_counter()
        child = subprocess.Popen(
            command, env={**os.environ, **(env or {})}, cwd=cwd, stdout=out, stderr=err
        )
        deadline = started + timeout_s
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                child.kill()
                pid, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.005)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        cpu = usage.ru_utime + usage.ru_stime
        timed = Timed(wall, usage.ru_maxrss / 1024, cpu, child.returncode, out.read(), err.read())
    for suffix in (".out", ".err"):
        Path(f"{out_path}{suffix}").unlink(missing_ok=True)
    if timed.returncode not in ok:
        raise RuntimeError(
            f"{' '.join(command[:6])} exited {timed.returncode}:\n"
            f"{timed.stdout[-1500:]}\n{timed.stderr[-3000:]}"
        )
    return timed


def readiness(*args: str) -> list[str]:
    """The ``readiness`` command of this checkout, run by this interpreter."""
    return [sys.executable, "-m", "pipeline.cli", *args]


def git_commit_all(root: Path) -> None:
    """Make ``root`` a one-commit git repository (AgentReady reads only git repositories)."""

    def git(*args: str) -> None:
        subprocess.run(
            ["git", *args], check=True, env={**os.environ, **GIT_ENV}, capture_output=True
        )

    if not (root / ".git").exists():
        git("init", "-q", "-b", "main", str(root))
    git("-C", str(root), "add", "-A")
    git("-C", str(root), "commit", "-q", "--allow-empty", "-m", "bench")


def snapshot_repository(source: Path, into: Path) -> Path:
    """The committed tree of ``source`` as a fresh one-commit repository nobody else edits."""
    into.mkdir(parents=True)
    if (source / ".git").exists():
        archive = subprocess.run(
            ["git", "-C", str(source), "archive", "HEAD"], capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    else:
        shutil.copytree(source, into, dirs_exist_ok=True)
    git_commit_all(into)
    return into


def real_repositories(corpus: Path, names: tuple[str, ...] = REAL_REPOSITORIES) -> list[Path]:
    """The corpus checkouts that exist on this machine, in ``names`` order."""
    return [corpus / name for name in names if (corpus / name / ".git").exists()]


def peer_command(peers: Path, name: str) -> Path | None:
    """A peer's executable in the bench-only venv, or None when it is not installed."""
    path = peers / "bin" / name
    return path if path.exists() else None


def median(values: list[float]) -> float:
    return float(statistics.median(values))


def geometric_mean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values))


def machine() -> dict[str, Any]:
    """What the figures were measured on: CPUs, memory, load at the start, Python."""
    memory = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
    except OSError:
        pass
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory": memory,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "python": sys.version.split()[0],
    }
