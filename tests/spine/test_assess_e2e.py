"""`readiness assess` end to end: the real CLI, real MiniLM, real ChromaDB on disk."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.assemble import validate_report_json
from tests.fakes.openai_server import FakeOpenAI

pytestmark = pytest.mark.slow

READINESS = [sys.executable, "-m", "pipeline.cli"]

SERVICE = {
    "pyproject.toml": '[project]\nname = "svc"\nversion = "0.1.0"\ndependencies = ["flask"]\n',
    "README.md": "# svc\n\nA tiny service.\n",
    "svc/__init__.py": "",
    "svc/app.py": (
        "from flask import Flask\n"
        "\n"
        "app = Flask(__name__)\n"
        "\n"
        'AWS_SECRET_ACCESS_KEY = "q8Vt3Zr1Lk9Pm2Xw7Ny4Bc6Hd0Jf5Gs1Ta8Ue3Ri"\n'
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


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def run_cli(*args: str, cache: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "READINESS_CACHE_DIR": str(cache)}
    return subprocess.run(
        [*READINESS, *args], capture_output=True, text=True, env=env, timeout=timeout
    )


def stable(report: dict) -> dict:
    """The report without what legitimately differs between two runs."""
    return {k: v for k, v in report.items() if k not in ("generated_at", "usage")}


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> Path:
    return write_tree(tmp_path_factory.mktemp("repo") / "svc", SERVICE)


@pytest.fixture(scope="module")
def first_run(service, tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache")
    out = tmp_path_factory.mktemp("out")
    result = run_cli("assess", str(service), "--out", str(out), cache=cache)
    assert result.returncode == 0, result.stderr
    return cache, out, json.loads((out / "report.json").read_text()), result


def test_report_hands_the_planted_secret_to_the_reviewer_at_its_line(first_run):
    # A secret-like literal is a suspicion (scoring/confirm.py): whether it is a live key the
    # code cannot show. It is no gap the report claims; it is the first thing the reviewer
    # is asked to confirm, critical if it is one, and gates still count it.
    _, out, report, _ = first_run
    validate_report_json(report)
    [secrets] = [c for c in report["checks"] if c["id"] == "SEC001"]
    assert secrets["outcome"] == "fail" and secrets["to_confirm"]
    assert any(
        e["path"] == "svc/app.py" and e["start_line"] <= 5 <= e["end_line"]
        for e in secrets["evidence"]
    ), "the hard-coded AWS key at svc/app.py:5 is not cited"
    assert not [f for f in report["findings"] if f.get("check_id") == "SEC001"]
    md = (out / "report.md").read_text()
    reviewer = md.split("## For the reviewer")[1].split("## Roadmap")[0]
    assert "(SEC001; critical if confirmed)" in reviewer and "svc/app.py:5" in reviewer
    # The secret itself never reaches a report.
    assert "q8Vt3Zr1Lk9Pm2Xw7Ny4" not in md
    assert "q8Vt3Zr1Lk9Pm2Xw7Ny4" not in json.dumps(report)


def test_report_is_complete_and_scored(first_run):
    _, out, report, result = first_run
    assert 0 <= report["overall_score"] <= 100
    assert [c["id"] for c in report["categories"]][:2] == ["code_quality", "testing"]
    # The offline drafter embeds only for the questions the probes left open (to point the
    # reviewer at code), and every open question then names where to look or what was searched.
    left_open = [q for q in report["questions"] if q["status"] == "open"]
    assert (report["usage"]["embeddings_computed"] > 0) == bool(left_open)
    assert all(q["pointers"] or q["searched"] for q in left_open)
    assert report["profile"]["kinds"] == ["web_service"]
    assert report["coverage"]["files_included"] == len(SERVICE)
    assert "report.md" in result.stdout


def test_second_run_embeds_nothing_and_calls_no_llm(first_run, service):
    cache, _, report, _ = first_run
    out2 = service.parent / "out2"
    result = run_cli("assess", str(service), "--out", str(out2), cache=cache)
    assert result.returncode == 0, result.stderr
    again = json.loads((out2 / "report.json").read_text())
    assert again["usage"]["embeddings_computed"] == 0
    assert again["usage"]["llm_requests"] == 0
    assert stable(again) == stable(report)


def test_killed_llm_run_resumes_without_resending_completed_requests(tmp_path):
    """SIGKILL in the middle of judging: every answer the killed run received was durable
    before its next request, so the re-run sends only the questions it had not finished
    (counted at the fake server), and the report equals one made in a single run."""
    from tests.fakes.openai_server import citing_responder
    from tests.llm.test_assess_llm import small_repo

    repo = small_repo(tmp_path / "small")
    slow = lambda request: replace(citing_responder(request), delay_s=0.4)  # noqa: E731
    with FakeOpenAI(responder=slow) as fake:
        cache, out = tmp_path / "cache", tmp_path / "out"
        env = {**os.environ, "READINESS_CACHE_DIR": str(cache), "OPENAI_API_KEY": "sk-test"}
        # Without the configuration and data probes, six questions stay open for the model.
        model = ["--model", "openai/fake", "--api-base", fake.base_url, "--concurrency", "1"]
        model += ["--ignore", "CFG,DAT"]
        proc = subprocess.Popen(
            [*READINESS, "assess", str(repo), "--out", str(out), *model],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 240
        # Kill it once two questions are answered: four are still ahead.
        while time.monotonic() < deadline and len(list(cache.glob("runs/*/answer-*.json"))) < 2:
            if proc.poll() is not None:
                break
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert not (out / "report.json").exists(), "the run finished before it could be killed"
        answered = {p.name.split("-")[1] for p in cache.glob("runs/*/answer-*.json")}
        sent_before = len(fake.requests)
        asked_before = {_question_of(r) for r in fake.requests}
        result = run_cli("assess", str(repo), "--out", str(out), *model, cache=cache)
        assert result.returncode == 0, result.stderr
        resent = fake.requests[sent_before:]
        # No answered question is asked again; at most the one in flight at the kill is.
        again = {_question_of(r) for r in resent}
        assert not again & answered, (again, answered)
        assert len(again & asked_before) <= 1
        resumed = json.loads((out / "report.json").read_text())
        single = run_cli(
            "assess", str(repo), "--out", str(tmp_path / "single"), *model, cache=tmp_path / "c2"
        )
        assert single.returncode == 0, single.stderr
    reference = json.loads((tmp_path / "single" / "report.json").read_text())
    assert stable(resumed) == stable(reference)


def _question_of(request) -> str:
    """The question id a request is about (the question prompt or the adversary's)."""
    from tests.llm.test_faults import asked_about

    return asked_about(request)


def write_binaries(folder: Path) -> Path:
    folder.mkdir()
    (folder / "a.so").write_bytes(b"\0\x01\x02" * 100)
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0")
    return folder


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing", "no such directory"),
        (lambda p: (p / "f.txt").write_text("x") and p / "f.txt", "not a directory"),
        (lambda p: (p / "empty").mkdir() or p / "empty", "nothing to assess"),
        (lambda p: write_binaries(p / "bin"), "nothing to assess"),
    ],
    ids=["missing", "file", "empty", "binaries-only"],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, make, message):
    target = make(tmp_path)
    result = run_cli("assess", str(target), "--out", str(tmp_path / "o"), cache=tmp_path / "c")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_bad_options_are_exit_2(tmp_path, service):
    result = run_cli(
        "assess", str(service), "--format", "pdf", "--out", str(tmp_path), cache=tmp_path
    )
    assert result.returncode == 2 and "unknown format" in result.stderr
    negative = run_cli(
        "assess", str(service), "--max-requests", "-3", "--out", str(tmp_path), cache=tmp_path
    )
    assert negative.returncode == 2 and "--max-requests" in negative.stderr


def test_a_scope_with_nothing_to_read_is_an_error_not_a_score(tmp_path):
    repo = write_tree(tmp_path / "svc", SERVICE)
    (repo / "docs_only").mkdir()
    result = run_cli(
        "assess", str(repo), "--scope", "docs_only", "--out", str(tmp_path / "o"), cache=tmp_path
    )
    assert result.returncode == 2
    assert "nothing to assess in --scope docs_only" in result.stderr.strip().splitlines()[-1]
    assert not (tmp_path / "o" / "report.md").exists()


def test_output_and_cache_inside_the_repository_are_not_assessed(tmp_path):
    repo = write_tree(tmp_path / "svc", SERVICE)
    cache, out = repo / "cache", repo / "reports"
    first = run_cli("assess", str(repo), "--out", str(out), cache=cache)
    assert first.returncode == 0, first.stderr
    second = run_cli("assess", str(repo), "--out", str(out), cache=cache)
    assert second.returncode == 0, second.stderr
    report = json.loads((out / "report.json").read_text())
    # The first run's report and checkpoints did not become part of the repository.
    assert report["coverage"]["files_included"] == len(SERVICE)
    assert report["coverage"]["skipped"]["readiness_output"] > 0
    assert report["usage"]["embeddings_computed"] == 0


def test_reports_are_readable_by_others_as_a_plain_file_would_be(tmp_path):
    from pipeline.checkpoint import atomic_write_text

    target = tmp_path / "report.md"
    atomic_write_text(target, "# report\n")
    old = os.umask(0o022)
    os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o666 & ~old
