"""Observability probes: logging, structured logs, print debugging, metrics, tracing."""

from __future__ import annotations

import re

from pipeline.probes.base import Hit, Probe
from pipeline.probes.shapes import CapabilityProbe
from pipeline.probes.views.imports import Imports
from pipeline.probes.views.knowledge import Knowledge
from pipeline.probes.views.manifests import Manifests
from pipeline.probes.views.profile import ProfileView
from pipeline.probes.views.python import PythonCode
from pipeline.probes.views.repo import RepoView
from pipeline.probes.views.search import CODE, TextSearch
from pipeline.schemas import Category, CheckResult, Outcome, Severity

LOGGING_MODULES = (
    "logging",
    "structlog",
    "loguru",
    "winston",
    "pino",
    "bunyan",
    "log4js",
    "log",
    "log/slog",
    "go.uber.org/zap",
    "github.com/rs/zerolog",
    "github.com/sirupsen/logrus",
    "tracing",
    "env_logger",
    "slog",
    "org.slf4j",
    "org.apache.logging.log4j",
    "java.util.logging",
    "ch.qos.logback",
    "lombok.extern.slf4j",
    "@nestjs/common",
    "debug",
    "log4js",
    "loglevel",
    "consola",
    "java.lang.System.Logger",
    "slog-rs",
    "github.com/go-kit/log",
    "k8s.io/klog",
)


class LoggingFramework(CapabilityProbe):
    """The code does not use a logging framework."""

    id = "OBS001"
    category = Category.observability
    severity = Severity.high
    title = "No logging framework in use"
    rationale = "Without logs, production incidents are diagnosed by guesswork."
    remediation = "Log through the language's logging framework with levels and context."
    modules = LOGGING_MODULES
    pattern = r"@Slf4j|Logger\.getLogger|System\.getLogger|System\.Logger\b|" + "|".join(
        rf"\b{name}\.(debug|info|warn|warning|error)\(" for name in ("log", "logger", "LOG")
    )
    capability = "logging"
    what = "logging framework"

    def check(
        self,
        repo: RepoView,
        text: TextSearch,
        imports: Imports,
        python: PythonCode,
        knowledge: Knowledge,
        profile: ProfileView,
    ) -> CheckResult:
        result = super().check(repo, text, imports, python, knowledge, profile)
        if result.outcome is Outcome.failed and not profile.holds("application"):
            # A library leaves logging to the application that embeds it: one that logs is a
            # strength, one that does not is no gap.
            return self.not_applicable(
                f"No logging framework, and none is needed: {profile.why_not('application')}"
            )
        return result


class StructuredLogging(Probe):
    """Logs are unstructured text (no JSON or key-value logger is used)."""

    id = "OBS002"
    category = Category.observability
    severity = Severity.medium
    title = "No structured logging"
    rationale = "Free-text logs cannot be queried or aggregated reliably by log platforms."
    remediation = "Emit JSON logs (structlog, python-json-logger, pino, slog, zap, tracing json)."
    applies = "service|worker"

    _modules = (
        "structlog",
        "pythonjsonlogger",
        "json_log_formatter",
        "ecs_logging",
        "pino",
        "bunyan",
        "log/slog",
        "go.uber.org/zap",
        "github.com/rs/zerolog",
        "slog",
        "net.logstash",
    )
    # A JSON formatter written by hand counts as much as a library's.
    _patterns = (
        r"serialize=True|format\.json\(\)|JSONFormatter|JsonFormatter|\.json\(\)\s*\.init|"
        r"JsonLayout|JsonTemplateLayout|LogstashEncoder|json_formatter|"
        r"class \w+\((logging\.)?Formatter\)[\s\S]{0,400}?json\.dumps"
    )

    def check(
        self,
        repo: RepoView,
        text: TextSearch,
        imports: Imports,
        knowledge: Knowledge,
        manifests: Manifests,
    ) -> CheckResult:
        provided = knowledge.provides("structured_logging")
        if provided:
            use, site = provided[0]
            return self.passed(
                [site.evidence(repo)],
                f"Structured logging with {use.framework.name} ({site.where}): "
                f"{use.framework.provides['structured_logging'].rstrip('.')}.",
            )
        hit: Hit | None = imports.find(*self._modules) or imports.usage(
            self._patterns,
            "winston",
            "loguru",
            "tracing_subscriber",
            "logging",
            "github.com/sirupsen/logrus",
            "log4j",
        )
        if hit is None:
            hits = text.grep(self._patterns, (*CODE, "text", "yaml", "json"), limit=1)
            hit = hits[0] if hits else None
        if hit:
            return self.passed(
                [hit.evidence(repo)], f"Structured logging: `{hit.text}` ({hit.where})."
            )
        plain = imports.find(*LOGGING_MODULES)
        declared = _declared_only(manifests, imports)
        detail = f" ({declared} is declared but never imported)" if declared else ""
        return self.failed(
            [plain.evidence(repo)] if plain else repo.anchor(),
            f"Logs are plain text{detail}; no JSON or key-value logger is used.",
            looked_at=[
                "imports of JSON/key-value loggers, JSON formatters and framework switches "
                "(`.json()`, serialize=True) in product code and configuration"
            ],
        )


def _declared_only(manifests: Manifests, imports: Imports) -> str | None:
    text = manifests.text()
    for name in ("structlog", "python-json-logger", "pino", "zap", "zerolog", "bunyan"):
        if re.search(rf"\b{re.escape(name)}\b", text) and not any(
            n.startswith(name.replace("python-json-logger", "pythonjsonlogger"))
            for n in imports.table()
        ):
            return name
    return None


_PRINTS = (
    r"^\s*console\.(log|error|warn)\(|\bfmt\.Print(ln|f)?\(|\b(e?println!)\(|"
    r"System\.(out|err)\.print"
)
# One branch per name, so that each carries a literal the fast prefilter can look for.
_LOGS = "|".join(
    [
        rf"\b{name}\.\w+\("
        for name in (
            "log",
            "logger",
            "LOG",
            "LOGGER",
            "logging",
            "slog",
            "zap",
            "zerolog",
            "winston",
            "pino",
        )
    ]
    + [rf"\b{level}!\(" for level in ("info", "warn", "error", "debug", "trace")]
)
_CLI = (
    "argparse",
    "click",
    "typer",
    "rich",
    "fire",
    "commander",
    "yargs",
    "cobra",
    "github.com/spf13/cobra",
    "clap",
    "flag",
)


class PrintDebugging(Probe):
    """Diagnostics go to print/console instead of the logger."""

    id = "OBS003"
    category = Category.observability
    severity = Severity.low
    title = "print statements used instead of logging"
    rationale = "print output has no level, timestamp or context and is often lost."
    remediation = "Replace diagnostic prints with logger calls."

    # A command-line tool's prints are its output, research scripts report with print: only
    # a service's, worker's or library's prints are diagnostics that belong in a log.
    applies = "service|worker|library"

    def check(
        self,
        repo: RepoView,
        text: TextSearch,
        imports: Imports,
        python: PythonCode,
        profile: ProfileView,
    ) -> CheckResult:
        if not repo.languages():
            return self.not_applicable("No product code in scope.")
        cli_files = {
            h.path for n, sites in imports.sites().items() if n.split(".")[0] in _CLI for h in sites
        }
        # A script run as `python -m x` prints its output: that is its interface. In a
        # service, prints are diagnostics wherever they are.
        if not profile.holds("service"):
            cli_files |= {
                h.path for h in text.grep(r"^if __name__ == ['\"]__main__['\"]", ("python",))
            }
        prints = [c for c in python.calls_named("print") if c.path not in cli_files]
        other = [
            h
            for h in text.grep(_PRINTS, ("javascript", "typescript", "go", "rust", "java"))
            if h.path not in cli_files
        ]
        logs = text.grep(_LOGS, code_only=True)
        sites = [(c.path, c.line) for c in prints] + [(h.path, h.line) for h in other]
        if sites and len(sites) > len(logs) and (len(sites) >= 3 or not logs):
            return self.failed(
                [repo.evidence(p, n) for p, n in sites[:5]],
                f"{len(sites)} print/console calls outside CLI modules versus "
                f"{len(logs)} logger calls.",
            )
        if not sites and not logs:  # nothing found: nothing to cite
            return self.passed([], "No print or logger calls outside CLI modules.")
        evidence = [logs[0].evidence(repo)] if logs else [repo.evidence(*sites[0])]
        return self.passed(
            evidence, f"{len(sites)} print calls outside CLI modules, {len(logs)} logger calls."
        )


class Metrics(CapabilityProbe):
    """The service exports no metrics."""

    id = "OBS004"
    category = Category.observability
    severity = Severity.medium
    title = "No metrics instrumentation"
    rationale = "Without metrics nobody sees latency, error rates or saturation before users do."
    remediation = "Export RED metrics with Prometheus or OpenTelemetry."
    applies = "service|worker"
    what = "metrics instrumentation"
    capability = "metrics"
    modules = (
        "prometheus_client",
        "opentelemetry.metrics",
        "statsd",
        "datadog",
        "prometheus_fastapi_instrumentator",
        "starlette_exporter",
        "prom-client",
        "hot-shots",
        "express-prom-bundle",
        "github.com/prometheus/client_golang",
        "go.opentelemetry.io/otel/metric",
        "expvar",
        "prometheus",
        "metrics",
        "metrics_exporter_prometheus",
        "io.micrometer",
        "io.prometheus",
    )
    pattern = r"micrometer|/metrics['\"]"


class Tracing(CapabilityProbe):
    """The service has no distributed tracing."""

    id = "OBS005"
    category = Category.observability
    severity = Severity.low
    title = "No distributed tracing"
    rationale = "Without traces, latency across service boundaries cannot be attributed."
    remediation = "Instrument with OpenTelemetry and propagate trace context."
    applies = "service|worker"
    what = "tracing instrumentation"
    capability = "tracing"
    modules = (
        "opentelemetry",
        "ddtrace",
        "jaeger_client",
        "@opentelemetry",
        "dd-trace",
        "go.opentelemetry.io/otel",
        "tracing_opentelemetry",
        "io.opentelemetry",
        "brave",
        "zipkin",
        "elasticapm",
        "newrelic",
    )


class ErrorReporting(CapabilityProbe):
    """Unhandled errors are not reported to an error tracker."""

    id = "OBS007"
    category = Category.observability
    severity = Severity.low
    title = "No error tracking"
    rationale = "Crashes that only reach a log file are noticed late, if ever."
    remediation = "Report unhandled errors to Sentry (or a similar tracker)."
    applies = "service|worker"
    what = "error tracking"
    capability = "error_tracking"
    modules = (
        "sentry_sdk",
        "@sentry",
        "github.com/getsentry/sentry-go",
        "sentry",
        "io.sentry",
        "rollbar",
        "bugsnag",
        "honeybadger",
        "@bugsnag",
        "airbrake",
    )


class RequestIds(CapabilityProbe):
    """Requests carry no correlation id through logs."""

    id = "OBS008"
    category = Category.observability
    severity = Severity.low
    title = "No request correlation ids"
    rationale = "Without a request id, log lines of one request cannot be stitched together."
    remediation = "Accept or generate X-Request-ID and bind it to every log line."
    applies = "service"
    what = "request correlation id"
    code_only = False
    modules = ("asgi_correlation_id", "express-request-id", "cls-rtracer")
    pattern = r"[Rr]equest[_-]?[Ii][Dd]|[Cc]orrelation[_-]?[Ii][Dd]|X-Request-ID|trace_id|MDC\.put"
