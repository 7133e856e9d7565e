"""A circuit breaker: when the provider is clearly down, stop asking it.

Each question already retries with backoff (up to ``max_retries``, honouring Retry-After),
so one question that fails has spent a minute or so of a provider's outage. After
``threshold`` questions in a row failed that way (the provider refused, timed out, answered
5xx or garbage, or stayed rate limited), the provider is taken to be down: the questions
still waiting fail at once, without a request, instead of each waiting out its own retries.
After ``cooldown_s`` one call is let through again; its success closes the breaker (a batch
of hundreds of repositories outlives a short outage), its failure opens it again.

Three, not one: a single question can fail in a blip between two healthy calls, and
concurrent questions in flight when the outage began fail together; three failures in a row,
none interleaved with a success, each after its own retries, is an outage. A success resets
the count.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from pipeline.errors import ProviderUnavailable

DEFAULT_THRESHOLD = 3
DEFAULT_COOLDOWN_S = 60.0


class ProviderDown(ProviderUnavailable):
    """A question not asked at all: the breaker is open."""


class CircuitBreaker:
    """Counts questions that failed on provider trouble; shared by every task of a process."""

    def __init__(
        self,
        threshold: int = DEFAULT_THRESHOLD,
        cooldown_s: float = DEFAULT_COOLDOWN_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.threshold = max(1, threshold)
        self.cooldown_s = cooldown_s
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._open_until: float | None = None
        self._last_error = ""

    @property
    def is_open(self) -> bool:
        with self._lock:
            return self._open_until is not None and self._clock() < self._open_until

    def check(self, model: str) -> None:
        """Raise :class:`ProviderUnavailable` (no request made) while the breaker is open."""
        with self._lock:
            if self._open_until is None or self._clock() >= self._open_until:
                return
            failures, last = self._failures, self._last_error
        raise ProviderDown(
            f"{model}: not asked: the provider looks down ({failures} questions in a row "
            f"failed after their retries; last: {last})"
        )

    def failed(self, error: str) -> None:
        """A question failed on provider trouble, after its retries."""
        with self._lock:
            self._failures += 1
            self._last_error = error[:200]
            if self._failures >= self.threshold:
                self._open_until = self._clock() + self.cooldown_s

    def succeeded(self) -> None:
        """A call got a response: the provider is up."""
        with self._lock:
            self._failures = 0
            self._open_until = None
