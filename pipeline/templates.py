"""The jinja2 environment over ``prompts/``: StrictUndefined, and a hash per template."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import jinja2

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"


@functools.cache
def environment(html: bool = False) -> jinja2.Environment:
    """One shared environment per output kind; HTML pages escape what they interpolate.

    Markdown and prompts are not escaped (they are text); HTML is, because report text
    quotes the assessed repository, which nobody vetted.
    """
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(PROMPTS_DIR)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=html,
    )


def render(name: str, **context: object) -> str:
    """Render the template ``name`` (relative to ``prompts/``)."""
    return environment().get_template(name).render(**context)


@functools.cache
def template_hash(name: str) -> str:
    """sha256[:12] of a template's source: goes into cache keys and report metadata."""
    return hashlib.sha256((PROMPTS_DIR / name).read_bytes()).hexdigest()[:12]
