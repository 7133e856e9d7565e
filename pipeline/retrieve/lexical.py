"""BM25 over the chunks (``bm25s``), with a tokenizer that reads code.

Identifiers are split where code joins words (``save_state`` and ``saveState`` give ``save``
and ``state``, and the whole identifier too), lower-cased, reduced to a crude stem and
stripped of English stop words, so "locks the state file" finds ``fcntl.flock(state_fd)``.
The path and symbol of a chunk count as words of it: ``storage/lock.py`` is about locking.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from pipeline.schemas import Chunk

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|[0-9]{3,}")
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_STOP = frozenset(
    """a an and are as at be by can do does for from has have if in into is it its of on or
    that the their then there these this to was were when where which while with without
    what who will would not no yes any all each every other than only so such""".split()  # noqa: SIM905
)


def stem(word: str) -> str:
    """A crude English stem: enough that ``retries``/``retry`` and ``locked``/``lock`` meet."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 5 and word.endswith("ing"):
        return word[:-3]
    if len(word) > 4 and word.endswith("ed") and not word.endswith("eed"):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def tokenize(text: str) -> list[str]:
    """The words of ``text`` as BM25 sees them (identifiers split, stems, no stop words)."""
    tokens: list[str] = []
    for identifier in _IDENTIFIER.findall(text):
        parts = [p.lower() for piece in identifier.split("_") for p in _CAMEL.findall(piece)]
        whole = identifier.strip("_").lower()
        if len(parts) > 1 and whole:
            tokens.append(whole)
        tokens.extend(stem(p) for p in parts if len(p) > 1 and p not in _STOP)
    return tokens


def chunk_words(chunk: Chunk) -> list[str]:
    """What BM25 indexes for a chunk: its path, its symbol and its text."""
    return tokenize(f"{chunk.path} {chunk.symbol or ''}\n{chunk.text}")


class LexicalIndex:
    """BM25 over a fixed list of chunks; scores come back for every chunk, masks apply."""

    def __init__(self, chunks: Sequence[Chunk]) -> None:
        import bm25s

        self.chunks = list(chunks)
        self._words = [chunk_words(c) for c in self.chunks]
        self._bm25 = bm25s.BM25()
        if self.chunks:
            self._bm25.index([w or ["\u2205"] for w in self._words], show_progress=False)

    def words(self, position: int) -> list[str]:
        """The indexed words of the chunk at ``position``."""
        return self._words[position]

    def scores(self, query: list[str], mask: np.ndarray | None = None) -> np.ndarray:
        """BM25 score of every chunk for ``query`` (zero where ``mask`` is false)."""
        if not self.chunks or not query:
            return np.zeros(len(self.chunks), dtype=np.float32)
        scores = np.asarray(self._bm25.get_scores(query), dtype=np.float32)
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        return scores

    def rank(self, query: list[str], mask: np.ndarray | None, depth: int) -> list[int]:
        """Positions of the ``depth`` best chunks with a positive score, best first.

        Ties break on path and first line, so the ranking is reproducible.
        """
        scores = self.scores(query, mask)
        positive = np.flatnonzero(scores > 0)
        order = sorted(
            positive.tolist(),
            key=lambda i: (-float(scores[i]), self.chunks[i].path, self.chunks[i].start_line),
        )
        return order[:depth]
