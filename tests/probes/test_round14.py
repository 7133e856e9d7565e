"""What held-out round 14 and its panel taught (datasette, ntfy, bat, cookiecutter, viper,
express, replicate-python, convnext, vercel-commerce, spring-boot-admin): each case rebuilt
small beside the one that must stay as it is."""

from __future__ import annotations

from pathlib import Path

from tests.probes.conftest import RunProbe, as_reported, profile_of
from tests.probes.test_testing import PY

_GO = {"go.mod": "module example.com/app\n\ngo 1.22\n"}
_SERVE = (
    'package main\n\nimport "net/http"\n\nfunc main() {\n'
    '\tsrv := &http.Server{Addr: ":8080"}\n\tsrv.ListenAndServe()\n}\n'
)


def test_a_module_named_for_samples_is_an_example(tmp_path: Path) -> None:
    # spring-boot-admin: spring-boot-admin-samples/*/src/main/java/... with JDBC and a
    # Dockerfile; the product ships jars.
    sample = "spring-boot-admin-samples/sample-servlet"
    files = {
        "pom.xml": "<project><artifactId>admin</artifactId></project>\n",
        "admin-server/src/main/java/a/Server.java": "package a;\npublic class Server {}\n",
        f"{sample}/src/main/java/a/App.java": "package a;\nimport org.springframework.jdbc"
        ".core.JdbcTemplate;\npublic class App { JdbcTemplate t; }\n",
        f"{sample}/Dockerfile": "FROM eclipse-temurin:21\n",
    }
    profile = profile_of(tmp_path / "samples", files)
    assert not profile.conditions["database"] and not profile.conditions["dockerfile"]


def test_cargo_binaries_under_src_bin_are_commands(tmp_path: Path) -> None:
    # bat: src/lib.rs and src/bin/bat/main.rs; Cargo builds both.
    cargo = "[package]\nname = 'bat'\nversion = '1.0.0'\n"
    files = {"Cargo.toml": cargo, "src/lib.rs": "pub mod assets;\n", "src/assets.rs": ""}
    main = 'fn main() {\n    println!("hi");\n}\n'
    assert "cli" in profile_of(tmp_path / "bin", {**files, "src/bin/bat/main.rs": main}).kinds
    assert profile_of(tmp_path / "lib", files).kinds == ["library"]


def test_a_service_with_user_subcommands_is_also_a_command_line_tool(tmp_path: Path) -> None:
    # ntfy: serve, publish, subscribe, access...; opengist: start, admin, hook, version.
    def command(name: str) -> str:
        return f'var cmd{name.title()} = &cli.Command{{\n\tName: "{name}",\n}}\n'

    head = 'package cmd\n\nimport "github.com/urfave/cli/v2"\n\n'
    user = head + "".join(command(n) for n in ("serve", "publish", "subscribe", "access"))
    admin = head + "".join(command(n) for n in ("start", "admin", "hook", "version"))
    files = {**_GO, "main.go": _SERVE}
    assert "cli" in profile_of(tmp_path / "ntfy", {**files, "cmd/cmds.go": user}).kinds
    assert "cli" not in profile_of(tmp_path / "opengist", {**files, "cmd/cmds.go": admin}).kinds


def test_locale_files_named_for_translations_and_commented_samples(run_probe: RunProbe) -> None:
    # spring-boot-admin: login/login.i18n.de.json holds "password": "Passwort".
    ui = {"package.json": '{"name": "ui"}', "src/index.js": "export const a = 1\n"}
    catalog = '{\n  "login": {\n    "password": "Kennwort-Eingabe"\n  }\n}\n'
    assert run_probe("SEC001", {**ui, "login/login.i18n.de.json": catalog}).outcome.value == "pass"
    assert run_probe("SEC001", {**ui, "login/login.de.json": catalog}).outcome.value == "fail"
    # ntfy's sample configs: values commented out, one given as "e.g.", one "mypass".
    server = "# - twilio-auth-token is the auth token, e.g. affebeef258625862586258625862586\n"
    config = {**PY, "server/server.yml": server + "listen: ':80'\n"}
    assert run_probe("SEC001", config).outcome.value == "pass"
    client = "# subscribe:\n#   - topic: alerts\n#     user: phill\n#     password: mypass\n"
    assert run_probe("SEC001", {**PY, "client/client.yml": client}).outcome.value == "pass"
    token = "# subscribe:\n#   - topic: alerts\n#     token: tk_AgQdq7mVBoFD37zQVN29RhuMzNIz2\n"
    result = run_probe("SEC001", {**PY, "client/client.yml": token})
    assert result.outcome.value == "fail" and result.severity.value == "medium"
    live = {**PY, "client/client.yml": token.replace("#     token", "    token")}
    assert run_probe("SEC001", live).severity.value == "critical"


def test_migration_steps_kept_in_a_map_with_a_version_table(run_probe: RunProbe) -> None:
    # ntfy's message cache: `migrations = map[int]func(...)`, `schemaVersion` table.
    cache = (
        'package server\n\nimport (\n\t"database/sql"\n\t_ "github.com/mattn/go-sqlite3"\n)\n\n'
        "const (\n\tcreateTable = `CREATE TABLE IF NOT EXISTS messages (id TEXT)`\n"
        "\tselectSchemaVersionQuery = `SELECT version FROM schemaVersion WHERE id = 1`\n)\n\n"
        "var migrations = map[int]func(db *sql.DB) error{\n\t0: migrateFrom0,\n}\n\n"
        "func migrateFrom0(db *sql.DB) error {\n"
        "\t_, err := db.Exec(`ALTER TABLE messages ADD COLUMN x INT`)\n\treturn err\n}\n\n"
        'func open() (*sql.DB, error) {\n\treturn sql.Open("sqlite3", "cache.db")\n}\n'
    )
    files = {**_GO, "main.go": _SERVE, "server/cache.go": cache}
    result = run_probe("DATA001", files)
    assert result.outcome.value == "pass" and "server/cache.go" in result.message
    unversioned = cache.replace("schemaVersion", "settings")
    assert run_probe("DATA001", {**files, "server/cache.go": unversioned}).outcome.value == "fail"


def test_sql_formatted_from_values_the_program_fixes(run_probe: RunProbe) -> None:
    # datasette: its own catalog tables looped over in a closure, a quoting helper that
    # doubles quotes, `limit + 1`; a value of unknown origin is for the reviewer.
    helpers = (
        "def escape_sqlite(s):\n    return '\"{}\"'.format(s.replace('\"', '\"\"'))\n\n\n"
        "TABLES = ('catalog_tables', 'catalog_views')\n"
    )
    app = (
        "from .utils import TABLES, escape_sqlite\n\n\n"
        "def clean(conn, names, limit):\n"
        "    def inner(c):\n"
        "        for table in TABLES:\n"
        "            c.execute('DELETE FROM {} WHERE x = ?'.format(table), [1])\n"
        "    inner(conn)\n"
        "    for name in names:\n"
        "        conn.execute(f'select * from {escape_sqlite(name)} limit {limit + 1}')\n"
    )
    files = {**PY, "pkg/__init__.py": "", "pkg/utils.py": helpers, "pkg/app.py": app}
    assert run_probe("SEC006", files).outcome.value == "pass"
    unknown = (
        app
        + "\n\ndef order(conn, column):\n    conn.execute(f'select * from t order by {column}')\n"
    )
    result = run_probe("SEC006", {**files, "pkg/app.py": unknown})
    assert result.outcome.value == "cannot_determine" and "pkg/app.py:14" in result.message
    flask = (
        "from flask import Flask, request\napp = Flask(__name__)\n\n\n@app.get('/t')\n"
        "def get(conn):\n    conn.execute(f\"select * from t where a = '{request.args['a']}'\")\n"
    )
    assert run_probe("SEC006", {**files, "pkg/web.py": flask}).outcome.value == "fail"
    # A table name from the request, formatted where SQL takes a name: a gap too.
    table = flask.replace("where a = '{request.args['a']}'", "").replace(
        "from t", "from {request.args['t']}"
    )
    assert run_probe("SEC006", {**files, "pkg/web.py": table}).outcome.value == "fail"


def test_ci_through_nyc_and_a_shared_secret_and_spring_asserts(run_probe: RunProbe) -> None:
    from tests.probes.test_testing import wf

    # express: `npm run test-ci` runs `nyc --exclude examples ... npm test`, i.e. mocha.
    pkg = (
        '{"name": "e", "scripts": {"test": "mocha test/", "test-ci": '
        '"nyc --exclude examples --reporter=lcovonly npm test"}}'
    )
    files = {"package.json": pkg, "index.js": "module.exports = 1\n", "test/a.js": "it('a')\n"}
    assert run_probe("TST002", {**files, **wf("npm run test-ci")}).outcome.value == "pass"
    # vercel/commerce: the revalidation webhook compares a secret the caller sends.
    route = (
        "export async function POST(req) {\n  const secret = req.nextUrl.searchParams.get('s')\n"
        "  if (secret !== process.env.REVALIDATION_SECRET) {\n    return new Response('', "
        "{ status: 401 })\n  }\n}\n"
    )
    next_app = {
        "package.json": '{"name": "shop", "scripts": {"start": "next start"}, '
        '"dependencies": {"next": "15"}}',
        "app/page.tsx": "import Link from 'next/link'\nexport default function P() {}\n",
    }
    assert run_probe("SEC012", {**next_app, "app/api/r/route.ts": route}).outcome.value == "pass"
    assert run_probe("SEC012", next_app).outcome.value == "fail"


def test_input_validation_in_a_service_that_keeps_no_data(tmp_path: Path) -> None:
    # vercel/commerce: no database; what a request sends goes to Shopify's API.
    def sec013(name: str, files: dict[str, str]) -> str:
        return as_reported(tmp_path / name, "SEC013", files).severity.value

    app = {
        "package.json": '{"name": "shop", "scripts": {"start": "node index.js"}, '
        '"dependencies": {"express": "4"}}',
        "index.js": "const app = require('express')()\n"
        "app.post('/cart', (req, res) => res.json(req.body))\napp.listen(3000)\n",
    }
    assert sec013("nodata", app) == "medium"
    stored = {
        **app,
        "package.json": app["package.json"].replace('"4"}', '"4", "pg": "8"}'),
        "db.js": "const { Pool } = require('pg')\nmodule.exports = new Pool()\n",
    }
    assert sec013("stored", stored) == "high"


def test_spring_asserts_in_value_types_are_hand_written_checks(run_probe: RunProbe) -> None:
    # spring-boot-admin's Registration: Assert.hasText(name, ...), Assert.notNull(url, ...).
    pom = (
        "<project><dependencies><dependency><groupId>org.springframework.boot</groupId>"
        "<artifactId>spring-boot-starter-webflux</artifactId></dependency></dependencies>"
        "</project>\n"
    )
    web = (
        "package a;\nimport org.springframework.web.bind.annotation.*;\n@RestController\n"
        'public class Api {\n  @PostMapping("/r")\n  public String r(@RequestBody Reg r) '
        "{ return r.name; }\n}\n"
    )
    checks = "".join(f'    Assert.hasText(f{i}, "f{i} must not be empty");\n' for i in range(3))
    reg = (
        "package a;\nimport org.springframework.util.Assert;\npublic class Reg {\n"
        "  String name;\n  Reg(String f0, String f1, String f2) {\n" + checks + "  }\n}\n"
    )
    app = (
        "package a;\nimport org.springframework.boot.SpringApplication;\n"
        "import org.springframework.boot.autoconfigure.SpringBootApplication;\n"
        "@SpringBootApplication\npublic class App {\n  public static void main(String[] a) "
        "{ SpringApplication.run(App.class, a); }\n}\n"
    )
    files = {"pom.xml": pom, "src/main/java/a/Api.java": web, "src/main/java/a/App.java": app}
    result = run_probe("SEC013", {**files, "src/main/java/a/Reg.java": reg})
    assert result.outcome.value == "fail" and result.partial and "hand-written" in result.message
    assert not run_probe("SEC013", files).partial


def test_docs_requirements_help_text_and_release_notes(run_probe: RunProbe) -> None:
    # ntfy: requirements.txt installs mkdocs only; `backups` is a topic in help text; the
    # release notes' "restoring from backup" is a fix, not a procedure.
    go = {**_GO, "main.go": _SERVE, "go.sum": "x v1 h1:y\n"}
    mod = _GO["go.mod"] + "\nrequire github.com/urfave/cli/v2 v2.27.0\n"
    docs = {**go, "go.mod": mod, "requirements.txt": "mkdocs-material\nmkdocs-minify-plugin\n"}
    assert run_probe("SEC020", docs).outcome.value == "pass"
    app = {**docs, "requirements.txt": "mkdocs-material\nrequests\n"}
    assert run_probe("SEC020", app).outcome.value == "fail"
    db = 'package main\n\nimport _ "github.com/mattn/go-sqlite3"\n'
    helptext = (
        "package cmd\n\nvar cmdPublish = &cli.Command{\n\tDescription: `Publish a message.\n\n"
        'Examples:\n  ntfy pub -p high backups "Backups failed"\n`,\n}\n'
    )
    notes = "# Releases\n\n* Fix re-subscribing after restoring from backup\n"
    files = {**go, "db.go": db, "cmd/publish.go": helptext, "docs/releases.md": notes}
    assert run_probe("DATA002", files).outcome.value == "fail"


def test_generated_release_notes_nix_hooks_and_slog(run_probe: RunProbe) -> None:
    # viper: .github/release.yml groups release notes by label; devenv git-hooks in
    # flake.nix; logger.go imports log/slog, which no "log" prefix should claim.
    lib = {**_GO, "viper.go": "package viper\n\nfunc Get() {}\n"}
    notes = "changelog:\n  categories:\n    - title: Features\n      labels: [kind/feature]\n"
    result = run_probe("DOC003", {**lib, ".github/release.yml": notes})
    assert result.outcome.value == "fail" and "GitHub generates" in result.advisory
    assert not run_probe("DOC003", lib).advisory
    flake = "{\n  outputs = { ... }: {\n    git-hooks.hooks = {\n      yamllint.enable = true;\n"
    flake += "    };\n  };\n}\n"
    assert run_probe("CQ008", {**lib, "flake.nix": flake}).outcome.value == "pass"
    assert run_probe("CQ008", lib).outcome.value == "fail"
    slog = 'package viper\n\nimport "log/slog"\n\nvar l = slog.New(slog.DiscardHandler)\n'
    served = {**lib, "main.go": _SERVE, "logger.go": slog}
    assert "log/slog" in run_probe("OBS001", served).message


def test_the_execute_crates_shell_runs_through_sh(run_probe: RunProbe) -> None:
    # bat's $LESSOPEN: `shell(shell_substitute(&self.lessopen, path))` from `execute`.
    cargo = "[package]\nname = 'b'\nversion = '1.0.0'\n\n[dependencies]\nexecute = '0.2'\n"
    code = (
        "use execute::{shell, Execute};\n\npub fn open(cmd: &str) {\n"
        "    let mut c = shell(cmd);\n    let _ = c.execute_output();\n}\n"
    )
    files = {"Cargo.toml": cargo, "src/lib.rs": code}
    result = run_probe("SEC003", files)
    assert result.outcome.value == "cannot_determine" and "src/lib.rs:4" in result.message
    own = code.replace("use execute::{shell, Execute};", "fn shell(s: &str) -> u8 { 0 }")
    assert run_probe("SEC003", {**files, "src/lib.rs": own}).outcome.value == "pass"


def test_a_next_site_with_one_webhook_has_no_api_to_describe(run_probe: RunProbe) -> None:
    # vercel/commerce: app/**/page.tsx pages and one app/api/revalidate/route.ts.
    app = {
        "package.json": '{"name": "shop", "scripts": {"start": "next start"}, '
        '"dependencies": {"next": "15"}}',
        "app/page.tsx": "import Link from 'next/link'\nexport default function P() {}\n",
        "app/api/revalidate/route.ts": "export async function POST() {\n"
        "  return Response.json({})\n}\n",
    }
    assert "no JSON API" in run_probe("DOC008", app).advisory
    api = {
        **app,
        **{f"app/api/r{i}/route.ts": "export async function GET() {}\n" for i in range(3)},
    }
    assert not run_probe("DOC008", api).advisory


def test_three_small_test_files_for_a_large_product_are_not_called_a_strength(
    run_probe: RunProbe,
) -> None:
    # yolov5: 3 test files, 308 lines, for 15,847 product lines (2 %) read as a strength.
    tests = {f"tests/test_{i}.py": "def test_f():\n    assert 1\n" for i in range(3)}
    large = {**PY, "app.py": "x = 1\n" * 400, **tests}
    result = run_probe("TST010", large)
    assert result.outcome.value == "pass" and "though thin" in result.message
    medium = {**PY, "app.py": "x = 1\n" * 150, **tests}  # 4 %: more than a token
    assert run_probe("TST010", medium).outcome.value == "pass"


def test_commands_listed_in_a_literal_slice(tmp_path: Path) -> None:
    # croc: `app.Commands = []*cli.Command{ {Name: "send", Flags: [...]}, {Name: "relay"}...`
    entries = "".join(
        f'\t\t{{\n\t\t\tName: "{n}",\n\t\t\tFlags: []cli.Flag{{\n'
        f'\t\t\t\t&cli.BoolFlag{{Name: "zip"}},\n\t\t\t}},\n\t\t}},\n'
        for n in ("send", "receive", "relay", "version")
    )
    code = (
        'package cli\n\nimport "github.com/urfave/cli/v2"\n\nfunc Run() {\n\tapp := cli.NewApp()\n'
        f"\tapp.Commands = []*cli.Command{{\n{entries}\t}}\n}}\n"
    )
    files = {**_GO, "main.go": _SERVE, "src/cli/cli.go": code}
    profile = profile_of(tmp_path / "croc", files)
    assert "cli" in profile.kinds
    reason = next(k.reason for k in profile.reasons if k.kind == "cli")
    assert "send" in reason and "zip" not in reason


def test_go_flagsets_one_per_subcommand(tmp_path: Path) -> None:
    # benbjohnson/wtf: cmd/wtf/dial_create.go, dial_list.go... each flag.NewFlagSet; the
    # server's cmd/wtfd has one FlagSet of its own.
    def flagset(name: str) -> str:
        return (
            f'package main\n\nimport "flag"\n\nvar fs{len(name)} = flag.NewFlagSet("{name}", 0)\n'
        )

    files = {**_GO, "cmd/wtfd/main.go": _SERVE + flagset("wtfd").split("\n", 3)[3]}
    files |= {f"cmd/wtf/{n}.go": flagset(f"wtf-dial-{n}") for n in ("create", "list", "delete")}
    assert "cli" in profile_of(tmp_path / "cli", files).kinds
    one = {**_GO, "cmd/wtfd/main.go": files["cmd/wtfd/main.go"]}
    one |= {f"cmd/{n}/main.go": flagset(n) for n in ("a", "bb", "ccc")}
    assert "cli" not in profile_of(tmp_path / "servers", one).kinds


def test_a_browser_driven_against_the_running_app_is_end_to_end(run_probe: RunProbe) -> None:
    # benbjohnson/wtf: cmd/wtfd tests start Main on :0 and drive Chrome with chromedp.
    test = (
        'package main_test\n\nimport (\n\t"context"\n\t"testing"\n\n'
        '\t"github.com/chromedp/chromedp"\n)\n\nfunc TestLogin(t *testing.T) {\n'
        "\tctx, cancel := chromedp.NewContext(context.Background())\n\tdefer cancel()\n}\n"
    )
    unit = 'package main\n\nimport "testing"\n\nfunc TestX(t *testing.T) {}\n'
    files = {**_GO, "main.go": _SERVE, "cmd/wtfd/x_test.go": unit}
    assert run_probe("TST007", files).outcome.value == "fail"
    assert run_probe("TST007", {**files, "cmd/wtfd/auth_test.go": test}).outcome.value == "pass"
