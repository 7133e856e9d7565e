from pipeline.judge.offline import findings_from_checks, verdict_from_checks
from pipeline.schemas import (
    Category,
    CategoryJudgement,
    Finding,
    Outcome,
    Severity,
    Verdict,
    Waiver,
)
from pipeline.scoring import (
    NEAR_READY,
    NOT_READY,
    READY,
    category_score,
    overall_score,
    status,
)
from tests.spine.factories import check

T = Category.testing


def judged(checks, verdict=None):
    return CategoryJudgement(
        category=T, verdict=verdict or verdict_from_checks(checks), summary="s"
    )


def test_score_is_the_severity_weighted_share_of_passing_checks():
    checks = [
        check("A", T, Outcome.passed, Severity.critical),  # weight 5
        check("B", T, Outcome.failed, Severity.low),  # weight 1
        check("C", T, Outcome.not_applicable, Severity.high),  # does not count
    ]
    assert category_score(judged(checks), checks, findings_from_checks(checks)) == round(500 / 6)


def test_a_waived_failure_does_not_count_and_its_gap_is_muted():
    checks = [check("A", T, Outcome.passed), check("B", T, Outcome.failed)]
    checks[1] = checks[1].model_copy(update={"waiver": Waiver.accepted_risk})
    findings = findings_from_checks(checks)
    assert category_score(judged(checks), checks, findings) == 100
    assert [f.muted for f in findings if f.kind == "gap"] == [True]
    assert status(100, findings) == READY


def test_llm_gaps_take_points_off_but_probe_gaps_are_not_counted_twice():
    checks = [check("A", T, Outcome.passed), check("B", T, Outcome.failed)]
    llm_gap = Finding(
        id="F1", category=T, kind="gap", severity=Severity.high, title="t", source="llm"
    )
    base = category_score(judged(checks), checks, findings_from_checks(checks))
    assert base == 50
    with_llm = category_score(judged(checks), checks, [*findings_from_checks(checks), llm_gap])
    assert with_llm == 40


def test_categories_without_evidence_are_not_scored_and_not_averaged():
    checks = [check("A", T, Outcome.not_applicable)]
    assert verdict_from_checks(checks) is Verdict.not_applicable
    assert verdict_from_checks([]) is Verdict.insufficient_evidence
    assert category_score(judged(checks), checks, []) is None


def test_a_critical_failure_fails_the_category_and_caps_the_status():
    checks = [check(f"P{i}", T, Outcome.passed, Severity.low) for i in range(20)]
    checks.append(check("X", T, Outcome.failed, Severity.critical))
    assert verdict_from_checks(checks) is Verdict.failed
    findings = findings_from_checks(checks)
    assert status(90, findings) == NOT_READY
    high_only = findings_from_checks([check("H", T, Outcome.failed, Severity.high)])
    assert status(90, high_only) == NEAR_READY


def test_overall_is_weighted_by_category():
    from pipeline.schemas import CategoryAssessment

    assessments = [
        CategoryAssessment(id=Category.testing, title="T", score=100, verdict="pass", summary=""),
        CategoryAssessment(id=Category.data, title="D", score=0, verdict="fail", summary=""),
        CategoryAssessment(
            id=Category.security, title="S", score=None, verdict="not_applicable", summary=""
        ),
    ]
    # testing weighs 1.5 and data 0.75; the unscored category is left out
    assert overall_score(assessments) == round(150 / 2.25)
