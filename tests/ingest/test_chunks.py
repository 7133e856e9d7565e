"""Languages, test files, and chunks: exact spans, function boundaries, the 256-token window."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.ingest import ingest_repository
from pipeline.schemas import Chunk
from tests.ingest.helpers import chunks_of, function_source, write


def file_lines(root: Path, chunk: Chunk) -> str:
    lines = re.split(r"\r\n|\r|\n", (root / chunk.path).read_text(encoding="utf-8"))
    return "\n".join(lines[chunk.start_line - 1 : chunk.end_line])


@pytest.mark.parametrize(
    ("path", "language"),
    [
        ("src/app.py", "python"),
        ("web/app.js", "javascript"),
        ("web/app.tsx", "typescript"),
        ("cmd/main.go", "go"),
        ("src/lib.rs", "rust"),
        ("src/Main.java", "java"),
        ("deploy/values.yaml", "yaml"),
        ("pyproject.toml", "toml"),
        ("package.json", "json"),
        ("Dockerfile", "dockerfile"),
        ("Dockerfile.prod", "dockerfile"),
        ("Containerfile", "dockerfile"),
        ("api.dockerfile", "dockerfile"),
        ("scripts/run.sh", "shell"),
        ("bin/tool", "shell"),
        ("README.md", "markdown"),
        ("Makefile", "makefile"),
        ("setup.cfg", "ini"),
        ("db/schema.sql", "sql"),
        ("templates/index.html", "html"),
        ("static/site.css", "css"),
        ("NOTES.txt", "text"),
    ],
)
def test_language_detected(tmp_path: Path, path: str, language: str) -> None:
    head = "#!/usr/bin/env bash\necho hi\n" if path == "bin/tool" else "x\n"
    write(tmp_path, {path: head})
    (source,) = ingest_repository(tmp_path).files
    assert source.language == language


def test_test_files_recognised_across_ecosystems(tmp_path: Path) -> None:
    tests = [
        "tests/test_api.py",
        "src/pkg/tests/helpers.py",
        "pkg/server_test.go",
        "app/test_models.py",
        "app/models_test.py",
        "spec/user_spec.rb",
        "web/__tests__/App.js",
        "web/App.test.ts",
        "web/button.spec.js",
        "src/test/java/AppTest.java",
        "crate/tests/integration.rs",
    ]
    production = ["src/app.py", "pkg/server.go", "web/App.ts", "src/main/java/App.java"]
    write(tmp_path, {p: "x = 1\n" for p in tests + production})

    flags = {f.path: f.is_test for f in ingest_repository(tmp_path).files}

    assert {p for p, is_test in flags.items() if is_test} == set(tests)
    assert all(c.is_test == flags[c.path] for c in chunks_of(tmp_path))


def test_python_chunks_follow_definitions_with_exact_spans(tmp_path: Path) -> None:
    source = (
        "import os\n\nLIMIT = 3\n\n\n"
        "# Reads the limit from the environment.\n"
        "@cache\n" + function_source("alpha", 6) + "\n\n" + function_source("beta", 7) + "\n\n"
        "class Store:\n"
        '    """Keeps things."""\n\n'
        + function_source("put", 6, "    ")
        + "\n"
        + function_source("take", 6, "    ")
        + "\n\nif __name__ == '__main__':\n    alpha(1)\n"
    )
    write(tmp_path, {"app/core.py": source})
    lines = source.splitlines()

    chunks = chunks_of(tmp_path)
    by_symbol = {c.symbol: c for c in chunks}

    alpha = by_symbol["alpha"]
    assert lines[alpha.start_line - 1] == "# Reads the limit from the environment."
    assert lines[alpha.start_line] == "@cache"
    assert lines[alpha.end_line - 1] == "    return total"
    beta = by_symbol["beta"]
    assert lines[beta.start_line - 1] == "def beta(factor):"
    assert lines[beta.end_line] == ""
    store = by_symbol["Store"]  # small enough to stay whole
    assert (lines[store.start_line - 1], lines[store.end_line - 1]) == (
        "class Store:",
        "        return total",
    )
    assert [(c.start_line, c.end_line) for c in chunks if c.symbol is None] == [(1, 3), (55, 56)]
    for chunk in chunks:
        assert chunk.text == file_lines(tmp_path, chunk)
    covered = {n for c in chunks for n in range(c.start_line, c.end_line + 1)}
    assert all(n in covered for n, line in enumerate(lines, 1) if line.strip())


def test_big_class_is_cut_along_its_methods(tmp_path: Path) -> None:
    methods = "\n".join(function_source(f"step_{i}", 12, "    ") for i in range(4))
    write(tmp_path, {"pipeline.py": "class Pipeline:\n    name = 'p'\n\n" + methods})

    chunks = chunks_of(tmp_path)

    assert [(c.symbol, c.start_line, c.end_line) for c in chunks] == [
        ("Pipeline", 1, 2),
        ("Pipeline.step_0", 4, 18),
        ("Pipeline.step_1", 20, 34),
        ("Pipeline.step_2", 36, 50),
        ("Pipeline.step_3", 52, 66),
    ]
    assert all(c.text == file_lines(tmp_path, c) for c in chunks)


def test_oversized_function_is_split_into_contiguous_windows(
    tmp_path: Path, count_tokens: Callable[[str], int]
) -> None:
    write(tmp_path, {"big.py": function_source("huge", 120)})

    chunks = chunks_of(tmp_path)

    assert len(chunks) >= 5
    assert {c.symbol for c in chunks} == {"huge"}
    assert chunks[0].start_line == 1
    assert chunks[-1].end_line == 123
    for before, after in zip(chunks, chunks[1:], strict=False):
        assert after.start_line == before.end_line + 1
    assert max(count_tokens(c.text) for c in chunks) <= 256


def test_every_chunk_fits_the_model_window(
    tmp_path: Path, count_tokens: Callable[[str], int]
) -> None:
    js = "\n".join(
        f"export function handler{i}(request, response) {{\n"
        f"  const value = computeSomething(request.body.items[{i}], options);\n"
        "  if (!value) {\n    return response.status(400).send('bad');\n  }\n"
        "  return response.json({ ok: true, value });\n}\n"
        for i in range(40)
    )
    write(
        tmp_path,
        {
            "server.js": js,
            "README.md": "\n\n".join(f"## Part {i}\n\n" + "Some prose. " * 60 for i in range(8)),
            "config.yaml": "".join(f"key_{i}:\n  nested: value-{i}-é-日本\n" for i in range(300)),
            "notes.txt": "many words " * 400 + "\n",
            "image.ipynb": '{\n "cells": [],\n "png": "' + "iVBORw0KGgo" * 400 + '"\n}\n',
            "main.go": "package main\n\n" + "func f() {}\n" * 200,
            "legacy.py": "def broken(:\n" + "    x = 1\n" * 300,
        },
    )

    chunks = chunks_of(tmp_path)

    assert {c.path for c in chunks} >= {"server.js", "README.md", "config.yaml", "notes.txt"}
    assert not any("iVBOR" in c.text for c in chunks)  # a blob is not worth a vector
    assert max(count_tokens(c.text) for c in chunks) <= 256
    for chunk in chunks:
        full = file_lines(tmp_path, chunk)
        if chunk.path == "notes.txt":  # a single line longer than the window is cut
            assert full.startswith(chunk.text)
        else:
            assert chunk.text == full
    symbols = {c.symbol for c in chunks if c.path == "server.js"}
    assert "handler0" in symbols


def test_chunk_ids_are_stable_and_follow_content(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": function_source("one", 8) + "\n\n" + function_source("two", 8)})
    first = [c.id for c in chunks_of(tmp_path)]
    assert first == [c.id for c in chunks_of(tmp_path)]
    assert len(set(first)) == len(first)

    text = (tmp_path / "a.py").read_text().replace("weight=3)", "weight=33)", 1)
    (tmp_path / "a.py").write_text(text)
    second = [c.id for c in chunks_of(tmp_path)]
    assert second[0] != first[0]
    assert second[1:] == first[1:]


def test_secrets_are_redacted_in_chunks_but_not_on_disk(tmp_path: Path) -> None:
    key = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
    source = f'STRIPE_KEY = "{key}"\nTIMEOUT = 3\n'
    write(tmp_path, {"settings.py": source})

    ingested = ingest_repository(tmp_path)

    assert ingested.coverage.secrets_redacted == 1
    (chunk,) = chunks_of(tmp_path)
    assert key not in chunk.text
    assert key in ingested.text("settings.py")  # probes read the real text
    assert key not in "\n".join(ingested.shown_lines("settings.py"))
    assert '"[REDACTED:stripe_key]"' in chunk.text
    assert (chunk.start_line, chunk.end_line) == (1, 2)
    assert (tmp_path / "settings.py").read_text() == source


def test_coverage_counts_lines_and_languages(tmp_path: Path) -> None:
    write(tmp_path, {"a.py": "x = 1\ny = 2\n", "b.py": "z = 3", "c.md": "# T\n\ntext\n"})
    coverage = ingest_repository(tmp_path).coverage
    assert coverage.files_included == 3
    assert coverage.lines_included == 6
    assert coverage.languages == {"python": 2, "markdown": 1}
    assert len(chunks_of(tmp_path)) == 3
