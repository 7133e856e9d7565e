"""What held-out round 7's first measure taught (loguru, healthchecks, shiori, litestream,
zero-to-production, pino, excalidraw-room, jsoup), each case rebuilt small beside the one
that must stay as it is."""

from __future__ import annotations

from pathlib import Path

from evals.probe_corpus import probe_snapshot, write_files
from pipeline.probes.engine import run_probes
from pipeline.secrets import find_secrets
from tests.probes.conftest import RunProbe
from tests.probes.test_testing import PY, wf

_GO = {"go.mod": "module x\n"}


def _kinds(tmp_path: Path, files: dict[str, str]) -> list[str]:
    write_files(tmp_path, files)
    return run_probes(probe_snapshot(tmp_path, None), select=["DOC001"]).profile.kinds


def test_a_go_assignment_from_a_field_is_no_secret() -> None:
    assert find_secrets("\taccountKey := c.AccountKey\n", "abs/client.go") == []
    assert find_secrets("\trs.AccountKey = src.AccountKey\n", "main.go") == []
    quoted = find_secrets('\tpassword := "hunter2hunter2"\n', "main.go")
    assert [m.kind for m in quoted] == ["secret_assignment"]
    bare = find_secrets("PASSWORD=hunter2hunter2\n", ".env")
    assert [m.kind for m in bare] == ["secret_assignment"]


def test_a_number_formatted_into_sql_cannot_inject(run_probe: RunProbe) -> None:
    db = 'package main\n\nimport (\n\t"database/sql"\n\t"fmt"\n)\n\n'
    pragma = (
        db + 'func f(d *sql.DB, n int) {\n\td.Exec(fmt.Sprintf("PRAGMA page_size = %d", n))\n}\n'
    )
    assert run_probe("SEC006", {**_GO, "db.go": pragma}).outcome.value == "pass"
    named = pragma.replace('"PRAGMA page_size = %d", n', '"SELECT * FROM %s", n')
    assert run_probe("SEC006", {**_GO, "db.go": named}).outcome.value == "fail"


def test_switching_off_an_sdks_retry_budget_is_no_rate_limiting(run_probe: RunProbe) -> None:
    server = (
        'package main\n\nimport "net/http"\n\nfunc main() {\n'
        '\thttp.ListenAndServe(":8080", nil)\n}\n'
    )
    s3 = "package main\n\nfunc opts(o *Options) {\n\to.RateLimiter = ratelimit.None\n}\n"
    files = {**_GO, "main.go": server, "s3.go": s3}
    assert run_probe("SEC015", files).outcome.value == "fail"
    limited = s3.replace("ratelimit.None", "ratelimit.NewTokenRateLimit(100)")
    assert run_probe("SEC015", {**files, "s3.go": limited}).outcome.value == "pass"


def test_a_client_of_a_unix_socket_calls_no_remote_service(run_probe: RunProbe) -> None:
    client = (
        'package main\n\nimport (\n\t"context"\n\t"net"\n\t"net/http"\n\t"time"\n)\n\n'
        "func info(path string) (*http.Response, error) {\n"
        "\tclient := &http.Client{\n\t\tTimeout: time.Second,\n"
        "\t\tTransport: &http.Transport{\n"
        "\t\t\tDialContext: func(_ context.Context, _, _ string) (net.Conn, error) {\n"
        '\t\t\t\treturn net.Dial("unix", path)\n\t\t\t},\n\t\t},\n\t}\n'
        '\treturn client.Get("http://localhost/info")\n}\n\nfunc main() { info("x") }\n'
    )
    result = run_probe("REL002", {**_GO, "main.go": client})
    assert result.outcome.value != "fail" or "main.go:11" not in result.message, result.message
    remote = client.replace('net.Dial("unix", path)', 'net.Dial("tcp", path)')
    assert run_probe("REL002", {**_GO, "main.go": remote}).outcome.value == "fail"


def test_a_config_validate_method_the_program_calls_validates_it(run_probe: RunProbe) -> None:
    main = (
        'package main\n\nimport (\n\t"errors"\n\t"os"\n)\n\n'
        "type Config struct{ Path string }\n\n"
        "func (c *Config) Validate() error {\n"
        '\tif c.Path == "" {\n\t\treturn errors.New("path required")\n\t}\n\treturn nil\n}\n\n'
        'func main() {\n\tc := Config{Path: os.Getenv("DB_PATH")}\n'
        "\tif err := c.Validate(); err != nil {\n\t\tos.Exit(1)\n\t}\n}\n"
    )
    assert run_probe("CFG002", {**_GO, "main.go": main}).outcome.value == "pass"
    uncalled = main.replace("\tif err := c.Validate(); err != nil {\n\t\tos.Exit(1)\n\t}\n", "")
    assert run_probe("CFG002", {**_GO, "main.go": uncalled}).outcome.value == "fail"


def test_go_test_support_packages_are_tests(run_probe: RunProbe) -> None:
    helper = 'package testingutil\n\nimport "os"\n\nvar Key = os.Getenv("TEST_ABS_KEY")\n'
    main = 'package main\n\nimport "os"\n\nfunc main() { _ = os.Getenv("APP_PORT") }\n'
    files = {
        **_GO,
        "main.go": main,
        "internal/testingutil/util.go": helper,
        "README.md": "# x\n\nSet `APP_PORT`.\n",
    }
    result = run_probe("CFG004", files)
    assert "TEST_ABS_KEY" not in result.message, result.message


def test_borp_and_tap_are_test_runners(run_probe: RunProbe) -> None:
    node = {"index.js": "module.exports = 1;\n", "test/a.test.js": "require('../');\n"}
    for runner in ("borp --coverage", "tap test/*.js"):
        package = '{"name": "x", "scripts": {"test": "' + runner + '"}}\n'
        files = {**node, "package.json": package, **wf("npm test")}
        assert run_probe("TST002", files).outcome.value == "pass", runner
    brew = {**node, "package.json": '{"name": "x"}\n', **wf("brew tap x/y")}
    assert run_probe("TST002", brew).outcome.value == "fail"


def test_a_lint_whose_exit_status_is_thrown_away_is_partly_enforced(run_probe: RunProbe) -> None:
    package = '{"name": "x", "devDependencies": {"eslint": "8"}, "scripts": {"lint": "%s"}}\n'
    node = {"index.js": "module.exports = 1;\n", ".eslintrc.json": "{}\n", **wf("npm run lint")}
    ignored = run_probe("CQ002", {**node, "package.json": package % "eslint src; exit 0"})
    assert ignored.outcome.value == "fail" and ignored.partial, ignored.message
    assert "thrown away" in ignored.message
    kept = run_probe("CQ002", {**node, "package.json": package % "eslint src"})
    assert kept.outcome.value == "pass"


def test_a_removed_command_stub_leaves_a_library(tmp_path: Path) -> None:
    package = (
        '{"name": "log", "main": "log.js", "bin": {"log": "./bin.js"}, '
        '"dependencies": {"fast-redact": "3"}}\n'
    )
    stub = "#!/usr/bin/env node\nconsole.error('`log` cli has been removed.')\nprocess.exit(1)\n"
    files = {"package.json": package, "bin.js": stub, "log.js": "module.exports = () => 1;\n"}
    assert _kinds(tmp_path / "stub", files) == ["library"]
    # A working command beside the package's main is a command and a library.
    cli = "#!/usr/bin/env node\nconst log = require('./log');\nlog(process.argv[2]);\n"
    kinds = _kinds(tmp_path / "both", {**files, "bin.js": cli})
    assert set(kinds) == {"cli", "library"}


def test_expected_misses_and_details_given_up_before_a_raise_are_no_swallowing(
    run_probe: RunProbe,
) -> None:
    lookups = (
        "class Project:\n    pass\n\n\n"
        "def by_key(key, rw):\n    if rw:\n        try:\n"
        "            return Project.objects.get(api_key=key)\n"
        "        except Project.DoesNotExist:\n            pass\n    return None\n\n\n"
        "def fail(response):\n    message = f'status {response.status}'\n    try:\n"
        "        message += parse(response.body).message\n"
        "    except ValidationError:\n        pass\n    raise TransportError(message)\n"
    )
    assert run_probe("ERR002", {**PY, "app.py": lookups}).outcome.value == "pass"
    lost = (
        "def save(row):\n    try:\n        db.insert(row)\n"
        "    except DatabaseError:\n        pass\n"
    )
    assert run_probe("ERR002", {**PY, "app.py": lookups + "\n\n" + lost}).outcome.value == "fail"


def test_credentials_of_a_test_or_mock_helper_are_throwaways(run_probe: RunProbe) -> None:
    script = "export S3_SECRET_ACCESS_KEY=streampass\n"
    result = run_probe("SEC001", {**PY, "etc/run-s3-docker-tests.sh": script})
    assert result.outcome.value == "pass" and "test or mock helper" in result.message
    assert run_probe("SEC001", {**PY, "etc/deploy.sh": script}).outcome.value == "fail"


def test_a_regex_literal_is_no_secret() -> None:
    tokens = 'tokens = r"H{1,2}|h{1,2}|m{1,2}|s{1,2}|S+|YYYY|YY|M{1,4}|D{1,4}|Z{1,2}|zz|A|X|x"\n'
    assert find_secrets(tokens, "lib/_datetime.py") == []
    key = 'SECRET_KEY = "k8Zq2LmW7rT9sYbQ3aC5dE1fG6hJ0kLp"\n'
    assert find_secrets(key, "settings.py") != []


def test_unpickling_what_the_module_pickled_itself_is_safe(run_probe: RunProbe) -> None:
    own = (
        "import pickle\n\n\nclass Carried:\n    def __reduce__(self):\n"
        "        return (load, (pickle.dumps(self.value),))\n\n\n"
        "def load(data):\n    return pickle.loads(data)\n"
    )
    assert run_probe("SEC004", {**PY, "lib/carry.py": own}).outcome.value == "pass"
    foreign = "import pickle\n\n\ndef load(data):\n    return pickle.loads(data)\n"
    assert run_probe("SEC004", {**PY, "lib/carry.py": foreign}).outcome.value == "fail"


def test_a_test_server_in_java_stands_in_for_the_remote(run_probe: RunProbe) -> None:
    client = (
        "package x;\n\nimport java.net.http.HttpClient;\n\npublic class Fetch {\n"
        "    HttpClient c = HttpClient.newHttpClient();\n}\n"
    )
    server = (
        "package x;\n\nimport io.netty.bootstrap.ServerBootstrap;\n\n"
        "public class TestServer {\n    Object start() { return new ServerBootstrap(); }\n}\n"
    )
    test = (
        "package x;\n\nimport org.junit.jupiter.api.Test;\n\n"
        "class FetchTest {\n    @Test\n    void t() {}\n}\n"
    )
    files = {
        "pom.xml": "<project><artifactId>x</artifactId></project>\n",
        "src/main/java/x/Fetch.java": client,
        "src/test/java/x/FetchTest.java": test,
    }
    assert run_probe("TST011", files).outcome.value == "fail"
    served = {**files, "src/test/java/x/TestServer.java": server}
    assert run_probe("TST011", served).outcome.value == "pass"


def test_a_jdk_http_client_given_a_timeout_is_bounded(run_probe: RunProbe) -> None:
    client = (
        "package x;\n\nimport java.net.http.HttpClient;\nimport java.net.http.HttpRequest;\n\n"
        "public class Fetch {\n    HttpClient c = HttpClient.newHttpClient();\n"
        "    HttpRequest.Builder b(HttpRequest.Builder r, long ms) {\n"
        "        return r.timeout(\n            java.time.Duration.ofMillis(ms));\n    }\n}\n"
    )
    files = {"pom.xml": "<project/>\n", "src/main/java/x/Fetch.java": client}
    assert run_probe("REL001", files).outcome.value == "pass"
    bare = client.replace("r.timeout(\n            java.time.Duration.ofMillis(ms))", "r")
    assert run_probe("REL001", {**files, "src/main/java/x/Fetch.java": bare}).outcome.value == (
        "fail"
    )


_DJANGO = {
    "requirements.txt": "django==5.0\n",
    "manage.py": "import django\n",
    "app/models.py": "from django.db import models\n\n\nclass Item(models.Model):\n"
    "    name = models.CharField(max_length=9)\n",
    "app/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql'}}\n",
    "app/wsgi.py": "from django.core.wsgi import get_wsgi_application\n\n"
    "application = get_wsgi_application()\n",
    "Procfile": "web: gunicorn app.wsgi\n",
}


def test_advice_to_take_a_backup_is_no_procedure(run_probe: RunProbe) -> None:
    advice = "# App\n\nUpgrading\n\nFirst, take a full backup of your database.\n"
    result = run_probe("DATA002", {**_DJANGO, "README.md": advice})
    assert result.outcome.value == "fail" and "no procedure" in result.message, result.message
    changelog = {**_DJANGO, "CHANGELOG.md": "- Warn about no backup second factor\n"}
    assert run_probe("DATA002", changelog).outcome.value == "fail"
    section = advice + "\n## Backups\n\nRun `pg_dump app > app.sql` nightly.\n"
    assert run_probe("DATA002", {**_DJANGO, "README.md": section}).outcome.value == "pass"


def test_wildcard_cors_by_fallback_or_by_a_projects_own_constructor(run_probe: RunProbe) -> None:
    fallback = (
        "import express from 'express';\nimport { Server } from 'socket.io';\n"
        "const app = express();\nconst server = app.listen(3000);\n"
        'new Server(server, { cors: { origin: process.env.CORS_ORIGIN || "*" } });\n'
    )
    files = {"package.json": '{"name": "x"}\n', "src/index.ts": fallback}
    assert run_probe("SEC011", files).outcome.value == "fail"
    named = fallback.replace('process.env.CORS_ORIGIN || "*"', "process.env.CORS_ORIGIN")
    assert run_probe("SEC011", {**files, "src/index.ts": named}).outcome.value == "pass"
    go = (
        'package main\n\nimport "net/http"\n\nfunc main() {\n'
        '\t_ = NewCORSMiddleware([]string{"*"})\n\thttp.ListenAndServe(":80", nil)\n}\n'
    )
    assert run_probe("SEC011", {**_GO, "main.go": go}).outcome.value == "fail"


def test_a_password_checked_against_its_hash_is_authentication(run_probe: RunProbe) -> None:
    server = (
        "import express from 'express';\nconst app = express();\n"
        "app.use(cors({ allowedHeaders: ['Content-Type', 'Authorization'] }));\n"
        "app.listen(3000);\n"
    )
    files = {"package.json": '{"name": "x"}\n', "src/index.js": server}
    assert run_probe("SEC012", files).outcome.value == "fail"
    login = server + "app.post('/login', async (req, res) => {\n"
    login += "  if (await bcrypt.compare(req.body.password, user.hash)) res.send('ok');\n});\n"
    assert run_probe("SEC012", {**files, "src/index.js": login}).outcome.value == "pass"


def test_a_go_payload_with_its_own_validation_method(run_probe: RunProbe) -> None:
    handler = (
        'package main\n\nimport (\n\t"encoding/json"\n\t"errors"\n\t"net/http"\n)\n\n'
        "type loginRequestPayload struct{ Username string }\n\n"
        "func (p *loginRequestPayload) IsValid() error {\n"
        '\tif p.Username == "" {\n\t\treturn errors.New("username required")\n\t}\n'
        "\treturn nil\n}\n\n"
        "func login(w http.ResponseWriter, r *http.Request) {\n\tvar p loginRequestPayload\n"
        "\tjson.NewDecoder(r.Body).Decode(&p)\n}\n\n"
        'func main() {\n\thttp.HandleFunc("/login", login)\n\thttp.ListenAndServe(":80", nil)\n}\n'
    )
    assert run_probe("SEC013", {**_GO, "main.go": handler}).outcome.value == "pass"
    plain = handler.replace("IsValid", "Check").replace("loginRequestPayload", "login2")
    assert run_probe("SEC013", {**_GO, "main.go": plain}).outcome.value == "fail"


def test_socket_io_caps_messages_from_version_3(run_probe: RunProbe) -> None:
    server = (
        "import express from 'express';\nimport { Server } from 'socket.io';\n"
        "const app = express();\nconst server = app.listen(3000);\nnew Server(server);\n"
    )
    v4 = {
        "package.json": '{"name": "x", "dependencies": {"socket.io": "^4.6.1", "express": "4"}}\n'
    }
    result = run_probe("SEC014", {**v4, "src/index.ts": server})
    assert result.outcome.value == "pass" and "Socket.IO" in result.message
    v2 = {
        "package.json": '{"name": "x", "dependencies": {"socket.io": "^2.3.0", "express": "4"}}\n'
    }
    assert run_probe("SEC014", {**v2, "src/index.ts": server}).outcome.value == "fail"


def test_build_push_action_v1_pushes_by_default(run_probe: RunProbe) -> None:
    flow = (
        "on:\n  push:\n    branches: [master]\njobs:\n  p:\n    runs-on: x\n    steps:\n"
        "      - uses: docker/build-push-action@v1\n        with:\n          repository: x/y\n"
    )
    files = {
        "package.json": '{"name": "x", "scripts": {"start": "node index.js"}}\n',
        "index.js": "require('http').createServer().listen(3000);\n",
        "Dockerfile": "FROM node:20-alpine\n",
        ".github/workflows/publish.yml": flow,
    }
    assert run_probe("DEP009", files).outcome.value == "pass"
    v2 = flow.replace("@v1", "@v2")
    assert run_probe("DEP009", {**files, ".github/workflows/publish.yml": v2}).outcome.value == (
        "fail"
    )


def test_rust_configuration_deserialised_into_a_typed_struct(run_probe: RunProbe) -> None:
    config = (
        "#[derive(serde::Deserialize)]\npub struct Settings { pub port: u16 }\n\n"
        "pub fn get() -> Result<Settings, config::ConfigError> {\n"
        '    let env = std::env::var("APP_ENVIRONMENT").unwrap_or_default();\n'
        "    config::Config::builder().build()?.try_deserialize::<Settings>()\n}\n"
    )
    files = {
        "Cargo.toml": '[package]\nname = "x"\n[dependencies]\nactix-web = "4"\nconfig = "0.14"\n',
        "src/configuration.rs": config,
        "src/main.rs": "fn main() { let s = x::configuration::get(); }\n",
    }
    assert run_probe("CFG002", files).outcome.value == "pass"


def test_a_prefixed_variable_documents_the_name_read_through_the_prefix(
    run_probe: RunProbe,
) -> None:
    config = (
        'package config\n\ntype Config struct {\n\tURL string `env:"DATABASE_URL"`\n'
        '\tDir string `env:"DIR"`\n}\n'
    )
    main = (
        'package main\n\nimport "net/http"\n\nfunc main() {\n\thttp.ListenAndServe(":80", nil)\n}\n'
    )
    docs = "# Configuration\n\n| SHIORI_DATABASE_URL | database |\n| SHIORI_DIR | data |\n"
    files = {**_GO, "main.go": main, "internal/config/config.go": config, "README.md": docs}
    result = run_probe("CFG004", files)
    assert result.outcome.value == "pass", result.message


def test_an_nginx_config_of_the_tests_stands_in_front_of_nothing(run_probe: RunProbe) -> None:
    main = (
        'package main\n\nimport "net/http"\n\nfunc main() {\n\thttp.ListenAndServe(":80", nil)\n}\n'
    )
    nginx = "server {\n    location / {\n        proxy_pass http://app:8080/;\n    }\n}\n"
    deployed = run_probe("SEC014", {**_GO, "main.go": main, "deploy/nginx.conf": nginx})
    assert deployed.outcome.value == "pass" and "nginx" in deployed.message
    tested = run_probe("SEC014", {**_GO, "main.go": main, "testdata/nginx.conf": nginx})
    assert tested.outcome.value == "fail"


def test_tracing_bunyan_formatter_is_json_logging(run_probe: RunProbe) -> None:
    telemetry = (
        "use tracing_bunyan_formatter::{BunyanFormattingLayer, JsonStorageLayer};\n"
        "pub fn init() {}\n"
    )
    main = "use actix_web::{App, HttpServer};\nfn main() { HttpServer::new(|| App::new()); }\n"
    cargo = (
        '[package]\nname = "x"\n[dependencies]\nactix-web = "4"\ntracing-bunyan-formatter = "0.3"\n'
    )
    files = {"Cargo.toml": cargo, "src/main.rs": main, "src/telemetry.rs": telemetry}
    result = run_probe("OBS002", files)
    assert result.outcome.value == "pass" and "never imported" not in result.message


def test_a_projects_own_env_helper_defaulting_debug_on(run_probe: RunProbe) -> None:
    settings = (
        "import os\n\n\ndef envbool(name, default):\n"
        "    return os.getenv(name, default) == 'True'\n\n\nDEBUG = envbool('DEBUG', 'True')\n"
    )
    files = {**_DJANGO, "app/settings.py": settings}
    result = run_probe("CFG003", files)
    assert result.outcome.value == "fail" and "envbool" in result.message, result.message
    off = settings.replace("envbool('DEBUG', 'True')", "envbool('DEBUG', 'False')")
    assert run_probe("CFG003", {**files, "app/settings.py": off}).outcome.value == "pass"


def test_empty_catches_that_fall_back_by_construction(run_probe: RunProbe) -> None:
    ky = (
        "export const decoder = (charset) => {\n  try {\n    return new TextDecoder(charset);\n"
        "  } catch {}\n  return new TextDecoder();\n};\n\n"
        "export const absolute = (input) => {\n  let url;\n  try {\n    url = new URL(input);\n"
        "  } catch {}\n  if (!url) {\n    return null;\n  }\n  return url;\n};\n\n"
        "export const stop = async (reader) => {\n  try {\n    await reader.cancel();\n"
        "  } catch {}\n};\n"
    )
    files = {"package.json": '{"name": "x", "main": "index.js"}\n', "index.js": ky}
    assert run_probe("ERR003", files).outcome.value == "pass"
    lost = "export const save = async (db, row) => {\n  try {\n    await db.insert(row);\n"
    lost += "    await db.commit();\n  } catch {}\n};\n"
    result = run_probe("ERR003", {**files, "index.js": ky + lost})
    assert result.outcome.value == "fail" and "index.js:" in result.message


def test_a_clients_request_parameter_is_no_request_handler(run_probe: RunProbe) -> None:
    client = (
        "package x;\n\nclass Dispatch {\n"
        "    static Executor get(Connection.Request request) {\n"
        "        try {\n            return make(request);\n"
        "            } catch (Exception e) {\n"
        "            return new UrlConnectionExecutor(request);\n        }\n    }\n}\n"
    )
    files = {"pom.xml": "<project/>\n", "src/main/java/x/Dispatch.java": client}
    assert run_probe("ERR003", files).outcome.value == "pass"


def test_cleanup_feature_probes_and_ctrl_c_are_no_swallowing(run_probe: RunProbe) -> None:
    code = (
        "import sqlite3\n\n\ndef close_all(dbs):\n    for db in dbs:\n        try:\n"
        "            db.close()\n        except sqlite3.Error:\n            pass\n\n\n"
        "def strict(db):\n    try:\n        db.execute('create table t (a) strict')\n"
        "    except sqlite3.NotSupportedError:\n        pass\n\n\n"
        "def main(run):\n    try:\n        run()\n    except (KeyboardInterrupt, SystemExit):\n"
        "        pass\n"
    )
    assert run_probe("ERR002", {**PY, "app.py": code}).outcome.value == "pass"
    lost = "\n\ndef save(db, row):\n    try:\n        db.insert(row)\n    except sqlite3.Error:\n"
    lost += "        pass\n"
    assert run_probe("ERR002", {**PY, "app.py": code + lost}).outcome.value == "fail"
