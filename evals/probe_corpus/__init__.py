"""A labelled corpus of repositories for measuring probe accuracy.

Each :class:`RepoSpec` is a compact dict of files plus the outcome expected of each probe it
labels (``"pass"``, ``"fail"`` or ``"not_applicable"``), written from what was planted.
Probes a spec does not label are not scored on it.

Usage::

    from evals.probe_corpus import CORPUS, probe_context
    for spec in CORPUS:
        root = spec.build(tmp_dir)              # writes the files under tmp_dir/spec.name
        ctx = probe_context(root, spec.scope)   # files as ingest sees them, no chunking
        ...compare run_probes(ctx) with spec.expected

``python -m evals.probe_accuracy`` runs the whole corpus and prints precision and recall per
category ("fail" = gap detected is the positive class) and the mismatches.
"""

from __future__ import annotations

import hashlib
import textwrap
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pipeline.ingest.languages import detect_language, file_role, is_test_path
from pipeline.ingest.walk import VENDORED_DIRS, in_scope
from pipeline.probes import ProbeContext
from pipeline.schemas import SourceFile


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


def source_files(root: Path, scope: str | None = None) -> list[SourceFile]:
    """The files under ``root`` described as ingest describes them (language, tests).

    Uses ingest's own language, test, vendoring and scope rules; skips chunking, which probes
    never read, so corpora and tests stay fast.
    """
    files = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if any(part in VENDORED_DIRS for part in PurePosixPath(rel).parts[:-1]):
            continue
        if scope and not in_scope(rel, scope):
            continue
        data = path.read_bytes()
        text = data.decode("utf-8", errors="replace")
        language = detect_language(rel, text[:200])
        files.append(
            SourceFile(
                path=rel,
                language=language,
                size=len(data),
                lines=len(text.splitlines()),
                sha256=hashlib.sha256(data).hexdigest(),
                is_test=is_test_path(rel),
                role=file_role(rel, language),
            )
        )
    return files


def probe_context(root: Path, scope: str | None = None) -> ProbeContext:
    """A probe context over ``root`` built from :func:`source_files`."""
    return ProbeContext(root, source_files(root, scope), scope)


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
