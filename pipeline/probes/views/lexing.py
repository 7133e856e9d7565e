"""Comment and string awareness for line searches, per language.

Text search must not take a comment or a string for code: ``require('express')`` in a JSDoc
block is not an import, ``"panic("`` is not a call. These helpers blank comments (and, on
request, string contents) while keeping offsets and line breaks, so a match still maps to its
line.
"""

from __future__ import annotations

import re

COMMENT_MARKERS = {
    "python": ("#",),
    "shell": ("#",),
    "yaml": ("#",),
    "toml": ("#",),
    "ini": ("#", ";"),
    "makefile": ("#",),
    "dockerfile": ("#",),
    "dotenv": ("#",),
    "sql": ("--",),
    "javascript": ("//", "/*", "*"),
    "typescript": ("//", "/*", "*"),
    "go": ("//", "/*", "*"),
    "rust": ("//", "/*", "*"),
    "java": ("//", "/*", "*"),
}
C_LIKE = frozenset({"javascript", "typescript", "go", "rust", "java"})


def is_comment(language: str, line: str) -> bool:
    """Whether ``line`` is a comment line in ``language``."""
    stripped = line.lstrip()
    return any(stripped.startswith(m) for m in COMMENT_MARKERS.get(language, ()))


def in_string(line: str, column: int) -> bool:
    """Whether ``column`` of ``line`` lies inside a quoted string (a one-line scan)."""
    quote = ""
    escaped = False
    for ch in line[:column]:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'`":
            quote = ch
    return bool(quote)


def in_trailing_comment(language: str, line: str, column: int) -> bool:
    """Whether ``column`` lies in a ``#`` comment that follows code on the same line.

    C-like languages have their comments blanked before matching; ``#`` languages do not,
    so ``code = False  # "origins": "*"`` would otherwise match a pattern in the comment.
    """
    if "#" not in COMMENT_MARKERS.get(language, ()):
        return False
    hash_at = line.find("#")
    while 0 <= hash_at < column:
        if not in_string(line, hash_at):
            return True
        hash_at = line.find("#", hash_at + 1)
    return False


def blank_text(text: str, strings: bool = False, raw_backquotes: bool = False) -> str:
    """C-like source with comments (and, if ``strings``, string contents) turned to spaces.

    Offsets and line breaks are kept, so match positions still map to the right lines.
    ``raw_backquotes``: a backquoted string is raw, its backslashes plain characters (Go's
    `[^\x1b]\x1b\\` in fzf's terminal.go ends in a backslash); in JavaScript's template
    literals a backslash escapes.
    """
    out = list(text)
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "/" and i + 1 < n and text[i + 1] in "/*":
            end = text.find("\n", i) if text[i + 1] == "/" else text.find("*/", i + 2)
            end = n if end < 0 else (end if text[i + 1] == "/" else end + 2)
            for k in range(i, end):
                if out[k] != "\n":
                    out[k] = " "
            i = end
        elif ch in "\"'`":
            k = i + 1
            while k < n and text[k] != ch:
                if text[k] == "\\" and not (raw_backquotes and ch == "`"):
                    k += 1
                elif text[k] == "\n" and ch != "`":
                    break  # an unterminated quote (a Rust lifetime, a char): stop at the line end
                k += 1
            if strings:
                for j in range(i + 1, min(k, n)):
                    if out[j] != "\n":
                        out[j] = " "
            i = k + 1
        else:
            i += 1
    return "".join(out)


# `#![cfg(test)]` at the top compiles the whole file for tests only (lemmy's
# schema_setup/diff_check.rs).
RUST_TEST_ONLY = re.compile(r"^\s*#!\[cfg\(test\)\]", re.M)


def rust_test_lines(text: str) -> set[int]:
    """Line numbers inside ``#[cfg(test)]`` items and ``#[test]`` functions of Rust source."""

    if RUST_TEST_ONLY.search(text):
        return set(range(1, text.count("\n") + 2))
    inside: set[int] = set()
    for m in re.finditer(r"#\[(cfg\(test\)|test|tokio::test)\]", text):
        brace = text.find("{", m.end())
        if brace < 0:
            continue
        depth, pos = 0, brace
        while pos < len(text):
            ch = text[pos]
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth == 0:
                    break
            pos += 1
        start = text.count("\n", 0, m.start()) + 1
        end = text.count("\n", 0, pos) + 1
        inside.update(range(start, end + 1))
    return inside
