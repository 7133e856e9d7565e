"""The pipeline, end to end: ingest → probe → (chunk → index → retrieve → judge) → score → assemble.

Each stage is a function from one model to the next, run through :func:`run_stage` with a
declared checkpoint key: the fingerprint of exactly the inputs it reads. A stage runs only
when a later one consumes it: index and retrieve run only for a judge that reads code, so an
offline run embeds nothing. Ingest is never checkpointed: reading the files is how a run
knows whether anything changed, and its snapshot holds raw text that the cache must not.
A killed run resumes from its checkpoints; an unchanged repository loads every stage.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from pipeline import __version__
from pipeline.assemble import write_reports
from pipeline.checkpoint import CheckpointStore, fingerprint
from pipeline.config import load_config
from pipeline.errors import InputError
from pipeline.index.embedding import Embedder
from pipeline.ingest import RepoSnapshot, ingest_repository
from pipeline.judge.base import Judge, JudgeInput
from pipeline.judge.offline import OfflineJudge
from pipeline.options import AssessOptions, ModelOptions
from pipeline.probes.engine import run_probes
from pipeline.progress import Progress, SilentProgress
from pipeline.questions import answer_questions
from pipeline.retrieve import retrieve_evidence
from pipeline.rubric import CATEGORIES
from pipeline.schemas import (
    Category,
    CheckResult,
    EvidencePack,
    JudgeOutput,
    ProbeRun,
    RepoInfo,
    Report,
    Usage,
)
from pipeline.scoring import (
    adjust_severity,
    apply_waivers,
    assess_categories,
    findings_from_checks,
    overall_score,
)
from pipeline.scoring.policy import status
from pipeline.templates import template_hash, template_sources

if TYPE_CHECKING:
    from pipeline.index.store import ChunkIndex

T = TypeVar("T")
REPORT_TEMPLATES = (
    "report/report.md.j2",
    "offline/gap.j2",
    "offline/recommendation.j2",
    "offline/summary.j2",
)


@dataclass
class SharedResources:
    """What every repository of a process shares: one embedding model, one LLM budget."""

    cache_dir: Path
    model: ModelOptions
    embedder: Embedder
    _llm: object | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def create(
        cls,
        cache_dir: Path,
        model: ModelOptions,
        embedding_model: str,
        embedder: Embedder | None = None,
        llm: object | None = None,
    ) -> SharedResources:
        """The resources of one process; a batch may bring its own embedder and LLM
        resources (an ``LLMShared`` whose limiter and budget are the whole fleet's)."""
        embedder = embedder or Embedder(embedding_model, cache_dir)
        return cls(cache_dir=cache_dir, model=model, embedder=embedder, _llm=llm)

    def judge(self) -> Judge:
        """A judge for one repository (LLM judges carry a per-repository budget)."""
        if self.model.offline:
            return OfflineJudge()
        from pipeline.judge.llm_judge import LLMJudge, LLMShared

        with self._lock:
            if self._llm is None:
                self._llm = LLMShared.create(self.model, self.cache_dir)
        assert isinstance(self._llm, LLMShared)
        return LLMJudge(self.model, self._llm)


@dataclass
class AssessResult:
    report: Report
    written: dict[str, Path]


def assess(options: AssessOptions, progress: Progress | None = None) -> AssessResult:
    """Assess one repository and write its reports (the synchronous entry point)."""
    return asyncio.run(assess_async(options, progress))


@functools.cache
def code_fingerprint() -> str:
    """A hash of this tool's code, templates and data: checkpoints of other code are stale."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(p for p in package.rglob("*") if p.suffix in (".py", ".toml", ".json")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    for name, data in template_sources():
        digest.update(name.encode())
        digest.update(data)
    return digest.hexdigest()[:16]


async def run_stage(
    store: CheckpointStore, name: str, key: str, kind: type[T], compute: Callable[[], T]
) -> tuple[T, bool]:
    """The stage's output from its checkpoint ``name-key``, else computed (in a thread) and
    saved atomically. The flag says whether it was computed now."""
    checkpoint = f"{name}-{key}"
    cached = store.load(checkpoint, kind)
    if cached is not None:
        return cached, False
    value = await asyncio.to_thread(compute)
    store.save(checkpoint, value, kind)
    return value, True


def _check_input(options: AssessOptions) -> Path:
    root = options.path.expanduser()
    if not root.exists():
        raise InputError(f"no such directory: {options.path}")
    if not root.is_dir():
        raise InputError(f"not a directory: {options.path}")
    return root.resolve()


def _nothing_to_assess(snapshot: RepoSnapshot, path: Path) -> InputError:
    coverage = snapshot.coverage
    if not coverage.files_seen:
        return InputError(f"nothing to assess: {path} holds no files")
    reasons = ", ".join(f"{reason}: {count}" for reason, count in sorted(coverage.skipped.items()))
    return InputError(
        f"nothing to assess: all {coverage.files_seen} files in {path} were skipped ({reasons})"
    )


async def assess_async(
    options: AssessOptions,
    progress: Progress | None = None,
    shared: SharedResources | None = None,
) -> AssessResult:
    """Assess one repository; a batch passes one ``shared`` to every repository."""
    progress = progress or SilentProgress()
    root = _check_input(options)
    name = options.name or root.name
    config = load_config(root)
    shared = shared or SharedResources.create(
        options.cache_dir, options.model, options.embedding_model
    )
    judge = shared.judge()

    progress.stage(name, "ingest")
    snapshot = await asyncio.to_thread(
        ingest_repository,
        root,
        options.scope,
        options.max_file_bytes,
        (options.out, options.cache_dir),
        config.roles,
    )
    if not snapshot.files:
        raise _nothing_to_assess(snapshot, options.path)
    scope = snapshot.scope
    if scope and not any(f.path.startswith(scope.strip("/") + "/") for f in snapshot.files):
        raise InputError(f"nothing to assess in --scope {scope}: it holds no file that can be read")
    progress.finished(name, "ingest", f"{snapshot.coverage.files_included} files")
    repo_key = hashlib.sha256(f"{root}\0{options.scope or ''}".encode()).hexdigest()[:16]
    store = CheckpointStore(options.cache_dir, repo_key)
    repo = RepoInfo(name=name, path=str(root), commit=snapshot.commit, scope=options.scope)
    code = code_fingerprint()

    progress.stage(name, "probe")
    probe_key = fingerprint(code, snapshot.fingerprint(), config.kinds)
    probe_run, _ = await run_stage(
        store, "probes", probe_key, ProbeRun, lambda: run_probes(snapshot, config)
    )
    # Waivers are applied on every run, after the checkpoint: one can expire while the
    # repository stays the same.
    checks = adjust_severity(apply_waivers(config, probe_run.checks), probe_run.profile)
    progress.finished(name, "probe", f"{len(checks)} checks")

    usage = Usage()
    packs: dict[Category, EvidencePack] = {}
    if judge.needs_chunks:
        packs = await _retrieve(snapshot, store, options, shared, code, name, progress, usage)
    outputs = await _judge_all(
        judge, snapshot, checks, packs, repo, store, options, usage, progress
    )
    progress.finished(name, "judge", judge.name)

    report = _build_report(options, repo, snapshot, probe_run, checks, outputs, usage, judge)
    progress.stage(name, "assemble")
    written = write_reports(report, options.out, options.formats)
    progress.finished(name, "assemble", str(options.out))
    return AssessResult(report=report, written=written)


async def _retrieve(
    snapshot: RepoSnapshot,
    store: CheckpointStore,
    options: AssessOptions,
    shared: SharedResources,
    code: str,
    name: str,
    progress: Progress,
    usage: Usage,
) -> dict[Category, EvidencePack]:
    """Chunk, index and retrieve: only for a judge that reads code."""
    from pipeline.ingest.chunking import chunk_snapshot

    progress.stage(name, "index")
    chunks = await asyncio.to_thread(chunk_snapshot, snapshot)
    snapshot.coverage.chunks = len(chunks)
    chunk_key = fingerprint(code, options.embedding_model, [c.id for c in chunks])
    # The index checkpoint says "this store holds these chunks": a server is another store.
    index_key = fingerprint(chunk_key, options.chroma_url) if options.chroma_url else chunk_key
    index: ChunkIndex | None = None

    def open_index() -> ChunkIndex:
        # Imported and opened only when a stage misses its checkpoint: a warm run never
        # pays for ChromaDB.
        nonlocal index
        if index is None:
            from pipeline.index.store import ChunkIndex

            index = ChunkIndex(
                options.cache_dir, store.repo_key, shared.embedder, options.chroma_url
            )
        return index

    def sync() -> dict[str, int]:
        stats = open_index().sync(chunks)
        return {"total": stats.total, "embedded": stats.embedded}

    stats, _ = await run_stage(store, "index", index_key, dict, sync)
    progress.finished(name, "index", f"{stats['embedded']} embedded, {stats['total']} in index")
    packs: dict[Category, EvidencePack] = {}
    for category, spec in CATEGORIES.items():
        progress.stage(name, "retrieve", spec.title)
        packs[category], _ = await run_stage(
            store,
            f"evidence-{category.value}",
            fingerprint(chunk_key, options.evidence_tokens),
            EvidencePack,
            functools.partial(retrieve_evidence, spec, open_index, options.evidence_tokens),
        )
    usage.embeddings_computed = index.embedded if index is not None else 0
    progress.finished(name, "retrieve", f"{sum(len(p.chunks) for p in packs.values())} chunks")
    return packs


async def _judge_all(
    judge: Judge,
    snapshot: RepoSnapshot,
    checks: list[CheckResult],
    packs: dict[Category, EvidencePack],
    repo: RepoInfo,
    store: CheckpointStore,
    options: AssessOptions,
    usage: Usage,
    progress: Progress,
) -> list[JudgeOutput]:
    """Judge every category concurrently (bounded), checkpointing each as it completes."""
    model = options.model
    limit = asyncio.Semaphore(max(1, model.concurrency))
    model_key = fingerprint(
        judge.name,
        judge.prompt_hashes(),
        model.model,
        model.api_base,
        model.temperature,
        model.seed,
        model.max_reasks,
    )

    async def one(category: Category) -> JudgeOutput:
        own = [c for c in checks if c.category == category]
        pack = packs.get(category)
        # The facts (with their waivers) are part of the key: a waiver added or expired
        # re-judges the category instead of serving findings made without it.
        key = fingerprint(
            model_key,
            [c.model_dump(mode="json") for c in own],
            [c.id for c in pack.chunks] if pack else [],
        )
        checkpoint = f"judge-{category.value}-{key}"
        cached = store.load(checkpoint, JudgeOutput)
        if cached is not None:
            return cached
        async with limit:
            progress.stage(repo.name, "judge", CATEGORIES[category].title)
            item = JudgeInput(
                spec=CATEGORIES[category],
                checks=own,
                chunks=pack.chunks if pack else [],
                repo=repo,
                snapshot=snapshot,
            )
            output, spent = await judge.judge(item)
        usage.add(spent)
        if spent.budget_exhausted is None:  # an answer cut short by a budget is not final
            store.save(checkpoint, output, JudgeOutput)
        return output

    # A TaskGroup, not gather: when one category fails, its siblings are cancelled at once
    # instead of going on spending the provider's budget on a run that has already failed.
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(one(category)) for category in CATEGORIES]
    except ExceptionGroup as failed:
        raise failed.exceptions[0] from None  # callers handle our one error type, not groups
    return [task.result() for task in tasks]


def _build_report(
    options: AssessOptions,
    repo: RepoInfo,
    snapshot: RepoSnapshot,
    probe_run: ProbeRun,
    checks: list[CheckResult],
    outputs: list[JudgeOutput],
    usage: Usage,
    judge: Judge,
) -> Report:
    probe_findings = findings_from_checks(checks)
    covered = {f.check_id for f in probe_findings}
    judged = [f for o in outputs for f in o.findings if not (f.check_id and f.check_id in covered)]
    findings = probe_findings + judged
    usage.dropped_findings = max(usage.dropped_findings, sum(o.dropped_findings for o in outputs))
    summaries = {o.category.value: o.summary for o in outputs if o.summary}
    categories = assess_categories(checks, findings, summaries)
    overall = overall_score(categories)
    prompts = {name: template_hash(name) for name in REPORT_TEMPLATES} | judge.prompt_hashes()
    coverage = snapshot.coverage.model_copy(update={"unparsed": probe_run.unparsed})
    return Report(
        tool_version=__version__,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        model=options.model.model,
        repo=repo,
        overall_score=overall,
        status=status(overall, findings),
        categories=categories,
        findings=findings,
        checks=checks,
        usage=usage,
        coverage=coverage,
        profile=probe_run.profile,
        overview=probe_run.overview,
        questions=answer_questions(checks, probe_run.profile),
        prompts=prompts,
        parameters={
            "temperature": options.model.temperature,
            "seed": options.model.seed,
            "embedding_model": options.embedding_model,
            "evidence_tokens": options.evidence_tokens,
            "scope": options.scope,
        },
    )
