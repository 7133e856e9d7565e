"""Error handling probes: swallowed and broad handlers, panics, discarded errors, error types.

Python handlers are read from the standard ``ast``; JavaScript, TypeScript, Java, Go and Rust
from the ``syntax`` view's trees, so a comment or a string can never look like code. Each
probe tells a deliberate idiom (an explained no-op, an optional import, cleanup before a
rethrow, a lock's unwrap) from the hazard it looks for, and says ``cannot_determine`` where
syntax alone cannot tell a recoverable failure from an asserted invariant.
"""

from __future__ import annotations

import ast
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import Any

from pipeline.probes.base import Hit, Probe, plural
from pipeline.probes.shapes import HazardProbe
from pipeline.probes.views.knowledge import Knowledge
from pipeline.probes.views.lexing import RUST_TEST_ONLY
from pipeline.probes.views.python import PythonCode, dotted
from pipeline.probes.views.repo import RepoView
from pipeline.probes.views.search import TextSearch
from pipeline.probes.views.syntax import SyntaxTrees
from pipeline.schemas import Category, CheckResult, Evidence, Severity

# --- syntax tree helpers ---------------------------------------------------------------------

_COMMENTS = frozenset({"comment", "line_comment", "block_comment"})
# Nodes that start a new function body: what happens inside runs only when it is called.
_FUNCTIONS = frozenset(
    {
        "function_declaration",
        "function_expression",
        "function",
        "arrow_function",
        "generator_function_declaration",
        "generator_function",
        "method_definition",
        "method_declaration",
        "lambda_expression",
        "class_declaration",
        "class_body",
        "func_literal",
        "function_item",
        "closure_expression",
    }
)


def _walk(node: Any, into_functions: bool = False) -> Iterator[Any]:
    """``node`` and its descendants (not into nested function bodies unless asked)."""
    yield node
    for child in node.children():
        if not into_functions and child.kind() in _FUNCTIONS:
            continue
        yield from _walk(child, into_functions)


def _statements(block: Any) -> list[Any]:
    """The statements of a block: named children that are not comments."""
    return [c for c in block.children() if c.is_named() and c.kind() not in _COMMENTS]


# A comment that does not explain: a to-do marker, or code commented out.
_TODO = re.compile(r"^[#@]?\s*(todo|fixme|xxx|hack)\b", re.IGNORECASE)
_CODE_LIKE = re.compile(r"^[\w.$\[\]'\"]+(\(.*\)|\s*=[^=].*)\s*;?$|;$")


def _explains(comment: str) -> bool:
    """Whether a comment says something: not a to-do marker, not commented-out code."""
    lines = [line.strip().lstrip("/*").rstrip("*/").strip() for line in comment.splitlines()]
    lines = [line for line in lines if line]
    return any(not _TODO.match(line) and not _CODE_LIKE.search(line) for line in lines)


def _has_comment(block: Any) -> bool:
    """An explaining comment in the block ("// ignore: the cache is optional"); a to-do or a
    line of code commented out does not say why doing nothing is safe."""
    return any(c.kind() in _COMMENTS and _explains(c.text()) for c in block.children())


def _child(node: Any, *kinds: str) -> Any:
    return next((c for c in node.children() if c.kind() in kinds), None)


def _line(node: Any) -> int:
    return int(node.range().start.line) + 1


def _end_line(node: Any) -> int:
    return int(node.range().end.line) + 1


def _enclosing(node: Any, kinds: Iterable[str]) -> Any:
    wanted = set(kinds)
    parent = node.parent()
    while parent is not None and parent.kind() not in wanted:
        parent = parent.parent()
    return parent


def _cite(repo: RepoView, sites: list[Hit], limit: int = 5) -> list[Evidence]:
    return [h.evidence(repo) for h in sites[:limit]]


def _distinct(sites: list[Hit]) -> list[Hit]:
    """One hit per line, in order (two unwraps on a line are one site to read)."""
    seen: set[tuple[str, int]] = set()
    kept = []
    for h in sorted(sites, key=lambda h: (h.path, h.line)):
        if (h.path, h.line) not in seen:
            seen.add((h.path, h.line))
            kept.append(h)
    return kept


def _verb(count: int, singular: str, many: str) -> str:
    """``1 block drops``, ``2 blocks drop``: the verb that agrees with a count."""
    return singular if count == 1 else many


_NEITHER = ("neither logs, rethrows nor reads", "neither log, rethrow nor read")


def _where(sites: list[Hit], limit: int = 3) -> str:
    return ", ".join(h.where for h in sites[:limit]) + (", ..." if len(sites) > limit else "")


# --- Python handlers -------------------------------------------------------------------------


def _handlers(repo: RepoView, python: PythonCode) -> Iterator[tuple[str, ast.ExceptHandler]]:
    for f in repo.code_files("python"):
        for node in python.nodes(f.path, ast.ExceptHandler):
            yield f.path, node


def _handled(handler: ast.ExceptHandler) -> set[str]:
    if handler.type is None:
        return set()
    return {ast.unparse(t) for t in getattr(handler.type, "elts", [handler.type])}


def _trivial(body: list[ast.stmt]) -> bool:
    return all(
        isinstance(s, ast.Pass | ast.Continue)
        or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
        or _unraised(s)
        for s in body
    )


def _unraised(statement: ast.stmt) -> bool:
    """An exception built and never raised (alerta's `except Exception as e: ApiError(str(e),
    500)`, pylint's pointless-exception-statement): it does nothing, the error is gone."""
    if not isinstance(statement, ast.Expr) or not isinstance(statement.value, ast.Call):
        return False
    target = dotted(statement.value.func, {})
    name = target.rsplit(".", 1)[-1]
    # A method or a function named for what it does with an error logs or handles it
    # (wx.LogError(msg), self.OnError(e), HandleException(e)): a class is named for a noun.
    return (
        not target.startswith(("self.", "cls."))
        and _EXCEPTION_CLASS.fullmatch(name) is not None
        and _VERB_FIRST.match(name) is None
    )


_EXCEPTION_CLASS = re.compile(r"[A-Z]\w*(Error|Exception)")
_VERB_FIRST = re.compile(
    r"(Log|Show|On|Handle|Print|Report|Raise|Throw|Set|Add|Record|Capture|Send|Notify|Emit|"
    r"Display|Format|Render|Write|Post|Push|Track|Dump|Warn|Alert|Process)[A-Z]"
)


def _fallback_import(handler: ast.ExceptHandler) -> bool:
    """``try: from config import C`` / ``except: from pkg.config import C``: the handler only
    imports an alternative, and fails loudly when that import fails too."""
    body = [
        s
        for s in handler.body
        if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
    ]
    return bool(body) and all(isinstance(s, ast.Import | ast.ImportFrom) for s in body)


def _reraises(handler: ast.ExceptHandler) -> bool:
    """The handler ends in (or contains) a ``raise``: clean up and re-raise is not swallowing."""
    return any(isinstance(n, ast.Raise) for s in handler.body for n in ast.walk(s))


def _try_of(python: PythonCode, path: str, handler: ast.ExceptHandler) -> ast.AST | None:
    return python.parents(path).get(id(handler))


def _optional_import(python: PythonCode, path: str, handler: ast.ExceptHandler) -> bool:
    """``except ImportError: pass`` around an optional dependency.

    Either the handler catches nothing but import errors, or it catches ImportError (with
    AttributeError and the like) around a ``try`` whose body imports.
    """
    names = _handled(handler)
    imports = {"ImportError", "ModuleNotFoundError"}
    if not names & imports:
        return False
    if names <= imports:
        return True
    block = _try_of(python, path, handler)
    body = getattr(block, "body", [])
    return any(isinstance(s, ast.Import | ast.ImportFrom) for s in body)


# Exceptions that signal control flow, not failure: ``except StopIteration: pass`` ends a loop.
_CONTROL_FLOW = frozenset(
    # Ctrl-C or an exit at shutdown: `except (KeyboardInterrupt, SystemExit): pass` ends quietly.
    {"StopIteration", "StopAsyncIteration", "GeneratorExit", "KeyboardInterrupt", "SystemExit"}
)
_BROAD = frozenset({"Exception", "BaseException"})
# Exceptions that say a candidate is not there (a file, a key, a module), not that it failed.
_ABSENT = frozenset(
    {
        "FileNotFoundError",
        "NotADirectoryError",
        "IsADirectoryError",
        "KeyError",
        "LookupError",
        "IndexError",
        "ImportError",
        "ModuleNotFoundError",
        "AttributeError",
    }
)


# Exceptions that say the work is already done: the file is gone, the directory exists,
# the process has exited. ``except FileNotFoundError: pass`` around an unlink is
# ``contextlib.suppress``, not a swallowed failure.
_ALREADY_DONE = frozenset(
    {
        "FileNotFoundError",
        "FileExistsError",
        "ProcessLookupError",
        "ChildProcessError",
        "NotADirectoryError",
    }
)


def _already_done(handler: ast.ExceptHandler) -> bool:
    names = _handled(handler)
    return bool(names) and names <= _ALREADY_DONE


def _tested_by_else(python: PythonCode, path: str, handler: ast.ExceptHandler) -> bool:
    """``try: x.relative_to(base) except ValueError: pass else: ...``: the try is a test,
    the handler its "no" branch and the ``else`` its "yes"; nothing is swallowed. Only a
    specific exception: a catch-all there still hides failures."""
    block = _try_of(python, path, handler)
    names = _handled(handler)
    return bool(getattr(block, "orelse", None)) and bool(names) and not names & _BROAD


def _raises_anyway(python: PythonCode, path: str, handler: ast.ExceptHandler) -> bool:
    """``try: message += parse(body).message except ValidationError: pass`` and then
    ``raise TransportError(message)``: the handler only gives up on a detail, and the
    function ends by raising, so the failure it was handling surfaces all the same."""
    names = _handled(handler)
    if not names or names & _BROAD:
        return False
    parents = python.parents(path)
    node: ast.AST | None = parents.get(id(handler))
    trying = node
    while node is not None and not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        node = parents.get(id(node))
    if node is None or not isinstance(trying, ast.Try):
        return False
    last = node.body[-1]
    return isinstance(last, ast.Raise) and last.lineno > (trying.end_lineno or trying.lineno)


def _cleanup_or_probe(python: PythonCode, path: str, handler: ast.ExceptHandler) -> bool:
    """``try: db.close() except sqlite3.Error: pass`` (releasing what is being released
    anyway), or a feature probe (``except sqlite3.NotSupportedError: pass``): failures that
    leave nothing to surface."""
    names = _handled(handler)
    if names and all(n.rsplit(".", 1)[-1] in _UNSUPPORTED for n in names):
        return True
    trying = _try_of(python, path, handler)
    body = getattr(trying, "body", [])
    return (
        isinstance(trying, ast.Try)
        and len(body) == 1
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Call)
        and _CLEANUP.search(ast.unparse(body[0].value.func)) is not None
    )


def _scope_of(python: PythonCode, path: str, node: ast.AST) -> ast.AST | None:
    """The function, class or module whose body holds ``node``."""
    parents = python.parents(path)
    found = parents.get(id(node))
    while found is not None and not isinstance(
        found, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
    ):
        found = parents.get(id(found))
    return found if found is not None else python.tree(path)


def _assigned_names(statements: list[ast.stmt]) -> set[str]:
    return {
        t.id
        for stmt in statements
        for node in ast.walk(stmt)
        if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign)
        for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(t, ast.Name)
    }


def _default_kept(python: PythonCode, path: str, handler: ast.ExceptHandler) -> bool:
    """``colors = 8; try: curses.setupterm(); colors = curses.tigetnum("colors")
    except curses.error: pass``: the try only refines values that already hold a default set
    before it, so a named failure leaves the default in place, which is the answer."""
    names = _handled(handler)
    if not names or names & _BROAD:
        return False
    trying = _try_of(python, path, handler)
    function = _scope_of(python, path, handler)
    if not isinstance(trying, ast.Try) or function is None:
        return False
    if any(
        isinstance(n, ast.Return | ast.Yield | ast.YieldFrom)
        for s in trying.body
        for n in ast.walk(s)
    ):
        return False
    assigned = _assigned_names(trying.body)
    if not assigned:
        return False
    before = {
        t.id
        for node in ast.walk(function)
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.lineno < trying.lineno
        for t in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(t, ast.Name)
    }
    # A parameter the try converts in place (`slug_or_id = UUID(slug_or_id)`) keeps the
    # caller's value when the conversion fails.
    if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
        arguments = function.args
        before |= {a.arg for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)}
    return assigned <= before


# Calls made only to see whether they raise: a constructor or parser whose value is dropped.
_VALIDATOR = re.compile(r"(^|\.)([A-Z]\w*|(parse|validate|check|verify|decode|loads?)\w*)$")


def _validity_test(python: PythonCode, path: str, handler: ast.ExceptHandler) -> bool:
    """``try: UUID(name) except ValueError: continue``: the try calls a parser only to see
    whether it raises, dropping its value; the named failure is the test's "no" answer."""
    names = _handled(handler)
    if not names or names & _BROAD:
        return False
    trying = _try_of(python, path, handler)
    if not isinstance(trying, ast.Try) or len(trying.body) != 1:
        return False
    only = trying.body[0]
    return (
        isinstance(only, ast.Expr)
        and isinstance(only.value, ast.Call)
        and _VALIDATOR.search(ast.unparse(only.value.func)) is not None
    )


def _search_loop(python: PythonCode, path: str, handler: ast.ExceptHandler) -> bool:
    """``for t in types: try: lexer = find(t); break except ClassNotFound: pass``: each
    candidate is tried until one is found; a named miss moves on to the next."""
    names = _handled(handler)
    if not names or names & _BROAD:
        return False
    trying = _try_of(python, path, handler)
    if not isinstance(trying, ast.Try) or _loop_of(python, path, handler) is None:
        return False
    return any(isinstance(s, ast.Break | ast.Return) for s in trying.body)


_DELETE = re.compile(r"(^|\.)(unlink|remove|rmdir|rmtree|removedirs)$")


def _already_gone(python: PythonCode, path: str, handler: ast.ExceptHandler) -> bool:
    """``try: link.unlink() except (FileNotFoundError, RuntimeError): pass``: deleting what is
    already gone is done; the handler names that case among narrow others."""
    names = _handled(handler)
    if "FileNotFoundError" not in names or names & _BROAD:
        return False
    trying = _try_of(python, path, handler)
    body = getattr(trying, "body", [])
    return (
        len(body) == 1
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Call)
        and _DELETE.search(ast.unparse(body[0].value.func)) is not None
    )


_UNSUPPORTED = frozenset({"NotSupportedError", "UnsupportedOperation", "NotImplementedError"})
# Releasing a handle, a connection or a process (not deleting a file: a failed delete
# leaves it behind, which may matter).
_CLEANUP = re.compile(
    r"(^|\.)(close|aclose|terminate|kill|shutdown|cancel|stop|disconnect|release)$"
)


def _answers_a_test(python: PythonCode, path: str, handler: ast.ExceptHandler) -> bool:
    """``try: base64_decode(sig) except Exception: return False``: the function asks whether
    one operation works, and the failure is its answer ("no"), given to the caller."""
    body = [
        s
        for s in handler.body
        if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
    ]
    if len(body) != 1 or not isinstance(body[0], ast.Return):
        return False
    value = body[0].value
    if not (value is None or (isinstance(value, ast.Constant) and value.value in (False, None))):
        return False
    trying = _try_of(python, path, handler)
    return isinstance(trying, ast.Try) and len(trying.body) == 1


def _absence(handler: ast.ExceptHandler) -> bool:
    """``except Ping.DoesNotExist: pass``: the handler names only that something is not there
    (a row, a key, a file), the expected miss of a lookup, which leaves the default in place."""
    names = _handled(handler)
    return bool(names) and all(_names_absence(name) for name in names)


# ORMs' "no such row": Django's Model.DoesNotExist, SQLAlchemy's NoResultFound.
_ORM_ABSENT = frozenset({"DoesNotExist", "ObjectDoesNotExist", "NoResultFound"})
# A project's own "not there" (rq's NoSuchJobError, a client's NotFoundError).
_ABSENT_NAME = re.compile(r"^(NoSuch\w+|\w*NotFound\w*|\w*DoesNotExist|\w*Missing\w*)$")


def _names_absence(name: str) -> bool:
    last = name.rsplit(".", 1)[-1]
    return name in _ABSENT or last in _ORM_ABSENT or _ABSENT_NAME.match(last) is not None


def _control_flow(handler: ast.ExceptHandler) -> bool:
    names = _handled(handler)
    return bool(names) and names <= _CONTROL_FLOW


def _explained(repo: RepoView, path: str, handler: ast.ExceptHandler) -> bool:
    """A comment inside the handler says why ignoring the error is right."""
    lines = repo.lines(path)
    end = handler.end_lineno or handler.lineno
    return any("#" in lines[n - 1] for n in range(handler.lineno, min(end, len(lines)) + 1))


def _sentinel_checked(python: PythonCode, path: str, handler: ast.ExceptHandler) -> bool:
    """``x = None; try: x = parse() except ...: pass; if x is None: raise``: the failure
    leaves the sentinel unset, and the function checks it later, so it is not lost."""
    parents = python.parents(path)
    trying = parents.get(id(handler))
    function = trying
    while function is not None and not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
        function = parents.get(id(function))
    if not isinstance(trying, ast.Try) or function is None:
        return False
    assigned = {
        t.id
        for stmt in trying.body
        if isinstance(stmt, ast.Assign | ast.AnnAssign)
        for t in (stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target])
        if isinstance(t, ast.Name)
    }
    after = (trying.end_lineno or trying.lineno, 0)
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Compare)
            and isinstance(node.left, ast.Name)
            and node.left.id in assigned
            and len(node.ops) == 1
            and isinstance(node.ops[0], ast.Is | ast.IsNot)
            and isinstance(node.comparators[0], ast.Constant)
            and node.comparators[0].value is None
            and (node.lineno, 0) > after
        ):
            return True
    return False


def _then_returns_nothing(python: PythonCode, path: str, statement: ast.stmt) -> bool:
    """What runs after ``statement`` is the function's ``return None`` (written, or implicit
    at its end), through any ``if`` blocks that end with it."""
    parents = python.parents(path)
    node: ast.AST = statement
    while True:
        parent = parents.get(id(node))
        if parent is None or isinstance(parent, ast.ClassDef | ast.Module | ast.Lambda):
            return False
        block = next(
            (
                b
                for f in ("body", "orelse", "finalbody")
                if isinstance(b := getattr(parent, f, None), list) and node in b
            ),
            None,
        )
        if block is None:
            return False
        rest = block[block.index(node) + 1 :]
        if rest:
            first = rest[0]
            return isinstance(first, ast.Return) and (
                first.value is None
                or (isinstance(first.value, ast.Constant) and first.value.value is None)
            )
        if isinstance(parent, ast.FunctionDef | ast.AsyncFunctionDef):
            return True
        if isinstance(parent, ast.For | ast.AsyncFor | ast.While | ast.Try | ast.With):
            return False
        node = parent


def _returns_none_on_failure(python: PythonCode, path: str, handler: ast.ExceptHandler) -> bool:
    """``try: return lookup(token) except jwt.InvalidTokenError: pass`` as a function's last
    statement: a specific failure falls through to the function's implicit ``None``, which
    is its answer for "invalid" or "not found" (callers check it)."""
    names = _handled(handler)
    if not names or names & _BROAD:
        return False
    trying = python.parents(path).get(id(handler))
    if not isinstance(trying, ast.Try):
        return False
    if trying.orelse or trying.finalbody or not _then_returns_nothing(python, path, trying):
        return False
    return any(
        isinstance(node, ast.Return) and node.value is not None
        for stmt in trying.body
        for node in ast.walk(stmt)
    )


def _loop_of(python: PythonCode, path: str, handler: ast.ExceptHandler) -> ast.AST | None:
    parents = python.parents(path)
    node: ast.AST | None = parents.get(id(handler))
    while node is not None and not isinstance(node, ast.For | ast.AsyncFor | ast.While):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            return None
        node = parents.get(id(node))
    return node


def _skips_turn(python: PythonCode, path: str, handler: ast.ExceptHandler) -> bool:
    """A handler that only passes or continues, whose try ends one turn of a loop: a
    failure skips that item and the loop goes on with the next (mealie skips a nutrition
    line it cannot parse; second readers of two panels called such skips deliberate)."""
    if not _trivial(handler.body):
        return False
    parents = python.parents(path)
    trying = parents.get(id(handler))
    loop = parents.get(id(trying)) if trying is not None else None
    return (
        isinstance(trying, ast.Try)
        and isinstance(loop, ast.For | ast.AsyncFor | ast.While)
        and bool(loop.body)
        and loop.body[-1] is trying
    )


def _lookup_falls_through(python: PythonCode, path: str, handler: ast.ExceptHandler) -> bool:
    """``try: return Project.objects.get(key=k) except Project.DoesNotExist: pass``: the
    ``try`` only returns what one lookup finds; its specific failure means "not here", and
    the code after the handler answers for that case (the next way to look, a default)."""
    names = _handled(handler)
    if not names or names & _BROAD:
        return False
    trying = _try_of(python, path, handler)
    return (
        isinstance(trying, ast.Try)
        and len(trying.body) == 1
        and isinstance(trying.body[0], ast.Return)
        and trying.body[0].value is not None
    )


def _fallback_loop(python: PythonCode, path: str, handler: ast.ExceptHandler) -> bool:
    """``continue`` to the next candidate of a loop.

    Skipping a candidate is deliberate when the handler names only the candidate's absence
    (``except FileNotFoundError: continue``), or when the loop raises once every candidate
    has failed. Skipping a record that failed to parse is not (that is data silently lost).
    """
    if not any(isinstance(s, ast.Continue) for s in handler.body):
        return False
    loop = _loop_of(python, path, handler)
    if loop is None:
        return False
    names = _handled(handler)
    if names and all(_names_absence(n) for n in names):
        return True
    # A lock or queue polled until it is free: `except Timeout: continue` waits again; an
    # optimistic transaction that lost a race (`except WatchError: continue`) runs again.
    if names and all(re.search(r"Timeout(Error)?$|" + _CONFLICT, n) for n in names):
        return True
    parents = python.parents(path)
    block = parents.get(id(loop))
    for field in ("body", "orelse", "finalbody"):
        body = getattr(block, field, None)
        if isinstance(body, list) and loop in body:
            after = body[body.index(loop) + 1 :]
            return any(isinstance(n, ast.Raise) for s in after for n in ast.walk(s)) or any(
                isinstance(n, ast.Raise) for s in getattr(loop, "orelse", []) for n in ast.walk(s)
            )
    return False


# A transaction that lost a race to another writer: redis-py's WatchError, an ORM's stale or
# conflicting version, a database's serialization failure or deadlock.
_CONFLICT = (
    r"(WatchError|Conflict\w*|StaleDataError|OptimisticLock\w*|StaleObjectState\w*|"
    r"SerializationFailure|TransactionRollbackError|Deadlock\w*)$"
)


def _one_operation(python: PythonCode, path: str, handler: ast.ExceptHandler) -> bool:
    """The try the handler belongs to holds one statement (``x = repr(v)``, ``import trt``):
    whatever the handler does instead is a fallback for that operation, not a cover over a
    sequence of steps that may have half happened."""
    trying = python.parents(path).get(id(handler))
    return (
        isinstance(trying, ast.Try)
        and len(trying.body) == 1
        # A loop, a with-block or a branch is a sequence of steps in one statement.
        and isinstance(trying.body[0], _SIMPLE_STATEMENTS)
    )


_SIMPLE_STATEMENTS = (
    ast.Expr,
    ast.Assign,
    ast.AnnAssign,
    ast.AugAssign,
    ast.Return,
    ast.Import,
    ast.ImportFrom,
)


def _uses_exception(handler: ast.ExceptHandler) -> bool:
    """The handler reads the exception it bound (``except X as e: return [f"... {e}"]``)."""
    if not handler.name:
        return False
    return any(
        isinstance(n, ast.Name) and n.id == handler.name and isinstance(n.ctx, ast.Load)
        for s in handler.body
        for n in ast.walk(s)
    )


class _PythonHandlerProbe(Probe):
    what = ""
    # Why the handlers are no gap when every one is deliberate (see ``deliberate``).
    deliberate_why = (
        "Each is a deliberate answer rather than a lost failure: the try holds one "
        "operation and the handler returns the function's 'no' (False, None), or "
        "leaves a value unset that the code checks next, or the function raises "
        "anyway."
    )

    def bad(self, handler: ast.ExceptHandler) -> bool:
        raise NotImplementedError

    def idiom(
        self, repo: RepoView, python: PythonCode, path: str, handler: ast.ExceptHandler
    ) -> bool:
        """Whether the handler is a known-good idiom this probe must not report."""
        return False

    def deliberate(
        self, repo: RepoView, python: PythonCode, path: str, handler: ast.ExceptHandler
    ) -> bool:
        """Whether the handler, still what the probe reports, is a deliberate answer: when
        every one is, the fact stands but is no gap (advisory)."""
        return False

    def check(self, repo: RepoView, python: PythonCode) -> CheckResult:
        files = repo.code_files("python")
        if not files:
            return self.not_applicable("No Python product code.")
        handlers = list(_handlers(repo, python))
        found = [(p, h) for p, h in handlers if self.bad(h) and not self.idiom(repo, python, p, h)]
        bad = [Hit(p, h.lineno, "") for p, h in found]
        if bad:
            deliberate = all(self.deliberate(repo, python, p, h) for p, h in found)
            return self.failed(
                [h.evidence(repo, after=1) for h in bad[:5]],
                f"{self.what.capitalize()}: {len(bad)} of {len(handlers)} exception handlers, "
                f"first at {bad[0].where}.",
                advisory=self.deliberate_why if deliberate else "",
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
    # "none" must not read as "no bare except at all" when some re-raise (googlemaps).
    what = "bare `except:` clauses that neither re-raise nor import a fallback"

    def bad(self, handler: ast.ExceptHandler) -> bool:
        return handler.type is None and not _reraises(handler) and not _fallback_import(handler)


class SwallowedExceptions(_PythonHandlerProbe):
    """Exceptions are caught and silently dropped (`except ...: pass`)."""

    id = "ERR002"
    category = Category.error_handling
    # Medium: second readers of three panels called every sampled catch-all `pass` a
    # best-effort fallback worth at most a low or medium finding (mealie's timezone
    # coercion, linkding's file size and page metadata), never a high one.
    severity = Severity.medium
    title = "Exceptions are silently swallowed"
    rationale = "A swallowed error turns a loud failure into silent data loss."
    remediation = "Log the error with context, re-raise it, or handle it explicitly."
    what = "handlers that swallow exceptions"
    # Review panels on real repositories judged every sampled narrow `except X: pass` an
    # idiom (22 of 22: a parse fallback, a missing file, the end of an iterator).
    deliberate_why = (
        "Each names the exception it expects (a ValueError, a missing file, a lookup that "
        "finds nothing) and goes on without the result: a narrow, deliberate choice to "
        "ignore that failure, while every other error still surfaces. A catch-all that "
        "ignores everything would be a gap."
    )

    def bad(self, handler: ast.ExceptHandler) -> bool:
        return _trivial(handler.body)

    def deliberate(
        self, repo: RepoView, python: PythonCode, path: str, handler: ast.ExceptHandler
    ) -> bool:
        names = _handled(handler)
        return (bool(names) and not names & _BROAD) or _skips_turn(python, path, handler)

    def idiom(
        self, repo: RepoView, python: PythonCode, path: str, handler: ast.ExceptHandler
    ) -> bool:
        return (
            _optional_import(python, path, handler)
            or _control_flow(handler)
            or _already_done(handler)
            or _tested_by_else(python, path, handler)
            or _explained(repo, path, handler)
            or _fallback_loop(python, path, handler)
            or _sentinel_checked(python, path, handler)
            or _returns_none_on_failure(python, path, handler)
            or _lookup_falls_through(python, path, handler)
            or _absence(handler)
            or _raises_anyway(python, path, handler)
            or _cleanup_or_probe(python, path, handler)
            or _default_kept(python, path, handler)
            or _validity_test(python, path, handler)
            or _search_loop(python, path, handler)
            or _already_gone(python, path, handler)
        )


class BroadExceptUnlogged(_PythonHandlerProbe):
    """Broad handlers (`except:`, `except Exception`) neither log, re-raise nor pass the
    exception on.

    This is the probe of the broad-catch question, so it covers every catch-all, a bare one
    and one whose body is only `pass` included (ERR001 and ERR002 report those as their own
    facts too): only a handler that imports a fallback module, logs or reports the error,
    re-raises or passes the exception on is not reported.
    """

    id = "ERR009"
    category = Category.error_handling
    severity = Severity.medium
    title = "Broad exception handlers neither log nor re-raise"
    rationale = "Catching everything without a trace makes production failures undiagnosable."
    remediation = "Log the exception (logger.exception) or re-raise a typed error."
    what = "broad handlers that neither log nor re-raise"
    deliberate_why = (
        "Each guards one operation and puts something in its place (a default value, a "
        "fallback call, the function's 'no', a loop exit), says in a comment why the error "
        "is ignored, or leaves a value unset that the code checks next: a deliberate answer "
        "to that operation failing rather than a lost failure."
    )

    def deliberate(
        self, repo: RepoView, python: PythonCode, path: str, handler: ast.ExceptHandler
    ) -> bool:
        # The fact stands (a broad catch; readers label it), the gap does not.
        return (
            (not _trivial(handler.body) and _one_operation(python, path, handler))
            or _explained(repo, path, handler)
            or _answers_a_test(python, path, handler)
            or _raises_anyway(python, path, handler)
            or _sentinel_checked(python, path, handler)
            or _skips_turn(python, path, handler)
        )

    def bad(self, handler: ast.ExceptHandler) -> bool:
        if handler.type is not None and not _handled(handler) & _BROAD:
            return False
        if _fallback_import(handler):
            return False
        if _trivial(handler.body):
            return True
        if _uses_exception(handler):
            return False  # the exception travels on: returned, wrapped or reported
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
                        # A crash report written out (awslogs' top-level handler writes
                        # traceback.format_exc() to sys.stderr and returns 1).
                        "traceback.",
                        "format_exc",
                        "exc_info",
                        "stderr",
                    )
                ):
                    return False
        return True


# --- JavaScript, TypeScript and Java catch blocks --------------------------------------------

_CATCH_LANGUAGES = ("javascript", "typescript", "java")
# Java types that catch everything (or every unchecked failure).
_JAVA_BROAD = frozenset({"Exception", "Throwable", "RuntimeException", "Error"})
# A catch of a JavaScript try that covers this many statements guards more than one
# operation: it is a catch-all, not a narrow fallback around one call (`JSON.parse`).
_CATCH_ALL_STATEMENTS = 3
# Binding names that say "ignored on purpose" (the IntelliJ / error-prone convention).
_IGNORED_NAME = re.compile(r"^(_\w*|ignored?\w*|expected|unused)$", re.IGNORECASE)
_LOGGER_OBJECT = re.compile(
    r"^(this\.)?(console|_?log|_?logger|LOG|LOGGER|logging|log4j|Sentry|sentry|Bugsnag|"
    r"rollbar|errorReporter|reporter)\b"
)
_LOG_METHOD = re.compile(
    r"^(log|error|warn|warning|info|debug|trace|fatal|severe|exception|captureException|"
    r"captureMessage|printStackTrace|reportError|report|notify|exit)$"
)
_CALLS = frozenset({"call_expression", "method_invocation"})


@dataclass(frozen=True)
class CatchSite:
    """One ``catch`` block and what its body does with the error."""

    path: str
    line: int
    language: str
    binding: str
    types: tuple[str, ...]
    covers: int  # statements in the guarded try block
    empty: bool  # no statement at all
    defines_only: bool  # only function definitions that nothing calls
    # an explaining comment, an "ignored" name, cleanup, or a fallback by construction
    deliberate: bool
    rethrows: bool
    logs: bool
    uses_error: bool
    boundary: bool  # in a request handler: nobody above it will hear of the failure
    passes_on: bool = False  # middleware that lets the request continue to its handler
    moves_on: bool = False  # only continue, break or return a fallback value
    explained: bool = False  # a comment in the block says why the error goes no further

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    @property
    def catch_all(self) -> bool:
        if self.language == "java":
            return bool(set(self.types) & _JAVA_BROAD)
        return self.covers >= _CATCH_ALL_STATEMENTS

    @property
    def no_op(self) -> bool:
        """It does nothing: empty without a reason given, or it only defines a function."""
        return self.defines_only or (self.empty and not self.deliberate)

    @property
    def drops(self) -> bool:
        """A catch-all that neither logs, rethrows nor reads the error: the cause is gone.
        A deliberate fallback (an explained empty block, ``continue`` to the next candidate
        with a comment, ``return`` of a fallback value) gives the caller an answer instead."""
        if self.rethrows or self.logs or self.uses_error:
            return False
        if self.deliberate and (self.empty or self.moves_on):
            return False
        if self.explained:
            # inngest's "Swallow signature validation error since we'll just return the
            # unauthenticated introspection": its author says where the failure goes.
            return False
        return self.catch_all

    @property
    def swallows(self) -> bool:
        """Swallowed where the failure should surface: a no-op, or a request handler's
        catch-all that drops the error unexplained (a library's probe that falls back to a
        default, or a UI handler, has a caller or a user who sees the outcome)."""
        return self.no_op or (
            self.drops and self.boundary and not self.deliberate and not self.passes_on
        )


def _inert(statement: Any) -> bool:
    """A statement with no effect: a function declared, or a function expression left unused."""
    kind = statement.kind()
    if kind in ("function_declaration", "class_declaration", "empty_statement"):
        return True
    if kind != "expression_statement":
        return False
    parts = [c for c in statement.children() if c.is_named()]
    while len(parts) == 1 and parts[0].kind() == "parenthesized_expression":
        parts = [c for c in parts[0].children() if c.is_named()]
    return bool(parts) and all(
        p.kind() in ("arrow_function", "function_expression", "function") for p in parts
    )


def _callee(call: Any) -> tuple[str, str]:
    """(object, name) of a call: ``log.error(...)`` -> ("log", "error")."""
    if call.kind() == "method_invocation":  # Java
        name = call.field("name")
        obj = call.field("object")
        return (obj.text() if obj is not None else "", name.text() if name is not None else "")
    function = call.field("function")
    if function is None:
        return "", ""
    if function.kind() == "member_expression":
        prop = function.field("property")
        obj = function.field("object")
        return (obj.text() if obj is not None else "", prop.text() if prop is not None else "")
    return "", function.text()


def _is_log_call(call: Any) -> bool:
    obj, name = _callee(call)
    return bool(_LOGGER_OBJECT.match(obj) or _LOG_METHOD.match(name))


def _instanceof_operand(identifier: Any) -> bool:
    parent = identifier.parent()
    if parent is None:
        return False
    if parent.kind() == "instanceof_expression":
        return True
    if parent.kind() == "binary_expression":
        operator = parent.field("operator")
        return operator is not None and operator.text() == "instanceof"
    return False


def _catch_body(clause: Any) -> Any:
    return clause.field("body") or _child(clause, "block", "statement_block")


def _catch_binding(clause: Any) -> tuple[str, tuple[str, ...]]:
    formal = _child(clause, "catch_formal_parameter")
    if formal is not None:  # Java: catch (IOException | RuntimeException e)
        names = [c.text() for c in formal.children() if c.kind() == "identifier"]
        types = _child(formal, "catch_type")
        listed = tuple(
            t.text().split(".")[-1]
            for t in (types.children() if types is not None else [])
            if t.is_named()
        )
        return (names[-1] if names else "", listed)
    parameter = clause.field("parameter")
    return (parameter.text() if parameter is not None else "", ())


def _cleanup_before_rethrow(clause: Any) -> bool:
    """The try sits in a catch or finally block that rethrows: best-effort cleanup."""
    node = clause.parent()
    while node is not None and node.kind() not in _FUNCTIONS:
        if node.kind() in ("catch_clause", "finally_clause") and node is not clause:
            body = _catch_body(node) if node.kind() == "catch_clause" else None
            body = body or _child(node, "block", "statement_block")
            if body is not None and any(n.kind() == "throw_statement" for n in _walk(body)):
                return True
        node = node.parent()
    return False


# A try whose only statement releases something: failing to close what is closing anyway.
_CLEANUP_CALL = re.compile(
    r"\.(cancel|close|destroy|abort|releaseLock|unref|disconnect|end|kill|terminate|"
    r"unlink|unlinkSync|rm|rmSync|removeChild|removeEventListener)\(|^\s*(clearTimeout|"
    r"clearInterval)\("
)


def _optional_detail(statements: list[Any]) -> bool:
    """``try { const caller = getCallerLocation(); if (caller) out.caller = caller } catch {}``:
    the try only computes an optional detail and adds it when there is one; when computing it
    fails, the detail is left out and the real work goes on after the try."""
    if len(statements) != 2 or statements[0].kind() not in (
        "lexical_declaration",
        "variable_declaration",
    ):
        return False
    found = re.match(r"^\s*(?:var|let|const)\s+([A-Za-z_$][\w$]*)\s*=", statements[0].text())
    return (
        found is not None
        and statements[1].kind() == "if_statement"
        and re.match(rf"^if\s*\(\s*{re.escape(found.group(1))}\b", statements[1].text()) is not None
        and "throw" not in statements[1].text()
    )


def _fallback_try(guarded: Any) -> bool:
    """An empty catch that is a fallback by construction (JavaScript, TypeScript, Java):

    - the try only returns what one call gives (``try { return new TextDecoder(charset) }
      catch {}``) and the code after it returns the default;
    - the try only assigns a value that the next statement tests (``try { url = new URL(s) }
      catch {}`` then ``if (!url)``): the failure leaves it unset, and that is handled;
    - the try only cleans up (``reader.cancel()``, ``stream.close()``)."""
    if guarded is None or guarded.kind() != "try_statement":
        return False
    block = guarded.field("body") or _child(guarded, "block", "statement_block")
    statements = _statements(block) if block is not None else []
    if _optional_detail(statements):
        return True
    if len(statements) != 1 and not all(
        s.kind() in ("expression_statement", "lexical_declaration", "variable_declaration")
        for s in statements
    ):
        return False
    if len(statements) == 1 and statements[0].kind() == "return_statement":
        return True
    if len(statements) == 1 and _CLEANUP_CALL.search(statements[0].text()):
        return True
    assigned = set()
    for statement in statements:
        found = re.match(
            r"^\s*(?:(?:var|let|const)\s+)?([A-Za-z_$][\w$]*)\s*=(?!=)", statement.text()
        )
        if found is None:
            return False
        assigned.add(found.group(1))
    after = guarded.next()
    while after is not None and (not after.is_named() or after.kind() == "empty_statement"):
        after = after.next()
    if after is None or not assigned:
        return False
    text = after.text()[:300]
    return any(
        re.search(
            rf"\bif\s*\(\s*!?\s*{re.escape(name)}\b|\b{re.escape(name)}\s*(\?\?|\|\||&&)", text
        )
        for name in assigned
    )


_LOOPS = frozenset(
    {"for_statement", "for_in_statement", "while_statement", "do_statement"}
    | {"enhanced_for_statement"}
)


def _same(a: Any, b: Any) -> bool:
    return bool(a.kind() == b.kind() and a.range() == b.range())


def _skips_item(guarded: Any) -> bool:
    """An empty catch whose try ends one turn of a loop (directly, or as the last statement
    of an ``if`` that does): a failure skips that item and the loop goes on with the next,
    as ``continue`` would. dockge parses each line of `docker stats` this way."""
    node = guarded
    for _ in range(3):
        if node is None:
            return False
        block = node.parent()
        if block is None or block.kind() not in ("statement_block", "block"):
            return False
        named = [c for c in block.children() if c.is_named() and c.kind() not in _COMMENTS]
        if not named or not _same(named[-1], node):
            return False
        owner = block.parent()
        if owner is None:
            return False
        if owner.kind() in _LOOPS:
            return True
        if owner.kind() == "if_statement" or (
            owner.kind() in ("arrow_function", "function_expression")
            and re.search(r"\.forEach\(\s*$", _call_head(owner))
        ):
            if owner.kind() != "if_statement":
                return True  # items.forEach((item) => { try {...} catch {} })
            node = owner
            continue
        return False
    return False


def _call_head(function: Any) -> str:
    """The text of the call a function expression is passed to, up to the function."""
    arguments = function.parent()
    call = arguments.parent() if arguments is not None else None
    if call is None or arguments.kind() != "arguments":
        return ""
    callee = call.field("function")
    return (callee.text() + "(") if callee is not None else ""


def _only_moves_on(statements: list[Any]) -> bool:
    """The catch only goes on: ``continue`` to the next candidate, ``break``, or ``return``
    of a fallback value (``return defd(self) || {}``), nothing that does work."""
    return bool(statements) and all(
        s.kind() in ("continue_statement", "break_statement")
        or (s.kind() == "return_statement" and _returns_fallback([s]))
        for s in statements
    )


def _statements_named(statement: Any) -> list[Any]:
    return [c for c in statement.children() if c.is_named() and c.kind() not in _COMMENTS]


def _returns_fallback(statements: list[Any]) -> bool:
    """``catch (e) { return defd(self) || defd(window) || {} }``: the whole catch is one
    ``return`` that computes the same thing another way. Returning only "nothing" (``null``,
    ``undefined``, ``false``) or an error response loses the cause: that still drops it."""
    if len(statements) != 1 or statements[0].kind() != "return_statement":
        return False
    values = _statements_named(statements[0])
    if len(values) != 1:
        return False
    value = values[0]
    # `return Optional.empty()`, `List.of()`: nothing, like null, in a collection's clothes.
    if re.fullmatch(r"[\w.]*\b(empty\w*|Empty\w*|of|none|None)\(\s*\)", value.text()):
        return False
    return value.kind() in ("call_expression", "binary_expression", "method_invocation") and not (
        _RESPONSE.search(value.text())
        or _PASSES_ON.search(value.text())
        or re.search(r"\b(Response|status|error|Error)\b", value.text())
    )


# Calls that reject malformed input by throwing: a failure is the input's answer, "invalid".
_PARSE_CALL = re.compile(
    r"\bJSON\.parse\(|\bnew URL\(|\bdecodeURI(Component)?\(|\batob\(|\bparse\w*\(|"
    r"\bInteger\.parseInt\(|\bLong\.parseLong\(|\bUUID\.fromString\(|\.parse\("
)


def _parse_fallback(guarded: Any, statements: list[Any]) -> bool:
    """``try { const url = new URL(value); ... } catch { return "<invalid URL>" }`` (rallly's
    outbound-proxy.ts, posthog's cookie reader returning null on bad JSON): the try parses
    input and the catch answers "invalid" with a literal. The cause is the input's shape,
    which the caller holds; a parser that says "none" is the idiom, not a lost failure."""
    if len(statements) != 1 or statements[0].kind() != "return_statement":
        return False
    values = _statements_named(statements[0])
    if values and values[0].kind() not in (
        "string",
        "null",
        "undefined",
        "false",
        "true",
        "number",
        "identifier",
        "template_string",
    ):
        return False
    if values and values[0].kind() == "identifier" and values[0].text() != "undefined":
        return False
    return guarded is not None and bool(_PARSE_CALL.search(guarded.text().split("catch")[0]))


def _catch_site(path: str, language: str, clause: Any) -> CatchSite | None:
    body = _catch_body(clause)
    if body is None:
        return None
    guarded = clause.parent()
    block = None
    if guarded is not None:
        block = guarded.field("body") or _child(guarded, "block", "statement_block")
    binding, types = _catch_binding(clause)
    statements = _statements(body)
    # What runs: every statement but the function definitions nothing calls.
    nodes = [n for s in statements if not _inert(s) for n in _walk(s, into_functions=True)]
    # `this.transformOutput({ error })` (inngest's engine.ts) reads it as a shorthand property.
    uses = bool(binding) and any(
        n.kind() in ("identifier", "shorthand_property_identifier")
        and n.text() == binding
        and not _instanceof_operand(n)
        for n in nodes
    )
    return CatchSite(
        path=path,
        line=_line(clause),
        language=language,
        binding=binding,
        types=types,
        covers=len(_statements(block)) if block is not None else 0,
        empty=not statements,
        defines_only=bool(statements) and all(_inert(s) for s in statements),
        explained=_has_comment(body),
        deliberate=_has_comment(body)
        or bool(binding and _IGNORED_NAME.match(binding))
        or _cleanup_before_rethrow(clause)
        or (not statements and _fallback_try(guarded))
        or (not statements and _skips_item(guarded))
        or (not statements and _under_ignore_option(guarded))
        or _returns_fallback(statements)
        or _parse_fallback(guarded, statements),
        rethrows=any(n.kind() == "throw_statement" for n in nodes),
        logs=any(n.kind() in _CALLS and _is_log_call(n) for n in nodes),
        uses_error=uses,
        boundary=_request_boundary(clause, body),
        passes_on=bool(_PASSES_ON.search(body.text())),
        moves_on=_only_moves_on(statements) or _parse_fallback(guarded, statements),
    )


# An option that asks for failures to be ignored: got's `if (options.ignoreInvalidCookies)`.
_IGNORE_OPTION = re.compile(
    r"(?i)\bignore\w*|\bsilent\w*|\bquiet\w*|\bbest_?effort\b|\bsuppress\w*|\btolerant\w*"
)


def _under_ignore_option(guarded: Any) -> bool:
    """An empty catch inside an `if` on an option that asks to ignore such failures (got:
    `if (options.ignoreInvalidCookies) { ... try { await promise; } catch {} }`): the user
    chose to drop them."""
    child = guarded
    node = guarded.parent() if guarded is not None else None
    hops = 0
    while node is not None and hops < 8:
        if node.kind() in ("if_statement", "if_expression"):
            condition = node.field("condition")
            consequence = node.field("consequence")
            text = condition.text() if condition is not None else ""
            # The branch taken when the option is on: not `if (!options.ignoreX)`, not else.
            if (
                _IGNORE_OPTION.search(text)
                and not re.search(r"!|\bnot\b", text)
                and consequence is not None
                and consequence.range() == child.range()
            ):
                return True
        child, node = node, node.parent()
        hops += 1
    return False


# A request handler: it takes the request, or it answers with a response.
_REQUEST_PARAMETER = re.compile(
    r"\b(req|request)\b|:\s*(Next)?Request\b|NextApiRequest|IncomingMessage|FastifyRequest|"
    r"HttpServletRequest|HttpServletResponse|ServerWebExchange"
)
_REQUEST_TYPE = re.compile(r"HttpServletRequest|HttpServletResponse|ServerWebExchange")
_RESPONSE = re.compile(
    r"\bnew Response\(|\bNextResponse\.|\bResponse\.json\(|\bres\.(status|send|json|end)\(|"
    r"\breply\.(code|status|send)\(|ResponseEntity\b"
)
_HANDLER_NAME = re.compile(r"^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|middleware|handler)$")
_JAVA_HANDLER = re.compile(r"@(Get|Post|Put|Patch|Delete|Request)Mapping\b|@ExceptionHandler\b")


# Middleware that fails open: the request goes on to the handler, which answers it (and
# surfaces its own failures). The catch-all still drops the cause (ERR011 says so).
_PASSES_ON = re.compile(
    r"\bNextResponse\.next\(|\breturn\s+next\(\s*\)|^\s*next\(\s*\);?\s*$", re.M
)


def _request_boundary(clause: Any, body: Any) -> bool:
    """The catch answers a request itself, or sits in a function that serves one."""
    if _RESPONSE.search(body.text()):
        return True
    function = _enclosing(clause, _FUNCTIONS - {"class_body", "class_declaration"})
    while function is not None:
        name = function.field("name")
        if name is not None and _HANDLER_NAME.match(name.text()):
            return True
        parameters = function.field("parameters")
        # In Java the type says it: a client's `Connection.Request request` is no server's.
        java = function.kind() in ("method_declaration", "constructor_declaration")
        pattern = _REQUEST_TYPE if java else _REQUEST_PARAMETER
        if parameters is not None and pattern.search(parameters.text()):
            return True
        if function.kind() == "method_declaration" and _JAVA_HANDLER.search(
            (_child(function, "modifiers") or function).text()[:300]
        ):
            return True
        function = _enclosing(function, _FUNCTIONS - {"class_body", "class_declaration"})
    return False


def _server_actions(text: str) -> bool:
    """Whether a module's first statement is the "use server" directive, comments and
    blank lines before it skipped (a plain scan: no regular expression to backtrack on a
    long comment banner)."""
    at = 0
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if text.startswith("//", at):
            end = text.find("\n", at)
            at = len(text) if end < 0 else end + 1
        elif text.startswith("/*", at):
            end = text.find("*/", at + 2)
            at = len(text) if end < 0 else end + 2
        else:
            break
    return text.startswith(('"use server"', "'use server'"), at)


def _catch_sites(repo: RepoView, syntax: SyntaxTrees) -> list[CatchSite]:
    def compute() -> list[CatchSite]:
        sites = []
        for match in syntax.find(kind="catch_clause", languages=_CATCH_LANGUAGES):
            source = repo.by_path.get(match.path)
            language = source.language if source is not None else ""
            site = _catch_site(match.path, language, match.node)
            if site is not None and not site.boundary and _server_actions(repo.text(match.path)):
                # A "use server" module (Next.js server actions, skateshop's
                # lib/actions/cart.ts): each exported function answers a client's request.
                site = replace(site, boundary=True)
            if site is not None:
                sites.append(site)
        return sites

    return repo.memo("error_handling:catch-sites", compute)


def _empty_promise_catches(repo: RepoView, syntax: SyntaxTrees) -> list[Hit]:
    """``promise.catch(() => {})``: a rejection handler that does nothing, unexplained."""
    found = []
    for match in syntax.find("$P.catch($H)", languages=("javascript", "typescript")):
        handler = match.node.get_match("H")
        if handler is None or handler.kind() not in ("arrow_function", "function_expression"):
            continue
        body = handler.field("body")
        if body is None or body.kind() != "statement_block":
            continue
        if _statements(body) or _has_comment(body) or _explained_above(match):
            continue
        found.append(Hit(match.path, match.line, ""))
    return found


def _explained_above(match: Any) -> bool:
    """A comment just above the statement says why its rejections are ignored
    (``// Ignore job errors during shutdown.`` over ``promise.catch(() => {})``)."""
    node = match.node
    while node.parent() is not None and not node.kind().endswith("statement"):
        node = node.parent()
    before = node.prev()
    while before is not None and not before.is_named():
        before = before.prev()
    return (
        before is not None
        and before.kind() in _COMMENTS
        and _line(node) - _end_line(before) <= 1
        and re.search(
            r"(?i)\b(ignor|swallow|best[- ]effort|don'?t care|not matter|safe)", before.text()
        )
        is not None
    )


class EmptyCatch(Probe):
    """Catch blocks swallow errors in JavaScript, TypeScript or Java: they do nothing (an empty
    block nobody explained, a function defined and never called, `.catch(() => {})`), or they
    catch everything and drop the error without logging, rethrowing or reading it."""

    id = "ERR003"
    category = Category.error_handling
    # Medium, as ERR002: second readers in three panels put an empty catch at medium or low,
    # nearly always a deliberate best-effort cleanup or fallback that still wants a comment.
    severity = Severity.medium
    title = "Catch blocks swallow errors"
    rationale = "An empty catch block hides the failure it caught."
    remediation = "Log or rethrow in every catch block; say in a comment why an empty one is safe."

    def check(self, repo: RepoView, syntax: SyntaxTrees) -> CheckResult:
        files = repo.code_files(*_CATCH_LANGUAGES)
        if not files:
            return self.not_applicable("No JavaScript, TypeScript or Java product code.")
        sites = _catch_sites(repo, syntax)
        no_op = [Hit(s.path, s.line, "") for s in sites if s.no_op]
        promises = _empty_promise_catches(repo, syntax)
        dropped = [Hit(s.path, s.line, "") for s in sites if s.swallows and not s.no_op]
        bad = no_op + promises + dropped
        looked = [
            f"{plural(len(sites), 'catch block')} and the `.catch()` handlers in "
            f"{plural(len(files), 'product file')}"
        ]
        if bad:
            parts = []
            if no_op:
                parts.append(f"{plural(len(no_op), 'catch block')} doing nothing ({_where(no_op)})")
            if promises:
                parts.append(
                    f"{plural(len(promises), 'empty `.catch()` handler')} ({_where(promises)})"
                )
            if dropped:
                parts.append(
                    f"{plural(len(dropped), 'request handler catch-all')} that "
                    f"{_verb(len(dropped), *_NEITHER)}"
                    f" the error ({_where(dropped)})"
                )
            result = self.failed(
                _cite(repo, bad), "Errors are swallowed: " + "; ".join(parts) + ".", looked
            )
            if all(repo.in_browser(h.path) for h in bad):
                result = result.model_copy(update=_BROWSER_ONLY)
            return result
        if not sites:
            return self.passed(
                *_no_try_catch(repo, syntax, len(files), "none an unexplained empty function")
            )
        explained = sum(1 for s in sites if s.empty and s.deliberate)
        note = (
            f" ({plural(explained, 'empty one')} {_verb(explained, 'says', 'say')} why, "
            f"{_verb(explained, 'cleans', 'clean')} up, or {_verb(explained, 'falls', 'fall')} "
            "back by construction: a try that only returns, only sets a value tested next, only "
            "adds an optional detail, or ends one turn of a loop, skipping that item)"
            if explained
            else ""
        )
        return self.passed(
            [],
            f"None of {plural(len(sites), 'catch block')} in {plural(len(files), 'product file')} "
            f"swallows its error{note}.",
        )


def _no_try_catch(
    repo: RepoView, syntax: SyntaxTrees, files: int, handlers_say: str
) -> tuple[list[Evidence], str]:
    """No try/catch in the product files, and what there is instead: a promise's
    `.catch((e) => console.log(e))` is a catch too (precedent), not the absence of one.
    The first handler is cited."""
    handlers = syntax.find("$P.catch($H)", languages=("javascript", "typescript"))
    if handlers:
        first = handlers[0]
        return [repo.evidence(first.path, first.line)], (
            f"No try/catch block in {plural(files, 'product file')}; "
            f"{plural(len(handlers), '`.catch()` handler')} found ({first.path}:{first.line}), "
            f"{handlers_say}."
        )
    return [], f"No catch block in {plural(files, 'product file')}."


_BROWSER_ONLY = {
    "severity": Severity.low,
    "severity_note": "Lowered: every such handler runs in the user's browser (it uses window "
    "or document), where a swallowed error costs one page's behaviour, not the service's state.",
}


def _fallbacks(sites: list[CatchSite]) -> str:
    """Where catch-alls fall back on purpose (the reader can check each)."""
    found = [
        Hit(s.path, s.line, "")
        for s in sites
        if (s.deliberate and (s.empty or s.moves_on)) or s.explained
    ]
    return f"{plural(len(found), 'such block')}: {_where(found)}"


class BroadCatchDropped(Probe):
    """Catch-all blocks (Java `catch (Exception e)`, a JavaScript catch around several
    statements) neither log, rethrow nor read the error they caught."""

    id = "ERR011"
    category = Category.error_handling
    severity = Severity.medium
    title = "Catch-all blocks drop the error"
    rationale = "Catching everything without a trace makes production failures undiagnosable."
    remediation = "Log the error with context, rethrow it, or catch only what you can handle."
    applies = "python|java|javascript|typescript"

    def check(self, repo: RepoView, syntax: SyntaxTrees) -> CheckResult:
        files = repo.code_files(*_CATCH_LANGUAGES)
        if not files:
            return self.not_applicable("No JavaScript, TypeScript or Java product code.")
        sites = _catch_sites(repo, syntax)
        broad = [s for s in sites if s.catch_all]
        bad = [Hit(s.path, s.line, "") for s in sites if s.drops]
        if bad:
            result = self.failed(
                _cite(repo, bad),
                f"{plural(len(bad), 'catch-all block')} of {len(sites)} "
                f"{_verb(len(bad), *_NEITHER)}"
                f" the error ({_where(bad)}).",
                [f"{plural(len(sites), 'catch block')} in {plural(len(files), 'product file')}"],
            )
            if all(repo.in_browser(h.path) for h in bad):
                # shynet's tracking beacon (page.js): it runs on other people's pages, where
                # it must never throw; a lost error costs one page view's data.
                result = result.model_copy(update=_BROWSER_ONLY)
            return result
        if not sites:
            return self.passed(*_no_try_catch(repo, syntax, len(files), "read by ERR003"))
        if not broad:
            return self.passed(
                [],
                f"No catch-all block in {plural(len(files), 'product file')} "
                f"({plural(len(sites), 'catch block')}, each guarding one operation or catching a "
                "specific type).",
            )
        return self.passed(
            [],
            f"None of {plural(len(broad), 'catch-all block')} (of {len(sites)} catch blocks) "
            f"drops its error unexplained: each logs, rethrows or passes the error on"
            + (
                f", or falls back on purpose ({_fallbacks(broad)})"
                if any((s.deliberate and (s.empty or s.moves_on)) or s.explained for s in broad)
                else ""
            )
            + (
                f"; the other {plural(len(sites) - len(broad), 'catch block')} each guard one "
                "operation or catch a specific type."
                if len(sites) > len(broad)
                else "."
            ),
        )


class UnreadErrorResults(Probe):
    """Calls of a JavaScript client that returns errors as values (supabase-js `{ data, error }`)
    drop the error: the result is not kept, or its `error` is never read."""

    id = "ERR013"
    category = Category.error_handling
    severity = Severity.high
    title = "Error results of a non-throwing client are never read"
    rationale = "A client that does not throw reports failure only in its result; unread, a "
    "failed write looks like a success."
    remediation = "Check `error` after every call (or call `.throwOnError()`)."

    def check(self, repo: RepoView, syntax: SyntaxTrees, knowledge: Knowledge) -> CheckResult:
        files = repo.code_files("javascript", "typescript")
        users = [u for u in knowledge.lacking("throws_errors") if u.framework.ecosystem in _JS]
        if not files or not users:
            return self.not_applicable(
                "No JavaScript client in use reports errors in its results instead of throwing."
            )
        use = users[0]
        unkept = _unkept_query_results(syntax)
        unread = _unread_error_bindings(syntax)
        bad = sorted(unkept + unread, key=lambda h: (h.path, h.line))
        why = use.framework.lacks["throws_errors"].rstrip(".")
        if bad:
            return self.failed(
                _cite(repo, bad),
                f"{plural(len(bad), 'call')} of {use.framework.name} ({use.site.where}) "
                f"drop the error ({_where(bad)}): {why}.",
                [f"awaited query calls in {plural(len(files), 'product file')}"],
            )
        return self.passed(
            [use.site.evidence(repo)],
            f"Every {use.framework.name} result read in {plural(len(files), 'product file')} "
            f"has its error checked or kept.",
        )


_JS = ("javascript",)
# A supabase-style query that writes: `.from("t").insert(...)`, `.storage.from(b).upload(...)`.
_QUERY_WRITE = re.compile(r"\.from\([^)]*\)[\s\S]*\.(insert|upsert|update|delete|remove|upload)\(")
_QUERY_CALL = re.compile(r"\.(from|rpc)\(|\.auth\.|\.storage\.|\.functions\.")


def _unkept_query_results(syntax: SyntaxTrees) -> list[Hit]:
    """Statements that await a write query and keep nothing of its result."""
    found = []
    for match in syntax.find(kind="expression_statement", languages=("javascript", "typescript")):
        parts = [c for c in match.node.children() if c.is_named()]
        if len(parts) != 1 or parts[0].kind() != "await_expression":
            continue
        text = parts[0].text()
        if _QUERY_WRITE.search(text) and "throwOnError" not in text:
            found.append(Hit(match.path, match.line, ""))
    return found


def _unread_error_bindings(syntax: SyntaxTrees) -> list[Hit]:
    """``const { data, error } = await supabase.from(...)`` whose ``error`` is never read."""
    found = []
    for match in syntax.find(kind="variable_declarator", languages=("javascript", "typescript")):
        node = match.node
        pattern, value = node.field("name"), node.field("value")
        if pattern is None or value is None or pattern.kind() != "object_pattern":
            continue
        if value.kind() != "await_expression" or not _QUERY_CALL.search(value.text()):
            continue
        if "throwOnError" in value.text():
            continue
        name = _error_binding(pattern)
        if not name:
            continue
        scope = _enclosing(node, _FUNCTIONS | {"program"})
        if scope is None:
            continue
        start = node.range().end.index
        read = any(
            n.kind() == "identifier" and n.text() == name and n.range().start.index > start
            for n in _walk(scope, into_functions=True)
        )
        if not read:
            found.append(Hit(match.path, match.line, ""))
    return found


def _error_binding(pattern: Any) -> str:
    for child in pattern.children():
        if child.kind() == "shorthand_property_identifier_pattern" and child.text() == "error":
            return "error"
        if child.kind() == "pair_pattern":
            key, value = child.field("key"), child.field("value")
            if key is not None and key.text() == "error" and value is not None:
                return value.text() if value.kind() == "identifier" else ""
    return ""


# --- Go --------------------------------------------------------------------------------------

# Standard-library calls whose error errcheck reports most, when the statement drops it.
# Close and Remove are left out: best-effort cleanup, most often deliberately unchecked.
_GO_UNCHECKED = frozenset(
    {
        "Encode",
        "Decode",
        "Write",
        "WriteString",
        "Flush",
        "Rename",
        "Mkdir",
        "MkdirAll",
        "WriteFile",
        "Setenv",
        "Unsetenv",
        "Chdir",
        "Chmod",
        "Chown",
        "Sync",
        "Shutdown",
        "Truncate",
        "Execute",
        "ExecuteTemplate",
        "ListenAndServe",
        "ListenAndServeTLS",
        "Unmarshal",
        "SetDeadline",
        "SetReadDeadline",
        "SetWriteDeadline",
    }
)
_GO_NEVER = frozenset({"Close", "Remove", "RemoveAll"})
# (value, error) functions whose zero value on failure is wrong data: `h, _ := bcrypt...`
# stores an empty hash, `req, _ := http.NewRequest(...)` is a nil request.
_GO_VALUE_ERROR = frozenset(
    {
        "Marshal",
        "MarshalIndent",
        "GenerateFromPassword",
        "SignedString",
        "ReadAll",
        "ReadFile",
        "NewRequest",
        "NewRequestWithContext",
    }
)
# Writers whose failure nobody can act on: in-memory buffers and hashes cannot fail
# (errcheck's default exclusions), and a failed write to an HTTP response means the client
# has gone.
_GO_QUIET_WRITER = re.compile(
    r"strings\.Builder|bytes\.Buffer|bytes\.NewBuffer|hash\.Hash|\b(sha\d+|md5|fnv|crc32)\.New|"
    r"http\.ResponseWriter|"
    # csv.Writer.Flush returns nothing (its Error() reports): blocky's query-log file writer.
    r"csv\.NewWriter"
)
# Method names that standard and common types define without an error result (http.Header's
# Set, sync.WaitGroup's Wait, a logger's Info...): a repository method of the same name
# cannot be told from them at a call site, so such calls are not judged.
_GO_COMMON_METHODS = frozenset(
    {
        # sync.Once's Do (blocky's once.Do(func() {...})) returns nothing.
        "Do",
        "Set",
        "Add",
        "Del",
        "Get",
        "Lock",
        "Unlock",
        "RLock",
        "RUnlock",
        "Wait",
        "Done",
        "Store",
        "Delete",
        "Range",
        "Reset",
        "Stop",
        "Inc",
        "Dec",
        "Observe",
        "Info",
        "Infof",
        "Debug",
        "Debugf",
        "Warn",
        "Warnf",
        "Error",
        "Errorf",
        "Print",
        "Printf",
        "Println",
    }
)
_GO_WRITES = frozenset({"Write", "WriteString", "WriteByte", "WriteRune"})
_GO_ERR_NAME = re.compile(r"^(e|err|error)$|(Err|Error|err)$")


def _go_files(repo: RepoView) -> list[str]:
    return [f.path for f in repo.code_files("go")]


def _go_main_package(repo: RepoView, path: str) -> bool:
    return re.search(r"^package main\b", repo.text(path), re.MULTILINE) is not None


def _go_results(declaration: Any) -> list[str]:
    """The result types of a Go function or method declaration, in order."""
    result = declaration.field("result")
    if result is None:
        return []
    if result.kind() != "parameter_list":
        return [result.text()]
    types = []
    for p in result.children():
        if p.kind() != "parameter_declaration":
            continue
        kind = p.field("type")
        names = [c for c in p.children() if c.kind() == "identifier"]
        types += [kind.text() if kind is not None else ""] * max(1, len(names))
    return types


def _go_error_functions(repo: RepoView, syntax: SyntaxTrees) -> dict[str, int]:
    """Name -> result count of the repository's own functions and methods returning an error
    (0 for the names it declares only without one).

    A name declared both with and without an error result is left out (it cannot be told
    apart at a call site without types).
    """

    def compute() -> dict[str, int]:
        found: dict[str, set[int]] = {}
        plain: set[str] = set()
        files = [f.path for f in repo.code_files("go", tests=None)]
        kinds = ("function_declaration", "method_declaration", "method_elem", "method_spec")
        for kind in kinds:
            for match in syntax.find(kind=kind, languages=("go",), files=files):
                name = match.node.field("name")
                if name is None:
                    continue
                results = _go_results(match.node)
                if results and results[-1] == "error":
                    found.setdefault(name.text(), set()).add(len(results))
                else:
                    plain.add(name.text())
        own = {
            name: next(iter(counts))
            for name, counts in found.items()
            if len(counts) == 1 and name not in plain and name not in _GO_NEVER
        }
        # A name the repository declares only without an error result (a response builder's
        # `Write()`) is marked 0: the standard call of that name is not what is reached.
        return own | {name: 0 for name in plain - set(found)}

    return repo.memo("error_handling:go-error-functions", compute)


def _go_call_name(call: Any) -> tuple[str, str]:
    """(receiver text, name) of a Go call: ``b.WriteString(x)`` -> ("b", "WriteString")."""
    function = call.field("function")
    if function is None:
        return "", ""
    if function.kind() == "selector_expression":
        operand, field = function.field("operand"), function.field("field")
        return (operand.text() if operand is not None else "", field.text() if field else "")
    return "", function.text()


def _go_quiet_writer(repo: RepoView, path: str, receiver: str) -> bool:
    """The receiver is declared in this file as a buffer, a hash or an HTTP response."""
    name = receiver.split(".")[-1].lstrip("*&")
    if not name.isidentifier():
        return False
    text = repo.text(path)
    for m in re.finditer(rf"\b{re.escape(name)}\b[^\n;{{]*", text):
        if _GO_QUIET_WRITER.search(m.group(0)):
            return True
    return False


@dataclass(frozen=True)
class _Discard:
    hit: Hit
    how: str  # "unchecked", "blank" or "replaced"


def _go_modules(repo: RepoView) -> list[str]:
    """The module paths the repository's go.mod files declare."""
    modules = []
    for path in repo.named("go.mod"):
        found = re.search(r"^module\s+(\S+)", repo.text(path), re.MULTILINE)
        if found:
            modules.append(found.group(1).strip('"'))
    return modules


def _go_foreign_packages(repo: RepoView, syntax: SyntaxTrees, path: str) -> set[str]:
    """Names under which ``path`` imports packages of other modules (the standard library
    included): ``bcrypt.GenerateFromPassword`` is theirs, not one of the repository's own."""
    return repo.memo(
        f"error_handling:go-foreign:{path}", lambda: _go_imported_names(repo, syntax, path)
    )


def _go_imported_names(repo: RepoView, syntax: SyntaxTrees, path: str) -> set[str]:
    modules = _go_modules(repo)
    names = set()
    for match in syntax.find(kind="import_spec", languages=("go",), files=[path]):
        target, alias = match.node.field("path"), match.node.field("name")
        if target is None:
            continue
        imported = target.text().strip('"`')
        if any(imported == m or imported.startswith(m + "/") for m in modules):
            continue
        if alias is not None:
            names.add(alias.text())
            continue
        parts = [p for p in imported.split("/") if not re.fullmatch(r"v\d+", p)]
        last = parts[-1] if parts else imported
        names.add(re.sub(r"^go-|[.-]v\d+$|\.go$", "", last).replace("-", "_"))
    return names


def _go_own_call(call: Any, own: dict[str, int], foreign: set[str]) -> int | None:
    """The result count of the repository function a call reaches (0: one without an error
    result), None when the call reaches no function of the repository's."""
    function = call.field("function")
    if function is None:
        return None
    if function.kind() == "identifier":
        return own.get(function.text())
    if function.kind() != "selector_expression":
        return None
    operand, field = function.field("operand"), function.field("field")
    if operand is None or field is None:
        return None
    if operand.kind() == "identifier" and operand.text() in foreign:
        return None  # another module's package function
    if field.text() in _GO_COMMON_METHODS:
        return 0
    return own.get(field.text())


def _go_discards(repo: RepoView, syntax: SyntaxTrees) -> list[_Discard]:
    own = _go_error_functions(repo, syntax)
    files = _go_files(repo)
    found: list[_Discard] = []
    # A call statement, or a goroutine started on a call (`go srv.ListenAndServe()`): either
    # way nobody receives the error. `defer f.Close()` is the cleanup idiom and is left alone.
    statements = syntax.find(kind="expression_statement", languages=("go",), files=files)
    statements += syntax.find(kind="go_statement", languages=("go",), files=files)
    for match in statements:
        parts = [c for c in match.node.children() if c.is_named()]
        if len(parts) != 1 or parts[0].kind() != "call_expression":
            continue
        receiver, name = _go_call_name(parts[0])
        count = _go_own_call(parts[0], own, _go_foreign_packages(repo, syntax, match.path))
        if count == 1 or (count is None and name in _GO_UNCHECKED):
            # A buffer's, a hash's or a response's methods: Write never fails (or has
            # nowhere to report), and the others (yq's b.Truncate on a *bytes.Buffer) return
            # no error at all, whatever a method of the repository's own by that name does.
            if receiver and _go_quiet_writer(repo, match.path, receiver):
                continue
            if _go_terminal_write(parts[0], name, _go_print_helpers(repo, syntax)):
                continue  # a message to the terminal: what fmt.Println does with its error
            found.append(_Discard(Hit(match.path, match.line, ""), "unchecked"))
    for kind in ("short_var_declaration", "assignment_statement"):
        for match in syntax.find(kind=kind, languages=("go",), files=files):
            left, right = match.node.field("left"), match.node.field("right")
            if left is None or right is None:
                continue
            targets = [c.text() for c in left.children() if c.is_named()]
            values = [c for c in right.children() if c.is_named()]
            if len(targets) < 2 or len(values) != 1 or values[0].kind() != "call_expression":
                continue
            if all(t == "_" for t in targets):
                continue  # `_, _ = f()`: discarded in plain sight, on purpose
            _, name = _go_call_name(values[0])
            foreign = _go_foreign_packages(repo, syntax, match.path)
            count = _go_own_call(values[0], own, foreign)
            if count is None:
                count = 2 if name in _GO_VALUE_ERROR else 0
            if count == len(targets) and targets[-1] == "_":
                if _go_only_in_error_message(match.node, targets):
                    continue  # the value only decorates an error already being returned
                found.append(_Discard(Hit(match.path, match.line, ""), "blank"))
    found += [_Discard(h, "replaced") for h in _go_replaced_errors(syntax, files)]
    return sorted(found, key=lambda d: (d.hit.path, d.hit.line))


# The process's own output streams (and cobra's and fatih/color's handles on them), or a
# parameter or variable named for one: a failed write there has nowhere to be reported, which
# is why fmt.Println's error is ignored everywhere.
_GO_STD_STREAM = re.compile(
    r"^(?:os\.Std(?:out|err)|color\.(?:Output|Error)|"
    r"[\w.]+\.(?:OutOrStdout|ErrOrStderr|OutOrStderr)\(\))$"
)
_GO_STD_NAME = re.compile(
    r"^(?:[Ss]td(?:out|err)|\w*Std(?:out|err)|(?:err|out)(?:Out|Stream|Writer|W))$"
)
# Generic writer names (`w`, `out`): a terminal stream only inside a function that prints.
_GO_GENERIC_WRITER = frozenset({"w", "out", "wr", "writer"})
_GO_PRINT_NAME = re.compile(
    r"(?i)print|warn|info|error|success|debug|notice|fatal|usage|help|say|echo|show|display|"
    r"message|status|report|log"
)
_GO_FPRINT = re.compile(r"^fmt\.Fprint(?:f|ln)?$|^io\.WriteString$")
_GO_ERROR_MESSAGE = re.compile(
    r"^(?:fmt\.Errorf|(?:errors|pkgerrors|xerrors)\.(?:New|Errorf|Wrapf?|WithMessagef?))$"
)
_GO_FUNCTION_NODES = ("function_declaration", "method_declaration", "func_literal")


def _go_arguments(call: Any) -> list[Any]:
    arguments = call.field("arguments")
    return [c for c in arguments.children() if c.is_named()] if arguments is not None else []


def _go_write_target(call: Any) -> Any:
    """The writer a call writes to: the first argument of fmt.Fprint*/io.WriteString, the
    receiver of a Write/WriteString method (None for any other call)."""
    function = call.field("function")
    if function is None or function.kind() != "selector_expression":
        return None
    if _GO_FPRINT.match(function.text()):
        arguments = _go_arguments(call)
        return arguments[0] if arguments else None
    field = function.field("field")
    if field is not None and field.text() in _GO_WRITES:
        return function.field("operand")
    return None


def _go_terminal(writer: Any, call: Any) -> bool:
    """A writer that is the process's stdout or stderr, by what it is or how it is named."""
    text = writer.text()
    if _GO_STD_STREAM.match(text) or _GO_STD_NAME.match(text):
        return True
    if text not in _GO_GENERIC_WRITER:
        return False
    function = _enclosing(call, ("function_declaration", "method_declaration"))
    name = function.field("name") if function is not None else None
    return name is not None and bool(_GO_PRINT_NAME.search(name.text()))


def _go_terminal_write(call: Any, name: str, helpers: dict[str, int]) -> bool:
    """A call statement that writes a message to the terminal: fmt.Fprint*, io.WriteString or
    Write on stdout/stderr, or a call of the repository's own print helper (a function whose
    body is only such a write) with the terminal as its writer."""
    target = _go_write_target(call)
    if target is not None:
        return _go_terminal(target, call)
    index = helpers.get(name)
    if index is None:
        return False
    if index < 0:
        return True  # the helper writes to os.Stdout or os.Stderr itself
    arguments = _go_arguments(call)
    return index < len(arguments) and _go_terminal(arguments[index], call)


def _go_print_helpers(repo: RepoView, syntax: SyntaxTrees) -> dict[str, int]:
    """Name -> writer of the repository's print helpers: functions returning only an error
    whose every call is a write to one writer, os.Stdout/os.Stderr (-1) or a parameter (its
    index): `func Warning(w io.Writer, f string, a ...any) error { _, err :=
    io.WriteString(w, ...); return err }`."""

    def compute() -> dict[str, int]:
        other = -2  # a function of that name that does more than print
        found: dict[str, set[int]] = {}
        files = [f.path for f in repo.code_files("go", tests=None)]
        for kind in ("function_declaration", "method_declaration"):
            for match in syntax.find(kind=kind, languages=("go",), files=files):
                name = match.node.field("name")
                if name is not None and _go_results(match.node) == ["error"]:
                    writer = _go_print_helper(match.node)
                    found.setdefault(name.text(), set()).add(other if writer is None else writer)
        return {
            name: min(writers)
            for name, writers in found.items()
            if len(writers) == 1 and other not in writers
        }

    return repo.memo("error_handling:go-print-helpers", compute)


def _go_print_helper(declaration: Any) -> int | None:
    """The writer a print helper writes to (-1: stdout/stderr, else its parameter's index),
    None when the function does anything but write."""
    parameters = declaration.field("parameters")
    body = declaration.field("body")
    if parameters is None or body is None:
        return None
    names: dict[str, int] = {}
    for p in (c for c in parameters.children() if c.is_named()):
        for identifier in (c for c in p.children() if c.kind() == "identifier"):
            names[identifier.text()] = len(names)
    writers: set[int] = set()
    for node in _walk(body):
        if node.kind() != "call_expression":
            continue
        outer = _enclosing(node, ("call_expression", *_GO_FUNCTION_NODES))
        if outer is not None and outer.kind() == "call_expression":
            continue  # an argument of the write (fmt.Sprintf, a color)
        target = _go_write_target(node)
        if target is None:
            return None
        text = target.text()
        if _GO_STD_STREAM.match(text):
            writers.add(-1)
        elif text in names:
            writers.add(names[text])
        else:
            return None
    return writers.pop() if len(writers) == 1 else None


def _go_only_in_error_message(node: Any, targets: list[str]) -> bool:
    """Every later use of the values ``v, _ := f()`` keeps is an argument of an error it
    builds (`return fmt.Errorf("... %q", v)`): the value decorates an error already on its
    way out, and its own failure would only blank a word of the message."""
    kept = {t for t in targets if t != "_"}
    function = _enclosing(node, _GO_FUNCTION_NODES)
    body = function.field("body") if function is not None else None
    if not kept or body is None:
        return False
    after = node.range().end.index
    uses = [
        n
        for n in _walk(body, into_functions=True)
        if n.kind() == "identifier" and n.text() in kept and n.range().start.index >= after
    ]
    for use in uses:
        call = _enclosing(use, ("call_expression", *_GO_FUNCTION_NODES))
        while call is not None and call.kind() == "call_expression":
            function_name = call.field("function")
            if function_name is not None and _GO_ERROR_MESSAGE.match(function_name.text()):
                break
            call = _enclosing(call, ("call_expression", *_GO_FUNCTION_NODES))
        else:
            return False
    return bool(uses)


_GO_DISCARD_KINDS = {
    "unchecked": "by calls that ignore their error result",
    "blank": "by `v, _ :=` keeping a value whose error was thrown away",
    "replaced": "by returning another error than the one just checked",
}
_GO_LOCAL_ERR = re.compile(r"^(e|err|error)$|^[a-z]\w*(Err|Error)$")


def _go_replaced_errors(syntax: SyntaxTrees, files: list[str]) -> list[Hit]:
    """``if commitErr != nil { return errors.Wrap(err, ...) }``: the error just checked is
    never used, another one is returned in its place (nil, when that one was nil)."""
    found = []
    for match in syntax.find(kind="if_statement", languages=("go",), files=files):
        condition, block = match.node.field("condition"), match.node.field("consequence")
        if condition is None or block is None:
            continue
        checked = re.fullmatch(r"\s*(\w+)\s*!=\s*nil\s*", condition.text())
        if checked is None or not _GO_LOCAL_ERR.match(checked.group(1)):
            continue
        name = checked.group(1)
        nodes = list(_walk(block, into_functions=True))
        if any(n.kind() == "identifier" and n.text() == name for n in nodes):
            continue
        for ret in (n for n in nodes if n.kind() == "return_statement"):
            returned = {
                n.text()
                for n in _walk(ret)
                if n.kind() == "identifier" and _GO_LOCAL_ERR.match(n.text()) and n.text() != name
            }
            if returned:
                found.append(Hit(match.path, _line(ret), ""))
                break
    return found


class GoDiscardedErrors(Probe):
    """Go code drops returned errors: calls whose error result nobody checks, or `v, _ := f()`
    that keeps the value of a call and throws its error away."""

    id = "ERR007"
    category = Category.error_handling
    severity = Severity.medium
    title = "Go errors are discarded"
    rationale = "A discarded error lets the program continue on corrupt state."
    remediation = "Check every returned error, or discard it visibly (`_ = f()`) with a reason."

    def check(self, repo: RepoView, syntax: SyntaxTrees) -> CheckResult:
        files = _go_files(repo)
        if not files:
            return self.not_applicable("No Go product code.")
        own = [name for name, count in _go_error_functions(repo, syntax).items() if count]
        discards = _go_discards(repo, syntax)
        looked = [
            f"call statements and `v, _ :=` assignments in {plural(len(files), 'Go file')}, "
            f"against {plural(len(own), 'error-returning function')} of the repository and "
            "the standard calls errcheck reports"
        ]
        if discards:
            hits = [d.hit for d in discards]
            how = {k: sum(1 for d in discards if d.how == k) for k in _GO_DISCARD_KINDS}
            parts = [f"{how[k]} {text}" for k, text in _GO_DISCARD_KINDS.items() if how[k]]
            return self.failed(
                _cite(repo, hits),
                f"{plural(len(hits), 'returned error')} dropped ({_where(hits)}): "
                + "; ".join(parts)
                + ".",
                looked,
            )
        return self.passed(
            [],
            f"No error result is silently dropped in {plural(len(files), 'Go file')} "
            "(explicit `_ = f()` discards, buffer and HTTP response writes aside).",
        )


def _go_enclosing_function(node: Any) -> str:
    function = _enclosing(node, ("function_declaration", "method_declaration"))
    name = function.field("name") if function is not None else None
    return name.text() if name is not None else ""


def _go_setup(name: str) -> bool:
    """``main``, ``init`` and ``Must*`` helpers panic by design (startup, or opted into)."""
    return name in ("main", "init") or name.lower().startswith("must")


# pflag/cobra set-up calls that fail only for a flag name the program never declared.
_GO_FLAG_SETUP = re.compile(
    r"\.(MarkDeprecated|MarkHidden|MarkShorthandDeprecated|MarkFlagRequired|"
    r"MarkPersistentFlagRequired|MarkFlagFilename|MarkFlagDirname|SetAnnotation|"
    r"RegisterFlagCompletionFunc|BindPFlag|BindPFlags)\("
)


def _go_on_error(call: Any) -> bool:
    """A ``panic`` whose argument is an error, or that an ``err != nil`` check guards.

    A panic that passes on what ``recover()`` caught is the original panic, not a new one.
    """
    function = _enclosing(call, ("function_declaration", "method_declaration", "func_literal"))
    if function is not None and "recover()" in function.text():
        return False
    guard = _enclosing(call, ("if_statement",))
    before = guard.prev() if guard is not None else None
    checked = "" if guard is None else guard.text().split("{", 1)[0]
    if before is not None:
        checked += before.text()  # `_, err := rand.Read(b)` the line above the check
    if guard is not None and re.search(
        r"\brand\.(Reader\.)?Read\(|ReadFull\(\s*rand\.Reader", checked
    ):
        # crypto/rand failing means the system's randomness is broken: nothing to recover
        # (Go 1.24 made rand.Read crash the program itself).
        return False
    if guard is not None and _go_embedded_failure(guard):
        return False
    if guard is not None and _GO_FLAG_SETUP.search(checked):
        # gotenberg's module descriptors: `err := fs.MarkDeprecated("chromium-incognito",
        # ...)` then `panic(err)`. Marking a flag fails only for a name the code never
        # declared: a programmer's mistake found at the first start, not a runtime failure.
        return False
    arguments = call.field("arguments")
    if arguments is not None and any(
        n.kind() == "identifier" and _GO_ERR_NAME.search(n.text()) for n in _walk(arguments)
    ):
        return True
    node = call.parent()
    while node is not None and node.kind() not in _FUNCTIONS:
        if node.kind() == "if_statement":
            condition = node.field("condition")
            if condition is not None and re.search(r"\berr\w*\s*!=\s*nil", condition.text()):
                return True
        node = node.parent()
    return False


def _go_embedded_failure(guard: Any) -> bool:
    """The guarded error comes from reading files compiled into the binary (a ``//go:embed``
    variable: memos' ``fs.Sub(embeddedFiles, path)``): it can only fail on a programming
    mistake, which a panic reports as surely as an error would."""
    embedded = re.findall(
        r"//go:embed\b[^\n]*\n\s*(?:var\s+)?(\w+)", guard.get_root().root().text()
    )
    if not embedded:
        return False
    before = guard.prev()
    text = guard.text().split("{", 1)[0] + (before.text() if before is not None else "")
    return any(re.search(rf"\b{re.escape(name)}\b", text) for name in embedded)


def _go_unchecked_assertion(node: Any) -> bool:
    """``x.(T)`` in single-value form (not ``v, ok := x.(T)``): it panics on a mismatch."""
    parent = node.parent()
    if parent is not None and parent.kind() == "expression_list":
        holder = parent.parent()
        if holder is not None and holder.kind() in (
            "short_var_declaration",
            "assignment_statement",
            "var_spec",
        ):
            left = holder.field("left")
            if left is None:
                targets = [c for c in holder.children() if c.kind() == "identifier"]
                return len(targets) < 2
            return len([c for c in left.children() if c.is_named()]) < 2
    return True


_GO_REQUEST = re.compile(
    r"\*http\.Request\b|\*gin\.Context\b|\becho\.Context\b|\*fiber\.Ctx\b|"
    r"\*fasthttp\.RequestCtx\b"
)
_GO_FUNCTIONS = ("function_declaration", "method_declaration", "func_literal")


def _go_handles_request(node: Any) -> bool:
    """Some enclosing function (or handler closure) takes the request."""
    function = _enclosing(node, _GO_FUNCTIONS)
    while function is not None:
        parameters = function.field("parameters")
        if parameters is not None and _GO_REQUEST.search(parameters.text()):
            return True
        function = _enclosing(function, _GO_FUNCTIONS)
    return False


def _go_untrusted(operand: Any) -> bool:
    """An error value (any error type may arrive), or an element of a map read while serving
    a request (``claims["id"]`` of a token): its type is whatever the input made it."""
    if operand.kind() == "identifier":
        return bool(_GO_ERR_NAME.search(operand.text()))
    return operand.kind() == "index_expression" and _go_handles_request(operand)


class GoLibraryPanics(Probe):
    """Go code outside `main` panics on errors: `panic(err)` after a failed call, or a type
    assertion without `ok` on an error or on decoded data, which panics on unexpected input."""

    id = "ERR006"
    category = Category.error_handling
    severity = Severity.medium
    title = "Go code panics on recoverable errors"
    rationale = (
        "A panic on an error the code could return crashes the whole process (every request "
        "in flight, or the program that imports the package) instead of failing one call."
    )
    remediation = "Return errors; use `v, ok := x.(T)`; panic only for broken invariants."

    def check(self, repo: RepoView, syntax: SyntaxTrees) -> CheckResult:
        files = [p for p in _go_files(repo) if not _go_main_package(repo, p)]
        if not _go_files(repo):
            return self.not_applicable("No Go product code.")
        if not files:
            return self.passed([], "All Go product code is in package main (startup code).")
        panics, guards, assertions = [], 0, []
        for match in syntax.find("panic($$$A)", languages=("go",), files=files):
            if _go_setup(_go_enclosing_function(match.node)):
                continue
            if _go_on_error(match.node):
                panics.append(Hit(match.path, match.line, ""))
            else:
                guards += 1
        for match in syntax.find(kind="type_assertion_expression", languages=("go",), files=files):
            operand = match.node.field("operand")
            if operand is None or not _go_unchecked_assertion(match.node):
                continue
            if _go_setup(_go_enclosing_function(match.node)):
                continue
            if _go_untrusted(operand):
                assertions.append(Hit(match.path, match.line, ""))
        bad = sorted(panics + assertions, key=lambda h: (h.path, h.line))
        if bad:
            parts = []
            if panics:
                parts.append(f"{plural(len(panics), 'panic')} on an error ({_where(panics)})")
            if assertions:
                parts.append(
                    f"{plural(len(assertions), 'type assertion')} without `ok` on an error or "
                    f"request data ({_where(assertions)})"
                )
            result = self.failed(
                _cite(repo, bad),
                "Go code panics on recoverable failures: " + "; ".join(parts) + ".",
                [f"panic calls and type assertions in {plural(len(files), 'non-main Go file')}"],
            )
            recovery = next(
                (
                    m
                    for f in _go_files(repo)
                    if (m := _RECOVERY_MIDDLEWARE.search(repo.text(f))) is not None
                ),
                None,
            )
            if recovery is None:
                return result
            return result.model_copy(
                update={
                    "severity": Severity.low,
                    "severity_note": f"Lowered: a recovery middleware (`{recovery.group(0)}`) "
                    "turns a panic in a request into a 500 for that request; the process "
                    "keeps serving. A panic outside a request still crashes it.",
                }
            )
        note = (
            f" ({plural(guards, 'panic')} {_verb(guards, 'guards', 'guard')} an invariant or a "
            "precondition)"
            if guards
            else ""
        )
        return self.passed(
            [],
            f"No panic on an error and no unchecked type assertion on untrusted values in "
            f"{plural(len(files), 'non-main Go file')}{note}.",
        )


# Router middleware that recovers a handler's panic and answers 500 (gin, echo, chi, negroni).
_RECOVERY_MIDDLEWARE = re.compile(
    r"\bgin\.(Recovery|CustomRecovery)\w*\(|\bgin\.Default\(\)|\bmiddleware\.Recover(er)?\b|"
    r"\bnegroni\.NewRecovery\(|\brecover\.New\("
)


# --- Rust ------------------------------------------------------------------------------------

_TEST_ATTRIBUTE = re.compile(r"^#\[(cfg\s*\(.*\btest\b|(\w+::)*test\b)", re.DOTALL)


def _test_attribute(node: Any) -> bool:
    text = node.text()
    return bool(_TEST_ATTRIBUTE.match(text)) and not re.search(r"\bnot\s*\(\s*test\b", text)


def _rust_test_modules(repo: RepoView, syntax: SyntaxTrees) -> set[str]:
    """Files of modules declared under a test ``cfg`` (``#[cfg(test)] mod helpers;``)."""

    def compute() -> set[str]:
        files = [f.path for f in repo.code_files("rust", tests=None)]
        gated: set[str] = set()
        for match in syntax.find(kind="mod_item", languages=("rust",), files=files):
            node = match.node
            if node.field("body") is not None or _child(node, "declaration_list") is not None:
                continue
            if not any(_test_attribute(a) for a in _attributes_before(node)):
                continue
            name = node.field("name")
            if name is None:
                continue
            here = PurePosixPath(match.path)
            base = (
                here.parent
                if here.name in ("mod.rs", "lib.rs", "main.rs")
                else here.with_suffix("")
            )
            gated.add(str(base / f"{name.text()}.rs"))
            gated.add(str(base / name.text()))
        return gated

    return repo.memo("error_handling:rust-test-modules", compute)


def _attributes_before(node: Any) -> list[Any]:
    found = []
    sibling = node.prev()
    while sibling is not None and sibling.kind() in ("attribute_item", *_COMMENTS):
        if sibling.kind() == "attribute_item":
            found.append(sibling)
        sibling = sibling.prev()
    return found


def _rust_test_lines(repo: RepoView, syntax: SyntaxTrees, path: str) -> set[int]:
    """Lines of items under ``#[cfg(test)]``, ``#[test]`` or ``#[tokio::test]`` in ``path``."""

    def compute() -> set[int]:
        lines: set[int] = set()
        for match in syntax.find(kind="attribute_item", languages=("rust",), files=[path]):
            if not _test_attribute(match.node):
                continue
            item = match.node.next()
            while item is not None and item.kind() in ("attribute_item", *_COMMENTS):
                item = item.next()
            if item is not None:
                lines.update(range(_line(item), _end_line(item) + 1))
        return lines

    return repo.memo(f"error_handling:rust-test-lines:{path}", compute)


def _rust_files(repo: RepoView, syntax: SyntaxTrees) -> list[str]:
    """Rust product files, without the modules only tests compile, nor the crates of the
    workspace that others use only as build dependencies (their code runs in build.rs)."""
    gated = _rust_test_modules(repo, syntax)
    build_only = _build_only_crates(repo)
    return [
        f.path
        for f in repo.code_files("rust")
        if f.path not in gated
        and not any(f.path.startswith(g + "/") for g in gated)
        and not any(f.path.startswith(b + "/") for b in build_only)
        and not RUST_TEST_ONLY.search(repo.text(f.path))
    ]


def _build_only_crates(repo: RepoView) -> set[str]:
    """Folders of workspace crates that the other crates name only under
    [build-dependencies] (watchexec's crates/bosion, which its CLI's build.rs runs to
    gather version data: a failure there fails the build, not the program)."""

    def compute() -> set[str]:
        manifests: dict[str, dict[str, Any]] = {}
        for f in repo.files:
            if PurePosixPath(f.path).name == "Cargo.toml":
                try:
                    manifests[f.path] = tomllib.loads(repo.text(f.path))
                except tomllib.TOMLDecodeError:
                    continue
        names = {
            str(m.get("package", {}).get("name")): str(PurePosixPath(path).parent)
            for path, m in manifests.items()
            if isinstance(m.get("package"), dict) and m["package"].get("name")
        }
        as_build: set[str] = set()
        as_runtime: set[str] = set()
        for m in manifests.values():
            for table, into in (
                ("build-dependencies", as_build),
                ("dependencies", as_runtime),
                ("dev-dependencies", as_runtime),
            ):
                deps = m.get(table)
                if isinstance(deps, dict):
                    into.update(str(d) for d in deps)
        return {
            names[name] for name in as_build - as_runtime if name in names and names[name] != "."
        }

    return repo.memo("error_handling:rust-build-only-crates", compute)


def _rust_find(
    repo: RepoView, syntax: SyntaxTrees, pattern: str | None = None, kind: str | None = None
) -> list[Any]:
    found = []
    for match in syntax.find(
        pattern, languages=("rust",), kind=kind, files=_rust_files(repo, syntax)
    ):
        if match.line not in _rust_test_lines(repo, syntax, match.path):
            found.append(match)
    return found


# What an unwrapped value comes from, by the method that produced it.
_RUST_IO = re.compile(
    r"^(open|create|create_new|read_to_string|read_to_end|read_exact|read_line|read_dir|"
    r"write_all|write_fmt|flush|seek|sync_all|sync_data|set_len|metadata|symlink_metadata|"
    r"canonicalize|remove_file|remove_dir|remove_dir_all|create_dir|create_dir_all|rename|"
    r"copy|hard_link|set_permissions|connect|bind|accept|send_to|recv_from|spawn|output|"
    r"wait_with_output|set_current_dir|write_(?!str$|char$)[a-z0-9_]+)$"
)
_RUST_PARSE = frozenset(
    {
        "parse",
        "from_str",
        "from_utf8",
        "from_slice",
        "from_reader",
        "from_bytes",
        "from_value",
        "into_string",
        "to_str",
        "try_from",
        "try_into",
        "decode",
        "deserialize",
        "from_str_radix",
    }
)
# Accessors of an Option: unwrapping one asserts an invariant, there is no error to recover.
_RUST_OPTION = frozenset(
    {
        "next",
        "next_back",
        "first",
        "last",
        "first_mut",
        "last_mut",
        "get",
        "get_mut",
        "pop",
        "pop_front",
        "pop_back",
        "peek",
        "take",
        "as_ref",
        "as_mut",
        "as_deref",
        "as_deref_mut",
        "find",
        "find_map",
        "position",
        "rposition",
        "max",
        "min",
        "max_by",
        "min_by",
        "max_by_key",
        "min_by_key",
        "nth",
        "split_first",
        "split_last",
        "checked_add",
        "checked_sub",
        "checked_mul",
        "checked_div",
        "checked_rem",
        "checked_pow",
        "checked_neg",
        "checked_shl",
        "checked_shr",
        "upgrade",
    }
)
# A lock whose holder panicked (poisoning), a thread that panicked: the panic only propagates.
_RUST_PROPAGATE = frozenset({"lock", "read", "write", "try_lock", "join"})
_RUST_LITERALS = frozenset(
    {
        "string_literal",
        "raw_string_literal",
        "integer_literal",
        "float_literal",
        "char_literal",
        "boolean_literal",
    }
)


def _literal(node: Any) -> bool:
    if node.kind() in _RUST_LITERALS:
        return True
    if node.kind() in ("array_expression", "tuple_expression", "reference_expression"):
        parts = [c for c in node.children() if c.is_named()]
        return bool(parts) and all(_literal(p) for p in parts)
    return False


def _arguments(call: Any) -> list[Any]:
    arguments = call.field("arguments")
    if arguments is None:
        return []
    return [c for c in arguments.children() if c.is_named() and c.kind() not in _COMMENTS]


def _unwrap_kind(call: Any) -> str:
    """io, parse, benign or unknown: what the value a call unwraps comes from."""
    function = call.field("function")
    receiver = function.field("value") if function is not None else None
    expect = (
        function is not None
        and function.field("field") is not None
        and (function.field("field").text() == "expect")
    )
    if _in_rust_main(call):
        return "benign"
    if receiver is not None and _TERMINAL_WRITE.match(receiver.text()):
        return "benign"  # print!'s own semantics: a write to the terminal that fails panics
    kind = _receiver_kind(receiver)
    if expect and kind in ("parse", "unknown"):
        return "benign"  # `expect("why it cannot fail")`: an invariant, asserted with a reason
    return kind


# A write or flush to the process's own stdout or stderr (`write!(stderr, ...)`,
# `io::stdout().lock().flush()`): unwrapping it is what print!/eprint! do.
_TERMINAL_WRITE = re.compile(
    r"^(write|writeln)!\(\s*&?(mut\s+)?((std::)?io::)?(stderr|stdout)\b|"
    r"^((std::)?io::)?(stderr|stdout)(\(\))?(\.lock\(\))?\.(flush|write_all|write_fmt)\("
)


# Constructors and parsers of a value: given only literals, they either always fail or never.
_RUST_CONSTANT = re.compile(
    r"^(new|compile|parse|from_str|from_static|from_bytes|from|try_from|build)$"
)
# Awaited calls that go over the network or to a database.
_RUST_NETWORK = frozenset(
    {
        "get",
        "post",
        "put",
        "patch",
        "delete",
        "head",
        "request",
        "send",
        "text",
        "json",
        "bytes",
        "chunk",
        "connect",
        "accept",
        "bind",
        "execute",
        "fetch",
        "fetch_one",
        "fetch_all",
        "fetch_optional",
        "query",
        "recv",
        "read",
        "write",
        "write_all",
        "flush",
    }
)


def _receiver_kind(receiver: Any) -> str:
    """io, parse, benign or unknown: what produced the value an unwrap unwraps."""
    awaited = False
    while receiver is not None and receiver.kind() in (
        "await_expression",
        "parenthesized_expression",
    ):
        awaited = awaited or receiver.kind() == "await_expression"
        parts = [c for c in receiver.children() if c.is_named()]
        receiver = parts[0] if parts else None
    if receiver is None:
        return "unknown"
    if receiver.kind() == "identifier":
        return "benign" if _rust_option_variable(receiver) else "unknown"
    if receiver.kind() == "macro_invocation":
        macro = receiver.field("macro")
        if macro is None or macro.text() not in ("write", "writeln"):
            return "unknown"
        return "benign" if _writes_to_string(receiver) else "io"
    if receiver.kind() != "call_expression":
        return "unknown"
    function = receiver.field("function")
    arguments = _arguments(receiver)
    if function is None:
        return "unknown"
    if function.kind() == "field_expression":
        field = function.field("field")
        name = field.text() if field is not None else ""
        value = function.field("value")
        if name in _RUST_PROPAGATE and not arguments and not awaited:
            return "benign"
        if name == "parse" and value is not None and _literal(value):
            return "benign"  # a constant parsed: it cannot fail at run time
    elif function.kind() in ("scoped_identifier", "identifier"):
        last = function.field("name") if function.kind() == "scoped_identifier" else function
        name = last.text() if last is not None else ""
        if _RUST_CONSTANT.match(name) and arguments and all(_literal(a) for a in arguments):
            return "benign"  # `Regex::new(r"\d+")`: a constant, checked by the first run
    else:
        return "unknown"
    if _RUST_IO.match(name) or (awaited and name in _RUST_NETWORK):
        return "io"
    if name in _RUST_OPTION:
        return "benign"
    if name in _RUST_PARSE:
        return "parse"
    return "unknown"


def _rust_option_variable(identifier: Any) -> bool:
    """A variable the function treats as an Option: typed ``Option<..>``, given ``Some(..)``
    or ``None``, or asked ``is_some()``/``is_none()``."""
    function = _enclosing(identifier, ("function_item", "closure_expression"))
    if function is None:
        return False
    name = re.escape(identifier.text())
    return bool(
        re.search(
            rf"\b{name}\s*:\s*(&\s*)?Option\s*<|\b{name}\s*=\s*(Some\s*\(|None\b)|"
            rf"\b{name}\.is_(some|none)\(",
            function.text(),
        )
    )


def _writes_to_string(macro: Any) -> bool:
    """``writeln!(out, ...)`` where ``out`` is a String of the function: formatting into memory
    cannot fail (``fmt::Write`` for String always returns Ok)."""
    tokens = _child(macro, "token_tree")
    first = next((c for c in tokens.children() if c.is_named()), None) if tokens else None
    if first is None or first.kind() != "identifier":
        return False
    function = _enclosing(macro, ("function_item", "closure_expression"))
    text = function.text() if function is not None else ""
    name = re.escape(first.text())
    return bool(re.search(rf"\b{name}\s*(:\s*&mut\s+String\b|(:\s*String\s*)?=\s*String::)", text))


def _in_rust_main(node: Any) -> bool:
    """Inside ``fn main``: setup code, where a panic is the program's way to stop."""
    function = _enclosing(node, ("function_item",))
    while function is not None:
        name = function.field("name")
        if name is not None and name.text() == "main":
            return True
        function = _enclosing(function, ("function_item",))
    return False


def _panic_on_error(macro: Any) -> bool:
    """``Err(e) => panic!(...)``, or a panic in ``if let Err(..)``: a panic on an error value."""
    node = macro.parent()
    while node is not None and node.kind() not in ("function_item", "closure_expression"):
        if node.kind() == "match_arm":
            pattern = node.field("pattern")
            if pattern is not None and re.match(r"\s*Err\b", pattern.text()):
                return True
        if node.kind() in ("if_expression", "let_condition") and re.search(
            r"\blet\s+Err\s*\(", node.text()[:200]
        ):
            return True
        node = node.parent()
    return False


class RustUnwrap(Probe):
    """Non-test Rust code unwraps the results of I/O (`File::open(p).unwrap()`, a write or a
    flush), so a missing file or a broken pipe panics instead of returning an error."""

    id = "ERR004"
    category = Category.error_handling
    severity = Severity.medium
    title = "Rust code panics on recoverable errors"
    rationale = "An unwrap on a runtime error crashes the process instead of handling it."
    remediation = "Propagate errors with `?` and typed errors (thiserror/anyhow)."

    def check(self, repo: RepoView, syntax: SyntaxTrees) -> CheckResult:
        files = _rust_files(repo, syntax)
        if not files:
            return self.not_applicable("No Rust product code.")
        kinds: dict[str, list[Hit]] = {"io": [], "parse": [], "unknown": [], "benign": []}
        for match in _rust_find(repo, syntax, kind="call_expression"):
            function = match.node.field("function")
            field = function.field("field") if function is not None else None
            if function is None or function.kind() != "field_expression" or field is None:
                continue
            if field.text() not in ("unwrap", "expect"):
                continue
            kinds[_unwrap_kind(match.node)].append(Hit(match.path, _line(field), ""))
        for match in _rust_find(repo, syntax, kind="macro_invocation"):
            macro = match.node.field("macro")
            if macro is None or macro.text() != "panic":
                continue
            on_error = _panic_on_error(match.node) and not _in_rust_main(match.node)
            kinds["unknown" if on_error else "benign"].append(Hit(match.path, match.line, ""))
        scope = f"{plural(len(files), 'Rust product file')} (test modules excluded)"
        looked = [f"unwrap(), expect() and panic! in {scope}"]
        io, unsure = _distinct(kinds["io"]), _distinct(kinds["parse"] + kinds["unknown"])
        benign = len(kinds["benign"])
        settled = (
            f" {plural(benign, 'other')} {_verb(benign, 'is', 'are')} on locks, joins, constants, "
            "Option accessors, in main, or assert an invariant with a reason."
            if benign
            else ""
        )
        if io:
            return self.failed(
                _cite(repo, io),
                f"{plural(len(io), 'unwrap')} of an I/O or network result in non-test code "
                f"({_where(io)}): a missing file, a closed pipe or a failed request panics."
                f"{settled}",
                looked,
            )
        if unsure:
            return self.cannot_determine(
                f"{plural(len(unsure), 'unwrap')} on parse results, error arms or values whose "
                f"type syntax does not show ({_where(unsure)}): whether they can fail at run "
                f"time needs a reader.{settled}",
                looked,
                _cite(repo, unsure, 3),
            )
        return self.passed(
            [],
            f"No unwrap on a recoverable error in {scope}; "
            f"{plural(len(kinds['benign']), 'unwrap or panic')} assert invariants.",
        )


class RustPanics(Probe):
    """`todo!`/`unimplemented!` left in non-test Rust code panic when the path is reached."""

    id = "ERR005"
    category = Category.error_handling
    severity = Severity.medium
    title = "todo!/unimplemented! in non-test Rust code"
    rationale = "Unfinished code paths abort the caller instead of returning an error."
    remediation = "Finish the path or return an error saying it is not supported."

    def check(self, repo: RepoView, syntax: SyntaxTrees) -> CheckResult:
        files = _rust_files(repo, syntax)
        if not files:
            return self.not_applicable("No Rust product code.")
        hits = [
            Hit(m.path, m.line, "")
            for m in _rust_find(repo, syntax, kind="macro_invocation")
            if m.node.field("macro") is not None
            and m.node.field("macro").text() in ("todo", "unimplemented")
        ]
        if hits:
            return self.failed(
                _cite(repo, hits),
                f"{plural(len(hits), 'todo!/unimplemented!')} in product code ({_where(hits)}).",
            )
        return self.passed([], f"No todo! or unimplemented! in {plural(len(files), 'Rust file')}.")


# Standard calls whose Result a statement may drop: a send on a channel nobody listens to,
# a receive that found the channel closed, a write or a flush (``write`` with a buffer only:
# ``RwLock::write()`` takes none).
_RUST_DROPPABLE = frozenset(
    {"send", "try_send", "recv", "write", "write_all", "write_fmt", "flush"}
)


def _rust_result_functions(repo: RepoView, syntax: SyntaxTrees) -> dict[str, set[str]]:
    """The crate's function names by kind: ``method``/``function`` returning a ``Result``,
    ``plain`` for any returning something else (a name in both is left out)."""

    def compute() -> dict[str, set[str]]:
        found: dict[str, set[str]] = {"method": set(), "function": set(), "plain": set()}
        files = _rust_files(repo, syntax)
        # Types the crate defines as data: a struct or enum named ...Result is a value
        # (pastel's DistanceResult); any other ...Result is an alias of Result (PyResult,
        # IResult, a crate's `type AppResult<T> = Result<T, Error>`).
        data = {
            name.text()
            for kind in ("struct_item", "enum_item")
            for m in syntax.find(kind=kind, languages=("rust",), files=files)
            if (name := m.node.field("name")) is not None
        }
        for match in syntax.find(kind="function_item", languages=("rust",), files=files):
            name, returns = match.node.field("name"), match.node.field("return_type")
            if name is None:
                continue
            head = returns.text().split("<")[0].strip().split("::")[-1] if returns else ""
            if not head.endswith("Result") or head in data:
                found["plain"].add(name.text())
                continue
            parameters = match.node.field("parameters")
            method = parameters is not None and _child(parameters, "self_parameter") is not None
            found["method" if method else "function"].add(name.text())
        found["method"] -= found["plain"]
        found["function"] -= found["plain"]
        return found

    return repo.memo("error_handling:rust-result-functions", compute)


def _rust_dropped(call: Any, own: dict[str, set[str]]) -> bool:
    """A call statement that drops a Result: a crate function (a method called as a method,
    a free function called by name) or a standard call of ``_RUST_DROPPABLE``."""
    function = call.field("function")
    if function is None:
        return False
    if function.kind() == "field_expression":
        field = function.field("field")
        name = field.text() if field is not None else ""
        if name in own["method"]:
            return True
    elif function.kind() in ("identifier", "scoped_identifier"):
        last = function.field("name") if function.kind() == "scoped_identifier" else function
        name = last.text() if last is not None else ""
        if name in own["function"]:
            return True
    else:
        return False
    if name not in _RUST_DROPPABLE or name in own["plain"]:
        return False
    return name != "write" or bool(_arguments(call))


class RustDroppedResults(Probe):
    """Rust statements drop a `Result` (`tx.send(v);`, `save(x);`), so its error is lost: the
    compiler only warns (`unused_must_use`)."""

    id = "ERR012"
    category = Category.error_handling
    severity = Severity.medium
    title = "Rust results are dropped"
    rationale = "A dropped Result is a failure nobody hears about."
    remediation = "Propagate with `?`, handle the error, or discard it visibly (`let _ =`)."

    def check(self, repo: RepoView, syntax: SyntaxTrees) -> CheckResult:
        files = _rust_files(repo, syntax)
        if not files:
            return self.not_applicable("No Rust product code.")
        own = _rust_result_functions(repo, syntax)
        dropped = []
        for match in _rust_find(repo, syntax, kind="expression_statement"):
            parts = [c for c in match.node.children() if c.is_named()]
            call = parts[0] if len(parts) == 1 and parts[0].kind() == "call_expression" else None
            if call is not None and _rust_dropped(call, own):
                dropped.append(Hit(match.path, match.line, ""))
        looked = [
            f"call statements in {plural(len(files), 'Rust product file')} against "
            f"{plural(len(own['method'] | own['function']), 'Result-returning function')} of the "
            "crate and channel, write and flush calls"
        ]
        if dropped:
            return self.failed(
                _cite(repo, dropped),
                f"{plural(len(dropped), 'statement')} {_verb(len(dropped), 'drops', 'drop')} a "
                f"Result ({_where(dropped)}).",
                looked,
            )
        return self.passed(
            [],
            f"No statement drops a Result in {plural(len(files), 'Rust product file')}; "
            "explicit discards (`let _ =`, `.ok()`) are deliberate.",
        )


# --- error types -----------------------------------------------------------------------------

# Go sentinel errors may sit in a grouped `var ( ... )` block; a Rust error type is often a
# plain `pub(crate) struct ImportError` whose Display/Error impls live elsewhere.
_ERROR_TYPE = (
    r"^\s*class \w+\((\w+\.)?\w*(Error|Exception)\)|class \w+(<[^>{]*>)? extends \w*Error\b|"
    # Go sentinels, exported or the package's own (errNoFiles), and a JavaScript error
    # type made the old way (util.inherits(MulterError, Error)).
    r"^\s*(var\s+)?[Ee]rr\w+\s*=\s*errors\.New|util\.inherits\(\s*\w+,\s*Error\s*\)|"
    r"thiserror|impl (std::)?(error::)?"
    r"Error for|^\s*(pub(\([\w:]+\))?\s+)?(enum|struct) \w*Error\b|"
    r"class \w+(<[^>{]*>)? extends \w*(Exception|Error)\b"
)
# Errors given context without a type of their own: `fmt.Errorf("...: %w", err)`, anyhow.
_WRAPPING = (
    r"fmt\.Errorf\([^\n]*%w|\banyhow\b|\.context\(|\.with_context\(|raise \w+\(.*\) from \w+"
)


def _go_error_types(repo: RepoView, syntax: SyntaxTrees) -> list[Hit]:
    """Go types with an ``Error() string`` method that are errors of their own.

    A type named like a message (``errMsg``) whose ``Error`` only forwards a wrapped error's
    text is a carrier (a UI message holding an error), not an error type: Go names its error
    types ``...Error`` and its error values ``Err...``.
    """
    found = []
    for match in syntax.find(kind="method_declaration", languages=("go",)):
        node = match.node
        name, result = node.field("name"), node.field("result")
        if name is None or name.text() != "Error" or result is None or result.text() != "string":
            continue
        receiver, body = node.field("receiver"), node.field("body")
        type_name = (
            next((n.text() for n in _walk(receiver) if n.kind() == "type_identifier"), "")
            if receiver is not None
            else ""
        )
        returns = [n for n in _walk(body) if n.kind() == "return_statement"] if body else []
        forwards = len(returns) == 1 and bool(
            re.fullmatch(r"return\s+\w+(\.\w+)+\.Error\(\)", returns[0].text().strip())
        )
        if re.search(r"(Error|Err)$", type_name) or not forwards:
            found.append(Hit(match.path, match.line, repo.shown(match.path, match.line).strip()))
    return found


def _optional_integration(python: PythonCode, path: str) -> bool:
    """A Python module that imports its subject under ``try``/``except ImportError`` at the top
    level: an integration with an optional dependency, not the product's core."""
    if not path.endswith(".py"):
        return False
    tree = python.tree(path)
    for node in tree.body if tree is not None else []:
        if not isinstance(node, ast.Try):
            continue
        imports = any(isinstance(s, ast.Import | ast.ImportFrom) for s in node.body)
        if imports and any(
            _handled(h) & {"ImportError", "ModuleNotFoundError"} for h in node.handlers
        ):
            return True
    return False


class ErrorTypes(Probe):
    """No custom error types: callers cannot tell one failure from another."""

    id = "ERR008"
    category = Category.error_handling
    severity = Severity.low
    title = "No domain error types"
    rationale = "Typed errors let callers handle each failure deliberately."
    remediation = "Define a small error hierarchy for the failures the code expects."

    def check(
        self, repo: RepoView, text: TextSearch, python: PythonCode, syntax: SyntaxTrees
    ) -> CheckResult:
        files = repo.code_files("python", "javascript", "typescript", "go", "rust", "java")
        if not files:
            return self.not_applicable("No product code in a language this probe reads.")
        hits = text.grep(_ERROR_TYPE, code_only=True) or _go_error_types(repo, syntax)
        core = [h for h in hits if not _optional_integration(python, h.path)]
        if core:
            found = core[0]
            return self.passed(
                [found.evidence(repo)],
                f"Custom error type or sentinel error found: `{found.text}` ({found.where}).",
            )
        if hits:
            listed = ", ".join(f"`{h.text}` ({h.where})" for h in hits[:3])
            return self.cannot_determine(
                f"The only error types found ({listed}) belong to a module wrapping an optional "
                "dependency (imported under `except ImportError`): whether the product's own "
                "failures have types needs a reader.",
                [f"error classes and error types in {plural(len(files), 'product file')}"],
                [h.evidence(repo) for h in hits[:3]],
            )
        wrapped = text.grep(_WRAPPING, limit=1, code_only=True)
        context = (
            f" Errors are given context ({wrapped[0].where}: `{wrapped[0].text}`) but no type "
            "of their own."
            if wrapped
            else ""
        )
        return self.failed(
            repo.anchor(),
            f"No custom error type found.{context} Callers cannot tell one failure from another.",
            looked_at=[
                f"error classes, sentinel errors, error enums and `Error()` methods in "
                f"{plural(len(files), 'product file')}"
            ],
        )


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
