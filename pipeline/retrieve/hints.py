"""Where to look for each question's evidence: ``pipeline/rubric/search.toml`` as data."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib import resources

from pipeline.rubric.questions import Question
from pipeline.schemas import Severity

SEARCH_RESOURCE = "search.toml"


@dataclass(frozen=True)
class SearchHints:
    """How to search for one question: words, a description, files, roles; and what an
    unhealthy answer weighs and which facts a healthy one needs."""

    question_id: str
    query: str
    terms: tuple[str, ...] = ()
    globs: tuple[str, ...] = ()
    roles: tuple[str, ...] = ("product",)
    severity: Severity = Severity.medium
    requires: tuple[str, ...] = ()

    def describe(self) -> str:
        """What a search with these hints looks at, in words (a ``no`` must name it)."""
        where = f"files matching {', '.join(self.globs[:6])}" if self.globs else "the code"
        words = ", ".join(self.terms[:10])
        return f"{where} ({'/'.join(self.roles)} files) for: {words}" if words else where


@functools.cache
def _table() -> dict[str, dict[str, object]]:
    text = resources.files("pipeline.rubric").joinpath(SEARCH_RESOURCE).read_text("utf-8")
    return tomllib.loads(text)


def _strings(entry: dict[str, object], name: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
    value = entry.get(name)
    if not isinstance(value, list):
        return default
    return tuple(str(item) for item in value)


def hints_for(question: Question) -> SearchHints:
    """The question's hints; a question the file does not list is searched by its words."""
    entry = _table().get(question.id, {})
    return SearchHints(
        question_id=question.id,
        query=str(entry.get("query") or question.ask),
        terms=_strings(entry, "terms"),
        globs=_strings(entry, "globs"),
        roles=_strings(entry, "roles", ("product",)) or ("product",),
        severity=Severity(str(entry.get("severity", "medium"))),
        requires=_strings(entry, "requires"),
    )


def listed_ids() -> set[str]:
    """Question ids the hints file has an entry for."""
    return set(_table())
