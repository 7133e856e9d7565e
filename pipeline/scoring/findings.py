"""The findings the facts make: a gap per failed check, a strength per passed one.

One topic, one status: each finding comes from exactly one probe outcome, so the same fact
is never a strength in one table and a gap in another. Prose comes from templates.
"""

from __future__ import annotations

import hashlib

from pipeline.schemas import SEVERITY_ORDER, CheckResult, Finding, Outcome
from pipeline.templates import render


def finding_id(*parts: str) -> str:
    """A stable id for a finding from what identifies it."""
    return "F" + hashlib.sha256("\0".join(parts).encode()).hexdigest()[:10]


def findings_from_checks(checks: list[CheckResult]) -> list[Finding]:
    """A gap per failed check and a strength per passed one.

    Waived failures stay in the list, muted, so the report can show them apart. An advisory
    failure makes no finding: the report lists it with the reason it is no gap here; nor does
    a suspicion (``to_confirm``): the report hands it to the reviewer.
    """
    findings = []
    for check in checks:
        if check.outcome not in (Outcome.passed, Outcome.failed) or check.advisory:
            continue
        if check.to_confirm:  # a suspicion: the reviewer's to confirm
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


def suspicion_findings(checks: list[CheckResult]) -> list[Finding]:
    """The suspicions (failures to confirm, not waived) shaped as gaps, for the gates and
    SARIF only: a gate blocks on what may be a gap, a new secret-like literal above all,
    until a reviewer confirms or waives it. The report itself claims no gap of them."""
    return [
        Finding(
            id=finding_id(check.id, "to_confirm"),
            category=check.category,
            kind="gap",
            severity=check.severity,
            title=f"{check.title} (to confirm)",
            recommendation=f"Confirm {check.to_confirm}.",
            source="probe",
            check_id=check.id,
            evidence=check.evidence,
        )
        for check in checks
        if check.to_confirm and check.waiver is None
    ]
