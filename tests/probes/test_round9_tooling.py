"""What held-out round 9 taught about tooling claims (zoxide, loguru, hyperfine, mae): each
case rebuilt small beside the one that must stay as it is."""

from __future__ import annotations

from tests.probes.conftest import RunProbe
from tests.probes.test_testing import PY, wf

_FLOW = "on: [push]\njobs:\n  t:\n    runs-on: x\n    steps:\n"
_SHA = "b4ffde65f46336ab88eb53be808477a3936bae11"


def test_an_action_on_a_named_branch_is_unpinned(run_probe: RunProbe) -> None:
    def pinning(*refs: str) -> tuple[str, str]:
        steps = "".join(f"      - uses: {ref}\n" for ref in refs)
        result = run_probe("SEC024", {**PY, ".github/workflows/ci.yml": _FLOW + steps})
        return result.outcome.value, result.message

    outcome, message = pinning("actions/checkout@v4", "dtolnay/rust-toolchain@stable")
    assert outcome == "fail" and "rust-toolchain@stable" in message and "branch" in message
    assert pinning("actions/checkout@v4", "pypa/gh-action-pypi-publish@release/v1")[0] == "fail"
    # Versions stay versions, a full SHA stays pinned.
    outcome, message = pinning(
        "actions/checkout@v4", "actions/setup-python@v5.1.0", "Swatinem/rust-cache@2.7.3"
    )
    assert outcome == "pass" and "release tag" in message
    outcome, message = pinning(f"actions/checkout@{_SHA}")
    assert outcome == "pass" and "all by full commit SHA" in message


def test_pyright_switched_off_configures_no_type_checking(run_probe: RunProbe) -> None:
    off = '[tool.pyright]\n# Types live in a stub file.\ntypeCheckingMode = "off"\n'
    files = {**PY, "pyproject.toml": PY["pyproject.toml"] + off}
    result = run_probe("CQ003", files)
    assert result.outcome.value == "fail" and "pyproject.toml:5" in result.message
    for mode in ('typeCheckingMode = "basic"\n', 'typeCheckingMode = "strict"\n', ""):
        on = {**PY, "pyproject.toml": PY["pyproject.toml"] + "[tool.pyright]\n" + mode}
        assert run_probe("CQ003", on).outcome.value == "pass"
    # Off, with rules turned back on, checks that much.
    rules = off + 'reportGeneralTypeIssues = "error"\n'
    ruled = {**PY, "pyproject.toml": PY["pyproject.toml"] + rules}
    assert run_probe("CQ003", ruled).outcome.value == "pass"
    # mypy ignoring every error checks nothing; ignoring one module's errors still checks.
    ignored = {**PY, "mypy.ini": "[mypy]\nignore_errors = True\n"}
    assert run_probe("CQ003", ignored).outcome.value == "fail"
    partly = {**PY, "mypy.ini": "[mypy]\nstrict = True\n\n[mypy-vendor.*]\nignore_errors = True\n"}
    assert run_probe("CQ003", partly).outcome.value == "pass"


def test_a_test_that_runs_mypy_still_checks_types(run_probe: RunProbe) -> None:
    off = '[tool.pyright]\ntypeCheckingMode = "off"\n'
    typing_test = (
        "import mypy.api\n\n\ndef test_stub():\n"
        '    _, _, status = mypy.api.run(["--strict", "-c", "import app"])\n'
        "    assert status == 0\n"
    )
    files = {
        **PY,
        "pyproject.toml": PY["pyproject.toml"] + off,
        "tests/test_typing.py": typing_test,
        **wf("pytest"),
    }
    result = run_probe("CQ003", files)
    assert result.outcome.value == "pass" and "tests/test_typing.py:1" in result.message
    assert "off" in result.message
    assert run_probe("CQ004", files).outcome.value == "pass"
    untested = {**files, **wf("ruff check .")}
    assert run_probe("CQ004", untested).outcome.value == "fail"


def test_python_scripts_beside_a_rust_product_need_no_type_checker(run_probe: RunProbe) -> None:
    rust = {
        "Cargo.toml": '[package]\nname = "x"\nversion = "0.1.0"\n',
        "src/main.rs": 'fn main() {\n    println!("hi");\n}\n',
        "scripts/plot_histogram.py": "import json\n\n\ndef plot(f):\n    return json.load(f)\n",
    }
    result = run_probe("CQ003", rust)
    # A project that ships no Python: its scripts/ are maintainers' helpers, not product.
    assert result.outcome.value == "not_applicable"
    # Python that is the product's code (its package, or code outside the scripts) still fails.
    packaged = {**rust, "pyproject.toml": "[project]\nname = 'x'\n"}
    assert run_probe("CQ003", packaged).outcome.value == "fail"
    bindings = {**rust, "python/x/__init__.py": "def f():\n    return 1\n"}
    assert run_probe("CQ003", bindings).outcome.value == "fail"
    assert run_probe("CQ003", PY).outcome.value == "fail"


def test_a_contributing_paragraph_on_where_security_bugs_go(run_probe: RunProbe) -> None:
    guide = (
        "# Contributing\n\n## Issues\nWe use GitHub issues to track public bugs.\n\n"
        "We have a [bounty program](https://example.com/whitehat/) for the safe\n"
        "disclosure of security bugs. In those cases, please go through the process\n"
        "outlined on that page and do not file a public issue.\n\n## License\nMIT.\n"
    )
    result = run_probe("SEC007", {**PY, "CONTRIBUTING.md": guide})
    assert result.outcome.value == "pass" and "CONTRIBUTING.md:6-8" in result.message
    mailed = guide.replace(
        "We have a [bounty program](https://example.com/whitehat/) for the safe\n"
        "disclosure of security bugs. In those cases, please go through the process\n"
        "outlined on that page and do not file a public issue.\n",
        "Found a vulnerability? Email security@example.com.\n",
    )
    assert run_probe("SEC007", {**PY, "CONTRIBUTING.md": mailed}).outcome.value == "pass"
    passing = guide.replace(
        "We have a [bounty program](https://example.com/whitehat/) for the safe\n"
        "disclosure of security bugs. In those cases, please go through the process\n"
        "outlined on that page and do not file a public issue.\n",
        "Keep dependencies secure and up to date; security matters to us.\n",
    )
    assert run_probe("SEC007", {**PY, "CONTRIBUTING.md": passing}).outcome.value == "fail"
    # A vulnerability named in a code block is no policy.
    fenced = "# Contributing\n\n```\nvulnerability: do not open issues\n```\n"
    assert run_probe("SEC007", {**PY, "CONTRIBUTING.md": fenced}).outcome.value == "fail"
