"""False claims second readers found in panel final7, each rebuilt small beside the case
that must stay as it is."""

from __future__ import annotations

from tests.probes.conftest import RunProbe
from tests.probes.test_testing import PY

_NODE = {"index.js": "module.exports = () => 1;\n"}


def _package(extra: str) -> dict[str, str]:
    return {
        **_NODE,
        "package.json": '{"name": "x", "scripts": {"lint": "eslint ."}, ' + extra + "}\n",
    }


def test_hooks_installed_by_npm_packages_are_pre_commit_hooks(run_probe: RunProbe) -> None:
    precommit = _package('"precommit": ["lint"], "devDependencies": {"pre-commit": "1"}')
    result = run_probe("CQ008", precommit)
    assert result.outcome.value == "pass" and "pre-commit package" in result.message
    yorkie = _package(
        '"gitHooks": {"pre-commit": "lint-staged"}, "devDependencies": {"yorkie": "2"}'
    )
    assert run_probe("CQ008", yorkie).outcome.value == "pass"
    vue4 = _package(
        '"gitHooks": {"pre-commit": "lint-staged"}, '
        '"devDependencies": {"@vue/cli-plugin-eslint": "^4.5.0"}'
    )
    assert run_probe("CQ008", vue4).outcome.value == "pass"
    # Vue CLI 5 dropped yorkie: its gitHooks key installs nothing; nor does a key alone.
    vue5 = vue4.copy()
    vue5["package.json"] = vue4["package.json"].replace("^4.5.0", "^5.0.0")
    assert run_probe("CQ008", vue5).outcome.value == "fail"
    assert run_probe("CQ008", _package('"precommit": ["lint"]')).outcome.value == "fail"


def test_runtime_server_and_dev_container_images_are_not_heavy_builds(
    run_probe: RunProbe,
) -> None:
    for image in ("pytorch/pytorch:2.1.0-cuda12.1-cudnn8-runtime", "postgres:16"):
        files = {**PY, "Dockerfile": f"FROM {image}\nCOPY . /app\n"}
        assert run_probe("DEP011", files).outcome.value == "pass", image
    dev = {**PY, "setup/.devcontainer/Dockerfile": "FROM pytorch/pytorch:2.1.0-devel\n"}
    assert run_probe("DEP011", dev).outcome.value == "not_applicable"
    full = {**PY, "Dockerfile": "FROM python:3.12\nRUN pip install .\n"}
    assert run_probe("DEP011", full).outcome.value == "fail"


def test_slog_before_go_1_21_is_structured(run_probe: RunProbe) -> None:
    main = (
        'package main\n\nimport (\n\t"net/http"\n\n\t"golang.org/x/exp/slog"\n)\n\n'
        'func main() {\n\tslog.Info("start", "port", 80)\n\thttp.ListenAndServe(":80", nil)\n}\n'
    )
    files = {"go.mod": "module x\n", "main.go": main}
    assert run_probe("OBS002", files).outcome.value == "pass"
    plain = main.replace('"golang.org/x/exp/slog"', '"log"').replace(
        'slog.Info("start", "port", 80)', 'log.Println("start")'
    )
    assert run_probe("OBS002", {**files, "main.go": plain}).outcome.value == "fail"


def test_a_star_on_a_workspace_package_is_no_floating_dependency(run_probe: RunProbe) -> None:
    root = '{"name": "root", "private": true, "workspaces": ["packages/*"]}\n'
    app = '{"name": "@x/app", "dependencies": {"@x/core": "*", "express": "4.18.2"}}\n'
    core = '{"name": "@x/core", "version": "1.0.0"}\n'
    files = {
        "package.json": root,
        "packages/app/package.json": app,
        "packages/core/package.json": core,
        "packages/app/index.js": "require('@x/core');\n",
    }
    assert run_probe("SEC022", files).outcome.value == "pass"
    registry = app.replace('"express": "4.18.2"', '"express": "*"')
    result = run_probe("SEC022", {**files, "packages/app/package.json": registry})
    assert result.outcome.value == "fail" and "express" in result.message
    assert "@x/core" not in result.message


def test_a_readable_test_password_is_a_fixture_but_a_key_format_is_not(
    run_probe: RunProbe,
) -> None:
    fixture = "def test_login(client):\n    password = 'hacksoft'\n    assert client\n"
    result = run_probe("SEC025", {**PY, "tests/users.py": fixture})
    assert result.outcome.value == "pass" and "readable password" in result.message
    token = "ghp_" + "Zq8vN2xKp4LmW7rT9sYbQ3aC5dE1fG6hJ0kL"
    keyed = f"def test_api():\n    token = '{token}'\n    assert token\n"
    assert run_probe("SEC025", {**PY, "tests/test_api.py": keyed}).outcome.value == "fail"


def test_the_maven_wrapper_downloader_is_build_tooling(run_probe: RunProbe) -> None:
    downloader = (
        "public class MavenWrapperDownloader {\n    public static void main(String[] args) {}\n}\n"
    )
    app = "package x;\n\npublic class Lib {\n    public int one() { return 1; }\n}\n"
    files = {
        "pom.xml": "<project><artifactId>x</artifactId><packaging>war</packaging></project>\n",
        ".mvn/wrapper/MavenWrapperDownloader.java": downloader,
        "src/main/java/x/Lib.java": app,
    }
    result = run_probe("DEP013", files)
    assert "MavenWrapperDownloader" not in result.message, result.message


def test_the_longest_function_is_said_to_be_python_only(run_probe: RunProbe) -> None:
    files = {**PY, "ui/app.ts": "export const f = () => 1;\n"}
    result = run_probe("CQ007", files)
    assert result.outcome.value == "pass"
    assert (
        "Python function" in result.message and "typescript code is not measured" in result.message
    )


def test_an_imported_zod_that_parses_nothing_validates_nothing(run_probe: RunProbe) -> None:
    schema = (
        "import { z } from 'zod';\nexport const ErrorSchema = z.object({ message: z.string() });\n"
    )
    route = (
        "import express from 'express';\nconst app = express();\n"
        "app.post('/x', (req, res) => { res.json(req.body); });\napp.listen(3000);\n"
    )
    files = {
        "package.json": '{"name": "x", "dependencies": {"zod": "3", "express": "4"}}\n',
        "src/schema.ts": schema,
        "src/server.ts": route,
    }
    assert run_probe("SEC013", files).outcome.value == "fail"
    parsed = route.replace("res.json(req.body)", "res.json(ErrorSchema.parse(req.body))")
    parsed = "import { ErrorSchema } from './schema';\n" + parsed
    result = run_probe("SEC013", {**files, "src/server.ts": parsed})
    assert result.outcome.value == "pass" and "Zod" in result.message


def test_typeorm_synchronize_in_its_json_configuration_creates_the_schema(
    run_probe: RunProbe,
) -> None:
    module = (
        "import { Module } from '@nestjs/common';\n"
        "import { TypeOrmModule } from '@nestjs/typeorm';\n"
        "@Module({ imports: [TypeOrmModule.forRoot()] })\nexport class AppModule {}\n"
    )
    config = '{\n  "type": "mysql",\n  "database": "app",\n  "synchronize": true\n}\n'
    files = {
        "package.json": '{"name": "x", "dependencies": '
        '{"@nestjs/typeorm": "8", "typeorm": "0.2", "mysql": "2"}}\n',
        "src/app.module.ts": module,
        "src/user.entity.ts": "import { Entity, PrimaryGeneratedColumn } from 'typeorm';\n"
        "@Entity('user')\nexport class UserEntity {\n  @PrimaryGeneratedColumn() id: number;\n}\n",
        "ormconfig.json.example": config,
    }
    result = run_probe("DATA005", files)
    assert result.outcome.value == "fail" and "ormconfig.json.example:4" in result.message
    off = config.replace("true", "false")
    assert run_probe("DATA005", {**files, "ormconfig.json.example": off}).outcome.value == "pass"


def test_the_h2_console_on_local_connections_is_a_low_partial_debug_default(
    run_probe: RunProbe,
) -> None:
    app = (
        "package x;\n\nimport org.springframework.boot.autoconfigure.SpringBootApplication;\n\n"
        "@SpringBootApplication\npublic class App {\n"
        "    public static void main(String[] a) { SpringApplication.run(App.class, a); }\n}\n"
    )
    files = {
        "pom.xml": "<project><dependency><artifactId>spring-boot-starter-web</artifactId>"
        "</dependency></project>\n",
        "src/main/java/x/App.java": app,
        "src/main/resources/application.properties": "spring.h2.console.enabled=true\n",
    }
    local = run_probe("CFG003", files)
    assert local.outcome.value == "fail" and local.severity.value == "low", local.message
    exposed = "spring.h2.console.enabled=true\nspring.h2.console.settings.web-allow-others=true\n"
    files["src/main/resources/application.properties"] = exposed
    assert run_probe("CFG003", files).severity.value == "high"


def test_a_goreleaser_changelog_with_groups_is_read_as_yaml(run_probe: RunProbe) -> None:
    # Held-out round 7 (shiori): a regex over this block backtracked for minutes.
    groups = "".join(
        f"    - title: G{n}\n"
        f"      regexp: '^.*?feat(\\([[:word:]]+\\))??!?:.+$'\n"
        f"      order: {n}\n"
        for n in range(12)
    )
    go = {"go.mod": "module x\n", "main.go": "package main\n\nfunc main() {}\n"}
    grouped = {
        **go,
        ".goreleaser.yaml": f"version: 2\nchangelog:\n  sort: asc\n  groups:\n{groups}",
    }
    result = run_probe("DOC003", grouped)
    assert result.outcome.value == "fail" and "GoReleaser" in result.advisory
    disabled = {**go, ".goreleaser.yaml": f"changelog:\n  groups:\n{groups}  disable: true\n"}
    assert run_probe("DOC003", disabled).advisory == ""


# From panel final8 (claims checked by second readers at d54749d).


def test_a_status_a_context_key_or_a_comparison_is_no_secret() -> None:
    from pipeline.secrets import find_secrets

    assert find_secrets('        ctx["email_password_status"] = "success"\n', "views.py") == []
    assert find_secrets('\tContextAccountKey = "account"\n', "model/http.go") == []
    compared = "  return typeof apiKey === 'function' ? apiKey : () => apiKey;\n"
    assert find_secrets(compared, "runtime.ts") == []
    assert find_secrets('password = "hunter2hunter2"\n', "settings.py") != []


def test_key_files_only_tests_load_are_fixtures(run_probe: RunProbe) -> None:
    key = "-----BEGIN RSA PRIVATE KEY-----\n" + "MIIEow" + "IBAAKCAQEA" * 6 + "\n"
    key += "-----END RSA PRIVATE KEY-----\n"
    go = {"go.mod": "module x\n", "main.go": "package main\n\nfunc main() {}\n"}
    test = (
        'package main\n\nimport "testing"\n\n'
        'func TestTLS(t *testing.T) { _ = "../certificate/localhost.key" }\n'
    )
    files = {**go, "certificate/localhost.key": key, "main_test.go": test}
    result = run_probe("SEC001", files)
    assert result.outcome.value == "pass" and "only tests load" in result.message
    served = {**files, "tls.go": 'package main\n\nconst keyFile = "certificate/localhost.key"\n'}
    assert run_probe("SEC001", served).outcome.value == "fail"


def test_env_defaults_and_example_files_weigh_less_than_a_live_secret(run_probe: RunProbe) -> None:
    manage = (
        "import os\n\nDEFAULT_ENVS = {\n    'SETTINGS': 'site.settings',\n"
        "    'BOT_API_KEY': 'badbot13m0n8f570f942013fc818f234916ca531',\n}\n\n"
        "for key, value in DEFAULT_ENVS.items():\n    os.environ.setdefault(key, value)\n"
    )
    # In Django's manage.py only management commands and the development server see the
    # default (panels final12 and final13 both called pydis-site's high false): medium.
    fallback = run_probe("SEC001", {**PY, "manage.py": manage})
    assert fallback.outcome.value == "fail" and fallback.severity.value == "medium"
    settings = run_probe("SEC001", {**PY, "settings.py": manage})
    assert settings.outcome.value == "fail" and settings.severity.value == "high"
    example = {**PY, ".env.example": "STRIPE_SECRET=sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc\n"}
    sample = run_probe("SEC001", example)
    assert sample.outcome.value == "fail" and sample.severity.value == "medium", sample.message
    live = {**PY, "config.py": "STRIPE_SECRET = 'sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc'\n"}
    assert run_probe("SEC001", live).severity.value == "critical"


def test_a_shelf_the_module_creates_is_its_own_state(run_probe: RunProbe) -> None:
    own = (
        "import shelve\n\n\ndef load(db):\n    return shelve.open(db)\n\n\n"
        "def save(db, state):\n    with shelve.open(db, flag='n') as s:\n        s['x'] = state\n"
    )
    assert run_probe("SEC004", {**PY, "events.py": own}).outcome.value == "pass"
    foreign = "import shelve\n\n\ndef load(db):\n    return shelve.open(db)\n"
    assert run_probe("SEC004", {**PY, "events.py": foreign}).outcome.value == "fail"


def test_a_seed_script_mount_keeps_no_data(run_probe: RunProbe) -> None:
    compose = (
        "services:\n  postgres:\n    image: postgres:16\n    volumes:\n"
        "      - ./init.sql:/docker-entrypoint-initdb.d/init.sql\n"
    )
    files = {**PY, "docker-compose.yml": compose}
    result = run_probe("DATA006", files)
    assert result.outcome.value == "fail" and result.severity.value == "low", result.message
    kept = compose + "      - pgdata:/var/lib/postgresql/data\nvolumes:\n  pgdata:\n"
    assert run_probe("DATA006", {**PY, "docker-compose.yml": kept}).outcome.value == "pass"
    custom = compose.replace("postgres:16", "example/db:1")
    assert run_probe("DATA006", {**PY, "docker-compose.yml": custom}).severity.value == "medium"


def test_a_tests_sample_manifest_deploys_nothing(run_probe: RunProbe) -> None:
    pod = (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  template:\n"
        "    spec:\n      containers:\n        - name: x\n          image: x:1\n"
    )
    assert run_probe("DEP006", {**PY, "tests/data/yaml.yaml": pod}).outcome.value == (
        "not_applicable"
    )
    assert run_probe("DEP006", {**PY, "deploy/app.yaml": pod}).outcome.value == "fail"


def test_a_code_of_conduct_and_make_testdata_are_no_contributing_guide(
    run_probe: RunProbe,
) -> None:
    conduct = "# Contributor Covenant Code of Conduct\n\n" + "We pledge to be kind. " * 40 + "\n"
    readme = "# App\n\n## Tests\n\n" + "Run the suite before you push. " * 20 + "\n"
    files = {**PY, "CODE_OF_CONDUCT.md": conduct, "README.md": readme}
    assert run_probe("DOC004", files).outcome.value == "fail"
    seeded = "# App\n\n## Run\n\n```\nmake testdata\nmake run\n```\n"
    assert run_probe("DOC004", {**PY, "README.md": seeded}).outcome.value == "fail"


def test_a_localhost_url_compared_or_in_a_test_runner_config_is_no_endpoint(
    run_probe: RunProbe,
) -> None:
    app = (
        "const express = require('express');\nconst app = express();\n"
        "if (process.env.BASE_URL.startsWith('http://localhost')) console.warn('dev');\n"
        "app.listen(3000);\n"
    )
    jest = "module.exports = { testURL: 'http://localhost/' };\n"
    files = {"package.json": '{"name": "x"}\n', "app.js": app, "jest.config.js": jest}
    assert run_probe("CFG005", files).outcome.value == "pass"
    called = app + "fetch('http://localhost:8080/api');\n"
    assert run_probe("CFG005", {**files, "app.js": called}).outcome.value == "fail"


def test_a_front_ends_serve_script_is_how_it_runs(run_probe: RunProbe) -> None:
    package = '{"name": "ui", "scripts": {"serve": "vue-cli-service serve"}, '
    package += '"dependencies": {"vue": "2"}}\n'
    files = {"package.json": package, "src/main.js": "import Vue from 'vue';\nnew Vue({});\n"}
    result = run_probe("DEP013", files)
    assert result.outcome.value == "pass" and "npm run serve" in result.message


def test_spring_tracing_and_metrics_starters(run_probe: RunProbe) -> None:
    app = (
        "package a;\n\nimport org.springframework.boot.SpringApplication;\n"
        "import org.springframework.web.bind.annotation.RestController;\n\n@RestController\n"
        "public class App {\n  public static void main(String[] a) {\n"
        "    SpringApplication.run(App.class, a);\n  }\n}\n"
    )
    pom = (
        "<project><dependency><artifactId>spring-boot-starter-web</artifactId></dependency>"
        "<dependency><artifactId>spring-boot-starter-actuator</artifactId></dependency>"
        "<dependency><artifactId>spring-cloud-starter-sleuth</artifactId></dependency>"
        "</project>\n"
    )
    files = {"pom.xml": pom, "src/main/java/a/App.java": app}
    assert run_probe("OBS005", files).outcome.value == "pass"
    assert run_probe("OBS004", files).outcome.value == "fail"  # metrics endpoint not exposed
    exposed = "management.endpoints.web.exposure.include=*\n"
    files["src/main/resources/application.properties"] = exposed
    assert run_probe("OBS004", files).outcome.value == "pass"


def test_spring_boot_with_h2_and_no_datasource_runs_in_memory(run_probe: RunProbe) -> None:
    pom = (
        "<project><parent><artifactId>spring-boot-starter-parent</artifactId></parent>"
        "<dependency><groupId>com.h2database</groupId><artifactId>h2</artifactId></dependency>"
        "<dependency><artifactId>spring-boot-starter-data-jpa</artifactId></dependency>"
        "</project>\n"
    )
    entity = (
        "package a;\n\nimport jakarta.persistence.Entity;\nimport jakarta.persistence.Id;\n\n"
        "@Entity\nclass Employee {\n  @Id Long id;\n}\n"
    )
    files = {"pom.xml": pom, "src/main/java/a/Employee.java": entity}
    result = run_probe("DATA001", files)
    assert result.outcome.value == "fail" and "in memory" in result.advisory, result.advisory
    configured = {
        **files,
        "src/main/resources/application.properties": "spring.datasource.url=jdbc:postgresql://db/x\n",
    }
    assert run_probe("DATA001", configured).advisory == ""


def test_a_pages_and_a_build_scripts_calls_need_no_retries(run_probe: RunProbe) -> None:
    page = "export async function signup() {\n  return await fetch('/accounts/signup/')\n}\n"
    files = {"manage.py": "import django\n", "static/js/signup.js": page}
    result = run_probe("REL002", files)
    # A fetch of the page's own server's path calls nobody outside at all.
    assert result.outcome.value == "not_applicable" and "no outbound" in result.message, (
        result.message
    )
    health = "from urllib.request import urlopen\n\nurlopen('http://localhost:8000/status/')\n"
    docker = "FROM python:3.12-slim\nCOPY fetchstatus.py /app/\nHEALTHCHECK CMD ./fetchstatus.py\n"
    probe = {**PY, "docker/fetchstatus.py": health, "Dockerfile": docker}
    assert run_probe("REL001", probe).outcome.value != "fail"


def test_an_examples_go_mod_is_no_dependency_of_the_product(run_probe: RunProbe) -> None:
    files = {
        "go.mod": "module x\n\ngo 1.23\n",
        "mux.go": "package x\n\nfunc New() {}\n",
        "_examples/rest/go.mod": "module rest\n\nrequire github.com/go-chi/render v1.0.3\n",
        "_examples/rest/main.go": "package main\n\nfunc main() {}\n",
    }
    assert "no third-party dependency" in run_probe("SEC008", files).advisory
    own = {**files, "go.mod": "module x\n\nrequire github.com/pkg/errors v0.9.1\n"}
    assert run_probe("SEC008", own).advisory == ""


def test_a_tracers_shutdown_deadline_is_no_database_timeout(run_probe: RunProbe) -> None:
    repo = (
        'package repo\n\nimport (\n\t"context"\n\t"database/sql"\n)\n\n'
        'func Get(ctx context.Context, db *sql.DB) {\n\tdb.QueryContext(ctx, "select 1")\n}\n'
    )
    tracing = (
        'package tracing\n\nimport (\n\t"context"\n\t"time"\n)\n\n'
        "func Stop(ctx context.Context) {\n"
        "\tc, cancel := context.WithTimeout(ctx, 5*time.Second)\n\tdefer cancel()\n\t_ = c\n}\n"
    )
    files = {"go.mod": "module x\n", "repo/repo.go": repo, "tracing/tracing.go": tracing}
    assert run_probe("REL006", files).outcome.value == "fail"
    bounded = repo.replace(
        "\tdb.QueryContext(ctx,",
        "\tc, cancel := context.WithTimeout(ctx, time.Second)\n\tdefer cancel()\n"
        "\tdb.QueryContext(c,",
    )
    assert run_probe("REL006", {**files, "repo/repo.go": bounded}).outcome.value == "pass"


def test_a_java_app_that_never_logs_though_frameworks_do(run_probe: RunProbe) -> None:
    controller = (
        "package a;\n\nimport org.springframework.stereotype.Controller;\n"
        "import org.springframework.web.bind.annotation.GetMapping;\n\n@Controller\n"
        'public class Shop {\n  @GetMapping("/")\n  public String home() { return "home"; }\n}\n'
    )
    pom = (
        "<project><packaging>war</packaging>"
        "<dependency><artifactId>spring-webmvc</artifactId></dependency>"
        "<dependency><artifactId>slf4j-simple</artifactId></dependency></project>\n"
    )
    docker = (
        "FROM tomcat:9-jre17\nCOPY target/shop.war /usr/local/tomcat/webapps/\n"
        'CMD ["catalina.sh", "run"]\n'
    )
    files = {"pom.xml": pom, "src/main/java/a/Shop.java": controller, "Dockerfile": docker}
    result = run_probe("OBS001", files)
    assert result.outcome.value == "fail" and result.severity.value == "medium", result.message
    assert "own code makes no log call" in result.message


def test_nps_runs_the_tests_and_an_env_helper_reads_the_environment(run_probe: RunProbe) -> None:
    readme = (
        "# App\n\n## Tests\n\n- Run the unit tests using `yarn start test` "
        "(there is also a vscode task).\n- Run the e2e tests using `yarn start test.e2e`, which "
        "starts the server against a fresh database and drives the API end to end.\n"
    )
    assert run_probe("DOC004", {**PY, "README.md": readme}).outcome.value == "pass"
    settings = (
        "import os\n\n\ndef envsecret(name, default):\n    return os.getenv(name, default)\n\n\n"
        "SECRET_KEY = envsecret('SECRET_KEY', 'k8Zq2LmW7rT9sYbQ3aC5dE1fG6hJ0kLp')\n"
    )
    result = run_probe("SEC001", {**PY, "hc/settings.py": settings})
    assert result.outcome.value == "fail" and "hardcoded_fallback" in result.message


def test_flask_cors_made_without_options_allows_every_origin(run_probe: RunProbe) -> None:
    app = (
        "from flask import Flask\nfrom flask_cors import CORS\n\ncors = CORS()\n\n\n"
        "def create_app():\n    app = Flask(__name__)\n    cors.init_app(app)\n    return app\n"
    )
    files = {**PY, "api/app.py": app, "Procfile": "web: gunicorn 'api.app:create_app()'\n"}
    assert run_probe("SEC011", files).outcome.value == "fail"
    configured = {**files, "config.py": "CORS_ORIGINS = ['https://example.com']\n"}
    assert run_probe("SEC011", configured).outcome.value == "pass"


# From a user read of miguelgrinberg/microblog-api (a Flask API nobody here wrote).


def test_click_beside_flask_and_a_docstring_settings_table(run_probe: RunProbe) -> None:
    pyproject = "[project]\nname = 'api'\ndependencies = ['flask']\n"
    fake = "import click\n\n\n@click.command()\ndef fake():\n    pass\n"
    files = {"pyproject.toml": pyproject, "api/fake.py": fake, "api/app.py": "import flask\n"}
    assert run_probe("DEP014", files).outcome.value == "pass"
    bare = {**files, "pyproject.toml": pyproject.replace("'flask'", "'requests'")}
    assert run_probe("DEP014", bare).outcome.value == "fail"
    init = (
        '"""API.\n\n| Variable | Default | Purpose |\n|---|---|---|\n'
        "| `DATABASE_URL` | sqlite | Where the data lives. |\n"
        '| `SECRET_KEY` | random | Signs tokens. |\n"""\n'
    )
    config = (
        "import os\n\nDATABASE_URL = os.environ.get('DATABASE_URL')\n"
        "SECRET_KEY = os.environ.get('SECRET_KEY')\n"
    )
    app = "from flask import Flask\n\napp = Flask(__name__)\napp.run()\n"
    served = {**PY, "api/__init__.py": init, "config.py": config, "app.py": app}
    assert run_probe("CFG004", served).outcome.value == "pass"
    plain = {**served, "api/__init__.py": '"""API."""\n'}
    assert run_probe("CFG004", plain).outcome.value == "fail"


def test_more_from_panel_final8(run_probe: RunProbe) -> None:
    # A script that configures a git hook (git 2.54's config hooks, core.hooksPath).
    hooks = (
        '{"name": "x", "scripts": {"hooks": '
        '"git config set hook.lint.event pre-commit"}, "devDependencies": {"eslint": "9"}}\n'
    )
    assert run_probe("CQ008", {**_NODE, "package.json": hooks}).outcome.value == "pass"
    # A single-file component uses its framework without importing it.
    vue = '{"name": "site", "dependencies": {"vue": "3", "vitepress": "1"}}\n'
    site = {"package.json": vue, "src/App.vue": "<template><p>x</p></template>\n"}
    site["src/main.js"] = "import { createApp } from 'vitepress';\ncreateApp();\n"
    assert run_probe("CQ012", site).outcome.value == "pass"
    # A hand-written API page documents a library item by item.
    api = "# API\n\n" + "".join(f"## `logger.m{i}(obj)`\n\nWrites one line.\n\n" for i in range(5))
    lib = {
        "package.json": '{"name": "log", "main": "log.js"}\n',
        "log.js": "".join(f"export function m{i}() {{}}\n" for i in range(5)),
    }
    assert run_probe("DOC007", lib).outcome.value == "fail"
    assert run_probe("DOC007", {**lib, "docs/api.md": api}).outcome.value == "pass"
    # c8 / borp's --check-coverage is a coverage floor.
    floor = '{"name": "x", "scripts": {"test": "borp --coverage --check-coverage --lines 95"}}\n'
    ci = {".github/workflows/ci.yml": _WORKFLOW}
    assert run_probe("TST004", {**_NODE, **ci, "package.json": floor}).outcome.value == "pass"
    # django-structlog's request middleware binds a request id to every log line.
    settings = "MIDDLEWARE = ['django_structlog.middlewares.RequestMiddleware']\n"
    django = {
        "requirements.txt": "django==5.0\ndjango-structlog==8\n",
        "app/settings.py": settings,
        "app/wsgi.py": "from django.core.wsgi import get_wsgi_application\n\n"
        "application = get_wsgi_application()\n",
        "Procfile": "web: gunicorn app.wsgi\n",
    }
    assert run_probe("OBS008", django).outcome.value == "pass"


_WORKFLOW = "on: [push]\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: npm test\n"
