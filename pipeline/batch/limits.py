"""One rate limit and one budget for every worker of a batch, wherever the workers run.

:class:`FleetLimits` owns the token buckets (a :class:`~pipeline.llm.limiter.RateLimiter`)
and the spend (a :class:`~pipeline.llm.budget.Budget`). A local batch keeps it in its own
process; on a Ray cluster the same class runs as one actor that every worker calls, so a
fleet of any size starts calls no faster than the provider's limit and stops at the budget.

The LLM client does not know: it is handed a :class:`LimiterView` and a :class:`BudgetView`,
a ``RateLimiter`` and a ``Budget`` whose state lives in the ``FleetLimits``. The limiter's
clock is the one of the process that holds the ``FleetLimits``, so workers' clocks never
need to agree.

The fleet counts a call against the budget when it lets the call start (requests) and when
the call's response says its tokens, as one process does; only its dollars (priced by the
worker) arrive with the worker's next call or at the end of its repository.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from pipeline.errors import BudgetExceeded
from pipeline.llm.budget import Budget
from pipeline.llm.limiter import RateLimiter
from pipeline.options import UsageLimits
from pipeline.schemas import Usage


@dataclass(frozen=True)
class RateReport:
    """What the fleet's LLM calls achieved against the limit, from the first call to the last."""

    requests: int = 0
    tokens: int = 0
    seconds: float = 0.0
    limit_rpm: float | None = None
    limit_tpm: float | None = None

    @property
    def achieved_rpm(self) -> float | None:
        """Calls started per minute; None with fewer than two calls."""
        if self.requests < 2 or self.seconds <= 0:
            return None
        return (self.requests - 1) / self.seconds * 60

    @property
    def achieved_tpm(self) -> float | None:
        if self.requests < 2 or self.seconds <= 0:
            return None
        return self.tokens / self.seconds * 60

    def line(self) -> str:
        """One line for people: ``120 LLM calls at 58.9/min (limit 60/min)``."""
        text = f"{self.requests} LLM calls"
        if self.achieved_rpm is not None:
            limit = f"limit {self.limit_rpm:g}/min" if self.limit_rpm else "no limit"
            text += f" at {self.achieved_rpm:.1f}/min ({limit})"
        if self.achieved_tpm is not None and self.limit_tpm:
            text += f", {self.achieved_tpm:.0f} tokens/min (limit {self.limit_tpm:g}/min)"
        return text

    def as_dict(self) -> dict[str, Any]:
        def rounded(value: float | None) -> float | None:
            return None if value is None else round(value, 1)

        return {
            "requests": self.requests,
            "tokens": self.tokens,
            "seconds": round(self.seconds, 2),
            "achieved_rpm": rounded(self.achieved_rpm),
            "limit_rpm": self.limit_rpm,
            "achieved_tpm": rounded(self.achieved_tpm),
            "limit_tpm": self.limit_tpm,
        }


class FleetLimits:
    """The shared state: a rate limiter, a run budget and a log of the calls it let start.

    Args:
        requests_per_minute: The fleet's request limit (None: unlimited).
        tokens_per_minute: The fleet's token limit (None: unlimited).
        limits: The fleet's budget (requests, tokens, dollars).
        clock: Monotonic seconds.
    """

    def __init__(
        self,
        requests_per_minute: float | None = None,
        tokens_per_minute: float | None = None,
        limits: UsageLimits | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limiter = RateLimiter(requests_per_minute, tokens_per_minute, clock=clock)
        self.budget = Budget(limits or UsageLimits(), "run")
        self._limits = (requests_per_minute, tokens_per_minute)
        self._clock = clock
        self._granted = 0
        self._tokens = 0
        self._first: float | None = None
        self._last: float | None = None

    def try_acquire(self, tokens: int = 0) -> float:
        """A slot for one call now (0.0), or the seconds to wait before asking again."""
        wait = self.limiter.try_acquire(tokens)
        if wait == 0.0:
            now = self._clock()
            self._granted += 1
            self._first = now if self._first is None else self._first
            self._last = now
            self.budget.used.llm_requests += 1  # the call starts now: it counts now
        return wait

    def correct(self, estimated: int, actual: int) -> None:
        """A call's real token count, once its response said it."""
        self.limiter.correct(estimated, actual)
        self._tokens += actual
        # Only the total is known here; the budget limits prompt plus completion tokens.
        self.budget.used.prompt_tokens += actual

    def pause(self, seconds: float) -> None:
        """The provider said Retry-After: every worker waits."""
        self.limiter.pause(seconds)

    def throttled(self, retry_after: float | None) -> None:
        """The provider answered 429: the whole fleet slows down (and waits Retry-After)."""
        self.limiter.throttled(retry_after)

    def spend(self, cost_usd: float) -> None:
        """Add dollars a worker spent since its last report."""
        self.budget.used.cost_usd += cost_usd

    def check(self, cost_usd: float = 0.0, tokens: int = 0, cost: float = 0.0) -> str | None:
        """Add ``cost_usd``; then why a next call of ``tokens`` and ``cost`` would pass the
        budget, or None."""
        self.spend(cost_usd)
        try:
            self.budget.check(tokens, cost)
        except BudgetExceeded as exc:
            return str(exc)
        return None

    def used(self) -> Usage:
        """The fleet's spend as reported so far."""
        return self.budget.used.model_copy()

    def report(self) -> RateReport:
        span = (self._last - self._first) if self._first is not None and self._last else 0.0
        rpm, tpm = self._limits
        return RateReport(self._granted, self._tokens, span, rpm, tpm)


class FleetHandle(Protocol):
    """How a worker reaches the batch's :class:`FleetLimits`: in its process, or an actor."""

    def try_acquire(self, tokens: int) -> float: ...

    def correct(self, estimated: int, actual: int) -> None: ...

    def pause(self, seconds: float) -> None: ...

    def throttled(self, retry_after: float | None) -> None: ...

    def spend(self, cost_usd: float) -> None: ...

    def check(self, cost_usd: float, tokens: int, cost: float) -> str | None: ...


class InProcessFleet:
    """A :class:`FleetHandle` on a ``FleetLimits`` of this process (the local executor)."""

    def __init__(self, limits: FleetLimits) -> None:
        self.limits = limits

    def try_acquire(self, tokens: int) -> float:
        return self.limits.try_acquire(tokens)

    def correct(self, estimated: int, actual: int) -> None:
        self.limits.correct(estimated, actual)

    def pause(self, seconds: float) -> None:
        self.limits.pause(seconds)

    def throttled(self, retry_after: float | None) -> None:
        self.limits.throttled(retry_after)

    def spend(self, cost_usd: float) -> None:
        self.limits.spend(cost_usd)

    def check(self, cost_usd: float, tokens: int, cost: float) -> str | None:
        return self.limits.check(cost_usd, tokens, cost)


class LimiterView(RateLimiter):
    """The LLM client's rate limiter, taking its slots from the fleet's.

    Only the slot-taking methods are redirected: ``acquire`` (inherited) waits between
    asks exactly as the local limiter does, so a fleet behaves like one process.
    ``try_acquire`` blocks for one round trip to the fleet (well under a millisecond on a
    cluster's network): small next to a model call, and it keeps ``RateLimiter``'s contract.
    """

    def __init__(
        self,
        fleet: FleetHandle,
        requests_per_minute: float | None = None,
        tokens_per_minute: float | None = None,
    ) -> None:
        super().__init__(requests_per_minute, tokens_per_minute)
        self.fleet = fleet

    def try_acquire(self, tokens: int = 0) -> float:
        # Asked even without a limit: the fleet counts every call for the rate report.
        return self.fleet.try_acquire(tokens)

    def correct(self, estimated: int, actual: int) -> None:
        self.fleet.correct(estimated, actual)

    def pause(self, seconds: float) -> None:
        self.fleet.pause(seconds)

    def throttled(self, retry_after: float | None = None) -> None:
        self.fleet.throttled(retry_after)


class BudgetView(Budget):
    """The run budget as one worker sees it: checked against the whole fleet's spend.

    ``used`` counts this worker's calls (the client adds to it). Requests and tokens reach
    the fleet through the limiter; the dollars, priced here, go with each check.
    """

    def __init__(self, fleet: FleetHandle, limits: UsageLimits) -> None:
        super().__init__(limits, "run")
        self.fleet = fleet
        self._reported_cost = 0.0

    def check(self, estimated_tokens: int = 0, estimated_cost: float = 0.0) -> None:
        if self.exhausted is None:
            cost = self.unreported_cost()
            self.exhausted = self.fleet.check(cost, estimated_tokens, estimated_cost)
        if self.exhausted is not None:
            raise BudgetExceeded(self.exhausted)

    def flush(self) -> None:
        """Send the dollars not reported yet (a repository ended)."""
        cost = self.unreported_cost()
        if cost:
            self.fleet.spend(cost)

    def unreported_cost(self) -> float:
        """Dollars this worker spent since its last report, now marked reported."""
        cost = self.used.cost_usd - self._reported_cost
        self._reported_cost = self.used.cost_usd
        return cost
