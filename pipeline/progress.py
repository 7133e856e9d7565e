"""How the core reports progress without knowing about terminals (the CLI renders it).

Long loops (reading files, running probes, embedding chunks) call :func:`step` with their
counts. That one call is also where a worker thread notices that its run was interrupted
(Ctrl-C cancels the run's task; the runner then sets the run's flag) and stops at once,
instead of finishing a stage whose result nobody will read. The run's tracker travels in a
context variable, which ``asyncio.to_thread`` copies into the worker thread, so each
repository of a batch has its own.
"""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

# At most this often (seconds) a loop's counts reach the display.
_REPORT_EVERY = 0.1


class Progress(Protocol):
    def stage(self, repo: str, stage: str, detail: str = "") -> None:
        """A stage of ``repo`` started (or reports ``detail`` while it runs)."""
        ...

    def finished(self, repo: str, stage: str, detail: str = "") -> None:
        """A stage of ``repo`` finished, with a one-line summary."""
        ...


@runtime_checkable
class CountingProgress(Protocol):
    """A display that also shows counts (and so an ETA) for long stages."""

    def count(self, repo: str, stage: str, done: int, total: int) -> None:
        """``done`` of ``total`` items of ``stage`` are processed."""
        ...


class SilentProgress:
    def stage(self, repo: str, stage: str, detail: str = "") -> None:
        return None

    def finished(self, repo: str, stage: str, detail: str = "") -> None:
        return None


class Interrupted(KeyboardInterrupt):
    """The run was interrupted: raised in a worker thread at its next step, to stop it."""


@dataclass
class _Tracker:
    repo: str
    progress: Progress
    interrupted: threading.Event = field(default_factory=threading.Event)
    last: float = 0.0


_tracker: contextvars.ContextVar[_Tracker | None] = contextvars.ContextVar(
    "readiness_progress", default=None
)


@contextmanager
def tracking(repo: str, progress: Progress) -> Iterator[None]:
    """Make ``progress`` receive the counts of the loops run in this context (and threads
    started from it), and give them one interruption flag."""
    token = _tracker.set(_Tracker(repo, progress))
    try:
        yield
    finally:
        _tracker.reset(token)


def interrupt() -> None:
    """Ask the worker threads of the current run to stop at their next :func:`step`."""
    tracker = _tracker.get()
    if tracker is not None:
        tracker.interrupted.set()


def step(stage: str, done: int, total: int) -> None:
    """A long loop's progress: ``done`` of ``total``.

    Raises:
        Interrupted: the run was interrupted; the loop must stop.
    """
    tracker = _tracker.get()
    if tracker is None:
        return
    if tracker.interrupted.is_set():
        raise Interrupted(stage)
    if not isinstance(tracker.progress, CountingProgress):
        return
    now = time.monotonic()
    if done < total and now - tracker.last < _REPORT_EVERY:
        return
    tracker.last = now
    tracker.progress.count(tracker.repo, stage, done, total)


# Worker threads of a run are named with this prefix (see pipeline.runner.in_thread).
WORKER_PREFIX = "readiness-"


def wait_for_workers(timeout: float) -> bool:
    """After an interruption: give the run's worker threads ``timeout`` seconds to reach
    their next step and stop. False when some are still busy (inside a library call that
    cannot be cut short): the caller then ends the process without waiting for them."""
    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if thread.name.startswith(WORKER_PREFIX) and thread is not threading.current_thread():
            thread.join(max(0.0, deadline - time.monotonic()))
            if thread.is_alive():
                return False
    return True
