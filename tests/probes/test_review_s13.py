"""A reviewer's counter-examples to this session's rules: each must stay what it was
before the rule (a gap stays a gap, a real key stays a key)."""

from __future__ import annotations

import json
from pathlib import Path

from evals.probe_corpus import probe_snapshot, write_files
from tests.probes.conftest import RunProbe, profile_of

_KEY = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"


def test_a_doc_comment_marker_inside_a_string_opens_no_comment(run_probe: RunProbe) -> None:
    java = (
        "class Security {\n  void configure(Http http) {\n"
        '    http.antMatchers("/public/**").permitAll();\n  }\n'
        f'  String apiToken = "{_KEY}";\n}}\n'
    )
    assert run_probe("SEC001", {"src/Security.java": java}).outcome.value == "fail"
    one_line = f'/** @type {{string}} */ const KEY = "{_KEY}";\n'
    assert run_probe("SEC001", {"src/key.js": one_line}).outcome.value == "fail"


def test_a_word_that_starts_like_a_placeholder_is_no_placeholder(run_probe: RunProbe) -> None:
    line = 'DB_PASSWORD = "football2024"\n'
    assert run_probe("SEC001", {"app/settings.py": line}).outcome.value == "fail"


def test_a_port_default_above_the_server_start_is_no_listen_option(tmp_path: Path) -> None:
    main = (
        'package main\n\nimport (\n\t"net/http"\n\t"os"\n)\n\n'
        "func startServer(addr string) {\n\thttp.ListenAndServe(addr, nil)\n}\n\n"
        'func main() {\n\tport := os.Getenv("PORT")\n\tif port == "" {\n\t\tport = "8080"\n\t}\n'
        '\tstartServer(":" + port)\n}\n'
    )
    files = {"go.mod": "module x\n\ngo 1.22\n", "main.go": main}
    assert "web_service" in profile_of(tmp_path / "svc", files).kinds


def test_a_health_check_on_pg_stat_activity_reads_no_catalogue(run_probe: RunProbe) -> None:
    app = (
        "import psycopg2\n\nconn = psycopg2.connect('')\n\n\ndef orders():\n"
        "    return conn.execute('SELECT * FROM orders')\n\n\ndef health():\n"
        "    return conn.execute('SELECT count(*) FROM pg_stat_activity')\n"
    )
    assert run_probe("DATA001", {"app/db.py": app}).outcome.value == "fail"


def test_keys_of_a_non_config_template_document_no_variables(run_probe: RunProbe) -> None:
    code = (
        "import os\n\nURL = os.environ['DATABASE_URL']\nSECRET = os.environ['APP_SECRET']\n"
        "PORT = os.environ['APP_PORT']\nREDIS = os.environ['REDIS_URL']\n"
    )
    app = (
        "from flask import Flask\n\nfrom app import settings\n\napp = Flask(__name__)\napp.run()\n"
    )
    files = {
        "app/settings.py": code,
        "app/main.py": app,
        "mkdocs.example.yml": "url: x\nsecret: y\nport: 1\n",
    }
    assert run_probe("CFG004", files).outcome.value == "fail"


def test_a_readme_linking_only_its_contributing_guide(run_probe: RunProbe) -> None:
    readme = (
        "# Tool\n\n## Installation\n\nDownload it from our website.\n\n## Usage\n\n"
        "See [CONTRIBUTING](CONTRIBUTING.md).\n"
    )
    files = {
        "README.md": readme,
        "CONTRIBUTING.md": "# Contributing\n\n```sh\nmake test\n```\n",
        "main.py": "print(1)\n",
    }
    assert run_probe("DOC002", files).outcome.value == "fail"


def test_a_base_url_set_in_another_file_makes_the_call_remote(run_probe: RunProbe) -> None:
    manifest = '{"name": "ui", "dependencies": {"axios": "1", "vue": "2"}}'
    files = {
        "package.json": manifest,
        "src/main.js": (
            "import axios from 'axios'\naxios.defaults.baseURL = 'https://api.weather.io'\n"
        ),
        "src/api.js": (
            "import axios from 'axios'\n\nexport const f = () => axios.get('forecast/today')\n"
        ),
    }
    assert run_probe("REL001", files).outcome.value == "fail"


def test_reading_the_latest_release_publishes_nothing(run_probe: RunProbe) -> None:
    workflow = (
        "on:\n  push:\n    tags: ['v*']\njobs:\n  r:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: curl -s https://api.github.com/repos/mikefarah/yq/releases/latest | jq .\n"
    )
    files = {"main.go": "package main\n\nfunc main() {}\n", ".github/workflows/r.yml": workflow}
    assert run_probe("DEP009", files).outcome.value == "fail"


def test_a_request_folder_joined_with_a_fixed_name_is_flagged(run_probe: RunProbe) -> None:
    view = (
        "from pathlib import Path\n\nfrom flask import Flask, request\n\n"
        "app = Flask(__name__)\n\n\n"
        "@app.get('/notes')\ndef notes():\n"
        "    return Path(request.args['dir'], 'notes.txt').read_text()\n"
    )
    assert run_probe("SEC029", {"app/views.py": view}).outcome.value == "fail"


def test_a_script_in_a_messages_folder_is_no_translation(run_probe: RunProbe) -> None:
    producer = "export const kafka = {\n  sasl: { password: 'Kq8vR2mX7pL4wN3tY6sZ' },\n}\n"
    files = {"package.json": '{"name": "svc"}', "src/messages/producer.js": producer}
    assert run_probe("SEC001", files).outcome.value == "fail"


def test_allow_any_inherited_from_a_projects_base_view_is_open(run_probe: RunProbe) -> None:
    views = (
        "from rest_framework import viewsets\nfrom rest_framework.permissions import AllowAny, "
        "IsAuthenticated\nfrom rest_framework.response import Response\n\n\n"
        "class Base(viewsets.ViewSet):\n    permission_classes = [AllowAny]\n\n\n"
        "class Orders(Base):\n    def list(self, request):\n        return Response([])\n\n\n"
        "class Me(viewsets.ViewSet):\n    permission_classes = [IsAuthenticated]\n\n"
        "    def list(self, request):\n        return Response(request.user.id)\n"
    )
    files = {
        "requirements.txt": "django>=5\ndjangorestframework>=3\n",
        "app/views.py": views,
        "app/wsgi.py": "from django.core.wsgi import get_wsgi_application\n\n"
        "application = get_wsgi_application()\n",
    }
    assert run_probe("SEC028", files).outcome.value == "fail"


def test_file_names_in_strings_import_nothing(run_probe: RunProbe) -> None:
    code = "LOG = 'celery.worker.log'\nCONF = 'redis.conf'\nimport requests\n"
    files = {"requirements.txt": "celery>=5\nredis>=5\nrequests>=2\n", "app/main.py": code}
    message = run_probe("CQ012", files).message
    assert "celery" in message and "redis" in message, message


def test_unlicensed_grants_no_license(run_probe: RunProbe) -> None:
    manifest = json.dumps({"name": "x", "license": "UNLICENSED"}, indent=2)
    assert run_probe("DOC005", {"package.json": manifest, "index.js": "x\n"}).outcome.value == (
        "fail"
    )


def test_a_server_key_in_a_json_params_name_stays_critical(run_probe: RunProbe) -> None:
    line = 'params_json = {"key": "AIzaSyD31CT9P9KxvNUJOwDq2kcFEIG8ADgaFgw"}\n'
    result = run_probe("SEC001", {"app/gemini.py": line})
    assert result.outcome.value == "fail" and result.severity.value == "critical"


def test_a_similar_file_name_and_a_mounted_folder_keep_data_in_the_product(
    tmp_path: Path,
) -> None:
    test = 'func TestX(t *testing.T) {\n\tload("../data/legacy_users.sql")\n}\n'
    compose = (
        "services:\n  db:\n    image: postgres:16\n    volumes:\n"
        "      - ./data:/docker-entrypoint-initdb.d\n"
    )
    files = {
        "go.mod": "module x\n\ngo 1.22\n",
        "pkg/x_test.go": "package pkg\n\n" + test,
        "data/users.sql": "CREATE TABLE users (id int);\n",
        "data/legacy_users.sql": "CREATE TABLE legacy (id int);\n",
        "docker-compose.yml": compose,
    }
    write_files(tmp_path, files)
    roles = {f.path: f.role for f in probe_snapshot(tmp_path, None).files}
    assert roles["data/users.sql"] == "product"
    assert roles["data/legacy_users.sql"] == "product"  # the compose file mounts data/


def test_a_nested_example_named_package_is_product(tmp_path: Path) -> None:
    write_files(tmp_path, {"src/example_plugin/core.py": "def run():\n    return 1\n"})
    roles = {f.path: f.role for f in probe_snapshot(tmp_path, None).files}
    assert roles["src/example_plugin/core.py"] == "product"


def test_bare_from_and_odd_cargo_tables_do_not_crash(run_probe: RunProbe) -> None:
    files = {"Dockerfile": 'FROM\nCMD ["x"]\n', "main.go": "package main\n\nfunc main() {}\n"}
    assert run_probe("DEP002", files).outcome.value != "error"
    cargo = 'target = "x86"\n[package]\nname = "x"\nversion = "0.1.0"\n'
    rust = {
        "Cargo.toml": cargo,
        "src/main.rs": "fn main() {\n    let c = reqwest::Client::new();\n}\n",
        "server/Cargo.toml": '[package]\nname = "s"\nversion = "0.1.0"\ndependencies = 3\n',
        "server/src/main.rs": "async fn run() {\n    axum::serve(l, a).await;\n}\nfn main() {}\n",
    }
    assert run_probe("REL001", rust).outcome.value != "error"


def test_django_apps_and_drf_distributions_are_used(run_probe: RunProbe) -> None:
    # wger: djangorestframework is `import rest_framework`; crispy_bootstrap5 is loaded from
    # INSTALLED_APPS; flower is Celery's monitor, started as `celery flower`.
    settings = (
        "INSTALLED_APPS = [\n    'django.contrib.auth',\n    'crispy_bootstrap5',\n]\n"
        "from rest_framework import serializers\n"
    )
    files = {
        "requirements.txt": "django>=5\ndjangorestframework>=3\ncrispy-bootstrap5>=1\nflower>=2\n",
        "app/settings.py": settings,
    }
    result = run_probe("CQ012", files)
    assert result.outcome.value == "pass", result.message
    other = {**files, "app/settings.py": settings.replace("'crispy_bootstrap5',\n", "")}
    assert "crispy-bootstrap5" in run_probe("CQ012", other).message


def test_a_second_reviews_counter_examples(run_probe: RunProbe, tmp_path: Path) -> None:
    # `go test ./...` with no test anywhere is no suite of the project's own.
    go = {
        "go.mod": "module x\n\ngo 1.22\n",
        "main.go": "package main\n\nfunc main() {}\n",
        ".github/workflows/ci.yml": "on: [push]\njobs:\n  t:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: go test ./...\n",
    }
    assert run_probe("TST001", go).outcome.value == "fail"
    # `mvn --version` builds nothing, whatever the pom's defaultGoal.
    pom = "<project><build><defaultGoal>clean verify</defaultGoal></build></project>\n"
    test = "package x;\n\nclass XTest {\n    @org.junit.Test\n    void t() {}\n}\n"
    maven = {
        "pom.xml": pom,
        "src/main/java/x/X.java": "package x;\n\nclass X {}\n",
        "src/test/java/x/XTest.java": test,
        ".github/workflows/ci.yml": "on: [push]\njobs:\n  t:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: mvn --version\n",
    }
    assert run_probe("TST002", maven).outcome.value == "fail"
    # An empty catch under `if (!options.ignoreErrors)` is not what the option asks for.
    negated = (
        "export async function put(options: any, item: any) {\n"
        "  if (!options.ignoreErrors) {\n    try {\n      await store(item);\n"
        "    } catch {}\n  }\n}\n"
    )
    files = {"package.json": '{"name": "x", "version": "1.0.0"}', "src/put.ts": negated}
    assert run_probe("ERR003", files).outcome.value == "fail"
    # A contributing guide is no install guide, whatever its name ends with.
    readme = (
        "# Tool\n\n## Installation\n\nSee [the guide](CONTRIBUTING_GUIDE.md).\n\n"
        "## Usage\n\nRun it.\n"
    )
    docs = {
        "README.md": readme,
        "CONTRIBUTING_GUIDE.md": "# Contributing\n\n```sh\nmake test\n```\n",
        "main.py": "print(1)\n",
    }
    assert run_probe("DOC002", docs).outcome.value == "fail"


def test_a_nested_module_of_the_projects_own_is_kept(tmp_path: Path) -> None:
    files = {
        "go.mod": "module github.com/acme/app\n\ngo 1.22\n",
        "main.go": 'package main\n\nimport "github.com/acme/app/api/types"\n\n'
        "func main() { types.X() }\n",
        "api/go.mod": "module github.com/acme/app/api\n\ngo 1.22\n",
        "api/types/t.go": "package types\n\nfunc X() {}\n",
        "api/server/server.go": 'package server\n\nimport "net/http"\n\n'
        'func Run() { http.ListenAndServe(":80", nil) }\n',
    }
    write_files(tmp_path, files)
    kept = {f.path for f in probe_snapshot(tmp_path, None).files}
    assert "api/server/server.go" in kept


def test_a_user_run_on_whoogle(run_probe: RunProbe) -> None:
    # whoogle-search: an auth_required decorator checks Flask's request.authorization and
    # answers 401 with the Basic challenge; the first key blocker said "no authentication".
    routes = (
        "from flask import Flask, request, make_response\n\napp = Flask(__name__)\n\n\n"
        "def auth_required(f):\n    def decorated(*a, **k):\n        auth = request.authorization\n"
        "        if auth and auth.password == 'x':\n            return f(*a, **k)\n"
        "        return make_response('Not logged in', 401, {'WWW-Authenticate': 'Basic'})\n"
        "    return decorated\n\n\n@app.route('/search')\n@auth_required\ndef search():\n"
        "    return 'ok'\n\n\napp.run()\n"
    )
    assert run_probe("SEC012", {"app/routes.py": routes}).outcome.value == "pass"
    bare = routes.replace("        auth = request.authorization\n", "        auth = None\n")
    bare = bare.replace(", {'WWW-Authenticate': 'Basic'}", "")
    assert run_probe("SEC012", {"app/routes.py": bare}).outcome.value == "fail"
    # letsencrypt/acme.json: an empty file Traefik fills; a broken one still fails.
    app = {"app/main.py": "print(1)\n", "conf/ok.json": "{}\n"}
    assert run_probe("CFG007", {**app, "letsencrypt/acme.json": ""}).outcome.value == "pass"
    assert run_probe("CFG007", {**app, "conf/a.json": "{"}).outcome.value == "fail"
    # requirements.txt: 30 pins and two floors is a freeze; CQ012 cannot judge it.
    pins = "".join(f"pkg{i}=={i}.0\n" for i in range(18)) + "httpcore>=1.0\n"
    files = {**app, "requirements.txt": pins}
    assert run_probe("CQ012", files).outcome.value == "not_applicable"
    loose = "".join(f"pkg{i}>={i}.0\n" for i in range(18))
    assert run_probe("CQ012", {**app, "requirements.txt": loose}).outcome.value == "fail"
    # curl | sh in a CI workflow is said to be in CI, not in product code.
    workflow = (
        "on: [push]\njobs:\n  s:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: curl -sSfL https://example.org/install.sh | sh -s -- -b .\n"
    )
    result = run_probe("SEC017", {**app, ".github/workflows/scan.yml": workflow})
    assert result.outcome.value == "fail" and "in CI and container builds" in result.message
