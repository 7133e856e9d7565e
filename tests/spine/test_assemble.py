import json
from pathlib import Path

import pytest

from pipeline.assemble import (
    parse_formats,
    report_json_schema,
    shipped_schema,
    write_reports,
)
from pipeline.errors import ConfigError, InputError
from pipeline.output import prepare_out_dir
from pipeline.schemas import (
    Category,
    CheckResult,
    Component,
    Coverage,
    Evidence,
    KindDecision,
    ModuleSummary,
    Outcome,
    Overview,
    Profile,
    RepoInfo,
    Report,
    Severity,
    Usage,
)
from pipeline.scoring import assess_categories, findings_from_checks, overall_score, status
from tests.spine.factories import check


def make_report() -> Report:
    checks = [
        check("SEC001", Category.security, Outcome.failed, Severity.critical, "app.py", 5),
        check("TST001", Category.testing, Outcome.passed, Severity.high, "tests/test_a.py", 1),
        check("OBS001", Category.observability, Outcome.failed, Severity.medium, "app.py", 9),
        check("DOC001", Category.documentation, Outcome.failed, Severity.low, "README.md", 1),
    ]
    findings = findings_from_checks(checks)
    categories = assess_categories(
        checks, findings, {c.value: "summary | with pipe" for c in Category}
    )
    overall = overall_score(categories)
    return Report(
        tool_version="0.1.0",
        generated_at="2026-11-22T00:00:00+00:00",
        model="offline",
        repo=RepoInfo(name="demo", path="/tmp/demo", commit="abc123"),
        overall_score=overall,
        status=status(overall, findings),
        categories=categories,
        findings=findings,
        checks=checks,
        usage=Usage(),
        coverage=Coverage(files_seen=3, files_included=2, skipped={"binary": 1}),
    )


def test_shipped_schema_is_the_one_the_model_generates():
    assert shipped_schema() == report_json_schema()


def test_markdown_groups_gaps_by_severity_with_locations(tmp_path):
    written = write_reports(make_report(), tmp_path, ("md", "json", "sarif"))
    md = written["md"].read_text()
    critical = md.split("### Critical")[1].split("### High")[0]
    assert "SEC001 title" in critical and "`app.py:5`" in critical
    medium = md.split("### Medium priority")[1].split("### Low")[0]
    assert "OBS001 title" in medium
    for heading in (
        "## Executive Summary",
        "## Scores by Category",
        "## Strengths",
        "## Security Assessment",
        "## Roadmap to Production",
        "## Conclusion",
        "## Appendix A: Evidence",
        "## Appendix C: Coverage",
    ):
        assert heading in md
    assert "summary \\| with pipe" in md  # table cells stay one cell
    assert "Skipped (binary): 1" in md
    sarif = json.loads(written["sarif"].read_text())
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} == {"SEC001", "OBS001", "DOC001"}


def test_json_round_trips_and_validates(tmp_path):
    written = write_reports(make_report(), tmp_path, ("json",))
    document = json.loads(written["json"].read_text())
    assert Report.model_validate(document).repo.name == "demo"
    assert document["findings"][0]["evidence"][0]["path"]


def test_foreign_report_is_not_overwritten(tmp_path):
    (tmp_path / "report.md").write_text("my own notes\n")
    with pytest.raises(InputError, match="not written by readiness"):
        prepare_out_dir(tmp_path, ("md",))
    assert (tmp_path / "report.md").read_text() == "my own notes\n"
    write_reports(make_report(), tmp_path / "ours", ("md",))
    prepare_out_dir(tmp_path / "ours", ("md",))  # our own report may be refreshed


def test_unknown_format_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown format pdf"):
        parse_formats("md,pdf")


def test_markdown_opens_with_what_the_software_is_and_hands_the_unsettled_to_the_reviewer(
    tmp_path,
):
    report = make_report()
    cited = [Evidence(path="cli.py", start_line=4, end_line=4)]
    report.profile = Profile(
        kinds=["cli"],
        reasons=[KindDecision(kind="cli", reason="declares a command (shop)", evidence=cited)],
        languages={"python": 120},
        entry_points=[Component(name="shop (console script)", evidence=cited)],
    )
    report.overview = Overview(
        modules=[
            ModuleSummary(
                name="shop",
                files=3,
                lines=120,
                description="Sells things.",
                description_evidence=[Evidence(path="shop/__init__.py", start_line=1, end_line=1)],
            )
        ]
    )
    report.checks.append(
        CheckResult(
            id="REL001",
            category=Category.reliability,
            severity=Severity.high,
            title="No timeouts",
            outcome=Outcome.cannot_determine,
            message="The HTTP client's defaults could not be told.",
            looked_at=["httpx calls in shop/net.py"],
        )
    )
    report.checks[0] = report.checks[0].model_copy(
        update={"severity_note": "Lowered: the software serves no network requests."}
    )
    report.findings = findings_from_checks(report.checks)
    md = write_reports(report, tmp_path, ("md",))["md"].read_text()
    opening = md.split("## Executive Summary")[0]
    assert "**A command-line tool**: declares a command (shop) (`cli.py:4`)" in opening
    assert "| `shop` | 3 files, 120 lines | Sells things. (`shop/__init__.py:1`)" in opening
    reviewer = md.split("## For the reviewer")[1].split("## Roadmap")[0]
    assert "No timeouts" in reviewer and "httpx calls in shop/net.py" in reviewer
    critical = md.split("### Critical")[1].split("### High")[0]
    assert "Lowered: the software serves no network requests." in critical
    assert "<details>" in md.split("## Appendix B")[1]


def test_a_reviewers_edits_are_kept_unless_forced(tmp_path):
    write_reports(make_report(), tmp_path, ("md", "json"))
    prepare_out_dir(tmp_path, ("md", "json"))  # untouched: ours to refresh
    report_md = tmp_path / "report.md"
    report_md.write_text(report_md.read_text() + "\nReviewer: the SEC001 key is a test key.\n")
    with pytest.raises(InputError, match="was edited since readiness wrote it"):
        prepare_out_dir(tmp_path, ("md",))
    prepare_out_dir(tmp_path, ("json",))  # the other format was not edited
    prepare_out_dir(tmp_path, ("md",), force=True)


def test_an_unwritable_output_folder_is_found_before_any_work():
    # /proc exists and is a folder nobody, not even root, can create files in.
    with pytest.raises(InputError, match="cannot write into output folder /proc"):
        prepare_out_dir(Path("/proc"), ("md",))


def test_the_shipped_schema_is_a_valid_json_schema():
    # Reports are validated without re-checking the schema each time: this test does it once.
    import jsonschema

    schema = shipped_schema()
    jsonschema.validators.validator_for(schema).check_schema(schema)


def test_a_fact_that_is_no_gap_here_is_listed_apart_with_its_reason(tmp_path):
    report = make_report()
    advisory = check("TST012", Category.testing, Outcome.failed, Severity.low, "tests/t.py", 2)
    advisory = advisory.model_copy(update={"advisory": "nothing runs at once"})
    report = report.model_copy(update={"checks": [*report.checks, advisory]})
    md = write_reports(report, tmp_path, ("md",))["md"].read_text()
    apart = md.split("### Facts that are not gaps here")[1].split("## Security Assessment")[0]
    assert "TST012 message" in apart and "nothing runs at once" in apart
    assert "`tests/t.py:2`" in apart
    roadmap = md.split("## Roadmap to Production")[1].split("## Conclusion")[0]
    assert "TST012" not in roadmap
    assert "| TST012 | Testing | low | ❌ fail (not a gap here) |" in md
