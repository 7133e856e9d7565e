"""What ``readiness batch`` needs besides the manifest and the output folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pipeline.options import DEFAULT_EMBEDDING_MODEL, ModelOptions, default_cache_dir


@dataclass(frozen=True)
class BatchOptions:
    """Everything ``readiness batch`` needs besides the manifest and the output folder."""

    cache_dir: Path = field(default_factory=default_cache_dir)
    model: ModelOptions = field(default_factory=ModelOptions)
    embedding_model: str = DEFAULT_EMBEDDING_MODEL
    formats: tuple[str, ...] = ("md", "json")
    # Repositories at once: 2 in this process; on Ray, the cluster's CPUs unless given.
    concurrency: int | None = None
    executor: Literal["local", "ray"] = "local"
    ray_address: str | None = None  # None: $RAY_ADDRESS or a cluster on this machine
    chroma_url: str | None = None  # a ChromaDB server (`chroma run`) instead of cache_dir
