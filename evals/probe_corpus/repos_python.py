"""Python repositories of the probe corpus: a well-run service, a neglected one, tricky cases."""
# ruff: noqa: E501 - embedded repository files read better unwrapped

from __future__ import annotations

from evals.probe_corpus import RepoSpec

P, F, NA = "pass", "fail", "not_applicable"

_GOOD_PYPROJECT = """
[project]
name = "svc"
version = "1.2.0"
dependencies = [
    "fastapi>=0.110",
    "pydantic-settings>=2.2",
    "structlog>=24.1",
    "httpx>=0.27",
    "tenacity>=8.2",
    "sqlalchemy>=2.0",
    "prometheus-client>=0.20",
    "opentelemetry-api>=1.24",
    "sentry-sdk>=2.0",
    "slowapi>=0.1.9",
]

[project.scripts]
svc = "svc.main:run"

[tool.ruff]
line-length = 100

[tool.mypy]
strict = true

[tool.coverage.report]
fail_under = 85
"""

_GOOD_MAIN = '''
"""The HTTP API."""

import signal

import structlog
import uvicorn
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.security import OAuth2PasswordBearer
from slowapi import Limiter
from slowapi.util import get_remote_address

from svc.config import Settings
from svc.metrics import REQUESTS

log = structlog.get_logger()
settings = Settings()
app = FastAPI()
oauth2 = OAuth2PasswordBearer(tokenUrl="token")
limiter = Limiter(key_func=get_remote_address)
app.add_middleware(CORSMiddleware, allow_origins=settings.allowed_origins)


@app.middleware("http")
async def request_id(request: Request, call_next):
    """Bind the X-Request-ID header to every log line."""
    structlog.contextvars.bind_contextvars(request_id=request.headers.get("X-Request-ID"))
    REQUESTS.inc()
    return await call_next(request)


@app.get("/healthz")
def health() -> dict[str, str]:
    """Liveness."""
    return {"status": "ok"}


def run() -> None:
    """Serve until SIGTERM."""
    signal.signal(signal.SIGTERM, lambda *_: log.info("stopping"))
    uvicorn.run(app, host="0.0.0.0", port=settings.port)
'''

_GOOD_FILES = {
    "pyproject.toml": _GOOD_PYPROJECT,
    "uv.lock": "version = 1\n",
    "README.md": "# svc\n\n## Installation\n\n```\nuv sync\n```\n\n## Usage\n\nRun `svc`.\n\n"
    "## Configuration\n\nSet `DATABASE_URL` and `LOG_LEVEL`.\n\n## Deployment\n\n"
    "Backups: `pg_dump` runs nightly; restore with `pg_restore`.\n",
    "CHANGELOG.md": "# Changelog\n\n## 1.2.0\n- Retries.\n",
    "CONTRIBUTING.md": "# Contributing\n",
    "LICENSE": "MIT License\n",
    "SECURITY.md": "# Security\n\nReport to security@example.com.\n",
    "docs/architecture.md": "# Architecture\n",
    ".github/dependabot.yml": "version: 2\nupdates: []\n",
    ".pre-commit-config.yaml": "repos:\n- repo: local\n  hooks:\n  - id: ruff\n",
    ".github/workflows/ci.yml": "on:\n  push:\n  pull_request:\njobs:\n  check:\n"
    "    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@v4\n"
    "      - run: make check\n      - run: pip-audit\n"
    "      - run: docker push ghcr.io/acme/svc:${{ github.sha }}\n",
    "Makefile": "check: lint test\nlint:\n\truff check .\n\truff format --check .\n\tmypy src\n"
    "test:\n\tpytest --cov=svc\n",
    "Dockerfile": "FROM python:3.12-slim AS build\nCOPY . /src\nRUN pip wheel /src -w /w\n"
    "FROM python:3.12-slim\nCOPY --from=build /w /w\nRUN pip install /w/*.whl\nUSER app\n"
    "HEALTHCHECK CMD python -c \"import urllib.request as u; u.urlopen('http://localhost/healthz')\"\n"
    'CMD ["svc"]\n',
    ".dockerignore": ".git\n.env\n",
    ".env.example": "DATABASE_URL=\nLOG_LEVEL=info\n",
    "src/svc/__init__.py": '"""svc."""\n',
    "src/svc/main.py": _GOOD_MAIN,
    "src/svc/config.py": '"""Settings."""\n\nfrom pydantic_settings import BaseSettings\n\n\n'
    'class Settings(BaseSettings):\n    """From the environment."""\n\n    database_url: str\n'
    '    log_level: str = "info"\n    port: int = 8000\n    allowed_origins: list[str] = []\n',
    "src/svc/errors.py": '"""Errors."""\n\n\nclass SvcError(Exception):\n    """Base."""\n',
    "src/svc/metrics.py": '"""Metrics."""\n\nfrom opentelemetry import trace\n'
    "from prometheus_client import Counter\n\n"
    'REQUESTS = Counter("requests_total", "Requests")\ntracer = trace.get_tracer("svc")\n',
    "src/svc/report.py": '"""Crash reporting."""\n\nimport sentry_sdk\n\n\n'
    'def init(dsn: str) -> None:\n    """Start Sentry."""\n    sentry_sdk.init(dsn)\n',
    "src/svc/db.py": '"""Database."""\n\nfrom sqlalchemy import create_engine\n'
    "from sqlalchemy.orm import Session\n\n"
    'engine = create_engine("postgresql://", pool_size=10, connect_args={"connect_timeout": 5})\n\n\n'
    "def save(rows: list[dict]) -> None:\n"
    '    """Insert rows in one transaction."""\n'
    "    with Session(engine) as session, session.begin():\n"
    "        session.add_all(rows)\n",
    "src/svc/client.py": '"""Calls to the billing service."""\n\nimport httpx\n'
    "from tenacity import retry, stop_after_attempt, wait_exponential\n\n\n"
    "@retry(stop=stop_after_attempt(3), wait=wait_exponential())\n"
    "def invoice(url: str) -> dict:\n"
    '    """Fetch an invoice."""\n'
    "    return httpx.get(url, timeout=5).json()\n",
    "src/svc/store.py": '"""Local state."""\n\nimport functools\nimport os\n\n\n'
    "def save(path: str, data: str) -> None:\n"
    '    """Write atomically."""\n'
    '    with open(path + ".tmp", "w") as f:\n        f.write(data)\n'
    '    os.replace(path + ".tmp", path)\n\n\n'
    "@functools.lru_cache\ndef load(path: str) -> str:\n"
    '    """Read once."""\n    with open(path) as f:\n        return f.read()\n',
    "alembic/versions/0001_init.py": '"""Init."""\n\nfrom alembic import op\n\n\n'
    'def upgrade() -> None:\n    op.create_table("t")\n    op.create_index("ix_t", "t", ["id"])\n\n\n'
    'def downgrade() -> None:\n    op.drop_table("t")\n',
    "tests/test_api.py": "from fastapi.testclient import TestClient\n\nfrom svc.main import app\n\n\n"
    'def test_health():\n    assert TestClient(app).get("/healthz").status_code == 200\n',
    "tests/integration/test_db.py": "def test_roundtrip():\n    assert True\n",
    "tests/test_client.py": "import httpx\nimport respx\n\nfrom svc.client import invoice\n\n\n"
    "@respx.mock\ndef test_invoice():\n"
    '    respx.get("https://billing/1").mock(return_value=httpx.Response(200, json={}))\n'
    '    assert invoice("https://billing/1") == {}\n',
    "tests/load/locustfile.py": "from locust import HttpUser, task\n\n\nclass Api(HttpUser):\n"
    '    @task\n    def health(self):\n        self.client.get("/healthz")\n',
    "tests/bench/test_speed.py": "def test_speed(benchmark):\n    assert benchmark(sum, [1, 2])\n",
}

PY_GOOD = RepoSpec(
    "py-service-good",
    _GOOD_FILES,
    languages=("python",),
    expected={
        "TST001": P,
        "TST002": P,
        "TST003": P,
        "TST004": P,
        "TST006": P,
        "TST007": P,
        "TST008": P,
        "TST009": P,
        "TST010": P,
        "TST011": P,
        "TST012": P,
        "TST013": NA,
        "CQ001": P,
        "CQ002": P,
        "CQ003": P,
        "CQ004": P,
        "CQ005": P,
        "CQ006": P,
        "CQ007": P,
        "CQ008": P,
        "CQ012": P,
        "ERR001": P,
        "ERR002": P,
        "ERR008": P,
        "SEC001": P,
        "SEC002": P,
        "SEC003": P,
        "SEC004": P,
        "SEC005": P,
        "SEC026": P,
        "SEC029": P,
        "SEC030": NA,  # writes no key or credential files
        "SEC006": P,
        "SEC007": P,
        "SEC008": P,
        "SEC009": P,
        "SEC010": P,
        "SEC011": P,
        "SEC012": P,
        "SEC013": P,
        "SEC014": F,
        "SEC015": P,
        "SEC016": P,
        "SEC017": P,
        "SEC020": P,
        "SEC021": P,
        "SEC022": P,
        "SEC024": P,
        "OBS001": P,
        "OBS002": P,
        "OBS003": P,
        "OBS004": P,
        "OBS005": P,
        "OBS006": P,
        "OBS007": P,
        "OBS008": P,
        "OBS009": P,
        "PERF001": P,
        "PERF002": P,
        "PERF004": P,
        "PERF005": P,
        "PERF006": P,
        "REL001": P,
        "REL002": P,
        "REL003": F,
        "REL004": P,
        "REL005": P,
        "REL006": P,
        "CFG001": P,
        "CFG002": P,
        "CFG003": P,
        "CFG004": P,
        "CFG006": P,
        "CFG007": P,
        "DATA001": P,
        "DATA002": P,
        "DATA003": P,
        "DATA004": P,
        "DATA005": P,
        "DOC001": P,
        "DOC002": P,
        "DOC003": P,
        "DOC004": P,
        "DOC005": P,
        "DOC006": P,
        "DOC008": P,
        "DOC009": P,
        "DEP001": P,
        "DEP002": P,
        "DEP003": P,
        "DEP004": P,
        "DEP005": P,
        "DEP008": P,
        "DEP009": P,
        "DEP011": P,
        "DEP013": P,  # [project.scripts] svc
        "DEP014": P,
    },
)

_AWS = "AKIA" + "Z7QX3RDL2MNB4VHS"

PY_BAD = RepoSpec(
    "py-flask-neglected",
    {
        "requirements.txt": "flask\nrequests\npyyaml\n",
        "app.py": "import hashlib\nimport os\nimport pickle\nimport subprocess\n\nimport requests\n"
        "import yaml\nfrom flask import Flask, request\nfrom flask_cors import CORS\n\n"
        f'AWS_ACCESS_KEY_ID = "{_AWS}"\n'
        "app = Flask(__name__)\nCORS(app)\n\n\n"
        '@app.route("/run")\ndef run():\n'
        '    subprocess.call(request.args["cmd"], shell=True)\n'
        '    return eval(request.args["expr"])\n\n\n'
        '@app.route("/load")\ndef load():\n'
        "    try:\n        return pickle.loads(request.data)\n    except:\n        pass\n\n\n"
        "def config(text):\n    return yaml.load(text)\n\n\n"
        "def hash_password(p):\n    return hashlib.md5(p.encode()).hexdigest()\n\n\n"
        "def find(cur, name):\n"
        "    cur.execute(f\"SELECT * FROM users WHERE name = '{name}'\")\n\n\n"
        "def sync(urls):\n    for u in urls:\n        print(u)\n"
        "        requests.get(u, verify=False)\n        print('done')\n\n\n"
        "def dump(path, data):\n    print('dumping')\n"
        "    with open(path, 'w') as f:\n        f.write(data)\n    print('ok')\n    print('bye')\n\n\n"
        'if __name__ == "__main__":\n    app.run(debug=True)\n',
        "db.py": "import sqlite3\n\n\ndef connect():\n    conn = sqlite3.connect('app.db')\n"
        "    conn.execute('CREATE TABLE IF NOT EXISTS users (name text)')\n    return conn\n",
    },
    languages=("python",),
    expected={
        "TST001": F,
        "TST002": F,
        "TST003": F,
        "TST005": F,
        "TST006": NA,
        "TST010": NA,
        "TST011": F,
        "TST012": F,
        "CQ001": F,
        "CQ002": F,
        "CQ003": F,
        "CQ005": F,
        "CQ008": F,
        "CQ009": F,
        "ERR001": F,
        "ERR002": F,
        "ERR008": F,
        "SEC001": F,
        "SEC002": F,
        "SEC003": F,
        "SEC004": F,
        "SEC005": F,
        "SEC026": NA,
        "SEC006": F,
        "SEC007": F,
        "SEC008": F,
        "SEC009": F,
        "SEC011": F,
        "SEC012": F,
        "SEC028": NA,
        "SEC013": F,
        "SEC014": F,
        "SEC015": F,
        "SEC027": NA,
        "SEC016": F,
        "SEC020": F,
        "SEC021": F,
        "OBS001": F,
        "OBS002": F,
        "OBS003": F,
        "OBS004": F,
        "OBS005": F,
        "OBS006": F,
        "OBS007": F,
        "OBS009": NA,
        "PERF001": F,
        "PERF003": F,
        "PERF005": NA,
        "PERF006": F,
        "REL001": F,
        "REL002": F,
        "REL004": F,
        "REL005": F,
        "REL006": F,
        "CFG001": F,
        "CFG003": F,
        "CFG004": NA,
        "CFG006": NA,
        "DATA001": F,
        "DATA002": F,
        "DATA004": F,
        "DATA005": F,
        "DATA006": NA,
        "DOC001": F,
        "DOC003": F,
        "DOC005": F,
        "DOC007": F,
        "DOC008": F,
        "DOC009": F,
        "DEP001": F,
        "DEP002": NA,
        "DEP005": NA,
        "DEP006": NA,
        "DEP008": F,
        "DEP009": F,
        "DEP013": F,  # started only by `python app.py` (app.run at the bottom)
        "DEP014": P,  # requirements.txt
    },
)

PY_TRICKY = RepoSpec(
    "py-library-tricky",
    {
        "pyproject.toml": "[project]\nname = 'tidy'\nversion = '0.3.0'\n"
        "dependencies = ['structlog>=24', 'tenacity>=8', 'requests>=2.31']\n\n"
        "[tool.ruff]\n[tool.mypy]\n",
        "poetry.lock": "# lock\n",
        "README.md": "# tidy\n\n## Install\n\n```\npip install tidy\n```\n\n## Usage\n\n"
        "`tidy.fetch(url)`\n",
        ".github/workflows/ci.yml": "on: [push, pull_request]\njobs:\n  t:\n    runs-on: x\n"
        "    steps:\n      - run: make test\n",
        "Makefile": "test:\n\tpython -m pytest src\n",
        "src/tidy/__init__.py": '"""Tidy: fetch and cache documents."""\n\nimport hashlib\nimport logging\n\n'
        "import requests\n\nlog = logging.getLogger(__name__)\n"
        'PASSWORD = "changeme"\n'
        "DOC = 'the server calls http.ListenAndServe(addr) in Go'\n\n\n"
        "def fetch(url: str) -> str:\n"
        '    """Fetch a document."""\n'
        "    log.info('fetching %s', url)\n"
        "    return requests.get(url, timeout=10).text\n\n\n"
        "def cache_key(body: bytes) -> str:\n"
        '    """A content address for the cache."""\n'
        "    return hashlib.md5(body).hexdigest()\n\n\n"
        "def parse(text: str) -> int:\n"
        '    """Parse an int."""\n'
        "    try:\n        return int(text)\n    except ValueError:\n"
        "        log.warning('bad int %r', text)\n        raise\n",
        "src/tidy/tests/test_fetch.py": "from tidy import cache_key, parse\n\n\n"
        "def test_key():\n    assert cache_key(b'a') == eval(repr(cache_key(b'a')))\n\n\n"
        "def test_parse():\n    assert parse('1') == 1\n",
    },
    languages=("python",),
    expected={
        "TST001": P,
        "TST002": P,
        "TST006": P,
        "SEC001": P,
        "SEC002": P,
        "SEC016": P,
        "OBS001": P,
        # A library logs through stdlib logging; the application picks the format (the
        # validation on real packages changed this label from F).
        "OBS002": NA,
        "CQ012": F,
        "REL001": P,
        "REL002": F,
        "DEP001": NA,
        "SEC012": NA,
        "OBS004": NA,
        "OBS006": NA,
        "REL004": NA,
        "CFG001": NA,
        "DATA001": NA,
        "DEP008": P,
        "DEP013": NA,  # a library ships the package itself
        "DEP014": P,
        "SEC020": P,
        "SEC029": NA,  # a library: the question is for applications
        "SEC021": P,
        "ERR002": P,
        "ERR009": P,
        "DOC002": P,
        "CQ002": F,
        "TST008": P,
    },
)

PY_LINT_ONLY = RepoSpec(
    "py-ci-lints-only",
    {
        "pyproject.toml": "[project]\nname = 'lintonly'\ndependencies = []\n[tool.ruff]\n",
        ".github/workflows/lint.yml": "on: pull_request\njobs:\n  lint:\n    runs-on: x\n"
        "    steps:\n      - uses: actions/checkout@main\n      - run: ruff check .\n",
        "lintonly/config.py": "import os\n\n"
        "# GITHUB_TOKEN = 'ghp_" + "Qm3xT9vR2kL7pW4nZ8cB1yH6jF5dS0aE3uGt'\n"
        'TOKEN = os.environ.get("GITHUB_TOKEN", "")\n',
        "lintonly/core.py": "def add(a: int, b: int) -> int:\n    return a + b\n",
        "tests/test_core.py": "from lintonly.core import add\n\n\ndef test_add():\n"
        "    assert add(1, 2) == 3\n",
    },
    languages=("python",),
    expected={
        "TST001": P,
        "TST002": F,
        "CQ002": P,
        "SEC001": F,
        "SEC024": F,
        "TST008": P,
        "CQ001": P,
        "CQ005": F,
        "SEC009": F,
        "DEP001": NA,
        "SEC020": NA,
        "DEP014": NA,  # imports only the standard library
    },
)

REPOS = [PY_GOOD, PY_BAD, PY_TRICKY, PY_LINT_ONLY]
