"""``readiness batch`` end to end: the real pipeline (offline judge, real MiniLM and ChromaDB)."""

from __future__ import annotations

import asyncio
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from pipeline.batch.state import STATE_FILE
from pipeline.commands.batch import batch_command
from pipeline.schemas import Report
from tests.batch.browser import needs_chromium
from tests.batch.factories import git, service_files, write
from tests.batch.test_dashboard import ARTIFACTS, check_dashboard

app = typer.Typer()
app.command()(batch_command)


@dataclass
class Fleet:
    manifest: Path
    out: Path
    cache: Path
    old_commit: str
    exit_code: int
    output: str

    def invoke(self, *extra: str) -> tuple[int, str]:
        args = [str(self.manifest), "--out", str(self.out), "--cache-dir", str(self.cache)]
        result = CliRunner().invoke(app, [*args, "--concurrency", "2", *extra])
        return result.exit_code, result.output

    def report(self, name: str) -> Report:
        return Report.model_validate_json((self.out / name / "report.json").read_bytes())


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Fleet:
    root = tmp_path_factory.mktemp("fleet")
    # A git repository whose v1 had neither tests nor CI; main has both.
    history = write(root / "history", service_files("ledger", tested=False))
    git(history, "init", "-q")
    git(history, "add", "-A")
    git(history, "commit", "-q", "-m", "v1")
    git(history, "tag", "v1")
    old_commit = git(history, "rev-parse", "HEAD")
    write(history, service_files("ledger", tested=True))
    git(history, "add", "-A")
    git(history, "commit", "-q", "-m", "tests and CI")

    mono = root / "mono"
    write(mono, {"README.md": "# mono\n"})
    write(mono / "packages/api", service_files("api", tested=True))
    write(mono / "packages/web", service_files("web", tested=False))
    write(root / "plain", service_files("plain", tested=False))

    manifest = root / "fleet.csv"
    manifest.write_text(
        "repo,ref,scope,name\n"
        f"{history},v1,,ledger-v1\n"
        f"file://{history},main,,ledger-main\n"
        "mono,,packages/api,\n"
        "plain,,,\n"
        "does/not/exist,,,broken\n"
    )
    fleet = Fleet(manifest, root / "out", root / "cache", old_commit, 0, "")
    fleet.exit_code, fleet.output = fleet.invoke()
    return fleet


@pytest.mark.slow
def test_batch_writes_reports_and_summaries_and_exits_1_for_the_broken_repo(fleet: Fleet):
    assert fleet.exit_code == 1, fleet.output
    assert "4 assessed, 0 reused, 1 failed" in fleet.output
    # Not a terminal: plain progress lines, one per finished repository, counted.
    assert "batch of 5 repositories" in fleet.output and "[5/5]" in fleet.output
    assert "broken: failed (" in fleet.output
    for name in ("ledger-v1", "ledger-main", "mono-packages-api", "plain"):
        for filename in ("report.md", "report.json", "report.html"):
            assert (fleet.out / name / filename).is_file(), f"{name}/{filename}"
    summary = json.loads((fleet.out / "summary.json").read_text())
    assert summary["totals"] == {"repos": 5, "assessed": 4, "reused": 0, "failed": 1}
    by_name = {r["name"]: r for r in summary["repos"]}
    assert by_name["broken"]["run_status"] == "failed"
    assert "no such folder" in by_name["broken"]["error"]
    ranked = [r for r in summary["repos"] if r["rank"] is not None]
    scores = [r["overall_score"] for r in ranked]
    assert scores == sorted(scores, reverse=True)
    for row in ranked:
        assert row["overall_score"] == fleet.report(row["name"]).overall_score
    md = (fleet.out / "summary.md").read_text()
    assert "## Failed" in md and "no such folder" in md.split("## Failed")[1]
    csv_lines = (fleet.out / "summary.csv").read_text().splitlines()
    assert len(csv_lines) == 6 and csv_lines[0].startswith("rank,name,overall_score")


@pytest.mark.slow
def test_a_pinned_ref_is_assessed_as_it_was_then(fleet: Fleet):
    old, new = fleet.report("ledger-v1"), fleet.report("ledger-main")
    assert old.repo.commit == fleet.old_commit and new.repo.commit != fleet.old_commit
    assert old.coverage.files_included < new.coverage.files_included
    cited = {e.path for f in old.findings for e in f.evidence}
    cited |= {e.path for c in old.checks for e in c.evidence}
    assert not any("test_app" in path or ".github" in path for path in cited)
    testing = {c.id.value: c.score for c in old.categories}["testing"]
    assert testing is None or testing < {c.id.value: c.score for c in new.categories}["testing"]


@pytest.mark.slow
def test_a_monorepo_scope_assesses_only_its_package(fleet: Fleet):
    report = fleet.report("mono-packages-api")
    assert report.repo.scope == "packages/api"
    cited = {e.path for f in report.findings for e in f.evidence}
    assert cited and not any(path.startswith("packages/web") for path in cited)


@pytest.mark.slow
def test_a_rerun_resumes_and_a_lost_state_costs_no_embedding(fleet: Fleet):
    state_before = json.loads((fleet.out / STATE_FILE).read_text())
    code, output = fleet.invoke()
    assert code == 1, output
    assert "0 assessed, 4 reused, 1 failed" in output
    state_after = json.loads((fleet.out / STATE_FILE).read_text())
    for name in ("ledger-v1", "ledger-main", "mono-packages-api", "plain"):
        assert state_after["repos"][name] == state_before["repos"][name]
    assert json.loads((fleet.out / "summary.json").read_text())["totals"]["reused"] == 4

    # Without the state every repository runs again, but from the caches: no embedding.
    (fleet.out / STATE_FILE).unlink()
    code, output = fleet.invoke()
    assert "4 assessed, 0 reused, 1 failed" in output
    for name in ("ledger-v1", "ledger-main", "mono-packages-api", "plain"):
        usage = fleet.report(name).usage
        assert usage.embeddings_computed == 0 and usage.llm_requests == 0, name

    # An edited folder is assessed again; the others are still reused.
    write(fleet.manifest.parent / "plain", {"src/plain/extra.py": "X = 1\n"})
    code, output = fleet.invoke()
    assert "1 assessed, 3 reused, 1 failed" in output


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("repo,ref\n./a,main\n./b,main,oops\n", "manifest.csv:3:"),
        ("repo,branch\n./a,main\n", "manifest.csv:1: unknown column(s) branch"),
    ],
)
def test_a_bad_manifest_exits_2_with_its_line(tmp_path: Path, text: str, message: str):
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(text)
    result = CliRunner().invoke(app, [str(manifest), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out" / "summary.md").exists()


@pytest.mark.slow
@pytest.mark.browser
@needs_chromium
def test_dashboard_of_the_real_batch_in_chromium(fleet: Fleet, tmp_path: Path):
    out = tmp_path / "copy"
    shutil.copytree(fleet.out, out)  # another test edits the original
    names = check_dashboard(out / "index.html", screenshot=ARTIFACTS / "dashboard.png")
    assert sorted(names) == ["ledger-main", "ledger-v1", "mono-packages-api", "plain"]


@pytest.mark.slow
def test_provider_trouble_leaves_one_repository_incomplete_and_the_batch_goes_on(
    fleet: Fleet, tmp_path: Path
):
    from pipeline.batch.run import BatchOptions, run_batch
    from pipeline.commands.batch import PlainBatchProgress
    from pipeline.options import ModelOptions
    from tests.fakes.openai_server import FakeOpenAI, Reply, citing_responder
    from tests.llm.test_assess_llm import small_repo

    down = {"flaky": True}

    def responder(request) -> Reply:
        if down["flaky"] and "Repository: flaky" in request.prompt_text:
            return Reply.error(503, retry_after=0)
        return citing_responder(request)

    # steady: one of the fleet's repositories (its stages before the judge are checkpointed);
    # flaky: a small program whose configuration and data questions stay open for the model.
    root = fleet.manifest.parent
    flaky = small_repo(tmp_path / "flaky")
    (flaky / "readiness.toml").write_text('ignore = ["CFG", "DAT"]\n')
    manifest = tmp_path / "repos.csv"
    manifest.write_text(f"repo,ref,scope,name\n{root / 'history'},v1,,steady\n{flaky},,,flaky\n")
    with FakeOpenAI(responder) as fake:
        model = ModelOptions(
            model="openai/fake", api_base=fake.base_url, timeout_s=5, max_retries=1
        )
        options = BatchOptions(cache_dir=fleet.cache, model=model, concurrency=2)
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("OPENAI_API_KEY", "sk-test")
            result = asyncio.run(
                run_batch(manifest, tmp_path / "out", options, PlainBatchProgress())
            )
            statuses = {o.name: (o.status, o.error) for o in result.outcomes}
            assert statuses["steady"] == ("assessed", None)
            status, error = statuses["flaky"]
            # Assessed and its report written, but incomplete: the batch exits 1 and says why.
            assert status == "assessed" and "incomplete" in (error or "") and "503" in error
            assert result.exit_code == 1
            written = Report.model_validate_json(
                (tmp_path / "out" / "flaky" / "report.json").read_text()
            )
            unanswered = [q for q in written.questions if q.answer == "cannot_determine"]
            assert unanswered and all("provider" in q.reason for q in unanswered)
            steady = next(o.report for o in result.outcomes if o.name == "steady")
            assert steady is not None and steady.usage.provider_error is None
            summary = (tmp_path / "out" / "summary.md").read_text()
            assert "flaky" in summary.split("## Incomplete")[1].split("\n## ")[0]

            # The provider is back: the incomplete repository is assessed again, the other reused.
            down["flaky"] = False
            sent = len(fake.requests)
            again = asyncio.run(
                run_batch(manifest, tmp_path / "out", options, PlainBatchProgress())
            )
    assert {o.name: o.status for o in again.outcomes} == {"steady": "reused", "flaky": "assessed"}
    assert again.exit_code == 0
    resent = fake.requests[sent:]
    assert resent and all("Repository: flaky" in r.prompt_text for r in resent)
    assert "## Incomplete" not in (tmp_path / "out" / "summary.md").read_text()


def test_bad_options_exit_2_and_foreign_files_are_never_overwritten(tmp_path: Path):
    write(tmp_path / "svc", service_files("svc", tested=False))
    manifest = tmp_path / "repos.txt"
    manifest.write_text("svc\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, [str(manifest), "--out", str(out), "--format", "md"])
    assert result.exit_code == 2 and "must include json" in result.output
    result = CliRunner().invoke(app, [str(manifest), "--out", str(manifest)])
    assert result.exit_code == 2 and "is a file, not a folder" in result.output

    (out / "svc").mkdir(parents=True)
    (out / "svc" / "report.md").write_text("# My own notes\n")
    result = CliRunner().invoke(app, [str(manifest), "--out", str(out)])
    assert result.exit_code == 1
    assert "not written by readiness" in result.output
    assert (out / "svc" / "report.md").read_text() == "# My own notes\n"
    assert "No repository was assessed." in (out / "summary.md").read_text()
