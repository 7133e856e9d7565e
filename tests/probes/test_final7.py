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
