"""Any report survives report.json: written, validated against the shipped schema, read back
equal. Texts are any Unicode a file or a model can produce; numbers span their ranges."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.assemble import validate_report_json, write_reports
from pipeline.schemas import (
    CategoryAssessment,
    CheckResult,
    Component,
    Coverage,
    Evidence,
    Finding,
    KindDecision,
    Pointer,
    Profile,
    QuestionAnswer,
    RepoInfo,
    Report,
    Usage,
)

TEXT = st.text(max_size=40)
SHORT = st.text(max_size=12)
COUNT = st.integers(min_value=0, max_value=2**53)
SCORE = st.none() | st.integers(min_value=0, max_value=100)
MONEY = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False)


def lists(strategy: st.SearchStrategy, size: int = 3) -> st.SearchStrategy:
    return st.lists(strategy, max_size=size)


EVIDENCE = st.builds(
    Evidence,
    path=TEXT,
    start_line=st.integers(min_value=1, max_value=10**9),
    end_line=st.integers(min_value=1, max_value=10**9),
    snippet=TEXT,
)
POINTER = st.builds(
    Pointer,
    path=TEXT,
    start_line=st.integers(min_value=1, max_value=10**9),
    end_line=st.integers(min_value=1, max_value=10**9),
    snippet=TEXT,
    why=TEXT,
)
COMPONENT = st.builds(Component, name=SHORT, role=SHORT, evidence=lists(EVIDENCE, 2))
FINDING = st.builds(
    Finding,
    id=SHORT,
    title=TEXT,
    impact=TEXT,
    recommendation=TEXT,
    check_id=st.none() | SHORT,
    evidence=lists(EVIDENCE),
)
CHECK = st.builds(
    CheckResult,
    id=SHORT,
    title=TEXT,
    message=TEXT,
    rationale=TEXT,
    remediation=TEXT,
    evidence=lists(EVIDENCE),
    looked_at=lists(TEXT),
    waiver_reason=st.none() | TEXT,
)
QUESTION = st.builds(
    QuestionAnswer,
    id=SHORT,
    category=SHORT,
    ask=TEXT,
    good=TEXT,
    answer=st.none() | SHORT,
    settled_by=lists(SHORT),
    evidence=lists(EVIDENCE, 2),
    reason=TEXT,
    pointers=lists(POINTER, 2),
)
PROFILE = st.builds(
    Profile,
    kinds=lists(SHORT),
    reasons=lists(st.builds(KindDecision, kind=SHORT, reason=TEXT, evidence=lists(EVIDENCE, 2))),
    languages=st.dictionaries(SHORT, COUNT, max_size=3),
    frameworks=lists(COMPONENT, 2),
    datastores=lists(COMPONENT, 2),
    external_services=lists(COMPONENT, 2),
    entry_points=lists(COMPONENT, 2),
    conditions=st.dictionaries(SHORT, st.booleans(), max_size=3),
)
USAGE = st.builds(
    Usage,
    llm_requests=COUNT,
    cache_hits=COUNT,
    retries=COUNT,
    reasks=COUNT,
    dropped_findings=COUNT,
    prompt_tokens=COUNT,
    completion_tokens=COUNT,
    cost_usd=MONEY,
    embeddings_computed=COUNT,
    budget_exhausted=st.none() | TEXT,
)
COVERAGE = st.builds(
    Coverage,
    files_seen=COUNT,
    files_included=COUNT,
    lines_included=COUNT,
    chunks=COUNT,
    skipped=st.dictionaries(SHORT, COUNT, max_size=3),
    languages=st.dictionaries(SHORT, COUNT, max_size=3),
    secrets_redacted=COUNT,
    unreadable=lists(TEXT),
    unparsed=st.dictionaries(TEXT, TEXT, max_size=3),
)
REPORT = st.builds(
    Report,
    tool_version=SHORT,
    generated_at=SHORT,
    model=SHORT,
    repo=st.builds(
        RepoInfo, name=TEXT, path=TEXT, commit=st.none() | SHORT, scope=st.none() | TEXT
    ),
    overall_score=SCORE,
    status=SHORT,
    categories=lists(st.builds(CategoryAssessment, title=TEXT, score=SCORE, summary=TEXT), 4),
    findings=lists(FINDING, 4),
    checks=lists(CHECK, 4),
    usage=USAGE,
    coverage=COVERAGE,
    profile=PROFILE,
    questions=lists(QUESTION, 2),
    prompts=st.dictionaries(SHORT, SHORT, max_size=3),
    parameters=st.dictionaries(
        SHORT, st.none() | SHORT | st.integers() | MONEY | st.floats(-1e9, 0), max_size=3
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(REPORT)
def test_any_report_round_trips_through_report_json(report: Report) -> None:
    with tempfile.TemporaryDirectory() as folder:
        written = write_reports(report, Path(folder), ("json",))
        document = json.loads(written["json"].read_text(encoding="utf-8"))

    validate_report_json(document)
    assert Report.model_validate(document) == report
