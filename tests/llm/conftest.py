"""Shared pieces of the LLM tests: the fake server and a tiny repository to judge."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipeline.ingest import ingest_repository
from pipeline.judge.base import JudgeInput
from pipeline.rubric import CATEGORIES
from pipeline.schemas import (
    Category,
    CheckResult,
    Chunk,
    Evidence,
    Outcome,
    RepoInfo,
    Severity,
)
from tests.fakes.fixtures import fake_model_options, fake_openai  # noqa: F401

APP = """import logging

log = logging.getLogger(__name__)


def handler(event):
    try:
        return process(event)
    except Exception:
        pass


def process(event):
    return event["body"]
"""

README = """# demo

A demo service.
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
        language="python",
        start_line=start,
        end_line=end,
        text="\n".join(lines[start - 1 : end]),
    )


def fact(check_id: str, outcome: Outcome, message: str = "") -> CheckResult:
    return CheckResult(
        id=check_id,
        category=Category.error_handling,
        severity=Severity.high,
        title=f"check {check_id}",
        outcome=outcome,
        message=message or f"{check_id} is {outcome.value}",
        evidence=[Evidence(path="src/app.py", start_line=9, end_line=10, snippet="")],
    )


def item(
    root: Path,
    checks: list[CheckResult] | None = None,
    chunks: list[Chunk] | None = None,
    category: Category = Category.error_handling,
) -> JudgeInput:
    return JudgeInput(
        spec=CATEGORIES[category],
        checks=checks if checks is not None else [fact("ERR001", Outcome.failed)],
        chunks=chunks if chunks is not None else [chunk(root, "src/app.py")],
        repo=RepoInfo(name="demo", path=str(root)),
        snapshot=ingest_repository(root),
    )


def gap(
    title: str = "Exceptions are swallowed",
    path: str = "src/app.py",
    start: int = 9,
    end: int = 10,
    snippet: str = "except Exception:\n        pass",
    kind: str = "gap",
    check_id: str | None = None,
) -> dict[str, Any]:
    return {
        "kind": kind,
        "severity": "high",
        "title": title,
        "impact": "Failures vanish without a trace.",
        "recommendation": "Log the exception and re-raise it.",
        "check_id": check_id,
        "evidence": [{"path": path, "start_line": start, "end_line": end, "snippet": snippet}],
    }


def answer(findings: list[dict[str, Any]] | None = None) -> dict:
    return {
        "summary": "Errors are caught but swallowed in the handler.",
        "findings": findings if findings is not None else [gap()],
    }
