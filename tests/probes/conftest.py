"""Helpers for probe tests: build a tiny repository in tmp_path and run one probe on it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from evals.probe_corpus import probe_snapshot, write_files
from pipeline.probes.engine import registered_probes, run_probes
from pipeline.schemas import CheckResult, Profile
from pipeline.scoring.severity import adjust_severity

PROBES = {cls.id: cls for cls in registered_probes()}
RunProbe = Callable[..., CheckResult]


@pytest.fixture
def run_probe(tmp_path: Path) -> RunProbe:
    """Write ``files`` into tmp_path and return the result of probe ``probe_id``.

    The probe runs through the engine, as in a real run: views built from the snapshot, its
    applicability decided by the profile, the probes it requires run first.
    """

    calls = iter(range(1_000_000))

    def run(probe_id: str, files: dict[str, str], scope: str | None = None) -> CheckResult:
        root = tmp_path / f"repo-{next(calls)}"  # each call its own repository
        write_files(root, files)
        checks = run_probes(probe_snapshot(root, scope), select=[probe_id]).checks
        return next(check for check in checks if check.id == probe_id)

    return run


def profile_of(root: Path, files: dict[str, str]) -> Profile:
    """Write ``files`` into ``root`` and return the profile a run decides for them."""
    write_files(root, files)
    return run_probes(probe_snapshot(root, None), select=["DOC001"]).profile


def as_reported(root: Path, probe_id: str, files: dict[str, str]) -> CheckResult:
    """The probe's result as the report shows it: severity and advisory set by the profile."""
    write_files(root, files)
    run = run_probes(probe_snapshot(root, None), select=[probe_id])
    return next(c for c in adjust_severity(run.checks, run.profile) if c.id == probe_id)


def check_case(
    run_probe: RunProbe,
    probe_id: str,
    outcome: str,
    files: dict[str, str],
    where: str | None,
) -> CheckResult:
    """Run one case and assert its outcome and, for pass/fail, its first evidence location."""
    result = run_probe(probe_id, files)
    assert result.outcome.value == outcome, result.message
    if where is not None:
        assert result.evidence, result.message
        assert result.evidence[0].location == where, (result.evidence, result.message)
        assert result.evidence[0].snippet is not None
    return result


def cases(table: list[tuple[str, str, dict[str, str], str | None]]) -> pytest.MarkDecorator:
    """Parametrize a table of (probe id, outcome, files, "path:line" of the first evidence)."""
    seen: dict[str, int] = {}
    ids = []
    for probe_id, outcome, _, _ in table:
        key = f"{probe_id}-{outcome}"
        seen[key] = seen.get(key, 0) + 1
        ids.append(f"{key}-{seen[key]}")
    return pytest.mark.parametrize(("probe_id", "outcome", "files", "where"), table, ids=ids)
