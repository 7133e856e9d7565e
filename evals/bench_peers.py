"""``readiness assess --probes-only`` cold against AgentReady and repo-review, side by side.

Usage: ``python -m evals.bench_peers [--rounds 3] [--peers bench/.peers] [--corpus DIR]``

Every repository (the real checkouts of the corpus that exist here, plus generated ones) is
assessed by each tool in turn, ``--rounds`` times, the order of the tools rotating each
round so that none always runs on a warmer machine. readiness runs cold every time: a new
cache folder, so no checkpoint helps it. The figure is the geometric mean over the
repositories of median(readiness) / median(AgentReady); the target is 2.0 or less.
The peers live in a bench-only venv on Python 3.12 (``make bench`` creates it).
"""

from __future__ import annotations

import argparse
import functools
import json
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from evals.bench_batch import generate_repository
from evals.bench_common import (
    DEFAULT_CORPUS,
    DEFAULT_PEERS,
    Figure,
    geometric_mean,
    git_commit_all,
    median,
    peer_command,
    readiness,
    real_repositories,
    run_timed,
    snapshot_repository,
)
from evals.bench_probes import generate

TOOLS = ("readiness", "agentready", "repo-review")


def bench_repositories(work: Path, corpus: Path, generated_lines: int = 20_000) -> list[Path]:
    """Fresh one-commit copies of the real repositories, and two generated ones."""
    repos = [
        snapshot_repository(src, work / "repos" / src.name) for src in real_repositories(corpus)
    ]
    polyglot = work / "repos" / f"generated-{generated_lines // 1000}k"
    polyglot.mkdir(parents=True)
    generate(polyglot, generated_lines)
    git_commit_all(polyglot)
    generate_repository(work / "repos", 7)  # a small Python service (svc07)
    git_commit_all(work / "repos" / "svc07")
    return [*repos, polyglot, work / "repos" / "svc07"]


@functools.cache
def probes_only_flag() -> list[str]:
    """``--probes-only`` where this readiness has it; older ones ran no index offline anyway."""
    done = subprocess.run(readiness("assess", "--help"), capture_output=True, text=True)
    return ["--probes-only"] if "--probes-only" in done.stdout else []


def _command(tool: str, repo: Path, out: Path, peers: Path) -> tuple[list[str], tuple[int, ...]]:
    if tool == "readiness":
        args = ["assess", str(repo), *probes_only_flag(), "--out", str(out / "report")]
        return readiness(*args, "--cache-dir", str(out / "cache")), (0,)
    if tool == "agentready":
        command = peer_command(peers, "agentready")
        assert command is not None
        return [str(command), "assess", str(repo), "--output-dir", str(out)], (0,)
    command = peer_command(peers, "repo-review")
    assert command is not None
    # repo-review exits 3 when some of its checks fail: that is an answer, not an error.
    return [str(command), str(repo), "--format", "json"], (0, 1, 3)


def run(work: Path, corpus: Path, peers: Path, rounds: int) -> tuple[list[Figure], dict[str, Any]]:
    tools = [t for t in TOOLS if t == "readiness" or peer_command(peers, t) is not None]
    repos = bench_repositories(work, corpus)
    walls: dict[str, dict[str, list[float]]] = {r.name: {t: [] for t in tools} for r in repos}
    rss: dict[str, dict[str, list[float]]] = {r.name: {t: [] for t in tools} for r in repos}
    cpu: dict[str, dict[str, list[float]]] = {r.name: {t: [] for t in tools} for r in repos}
    for round_number in range(rounds):
        order = tools[round_number % len(tools) :] + tools[: round_number % len(tools)]
        for repo in repos:
            for tool in order:
                out = work / "out" / f"{tool}-{repo.name}-{round_number}"
                command, ok = _command(tool, repo, out, peers)
                timed = run_timed(command, ok=ok, timeout_s=600)
                walls[repo.name][tool].append(timed.wall_s)
                rss[repo.name][tool].append(timed.peak_rss_mb)
                cpu[repo.name][tool].append(timed.cpu_s)
        print(f"  peers: round {round_number + 1}/{rounds} done", flush=True)
    rows = []
    for repo in repos:
        row: dict[str, Any] = {"repo": repo.name}
        for tool in tools:
            row[f"{tool}_s"] = round(median(walls[repo.name][tool]), 3)
            row[f"{tool}_cpu_s"] = round(median(cpu[repo.name][tool]), 3)
            row[f"{tool}_rss_mb"] = round(max(rss[repo.name][tool]))
        if "agentready" in tools:
            row["vs_agentready"] = round(row["readiness_s"] / row["agentready_s"], 3)
        if "repo-review" in tools:
            row["vs_repo_review"] = round(row["readiness_s"] / row["repo-review_s"], 3)
        rows.append(row)
    for row in rows:
        print(
            "  "
            + "  ".join(
                f"{k}={v}" for k, v in row.items() if not k.endswith(("_rss_mb", "_cpu_s"))
            ),
            flush=True,
        )
    figures = []
    if "agentready" in tools:
        ratios = [row["vs_agentready"] for row in rows]
        cpu_ratio = geometric_mean([r["readiness_cpu_s"] / r["agentready_cpu_s"] for r in rows])
        figures.append(
            Figure(
                "probes_only_vs_agentready",
                round(geometric_mean(ratios), 3),
                "<=",
                2.0,
                "ratio",
                f"cold `assess --probes-only` / AgentReady wall, geometric mean of {len(rows)}"
                f" repos (worst {max(ratios):.2f}; CPU time ratio {cpu_ratio:.2f})",
                {
                    "per_repo": {row["repo"]: row["vs_agentready"] for row in rows},
                    "cpu_ratio_geometric_mean": round(cpu_ratio, 3),
                },
            )
        )
    else:
        figures.append(
            Figure(
                "probes_only_vs_agentready",
                None,
                "<=",
                2.0,
                "ratio",
                f"AgentReady is not installed in {peers} (make bench installs it)",
            )
        )
    if "repo-review" in tools:
        ratios = [row["vs_repo_review"] for row in rows]
        figures.append(
            Figure(
                "probes_only_vs_repo_review",
                round(geometric_mean(ratios), 3),
                "<=",
                None,
                "ratio",
                "cold `assess --probes-only` / repo-review (no target: it checks far less)",
                {"per_repo": {row["repo"]: row["vs_repo_review"] for row in rows}},
            )
        )
    raw = {
        "rounds": rounds,
        "tools": tools,
        "readiness_flags": probes_only_flag(),
        "repositories": rows,
    }
    return figures, raw


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--peers", type=Path, default=DEFAULT_PEERS)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-peers-") as tmp:
        figures, raw = run(Path(tmp), args.corpus, args.peers, args.rounds)
    for figure in figures:
        print(figure.line())
    print(json.dumps(raw, indent=1))


if __name__ == "__main__":
    main()
