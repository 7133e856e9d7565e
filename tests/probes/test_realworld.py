"""Cases a validator found on real packages (express, flask, chi, zod, anyhow, jdk, readiness).

Each test rebuilds the shape of the real code in a tiny repository and asserts what a reader
of the report would see: no service gaps for a library, no critical secret from a test file,
no contradiction between two findings about the same code.
"""

from __future__ import annotations

from evals.probe_corpus.repos_realworld import ANYHOW, CHI, EXPRESS, FLASK, READINESS, TOKEN, ZOD
from tests.probes.conftest import RunProbe
from tests.probes.test_shutdown_versions import SPRING
from tests.probes.test_testing import wf

LIBRARY = "judged a library"


def test_a_framework_library_is_not_a_service_and_says_why(run_probe: RunProbe) -> None:
    # express: `require('express')` sits in a JSDoc comment; listen() is defined, never called.
    for probe in ("DEP001", "SEC012", "OBS006", "REL004", "DOC008"):
        result = run_probe(probe, EXPRESS.files)
        assert result.outcome.value == "not_applicable", (probe, result.message)
        assert LIBRARY in result.message, result.message
    # A library ships the package itself: no command to declare.
    assert run_probe("DEP013", EXPRESS.files).outcome.value == "not_applicable"


def test_a_started_server_is_still_a_service(run_probe: RunProbe) -> None:
    files = {**EXPRESS.files, "server.js": "const app = require('./')();\napp.listen(3000);\n"}
    result = run_probe("DEP001", files)
    assert result.outcome.value == "fail", result.message
    assert "lib/application.js:" in result.message and ":9)" not in result.message  # not the JSDoc


def test_example_apps_drive_no_gaps_and_no_strengths(run_probe: RunProbe) -> None:
    # flask: sqlite3 in examples/tutorial; chi: graceful shutdown only in _examples/.
    assert run_probe("DATA001", FLASK.files).outcome.value == "not_applicable"
    assert run_probe("REL004", CHI.files).outcome.value == "not_applicable"
    assert run_probe("ERR007", CHI.files).outcome.value != "fail"


def test_secrets_in_tests_fixtures_and_docs_are_low_and_masked(run_probe: RunProbe) -> None:
    for repo in (FLASK, CHI, ZOD):
        critical = run_probe("SEC001", repo.files)
        assert critical.outcome.value == "pass" and critical.evidence == [], critical.message
        outside = run_probe("SEC025", repo.files)
        assert outside.outcome.value == "fail" and outside.severity.value == "low"
        snippets = " ".join(e.snippet or "" for e in outside.evidence)
        assert TOKEN not in snippets and "[REDACTED:" in snippets, snippets


def test_handler_idioms_are_not_swallowed_errors(run_probe: RunProbe) -> None:
    # re-raising bare except, optional import, commented fallback, candidate loop + raise.
    assert run_probe("ERR001", FLASK.files).outcome.value == "pass"
    assert run_probe("ERR002", FLASK.files).outcome.value == "pass"
    assert run_probe("ERR002", READINESS.files).outcome.value == "pass"
    swallowed = {"a.py": "def f(g):\n    try:\n        g()\n    except ValueError:\n        pass\n"}
    assert run_probe("ERR002", swallowed).outcome.value == "fail"


def test_no_limit_is_not_a_request_size_limit(run_probe: RunProbe) -> None:
    app = {"app.py": "from fastapi import FastAPI\napp = FastAPI()\n"}
    unset = {**app, "cfg.py": 'DEFAULTS = {\n    "MAX_CONTENT_LENGTH": None,\n}\n'}
    assert run_probe("SEC014", unset).outcome.value == "fail"
    limited = {**app, "cfg.py": 'DEFAULTS = {\n    "MAX_CONTENT_LENGTH": 16_000_000,\n}\n'}
    assert run_probe("SEC014", limited).outcome.value == "pass"


def test_a_string_or_a_comment_is_not_code(run_probe: RunProbe) -> None:
    # chi's recoverer searches stack lines for the text "panic(": no panic is called.
    assert run_probe("ERR006", CHI.files).outcome.value == "pass"
    go = {
        "go.mod": "module m\n",
        "a.go": "package a\n\n/*\npanic(err)\n*/\nfunc f(err error) { panic(err) }\n",
    }
    assert run_probe("ERR006", go).evidence[0].location == "a.go:6"


def test_generic_error_classes_count(run_probe: RunProbe) -> None:
    assert run_probe("ERR008", ZOD.files).outcome.value == "pass"


def test_benchmarks_are_not_product_but_count_as_benchmarks(run_probe: RunProbe) -> None:
    assert run_probe("ERR003", ZOD.files).outcome.value == "pass"  # empty catch in a benchmark
    assert run_probe("PERF004", ZOD.files).outcome.value == "pass"
    result = run_probe("PERF004", READINESS.files)
    assert result.outcome.value == "pass", result.message


def test_readme_install_as_a_command_or_a_dependency_snippet(run_probe: RunProbe) -> None:
    assert run_probe("DOC002", READINESS.files).outcome.value == "pass"
    assert run_probe("DOC002", ANYHOW.files).outcome.value == "pass"


def test_libraries_choose_no_logging_or_log_level(run_probe: RunProbe) -> None:
    for probe in ("OBS001", "CFG006", "CFG001"):
        result = run_probe(probe, ANYHOW.files)
        assert result.outcome.value == "not_applicable", (probe, result.message)
    # A library that logs through npm `debug` logs: a strength, never a gap.
    assert run_probe("OBS001", EXPRESS.files).outcome.value == "pass"


def test_ci_message_says_what_is_missing(run_probe: RunProbe) -> None:
    result = run_probe("CQ002", FLASK.files)
    assert result.outcome.value == "fail"
    assert "is configured (pyproject.toml:12) but no CI runs it" in result.message
    with_ci = run_probe("CQ002", {**FLASK.files, **wf("pytest")})
    assert "does not run the linter, although one is configured" in with_ci.message


def test_an_absence_pass_cites_nothing_and_anchors_skip_comments(run_probe: RunProbe) -> None:
    result = run_probe("SEC002", EXPRESS.files)
    assert result.outcome.value == "pass" and result.evidence == []
    deps = run_probe("SEC020", READINESS.files)
    assert all(e.location != "pyproject.toml:5" for e in deps.evidence), deps.evidence


def test_every_cli_importer_is_a_cli_and_copying_env_is_no_read(run_probe: RunProbe) -> None:
    files = {
        "a.py": "import argparse\n",
        "b.py": "import argparse\n" + "print('x')\n" * 5,
    }
    assert run_probe("OBS003", files).outcome.value != "fail"  # nothing else to weigh: n/a
    copy = {"run.py": "import os\nenv = {**os.environ}\nif __name__ == '__main__':\n    pass\n"}
    assert run_probe("CFG001", copy).outcome.value == "fail"


def test_an_isinstance_check_is_no_outbound_call(run_probe: RunProbe) -> None:
    assert run_probe("REL001", READINESS.files).outcome.value == "not_applicable"


def test_rust_unit_test_modules_are_test_lines(run_probe: RunProbe) -> None:
    message = run_probe("TST005", ANYHOW.files).message
    assert "9 test lines for 4 product lines" in message, message  # not for 19


def test_root_configuration_wins_over_example_configuration(run_probe: RunProbe) -> None:
    # flask: CQ002 cited examples/celery/pyproject.toml while the root configures ruff.
    files = {**FLASK.files, "examples/celery/pyproject.toml": "[tool.ruff]\nline-length = 1\n"}
    assert "(pyproject.toml:12)" in run_probe("CQ002", files).message
    assert run_probe("SEC010", FLASK.files).outcome.value == "pass"  # tests/test_apps/.env
    assert run_probe("CFG006", FLASK.files).outcome.value == "not_applicable"


def test_a_missing_tsconfig_is_called_missing(run_probe: RunProbe) -> None:
    message = run_probe("CQ003", ZOD.files).message
    assert "no tsconfig.json" in message and "without" not in message, message


def test_a_logger_call_quoted_in_a_string_is_no_logging(run_probe: RunProbe) -> None:
    # readiness: OBS001 passed on the remediation text `log.error("...", e)` of a probe.
    files = {
        "tool.py": "from flask import Flask\napp = Flask(__name__)\n"
        "HINT = 'Log through the logger (log.error(\"...\", e)).'\n",
        "Procfile": "web: gunicorn tool:app\n",
    }
    assert run_probe("OBS001", files).outcome.value == "fail"


def test_documentation_is_a_document_not_an_icon(run_probe: RunProbe) -> None:
    files = {"docs/_static/icon.svg": "<svg/>\n", "docs/index.rst": "Welcome\n=======\n"}
    assert run_probe("DOC006", files).evidence[0].location == "docs/index.rst:1"


def test_coverage_config_of_an_example_app_is_not_the_projects(run_probe: RunProbe) -> None:
    files = {**FLASK.files, "examples/js/pyproject.toml": "[tool.coverage.run]\nbranch = true\n"}
    assert run_probe("TST003", files).outcome.value == "fail"
    files["pyproject.toml"] += "\n[tool.coverage.run]\nbranch = true\n"
    assert run_probe("TST003", files).evidence[0].path == "pyproject.toml"


def test_an_llm_client_call_is_the_outbound_call(run_probe: RunProbe) -> None:
    files = {
        **READINESS.files,
        "tool/client.py": "import litellm\n\n\nasync def ask(m):\n"
        "    return await litellm.acompletion(model=m, messages=[], timeout=30)\n",
    }
    assert run_probe("REL001", files).evidence[0].location == "tool/client.py:5"


def test_a_scripts_prints_are_its_output(run_probe: RunProbe) -> None:
    script = (
        "def main():\n" + "    print('row')\n" * 5 + "\n\nif __name__ == '__main__':\n    main()\n"
    )
    # A command-line script's prints are its interface: not a logging question at all.
    assert run_probe("OBS003", {"evals/report.py": script}).outcome.value == "not_applicable"
    library = "def f():\n" + "    print('row')\n" * 5
    assert run_probe("OBS003", {"lib.py": library}).outcome.value == "fail"


def test_stdlib_and_sdk_http_clients_are_outbound_calls_with_their_defaults(run_probe) -> None:
    """urlopen imported by name, python_http_client and newspaper make outbound calls: the
    timeout question applies, and each answer follows the client's own default."""
    urllib = {
        "pages.py": "from urllib.request import urlopen\n\n\ndef fetch(url):\n"
        "    return urlopen(url).read()\n"
    }
    result = run_probe("REL001", urllib)
    assert result.outcome.value == "fail" and result.evidence[0].location == "pages.py:5"
    bounded = {"pages.py": urllib["pages.py"].replace("urlopen(url)", "urlopen(url, timeout=10)")}
    assert run_probe("REL001", bounded).outcome.value == "pass"
    client = {
        "sdk/base.py": "import python_http_client\n\n\nclass Api:\n    def __init__(self):\n"
        "        self.client = python_http_client.Client(host='https://api.example.com')\n"
    }
    result = run_probe("REL001", client)
    assert result.outcome.value == "fail" and "defaults to None" in result.message
    article = {
        "summarizer.py": "from newspaper import Article\n\n\ndef summary(url):\n"
        "    a = Article(url)\n    a.download()\n    return a.text\n"
    }
    assert run_probe("REL001", article).outcome.value == "pass"


def test_tortoise_orm_is_a_database_that_pools_and_aerich_tracks_its_migrations(
    run_probe,
) -> None:
    files = {
        "app/db.py": "from tortoise.contrib.fastapi import register_tortoise\n\n\n"
        "def init(app):\n    register_tortoise(app, db_url='postgres://db/x')\n",
        "app/main.py": "from fastapi import FastAPI\nfrom app.db import init\napp = FastAPI()\n"
        "init(app)\n",
        "migrations/models/0_20240122171233_init.py": "async def upgrade(db):\n"
        '    return """CREATE TABLE IF NOT EXISTS "summary" ("id" SERIAL);"""\n',
    }
    assert run_probe("PERF001", files).outcome.value == "pass"
    migrations = run_probe("DATA001", files)
    assert migrations.outcome.value == "pass", migrations.message


def test_a_web_app_bundled_in_an_api_client_package_is_a_helper_not_the_product(
    run_probe,
) -> None:
    """An SDK that ships a small sample webhook receiver is judged an SDK: the receiver is
    one file nothing imports, in a folder holding a small share of the package's code."""
    files = {
        "setup.py": "from setuptools import setup\nsetup(name='mailer', packages=['mailer'])\n",
        "mailer/__init__.py": "from .client import Client\n",
        "mailer/client.py": "import requests\n\nBASE = 'https://api.mailer.example/v3/'\n\n\n"
        "class Client:\n    def send(self, m):\n"
        "        return requests.post(BASE + 'mail', json=m, timeout=10)\n",
        **{f"mailer/helpers/mail/part{i}.py": f"class Part{i}:\n    pass\n" for i in range(8)},
        "mailer/helpers/inbound/app.py": "from flask import Flask\napp = Flask(__name__)\n\n\n"
        "@app.route('/inbound', methods=['POST'])\ndef inbound():\n    return 'OK'\n\n\n"
        "if __name__ == '__main__':\n    app.run()\n",
        "Procfile": "web: python mailer/helpers/inbound/app.py\n",
    }
    assert run_probe("SEC015", files).outcome.value == "not_applicable"
    # The same app as the package's main body is a service.
    small = {k: v for k, v in files.items() if "/mail/" not in k}
    small["mailer/__init__.py"] = "from .helpers.inbound.app import app\n"
    assert run_probe("SEC015", small).outcome.value != "not_applicable"


def test_some_calls_bounded_and_some_not_is_partly(run_probe) -> None:
    """newspaper times out after 7 s; nltk.download() has no timeout: "partly"."""
    files = {
        "summarizer.py": "import nltk\nfrom newspaper import Article\n\n\ndef summary(url):\n"
        "    a = Article(url)\n    a.download()\n    nltk.download('punkt')\n    return a.text\n"
    }
    result = run_probe("REL001", files)
    assert result.outcome.value == "fail" and result.partial
    assert result.evidence[0].location == "summarizer.py:8"


def test_a_postgres_major_version_is_a_release() -> None:
    from pipeline.probes.views.containers import loosely_pinned

    assert not loosely_pinned("postgres:16") and loosely_pinned("node:18")


def test_a_cli_library_does_not_validate_a_services_requests(run_probe) -> None:
    """A Flask API with a Click dev command validates requests with marshmallow: the pass
    cites marshmallow, not Click's argument checking."""
    files = {
        "api/app.py": "from flask import Flask\napp = Flask(__name__)\n\n\n"
        "@app.route('/users', methods=['POST'])\ndef create():\n    return {}\n",
        "api/fake.py": "import click\n\n\n@click.command()\ndef users():\n    pass\n",
        "api/schemas.py": "from marshmallow import Schema, fields\n\n\n"
        "class UserSchema(Schema):\n    name = fields.Str(required=True)\n",
        "Procfile": "web: gunicorn api.app:app\n",
    }
    result = run_probe("SEC013", files)
    assert result.outcome.value == "pass" and "Click" not in result.message


def test_alchemical_pools_through_sqlalchemy(run_probe) -> None:
    files = {
        "api/app.py": "from flask import Flask\nfrom alchemical.flask import Alchemical\n"
        "db = Alchemical()\napp = Flask(__name__)\ndb.init_app(app)\n",
        "Procfile": "web: gunicorn api.app:app\n",
    }
    assert run_probe("PERF001", files).outcome.value == "pass"


def test_a_type_only_react_import_makes_no_front_end(run_probe) -> None:
    """An SDK whose option types mention React (import type) is not a front-end app."""
    files = {
        "package.json": '{"name": "mail-sdk", "main": "dist/index.js", "version": "1.0.0"}\n',
        "src/index.ts": "export class Client {\n  async send(m: object) {\n"
        "    return fetch('https://api.mail.example/emails', { method: 'POST' })\n  }\n}\n",
        "src/options.ts": "import type * as React from 'react';\n"
        "export interface Options { react?: React.ReactNode }\n",
    }
    assert run_probe("SEC015", files).outcome.value == "not_applicable"


def test_go_and_spring_cors_defaults_that_allow_every_origin(run_probe) -> None:
    go = {
        "go.mod": "module x\n",
        "main.go": 'package main\n\nimport (\n\t"net/http"\n'
        '\t"github.com/go-ozzo/ozzo-routing/v2/cors"\n)\n\n'
        "func main() {\n\trouter.Use(cors.Handler(cors.AllowAll))\n"
        '\thttp.ListenAndServe(":80", router)\n}\n',
    }
    assert run_probe("SEC011", go).outcome.value == "fail"
    spring = {
        "pom.xml": "<project><artifactId>spring-boot-starter-web</artifactId></project>\n",
        **SPRING,
        "src/main/java/a/OwnerController.java": "package a;\n"
        "import org.springframework.web.bind.annotation.*;\n"
        '@RestController\n@CrossOrigin(exposedHeaders = "errors")\n'
        "public class OwnerController {}\n",
    }
    assert run_probe("SEC011", spring).outcome.value == "fail"
    listed = {
        **spring,
        "src/main/java/a/OwnerController.java": spring[
            "src/main/java/a/OwnerController.java"
        ].replace(
            '@CrossOrigin(exposedHeaders = "errors")', '@CrossOrigin(origins = "https://a.example")'
        ),
    }
    assert run_probe("SEC011", listed).outcome.value == "pass"


def test_a_spring_actuator_starter_in_the_pom_serves_health(run_probe) -> None:
    files = {
        "pom.xml": "<project>\n<parent><groupId>org.springframework.boot</groupId>"
        "<artifactId>spring-boot-starter-parent</artifactId><version>3.4.0</version></parent>\n"
        "<dependencies><dependency><artifactId>spring-boot-starter-actuator</artifactId>"
        "</dependency></dependencies>\n</project>\n",
        **SPRING,
    }
    assert run_probe("OBS006", files).outcome.value == "pass"


def test_a_validate_method_on_a_go_config_type_validates_the_configuration(run_probe) -> None:
    files = {
        "go.mod": "module x\n",
        "internal/config/config.go": 'package config\n\nimport "os"\n\n'
        "type Config struct{ DSN string }\n\n"
        "func (c Config) Validate() error {\n\treturn validation.ValidateStruct(&c)\n}\n\n"
        'func Load() Config {\n\treturn Config{DSN: os.Getenv("APP_DSN")}\n}\n',
        "cmd/server/main.go": 'package main\n\nimport "x/internal/config"\n\n'
        "func main() {\n\tc := config.Load()\n\t_ = c.Validate()\n}\n",
    }
    assert run_probe("CFG002", files).outcome.value == "pass"


def test_torch_hub_downloads_are_outbound_untimed_and_cached(run_probe) -> None:
    files = {
        "main.py": "import torch\n\n\ndef load(url):\n"
        "    return torch.hub.load_state_dict_from_url(url, map_location='cpu')\n\n\n"
        "if __name__ == '__main__':\n    load('https://x/ckpt.pth')\n",
    }
    assert run_probe("REL001", files).outcome.value == "fail"
    assert run_probe("PERF002", files).outcome.value == "pass"


def test_django_prometheus_and_a_debug_only_secret(run_probe) -> None:
    settings = (
        "import environ\nenv = environ.Env()\nDEBUG = env('DEBUG')\n"
        "INSTALLED_APPS = ['django.contrib.admin', 'django_prometheus']\n"
        "if DEBUG:\n    SECRET_KEY = 'yellow polkadot bikini'\nelse:\n"
        "    SECRET_KEY = env('SECRET_KEY')\n"
    )
    files = {
        "manage.py": "import django\n",
        "site/settings.py": settings,
        "site/wsgi.py": "from django.core.wsgi import get_wsgi_application\n"
        "application = get_wsgi_application()\n",
        "Dockerfile": 'FROM python:3.13-slim\nCMD ["gunicorn", "site.wsgi"]\n',
    }
    assert run_probe("OBS004", files).outcome.value == "pass"
    assert run_probe("SEC001", files).outcome.value == "pass"


def test_user_read_of_a_flask_api(run_probe) -> None:
    """miguelgrinberg/microblog-api: four claims a reader found false."""
    app = {
        "api/app.py": "from flask import Flask, request\napp = Flask(__name__)\n\n\n"
        "@app.after_request\ndef after_request(response):\n    request.get_data()\n"
        "    return response\n",
        "config.py": "import os\n\n\nclass Config:\n"
        "    RESET_URL = os.environ.get('RESET_URL') or \\\n"
        "        'http://localhost:3000/reset'\n",
        "Dockerfile": 'FROM python:3.12-slim\nUSER app\nCMD ["gunicorn", "api.app:app"]\n',
        "docker-compose.yml": "services:\n  api:\n    build: .\n    image: microblog-api\n",
        "tests/test_api.py": "from api.app import app\n\n\ndef test_home():\n"
        "    assert app.test_client().get('/').status_code == 404\n",
    }
    # A bare get_data() only drains the body: no handler uses it unchecked.
    assert run_probe("DATA008", app).outcome.value == "not_applicable"
    # A localhost URL as the environment read's default is the env default asked for.
    assert run_probe("CFG005", app).outcome.value == "pass"
    # The compose service builds its image here: nothing is pulled by a floating tag.
    assert run_probe("DEP010", app).outcome.value == "not_applicable"
    # Flask's test client drives the whole application.
    assert run_probe("TST007", app).outcome.value == "pass"


def test_the_gopkg_in_validator_path_validates_requests(run_probe) -> None:
    files = {
        "go.mod": "module x\n",
        "main.go": 'package main\n\nimport (\n\t"net/http"\n'
        '\tvalidator "gopkg.in/go-playground/validator.v9"\n)\n\n'
        "func main() {\n\t_ = validator.New()\n"
        '\thttp.ListenAndServe(":80", nil)\n}\n',
    }
    assert run_probe("SEC013", files).outcome.value == "pass"


def test_review_of_the_session_diff(run_probe) -> None:
    """Inputs a reviewer found that the new heuristics got wrong."""
    # A Go service whose main calls an API is a service, not a bundled helper app.
    go = {
        "go.mod": "module x\n",
        "cmd/api/main.go": 'package main\n\nimport "net/http"\n\n'
        'func main() { http.ListenAndServe(":80", nil) }\n',
        **{
            f"internal/handlers/h{i}.go": 'package handlers\n\nimport "net/http"\n\n'
            f'func H{i}() {{ http.Get("https://api.github.com/x") }}\n'
            for i in range(6)
        },
        "Dockerfile": 'FROM golang:1.22\nCMD ["/api"]\n',
    }
    assert run_probe("SEC015", go).outcome.value != "not_applicable"
    # test_integer_parsing.py is no integration test.
    unit = {
        "app.py": "from flask import Flask\napp = Flask(__name__)\n",
        "tests/test_integer_parsing.py": "def test_x():\n    assert int('1') == 1\n",
    }
    assert run_probe("TST007", unit).outcome.value == "fail"
    # @CrossOrigin("https://app.example.com") names one origin.
    spring = {
        **SPRING,
        "src/main/java/a/C.java": "package a;\nimport org.springframework.web.bind.annotation.*;\n"
        '@RestController\n@CrossOrigin("https://app.example.com")\npublic class C {}\n',
    }
    assert run_probe("SEC011", spring).outcome.value == "pass"
    # A handler's DEBUG level is not the logger's.
    handler = {
        "app.py": "import logging\nfrom flask import Flask\napp = Flask(__name__)\n"
        "log = logging.getLogger('app')\nlog.setLevel(logging.INFO)\n"
        "handler = logging.StreamHandler()\nhandler.setLevel(logging.DEBUG)\n",
        "Procfile": "web: gunicorn app:app\n",
    }
    assert run_probe("CFG003", handler).outcome.value == "pass"
    # A Passport local strategy is code, not a local-development configuration file.
    from tests.probes.test_security import KEY

    passport = {
        "server.js": "const express = require('express');\nconst app = express();\n"
        "app.listen(3000);\n",
        "auth/local.js": f"const SECRET = '{KEY}';\nmodule.exports = SECRET;\n",
    }
    assert run_probe("SEC001", passport).severity.value == "critical"


def test_a_quoted_command_with_settings_runs_under_sh_c(run_probe) -> None:
    from tests.probes.test_testing import wf

    files = {
        "pyproject.toml": "[project]\nname = 'x'\n",
        "x/__init__.py": "",
        **wf('bash -c "pytest --cov=x && echo done"'),
    }
    assert run_probe("TST002", files).outcome.value == "pass"


def test_user_read_of_a_dockerized_django_upload_app(run_probe) -> None:
    """testdrivenio/django-on-docker: three claims a reader found false."""
    app = {
        "app/manage.py": "import django\n",
        "app/hello_django/settings.py": "DATABASES = {'default': {'ENGINE': "
        "'django.db.backends.postgresql'}}\nINSTALLED_APPS = ['django.contrib.auth', 'upload']\n",
        "app/hello_django/wsgi.py": "from django.core.wsgi import get_wsgi_application\n"
        "application = get_wsgi_application()\n",
        "app/upload/models.py": "from django.db import models\n",
        "app/upload/views.py": "from django.core.files.storage import FileSystemStorage\n\n\n"
        "def upload(request):\n    f = request.FILES['image_file']\n"
        "    return FileSystemStorage().save(f.name, f)\n",
        "app/entrypoint.sh": '#!/bin/sh\npython manage.py migrate\nexec "$@"\n',
        "app/Dockerfile": 'FROM python:3.11-slim\nUSER app\nENTRYPOINT ["/entrypoint.sh"]\n',
        "nginx/nginx.conf": "server {\n  listen 80;\n  location / {\n"
        "    proxy_pass http://web:8000;\n  }\n}\n",
    }
    # No model of its own: Django's apps' migrations, applied by manage.py migrate.
    migrations = run_probe("DATA001", app)
    assert migrations.outcome.value == "pass" and "app/entrypoint.sh:2" in migrations.message
    # Django keeps only an upload's base name, and Storage.save() rejects '..'.
    assert run_probe("SEC029", app).outcome.value == "pass"
    # nginx in front refuses bodies over its 1 MB default.
    assert run_probe("SEC014", app).outcome.value == "pass"
    # A model of its own without migrations is the gap.
    models = {
        **app,
        "app/upload/models.py": "from django.db import models\n\n\n"
        "class Image(models.Model):\n    name = models.CharField(max_length=9)\n",
    }
    assert run_probe("DATA001", models).outcome.value == "fail"
