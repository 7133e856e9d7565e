"""Retrieve: per open question, the best evidence from three searches merged by rank.

- **BM25** (``lexical``) over every chunk, with the question's words and its search hints;
- **embeddings**: MiniLM vectors in ChromaDB, nearest in meaning to what the evidence looks
  like (the hints' ``query``);
- the **import/call neighbourhood** (``graph``) of the best chunks of the first two: the
  definitions of what they call and the callers of what they define.

The three rankings are merged by reciprocal rank fusion, de-duplicated, and cut to a tight
token budget. Only candidates are embedded: BM25's best for each question (and the few files
its hints name), so a repository of thousands of chunks costs a few hundred vectors, cached
by content; a run with no open question never gets here.
"""

from __future__ import annotations

import fnmatch
import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np

from pipeline.retrieve.graph import CodeGraph
from pipeline.retrieve.hints import SearchHints, hints_for
from pipeline.retrieve.lexical import LexicalIndex, tokenize
from pipeline.rubric.questions import Question
from pipeline.schemas import Chunk, Pointer, QuestionEvidence, RetrievedChunk, SourceFile

Mode = Literal["bm25", "embedding", "hybrid"]
_CODE_LANGUAGES = frozenset({"python", "javascript", "typescript", "go", "rust", "java"})


class SearchableIndex(Protocol):
    def query(
        self, text: str, n: int, where: dict | None = None, ids: list[str] | None = None
    ) -> list[tuple[Chunk, float]]:
        """Chunks nearest to ``text`` (among ``ids`` when given), best first, similarity."""
        ...

    def count(self) -> int: ...


@dataclass(frozen=True)
class RetrievalSettings:
    """How much each question gets: hits, tokens, and the depth of each search."""

    budget_tokens: int = 2000
    hits: int = 8
    candidates: int = 30  # BM25's best per question, embedded and ranked by meaning
    # Tuned on the golden question repositories and five labelled real repositories (never
    # the held-out ones): a small k lets the first ranks of each search count.
    rrf_k: int = 10
    bm25_weight: float = 1.0
    embedding_weight: float = 1.0
    graph_weight: float = 0.3
    graph_seeds: int = 3
    per_file: int = 3  # hits from one file before other files get a turn


def estimate_tokens(text: str) -> int:
    """A cheap token estimate (about four characters a token for code and English)."""
    return len(text) // 4 + 1


def _matches(path: str, globs: Sequence[str]) -> bool:
    name = path.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(path, g) or fnmatch.fnmatch(name, g) for g in globs)


class QuestionRetriever:
    """Searches one snapshot's chunks for each question (BM25, embeddings, neighbourhood)."""

    def __init__(
        self,
        chunks: Sequence[Chunk],
        graph: Callable[[], CodeGraph] | CodeGraph | None = None,
        settings: RetrievalSettings | None = None,
    ) -> None:
        self.chunks = list(chunks)
        self.settings = settings or RetrievalSettings()
        self.lexical = LexicalIndex(self.chunks)
        self._graph = graph
        self._by_path: dict[str, list[int]] = {}
        for position, chunk in enumerate(self.chunks):
            self._by_path.setdefault(chunk.path, []).append(position)

    @property
    def graph(self) -> CodeGraph | None:
        if callable(self._graph):
            self._graph = self._graph()
        return self._graph

    # -- the pool and the candidates ---------------------------------------------------------

    @functools.cache  # noqa: B019 - one retriever per run; hints are frozen and hashable
    def pool(self, hints: SearchHints) -> np.ndarray:
        """Which chunks the question searches: its roles, and its globs when any matches;
        without globs, program code only (a question about behaviour is not answered by
        configuration data or prose, unless its roles say docs)."""
        roles = set(hints.roles)
        by_role = np.array(
            [c.role in roles and (is_code(c) or "docs" in roles) for c in self.chunks],
            dtype=bool,
        )
        if hints.globs:
            by_role = np.array([c.role in roles for c in self.chunks], dtype=bool)
            by_glob = by_role & np.array(
                [_matches(c.path, hints.globs) for c in self.chunks], dtype=bool
            )
            if by_glob.any():
                return by_glob
        return by_role

    def query_words(self, question: Question, hints: SearchHints) -> list[str]:
        """BM25's query: the hint terms count twice, the question's and hint's words once."""
        words = tokenize(" ".join(hints.terms)) * 2 + tokenize(f"{question.ask} {hints.query}")
        return words

    def lexical_ranking(self, question: Question, hints: SearchHints, depth: int) -> list[int]:
        return self.lexical.rank(self.query_words(question, hints), self.pool(hints), depth)

    def candidates(self, questions: Iterable[Question]) -> list[Chunk]:
        """What to embed for ``questions``: BM25's best of each, and small glob pools whole."""
        chosen: dict[int, None] = {}
        for question in questions:
            hints = hints_for(question)
            for position in self.lexical_ranking(question, hints, self.settings.candidates):
                chosen[position] = None
            pool = np.flatnonzero(self.pool(hints))
            if hints.globs and len(pool) <= self.settings.candidates:
                chosen.update(dict.fromkeys(pool.tolist()))
        return [self.chunks[i] for i in sorted(chosen)]

    # -- one question --------------------------------------------------------------------------

    def retrieve(
        self,
        question: Question,
        index: SearchableIndex | None,
        mode: Mode = "hybrid",
        embed_pool: bool = False,
    ) -> QuestionEvidence:
        """The question's evidence: ranked hits, de-duplicated, within the token budget.

        ``mode`` picks one search alone (for the evaluation) or the three merged.
        ``embed_pool`` ranks the whole pool by meaning instead of BM25's candidates (the
        evaluation's "embeddings alone", whose index holds every chunk).
        """
        settings = self.settings
        hints = hints_for(question)
        words = self.query_words(question, hints)
        lists: dict[str, list[int]] = {}
        similarity: dict[int, float] = {}
        if mode in ("bm25", "hybrid"):
            lists["bm25"] = self.lexical.rank(words, self.pool(hints), settings.candidates)
        if mode in ("embedding", "hybrid") and index is not None:
            among = (
                None
                if embed_pool
                else lists.get("bm25") or self.lexical_ranking(question, hints, settings.candidates)
            )
            ranked = self._dense(hints, index, among)
            lists["embedding"] = [position for position, _ in ranked]
            similarity = dict(ranked)
        fused = self._fuse(lists)
        if mode == "hybrid":
            neighbours = self._neighbours([p for p, _ in fused[: settings.graph_seeds]], hints)
            lists["graph"] = [p for p, _ in neighbours]
            fused = self._fuse(lists)
            via = dict(neighbours)
        else:
            via = {}
        hits = self._select(fused, lists, words, similarity, via)
        return QuestionEvidence(
            question_id=question.id,
            hits=hits,
            token_estimate=sum(estimate_tokens(h.chunk.text) for h in hits),
            searched=hints.describe(),
        )

    def _dense(
        self, hints: SearchHints, index: SearchableIndex, among: list[int] | None
    ) -> list[tuple[int, float]]:
        """Pool positions by similarity of meaning to the hints' query, best first."""
        pool = self.pool(hints)
        if among is None:
            ids = [c.id for c, keep in zip(self.chunks, pool, strict=True) if keep]
        else:
            ids = [self.chunks[p].id for p in among]
        if not ids or index.count() == 0:
            return []
        position = {c.id: i for i, c in enumerate(self.chunks)}
        found = index.query(hints.query, len(ids), ids=ids)
        return [(position[c.id], score) for c, score in found if c.id in position]

    def _neighbours(self, seeds: list[int], hints: SearchHints) -> list[tuple[int, str]]:
        """Chunks one call away from the seeds: what they call, and who calls them."""
        graph = self.graph
        if graph is None:
            return []
        pool = self.pool(hints)
        found: dict[int, str] = {}
        for seed in seeds:
            chunk = self.chunks[seed]
            for definition in graph.callees(chunk.path, chunk.start_line, chunk.end_line):
                target = self._chunk_at(definition.path, definition.start)
                if target is not None and pool[target] and target not in found:
                    found[target] = f"defines `{definition.name}`, which {chunk.path} calls"
            for site in graph.callers(chunk.path, chunk.start_line, chunk.end_line):
                target = self._chunk_at(site.path, site.line)
                if target is not None and pool[target] and target not in found:
                    found[target] = f"calls `{site.name}` from {chunk.path}"
        return [(p, why) for p, why in found.items() if p not in seeds]

    def _chunk_at(self, path: str, line: int) -> int | None:
        for position in self._by_path.get(path, []):
            chunk = self.chunks[position]
            if chunk.start_line <= line <= chunk.end_line:
                return position
        return None

    def _fuse(self, lists: dict[str, list[int]]) -> list[tuple[int, float]]:
        """Reciprocal rank fusion of the rankings (ties break on path and line)."""
        settings = self.settings
        weights = {
            "bm25": settings.bm25_weight,
            "embedding": settings.embedding_weight,
            "graph": settings.graph_weight,
        }
        scores: dict[int, float] = {}
        for name, ranking in lists.items():
            for rank, position in enumerate(ranking, start=1):
                scores[position] = scores.get(position, 0.0) + weights[name] / (
                    settings.rrf_k + rank
                )
        return sorted(
            scores.items(),
            key=lambda item: (
                -item[1],
                self.chunks[item[0]].path,
                self.chunks[item[0]].start_line,
            ),
        )

    def _select(
        self,
        fused: list[tuple[int, float]],
        lists: dict[str, list[int]],
        words: list[str],
        similarity: dict[int, float],
        via: dict[int, str],
    ) -> list[RetrievedChunk]:
        """The first hits of the fused ranking that fit: a few per file, then the rest."""
        settings = self.settings
        ranks = {name: {p: r for r, p in enumerate(ranking, 1)} for name, ranking in lists.items()}
        order = [p for p, _ in fused]
        per_file: dict[str, int] = {}
        first: list[int] = []
        later: list[int] = []
        for position in order:
            path = self.chunks[position].path
            per_file[path] = per_file.get(path, 0) + 1
            (first if per_file[path] <= settings.per_file else later).append(position)
        hits: list[RetrievedChunk] = []
        used = 0
        for position in first + later:
            if len(hits) >= settings.hits:
                break
            chunk = self.chunks[position]
            cost = estimate_tokens(chunk.text)
            if used + cost > settings.budget_tokens:
                continue
            used += cost
            sources = [n for n in ("bm25", "embedding", "graph") if position in ranks.get(n, {})]
            hits.append(
                RetrievedChunk(
                    chunk=chunk,
                    rank=len(hits) + 1,
                    why=self._why(position, words, ranks, similarity, via),
                    sources=sources,
                    focus_line=self._focus(position, words),
                    similarity=similarity.get(position),
                )
            )
        return hits

    def _matched_words(self, position: int, words: list[str]) -> list[str]:
        present = set(self.lexical.words(position))
        return [w for w in dict.fromkeys(words) if w in present]

    def _why(
        self,
        position: int,
        words: list[str],
        ranks: dict[str, dict[int, int]],
        similarity: dict[int, float],
        via: dict[int, str],
    ) -> str:
        reasons = []
        if position in ranks.get("bm25", {}):
            matched = self._matched_words(position, words)[:4]
            reasons.append(f"mentions {', '.join(matched)}" if matched else "word match")
        if position in ranks.get("embedding", {}) and ranks["embedding"][position] <= 5:
            reasons.append(f"close in meaning ({similarity.get(position, 0.0):.2f})")
        if position in via:
            reasons.append(via[position])
        return "; ".join(reasons) or "ranked by meaning"

    def _focus(self, position: int, words: list[str]) -> int:
        """The chunk's line holding the most query words (its first line when none does)."""
        chunk = self.chunks[position]
        wanted = set(words)
        best, best_count = chunk.start_line, 0
        for offset, line in enumerate(chunk.text.split("\n")):
            count = len(wanted.intersection(tokenize(line)))
            if count > best_count:
                best, best_count = chunk.start_line + offset, count
        return best


# Below this similarity, a chunk that no word and no call links to the question is noise.
MIN_POINTER_SIMILARITY = 0.2


def searchable(files: Sequence[SourceFile], asked: Iterable[Question]) -> list[SourceFile]:
    """The files some question's search can reach: only those are chunked and embedded."""
    wanted = [hints_for(q) for q in asked]
    keep = []
    for f in files:
        for hints in wanted:
            if f.role not in hints.roles:
                continue
            if (hints.globs and _matches(f.path, hints.globs)) or (
                f.language in _CODE_LANGUAGES or "docs" in hints.roles
            ):
                keep.append(f)
                break
    return keep


def pointers(evidence: QuestionEvidence, limit: int = 3) -> list[Pointer]:
    """The ``limit`` best places for a reviewer to look, one line each, with why.

    A hit found by meaning alone, and only faintly, is not worth a reviewer's time.
    """
    found: list[Pointer] = []
    for hit in evidence.hits:
        if len(found) >= limit:
            break
        faint = (hit.similarity or 0.0) < MIN_POINTER_SIMILARITY
        if hit.sources == ["embedding"] and faint:
            continue
        lines = hit.chunk.text.split("\n")
        line = lines[hit.focus_line - hit.chunk.start_line] if lines else ""
        found.append(
            Pointer(
                path=hit.chunk.path,
                start_line=hit.focus_line,
                end_line=hit.focus_line,
                snippet=line.strip()[:200],
                why=hit.why,
            )
        )
    return found


def is_code(chunk: Chunk) -> bool:
    """Whether a chunk is program code (not prose, not configuration)."""
    return chunk.language in _CODE_LANGUAGES


__all__ = [
    "CodeGraph",
    "QuestionRetriever",
    "RetrievalSettings",
    "SearchHints",
    "SearchableIndex",
    "estimate_tokens",
    "hints_for",
    "is_code",
    "pointers",
    "searchable",
]
