"""What panel final10's false security claims taught (a dependency version read as a secret,
wildcard CORS without credentials, a command-line tool's opt-in TLS switch, a package's
ranges, git requirements), each case rebuilt small beside the one that must stay as it is."""

from __future__ import annotations

from pathlib import Path

from pipeline.secrets import find_secrets
from tests.probes.conftest import RunProbe, as_reported
from tests.probes.test_testing import PY

_GO = {"go.mod": "module x\n\nrequire github.com/labstack/echo/v4 v4.11.0\n"}
_TOKEN = "q8Zr3LmX9vKp2Tn7Wb4Yc6Hd"  # random-looking, 24 characters


_adjusted = as_reported


def test_a_dependency_version_is_never_a_secret() -> None:
    manifest = (
        '{\n  "name": "frontend",\n  "dependencies": {\n'
        '    "@nuxtjs/auth-next": "5.0.0-1667386184.dfbbb54",\n'
        '    "passport-token": "^4.0.1-beta.3+build.2022",\n'
        '    "auth-lib": "github:acme/auth-lib#9fK2mQ7xZ3vLp8Rt",\n'
        "  },\n"
        f'  "config": {{"authToken": "{_TOKEN}"}}\n}}\n'
    )
    found = find_secrets(manifest, "frontend/package.json")
    # Only the random token under a secret's name counts, not a package's version.
    assert [(m.line, m.kind) for m in found] == [(8, "high_entropy_secret")]
    # A version is no secret outside a dependency table either, under any name.
    assert find_secrets('{"auth-next": "5.0.0-1667386184.dfbbb54"}\n', "versions.json") == []
    assert find_secrets('AUTH_VERSION = "v2.14.0rc1+cu118.dev3"\n', "app.py") == []
    assert [m.kind for m in find_secrets(f'{{"auth-next": "{_TOKEN}"}}\n', "x.json")] == [
        "high_entropy_secret"
    ]


def test_wildcard_cors_without_credentials_exposes_only_public_data(
    run_probe: RunProbe,
) -> None:
    echo = (
        'package main\n\nimport (\n\t"github.com/labstack/echo/v4"\n'
        '\t"github.com/labstack/echo/v4/middleware"\n)\n\n'
        "func main() {\n\te := echo.New()\n"
        "\te.Use(middleware.CORSWithConfig(middleware.CORSConfig{\n"
        '\t\tExposeHeaders: []string{"Link"},\n\t}))\n\te.Start(":8080")\n}\n'
    )
    go = run_probe("SEC011", {**_GO, "main.go": echo})
    assert go.outcome.value == "fail" and go.severity.value == "low", go
    assert "no setting allows credentials" in go.severity_note
    fastapi = (
        "from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\n\n"
        'app = FastAPI()\napp.add_middleware(CORSMiddleware, allow_origins=["*"])\n'
    )
    public = run_probe("SEC011", {**PY, "app.py": fastapi})
    assert public.outcome.value == "fail" and public.severity.value == "low", public
    # Starlette mirrors the caller's origin when credentials are allowed: any site can then
    # act with the user's cookies. That stays.
    mirrored = fastapi.replace('["*"])', '["*"], allow_credentials=True)')
    kept = run_probe("SEC011", {**PY, "app.py": mirrored})
    assert kept.outcome.value == "fail" and kept.severity.value == "medium", kept
    assert kept.severity_note == ""
    # The `cors` package behind Socket.IO answers with a literal `*`, which browsers refuse
    # to pair with credentials, even when `credentials: true` is set.
    socket = (
        "import express from 'express';\nimport { Server } from 'socket.io';\n"
        "const app = express();\nconst server = app.listen(3000);\n"
        'new Server(server, { cors: { origin: process.env.CORS_ORIGIN || "*", '
        "credentials: true } });\n"
    )
    js = run_probe("SEC011", {"package.json": '{"name": "x"}\n', "src/index.ts": socket})
    assert js.outcome.value == "fail" and js.severity.value == "low", js
    assert "literal" in js.severity_note


_TLS_OPTION = (
    "import os\nimport ssl\nimport urllib.request\n\n\n"
    "def fetch(url):\n    context = ssl.create_default_context()\n"
    '    if os.environ.get("TOOL_INSECURE"):\n'
    "        context.check_hostname = False\n        context.verify_mode = ssl.CERT_NONE\n"
    "    return urllib.request.urlopen(url, context=context, timeout=10).read()\n"
)


def test_a_command_line_tools_opt_in_tls_switch_is_no_gap(tmp_path: Path) -> None:
    tool = {
        "pyproject.toml": (
            '[build-system]\nrequires = ["setuptools"]\n\n[project]\nname = "tool"\n'
            'dependencies = []\n\n[project.scripts]\ntool = "tool:main"\n'
        ),
        "tool.py": _TLS_OPTION
        + "\n\ndef main():\n    import argparse\n    argparse.ArgumentParser().parse_args()\n"
        + "    print(fetch('https://example.com'))\n",
    }
    cli = _adjusted(tmp_path / "cli", "SEC026", tool)
    assert cli.outcome.value == "fail" and "command-line tool" in cli.advisory, cli
    service = {
        **PY,
        "app.py": _TLS_OPTION
        + "\n\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\n\n"
        + '@app.get("/")\ndef root():\n    return fetch("https://example.com")\n',
    }
    web = _adjusted(tmp_path / "web", "SEC026", service)
    assert web.outcome.value == "fail" and web.advisory == "", web


_PACKAGE = (
    '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n'
    '[project]\nname = "speech"\ndependencies = ["numpy", "torch", "tqdm"]\n\n'
    '[project.scripts]\nspeech = "speech.cli:main"\n'
)


def test_a_packages_unpinned_requirements_are_advisory(run_probe: RunProbe) -> None:
    cli = (
        "import argparse\n\n\ndef main():\n    argparse.ArgumentParser().parse_args()\n"
        "    import numpy\n    print(numpy.zeros(1))\n"
    )
    package = {
        "pyproject.toml": _PACKAGE,
        "requirements.txt": "numpy\ntorch\ntqdm\n",
        "speech/__init__.py": "",
        "speech/cli.py": cli,
    }
    installed = run_probe("SEC021", package)
    assert installed.outcome.value == "fail" and "users install" in installed.advisory
    # An application deployed from its requirements file: what it runs floats.
    app = (
        "from flask import Flask\n\napp = Flask(__name__)\n\n\n"
        '@app.route("/")\ndef index():\n    return "ok"\n'
    )
    service = {"requirements.txt": "flask\ngunicorn\nrequests\n", "app.py": app}
    deployed = run_probe("SEC021", service)
    assert deployed.outcome.value == "fail" and deployed.advisory == "", deployed


def test_git_and_archive_requirements_float(run_probe: RunProbe) -> None:
    ranges = "torch>=1.5.0\nscipy\ntorchvision>=0.6.0\n"
    script = {"main.py": "import torch\n\nprint(torch.zeros(1))\n"}
    plain = run_probe("SEC022", {**script, "requirements.txt": ranges})
    assert plain.outcome.value == "pass", plain.message
    git = (
        "cython\ngit+https://github.com/cocodataset/cocoapi.git"
        "#subdirectory=PythonAPI&egg=pycocotools\n" + ranges
    )
    floating = run_probe("SEC022", {**script, "requirements.txt": git})
    assert floating.outcome.value == "fail" and "pycocotools" in floating.message
    assert floating.evidence[0].location == "requirements.txt:2"
    for line in (
        "panopticapi @ git+https://github.com/cocodataset/panopticapi.git\n",
        "https://github.com/acme/tool/archive/refs/heads/main.zip\n",
        "-e git+ssh://git@github.com/acme/lib.git#egg=lib\n",
    ):
        result = run_probe("SEC022", {**script, "requirements.txt": ranges + line})
        assert result.outcome.value == "fail", (line, result.message)
        assert result.evidence[0].location == "requirements.txt:4", line
