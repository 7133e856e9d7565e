"""Probes for code that serves requests: auth, validation, limits, health, shutdown."""

from __future__ import annotations

import re

from pipeline.probes.base import Hit
from pipeline.probes.shapes import CapabilityProbe
from pipeline.probes.views.search import CODE
from pipeline.schemas import Category, Severity


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


class GracefulShutdown(CapabilityProbe):
    """The service does not handle SIGTERM or drain in-flight work on shutdown."""

    id = "REL004"
    category = Category.reliability
    severity = Severity.medium
    title = "No graceful shutdown"
    rationale = "Killed mid-request, a service drops work and leaves partial writes behind."
    remediation = "Handle SIGTERM: stop accepting, drain in-flight requests, close pools."
    applies = "service"
    what = "graceful shutdown handling"
    capability = "graceful_shutdown"
    pattern = (
        r"SIGTERM|signal\.Notify|lifespan|enableShutdownHooks|on_event\(['\"]shutdown|\.Shutdown\(|"
        r"graceful|addShutdownHook|tokio::signal|with_graceful_shutdown|"
        r"@PreDestroy|server\.close\(|on_shutdown|atexit\.register"
    )
