"""What panel final10's false claims taught (request ids from tracing-actix-web, Tornado's
--logging option, dummy URL bases, health routes among assets, placeholder env files), each
case rebuilt small beside the one that must stay as it is."""

from __future__ import annotations

from tests.probes.conftest import RunProbe
from tests.probes.test_testing import EXPRESS, PY

_ACTIX_CARGO = '[package]\nname = "x"\n[dependencies]\nactix-web = "4"\ntracing = "0.1"\n'
_ACTIX_MAIN = (
    "use actix_web::{middleware::Logger, App, HttpServer};\n"
    "{imports}"
    "\n#[actix_web::main]\nasync fn main() -> std::io::Result<()> {\n"
    '    tracing::info!("starting");\n'
    "    HttpServer::new(|| {\n        App::new()\n{wraps}    })\n"
    '    .bind(("0.0.0.0", 8080))?\n    .run()\n    .await\n}\n'
)


def _actix(imports: str, wraps: str, cargo: str = "") -> dict[str, str]:
    main = _ACTIX_MAIN.replace("{imports}", imports).replace("{wraps}", wraps)
    return {"Cargo.toml": _ACTIX_CARGO + cargo, "src/main.rs": main}


def test_tracing_actix_webs_logger_tags_each_request_with_an_id(run_probe: RunProbe) -> None:
    traced = _actix(
        "use tracing_actix_web::TracingLogger;\n",
        "            .wrap(TracingLogger::default())\n",
        'tracing-actix-web = "0.7"\n',
    )
    result = run_probe("OBS008", traced)
    assert result.outcome.value == "pass", result.message
    assert result.evidence[0].location == "src/main.rs:9"
    assert "tracing-actix-web" in result.message and "request_id" in result.message
    # actix-web's own access log names no request: still no correlation id.
    plain = _actix("", "            .wrap(Logger::default())\n")
    assert run_probe("OBS008", plain).outcome.value == "fail"
    # The crate imported but its middleware never mounted tags nothing either.
    unmounted = _actix("use tracing_actix_web::RequestId;\n", "", 'tracing-actix-web = "0.7"\n')
    assert run_probe("OBS008", unmounted).outcome.value == "fail"


_TORNADO = {
    "pyproject.toml": "[project]\nname = 'mon'\ndependencies = ['tornado']\n",
    "mon/app.py": "import logging\n\nimport tornado.ioloop\nimport tornado.web\n\n"
    "logger = logging.getLogger(__name__)\n\n\n"
    "def main():\n    app = tornado.web.Application([])\n    app.listen(5555)\n"
    "    logger.info('listening')\n    tornado.ioloop.IOLoop.current().start()\n\n\n"
    "if __name__ == '__main__':\n    main()\n",
}


def test_tornado_options_give_the_program_a_logging_flag(run_probe: RunProbe) -> None:
    command = (
        "from tornado.options import options, parse_command_line, parse_config_file\n\n"
        "from mon.app import main\n\n\n"
        "def run(argv):\n    parse_command_line(argv)\n"
        "    if options.debug and options.logging == 'info':\n"
        "        options.logging = 'debug'\n    main()\n"
    )
    result = run_probe("CFG006", {**_TORNADO, "mon/command.py": command})
    assert result.outcome.value == "pass", result.message
    assert result.evidence[0].location == "mon/command.py:7"
    assert "--logging" in result.message
    # Tornado without tornado.options: nothing reads a level from outside.
    assert run_probe("CFG006", _TORNADO).outcome.value == "fail"
    # A parser of its own (an OptionParser instance) defines no --logging.
    own = (
        "from tornado.options import OptionParser\n\nfrom mon.app import main\n\n\n"
        "def run(argv):\n    parser = OptionParser()\n    parser.parse_command_line(argv)\n"
        "    main()\n"
    )
    assert run_probe("CFG006", {**_TORNADO, "mon/command.py": own}).outcome.value == "fail"


_NODE = {"package.json": '{"name": "api"}', "src/index.js": EXPRESS}


def test_a_localhost_base_for_resolving_a_path_is_no_endpoint(run_probe: RunProbe) -> None:
    parse = (
        "export function parse(url: string, hostname?: string) {\n"
        "  const base = hostname ? `https://${hostname}` : 'https://localhost';\n"
        "  const current = new URL(url, base);\n"
        "  return current.pathname;\n}\n\n"
        "export const isUrl = (value: string) => {\n"
        "  try {\n    new URL(value, 'https://localhost');\n    return true;\n"
        "  } catch {\n    return false;\n  }\n};\n"
    )
    join = (
        "from urllib.parse import urljoin\n\n\n"
        "def absolute(path):\n    return urljoin('http://localhost', path)\n"
    )
    files = {**_NODE, "src/lib/url.ts": parse, "tools/paths.py": join}
    result = run_probe("CFG005", files)
    assert result.outcome.value == "pass", result.message
    # An address the code calls stays hard-coded, whether fetched outright or as a base.
    called = "export const load = () => fetch('http://localhost:3000/api');\n"
    failed = run_probe("CFG005", {**files, "src/lib/api.ts": called})
    assert failed.outcome.value == "fail" and failed.evidence[0].location == "src/lib/api.ts:1"
    fetched = "export const load = () => fetch(new URL('/api', 'http://localhost:3000'));\n"
    assert run_probe("CFG005", {**files, "src/lib/api.ts": fetched}).outcome.value == "fail"
    # A variable that holds the address and is fetched, not only resolved against.
    shared = (
        "const base = 'http://localhost:3000';\n"
        "export const page = (p: string) => new URL(p, base);\n"
        "export const ping = () => fetch(base + '/ping');\n"
    )
    assert run_probe("CFG005", {**files, "src/lib/api.ts": shared}).outcome.value == "fail"


_GO_SERVER = (
    'package main\n\nimport "net/http"\n\nfunc main() {\n\tmux := http.NewServeMux()\n'
    '\tmux.HandleFunc("GET /api/v1/bookmarks", list)\n{route}'
    '\thttp.ListenAndServe(":8080", mux)\n}\n'
)
_ICON_FONT = (
    '<svg xmlns="http://www.w3.org/2000/svg">\n<defs><font id="fa">\n'
    '<glyph glyph-name="heartbeat" unicode="&#xf21e;" d="M0 0z" />\n</font></defs>\n</svg>\n'
)


def test_health_routes_are_read_from_code_not_from_icon_fonts(run_probe: RunProbe) -> None:
    assets = {
        "go.mod": "module app\n",
        "assets/css/fonts/fa-solid-900.svg": _ICON_FONT,
        "assets/css/site.css": ".heartbeat { content: '/health'; }\n",
    }
    live = {
        **assets,
        "main.go": _GO_SERVER.replace(
            "{route}", '\tmux.HandleFunc("GET /system/liveness", live)\n'
        ),
    }
    result = run_probe("OBS006", live)
    assert result.outcome.value == "pass", result.message
    assert result.evidence[0].location == "main.go:8"
    # A glyph named heartbeat is no route: a service with no health route still fails.
    none = {**assets, "main.go": _GO_SERVER.replace("{route}", "")}
    failed = run_probe("OBS006", none)
    assert failed.outcome.value == "fail", failed.message
    assert all(not e.location.startswith("assets/") for e in failed.evidence)


_SERVICE_ENV = {
    **PY,
    "app.py": "from fastapi import FastAPI\napp = FastAPI()\n",
    "settings.py": "import os\n\nDB_PASSWORD = os.environ['DB_PASSWORD']\n"
    "API_TOKEN = os.environ['API_TOKEN']\nSMTP_HOST = os.environ['SMTP_HOST']\n"
    "ADMIN_EMAIL = os.environ['ADMIN_EMAIL']\n",
}


def test_a_committed_env_file_of_placeholders_documents_the_variables(
    run_probe: RunProbe,
) -> None:
    placeholders = (
        "# Edit before the first run\nDB_PASSWORD=password\nAPI_TOKEN=<your-token>\n"
        'SMTP_HOST=""\nexport ADMIN_EMAIL=changeme\n'
    )
    result = run_probe("CFG004", {**_SERVICE_ENV, ".env": placeholders})
    assert result.outcome.value == "pass", result.message
    assert result.evidence[0].location.startswith(".env:")
    # Variables read but listed nowhere still fail...
    assert run_probe("CFG004", _SERVICE_ENV).outcome.value == "fail"
    # ... and so do values for a local run, which set the variables but describe nothing.
    real = (
        "DB_PASSWORD=Tr0ub4dor&3\nAPI_TOKEN=8f2a91c7d4e5\nSMTP_HOST=mail.internal\n"
        "ADMIN_EMAIL=ops@corp.example\n"
    )
    failed = run_probe("CFG004", {**_SERVICE_ENV, ".env": real})
    assert failed.outcome.value == "fail" and "sets values for local runs" in failed.message
