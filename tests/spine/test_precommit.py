""".pre-commit-hooks.yaml: valid for pre-commit, and its hook run by pre-commit itself fails
a commit that adds a critical or high gap (compared with HEAD, by occurrence) and passes
one that does not."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from pre_commit.clientlib import load_manifest

from tests.spine.cli_helpers import ROOT, SERVICE, UNVERIFIED_FETCH, git, git_repo

MANIFEST = ROOT / ".pre-commit-hooks.yaml"


def test_the_manifest_is_valid_and_runs_probes_only():
    [hook] = load_manifest(str(MANIFEST))
    entry = shlex.split(hook["entry"])
    assert entry[:2] == ["readiness", "assess"]
    assert "--probes-only" in entry and entry[entry.index("--fail-on-new") + 1] == "high"
    assert hook["pass_filenames"] is False and hook["language"] == "python"


@pytest.fixture
def repo(tmp_path) -> Path:
    """A committed service whose pre-commit config runs our hook (as a local hook: the same
    definition, with this checkout as its program instead of an installed package)."""
    root = git_repo(tmp_path / "svc", SERVICE)
    [hook] = yaml.safe_load(MANIFEST.read_text())
    shim = tmp_path / "bin" / "readiness"
    shim.parent.mkdir()
    shim.write_text(
        f'#!/bin/sh\nPYTHONPATH="{ROOT}" exec "{sys.executable}" -m pipeline.cli "$@"\n'
    )
    shim.chmod(0o755)
    local = {**hook, "language": "system", "entry": f"{shim} {hook['entry'].split(' ', 1)[1]}"}
    local.pop("minimum_pre_commit_version", None)
    config = {"repos": [{"repo": "local", "hooks": [local]}]}
    (root / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    git(root, "add", ".pre-commit-config.yaml")
    git(root, "commit", "-qm", "pre-commit")
    return root


def pre_commit(repo: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("READINESS_")}
    env["PRE_COMMIT_HOME"] = str(repo.parent / "pre-commit-home")
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "readiness", "--color", "never"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_hook_fails_on_a_new_high_gap_and_passes_otherwise(repo):
    # HEAD's own gaps (the first swallowed exception, debug mode...) are not new.
    clean = pre_commit(repo)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    app = repo / "svc/app.py"
    app.write_text(app.read_text() + UNVERIFIED_FETCH)
    git(repo, "add", "svc/app.py")
    added = pre_commit(repo)
    assert added.returncode == 1, added.stdout
    assert "gate failed: 1 new gap at high or worse since HEAD: SEC005 (high) at svc/app.py:" in (
        added.stdout
    )
    # Once it is committed (the author's choice), the same gap is HEAD's and no longer new.
    git(repo, "commit", "-qm", "accept it")
    assert pre_commit(repo).returncode == 0
    # Its cache and report stay out of git: nothing untracked is left behind.
    assert git(repo, "status", "--porcelain") == ""
