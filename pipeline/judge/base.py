"""What every judge (offline drafter or LLM) looks like to the runner."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pipeline.categories import CategorySpec
from pipeline.schemas import CategoryJudgement, EvidencePack, RepoInfo, Usage


@dataclass(frozen=True)
class JudgeInput:
    """One category's question to a judge."""

    spec: CategorySpec
    pack: EvidencePack
    repo: RepoInfo
    root: Path


class Judge(Protocol):
    """Drafts one category's verdict and findings from its evidence pack."""

    name: str

    async def judge(self, item: JudgeInput) -> tuple[CategoryJudgement, Usage]:
        """Judge one category; the usage says what it cost (zero for the offline drafter)."""
        ...
