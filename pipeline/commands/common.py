"""What every command shares: one-line errors with exit codes, progress, model options."""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from pipeline.errors import ConfigError, InputError, ReadinessError
from pipeline.options import ModelOptions, UsageLimits

# Options every command that runs the pipeline shares, declared once.
ModelOption = Annotated[
    str, typer.Option(help="'offline' (no LLM) or any litellm model, e.g. openai/gpt-4o-mini.")
]
ApiBaseOption = Annotated[
    str | None, typer.Option(help="OpenAI-compatible server URL (vLLM, llama.cpp).")
]
CacheDirOption = Annotated[
    Path | None,
    typer.Option(help="Cache folder (default: $READINESS_CACHE_DIR or ./cache)."),
]
FormatOption = Annotated[str, typer.Option("--format", help="Report formats: md,json,sarif.")]
RpmOption = Annotated[float | None, typer.Option(min=0.001, help="LLM requests per minute limit.")]
TpmOption = Annotated[float | None, typer.Option(min=0.001, help="LLM tokens per minute limit.")]
MaxCostOption = Annotated[float | None, typer.Option(min=0, help="Stop LLM calls past $N.")]
MaxTokensOption = Annotated[int | None, typer.Option(min=0, help="Stop LLM calls past N tokens.")]
MaxRequestsOption = Annotated[int | None, typer.Option(min=0, help="Stop after N LLM requests.")]
EmbeddingModelOption = Annotated[str, typer.Option(help="sentence-transformers model.")]

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


class ConsoleProgress:
    """Rich status lines on a terminal; quiet plain lines when stderr is not a TTY."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.started = time.monotonic()
        self._status = err_console.status("") if self.tty else None
        if self._status is not None:
            self._status.start()

    def _elapsed(self) -> str:
        return f"{time.monotonic() - self.started:6.1f}s"

    def stage(self, repo: str, stage: str, detail: str = "") -> None:
        if self._status is not None:
            self._status.update(f"[bold]{repo}[/] {stage} {detail}")

    def finished(self, repo: str, stage: str, detail: str = "") -> None:
        line = f"{self._elapsed()} {repo}: {stage} done" + (f" ({detail})" if detail else "")
        if self.tty:
            err_console.print(f"[green]✓[/] {line}", highlight=False)
        else:
            print(line, file=sys.stderr, flush=True)

    def close(self) -> None:
        if self._status is not None:
            self._status.stop()
