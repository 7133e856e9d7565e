"""Citations are checked against the files they cite."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.judge.citations import citation_validity, verify_evidence
from pipeline.schemas import Evidence

APP = """import os


def handler(event):
    try:
        return process(event)
    except Exception:
        pass
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(APP)
    (tmp_path / "blob.bin").write_bytes(b"\x00\x01binary")
    (tmp_path.parent / "outside.py").write_text("except Exception:\n")
    return tmp_path


def test_snippet_at_the_cited_lines_is_kept(repo: Path) -> None:
    ev = Evidence(path="src/app.py", start_line=7, end_line=8, snippet="except  Exception:\n pass")
    got = verify_evidence(repo, ev)
    assert got is not None
    assert (got.start_line, got.end_line) == (7, 8)
    assert got.snippet == "    except Exception:\n        pass"


def test_snippet_elsewhere_is_reanchored_to_where_it_is(repo: Path) -> None:
    ev = Evidence(path="src/app.py", start_line=1, end_line=2, snippet="return process(event)")
    got = verify_evidence(repo, ev)
    assert got is not None
    assert (got.start_line, got.end_line) == (6, 6)


def test_multiline_snippet_spanning_lines_is_found(repo: Path) -> None:
    ev = Evidence(
        path="src/app.py", start_line=40, end_line=41, snippet="try: return process(event)"
    )
    got = verify_evidence(repo, ev)
    assert got is not None
    assert (got.start_line, got.end_line) == (5, 6)


@pytest.mark.parametrize(
    "ev",
    [
        Evidence(path="src/app.py", start_line=3, end_line=3, snippet="eval(user_input)"),
        Evidence(path="src/missing.py", start_line=1, end_line=1, snippet="import os"),
        Evidence(path="../outside.py", start_line=1, end_line=1, snippet="except Exception:"),
        Evidence(path="/etc/passwd", start_line=1, end_line=1, snippet="root"),
        Evidence(path="blob.bin", start_line=1, end_line=1, snippet="binary"),
        Evidence(path="src/app.py", start_line=90, end_line=91, snippet=""),
    ],
    ids=["invented", "missing-file", "escapes-root", "absolute", "binary", "no-such-lines"],
)
def test_citations_that_are_not_there_are_rejected(repo: Path, ev: Evidence) -> None:
    assert verify_evidence(repo, ev) is None


def test_empty_snippet_on_existing_lines_takes_the_file_text(repo: Path) -> None:
    got = verify_evidence(repo, Evidence(path="src/app.py", start_line=1, end_line=1))
    assert got is not None and got.snippet == "import os"


def test_citation_validity_is_the_share_that_verifies(repo: Path) -> None:
    good = Evidence(path="src/app.py", start_line=1, end_line=1, snippet="import os")
    bad = Evidence(path="src/app.py", start_line=1, end_line=1, snippet="import sys")
    assert citation_validity(repo, [good, bad, good, good]) == 0.75
    assert citation_validity(repo, []) == 1.0


def test_an_edited_file_is_read_again(repo: Path) -> None:
    ev = Evidence(path="src/app.py", start_line=1, end_line=1, snippet="import os")
    assert verify_evidence(repo, ev) is not None
    (repo / "src" / "app.py").write_text("import sys\n" * 3)
    assert verify_evidence(repo, ev) is None
