"""What a batch produced: one outcome per repository, and the batch's totals."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pipeline.batch.limits import RateReport
from pipeline.batch.manifest import ManifestEntry
from pipeline.schemas import Report, Usage

RepoStatus = Literal["assessed", "reused", "failed"]


@dataclass
class RepoOutcome:
    """What happened to one repository of the batch."""

    entry: ManifestEntry
    status: RepoStatus
    out_dir: Path
    # Without checks and evidence, so a batch of thousands stays small; the full report
    # is out_dir/report.json.
    report: Report | None = None
    error: str | None = None
    commit: str | None = None
    fingerprint: str | None = None
    seconds: float = 0.0
    usage: Usage = field(default_factory=Usage)  # this run's cost: zero when reused
    worker: str | None = None  # host:pid of the process that assessed it

    @property
    def name(self) -> str:
        return self.entry.name


@dataclass
class BatchResult:
    out: Path
    outcomes: list[RepoOutcome]
    seconds: float
    usage: Usage
    rate: RateReport | None = None  # the fleet's LLM calls against its rate limit

    @property
    def failed(self) -> list[RepoOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    @property
    def incomplete(self) -> list[RepoOutcome]:
        """Assessed, but with questions provider trouble left unanswered."""
        return [o for o in self.outcomes if o.status != "failed" and o.error]

    @property
    def exit_code(self) -> int:
        """0 when every repository was assessed (or reused) in full, 1 when any failed or
        is incomplete."""
        return 1 if self.failed or self.incomplete else 0
