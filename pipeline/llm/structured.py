"""Answers bound to Pydantic schemas: the response_format a provider understands, and parsing.

Three ways to ask for JSON, chosen per model:
- native structured output (``json_schema``) where litellm says the model supports it;
- ``{"type": "json_object", "schema": ...}`` for ``openai/NAME`` at an ``--api-base``:
  llama.cpp's server turns the schema into a grammar, vLLM reads it as JSON mode;
- plain JSON mode elsewhere, with the schema written into the prompt.
"""

from __future__ import annotations

import json
import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

T = TypeVar("T", bound=BaseModel)

_FENCE = re.compile(r"^```[a-zA-Z]*\s*|\s*```\s*$")


def response_format_for(
    model: str, api_base: str | None, name: str, schema: dict[str, Any]
) -> tuple[dict[str, Any], bool]:
    """The response_format for ``model``, and whether the prompt must carry the schema."""
    if model.startswith("openai/") and api_base:
        return {"type": "json_object", "schema": schema}, True
    if _supports_schema(model):
        spec = {"name": name, "schema": schema, "strict": False}
        return {"type": "json_schema", "json_schema": spec}, False
    return {"type": "json_object"}, True


def _supports_schema(model: str) -> bool:
    import litellm

    try:
        return bool(litellm.supports_response_schema(model=model))
    except Exception:  # noqa: BLE001 - an unknown model simply has no native support
        return False


def parse_answer(content: str, answer_type: type[T]) -> T:
    """The answer as ``answer_type``; ValueError says what is wrong in words a model can use."""
    text = _FENCE.sub("", content.strip())
    if not text.startswith("{"):
        first, last = text.find("{"), text.rfind("}")
        if first == -1 or last <= first:
            raise ValueError("the answer is not a JSON object: answer with JSON only")
        text = text[first : last + 1]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"the answer is not valid JSON ({exc.msg} at char {exc.pos})") from exc
    try:
        return answer_type.model_validate(data)
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(p) for p in err['loc']) or '(root)'}: {err['msg']}"
            for err in exc.errors()[:8]
        ]
        raise ValueError("the JSON does not match the schema: " + "; ".join(problems)) from exc
