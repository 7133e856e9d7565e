"""Golden open questions: planted repositories whose answers and evidence lines are labelled.

A :class:`QuestionRepo` is a dict of files and, per reviewer question the probes leave open,
the answer a careful reader gives and where the evidence is (located by a marker, a
substring of the first line, so labels never carry hand-counted line numbers). ``injections``
are phrases of text planted to talk a model into an "everything is fine" answer; the
unreliable model of the evaluation obeys them whenever it is shown one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from pipeline.evaluation.golden.spec import GoldenRepo, build_repo, locate


@dataclass(frozen=True)
class At:
    """Evidence: ``span`` lines of ``path`` from the line holding ``marker``."""

    path: str
    marker: str
    span: int = 1


@dataclass(frozen=True)
class Label:
    """A question's labelled answer and the places that show it."""

    question_id: str
    answer: str
    evidence: tuple[At, ...] = ()
    searched: str = ""


@dataclass(frozen=True)
class QuestionRepo:
    name: str
    kind: str
    language: str
    files: dict[str, str]
    labels: tuple[Label, ...]
    injections: tuple[str, ...] = ()
    executable: tuple[str, ...] = field(default=())


class Location(BaseModel):
    """A resolved evidence location, with the exact text of its lines."""

    model_config = ConfigDict(frozen=True)

    path: str
    start_line: int
    end_line: int
    text: str


class QuestionTruth(BaseModel):
    """A resolved label: the answer and its evidence with real line numbers."""

    model_config = ConfigDict(frozen=True)

    question_id: str
    answer: str
    evidence: list[Location]
    searched: str = ""


def resolve(repo: QuestionRepo) -> list[QuestionTruth]:
    """The labels with line numbers and text, checked against the repository's own files."""
    resolved = []
    for label in repo.labels:
        places = []
        for at in label.evidence:
            if at.path not in repo.files:
                raise ValueError(f"{repo.name}: label cites missing file {at.path}")
            start = locate(repo.files[at.path], at.marker)
            lines = repo.files[at.path].splitlines()[start - 1 : start - 1 + at.span]
            places.append(
                Location(
                    path=at.path,
                    start_line=start,
                    end_line=start + at.span - 1,
                    text="\n".join(lines),
                )
            )
        resolved.append(
            QuestionTruth(
                question_id=label.question_id,
                answer=label.answer,
                evidence=places,
                searched=label.searched,
            )
        )
    return resolved


def build(repo: QuestionRepo, dest: Path) -> Path:
    """Write and commit the repository under ``dest`` (reproducibly)."""
    spec = GoldenRepo(
        name=repo.name,
        kind=repo.kind,
        language=repo.language,
        files=repo.files,
        executable=repo.executable,
    )
    return build_repo(spec, dest)
