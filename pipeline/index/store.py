"""The chunk store: one ChromaDB collection per repository, ids are chunk content hashes.

``sync`` makes the collection hold exactly the given chunks: it deletes the ids that are
gone and embeds only the new ones (through the Embedder's cache, so content already seen in
any repository is not embedded again). ``query`` (by meaning, optionally among given ids)
serves retrieve; ``keyword_search`` finds chunks holding given strings.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import chromadb
import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.config import Settings
from chromadb.utils.embedding_functions import register_embedding_function

from pipeline.caches import map_cache_errors, open_cache
from pipeline.errors import ConfigError
from pipeline.index.embedding import Embedder
from pipeline.progress import step
from pipeline.schemas import Chunk

# New chunks are embedded and stored in slices, so an interrupted sync keeps its progress;
# small enough that Ctrl-C stops embedding within a couple of seconds.
SYNC_SLICE = 64

_clients: dict[str, Any] = {}
_clients_lock = threading.Lock()


def shared_client(path: Path) -> Any:
    """One PersistentClient per folder in this process: ChromaDB dislikes two on one path."""
    key = str(Path(path).resolve())
    with _clients_lock:
        client = _clients.get(key)
        if client is None:

            def opener(folder: Path) -> Any:
                folder.mkdir(parents=True, exist_ok=True)
                return chromadb.PersistentClient(
                    path=str(folder),
                    settings=Settings(anonymized_telemetry=False, allow_reset=False),
                )

            client = open_cache(Path(key), "vector store (ChromaDB)", opener)
            _clients[key] = client
        return client


def server_client(url: str) -> Any:
    """One HttpClient per ChromaDB server URL (``http://HOST:PORT``) in this process.

    Raises:
        ConfigError: The URL is not ``http(s)://HOST:PORT``.
    """
    with _clients_lock:
        client = _clients.get(url)
        if client is None:
            host, port, ssl = parse_chroma_url(url)
            client = chromadb.HttpClient(
                host=host, port=port, ssl=ssl, settings=Settings(anonymized_telemetry=False)
            )
            _clients[url] = client
        return client


def parse_chroma_url(url: str) -> tuple[str, int, bool]:
    """Host, port and TLS of a ``--chroma-url``; a ConfigError says what is wrong."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path.strip("/"):
        raise ConfigError(f"--chroma-url must look like http://HOST:PORT, not {url!r}")
    ssl = parts.scheme == "https"
    return parts.hostname, port or (443 if ssl else 8000), ssl


@register_embedding_function
class ReadinessEmbeddingFunction(EmbeddingFunction[Documents]):
    """ChromaDB's view of an Embedder, so no client ever falls back to its default model."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def __call__(self, input: Documents) -> Embeddings:
        return [np.asarray(v, dtype=np.float32) for v in self.embedder.embed(list(input))]

    @staticmethod
    def name() -> str:
        return "readiness-sentence-transformers"

    def default_space(self) -> Space:
        return "cosine"

    def get_config(self) -> dict[str, Any]:
        return {
            "model_name": self.embedder.model_name,
            "cache_dir": str(self.embedder.cache_dir),
        }

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> ReadinessEmbeddingFunction:
        return ReadinessEmbeddingFunction(
            Embedder(str(config["model_name"]), Path(str(config["cache_dir"])))
        )


@dataclass(frozen=True)
class IndexStats:
    """What a sync did: chunks in the index now, added, removed, and vectors computed."""

    total: int
    added: int
    removed: int
    embedded: int


class ChunkIndex:
    """The vector store of one repository (or one scope of it): on disk under the cache
    folder, or in a ChromaDB server when ``chroma_url`` is given (``chroma run``)."""

    def __init__(
        self,
        cache_dir: Path,
        collection_key: str,
        embedder: Embedder,
        chroma_url: str | None = None,
    ) -> None:
        self.embedder = embedder
        # Vectors this index computed (chunks and questions): the embedder is shared by a
        # whole batch, so its own counter cannot say what one repository cost.
        self.embedded = 0
        self._ids: set[str] | None = None
        self._folder = Path(cache_dir) / "chroma"
        self._client = server_client(chroma_url) if chroma_url else shared_client(self._folder)
        # The model is part of the name: vectors of two models never share a collection.
        digest = hashlib.sha1(f"{collection_key}\0{embedder.model_name}".encode()).hexdigest()
        self.name = f"repo-{digest[:16]}"
        with map_cache_errors(self._folder, "vector store (ChromaDB)"):
            self._collection = self._client.get_or_create_collection(
                name=self.name,
                embedding_function=ReadinessEmbeddingFunction(embedder),
                configuration={"hnsw": {"space": "cosine"}},
            )

    def count(self) -> int:
        """Chunks in the index."""
        return int(self._collection.count())

    def _held(self) -> set[str]:
        """The ids the collection holds (read once, then kept current by ``sync``)."""
        if self._ids is None:
            self._ids = set(self._collection.get(include=[])["ids"])
        return self._ids

    def sync(self, chunks: list[Chunk]) -> IndexStats:
        """Make the index hold exactly ``chunks``, embedding only those it does not have."""
        wanted = {chunk.id: chunk for chunk in chunks}
        existing = set(self._collection.get(include=[])["ids"])
        stale = sorted(existing - wanted.keys())
        batch = max(1, int(self._client.get_max_batch_size()))
        for start in range(0, len(stale), batch):
            self._collection.delete(ids=stale[start : start + batch])
        new = [chunk for chunk_id, chunk in wanted.items() if chunk_id not in existing]
        embedded = 0
        for start in range(0, len(new), SYNC_SLICE):
            step("index", start, len(new))
            part = new[start : start + SYNC_SLICE]
            vectors, computed = self.embedder.embed_counting([c.text for c in part])
            embedded += computed
            self.embedded += computed
            for offset in range(0, len(part), batch):
                rows = part[offset : offset + batch]
                self._collection.add(
                    ids=[c.id for c in rows],
                    embeddings=vectors[offset : offset + batch],  # type: ignore[arg-type]
                    documents=[c.text for c in rows],
                    metadatas=[_metadata(c) for c in rows],
                )
        self._ids = set(wanted)
        step("index", len(new), len(new))
        return IndexStats(total=len(wanted), added=len(new), removed=len(stale), embedded=embedded)

    def query(
        self,
        text: str,
        n: int,
        where: dict[str, Any] | None = None,
        ids: list[str] | None = None,
    ) -> list[tuple[Chunk, float]]:
        """The ``n`` chunks closest in meaning to ``text`` (among ``ids`` when given, those
        the index holds), with similarity (1 - distance)."""
        total = self.count()
        if ids is not None:
            ids = [i for i in dict.fromkeys(ids) if i in self._held()]
            total = len(ids)
        if total == 0 or n <= 0:
            return []
        vectors, computed = self.embedder.embed_counting([text])
        self.embedded += computed
        vector = vectors[0]
        result = self._collection.query(
            query_embeddings=[vector],  # type: ignore[arg-type]
            n_results=min(n, total),
            where=where,
            ids=ids,
            include=["documents", "metadatas", "distances"],
        )
        ids = result["ids"][0]
        documents = (result["documents"] or [[]])[0]
        metadatas = (result["metadatas"] or [[]])[0]
        distances = (result["distances"] or [[]])[0]
        found = [
            (_chunk(chunk_id, document, metadata), 1.0 - float(distance))
            for chunk_id, document, metadata, distance in zip(
                ids, documents, metadatas, distances, strict=True
            )
        ]
        found.sort(key=lambda pair: (-pair[1], pair[0].path, pair[0].start_line))
        return found

    def keyword_search(self, terms: list[str], n: int) -> list[Chunk]:
        """Chunks that contain any of ``terms`` (case-sensitive), most distinct terms first."""
        terms = [t for t in dict.fromkeys(terms) if t]
        if not terms or n <= 0:
            return []
        clauses: list[dict[str, Any]] = [{"$contains": term} for term in terms]
        where_document = clauses[0] if len(clauses) == 1 else {"$or": clauses}
        result = self._collection.get(
            where_document=where_document,  # type: ignore[arg-type]
            include=["documents", "metadatas"],
        )
        chunks = [
            _chunk(chunk_id, document, metadata)
            for chunk_id, document, metadata in zip(
                result["ids"], result["documents"] or [], result["metadatas"] or [], strict=True
            )
        ]
        chunks.sort(
            key=lambda c: (-sum(term in c.text for term in terms), c.is_test, c.path, c.start_line)
        )
        return chunks[:n]


def _metadata(chunk: Chunk) -> dict[str, str | int | bool]:
    return {
        "path": chunk.path,
        "language": chunk.language,
        "start_line": chunk.start_line,
        "end_line": chunk.end_line,
        "symbol": chunk.symbol or "",
        "is_test": chunk.is_test,
        "role": chunk.role,
    }


def _chunk(chunk_id: str, document: str | None, metadata: Any) -> Chunk:
    meta = dict(metadata or {})
    return Chunk(
        id=chunk_id,
        path=str(meta.get("path", "")),
        language=str(meta.get("language", "text")),
        start_line=int(meta.get("start_line", 1)),
        end_line=int(meta.get("end_line", 1)),
        text=document or "",
        symbol=str(meta.get("symbol") or "") or None,
        is_test=bool(meta.get("is_test", False)),
        role=str(meta.get("role") or "product"),  # type: ignore[arg-type]
    )
