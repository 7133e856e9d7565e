"""The ``python`` view: every Python file parsed once, its nodes indexed, its calls resolved.

``from subprocess import run as r; r("ls", shell=True)`` is indexed as ``subprocess.run``;
``requests.get`` inside a loop or an ``async def`` knows it. A file the running interpreter
cannot parse (a syntax error, or syntax newer than this Python) is listed in ``unparsed``,
with the reason, so that probes and the coverage appendix can say so.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
import warnings
from dataclasses import dataclass
from typing import Any

from pipeline.probes.registry import view
from pipeline.probes.views.repo import RepoView

# A string token that opens with triple quotes (after a prefix: f, r, b, rb...): a
# docstring or an embedded file.
_TRIPLE_QUOTED = re.compile(rb"[A-Za-z]{0,2}(\"\"\"|''')")
_LOOPS = (
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
)
CallContext = tuple[bool, bool, "ast.FunctionDef | ast.AsyncFunctionDef | None"]


@dataclass(frozen=True)
class PyCall:
    """One call site in Python product code."""

    path: str
    line: int
    name: str
    node: ast.Call
    in_loop: bool
    in_async: bool
    function: str | None
    decorators: tuple[str, ...]

    def keyword(self, name: str) -> ast.expr | None:
        return next((k.value for k in self.node.keywords if k.arg == name), None)

    def has_kwargs(self) -> bool:
        return any(k.arg is None for k in self.node.keywords)


def is_true(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def is_false(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is False


def dotted(node: ast.expr, aliases: dict[str, str]) -> str:
    """The dotted name of a call target (``''`` when it is not a plain name chain)."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Call):
        inner = dotted(node.func, aliases)
        return ".".join([inner + "()", *reversed(parts)]) if inner else ""
    if not isinstance(node, ast.Name):
        return ""
    head = aliases.get(node.id, node.id)
    return ".".join([head, *reversed(parts)])


@view("python")
class PythonCode:
    """Parsed Python files of the repository, each parsed at most once."""

    def __init__(self, repo: RepoView) -> None:
        self.repo = repo
        self.unparsed: dict[str, str] = {}
        self._trees: dict[str, ast.Module | None] = {}
        self._index: dict[str, dict[Any, Any]] = {}
        self._calls: dict[bool, list[PyCall]] = {}

    def tree(self, path: str) -> ast.Module | None:
        """The parsed module, or None when it does not parse (the reason goes to ``unparsed``)."""
        if path not in self._trees:
            try:
                self._trees[path] = _parse(self.repo.text(path), path)
            except (SyntaxError, ValueError, RecursionError) as exc:
                line = getattr(exc, "lineno", None)
                where = f" at line {line}" if line else ""
                self.unparsed[path] = f"{type(exc).__name__}{where}: {getattr(exc, 'msg', exc)}"
                self._trees[path] = None
        return self._trees[path]

    def nodes(self, path: str, *kinds: type[ast.AST]) -> list[Any]:
        """Nodes of the given types in a Python file, from one cached walk of its tree."""
        index = self._node_index(path)
        if len(kinds) == 1:
            return list(index.get(kinds[0], []))
        return sorted(
            (n for k in kinds for n in index.get(k, [])),
            key=lambda n: (getattr(n, "lineno", 0), getattr(n, "col_offset", 0)),
        )

    def call_context(self, path: str, call: ast.Call) -> CallContext:
        return self._node_index(path)["call-context"][id(call)]  # type: ignore[no-any-return]

    def aliases(self, path: str) -> dict[str, str]:
        """Local name → imported dotted name, from the file's imports."""
        table: dict[str, str] = {}
        for node in self.nodes(path, ast.Import, ast.ImportFrom):
            if isinstance(node, ast.Import):
                for a in node.names:
                    table[a.asname or a.name.split(".")[0]] = (
                        a.name if a.asname else a.name.split(".")[0]
                    )
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for a in node.names:
                    table[a.asname or a.name] = f"{node.module}.{a.name}"
        return table

    def calls(self, tests: bool = False) -> list[PyCall]:
        """Every call in in-scope Python files (product code unless ``tests``)."""
        if tests not in self._calls:
            self._calls[tests] = self._collect_calls(tests)
        return self._calls[tests]

    def calls_named(self, *names: str) -> list[PyCall]:
        """Product calls named one of ``names``, or ending with ``.name`` for ``*.name``."""
        exact = {n for n in names if not n.startswith("*.")}
        suffixes = tuple(n[1:] for n in names if n.startswith("*."))
        return [
            c for c in self.calls() if c.name in exact or (suffixes and c.name.endswith(suffixes))
        ]

    def string_blocks(self, path: str) -> dict[int, int]:
        """Lines inside multi-line strings: line → first column that is string.

        Docstrings and embedded files (templates, fixtures written as strings) are text, so
        code patterns must not match there.
        """
        return self.repo.memo(f"py-strings:{path}", lambda: self._string_blocks(path))

    def parents(self, path: str) -> dict[int, ast.AST]:
        """``id(node)`` → parent node, for walking up from a node."""

        def compute() -> dict[int, ast.AST]:
            tree = self.tree(path)
            found: dict[int, ast.AST] = {}
            for node in ast.walk(tree) if tree else ():
                for child in ast.iter_child_nodes(node):
                    found[id(child)] = node
            return found

        return self.repo.memo(f"py-parents:{path}", compute)

    def _string_blocks(self, path: str) -> dict[int, int]:
        blocks: dict[int, int] = {}
        lines = self.repo.lines(path)
        for node in self.nodes(path, ast.Constant, ast.JoinedStr):
            end = node.end_lineno or node.lineno
            if end == node.lineno or (
                isinstance(node, ast.Constant) and not isinstance(node.value, str | bytes)
            ):
                continue
            # col_offset counts UTF-8 bytes.
            first = lines[node.lineno - 1].encode() if node.lineno <= len(lines) else b""
            if not _TRIPLE_QUOTED.match(first[node.col_offset :]):
                # Short strings side by side, one per line (archivebox's init_command:
                # "PRAGMA foreign_keys=ON;" then "PRAGMA busy_timeout = 30000;"): values
                # written in code, not a docstring or an embedded file.
                continue
            blocks[node.lineno] = min(blocks.get(node.lineno, node.col_offset), node.col_offset)
            for number in range(node.lineno + 1, end + 1):
                blocks[number] = 0
        return blocks

    def _node_index(self, path: str) -> dict[Any, Any]:
        if path not in self._index:
            self._index[path] = _index(self.tree(path))
        return self._index[path]

    def _collect_calls(self, tests: bool) -> list[PyCall]:
        calls: list[PyCall] = []
        for f in self.repo.code_files("python", tests=tests):
            if self.tree(f.path) is None:
                continue
            aliases = self.aliases(f.path)
            index = self._node_index(f.path)
            contexts = index["call-context"]
            for node in index.get(ast.Call, []):
                in_loop, in_async, func = contexts[id(node)]
                decorators = tuple(
                    dotted(d.func if isinstance(d, ast.Call) else d, aliases)
                    for d in (func.decorator_list if func is not None else [])
                )
                calls.append(
                    PyCall(
                        f.path,
                        node.lineno,
                        dotted(node.func, aliases),
                        node,
                        in_loop,
                        in_async,
                        func.name if func is not None else None,
                        decorators,
                    )
                )
        calls.sort(key=lambda c: (c.path, c.line))
        return calls


def _index(tree: ast.Module | None) -> dict[Any, Any]:
    """Nodes by type, plus each call's context (in a loop, in async code, enclosing def).

    One explicit-stack pass over ``_fields``: several times faster than ``ast.walk`` plus a
    ``NodeVisitor``, which matters on 100k-line repositories.
    """
    index: dict[Any, Any] = {}
    contexts: dict[int, CallContext] = {}
    index["call-context"] = contexts
    if tree is None:
        return index
    stack: list[tuple[ast.AST, bool, bool, Any]] = [(tree, False, False, None)]
    while stack:
        node, in_loop, in_async, func = stack.pop()
        kind = type(node)
        index.setdefault(kind, []).append(node)
        if kind is ast.Call:
            contexts[id(node)] = (in_loop, in_async, func)
        elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
            in_loop, in_async, func = False, kind is ast.AsyncFunctionDef, node
        elif kind in _LOOPS:
            in_loop = True
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, list):
                stack.extend(
                    (v, in_loop, in_async, func) for v in reversed(value) if isinstance(v, ast.AST)
                )
            elif isinstance(value, ast.AST):
                stack.append((value, in_loop, in_async, func))
    return index


def _parse(text: str, path: str) -> ast.Module:
    """Parse with the running interpreter's grammar; code in newer syntax that this one
    lacks (PEP 695 ``type X = ...`` and ``def f[T]()``, on Python 3.11) is lowered to an
    equivalent with the same lines and parsed again, so its hazards are still read."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the assessed code's warnings are not ours
        try:
            return ast.parse(text, filename=path)
        except SyntaxError:
            lowered = lower_type_parameters(text)
            if lowered is None or lowered == text:
                raise
            try:
                return ast.parse(lowered, filename=path)
            except SyntaxError:
                pass
            raise


def lower_type_parameters(text: str) -> str | None:
    """``text`` with PEP 695 type parameters and ``type`` statements rewritten for older
    grammars, line for line (None when it does not tokenize)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return None
    edits: list[tuple[tuple[int, int], tuple[int, int], str]] = []
    significant = [t for t in tokens if t.type not in (tokenize.NL, tokenize.COMMENT)]
    for i, tok in enumerate(significant[:-2]):
        after, third = significant[i + 1], significant[i + 2]
        at_statement_start = i == 0 or significant[i - 1].type in (
            tokenize.NEWLINE,
            tokenize.INDENT,
            tokenize.DEDENT,
        )
        if tok.string in ("def", "class") and after.type == tokenize.NAME and third.string == "[":
            close = _closing(significant, i + 2)
            if close is not None and close.end[0] == third.start[0]:
                edits.append((third.start, close.end, ""))
        elif (
            tok.string == "type"
            and at_statement_start
            and after.type == tokenize.NAME
            and third.string in ("=", "[")
        ):
            equals = third if third.string == "=" else _after_closing(significant, i + 2)
            if equals is not None and equals.string == "=" and equals.start[0] == tok.start[0]:
                edits.append((tok.start, equals.start, after.string + " "))
        elif tok.string == "except" and at_statement_start:
            edits.extend(_parenthesised_handler(significant, i))
    if not edits:
        return text
    lines = text.splitlines(keepends=True)
    for (row, col), (end_row, end_col), new in sorted(edits, reverse=True):
        line = lines[row - 1]
        lines[row - 1] = line[:col] + new + line[end_col:] if row == end_row else line
    return "".join(lines)


def _parenthesised_handler(
    tokens: list[tokenize.TokenInfo], except_index: int
) -> list[tuple[tuple[int, int], tuple[int, int], str]]:
    """PEP 758 (Python 3.14): ``except A, B:`` catches both; older grammars need
    ``except (A, B):``. The edits that add the parentheses, on the same line."""
    start = except_index + 1
    if start < len(tokens) and tokens[start].string == "*":  # except* A, B:
        start += 1
    depth, comma = 0, False
    for tok in tokens[start:]:
        if tok.string in ("(", "[", "{"):
            depth += 1
        elif tok.string in (")", "]", "}"):
            depth -= 1
        elif depth == 0 and tok.string == ",":
            comma = True
        elif (depth == 0 and tok.string in (":", "as")) or tok.type == tokenize.NEWLINE:
            if comma and tok.string == ":" and tok.start[0] == tokens[start].start[0]:
                return [
                    (tokens[start].start, tokens[start].start, "("),
                    (tok.start, tok.start, ")"),
                ]
            return []
    return []


def _closing(tokens: list[tokenize.TokenInfo], open_index: int) -> tokenize.TokenInfo | None:
    depth = 0
    for tok in tokens[open_index:]:
        if tok.string in ("[", "(", "{"):
            depth += 1
        elif tok.string in ("]", ")", "}"):
            depth -= 1
            if depth == 0:
                return tok
    return None


def _after_closing(tokens: list[tokenize.TokenInfo], open_index: int) -> tokenize.TokenInfo | None:
    close = _closing(tokens, open_index)
    if close is None:
        return None
    index = tokens.index(close)
    return tokens[index + 1] if index + 1 < len(tokens) else None
