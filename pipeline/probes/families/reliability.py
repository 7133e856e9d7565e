"""Reliability probes: timeouts, retries applied to calls, circuit breakers, atomic writes."""

from __future__ import annotations

import ast

from pipeline.probes.base import Probe, ProbeContext
from pipeline.probes.facts import Hit, database, grep, outbound, plural, usage
from pipeline.probes.kinds import CapabilityProbe
from pipeline.probes.pycalls import PyCall, dotted, python_calls
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

    def check(self, ctx: ProbeContext) -> CheckResult:
        first = outbound(ctx)
        if first is None:
            return self.not_applicable("The code makes no outbound HTTP calls.")
        missing: list[Hit] = []
        for c in python_calls(ctx):
            if (c.name in _REQUESTS or c.name == "urllib.request.urlopen") and not (
                c.keyword("timeout") or c.has_kwargs()
            ):
                missing.append(Hit(c.path, c.line, c.name))
        missing += grep(
            ctx,
            r"\bhttp\.(Get|Post|Head|PostForm)\(|&?http\.Client\{\s*\}|"
            r"reqwest::get\(",
            ("go", "rust"),
        )
        missing += [
            h
            for h in grep(
                ctx,
                r"(?<![\w.])(?<!function )fetch\(|axios\.(get|post|put|delete)\(",
                ("javascript", "typescript"),
            )
            if "signal" not in h.text and "timeout" not in h.text
        ]
        if missing:
            return self.failed(
                [h.evidence(ctx) for h in missing[:5]],
                f"{plural(len(missing), 'outbound call')} without a timeout, "
                f"first at {missing[0].where}.",
            )
        return self.passed(
            [first.evidence(ctx)], f"Outbound calls set timeouts (first call at {first.where})."
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
_SLEEPS = ("time.sleep", "asyncio.sleep")


def _python_retry(ctx: ProbeContext) -> PyCall | Hit | None:
    calls = python_calls(ctx)
    for c in calls:
        if any(
            d.startswith(_RETRY_DECORATORS) or d in ("retry", "backoff.expo") for d in c.decorators
        ):
            return c
        if c.name in (
            "tenacity.Retrying",
            "tenacity.AsyncRetrying",
            "urllib3.util.retry.Retry",
            "urllib3.Retry",
            "urllib3.util.Retry",
            "requests.adapters.HTTPAdapter",
            "stamina.retry_context",
        ) and (c.node.keywords or c.node.args):
            return c
    for f in ctx.code_files("python"):
        for node in ctx.py_nodes(f.path, ast.For, ast.While, ast.AsyncFor):
            names = {dotted(n.func, {}) for n in ast.walk(node) if isinstance(n, ast.Call)}
            sleeps = any(n.endswith("sleep") for n in names)
            calls_out = any(
                n.split(".")[-1] in ("get", "post", "request", "urlopen", "send", "put", "fetch")
                for n in names
            )
            if sleeps and calls_out:
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

    def check(self, ctx: ProbeContext) -> CheckResult:
        first = outbound(ctx)
        found = _python_retry(ctx)
        if found is None:
            found = (
                usage(
                    ctx,
                    r"pRetry\(|retry\(|axiosRetry\(|retry:\s*[\{\d]",
                    "p-retry",
                    "async-retry",
                    "axios-retry",
                    "got",
                    "cockatiel",
                    "ky",
                )
                or usage(
                    ctx,
                    r"backoff\.Retry|retry\.Do\(|retryablehttp\.NewClient",
                    "github.com/cenkalti/backoff",
                    "github.com/avast/retry-go",
                    "github.com/hashicorp/go-retryablehttp",
                )
                or usage(
                    ctx,
                    r"Retry::spawn|retry\(|RetryTransientMiddleware|ExponentialBackoff",
                    "backoff",
                    "tokio_retry",
                    "again",
                    "reqwest_retry",
                    "backon",
                )
                or usage(
                    ctx,
                    r"@Retry|Retry\.of|RetryPolicy|@Retryable",
                    "io.github.resilience4j",
                    "org.springframework.retry",
                    "dev.failsafe",
                    "net.jodah.failsafe",
                )
            )
        if found is None and first is None:
            return self.not_applicable("The code makes no outbound HTTP calls.")
        if found is None:
            assert first is not None
            return self.failed(
                [first.evidence(ctx)],
                f"Outbound calls (first at {first.where}) are never wrapped in "
                "a retry library or a retry loop.",
            )
        path, line = found.path, found.line
        what = found.name if isinstance(found, PyCall) else found.text
        return self.passed(
            [ctx.evidence(path, line)], f"Retries applied: `{what}` at {path}:{line}."
        )


class CircuitBreaker(CapabilityProbe):
    """No circuit breaker protects calls to other services."""

    id = "REL003"
    category = Category.reliability
    severity = Severity.low
    title = "No circuit breaker on dependencies"
    rationale = "Without a breaker, a failing dependency drags every caller down with it."
    remediation = "Wrap calls to flaky dependencies in a circuit breaker."
    requires = "outbound"
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


class AtomicWrites(Probe):
    """Files are written in place, so a crash mid-write leaves them corrupt."""

    id = "REL005"
    category = Category.reliability
    severity = Severity.medium
    title = "State files are written non-atomically"
    rationale = "A crash or full disk mid-write leaves a truncated file that later fails to load."
    remediation = "Write to a temporary file in the same folder, fsync, then os.replace()."

    def check(self, ctx: ProbeContext) -> CheckResult:
        writes: list[Hit] = []
        for c in python_calls(ctx):
            mode = c.node.args[1] if len(c.node.args) > 1 else c.keyword("mode")
            if (
                c.name in _WRITES
                and isinstance(mode, ast.Constant)
                and "w" in str(mode.value)
                or c.name.endswith((".write_text", ".write_bytes"))
            ):
                writes.append(Hit(c.path, c.line, c.name))
        writes += grep(
            ctx,
            r"fs\.writeFile(Sync)?\(|os\.WriteFile\(|ioutil\.WriteFile\(|"
            r"fs::write\(|File::create\(|Files\.write\(|new FileWriter\(|"
            r"new FileOutputStream\(",
            ("javascript", "typescript", "go", "rust", "java"),
        )
        if not writes:
            return self.not_applicable("The code writes no files.")
        atomic = [
            Hit(c.path, c.line, c.name)
            for c in python_calls(ctx)
            if c.name in ("os.replace", "os.rename", "shutil.move")
            or c.name.endswith((".replace", ".rename"))
            and not c.node.args[1:]
            and c.name.split(".")[0] not in ("str", "text")
            and "path" in c.name.lower()
        ]
        atomic += grep(
            ctx,
            r"atomicwrites|AtomicWriter|fs\.rename(Sync)?\(|os\.Rename\(|"
            r"fs::rename\(|\.persist\(|ATOMIC_MOVE|os\.replace\(|write-file-atomic",
        )
        if atomic:
            return self.passed(
                [atomic[0].evidence(ctx)],
                f"Writes are made atomic with a rename ({atomic[0].where}).",
            )
        return self.failed(
            [h.evidence(ctx) for h in writes[:5]],
            f"{plural(len(writes), 'file write')} in place (first at {writes[0].where}) "
            "and no temp-file-and-rename anywhere.",
        )


class DatabaseTimeouts(CapabilityProbe):
    """Database calls have no connect or statement timeout."""

    id = "REL006"
    category = Category.reliability
    severity = Severity.low
    title = "No database timeouts"
    rationale = "A stuck query or unreachable database hangs workers indefinitely."
    remediation = "Set connect and statement timeouts on the database client or pool."
    requires = "database"
    what = "database timeout"
    code_only = False
    pattern = (
        r"statement_timeout|connect_timeout|pool_timeout|command_timeout|connectTimeout|"
        r"socketTimeoutMS|serverSelectionTimeoutMS|QueryContext|ExecContext|"
        r"context\.WithTimeout|acquire_timeout|connection_timeout|query_timeout|"
        r"idleTimeoutMillis|connectionTimeoutMillis|setQueryTimeout|busy_timeout|"
        r"sqlite3\.connect\([^)]*timeout="
    )


__all__ = ["database"]
