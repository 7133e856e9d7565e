"""The batch state file (``out/batch-state.json``): what a re-run may skip."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ValidationError

from pipeline.checkpoint import atomic_write_text

STATE_FILE = "batch-state.json"
STATE_VERSION = 1


class RepoState(BaseModel):
    """What the last run did for one repository."""

    key: str
    fingerprint: str | None = None
    commit: str | None = None
    status: str
    error: str | None = None
    finished_at: str | None = None
    seconds: float | None = None


class BatchState(BaseModel):
    version: int = STATE_VERSION
    repos: dict[str, RepoState] = {}


def load_state(out: Path) -> BatchState:
    """The state of the last run into ``out``; empty when missing, unreadable or outdated."""
    path = out / STATE_FILE
    try:
        state = BatchState.model_validate_json(path.read_bytes())
    except (OSError, ValidationError, ValueError):
        return BatchState()
    return state if state.version == STATE_VERSION else BatchState()


def save_state(out: Path, state: BatchState) -> None:
    """Write the state atomically, so a killed batch never leaves half a file."""
    text = json.dumps(state.model_dump(mode="json"), indent=2, sort_keys=True)
    atomic_write_text(out / STATE_FILE, text + "\n")
