"""Questions: the reviewer's questions that apply to this software, settled or left open.

Each question of the rubric (``pipeline/rubric/questions.toml``) either does not apply to the
profile (``not_applicable``), is settled by the probes named in ``settled_by`` (``answered``),
or stays ``open``: for a model to answer with cited code, or for the reviewer with pointers.
An answer is the question's healthy value when its probes pass, the other when they fail,
``partly`` when they disagree or one says its evidence covers only part of the question.
"""

from __future__ import annotations

from typing import Any

from pipeline.rubric.questions import Question, questions
from pipeline.schemas import CheckResult, Outcome, Profile, QuestionAnswer

# Profile questions answered by a condition of the profile.
_PROFILE_CONDITIONS = {
    "profile.network_service": "service",
    "profile.database": "database",
    "profile.outbound": "outbound",
}


def holds(profile: Profile, condition: str) -> bool:
    """Whether a condition (``all``, ``service``, ``service|worker``...) holds for the profile."""
    return any(
        name.strip() == "all" or profile.conditions.get(name.strip(), False)
        for name in condition.split("|")
    )


def settle(question: Question, checks: list[CheckResult]) -> tuple[str | None, list[CheckResult]]:
    """The answer the probes give to ``question``, and the checks it rests on.

    None when no probe answered: none ran, or each was not applicable, errored or could not
    tell (then the answer is ``cannot_determine`` if any said so).
    """
    by_id = {c.id: c for c in checks}
    ran = [by_id[i] for i in question.settled_by if i in by_id]
    # A suspicion (a failure to confirm) settles nothing, and no pass outweighs it unless
    # one pass is enough for the question.
    unsure = [c for c in ran if c.outcome is Outcome.failed and c.to_confirm]
    decided = [c for c in ran if c.outcome in (Outcome.passed, Outcome.failed) and not c.to_confirm]
    settled_by_a_pass = question.settle == "any" and any(
        c.outcome is Outcome.passed for c in decided
    )
    if unsure and not settled_by_a_pass and not any(c.outcome is Outcome.failed for c in decided):
        return "cannot_determine", unsure
    if not decided:
        if any(c.outcome is Outcome.cannot_determine for c in ran):
            return "cannot_determine", [c for c in ran if c.outcome is Outcome.cannot_determine]
        if ran and all(c.outcome is Outcome.not_applicable for c in ran):
            return "not_applicable", ran
        return None, []
    passed = [c for c in decided if c.outcome is Outcome.passed]
    if any(c.partial for c in decided) and not (
        question.settle == "any" and any(not c.partial for c in passed)
    ):
        return "partly", decided
    if len(passed) == len(decided) or (question.settle == "any" and passed):
        return question.good, passed
    if not passed:
        return question.bad, decided
    return "partly", decided


def answer_questions(checks: list[CheckResult], profile: Profile) -> list[QuestionAnswer]:
    """Every question, answered from the profile and the probes, or left open."""
    answers = []
    for q in questions():
        if q.id == "profile.kind":
            continue  # the profile itself is the answer, shown first in the report
        if q.id in _PROFILE_CONDITIONS:
            value = "yes" if holds(profile, _PROFILE_CONDITIONS[q.id]) else "no"
            answers.append(_answer(q, status="answered", answer=value, source="profile"))
            continue
        missing = [c for c in q.applies if not holds(profile, c)]
        if missing:
            answers.append(
                _answer(
                    q,
                    status="not_applicable",
                    answer="not_applicable",
                    source="profile",
                    reason=f"the software is not: {', '.join(missing)}",
                )
            )
            continue
        settled, rests_on = settle(q, checks)
        if settled in (None, "cannot_determine"):
            answers.append(
                _answer(
                    q,
                    status="open",
                    answer=settled,
                    settled_by=[c.id for c in rests_on],
                    reason="; ".join(c.message for c in rests_on)[:400],
                )
            )
            continue
        status = "not_applicable" if settled == "not_applicable" else "answered"
        answers.append(
            _answer(
                q,
                status=status,
                answer=settled,
                source="probe",
                settled_by=[c.id for c in rests_on],
                evidence=[e for c in rests_on for e in c.evidence][:3],
            )
        )
    return answers


def _answer(question: Question, **fields: Any) -> QuestionAnswer:
    return QuestionAnswer(
        id=question.id, category=question.category, ask=question.ask, good=question.good, **fields
    )
