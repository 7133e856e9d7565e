"""The one line model: how bytes become text and text becomes numbered lines.

Ingest, probes, prompts and the citation verifier all number lines through this module (by
way of the snapshot), so a citation means the same line to every stage. Lines break at
``\\r\\n``, ``\\r`` and ``\\n`` only, as git, GitHub and Python's tokenizer count them:
U+2028, U+0085, form feeds and vertical tabs stay inside their line (``str.splitlines``
would split there and shift every later line number).
"""

from __future__ import annotations

import re

LINE_BREAK = re.compile(r"\r\n|\r|\n")


def decode(data: bytes) -> str | None:
    """UTF-8 text without a byte-order mark, or None when the bytes are not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def split_lines(text: str) -> list[str]:
    """The lines of ``text``; a final line break does not open an empty last line."""
    lines = LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def join_lines(lines: list[str] | tuple[str, ...]) -> str:
    """Lines joined with ``\\n``: offsets in the result map to lines by counting ``\\n``."""
    return "\n".join(lines)
