"""Probe base class, registry and the shared context every probe reads.

A probe is a small class with a stable id (``OBS003``), a category, a severity and a
``check()``. Its docstring is the message a user reads. Shared inputs (file index, parsed
files) are computed once by :class:`ProbeContext` and handed to every probe that asks.
"""

from __future__ import annotations

import ast
import functools
import inspect
import json
import tomllib
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
from typing import Any, ClassVar, TypeVar

import yaml
from dockerfile_parse import DockerfileParser

from pipeline.errors import ConfigError
from pipeline.schemas import Category, CheckResult, Evidence, Outcome, Severity, SourceFile
from pipeline.secrets import redact_secrets

T = TypeVar("T")

# Folders at the repository root whose files apply to every package of a monorepo.
_SHARED_DIRS = {
    ".github",
    ".gitlab",
    ".circleci",
    "docs",
    "doc",
    "deploy",
    "docker",
    "k8s",
    "helm",
    "charts",
    "ops",
    ".ci",
    "scripts",
    "ci",
}

_REGISTRY: dict[str, type[Probe]] = {}


class ProbeContext:
    """The repository as probes see it: the ingested file index plus cached parsed views.

    Args:
        root: The repository root; evidence paths are relative to it.
        files: Every file ingest kept (relative paths).
        scope: When assessing one package of a monorepo, its folder relative to ``root``.
    """

    def __init__(self, root: Path, files: list[SourceFile], scope: str | None = None) -> None:
        self.root = root
        self.files = files
        self.scope = scope
        self.by_path = {f.path: f for f in files}
        self.parse_errors: dict[str, str] = {}
        self._memo: dict[str, Any] = {}

    def memo(self, key: str, factory: Callable[[], T]) -> T:
        """Compute a derived view once per context (``factory`` runs on the first call)."""
        if key not in self._memo:
            self._memo[key] = factory()
        return self._memo[key]  # type: ignore[no-any-return]

    def in_scope(self, path: str) -> bool:
        """Whether ``path`` belongs to the assessed package (always true without a scope)."""
        if not self.scope:
            return True
        scope = self.scope.strip("/")
        return path == scope or path.startswith(scope + "/")

    def applies(self, path: str) -> bool:
        """In scope, or a root-level file (CI, Docker, docs) that applies to every package."""
        if self.in_scope(path):
            return True
        parts = PurePosixPath(path).parts
        return len(parts) == 1 or parts[0] in _SHARED_DIRS

    def code_files(self, *languages: str, tests: bool | None = False) -> list[SourceFile]:
        """In-scope files of ``languages``.

        ``tests`` False = product code only (``role == "product"``: examples, benchmarks,
        fixtures and docs say little about the product), True = tests only, None = every file.
        """
        return [
            f
            for f in self.files
            if f.language in languages
            and self.in_scope(f.path)
            and (tests is None or (f.is_test if tests else (not f.is_test and _product(f))))
        ]

    def named(self, *names: str) -> list[str]:
        """Applicable paths whose file name (case-insensitive) is one of ``names``."""
        wanted = {n.lower() for n in names}
        return [
            f.path
            for f in self.files
            if PurePosixPath(f.path).name.lower() in wanted and self.applies(f.path)
        ]

    @functools.cache  # noqa: B019 - the context lives for one probe run
    def text(self, path: str) -> str:
        """The text of a repository file ('' when unreadable)."""
        try:
            return (self.root / path).read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def lines(self, path: str) -> list[str]:
        return self.text(path).splitlines()

    @functools.cache  # noqa: B019
    def python_ast(self, path: str) -> ast.Module | None:
        """The parsed module, or None when it does not parse."""
        try:
            return ast.parse(self.text(path), filename=path)
        except (SyntaxError, ValueError):
            return None

    @functools.cache  # noqa: B019
    def toml(self, path: str) -> dict[str, Any] | None:
        """The parsed TOML document, or None (the parse error lands in ``parse_errors``)."""
        try:
            return tomllib.loads(self.text(path))
        except tomllib.TOMLDecodeError as exc:
            self.parse_errors[path] = str(exc)
            return None

    @functools.cache  # noqa: B019
    def json_data(self, path: str) -> Any:
        """The parsed JSON document, or None."""
        try:
            return json.loads(self.text(path))
        except ValueError as exc:
            self.parse_errors[path] = str(exc)
            return None

    @functools.cache  # noqa: B019
    def yaml_nodes(self, path: str) -> list[yaml.Node]:
        """The YAML documents as node trees (they keep line numbers), [] when invalid."""
        try:
            return [n for n in yaml.compose_all(self.text(path), Loader=yaml.SafeLoader) if n]
        except yaml.YAMLError as exc:
            self.parse_errors[path] = str(exc).splitlines()[0] if str(exc) else "invalid YAML"
            return []

    @functools.cache  # noqa: B019
    def yaml_docs(self, path: str) -> list[Any]:
        """The YAML documents as Python data, [] when invalid."""
        try:
            return [d for d in yaml.safe_load_all(self.text(path)) if d is not None]
        except yaml.YAMLError as exc:
            self.parse_errors[path] = str(exc).splitlines()[0] if str(exc) else "invalid YAML"
            return []

    @functools.cache  # noqa: B019
    def dockerfile(self, path: str) -> list[dict[str, Any]]:
        """Dockerfile instructions (``instruction``, ``value``, ``startline`` 0-based)."""
        parser = DockerfileParser(fileobj=_BytesText(self.text(path)))
        try:
            return list(parser.structure)
        except Exception as exc:  # noqa: BLE001 - dockerfile-parse raises bare errors
            self.parse_errors[path] = str(exc)
            return []

    def anchor(self, *preferred: str) -> list[Evidence]:
        """Line 1 of the most relevant existing file, to cite when something is absent."""
        manifests = (
            "pyproject.toml",
            "setup.py",
            "package.json",
            "go.mod",
            "Cargo.toml",
            "pom.xml",
            "build.gradle",
            "build.gradle.kts",
            "readme.md",
            "readme",
        )
        for name in (*preferred, *manifests):
            paths = [p for p in self.named(name) if self.in_scope(p)] or self.named(name)
            if paths:
                return [self.evidence(min(paths, key=len), 1)]
        scoped = [f.path for f in self.files if self.in_scope(f.path)]
        return [self.evidence(scoped[0], 1)] if scoped else []

    def py_index(self, path: str) -> dict[Any, Any]:
        """The cached node index of a Python file (see :func:`_index`)."""
        return self.memo(f"py-index:{path}", lambda: _index(self.python_ast(path)))

    def py_nodes(self, path: str, *kinds: type[ast.AST]) -> list[Any]:
        """Nodes of the given types in a Python file, from one cached walk of its tree."""
        index = self.py_index(path)
        if len(kinds) == 1:
            return index.get(kinds[0], [])
        return sorted(
            (n for k in kinds for n in index.get(k, [])),
            key=lambda n: (getattr(n, "lineno", 0), getattr(n, "col_offset", 0)),
        )

    def files_in(self, *languages: str) -> list[SourceFile]:
        return [f for f in self.files if f.language in languages]

    def evidence(self, path: str, start: int, end: int | None = None) -> Evidence:
        """Evidence for lines ``start..end`` of ``path``, with the snippet read from the file."""
        lines = self.lines(path)
        end = end or start
        start = max(1, min(start, max(len(lines), 1)))
        end = max(start, min(end, max(len(lines), 1)))
        snippet = "\n".join(lines[start - 1 : end])
        # Evidence is shown to users and models: never let a raw secret through.
        snippet, _ = redact_secrets(snippet, path)
        return Evidence(path=path, start_line=start, end_line=end, snippet=snippet[:400])


def _product(f: SourceFile) -> bool:
    """Product code: not an example, benchmark, fixture or doc, nor a Cargo build script."""
    return f.role == "product" and PurePosixPath(f.path).name != "build.rs"


CallContext = tuple[bool, bool, "ast.FunctionDef | ast.AsyncFunctionDef | None"]
_LOOPS = (
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
)


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


class _BytesText:
    """A read-only file object over text, so dockerfile-parse never touches the disk."""

    def __init__(self, text: str) -> None:
        import io

        self._buffer = io.BytesIO(text.encode("utf-8"))
        self.name = "Dockerfile"

    def read(self, *args: int) -> bytes:
        return self._buffer.read(*args)

    def seek(self, *args: int) -> int:
        return self._buffer.seek(*args)

    def readlines(self) -> list[bytes]:
        return self._buffer.readlines()


class Probe:
    """Base of every probe. Subclasses set the class variables and implement ``check``."""

    id: ClassVar[str]
    category: ClassVar[Category]
    severity: ClassVar[Severity]
    title: ClassVar[str]
    rationale: ClassVar[str] = ""
    remediation: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if not inspect.isabstract(cls) and "id" in cls.__dict__:
            if cls.id in _REGISTRY and _REGISTRY[cls.id] is not cls:
                raise ValueError(f"duplicate probe id {cls.id}")
            _REGISTRY[cls.id] = cls

    @classmethod
    def message(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or cls.title)

    def check(self, ctx: ProbeContext) -> CheckResult:
        raise NotImplementedError

    def _result(self, outcome: Outcome, message: str, evidence: Iterable[Evidence]) -> CheckResult:
        return CheckResult(
            id=self.id,
            category=self.category,
            severity=self.severity,
            title=self.title,
            outcome=outcome,
            message=message,
            rationale=self.rationale,
            remediation=self.remediation,
            evidence=list(evidence),
        )

    def passed(self, evidence: Iterable[Evidence], message: str | None = None) -> CheckResult:
        """A pass. It cites what it found; a pass that rests on finding nothing ("no eval in
        84 files") has no line to cite and carries no evidence rather than a fake anchor.
        Every fail carries evidence."""
        return self._result(Outcome.passed, message or self.message(), evidence)

    def failed(self, evidence: Iterable[Evidence], message: str | None = None) -> CheckResult:
        return self._result(Outcome.failed, message or self.message(), evidence)

    def not_applicable(self, reason: str) -> CheckResult:
        return self._result(Outcome.not_applicable, reason, [])


def registered_probes() -> list[type[Probe]]:
    """Every registered probe class, in id order (built-ins plus ``readiness.probes`` plugins)."""
    from pipeline.probes import catalogue  # noqa: F401 - importing registers the probes

    _load_plugins()
    return [_REGISTRY[key] for key in sorted(_REGISTRY)]


@functools.cache
def _load_plugins() -> None:
    """Import the modules other packages register under the ``readiness.probes`` entry points."""
    from importlib.metadata import entry_points

    for entry in entry_points(group="readiness.probes"):
        try:
            entry.load()
        except (ImportError, AttributeError, ValueError) as exc:
            raise ConfigError(
                f"probe plugin {entry.name!r} ({entry.value}) failed to load: {exc}"
            ) from exc


def run_probes(ctx: ProbeContext) -> list[CheckResult]:
    """Run every probe; a probe that raises yields an ``error`` outcome, never a crash."""
    results = []
    for probe_cls in registered_probes():
        probe = probe_cls()
        try:
            results.append(probe.check(ctx))
        except Exception as exc:  # noqa: BLE001 - one broken probe must not sink the run
            results.append(probe._result(Outcome.error, f"{type(exc).__name__}: {exc}", []))
    return results
