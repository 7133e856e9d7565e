"""The chunk store: real MiniLM, real ChromaDB on disk; nothing is embedded twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.index.embedding import Embedder
from pipeline.index.store import ChunkIndex, shared_client
from pipeline.options import DEFAULT_EMBEDDING_MODEL
from tests.ingest.helpers import chunks_of, write

SERVICE = {
    "app/passwords.py": '''
import bcrypt


def hash_password(plain: str) -> bytes:
    """Hash a user's password with bcrypt and a fresh salt before storing it."""
    salt = bcrypt.gensalt(rounds=12)
    return bcrypt.hashpw(plain.encode("utf-8"), salt)


def verify_password(plain: str, hashed: bytes) -> bool:
    """Check a login attempt against the stored bcrypt hash."""
    return bcrypt.checkpw(plain.encode("utf-8"), hashed)
''',
    "app/db.py": '''
import time

import psycopg


def connect_with_retry(dsn: str, attempts: int = 5) -> psycopg.Connection:
    """Open a database connection, retrying with exponential backoff."""
    for attempt in range(attempts):
        try:
            return psycopg.connect(dsn, connect_timeout=5)
        except psycopg.OperationalError:
            time.sleep(2**attempt)
    raise RuntimeError("database unreachable")
''',
    "app/views.py": '''
from jinja2 import Environment


def render_dashboard(env: Environment, user: dict) -> str:
    """Render the HTML dashboard page for the signed-in user."""
    template = env.get_template("dashboard.html")
    return template.render(user=user, title="Dashboard")
''',
    "README.md": "# Service\n\nA small web service with a dashboard.\n",
}


@pytest.fixture(scope="session")
def embedder(tmp_path_factory: pytest.TempPathFactory) -> Embedder:
    """One real model for the whole session; its vector cache lives in a session folder."""
    return Embedder(DEFAULT_EMBEDDING_MODEL, tmp_path_factory.mktemp("embedding-cache"))


def test_second_sync_of_unchanged_chunks_embeds_nothing(tmp_path: Path, embedder: Embedder) -> None:
    chunks = chunks_of(write(tmp_path / "repo", SERVICE))
    index = ChunkIndex(tmp_path / "cache", "repo-a", embedder)

    first = index.sync(chunks)
    computed = embedder.computed
    second = index.sync(chunks)

    assert first.total == first.added == len(chunks) == index.count()
    assert second.added == second.removed == second.embedded == 0
    assert embedder.computed == computed


def test_changed_file_reembeds_only_its_changed_chunk(tmp_path: Path, embedder: Embedder) -> None:
    repo = write(tmp_path / "repo", SERVICE)
    index = ChunkIndex(tmp_path / "cache", "repo-b", embedder)
    index.sync(chunks_of(repo))

    db = repo / "app/db.py"
    db.write_text(db.read_text().replace("connect_timeout=5", "connect_timeout=10"))
    chunks = chunks_of(repo)
    computed = embedder.computed
    stats = index.sync(chunks)

    assert (stats.added, stats.removed, stats.embedded) == (1, 1, 1)
    assert embedder.computed == computed + 1
    assert index.count() == len(chunks)
    hits = index.keyword_search(["connect_timeout=10"], 5)
    assert [c.path for c in hits] == ["app/db.py"]


def test_same_content_in_another_repository_is_not_embedded_again(
    tmp_path: Path, embedder: Embedder
) -> None:
    chunks = chunks_of(write(tmp_path / "repo", SERVICE))
    ChunkIndex(tmp_path / "cache", "first", embedder).sync(chunks)
    computed = embedder.computed

    stats = ChunkIndex(tmp_path / "cache", "second", embedder).sync(chunks)

    assert stats.added == len(chunks)
    assert stats.embedded == 0
    assert embedder.computed == computed


@pytest.mark.parametrize(
    ("question", "symbol"),
    [
        ("how are user passwords hashed before they are stored?", "hash_password"),
        ("what happens when the database connection fails?", "connect_with_retry"),
        ("which function renders the HTML page?", "render_dashboard"),
    ],
)
def test_query_returns_the_relevant_chunk_first(
    tmp_path: Path, embedder: Embedder, question: str, symbol: str
) -> None:
    repo = write(tmp_path / "repo", SERVICE)
    index = ChunkIndex(tmp_path / "cache", "repo-q", embedder)
    index.sync(chunks_of(repo))

    results = index.query(question, 3)

    best, score = results[0]
    assert symbol in (best.symbol or "")
    assert score > results[-1][1]
    source = (repo / best.path).read_text().splitlines()
    assert best.text == "\n".join(source[best.start_line - 1 : best.end_line])
    assert all(not chunk.is_test for chunk, _ in results)
    filtered = index.query(question, 3, where={"language": "markdown"})
    assert [chunk.path for chunk, _ in filtered] == ["README.md"]


def test_keyword_search_ranks_chunks_with_more_terms_first(
    tmp_path: Path, embedder: Embedder
) -> None:
    index = ChunkIndex(tmp_path / "cache", "repo-k", embedder)
    index.sync(chunks_of(write(tmp_path / "repo", SERVICE)))

    hits = index.keyword_search(["bcrypt.hashpw", "bcrypt", "not-in-any-chunk"], 5)

    assert hits[0].symbol is not None and "hash_password" in hits[0].symbol
    assert all("bcrypt" in chunk.text for chunk in hits)
    assert index.keyword_search(["not-in-any-chunk"], 5) == []


def test_collection_opened_without_our_function_still_embeds_with_minilm(
    tmp_path: Path, embedder: Embedder
) -> None:
    """The registered function is rebuilt from its config, never Chroma's default model."""
    index = ChunkIndex(tmp_path / "cache", "repo-r", embedder)
    index.sync(chunks_of(write(tmp_path / "repo", SERVICE)))

    collection = shared_client(tmp_path / "cache" / "chroma").get_collection(index.name)
    result = collection.query(query_texts=["bcrypt password hashing"], n_results=1)

    assert result["metadatas"] is not None
    assert result["metadatas"][0][0]["path"] == "app/passwords.py"


def test_a_background_load_is_the_one_load_embed_uses(tmp_path: Path) -> None:
    # The runner starts the load while it opens ChromaDB; embed() waits for that same model.
    embedder = Embedder(DEFAULT_EMBEDDING_MODEL, tmp_path)
    loads = []
    original = embedder._load_model

    def counted() -> object:
        if embedder._model is None:
            loads.append(1)
        return original()

    embedder._load_model = counted  # type: ignore[method-assign]
    assert embedder.missing(["retry the call", "hash the password", "retry the call"]) == 2
    embedder.load_in_background()
    embedder.load_in_background()
    vectors = embedder.embed(["retry the call"])
    assert len(vectors[0]) == 384 and loads == [1] and embedder.computed == 1
    assert embedder.missing(["retry the call", "hash the password"]) == 1
