"""``readiness assess`` and ``readiness doctor``: parse the options, call the core, report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipeline.commands.common import (
    ApiBaseOption,
    CacheDirOption,
    ConsoleProgress,
    EmbeddingModelOption,
    FormatOption,
    MaxCostOption,
    MaxRequestsOption,
    MaxTokensOption,
    ModelOption,
    RpmOption,
    TpmOption,
    guarded,
    model_options,
)
from pipeline.options import DEFAULT_EMBEDDING_MODEL, OFFLINE_MODEL


def assess_command(
    path: Annotated[Path, typer.Argument(help="Repository folder to assess.")],
    out: Annotated[Path | None, typer.Option(help="Output folder (default: reports/NAME).")] = None,
    model: ModelOption = OFFLINE_MODEL,
    api_base: ApiBaseOption = None,
    scope: Annotated[str | None, typer.Option(help="Assess one subfolder (monorepo).")] = None,
    format: FormatOption = "md,json",
    cache_dir: CacheDirOption = None,
    probes_only: Annotated[
        bool,
        typer.Option(
            "--probes-only", help="Ingest and probes only: no index, no LLM (fast; for hooks)."
        ),
    ] = False,
    fail_under: Annotated[
        int | None, typer.Option(help="Exit 1 when the overall score is below N.")
    ] = None,
    name: Annotated[str | None, typer.Option(help="Name shown in the report.")] = None,
    concurrency: Annotated[int, typer.Option(help="Categories judged at once.")] = 4,
    rpm: RpmOption = None,
    tpm: TpmOption = None,
    max_cost: MaxCostOption = None,
    max_tokens: MaxTokensOption = None,
    max_requests: MaxRequestsOption = None,
    embedding_model: EmbeddingModelOption = DEFAULT_EMBEDDING_MODEL,
    force: Annotated[
        bool, typer.Option(help="Overwrite report files that readiness did not write.")
    ] = False,
) -> None:
    """Assess one repository and write report.md and report.json."""
    from pipeline.assemble import parse_formats
    from pipeline.options import AssessOptions, default_cache_dir
    from pipeline.output import prepare_out_dir
    from pipeline.runner import assess as run_assess

    progress = ConsoleProgress()
    try:
        with guarded():
            formats = parse_formats(format)
            if fail_under is not None and not 0 <= fail_under <= 100:
                from pipeline.errors import ConfigError

                raise ConfigError("--fail-under must be between 0 and 100")
            out_dir = prepare_out_dir(out or Path("reports") / path.resolve().name, formats, force)
            options = AssessOptions(
                path=path,
                out=out_dir,
                cache_dir=(cache_dir or default_cache_dir()).resolve(),
                scope=scope,
                formats=formats,
                name=name,
                model=model_options(
                    model, api_base, concurrency, rpm, tpm, max_cost, max_tokens, max_requests
                ),
                embedding_model=embedding_model,
                probes_only=probes_only,
            )
            result = run_assess(options, progress)
    finally:
        progress.close()
    report = result.report
    score = "n/a" if report.overall_score is None else f"{report.overall_score}%"
    typer.echo(f"{report.repo.name}: {score}, {report.status}")
    for kind, written in sorted(result.written.items()):
        typer.echo(f"{kind}: {written}")
    usage = report.usage
    typer.echo(
        f"usage: {usage.llm_requests} LLM requests, {usage.cache_hits} cache hits, "
        f"{usage.embeddings_computed} embeddings computed"
    )
    if fail_under is not None and (report.overall_score or 0) < fail_under:
        typer.echo(f"overall score {score} is below --fail-under {fail_under}", err=True)
        raise typer.Exit(1)


def doctor_command() -> None:
    """Check that this machine can run every stage (model, vector store, LLM client)."""
    from pipeline.doctor import run_checks

    failures = 0
    for name, ok, detail in run_checks():
        failures += not ok
        typer.echo(f"{'ok ' if ok else 'BAD'} {name}: {detail}")
    raise typer.Exit(1 if failures else 0)
