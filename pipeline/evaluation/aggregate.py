"""Roll run scores up into per-repository, per-category and per-model metrics (eval.json)."""

from __future__ import annotations

from collections import Counter
from statistics import mean

from pydantic import BaseModel, Field

from pipeline.evaluation.metrics import CategoryCounts, RunScore, ratio
from pipeline.evaluation.question_metrics import QuestionsEval
from pipeline.schemas import Category

EVAL_SCHEMA_VERSION = "1.0"


class Summary(BaseModel):
    """Headline metrics of a set of runs (a repository, a category or a whole model)."""

    precision: float | None = None
    recall: float | None = None
    match_rate: float | None = None
    severity_agreement: float | None = None
    verdict_accuracy: float | None = None
    reported: int = 0
    reported_matched: int = 0
    confirmed: int = 0
    contradicted: int = 0
    required: int = 0
    required_matched: int = 0


class CategoryMetrics(Summary):
    """Finding metrics of one category, summed over every repository and run."""

    category: Category


class RepoMetrics(Summary):
    """One golden repository across its runs."""

    name: str
    kind: str = ""
    language: str = ""
    runs: list[RunScore] = Field(default_factory=list)
    probe_accuracy: float | None = None
    citation_validity: float | None = None
    schema_validity: float | None = None
    stability: float | None = None
    finding_recurrence: dict[str, float] = Field(default_factory=dict)
    score_mean: float | None = None
    score_spread: int | None = None
    category_score_spread: dict[Category, int] = Field(default_factory=dict)
    seconds: float = 0.0
    llm_requests: int = 0
    reask_rate: float | None = None
    dropped_findings: int = 0
    tokens: int = 0
    cost_usd: float = 0.0
    errors: list[str] = Field(default_factory=list)


class ModelMetrics(Summary):
    """Everything measured for one model (``offline`` is the baseline)."""

    model: str
    repeat: int = 1
    repos: list[RepoMetrics] = Field(default_factory=list)
    categories: list[CategoryMetrics] = Field(default_factory=list)
    probe_accuracy: float | None = None
    citation_validity: float | None = None
    schema_validity: float | None = None
    stability: float | None = None
    reask_rate: float | None = None
    dropped_findings: int = 0
    seconds: float = 0.0
    llm_requests: int = 0
    tokens: int = 0
    cost_usd: float = 0.0
    failed_runs: int = 0


class EvalResult(BaseModel):
    """The content of ``eval.json``: one entry per evaluated model, the baseline first."""

    schema_version: str = EVAL_SCHEMA_VERSION
    generated_at: str
    tool_version: str
    golden: list[str]
    models: list[ModelMetrics]
    questions: QuestionsEval | None = None  # open questions: retrieval, the unreliable model

    def for_model(self, model: str) -> ModelMetrics | None:
        """The metrics of ``model``, if it was evaluated."""
        return next((m for m in self.models if m.model == model), None)


def _fill(summary: Summary, counts: CategoryCounts) -> None:
    """Copy every headline figure (a count or a ratio property) from the summed counts."""
    for name in Summary.model_fields:
        setattr(summary, name, getattr(counts, name))


def summarise_repo(name: str, kind: str, language: str, runs: list[RunScore]) -> RepoMetrics:
    """Metrics of one repository over its (repeated) runs."""
    repo = RepoMetrics(name=name, kind=kind, language=language, runs=runs)
    counts = CategoryCounts()
    for run in runs:
        counts.add(run.totals())
    _fill(repo, counts)
    ok = [run for run in runs if run.error is None]
    repo.errors = [run.error for run in runs if run.error is not None]
    repo.probe_accuracy = ratio(
        sum(r.facts_correct for r in runs), sum(r.facts_total for r in runs)
    )
    repo.citation_validity = ratio(
        sum(r.citations_valid for r in ok), sum(r.citations_total for r in ok)
    )
    repo.schema_validity = ratio(sum(r.schema_valid for r in runs), len(runs))
    if ok:
        seen = Counter(key for run in ok for key in run.finding_keys)
        repo.finding_recurrence = {key: n / len(ok) for key, n in sorted(seen.items())}
        repo.stability = mean(repo.finding_recurrence.values()) if seen else 1.0
        scores = [r.overall_score for r in ok if r.overall_score is not None]
        if scores:
            repo.score_mean = mean(scores)
            repo.score_spread = max(scores) - min(scores)
        for category in Category:
            values = [s for r in ok if (s := r.category_scores.get(category)) is not None]
            if values:
                repo.category_score_spread[category] = max(values) - min(values)
    repo.seconds = mean(r.seconds for r in runs) if runs else 0.0
    repo.llm_requests = sum(r.llm_requests for r in runs)
    repo.reask_rate = ratio(sum(r.reasks for r in runs), repo.llm_requests)
    repo.dropped_findings = sum(r.dropped_findings for r in runs)
    repo.tokens = sum(r.prompt_tokens + r.completion_tokens for r in runs)
    repo.cost_usd = sum(r.cost_usd for r in runs)
    return repo


def summarise_model(model: str, repeat: int, repos: list[RepoMetrics]) -> ModelMetrics:
    """Metrics of one model over every repository; categories are micro-averaged."""
    result = ModelMetrics(model=model, repeat=repeat, repos=repos)
    runs = [run for repo in repos for run in repo.runs]
    per_category: dict[Category, CategoryCounts] = {cat: CategoryCounts() for cat in Category}
    total = CategoryCounts()
    for run in runs:
        for category, counts in run.categories.items():
            per_category[category].add(counts)
            total.add(counts)
    _fill(result, total)
    for category, counts in per_category.items():
        metrics = CategoryMetrics(category=category)
        _fill(metrics, counts)
        result.categories.append(metrics)
    ok = [run for run in runs if run.error is None]
    result.failed_runs = len(runs) - len(ok)
    result.probe_accuracy = ratio(
        sum(r.facts_correct for r in runs), sum(r.facts_total for r in runs)
    )
    result.citation_validity = ratio(
        sum(r.citations_valid for r in ok), sum(r.citations_total for r in ok)
    )
    result.schema_validity = ratio(sum(r.schema_valid for r in runs), len(runs))
    stabilities = [repo.stability for repo in repos if repo.stability is not None]
    result.stability = mean(stabilities) if stabilities else None
    result.seconds = sum(r.seconds for r in runs)
    result.llm_requests = sum(r.llm_requests for r in runs)
    result.reask_rate = ratio(sum(r.reasks for r in runs), result.llm_requests)
    result.dropped_findings = sum(r.dropped_findings for r in runs)
    result.tokens = sum(r.prompt_tokens + r.completion_tokens for r in runs)
    result.cost_usd = sum(r.cost_usd for r in runs)
    return result
