"""What held-out round 16 and its panel taught (ctfd, xh, transfer-sh, passport, ghostfolio,
eladmin, dit, godo, trpc, awslogs): each case rebuilt small beside the one that must stay."""

from __future__ import annotations

import json
from pathlib import Path

from tests.probes.conftest import RunProbe, profile_of

_ADAPTER_PACKAGE = {
    "name": "@acme/server",
    "main": "dist/index.js",
    "scripts": {"dev": "tsdown --watch", "build": "tsdown"},
    "peerDependencies": {"typescript": ">=5"},
    "devDependencies": {"next": "15.0.0", "react": "19.0.0", "express": "5.0.0"},
}
_ADAPTER = "import { revalidateTag } from 'next/cache';\nexport const adapter = revalidateTag;\n"


def _package(data: dict[str, object]) -> str:
    return json.dumps(data, indent=2) + "\n"


def test_a_published_adapter_runs_no_framework_its_users_bring(tmp_path: Path) -> None:
    # trpc: @trpc/next imports next/cache, a devDependency of a published package; its users
    # run Next.js, the package does not. Its "dev" script is a bundler in watch mode.
    files = {
        "package.json": _package(_ADAPTER_PACKAGE),
        "src/adapters/next.ts": _ADAPTER,
        "src/index.ts": "export * from './adapters/next';\n",
    }
    kinds = profile_of(tmp_path / "adapter", files).kinds
    assert "app" not in kinds and "web_service" not in kinds, kinds
    # The same import in a private application, with next a dependency, is a Next.js app.
    app = {
        "package.json": _package(
            {"name": "site", "private": True, "dependencies": {"next": "15.0.0"}}
        ),
        "app/page.tsx": "import { revalidateTag } from 'next/cache';\nexport default 1;\n",
    }
    assert "app" in profile_of(tmp_path / "app", app).kinds


def test_a_watch_script_or_a_workspace_runner_starts_nothing(tmp_path: Path) -> None:
    # A package whose code can start an Express server, and whose dev script only compiles
    # in watch mode, launches nothing; a dev script that runs the server does.
    server = (
        "import express from 'express';\nexport function start(port: number) {\n"
        "  const app = express();\n  app.listen(port);\n}\n"
    )
    files = {
        "package.json": _package(
            {
                "name": "api",
                "private": True,
                "dependencies": {"express": "5.0.0"},
                "scripts": {"dev": "tsc --watch"},
            }
        ),
        "src/server.ts": server,
    }
    assert "web_service" not in profile_of(tmp_path / "watch", files).kinds
    runs = dict(files)
    runs["package.json"] = runs["package.json"].replace("tsc --watch", "node dist/server.js")
    assert "web_service" in profile_of(tmp_path / "runs", runs).kinds


def test_a_crash_report_masking_a_credential_is_no_secret(run_probe: RunProbe) -> None:
    # awslogs: before printing its options on a crash it writes "SENSITIVE" over the secret.
    base = {"setup.py": "from setuptools import setup\nsetup(name='logs')\n"}
    masked = 'def report(options):\n    options["aws_secret_access_key"] = "SENSITIVE"\n'
    assert run_probe("SEC001", {**base, "logs/bin.py": masked}).outcome.value == "pass"
    real = 'def report(options):\n    options["aws_secret_access_key"] = "q8Vt3mW9pL2rX7nZk4Jd"\n'
    assert run_probe("SEC001", {**base, "logs/bin.py": real}).outcome.value == "fail"


_IDLE_COMPOSE = (
    "services:\n  dev:\n    build:\n      context: .\n      dockerfile: Dockerfile\n"
    "    volumes:\n      - ..:/workspace\n    command: /bin/sh -c \"while sleep 1000; do :; done\"\n"
)
_DEV_IMAGE = "FROM python:3\nRUN pip install tox\n"


def test_an_image_built_only_for_an_idle_dev_container_is_not_the_product(
    run_probe: RunProbe,
) -> None:
    # awslogs: .devcontainer/ aside, a compose service built from the Dockerfile beside it
    # idles so an editor can attach; the image is a workbench, not how the tool ships.
    base = {"setup.py": "from setuptools import setup\nsetup(name='logs')\n"}
    idle = {**base, "dev/Dockerfile": _DEV_IMAGE, "dev/docker-compose.yml": _IDLE_COMPOSE}
    assert run_probe("DEP002", idle).outcome.value == "not_applicable"
    # The same image run by a service that does work is the product's image.
    busy = {
        **idle,
        "dev/docker-compose.yml": _IDLE_COMPOSE.replace(
            '/bin/sh -c "while sleep 1000; do :; done"', "python -m logs"
        ),
    }
    assert run_probe("DEP002", busy).outcome.value == "fail"
