"""What the second-reader panels on real code agreed on: facts that stand but are no gap (a
narrow handler that ignores the one failure it expects, a fixture password in a doc, a fetch
in a command its user watches, an entity's own key in JPQL), misreadings (a package README
that walks through its code, a docstring counted as code, SQL that is a URL), and severity in
context (teaching material, a command-line tool). Each case is rebuilt small beside the one
that must stay as it is."""

from __future__ import annotations

from pathlib import Path

from evals.probe_corpus import probe_snapshot, write_files
from pipeline.probes.engine import run_probes
from pipeline.schemas import Category, CheckResult, Outcome, Profile, Severity
from pipeline.scoring.severity import adjust_severity
from tests.probes.conftest import RunProbe

PY = {"pyproject.toml": "[project]\nname = 'app'\n", "app.py": "def f():\n    return 1\n"}
KEY = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A"


def test_a_narrow_handler_that_passes_is_a_fact_but_no_gap(run_probe: RunProbe) -> None:
    narrow = (
        "def f(p):\n    try:\n        p.unlink()\n    except FileNotFoundError:\n        pass\n"
    )
    result = run_probe("ERR002", {**PY, "app.py": narrow.replace("FileNotFound", "Permission")})
    assert result.outcome is Outcome.failed and "narrow" in result.advisory
    broad = narrow.replace("FileNotFoundError", "Exception")
    result = run_probe("ERR002", {**PY, "app.py": broad.replace("p.unlink()", "p.save()")})
    assert result.outcome is Outcome.failed and result.advisory == ""


def test_a_broad_handler_with_a_fallback_for_one_operation_is_no_gap(run_probe: RunProbe) -> None:
    # loguru, mingpt, yolov5: repr() failing gives a placeholder; a missing package is
    # installed and imported again.
    one = "def show(v):\n    try:\n        s = repr(v)\n    except Exception:\n"
    one += "        s = '<unprintable>'\n    return s\n"
    result = run_probe("ERR009", {**PY, "app.py": one})
    assert result.outcome is Outcome.failed and "one operation" in result.advisory
    # A broad catch over steps that may have half happened, or a bare `pass`, stays a gap.
    steps = "def save(db, row):\n    try:\n        db.insert(row)\n        db.commit()\n"
    steps += "    except Exception:\n        db = None\n    return db\n"
    assert run_probe("ERR009", {**PY, "app.py": steps}).advisory == ""
    silent = one.replace("s = '<unprintable>'", "pass")
    assert run_probe("ERR009", {**PY, "app.py": silent}).advisory == ""
    # One statement that is a loop is many operations.
    loop = (
        "def show(vs):\n    s = []\n    try:\n        for v in vs:\n            s.append(repr(v))\n"
    )
    loop += "    except Exception:\n        s = None\n    return s\n"
    assert run_probe("ERR009", {**PY, "app.py": loop}).advisory == ""


def test_a_docs_sample_key_is_listed_but_a_provider_key_is_a_gap(
    run_probe: RunProbe,
) -> None:
    # A doc's sample setting (a test's own fixture values are not even counted).
    sample = "# Config\n\n```yaml\napi_key: 'Zq8vN2xR7tK4mP9wL3sY6bH1'\n```\n"
    result = run_probe("SEC025", {**PY, "docs/config.md": sample})
    assert result.outcome is Outcome.failed and "confirm fake" in result.advisory
    assert "Zq8vN2xR7tK4mP9wL3sY6bH1" not in " ".join(e.snippet or "" for e in result.evidence)
    live = {**PY, "tests/test_api.py": f"GITHUB_TOKEN = '{KEY}'\n"}
    result = run_probe("SEC025", live)
    assert result.outcome is Outcome.failed and result.advisory == ""
    assert result.severity is Severity.low


def _failed(check_id: str, category: Category) -> CheckResult:
    return CheckResult(
        id=check_id,
        category=category,
        severity=Severity.medium,
        title="t",
        outcome=Outcome.failed,
        message="m",
        rationale="r",
        remediation="x",
    )


def test_retries_are_no_gap_in_a_command_its_user_watches() -> None:
    retries = _failed("REL002", Category.reliability)
    [cli] = adjust_severity([retries], Profile(kinds=["cli"]))
    assert "command-line tool" in cli.advisory and cli.outcome is Outcome.failed
    [cli_lib] = adjust_severity([retries], Profile(kinds=["cli", "library"]))
    assert cli_lib.advisory
    # A tool that also serves or runs as a worker keeps the gap.
    for kinds in (["cli", "web_service"], ["worker"], ["sdk"]):
        [kept] = adjust_severity([retries], Profile(kinds=kinds))
        assert kept.advisory == "", kinds


def test_a_package_readme_that_walks_through_its_files_describes_the_design(
    run_probe: RunProbe,
) -> None:
    code = {f"site/{n}.py": "def f():\n    return 1\n" * 20 for n in ("settings", "urls", "wsgi")}
    walk = (
        "# `site` project directory\n\nThis directory hosts the Django project.\n\n"
        "- [`settings.py`](./settings.py), our settings file: it configures logging, the "
        "database connection and the middleware we use.\n\n"
        "- [`urls.py`](./urls.py), the URL configuration that forwards paths to the apps.\n\n"
        "- [`wsgi.py`](./wsgi.py), the adapter for waitress or uwsgi to run the application "
        "in production.\n"
    )
    files = {**PY, **code, "README.md": "# Site\n\nRun it.\n"}
    result = run_probe("DOC006", {**files, "site/README.md": walk})
    assert result.outcome is Outcome.passed and "site/README.md" in result.message
    # A folder README that only names two files is no map of the code.
    short = walk.split("- [`wsgi.py`]")[0]
    assert run_probe("DOC006", {**files, "site/README.md": short}).outcome is Outcome.failed


def test_a_long_docstring_does_not_make_a_long_function(run_probe: RunProbe) -> None:
    # flower's API handlers: 30 lines of code under a 140-line docstring of the HTTP API.
    doc = '    """Get the workers.\n\n' + "    detail of the API\n" * 140 + '    """\n'
    body = "    x = 1\n" * 30 + "    return x\n"
    documented = run_probe("CQ007", {**PY, "app.py": "def get():\n" + doc + body})
    assert documented.outcome is Outcome.passed and "32 lines" in documented.message
    code = "def get():\n" + "    x = 1\n" * 110 + "    return x\n"
    assert run_probe("CQ007", {**PY, "app.py": code}).outcome is Outcome.failed


def test_sql_split_over_lines_formats_nothing_and_an_entity_key_is_no_gap(
    run_probe: RunProbe,
) -> None:
    # spring-petclinic-rest: a literal split with `+` and bound by named parameters; a JPQL
    # delete keyed by the entity's own id.
    java = {"pom.xml": "<project/>\n"}
    split = (
        "class R {\n  void save(Object p) {\n    this.jdbc.update(\n"
        '        "UPDATE owners SET first_name=:firstName, " +\n'
        '            "city=:city WHERE id=:id",\n        p);\n  }\n}\n'
    )
    keyed = (
        "class P {\n  void delete(Pet pet) {\n    String petId = pet.getId().toString();\n"
        '    this.em.createQuery("DELETE FROM Pet pet WHERE id=" + petId).executeUpdate();\n'
        "  }\n}\n"
    )
    assert run_probe("SEC006", {**java, "src/R.java": split}).outcome is Outcome.passed
    # The entity's key is formatted in (the fact), but no caller's value reaches it (no gap).
    result = run_probe("SEC006", {**java, "src/R.java": keyed})
    assert result.outcome is Outcome.failed and "entity" in result.advisory
    # A request's value concatenated in stays a gap.
    tainted = keyed.replace("pet.getId().toString()", 'request.getParameter("id")')
    result = run_probe("SEC006", {**java, "src/R.java": tainted})
    assert result.outcome is Outcome.failed and result.advisory == ""


def test_tls_verification_off_weighs_less_in_a_command_line_tool() -> None:
    # hey (a load generator aimed at one's own servers), httpie's update check.
    tls = _failed("SEC005", Category.security).model_copy(update={"severity": Severity.high})
    [cli] = adjust_severity([tls], Profile(kinds=["cli"]))
    assert cli.severity is Severity.medium and "command-line tool" in cli.severity_note
    # flower: a web service that sends broker credentials with verification off keeps high.
    [service] = adjust_severity([tls], Profile(kinds=["cli", "web_service"]))
    assert service.severity is Severity.high


def test_a_dockerfile_that_copies_named_files_needs_no_dockerignore(run_probe: RunProbe) -> None:
    # glow: goreleaser builds the binary, the Dockerfile copies that one file.
    go = {"go.mod": "module x\n", "main.go": "package main\n\nfunc main() {}\n"}
    binary = "FROM gcr.io/distroless/static\nCOPY glow /usr/local/bin/glow\n"
    result = run_probe("DEP004", {**go, "Dockerfile": binary})
    assert result.outcome is Outcome.failed and "Dockerfile:2" in result.advisory
    # just: one binary per architecture, named through a build argument.
    arch = "FROM scratch\nARG TARGETARCH\nCOPY ${TARGETARCH}/just /just\n"
    assert run_probe("DEP004", {**go, "Dockerfile": arch}).advisory
    assert not run_probe("DEP004", {**go, "Dockerfile": arch.replace("/just /", " /")}).advisory
    # The whole context, or a folder of the repository, is what a .dockerignore filters.
    for copy in ("COPY . /src", "COPY ./ /src", "ADD cmd/ /src/cmd"):
        files = {
            **go,
            "cmd/x/main.go": "package main\n",
            "Dockerfile": f"FROM golang:1.22\n{copy}\n",
        }
        assert run_probe("DEP004", files).advisory == "", copy


def test_the_log_level_flag_of_the_program_is_found_before_a_release_config(
    run_probe: RunProbe,
) -> None:
    # shiori: a --log-level flag in code; GIN_MODE in .goreleaser.yaml of a program without gin.
    go = {"go.mod": "module x\n\nrequire github.com/sirupsen/logrus v1.9.0\n"}
    main = (
        'package main\n\nimport (\n\t"net/http"\n\n\t"github.com/sirupsen/logrus"\n)\n\n'
        'func main() {\n\tlogrus.Info("up")\n\thttp.ListenAndServe(":8080", nil)\n}\n'
    )
    flag = 'package main\n\nfunc flags() {\n\tcmd.Flags().String("log-level", "info", "level")\n}\n'
    release = "builds:\n  - env:\n      - GIN_MODE=release\n"
    files = {**go, "main.go": main, ".goreleaser.yaml": release}
    assert run_probe("CFG006", files).outcome is Outcome.failed
    result = run_probe("CFG006", {**files, "flags.go": flag})
    assert result.outcome is Outcome.passed and "flags.go:4" in result.message


def test_a_random_savepoint_name_or_a_quoted_identifier_is_not_a_formatted_value(
    run_probe: RunProbe,
) -> None:
    # sqlite-utils: nested transactions as SAVEPOINTs named by secrets.token_hex.
    code = (
        "import secrets\n\n\nclass Db:\n    def tx(self):\n"
        '        savepoint = f"sp_{secrets.token_hex(16)}"\n'
        '        self.conn.execute(f"SAVEPOINT {savepoint};")\n'
        '        self.conn.execute(f"RELEASE SAVEPOINT {savepoint};")\n'
    )
    assert run_probe("SEC006", {**PY, "db.py": code}).outcome is Outcome.passed
    # A name of unknown origin formatted where SQL takes a name, not a value: whether a
    # caller's input reaches it cannot be read here (round 14, datasette), so the reviewer
    # is asked; from a request it is a gap (tests/probes/test_round14.py).
    chosen = code.replace('f"sp_{secrets.token_hex(16)}"', "self.name")
    assert run_probe("SEC006", {**PY, "db.py": chosen}).outcome is Outcome.cannot_determine
    # A table name quoted as an identifier (names cannot be bound as parameters).
    quoted = 'def rename(db, a, b):\n    db.execute(f"ALTER TABLE {quote_identifier(a)} RENAME"'
    quoted += ' f" TO {quote_identifier(b)}")\n'
    assert run_probe("SEC006", {**PY, "db.py": quoted}).outcome is Outcome.passed
    assert (
        run_probe("SEC006", {**PY, "db.py": quoted.replace("quote_identifier(b)", "b")}).outcome
        is Outcome.cannot_determine
    )


def test_a_rest_clients_query_method_builds_a_path_not_sql(run_probe: RunProbe) -> None:
    # vue-realworld: ApiService.query("articles" + ...) is an axios GET.
    js = {"package.json": '{"name": "app", "dependencies": {"axios": "1.0.0", "pg": "8.0.0"}}'}
    rest = 'export const A = {\n  q(t) {\n    return api.query("articles" + t, {});\n  }\n};\n'
    assert run_probe("SEC006", {**js, "src/api.js": rest}).outcome is Outcome.passed
    sql = rest.replace('"articles"', '"SELECT * FROM articles WHERE type = "')
    assert run_probe("SEC006", {**js, "src/api.js": sql}).outcome is Outcome.failed
    # A template that opens with a value cannot be read: it stays a gap.
    opened = (
        "export async function f(db, q, id) {\n  return db.query(`${q} WHERE id = ${id}`);\n}\n"
    )
    assert run_probe("SEC006", {**js, "src/db.js": opened}).outcome is Outcome.failed


def test_chat_messages_are_content_not_a_pile_up(run_probe: RunProbe) -> None:
    app = {**PY, "app.py": "import sqlite3\n\ndb = sqlite3.connect('app.db')\n"}
    messages = "CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, body TEXT);\n"
    kept = run_probe("DATA007", {**app, "schema.sql": messages})
    assert kept.outcome is Outcome.failed and kept.advisory, kept.message
    sessions = messages.replace("messages", "sessions")
    piling = run_probe("DATA007", {**app, "schema.sql": sessions})
    assert piling.outcome is Outcome.failed and piling.advisory == ""


def test_teaching_material_weighs_missing_practices_as_lessons(tmp_path: Path) -> None:
    readme = (
        "# mini-db\n\nAn example server.\n\n**Disclaimer** Please don't use it in production. "
        "This project is\nintended to be a learning resource.\n"
    )
    server = (
        "from http.server import HTTPServer, BaseHTTPRequestHandler\n\n"
        "HTTPServer(('0.0.0.0', 8080), BaseHTTPRequestHandler).serve_forever()\n"
        "import pickle\n\n\ndef load(blob):\n    return pickle.loads(blob)\n"
    )
    files = {**PY, "server.py": server, "README.md": readme}
    write_files(tmp_path / "teach", files)
    result = run_probes(probe_snapshot(tmp_path / "teach", None))
    profile = result.profile
    assert profile.teaching is not None and profile.teaching.location == "README.md:6"
    checks = {c.id: c for c in adjust_severity(result.checks, profile)}
    assert (
        checks["DEP001"].severity is Severity.low
        and "README.md:6" in checks["DEP001"].severity_note
    )
    assert checks["SEC004"].severity is not Severity.low  # a hazard a reader would copy
    # The same code without the README's word is weighed as a service.
    write_files(tmp_path / "real", {**files, "README.md": "# mini-db\n\nA server.\n"})
    plain = run_probes(probe_snapshot(tmp_path / "real", None))
    assert plain.profile.teaching is None
    checks = {c.id: c for c in adjust_severity(plain.checks, plain.profile)}
    assert checks["DEP001"].severity is Severity.medium


def test_an_asciidoc_readme_is_prose_not_a_witness_of_a_framework(tmp_path: Path) -> None:
    # tut-rest: "web service: serves requests (README.adoc:192)", a sentence about
    # @RestController; the witness must be the code.
    pom = (
        "<project><dependencies><dependency><groupId>org.springframework.boot</groupId>"
        "<artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>\n"
    )
    controller = (
        "package payroll;\n\nimport org.springframework.web.bind.annotation.RestController;\n\n"
        "@RestController\nclass EmployeeController {\n}\n"
    )
    app = (
        "package payroll;\n\nimport org.springframework.boot.SpringApplication;\n\n"
        "class App {\n  public static void main(String[] a) {\n"
        "    SpringApplication.run(App.class, a);\n  }\n}\n"
    )
    doc = "= Guide\n\n* `@RestController` writes the data straight into the response body.\n"
    write_files(
        tmp_path,
        {
            "pom.xml": pom,
            "README.adoc": doc,
            "src/main/java/payroll/EmployeeController.java": controller,
            "src/main/java/payroll/App.java": app,
        },
    )
    profile = run_probes(probe_snapshot(tmp_path, None), select=["DOC001"]).profile
    [service] = [r for r in profile.reasons if r.kind == "web_service"]
    assert service.evidence and service.evidence[0].path.endswith(".java"), service.evidence


def test_spring_clouds_sleuth_and_hystrix_are_correlation_ids_and_a_circuit_breaker(
    run_probe: RunProbe,
) -> None:
    # piggymetrics: Sleuth in each service's pom; @EnableCircuitBreaker over Feign fallbacks.
    def pom(extra: str) -> str:
        return (
            "<project><dependencies><dependency><groupId>org.springframework.boot</groupId>"
            "<artifactId>spring-boot-starter-web</artifactId></dependency>"
            f"{extra}</dependencies></project>\n"
        )

    sleuth = (
        "<dependency><groupId>org.springframework.cloud</groupId>"
        "<artifactId>spring-cloud-starter-sleuth</artifactId></dependency>"
    )
    app = (
        "package acc;\n\nimport org.springframework.boot.SpringApplication;\n"
        "import org.springframework.cloud.openfeign.FeignClient;\n\n"
        "@EnableCircuitBreaker\nclass App {\n  public static void main(String[] a) {\n"
        "    SpringApplication.run(App.class, a);\n  }\n}\n"
        '@FeignClient(name = "stats", url = "http://stats")\ninterface Stats {}\n'
    )
    files = {"pom.xml": pom(sleuth), "src/main/java/acc/App.java": app}
    ids = run_probe("OBS008", files)
    assert ids.outcome is Outcome.passed and "pom.xml" in ids.message
    assert run_probe("OBS008", {**files, "pom.xml": pom("")}).outcome is Outcome.failed
    breaker = run_probe("REL003", files)
    assert breaker.outcome is Outcome.passed and "@EnableCircuitBreaker" in breaker.message


def test_a_migrator_on_sqlite_utils_tables_tracks_applied_versions(run_probe: RunProbe) -> None:
    # simonw/llm: llm/migrations.py records each applied function in db["_llm_migrations"].
    migrations = (
        "MIGRATIONS = []\nmigration = MIGRATIONS.append\n\n\ndef migrate(db):\n"
        '    done = {r["name"] for r in db["_llm_migrations"].rows}\n'
        "    for fn in MIGRATIONS:\n        if fn.__name__ not in done:\n            fn(db)\n"
        '            db["_llm_migrations"].insert({"name": fn.__name__})\n\n\n'
        '@migration\ndef m001(db):\n    db["log"].add_column("chat_id", str)\n'
    )
    app = {**PY, "app/cli.py": "import sqlite3\n\ndb = sqlite3.connect('logs.db')\n"}
    result = run_probe("DATA001", {**app, "app/migrations.py": migrations})
    assert result.outcome is Outcome.passed and "app/migrations.py:6" in result.message
    untracked = migrations.replace('db["_llm_migrations"]', 'db["log"]')
    assert run_probe("DATA001", {**app, "app/migrations.py": untracked}).outcome is not (
        Outcome.passed
    )


def test_pyreadline3_is_imported_as_readline(run_probe: RunProbe) -> None:
    deps = '[project]\nname = "app"\ndependencies = ["click", '
    deps += "\"pyreadline3; sys_platform == 'win32'\"]\n"
    code = "import readline\n\nimport click\n"
    assert run_probe("CQ012", {"pyproject.toml": deps, "app.py": code}).outcome is Outcome.passed


def test_from_uptime_kuma_knex_migrations_and_escaped_names(
    run_probe: RunProbe,
) -> None:
    # db/knex_migrations/ applied by knex.migrate.latest(): a prefixed migrations folder.
    pkg = '{"name": "kuma", "dependencies": {"knex": "2.5.0", "mysql2": "3.0.0"}}'
    db = (
        'const knex = require("knex");\n\nasync function up(knex) {\n'
        '  await knex.migrate.latest({ directory: "./db/knex_migrations" });\n}\n'
        "module.exports = { up };\n"
    )
    migration = (
        "exports.up = function (knex) {\n  return knex.schema.createTable('x', () => {});\n};\n"
    )
    files = {"package.json": pkg, "server/database.js": db}
    with_dir = {**files, "db/knex_migrations/2023-08-16-0000-create-uptime.js": migration}
    assert run_probe("DATA001", with_dir).outcome is Outcome.passed
    # A database name quoted with SqlString.escapeId is text, not a value.
    create = (
        "async function c(connection, name) {\n  const escaped = SqlString.escapeId(name, true);\n"
        '  await connection.execute("CREATE DATABASE IF NOT EXISTS " + escaped + " CHARACTER SET'
        ' utf8mb4");\n}\n'
    )
    assert run_probe("SEC006", {**files, "server/create.js": create}).outcome is Outcome.passed
    raw = create.replace("SqlString.escapeId(name, true)", "name")
    assert run_probe("SEC006", {**files, "server/create.js": raw}).outcome is Outcome.failed


def test_from_uptime_kuma_extra_holds_maintainer_scripts_and_the_images_health_check(
    run_probe: RunProbe,
) -> None:
    # extra/ beside the product: scripts package.json runs by name, and the program the
    # image's HEALTHCHECK runs against its own server.
    pkg = (
        '{"name": "kuma", "dependencies": {"express": "4.18.0", "axios": "1.6.0"},\n'
        '  "scripts": {"start-server": "node server/server.js",\n'
        '  "download-dist": "node extra/download-dist.js",\n'
        '  "rebase-pr": "node extra/rebase-pr.js 1.23.X"}}\n'
    )
    server = 'const express = require("express");\nconst app = express();\napp.listen(3001);\n'
    fetch = 'const axios = require("axios");\naxios.get(url).then((r) => r.data);\n'
    files = {"package.json": pkg, "server/server.js": server, "extra/download-dist.js": fetch}
    result = run_probe("REL001", files)
    assert result.outcome is Outcome.failed and result.severity is Severity.low
    served = run_probe("REL001", {"package.json": pkg, "server/server.js": server + fetch})
    assert served.outcome is Outcome.failed and served.severity is Severity.high
    shell = 'const { execSync } = require("child_process");\n'
    shell += "const branch = process.argv[2];\nexecSync(`git rebase origin/${branch}`);\n"
    operator = run_probe("SEC003", {"package.json": pkg, "extra/rebase-pr.js": shell})
    product = run_probe("SEC003", {"package.json": pkg, "server/server.js": shell})
    assert product.outcome is Outcome.failed
    assert operator.severity is Severity.low and product.severity is Severity.high
    health = (
        'package main\n\nimport (\n\t"crypto/tls"\n\t"net/http"\n)\n\nfunc main() {\n'
        "\thttp.DefaultTransport.(*http.Transport).TLSClientConfig = &tls.Config{\n"
        '\t\tInsecureSkipVerify: true,\n\t}\n\thttp.Get("https://127.0.0.1:3001")\n}\n'
    )
    image = "FROM node:20\nHEALTHCHECK --timeout=30s CMD extra/healthcheck\n"
    go = {"go.mod": "module kuma\n\ngo 1.21\n", "docker/dockerfile": image}
    probe = run_probe("SEC005", {**go, "extra/healthcheck.go": health})
    assert probe.outcome is Outcome.failed and "HEALTHCHECK" in probe.advisory
    # The older JavaScript health check of the same name, kept beside it.
    old_js = 'process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";\nrequire("https").get(url);\n'
    both = {**go, "extra/healthcheck.go": health, "extra/healthcheck.js": old_js}
    assert "HEALTHCHECK" in run_probe("SEC005", both).advisory
    client = run_probe("SEC005", {**go, "server/client.go": health})
    assert client.outcome is Outcome.failed and client.advisory == ""
