"""The golden set: repositories built from compact specs, with labels of what was planted.

``golden_dataset(root)`` builds every repository under ``root`` and returns a pydantic-evals
``Dataset`` whose cases carry the resolved labels in their metadata.

Probes have been tuned while these labels were visible, so scores here are optimistic: a
number that should predict real repositories needs a held-out set nobody tuned against.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic_evals import Case, Dataset

from pipeline.errors import InputError
from pipeline.evaluation.golden.questions_spec import QuestionRepo
from pipeline.evaluation.golden.repos_late import LATE_REPOS
from pipeline.evaluation.golden.repos_other import OTHER_REPOS
from pipeline.evaluation.golden.repos_python import PYTHON_REPOS
from pipeline.evaluation.golden.spec import (
    Expect,
    ExpectedFact,
    ExpectedFinding,
    Fact,
    GoldenRepo,
    Labels,
    build_repo,
    resolve_labels,
)

GOLDEN: dict[str, GoldenRepo] = {
    repo.name: repo for repo in (*PYTHON_REPOS, *OTHER_REPOS, *LATE_REPOS)
}


class GoldenInput(BaseModel):
    """What the task (one assessment) needs: where the built repository is."""

    name: str
    path: str
    scope: str | None = None


class GoldenMeta(BaseModel):
    """A case's metadata: what kind of repository it is and the labels of what was planted.

    The labels live here rather than in ``expected_output`` because they are not a report:
    the task's output is an assessment, the labels are what it is measured against.
    """

    kind: str
    language: str
    labels: Labels


def select(only: list[str] | tuple[str, ...] = ()) -> list[GoldenRepo]:
    """The golden repositories named in ``only`` (all when empty); unknown names are an error."""
    if not only:
        return list(GOLDEN.values())
    unknown = [name for name in only if name not in GOLDEN]
    if unknown:
        raise InputError(
            f"unknown golden repository {', '.join(unknown)}; known: {', '.join(GOLDEN)}"
        )
    return [GOLDEN[name] for name in only]


def golden_dataset(
    root: Path, only: list[str] | tuple[str, ...] = ()
) -> Dataset[GoldenInput, Any, GoldenMeta]:
    """Build the selected repositories under ``root`` and return them as evaluation cases."""
    cases = []
    for repo in select(only):
        path = build_repo(repo, root / repo.name)
        cases.append(
            Case(
                name=repo.name,
                inputs=GoldenInput(name=repo.name, path=str(path), scope=repo.scope),
                metadata=GoldenMeta(
                    kind=repo.kind, language=repo.language, labels=resolve_labels(repo)
                ),
            )
        )
    return Dataset[GoldenInput, Any, GoldenMeta](name="golden", cases=cases)


__all__ = [
    "GOLDEN",
    "Expect",
    "ExpectedFact",
    "ExpectedFinding",
    "Fact",
    "GoldenInput",
    "GoldenMeta",
    "GoldenRepo",
    "Labels",
    "build_repo",
    "golden_dataset",
    "question_repos",
    "resolve_labels",
    "select",
]


def question_repos() -> dict[str, QuestionRepo]:
    """The golden repositories of open questions (labelled answers and evidence lines)."""
    from pipeline.evaluation.golden.questions_other import OTHER_QUESTION_REPOS
    from pipeline.evaluation.golden.questions_python import FILESTORE

    return {repo.name: repo for repo in (FILESTORE, *OTHER_QUESTION_REPOS)}
