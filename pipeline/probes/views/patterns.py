"""Constants and helpers every view shares: the code languages and compiled patterns."""

from __future__ import annotations

import functools
import re

# The programming languages probes read as code.
CODE = ("python", "javascript", "typescript", "go", "rust", "java")


@functools.cache
def compiled(pattern: str) -> re.Pattern[str]:
    """The compiled regex of ``pattern`` (multi-line mode), cached process-wide."""
    return re.compile(pattern, re.MULTILINE)
