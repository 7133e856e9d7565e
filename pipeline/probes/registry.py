"""The registry of probes and views: two tables and the decorators that fill them.

It imports nothing from the probes package, so any module can register into it without an
import knot. Probe families register when imported (the ``readiness.probes`` entry points,
built-in families included); views register when ``pipeline.probes.views`` is imported.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

PROBES: dict[str, type] = {}
VIEWS: dict[str, Callable[..., Any]] = {}


def register_probe(cls: type) -> None:
    """Add a probe class under its id; two classes may not share one."""
    probe_id = cls.__dict__["id"]
    if probe_id in PROBES and PROBES[probe_id] is not cls:
        raise ValueError(f"duplicate probe id {probe_id}")
    PROBES[probe_id] = cls


def view(name: str) -> Callable[[F], F]:
    """Register a view factory under ``name``.

    A probe (or another view) asks for a view by naming a parameter after it; the engine
    builds the view once per run from the views its factory names in turn.
    """

    def register(factory: F) -> F:
        if name in VIEWS and VIEWS[name] is not factory:
            raise ValueError(f"duplicate view {name}")
        VIEWS[name] = factory
        return factory

    return register
