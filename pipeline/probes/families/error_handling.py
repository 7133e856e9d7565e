"""Error handling probes: bare and swallowed exceptions, panics, discarded errors."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from pipeline.probes.base import Hit, Probe
from pipeline.probes.shapes import CapabilityProbe, HazardProbe
from pipeline.probes.views.python import PythonCode
from pipeline.probes.views.repo import RepoView
from pipeline.schemas import Category, CheckResult, Severity


def _handlers(repo: RepoView, python: PythonCode) -> Iterator[tuple[str, ast.ExceptHandler]]:
    for f in repo.code_files("python"):
        for node in python.nodes(f.path, ast.ExceptHandler):
            yield f.path, node


def _trivial(body: list[ast.stmt]) -> bool:
    return all(
        isinstance(s, ast.Pass | ast.Continue)
        or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
        for s in body
    )


def _reraises(handler: ast.ExceptHandler) -> bool:
    """The handler ends in (or contains) a ``raise``: clean up and re-raise is not swallowing."""
    return any(isinstance(n, ast.Raise) for s in handler.body for n in ast.walk(s))


def _optional_import(handler: ast.ExceptHandler) -> bool:
    """``except ImportError: pass`` around an optional dependency."""
    if handler.type is None:
        return False
    names = {ast.unparse(t) for t in getattr(handler.type, "elts", [handler.type])}
    return bool(names) and names <= {"ImportError", "ModuleNotFoundError"}


def _explained(repo: RepoView, path: str, handler: ast.ExceptHandler) -> bool:
    """A comment inside the handler says why ignoring the error is right."""
    lines = repo.lines(path)
    end = handler.end_lineno or handler.lineno
    return any("#" in lines[n - 1] for n in range(handler.lineno, min(end, len(lines)) + 1))


def _fallback_loop(python: PythonCode, path: str, handler: ast.ExceptHandler) -> bool:
    """``continue`` to the next candidate in a loop that raises once all have failed."""
    if not any(isinstance(s, ast.Continue) for s in handler.body):
        return False
    parents = python.parents(path)
    node: ast.AST | None = parents.get(id(handler))
    while node is not None and not isinstance(node, ast.For | ast.AsyncFor | ast.While):
        node = parents.get(id(node))
    if node is None:
        return False
    block = parents.get(id(node))
    for field in ("body", "orelse", "finalbody"):
        body = getattr(block, field, None)
        if isinstance(body, list) and node in body:
            after = body[body.index(node) + 1 :]
            return any(isinstance(n, ast.Raise) for s in after for n in ast.walk(s)) or any(
                isinstance(n, ast.Raise) for s in node.orelse for n in ast.walk(s)
            )
    return False


class _PythonHandlerProbe(Probe):
    what = ""

    def bad(self, handler: ast.ExceptHandler) -> bool:
        raise NotImplementedError

    def idiom(
        self, repo: RepoView, python: PythonCode, path: str, handler: ast.ExceptHandler
    ) -> bool:
        """Whether the handler is a known-good idiom this probe must not report."""
        return False

    def check(self, repo: RepoView, python: PythonCode) -> CheckResult:
        files = repo.code_files("python")
        if not files:
            return self.not_applicable("No Python product code.")
        handlers = list(_handlers(repo, python))
        bad = [
            Hit(p, h.lineno, "")
            for p, h in handlers
            if self.bad(h) and not self.idiom(repo, python, p, h)
        ]
        if bad:
            return self.failed(
                [h.evidence(repo, after=1) for h in bad[:5]],
                f"{self.what.capitalize()}: {len(bad)} of {len(handlers)} exception handlers, "
                f"first at {bad[0].where}.",
            )
        evidence = (
            [repo.evidence(handlers[0][0], handlers[0][1].lineno)] if handlers else (repo.anchor())
        )
        return self.passed(
            evidence, f"{self.what.capitalize()}: none of {len(handlers)} exception handlers."
        )


class BareExcept(_PythonHandlerProbe):
    """Bare `except:` clauses catch everything, including KeyboardInterrupt and SystemExit."""

    id = "ERR001"
    category = Category.error_handling
    severity = Severity.medium
    title = "Bare except clauses"
    rationale = "A bare except hides bugs and blocks Ctrl-C and clean shutdown."
    remediation = "Catch the specific exceptions you can handle."
    what = "bare `except:` clauses"

    def bad(self, handler: ast.ExceptHandler) -> bool:
        return handler.type is None and not _reraises(handler)


class SwallowedExceptions(_PythonHandlerProbe):
    """Exceptions are caught and silently dropped (`except ...: pass`)."""

    id = "ERR002"
    category = Category.error_handling
    severity = Severity.high
    title = "Exceptions are silently swallowed"
    rationale = "A swallowed error turns a loud failure into silent data loss."
    remediation = "Log the error with context, re-raise it, or handle it explicitly."
    what = "handlers that swallow exceptions"

    def bad(self, handler: ast.ExceptHandler) -> bool:
        return _trivial(handler.body)

    def idiom(
        self, repo: RepoView, python: PythonCode, path: str, handler: ast.ExceptHandler
    ) -> bool:
        return (
            _optional_import(handler)
            or _explained(repo, path, handler)
            or _fallback_loop(python, path, handler)
        )


class BroadExceptUnlogged(_PythonHandlerProbe):
    """`except Exception` handlers neither log nor re-raise."""

    id = "ERR009"
    category = Category.error_handling
    severity = Severity.medium
    title = "Broad exception handlers neither log nor re-raise"
    rationale = "Catching everything without a trace makes production failures undiagnosable."
    remediation = "Log the exception (logger.exception) or re-raise a typed error."
    what = "broad handlers that neither log nor re-raise"

    def bad(self, handler: ast.ExceptHandler) -> bool:
        if handler.type is None or _trivial(handler.body):
            return False
        names = {ast.unparse(t) for t in getattr(handler.type, "elts", [handler.type])}
        if not names & {"Exception", "BaseException"}:
            return False
        for node in ast.walk(ast.Module(body=handler.body, type_ignores=[])):
            if isinstance(node, ast.Raise):
                return False
            if isinstance(node, ast.Call):
                text = ast.unparse(node.func).lower()
                if any(
                    k in text
                    for k in (
                        "log",
                        "exception",
                        "warn",
                        "error",
                        "capture",
                        "print",
                        "echo",
                        "exit",
                    )
                ):
                    return False
        return True


class EmptyCatch(HazardProbe):
    """Empty `catch {}` blocks drop errors in JavaScript, TypeScript or Java."""

    id = "ERR003"
    category = Category.error_handling
    severity = Severity.high
    title = "Empty catch blocks"
    rationale = "An empty catch block hides the failure it caught."
    remediation = "Log or rethrow in every catch block."
    pattern = r"catch\s*(\([^)]*\))?\s*\{\s*\}|\.catch\(\s*\(\s*\w*\s*\)\s*=>\s*\{\s*\}\s*\)"
    languages = ("javascript", "typescript", "java")
    what = "empty catch block"


class RustUnwrap(HazardProbe):
    """`unwrap()`/`expect()` in non-test Rust code panics on errors."""

    id = "ERR004"
    category = Category.error_handling
    severity = Severity.medium
    title = "unwrap()/expect() in non-test Rust code"
    rationale = "An unwrap on a runtime error crashes the process instead of handling it."
    remediation = "Propagate errors with `?` and typed errors (thiserror/anyhow)."
    pattern = r"\.unwrap\(\)|\.expect\("
    languages = ("rust",)
    what = "unwrap()/expect() call"

    def hits(self) -> list[Hit]:
        return [h for h in super().hits() if not _example(h.path)]


def _example(path: str) -> bool:
    parts = path.split("/")
    return any(p in ("examples", "benches", "build.rs") for p in parts)


class RustPanics(HazardProbe):
    """`panic!`/`todo!`/`unimplemented!` in non-test Rust code."""

    id = "ERR005"
    category = Category.error_handling
    severity = Severity.medium
    title = "panic!/todo!/unimplemented! in non-test Rust code"
    rationale = "Explicit panics abort the caller on paths that should return errors."
    remediation = "Return a Result; reserve panics for broken invariants."
    pattern = r"\b(panic|todo|unimplemented)!\s*\("
    languages = ("rust",)
    what = "panic macro"

    def hits(self) -> list[Hit]:
        return [h for h in super().hits() if not _example(h.path)]


class GoLibraryPanics(HazardProbe):
    """Go library packages call `panic` outside tests."""

    id = "ERR006"
    category = Category.error_handling
    severity = Severity.medium
    title = "panic() in Go library code"
    rationale = "A panic in a library takes down every program that imports it."
    remediation = "Return errors from library functions; panic only in main at startup."
    pattern = r"\bpanic\("
    languages = ("go",)
    what = "panic() call"

    def hits(self) -> list[Hit]:
        mains = {h.path for h in self.text.grep(r"^package main\b", ("go",))}
        return [h for h in super().hits() if h.path not in mains]


class GoDiscardedErrors(HazardProbe):
    """Go code discards returned errors (assigned to `_`, or error-returning calls unchecked)."""

    id = "ERR007"
    category = Category.error_handling
    severity = Severity.medium
    title = "Go errors are discarded"
    rationale = "A discarded error lets the program continue on corrupt state."
    remediation = "Check every returned error or document why it cannot fail."
    # `_ = f()` / `v, _ := f()`, and statements that call well-known error-returning methods
    # and drop the result (errcheck's most common findings; deferred Close is idiomatic).
    pattern = (
        r"^\s*(_|\w+,\s*_)\s*:?=\s*[\w.]+\(|"
        r"^\s*[\w.()\[\]]+\.(Encode|Decode|Write|WriteString|Close|Flush|Remove|RemoveAll|"
        r"Rename|MkdirAll|Setenv|Sync|Shutdown)\([^\n]*\)\s*$"
    )
    languages = ("go",)
    what = "discarded error"


class ErrorTypes(CapabilityProbe):
    """No custom error types: callers cannot tell one failure from another."""

    id = "ERR008"
    category = Category.error_handling
    severity = Severity.low
    title = "No domain error types"
    rationale = "Typed errors let callers handle each failure deliberately."
    remediation = "Define a small error hierarchy for the failures the code expects."
    pattern = (
        r"^\s*class \w+\((\w+\.)?\w*(Error|Exception)\)|class \w+(<[^>{]*>)? extends \w*Error\b|"
        r"^var Err\w+\s*=\s*errors\.New|\) Error\(\) string|thiserror|impl (std::)?(error::)?"
        r"Error for|^\s*(pub )?enum \w*Error\b|class \w+(<[^>{]*>)? extends \w*(Exception|Error)\b"
    )
    what = "custom error type"


class PrintStackTrace(HazardProbe):
    """Java code prints stack traces instead of logging them."""

    id = "ERR010"
    category = Category.error_handling
    severity = Severity.low
    title = "Exceptions printed with printStackTrace()"
    rationale = "Stack traces on stderr bypass the logging pipeline and are lost in production."
    remediation = 'Log exceptions through the logger (log.error("...", e)).'
    pattern = r"\.printStackTrace\(\)"
    languages = ("java",)
    what = "printStackTrace() call"
