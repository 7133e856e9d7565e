"""What held-out round 25 taught (jsonschema, scc, ...): each case rebuilt small beside the
one that must keep its old answer."""

from __future__ import annotations

from pathlib import Path

from tests.probes.conftest import RunProbe, profile_of

_LIB = {
    "pyproject.toml": (
        "[project]\nname = 'jsonschema'\nversion = '1.0'\ndescription = 'x'\n"
        "[project.scripts]\njsonschema = 'jsonschema.cli:main'\n"
    ),
    "jsonschema/__init__.py": "from jsonschema.validators import validate\n",
    "jsonschema/validators.py": "def validate(instance, schema):\n    return True\n",
    "jsonschema/cli.py": (
        "import argparse\n\n\ndef main():\n    argparse.ArgumentParser().parse_args()\n"
    ),
    "LICENSE": "MIT\n",
    "README.md": "# jsonschema\n",
}
# The JSON-Schema-Test-Suite, copied in whole as a git subtree: its own CI, licence, README
# and a script that serves its remotes with Flask.
_SUITE = {
    "json/.github/workflows/ci.yml": "on: push\njobs: {}\n",
    "json/LICENSE": "MIT\n",
    "json/README.md": "# JSON Schema Test Suite\n",
    "json/package.json": '{"name": "json-schema-test-suite"}\n',
    "json/bin/jsonschema_suite": (
        "#! /usr/bin/env python3\nimport flask\n\n\ndef serve():\n"
        "    app = flask.Flask(__name__)\n\n    @app.route('/<path:path>')\n"
        "    def serve_path(path):\n        return path\n\n    app.run(port=1234)\n\n\n"
        "if __name__ == '__main__':\n    serve()\n"
    ),
}


def test_a_repository_copied_in_whole_is_not_the_product(tmp_path: Path) -> None:
    profile = profile_of(tmp_path / "a", {**_LIB, **_SUITE})
    assert "web_service" not in profile.kinds and "cli" in profile.kinds, profile.reasons
    # Without its own CI the folder is the project's own (a package of a monorepo, a
    # folder with a README and a licence): its server decides the kind as before.
    own = {k: v for k, v in _SUITE.items() if ".github" not in k}
    profile = profile_of(tmp_path / "b", {**_LIB, **own, "Dockerfile": "FROM python:3.12\n"})
    assert "web_service" in profile.kinds, profile.reasons


_GO_MOD = "module example.com/scc\n\ngo 1.22\n\nrequire github.com/spf13/cobra v1.8.0\n"
_BADGES = (
    'package main\n\nimport (\n\t"flag"\n\t"net/http"\n)\n\nfunc main() {\n'
    '\tport := flag.String("port", ":8080", "")\n\tflag.Parse()\n'
    '\thttp.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {})\n'
    "\thttp.ListenAndServe(*port, nil)\n}\n"
)
_COUNTER = (
    'package main\n\nimport "github.com/spf13/cobra"\n\nfunc main() {\n'
    '\troot := &cobra.Command{Use: "scc", Run: func(c *cobra.Command, a []string) {}}\n'
    "\troot.Execute()\n}\n"
)


def test_a_go_command_beside_a_go_server_is_a_command_too(tmp_path: Path) -> None:
    # scc: the cobra counter at the root, the badge server in cmd/badges.
    files = {"go.mod": _GO_MOD, "main.go": _COUNTER, "cmd/badges/main.go": _BADGES}
    files["Dockerfile"] = "FROM golang:1.22\nCOPY . .\nRUN go build -o /bin/scc\n"
    profile = profile_of(tmp_path / "a", files)
    assert {"web_service", "cli"} <= set(profile.kinds), profile.reasons
    # A second main that reads its options with the standard flag package (a migration
    # tool of the service) makes no command-line tool of a service.
    migrate = _BADGES.replace("http.ListenAndServe(*port, nil)", "println(*port)")
    files = {"go.mod": _GO_MOD, "cmd/server/main.go": _BADGES, "cmd/migrate/main.go": migrate}
    files["Dockerfile"] = "FROM golang:1.22\nCOPY . .\nRUN go build ./cmd/server\n"
    profile = profile_of(tmp_path / "b", files)
    assert "web_service" in profile.kinds and "cli" not in profile.kinds, profile.reasons


def test_requests_sessions_module_is_an_outbound_client(tmp_path: Path) -> None:
    # analytics-python: `from requests import sessions`, `sessions.Session().post(url)`.
    setup = "from setuptools import setup\nsetup(name='analytics', version='1.0', url='x')\n"
    client = (
        "from requests import sessions\n\n_session = sessions.Session()\n\n\n"
        "def post(host=None, **body):\n"
        "    url = (host or 'https://api.segment.io') + '/v1/batch'\n"
        "    return _session.post(url, json=body, timeout=15)\n"
    )
    files = {"setup.py": setup, "analytics/__init__.py": "", "analytics/request.py": client}
    profile = profile_of(tmp_path / "a", files)
    assert profile.conditions["outbound"] and "sdk" in profile.kinds, profile.reasons


def test_a_nox_session_running_virtue_runs_the_tests(run_probe: RunProbe) -> None:
    # jsonschema: CI runs every nox session; the tests session runs `virtue`.
    ci = (
        "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n"
        '      - run: uvx nox -s "${{ matrix.noxenv }}"\n'
    )
    nox = (
        "import nox\n\n\n@nox.session\ndef tests(session):\n"
        "    session.install('virtue')\n    session.run('virtue', 'pkg')\n"
    )
    files = {"pyproject.toml": "[project]\nname = 'pkg'\n", "pkg/__init__.py": ""}
    files |= {".github/workflows/ci.yml": ci, "noxfile.py": nox}
    assert run_probe("TST002", files).outcome.value == "pass"
    # A nox session that only builds the docs runs no tests.
    docs = nox.replace("'virtue', 'pkg'", "'sphinx-build', 'docs', 'out'")
    assert run_probe("TST002", {**files, "noxfile.py": docs}).outcome.value == "fail"


def test_a_metric_counting_rate_limited_requests_is_no_rate_limiting(run_probe: RunProbe) -> None:
    # alerta: a Counter named for rate-limited alerts, for plugins that may raise RateLimit.
    app = (
        "from flask import Flask\nfrom app.metrics import Counter\n\napp = Flask(__name__)\n"
        "ratelimit_counter = Counter('alerts', 'ratelimited', 'Rate-limited alerts')\n\n\n"
        "@app.route('/alert', methods=['POST'])\ndef receive():\n    return {}\n"
    )
    files = {"requirements.txt": "flask\n", "app/__init__.py": "", "app/main.py": app}
    files["Dockerfile"] = "FROM python:3.12\nCMD gunicorn app.main:app\n"
    assert run_probe("SEC015", files).outcome.value == "fail"
    # Nor do its uses, nor an exception class imported by name.
    used = app + "\n\ndef reject():\n    ratelimit_counter.inc()\n"
    used += "\n\nfrom app.errors import (\n    Forwarded,\n    RateLimit,\n)\n"
    assert run_probe("SEC015", {**files, "app/main.py": used}).outcome.value == "fail"
    # A limiter applied by a decorator of the app's own counts.
    decorated = app.replace("@app.route('/alert'", "@ratelimit(per_minute=60)\n@app.route('/alert'")
    result = run_probe("SEC015", {**files, "app/main.py": decorated})
    assert result.outcome.value == "pass", result.message
    # A limiter of the app's own still counts.
    limiter = app + "\n\nclass RateLimiter:\n    def allow(self, key):\n        return True\n"
    assert run_probe("SEC015", {**files, "app/main.py": limiter}).outcome.value == "pass"


def test_a_schema_script_that_adds_missing_columns_at_start_is_a_low_gap(
    run_probe: RunProbe,
) -> None:
    # alerta: sql/schema.sql (CREATE TABLE IF NOT EXISTS, ALTER TABLE ... ADD COLUMN IF NOT
    # EXISTS) executed at every start; no versions table.
    code = (
        "import psycopg2\n\n\ndef setup(app):\n    conn = psycopg2.connect(app.config['DB'])\n"
        "    with app.open_resource('sql/schema.sql') as f:\n"
        "        conn.cursor().execute(f.read())\n"
    )
    sql = (
        "CREATE TABLE IF NOT EXISTS alerts (id text PRIMARY KEY);\n"
        "ALTER TABLE alerts ADD COLUMN IF NOT EXISTS update_time timestamp;\n"
    )
    files = {"requirements.txt": "psycopg2\n", "app/__init__.py": "", "app/db.py": code}
    files["app/sql/schema.sql"] = sql
    result = run_probe("DATA001", files)
    assert result.outcome.value == "fail" and result.severity.value == "low", result.message
    # Without the upgrade statements it is a schema created, never evolved: the high gap.
    plain = {**files, "app/sql/schema.sql": sql.splitlines()[0] + "\n"}
    result = run_probe("DATA001", plain)
    assert result.outcome.value == "fail" and result.severity.value == "high", result.message


def test_a_check_in_a_step_allowed_to_fail_enforces_nothing(run_probe: RunProbe) -> None:
    # uptime-kuma's autofix.yml: `npm run tsc` with `continue-on-error: true`.
    pkg = '{"name": "k", "scripts": {"tsc": "tsc --project tsconfig.json"}}'
    step = "      - run: npm run tsc\n"
    ci = "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n" + step
    files = {"package.json": pkg, "tsconfig.json": '{"compilerOptions": {"strict": true}}'}
    files |= {"src/a.ts": "export const a: number = 1;\n"}
    assert run_probe("CQ004", {**files, ".github/workflows/ci.yml": ci}).outcome.value == "pass"
    allowed = ci + "        continue-on-error: true\n"
    result = run_probe("CQ004", {**files, ".github/workflows/ci.yml": allowed})
    assert result.outcome.value == "fail", result.message
    # An expression may be false: only the literal makes a step optional.
    matrix = ci + "        continue-on-error: ${{ matrix.experimental }}\n"
    assert run_probe("CQ004", {**files, ".github/workflows/ci.yml": matrix}).outcome.value == "pass"


def test_curl_pipe_in_a_development_image_beside_the_shipped_one_is_low(
    run_probe: RunProbe,
) -> None:
    # shlink-web-client: dev.Dockerfile installs nvm with curl | bash; Dockerfile ships.
    dev = (
        "FROM node:24\n"
        "RUN curl -o- https://raw.githubusercontent.com/nvm-sh/nvm/v0.40.2/install.sh | bash\n"
    )
    files = {"package.json": '{"name": "w"}', "src/a.js": "export const a = 1;\n"}
    files |= {"Dockerfile": "FROM nginx:1.27-alpine\nCOPY dist /usr/share/nginx/html\n"}
    result = run_probe("SEC017", {**files, "dev.Dockerfile": dev})
    assert result.outcome.value == "fail" and result.severity.value == "low", result.message
    # The same line in the Dockerfile that ships is the medium gap.
    result = run_probe("SEC017", {**files, "Dockerfile": dev})
    assert result.outcome.value == "fail" and result.severity.value == "medium", result.message


def test_a_metrics_route_and_hand_written_prometheus_text_are_metrics(run_probe: RunProbe) -> None:
    # alerta's /management/metrics writes the Prometheus text format itself.
    app = (
        "from flask import Flask\n\napp = Flask(__name__)\n\n\n"
        "@app.route('/health')\ndef health():\n    return 'ok'\n"
    )
    files = {"requirements.txt": "flask\n", "app/__init__.py": "", "app/main.py": app}
    files["Dockerfile"] = "FROM python:3.12\nCMD gunicorn app.main:app\n"
    assert run_probe("OBS004", files).outcome.value == "fail"
    metrics = app + (
        "\n\n@app.route('/management/metrics')\ndef metrics():\n"
        "    return '# TYPE app_uptime_msecs counter\\napp_uptime_msecs 12\\n'\n"
    )
    result = run_probe("OBS004", {**files, "app/main.py": metrics})
    assert result.outcome.value == "pass", result.message


def test_a_task_queue_drains_its_worker_not_the_web_server_beside_it(
    run_probe: RunProbe,
) -> None:
    # alerta: Celery for bulk actions; the image serves with Flask's development server.
    app = (
        "from celery import Celery\nfrom flask import Flask\n\napp = Flask(__name__)\n"
        "celery = Celery(__name__, broker='redis://')\n\n\n"
        "@app.route('/alerts')\ndef alerts():\n    return []\n\n\n"
        "@celery.task\ndef bulk(ids):\n    return ids\n"
    )
    files = {"requirements.txt": "flask\ncelery\n", "app/__init__.py": "", "app/main.py": app}
    files["Dockerfile"] = 'FROM python:3.12\nCMD ["flask", "--app", "app.main", "run"]\n'
    result = run_probe("REL004", files)
    assert result.outcome.value == "fail", result.message
    # Behind gunicorn, which drains on SIGTERM, the service shuts down gracefully.
    files["Dockerfile"] = 'FROM python:3.12\nCMD ["gunicorn", "app.main:app"]\n'
    files["requirements.txt"] += "gunicorn\n"
    assert run_probe("REL004", files).outcome.value == "pass"
    # A worker alone is drained by Celery.
    worker = app.replace("from flask import Flask\n\napp = Flask(__name__)\n", "")
    worker = worker.replace("@app.route('/alerts')\ndef alerts():\n    return []\n\n\n", "")
    alone = {"requirements.txt": "celery\n", "app/__init__.py": "", "app/main.py": worker}
    assert run_probe("REL004", alone).outcome.value == "pass"


def test_a_test_module_run_as_a_script_runs_the_tests(run_probe: RunProbe) -> None:
    # httpbin: Travis runs tox, whose testenv runs `python test_httpbin.py` (unittest.main()).
    travis = "language: python\ninstall:\n  - pip install tox\nscript:\n  - tox\n"
    tox = "[tox]\nenvlist = py37\n\n[testenv]\ncommands=python test_httpbin.py\n"
    test = "import unittest\n\n\nclass T(unittest.TestCase):\n    def test_a(self):\n"
    test += "        pass\n\n\nif __name__ == '__main__':\n    unittest.main()\n"
    files = {"setup.py": "from setuptools import setup\nsetup(name='h')\n", "h/__init__.py": ""}
    files |= {".travis.yml": travis, "tox.ini": tox, "test_httpbin.py": test}
    assert run_probe("TST002", files).outcome.value == "pass"
    # Running the program's own module is no test run.
    ran = {**files, "tox.ini": tox.replace("test_httpbin.py", "httpbin.py")}
    assert run_probe("TST002", ran).outcome.value == "fail"


def test_split_packages_of_a_monorepo_are_not_copies() -> None:
    from pipeline.ingest import _copied_repositories

    suite = ["json/.github/workflows/ci.yml", "json/LICENSE", "json/README.md", "a.py"]
    assert _copied_repositories(suite, None) == ("json/",)
    # php-enqueue's pkg/*: every package carries the CI of its read-only split repository.
    split = [
        f"pkg/{name}/{file}"
        for name in ("amqp", "redis")
        for file in (".github/workflows/ci.yml", "LICENSE", "README.md", "src/A.php")
    ]
    assert _copied_repositories(split, None) == ()
    # The folder the user scoped the run to is never dropped.
    assert _copied_repositories(suite, "json") == ()


def test_a_cobra_command_that_starts_the_server_is_one_service(tmp_path: Path) -> None:
    # cmd/svc/main.go (cobra) runs internal/server: a Go service, not a CLI beside one.
    server = (
        'package server\n\nimport "net/http"\n\nfunc Run() error {\n'
        '\treturn http.ListenAndServe(":8080", nil)\n}\n'
    )
    main = (
        'package main\n\nimport (\n\t"example.com/scc/internal/server"\n'
        '\t"github.com/spf13/cobra"\n)\n\nfunc main() {\n'
        '\troot := &cobra.Command{Use: "svc", RunE: func(c *cobra.Command, a []string) error '
        "{ return server.Run() }}\n\troot.Execute()\n}\n"
    )
    files = {"go.mod": _GO_MOD, "cmd/svc/main.go": main, "internal/server/server.go": server}
    files["Dockerfile"] = "FROM golang:1.22\nCOPY . .\nRUN go build ./cmd/svc\n"
    profile = profile_of(tmp_path / "a", files)
    assert "web_service" in profile.kinds and "cli" not in profile.kinds, profile.reasons


def test_a_step_allowed_to_fail_hides_neither_a_required_run_nor_a_scanner(
    run_probe: RunProbe,
) -> None:
    pkg = '{"name": "k", "scripts": {"test": "jest"}, "devDependencies": {"jest": "29"}}'
    files = {"package.json": pkg, "src/a.test.js": "test('a', () => {});\n"}
    job = "  {name}:\n    runs-on: ubuntu-latest\n{extra}    steps:\n      - run: npm test\n"
    nightly = "on: schedule\njobs:\n" + job.format(name="n", extra="    continue-on-error: true\n")
    required = "on: push\njobs:\n" + job.format(name="t", extra="")
    files |= {".github/workflows/a-nightly.yml": nightly, ".github/workflows/test.yml": required}
    assert run_probe("TST002", files).outcome.value == "pass"
    # A scanner in a job allowed to fail still runs: the audit is there, if not blocking.
    audit = "audit:\n  script:\n    - npm audit\n  allow_failure: true\n"
    scanned = {"package.json": pkg, "src/a.js": "export const a = 1;\n", ".gitlab-ci.yml": audit}
    assert run_probe("SEC009", scanned).outcome.value == "pass"


def test_a_maintainers_helper_package_with_a_bin_is_no_command_of_a_service(
    tmp_path: Path,
) -> None:
    # uptime-kuma: extra/kuma-pr/package.json declares a bin that checks out pull requests.
    server = "const http = require('http');\nhttp.createServer(() => {}).listen(3001);\n"
    root = '{"name": "uptime-kuma", "scripts": {"start": "node server/server.js"}}'
    helper = '{"name": "kuma-pr", "bin": {"kuma-pr": "./index.mjs"}}'
    files = {"package.json": root, "server/server.js": server, "Dockerfile": "FROM node:20\n"}
    files |= {"extra/kuma-pr/package.json": helper, "extra/kuma-pr/index.mjs": "console.log(1);\n"}
    profile = profile_of(tmp_path / "a", files)
    assert "web_service" in profile.kinds and "cli" not in profile.kinds, profile.reasons
    # In a workspace the package is the product's: its command is one the repository ships.
    workspace = root.replace('"name": "uptime-kuma",', '"name": "k", "workspaces": ["extra/*"],')
    profile = profile_of(tmp_path / "b", {**files, "package.json": workspace})
    assert "cli" in profile.kinds, profile.reasons


def test_settings_half_documented_are_documented_and_terminal_variables_are_none(
    run_probe: RunProbe,
) -> None:
    reads = "\n".join(
        f'    {n.lower()} = os.environ.get("{n}")'
        for n in (
            "APP_DB",
            "APP_PORT",
            "APP_DEBUG",
            "APP_TRACE",
            "TMUX_PANE",
            "TERM_PROGRAM_VERSION",
        )
    )
    code = f"import os\n\n\ndef settings():\n{reads}\n    return app_db\n"
    code += "\n\nif __name__ == '__main__':\n    settings()\n"
    files = {"app.py": code, "Dockerfile": "FROM python:3.12\nCMD python app.py\n"}
    readme = "# app\n\n## Configuration\n\n- `APP_DB`: the database URL\n- `APP_PORT`: the port\n"
    result = run_probe("CFG004", {**files, "README.md": readme})
    # Two of four settings (the terminal's own variables are none of the program's).
    assert result.outcome.value == "pass" and "2 of 4" in result.message, result.message
    one = readme.replace("- `APP_PORT`: the port\n", "")
    assert run_probe("CFG004", {**files, "README.md": one}).outcome.value == "fail"


def test_a_struct_named_like_a_result_is_no_result(run_probe: RunProbe) -> None:
    # pastel: `annealing.run(callback);` returns DistanceResult, a plain struct.
    code = (
        "pub struct DistanceResult { pub d: f64 }\n\npub struct A;\n\nimpl A {\n"
        "    pub fn run(&mut self) -> DistanceResult { DistanceResult { d: 0.0 } }\n"
        "    pub fn save(&mut self) -> std::io::Result<()> { Ok(()) }\n}\n\n"
        "pub fn go(a: &mut A) {\n    a.run();\n}\n"
    )
    files = {"Cargo.toml": "[package]\nname = 'p'\nversion = '0.1.0'\n", "src/lib.rs": code}
    assert run_probe("ERR012", files).outcome.value == "pass"
    dropped = code.replace("    a.run();\n", "    a.save();\n")
    assert run_probe("ERR012", {**files, "src/lib.rs": dropped}).outcome.value == "fail"


def test_an_exception_built_and_never_raised_swallows_the_error(run_probe: RunProbe) -> None:
    # alerta: `except Exception as e: ApiError(str(e), 500)`: the ApiError is never raised.
    code = (
        "class ApiError(Exception):\n    pass\n\n\ndef create(user):\n    try:\n"
        "        return user.save()\n    except Exception as e:\n        ApiError(str(e), 500)\n"
    )
    files = {"pyproject.toml": "[project]\nname = 'a'\n", "a/__init__.py": "", "a/users.py": code}
    result = run_probe("ERR002", files)
    assert result.outcome.value == "fail" and "a/users.py:8" in result.message, result.message
    raised = code.replace("        ApiError(", "        raise ApiError(")
    assert run_probe("ERR002", {**files, "a/users.py": raised}).outcome.value == "pass"
    # A function call in the handler does something (reports it, here).
    reported = code.replace("ApiError(str(e), 500)", "report_error(e)")
    assert run_probe("ERR002", {**files, "a/users.py": reported}).outcome.value == "pass"


def test_a_handler_calling_a_function_named_for_errors_does_something(
    run_probe: RunProbe,
) -> None:
    # wx.LogError(msg), self.OnError(e), HandleException(e): named for what they do.
    for call in ("wx.LogError(str(e))", "self.OnError(e)", "HandleException(e)"):
        code = (
            "import wx\n\n\nclass A:\n    def run(self):\n        try:\n"
            "            return self.go()\n        except Exception as e:\n"
            f"            {call}\n"
        )
        files = {"pyproject.toml": "[project]\nname = 'a'\n", "a/__init__.py": "", "a/m.py": code}
        assert run_probe("ERR002", files).outcome.value == "pass", call


def test_a_result_alias_is_a_result(run_probe: RunProbe) -> None:
    # pyo3's PyResult, nom's IResult, a crate's own alias: dropping one drops an error.
    code = (
        "pub type AppResult<T> = Result<T, String>;\n\n"
        "pub fn save() -> AppResult<()> { Ok(()) }\n\npub fn go() {\n    save();\n}\n"
    )
    files = {"Cargo.toml": "[package]\nname = 'p'\nversion = '0.1.0'\n", "src/lib.rs": code}
    assert run_probe("ERR012", files).outcome.value == "fail"


def test_a_published_cli_package_of_a_service_is_a_command(tmp_path: Path) -> None:
    # The same layout as uptime-kuma's helper, but in cli/ and not private: the command the
    # project ships beside its server.
    server = "const http = require('http');\nhttp.createServer(() => {}).listen(3001);\n"
    root = '{"name": "svc", "scripts": {"start": "node server/server.js"}}'
    cli = '{"name": "svc-cli", "version": "1.0.0", "bin": {"svc-cli": "./index.mjs"}}'
    files = {"package.json": root, "server/server.js": server, "Dockerfile": "FROM node:20\n"}
    files |= {"cli/package.json": cli, "cli/index.mjs": "console.log(1);\n"}
    profile = profile_of(tmp_path / "a", files)
    assert "cli" in profile.kinds, profile.reasons
    private = cli.replace('"version": "1.0.0",', '"private": true,')
    profile = profile_of(tmp_path / "b", {**files, "cli/package.json": private})
    assert "cli" not in profile.kinds, profile.reasons
