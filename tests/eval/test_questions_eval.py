"""The open-question evaluation, small: retrieval recall on the golden question repositories
and the unreliable model against the real pipeline on two of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.evaluation.questions import golden_retrieval, unreliable_model_eval
from pipeline.evaluation.unreliable import FaultRates
from pipeline.index.embedding import Embedder
from pipeline.options import DEFAULT_EMBEDDING_MODEL

pytestmark = pytest.mark.slow  # the real MiniLM


def test_hybrid_retrieval_beats_each_search_alone_and_finds_most_evidence(
    tmp_path: Path,
) -> None:
    embedder = Embedder(DEFAULT_EMBEDDING_MODEL, tmp_path / "cache")
    metrics = golden_retrieval(tmp_path / "repos", tmp_path / "cache", embedder)
    bm25, dense, hybrid = (metrics.mode(m) for m in ("bm25", "embedding", "hybrid"))
    assert hybrid.locations >= 15
    assert hybrid.recall_at_8 is not None and hybrid.recall_at_8 >= 0.8
    assert hybrid.found_at_8 > bm25.found_at_8 and hybrid.found_at_8 > dense.found_at_8


def test_no_lie_of_an_unreliable_model_reaches_the_report(tmp_path: Path) -> None:
    # Lies at high rates on two small repositories (the probes settle most questions; these
    # two leave four open to the model). Which lie a question draws depends on its prompt,
    # so the model is run with further seeds until every kind has been told at least once
    # and at least one correct answer was given (to measure how many are kept): what must
    # hold in every run is that no lie reaches the report.
    rates = FaultRates(fabricated=0.3, contradiction=0.25, off_schema=0.2, wrong_severity=0.5)
    repos = ("q-filestore", "q-ledger-agent")
    kinds = ("fabricated", "contradiction", "off_schema", "wrong_severity", "injected")
    told: dict[str, int] = {}
    runs = []
    # Each seed has a cache of its own: with one shared cache the second seed's prompts hit
    # the first seed's answers and the model is never asked again (the embeddings, the
    # costly part, are shared through one embedder).
    embedder = Embedder(DEFAULT_EMBEDDING_MODEL, tmp_path / "embeddings")
    for seed in range(6):
        metrics = unreliable_model_eval(
            tmp_path / str(seed),
            tmp_path / f"cache-{seed}",
            repos,
            rates,
            seed=seed,
            embedder=embedder,
        )
        runs.append(metrics)
        for kind, n in metrics.given.items():
            told[kind] = told.get(kind, 0) + n
        assert metrics.reached == {}, (seed, metrics.reached)
        assert metrics.answers_agreeing == metrics.questions_answered, seed
        if all(told.get(k, 0) for k in kinds) and any(m.correct_given for m in runs):
            break
    assert all(told.get(k, 0) for k in kinds), told
    kept = [m.kept_share for m in runs if m.kept_share is not None]
    assert kept and min(kept) >= 0.95, kept
