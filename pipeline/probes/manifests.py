"""Dependency manifests and lockfiles, parsed once: who declares what, where, how pinned."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from pipeline.probes.base import ProbeContext

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
    "java": ("gradle.lockfile", "pom.xml"),
}


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


def _line(ctx: ProbeContext, path: str, name: str) -> int:
    rx = re.compile(rf"(^|[\s\"'\[{{,]){re.escape(name)}($|[\s\"'\[=<>~!;:,@^])", re.I)
    # A comment that mentions the name (``# torch is pinned…``) is not where it is declared.
    return next(
        (
            n
            for n, s in enumerate(ctx.lines(path), 1)
            if rx.search(s) and not s.lstrip().startswith(("#", "//"))
        ),
        1,
    )


def python_requirements(ctx: ProbeContext) -> list[Requirement]:
    """Python dependencies from pyproject, requirements*.txt, setup.py and Pipfile."""
    return ctx.memo("py-reqs", lambda: _python(ctx))


def _from_string(ctx: ProbeContext, path: str, raw: str, dev: bool) -> Requirement | None:
    m = _REQ.match(raw.split(";")[0].split("#")[0])
    if not m or raw.strip().startswith(("-", "#", "git+", "http")):
        return None
    return Requirement(
        m.group(1), m.group(3).strip(), path, _line(ctx, path, m.group(1)), "python", dev
    )


def _python(ctx: ProbeContext) -> list[Requirement]:
    out: list[Requirement] = []
    for path in ctx.named("pyproject.toml"):
        data = ctx.toml(path) or {}
        project = data.get("project", {})
        for raw in project.get("dependencies", []) or []:
            req = _from_string(ctx, path, str(raw), False)
            out.extend([req] if req else [])
        poetry = data.get("tool", {}).get("poetry", {})
        for name, spec in (poetry.get("dependencies") or {}).items():
            if name.lower() != "python":
                version = spec.get("version", "") if isinstance(spec, dict) else str(spec)
                out.append(Requirement(name, version, path, _line(ctx, path, name), "python"))
    for f in ctx.files:
        name = PurePosixPath(f.path).name.lower()
        if not ctx.applies(f.path):
            continue
        if name.startswith("requirements") and name.endswith((".txt", ".in")):
            dev = any(k in name for k in ("dev", "test", "lint", "doc"))
            for raw in ctx.lines(f.path):
                req = _from_string(ctx, f.path, raw, dev)
                out.extend([req] if req else [])
        elif name == "setup.py":
            for node in ctx.py_nodes(f.path, ast.keyword):
                if node.arg == "install_requires":
                    for elt in getattr(node.value, "elts", []):
                        if isinstance(elt, ast.Constant) and isinstance(elt.value, str):
                            req = _from_string(ctx, f.path, elt.value, False)
                            out.extend([req] if req else [])
        elif name == "pipfile":
            data = ctx.toml(f.path) or {}
            for name_, spec in (data.get("packages") or {}).items():
                version = spec.get("version", "*") if isinstance(spec, dict) else str(spec)
                out.append(
                    Requirement(
                        name_,
                        "" if version == "*" else version,
                        f.path,
                        _line(ctx, f.path, name_),
                        "python",
                    )
                )
    return out


def node_packages(ctx: ProbeContext) -> list[Requirement]:
    """package.json dependencies (runtime and dev) of the root and in-scope packages."""

    def compute() -> list[Requirement]:
        out = []
        for path in ctx.named("package.json"):
            data = ctx.json_data(path)
            if not isinstance(data, dict):
                continue
            for section, dev in (("dependencies", False), ("devDependencies", True)):
                for name, spec in (data.get(section) or {}).items():
                    out.append(
                        Requirement(
                            name, str(spec), path, _line(ctx, path, f'"{name}"'), "javascript", dev
                        )
                    )
        return out

    return ctx.memo("node-pkgs", compute)


def cargo_dependencies(ctx: ProbeContext) -> list[Requirement]:
    """Cargo.toml dependencies."""

    def compute() -> list[Requirement]:
        out = []
        for path in ctx.named("Cargo.toml"):
            data = ctx.toml(path) or {}
            for section, dev in (("dependencies", False), ("dev-dependencies", True)):
                for name, spec in (data.get(section) or {}).items():
                    version = spec.get("version", "") if isinstance(spec, dict) else str(spec)
                    out.append(
                        Requirement(name, version, path, _line(ctx, path, name), "rust", dev)
                    )
        return out

    return ctx.memo("cargo-deps", compute)


def manifest_text(ctx: ProbeContext) -> str:
    """Every manifest's text joined, for quick "is X declared anywhere" questions."""
    names = (
        "pyproject.toml",
        "requirements.txt",
        "setup.py",
        "setup.cfg",
        "package.json",
        "go.mod",
        "Cargo.toml",
        "pom.xml",
        "build.gradle",
        "build.gradle.kts",
        "Pipfile",
    )
    return ctx.memo("manifest-text", lambda: "\n".join(ctx.text(p) for p in ctx.named(*names)))


def lockfiles(ctx: ProbeContext) -> dict[str, str]:
    """Lockfile path per ecosystem found (pom.xml counts only for pinned Maven versions)."""

    def compute() -> dict[str, str]:
        found: dict[str, str] = {}
        for ecosystem, names in LOCKFILES.items():
            paths = ctx.named(*[n for n in names if n != "pom.xml"])
            if paths:
                found[ecosystem] = sorted(paths, key=len)[0]
        return found

    return ctx.memo("lockfiles", compute)
