"""Graceful shutdown as deployed (signals reaching the server) and version-bound defaults."""

from __future__ import annotations

from tests.probes.conftest import RunProbe, cases, check_case

API = {"app.py": "from fastapi import FastAPI\napp = FastAPI()\n"}
FLASK = {"app.py": "from flask import Flask\napp = Flask(__name__)\n"}
EXPRESS = {
    "src/index.js": "const express = require('express');\nconst app = express();\n"
    "const server = app.listen(3000);\n"
    "process.on('SIGTERM', () => server.close());\n",
}
SPRING = {
    "src/main/java/a/App.java": "package a;\n"
    "import org.springframework.boot.autoconfigure.SpringBootApplication;\n"
    "import org.springframework.web.bind.annotation.RestController;\n"
    "@SpringBootApplication\n@RestController\npublic class App {}\n",
}


def pom(version: str) -> str:
    return (
        "<project>\n  <parent>\n    <groupId>org.springframework.boot</groupId>\n"
        "    <artifactId>spring-boot-starter-parent</artifactId>\n"
        f"    <version>{version}</version>\n  </parent>\n</project>\n"
    )


TABLE = [
    # uvicorn drains, but a chained shell-form CMD keeps /bin/sh as PID 1.
    (
        "REL004",
        "fail",
        {
            **API,
            "Dockerfile": "FROM python:3.12\n"
            "CMD alembic upgrade head && uvicorn app:app --host 0.0.0.0\n",
        },
        "Dockerfile:2",
    ),
    # One command in shell form on a Debian-based image: /bin/sh is dash, which stays PID 1
    # (dash 0.5.12 forks the command); on Alpine or in exec form the server gets SIGTERM.
    (
        "REL004",
        "fail",
        {
            **API,
            "Dockerfile": "FROM python:3.12.1-slim-bookworm\n"
            "CMD gunicorn -k uvicorn.workers.UvicornWorker app:app\n",
        },
        "Dockerfile:2",
    ),
    (
        "REL004",
        "pass",
        {
            **API,
            "Dockerfile": "FROM python:3.12-alpine\n"
            "CMD gunicorn -k uvicorn.workers.UvicornWorker app:app\n",
        },
        None,
    ),
    (
        "REL004",
        "pass",
        {
            **API,
            "Dockerfile": "FROM python:3.12.1-slim-bookworm\n"
            'CMD ["gunicorn", "-k", "uvicorn.workers.UvicornWorker", "app:app"]\n',
        },
        None,
    ),
    # Chained, but the last step is exec'd: the server becomes PID 1.
    (
        "REL004",
        "pass",
        {
            **API,
            "Dockerfile": "FROM python:3.12\n"
            "CMD alembic upgrade head && exec uvicorn app:app --host 0.0.0.0\n",
        },
        "Dockerfile:2",
    ),
    # ["sh", "-c", "a && b"] is the shell form in a list.
    (
        "REL004",
        "fail",
        {
            **API,
            "Dockerfile": "FROM python:3.12\n"
            'CMD ["sh", "-c", "alembic upgrade head && uvicorn app:app"]\n',
        },
        "Dockerfile:2",
    ),
    # An entrypoint that ends on exec "$@" hands PID 1 to the CMD, which drains.
    (
        "REL004",
        "pass",
        {
            **FLASK,
            "entrypoint.sh": '#!/bin/sh\nset -e\npython manage.py migrate\nexec "$@"\n',
            "Dockerfile": 'FROM python:3.12\nENTRYPOINT ["/entrypoint.sh"]\n'
            'CMD ["gunicorn", "app:app"]\n',
        },
        "Dockerfile:2",
    ),
    # The same server started in exec form drains.
    (
        "REL004",
        "pass",
        {**API, "Dockerfile": 'FROM python:3.12\nCMD ["uvicorn", "app:app"]\n'},
        "Dockerfile:2",
    ),
    # `fastapi run` (FastAPI's CLI) serves with Uvicorn, which drains.
    (
        "REL004",
        "pass",
        {**API, "Dockerfile": 'FROM python:3.12\nCMD ["fastapi", "run", "--workers", "4"]\n'},
        "Dockerfile:2",
    ),
    # A wrapper script that ends on `exec gunicorn` hands PID 1 to the server.
    (
        "REL004",
        "pass",
        {
            **FLASK,
            "boot.sh": "#!/bin/bash\nflask db upgrade\nexec gunicorn -b :5000 app:app\n",
            "Dockerfile": 'FROM python:3.12\nENTRYPOINT ["./boot.sh"]\n',
        },
        "boot.sh:3",
    ),
    # Without exec the script's shell stays PID 1 and never passes SIGTERM on.
    (
        "REL004",
        "fail",
        {
            **FLASK,
            "boot.sh": "#!/bin/bash\nflask db upgrade\ngunicorn -b :5000 app:app\n",
            "Dockerfile": 'FROM python:3.12\nENTRYPOINT ["./boot.sh"]\n',
        },
        "boot.sh:3",
    ),
    # The code closes the server on SIGTERM, but yarn (PID 1) exits without waiting for it;
    # a compose file for development says nothing about how it runs.
    (
        "REL004",
        "fail",
        {
            **EXPRESS,
            "docker-compose.prod.yml": "services:\n  app:\n    command: yarn start\n",
            "docker-compose.dev.yml": "services:\n  app:\n    command: node src/index.js\n",
        },
        "docker-compose.prod.yml:3",
    ),
    (
        "REL004",
        "pass",
        {**EXPRESS, "docker-compose.yml": "services:\n  app:\n    command: node src/index.js\n"},
        "src/index.js:4",
    ),
    # Celery workers drain (warm shutdown) unless SIGTERM is remapped to a cold one.
    (
        "REL004",
        "fail",
        {
            "tasks.py": "from celery import Celery\napp = Celery('t')\n",
            "Procfile": "worker: REMAP_SIGTERM=SIGQUIT celery -A tasks worker\n",
        },
        "Procfile:1",
    ),
    # Spring Boot drains by default from 3.4 only; before, server.shutdown=graceful is needed.
    ("REL004", "pass", {**SPRING, "pom.xml": pom("3.4.1")}, "pom.xml:5"),
    ("REL004", "fail", {**SPRING, "pom.xml": pom("3.2.0")}, "src/main/java/a/App.java:5"),
    (
        "REL004",
        "pass",
        {
            **SPRING,
            "pom.xml": pom("3.2.0"),
            "src/main/resources/application.properties": "server.shutdown=graceful\n",
        },
        "src/main/resources/application.properties:1",
    ),
    (
        "REL004",
        "pass",
        {
            **SPRING,
            "build.gradle": "plugins {\n  id 'org.springframework.boot' version '3.5.0'\n}\n",
        },
        "build.gradle:2",
    ),
    # No manifest says which Spring Boot it is: the default cannot be told.
    ("REL004", "cannot_determine", SPRING, None),
]


@cases(TABLE)
def test_shutdown_and_versions(run_probe: RunProbe, probe_id, outcome, files, where):
    check_case(run_probe, probe_id, outcome, files, where)


def test_a_lockfile_version_wins_over_the_manifest_range(run_probe: RunProbe) -> None:
    next_app = {
        "app/page.tsx": "import Link from 'next/link'\nexport default function P() {}\n",
        "app/api/posts/route.ts": "import { NextResponse } from 'next/server'\n"
        "export async function GET() {\n  return NextResponse.json([])\n}\n",
        "package.json": '{"scripts": {"start": "next start"},\n'
        '"dependencies": {"next": "^13.3.0"}}\n',
        "package-lock.json": '{"packages": {"node_modules/next": {"version": "14.2.3"}}}\n',
    }
    result = run_probe("REL004", next_app)
    assert result.outcome.value == "pass", result.message
    assert result.evidence[0].location == "package-lock.json:1"
    older = {**next_app, "package-lock.json": next_app["package-lock.json"].replace("14.2", "13.5")}
    assert run_probe("REL004", older).outcome.value == "fail"
