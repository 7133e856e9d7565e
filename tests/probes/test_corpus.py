"""The labelled corpus stays complete and the probes stay accurate on it."""

from __future__ import annotations

from pathlib import Path

from evals.probe_accuracy import score
from evals.probe_corpus import CORPUS
from pipeline.probes.engine import registered_probes


def test_corpus_labels_every_probe_in_every_language_and_probes_agree(tmp_path: Path) -> None:
    scores = score(CORPUS, tmp_path)
    assert scores.covered == {p.id for p in registered_probes()}
    languages = {lang for spec in CORPUS for lang in spec.languages}
    assert {"python", "javascript", "typescript", "go", "rust", "java"} <= languages
    assert scores.matched / scores.labelled >= 0.95, scores.mismatches
