"""The client's guards, observed at a real HTTP server: retries, errors, cache, budgets, rate."""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.errors import AuthenticationFailed, BadRequest, ProviderUnavailable, RateLimited
from pipeline.judge.base import QuestionInput
from pipeline.judge.llm_judge import LLMJudge, LLMShared
from pipeline.llm.breaker import CircuitBreaker, ProviderDown
from pipeline.llm.client import LLMClient
from pipeline.llm.limiter import RateLimiter
from pipeline.options import ModelOptions, UsageLimits
from pipeline.schemas import QuestionJudgement, Usage
from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.llm.conftest import answer as answer_of
from tests.llm.conftest import item as item_of

# Questions of medium or low weight answered "no" with their search: one call each, no
# adversary, so every request a test sees is the client's doing.
QUESTIONS = (
    "security.secret_file_permissions",
    "reliability.file_locking",
    "data.retention",
    "testing.mocks_external",
    "testing.concurrency",
    "observability.metrics",
)


def answer() -> dict:
    return answer_of("no", searched="file writes in src/", severity="medium")


def item(repo: Path, question_id: str = QUESTIONS[0]) -> QuestionInput:
    return item_of(repo, question_id)


def judge_once(
    options: ModelOptions, cache: Path, judge_item: QuestionInput
) -> tuple[QuestionJudgement, Usage]:
    judge = LLMJudge(options, LLMShared.create(options, cache))
    judgement = asyncio.run(judge.answer(judge_item))
    return judgement, judgement.answer.usage or Usage()


def test_429_with_retry_after_is_retried_after_the_wait(
    fake_openai: FakeOpenAI, fake_model_options: ModelOptions, repo: Path, tmp_path: Path
) -> None:
    fake_openai.script(Reply.error(429, retry_after=1), Reply.json(answer()))
    judgement, usage = judge_once(fake_model_options, tmp_path / "cache", item(repo))
    first, second = fake_openai.requests
    assert second.at - first.at >= 0.95
    assert usage.retries == 1 and usage.llm_requests == 2
    assert judgement.findings


def test_429_without_retry_after_backs_off_and_retries(
    fake_openai: FakeOpenAI, fake_model_options: ModelOptions, repo: Path, tmp_path: Path
) -> None:
    fake_openai.script(Reply.error(429), Reply.error(429), Reply.json(answer()))
    judgement, usage = judge_once(fake_model_options, tmp_path / "cache", item(repo))
    assert len(fake_openai.requests) == 3 and usage.retries == 2
    assert judgement.findings


def test_server_errors_500_and_503_are_retried(
    fake_openai: FakeOpenAI, fake_model_options: ModelOptions, repo: Path, tmp_path: Path
) -> None:
    fake_openai.script(Reply.error(500), Reply.error(503), Reply.json(answer()))
    _, usage = judge_once(fake_model_options, tmp_path / "cache", item(repo))
    assert len(fake_openai.requests) == 3 and usage.retries == 2


def test_a_slow_answer_times_out_and_is_retried(
    fake_openai: FakeOpenAI, fake_model_options: ModelOptions, repo: Path, tmp_path: Path
) -> None:
    fake_openai.script(Reply.json(answer(), delay_s=3), Reply.json(answer()))
    options = replace(fake_model_options, timeout_s=0.5)
    started = time.monotonic()
    judgement, usage = judge_once(options, tmp_path / "cache", item(repo))
    assert time.monotonic() - started < 2.5
    assert len(fake_openai.requests) == 2 and usage.retries == 1
    assert judgement.findings


def test_a_provider_that_stays_down_leaves_the_question_undetermined_after_the_retries(
    fake_openai: FakeOpenAI, fake_model_options: ModelOptions, repo: Path, tmp_path: Path
) -> None:
    fake_openai.responder = lambda _req: Reply.error(503)
    options = replace(fake_model_options, max_retries=2)
    judgement, usage = judge_once(options, tmp_path / "cache", item(repo))
    assert len(fake_openai.requests) == 3
    assert judgement.answer.status == "open" and judgement.answer.answer == "cannot_determine"
    assert "provider unavailable after our retries" in judgement.answer.reason
    assert usage.provider_error and "503" in usage.provider_error
    assert judgement.answer.pointers, "the reviewer still gets where to look"


def test_rate_limited_beyond_the_retries_is_its_own_error(
    fake_openai: FakeOpenAI, fake_model_options: ModelOptions, repo: Path, tmp_path: Path
) -> None:
    fake_openai.responder = lambda _req: Reply.error(429, retry_after=0)
    options = replace(fake_model_options, max_retries=1)
    client = LLMClient(LLMShared.create(options, tmp_path / "cache"))
    with pytest.raises(RateLimited):
        asyncio.run(client.complete([{"role": "user", "content": "hi"}], {}, Usage()))
    assert len(fake_openai.requests) == 2
    judgement, usage = judge_once(options, tmp_path / "cache", item(repo))
    assert usage.provider_error and "still rate limited" in usage.provider_error


def test_the_breaker_opens_after_three_failed_questions_and_sends_nothing_more(
    fake_openai: FakeOpenAI, fake_model_options: ModelOptions, repo: Path, tmp_path: Path
) -> None:
    fake_openai.responder = lambda _req: Reply.error(503, retry_after=0)
    options = replace(fake_model_options, max_retries=1)
    shared = LLMShared.create(options, tmp_path / "cache")
    judge = LLMJudge(options, shared)

    async def one_by_one() -> list[QuestionJudgement]:
        return [await judge.answer(item(repo, q)) for q in QUESTIONS]

    judged = asyncio.run(one_by_one())
    assert len(fake_openai.requests) == 3 * 2  # three questions, each tried and retried
    assert ["not asked" in j.answer.reason for j in judged] == [False] * 3 + [True] * 3
    assert all(j.answer.answer == "cannot_determine" for j in judged)


def test_a_breaker_lets_one_call_through_after_its_cooldown_and_closes_on_success() -> None:
    now = [0.0]
    breaker = CircuitBreaker(threshold=2, cooldown_s=30, clock=lambda: now[0])
    breaker.failed("503")
    breaker.check("m")  # one failure: still closed
    breaker.failed("503")
    with pytest.raises(ProviderDown, match="2 questions in a row"):
        breaker.check("m")
    now[0] = 30.0
    breaker.check("m")  # cooled down: one call may try
    breaker.succeeded()
    breaker.failed("503")
    breaker.check("m")  # the count started again


@pytest.mark.parametrize(
    ("status", "error"),
    [(401, AuthenticationFailed), (403, AuthenticationFailed), (400, BadRequest)],
)
def test_auth_and_bad_request_errors_fail_at_once(
    fake_openai: FakeOpenAI,
    fake_model_options: ModelOptions,
    repo: Path,
    tmp_path: Path,
    status: int,
    error: type[Exception],
) -> None:
    fake_openai.responder = lambda _req: Reply.error(status)
    with pytest.raises(error):
        judge_once(fake_model_options, tmp_path / "cache", item(repo))
    assert len(fake_openai.requests) == 1


def test_a_second_run_on_unchanged_evidence_makes_no_request(
    fake_openai: FakeOpenAI, fake_model_options: ModelOptions, repo: Path, tmp_path: Path
) -> None:
    fake_openai.script(Reply(content="not json"), Reply.json(answer()))
    first, _ = judge_once(fake_model_options, tmp_path / "cache", item(repo))
    assert len(fake_openai.requests) == 2
    second, usage = judge_once(fake_model_options, tmp_path / "cache", item(repo))
    assert len(fake_openai.requests) == 2
    assert usage.cache_hits == 1 and usage.llm_requests == 0
    # The same answer and findings; only what it cost this time differs.
    assert second.findings == first.findings
    assert second.answer.model_copy(update={"usage": None}) == first.answer.model_copy(
        update={"usage": None}
    )
    # Changed evidence is a new question.
    (repo / "src" / "app.py").write_text((repo / "src" / "app.py").read_text() + "\n# more\n")
    fake_openai.script(Reply.json(answer()))
    judge_once(fake_model_options, tmp_path / "cache", item(repo))
    assert len(fake_openai.requests) == 3


def test_errors_are_never_cached(
    fake_openai: FakeOpenAI, fake_model_options: ModelOptions, repo: Path, tmp_path: Path
) -> None:
    fake_openai.script(Reply.error(400))
    with pytest.raises(BadRequest):
        judge_once(fake_model_options, tmp_path / "cache", item(repo))
    fake_openai.script(Reply.json(answer()))
    judgement, usage = judge_once(fake_model_options, tmp_path / "cache", item(repo))
    assert usage.cache_hits == 0 and len(fake_openai.requests) == 2
    assert judgement.findings


def test_a_spent_repo_budget_stops_calls_and_says_so(
    fake_openai: FakeOpenAI, fake_model_options: ModelOptions, repo: Path, tmp_path: Path
) -> None:
    fake_openai.responder = lambda _req: Reply(content="{broken")
    options = replace(fake_model_options, repo_limits=UsageLimits(requests=2))
    judgement, usage = judge_once(options, tmp_path / "cache", item(repo))
    assert len(fake_openai.requests) == 2  # the re-ask counted against the budget
    assert judgement.findings == [] and judgement.answer.status == "open"
    assert "budget" in judgement.answer.reason and "exhausted" in judgement.answer.reason
    assert usage.budget_exhausted == "repo budget of 2 LLM requests exhausted"


def test_the_run_budget_is_shared_by_every_repository(
    fake_openai: FakeOpenAI, fake_model_options: ModelOptions, repo: Path, tmp_path: Path
) -> None:
    fake_openai.responder = lambda _req: Reply.json(answer(), prompt_tokens=900)
    options = replace(fake_model_options, limits=UsageLimits(tokens=2500))
    shared = LLMShared.create(options, tmp_path / "cache")

    async def run() -> list[Usage]:
        results = []
        for question_id in QUESTIONS[:3]:  # each repository gets its own judge
            judge = LLMJudge(options, shared)
            judged = await judge.answer(item(repo, question_id))
            results.append(judged.answer.usage or Usage())
        return results

    usages = asyncio.run(run())
    assert len(fake_openai.requests) == 2
    assert usages[2].budget_exhausted is not None
    assert usages[2].budget_exhausted.startswith("run budget of 2500 tokens exhausted")


def test_the_limiter_keeps_a_concurrent_burst_under_the_rate(
    fake_openai: FakeOpenAI, fake_model_options: ModelOptions, repo: Path, tmp_path: Path
) -> None:
    # A burst allowance of 2, as providers have: client-side latency jitters arrival times.
    fake_openai.enforce_rate_limit(per_minute=120, burst=2)
    fake_openai.responder = lambda _req: Reply.json(answer())
    options = replace(fake_model_options, requests_per_minute=120)
    shared = LLMShared.create(options, tmp_path / "cache")

    async def burst() -> list[Usage]:
        judge = LLMJudge(options, shared)
        results = await asyncio.gather(*(judge.answer(item(repo, q)) for q in QUESTIONS))
        return [r.answer.usage or Usage() for r in results]

    usages = asyncio.run(burst())
    assert fake_openai.rejected == 0 and sum(u.retries for u in usages) == 0
    times = [r.at for r in fake_openai.requests]
    assert len(times) == 6
    # 120/min is one every half second; the first call may leave late (client set-up).
    assert all(later - earlier >= 0.45 for earlier, later in itertools.pairwise(times[1:]))


def test_tokens_per_minute_spaces_calls_by_their_tokens() -> None:
    now = [0.0]
    limiter = RateLimiter(tokens_per_minute=6000, clock=lambda: now[0])
    assert limiter.try_acquire(1000) == 0  # the first call goes at once
    assert limiter.try_acquire(1000) == pytest.approx(10.0)  # 1000 of 6000/min paid back
    now[0] = 10.0
    assert limiter.try_acquire(1000) == 0
    limiter.correct(estimated=1000, actual=3000)  # that call really took 3000 tokens
    assert limiter.try_acquire(10) == pytest.approx(30.0)


def test_tasks_that_wake_together_still_leave_one_interval_apart() -> None:
    now = [0.0]
    limiter = RateLimiter(requests_per_minute=600, clock=lambda: now[0])
    assert limiter.try_acquire() == 0
    waits = [limiter.try_acquire() for _ in range(3)]  # nothing is booked while waiting
    assert waits == [pytest.approx(0.1)] * 3
    now[0] = 5.0  # a stalled event loop wakes every waiting task at once
    assert [limiter.try_acquire() for _ in range(3)] == [0, pytest.approx(0.1), pytest.approx(0.1)]


def test_retry_after_pauses_every_task() -> None:
    now = [0.0]
    limiter = RateLimiter(requests_per_minute=600, clock=lambda: now[0])
    limiter.pause(2.0)
    assert limiter.try_acquire() == pytest.approx(2.0)
    now[0] = 2.0
    assert limiter.try_acquire() == 0


def test_a_server_that_is_not_running_is_unavailable_not_a_traceback(
    fake_model_options: ModelOptions, repo: Path, tmp_path: Path
) -> None:  # the judge turns this into an undetermined answer (test_faults)
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    options = replace(
        fake_model_options, api_base=f"http://127.0.0.1:{port}/v1", max_retries=1, timeout_s=2
    )
    client = LLMClient(LLMShared.create(options, tmp_path / "cache"))
    with pytest.raises(ProviderUnavailable, match="openai/fake"):
        asyncio.run(client.complete([{"role": "user", "content": "hi"}], {}, Usage()))


def test_a_429_halves_the_rate_once_per_interval_and_honours_retry_after() -> None:
    now = [0.0]
    limiter = RateLimiter(requests_per_minute=600, clock=lambda: now[0])
    limiter.throttled(retry_after=2.0)
    limiter.throttled(retry_after=2.0)  # a call already in flight: the same signal
    assert limiter.requests_per_minute == pytest.approx(300)
    assert limiter.try_acquire() == pytest.approx(2.0)  # every task waits Retry-After
    now[0] = 2.0
    assert limiter.try_acquire() == 0
    assert limiter.try_acquire() == pytest.approx(0.2)  # 300/min from now on
    now[0] = 2.5
    limiter.throttled()
    assert limiter.requests_per_minute == pytest.approx(150)


def test_after_a_slowdown_each_response_raises_the_rate_back_to_the_configured_one() -> None:
    now = [0.0]
    limiter = RateLimiter(requests_per_minute=20, clock=lambda: now[0])
    limiter.throttled()
    assert limiter.requests_per_minute == pytest.approx(10)
    for _ in range(4):
        limiter.correct(100, 100)
    assert limiter.requests_per_minute == pytest.approx(14)
    for _ in range(20):
        limiter.correct(100, 100)
    assert limiter.requests_per_minute == pytest.approx(20)  # never above --rpm


def test_without_a_configured_rate_a_429_limits_to_half_the_rate_achieved() -> None:
    now = [0.0]
    limiter = RateLimiter(clock=lambda: now[0])
    for step in range(10):  # ten calls in five seconds: 120 a minute
        now[0] = step * 0.5
        assert limiter.try_acquire() == 0
    now[0] = 5.0
    limiter.throttled()
    assert limiter.requests_per_minute == pytest.approx(60, rel=0.15)


def test_the_fleet_limiter_adapts_for_every_worker() -> None:
    from pipeline.batch.limits import FleetLimits, InProcessFleet, LimiterView

    now = [0.0]
    fleet = FleetLimits(requests_per_minute=60, clock=lambda: now[0])
    one, two = (LimiterView(InProcessFleet(fleet), 60) for _ in range(2))
    one.throttled(1.0)
    assert two.try_acquire() == pytest.approx(1.0)
    assert fleet.limiter.requests_per_minute == pytest.approx(30)
    two.correct(10, 10)
    assert fleet.limiter.requests_per_minute == pytest.approx(31)


@pytest.mark.slow
def test_a_provider_stricter_than_rpm_costs_a_few_429s_not_one_per_call(
    fake_openai: FakeOpenAI, fake_model_options: ModelOptions, tmp_path: Path
) -> None:
    """The provider allows 120 calls a minute, --rpm says 600. Without adapting, every call
    after a Retry-After pause is followed by a 429 (about one per accepted call); with AIMD
    the rate comes down in three halvings and stays near the provider's limit."""
    fake_openai.enforce_rate_limit(per_minute=120)
    fake_openai.responder = lambda _req: Reply(content="ok")
    options = replace(fake_model_options, requests_per_minute=600, max_retries=5)
    client = LLMClient(LLMShared.create(options, tmp_path / "cache"))
    calls = 24

    async def run() -> list[str]:
        gate = asyncio.Semaphore(4)

        async def one(n: int) -> str:
            async with gate:
                message = [{"role": "user", "content": f"call {n}"}]
                return await client.complete(message, {}, Usage())

        return await asyncio.gather(*(one(n) for n in range(calls)))

    assert asyncio.run(run()) == ["ok"] * calls
    assert len(fake_openai.requests) - fake_openai.rejected == calls
    assert fake_openai.rejected <= 8, fake_openai.rejected
