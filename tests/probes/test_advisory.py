"""Facts that are no gap for the software at hand, and what held-out round 5 taught.

A failed check can say ``advisory``: the fact stands (and answers its question), but for
this software it is no gap. Each case here has the failure that stays a gap beside it.
"""

from __future__ import annotations

from pathlib import Path

from evals.probe_corpus import probe_snapshot, write_files
from pipeline.probes.engine import run_probes
from pipeline.schemas import Profile
from tests.probes.conftest import RunProbe

_FLASK_DB = {
    "pyproject.toml": "[project]\nname = 'shop'\ndependencies = ['flask', 'flask-sqlalchemy']\n",
    "app.py": "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n"
    "app = Flask(__name__)\ndb = SQLAlchemy(app)\n\n\n"
    "class Article(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n\n\n"
    "if __name__ == '__main__':\n    app.run()\n",
    "Dockerfile": 'FROM python:3.12-slim\nCMD ["gunicorn", "app:app"]\n',
}


def test_keeping_the_products_own_records_is_no_retention_gap(run_probe: RunProbe) -> None:
    kept = run_probe("DATA007", _FLASK_DB)
    assert kept.outcome.value == "fail" and "product's own records" in kept.advisory
    tokens = {
        **_FLASK_DB,
        "tokens.py": "from app import db\n\n\nclass RefreshToken(db.Model):\n"
        "    id = db.Column(db.Integer, primary_key=True)\n",
    }
    piling = run_probe("DATA007", tokens)
    assert piling.outcome.value == "fail" and not piling.advisory
    assert piling.evidence[0].location == "tokens.py:4"


def test_a_tools_cache_with_a_maximum_age_is_pruned(run_probe: RunProbe) -> None:
    tool = {
        "pyproject.toml": "[project]\nname = 'pages'\n[project.scripts]\npages = 'pages:main'\n",
        "pages.py": "import argparse\nimport os\nfrom pathlib import Path\n\n"
        "MAX_AGE = int(os.environ.get('PAGES_CACHE_MAX_AGE', 24))\n"
        "CACHE = Path.home() / '.cache' / 'pages'\n\n\n"
        "def main():\n    argparse.ArgumentParser().parse_args()\n"
        "    (CACHE / 'index.json').write_text('{}')\n",
    }
    result = run_probe("DATA007", tool)
    assert result.outcome.value == "pass", result.message


def test_one_module_needs_no_architecture_document(run_probe: RunProbe) -> None:
    one = {
        "README.md": "# tool\n\nUsage: run it.\n",
        "pyproject.toml": "[project]\nname = 'tool'\n",
        "tool.py": "".join(f"def f{i}():\n    return {i}\n\n\n" for i in range(20)),
    }
    single = run_probe("DOC006", one)
    assert single.outcome.value == "fail" and "one module (tool.py" in single.advisory
    two = {**one, "other.py": one["tool.py"]}
    assert not run_probe("DOC006", two).advisory


def test_an_ml_readmes_approach_section_describes_the_design(run_probe: RunProbe) -> None:
    files = {
        "README.md": "# asr\n\n## Approach\n\n"
        + "A Transformer sequence-to-sequence model is trained on many speech tasks, which "
        "are represented as one sequence of tokens the decoder predicts, so that a single "
        "model replaces the stages of a traditional pipeline.\n",
        "asr/model.py": "def encode(x):\n    return x\n",
        "asr/decode.py": "def decode(x):\n    return x\n",
    }
    assert run_probe("DOC006", files).outcome.value == "pass"


def test_concurrency_tests_are_no_gap_for_a_program_that_does_one_thing_at_a_time(
    run_probe: RunProbe,
) -> None:
    cli = {
        "pyproject.toml": "[project]\nname = 'pin'\n[project.scripts]\npin = 'pin:main'\n",
        "pin.py": "import argparse\n\n\ndef main():\n    argparse.ArgumentParser().parse_args()\n",
        "tests/test_pin.py": "import pin\n\n\ndef test_main():\n    assert pin.main\n",
    }
    sequential = run_probe("TST012", cli)
    assert sequential.outcome.value == "fail" and "one thing at a time" in sequential.advisory
    threaded = {
        **cli,
        "pin.py": cli["pin.py"] + "\n\ndef many(jobs):\n"
        "    from concurrent.futures import ThreadPoolExecutor\n"
        "    with ThreadPoolExecutor() as pool:\n        return list(pool.map(str, jobs))\n",
    }
    assert not run_probe("TST012", threaded).advisory


def test_a_pip_installed_tool_has_no_lockfile_gap_but_a_service_has(run_probe: RunProbe) -> None:
    tool = {
        "pyproject.toml": "[build-system]\nrequires = ['hatchling']\n"
        "build-backend = 'hatchling.build'\n[project]\nname = 'pin'\n"
        "dependencies = ['click>=8']\n[project.scripts]\npin = 'pin:main'\n",
        "pin.py": "import click\n\n\n@click.command()\ndef main():\n    pass\n",
    }
    installed = run_probe("SEC020", tool)
    assert installed.outcome.value == "fail" and "install" in installed.advisory
    service = {
        **tool,
        "pin.py": "import click\nfrom flask import Flask\n\napp = Flask(__name__)\n",
        "Dockerfile": 'FROM python:3.12-slim\nCMD ["gunicorn", "pin:app"]\n',
    }
    kept = run_probe("SEC020", service)
    assert kept.outcome.value == "fail" and not kept.advisory


def test_a_jmeter_plan_or_a_readme_benchmark_section_counts(run_probe: RunProbe) -> None:
    base = {"app.py": "def main():\n    return 1\n", "README.md": "# app\n\nRun it.\n"}
    assert run_probe("PERF004", base).outcome.value == "fail"
    plan = run_probe("PERF004", {**base, "src/test/jmeter/crud.jmx": "<jmeterTestPlan/>\n"})
    assert plan.outcome.value == "pass"
    section = "## Benchmark\n\n" + "Searching a large tree is timed with hyperfine " * 6 + "\n"
    documented = run_probe("PERF004", {**base, "README.md": "# app\n\n" + section})
    assert documented.outcome.value == "pass" and documented.partial


def _profile(tmp_path: Path, files: dict[str, str]) -> Profile:
    write_files(tmp_path, files)
    return run_probes(probe_snapshot(tmp_path, None), select=["DOC001"]).profile


def test_a_raw_socket_server_is_a_service_and_its_client_calls_out(tmp_path: Path) -> None:
    files = {
        "Cargo.toml": '[package]\nname = "kv"\n[dependencies]\ntokio = "1"\n',
        "src/bin/server.rs": "use tokio::net::TcpListener;\n\n#[tokio::main]\n"
        "async fn main() {\n"
        '    let listener = TcpListener::bind("127.0.0.1:6379").await.unwrap();\n'
        "    kv::server::run(listener).await;\n}\n",
        "src/lib.rs": "pub mod server;\npub mod client;\n",
        "src/server.rs": "pub async fn run(_l: tokio::net::TcpListener) {}\n",
        "src/client.rs": "pub async fn connect(addr: &str) {\n"
        "    let _s = tokio::net::TcpStream::connect(addr).await;\n}\n",
    }
    profile = _profile(tmp_path, files)
    assert profile.conditions["service"] and profile.conditions["outbound"], profile


def test_an_installed_tool_built_on_a_model_is_no_research(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": "[build-system]\nrequires = ['setuptools']\n[project]\n"
        "name = 'asr'\ndependencies = ['torch']\nscripts.asr = 'asr.cli:main'\n",
        "asr/__init__.py": "import torch\n\n\ndef load():\n    return torch.zeros(1)\n",
        "asr/cli.py": "import argparse\n\n\ndef main():\n    argparse.ArgumentParser()\n",
    }
    kinds = _profile(tmp_path / "tool", files).kinds
    assert "cli" in kinds and "research" not in kinds
    scripts = {k: v for k, v in files.items() if k != "pyproject.toml"}
    assert "research" in _profile(tmp_path / "scripts", scripts).kinds


def test_a_client_of_a_bare_api_host_is_an_sdk(tmp_path: Path) -> None:
    files = {
        "package.json": '{"name": "mail-client", "main": "dist/index.js",'
        ' "dependencies": {"axios": "^1"}}\n',
        "src/client.ts": "import axios from 'axios';\n"
        'const defaults = { requestHost: "api.mailer.com", useHttps: true };\n'
        "export const http = axios.create({ baseURL: `https://${defaults.requestHost}` });\n",
    }
    assert "sdk" in _profile(tmp_path / "sdk", files).kinds
    plain = {**files, "src/client.ts": files["src/client.ts"].replace('"api.mailer.com"', "host")}
    assert "sdk" not in _profile(tmp_path / "lib", plain).kinds


def test_mail_sent_over_smtp_is_an_outbound_call(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": "[project]\nname = 'api'\ndependencies = ['fastapi', 'emails']\n",
        "app/main.py": "from fastapi import FastAPI\n\napp = FastAPI()\n",
        "app/mail.py": "import emails\n\n\ndef send(to):\n"
        "    message = emails.message.Message(subject='hi', html='x')\n"
        "    return message.send(to=to, smtp={'host': 'smtp'})\n",
    }
    assert _profile(tmp_path / "mail", files).conditions["outbound"]
    quiet = {k: v for k, v in files.items() if k != "app/mail.py"}
    assert not _profile(tmp_path / "quiet", quiet).conditions["outbound"]
