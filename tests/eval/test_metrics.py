"""The metrics themselves, on hand-made reports of golden repositories built in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.evaluation.aggregate import summarise_model, summarise_repo
from pipeline.evaluation.golden import GOLDEN, ExpectedFact, Labels, build_repo, resolve_labels
from pipeline.evaluation.metrics import failed_run, score_report
from pipeline.ingest import ingest_repository
from pipeline.schemas import (
    Category,
    CategoryAssessment,
    CheckResult,
    Coverage,
    Evidence,
    Finding,
    Outcome,
    RepoInfo,
    Report,
    Severity,
    Usage,
    Verdict,
)


def _evidence(root: Path, path: str, start: int, end: int) -> Evidence:
    """Evidence as a report carries it: the snapshot's lines, secrets redacted."""
    return ingest_repository(root).evidence(path, start, end)


def perfect_findings(root: Path, labels: Labels) -> list[Finding]:
    """What a flawless assessor reports: every label, at its lines, with its severity."""
    findings = []
    for number, label in enumerate(labels.findings):
        evidence = []
        if label.path and label.start_line and label.end_line:
            evidence = [_evidence(root, label.path, label.start_line, label.end_line)]
        elif label.path:
            evidence = [_evidence(root, label.path, 1, 1)]
        findings.append(
            Finding(
                id=f"F{number}",
                category=label.category,
                kind=label.kind,
                severity=label.severity,
                title=f"About {label.topics[0]}",
                source="offline",
                evidence=evidence,
            )
        )
    return findings


def make_report(findings: list[Finding], checks: list[CheckResult] | None = None) -> Report:
    return Report(
        tool_version="test",
        generated_at="2026-01-01T00:00:00+00:00",
        model="offline",
        repo=RepoInfo(name="golden", path="."),
        overall_score=50,
        status="draft",
        categories=[],
        findings=findings,
        checks=checks or [],
        usage=Usage(llm_requests=4, reasks=1, prompt_tokens=100, completion_tokens=20),
        coverage=Coverage(),
    )


@pytest.fixture
def flask(tmp_path: Path) -> tuple[Path, Labels]:
    repo = GOLDEN["flask-risky"]
    return build_repo(repo, tmp_path / repo.name, git=False), resolve_labels(repo)


def test_a_perfect_report_scores_one(flask: tuple[Path, Labels]) -> None:
    root, labels = flask
    score = score_report(make_report(perfect_findings(root, labels)), labels, root)
    totals = score.totals()
    assert totals.precision == 1.0
    assert totals.match_rate == 1.0
    assert totals.recall == 1.0
    assert totals.severity_agreement == 1.0
    assert score.citations_valid == score.citations_total > 0
    assert score.missed == [] and score.unmatched == []


def test_a_fabricated_citation_lowers_citation_validity(flask: tuple[Path, Labels]) -> None:
    root, labels = flask
    findings = perfect_findings(root, labels)
    good = score_report(make_report(findings), labels, root)
    cited = findings[0].evidence[0]
    findings[0].evidence[0] = cited.model_copy(update={"snippet": "app.run(debug=False)"})
    bad = score_report(make_report(findings), labels, root)
    assert bad.citations_valid == good.citations_valid - 1
    assert bad.invalid_citations == [f"{findings[0].title} @ {cited.location}"]


def test_a_citation_at_the_wrong_lines_is_invalid(flask: tuple[Path, Labels]) -> None:
    root, labels = flask
    findings = perfect_findings(root, labels)
    real = findings[0].evidence[0]
    findings[0].evidence[0] = real.model_copy(
        update={"start_line": real.start_line + 3, "end_line": real.end_line + 3}
    )
    score = score_report(make_report(findings), labels, root)
    assert score.citations_valid == score.citations_total - 1


def test_a_missed_planted_gap_lowers_recall(flask: tuple[Path, Labels]) -> None:
    root, labels = flask
    findings = [f for f in perfect_findings(root, labels) if "debug" not in f.title]
    score = score_report(make_report(findings), labels, root)
    required = sum(label.required for label in labels.findings)
    assert score.totals().recall == (required - 1) / required
    assert score.categories[Category.configuration].recall == 0.0
    assert score.totals().precision == 1.0
    assert any("debug" in missed for missed in score.missed)


def test_a_finding_at_another_place_does_not_count(flask: tuple[Path, Labels]) -> None:
    root, labels = flask
    findings = perfect_findings(root, labels)
    secret = next(f for f in findings if f.title == "About secret")
    secret.evidence[0] = _evidence(root, "app.py", 1, 1)  # `import sqlite3`, not the secret
    score = score_report(make_report(findings), labels, root)
    assert score.totals().recall is not None and score.totals().recall < 1.0
    security = score.categories[Category.security]
    assert security.match_rate == 3 / 4
    assert security.precision == 1.0  # a finding the labels say nothing about is not judged
    assert any("secret" in missed for missed in score.missed)


def test_severity_disagreement_is_counted(flask: tuple[Path, Labels]) -> None:
    root, labels = flask
    findings = perfect_findings(root, labels)
    sql = next(f for f in findings if f.title == "About sql")
    findings[findings.index(sql)] = sql.model_copy(update={"severity": Severity.low})
    score = score_report(make_report(findings), labels, root)
    totals = score.totals()
    assert totals.recall == 1.0  # still found; only its severity is wrong
    assert totals.severity_pairs - totals.severity_agree == 1
    assert score.severity_mismatches == [
        next(lb.label for lb in labels.findings if lb.topics[0] == "sql")
        + ": reported low, labelled critical"
    ]


def test_a_test_only_unwrap_is_a_false_positive(tmp_path: Path) -> None:
    repo = GOLDEN["rust-crate"]
    root, labels = build_repo(repo, tmp_path / "crate", git=False), resolve_labels(repo)
    text = (root / "src/lib.rs").read_text().splitlines()
    test_line = next(i for i, line in enumerate(text, 1) if '"5432".parse().unwrap()' in line)
    decoy = Finding(
        id="X",
        category=Category.error_handling,
        kind="gap",
        severity=Severity.medium,
        title="unwrap() can panic",
        source="offline",
        evidence=[_evidence(root, "src/lib.rs", test_line, test_line)],
    )
    score = score_report(make_report([decoy]), labels, root)
    assert score.categories[Category.error_handling].precision == 0.0
    assert score.categories[Category.error_handling].recall == 0.0


def test_probe_accuracy_compares_outcomes_with_labelled_facts(flask: tuple[Path, Labels]) -> None:
    root, labels = flask
    labels = labels.model_copy(
        update={
            "facts": [
                ExpectedFact(check_id="SEC001", outcome=Outcome.failed),
                ExpectedFact(check_id="TST001", outcome=Outcome.failed),
                ExpectedFact(check_id="DOC001", outcome=Outcome.passed),
            ]
        }
    )

    def check(check_id: str, outcome: Outcome) -> CheckResult:
        return CheckResult(
            id=check_id,
            category=Category.security,
            severity=Severity.high,
            title=check_id,
            outcome=outcome,
            message="",
        )

    checks = [check("SEC001", Outcome.failed), check("TST001", Outcome.passed)]
    score = score_report(make_report([], checks), labels, root)
    assert (score.facts_correct, score.facts_total) == (1, 3)
    assert score.fact_errors == [
        "TST001: got pass, labelled fail",
        "DOC001: got absent, labelled pass",
    ]


def test_stability_and_spread_over_repeated_runs(flask: tuple[Path, Labels]) -> None:
    root, labels = flask
    findings = perfect_findings(root, labels)
    first = score_report(make_report(findings), labels, root, run=0)
    second = score_report(make_report(findings[:-1]), labels, root, run=1)
    second.overall_score = 62
    repo = summarise_repo("flask-risky", "web", "python", [first, second])
    keys = len(first.finding_keys)
    assert repo.stability == pytest.approx((keys - 1 + 0.5) / keys)
    assert repo.score_spread == 12
    assert repo.reask_rate == 2 / 8


def test_model_metrics_sum_counts_across_repositories(flask: tuple[Path, Labels]) -> None:
    root, labels = flask
    perfect = score_report(make_report(perfect_findings(root, labels)), labels, root)
    crashed = failed_run("flask-risky", labels, "boom")
    model = summarise_model(
        "offline",
        1,
        [
            summarise_repo("a", "", "python", [perfect]),
            summarise_repo("b", "", "python", [crashed]),
        ],
    )
    assert model.recall == 0.5
    assert model.precision == 1.0
    assert model.failed_runs == 1
    assert model.schema_validity == 0.5
    security = next(c for c in model.categories if c.category is Category.security)
    assert security.required == 2 * sum(
        lb.required for lb in labels.findings if lb.category is Category.security
    )


def _finding(category: Category, kind: str, title: str, evidence: list[Evidence], **extra):  # type: ignore[no-untyped-def]
    return Finding(
        id=title,
        category=category,
        kind=kind,  # type: ignore[arg-type]
        severity=Severity.medium,
        title=title,
        source="offline",
        evidence=evidence,
        **extra,
    )


def test_findings_the_labels_contradict_lower_precision(flask: tuple[Path, Labels]) -> None:
    root, labels = flask
    labels = labels.model_copy(
        update={"facts": [ExpectedFact(check_id="TST001", outcome=Outcome.failed)]}
    )
    readme = [_evidence(root, "README.md", 1, 1)]
    wrong = [
        # A strength from the probe expected to report a planted gap.
        _finding(Category.security, "strength", "No wildcard CORS", readme, check_id="SEC011"),
        # A strength from a probe whose outcome is labelled fail.
        _finding(Category.testing, "strength", "Tests exist", readme, check_id="TST001"),
    ]
    findings = perfect_findings(root, labels) + wrong
    score = score_report(make_report(findings), labels, root)
    matched = score.totals().reported_matched
    assert score.totals().precision == matched / (matched + 2)
    assert len(score.contradicted) == 2
    assert "cors" in score.contradicted[0]


def test_a_finding_outside_the_scope_is_wrong(tmp_path: Path) -> None:
    repo = GOLDEN["monorepo"]
    root, labels = build_repo(repo, tmp_path / "mono", git=False), resolve_labels(repo)
    worker = _finding(
        Category.error_handling,
        "gap",
        "Bare except swallows errors",
        [_evidence(root, "services/worker/worker.py", 8, 9)],
    )
    score = score_report(make_report([worker]), labels, root)
    assert score.categories[Category.error_handling].precision == 0.0
    assert "outside the scope services/api" in score.contradicted[0]


def test_a_redacted_secret_in_a_snippet_is_still_a_valid_citation(
    flask: tuple[Path, Labels],
) -> None:
    root, labels = flask
    line = next(lb for lb in labels.findings if lb.topics[0] == "secret").start_line
    assert line is not None
    masked = ingest_repository(root).evidence("app.py", line)
    assert "[REDACTED:" in masked.snippet and masked.snippet.startswith('app.config["SECRET_KEY"]')
    forged = masked.model_copy(
        update={"snippet": masked.snippet.replace('"SECRET_KEY"', '"TOKEN"')}
    )
    findings = [
        _finding(Category.security, "gap", "Hard-coded secret", [masked]),
        _finding(Category.security, "gap", "Hard-coded secret", [forged]),
    ]
    score = score_report(make_report(findings), labels, root)
    assert (score.citations_valid, score.citations_total) == (1, 2)


def test_a_finding_that_agrees_with_a_labelled_fact_counts_as_right(
    flask: tuple[Path, Labels],
) -> None:
    root, labels = flask
    labels = labels.model_copy(
        update={"facts": [ExpectedFact(check_id="DOC005", outcome=Outcome.failed)]}
    )
    readme = [_evidence(root, "README.md", 1, 1)]
    agreeing = _finding(Category.documentation, "gap", "No license", readme, check_id="DOC005")
    silent = _finding(Category.documentation, "gap", "No changelog", readme, check_id="DOC003")
    score = score_report(make_report([agreeing, silent]), labels, root)
    docs = score.categories[Category.documentation]
    assert (docs.confirmed, docs.contradicted, docs.precision) == (1, 0, 1.0)
    assert docs.match_rate == 0.0
    assert score.unmatched == ["documentation/gap: No changelog @ README.md:1"]


def test_category_verdicts_are_checked_against_the_accepted_ones(
    flask: tuple[Path, Labels],
) -> None:
    root, labels = flask
    report = make_report(perfect_findings(root, labels))
    report.categories = [
        CategoryAssessment(
            id=Category.security, title="Security", verdict=Verdict.failed, summary=""
        ),
        CategoryAssessment(
            id=Category.testing, title="Testing", verdict=Verdict.passed, summary=""
        ),
    ]
    score = score_report(report, labels, root)
    assert labels.verdicts  # flask-risky labels security, testing and configuration
    assert score.totals().verdicts_labelled == len(labels.verdicts)
    assert score.categories[Category.security].verdict_accuracy == 1.0
    assert score.categories[Category.testing].verdict_accuracy == 0.0
    assert "testing: got pass, labelled fail" in score.verdict_errors
    assert any(e.startswith("configuration: got absent") for e in score.verdict_errors)
