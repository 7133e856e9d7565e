"""Every call in Python product code, with its dotted name resolved through imports.

``from subprocess import run as r; r("ls", shell=True)`` is indexed as ``subprocess.run``;
``requests.get`` inside a loop or an ``async def`` knows it. Parsed once per context.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from pipeline.probes.base import ProbeContext


@dataclass(frozen=True)
class PyCall:
    """One call site."""

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


def _aliases(tree: ast.Module) -> dict[str, str]:
    table: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                table[a.asname or a.name.split(".")[0]] = (
                    a.name if a.asname else a.name.split(".")[0]
                )
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for a in node.names:
                table[a.asname or a.name] = f"{node.module}.{a.name}"
    return table


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


class _Visitor(ast.NodeVisitor):
    def __init__(self, path: str, aliases: dict[str, str]) -> None:
        self.path = path
        self.aliases = aliases
        self.calls: list[PyCall] = []
        self.loops = 0
        self.asyncs = 0
        self.function: str | None = None
        self.decorators: tuple[str, ...] = ()

    def _func(self, node: ast.FunctionDef | ast.AsyncFunctionDef, is_async: bool) -> None:
        saved = (self.loops, self.asyncs, self.function, self.decorators)
        for d in node.decorator_list:
            self.visit(d)
        self.loops, self.function = 0, node.name
        self.asyncs = 1 if is_async else 0
        self.decorators = tuple(
            dotted(d.func if isinstance(d, ast.Call) else d, self.aliases)
            for d in node.decorator_list
        )
        for stmt in node.body:
            self.visit(stmt)
        self.loops, self.asyncs, self.function, self.decorators = saved

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:  # noqa: N802
        self._func(node, False)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:  # noqa: N802
        self._func(node, True)

    def _loop(self, node: ast.AST) -> None:
        self.loops += 1
        self.generic_visit(node)
        self.loops -= 1

    visit_For = visit_While = visit_AsyncFor = _loop  # noqa: N815
    visit_ListComp = visit_SetComp = visit_DictComp = visit_GeneratorExp = _loop  # noqa: N815

    def visit_Call(self, node: ast.Call) -> None:  # noqa: N802
        self.calls.append(
            PyCall(
                self.path,
                node.lineno,
                dotted(node.func, self.aliases),
                node,
                self.loops > 0,
                self.asyncs > 0,
                self.function,
                self.decorators,
            )
        )
        self.generic_visit(node)


def python_calls(ctx: ProbeContext, tests: bool = False) -> list[PyCall]:
    """Every call in in-scope Python files (product code unless ``tests``)."""

    def compute() -> list[PyCall]:
        calls: list[PyCall] = []
        for f in ctx.code_files("python", tests=tests):
            tree = ctx.python_ast(f.path)
            if tree is None:
                continue
            visitor = _Visitor(f.path, _aliases(tree))
            visitor.visit(tree)
            calls.extend(visitor.calls)
        return calls

    return ctx.memo(f"pycalls:{tests}", compute)


def calls_named(ctx: ProbeContext, *names: str) -> list[PyCall]:
    """Calls whose resolved name is one of ``names`` or ends with ``.name`` for ``*.name``."""
    exact = {n for n in names if not n.startswith("*.")}
    suffixes = tuple(n[1:] for n in names if n.startswith("*."))
    return [
        c for c in python_calls(ctx) if c.name in exact or (suffixes and c.name.endswith(suffixes))
    ]


def is_true(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def is_false(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is False
