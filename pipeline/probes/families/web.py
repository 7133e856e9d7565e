"""Probes for code that serves requests: auth, validation, limits, health, shutdown."""

from __future__ import annotations

import ast
import json
import re
import shlex
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from pipeline.knowledge import by_id
from pipeline.probes.base import Hit, Probe, plural
from pipeline.probes.shapes import CapabilityProbe
from pipeline.probes.views.containers import Containers
from pipeline.probes.views.datafiles import DataFiles
from pipeline.probes.views.imports import Imports
from pipeline.probes.views.knowledge import Knowledge, Use, witness_order
from pipeline.probes.views.manifests import Manifests
from pipeline.probes.views.profile import RAW_SOCKET_SERVER, ProfileView
from pipeline.probes.views.python import PythonCode
from pipeline.probes.views.repo import RepoView
from pipeline.probes.views.search import CODE, TextSearch
from pipeline.probes.views.syntax import SyntaxTrees
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
        "github.com/dgrijalva/jwt-go",  # golang-jwt's original, still widely imported
        "github.com/lestrrat-go/jwx",
        "github.com/coreos/go-oidc",
        "org.springframework.security",
        "io.jsonwebtoken",
        "actix_web_httpauth",
        "axum_extra::headers::authorization",
    )
    pattern = (
        r"[Aa]uthorization['\"]|Bearer\s|login_required|@PreAuthorize|HTTPBearer|"
        r"OAuth2PasswordBearer|APIKeyHeader|[Xx]-[Aa]pi-[Kk]ey|BasicAuth|verify_token|"
        r"authenticate\(|\.auth\.getUser\(|\.auth\.getSession\(|getServerSession\(|"
        r"clerkMiddleware|withAuth\(|"
        # A login of the service's own: a password checked against its stored hash, or a
        # session asked whether its user signed in.
        r"\bverify_password\(|\bbcrypt\.(compare|compareSync|checkpw)\(|"
        r"check_password_hash\(|CompareHashAndPassword\(|[Pp]asswordEncoder\.matches\(|"
        r"BCrypt\.checkpw\(|\bargon2\.verify\w*\(|\.isAuthenticated\(\)|"
        # A shared secret a caller must present, compared with the configured one (Shopify's
        # revalidation webhook in vercel/commerce), or compared in constant time.
        r"[!=]==?\s*process\.env\.\w*(SECRET|TOKEN|API_KEY)\w*|"
        r"[!=]=\s*os\.environ(\.get\(|\[)\s*['\"]\w*(SECRET|TOKEN|API_KEY)|"
        r"hmac\.compare_digest\(|timingSafeEqual\(|subtle\.ConstantTimeCompare\(|"
        # Basic auth written by hand: Flask's request.authorization checked, a 401 answered
        # with the challenge (whoogle's auth_required decorator).
        r"\brequest\.authorization\b|['\"]WWW-Authenticate['\"]\s*:"
    )

    def find(self) -> Hit | None:
        found = self.imports.find(*self.modules)
        if found is not None:
            return found
        hits = self.text.grep(self.pattern or "", self.languages, code_only=False)
        # A header name shown in a UI component (a placeholder, a label), or listed among the
        # headers CORS lets browsers send, authenticates nothing.
        return next(
            (
                h
                for h in hits
                if not h.path.endswith((".tsx", ".jsx", ".vue", ".svelte"))
                and "placeholder" not in h.text.lower()
                and not _CORS_HEADERS.search(h.text)
            ),
            None,
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
        result = super().check(repo, text, imports, python, knowledge, profile)
        if result.outcome is not Outcome.failed:
            return result
        local = _loopback_only(repo, text, profile)
        if local is None:
            return result
        return result.model_copy(
            update={
                "severity": Severity.low,
                "severity_note": "Lowered: every listener of the service binds a loopback "
                f"address (`{local.text.strip()[:80]}`, {local.where}), so only programs on "
                "this host can reach it.",
            }
        )


_CORS_HEADERS = re.compile(r"(?i)allow(ed)?[-_]?headers|expose[ds]?[-_]?headers")

# Calls that take the address a server listens on (Rust, Go, Python, JavaScript, Java).
_LISTEN = (
    r"\b(TcpListener|UdpSocket|TcpSocket|UnixListener)::bind\(|\bServer::bind\(|"
    r"\.bind\(\s*[(\"'&\[]|\bnet\.Listen(TCP|UDP|Packet)?\(|\btls\.Listen\(|"
    r"\bListenAndServe(TLS)?\(|\.(Run|Start|Listen)\(\s*\"|\.listen\(|"
    r"\buvicorn\.run\(|\bweb\.run_app\(|\.run\([^)]*\bhost\s*=|"
    r"\b(asyncio\.start_server|create_server|make_server|run_simple)\(|"
    r"\b\w*(HTTP|TCP|UDP)Server\(\s*\(|new ServerSocket\(|HttpServer\.create\(|"
    r"new InetSocketAddress\("
)
# A literal loopback address: "127.0.0.1:6379", ("localhost", 80), [127, 0, 0, 1], ::1.
_LOOPBACK = re.compile(
    r"[\"'`](127\.0\.0\.1|localhost|::1|\[::1\])(:[^\"'`]*)?[\"'`]|"
    r"[\[(]\s*127\s*,\s*0\s*,\s*0\s*,\s*1\s*[\])]|\bIpv[46]Addr::LOCALHOST\b|"
    r"\bInetAddress\.getLoopbackAddress\(",
    re.I,
)
# A line that reads its address from configuration (a loopback default may be overridden).
_CONFIGURED = re.compile(
    r"(?i)getenv|environ|process\.env|env::var|LookupEnv|\bconfig|\bsettings\b|\bargs?\.|"
    r"\bflag\.|\bopts?\.|\boptions\.|\bcli\.(host|addr|bind)"
)
# An address that listens on every interface, anywhere in code or deployment files.
_ALL_INTERFACES = r"0\.0\.0\.0|[\"'`]\[?::\]?(:\d+)?[\"'`]|\bINADDR_ANY\b|Ipv[46]Addr::UNSPECIFIED"


def _loopback_only(repo: RepoView, text: TextSearch, profile: ProfileView) -> Hit | None:
    """The service's listener when every listener binds a literal loopback address, so only
    programs on the same host can connect; None when any may listen wider or the address
    comes from configuration."""
    server = profile.evidence("service")
    listeners = text.grep(_LISTEN, CODE, code_only=True)
    if server is None or not any((h.path, h.line) == (server.path, server.line) for h in listeners):
        return None  # the line that makes it a service names no address here
    if not all(_binds_loopback(repo, h) for h in listeners):
        return None
    wide = ("dockerfile", "yaml", "shell", "toml", "json", "text", "dotenv", "ini")
    if text.grep(_ALL_INTERFACES, (*CODE, *wide), limit=1):
        return None
    return server


def _binds_loopback(repo: RepoView, hit: Hit) -> bool:
    """Whether a listener's address is a loopback literal, on its line or in the variable
    it is given, assigned a few lines above (`let addr = SocketAddr::from(([127, 0, 0, 1],
    3000));`)."""
    line = repo.line(hit.path, hit.line)
    if _LOOPBACK.search(line):
        return not _CONFIGURED.search(line)
    call = re.search(_LISTEN, line)
    named = re.match(r"\s*&?\s*([A-Za-z_]\w*)\s*[),]", line[call.end() :]) if call else None
    if named is None:
        return False
    assigned = re.compile(rf"\b{named.group(1)}\s*(:[^=]*)?:?=(?!=)")
    for number in range(hit.line - 1, max(0, hit.line - 20), -1):
        above = repo.line(hit.path, number)
        if assigned.search(above):
            return bool(_LOOPBACK.search(above)) and not _CONFIGURED.search(above)
    return False


class AuthenticationCoverage(Probe):
    """Some endpoints that expose data or actions require no authentication."""

    id = "SEC028"
    category = Category.security
    severity = Severity.high
    title = "Authentication covers only some endpoints"
    rationale = "One unauthenticated data endpoint is enough to read or change what others guard."
    remediation = (
        "Require authentication by default (DEFAULT_PERMISSION_CLASSES, middleware) and "
        "open only the endpoints that must be public."
    )
    applies = "service"
    requires = frozenset({"SEC012"})

    def check(self, repo: RepoView, python: PythonCode, syntax: SyntaxTrees) -> CheckResult:
        coverage = _drf_auth(repo, python) or _next_route_auth(repo, syntax)
        looked = ["DRF views and their permission classes", "Next.js route handlers"]
        if coverage is None:
            return self.cannot_determine(
                "Authentication is present, but which endpoints require it could not be read "
                "for this framework.",
                looked_at=looked,
            )
        protected, open_, public = coverage
        if not open_:
            where = ", ".join(h.where for h in protected[:3])
            aside = (
                f"; {plural(len(public), 'route')} public by design set aside (sign-in, "
                f"health, webhooks, rate-limited public checks, views opened with AllowAny: "
                f"{', '.join(h.where for h in public[:3])})"
                if public
                else ""
            )
            return self.passed(
                [h.evidence(repo) for h in protected[:5]],
                f"Every data endpoint found requires authentication ({where}){aside}.",
            )
        where = ", ".join(h.where for h in open_[:4])
        guarded = f"; {len(protected)} others do" if protected else ""
        return self.failed(
            [h.evidence(repo) for h in open_[:5]],
            f"{len(open_)} endpoint(s) require no authentication ({where}"
            f"{', ...' if len(open_) > 4 else ''}){guarded}.",
            looked_at=looked,
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
    other_roles = ("cli",)
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
        # zod: only where a schema parses something (its knowledge entry's `when`)
        "joi",
        "yup",
        "class-validator",
        "ajv",
        "express-validator",
        "celebrate",
        "@sinclair/typebox",
        "github.com/go-playground/validator",
        "gopkg.in/go-playground/validator",
        "github.com/go-ozzo/ozzo-validation",
        "validator",
        "garde",
        "javax.validation",
        "jakarta.validation",
    )
    pattern = (
        r"binding:\"required|@Valid\b|#\[validate|"
        # Go: a request payload type with a validation method of its own.
        r"^func\s*\(\s*\w+\s+\*?\w*(Request|Payload|Input|Body|Params|Form)\w*\s*\)\s+"
        r"(IsValid|Validate)\("
    )

    def check(  # type: ignore[override]
        self,
        repo: RepoView,
        text: TextSearch,
        imports: Imports,
        python: PythonCode,
        knowledge: Knowledge,
        profile: ProfileView,
    ) -> CheckResult:
        result = super().check(repo, text, imports, python, knowledge, profile)
        if result.outcome is Outcome.failed:
            typed = text.grep(_RUST_TYPED_BODY, ("rust",), code_only=True)
            if typed:
                # vaultwarden's Rocket handlers take `Json<PreloginData>` and ~120 other
                # serde structs: a body of the wrong shape is refused before the handler.
                first = typed[0]
                return self.passed(
                    [first.evidence(repo)],
                    f"Request bodies are decoded into typed structs ({len(typed)} typed "
                    f"extractors, first `{first.text.strip()[:80]}` at {first.where}): serde "
                    "rejects a body of the wrong shape or types; limits on values are "
                    "checked by hand where they are checked.",
                )
            checked = _go_domain_validation(text)
            if checked is not None:
                method, call = checked
                return self.passed(
                    [method.evidence(repo), call.evidence(repo)],
                    f"Domain types validate themselves before they are used: `{method.text}` "
                    f"({method.where}), called at {call.where}.",
                )
            checks = text.grep(_HAND_CHECK, CODE)
            if len(checks) >= 3:
                # dockge's socket handlers (typeof checks, ValidationError), flower's typed
                # arguments answered with 400: validated by hand, which their labellers
                # called "partly" and second readers refused to call "no validation".
                first = checks[0]
                return result.model_copy(
                    update={
                        "message": f"No schema validation, but {len(checks)} hand-written "
                        f"checks of request input (first `{first.text.strip()[:80]}` at "
                        f"{first.where}): what each handler checks differs, and what it "
                        "forgets passes through.",
                        "evidence": [first.evidence(repo), *result.evidence[:2]],
                        "partial": True,
                        "severity": Severity.medium,
                        "severity_note": "Lowered: request input is checked by hand in "
                        "several places; a schema library would make the checks complete "
                        "and uniform.",
                    }
                )
        server = profile.evidence("service")
        if result.outcome is Outcome.failed and server and _RAW_SOCKET.search(server.text):
            return self.cannot_determine(
                f"The service speaks a protocol of its own over a raw socket ({server.where}): "
                "request schemas do not apply, and whether its parser rejects malformed "
                "frames can only be read in the parser.",
                looked_at=result.looked_at,
                evidence=[server.evidence(repo)],
            )
        return result


_RAW_SOCKET = re.compile(RAW_SOCKET_SERVER)
# Rust web frameworks' typed extractors: Rocket's and axum's Json<T>/Form<T>, actix's
# web::Json<T>; serde decodes the request into the struct or refuses it.
# Json<serde_json::Value> (or Json<Value>) takes any JSON: no shape at all.
_RUST_TYPED_BODY = r"\b(?:web::)?(?:Json|Form|Query)<\s*(?!Value\b|HashMap\b)[A-Z]\w*"
# Request input checked by hand: a type test that throws, a validation error raised, a 400.
_HAND_CHECK = (
    r"typeof\s+[\w.\[\]'\"]+\s*!==?\s*['\"](string|number|boolean|object)['\"]|"
    r"throw\s+new\s+\w*ValidationError\(|raise\s+\w*ValidationError\(|"
    r"raise\s+(tornado\.)?(web\.)?HTTPError\(\s*400|\babort\(\s*400|HTTPBadRequest\(|"
    r"http\.StatusBadRequest\b|"
    # Spring's Assert in a value type's constructor (spring-boot-admin's Registration:
    # `Assert.hasText(name, "'name' must not be empty.")`), and a Bad Request answered.
    r"\bAssert\.(hasText|notNull|notEmpty|isTrue|state)\(|HttpStatus\.BAD_REQUEST\b|"
    r"ResponseEntity\.badRequest\(\)|status:\s*400\b"
)


def _go_domain_validation(text: TextSearch) -> tuple[Hit, Hit] | None:
    """Go domain types with a ``Validate() error`` method that the code calls
    (``if err := dial.Validate(); err != nil``): the service checks what a request brings
    before it stores or acts on it, whatever the payload type is named."""
    # A configuration's own check (Config.Validate) is not a request's.
    methods = [
        h
        for h in text.grep(
            r"^func\s*\(\s*\w+\s+\*?\w+\s*\)\s+Validate\(\)\s+error\b", ("go",), code_only=True
        )
        if not re.match(r"^func\s*\(\s*\w+\s+\*?\w*(Config|Settings|Options|Opts)\s*\)", h.text)
    ]
    if not methods:
        return None
    calls = text.grep(r"\b\w+\.Validate\(\)", ("go",), code_only=True, limit=1)
    return (methods[0], calls[0]) if calls else None


def _nginx_proxy(repo: RepoView) -> Hit | None:
    """The proxy_pass of an nginx configuration (no client_max_body_size: 1 MB applies)."""
    for f in repo.files:
        name = PurePosixPath(f.path).name
        if not (name == "nginx.conf" or (name.endswith(".conf") and "nginx" in f.path)):
            continue
        if f.role != "product" or not repo.applies(f.path):
            continue  # a test's nginx (testdata/nginx.conf) stands in front of nothing deployed
        text = repo.text(f.path)
        if "client_max_body_size" not in text and "proxy_pass" in text:
            return Hit(f.path, repo.line_of(f.path, r"\bproxy_pass\b"), "")
    return None


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
        r"DATA_UPLOAD_MAX_MEMORY_SIZE|max-file-size|BodyLimit\(|"
        # Go: a handler reading the body through io.LimitReader reads at most that much (croc).
        r"io\.LimitReader\(\s*(r|req|request)\.Body\b"
    )

    def find(self) -> Hit | None:
        # A limit set to None/null/0 is the framework default of *no* limit.
        hits = self.text.grep(self.pattern or "", self.languages, code_only=False)
        unset = re.compile(
            r"[:=]\s*(None|null|nil|0|false|undefined)\s*[,;)}]?\s*$|DefaultBodyLimit::disable"
        )
        return next((h for h in hits if not unset.search(h.text)), None)

    def check(  # type: ignore[override]
        self,
        repo: RepoView,
        text: TextSearch,
        imports: Imports,
        python: PythonCode,
        knowledge: Knowledge,
        profile: ProfileView,
        manifests: Manifests,
    ) -> CheckResult:
        self.bind(repo, text, imports, python, knowledge, profile)
        files = repo.code_files(*self.languages)
        if not files:
            return self.not_applicable("No product code in a language this probe reads.")
        explicit = self.find()
        if explicit is not None:
            return self.passed(
                [explicit.evidence(repo)],
                f"Request size limit found: `{explicit.text}` ({explicit.where}).",
            )
        proxy = _nginx_proxy(repo)
        if proxy is not None:
            return self.passed(
                [proxy.evidence(repo)],
                f"An nginx proxy in front of the service ({proxy.where}) sets no "
                "client_max_body_size, so nginx's default of 1 MB applies: larger request "
                "bodies are refused with 413 before they reach the application.",
            )
        bounded, unbounded = _body_limits(repo, text, knowledge, manifests)
        if unbounded:
            where = "; ".join(f"{why} ({hit.where})" for hit, why in unbounded[:3])
            names = sorted({u.framework.name for u, _ in bounded})
            also = f" ({', '.join(names)} bound the other bodies by default.)" if names else ""
            lead = "Some request bodies have no size limit" if names else "No request size limit"
            return self.failed(
                [hit.evidence(repo) for hit, _ in unbounded[:5]],
                f"{lead}: {where}.{also}",
                looked_at=[self.searched(len(files)), "framework defaults and their versions"],
            )
        if bounded:
            use, hit = bounded[0]
            default = use.framework.provides["request_size_limit"].rstrip(".")
            return self.passed(
                [hit.evidence(repo)],
                f"Request size limit comes with {use.framework.name} ({hit.where}): {default}.",
            )
        return super().check(repo, text, imports, python, knowledge, profile)


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
    # "rate_limited": being limited by someone else (a notice that Signal throttled us).
    # A limiter applied, built or defined: a call or decorator (`@ratelimit(...)`,
    # `RateLimiter(...)`, `r.Use(RateLimit(...))`) or a definition (`func RateLimit(next`,
    # `class TokenBucket`). A name alone is not one: an imported exception class, a metric
    # (`ratelimit_counter.inc()`), a setting nothing reads.
    pattern = (
        r"(RateLimit|[Rr]ate_limit|[Rr]atelimit)(?!ed)\w*\s*\(|Throttle(?!d)\w*\s*\(|"
        r"@(rate_?limit|throttle)\w*\b|limit_req|"
        r"\b(class|def|func|fn|struct|type)\s+(\([^)]*\)\s*)?\w*((RateLimit|Ratelimit|rate_limit)(?!ed)|"
        r"TokenBucket|token_bucket|LeakyBucket|Throttl(?!ed))"
    )

    def find(self) -> Hit | None:
        found = self.imports.find(*self.modules)
        if found is not None:
            return found
        # Handling an upstream API's 429 (RateLimitError, Throttled) is not limiting our own.
        hits = self.text.grep(self.pattern, self.languages, code_only=self.code_only)
        # A page that throttles its own clicks (useThrottleFn) limits no client of the API.
        return next(
            (
                h
                for h in hits
                if not _HANDLES_LIMIT.search(h.text) and not self.repo.in_browser(h.path)
            ),
            None,
        )

    def check(  # type: ignore[override]
        self,
        repo: RepoView,
        text: TextSearch,
        imports: Imports,
        python: PythonCode,
        knowledge: Knowledge,
        profile: ProfileView,
    ) -> CheckResult:
        result = super().check(repo, text, imports, python, knowledge, profile)
        if result.outcome is not Outcome.failed:
            return result
        shed = next(
            (
                h
                for h in text.grep(_SHEDS_LOAD, CODE, code_only=True)
                if not _HANDLES_LIMIT_UP.search(h.text)
            ),
            None,
        )
        if shed is None:
            return result
        # gotenberg: a full conversion queue answers 429 (http.StatusTooManyRequests).
        return result.model_copy(
            update={
                "message": f"No per-client rate limit, but the service refuses work it cannot "
                f"take with 429 Too Many Requests ({shed.where}): load is shed, though one "
                "client can still take all of it.",
                "evidence": [shed.evidence(repo), *result.evidence[:2]],
                "partial": True,
                "severity": Severity.low,
                "severity_note": "Lowered: the service sheds load (a full queue or a "
                "concurrency cap answers 429); only fairness between clients is missing.",
            }
        )


# The service answering 429 itself: a queue or concurrency limit shedding load.
_SHEDS_LOAD = (
    r"http\.StatusTooManyRequests|HttpStatus\.TOO_MANY_REQUESTS|HTTP_429_TOO_MANY_REQUESTS|"
    r"status(Code)?\s*[(:=]\s*429\b|\.status\(\s*429\s*\)|StatusCode::TOO_MANY_REQUESTS"
)
# ... not reading an upstream's 429 (`if resp.StatusCode == http.StatusTooManyRequests`).
_HANDLES_LIMIT_UP = re.compile(
    r"==\s*(http\.StatusTooManyRequests|429)|\bcase\s+(http\.StatusTooManyRequests|429)"
)


# ... nor is switching off an SDK client's own retry budget (AWS's `ratelimit.None`), nor a
# metric that counts rate-limited requests (alerta's `ratelimit_counter = Counter(...)`,
# for plugins that may raise its RateLimit): a count limits nothing.
_HANDLES_LIMIT = re.compile(
    r"\b(raise|except|catch|throw)\b|Error\b|Exception\b|Failure\b|Exceeded|\b429\b|retry|Retry"
    r"|ratelimit\.None\b|\b(Counter|Gauge|Histogram|Summary|Meter)\(|\.(inc|dec|observe)\(\s*\d*\s*\)"
)


class RateLimitCoverage(Probe):
    """Rate limiting applies only to some routes; the others accept unlimited requests."""

    id = "SEC027"
    category = Category.security
    severity = Severity.low
    title = "Rate limiting covers only some routes"
    rationale = "A limiter on the login route alone leaves every other endpoint open to floods."
    remediation = "Apply a default limit to every route and tighten it where needed."
    applies = "service"
    requires = frozenset({"SEC015"})

    def check(
        self, repo: RepoView, python: PythonCode, syntax: SyntaxTrees, text: TextSearch
    ) -> CheckResult:
        coverage = rate_limit_coverage(repo, python, syntax, text)
        if coverage is None:
            return self.cannot_determine(
                "Rate limiting is present, but where it applies could not be read "
                "(a framework or a gateway whose routing this probe does not follow).",
                looked_at=[
                    "Express app.use/route mounts, slowapi/Flask-Limiter defaults, "
                    "DRF DEFAULT_THROTTLE_CLASSES"
                ],
            )
        scope, sites = coverage
        evidence = [h.evidence(repo) for h in sites[:5]]
        where = ", ".join(h.where for h in sites[:3])
        if scope == "all":
            return self.passed(evidence, f"Rate limiting applies to every route ({where}).")
        return self.failed(
            evidence,
            f"Rate limiting applies only to some routes ({where}); {scope}.",
            looked_at=["global limiter mounts and default limits in product code"],
        )


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
    # Go 1.22's ServeMux patterns name the method first: `"GET /system/liveness"`.
    pattern = (
        r"['\"`](?:(?:GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\s+)?/(health|healthz|healthcheck|"
        r"health-check|health_check|ready|readyz|readiness|"
        r"livez|liveness|live|alive|ping|heartbeat|status)(\.html|\.json)?['\"`/]|"
        r"['\"`](?:(?:GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\s+)?(/[\w.:{}-]+)+/(health|"
        r"healthz|healthcheck|health-check|health_check|readyz|"
        r"readiness|livez|liveness|ping|heartbeat)/?['\"`]|"
        # Django's path("healthz/", include("health_check.urls")) (shynet): no leading slash.
        r"['\"](health|healthz|healthcheck|readyz|livez|heartbeat)/?['\"]|"
        r"spring-boot-starter-actuator|"
        r"grpc_health|health\.v1|HealthCheck|"
        # go-pkgz/rest's Ping middleware answers GET /ping with "pong" (umputun's services).
        r"\brest\.Ping\b"
    )
    languages = (*CODE, "text")

    def find(self) -> Hit | None:
        # Code and configuration only: an icon font's "heartbeat" glyph, a stylesheet or a
        # source map names no route.
        hits = self.text.grep(self.pattern, self.languages, code_only=self.code_only)
        # Nor a schema migration: flaskbb's emoji table maps "heartbeat" to a character.
        found = next(
            (
                h
                for h in hits
                if not _ASSET_FILE.search(h.path)
                and not _MIGRATION.search(h.path)
                and not _RESOURCE_PING.search(h.text)
            ),
            None,
        )
        if found is not None:
            return found
        # Frameworks that route by file name: the route is the file's path, not a string.
        for f in self.repo.code_files(*CODE):
            if _HEALTH_ROUTE_FILE.search(f.path):
                line = self.repo.line_of(f.path, r"export\b", 1)
                return Hit(f.path, line, self.repo.line(f.path, line).strip())
        return None


# Files that are assets, not code or configuration: images (SVG included, and SVG fonts),
# fonts, stylesheets, source maps and data tables.
_ASSET_FILE = re.compile(
    r"\.(svg|svgz|eot|ttf|otf|woff2?|afm|png|jpe?g|gif|ico|webp|bmp|css|scss|sass|less|map|"
    r"csv|tsv|log)$",
    re.I,
)
_MIGRATION = re.compile(r"(^|/)(migrations?|alembic|migrate)/")
# A resource's own "ping" or "heartbeat" action (PlayEdu's `@PostMapping("/{id}/ping")`, a
# learner's progress beat on one lesson): a write under a path parameter, not a probe.
_RESOURCE_PING = re.compile(
    r"(Post|Put|Patch)Mapping\(|\.(post|put|patch)\(|['\"`](POST|PUT|PATCH)\s|"
    r"/(\{[^}/]*\}|:\w+|<[^>/]*>)/(ping|heartbeat|status|ready|live)\b"
)
_HEALTH_WORDS = (
    r"health|healthz|healthcheck|health-check|heartbeat|ping|readyz|readiness|livez|liveness"
)
# A health route a framework serves from its file name: Next.js app router (app/**/route.ts)
# and pages router (pages/api/*.ts), SvelteKit (routes/**/+server.ts), Nuxt (server/api/*.ts).
# Words common for ordinary resources (status, ready, live) count only directly under the root.
_HEALTH_ROUTE_FILE = re.compile(
    r"(^|/)(src/)?(app(/\([^/]+\))*(/[^/]+)*/(" + _HEALTH_WORDS + r")/route|"
    r"app(/\([^/]+\))*(/api)?/(status|ready|live)/route|"
    r"pages/api(/[^/]+)*/(" + _HEALTH_WORDS + r")(/index)?|pages/api/(status|ready|live)(/index)?|"
    r"routes(/[^/]+)*/(" + _HEALTH_WORDS + r")/\+server|"
    # Remix / React Router file routes: app/routes/api+/health.ts (remix-flat-routes
    # folders, documenso), app/routes/api.health.ts (dotted flat routes).
    r"app/routes(/[^/]+)*/([\w+$-]+\.)*(" + _HEALTH_WORDS + r")(/route)?|"
    r"server/(api|routes)(/[^/]+)*/(" + _HEALTH_WORDS + r")(/index)?(\.get)?)\.(ts|js|tsx|jsx|mjs)$"
)


# Servers and workers started from a command line that drain on SIGTERM (knowledge ids);
# celery and rq drain only as workers.
# `fastapi run` (FastAPI's CLI, also in exec form: ["fastapi", "run"]) serves with Uvicorn.
_DRAINING = re.compile(
    r"(?<![\w./-])(gunicorn|uvicorn|hypercorn|celery|rq|dramatiq|fastapi\W+run)\b"
)
_NEEDS_WORKER = ("celery", "rq")
# A command line that starts a long-running program (the line a wrapper script ends on).
_PROGRAM = re.compile(
    r"(?<![\w./-])(gunicorn|uvicorn|hypercorn|celery|rq|dramatiq|daphne|node|npm|yarn|pnpm|"
    r"java|python3?|poetry|pipenv|flask|fastapi|django-admin|manage\.py|bundle|rails|php|"
    r"dotnet)\b|"
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
    dash: bool = False  # run by /bin/sh -c where /bin/sh is dash (Debian and Ubuntu images)


# Official images built on Debian or Ubuntu, whose /bin/sh is dash: `dash -c "cmd"` stays the
# parent of cmd (dash 0.5.12), so a single-command shell-form CMD keeps the shell as PID 1.
_DASH_IMAGES = re.compile(
    r"^(docker\.io/)?(library/)?((python|node|golang|ruby|php|rust|debian|ubuntu|"
    r"eclipse-temurin|gradle|maven|perl|elixir|erlang|buildpack-deps)(:|$)|"
    r"openjdk:[\w.-]*(slim|buster|bullseye|bookworm))"
)


def _runs_dash(stage: list[dict[str, Any]]) -> bool:
    words = [w for w in str(stage[0]["value"]).split() if not w.startswith("--")] if stage else []
    image = words[0] if words else ""
    return bool(_DASH_IMAGES.match(image)) and not re.search(r"alpine|busybox", image)


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
            found.append(
                _Launch(
                    path,
                    instr["startline"] + 1,
                    argv,
                    text,
                    shell_form=shell,
                    dash=shell and _runs_dash(stages[-1]),
                )
            )
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


def deployment_lines(repo: RepoView, containers: Containers, data: DataFiles) -> list[Hit]:
    """What the deployment declares and runs, line by line (comments left out): the
    product's Dockerfiles and compose files (the containers view's: dev, test and docs-site
    images aside), Procfile lines, and the shell scripts their commands run (CTFd's
    docker-entrypoint.sh, which execs gunicorn)."""

    def compute() -> list[Hit]:
        paths = [
            *containers.dockerfiles,
            *sorted(
                {
                    s.path
                    for s in containers.compose_services()
                    if not containers.for_development(s.path)
                }
            ),
            *repo.named("Procfile"),
        ]
        scripts = {
            s for launch in _launches(repo, containers, data) if (s := _script(repo, launch))
        }
        found = []
        for path in [*paths, *sorted(scripts - set(paths))]:
            for number, text in enumerate(repo.lines(path), 1):
                if text.strip() and not text.lstrip().startswith("#"):
                    found.append(Hit(path, number, text.strip()))
        return found

    return repo.memo("web:deployment-lines", compute)


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
        if launch.dash and not last_step.startswith("exec "):
            gaps.append(
                (
                    hit,
                    "the shell-form command runs under /bin/sh -c, and this Debian-based "
                    "image's /bin/sh (dash) stays PID 1 without passing SIGTERM on to the "
                    'server (use the exec form, ["cmd", "arg"], or prefix exec)',
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
            name = "uvicorn" if match.group(1).startswith("fastapi") else match.group(1)
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

    def excluded_roles(self, profile: ProfileView) -> tuple[str, ...]:
        # A task queue's worker drains its own tasks, not the web server of the service it
        # sits beside (alerta: Celery for bulk actions, Flask's development server in front).
        return ("worker",) if "web_service" in profile.kinds else ()

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
                partial=bool(handled),
                looked_at=[
                    "Dockerfile CMD/ENTRYPOINT, compose commands, Procfile lines and "
                    "the scripts they run"
                ],
            )
        if base.outcome is Outcome.passed:
            # A gap, in part: what stops a service in production is SIGTERM.
            for find, says in (
                (
                    _reload_only,
                    "runs on SIGHUP only, a reload; SIGTERM and Ctrl-C are not "
                    "handled, and Go exits on them at once without draining",
                ),
                (
                    _notify_without_shutdown,
                    "catches the signal, but no http.Server is ever shut down: when the "
                    "function waiting on it returns, the process exits and in-flight "
                    "requests are cut off",
                ),
                (
                    _closed_not_drained,
                    "closes its HTTP server on shutdown with Close(), which cuts off the "
                    "requests in flight; Shutdown(ctx) would let them finish",
                ),
                (
                    lambda t: _interrupt_only(t, profile.server),
                    "runs on Ctrl-C only: SIGINT drains the work, but SIGTERM, "
                    "what a container runtime or service manager sends, is not handled and "
                    "kills it",
                ),
            ):
                only = find(text)
                if only is not None:
                    return self.failed(
                        [only.evidence(repo)],
                        f"The shutdown code (`{only.text[:80]}`, {only.where}) {says}.",
                        partial=True,
                    )
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


def _notify_without_shutdown(text: TextSearch) -> Hit | None:
    """Go code that serves HTTP and catches SIGTERM or Ctrl-C (``signal.Notify``) but never
    calls ``Shutdown`` (or Close) on a server, nor uses a graceful-restart library:
    transfer.sh waits on the signal, logs "Server stopped." and returns from main."""
    if not text.grep(r"ListenAndServe|\.Serve\(", ("go",), code_only=True, limit=1):
        return None
    if text.grep(
        # miekg/dns servers drain with ShutdownContext (blocky's DNS listeners).
        r"\.Shutdown(Context)?\(|\b(srv|server|httpServer|s\.server)\.Close\(\)|graceful|endless|"
        r"tableflip|manners",
        ("go",),
        code_only=True,
        limit=1,
    ):
        return None
    notify = text.grep(r"signal\.Notify(Context)?\(", ("go",), code_only=True)
    return notify[0] if notify else None


def _closed_not_drained(text: TextSearch) -> Hit | None:
    """Go code whose serving http.Server is stopped with Close() when the context ends
    (reproxy's proxy: `<-ctx.Done()` then `httpServer.Close()`), which drops the requests
    in flight, while no server in the same file is shut down with Shutdown()."""
    for hit in text.grep(r"\b\w*([Ss]erver|srv)\.Close\(\)", ("go",), code_only=True):
        source = text.repo.text(hit.path)
        lines = text.repo.lines(hit.path)[max(0, hit.line - 5) : hit.line]
        if any("<-ctx.Done()" in line or "Done():" in line for line in lines) and (
            ".Shutdown(" not in source
        ):
            return hit
    return None


def _reload_only(text: TextSearch) -> Hit | None:
    """Go code whose only ``signal.Notify`` asks for SIGHUP (listmonk reloads on it) and
    that handles neither SIGTERM nor Ctrl-C anywhere: its Shutdown() serves a reload."""
    if text.grep(r"SIGTERM|SIGINT|os\.Interrupt|os\.Kill|NotifyContext", ("go",), limit=1):
        return None
    notify = text.grep(r"signal\.Notify\(", ("go",), code_only=True)
    if notify and all("SIGHUP" in h.text for h in notify):
        return notify[0]
    return None


def _interrupt_only(text: TextSearch, server: Hit | None) -> Hit | None:
    """A shutdown wired to Ctrl-C alone (tokio's ``signal::ctrl_c()``, Go's
    ``signal.Notify(c, os.Interrupt)``, Python's SIGINT, Node's ``process.on('SIGINT')``)
    while nothing in the product handles SIGTERM (Go's default for it is to exit at once).

    With several such programs (a CLI and a server sharing one idiom), the one nearest the
    line that serves requests is cited: the server's shutdown is what the gap is about."""
    if text.grep(r"SIGTERM|SignalKind::terminate", limit=1):
        return None
    found = text.grep(
        r"signal::ctrl_c\(\)|(signal\.signal|add_signal_handler)\(\s*signal\.SIGINT\b|"
        r"process\.on\(\s*['\"]SIGINT|signal\.Notify(Context)?\([^)]*\bos\.Interrupt\b",
        code_only=True,
    )
    if server is None:
        return min(found, key=witness_order, default=None)
    served = PurePosixPath(server.path).parts
    return min(
        found,
        key=lambda h: (witness_order(h), -_shared_parts(PurePosixPath(h.path).parts, served)),
        default=None,
    )


def _shared_parts(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    """How many leading folders two paths share."""
    count = 0
    for x, y in zip(a[:-1], b[:-1], strict=False):
        if x != y:
            break
        count += 1
    return count


# --- where a capability applies: every route, or only some --------------------------------------

_LIMITER_NAME = re.compile(r"(?i)limiter|ratelimit|rate_limit|throttl|slowdown")
_ROUTE_METHODS = ("get", "post", "put", "patch", "delete", "all")


def rate_limit_coverage(
    repo: RepoView, python: PythonCode, syntax: SyntaxTrees, text: TextSearch
) -> tuple[str, list[Hit]] | None:
    """``("all", sites)``, ``(what is left unlimited, sites)``, or None when unreadable."""
    found = _express_limits(repo, syntax) or _python_limits(repo, python, text)
    return found


def _express_limits(repo: RepoView, syntax: SyntaxTrees) -> tuple[str, list[Hit]] | None:
    """Where Express mounts its limiter, compared with where it mounts its routers."""
    files = [f.path for f in repo.code_files("javascript", "typescript")]
    if not files:
        return None
    global_sites: list[Hit] = []
    scoped: list[tuple[Hit, str]] = []
    mounts: list[tuple[str, str]] = []  # (app object, path) of routers
    apps: set[str] = set()
    for m in syntax.find("$APP.use($$$ARGS)", files=files):
        args = [a for a in m.node.get_multiple_matches("ARGS") if a.is_named()]
        path = args[0].text().strip("'\"`") if args and args[0].kind() == "string" else None
        if path is not None and not path.startswith("/"):
            continue  # passport.use('jwt', strategy): not a mount
        if not any(_is_limiter(a) for a in args):
            if path is not None and len(args) > 1:
                mounts.append((m.var("APP"), path))
            continue
        apps.add(m.var("APP"))
        if path is not None:
            scoped.append((m.hit(repo), path))
        else:
            global_sites.append(m.hit(repo))  # in an environment check or not: every route
    for method in _ROUTE_METHODS:
        for m in syntax.find(f"$R.{method}($PATH, $$$ARGS)", files=files):
            args = [a for a in m.node.get_multiple_matches("ARGS") if a.is_named()]
            if any(_is_limiter(a) for a in args[:-1]):
                scoped.append((m.hit(repo), m.var("PATH").strip("'\"`")))
    if global_sites:
        return "all", global_sites
    if not scoped:
        return None
    limited = {p for _, p in scoped}
    routers = {path for app, path in mounts if app in apps}
    if not routers:
        return None  # no router mounts to compare the limited paths with
    uncovered = sorted(r for r in routers if not any(_under(r, p) for p in limited))
    if not uncovered:
        return "all", [h for h, _ in scoped]
    return (
        f"the limiter is mounted on {', '.join(sorted(limited)[:4])} only, while routes "
        f"under {', '.join(uncovered[:4])} are unlimited",
        [h for h, _ in scoped],
    )


def _under(route: str, prefix: str) -> bool:
    prefix = prefix.rstrip("/") or "/"
    return prefix == "/" or route == prefix or route.startswith(prefix + "/")


def _is_limiter(node: object) -> bool:
    kind = node.kind()  # type: ignore[attr-defined]
    text = str(node.text())  # type: ignore[attr-defined]
    if kind in ("identifier", "member_expression"):
        return bool(_LIMITER_NAME.search(text))
    if kind in ("call_expression", "new_expression"):
        return bool(re.match(r"(new\s+)?(rateLimit|slowDown|RateLimiter\w*)\(", text))
    return False


def _python_limits(
    repo: RepoView, python: PythonCode, text: TextSearch
) -> tuple[str, list[Hit]] | None:
    everywhere: list[Hit] = []
    some: list[Hit] = []
    for call in python.calls():
        last = call.name.rsplit(".", 1)[-1]
        if last == "Limiter" and (
            call.keyword("default_limits") or call.keyword("application_limits")
        ):
            everywhere.append(_hit(repo, call.path, call.line))
    for f in repo.code_files("python"):
        if python.tree(f.path) is None:
            continue
        for node in python.nodes(f.path, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
            for d in node.decorator_list:
                name = ast.unparse(d.func if isinstance(d, ast.Call) else d)
                if re.search(r"(^|\.)(limit|ratelimit|throttle)$", name) and _LIMITER_NAME.search(
                    name + " limiter"
                ):
                    some.append(_hit(repo, f.path, d.lineno))
    scoped_only = False
    for hit in text.grep(r"DEFAULT_THROTTLE_CLASSES", ("python",), limit=3):
        # wger: ['rest_framework.throttling.ScopedRateThrottle'] alone limits only the views
        # that name a throttle_scope; the others take any rate.
        setting = " ".join(repo.lines(hit.path)[hit.line - 1 : hit.line + 3])
        classes = set(re.findall(r"(\w+RateThrottle|\w+Throttle)\b", setting))
        if classes and classes <= {"ScopedRateThrottle"}:
            scoped_only = True
            some += text.grep(r"^\s*throttle_scope\s*=", ("python",), limit=5)
        else:
            everywhere.append(hit)
    some += text.grep(r"^\s*throttle_classes\s*=", ("python",), limit=5)
    if everywhere:
        return "all", everywhere
    if some:
        if scoped_only:
            return (
                "DRF's ScopedRateThrottle, the only default throttle, limits only views that "
                "set throttle_scope; the others take any rate",
                some,
            )
        return "other routes have no limit (no default limit is configured)", some
    return None


def _hit(repo: RepoView, path: str, line: int) -> Hit:
    return Hit(path, line, repo.shown(path, line).strip())


# --- which endpoints require authentication -------------------------------------------------------

_PUBLIC_BY_DESIGN = re.compile(
    r"(?i)login|logout|register|sign_?up|sign_?in|token|password|reset|verify|callback|"
    r"health|webhook|oauth|auth/|\[\.\.\.nextauth\]|(^|/)api/(status|version|ping)/|"
    # share links and public pages: a capability URL anyone holding it may open
    r"(^|/)(share|shared|public)/"
)
_DRF_VIEW_BASES = re.compile(r"(APIView|ViewSet)$")
_OPEN_PERMISSION = re.compile(r"AllowAny")


def _drf_auth(repo: RepoView, python: PythonCode) -> tuple[list[Hit], list[Hit], list[Hit]] | None:
    """DRF class views: guarded by permission classes (own, inherited, or the default)."""
    classes: dict[str, tuple[str, ast.ClassDef]] = {}
    for f in repo.code_files("python"):
        if python.tree(f.path) is None:
            continue
        for node in python.nodes(f.path, ast.ClassDef):
            classes.setdefault(node.name, (f.path, node))
    if not any("rest_framework" in repo.text(p) for p, _ in classes.values()):
        return None
    default_guard = any(
        "DEFAULT_PERMISSION_CLASSES" in repo.text(f.path)
        and not _OPEN_PERMISSION.search(_setting_text(repo.text(f.path)))
        for f in repo.code_files("python")
    )

    def guard(name: str, seen: frozenset[str] = frozenset()) -> bool | None:
        if name not in classes or name in seen:
            return None
        path, node = classes[name]
        for stmt in node.body:
            target = (
                stmt.target
                if isinstance(stmt, ast.AnnAssign)
                else (stmt.targets[0] if isinstance(stmt, ast.Assign) and stmt.targets else None)
            )
            if isinstance(target, ast.Name) and target.id == "permission_classes":
                return not _OPEN_PERMISSION.search(ast.unparse(stmt))
        for base in node.bases:
            found = guard(ast.unparse(base).rsplit(".", 1)[-1], seen | {name})
            if found is not None:
                return found
        return None

    protected: list[Hit] = []
    open_: list[Hit] = []
    public: list[Hit] = []
    # A project's base view passes its permissions on: opening it opens its subclasses too.
    bases_of_others = {
        ast.unparse(b).rsplit(".", 1)[-1] for _, n in classes.values() for b in n.bases
    }
    for name, (path, node) in classes.items():
        bases = [ast.unparse(b).rsplit(".", 1)[-1] for b in node.bases]
        if not any(_DRF_VIEW_BASES.search(b) and b not in classes for b in bases):
            continue  # not a view of a framework class
        if not any(
            isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
            and n.name in ("get", "post", "put", "patch", "delete", "list", "create")
            for n in node.body
        ) and not any("ViewSet" in b for b in bases):
            continue
        guarded = guard(name)
        hit = _hit(repo, path, node.lineno)
        if guarded or (guarded is None and default_guard):
            protected.append(hit)
        elif guarded is False and _opens_itself(node) and name not in bases_of_others:
            # `permission_classes = (AllowAny,)` written on the view: opened on purpose
            # (wger's ApplicationVersionView and RequiredServerVersionView), not forgotten.
            # One inherited from a base class of the project's may be forgotten.
            public.append(hit)
        elif not _PUBLIC_BY_DESIGN.search(name):
            open_.append(hit)
    if not protected and not open_:
        return None
    return protected, open_, public


def _opens_itself(node: ast.ClassDef) -> bool:
    """Whether the class body itself sets permission_classes to AllowAny."""
    for stmt in node.body:
        targets = (
            stmt.targets
            if isinstance(stmt, ast.Assign)
            else [stmt.target]
            if isinstance(stmt, ast.AnnAssign)
            else []
        )
        if any(isinstance(t, ast.Name) and t.id == "permission_classes" for t in targets):
            return bool(_OPEN_PERMISSION.search(ast.unparse(stmt)))
    return False


def _setting_text(text: str) -> str:
    start = text.find("DEFAULT_PERMISSION_CLASSES")
    return text[start : start + 200]


_ROUTE_FILE = re.compile(r"(^|/)app/(.+/)?route\.(ts|js|tsx|jsx|mjs)$")
_AUTH_PRIMITIVE = re.compile(
    r"getServerSession\(|\bauth\(\)|getToken\(|currentUser\(|\.auth\.getUser\(|"
    r"\.auth\.getSession\(|getAuth\(|verifyToken\(|jwtVerify\(|getKindeServerSession"
)
_DATA_ACCESS = re.compile(
    r"\b(prisma|db|supabase\w*|knex|sql|mongoose|redis|kv|collection|drizzle)\b|"
    r"createClient\(|\.from\(\s*['\"]"
)
# A handler that answers 401/403 itself checks who is calling.
_DENIES = re.compile(r"\bstatus:\s*40[13]\b|\bunauthorized\(|\bforbidden\(")
# A route file that mounts a router (Hono, express) and hands its routes an authentication
# middleware: hono's bearerAuth()/basicAuth()/jwt(), or its own (rallly's `spaceApiKeyAuth,`).
_ROUTE_MIDDLEWARE_AUTH = re.compile(
    r"\b(bearerAuth|basicAuth|jwt)\(|"
    # `app.get(\n  "/polls",\n  spaceApiKeyAuth,\n  ...)`: the middleware right after the path.
    r"\.(get|post|put|patch|delete|all)\(\s*[\"'][^\"']*[\"']\s*,\s*(?!skip)\w+(Auth|Authenticated)\s*,",
)
# A handler that limits callers by address, and checks no one, is open on purpose: its
# author weighed abuse and chose a limit over a login (rallly's /api/updates version check).
_RATE_LIMITED = re.compile(r"\bratelimit\w*\.limit\(|\brateLimiter\(|\brateLimit\(", re.I)
# A handler that tells the shared auth helper to skip it is public on purpose.
_AUTH_OPT_OUT = re.compile(
    r"\b(skip|no|disable|bypass|without)_?[Aa]uth\w*\s*:\s*true\b|\b(auth|requireAuth)\s*:\s*false\b"
)
_AUTH_HELPER_NAME = re.compile(
    r"^(check|require|verify|ensure|validate)\w*(Auth|Session|Login|Token)|"
    r"^(isAuthenticated|getCurrentUser|getSessionUser|withAuth|authorize|authenticate)$"
)
# A signed payload (a webhook), or a provider's own token the handler checks with the
# provider: Stripe's checkout return (`checkout.sessions.retrieve(sessionId)`, saas-starter's
# success redirect) and an OAuth callback trading its code (`exchangeCodeForSession`).
_SIGNATURE_CHECK = re.compile(
    r"constructEvent|verify\w*[Ss]ignature|timingSafeEqual|"
    r"checkout\.sessions\.retrieve\(|exchangeCodeForSession\(|exchangeCodeForTokens?\("
)


def _next_route_auth(
    repo: RepoView, syntax: SyntaxTrees
) -> tuple[list[Hit], list[Hit], list[Hit]] | None:
    """Next.js app-router handlers: each must check a session itself (or via a helper)."""
    routes = [
        f.path
        for f in repo.code_files("javascript", "typescript")
        if _ROUTE_FILE.search(f.path) and "/api/" in f"/{f.path}"
    ]
    if not routes:
        return None
    middleware = [
        p
        for p in repo.named("middleware.ts", "middleware.js")
        if re.search(r"matcher[^\n]*/api", repo.text(p))
        and _AUTH_PRIMITIVE.search(
            repo.text(p) + "auth()" if "withAuth" in repo.text(p) else repo.text(p)
        )
    ]
    helpers = _auth_helpers(repo, syntax)
    protected: list[Hit] = []
    open_: list[Hit] = []
    public: list[Hit] = []  # sign-in, health, webhooks, rate-limited public checks
    for path in routes:
        text = repo.text(path)
        line = repo.line_of(path, r"export\s+(async\s+)?function\s+(GET|POST|PUT|PATCH|DELETE)")
        hit = _hit(repo, path, line)
        calls_helper = any(re.search(rf"\b{re.escape(h)}\(", text) for h in helpers)
        denies = _DENIES.search(text)
        if _AUTH_OPT_OUT.search(text) and not (_AUTH_PRIMITIVE.search(text) or denies):
            continue  # it asks the shared check to let it through: public on purpose
        if (
            middleware
            or _AUTH_PRIMITIVE.search(text)
            or calls_helper
            or denies
            or _ROUTE_MIDDLEWARE_AUTH.search(text)
        ):
            protected.append(hit)
        elif (
            _PUBLIC_BY_DESIGN.search(path)
            or _SIGNATURE_CHECK.search(text)
            or _RATE_LIMITED.search(text)
        ):
            public.append(hit)
        elif _DATA_ACCESS.search(text):
            open_.append(hit)
    if not protected:
        # No handler shows the auth mechanism SEC012 found: it is not one this probe reads.
        return None
    return protected, open_, public


def _auth_helpers(repo: RepoView, syntax: SyntaxTrees) -> set[str]:
    """Product functions that check a session (getCurrentUser, getServerProfile, ...), and
    the shared functions that call them."""
    routes = {
        f.path for f in repo.code_files("javascript", "typescript") if _ROUTE_FILE.search(f.path)
    }
    files = [
        f.path
        for f in repo.code_files("javascript", "typescript")
        if _AUTH_PRIMITIVE.search(repo.text(f.path)) and not _ROUTE_FILE.search(f.path)
    ]
    names: set[str] = set()
    every = [f.path for f in repo.code_files("javascript", "typescript")]
    for m in syntax.find(kind="function_declaration", files=every) if every else []:
        name = m.node.field("name")
        if name is not None and _AUTH_HELPER_NAME.search(name.text()):
            names.add(name.text())
    for m in syntax.find(kind="function_declaration", files=files) if files else []:
        name = m.node.field("name")
        if name is not None and _AUTH_PRIMITIVE.search(m.text):
            names.add(name.text())
    for m in syntax.find(kind="variable_declarator", files=files) if files else []:
        name, value = m.node.field("name"), m.node.field("value")
        if (
            name is not None
            and value is not None
            and value.kind() in ("arrow_function", "function_expression", "function")
            and _AUTH_PRIMITIVE.search(m.text)
        ):
            names.add(name.text())
    # A shared function that calls one of these checks too (parseRequest calling checkAuth):
    # followed a few steps, as handlers often reach the check through such a wrapper.
    shared = [f.path for f in repo.code_files("javascript", "typescript") if f.path not in routes]
    declared: dict[str, str] = {}
    for m in syntax.find(kind="function_declaration", files=shared) if shared else []:
        name = m.node.field("name")
        if name is not None:
            declared.setdefault(name.text(), m.text)
    for _ in range(3):
        found = {
            name
            for name, body in declared.items()
            if name not in names and any(re.search(rf"\b{re.escape(h)}\(", body) for h in names)
        }
        if not found:
            break
        names |= found
    return names - {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "middleware"}


# --- request body limits: framework defaults, their versions, and what they leave out -------------

# Frameworks whose default limit arrived in a given version (crate or package, version).
_LIMIT_SINCE = {"axum-rust": ("axum", (0, 6)), "tonic-rust": ("tonic", (0, 9))}
# Uses a framework's default limit does not cover: (framework id, files, pattern, what).
_UNCOVERED = (
    (
        "nextjs",
        re.compile(r"(^|/)app/(.+/)?route\.(ts|js|tsx|jsx|mjs)$"),
        re.compile(r"\b(req|request)\.(json|formData|text|arrayBuffer|blob)\(\)"),
        "Next.js app-router route handlers read bodies with no size limit (the 1 MB default "
        "applies only to pages-router API routes and Server Actions)",
    ),
    (
        "django",
        re.compile(r"\.py$"),
        re.compile(r"request\.FILES|\b(File|Image)Field\(|(FileUpload|MultiPart)Parser"),
        "Django bounds non-file bodies only: DATA_UPLOAD_MAX_MEMORY_SIZE does not apply to "
        "uploaded files, which are accepted at any size",
    ),
    (
        "spring-web-java",
        re.compile(r"\.java$|\.kt$"),
        re.compile(r"@RequestBody\b"),
        "@RequestBody JSON bodies are not capped by the servlet container's form-post limit",
    ),
)
# Routers built on a language's base server: the router, not the base, handles bodies.
_BASE_SERVERS = {"net-http-go"}


def _body_limits(
    repo: RepoView, text: TextSearch, knowledge: Knowledge, manifests: Manifests
) -> tuple[list[tuple[Use, Hit]], list[tuple[Hit, str]]]:
    """Frameworks that bound request bodies, and the places bodies are left unbounded."""
    bounded = list(knowledge.provides("request_size_limit"))
    unbounded: list[tuple[Hit, str]] = []
    for use, hit in list(bounded):
        since = _LIMIT_SINCE.get(use.framework.id)
        version = _declared_version(repo, manifests, since[0]) if since else None
        if since and version is not None and version < since[1]:
            bounded.remove((use, hit))
            shown = ".".join(map(str, version))
            unbounded.append(
                (
                    hit,
                    f"{use.framework.name} {shown} has no default body limit "
                    f"(added in {'.'.join(map(str, since[1]))})",
                )
            )
    bounded_ids = {u.framework.id for u, _ in bounded}
    web = {
        u.framework.ecosystem
        for u in knowledge.using(role="web")
        if u.framework.id not in _BASE_SERVERS
    }
    for use in knowledge.lacking("request_size_limit"):
        if use.framework.id in bounded_ids:
            continue
        if use.framework.id in _BASE_SERVERS and use.framework.ecosystem in web:
            continue
        unbounded.append((use.site, use.framework.lacks["request_size_limit"].rstrip(".")))
    for framework, paths, pattern, why in _UNCOVERED:
        if framework not in bounded_ids:
            continue
        for f in repo.code_files(*CODE):
            if paths.search(f.path) and pattern.search(repo.text(f.path)):
                line = repo.line_of(f.path, pattern.pattern)
                unbounded.append((_hit(repo, f.path, line), why))
                break
    return bounded, unbounded


def _declared_version(repo: RepoView, manifests: Manifests, crate: str) -> tuple[int, int] | None:
    """The lowest version of ``crate`` the project allows, from Cargo.lock or Cargo.toml."""
    for path in repo.named("Cargo.lock"):
        found = re.findall(
            rf'name = "{re.escape(crate)}"\nversion = "(\d+)\.(\d+)', repo.text(path)
        )
        if found:
            return min((int(a), int(b)) for a, b in found)
    specs = [r.spec for r in manifests.cargo_dependencies() if r.name == crate and not r.dev]
    versions = [re.search(r"(\d+)\.(\d+)", s) for s in specs]
    numbers = [(int(v.group(1)), int(v.group(2))) for v in versions if v]
    return min(numbers) if numbers else None
