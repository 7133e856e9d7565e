"""Retrieve: per category, its facts plus the best chunks for its questions, in a token budget."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from pipeline.rubric import CategorySpec
from pipeline.schemas import Category, Chunk, EvidencePack

# Categories whose questions are about tests themselves; the rest prefer production code.
_TEST_CODE_WELCOME = {Category.testing}
_KEYWORD_BONUS = 0.15
_TEST_PENALTY = 0.2


class SearchableIndex(Protocol):
    def query(self, text: str, n: int, where: dict | None = None) -> list[tuple[Chunk, float]]:
        """Chunks nearest to ``text``, best first, with a similarity in [0, 1]."""
        ...

    def keyword_search(self, terms: list[str], n: int) -> list[Chunk]:
        """Chunks whose text contains any of ``terms``."""
        ...


def estimate_tokens(text: str) -> int:
    """A cheap token estimate (about four characters a token for code and English)."""
    return len(text) // 4 + 1


def retrieve_evidence(
    spec: CategorySpec,
    open_index: Callable[[], SearchableIndex],
    budget_tokens: int,
    per_question: int = 8,
) -> EvidencePack:
    """Gather one category's evidence: ranked chunks until the budget.

    Chunks are ranked by their best semantic similarity to any rubric question, with a bonus
    when they also contain one of the category's keywords; test code ranks lower except for
    the testing category. Ties break on path and line so the pack is reproducible.
    """
    index = open_index()
    scores: dict[str, float] = {}
    chunks: dict[str, Chunk] = {}
    for question in spec.questions:
        for chunk, similarity in index.query(question, per_question):
            chunks[chunk.id] = chunk
            scores[chunk.id] = max(scores.get(chunk.id, 0.0), similarity)
    keyword_chunks = index.keyword_search(list(spec.keywords), per_question)
    keyword_hits = {chunk.id for chunk in keyword_chunks}
    for chunk in keyword_chunks:
        chunks.setdefault(chunk.id, chunk)
        scores.setdefault(chunk.id, 0.0)
    for chunk_id, chunk in chunks.items():
        if chunk_id in keyword_hits:
            scores[chunk_id] += _KEYWORD_BONUS
        if chunk.role != "product" and spec.id not in _TEST_CODE_WELCOME:
            scores[chunk_id] -= _TEST_PENALTY

    ranked = sorted(chunks.values(), key=lambda c: (-scores[c.id], c.path, c.start_line))
    used = 0
    selected: list[Chunk] = []
    for chunk in ranked:
        cost = estimate_tokens(chunk.text)
        if used + cost > budget_tokens:
            continue
        selected.append(chunk)
        used += cost
    return EvidencePack(category=spec.id, chunks=selected, token_estimate=used)
