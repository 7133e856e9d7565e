"""Probes for code that serves requests: auth, validation, limits, health, shutdown."""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from pipeline.knowledge import by_id
from pipeline.probes.base import Hit
from pipeline.probes.shapes import CapabilityProbe
from pipeline.probes.views.containers import Containers
from pipeline.probes.views.datafiles import DataFiles
from pipeline.probes.views.imports import Imports
from pipeline.probes.views.knowledge import Knowledge
from pipeline.probes.views.profile import ProfileView
from pipeline.probes.views.python import PythonCode
from pipeline.probes.views.repo import RepoView
from pipeline.probes.views.search import CODE, TextSearch
from pipeline.schemas import Category, CheckResult, Outcome, Severity


class Authentication(CapabilityProbe):
    """The service shows no authentication of requests."""

    id = "SEC012"
    category = Category.security
    severity = Severity.high
    title = "No authentication on the service"
    rationale = "An unauthenticated API lets anyone who can reach it read or change data."
    remediation = "Authenticate every non-public route (OAuth2/JWT, API keys, sessions)."
    applies = "service"
    what = "authentication"
    capability = "authentication"
    code_only = False
    modules = (
        "fastapi.security",
        "flask_login",
        "flask_jwt_extended",
        "flask_httpauth",
        "jwt",
        "jose",
        "authlib",
        "django.contrib.auth",
        "rest_framework.permissions",
        "passport",
        "jsonwebtoken",
        "express-jwt",
        "express-openid-connect",
        "next-auth",
        "@nestjs/passport",
        "github.com/golang-jwt/jwt",
        "github.com/coreos/go-oidc",
        "org.springframework.security",
        "io.jsonwebtoken",
        "actix_web_httpauth",
        "axum_extra::headers::authorization",
    )
    pattern = (
        r"[Aa]uthorization['\"]|Bearer\s|login_required|@PreAuthorize|HTTPBearer|"
        r"OAuth2PasswordBearer|APIKeyHeader|[Xx]-[Aa]pi-[Kk]ey|BasicAuth|verify_token|"
        r"authenticate\("
    )


class InputValidation(CapabilityProbe):
    """Request input is not validated by a schema library."""

    id = "SEC013"
    category = Category.security
    severity = Severity.high
    title = "No input validation on requests"
    rationale = "Unvalidated input reaches business logic and storage, inviting bugs and attacks."
    remediation = "Validate every request body and parameter with a schema (pydantic, zod, ...)."
    applies = "service"
    what = "schema validation"
    capability = "input_validation"
    modules = (
        "pydantic",
        "fastapi",  # validates parameters and bodies from their type annotations
        "marshmallow",
        "jsonschema",
        "cerberus",
        "voluptuous",
        "wtforms",
        "django.forms",
        "rest_framework.serializers",
        "attrs",
        "msgspec",
        "zod",
        "joi",
        "yup",
        "class-validator",
        "ajv",
        "express-validator",
        "celebrate",
        "@sinclair/typebox",
        "github.com/go-playground/validator",
        "github.com/go-ozzo/ozzo-validation",
        "validator",
        "garde",
        "javax.validation",
        "jakarta.validation",
    )
    pattern = r"binding:\"required|@Valid\b|#\[validate"


class RequestSizeLimits(CapabilityProbe):
    """Request bodies have no explicit size limit."""

    id = "SEC014"
    category = Category.security
    severity = Severity.medium
    title = "No request size limits"
    rationale = "Unbounded bodies let one client exhaust memory or disk."
    remediation = "Cap request body size in the framework or the proxy in front of it."
    applies = "service"
    what = "request size limit"
    capability = "request_size_limit"
    code_only = False
    languages = (*CODE, "yaml", "toml", "json", "text", "ini")
    pattern = (
        r"MAX_CONTENT_LENGTH|max_content_length|client_max_body_size|limit:\s*['\"]\d|"
        r"bodyLimit|MaxBytesReader|DefaultBodyLimit|RequestBodyLimit|max_request_size|"
        r"max-http-post-size|max-request-size|maxRequestSize|max_body_size|"
        r"MaxRequestBodySize|PayloadConfig|body_limit|max_upload_size|"
        r"DATA_UPLOAD_MAX_MEMORY_SIZE|max-file-size|BodyLimit\("
    )

    def find(self) -> Hit | None:
        # A limit set to None/null/0 is the framework default of *no* limit.
        hits = self.text.grep(self.pattern or "", self.languages, code_only=False)
        unset = re.compile(r"[:=]\s*(None|null|nil|0|false|undefined)\s*[,;)}]?\s*$")
        return next((h for h in hits if not unset.search(h.text)), None)


class RateLimiting(CapabilityProbe):
    """The service applies no rate limiting."""

    id = "SEC015"
    category = Category.security
    severity = Severity.medium
    title = "No rate limiting"
    rationale = "Without limits one client (or attacker) can starve everyone else."
    remediation = "Add per-client rate limits in the app or the gateway in front of it."
    applies = "service"
    what = "rate limiting"
    capability = "rate_limiting"
    modules = (
        "slowapi",
        "flask_limiter",
        "django_ratelimit",
        "limits",
        "fastapi_limiter",
        "express-rate-limit",
        "rate-limiter-flexible",
        "@nestjs/throttler",
        "golang.org/x/time/rate",
        "github.com/ulule/limiter",
        "github.com/didip/tollbooth",
        "governor",
        "tower_governor",
        "actix_governor",
        "io.github.bucket4j",
        "io.github.resilience4j.ratelimiter",
    )
    pattern = r"RateLimit|rate_limit|ratelimit|Throttle|limit_req"


class HealthEndpoint(CapabilityProbe):
    """The service exposes no health or readiness endpoint."""

    id = "OBS006"
    category = Category.observability
    severity = Severity.medium
    title = "No health check endpoint"
    rationale = "Orchestrators and load balancers cannot tell a hung instance from a live one."
    remediation = "Serve /healthz (liveness) and /readyz (readiness, checks dependencies)."
    applies = "service"
    what = "health endpoint"
    capability = "health_endpoint"
    # A route at the root (`"/health"`, `"/ready/db"`), or a health word as the last segment
    # under a prefix (`"/api/ping"`, `"/v1/heartbeat/"`): words too common for the last
    # segment of an ordinary resource (status, ready, live) count only at the root.
    pattern = (
        r"['\"`]/(health|healthz|healthcheck|health-check|health_check|ready|readyz|readiness|"
        r"livez|liveness|live|alive|ping|heartbeat|status)['\"`/]|"
        r"['\"`](/[\w.:{}-]+)+/(health|healthz|healthcheck|health-check|health_check|readyz|"
        r"readiness|livez|liveness|ping|heartbeat)/?['\"`]|"
        r"['\"](health|healthz|healthcheck|readyz|livez|heartbeat)['\"]|"
        r"spring-boot-starter-actuator|"
        r"grpc_health|health\.v1|HealthCheck"
    )
    languages = (*CODE, "text")


# Servers and workers started from a command line that drain on SIGTERM (knowledge ids);
# celery and rq drain only as workers.
_DRAINING = re.compile(r"(?<![\w./-])(gunicorn|uvicorn|hypercorn|celery|rq|dramatiq)\b")
_NEEDS_WORKER = ("celery", "rq")
# A command line that starts a long-running program (the line a wrapper script ends on).
_PROGRAM = re.compile(
    r"(?<![\w./-])(gunicorn|uvicorn|hypercorn|celery|rq|dramatiq|daphne|node|npm|yarn|pnpm|"
    r"java|python3?|poetry|pipenv|flask|django-admin|manage\.py|bundle|rails|php|dotnet)\b|"
    r"^\s*(exec\s+)?\.?/[\w./-]+"
)
# Compose files and Dockerfiles for development or tests do not say how the software runs.
_DEV_FILE = re.compile(
    r"(^|[._-])(dev|develop|development|local|test|tests|ci|debug)([._-]|$)", re.I
)
_CHAINED = re.compile(r"&&|\|\||;|\|(?!\|)|\n")


@dataclass(frozen=True)
class _Launch:
    """A command that starts the software: where it is written and how it is run."""

    path: str
    line: int
    argv: tuple[str, ...]
    text: str
    shell_form: bool = False


def _launches(repo: RepoView, containers: Containers, data: DataFiles) -> list[_Launch]:
    """The commands that start the software: Dockerfile CMD/ENTRYPOINT (last stage),
    compose commands and Procfile lines."""
    found: list[_Launch] = []
    for path in containers.dockerfiles:
        stages = containers.stages(path)
        last: dict[str, dict[str, Any]] = {}
        for instr in stages[-1] if stages else []:
            if instr["instruction"] in ("CMD", "ENTRYPOINT"):
                last[instr["instruction"]] = instr
        entry, cmd = last.get("ENTRYPOINT"), last.get("CMD")
        for instr in [i for i in (entry, cmd) if i is not None][:1]:
            value = str(instr["value"]).strip()
            exec_form = _json_list(value)
            argv = tuple(exec_form) if exec_form is not None else tuple(_split(value))
            shell = exec_form is None
            # ["sh", "-c", "..."] is a shell form written as a list.
            if (
                exec_form
                and len(exec_form) > 2
                and exec_form[1] == "-c"
                and PurePosixPath(exec_form[0]).name in ("sh", "bash", "ash", "dash")
            ):
                value, shell = exec_form[2], True
            text = value
            if entry is not None and cmd is not None and instr is entry:
                extra = _json_list(str(cmd["value"]).strip())
                argv += tuple(extra) if extra is not None else tuple(_split(cmd["value"]))
                text = f"{value} {cmd['value']}"
            found.append(_Launch(path, instr["startline"] + 1, argv, text, shell_form=shell))
    for service in containers.compose_services():
        for key in ("entrypoint", "command"):
            given = service.data.get(key)
            if given:
                argv = tuple(str(v) for v in given) if isinstance(given, list) else _split(given)
                lines = repo.lines(service.path)
                number = next(
                    (
                        n
                        for n in range(service.line + 1, len(lines) + 1)
                        if re.match(rf"\s+{key}:", lines[n - 1])
                    ),
                    service.line,
                )
                found.append(_Launch(service.path, number, argv, str(given)))
                break
    for path in repo.named("Procfile"):
        for number, text in enumerate(repo.lines(path), 1):
            name, _, command = text.partition(":")
            if command.strip() and not name.strip().startswith("#"):
                found.append(_Launch(path, number, _split(command), command.strip()))
    return [launch for launch in found if not _DEV_FILE.search(PurePosixPath(launch.path).name)]


def _json_list(value: str) -> list[str] | None:
    if not value.startswith("["):
        return None
    try:
        parsed = json.loads(value)
    except ValueError:
        return None
    return [str(v) for v in parsed] if isinstance(parsed, list) else None


def _split(value: object) -> tuple[str, ...]:
    try:
        return tuple(shlex.split(str(value)))
    except ValueError:
        return tuple(str(value).split())


def _script(repo: RepoView, launch: _Launch) -> str | None:
    """The repository shell script a launch runs (``./boot.sh``, ``sh entrypoint.sh``)."""
    for arg in launch.argv[:3]:
        name = PurePosixPath(arg).name
        if not name or name.startswith("-"):
            continue
        candidates = [f.path for f in repo.files if PurePosixPath(f.path).name == name]
        scripts = [p for p in candidates if p.endswith(".sh") or repo.text(p).startswith("#!")]
        if scripts:
            return min(scripts, key=len)
    return None


def _signal_gaps(repo: RepoView, launches: list[_Launch]) -> list[tuple[Hit, str]]:
    """Launches through which SIGTERM never reaches the server, or makes it stop cold."""
    gaps: list[tuple[Hit, str]] = []
    for launch in launches:
        hit = Hit(launch.path, launch.line, repo.shown(launch.path, launch.line).strip())
        if "REMAP_SIGTERM=SIGQUIT" in launch.text:
            gaps.append((hit, "REMAP_SIGTERM=SIGQUIT turns SIGTERM into a Celery cold shutdown"))
            continue
        words = [a for a in launch.argv if "=" not in a or a.startswith("-")]
        if words and words[0] == "exec":
            words = words[1:]
        if words and PurePosixPath(words[0]).name == "yarn":
            gaps.append(
                (hit, "yarn runs the app and exits at once on SIGTERM without waiting for it")
            )
            continue
        last_step = _CHAINED.split(launch.text.strip())[-1].strip()
        if (
            launch.shell_form
            and _CHAINED.search(launch.text.strip())
            and not last_step.startswith("exec ")
        ):
            gaps.append(
                (
                    hit,
                    "a shell-form command with several steps keeps /bin/sh as PID 1, "
                    "which does not pass SIGTERM on to the server",
                )
            )
            continue
        script = _script(repo, launch)
        if script is None:
            continue
        commands = [
            (n, line)
            for n, line in enumerate(repo.lines(script), 1)
            if line.strip() and not line.lstrip().startswith("#")
        ]
        if commands and re.match(r"^\s*exec\s", commands[-1][1]):
            continue  # the script hands PID 1 over (exec "$@", exec gunicorn ...)
        lines = [(n, line) for n, line in commands if _PROGRAM.search(line)]
        if lines and not re.match(r"^\s*exec\s", lines[-1][1]):
            number, _ = lines[-1]
            gaps.append(
                (
                    Hit(script, number, repo.shown(script, number).strip()),
                    f"{script} starts the program without exec, so the script's shell stays "
                    "PID 1 and SIGTERM does not reach it",
                )
            )
    return gaps


def _drainers(repo: RepoView, launches: list[_Launch]) -> list[tuple[Hit, str]]:
    """Servers and workers started from a command line that drain on SIGTERM themselves,
    each with the knowledge table's id for it."""
    found: list[tuple[Hit, str]] = []
    for launch in launches:
        texts = [(launch.path, launch.line, launch.text)]
        script = _script(repo, launch)
        if script is not None:
            texts += [(script, n, line) for n, line in enumerate(repo.lines(script), 1)]
        for path, number, text in texts:
            match = _DRAINING.search(text)
            if match is None or text.lstrip().startswith("#"):
                continue
            name = match.group(1)
            if name in _NEEDS_WORKER and not re.search(r"\bworker\b", text):
                continue
            found.append((Hit(path, number, repo.shown(path, number).strip()), name))
    return found


class GracefulShutdown(CapabilityProbe):
    """The service does not handle SIGTERM or drain in-flight work on shutdown."""

    id = "REL004"
    category = Category.reliability
    severity = Severity.medium
    title = "No graceful shutdown"
    rationale = "Killed mid-request, a service drops work and leaves partial writes behind."
    remediation = "Handle SIGTERM: stop accepting, drain in-flight requests, close pools."
    applies = "service|worker"
    what = "graceful shutdown handling"
    capability = "graceful_shutdown"
    pattern = (
        r"SIGTERM|signal\.Notify|lifespan|enableShutdownHooks|on_event\(['\"]shutdown|\.Shutdown\(|"
        r"graceful|addShutdownHook|tokio::signal|with_graceful_shutdown|"
        r"@PreDestroy|server\.close\(|on_shutdown|atexit\.register"
    )

    def check(  # type: ignore[override]
        self,
        repo: RepoView,
        text: TextSearch,
        imports: Imports,
        python: PythonCode,
        knowledge: Knowledge,
        profile: ProfileView,
        containers: Containers,
        data: DataFiles,
    ) -> CheckResult:
        """Handling in code or a draining server, and a launch that lets SIGTERM reach it."""
        base = super().check(repo, text, imports, python, knowledge, profile)
        if base.outcome is Outcome.not_applicable:
            return base
        launches = _launches(repo, containers, data)
        gaps = _signal_gaps(repo, launches)
        drains = _drainers(repo, launches)
        if gaps:
            handled = ""
            if base.outcome is Outcome.passed:
                handled = f"{base.message.rstrip('.')}; but "
            elif drains:
                name = by_id(drains[0][1]).name
                handled = f"{name} drains on SIGTERM ({drains[0][0].where}); but "
            hit, why = gaps[0]
            return self.failed(
                [h.evidence(repo) for h, _ in gaps[:5]],
                f"{handled}{why} ({hit.where}).",
                looked_at=[
                    "Dockerfile CMD/ENTRYPOINT, compose commands, Procfile lines and "
                    "the scripts they run"
                ],
            )
        if base.outcome is Outcome.passed:
            return base
        if drains:
            hit, framework_id = drains[0]
            server = by_id(framework_id)
            default = server.provides["graceful_shutdown"].rstrip(".")
            return self.passed(
                [hit.evidence(repo)],
                f"{server.name} is started at {hit.where} and drains on SIGTERM: {default}.",
            )
        unsure = knowledge.unsure(self.capability or "")
        if unsure:
            use = unsure[0]
            return self.cannot_determine(
                f"{use.framework.name} ({use.site.where}) drains on SIGTERM by default only since "
                f"version {use.framework.since[self.capability or '']}, and no manifest or "
                "lockfile says which version is used.",
                looked_at=[*base.looked_at, "declared versions in manifests and lockfiles"],
                evidence=[use.site.evidence(repo)],
            )
        return base
