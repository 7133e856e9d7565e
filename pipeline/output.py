"""Output folders: never overwrite what the user had, unless they ask."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.errors import InputError

_FILE_NAMES = {"md": "report.md", "json": "report.json", "sarif": "report.sarif"}


def written_by_readiness(path: Path) -> bool:
    """Whether an existing report file is one of ours (so re-writing it loses nothing)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    if path.suffix == ".md":
        return text.startswith("# Production Readiness Assessment") and "readiness" in text
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
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create output folder {out}: {exc.strerror}") from None
    return out.resolve()
