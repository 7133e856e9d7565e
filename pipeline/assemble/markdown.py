"""The Markdown report: the view the template reads, grouped once from the report."""

from __future__ import annotations

import re

from pipeline.schemas import (
    KIND_NAMES,
    SEVERITY_ORDER,
    Category,
    CategoryAssessment,
    Finding,
    Outcome,
    Report,
    Severity,
    Verdict,
)
from pipeline.templates import render

VERDICT_LABEL = {
    Verdict.passed: "✅ Pass",
    Verdict.partial: "⚠️ Partial",
    Verdict.failed: "❌ Fail",
    Verdict.not_applicable: "➖ N/A",
    Verdict.insufficient_evidence: "❔ Insufficient evidence",
}
OUTCOME_LABEL = {
    Outcome.passed: "✅ pass",
    Outcome.failed: "❌ fail",
    Outcome.not_applicable: "➖ n/a",
    Outcome.error: "⚠️ error",
    Outcome.cannot_determine: "❔ cannot tell",
}
SEVERITY_HEADING = {
    Severity.critical: "Critical (must fix before production)",
    Severity.high: "High priority",
    Severity.medium: "Medium priority",
    Severity.low: "Low priority",
}
ROADMAP = (
    (Severity.critical, "Phase 1: Critical fixes (week 1)"),
    (Severity.high, "Phase 2: Stability (weeks 2-3)"),
    (Severity.medium, "Phase 3: Hardening (weeks 4-6)"),
    (Severity.low, "Phase 4: Polish (ongoing)"),
)


# Control characters that are not whitespace (whitespace is folded into spaces).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")


def cell(text: object) -> str:
    """Text made safe for one Markdown table cell: one line, no unescaped pipe.

    Every run of whitespace (line breaks of any kind: ``\\r``, U+2028, U+0085...) becomes one
    space and other control characters go, so the row stays one line; each pipe is escaped,
    which GitHub and markdown-it honour even inside code spans, so the cell stays one cell.
    """
    if text is None:
        return ""
    flat = " ".join(_CONTROL.sub("", str(text)).split())
    return flat.replace("|", "\\|")


def locations(finding: Finding, limit: int = 2) -> str:
    where = [f"`{e.location}`" for e in finding.evidence[:limit]]
    more = len(finding.evidence) - limit
    return ", ".join(where) + (f" (+{more})" if more > 0 else "") if where else "—"


def fence(snippet: str) -> str:
    """A code fence long enough that the snippet cannot close it."""
    ticks = 3
    while "`" * ticks in snippet:
        ticks += 1
    return "`" * ticks


def _strongest_and_weakest(
    categories: list[CategoryAssessment],
) -> tuple[list[CategoryAssessment], list[CategoryAssessment]]:
    """Up to three categories at 70% or more, and up to three below it, weakest first."""
    scored = sorted(
        (c for c in categories if c.score is not None), key=lambda c: (-(c.score or 0), c.title)
    )
    strong = [c for c in scored if (c.score or 0) >= 70][:3]
    weak = [c for c in reversed(scored) if (c.score or 0) < 70][:3]
    return strong, weak


def render_markdown(report: Report) -> str:
    """Render report.md from the one report: every section reads the same decisions."""
    findings = [f for f in report.findings if not f.muted]
    gaps = sorted(
        (f for f in findings if f.kind == "gap"),
        key=lambda f: (SEVERITY_ORDER[f.severity], f.category.value, f.title),
    )
    strengths = [f for f in findings if f.kind == "strength"]
    titles = {c.id: c.title for c in report.categories}
    strongest, weakest = _strongest_and_weakest(report.categories)
    # A suspicion the model settled with cited code shows with its answer, not as one to
    # confirm.
    suspected = {c.id for c in report.checks if c.to_confirm}
    answered = {i for q in report.questions if q.status == "answered" for i in q.settled_by}
    return render(
        "report/report.md.j2",
        report=report,
        titles=titles,
        gaps_by_severity={s: [g for g in gaps if g.severity is s] for s in Severity},
        strengths_by_category={
            c.id: [s for s in strengths if s.category == c.id]
            for c in report.categories
            if any(s.category == c.id for s in strengths)
        },
        security_checks=[c for c in report.checks if c.category == Category.security],
        muted=[f for f in report.findings if f.muted],
        waived=[c for c in report.checks if c.waiver is not None],
        advisory=[
            c
            for c in report.checks
            if c.advisory and c.outcome is Outcome.failed and c.waiver is None
        ],
        blockers=[g for g in gaps if g.severity in (Severity.critical, Severity.high)][:5],
        strongest=strongest,
        weakest=weakest,
        cited=[f for f in gaps + strengths if f.evidence],
        errors=[c for c in report.checks if c.outcome is Outcome.error],
        notes={c.id: c.severity_note for c in report.checks if c.severity_note},
        components=[
            ("Frameworks and libraries", report.profile.frameworks),
            ("Data stores", report.profile.datastores),
            ("External services it calls", report.profile.external_services),
            ("Entry points", report.profile.entry_points),
            ("Concurrency", report.profile.concurrency),
        ],
        # A question the probes left open on a suspicion is asked by the suspicion itself,
        # with its pointers and what to confirm; one a model tried and left open keeps its
        # reason.
        open_questions=[
            q
            for q in report.questions
            if q.status == "open"
            and not (q.source != "llm" and q.settled_by and set(q.settled_by) <= suspected)
        ],
        to_confirm=sorted(
            (c for c in report.checks if c.to_confirm and c.id not in answered),
            key=lambda c: (SEVERITY_ORDER[c.severity], c.id),
        ),
        model_answers=[q for q in report.questions if q.status == "answered" and q.source == "llm"],
        undetermined=[c for c in report.checks if c.outcome is Outcome.cannot_determine],
        outcome_counts={
            o: n for o in Outcome if (n := sum(1 for c in report.checks if c.outcome is o))
        },
        titles_by_value={c.id.value: c.title for c in report.categories},
        KIND_NAME=KIND_NAMES,
        VERDICT_LABEL=VERDICT_LABEL,
        OUTCOME_LABEL=OUTCOME_LABEL,
        SEVERITY_HEADING=SEVERITY_HEADING,
        ROADMAP=ROADMAP,
        Severity=Severity,
        cell=cell,
        locations=locations,
        fence=fence,
    )
