"""Errors say whose fault it is.

User mistakes (`InputError`, `ConfigError`) become a one-line message and exit code 2.
Provider trouble and bad model output are runtime failures of the work itself.
"""

from __future__ import annotations


class ReadinessError(Exception):
    """Base of every error this project raises on purpose."""


class InputError(ReadinessError):
    """The user pointed the tool at something it cannot assess (exit code 2)."""


class ConfigError(ReadinessError):
    """An option or configuration file is invalid (exit code 2)."""


class ProviderError(ReadinessError):
    """The LLM provider failed in a way our retries could not cure."""


class RateLimited(ProviderError):
    """The provider answered 429 more often than our retries allow."""


class ProviderUnavailable(ProviderError):
    """The provider timed out, refused the connection, or answered 5xx."""


class AuthenticationFailed(ProviderError):
    """The provider rejected the credentials: retrying cannot help."""


class BadRequest(ProviderError):
    """The provider rejected the request itself: retrying cannot help."""


class BudgetExceeded(ProviderError):
    """A usage limit (requests, tokens or dollars) would be passed by the next call."""


class UnexpectedModelOutput(ReadinessError):
    """The model's answer is not valid JSON for the schema, after every re-ask."""


class CitationInvalid(UnexpectedModelOutput):
    """The model cited a range of a file that does not hold the quoted snippet."""
