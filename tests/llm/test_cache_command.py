"""``readiness cache stats|clear`` as a user runs them."""

from __future__ import annotations

import asyncio
from pathlib import Path

from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.judge.llm_judge import LLMJudge, LLMShared
from pipeline.options import ModelOptions
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.llm.conftest import answer, item

runner = CliRunner()


def test_stats_counts_cached_answers_and_clear_empties_the_cache(
    fake_openai: FakeOpenAI, fake_model_options: ModelOptions, repo: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    # A medium question answered "no" with its search: one call, no adversary.
    question = item(repo, "security.secret_file_permissions")
    reply = answer("no", searched="writes in src/", severity="medium")
    fake_openai.script(Reply.json(reply))
    judge = LLMJudge(fake_model_options, LLMShared.create(fake_model_options, cache))
    asyncio.run(judge.answer(question))
    (cache / "runs").mkdir()
    (cache / "runs" / "checkpoint.json").write_text("{}" * 100)
    (cache / "README.md").write_text("kept in git")

    result = runner.invoke(app, ["cache", "stats", "--cache-dir", str(cache)])
    assert result.exit_code == 0, result.output
    assert "1 answers" in result.output and "run checkpoints" in result.output

    refused = runner.invoke(app, ["cache", "clear", "--cache-dir", str(cache)], input="n\n")
    assert "nothing deleted" in refused.output and (cache / "runs").exists()

    result = runner.invoke(app, ["cache", "clear", "--cache-dir", str(cache), "--yes"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in cache.iterdir()) == ["README.md"]

    # With the cache gone the same question goes to the provider again.
    fake_openai.script(Reply.json(reply))
    judge = LLMJudge(fake_model_options, LLMShared.create(fake_model_options, cache))
    usage = asyncio.run(judge.answer(question)).answer.usage
    assert usage is not None and usage.llm_requests == 1 and len(fake_openai.requests) == 2


def test_clear_of_a_missing_folder_says_so(tmp_path: Path) -> None:
    result = runner.invoke(app, ["cache", "clear", "--cache-dir", str(tmp_path / "none"), "-y"])
    assert result.exit_code == 0 and "nothing to clear" in result.output
