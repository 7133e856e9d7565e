"""False claims second readers found in panels final5 and final6, each rebuilt small beside
the case that must stay as it is."""

from __future__ import annotations

from tests.probes.conftest import RunProbe
from tests.probes.test_testing import PY, TEST, wf


def test_the_repositorys_own_actions_and_go_test_double_dash_race(run_probe: RunProbe) -> None:
    own = (
        "on: [push]\njobs:\n  t:\n    runs-on: x\n    steps:\n"
        "      - uses: $/.github/actions/setup\n      - uses: actions/checkout@v4\n"
    )
    assert run_probe("SEC024", {**PY, ".github/workflows/ci.yml": own}).outcome.value == "pass"
    branch = own.replace("@v4", "@main")
    assert run_probe("SEC024", {**PY, ".github/workflows/ci.yml": branch}).outcome.value == "fail"
    go = {"go.mod": "module x\n", "main.go": "package main\n\nfunc main() {\n\tgo work()\n}\n"}
    raced = {**go, **wf("make test"), "Makefile": "test:\n\tgo test --race ./...\n"}
    assert run_probe("TST013", raced).outcome.value == "pass"
    plain = {**go, **wf("make test"), "Makefile": "test:\n\tgo test ./...\n"}
    assert run_probe("TST013", plain).outcome.value == "fail"


def test_import_names_and_peer_dependencies(run_probe: RunProbe) -> None:
    py = {
        "requirements.txt": "python-slugify==8.0\n",
        "app.py": "from slugify import slugify\n\nprint(slugify('a b'))\n",
    }
    assert run_probe("CQ012", py).outcome.value == "pass"
    ui = {
        "package.json": '{"name": "ui", "dependencies": {"@mui/material": "5", '
        '"@emotion/react": "11", "@emotion/styled": "11", "left-pad": "1"}}\n',
        "src/app.js": "import Button from '@mui/material/Button';\nexport default Button;\n",
    }
    result = run_probe("CQ012", ui)
    assert result.outcome.value == "fail" and "@emotion" not in result.message
    assert "left-pad" in result.message


def test_scripts_with_inline_metadata_declare_their_dependencies(run_probe: RunProbe) -> None:
    script = (
        "# /// script\n# requires-python = '>=3.10'\n# dependencies = [\n#     'scipy',\n# ]\n"
        "# ///\nimport scipy\n"
    )
    files = {**PY, "scripts/ttest.py": script}
    assert run_probe("DEP014", files).outcome.value != "fail"
    bare = {**PY, "scripts/ttest.py": "import scipy\n"}
    assert run_probe("DEP014", bare).outcome.value == "fail"


def test_application_yaml_tags_parse(run_probe: RunProbe) -> None:
    template = (
        "Resources:\n  Notebook:\n    Type: AWS::SageMaker::NotebookInstance\n"
        "    Properties:\n      RoleArn: !GetAtt Role.Arn\n      Name: !Ref Name\n"
    )
    ok = run_probe("CFG007", {**PY, "cloudformation.yml": template})
    assert ok.outcome.value == "pass", ok.message
    broken = run_probe("CFG007", {**PY, "broken.yml": "a: [1, 2\n"})
    assert broken.outcome.value == "fail"


def test_a_downloaded_model_cache_is_no_retention_gap(run_probe: RunProbe) -> None:
    files = {
        "pyproject.toml": "[project]\nname = 'asr'\n[project.scripts]\nasr = 'asr:main'\n",
        "asr.py": "import os\nimport urllib.request\n\n"
        "ROOT = os.path.join(os.path.expanduser('~'), '.cache', 'asr')\n\n\n"
        "def main():\n    path = os.path.join(ROOT, 'model.pt')\n"
        "    with open(path, 'wb') as f:\n"
        "        f.write(urllib.request.urlopen('https://x.example/m', timeout=5).read())\n",
    }
    result = run_probe("DATA007", files)
    assert result.outcome.value == "fail" and "cache" in result.advisory, result.message


def test_a_rust_thread_pool_is_concurrency(run_probe: RunProbe) -> None:
    cli = {
        "Cargo.toml": '[package]\nname = "csv"\n[[bin]]\nname = "csv"\npath = "src/main.rs"\n',
        "src/main.rs": "fn main() {\n    let pool = threadpool::ThreadPool::new(4);\n"
        "    pool.execute(|| {});\n}\n",
        "tests/t.rs": "#[test]\nfn t() {\n    assert!(true);\n}\n",
    }
    assert not run_probe("TST012", cli).advisory
    sequential = {**cli, "src/main.rs": 'fn main() {\n    println!("x");\n}\n'}
    assert run_probe("TST012", sequential).advisory


def test_a_load_test_plan_is_called_a_load_test(run_probe: RunProbe) -> None:
    cli = {
        "pyproject.toml": "[project]\nname = 'pin'\n[project.scripts]\npin = 'pin:main'\n",
        "pin.py": "import argparse\n\n\ndef main():\n    argparse.ArgumentParser().parse_args()\n",
    }
    files = {**cli, **TEST, "src/test/jmeter/crud.jmx": "<jmeterTestPlan/>\n"}
    result = run_probe("TST012", files)
    assert result.outcome.value == "pass" and "load test" in result.message


def test_a_raw_protocol_server_is_not_asked_for_request_schemas(run_probe: RunProbe) -> None:
    from tests.probes.test_round5 import _KV

    raw = run_probe("SEC013", _KV)
    assert raw.outcome.value == "cannot_determine" and "raw socket" in raw.message
    web = {
        "pyproject.toml": "[project]\nname = 'api'\ndependencies = ['flask']\n",
        "app.py": "from flask import Flask, request\napp = Flask(__name__)\n\n\n"
        "@app.post('/items')\ndef create():\n    return request.get_json()\n\n\n"
        "if __name__ == '__main__':\n    app.run()\n",
    }
    assert run_probe("SEC013", web).outcome.value == "fail"


def test_npm_start_hands_its_words_to_nps_and_nps_runs_the_named_block(
    run_probe: RunProbe,
) -> None:
    scripts = (
        "module.exports = {\n    scripts: {\n        build: {\n"
        "            default: 'tsc',\n            description: 'Runs jest? no, builds'\n"
        "        },\n        test: {\n            default: 'nps test.unit',\n"
        "            unit: {\n                default: {\n"
        "                    script: series('nps test.unit.run'),\n"
        "                    description: 'Runs the unit tests'\n                },\n"
        "                run: {\n                    script: 'jest --testPathPattern=unit'\n"
        "                },\n                coverage: {\n"
        "                    script: 'jest --coverage'\n                }\n"
        "            }\n        }\n    }\n};\n"
    )
    files = {
        "package.json": '{"name": "api", "scripts": {"start": "nps"}}\n',
        "src/app.ts": "export const a = 1;\n",
        "test/a.test.ts": "it('a', () => { expect(1).toBe(1); });\n",
        "package-scripts.js": scripts,
        ".travis.yml": "language: node_js\nscript:\n  - npm start test\n",
    }
    ran = run_probe("TST002", files)
    assert ran.outcome.value == "pass" and "package-scripts.js:15" in ran.message, ran.message
    assert run_probe("TST003", files).outcome.value == "fail"  # coverage is not what test runs
    built = {**files, ".travis.yml": "language: node_js\nscript:\n  - npm start build\n"}
    assert run_probe("TST002", built).outcome.value == "fail"


# From panel final6.


def test_a_frameworks_foundation_is_declared_by_the_framework(run_probe: RunProbe) -> None:
    app = {
        "requirements.txt": "fastapi==0.110\n",
        "app.py": "from fastapi import FastAPI\nfrom starlette.requests import Request\n\n"
        "app = FastAPI()\n",
    }
    assert run_probe("DEP014", app).outcome.value == "pass"
    other = {**app, "app.py": app["app.py"].replace("starlette.requests", "httpx")}
    other["app.py"] = other["app.py"].replace("import Request", "import Client")
    assert run_probe("DEP014", other).outcome.value == "fail"


def test_nothing_to_update_when_nothing_is_depended_on(run_probe: RunProbe) -> None:
    bare = {"go.mod": "module x\n\ngo 1.22\n", "x.go": "package x\n\nfunc F() {}\n"}
    assert "nothing of its own" in run_probe("SEC008", bare).advisory
    deps = {**bare, "go.mod": "module x\n\ngo 1.22\n\nrequire github.com/pkg/errors v0.9.1\n"}
    assert run_probe("SEC008", deps).advisory == ""


_SHOP = {
    "pom.xml": "<project><dependencies><dependency><artifactId>spring-webmvc</artifactId>"
    "</dependency><dependency><artifactId>mybatis</artifactId></dependency>"
    "</dependencies></project>\n",
    "src/main/java/shop/AccountMapper.java": "package shop;\n\nimport org.apache.ibatis."
    "annotations.Select;\n\npublic interface AccountMapper {\n"
    '    @Select("SELECT * FROM account")\n    Object all();\n}\n',
    "src/main/java/shop/AccountController.java": "package shop;\n\n"
    "import org.springframework.stereotype.Controller;\n\n@Controller\n"
    'public class AccountController {\n    public String view() { return "account"; }\n}\n',
    "src/main/java/shop/App.java": "package shop;\n\npublic class App {\n"
    "    public static void main(String[] a) {\n"
    "        org.springframework.boot.SpringApplication.run(App.class, a);\n    }\n}\n",
    "src/main/webapp/WEB-INF/jsp/account.jsp": "<html></html>\n",
    "src/main/webapp/WEB-INF/applicationContext.xml": "<beans>\n"
    '  <jdbc:embedded-database id="dataSource">\n'
    '    <jdbc:script location="classpath:schema.sql"/>\n  </jdbc:embedded-database>\n</beans>\n',
}


def test_an_in_memory_database_and_server_rendered_pages(run_probe: RunProbe) -> None:
    migrations = run_probe("DATA001", _SHOP)
    assert migrations.outcome.value == "fail" and "in memory" in migrations.advisory
    assert "in memory" in run_probe("DATA002", _SHOP).advisory
    assert "renders HTML pages" in run_probe("DOC008", _SHOP).advisory
    lasting = {
        **_SHOP,
        "src/main/resources/application.properties": "spring.datasource.url="
        "jdbc:postgresql://db/shop\n",
    }
    assert run_probe("DATA001", lasting).advisory == ""
    api = {
        **_SHOP,
        "src/main/java/shop/ItemApi.java": "package shop;\n\n@RestController\n"
        "public class ItemApi {}\n",
    }
    assert run_probe("DOC008", api).advisory == ""


def test_a_swagger_document_by_any_name_describes_the_api(run_probe: RunProbe) -> None:
    spec = (
        '{\n  "consumes": ["application/json"],\n  "swagger": "2.0",\n'
        + "".join(f'  "x{i}": {i},\n' for i in range(10))
        + '  "paths": {}\n}\n'
    )
    assert run_probe("DOC008", {**_SHOP, "docs/spec.json": spec}).outcome.value == "pass"


def test_a_try_that_tests_and_a_local_url_conversion(run_probe: RunProbe) -> None:
    tested = {
        **PY,
        "app.py": "from pathlib import Path\n\n\ndef inside(p, base):\n    try:\n"
        "        Path(p).relative_to(base)\n    except ValueError:\n        pass\n"
        "    else:\n        return True\n    return False\n",
    }
    assert run_probe("ERR002", tested).outcome.value == "pass"
    broad = {**tested, "app.py": tested["app.py"].replace("ValueError", "Exception")}
    assert run_probe("ERR002", broad).outcome.value == "fail"
    local = {
        "pyproject.toml": "[project]\nname = 'app'\n[project.scripts]\napp = 'app:main'\n",
        "app.py": "import json\nfrom pathlib import Path\nfrom urllib.request import "
        "url2pathname\n\n\ndef root(text):\n    url = json.loads(text)['url']\n"
        "    return Path(url2pathname(url)).read_text()\n\n\ndef main():\n    root('{}')\n",
    }
    assert run_probe("SEC029", local).outcome.value == "pass"


# From held-out round 6's first measure.


def test_make_variables_and_script_arguments_are_followed(run_probe: RunProbe) -> None:
    go = {"go.mod": "module x\n", "x.go": "package x\n\nfunc F() {}\n"}
    variables = {
        **go,
        **wf("make test"),
        "Makefile": "GO ?= go\n\ntest:\n\t@$(GO) test -cover ./...\n",
    }
    assert run_probe("TST002", variables).outcome.value == "pass"
    rust = {
        "Cargo.toml": '[package]\nname = "x"\n',
        "src/lib.rs": "pub fn f() {}\n",
        "ci/test.bash": "#!/usr/bin/env bash\nCROSS=$1\nTARGET=$2\n"
        '$CROSS test --target "$TARGET"\n',
        **wf("ci/test.bash cargo x86_64-unknown-linux-gnu"),
    }
    assert run_probe("TST002", rust).outcome.value == "pass"
    build_only = {**rust, **wf("ci/test.bash rustup x86_64-unknown-linux-gnu")}
    assert run_probe("TST002", build_only).outcome.value == "fail"
    module = {**PY, **TEST, **wf("python -m tests.unit")}
    assert run_probe("TST002", module).outcome.value == "pass"


def test_a_licence_by_its_british_or_split_name(run_probe: RunProbe) -> None:
    assert run_probe("DOC005", {**PY, "LICENCE-MIT": "MIT\n"}).outcome.value == "pass"
    assert run_probe("DOC005", {**PY, "LICENSE.code.txt": "Apache\n"}).outcome.value == "pass"
    assert run_probe("DOC005", {**PY, "vendor/x/README.md": "x\n"}).outcome.value == "fail"


def test_a_tornado_app_serves_and_a_celery_monitor_is_no_worker(tmp_path) -> None:
    from tests.probes.test_advisory import _profile

    monitor = {
        "pyproject.toml": "[project]\nname = 'mon'\ndependencies = ['tornado', 'celery']\n",
        "mon/app.py": "import celery\nimport tornado.web\nfrom tornado import httpclient\n\n\n"
        "def main():\n    capp = celery.Celery()\n"
        "    app = tornado.web.Application([])\n    app.listen(5555)\n\n\n"
        "async def broker(url):\n    return await httpclient.AsyncHTTPClient().fetch(url)\n\n\n"
        "if __name__ == '__main__':\n    main()\n",
    }
    profile = _profile(tmp_path / "mon", monitor)
    assert profile.kinds == ["web_service"] and profile.conditions["outbound"], profile
    worker = {
        **monitor,
        "mon/tasks.py": "from celery import shared_task\n\n\n@shared_task\ndef add(a, b):\n"
        "    return a + b\n",
    }
    assert "worker" in _profile(tmp_path / "worker", worker).kinds


def test_tornados_validate_cert_false_switches_tls_off(run_probe: RunProbe) -> None:
    cli = {
        "pyproject.toml": "[project]\nname = 'mon'\n[project.scripts]\nmon = 'mon:main'\n",
        "mon.py": "from tornado import httpclient\n\n\nasync def main(url):\n"
        "    req = httpclient.HTTPRequest(url, validate_cert=False)\n"
        "    return await httpclient.AsyncHTTPClient().fetch(req)\n",
    }
    assert run_probe("SEC005", cli).outcome.value == "fail"
    checked = {**cli, "mon.py": cli["mon.py"].replace("validate_cert=False", "validate_cert=True")}
    assert run_probe("SEC005", checked).outcome.value == "pass"


def test_goreleasers_release_notes_are_a_changelog_outside_the_repository(
    run_probe: RunProbe,
) -> None:
    go = {"go.mod": "module x\n", "main.go": "package main\n\nfunc main() {\n\tgo work()\n}\n"}
    released = run_probe(
        "DOC003", {**go, ".goreleaser.yml": "version: 2\nbuilds:\n  - binary: x\n"}
    )
    assert released.outcome.value == "fail" and "GoReleaser" in released.advisory
    disabled = {**go, ".goreleaser.yml": "version: 2\nchangelog:\n  disable: true\n"}
    assert run_probe("DOC003", disabled).advisory == ""


# From a user read of dhax/go-base (a Go REST boilerplate nobody here wrote).

_GO_API = {
    "go.mod": "module api\n\nrequire github.com/go-chi/chi/v5 v5.0.0\n",
    "main.go": 'package main\n\nimport "api/server"\n\nfunc main() { server.Start() }\n',
    "server/server.go": 'package server\n\nimport (\n\t"context"\n\t"net/http"\n'
    '\t"os"\n\t"os/signal"\n)\n\n// Start serves until interrupted.\nfunc Start() {\n'
    '\tsrv := &http.Server{Addr: ":3000"}\n\tgo srv.ListenAndServe()\n'
    "\tquit := make(chan os.Signal, 1)\n\tsignal.Notify(quit, os.Interrupt)\n\t<-quit\n"
    "\tsrv.Shutdown(context.Background())\n}\n",
    "Dockerfile": "FROM golang:1.22 AS b\nRUN go build -o /m .\nFROM alpine:3.19\n"
    'COPY --from=b /m /m\nCMD ["/m"]\n',
}


def test_a_go_server_that_only_hears_ctrl_c(run_probe: RunProbe) -> None:
    interrupted = run_probe("REL004", _GO_API)
    assert interrupted.outcome.value == "fail" and interrupted.partial, interrupted.message
    both = {
        **_GO_API,
        "server/server.go": _GO_API["server/server.go"]
        .replace('\t"os/signal"\n', '\t"os/signal"\n\t"syscall"\n')
        .replace("os.Interrupt)", "os.Interrupt, syscall.SIGTERM)"),
    }
    assert run_probe("REL004", both).outcome.value == "pass"


def test_randomness_failing_is_no_recoverable_error(run_probe: RunProbe) -> None:
    token = {
        **_GO_API,
        "server/token.go": 'package server\n\nimport "crypto/rand"\n\nfunc token() []byte {\n'
        "\tbuf := make([]byte, 8)\n\tif _, err := rand.Read(buf); err != nil {\n"
        "\t\tpanic(err)\n\t}\n\treturn buf\n}\n",
    }
    assert run_probe("ERR006", token).outcome.value == "pass"
    parse = {
        **token,
        "server/token.go": token["server/token.go"].replace("rand.Read(buf)", "load(buf)"),
    }
    parse["server/token.go"] += "\nfunc load(b []byte) (int, error) { return 0, nil }\n"
    assert run_probe("ERR006", parse).outcome.value == "fail"


def test_migration_pairs_config_defaults_and_inline_readme_commands(run_probe: RunProbe) -> None:
    migrations = {
        **_GO_API,
        "database/migrations/2_users.up.sql": "INSERT INTO users VALUES (1);\n",
        "database/migrations/2_users.tx.down.sql": "DELETE FROM users;\n",
        "database/postgres.go": 'package database\n\nimport "database/sql"\n\nvar DB *sql.DB\n',
    }
    assert run_probe("DATA003", migrations).outcome.value == "pass"
    lone = {k: v for k, v in migrations.items() if "down" not in k}
    assert run_probe("DATA003", lone).outcome.value == "fail"
    default = {
        **_GO_API,
        "server/config.go": 'package server\n\nimport "github.com/spf13/viper"\n\n'
        "func init() {\n"
        '\tviper.SetDefault("db_dsn", "postgres://u:p@localhost:5432/db")\n}\n',
    }
    assert run_probe("CFG005", default).outcome.value == "pass"
    fixed = {
        **default,
        "server/config.go": default["server/config.go"].replace(
            'viper.SetDefault("db_dsn", ', "dsn := ("
        ),
    }
    assert run_probe("CFG005", fixed).outcome.value == "fail"
    readme = (
        "# API\n\n## Start Application\n\n- Clone this repository\n"
        "- Run the server: `go run main.go serve`\n\n## Usage\n\n- Call `curl localhost:3000`\n"
    )
    assert run_probe("DOC002", {**_GO_API, "README.md": readme}).outcome.value == "pass"
    prose = readme.replace("`go run main.go serve`", "the binary")
    prose = prose.replace("`curl localhost:3000`", "the API")
    assert run_probe("DOC002", {**_GO_API, "README.md": prose}).outcome.value == "fail"
