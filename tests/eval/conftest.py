"""Fixtures of the evaluation tests: the fake OpenAI-compatible server."""

from tests.fakes.fixtures import fake_openai  # noqa: F401
