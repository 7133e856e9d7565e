"""No planted secret leaves the machine or lands anywhere unmasked.

A repository holds a secret of every format the detector knows, in product, configuration,
test, ``.env``, CI and Docker files and in a file name; a batch manifest holds a git URL with
credentials. ``readiness assess`` (offline, and with an LLM judge on a fake server that
records every request) and ``readiness batch`` (twice, so the clone is fetched again) run
on them. Then every byte they wrote is read back: reports, summaries, the dashboard, the
state file, checkpoints, diskcache, ChromaDB's sqlite, the cached clone's git metadata, the
console output and the prompts the fake server received. No raw value may appear in any.
"""

from __future__ import annotations

import os
import random
import string
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.batch.factories import git
from tests.batch.git_server import AuthGitServer
from tests.fakes.openai_server import FakeOpenAI, citing_responder

pytestmark = pytest.mark.slow

READINESS = [sys.executable, "-m", "pipeline.cli"]
_RNG = random.Random(20261130)
ALNUM = string.ascii_letters + string.digits


def rand(n: int, alphabet: str = ALNUM) -> str:
    return "".join(_RNG.choice(alphabet) for _ in range(n))


# Built at run time from a seeded generator: this file holds no secret-shaped literal.
SECRETS: dict[str, str] = {
    "aws key id": "AKIA" + rand(16, string.ascii_uppercase + string.digits),
    "aws secret key": rand(40, ALNUM + "/+"),
    "aws key id in a test tuple": "AKIA" + rand(16, string.ascii_uppercase + string.digits),
    "aws secret key in a test tuple": rand(40, ALNUM + "/+"),
    "github token": "ghp_" + rand(36),
    "gitlab token": "glpat-" + rand(20),
    "slack token": "xoxb-"
    + rand(12, string.digits)
    + "-"
    + rand(13, string.digits)
    + "-"
    + rand(24, string.ascii_lowercase + string.digits),
    "stripe key": "sk_" + "live_" + rand(24),
    "google api key": "AIza" + rand(35),
    "npm token": "npm_" + rand(36),
    "npmrc token": "npm_" + rand(36),
    "pypi token": "pypi-AgEIcHlwaS5vcmc" + rand(80),
    "openai key": "sk-" + "proj-" + rand(64),
    "anthropic key": "sk-" + "ant-api03-" + rand(93) + "AA",
    "jwt": "eyJhbGciOiJIUzI1NiJ9." + "eyJzdWIiOiJ" + rand(30) + "." + rand(43, ALNUM + "-_"),
    "private key body": "MIIEow" + rand(186, ALNUM + "+/"),
    "basic auth password": "pw" + rand(18),
    "password assignment": "Pw" + rand(14) + "!",
    "high entropy assignment": rand(32),
    "hex key under a neutral name": rand(64, "0123456789abcdef"),
    "env value": rand(28),
    "env stripe key": "sk_" + "live_" + rand(24),
    "dockerfile env": rand(30),
    "ci yaml secret": rand(32),
    "yaml config password": "Cfg" + rand(17),
    "test file token": "ghp_" + rand(36),
    "docs token": "glpat-" + rand(20),
    "secret in a file name": "ghp_" + rand(36),
}
MANIFEST_TOKEN = "glpat-" + rand(20)


def planted_files() -> dict[str, str]:
    s = SECRETS
    key_lines = [s["private key body"][i : i + 64] for i in range(0, 192, 64)]
    return {
        "pyproject.toml": '[project]\nname = "planted"\nversion = "0.1.0"\n'
        'dependencies = ["flask"]\n',
        "README.md": f"# planted\n\nClone with `git clone https://oauth2:{s['docs token']}"
        "@gitlab.example.com/o/planted.git`.\n",
        "planted/__init__.py": "",
        "planted/app.py": (
            "from flask import Flask\n\napp = Flask(__name__)\n\n"
            f'AWS_ACCESS_KEY_ID = "{s["aws key id"]}"\n'
            f'aws_secret_access_key = "{s["aws secret key"]}"\n'
            f'GITHUB_TOKEN = "{s["github token"]}"\n'
            f'GITLAB = "{s["gitlab token"]}"\n'
            f'SLACK = "{s["slack token"]}"\n'
            f'STRIPE = "{s["stripe key"]}"\n'
            f'MAPS = "{s["google api key"]}"\n'
            f'PYPI = "{s["pypi token"]}"\n'
            f'OPENAI = "{s["openai key"]}"\n'
            f'ANTHROPIC = "{s["anthropic key"]}"\n'
            f'SESSION = "{s["jwt"]}"\n'
            f'DATABASE_URL = "postgres://app:{s["basic auth password"]}@db:5432/app"\n'
            f'DB_PASSWORD = "{s["password assignment"]}"\n'
            f'session_token = "{s["high entropy assignment"]}"\n'
            f'SIGNING = "{s["hex key under a neutral name"]}"\n\n\n'
            '@app.route("/items/<item_id>")\ndef item(item_id):\n    return {"id": item_id}\n\n\n'
            # An eval whose input SEC002 cannot trace: security.dynamic_code stays open, so
            # the LLM judge is sent this file (secrets and all) and the prompts are checked.
            "def price(rule, values):\n"
            '    return eval(rule, {"__builtins__": {}}, values)\n'
        ),
        "planted/publish.js": f'const token = "{s["npm token"]}";\nmodule.exports = token;\n',
        "certs/server.key": "-----BEGIN RSA PRIVATE KEY-----\n"
        + "\n".join(key_lines)
        + "\n-----END RSA PRIVATE KEY-----\n",
        ".env": f"API_SECRET={s['env value']}\nSTRIPE_KEY={s['env stripe key']}\n",
        ".npmrc": f"//registry.npmjs.org/:_authToken={s['npmrc token']}\n",
        "Dockerfile": "FROM python:3.12-slim\n"
        f'ENV SERVICE_TOKEN={s["dockerfile env"]}\nCMD ["flask", "run"]\n',
        ".github/workflows/ci.yml": "name: ci\non: [push]\njobs:\n  test:\n"
        "    runs-on: ubuntu-latest\n    env:\n"
        f"      DEPLOY_TOKEN: {s['ci yaml secret']}\n"
        "    steps:\n      - uses: actions/checkout@v4\n      - run: pytest\n",
        "config/settings.yaml": "database:\n  user: app\n"
        f"  password: {s['yaml config password']}\n",
        "tests/test_app.py": (
            "from planted.app import app\n\n"
            f'CREDS = ("{s["aws key id in a test tuple"]}", '
            f'"{s["aws secret key in a test tuple"]}")\n'
            f'TOKEN = "{s["test file token"]}"\n\n\n'
            "def test_item():\n    assert app.test_client().get('/items/1').status_code == 200\n"
        ),
        f"keys/{s['secret in a file name']}.txt": "kept for later\n",
    }


@dataclass
class Runs:
    """Where the runs wrote, what they printed, and what the fake judge was sent."""

    repo: Path
    written: list[Path]  # every folder whose files must hold no secret
    clones: list[Path]
    console: list[str]
    prompts: list[str]


def run_cli(*args: str, cache: Path, extra_env: dict[str, str] | None = None) -> str:
    env = {**os.environ, "READINESS_CACHE_DIR": str(cache), **(extra_env or {})}
    done = subprocess.run([*READINESS, *args], capture_output=True, text=True, env=env, timeout=600)
    return f"{done.returncode}\n{done.stdout}\n{done.stderr}"


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    base = tmp_path_factory.mktemp("leaks")
    repo = base / "planted"
    for rel, text in planted_files().items():
        path = repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "planted")
    console: list[str] = []

    offline_out, offline_cache = base / "offline-out", base / "offline-cache"
    result = run_cli(
        "assess", str(repo), "--out", str(offline_out), "--format", "md,json,sarif",
        "--cache-dir", str(offline_cache), cache=offline_cache,
    )  # fmt: skip
    assert result.startswith("0\n"), result
    console.append(result)

    llm_out, llm_cache = base / "llm-out", base / "llm-cache"
    with FakeOpenAI(responder=citing_responder) as fake:
        result = run_cli(
            "assess", str(repo), "--out", str(llm_out), "--format", "md,json,sarif",
            "--cache-dir", str(llm_cache), "--model", "openai/fake",
            "--api-base", fake.base_url, cache=llm_cache,
            extra_env={"OPENAI_API_KEY": "sk-test"},
        )  # fmt: skip
        prompts = fake.bodies
    assert result.startswith("0\n"), result
    assert prompts, "the LLM judge sent nothing: the prompt check would prove nothing"
    console.append(result)

    batch_out, batch_cache = base / "batch-out", base / "batch-cache"
    with AuthGitServer(base / "served", "oauth2", MANIFEST_TOKEN) as server:
        server.publish(repo, "planted.git")
        manifest = base / "repos.txt"
        manifest.write_text(
            f"{repo}\n"
            f"{server.url('planted.git', with_credentials=True)}\n"
            f"{server.url('missing.git', with_credentials=True)}\n"
        )
        for _ in range(2):  # the second run fetches the clone again
            result = run_cli(
                "batch", str(manifest), "--out", str(batch_out), "--cache-dir",
                str(batch_cache), "--format", "md,json,sarif", cache=batch_cache,
            )  # fmt: skip
            assert result.startswith("1\n"), result  # the missing repository fails
            console.append(result)
        authorized = len(server.requests) - server.denied
    assert authorized > 0, "the clone never authenticated: the URL check would prove nothing"
    clones = sorted((batch_cache / "repos").iterdir())
    assert clones, "nothing was cloned"
    return Runs(
        repo=repo,
        written=[offline_out, offline_cache, llm_out, llm_cache, batch_out, batch_cache],
        clones=clones,
        console=console,
        prompts=prompts,
    )


def leaks(data: bytes) -> list[str]:
    """The planted secrets (whole, or their unmasked tail) found in ``data``."""
    text = data.decode("utf-8", "replace")
    found = []
    for label, value in [*SECRETS.items(), ("manifest URL token", MANIFEST_TOKEN)]:
        if value in text or value[-12:] in text:
            found.append(label)
    return found


def written_files(runs: Runs) -> list[Path]:
    """Every file the runs wrote, minus the clones: a clone is a copy of the repository."""
    return [
        path
        for folder in runs.written
        for path in folder.rglob("*")
        if path.is_file()
        and not path.is_symlink()
        and not any(path.is_relative_to(clone) for clone in runs.clones)
    ]


def test_the_planted_repository_has_every_secret_detected(runs: Runs) -> None:
    from pipeline.ingest import ingest_repository

    snapshot = ingest_repository(runs.repo)
    assert snapshot.coverage.skipped.get("secret_in_name") == 1
    shown = "\n".join("\n".join(snapshot.shown_lines(f.path)) for f in snapshot.files)
    missed = leaks(shown.encode())
    assert missed == [], f"not redacted by ingest: {missed}"
    assert len(SECRETS) >= 20


def test_no_output_or_cache_file_holds_a_secret(runs: Runs) -> None:
    files = written_files(runs)
    names = {p.name for p in files}
    # The scan reaches what the issue names; if a stage stops writing one, say so.
    assert {"report.md", "report.json", "report.sarif"} <= names
    assert {"summary.md", "summary.csv", "summary.json", "index.html", "report.html"} <= names
    assert "batch-state.json" in names
    assert any(p.suffix == ".sqlite3" for p in files), "no ChromaDB database was scanned"
    assert any("runs" in p.parts for p in files), "no checkpoint was scanned"
    assert any(p.name == "cache.db" for p in files), "no diskcache was scanned"
    found = {str(p): hits for p in files if (hits := leaks(p.read_bytes()))}
    assert found == {}


def test_the_cached_clone_keeps_no_credential(runs: Runs) -> None:
    for clone in runs.clones:
        metadata = clone / ".git"
        config = (metadata / "config").read_text()
        assert "url = http://127.0.0.1:" in config
        for name in ("config", "FETCH_HEAD", "packed-refs", "logs/HEAD"):
            if (metadata / name).is_file():
                assert leaks((metadata / name).read_bytes()) == [], name
        # Objects and the index hold the repository itself; the manifest's token is in none.
        for path in metadata.rglob("*"):
            if path.is_file():
                assert MANIFEST_TOKEN.encode() not in path.read_bytes(), path


def test_no_prompt_and_no_console_line_holds_a_secret(runs: Runs) -> None:
    assert [leaks(body.encode()) for body in runs.prompts if leaks(body.encode())] == []
    assert [leaks(text.encode()) for text in runs.console if leaks(text.encode())] == []


def test_the_failed_clone_is_reported_without_its_credentials(runs: Runs) -> None:
    summary = (runs.written[4] / "summary.md").read_text()
    assert "missing" in summary and "git clone failed" in summary
    assert "http://127.0.0.1:" in summary
