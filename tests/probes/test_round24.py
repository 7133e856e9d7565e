"""What held-out round 24's first reports showed (changedetection, go-task, tg-spam, mcfly,
cobalt, commons-cli, point-e, mailgun-go, zustand, click), measured before these fixes."""

from __future__ import annotations

from tests.probes.conftest import RunProbe


def test_a_goal_less_maven_run_runs_the_poms_default_goal(run_probe: RunProbe) -> None:
    # commons-cli: CI runs `mvn --errors --show-version --batch-mode`; the pom's
    # <defaultGoal> is `clean verify apache-rat:check ... checkstyle:check`.
    pom = (
        "<project><artifactId>cli</artifactId><build>"
        "<defaultGoal>clean verify checkstyle:check</defaultGoal></build></project>\n"
    )
    workflow = (
        "on: [push]\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: mvn --errors --show-version --batch-mode\n"
    )
    test = "package x;\n\nclass XTest {\n    @org.junit.Test\n    void t() {}\n}\n"
    files = {
        "pom.xml": pom,
        "src/main/java/x/X.java": "package x;\n\nclass X {}\n",
        "src/test/java/x/XTest.java": test,
        ".github/workflows/maven.yml": workflow,
    }
    assert run_probe("TST002", files).outcome.value == "pass"
    assert run_probe("CQ002", files).outcome.value == "pass"
    bare = {
        **files,
        "pom.xml": pom.replace("<defaultGoal>clean verify checkstyle:check</defaultGoal>", ""),
    }
    assert run_probe("TST002", bare).outcome.value == "fail"


def test_a_suite_of_the_projects_own_run_by_ci(run_probe: RunProbe) -> None:
    # cobalt: `node api/src/util/test run-tests-for <service>` runs cases kept as JSON.
    workflow = (
        "on: [push]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: node api/src/util/test run-tests-for youtube\n"
    )
    runner = "const tests = require('./tests/youtube.json')\nfor (const t of tests) run(t)\n"
    files = {
        "package.json": '{"name": "api", "scripts": {"start": "node src/cobalt"}}',
        "api/src/cobalt.js": "console.log(1)\n",
        "api/src/util/test.js": runner,
        ".github/workflows/test.yml": workflow,
    }
    result = run_probe("TST001", files)
    assert result.outcome.value == "pass" and result.partial, result.message
    assert run_probe("TST002", files).outcome.value == "pass"
    other = {**files, ".github/workflows/test.yml": workflow.replace("util/test", "util/build")}
    assert run_probe("TST001", other).outcome.value == "fail"


def test_a_number_parsed_from_the_request_names_no_path(run_probe: RunProbe) -> None:
    # changedetection: step_n = int(request.args.get('step_n')), then f"step_{step_n}.jpeg".
    view = (
        "import os\n\nfrom flask import Flask, request, send_file\n\napp = Flask(__name__)\n\n\n"
        "@app.get('/step')\ndef step():\n    step_n = int(request.args.get('step_n'))\n"
        "    return send_file(os.path.join('/data', f'step_{step_n}.jpeg'))\n"
    )
    assert run_probe("SEC029", {"app/views.py": view}).outcome.value == "pass"
    raw = view.replace("int(request.args.get('step_n'))", "request.args.get('step_n')")
    assert run_probe("SEC029", {"app/views.py": raw}).outcome.value == "fail"
