"""Check the package's imports: no cycle, and no import against the stage order.

``python -m pipeline.devtools.imports`` prints each problem and exits 1 when there is one.
Imports inside functions count: a deferred import is still a dependency. A module may import
from its own layer or an earlier one; the layers follow the pipeline's data flow.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

# Earlier layers first. A module belongs to the layer of its longest matching prefix.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "base",
        (
            "pipeline",
            "pipeline.errors",
            "pipeline.schemas",
            "pipeline.options",
            "pipeline.lines",
            "pipeline.secrets",
            "pipeline.templates",
            "pipeline.checkpoint",
            "pipeline.config",
            "pipeline.progress",
            "pipeline.rubric",
            "pipeline.knowledge",
            "pipeline.prompts",
        ),
    ),
    ("ingest", ("pipeline.ingest",)),
    ("probes", ("pipeline.probes",)),
    ("questions", ("pipeline.questions",)),
    ("index", ("pipeline.index",)),
    ("retrieve", ("pipeline.retrieve",)),
    ("llm", ("pipeline.llm",)),
    ("judge", ("pipeline.judge",)),
    ("scoring", ("pipeline.scoring",)),
    ("assemble", ("pipeline.assemble", "pipeline.output")),
    ("runner", ("pipeline.runner",)),
    ("batch", ("pipeline.batch", "pipeline.compare", "pipeline.baseline")),
    ("evaluation", ("pipeline.evaluation",)),
    (
        "commands",
        (
            "pipeline.commands",
            "pipeline.cli",
            "pipeline.__main__",
            "pipeline.doctor",
            "pipeline.devtools",
        ),
    ),
)


def layer_of(module: str) -> int:
    """The index of the layer ``module`` belongs to."""
    best, found = -1, 0
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, found = len(prefix), index
    return found


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, module: str, known: set[str]) -> set[str]:
    """The package modules ``path`` imports (anywhere in the file)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != module:
                found.add(name)
    return found


def graph(root: Path) -> dict[str, set[str]]:
    """Module → the package modules it imports."""
    files = {module_name(root, p): p for p in sorted(root.rglob("*.py"))}
    known = set(files)
    return {name: imports_of(path, name, known) for name, path in files.items()}


def problems(root: Path) -> list[str]:
    """Every import against the stage order, then every cycle."""
    edges = graph(root)
    found = []
    for module, targets in sorted(edges.items()):
        for target in sorted(targets):
            if layer_of(target) > layer_of(module):
                found.append(
                    f"{module} ({LAYERS[layer_of(module)][0]}) imports {target} "
                    f"({LAYERS[layer_of(target)][0]}), a later stage"
                )
    found += [f"import cycle: {' -> '.join(cycle)}" for cycle in cycles(edges)]
    return found


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def main() -> int:
    root = Path(__file__).resolve().parent.parent
    found = problems(root)
    for line in found:
        print(line)
    print(f"{len(found)} import problems in {root.name}/")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
