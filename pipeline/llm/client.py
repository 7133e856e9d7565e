"""The one place that talks to litellm.

Around every question, in this order: cache lookup → circuit breaker → budget check → rate
limiter →
``litellm.acompletion`` (its own retries off) → tenacity retries on retryable errors only
→ schema validation → the caller's check (citations, facts) → re-ask with the problems,
a bounded number of times. Accepted answers are cached; errors never are.
"""

from __future__ import annotations

import asyncio
import functools
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)

from pipeline.errors import (
    ProviderUnavailable,
    RateLimited,
    UnexpectedModelOutput,
)
from pipeline.llm.boundary import (
    is_rate_limit,
    is_retryable,
    map_provider_errors,
    retry_after_s,
)
from pipeline.llm.breaker import CircuitBreaker, ProviderDown
from pipeline.llm.budget import Budget
from pipeline.llm.cache import AnswerCache, answer_key
from pipeline.llm.limiter import RateLimiter
from pipeline.llm.structured import parse_answer, response_format_for
from pipeline.options import ModelOptions
from pipeline.schemas import Usage


@functools.cache
def _litellm() -> ModuleType:
    """litellm, imported on the first real call: importing it takes seconds, and a run whose
    answers all come from checkpoints or the answer cache never needs it."""
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # read at its import
    import litellm

    litellm.suppress_debug_info = True
    return litellm


T = TypeVar("T", bound=BaseModel)
Message = dict[str, Any]
# Expected completion length when estimating a call's tokens for the limiter and budget.
_COMPLETION_GUESS = 400
_backoff = wait_random_exponential(multiplier=0.5, max=20)


@dataclass
class Checked(Generic[T]):
    """The caller's verdict on an answer: what to keep, what to re-ask about, what it drops."""

    value: T
    problems: list[str] = field(default_factory=list)
    dropped: int = 0


@dataclass
class Answer(Generic[T]):
    value: T
    dropped: int = 0
    problems: list[str] = field(default_factory=list)
    cached: bool = False


@dataclass
class LLMShared:
    """What every judge of a process shares: one limiter, one run budget, one answer cache."""

    options: ModelOptions
    limiter: RateLimiter
    cache: AnswerCache
    run_budget: Budget
    breaker: CircuitBreaker = field(default_factory=CircuitBreaker)
    # litellm's first call spends seconds setting itself up before it sends: calls whose
    # slots were spaced would all leave together. So the first call goes alone.
    warmed: threading.Event = field(default_factory=threading.Event)
    _first: threading.Lock = field(default_factory=threading.Lock)

    async def first_call_alone(self) -> bool:
        """Wait while another task makes the first call; True when this task makes it."""
        while not self.warmed.is_set():
            if self._first.acquire(blocking=False):
                return True
            await asyncio.sleep(0.02)
        return False

    @classmethod
    def create(cls, options: ModelOptions, cache_dir: Path) -> LLMShared:
        return cls(
            options=options,
            limiter=RateLimiter(options.requests_per_minute, options.tokens_per_minute),
            cache=AnswerCache(cache_dir),
            run_budget=Budget(options.limits, "run"),
        )


class LLMClient:
    """Asks one model structured questions, counting usage into every ``meters`` record.

    Args:
        shared: The process-wide limiter, cache and run budget.
        budgets: Budgets checked before each call besides the run budget (the repo's).
    """

    def __init__(self, shared: LLMShared, budgets: list[Budget] | None = None) -> None:
        self.shared = shared
        self.options = shared.options
        self.budgets = [shared.run_budget, *(budgets or [])]

    def _meters(self, usage: Usage) -> list[Usage]:
        return [usage, *(b.used for b in self.budgets)]

    async def ask(
        self,
        messages: list[Message],
        answer_type: type[T],
        *,
        schema_version: str,
        usage: Usage,
        check: Callable[[T], Checked[T]] | None = None,
        reask: Callable[[list[str]], str] | None = None,
    ) -> Answer[T]:
        """An answer of ``answer_type``, re-asked with its problems at most ``max_reasks`` times.

        Raises:
            BudgetExceeded: a limit would be passed by the next call.
            ProviderError: the provider failed beyond our retries.
            UnexpectedModelOutput: no valid JSON for the schema after every re-ask.
        """
        schema = answer_type.model_json_schema()
        response_format, _ = response_format_for(
            self.options.model, self.options.api_base, answer_type.__name__, schema
        )
        params = self._params(response_format)
        key = answer_key(
            self.options.model, messages, f"{answer_type.__name__}@{schema_version}", params
        )
        hit = self.shared.cache.get(key)
        if hit is not None:
            for meter in self._meters(usage):
                meter.cache_hits += 1
            stored = answer_type.model_validate_json(hit["content"])
            again = check(stored) if check else Checked(stored)
            return Answer(again.value, int(hit.get("dropped", 0)) + again.dropped, [], True)

        conversation = list(messages)
        problems: list[str] = []
        checked: Checked[T] | None = None
        for attempt in range(self.options.max_reasks + 1):
            if attempt:
                for meter in self._meters(usage):
                    meter.reasks += 1
            content = await self.complete(conversation, params, usage)
            try:
                value = parse_answer(content, answer_type)
            except ValueError as exc:
                checked = None
                problems = [str(exc)]
            else:
                checked = check(value) if check else Checked(value)
                problems = checked.problems
                if not problems:
                    break
            if attempt < self.options.max_reasks:
                follow_up = reask(problems) if reask else "Problems: " + "; ".join(problems)
                conversation += [
                    {"role": "assistant", "content": content},
                    {"role": "user", "content": follow_up},
                ]
        if checked is None:
            raise UnexpectedModelOutput(
                f"{self.options.model} gave no valid answer after "
                f"{self.options.max_reasks} re-asks: {problems[0]}"
            )
        self.shared.cache.put(
            key, {"content": checked.value.model_dump_json(), "dropped": checked.dropped}
        )
        return Answer(checked.value, checked.dropped, problems)

    def _params(self, response_format: dict[str, Any]) -> dict[str, Any]:
        """Sampling parameters: they shape the answer, so they are part of the cache key."""
        return {
            "temperature": self.options.temperature,
            "seed": self.options.seed,
            "max_tokens": self.options.max_output_tokens,
            "response_format": response_format,
        }

    async def complete(self, messages: list[Message], params: dict[str, Any], usage: Usage) -> str:
        """One completion's text, through budget, limiter and retries; errors are ours."""
        opts = self.options
        estimate = _estimate_tokens(opts.model, messages) + min(
            _COMPLETION_GUESS, opts.max_output_tokens
        )
        retrying = AsyncRetrying(
            stop=stop_after_attempt(max(1, opts.max_retries + 1)),
            wait=self._wait,
            retry=retry_if_exception(is_retryable),
            before_sleep=lambda _state: self._count(usage, retries=1),
            reraise=True,
        )
        breaker = self.shared.breaker
        breaker.check(opts.model)
        try:
            with map_provider_errors(opts.model):
                response = await self._attempts(retrying, messages, params, usage, estimate)
        except ProviderDown:
            raise
        except (RateLimited, ProviderUnavailable) as exc:
            breaker.failed(str(exc))
            raise
        breaker.succeeded()
        return self._settle(response, estimate, usage)

    async def _attempts(
        self,
        retrying: AsyncRetrying,
        messages: list[Message],
        params: dict[str, Any],
        usage: Usage,
        estimate: int,
    ) -> Any:
        estimated_cost = _prompt_cost(self.options.model, estimate)
        async for attempt in retrying:
            with attempt:
                # Another task may have found the provider down while this one waited.
                self.shared.breaker.check(self.options.model)
                for budget in self.budgets:
                    budget.check(estimate, estimated_cost)
                first = await self.shared.first_call_alone()
                try:
                    await self.shared.limiter.acquire(estimate)
                    self._count(usage, llm_requests=1)
                    return await self._send(messages, params)
                finally:
                    if first:
                        self.shared.warmed.set()
        raise AssertionError("unreachable: tenacity re-raises the last error")

    async def _send(self, messages: list[Message], params: dict[str, Any]) -> Any:
        """The call itself; a Retry-After it carries holds every task, not just this one."""
        opts = self.options
        try:
            return await _litellm().acompletion(
                model=opts.model,
                messages=messages,
                api_base=opts.api_base,
                api_key=self._api_key(),
                timeout=opts.timeout_s,
                num_retries=0,
                max_retries=0,
                drop_params=True,
                **params,
            )
        except Exception as exc:  # noqa: BLE001 - re-raised; map_provider_errors maps it
            wait = retry_after_s(exc)
            if is_rate_limit(exc):
                self.shared.limiter.throttled(wait)  # slower from now on, not only this once
            elif wait is not None:
                self.shared.limiter.pause(wait)
            raise

    def _settle(self, response: Any, estimate: int, usage: Usage) -> str:
        """Record the response's real tokens and cost; return its text."""
        spent = getattr(response, "usage", None)
        prompt = int(getattr(spent, "prompt_tokens", 0) or 0)
        completion = int(getattr(spent, "completion_tokens", 0) or 0)
        self.shared.limiter.correct(estimate, prompt + completion)
        try:
            cost = float(_litellm().completion_cost(completion_response=response) or 0.0)
        except Exception:  # noqa: BLE001 - models missing from the offline cost map cost 0
            cost = 0.0
        self._count(usage, prompt_tokens=prompt, completion_tokens=completion, cost_usd=cost)
        try:
            content = response.choices[0].message.content
        except (AttributeError, IndexError):
            content = None
        return content or ""

    def _count(self, usage: Usage, **amounts: float) -> None:
        for meter in self._meters(usage):
            for name, amount in amounts.items():
                setattr(meter, name, getattr(meter, name) + amount)

    @staticmethod
    def _wait(state: RetryCallState) -> float:
        """Retry-After when the provider said it, else exponential backoff with jitter."""
        exc = state.outcome.exception() if state.outcome else None
        after = retry_after_s(exc) if exc else None
        return after if after is not None else _backoff(state)

    def _api_key(self) -> str | None:
        opts = self.options
        if opts.api_key_env:
            return os.environ.get(opts.api_key_env)
        if (
            opts.model.startswith("openai/")
            and opts.api_base
            and not os.environ.get("OPENAI_API_KEY")
        ):
            return "sk-no-key"  # local servers (llama.cpp, vLLM) ignore it; the SDK wants one
        return None


def _estimate_tokens(model: str, messages: list[Message]) -> int:
    try:
        return int(_litellm().token_counter(model=model, messages=messages))
    except Exception:  # noqa: BLE001 - any tokenizer trouble falls back to a length estimate
        return sum(len(str(m.get("content", ""))) for m in messages) // 4 + 4 * len(messages)


def _prompt_cost(model: str, tokens: int) -> float:
    try:
        prompt_cost, _ = _litellm().cost_per_token(model=model, prompt_tokens=tokens)
    except Exception:  # noqa: BLE001 - unknown models have no price: count them as free
        return 0.0
    return float(prompt_cost)
