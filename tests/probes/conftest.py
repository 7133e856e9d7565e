"""Helpers for probe tests: build a tiny repository in tmp_path and run one probe on it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from evals.probe_corpus import probe_context, write_files
from pipeline.probes import registered_probes
from pipeline.schemas import CheckResult

PROBES = {cls.id: cls for cls in registered_probes()}
RunProbe = Callable[..., CheckResult]


@pytest.fixture
def run_probe(tmp_path: Path) -> RunProbe:
    """Write ``files`` into tmp_path and return the result of probe ``probe_id``."""

    def run(probe_id: str, files: dict[str, str], scope: str | None = None) -> CheckResult:
        write_files(tmp_path, files)
        return PROBES[probe_id]().check(probe_context(tmp_path, scope))

    return run


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
