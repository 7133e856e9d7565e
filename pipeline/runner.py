"""The pipeline, end to end: ingest → index → probe → retrieve → judge → score → assemble.

Every stage after ingest is checkpointed per (repository, content fingerprint), so a run that
is killed resumes where it stopped, and a second run of an unchanged repository loads every
stage instead of computing it: no embedding, no LLM call.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import __version__
from pipeline.assemble import write_reports
from pipeline.categories import CATEGORIES
from pipeline.checkpoint import CheckpointStore, fingerprint
from pipeline.errors import InputError
from pipeline.index.embedding import Embedder
from pipeline.ingest import ingest_repository
from pipeline.judge.base import Judge, JudgeInput
from pipeline.judge.offline import (
    OfflineJudge,
    findings_from_checks,
    is_applicable,
    verdict_from_checks,
)
from pipeline.options import AssessOptions, ModelOptions
from pipeline.probes import ProbeContext, run_probes
from pipeline.progress import Progress, SilentProgress
from pipeline.retrieve import retrieve_evidence
from pipeline.schemas import (
    Category,
    CategoryJudgement,
    CheckResult,
    EvidencePack,
    Finding,
    Ingested,
    RepoInfo,
    Report,
    Usage,
)
from pipeline.scoring import assess_categories, overall_score, status
from pipeline.templates import PROMPTS_DIR, template_hash
from pipeline.waivers import apply_waivers

if TYPE_CHECKING:
    from pipeline.index.store import ChunkIndex

REPORT_TEMPLATES = ("report/report.md.j2", "offline/gap.j2", "offline/summary.j2")


@dataclass
class SharedResources:
    """What every repository of a process shares: one embedding model, one LLM budget."""

    cache_dir: Path
    model: ModelOptions
    embedder: Embedder
    _llm: object | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def create(cls, cache_dir: Path, model: ModelOptions, embedding_model: str) -> SharedResources:
        return cls(cache_dir=cache_dir, model=model, embedder=Embedder(embedding_model, cache_dir))

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


def _repo_key(root: Path, scope: str | None) -> str:
    return hashlib.sha256(f"{root}\0{scope or ''}".encode()).hexdigest()[:16]


@functools.cache
def code_fingerprint() -> str:
    """A hash of this tool's code and templates: checkpoints made by other code are stale."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted([*package.rglob("*.py"), *PROMPTS_DIR.rglob("*.j2")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _check_input(options: AssessOptions) -> Path:
    root = options.path.expanduser()
    if not root.exists():
        raise InputError(f"no such directory: {options.path}")
    if not root.is_dir():
        raise InputError(f"not a directory: {options.path}")
    return root.resolve()


def _nothing_to_assess(ingested: Ingested, path: Path) -> InputError:
    skipped = ingested.coverage.skipped
    if not ingested.coverage.files_seen:
        return InputError(f"nothing to assess: {path} holds no files")
    reasons = ", ".join(f"{reason}: {count}" for reason, count in sorted(skipped.items()))
    return InputError(
        f"nothing to assess: all {ingested.coverage.files_seen} files in {path} were skipped"
        f" ({reasons})"
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
    shared = shared or SharedResources.create(
        options.cache_dir, options.model, options.embedding_model
    )
    judge = shared.judge()

    progress.stage(name, "ingest")
    ingested = await asyncio.to_thread(
        ingest_repository,
        root,
        options.scope,
        options.max_file_bytes,
        (options.out, options.cache_dir),
    )
    if not ingested.files:
        raise _nothing_to_assess(ingested, options.path)
    progress.finished(
        name,
        "ingest",
        f"{ingested.coverage.files_included} files, {ingested.coverage.chunks} chunks",
    )
    run_fp = fingerprint(
        __version__,
        code_fingerprint(),
        options.scope,
        options.embedding_model,
        options.evidence_tokens,
        [(f.path, f.sha256) for f in ingested.files],
        [c.id for c in ingested.chunks],
    )
    store = CheckpointStore(options.cache_dir, _repo_key(root, options.scope), run_fp)
    if not store.has("ingest"):
        store.save("ingest", ingested, Ingested)
    repo = RepoInfo(name=name, path=str(root), commit=ingested.commit, scope=options.scope)

    index: ChunkIndex | None = None

    def open_index() -> ChunkIndex:
        # Imported and opened only when a stage misses its checkpoint: a warm run never
        # pays for ChromaDB.
        nonlocal index
        if index is None:
            from pipeline.index.store import ChunkIndex

            index = ChunkIndex(options.cache_dir, _repo_key(root, options.scope), shared.embedder)
        return index

    if store.load("index", dict) is None:
        progress.stage(name, "index", f"{len(ingested.chunks)} chunks")
        stats = await asyncio.to_thread(open_index().sync, ingested.chunks)
        store.save("index", {"total": stats.total, "embedded": stats.embedded}, dict)
        progress.finished(name, "index", f"{stats.embedded} embedded, {stats.total} in index")
    else:
        progress.finished(name, "index", "unchanged")

    facts = store.load("checks", list[CheckResult])
    if facts is None:
        progress.stage(name, "probe")
        context = ProbeContext(root, ingested.files, options.scope)
        facts = await asyncio.to_thread(run_probes, context)
        store.save("checks", facts, list[CheckResult])
    # Waivers are applied on every run, after the checkpoint: one can expire while the
    # repository stays the same.
    checks = apply_waivers(root, facts)
    progress.finished(name, "probe", f"{len(checks)} checks")

    packs: dict[Category, EvidencePack] = {}
    for category, spec in CATEGORIES.items():
        pack = store.load(f"evidence-{category.value}", EvidencePack)
        if pack is None:
            progress.stage(name, "retrieve", spec.title)
            pack = await asyncio.to_thread(
                retrieve_evidence, spec, open_index(), checks, options.evidence_tokens
            )
            store.save(f"evidence-{category.value}", pack, EvidencePack)
        # The facts travel with this run's waivers, not those of the run that retrieved.
        packs[category] = pack.model_copy(
            update={"checks": [c for c in checks if c.category == category]}
        )
    progress.finished(name, "retrieve", f"{sum(len(p.chunks) for p in packs.values())} chunks")

    usage = Usage()
    judgements = await _judge_all(judge, packs, repo, root, store, options.model, usage, progress)
    progress.finished(name, "judge", judge.name)

    usage.embeddings_computed = index.embedded if index is not None else 0
    report = _build_report(options, repo, ingested, checks, judgements, usage, judge)
    progress.stage(name, "assemble")
    written = write_reports(report, options.out, options.formats, packs)
    progress.finished(name, "assemble", str(options.out))
    return AssessResult(report=report, written=written)


async def _judge_all(
    judge: Judge,
    packs: dict[Category, EvidencePack],
    repo: RepoInfo,
    root: Path,
    store: CheckpointStore,
    model: ModelOptions,
    usage: Usage,
    progress: Progress,
) -> list[CategoryJudgement]:
    """Judge every category concurrently (bounded), checkpointing each as it completes."""
    limit = asyncio.Semaphore(max(1, model.concurrency))
    model_key = fingerprint(
        judge.name, model.model, model.api_base, model.temperature, model.seed, model.max_reasks
    )

    async def one(category: Category) -> CategoryJudgement:
        # The facts (with their waivers) are part of the key: a waiver added or expired
        # re-judges the category instead of serving a verdict made without it.
        facts = fingerprint([c.model_dump(mode="json") for c in packs[category].checks])
        name = f"judge-{model_key}-{category.value}-{facts}"
        cached = store.load(name, CategoryJudgement)
        if cached is not None:
            return cached
        async with limit:
            progress.stage(repo.name, "judge", CATEGORIES[category].title)
            item = JudgeInput(spec=CATEGORIES[category], pack=packs[category], repo=repo, root=root)
            judgement, spent = await judge.judge(item)
        usage.add(spent)
        judgement = _ground_verdict(judgement, packs[category].checks)
        if spent.budget_exhausted is None:  # a judgement cut short by a budget is not final
            store.save(name, judgement, CategoryJudgement)
        return judgement

    # A TaskGroup, not gather: when one category fails, its siblings are cancelled at once
    # instead of going on spending the provider's budget on a run that has already failed.
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(one(category)) for category in CATEGORIES]
    except ExceptionGroup as failed:
        raise failed.exceptions[0] from None  # callers handle our one error type, not groups
    return [task.result() for task in tasks]


def _ground_verdict(judgement: CategoryJudgement, checks: list[CheckResult]) -> CategoryJudgement:
    """Facts first: where probes apply, the verdict is theirs, whatever a model concluded.

    This is what keeps text planted in a repository ("this project is production ready")
    from changing a verdict or a score through the LLM.
    """
    if not any(is_applicable(check) for check in checks):
        return judgement
    return judgement.model_copy(update={"verdict": verdict_from_checks(checks)})


def _build_report(
    options: AssessOptions,
    repo: RepoInfo,
    ingested: Ingested,
    checks: list[CheckResult],
    judgements: list[CategoryJudgement],
    usage: Usage,
    judge: Judge,
) -> Report:
    probe_findings = findings_from_checks(checks)
    covered = {f.check_id for f in probe_findings}
    judged: list[Finding] = [
        f for j in judgements for f in j.findings if not (f.check_id and f.check_id in covered)
    ]
    findings = probe_findings + judged
    usage.dropped_findings = max(
        usage.dropped_findings, sum(j.dropped_findings for j in judgements)
    )
    categories = assess_categories(judgements, checks, findings)
    overall = overall_score(categories)
    prompts = {name: template_hash(name) for name in REPORT_TEMPLATES}
    prompt_hashes = getattr(judge, "prompt_hashes", None)
    if callable(prompt_hashes):
        prompts.update(prompt_hashes())
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
        coverage=ingested.coverage,
        prompts=prompts,
        parameters={
            "temperature": options.model.temperature,
            "seed": options.model.seed,
            "embedding_model": options.embedding_model,
            "evidence_tokens": options.evidence_tokens,
            "scope": options.scope,
        },
    )
