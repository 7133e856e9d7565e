"""The ``manifests`` view: dependency manifests and lockfiles, parsed once.

Who declares what, where, how pinned. A ``requirements.txt`` that pins every line with ``==``
(a ``pip freeze``) is a lock, not a declaration: its transitive packages are not "declared
dependencies" of the code.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

from pipeline.ingest.languages import MANIFESTS
from pipeline.probes.registry import view
from pipeline.probes.views.datafiles import DataFiles
from pipeline.probes.views.python import PythonCode
from pipeline.probes.views.repo import RepoView

_REQ = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$")

LOCKFILES = {
    "python": (
        "poetry.lock",
        "uv.lock",
        "pipfile.lock",
        "pdm.lock",
        "requirements.lock",
        "pylock.toml",
    ),
    "javascript": (
        "package-lock.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "bun.lockb",
        "bun.lock",
        "npm-shrinkwrap.json",
    ),
    "go": ("go.sum",),
    "rust": ("cargo.lock",),
    "java": ("gradle.lockfile",),
}


_DOCS_TOOL = re.compile(
    r"(mkdocs|sphinx|furo|myst|pymdown|mike$|recommonmark|nbsphinx|readthedocs|breathe|"
    r"exhale)"
)
# Tools developers install to test, lint, format and debug: no program runs with them.
_DEV_TOOL = re.compile(
    r"(pytest|mock$|coverage|tox|nox|ipdb|pdbpp|debugpy|black|pylint|flake8|ruff|mypy|"
    r"isort|pre-commit|hypothesis|bandit|pyright|twine|wheel$|build$|ipython|codecov|"
    r"responses$|freezegun|faker$|autopep8|yapf|pycodestyle|pydocstyle|pyflakes)"
)
_DEV_WORDS = frozenset(
    [
        "dev",
        "develop",
        "development",
        "test",
        "tests",
        "testing",
        "lint",
        "linting",
        "doc",
        "docs",
        "local",
        "ci",
        "bench",
        "benchmark",
        "benchmarks",
        "typing",
        "mypy",
    ]
)


_NOT_OURS = frozenset({"example", "fixture", "test", "bench", "docs"})


@dataclass(frozen=True)
class Requirement:
    """One declared dependency."""

    name: str
    spec: str
    path: str
    line: int
    ecosystem: str
    dev: bool = False

    @property
    def pinned(self) -> bool:
        return "==" in self.spec or (self.ecosystem != "python" and bool(self.spec.strip()))

    @property
    def bounded(self) -> bool:
        return bool(re.search(r"[<>=~^]|\d", self.spec)) and self.spec.strip() not in ("*", "")


@view("manifests")
class Manifests:
    """Dependencies declared by pyproject/requirements/setup.py/Pipfile, package.json, Cargo."""

    def __init__(self, repo: RepoView, data: DataFiles, python: PythonCode) -> None:
        self.repo = repo
        self.data = data
        self.python = python

    def python_requirements(self) -> list[Requirement]:
        """Python dependencies from pyproject, requirements*.txt, setup.py and Pipfile."""
        return self.repo.memo("py-reqs", self._python)

    def node_packages(self) -> list[Requirement]:
        """package.json dependencies (runtime and dev) of the root and in-scope packages."""
        return self.repo.memo("node-pkgs", self._node)

    def cargo_dependencies(self) -> list[Requirement]:
        """Cargo.toml dependencies."""
        return self.repo.memo("cargo-deps", self._cargo)

    def text(self) -> str:
        """Every manifest's text joined, for quick "is X declared anywhere" questions."""
        names = (*MANIFESTS, "requirements.txt")
        return self.repo.memo(
            "manifest-text", lambda: "\n".join(self.repo.text(p) for p in self.repo.named(*names))
        )

    def lockfiles(self) -> dict[str, str]:
        """Lockfile path per ecosystem found (a fully pinned requirements file counts)."""
        return self.repo.memo("lockfiles", self._lockfiles)

    def _module_value(self, path: str, name: str) -> ast.expr | None:
        """The value last assigned to ``name`` at the top level of a Python file."""
        tree = self.python.tree(path)
        found = None
        for node in tree.body if tree else []:
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in node.targets
            ):
                found = node.value
        return found

    def distributed(self, path: str) -> bool:
        """Whether a Python manifest declares a package built for others to install: a
        setup.py or setup.cfg, or a pyproject.toml with a build system and a [project] (or
        Poetry) table. Its dependencies are ranges by design: the installs of its users
        resolve the versions."""
        name = PurePosixPath(path).name.lower()
        if name in ("setup.py", "setup.cfg"):
            return True
        if name != "pyproject.toml":
            return False
        data = self.data.toml(path) or {}
        poetry = data.get("tool", {}).get("poetry", {})
        return bool(data.get("build-system")) and bool(data.get("project") or poetry)

    def frozen_requirements(self, nearly: bool = False) -> list[str]:
        """requirements*.txt (or requirements/*.txt) files whose every requirement is pinned
        with ``==``: a pip freeze of the resolved set, transitive packages included. With
        ``nearly``, nine in ten pinned is enough: a freeze with a floor or two added by hand
        (whoogle's 30 pins beside `httpcore>=1.0.9`), still a list of transitive packages,
        though no lockfile."""
        share = 9 if nearly else 10

        def compute() -> list[str]:
            by_file: dict[str, list[Requirement]] = {}
            for req in self.python_requirements():
                where = PurePosixPath(req.path)
                if where.name.lower().startswith("requirements") or (
                    where.parent.name.lower() == "requirements"
                ):
                    by_file.setdefault(req.path, []).append(req)
            return sorted(
                path
                for path, reqs in by_file.items()
                if len(reqs) >= 3 and 10 * sum("==" in r.spec for r in reqs) >= share * len(reqs)
            )

        return self.repo.memo(f"frozen-reqs:{nearly}", compute)

    def _own(self, *names: str) -> list[str]:
        """Manifests of the project itself: an example app's or a test fixture's are not."""
        return [
            path
            for path in self.repo.named(*names)
            if getattr(self.repo.by_path.get(path), "role", "product") not in _NOT_OURS
        ]

    def declaration_line(self, path: str, name: str) -> int:
        rx = re.compile(rf"(^|[\s\"'\[{{,]){re.escape(name)}($|[\s\"'\[=<>~!;:,@^])", re.I)
        # A comment that mentions the name (``# torch is pinned…``) is not where it is declared.
        return next(
            (
                n
                for n, s in enumerate(self.repo.lines(path), 1)
                if rx.search(s) and not s.lstrip().startswith(("#", "//"))
            ),
            1,
        )

    def _from_string(self, path: str, raw: str, dev: bool) -> Requirement | None:
        m = _REQ.match(raw.split(";")[0].split("#")[0])
        if not m or raw.strip().startswith(("-", "#", "git+", "http")):
            return None
        name = m.group(1)
        # The line that holds this very requirement (a name can also appear, pinned, in the
        # build-system table above it); else the first line declaring the name.
        text = raw.strip()
        line = next(
            (
                n
                for n, s in enumerate(self.repo.lines(path), 1)
                if s.strip() == text or f'"{text}"' in s or f"'{text}'" in s
            ),
            0,
        )
        return Requirement(
            name, m.group(3).strip(), path, line or self.declaration_line(path, name), "python", dev
        )

    def _python(self) -> list[Requirement]:
        out: list[Requirement] = []
        for path in self._own("pyproject.toml"):
            data = self.data.toml(path) or {}
            project = data.get("project", {})
            for raw in project.get("dependencies", []) or []:
                req = self._from_string(path, str(raw), False)
                out.extend([req] if req else [])
            poetry = data.get("tool", {}).get("poetry", {})
            for name, spec in (poetry.get("dependencies") or {}).items():
                if name.lower() != "python":
                    version = spec.get("version", "") if isinstance(spec, dict) else str(spec)
                    line = self.declaration_line(path, name)
                    out.append(Requirement(name, version, path, line, "python"))
        for f in self.repo.files:
            name = PurePosixPath(f.path).name.lower()
            if not self.repo.applies(f.path) or f.role in _NOT_OURS:
                continue
            folder = PurePosixPath(f.path).parent
            if name.endswith((".txt", ".in")) and (
                name.startswith("requirements") or folder.name.lower() == "requirements"
            ):
                # requirements-dev.txt, requirements/test.txt, docs/requirements.txt: what
                # developers install, not what the product needs to run.
                words = re.split(r"[^a-z0-9]+", f"{folder.as_posix().lower()}/{name}")
                dev = f.role != "product" or any(w in _DEV_WORDS for w in words)
                found = [
                    req
                    for raw in self.repo.lines(f.path)
                    if (req := self._from_string(f.path, raw, dev)) is not None
                ]
                # Nothing but documentation tools (ntfy's root requirements.txt: mkdocs and
                # its plugins): what the docs build installs, not what the product runs.
                if found and all(_DOCS_TOOL.match(r.name.lower()) for r in found):
                    found = [replace(r, dev=True) for r in found]
                # Nothing but development tools (awslogs' requirements.txt, headed
                # "# Development": mock, ipdb, black, pylint, pytest, tox), or a file whose
                # first line says it is for development.
                first = next((t.strip() for t in self.repo.lines(f.path) if t.strip()), "")
                if found and (
                    all(_DEV_TOOL.match(r.name.lower()) for r in found)
                    or re.match(r"(?i)#\s*(dev|development|testing|tests?)\b", first)
                ):
                    found = [replace(r, dev=True) for r in found]
                out.extend(found)
            elif name == "setup.py":
                for node in self.python.nodes(f.path, ast.keyword):
                    if node.arg == "install_requires":
                        value = node.value
                        if isinstance(value, ast.Name):
                            # install_requires=install_requires, a list set above (awslogs).
                            value = self._module_value(f.path, value.id) or value
                        for elt in getattr(value, "elts", []):
                            if isinstance(elt, ast.Constant) and isinstance(elt.value, str):
                                req = self._from_string(f.path, elt.value, False)
                                out.extend([req] if req else [])
            elif name == "pipfile":
                data = self.data.toml(f.path) or {}
                for name_, spec in (data.get("packages") or {}).items():
                    version = spec.get("version", "*") if isinstance(spec, dict) else str(spec)
                    line = self.declaration_line(f.path, name_)
                    out.append(
                        Requirement(
                            name_, "" if version == "*" else version, f.path, line, "python"
                        )
                    )
        return out

    def _node(self) -> list[Requirement]:
        out = []
        for path in self._own("package.json"):
            data = self.data.json(path)
            if not isinstance(data, dict):
                continue
            for section, dev in (("dependencies", False), ("devDependencies", True)):
                for name, spec in (data.get(section) or {}).items():
                    line = self.declaration_line(path, f'"{name}"')
                    out.append(Requirement(name, str(spec), path, line, "javascript", dev))
        return out

    def _cargo(self) -> list[Requirement]:
        out = []
        for path in self._own("Cargo.toml"):
            data = self.data.toml(path) or {}
            for section, dev in (("dependencies", False), ("dev-dependencies", True)):
                for name, spec in (data.get(section) or {}).items():
                    version = spec.get("version", "") if isinstance(spec, dict) else str(spec)
                    line = self.declaration_line(path, name)
                    out.append(Requirement(name, version, path, line, "rust", dev))
        return out

    def _lockfiles(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for ecosystem, names in LOCKFILES.items():
            paths = self.repo.present(*names)
            if paths:
                found[ecosystem] = sorted(paths, key=len)[0]
        # A frozen file of development tools only (dinov2's requirements-dev.txt pins black,
        # flake8 and pylint) locks nothing the program runs with.
        runtime = {r.path for r in self.python_requirements() if not r.dev}
        frozen = [p for p in self.frozen_requirements() if p in runtime]
        if "python" not in found and frozen:
            found["python"] = frozen[0]
        return found
