"""Citations are checked against the snapshot: the quoted snippet must be at the cited lines.

A judge cites ``{path, start_line, end_line, snippet}``. Before a finding is kept,
:func:`verify_evidence` looks for the snippet, whitespace normalised, in the snapshot's lines
(the same line model every stage uses, and the same redacted text the model was shown);
when the snippet is in the file but elsewhere (the model miscounted lines), the evidence is
re-anchored to where it really is.
"""

from __future__ import annotations

import bisect
import re
from typing import Protocol

from pipeline.schemas import Evidence

_SPACE = re.compile(r"\s+")
# Snippets in reports stay readable: long citations keep their first lines only.
_MAX_SNIPPET_CHARS = 400


class LineSource(Protocol):
    """Where cited files are read from: the snapshot (what was shown, secrets redacted)."""

    def shown_lines(self, path: str) -> tuple[str, ...]: ...


def _normalise(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


class _Index:
    """The file as one whitespace-normalised string, with the line each character came from."""

    def __init__(self, lines: tuple[str, ...]) -> None:
        parts: list[str] = []
        self.starts: list[int] = []
        self.numbers: list[int] = []
        offset = 0
        for number, line in enumerate(lines, start=1):
            norm = _normalise(line)
            if not norm:
                continue
            self.starts.append(offset)
            self.numbers.append(number)
            parts.append(norm)
            offset += len(norm) + 1
        self.text = " ".join(parts)

    def line_at(self, offset: int) -> int:
        return self.numbers[bisect.bisect_right(self.starts, offset) - 1]

    def find_all(self, needle: str) -> list[tuple[int, int]]:
        """Every (first line, last line) where ``needle`` occurs."""
        spans: list[tuple[int, int]] = []
        start = self.text.find(needle)
        while start != -1:
            spans.append((self.line_at(start), self.line_at(start + len(needle) - 1)))
            start = self.text.find(needle, start + 1)
        return spans


def _snippet(lines: tuple[str, ...], start: int, end: int) -> str:
    return "\n".join(lines[start - 1 : end])[:_MAX_SNIPPET_CHARS]


def verify_evidence(source: LineSource, ev: Evidence) -> Evidence | None:
    """The evidence as it really is in the file, or None when it is not there.

    Found at the cited lines: kept (its snippet refreshed from the file). Found elsewhere:
    re-anchored to the nearest occurrence. An empty snippet is valid when the cited lines
    exist. None when the snapshot does not hold the file or the file lacks the snippet.
    """
    path = ev.path.strip().removeprefix("./")
    lines = source.shown_lines(path)
    if not lines:
        return None
    start, end = sorted((ev.start_line, ev.end_line))
    needle = _normalise(ev.snippet)
    if not needle:
        if end > len(lines):
            return None
        return Evidence(
            path=path, start_line=start, end_line=end, snippet=_snippet(lines, start, end)
        )
    cited = _normalise("\n".join(lines[start - 1 : end]))
    if end <= len(lines) and needle in cited:
        return Evidence(
            path=path, start_line=start, end_line=end, snippet=_snippet(lines, start, end)
        )
    spans = _Index(lines).find_all(needle)
    if not spans:
        return None
    first, last = min(spans, key=lambda s: abs(s[0] - start))
    return Evidence(
        path=path, start_line=first, end_line=last, snippet=_snippet(lines, first, last)
    )


def citation_validity(source: LineSource, evidence: list[Evidence]) -> float:
    """The share of ``evidence`` that verifies against the snapshot (1.0 for none)."""
    if not evidence:
        return 1.0
    return sum(verify_evidence(source, ev) is not None for ev in evidence) / len(evidence)
