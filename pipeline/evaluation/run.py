"""``readiness eval``: assess every golden repository and measure the reports against labels.

The golden set is a pydantic-evals ``Dataset``; the task is one assessment, the evaluator is
:func:`score_report`. Each repeat assesses a fresh copy of the repository (so checkpoints of
an earlier run are not reused) with its own seed (so an LLM's answer cache is not reused).
"""

from __future__ import annotations

import shutil
import time
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_evals.evaluators import Evaluator, EvaluatorContext

from pipeline import __version__
from pipeline.errors import ConfigError
from pipeline.evaluation.aggregate import EvalResult, ModelMetrics, summarise_model, summarise_repo
from pipeline.evaluation.golden import (
    GOLDEN,
    GoldenInput,
    GoldenMeta,
    Labels,
    golden_dataset,
    question_repos,
)
from pipeline.evaluation.metrics import RunScore, failed_run, score_report
from pipeline.evaluation.render import write_eval
from pipeline.options import DEFAULT_EMBEDDING_MODEL, OFFLINE_MODEL, AssessOptions, ModelOptions
from pipeline.progress import Progress, SilentProgress
from pipeline.runner import SharedResources, assess_async
from pipeline.schemas import Report


@dataclass
class RunOutput:
    """What one assessment of a golden repository produced."""

    name: str
    run: int
    root: Path
    report: Report
    seconds: float
    schema_valid: bool


class ReadinessMetrics(Evaluator[GoldenInput, Any, GoldenMeta]):
    """The pydantic-evals face of :func:`score_report`: headline ratios per case."""

    def evaluate(self, ctx: EvaluatorContext[GoldenInput, Any, GoldenMeta]) -> dict[str, float]:
        assert ctx.metadata is not None
        score = score_report(ctx.output.report, ctx.metadata.labels, ctx.output.root)
        totals = score.totals()
        values = {
            "precision": totals.precision,
            "recall": totals.recall,
            "severity_agreement": totals.severity_agreement,
            "probe_accuracy": score.facts_correct / score.facts_total
            if score.facts_total
            else None,
            "citation_validity": (
                score.citations_valid / score.citations_total if score.citations_total else None
            ),
        }
        return {name: value for name, value in values.items() if value is not None}


def _slug(model: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-." else "_" for ch in model)


def _schema_valid(path: Path | None) -> bool:
    """Whether the written report.json parses back into the published Report model."""
    if path is None or not path.is_file():
        return False
    try:
        Report.model_validate_json(path.read_text(encoding="utf-8"))
    except ValidationError:
        return False
    return True


async def evaluate_model(
    out: Path,
    model_options: ModelOptions,
    repeat: int,
    cache_dir: Path,
    only: list[str] | tuple[str, ...] = (),
    progress: Progress | None = None,
    embedding_model: str = DEFAULT_EMBEDDING_MODEL,
) -> ModelMetrics:
    """Assess the selected golden repositories ``repeat`` times with one model and score them."""
    progress = progress or SilentProgress()
    dataset = golden_dataset(out / "golden", only)
    runs_dir = out / "runs" / _slug(model_options.model)
    shared = SharedResources.create(cache_dir, model_options, embedding_model)
    # The judge reads its options (the seed among them) from the shared resources, so each
    # repeat gets its own, around the one embedding model.
    shared_by_seed: dict[int | None, SharedResources] = {model_options.seed: shared}
    started: Counter[str] = Counter()

    async def assess_golden(inputs: GoldenInput) -> RunOutput:
        run = started[inputs.name]
        started[inputs.name] += 1
        root = Path(inputs.path)
        model = model_options
        if run:
            copy = out / "golden" / f"repeat-{run + 1}" / inputs.name
            if copy.exists():
                shutil.rmtree(copy)
            root = Path(shutil.copytree(root, copy, symlinks=True))
            if model.seed is not None:
                model = replace(model, seed=model.seed + run)
        options = AssessOptions(
            path=root,
            out=runs_dir / inputs.name / f"run-{run + 1}",
            cache_dir=cache_dir,
            scope=inputs.scope,
            formats=("md", "json"),
            name=inputs.name,
            model=model,
            embedding_model=embedding_model,
        )
        progress.stage(inputs.name, "eval", f"{model.model} run {run + 1}/{repeat}")
        clock = time.perf_counter()
        if model.seed not in shared_by_seed:
            shared_by_seed[model.seed] = SharedResources(
                cache_dir=cache_dir, model=model, embedder=shared.embedder
            )
        result = await assess_async(options, progress, shared_by_seed[model.seed])
        seconds = time.perf_counter() - clock
        valid = _schema_valid(result.written.get("json"))
        return RunOutput(inputs.name, run, root, result.report, seconds, valid)

    dataset.add_evaluator(ReadinessMetrics())
    report = await dataset.evaluate(
        assess_golden, name=model_options.model, max_concurrency=1, progress=False, repeat=repeat
    )

    labels: dict[str, Labels] = {}
    for case in dataset.cases:
        assert case.name is not None and case.metadata is not None
        labels[case.name] = case.metadata.labels
    scores: dict[str, list[RunScore]] = {name: [] for name in labels}
    for done in report.cases:
        output: RunOutput = done.output
        score = score_report(
            output.report, labels[output.name], output.root, repo=output.name, run=output.run
        )
        score.seconds = output.seconds
        score.schema_valid = output.schema_valid
        scores[output.name].append(score)
    for failure in report.failures:
        name = failure.source_case_name or failure.name
        scores[name].append(failed_run(name, labels[name], failure.error_message))

    for runs in scores.values():
        runs.sort(key=lambda score: score.run)
    repos = [
        summarise_repo(name, GOLDEN[name].kind, GOLDEN[name].language, runs)
        for name, runs in scores.items()
    ]
    return summarise_model(model_options.model, repeat, repos)


def run_eval(
    out: Path,
    model_options: ModelOptions,
    repeat: int,
    cache_dir: Path,
    *,
    only: list[str] | tuple[str, ...] = (),
    baseline: Path | None = None,
    progress: Progress | None = None,
    questions: bool = True,
) -> EvalResult:
    """Evaluate ``model_options`` on the golden set; write ``out/eval.json`` and ``out/eval.md``.

    A model other than ``offline`` is shown next to the offline baseline: read from
    ``baseline`` (a previous eval.json) when given, else measured in the same run.
    ``questions`` adds the open-question evaluation (retrieval recall per search, and the
    unreliable model against the real pipeline) on the golden question repositories; names
    in ``only`` select among those too.
    """
    import asyncio

    if repeat < 1:
        raise ConfigError("--repeat must be at least 1")
    out.mkdir(parents=True, exist_ok=True)
    asked = tuple(name for name in only if name in question_repos())
    only = [name for name in only if name not in question_repos()]
    models: list[ModelMetrics] = []
    if not model_options.offline:
        if baseline is not None:
            models.append(_read_baseline(baseline))
        else:
            offline = ModelOptions(model=OFFLINE_MODEL)
            models.append(asyncio.run(evaluate_model(out, offline, 1, cache_dir, only, progress)))
    models.append(
        asyncio.run(evaluate_model(out, model_options, repeat, cache_dir, only, progress))
    )
    result = EvalResult(
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        tool_version=__version__,
        golden=[repo.name for repo in models[-1].repos],
        models=models,
    )
    if questions:
        from pipeline.evaluation.questions import evaluate_questions

        if progress is not None:
            progress.stage("questions", "eval", "retrieval and the unreliable model")
        result.questions = evaluate_questions(out / "questions", cache_dir, asked)
    write_eval(result, out)
    return result


def _read_baseline(path: Path) -> ModelMetrics:
    """The offline entry of a previous eval.json (``--baseline``)."""
    if path.is_dir():
        path = path / "eval.json"
    try:
        previous = EvalResult.model_validate_json(path.read_text(encoding="utf-8"))
    except (OSError, ValidationError) as exc:
        raise ConfigError(f"cannot read baseline {path}: {exc}") from exc
    found = previous.for_model(OFFLINE_MODEL)
    if found is None:
        raise ConfigError(f"baseline {path} holds no offline run")
    return found
