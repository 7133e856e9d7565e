"""How a question is settled from its probes: healthy, unhealthy, partly."""

from __future__ import annotations

from pipeline.questions import settle
from pipeline.rubric.questions import Question
from pipeline.schemas import Category, CheckResult, Outcome, Severity


def _check(cid: str, outcome: Outcome, partial: bool = False) -> CheckResult:
    return CheckResult(
        id=cid,
        category=Category.deployment,
        severity=Severity.low,
        title=cid,
        outcome=outcome,
        message="",
        partial=partial,
    )


def _question(settle_by: str = "all") -> Question:
    return Question(
        id="q",
        category="deployment",
        ask="?",
        good="yes",
        applies=("all",),
        settled_by=("A", "B"),
        settle=settle_by,
    )


def test_probes_that_agree_settle_the_question_and_disagreeing_ones_make_it_partly() -> None:
    q = _question()
    assert settle(q, [_check("A", Outcome.passed), _check("B", Outcome.passed)])[0] == "yes"
    assert settle(q, [_check("A", Outcome.failed), _check("B", Outcome.failed)])[0] == "no"
    assert settle(q, [_check("A", Outcome.passed), _check("B", Outcome.failed)])[0] == "partly"


def test_a_check_whose_evidence_covers_part_of_the_question_makes_it_partly() -> None:
    q = _question()
    assert settle(q, [_check("A", Outcome.failed, partial=True)])[0] == "partly"
    assert settle(q, [_check("A", Outcome.passed, partial=True)])[0] == "partly"
    # With settle = "any", one full pass is enough; a partial one is not.
    anyq = _question("any")
    full = [_check("A", Outcome.passed), _check("B", Outcome.failed, partial=True)]
    assert settle(anyq, full)[0] == "yes"
    assert settle(anyq, [_check("A", Outcome.passed, partial=True)])[0] == "partly"
