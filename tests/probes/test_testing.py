"""Testing probes on tiny repositories: tests found where they live, CI followed to the runner."""

from __future__ import annotations

from tests.probes.conftest import RunProbe, cases, check_case

PY = {"pyproject.toml": "[project]\nname = 'app'\n", "app.py": "def f():\n    return 1\n"}
EXPRESS = "const express = require('express');\nconst app = express();\napp.listen(3000);\n"
SERVED = {"server.py": "from fastapi import FastAPI\napp = FastAPI()\n"}
TEST = {"tests/test_app.py": "def test_f():\n    assert 1\n"}
MANY_TESTS = {f"tests/test_{i}.py": "def test_f():\n    assert 1\n" for i in range(3)}
API = {**PY, "app.py": "from fastapi import FastAPI\napp = FastAPI()\n"}
OUT = {**PY, "app.py": "import requests\n\ndef get(u):\n    return requests.get(u, timeout=5)\n"}
ASSERT = "\ndef test_get():\n    assert 1\n"
PATCHED_CLIENT = (
    "from unittest.mock import patch\n\n"
    '@patch("app.requests.get")\ndef test_get(get):\n    assert get\n'
)
PATCHED_OWN = (
    "from unittest.mock import patch\n\n"
    '@patch("app.compute_total")\ndef test_get(total):\n    assert total\n'
)
PATCHED_SMTP = (
    "from unittest.mock import patch\n\n"
    '@patch("smtplib.SMTP")\ndef test_mail(smtp):\n    assert smtp\n'
)
VCR_MARK = "import pytest\n\n@pytest.mark.vcr\ndef test_get():\n    assert 1\n"
GO_FAKE_TRANSPORT = (
    "package m\n\nfunc (f *fake) RoundTrip(r *http.Request) (*http.Response, error) {\n"
    "\treturn nil, nil\n}\n\nfunc TestGet(t *testing.T) {}\n"
)
JAVA_OUT = {
    "pom.xml": "<project/>\n",
    "src/main/java/a/Prices.java": "package a;\nimport java.net.http.HttpClient;\n"
    "class Prices {\n  HttpClient c = HttpClient.newHttpClient();\n}\n",
}
MOCKITO_CLIENT = (
    "package a;\nclass ATest {\n  @Mock\n  private PriceClient client;\n  @Test\n  void t() {}\n}\n"
)
LIVE_HTTPBIN = 'import app\n\ndef test_get():\n    assert app.get("https://httpbin.org/get")\n'
GO_OUT = {
    "go.mod": "module m\n",
    "client.go": 'package m\n\nimport "net/http"\n\nfunc Get(u string) { http.Get(u) }\n',
}
GO_FAKE_SERVER = (
    'package m\n\nimport "testing"\n\n'
    "func TestGet(t *testing.T) {\n"
    "\tsrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {\n"
    "\t}))\n"
    "\tGet(srv.URL)\n}\n"
)
GO_OWN_SERVER = (
    'package m\n\nimport "testing"\n\n'
    "func TestAPI(t *testing.T) { http.Get(httptest.NewServer(router()).URL) }\n"
)
JS_OUT = {
    "package.json": '{"name": "c"}',
    "src/mail.js": "const nodemailer = require('nodemailer');\n"
    "const transport = nodemailer.createTransport({});\n"
    "exports.send = (m) => transport.sendMail(m);\n",
}
JS_SPY = (
    "test('sends', () => {\n  jest.spyOn(mail.transport, 'sendMail').mockResolvedValue();\n"
    "  expect(1).toBe(1);\n});\n"
)
THREADS = (
    "import threading\n\nimport app\n\n\ndef test_race():\n"
    "    ts = [threading.Thread(target=app.f) for _ in range(8)]\n    assert ts\n"
)
EXPRESS_API = {"package.json": '{"name": "api"}', "src/index.js": EXPRESS}
PROMISE_ALL = "test('a', async () => {\n  await Promise.all([seed(), seed()]);\n});\n"
GO_API = {
    "go.mod": "module m\n",
    "main.go": 'package main\n\nimport "net/http"\n\n'
    'func main() { http.ListenAndServe(":8080", nil) }\n',
}
GO_SERVER_GOROUTINE = (
    'package main\n\nfunc TestServe(t *testing.T) {\n\tgo http.ListenAndServe(":9", nil)\n}\n'
)
RUST_APP = {
    "Cargo.toml": '[package]\nname = "a"\n\n[dependencies]\nclap = "4"\n',
    "src/main.rs": "use clap::Parser;\nfn main() {}\n",
}
RUST_RACE = (
    "use std::thread;\n\n#[test]\nfn counts() {\n"
    "    let hs: Vec<_> = (0..8).map(|_| thread::spawn(a::bump)).collect();\n"
    "    for h in hs { h.join().unwrap(); }\n}\n"
)
RUST_SERVER_TASK = (
    "#[tokio::test]\nasync fn serves() {\n    tokio::spawn(serve(app()));\n"
    '    assert!(get("/").await.is_ok());\n}\n'
)
PY_SERVER_THREAD = (
    "import threading\n\n\ndef test_up(httpd):\n"
    "    threading.Thread(target=httpd.serve_forever, daemon=True).start()\n    assert httpd\n"
)
GO_RACE = (
    'package main\n\nimport "sync"\n\nfunc TestRace(t *testing.T) {\n'
    "\tvar wg sync.WaitGroup\n\tgo func() { defer wg.Done() }()\n\twg.Wait()\n}\n"
)


def wf(*steps: str, on: str = "[push, pull_request]") -> dict[str, str]:
    body = "".join(f"      - run: {s}\n" for s in steps)
    return {
        ".github/workflows/ci.yml": f"on: {on}\njobs:\n  t:\n    runs-on: x\n    steps:\n{body}"
    }


TABLE = [
    ("TST001", "pass", {**PY, **TEST}, "tests/test_app.py:1"),
    (
        "TST001",
        "pass",
        {**PY, "src/pkg/tests/test_x.py": "x = 1\ndef test_x():\n    assert x\n"},
        "src/pkg/tests/test_x.py:2",
    ),
    (
        "TST001",
        "pass",
        {
            "src/lib.rs": "pub fn a() -> u8 { 1 }\n#[cfg(test)]\nmod tests {\n"
            "    #[test]\n    fn t() { assert_eq!(super::a(), 1); }\n}\n"
        },
        "src/lib.rs:4",
    ),
    (
        "TST001",
        "pass",
        {"calc_test.go": "package calc\nfunc TestAdd(t *testing.T) {}\n"},
        "calc_test.go:2",
    ),
    ("TST001", "fail", PY, "pyproject.toml:1"),
    (
        "TST002",
        "pass",
        {**PY, **TEST, **wf("make test"), "Makefile": "test:\n\tpytest -q\n"},
        ".github/workflows/ci.yml:6",
    ),
    (
        "TST002",
        "pass",
        {"package.json": '{"scripts": {"test": "jest"}}', **wf("npm test")},
        ".github/workflows/ci.yml:6",
    ),
    (
        "TST002",
        "pass",
        {**PY, **wf("tox -e py"), "tox.ini": "[tox]\n[testenv]\ncommands = pytest\n"},
        ".github/workflows/ci.yml:6",
    ),
    (
        "TST002",
        "pass",
        {
            **PY,
            ".gitlab-ci.yml": "test:\n  script:\n    - ./scripts/test\n",
            "scripts/test": "#!/bin/sh\npython -m pytest\n",
        },
        ".gitlab-ci.yml:3",
    ),
    (
        "TST002",
        "pass",
        {"go.mod": "module x\n", **wf("go test ./...")},
        ".github/workflows/ci.yml:6",
    ),
    ("TST002", "fail", {**PY, **TEST, **wf("ruff check .")}, ".github/workflows/ci.yml:1"),
    (
        "TST002",
        "fail",
        {**PY, **TEST, **wf("make lint"), "Makefile": "lint:\n\truff check .\n"},
        ".github/workflows/ci.yml:1",
    ),
    ("TST002", "fail", {**PY, **TEST}, "pyproject.toml:1"),
    ("TST003", "pass", {**PY, **wf("pytest --cov=app")}, ".github/workflows/ci.yml:6"),
    # Configuration alone measures nothing: coverage.py runs only when something runs it
    # (the check is partial: the answer is "partly").
    ("TST003", "fail", {**PY, ".coveragerc": "[run]\nbranch = True\n"}, ".coveragerc:1"),
    # Configured, and the plugin that measures it is a development dependency.
    (
        "TST003",
        "pass",
        {
            **PY,
            ".coveragerc": "[run]\nbranch = True\n",
            "requirements-dev.txt": "pytest==8.0\npytest-cov==5.0\n",
        },
        ".coveragerc:1",
    ),
    # Installing the plugin is not running it.
    (
        "TST003",
        "fail",
        {**PY, "Makefile": "deps:\n\tpip install pytest-cov\n"},
        "pyproject.toml:1",
    ),
    # A package script that runs jest --coverage measures it, by hand.
    (
        "TST003",
        "pass",
        {
            "package.json": '{\n  "scripts": {\n    "test:cov": "jest --coverage"\n  }\n}\n',
            "src/a.js": "module.exports = 1;\n",
        },
        "package.json:3",
    ),
    # CI runs a make target whose variables hold go test's coverage flag (gotestsum).
    (
        "TST003",
        "pass",
        {
            "go.mod": "module m\n",
            "main.go": "package main\nfunc main() {}\n",
            "Makefile": "ARGS := -- ./...\nARGS += -test.coverprofile coverage.out\n\n"
            "tests:\n\tgotestsum $(ARGS) -short\n",
            **wf("make tests"),
        },
        "Makefile:5",
    ),
    ("TST003", "fail", {**PY, **wf("pytest")}, "pyproject.toml:1"),
    (
        "TST004",
        "pass",
        {
            "pyproject.toml": "[project]\nname='a'\n[tool.coverage.report]\nfail_under = 80\n",
            "app.py": "x = 1\n",
        },
        "pyproject.toml:4",
    ),
    (
        "TST004",
        "pass",
        {**PY, **wf("pytest --cov=app --cov-fail-under=90")},
        ".github/workflows/ci.yml:6",
    ),
    ("TST004", "fail", {**PY, **wf("pytest --cov=app")}, "pyproject.toml:1"),
    # A Codecov status with a threshold (not informational) fails the check when coverage drops.
    (
        "TST004",
        "pass",
        {
            **PY,
            **wf("pytest --cov=app", "npx codecov"),
            "codecov.yml": "coverage:\n  status:\n    project:\n      default:\n"
            "        target: auto\n        threshold: 0.1%\n        informational: false\n",
        },
        "codecov.yml:6",
    ),
    (
        "TST004",
        "fail",
        {
            **PY,
            **wf("pytest --cov=app", "npx codecov"),
            "codecov.yml": "coverage:\n  status:\n    project:\n      default:\n"
            "        threshold: 1%\n        informational: true\n",
        },
        "pyproject.toml:1",
    ),
    ("TST005", "pass", {**PY, **TEST}, "tests/test_app.py:1"),
    ("TST005", "fail", {**PY, "app.py": "x = 1\n" * 60, **TEST}, "tests/test_app.py:1"),
    ("TST006", "pass", {**PY, **TEST}, "tests/test_app.py:1"),
    (
        "TST006",
        "fail",
        {**PY, "tests/test_app.py": "import app\n\ndef test_f():\n    app.f()\n"},
        "tests/test_app.py:3",
    ),
    ("TST006", "not_applicable", {"main.go": "package main\n"}, None),
    (
        "TST007",
        "pass",
        {**PY, **TEST, **SERVED, "tests/integration/test_api.py": "def test_a():\n  assert 1\n"},
        "tests/integration/test_api.py:1",
    ),
    ("TST007", "fail", {**PY, **TEST, **SERVED}, "tests/test_app.py:1"),
    # Round trips against a live local server (pytest-httpbin's fixture) cross the network seam.
    (
        "TST007",
        "pass",
        {
            **OUT,
            "tests/test_get.py": "import app\n\n\ndef test_get(httpbin):\n"
            "    assert app.get(httpbin.url)\n",
        },
        "tests/test_get.py:4",
    ),
    # A pure in-process library has no seam for an end-to-end test to cross.
    ("TST007", "not_applicable", {**PY, **TEST}, None),
    ("TST008", "pass", {**PY, **wf("pytest")}, ".github/workflows/ci.yml:1"),
    ("TST008", "fail", {**PY, **wf("pytest", on="push")}, ".github/workflows/ci.yml:1"),
    ("TST008", "not_applicable", PY, None),
    ("TST009", "pass", {**PY, **TEST}, "tests/test_app.py:1"),
    (
        "TST009",
        "fail",
        {
            **PY,
            "tests/test_s.py": "import pytest\n" + "@pytest.mark.skip\n"
            "def test_a():\n    assert 1\n" * 3,
        },
        "tests/test_s.py:2",
    ),
    (
        "TST001",
        "pass",
        {"shop/tests.py": "class T(SimpleTestCase):\n    def test_a(self):\n        pass\n"},
        "shop/tests.py:1",
    ),
    # A token suite: one or two test files that are a sliver of the product's code.
    ("TST010", "pass", {**PY, **TEST}, "tests/test_app.py:1"),
    ("TST010", "fail", {**PY, "app.py": "x = 1\n" * 100, **TEST}, "tests/test_app.py:1"),
    ("TST010", "not_applicable", PY, None),
    # Two small files for a small tool are a suite; so are many files, however small.
    ("TST010", "pass", {**PY, "app.py": "x = 1\n" * 30, **TEST}, "tests/test_app.py:1"),
    ("TST010", "pass", {**PY, "app.py": "x = 1\n" * 100, **MANY_TESTS}, "tests/test_0.py:1"),
    # Tests stand in for the services the product calls.
    (
        "TST011",
        "pass",
        {**OUT, "tests/test_app.py": "import responses\n" + ASSERT},
        "tests/test_app.py:1",
    ),
    ("TST011", "pass", {**OUT, "tests/test_app.py": PATCHED_CLIENT}, "tests/test_app.py:3"),
    ("TST011", "pass", {**GO_OUT, "client_test.go": GO_FAKE_SERVER}, "client_test.go:6"),
    ("TST011", "pass", {**JS_OUT, "test/c.test.js": JS_SPY}, "test/c.test.js:2"),
    ("TST011", "pass", {**OUT, "tests/test_app.py": PATCHED_SMTP}, "tests/test_app.py:3"),
    ("TST011", "pass", {**OUT, "tests/test_app.py": VCR_MARK}, "tests/test_app.py:3"),
    ("TST011", "pass", {**GO_OUT, "client_test.go": GO_FAKE_TRANSPORT}, "client_test.go:3"),
    (
        "TST011",
        "pass",
        {**JAVA_OUT, "src/test/java/a/ATest.java": MOCKITO_CLIENT},
        "src/test/java/a/ATest.java:3",
    ),
    ("TST011", "fail", {**OUT, **TEST}, "app.py:4"),
    # A test server around the product's own router tests the service, not a stand-in.
    ("TST011", "fail", {**GO_OUT, "api_test.go": GO_OWN_SERVER}, "client.go:5"),
    ("TST011", "fail", OUT, "app.py:4"),  # no tests: nothing stands in
    # Not doubles: a mock of the product's own function, a real public test service.
    ("TST011", "fail", {**OUT, "tests/test_app.py": PATCHED_OWN}, "app.py:4"),
    ("TST011", "fail", {**OUT, "tests/test_app.py": LIVE_HTTPBIN}, "app.py:4"),
    ("TST011", "not_applicable", {**PY, **TEST}, None),
    # Concurrency on purpose: threads racing in a test, a load-test suite.
    ("TST012", "pass", {**API, "tests/test_race.py": THREADS}, "tests/test_race.py:7"),
    ("TST012", "pass", {**API, "load/plan.jmx": "<jmeterTestPlan/>\n"}, "load/plan.jmx:1"),
    (
        "TST012",
        "pass",
        {**API, "load/script.js": "import http from 'k6/http';\n"},
        "load/script.js:1",
    ),
    ("TST012", "fail", {**API, **TEST}, "tests/test_app.py:1"),
    # Not concurrency tests: a parallel test runner, a Promise.all of fixtures, a goroutine
    # serving a fake upstream.
    ("TST012", "fail", {**API, **TEST, **wf("pytest -n auto")}, "tests/test_app.py:1"),
    ("TST012", "fail", {**EXPRESS_API, "test/a.test.js": PROMISE_ALL}, "test/a.test.js:1"),
    ("TST012", "fail", {**GO_API, "srv_test.go": GO_SERVER_GOROUTINE}, "srv_test.go:3"),
    ("TST012", "pass", {**GO_API, "race_test.go": GO_RACE}, "race_test.go:7"),
    ("TST012", "pass", {**RUST_APP, "tests/race.rs": RUST_RACE}, "tests/race.rs:5"),
    ("TST012", "fail", {**RUST_APP, "tests/api.rs": RUST_SERVER_TASK}, "tests/api.rs:1"),
    ("TST012", "fail", {**API, "tests/test_up.py": PY_SERVER_THREAD}, "tests/test_up.py:4"),
    ("TST012", "not_applicable", {"lib.py": "def f():\n    return 1\n", **TEST}, None),
    # Go's race detector in CI stands in for concurrency tests, in part.
    ("TST013", "pass", {**GO_API, **wf("go test -race ./...")}, ".github/workflows/ci.yml:6"),
    ("TST013", "fail", {**GO_API, **wf("go test ./...")}, ".github/workflows/ci.yml:1"),
    ("TST013", "not_applicable", {**API, **wf("pytest")}, None),
    ("TST013", "not_applicable", {**GO_API, "race_test.go": GO_RACE, **wf("go test")}, None),
]


@cases(TABLE)
def test_testing_probes(run_probe: RunProbe, probe_id, outcome, files, where) -> None:
    check_case(run_probe, probe_id, outcome, files, where)


def test_ci_message_names_the_chain_from_workflow_to_runner(run_probe: RunProbe) -> None:
    files = {**PY, **TEST, **wf("make test"), "Makefile": "test: unit\nunit:\n\tpytest -q\n"}
    result = run_probe("TST002", files)
    assert "pytest -q" in result.message and "Makefile:3" in result.message
    assert [e.location for e in result.evidence] == [".github/workflows/ci.yml:6", "Makefile:3"]


def test_ci_followed_through_task_runners_and_composite_actions(run_probe: RunProbe) -> None:
    hatch = {
        "pyproject.toml": "[project]\nname = 'a'\n[tool.hatch.envs.default.scripts]\n"
        "test = 'pytest -q'\n",
        **wf("hatch run test"),
    }
    result = run_probe("TST002", hatch)
    assert result.outcome.value == "pass" and "pyproject.toml:4" in result.message
    uv = {**PY, **wf("uv run make check"), "Makefile": "check:\n\tpytest\n"}
    assert run_probe("TST002", uv).outcome.value == "pass"
    composite = {
        **PY,
        ".github/workflows/ci.yml": "on: push\njobs:\n  t:\n    steps:\n"
        "      - uses: ./.github/actions/test\n",
        ".github/actions/test/action.yml": "runs:\n  using: composite\n  steps:\n"
        "    - run: go test ./...\n      shell: bash\n",
    }
    result = run_probe("TST002", composite)
    assert result.outcome.value == "pass" and ".github/actions/test/action.yml:4" in result.message


def test_django_test_command_is_a_test_runner(run_probe: RunProbe) -> None:
    files = {**PY, ".gitlab-ci.yml": "test:\n  script:\n    - python manage.py test\n"}
    assert run_probe("TST002", files).outcome.value == "pass"


def test_in_a_monorepo_ci_for_a_sibling_package_does_not_count(run_probe: RunProbe) -> None:
    files = {
        **wf("make -C services/worker test"),
        "services/worker/Makefile": "test:\n\tpytest\n",
        "services/worker/w.py": "x = 1\n",
        "services/api/app.py": "x = 1\n",
        "services/api/tests/test_app.py": "def test_a():\n    assert 1\n",
    }
    assert run_probe("TST002", files, scope="services/api").outcome.value == "fail"
    assert run_probe("TST002", files, scope="services/worker").outcome.value == "pass"


def test_coverage_configured_but_never_run_is_partial(run_probe: RunProbe) -> None:
    result = run_probe("TST003", {**PY, ".coveragerc": "[run]\nbranch = True\n"})
    assert result.outcome.value == "fail" and result.partial
    assert not run_probe("TST003", {**PY, **wf("pytest")}).partial


def test_coverage_started_through_its_api_is_measured(run_probe: RunProbe) -> None:
    manage = (
        "import os\nCOV = None\nif os.environ.get('FLASK_COVERAGE'):\n    import coverage\n"
        "    COV = coverage.coverage(branch=True, include='app/*')\n    COV.start()\n"
    )
    result = run_probe("TST003", {**PY, "manage.py": manage})
    assert result.outcome.value == "pass" and "manage.py:5" in result.message, result.message
    # A name in a string is not a call.
    quoted = {**PY, "manage.py": "HELP = 'run coverage.Coverage() yourself'\n"}
    assert run_probe("TST003", quoted).outcome.value == "fail"


def test_end_to_end_suites_ci_runs_and_tests_that_run_the_program(run_probe) -> None:
    """A Postman collection CI runs against the started server, an integ/ folder, and a
    test that runs the installed command in a subprocess are end-to-end tests."""
    app = {"app.py": "from flask import Flask\napp = Flask(__name__)\n"}
    unit = {"tests/test_unit.py": "def test_x():\n    assert 1\n"}
    postman = {**app, **unit, **wf("./e2e/run-api-tests.sh")}
    assert run_probe("TST007", postman).outcome.value == "pass"
    integ = {**app, **unit, "test/integ/test_api.py": "def test_x():\n    assert 1\n"}
    assert run_probe("TST007", integ).outcome.value == "pass"
    cli = {
        **app,
        "tests/test_cli.py": "import subprocess\n\n\ndef test_cli():\n"
        "    assert subprocess.run(['app', '--help']).returncode == 0\n",
    }
    assert run_probe("TST007", cli).outcome.value == "pass"
    assert run_probe("TST007", {**app, **unit}).outcome.value == "fail"
