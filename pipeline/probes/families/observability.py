"""Observability probes: logging, structured logs, print debugging, metrics, tracing."""

from __future__ import annotations

import re

from pipeline.probes.base import Hit, Probe
from pipeline.probes.families.reliability import Calls
from pipeline.probes.shapes import CapabilityProbe
from pipeline.probes.views.datafiles import DataFiles
from pipeline.probes.views.imports import Imports, matches_prefix
from pipeline.probes.views.knowledge import ECOSYSTEM_LANGUAGES, Knowledge
from pipeline.probes.views.manifests import Manifests
from pipeline.probes.views.profile import ProfileView
from pipeline.probes.views.python import PyCall, PythonCode
from pipeline.probes.views.repo import RepoView
from pipeline.probes.views.search import CODE, TextSearch
from pipeline.probes.views.syntax import SyntaxTrees
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
    "golang.org/x/exp/slog",
    "go.uber.org/zap",
    "github.com/rs/zerolog",
    "github.com/sirupsen/logrus",
    # More Go loggers (remark42 logs through go-pkgz/lgr, imported as `log`).
    "github.com/go-pkgz/lgr",
    "github.com/charmbracelet/log",
    "github.com/apex/log",
    "github.com/hashicorp/go-hclog",
    "github.com/go-kit/log",
    "github.com/go-kit/kit/log",
    "github.com/inconshreveable/log15",
    "k8s.io/klog",
    "github.com/golang/glog",
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
    "github.com/charmbracelet/log",
    "github.com/hashicorp/go-hclog",
    "github.com/inconshreveable/log15",
    "github.com/golang/glog",
    "github.com/apex/log",
    "github.com/go-logr/logr",
    "logbook",
    "npmlog",
    "signale",
    "org.apache.commons.logging",
    "org.jboss.logging",
    "org.tinylog",
)
# Nest's Logger in use: created, called, or imported by name from @nestjs/common.
_NEST_LOGGER = (
    r"\bnew Logger\(|\bLogger\.(log|error|warn|debug|verbose|fatal)\(|"
    r"\bLogger\b[^;]*\bfrom\s+['\"]@nestjs/common['\"]|\buseLogger\("
)
# A home-grown levelled logger: `this.log(LogLevel.INFO, ...)`, `log(Level.WARN, ...)`.
_LEVELLED = r"\blog\w*\(\s*(Log)?Level\.[A-Za-z]+\b"


class LoggingFramework(CapabilityProbe):
    """The code does not use a logging framework."""

    id = "OBS001"
    category = Category.observability
    severity = Severity.high
    title = "No logging framework in use"
    rationale = "Without logs, production incidents are diagnosed by guesswork."
    remediation = "Log through the language's logging framework with levels and context."
    modules = LOGGING_MODULES
    pattern = (
        r"@Slf4j|Logger\.getLogger|System\.getLogger|System\.Logger\b|"
        + "|".join(
            rf"\b{name}\.(debug|info|warn|warning|error|Debug|Info|Warn|Error)\("
            for name in ("log", "logger", "LOG")
        )
        + f"|{_LEVELLED}"
    )
    capability = "logging"
    what = "logging framework"

    def find(self) -> Hit | None:
        # @nestjs/common is imported by every Nest module for its decorators: only its
        # Logger, used, is logging.
        hit = self.imports.find(*(m for m in self.modules if m != "@nestjs/common"))
        if hit is None:
            nest = self.text.grep(
                _NEST_LOGGER, ("javascript", "typescript"), limit=1, code_only=True
            )
            hit = nest[0] if nest else None
        if hit is None and self.pattern:
            found = self.text.grep(self.pattern, self.languages, limit=1, code_only=self.code_only)
            hit = found[0] if found else None
        return hit

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
        kinds = set(profile.decisions.kinds)
        if (
            result.outcome is Outcome.failed
            and kinds & {"cli", "research"}
            and not profile.holds("service|worker")
        ):
            # A command or a script reports to the person who ran it, on stdout and stderr:
            # printing is its interface, not a missing log (the question's guide says so).
            return self.not_applicable(
                "No logging framework, and none is expected: a command-line tool or script "
                f"reports to whoever runs it on stdout and stderr ({profile.summary()})."
            )
        if result.outcome is Outcome.failed and not profile.holds("application"):
            # A library leaves logging to the application that embeds it: one that logs is a
            # strength, one that does not is no gap.
            return self.not_applicable(
                f"No logging framework, and none is needed: {profile.why_not('application')}"
            )
        server = imports.find(*_LOGGING_SERVERS)
        if result.outcome is Outcome.failed and server is not None:
            # microblog-api: Flask logs unhandled exceptions through app.logger (a stdlib
            # logger), gunicorn its errors and requests; the app's own code logs nothing.
            return result.model_copy(
                update={
                    "message": "The product's own code makes no log call. The framework and "
                    f"server it runs on log (`{server.text[:60]}`, {server.where}: unhandled "
                    "errors with tracebacks, and requests where the server keeps an access "
                    "log), but none of its own modules records what it does.",
                    "evidence": [*result.evidence[:1], server.evidence(repo)],
                    "partial": True,
                    "severity": Severity.medium,
                    "severity_note": "Lowered: the framework logs errors through Python's "
                    "logging; what is missing is the application's own account of its work.",
                }
            )
        declared = text.grep(_JVM_LOGGING, ("xml", "groovy", "kotlin"), limit=1)
        if result.outcome is Outcome.failed and declared:
            # The frameworks it runs on (Spring, MyBatis) log through it; its own code is silent.
            site = declared[0]
            return result.model_copy(
                update={
                    "message": f"The product's own code makes no log call. A logging library is "
                    f"on the classpath ({site.where}: `{site.text[:60]}`), so the frameworks it "
                    "runs on log, but none of its own classes records what it does.",
                    "evidence": [site.evidence(repo), *result.evidence[:1]],
                    "severity": Severity.medium,
                    "severity_note": "Lowered: the frameworks log through the declared library; "
                    "what is missing is the application's own account of its work.",
                }
            )
        return result


# Python web frameworks and servers that log through the logging module by default: Flask's
# app.logger and Django's "django" loggers report unhandled exceptions; uvicorn and gunicorn
# log errors (and requests, uvicorn by default).
_LOGGING_SERVERS = ("flask", "django", "uvicorn", "gunicorn", "hypercorn", "waitress")
_JVM_LOGGING = (
    r"<artifactId>(slf4j-api|slf4j-simple|logback-classic|log4j-core|log4j-slf4j2?-impl|"
    r"commons-logging|spring-boot-starter-logging)</artifactId>"
)


# Output settings that turn a JSON-by-default structured logger into a text logger, and
# their JSON counterparts (whose presence makes the text writer one choice of two).
_TEXT_OUTPUT = (
    r"zerolog\.ConsoleWriter\{|logrus\.TextFormatter\{|zap\.NewDevelopment(Config)?\(|"
    r"NewConsoleEncoder\(|slog\.NewTextHandler\("
)
_JSON_OUTPUT = (
    r"zerolog\.New\(|logrus\.JSONFormatter\{|zap\.NewProduction(Config)?\(|NewJSONEncoder\(|"
    r"slog\.NewJSONHandler\(|(?i:format\w*\s*==\s*\"json\")"
)


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
        "golang.org/x/exp/slog",  # slog before Go 1.21
        "go.uber.org/zap",
        "github.com/rs/zerolog",
        "github.com/go-kit/log",  # logfmt key=value
        "github.com/go-kit/kit/log",
        "slog",
        "tracing_bunyan_formatter",  # tracing's Bunyan JSON layer
        "json_subscriber",
        "net.logstash",
    )
    # A JSON formatter written by hand counts as much as a library's.
    _patterns = (
        r"serialize=True|format\.json\(\)|JSONFormatter|JsonFormatter|\.json\(\)\s*\.init|"
        r"JsonLayout|JsonTemplateLayout|LogstashEncoder|json_formatter|"
        # JHipster's logging helpers (JSON console, Logstash appender); Spring Boot 3.4's
        # structured console/file output (logging.structured.format.console=ecs).
        r"addJsonConsoleAppender|LogstashTcpSocketAppender|logging\.structured\.format|"
        r"class \w+\((logging\.)?Formatter\)[\s\S]{0,400}?json\.dumps|"
        # A logging format of key=value fields, logfmt (wger's 'level={levelname}
        # ts={asctime} module={module} ...'): three or more fields, each named.
        r"['\"](\w+=(\{\w+\}|%\(\w+\)s)\s+){2,}\w+=(\{\w+\}|%\(\w+\)s)"
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
        # A structured logger whose output is set to a console/text writer (and no JSON
        # output anywhere) still keeps fields apart: key=value lines that log platforms
        # parse as logfmt. The labellers of gotify (zerolog ConsoleWriter), shiori (logrus
        # TextFormatter) and memos (slog TextHandler) all called that structured.
        # A handler writing to io.Discard silences a library's logs (listmonk's cron).
        text_out = [
            h
            for h in text.grep(_TEXT_OUTPUT, CODE, code_only=True)
            if "io.Discard" not in h.text and "ioutil.Discard" not in h.text
        ]
        if text_out and not text.grep(_JSON_OUTPUT, CODE, limit=1, code_only=True):
            site = text_out[0]
            return self.passed(
                [site.evidence(repo)],
                f"Structured logging rendered as text: a structured logger's output is set to "
                f"a key=value text writer ({site.where}: `{site.text[:100]}`); fields stay "
                "apart (logfmt), though no JSON output is configured.",
            )
        if provided:
            use, site = provided[0]
            return self.passed(
                [site.evidence(repo)],
                f"Structured logging with {use.framework.name} ({site.where}): "
                f"{use.framework.provides['structured_logging'].rstrip('.')}.",
            )
        modules: tuple[str, ...] = self._modules
        if not [
            h
            for h in text.grep(r"\bslog\.\w+\(", ("go",), code_only=True)
            if "Discard" not in h.text
        ]:
            # slog imported only to silence a library's logger (listmonk's cron) logs nothing.
            modules = tuple(m for m in modules if not m.endswith("slog") or m == "slog")
        hit: Hit | None = imports.find(*modules) or imports.usage(
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
        # Key=value records, in part: logrus writes logfmt lines (level, msg, and fields
        # where the code adds them); tracing events carry fields where the code names them
        # (mini-redis: `debug!(request = ?frame)`, #[instrument]). Second readers called
        # "plain text" false; the labellers of go-clean-arch and mini-redis said "partly".
        partial = imports.find("github.com/sirupsen/logrus") or imports.usage(
            r"#\[(tracing::)?instrument\b|\b(trace|debug|info|warn|error)!\(\s*\w+\s*=",
            "tracing",
        )
        if partial:
            return self.passed(
                [partial.evidence(repo)],
                f"Key=value logging in part (`{partial.text.strip()}`, {partial.where}): records "
                "come out as key=value text, with fields only where the code adds them; no "
                "JSON output is configured.",
                partial=True,
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
        # `\b` is no boundary inside a name: tracing-bunyan-formatter is no bunyan.
        if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text) and not any(
            n.startswith(name.replace("python-json-logger", "pythonjsonlogger"))
            for n in imports.table()
        ):
            return name
    return None


_PRINTS = (
    r"^\s*console\.(log|error|warn)\(|\bfmt\.Print(ln|f)?\(|\bfmt\.Fprint(ln|f)?\(os\.Std|"
    r"\b(e?println!)\(|System\.(out|err)\.print"
)
# A log record: a level method on something named like a logger, a Go logger's print, a
# Rust level macro, or a home-grown levelled call. One literal per branch for the prefilter.
_RECORDS = "|".join(
    [
        r"\b(\w+_)?(log|logger|LOG|LOGGER)\.(debug|info|warn|warning|error|fatal|trace|"
        r"verbose|critical|success|log|severe|fine)\(",
        r"\b\w*(Logger|Log)\.(debug|info|warn|warning|error|fatal|trace|log|verbose)\(",
        r"\b(log|logger|slog|logrus|zap|zerolog|klog|glog|hclog|\w*[Ll]ogger)\."
        r"(Print|Fatal|Panic|Debug|Info|Warn|Error|Trace|Log|With)\w*\(",
        r"\b(info|warn|error|debug|trace|event)!\(",
        _LEVELLED,
    ]
)
_PY_LEVELS = frozenset(
    {"debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log"}
    | {"trace", "success"}  # loguru's extra levels
)
_LOGGER_NAME = re.compile(r"(\w+_)?(log|logger|logging)(_\w+)?|\w*logger", re.I)
_CLI = (
    "argparse",
    "click",
    "typer",
    "rich",
    "fire",
    "commander",
    "yargs",
    "github.com/spf13/cobra",
    "github.com/urfave/cli",
    "clap",
    "flag",
)
_OTHER = ("javascript", "typescript", "go", "rust", "java")


def _output_files(
    repo: RepoView, text: TextSearch, imports: Imports, profile: ProfileView
) -> set[str]:
    """Files whose prints are the program's output rather than diagnostics.

    Modules of a command-line interface (they import a CLI library), scripts run directly
    (a `#!` line) and, outside a service, modules run as `python -m x`: their prints are the
    interface. In a service, prints are diagnostics wherever they are.
    """
    files = {
        h.path
        for name, sites in imports.sites().items()
        if any(matches_prefix(name, cli) for cli in _CLI)
        for h in sites
    }
    files |= {f.path for f in repo.code_files(*CODE) if repo.line(f.path, 1).startswith("#!")}
    if not profile.holds("service"):
        files |= {h.path for h in text.grep(r"^if __name__ == ['\"]__main__['\"]", ("python",))}
    elif profile.server is not None and "cli" not in profile.kinds:
        # The file that serves reads its options with a flag parser too (whoami's app.go);
        # what its handlers print is diagnostics. (In a command line with a serve command
        # beside others, the other commands' prints are their output.)
        files.discard(profile.server.path)
    return files


def _is_record(call: PyCall) -> bool:
    """A Python call that emits a log record: `log.info(...)`, `self.logger.exception(...)`."""
    receiver, _, method = call.name.rpartition(".")
    if method not in _PY_LEVELS or not receiver:
        return False
    last = receiver.rpartition(".")[2].removesuffix("()").lstrip("_")
    return bool(_LOGGER_NAME.fullmatch(last))


def _diagnostics(
    repo: RepoView, text: TextSearch, imports: Imports, python: PythonCode, profile: ProfileView
) -> tuple[list[Hit], list[Hit]]:
    """The product's own log records and its diagnostic prints (outside output files)."""
    output = _output_files(repo, text, imports, profile)
    records = [
        Hit(c.path, c.line, repo.shown(c.path, c.line).strip())
        for c in python.calls()
        if _is_record(c)
    ]
    records += text.grep(_RECORDS, _OTHER, code_only=True)
    prints = [
        Hit(c.path, c.line, repo.shown(c.path, c.line).strip())
        for c in python.calls_named("print")
        if c.path not in output
    ]
    prints += [h for h in text.grep(_PRINTS, _OTHER, code_only=True) if h.path not in output]
    return records, prints


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
        logs, sites = _diagnostics(repo, text, imports, python, profile)
        if sites and len(sites) > len(logs) and (len(sites) >= 3 or not logs):
            return self.failed(
                [h.evidence(repo) for h in sites[:5]],
                f"{len(sites)} print/console calls outside CLI modules versus "
                f"{len(logs)} logger calls.",
            )
        if not sites and not logs:
            # Nothing to weigh. Not a pass: with OBS001 this settles whether the code logs,
            # and code that emits no diagnostics at all does not log them well.
            return self.not_applicable("No print or logger calls outside CLI modules.")
        evidence = [logs[0].evidence(repo)] if logs else [sites[0].evidence(repo)]
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
        "com.codahale.metrics",
        "io.dropwizard.metrics",
        "github.com/VictoriaMetrics/metrics",
        "github.com/armon/go-metrics",
        "github.com/hashicorp/go-metrics",
        "github.com/rcrowley/go-metrics",
        "github.com/slok/go-http-metrics",
        "@opentelemetry/sdk-metrics",
        "@promster",
    )
    # A route named /metrics, or the Prometheus text format written by hand (alerta's
    # /management/metrics: '# TYPE alerta_uptime_msecs counter'): values in strings, so the
    # search reads string literals too.
    pattern = (
        r"micrometer|/metrics['\"]|['\"]django_prometheus['\"]|"
        r"['\"]# TYPE \w+ (counter|gauge|histogram|summary)\b"
    )
    code_only = False

    def find(self) -> Hit | None:
        # A framework's metrics middleware is named after what it exports: fiberprometheus,
        # go-gin-prometheus, echoprometheus, django_prometheus, node-statsd, ...
        return super().find() or next(
            (
                sites[0]
                for name, sites in sorted(self.imports.sites().items())
                if re.search(r"prometheus|statsd", name, re.I)
            ),
            None,
        )


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
        "aws_xray_sdk",
        "aws-xray-sdk",
        "aws-xray-sdk-core",
        "github.com/aws/aws-xray-sdk-go",
        "com.amazonaws.xray",
    )
    # AWS X-Ray switched on for a Lambda function: CDK `tracing: Tracing.ACTIVE`, SAM or
    # CloudFormation `Tracing: Active` / `TracingConfig`.
    pattern = (
        r"\bTracing\.ACTIVE\b|^\s*Tracing:\s*['\"]?Active\b|\bTracingConfig\b|"
        # Spring: a tracing starter on the classpath instruments every request by itself.
        r"<artifactId>(spring-cloud-starter-sleuth|spring-cloud-starter-zipkin|"
        r"micrometer-tracing-bridge-(otel|brave))</artifactId>"
    )
    languages = (*CODE, "yaml", "json", "xml", "groovy", "kotlin")
    code_only = False

    def check(  # type: ignore[override]
        self,
        repo: RepoView,
        text: TextSearch,
        imports: Imports,
        python: PythonCode,
        knowledge: Knowledge,
        profile: ProfileView,
        syntax: SyntaxTrees,
        data: DataFiles,
    ) -> CheckResult:
        result = super().check(repo, text, imports, python, knowledge, profile)
        # A worker takes its work from a queue another process fills: a boundary of its own.
        if result.outcome is not Outcome.failed or profile.holds("worker"):
            return result
        calls = _service_calls(repo, text, python, syntax, knowledge, data, profile)
        if calls:
            return result
        found = [hit for _, hit in profile.outbound]
        why = (
            f"the outbound calls found, first at {found[0].where}, run in the user's browser "
            "or a build script, or fetch the server's TLS certificate"
            if found
            else "its product code makes no outbound network calls"
        )
        # Second readers: a single-process server has no distributed request path to trace.
        return result.model_copy(
            update={
                "advisory": f"The service calls no other service while serving a request "
                f"({why}): a request stays in one process and its database, so a distributed "
                "trace would have no service boundary to follow."
            }
        )


# A client that fetches the server's own TLS certificate (ACME: autocert, certmagic, lego):
# it talks to the certificate authority at start and on renewal, not while serving requests.
_CERTIFICATE_CLIENT = re.compile(
    r"\bacme\.|\bautocert\.|\bcertmagic\.|\blego\.|(?i:let'?s\s?encrypt)"
)


def _service_calls(
    repo: RepoView,
    text: TextSearch,
    python: PythonCode,
    syntax: SyntaxTrees,
    knowledge: Knowledge,
    data: DataFiles,
    profile: ProfileView,
) -> list[Hit]:
    """Outbound calls the server side makes, each a hop a trace would follow into another
    service. Left out: calls from the user's browser or a build script (a front end calling
    its own back end is the request itself), and the client that fetches the server's TLS
    certificate."""
    calls = Calls.of(repo, python, syntax, text, knowledge, data)
    elsewhere = {o.hit.path for o in calls if o.place}
    sites = [o.hit for o in calls] + [hit for _, hit in profile.outbound]
    for capability in ("http_client", "llm_client"):
        for use, _ in knowledge.provides(capability):
            pattern = use.framework.when.get(capability)
            if pattern:
                languages = ECOSYSTEM_LANGUAGES.get(use.framework.ecosystem, CODE)
                sites += text.grep(pattern, languages, code_only=True)
    # Where a script runs, told as the reliability probes tell it (its package's front end).
    places = Calls(repo, python, syntax, text, knowledge, data)

    def served(hit: Hit) -> bool:
        if hit.path in elsewhere:
            return False
        if repo.by_path[hit.path].language in ("javascript", "typescript"):
            return places._js_runtime(hit.path, repo.text(hit.path)) != "browser"
        window = repo.lines(hit.path)[max(hit.line - 1, 0) : hit.line + 6]
        return not _CERTIFICATE_CLIENT.search("\n".join(window))

    return [hit for hit in sites if served(hit)]


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
        # The Go and Java clients of the same trackers, by their module paths.
        "github.com/rollbar/rollbar-go",
        "github.com/bugsnag/bugsnag-go",
        "github.com/honeybadger-io/honeybadger-go",
        "github.com/airbrake/gobrake",
        "com.rollbar",
        "com.bugsnag",
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
    capability = "correlation_ids"
    code_only = False
    modules = ("asgi_correlation_id", "express-request-id", "cls-rtracer", "django_guid")
    # django-structlog's RequestMiddleware binds a request_id to every log line.
    # Recognised request-id middleware, request-id headers, ids generated or read from a
    # header, correlation and trace ids. A variable named requestId holding a URL parameter
    # (the id of a requested resource) is none of these.
    pattern = (
        r"(?i:x-request-id|x-correlation-id|request-id)|\bmiddleware\.RequestID\b|\bGetReqID\b|"
        r"\brequestid\.|RequestIdFilter|requestIdHeader|genReqId|[Cc]orrelation[_-]?[Ii][Dd]|"
        r"trace_id|traceId|MDC\.put|django_structlog\.middlewares\.RequestMiddleware|"
        r"\b(req_?[Ii]d|request_?[Ii][Dd])\b\s*:?=\s*[^\n]*(uuid|UUID|nanoid|v4\(|[Hh]eader)"
    )

    def check(
        self,
        repo: RepoView,
        text: TextSearch,
        imports: Imports,
        python: PythonCode,
        knowledge: Knowledge,
        profile: ProfileView,
    ) -> CheckResult:
        # Request-id libraries in the knowledge table (role "request_id"): the request
        # logging they provide, once switched on, tags each request with a generated id
        # (tracing-actix-web's TracingLogger puts a request_id on every request's root span).
        tagged = [
            (use, hit)
            for use, hit in knowledge.provides("logging")
            if use.framework.role == "request_id"
        ]
        if tagged and repo.code_files(*self.languages):
            use, hit = tagged[0]
            return self.passed(
                [hit.evidence(repo)],
                f"{self.what.capitalize()} comes with {use.framework.name} ({hit.where}): "
                f"{use.framework.provides['logging'].rstrip('.')}.",
            )
        return super().check(repo, text, imports, python, knowledge, profile)


class SilentLogger(Probe):
    """A logger is set up, but the code never emits a log record of its own."""

    id = "OBS009"
    category = Category.observability
    severity = Severity.low
    title = "A logger is set up but never used"
    rationale = (
        "A logger with a NullHandler, or configured and never called, records nothing the "
        "code itself noticed: a failed connection or a skipped record leaves no trace."
    )
    remediation = "Log what the code notices (failures, retries, skipped work) at a level."
    # Only once a logging framework is in use (OBS001): without one, OBS001 says it all.
    requires = frozenset({"OBS001"})

    def check(
        self,
        repo: RepoView,
        text: TextSearch,
        imports: Imports,
        python: PythonCode,
        profile: ProfileView,
    ) -> CheckResult:
        records, prints = _diagnostics(repo, text, imports, python, profile)
        if records:
            return self.passed(
                [records[0].evidence(repo)],
                f"{len(records)} log calls in product code, e.g. `{records[0].text}` "
                f"({records[0].where}).",
            )
        if prints and profile.holds("service|worker|library"):
            return self.not_applicable(
                f"The code prints its diagnostics ({prints[0].where}): see OBS003."
            )
        setup = imports.find(*LOGGING_MODULES)
        if setup is None:
            return self.not_applicable(
                "The code emits no diagnostics of its own; the logging comes from its "
                "framework (see OBS001)."
            )
        searched = [
            "log-level calls on loggers (log.info, logger.Error, info!, ...) in product code"
        ]
        if not setup.path.endswith(".py"):
            # Log calls outside Python are matched by name; one this search does not know
            # (a logger under another name) may be there.
            return self.cannot_determine(
                f"A logger is imported ({setup.where}) but no log call of a known shape was "
                "found in product code.",
                looked_at=searched,
                evidence=[setup.evidence(repo)],
            )
        return self.failed(
            [setup.evidence(repo)],
            f"Logging is set up ({setup.where}: `{setup.text}`) but product code emits no log "
            "record of its own.",
            looked_at=searched,
        )
