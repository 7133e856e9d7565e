"""Provider faults through the whole pipeline, each with the fake server over real HTTP.

Whatever the provider does (refuses connections, answers 503 or 429 forever, hangs past the
timeout, sends garbage), the run writes its report, marks each question it could not answer
``cannot_determine`` with the reason, and says it is incomplete (``usage.provider_error``:
``readiness assess`` exits 1). A re-run once the provider is back sends only the questions
that were missing: what was answered is served from its checkpoint.
"""

from __future__ import annotations

import re
import shutil
import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.options import AssessOptions, ModelOptions
from pipeline.rubric.questions import questions as all_questions
from pipeline.runner import assess
from pipeline.schemas import Report
from tests.fakes.openai_server import FakeOpenAI, Reply, Request, citing_responder
from tests.llm.test_assess_llm import small_repo

pytestmark = pytest.mark.slow

# Without the configuration and data probes, six questions stay open for the model.
IGNORE = ("CFG", "DAT")
_ASKED = re.compile(r"^Question \([^,]+, (?P<id>[\w.]+)\):", re.MULTILINE)


@pytest.fixture(scope="module")
def warm(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    """The repository, a cache whose retrieval is done (an offline run), its open questions."""
    root = tmp_path_factory.mktemp("faults")
    repo = small_repo(root / "small")
    cache = root / "cache"
    options = AssessOptions(path=repo, out=root / "offline", cache_dir=cache, ignore=IGNORE)
    report = assess(options).report
    # In the order the judge asks them: the first two are answered before a fault that
    # opens the breaker can keep them from being sent.
    open_ids = [q.id for q in report.questions if q.status == "open"]
    assert len(open_ids) >= 4, open_ids  # enough to see the breaker and a partial re-run
    return repo, cache, open_ids


def asked_about(request: Request) -> str:
    """The question a request is about (its question prompt, or the adversary's)."""
    text = request.prompt_text
    found = _ASKED.search(text)
    if found:
        return found["id"]
    match = re.search(r'answered the question "(?P<ask>[^"]+)"', text)
    assert match, text[:300]
    ask = match["ask"]
    return next(q.id for q in all_questions() if q.ask == ask)


def run(
    warm: tuple[Path, Path, list[str]], tmp_path: Path, model: ModelOptions, out: str
) -> Report:
    repo, cache, _ = warm
    mine = tmp_path / "cache"
    if not mine.exists():
        shutil.copytree(cache, mine)
    options = AssessOptions(
        path=repo, out=tmp_path / out, cache_dir=mine, model=model, ignore=IGNORE
    )
    return assess(options).report


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def healthy_for(answered: set[str], fault: Reply) -> Callable[[Request], Reply]:
    """Answers the questions in ``answered`` well; every other request gets ``fault``."""

    def respond(request: Request) -> Reply:
        return citing_responder(request) if asked_about(request) in answered else fault

    return respond


FAULTS = {
    "503-forever": Reply.error(503, retry_after=0),
    "429-forever": Reply.error(429, retry_after=0),
    "hang": Reply(content="{}", delay_s=4.0),  # the client gives up after 1 s
    "garbage-body": Reply.garbage(),
    "garbage-json": Reply(content="I think the answer is yes, probably."),
}


@pytest.mark.parametrize("fault", list(FAULTS), ids=list(FAULTS))
def test_a_fault_writes_the_report_marks_the_questions_and_a_rerun_sends_only_them(
    warm: tuple[Path, Path, list[str]], tmp_path: Path, fault: str
) -> None:
    _, _, open_ids = warm
    answered = set(open_ids[:2])
    with FakeOpenAI(healthy_for(answered, FAULTS[fault])) as fake:
        model = ModelOptions(
            model="openai/fake",
            api_base=fake.base_url,
            timeout_s=1.0,
            max_retries=1,
            concurrency=2,
        )
        with pytest.MonkeyPatch.context() as env:
            env.setenv("OPENAI_API_KEY", "sk-test")
            report = run(warm, tmp_path, model, "first")

            written = Report.model_validate_json((tmp_path / "first" / "report.json").read_text())
            assert written.usage.provider_error, "the report says the run is incomplete"
            faulted = {q.id for q in written.questions if q.usage and q.usage.provider_error}
            assert faulted == set(open_ids) - answered
            for q in written.questions:
                if q.id in faulted:
                    assert q.status == "open" and q.answer == "cannot_determine"
                    assert q.reason.startswith("not answered (")
            markdown = (tmp_path / "first" / "report.md").read_text()
            reviewer = markdown.split("## For the reviewer")[1].split("\n## ")[0]
            assert "Incomplete run" in reviewer
            assert all(
                q.ask in reviewer and q.reason[:60] in reviewer
                for q in written.questions
                if q.id in faulted
            )
            assert report.usage.provider_error == written.usage.provider_error

            # The provider is back: only what was missing is asked.
            sent_before = len(fake.requests)
            fake.responder = citing_responder
            again = run(warm, tmp_path, model, "second")
    resent = fake.requests[sent_before:]
    assert resent and {asked_about(r) for r in resent} == faulted
    assert again.usage.provider_error is None
    assert not any(q.usage and q.usage.provider_error for q in again.questions)
    first = {q.id: q for q in written.questions}
    for q in again.questions:
        if q.id in answered:
            assert q == first[q.id], "an answer given before is served from its checkpoint"


def test_a_provider_that_refuses_connections_is_given_up_on_after_three_questions(
    warm: tuple[Path, Path, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Connection refused: the report is still written, every question says why, and the
    questions after the breaker opened were not even tried (no wait for their retries)."""
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    _, _, open_ids = warm
    port = closed_port()
    model = ModelOptions(
        model="openai/fake",
        api_base=f"http://127.0.0.1:{port}/v1",
        timeout_s=1.0,
        max_retries=1,
        concurrency=1,
    )
    report = run(warm, tmp_path, model, "first")
    assert (tmp_path / "first" / "report.json").is_file()
    reasons = [q.reason for q in report.questions if q.id in open_ids]
    assert all(q.answer == "cannot_determine" for q in report.questions if q.id in open_ids)
    tried = [r for r in reasons if "not asked" not in r]
    assert len(tried) == 3 and len(reasons) == len(open_ids)
    assert report.usage.llm_requests == 3 * 2  # three questions, each tried once and retried

    # Back on the same port: only the missing questions, all of them, are asked.
    with FakeOpenAI(citing_responder, port=port) as fake:
        again = run(warm, tmp_path, model, "second")
    assert {asked_about(r) for r in fake.requests} == set(open_ids)
    assert again.usage.provider_error is None


def test_the_breaker_stops_asking_a_provider_that_answers_503_to_everything(
    warm: tuple[Path, Path, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    _, _, open_ids = warm
    with FakeOpenAI(lambda _request: Reply.error(503, retry_after=0)) as fake:
        model = ModelOptions(
            model="openai/fake", api_base=fake.base_url, max_retries=2, concurrency=1
        )
        report = run(warm, tmp_path, model, "first")
    # Three questions of three attempts each; the rest were not sent.
    assert len(fake.requests) == 9 < len(open_ids) * 3
    not_asked = [q for q in report.questions if "not asked" in q.reason]
    assert len(not_asked) == len(open_ids) - 3


def test_assess_exits_1_with_a_one_line_reason_and_the_report_written(
    warm: tuple[Path, Path, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, cache, _ = warm
    shutil.copytree(cache, tmp_path / "cache")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("READINESS_CACHE_DIR", str(tmp_path / "cache"))
    with FakeOpenAI(lambda _request: Reply.error(503, retry_after=0)) as fake:
        result = CliRunner().invoke(
            app,
            ["assess", str(repo), "--out", str(tmp_path / "out"), "--model", "openai/fake"]
            + ["--api-base", fake.base_url, "--concurrency", "1", "--ignore", "CFG,DAT"],
        )
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.startswith("incomplete:")]
    assert len(lines) == 1 and "503" in lines[0] and "run again" in lines[0]
    assert (tmp_path / "out" / "report.json").is_file()
    assert "Provider trouble" in (tmp_path / "out" / "report.md").read_text()


def test_a_provider_limit_below_rpm_slows_the_run_down_instead_of_failing_it(
    warm: tuple[Path, Path, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The provider allows 30 requests a minute; --rpm says 600. The limiter halves its
    rate on each 429 and honours Retry-After: every question is answered, with few 429s."""
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    with FakeOpenAI(citing_responder) as fake:
        fake.enforce_rate_limit(30)
        model = ModelOptions(
            model="openai/fake",
            api_base=fake.base_url,
            requests_per_minute=600,
            concurrency=4,
            max_retries=3,
        )
        report = run(warm, tmp_path, model, "first")
    assert report.usage.provider_error is None
    answered = [q for q in report.questions if q.source == "llm"]
    assert answered and all(q.usage and not q.usage.provider_error for q in answered)
    # 600 → 300 → 150 → 75 → 37 → 18 a minute: five 429s to come down to the provider's
    # limit (test_client shows the difference adapting makes over a longer run).
    assert fake.rejected <= 8, fake.rejected
