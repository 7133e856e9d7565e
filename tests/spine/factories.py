"""Hand-made checks and reports for the stage tests."""

from __future__ import annotations

from pipeline.schemas import Category, CheckResult, Evidence, Outcome, Severity


def check(
    check_id: str,
    category: Category,
    outcome: Outcome,
    severity: Severity = Severity.high,
    path: str = "app.py",
    line: int = 3,
) -> CheckResult:
    return CheckResult(
        id=check_id,
        category=category,
        severity=severity,
        title=f"{check_id} title",
        outcome=outcome,
        message=f"{check_id} message",
        rationale=f"{check_id} impact",
        remediation=f"{check_id} remedy",
        evidence=[Evidence(path=path, start_line=line, end_line=line, snippet="x = 1")]
        if outcome in (Outcome.passed, Outcome.failed)
        else [],
    )
