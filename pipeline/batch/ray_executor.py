"""``--executor ray``: each repository a Ray task; one actor holds the fleet's limits.

Ray schedules, retries and places the work; nothing here is a scheduler. The driver (the
``readiness batch`` process) still resolves sources, decides what a re-run may reuse and
writes the state and the summaries, exactly as a local batch does; a task only assesses one
repository with :func:`~pipeline.batch.executors.assess_job`. The repository's folder, the
output folder and the cache folder must be reachable at the same path from every node (one
machine, or a shared filesystem); git sources are cloned by the driver into the cache.

* A :class:`~pipeline.batch.limits.FleetLimits` runs as one actor: every worker takes its
  LLM call slots from it and reports its spend to it, so the fleet keeps one rate limit and
  one budget. Its clock is the actor's, so the workers' clocks never need to agree.
* A worker killed mid-repository (OOM, a lost node, ``kill -9``) has its task retried by
  Ray elsewhere, ``TASK_RETRIES`` times; after that the repository is recorded as failed
  with the reason. A repository that fails inside the pipeline is not retried: the same
  input fails the same way.
* Each worker process keeps its embedding model and caches between the repositories it
  is given (Ray reuses worker processes).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from types import ModuleType, TracebackType
from typing import Any

from pipeline.batch.executors import (
    RepoJob,
    RepoResult,
    WorkerResources,
    assess_job,
    check_chroma_server,
    worker_resources,
)
from pipeline.batch.limits import FleetLimits, RateReport
from pipeline.batch.options import BatchOptions
from pipeline.errors import ConfigError
from pipeline.progress import Progress
from pipeline.schemas import Report

TASK_RETRIES = 2  # a repository whose worker dies three times is recorded as failed
# The actor answers in well under a millisecond; this long means it or its node is gone.
ACTOR_TIMEOUT_S = 120.0
# `--ray-address local`: a small object store (tasks exchange a few kilobytes each); Ray
# reserves 30% of the machine's memory otherwise.
LOCAL_OBJECT_STORE_BYTES = 200_000_000
PROBE_TIMEOUT_S = 10.0
MISSING_RAY = "--executor ray needs Ray, an optional extra: pip install 'readiness[ray]'"


def import_ray() -> ModuleType:
    """The ``ray`` module, or a one-line ConfigError naming the extra that provides it."""
    try:
        import ray
    except ImportError:
        raise ConfigError(MISSING_RAY) from None
    return ray


class ActorFleet:
    """A :class:`~pipeline.batch.limits.FleetHandle` on the fleet's actor.

    Slots and budget checks wait for the actor's answer; corrections, pauses and spend
    reports are sent without waiting (Ray runs one caller's actor calls in order).
    """

    def __init__(self, actor: Any) -> None:
        self.actor = actor

    def _get(self, ref: Any) -> Any:
        return import_ray().get(ref, timeout=ACTOR_TIMEOUT_S)

    def try_acquire(self, tokens: int) -> float:
        return float(self._get(self.actor.try_acquire.remote(tokens)))

    def correct(self, estimated: int, actual: int) -> None:
        self.actor.correct.remote(estimated, actual)

    def pause(self, seconds: float) -> None:
        self.actor.pause.remote(seconds)

    def throttled(self, retry_after: float | None) -> None:
        self.actor.throttled.remote(retry_after)

    def spend(self, cost_usd: float) -> None:
        self.actor.spend.remote(cost_usd)

    def check(self, cost_usd: float, tokens: int, cost: float) -> str | None:
        reason = self._get(self.actor.check.remote(cost_usd, tokens, cost))
        return None if reason is None else str(reason)


# One worker process serves one batch at a time; its resources outlive each task.
_worker: dict[str, WorkerResources] = {}


def run_on_worker(job: RepoJob, actor: Any, batch_id: str) -> tuple[str | None, str | None, str]:
    """The Ray task: assess one repository; returns (report JSON, error, worker)."""
    resources = _worker.get(batch_id)
    if resources is None:
        _worker.clear()
        resources = worker_resources(job.options, ActorFleet(actor))
        _worker[batch_id] = resources
    result = asyncio.run(assess_job(job, resources))
    report = result.report.model_dump_json() if result.report is not None else None
    return report, result.error, result.worker or ""


class RayExecutor:
    """Runs a batch's repositories as tasks on a Ray cluster (``--executor ray``).

    Raises:
        ConfigError: Ray is not installed; an LLM run has no ``--chroma-url`` (ChromaDB's
            on-disk store is not safe for several processes at once); the cluster or the
            ChromaDB server cannot be reached.
    """

    def __init__(self, options: BatchOptions) -> None:
        self.ray = import_ray()
        if not options.model.offline and not options.chroma_url:
            raise ConfigError(
                "--executor ray with a model needs --chroma-url: workers cannot share "
                "ChromaDB's on-disk store; start one with `chroma run`"
            )
        self.options = options
        self.batch_id = uuid.uuid4().hex
        self._owned = False
        self._slots = 1
        self._actor: Any = None
        self._task: Any = None

    @property
    def slots(self) -> int:
        return self._slots

    def __enter__(self) -> RayExecutor:
        if self.options.chroma_url:
            check_chroma_server(self.options.chroma_url)
        self._connect()
        ray = self.ray
        model = self.options.model
        actor_class = ray.remote(num_cpus=0, max_restarts=0)(FleetLimits)
        self._actor = actor_class.remote(
            model.requests_per_minute, model.tokens_per_minute, model.limits
        )
        self._task = ray.remote(num_cpus=1, max_retries=TASK_RETRIES, retry_exceptions=False)(
            run_on_worker
        )
        cpus = int(ray.cluster_resources().get("CPU", 1))
        self._slots = self.options.concurrency or max(1, cpus)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._owned:
            self.ray.shutdown()

    def _connect(self) -> None:
        ray = self.ray
        if ray.is_initialized():
            return  # the caller's own session (a notebook, a test): used as it is
        os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
        address = self.options.ray_address
        settings: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.WARNING}
        if address == "local":
            # A cluster inside this process, on loopback, sized to this machine.
            settings |= {
                "address": "local",
                "include_dashboard": False,
                "object_store_memory": LOCAL_OBJECT_STORE_BYTES,
                "_node_ip_address": "127.0.0.1",
            }
        else:
            settings["address"] = address
            if address:
                _probe(address)
        try:
            ray.init(**settings)
        except Exception as exc:  # noqa: BLE001 - Ray raises ConnectionError, RuntimeError...
            text = str(exc).strip()
            first = text.splitlines()[0] if text else type(exc).__name__
            where = address or "$RAY_ADDRESS or this machine"
            raise ConfigError(f"cannot reach the Ray cluster at {where}: {first}") from None
        self._owned = True

    async def assess(self, job: RepoJob, progress: Progress | None) -> RepoResult:
        # Named after the repository: Ray's dashboard and `ps` show which one a worker runs.
        task = self._task.options(name=f"assess:{job.entry.name}")
        try:
            report, error, worker = await task.remote(job, self._actor, self.batch_id)
        except self.ray.exceptions.RayError as exc:
            return RepoResult(error=_lost(exc))
        parsed = Report.model_validate_json(report) if report is not None else None
        return RepoResult(parsed, error, worker or None)

    def rate(self) -> RateReport:
        report = self.ray.get(self._actor.report.remote(), timeout=ACTOR_TIMEOUT_S)
        assert isinstance(report, RateReport)
        return report


def _probe(address: str) -> None:
    """Fail at once on a HOST:PORT where nothing listens: Ray itself retries for minutes.

    Raises:
        ConfigError: Nothing accepts a connection there.
    """
    host, _, port = address.rpartition(":")
    if "://" in address or not host or not port.isdigit():
        return  # ray://, "auto" and the like: Ray's own rules
    try:
        socket.create_connection((host, int(port)), timeout=PROBE_TIMEOUT_S).close()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ConfigError(f"cannot reach the Ray cluster at {address}: {reason}") from None


def _lost(exc: Exception) -> str:
    """Why Ray gave up on a task, in one line."""
    text = str(exc).strip()
    first = text.splitlines()[0] if text else ""
    reason = f"{type(exc).__name__}: {first}" if first else type(exc).__name__
    return f"gave up after {TASK_RETRIES + 1} attempts on the cluster ({reason})"
