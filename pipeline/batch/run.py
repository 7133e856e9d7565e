"""Assess every repository of a manifest, concurrently, with one set of shared resources."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from pydantic import ValidationError

from pipeline.batch.executors import Executor, LocalExecutor, RepoJob, light_report
from pipeline.batch.manifest import ManifestEntry, parse_manifest
from pipeline.batch.options import BatchOptions
from pipeline.batch.results import BatchResult, RepoOutcome, RepoStatus
from pipeline.batch.sources import ResolvedSource, resolve_source
from pipeline.batch.state import BatchState, RepoState, load_state, save_state
from pipeline.batch.summary import write_summaries
from pipeline.checkpoint import fingerprint
from pipeline.errors import InputError, ReadinessError
from pipeline.progress import Progress
from pipeline.schemas import Report, Usage
from pipeline.secrets import redact_text

__all__ = ["BatchOptions", "BatchProgress", "BatchResult", "RepoOutcome", "RepoStatus", "run_batch"]


class BatchProgress(Progress, Protocol):
    """Progress of a batch: the per-stage events of each repository plus these."""

    def batch_started(self, total: int) -> None:
        """The batch holds ``total`` repositories."""
        ...

    def repo_started(self, repo: str) -> None:
        """Work on ``repo`` began (it holds one of the concurrency slots)."""
        ...

    def repo_finished(self, repo: str, status: RepoStatus, detail: str = "") -> None:
        """``repo`` is done: assessed, reused from the last run, or failed (``detail`` says why)."""
        ...


async def run_batch(
    manifest: Path, out: Path, options: BatchOptions, progress: BatchProgress | None = None
) -> BatchResult:
    """Assess every repository of ``manifest`` into ``out/<name>/`` and write the summaries.

    One repository's failure is recorded in its outcome and the batch goes on. Repositories
    whose manifest entry, options and content are unchanged since the last run into ``out``
    are reused without any work.

    Raises:
        InputError: The manifest is unreadable or malformed (message names the line).
    """
    if options.concurrency is not None and options.concurrency < 1:
        raise InputError("--concurrency must be at least 1")
    entries = parse_manifest(manifest)
    started = time.monotonic()
    if out.exists() and not out.is_dir():
        raise InputError(f"--out is a file, not a folder: {out}")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create output folder {out}: {exc.strerror}") from None
    with make_executor(options) as executor:
        batch = _Batch(out, options, progress, load_state(out), executor)
        if progress is not None:
            progress.batch_started(len(entries))
        outcomes = await asyncio.gather(*(batch.run_one(entry) for entry in entries))
        rate = executor.rate()
    # Entries no longer in the manifest are forgotten, so the state mirrors the manifest.
    known = batch.state.repos
    batch.state.repos = {e.name: known[e.name] for e in entries if e.name in known}
    save_state(out, batch.state)
    usage = Usage()
    for outcome in outcomes:
        usage.add(outcome.usage)
    result = BatchResult(out, list(outcomes), time.monotonic() - started, usage, rate)
    write_summaries(result)
    return result


def make_executor(options: BatchOptions) -> Executor:
    """The executor ``options`` name; Ray is imported only when asked for.

    Raises:
        ConfigError: Ray is asked for but not installed, or its cluster cannot be reached.
    """
    if options.executor == "ray":
        from pipeline.batch.ray_executor import RayExecutor

        return RayExecutor(options)
    return LocalExecutor(options)


class _Batch:
    def __init__(
        self,
        out: Path,
        options: BatchOptions,
        progress: BatchProgress | None,
        state: BatchState,
        executor: Executor,
    ) -> None:
        self.out = out
        self.options = options
        self.progress = progress
        self.state = state
        self.executor = executor
        self.slots = asyncio.Semaphore(executor.slots)
        self.state_lock = asyncio.Lock()

    def entry_key(self, entry: ManifestEntry) -> str:
        model = self.options.model
        return fingerprint(
            entry.key(), model.model, model.api_base, self.options.embedding_model,
            sorted(self.options.formats),
        )  # fmt: skip

    async def run_one(self, entry: ManifestEntry) -> RepoOutcome:
        async with self.slots:
            if self.progress is not None:
                self.progress.repo_started(entry.name)
            started = time.monotonic()
            outcome = await self._assess(entry)
            outcome.seconds = time.monotonic() - started
            await self._record(outcome)
            if self.progress is not None:
                self.progress.repo_finished(entry.name, outcome.status, _detail(outcome))
            return outcome

    async def _assess(self, entry: ManifestEntry) -> RepoOutcome:
        out_dir = self.out / entry.name
        key = self.entry_key(entry)
        try:
            exclude = (self.out, self.options.cache_dir)
            source = await resolve_source(entry, self.options.cache_dir, exclude)
            reused = self._reusable(entry, key, source, out_dir)
            if reused is not None:
                report = light_report(reused)
                return RepoOutcome(entry, "reused", out_dir, report, commit=source.commit)
            # Fingerprinted before the work: a folder edited meanwhile is redone next time.
            job = RepoJob(entry, source.path, out_dir, self.options)
            result = await self.executor.assess(job, self.progress)
        except ReadinessError as exc:
            return RepoOutcome(entry, "failed", out_dir, error=redact_text(str(exc)))
        except Exception as exc:  # noqa: BLE001 - one repository's bug must not sink the batch
            error = redact_text(f"{type(exc).__name__}: {exc}")
            return RepoOutcome(entry, "failed", out_dir, error=error)
        if result.report is None:
            error = redact_text(result.error or "failed")
            return RepoOutcome(entry, "failed", out_dir, error=error, worker=result.worker)
        # Assessed, but provider trouble left questions unanswered: the report is written,
        # the batch exits 1 and the next run assesses it again.
        trouble = result.report.usage.provider_error
        return RepoOutcome(
            entry,
            "assessed",
            out_dir,
            result.report,
            error=redact_text(f"incomplete: {trouble}") if trouble else None,
            commit=source.commit,
            fingerprint=source.fingerprint,
            usage=result.report.usage,
            worker=result.worker,
        )

    def _reusable(
        self, entry: ManifestEntry, key: str, source: ResolvedSource, out_dir: Path
    ) -> Report | None:
        previous = self.state.repos.get(entry.name)
        if previous is None or previous.status == "failed" or previous.error:
            return None
        if previous.key != key or previous.fingerprint != source.fingerprint:
            return None
        try:
            return Report.model_validate_json((out_dir / "report.json").read_bytes())
        except (OSError, ValidationError, ValueError):
            return None  # the outputs were removed or damaged since: assess again

    async def _record(self, outcome: RepoOutcome) -> None:
        async with self.state_lock:
            if outcome.status == "reused":
                return
            self.state.repos[outcome.name] = RepoState(
                key=self.entry_key(outcome.entry),
                fingerprint=outcome.fingerprint,
                commit=outcome.commit,
                status=outcome.status,
                error=outcome.error,
                finished_at=datetime.now(UTC).isoformat(timespec="seconds"),
                seconds=round(outcome.seconds, 2),
            )
            save_state(self.out, self.state)


def _detail(outcome: RepoOutcome) -> str:
    if outcome.status == "failed":
        return outcome.error or "failed"
    report = outcome.report
    if report is None:
        return outcome.status
    score = "n/a" if report.overall_score is None else f"{report.overall_score}%"
    return f"{score} {report.status}"
