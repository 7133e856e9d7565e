"""What held-out round 19's first panel and labels taught (wakapi, bugsink, dua-cli,
tenacity, ijepa, pinecone-python, inngest-js, skateshop, gotenberg, playedu), measured
before these fixes: each case rebuilt small beside the one that must stay as it is."""

from __future__ import annotations

import json
from pathlib import Path

from tests.probes.conftest import RunProbe, profile_of


def test_a_dev_script_that_only_rebuilds_and_lints_starts_nothing(tmp_path: Path) -> None:
    # inngest-js's packages/inngest: `dev` is `pnpm install && concurrently "pnpm run
    # dev:build" "pnpm run dev:lint"`, each a nodemon rerunning the build or the linter;
    # createServer() is an exported helper its users start.
    scripts = {
        "build": "tsc -p tsconfig.build.json && tsdown --config tsdown.config.ts",
        "lint": "biome check",
        "dev": 'pnpm install && concurrently --names Build,Lint "pnpm run dev:build" '
        '"pnpm run dev:lint"',
        "dev:build": "nodemon -w src -e ts -x 'pnpm run build'",
        "dev:lint": "nodemon -w src -e ts -x 'pnpm run lint'",
    }
    manifest = {"name": "sdk", "version": "1.0.0", "main": "./index.js", "scripts": scripts}
    server = (
        "import http from 'node:http'\n"
        "export const createServer = (handler) => {\n"
        "  const server = http.createServer((req, res) => handler(req, res))\n"
        "  return server\n}\n"
    )
    files = {"package.json": json.dumps(manifest), "src/node.ts": server}
    kinds = profile_of(tmp_path / "lib", files).kinds
    assert "web_service" not in kinds and "library" in kinds, kinds
    # A dev script that does start the server (node, tsx, next dev) launches it.
    started = {**scripts, "dev:build": "nodemon -w src -x 'node dist/server.js'"}
    files = {**files, "package.json": json.dumps({**manifest, "scripts": started})}
    assert "web_service" in profile_of(tmp_path / "svc", files).kinds


def test_a_readme_linked_to_the_docs_index_is_the_readme(tmp_path: Path) -> None:
    # tenacity: README.rst is a symbolic link to doc/source/index.rst; "No README" was a
    # high false gap. Links are never opened: the target's text stands under the link's
    # name, only for prose inside the repository.
    from pipeline.ingest import ingest_repository

    root = tmp_path / "repo"
    (root / "doc").mkdir(parents=True)
    (root / "doc" / "index.rst").write_text("Tenacity\n========\n\nRetry anything.\n")
    (root / "pkg.py").write_text("X = 1\n")
    (root / "README.rst").symlink_to("doc/index.rst")
    (root / "alias.py").symlink_to("pkg.py")
    (tmp_path / "outside.md").write_text("# not ours\n")
    (root / "NOTES.md").symlink_to("../outside.md")
    snapshot = ingest_repository(root)
    paths = {f.path for f in snapshot.files}
    assert "README.rst" in paths
    assert snapshot.text("README.rst").startswith("Tenacity")
    assert "alias.py" not in paths  # code is not counted twice
    assert "NOTES.md" not in paths  # a link out of the repository is never read


def test_a_matrix_task_that_names_the_test_task(run_probe: RunProbe) -> None:
    # tenacity's ci.yaml: `uv run poe ${{ matrix.task }}` with include entries `task: check`
    # (pyproject: check = ["test", "docs"], test = "pytest"), `task: lint`, `task: mypy`.
    workflow = (
        "name: CI\non: [pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
        "    strategy:\n      matrix:\n        include:\n          - python: '3.12'\n"
        "            task: check\n          - python: '3.12'\n            task: lint\n"
        "    steps:\n      - uses: actions/checkout@v4\n"
        "      - run: uv run --python ${{ matrix.python }} poe ${{ matrix.task }}\n"
    )
    pyproject = (
        "[project]\nname = 'retry'\nversion = '1.0'\n\n[tool.poe.tasks]\n"
        'test = "pytest"\ncheck = ["test"]\nlint = "ruff check ."\n'
    )
    files = {
        "pyproject.toml": pyproject,
        "retry/__init__.py": "X = 1\n",
        "tests/test_x.py": "def test_x():\n    assert True\n",
        ".github/workflows/ci.yaml": workflow,
    }
    result = run_probe("TST002", files)
    assert result.outcome.value == "pass", result.message
    only_lint = workflow.replace("task: check", "task: mypy")
    files = {**files, ".github/workflows/ci.yaml": only_lint}
    assert run_probe("TST002", files).outcome.value == "fail"


def test_a_projects_own_manage_script_runs_django_tests(run_probe: RunProbe) -> None:
    # bugsink's ci.yml: `bugsink-manage test alerts bugsink -v2` (its console script around
    # Django's manage).
    workflow = (
        "name: CI\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: pip install .\n      - run: bugsink-manage test alerts -v2\n"
    )
    files = {
        "pyproject.toml": "[project]\nname = 'bugsink'\nversion = '1.0'\n",
        "alerts/tests.py": "from django.test import TestCase\n\n\nclass T(TestCase):\n"
        "    def test_x(self):\n        pass\n",
        ".github/workflows/ci.yml": workflow,
    }
    assert run_probe("TST002", files).outcome.value == "pass"
    shown = workflow.replace("bugsink-manage test alerts -v2", "bugsink-manage check --deploy")
    files = {**files, ".github/workflows/ci.yml": shown}
    assert run_probe("TST002", files).outcome.value == "fail"


_DJANGO = {"pyproject.toml": "[project]\nname = 'tracker'\nversion = '1.0'\n"}


def test_ci_container_keys_sample_values_to_change_and_dev_settings(run_probe: RunProbe) -> None:
    # bugsink: three "critical hard-coded secrets", none a secret.
    key = "UtdHATKzQKLkz3izFFpxCKamhEdspeHmCQFvLx1DAwskqEuyKL"
    ci = (
        "name: CI\non: [push]\njobs:\n  docker:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: |\n          docker build -t app-ci .\n"
        f"          docker run -d --name app-ci -e SECRET_KEY={key} app-ci\n"
    )
    files = {**_DJANGO, "tracker/app.py": "X = 1\n", ".github/workflows/ci.yml": ci}
    assert run_probe("SEC001", files).outcome.value == "pass"
    sample = (
        "services:\n  web:\n    image: tracker\n    environment:\n"
        f"      SECRET_KEY: django-insecure-{key}  # Change this, e.g. openssl rand -base64 50\n"
    )
    files = {**_DJANGO, "tracker/app.py": "X = 1\n", "docker-compose-sample.yaml": sample}
    assert run_probe("SEC001", files).outcome.value == "pass"
    dev = f"from .default import *  # noqa\n\nSECRET_KEY = 'django-insecure-{key[:30]}'\n"
    files = {
        **_DJANGO,
        "tracker/settings/default.py": "import os\n\nSECRET_KEY = os.environ['SECRET_KEY']\n",
        "tracker/settings/development.py": dev,
        "tracker/wsgi.py": "import os\n\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', "
        "'tracker.settings.default')\n",
    }
    assert run_probe("SEC001", files).outcome.value == "pass"
    # The deployed entry loads the development module: its key is the product's key.
    deployed = {
        **files,
        "tracker/wsgi.py": files["tracker/wsgi.py"].replace("default", "development"),
    }
    assert run_probe("SEC001", deployed).outcome.value == "fail"


def test_a_jwt_key_in_the_products_spring_configuration(run_probe: RunProbe) -> None:
    # PlayEdu's application.yml: `sa-token: jwt-secret-key: "playeduxyz"`.
    pom = "<project><artifactId>api</artifactId></project>\n"
    config = 'sa-token:\n  token-name: "Authorization"\n  jwt-secret-key: "playeduxyz"\n'
    files = {"pom.xml": pom, "src/main/resources/application.yml": config}
    result = run_probe("SEC001", files)
    assert result.outcome.value == "fail", result.message
    assert "playeduxyz" not in result.message + str(result.evidence)
    templated = config.replace('"playeduxyz"', "${JWT_KEY}")
    files = {**files, "src/main/resources/application.yml": templated}
    assert run_probe("SEC001", files).outcome.value == "pass"


def test_a_python_gui_helper_beside_a_go_server_is_no_desktop_app(tmp_path: Path) -> None:
    # wakapi's scripts/sample_data.py: a PyQt window that makes sample data, beside the Go
    # server; nothing in the repository packages Python.
    gui = (
        "import sys\nfrom PyQt5.QtWidgets import QApplication, QWidget\n\n"
        "app = QApplication(sys.argv)\nw = QWidget()\nw.show()\nsys.exit(app.exec_())\n"
    )
    go = {
        "go.mod": "module example.com/svc\n\ngo 1.22\n",
        "main.go": 'package main\n\nimport "net/http"\n\nfunc main() {\n'
        '\thttp.ListenAndServe(":8080", nil)\n}\n',
        "Dockerfile": 'FROM golang:1.22\nCMD ["/app"]\n',
        "scripts/sample_data.py": gui,
    }
    kinds = profile_of(tmp_path / "svc", go).kinds
    assert "app" not in kinds, kinds
    shipped = {**go, "requirements.txt": "PyQt5==5.15.0\n"}
    assert "app" in profile_of(tmp_path / "py", shipped).kinds


def test_a_services_operator_scripts_make_no_command_line_tool(
    tmp_path: Path, run_probe: RunProbe
) -> None:
    # bugsink: a Django service whose [project.scripts] are bugsink-show-version,
    # bugsink-manage and bugsink-create-conf; its Dockerfile CMD starts gunicorn.
    pyproject = (
        "[project]\nname = 'tracker'\nversion = '1.0'\ndependencies = ['django', 'gunicorn']\n"
        "\n[project.scripts]\ntracker-show-version = 'tracker.scripts.version:main'\n"
        "tracker-manage = 'tracker.scripts.manage:main'\n"
        "tracker-create-conf = 'tracker.scripts.conf:main'\n"
    )
    files = {
        "pyproject.toml": pyproject,
        "tracker/__init__.py": "",
        "tracker/wsgi.py": "from django.core.wsgi import get_wsgi_application\n\n"
        "application = get_wsgi_application()\n",
        "tracker/scripts/version.py": "import argparse\n\n\ndef main():\n    print('1.0')\n",
        "tracker/scripts/manage.py": "def main():\n    pass\n",
        "tracker/scripts/conf.py": "def main():\n    pass\n",
        "Dockerfile": 'FROM python:3.12-slim\nCMD ["gunicorn", "tracker.wsgi"]\n',
    }
    kinds = profile_of(tmp_path / "svc", files).kinds
    assert "web_service" in kinds and "cli" not in kinds, kinds
    result = run_probe("DEP013", files)
    assert "Dockerfile" in result.message, result.message
    # A client command its users run against the service is a command-line tool.
    client = pyproject.replace("tracker-create-conf", "trackerctl")
    kinds = profile_of(tmp_path / "ctl", {**files, "pyproject.toml": client}).kinds
    assert "cli" in kinds, kinds


def test_a_java_migration_runner_recording_steps_in_a_migrations_table(
    run_probe: RunProbe,
) -> None:
    # PlayEdu's MigrationCheck.java: a CommandLineRunner with dated DDL steps, which creates
    # `migrations` first and stores each applied step's name there.
    pom = (
        "<project><dependencies><dependency><groupId>org.springframework.boot</groupId>"
        "<artifactId>spring-boot-starter-jdbc</artifactId></dependency>"
        "<dependency><groupId>com.mysql</groupId><artifactId>mysql-connector-j</artifactId>"
        "</dependency></dependencies></project>\n"
    )
    runner = (
        "package app.checks;\n\nimport org.springframework.jdbc.core.JdbcTemplate;\n\n"
        "public class MigrationCheck {\n"
        '    static final String[] STEPS = {"CREATE TABLE `migrations` (migration varchar(191))",\n'
        '        "CREATE TABLE `users` (id int)"};\n'
        "    private JdbcTemplate jdbcTemplate;\n"
        "    public void run() {\n        for (String s : STEPS) { jdbcTemplate.execute(s); }\n"
        "    }\n}\n"
    )
    files = {"pom.xml": pom, "src/main/java/app/checks/MigrationCheck.java": runner}
    result = run_probe("DATA001", files)
    assert result.outcome.value == "pass", result.message
    untracked = runner.replace('"CREATE TABLE `migrations` (migration varchar(191))",\n', "")
    files = {**files, "src/main/java/app/checks/MigrationCheck.java": untracked}
    assert run_probe("DATA001", files).outcome.value == "fail"


def test_a_developer_toolchain_image_is_not_the_products(run_probe: RunProbe) -> None:
    # dua-cli's etc/developer.Dockerfile: rust tools and valgrind, no CMD, built from stdin
    # and run with -it by `make interactive-developer-environment-in-docker`.
    files = {
        "Cargo.toml": '[package]\nname = "dua"\nversion = "1.0.0"\n\n[dependencies]\nclap = "4"\n',
        "src/main.rs": 'use clap::Parser;\n\nfn main() {\n    println!("hi");\n}\n',
        "etc/developer.Dockerfile": "FROM rust:1.80\nRUN cargo install hyperfine\n",
    }
    assert run_probe("DEP004", files).outcome.value == "not_applicable"
    served = {
        **files,
        "etc/developer.Dockerfile": files["etc/developer.Dockerfile"]
        + 'COPY . /src\nCMD ["dua"]\n',
    }
    assert run_probe("DEP004", served).outcome.value == "fail"


def test_catch_alls_that_pass_the_error_on_or_say_where_it_goes(run_probe: RunProbe) -> None:
    # inngest-js: `catch (error) { ... this.transformOutput({ error }) }` reads the error as a
    # shorthand property; `catch { // Swallow ... since we'll just return the unauthenticated
    # introspection ... }` says why it goes no further.
    def handler(catch: str) -> str:
        return (
            "export async function run(ctx: any) {\n  try {\n    const a = await ctx.one();\n"
            "    const b = await ctx.two(a);\n    await ctx.three(b);\n    return b;\n"
            f"  }} {catch}\n}}\n"
        )

    files = {"package.json": json.dumps({"name": "sdk", "version": "1.0.0"})}
    shorthand = handler("catch (error) {\n    return ctx.transformOutput({ error });\n  }")
    assert run_probe("ERR011", {**files, "src/run.ts": shorthand}).outcome.value == "pass"
    explained = handler(
        "catch {\n    // Swallow the validation error since we'll just return the\n"
        "    // unauthenticated answer instead\n    ctx.answer = 'anonymous';\n  }"
    )
    assert run_probe("ERR011", {**files, "src/run.ts": explained}).outcome.value == "pass"
    silent = handler("catch {\n    ctx.answer = 'anonymous';\n  }")
    assert run_probe("ERR011", {**files, "src/run.ts": silent}).outcome.value == "fail"


def test_a_workspace_packages_scripts_folder_is_maintainer_tooling(run_probe: RunProbe) -> None:
    # inngest-js: packages/inngest/scripts/integrationTestRunner.ts runs `exec(...)` with a
    # path from the CI matrix; it is the package's test tooling, not what npm ships.
    runner = (
        "import { exec } from 'child_process'\n\n"
        "export function run(example: string) {\n  exec(`cd ${example} && npm test`)\n}\n"
    )
    files = {
        "package.json": json.dumps({"name": "root", "private": True}),
        "packages/sdk/package.json": json.dumps({"name": "sdk", "version": "1.0.0"}),
        "packages/sdk/src/index.ts": "export const x = 1\n",
        "packages/sdk/scripts/runner.ts": runner,
    }
    assert run_probe("SEC003", files).outcome.value != "fail"
    shipped = {**files, "packages/sdk/src/runner.ts": runner}
    del shipped["packages/sdk/scripts/runner.ts"]
    assert run_probe("SEC003", shipped).outcome.value == "fail"


_GO_SVC = {
    "go.mod": "module example.com/svc\n\ngo 1.22\n",
    "main.go": 'package main\n\nimport "net/http"\n\nfunc main() {\n'
    '\thttp.ListenAndServe(":8080", nil)\n}\n',
}


def test_a_service_that_sheds_load_with_429_has_a_low_rate_limit_gap(run_probe: RunProbe) -> None:
    # gotenberg: a full conversion queue answers http.StatusTooManyRequests.
    queue = (
        'package api\n\nimport "net/http"\n\n'
        "func full(n, max int) (int, string) {\n\tif n >= max {\n"
        '\t\treturn http.StatusTooManyRequests, "The request queue is full."\n\t}\n'
        '\treturn http.StatusOK, ""\n}\n'
    )
    result = run_probe("SEC015", {**_GO_SVC, "api/queue.go": queue})
    assert result.outcome.value == "fail" and result.partial, result.message
    assert result.severity is not None and result.severity.value == "low"
    # Reading an upstream API's 429 is not shedding our own load.
    upstream = (
        'package api\n\nimport "net/http"\n\n'
        "func limited(resp *http.Response) bool {\n"
        "\treturn resp.StatusCode == http.StatusTooManyRequests\n}\n"
    )
    result = run_probe("SEC015", {**_GO_SVC, "api/client.go": upstream})
    assert result.severity is not None and result.severity.value == "medium"


def test_a_panic_on_marking_a_declared_flag_is_a_programming_error(run_probe: RunProbe) -> None:
    # gotenberg's module descriptors: fs.MarkDeprecated(...) then panic(err).
    module = (
        'package chromium\n\nimport flag "github.com/spf13/pflag"\n\n'
        'func Flags() *flag.FlagSet {\n\tfs := flag.NewFlagSet("chromium", flag.ExitOnError)\n'
        '\tfs.Bool("chromium-incognito", false, "incognito")\n'
        '\terr := fs.MarkDeprecated("chromium-incognito", "ignored")\n'
        "\tif err != nil {\n\t\tpanic(err)\n\t}\n\treturn fs\n}\n"
    )
    assert run_probe("ERR006", {**_GO_SVC, "chromium/flags.go": module}).outcome.value == "pass"
    loaded = module.replace(
        'err := fs.MarkDeprecated("chromium-incognito", "ignored")', "err := load(fs)"
    )
    assert run_probe("ERR006", {**_GO_SVC, "chromium/flags.go": loaded}).outcome.value == "fail"


def test_sentry_traces_only_when_sampling_is_on(run_probe: RunProbe) -> None:
    # wakapi: sentry.ClientOptions{EnableTracing: ..., TracesSampler: ...}; bugsink:
    # sentry_sdk.init(..., traces_sample_rate=0), error reports only.
    go = (
        'package config\n\nimport "github.com/getsentry/sentry-go"\n\n'
        "func Init(dsn string, on bool) {\n\tsentry.Init(sentry.ClientOptions{\n"
        "\t\tDsn:           dsn,\n\t\tEnableTracing: on,\n\t\tTracesSampleRate: 0.2,\n\t})\n}\n"
    )
    gomod = _GO_SVC["go.mod"] + "\nrequire github.com/getsentry/sentry-go v0.27.0\n"
    files = {**_GO_SVC, "go.mod": gomod, "config/sentry.go": go}
    assert run_probe("OBS005", files).outcome.value == "pass"
    errors_only = go.replace("\t\tEnableTracing: on,\n\t\tTracesSampleRate: 0.2,\n", "")
    files = {**files, "config/sentry.go": errors_only}
    assert run_probe("OBS005", files).outcome.value == "fail"
    py = (
        "import sentry_sdk\nfrom flask import Flask\n\napp = Flask(__name__)\n"
        "sentry_sdk.init(dsn='https://k@o.ingest.sentry.io/1', traces_sample_rate={rate})\n"
    )
    flask = {
        "requirements.txt": "flask\nsentry-sdk\n",
        "Dockerfile": 'FROM python:3.12-slim\nCMD ["gunicorn", "app:app"]\n',
    }
    assert run_probe("OBS005", {**flask, "app.py": py.format(rate="0")}).outcome.value == "fail"
    assert run_probe("OBS005", {**flask, "app.py": py.format(rate="0.1")}).outcome.value == ("pass")


def test_a_dockerfile_kept_in_a_build_folder_is_read(tmp_path: Path) -> None:
    # gotenberg's build/Dockerfile: the only Dockerfile, in a folder named like build output;
    # "no Dockerfile exists" was the report's answer. What a build wrote there stays out.
    from pipeline.ingest import ingest_repository

    root = tmp_path / "repo"
    (root / "build").mkdir(parents=True)
    (root / "main.go").write_text("package main\n\nfunc main() {}\n")
    (root / "build" / "Dockerfile").write_text('FROM golang:1.22\nCMD ["/app"]\n')
    (root / "build" / "bundle.js").write_text("var a=1;\n")
    paths = {f.path for f in ingest_repository(root).files}
    assert "build/Dockerfile" in paths
    assert "build/bundle.js" not in paths


def test_postgres_js_pools_its_connections(run_probe: RunProbe) -> None:
    # skateshop's src/db/index.ts: `const client = postgres(env.DATABASE_URL)`, given to
    # drizzle-orm/postgres-js. A postgres() instance is a pool (max 10).
    manifest = {
        "name": "shop",
        "dependencies": {"next": "14.2.5", "postgres": "3.4.4", "drizzle-orm": "0.30.0"},
    }
    db = (
        'import { drizzle } from "drizzle-orm/postgres-js"\nimport postgres from "postgres"\n\n'
        "const client = postgres(process.env.DATABASE_URL!)\nexport const db = drizzle(client)\n"
    )
    route = (
        'import { db } from "@/db"\n\nexport async function GET() {\n'
        "  return Response.json(await db.query.products.findMany())\n}\n"
    )
    files = {
        "package.json": json.dumps(manifest),
        "src/db/index.ts": db,
        "src/app/api/products/route.ts": route,
    }
    result = run_probe("PERF001", files)
    assert result.outcome.value == "pass", result.message
    assert "Postgres.js" in result.message


def test_a_lessons_ping_action_is_no_health_endpoint(run_probe: RunProbe) -> None:
    # PlayEdu's HourController: `@PostMapping("/{id}/ping")`, a learner's progress beat.
    pom = (
        "<project><dependencies><dependency><groupId>org.springframework.boot</groupId>"
        "<artifactId>spring-boot-starter-web</artifactId></dependency></dependencies>"
        "</project>\n"
    )
    controller = (
        "package app;\n\nimport org.springframework.web.bind.annotation.*;\n\n"
        '@RestController\n@RequestMapping("/api/v1/hour")\npublic class HourController {\n'
        '    @PostMapping("/{id}/ping")\n    public String ping(@PathVariable Integer id) {\n'
        '        return "ok";\n    }\n}\n'
    )
    app = (
        "package app;\n\n@SpringBootApplication\npublic class App {\n"
        "    public static void main(String[] a) { SpringApplication.run(App.class, a); }\n}\n"
    )
    files = {
        "pom.xml": pom,
        "src/main/java/app/App.java": app,
        "src/main/java/app/HourController.java": controller,
    }
    assert run_probe("OBS006", files).outcome.value == "fail"
    health = controller.replace('@PostMapping("/{id}/ping")', '@GetMapping("/ping")')
    files = {**files, "src/main/java/app/HourController.java": health}
    assert run_probe("OBS006", files).outcome.value == "pass"


def test_a_key_derivation_info_string_is_no_secret(run_probe: RunProbe) -> None:
    # wakapi's config/cookie.go: the HKDF info labels of the derived cookie keys.
    cookie = (
        "package config\n\n"
        'const AuthKeyDeriveInfo = "AUTH-KEY;SIGNED:HMAC-SHA256;ENCRYPTED:AES-256-CTR"\n'
    )
    assert run_probe("SEC001", {**_GO_SVC, "config/cookie.go": cookie}).outcome.value == "pass"
    key = cookie.replace("AuthKeyDeriveInfo", "AuthKeySecret")
    assert run_probe("SEC001", {**_GO_SVC, "config/cookie.go": key}).outcome.value == "fail"


def test_a_development_section_of_commands_is_a_contributing_guide(run_probe: RunProbe) -> None:
    # pinecone-python's README "## Development": Setup (`uv sync`), Tests (`uv run pytest`),
    # Type checking (`uv run mypy`), each a command under its own heading.
    readme = (
        "# SDK\n\nA client.\n\n## Development\n\n### Setup\n\n```bash\nuv sync\n```\n\n"
        "### Tests\n\n```bash\nuv run pytest tests/unit/ -x -v\n```\n\n"
        "### Type checking\n\n```bash\nuv run mypy --strict sdk/\n```\n\n## License\n\nMIT\n"
    )
    files = {**_DJANGO, "sdk/__init__.py": "X = 1\n", "README.md": readme}
    result = run_probe("DOC004", files)
    assert result.outcome.value == "pass", result.message
    bare = "# SDK\n\nA client.\n\n## Tests\n\n```bash\nuv run pytest\n```\n\n## License\n\nMIT\n"
    assert run_probe("DOC004", {**files, "README.md": bare}).outcome.value == "fail"


def test_conn_max_age_set_to_zero_keeps_no_connection(run_probe: RunProbe) -> None:
    # bugsink's settings: `CONN_MAX_AGE = 0`, a connection per request, read as pooling.
    settings = (
        "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'x'}}\n"
        "CONN_MAX_AGE = SECONDS\n"
    )
    models = "from django.db import models\n\n\nclass Event(models.Model):\n    pass\n"
    files = {
        "requirements.txt": "django==5.0\n",
        "app/models.py": models,
        "app/wsgi.py": "from django.core.wsgi import get_wsgi_application\n\n"
        "application = get_wsgi_application()\n",
    }
    zero = {**files, "app/settings.py": settings.replace("SECONDS", "0")}
    assert run_probe("PERF001", zero).outcome.value == "fail"
    kept = {**files, "app/settings.py": settings.replace("SECONDS", "60")}
    assert run_probe("PERF001", kept).outcome.value == "pass"


def test_django_system_checks_of_the_projects_own_validate_settings(run_probe: RunProbe) -> None:
    # bugsink's bsmain/__init__.py: @register checks of BASE_URL, storage, proxy settings.
    checks = (
        "from django.conf import settings\nfrom django.core.checks import Warning, register\n\n\n"
        "@register('main')\ndef check_base_url(app_configs, **kwargs):\n"
        "    if not settings.BASE_URL.startswith('http'):\n"
        "        return [Warning('BASE_URL must be a URL', id='main.W001')]\n    return []\n"
    )
    reads = "import os\n\nDEBUG = os.getenv('DEBUG') == '1'\nBASE_URL = os.getenv('BASE_URL')\n"
    files = {
        "requirements.txt": "django==5.0\n",
        "app/settings.py": reads,
        "app/wsgi.py": "from django.core.wsgi import get_wsgi_application\n\n"
        "application = get_wsgi_application()\n",
    }
    assert run_probe("CFG002", files).outcome.value == "fail"
    checked = {**files, "main/__init__.py": checks}
    assert run_probe("CFG002", checked).outcome.value == "pass"


def test_server_actions_that_swallow_errors_answer_a_request(run_probe: RunProbe) -> None:
    # skateshop's lib/actions/cart.ts ("use server"): catch (err) { return [] } around the
    # whole cart query; the client is told the cart is empty.
    actions = (
        '"use server"\n\nimport { db } from "@/db"\n\n'
        "export async function getCart(cartId: string) {\n  try {\n"
        "    const cart = await db.query.carts.findFirst({ where: { id: cartId } })\n"
        "    const items = await db.query.items.findMany({ where: { cartId } })\n"
        "    const priced = items.map((i) => ({ ...i, total: i.price * i.qty }))\n"
        "    return cart ? priced : []\n  } catch (err) {\n    return []\n  }\n}\n"
    )
    files = {
        "package.json": json.dumps({"name": "shop", "dependencies": {"next": "14.2.5"}}),
        "src/lib/actions/cart.ts": actions,
    }
    assert run_probe("ERR003", files).outcome.value == "fail"
    helper = actions.replace('"use server"\n\n', "")
    assert run_probe("ERR003", {**files, "src/lib/actions/cart.ts": helper}).outcome.value == (
        "pass"
    )


def test_an_environment_read_the_user_names_is_data_not_a_setting(run_probe: RunProbe) -> None:
    # yq's env() operator: `envName := node.Value` then `os.Getenv(envName)`.
    operator = (
        'package lib\n\nimport "os"\n\n'
        "func envOperator(value string) string {\n\tenvName := value\n"
        "\trawValue := os.Getenv(envName)\n\treturn rawValue\n}\n"
    )
    main = (
        'package main\n\nimport (\n\t"flag"\n\t"example.com/x/lib"\n)\n\n'
        'var expr = flag.String("e", "", "expression")\n\n'
        "func main() {\n\tflag.Parse()\n\t_ = lib.Run(*expr)\n}\n"
    )
    files = {"go.mod": "module example.com/x\n\ngo 1.22\n", "main.go": main, "lib/env.go": operator}
    result = run_probe("CFG001", files)
    assert "environment read of a setting" not in result.message, result.message
    looped = operator.replace(
        "\tenvName := value\n\trawValue := os.Getenv(envName)\n\treturn rawValue\n",
        '\tfor _, envName := range []string{"APP_HOME", "APP_PORT"} {\n'
        "\t\t_ = os.Getenv(envName)\n\t}\n\treturn value\n",
    )
    result = run_probe("CFG001", {**files, "lib/env.go": looped})
    assert "environment read of a setting" in result.message, result.message


def test_go_flags_namespaced_variables_documented_under_their_full_names(
    run_probe: RunProbe,
) -> None:
    # remark42: go-flags `env-namespace:"STORE"` and `env-namespace:"RPC"` above
    # `env:"AUTH_PASSWD"`; its docs list STORE_RPC_AUTH_PASSWD.
    opts = (
        'package main\n\nimport "os"\n\n'
        "func main() {\n"
        '\t_ = os.Getenv("AUTH_USER")\n\t_ = os.Getenv("AUTH_PASSWD")\n}\n'
    )
    docs = "# Parameters\n\n| STORE_RPC_AUTH_USER | user |\n| STORE_RPC_AUTH_PASSWD | password |\n"
    files = {"go.mod": "module x\n\ngo 1.22\n", "main.go": opts, "docs/parameters.md": docs}
    assert run_probe("CFG004", files).outcome.value == "pass"
    other = docs.replace("AUTH_USER", "LOGIN_NAME").replace("AUTH_PASSWD", "LOGIN_KEY")
    assert run_probe("CFG004", {**files, "docs/parameters.md": other}).outcome.value == "fail"


def test_go_pkgz_repeater_retries_the_calls_it_wraps(run_probe: RunProbe) -> None:
    # remark42's image proxy: repeater.NewFixed(5, time.Second).Do(ctx, func() error {...}).
    proxy = (
        'package proxy\n\nimport (\n\t"context"\n\t"net/http"\n\t"time"\n\n'
        '\t"github.com/go-pkgz/repeater"\n)\n\n'
        "var client = &http.Client{Timeout: 10 * time.Second}\n\n"
        "func Fetch(ctx context.Context, url string) error {\n"
        "\treturn repeater.NewFixed(5, time.Second).Do(ctx, func() error {\n"
        "\t\t_, err := client.Get(url)\n\t\treturn err\n\t})\n}\n"
    )
    gomod = _GO_SVC["go.mod"] + "\nrequire github.com/go-pkgz/repeater v1.1.3\n"
    files = {**_GO_SVC, "go.mod": gomod, "proxy/image.go": proxy}
    result = run_probe("REL002", files)
    assert result.outcome.value == "pass", result.message
    bare = proxy.replace("repeater.NewFixed(5, time.Second).Do(ctx, ", "run(ctx, ")
    assert run_probe("REL002", {**files, "proxy/image.go": bare}).outcome.value != "pass"


def test_a_release_run_in_a_nix_dev_shell_through_a_gnumakefile(run_probe: RunProbe) -> None:
    # direnv's release.yml: `nix develop --command make create-release` on v* tags, and the
    # GNUmakefile's create-release target runs `gh release create`.
    workflow = (
        "on:\n  push:\n    tags: ['v*']\njobs:\n  release:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: nix develop --command make create-release\n"
    )
    makefile = 'create-release: dist\n\tgh release create "$$GITHUB_REF_NAME" dist/*\n'
    files = {
        "go.mod": "module x\n\ngo 1.22\n",
        "main.go": "package main\n\nfunc main() {}\n",
        ".github/workflows/release.yml": workflow,
        "GNUmakefile": makefile,
    }
    assert run_probe("DEP009", files).outcome.value == "pass"
    other = {**files, "GNUmakefile": "create-release: dist\n\techo done\n"}
    assert run_probe("DEP009", other).outcome.value == "fail"


def test_a_django_health_path_without_a_leading_slash(run_probe: RunProbe) -> None:
    # shynet's urls.py: path("healthz/", include("health_check.urls")).
    urls = (
        "from django.urls import include, path\n\nurlpatterns = [\n"
        '    path("healthz/", include("health_check.urls")),\n'
        '    path("admin/", include("admin.urls")),\n]\n'
    )
    files = {
        "requirements.txt": "django==5.0\n",
        "app/urls.py": urls,
        "app/wsgi.py": "from django.core.wsgi import get_wsgi_application\n\n"
        "application = get_wsgi_application()\n",
    }
    assert run_probe("OBS006", files).outcome.value == "pass"
    none = urls.replace('    path("healthz/", include("health_check.urls")),\n', "")
    assert run_probe("OBS006", {**files, "app/urls.py": none}).outcome.value == "fail"


def test_go_flags_options_with_env_tags_validate_a_services_settings(run_probe: RunProbe) -> None:
    # remark42: go-flags options `long:"url" env:"REMARK_URL" required:"true"`.
    main = (
        'package main\n\nimport (\n\t"net/http"\n\n\t"github.com/jessevdk/go-flags"\n)\n\n'
        "var opts struct {\n"
        '\tURL string `long:"url" env:"REMARK_URL" required:"true" description:"url"`\n}\n\n'
        "func main() {\n\tif _, err := flags.Parse(&opts); err != nil {\n\t\treturn\n\t}\n"
        '\thttp.ListenAndServe(":8080", nil)\n}\n'
    )
    gomod = "module x\n\ngo 1.22\n\nrequire github.com/jessevdk/go-flags v1.6.1\n"
    files = {"go.mod": gomod, "main.go": main}
    result = run_probe("CFG002", files)
    assert result.outcome.value == "pass", result.message
    assert "go-flags" in result.message


def test_a_services_key_rotation_and_export_commands_make_no_cli(tmp_path: Path) -> None:
    # pocket-id: cobra subcommands key-rotate, encryption-key-rotate, export, import and
    # one-time-access-token beside the server: its operators' tools.
    def command(name: str) -> str:
        return (
            f'package cmds\n\nimport "github.com/spf13/cobra"\n\n'
            f"var {name.replace('-', '_')}Cmd = &cobra.Command{{\n"
            f'\tUse:   "{name}",\n'
            "\tRunE: func(c *cobra.Command, a []string) error { return nil },\n"
            "}\n"
        )

    names = ["key-rotate", "encryption-key-rotate", "export", "import"]
    files = {
        **_GO_SVC,
        "go.mod": _GO_SVC["go.mod"] + "\nrequire github.com/spf13/cobra v1.8.0\n",
        "Dockerfile": 'FROM golang:1.22\nCMD ["/app"]\n',
        **{f"cmds/{n}.go": command(n) for n in names},
    }
    assert "cli" not in profile_of(tmp_path / "svc", files).kinds
    clients = ["publish", "subscribe", "watch", "export"]
    tools = {k: v for k, v in files.items() if not k.startswith("cmds/")}
    tools.update({f"cmds/{n}.go": command(n) for n in clients})
    assert "cli" in profile_of(tmp_path / "tool", tools).kinds


def test_a_research_readme_with_preparation_and_training_sections(run_probe: RunProbe) -> None:
    # moco's README: a BibTeX block first, then "### Preparation" (install PyTorch and the
    # dataset) and "### Unsupervised Training" with the launch command.
    readme = (
        "## MoCo\n\nA PyTorch implementation.\n```\n@Article{he2019moco,\n  title = {MoCo},\n}\n"
        "```\n\n### Preparation\n\nInstall PyTorch and the ImageNet dataset first.\n\n"
        "### Unsupervised Training\n\n```\npython main_moco.py -a resnet50 --lr 0.03 data/\n```\n"
    )
    files = {
        "main_moco.py": "import torch\n\n\ndef main():\n    pass\n",
        "README.md": readme,
    }
    result = run_probe("DOC002", files)
    assert result.outcome.value == "pass", result.message
    assert "README.md:14" in result.message or "README.md:16" in result.message, result.message
    bare = readme.split("### Preparation")[0]
    assert run_probe("DOC002", {**files, "README.md": bare}).outcome.value == "fail"


def test_a_develop_locally_section_is_the_guide_of_a_project_without_tests(
    run_probe: RunProbe,
) -> None:
    # nextjs-subscription-payments: no test suite; README "## Develop locally" explains the
    # install, the environment files and the local Supabase instance, with commands.
    readme = (
        "# Starter\n\nA SaaS starter.\n\n## Develop locally\n\n"
        "Clone the repository, then install the dependencies with pnpm and link the project "
        "to your Vercel account so that the development environment variables can be pulled "
        "into a local file before the first run.\n\n"
        "```bash\npnpm install\npnpm dlx vercel link\n```\n\n"
        "Then start the local database and the development server:\n\n"
        "```bash\npnpm supabase:start\npnpm dev\n```\n"
    )
    files = {
        "package.json": json.dumps({"name": "starter", "dependencies": {"next": "14.2.5"}}),
        "app/page.tsx": "export default function Page() {\n  return null\n}\n",
        "README.md": readme,
    }
    assert run_probe("DOC004", files).outcome.value == "pass"
    tested = {**files, "app/page.test.tsx": "test('x', () => {})\n"}
    assert run_probe("DOC004", tested).outcome.value == "fail"


def test_ardanlabs_conf_and_a_rust_validate_config_check_the_settings(
    run_probe: RunProbe,
) -> None:
    # homebox parses its settings with ardanlabs/conf; vaultwarden's config.rs has
    # `fn validate_config(cfg: &ConfigItems, on_update: bool) -> Result<(), Error>`.
    conf = (
        'package config\n\nimport (\n\t"os"\n\n\t"github.com/ardanlabs/conf/v3"\n)\n\n'
        'type Config struct {\n\tPort string `conf:"default:7745"`\n}\n\n'
        "func New() (*Config, error) {\n\tvar c Config\n"
        '\t_, err := conf.Parse("HBOX", &c)\n\t_ = os.Getenv("HBOX_DEMO")\n\treturn &c, err\n}\n'
    )
    gomod = _GO_SVC["go.mod"] + "\nrequire github.com/ardanlabs/conf/v3 v3.13.0\n"
    files = {**_GO_SVC, "go.mod": gomod, "config/conf.go": conf}
    assert run_probe("CFG002", files).outcome.value == "pass"
    rust_main = (
        "use std::env;\n\nfn validate_config(domain: &str) -> Result<(), String> {\n"
        '    if domain.is_empty() { return Err("DOMAIN".into()) }\n    Ok(())\n}\n\n'
        'fn main() {\n    let d = env::var("DOMAIN").unwrap_or_default();\n'
        "    validate_config(&d).unwrap();\n}\n"
    )
    cargo = '[package]\nname = "vw"\nversion = "1.0.0"\n'
    files = {"Cargo.toml": cargo, "src/main.rs": rust_main}
    assert run_probe("CFG002", files).outcome.value == "pass"
    unchecked = rust_main.replace("validate_config", "normalise")
    assert run_probe("CFG002", {**files, "src/main.rs": unchecked}).outcome.value == "fail"


def test_mdx_documentation_pages_are_read_as_markdown(run_probe: RunProbe) -> None:
    # rallly's apps/docs/self-hosting/configuration.mdx lists the settings its code reads.
    settings = (
        "import os\n\nDATABASE_URL = os.environ['DATABASE_URL']\n"
        "SECRET_PASSWORD = os.environ['SECRET_PASSWORD']\n"
    )
    page = (
        "---\ntitle: Configuration\n---\n\n# Configuration\n\n"
        "| Name | Description |\n| --- | --- |\n| `DATABASE_URL` | Postgres URL |\n"
        "| `SECRET_PASSWORD` | Session secret |\n"
    )
    files = {
        "requirements.txt": "flask\ngunicorn\n",
        "app/settings.py": settings,
        "app/main.py": "from flask import Flask\n\napp = Flask(__name__)\n",
        "Dockerfile": 'FROM python:3.12-slim\nCMD ["gunicorn", "app.main:app"]\n',
    }
    documented = {**files, "docs/self-hosting/configuration.mdx": page}
    assert run_probe("CFG004", documented).outcome.value == "pass"
    assert run_probe("CFG004", files).outcome.value == "fail"


def test_tests_run_in_a_container_through_a_loop_over_sibling_scripts(
    run_probe: RunProbe,
) -> None:
    # photoview's tests.yml: `docker run -v $WORKSPACE:/app photoview/api
    # /app/scripts/test_all.sh`, which runs every scripts/test_* beside it.
    workflow = (
        "on: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
        '      - run: |\n          docker run -v "${{ github.workspace }}:/app" api '
        "/app/scripts/test_all.sh\n"
    )
    loop = (
        '#!/bin/bash\nfor test in "$(dirname "$0")"/test_*; do\n'
        '  if [[ "${test}" != "${test%%/test_all.sh}" ]]; then continue; fi\n'
        '  "${test}"\ndone\n'
    )
    files = {
        **_GO_SVC,
        ".github/workflows/tests.yml": workflow,
        "scripts/test_all.sh": loop,
        "scripts/test_api.sh": '#!/bin/bash\ncd "$(dirname "$0")/../api"\ngo test ./...\n',
        "main_test.go": 'package main\n\nimport "testing"\n\nfunc TestX(t *testing.T) {}\n',
    }
    assert run_probe("TST002", files).outcome.value == "pass"
    lint = {**files, "scripts/test_api.sh": "#!/bin/bash\ngo vet ./...\n"}
    assert run_probe("TST002", lint).outcome.value == "fail"


def test_round20_catalogs_mock_files_and_html_in_template_strings(
    tmp_path: Path, run_probe: RunProbe
) -> None:
    # photoview: ui/src/extractedTranslations/da/translation.json, `"password": "Adgangskode"`.
    catalog = '{\n  "login": {\n    "password": "Adgangskodeadgangskode"\n  }\n}\n'
    files = {**_GO_SVC, "ui/src/extractedTranslations/da/translation.json": catalog}
    assert run_probe("SEC001", files).outcome.value == "pass"
    config = {**_GO_SVC, "ui/src/config/settings.json": catalog}
    assert run_probe("SEC001", config).outcome.value == "fail"
    # hono-middleware: GraphiQL served as HTML in a template string imports react; the
    # package does not. And packages/oauth-providers/mocks.ts is test support.
    server = (
        'export const page = () => `<script type="module">\n'
        "  import React from 'react';\n</script>`\n"
    )
    pkg = {
        "package.json": json.dumps({"name": "@x/graphql-server", "version": "1.0.0"}),
        "src/index.ts": server,
    }
    assert "app" not in profile_of(tmp_path / "lib", pkg).kinds
    real = {**pkg, "src/index.ts": "import React from 'react'\nexport const x = React\n"}
    assert "app" in profile_of(tmp_path / "app", real).kinds
    from pipeline.ingest.languages import is_test_path

    assert is_test_path("packages/oauth-providers/mocks.ts")
    assert not is_test_path("packages/oauth-providers/src/github.ts")


def test_a_why_heading_and_development_commands_are_no_operations_docs(
    run_probe: RunProbe,
) -> None:
    # photoview's README: "## Why yet another self-hosted photo gallery" is a motivation;
    # "### Start API server with Docker" under "## Set up Docker development environment".
    readme = (
        "# Gallery\n\n## Why yet another self-hosted photo gallery\n\nBecause.\n\n"
        "## Set up Docker development environment\n\n### Start API server with Docker\n\n"
        "```\n$ docker run --rm -it -v `pwd`:/app api\n```\n"
    )
    result = run_probe("DOC009", {**_GO_SVC, "README.md": readme})
    assert result.outcome.value == "fail", result.message
    deploy = readme + "\n## Getting started — Setup with Docker\n\nCopy the compose file.\n"
    assert run_probe("DOC009", {**_GO_SVC, "README.md": deploy}).outcome.value == "pass"


def test_a_docker_action_runs_its_args_and_logtape_writes_json_lines(
    run_probe: RunProbe,
) -> None:
    # next-js-boilerplate's CI.yml: `uses: docker://mcr.microsoft.com/playwright:v1.59.1`
    # with `args: npm run test -- --coverage`; its Logger.ts uses getJsonLinesFormatter().
    workflow = (
        "on: [push]\njobs:\n  unit:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - name: Run unit tests\n        uses: docker://mcr.microsoft.com/playwright:v1.59.1\n"
        "        with:\n          args: npm run test -- --coverage\n"
    )
    manifest = {
        "name": "app",
        "scripts": {"test": "vitest run", "start": "next start"},
        "dependencies": {"next": "16.0.0", "@logtape/logtape": "1.0.0"},
        "devDependencies": {"vitest": "3.0.0"},
    }
    files = {
        "package.json": json.dumps(manifest),
        "src/app/page.tsx": "import Link from 'next/link'\n"
        "export default function Page() {\n  return null\n}\n",
        "src/app/page.test.tsx": "test('x', () => {})\n",
        "src/app/api/counter/route.ts": "export async function PUT() {\n"
        "  return Response.json({ count: 1 })\n}\n",
        ".github/workflows/CI.yml": workflow,
    }
    assert run_probe("TST002", files).outcome.value == "pass"
    logger = (
        "import { configure, getConsoleSink, getJsonLinesFormatter } from '@logtape/logtape'\n"
        "await configure({ sinks: { console: getConsoleSink({ formatter: "
        "getJsonLinesFormatter() }) }, loggers: [] })\n"
    )
    logged = {**files, "src/libs/Logger.ts": logger}
    assert run_probe("OBS002", logged).outcome.value == "pass"
    plain = logger.replace("getJsonLinesFormatter() ", "undefined ").replace(
        ", getJsonLinesFormatter", ""
    )
    assert run_probe("OBS002", {**logged, "src/libs/Logger.ts": plain}).outcome.value == "fail"


def test_the_default_http_client_handed_to_a_constructor_has_no_timeout(
    run_probe: RunProbe,
) -> None:
    # reproxy's main.go: consulcatalog.NewClient(opts.ConsulCatalog.Address,
    # http.DefaultClient); REL001 called every outbound call bounded.
    main = (
        'package main\n\nimport (\n\t"net/http"\n\t"time"\n)\n\n'
        "type Catalog struct{ c *http.Client }\n\n"
        "func NewClient(addr string, c *http.Client) *Catalog { return &Catalog{c} }\n\n"
        'func main() {\n\t_ = NewClient("consul:8500", http.DefaultClient)\n'
        '\tbounded := &http.Client{Timeout: 5 * time.Second}\n\t_, _ = bounded.Get("http://x")\n'
        '\thttp.ListenAndServe(":8080", nil)\n}\n'
    )
    files = {"go.mod": "module x\n\ngo 1.22\n", "main.go": main}
    assert run_probe("REL001", files).outcome.value == "fail"


def test_an_unpinned_image_in_an_example_compose_file_is_a_low_gap(run_probe: RunProbe) -> None:
    # reproxy's examples/docker/docker-compose.yml: `image: umputun/reproxy:master`.
    compose = "services:\n  reproxy:\n    image: umputun/reproxy:master\n"
    files = {**_GO_SVC, "examples/docker/docker-compose.yml": compose}
    result = run_probe("DEP010", files)
    assert result.outcome.value == "fail"
    assert result.severity is not None and result.severity.value == "low"
    shipped = {**_GO_SVC, "docker-compose.yml": compose}
    assert run_probe("DEP010", shipped).severity.value == "medium"


def test_a_yaml_tag_its_tool_constructs_is_no_parse_error(run_probe: RunProbe) -> None:
    # starlette's mkdocs.yml: `emoji_index: !!python/name:material.extensions.emoji.twemoji`.
    mkdocs = (
        "site_name: Lib\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
    )
    files = {**_DJANGO, "lib/__init__.py": "X = 1\n", "mkdocs.yml": mkdocs}
    assert run_probe("CFG007", files).outcome.value == "pass"
    broken = {**files, "mkdocs.yml": "site_name: Lib\nnav: [a, b\n"}
    assert run_probe("CFG007", broken).outcome.value == "fail"


def test_a_test_script_spawning_the_node_program_is_end_to_end(run_probe: RunProbe) -> None:
    # fx's npm/test.js (run by `npm test`): spawnSync(`... | node index.js ${code}`).
    test_js = (
        "const { spawnSync } = require('node:child_process')\n"
        "const r = spawnSync(`node index.js .a`, { input: '{\"a\":1}', encoding: 'utf8' })\n"
        "if (r.stdout.trim() !== '1') throw new Error('bad')\n"
    )
    files = {
        "package.json": json.dumps(
            {
                "name": "fx",
                "version": "1.0.0",
                "bin": {"fx": "index.js"},
                "scripts": {"test": "node test.js"},
            }
        ),
        "index.js": "#!/usr/bin/env node\nprocess.stdout.write(process.argv[2] || '')\n",
        "util.test.js": "test('x', () => {})\n",
        "test.js": test_js,
    }
    assert run_probe("TST007", files).outcome.value == "pass"
    unit = {**files, "test.js": "require('./index.js')\n"}
    assert run_probe("TST007", unit).outcome.value == "fail"


def test_class_validator_env_classes_and_env_example_files_without_a_dot(
    run_probe: RunProbe,
) -> None:
    # nestjs-boilerplate: each config module validates process.env against a
    # class-validator class; its variables are listed in env-example-relational.
    config = (
        "import { registerAs } from '@nestjs/config'\n"
        "import { IsInt, IsOptional } from 'class-validator'\n"
        "import validateConfig from '../utils/validate-config'\n\n"
        "class EnvironmentVariablesValidator {\n  @IsInt()\n  @IsOptional()\n"
        "  APP_PORT: number\n}\n\n"
        "export default registerAs('app', () => {\n"
        "  validateConfig(process.env, EnvironmentVariablesValidator)\n"
        "  return { port: parseInt(process.env.APP_PORT ?? '3000', 10) }\n})\n"
    )
    main = (
        "import { NestFactory } from '@nestjs/core'\nimport { AppModule } from './app.module'\n"
        "async function bootstrap() {\n  const app = await NestFactory.create(AppModule)\n"
        "  await app.listen(3000)\n}\nvoid bootstrap()\n"
    )
    files = {
        "package.json": json.dumps(
            {
                "name": "api",
                "scripts": {"start": "node dist/main"},
                "dependencies": {"@nestjs/core": "10.0.0", "class-validator": "0.14.0"},
            }
        ),
        "src/main.ts": main,
        "src/config/app.config.ts": config,
    }
    assert run_probe("CFG002", files).outcome.value == "pass"
    plain = config.replace("  @IsInt()\n  @IsOptional()\n", "")
    assert run_probe("CFG002", {**files, "src/config/app.config.ts": plain}).outcome.value == (
        "fail"
    )
    documented = {**files, "env-example-relational": "APP_PORT=3000\n"}
    assert run_probe("CFG004", documented).outcome.value == "pass"


def test_ultracite_check_lints_formats_and_type_checks(run_probe: RunProbe) -> None:
    # next-js-boilerplate: `"lint": "ultracite check --type-aware --type-check"` in CI.
    workflow = (
        "on: [push]\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: npm ci\n      - run: npm run lint\n"
    )
    manifest = {
        "name": "app",
        "scripts": {"lint": "ultracite check --type-aware --type-check"},
        "devDependencies": {"ultracite": "6.0.0", "typescript": "5.6.0"},
    }
    files = {
        "package.json": json.dumps(manifest),
        "tsconfig.json": '{"compilerOptions": {"strict": true}}\n',
        "src/index.ts": "export const x: number = 1\n",
        ".github/workflows/CI.yml": workflow,
    }
    for probe in ("CQ002", "CQ004", "CQ005"):
        assert run_probe(probe, files).outcome.value == "pass", probe
    untyped = {**manifest, "scripts": {"lint": "ultracite check"}}
    files = {**files, "package.json": json.dumps(untyped)}
    assert run_probe("CQ004", files).outcome.value == "fail"


def test_a_cors_fallback_chain_ending_in_a_wildcard_over_several_lines(
    run_probe: RunProbe,
) -> None:
    # nestjs-boilerplate's app.config.ts: corsOrigins: (process.env.APP_CORS_ORIGINS ||
    # process.env.FRONTEND_DOMAIN || '*'), one operand per line.
    config = (
        "export default () => ({\n  corsOrigins: (\n    process.env.APP_CORS_ORIGINS ||\n"
        "    process.env.FRONTEND_DOMAIN ||\n    '*'\n  ).split(','),\n})\n"
    )
    main = (
        "import { NestFactory } from '@nestjs/core'\nimport { AppModule } from './app.module'\n"
        "async function bootstrap() {\n  const app = await NestFactory.create(AppModule)\n"
        "  app.enableCors({ origin: ['https://a.example'] })\n  await app.listen(3000)\n}\n"
    )
    files = {
        "package.json": json.dumps(
            {
                "name": "api",
                "scripts": {"start": "node dist/main"},
                "dependencies": {"@nestjs/core": "10.0.0"},
            }
        ),
        "src/main.ts": main,
        "src/config/app.config.ts": config,
    }
    assert run_probe("SEC011", files).outcome.value == "fail"
    listed = config.replace("    '*'\n", "    'https://app.example'\n")
    assert run_probe("SEC011", {**files, "src/config/app.config.ts": listed}).outcome.value == (
        "pass"
    )


def test_a_go_server_closed_when_the_context_ends_drops_requests(run_probe: RunProbe) -> None:
    # reproxy's proxy.go: `<-ctx.Done()` then `httpServer.Close()`.
    main = (
        'package main\n\nimport (\n\t"context"\n\t"net/http"\n\t"os/signal"\n\t"syscall"\n)\n\n'
        "func main() {\n"
        "\tctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)\n"
        '\tdefer stop()\n\thttpServer := &http.Server{Addr: ":8080"}\n\tgo func() {\n'
        "\t\t<-ctx.Done()\n\t\tif err := httpServer.Close(); err != nil {\n\t\t\treturn\n\t\t}\n"
        "\t}()\n\t_ = httpServer.ListenAndServe()\n}\n"
    )
    files = {"go.mod": "module x\n\ngo 1.22\n", "main.go": main}
    result = run_probe("REL004", files)
    assert result.outcome.value == "fail" and result.partial, result.message
    drained = main.replace("httpServer.Close()", "httpServer.Shutdown(context.Background())")
    assert run_probe("REL004", {**files, "main.go": drained}).outcome.value == "pass"


def test_a_debug_option_that_raises_the_log_level(run_probe: RunProbe) -> None:
    # reproxy: setupLog(opts.Dbg), `if dbg { log.Setup(log.Debug, ...) }`.
    main = (
        'package main\n\nimport (\n\t"flag"\n\t"net/http"\n\n\tlog "github.com/go-pkgz/lgr"\n)\n\n'
        "func setupLog(dbg bool) {\n\tif dbg {\n\t\tlog.Setup(log.Debug, log.Msec)\n"
        "\t\treturn\n\t}\n\tlog.Setup(log.Msec)\n}\n\n"
        'func main() {\n\tdbg := flag.Bool("dbg", false, "debug")\n\tflag.Parse()\n'
        '\tsetupLog(*dbg)\n\thttp.ListenAndServe(":8080", nil)\n}\n'
    )
    gomod = "module x\n\ngo 1.22\n\nrequire github.com/go-pkgz/lgr v0.11.0\n"
    files = {"go.mod": gomod, "main.go": main}
    result = run_probe("CFG006", files)
    assert result.outcome.value == "pass" and result.partial, result.message
    fixed = main.replace("\tif dbg {\n\t\tlog.Setup(log.Debug, log.Msec)\n\t\treturn\n\t}\n", "")
    assert run_probe("CFG006", {**files, "main.go": fixed}).outcome.value == "fail"


def test_an_integration_whose_import_is_guarded_somewhere_is_optional(
    run_probe: RunProbe,
) -> None:
    # tenacity: __init__ tries `import tornado` (None on ImportError) and loads
    # tornadoweb.py, which imports tornado at its top, only `if tornado:`.
    init = (
        "try:\n    import tornado\nexcept ImportError:\n    tornado = None\n\n"
        "if tornado:\n    from retry.tornadoweb import TornadoRetrying\n"
    )
    files = {
        "pyproject.toml": "[project]\nname = 'retry'\nversion = '1.0'\n",
        "retry/__init__.py": init,
        "retry/tornadoweb.py": "from tornado import gen\n\n\nclass TornadoRetrying:\n    pass\n",
    }
    assert run_probe("DEP014", files).outcome.value != "fail"
    hard = {**files, "retry/__init__.py": "import tornado\n"}
    assert run_probe("DEP014", hard).outcome.value == "fail"


def test_a_home_folder_only_read_or_used_to_expand_a_tilde_is_no_shared_state(
    run_probe: RunProbe,
) -> None:
    # fx: os.UserHomeDir() to find ~/.fxrc.js (read only) and to expand a `~` the user
    # typed; its one write saves the user's own input file.
    rc = (
        'package engine\n\nimport (\n\t"os"\n\t"path/filepath"\n)\n\n'
        "func Rc() ([]byte, error) {\n\thome, _ := os.UserHomeDir()\n"
        '\treturn os.ReadFile(filepath.Join(home, ".fxrc.js"))\n}\n'
    )
    save = (
        'package engine\n\nimport "os"\n\n'
        "func Save(path, json string) error {\n"
        "\treturn os.WriteFile(path, []byte(json), 0644)\n}\n"
    )
    main = "package main\n\nfunc main() {}\n"
    files = {
        "go.mod": "module x\n\ngo 1.22\n",
        "main.go": main,
        "engine/rc.go": rc,
        "engine/save.go": save,
    }
    assert run_probe("REL007", files).outcome.value != "fail"
    kept = save.replace(
        "\treturn os.WriteFile(path, []byte(json), 0644)\n",
        '\thome, _ := os.UserHomeDir()\n\treturn os.WriteFile(home+"/.x/state.json", '
        "[]byte(json), 0644)\n",
    )
    assert run_probe("REL007", {**files, "engine/save.go": kept}).outcome.value == "fail"


def test_a_client_opened_inside_each_request_call_reuses_no_connection(
    run_probe: RunProbe,
) -> None:
    # resend-python's http_client_httpx.py: `async with httpx.AsyncClient(...)` in request().
    client = (
        "import httpx\n\n\nclass Client:\n    async def request(self, url):\n"
        "        async with httpx.AsyncClient(timeout=30) as client:\n"
        "            return await client.get(url)\n"
    )
    files = {
        "pyproject.toml": "[project]\nname = 'sdk'\nversion = '1.0'\ndependencies = ['httpx']\n",
        "sdk/__init__.py": "",
        "sdk/http.py": client,
    }
    result = run_probe("PERF003", files)
    assert result.outcome.value == "pass" and result.partial, result.message
    shared = (
        "import httpx\n\n\nclass Client:\n    def __init__(self):\n"
        "        self._c = httpx.AsyncClient(timeout=30)\n\n"
        "    async def request(self, url):\n        return await self._c.get(url)\n"
    )
    result = run_probe("PERF003", {**files, "sdk/http.py": shared})
    assert result.outcome.value == "pass" and not result.partial


def test_a_crate_used_only_as_a_build_dependency_runs_at_build_time(
    run_probe: RunProbe,
) -> None:
    # watchexec: crates/bosion is only a [build-dependencies] entry of crates/cli; its
    # `.expect(...)` calls fail a build, not the program.
    gather = (
        "use std::fs;\n\npub fn gather_to(path: &str) {\n"
        '    fs::write(path, "v").expect("write version file");\n'
        '    let s = fs::read_to_string(path).expect("read back");\n    println!("{s}");\n}\n'
    )
    files = {
        "Cargo.toml": '[workspace]\nmembers = ["crates/cli", "crates/bosion"]\n',
        "crates/cli/Cargo.toml": '[package]\nname = "cli"\nversion = "1.0.0"\n\n'
        '[build-dependencies.bosion]\npath = "../bosion"\n',
        "crates/cli/src/main.rs": 'fn main() {\n    println!("hi");\n}\n',
        "crates/bosion/Cargo.toml": '[package]\nname = "bosion"\nversion = "1.0.0"\n',
        "crates/bosion/src/lib.rs": gather,
    }
    assert run_probe("ERR004", files).outcome.value != "fail"
    runtime = {
        **files,
        "crates/cli/Cargo.toml": files["crates/cli/Cargo.toml"].replace(
            "[build-dependencies.bosion]", "[dependencies.bosion]"
        ),
    }
    assert run_probe("ERR004", runtime).outcome.value == "fail"


def test_a_link_passes_every_filter_a_file_does(tmp_path: Path) -> None:
    # A link named with a token, one under vendor/, one .gitignore lists: none is read.
    from pipeline.ingest import ingest_repository

    root = tmp_path / "repo"
    (root / "vendor" / "x").mkdir(parents=True)
    (root / "README.md").write_text("# Project\n")
    (root / ".gitignore").write_text("private.md\n")
    token = "ghp_" + "aBcD1234" * 4 + "6789"
    (root / f"{token}.md").symlink_to("README.md")
    (root / "vendor" / "x" / "README.md").symlink_to("../../README.md")
    (root / "private.md").symlink_to("README.md")
    (root / "GUIDE.md").symlink_to("README.md")
    paths = {f.path for f in ingest_repository(root).files}
    assert "GUIDE.md" in paths
    assert not any(token in p for p in paths)
    assert "vendor/x/README.md" not in paths
    assert "private.md" not in paths


def test_python_in_tools_is_the_product_when_nothing_else_is(tmp_path: Path) -> None:
    # A Flask service kept in tools/ with no Python manifest (the image pip-installs it):
    # with no other language, those files are the product, not helpers.
    server = "from flask import Flask\n\napp = Flask(__name__)\n\napp.run(host='0.0.0.0')\n"
    files = {
        "tools/server.py": server,
        "Dockerfile": "FROM python:3.12-slim\nRUN pip install flask\n"
        'CMD ["python", "tools/server.py"]\n',
    }
    assert "web_service" in profile_of(tmp_path / "svc", files).kinds


def test_second_reader_counter_cases_for_this_sessions_rules(run_probe: RunProbe) -> None:
    # A reviewer of this session's diff found rules matching wider than meant; each case
    # below passed or failed wrongly before the fix.
    from tests.probes.test_security import AUTHED, NEXT, next_route

    # An unauthenticated status update under /api/orders/[id]/status is no status page.
    update = (
        "import { db } from '@/lib/db'\nexport async function POST() {\n"
        "  return Response.json(await db.order.update({}))\n}\n"
    )
    files = {**NEXT, **next_route("users", AUTHED), **next_route("orders/[id]/status", update)}
    assert run_probe("SEC028", files).outcome.value == "fail"
    # An import line naming getAuth protects nothing.
    imported = "import {\n  getAuth,\n} from '@/lib/auth'\n" + update
    files = {**NEXT, **next_route("users", AUTHED), **next_route("orders", imported)}
    assert run_probe("SEC028", files).outcome.value == "fail"
    # A service's config under a translation-api folder is no translation catalog.
    config = 'password: "Xk9vQ2mLp8RtZw4nB7qW"\n'
    files = {**_GO_SVC, "services/translation-api/config/production.yml": config}
    assert run_probe("SEC001", files).outcome.value == "fail"
    # A deploy job's `docker run -e` over ssh is no throwaway.
    deploy = (
        "on: [push]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n"
        '      - run: ssh prod "docker run -e DB_PASSWORD=Xk9vQ2mLp8RtZw4nB7qWe3 app"\n'
    )
    files = {**_GO_SVC, ".github/workflows/deploy.yml": deploy}
    assert run_probe("SEC001", files).outcome.value == "fail"
    # Printing a debug message is no debug log level.
    flask = {
        "requirements.txt": "flask\n",
        "app.py": "import logging\nfrom flask import Flask\n\napp = Flask(__name__)\n"
        "debug = True\nif debug:\n    print('debug mode: auto-reload on')\n"
        "logging.basicConfig(level=logging.INFO)\napp.run(host='0.0.0.0')\n",
    }
    assert run_probe("CFG006", flask).outcome.value == "fail"


def test_a_readme_linking_its_frameworks_docs_does_not_defer_operations(
    run_probe: RunProbe,
) -> None:
    readme = "# Svc\n\nBuilt with Go. See the [Go Documentation](https://go.dev/doc) to learn Go.\n"
    assert run_probe("DOC009", {**_GO_SVC, "README.md": readme}).outcome.value == "fail"


def test_a_decorated_usage_example_is_a_usage_example(run_probe: RunProbe) -> None:
    readme = (
        "# Web\n\nA framework.\n\n## Installation\n\n```\npip install web\n```\n\n"
        "Then write a handler:\n\n```python\n@route('/')\ndef index():\n    return 'hi'\n```\n"
    )
    files = {**_DJANGO, "web/__init__.py": "X = 1\n", "README.md": readme}
    assert run_probe("DOC002", files).outcome.value == "pass"


def test_what_a_user_run_on_blocky_found(run_probe: RunProbe) -> None:
    # blocky (0xERR0R/blocky, not in the corpus), read as a user would after this session.
    from pipeline.ingest.languages import is_test_path

    # helpertest/ is its tests' helper package: its writes and calls are not the product's.
    assert is_test_path("helpertest/tmpdata.go") and not is_test_path("latest/x.go")
    # `make test` runs `go tool ginkgo -r`: a test runner in CI.
    workflow = (
        "on: [push]\njobs:\n  make:\n    runs-on: ubuntu-latest\n    strategy:\n"
        "      matrix:\n        make: [build, test]\n    steps:\n"
        "      - run: make ${{ matrix.make }}\n"
    )
    makefile = 'build:\n\tgo build ./...\n\ntest:\n\tgo tool ginkgo --label-filter="!e2e" -r\n'
    files = {
        **_GO_SVC,
        "main_test.go": 'package main\n\nimport "testing"\n\nfunc TestX(t *testing.T) {}\n',
        ".github/workflows/makefile.yml": workflow,
        "Makefile": makefile,
    }
    assert run_probe("TST002", files).outcome.value == "pass"
    # A lower-case mustCompile() filling a package variable panics by design.
    schema = (
        'package schema\n\nimport "errors"\n\nvar compiled = mustCompile()\n\n'
        'func mustCompile() string {\n\terr := errors.New("x")\n'
        '\tif err != nil {\n\t\tpanic(err)\n\t}\n\treturn ""\n}\n'
    )
    assert run_probe("ERR006", {**_GO_SVC, "schema/embed.go": schema}).outcome.value == "pass"
    # One ALTER TABLE per database type, in the arms of one switch, is no multi-step write.
    writer = (
        'package querylog\n\nimport "gorm.io/gorm"\n\n'
        "func addID(db *gorm.DB, kind string) error {\n\tswitch kind {\n"
        '\tcase "mysql":\n\t\treturn db.Exec("ALTER TABLE t ADD id INT").Error\n'
        '\tcase "postgres":\n\t\treturn db.Exec("ALTER TABLE t ADD id bigserial").Error\n'
        "\t}\n\treturn nil\n}\n"
    )
    gomod = _GO_SVC["go.mod"] + "\nrequire gorm.io/gorm v1.25.0\n"
    files = {**_GO_SVC, "go.mod": gomod, "querylog/writer.go": writer}
    assert run_probe("DATA004", files).outcome.value != "fail"
    both = writer.replace('\tcase "postgres":\n', "")
    both = both.replace(
        '\t\treturn db.Exec("ALTER TABLE t ADD id INT").Error\n',
        '\t\tdb.Exec("ALTER TABLE t ADD id INT")\n',
    )
    assert run_probe("DATA004", {**files, "querylog/writer.go": both}).outcome.value == "fail"
    # sync.Once's Do and csv.Writer's Flush return no error.
    quiet = (
        'package log\n\nimport (\n\t"encoding/csv"\n\t"os"\n\t"sync"\n)\n\n'
        "func Write(f *os.File, once *sync.Once) {\n\tonce.Do(func() {})\n"
        "\twriter := csv.NewWriter(f)\n\twriter.Flush()\n}\n"
    )
    result = run_probe("ERR007", {**_GO_SVC, "log/w.go": quiet})
    assert not any(e.path == "log/w.go" for e in result.evidence), result.message
    # miekg/dns servers drain with ShutdownContext when the signal arrives.
    serve = (
        'package main\n\nimport (\n\t"context"\n\t"net/http"\n\t"os"\n\t"os/signal"\n'
        '\t"syscall"\n)\n\nfunc main() {\n\tsignals := make(chan os.Signal, 1)\n'
        "\tsignal.Notify(signals, syscall.SIGTERM)\n"
        '\tgo http.ListenAndServe(":8080", nil)\n\t<-signals\n'
        "\t_ = dnsServer.ShutdownContext(context.Background())\n}\n"
    )
    result = run_probe("REL004", {"go.mod": _GO_SVC["go.mod"], "main.go": serve})
    assert result.outcome.value == "pass", result.message
