"""Occurrences: one open gap at one location, with a fingerprint that survives edits.

A finding is a topic (a check, or an LLM's category and title) with its evidence; an
occurrence is one of its locations. SARIF shows one result per occurrence and ``compare``
and the gates count them, so a second swallowed exception is a new gap even though the
check that finds it failed before. The fingerprint hashes the topic, the file and the cited
text (whitespace-insensitive), not the line number: code added above a gap moves it without
making it new. Identical text cited twice in one file is told apart by its rank.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass

from pipeline.schemas import SEVERITY_ORDER, Evidence, Finding, Report, Severity
from pipeline.scoring.findings import suspicion_findings

FINGERPRINT_KEY = "readinessOccurrence/v1"


@dataclass(frozen=True)
class Occurrence:
    """One location of one open gap."""

    key: str
    finding: Finding
    evidence: Evidence | None
    fingerprint: str
    suspected: bool = False  # a suspicion to confirm, not a gap (scoring/confirm.py)

    @property
    def severity(self) -> Severity:
        return self.finding.severity

    @property
    def location(self) -> str:
        return self.evidence.location if self.evidence is not None else "(repository)"

    def label(self) -> str:
        """``ERR001 at app.py:12``: the topic and where, for one-line messages."""
        name = self.finding.check_id or self.finding.title
        to_confirm = ", to confirm" if self.suspected else ""
        return f"{name} ({self.severity.value}{to_confirm}) at {self.location}"


def finding_key(finding: Finding) -> str:
    """The topic of a finding: its check id, else its category and title."""
    if finding.check_id:
        return finding.check_id
    return f"{finding.category.value}:{' '.join(finding.title.lower().split())}"


def open_gaps(report: Report) -> list[Finding]:
    """The gaps a reader must act on: not strengths, not waived."""
    return [f for f in report.findings if f.kind == "gap" and not f.muted]


def occurrences(report: Report, suspected: bool = False) -> list[Occurrence]:
    """Every location of every open gap, in report order; with ``suspected``, of every
    suspicion to confirm too (for gates and SARIF)."""
    found: list[Occurrence] = []
    ranks: Counter[str] = Counter()
    gaps = [(f, False) for f in open_gaps(report)]
    gaps += [(f, True) for f in suspicion_findings(report.checks)] if suspected else []
    for finding, is_suspicion in gaps:
        key = finding_key(finding)
        ordered = sorted(finding.evidence, key=lambda e: (e.path, e.start_line))
        places: list[Evidence | None] = [*ordered] if ordered else [None]
        seen: set[tuple[str, int, int]] = set()
        for evidence in places:
            if evidence is not None:
                span = (evidence.path, evidence.start_line, evidence.end_line)
                if span in seen:  # the same range cited twice is one place
                    continue
                seen.add(span)
            base = _base(key, evidence)
            ranks[base] += 1
            found.append(Occurrence(key, finding, evidence, f"{base}:{ranks[base]}", is_suspicion))
    return found


def at_or_above(severity: Severity, threshold: Severity) -> bool:
    """Whether ``severity`` is ``threshold`` or worse."""
    return SEVERITY_ORDER[severity] <= SEVERITY_ORDER[threshold]


def _base(key: str, evidence: Evidence | None) -> str:
    if evidence is None:
        text = f"{key}\0"
    else:
        cited = " ".join(evidence.snippet.split()) or f"line {evidence.start_line}"
        text = f"{key}\0{evidence.path}\0{cited}"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:20]
