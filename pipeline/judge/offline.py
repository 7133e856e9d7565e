"""The offline drafter: no model, so an open question goes to the reviewer with pointers.

Every command works on a fresh machine with no key and no network because of this judge:
the facts become findings and prose in the scoring package, from templates; what the facts
could not settle is listed for the reviewer with the three places retrieval ranked best.
"""

from __future__ import annotations

from pipeline.judge.base import QuestionInput
from pipeline.retrieve import pointers
from pipeline.schemas import QuestionJudgement


class OfflineJudge:
    """Adds no finding; points the reviewer at code. Costs nothing and is reproducible."""

    name = "offline"

    def prompt_hashes(self) -> dict[str, str]:
        return {}

    async def answer(self, item: QuestionInput) -> QuestionJudgement:
        left = item.left_open.model_copy(
            update={"pointers": pointers(item.evidence), "searched": item.evidence.searched}
        )
        return QuestionJudgement(answer=left)
