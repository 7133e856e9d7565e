"""What held-out round 16 and its panel taught (ctfd, xh, transfer-sh, passport, ghostfolio,
eladmin, dit, godo, trpc, awslogs): each case rebuilt small beside the one that must stay."""

from __future__ import annotations

import json
from pathlib import Path

from tests.probes.conftest import RunProbe, profile_of

_ADAPTER_PACKAGE = {
    "name": "@acme/server",
    "main": "dist/index.js",
    "scripts": {"dev": "tsdown --watch", "build": "tsdown"},
    "peerDependencies": {"typescript": ">=5"},
    "devDependencies": {"next": "15.0.0", "react": "19.0.0", "express": "5.0.0"},
}
_ADAPTER = "import { revalidateTag } from 'next/cache';\nexport const adapter = revalidateTag;\n"


def _package(data: dict[str, object]) -> str:
    return json.dumps(data, indent=2) + "\n"


def test_a_published_adapter_runs_no_framework_its_users_bring(tmp_path: Path) -> None:
    # trpc: @trpc/next imports next/cache, a devDependency of a published package; its users
    # run Next.js, the package does not. Its "dev" script is a bundler in watch mode.
    files = {
        "package.json": _package(_ADAPTER_PACKAGE),
        "src/adapters/next.ts": _ADAPTER,
        "src/index.ts": "export * from './adapters/next';\n",
    }
    kinds = profile_of(tmp_path / "adapter", files).kinds
    assert "app" not in kinds and "web_service" not in kinds, kinds
    # The same import in a private application, with next a dependency, is a Next.js app.
    app = {
        "package.json": _package(
            {"name": "site", "private": True, "dependencies": {"next": "15.0.0"}}
        ),
        "app/page.tsx": "import { revalidateTag } from 'next/cache';\nexport default 1;\n",
    }
    assert "app" in profile_of(tmp_path / "app", app).kinds


def test_a_watch_script_or_a_workspace_runner_starts_nothing(tmp_path: Path) -> None:
    # A package whose code can start an Express server, and whose dev script only compiles
    # in watch mode, launches nothing; a dev script that runs the server does.
    server = (
        "import express from 'express';\nexport function start(port: number) {\n"
        "  const app = express();\n  app.listen(port);\n}\n"
    )
    files = {
        "package.json": _package(
            {
                "name": "api",
                "private": True,
                "dependencies": {"express": "5.0.0"},
                "scripts": {"dev": "tsc --watch"},
            }
        ),
        "src/server.ts": server,
    }
    assert "web_service" not in profile_of(tmp_path / "watch", files).kinds
    runs = dict(files)
    runs["package.json"] = runs["package.json"].replace("tsc --watch", "node dist/server.js")
    assert "web_service" in profile_of(tmp_path / "runs", runs).kinds


def test_a_crash_report_masking_a_credential_is_no_secret(run_probe: RunProbe) -> None:
    # awslogs: before printing its options on a crash it writes "SENSITIVE" over the secret.
    base = {"setup.py": "from setuptools import setup\nsetup(name='logs')\n"}
    masked = 'def report(options):\n    options["aws_secret_access_key"] = "SENSITIVE"\n'
    assert run_probe("SEC001", {**base, "logs/bin.py": masked}).outcome.value == "pass"
    real = 'def report(options):\n    options["aws_secret_access_key"] = "q8Vt3mW9pL2rX7nZk4Jd"\n'
    assert run_probe("SEC001", {**base, "logs/bin.py": real}).outcome.value == "fail"


_IDLE_COMPOSE = (
    "services:\n  dev:\n    build:\n      context: .\n      dockerfile: Dockerfile\n"
    '    volumes:\n      - ..:/workspace\n    command: /bin/sh -c "while sleep 1000; do :; done"\n'
)
_DEV_IMAGE = "FROM python:3\nRUN pip install tox\n"


def test_an_image_built_only_for_an_idle_dev_container_is_not_the_product(
    run_probe: RunProbe,
) -> None:
    # awslogs: .devcontainer/ aside, a compose service built from the Dockerfile beside it
    # idles so an editor can attach; the image is a workbench, not how the tool ships.
    base = {"setup.py": "from setuptools import setup\nsetup(name='logs')\n"}
    idle = {**base, "dev/Dockerfile": _DEV_IMAGE, "dev/docker-compose.yml": _IDLE_COMPOSE}
    assert run_probe("DEP002", idle).outcome.value == "not_applicable"
    # The same image run by a service that does work is the product's image.
    busy = {
        **idle,
        "dev/docker-compose.yml": _IDLE_COMPOSE.replace(
            '/bin/sh -c "while sleep 1000; do :; done"', "python -m logs"
        ),
    }
    assert run_probe("DEP002", busy).outcome.value == "fail"


_RUST = {
    "Cargo.toml": "[package]\nname = 'xh'\nversion = '1.0.0'\n",
    "src/main.rs": "fn main() {}\n",
    "tests/cli.rs": "#[test]\nfn runs() {}\n",
}
_CARGO_ACTION = (
    "on: pull_request\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
    "      - uses: actions/checkout@v4\n"
    "      - uses: ClementTsang/cargo-action@v0.0.6\n        with:\n"
    "          command: {command}\n          args: --target x86_64\n"
)


def test_a_cargo_action_told_to_test_runs_the_tests(run_probe: RunProbe) -> None:
    # xh: `uses: ClementTsang/cargo-action` with `command: test` is `cargo test`.
    tested = {**_RUST, ".github/workflows/ci.yml": _CARGO_ACTION.format(command="test")}
    result = run_probe("TST002", tested)
    assert result.outcome.value == "pass" and "cargo test" in result.message, result.message
    built = {**_RUST, ".github/workflows/ci.yml": _CARGO_ACTION.format(command="build")}
    assert run_probe("TST002", built).outcome.value == "fail"


def _nx(scripts: dict[str, str]) -> dict[str, str]:
    workflow = (
        "on: pull_request\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n      - run: npm ci\n      - run: npm test\n"
        "      - run: npm run lint\n      - run: npm run format:check\n"
    )
    package = {"name": "ws", "private": True, "scripts": scripts, "devDependencies": {"nx": "1"}}
    return {
        "package.json": _package(package),
        ".github/workflows/build.yml": workflow,
        "apps/api/src/main.ts": "export const x = 1;\n",
        "apps/api/src/main.spec.ts": "test('x', () => {});\n",
        "apps/api/eslint.config.cjs": "module.exports = [];\n",
        ".prettierrc": "{}\n",
    }


def test_nx_running_each_projects_test_lint_and_format_targets(run_probe: RunProbe) -> None:
    # ghostfolio: `npm test` is `npx dotenv-cli -e .env.example -- npx nx run-many
    # --target=test --all`; lint and format go through nx too.
    files = _nx(
        {
            "test": "npx dotenv-cli -e .env.example -- npx nx run-many --target=test --all",
            "lint": "nx run-many --target=lint --all",
            "format:check": "nx format:check",
        }
    )
    assert run_probe("TST002", files).outcome.value == "pass"
    assert run_probe("CQ002", files).outcome.value == "pass"
    assert run_probe("CQ005", files).outcome.value == "pass"
    # A target of another name runs neither tests nor the linter.
    other = _nx({"test": "nx run-many --target=build --all", "lint": "nx graph"})
    assert run_probe("TST002", other).outcome.value == "fail"
    assert run_probe("CQ002", other).outcome.value == "fail"


_KEY = "-----BEGIN PRIVATE KEY-----\n" + "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC" * 3 + "\n"
_KEY += "-----END PRIVATE KEY-----\n"


def test_a_localhost_https_key_for_the_dev_server_is_no_leaked_secret(run_probe: RunProbe) -> None:
    # ghostfolio: apps/client/localhost.pem, named by the Angular dev server's sslKey.
    base = {
        "package.json": _package({"name": "client", "dependencies": {"express": "5"}}),
        "apps/client/project.json": (
            '{"serve": {"options": {"sslKey": "apps/client/localhost.pem"}}}'
        ),
    }
    assert run_probe("SEC001", {**base, "apps/client/localhost.pem": _KEY}).outcome.value == (
        "pass"
    )
    # The same key loaded by the server's code, or under another name, is a secret.
    loads = {
        **base,
        "apps/client/localhost.pem": _KEY,
        "src/server.ts": "import fs from 'fs';\nconst key = fs.readFileSync('localhost.pem');\n",
    }
    assert run_probe("SEC001", loads).outcome.value == "fail"
    assert run_probe("SEC001", {**base, "apps/client/server.pem": _KEY}).outcome.value == "fail"


def test_a_default_the_generated_configuration_replaces(run_probe: RunProbe) -> None:
    # flaskbb: DefaultConfig's WTF_CSRF_SECRET_KEY = "reallyhardtoguess", which the config
    # `flaskbb makeconfig` writes from config.cfg.template sets to a random key.
    default = (
        "class DefaultConfig(object):\n    WTF_CSRF_ENABLED = True\n"
        '    WTF_CSRF_SECRET_KEY = "reallyhardtoguess"\n'
    )
    base = {
        "setup.py": "from setuptools import setup\nsetup(name='bb')\n",
        "bb/configs/default.py": default,
    }
    template = 'WTF_CSRF_SECRET_KEY = "{{ csrf_secret_key }}"\n'
    templated = {**base, "bb/configs/config.cfg.template": template}
    # Its labeller: a real default (an instance started without a generated config runs
    # with it); its panel reader: not a high blocker. The gap stands, lowered.
    result = run_probe("SEC001", templated)
    assert result.outcome.value == "fail" and result.severity.value == "low", result.message
    assert "config.cfg.template:1" in (result.severity_note or "")
    plain = run_probe("SEC001", base)
    assert plain.outcome.value == "fail" and plain.severity.value != "low"


_SPRING_POM = (
    "<project>\n  <dependencies>\n    <dependency>\n"
    "      <groupId>org.springframework.boot</groupId>\n"
    "      <artifactId>spring-boot-starter-web</artifactId>\n    </dependency>\n"
    "  </dependencies>\n</project>\n"
)
_APP = (
    "package app;\n\nimport org.springframework.boot.SpringApplication;\n"
    "import org.springframework.boot.autoconfigure.SpringBootApplication;\n\n"
    "@SpringBootApplication\npublic class AppRun {\n"
    "    public static void main(String[] args) {\n"
    "        SpringApplication.run(AppRun.class, args);\n    }\n}\n"
)
_SPRING = {"pom.xml": _SPRING_POM, "src/main/java/app/AppRun.java": _APP}


def test_spring_cors_patterns_allowing_every_origin(run_probe: RunProbe) -> None:
    # eladmin: config.addAllowedOriginPattern("*") with setAllowCredentials(true).
    cors = (
        "package app;\n\nimport org.springframework.web.cors.CorsConfiguration;\n\n"
        "public class Cors {\n    CorsConfiguration make() {\n"
        "        CorsConfiguration config = new CorsConfiguration();\n"
        "        config.setAllowCredentials(true);\n"
        '        config.addAllowedOriginPattern("{origin}");\n        return config;\n    }}\n}}\n'
    )
    wild = {**_SPRING, "src/main/java/app/Cors.java": cors.replace("{origin}", "*")}
    result = run_probe("SEC011", wild)
    assert result.outcome.value == "fail" and result.evidence[0].location.endswith(":9")
    listed = cors.replace("{origin}", "https://admin.example.com")
    assert run_probe(
        "SEC011", {**_SPRING, "src/main/java/app/Cors.java": listed}
    ).outcome.value == ("pass")


def test_spring_settings_that_make_the_dev_profile_the_default(run_probe: RunProbe) -> None:
    # eladmin's application.yml: spring.profiles.active: dev (Swagger, Druid console on).
    yml = "server:\n  port: 8000\nspring:\n  profiles:\n    active: dev\n"
    path = "src/main/resources/config/application.yml"
    result = run_probe("CFG003", {**_SPRING, path: yml})
    assert result.outcome.value == "fail" and result.evidence[0].location == f"{path}:5"
    assert run_probe("CFG003", {**_SPRING, path: yml.replace("dev", "prod")}).outcome.value == (
        "pass"
    )
    # A deployment that chooses the profile itself overrides the packaged default.
    docker = "FROM eclipse-temurin:17\nENV SPRING_PROFILES_ACTIVE=prod\nCOPY app.jar /app.jar\n"
    chosen = {**_SPRING, path: yml, "Dockerfile": docker}
    assert run_probe("CFG003", chosen).outcome.value == "pass"


_FLASK = {
    "requirements.txt": "flask==3.0.0\ngunicorn==22.0.0\n",
    "app/__init__.py": (
        "from flask import Flask\n\n\ndef create_app():\n    return Flask(__name__)\n"
    ),
    "wsgi.py": "from app import create_app\n\napp = create_app()\n\n"
    'if __name__ == "__main__":\n    app.run(debug=True, host="127.0.0.1", port=4000)\n',
}


def test_a_debug_server_only_for_development_beside_gunicorn(run_probe: RunProbe) -> None:
    # CTFd: docker-entrypoint.sh execs gunicorn 'CTFd:create_app()'; wsgi.py's __main__ and
    # serve.py start Flask's debug server for developers.
    entry = "#!/bin/sh\nexec gunicorn 'app:create_app()' --bind 0.0.0.0:8000\n"
    serve = "from app import create_app\n\napp = create_app()\napp.run(debug=True, port=4000)\n"
    image = 'FROM python:3.12-slim\nCOPY . /app\nENTRYPOINT ["/app/docker-entrypoint.sh"]\n'
    deployed = {**_FLASK, "serve.py": serve, "docker-entrypoint.sh": entry, "Dockerfile": image}
    assert run_probe("CFG003", deployed).outcome.value == "pass"
    # With no production server, `python wsgi.py` is how it runs: debug is on.
    assert run_probe("CFG003", _FLASK).outcome.value == "fail"
    # A script no Dockerfile, compose file or Procfile runs deploys nothing.
    unrun = {k: v for k, v in deployed.items() if k != "Dockerfile"}
    assert run_probe("CFG003", unrun).outcome.value == "fail"
    # A deployment that runs the file itself runs the debug server.
    runs = {**deployed, "Procfile": "web: python serve.py\n"}
    assert run_probe("CFG003", runs).outcome.value == "fail"


def test_a_file_name_checked_by_a_helper_or_a_joined_path_only_checked(
    run_probe: RunProbe,
) -> None:
    # eladmin: fileName = FileUtil.verifyFilename(file.getOriginalFilename()).
    upload = (
        "package app;\n\nimport java.io.File;\n"
        "import org.springframework.web.multipart.MultipartFile;\n\n"
        "public class Upload {{\n    void save(MultipartFile file) throws Exception {{\n"
        "        String fileName = {clean}file.getOriginalFilename(){close};\n"
        '        File target = new File("/data/" + fileName);\n'
        "        file.transferTo(target);\n    }}\n}}\n"
    )
    cleaned = upload.format(clean="FileUtil.verifyFilename(", close=")")
    assert run_probe(
        "SEC029", {**_SPRING, "src/main/java/app/Upload.java": cleaned}
    ).outcome.value == ("pass")
    raw = upload.format(clean="", close="")
    assert run_probe("SEC029", {**_SPRING, "src/main/java/app/Upload.java": raw}).outcome.value == (
        "fail"
    )
    # filebrowser: d.CheckRules(filepath.Join(dst, rel)) judges a permission rule on the
    # joined name; opening that joined name is a sink.
    go = {
        "go.mod": "module example.com/fb\n\ngo 1.22\n",
        "main.go": 'package main\n\nimport "net/http"\n\nfunc main() {\n'
        '\thttp.ListenAndServe(":8080", nil)\n}\n',
    }
    handler = (
        'package main\n\nimport (\n\t"net/http"\n\t"os"\n\t"path/filepath"\n)\n\n'
        "func copy(w http.ResponseWriter, r *http.Request) {{\n"
        '\tdst := r.URL.Query().Get("destination")\n'
        "\t{use}\n}}\n"
    )
    checked = handler.format(use='if !checkRules(filepath.Join(dst, "x")) {\n\t\treturn\n\t}')
    assert run_probe("SEC029", {**go, "copy.go": checked}).outcome.value == "pass"
    opened = handler.format(use='os.Open(filepath.Join(dst, "x"))')
    assert run_probe("SEC029", {**go, "copy.go": opened}).outcome.value == "fail"


def test_a_chinese_project_structure_section_describes_the_design(run_probe: RunProbe) -> None:
    # eladmin's README: 项目结构 ("project structure"), one line per Maven module.
    body = "".join(
        f"- `eladmin-{m}` 为系统的{m}模块，包含该模块的工具类、配置和服务实现，供其他模块引用\n\n"
        for m in ("common", "system", "logging", "tools", "generator")
    )
    readme = (
        "# ELADMIN\n\n后台管理系统\n\n#### 项目结构\n"
        f"项目采用按功能分模块的开发方式，结构如下\n\n{body}"
    )
    result = run_probe("DOC006", {**_SPRING, "README.md": readme})
    assert result.outcome.value == "pass" and result.evidence[0].location.startswith("README.md:5")
    other = readme.replace("项目结构", "功能列表")
    assert run_probe("DOC006", {**_SPRING, "README.md": other}).outcome.value == "fail"


def test_the_server_main_is_the_evidence_not_a_utility_main(tmp_path: Path) -> None:
    # eladmin: BigDecimalUtils has a main of its own, met before AppRun's.
    util = (
        "package app;\n\npublic class AUtils {\n"
        "    public static void main(String[] args) {\n        System.out.println(1);\n    }\n}\n"
    )
    web = (
        "package app;\n\nimport org.springframework.web.bind.annotation.RestController;\n\n"
        "@RestController\npublic class Hello {}\n"
    )
    files = {**_SPRING, "src/main/java/app/AUtils.java": util, "src/main/java/app/Hello.java": web}
    profile = profile_of(tmp_path / "spring", files)
    decision = next(d for d in profile.reasons if d.kind == "web_service")
    assert any(e.path.endswith("AppRun.java") for e in decision.evidence), decision.evidence


def test_an_async_method_calling_a_blocking_helper_blocks(run_probe: RunProbe) -> None:
    # ghostfolio: getUserByApiKey (async) calls this.hashApiKey, which runs pbkdf2Sync.
    service = (
        "import { pbkdf2Sync } from 'node:crypto';\n\nexport class ApiKeyService {\n"
        "  public async getUser(apiKey: string) {\n"
        "    const hashed = this.hashApiKey(apiKey);\n    return await Promise.resolve(hashed);\n"
        "  }\n\n"
        "  public hashApiKey(apiKey: string): string {\n"
        "    return {hash}(apiKey, '', 100000, 64, 'sha256').toString('hex');\n  }\n}\n"
    )
    node = {
        "package.json": _package({"name": "api", "dependencies": {"express": "5"}}),
        "src/main.ts": (
            "import express from 'express';\nconst app = express();\napp.listen(3000);\n"
        ),
    }
    blocking = {**node, "src/api-key.service.ts": service.replace("{hash}", "pbkdf2Sync")}
    result = run_probe("PERF005", blocking)
    assert result.outcome.value == "fail" and result.evidence[0].location.endswith(":5")
    assert "pbkdf2Sync" in result.message
    # A helper that blocks on nothing is no blocking call.
    quick = {**node, "src/api-key.service.ts": service.replace("{hash}", "digest")}
    assert run_probe("PERF005", quick).outcome.value == "pass"


_AWSLOGS_SETUP = (
    "from setuptools import setup\n\ninstall_requires = [\n    'boto3>=1.34',\n"
    "    'termcolor>=2.4',\n]\n\nsetup(\n    name='logs',\n    install_requires=install_requires,\n"
    "    entry_points={'console_scripts': ['logs = logs.bin:main']},\n)\n"
)


def test_a_crash_report_to_stderr_is_no_silent_catch(run_probe: RunProbe) -> None:
    # awslogs' main: `except Exception:` writes traceback.format_exc() to stderr, returns 1.
    main = (
        "import sys\nimport traceback\n\n\ndef main():\n    try:\n        run()\n"
        "    except Exception:\n{body}\n    return 0\n\n\ndef run():\n    pass\n"
    )
    report = "        sys.stderr.write(traceback.format_exc())\n        return 1"
    base = {"setup.py": _AWSLOGS_SETUP}
    assert run_probe("ERR009", {**base, "logs/bin.py": main.format(body=report)}).outcome.value == (
        "pass"
    )
    silent = "        return 1"
    assert run_probe("ERR009", {**base, "logs/bin.py": main.format(body=silent)}).outcome.value == (
        "fail"
    )


def test_a_requirements_file_of_development_tools_locks_nothing(run_probe: RunProbe) -> None:
    # awslogs: requirements.txt ("# Development") pins mock, black, pytest, tox; the
    # package's own dependencies are ranges in setup.py's install_requires variable.
    tools = "# Development\nmock==5.0.1\nblack==22.3.0\npytest==7.2.1\ntox==4.14.2\n"
    files = {"setup.py": _AWSLOGS_SETUP, "requirements.txt": tools, "logs/bin.py": "import boto3\n"}
    result = run_probe("SEC020", files)
    assert result.outcome.value == "fail" and result.evidence[0].location == "setup.py:4"
    # A fully pinned file of what the program runs with is a lock.
    pins = "boto3==1.34.75\nbotocore==1.34.75\ntermcolor==2.4.0\n"
    assert run_probe("SEC020", {**files, "requirements.txt": pins}).outcome.value == "pass"


def test_a_rust_ignore_with_a_reason_is_a_skipped_test(run_probe: RunProbe) -> None:
    # sd: #[ignore = "..."] above a test; the report had counted 0 skipped.
    tests = "".join(f'#[test]\n#[ignore = "flaky on CI"]\nfn case_{n}() {{}}\n\n' for n in range(3))
    result = run_probe("TST009", {**_RUST, "tests/cli.rs": tests})
    assert result.outcome.value == "fail" and "3 tests" in result.message, result.message
    plain = tests.replace('#[ignore = "flaky on CI"]\n', "")
    assert run_probe("TST009", {**_RUST, "tests/cli.rs": plain}).outcome.value == "pass"


def test_a_shell_check_that_passes_says_what_it_looked_for(run_probe: RunProbe) -> None:
    # vhs: exec.Command(shell) starts the user's shell; "no shell command" read as untrue.
    go = {
        "go.mod": "module example.com/vhs\n\ngo 1.22\n",
        "main.go": 'package main\n\nimport "os/exec"\n\nvar shell = "bash"\n\n'
        "func main() {\n\t_ = exec.Command(shell).Run()\n}\n",
    }
    result = run_probe("SEC003", go)
    assert result.outcome.value == "pass"
    assert "No shell command string built from variable input" in result.message


def test_sql_formatted_in_rust_is_left_to_the_reviewer(run_probe: RunProbe) -> None:
    # lemmy: sql_query(format!("UPDATE community a SET {prefix}_{} = 0 ...")) with a column
    # prefix and a temp-table name its callers pass as constants.
    task = (
        "pub async fn zero(conn: &mut Conn, prefix: &str, table: &str) {\n"
        '    sql_query(format!("UPDATE community SET {prefix}_count = 0 FROM {table}"))\n'
        "        .execute(conn);\n}\n"
    )
    server = {**_RUST, "src/main.rs": "fn main() {\n    axum::serve(listener, app);\n}\n"}
    result = run_probe("SEC006", {**server, "src/tasks.rs": task})
    assert result.outcome.value == "cannot_determine", result.message
    assert result.evidence[0].location == "src/tasks.rs:2"
    # Request data formatted in is still a gap.
    handler = task.replace("prefix: &str", "Query(prefix): Query<String>")
    handler = handler.replace("{prefix}_count", "{}_count").replace(
        '{table}")', '{table}", req.query)'
    )
    assert run_probe("SEC006", {**server, "src/tasks.rs": handler}).outcome.value == "fail"


def test_an_image_that_only_runs_the_tests_is_not_the_products(run_probe: RunProbe) -> None:
    # go-pagerduty: FROM golang, ADD ., RUN go get ./... && go test -race ./..., no CMD.
    go = {
        "go.mod": "module example.com/pd\n\ngo 1.22\n",
        "main.go": 'package main\n\nimport "net/http"\n\nfunc main() {\n'
        '\thttp.ListenAndServe(":8080", nil)\n}\n',
    }
    test_image = "FROM golang\nADD . /src\nWORKDIR /src\nRUN go get ./... && go test -race ./...\n"
    assert run_probe("DEP003", {**go, "Dockerfile": test_image}).outcome.value == "not_applicable"
    shipped = test_image + 'CMD ["/src/pd"]\n'
    assert run_probe("DEP003", {**go, "Dockerfile": shipped}).outcome.value == "fail"


_GO_SERVER = {
    "go.mod": "module example.com/t\n\ngo 1.22\n",
    "main.go": 'package main\n\nimport (\n\t"net/http"\n\t"os"\n\t"os/signal"\n'
    '\t"syscall"\n)\n\nfunc main() {\n\tsrv := &http.Server{Addr: ":8080"}\n'
    "\tgo srv.ListenAndServe()\n\tterm := make(chan os.Signal, 1)\n"
    "\tsignal.Notify(term, os.Interrupt, syscall.SIGTERM)\n\t<-term\nSTOP}\n",
}


def test_go_catching_sigterm_without_shutting_the_server_down(run_probe: RunProbe) -> None:
    # transfer.sh: signal.Notify, then `<-term`, a log line and return: in-flight requests
    # are cut off.
    bare = {**_GO_SERVER, "main.go": _GO_SERVER["main.go"].replace("STOP", "")}
    result = run_probe("REL004", bare)
    assert result.outcome.value == "fail" and result.partial, result.message
    assert result.evidence[0].location == "main.go:14"
    drained = {
        **_GO_SERVER,
        "main.go": _GO_SERVER["main.go"].replace("STOP", "\tsrv.Shutdown(context.Background())\n"),
    }
    assert run_probe("REL004", drained).outcome.value == "pass"


def test_a_health_page_with_an_extension(run_probe: RunProbe) -> None:
    # transfer.sh: r.HandleFunc("/health.html", healthHandler).
    route = (
        _GO_SERVER["main.go"]
        .replace("STOP", "")
        .replace(
            "\tgo srv.ListenAndServe()\n",
            '\thttp.HandleFunc("/health.html", health)\n\tgo srv.ListenAndServe()\n',
        )
    )
    route += "\nfunc health(w http.ResponseWriter, r *http.Request) {}\n"
    assert run_probe("OBS006", {**_GO_SERVER, "main.go": route}).outcome.value == "pass"
    page = route.replace("/health.html", "/about.html")
    assert run_probe("OBS006", {**_GO_SERVER, "main.go": page}).outcome.value == "fail"


def test_cloud_sdks_are_outbound_calls_and_their_retries_count(tmp_path: Path) -> None:
    # transfer.sh stores files in S3 with aws-sdk-go-v2: the profile said no outbound calls.
    s3 = (
        'package storage\n\nimport (\n\t"context"\n\n'
        '\t"github.com/aws/aws-sdk-go-v2/service/s3"\n)\n\n'
        "func Put(ctx context.Context, c *s3.Client) error {\n"
        "\t_, err := c.PutObject(ctx, &s3.PutObjectInput{})\n\treturn err\n}\n"
    )
    files = {
        **_GO_SERVER,
        "main.go": _GO_SERVER["main.go"].replace("STOP", ""),
        "storage/s3.go": s3,
    }
    profile = profile_of(tmp_path / "s3", files)
    names = [s.name for s in profile.external_services]
    assert "AWS SDK for Go v2" in names, names
    local = {**files, "storage/s3.go": s3.replace("github.com/aws/aws-sdk-go-v2", "example.com/x")}
    assert "AWS SDK for Go v2" not in [
        s.name for s in profile_of(tmp_path / "x", local).external_services
    ]


def test_a_remix_flat_route_file_named_health(run_probe: RunProbe) -> None:
    # documenso: apps/remix/app/routes/api+/health.ts checks the database and answers 500.
    loader = "export const loader = async () => {\n  return Response.json({ ok: true });\n};\n"
    app = {
        "package.json": _package(
            {
                "name": "remix",
                "private": True,
                "scripts": {"start": "react-router-serve build/server/index.js"},
                "dependencies": {"hono": "4", "react-router": "7"},
            }
        ),
        "server/main.ts": "import { Hono } from 'hono';\nconst app = new Hono();\n"
        "export default { fetch: app.fetch, port: 3000 };\nBun.serve(app);\n",
    }
    for route in ("app/routes/api+/health.ts", "app/routes/api.health.ts"):
        result = run_probe("OBS006", {**app, route: loader})
        assert result.outcome.value == "pass" and result.evidence[0].path == route, route
    other = run_probe("OBS006", {**app, "app/routes/api+/documents.ts": loader})
    assert other.outcome.value == "fail"


def test_a_lint_staged_js_config_runs_the_commands_after_the_glob(run_probe: RunProbe) -> None:
    # documenso: lint-staged.config.cjs maps a glob to 'npm run lint:staged' (biome check),
    # run by the husky pre-commit hook that the prepare script installs.
    package = {
        "name": "ws",
        "private": True,
        "scripts": {"prepare": "husky", "lint:staged": "biome check --write"},
        "devDependencies": {"husky": "9", "lint-staged": "16", "@biomejs/biome": "2"},
    }
    config = "module.exports = {\n  '**/*.{ts,tsx}': 'npm run lint:staged',\n};\n"
    files = {
        "package.json": _package(package),
        "biome.json": "{}\n",
        ".husky/pre-commit": "npx lint-staged\n",
        "lint-staged.config.cjs": config,
        "src/index.ts": "export const x = 1;\n",
    }
    assert run_probe("CQ005", files).outcome.value == "pass"
    assert run_probe("CQ002", files).outcome.value == "pass"
    tests_only = config.replace("npm run lint:staged", "vitest related --run")
    assert run_probe("CQ005", {**files, "lint-staged.config.cjs": tests_only}).outcome.value == (
        "fail"
    )


def test_a_password_that_doubles_the_user_name(run_probe: RunProbe) -> None:
    # lemmy's docker/lemmy.hjson: admin_username "lemmy", admin_password "lemmylemmy".
    config = (
        "# This is a minimal lemmy config for the dev / main branch. Do not use for a release.\n"
        'setup: {{\n  admin_username: "lemmy"\n  admin_password: "{password}"\n}}\n'
    )
    base = {**_RUST, "src/main.rs": "fn main() {}\n"}
    doubled = {**base, "docker/lemmy.hjson": config.format(password="lemmylemmy")}
    assert run_probe("SEC001", doubled).outcome.value == "pass"
    other = {**base, "docker/lemmy.hjson": config.format(password="Kq7vT2mWx9pZ")}
    assert run_probe("SEC001", other).outcome.value == "fail"
    # Without the file saying it is for development, a doubled name may be the real one.
    plain = config.split("\n", 1)[1].format(password="lemmylemmy")
    assert run_probe("SEC001", {**base, "docker/lemmy.hjson": plain}).outcome.value == "fail"


def test_java_aws_sdk_and_mail_are_outbound_calls(tmp_path: Path) -> None:
    # eladmin stores files in S3 through software.amazon.awssdk and sends mail: the profile
    # said it makes no outbound calls.
    s3 = (
        "package app;\n\nimport software.amazon.awssdk.services.s3.S3Client;\n\n"
        "public class Storage {\n    S3Client client = S3Client.create();\n}\n"
    )
    profile = profile_of(tmp_path / "s3", {**_SPRING, "src/main/java/app/Storage.java": s3})
    assert profile.conditions["outbound"], profile.external_services
    assert "AWS SDK for Java 2.x" in [s.name for s in profile.external_services]
    mail = (
        "package app;\n\nimport javax.mail.Transport;\n\npublic class Mail {\n"
        "    void send(javax.mail.Message m) throws Exception {\n        Transport.send(m);\n"
        "    }\n}\n"
    )
    sent = profile_of(tmp_path / "mail", {**_SPRING, "src/main/java/app/Mail.java": mail})
    assert sent.conditions["outbound"]
    assert not profile_of(tmp_path / "none", _SPRING).conditions["outbound"]


def test_tls_off_only_in_a_match_arm_the_user_chooses(run_probe: RunProbe) -> None:
    # xh: `Verify::No => client.danger_accept_invalid_certs(true)`, the user's --verify=no.
    client = (
        "pub enum Verify { Yes, No }\n\n"
        "pub fn build(verify: Verify, client: reqwest::ClientBuilder) -> reqwest::ClientBuilder {\n"
        "    match verify {\n        Verify::Yes => client,\n"
        "        Verify::No => client.danger_accept_invalid_certs(true),\n    }\n}\n"
    )
    files = {**_RUST, "src/client.rs": client, "src/main.rs": "use reqwest;\nfn main() {}\n"}
    result = run_probe("SEC005", files)
    assert result.outcome.value == "pass" and result.evidence[0].location == "src/client.rs:6"
    always = (
        "pub fn build(client: reqwest::ClientBuilder) -> reqwest::ClientBuilder {\n"
        "    client.danger_accept_invalid_certs(true)\n}\n"
    )
    assert run_probe("SEC005", {**files, "src/client.rs": always}).outcome.value == "fail"


def test_a_rust_test_server_on_a_loopback_port_stands_in(run_probe: RunProbe) -> None:
    # xh's tests/server: tokio's TcpListener on SocketAddr::from(([127, 0, 0, 1], 0)).
    product = {**_RUST, "src/main.rs": "use reqwest::blocking::get;\nfn main() {}\n"}
    server = (
        "pub async fn serve() {\n"
        "    let addr = std::net::SocketAddr::from(([127, 0, 0, 1], 0));\n"
        "    let _listener = tokio::net::TcpListener::bind(&addr).await.unwrap();\n}\n"
    )
    files = {**product, "tests/server/mod.rs": server}
    assert run_probe("TST011", files).outcome.value == "pass"
    public = server.replace("([127, 0, 0, 1], 0)", "([0, 0, 0, 0], 8080)")
    assert run_probe("TST011", {**product, "tests/server/mod.rs": public}).outcome.value == "fail"


def test_a_generated_bin_shim_is_not_the_products_command(tmp_path: Path) -> None:
    # tRPC: each package's bin/intent.js, "Auto-generated by @tanstack/intent setup",
    # imports @tanstack/intent's CLI; ingest sets it aside as generated.
    shim = (
        "#!/usr/bin/env node\n// Auto-generated by @tanstack/intent setup\n"
        "await import('@tanstack/intent/intent-library');\n"
    )
    package = {
        "name": "@acme/client",
        "main": "dist/index.js",
        "bin": {"intent": "./bin/intent.js"},
    }
    files = {
        "package.json": _package(package),
        "bin/intent.js": shim,
        "src/index.ts": "export const x = 1;\n",
    }
    assert "cli" not in profile_of(tmp_path / "shim", files).kinds
    # A short bin that imports another package without a generated header is set aside too.
    borrowed = {**files, "bin/intent.js": shim.replace("// Auto-generated by", "// Set up by")}
    assert "cli" not in profile_of(tmp_path / "borrowed", borrowed).kinds
    # A bin of its own (importing the package's code) is a command.
    own = {**files, "bin/intent.js": "#!/usr/bin/env node\nimport { run } from '../dist/cli.js';\n"}
    assert "cli" in profile_of(tmp_path / "own", own).kinds


def test_env_files_of_examples_are_named_when_none_is_committed(run_probe: RunProbe) -> None:
    # tRPC: examples/next-prisma-starter/.env holds placeholders; "no .env file is committed"
    # read as untrue.
    files = {
        "package.json": _package({"name": "lib", "main": "index.js"}),
        "index.js": "module.exports = 1;\n",
        "examples/app/.env": "DATABASE_URL=file:./dev.db\n",
    }
    result = run_probe("SEC010", files)
    assert result.outcome.value == "pass"
    assert "examples/app/.env" in result.message and "product's files" in result.message


def test_a_script_engine_without_a_pool_is_no_pool_witness(run_probe: RunProbe) -> None:
    # CTFd: its plugin migrations create_engine(url, poolclass=pool.NullPool); ping.py at the
    # root waits for the database; the app pools through Flask-SQLAlchemy.
    files = {
        "requirements.txt": "flask-sqlalchemy==3.0.0\nsqlalchemy==2.0.0\npsycopg2==2.9.0\n",
        "ping.py": "from sqlalchemy import create_engine\n\nengine = create_engine('x')\n",
        "app/plugins/migrations.py": "from sqlalchemy import create_engine, pool\n\n"
        "def run(url):\n    return create_engine(url, poolclass=pool.NullPool)\n",
        "app/models.py": "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n",
        "app/__init__.py": "from flask import Flask\n\napp = Flask(__name__)\n",
        "wsgi.py": "from app import app\n",
    }
    result = run_probe("PERF001", files)
    assert result.outcome.value == "pass", result.message
    assert result.evidence[0].location == "app/models.py:1", result.evidence
    only_null = {k: v for k, v in files.items() if k not in ("ping.py", "app/models.py")}
    # With only the NullPool engine, nothing pools: no pool is claimed.
    assert run_probe("PERF001", only_null).outcome.value == "fail"


def test_jshint_is_a_linter(run_probe: RunProbe) -> None:
    # passport: .jshintrc, run by the make-node build.
    files = {
        "package.json": _package({"name": "p", "main": "lib/index.js"}),
        "lib/index.js": "module.exports = 1;\n",
        ".jshintrc": '{\n  "node": true\n}\n',
    }
    assert run_probe("CQ001", files).outcome.value == "pass"
    workflow = (
        "on: push\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: npx jshint lib\n"
    )
    ran = {**files, ".github/workflows/ci.yml": workflow}
    assert run_probe("CQ002", ran).outcome.value == "pass"
    assert run_probe(
        "CQ001", {k: v for k, v in files.items() if k != ".jshintrc"}
    ).outcome.value == ("fail")


def test_an_agents_skill_file_is_no_operations_doc(run_probe: RunProbe) -> None:
    # ghostfolio: .agents/skills/angular-developer/references/cli.md, "## 6. Deployment"
    # (Angular's ng deploy); its README's "## Self-hosting" is the real one.
    server = "import express from 'express';\nconst app = express();\napp.listen(3000);\n"
    base = {"package.json": _package({"name": "api", "dependencies": {"express": "5"}})}
    base["src/main.ts"] = server
    skill = {
        **base,
        ".agents/skills/ng/references/cli.md": "# CLI\n\n## 6. Deployment\n\nng deploy\n",
    }
    assert run_probe("DOC009", skill).outcome.value == "fail"
    hosted = {**skill, "README.md": "# App\n\n## Self-hosting\n\nRun the image.\n"}
    result = run_probe("DOC009", hosted)
    assert result.outcome.value == "pass" and result.evidence[0].location == "README.md:3"


def test_a_cli_test_running_main_with_an_argument_list_is_end_to_end(run_probe: RunProbe) -> None:
    # awslogs: exit_code = main("awslogs get AAA DDD".split()), with boto3 stubbed.
    base = {"setup.py": _AWSLOGS_SETUP, "logs/bin.py": "def main(argv=None):\n    return 0\n"}
    test = (
        "from logs.bin import main\n\n\ndef test_get():\n"
        '    assert main("logs get AAA DDD".split()) == 0\n'
    )
    result = run_probe("TST007", {**base, "tests/test_it.py": test})
    assert result.outcome.value == "pass" and result.evidence[0].location == "tests/test_it.py:5"
    unit = "from logs.bin import main\n\n\ndef test_exists():\n    assert callable(main)\n"
    assert run_probe("TST007", {**base, "tests/test_it.py": unit}).outcome.value == "fail"
