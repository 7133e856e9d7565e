"""Shared pieces of the LLM tests: the fake server and a tiny repository with open questions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipeline.ingest import ingest_repository
from pipeline.judge.base import QuestionInput
from pipeline.retrieve.hints import hints_for
from pipeline.rubric.questions import question
from pipeline.schemas import (
    Category,
    CheckResult,
    Chunk,
    Evidence,
    Outcome,
    QuestionAnswer,
    QuestionEvidence,
    RepoInfo,
    RetrievedChunk,
    Severity,
)
from tests.fakes.fixtures import fake_model_options, fake_openai  # noqa: F401

APP = """import os

from flask import request

ROOT = "/srv/files"


def download(name):
    # serve a stored file; names were checked by the gateway
    path = os.path.join(ROOT, name)
    return open(path, "rb").read()


def safe_download(name):
    path = os.path.realpath(os.path.join(ROOT, name))
    if not path.startswith(ROOT + os.sep):
        raise ValueError("outside the root")
    return open(path, "rb").read()
"""

README = """# demo

A demo file server.
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "src").mkdir(parents=True)
    (root / "src" / "app.py").write_text(APP)
    (root / "README.md").write_text(README)
    return root


def chunk(root: Path, path: str, start: int = 1, end: int | None = None) -> Chunk:
    """A chunk of ``path`` as ingest shows it to a model: secrets redacted."""
    lines = list(ingest_repository(root).shown_lines(path))
    end = end or len(lines)
    return Chunk(
        id=f"{path}:{start}",
        path=path,
        language="python" if path.endswith(".py") else "markdown",
        start_line=start,
        end_line=end,
        text="\n".join(lines[start - 1 : end]),
    )


def fact(check_id: str, outcome: Outcome, category: Category = Category.security) -> CheckResult:
    return CheckResult(
        id=check_id,
        category=category,
        severity=Severity.high,
        title=f"check {check_id}",
        outcome=outcome,
        message=f"{check_id} is {outcome.value}",
        evidence=[Evidence(path="src/app.py", start_line=10, end_line=10, snippet="")],
    )


def item(
    root: Path,
    question_id: str = "security.path_traversal",
    checks: list[CheckResult] | None = None,
    chunks: list[Chunk] | None = None,
) -> QuestionInput:
    asked = question(question_id)
    shown = chunks if chunks is not None else [chunk(root, "src/app.py")]
    hits = [
        RetrievedChunk(chunk=c, rank=n, why="mentions path, join", focus_line=c.start_line)
        for n, c in enumerate(shown, start=1)
    ]
    return QuestionInput(
        question=asked,
        hints=hints_for(asked),
        left_open=QuestionAnswer(
            id=asked.id, category=asked.category, ask=asked.ask, good=asked.good, status="open"
        ),
        evidence=QuestionEvidence(question_id=asked.id, hits=hits, searched="the code"),
        facts=checks if checks is not None else [fact("SEC003", Outcome.passed)],
        repo=RepoInfo(name="demo", path=str(root)),
        snapshot=ingest_repository(root),
    )


def cite(start: int = 10, end: int = 10, snippet: str = "path = os.path.join(ROOT, name)",
         path: str = "src/app.py") -> dict[str, Any]:  # fmt: skip
    return {"path": path, "start_line": start, "end_line": end, "snippet": snippet}


def answer(
    value: str = "yes",
    evidence: list[dict[str, Any]] | None = None,
    searched: str = "",
    check_id: str | None = None,
    severity: str | None = "high",
    explanation: str = "download joins the request's name into a path unchecked.",
) -> dict[str, Any]:
    return {
        "answer": value,
        "explanation": explanation,
        "searched": searched,
        "evidence": evidence if evidence is not None else [cite()],
        "check_id": check_id,
        "title": "Untrusted names joined into file paths",
        "recommendation": "Resolve the path and check it stays under ROOT.",
        "severity": severity,
    }


NOT_REFUTED = {"refuted": False, "explanation": "Nothing refutes it.", "evidence": []}
