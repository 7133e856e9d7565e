"""What every judge (the offline drafter or an LLM) looks like to the runner."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from pipeline.ingest.snapshot import RepoSnapshot
from pipeline.rubric import CategorySpec
from pipeline.schemas import CheckResult, Chunk, JudgeOutput, RepoInfo, Usage


@dataclass(frozen=True)
class JudgeInput:
    """One category's question to a judge: its facts, the code retrieved for it, the files."""

    spec: CategorySpec
    checks: list[CheckResult]
    chunks: list[Chunk]
    repo: RepoInfo
    snapshot: RepoSnapshot


class Judge(Protocol):
    """Adds a category's findings (with verified evidence) and its summary, nothing else:
    weights, applicability and verdicts belong to the scoring package."""

    name: str

    @property
    def needs_chunks(self) -> bool:
        """Whether the judge reads retrieved code (so index and retrieve must run)."""
        ...

    def prompt_hashes(self) -> dict[str, str]:
        """Template name → hash of every prompt this judge renders (for caches and reports)."""
        ...

    async def judge(self, item: JudgeInput) -> tuple[JudgeOutput, Usage]:
        """Judge one category; the usage says what it cost (zero for the offline drafter)."""
        ...
