"""``readiness batch --executor ray`` on a real two-node Ray cluster and a real ``chroma run``.

The same generated fleet is assessed twice through the fake provider, which enforces a
rate limit of its own: once locally (one process, ChromaDB on disk) and once on the
cluster (two worker nodes on loopback, the index in the ChromaDB server). During the
cluster run a test thread kills the worker running ``victim`` once, mid-judge, and the
worker running ``doomed`` every time it starts.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from pipeline.batch.ray_executor import TASK_RETRIES
from pipeline.commands.batch import batch_command
from pipeline.schemas import Report
from tests.batch.cluster import ChromaServer, LoopbackRayCluster
from tests.batch.factories import service_files, write
from tests.fakes.openai_server import FakeOpenAI, Reply, Request, citing_responder

pytestmark = pytest.mark.slow

app = typer.Typer()
app.command()(batch_command)

PROVIDER_RPM = 120  # what the fake provider allows (burst 2), answering 429 beyond it
CLIENT_RPM = 90  # the fleet's limit, a margin under the provider's as users set it
NAMES = ("alpha", "beta", "alpha-fork", "victim", "doomed")
# What a summary row says about the assessment (not when, how long or on which worker).
ROW_KEYS = ("name", "overall_score", "status", "critical_gaps", "high_gaps", "scores", "verdicts")


@dataclass
class Run:
    code: int
    output: str
    out: Path
    rejected: int  # 429s the fake provider answered
    requests: list[Request] = field(default_factory=list)

    def summary(self) -> dict:
        return json.loads((self.out / "summary.json").read_text())

    def rows(self) -> dict[str, dict]:
        return {row["name"]: row for row in self.summary()["repos"]}

    def report(self, name: str) -> Report:
        return Report.model_validate_json((self.out / name / "report.json").read_bytes())


@dataclass
class Fleet:
    root: Path
    manifest: Path


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Fleet:
    root = tmp_path_factory.mktemp("cluster-fleet")
    write(root / "alpha", service_files("alpha", tested=True))
    write(root / "beta", service_files("beta", tested=False))
    # Content a fork shares with its origin is embedded once, whichever worker gets it.
    shutil.copytree(root / "alpha", root / "alpha-fork")
    write(root / "victim", service_files("victim", tested=True))
    write(root / "doomed", service_files("doomed", tested=False))
    manifest = root / "fleet.txt"
    manifest.write_text("".join(f"{name}\n" for name in NAMES))
    return Fleet(root, manifest)


def batch(fleet: Fleet, out: Path, cache: Path, fake: FakeOpenAI, *extra: str) -> tuple[int, str]:
    args = [str(fleet.manifest), "--out", str(out), "--cache-dir", str(cache)]
    args += ["--model", "openai/fake", "--api-base", fake.base_url, "--rpm", str(CLIENT_RPM)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("OPENAI_API_KEY", "sk-test")
        result = CliRunner().invoke(app, [*args, *extra])
    return result.exit_code, result.output


def provider(responder=citing_responder) -> FakeOpenAI:  # type: ignore[no-untyped-def]
    fake = FakeOpenAI(responder)
    fake.enforce_rate_limit(PROVIDER_RPM, burst=2)
    return fake


@pytest.fixture(scope="module")
def local_run(fleet: Fleet) -> Run:
    with provider() as fake:
        out = fleet.root / "out-local"
        code, output = batch(fleet, out, fleet.root / "cache-local", fake)
    return Run(code, output, out, fake.rejected, fake.requests)


@pytest.fixture(scope="module")
def cluster() -> Iterator[LoopbackRayCluster]:
    with LoopbackRayCluster(cpus=(1, 1)) as started:
        yield started
    assert not started.alive(), "the cluster's processes outlived its stop"


@pytest.fixture(scope="module")
def chroma(fleet: Fleet) -> Iterator[ChromaServer]:
    with ChromaServer(fleet.root / "chroma-server") as server:
        yield server
    assert server.process is not None and server.process.poll() is not None


class Killer:
    """Kills this cluster's worker running ``victim`` once (once it is waiting on the
    provider) and the one running ``doomed`` every time it starts."""

    def __init__(self, cluster: LoopbackRayCluster) -> None:
        self.cluster = cluster
        self.victim_asking = threading.Event()
        self.victim_killed: list[int] = []
        self.doomed_killed: list[int] = []
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def responder(self, request: Request) -> Reply:
        # The victim's questions wait (at most a minute) until its worker is dead.
        if "Repository: victim" in request.prompt_text and not self.victim_killed:
            self.victim_asking.set()
            return Reply.json({}, delay_s=60)
        return citing_responder(request)

    def run(self) -> None:
        while not self.done.wait(0.1):
            for pid in self.cluster.processes_running("assess:doomed"):
                os.kill(pid, signal.SIGKILL)
                self.doomed_killed.append(pid)
            if self.victim_asking.is_set() and not self.victim_killed:
                for pid in self.cluster.processes_running("assess:victim"):
                    os.kill(pid, signal.SIGKILL)
                    self.victim_killed.append(pid)

    def __enter__(self) -> Killer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def cluster_provider() -> Iterator[FakeOpenAI]:
    # One server for the cluster's runs: its address is part of what a re-run may reuse.
    with provider() as fake:
        yield fake


def cluster_batch(
    fleet: Fleet, out: Path, cluster: LoopbackRayCluster, chroma: ChromaServer, fake: FakeOpenAI
) -> tuple[int, str]:
    extra = ["--executor", "ray", "--ray-address", cluster.address, "--chroma-url", chroma.url]
    return batch(fleet, out, fleet.root / "cache-cluster", fake, *extra)


@pytest.fixture(scope="module")
def cluster_run(
    fleet: Fleet, cluster: LoopbackRayCluster, chroma: ChromaServer, cluster_provider: FakeOpenAI
) -> tuple[Run, Killer]:
    fake = cluster_provider
    out = fleet.root / "out-cluster"
    with Killer(cluster) as killer:
        fake.responder = killer.responder
        code, output = cluster_batch(fleet, out, cluster, chroma, fake)
        fake.responder = citing_responder
    return Run(code, output, out, fake.rejected, list(fake.requests)), killer


def test_a_cluster_batch_summarises_as_a_local_one_under_one_rate_limit(
    local_run: Run, cluster_run: tuple[Run, Killer]
):
    run, _ = cluster_run
    assert local_run.code == 0, local_run.output
    assert run.code == 1, run.output  # doomed failed
    assert "4 assessed, 0 reused, 1 failed" in run.output
    local, remote = local_run.rows(), run.rows()
    for name in ("alpha", "beta", "alpha-fork", "victim"):
        assert remote[name]["run_status"] == "assessed"
        assert {k: remote[name][k] for k in ROW_KEYS} == {k: local[name][k] for k in ROW_KEYS}
        assert run.report(name).findings == local_run.report(name).findings, name
    # The fake judge answered every repository: the LLM path really ran on the workers.
    assert all(run.report(name).usage.llm_requests > 0 for name in ("alpha", "beta"))
    # Two workers, one limit: the provider never had to refuse a call.
    assert local_run.rejected == 0 and run.rejected == 0
    rate = run.summary()["llm_rate"]
    assert rate["limit_rpm"] == CLIENT_RPM and rate["requests"] >= len(run.requests) > 0
    assert f"(limit {CLIENT_RPM}/min)" in run.output
    workers = {remote[name]["worker"] for name in ("alpha", "beta", "alpha-fork", "victim")}
    assert len(workers) >= 2, "the repositories all ran in one worker process"


def test_a_killed_workers_repository_is_retried_and_finished(
    local_run: Run, cluster_run: tuple[Run, Killer]
):
    run, killer = cluster_run
    assert len(killer.victim_killed) == 1, "the victim's worker was never killed"
    row = run.rows()["victim"]
    assert row["run_status"] == "assessed"
    assert not row["worker"].endswith(f":{killer.victim_killed[0]}")
    assert row["overall_score"] == local_run.rows()["victim"]["overall_score"]


def test_a_repository_whose_worker_keeps_dying_is_recorded_as_failed(
    cluster_run: tuple[Run, Killer],
):
    run, killer = cluster_run
    assert len(killer.doomed_killed) == TASK_RETRIES + 1
    row = run.rows()["doomed"]
    assert row["run_status"] == "failed"
    assert f"gave up after {TASK_RETRIES + 1} attempts on the cluster" in row["error"]
    assert "WorkerCrashedError" in row["error"]
    assert "doomed" in (run.out / "summary.md").read_text().split("## Failed")[1]


def test_a_rerun_on_the_cluster_redoes_only_what_did_not_finish(
    fleet: Fleet,
    cluster: LoopbackRayCluster,
    chroma: ChromaServer,
    cluster_provider: FakeOpenAI,
    cluster_run: tuple[Run, Killer],
):
    run, _ = cluster_run
    before = run.rows()
    asked_before = len(cluster_provider.requests)
    code, output = cluster_batch(fleet, run.out, cluster, chroma, cluster_provider)
    assert code == 0, output
    assert "1 assessed, 4 reused, 0 failed" in output
    # Only the repository that never finished asked the provider anything.
    asked = cluster_provider.requests[asked_before:]
    assert asked and all("Repository: doomed" in r.prompt_text for r in asked)
    after = run.rows()
    assert after["doomed"]["run_status"] == "assessed"
    for name in ("alpha", "beta", "alpha-fork", "victim"):
        assert after[name]["overall_score"] == before[name]["overall_score"]


def test_a_new_worker_finds_the_fleets_embeddings_in_the_server(
    fleet: Fleet, chroma: ChromaServer, cluster_run: tuple[Run, Killer], tmp_path: Path
):
    # Another copy of alpha, an empty cache folder: as a fresh machine joining the fleet.
    shutil.copytree(fleet.root / "alpha", tmp_path / "alpha-copy")
    manifest = tmp_path / "one.txt"
    manifest.write_text(f"{tmp_path / 'alpha-copy'}\n")
    with provider() as fake:
        args = [str(manifest), "--out", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "c")]
        args += ["--model", "openai/fake", "--api-base", fake.base_url, "--chroma-url", chroma.url]
        args += ["--rpm", str(CLIENT_RPM)]
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("OPENAI_API_KEY", "sk-test")
            result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    report = Report.model_validate_json((tmp_path / "out/alpha-copy/report.json").read_bytes())
    assert report.coverage.chunks > 0 and report.usage.llm_requests > 0
    assert report.usage.embeddings_computed == 0
