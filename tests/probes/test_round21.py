"""What held-out round 21's first panel and labels taught (bakerydemo, pgweb, tealdeer, lldap,
svelte-realworld, shap-e, supabase-py, axios, jjwt, pgcli), measured before these fixes: each
case rebuilt small beside the one that must stay as it is."""

from __future__ import annotations

import json
from pathlib import Path

from evals.probe_corpus import probe_snapshot, write_files
from tests.probes.conftest import RunProbe, as_reported, profile_of


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
    assert run_probe("SEC003", files).outcome.value == "pass"
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
    assert run_probe("SEC006", files).outcome.value == "pass"
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


def test_cargo_fmt_through_a_toolchain_override_checks_formatting(run_probe: RunProbe) -> None:
    # lldap: `cargo +${{steps.toolchain.outputs.name}} fmt --check --all`.
    workflow = (
        "on: [push]\njobs:\n  fmt:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: cargo +${{steps.toolchain.outputs.name}} fmt --check --all\n"
    )
    files = {
        "Cargo.toml": '[package]\nname = "x"\nversion = "0.1.0"\n',
        "src/main.rs": "fn main() {}\n",
        ".github/workflows/ci.yml": workflow,
    }
    assert run_probe("CQ005", files).outcome.value == "pass"
    other = {**files, ".github/workflows/ci.yml": workflow.replace(" fmt --check", " build")}
    assert run_probe("CQ005", other).outcome.value == "fail"


def test_a_readme_whose_install_section_links_the_guide_in_the_repository(
    run_probe: RunProbe,
) -> None:
    # lldap: "## Installation" links docs/install.md#with-docker, which holds the commands.
    readme = (
        "# Server\n\nAn LDAP server.\n\n## Installation\n\nInstall it from "
        "[docker](docs/install.md#with-docker) or a package.\n\n## Usage\n\n"
        "Open the web front-end and create users.\n"
    )
    guide = "# Install\n\n## With Docker\n\n```sh\ndocker run -p 3890:3890 srv\n```\n"
    files = {"README.md": readme, "docs/install.md": guide, "main.py": "print(1)\n"}
    result = run_probe("DOC002", files)
    assert result.outcome.value == "pass", result.message
    assert "docs/install.md" in result.message
    bare = {**files, "docs/install.md": "# Install\n\nAsk the team.\n"}
    assert run_probe("DOC002", bare).outcome.value == "fail"


def test_an_install_command_quoted_in_a_sentence(run_probe: RunProbe) -> None:
    # shap-e: "# Usage\n\nInstall with `pip install -e .`." then the notebooks to open.
    readme = (
        "# Model\n\nCode for the paper.\n\n# Usage\n\nInstall with `pip install -e .`.\n\n"
        "To get started, see the notebooks.\n"
    )
    files = {"README.md": readme, "setup.py": "from setuptools import setup\nsetup()\n"}
    assert run_probe("DOC002", files).outcome.value == "pass"
    prose = readme.replace("Install with `pip install -e .`.", "Install it the usual way.")
    assert run_probe("DOC002", {**files, "README.md": prose}).outcome.value == "fail"


def test_gin_set_to_release_mode_by_its_name(run_probe: RunProbe) -> None:
    # pgweb: `if !options.Debug { gin.SetMode("release") }`.
    main = (
        'package main\n\nimport "github.com/gin-gonic/gin"\n\nvar debug bool\n\n'
        'func main() {\n\tif !debug {\n\t\tgin.SetMode("release")\n\t}\n'
        '\tr := gin.Default()\n\tr.Run(":8081")\n}\n'
    )
    gomod = "module x\n\ngo 1.22\n\nrequire github.com/gin-gonic/gin v1.10.0\n"
    files = {"go.mod": gomod, "main.go": main}
    assert run_probe("CFG003", files).outcome.value == "pass"
    debug = main.replace('\tif !debug {\n\t\tgin.SetMode("release")\n\t}\n', "")
    assert run_probe("CFG003", {**files, "main.go": debug}).outcome.value == "fail"


def test_groovy_tests_of_a_java_library_count(run_probe: RunProbe) -> None:
    # jjwt: ~210 Groovy/JUnit test classes under impl/src/test/groovy; one Java test.
    code = "package io.x;\n\npublic class Jwts {\n" + "    int a;\n" * 60 + "}\n"
    groovy = (
        "package io.x\n\nimport org.junit.Test\n\nclass JwtsTest {\n"
        + "    @Test\n    void testParse() {\n        assert true\n    }\n" * 5
        + "}\n"
    )
    spock = 'class JwtsSpec extends Specification {\n    def "it parses"() {\n    }\n}\n'
    files = {
        "pom.xml": "<project><artifactId>x</artifactId></project>\n",
        "impl/src/main/java/io/x/Jwts.java": code,
        "impl/src/test/groovy/io/x/JwtsTest.groovy": groovy,
        "impl/src/test/groovy/io/x/JwtsSpec.groovy": spock,
    }
    result = run_probe("TST001", files)
    assert result.outcome.value == "pass", result.message
    assert "6 test definitions in 2 files" in result.message, result.message
    assert run_probe("TST005", files).outcome.value == "pass"
    del files["impl/src/test/groovy/io/x/JwtsTest.groovy"]
    del files["impl/src/test/groovy/io/x/JwtsSpec.groovy"]
    assert run_probe("TST001", files).outcome.value == "fail"


def test_a_workflow_variable_holding_a_command_and_its_options(run_probe: RunProbe) -> None:
    # jjwt: `env: MVN_CMD: ./mvnw --no-transfer-progress -B`, then
    # `run: ${{env.MVN_CMD}} verify`. A script's message saying "not available" runs no ava.
    workflow = (
        "on: [push]\nenv:\n  MVN_CMD: ./mvnw --no-transfer-progress -B\njobs:\n  b:\n"
        "    runs-on: ubuntu-latest\n    steps:\n      - run: ${{env.MVN_CMD}} verify\n"
    )
    test = "package io.x;\n\nclass XTest {\n    @org.junit.Test\n    void t() {}\n}\n"
    files = {
        "pom.xml": "<project><artifactId>x</artifactId></project>\n",
        "src/main/java/io/x/X.java": "package io.x;\n\nclass X {}\n",
        "src/test/java/io/x/XTest.java": test,
        ".github/workflows/ci.yml": workflow,
    }
    result = run_probe("TST002", files)
    assert result.outcome.value == "pass", result.message
    assert "mvnw --no-transfer-progress -B verify" in result.message
    message = workflow.replace(
        "${{env.MVN_CMD}} verify", "echo 'softhsm2-util is not available, install it'"
    )
    result = run_probe("TST002", {**files, ".github/workflows/ci.yml": message})
    assert result.outcome.value == "fail", result.message


def test_a_release_made_through_githubs_release_api(run_probe: RunProbe) -> None:
    # tealdeer: release.yml sources scripts/upload-asset.sh, whose create_release curls
    # api.github.com/repos/$repo/releases; then each binary is uploaded.
    workflow = (
        "on:\n  push:\n    tags: ['v*']\njobs:\n  release:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: |\n          source ./scripts/upload-asset.sh\n"
        "          create_release $TOKEN $REPO $TAG\n"
    )
    script = (
        "create_release() {\n    curl -s -o create.json \\\n"
        '        "https://api.github.com/repos/$2/releases" \\\n'
        '        -d \'{"tag_name":"\'"$3"\'"}\'\n}\n'
    )
    files = {
        "Cargo.toml": '[package]\nname = "x"\nversion = "0.1.0"\n',
        "src/main.rs": "fn main() {}\n",
        ".github/workflows/release.yml": workflow,
        "scripts/upload-asset.sh": script,
    }
    assert run_probe("DEP009", files).outcome.value == "pass"
    other = {**files, "scripts/upload-asset.sh": script.replace("/releases", "/issues")}
    assert run_probe("DEP009", other).outcome.value == "fail"


_DJANGO_SETTINGS = (
    "import dj_database_url\n\nINSTALLED_APPS = ['django.contrib.auth']\n"
    "MIDDLEWARE = ['whitenoise.middleware.WhiteNoiseMiddleware']\n"
    "DATABASES = {'default': dj_database_url.config(conn_max_age=500)}\n"
    "STORAGES = {'default': {'BACKEND': 'storages.backends.s3boto3.S3Boto3Storage'}}\n"
)


def test_django_settings_use_packages_by_dotted_path(run_probe: RunProbe) -> None:
    # bakerydemo: whitenoise in MIDDLEWARE, boto3 behind django-storages' s3boto3 backend,
    # uwsgi the server the Dockerfile runs; dj_database_url.config(conn_max_age=500).
    files = {
        "requirements.txt": "django>=5.0\ndj-database-url>=2.1\nwhitenoise>=6.6\n"
        "django-storages>=1.14\nboto3>=1.34\nuwsgi>=2.0\n",
        "site/settings.py": _DJANGO_SETTINGS,
        "site/models.py": "from django.db import models\n\n\nclass Bread(models.Model):\n"
        "    name = models.CharField(max_length=9)\n",
        "site/wsgi.py": "from django.core.wsgi import get_wsgi_application\n\n"
        "application = get_wsgi_application()\n",
        "site/storage.py": "import storages\n",
    }
    result = run_probe("CQ012", files)
    assert result.outcome.value == "pass", result.message
    assert run_probe("PERF001", files).outcome.value == "pass"
    unused = {**files, "requirements.txt": files["requirements.txt"] + "redis>=5.0\n"}
    assert "redis" in run_probe("CQ012", unused).message
    plain = _DJANGO_SETTINGS.replace("storages.backends.s3boto3.S3Boto3Storage", "x.Local")
    plain = plain.replace("whitenoise.middleware.WhiteNoiseMiddleware", "x.Middleware")
    message = run_probe("CQ012", {**files, "site/settings.py": plain}).message
    assert "whitenoise" in message and "boto3" in message, message
    short = _DJANGO_SETTINGS.replace("conn_max_age=500", "conn_max_age=0")
    assert run_probe("PERF001", {**files, "site/settings.py": short}).outcome.value == "fail"


def test_a_google_maps_key_served_to_pages_is_no_critical_leak(tmp_path: Path) -> None:
    # bakerydemo: GOOGLE_MAP_API_KEY = "AIza...", handed to the page for the Maps script.
    key = "AIzaSyD31CT9P9KxvNUJOwDq2kcFEIG8ADgaFgw"
    files = {"site/settings.py": f'GOOGLE_MAP_API_KEY = "{key}"\n', "app.py": "print(1)\n"}
    result = as_reported(tmp_path / "maps", "SEC001", files)
    assert result.outcome.value == "fail" and result.severity.value == "medium", result
    other = {"site/settings.py": f'TRANSLATE_SERVICE_KEY = "{key}"\n', "app.py": "print(1)\n"}
    assert as_reported(tmp_path / "other", "SEC001", other).severity.value == "critical"


def test_a_gulpfile_is_build_tooling_not_the_library(tmp_path: Path) -> None:
    # axios: gulpfile.js fetches contributors from api.github.com for the docs; it made the
    # HTTP library "a client library for a remote API" (an SDK).
    gulp = (
        "const fetch = require('node-fetch')\n\nasync function contributors(user, repo) {\n"
        "  return fetch(`https://api.github.com/repos/${user}/${repo}/contributors`)\n}\n"
        "module.exports = contributors\n"
    )
    lib = "module.exports = function request(config) {\n  return config\n}\n"
    files = {
        "package.json": json.dumps({"name": "lib", "version": "1.0.0", "main": "index.js"}),
        "index.js": "module.exports = require('./lib/request')\n",
        "lib/request.js": lib,
        "gulpfile.js": gulp,
    }
    assert profile_of(tmp_path / "lib", files).kinds == ["library"]
    client = {**files, "lib/github.js": gulp}
    assert "sdk" in profile_of(tmp_path / "sdk", client).kinds


def test_a_node_server_with_a_canned_handler_stands_in_for_the_remote(
    run_probe: RunProbe,
) -> None:
    # axios: test/helpers/server.js starts http.createServer(handler || async function
    # (req, res) {...}) for the adapters to call.
    client = "module.exports = async function get(url) {\n  return fetch(url)\n}\n"
    helper = (
        "const http = require('http')\n\nexports.start = (handler) => {\n"
        "  const server = http.createServer(handler || async function (req, res) {\n"
        "    res.end('ok')\n  })\n  return server.listen(0)\n}\n"
    )
    test = "const { start } = require('./helpers/server')\n\ntest('gets', () => {\n  start()\n})\n"
    files = {
        "package.json": json.dumps({"name": "lib", "version": "1.0.0", "main": "lib/get.js"}),
        "lib/get.js": client,
        "test/helpers/server.js": helper,
        "test/get.test.js": test,
    }
    assert run_probe("TST011", files).outcome.value == "pass"
    own = helper.replace(
        "http.createServer(handler || async function (req, res) {\n    res.end('ok')\n  })",
        "http.createServer(app)",
    )
    assert run_probe("TST011", {**files, "test/helpers/server.js": own}).outcome.value == "fail"


def test_env_variables_named_after_a_templates_keys_are_documented(run_probe: RunProbe) -> None:
    # lldap: the docker config template documents `force_ldap_user_pass_reset` and says each
    # key can be set as LLDAP_<KEY> (a [section]'s keys as LLDAP_<SECTION>__<KEY>).
    main = (
        "fn main() {\n"
        '    let a = std::env::var("LLDAP_FORCE_LDAP_USER_PASS_RESET");\n'
        '    let b = std::env::var("LLDAP_HEALTHCHECK_OPTIONS__HTTP_HOST");\n'
        '    let c = std::env::var("LLDAP_VERBOSE");\n}\n'
    )
    template = (
        '## Any key can be set as an environment variable prefixed with "LLDAP_".\n'
        "# verbose=false\n# force_ldap_user_pass_reset = false\n\n"
        '[healthcheck_options]\n# http_host = "localhost"\n'
    )
    files = {
        "Cargo.toml": '[package]\nname = "x"\nversion = "0.1.0"\n',
        "src/main.rs": main,
        "lldap_config.docker_template.toml": template,
    }
    result = run_probe("CFG004", files)
    assert result.outcome.value == "pass", result.message
    bare = {**files, "lldap_config.docker_template.toml": "# nothing here\n"}
    assert run_probe("CFG004", bare).outcome.value == "fail"


def test_a_command_line_client_keeps_its_one_connection(run_probe: RunProbe) -> None:
    # pgcli: an interactive client holding one connection for its session.
    files = {
        "pyproject.toml": '[project]\nname = "cli"\nversion = "1"\ndependencies = ["psycopg"]\n'
        '\n[project.scripts]\npgc = "cli.main:cli"\n',
        "cli/main.py": _PGCLI,
    }
    result = run_probe("PERF001", files)
    assert result.outcome.value == "pass", result.message
    assert "command-line program" in result.message
    server = _PGCLI + "\n\nfrom flask import Flask\n\napp = Flask(__name__)\napp.run()\n"
    served = {**files, "cli/main.py": server}
    assert run_probe("PERF001", served).outcome.value == "fail"


def test_an_httpx_client_imported_by_name_calls_out(run_probe: RunProbe) -> None:
    # supabase-py: `from httpx import AsyncClient`, then `AsyncClient(base_url=url)`.
    api = (
        "from httpx import AsyncClient\n\n\nclass Api:\n    def __init__(self, url):\n"
        "        self._http = AsyncClient(base_url=url)\n\n"
        "    async def get(self, path):\n        return await self._http.request('GET', path)\n"
    )
    files = {
        "pyproject.toml": '[project]\nname = "sdk"\nversion = "1"\ndependencies = ["httpx"]\n',
        "sdk/api.py": api,
    }
    assert run_probe("REL001", files).outcome.value in ("pass", "fail", "cannot_determine")
    typed = "from httpx import Response\n\n\ndef ok(r: Response) -> bool:\n    return True\n"
    assert run_probe("REL001", {**files, "sdk/api.py": typed}).outcome.value == "not_applicable"


def test_a_go_test_serving_canned_routes_stands_in(run_probe: RunProbe) -> None:
    # pgweb's backend_test.go: gin.New(), router.POST("/timeout", func(c *gin.Context) {...})
    # served on localhost for the credential backend client to call.
    client = (
        'package connect\n\nimport "net/http"\n\nfunc Fetch(url string) error {\n'
        '\t_, err := http.Post(url, "application/json", nil)\n\treturn err\n}\n'
    )
    test = (
        'package connect\n\nimport (\n\t"net/http"\n\t"testing"\n\n'
        '\t"github.com/gin-gonic/gin"\n)\n\nfunc TestFetch(t *testing.T) {\n'
        "\trouter := gin.New()\n"
        '\trouter.POST("/timeout", func(c *gin.Context) {\n\t\tc.JSON(200, gin.H{})\n\t})\n'
        '\tgo http.ListenAndServe(":5555", router)\n\tFetch("http://localhost:5555/timeout")\n}\n'
    )
    files = {"go.mod": "module x\n\ngo 1.22\n", "connect/c.go": client, "connect/c_test.go": test}
    assert run_probe("TST011", files).outcome.value == "pass"
    own = test.replace(
        '\trouter.POST("/timeout", func(c *gin.Context) {\n\t\tc.JSON(200, gin.H{})\n\t})\n', ""
    )
    assert run_probe("TST011", {**files, "connect/c_test.go": own}).outcome.value == "fail"
