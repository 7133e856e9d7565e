"""What held-out round 11 taught (eza, jrnl, structlog, jhipster-sample, linkding, memos,
dockge, create-t3-app, slack-go, segment-anything): each case rebuilt small beside the one
that must stay as it is."""

from __future__ import annotations

from tests.probes.conftest import RunProbe
from tests.probes.test_testing import PY, TEST, wf


def test_tests_run_through_cargo_hack_uvx_and_poe_sequences(run_probe: RunProbe) -> None:
    rust = {"Cargo.toml": "[package]\nname = 'e'\n", "src/main.rs": "fn main() {}\n"}
    rust |= {"tests/cli.rs": "#[test]\nfn t() {}\n"}
    # eza: cargo-hack runs `cargo test` over feature sets.
    assert run_probe("TST002", {**rust, **wf("cargo hack test")}).outcome.value == "pass"
    assert run_probe("TST002", {**rust, **wf("cargo hack check")}).outcome.value == "fail"
    # structlog: uvx fetches tox, which runs pytest.
    tox = "[testenv]\ncommands = pytest {posargs}\n"
    uvx = wf("uvx --with tox-uv tox run -f py312-tests")
    assert run_probe("TST002", {**PY, **TEST, "tox.ini": tox, **uvx}).outcome.value == "pass"
    # jrnl: `poe test` is a sequence of task names, one of them a table running tox.
    poe = (
        "[project]\nname = 'app'\n\n[tool.poe.tasks]\ntest-run = [\n  {cmd = 'pytest -q'},\n]\n"
        "lint.default_item_type = 'cmd'\nlint.sequence = ['ruff check .']\n"
        "test = ['lint', 'test-run']\n"
    )
    files = {**PY, **TEST, "pyproject.toml": poe, **wf("poetry run poe test")}
    result = run_probe("TST002", files)
    assert result.outcome.value == "pass" and "pytest -q" in result.message
    lint_only = poe.replace("test = ['lint', 'test-run']", "test = ['lint']")
    files = {**PY, **TEST, "pyproject.toml": lint_only, **wf("poetry run poe test")}
    assert run_probe("TST002", files).outcome.value == "fail"


def test_liquibase_xml_changelogs_are_migrations(run_probe: RunProbe) -> None:
    # jhipster-sample: config/liquibase/changelog/*.xml, applied by Liquibase at start.
    pom = (
        "<project><dependencies>\n"
        "<dependency><groupId>org.springframework.boot</groupId>"
        "<artifactId>spring-boot-starter-data-jpa</artifactId></dependency>\n"
        "<dependency><groupId>org.liquibase</groupId>"
        "<artifactId>liquibase-core</artifactId></dependency>\n</dependencies></project>\n"
    )
    java = (
        "package app;\nimport liquibase.integration.spring.SpringLiquibase;\n"
        "import org.springframework.data.jpa.repository.JpaRepository;\n"
        "public interface Users extends JpaRepository<User, Long> {}\n"
    )
    files = {"pom.xml": pom, "src/main/java/app/Users.java": java}
    change = (
        '<databaseChangeLog>\n  <changeSet id="1" author="a">\n'
        '    <createTable tableName="t"/>\n  </changeSet>\n</databaseChangeLog>\n'
    )
    log = "src/main/resources/config/liquibase/changelog/00000000000000_initial_schema.xml"
    with_log = {**files, log: change}
    assert run_probe("DATA001", with_log).outcome.value == "pass"
    assert run_probe("DATA001", files).outcome.value == "fail"


def test_secret_shapes_that_are_no_secrets() -> None:
    from pipeline.secrets import find_secrets

    def kinds(line: str, path: str = "app.py") -> list[str]:
        return [m.kind for m in find_secrets(line, path)]

    # JHipster's sample JWT key: base64 of a sentence asking to change it.
    sample = (
        "bXktc2VjcmV0LWtleS13aGljaC1zaG91bGQtYmUtY2hhbmdlZC1pbi1wcm9kdWN0aW9uLWFuZC1i"
        "ZS1iYXNlNjQtZW5jb2RlZAo="
    )
    assert kinds(f'jwt_secret = "{sample}"') == []
    assert kinds('jwt_secret = "q9ZxT4mWv7LpR2sKd8NcB3yHf6Ja1Ue5"') != []
    # An AWS key id's shape inside a hex blob (memos' seed image) is no key id.
    blob = "X'4CF09F426C4A72C98965ACCAD210EAC6D2E7730B50448DDF6D73D482544EDCC50ED229D7'"
    assert kinds(f"INSERT INTO a VALUES({blob});", "seed.sql") == []
    assert kinds("aws_access_key_id = AKIAIOSFODNN7REALKEY") == ["aws_key"]
    # A digest stored under a name that says so; a prefix joined to random bytes.
    digest = "7631cdaa5b56a39371dab01d5d186fd73f05602cc8ad29bf72ffef3713badd9d"
    assert kinds(f'{{"tokenHash":"{digest}"}}', "seed.json") == []
    assert kinds('const secret = "whsec_" + btoa(String.fromCharCode(...bytes));', "a.ts") == []
    # Japanese prose has no spaces; a file artifact id in a URL is no credential.
    assert (
        kinds(
            '"accesskey-description": "バケットまたはS3互換サービスのアクセスキーID。"', "ja.json"
        )
        == []
    )
    url = f"wget https://www.sqlite.org/src/raw/ext/icu/icu.c?name={digest} -O icu.c"
    assert kinds(url, "Dockerfile") == []
    assert kinds(f"curl https://api.example.org/v1?token={digest}", "Dockerfile") != []


def test_secrets_a_reviewer_would_not_count(run_probe: RunProbe) -> None:
    # linkding: the base settings' SECRET_KEY is replaced by prod.py, read from a file or
    # generated; a local script's password equal to its user name.
    base = "SECRET_KEY = 'kgq$h3@!!vbb6*nzfz(dbze=*)zsroqa8gvc0#1gx$3cd8z99^'\nDEBUG = False\n"
    prod = (
        "from .base import *\n\ntry:\n    with open('secretkey.txt') as f:\n"
        "        SECRET_KEY = f.read().strip()\nexcept Exception:\n"
        "    SECRET_KEY = get_random_secret_key()\n"
    )
    django = {"manage.py": "import django\n", "app/settings/base.py": base}
    assert run_probe("SEC001", {**django, "app/settings/prod.py": prod}).outcome.value == "pass"
    kept = prod.replace("    SECRET_KEY = get_random_secret_key()\n", "    pass\n")
    assert run_probe("SEC001", {**django, "app/settings/prod.py": kept}).outcome.value == "fail"
    script = "export LD_DB_USER=linkding\nexport LD_DB_PASSWORD=linkding\n"
    assert run_probe("SEC001", {"scripts/run-postgres.sh": script}).outcome.value == "pass"
    other = script.replace("PASSWORD=linkding", "PASSWORD=Tr0ub4dor3xyz")
    assert run_probe("SEC001", {"scripts/run-postgres.sh": other}).outcome.value == "fail"
    # create-t3-app's site: Algolia DocSearch's search-only key, meant for browsers.
    algolia = (
        "export const ALGOLIA = {\n  indexName: 'create-t3-app',\n  appId: '0LE5592BV4',\n"
        "  apiKey: '892c4647b96fe1b3d0b7d8de1c5b5e40',\n};\n"
    )
    assert run_probe("SEC001", {"src/config.ts": algolia}).outcome.value == "pass"
    admin = algolia.replace("indexName: 'create-t3-app',\n", "")
    assert run_probe("SEC001", {"src/config.ts": admin}).outcome.value == "fail"


def test_tls_off_inside_a_closure_under_an_option_is_opt_in(run_probe: RunProbe) -> None:
    # memos: the transport option builder is a closure inside `if cfg.InsecureSkipTlsVerify`.
    go = (
        'package s3\n\nimport (\n\t"crypto/tls"\n\t"net/http"\n)\n\n'
        "func New(cfg Config) {\n\tif cfg.InsecureSkipTlsVerify {\n"
        "\t\tbuild(func(tr *http.Transport) {\n"
        "\t\t\ttr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true}\n\t\t})\n\t}\n"
        '\thttp.Get("https://s3")\n}\n'
    )
    files = {"go.mod": "module m\n\ngo 1.22\n", "s3.go": go}
    assert run_probe("SEC005", files).outcome.value == "pass"
    always = go.replace("\tif cfg.InsecureSkipTlsVerify {\n", "\t{\n")
    assert run_probe("SEC005", {**files, "s3.go": always}).outcome.value == "fail"


def test_a_usage_text_that_shows_curl_pipe_sh_runs_nothing(run_probe: RunProbe) -> None:
    # memos' scripts/install.sh prints how to run itself in a here-document.
    usage = (
        "#!/bin/sh\nusage() {\n  cat <<EOF\nExamples:\n"
        "  curl -fsSL https://example.org/install.sh | sh\nEOF\n}\n"
    )
    assert run_probe("SEC017", {"scripts/install.sh": usage}).outcome.value != "fail"
    runs = usage + "curl -fsSL https://example.org/other.sh | sh\n"
    assert run_probe("SEC017", {"scripts/install.sh": runs}).outcome.value == "fail"


def test_ruamel_safe_loader_bdd_scenarios_and_hidden_build_folders(run_probe: RunProbe) -> None:
    # jrnl: `yaml = YAML(typ="safe")` then yaml.load(f) builds plain data.
    code = "from ruamel.yaml import YAML\n\ndef load(f):\n    yaml = YAML(typ='safe')\n"
    code += "    return yaml.load(f)\n"
    assert run_probe("SEC004", {**PY, "app.py": code}).outcome.value == "pass"
    unsafe = code.replace("typ='safe'", "typ='unsafe'")
    assert run_probe("SEC004", {**PY, "app.py": unsafe}).outcome.value == "fail"
    # pytest-bdd scenarios drive the program as its user does.
    bdd = {"tests/bdd/test_features.py": "from pytest_bdd import scenarios\nscenarios('f')\n"}
    unit = {"tests/unit/test_a.py": "def test_a():\n    assert 1\n"}
    cli = {"pyproject.toml": "[project]\nname = 'app'\n\n[project.scripts]\napp = 'app:main'\n"}
    cli |= {"app.py": "import argparse\n\ndef main():\n    argparse.ArgumentParser()\n"}
    assert run_probe("TST007", {**cli, **unit, **bdd}).outcome.value == "pass"
    assert run_probe("TST007", {**cli, **unit}).outcome.value == "fail"
    # A hidden top-level folder holds build helpers, not product code.
    helper = {".build/bump.py": "import requests\nrequests.get('https://pypi.org')\n"}
    result = run_probe("REL001", {**PY, **helper})
    assert result.outcome.value == "not_applicable"


def test_development_only_cors_and_a_health_check_client_that_serves_nothing(
    run_probe: RunProbe,
) -> None:
    # dockge: every origin only `if (isDev)`; its Go health check imports net/http as a client.
    pkg = '{"name": "d", "dependencies": {"express": "4.18.0", "socket.io": "4.7.0"}}'
    server = (
        'import express from "express";\nimport { Server } from "socket.io";\n'
        "const app = express();\nconst isDev = process.env.NODE_ENV === 'development';\n"
        'let cors = undefined;\nif (isDev) {\n    cors = {\n        origin: "*",\n    };\n}\n'
        "const io = new Server(app.listen(5001), { cors });\n"
    )
    files = {"package.json": pkg, "backend/server.ts": server}
    assert run_probe("SEC011", files).outcome.value == "pass"
    always = server.replace("if (isDev) {", "if (true) {")
    assert run_probe("SEC011", {**files, "backend/server.ts": always}).outcome.value == "fail"
    health = (
        'package main\n\nimport "net/http"\n\nfunc main() {\n'
        '\thttp.Get("http://127.0.0.1:5001")\n}\n'
    )
    go = {"go.mod": "module d\n\ngo 1.22\n", "extra/healthcheck.go": health}
    result = run_probe("SEC014", {**files, **go})
    assert "healthcheck.go" not in result.message
    serving = health.replace(
        '\thttp.Get("http://127.0.0.1:5001")', '\thttp.ListenAndServe(":80", nil)'
    )
    result = run_probe("SEC014", {**files, **go, "extra/healthcheck.go": serving})
    assert result.outcome.value == "fail" and "MaxBytesReader" in result.message


def test_an_html_heading_for_command_line_options_is_a_usage_section(run_probe: RunProbe) -> None:
    # eza's README: `# Installation`, then `<h1>Command-line options</h1>` and examples.
    readme = (
        "# eza\n\nA modern ls.\n\n# Installation\n\n```\ncargo install eza\n```\n\n"
        '<a id="options">\n<h1>Command-line options</h1>\n</a>\n\n- **-l**: long view\n'
    )
    rust = {"Cargo.toml": "[package]\nname = 'eza'\n", "src/main.rs": "fn main() {}\n"}
    assert run_probe("DOC002", {**rust, "README.md": readme}).outcome.value == "pass"
    plain = readme.replace("<h1>Command-line options</h1>", "Some text")
    assert run_probe("DOC002", {**rust, "README.md": plain}).outcome.value == "fail"


def test_a_ui_label_is_no_backup_and_an_embedded_fs_panic_guards_an_invariant(
    run_probe: RunProbe,
) -> None:
    # memos: a settings page's translation key names backups; no procedure exists.
    go = {"go.mod": "module m\n\ngo 1.22\n\nrequire github.com/mattn/go-sqlite3 v1.14.0\n"}
    store = 'package store\n\nimport "database/sql"\nimport _ "github.com/mattn/go-sqlite3"\n\n'
    store += 'func Open() (*sql.DB, error) {\n\treturn sql.Open("sqlite3", "memos.db")\n}\n'
    ui = 'export const keys = ["setting.storage.database-note-backup"];\n'
    files = {**go, "store/db.go": store, "web/src/keys.ts": ui}
    assert run_probe("DATA002", files).outcome.value == "fail"
    script = "#!/bin/sh\nsqlite3 memos.db '.backup backup.db'\n"
    assert run_probe("DATA002", {**files, "scripts/backup.sh": script}).outcome.value == "pass"
    # memos: fs.Sub on files compiled into the binary fails only on a programming mistake.
    front = (
        'package frontend\n\nimport (\n\t"embed"\n\t"io/fs"\n)\n\n//go:embed dist/*\n'
        "var embeddedFiles embed.FS\n\nfunc getFileSystem(path string) fs.FS {\n"
        "\tsub, err := fs.Sub(embeddedFiles, path)\n\tif err != nil {\n\t\tpanic(err)\n\t}\n"
        "\treturn sub\n}\n"
    )
    files = {**go, "server/frontend/frontend.go": front}
    assert run_probe("ERR006", files).outcome.value == "pass"
    disk = front.replace("fs.Sub(embeddedFiles, path)", 'fs.Sub(os.DirFS(path), ".")')
    assert run_probe("ERR006", {**go, "server/frontend/frontend.go": disk}).outcome.value == "fail"


def test_skipping_one_item_of_a_loop_is_a_deliberate_catch(run_probe: RunProbe) -> None:
    # dockge parses each line of `docker stats`; a line that is no JSON is skipped.
    pkg = {"package.json": '{"name": "d"}'}
    loop = (
        "function stats(lines) {\n  const out = new Map();\n  for (const line of lines) {\n"
        "    try {\n      const obj = JSON.parse(line);\n      out.set(obj.Name, obj);\n"
        "    } catch (e) {\n    }\n  }\n  return out;\n}\nmodule.exports = { stats };\n"
    )
    assert run_probe("ERR003", {**pkg, "index.js": loop}).outcome.value == "pass"
    # The same catch with work after it in the loop's turn loses that work's failure.
    after = loop.replace("    } catch (e) {\n    }\n", "    } catch (e) {\n    }\n    out.size;\n")
    assert run_probe("ERR003", {**pkg, "index.js": after}).outcome.value == "fail"
    # mealie: a nutrition line that does not parse is skipped; the fact stays, the gap goes.
    py = {"pyproject.toml": "[project]\nname = 'app'\n"}
    skip = (
        "def parse(lines):\n    out = {}\n    for line in lines:\n        try:\n"
        "            k, v = line.split(':')\n            out[k] = float(v)\n"
        "        except Exception:\n            continue\n    return out\n"
    )
    result = run_probe("ERR002", {**py, "app.py": skip})
    assert result.outcome.value == "fail" and result.advisory
    alone = "def load(p):\n    try:\n        return open(p).read()\n    except Exception:\n"
    alone += "        pass\n"
    result = run_probe("ERR002", {**py, "app.py": alone})
    assert result.outcome.value == "fail" and not result.advisory
    assert result.severity.value == "medium"


def test_an_irc_raw_line_is_no_sql_and_a_project_template_is_no_product(
    run_probe: RunProbe,
) -> None:
    # thelounge: `irc.raw(`${cmd} ${args.join(" ")}`)` sends an IRC line.
    pkg = {"package.json": '{"name": "t", "dependencies": {"knex": "3.0.0"}}'}
    irc = 'export function run(irc, cmd, args) {\n  irc.raw(`${cmd} ${args.join(" ")}`);\n}\n'
    assert run_probe("SEC006", {**pkg, "src/whois.ts": irc}).outcome.value != "fail"
    sql = irc.replace("irc.raw(", "knex.raw(").replace("(irc, ", "(knex, ")
    assert run_probe("SEC006", {**pkg, "src/whois.ts": sql}).outcome.value == "fail"
    # create-t3-app: cli/template/ holds the Next.js project it writes for its users.
    cli = {
        "cli/package.json": '{"name": "create-x", "bin": {"create-x": "dist/index.js"}}',
        "cli/src/index.ts": "import { Command } from 'commander';\nnew Command().parse();\n",
        "cli/template/base/package.json": '{"name": "app", "dependencies": {"next": "15"}}',
        "cli/template/extras/src/server/db.ts": "import { drizzle } from 'drizzle-orm/mysql2';\n"
        "export const db = drizzle(process.env.DATABASE_URL!);\n",
    }
    assert run_probe("DATA001", cli).outcome.value == "not_applicable"


def test_writes_left_in_place_beside_an_atomic_helper_are_a_low_gap(run_probe: RunProbe) -> None:
    # jrnl and pipx write their state through a temp file and a rename; what stays in
    # place is a config rewrite, a marker file, a shebang.
    cli = {"pyproject.toml": "[project]\nname = 'j'\n\n[project.scripts]\nj = 'j:main'\n"}
    write = (
        "import json\nfrom pathlib import Path\n\ndef main():\n    pass\n\n"
        "def save_config(cfg):\n    with open(Path.home() / '.j.json', 'w') as f:\n"
        "        json.dump(cfg, f)\n"
    )
    helper = (
        "import os, tempfile\n\ndef atomic_write(filename, data):\n"
        "    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(filename))\n"
        "    with os.fdopen(fd, 'wb') as f:\n        f.write(data)\n    os.replace(tmp, filename)\n"
    )
    alone = run_probe("REL005", {**cli, "j/__init__.py": write})
    assert alone.outcome.value == "fail" and alone.severity.value == "medium"
    beside = run_probe("REL005", {**cli, "j/__init__.py": write, "j/path.py": helper})
    assert beside.outcome.value == "fail" and beside.severity.value == "low"
    assert "j/path.py" in beside.message


def test_a_test_server_class_type_tests_and_a_root_example(run_probe: RunProbe) -> None:
    # node-fetch: tests talk to their own TestServer; index.test-d.ts is a type test;
    # example.js at the root shows the library in use.
    pkg = {"package.json": '{"name": "f", "main": "src/index.js"}'}
    src = {"src/index.js": "export default async function get(u) {\n  return fetch(u)\n}\n"}
    tests = {"test/main.js": "import get from '../src/index.js'\nit('gets', () => get('x'))\n"}
    server = {"test/utils/server.js": "export default class TestServer {\n  start() {}\n}\n"}
    files = {**pkg, **src, **tests}
    assert run_probe("TST011", files).outcome.value == "fail"
    assert run_probe("TST011", {**files, **server}).outcome.value == "pass"
    from pipeline.ingest.languages import file_role, is_test_path

    assert is_test_path("@types/index.test-d.ts")
    assert file_role("example.js", "javascript") == "example"
    assert file_role("src/example.js", "javascript") == "product"


def test_logrus_and_tracing_fields_are_structured_and_sonar_is_a_linter(
    run_probe: RunProbe,
) -> None:
    # go-clean-arch logs through logrus (logfmt lines); mini-redis through tracing's fields.
    go = {"go.mod": "module a\n\ngo 1.22\n\nrequire github.com/sirupsen/logrus v1.9.0\n"}
    serve = 'package main\n\nimport (\n\t"net/http"\n\n\t"github.com/sirupsen/logrus"\n)\n\n'
    serve += 'func main() {\n\tlogrus.Info("start")\n\thttp.ListenAndServe(":80", nil)\n}\n'
    assert run_probe("OBS002", {**go, "main.go": serve}).outcome.value == "pass"
    plain = serve.replace('\n\t"github.com/sirupsen/logrus"', '\n\t"log"').replace(
        "logrus.", "log."
    )
    plain = plain.replace("require github.com/sirupsen/logrus v1.9.0\n", "")
    assert run_probe("OBS002", {**go, "main.go": plain}).outcome.value == "fail"
    # petclinic-rest: SonarCloud analysis in CI is its linter.
    pom = "<project><artifactId>p</artifactId></project>\n"
    java = {"pom.xml": pom, "src/main/java/p/App.java": "package p;\nclass App {}\n"}
    sonar = (
        "on: [push]\njobs:\n  b:\n    runs-on: x\n    steps:\n"
        "      - run: ./mvnw -B verify org.sonarsource.scanner.maven:sonar-maven-plugin:sonar\n"
    )
    files = {**java, ".github/workflows/build.yml": sonar}
    assert run_probe("CQ001", files).outcome.value == "pass"
    assert run_probe("CQ001", java).outcome.value == "fail"


def test_a_tls_option_set_by_assignment_and_a_bare_except_that_reraises(
    run_probe: RunProbe,
) -> None:
    # hackathon-starter turns verification off by assignment after a self-signed error.
    pkg = {"package.json": '{"name": "h", "dependencies": {"nodemailer": "6.9.0"}}'}
    mail = (
        "const nodemailer = require('nodemailer');\nfunction send(config, err) {\n"
        "  if (err.message === 'self signed certificate in certificate chain') {\n"
        "    config.tls.rejectUnauthorized = false;\n  }\n"
        "  return nodemailer.createTransport(config).sendMail({});\n}\n"
        "module.exports = { send };\n"
    )
    result = run_probe("SEC026", {**pkg, "config/mail.js": mail})
    assert result.outcome.value == "fail" and "config/mail.js:4" in result.message
    always = mail.replace(
        "  if (err.message === 'self signed certificate in certificate chain') {\n", "  {\n"
    )
    assert run_probe("SEC005", {**pkg, "config/mail.js": always}).outcome.value == "fail"
    # googlemaps: a bare except that always raises is no swallowed failure, and the
    # strength says which bare excepts it counts.
    py = {"pyproject.toml": "[project]\nname = 'g'\n"}
    code = "def extract(resp):\n    try:\n        return resp.json()\n    except:\n"
    code += "        raise ValueError('malformed')\n"
    result = run_probe("ERR001", {**py, "g.py": code})
    assert result.outcome.value == "pass" and "neither re-raise" in result.message


def test_hand_written_request_checks_make_missing_schemas_a_partial_medium_gap(
    run_probe: RunProbe,
) -> None:
    # dockge's socket handlers test types and throw ValidationError; no schema library.
    pkg = {"package.json": '{"name": "d", "dependencies": {"express": "4.18.0"}}'}
    handler = (
        "const express = require('express');\nconst app = express();\n"
        "class ValidationError extends Error {}\n"
        "app.post('/stacks', (req, res) => {\n"
        "  if (typeof req.body.name !== 'string') throw new ValidationError('name');\n"
        "  if (typeof req.body.yaml !== 'string') throw new ValidationError('yaml');\n"
        "  if (typeof req.body.env !== 'string') throw new ValidationError('env');\n"
        "  res.send('ok');\n});\napp.listen(5001);\n"
    )
    result = run_probe("SEC013", {**pkg, "server.js": handler})
    assert result.outcome.value == "fail" and result.severity.value == "medium"
    assert result.partial and "hand-written" in result.message
    bare = "const express = require('express');\nconst app = express();\n"
    bare += "app.post('/stacks', (req, res) => res.send(req.body.name));\napp.listen(5001);\n"
    result = run_probe("SEC013", {**pkg, "server.js": bare})
    assert result.outcome.value == "fail" and result.severity.value == "high"


def test_playgrounds_are_examples_and_a_compliance_adapter_is_a_test() -> None:
    # posthog-python: a FastAPI playground and the adapter its SDK compliance suite drives
    # made an SDK look like a web service.
    from pipeline.ingest.languages import file_role, is_test_path

    assert file_role("playgrounds/fastapi-exception-capture/app.py", "python") == "example"
    assert is_test_path("sdk_compliance_adapter/adapter.py")
    assert file_role("posthog/client.py", "python") == "product"
    assert not is_test_path("posthog/compliance.py")


def test_round12_migrations_placeholders_and_delegated_ci(run_probe: RunProbe) -> None:
    # writefreely: migrations/v1.go... applied in order, versions kept in `appmigrations`.
    go = {"go.mod": "module w\n\ngo 1.22\n\nrequire github.com/go-sql-driver/mysql v1.7.0\n"}
    db = (
        'package w\n\nimport (\n\t"database/sql"\n\t_ "github.com/go-sql-driver/mysql"\n)\n\n'
        'func Open() (*sql.DB, error) {\n\treturn sql.Open("mysql", "dsn")\n}\n'
    )
    runner = (
        'package migrations\n\nimport "database/sql"\n\nfunc Current(db *sql.DB) int {\n'
        "\tvar v int\n"
        '\tdb.QueryRow("SELECT MAX(version) FROM appmigrations").Scan(&v)\n\treturn v\n}\n'
    )
    step = (
        "package migrations\n\nfunc v1(db *sql.DB) error {\n"
        '\t_, err := db.Exec("CREATE TABLE users (id INT)")\n\treturn err\n}\n'
    )
    files = {**go, "db.go": db, "migrations/migrations.go": runner, "migrations/v1.go": step}
    assert run_probe("DATA001", files).outcome.value == "pass"
    # A placeholder password spelled with symbols; a value its comment calls a placeholder.
    compose = "services:\n  db:\n    environment:\n      - MYSQL_PASSWORD=P@ssw0rd\n"
    assert run_probe("SEC001", {**go, "docker-compose.prod.yml": compose}).outcome.value == "pass"
    knex = (
        "// for migrations only: the secret is set to a placeholder string to pass validation\n"
        'if (!process.env.JWT_SECRET) {\n  process.env.JWT_SECRET = "securekey";\n}\n'
    )
    node = {"package.json": '{"name": "k"}'}
    assert run_probe("SEC001", {**node, "knexfile.js": knex}).outcome.value == "pass"
    bare = knex.split("\n", 1)[1]
    assert run_probe("SEC001", {**node, "knexfile.js": bare}).outcome.value == "fail"
    # kutt: a knex migration formats `IF NOT EXISTS` into its DDL.
    pkg = {"package.json": '{"name": "k", "dependencies": {"knex": "3.0.0"}}'}
    ddl = "exports.up = async (knex) => {\n  const ine = 'IF NOT EXISTS';\n"
    ddl += "  await knex.raw(`CREATE INDEX ${ine} a_index ON links (a);`);\n};\n"
    assert (
        run_probe("SEC006", {**pkg, "server/migrations/1_indexes.js": ddl}).outcome.value != "fail"
    )
    # gum: CI is another repository's reusable workflow: cannot tell, not "no".
    rust = {"Cargo.toml": "[package]\nname = 'g'\n", "src/main.rs": "fn main() {}\n"}
    flow = "on: [push]\njobs:\n  build:\n    uses: org/meta/.github/workflows/build.yml@main\n"
    result = run_probe("TST002", {**rust, ".github/workflows/build.yml": flow})
    assert result.outcome.value == "cannot_determine"
    # Every "CI runs X" check reads it the same way (CiToolProbe: linter, formatter...).
    clippy = {**rust, "clippy.toml": "msrv = '1.70'\n", ".github/workflows/build.yml": flow}
    assert run_probe("CQ002", clippy).outcome.value == "cannot_determine"
    local = "on: [push]\njobs:\n  build:\n    uses: ./.github/workflows/test.yml\n"
    test = "on: [workflow_call]\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: cargo test\n"
    files = {**rust, ".github/workflows/build.yml": local, ".github/workflows/test.yml": test}
    assert run_probe("TST002", files).outcome.value == "pass"


def test_user_pass_in_a_dsn_example_is_a_placeholder() -> None:
    # posthog-python documents its credential-masking regex with postgresql://user:pass@host.
    from pipeline.secrets import find_secrets

    comment = "# Matches `user:pass` credentials in URLs (e.g. `postgresql://user:pass@host`)"
    assert find_secrets(comment, "posthog/exception_utils.py") == []
    real = 'DATABASE_URL = "postgresql://app:Xk9vR2mQ7tLp@db/app"'
    assert [m.kind for m in find_secrets(real, "settings.py")] == ["basic_auth"]


def test_a_secret_only_demo_runs_use_is_a_low_partial_gap(run_probe: RunProbe) -> None:
    # memos signs tokens with "usememos" only in demo mode; other runs use their own key.
    go = {"go.mod": "module m\n\ngo 1.22\n"}
    code = (
        "package server\n\nfunc key(demo bool, setting Setting) string {\n"
        '\tsecret := "usememos"\n\tif !demo {\n\t\tsecret = setting.SecretKey\n\t}\n'
        "\treturn secret\n}\n"
    )
    result = run_probe("SEC001", {**go, "server/server.go": code})
    assert result.outcome.value == "fail" and result.severity.value == "low" and result.partial
    assert "demo" in result.severity_note
    always = code.replace("\tif !demo {\n\t\tsecret = setting.SecretKey\n\t}\n", "")
    result = run_probe("SEC001", {**go, "server/server.go": always})
    assert result.outcome.value == "fail" and result.severity.value == "critical"
