"""Pytest fixtures around the fake OpenAI server; import them into a conftest.py.

from tests.fakes.fixtures import fake_openai, fake_model_options  # noqa: F401
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pipeline.options import ModelOptions
from tests.fakes.openai_server import FakeOpenAI


@pytest.fixture
def fake_openai(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    """A started fake server; OPENAI_API_KEY is set to a test key for the test's duration."""
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
def fake_model_options(fake_openai: FakeOpenAI) -> ModelOptions:
    """Model options that point litellm at the fake server, with short timeouts."""
    return ModelOptions(model="openai/fake", api_base=fake_openai.base_url, timeout_s=5.0)
