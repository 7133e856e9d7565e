"""Run the probes over a snapshot: views built once and handed by name, requirements honoured.

The families register through the ``readiness.probes`` entry-point group, built-in and
third-party alike; the views through ``pipeline.probes.views``. Each probe's parameters name
the views it reads; each view's constructor names the views it is built from, like pytest
fixtures. A probe whose ``applies`` condition does not hold for the profile, or whose
required probe did not pass, is not run; a probe that raises yields an ``error`` outcome.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable
from importlib.metadata import entry_points
from typing import Any

import pipeline.probes.views  # noqa: F401 - importing registers the views
from pipeline.config import RepoConfig
from pipeline.errors import ConfigError
from pipeline.ingest.snapshot import RepoSnapshot
from pipeline.probes.base import Probe, plural
from pipeline.probes.registry import PROBES, VIEWS
from pipeline.progress import step
from pipeline.schemas import Category, CheckResult, Outcome, ProbeRun

ENTRY_POINT_GROUP = "readiness.probes"
# Parameters the engine itself provides to probes.
_REQUIRED = "required"
# Views whose reading of a file the parser could not read makes an absence unsure.
_PARSED_VIEWS = frozenset({"python", "text", "imports"})


@functools.cache
def load_families() -> tuple[str, ...]:
    """Import every module registered under ``readiness.probes`` (built-in families too).

    Raises:
        ConfigError: a plugin fails to load, or no family is registered at all (readiness
            is not installed, only its folder is on the path).
    """
    loaded = []
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        try:
            entry.load()
        except (ImportError, AttributeError, ValueError) as exc:
            raise ConfigError(
                f"probe plugin {entry.name!r} ({entry.value}) failed to load: {exc}"
            ) from exc
        loaded.append(entry.name)
    if not loaded:
        raise ConfigError(
            "no probe family is registered: install readiness (pip install .) so that its "
            f"{ENTRY_POINT_GROUP!r} entry points exist"
        )
    return tuple(sorted(loaded))


def registered_probes() -> list[type[Probe]]:
    """Every registered probe class, in id order."""
    load_families()
    return [PROBES[key] for key in sorted(PROBES)]  # type: ignore[misc]


def select_probes(
    probes: Iterable[type[Probe]], select: Iterable[str] = (), ignore: Iterable[str] = ()
) -> list[type[Probe]]:
    """Probes matching ``select`` (ids, id prefixes or categories; all when empty) minus
    those matching ``ignore``."""

    def matches(probe: type[Probe], patterns: list[str]) -> bool:
        return any(
            probe.id == p or probe.id.startswith(p) or probe.category.value == p for p in patterns
        )

    every = list(probes)
    chosen, dropped = list(select), list(ignore)
    kept = [
        p
        for p in every
        if (not chosen or matches(p, chosen)) and not (dropped and matches(p, dropped))
    ]
    # A selected probe brings the probes it requires: it cannot run without their results.
    by_id = {p.id: p for p in every}
    wanted = {p.id for p in kept}
    pending = list(kept)
    while pending:
        for needed in pending.pop().requires:
            if needed not in wanted and needed in by_id:
                wanted.add(needed)
                pending.append(by_id[needed])
    return [p for p in every if p.id in wanted]


class Resolver:
    """Builds each view once, from the views its constructor names."""

    def __init__(self, roots: dict[str, Any]) -> None:
        self.values = dict(roots)
        self._building: list[str] = []

    def get(self, name: str) -> Any:
        if name in self.values:
            return self.values[name]
        if name not in VIEWS:
            raise KeyError(f"no view named {name!r}")
        if name in self._building:
            raise RuntimeError(f"views depend on each other: {' -> '.join(self._building)}")
        self._building.append(name)
        try:
            factory = VIEWS[name]
            self.values[name] = factory(**self.arguments(factory))
        finally:
            self._building.pop()
        return self.values[name]

    def arguments(self, function: Callable[..., Any], skip: Iterable[str] = ()) -> dict[str, Any]:
        return {name: self.get(name) for name in parameters(function) if name not in skip}


@functools.cache
def parameters(function: Callable[..., Any]) -> tuple[str, ...]:
    """The names of ``function``'s parameters (``self`` excluded)."""
    return tuple(p for p in inspect.signature(function).parameters if p != "self")


def run_probes(
    snapshot: RepoSnapshot,
    config: RepoConfig | None = None,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
) -> ProbeRun:
    """Run the selected probes over ``snapshot`` and decide the profile."""
    resolver = Resolver({"snapshot": snapshot, "config": config or RepoConfig()})
    profile = resolver.get("profile")
    results: dict[str, CheckResult] = {}
    chosen = _in_dependency_order(select_probes(registered_probes(), select, ignore))
    for number, probe_cls in enumerate(chosen):
        step("probe", number, len(chosen))
        probe = probe_cls()
        results[probe.id] = _run_one(probe, resolver, profile, results)
    python = resolver.values.get("python")
    data = resolver.values.get("data")
    unparsed = {**getattr(data, "errors", {}), **getattr(python, "unparsed", {})}
    checks = [_unsure_if_unparsed(results[key], probe_of(key), python) for key in sorted(results)]
    return ProbeRun(
        checks=checks,
        profile=profile.model(),
        overview=resolver.get("overview").model(),
        unparsed=dict(sorted(unparsed.items())),
    )


def probe_of(probe_id: str) -> type[Probe]:
    return PROBES[probe_id]  # type: ignore[return-value]


def _run_one(
    probe: Probe, resolver: Resolver, profile: Any, results: dict[str, CheckResult]
) -> CheckResult:
    if not profile.holds(probe.applies):
        return probe.not_applicable(profile.why_not(probe.applies))
    for needed in sorted(probe.requires):
        prior = results.get(needed)
        if prior is None or prior.outcome is not Outcome.passed:
            title = prior.title.lower() if prior else "it was not run"
            return probe.not_applicable(
                f"Not checked: it depends on {needed} ({title}), which did not pass."
            )
    try:
        arguments = resolver.arguments(probe.check, skip=(_REQUIRED,))
        if _REQUIRED in parameters(probe.check):
            arguments[_REQUIRED] = {key: results[key] for key in probe.requires}
        return probe.check(**arguments)
    except Exception as exc:  # noqa: BLE001 - one broken probe must not sink the run
        return probe.result(Outcome.error, f"{type(exc).__name__}: {exc}")


def _in_dependency_order(probes: list[type[Probe]]) -> list[type[Probe]]:
    by_id = {p.id: p for p in probes}
    ordered: list[type[Probe]] = []
    placed: set[str] = set()

    def place(probe: type[Probe], trail: tuple[str, ...] = ()) -> None:
        if probe.id in placed:
            return
        if probe.id in trail:
            raise ConfigError(f"probes require each other: {' -> '.join((*trail, probe.id))}")
        for needed in sorted(probe.requires):
            if needed in by_id:
                place(by_id[needed], (*trail, probe.id))
        placed.add(probe.id)
        ordered.append(probe)

    for probe in probes:
        place(probe)
    return ordered


def _unsure_if_unparsed(check: CheckResult, probe: type[Probe], python: Any) -> CheckResult:
    """A pass that rests on finding nothing is unsure when some Python could not be parsed."""
    if check.outcome is not Outcome.passed or check.evidence or python is None:
        return check
    if not _PARSED_VIEWS & set(parameters(probe.check)):
        return check
    unreadable = [
        path
        for path, source in ((p, python.repo.by_path.get(p)) for p in python.unparsed)
        if source is not None and source.language == "python" and not source.is_test
    ]
    if not unreadable or check.category is Category.documentation:
        return check
    listed = ", ".join(unreadable[:3]) + (", ..." if len(unreadable) > 3 else "")
    return check.model_copy(
        update={
            "outcome": Outcome.cannot_determine,
            "message": f"{check.message} But {plural(len(unreadable), 'Python file')} could "
            f"not be parsed ({listed}), so what they hold was not checked.",
            "looked_at": [*check.looked_at, *unreadable[:10]],
        }
    )
