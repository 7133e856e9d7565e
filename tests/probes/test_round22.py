"""What held-out round 22's first panel taught (ai-chatbot, statping-ng, goose, atuin,
pre-commit, wger, consistency-models, pusher-http-node, retrofit, gorilla-mux), measured
before these fixes: each case rebuilt small beside the one that must stay as it is."""

from __future__ import annotations

import json
from pathlib import Path

from evals.probe_corpus import probe_snapshot, write_files
from tests.probes.conftest import RunProbe, as_reported

_CARGO = '[package]\nname = "x"\nversion = "0.1.0"\n\n[dependencies]\nreqwest = "0.12"\n'


def test_a_secret_scanners_samples_beside_its_patterns(run_probe: RunProbe) -> None:
    # atuin's secrets.rs: ("GitHub PAT", "ghp_[a-zA-Z0-9]{36}", TestValue::Single("ghp_...")).
    token = "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"
    table = (
        'pub static PATTERNS: &[(&str, &str, &str)] = &[\n    (\n        "GitHub PAT",\n'
        f'        "ghp_[a-zA-Z0-9]{{36}}",\n        "{token}",\n    ),\n];\n'
    )
    files = {"Cargo.toml": _CARGO, "src/main.rs": "fn main() {}\n", "src/secrets.rs": table}
    result = run_probe("SEC001", files)
    assert result.outcome.value == "pass", result.message
    assert "a sample beside the pattern" in result.message
    bare = {**files, "src/secrets.rs": f'pub const TOKEN: &str = "{token}";\n'}
    assert run_probe("SEC001", bare).outcome.value == "fail"


def test_credentials_in_a_url_to_the_local_machine(run_probe: RunProbe) -> None:
    # wger's import command: MongoClient('mongodb://off:off-wger@127.0.0.1', port=27017).
    line = "client = MongoClient('mongodb://off:Xk9vQ2mZ7pL4wR8t@127.0.0.1', port=27017)\n"
    files = {"app/importer.py": f"from pymongo import MongoClient\n\n{line}"}
    assert run_probe("SEC001", files).outcome.value == "pass"
    remote = line.replace("127.0.0.1", "db.acme-corp.io")
    other = {"app/importer.py": f"from pymongo import MongoClient\n\n{remote}"}
    assert run_probe("SEC001", other).outcome.value == "fail"


def test_a_forms_placeholder_and_a_locale_module(run_probe: RunProbe) -> None:
    # statping-ng: Placeholder: "383810182:EEx829dtCeufeQYXG7CUdiQopqdmmxBPO7-s" in the
    # Telegram notifier's form; frontend/src/languages/german.js: password: "Kennwort".
    form = (
        'package notifiers\n\nvar Form = Field{\n\tTitle: "Telegram API Token",\n'
        '\tPlaceholder: "383810182:EEx829dtCeufeQYXG7CUdiQopqdmmxBPO7-s",\n}\n'
    )
    files = {"go.mod": "module x\n\ngo 1.22\n", "notifiers/telegram.go": form}
    assert run_probe("SEC001", files).outcome.value == "pass"
    token = form.replace("Placeholder:", "Token:")
    assert run_probe("SEC001", {**files, "notifiers/telegram.go": token}).outcome.value == "fail"


def test_a_django_models_table_name_is_no_injection(run_probe: RunProbe) -> None:
    # wger: cursor.execute("SELECT reltuples FROM pg_class WHERE relname = '%s';"
    #   % self.model._meta.db_table)
    manager = (
        "from django.db import connections, models\n\n\nclass Approx(models.QuerySet):\n"
        "    def count(self):\n        cursor = connections[self.db].cursor()\n"
        "        cursor.execute(\n"
        "            \"SELECT reltuples FROM pg_class WHERE relname = '%s';\" "
        "% self.model._meta.db_table\n        )\n        return cursor.fetchone()[0]\n"
    )
    files = {"requirements.txt": "django>=5\n", "app/managers.py": manager}
    assert run_probe("SEC006", files).outcome.value == "pass"
    tainted = manager.replace("self.model._meta.db_table", "self.request.GET['t']")
    assert run_probe("SEC006", {**files, "app/managers.py": tainted}).outcome.value == "fail"


_DRF = (
    "from rest_framework import viewsets\nfrom rest_framework.permissions import AllowAny, "
    "IsAuthenticated\nfrom rest_framework.response import Response\n\n\n"
    "class VersionView(viewsets.ViewSet):\n    permission_classes = (AllowAny,)\n\n"
    "    def get(self, request):\n        return Response('1.0')\n\n\n"
    "class ProfileView(viewsets.ViewSet):\n    permission_classes = (IsAuthenticated,)\n\n"
    "    def get(self, request):\n        return Response(request.user.email)\n"
)


def test_a_view_opened_with_allow_any_is_public_on_purpose(run_probe: RunProbe) -> None:
    # wger: ApplicationVersionView and RequiredServerVersionView set AllowAny themselves.
    files = {
        "requirements.txt": "django>=5\ndjangorestframework>=3\n",
        "app/views.py": _DRF,
        "app/wsgi.py": "from django.core.wsgi import get_wsgi_application\n\n"
        "application = get_wsgi_application()\n",
    }
    result = run_probe("SEC028", files)
    assert result.outcome.value == "pass", result.message
    assert "opened with AllowAny" in result.message
    forgotten = _DRF.replace("    permission_classes = (AllowAny,)\n\n", "")
    assert run_probe("SEC028", {**files, "app/views.py": forgotten}).outcome.value == "fail"


def test_drfs_scoped_throttle_alone_limits_only_scoped_views(run_probe: RunProbe) -> None:
    # wger: DEFAULT_THROTTLE_CLASSES = ['...ScopedRateThrottle'] and a few throttle_scopes.
    settings = (
        "REST_FRAMEWORK = {\n"
        "    'DEFAULT_THROTTLE_CLASSES': ['rest_framework.throttling.ScopedRateThrottle'],\n"
        "    'DEFAULT_THROTTLE_RATES': {'login': '10/min'},\n}\n"
    )
    view = _DRF.replace(
        "    permission_classes = (IsAuthenticated,)\n",
        "    permission_classes = (IsAuthenticated,)\n    throttle_scope = 'login'\n",
    )
    files = {
        "requirements.txt": "django>=5\ndjangorestframework>=3\n",
        "app/settings.py": settings,
        "app/views.py": view,
        "app/wsgi.py": "from django.core.wsgi import get_wsgi_application\n\n"
        "application = get_wsgi_application()\n",
    }
    result = run_probe("SEC027", files)
    assert result.outcome.value == "fail", result.message
    assert "ScopedRateThrottle" in result.message
    anon = settings.replace("ScopedRateThrottle'", "AnonRateThrottle'")
    assert run_probe("SEC027", {**files, "app/settings.py": anon}).outcome.value == "pass"


def test_a_page_asking_its_own_server_with_axios(run_probe: RunProbe) -> None:
    # statping-ng's frontend/src/API.js: axios.get('api/core') from the Vue page.
    page = (
        "import axios from 'axios'\n\n"
        "export async function core() {\n  return axios.get('api/core')\n}\n"
    )
    manifest = '{"name": "ui", "dependencies": {"axios": "1", "vue": "2"}}'
    files = {"package.json": manifest, "src/api.js": page}
    result = run_probe("REL001", files)
    assert result.outcome.value == "not_applicable", result.message
    based = page.replace(
        "import axios from 'axios'\n",
        "import axios from 'axios'\naxios.defaults.baseURL = 'https://api.example.com'\n",
    )
    assert run_probe("REL001", {**files, "src/api.js": based}).outcome.value == "fail"


def test_reqwest_deadlines_on_the_request_and_builders_returned(run_probe: RunProbe) -> None:
    # atuin: reqwest::Client::new().get(url)...timeout(Duration::from_secs(10)); and
    # client_builder() -> reqwest::ClientBuilder, whose callers set the timeouts.
    per_request = (
        "use std::time::Duration;\n\npub async fn models(url: &str) {\n"
        "    let r = reqwest::Client::new()\n        .get(url)\n"
        "        .timeout(Duration::from_secs(10));\n}\n\nfn main() {}\n"
    )
    files = {"Cargo.toml": _CARGO, "src/main.rs": per_request}
    assert run_probe("REL001", files).outcome.value == "pass"
    bare = per_request.replace("        .timeout(Duration::from_secs(10));\n", "        ;\n")
    assert run_probe("REL001", {**files, "src/main.rs": bare}).outcome.value == "fail"
    builder = (
        "pub fn client_builder() -> reqwest::ClientBuilder {\n"
        "    let builder = reqwest::Client::builder();\n    builder\n}\n\nfn main() {}\n"
    )
    assert (
        run_probe("REL001", {**files, "src/main.rs": builder}).outcome.value == "cannot_determine"
    )


def test_a_timeout_only_when_the_caller_sets_one(tmp_path: Path) -> None:
    # pusher-http-node: `if (config.timeout) { const controller = new AbortController() ...
    # signal = controller.signal }`, then fetch(url, { signal }): none by default.
    send = (
        "const fetch = require('node-fetch')\n\nfunction send(config, url) {\n"
        "  let signal\n  if (config.timeout) {\n    const controller = new AbortController()\n"
        "    setTimeout(() => controller.abort(), config.timeout)\n"
        "    signal = controller.signal\n  }\n  return fetch(url, { method: 'POST', signal })\n}\n"
        "module.exports = send\n"
    )
    files = {
        "package.json": json.dumps({"name": "sdk", "version": "1.0.0", "main": "lib/send.js"}),
        "lib/send.js": send,
    }
    result = as_reported(tmp_path / "opt", "REL001", files)
    assert result.outcome.value == "fail" and result.partial, result.message
    assert result.severity.value == "low"
    always = send.replace("  if (config.timeout) {\n", "  {\n")
    assert (
        as_reported(tmp_path / "on", "REL001", {**files, "lib/send.js": always}).outcome.value
        == "pass"
    )


def test_plain_grpc_as_the_default_of_a_tls_option(run_probe: RunProbe) -> None:
    # statping-ng: grpcOption := grpc.WithInsecure(); if s.VerifySSL.Bool { grpcOption =
    # grpc.WithTransportCredentials(h2creds) }.
    check = (
        'package services\n\nimport (\n\t"crypto/tls"\n\n\t"google.golang.org/grpc"\n'
        '\t"google.golang.org/grpc/credentials"\n)\n\n'
        "func Check(addr string, verify bool) error {\n\tgrpcOption := grpc.WithInsecure()\n"
        "\tif verify {\n\t\tcreds := credentials.NewTLS(&tls.Config{})\n"
        "\t\tgrpcOption = grpc.WithTransportCredentials(creds)\n\t}\n"
        "\t_, err := grpc.Dial(addr, grpcOption)\n\treturn err\n}\n"
    )
    files = {"go.mod": "module x\n\ngo 1.22\n", "services/check.go": check}
    assert run_probe("SEC005", files).outcome.value == "pass"
    forced = check.replace("\t\tgrpcOption = grpc.WithTransportCredentials(creds)\n", "")
    assert run_probe("SEC005", {**files, "services/check.go": forced}).outcome.value == "fail"


def test_postman_collections_run_by_newman_are_tests(run_probe: RunProbe) -> None:
    # statping-ng: the Go test job is `if: "false"`; matt-ball/newman-action runs the API
    # tests against the started server.
    workflow = (
        'on: [push]\njobs:\n  unit:\n    if: "false"\n    runs-on: ubuntu-latest\n'
        "    steps:\n      - run: go test ./...\n  api:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - uses: matt-ball/newman-action@master\n        with:\n"
        "          collection: ./dev/postman.json\n"
    )
    files = {
        "go.mod": "module x\n\ngo 1.22\n",
        "main.go": "package main\n\nfunc main() {}\n",
        "main_test.go": 'package main\n\nimport "testing"\n\nfunc TestX(t *testing.T) {}\n',
        ".github/workflows/ci.yml": workflow,
    }
    result = run_probe("TST002", files)
    assert result.outcome.value == "pass", result.message
    assert "newman run ./dev/postman.json" in result.message
    unit_only = workflow.split("  api:")[0]
    assert (
        run_probe("TST002", {**files, ".github/workflows/ci.yml": unit_only}).outcome.value
        == "fail"
    )


def test_a_workflow_a_tool_generated_still_runs(tmp_path: Path) -> None:
    # atuin's release.yml: "# This file was autogenerated by dist" (cargo-dist).
    workflow = "# This file was autogenerated by dist: https://example.com\non: push\n"
    write_files(tmp_path, {".github/workflows/release.yml": workflow, "gen.py": "# @generated\n"})
    kept = {f.path for f in probe_snapshot(tmp_path, None).files}
    assert ".github/workflows/release.yml" in kept
    assert "gen.py" not in kept


def test_spotless_applied_through_plugins_apply_and_dokka_references(run_probe: RunProbe) -> None:
    # retrofit: subprojects { plugins.apply('com.diffplug.spotless') } under `./gradlew build`;
    # prepareWebsite copies each module's dokkaHtml output into the published site.
    gradle = (
        "subprojects {\n  plugins.apply('com.diffplug.spotless')\n  spotless {\n"
        "    java { googleJavaFormat() }\n  }\n}\n\n"
        "tasks.create('prepareWebsite', Copy) {\n  from subproject.tasks.named('dokkaHtml')\n}\n"
    )
    workflow = (
        "on: [push]\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: ./gradlew build\n"
    )
    code = "package x;\n\npublic interface Call {\n  void run();\n}\n"
    files = {
        "build.gradle": gradle,
        "settings.gradle": "include 'lib'\n",
        "lib/src/main/java/x/Call.java": code,
        ".github/workflows/ci.yml": workflow,
    }
    assert run_probe("CQ005", files).outcome.value == "pass"
    assert run_probe("DOC007", files).outcome.value == "pass"
    bare = {**files, "build.gradle": "subprojects {\n  apply plugin: 'java'\n}\n"}
    assert run_probe("CQ005", bare).outcome.value == "fail"
    assert run_probe("DOC007", bare).outcome.value == "fail"


def test_a_command_line_tools_own_sqlite_cache(tmp_path: Path) -> None:
    # pre-commit's store.py: a SQLite cache in the user's cache folder, its tables created
    # IF NOT EXISTS: a low gap, not a high one.
    store = (
        "import sqlite3\n\n\ndef connect(path):\n    db = sqlite3.connect(path)\n"
        "    db.execute('CREATE TABLE IF NOT EXISTS repos (repo TEXT, path TEXT)')\n    return db\n"
    )
    main = (
        "import argparse\n\nfrom tool.store import connect\n\n\ndef main():\n"
        "    p = argparse.ArgumentParser()\n    p.parse_args()\n    connect('x.db')\n"
    )
    pyproject = (
        '[project]\nname = "tool"\nversion = "1"\n\n[project.scripts]\ntool = "tool.main:main"\n'
    )
    files = {"pyproject.toml": pyproject, "tool/store.py": store, "tool/main.py": main}
    result = as_reported(tmp_path / "cli", "DATA001", files)
    assert result.outcome.value == "fail" and result.severity.value == "low", result
    served = {
        **files,
        "tool/web.py": "from flask import Flask\n\napp = Flask(__name__)\napp.run()\n",
    }
    assert as_reported(tmp_path / "svc", "DATA001", served).severity.value == "high"


def test_an_mcp_server_over_stdio_serves_no_http(tmp_path: Path) -> None:
    # atuin-ai's mcp.rs: `.serve(rmcp::transport::stdio())` in a CLI crate using axum
    # elsewhere; it answers its parent process, not the network.
    from tests.probes.conftest import profile_of

    cargo = '[package]\nname = "x"\nversion = "0.1.0"\n\n[dependencies]\naxum = "0.7"\nclap = "4"\n'
    mcp = (
        "use axum::Router;\nuse clap::Parser;\n\n#[derive(Parser)]\nstruct Cli {}\n\n"
        "async fn run(server: S) {\n    server.serve(rmcp::transport::stdio()).await;\n}\n\n"
        "fn main() {\n    Cli::parse();\n}\n"
    )
    files = {"Cargo.toml": cargo, "src/main.rs": mcp}
    assert "web_service" not in profile_of(tmp_path / "stdio", files).kinds
    http = mcp.replace("server.serve(rmcp::transport::stdio())", "axum::serve(listener, app)")
    assert "web_service" in profile_of(tmp_path / "http", {**files, "src/main.rs": http}).kinds


def test_calls_in_crates_no_server_builds_run_only_in_the_command(tmp_path: Path) -> None:
    # atuin: the sync server's crate does not depend on the client crates whose login
    # calls have no timeout; only the CLI runs them (a dev-dependency does not count).
    root = '[workspace]\nmembers = ["server", "client"]\n'
    server = (
        '[package]\nname = "server"\nversion = "0.1.0"\n\n[dependencies]\naxum = "0.7"\n\n'
        '[dev-dependencies]\nclient = { path = "../client" }\n'
    )
    client = '[package]\nname = "client"\nversion = "0.1.0"\n\n[dependencies]\nreqwest = "0.12"\n'
    serve = "async fn run() {\n    axum::serve(listener, app).await;\n}\n\nfn main() {}\n"
    login = "pub async fn login(url: &str) {\n    let c = reqwest::Client::new();\n}\n"
    files = {
        "Cargo.toml": root,
        "server/Cargo.toml": server,
        "server/src/main.rs": serve,
        "client/Cargo.toml": client,
        "client/src/lib.rs": login,
    }
    result = as_reported(tmp_path / "apart", "REL001", files)
    assert result.outcome.value == "fail" and result.severity.value == "low", result.message
    joined = server.replace('axum = "0.7"\n', 'axum = "0.7"\nclient = { path = "../client" }\n')
    shared = as_reported(tmp_path / "shared", "REL001", {**files, "server/Cargo.toml": joined})
    assert shared.severity.value == "high", shared.message


def test_an_image_built_on_a_base_the_repository_tags_itself(run_probe: RunProbe) -> None:
    # wger: extras/docker/base/Dockerfile says `# docker build --tag wger/base .`; the
    # production image starts FROM wger/base:latest and switches to USER wger.
    base = "# docker build --tag wger/base .\nFROM ubuntu:24.04\nRUN adduser wger\n"
    prod = (
        "FROM wger/base:latest AS builder\nRUN make\n\nFROM wger/base:latest AS final\n"
        'COPY --from=builder /app /app\nUSER wger\nCMD ["/app/run"]\n'
    )
    files = {
        "manage.py": "print(1)\n",
        "extras/docker/base/Dockerfile": base,
        "extras/docker/production/Dockerfile": prod,
    }
    result = run_probe("DEP002", files)
    assert result.outcome.value == "pass", result.message
    assert run_probe("DEP003", files).outcome.value == "pass"
    pulled = {**files, "extras/docker/base/Dockerfile": base.replace("--tag wger/base", "")}
    assert run_probe("DEP003", pulled).outcome.value == "fail"


def test_a_logging_format_of_named_fields_is_logfmt(run_probe: RunProbe) -> None:
    # wger's LOGGING: 'level={levelname} ts={asctime} module={module} message={message}'.
    settings = (
        "import logging\n\nlog = logging.getLogger(__name__)\n\nLOGGING = {\n"
        "    'formatters': {'simple': {'format': 'level={levelname} ts={asctime} "
        "module={module} message={message}', 'style': '{'}},\n}\n"
    )
    main = (
        "import logging\n\nfrom flask import Flask\n\napp = Flask(__name__)\n"
        "logging.getLogger(__name__).info('started')\napp.run()\n"
    )
    files = {"app/settings.py": settings, "app/main.py": main}
    assert run_probe("OBS002", files).outcome.value == "pass"
    plain = settings.replace(
        "'level={levelname} ts={asctime} module={module} message={message}'",
        "'{levelname} {asctime} {module} {message}'",
    )
    assert run_probe("OBS002", {**files, "app/settings.py": plain}).outcome.value == "fail"
