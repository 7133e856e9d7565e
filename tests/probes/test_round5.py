"""Shapes from held-out round 5 (pipx, chi, postmark.js, whisper, jpetstore, an Express +
routing-controllers boilerplate), each rebuilt small, with the case that must not change."""

from __future__ import annotations

from tests.probes.conftest import RunProbe
from tests.probes.test_testing import PY, TEST, wf


def test_tox_toml_and_make_recipes_that_call_make_are_followed(run_probe: RunProbe) -> None:
    tox = {
        **PY,
        **TEST,
        **wf("tox run -e py312"),
        "tox.toml": 'env_list = ["py312"]\n\n[env_run_base]\ncommands = [\n'
        '  ["pytest", {replace = "posargs", default = ["--cov=app", "tests"], extend = true}],\n'
        "]\n",
    }
    ran = run_probe("TST002", tox)
    assert ran.outcome.value == "pass" and "via tox.toml:5" in ran.message, ran.message
    assert run_probe("TST003", tox).outcome.value == "pass"
    make = {
        **PY,
        **TEST,
        **wf("make test"),
        "Makefile": "test:\n\tgo clean -testcache && $(MAKE) test-unit\n\n"
        "test-unit:\n\tpytest tests\n",
    }
    assert run_probe("TST002", make).outcome.value == "pass"
    nothing = {**make, "Makefile": "test:\n\t$(MAKE) build\n\nbuild:\n\techo hi\n"}
    assert run_probe("TST002", nothing).outcome.value == "fail"


def test_a_sinon_sandbox_stubbing_the_http_client_isolates_it(run_probe: RunProbe) -> None:
    sdk = {
        "package.json": '{"name": "mail-sdk", "main": "dist/index.js",'
        ' "dependencies": {"axios": "^1"}}\n',
        "src/client.ts": "import axios from 'axios';\n"
        "export const http = axios.create({ baseURL: 'https://api.mail.example.com' });\n",
        "test/client.test.ts": "import * as sinon from 'sinon';\n"
        "const sandbox = sinon.createSandbox();\n"
        "it('sends', () => {\n"
        "  sandbox.stub(client.httpClient, 'httpRequest').resolves({});\n});\n",
    }
    assert run_probe("TST011", sdk).outcome.value == "pass"
    other = {
        **sdk,
        "test/client.test.ts": "const sandbox = sinon.createSandbox();\n"
        "it('formats', () => {\n  sandbox.stub(formatter, 'format');\n});\n",
    }
    assert run_probe("TST011", other).outcome.value == "fail"


def test_torch_load_through_a_weights_only_kwargs_dict_is_safe(run_probe: RunProbe) -> None:
    safe = {
        "requirements.txt": "torch\n",
        "load.py": "import torch\n\n\ndef load(fp, device):\n"
        '    kwargs = {"weights_only": True} if torch.__version__ >= "1.13" else {}\n'
        "    return torch.load(fp, map_location=device, **kwargs)\n",
    }
    assert run_probe("SEC004", safe).outcome.value == "pass"
    unsafe = {
        **safe,
        "load.py": "import torch\n\n\ndef load(fp, **kwargs):\n"
        "    return torch.load(fp, **kwargs)\n",
    }
    assert run_probe("SEC004", unsafe).outcome.value == "fail"


def test_ignoring_that_a_file_is_already_gone_is_no_swallowed_error(run_probe: RunProbe) -> None:
    gone = {
        **PY,
        "app.py": "import os\n\n\ndef clean(path):\n    try:\n        os.unlink(path)\n"
        "    except FileNotFoundError:\n        pass\n",
    }
    assert run_probe("ERR002", gone).outcome.value == "pass"
    failed = {**gone, "app.py": gone["app.py"].replace("FileNotFoundError", "OSError")}
    assert run_probe("ERR002", failed).outcome.value == "fail"


def test_tslint_mybatis_caches_and_routing_controllers_cors(run_probe: RunProbe) -> None:
    ts = {
        "package.json": '{"name": "api", "dependencies": {"express": "4", '
        '"routing-controllers": "0.9"}}\n',
        "src/app.ts": "import { useExpressServer } from 'routing-controllers';\n"
        "import express from 'express';\nconst app = express();\n"
        "useExpressServer(app, {\n    cors: true,\n    controllers: [],\n});\n"
        "app.listen(3000);\n",
    }
    assert run_probe("CQ001", {**ts, "tslint.json": "{}\n"}).outcome.value == "pass"
    cors = run_probe("SEC011", ts)
    assert cors.outcome.value == "fail" and cors.evidence[0].location == "src/app.ts:5"
    mapper = (
        '<?xml version="1.0"?>\n<mapper namespace="shop.ProductMapper">\n'
        "  <cache />\n  <select id='get'>SELECT 1</select>\n</mapper>\n"
    )
    shop = {
        "pom.xml": "<project><dependencies><dependency>spring-boot-starter-web</dependency>"
        "</dependencies></project>\n",
        "src/main/java/shop/App.java": "@SpringBootApplication\npublic class App {\n"
        "  public static void main(String[] a) { SpringApplication.run(App.class, a); }\n}\n",
    }
    assert run_probe("PERF002", shop).outcome.value == "fail"
    cached = run_probe("PERF002", {**shop, "src/main/resources/shop/ProductMapper.xml": mapper})
    assert cached.outcome.value == "pass", cached.message


_KV = {
    "Cargo.toml": '[package]\nname = "kv"\n[dependencies]\ntokio = "1"\nclap = "4"\n',
    "src/lib.rs": "pub async fn run(_l: tokio::net::TcpListener) {}\n"
    "pub async fn connect(addr: &str) {\n"
    "    let _s = tokio::net::TcpStream::connect(addr).await;\n}\n",
    "src/bin/server.rs": "use clap::Parser;\nuse tokio::{net::TcpListener, signal};\n\n"
    "#[derive(Parser)]\nstruct Cli {\n    #[clap(long)]\n    port: Option<u16>,\n}\n\n"
    "#[tokio::main]\nasync fn main() {\n    let cli = Cli::parse();\n"
    '    let listener = TcpListener::bind("127.0.0.1:6379").await.unwrap();\n'
    "    tokio::select! { _ = kv::run(listener) => {}, _ = signal::ctrl_c() => {} }\n}\n",
    "tests/client.rs": "use tokio::net::TcpListener;\n\n#[tokio::test]\n"
    "async fn get() {\n"
    '    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();\n'
    "    kv::connect(&listener.local_addr().unwrap().to_string()).await;\n}\n",
}


def test_a_socket_servers_ctrl_c_typed_flags_and_loopback_tests(run_probe: RunProbe) -> None:
    shutdown = run_probe("REL004", _KV)
    assert shutdown.outcome.value == "fail" and shutdown.partial, shutdown.message
    assert "SIGTERM" in shutdown.message
    both = {
        **_KV,
        "src/bin/server.rs": _KV["src/bin/server.rs"].replace(
            "signal::ctrl_c() => {}",
            "signal::ctrl_c() => {}, _ = term() => {}",
        )
        + "async fn term() {\n    signal::unix::signal(signal::unix::SignalKind::terminate())"
        ".unwrap().recv().await;\n}\n",
    }
    assert run_probe("REL004", both).outcome.value == "pass"
    assert run_probe("CFG002", _KV).outcome.value == "pass"
    assert run_probe("TST011", _KV).outcome.value == "pass"


def test_running_from_a_checkout_is_how_a_service_is_installed(run_probe: RunProbe) -> None:
    readme = (
        "# kv\n\n## Running\n\nStart the server:\n\n```\ncargo run --bin kv-server\n```\n\n"
        "Then get a key:\n\n```\ncargo run --bin kv-cli get foo\n```\n"
    )
    files = {**_KV, "README.md": readme}
    assert run_probe("DOC002", files).outcome.value == "pass"
    bare = {**_KV, "README.md": "# kv\n\n## Running\n\nStart it and use it.\n"}
    assert run_probe("DOC002", bare).outcome.value == "fail"


def test_what_maintenance_scripts_write_is_source_not_state(run_probe: RunProbe) -> None:
    app = (
        "import json\nimport os\nfrom pathlib import Path\n\n"
        "STATE = Path.home() / '.app.json'\n\n\n"
        "def load():\n    return json.loads(STATE.read_text())\n\n\n"
        "def save(d):\n    tmp = STATE.with_suffix('.tmp')\n"
        "    tmp.write_text(json.dumps(d))\n    os.replace(tmp, STATE)\n"
    )
    release = {
        **PY,
        "app.py": app,
        "scripts/release.py": "def bump(path):\n    with open(path, 'w') as f:\n"
        "        f.write('## 1.0')\n",
    }
    assert run_probe("REL005", release).outcome.value != "fail"
    shipped = {**release, "app/release.py": release.pop("scripts/release.py")}
    assert run_probe("REL005", shipped).outcome.value == "fail"
