"""What panel final9's remaining false claims and held-out round 9's first measure taught
(error handling, vendored builds, chart defaults, conditional skips, Go's XML parser), each
case rebuilt small beside the one that must stay as it is."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.ingest import ingest_repository
from tests.probes.conftest import RunProbe
from tests.probes.test_testing import PY, wf

_GO = {"go.mod": "module x\n"}
_JS = {"package.json": '{"name": "x", "version": "1.0.0"}\n'}


def test_narrow_python_fallbacks_are_no_swallowing(run_probe: RunProbe) -> None:
    fallbacks = (
        "import curses\nfrom uuid import UUID\n\n\n"
        "class Environment:\n    colors = 256\n    try:\n        curses.setupterm()\n"
        "        colors = curses.tigetnum('colors')\n    except curses.error:\n        pass\n\n\n"
        "def stale(names):\n    for name in names:\n        try:\n            UUID(name)\n"
        "        except ValueError:\n            continue\n        yield name\n\n\n"
        "def lexer_for(types):\n    lexer = None\n    for t in types:\n        try:\n"
        "            lexer = find(t)\n            break\n        except ClassNotFound:\n"
        "            pass\n    return lexer\n\n\n"
        "def relink(path):\n    try:\n        path.unlink()\n"
        "    except (FileNotFoundError, RuntimeError):\n        pass\n\n\n"
        "def body(ping):\n    if ping:\n        try:\n            return ping.fetch()\n"
        "        except Ping.GetBodyError:\n            pass\n\n    return None\n"
    )
    assert run_probe("ERR002", {**PY, "app.py": fallbacks}).outcome.value == "pass"
    # A value the try computes for the first time, with no default: the failure is lost.
    lost = (
        "def load(path):\n    try:\n        rows = parse(path)\n"
        "    except ValueError:\n        pass\n    return rows\n"
    )
    assert run_probe("ERR002", {**PY, "app.py": fallbacks + "\n\n" + lost}).outcome.value == "fail"
    # Work done, not tested: a send whose failure is dropped.
    send = "def notify(m):\n    try:\n        mailer.send(m)\n    except SMTPError:\n        pass\n"
    assert run_probe("ERR002", {**PY, "app.py": send}).outcome.value == "fail"


def test_js_catch_alls_that_fall_back_on_purpose_drop_nothing(run_probe: RunProbe) -> None:
    code = (
        "function root () {\n  try {\n    a()\n    b()\n    return globalThis\n"
        "  } catch (e) {\n    return defd(self) || {}\n  }\n}\n\n"
        "function target (callers) {\n  let found\n  for (const c of callers) {\n    try {\n"
        "      const ctx = c + '/'\n      prepare(ctx)\n      found = resolve(ctx)\n      break\n"
        "    } catch (err) {\n      // try the next caller\n      continue\n    }\n  }\n"
        "  return found\n}\n\n"
        "function write (out) {\n  try {\n    const caller = where()\n"
        "    if (caller) out.caller = caller\n  } catch (e) {}\n  emit(out)\n}\n"
        "module.exports = { root, target, write }\n"
    )
    files = {**_JS, "index.js": code}
    broad = run_probe("ERR011", files)
    assert broad.outcome.value == "pass" and "falls back on purpose" in broad.message
    assert run_probe("ERR003", files).outcome.value == "pass"
    dropped = code.replace("      // try the next caller\n      continue\n", "      found = null\n")
    assert run_probe("ERR011", {**_JS, "index.js": dropped}).outcome.value == "fail"
    no_detail = code.replace("    if (caller) out.caller = caller\n", "    save(caller)\n")
    assert run_probe("ERR003", {**_JS, "index.js": no_detail}).outcome.value == "fail"


def test_a_librarys_release_build_with_its_banner_is_vendored(tmp_path: Path) -> None:
    banner = (
        "/*!\n * Vue.js v2.6.8\n * (c) 2014-2019 Evan You\n"
        " * Released under the MIT License.\n */\n"
    )
    own = "export function go () {\n  return 1\n}\n"
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "vue.js").write_text(banner + own * 20)
    (tmp_path / "assets" / "app.js").write_text("/* app v1.0.0 */\n" + own)
    snapshot = ingest_repository(tmp_path)
    paths = {f.path for f in snapshot.files}
    assert "assets/app.js" in paths and "assets/vue.js" not in paths
    assert snapshot.coverage.skipped.get("vendored") == 1


def test_a_charts_default_password_is_a_default_to_override(run_probe: RunProbe) -> None:
    values = "postgresql:\n  enabled: false\n  auth:\n    password: opengist\n"
    chart = {"helm/app/Chart.yaml": "name: app\nversion: 1.0.0\n"}
    result = run_probe("SEC001", {**_GO, **chart, "helm/app/values.yaml": values})
    assert result.outcome.value == "fail" and result.severity.value == "medium"
    assert "Helm chart" in result.severity_note
    plain = run_probe("SEC001", {**_GO, "deploy/values.yaml": values})
    assert plain.outcome.value == "fail" and plain.severity.value == "critical"


def test_a_go_skip_under_a_condition_is_no_unconditional_skip(run_probe: RunProbe) -> None:
    test = 'package x\n\nimport "testing"\n\n' + "".join(
        f'func TestI{n}(t *testing.T) {{\n\tif !configured() {{\n\t\tt.Skip("no server")\n'
        f"\t}}\n\trun(t)\n}}\n\n"
        for n in range(4)
    )
    files = {**_GO, "x.go": "package x\n\nfunc run() {}\n", "x_test.go": test}
    assert run_probe("TST009", files).outcome.value == "pass"
    always = test.replace('\tif !configured() {\n\t\tt.Skip("no server")\n\t}\n', "\tt.Skip()\n")
    assert run_probe("TST009", {**files, "x_test.go": always}).outcome.value == "fail"


def test_gos_xml_decoder_is_a_parser_javas_beans_decoder_runs_code(run_probe: RunProbe) -> None:
    go = (
        'package feed\n\nimport "io"\n\n'
        "func Parse(r io.Reader) error {\n\treturn xmldecoder.NewXMLDecoder(r).Decode(&f)\n}\n"
    )
    assert run_probe("SEC004", {**_GO, "feed/parse.go": go}).outcome.value == "pass"
    java = (
        "package x;\n\nimport java.beans.XMLDecoder;\n\nclass Load {\n"
        "  Object read(java.io.InputStream in) {\n    return new XMLDecoder(in).readObject();\n"
        "  }\n}\n"
    )
    pom = {"pom.xml": "<project><artifactId>x</artifactId></project>\n"}
    assert run_probe("SEC004", {**pom, "src/main/java/x/Load.java": java}).outcome.value == "fail"


def test_npm_ci_is_the_clean_install_and_shell_keywords_are_no_commands(
    run_probe: RunProbe,
) -> None:
    scripts = {
        "ci": "if node -v; then npm run lint && ava; else ava; fi",
        "lint": "eslint . && prettier --check .",
    }
    package = json.dumps({"name": "x", "scripts": scripts}) + "\n"
    files = {"package.json": package, "eslint.config.js": "export default []\n"}
    files["index.js"] = "module.exports = 1\n"
    assert run_probe("CQ005", {**files, **wf("npm ci")}).outcome.value == "fail"
    ran = run_probe("CQ005", {**files, **wf("npm ci", "npm run ci")})
    assert ran.outcome.value == "pass" and "prettier --check" in ran.message


def test_tox_e_runs_only_the_named_environment(run_probe: RunProbe) -> None:
    tox = (
        "[tox]\nenvlist = tests\n\n[testenv:docs]\ncommands = sphinx-build docs out\n\n"
        "[testenv:tests]\ncommands = pytest tests\n"
    )
    files = {**PY, "tox.ini": tox, "tests/test_app.py": "def test_f():\n    assert 1\n"}
    assert run_probe("TST002", {**files, **wf("tox -e docs")}).outcome.value == "fail"
    assert run_probe("TST002", {**files, **wf("tox -e tests")}).outcome.value == "pass"


def test_an_image_that_builds_packages_is_not_the_one_that_serves(run_probe: RunProbe) -> None:
    serving = 'FROM alpine:3.20\nCOPY app /app\nUSER 65534\nEXPOSE 8080\nCMD ["/app"]\n'
    deb = (
        "FROM golang:1 AS build\nRUN apt-get install -y debhelper devscripts\nADD . /src\n"
        'CMD ["/src/packaging/debian/build.sh"]\n'
    )
    rpm = (
        "FROM rockylinux:9\nRUN dnf install -y rpm-build\n"
        "COPY miniflux.spec /root/rpmbuild/SPECS/\n"
    )
    files = {
        **_GO,
        "main.go": "package main\n\nfunc main() {}\n",
        "packaging/docker/Dockerfile": serving,
        "packaging/debian/Dockerfile": deb,
        "packaging/rpm/Dockerfile": rpm,
    }
    assert run_probe("DEP002", files).outcome.value == "pass"
    root = {**files, "packaging/docker/Dockerfile": serving.replace("USER 65534\n", "")}
    result = run_probe("DEP002", root)
    assert (
        result.outcome.value == "fail" and result.evidence[0].path == "packaging/docker/Dockerfile"
    )
    alone = {k: v for k, v in files.items() if k != "packaging/docker/Dockerfile"}
    assert run_probe("DEP002", alone).severity.value == "low"


def test_a_hand_rolled_migrator_with_a_version_table_is_migrations(run_probe: RunProbe) -> None:
    migrations = (
        'package database\n\nimport "database/sql"\n\n'
        "var migrations = [...]func(tx *sql.Tx) error{\n\tfunc(tx *sql.Tx) error {\n"
        "\t\t_, err := tx.Exec(`CREATE TABLE schema_version (version text);"
        " CREATE TABLE users (id serial)`)\n\t\treturn err\n\t},\n}\n"
    )
    database = (
        'package database\n\nimport "database/sql"\n\nfunc Migrate(db *sql.DB) {\n'
        "\tvar v int\n\tdb.QueryRow(`SELECT version FROM schema_version`).Scan(&v)\n"
        "\tfor _, m := range migrations[v:] {\n\t\ttx, _ := db.Begin()\n\t\tm(tx)\n"
        "\t\ttx.Exec(`INSERT INTO schema_version (version) VALUES ($1)`, v)\n\t}\n}\n"
    )
    main = (
        'package main\n\nimport (\n\t"database/sql"\n\n\t_ "github.com/lib/pq"\n)\n\n'
        'func main() {\n\tsql.Open("postgres", "")\n}\n'
    )
    files = {
        "go.mod": "module x\n\nrequire github.com/lib/pq v1.10.0\n",
        "main.go": main,
        "internal/database/migrations.go": migrations,
        "internal/database/database.go": database,
    }
    result = run_probe("DATA001", files)
    assert result.outcome.value == "pass" and "kept in code" in result.message
    assert run_probe("DATA005", files).outcome.value == "pass"
    untracked = {**files, "internal/database/database.go": "package database\n"}
    assert run_probe("DATA001", untracked).outcome.value == "fail"
    assert run_probe("DATA005", untracked).outcome.value == "fail"


def test_code_ci_runs_for_itself_is_not_product_code(run_probe: RunProbe) -> None:
    go = {**_GO, "main.go": "package main\n\nfunc main() {}\n"}
    script = {".github/workflows/scripts/check.py": "import os\n\nprint(os.environ['X'])\n"}
    result = run_probe("CQ003", {**go, **script})
    assert result.outcome.value == "not_applicable"
    product = {**go, "tools/check.py": script[".github/workflows/scripts/check.py"]}
    assert "python" in run_probe("CQ003", product).message.lower()


def test_systemd_protocol_variables_are_not_settings(run_probe: RunProbe) -> None:
    systemd = (
        'package systemd\n\nimport "os"\n\nfunc Enabled() bool {\n'
        '\treturn os.Getenv("NOTIFY_SOCKET") != "" && os.Getenv("LISTEN_PID") != ""\n}\n'
    )
    files = {**_GO, "main.go": "package main\n\nfunc main() {}\n", "systemd/s.go": systemd}
    assert "ad hoc" not in run_probe("CFG002", files).message
    own = systemd + '\nfunc URL() string {\n\treturn os.Getenv("DATABASE_URL")\n}\n'
    assert (
        "1 ad hoc environment read" in run_probe("CFG002", {**files, "systemd/s.go": own}).message
    )


def test_a_config_packages_value_validators_validate_it(run_probe: RunProbe) -> None:
    parser = (
        'package config\n\nimport (\n\t"fmt"\n\t"os"\n)\n\n'
        "func validateRange(raw string, min, max int) error {\n"
        '\treturn fmt.Errorf("out of range")\n}\n\n'
        'func Load() string {\n\treturn os.Getenv("DATABASE_URL")\n}\n'
    )
    files = {**_GO, "main.go": "package main\n\nfunc main() {}\n"}
    assert run_probe("CFG002", {**files, "internal/config/parser.go": parser}).outcome.value == (
        "pass"
    )
    elsewhere = {
        **files,
        "internal/feed/parser.go": parser.replace("package config", "package feed"),
    }
    assert run_probe("CFG002", elsewhere).outcome.value == "fail"


def test_gos_strings_index_declares_no_database_index(run_probe: RunProbe) -> None:
    code = (
        'package store\n\nimport (\n\t"database/sql"\n\t"strings"\n\n\t_ "github.com/lib/pq"\n)\n\n'
        "func Open(dsn string) (*sql.DB, error) {\n"
        '\tif strings.Index(dsn, "=") > 0 {\n\t\treturn nil, nil\n\t}\n'
        '\treturn sql.Open("postgres", dsn)\n}\n'
    )
    files = {"go.mod": "module x\n\nrequire github.com/lib/pq v1.10.0\n", "store/s.go": code}
    assert run_probe("PERF006", files).outcome.value == "fail"
    indexed = {**files, "schema.sql": "CREATE TABLE t (id int);\nCREATE INDEX t_id ON t (id);\n"}
    assert run_probe("PERF006", indexed).outcome.value == "pass"


def test_a_go_program_in_any_file_is_a_command_and_a_base_url_makes_an_sdk(
    tmp_path: Path,
) -> None:
    from evals.probe_corpus import probe_snapshot, write_files
    from pipeline.probes.engine import run_probes

    def kinds(root: Path, files: dict[str, str]) -> list[str]:
        write_files(root, files)
        return run_probes(probe_snapshot(root, None), select=["DOC001"]).profile.kinds

    hey = 'package main\n\nimport "flag"\n\nfunc main() {\n\tflag.Parse()\n}\n'
    requester = "package requester\n\nfunc Run() {}\n"
    assert kinds(tmp_path / "cli", {**_GO, "hey.go": hey, "requester/r.go": requester}) == ["cli"]
    assert kinds(tmp_path / "lib", {**_GO, "requester/r.go": requester}) == ["library"]
    client = (
        'import requests\n\n_DEFAULT_BASE_URL = "https://maps.example.com"\n\n\n'
        "class Client:\n    def get(self, path):\n"
        "        return requests.get(_DEFAULT_BASE_URL + path, timeout=5)\n"
    )
    setup = "from setuptools import setup\n\nsetup(name='maps', packages=['maps'])\n"
    sdk = kinds(tmp_path / "sdk", {"setup.py": setup, "maps/client.py": client})
    assert "sdk" in sdk
    plain = client.replace('_DEFAULT_BASE_URL = "https://maps.example.com"', "_DEFAULT = None")
    plain = plain.replace("_DEFAULT_BASE_URL + path", "path")
    assert "sdk" not in kinds(tmp_path / "lib2", {"setup.py": setup, "maps/client.py": plain})


def test_a_go_test_server_around_a_handler_function_stands_in_for_the_service(
    run_probe: RunProbe,
) -> None:
    client = (
        'package requester\n\nimport "net/http"\n\nfunc Get(u string) (*http.Response, error) {\n'
        "\tc := &http.Client{}\n\treturn c.Get(u)\n}\n"
    )
    test = (
        'package requester\n\nimport (\n\t"net/http"\n\t"net/http/httptest"\n\t"testing"\n)\n\n'
        "func TestGet(t *testing.T) {\n"
        "\thandler := func(w http.ResponseWriter, r *http.Request) {}\n"
        "\tserver := httptest.NewServer(http.HandlerFunc(handler))\n\tdefer server.Close()\n"
        "\tGet(server.URL)\n}\n"
    )
    files = {**_GO, "requester/r.go": client, "requester/r_test.go": test}
    assert run_probe("TST011", files).outcome.value == "pass"
    router = test.replace("http.HandlerFunc(handler)", "NewRouter()")
    assert run_probe("TST011", {**files, "requester/r_test.go": router}).outcome.value == "fail"


def test_gos_typed_flags_check_a_commands_input(run_probe: RunProbe) -> None:
    main = (
        'package main\n\nimport (\n\t"flag"\n\t"os"\n)\n\n'
        'var n = flag.Int("n", 200, "requests")\n\n'
        "func main() {\n\tflag.Parse()\n\tos.Exit(*n)\n}\n"
    )
    assert run_probe("DATA008", {**_GO, "main.go": main}).outcome.value == "pass"
    untyped = main.replace('flag.Int("n", 200, "requests")', 'flag.String("n", "", "")')
    untyped = untyped.replace("os.Exit(*n)", "os.Exit(len(*n))")
    assert run_probe("DATA008", {**_GO, "main.go": untyped}).outcome.value == "fail"


def test_a_run_blocks_variable_names_its_runner_and_a_copied_file_runs_nothing(
    run_probe: RunProbe,
) -> None:
    rust = {
        "Cargo.toml": '[package]\nname = "x"\nversion = "0.1.0"\n',
        "src/main.rs": "fn main() {}\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() {}\n}\n",
        "LICENSE": "cargo test is mentioned in this licence text\n",
    }
    block = "|\n          RUNNER=cargo\n          $RUNNER test --locked"
    workflow = {
        ".github/workflows/ci.yml": "on: [push]\njobs:\n  t:\n    runs-on: x\n    steps:\n"
        f"      - run: {block}\n"
    }
    result = run_probe("TST002", {**rust, **workflow})
    assert result.outcome.value == "pass" and "cargo test --locked" in result.message
    copied = {
        ".github/workflows/ci.yml": workflow[".github/workflows/ci.yml"].replace(
            block, "cp README.md LICENSE dist/"
        )
    }
    assert run_probe("TST002", {**rust, **copied}).outcome.value == "fail"


def test_being_rate_limited_is_not_rate_limiting(run_probe: RunProbe) -> None:
    notice = (
        "from flask import Flask\n\napp = Flask(__name__)\n\n\n"
        "def send_rate_limited_notice(message):\n    return message\n\n\n"
        "class UpstreamRateLimitFailure(Exception):\n    pass\n"
    )
    files = {**PY, "app.py": notice}
    assert run_probe("SEC015", files).outcome.value == "fail"
    bucket = notice + "\n\nclass TokenBucket:\n    def take(self):\n        return True\n"
    result = run_probe("SEC015", {**PY, "app.py": bucket})
    assert result.outcome.value == "pass" and "TokenBucket" in result.message


def test_folders_named_for_tests_and_test_inputs_are_not_product() -> None:
    from pipeline.ingest.languages import file_role, is_test_path

    assert is_test_path("cmd/litestream-test/main.go")
    assert is_test_path("test-graal-native-image/src/main/java/A.java")
    assert not is_test_path("src/contest/x.py") and not is_test_path("latest/x.py")
    assert file_role("tests/data/Dockerfile", "dockerfile") == "fixture"
    assert file_role("src/test/resources/app.yml", "yaml") == "fixture"
    assert file_role("tests/test_data.py", "python") == "test"


def test_a_curl_pipe_in_a_tests_input_file_runs_nothing(run_probe: RunProbe) -> None:
    docker = "FROM alpine\nRUN curl -sSf https://sh.rustup.rs | sh\n"
    assert run_probe("SEC017", {**PY, "tests/data/Dockerfile": docker}).outcome.value == "pass"
    assert run_probe("SEC017", {**PY, "Dockerfile": docker}).outcome.value == "fail"


def test_a_lost_race_retried_and_a_job_gone_missing_are_no_swallowing(
    run_probe: RunProbe,
) -> None:
    code = (
        "def enqueue(jobs, pipe):\n    while True:\n        try:\n            pipe.watch('k')\n"
        "            pipe.execute()\n        except WatchError:\n            continue\n"
        "        break\n\n\n"
        "def release(ids):\n    for i in ids:\n        try:\n            job = fetch(i)\n"
        "        except NoSuchJobError:\n            continue\n        job.release()\n"
    )
    assert run_probe("ERR002", {**PY, "app.py": code}).outcome.value == "pass"
    lost = code.replace("except NoSuchJobError", "except ParseError")
    assert run_probe("ERR002", {**PY, "app.py": lost}).outcome.value == "fail"


def test_an_empty_promise_catch_explained_just_above_is_deliberate(run_probe: RunProbe) -> None:
    code = (
        "function close (jobs) {\n"
        "  // Wait for the jobs to finish. Ignore job errors during shutdown.\n"
        "  return Promise.all(jobs.map((p) => p.catch(() => {})))\n}\n"
        "module.exports = { close }\n"
    )
    assert run_probe("ERR003", {**_JS, "index.js": code}).outcome.value == "pass"
    unexplained = code.replace("Ignore job errors during shutdown.", "Then return.")
    assert run_probe("ERR003", {**_JS, "index.js": unexplained}).outcome.value == "fail"


def test_unwrapping_a_write_to_the_terminal_is_print_s_own_semantics(run_probe: RunProbe) -> None:
    cargo = {"Cargo.toml": '[package]\nname = "x"\nversion = "0.1.0"\n'}
    spinner = (
        "use std::io::Write;\n\npub fn spin(msg: &str) {\n    let mut stderr = std::io::stderr();\n"
        '    write!(stderr, "\\r{msg}").unwrap();\n    stderr.flush().unwrap();\n}\n'
    )
    files = {**cargo, "src/lib.rs": "pub mod progress;\n", "src/progress.rs": spinner}
    assert run_probe("ERR004", files).outcome.value == "pass"
    disk = spinner.replace("std::io::stderr()", 'std::fs::File::create("out").unwrap()')
    assert run_probe("ERR004", {**files, "src/progress.rs": disk}).outcome.value == "fail"


def test_a_make_recipe_handing_a_script_to_bash_with_flags_runs_it(run_probe: RunProbe) -> None:
    files = {
        **_GO,
        "x.go": "package x\n\nfunc F() int {\n\treturn 1\n}\n",
        "x_test.go": 'package x\n\nimport "testing"\n\nfunc TestF(t *testing.T) {}\n',
        "Makefile": "BASH ?= bash\n\nunittest:\n\t$(BASH) -xe ./scripts/test.sh\n",
        "scripts/test.sh": "#!/bin/bash\ngo test ./...\n",
        **wf("make unittest"),
    }
    assert run_probe("TST002", files).outcome.value == "pass"
    listed = {**files, "Makefile": "unittest:\n\tls -la ./scripts/test.sh\n"}
    assert run_probe("TST002", listed).outcome.value == "fail"


def test_a_client_librarys_calls_are_cited_where_a_client_is_made(run_probe: RunProbe) -> None:
    page = (
        'import { createServerClient } from "@supabase/ssr"\n\n'
        "export async function load() {\n  const s = createServerClient(url, key)\n"
        '  return s.from("t").select()\n}\n'
    )
    package = {"package.json": '{"dependencies": {"@supabase/ssr": "0.1.0"}}\n'}
    result = run_probe("REL001", {**package, "lib/load.ts": page})
    assert result.outcome.value == "fail" and result.evidence[0].start_line == 4


def test_importing_a_redis_error_builds_no_pool(run_probe: RunProbe) -> None:
    handler = (
        "from redis import RedisError\n\n\nclass Cache:\n"
        "    def __init__(self, redis):\n"
        "        self.redis = redis\n\n    def get(self, k):\n        try:\n"
        "            return self.redis.get(k)\n"
        "        except RedisError:\n            return None\n"
    )
    assert "redis-py" not in run_probe("PERF001", {**PY, "app.py": handler}).message
    built = handler.replace("self.redis = redis", "self.redis = redis or Redis()")
    built = built.replace("import RedisError", "import Redis, RedisError")
    assert "redis-py" in run_probe("PERF001", {**PY, "app.py": built}).message


def test_a_library_without_a_lockfile_on_purpose_and_only_dev_dependencies(
    run_probe: RunProbe,
) -> None:
    package = json.dumps({"name": "x", "devDependencies": {"ava": "^6.0.0"}}) + "\n"
    files = {"package.json": package, "index.js": "module.exports = 1\n", **wf("npm install")}
    assert run_probe("SEC023", files).outcome.value == "fail"
    chosen = {**files, ".npmrc": "package-lock=false\n"}
    assert run_probe("SEC023", chosen).outcome.value == "not_applicable"
    updates = run_probe("SEC008", files)
    assert updates.outcome.value == "fail" and "no third-party dependency" in updates.advisory
    runtime = {**files, "package.json": package.replace("devDependencies", "dependencies")}
    assert run_probe("SEC008", runtime).advisory == ""


def test_developer_scripts_are_not_the_products_programs(run_probe: RunProbe) -> None:
    app = (
        "import os\n\nURL = os.environ['DATABASE_URL']\n\n"
        "if __name__ == '__main__':\n    print(URL)\n"
    )
    gen = "if __name__ == '__main__':\n    print('generated')\n"
    files = {"app/main.py": app, "dev/code-generation/gen_types.py": gen}
    assert run_probe("CFG001", files).outcome.value == "pass"
    alone = {"app/main.py": gen, "dev/code-generation/gen_types.py": gen}
    assert run_probe("CFG001", alone).outcome.value == "fail"


def test_sql_formatted_from_the_codes_own_constants_or_in_a_migration_is_no_injection(
    run_probe: RunProbe,
) -> None:
    model = (
        "from sqlalchemy import text\n\n\nclass Model:\n    _threshold = 0.7\n\n"
        "    @classmethod\n    def search(cls, session, q):\n"
        '        session.execute(text(f"set pg_trgm.threshold = {cls._threshold};"))\n'
    )
    migration = (
        "from alembic import op\n\nTABLE = 'recipes'\n\n\ndef upgrade(name):\n"
        "    op.execute(f\"UPDATE {TABLE} SET x = 1 WHERE name = '{name}'\")\n"
    )
    files = {**PY, "app/model.py": model, "alembic/versions/001_x.py": migration}
    assert run_probe("SEC006", files).outcome.value == "pass"
    tainted = model.replace("{cls._threshold}", "{q}")
    assert run_probe("SEC006", {**files, "app/model.py": tainted}).outcome.value == "fail"


def test_a_page_throttling_its_own_clicks_limits_no_api_client(run_probe: RunProbe) -> None:
    api = {**PY, "app.py": "from fastapi import FastAPI\n\napp = FastAPI()\n"}
    page = (
        '<script setup>\nimport { useThrottleFn } from "@vueuse/core";\n'
        "const load = useThrottleFn(() => fetch('/api'), 500);\n</script>\n"
    )
    assert run_probe("SEC015", {**api, "frontend/Card.vue": page}).outcome.value == "fail"
    limiter = "from slowapi import Limiter\n\nlimiter = Limiter(key_func=lambda r: r.client)\n"
    assert run_probe("SEC015", {**api, "limits.py": limiter}).outcome.value == "pass"


def test_a_spring_boot_tracing_starter_traces_requests(run_probe: RunProbe) -> None:
    pom = (
        "<project><parent><artifactId>spring-boot-starter-parent</artifactId></parent>"
        "<dependencies>\n<dependency><groupId>org.springframework.boot</groupId>"
        "<artifactId>spring-boot-starter-web</artifactId></dependency>\n"
        "<dependency><groupId>org.springframework.boot</groupId>"
        "<artifactId>spring-boot-starter-zipkin</artifactId></dependency>\n"
        "</dependencies></project>\n"
    )
    controller = (
        "package x;\n\nimport org.springframework.boot.SpringApplication;\n"
        "import org.springframework.web.bind.annotation.GetMapping;\n"
        "import org.springframework.web.bind.annotation.RestController;\n\n"
        '@RestController\nclass C {\n  @GetMapping("/")\n  String get() { return "x"; }\n'
        "  public static void main(String[] a) { SpringApplication.run(C.class, a); }\n}\n"
    )
    files = {"pom.xml": pom, "src/main/java/x/C.java": controller}
    assert run_probe("OBS005", files).outcome.value == "pass"
    plain = {
        **files,
        "pom.xml": pom.replace("spring-boot-starter-zipkin", "spring-boot-starter-json"),
    }
    assert run_probe("OBS005", plain).outcome.value == "fail"


def test_a_services_console_script_that_starts_its_server_is_no_command_line(
    tmp_path: Path,
) -> None:
    from evals.probe_corpus import probe_snapshot, write_files
    from pipeline.probes.engine import run_probes

    def kinds(root: Path, files: dict[str, str]) -> list[str]:
        write_files(root, files)
        return run_probes(probe_snapshot(root, None), select=["DOC001"]).profile.kinds

    pyproject = '[project]\nname = "app"\n\n[project.scripts]\nstart = "app.main:main"\n'
    server = (
        "import uvicorn\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
        "def main():\n    uvicorn.run(app, host='0.0.0.0')\n"
    )
    files = {"pyproject.toml": pyproject, "app/main.py": server, "Dockerfile": "FROM python\n"}
    assert kinds(tmp_path / "svc", files) == ["web_service"]
    admin = {**files, "app/cli.py": "import click\n\n\n@click.command()\ndef main():\n    pass\n"}
    admin["pyproject.toml"] = pyproject.replace("app.main:main", "app.cli:main")
    assert "cli" in kinds(tmp_path / "admin", admin)


def test_pflag_configures_and_checks_a_go_command(run_probe: RunProbe) -> None:
    main = (
        'package main\n\nimport (\n\tflag "github.com/spf13/pflag"\n)\n\n'
        'var all = flag.Bool("all", false, "include everything")\n\n'
        "func main() {\n\tflag.Parse()\n\t_ = *all\n}\n"
    )
    files = {"go.mod": "module x\n\nrequire github.com/spf13/pflag v1.0.5\n", "main.go": main}
    assert run_probe("CFG001", files).outcome.value == "pass"
    assert run_probe("CFG002", files).outcome.value == "pass"
    # The same program with nothing to configure it stays "reads no settings".
    bare = "package main\n\nfunc main() {}\n"
    assert run_probe("CFG001", {**files, "main.go": bare}).outcome.value == "fail"


def test_a_go_program_with_one_thread_has_no_race_to_detect(run_probe: RunProbe) -> None:
    single = {**_GO, "main.go": "package main\n\nfunc main() {}\n", **wf("go test ./...")}
    assert run_probe("TST013", single).outcome.value == "not_applicable"
    threaded = {**single, "main.go": "package main\n\nfunc main() {\n\tgo work()\n}\n"}
    assert run_probe("TST013", threaded).outcome.value == "fail"


def test_a_development_compose_files_database_is_a_throwaway(run_probe: RunProbe) -> None:
    compose = (
        "# Docker compose file for development purposes only.\n"
        "services:\n  postgres:\n    image: postgres:16\n"
    )
    assert run_probe("DATA006", {**PY, "docker-compose.yaml": compose}).outcome.value == (
        "not_applicable"
    )
    deployed = compose.replace("# Docker compose file for development purposes only.\n", "")
    assert run_probe("DATA006", {**PY, "docker-compose.yaml": deployed}).outcome.value == "fail"


def test_a_top_level_dev_folder_is_developers_tooling(run_probe: RunProbe) -> None:
    swallow = "def f(x):\n    try:\n        send(x)\n    except SMTPError:\n        pass\n"
    assert run_probe("ERR002", {**PY, "dev/scripts/seed.py": swallow}).outcome.value == "pass"
    assert run_probe("ERR002", {**PY, "app/mail.py": swallow}).outcome.value == "fail"


def test_a_parameter_converted_in_place_keeps_the_callers_value(run_probe: RunProbe) -> None:
    code = (
        "from uuid import UUID\n\n\ndef get(slug_or_id):\n    try:\n"
        "        slug_or_id = UUID(slug_or_id)\n    except ValueError:\n        pass\n"
        "    return lookup(slug_or_id)\n"
    )
    assert run_probe("ERR002", {**PY, "app.py": code}).outcome.value == "pass"
    fresh = code.replace("slug_or_id = UUID(slug_or_id)", "key = UUID(slug_or_id)")
    fresh = fresh.replace("return lookup(slug_or_id)", "return lookup(key)")
    assert run_probe("ERR002", {**PY, "app.py": fresh}).outcome.value == "fail"


def test_go_domain_types_that_validate_themselves_check_request_input(
    run_probe: RunProbe,
) -> None:
    domain = (
        'package wtf\n\nimport "errors"\n\ntype Dial struct{ Name string }\n\n'
        'func (d *Dial) Validate() error {\n\tif d.Name == "" {\n'
        '\t\treturn errors.New("name required")\n\t}\n\treturn nil\n}\n'
    )
    server = (
        'package main\n\nimport "net/http"\n\n'
        "func create(w http.ResponseWriter, r *http.Request) {\n"
        "\td := &wtf.Dial{}\n\tif err := d.Validate(); err != nil {\n\t\treturn\n\t}\n}\n\n"
        'func main() {\n\thttp.HandleFunc("/dials", create)\n'
        '\thttp.ListenAndServe(":8080", nil)\n}\n'
    )
    files = {**_GO, "dial.go": domain, "cmd/wtfd/main.go": server}
    assert run_probe("SEC013", files).outcome.value == "pass"
    config = domain.replace("Dial", "Config").replace("d *Config", "c *Config")
    config = config.replace("d.Name", "c.Name")
    unchecked = {
        **files,
        "dial.go": config,
        "cmd/wtfd/main.go": server.replace(
            "\td := &wtf.Dial{}\n\tif err := d.Validate(); err != nil {\n\t\treturn\n\t}\n", ""
        ),
    }
    assert run_probe("SEC013", unchecked).outcome.value == "fail"


def test_a_release_job_that_installs_the_binary_over_ssh_is_a_deployment(
    run_probe: RunProbe,
) -> None:
    server = (
        'package main\n\nimport "net/http"\n\nfunc main() {\n\thttp.ListenAndServe(":80", nil)\n}\n'
    )
    files = {**_GO, "main.go": server, **wf("go build -o dist/app .")}
    plain = run_probe("DEP001", files)
    assert plain.outcome.value == "fail" and plain.severity.value == "medium"
    deploy = {**files, **wf("go build -o dist/app .", "scp dist/app deploy@example.com:/srv/app")}
    result = run_probe("DEP001", deploy)
    assert result.severity.value == "low" and "over SSH" in result.advisory


def test_a_table_named_migrations_tracks_applied_files(run_probe: RunProbe) -> None:
    migrate = (
        'package sqlite\n\nimport "database/sql"\n\nfunc migrate(db *sql.DB) error {\n'
        "\t_, err := db.Exec(`CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY);`)\n"
        "\treturn err\n}\n\nfunc applied(db *sql.DB, name string) {\n"
        "\tdb.Exec(`INSERT INTO migrations (name) VALUES (?)`, name)\n}\n"
    )
    files = {
        "go.mod": "module x\n\nrequire github.com/mattn/go-sqlite3 v1.14.0\n",
        "sqlite/sqlite.go": migrate + '\nimport _ "github.com/mattn/go-sqlite3"\n',
        "sqlite/migration/00000000.sql": "CREATE TABLE dials (id INTEGER PRIMARY KEY);\n",
    }
    assert run_probe("DATA001", files).outcome.value == "pass"
    assert run_probe("DATA005", files).outcome.value == "pass"
    bare = {
        **files,
        "sqlite/sqlite.go": 'package sqlite\n\nimport _ "github.com/mattn/go-sqlite3"\n',
    }
    assert run_probe("DATA001", bare).outcome.value == "cannot_determine"
