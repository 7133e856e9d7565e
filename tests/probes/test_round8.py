"""What held-out round 8's first measure taught (httpie, opengist, kubectx, dust,
express-rest-boilerplate, multer, gson, denoising-diffusion-pytorch), each case rebuilt small
beside the one that must stay as it is."""

from __future__ import annotations

from pathlib import Path

from evals.probe_corpus import probe_snapshot, write_files
from pipeline.probes.engine import run_probes
from tests.probes.conftest import RunProbe

_GO = {"go.mod": "module x\n"}


def _profile(tmp_path: Path, files: dict[str, str]) -> tuple[list[str], dict[str, bool]]:
    write_files(tmp_path, files)
    result = run_probes(probe_snapshot(tmp_path, None), select=["DOC001"])
    return result.profile.kinds, result.profile.conditions


def test_a_commands_loopback_helper_server_is_no_service(tmp_path: Path) -> None:
    proxy = (
        'package proxy\n\nimport (\n\t"net"\n\t"net/http"\n)\n\n'
        "func Start(h http.Handler) (net.Listener, error) {\n"
        '\tl, err := net.Listen("tcp", "127.0.0.1:0")\n\tif err != nil {\n\t\treturn nil, err\n'
        "\t}\n\tsrv := &http.Server{Handler: h}\n\tgo srv.Serve(l)\n\treturn l, nil\n}\n"
    )
    main = 'package main\n\nimport "os"\n\nfunc main() {\n\t_ = os.Args\n}\n'
    files = {**_GO, "cmd/kubectx/main.go": main, "internal/proxy/proxy.go": proxy}
    kinds, _ = _profile(tmp_path / "helper", files)
    assert "web_service" not in kinds and "cli" in kinds
    listening = {**files, "internal/proxy/proxy.go": proxy.replace("127.0.0.1:0", ":8080")}
    kinds, _ = _profile(tmp_path / "served", listening)
    assert "web_service" in kinds


def test_client_go_calls_the_kubernetes_api(tmp_path: Path) -> None:
    ns = (
        'package main\n\nimport (\n\t"context"\n\n\tmetav1 "k8s.io/apimachinery/pkg/apis/meta/v1"\n'
        '\t"k8s.io/client-go/kubernetes"\n)\n\n'
        "func list(c *kubernetes.Clientset) {\n"
        "\tc.CoreV1().Namespaces().List(context.Background(), metav1.ListOptions{})\n}\n\n"
        "func main() {}\n"
    )
    _, conditions = _profile(tmp_path, {**_GO, "cmd/kubens/main.go": ns})
    assert conditions["outbound"]


def test_echo_cors_without_allowed_origins_allows_every_origin(run_probe: RunProbe) -> None:
    server = (
        'package main\n\nimport (\n\t"github.com/labstack/echo/v4"\n'
        '\t"github.com/labstack/echo/v4/middleware"\n)\n\n'
        "func main() {\n\te := echo.New()\n"
        "\te.Pre(middleware.CORSWithConfig(middleware.CORSConfig{\n"
        '\t\tExposeHeaders: []string{"Link"},\n\t}))\n'
        '\te.Start(":8080")\n}\n'
    )
    files = {**_GO, "server/server.go": server}
    assert run_probe("SEC011", files).outcome.value == "fail"
    listed = server.replace(
        '\t\tExposeHeaders: []string{"Link"},\n',
        '\t\tAllowOrigins: []string{"https://x.example"},\n',
    )
    assert run_probe("SEC011", {**files, "server/server.go": listed}).outcome.value == "pass"


def test_go_fmt_and_a_config_check_function(run_probe: RunProbe) -> None:
    flow = "on: [push]\njobs:\n  t:\n    runs-on: x\n    steps:\n      - run: make fmt\n"
    files = {
        **_GO,
        "main.go": "package main\n\nfunc main() {}\n",
        "Makefile": "fmt:\n\t@go fmt ./...\n",
        ".github/workflows/go.yml": flow,
    }
    assert run_probe("CQ005", files).outcome.value == "pass"
    config = (
        'package config\n\nimport (\n\t"fmt"\n\t"os"\n)\n\ntype config struct{ Mode string }\n\n'
        'func load() *config {\n\treturn &config{Mode: os.Getenv("OG_MODE")}\n}\n\n'
        "func checks(c *config) error {\n"
        '\tif c.Mode != "a" {\n\t\treturn fmt.Errorf("invalid mode %q", c.Mode)\n\t}\n'
        "\treturn nil\n}\n"
    )
    served = {
        **_GO,
        "internal/config/config.go": config,
        "main.go": 'package main\n\nimport "net/http"\n\nfunc main() {\n'
        '\thttp.ListenAndServe(":80", nil)\n}\n',
    }
    assert run_probe("CFG002", served).outcome.value == "pass"
    unchecked = config.replace("func checks(c *config) error", "func show(c *config) error")
    assert run_probe(
        "CFG002", {**served, "internal/config/config.go": unchecked}
    ).outcome.value == ("fail")


def test_a_stubbed_auth_provider_stands_in_for_the_remote(run_probe: RunProbe) -> None:
    product = (
        "const axios = require('axios');\n"
        "exports.facebook = async (t) => (await axios.get('https://graph.facebook.com/me')).data;\n"
    )
    test = (
        "const sinon = require('sinon');\nconst authProviders = require('../providers');\n"
        "const sandbox = sinon.createSandbox();\n"
        "describe('auth', () => {\n  it('logs in', () => {\n"
        "    sandbox.stub(authProviders, 'facebook').callsFake(async () => ({}));\n  });\n});\n"
    )
    files = {"package.json": '{"name": "x"}\n', "src/providers.js": product}
    files["src/tests/auth.test.js"] = test
    assert run_probe("TST011", files).outcome.value == "pass"
    plain = test.replace("sandbox.stub(authProviders, 'facebook')", "sandbox.stub(Math, 'random')")
    assert run_probe("TST011", {**files, "src/tests/auth.test.js": plain}).outcome.value == "fail"


def test_sentinels_and_prototype_errors_are_error_types(run_probe: RunProbe) -> None:
    sentinel = 'package kube\n\nimport "errors"\n\nvar errNoFiles = errors.New("no files")\n'
    assert run_probe("ERR008", {**_GO, "kube/kube.go": sentinel}).outcome.value == "pass"
    wrapped = 'package kube\n\nimport "fmt"\n\nfunc f(err error) error {\n'
    wrapped += '\treturn fmt.Errorf("load: %w", err)\n}\n'
    assert run_probe("ERR008", {**_GO, "kube/kube.go": wrapped}).outcome.value == "fail"
    js = (
        "var util = require('util')\n\nfunction UploadError (code) {\n"
        "  Error.captureStackTrace(this, this.constructor)\n  this.code = code\n}\n\n"
        "util.inherits(UploadError, Error)\n\nmodule.exports = UploadError\n"
    )
    files = {"package.json": '{"name": "up", "main": "index.js"}\n', "lib/error.js": js}
    assert run_probe("ERR008", files).outcome.value == "pass"


def test_error_prone_managed_by_a_parent_pom_lints_every_compile(run_probe: RunProbe) -> None:
    pom = (
        "<project><build><pluginManagement><plugins><plugin>"
        "<artifactId>maven-compiler-plugin</artifactId><configuration><annotationProcessorPaths>"
        "<path><groupId>com.google.errorprone</groupId><artifactId>error_prone_core</artifactId>"
        "</path></annotationProcessorPaths></configuration></plugin></plugins></pluginManagement>"
        "</build></project>\n"
    )
    lib = "package x;\n\npublic class Json {\n  public int one() { return 1; }\n}\n"
    files = {"pom.xml": pom, "src/main/java/x/Json.java": lib}
    result = run_probe("CQ001", files)
    assert result.outcome.value == "pass" and "error-prone" in result.message
    bare = pom.replace("error_prone_core", "lombok").replace("com.google.errorprone", "lombok")
    assert run_probe("CQ001", {**files, "pom.xml": bare}).outcome.value == "fail"


def test_a_project_named_design_document(run_probe: RunProbe) -> None:
    design = "# Gson Design Document\n\n" + "How deserialisation walks the tree. " * 30 + "\n"
    lib = {"pom.xml": "<project/>\n", "src/main/java/x/A.java": "package x;\nclass A {}\n"}
    assert run_probe("DOC006", {**lib, "GsonDesignDocument.md": design}).outcome.value == "pass"
    assert run_probe("DOC006", {**lib, "docs/redesign.md": design}).outcome.value == "fail"


# From panel final9 (claims checked by second readers at ff999e4).


def test_a_program_with_no_configuration_has_nothing_to_validate(run_probe: RunProbe) -> None:
    main = 'package main\n\nimport "fmt"\n\nconst api = "https://api.example.com"\n\n'
    main += "func main() {\n\tfmt.Println(api)\n}\n"
    result = run_probe("CFG002", {**_GO, "main.go": main})
    assert result.outcome.value == "fail" and "nothing to validate" in result.advisory
    read = main.replace("fmt.Println(api)", 'fmt.Println(os.Getenv("API_URL"))')
    read = read.replace('import "fmt"', 'import (\n\t"fmt"\n\t"os"\n)')
    assert run_probe("CFG002", {**_GO, "main.go": read}).advisory == ""


def test_a_broad_handler_that_answers_a_test_or_leaves_a_sentinel(run_probe: RunProbe) -> None:
    from tests.probes.test_testing import PY

    code = (
        "import base64\n\n\ndef valid(sig):\n    try:\n        base64.b64decode(sig)\n"
        "    except Exception:\n        return False\n    return True\n\n\n"
        "def stamp(raw):\n    ts = None\n    try:\n        ts = int(raw)\n"
        "    except Exception:\n        pass\n    if ts is None:\n        raise ValueError(raw)\n"
        "    return ts\n"
    )
    # The fact stands (a broad catch, which readers label); no gap is claimed from it.
    answered = run_probe("ERR009", {**PY, "app.py": code})
    assert answered.outcome.value == "fail" and "deliberate answer" in answered.advisory
    lost = "\n\ndef save(db, row):\n    try:\n        db.insert(row)\n        db.commit()\n"
    lost += "        db.close()\n    except Exception:\n        return None\n"
    kept = run_probe("ERR009", {**PY, "app.py": code + lost})
    assert kept.outcome.value == "fail" and kept.advisory == ""


def test_a_development_compose_file_deploys_nothing(run_probe: RunProbe) -> None:
    from tests.probes.test_testing import PY

    compose = "services:\n  db:\n    image: postgres:latest\n"
    assert run_probe("DEP010", {**PY, "docker-compose.yml": compose}).outcome.value == "fail"
    dev = "# Docker compose for development purposes only.\n" + compose
    result = run_probe("DEP010", {**PY, "docker-compose.yml": dev})
    assert result.outcome.value == "not_applicable" and "development" in result.message
    served = (
        compose + "  web:\n    build: .\n    command: python manage.py runserver 0.0.0.0:8000\n"
    )
    assert run_probe("DEP010", {**PY, "docker-compose.yml": served}).outcome.value == (
        "not_applicable"
    )


def test_no_cache_is_a_fact_but_no_gap_without_a_hot_path(run_probe: RunProbe) -> None:
    from tests.probes.test_testing import API

    result = run_probe("PERF002", API)
    assert result.outcome.value == "fail" and "depends on load" in result.advisory


def test_test_fixtures_need_not_parse_and_an_image_is_a_build(run_probe: RunProbe) -> None:
    from tests.probes.test_testing import PY

    broken = {**PY, "tests/keys/jwk_empty.json": "", "tests/fixtures/x.json": "{ __host__ }"}
    assert run_probe("CFG007", broken).outcome.value == "pass"
    assert run_probe("CFG007", {**PY, "config/app.json": "{ broken"}).outcome.value == "fail"
    app = {
        "requirements.txt": "flask==3.0\n",
        "app.py": "from flask import Flask\napp = Flask(__name__)\n",
        "Procfile": "web: gunicorn app:app\n",
    }
    bare = run_probe("DEP008", app)
    assert bare.outcome.value == "fail" and bare.advisory == ""
    docker = "FROM python:3.12-slim\nCOPY . /app\nRUN pip install -r requirements.txt\n"
    imaged = run_probe("DEP008", {**app, "Dockerfile": docker})
    assert imaged.outcome.value == "fail" and "Dockerfile:3" in imaged.advisory


# From a user read of eddycjy/go-gin-example (a Go gin API nobody here wrote).


def test_a_local_databases_readable_password_jwt_go_and_recovered_panics(
    run_probe: RunProbe,
) -> None:
    from tests.probes.test_testing import PY

    ini = "[database]\nType = mysql\nUser = root\nPassword = rootroot\nHost = 127.0.0.1:3306\n"
    local = run_probe("SEC001", {**PY, "conf/app.ini": ini})
    assert local.outcome.value == "pass" and "local machine" in local.message
    remote = ini.replace("127.0.0.1:3306", "db.prod.example.com:3306")
    assert run_probe("SEC001", {**PY, "conf/app.ini": remote}).outcome.value == "fail"
    handler = (
        'package jwt\n\nimport (\n\t"github.com/dgrijalva/jwt-go"\n'
        '\t"github.com/gin-gonic/gin"\n)\n\n'
        "func JWT() gin.HandlerFunc {\n\treturn func(c *gin.Context) {\n"
        '\t\t_, err := jwt.Parse(c.Query("token"), nil)\n'
        "\t\tif err != nil {\n\t\t\t_ = err.(*jwt.ValidationError).Errors\n\t\t}\n\t}\n}\n"
    )
    main = (
        'package main\n\nimport (\n\t"net/http"\n\n\t"github.com/gin-gonic/gin"\n)\n\n'
        "func main() {\n\tr := gin.New()\n\tr.Use(gin.Recovery())\n"
        '\thttp.ListenAndServe(":8000", r)\n}\n'
    )
    files = {**_GO, "middleware/jwt/jwt.go": handler, "main.go": main}
    assert run_probe("SEC012", files).outcome.value == "pass"
    recovered = run_probe("ERR006", files)
    assert recovered.outcome.value == "fail" and recovered.severity.value == "low"
    bare = {**files, "main.go": main.replace("\tr.Use(gin.Recovery())\n", "")}
    assert run_probe("ERR006", bare).severity.value == "medium"
