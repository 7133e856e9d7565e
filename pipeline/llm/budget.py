"""Budgets as data: a :class:`UsageLimits` and the usage counted against it.

Every request counts, retries and re-asks included. The check runs before a call with
the call's estimated tokens, so a limit is never passed by more than one call's error
of estimate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.errors import BudgetExceeded
from pipeline.options import UsageLimits
from pipeline.schemas import Usage


@dataclass
class Budget:
    """Limits and the usage so far for one scope (``"run"`` or ``"repo"``)."""

    limits: UsageLimits
    scope: str
    used: Usage = field(default_factory=Usage)
    exhausted: str | None = None

    def check(self, estimated_tokens: int = 0, estimated_cost: float = 0.0) -> None:
        """Raise :class:`BudgetExceeded` when the next call would pass a limit."""
        if self.exhausted is None:
            self.exhausted = self._reason(estimated_tokens, estimated_cost)
        if self.exhausted is not None:
            raise BudgetExceeded(self.exhausted)

    def _reason(self, tokens: int, cost: float) -> str | None:
        limits, used = self.limits, self.used
        if limits.requests is not None and used.llm_requests + 1 > limits.requests:
            return f"{self.scope} budget of {limits.requests} LLM requests exhausted"
        spent = used.prompt_tokens + used.completion_tokens
        if limits.tokens is not None and spent + tokens > limits.tokens:
            return (
                f"{self.scope} budget of {limits.tokens} tokens exhausted "
                f"({spent} used, next call needs about {tokens})"
            )
        if limits.cost_usd is not None and used.cost_usd + cost > limits.cost_usd:
            return (
                f"{self.scope} budget of ${limits.cost_usd:.4f} exhausted "
                f"(${used.cost_usd:.4f} spent)"
            )
        return None
