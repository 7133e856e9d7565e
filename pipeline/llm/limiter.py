"""A client-side rate limiter on requests and tokens per minute, shared by a whole process.

GCRA (the generic cell rate algorithm, a token bucket written as "the earliest time the
next call may start"): calls are spaced evenly at the configured rate with a small burst,
so a batch of concurrent tasks never bursts past a provider's limit. Token costs are
estimated before a call and corrected from the response's usage afterwards. A provider's
Retry-After pauses every task, not just the one that was told.

Slots are taken under a threading lock and waited for with ``asyncio.sleep``, so one
limiter serves every event loop and thread of the process.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable


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

    def correct(self, estimated: int, actual: int) -> None:
        """Settle a call's token count once the response says what it really used."""
        if not self._token_interval or actual == estimated:
            return
        with self._lock:
            shifted = self._next_token + (actual - estimated) * self._token_interval
            self._next_token = max(self._clock(), shifted)

    def pause(self, seconds: float) -> None:
        """Hold every call for ``seconds`` (the provider said Retry-After)."""
        with self._lock:
            self._paused_until = max(self._paused_until, self._clock() + seconds)
