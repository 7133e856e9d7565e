"""Running the real command line in a subprocess, and tiny repositories to point it at."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

READINESS = [sys.executable, "-m", "pipeline.cli"]
ROOT = Path(__file__).resolve().parents[2]

# A Flask service with a swallowed exception (ERR002, medium) and debug mode on (CFG003, high).
SERVICE = {
    "pyproject.toml": '[project]\nname = "svc"\nversion = "0.1.0"\ndependencies = ["flask"]\n',
    "README.md": "# svc\n\nA tiny service.\n",
    "svc/__init__.py": "",
    "svc/app.py": (
        "from flask import Flask\n"
        "\n"
        "app = Flask(__name__)\n"
        "\n"
        "\n"
        "def load(path):\n"
        "    try:\n"
        "        return open(path).read()\n"
        "    except Exception:\n"
        "        pass\n"
        "\n"
        "\n"
        '@app.route("/items/<item_id>")\n'
        "def item(item_id):\n"
        '    return {"id": item_id}\n'
        "\n"
        "\n"
        'if __name__ == "__main__":\n'
        '    app.run(host="0.0.0.0", debug=True)\n'
    ),
}
SWALLOWED_AGAIN = (
    "\n\ndef save(path, text):\n"
    "    try:\n"
    '        open(path, "w").write(text)\n'
    "    except Exception:\n"
    "        pass\n"
)


# A route that fetches with TLS verification switched off (SEC005, high). (A shell command
# built from the request would be a suspicion to confirm, no gap: scoring/confirm.py.)
UNVERIFIED_FETCH = (
    '\n\n@app.route("/mirror")\n'
    "def mirror():\n"
    "    import requests\n"
    "\n"
    '    return requests.get("https://example.com/feed", timeout=5, verify=False).text\n'
)


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def git_repo(root: Path, files: dict[str, str]) -> Path:
    write_tree(root, files)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "init")
    return root


def clean_env(cache: Path, **extra: str) -> dict[str, str]:
    """The environment of a user who set nothing but the cache folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("READINESS_")}
    env.update({"READINESS_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)}, **extra)
    return env


def run_cli(
    *args: str,
    cache: Path,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*READINESS, *args],
        capture_output=True,
        text=True,
        env={**clean_env(cache), **(env or {})},
        cwd=cwd,
        timeout=timeout,
    )


def report_of(out: Path) -> dict:
    return json.loads((out / "report.json").read_text())


def check_ids(out: Path) -> set[str]:
    return {c["id"] for c in report_of(out)["checks"]}
