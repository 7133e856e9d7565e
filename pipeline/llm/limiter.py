"""A client-side rate limiter on requests and tokens per minute, shared by a whole process.

GCRA (the generic cell rate algorithm, a token bucket written as "the earliest time the
next call may start"): calls are spaced evenly at the configured rate with a small burst,
so a batch of concurrent tasks never bursts past a provider's limit. Token costs are
estimated before a call and corrected from the response's usage afterwards. A provider's
Retry-After pauses every task, not just the one that was told.

The request rate adapts to the provider (AIMD, as TCP's congestion window): a 429 halves it
(from the configured rate, or, with none configured, from the rate calls were actually
started at), at most once per interval so that a burst of 429s from calls already in flight
counts as one signal; each response that arrives afterwards raises it by one request per
minute, back up to the configured rate. A provider that allows fewer requests than
``--rpm`` says thus costs a few 429s while the rate comes down, then about one per
``rate / 2`` calls, instead of failing the run.

Slots are taken under a threading lock and waited for with ``asyncio.sleep``, so one
limiter serves every event loop and thread of the process.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque
from collections.abc import Callable

# The slowest a 429 can make the limiter: one request a minute.
MIN_REQUESTS_PER_MINUTE = 1.0
# Calls remembered to estimate the rate actually achieved (no configured rate).
_RECENT = 64


class RateLimiter:
    """Requests and tokens per minute; ``None`` leaves that dimension unlimited.

    Args:
        requests_per_minute: Calls started per minute.
        tokens_per_minute: Prompt plus completion tokens per minute.
        burst_requests: Calls allowed back to back before the spacing applies.
        clock: Monotonic seconds (replaceable to measure the limiter without waiting).
    """

    def __init__(
        self,
        requests_per_minute: float | None = None,
        tokens_per_minute: float | None = None,
        burst_requests: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._request_interval = 60.0 / requests_per_minute if requests_per_minute else 0.0
        self._configured_rpm = requests_per_minute or None
        # The adapted rate (None: the configured one, never lowered yet).
        self._adapted_rpm: float | None = None
        self._calm_until = 0.0  # no second decrease before this time
        self._started: deque[float] = deque(maxlen=_RECENT)
        self._token_interval = 60.0 / tokens_per_minute if tokens_per_minute else 0.0
        self._burst = max(1.0, burst_requests)
        self._clock = clock
        self._lock = threading.Lock()
        now = clock()
        self._next_request = now  # theoretical arrival time (GCRA) of the next call
        self._next_token = now  # when the tokens already spent are paid back
        self._paused_until = now

    @property
    def unlimited(self) -> bool:
        return not (self._request_interval or self._token_interval)

    def try_acquire(self, tokens: int = 0) -> float:
        """Take a slot for a call of ``tokens`` if one is free now (returns 0), else the wait.

        Nothing is booked while waiting: a task that slept (or an event loop that stalled)
        checks again on waking, so tasks woken together still leave one interval apart.
        """
        with self._lock:
            now = self._clock()
            earliest = self._paused_until
            if self._request_interval:
                allowance = self._request_interval * (self._burst - 1)
                earliest = max(earliest, self._next_request - allowance)
            if self._token_interval:
                earliest = max(earliest, self._next_token)
            if earliest > now:
                return earliest - now
            self._started.append(now)
            if self._request_interval:
                self._next_request = max(self._next_request, now) + self._request_interval
            if self._token_interval:
                self._next_token = max(self._next_token, now) + tokens * self._token_interval
            return 0.0

    async def acquire(self, tokens: int = 0) -> float:
        """Wait for a slot for a call of ``tokens``; returns the seconds waited."""
        waited = 0.0
        while (delay := self.try_acquire(tokens)) > 0:
            await asyncio.sleep(delay)
            waited += delay
        return waited

    @property
    def requests_per_minute(self) -> float | None:
        """The rate calls start at now (None: unlimited)."""
        return 60.0 / self._request_interval if self._request_interval else None

    def correct(self, estimated: int, actual: int) -> None:
        """A call's response arrived: settle its token count from what it really used and,
        after a slowdown, raise the request rate one step (the additive increase)."""
        with self._lock:
            if self._adapted_rpm is not None:
                self._adapted_rpm += 1.0
                if self._configured_rpm and self._adapted_rpm >= self._configured_rpm:
                    self._adapted_rpm = None
                rpm = self._adapted_rpm or self._configured_rpm
                self._request_interval = 60.0 / rpm if rpm else 0.0
            if not self._token_interval or actual == estimated:
                return
            shifted = self._next_token + (actual - estimated) * self._token_interval
            self._next_token = max(self._clock(), shifted)

    def throttled(self, retry_after: float | None = None) -> None:
        """The provider answered 429: halve the request rate (the multiplicative decrease)
        and hold every call for ``retry_after`` seconds when the provider said so."""
        with self._lock:
            now = self._clock()
            if retry_after:
                self._paused_until = max(self._paused_until, now + retry_after)
            if now < self._calm_until:
                return  # calls already in flight when the rate came down: the same signal
            rpm = self.requests_per_minute or self._achieved_rpm(now)
            lowered = max(MIN_REQUESTS_PER_MINUTE, rpm / 2)
            self._adapted_rpm = lowered
            self._request_interval = 60.0 / lowered
            self._next_request = max(self._next_request, now)
            self._calm_until = max(self._paused_until, now) + self._request_interval

    def _achieved_rpm(self, now: float) -> float:
        """The rate calls were started at lately (when no rate was configured)."""
        recent = [t for t in self._started if now - t <= 60.0]
        if len(recent) < 2:
            return 60.0  # one call so far: a guess, corrected by the next 429
        span = max(1.0, now - recent[0])
        return len(recent) / span * 60.0

    def pause(self, seconds: float) -> None:
        """Hold every call for ``seconds`` (the provider said Retry-After)."""
        with self._lock:
            self._paused_until = max(self._paused_until, self._clock() + seconds)
