"""What held-out round 26 taught (stern, archivebox, ouch, bulletproof-nodejs, wtf-dial,
realworld-springboot-java): each case rebuilt small beside the one that must keep its old
answer."""

from __future__ import annotations

from tests.probes.conftest import RunProbe

_GO = {"go.mod": "module example.com/s\n\ngo 1.22\n", "main.go": "package main\n\nfunc main() {}\n"}


def test_make_variables_that_name_other_variables_are_followed(run_probe: RunProbe) -> None:
    # stern: GOLANGCI_LINT := $(TOOLS_BIN_DIR)/golangci-lint, TOOLS_BIN_DIR := $(CURDIR)/bin.
    make = (
        "TOOLS_BIN_DIR := $(CURDIR)/hack/tools/bin\n"
        "GOLANGCI_LINT := $(TOOLS_BIN_DIR)/golangci-lint\n\n"
        ".PHONY: test\ntest: lint\n\tgo test ./...\n\n.PHONY: lint\nlint:\n\t$(GOLANGCI_LINT) run\n"
    )
    ci = "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n"
    files = {**_GO, "Makefile": make, ".github/workflows/ci.yaml": ci}
    files[".golangci.yml"] = "version: '2'\nlinters:\n  enable: [errcheck]\n"
    assert run_probe("CQ002", files).outcome.value == "pass"
    # A variable the Makefile never sets stays unknown: nothing is seen to lint.
    unset = make.replace("GOLANGCI_LINT := $(TOOLS_BIN_DIR)/golangci-lint\n", "")
    assert run_probe("CQ002", {**files, "Makefile": unset}).outcome.value == "fail"


def test_prek_runs_the_pre_commit_hooks(run_probe: RunProbe) -> None:
    # archivebox's lint workflow: `uv run prek run --all-files` with ruff hooks.
    hooks = (
        "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.6.0\n"
        "    hooks:\n      - id: ruff-format\n      - id: ruff-check\n"
    )
    ci = "on: push\njobs:\n  l:\n    runs-on: ubuntu-latest\n    steps:\n"
    files = {"pyproject.toml": "[project]\nname = 'a'\n", "a/__init__.py": ""}
    files |= {".pre-commit-config.yaml": hooks, "ruff.toml": "line-length = 100\n"}
    run = ci + "      - run: uv run prek run --all-files\n"
    assert run_probe("CQ005", {**files, ".github/workflows/lint.yml": run}).outcome.value == "pass"
    other = ci + "      - run: uv run prettier --version\n"
    assert (
        run_probe("CQ005", {**files, ".github/workflows/lint.yml": other}).outcome.value == "fail"
    )


def test_cross_runs_cargo_test(run_probe: RunProbe) -> None:
    # ouch: `echo CARGO=cross >> $GITHUB_ENV`, then `${{ env.CARGO }} +stable test`.
    ci = (
        "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo CARGO=cross >> $GITHUB_ENV\n"
        "      - run: ${{ env.CARGO }} +stable test --locked\n"
    )
    files = {
        "Cargo.toml": "[package]\nname = 'o'\nversion = '0.1.0'\n",
        "src/main.rs": "fn main() {}\n",
    }
    files["tests/a.rs"] = "#[test]\nfn a() {}\n"
    assert run_probe("TST002", {**files, ".github/workflows/ci.yml": ci}).outcome.value == "pass"
    built = ci.replace("+stable test --locked", "+stable build --locked")
    assert run_probe("TST002", {**files, ".github/workflows/ci.yml": built}).outcome.value == "fail"


def test_a_gitpod_workspace_image_is_no_product_image(run_probe: RunProbe) -> None:
    # bulletproof-nodejs: .gitpod.Dockerfile (FROM gitpod/workspace-full:latest) only.
    app = "const express = require('express');\nconst app = express();\napp.listen(3000);\n"
    files = {"package.json": '{"name": "b", "dependencies": {"express": "4"}}', "src/app.js": app}
    files[".gitpod.Dockerfile"] = "FROM gitpod/workspace-full:latest\n"
    assert run_probe("DEP002", files).outcome.value == "not_applicable"
    files["Dockerfile"] = "FROM node:20\nCOPY . .\nCMD node src/app.js\n"
    assert run_probe("DEP002", files).outcome.value == "fail"


def test_go_clients_of_error_trackers_are_error_tracking(run_probe: RunProbe) -> None:
    # wtf-dial: rollbar-go reports internal errors and recovered panics.
    main = (
        'package main\n\nimport (\n\t"net/http"\n\n\t"github.com/rollbar/rollbar-go"\n)\n\n'
        'func main() {\n\trollbar.SetToken("x")\n\thttp.ListenAndServe(":8080", nil)\n}\n'
    )
    files = {"go.mod": "module example.com/w\n\ngo 1.22\n", "main.go": main}
    assert run_probe("OBS007", files).outcome.value == "pass"
    plain = main.replace('\n\t"github.com/rollbar/rollbar-go"\n', "").replace(
        '\trollbar.SetToken("x")\n', ""
    )
    assert run_probe("OBS007", {**files, "main.go": plain}).outcome.value == "fail"


def test_a_gradle_script_plugin_is_part_of_the_build(run_probe: RunProbe) -> None:
    # realworld-springboot-java: `apply from: 'test.gradle'` chains jacocoTestReport.
    build = "plugins {\n    id 'java'\n    id 'jacoco'\n}\n\napply from: 'test.gradle'\n"
    script = "test {\n    useJUnitPlatform()\n    finalizedBy 'jacocoTestReport'\n}\n"
    ci = "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n"
    ci += "      - run: ./gradlew build\n"
    java = "package a;\n\npublic class A {}\n"
    files = {"build.gradle": build, "test.gradle": script, "src/main/java/a/A.java": java}
    files |= {".github/workflows/build.yml": ci, "gradlew": "#!/bin/sh\n"}
    assert run_probe("TST003", files).outcome.value == "pass"
    without = {**files, "test.gradle": "test {\n    useJUnitPlatform()\n}\n"}
    assert run_probe("TST003", without).outcome.value != "pass"


def test_a_promise_catch_is_a_catch(run_probe: RunProbe) -> None:
    # precedent: no try/catch, one `.catch((e) => console.log(e))`: "no catch block" was false.
    page = "export async function get() {\n  return fetch('/x').catch((e) => console.log(e));\n}\n"
    files = {"package.json": '{"name": "p"}', "app/page.ts": page}
    result = run_probe("ERR003", files)
    assert result.outcome.value == "pass" and "1 `.catch()` handler" in result.message
    plain = {**files, "app/page.ts": "export const a = 1;\n"}
    assert run_probe("ERR003", plain).message.startswith("No catch block")


def test_mpi_processes_are_concurrency(tmp_path) -> None:
    from tests.probes.conftest import profile_of

    # spinningup: mpi_fork re-launches the script as n processes with mpirun.
    fork = (
        "import os\nimport subprocess\nimport sys\n\n\ndef mpi_fork(n):\n"
        '    args = ["mpirun", "-np", str(n), sys.executable] + sys.argv\n'
        "    subprocess.check_call(args, env=os.environ)\n"
    )
    profile = profile_of(tmp_path / "a", {"spinup/__init__.py": "", "spinup/mpi.py": fork})
    assert "processes" in [c.name for c in profile.concurrency], profile.concurrency


def test_the_program_that_serves_is_the_one_that_starts_it(run_probe: RunProbe) -> None:
    # wtf-dial: cmd/wtf-storybook (a UI preview) sorts before cmd/wtfd, which serves.
    serve = 'package main\n\nimport "net/http"\n\nfunc main() {\n'
    serve += '\thttp.ListenAndServe(":8080", nil)\n}\n'
    files = {"go.mod": "module example.com/w\n\ngo 1.22\n", "cmd/wtfd/main.go": serve}
    files["cmd/wtf-storybook/main.go"] = "package main\n\nfunc main() {}\n"
    result = run_probe("DEP013", files)
    assert result.outcome.value == "pass" and "cmd/wtfd/main.go" in result.message, result.message


def test_a_design_document_among_retired_material_describes_no_design(run_probe: RunProbe) -> None:
    # archivebox: old/Architecture.md is a wishlist of pages that never shipped.
    files = {"pyproject.toml": "[project]\nname = 'a'\n", "a/__init__.py": "", "a/b.py": "x = 1\n"}
    files["old/Architecture.md"] = "# Architecture\n\nPages we would like: Alerts, Sources.\n"
    assert run_probe("DOC006", files).message != "Design described in old/Architecture.md."
    files["docs/Architecture.md"] = "# Architecture\n\nThe package reads, then writes.\n"
    assert "docs/Architecture.md" in run_probe("DOC006", files).message


def test_short_strings_side_by_side_are_values_not_a_docstring(run_probe: RunProbe) -> None:
    # archivebox writes its PRAGMA busy_timeout as one string over two lines, short strings
    # side by side; the same with Postgres options: values written in code.
    settings = (
        "DATABASES = {\n    'default': {\n"
        "        'ENGINE': 'django.db.backends.postgresql',\n        'OPTIONS': {\n"
        "            'options': (\n                '-c lock_timeout=1000 '\n"
        "                '-c statement_timeout=5000'\n            ),\n        },\n    },\n}\n"
    )
    models = (
        "from django.db import models\n\n\nclass A(models.Model):\n    n = models.IntegerField()\n"
    )
    files = {
        "requirements.txt": "django\npsycopg\n",
        "app/__init__.py": "",
        "app/settings.py": settings,
    }
    files["app/models.py"] = models
    result = run_probe("REL006", files)
    assert result.outcome.value == "pass" and "settings.py:7" in result.message, result.message
    # The same words in a docstring describe, they set nothing.
    doc = settings.replace(
        "            'options': (\n                '-c lock_timeout=1000 '\n"
        "                '-c statement_timeout=5000'\n            ),\n",
        "",
    )
    doc = '"""Settings.\n\nSet statement_timeout=5000 in production.\n"""\n' + doc
    assert run_probe("REL006", {**files, "app/settings.py": doc}).outcome.value == "fail"


def test_mailgun_js_calls_out(tmp_path) -> None:
    from tests.probes.conftest import profile_of

    # bulletproof-nodejs: `new Mailgun(formData).client({...}).messages.create(...)`.
    di = (
        "import formData from 'form-data';\nimport Mailgun from 'mailgun.js';\n\n"
        "export const mg = new Mailgun(formData).client({ username: 'api', key: 'k' });\n"
    )
    files = {"package.json": '{"name": "b", "dependencies": {"mailgun.js": "3"}}', "src/di.ts": di}
    profile = profile_of(tmp_path / "a", files)
    assert profile.conditions["outbound"], profile.reasons
    assert [c.name for c in profile.external_services] == ["mailgun.js"]


def test_a_commented_script_plugin_is_not_applied(run_probe: RunProbe) -> None:
    quality = "apply plugin: 'checkstyle'\n"
    build = "plugins {\n    id 'java'\n}\n\n// apply from: 'gradle/quality.gradle'\n"
    ci = "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n"
    ci += "      - run: ./gradlew build\n"
    java = "package a;\n\npublic class A {}\n"
    files = {"build.gradle": build, "gradle/quality.gradle": quality, "gradlew": "#!/bin/sh\n"}
    files |= {"src/main/java/a/A.java": java, ".github/workflows/b.yml": ci}
    files["config/checkstyle/checkstyle.xml"] = "<module name='Checker'/>\n"
    assert run_probe("CQ002", files).outcome.value == "fail"
    # Applied from $rootDir, it runs with `gradle check`, cited where it is applied.
    applied = build.replace(
        "// apply from: 'gradle/quality.gradle'", 'apply from: "$rootDir/gradle/quality.gradle"'
    )
    result = run_probe("CQ002", {**files, "build.gradle": applied})
    assert result.outcome.value == "pass" and "gradle/quality.gradle:1" in result.message, (
        result.message
    )


def test_round27_premises(tmp_path) -> None:
    from tests.probes.conftest import profile_of

    # radicale: a WSGIServer subclass with its own select loop, started by its console
    # script through server.serve(): a web service, not a command-line tool.
    server = (
        "import socketserver\nimport wsgiref.simple_server\n\n\n"
        "class ParallelHTTPServer(socketserver.ThreadingMixIn,\n"
        "                         wsgiref.simple_server.WSGIServer):\n    pass\n\n\n"
        "def serve(configuration):\n    server = ParallelHTTPServer(('', 5232), None)\n"
        "    return server\n"
    )
    main = (
        "import argparse\n\nfrom radicale import server\n\n\ndef run():\n"
        "    argparse.ArgumentParser().parse_args()\n    server.serve({})\n"
    )
    pyproject = (
        "[project]\nname = 'radicale'\nversion = '3'\n\n[project.scripts]\n"
        "radicale = 'radicale.__main__:run'\n\n[build-system]\nrequires = ['setuptools']\n"
    )
    files = {"pyproject.toml": pyproject, "radicale/__init__.py": ""}
    files |= {"radicale/server.py": server, "radicale/__main__.py": main}
    files["Dockerfile"] = 'FROM python:3.12\nRUN pip install .\nENTRYPOINT ["radicale"]\n'
    profile = profile_of(tmp_path / "a", files)
    assert profile.kinds == ["web_service"], profile.reasons
    # uuid: a bin and an exports map: a library with a command beside it.
    pkg = (
        '{"name": "uuid", "version": "13.0.0", "bin": {"uuid": "./dist-node/bin/uuid"},'
        ' "exports": {".": {"default": "./dist/index.js"}}, "files": ["dist"]}'
    )
    js = {"package.json": pkg, "src/index.ts": "export const v4 = () => 'x';\n"}
    js["src/uuid-bin.ts"] = "import { v4 } from './index.js';\nconsole.log(v4());\n"
    profile = profile_of(tmp_path / "b", js)
    assert {"cli", "library"} <= set(profile.kinds), profile.reasons


def test_prints_in_the_file_that_serves_are_diagnostics(run_probe: RunProbe) -> None:
    # whoami: app.go parses flags and serves; its handlers fmt.Printf.
    app = (
        'package main\n\nimport (\n\t"flag"\n\t"fmt"\n\t"net/http"\n)\n\n'
        'func main() {\n\tflag.Parse()\n\thttp.HandleFunc("/", func(w http.ResponseWriter, '
        'r *http.Request) {\n\t\tfmt.Printf("got %s\\n", r.URL)\n\t\tfmt.Println("x")\n'
        '\t\tfmt.Println("y")\n\t})\n\thttp.ListenAndServe(":80", nil)\n}\n'
    )
    files = {"go.mod": "module example.com/w\n\ngo 1.22\n", "app.go": app}
    assert run_probe("OBS003", files).outcome.value == "fail"


def test_django_tests_run_through_the_manage_module(run_probe: RunProbe) -> None:
    # djangoproject.com: `make ci` runs `python -m coverage run --module manage test`.
    make = "ci: test\n\ntest:\n\tpython -m coverage run --source=. --module manage test\n"
    ci = "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make ci\n"
    files = {
        "manage.py": "import django\n",
        "app/__init__.py": "",
        "app/tests.py": "def test_a():\n    pass\n",
    }
    files |= {"requirements.txt": "django\n", "Makefile": make, ".github/workflows/t.yml": ci}
    assert run_probe("TST002", files).outcome.value == "pass"


def test_second_reading_of_round_27(tmp_path, run_probe: RunProbe) -> None:
    from tests.probes.conftest import profile_of

    # A JSON API on http.server speaks HTTP: request validation is asked, not waived as a
    # protocol of its own.
    api = (
        "import json\nfrom http.server import BaseHTTPRequestHandler\nimport http.server\n\n\n"
        "class H(BaseHTTPRequestHandler):\n    def do_POST(self):\n"
        "        body = json.loads(self.rfile.read(int(self.headers['Content-Length'])))\n"
        "        self.wfile.write(json.dumps(body).encode())\n\n\n"
        "http.server.ThreadingHTTPServer(('', 8000), H).serve_forever()\n"
    )
    files = {"app.py": api, "Dockerfile": 'FROM python:3.12\nCMD ["python", "app.py"]\n'}
    assert run_probe("SEC013", files).outcome.value != "not_applicable"
    assert "own over a raw socket" not in run_probe("SEC013", files).message
    # A CLI whose login callback answers one redirect on a loopback port is a CLI.
    auth = (
        "from wsgiref.simple_server import make_server\n\n\ndef login(app):\n"
        "    make_server('127.0.0.1', 0, app).handle_request()\n"
    )
    cli = "import argparse\n\n\ndef main():\n    argparse.ArgumentParser().parse_args()\n"
    pyproject = "[project]\nname = 't'\nversion = '1'\n\n[project.scripts]\nt = 't.cli:main'\n"
    tool = {"pyproject.toml": pyproject, "t/__init__.py": "", "t/cli.py": cli, "t/auth.py": auth}
    assert "web_service" not in profile_of(tmp_path / "a", tool).kinds
    # A command line with `serve` beside `push` and `pull` stays a command line.
    server = "import http.server\n\n\ndef run_forever():\n"
    server += "    http.server.HTTPServer(('', 80), None).serve_forever()\n"
    main = (
        "import argparse\n\nfrom syncit import server\n\n\ndef main():\n"
        "    p = argparse.ArgumentParser()\n    sub = p.add_subparsers()\n"
        "    sub.add_parser('serve')\n    sub.add_parser('push')\n    sub.add_parser('pull')\n"
        "    server.run_forever()\n"
    )
    sync = {"pyproject.toml": pyproject.replace("t.cli", "syncit.cli").replace("'t'", "'syncit'")}
    sync |= {"syncit/__init__.py": "", "syncit/cli.py": main, "syncit/server.py": server}
    sync["Dockerfile"] = 'FROM python:3.12\nENTRYPOINT ["syncit", "serve"]\n'
    assert "cli" in profile_of(tmp_path / "b", sync).kinds
    # An npm CLI that exports only its manifest is no library.
    pkg = '{"name": "m", "bin": {"m": "./cli.js"}, "exports": {"./package.json": "./package.json"}}'
    only = {"package.json": pkg, "cli.js": "console.log(1);\n"}
    assert "library" not in profile_of(tmp_path / "c", only).kinds


def test_a_bind_mounted_build_context_needs_filtering(run_probe: RunProbe) -> None:
    # docker init's Go template: RUN --mount=type=bind,target=. go build, then COPY --from.
    docker = (
        "FROM golang:1.22 AS build\nRUN --mount=type=bind,target=. go build -o /bin/s .\n"
        'FROM alpine:3.20\nCOPY --from=build /bin/s /bin/s\nCMD ["/bin/s"]\n'
    )
    files = {
        "go.mod": "module example.com/s\n\ngo 1.22\n",
        "main.go": "package main\n\nfunc main() {}\n",
    }
    assert run_probe("DEP004", {**files, "Dockerfile": docker}).outcome.value == "fail"


def test_what_a_user_run_on_secrets_found(tmp_path, run_probe: RunProbe) -> None:
    from tests.probes.conftest import profile_of

    # umputun/secrets: three PRAGMAs when the store opens are no multi-step write.
    store = (
        'package store\n\nimport (\n\t"context"\n\t"database/sql"\n)\n\n'
        "func Open(ctx context.Context, db *sql.DB) error {\n"
        '\tif _, err := db.ExecContext(ctx, "PRAGMA journal_mode=WAL"); err != nil {\n'
        "\t\treturn err\n\t}\n"
        '\t_, err := db.ExecContext(ctx, "PRAGMA busy_timeout=5000")\n\treturn err\n}\n\n'
        "func Save(ctx context.Context, db *sql.DB, id string) error {\n"
        '\t_, err := db.ExecContext(ctx, "INSERT INTO m (id) VALUES (?)", id)\n\treturn err\n}\n'
    )
    files = {"go.mod": "module example.com/s\n\ngo 1.22\n", "store/store.go": store}
    files["main.go"] = 'package main\n\nimport _ "modernc.org/sqlite"\n\nfunc main() {}\n'
    assert run_probe("DATA004", files).outcome.value != "fail"
    two = store.replace(
        "\treturn err\n}\n", '\t_, _ = db.ExecContext(ctx, "DELETE FROM m")\n\treturn err\n}\n'
    )
    assert run_probe("DATA004", {**files, "store/store.go": two}).outcome.value == "fail"
    # go-pkgz/rest's Ping middleware is a health endpoint.
    server = (
        'package main\n\nimport (\n\t"net/http"\n\n\t"github.com/go-pkgz/rest"\n)\n\n'
        "func main() {\n\th := rest.Ping(http.NotFoundHandler())\n"
        '\thttp.ListenAndServe(":8080", h)\n}\n'
    )
    web = {"go.mod": "module example.com/w\n\ngo 1.22\n", "main.go": server}
    assert run_probe("OBS006", web).outcome.value == "pass"
    # A page's fetch of its own server's path calls nobody outside.
    page = "const r = await fetch('/load-message', { method: 'POST' });\n"
    own = {**web, "assets/app.js": page}
    assert not profile_of(tmp_path / "a", own).conditions["outbound"]
    away = {**web, "assets/app.js": page.replace("'/load-message'", "'https://api.example.com/x'")}
    assert profile_of(tmp_path / "b", away).conditions["outbound"]
