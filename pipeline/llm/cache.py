"""A content-addressed diskcache of accepted LLM answers.

The key is a hash of everything that shapes an answer: model, messages (so the prompt
templates and the evidence), the answer schema's name and version, and the sampling
parameters. Only answers that passed validation are stored: errors never are.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pipeline.caches import open_diskcache

LLM_CACHE_DIRNAME = "llm"


def answer_key(
    model: str, messages: list[dict[str, Any]], schema: str, params: dict[str, Any]
) -> str:
    """The cache key of one question: sha256 over its canonical JSON."""
    payload = {"model": model, "messages": messages, "schema": schema, "params": params}
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class AnswerCache:
    """Accepted answers under ``cache_dir/llm``; safe to share across processes."""

    def __init__(self, cache_dir: Path) -> None:
        self.path = cache_dir / LLM_CACHE_DIRNAME
        self._cache = open_diskcache(self.path, "LLM answer")

    def get(self, key: str) -> dict[str, Any] | None:
        value = self._cache.get(key)
        return value if isinstance(value, dict) else None

    def put(self, key: str, value: dict[str, Any]) -> None:
        self._cache.set(key, value)

    def close(self) -> None:
        self._cache.close()
