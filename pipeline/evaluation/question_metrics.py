"""What the open-question evaluation measures, as eval.json carries it (no heavy imports)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

# The retrieval modes (pipeline.retrieve.Mode), spelled here to keep this module light.
MODES: tuple[Literal["bm25", "embedding", "hybrid"], ...] = ("bm25", "embedding", "hybrid")


class ModeRecall(BaseModel):
    """Recall of one search mode: labelled locations found in the first 3 and 8 hits."""

    mode: str
    locations: int = 0
    found_at_3: int = 0
    found_at_8: int = 0

    @property
    def recall_at_3(self) -> float | None:
        return self.found_at_3 / self.locations if self.locations else None

    @property
    def recall_at_8(self) -> float | None:
        return self.found_at_8 / self.locations if self.locations else None


class QuestionRecall(BaseModel):
    repo: str
    question_id: str
    locations: int
    found: dict[str, list[int]] = Field(default_factory=dict)  # mode -> [found@3, found@8]


class RetrievalMetrics(BaseModel):
    """Recall per mode over every labelled location, and per question."""

    modes: list[ModeRecall] = Field(default_factory=list)
    questions: list[QuestionRecall] = Field(default_factory=list)
    embedded: int = 0

    def mode(self, name: str) -> ModeRecall:
        return next(m for m in self.modes if m.mode == name)

    def add(self, other: RetrievalMetrics) -> None:
        mine = {m.mode: m for m in self.modes}
        for theirs in other.modes:
            into = mine.setdefault(theirs.mode, ModeRecall(mode=theirs.mode))
            into.locations += theirs.locations
            into.found_at_3 += theirs.found_at_3
            into.found_at_8 += theirs.found_at_8
        self.modes = [mine[m] for m in MODES if m in mine]
        self.questions.extend(other.questions)
        self.embedded += other.embedded


class UnreliableMetrics(BaseModel):
    """What the unreliable model told, and what of it reached the reports."""

    given: dict[str, int] = Field(default_factory=dict)  # responses by kind
    reached: dict[str, int] = Field(default_factory=dict)  # lies in the reports, by kind
    correct_given: int = 0
    correct_kept: int = 0
    questions_asked: int = 0
    questions_answered: int = 0
    answers_agreeing: int = 0  # answered questions whose answer is the label's
    llm_requests: int = 0
    tokens: int = 0
    rejected: dict[str, int] = Field(default_factory=dict)  # what the checks threw out

    @property
    def kept_share(self) -> float | None:
        return self.correct_kept / self.correct_given if self.correct_given else None


class QuestionsEval(BaseModel):
    """Both halves, as eval.json carries them."""

    repos: list[str] = Field(default_factory=list)
    retrieval: RetrievalMetrics = Field(default_factory=RetrievalMetrics)
    unreliable: UnreliableMetrics | None = None


def format_retrieval(metrics: RetrievalMetrics, title: str) -> list[str]:
    """Recall per mode, side by side, as lines of text."""

    def pct(value: float | None) -> str:
        return "  –" if value is None else f"{100 * value:3.0f}%"

    lines = [f"{title}: {metrics.modes[0].locations if metrics.modes else 0} labelled locations"]
    lines.append(f"  {'':10} {'recall@3':>9} {'recall@8':>9}")
    for mode in metrics.modes:
        lines.append(f"  {mode.mode:10} {pct(mode.recall_at_3):>9} {pct(mode.recall_at_8):>9}")
    return lines


def format_unreliable(metrics: UnreliableMetrics) -> list[str]:
    """The unreliable model's counts as lines of text."""
    given = metrics.given
    reached = metrics.reached
    kept = metrics.kept_share
    share = "–" if kept is None else f"{100 * kept:.0f}%"
    return [
        f"unreliable model: {metrics.questions_asked} questions asked, "
        f"{metrics.llm_requests} requests, {metrics.tokens} tokens",
        f"  lies told:   fabricated {given.get('fabricated', 0)}, contradictions "
        f"{given.get('contradiction', 0)}, injected all-fine {given.get('injected', 0)}, "
        f"off-schema {given.get('off_schema', 0)}, wrong severities "
        f"{given.get('wrong_severity', 0)}",
        f"  in reports:  fabricated {reached.get('fabricated', 0)} (invalid citations "
        f"{reached.get('invalid_citation', 0)}), contradictions "
        f"{reached.get('contradiction', 0)}, injected all-fine {reached.get('injected', 0)}, "
        f"wrong severities {reached.get('wrong_severity', 0)}",
        f"  correct answers kept: {metrics.correct_kept} of {metrics.correct_given} ({share}); "
        f"answered {metrics.questions_answered}, agreeing with the labels "
        f"{metrics.answers_agreeing}",
    ]
