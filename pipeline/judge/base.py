"""What every judge (the offline drafter or an LLM) looks like to the runner.

The unit of work is one open question: the probes could not settle it, retrieval found the
code most likely to answer it, and the judge either answers it with cited code (a model) or
hands it to the reviewer with the best places to look (the offline drafter).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from pipeline.ingest.snapshot import RepoSnapshot
from pipeline.retrieve.hints import SearchHints
from pipeline.rubric.questions import Question
from pipeline.schemas import (
    CheckResult,
    QuestionAnswer,
    QuestionEvidence,
    QuestionJudgement,
    RepoInfo,
)


@dataclass(frozen=True)
class QuestionInput:
    """One open question for a judge: the question, how the probes left it, the code found
    for it, the facts it must agree with, and the files (for checking citations)."""

    question: Question
    hints: SearchHints
    left_open: QuestionAnswer
    evidence: QuestionEvidence
    facts: list[CheckResult]
    repo: RepoInfo
    snapshot: RepoSnapshot


class Judge(Protocol):
    """Answers open questions with verified evidence, nothing else: weights, applicability and
    verdicts belong to the scoring package, severities to the questions' data."""

    name: str

    def prompt_hashes(self) -> dict[str, str]:
        """Template name → hash of every prompt this judge renders (for caches and reports)."""
        ...

    async def answer(self, item: QuestionInput) -> QuestionJudgement:
        """The question as the judge leaves it (answered or still open), with its findings
        and what it cost (``answer.usage``; none for the offline drafter)."""
        ...
