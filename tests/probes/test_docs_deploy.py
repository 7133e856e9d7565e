"""Documentation and deployment probes: a service without a Dockerfile is a gap, a library N/A."""

from __future__ import annotations

from tests.probes.conftest import RunProbe, cases, check_case
from tests.probes.test_testing import EXPRESS, PY, wf

API = {**PY, "app.py": "from fastapi import FastAPI\napp = FastAPI()\n"}
README = "# app\n\n## Installation\n\n```\npip install app\n```\n\n## Usage\n\nRun `app`.\n"
WEB = {
    "package.json": '{"dependencies": {"express": "^4.0.0"}}',
    "server.js": "const express = require('express');\nconst app = express();\napp.listen(3000);\n",
}
CLI = {
    "pyproject.toml": "[project]\nname = 'tool'\n[project.scripts]\ntool = 'tool:main'\n",
    "tool.py": "import click\n\n\n@click.command()\ndef main():\n    click.echo('hi')\n",
}
FLY = 'app = "web"\n\n[[services]]\n  http_checks = []\n  internal_port = 80\n'
FLY_CHECK = '  [[services.tcp_checks]]\n    interval = "15s"\n    timeout = "2s"\n'
DOCKER_OK = "FROM python:3.12-slim AS build\nRUN pip wheel .\nFROM python:3.12-slim\nUSER app\n"
K8S = (
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: {r}\n"
    "  template:\n    spec:\n      containers:\n        - name: web\n          image: {image}\n"
    "{extra}"
)
GOOD_K8S = K8S.format(
    r=3,
    image="web:1.2.3",
    extra=(
        "          resources:\n            limits:\n              memory: 256Mi\n"
        "          securityContext:\n            runAsNonRoot: true\n"
        "          livenessProbe:\n            httpGet: {path: /healthz, port: 8080}\n"
    ),
)
BAD_K8S = K8S.format(
    r=1, image="web:latest", extra="          securityContext:\n            privileged: true\n"
)

TABLE = [
    ("DOC001", "pass", {**PY, "README.md": README}, "README.md:1"),
    ("DOC001", "fail", PY, "pyproject.toml:1"),
    ("DOC002", "pass", {**PY, "README.md": README}, "README.md:3"),
    ("DOC002", "fail", {**PY, "README.md": "# app\n\nA tool.\n"}, "README.md:1"),
    ("DOC002", "not_applicable", PY, None),
    ("DOC003", "pass", {**PY, "CHANGELOG.md": "# Changelog\n"}, "CHANGELOG.md:1"),
    ("DOC003", "fail", {**PY, "README.md": README}, "README.md:1"),
    ("DOC004", "pass", {**PY, "CONTRIBUTING.md": "# Contributing\n"}, "CONTRIBUTING.md:1"),
    ("DOC004", "fail", {**PY, "README.md": README}, "README.md:1"),
    ("DOC005", "pass", {**PY, "LICENSE": "MIT\n"}, "LICENSE:1"),
    ("DOC005", "fail", {**PY, "README.md": README}, "README.md:1"),
    (
        "DOC006",
        "pass",
        {**PY, "docs/architecture.md": "# Architecture\n"},
        "docs/architecture.md:1",
    ),
    ("DOC006", "fail", {**PY, "README.md": README}, "README.md:1"),
    (
        "DOC007",
        "pass",
        {**PY, "app.py": '"""Mod."""\ndef f():\n    """Do f."""\n'},
        "app.py:2",
    ),
    ("DOC007", "fail", {**PY, "app.py": "x = 1\ndef f():\n    return 1\n"}, "app.py:2"),
    ("DOC007", "not_applicable", {"a.js": "x = 1\n"}, None),
    ("DOC008", "pass", API, "app.py:1"),
    (
        "DOC008",
        "pass",
        {"server.js": EXPRESS, "openapi.yaml": "openapi: 3.0.0\n"},
        "openapi.yaml:1",
    ),
    ("DOC008", "fail", {"server.js": EXPRESS}, "server.js:3"),
    ("DOC008", "not_applicable", PY, None),
    ("DOC009", "pass", {**API, "README.md": "# app\n## Deployment\n"}, "README.md:2"),
    ("DOC009", "fail", {**API, "README.md": README}, "README.md:1"),
    ("DOC009", "not_applicable", PY, None),
    ("DEP001", "pass", {**API, "Dockerfile": DOCKER_OK}, "Dockerfile:1"),
    ("DEP001", "fail", API, "app.py:2"),
    ("DEP001", "not_applicable", PY, None),
    # Buildpacks (Spring Boot's build-image goal, bootBuildImage), Jib and ko build the image.
    (
        "DEP001",
        "pass",
        {**API, "README.md": "# app\n\n## Run\n\n```\n./mvnw spring-boot:build-image\n```\n"},
        "README.md:6",
    ),
    (
        "DEP001",
        "pass",
        {
            **API,
            "build.gradle": "plugins {\n  id 'com.google.cloud.tools.jib' version '3.4.0'\n}\n",
        },
        "build.gradle:2",
    ),
    ("DEP002", "pass", {"Dockerfile": DOCKER_OK}, "Dockerfile:4"),
    (
        "DEP002",
        "fail",
        {"Dockerfile": 'FROM python:3.12-slim\nUSER app\nFROM python:3.12-slim\nCMD ["app"]\n'},
        "Dockerfile:3",
    ),
    # The development image beside a production one is not what is deployed, and the official
    # postgres image drops root in its entrypoint (fastapi-tdd-docker).
    (
        "DEP002",
        "pass",
        {
            "project/Dockerfile": 'FROM python:3.12-slim\nCMD ["uvicorn", "app:app"]\n',
            "project/Dockerfile.prod": 'FROM python:3.12-slim\nUSER app\nCMD ["gunicorn"]\n',
            "project/db/Dockerfile": "FROM postgres:16\n"
            "ADD create.sql /docker-entrypoint-initdb.d\n",
        },
        "project/Dockerfile.prod:2",
    ),
    # Without a production sibling, a root Dockerfile is what runs.
    (
        "DEP002",
        "fail",
        {
            "project/Dockerfile": 'FROM python:3.12-slim\nCMD ["uvicorn", "app:app"]\n',
            "project/db/Dockerfile": "FROM postgres:16\n",
        },
        "project/Dockerfile:1",
    ),
    # A postgres image with an entrypoint of its own runs that as root.
    (
        "DEP002",
        "fail",
        {"Dockerfile": 'FROM postgres:16\nENTRYPOINT ["/run.sh"]\n'},
        "Dockerfile:1",
    ),
    ("DEP002", "not_applicable", PY, None),
    ("DEP003", "pass", {"Dockerfile": DOCKER_OK}, "Dockerfile:1"),
    (
        "DEP003",
        "fail",
        {"Dockerfile": "FROM node:20 AS b\nFROM nginx\nCOPY --from=b /a /b\n"},
        "Dockerfile:2",
    ),
    ("DEP004", "pass", {"Dockerfile": DOCKER_OK, ".dockerignore": ".git\n"}, ".dockerignore:1"),
    ("DEP004", "fail", {"Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n"}, "Dockerfile:1"),
    # An image that copies nothing from the build context has nothing to filter (cheat's).
    ("DEP004", "not_applicable", {"Dockerfile": DOCKER_OK}, None),
    (
        "DEP005",
        "pass",
        {**WEB, "Dockerfile": DOCKER_OK + "HEALTHCHECK CMD curl -f localhost/healthz\n"},
        "Dockerfile:5",
    ),
    ("DEP005", "pass", {**WEB, "k8s/web.yaml": GOOD_K8S}, "k8s/web.yaml:10"),
    ("DEP005", "fail", {**WEB, "Dockerfile": DOCKER_OK}, "Dockerfile:1"),
    ("DEP005", "not_applicable", PY, None),
    # Fly.io runs the checks fly.toml declares; `fly launch`'s empty lists declare none.
    (
        "DEP005",
        "pass",
        {**WEB, "Dockerfile": DOCKER_OK, "fly.toml": FLY + FLY_CHECK},
        "fly.toml:6",
    ),
    ("DEP005", "fail", {**WEB, "Dockerfile": DOCKER_OK, "fly.toml": FLY}, "Dockerfile:1"),
    # A command-line tool's image has nothing to probe.
    ("DEP005", "not_applicable", {**CLI, "Dockerfile": DOCKER_OK}, None),
    ("DEP006", "pass", {"k8s/web.yaml": GOOD_K8S}, "k8s/web.yaml:10"),
    ("DEP006", "fail", {"k8s/web.yaml": BAD_K8S}, "k8s/web.yaml:10"),
    ("DEP006", "not_applicable", PY, None),
    ("DEP007", "pass", {"k8s/web.yaml": GOOD_K8S}, "k8s/web.yaml:10"),
    ("DEP007", "fail", {"k8s/web.yaml": BAD_K8S}, "k8s/web.yaml:10"),
    (
        "DEP008",
        "pass",
        {
            "pyproject.toml": "[project]\nname='a'\n[project.scripts]\na = 'a:main'\n",
            "a.py": "def main(): ...\n",
        },
        "pyproject.toml:1",
    ),
    ("DEP008", "pass", {"go.mod": "module x\n", "main.go": "package main\n"}, "go.mod:1"),
    ("DEP008", "fail", {"app.py": "x = 1\n"}, "app.py:1"),
    # A pyproject of tool settings and a Django settings module named setup.py build nothing.
    (
        "DEP008",
        "fail",
        {
            "pyproject.toml": "[tool.ruff]\nline-length = 100\n",
            "config/setup.py": "LOGGING = {}\n",
            "requirements.txt": "django==5.0\n",
            "app.py": "import django\n",
        },
        "requirements.txt:1",
    ),
    (
        "DEP013",
        "pass",
        {"app.py": "import flask\n", "Procfile": "web: gunicorn app:app\n"},
        "Procfile:1",
    ),
    (
        "DEP013",
        "fail",
        {
            "train.py": "import torch\n\nif __name__ == '__main__':\n    print(1)\n",
            "requirements.txt": "torch==2.0\n",
        },
        "train.py:3",
    ),
    (
        "DEP013",
        "not_applicable",
        {"pyproject.toml": "[project]\nname = 'lib'\n", "lib/__init__.py": "x = 1\n"},
        None,
    ),
    (
        "DEP014",
        "pass",
        {"requirements.txt": "numpy>=1\n", "a.py": "import numpy\n"},
        "requirements.txt:1",
    ),
    ("DEP014", "fail", {"a.py": "import os\nimport numpy as np\n"}, "a.py:2"),
    ("DEP014", "not_applicable", {"a.py": "import os\nfrom a import b\n"}, None),
    # The first file imports it inside a function; another imports it at module level.
    (
        "DEP014",
        "fail",
        {"a.py": "def f():\n    import requests\n", "b.py": "import requests\n"},
        "b.py:1",
    ),
    # An import under `if TYPE_CHECKING:` never runs: it is no runtime dependency.
    (
        "DEP014",
        "not_applicable",
        {"a.py": "import typing as t\nif t.TYPE_CHECKING:\n    import typing_extensions as te\n"},
        None,
    ),
    ("DEP009", "pass", {**PY, **wf("twine upload dist/*")}, ".github/workflows/ci.yml:6"),
    ("DEP009", "fail", {**PY, **wf("pytest")}, ".github/workflows/ci.yml:1"),
    (
        "DEP010",
        "pass",
        {"docker-compose.yml": "services:\n  db:\n    image: postgres:16.2\n"},
        "docker-compose.yml:2",
    ),
    ("DEP010", "fail", {"k8s/web.yaml": BAD_K8S}, "k8s/web.yaml:11"),
    ("DEP010", "not_applicable", PY, None),
    ("DEP011", "pass", {"Dockerfile": DOCKER_OK}, "Dockerfile:1"),
    ("DEP011", "fail", {"Dockerfile": "FROM python:3.12\nCOPY . .\n"}, "Dockerfile:1"),
    ("DEP012", "pass", {"k8s/web.yaml": GOOD_K8S}, "k8s/web.yaml:6"),
    ("DEP012", "fail", {"k8s/web.yaml": BAD_K8S}, "k8s/web.yaml:6"),
    ("DEP012", "not_applicable", PY, None),
    (
        "DOC002",
        "pass",
        {**PY, "README.md": "# a\n\n## Install\n\n    pip install a\n\n## Usage\n\n    a run\n"},
        "README.md:3",
    ),
]


@cases(TABLE)
def test_docs_deploy_probes(run_probe: RunProbe, probe_id, outcome, files, where) -> None:
    check_case(run_probe, probe_id, outcome, files, where)


def test_library_container_message_gives_the_evidence_based_reason(run_probe: RunProbe) -> None:
    message = run_probe("DEP001", PY).message
    assert "does not serve network requests" in message and "judged a library" in message
    assert "(pyproject.toml:1)" in message  # the evidence the kind was decided on


def test_code_inside_docstrings_and_embedded_files_is_not_code(run_probe: RunProbe) -> None:
    files = {
        **PY,
        "gen.py": '"""Generates servers.\n\nThe output calls app.run(port=80).\n"""\n\n'
        'GO = """package main\nfunc main() { http.ListenAndServe(":80", nil) }\n"""\n',
    }
    assert run_probe("DEP001", files).outcome.value == "not_applicable"


# --- documentation read the way people write it (real-world corpus misses) -----------------

CRATE = {"Cargo.toml": "[package]\nname = 'c'\n", "src/lib.rs": "pub fn f() {}\n"}
NPM_LIB = {"package.json": '{"name": "l", "main": "index.js"}\n'}
TREE = "```\napp\n├── api      - web routes.\n├── core     - settings, logging.\n" + (
    "├── db       - repositories and migrations.\n├── services - logic beyond crud.\n"
    "└── main.py  - creates the app.\n```\n"
)
PROSE = "The client sends requests through a retrying transport; errors become typed. " * 3
DOC_CASES = [
    # README usage: run-locally sections, setext headings, Maven snippets, crate docs, Go imports.
    (
        "DOC002",
        "pass",
        {**PY, "README.md": "# a\n\n## Running Locally\n\n```sh\npnpm install\npnpm dev\n```\n"},
        "README.md:3",
    ),
    (
        "DOC002",
        "pass",
        {
            **PY,
            "README.md": "a\n=\n\n### Example\n\n```java\nA.b();\n```\n\nDownload\n--------\n\n"
            "```xml\n<dependency>\n</dependency>\n```\n",
        },
        "README.md:10",
    ),
    (
        "DOC002",
        "pass",
        {
            **CRATE,
            "README.md": "# c\n\n## Usage example\n\n```rust\nc::f();\n```\n",
            "src/lib.rs": '//! C.\n//!\n//! ```toml\n//! [dependencies]\n//! c = "1"\n//! ```\n'
            "pub fn f() {}\n",
        },
        "src/lib.rs:4",
    ),
    (
        "DOC002",
        "pass",
        {
            "go.mod": "module github.com/o/log\n",
            "log.go": "package log\n",
            "README.md": '# log\n\n#### Example\n\n```go\nimport "github.com/o/log"\n```\n',
        },
        "README.md:6",
    ),
    # The title names the project ("Build a model"), and a `# comment` in a fence is code.
    (
        "DOC002",
        "fail",
        {**PY, "README.md": "# Build a model\n\nText.\n\n```sh\n# Install\nfoo\n```\n"},
        "README.md:1",
    ),
    # Contributing: a README or agent guide that explains how to run the tests counts.
    (
        "DOC004",
        "pass",
        {
            **PY,
            "README.rst": f"a\n=\n\nRun tests\n---------\n\n{PROSE}\n\n"
            "Simply run ``pytest``: ::\n\n",
        },
        "README.rst:9",
    ),
    (
        "DOC004",
        "pass",
        {
            **PY,
            "CLAUDE.md": f"# Guide\n\n## Testing\n\n{PROSE}\n\n"
            "```bash\nnpm test  # all tests\n```\n",
        },
        "CLAUDE.md:8",
    ),
    # Only naming the command (a list of npm scripts, "run tox") is part of a guide: partly.
    (
        "DOC004",
        "fail",
        {
            **PY,
            "README.md": "# a\n\n## Scripts\n\n- `npm start` - Start application\n"
            "- `npm run start:watch` - Start application in watch mode\n"
            "- `npm run test` - run Jest test runner\n- `npm run start:prod` - Build application\n",
        },
        "README.md:7",
    ),
    (
        "DOC004",
        "fail",
        {**PY, "README.md": "# a\n\n## Testing\n\n```bash\nnpm test  # all tests\n```\n"},
        "README.md:6",
    ),
    ("DOC004", "pass", {**PY, "docs/contributing.md": "# How to help\n"}, "docs/contributing.md:1"),
    # A Make or go-task target named for its tests is how this project runs them.
    (
        "DOC004",
        "pass",
        {
            **PY,
            "README.md": f"# a\n\n## Integration tests\n\n{PROSE}\n\n```sh\n"
            "make compose-up-integration-test\n```\n",
        },
        "README.md:8",
    ),
    (
        "DOC004",
        "pass",
        {
            **PY,
            "README.md": f"# a\n\n## Tests\n\n{PROSE}\n\nRun them:\n\n```bash\n"
            "task integration:local\n```\n",
        },
        "README.md:10",
    ),
    (
        "DOC004",
        "pass",
        {
            **PY,
            "README.md": f"# a\n\n## Test Applications\n\n{PROSE}\n\n## Contributing\n\n{PROSE}\n",
        },
        "README.md:7",
    ),
    (
        "DOC004",
        "fail",
        {**PY, "README.md": "# a\n\n## Contributing\n\nWe are working on a guide.\n"},
        "README.md:3",
    ),
    # A dependency list naming pytest is not a test command.
    (
        "DOC004",
        "fail",
        {**PY, "README.md": '# a\n\n```toml\ndev = ["pytest"]\n```\n'},
        "README.md:1",
    ),
    # Architecture: a project-structure section, an agent guide, decision records, crate docs.
    (
        "DOC006",
        "pass",
        {**PY, "README.rst": f"a\n=\n\nProject structure\n-----------------\n\n{TREE}"},
        "README.rst:4-14",
    ),
    (
        "DOC006",
        "pass",
        {**PY, "AGENTS.md": f"# Agents\n\n## Architecture\n\n{PROSE}\n\n## Conventions\n\nx\n"},
        "AGENTS.md:3-6",
    ),
    (
        "DOC006",
        "pass",
        {**PY, "docs/adr/0001-queues.md": "# Use queues\n"},
        "docs/adr/0001-queues.md:1",
    ),
    (
        "DOC006",
        "pass",
        {**CRATE, "src/lib.rs": "//! Buffers.\n" * 40 + "pub fn f() {}\n"},
        "src/lib.rs:1-40",
    ),
    # A bare "Design" section of an app's README is as often about its looks.
    ("DOC006", "fail", {**PY, "README.md": f"# a\n\n## Design\n\n{PROSE}\n"}, "README.md:1"),
    # A docs folder of usage pages, or a "Response structure" heading, is not a design document.
    (
        "DOC006",
        "fail",
        {**PY, "docs/usage.md": f"# Usage\n\n## Response structure\n\n{PROSE}\n"},
        "docs/usage.md:1",
    ),
    # API reference: enforced rustdoc, generated autodoc, JSDoc, README member sections.
    (
        "DOC007",
        "pass",
        {**CRATE, "src/lib.rs": "#![warn(missing_docs)]\npub fn f() {}\n"},
        "src/lib.rs:1",
    ),
    (
        "DOC007",
        "pass",
        {**PY, "docs/api.rst": "API\n===\n\n.. autoclass:: app.Session\n"},
        "docs/api.rst:4",
    ),
    # mkdocstrings renders `::: name` behind a heading's hashes too.
    ("DOC007", "pass", {**PY, "docs/reference.md": "# ::: app\n"}, "docs/reference.md:1"),
    (
        "DOC007",
        "pass",
        {**NPM_LIB, "index.js": "/** Adds. */\nexport function add(a, b) {}\n"},
        "index.js:2",
    ),
    (
        "DOC007",
        "pass",
        {
            **NPM_LIB,
            "index.js": "export function add(a, b) {}\n",
            "README.md": "# l\n\n## Options\n\nx\n\n### `retries`\n\ny\n\n#### `add(a, b)`\n\nz\n",
        },
        "README.md:3",
    ),
    ("DOC007", "fail", {**NPM_LIB, "index.js": "export function add(a, b) {}\n"}, "index.js:1"),
    ("DOC007", "not_applicable", {"server.js": EXPRESS}, None),
]


@cases(DOC_CASES)
def test_documentation_as_written(run_probe: RunProbe, probe_id, outcome, files, where) -> None:
    check_case(run_probe, probe_id, outcome, files, where)


def test_a_service_deployed_to_a_platform_needs_no_image(run_probe) -> None:
    """A second reader called the gap false for a Next.js app on Vercel: the fact stands
    (there is no Dockerfile), the gap does not."""
    documented = {**WEB, "README.md": "# App\n\n## Deploy\n\nDeploy the front end to Vercel.\n"}
    result = run_probe("DEP001", documented)
    assert result.outcome.value == "fail"
    assert result.severity.value == "low" and "README.md:5" in result.advisory
    assert run_probe("DEP001", {**WEB, "vercel.json": "{}"}).severity.value == "low"
    assert run_probe("DEP001", WEB).severity.value == "medium"


def test_a_nextjs_app_using_vercel_packages_is_deployed_to_vercel(run_probe) -> None:
    """@vercel/analytics or @vercel/og in a Next.js app: it is deployed on Vercel's platform."""
    files = {
        "package.json": '{"scripts": {"start": "next start"},\n'
        '"dependencies": {"next": "14.0.0",\n"@vercel/analytics": "^1.0.0"}}\n',
        "app/api/posts/route.ts": "import { NextResponse } from 'next/server'\n"
        "export async function GET() {\n  return NextResponse.json([])\n}\n",
    }
    result = run_probe("DEP001", files)
    assert result.outcome.value == "fail"
    assert result.severity.value == "low" and "package.json:3" in result.advisory


def test_a_root_image_with_no_command_is_a_development_image(run_probe) -> None:
    dev = "FROM rust:1.74-slim\nWORKDIR /app\nCOPY . .\nRUN cargo install cargo-watch\n"
    lowered = run_probe("DEP002", {"Dockerfile": dev})
    assert lowered.outcome.value == "fail" and lowered.severity.value == "low"
    assert "no CMD or ENTRYPOINT" in lowered.severity_note
    served = run_probe("DEP002", {"Dockerfile": dev + 'CMD ["./server"]\n'})
    assert served.outcome.value == "fail" and served.severity.value == "high"


def test_images_pinned_only_to_a_major_version_or_a_rolling_tag_are_partly_pinned(
    run_probe,
) -> None:
    """node:18 moves across 18.x and debian:sid-slim with its branch: a low gap, and the
    question's answer is "partly", not "no"."""
    loose = run_probe("DEP003", {"Dockerfile": "FROM node:18\nCMD ['node', 'a.js']\n"})
    assert loose.outcome.value == "fail" and loose.partial and loose.severity.value == "low"
    assert "node:18" in loose.message
    mixed = (
        "FROM golang:1.22.3 AS build\nRUN go build\nFROM debian:sid-slim\nCOPY --from=build /a /a\n"
    )
    assert run_probe("DEP003", {"Dockerfile": mixed}).partial
    # One floating image among pinned ones: still the medium gap, and "partly".
    half = (
        "FROM golang:1.22.3 AS build\nRUN go build\nFROM alpine:latest\nCOPY --from=build /a /a\n"
    )
    result = run_probe("DEP003", {"Dockerfile": half})
    assert result.outcome.value == "fail" and result.partial and result.severity.value == "medium"
    assert "alpine:latest" in result.message
    # Only floating images: "no", not "partly".
    assert not run_probe("DEP003", {"Dockerfile": "FROM python:slim\n"}).partial
    # A distribution's bare release number and a minor version pin.
    for pinned in ("debian:12-slim", "python:3.12-slim", "node:20.11-alpine"):
        assert run_probe("DEP003", {"Dockerfile": f"FROM {pinned}\n"}).outcome.value == "pass"


def test_a_bare_test_command_is_part_of_a_contributing_guide(run_probe: RunProbe) -> None:
    bare = {
        **PY,
        "README.rst": "a\n=\n\nTests\n-----\n\nRun with:\n\n.. code-block::\n\n    $ tox\n",
    }
    result = run_probe("DOC004", bare)
    assert result.outcome.value == "fail" and result.partial, result.message
    # A line above a Markdown code fence is text, not a heading over the fence.
    fenced = {
        **PY,
        "README.md": f"# a\n\n## Testing\n\n{PROSE}\n\n"
        "From the root, run:\n```\ngo test ./...\n```\n",
    }
    assert run_probe("DOC004", fenced).outcome.value == "pass"


def test_an_architecture_diagram_or_a_component_map_describes_the_design(
    run_probe: RunProbe,
) -> None:
    diagram = {**PY, "README.md": "# a\n\n## Description\n\n![clean architecture](arch.png)\n"}
    assert run_probe("DOC006", diagram).evidence[0].location == "README.md:5"
    logo = {**PY, "README.md": "# a\n\n![logo](logo.png)\n"}
    assert run_probe("DOC006", logo).outcome.value == "fail"
    code = {f"pkg/{n}.py": "x = 1\n" for n in ("model", "bpe", "trainer")}
    described = (
        "# a\n\nThe library is three files: [pkg/model.py](pkg/model.py) holds the model "
        "definition, [pkg/bpe.py](pkg/bpe.py) the byte pair encoder that turns text into "
        "integers, and [pkg/trainer.py](pkg/trainer.py) the training loop, independent of "
        "the model.\n"
    )
    mapped = run_probe("DOC006", {**PY, **code, "README.md": described})
    assert mapped.outcome.value == "pass" and "pkg/bpe.py" in mapped.message
    # A table indexing the files is not a description of how they fit.
    table = "# a\n\n| file | what |\n|---|---|\n" + "".join(
        f"| [pkg/{n}.py](pkg/{n}.py) | {PROSE} |\n" for n in ("model", "bpe", "trainer")
    )
    assert run_probe("DOC006", {**PY, **code, "README.md": table}).outcome.value == "fail"


def test_imports_no_manifest_declares_make_the_dependencies_partly_declared(
    run_probe: RunProbe,
) -> None:
    setup = "from setuptools import setup\nsetup(name='m', install_requires=['torch'])\n"
    code = "import torch\nimport regex as re\nimport requests\n"
    result = run_probe("DEP014", {"setup.py": setup, "m/bpe.py": code})
    assert result.outcome.value == "fail" and result.partial, result.message
    assert "regex (m/bpe.py:2)" in result.message and "torch" not in result.message
    # Declared under another name (python-slugify, drf-jwt), or only imported optionally.
    reqs = "torch==2.0\npython-slugify==8.0\ndrf-jwt==1.19\n"
    named = "import torch\nimport slugify\nimport rest_framework_jwt\ntry:\n    import yaml\n"
    named += "except ImportError:\n    yaml = None\n"
    fine = run_probe("DEP014", {"requirements.txt": reqs, "m/a.py": named})
    assert fine.outcome.value == "pass" and not fine.partial, fine.message
    # A type-only import is no dependency at all.
    typed = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import typing_extensions\n"
    assert run_probe("DEP014", {"m/a.py": typed}).outcome.value == "not_applicable"


def test_any_explained_test_command_makes_a_contributing_guide(run_probe: RunProbe) -> None:
    readme = (
        "# a\n\n## Install\n\n```\ngo build ./...\ngo test ./...\n```\n\n## Testing\n\n"
        "From the project root, run the whole suite, with coverage and the race detector on:\n\n"
        "```\ngo test -race ./...\n```\n"
    )
    result = run_probe("DOC004", {**PY, "README.md": readme})
    assert result.outcome.value == "pass" and "README.md:15" in result.message, result.message


def test_a_concepts_page_describes_the_design(run_probe: RunProbe) -> None:
    page = {**PY, "docs/concepts.rst": f"General Concepts\n================\n\n{PROSE}\n"}
    assert run_probe("DOC006", page).evidence[0].location == "docs/concepts.rst:1"
    section = {**PY, "README.md": f"# a\n\n## Key Concepts\n\n{PROSE}\n"}
    assert run_probe("DOC006", section).outcome.value == "pass"
    usage = {**PY, "README.md": f"# a\n\n## Usage\n\n{PROSE}\n"}
    assert run_probe("DOC006", usage).outcome.value == "fail"


def test_a_go_module_is_released_by_pushing_a_tag(run_probe) -> None:
    files = {"go.mod": "module github.com/x/lib\n", "lib.go": "package lib\n\nfunc A() {}\n"}
    assert run_probe("DEP009", files).outcome.value == "not_applicable"
    program = {**files, "cmd/x/main.go": "package main\n\nfunc main() {}\n"}
    assert run_probe("DEP009", program).outcome.value != "not_applicable"
