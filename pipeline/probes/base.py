"""The probe base class and the small types every probe family shares.

A probe is a small class with a stable id (``OBS003``), a category, a severity and a
``check()`` whose parameters name the views it reads (``def check(self, repo, text)``): the
engine hands each view by name, built once per run. Its docstring is the message a user
reads. ``applies`` says for what software the question makes sense (a condition on the
profile, as in ``pipeline/rubric/questions.toml``); ``requires`` names probes that must pass
first, whose results arrive in a ``required`` parameter.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from pipeline.probes.registry import register_probe
from pipeline.schemas import Category, CheckResult, Evidence, Outcome, Severity
from pipeline.secrets import redact_secrets

if TYPE_CHECKING:
    from pipeline.probes.views.repo import RepoView


@dataclass(frozen=True)
class Hit:
    """One matching line."""

    path: str
    line: int
    text: str

    def evidence(self, repo: RepoView, before: int = 0, after: int = 0) -> Evidence:
        return repo.evidence(self.path, max(1, self.line - before), self.line + after)

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


def plural(count: int, word: str) -> str:
    """``1 file``, ``3 files``: message text without the ``file(s)`` shorthand. In a phrase
    the head noun takes the plural (``query built from strings`` -> ``queries built from
    strings``)."""
    if count == 1:
        return f"{count} {word}"
    words = word.split(" ")
    head = next((i - 1 for i, w in enumerate(words) if i and w in _CONNECTORS), len(words) - 1)
    words[head] = _plural_noun(words[head])
    return f"{count} {' '.join(words)}"


_CONNECTORS = frozenset(
    {"built", "for", "that", "which", "from", "of", "in", "with", "without", "on", "to", "by"}
)


def _plural_noun(noun: str) -> str:
    if len(noun) > 1 and noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    return noun + "s"


class Probe:
    """Base of every probe. Subclasses set the class variables and implement ``check``."""

    id: ClassVar[str]
    category: ClassVar[Category]
    severity: ClassVar[Severity]
    title: ClassVar[str]
    rationale: ClassVar[str] = ""
    remediation: ClassVar[str] = ""
    # A condition on the profile (see questions.toml): "all", "service", "database", ...
    applies: ClassVar[str] = "all"
    requires: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if not inspect.isabstract(cls) and "id" in cls.__dict__:
            register_probe(cls)

    if TYPE_CHECKING:
        # Each probe declares its own parameters: the views it reads, by name.
        def check(self, *args: Any, **kwargs: Any) -> CheckResult: ...

    @classmethod
    def message(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or cls.title)

    def result(
        self,
        outcome: Outcome,
        message: str,
        evidence: Iterable[Evidence] = (),
        looked_at: Iterable[str] = (),
        partial: bool = False,
        advisory: str = "",
    ) -> CheckResult:
        return CheckResult(
            id=self.id,
            category=self.category,
            severity=self.severity,
            title=self.title,
            outcome=outcome,
            # Messages quote repository text (a command, a setting): the one place where
            # what a probe says is redacted, as evidence is by the snapshot.
            message=redact_secrets(message)[0],
            rationale=self.rationale,
            remediation=self.remediation,
            evidence=list(evidence),
            looked_at=list(looked_at),
            partial=partial,
            advisory=advisory,
        )

    def passed(
        self, evidence: Iterable[Evidence], message: str | None = None, partial: bool = False
    ) -> CheckResult:
        """A pass. It cites what it found; a pass that rests on finding nothing ("no eval in
        84 files") has no line to cite and carries no evidence rather than a fake anchor."""
        return self.result(Outcome.passed, message or self.message(), evidence, partial=partial)

    def failed(
        self,
        evidence: Iterable[Evidence],
        message: str | None = None,
        looked_at: Iterable[str] = (),
        partial: bool = False,
        advisory: str = "",
    ) -> CheckResult:
        """A gap. A gap about something absent says in ``looked_at`` what was searched.
        ``partial``: the evidence shows part of the question healthy (the answer is "partly").
        ``advisory``: why, in this software, the fact is not a gap (it is listed apart)."""
        return self.result(
            Outcome.failed, message or self.message(), evidence, looked_at, partial, advisory
        )

    def not_applicable(self, reason: str) -> CheckResult:
        return self.result(Outcome.not_applicable, reason)

    def cannot_determine(
        self, message: str, looked_at: Iterable[str] = (), evidence: Iterable[Evidence] = ()
    ) -> CheckResult:
        """Neither a gap nor a strength: what was looked at, and why it does not settle it."""
        return self.result(Outcome.cannot_determine, message, evidence, looked_at)
