"""Score: the policy that turns facts and verified findings into categories and a status.

The one owner of weights, applicability and verdicts (after OpenSSF Scorecard's
``checks/evaluation``): probes report facts, judges report findings, and only this package
decides what they are worth. Nothing here asks a model anything.
"""

from __future__ import annotations

from pipeline.rubric import CATEGORIES
from pipeline.schemas import CategoryAssessment, CheckResult, Finding
from pipeline.scoring.confirm import SUSPICIONS, mark_suspicions
from pipeline.scoring.findings import finding_id, findings_from_checks
from pipeline.scoring.policy import (
    SEVERITY_WEIGHT,
    is_applicable,
    items,
    overall,
    score,
    status,
    verdict,
)
from pipeline.scoring.severity import adjust_severity
from pipeline.scoring.summary import summarize
from pipeline.scoring.waivers import apply_waivers

__all__ = [
    "SEVERITY_WEIGHT",
    "SUSPICIONS",
    "adjust_severity",
    "apply_waivers",
    "assess_categories",
    "finding_id",
    "findings_from_checks",
    "is_applicable",
    "mark_suspicions",
    "overall_score",
    "status",
]


def assess_categories(
    checks: list[CheckResult], findings: list[Finding], summaries: dict[str, str] | None = None
) -> list[CategoryAssessment]:
    """One assessment per category, in the canonical order.

    ``summaries`` are a judge's own words for a category; without one, the summary is
    rendered from the facts.
    """
    summaries = summaries or {}
    assessments = []
    for category, spec in CATEGORIES.items():
        own_checks = [c for c in checks if c.category == category]
        scored = items(own_checks, [f for f in findings if f.category == category])
        assessments.append(
            CategoryAssessment(
                id=category,
                title=spec.title,
                score=score(scored),
                verdict=verdict(own_checks, scored),
                summary=summaries.get(category.value) or summarize(spec.title, own_checks),
            )
        )
    return assessments


def overall_score(assessments: list[CategoryAssessment]) -> int | None:
    """The category-weighted mean of the scored categories (None when none is scored)."""
    return overall([(CATEGORIES[a.id].weight, a.score) for a in assessments if a.score is not None])
