"""action.yml, run locally: its shell steps execute as a script, in order, the way a runner
would run them (``bash --noprofile --norc -eo pipefail``), with the inputs, ``GITHUB_*``
files and step outputs a runner provides. The ``uses:`` steps are checked, not run: the
SARIF handed to upload-sarif must exist and be valid."""

from __future__ import annotations

import json
import os
import re
import site
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.spine.cli_helpers import ROOT, SERVICE, git_repo

ACTION = ROOT / "action.yml"
EXPRESSION = re.compile(r"\$\{\{\s*(.+?)\s*\}\}")


class Runner:
    """Just enough of a GitHub runner for a composite action's steps."""

    def __init__(self, tmp: Path, workspace: Path, inputs: dict[str, str], path: str) -> None:
        self.action = yaml.safe_load(ACTION.read_text())
        defaults = {k: v.get("default", "") for k, v in self.action["inputs"].items()}
        self.inputs = {**defaults, **inputs}
        self.tmp, self.workspace, self.path = tmp, workspace, path
        self.summary = tmp / "step_summary.md"
        self.outputs: dict[str, dict[str, str]] = {}
        self.uploaded: list[Path] = []

    def value(self, expression: str) -> str:
        if expression.startswith("inputs."):
            return str(self.inputs[expression.removeprefix("inputs.")])
        if expression == "github.action_path":
            return str(ROOT)
        if expression == "runner.temp":
            return str(self.tmp)
        found = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expression)
        if found:
            return self.outputs.get(found.group(1), {}).get(found.group(2), "")
        raise AssertionError(f"the test runner does not know ${{{{ {expression} }}}}")

    def expand(self, text: str) -> str:
        return EXPRESSION.sub(lambda m: self.value(m.group(1)), str(text))

    def run(self, skip: tuple[str, ...] = ()) -> int:
        """Run every step; the exit code of the first failing shell step (0 if none)."""
        for step in self.action["runs"]["steps"]:
            if step["name"] in skip:
                continue
            if "uses" in step:
                self.check_uses(step)
                continue
            code = self.shell(step)
            if code != 0:
                return code
        return 0

    def check_uses(self, step: dict) -> None:
        action = step["uses"]
        if action.startswith("actions/setup-python@"):
            assert self.expand(step["with"]["python-version"]) == self.inputs["python-version"]
        elif action.startswith("github/codeql-action/upload-sarif@"):
            if self.inputs["upload-sarif"] != "true":
                return
            sarif = Path(self.expand(step["with"]["sarif_file"]))
            assert sarif.is_file(), f"upload-sarif is handed {sarif}, which does not exist"
            assert json.loads(sarif.read_text())["version"] == "2.1.0"
            self.uploaded.append(sarif)
        else:
            raise AssertionError(f"unexpected action {action}")

    def shell(self, step: dict) -> int:
        assert step["shell"] == "bash"
        outputs = self.tmp / f"output-{step.get('id', 'x')}.txt"
        outputs.write_text("")
        env = {k: v for k, v in os.environ.items() if not k.startswith("READINESS_")}
        env.update({k: self.expand(v) for k, v in step.get("env", {}).items()})
        env.update(
            PATH=self.path,
            RUNNER_TEMP=str(self.tmp),
            GITHUB_WORKSPACE=str(self.workspace),
            GITHUB_STEP_SUMMARY=str(self.summary),
            GITHUB_OUTPUT=str(outputs),
            GITHUB_ACTION_PATH=str(ROOT),
        )
        script = self.tmp / "step.sh"
        script.write_text(self.expand(step["run"]))
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=self.workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        self.log = getattr(self, "log", "") + done.stdout + done.stderr
        if "id" in step:
            self.outputs[step["id"]] = dict(
                line.split("=", 1) for line in outputs.read_text().splitlines() if "=" in line
            )
        return done.returncode


@pytest.fixture
def workspace(tmp_path) -> Path:
    return git_repo(tmp_path / "workspace", SERVICE)


def shim_path(tmp_path: Path) -> str:
    """``readiness`` on PATH runs this checkout (the install step is the slow test's)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "readiness"
    shim.write_text(
        f'#!/bin/sh\nPYTHONPATH="{ROOT}" exec "{sys.executable}" -m pipeline.cli "$@"\n'
    )
    shim.chmod(0o755)
    return f"{bin_dir}:{Path(sys.executable).parent}:{os.environ['PATH']}"


def test_the_action_assesses_uploads_sarif_and_writes_the_job_summary(tmp_path, workspace):
    runner = Runner(tmp_path / "temp", workspace, {"args": "--probes-only"}, shim_path(tmp_path))
    runner.tmp.mkdir()
    assert runner.run(skip=("Install readiness",)) == 0, runner.log
    assert runner.summary.read_text().startswith("# Production Readiness Assessment: workspace")
    [sarif] = runner.uploaded
    assert sarif.parent == runner.tmp / "readiness-report"
    outputs = runner.outputs["assess"]
    assert outputs["exit-code"] == "0" and outputs["score"].isdigit()
    assert outputs["status"] == json.loads((sarif.parent / "report.json").read_text())["status"]
    assert (sarif.parent / "report.html").is_file()


def test_a_failed_gate_still_uploads_then_fails_the_job(tmp_path, workspace):
    inputs = {"args": "--probes-only", "fail-on": "high"}
    runner = Runner(tmp_path / "temp", workspace, inputs, shim_path(tmp_path))
    runner.tmp.mkdir()
    assert runner.run(skip=("Install readiness",)) == 1, runner.log
    assert runner.uploaded, "the SARIF was not uploaded before the gate failed the job"
    assert "gate failed: " in runner.log and "open gaps at high or worse" in runner.log
    assert runner.summary.read_text().startswith("# Production Readiness Assessment")


def test_bad_input_fails_at_the_assess_step_without_an_upload(tmp_path, workspace):
    runner = Runner(tmp_path / "temp", workspace, {"args": "--select NOPE"}, shim_path(tmp_path))
    runner.tmp.mkdir()
    assert runner.run(skip=("Install readiness",)) == 2, runner.log
    assert not runner.uploaded
    assert "'NOPE' matches no probe" in runner.log


@pytest.mark.slow
def test_the_install_step_installs_this_checkout(tmp_path, workspace):
    """The whole action, install step included: into a fresh venv that sees this
    interpreter's packages (torch and the rest are not downloaded again)."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    purelib = subprocess.run(
        [str(venv / "bin/python"), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(purelib, "outer.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    path = f"{venv / 'bin'}:{os.environ['PATH']}"
    inputs = {"args": "--probes-only", "torch-index": ""}
    runner = Runner(tmp_path / "temp", workspace, inputs, path)
    runner.tmp.mkdir()
    assert runner.run() == 0, runner.log
    assert (venv / "bin/readiness").is_file()
    assert runner.uploaded and runner.summary.read_text().startswith("# Production Readiness")
