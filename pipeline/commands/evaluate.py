"""``readiness eval``: run the golden set and write eval.json and eval.md."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipeline.commands.common import ConsoleProgress, guarded, model_options
from pipeline.options import OFFLINE_MODEL, default_cache_dir


def eval_command(
    out: Annotated[Path, typer.Option(help="Output folder for eval.json and eval.md.")] = Path(
        "evals-out"
    ),
    model: Annotated[
        str, typer.Option(help="'offline' (the baseline) or any litellm model.")
    ] = OFFLINE_MODEL,
    api_base: Annotated[
        str | None, typer.Option(help="OpenAI-compatible server URL (vLLM, llama.cpp).")
    ] = None,
    repeat: Annotated[int, typer.Option(help="Runs per repository, to measure stability.")] = 1,
    cache_dir: Annotated[
        Path | None, typer.Option(help="Cache folder (default: $READINESS_CACHE_DIR or ./cache).")
    ] = None,
    only: Annotated[
        list[str] | None, typer.Option(help="Evaluate only this golden repository (repeatable).")
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(help="A previous offline eval.json to compare with, instead of rerunning."),
    ] = None,
    concurrency: Annotated[int, typer.Option(help="Categories judged at once.")] = 4,
    max_cost: Annotated[float | None, typer.Option(help="Stop LLM calls past $N.")] = None,
) -> None:
    """Assess the golden repositories and measure the reports against their labels."""
    from pipeline.evaluation.run import run_eval

    progress = ConsoleProgress()
    try:
        with guarded():
            options = model_options(model, api_base, concurrency, None, None, max_cost, None, None)
            result = run_eval(
                out,
                options,
                repeat,
                (cache_dir or default_cache_dir()).resolve(),
                only=only or [],
                baseline=baseline,
                progress=progress,
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
    typer.echo(f"json: {out / 'eval.json'}")
    typer.echo(f"md: {out / 'eval.md'}")
    if any(m.failed_runs for m in result.models):
        typer.echo("some golden runs failed; see eval.md", err=True)
        raise typer.Exit(1)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"
