"""Where a batch's repositories are assessed: in this process, or as tasks on a Ray cluster.

The batch (``pipeline.batch.run``) resolves sources, decides what a re-run may reuse and
records every outcome; an executor only turns a :class:`RepoJob` into a
:class:`RepoResult`. Both executors run the same :func:`assess_job` with resources built by
the same :func:`worker_resources`, so a repository's report does not depend on where it ran.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Protocol

from pipeline.batch.limits import (
    BudgetView,
    FleetHandle,
    FleetLimits,
    InProcessFleet,
    LimiterView,
    RateReport,
)
from pipeline.batch.manifest import ManifestEntry
from pipeline.batch.options import BatchOptions
from pipeline.errors import ConfigError, ReadinessError
from pipeline.options import AssessOptions, ModelOptions
from pipeline.progress import Progress
from pipeline.schemas import Report

if TYPE_CHECKING:
    from pipeline.judge.llm_judge import LLMShared
    from pipeline.runner import SharedResources


@dataclass(frozen=True)
class RepoJob:
    """One repository to assess: what the batch decided, ready to ship to a worker."""

    entry: ManifestEntry
    path: Path  # the resolved source folder (a clone, or the user's folder)
    out_dir: Path
    options: BatchOptions


@dataclass(frozen=True)
class RepoResult:
    """What a worker sends back: the report without its bulky parts, or why it failed."""

    report: Report | None = None
    error: str | None = None
    worker: str | None = None  # host:pid that produced it


class Executor(Protocol):
    """Runs jobs; used as a context manager around the whole batch."""

    @property
    def slots(self) -> int:
        """Repositories in flight at once."""
        ...

    async def assess(self, job: RepoJob, progress: Progress | None) -> RepoResult: ...

    def rate(self) -> RateReport:
        """The fleet's LLM calls against its limit."""
        ...

    def __enter__(self) -> Executor: ...

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...


def fleet_limits(model: ModelOptions) -> FleetLimits:
    """The batch's one rate limiter and run budget, from the model options."""
    return FleetLimits(model.requests_per_minute, model.tokens_per_minute, model.limits)


@dataclass
class WorkerResources:
    """What one worker process shares between its repositories."""

    shared: SharedResources
    llm: LLMShared | None = None  # None for the offline judge
    budget: BudgetView | None = None  # the fleet's run budget as this worker sees it


def worker_resources(options: BatchOptions, fleet: FleetHandle) -> WorkerResources:
    """A worker's resources: its embedding model, and LLM limits that are the fleet's."""
    from pipeline.batch.vectors import ServerCachedEmbedder
    from pipeline.judge.llm_judge import LLMShared
    from pipeline.llm.cache import AnswerCache
    from pipeline.runner import SharedResources

    model = options.model
    embedder = (
        ServerCachedEmbedder(options.embedding_model, options.cache_dir, options.chroma_url)
        if options.chroma_url
        else None
    )
    llm, budget = None, None
    if not model.offline:
        budget = BudgetView(fleet, model.limits)
        llm = LLMShared(
            options=model,
            limiter=LimiterView(fleet, model.requests_per_minute, model.tokens_per_minute),
            cache=AnswerCache(options.cache_dir),
            run_budget=budget,
        )
    shared = SharedResources.create(
        options.cache_dir, model, options.embedding_model, embedder=embedder, llm=llm
    )
    return WorkerResources(shared, llm, budget)


async def assess_job(
    job: RepoJob, resources: WorkerResources, progress: Progress | None = None
) -> RepoResult:
    """Assess one repository into ``job.out_dir``; a failure is a result, never a raise."""
    from pipeline.output import prepare_out_dir
    from pipeline.runner import assess_async

    options = job.options
    try:
        assess = AssessOptions(
            path=job.path,
            out=prepare_out_dir(job.out_dir, options.formats),
            cache_dir=options.cache_dir,
            scope=job.entry.scope,
            formats=options.formats,
            name=job.entry.name,
            model=options.model,
            embedding_model=options.embedding_model,
            chroma_url=options.chroma_url,
        )
        result = await assess_async(assess, progress, resources.shared)
    except ReadinessError as exc:
        return RepoResult(error=str(exc), worker=worker_name())
    except Exception as exc:  # noqa: BLE001 - one repository's bug must not sink the batch
        return RepoResult(error=f"{type(exc).__name__}: {exc}", worker=worker_name())
    finally:
        if resources.budget is not None:
            resources.budget.flush()
    return RepoResult(report=light_report(result.report), worker=worker_name())


def light_report(report: Report) -> Report:
    """The report minus what no summary reads (checks, evidence)."""
    findings = [f.model_copy(update={"evidence": []}) for f in report.findings]
    return report.model_copy(update={"checks": [], "findings": findings})


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def check_chroma_server(url: str) -> None:
    """Fail early, in one line, when the ChromaDB server is not there.

    Raises:
        ConfigError: The URL is malformed or no server answers at it.
    """
    from pipeline.index.store import server_client

    try:
        server_client(url).heartbeat()
    except ConfigError:
        raise
    except Exception as exc:  # noqa: BLE001 - chromadb and httpx raise many kinds here
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(f"cannot reach the ChromaDB server at {url}: {first}") from None


class LocalExecutor:
    """Every repository in this process, ``concurrency`` at a time, sharing one model."""

    def __init__(self, options: BatchOptions) -> None:
        self.options = options
        self.limits = fleet_limits(options.model)
        self._resources: WorkerResources | None = None

    @property
    def slots(self) -> int:
        return self.options.concurrency or 2

    def __enter__(self) -> LocalExecutor:
        if self.options.chroma_url:
            check_chroma_server(self.options.chroma_url)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None

    async def assess(self, job: RepoJob, progress: Progress | None) -> RepoResult:
        # Created on first need, so a batch that reuses every repository loads nothing.
        if self._resources is None:
            self._resources = worker_resources(self.options, InProcessFleet(self.limits))
        return await assess_job(job, self._resources, progress)

    def rate(self) -> RateReport:
        return self.limits.report()
