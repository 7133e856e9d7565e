"""The scoring policy: what counts, how much, and what a category's verdict is.

The formula (also in the README):

* Items are the applicable checks (passed or failed, not waived) and the verified findings a
  model added (a strength counts as a pass, a gap as a fail). Not applicable, errored,
  ``cannot_determine`` and waived checks do not count, nor do advisory ones: failures that
  state a fact which is no gap for this kind of software (listed apart in the report), nor
  suspicions: failures whose pattern may or may not be a hazard (``scoring/confirm.py``),
  which go to the reviewer.
* A category's score is the severity-weighted share of its items that pass (critical 5,
  high 3, medium 2, low 1).
* Its verdict: pass at 80% or more with no failed critical or high item, fail below 50% or
  with a failed critical item, partial between. Low-priority gaps alone never fail a
  category (one missing benchmark is not a failed Performance review): at worst partial.
  A model cannot overrule a fact: a finding that contradicts a check is dropped before it
  gets here.
* A category with no item has no score: ``not_applicable`` when every check is not
  applicable or waived, else ``insufficient_evidence``.
* The overall score is the category-weighted mean of the scored categories.
* Status: "Production ready" at 85 or more with no open critical or high gap; "Near
  production ready" at 70 or more with no open critical gap; otherwise "Not production ready".
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.schemas import CheckResult, Finding, Outcome, Severity, Verdict

SEVERITY_WEIGHT: dict[Severity, int] = {
    Severity.critical: 5,
    Severity.high: 3,
    Severity.medium: 2,
    Severity.low: 1,
}
READY, NEAR_READY, NOT_READY = "Production ready", "Near production ready", "Not production ready"


def is_applicable(check: CheckResult) -> bool:
    """Whether a check counts: it passed or failed, its owners did not waive it, and it is
    not a fact that is no gap for this software (``advisory``)."""
    return (
        check.outcome in (Outcome.passed, Outcome.failed)
        and check.waiver is None
        and not check.advisory
        and not check.to_confirm
    )


@dataclass(frozen=True)
class Item:
    """One scored unit: a check or a verified model finding."""

    severity: Severity
    passed: bool


def items(checks: list[CheckResult], findings: list[Finding]) -> list[Item]:
    """The scored items of one category: applicable checks, then verified model findings."""
    scored = [Item(c.severity, c.outcome is Outcome.passed) for c in checks if is_applicable(c)]
    scored += [
        Item(f.severity, f.kind == "strength")
        for f in findings
        if f.source == "llm" and f.evidence and not f.muted
    ]
    return scored


def share(scored: list[Item]) -> float:
    """The severity-weighted share of items that pass."""
    total = sum(SEVERITY_WEIGHT[i.severity] for i in scored)
    passed = sum(SEVERITY_WEIGHT[i.severity] for i in scored if i.passed)
    return passed / total if total else 0.0


def verdict(checks: list[CheckResult], scored: list[Item]) -> Verdict:
    """pass, partial or fail from the weighted share; or why the category has no score."""
    if not scored:
        # A suspicion left to confirm is a question still open, not a check that does not
        # apply.
        if (
            checks
            and not any(c.to_confirm for c in checks)
            and all(c.outcome is Outcome.not_applicable or c.waiver or c.advisory for c in checks)
        ):
            return Verdict.not_applicable
        return Verdict.insufficient_evidence
    failed = [i for i in scored if not i.passed]
    ratio = share(scored)
    serious = [i for i in failed if i.severity is not Severity.low]
    if any(i.severity is Severity.critical for i in failed) or (ratio < 0.5 and serious):
        return Verdict.failed
    if ratio >= 0.8 and not any(i.severity is Severity.high for i in failed):
        return Verdict.passed
    return Verdict.partial


def score(scored: list[Item]) -> int | None:
    """The category score (0-100), None when nothing can be scored."""
    return round(100 * share(scored)) if scored else None


def overall(weighted: list[tuple[float, int]]) -> int | None:
    """The weighted mean of (category weight, score) pairs, None when there are none."""
    if not weighted:
        return None
    return round(sum(w * s for w, s in weighted) / sum(w for w, _ in weighted))


def status(overall_score: int | None, findings: list[Finding]) -> str:
    """The headline status, from the overall score and the open gaps."""
    open_gaps = {f.severity for f in findings if f.kind == "gap" and not f.muted}
    if overall_score is None:
        return "Not assessed: nothing to assess"
    if overall_score >= 85 and not open_gaps & {Severity.critical, Severity.high}:
        return READY
    if overall_score >= 70 and Severity.critical not in open_gaps:
        return NEAR_READY
    return NOT_READY
