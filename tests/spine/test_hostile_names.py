"""Hostile file names through ingest and assemble: skipped when no report can cite them,
kept and cited intact otherwise, and never able to break a Markdown table or a SARIF URI."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path
from urllib.parse import unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from pipeline.assemble import validate_report_json, write_reports
from pipeline.assemble.markdown import cell
from pipeline.assemble.sarif import artifact_uri
from pipeline.ingest import ingest_repository
from pipeline.options import AssessOptions
from pipeline.runner import assess
from pipeline.schemas import Category, Coverage, Outcome, RepoInfo, Report, Severity, Usage
from pipeline.scoring import assess_categories, findings_from_checks, overall_score, status
from tests.spine.factories import check

TOKEN = "ghp_" + "Zq3xL9v" * 5 + "Ab"
KEPT = [
    "with space.py",
    "trailing space .py",
    "hash#name.py",
    "percent%20encoded.py",
    "per%cent.py",
    "question?.py",
    "star*.py",
    "-leading-dash.py",
    "--rf.py",
    "a:b.py",
    'quote"name.py',
    "apos'name.py",
    "less<than>.py",
    "amp&semi;.py",
    "dollar$(whoami).py",
    "brackets[1].py",
    "{brace}.py",
    "back\\slash.py",
    "..dots.py",
    "unicodé/ñame.py",
    "日本語/ファイル.py",
    "emoji😀.py",
    "zero\u200bwidth.py",
    "nbsp\u00a0name.py",
    "x" * 240 + ".py",
    "/".join(["deep" * 10] * 6) + "/end.py",
]
UNSAFE = [
    "pipe|name.py",
    "back`tick.py",
    "new\nline.py",
    "carriage\rreturn.py",
    "tab\tname.py",
    "bidi\u202eyp.txt",
    "line\u2028separator.py",
]
SECRET_NAMED = [f"keys/{TOKEN}.txt"]
BODY = 'def handler(event):\n    return eval(event["q"])\n'


@pytest.fixture(scope="module")
def hostile_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "repo"
    root.mkdir()
    for name in KEPT + UNSAFE + SECRET_NAMED:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(BODY, encoding="utf-8")
    (root / "README.md").write_text("# hostile\n")
    return root


def test_ingest_keeps_citable_names_intact_and_counts_the_rest(hostile_repo: Path) -> None:
    snapshot = ingest_repository(hostile_repo)

    kept = {f.path for f in snapshot.files}
    assert kept == {*KEPT, "README.md"}
    for path in KEPT:  # the path a report cites opens the very file
        assert (hostile_repo / path).read_text(encoding="utf-8") == BODY
        assert snapshot.lines(path) == tuple(BODY.splitlines())
    skipped = snapshot.coverage.skipped
    assert skipped.get("unsafe_name") == len(UNSAFE)
    assert skipped.get("secret_in_name") == len(SECRET_NAMED)
    assert TOKEN not in json.dumps(snapshot.coverage.model_dump())


def report_citing(paths: list[str]) -> Report:
    """A report with a failed check at each path, its message naming the path."""
    checks = []
    for number, path in enumerate(paths):
        made = check(f"SEC{number:03d}", Category.security, Outcome.failed, Severity.high, path, 2)
        checks.append(made.model_copy(update={"message": f"eval() at {path}:2 | {path}"}))
    findings = findings_from_checks(checks)
    categories = assess_categories(checks, findings, {c.value: "a | b\nc" for c in Category})
    overall = overall_score(categories)
    return Report(
        tool_version="0.1.0",
        generated_at="2026-11-22T00:00:00+00:00",
        model="offline",
        repo=RepoInfo(name="hostile", path="/tmp/hostile"),
        overall_score=overall,
        status=status(overall, findings),
        categories=categories,
        findings=findings,
        checks=checks,
        usage=Usage(),
        coverage=Coverage(files_seen=len(paths), files_included=len(paths)),
    )


def test_assembled_documents_cite_every_kept_name_without_breaking(tmp_path: Path) -> None:
    paths = [*KEPT, "README.md"]
    written = write_reports(report_citing(paths), tmp_path, ("md", "json", "sarif"))

    assert_tables_hold(written["md"].read_text(encoding="utf-8"))
    document = json.loads(written["json"].read_text(encoding="utf-8"))
    validate_report_json(document)
    cited = {e["path"] for f in document["findings"] for e in f["evidence"]}
    assert cited == set(paths)
    assert_sarif_uris(json.loads(written["sarif"].read_text(encoding="utf-8")), set(paths))


def test_the_offline_pipeline_over_hostile_names_writes_sound_documents(
    hostile_repo: Path, tmp_path: Path
) -> None:
    options = AssessOptions(
        path=hostile_repo,
        out=tmp_path / "out",
        cache_dir=tmp_path / "cache",
        formats=("md", "json", "sarif"),
    )

    report = assess(options).report

    cited = {e.path for c in report.checks for e in c.evidence}
    assert cited & set(KEPT), "no check cited a hostile name: the test would prove nothing"
    assert cited <= {*KEPT, "README.md"}
    assert_tables_hold((tmp_path / "out" / "report.md").read_text(encoding="utf-8"))
    sarif = json.loads((tmp_path / "out" / "report.sarif").read_text(encoding="utf-8"))
    assert_sarif_uris(sarif, {*KEPT, "README.md"})
    for output in (tmp_path / "out").iterdir():
        text = output.read_text(encoding="utf-8")
        assert TOKEN not in text and "\u202e" not in text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_any_text_stays_one_table_cell(text: str) -> None:
    source = f"| a | b |\n|---|---|\n| {cell(text)} | z |\n"

    tokens = MarkdownIt("commonmark").enable("table").parse(source)

    body = tokens[[t.type for t in tokens].index("tbody_open") :]
    cells = [i for i, t in enumerate(body) if t.type == "td_open"]
    assert len(cells) == 2
    assert body[cells[1] + 1].content == "z"
    assert [t.type for t in body].count("tr_open") == 1


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\0"), min_size=1))
def test_any_path_is_a_relative_uri_that_decodes_back(path: str) -> None:
    uri = artifact_uri(path)

    assert unquote(uri, errors="strict") == path
    assert re.fullmatch(r"[A-Za-z0-9\-._~/%]*", uri)
    assert ":" not in uri.split("/", 1)[0]


def assert_tables_hold(markdown: str) -> None:
    """Every row of every table has its header's number of cells, and no row is cut."""
    lines = markdown.splitlines()
    header_cells = 0
    for number, line in enumerate(lines):
        if not line.startswith("|"):
            header_cells = 0
            continue
        cells = len(re.split(r"(?<!\\)\|", line.strip())) - 2
        if header_cells == 0:
            header_cells = cells
            assert re.fullmatch(r"\|(?:\s*:?-+:?\s*\|)+", lines[number + 1]), lines[number + 1]
        assert line.rstrip().endswith("|"), f"row cut short: {line!r}"
        assert cells == header_cells, f"{cells} cells for {header_cells} columns: {line!r}"


def assert_sarif_uris(sarif: dict, paths: set[str]) -> None:
    uris = [
        location["physicalLocation"]["artifactLocation"]["uri"]
        for result in sarif["runs"][0]["results"]
        for location in result["locations"]
    ]
    assert uris
    allowed = string.ascii_letters + string.digits + "-._~/%"
    for uri in uris:
        assert set(uri) <= set(allowed), uri
        assert unquote(uri) in paths
