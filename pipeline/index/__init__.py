"""Index: embed chunks into a ChromaDB collection under the cache directory."""

from pipeline.index.embedding import Embedder, ReadinessEmbeddingFunction
from pipeline.index.store import ChunkIndex, IndexStats

__all__ = ["ChunkIndex", "Embedder", "IndexStats", "ReadinessEmbeddingFunction"]
