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
    # Lies at high rates, so that every kind is told in two small repositories (the probes
    # now settle most questions; these two leave four open to the model).
    rates = FaultRates(fabricated=0.3, contradiction=0.25, off_schema=0.2, wrong_severity=0.5)
    repos = ("q-filestore", "q-ledger-agent")
    metrics = unreliable_model_eval(tmp_path, tmp_path / "cache", repos, rates)
    told = metrics.given
    assert told.get("fabricated", 0) and told.get("contradiction", 0)
    assert told.get("off_schema", 0) and told.get("wrong_severity", 0)
    assert told.get("injected", 0), "the planted docstring talked the model round"
    assert metrics.reached == {}, metrics.reached
    assert metrics.kept_share is not None and metrics.kept_share >= 0.95
    assert metrics.answers_agreeing == metrics.questions_answered
