"""Score: category scores and the overall percentage, computed in code, never by a model.

The formula (also in the README):

* A category's base score is the severity-weighted share of its applicable checks that pass
  (critical 5, high 3, medium 2, low 1). Checks that are not applicable, errored, or waived
  by the owners (``readiness.toml``) do not count.
* Each open gap found by an LLM judge (not by a probe, whose gaps are already in the base)
  takes points off: critical 20, high 10, medium 5, low 2, at most 40 in all. A category
  with no applicable check but LLM findings starts from its verdict (pass 90, partial 60,
  fail 30).
* ``not_applicable`` and ``insufficient_evidence`` categories have no score.
* The overall score is the category-weighted mean of the scored categories.
* Status: "Production ready" at 85 or more with no open critical or high gap; "Near
  production ready" at 70 or more with no open critical gap; otherwise "Not production ready".
"""

from __future__ import annotations

from pipeline.categories import CATEGORIES
from pipeline.judge.offline import SEVERITY_WEIGHT, is_applicable
from pipeline.schemas import (
    CategoryAssessment,
    CategoryJudgement,
    CheckResult,
    Finding,
    Outcome,
    Severity,
    Verdict,
)

LLM_GAP_PENALTY = {Severity.critical: 20, Severity.high: 10, Severity.medium: 5, Severity.low: 2}
MAX_LLM_PENALTY = 40
VERDICT_BASE = {Verdict.passed: 90, Verdict.partial: 60, Verdict.failed: 30}
READY, NEAR_READY, NOT_READY = "Production ready", "Near production ready", "Not production ready"


def category_score(
    judgement: CategoryJudgement, checks: list[CheckResult], findings: list[Finding]
) -> int | None:
    """The score of one category, or None when it has nothing to be scored on."""
    if judgement.verdict in (Verdict.not_applicable, Verdict.insufficient_evidence):
        return None
    applicable = [c for c in checks if is_applicable(c)]
    if applicable:
        total = sum(SEVERITY_WEIGHT[c.severity] for c in applicable)
        passed = sum(SEVERITY_WEIGHT[c.severity] for c in applicable if c.outcome is Outcome.passed)
        base = 100 * passed / total
    else:
        base = VERDICT_BASE[judgement.verdict]
    penalty = sum(
        LLM_GAP_PENALTY[f.severity]
        for f in findings
        if f.source == "llm" and f.kind == "gap" and not f.muted
    )
    return max(0, round(base - min(penalty, MAX_LLM_PENALTY)))


def assess_categories(
    judgements: list[CategoryJudgement], checks: list[CheckResult], findings: list[Finding]
) -> list[CategoryAssessment]:
    """One assessment per category, in the canonical category order."""
    by_category = {j.category: j for j in judgements}
    assessments = []
    for category, spec in CATEGORIES.items():
        judgement = by_category[category]
        assessments.append(
            CategoryAssessment(
                id=category,
                title=spec.title,
                score=category_score(
                    judgement,
                    [c for c in checks if c.category == category],
                    [f for f in findings if f.category == category],
                ),
                verdict=judgement.verdict,
                summary=judgement.summary,
            )
        )
    return assessments


def overall_score(assessments: list[CategoryAssessment]) -> int | None:
    """The weighted mean of the scored categories (None when none is scored)."""
    scored = [(CATEGORIES[a.id].weight, a.score) for a in assessments if a.score is not None]
    if not scored:
        return None
    return round(sum(w * s for w, s in scored) / sum(w for w, _ in scored))


def status(overall: int | None, findings: list[Finding]) -> str:
    """The headline status, from the overall score and the open gaps."""
    open_gaps = {f.severity for f in findings if f.kind == "gap" and not f.muted}
    if overall is None:
        return "Not assessed: nothing to assess"
    if overall >= 85 and not open_gaps & {Severity.critical, Severity.high}:
        return READY
    if overall >= 70 and Severity.critical not in open_gaps:
        return NEAR_READY
    return NOT_READY
