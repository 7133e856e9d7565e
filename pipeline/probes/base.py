"""Probe base class, registry and the shared context every probe reads.

A probe is a small class with a stable id (``OBS003``), a category, a severity and a
``check()``. Its docstring is the message a user reads. Shared inputs (file index, parsed
files) are computed once by :class:`ProbeContext` and handed to every probe that asks.
"""

from __future__ import annotations

import ast
import functools
import inspect
from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from pipeline.schemas import Category, CheckResult, Evidence, Outcome, Severity, SourceFile

_REGISTRY: dict[str, type[Probe]] = {}


class ProbeContext:
    """The repository as probes see it: the ingested file index plus cached parsed views.

    Args:
        root: The repository root; evidence paths are relative to it.
        files: Every file ingest kept (relative paths).
        scope: When assessing one package of a monorepo, its folder relative to ``root``.
    """

    def __init__(self, root: Path, files: list[SourceFile], scope: str | None = None) -> None:
        self.root = root
        self.files = files
        self.scope = scope
        self.by_path = {f.path: f for f in files}

    @functools.cache  # noqa: B019 - the context lives for one probe run
    def text(self, path: str) -> str:
        """The text of a repository file ('' when unreadable)."""
        try:
            return (self.root / path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def lines(self, path: str) -> list[str]:
        return self.text(path).splitlines()

    @functools.cache  # noqa: B019
    def python_ast(self, path: str) -> ast.Module | None:
        """The parsed module, or None when it does not parse."""
        try:
            return ast.parse(self.text(path), filename=path)
        except (SyntaxError, ValueError):
            return None

    def files_in(self, *languages: str) -> list[SourceFile]:
        return [f for f in self.files if f.language in languages]

    def evidence(self, path: str, start: int, end: int | None = None) -> Evidence:
        """Evidence for lines ``start..end`` of ``path``, with the snippet read from the file."""
        lines = self.lines(path)
        end = end or start
        start = max(1, min(start, max(len(lines), 1)))
        end = max(start, min(end, max(len(lines), 1)))
        snippet = "\n".join(lines[start - 1 : end])
        return Evidence(path=path, start_line=start, end_line=end, snippet=snippet[:400])


class Probe:
    """Base of every probe. Subclasses set the class variables and implement ``check``."""

    id: ClassVar[str]
    category: ClassVar[Category]
    severity: ClassVar[Severity]
    title: ClassVar[str]
    rationale: ClassVar[str] = ""
    remediation: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if not inspect.isabstract(cls) and "id" in cls.__dict__:
            if cls.id in _REGISTRY and _REGISTRY[cls.id] is not cls:
                raise ValueError(f"duplicate probe id {cls.id}")
            _REGISTRY[cls.id] = cls

    @classmethod
    def message(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or cls.title)

    def check(self, ctx: ProbeContext) -> CheckResult:
        raise NotImplementedError

    def _result(self, outcome: Outcome, message: str, evidence: Iterable[Evidence]) -> CheckResult:
        return CheckResult(
            id=self.id,
            category=self.category,
            severity=self.severity,
            title=self.title,
            outcome=outcome,
            message=message,
            rationale=self.rationale,
            remediation=self.remediation,
            evidence=list(evidence),
        )

    def passed(self, evidence: Iterable[Evidence], message: str | None = None) -> CheckResult:
        return self._result(Outcome.passed, message or self.message(), evidence)

    def failed(self, evidence: Iterable[Evidence], message: str | None = None) -> CheckResult:
        return self._result(Outcome.failed, message or self.message(), evidence)

    def not_applicable(self, reason: str) -> CheckResult:
        return self._result(Outcome.not_applicable, reason, [])


def registered_probes() -> list[type[Probe]]:
    """Every registered probe class, in id order."""
    from pipeline.probes import catalogue  # noqa: F401 - importing registers the probes

    return [_REGISTRY[key] for key in sorted(_REGISTRY)]


def run_probes(ctx: ProbeContext) -> list[CheckResult]:
    """Run every probe; a probe that raises yields an ``error`` outcome, never a crash."""
    results = []
    for probe_cls in registered_probes():
        probe = probe_cls()
        try:
            results.append(probe.check(ctx))
        except Exception as exc:  # noqa: BLE001 - one broken probe must not sink the run
            results.append(probe._result(Outcome.error, f"{type(exc).__name__}: {exc}", []))
    return results
