"""`readiness eval` on two golden repositories, and every notebook executed against its output."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.evaluation import EvalResult
from pipeline.schemas import Report
from tests.fakes.openai_server import FakeOpenAI, Reply

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
SUBSET = ("flask-risky", "rust-crate")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("eval")


@pytest.fixture(scope="module")
def eval_out(workdir: Path) -> Path:
    out = workdir / "eval"
    args = ["eval", "--out", str(out), "--cache-dir", str(workdir / "cache"), "--no-questions"]
    for name in SUBSET:
        args += ["--only", name]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return out


def execute(notebook: str, env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Run a notebook headlessly; a failing cell raises."""
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    book = nbformat.read(NOTEBOOKS / notebook, as_version=4)
    NotebookClient(book, timeout=180, kernel_name="python3").execute()


def test_eval_writes_json_and_markdown_for_the_chosen_repositories(eval_out: Path) -> None:
    result = EvalResult.model_validate_json((eval_out / "eval.json").read_text())
    assert [m.model for m in result.models] == ["offline"]
    offline = result.models[0]
    assert sorted(r.name for r in offline.repos) == sorted(SUBSET)
    markdown = (eval_out / "eval.md").read_text()
    for heading in ("## Summary", "## Per category", "## Per repository", "## What went wrong"):
        assert heading in markdown
    for name in SUBSET:
        assert f"| {name} |" in markdown


def test_eval_counts_what_the_reports_on_disk_say(eval_out: Path) -> None:
    result = EvalResult.model_validate_json((eval_out / "eval.json").read_text())
    for repo in result.models[0].repos:
        report_path = eval_out / "runs" / "offline" / repo.name / "run-1" / "report.json"
        report = Report.model_validate_json(report_path.read_text())
        shown = [f for f in report.findings if not f.muted]
        assert repo.reported == len(shown)
        assert repo.schema_validity == 1.0
        assert repo.llm_requests == 0
        run = repo.runs[0]
        assert len(run.missed) == repo.required - repo.required_matched
        judged = repo.reported_matched + repo.confirmed
        assert len(run.unmatched) + len(run.contradicted) == repo.reported - judged
        assert len(run.contradicted) == repo.contradicted


def test_unknown_golden_repository_is_a_one_line_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "--out", str(tmp_path), "--only", "nope"])
    assert result.exit_code == 2
    assert "unknown golden repository nope" in result.output
    assert "Traceback" not in result.output


def test_models_notebook_runs_against_the_eval_and_saves_plots(
    eval_out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    execute("models.ipynb", {"READINESS_EVAL_JSON": str(eval_out / "eval.json")}, monkeypatch)
    for png in (
        "models_precision_recall.png",
        "models_validity.png",
        "models_cost_quality.png",
        "models_recall_by_repo.png",
    ):
        assert (eval_out / png).stat().st_size > 1000, png


def test_batch_notebook_runs_against_a_batch_and_saves_plots(
    eval_out: Path, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = workdir / "repos.txt"
    manifest.write_text("".join(f"{eval_out / 'golden' / name}\n" for name in SUBSET))
    batch = workdir / "batch"
    args = ["batch", str(manifest), "--out", str(batch), "--cache-dir", str(workdir / "cache")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert len(json.loads((batch / "summary.json").read_text())["repos"]) == len(SUBSET)
    execute("batch.ipynb", {"READINESS_BATCH_DIR": str(batch)}, monkeypatch)
    for png in ("batch_scores.png", "batch_heatmap.png", "batch_gaps.png"):
        assert (batch / png).stat().st_size > 1000, png


def test_notebooks_are_committed_without_outputs() -> None:
    for path in NOTEBOOKS.glob("*.ipynb"):
        book = nbformat.read(path, as_version=4)
        for cell in book.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, path.name


def test_an_llm_eval_sits_next_to_the_offline_baseline(
    eval_out: Path, workdir: Path, fake_openai: FakeOpenAI
) -> None:
    # A model that cites a line that is not in the file: every answer is re-asked, then dropped.
    invented = {"path": "app.py", "start_line": 2, "end_line": 2, "snippet": "fn invented()"}
    answer = {"answer": "yes", "explanation": "It is there.", "evidence": [invented]}
    fake_openai.responder = lambda _request: Reply.json(answer)
    out = workdir / "eval-llm"
    args = [
        "eval",
        "--out",
        str(out),
        "--model",
        "openai/fake",
        "--api-base",
        fake_openai.base_url,
        "--only",
        "rust-crate",  # ERR004 cannot tell whether its unwraps can fail: a question stays open
        "--repeat",
        "2",
        "--no-questions",
        "--baseline",
        str(eval_out / "eval.json"),
        "--cache-dir",
        str(workdir / "cache"),
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    evaluated = EvalResult.model_validate_json((out / "eval.json").read_text())
    assert [m.model for m in evaluated.models] == ["offline", "openai/fake"]
    llm = evaluated.models[1]
    assert llm.llm_requests == len(fake_openai.requests) > 0
    assert llm.reask_rate is not None and llm.reask_rate > 0
    assert llm.dropped_findings > 0
    # Each repeat asks the model afresh, with its own seed, instead of replaying the cache.
    assert {request.body.get("seed") for request in fake_openai.requests} == {7, 8}
    assert all(run.llm_requests > 0 for run in llm.repos[0].runs)
    markdown = (out / "eval.md").read_text()
    assert "| Metric | `offline` | `openai/fake` |" in markdown


def test_repeated_offline_runs_are_identical(eval_out: Path, workdir: Path) -> None:
    out = workdir / "eval-repeat"
    args = ["eval", "--out", str(out), "--only", "rust-crate", "--repeat", "2", "--no-questions"]
    result = CliRunner().invoke(app, [*args, "--cache-dir", str(workdir / "cache")])
    assert result.exit_code == 0, result.output
    repo = EvalResult.model_validate_json((out / "eval.json").read_text()).models[0].repos[0]
    assert [run.run for run in repo.runs] == [0, 1]
    assert (out / "runs" / "offline" / "rust-crate" / "run-2" / "report.json").is_file()
    assert repo.stability == 1.0
    assert repo.score_spread == 0
    assert set(repo.finding_recurrence.values()) == {1.0}
