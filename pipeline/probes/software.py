"""What kind of software this is, decided once: a service, or a library/tool.

Every service-only probe (Dockerfile, health checks, auth, rate limits, metrics, shutdown…)
reads this one decision, so a report never calls the same code a library in one finding and
a service in the next. Only product code counts: an example app in ``examples/`` or a test
server does not turn a framework into a service.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.probes.base import ProbeContext
from pipeline.probes.facts import CODE, Hit, entry_point, find_import, first, grep

_SERVER_IMPORTS = (
    "fastapi",
    "flask",
    "django",
    "starlette",
    "aiohttp.web",
    "tornado.web",
    "sanic",
    "http.server",
    "socketserver",
    "grpc",
    "litestar",
    "falcon",
    "bottle",
    "uvicorn",
    "express",
    "koa",
    "fastify",
    "@hapi/hapi",
    "@nestjs/core",
    "next",
    "github.com/gin-gonic/gin",
    "github.com/labstack/echo",
    "github.com/gofiber/fiber",
    "github.com/go-chi/chi",
    "github.com/gorilla/mux",
    "google.golang.org/grpc",
    "actix_web",
    "axum",
    "rocket",
    "warp",
    "tonic",
    "org.springframework.web",
    "org.springframework.boot",
    "io.javalin",
    "javax.ws.rs",
    "jakarta.ws.rs",
    "io.micronaut",
    "io.quarkus",
)
_SERVE_CALL = (
    r"\.listen\(|ListenAndServe|app\.run\(|uvicorn\.run\(|serve_forever\(|axum::serve|"
    r"HttpServer::new|SpringApplication\.run|\.bind\(\s*\"|createServer\(|web\.run_app\("
)
# A server started or an application object built at module level (not inside a function).
_LAUNCH = (
    r"^(?:export\s+)?(?:(?:const|let|var)\s+)?\w+\s*=\s*(?:await\s+)?(?:new\s+)?(?:\w+\.)?"
    r"(?:express|Koa|fastify|Fastify|Hono|FastAPI|Flask|Quart|Starlette|Sanic|Litestar|"
    r"falcon\.App|web\.Application|Bottle|NestFactory\.create)\(|"
    r"^[\w.]+\.(?:listen|run)\(|^uvicorn\.run\(|^(?:ROOT_URLCONF|WSGI_APPLICATION)\s*=|"
    r"@SpringBootApplication"
)
_DEPLOY_FILES = ("dockerfile", "procfile", "docker-compose.yml", "docker-compose.yaml")

LIBRARY = "a library: no server entry point found in product code"


@dataclass(frozen=True)
class Kind:
    """The decision: ``server`` is set only for a service; ``reason`` says why."""

    server: Hit | None
    reason: str

    @property
    def is_service(self) -> bool:
        return self.server is not None


def software_kind(ctx: ProbeContext) -> Kind:
    """Whether product code is a service (serves requests and is started) or a library/tool."""
    return ctx.memo("software-kind", lambda: _decide(ctx))


def _decide(ctx: ProbeContext) -> Kind:
    server = _server_code(ctx)
    if server is None:
        return Kind(
            None,
            "a library or tool, not a service: no web or RPC server framework and no listen "
            "call in product code",
        )
    if _launched(ctx):
        return Kind(server, f"serves requests ({server.where})")
    return Kind(
        None,
        f"{LIBRARY} (it uses `{server.text}` at {server.where}, but nothing starts a server: "
        "no main, start script, module-level app or Dockerfile)",
    )


def _server_code(ctx: ProbeContext) -> Hit | None:
    for prefix in _SERVER_IMPORTS:
        hit = find_import(ctx, prefix)
        if hit:
            return hit
    return first(ctx, _SERVE_CALL)


def _launched(ctx: ProbeContext) -> bool:
    if ctx.named(*_DEPLOY_FILES) or entry_point(ctx):
        return True
    for path in ctx.named("package.json"):
        data = ctx.json_data(path)
        scripts = data.get("scripts") if isinstance(data, dict) else None
        if isinstance(scripts, dict) and "start" in scripts:
            return True
    return bool(grep(ctx, _LAUNCH, CODE, limit=1, code_only=True))


def service(ctx: ProbeContext) -> Hit | None:
    """Evidence that this code is a service (serves requests and something starts it)."""
    return software_kind(ctx).server


def runnable(ctx: ProbeContext) -> Hit | None:
    """A service or a program entry point; None for a library."""
    return service(ctx) or entry_point(ctx)
