"""Embeddings shared by every worker through the ChromaDB server (``--chroma-url``).

The embedder's content-hash cache (``cache_dir/embeddings``) is one machine's. With a
server, the same keys (model name + text, hashed) also name vectors in one server
collection, so content that two workers have in common (a fork, a package of a monorepo,
a vendored file) is embedded once for the whole fleet, and a new worker with an empty cache
computes nothing the fleet already has. Order of lookup: the server, then the local cache,
then the model; whatever the server lacked is given to it.
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.index.embedding import Embedder
from pipeline.index.store import ReadinessEmbeddingFunction, server_client

# Ids per request: far below the server's batch limit, small enough for one HTTP body.
_SLICE = 500


class ServerCachedEmbedder(Embedder):
    """An :class:`Embedder` whose content-hash cache also lives in a ChromaDB server."""

    def __init__(self, model_name: str, cache_dir: Path, chroma_url: str) -> None:
        super().__init__(model_name, cache_dir)
        self.chroma_url = chroma_url
        self._collection: Any = None
        self._server_lock = threading.Lock()

    def embed_counting(self, texts: list[str]) -> tuple[list[list[float]], int]:
        if not texts:
            return [], 0
        keys = [self._key(text) for text in texts]
        wanted = dict(zip(keys, texts, strict=True))
        found = self._fetch(list(wanted))
        missing = {key: text for key, text in wanted.items() if key not in found}
        computed = 0
        if missing:
            vectors, computed = super().embed_counting(list(missing.values()))
            new = dict(zip(missing, vectors, strict=True))
            self._store(new)
            found.update(new)
        return [found[key] for key in keys], computed

    def _vectors(self) -> Any:
        with self._server_lock:
            if self._collection is None:
                digest = hashlib.sha1(self.model_name.encode()).hexdigest()[:16]
                self._collection = server_client(self.chroma_url).get_or_create_collection(
                    name=f"vectors-{digest}",
                    # Never used to embed (vectors are always given), but it keeps the client
                    # from falling back to ChromaDB's downloaded default model.
                    embedding_function=ReadinessEmbeddingFunction(self),
                    configuration={"hnsw": {"space": "cosine"}},
                )
            return self._collection

    def _fetch(self, keys: list[str]) -> dict[str, list[float]]:
        collection = self._vectors()
        found: dict[str, list[float]] = {}
        for start in range(0, len(keys), _SLICE):
            result = collection.get(ids=keys[start : start + _SLICE], include=["embeddings"])
            embeddings = result.get("embeddings")
            if embeddings is None:
                continue
            for key, vector in zip(result["ids"], embeddings, strict=True):
                found[key] = np.asarray(vector, dtype=np.float32).tolist()
        return found

    def _store(self, vectors: dict[str, list[float]]) -> None:
        collection = self._vectors()
        keys = list(vectors)
        for start in range(0, len(keys), _SLICE):
            part = keys[start : start + _SLICE]
            # upsert: two workers that computed the same content at once both succeed.
            collection.upsert(ids=part, embeddings=[vectors[key] for key in part])
