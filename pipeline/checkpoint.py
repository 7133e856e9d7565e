"""Stage checkpoints: each stage's output per (repo, content fingerprint), written atomically.

A run that is killed resumes where it stopped: every stage first asks the store for its
output and only computes what is missing. Files are written to a temp file in the same
folder and renamed into place, so a reader never sees half a checkpoint.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import TypeVar

from pydantic import TypeAdapter, ValidationError

T = TypeVar("T")


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# Read once, in the main thread at import: os.umask can only be read by setting it.
_FILE_MODE = 0o666 & ~_umask()


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temp file and a rename.

    The file gets the mode a plain ``open()`` would give it (0644 under the usual umask),
    not mkstemp's 0600: reports are meant to be read by others and by CI.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, _FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def fingerprint(*parts: object) -> str:
    """A short stable hash of JSON-serialisable parts."""
    blob = json.dumps(parts, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:20]


class CheckpointStore:
    """Checkpoints of one repository, under ``cache_dir/runs/<repo key>/``.

    Each checkpoint's name carries the key of the inputs that made it, so a changed input
    is a miss, never a stale hit.
    """

    def __init__(self, cache_dir: Path, repo_key: str) -> None:
        self.repo_key = repo_key
        self.folder = cache_dir / "runs" / repo_key

    def _path(self, name: str) -> Path:
        return self.folder / f"{name}.json"

    def has(self, name: str) -> bool:
        return self._path(name).is_file()

    def load(self, name: str, kind: type[T]) -> T | None:
        """The checkpoint ``name`` as ``kind``, or None when absent or unreadable."""
        path = self._path(name)
        if not path.is_file():
            return None
        try:
            return TypeAdapter(kind).validate_json(path.read_bytes())
        except (ValidationError, OSError, ValueError):
            return None  # a stale or corrupt checkpoint is recomputed, never trusted

    def save(self, name: str, value: object, kind: type[T]) -> None:
        data = TypeAdapter(kind).dump_json(value)  # type: ignore[arg-type]
        atomic_write_text(self._path(name), data.decode())
