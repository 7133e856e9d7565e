"""``readiness assess`` and ``readiness doctor``: parse the options, call the core, report.

Each setting comes from the command line, else the environment (``READINESS_*``), else the
assessed repository's readiness.toml (or ``[tool.readiness]``), else its default.
"""

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
    split_patterns,
)
from pipeline.schemas import Severity

SelectOption = Annotated[
    list[str] | None,
    typer.Option(
        envvar="READINESS_SELECT",
        help="Run only these probes: ids, id prefixes or categories (SEC002, SEC, security);"
        " comma-separated or repeated.",
    ),
]
IgnoreOption = Annotated[
    list[str] | None,
    typer.Option(
        envvar="READINESS_IGNORE", help="Skip these probes: ids, id prefixes or categories."
    ),
]
FailOnOption = Annotated[
    Severity | None,
    typer.Option(
        envvar="READINESS_FAIL_ON",
        case_sensitive=False,
        help="Exit 1 when an open gap has this severity or a worse one.",
    ),
]


def assess_command(
    path: Annotated[Path, typer.Argument(help="Repository folder to assess.")],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Output folder (default: reports/NAME).")
    ] = None,
    model: ModelOption = None,
    api_base: ApiBaseOption = None,
    scope: Annotated[str | None, typer.Option(help="Assess one subfolder (monorepo).")] = None,
    format: FormatOption = "md,json",
    cache_dir: CacheDirOption = None,
    select: SelectOption = None,
    ignore: IgnoreOption = None,
    probes_only: Annotated[
        bool,
        typer.Option(
            "--probes-only", help="Ingest and probes only: no index, no LLM (fast; for hooks)."
        ),
    ] = False,
    fail_under: Annotated[
        int | None,
        typer.Option(
            envvar="READINESS_FAIL_UNDER", help="Exit 1 when the overall score is below N."
        ),
    ] = None,
    fail_on: FailOnOption = None,
    fail_on_new: Annotated[
        Severity | None,
        typer.Option(
            case_sensitive=False,
            help="Exit 1 when a gap location of this severity or worse is not in --baseline.",
        ),
    ] = None,
    baseline: Annotated[
        str,
        typer.Option(
            help="What --fail-on-new compares with: a report.json, or a git revision of PATH."
        ),
    ] = "HEAD",
    max_files: Annotated[
        int | None,
        typer.Option(
            min=0,
            envvar="READINESS_MAX_FILES",
            show_default="50000",
            help="Refuse to read more files than this (0: no cap).",
        ),
    ] = None,
    name: Annotated[str | None, typer.Option(help="Name shown in the report.")] = None,
    concurrency: Annotated[int, typer.Option(help="Categories judged at once.")] = 4,
    rpm: RpmOption = None,
    tpm: TpmOption = None,
    max_cost: MaxCostOption = None,
    max_tokens: MaxTokensOption = None,
    max_requests: MaxRequestsOption = None,
    embedding_model: EmbeddingModelOption = None,
    force: Annotated[
        bool, typer.Option(help="Overwrite report files that readiness did not write.")
    ] = False,
) -> None:
    """Assess one repository and write report.md and report.json (and SARIF, HTML)."""
    from pipeline.assemble import parse_formats
    from pipeline.baseline import load_baseline
    from pipeline.compare import describe_gaps, gate_failures, new_gaps
    from pipeline.config import load_config
    from pipeline.errors import ConfigError
    from pipeline.options import (
        DEFAULT_EMBEDDING_MODEL,
        OFFLINE_MODEL,
        AssessOptions,
        default_cache_dir,
    )
    from pipeline.output import prepare_cache_dir, prepare_out_dir
    from pipeline.runner import assess as run_assess

    progress = ConsoleProgress()
    try:
        with guarded():
            formats = parse_formats(format)
            config = load_config(path.expanduser())
            fail_under = config.pick("fail-under", fail_under, None)
            if fail_under is not None and not 0 <= fail_under <= 100:
                raise ConfigError("--fail-under must be between 0 and 100")
            fail_on = config.pick("fail-on", fail_on, None)
            # The cache first: an --out inside it must not create it without its .gitignore.
            cache = prepare_cache_dir((cache_dir or default_cache_dir()).resolve())
            out_dir = prepare_out_dir(out or Path("reports") / path.resolve().name, formats, force)
            options = AssessOptions(
                path=path,
                out=out_dir,
                cache_dir=cache,
                scope=scope,
                formats=formats,
                name=name,
                model=model_options(
                    config.pick("model", model, OFFLINE_MODEL),
                    config.pick("api-base", api_base, None),
                    concurrency,
                    config.pick("rpm", rpm, None),
                    config.pick("tpm", tpm, None),
                    config.pick("max-cost", max_cost, None),
                    config.pick("max-tokens", max_tokens, None),
                    config.pick("max-requests", max_requests, None),
                ),
                embedding_model=config.pick(
                    "embedding-model", embedding_model, DEFAULT_EMBEDDING_MODEL
                ),
                select=split_patterns(select),
                ignore=split_patterns(ignore),
                max_files=max_files,
                probes_only=probes_only,
            )
            result = run_assess(options, progress)
            before = None
            if fail_on_new is not None:
                before = load_baseline(options, baseline, progress)
    finally:
        progress.close()
    report = result.report
    score = "n/a" if report.overall_score is None else f"{report.overall_score}%"
    typer.echo(f"{report.repo.name}: {score}, {report.status}")
    if report.repo.release_artifact:
        typer.echo(f"note: this looks like {report.repo.release_artifact}, not the repository")
    for kind, written in sorted(result.written.items()):
        typer.echo(f"{kind}: {written}")
    usage = report.usage
    typer.echo(
        f"usage: {usage.llm_requests} LLM requests, {usage.cache_hits} cache hits, "
        f"{usage.embeddings_computed} embeddings computed"
    )
    reasons = gate_failures(report, fail_under, Severity(fail_on) if fail_on else None)
    if usage.provider_error:
        unanswered = sum(
            1 for q in report.questions if q.usage is not None and q.usage.provider_error
        )
        typer.echo(
            f"incomplete: {unanswered} open question(s) not answered, run again once the "
            f"provider is back (answers already given are kept): {usage.provider_error}",
            err=True,
        )
    if fail_on_new is not None:
        # A baseline made from a git revision ran the probes only: compare theirs.
        from_git = not Path(baseline).expanduser().is_file()
        found = new_gaps(before, report, fail_on_new, probes_only=from_git)
        if found:
            what = f"new gaps at {fail_on_new.value} or worse since {baseline}"
            reasons.append(describe_gaps(found, what))
    for reason in reasons:
        typer.echo(f"gate failed: {reason}", err=True)
    if reasons or usage.provider_error:
        raise typer.Exit(1)


def doctor_command() -> None:
    """Check that this machine can run every stage (model, vector store, LLM client)."""
    from pipeline.doctor import run_checks

    failures = 0
    for name, ok, detail in run_checks():
        failures += not ok
        typer.echo(f"{'ok ' if ok else 'BAD'} {name}: {detail}")
    raise typer.Exit(1 if failures else 0)
