"""A labelled corpus of repositories for measuring probe accuracy.

Each :class:`RepoSpec` is a compact dict of files plus the outcome expected of each probe it
labels (``"pass"``, ``"fail"`` or ``"not_applicable"``), written from what was planted.
Probes a spec does not label are not scored on it.

Usage::

    from evals.probe_corpus import CORPUS, probe_snapshot
    for spec in CORPUS:
        root = spec.build(tmp_dir)                   # writes the files under tmp_dir/spec.name
        snapshot = probe_snapshot(root, spec.scope)  # the files as ingest reads them
        ...compare run_probes(snapshot).checks with spec.expected

``python -m evals.probe_accuracy`` runs the whole corpus and prints precision and recall per
category ("fail" = gap detected is the positive class) and the mismatches.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.ingest import RepoSnapshot, ingest_repository


@dataclass(frozen=True)
class RepoSpec:
    """One generated repository and its labels (probe id → expected outcome)."""

    name: str
    files: dict[str, str]
    expected: dict[str, str] = field(default_factory=dict)
    scope: str | None = None
    languages: tuple[str, ...] = ()

    def build(self, tmp_dir: Path) -> Path:
        """Write the repository under ``tmp_dir/name`` and return its root."""
        root = Path(tmp_dir) / self.name
        write_files(root, self.files)
        return root


def write_files(root: Path, files: dict[str, str]) -> None:
    """Write ``files`` (relative path → text, dedented) under ``root``."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        body = textwrap.dedent(text).lstrip("\n") if text.startswith("\n") else text
        path.write_text(body, encoding="utf-8")


def probe_snapshot(root: Path, scope: str | None = None) -> RepoSnapshot:
    """The repository as probes see it: ingest's own snapshot (nothing chunked or indexed)."""
    return ingest_repository(root, scope)


def _corpus() -> list[RepoSpec]:
    from evals.probe_corpus.repos_holdout import REPOS as HOLDOUT
    from evals.probe_corpus.repos_polyglot import REPOS as POLYGLOT
    from evals.probe_corpus.repos_python import REPOS as PYTHON
    from evals.probe_corpus.repos_realworld import REPOS as REALWORLD

    return [*PYTHON, *POLYGLOT, *HOLDOUT, *REALWORLD]


def __getattr__(name: str) -> list[RepoSpec]:
    if name == "CORPUS":
        return _corpus()
    raise AttributeError(name)
