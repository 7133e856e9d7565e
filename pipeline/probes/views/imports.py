"""The ``imports`` view: every module the code imports, with each file and line importing it."""

from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import PurePosixPath

from pipeline.probes.base import Hit
from pipeline.probes.registry import view
from pipeline.probes.views.manifests import Manifests
from pipeline.probes.views.python import PythonCode
from pipeline.probes.views.repo import RepoView
from pipeline.probes.views.search import CODE, TextSearch

_JS_IMPORT = re.compile(
    r"""(?:\bfrom\s+|\brequire\(\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]""", re.M
)
_GO_IMPORT_BLOCK = re.compile(r"^import\s*\((.*?)^\)", re.M | re.S)
_GO_IMPORT_LINE = re.compile(r'^import\s+(?:\w+\s+)?"([^"]+)"', re.M)
_RUST_USE = re.compile(r"^\s*(?:pub\s+)?(?:use|extern\s+crate)\s+([a-zA-Z_][\w:]*)", re.M)
_JAVA_IMPORT = re.compile(r"^\s*import\s+(?:static\s+)?([\w.]+)", re.M)
# A crate used by path without a `use` line: `reqwest::get(...)`, `#[tokio::main]`.
_RUST_PATH = re.compile(r"(?<![\w:])([a-z_][a-z0-9_]*)::")
_PATTERNS = {
    "javascript": _JS_IMPORT,
    "typescript": _JS_IMPORT,
    "rust": _RUST_USE,
    "java": _JAVA_IMPORT,
    "go": _GO_IMPORT_LINE,
}


_JS_TYPE_IMPORT = re.compile(r"\b(import|export)\s+type\b[^;'\"=]*$")


def _type_only_js(language: str, code: str, at: int) -> bool:
    """``import type X from 'react'``: TypeScript erases it, nothing is loaded at run time."""
    if language not in ("typescript", "javascript"):
        return False
    start = max(code.rfind("import", 0, at), code.rfind("export", 0, at))
    return start >= 0 and bool(_JS_TYPE_IMPORT.match(code, start, at))


def _in_template(language: str, code: str, at: int) -> bool:
    """Whether position ``at`` lies inside a JavaScript template literal: hono's
    graphql-server serves GraphiQL as an HTML page in a backtick string whose
    `<script type="module">` imports react; the server itself imports no React."""
    if language not in ("typescript", "javascript"):
        return False
    ticks = code.count("`", 0, at) - code.count("\\`", 0, at)
    return ticks % 2 == 1


def matches_prefix(name: str, prefix: str) -> bool:
    """Whether module ``name`` is ``prefix`` or lies under it (``a.b`` under ``a``).

    A prefix ending in ``$`` names that module alone: ``database/sql$`` is Go's database
    handle, not ``database/sql/driver``, which a type imports to be stored in a column
    (filebrowser's go-enum files), whatever the store."""
    if prefix.endswith("$"):
        return name == prefix[:-1]
    if name == prefix:
        return True
    if not name.startswith(prefix):
        return False
    return prefix[-1] in "/.:" or name[len(prefix)] in "./:"


@view("imports")
class Imports:
    """Imports of in-scope code, across languages (product code unless asked for tests)."""

    def __init__(
        self, repo: RepoView, python: PythonCode, text: TextSearch, manifests: Manifests
    ) -> None:
        self.repo = repo
        self.python = python
        self.text = text
        self.crates = {
            r.name.replace("-", "_") for r in manifests.cargo_dependencies() if not r.dev
        }
        self._sites: dict[bool, dict[str, list[Hit]]] = {}

    def sites(self, tests: bool = False) -> dict[str, list[Hit]]:
        """Module name → every file (first line) importing it."""
        if tests not in self._sites:
            self._sites[tests] = self._collect(tests)
        return self._sites[tests]

    def table(self, tests: bool = False) -> dict[str, Hit]:
        """Module name → its first import site."""
        return {name: sites[0] for name, sites in self.sites(tests).items()}

    def find(self, *prefixes: str, tests: bool = False) -> Hit | None:
        """The first import of a module equal to or under one of ``prefixes``."""
        best: Hit | None = None
        for name, sites in self.sites(tests).items():
            hit = sites[0]
            if any(matches_prefix(name, p) for p in prefixes) and (
                best is None or (hit.path, hit.line) < (best.path, best.line)
            ):
                best = hit
        return best

    def find_in(
        self, languages: tuple[str, ...], *prefixes: str, hosted: bool = True
    ) -> Hit | None:
        """The first product import, from a file in one of ``languages``, of ``prefixes``.

        ``hosted=False`` passes over imports of a package its users bring (see
        ``peer_provided``): a plugin or adapter for a framework its users run (``@trpc/next``
        importing ``next/cache``) integrates with it; it runs no such app.
        """
        best: Hit | None = None
        for name, sites in self.sites().items():
            if not any(matches_prefix(name, p) for p in prefixes):
                continue
            for hit in sites:
                source = self.repo.by_path.get(hit.path)
                if not hosted and self.peer_provided(name, hit.path):
                    continue
                if source is not None and source.language in languages:
                    if best is None or (hit.path, hit.line) < (best.path, best.line):
                        best = hit
                    break
        return best

    def peer_provided(self, module: str, path: str) -> bool:
        """Whether the users of the npm package holding ``path`` (its nearest package.json)
        bring the package of ``module``: a peer dependency, or, in a package published for
        others to install, one it needs only while it is developed (``@trpc/server``'s
        Next.js and Express adapters import ``next`` and ``express``, devDependencies)."""
        package = module.split("/", 2)
        name = "/".join(package[:2]) if module.startswith("@") else package[0]
        folder = PurePosixPath(path).parent
        while True:
            manifest = "package.json" if str(folder) in (".", "") else f"{folder}/package.json"
            if manifest in self.repo.by_path:
                return name in self._peers(manifest)
            if str(folder) in (".", ""):
                return False
            folder = folder.parent

    def _peers(self, manifest: str) -> frozenset[str]:
        def compute() -> frozenset[str]:
            try:
                data = json.loads(self.repo.text(manifest))
            except ValueError:
                return frozenset()
            if not isinstance(data, dict):
                return frozenset()

            def names(key: str) -> set[str]:
                table = data.get(key)
                return set(table) if isinstance(table, dict) else set()

            brought = names("peerDependencies")
            if not data.get("private") and (data.get("main") or data.get("exports")):
                brought |= names("devDependencies") - names("dependencies")
            return frozenset(brought)

        return self.repo.memo(f"npm-peers:{manifest}", compute)

    def importers(self, *prefixes: str) -> set[str]:
        """Product files importing a module equal to or under one of ``prefixes``."""
        return {
            h.path
            for name, sites in self.sites().items()
            if any(matches_prefix(name, p.rstrip("./:") or p) for p in prefixes)
            for h in sites
        }

    def third_party_python(self) -> dict[str, Hit]:
        """Top-level Python modules product code imports that are neither the standard
        library nor the repository's own modules, each with its first import."""

        def compute() -> dict[str, Hit]:
            local: set[str] = set()
            for f in self.repo.files:
                parts = PurePosixPath(f.path).parts
                local.update(PurePosixPath(part).stem for part in parts)
            found: dict[str, Hit] = {}
            for name, all_sites in self.sites().items():
                # Imports under `if TYPE_CHECKING:` never run: no runtime dependency.
                sites = [h for h in all_sites if (h.path, h.line) not in self._type_only()]
                if not sites:
                    continue
                top = name.split(".")[0]
                source = self.repo.by_path.get(sites[0].path)
                if (
                    not top
                    or source is None
                    or source.language != "python"
                    or top in sys.stdlib_module_names
                    or top in local
                    or top == "__future__"
                ):
                    continue
                if top not in found or (sites[0].path, sites[0].line) < (
                    found[top].path,
                    found[top].line,
                ):
                    found[top] = sites[0]
            return found

        return self.repo.memo("third-party-python", compute)

    def usage(self, pattern: str, *prefixes: str) -> Hit | None:
        """A line matching ``pattern`` in a file that imports one of ``prefixes``."""
        imp = self.find(*prefixes)
        if imp is None:
            return None
        importing = self.importers(*prefixes)
        for hit in self.text.grep(pattern, code_only=True):
            if hit.path in importing and hit.line != imp.line:
                return hit
        return None

    def _type_only(self) -> set[tuple[str, int]]:
        """(path, line) of Python imports inside ``if TYPE_CHECKING:`` blocks."""

        def compute() -> set[tuple[str, int]]:
            found: set[tuple[str, int]] = set()
            for f in self.repo.code_files("python"):
                for node in self.python.nodes(f.path, ast.If):
                    test = node.test
                    name = test.attr if isinstance(test, ast.Attribute) else getattr(test, "id", "")
                    if name != "TYPE_CHECKING":
                        continue
                    for stmt in node.body:
                        for inner in ast.walk(stmt):
                            if isinstance(inner, ast.Import | ast.ImportFrom):
                                found.add((f.path, inner.lineno))
            return found

        return self.repo.memo("type-only-imports", compute)

    def _collect(self, tests: bool) -> dict[str, list[Hit]]:
        found: dict[str, list[Hit]] = {}

        def add(name: str, path: str, line: int) -> None:
            sites = found.setdefault(name, [])
            if not any(h.path == path for h in sites):
                sites.append(Hit(path, line, self.repo.shown(path, line).strip()))

        for f in self.repo.code_files(*CODE, tests=tests):
            if f.language == "python":
                for node in self.python.nodes(f.path, ast.Import, ast.ImportFrom):
                    if isinstance(node, ast.Import):
                        for alias in node.names:
                            add(alias.name, f.path, node.lineno)
                    elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                        add(node.module, f.path, node.lineno)
                        for alias in node.names:
                            add(f"{node.module}.{alias.name}", f.path, node.lineno)
                continue
            code = self.text.code_text(f.path, f.language)
            # A Rust `#[cfg(test)]` module is test code, whatever file it sits in.
            skip = self.text.rust_test_lines(f.path) if f.language == "rust" and not tests else ()
            for m in _PATTERNS[f.language].finditer(code):
                line = code.count("\n", 0, m.start(1)) + 1
                if (
                    line not in skip
                    and not _type_only_js(f.language, code, m.start())
                    and not _in_template(f.language, code, m.start())
                ):
                    add(m.group(1), f.path, line)
            if f.language == "rust" and self.crates:
                for m in _RUST_PATH.finditer(code):
                    line = code.count("\n", 0, m.start(1)) + 1
                    if m.group(1) in self.crates and line not in skip:
                        add(m.group(1), f.path, line)
            if f.language == "go":
                for block in _GO_IMPORT_BLOCK.finditer(code):
                    for m in re.finditer(r'"([^"]+)"', block.group(1)):
                        add(m.group(1), f.path, code.count("\n", 0, block.start(1) + m.start()) + 1)
        return found
