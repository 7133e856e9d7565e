"""``readiness eval``: run the golden set and write eval.json and eval.md."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from pipeline.commands.common import (
    ApiBaseOption,
    CacheDirOption,
    ConsoleProgress,
    MaxCostOption,
    ModelOption,
    guarded,
    model_options,
)
from pipeline.errors import ConfigError
from pipeline.options import OFFLINE_MODEL, default_cache_dir


def eval_command(
    out: Annotated[Path, typer.Option(help="Output folder for eval.json and eval.md.")] = Path(
        "evals-out"
    ),
    model: ModelOption = None,
    api_base: ApiBaseOption = None,
    repeat: Annotated[int, typer.Option(help="Runs per repository, to measure stability.")] = 1,
    cache_dir: CacheDirOption = None,
    only: Annotated[
        list[str] | None, typer.Option(help="Evaluate only this golden repository (repeatable).")
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(help="A previous offline eval.json to compare with, instead of rerunning."),
    ] = None,
    concurrency: Annotated[int, typer.Option(help="Questions answered at once.")] = 4,
    max_cost: MaxCostOption = None,
    questions: Annotated[
        bool,
        typer.Option(help="Also measure open questions: retrieval recall and an unreliable model."),
    ] = True,
) -> None:
    """Assess the golden repositories and measure the reports against their labels."""
    progress = ConsoleProgress()
    try:
        with guarded():
            run_eval = _load_eval()
            options = model_options(
                model or OFFLINE_MODEL, api_base, concurrency, None, None, max_cost, None, None
            )
            result = run_eval(
                out,
                options,
                repeat,
                (cache_dir or default_cache_dir()).resolve(),
                only=only or [],
                baseline=baseline,
                progress=progress,
                questions=questions,
            )
    finally:
        progress.close()
    for metrics in result.models:
        typer.echo(
            f"{metrics.model}: precision {_pct(metrics.precision)}, recall {_pct(metrics.recall)},"
            f" probe accuracy {_pct(metrics.probe_accuracy)},"
            f" citation validity {_pct(metrics.citation_validity)}"
            f" on {len(metrics.repos)} repositories"
        )
    if result.questions is not None:
        from pipeline.evaluation.question_metrics import format_retrieval, format_unreliable

        for line in format_retrieval(result.questions.retrieval, "open-question retrieval"):
            typer.echo(line)
        if result.questions.unreliable is not None:
            for line in format_unreliable(result.questions.unreliable):
                typer.echo(line)
    typer.echo(f"json: {out / 'eval.json'}")
    typer.echo(f"md: {out / 'eval.md'}")
    if any(m.failed_runs for m in result.models):
        typer.echo("some golden runs failed; see eval.md", err=True)
        raise typer.Exit(1)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def _load_eval() -> Any:
    """The eval runner; it needs the optional ``eval`` extra (pydantic-evals)."""
    try:
        from pipeline.evaluation.run import run_eval
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("pydantic_evals"):
            raise ConfigError(
                "readiness eval needs the 'eval' extra: pip install 'readiness[eval]'"
            ) from None
        raise
    return run_eval
