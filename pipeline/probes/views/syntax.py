"""The ``syntax`` view: real syntax trees for JavaScript, TypeScript, Go, Rust and Java.

Parsed with ast-grep (tree-sitter grammars compiled into the wheel, nothing downloaded), each
file once. Probes ask structural questions instead of matching lines: ``find(pattern)`` takes
an ast-grep pattern (``$A, _ := $F($$$)``, ``try { $$$ } catch ($E) {}``), and a match inside a
comment or a string can never be returned, because comments and strings are not code nodes.
Python keeps the standard ``ast`` (the ``python`` view); a Python file the running
interpreter cannot parse (newer syntax, a syntax error) is parsed here as a fallback so its
hazards are still searched.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from pipeline.probes.base import Hit
from pipeline.probes.registry import view
from pipeline.probes.views.repo import RepoView

# Our language name -> ast-grep's; .tsx files need the TSX grammar.
GRAMMARS = {
    "javascript": "javascript",
    "typescript": "typescript",
    "go": "go",
    "rust": "rust",
    "java": "java",
    "python": "python",
}
TREE_LANGUAGES = ("javascript", "typescript", "go", "rust", "java")


@dataclass(frozen=True)
class Match:
    """One structural match: where it is, and the text of each named metavariable."""

    path: str
    line: int
    end_line: int
    text: str
    node: Any

    def hit(self, repo: RepoView) -> Hit:
        return Hit(self.path, self.line, repo.shown(self.path, self.line).strip())

    def var(self, name: str) -> str:
        """The source text a metavariable (``$NAME``) matched, '' when it did not."""
        found = self.node.get_match(name)
        return found.text() if found is not None else ""


@view("syntax")
class SyntaxTrees:
    """Syntax trees of in-scope code, parsed once per file on first use."""

    def __init__(self, repo: RepoView) -> None:
        self.repo = repo
        self._roots: dict[str, Any] = {}
        self.failed: dict[str, str] = {}

    def root(self, path: str) -> Any:
        """The root node of ``path`` (None for a language without a grammar here)."""
        if path not in self._roots:
            self._roots[path] = self._parse(path)
        return self._roots[path]

    def find(
        self,
        pattern: str | None = None,
        languages: Iterable[str] = TREE_LANGUAGES,
        *,
        kind: str | None = None,
        tests: bool | None = False,
        files: Iterable[str] | None = None,
    ) -> list[Match]:
        """Every node matching an ast-grep ``pattern`` (or of node ``kind``) in product code.

        ``files`` limits the search to those paths (the default is every in-scope file of
        ``languages``; product code only unless ``tests``).
        """
        rule: dict[str, Any] = {}
        if pattern:
            rule["pattern"] = pattern
        if kind:
            rule["kind"] = kind
        paths = (
            list(files)
            if files is not None
            else [f.path for f in self.repo.code_files(*languages, tests=tests)]
        )
        found: list[Match] = []
        for path in paths:
            root = self.root(path)
            if root is None:
                continue
            try:
                nodes = root.find_all(**rule)
            except (RuntimeError, ValueError):
                continue  # a pattern that does not parse in this file's grammar
            for node in nodes:
                span = node.range()
                found.append(Match(path, span.start.line + 1, span.end.line + 1, node.text(), node))
        return found

    def has_error(self, path: str) -> bool:
        """Whether the grammar could not make sense of part of the file."""
        root = self.root(path)
        return root is not None and bool(root.find(kind="ERROR"))

    def _parse(self, path: str) -> Any:
        source = self.repo.by_path.get(path)
        if source is None or source.language not in GRAMMARS:
            return None
        grammar = GRAMMARS[source.language]
        if PurePosixPath(path).suffix.lower() == ".tsx" or (
            source.language == "javascript" and PurePosixPath(path).suffix.lower() == ".jsx"
        ):
            grammar = "tsx"
        try:
            from ast_grep_py import SgRoot

            return SgRoot(self.repo.text(path), grammar).root()
        except (RuntimeError, ValueError) as exc:
            self.failed[path] = str(exc)
            return None
