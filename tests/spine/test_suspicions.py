"""Suspicions (``pipeline/scoring/confirm.py``): a secret-like literal, a shell command fed
by a route parameter, no authentication found. Each is a pattern whose hazard the code
cannot settle; the report hands it to the reviewer with pointers and what to confirm, and
makes no gap, no score and no key blocker of it. A direct gap beside them stays a gap.

The real CLI on a small Flask service, offline.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.questions import settle
from pipeline.rubric.questions import questions
from pipeline.schemas import Category, CheckResult, Outcome, Severity
from pipeline.scoring import is_applicable, mark_suspicions
from pipeline.scoring.findings import findings_from_checks
from tests.spine.cli_helpers import report_of, run_cli, write_tree

TOKEN = "ghp_" + "Qw7rT2yU9iO4pA6sD1fG3hJ5kL8zX0cV2bN4"
APP = (
    "import os\n"
    "import requests\n"
    "from flask import Flask\n"
    "\n"
    "app = Flask(__name__)\n"
    f'GITHUB_TOKEN = "{TOKEN}"\n'
    "\n"
    "\n"
    '@app.route("/files/<name>")\n'
    "def files(name):\n"
    '    os.system("ls " + name)\n'
    '    return {"name": name}\n'
    "\n"
    "\n"
    '@app.route("/mirror")\n'
    "def mirror():\n"
    '    return requests.get("https://example.com/feed", timeout=5, verify=False).text\n'
)
FILES = {
    "pyproject.toml": (
        '[project]\nname = "svc"\nversion = "0.1.0"\ndependencies = ["flask", "requests"]\n'
    ),
    "README.md": "# svc\n\nA tiny service.\n",
    "svc/__init__.py": "",
    "svc/app.py": APP,
}


@pytest.fixture(scope="module")
def assessed(tmp_path_factory) -> tuple[dict, str]:
    root = tmp_path_factory.mktemp("s")
    repo = write_tree(root / "svc", FILES)
    out = root / "out"
    result = run_cli("assess", str(repo), "--out", str(out), cache=root / "cache")
    assert result.returncode == 0, result.stderr
    return report_of(out), (out / "report.md").read_text()


def test_suspicions_make_no_gap_and_go_to_the_reviewer(assessed) -> None:
    report, markdown = assessed
    checks = {c["id"]: c for c in report["checks"]}
    for probe in ("SEC001", "SEC003"):
        assert checks[probe]["outcome"] == "fail", checks[probe]
        assert checks[probe]["to_confirm"], checks[probe]
    gaps = {f["check_id"] for f in report["findings"] if f["kind"] == "gap"}
    assert "SEC001" not in gaps and "SEC003" not in gaps
    # The direct fact beside them (verify=False, literally in the code) stays a high gap.
    assert "SEC005" in gaps
    reviewer = markdown.split("## For the reviewer", 1)[1].split("## Roadmap", 1)[0]
    assert "**Hard-coded secrets in the repository?** (SEC001; critical if confirmed)" in (reviewer)
    assert "Confirm whether each value is a live credential" in reviewer
    assert "`svc/app.py:6`" in reviewer
    # Its question is asked once, by the suspicion, not again as an open question.
    assert reviewer.count("hard-coded") + reviewer.count("Hard-coded") == 1
    key_blockers = markdown.split("## For the reviewer", 1)[0]
    assert "SEC001" not in key_blockers.split("## Checks", 1)[0]
    # The security table says so too, not "fail".
    security = markdown.split("## Security Assessment", 1)[1].split("## For the reviewer", 1)[0]
    row = next(line for line in security.splitlines() if "Commands run through a shell" in line)
    assert "to confirm" in row and "fail" not in row, row
    # Never unmasked, anywhere.
    assert TOKEN not in markdown and TOKEN not in str(report)
    answers = {q["id"]: q for q in report["questions"]}
    secrets = next(q for q in answers.values() if q["settled_by"] == ["SEC001"])
    assert secrets["status"] == "open" and secrets["answer"] == "cannot_determine"


def _check(probe: str, outcome: Outcome, **fields: object) -> CheckResult:
    return CheckResult(
        id=probe,
        category=Category.security,
        severity=Severity.critical,
        title=probe,
        outcome=outcome,
        message="m",
        **fields,
    )


def test_only_unwaived_failures_of_suspicion_probes_are_marked() -> None:
    marked = mark_suspicions(
        [
            _check("SEC001", Outcome.failed),
            _check("SEC001", Outcome.passed),
            _check("SEC005", Outcome.failed),
            _check("SEC003", Outcome.failed, advisory="a research script"),
        ]
    )
    assert [bool(c.to_confirm) for c in marked] == [True, False, False, False]
    assert not is_applicable(marked[0]) and is_applicable(marked[2])
    assert [f.check_id for f in findings_from_checks(marked) if f.kind == "gap"] == ["SEC005"]


def test_a_suspicion_leaves_its_question_open_unless_another_check_settles_it() -> None:
    [auth] = [q for q in questions() if set(q.settled_by) == {"SEC012", "SEC028"}]
    unsure = mark_suspicions([_check("SEC012", Outcome.failed)])
    assert settle(auth, unsure)[0] == "cannot_determine"
    # A failure that is no suspicion still answers the question, whatever else is unsure.
    failed = _check("SEC028", Outcome.failed)
    assert settle(auth, [*unsure, failed])[0] == auth.bad


def test_the_suspicion_table_names_real_probes() -> None:
    from pipeline.probes.engine import registered_probes
    from pipeline.scoring import SUSPICIONS

    assert set(SUSPICIONS) <= {p.id for p in registered_probes()}
    assert all(text and not text.endswith(".") for text in SUSPICIONS.values())


def test_suspicions_are_documented_where_the_scoring_is() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    assert "to confirm" in readme.lower()


def test_gates_and_sarif_see_suspicions(tmp_path) -> None:
    # The report claims no gap, but a gate must not let a new secret-like literal through
    # unreviewed, and code scanning lists it for review.
    repo = write_tree(tmp_path / "svc", FILES)
    out = tmp_path / "out"
    result = run_cli(
        "assess", str(repo), "--out", str(out), "--format", "json,sarif", "--fail-on",
        "critical", cache=tmp_path / "cache",
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert "SEC001 (critical, to confirm) at svc/app.py:6" in result.stderr
    sarif = json.loads((out / "report.sarif").read_text())
    [secret] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "SEC001"]
    assert secret["level"] == "note" and secret["properties"]["toConfirm"] is True
    assert TOKEN not in json.dumps(sarif)


def test_a_category_left_with_suspicions_is_unsettled_not_inapplicable() -> None:
    from pipeline.scoring import assess_categories

    unsure = mark_suspicions([_check("SEC013", Outcome.failed)])
    na = _check("SEC005", Outcome.not_applicable)
    [security] = [a for a in assess_categories([*unsure, na], []) if a.id == Category.security]
    assert security.verdict.value == "insufficient_evidence" and security.score is None
    assert "1 left for the reviewer" in security.summary, security.summary
