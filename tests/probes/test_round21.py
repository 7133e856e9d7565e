"""What held-out round 21's first panel and labels taught (bakerydemo, pgweb, tealdeer, lldap,
svelte-realworld, shap-e, supabase-py, axios, jjwt, pgcli), measured before these fixes: each
case rebuilt small beside the one that must stay as it is."""

from __future__ import annotations

import json
from pathlib import Path

from evals.probe_corpus import probe_snapshot, write_files
from tests.probes.conftest import RunProbe


def test_a_make_pattern_rule_runs_a_packages_tests(run_probe: RunProbe) -> None:
    # supabase-py: CI runs `make ${{ matrix.package }}.tests`; the root Makefile's
    # `auth.%:` rule runs `$(MAKE) -C src/auth $*`, whose `tests` target runs pytest.
    workflow = (
        "on: [push]\njobs:\n  test:\n    strategy:\n      matrix:\n"
        '        package: ["auth", "storage"]\n    runs-on: ubuntu-latest\n'
        "    steps:\n      - run: make ${{ matrix.package }}.tests\n"
    )
    root = "auth.%:\n\t@$(MAKE) -C src/auth $*\n\nstorage.%:\n\t@$(MAKE) -C src/storage $*\n"
    package = "tests: pytest\n\npytest:\n\tuv run pytest --cov\n"
    files = {
        "pyproject.toml": '[project]\nname = "x"\nversion = "1"\n',
        "src/auth/x.py": "def f():\n    return 1\n",
        "src/auth/tests/test_x.py": "def test_f():\n    assert True\n",
        ".github/workflows/ci.yml": workflow,
        "Makefile": root,
        "src/auth/Makefile": package,
    }
    result = run_probe("TST002", files)
    assert result.outcome.value == "pass", result.message
    other = {**files, "src/auth/Makefile": "tests:\n\techo skipped\n"}
    assert run_probe("TST002", other).outcome.value == "fail"


def test_a_script_the_npm_package_does_not_publish_is_maintainer_tooling(
    run_probe: RunProbe,
) -> None:
    # axios: bin/contributors.js runs `exec(...)` with a formatted command to build the
    # changelog; .npmignore publishes only lib/, dist/ and index.*.
    script = (
        "import { exec } from 'child_process'\n\n"
        "export function tag(name) {\n  exec(`git tag ${name}`)\n}\n"
    )
    manifest = {"name": "lib", "version": "1.0.0", "main": "index.js"}
    files = {
        "package.json": json.dumps(manifest),
        ".npmignore": "**/*\n!/lib/**\n!index.js\n",
        "index.js": "module.exports = require('./lib/x')\n",
        "lib/x.js": "module.exports = 1\n",
        "bin/contributors.js": script,
    }
    assert run_probe("SEC003", files).outcome.value != "fail"
    # Named as the package's command, the script is published whatever .npmignore says.
    shipped = {**files, "package.json": json.dumps({**manifest, "bin": "bin/contributors.js"})}
    assert run_probe("SEC003", shipped).outcome.value == "fail"
    listed = {**files, "package.json": json.dumps({**manifest, "files": ["lib", "bin"]})}
    del listed[".npmignore"]
    assert run_probe("SEC003", listed).outcome.value == "fail"


def test_dtslint_type_checks_the_published_typings(run_probe: RunProbe) -> None:
    # axios: `npm test` runs `test:dtslint`, dtslint over index.d.ts with tsconfig.json.
    scripts = {"test": "npm run test:dtslint", "test:dtslint": "dtslint --localTs x"}
    workflow = (
        "on: [push]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n"
    )
    files = {
        "package.json": json.dumps({"name": "lib", "version": "1.0.0", "scripts": scripts}),
        "tsconfig.json": '{"compilerOptions": {"strict": true}}\n',
        "index.d.ts": "export declare const x: number;\n",
        "lib/x.js": "module.exports = 1\n",
        ".github/workflows/ci.yml": workflow,
    }
    assert run_probe("CQ004", files).outcome.value == "pass"
    plain = {"test": "npm run test:unit", "test:unit": "mocha"}
    other = {**files, "package.json": json.dumps({"name": "lib", "version": "1", "scripts": plain})}
    assert run_probe("CQ004", other).outcome.value == "fail"


_PGCLI = (
    "import click\nimport psycopg\n\n\n@click.command()\n@click.argument('dsn')\n"
    "def cli(dsn):\n    conn = psycopg.connect(dsn)\n    cur = conn.cursor()\n"
    "    cur.execute(TABLES)\n    cur.execute(input())\n    print(cur.fetchall())\n\n\n"
    'TABLES = """\n    SELECT relname\n    FROM pg_catalog.pg_class\n"""\n'
)


def test_a_client_of_its_users_databases_owns_no_schema(run_probe: RunProbe) -> None:
    # pgcli and pgweb connect to whatever database their user names and run the user's SQL:
    # they define no table, so migrations and indexes are not theirs to keep.
    files = {
        "pyproject.toml": '[project]\nname = "cli"\nversion = "1"\ndependencies = ["psycopg"]\n',
        "cli/main.py": _PGCLI,
    }
    for probe in ("DATA001", "PERF006"):
        result = run_probe(probe, files)
        assert result.outcome.value == "not_applicable", result.message
        assert "defines no table of its own" in result.message
    schema = "SCHEMA = 'CREATE TABLE history (id serial primary key, q text)'\n"
    owned = {**files, "cli/schema.py": schema}
    assert run_probe("DATA001", owned).outcome.value == "fail"
    assert run_probe("PERF006", owned).outcome.value == "fail"
    # An app querying tables it never defines, reading no catalogue, keeps its schema by
    # hand: that is the gap.
    by_hand = _PGCLI.replace("pg_catalog.pg_class", "orders")
    assert run_probe("DATA001", {**files, "cli/main.py": by_hand}).outcome.value == "fail"


def test_sample_data_only_tests_load_is_a_fixture(run_probe: RunProbe) -> None:
    # pgweb: data/booktown.sql is loaded into the test database by client_test.go; no
    # product file names it, so its CREATE TABLEs are not the product's schema.
    gomod = "module x\n\ngo 1.22\n\nrequire github.com/lib/pq v1.10.9\n"
    client = (
        'package client\n\nimport (\n\t"database/sql"\n\n\t_ "github.com/lib/pq"\n)\n\n'
        'func Open(url string) (*sql.DB, error) {\n\treturn sql.Open("postgres", url)\n}\n\n'
        'const Tables = "SELECT table_name FROM information_schema.tables"\n'
    )
    test = (
        'package client\n\nimport (\n\t"os/exec"\n\t"testing"\n)\n\n'
        'func TestLoad(t *testing.T) {\n\texec.Command("psql", "-f", "../../data/booktown.sql")'
        ".Run()\n}\n"
    )
    files = {
        "go.mod": gomod,
        "pkg/client/client.go": client,
        "pkg/client/client_test.go": test,
        "data/booktown.sql": "CREATE TABLE books (id integer PRIMARY KEY, title text);\n",
    }
    assert run_probe("DATA001", files).outcome.value == "not_applicable"
    # Loaded by the product (a seed the server runs), the file is its schema.
    seeded = client + '\nconst Seed = "data/booktown.sql"\n'
    assert run_probe("DATA001", {**files, "pkg/client/client.go": seeded}).outcome.value == "fail"


def test_a_migrator_built_on_a_query_builder_is_versioned(run_probe: RunProbe) -> None:
    # lldap: crates/sql-backend-handler/src/sql_migrations.rs creates tables with sea-query's
    # Table::create() and keeps the applied version through get_schema_version().
    migrations = (
        "use sea_orm::DatabaseConnection;\nuse sea_query::{Table, Index};\n\n"
        "pub async fn get_schema_version(db: &DatabaseConnection) -> Option<u32> {\n"
        "    None\n}\n\n"
        "pub async fn upgrade_to_v1(db: &DatabaseConnection) {\n"
        "    let t = Table::create().table(Users::Table).to_owned();\n"
        '    let i = Index::create().name("idx").to_owned();\n}\n'
    )
    cargo = '[package]\nname = "srv"\nversion = "0.1.0"\n\n[dependencies]\nsea-orm = "1"\n'
    files = {
        "Cargo.toml": cargo,
        "src/main.rs": "use sea_orm::Database;\n\nfn main() {}\n",
        "src/sql_migrations.rs": migrations,
    }
    result = run_probe("DATA001", files)
    assert result.outcome.value == "pass", result.message
    assert run_probe("PERF006", files).outcome.value == "pass"
    unversioned = migrations.replace("get_schema_version", "list_tables")
    result = run_probe("DATA001", {**files, "src/sql_migrations.rs": unversioned})
    assert result.outcome.value == "fail", result.message


_BASE = (
    "FROM alpine:3.22\nRUN adduser -D app\nCOPY server /app/server\n"
    'ENTRYPOINT ["tini", "--", "/docker-entrypoint.sh"]\nCMD ["run"]\n'
)
_CHILD = (
    "FROM localhost:5000/acme/server:alpine-base\nRUN apk add --no-cache gosu\n"
    "COPY docker-entrypoint.sh /docker-entrypoint.sh\n"
)
_ENTRY = '#!/bin/sh\nset -e\nchown -R app /data\nexec gosu app /app/server "$@"\n'


def test_an_image_built_on_the_repositorys_own_base_image(run_probe: RunProbe) -> None:
    # lldap: Dockerfile.ci.alpine starts FROM localhost:5000/lldap/lldap:alpine-base, built
    # from Dockerfile.ci.alpine-base, whose ENTRYPOINT runs the script the child copies in;
    # that script exec's the server through gosu.
    files = {
        "go.mod": "module x\n\ngo 1.22\n",
        "main.go": 'package main\n\nimport "net/http"\n\nfunc main() {\n'
        '\thttp.ListenAndServe(":80", nil)\n}\n',
        "docker/Dockerfile.ci.alpine-base": _BASE,
        "docker/Dockerfile.ci.alpine": _CHILD,
        "docker-entrypoint.sh": _ENTRY,
    }
    result = run_probe("DEP002", files)
    assert result.outcome.value == "pass", result.message
    assert run_probe("DEP003", files).outcome.value == "pass"
    root = {**files, "docker-entrypoint.sh": _ENTRY.replace("exec gosu app ", "exec ")}
    assert run_probe("DEP002", root).outcome.value == "fail"
    # An image from another registry is not the repository's own: its tag floats.
    pulled = {**files, "docker/Dockerfile.ci.alpine": _CHILD.replace("localhost:5000", "ghcr.io")}
    pulled["docker/Dockerfile.ci.alpine"] = pulled["docker/Dockerfile.ci.alpine"].replace(
        ":alpine-base", ":latest"
    )
    assert run_probe("DEP003", pulled).outcome.value == "fail"


def test_example_configuration_folders_are_examples(run_probe: RunProbe) -> None:
    # lldap: example_configs/podman-quadlets/lldap.container carries sample credentials;
    # a folder of example set-ups ships nothing.
    secret = 'GITHUB_TOKEN = "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"\n'
    files = {"app.py": "print(1)\n", "example_configs/quadlets/lldap.py": secret}
    assert run_probe("SEC001", files).outcome.value == "pass"
    shipped = {"app.py": "print(1)\n", "configs/quadlets/lldap.py": secret}
    assert run_probe("SEC001", shipped).outcome.value == "fail"


_RUST_SET_PASSWORD = (
    "fn call(url: &str) -> reqwest::Result<String> {\n"
    "    let client = reqwest::blocking::Client::new();\n"
    "    client.post(url).send()?.text()\n}\n\nfn main() {}\n"
)


def test_reqwests_blocking_client_times_out_by_default(run_probe: RunProbe) -> None:
    # lldap's set-password: reqwest::blocking::Client::new(), whose default timeout is 30 s.
    cargo = '[package]\nname = "x"\nversion = "0.1.0"\n\n[dependencies]\nreqwest = "0.12"\n'
    files = {"Cargo.toml": cargo, "src/main.rs": _RUST_SET_PASSWORD}
    result = run_probe("REL001", files)
    assert result.outcome.value == "pass", result.message
    assert "30 s" in result.message
    not_blocking = _RUST_SET_PASSWORD.replace("reqwest::blocking::Client", "reqwest::Client")
    result = run_probe("REL001", {**files, "src/main.rs": not_blocking})
    assert result.outcome.value == "fail", result.message


def test_an_http_clients_connect_timeout_is_no_database_timeout(run_probe: RunProbe) -> None:
    # lldap's migration-tool: ClientBuilder::new().connect_timeout(2 s) for GraphQL calls,
    # beside a sea-orm server whose ConnectOptions set no timeout.
    cargo = (
        '[package]\nname = "x"\nversion = "0.1.0"\n\n[dependencies]\nreqwest = "0.12"\n'
        'sqlx = "0.8"\n'
    )
    db = (
        "use sqlx::postgres::PgPoolOptions;\n\npub async fn pool(url: &str) {\n"
        "    let p = PgPoolOptions::new().max_connections(5).connect(url).await;\n}\n"
    )
    http = (
        "use reqwest::ClientBuilder;\n\npub fn client() {\n    let c = ClientBuilder::new()\n"
        "        .connect_timeout(std::time::Duration::from_secs(2))\n        .build();\n}\n"
    )
    files = {
        "Cargo.toml": cargo,
        "src/db.rs": db,
        "src/http.rs": http,
        "src/main.rs": "fn main() {}\n",
    }
    assert run_probe("REL006", files).outcome.value == "fail"
    timed = db.replace(".max_connections(5)", ".acquire_timeout(std::time::Duration::from_secs(3))")
    assert run_probe("REL006", {**files, "src/db.rs": timed}).outcome.value == "pass"


def test_sql_a_page_composes_is_no_injection_in_the_server(run_probe: RunProbe) -> None:
    # pgweb's static/js/app.js (jQuery) builds "TRUNCATE TABLE " + table and posts it to an
    # API whose purpose is to run its user's SQL.
    page = (
        "$(document).ready(function() {\n"
        "  function truncate(table) {\n"
        "    apiCall('post', '/query', { query: 'TRUNCATE TABLE ' + table });\n  }\n});\n"
        'function run(db, table) {\n  return db.query("DELETE FROM t WHERE id=" + table);\n}\n'
    )
    server = (
        "const db = require('pg')\n\nfunction drop(id) {\n"
        '  return db.query("DELETE FROM t WHERE id=" + id)\n}\nmodule.exports = drop\n'
    )
    files = {"package.json": '{"name": "x", "version": "1.0.0"}', "static/js/app.js": page}
    assert run_probe("SEC006", files).outcome.value != "fail"
    assert run_probe("SEC006", {**files, "lib/db.js": server}).outcome.value == "fail"


def test_a_plugin_copied_in_with_its_preserved_header_is_vendored(tmp_path: Path) -> None:
    # pgweb: static/js/bootstrap-contextmenu.js, a jQuery plugin whose `/*!` header names its
    # upstream repository and licence, and has no version.
    plugin = (
        "/*!\n * Bootstrap Context Menu\n * Author: @sydcanem\n"
        " * https://github.com/sydcanem/bootstrap-contextmenu\n *\n * Licensed under MIT\n */\n"
        ";(function($) {\n  var x = 1;\n}(jQuery));\n"
    )
    own = "/*!\n * Our app\n * Licensed under MIT\n */\nvar x = 1;\n"
    write_files(tmp_path, {"static/js/plugin.js": plugin, "static/js/app.js": own})
    kept = {f.path for f in probe_snapshot(tmp_path, None).files}
    assert "static/js/plugin.js" not in kept and "static/js/app.js" in kept


def test_a_go_request_bounded_by_its_callers_deadline(run_probe: RunProbe) -> None:
    # pgweb: FetchCredential(ctx, ...) sends http.DefaultClient.Do(req) with the ctx it is
    # given; its one caller makes that ctx with context.WithTimeout(..., 10 s).
    backend = (
        'package connect\n\nimport (\n\t"context"\n\t"net/http"\n)\n\n'
        "func Fetch(ctx context.Context, url string) error {\n"
        '\treq, err := http.NewRequestWithContext(ctx, "POST", url, nil)\n'
        "\tif err != nil {\n\t\treturn err\n\t}\n"
        "\t_, err = http.DefaultClient.Do(req)\n\treturn err\n}\n"
    )
    api = (
        'package api\n\nimport (\n\t"context"\n\t"time"\n\n\t"x/connect"\n)\n\n'
        "func Handle(url string) error {\n"
        "\tctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)\n"
        "\tdefer cancel()\n\treturn connect.Fetch(ctx, url)\n}\n"
    )
    files = {"go.mod": "module x\n\ngo 1.22\n", "connect/c.go": backend, "api/api.go": api}
    result = run_probe("REL001", files)
    assert result.outcome.value == "pass", result.message
    unbounded = api.replace(
        "context.WithTimeout(context.Background(), 10*time.Second)",
        "context.WithCancel(context.Background())",
    )
    result = run_probe("REL001", {**files, "api/api.go": unbounded})
    assert result.outcome.value == "fail", result.message
