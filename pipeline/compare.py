"""What changed between two assessments: new, fixed and regressed findings, score deltas.

Two levels. Topics: findings are matched by check id when they have one, else by category
and title, so a probe that flips from strength to gap is one topic that regressed, not one
gap more. Occurrences: each location of an open gap, matched by its fingerprint (see
:mod:`pipeline.assemble.occurrences`), so a new location of an old gap (a second swallowed
exception) is new. The gates (``--fail-on-new``) count occurrences.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from pipeline.assemble.occurrences import Occurrence, at_or_above, finding_key, occurrences
from pipeline.errors import InputError
from pipeline.rubric import CATEGORIES
from pipeline.schemas import SEVERITY_ORDER, Category, Finding, Report, Severity


class FindingChange(BaseModel):
    """A topic whose state changed; ``before``/``after``: ``gap:<severity>`` or ``strength``."""

    key: str
    category: Category
    title: str
    check_id: str | None = None
    before: str | None = None
    after: str | None = None


class OccurrenceChange(BaseModel):
    """One location of an open gap that appeared (or went away)."""

    key: str
    category: Category
    title: str
    severity: Severity
    location: str
    fingerprint: str
    check_id: str | None = None

    @classmethod
    def of(cls, occurrence: Occurrence) -> OccurrenceChange:
        finding = occurrence.finding
        return cls(
            key=occurrence.key,
            category=finding.category,
            title=finding.title,
            severity=finding.severity,
            location=occurrence.location,
            fingerprint=occurrence.fingerprint,
            check_id=finding.check_id,
        )

    def label(self) -> str:
        return f"{self.check_id or self.title} ({self.severity.value}) at {self.location}"


class ScoreDelta(BaseModel):
    category: Category | None = None  # None: the overall score
    title: str
    old: int | None = None
    new: int | None = None

    @property
    def delta(self) -> int | None:
        if self.old is None or self.new is None:
            return None
        return self.new - self.old


class Comparison(BaseModel):
    """The differences between two reports of the same repository."""

    repo: str
    old_commit: str | None = None
    new_commit: str | None = None
    old_status: str | None = None
    new_status: str | None = None
    overall: ScoreDelta
    categories: list[ScoreDelta] = Field(default_factory=list)
    new: list[FindingChange] = Field(default_factory=list)
    fixed: list[FindingChange] = Field(default_factory=list)
    regressed: list[FindingChange] = Field(default_factory=list)
    improved: list[FindingChange] = Field(default_factory=list)
    # Gap locations by fingerprint: in NEW and not in OLD, in OLD and not in NEW.
    new_occurrences: list[OccurrenceChange] = Field(default_factory=list)
    fixed_occurrences: list[OccurrenceChange] = Field(default_factory=list)
    only_in: str | None = None  # "old" or "new" when a batch lost or gained the repository

    @property
    def changed(self) -> bool:
        moved = any(d.old != d.new for d in [self.overall, *self.categories])
        return moved or bool(
            self.new
            or self.fixed
            or self.regressed
            or self.improved
            or self.new_occurrences
            or self.fixed_occurrences
        )

    @property
    def moved_categories(self) -> list[ScoreDelta]:
        return [d for d in self.categories if d.old != d.new]

    @property
    def new_locations(self) -> list[OccurrenceChange]:
        """New occurrences of topics that were already gaps: the ones topics cannot show."""
        shown = {c.key for c in [*self.new, *self.regressed]}
        return [c for c in self.new_occurrences if c.key not in shown]


class BatchComparison(BaseModel):
    repos: list[Comparison]


def load_report(path: Path) -> Report:
    """Read a report.json.

    Raises:
        InputError: The file is missing or is not a readiness report.
    """
    try:
        return Report.model_validate_json(path.read_bytes())
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    except (ValidationError, ValueError) as exc:
        raise InputError(f"{path}: not a readiness report.json ({_first_error(exc)})") from exc


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError) and exc.errors():
        first = exc.errors()[0]
        return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
    return str(exc).splitlines()[0]


def _state(finding: Finding) -> str:
    return "strength" if finding.kind == "strength" else f"gap:{finding.severity.value}"


def _topics(report: Report) -> dict[str, Finding]:
    # One state per topic: the worst finding wins (a gap over a strength, critical over low).
    topics: dict[str, Finding] = {}
    for finding in report.findings:
        if finding.muted:
            continue
        key = finding_key(finding)
        if key not in topics or _rank(finding) < _rank(topics[key]):
            topics[key] = finding
    return topics


def _rank(finding: Finding) -> int:
    return SEVERITY_ORDER[finding.severity] if finding.kind == "gap" else len(SEVERITY_ORDER)


def compare_reports(old: Report, new: Report) -> Comparison:
    """The differences between ``old`` and ``new`` assessments of one repository."""
    before, after = _topics(old), _topics(new)
    result = Comparison(
        repo=new.repo.name,
        old_commit=old.repo.commit,
        new_commit=new.repo.commit,
        old_status=old.status,
        new_status=new.status,
        overall=ScoreDelta(title="Overall", old=old.overall_score, new=new.overall_score),
        categories=_category_deltas(old, new),
    )
    was_at = {o.fingerprint: o for o in occurrences(old)}
    now_at = {o.fingerprint: o for o in occurrences(new)}
    result.new_occurrences = [OccurrenceChange.of(o) for k, o in now_at.items() if k not in was_at]
    result.fixed_occurrences = [
        OccurrenceChange.of(o) for k, o in was_at.items() if k not in now_at
    ]
    for key in sorted(set(before) | set(after)):
        was, now = before.get(key), after.get(key)
        # The gap's wording names the topic: "CI runs no tests" was fixed, not "Tests run".
        finding = now if now is not None and (now.kind == "gap" or was is None) else was
        assert finding is not None
        change = FindingChange(
            key=key,
            category=finding.category,
            title=finding.title,
            check_id=finding.check_id,
            before=_state(was) if was else None,
            after=_state(now) if now else None,
        )
        was_gap = was is not None and was.kind == "gap"
        now_gap = now is not None and now.kind == "gap"
        if now_gap and not was_gap:
            # A topic that was a strength and is now a gap got worse; an unseen one is new.
            (result.regressed if was is not None else result.new).append(change)
        elif was_gap and not now_gap:
            result.fixed.append(change)
        elif was is not None and now is not None and was_gap and now_gap:
            if _rank(now) < _rank(was):
                result.regressed.append(change)
            elif _rank(now) > _rank(was):
                result.improved.append(change)
    return result


def new_gaps(
    old: Report | None, new: Report, threshold: Severity, probes_only: bool = False
) -> list[Occurrence]:
    """Gap locations of ``new`` at ``threshold`` or worse that ``old`` did not have (every
    one when there is no ``old``): the rule of ``--fail-on-new``, for assess and compare.
    ``probes_only``: the baseline had no judge, so only the probes' gaps are compared."""
    # Suspicions count: a new secret-like literal must stop a pre-commit hook until someone
    # confirms it is harmless (or waives it in readiness.toml).
    before = {o.fingerprint for o in occurrences(old, True)} if old is not None else set()
    return [
        o
        for o in occurrences(new, suspected=True)
        if at_or_above(o.severity, threshold)
        and o.fingerprint not in before
        and (o.finding.source == "probe" or not probes_only)
    ]


def describe_gaps(found: list[Occurrence] | list[OccurrenceChange], what: str) -> str:
    """``2 new gaps at high or worse: ERR001 (high) at a.py:3, ...``: one line."""
    shown = ", ".join(o.label() for o in found[:3])
    more = f" and {len(found) - 3} more" if len(found) > 3 else ""
    noun = "gap" if len(found) == 1 else "gaps"
    return f"{len(found)} {what.replace('gaps', noun)}: {shown}{more}"


def gate_failures(
    report: Report, fail_under: int | None = None, fail_on: Severity | None = None
) -> list[str]:
    """Why the gates ``--fail-under`` and ``--fail-on`` fail for ``report`` (one line each)."""
    reasons = []
    if fail_under is not None and (report.overall_score or 0) < fail_under:
        score = "n/a" if report.overall_score is None else f"{report.overall_score}%"
        reasons.append(f"overall score {score} is below --fail-under {fail_under}")
    if fail_on is not None:
        found = [o for o in occurrences(report, suspected=True) if at_or_above(o.severity, fail_on)]
        if found:
            reasons.append(describe_gaps(found, f"open gaps at {fail_on.value} or worse"))
    return reasons


def _category_deltas(old: Report, new: Report) -> list[ScoreDelta]:
    old_scores = {c.id: c.score for c in old.categories}
    new_scores = {c.id: c.score for c in new.categories}
    return [
        ScoreDelta(category=cat, title=spec.title, old=old_scores.get(cat), new=new_scores.get(cat))
        for cat, spec in CATEGORIES.items()
        if cat in old_scores or cat in new_scores
    ]


def batch_reports(folder: Path) -> dict[str, Path]:
    """The report.json of every repository of a batch output folder, by repository folder name.

    Raises:
        InputError: ``folder`` is not a folder or holds no report.
    """
    if not folder.is_dir():
        raise InputError(f"no such batch folder: {folder}")
    found = {p.parent.name: p for p in sorted(folder.glob("*/report.json"))}
    if not found:
        raise InputError(f"{folder}: no */report.json in this folder (is it a batch output?)")
    return found


def compare_batches(old_dir: Path, new_dir: Path) -> BatchComparison:
    """Compare every repository of two batch output folders, matched by folder name."""
    old_reports, new_reports = batch_reports(old_dir), batch_reports(new_dir)
    repos: list[Comparison] = []
    for name in sorted(set(old_reports) | set(new_reports)):
        if name in old_reports and name in new_reports:
            comparison = compare_reports(
                load_report(old_reports[name]), load_report(new_reports[name])
            )
            repos.append(comparison.model_copy(update={"repo": name}))
            continue
        side = "new" if name in new_reports else "old"
        report = load_report((new_reports if side == "new" else old_reports)[name])
        score = report.overall_score
        overall = ScoreDelta(
            title="Overall",
            old=score if side == "old" else None,
            new=score if side == "new" else None,
        )
        repos.append(Comparison(repo=name, overall=overall, only_in=side))
    return BatchComparison(repos=repos)


def render_comparison(comparison: Comparison | BatchComparison) -> str:
    """The comparison as Markdown."""
    from pipeline.templates import render

    items = comparison.repos if isinstance(comparison, BatchComparison) else [comparison]
    text = render("batch/compare.md", repos=items, batch=isinstance(comparison, BatchComparison))
    # Template loops leave runs of blank lines; Markdown needs one.
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
