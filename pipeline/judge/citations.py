"""Citations are checked against the file: the quoted snippet must be at the cited lines.

A judge (LLM or other) cites ``{path, start_line, end_line, snippet}``. Before a finding is
kept, :func:`verify_evidence` re-reads the file and looks for the snippet, whitespace
normalised, at the cited lines; when the snippet is in the file but elsewhere (the model
miscounted lines, or the file moved on) the evidence is re-anchored to where it really is.
"""

from __future__ import annotations

import bisect
import functools
import re
from pathlib import Path

from pipeline.schemas import Evidence

_SPACE = re.compile(r"\s+")
# Snippets in reports stay readable: long citations keep their first lines only.
_MAX_SNIPPET_CHARS = 400


def _normalise(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


@functools.lru_cache(maxsize=256)
def _read_lines(path: Path, mtime_ns: int, size: int) -> tuple[str, ...] | None:
    """The file's lines; the stat values make the cache forget edited files."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if b"\x00" in data[:8192]:
        return None
    return tuple(data.decode("utf-8", errors="replace").splitlines())


def _lines_of(root: Path, relative: str) -> tuple[str, ...] | None:
    """The lines of ``root/relative``, or None when absent, binary or outside the root."""
    if not relative or Path(relative).is_absolute():
        return None
    base = root.resolve()
    target = (base / relative).resolve()
    if not target.is_relative_to(base) or not target.is_file():
        return None
    stat = target.stat()
    return _read_lines(target, stat.st_mtime_ns, stat.st_size)


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


def verify_evidence(root: Path, ev: Evidence) -> Evidence | None:
    """The evidence as it really is in the file, or None when it is not there.

    The snippet is compared whitespace-normalised. Found at the cited lines: the evidence is
    kept (its snippet refreshed from the file). Found elsewhere: re-anchored to the nearest
    occurrence. An empty snippet is valid when the cited lines exist. None when the file is
    missing, binary, outside ``root``, or does not hold the snippet.
    """
    lines = _lines_of(root, ev.path)
    if lines is None:
        return None
    start, end = sorted((ev.start_line, ev.end_line))
    needle = _normalise(ev.snippet)
    if not needle:
        if end > len(lines):
            return None
        return Evidence(
            path=ev.path, start_line=start, end_line=end, snippet=_snippet(lines, start, end)
        )
    cited = _normalise("\n".join(lines[start - 1 : end]))
    if end <= len(lines) and needle in cited:
        return Evidence(
            path=ev.path, start_line=start, end_line=end, snippet=_snippet(lines, start, end)
        )
    span = _nearest(_Index(lines).find_all(needle), start)
    if span is None:
        return None
    return Evidence(
        path=ev.path, start_line=span[0], end_line=span[1], snippet=_snippet(lines, *span)
    )


def _nearest(spans: list[tuple[int, int]], line: int) -> tuple[int, int] | None:
    return min(spans, key=lambda s: abs(s[0] - line)) if spans else None


def citation_validity(root: Path, evidence: list[Evidence]) -> float:
    """The share of ``evidence`` that verifies against the files (1.0 for no evidence)."""
    if not evidence:
        return 1.0
    return sum(verify_evidence(root, ev) is not None for ev in evidence) / len(evidence)
