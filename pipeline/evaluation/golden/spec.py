"""The compact spec a golden repository is written in, and its resolved labels.

A spec is a dict of files plus what was planted in them. Planted evidence is located by a
marker (a substring of one line of the file), so labels never carry hand-counted line numbers
that drift when a file is edited.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from pipeline.schemas import Category, Outcome, Severity, Verdict

Kind = Literal["gap", "strength"]


@dataclass(frozen=True)
class Expect:
    """A finding a careful reviewer would write about what was planted.

    Args:
        category: The category the finding belongs to.
        kind: ``gap`` or ``strength``.
        severity: The severity a reviewer would give (strengths use ``low``).
        topics: Keywords, any of which names the topic (matched in the finding's text).
        path: The file holding the planted evidence; ``None`` for an absence (no tests at all).
        marker: A substring of the first planted line of ``path``; ``None`` means the whole file.
        span: How many lines the planted evidence covers from the marker line.
        check_id: The probe expected to report it, once its id is known.
        required: ``False`` for findings that are right to report but not missed if absent.
    """

    category: Category
    kind: Kind
    severity: Severity
    topics: tuple[str, ...]
    path: str | None = None
    marker: str | None = None
    span: int = 1
    check_id: str | None = None
    required: bool = True


@dataclass(frozen=True)
class Fact:
    """A labelled probe outcome: ``check_id`` must come out as ``outcome`` on this repository."""

    check_id: str
    outcome: Outcome


@dataclass(frozen=True)
class GoldenRepo:
    """One golden repository: its files and the labels of what was planted in it.

    ``expected`` are findings a reviewer would write; ``avoid`` are decoys a careful assessor
    must not report (an ``unwrap`` inside a test module); ``facts`` are probe outcomes;
    ``verdicts`` are the category verdicts a reviewer would accept.
    """

    name: str
    kind: str
    language: str
    files: dict[str, str]
    expected: tuple[Expect, ...] = ()
    facts: tuple[Fact, ...] = ()
    scope: str | None = None
    avoid: tuple[Expect, ...] = ()
    verdicts: dict[Category, tuple[Verdict, ...]] = field(default_factory=dict)
    notes: str = ""
    executable: tuple[str, ...] = field(default=())


class ExpectedFinding(BaseModel):
    """A resolved label: the planted evidence with real line numbers."""

    model_config = ConfigDict(frozen=True)

    category: Category
    kind: Kind
    severity: Severity
    topics: tuple[str, ...]
    path: str | None = None
    start_line: int | None = None
    end_line: int | None = None
    check_id: str | None = None
    required: bool = True

    @property
    def label(self) -> str:
        where = ""
        if self.path:
            where = f" @ {self.path}"
            if self.start_line:
                where += f":{self.start_line}-{self.end_line}"
        return f"{self.category.value}/{self.kind}: {self.topics[0]}{where}"


class ExpectedFact(BaseModel):
    model_config = ConfigDict(frozen=True)

    check_id: str
    outcome: Outcome


class Labels(BaseModel):
    """Everything a golden repository is expected to yield (the case's expected output)."""

    findings: list[ExpectedFinding]
    facts: list[ExpectedFact]
    avoid: list[ExpectedFinding] = []
    verdicts: dict[Category, list[Verdict]] = {}
    scope: str | None = None


def locate(text: str, marker: str) -> int:
    """The 1-based line holding ``marker``; a spec whose marker is absent is a bug."""
    for number, line in enumerate(text.splitlines(), start=1):
        if marker in line:
            return number
    raise ValueError(f"marker {marker!r} not found")


def _resolve(repo: GoldenRepo, item: Expect) -> ExpectedFinding:
    start = end = None
    if item.path is not None:
        if item.path not in repo.files:
            raise ValueError(f"{repo.name}: label cites missing file {item.path}")
        if item.marker is not None:
            start = locate(repo.files[item.path], item.marker)
            end = start + item.span - 1
    return ExpectedFinding(
        category=item.category,
        kind=item.kind,
        severity=item.severity,
        topics=item.topics,
        path=item.path,
        start_line=start,
        end_line=end,
        check_id=item.check_id,
        required=item.required,
    )


def resolve_labels(repo: GoldenRepo) -> Labels:
    """Turn a spec's markers into line ranges (checked against the spec's own files)."""
    return Labels(
        findings=[_resolve(repo, item) for item in repo.expected],
        facts=[ExpectedFact(check_id=f.check_id, outcome=f.outcome) for f in repo.facts],
        avoid=[_resolve(repo, item) for item in repo.avoid],
        verdicts={category: list(allowed) for category, allowed in repo.verdicts.items()},
        scope=repo.scope,
    )


_GIT_ENV = {
    "GIT_AUTHOR_NAME": "golden",
    "GIT_AUTHOR_EMAIL": "golden@example.invalid",
    "GIT_COMMITTER_NAME": "golden",
    "GIT_COMMITTER_EMAIL": "golden@example.invalid",
    "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
    "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
}


def build_repo(repo: GoldenRepo, dest: Path, *, git: bool = True) -> Path:
    """Write the spec's files under ``dest`` (replacing what was there) and commit them.

    The commit is reproducible (fixed author and dates), so caches keyed by commit hit on a
    second build.
    """
    if dest.exists():
        _remove_tree(dest)
    dest.mkdir(parents=True)
    for rel, content in repo.files.items():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
        if rel in repo.executable:
            target.chmod(0o755)
    if git:
        env = {**os.environ, **_GIT_ENV}
        for args in (
            ["init", "-q", "-b", "main"],
            ["add", "-A"],
            ["-c", "commit.gpgsign=false", "commit", "-q", "-m", "golden"],
        ):
            subprocess.run(["git", *args], cwd=dest, env=env, check=True, capture_output=True)
    return dest


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path)
