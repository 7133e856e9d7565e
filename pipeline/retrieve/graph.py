"""The import/call neighbourhood: which functions a chunk calls, and who calls what it defines.

Similarity search finds the chunk that mentions a question's words; the code that answers it
is often one call away (the handler names the file, the helper it calls opens it). This
graph is built from the snapshot alone: Python through ``ast`` (definitions, calls, imports
resolved to the repository's own modules), other languages through line patterns
(definitions, calls of names defined in the repository, relative imports). A call is linked
to a definition in the same file first, then in the files that file imports, and otherwise
only when the name is distinctive (few definitions, long enough to mean something).
"""

from __future__ import annotations

import ast
import bisect
import re
import warnings
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.ingest.snapshot import RepoSnapshot

# Names too common to link across files without an import saying so.
_COMMON = frozenset(
    """get set put post run main init start stop close open read write load save send call
    update delete create add remove find list items keys values append extend format join
    split strip len str int print error info debug warning log new make build handle apply
    test setup teardown execute parse render query fetch next to_dict dict copy""".split()  # noqa: SIM905
)
_MIN_DISTINCT = 5
_MAX_DEFINITIONS = 2
_CALL = re.compile(r"(?<![\w$.])(?:[\w$]+\.)*([A-Za-z_$][\w$]*)\s*\(")
_KEYWORDS = frozenset(
    """if for while switch catch return function fn func def class new typeof sizeof match
    await async yield throw else elif with assert print super this self""".split()  # noqa: SIM905
)
_DEFINITION = {
    "javascript": re.compile(
        r"^\s*(?:export\s+)?(?:default\s+)?(?:async\s+)?(?:function\*?\s+([A-Za-z_$][\w$]*)"
        r"|(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?(?:function|\([^)]*\)\s*=>|[A-Za-z_$][\w$]*\s*=>)"
        r"|class\s+([A-Za-z_$][\w$]*)"
        r"|(?:static\s+|async\s+|public\s+|private\s+|protected\s+)*([A-Za-z_$][\w$]*)\s*\([^)]*\)\s*(?::\s*[^{]+)?\{)"
    ),
    "go": re.compile(r"^func\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)\s*[\[(]|^type\s+([A-Za-z_]\w*)\s"),
    "rust": re.compile(
        r"^\s*(?:pub(?:\([^)]*\))?\s+)?(?:async\s+)?(?:unsafe\s+)?(?:fn|struct|enum|trait)\s+([A-Za-z_]\w*)"
    ),
    "java": re.compile(
        r"^\s*(?:(?:public|private|protected|static|final|abstract|synchronized)\s+)+"
        r"(?:class\s+([A-Za-z_]\w*)|[\w<>\[\], ?]+\s+([A-Za-z_]\w*)\s*\([^;]*$)"
    ),
}
_DEFINITION["typescript"] = _DEFINITION["javascript"]
_JS_IMPORT = re.compile(
    r"""(?:\bfrom\s+|\brequire\(\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.[^'"]*)['"]"""
)
_GO_IMPORT = re.compile(r'^\s*(?:import\s+)?(?:\w+\s+)?"([\w./-]+)"\s*$')
_RUST_USE = re.compile(r"^\s*(?:pub\s+)?(?:use|mod)\s+((?:crate|self|super)?(?:::)?[\w:]+)")
_JAVA_IMPORT = re.compile(r"^\s*import\s+(?:static\s+)?([\w.]+)\s*;")
_JS_SUFFIXES = (".ts", ".tsx", ".js", ".jsx", ".mjs", "/index.ts", "/index.js", "/index.tsx")


@dataclass(frozen=True)
class Definition:
    """A function, method or class defined at ``path`` lines ``start``..``end``."""

    name: str
    path: str
    start: int
    end: int


@dataclass(frozen=True)
class CallSite:
    """A call of ``name`` at ``path``:``line``."""

    name: str
    path: str
    line: int


class CodeGraph:
    """Definitions, call sites and local imports of the snapshot's code files."""

    def __init__(self) -> None:
        self.definitions: dict[str, list[Definition]] = defaultdict(list)
        self.calls: dict[str, list[CallSite]] = defaultdict(list)  # by path
        self.calls_of: dict[str, list[CallSite]] = defaultdict(list)  # by name
        self.imports: dict[str, set[str]] = defaultdict(set)
        self._defs_by_path: dict[str, list[Definition]] = defaultdict(list)

    @classmethod
    def build(cls, snapshot: RepoSnapshot, paths: Iterable[str]) -> CodeGraph:
        """The graph of ``paths`` (code files of the snapshot)."""
        graph = cls()
        wanted = [p for p in paths if snapshot.by_path.get(p) is not None]
        modules = _python_modules([p for p in wanted if p.endswith(".py")])
        files = _Files(wanted)
        for path in wanted:
            language = snapshot.by_path[path].language
            if language == "python":
                graph._add_python(path, snapshot.text(path), modules)
            elif language in _DEFINITION:
                graph._add_patterns(path, language, snapshot.lines(path), files)
        for defs in graph._defs_by_path.values():
            defs.sort(key=lambda d: d.start)
        return graph

    # -- queries ----------------------------------------------------------------------------

    def defined_in(self, path: str, start: int, end: int) -> list[Definition]:
        """Definitions that start inside lines ``start``..``end`` of ``path``."""
        defs = self._defs_by_path.get(path, [])
        starts = [d.start for d in defs]
        lo, hi = bisect.bisect_left(starts, start), bisect.bisect_right(starts, end)
        return defs[lo:hi]

    def callees(self, path: str, start: int, end: int, limit: int = 3) -> list[Definition]:
        """Definitions of what lines ``start``..``end`` of ``path`` call, nearest first."""
        found: list[Definition] = []
        for site in self.calls.get(path, []):
            if not start <= site.line <= end:
                continue
            for target in self._resolve(site.name, path):
                if target.path == path and start <= target.start <= end:
                    continue  # defined in the very lines: already there
                if target not in found:
                    found.append(target)
            if len(found) >= limit:
                break
        return found[:limit]

    def callers(self, path: str, start: int, end: int, limit: int = 3) -> list[CallSite]:
        """Call sites, elsewhere, of what lines ``start``..``end`` of ``path`` define."""
        found: list[CallSite] = []
        for definition in self.defined_in(path, start, end):
            for site in self.calls_of.get(definition.name, []):
                if site.path == path and start <= site.line <= end:
                    continue
                if definition in self._resolve(definition.name, site.path) and site not in found:
                    found.append(site)
                if len(found) >= limit:
                    return found
        return found

    def _resolve(self, name: str, from_path: str) -> list[Definition]:
        """The definitions a call of ``name`` in ``from_path`` most likely means."""
        candidates = self.definitions.get(name, [])
        if not candidates:
            return []
        local = [d for d in candidates if d.path == from_path]
        if local:
            return local[:1]
        imported = self.imports.get(from_path, set())
        through_import = [d for d in candidates if d.path in imported]
        if through_import:
            return through_import[:_MAX_DEFINITIONS]
        distinctive = (
            len(name) >= _MIN_DISTINCT
            and name.lower() not in _COMMON
            and len(candidates) <= _MAX_DEFINITIONS
        )
        return candidates if distinctive else []

    # -- building ---------------------------------------------------------------------------

    def _define(self, name: str, path: str, start: int, end: int) -> None:
        if name.startswith("__") and name.endswith("__"):
            return
        definition = Definition(name, path, start, end)
        self.definitions[name].append(definition)
        self._defs_by_path[path].append(definition)

    def _call(self, name: str, path: str, line: int) -> None:
        if name in _KEYWORDS or (name.startswith("__") and name.endswith("__")):
            return
        site = CallSite(name, path, line)
        self.calls[path].append(site)
        self.calls_of[name].append(site)

    def _add_python(self, path: str, text: str, modules: dict[str, list[str]]) -> None:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(text)
        except (SyntaxError, ValueError, RecursionError):
            return
        package = _python_package(path)
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                self._define(node.name, path, start, node.end_lineno or node.lineno)
            elif isinstance(node, ast.Call):
                func = node.func
                name = (
                    func.id
                    if isinstance(func, ast.Name)
                    else func.attr
                    if isinstance(func, ast.Attribute)
                    else None
                )
                if name:
                    self._call(name, path, node.lineno)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    self.imports[path].update(modules.get(alias.name, ()))
            elif isinstance(node, ast.ImportFrom):
                base = _absolute(node.module or "", node.level, package)
                self.imports[path].update(modules.get(base, ()))
                for alias in node.names:
                    self.imports[path].update(modules.get(f"{base}.{alias.name}".strip("."), ()))

    def _add_patterns(
        self, path: str, language: str, lines: tuple[str, ...], files: _Files
    ) -> None:
        pattern = _DEFINITION[language]
        starts: list[tuple[int, str]] = []
        for number, line in enumerate(lines, start=1):
            match = pattern.match(line)
            if match:
                name = next((g for g in match.groups() if g), None)
                if name and name not in _KEYWORDS:
                    starts.append((number, name))
            for call in _CALL.finditer(line):
                if not (match and call.start() < match.end()):
                    self._call(call.group(1), path, number)
            if language == "go" or any(k in line for k in ("import", "require", "use ", "mod ")):
                self.imports[path].update(_pattern_imports(language, path, line, files))
        for index, (number, name) in enumerate(starts):
            end = starts[index + 1][0] - 1 if index + 1 < len(starts) else len(lines)
            self._define(name, path, number, max(number, end))


def _python_package(path: str) -> str:
    parts = list(PurePosixPath(path).with_suffix("").parts)
    if parts and parts[-1] == "__init__":
        parts.pop()
    else:
        parts = parts[:-1]
    return ".".join(parts)


def _absolute(module: str, level: int, package: str) -> str:
    if level == 0:
        return module
    parts = package.split(".") if package else []
    base = parts[: len(parts) - (level - 1)] if level > 1 else parts
    return ".".join([*base, *([module] if module else [])])


def _python_modules(paths: list[str]) -> dict[str, list[str]]:
    """Every dotted name a file can be imported by (each suffix of its path: ``src/`` layouts,
    packages imported from inside)."""
    modules: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        parts = list(PurePosixPath(path).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        for first in range(len(parts)):
            modules[".".join(parts[first:])].append(path)
    return modules


class _Files:
    """The paths of the graph, indexed for import resolution by folder and by file name."""

    def __init__(self, paths: Iterable[str]) -> None:
        self.paths = set(paths)
        self.folders: dict[str, list[str]] = defaultdict(list)
        self.names: dict[str, list[str]] = defaultdict(list)
        for path in self.paths:
            pure = PurePosixPath(path)
            self.folders[str(pure.parent)].append(path)
            self.names[pure.name].append(path)


def _pattern_imports(language: str, path: str, line: str, files: _Files) -> set[str]:
    """Local files an import on ``line`` of ``path`` names (best effort, by path shape)."""
    folder = PurePosixPath(path).parent
    found: set[str] = set()
    if language in ("javascript", "typescript"):
        for js in _JS_IMPORT.finditer(line):
            target = _normalise(folder / js.group(1))
            for suffix in ("", *_JS_SUFFIXES):
                if target + suffix in files.paths:
                    found.add(target + suffix)
                    break
    elif language == "go":
        go = _GO_IMPORT.match(line)
        if go:
            tail = "/".join(go.group(1).split("/")[-2:])
            for name, members in files.folders.items():
                if name == tail or name.endswith("/" + tail):
                    found.update(members)
    elif language == "rust":
        rust = _RUST_USE.match(line)
        if rust:
            parts = [p for p in rust.group(1).split("::") if p not in ("crate", "self", "super")]
            for size in range(len(parts), 0, -1):
                stem = "/".join(parts[:size])
                for candidate in (f"src/{stem}.rs", f"src/{stem}/mod.rs", f"{folder}/{stem}.rs"):
                    if candidate in files.paths:
                        found.add(candidate)
                if found:
                    break
    elif language == "java":
        java = _JAVA_IMPORT.match(line)
        if java:
            tail = java.group(1).replace(".", "/") + ".java"
            name = tail.rsplit("/", 1)[-1]
            found.update(p for p in files.names.get(name, ()) if p.endswith(tail))
    return found


def _normalise(path: PurePosixPath) -> str:
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)
