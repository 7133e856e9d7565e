"""Observability probes: logging must be imported and used, not merely declared."""

from __future__ import annotations

from tests.probes.conftest import RunProbe, cases, check_case
from tests.probes.test_testing import PY

API = {**PY, "app.py": "from fastapi import FastAPI\napp = FastAPI()\n"}
NEXT_ROUTE = {
    "src/app/api/users/route.ts": "import { NextResponse } from 'next/server'\n"
    "export async function GET() {\n  return NextResponse.json([])\n}\n"
}
PRINTS = "def f():\n" + "    print('step')\n" * 6
LOGS_ITSELF = "import logging\n\nlog = logging.getLogger(__name__)\n\nlog.info('ready')\n"
NULL_HANDLER = (
    "import logging\nlogging.getLogger(__name__).addHandler(logging.NullHandler())\n\n"
    "def get():\n    return 1\n"
)
GIN_MOD = "module m\n\nrequire github.com/gin-gonic/gin v1.9.0\n"
GIN_PRINTS = (
    'package main\n\nimport (\n\t"fmt"\n\t"github.com/gin-gonic/gin"\n)\n\n'
    'func main() {\n\tfmt.Println("db ready")\n\tgin.Default().Run()\n}\n'
)
GIN_QUIET = (
    'package main\n\nimport "github.com/gin-gonic/gin"\n\nfunc main() {\n\tgin.Default().Run()\n}\n'
)
EXPRESS_APP = {
    "package.json": '{"name": "api"}',
    "src/index.js": "const express = require('express');\nconst logger = require('winston');\n"
    "logger.info('starting');\nexpress().listen(3000);\n",
}


def gin_route(route: str) -> str:
    """A gin service whose seventh line declares ``route``."""
    return (
        'package main\n\nimport "github.com/gin-gonic/gin"\n\nfunc main() {\n\tr := gin.Default()\n'
        f"\t{route}\n\tr.Run()\n}}\n"
    )


TABLE = [
    (
        "OBS001",
        "pass",
        {"app.py": "import logging\nlog = logging.getLogger(__name__)\n"},
        "app.py:1",  # a library that logs: a strength, where none would be no gap
    ),
    ("OBS001", "pass", {"main.go": 'package main\nimport "log/slog"\n'}, "main.go:2"),
    # Nest's decorators come from @nestjs/common too: only its Logger is logging.
    (
        "OBS001",
        "fail",
        {
            "package.json": '{"name": "a"}\n',
            "src/main.ts": "import { NestFactory } from '@nestjs/core';\n"
            "const app = NestFactory.create(M);\napp.listen(3000);\n",
            "src/app.controller.ts": "import { Get, Controller } from '@nestjs/common';\n",
        },
        "package.json:1",
    ),
    (
        "OBS001",
        "pass",
        {
            "package.json": '{"name": "a"}\n',
            "src/app.service.ts": "import { Injectable, Logger } from '@nestjs/common';\n"
            "const logger = new Logger('App');\n",
        },
        "src/app.service.ts:1",
    ),
    (
        "OBS001",
        "fail",
        {
            "app.py": "from flask import Flask\napp = Flask(__name__)\nprint('hi')\n",
            "Procfile": "web: gunicorn app:app\n",
        },
        "Procfile:1",
    ),
    # A script reports to whoever runs it: printing is its interface, not a missing log.
    ("OBS001", "not_applicable", {"app.py": "if __name__ == '__main__':\n    print('hi')\n"}, None),
    # A pure library leaves logging to its caller (anyhow, zod).
    ("OBS001", "not_applicable", {"lib.py": "def f():\n    return 1\n"}, None),
    # npm `debug` and Java's System.Logger are logging frameworks (express, jdk.httpserver).
    (
        "OBS001",
        "pass",
        {"lib/app.js": "var debug = require('debug')('express:app');\n"},
        "lib/app.js:1",
    ),
    (
        "OBS001",
        "pass",
        {"S.java": 'class S {\n  static final System.Logger LOG = System.getLogger("s");\n}\n'},
        "S.java:2",
    ),
    # Structured logs matter for what runs unattended: services and workers.
    (
        "OBS002",
        "pass",
        {**API, "log.py": "import structlog\nlog = structlog.get_logger()\n"},
        "log.py:1",
    ),
    (
        "OBS002",
        "pass",
        {
            "srv.js": "const pino = require('pino');\nconst app = require('express')();\n"
            "app.listen(3000);\n"
        },
        "srv.js:1",
    ),
    (
        "OBS002",
        "fail",
        {
            "pyproject.toml": "[project]\nname='a'\ndependencies=['structlog']\n",
            "app.py": "import logging\nlogging.basicConfig()\n"
            "from fastapi import FastAPI\napp = FastAPI()\n",
        },
        "app.py:1",
    ),
    # zerolog writes JSON by default; through a ConsoleWriter its fields are key=value text,
    # which the labellers of gotify, shiori and memos all called structured.
    (
        "OBS002",
        "pass",
        {
            "go.mod": "module app\n",
            "main.go": 'package main\n\nimport (\n\t"net/http"\n\t"os"\n\n'
            '\t"github.com/rs/zerolog"\n\t"github.com/rs/zerolog/log"\n)\n\n'
            "func main() {\n"
            "\tlog.Logger = log.Output(zerolog.ConsoleWriter{Out: os.Stdout})\n"
            '\thttp.ListenAndServe(":80", nil)\n}\n',
        },
        "main.go:12",
    ),
    # A library logs through the standard logger; the application picks the format.
    (
        "OBS002",
        "not_applicable",
        {"lib.py": "import logging\nlog = logging.getLogger('a')\n"},
        None,
    ),
    ("OBS003", "pass", {"app.py": "import logging\nlogging.info('x')\n"}, "app.py:2"),
    # A CLI module's prints are its output: nothing is left to weigh against the logger.
    ("OBS003", "not_applicable", {"cli.py": "import argparse\n" + PRINTS}, None),
    ("OBS003", "fail", {"app.py": PRINTS}, "app.py:2"),
    ("OBS004", "pass", {**API, "m.py": "from prometheus_client import Counter\n"}, "m.py:1"),
    ("OBS004", "fail", API, "app.py:2"),
    ("OBS004", "not_applicable", PY, None),
    ("OBS005", "pass", {**API, "t.py": "from opentelemetry import trace\n"}, "t.py:1"),
    ("OBS005", "fail", API, "app.py:2"),
    # AWS X-Ray switched on for the Lambda function in the CDK stack.
    (
        "OBS005",
        "pass",
        {
            **API,
            "infra/stack.ts": "import { Function, Tracing } from 'aws-cdk-lib/aws-lambda'\n"
            "new Function(this, 'Api', {\n  tracing: Tracing.ACTIVE,\n})\n",
        },
        "infra/stack.ts:3",
    ),
    (
        "OBS006",
        "pass",
        {**API, "h.py": "@app.get('/healthz')\ndef health():\n    return {}\n"},
        "h.py:1",
    ),
    (
        "OBS006",
        "pass",
        {
            "main.go": 'package main\nimport "net/http"\nfunc main() {\n'
            '\thttp.HandleFunc("/health", h)\n\thttp.ListenAndServe(":8080", nil)\n}\n'
        },
        "main.go:4",
    ),
    ("OBS006", "fail", API, "app.py:2"),
    # Next.js routes by file name: app/api/heartbeat/route.ts serves /api/heartbeat.
    (
        "OBS006",
        "pass",
        {
            "package.json": '{"scripts": {"start": "next start"},\n'
            '"dependencies": {"next": "14.0.0"}}\n',
            **NEXT_ROUTE,
            "src/app/api/heartbeat/route.ts": "export async function GET() {\n"
            "  return Response.json({ ok: true });\n}\n",
        },
        "src/app/api/heartbeat/route.ts:1",
    ),
    # ... while a status field of an ordinary resource is no health route.
    (
        "OBS006",
        "fail",
        {
            "package.json": '{"scripts": {"start": "next start"},\n'
            '"dependencies": {"next": "14.0.0"}}\n',
            **NEXT_ROUTE,
            "src/app/api/orders/status/route.ts": "export async function GET() {\n"
            "  return Response.json({ ok: true });\n}\n",
        },
        None,
    ),
    ("OBS007", "pass", {**API, "s.py": "import sentry_sdk\n"}, "s.py:1"),
    ("OBS007", "fail", API, "app.py:2"),
    ("OBS008", "pass", {**API, "mw.py": "REQUEST_ID_HEADER = 'X-Request-ID'\n"}, "mw.py:1"),
    ("OBS008", "fail", API, "app.py:2"),
    # A variable named requestId that holds a URL parameter is a resource id, not a
    # correlation id; chi's RequestID middleware is one.
    (
        "OBS008",
        "fail",
        {**API, "h.js": "function h(r) {\n  const requestId = chi.URLParam(r, 'id');\n}\n"},
        "app.py:2",
    ),
    (
        "OBS008",
        "pass",
        {
            **API,
            "router.go": "package app\n\nfunc routes(r Router) {\n"
            "\tr.Use(middleware.RequestID)\n}\n",
        },
        "router.go:4",
    ),
    ("OBS003", "fail", {"app.ts": "const x = 1;\nconsole.log('calc', x);\n"}, "app.ts:2"),
    # Go loggers other than the standard one (glow logs through charmbracelet/log).
    (
        "OBS001",
        "pass",
        {"main.go": 'package main\nimport "github.com/charmbracelet/log"\nfunc main() {}\n'},
        "main.go:2",
    ),
    # A home-grown levelled logger (notion-sdk-js: `this.log(LogLevel.INFO, ...)`).
    (
        "OBS001",
        "pass",
        {"src/c.ts": "export class C {\n  run() {\n    this.log(LogLevel.INFO, 'start')\n  }\n}\n"},
        "src/c.ts:3",
    ),
    # A framework's access log does not make the code's own prints logging (gin).
    ("OBS003", "fail", {"go.mod": GIN_MOD, "main.go": GIN_PRINTS}, "main.go:9"),
    ("OBS003", "not_applicable", {"go.mod": GIN_MOD, "main.go": GIN_QUIET}, None),
    # A logger set up that never logs (requests' NullHandler) fails; the code's own log
    # calls pass; prints are OBS003's, and a framework's logging alone makes no claim.
    ("OBS009", "pass", {"lib.py": LOGS_ITSELF}, "lib.py:5"),
    ("OBS009", "fail", {"lib.py": NULL_HANDLER}, "lib.py:1"),
    ("OBS009", "not_applicable", {"go.mod": GIN_MOD, "main.go": GIN_PRINTS}, None),
    (
        "OBS009",
        "pass",
        {"src/a.ts": "import { Logger } from '@nestjs/common';\n\nLogger.log('ready');\n"},
        "src/a.ts:3",
    ),
    ("OBS009", "not_applicable", {"go.mod": GIN_MOD, "main.go": GIN_QUIET}, None),
    ("OBS009", "not_applicable", {"app.py": PRINTS}, None),  # no logger at all: OBS001 says it
    # A script with a shebang prints its output, not diagnostics (node-express-boilerplate).
    (
        "OBS003",
        "pass",
        {
            **EXPRESS_APP,
            "bin/create.js": "#!/usr/bin/env node\n" + "console.log('step');\n" * 5,
        },
        "src/index.js:3",
    ),
    # Health routes under a prefix, and heartbeat routes.
    (
        "OBS006",
        "pass",
        {"go.mod": GIN_MOD, "main.go": gin_route('r.Group("/api/ping")')},
        "main.go:7",
    ),
    (
        "OBS006",
        "pass",
        {"go.mod": GIN_MOD, "main.go": gin_route('r.GET("/heartbeat", h)')},
        "main.go:7",
    ),
    # "status" is a health word only at the root: an order's status is not a health check.
    (
        "OBS006",
        "fail",
        {"go.mod": GIN_MOD, "main.go": gin_route('r.GET("/orders/:id/status", h)')},
        "main.go:8",
    ),
    # A framework's metrics middleware is named after what it exports (fiberprometheus).
    (
        "OBS004",
        "pass",
        {
            "go.mod": "module m\n",
            "main.go": 'package main\nimport (\n\t"github.com/gofiber/fiber/v2"\n'
            '\t"github.com/ansrivas/fiberprometheus/v2"\n)\n'
            'func main() {\n\tapp := fiber.New()\n\tapp.Listen(":3000")\n}\n',
        },
        "main.go:4",
    ),
]


@cases(TABLE)
def test_observability_probes(run_probe: RunProbe, probe_id, outcome, files, where) -> None:
    check_case(run_probe, probe_id, outcome, files, where)


def test_structured_logging_declared_but_never_imported_says_so(run_probe: RunProbe) -> None:
    files = {
        "pyproject.toml": "[project]\nname='a'\ndependencies=['structlog']\n",
        "app.py": "import logging\nfrom flask import Flask\napp = Flask(__name__)\napp.run()\n",
    }
    assert "structlog is declared but never imported" in run_probe("OBS002", files).message


def test_framework_health_routes_and_shutdown_hooks_are_recognised(run_probe: RunProbe) -> None:
    nest = {
        "src/main.ts": "import { NestFactory } from '@nestjs/core';\n"
        "const app = await NestFactory.create(M);\napp.enableShutdownHooks();\n",
        "src/health.ts": "@Controller('healthz')\nexport class Health {}\n",
    }
    assert run_probe("OBS006", nest).evidence[0].location == "src/health.ts:1"
    assert run_probe("REL004", nest).evidence[0].location == "src/main.ts:3"
