"""Citations are checked against the snapshot of the files they cite."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest import ingest_repository
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
    got = verify_evidence(ingest_repository(repo), ev)
    assert got is not None
    assert (got.start_line, got.end_line) == (7, 8)
    assert got.snippet == "    except Exception:\n        pass"


def test_snippet_elsewhere_is_reanchored_to_where_it_is(repo: Path) -> None:
    ev = Evidence(path="src/app.py", start_line=1, end_line=2, snippet="return process(event)")
    got = verify_evidence(ingest_repository(repo), ev)
    assert got is not None
    assert (got.start_line, got.end_line) == (6, 6)


def test_multiline_snippet_spanning_lines_is_found(repo: Path) -> None:
    ev = Evidence(
        path="src/app.py", start_line=40, end_line=41, snippet="try: return process(event)"
    )
    got = verify_evidence(ingest_repository(repo), ev)
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
    assert verify_evidence(ingest_repository(repo), ev) is None


def test_empty_snippet_on_existing_lines_takes_the_file_text(repo: Path) -> None:
    got = verify_evidence(
        ingest_repository(repo), Evidence(path="src/app.py", start_line=1, end_line=1)
    )
    assert got is not None and got.snippet == "import os"


def test_citation_validity_is_the_share_that_verifies(repo: Path) -> None:
    good = Evidence(path="src/app.py", start_line=1, end_line=1, snippet="import os")
    bad = Evidence(path="src/app.py", start_line=1, end_line=1, snippet="import sys")
    assert citation_validity(ingest_repository(repo), [good, bad, good, good]) == 0.75
    assert citation_validity(ingest_repository(repo), []) == 1.0


def test_a_new_snapshot_reads_an_edited_file_again(repo: Path) -> None:
    ev = Evidence(path="src/app.py", start_line=1, end_line=1, snippet="import os")
    assert verify_evidence(ingest_repository(repo), ev) is not None
    (repo / "src" / "app.py").write_text("import sys\n" * 3)
    assert verify_evidence(ingest_repository(repo), ev) is None


def test_line_numbers_agree_across_ingest_probes_prompt_and_verifier(tmp_path: Path) -> None:
    """U+2028, U+0085, a form feed, CRLF and a BOM in one file: one line model for all."""
    from pipeline.judge.llm_judge import numbered
    from pipeline.probes.engine import run_probes

    text = (
        "\ufeffimport os\r\n"
        'NOTE = "a\u2028b\u0085c\x0cd"\r\n'
        "\r\n"
        "def handler(event):\r\n"
        "    return eval(event)\r\n"
    )
    (tmp_path / "app.py").write_bytes(text.encode("utf-8"))
    snapshot = ingest_repository(tmp_path)
    assert snapshot.by_path["app.py"].lines == 5
    assert snapshot.lines("app.py")[4] == "    return eval(event)"
    # The probe cites line 5 ...
    [evalcheck] = [c for c in run_probes(snapshot, select=["SEC002"]).checks]
    assert [e.start_line for e in evalcheck.evidence] == [5]
    # ... the prompt numbers the same line 5 ...
    from pipeline.ingest.chunking import chunk_snapshot

    [chunk] = chunk_snapshot(snapshot)
    assert "5|     return eval(event)" in numbered(chunk.text, chunk.start_line).split("\n")
    # ... and the verifier finds the snippet at line 5, without re-anchoring it.
    ev = Evidence(path="app.py", start_line=5, end_line=5, snippet="return eval(event)")
    got = verify_evidence(snapshot, ev)
    assert got is not None and (got.start_line, got.end_line) == (5, 5)
