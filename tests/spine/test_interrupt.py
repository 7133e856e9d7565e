"""Ctrl-C in every stage: exit 130 with one line, checkpoints kept, the same command resumes.

The run is a real ``readiness assess`` subprocess; SIGINT is sent once its progress lines
(plain mode: stderr is a pipe) show it inside the stage under test.
"""

from __future__ import annotations

import json
import signal
import subprocess
from pathlib import Path

import pytest

from tests.fakes.openai_server import FakeOpenAI, Reply
from tests.spine.cli_helpers import READINESS, clean_env, run_cli, write_tree

HANG_GUARD = 120  # seconds: a run that ignores Ctrl-C fails the test instead of hanging it


def generated_repo(root: Path, modules: int, functions: int) -> Path:
    """A command-line Python package of ``modules`` files with ``functions`` small functions
    each; every module also evaluates a formula, runs a hook through a shell, saves state or
    picks expired entries.

    A run with a model has five open questions to retrieve (and embed) evidence for, each
    from its own modules: SEC002 and SEC003 cannot trace the formula's or the hook's origin,
    REL007 cannot tell whether several processes share the state files, DATA007 cannot read
    what the retention setting removes, and whether a command-line program needs a cache
    cannot be told from its code (PERF002).
    """
    files = {
        "pyproject.toml": '[project]\nname = "gen"\nversion = "1.0"\n\n'
        '[project.scripts]\ngen = "gen.cli:main"\n',
        "README.md": "# gen\n",
        "gen/cli.py": "import shelve\nimport sys\n\nRETENTION_DAYS = 30\n\n\ndef main():\n"
        "    with shelve.open('gen-history') as runs:\n        runs[str(len(runs))] = sys.argv\n",
    }
    body = "".join(
        f"def handler_{n}(value):\n"
        f'    """Turn value into result number {n} of module {{m}}."""\n'
        f"    if value is None:\n"
        f"        raise ValueError('value {n} is missing')\n"
        f"    return [item * {n} for item in value if item]\n\n\n"
        for n in range(functions)
    )
    extras = [
        "def formula(expression, value):\n    return eval(expression, {}, {'value': value})\n",
        "import subprocess\n\n\n"
        "def hook(command):\n    return subprocess.run(command, shell=True).returncode\n",
        "import json\n\n\n"
        "def save_state(path, state):\n    with open(path, 'w') as fh:\n"
        "        json.dump(state, fh)\n",
        "def expired(entries, max_age, now):\n"
        '    """Entries older than max_age: the caller decides whether to delete them."""\n'
        "    return [e for e in entries if now - e['created'] > max_age]\n",
    ]
    for m in range(modules):
        extra = extras[m % len(extras)]  # each question its own modules, so its own chunks
        module = body.replace("{m}", str(m))  # no two chunks alike: each is embedded
        files[f"gen/part{m // 40}/mod{m}.py"] = f'"""Module {m}."""\n\n\n{module}{extra}'
    return write_tree(root, files)


def interrupt_when(args: list[str], cache: Path, seen: str, env: dict[str, str] | None = None):
    """Run ``readiness ARGS``, send SIGINT once a stderr line contains ``seen``."""
    proc = subprocess.Popen(
        [*READINESS, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**clean_env(cache), **(env or {})},
    )
    assert proc.stderr is not None
    before = []
    for line in proc.stderr:
        before.append(line)
        if seen in line:
            proc.send_signal(signal.SIGINT)
            break
    else:
        proc.wait(HANG_GUARD)
        pytest.fail(f"never saw {seen!r}: {''.join(before)}")
    stdout, rest = proc.communicate(timeout=HANG_GUARD)
    return proc.returncode, "".join(before) + rest, stdout


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    # About 35,000 lines: long enough that each stage is still running when SIGINT lands.
    return generated_repo(tmp_path_factory.mktemp("big") / "gen", modules=200, functions=25)


@pytest.mark.parametrize(
    "seen", [" ingest ", "ingest done"], ids=["while-reading-files", "while-probing"]
)
def test_ctrl_c_exits_130_and_the_same_command_completes_after(tmp_path, big, seen):
    out, cache = tmp_path / "out", tmp_path / "cache"
    args = ["assess", str(big), "--probes-only", "--out", str(out)]
    code, stderr, _ = interrupt_when(args, cache, seen)
    assert code == 130, stderr
    assert stderr.strip().splitlines()[-1].startswith("interrupted: run the same command again")
    assert "Traceback" not in stderr
    assert not (out / "report.json").exists()
    again = run_cli(*args, cache=cache)
    assert again.returncode == 0, again.stderr
    assert json.loads((out / "report.json").read_text())["coverage"]["files_included"] > 200


@pytest.mark.slow
def test_ctrl_c_while_embedding_keeps_what_was_embedded(tmp_path):
    # Five open questions, 30 candidates each: three slices of vectors, Ctrl-C in the second.
    repo = generated_repo(tmp_path / "gen", modules=160, functions=12)
    out, cache = tmp_path / "out", tmp_path / "cache"
    answer = Reply.json({"answer": "cannot_determine", "explanation": "Judged."})
    with FakeOpenAI(responder=lambda _request: answer) as fake:
        args = ["assess", str(repo), "--out", str(out), "--model", "openai/fake"]
        args += ["--api-base", fake.base_url]
        env = {"OPENAI_API_KEY": "sk-test"}
        # Plain progress prints the index stage's counts every tenth of the way.
        code, stderr, _ = interrupt_when(args, cache, ": index ", env=env)
        assert code == 130, stderr
        assert "interrupted: run the same command again" in stderr
        assert not fake.requests, "the judge ran although the run was interrupted"
        # The probes' checkpoint is kept, and so are the vectors embedded before Ctrl-C.
        assert list(cache.glob("runs/*/probes-*.json"))
        assert (cache / "embeddings").is_dir()
        resumed = run_cli(*args, cache=cache, env=env)
        assert resumed.returncode == 0, resumed.stderr
    report = json.loads((out / "report.json").read_text())
    chunks = report["coverage"]["chunks"]
    # The resumed run embedded only what the interrupted one had not (plus the questions).
    assert 0 < report["usage"]["embeddings_computed"] < chunks, (report["usage"], chunks)


def test_a_terminal_shows_counts_and_an_eta_for_a_counted_stage():
    import io

    from rich.console import Console

    from pipeline.commands.common import ConsoleProgress

    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=100, color_system=None)
    progress = ConsoleProgress(console)
    try:
        progress.stage("svc", "index")
        progress.count("svc", "index", 32, 128)
        progress._bar.refresh()  # type: ignore[union-attr]
        shown = screen.getvalue()
        assert "svc index" in shown and "32/128" in shown and "eta" in shown
        progress.finished("svc", "index", "128 embedded")
        progress.stage("svc", "judge")  # a new stage starts with no count of its own
        [task] = progress._bar.tasks  # type: ignore[union-attr]
        assert task.description == "svc judge" and task.total is None
    finally:
        progress.close()
    assert "svc: index done (128 embedded)" in screen.getvalue()
