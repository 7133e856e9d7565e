"""The command line as a user meets it: version, help, completion, settings and their
precedence, probe selection, excludes and vendoring, formats, gates, release artifacts.

Every test runs the real CLI in a subprocess (``python -m pipeline.cli``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pipeline import __version__
from tests.spine.cli_helpers import (
    SERVICE,
    check_ids,
    git_repo,
    report_of,
    run_cli,
    write_tree,
)

COMMANDS = [["assess"], ["batch"], ["compare"], ["explain"], ["eval"], ["doctor"]]
COMMANDS += [["cache"], ["cache", "stats"], ["cache", "clear"]]


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> Path:
    return write_tree(tmp_path_factory.mktemp("repo") / "svc", SERVICE)


def one_line_error(result) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


# --- version, help, completion -------------------------------------------------------------


def test_version_is_printed_with_long_and_short_flags(tmp_path):
    for flag in ("--version", "-V"):
        result = run_cli(flag, cache=tmp_path)
        assert result.returncode == 0
        assert result.stdout.strip() == f"readiness {__version__}"


def test_dash_h_is_help_everywhere():
    from typer.testing import CliRunner

    from pipeline.cli import PROG_NAME, app

    runner = CliRunner()
    for command in [[], *COMMANDS]:
        short = runner.invoke(app, [*command, "-h"], prog_name=PROG_NAME)
        long = runner.invoke(app, [*command, "--help"], prog_name=PROG_NAME)
        assert short.exit_code == 0, (command, short.output)
        assert short.output == long.output
        assert f"Usage: readiness {' '.join(command)}".rstrip() in short.output, short.output


def test_shell_completion_completes_commands_and_option_values(tmp_path):
    def complete(words: str) -> list[str]:
        env = {
            "_READINESS_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - 1),
        }
        result = run_cli(cache=tmp_path, env=env)
        assert result.returncode == 0, result.stderr
        return result.stdout.split()

    assert complete("readiness ass") == ["assess"]
    assert complete("readiness assess --fail-on h") == ["high"]
    script = run_cli("--show-completion", "bash", cache=tmp_path)
    assert "_READINESS_COMPLETE=complete_bash" in script.stdout


# --- settings: readiness.toml, environment, command line --------------------------------------


@pytest.mark.slow  # several full runs
def test_select_comes_from_command_line_then_environment_then_file_then_default(tmp_path, service):
    repo = write_tree(tmp_path / "repo", {**SERVICE, "readiness.toml": 'select = ["SEC"]\n'})
    env = {"READINESS_SELECT": "DOC001,DOC002"}

    def probes(*args: str, **extra: str) -> set[str]:
        out = tmp_path / f"out-{len(list(tmp_path.iterdir()))}"
        result = run_cli(
            "assess", str(args[0]), "--probes-only", "--out", str(out), *args[1:],
            cache=tmp_path / "cache", env=extra,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return check_ids(out)

    assert probes(repo, "--select", "TST001", "--select", "TST002", **env) == {"TST001", "TST002"}
    assert probes(repo, **env) == {"DOC001", "DOC002"}
    from_file = probes(repo)
    assert from_file and all(c.startswith("SEC") for c in from_file)
    assert len(probes(service)) > len(from_file)


@pytest.mark.slow  # several full runs
def test_gate_settings_follow_the_same_precedence(tmp_path):
    repo = write_tree(tmp_path / "repo", {**SERVICE, "readiness.toml": "fail-under = 100\n"})

    def code(*args: str, **env: str) -> int:
        out = tmp_path / "out"
        result = run_cli(
            "assess", str(repo), "--probes-only", "--out", str(out), *args,
            cache=tmp_path / "cache", env=env,
        )  # fmt: skip
        return result.returncode

    assert code() == 1  # the file's fail-under
    assert code(READINESS_FAIL_UNDER="0") == 0  # the environment beats the file
    assert code("--fail-under", "100", READINESS_FAIL_UNDER="0") == 1  # the flag beats both


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('model = "offline"\nselct = ["SEC"]\n', "readiness.toml:2: unknown key 'selct'"),
        ('select = "SEC"\n', "readiness.toml:1: select: must be a list, not a string"),
        ('\n[roles]\nfixture = ["a/**"]\nvendor = ["x/**"]\n', "readiness.toml:4: roles.vendor"),
        ("[[waive]]\nid = 'X'\nstatus = 'ok'\nreason = 'r'\n", "readiness.toml:3: waive[1].status"),
        ("rpm = -1\n", "readiness.toml:1: rpm: must be > 0"),
        ('select = ["NOPE"]\n', "readiness.toml:1: select: 'NOPE' matches no probe"),
    ],
    ids=["unknown-key", "wrong-type", "unknown-role", "bad-enum", "bad-number", "bad-select"],
)
def test_config_errors_name_file_line_and_key(tmp_path, body, expected):
    repo = write_tree(tmp_path / "repo", {**SERVICE, "readiness.toml": body})
    result = run_cli("assess", str(repo), "--out", str(tmp_path / "o"), cache=tmp_path / "c")
    assert one_line_error(result).startswith(f"error: {expected}")


def test_pyproject_tool_table_is_checked_as_strictly(tmp_path):
    pyproject = SERVICE["pyproject.toml"] + '\n[tool.readiness]\nselect = ["SEC"]\nfoo = 1\n'
    repo = write_tree(tmp_path / "repo", {**SERVICE, "pyproject.toml": pyproject})
    result = run_cli("assess", str(repo), "--out", str(tmp_path / "o"), cache=tmp_path / "c")
    assert "pyproject.toml:8: tool.readiness: unknown key 'foo'" in one_line_error(result)


def test_shipped_config_schema_knows_every_role_and_kind():
    from typing import get_args

    from pipeline.config import config_schema
    from pipeline.schemas import KINDS, FileRole

    schema = config_schema()
    assert schema["properties"]["roles"]["propertyNames"]["enum"] == list(get_args(FileRole))
    assert schema["$defs"]["kind"]["enum"] == list(KINDS)


# --- select / ignore --------------------------------------------------------------------------


def test_select_and_ignore_take_ids_prefixes_and_categories(tmp_path, service):
    out = tmp_path / "out"
    result = run_cli(
        "assess", str(service), "--probes-only", "--out", str(out),
        "--select", "security,ERR", "--ignore", "SEC0,ERR002",
        cache=tmp_path / "c",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    ids = check_ids(out)
    assert ids and all(i.startswith(("SEC1", "SEC2", "ERR")) for i in ids)
    assert "ERR002" not in ids and "ERR001" in ids
    bad = run_cli("assess", str(service), "--select", "SQL", "--out", str(out), cache=tmp_path)
    assert "--select: 'SQL' matches no probe" in one_line_error(bad)


# --- what is read: excludes, vendoring, the size cap ------------------------------------------

VENDORED = {
    # cargo vendor: any folder name, marked by .cargo-checksum.json in each crate
    "third/crates/serde/.cargo-checksum.json": "{}\n",
    "third/crates/serde/src/lib.rs": "pub fn f() {}\n",
    # go mod vendor, node_modules, pip's _vendor, yarn's cache
    "vendor/github.com/x/y/y.go": "package y\n",
    "web/node_modules/left-pad/index.js": "module.exports = 1;\n",
    "pkg/_vendor/six.py": "x = 1\n",
    ".yarn/unplugged/a/index.js": "x = 1;\n",
    # linguist-vendored in .gitattributes (read without git too)
    ".gitattributes": "ext/** linguist-vendored\n",
    "ext/lib/big.py": "y = 2\n",
    # exclude globs and the vendored role in readiness.toml
    "readiness.toml": 'exclude = ["scratch/**", "*.gen.py"]\n[roles]\nvendored = ["copied/**"]\n',
    "scratch/notes.py": "z = 3\n",
    "svc/models.gen.py": "w = 4\n",
    "copied/lib.py": "v = 5\n",
}


@pytest.mark.parametrize(
    "with_git", [True, pytest.param(False, marks=pytest.mark.slow)], ids=["git", "sdist"]
)
def test_excludes_and_vendored_code_are_not_read(tmp_path, with_git):
    make = git_repo if with_git else write_tree
    repo = make(tmp_path / "repo", {**SERVICE, **VENDORED})
    out = tmp_path / "out"
    result = run_cli("assess", str(repo), "--probes-only", "--out", str(out), cache=tmp_path)
    assert result.returncode == 0, result.stderr
    coverage = report_of(out)["coverage"]
    # Only the service itself (and .gitattributes, readiness.toml) is read.
    assert coverage["files_included"] == len(SERVICE) + 2, coverage
    assert coverage["skipped"]["excluded"] == 2
    if with_git:  # without git, vendored folders are pruned whole (vendored_dir)
        assert coverage["skipped"]["vendored"] == 8, coverage
    assert "third/crates" not in (out / "report.md").read_text()


def test_a_repository_over_the_file_cap_is_refused_before_reading(tmp_path, service):
    result = run_cli(
        "assess", str(service), "--max-files", "3", "--out", str(tmp_path / "o"), cache=tmp_path
    )
    line = one_line_error(result)
    assert "4 files to read, more than the cap of 3" in line and "exclude" in line
    capped = write_tree(tmp_path / "capped", {**SERVICE, "readiness.toml": "max-files = 2\n"})
    result = run_cli("assess", str(capped), "--out", str(tmp_path / "o"), cache=tmp_path)
    assert "more than the cap of 2" in one_line_error(result)


# --- formats and files ------------------------------------------------------------------------


def test_every_format_is_written_readable_by_others(tmp_path, service):
    out = tmp_path / "out"
    result = run_cli(
        "assess", str(service), "--probes-only", "--format", "md,json,sarif,html",
        "--out", str(out), cache=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    for name in ("report.md", "report.json", "report.sarif", "report.html"):
        assert (out / name).stat().st_mode & 0o777 == 0o644, name
    html = (out / "report.html").read_text()
    assert html.startswith("<!doctype html>") and "<table>" in html
    assert "All repositories" not in html  # no dashboard to go back to
    assert "svc/app.py:19" in html
    # A second run overwrites its own HTML (it recognises it) and nothing else.
    again = run_cli(
        "assess", str(service), "--probes-only", "--format", "html", "--out", str(out),
        cache=tmp_path,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr


# --- gates ------------------------------------------------------------------------------------


def test_gates_exit_1_with_one_line_reason_each(tmp_path, service):
    def assess(*gates: str):
        return run_cli(
            "assess", str(service), "--probes-only", "--out", str(tmp_path / "o"), *gates,
            cache=tmp_path,
        )  # fmt: skip

    passing = assess("--fail-under", "0", "--select", "DOC", "--fail-on", "critical")
    assert passing.returncode == 0, passing.stderr
    under = assess("--fail-under", "99")
    assert under.returncode == 1
    assert re.search(
        r"^gate failed: overall score \d+% is below --fail-under 99$", under.stderr, re.M
    )
    high = assess("--fail-on", "high")
    assert high.returncode == 1
    [line] = [x for x in high.stderr.splitlines() if x.startswith("gate failed")]
    assert "open gaps at high or worse: " in line and "svc/app.py:" in line
    bad = assess("--fail-on", "severe")
    assert bad.returncode == 2


# --- release artifacts ------------------------------------------------------------------------


@pytest.mark.slow  # several full runs
def test_a_source_distribution_is_reported_as_a_release_artifact(tmp_path, service):
    sdist = write_tree(
        tmp_path / "svc-0.1.0",
        {**SERVICE, "PKG-INFO": "Metadata-Version: 2.1\nName: svc\nVersion: 0.1.0\n"},
    )
    out = tmp_path / "out"
    result = run_cli("assess", str(sdist), "--probes-only", "--out", str(out), cache=tmp_path)
    assert result.returncode == 0, result.stderr
    artifact = report_of(out)["repo"]["release_artifact"]
    assert artifact.startswith("a Python source distribution") and "no tests" in artifact
    assert "A release artifact, not the repository." in (out / "report.md").read_text()
    assert "note: this looks like a Python source distribution" in result.stdout
    # The repository it came from (a git checkout) is not one.
    checkout = git_repo(tmp_path / "checkout", SERVICE)
    plain = run_cli("assess", str(checkout), "--probes-only", "--out", str(out), cache=tmp_path)
    assert report_of(out)["repo"]["release_artifact"] is None, plain.stderr


@pytest.mark.slow  # several full runs
def test_an_npm_tarball_without_tests_or_ci_is_one(tmp_path):
    package = write_tree(
        tmp_path / "package",
        {
            "package.json": json.dumps({"name": "lib", "version": "1.0.0", "main": "index.js"}),
            "index.js": "module.exports = function add(a, b) { return a + b; };\n",
            "README.md": "# lib\n",
        },
    )
    out = tmp_path / "out"
    result = run_cli("assess", str(package), "--probes-only", "--out", str(out), cache=tmp_path)
    assert result.returncode == 0, result.stderr
    assert report_of(out)["repo"]["release_artifact"].startswith("an npm package tarball")
