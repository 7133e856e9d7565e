"""The pipeline, end to end: ingest → probe → questions → (retrieve → judge) → score → assemble.

Each stage is a function from one model to the next, run through :func:`run_stage` with a
declared checkpoint key: the fingerprint of exactly the inputs it reads. A stage runs only
when a later one consumes it: chunking, the index and retrieval run only for the questions
the probes left open (a model answers them, or the reviewer gets pointers), so a run whose
questions the facts all settle embeds nothing. Ingest is never checkpointed: reading the
files is how a run knows whether anything changed, and its snapshot holds raw text that the
cache must not.
A killed run resumes from its checkpoints; an unchanged repository loads every stage.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import dataclasses
import functools
import hashlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from pipeline import __version__
from pipeline.assemble import write_reports
from pipeline.checkpoint import CheckpointStore, fingerprint
from pipeline.config import RepoConfig, load_config
from pipeline.errors import ConfigError, InputError
from pipeline.index.embedding import Embedder
from pipeline.ingest import RepoSnapshot, ingest_repository
from pipeline.ingest.artifact import release_artifact
from pipeline.judge.base import Judge, QuestionInput
from pipeline.judge.offline import OfflineJudge
from pipeline.options import DEFAULT_MAX_FILES, WARN_FILES, AssessOptions, ModelOptions
from pipeline.probes.engine import registered_probes, run_probes
from pipeline.progress import (
    WORKER_PREFIX,
    CountingProgress,
    Progress,
    SilentProgress,
    interrupt,
    tracking,
)
from pipeline.questions import answer_questions
from pipeline.retrieve import (
    CodeGraph,
    QuestionRetriever,
    RetrievalSettings,
    hints_for,
    searchable,
)
from pipeline.rubric.questions import Question, question
from pipeline.schemas import (
    CheckResult,
    Finding,
    Outcome,
    ProbeRun,
    QuestionAnswer,
    QuestionEvidence,
    QuestionJudgement,
    RepoInfo,
    Report,
    RetrievalRun,
    Usage,
)
from pipeline.scoring import (
    adjust_severity,
    apply_waivers,
    assess_categories,
    findings_from_checks,
    mark_suspicions,
    overall_score,
)
from pipeline.scoring.policy import status
from pipeline.templates import template_hash, template_sources

T = TypeVar("T")
logger = logging.getLogger("readiness")
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
    value = await in_thread(compute)
    store.save(checkpoint, value, kind)
    return value, True


async def in_thread(function: Callable[..., T], *args: object) -> T:
    """``function(*args)`` in a worker thread, with this context (its progress tracker).

    A daemon thread, not the default executor: on Ctrl-C, ``asyncio.run`` waits for the
    executor's threads, so an interrupted run would sit until a view over 100,000 lines was
    built. The thread is told to stop at its next progress step; the command line waits a
    little for that (``progress.wait_for_workers``) and otherwise exits without it: every
    checkpoint is written by rename, so a stage cut short leaves none.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()
    context = contextvars.copy_context()

    def settle(value: object, error: BaseException | None) -> None:
        if future.done():  # cancelled: nobody reads it
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(value)  # type: ignore[arg-type]

    def work() -> None:
        value: object = None
        error: BaseException | None = None
        try:
            value = context.run(function, *args)
        except BaseException as exc:  # noqa: BLE001 - handed to the awaiting task as is
            error = exc
        with contextlib.suppress(RuntimeError):  # the loop is gone: nobody waits any more
            loop.call_soon_threadsafe(settle, value, error)

    name = f"{WORKER_PREFIX}{getattr(function, '__name__', 'stage')}"
    threading.Thread(target=work, name=name, daemon=True).start()
    try:
        return await future
    except asyncio.CancelledError:
        interrupt()
        raise


def probe_selection(options: AssessOptions, config: RepoConfig) -> tuple[tuple[str, ...], ...]:
    """The ``select`` and ``ignore`` patterns of a run: the options' (command line or
    environment), else the repository's configuration.

    Raises:
        ConfigError: a pattern matches no probe id, id prefix or category.
    """
    chosen = []
    probes = registered_probes()
    for name, given, configured in (
        ("select", options.select, config.select),
        ("ignore", options.ignore, config.ignore),
    ):
        patterns = given if given is not None else configured
        for pattern in patterns:
            if not any(p.id.startswith(pattern) or p.category.value == pattern for p in probes):
                where = f"--{name}" if given is not None else f"{config.where(name)}: {name}"
                raise ConfigError(
                    f"{where}: {pattern!r} matches no probe id, id prefix or category "
                    "(readiness explain lists them)"
                )
        chosen.append(tuple(patterns))
    return tuple(chosen)


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
    with tracking(name, progress):
        return await _assess(options, progress, shared, root, name)


async def _assess(
    options: AssessOptions,
    progress: Progress,
    shared: SharedResources | None,
    root: Path,
    name: str,
) -> AssessResult:
    config = load_config(root)
    select, ignore = probe_selection(options, config)
    shared = shared or SharedResources.create(
        options.cache_dir, options.model, options.embedding_model
    )
    # Probes only: the offline drafter adds nothing to the probes' findings and reads no code.
    judge = OfflineJudge() if options.probes_only else shared.judge()

    progress.stage(name, "ingest")
    snapshot = await in_thread(
        ingest_repository,
        root,
        options.scope,
        options.max_file_bytes,
        (options.out, options.cache_dir),
        config.roles,
        config.pick("max-files", options.max_files, DEFAULT_MAX_FILES),
    )
    if not snapshot.files:
        raise _nothing_to_assess(snapshot, options.path)
    if snapshot.coverage.files_included > WARN_FILES:
        logger.warning(
            f"{name}: {snapshot.coverage.files_included} files to assess (more than "
            f"{WARN_FILES}): a large repository takes longer, indexing for an LLM most; "
            "exclude vendored or generated folders in readiness.toml (exclude = [...])"
        )
    scope = snapshot.scope
    if scope and not any(f.path.startswith(scope.strip("/") + "/") for f in snapshot.files):
        raise InputError(f"nothing to assess in --scope {scope}: it holds no file that can be read")
    progress.finished(name, "ingest", f"{snapshot.coverage.files_included} files")
    repo_key = hashlib.sha256(f"{root}\0{options.scope or ''}".encode()).hexdigest()[:16]
    store = CheckpointStore(options.cache_dir, repo_key)
    repo = RepoInfo(
        name=name,
        path=str(root),
        commit=snapshot.commit,
        scope=options.scope,
        release_artifact=release_artifact(snapshot),
    )
    code = code_fingerprint()

    progress.stage(name, "probe")
    probe_key = fingerprint(code, snapshot.fingerprint(), config.kinds, select, ignore)
    probe_run, _ = await run_stage(
        store,
        "probes",
        probe_key,
        ProbeRun,
        lambda: run_probes(snapshot, config, select, ignore),
    )
    # Waivers are applied on every run, after the checkpoint: one can expire while the
    # repository stays the same.
    checks = mark_suspicions(
        adjust_severity(apply_waivers(config, probe_run.checks), probe_run.profile)
    )
    progress.finished(name, "probe", f"{len(checks)} checks")

    usage = Usage()
    questions = answer_questions(checks, probe_run.profile)
    left_open = [q for q in questions if q.status == "open"]
    judgements: dict[str, QuestionJudgement] = {}
    if left_open and not options.probes_only:
        # Only an open question reads code: a run the facts settle embeds nothing.
        evidence = await _retrieve(
            snapshot, store, options, shared, code, name, progress, usage, left_open
        )
        judgements = await _answer_all(
            judge, snapshot, checks, evidence, left_open, repo, store, options, usage, progress
        )
    progress.finished(name, "judge", f"{judge.name}, {len(left_open)} open questions")
    questions = [judgements[q.id].answer if q.id in judgements else q for q in questions]
    judged = [f for q in questions if q.id in judgements for f in judgements[q.id].findings]

    report = _build_report(
        options, repo, snapshot, probe_run, checks, questions, judged, usage, judge
    )
    if options.probes_only:
        report.parameters["probes_only"] = True
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
    left_open: list[QuestionAnswer],
) -> dict[str, QuestionEvidence]:
    """Chunk, index the candidates, and retrieve each open question's evidence.

    One checkpoint for the whole stage, keyed by the snapshot and the questions: a warm run
    neither chunks nor opens ChromaDB.
    """
    asked = [question(q.id) for q in left_open]
    settings = RetrievalSettings(budget_tokens=options.evidence_tokens)
    key = fingerprint(
        code, snapshot.fingerprint(), options.embedding_model, [q.id for q in asked], settings
    )

    def compute() -> RetrievalRun:
        from pipeline.ingest.chunking import chunk_snapshot

        progress.stage(name, "index")
        # Only the files some open question can search are cut into chunks.
        reachable = dataclasses.replace(snapshot, files=searchable(snapshot.files, asked))
        chunks = chunk_snapshot(reachable)
        code_paths = [f.path for f in reachable.files]
        retriever = QuestionRetriever(
            chunks, lambda: CodeGraph.build(reachable, code_paths), settings
        )
        candidates = retriever.candidates(asked)
        # Every question's query is embedded in one batch after the chunks: one at a time,
        # each costs a forward pass (0.1 s; a tenth of the stage on 30 questions).
        queries = list(dict.fromkeys(hints_for(q).query for q in asked)) if candidates else []
        if shared.embedder.missing([c.text for c in candidates] + queries):
            # The model loads (seconds) while ChromaDB is imported and opened.
            shared.embedder.load_in_background()
        from pipeline.index.store import ChunkIndex

        index = ChunkIndex(options.cache_dir, store.repo_key, shared.embedder, options.chroma_url)
        index.sync(candidates)
        if queries:  # ``query`` finds them in the embedder's cache
            index.embedded += shared.embedder.embed_counting(queries)[1]
        progress.finished(name, "index", f"{index.embedded} embedded, {len(candidates)} in index")
        progress.stage(name, "retrieve", f"{len(asked)} questions")
        found = []
        for number, asked_one in enumerate(asked):
            if isinstance(progress, CountingProgress):
                progress.count(name, "retrieve", number, len(asked))
            found.append(retriever.retrieve(asked_one, index))
        return RetrievalRun(
            evidence=found, chunks=len(chunks), candidates=len(candidates), embedded=index.embedded
        )

    run, computed = await run_stage(store, "retrieval", key, RetrievalRun, compute)
    snapshot.coverage.chunks = run.chunks
    if computed:
        usage.embeddings_computed += run.embedded
    progress.finished(name, "retrieve", f"{sum(len(e.hits) for e in run.evidence)} chunks")
    return {e.question_id: e for e in run.evidence}


def _facts_for(asked: Question, checks: list[CheckResult]) -> list[CheckResult]:
    """The facts an answer must agree with: its category's decided checks and the ones its
    search hints say it requires."""
    required = set(hints_for(asked).requires)
    return [
        c
        for c in checks
        if (c.category.value == asked.category and c.outcome is not Outcome.not_applicable)
        or c.id in required
    ][:20]


async def _answer_all(
    judge: Judge,
    snapshot: RepoSnapshot,
    checks: list[CheckResult],
    evidence: dict[str, QuestionEvidence],
    left_open: list[QuestionAnswer],
    repo: RepoInfo,
    store: CheckpointStore,
    options: AssessOptions,
    usage: Usage,
    progress: Progress,
) -> dict[str, QuestionJudgement]:
    """Answer every open question concurrently (bounded), checkpointing each as it completes."""
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

    done = 0

    def judged() -> None:
        nonlocal done
        done += 1
        if isinstance(progress, CountingProgress):
            progress.count(repo.name, "judge", done, len(left_open))

    async def one(left: QuestionAnswer) -> QuestionJudgement:
        asked = question(left.id)
        facts = _facts_for(asked, checks)
        found = evidence.get(left.id) or QuestionEvidence(question_id=left.id)
        # The facts (with their waivers) are part of the key: a waiver added or expired
        # re-asks the question instead of serving an answer made without it.
        key = fingerprint(
            model_key,
            left.model_dump(mode="json"),
            [c.model_dump(mode="json") for c in facts],
            [h.chunk.id for h in found.hits],
        )
        checkpoint = f"answer-{left.id}-{key}"
        cached = store.load(checkpoint, QuestionJudgement)
        if cached is not None:
            judged()
            return cached
        async with limit:
            progress.stage(repo.name, "judge", left.id)
            item = QuestionInput(
                question=asked,
                hints=hints_for(asked),
                left_open=left,
                evidence=found,
                facts=facts,
                repo=repo,
                snapshot=snapshot,
            )
            judgement = await judge.answer(item)
        spent = judgement.answer.usage
        if spent is not None:
            usage.add(spent)
        # Written before this task takes its next question: a killed run keeps every answer
        # it paid for. One cut short by a budget or by provider trouble is not final: the
        # next run asks it again.
        if spent is None or (spent.budget_exhausted is None and spent.provider_error is None):
            store.save(checkpoint, judgement, QuestionJudgement)
        judged()
        return judgement

    # A TaskGroup, not gather: when one question fails, its siblings are cancelled at once
    # instead of going on spending the provider's budget on a run that has already failed.
    try:
        async with asyncio.TaskGroup() as group:
            tasks = {left.id: group.create_task(one(left)) for left in left_open}
    except ExceptionGroup as failed:
        raise failed.exceptions[0] from None  # callers handle our one error type, not groups
    return {qid: task.result() for qid, task in tasks.items()}


def _build_report(
    options: AssessOptions,
    repo: RepoInfo,
    snapshot: RepoSnapshot,
    probe_run: ProbeRun,
    checks: list[CheckResult],
    questions: list[QuestionAnswer],
    judged: list[Finding],
    usage: Usage,
    judge: Judge,
) -> Report:
    findings = findings_from_checks(checks) + judged
    categories = assess_categories(checks, findings, {})
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
        questions=questions,
        prompts=prompts,
        parameters={
            "temperature": options.model.temperature,
            "seed": options.model.seed,
            "embedding_model": options.embedding_model,
            "evidence_tokens": options.evidence_tokens,  # per open question
            "scope": options.scope,
        },
    )
