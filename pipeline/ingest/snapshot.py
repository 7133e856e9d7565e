"""The repository as every stage after ingest sees it: one read, one line model, one redaction.

A :class:`RepoSnapshot` holds each kept file's decoded lines (numbered by
:mod:`pipeline.ingest.text`), its language and role, and the secrets found in it, found once.
Probes search the real text; anything shown to a person or a model (evidence snippets,
chunks, prompts) comes from the redacted lines. Nothing after ingest opens a repository file.

The snapshot is never checkpointed: it carries raw file text, which must not be written to
the cache, and reading it is what tells whether anything changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.lines import join_lines
from pipeline.schemas import Coverage, Evidence, SourceFile
from pipeline.secrets import SecretMatch, redact_lines

MAX_SNIPPET_CHARS = 400


@dataclass(frozen=True)
class FileContent:
    """The decoded lines of one file, and the secrets found in them."""

    lines: tuple[str, ...]
    secrets: tuple[SecretMatch, ...] = ()
    redacted: tuple[str, ...] | None = None  # set only when the file holds a secret

    @property
    def shown(self) -> tuple[str, ...]:
        """The lines as they may be shown: secrets replaced by ``[REDACTED:kind]``."""
        return self.redacted if self.redacted is not None else self.lines


@dataclass
class RepoSnapshot:
    """What ingest read: the kept files and their contents, what was skipped and why."""

    root: Path
    files: list[SourceFile]
    contents: dict[str, FileContent]
    coverage: Coverage
    commit: str | None = None
    scope: str | None = None
    # Every path the walk listed, kept or not: that a file exists is a fact even when it is
    # too large to read (a 5 MB package-lock.json is still a lockfile).
    listed: tuple[str, ...] = ()
    # Root test files outside the scope that test the scoped package: they count as in scope.
    adopted: frozenset[str] = frozenset()
    by_path: dict[str, SourceFile] = field(init=False)
    _texts: dict[str, str] = field(init=False, default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.by_path = {f.path: f for f in self.files}

    def lines(self, path: str) -> tuple[str, ...]:
        """The real lines of ``path`` (empty for a file the snapshot does not hold)."""
        content = self.contents.get(path)
        return content.lines if content is not None else ()

    def shown_lines(self, path: str) -> tuple[str, ...]:
        """The lines of ``path`` with secrets redacted: what people and models may see."""
        content = self.contents.get(path)
        return content.shown if content is not None else ()

    def text(self, path: str) -> str:
        """The real text of ``path``, lines joined by ``\\n`` (cached)."""
        text = self._texts.get(path)
        if text is None:
            text = self._texts[path] = join_lines(self.lines(path))
        return text

    def secrets(self, path: str) -> tuple[SecretMatch, ...]:
        """The secrets ingest found in ``path``."""
        content = self.contents.get(path)
        return content.secrets if content is not None else ()

    def snippet(self, path: str, start: int, end: int) -> str:
        """Lines ``start..end`` of ``path`` as they may be shown (redacted, clipped)."""
        return "\n".join(self.shown_lines(path)[start - 1 : end])[:MAX_SNIPPET_CHARS]

    def evidence(self, path: str, start: int, end: int | None = None) -> Evidence:
        """Evidence for lines ``start..end`` of ``path`` (clamped to the file), redacted."""
        count = max(len(self.lines(path)), 1)
        end = end or start
        start = max(1, min(start, count))
        end = max(start, min(end, count))
        return Evidence(
            path=path, start_line=start, end_line=end, snippet=self.snippet(path, start, end)
        )

    def fingerprint(self) -> str:
        """A hash of what the snapshot holds: any changed, added or removed file changes it."""
        digest = hashlib.sha256()
        # This tool's own outputs inside the repository come and go with every run: what
        # they hold is never read, so their count must not make the probes run again.
        skipped = {k: v for k, v in self.coverage.skipped.items() if k != "readiness_output"}
        digest.update(json.dumps([self.scope, skipped], sort_keys=True).encode())
        for f in self.files:
            digest.update(f"{f.path}\0{f.sha256}\0{f.role}\0".encode("utf-8", "surrogateescape"))
        digest.update("\0".join(self.listed).encode("utf-8", "surrogateescape"))
        return digest.hexdigest()[:20]


def redacted_content(lines: list[str], matches: Iterable[SecretMatch]) -> FileContent:
    """The content of one file, with its redacted lines when it holds secrets."""
    found = tuple(matches)
    if not found:
        return FileContent(tuple(lines))
    return FileContent(tuple(lines), found, tuple(redact_lines(lines, found)))
