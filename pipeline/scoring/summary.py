"""A category's summary in words, rendered from its facts."""

from __future__ import annotations

from pipeline.schemas import SEVERITY_ORDER, CheckResult, Outcome
from pipeline.scoring.policy import is_applicable
from pipeline.templates import render


def summarize(title: str, checks: list[CheckResult]) -> str:
    """One paragraph on a category, rendered from its facts."""
    applicable = [c for c in checks if is_applicable(c)]
    failed = sorted(
        (c for c in applicable if c.outcome is Outcome.failed),
        key=lambda c: SEVERITY_ORDER[c.severity],
    )
    return render(
        "offline/summary.j2",
        title=title,
        applicable=applicable,
        passed=[c for c in applicable if c.outcome is Outcome.passed],
        failed=failed,
        waived=[c for c in checks if c.waiver is not None],
        not_applicable=[c for c in checks if c.outcome is Outcome.not_applicable],
        unsure=[c for c in checks if c.outcome is Outcome.cannot_determine or c.to_confirm],
    ).strip()
