"""The cache boundary: diskcache and ChromaDB folders opened, their failures made ours.

One table per third-party boundary, as httpx maps its transport errors: callers never catch
``sqlite3``, ``diskcache`` or ``chromadb`` exceptions. A cache that is corrupt is moved
aside (kept, never deleted) and rebuilt empty, with a warning: a cache only saves work, so
losing one costs time, never a result. A cache folder that cannot be used at all (a file
where the folder should be, no permission) is the user's to fix: a one-line ConfigError.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from pipeline.errors import ConfigError, ReadinessError

T = TypeVar("T")
log = logging.getLogger("readiness")


class CacheCorrupt(ReadinessError):
    """A cache's files do not read as what they should be (mapped from the library's error)."""


def _corruption_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [sqlite3.DatabaseError]
    with contextlib.suppress(ImportError):
        import chromadb.errors

        errors += [chromadb.errors.InternalError, chromadb.errors.VersionMismatchError]
    return tuple(errors)


@contextlib.contextmanager
def map_cache_errors(folder: Path, what: str) -> Iterator[None]:
    """Translate one cache library's failures: corruption, or an unusable folder."""
    if folder.exists() and not folder.is_dir():
        raise ConfigError(
            f"cannot use {folder} for the {what} cache: a file is in the way; move it or "
            "pass --cache-dir"
        )
    try:
        yield
    except sqlite3.OperationalError as exc:  # cannot open: permissions, a full disk, a lock
        raise ConfigError(f"cannot open the {what} cache at {folder}: {exc}") from exc
    except _corruption_errors() as exc:
        raise CacheCorrupt(f"{what} cache at {folder} is corrupt: {exc}") from exc
    except (FileExistsError, NotADirectoryError) as exc:
        raise ConfigError(
            f"cannot use {folder} for the {what} cache: a file is in the way; move it or "
            "pass --cache-dir"
        ) from exc
    except PermissionError as exc:
        raise ConfigError(
            f"cannot use {folder} for the {what} cache: permission denied; pass --cache-dir"
        ) from exc


def open_cache(folder: Path, what: str, opener: Callable[[Path], T]) -> T:
    """Open a cache folder with ``opener``; a corrupt one is moved aside and rebuilt empty."""
    try:
        with map_cache_errors(folder, what):
            return opener(folder)
    except CacheCorrupt as exc:
        aside = folder.with_name(f"{folder.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        folder.rename(aside)
        log.warning("%s; moved to %s and rebuilt empty", exc, aside)
        with map_cache_errors(folder, what):
            return opener(folder)


def open_diskcache(folder: Path, what: str) -> Any:
    """A ``diskcache.Cache`` on ``folder``, opened through the boundary."""
    import diskcache

    return open_cache(folder, what, lambda path: diskcache.Cache(str(path)))
