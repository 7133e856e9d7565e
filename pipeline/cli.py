"""The command line: parses arguments and calls the core. Nothing else lives here."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from pipeline.commands.common import ConsoleProgress, guarded, model_options  # noqa: E402
from pipeline.options import DEFAULT_EMBEDDING_MODEL, OFFLINE_MODEL  # noqa: E402

app = typer.Typer(
    name="readiness",
    help="Draft production readiness assessments of code repositories.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

Model = Annotated[
    str, typer.Option(help="'offline' (no LLM) or any litellm model, e.g. openai/gpt-4o-mini.")
]
ApiBase = Annotated[
    str | None, typer.Option(help="OpenAI-compatible server URL (vLLM, llama.cpp).")
]
CacheDir = Annotated[
    Path | None,
    typer.Option(help="Cache folder (default: $READINESS_CACHE_DIR or ./cache)."),
]


@app.command()
def assess(
    path: Annotated[Path, typer.Argument(help="Repository folder to assess.")],
    out: Annotated[Path | None, typer.Option(help="Output folder (default: reports/NAME).")] = None,
    model: Model = OFFLINE_MODEL,
    api_base: ApiBase = None,
    scope: Annotated[str | None, typer.Option(help="Assess one subfolder (monorepo).")] = None,
    format: Annotated[str, typer.Option("--format", help="md,json,sarif")] = "md,json",
    cache_dir: CacheDir = None,
    fail_under: Annotated[
        int | None, typer.Option(help="Exit 1 when the overall score is below N.")
    ] = None,
    name: Annotated[str | None, typer.Option(help="Name shown in the report.")] = None,
    concurrency: Annotated[int, typer.Option(help="Categories judged at once.")] = 4,
    rpm: Annotated[float | None, typer.Option(help="Requests per minute limit.")] = None,
    tpm: Annotated[float | None, typer.Option(help="Tokens per minute limit.")] = None,
    max_cost: Annotated[float | None, typer.Option(help="Stop LLM calls past $N.")] = None,
    max_tokens: Annotated[int | None, typer.Option(help="Stop LLM calls past N tokens.")] = None,
    max_requests: Annotated[int | None, typer.Option(help="Stop after N LLM requests.")] = None,
    embedding_model: Annotated[str, typer.Option(help="sentence-transformers model.")] = (
        DEFAULT_EMBEDDING_MODEL
    ),
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


@app.command()
def doctor() -> None:
    """Check that this machine can run every stage (model, vector store, LLM client)."""
    from pipeline.doctor import run_checks

    failures = 0
    for name, ok, detail in run_checks():
        failures += not ok
        typer.echo(f"{'ok ' if ok else 'BAD'} {name}: {detail}")
    raise typer.Exit(1 if failures else 0)


def _register_commands() -> None:
    """Commands that live in their own modules (batch, compare, eval, cache)."""
    from pipeline.commands.batch import batch_command
    from pipeline.commands.cache import cache_app
    from pipeline.commands.compare import compare_command
    from pipeline.commands.evaluate import eval_command

    app.command("batch")(batch_command)
    app.command("compare")(compare_command)
    app.command("eval")(eval_command)
    app.add_typer(cache_app, name="cache", help="Inspect or clear the cache.")


_register_commands()

if __name__ == "__main__":
    app()
