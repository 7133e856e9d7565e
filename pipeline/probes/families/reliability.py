"""Reliability probes: timeouts, retries applied to calls, circuit breakers, atomic writes."""

from __future__ import annotations

import ast
import re

from pipeline.probes.base import Hit, Probe, plural
from pipeline.probes.shapes import CapabilityProbe
from pipeline.probes.views.imports import Imports
from pipeline.probes.views.knowledge import Knowledge
from pipeline.probes.views.profile import ProfileView
from pipeline.probes.views.python import PyCall, PythonCode, dotted
from pipeline.probes.views.repo import RepoView
from pipeline.probes.views.search import TextSearch
from pipeline.schemas import Category, CheckResult, Severity

_REQUESTS = {
    f"requests.{v}" for v in ("get", "post", "put", "patch", "delete", "head", "request", "options")
}


class OutboundTimeouts(Probe):
    """Outbound HTTP calls have no timeout and can hang forever."""

    id = "REL001"
    category = Category.reliability
    severity = Severity.high
    title = "Outbound calls without timeouts"
    rationale = "A call without a timeout hangs a worker for as long as the remote side stalls."
    remediation = "Set connect and read timeouts on every outbound call."
    applies = "outbound"

    def check(
        self,
        repo: RepoView,
        text: TextSearch,
        python: PythonCode,
        profile: ProfileView,
        knowledge: Knowledge,
    ) -> CheckResult:
        first = profile.evidence("outbound")
        assert first is not None  # the profile's outbound condition holds
        missing: list[Hit] = []
        for c in python.calls():
            if (c.name in _REQUESTS or c.name == "urllib.request.urlopen") and not (
                c.keyword("timeout") or c.has_kwargs()
            ):
                missing.append(Hit(c.path, c.line, c.name))
        missing += text.grep(
            r"\bhttp\.(Get|Post|Head|PostForm)\(|&?http\.Client\{\s*\}|reqwest::get\(",
            ("go", "rust"),
        )
        missing += [
            h
            for h in text.grep(
                r"(?<![\w.])(?<!function )fetch\(|axios\.(get|post|put|delete)\(",
                ("javascript", "typescript"),
            )
            if "signal" not in h.text and "timeout" not in h.text
        ]
        if missing:
            lacking = {
                u.framework.name: u.framework.lacks["http_timeouts"]
                for u in knowledge.lacking("http_timeouts")
            }
            why = f" {next(iter(lacking.values()))}" if lacking else ""
            return self.failed(
                [h.evidence(repo) for h in missing[:5]],
                f"{plural(len(missing), 'outbound call')} without a timeout, "
                f"first at {missing[0].where}.{why}",
            )
        defaults = knowledge.provides("http_timeouts")
        detail = f"; {defaults[0][0].framework.name} has a default timeout" if defaults else ""
        return self.passed(
            [first.evidence(repo)],
            f"Outbound calls set timeouts (first call at {first.where}){detail}.",
        )


_RETRY_DECORATORS = (
    "tenacity.retry",
    "backoff.on_exception",
    "backoff.on_predicate",
    "retrying.retry",
    "retry.retry",
    "stamina.retry",
    "async_retrying",
)
_RETRY_CLASSES = (
    "tenacity.Retrying",
    "tenacity.AsyncRetrying",
    "urllib3.util.retry.Retry",
    "urllib3.Retry",
    "urllib3.util.Retry",
    "requests.adapters.HTTPAdapter",
    "stamina.retry_context",
)


def python_retry(repo: RepoView, python: PythonCode) -> PyCall | Hit | None:
    """A retry decorator or retrying client, else a hand-written retry loop.

    A retry loop is a loop that catches an exception and sleeps before going round again,
    whatever it calls (an SDK method as much as ``requests.get``).
    """
    for c in python.calls():
        if any(
            d.startswith(_RETRY_DECORATORS) or d in ("retry", "backoff.expo") for d in c.decorators
        ):
            return c
        if c.name in _RETRY_CLASSES and (c.node.keywords or c.node.args):
            return c
    for f in repo.code_files("python"):
        for node in python.nodes(f.path, ast.For, ast.While, ast.AsyncFor):
            inner = list(ast.walk(node))
            names = {dotted(n.func, {}) for n in inner if isinstance(n, ast.Call)}
            sleeps = any(n.endswith("sleep") for n in names)
            catches = any(isinstance(n, ast.Try) and n.handlers for n in inner)
            if sleeps and catches:
                return Hit(f.path, node.lineno, "retry loop with sleep")
    return None


class Retries(Probe):
    """Outbound calls are not retried on transient failure."""

    id = "REL002"
    category = Category.reliability
    severity = Severity.medium
    title = "No retries with backoff on outbound calls"
    rationale = "Transient network and 5xx errors become user-facing failures without retries."
    remediation = "Retry idempotent calls with exponential backoff and jitter (tenacity, ...)."
    applies = "outbound"

    def check(
        self,
        repo: RepoView,
        imports: Imports,
        python: PythonCode,
        profile: ProfileView,
        knowledge: Knowledge,
    ) -> CheckResult:
        first = profile.evidence("outbound")
        assert first is not None  # the profile's outbound condition holds
        provided = knowledge.provides("retries")
        if provided:
            use, hit = provided[0]
            return self.passed(
                [hit.evidence(repo)],
                f"Retries come with {use.framework.name} ({hit.where}): "
                f"{use.framework.provides['retries'].rstrip('.')}.",
            )
        found = python_retry(repo, python) or _library_retry(imports)
        if found is None:
            return self.failed(
                [first.evidence(repo)],
                f"Outbound calls (first at {first.where}) are never wrapped in "
                "a retry library or a retry loop.",
                looked_at=[
                    "retry decorators and retrying clients (tenacity, backoff, urllib3 Retry, "
                    "p-retry, retry-go, backon, resilience4j...), loops that catch and sleep, "
                    "and clients that retry by default"
                ],
            )
        what = found.name if isinstance(found, PyCall) else found.text
        return self.passed(
            [repo.evidence(found.path, found.line)],
            f"Retries applied: `{what}` at {found.path}:{found.line}.",
        )


def _library_retry(imports: Imports) -> Hit | None:
    return (
        imports.usage(
            r"pRetry\(|retry\(|axiosRetry\(|retry:\s*[\{\d]",
            "p-retry",
            "async-retry",
            "axios-retry",
            "got",
            "cockatiel",
            "ky",
        )
        or imports.usage(
            r"backoff\.Retry|retry\.Do\(|retryablehttp\.NewClient",
            "github.com/cenkalti/backoff",
            "github.com/avast/retry-go",
            "github.com/hashicorp/go-retryablehttp",
        )
        or imports.usage(
            r"Retry::spawn|retry\(|RetryTransientMiddleware|ExponentialBackoff",
            "backoff",
            "tokio_retry",
            "again",
            "reqwest_retry",
            "backon",
        )
        or imports.usage(
            r"@Retry|Retry\.of|RetryPolicy|@Retryable",
            "io.github.resilience4j",
            "org.springframework.retry",
            "dev.failsafe",
            "net.jodah.failsafe",
        )
    )


class CircuitBreaker(CapabilityProbe):
    """No circuit breaker protects calls to other services."""

    id = "REL003"
    category = Category.reliability
    severity = Severity.low
    title = "No circuit breaker on dependencies"
    rationale = "Without a breaker, a failing dependency drags every caller down with it."
    remediation = "Wrap calls to flaky dependencies in a circuit breaker."
    applies = "outbound"
    what = "circuit breaker"
    modules = (
        "pybreaker",
        "circuitbreaker",
        "aiobreaker",
        "purgatory",
        "opossum",
        "cockatiel",
        "github.com/sony/gobreaker",
        "github.com/afex/hystrix-go",
        "io.github.resilience4j.circuitbreaker",
        "dev.failsafe",
        "failsafe",
    )
    pattern = r"(?<!class )CircuitBreaker\(|@circuit\b|circuit_breaker\("


_WRITES = ("open", "io.open", "builtins.open")
# A file named for people to read (README.md, CHANGELOG.rst) is documentation the tool
# regenerates, not state the product reads back.
_DOC_FILE = re.compile(
    r"(?i)(^|/)(readme|changelog|changes|license|authors)[^/]*$|\.(md|rst|adoc)$"
)


class AtomicWrites(Probe):
    """Files are written in place, so a crash mid-write leaves them corrupt."""

    id = "REL005"
    category = Category.reliability
    severity = Severity.medium
    title = "State files are written non-atomically"
    rationale = "A crash or full disk mid-write leaves a truncated file that later fails to load."
    remediation = "Write to a temporary file in the same folder, fsync, then os.replace()."
    applies = "stores_data"

    def check(
        self, repo: RepoView, text: TextSearch, python: PythonCode, profile: ProfileView
    ) -> CheckResult:
        # A write is atomic when the function that writes also renames into place (Python),
        # or the file that writes also renames (other languages): an unrelated rename
        # elsewhere (log rotation) says nothing about this write.
        writes: list[tuple[Hit, bool]] = []
        renames: dict[tuple[str, str | None], Hit] = {}
        for c in python.calls():
            if _renames(c):
                renames.setdefault((c.path, c.function), Hit(c.path, c.line, c.name))
        for c in python.calls():
            if _writes(c) and not _writes_doc(c):
                rename = renames.get((c.path, c.function))
                writes.append((rename or Hit(c.path, c.line, c.name), rename is not None))
        renaming_files = {
            h.path: h
            for h in text.grep(
                r"atomicwrites|AtomicWriter|fs\.rename(Sync)?\(|os\.Rename\(|fs::rename\(|"
                r"\.persist\(|ATOMIC_MOVE|write-file-atomic",
                ("javascript", "typescript", "go", "rust", "java"),
            )
        }
        for hit in text.grep(
            r"fs\.writeFile(Sync)?\(|os\.WriteFile\(|ioutil\.WriteFile\(|"
            r"fs::write\(|File::create\(|Files\.write\(|new FileWriter\(|"
            r"new FileOutputStream\(",
            ("javascript", "typescript", "go", "rust", "java"),
        ):
            literal = re.search(r"\(\s*['\"`]([^'\"`]+)['\"`]", hit.text)
            if literal and _DOC_FILE.search(literal.group(1)):
                continue
            writes.append((renaming_files.get(hit.path, hit), hit.path in renaming_files))
        if not writes:
            store = profile.evidence("database")
            if store is not None:
                return self.passed(
                    [store.evidence(repo)],
                    "The product writes no state files: its state is kept in a database "
                    f"({store.where}), which commits writes atomically.",
                )
            return self.not_applicable("The product code writes no files.")
        in_place = [hit for hit, atomic in writes if not atomic]
        if in_place:
            return self.failed(
                [h.evidence(repo) for h in in_place[:5]],
                f"{plural(len(in_place), 'file write')} in place (first at {in_place[0].where}), "
                "with no temp-file-and-rename in the same function.",
                looked_at=["file writes in product code and renames next to them"],
            )
        first = writes[0][0]
        return self.passed(
            [first.evidence(repo)],
            f"Every file write ({len(writes)}) is renamed into place next to where it is "
            f"written (first at {first.where}).",
        )


def _writes(call: PyCall) -> bool:
    mode = call.node.args[1] if len(call.node.args) > 1 else call.keyword("mode")
    if call.name in _WRITES:
        return isinstance(mode, ast.Constant) and "w" in str(mode.value)
    if not call.name.endswith((".write_text", ".write_bytes")):
        return False
    # Path.write_text, not a help formatter's or a stream's write_text().
    receiver = call.node.func.value if isinstance(call.node.func, ast.Attribute) else None
    if receiver is None:
        return False
    shown = ast.unparse(receiver)
    return (
        isinstance(receiver, ast.BinOp | ast.Call)
        or re.search(r"(?i)path|file|dest|target|out|cache|config|json|yaml", shown) is not None
    )


def _writes_doc(call: PyCall) -> bool:
    """A write whose target is a literal documentation file (README.md, CHANGELOG.rst)."""
    target = call.node.args[0] if call.name in _WRITES and call.node.args else None
    if target is None and isinstance(call.node.func, ast.Attribute):
        target = call.node.func.value
        if isinstance(target, ast.Call) and target.args:
            target = target.args[0]
    return (
        isinstance(target, ast.Constant)
        and isinstance(target.value, str)
        and _DOC_FILE.search(target.value) is not None
    )


def _renames(call: PyCall) -> bool:
    if call.name in ("os.replace", "os.rename", "shutil.move") or "atomic" in call.name.lower():
        return True
    return (
        call.name.endswith((".replace", ".rename"))
        and len(call.node.args) == 1
        and call.name.split(".")[0] not in ("str", "text", "s", "line", "name")
    )


class DatabaseTimeouts(CapabilityProbe):
    """Database calls have no connect or statement timeout."""

    id = "REL006"
    category = Category.reliability
    severity = Severity.low
    title = "No database timeouts"
    rationale = "A stuck query or unreachable database hangs workers indefinitely."
    remediation = "Set connect and statement timeouts on the database client or pool."
    applies = "database"
    what = "database timeout"
    capability = "db_timeouts"
    code_only = False
    pattern = (
        r"statement_timeout|connect_timeout|pool_timeout|command_timeout|connectTimeout|"
        r"socketTimeoutMS|serverSelectionTimeoutMS|QueryContext|ExecContext|"
        r"context\.WithTimeout|acquire_timeout|connection_timeout|query_timeout|"
        r"idleTimeoutMillis|connectionTimeoutMillis|setQueryTimeout|busy_timeout|"
        r"sqlite3\.connect\([^)]*timeout="
    )
