"""Shared, cached facts probes reason about: searches, imports, and what kind of software this is.

Each view is computed once per :class:`ProbeContext` (``ctx.memo``), so a 100k-line repository
is read and parsed once however many probes ask.
"""

from __future__ import annotations

import ast
import bisect
import functools
import re
from dataclasses import dataclass

from pipeline.probes.base import ProbeContext
from pipeline.probes.literals import ignores_case, required_literals
from pipeline.schemas import Evidence

CODE = ("python", "javascript", "typescript", "go", "rust", "java")
_COMMENT = {
    "python": ("#",),
    "shell": ("#",),
    "yaml": ("#",),
    "toml": ("#",),
    "ini": ("#", ";"),
    "makefile": ("#",),
    "dockerfile": ("#",),
    "sql": ("--",),
    "javascript": ("//", "/*", "*"),
    "typescript": ("//", "/*", "*"),
    "go": ("//", "/*", "*"),
    "rust": ("//", "/*", "*"),
    "java": ("//", "/*", "*"),
}


@dataclass(frozen=True)
class Hit:
    """One matching line."""

    path: str
    line: int
    text: str

    def evidence(self, ctx: ProbeContext, before: int = 0, after: int = 0) -> Evidence:
        return ctx.evidence(self.path, max(1, self.line - before), self.line + after)

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


@functools.cache
def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.MULTILINE)


def plural(count: int, word: str) -> str:
    """``1 file``, ``3 files``: message text without the ``file(s)`` shorthand."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def is_comment(language: str, line: str) -> bool:
    """Whether ``line`` is a comment line in ``language``."""
    stripped = line.lstrip()
    return any(stripped.startswith(m) for m in _COMMENT.get(language, ()))


def in_trailing_comment(language: str, line: str, column: int) -> bool:
    """Whether ``column`` lies in a ``#`` comment that follows code on the same line.

    C-like languages have their comments blanked before matching; ``#`` languages do not,
    so ``code = False  # "origins": "*"`` would otherwise match a pattern in the comment.
    """
    if "#" not in _COMMENT.get(language, ()):
        return False
    hash_at = line.find("#")
    while 0 <= hash_at < column:
        if not in_string(line, hash_at):
            return True
        hash_at = line.find("#", hash_at + 1)
    return False


def grep(
    ctx: ProbeContext,
    pattern: str,
    languages: tuple[str, ...] = CODE,
    *,
    tests: bool | None = False,
    limit: int = 0,
    skip_rust_tests: bool = True,
    code_only: bool = False,
) -> list[Hit]:
    """Non-comment lines of in-scope files matching ``pattern`` (``limit`` 0 = all).

    ``code_only`` also skips matches that start inside a string literal, for patterns that
    describe code (calls, imports) rather than values (routes, URLs, headers).
    """
    key = f"grep:{pattern}:{languages}:{tests}:{limit}:{skip_rust_tests}:{code_only}"
    return ctx.memo(
        key, lambda: _grep(ctx, pattern, languages, tests, limit, skip_rust_tests, code_only)
    )


_C_LIKE = ("javascript", "typescript", "go", "rust", "java")


def blank_text(text: str, strings: bool = False) -> str:
    """C-like source with comments (and, if ``strings``, string contents) turned to spaces.

    Offsets and line breaks are kept, so match positions still map to the right lines; a
    ``require('express')`` inside a JSDoc block or a ``"panic("`` literal no longer matches.
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
                if text[k] == "\\":
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


def code_text(ctx: ProbeContext, path: str, language: str, strings: bool = False) -> str:
    """The text of ``path`` as code: comments blanked in C-like languages (cached)."""
    if language not in _C_LIKE:
        return ctx.text(path)
    return ctx.memo(f"blank:{strings}:{path}", lambda: blank_text(ctx.text(path), strings))


def line_starts(ctx: ProbeContext, path: str) -> list[int]:
    """Offsets where each line of ``path`` starts, to turn match offsets into line numbers."""

    def compute() -> list[int]:
        text = ctx.text(path)
        return [0] + [m.end() for m in re.finditer(r"\n", text)]

    return ctx.memo(f"line-starts:{path}", compute)


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


def _grep(
    ctx: ProbeContext,
    pattern: str,
    languages: tuple[str, ...],
    tests: bool | None,
    limit: int,
    skip_rust_tests: bool,
    code_only: bool,
) -> list[Hit]:
    rx = _rx(pattern)
    literals = required_literals(pattern)
    folded = ignores_case(pattern)
    hits: list[Hit] = []
    for f in ctx.code_files(*languages, tests=tests):
        text = ctx.text(f.path)
        if literals is not None:
            haystack = ctx.memo(f"lower:{f.path}", text.lower) if folded else text
            if not any(lit in haystack for lit in literals):
                continue
        if not rx.search(text):
            continue
        code = code_text(ctx, f.path, f.language)
        lines = ctx.lines(f.path)
        starts = line_starts(ctx, f.path)
        test_lines = rust_test_lines(ctx, f.path) if f.language == "rust" else set()
        strings = python_string_blocks(ctx, f.path) if f.language == "python" else {}
        for m in rx.finditer(code):
            pos = m.start()
            while pos < m.end() - 1 and code[pos] in " \t\r\n":
                pos += 1  # a leading \s* may start on the previous line
            number = bisect.bisect_right(starts, pos)
            line = lines[number - 1] if number <= len(lines) else ""
            if is_comment(f.language, line):
                continue
            column = pos - starts[number - 1]
            if in_trailing_comment(f.language, line, column):
                continue
            if code_only and in_string(line, column):
                continue
            if number in strings and column >= strings[number]:
                continue  # inside a docstring or a multi-line string: text, not code
            if skip_rust_tests and tests is False and number in test_lines:
                continue
            if hits and hits[-1].path == f.path and hits[-1].line == number:
                continue
            hits.append(Hit(f.path, number, line.strip()))
            if limit and len(hits) >= limit:
                return hits
    return hits


def python_string_blocks(ctx: ProbeContext, path: str) -> dict[int, int]:
    """Lines of a Python file inside multi-line strings: line → first column that is string.

    Docstrings and embedded files (templates, fixtures written as strings) are text, so code
    patterns must not match there.
    """

    def compute() -> dict[int, int]:
        blocks: dict[int, int] = {}
        for node in ctx.py_nodes(path, ast.Constant, ast.JoinedStr):
            end = node.end_lineno or node.lineno
            if end == node.lineno or (
                isinstance(node, ast.Constant) and not isinstance(node.value, str | bytes)
            ):
                continue
            blocks[node.lineno] = min(blocks.get(node.lineno, node.col_offset), node.col_offset)
            for number in range(node.lineno + 1, end + 1):
                blocks[number] = 0
        return blocks

    return ctx.memo(f"py-strings:{path}", compute)


def first(ctx: ProbeContext, pattern: str, languages: tuple[str, ...] = CODE) -> Hit | None:
    """The first non-comment, non-test line whose code (not a string) matches ``pattern``."""
    hits = grep(ctx, pattern, languages, limit=1, code_only=True)
    return hits[0] if hits else None


def rust_test_lines(ctx: ProbeContext, path: str) -> set[int]:
    """Line numbers inside ``#[cfg(test)]`` items and ``#[test]`` functions of a Rust file."""

    def compute() -> set[int]:
        text = ctx.text(path)
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

    return ctx.memo(f"rust-tests:{path}", compute)


# --- imports -----------------------------------------------------------------------------

_JS_IMPORT = re.compile(
    r"""(?:\bfrom\s+|\brequire\(\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]""", re.M
)
_GO_IMPORT_BLOCK = re.compile(r"^import\s*\((.*?)^\)", re.M | re.S)
_GO_IMPORT_LINE = re.compile(r'^import\s+(?:\w+\s+)?"([^"]+)"', re.M)
_RUST_USE = re.compile(r"^\s*(?:pub\s+)?(?:use|extern\s+crate)\s+([a-zA-Z_][\w:]*)", re.M)
_JAVA_IMPORT = re.compile(r"^\s*import\s+(?:static\s+)?([\w.]+)", re.M)


def imports(ctx: ProbeContext, tests: bool = False) -> dict[str, Hit]:
    """Every module imported by in-scope code (first site kept), across languages."""
    return ctx.memo(
        f"imports:{tests}",
        lambda: {name: sites[0] for name, sites in import_sites(ctx, tests).items()},
    )


def import_sites(ctx: ProbeContext, tests: bool = False) -> dict[str, list[Hit]]:
    """Every module imported by in-scope code, with every file and line importing it."""
    return ctx.memo(f"import-sites:{tests}", lambda: _imports(ctx, tests))


def importers(ctx: ProbeContext, *prefixes: str) -> set[str]:
    """Product files importing a module equal to or under one of ``prefixes``."""
    return {
        h.path
        for name, sites in import_sites(ctx).items()
        if any(name == p or name.startswith(p.rstrip("./:") + ".") for p in prefixes)
        or any(name.startswith(p.rstrip("./:") + c) for p in prefixes for c in "/:")
        for h in sites
    }


def _imports(ctx: ProbeContext, tests: bool) -> dict[str, list[Hit]]:
    found: dict[str, list[Hit]] = {}

    def add(name: str, path: str, line: int) -> None:
        sites = found.setdefault(name, [])
        if not any(h.path == path for h in sites):
            lines = ctx.lines(path)
            sites.append(Hit(path, line, lines[line - 1].strip() if line <= len(lines) else ""))

    for f in ctx.code_files(*CODE, tests=tests):
        if f.language == "python":
            for node in ctx.py_nodes(f.path, ast.Import, ast.ImportFrom):
                if isinstance(node, ast.Import):
                    for alias in node.names:
                        add(alias.name, f.path, node.lineno)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    add(node.module, f.path, node.lineno)
                    for alias in node.names:
                        add(f"{node.module}.{alias.name}", f.path, node.lineno)
            continue
        text = code_text(ctx, f.path, f.language)
        patterns: list[re.Pattern[str]] = {
            "javascript": [_JS_IMPORT],
            "typescript": [_JS_IMPORT],
            "rust": [_RUST_USE],
            "java": [_JAVA_IMPORT],
            "go": [_GO_IMPORT_LINE],
        }[f.language]
        for rx in patterns:
            for m in rx.finditer(text):
                add(m.group(1), f.path, text.count("\n", 0, m.start(1)) + 1)
        if f.language == "go":
            for block in _GO_IMPORT_BLOCK.finditer(text):
                for m in re.finditer(r'"([^"]+)"', block.group(1)):
                    add(m.group(1), f.path, text.count("\n", 0, block.start(1) + m.start()) + 1)
    return found


def find_import(ctx: ProbeContext, *prefixes: str, tests: bool = False) -> Hit | None:
    """The first import of a module equal to or under one of ``prefixes``."""
    table = imports(ctx, tests)
    best: Hit | None = None
    for name, hit in table.items():
        for prefix in prefixes:
            if name == prefix or (
                name.startswith(prefix) and (prefix[-1] in "/.:" or name[len(prefix)] in "./:")
            ):
                if best is None or (hit.path, hit.line) < (best.path, best.line):
                    best = hit
                break
    return best


def usage(ctx: ProbeContext, pattern: str, *prefixes: str) -> Hit | None:
    """A line using ``pattern`` in a file that imports one of ``prefixes`` (import + use)."""
    imp = find_import(ctx, *prefixes)
    if imp is None:
        return None
    importing = importers(ctx, *prefixes)
    for hit in grep(ctx, pattern, code_only=True):
        if hit.path in importing and hit.line != imp.line:
            return hit
    return None


# --- what kind of software ----------------------------------------------------------------


def service(ctx: ProbeContext) -> Hit | None:
    """Evidence that this code is a service (see :mod:`pipeline.probes.software`)."""
    from pipeline.probes.software import service as decided

    return decided(ctx)


_DB_IMPORTS = (
    "sqlalchemy",
    "psycopg",
    "psycopg2",
    "asyncpg",
    "sqlite3",
    "aiosqlite",
    "django.db",
    "peewee",
    "pymysql",
    "MySQLdb",
    "pymongo",
    "motor",
    "tortoise",
    "sqlmodel",
    "databases",
    "pg",
    "mysql2",
    "mongoose",
    "mongodb",
    "@prisma/client",
    "knex",
    "sequelize",
    "typeorm",
    "better-sqlite3",
    "sqlite3",
    "database/sql",
    "gorm.io/gorm",
    "github.com/jackc/pgx",
    "github.com/lib/pq",
    "github.com/jmoiron/sqlx",
    "go.mongodb.org/mongo-driver",
    "diesel",
    "sqlx",
    "sea_orm",
    "rusqlite",
    "tokio_postgres",
    "postgres",
    "mongodb",
    "java.sql",
    "javax.persistence",
    "jakarta.persistence",
    "org.springframework.data",
    "org.hibernate",
    "org.jooq",
)


def database(ctx: ProbeContext) -> Hit | None:
    """Evidence that the code talks to a database."""
    return ctx.memo("database", lambda: find_import(ctx, *_DB_IMPORTS))


_HTTP_CLIENT = (
    r"\brequests\.(get|post|put|patch|delete|head|request)\(|"
    r"\bhttpx\.(get|post|put|patch|delete|head|request|stream|Client|AsyncClient)\(|"
    r"aiohttp\.ClientSession|\blitellm\.a?completion\(|\b(Async)?(OpenAI|Anthropic)\(|"
    r"urllib\.request\.urlopen|urlopen\(|(?<![\w.])(?<!def )(?<!function )fetch\(|"
    r"\baxios\b|\bgot\(|"
    r"http\.(Get|Post|Head|NewRequest\w*)\(|http\.Client\{|reqwest::|ureq::|"
    r"HttpClient\.|RestTemplate|WebClient|OkHttpClient"
)


def outbound(ctx: ProbeContext) -> Hit | None:
    """The first outbound network call (HTTP client use) in product code."""
    return ctx.memo("outbound", lambda: first(ctx, _HTTP_CLIENT))


def languages(ctx: ProbeContext) -> set[str]:
    """Programming languages with product code in scope."""
    return ctx.memo("languages", lambda: {f.language for f in ctx.code_files(*CODE)})


def entry_point(ctx: ProbeContext) -> Hit | None:
    """A program entry point: ``__main__``, Go ``package main``, ``fn main``, Java ``main``."""
    pattern = (
        r"^if __name__ == ['\"]__main__['\"]|^package main\b|^\s*(pub )?(async )?fn main\(|"
        r"static void main\(String"
    )
    # A Cargo build script's `fn main` runs at compile time: it is not the program.
    return ctx.memo(
        "entry",
        lambda: next(
            (h for h in grep(ctx, pattern, code_only=True) if not h.path.endswith("build.rs")),
            None,
        ),
    )


def line_of(ctx: ProbeContext, path: str, pattern: str, default: int = 1) -> int:
    """The first line of ``path`` matching ``pattern`` (``default`` when none)."""
    rx = _rx(pattern)
    for number, line in enumerate(ctx.lines(path), 1):
        if rx.search(line):
            return number
    return default
