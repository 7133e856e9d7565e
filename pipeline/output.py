"""Output folders: never overwrite what the user had, unless they ask."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from pipeline.checkpoint import atomic_write_text
from pipeline.errors import InputError

_FILE_NAMES = {
    "md": "report.md",
    "json": "report.json",
    "sarif": "report.sarif",
    "html": "report.html",
}
# What readiness last wrote in an output folder: file name → sha256 of its bytes. A file
# whose bytes differ was edited by someone since, and is theirs now.
WRITTEN = ".readiness-written.json"


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def last_written(out: Path) -> dict[str, str]:
    """The hashes readiness recorded for the reports it wrote into ``out``."""
    try:
        recorded = json.loads((out / WRITTEN).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return recorded if isinstance(recorded, dict) else {}


def edited_since_written(path: Path) -> bool:
    """Whether a report readiness wrote has been changed since (a reviewer's edits)."""
    recorded = last_written(path.parent).get(path.name)
    if recorded is None:
        return False
    try:
        return content_hash(path.read_bytes()) != recorded
    except OSError:
        return False


def written_by_readiness(path: Path) -> bool:
    """Whether an existing report file is one of ours (so re-writing it loses nothing)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    if path.suffix == ".md":
        return text.startswith("# Production Readiness Assessment") and "readiness" in text
    if path.suffix == ".html":
        return '<meta name="generator" content="readiness' in text
    try:
        document = json.loads(text)
    except ValueError:
        return False
    if path.suffix == ".sarif":
        return any(
            run.get("tool", {}).get("driver", {}).get("name") == "readiness"
            for run in document.get("runs", [])
        )
    return isinstance(document, dict) and "tool_version" in document and "findings" in document


def prepare_out_dir(out: Path, formats: tuple[str, ...], force: bool = False) -> Path:
    """Create ``out`` and check that writing the reports overwrites nothing foreign."""
    out = out.expanduser()
    if out.exists() and not out.is_dir():
        raise InputError(f"--out is a file, not a folder: {out}")
    for fmt in formats:
        target = out / _FILE_NAMES[fmt]
        if target.exists() and not force and not written_by_readiness(target):
            raise InputError(
                f"{target} exists and was not written by readiness; move it or pass --force"
            )
        if target.exists() and not force and edited_since_written(target):
            raise InputError(
                f"{target} was edited since readiness wrote it; move it or pass --force"
            )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create output folder {out}: {exc.strerror}") from None
    _check_writable(out, [out / _FILE_NAMES[fmt] for fmt in formats])
    return out.resolve()


def _check_writable(out: Path, targets: list[Path]) -> None:
    """Fail before any (possibly paid) work when the reports could not be written."""
    try:
        with tempfile.NamedTemporaryFile(dir=out, prefix=".readiness-probe-"):
            pass
    except OSError as exc:
        raise InputError(f"cannot write into output folder {out}: {exc.strerror}") from None
    for target in targets:
        if target.exists() and not os.access(target, os.W_OK):
            raise InputError(f"cannot overwrite {target}: it is read-only")


def record_written(out: Path, written: dict[str, bytes]) -> None:
    """Remember the hash of each report just written (file name → bytes written)."""
    recorded = last_written(out) | {name: content_hash(data) for name, data in written.items()}
    atomic_write_text(out / WRITTEN, json.dumps(recorded, indent=2, sort_keys=True) + "\n")


def prepare_cache_dir(folder: Path) -> Path:
    """The cache folder; one that readiness creates ignores itself in git (``*`` in its own
    .gitignore, as ruff's and mypy's caches do), so a cache inside a repository is never
    committed by accident."""
    if folder.exists():
        return folder
    try:
        folder.mkdir(parents=True)
        (folder / ".gitignore").write_text("# Created by readiness: a cache, never committed.\n*\n")
    except OSError:
        pass  # the stage that opens it says what is wrong, in one line
    return folder
