"""The offline drafter: no model, so nothing beyond the facts is added.

Every command works on a fresh machine with no key and no network because of this judge:
the facts become findings and prose in the scoring package, from templates.
"""

from __future__ import annotations

from pipeline.judge.base import JudgeInput
from pipeline.schemas import JudgeOutput, Usage


class OfflineJudge:
    """Adds no finding and reads no retrieved code; costs nothing and is reproducible."""

    name = "offline"
    needs_chunks = False

    def prompt_hashes(self) -> dict[str, str]:
        return {}

    async def judge(self, item: JudgeInput) -> tuple[JudgeOutput, Usage]:
        return JudgeOutput(category=item.spec.id), Usage()
