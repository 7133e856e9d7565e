"""The litellm boundary: its exceptions become ours, and we decide what is worth a retry.

Callers never catch litellm or openai types: :func:`map_provider_errors` translates them
in one place, the way httpx maps its transport errors.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pipeline.errors import (
    AuthenticationFailed,
    BadRequest,
    ProviderError,
    ProviderUnavailable,
    RateLimited,
)

# Cap on a provider's Retry-After, so a bogus header cannot stall a run for hours.
MAX_RETRY_AFTER_S = 120.0


def status_of(exc: BaseException) -> int | None:
    """The HTTP status an exception carries, if any."""
    status = getattr(exc, "status_code", None)
    return status if isinstance(status, int) else None


def _headers(exc: BaseException) -> Any:
    headers = getattr(exc, "litellm_response_headers", None)
    if headers:
        return headers
    response = getattr(exc, "response", None)
    return getattr(response, "headers", None)


def retry_after_s(exc: BaseException) -> float | None:
    """Seconds the provider asked us to wait (Retry-After, seconds or HTTP date), if it did."""
    headers = _headers(exc)
    if not headers:
        return None
    try:
        value = headers.get("retry-after-ms")
        if value is not None:
            return min(MAX_RETRY_AFTER_S, max(0.0, float(value) / 1000))
        value = headers.get("retry-after")
    except (AttributeError, TypeError, ValueError):
        return None
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(str(value)) if value else None
        if parsed is None:
            return None
        seconds = parsed.timestamp() - time.time()
    return min(MAX_RETRY_AFTER_S, max(0.0, seconds))


def _is_timeout(exc: BaseException) -> bool:
    import litellm

    return isinstance(exc, litellm.exceptions.Timeout | TimeoutError)


def is_rate_limit(exc: BaseException) -> bool:
    """True for a provider's 429."""
    import litellm

    return isinstance(exc, litellm.exceptions.RateLimitError) or status_of(exc) == 429


def is_retryable(exc: BaseException) -> bool:
    """True for 429, 5xx, timeouts and connection errors; never for auth or bad requests."""
    import litellm

    ex = litellm.exceptions
    if isinstance(exc, ex.AuthenticationError | ex.PermissionDeniedError | ex.NotFoundError):
        return False
    if status_of(exc) in (400, 401, 403, 404, 422):
        return False
    if isinstance(exc, ex.ContextWindowExceededError | ex.ContentPolicyViolationError):
        return False
    if _is_timeout(exc) or isinstance(exc, ex.RateLimitError | ex.APIConnectionError):
        return True
    if isinstance(exc, ex.InternalServerError | ex.ServiceUnavailableError | ex.BadGatewayError):
        return True
    status = status_of(exc)
    return status is not None and (status == 429 or status >= 500)


def translate(exc: BaseException, model: str) -> ProviderError:
    """Our error for a provider exception, with a message a user can act on."""
    import litellm

    ex = litellm.exceptions
    detail = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
    if isinstance(exc, ex.AuthenticationError | ex.PermissionDeniedError) or status_of(exc) in (
        401,
        403,
    ):
        return AuthenticationFailed(
            f"{model}: the provider rejected the credentials (set the API key variable, "
            f"e.g. OPENAI_API_KEY or ANTHROPIC_API_KEY): {detail}"
        )
    if isinstance(exc, ex.RateLimitError) or status_of(exc) == 429:
        return RateLimited(f"{model}: still rate limited after our retries: {detail}")
    if is_retryable(exc):
        return ProviderUnavailable(f"{model}: provider unavailable after our retries: {detail}")
    if isinstance(exc, ex.NotFoundError):
        return BadRequest(
            f"{model}: no such model or endpoint (check --model/--api-base): {detail}"
        )
    return BadRequest(f"{model}: the provider rejected the request: {detail}")


@contextmanager
def map_provider_errors(model: str) -> Iterator[None]:
    """Re-raise any litellm/openai/httpx exception as a :class:`ProviderError`."""
    try:
        yield
    except ProviderError:
        raise
    except Exception as exc:  # noqa: BLE001 - this is the one place third-party errors land
        import openai

        if isinstance(exc, openai.OpenAIError):  # litellm's exceptions all derive from it
            raise translate(exc, model) from exc
        if isinstance(exc, TimeoutError | ConnectionError | OSError):
            raise ProviderUnavailable(f"{model}: {type(exc).__name__}: {exc}") from exc
        import httpx

        if isinstance(exc, httpx.HTTPError):
            raise ProviderUnavailable(f"{model}: {type(exc).__name__}: {exc}") from exc
        raise
