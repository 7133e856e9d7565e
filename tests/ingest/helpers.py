"""Helpers to build tiny repositories in tmp_path."""

from __future__ import annotations

import subprocess
from pathlib import Path


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    """Create ``files`` (relative path -> content) under ``root``."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def git(root: Path, *args: str) -> str:
    """Run git in ``root`` with a throwaway identity."""
    result = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def function_source(name: str, lines: int, indent: str = "") -> str:
    """A Python function of ``lines`` body lines (about 14 tokens each)."""
    body = "".join(
        f"{indent}    total = total + measure_value(index_{i}, weight={i}) * factor\n"
        for i in range(lines)
    )
    return f"{indent}def {name}(factor):\n{indent}    total = 0\n{body}{indent}    return total\n"


def chunks_of(root: Path, scope: str | None = None) -> list:
    """The chunks of the repository at ``root``: its snapshot, cut as the index stage cuts it."""
    from pipeline.ingest import ingest_repository
    from pipeline.ingest.chunking import chunk_snapshot

    return chunk_snapshot(ingest_repository(root, scope))
