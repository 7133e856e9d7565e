"""The scoring policy: weighted items, verdicts, the status, and what a model may move."""

from pipeline.questions import answer_questions
from pipeline.schemas import (
    Category,
    CategoryAssessment,
    Evidence,
    Finding,
    Outcome,
    Profile,
    Severity,
    Verdict,
    Waiver,
)
from pipeline.scoring import (
    adjust_severity,
    assess_categories,
    findings_from_checks,
    overall_score,
    status,
)
from pipeline.scoring.policy import NEAR_READY, NOT_READY, READY, items, score, verdict
from tests.spine.factories import check

T = Category.testing


def category_of(assessed: list[CategoryAssessment]) -> CategoryAssessment:
    return next(a for a in assessed if a.id == T)


def test_score_is_the_severity_weighted_share_of_passing_checks():
    checks = [
        check("A", T, Outcome.passed, Severity.critical),  # weight 5
        check("B", T, Outcome.failed, Severity.low),  # weight 1
        check("C", T, Outcome.not_applicable, Severity.high),  # does not count
        check("D", T, Outcome.cannot_determine, Severity.high),  # neither gap nor strength
    ]
    assert category_of(assess_categories(checks, findings_from_checks(checks))).score == round(
        500 / 6
    )


def test_a_waived_failure_does_not_count_and_its_gap_is_muted():
    checks = [check("A", T, Outcome.passed), check("B", T, Outcome.failed)]
    checks[1] = checks[1].model_copy(update={"waiver": Waiver.accepted_risk})
    findings = findings_from_checks(checks)
    assert category_of(assess_categories(checks, findings)).score == 100
    assert [f.muted for f in findings if f.kind == "gap"] == [True]
    assert status(100, findings) == READY


def llm(kind: str, severity: Severity, evidence: bool = True) -> Finding:
    cited = [Evidence(path="a.py", start_line=1, end_line=1, snippet="x")] if evidence else []
    return Finding(
        id=f"L-{kind}",
        category=T,
        kind=kind,
        severity=severity,
        title="t",
        source="llm",
        evidence=cited,
    )


def test_only_verified_model_findings_move_a_score_and_probe_gaps_count_once():
    checks = [check("A", T, Outcome.passed), check("B", T, Outcome.failed)]
    base = findings_from_checks(checks)
    assert category_of(assess_categories(checks, base)).score == 50
    with_gap = category_of(assess_categories(checks, [*base, llm("gap", Severity.high)])).score
    assert with_gap == round(100 * 3 / 9)  # the model's high gap weighs like a failed check
    unverified = category_of(assess_categories(checks, [*base, llm("gap", Severity.high, False)]))
    assert unverified.score == 50


def test_a_model_cannot_score_a_category_without_verified_findings():
    checks = [check("A", T, Outcome.not_applicable)]
    assert category_of(assess_categories(checks, [])).verdict is Verdict.not_applicable
    assert (
        category_of(assess_categories(checks, [llm("strength", Severity.low, False)])).score is None
    )
    assert verdict([], []) is Verdict.insufficient_evidence
    assert score([]) is None


def test_a_critical_failure_fails_the_category_and_caps_the_status():
    checks = [check(f"P{i}", T, Outcome.passed, Severity.low) for i in range(20)]
    checks.append(check("X", T, Outcome.failed, Severity.critical))
    assert verdict(checks, items(checks, [])) is Verdict.failed
    findings = findings_from_checks(checks)
    assert status(90, findings) == NOT_READY
    high_only = findings_from_checks([check("H", T, Outcome.failed, Severity.high)])
    assert status(90, high_only) == NEAR_READY


def test_overall_is_weighted_by_category():
    assessments = [
        CategoryAssessment(id=Category.testing, title="T", score=100, verdict="pass", summary=""),
        CategoryAssessment(id=Category.data, title="D", score=0, verdict="fail", summary=""),
        CategoryAssessment(
            id=Category.security, title="S", score=None, verdict="not_applicable", summary=""
        ),
    ]
    # testing weighs 1.5 and data 0.75; the unscored category is left out
    assert overall_score(assessments) == round(150 / 2.25)


def test_low_priority_gaps_alone_never_fail_a_category():
    # One missing benchmark is not a failed Performance review: partial at worst.
    only_low = [check("PERF004", Category.performance, Outcome.failed, Severity.low)]
    [performance] = [a for a in assess_categories(only_low, []) if a.id is Category.performance]
    assert performance.score == 0
    assert performance.verdict is Verdict.partial
    medium = [check("PERF005", Category.performance, Outcome.failed, Severity.medium)]
    [performance] = [a for a in assess_categories(medium, []) if a.id is Category.performance]
    assert performance.verdict is Verdict.failed


def _profile(*kinds: str, **conditions: bool) -> Profile:
    return Profile(kinds=list(kinds), conditions=conditions)


def test_severity_is_lowered_in_context_and_the_report_says_why():
    logging = check("OBS001", Category.observability, Outcome.failed, Severity.high)
    evaluation = check("SEC002", Category.security, Outcome.failed, Severity.high)
    [log_lib, eval_lib] = adjust_severity([logging, evaluation], _profile("library"))
    assert log_lib.severity is Severity.low and "library" in log_lib.severity_note
    assert eval_lib.severity is Severity.medium and "serves no network" in eval_lib.severity_note
    # The same facts in a web service keep the probe's severity, with no note.
    [log_web, eval_web] = adjust_severity([logging, evaluation], _profile("web_service"))
    assert (log_web.severity, eval_web.severity) == (Severity.high, Severity.high)
    assert log_web.severity_note == eval_web.severity_note == ""
    # A library that also ships a service is judged as the service.
    [_, both] = adjust_severity([logging, evaluation], _profile("library", "web_service"))
    assert both.severity is Severity.high


def test_severity_is_never_raised_and_an_undecided_profile_changes_nothing():
    already_low = check("OBS001", Category.observability, Outcome.failed, Severity.low)
    [same] = adjust_severity([already_low], _profile("cli"))
    assert same.severity is Severity.low and same.severity_note == ""
    high = check("OBS001", Category.observability, Outcome.failed, Severity.high)
    [unknown] = adjust_severity([high], _profile())
    assert unknown.severity is Severity.high


def test_outbound_and_error_handling_weigh_less_outside_a_long_running_service():
    timeouts = check("REL001", Category.reliability, Outcome.failed, Severity.high)
    swallowed = check("ERR002", Category.error_handling, Outcome.failed, Severity.high)
    [cli_timeouts, cli_swallowed] = adjust_severity([timeouts, swallowed], _profile("cli"))
    assert cli_timeouts.severity is Severity.low and "interrupt" in cli_timeouts.severity_note
    assert cli_swallowed.severity is Severity.medium
    [web_timeouts, web_swallowed] = adjust_severity([timeouts, swallowed], _profile("web_service"))
    assert (web_timeouts.severity, web_swallowed.severity) == (Severity.high, Severity.high)


def test_a_javascript_app_logs_to_the_console_and_a_python_service_does_not():
    logging = check("OBS001", Category.observability, Outcome.failed, Severity.high)
    js_app = Profile(kinds=["app"], languages={"typescript": 40, "json": 3})
    [lowered] = adjust_severity([logging], js_app)
    assert lowered.severity is Severity.low and "console" in lowered.severity_note
    python_service = Profile(kinds=["web_service"], languages={"python": 30, "typescript": 5})
    [kept] = adjust_severity([logging], python_service)
    assert kept.severity is Severity.high


def test_a_fact_that_is_no_gap_for_research_code_makes_no_gap_and_no_score():
    concurrency = check("TST012", T, Outcome.failed, Severity.low)
    [research] = adjust_severity([concurrency], _profile("research"))
    assert "research" in research.advisory and research.outcome is Outcome.failed
    assert findings_from_checks([research]) == []
    assert items([research], []) == []  # not scored either way
    assert category_of(assess_categories([research], [])).verdict is Verdict.not_applicable
    # The fact still answers its question: research code has no concurrency tests.
    answers = {
        a.id: a for a in answer_questions([research], _profile("research", application=True))
    }
    assert answers["testing.concurrency"].answer == "no"
    # The same failure in a service is a gap, scored.
    [service] = adjust_severity([concurrency], _profile("web_service"))
    assert service.advisory == ""
    assert [f.kind for f in findings_from_checks([service])] == ["gap"]
    assert category_of(assess_categories([service], [])).score == 0


def test_a_probe_advisory_stands_whatever_the_profile():
    docs = check("DOC006", Category.documentation, Outcome.failed, Severity.low)
    docs = docs.model_copy(update={"advisory": "one module"})
    [kept] = adjust_severity([docs], _profile("web_service"))
    assert kept.advisory == "one module" and findings_from_checks([kept]) == []


def test_domain_error_types_are_a_gap_for_a_service_not_a_tool_or_a_library():
    errors = check("ERR008", Category.error_handling, Outcome.failed, Severity.low)
    for kinds in (("cli",), ("library",), ("cli", "library")):
        [tool] = adjust_severity([errors], _profile(*kinds))
        assert "command-line tool or a library" in tool.advisory
    for kinds in (("web_service",), ("sdk", "library"), ("library", "web_service")):
        [kept] = adjust_severity([errors], _profile(*kinds))
        assert kept.advisory == ""


def test_research_code_owes_no_release_process_and_its_missing_tests_weigh_medium():
    for check_id in ("CQ008", "DOC003", "DEP009", "OBS003"):
        fact = check(check_id, Category.documentation, Outcome.failed, Severity.low)
        [research] = adjust_severity([fact], _profile("research"))
        assert "research code" in research.advisory
        [service] = adjust_severity([fact], _profile("web_service"))
        assert service.advisory == ""
    tests = check("TST001", T, Outcome.failed, Severity.critical)
    [lowered] = adjust_severity([tests], _profile("research"))
    assert lowered.severity is Severity.medium and lowered.advisory == ""


def test_a_librarys_silence_backups_and_tls_option_are_its_callers_concern():
    facts = [
        check("OBS009", Category.observability, Outcome.failed, Severity.low),
        check("SEC026", Category.security, Outcome.failed, Severity.low),
        check("DATA002", Category.data, Outcome.failed, Severity.high),
        check("PERF006", Category.performance, Outcome.failed, Severity.low),
    ]
    for result in adjust_severity(facts, _profile("library")):
        assert "library" in result.advisory, result.id
    # A library that also serves requests is judged as the service.
    for result in adjust_severity(facts, _profile("library", "web_service")):
        assert result.advisory == "", result.id


def test_a_tools_opt_in_tls_switch_is_its_users_choice_not_a_services():
    tls = check("SEC026", Category.security, Outcome.failed, Severity.low)
    for kinds in (("cli",), ("cli", "library")):
        [tool] = adjust_severity([tls], _profile(*kinds))
        assert "command-line tool" in tool.advisory, kinds
    for kinds in (("web_service",), ("cli", "web_service"), ("cli", "worker")):
        [kept] = adjust_severity([tls], _profile(*kinds))
        assert kept.advisory == "", kinds


def test_a_self_contained_librarys_api_tests_are_its_end_to_end_tests():
    e2e = check("TST007", Category.testing, Outcome.failed, Severity.low)
    [pure] = adjust_severity([e2e], _profile("library"))
    assert "self-contained library" in pure.advisory
    for profile in (_profile("library", outbound=True), _profile("sdk", "library")):
        [kept] = adjust_severity([e2e], profile)
        assert kept.advisory == ""


def test_a_tools_own_files_and_research_coverage_weigh_less():
    backup = check("DATA002", Category.data, Outcome.failed, Severity.medium)
    [tool] = adjust_severity([backup], _profile("cli"))
    assert "command-line tool" in tool.advisory
    [db_tool] = adjust_severity([backup], _profile("cli", database=True))
    assert db_tool.advisory == ""
    coverage = check("TST003", Category.testing, Outcome.failed, Severity.medium)
    [research] = adjust_severity([coverage], _profile("research"))
    assert research.severity is Severity.low


def test_research_codes_broad_handlers_and_checkpoint_loads_weigh_low():
    for check_id, severity in (("ERR009", Severity.medium), ("SEC004", Severity.high)):
        fact = check(check_id, Category.security, Outcome.failed, severity)
        [research] = adjust_severity([fact], _profile("research"))
        assert research.severity is Severity.low and "research code" in research.severity_note
        [service] = adjust_severity([fact], _profile("web_service"))
        assert service.severity is severity
