"""The offline drafter: turns probe facts into findings and prose, with no LLM.

Every command works on a fresh machine with no key and no network because of this judge.
One topic, one status: each finding comes from exactly one probe outcome, so the same fact
is never a strength in one table and a gap in another.
"""

from __future__ import annotations

import hashlib

from pipeline.judge.base import JudgeInput
from pipeline.schemas import (
    SEVERITY_ORDER,
    CategoryJudgement,
    CheckResult,
    Finding,
    Outcome,
    Severity,
    Usage,
    Verdict,
)
from pipeline.templates import render

# Weight of a check in its category's score, by severity (also used by scoring).
SEVERITY_WEIGHT: dict[Severity, int] = {
    Severity.critical: 5,
    Severity.high: 3,
    Severity.medium: 2,
    Severity.low: 1,
}


def finding_id(*parts: str) -> str:
    """A stable id for a finding from what identifies it."""
    return "F" + hashlib.sha256("\0".join(parts).encode()).hexdigest()[:10]


def is_applicable(check: CheckResult) -> bool:
    """Whether a check counts: it passed or failed and its owners did not waive it."""
    return check.outcome in (Outcome.passed, Outcome.failed) and check.waiver is None


def findings_from_checks(checks: list[CheckResult]) -> list[Finding]:
    """A gap per failed check and a strength per passed one, prose from templates.

    Waived failures stay in the list, muted, so the report can show them apart.
    """
    findings = []
    for check in checks:
        if check.outcome not in (Outcome.passed, Outcome.failed):
            continue
        gap = check.outcome is Outcome.failed
        findings.append(
            Finding(
                id=finding_id(check.id, check.outcome.value),
                category=check.category,
                kind="gap" if gap else "strength",
                severity=check.severity,
                title=check.title if gap else check.message,
                impact=render("offline/gap.j2", check=check).strip() if gap else "",
                recommendation=render("offline/recommendation.j2", check=check).strip()
                if gap
                else "",
                source="probe",
                check_id=check.id,
                evidence=check.evidence,
                muted=check.waiver is not None,
            )
        )
    findings.sort(key=lambda f: (f.kind, SEVERITY_ORDER[f.severity], f.check_id or ""))
    return findings


def verdict_from_checks(checks: list[CheckResult]) -> Verdict:
    """pass, partial or fail from the weighted share of applicable checks that pass."""
    applicable = [c for c in checks if is_applicable(c)]
    if not applicable:
        if checks and all(c.outcome is Outcome.not_applicable or c.waiver for c in checks):
            return Verdict.not_applicable
        return Verdict.insufficient_evidence
    failed = [c for c in applicable if c.outcome is Outcome.failed]
    total = sum(SEVERITY_WEIGHT[c.severity] for c in applicable)
    share = 1 - sum(SEVERITY_WEIGHT[c.severity] for c in failed) / total
    if any(c.severity is Severity.critical for c in failed) or share < 0.5:
        return Verdict.failed
    if share >= 0.8 and not any(c.severity is Severity.high for c in failed):
        return Verdict.passed
    return Verdict.partial


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
    ).strip()


class OfflineJudge:
    """Judges a category from its probe facts alone; costs nothing and is reproducible."""

    name = "offline"

    async def judge(self, item: JudgeInput) -> tuple[CategoryJudgement, Usage]:
        checks = item.pack.checks
        judgement = CategoryJudgement(
            category=item.spec.id,
            verdict=verdict_from_checks(checks),
            summary=summarize(item.spec.title, checks),
            findings=[],  # the probe findings are added by the runner for every judge
        )
        return judgement, Usage()
