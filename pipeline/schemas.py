"""The domain: every stage passes these Pydantic models, never loose dicts."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

REPORT_SCHEMA_VERSION = "1.0"


class Category(StrEnum):
    """The eleven readiness categories, in report order."""

    code_quality = "code_quality"
    testing = "testing"
    error_handling = "error_handling"
    security = "security"
    observability = "observability"
    performance = "performance"
    reliability = "reliability"
    configuration = "configuration"
    data = "data"
    documentation = "documentation"
    deployment = "deployment"


class Severity(StrEnum):
    critical = "critical"
    high = "high"
    medium = "medium"
    low = "low"


SEVERITY_ORDER: dict[Severity, int] = {
    Severity.critical: 0,
    Severity.high: 1,
    Severity.medium: 2,
    Severity.low: 3,
}


class Outcome(StrEnum):
    """A probe's answer. ``cannot_determine``: it looked (see the message) and could not tell;
    such a check is neither a gap nor a strength, is not scored, and goes to the reviewer."""

    passed = "pass"
    failed = "fail"
    not_applicable = "not_applicable"
    error = "error"
    cannot_determine = "cannot_determine"


class Verdict(StrEnum):
    passed = "pass"
    partial = "partial"
    failed = "fail"
    not_applicable = "not_applicable"
    insufficient_evidence = "insufficient_evidence"


class Waiver(StrEnum):
    """How a repository's owners marked a check in readiness.toml."""

    not_applicable = "not_applicable"
    accepted_risk = "accepted_risk"


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Evidence(Model):
    """A cited range of a file: paths are relative to the repository root, lines 1-based."""

    path: str
    start_line: int = Field(ge=1)
    end_line: int = Field(ge=1)
    snippet: str = ""

    @property
    def location(self) -> str:
        if self.start_line == self.end_line:
            return f"{self.path}:{self.start_line}"
        return f"{self.path}:{self.start_line}-{self.end_line}"


FileRole = Literal["product", "test", "example", "bench", "fixture", "docs", "vendored"]
# What software can be (a repository can be several): see pipeline/rubric/questions.toml.
KIND_NAMES = {
    "library": "a library",
    "cli": "a command-line tool",
    "web_service": "a web service",
    "worker": "a background worker",
    "sdk": "an SDK for a remote API",
    "research": "research scripts",
    "infrastructure": "infrastructure code",
    "app": "an application",
}
KINDS = tuple(KIND_NAMES)


class Pointer(Evidence):
    """Where a reviewer should look for an open question, and why the search found it."""

    why: str = ""


class SourceFile(Model):
    """A file ingest kept, with what later stages need to know about it."""

    path: str
    language: str
    size: int
    lines: int
    sha256: str
    is_test: bool = False
    # What the file is to the project: "product" code, a "test", an "example" app, a
    # "bench"mark, a test "fixture", or "docs". Probes judge product code; a secret in a
    # fixture or a database import in an example app says little about the product.
    role: FileRole = "product"


class Chunk(Model):
    """A span of a file, sized for the embedding model, with secrets redacted."""

    id: str
    path: str
    language: str
    start_line: int
    end_line: int
    text: str
    symbol: str | None = None
    is_test: bool = False
    role: FileRole = "product"


class Coverage(Model):
    """What ingest saw, kept and skipped (and why): the report's coverage appendix."""

    files_seen: int = 0
    files_included: int = 0
    lines_included: int = 0
    chunks: int = 0
    skipped: dict[str, int] = Field(default_factory=dict)
    languages: dict[str, int] = Field(default_factory=dict)
    secrets_redacted: int = 0
    unreadable: list[str] = Field(default_factory=list)  # files and folders we may not read
    unparsed: dict[str, str] = Field(default_factory=dict)  # path -> why it did not parse


class Component(Model):
    """Something the software is made of or talks to, with the evidence that shows it."""

    name: str
    role: str = ""
    evidence: list[Evidence] = Field(default_factory=list)


class KindDecision(Model):
    """Why the software was judged one kind (a CLI, a web service...)."""

    kind: str
    reason: str
    evidence: list[Evidence] = Field(default_factory=list)


class Profile(Model):
    """What the software is, decided once from evidence; every probe's applicability keys
    off it. ``declared`` when the owners set the kinds in readiness.toml."""

    kinds: list[str] = Field(default_factory=list)
    declared: bool = False
    reasons: list[KindDecision] = Field(default_factory=list)
    languages: dict[str, int] = Field(default_factory=dict)  # product lines per language
    frameworks: list[Component] = Field(default_factory=list)
    datastores: list[Component] = Field(default_factory=list)
    external_services: list[Component] = Field(default_factory=list)
    entry_points: list[Component] = Field(default_factory=list)
    concurrency: list[Component] = Field(default_factory=list)  # async, threads, queues...
    conditions: dict[str, bool] = Field(default_factory=dict)
    # The README line that says the code is teaching material (a tutorial, a learning
    # resource): its missing production practices weigh as lessons, not as blockers.
    teaching: Evidence | None = None


class ModuleSummary(Model):
    """One main package or module of the product: its size and what it uses."""

    name: str
    files: int
    lines: int
    languages: list[str] = Field(default_factory=list)
    description: str = ""  # the module's own words (docstring, package comment), if any
    description_evidence: list[Evidence] = Field(default_factory=list)
    uses: list[Component] = Field(default_factory=list)  # frameworks, data stores, clients
    entry_points: list[Evidence] = Field(default_factory=list)


class Overview(Model):
    """The system overview that opens a report: the main modules and what each does."""

    modules: list[ModuleSummary] = Field(default_factory=list)
    other_files: int = 0
    other_lines: int = 0


class CheckResult(Model):
    """The outcome of one deterministic probe: a fact about the repository."""

    id: str
    category: Category
    severity: Severity
    title: str
    outcome: Outcome
    message: str
    rationale: str = ""
    remediation: str = ""
    evidence: list[Evidence] = Field(default_factory=list)
    looked_at: list[str] = Field(default_factory=list)  # what was searched, and where
    severity_note: str = ""  # why the severity differs from the probe's, for this software
    # The probe's own evidence settles only part of its question (a pass that covers some
    # inputs, a failure that leaves others pinned): the question's answer is then "partly".
    partial: bool = False
    # A failed check that states a fact but is not a gap for this software (concurrency
    # tests in a training script, retention of articles users wrote): why. It still answers
    # its question; it makes no gap, does not count in the score, and the report lists it
    # apart so the reviewer can disagree.
    advisory: str = ""
    # A failed check whose evidence is a pattern, not a hazard: whether it is one turns on
    # what the code cannot show (is the value a live credential, can the name come from an
    # untrusted caller). What a person, or the model with cited code, must confirm. It
    # makes no gap, is not scored, leaves its question open and goes to the reviewer.
    to_confirm: str = ""
    waiver: Waiver | None = None
    waiver_reason: str | None = None


class Finding(Model):
    """A strength or a gap, drafted by the offline drafter, an LLM, or straight from a probe."""

    id: str
    category: Category
    kind: Literal["gap", "strength"]
    severity: Severity
    title: str
    impact: str = ""
    recommendation: str = ""
    source: Literal["probe", "llm", "offline"]
    check_id: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    muted: bool = False
    question_id: str | None = None  # the reviewer question a model's finding answers


class RetrievedChunk(Model):
    """One chunk found for a question, with where it ranked and why it matched."""

    chunk: Chunk
    rank: int = Field(ge=1)
    why: str
    sources: list[str] = Field(default_factory=list)  # bm25, embedding, graph
    focus_line: int = Field(ge=1)  # the line of the chunk that matched best
    similarity: float | None = None  # to the question's description, when embedded


class QuestionEvidence(Model):
    """The code retrieved for one open question, best first, within a token budget."""

    question_id: str
    hits: list[RetrievedChunk] = Field(default_factory=list)
    token_estimate: int = 0
    searched: str = ""  # what was searched, in words (a "no" must be able to say it)


class RetrievalRun(Model):
    """What the retrieve stage produced for one run: evidence per open question, and what
    it took (chunks cut, chunks embedded now)."""

    evidence: list[QuestionEvidence] = Field(default_factory=list)
    chunks: int = 0
    candidates: int = 0
    embedded: int = 0


class ProbeRun(Model):
    """What the probe stage produced: the facts, the profile, and what did not parse."""

    checks: list[CheckResult]
    profile: Profile
    overview: Overview = Field(default_factory=Overview)
    unparsed: dict[str, str] = Field(default_factory=dict)


class Usage(Model):
    llm_requests: int = 0
    cache_hits: int = 0
    retries: int = 0
    reasks: int = 0
    dropped_findings: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    embeddings_computed: int = 0
    budget_exhausted: str | None = None
    # Provider trouble that left questions unanswered (down, rate limited past our retries,
    # no answer in time, garbage): the run is incomplete and a re-run asks them again.
    provider_error: str | None = None
    # What the answer checks threw out: each is counted, none reaches the report.
    unverified_citations: int = 0  # quoted code that is not at the cited place
    contradictions: int = 0  # answers that contradict a fact (a probe's outcome)
    injections: int = 0  # answers resting on text that addresses the reader or the model
    unsupported_answers: int = 0  # healthy answers without code, "no" without a search
    refutation_requests: int = 0  # the adversarial calls among llm_requests
    refuted: int = 0  # claims the adversarial call refuted with verified code
    severity_overridden: int = 0  # model severities replaced by the question's

    def add(self, other: Usage) -> None:
        """Accumulate another usage record into this one."""
        for name in type(self).model_fields:
            if name in ("budget_exhausted", "provider_error"):
                setattr(self, name, getattr(self, name) or getattr(other, name))
                continue
            setattr(self, name, getattr(self, name) + getattr(other, name))


class QuestionAnswer(Model):
    """A reviewer's question and where the run left it: answered (by the profile, a probe or
    a model, with evidence), not applicable to this software, or open for the reviewer."""

    id: str
    category: str
    ask: str
    good: str = ""
    status: Literal["answered", "open", "not_applicable"]
    answer: str | None = None  # yes, no, partly, not_applicable, cannot_determine
    source: Literal["profile", "probe", "llm"] | None = None
    settled_by: list[str] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    reason: str = ""
    pointers: list[Pointer] = Field(default_factory=list)  # where a reviewer should look
    searched: str = ""  # what was searched for it (by the retrieval, or the model's "no")
    finding_ids: list[str] = Field(default_factory=list)  # findings the answer produced
    usage: Usage | None = None  # what answering it cost (a model's answer only)


class QuestionJudgement(Model):
    """What a judge made of one open question: the answer (or the question still open, with
    pointers) and the findings its answer produced (evidence verified)."""

    answer: QuestionAnswer
    findings: list[Finding] = Field(default_factory=list)


class CategoryAssessment(Model):
    id: Category
    title: str
    score: int | None = Field(default=None, ge=0, le=100)
    verdict: Verdict
    summary: str


class RepoInfo(Model):
    name: str
    path: str
    commit: str | None = None
    scope: str | None = None
    # What release artifact the folder looks like ("a Python source distribution (...)"),
    # when it is one rather than the repository: tests and CI may simply not be shipped.
    release_artifact: str | None = None


class Report(Model):
    schema_version: str = REPORT_SCHEMA_VERSION
    tool_version: str
    generated_at: str
    model: str
    repo: RepoInfo
    overall_score: int | None = Field(ge=0, le=100)
    status: str
    categories: list[CategoryAssessment]
    findings: list[Finding]
    checks: list[CheckResult]
    usage: Usage
    coverage: Coverage
    profile: Profile = Field(default_factory=Profile)
    overview: Overview = Field(default_factory=Overview)
    questions: list[QuestionAnswer] = Field(default_factory=list)
    prompts: dict[str, str] = Field(default_factory=dict)
    parameters: dict[str, str | int | float | None] = Field(default_factory=dict)
