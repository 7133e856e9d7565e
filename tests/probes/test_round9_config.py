"""What held-out round 9 taught the configuration and tracing probes (axum-realworld, kubectx,
tut-rest, curlie, gotify-server), each case rebuilt small beside the one that must stay."""

from __future__ import annotations

from tests.probes.conftest import RunProbe

_AXUM = {
    "Cargo.toml": "[package]\nname = 's'\n[dependencies]\naxum = '0.7'\nlog = '0.4'\n"
    "env_logger = '0.11'\ntracing-subscriber = '0.3'\n",
}


def _axum(setup: str) -> dict[str, str]:
    main = (
        "use log::info;\n\n#[tokio::main]\nasync fn main() {\n"
        f'    {setup}\n    info!("starting");\n'
        "    axum::serve(listener, app).await.unwrap();\n}\n"
    )
    return {**_AXUM, "src/main.rs": main}


def test_a_logger_that_reads_its_level_from_the_environment(run_probe: RunProbe) -> None:
    for setup in (
        "env_logger::init();",
        "env_logger::Builder::from_default_env().init();",
        "pretty_env_logger::init();",
        "tracing_subscriber::fmt().with_env_filter(EnvFilter::from_default_env()).init();",
    ):
        result = run_probe("CFG006", _axum(setup))
        assert result.outcome.value == "pass", (setup, result.message)
        assert result.evidence[0].location == "src/main.rs:5"
    fixed = _axum("env_logger::Builder::new().filter_level(LevelFilter::Info).init();")
    result = run_probe("CFG006", fixed)
    assert result.outcome.value == "fail" and "fixed in code" in result.message
    # Go: a level parsed from text comes from a flag or a setting.
    go = {
        "go.mod": "module x\n",
        "main.go": 'package main\n\nimport (\n\t"net/http"\n\n\t"github.com/sirupsen/logrus"\n)\n\n'
        "func main() {\n\tlevel, _ := logrus.ParseLevel(*levelFlag)\n\tlogrus.SetLevel(level)\n"
        '\thttp.ListenAndServe(":80", nil)\n}\n',
    }
    assert run_probe("CFG006", go).outcome.value == "pass"
    fixed_go = {
        **go,
        "main.go": go["main.go"].replace(
            "level, _ := logrus.ParseLevel(*levelFlag)\n\tlogrus.SetLevel(level)",
            "logrus.SetLevel(logrus.InfoLevel)",
        ),
    }
    assert run_probe("CFG006", fixed_go).outcome.value == "fail"
    # Python: a logging file loaded at startup, but not Alembic's own logging in env.py.
    flask = {
        "app.py": "import logging.config\n\nfrom flask import Flask\n\napp = Flask(__name__)\n"
        "logging.config.fileConfig('logging.ini')\nlogging.getLogger(__name__).info('up')\n",
    }
    assert run_probe("CFG006", flask).outcome.value == "pass"
    alembic = {
        "app.py": flask["app.py"].replace("logging.config.fileConfig('logging.ini')\n", ""),
        "migrations/env.py": "from logging.config import fileConfig\n\n"
        "fileConfig(config.config_file_name)\n",
    }
    assert run_probe("CFG006", alembic).outcome.value == "fail"


_GO = {"go.mod": "module x\n"}
_ENV_NAMES = 'package env\n\nconst (\n\tEnvDebug = `DEBUG`\n\tEnvIgnoreFZF = "TOOL_IGNORE_FZF"\n)\n'
_TOOL = (
    'package main\n\nimport (\n\t"os"\n\t"os/exec"\n\n\t"x/internal/env"\n)\n\n'
    "func kubectl() string {\n"
    '\tif v := os.Getenv("KUBECTL"); v != "" {\n\t\treturn v\n\t}\n'
    '\tpath, _ := exec.LookPath("kubectl")\n\treturn path\n}\n\n'
    "func config() string {\n"
    '\tif v := os.Getenv("KUBECONFIG"); v != "" {\n\t\treturn v\n\t}\n'
    '\treturn os.Getenv("HOME") + "/.kube/config"\n}\n\n'
    "func interactive() bool {\n\tv := os.Getenv(env.EnvIgnoreFZF)\n"
    '\treturn v == "" && os.Getenv("NO_COLOR") == ""\n}\n\n'
    "func main() {\n\tif _, ok := os.LookupEnv(env.EnvDebug); ok {\n\t\tprintln(kubectl())\n\t}\n"
    '\tif os.Getenv("_MOCK_NAMESPACES") != "" {\n\t\treturn\n\t}\n\t_ = config()\n'
    "\t_ = interactive()\n\t_ = os.Args\n}\n"
)


def test_switches_and_the_users_environment_are_no_settings_to_validate(
    run_probe: RunProbe,
) -> None:
    files = {**_GO, "internal/env/env.go": _ENV_NAMES, "cmd/tool/main.go": _TOOL}
    result = run_probe("CFG002", files)
    assert result.outcome.value == "not_applicable", result.message
    assert "no settings of its own" in result.message
    assert "DEBUG is an on/off switch" in result.message
    # The program's own value, used where it is read: still an ad hoc, unvalidated read.
    owned = _TOOL.replace('os.Getenv("KUBECTL")', 'os.Getenv("TOOL_CLUSTER")')
    result = run_probe("CFG002", {**files, "cmd/tool/main.go": owned})
    assert result.outcome.value == "fail" and "ad hoc environment read" in result.message


def test_a_service_reading_its_settings_ad_hoc_still_fails(run_probe: RunProbe) -> None:
    server = (
        'package main\n\nimport (\n\t"database/sql"\n\t"net/http"\n\t"os"\n)\n\n'
        'func main() {\n\tdb, _ := sql.Open("postgres", os.Getenv("DATABASE_URL"))\n'
        '\t_ = db\n\tport := os.Getenv("PORT")\n\thttp.ListenAndServe(":"+port, nil)\n}\n'
    )
    result = run_probe("CFG002", {**_GO, "main.go": server})
    assert result.outcome.value == "fail" and "2 ad hoc environment reads" in result.message
    # The same service reading only DEBUG as a switch has nothing to validate.
    switch = (
        'package main\n\nimport (\n\t"net/http"\n\t"os"\n)\n\n'
        'func main() {\n\tif os.Getenv("DEBUG") == "1" {\n\t\tprintln("debug")\n\t}\n'
        '\thttp.ListenAndServe(":8080", nil)\n}\n'
    )
    assert run_probe("CFG002", {**_GO, "main.go": switch}).outcome.value == "not_applicable"


_SPRING = {
    "pom.xml": "<project><artifactId>spring-boot-starter-web</artifactId></project>\n",
    "src/main/java/a/App.java": "package a;\n\nimport org.springframework.boot.SpringApplication;\n"
    "import org.springframework.web.bind.annotation.RestController;\n\n@RestController\n"
    "public class App {\n  public static void main(String[] a) {\n"
    "    SpringApplication.run(App.class, a);\n  }\n}\n",
}


def test_a_framework_that_could_load_settings_is_not_a_settings_read(
    run_probe: RunProbe,
) -> None:
    for probe in ("CFG002", "CFG004"):
        result = run_probe(probe, _SPRING)
        assert result.outcome.value == "not_applicable", (probe, result.message)
        assert "Spring Boot could load them" in result.message
    # Settings given to the framework in application.properties: read, and not validated.
    given = {
        **_SPRING,
        "src/main/resources/application.properties": "spring.datasource.url=jdbc:h2:mem:x\n",
    }
    for probe in ("CFG002", "CFG004"):
        assert run_probe(probe, given).outcome.value == "fail", probe


def test_nothing_read_is_nothing_to_document(run_probe: RunProbe) -> None:
    main = 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hi")\n}\n'
    result = run_probe("CFG004", {**_GO, "main.go": main})
    assert result.outcome.value == "fail" and "nothing to document" in result.advisory
    # A program that reads a setting and documents none: a gap.
    read = (
        'package main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\n'
        'func main() {\n\tfmt.Println(os.Getenv("GREETING_TEXT"))\n}\n'
    )
    result = run_probe("CFG004", {**_GO, "main.go": read})
    assert result.outcome.value == "fail" and not result.advisory
    assert "GREETING_TEXT" in result.message


_SERVER = (
    'package main\n\nimport (\n\t"database/sql"\n\t"net/http"\n)\n\n'
    'func main() {\n\tdb, _ := sql.Open("sqlite3", "data.db")\n\t_ = db\n'
    '\thttp.ListenAndServe(":8080", nil)\n}\n'
)
_CERTIFICATE = (
    'package main\n\nimport (\n\t"net/http"\n\t"time"\n\n\t"golang.org/x/crypto/acme"\n'
    '\t"golang.org/x/crypto/acme/autocert"\n)\n\n'
    "func certificates() *autocert.Manager {\n\tclient := &http.Client{\n"
    "\t\tTimeout: 60 * time.Second,\n\t}\n"
    "\treturn &autocert.Manager{Client: &acme.Client{HTTPClient: client}}\n}\n"
)
_UI = {
    "ui/package.json": '{"dependencies": {"react": "18", "axios": "1"}}\n',
    "ui/src/api.ts": "import axios from 'axios'\n\n"
    "export const list = () => axios.get('/message')\n",
}


def test_a_single_process_server_has_no_request_path_to_trace(run_probe: RunProbe) -> None:
    files = {**_GO, "main.go": _SERVER, "tls.go": _CERTIFICATE, **_UI}
    result = run_probe("OBS005", files)
    assert result.outcome.value == "fail" and "calls no other service" in result.advisory
    # The server calling another HTTP service on its request path: a gap.
    calls = (
        'package main\n\nimport "net/http"\n\n'
        "func price(w http.ResponseWriter, r *http.Request) {\n"
        '\tresp, err := http.Get("http://pricing:8080/quote")\n'
        "\tif err == nil {\n\t\tresp.Body.Close()\n\t}\n}\n"
        # Registered, so it runs (a function nothing names is dead code: see REL001).
        'func init() { http.HandleFunc("/price", price) }\n'
    )
    result = run_probe("OBS005", {**files, "price.go": calls})
    assert result.outcome.value == "fail" and not result.advisory
