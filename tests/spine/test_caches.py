"""Caches that cannot be used say so in one line; corrupt ones are moved aside and rebuilt."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from pipeline.caches import open_diskcache
from pipeline.errors import ConfigError
from pipeline.llm.cache import AnswerCache


def test_a_file_where_the_cache_folder_should_be_is_a_one_line_config_error(
    tmp_path: Path,
) -> None:
    (tmp_path / "llm").write_text("not a folder")
    with pytest.raises(ConfigError) as info:
        AnswerCache(tmp_path)
    assert "a file is in the way" in str(info.value) and "\n" not in str(info.value)


def test_a_corrupt_cache_is_moved_aside_and_rebuilt_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "embeddings"
    cache = open_diskcache(folder, "embedding")
    cache.set("k", b"v")
    cache.close()
    (folder / "cache.db").write_bytes(b"this is not a database" * 50)
    with caplog.at_level(logging.WARNING, logger="readiness"):
        rebuilt = open_diskcache(folder, "embedding")
    assert rebuilt.get("k") is None  # empty, usable
    rebuilt.set("k", b"again")
    assert rebuilt.get("k") == b"again"
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("embeddings.corrupt-")]
    assert len(kept) == 1 and (kept[0] / "cache.db").exists()  # nothing deleted
    assert "is corrupt" in caplog.text and "rebuilt empty" in caplog.text
