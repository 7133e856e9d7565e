"""``readiness batch``: argument parsing and the progress display; the work is pipeline.batch."""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from pipeline.assemble import parse_formats
from pipeline.batch.run import BatchOptions, BatchResult, RepoStatus, run_batch
from pipeline.commands.common import (
    ApiBaseOption,
    CacheDirOption,
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
from pipeline.errors import ConfigError
from pipeline.options import DEFAULT_EMBEDDING_MODEL, OFFLINE_MODEL, default_cache_dir


class RichBatchProgress:
    """One line per active repository (its current stage) and an overall bar with ETA."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self.lines = Progress(TextColumn("  {task.description}"), console=console)
        self.overall: TaskID | None = None
        self.active: dict[str, TaskID] = {}
        self.lock = threading.Lock()  # stage events also come from worker threads

    def __enter__(self) -> RichBatchProgress:
        from rich.console import Group
        from rich.live import Live

        self.live = Live(Group(self.bar, self.lines), console=self.console, refresh_per_second=8)
        self.live.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.live.__exit__(None, None, None)

    def batch_started(self, total: int) -> None:
        self.overall = self.bar.add_task("[bold]repositories", total=total)

    def repo_started(self, repo: str) -> None:
        with self.lock:
            self.active[repo] = self.lines.add_task(f"[bold]{repo}[/] starting")

    def stage(self, repo: str, stage: str, detail: str = "") -> None:
        with self.lock:
            if repo in self.active:
                self.lines.update(
                    self.active[repo], description=f"[bold]{repo}[/] {stage} {detail}"
                )

    def finished(self, repo: str, stage: str, detail: str = "") -> None:
        self.stage(repo, stage, f"done {detail}".rstrip())

    def count(self, repo: str, stage: str, done: int, total: int) -> None:
        self.stage(repo, stage, f"{done}/{total}")

    def repo_finished(self, repo: str, status: RepoStatus, detail: str = "") -> None:
        with self.lock:
            task = self.active.pop(repo, None)
            if task is not None:
                self.lines.remove_task(task)
            mark = {"assessed": "[green]✓[/]", "reused": "[cyan]↺[/]", "failed": "[red]✗[/]"}
            line = f"{mark[status]} {repo}: {status} ({escape(detail)})"
            self.console.print(line, highlight=False)
            if self.overall is not None:
                self.bar.advance(self.overall)


class PlainBatchProgress:
    """Plain lines on stderr when it is not a terminal (CI logs, pipes)."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.total = 0
        self.done = 0

    def _say(self, text: str) -> None:
        print(f"{time.monotonic() - self.started:7.1f}s {text}", file=sys.stderr, flush=True)

    def batch_started(self, total: int) -> None:
        self.total = total
        self._say(f"batch of {total} repositories")

    def repo_started(self, repo: str) -> None:
        self._say(f"{repo}: started")

    def stage(self, repo: str, stage: str, detail: str = "") -> None:
        return None  # a line per stage start would double the log for no news

    def finished(self, repo: str, stage: str, detail: str = "") -> None:
        self._say(f"{repo}: {stage} done" + (f" ({detail})" if detail else ""))

    def repo_finished(self, repo: str, status: RepoStatus, detail: str = "") -> None:
        self.done += 1
        self._say(f"[{self.done}/{self.total}] {repo}: {status} ({detail})")


def batch_command(
    manifest: Annotated[Path, typer.Argument(help="Text, CSV or YAML list of repositories.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path(
        "reports/batch"
    ),
    concurrency: Annotated[
        int | None,
        typer.Option(help="Repositories at once [default: 2; on Ray, the cluster's CPUs]."),
    ] = None,
    executor: Annotated[
        str, typer.Option(help="'local' (this process) or 'ray' (a Ray cluster).")
    ] = "local",
    ray_address: Annotated[
        str | None,
        typer.Option(help="Ray cluster HOST:PORT, or 'local' to start one in this process."),
    ] = None,
    chroma_url: Annotated[
        str | None,
        typer.Option(help="ChromaDB server (`chroma run`) for the index: http://HOST:PORT."),
    ] = None,
    model: ModelOption = None,
    api_base: ApiBaseOption = None,
    cache_dir: CacheDirOption = None,
    format: FormatOption = "md,json",
    llm_concurrency: Annotated[int, typer.Option(help="LLM calls at once per repository.")] = 4,
    rpm: RpmOption = None,
    tpm: TpmOption = None,
    max_cost: MaxCostOption = None,
    max_tokens: MaxTokensOption = None,
    max_requests: MaxRequestsOption = None,
    repo_max_cost: Annotated[float | None, typer.Option(help="Dollar budget per repo.")] = None,
    embedding_model: EmbeddingModelOption = None,
) -> None:
    """Assess every repository of MANIFEST; write per-repository reports and a dashboard."""
    with guarded():
        # A batch always writes report.html itself, with a link back to its dashboard.
        formats = tuple(f for f in parse_formats(format) if f != "html")
        if "json" not in formats:
            # The summaries and the resume read every report.json back.
            raise ConfigError("--format must include json in a batch")
        if concurrency is not None and concurrency < 1:
            raise ConfigError("--concurrency must be at least 1")
        if executor not in ("local", "ray"):
            raise ConfigError(f"--executor must be local or ray, not {executor!r}")
        if ray_address is not None and executor != "ray":
            raise ConfigError("--ray-address needs --executor ray")
        if chroma_url is not None:
            from pipeline.index.store import parse_chroma_url

            parse_chroma_url(chroma_url)
        options = BatchOptions(
            cache_dir=(cache_dir or default_cache_dir()).resolve(),
            model=model_options(
                model or OFFLINE_MODEL, api_base, llm_concurrency, rpm, tpm, max_cost,
                max_tokens, max_requests, repo_max_cost,
            ),
            embedding_model=embedding_model or DEFAULT_EMBEDDING_MODEL,
            formats=formats,
            concurrency=concurrency,
            executor="ray" if executor == "ray" else "local",
            ray_address=ray_address,
            chroma_url=chroma_url.rstrip("/") if chroma_url else None,
        )  # fmt: skip
        result = _run(manifest, out.resolve(), options)
        _print_result(result)
    raise typer.Exit(result.exit_code)


def _run(manifest: Path, out: Path, options: BatchOptions) -> BatchResult:
    if sys.stderr.isatty():
        with RichBatchProgress(Console(stderr=True)) as progress:
            return asyncio.run(run_batch(manifest, out, options, progress))
    return asyncio.run(run_batch(manifest, out, options, PlainBatchProgress()))


def _print_result(result: BatchResult) -> None:
    counts = {s: sum(1 for o in result.outcomes if o.status == s) for s in ("assessed", "reused")}
    print(
        f"{len(result.outcomes)} repositories: {counts['assessed']} assessed, "
        f"{counts['reused']} reused, {len(result.failed)} failed in {result.seconds:.1f}s"
    )
    for outcome in result.failed:
        print(f"  failed {outcome.name}: {outcome.error}")
    for outcome in result.incomplete:
        print(f"  {outcome.name}: {outcome.error}")
    if result.rate is not None and result.rate.requests:
        print(f"rate:      {result.rate.line()}")
    print(f"dashboard: {result.out / 'index.html'}")
    print(f"summary:   {result.out / 'summary.md'}")
