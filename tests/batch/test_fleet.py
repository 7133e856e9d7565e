"""One rate limit and one budget for every worker of a batch, and the executor options.

Each "worker" here is what a process of a cluster holds: its own LLM client, limiter view
and budget view, all reaching one ``FleetLimits`` (in this process; on a cluster, an actor).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest
import typer
from pydantic import BaseModel
from typer.testing import CliRunner

from pipeline.batch.executors import worker_resources
from pipeline.batch.limits import FleetLimits, InProcessFleet, LimiterView, RateReport
from pipeline.batch.options import BatchOptions
from pipeline.commands.batch import batch_command
from pipeline.errors import BudgetExceeded
from pipeline.llm.client import LLMClient
from pipeline.options import ModelOptions, UsageLimits
from pipeline.schemas import Usage
from tests.batch.cluster import free_port
from tests.batch.factories import service_files, write
from tests.fakes.openai_server import FakeOpenAI, Reply

app = typer.Typer()
app.command()(batch_command)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_workers_take_their_call_slots_from_one_fleet_limiter():
    clock = Clock()
    fleet = InProcessFleet(FleetLimits(requests_per_minute=60, clock=clock))
    first, second = LimiterView(fleet, 60), LimiterView(fleet, 60)
    assert first.try_acquire() == 0.0
    # The other worker's own limiter is untouched, yet it must wait for the fleet's slot.
    assert second.try_acquire() == pytest.approx(1.0)
    clock.now += 1.0
    assert second.try_acquire() == 0.0
    # A Retry-After told to one worker holds every worker.
    clock.now += 1.0
    first.pause(5.0)
    assert second.try_acquire() == pytest.approx(5.0)

    report = fleet.limits.report()
    assert (report.requests, report.seconds, report.limit_rpm) == (2, 1.0, 60)
    assert report.line() == "2 LLM calls at 60.0/min (limit 60/min)"


def test_rate_report_says_when_there_is_no_limit_or_too_few_calls():
    assert RateReport(requests=1, seconds=0.0).line() == "1 LLM calls"
    assert RateReport(requests=4, seconds=1.5).line() == "4 LLM calls at 120.0/min (no limit)"
    assert RateReport(requests=4, seconds=1.5).as_dict()["achieved_rpm"] == 120.0


class Pong(BaseModel):
    n: int


def test_workers_share_one_run_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    with FakeOpenAI(lambda _request: Reply.json({"n": 1})) as fake:
        model = ModelOptions(
            model="openai/fake",
            api_base=fake.base_url,
            timeout_s=5,
            limits=UsageLimits(requests=3),
        )
        options = BatchOptions(cache_dir=tmp_path / "cache", model=model)
        limits = FleetLimits(limits=model.limits)
        workers = [worker_resources(options, InProcessFleet(limits)) for _ in range(2)]
        clients = [LLMClient(w.llm) for w in workers if w.llm is not None]

        async def ask(client: LLMClient, text: str) -> None:
            messages = [{"role": "user", "content": text}]
            await client.ask(messages, Pong, schema_version="1", usage=Usage())

        asyncio.run(ask(clients[0], "a"))
        asyncio.run(ask(clients[1], "b"))
        asyncio.run(ask(clients[0], "c"))
        # Each worker alone has spent less than the budget; the fleet has spent all of it.
        with pytest.raises(BudgetExceeded, match="run budget of 3 LLM requests"):
            asyncio.run(ask(clients[1], "d"))
        assert len(fake.requests) == 3
    assert limits.used().llm_requests == 3
    assert limits.report().requests == 3


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    write(tmp_path / "svc", service_files("svc", tested=False))
    path = tmp_path / "repos.txt"
    path.write_text("svc\n")
    return path


def run(manifest: Path, *args: str) -> tuple[int, str]:
    out = manifest.parent / "out"
    result = CliRunner().invoke(app, [str(manifest), "--out", str(out), *args])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--executor", "lambda"], "--executor must be local or ray"),
        (["--ray-address", "127.0.0.1:6379"], "--ray-address needs --executor ray"),
        (["--chroma-url", "ftp://127.0.0.1:8000"], "--chroma-url must look like http://HOST:PORT"),
        (["--chroma-url", "http://127.0.0.1:{port}"], "cannot reach the ChromaDB server at"),
        (
            ["--executor", "ray", "--model", "openai/gpt-4o-mini"],
            "--executor ray with a model needs --chroma-url",
        ),
        (
            ["--executor", "ray", "--ray-address", "127.0.0.1:{port}"],
            "cannot reach the Ray cluster at 127.0.0.1:",
        ),
    ],
)
def test_bad_cluster_options_exit_2_in_one_line(manifest: Path, args: list[str], message: str):
    port = str(free_port())  # nothing listens there
    code, output = run(manifest, *[arg.replace("{port}", port) for arg in args])
    assert code == 2, output
    assert message in output and "Traceback" not in output
    assert len(output.strip().splitlines()) == 1
    assert not (manifest.parent / "out" / "summary.md").exists()


def test_without_ray_installed_the_error_names_the_extra(
    manifest: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setitem(sys.modules, "ray", None)  # what `import ray` sees when it is absent
    code, output = run(manifest, "--executor", "ray")
    assert code == 2
    assert output.strip() == (
        "error: --executor ray needs Ray, an optional extra: pip install 'readiness[ray]'"
    )
    # The default executor needs no Ray.
    code, output = run(manifest)
    assert code == 0, output
    assert "1 assessed" in output
