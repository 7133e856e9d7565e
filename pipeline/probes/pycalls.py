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


def _aliases(ctx: ProbeContext, path: str) -> dict[str, str]:
    table: dict[str, str] = {}
    for node in ctx.py_nodes(path, ast.Import, ast.ImportFrom):
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


def python_calls(ctx: ProbeContext, tests: bool = False) -> list[PyCall]:
    """Every call in in-scope Python files (product code unless ``tests``)."""

    def compute() -> list[PyCall]:
        calls: list[PyCall] = []
        for f in ctx.code_files("python", tests=tests):
            tree = ctx.python_ast(f.path)
            if tree is None:
                continue
            aliases = _aliases(ctx, f.path)
            index = ctx.py_index(f.path)
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
