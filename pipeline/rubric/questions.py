"""The reviewer's questions, as data: ``questions.toml`` beside this module."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib import resources

ANSWERS = ("yes", "no", "partly", "not_applicable", "cannot_determine")


@dataclass(frozen=True)
class Question:
    """One question a senior reviewer asks, with when it applies and which probes settle it."""

    id: str
    category: str  # a Category value, or "profile"
    ask: str
    good: str  # "yes" or "no"; "" when there is no healthy answer (profile questions)
    applies: tuple[str, ...]
    guide: str = ""
    settled_by: tuple[str, ...] = ()
    settle: str = "all"  # "any": one passing probe is enough

    @property
    def bad(self) -> str:
        """The unhealthy answer."""
        return {"yes": "no", "no": "yes"}.get(self.good, "")


@functools.cache
def questions() -> tuple[Question, ...]:
    """Every question of the shipped catalogue, in file order."""
    text = resources.files(__package__).joinpath("questions.toml").read_text(encoding="utf-8")
    return tuple(
        Question(
            id=item["id"],
            category=item["category"],
            ask=item["ask"],
            good=item.get("good", ""),
            applies=tuple(item.get("applies", ["all"])),
            guide=item.get("guide", ""),
            settled_by=tuple(item.get("settled_by", ())),
            settle=item.get("settle", "all"),
        )
        for item in tomllib.loads(text)["question"]
    )


def question(question_id: str) -> Question:
    """The question with ``question_id`` (KeyError when the catalogue has none)."""
    for item in questions():
        if item.id == question_id:
            return item
    raise KeyError(question_id)
