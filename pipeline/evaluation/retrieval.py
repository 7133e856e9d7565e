"""Does retrieval find the code that answers a question? Recall@k of labelled evidence.

For every labelled question of a repository, each search runs alone and merged, through the
same :class:`~pipeline.retrieve.QuestionRetriever` the pipeline uses: BM25 alone, embeddings
alone (every chunk of the question's pool embedded and ranked by meaning), and the hybrid
(BM25 candidates ranked by meaning too, the call neighbourhood of the best, reciprocal rank
fusion). A labelled location counts as found at k when one of the first k hits covers one of
its lines (any hit of the file, for a label naming a whole file).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.evaluation.question_metrics import MODES, ModeRecall, QuestionRecall, RetrievalMetrics
from pipeline.index.embedding import Embedder
from pipeline.index.store import ChunkIndex
from pipeline.ingest import RepoSnapshot
from pipeline.ingest.chunking import chunk_snapshot
from pipeline.retrieve import CodeGraph, QuestionRetriever, RetrievalSettings
from pipeline.retrieve.hints import hints_for
from pipeline.rubric.questions import question
from pipeline.schemas import QuestionEvidence

CUTOFFS = (3, 8)


@dataclass(frozen=True)
class Place:
    """A labelled evidence location: lines ``start``..``end`` of ``path`` (None: the file)."""

    path: str
    start: int | None = None
    end: int | None = None

    def covered_by(self, path: str, start: int, end: int) -> bool:
        if path != self.path:
            return False
        if self.start is None or self.end is None:
            return True
        return start <= self.end and end >= self.start


def _found(evidence: QuestionEvidence, places: list[Place], k: int) -> int:
    hits = evidence.hits[:k]
    return sum(
        any(p.covered_by(h.chunk.path, h.chunk.start_line, h.chunk.end_line) for h in hits)
        for p in places
    )


def measure_repository(
    name: str,
    snapshot: RepoSnapshot,
    labels: dict[str, list[Place]],
    embedder: Embedder,
    cache_dir: Path,
    settings: RetrievalSettings | None = None,
) -> RetrievalMetrics:
    """Recall of each mode on one repository's labelled questions (ids → locations)."""
    chunks = chunk_snapshot(snapshot)
    code_paths = [f.path for f in snapshot.files if f.role not in ("fixture", "vendored")]
    retriever = QuestionRetriever(
        chunks, lambda: CodeGraph.build(snapshot, code_paths), settings or RetrievalSettings()
    )
    asked = {qid: question(qid) for qid in labels}
    # "Embeddings alone" ranks each question's whole pool, so the pools are embedded whole.
    pooled = {
        chunks[i].id: chunks[i]
        for q in asked.values()
        for i, keep in enumerate(retriever.pool(hints_for(q)))
        if keep
    }
    index = ChunkIndex(cache_dir, f"retrieval-eval-{name}-{snapshot.fingerprint()}", embedder)
    index.sync(list(pooled.values()))
    metrics = RetrievalMetrics(modes=[ModeRecall(mode=m) for m in MODES])
    for qid, places in labels.items():
        if not places:
            continue
        row = QuestionRecall(repo=name, question_id=qid, locations=len(places))
        for mode in MODES:
            evidence = retriever.retrieve(
                asked[qid], index, mode=mode, embed_pool=(mode == "embedding")
            )
            counts = [_found(evidence, places, k) for k in CUTOFFS]
            row.found[mode] = counts
            recall = metrics.mode(mode)
            recall.locations += len(places)
            recall.found_at_3 += counts[0]
            recall.found_at_8 += counts[1]
        metrics.questions.append(row)
    metrics.embedded = index.embedded
    return metrics
