"""``readiness batch``: many repositories in one run, resumable, with summaries and a dashboard.

manifest (what to assess) → sources (clone or check out) → run (concurrent pipeline runs,
state file for resume) → summary (summary.md/.csv/.json, index.html, report.html).
"""

from pipeline.batch.manifest import ManifestEntry, parse_manifest
from pipeline.batch.run import BatchOptions, BatchProgress, BatchResult, RepoOutcome, run_batch

__all__ = [
    "BatchOptions",
    "BatchProgress",
    "BatchResult",
    "ManifestEntry",
    "RepoOutcome",
    "parse_manifest",
    "run_batch",
]
