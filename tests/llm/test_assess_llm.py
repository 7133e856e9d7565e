"""``assess`` end to end with an LLM judge: the fake server over HTTP, the real pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.options import AssessOptions, ModelOptions
from pipeline.runner import assess
from pipeline.secrets import redact_secrets
from tests.fakes.openai_server import FakeOpenAI, citing_responder

TOKEN = "ghp_" + "Wq3kR8vN2xL5pT9bY7cF1hJ4mZ6sD0aE3gU8"


def small_repo(root: Path) -> Path:
    (root / "app").mkdir(parents=True)
    (root / "tests").mkdir()
    (root / "app" / "__init__.py").write_text("")
    (root / "app" / "main.py").write_text(
        "import logging\n\nlog = logging.getLogger(__name__)\n\n\n"
        "def handle(event):\n    try:\n        return event['body']\n"
        "    except KeyError:\n        log.exception('no body')\n        raise\n"
    )
    (root / "app" / "settings.py").write_text(f'GITHUB_TOKEN = "{TOKEN}"\nDEBUG = False\n')
    (root / "tests" / "test_main.py").write_text(
        "from app.main import handle\n\n\ndef test_handle():\n    assert handle({'body': 1}) == 1\n"
    )
    # Rules and hooks whose text comes from wherever the user's settings do: the probes
    # cannot trace that input (SEC002, SEC003 cannot tell), and a command-line program's
    # need for caching cannot be told from its code (PERF002): three questions stay open.
    (root / "app" / "plugins.py").write_text(
        "import subprocess\n\n\n"
        "def apply_rule(rule, record):\n"
        "    return eval(rule, {'__builtins__': {}}, {'record': record})\n\n\n"
        "def run_hook(command):\n"
        "    subprocess.run(command, shell=True, check=True)\n"
    )
    (root / "app" / "store.py").write_text(
        "import json\nimport os\n\nfrom platformdirs import user_data_dir\n\n\n"
        "def save(name, data):\n"
        "    path = os.path.join(user_data_dir('small'), name)\n"
        "    with open(path, 'w') as fh:\n        json.dump(data, fh)\n"
    )
    (root / "README.md").write_text("# small\n\nRun `small`.\n")
    (root / "pyproject.toml").write_text(
        '[project]\nname = "small"\nversion = "0.1"\n\n'
        '[project.scripts]\nsmall = "app.main:handle"\n'
    )
    return root


@pytest.mark.slow
def test_assess_with_an_llm_judge_is_grounded_cached_and_secret_free(
    fake_openai: FakeOpenAI, tmp_path: Path
) -> None:
    fake_openai.responder = citing_responder
    repo = small_repo(tmp_path / "small")
    model = ModelOptions(model="openai/fake", api_base=fake_openai.base_url, timeout_s=10)
    options = AssessOptions(
        path=repo, out=tmp_path / "out", cache_dir=tmp_path / "cache", model=model
    )

    report = assess(options).report

    requests = len(fake_openai.requests)
    assert requests >= 1 and report.usage.llm_requests == requests
    llm = [f for f in report.findings if f.source == "llm"]
    assert llm, "the LLM's grounded findings reach the report"
    answered = [q for q in report.questions if q.source == "llm"]
    assert answered and all(q.usage is not None and q.usage.llm_requests for q in answered)
    asked = [q for q in report.questions if q.usage is not None]
    assert sum(q.usage.llm_requests for q in asked if q.usage) == requests  # usage per question
    for finding in llm:
        ev = finding.evidence[0]
        lines = redact_secrets((repo / ev.path).read_text())[0].splitlines()
        assert ev.snippet.strip() in "\n".join(lines[ev.start_line - 1 : ev.end_line])
    assert {"judge/system.j2", "judge/question.j2", "judge/reask.j2"} <= set(report.prompts)
    assert not any(TOKEN in body for body in fake_openai.bodies)
    written = json.loads((tmp_path / "out" / "report.json").read_text())
    assert written["usage"]["llm_requests"] == requests
    assert TOKEN not in (tmp_path / "out" / "report.json").read_text()

    again = assess(
        AssessOptions(path=repo, out=tmp_path / "out2", cache_dir=tmp_path / "cache", model=model)
    ).report
    assert len(fake_openai.requests) == requests  # unchanged evidence: zero calls
    assert again.usage.llm_requests == 0
    assert [f.id for f in again.findings] == [f.id for f in report.findings]
