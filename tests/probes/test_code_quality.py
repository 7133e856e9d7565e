"""Code quality probes: linters and type checkers configured and run, size, hints, deps."""

from __future__ import annotations

from tests.probes.conftest import RunProbe, cases, check_case
from tests.probes.test_testing import PY, wf

LONG = "def big():\n" + "    x = 1\n" * 120
TS = {"src/a.ts": "export const a: number = 1;\n"}

TABLE = [
    (
        "CQ001",
        "pass",
        {**PY, "pyproject.toml": "[project]\nname='a'\n[tool.ruff]\nline-length = 100\n"},
        "pyproject.toml:3",
    ),
    ("CQ001", "pass", {**TS, "eslint.config.js": "export default [];\n"}, "eslint.config.js:1"),
    (
        "CQ001",
        "pass",
        {"main.go": "package main\n", ".golangci.yml": "linters: {}\n"},
        ".golangci.yml:1",
    ),
    ("CQ001", "fail", PY, "pyproject.toml:1"),
    (
        "CQ002",
        "pass",
        {
            **PY,
            **wf("pre-commit run --all-files"),
            ".pre-commit-config.yaml": "repos:\n- repo: x\n  hooks:\n  - id: ruff\n",
        },
        ".pre-commit-config.yaml:4",
    ),
    (
        "CQ002",
        "pass",
        {
            "Cargo.toml": "[package]\nname='a'\n",
            "src/main.rs": "fn main() {}\n",
            **wf("cargo clippy -- -D warnings"),
        },
        ".github/workflows/ci.yml:6",
    ),
    # CQ002 requires CQ001: it asks whether CI runs the linter that is configured.
    (
        "CQ002",
        "fail",
        {**PY, **wf("pytest"), "ruff.toml": "line-length = 90\n"},
        ".github/workflows/ci.yml:1",
    ),
    ("CQ003", "pass", {**PY, "mypy.ini": "[mypy]\nstrict = True\n"}, "mypy.ini:1"),
    (
        "CQ003",
        "pass",
        {**TS, "tsconfig.json": '{\n  "compilerOptions": {"strict": true}\n}\n'},
        "tsconfig.json:2",
    ),
    # tsc checks types with any tsconfig; strict mode only makes it stricter.
    ("CQ003", "pass", {**TS, "tsconfig.json": '{"compilerOptions": {}}\n'}, "tsconfig.json:1"),
    ("CQ003", "fail", {**TS, "package.json": '{"name": "a"}\n'}, "package.json:1"),
    ("CQ003", "not_applicable", {"main.go": "package main\n"}, None),
    ("CQ004", "pass", {**PY, **wf("mypy app.py")}, ".github/workflows/ci.yml:6"),
    ("CQ004", "fail", {**PY, **wf("pytest"), "mypy.ini": "[mypy]\n"}, ".github/workflows/ci.yml:1"),
    ("CQ004", "not_applicable", {"main.go": "package main\n"}, None),
    # Nest's production start compiles with tsc first: the build type-checks.
    (
        "CQ004",
        "pass",
        {
            "tsconfig.json": '{"compilerOptions": {"target": "es2017"}}\n',
            "src/main.ts": "const a: number = 1;\n",
            "package.json": '{"scripts": {\n"prestart:prod": "tsc",\n'
            '"start:prod": "node dist/main.js"}}\n',
        },
        "package.json:2",
    ),
    # A script named otherwise (a developer's watch task) is not the build.
    (
        "CQ004",
        "fail",
        {
            "tsconfig.json": '{"compilerOptions": {"target": "es2017"}}\n',
            "src/main.ts": "const a: number = 1;\n",
            "package.json": '{"scripts": {\n"watch": "tsc -w"}}\n',
        },
        "tsconfig.json:1",
    ),
    ("CQ005", "pass", {**PY, **wf("ruff format --check .")}, ".github/workflows/ci.yml:6"),
    ("CQ005", "fail", {**PY, **wf("pytest")}, ".github/workflows/ci.yml:1"),
    ("CQ006", "pass", PY, "app.py:1"),
    ("CQ006", "fail", {**PY, "big.py": "x = 1\n" * 1100}, "big.py:1"),
    ("CQ007", "pass", PY, "app.py:1"),
    ("CQ007", "fail", {**PY, "big.py": LONG}, "big.py:1"),
    (
        "CQ008",
        "pass",
        {**PY, ".pre-commit-config.yaml": "repos: []\n"},
        ".pre-commit-config.yaml:1",
    ),
    ("CQ008", "fail", PY, "pyproject.toml:1"),
    (
        "CQ009",
        "pass",
        {**PY, "app.py": "def f(x: int) -> int:\n    return x\n"},
        "pyproject.toml:1",
    ),
    ("CQ009", "fail", {**PY, "app.py": "x = 1\ndef f(x):\n    return x\n"}, "app.py:2"),
    ("CQ010", "pass", PY, None),
    ("CQ010", "fail", {**PY, "app.py": "x = 1  # TODO fix\n" * 12}, "app.py:1"),
    ("CQ011", "pass", PY, None),
    ("CQ011", "fail", {**TS, "src/b.ts": "x = 1;\n// @ts-nocheck\n"}, "src/b.ts:2"),
    (
        "CQ012",
        "pass",
        {
            "pyproject.toml": "[project]\nname='a'\ndependencies = ['PyYAML>=6']\n",
            "app.py": "import yaml\n",
        },
        "pyproject.toml:3",
    ),
    (
        "CQ012",
        "fail",
        {
            "pyproject.toml": "[project]\nname='a'\ndependencies = [\n  'requests>=2',\n"
            "  'structlog>=23',\n]\n",
            "app.py": "import requests\n",
        },
        "pyproject.toml:5",
    ),
    ("CQ012", "not_applicable", {"main.go": "package main\n"}, None),
    # Notebooks import in their code cells; the notebook environment is run, not imported.
    (
        "CQ012",
        "pass",
        {
            "requirements.txt": "torch\njupyterlab\nipywidgets\nthop\n",
            "ch01/main.ipynb": '{"cells": [{"cell_type": "code", "source": ["import torch\\n", '
            '"from thop import profile\\n"]}, {"cell_type": "markdown", "source": ["text"]}]}\n',
            "ch01/gpt.py": "import torch\n",
        },
        "requirements.txt:1",
    ),
    # Tools listed to be run are not unused, and ipython is imported as IPython.
    (
        "CQ012",
        "pass",
        {
            "requirements.txt": "tox\nruff\nipython\nclick\n",
            "src/a/ipython.py": "from IPython.core.magic import Magics\n",
            "src/a/cli.py": "import click\n",
        },
        "requirements.txt:1",
    ),
    # A pip freeze in requirements/ lists transitive pins (Jinja2 comes with Flask).
    (
        "CQ012",
        "not_applicable",
        {
            "requirements/common.txt": "Flask==0.12.2\nJinja2==2.9.6\nMarkupSafe==1.1.1\n",
            "app.py": "import flask\n",
        },
        None,
    ),
]


@cases(TABLE)
def test_code_quality_probes(run_probe: RunProbe, probe_id, outcome, files, where) -> None:
    check_case(run_probe, probe_id, outcome, files, where)


def test_linter_inside_a_python_string_is_not_a_linter_run(run_probe: RunProbe) -> None:
    files = {
        **PY,
        **wf("python -c 'print(1)'"),
        "ruff.toml": "line-length = 90\n",
        "app.py": "CMD = 'ruff check'\n",
    }
    assert run_probe("CQ002", files).outcome.value == "fail"


def test_narrow_suppressions_naming_a_rule_are_not_blanket(run_probe: RunProbe) -> None:
    narrow = {**PY, "app.py": "x = f()  # type: ignore[attr-defined]\n" * 12}
    result = run_probe("CQ011", narrow)
    assert result.outcome.value == "pass"
    # The pass never says there are no suppressions when narrow ones exist.
    assert "12 narrow suppressions" in result.message and "app.py:1" in result.message
    blanket = {**PY, "app.py": "x = f()  # type: ignore\n" * 12}
    assert run_probe("CQ011", blanket).outcome.value == "fail"


def test_an_example_apps_or_fixtures_manifest_is_not_the_projects(run_probe: RunProbe) -> None:
    files = {
        **PY,
        "examples/demo/pyproject.toml": "[project]\nname = 'demo'\ndependencies = ['django']\n",
        "tests/data/pkg/pyproject.toml": "[project]\nname = 'x'\ndependencies = ['six']\n",
    }
    result = run_probe("CQ012", files)
    assert "django" not in result.message and "six" not in result.message


def test_suppressions_naming_no_rule_are_blanket(run_probe: RunProbe) -> None:
    # A rule-less eslint-disable comment, a code-less noqa, a linter-less nolint, each
    # switches off every rule on its line: never "no blanket suppression".
    blanket = {
        "ui/src/Layout.tsx": "// eslint-disable-next-line\nconst A = (c: any) => c;\n",
        "ui/src/Nav.tsx": "const s = {\n    // eslint-disable-next-line -- typing\n    a: 1,\n};\n",
        "a.py": "import os  # noqa\nimport re  # noqa: F401\n",
        "m.go": "package m\n\nfunc f() {} //nolint\n",
    }
    result = run_probe("CQ011", blanket)
    assert result.outcome.value == "pass" and result.evidence[0].location == "a.py:1"
    assert result.message.startswith("4 blanket suppressions"), result.message
    assert "1 narrow suppression name" in result.message
