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
    passed = "pass"
    failed = "fail"
    not_applicable = "not_applicable"
    error = "error"


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


FileRole = Literal["product", "test", "example", "bench", "fixture", "docs"]


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


class Coverage(Model):
    """What ingest saw, kept and skipped (and why): the report's coverage appendix."""

    files_seen: int = 0
    files_included: int = 0
    lines_included: int = 0
    chunks: int = 0
    skipped: dict[str, int] = Field(default_factory=dict)
    languages: dict[str, int] = Field(default_factory=dict)
    secrets_redacted: int = 0


class Ingested(Model):
    """The output of ingest: the kept files, their chunks, and what was skipped."""

    root: str
    commit: str | None = None
    files: list[SourceFile]
    chunks: list[Chunk]
    coverage: Coverage


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


class EvidencePack(Model):
    """What the judge of one category reads: its facts and the best chunks for its questions."""

    category: Category
    checks: list[CheckResult]
    chunks: list[Chunk]
    token_estimate: int = 0


class CategoryJudgement(Model):
    """What a judge (offline drafter or LLM) decided for one category."""

    category: Category
    verdict: Verdict
    summary: str
    findings: list[Finding] = Field(default_factory=list)
    dropped_findings: int = 0


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

    def add(self, other: Usage) -> None:
        """Accumulate another usage record into this one."""
        for name in type(self).model_fields:
            if name == "budget_exhausted":
                self.budget_exhausted = self.budget_exhausted or other.budget_exhausted
                continue
            setattr(self, name, getattr(self, name) + getattr(other, name))


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
    prompts: dict[str, str] = Field(default_factory=dict)
    parameters: dict[str, str | int | float | None] = Field(default_factory=dict)
