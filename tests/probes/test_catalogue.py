"""The catalogue as a whole: ids, texts, coverage by tests, scope, real ingest, errors."""

from __future__ import annotations

import re
from pathlib import Path

from evals.probe_corpus import write_files
from pipeline.ingest import ingest_repository
from pipeline.probes.base import Probe
from pipeline.probes.engine import registered_probes, run_probes
from pipeline.probes.registry import PROBES
from pipeline.probes.views.repo import RepoView
from pipeline.schemas import Category, CheckResult, Severity
from tests.probes import (
    test_code_quality,
    test_config_data,
    test_docs_deploy,
    test_error_handling,
    test_observability,
    test_performance_reliability,
    test_security,
    test_testing,
)
from tests.probes.test_testing import PY, wf

PREFIX = {
    Category.code_quality: "CQ",
    Category.testing: "TST",
    Category.error_handling: "ERR",
    Category.security: "SEC",
    Category.observability: "OBS",
    Category.performance: "PERF",
    Category.reliability: "REL",
    Category.configuration: "CFG",
    Category.data: "DATA",
    Category.documentation: "DOC",
    Category.deployment: "DEP",
}


def test_catalogue_has_80_documented_probes_over_all_categories() -> None:
    probes = registered_probes()
    assert len(probes) >= 80
    assert {p.category for p in probes} == set(Category)
    assert len({p.id for p in probes}) == len(probes)
    for p in probes:
        assert re.fullmatch(PREFIX[p.category] + r"\d{3}", p.id), p.id
        assert p.__doc__ and p.title and p.rationale and p.remediation, p.id


def test_every_probe_has_a_passing_and_a_failing_case() -> None:
    tables = [
        m.TABLE
        for m in (
            test_code_quality,
            test_config_data,
            test_docs_deploy,
            test_error_handling,
            test_observability,
            test_performance_reliability,
            test_security,
            test_testing,
        )
    ]
    seen = {(row[0], row[1]) for table in tables for row in table}
    for p in registered_probes():
        assert (p.id, "pass") in seen and (p.id, "fail") in seen, p.id


def test_scope_sees_its_package_and_the_root_ci(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            **wf("make -C services/api test"),
            "services/api/Makefile": "test:\n\tpytest\n",
            "services/api/app.py": "from fastapi import FastAPI\napp = FastAPI()\n",
            "services/api/tests/test_app.py": "def test_a():\n    assert 1\n",
            "services/worker/main.go": "package main\nfunc main() { panic(1) }\n",
            "README.md": "# mono\n",
        },
    )
    snapshot = ingest_repository(tmp_path, "services/api")
    results = {r.id: r for r in run_probes(snapshot).checks}
    assert results["TST002"].outcome.value == "pass", results["TST002"].message
    assert "services/api/Makefile:2" in results["TST002"].message
    assert results["DEP001"].outcome.value == "fail"  # the API serves and has no Dockerfile
    assert results["ERR006"].outcome.value == "not_applicable"  # the Go worker is out of scope
    assert results["DOC001"].evidence[0].path == "README.md"


def test_every_probe_runs_on_a_real_ingest_and_cites_existing_lines(tmp_path: Path) -> None:
    write_files(
        tmp_path, {**PY, **wf("pytest"), "README.md": "# app\n", "Dockerfile": "FROM python:3.12\n"}
    )
    results = run_probes(ingest_repository(tmp_path)).checks
    assert not [r for r in results if r.outcome.value == "error"]
    for r in results:
        if r.outcome.value == "fail":
            assert r.evidence, r.id
        if r.outcome.value == "pass" and not r.evidence:
            assert r.message.startswith("No "), (r.id, r.message)  # an absence-based pass
        for e in r.evidence:
            lines = (tmp_path / e.path).read_text().splitlines()
            assert e.end_line <= max(len(lines), 1), (r.id, e)


def test_a_probe_that_raises_becomes_an_error_outcome(tmp_path: Path) -> None:
    class Broken(Probe):
        """Always raises."""

        id = "SEC999"
        category = Category.security
        severity = Severity.low
        title = "A probe with a bug"

        def check(self, repo: RepoView) -> CheckResult:
            raise RuntimeError("boom")

    try:
        write_files(tmp_path, {"app.py": "print(1)\n"})
        results = {r.id: r for r in run_probes(ingest_repository(tmp_path)).checks}
        assert results["SEC999"].outcome.value == "error"
        assert "RuntimeError: boom" in results["SEC999"].message
        assert results["SEC001"].outcome.value == "pass"  # the others still ran
    finally:
        PROBES.pop("SEC999", None)
