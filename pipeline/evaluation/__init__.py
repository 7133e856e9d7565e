"""Measure report quality on the golden set: metrics, ``run_eval``, eval.json and eval.md."""

from __future__ import annotations

from typing import Any

from pipeline.evaluation.aggregate import EvalResult, ModelMetrics, RepoMetrics
from pipeline.evaluation.metrics import RunScore, score_report

__all__ = ["EvalResult", "ModelMetrics", "RepoMetrics", "RunScore", "run_eval", "score_report"]


def __getattr__(name: str) -> Any:
    # run_eval pulls in the whole pipeline (models, stores); metrics alone should not.
    if name == "run_eval":
        from pipeline.evaluation.run import run_eval

        return run_eval
    raise AttributeError(name)
