"""The ``text`` view: regex search over the repository's code, comment- and string-aware.

Each search is computed once per run and shared by every probe that asks the same question,
so a 100k-line repository is read once however many probes search it.
"""

from __future__ import annotations

import bisect
import re

from pipeline.probes.base import Hit
from pipeline.probes.registry import view
from pipeline.probes.views.lexing import (
    C_LIKE,
    blank_text,
    in_string,
    in_trailing_comment,
    is_comment,
    rust_test_lines,
)
from pipeline.probes.views.literals import ignores_case, required_literals
from pipeline.probes.views.patterns import CODE, compiled
from pipeline.probes.views.python import PythonCode
from pipeline.probes.views.repo import RepoView

__all__ = ["CODE", "TextSearch", "compiled"]


@view("text")
class TextSearch:
    """Non-comment lines of in-scope files matching a pattern."""

    def __init__(self, repo: RepoView, python: PythonCode) -> None:
        self.repo = repo
        self.python = python
        self._memo: dict[tuple[object, ...], list[Hit]] = {}

    def grep(
        self,
        pattern: str,
        languages: tuple[str, ...] = CODE,
        *,
        tests: bool | None = False,
        limit: int = 0,
        skip_rust_tests: bool = True,
        code_only: bool = False,
    ) -> list[Hit]:
        """Non-comment lines of in-scope files matching ``pattern`` (``limit`` 0 = all).

        ``code_only`` also skips matches that start inside a string literal, for patterns
        that describe code (calls, imports) rather than values (routes, URLs, headers).
        """
        key = (pattern, languages, tests, limit, skip_rust_tests, code_only)
        if key not in self._memo:
            self._memo[key] = self._grep(*key)
        return self._memo[key]

    def first(self, pattern: str, languages: tuple[str, ...] = CODE) -> Hit | None:
        """The first non-comment, non-test line whose code (not a string) matches."""
        hits = self.grep(pattern, languages, limit=1, code_only=True)
        return hits[0] if hits else None

    def code_text(self, path: str, language: str, strings: bool = False) -> str:
        """The text of ``path`` as code: comments blanked in C-like languages (cached)."""
        if language not in C_LIKE:
            return self.repo.text(path)
        return self.repo.memo(
            f"blank:{strings}:{path}",
            lambda: blank_text(self.repo.text(path), strings, raw_backquotes=language == "go"),
        )

    def line_starts(self, path: str) -> list[int]:
        """Offsets where each line of ``path`` starts, to turn offsets into line numbers."""

        def compute() -> list[int]:
            return [0] + [m.end() for m in re.finditer(r"\n", self.repo.text(path))]

        return self.repo.memo(f"line-starts:{path}", compute)

    def rust_test_lines(self, path: str) -> set[int]:
        """Line numbers inside Rust ``#[cfg(test)]`` items and ``#[test]`` functions."""
        return self.repo.memo(f"rust-tests:{path}", lambda: rust_test_lines(self.repo.text(path)))

    def _grep(
        self,
        pattern: str,
        languages: tuple[str, ...],
        tests: bool | None,
        limit: int,
        skip_rust_tests: bool,
        code_only: bool,
    ) -> list[Hit]:
        rx = compiled(pattern)
        literals = required_literals(pattern)
        folded = ignores_case(pattern)
        hits: list[Hit] = []
        for f in self.repo.code_files(*languages, tests=tests):
            text = self.repo.text(f.path)
            if literals is not None:
                haystack = self.repo.memo(f"lower:{f.path}", text.lower) if folded else text
                if not any(lit in haystack for lit in literals):
                    continue
            if not rx.search(text):
                continue
            code = self.code_text(f.path, f.language)
            lines = self.repo.lines(f.path)
            starts = self.line_starts(f.path)
            test_lines = self.rust_test_lines(f.path) if f.language == "rust" else set()
            strings = self.python.string_blocks(f.path) if f.language == "python" else {}
            # String contents blanked across lines: a Go or JS template literal spanning
            # lines (ntfy's command help text) is text however the line alone reads.
            literal = (
                self.code_text(f.path, f.language, strings=True)
                if code_only and f.language in C_LIKE
                else ""
            )
            for m in rx.finditer(code):
                pos = m.start()
                while pos < m.end() - 1 and code[pos] in " \t\r\n":
                    pos += 1  # a leading \s* may start on the previous line
                number = bisect.bisect_right(starts, pos)
                line = lines[number - 1] if number <= len(lines) else ""
                if is_comment(f.language, line):
                    continue
                column = pos - starts[number - 1]
                if in_trailing_comment(f.language, line, column):
                    continue
                if code_only and in_string(line, column):
                    continue
                if literal and literal[pos] == " " and code[pos] not in " \t":
                    continue
                if number in strings and column >= strings[number]:
                    continue  # inside a docstring or a multi-line string: text, not code
                if skip_rust_tests and tests is False and number in test_lines:
                    continue
                if hits and hits[-1].path == f.path and hits[-1].line == number:
                    continue
                # Messages quote the hit: its text is the redacted line.
                hits.append(Hit(f.path, number, self.repo.shown(f.path, number).strip()))
                if limit and len(hits) >= limit:
                    return hits
        return hits
