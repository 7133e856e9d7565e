"""Score one report against a golden repository's labels.

Findings are matched one-to-one to labels by category, kind, topic (probe id or a topic
keyword in the finding's text) and location (same file, overlapping lines). Labels come from
what was planted; the report is only ever the thing being judged.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, Field

from pipeline.evaluation.citations import citation_is_valid
from pipeline.evaluation.golden.spec import ExpectedFinding, Labels
from pipeline.ingest import ingest_repository
from pipeline.judge.citations import LineSource
from pipeline.schemas import Category, Evidence, Finding, Report

# Cited lines may sit a little off the planted line (a decorator, the enclosing call).
LINE_SLACK = 2

CitationCheck = Callable[[LineSource, Evidence], bool]


class CategoryCounts(BaseModel):
    """Raw counts for one category: metrics are ratios of these, summed across repositories."""

    reported: int = 0
    reported_matched: int = 0
    confirmed: int = 0
    contradicted: int = 0
    required: int = 0
    required_matched: int = 0
    severity_pairs: int = 0
    severity_agree: int = 0
    verdicts_labelled: int = 0
    verdicts_right: int = 0

    def add(self, other: CategoryCounts) -> None:
        """Accumulate another count into this one."""
        for name in type(self).model_fields:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def precision(self) -> float | None:
        """Of the findings the labels can judge, the share they say is right."""
        right = self.reported_matched + self.confirmed
        return ratio(right, right + self.contradicted)

    @property
    def match_rate(self) -> float | None:
        """Of every finding reported, the share that matches a planted label."""
        return ratio(self.reported_matched, self.reported)

    @property
    def recall(self) -> float | None:
        return ratio(self.required_matched, self.required)

    @property
    def severity_agreement(self) -> float | None:
        return ratio(self.severity_agree, self.severity_pairs)

    @property
    def verdict_accuracy(self) -> float | None:
        """Share of labelled categories whose verdict a reviewer would accept."""
        return ratio(self.verdicts_right, self.verdicts_labelled)


class RunScore(BaseModel):
    """How one report of one golden repository measured up."""

    repo: str
    run: int = 0
    error: str | None = None
    categories: dict[Category, CategoryCounts] = Field(default_factory=dict)
    missed: list[str] = Field(default_factory=list)
    unmatched: list[str] = Field(default_factory=list)
    contradicted: list[str] = Field(default_factory=list)
    severity_mismatches: list[str] = Field(default_factory=list)
    facts_total: int = 0
    facts_correct: int = 0
    fact_errors: list[str] = Field(default_factory=list)
    verdict_errors: list[str] = Field(default_factory=list)
    citations_total: int = 0
    citations_valid: int = 0
    invalid_citations: list[str] = Field(default_factory=list)
    schema_valid: bool = True
    overall_score: int | None = None
    category_scores: dict[Category, int | None] = Field(default_factory=dict)
    finding_keys: list[str] = Field(default_factory=list)
    seconds: float = 0.0
    llm_requests: int = 0
    reasks: int = 0
    dropped_findings: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0

    def totals(self) -> CategoryCounts:
        """Counts summed over every category."""
        total = CategoryCounts()
        for counts in self.categories.values():
            total.add(counts)
        return total


def ratio(numerator: int, denominator: int) -> float | None:
    """``numerator / denominator``, or ``None`` when there is nothing to divide."""
    return numerator / denominator if denominator else None


def _finding_text(finding: Finding) -> str:
    return " ".join(
        part for part in (finding.title, finding.impact, finding.recommendation) if part
    ).lower()


def _mentions(text: str, topics: tuple[str, ...]) -> bool:
    # A word-start match: "test" finds "tests" and "testing", "ci" does not find "precise".
    return any(re.search(r"(?<![a-z0-9])" + re.escape(t.lower()), text) for t in topics)


def same_path(cited: str, planted: str) -> bool:
    """Whether a cited path names the planted file (paths may be relative to a scope)."""
    cited, planted = cited.strip("./"), planted.strip("./")
    return cited == planted or planted.endswith("/" + cited) or cited.endswith("/" + planted)


def finding_matches(finding: Finding, label: ExpectedFinding) -> bool:
    """Whether ``finding`` reports what ``label`` planted."""
    if finding.category != label.category or finding.kind != label.kind:
        return False
    by_probe = label.check_id is not None and finding.check_id == label.check_id
    if not by_probe and not _mentions(_finding_text(finding), label.topics):
        return False
    if label.path is None:
        return True
    for ev in finding.evidence:
        if not same_path(ev.path, label.path):
            continue
        if label.start_line is None or label.end_line is None:
            return True
        if (
            ev.start_line <= label.end_line + LINE_SLACK
            and ev.end_line >= label.start_line - LINE_SLACK
        ):
            return True
    return False


def contradiction(finding: Finding, labels: Labels) -> str | None:
    """Why the labels say ``finding`` is wrong, or None when they cannot tell.

    A finding is wrong when it reports a planted decoy, contradicts a labelled fact (a gap
    from a probe labelled ``pass``, a strength from one labelled ``fail``), claims a strength
    from the probe expected to report a planted gap, or cites only files outside the scope.
    """
    for decoy in labels.avoid:
        if finding_matches(finding, decoy):
            return f"reports the decoy {decoy.label}"
    facts = {fact.check_id: fact.outcome.value for fact in labels.facts}
    labelled = facts.get(finding.check_id or "")
    if labelled == "pass" and finding.kind == "gap":
        return f"{finding.check_id} is labelled pass"
    if labelled == "fail" and finding.kind == "strength":
        return f"{finding.check_id} is labelled fail"
    if finding.kind == "strength" and finding.check_id:
        # Only by probe id: a strength on a loosely related topic ("no bare except" next to a
        # planted ignored return code) is often true, so topic words alone cannot judge it.
        for label in labels.findings:
            if label.kind == "gap" and label.check_id == finding.check_id:
                return f"claims a strength where {label.label} was planted"
    if labels.scope and finding.evidence:
        prefix = labels.scope.strip("/") + "/"
        outside = [ev.path for ev in finding.evidence if not _inside(ev.path, prefix)]
        if len(outside) == len(finding.evidence):
            return f"cites {outside[0]}, outside the scope {labels.scope}"
    return None


def confirmed_by_fact(finding: Finding, labels: Labels) -> bool:
    """Whether a labelled fact says the same as ``finding`` (a gap from a probe labelled fail,
    a strength from one labelled pass)."""
    wanted = "fail" if finding.kind == "gap" else "pass"
    return any(
        fact.check_id == finding.check_id and fact.outcome.value == wanted for fact in labels.facts
    )


def _inside(path: str, prefix: str) -> bool:
    # With a scope, evidence paths are relative to the repository root; top-level files of
    # the repository (README, CI workflows) are legitimately shared by every package.
    return path.startswith(prefix) or "/" not in path or path.startswith(".github/")


def match_findings(
    findings: list[Finding], labels: list[ExpectedFinding]
) -> list[tuple[ExpectedFinding, Finding]]:
    """One-to-one matches: located labels claim findings first, then absences; required first."""
    order = sorted(labels, key=lambda lb: (not lb.required, lb.path is None, lb.start_line is None))
    taken: set[int] = set()
    pairs = []
    for label in order:
        for index, finding in enumerate(findings):
            if index not in taken and finding_matches(finding, label):
                taken.add(index)
                pairs.append((label, finding))
                break
    return pairs


def finding_key(finding: Finding) -> str:
    """A run-independent name for a finding, to count how often it recurs across runs."""
    topic = finding.check_id or re.sub(r"\W+", " ", finding.title.lower()).strip()
    where = finding.evidence[0].path if finding.evidence else "-"
    return f"{finding.category.value}/{finding.kind}/{topic}@{where}"


def score_report(
    report: Report,
    labels: Labels,
    root: Path,
    *,
    citation_check: CitationCheck = citation_is_valid,
    repo: str | None = None,
    run: int = 0,
) -> RunScore:
    """Score ``report`` (of the repository at ``root``) against ``labels``."""
    findings = [f for f in report.findings if not f.muted]
    score = RunScore(repo=repo or report.repo.name, run=run)
    counts = {cat: CategoryCounts() for cat in Category}
    for finding in findings:
        counts[finding.category].reported += 1
    for label in labels.findings:
        if label.required:
            counts[label.category].required += 1
    verdicts = {c.id: c.verdict for c in report.categories}
    for category, allowed in labels.verdicts.items():
        counts[category].verdicts_labelled += 1
        got = verdicts.get(category)
        if got in allowed:
            counts[category].verdicts_right += 1
        else:
            wanted = " or ".join(v.value for v in allowed)
            shown = got.value if got else "absent"
            score.verdict_errors.append(f"{category.value}: got {shown}, labelled {wanted}")

    pairs = match_findings(findings, labels.findings)
    matched_labels = {id(label) for label, _ in pairs}
    for label, finding in pairs:
        cat = counts[label.category]
        cat.reported_matched += 1
        if label.required:
            cat.required_matched += 1
        if label.kind == "gap":
            cat.severity_pairs += 1
            if finding.severity == label.severity:
                cat.severity_agree += 1
            else:
                score.severity_mismatches.append(
                    f"{label.label}: reported {finding.severity.value}, "
                    f"labelled {label.severity.value}"
                )
    matched_findings = {id(finding) for _, finding in pairs}
    score.missed = [
        lb.label for lb in labels.findings if lb.required and id(lb) not in matched_labels
    ]
    for finding in findings:
        if id(finding) in matched_findings:
            continue
        described = f"{finding.category.value}/{finding.kind}: {finding.title}" + (
            f" @ {finding.evidence[0].location}" if finding.evidence else ""
        )
        reason = contradiction(finding, labels)
        if reason is None and confirmed_by_fact(finding, labels):
            counts[finding.category].confirmed += 1
        elif reason is None:
            score.unmatched.append(described)
        else:
            counts[finding.category].contradicted += 1
            score.contradicted.append(f"{described} ({reason})")
    score.categories = {
        cat: c for cat, c in counts.items() if c.reported or c.required or c.verdicts_labelled
    }

    checks = {check.id: check for check in report.checks}
    for fact in labels.facts:
        score.facts_total += 1
        check = checks.get(fact.check_id)
        if check is not None and check.outcome == fact.outcome:
            score.facts_correct += 1
        else:
            outcome = check.outcome.value if check else "absent"
            score.fact_errors.append(
                f"{fact.check_id}: got {outcome}, labelled {fact.outcome.value}"
            )

    # Citations are read the way the pipeline reads files: through a snapshot of the tree.
    source = (
        ingest_repository(root, report.repo.scope) if any(f.evidence for f in findings) else None
    )
    for finding in findings:
        for ev in finding.evidence:
            score.citations_total += 1
            if source is not None and citation_check(source, ev):
                score.citations_valid += 1
            else:
                score.invalid_citations.append(f"{finding.title} @ {ev.location}")

    score.overall_score = report.overall_score
    score.category_scores = {c.id: c.score for c in report.categories}
    score.finding_keys = sorted({finding_key(f) for f in findings})
    usage = report.usage
    score.llm_requests = usage.llm_requests
    score.reasks = usage.reasks
    score.dropped_findings = usage.dropped_findings
    score.prompt_tokens = usage.prompt_tokens
    score.completion_tokens = usage.completion_tokens
    score.cost_usd = usage.cost_usd
    return score


def failed_run(repo: str, labels: Labels, error: str, run: int = 0) -> RunScore:
    """The score of a run that crashed: every required label is missed, no report to validate."""
    score = RunScore(repo=repo, run=run, error=error, schema_valid=False)
    for label in labels.findings:
        if label.required:
            counts = score.categories.setdefault(label.category, CategoryCounts())
            counts.required += 1
            score.missed.append(label.label)
    for category in labels.verdicts:
        counts = score.categories.setdefault(category, CategoryCounts())
        counts.verdicts_labelled += 1
    score.facts_total = len(labels.facts)
    score.fact_errors = [f"{fact.check_id}: no report" for fact in labels.facts]
    return score
