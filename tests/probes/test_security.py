"""Security probes: masked secrets, unsafe calls read from the AST, supply chain, web hygiene."""

from __future__ import annotations

import json

from evals.probe_corpus import probe_snapshot, write_files
from pipeline.probes.engine import run_probes
from pipeline.schemas import Outcome, Severity
from tests.probes.conftest import RunProbe, cases, check_case
from tests.probes.test_testing import EXPRESS, GO_API, PY, wf

KEY = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A"
API = {**PY, "app.py": "from fastapi import FastAPI\napp = FastAPI()\n"}


def notebook(cell_type: str) -> str:
    """A notebook with one cell that loads a checkpoint (the call on line 6)."""
    cell = {"cell_type": cell_type, "source": ['sd = torch.load("model.pth")\n']}
    return json.dumps({"cells": [cell]}, indent=1) + "\n"


def cors_from_settings(default: str) -> dict[str, str]:
    """A FastAPI app whose CORS origins come from a settings field with ``default``."""
    return {
        "settings.py": f"class Settings:\n    allowed_hosts: list[str] = {default}\n",
        "main.py": "from settings import Settings\nsettings = Settings()\n"
        "app.add_middleware(CORSMiddleware, allow_origins=settings.allowed_hosts)\n",
    }


def django_settings(production_key: str, debug: str = "False") -> dict[str, str]:
    """Base settings with a development key and DEBUG on; production settings replace them."""
    return {
        **PY,
        "config/django/base.py": "from config.env import env\n"
        'SECRET_KEY = "=ug_ucl@yi6^mrcjyz%(u0%&g2adt#bz3"\n'
        'DEBUG = env.bool("DJANGO_DEBUG", default=True)\n',
        "config/django/production.py": "from config.env import env\nfrom .base import *\n"
        f'DEBUG = env.bool("DJANGO_DEBUG", default={debug})\n'
        f"SECRET_KEY = {production_key}\n",
    }


def express_limiter(mount: str) -> dict[str, str]:
    return {
        "package.json": '{"dependencies": {"express": "4", "express-rate-limit": "7"}}',
        "app.js": "const express = require('express');\n"
        "const rateLimit = require('express-rate-limit');\n"
        "const app = express();\n"
        "const authLimiter = rateLimit({ max: 20 });\n"
        f"{mount}\n"
        "app.use('/v1', routes);\n"
        "app.listen(3000);\n",
    }


# A Python package with a console script beside it (and the version read from the code).
DOTENV_LIKE = (
    '[build-system]\nrequires = ["setuptools"]\n[project]\nname = "python-dotenv"\n'
    '[project.scripts]\ndotenv = "dotenv.__main__:cli"\n'
)
SLOWAPI = (
    "from slowapi import Limiter\nlimiter = Limiter({})\n"
    "@limiter.limit('5/minute')\nasync def login():\n    pass\n"
)
NEXT = {
    "package.json": '{"scripts": {"start": "next start"}, "dependencies": {"next": "14"}}',
    "app/page.tsx": "import Link from 'next/link'\nexport default function P() { return null }\n",
}
PLACEHOLDER_KEY = 'export const T = () => <input placeholder={`{"X-api-key": "1"}`} />\n'
AUTHED = (
    "import { getServerSession } from 'next-auth/next'\nimport { db } from '@/lib/db'\n"
    "export async function GET() {\n  const session = await getServerSession()\n"
    "  return Response.json(await db.user.findMany())\n}\n"
)
OPEN = (
    "import { db } from '@/lib/db'\n"
    "export async function POST(req: Request) {\n"
    "  return Response.json(await db.user.findFirst())\n}\n"
)
DENIES = (
    "import { db } from '@/lib/db'\nexport async function GET(req: Request) {\n"
    "  if (!(await readToken(req))) return new Response(null, { status: 401 })\n"
    "  return Response.json(await db.user.findFirst())\n}\n"
)
PARSED = (
    "import {{ db }} from '@/lib/db'\nimport {{ parseRequest }} from '@/lib/request'\n"
    "export async function GET(request: Request) {{\n"
    "  const {{ auth }} = await parseRequest(request{options})\n"
    "  return Response.json(await db.team.findMany())\n}}\n"
)
STATIC = "export async function GET() {\n  return new Response('image')\n}\n"
DRF = {
    "requirements.txt": "django\ndjangorestframework\n",
    "config/asgi.py": "from django.core.asgi import get_asgi_application\n"
    "application = get_asgi_application()\n",
    "settings.py": "INSTALLED_APPS = ['django.contrib.auth', 'rest_framework']\n",
    "Procfile": "web: gunicorn config.asgi\n",
}
DRF_VIEWS = (
    "from rest_framework.views import APIView\n"
    "from rest_framework.permissions import IsAuthenticated\n"
    "class AuthMixin:\n    permission_classes = (IsAuthenticated,)\n"
    "class FilesApi(AuthMixin, APIView):\n    def post(self, request):\n        pass\n"
    "class UserListApi{guard}:\n    def get(self, request):\n        pass\n"
)


def next_route(name: str, body: str) -> dict[str, str]:
    return {f"app/api/{name}/route.ts": body}


READS_BODY = (
    "export async function POST(req: Request) {\n  const body = await req.json()\n"
    "  return Response.json(body)\n}\n"
)
PAGES_API = "export default function handler(req, res) {\n  res.json(req.body)\n}\n"
AXUM_LOCK = '[[package]]\nname = "axum"\nversion = "{}"\n'
CHI_GRPC = (
    'package main\n\nimport (\n\t"net/http"\n\t"github.com/go-chi/chi/v5"\n'
    '\t"google.golang.org/grpc"\n)\n\nfunc main() {\n\tr := chi.NewRouter()\n'
    '\tgo grpc.NewServer().Serve(l)\n\thttp.ListenAndServe(":8080", r)\n}\n'
)


def spring(method: str) -> dict[str, str]:
    return {
        "pom.xml": "<project><artifactId>spring-boot-starter-web</artifactId></project>\n",
        "src/main/java/a/C.java": "package a;\nimport org.springframework.web.bind.annotation.*;\n"
        f'@RestController\nclass C {{\n  @PostMapping("/x")\n  {method}\n}}\n',
        "src/main/java/a/App.java": "package a;\n"
        "import org.springframework.boot.SpringApplication;\n"
        "class App {\n  public static void main(String[] a) {\n"
        "    SpringApplication.run(App.class, a);\n  }\n}\n",
    }


def axum(version: str) -> dict[str, str]:
    return {
        "Cargo.toml": f'[package]\nname = "s"\n\n[dependencies]\naxum = "{version}"\n',
        "src/main.rs": "use axum::Router;\n#[tokio::main]\nasync fn main() {\n"
        "    axum::serve(l, Router::new()).await.unwrap();\n}\n",
    }


UPLOAD = (
    "import os\nfrom flask import Flask, request\nfrom werkzeug.utils import secure_filename\n"
    "app = Flask(__name__)\n\n@app.post('/upload')\ndef upload():\n"
    "    f = request.files['f']; f.save(os.path.join('/srv/up', {}))\n"
    "    return 'ok'\n"
)
TAR = (
    "import tarfile\nif __name__ == '__main__':\n    with tarfile.open('data.tgz') as tar:\n"
    "        tar.extractall('data', {})\n"
)
SEND_FILE = (
    "const express = require('express');\nconst path = require('path');\n"
    "const app = express();\napp.get('/f/:name', (req, res) => {{\n"
    "  res.sendFile(path.join(__dirname, 'files', {}));\n}});\napp.listen(3000);\n"
)
GIN_FILE = (
    'package main\n\nimport "github.com/gin-gonic/gin"\n\nfunc main() {\n\tr := gin.Default()\n'
    '\tr.GET("/f/:name", func(c *gin.Context) {\n'
    '\t\tc.File(filepath.Join("files", c.Param("name")))\n\t})\n\tr.Run()\n}\n'
)
TOKEN_CACHE = (
    "import os\nfrom pathlib import Path\n"
    "TOKEN = Path.home() / '.app' / 'token.json'\n\n"
    "def save(data):\n"
    "    with open(TOKEN, 'w') as f:\n        f.write(data)\n{}"
    "\nif __name__ == '__main__':\n    save('x')\n"
)
GO_KEY = (
    "package main\n\nfunc main() {{\n\tdir, _ := os.UserConfigDir()\n"
    '\tos.WriteFile(dir+"/app/private.key", key, {})\n}}\n'
)
GIN_UPLOAD = (
    'package main\n\nimport "github.com/gin-gonic/gin"\n\nfunc main() {{\n\tr := gin.Default()\n'
    '\tr.POST("/up", func(c *gin.Context) {{\n\t\tfile, _ := c.FormFile("f")\n'
    '\t\tc.SaveUploadedFile(file, filepath.Join("up", {}))\n\t}})\n\tr.Run()\n}}\n'
)
INSECURE_FLAG = (
    "import requests\n"
    "def fetch(u, insecure):\n"
    "    if insecure:\n"
    "        return requests.get(u, verify=False)\n"
    "    return requests.get(u)\n"
)
GO_HTTP = 'package t\nvar r, _ = http.Get("https://x")\n'
GRPC_NO_TLS = (
    "func opts() []grpc.DialOption {\n"
    '\tif noTLS, _ := strconv.ParseBool(os.Getenv("GRPC_NO_TLS")); noTLS {\n'
    "\t\treturn []grpc.DialOption{grpc.WithInsecure()}\n\t}\n\treturn nil\n}\n"
)
FLASK = "from flask import Flask, request\napp = Flask(__name__)\n"
CONFIGURATOR = (
    "import sys\n"
    "for arg in sys.argv[1:]:\n"
    "    exec(open(arg).read())\n"
    "exec(open('configurator.py').read())\n"
)
GIT_DESCRIBE = (
    "from pathlib import Path\nfrom subprocess import check_output\n"
    "ROOT = Path(__file__).resolve().parent\n"
    "def describe(path=ROOT):\n"
    "    return check_output(f'git -C {path} describe', shell=True)\n"
    "print(describe())\n"
)
CLICK_SHELL = (
    "import os\nimport click\n\n"
    "@click.command()\n@click.argument('lang')\n"
    "def init(lang):\n"
    "    os.system('pybabel init -l ' + lang)\n"
)
JS_WRAPPER = (
    "const util = require('util');\n"
    "const exec = util.promisify(require('child_process').exec);\n"
    "async function runCmd(command) {\n"
    "  await exec(command);\n"
    "}\n"
    "const folder = process.argv[2];\n"
    "runCmd(`git clone repo ${folder}`);\n"
)
BUMP = (
    "import { execSync } from 'node:child_process';\nconst pkg = require('../package.json');\n"
    "const v = execSync(`npm view ${pkg.name} version`);\n"
)
CI_SERVICE = {
    ".github/workflows/ci.yml": "on: push\njobs:\n  t:\n    services:\n      db:\n"
    "        image: postgres\n        env:\n          POSTGRES_PASSWORD: postgres\n"
}
COMPOSE = "services:\n  db:\n    environment:\n      - MYSQL_PASSWORD=petclinic\n"
# {"sub": "1", "exp": 1589300284}: expired in 2020.
EXPIRED_JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIiwiZXhwIjoxNTg5MzAwMjg0fQ."
    "c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJl"
)
# {"iss": "supabase-demo", "role": "service_role", "exp": 1983812996}: the published local key.
DEMO_JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6InNlcnZpY2Vf"
    "cm9sZSIsImV4cCI6MTk4MzgxMjk5Nn0.EGIM96RAZx35lJzdJsyH-qQwv8Hdp7fsn3W0YpN81IU"
)
GO_JWT = {
    "common/utils.go": 'package common\n\nconst NBSecretPassword = "A String Very Strong!!@##$"\n'
    "func Sign(t *jwt.Token) (string, error) {\n"
    "\treturn t.SignedString([]byte(NBSecretPassword))\n}\n"
}
JWT_FROM_ENV = (
    "const jwt = require('jsonwebtoken');\nconst t = jwt.sign({ id }, process.env.JWT_SECRET);\n"
)

PY_DEPS = {**PY, "requirements.txt": "requests==2.32.0\n"}
DEPENDABOT = (
    "version: 2\nupdates:\n  - package-ecosystem: {}\n    directory: /\n"
    "    schedule:\n      interval: weekly\n"
)

TABLE = [
    ("SEC001", "pass", {**PY, "settings.py": "TOKEN = os.environ['TOKEN']\n"}, None),
    ("SEC001", "pass", {**PY, "tests/test_a.py": f"GITHUB_TOKEN = '{KEY}'\n"}, None),
    ("SEC025", "fail", {**PY, "tests/test_a.py": f"GITHUB_TOKEN = '{KEY}'\n"}, "tests/test_a.py:1"),
    ("SEC025", "fail", {**PY, "testdata/key.py": f"GITHUB_TOKEN = '{KEY}'\n"}, "testdata/key.py:1"),
    ("SEC025", "pass", {**PY, "tests/test_a.py": "def test_a():\n    assert 1\n"}, None),
    ("SEC025", "not_applicable", PY, None),
    ("SEC001", "fail", {**PY, "settings.py": f"x = 1\nGITHUB_TOKEN = '{KEY}'\n"}, "settings.py:2"),
    ("SEC001", "fail", {**PY, "settings.py": f"# GITHUB_TOKEN = '{KEY}'\n"}, "settings.py:1"),
    # Placeholders by place: an example env file, a CI service container, a local compose.
    (
        "SEC001",
        "pass",
        {**PY, ".env.example": "DATABASE_URL=postgresql://postgres:postgres@localhost/db\n"},
        None,
    ),
    ("SEC001", "pass", {**PY, **CI_SERVICE}, None),
    ("SEC001", "pass", {**PY, "docker-compose.yml": COMPOSE}, None),
    ("SEC001", "fail", {**PY, "docker-compose.prod.yml": COMPOSE}, "docker-compose.prod.yml:4"),
    # A random-looking password a local compose file gives its own database is still local.
    (
        "SEC001",
        "pass",
        {**PY, "docker-compose.yml": 'x-db: &db\n  POSTGRES_PASSWORD: "myAwEsOm3pa55@w0rd"\n'},
        None,
    ),
    # In an example file, a random-looking value may be a real one pasted by mistake.
    (
        "SEC001",
        "fail",
        {**PY, "config.example.yml": "db:\n  password: Zq8vN2xKp4LmW7rT9sYb\n"},
        "config.example.yml:2",
    ),
    ("SEC001", "pass", {**PY, "config.json": '{\n  "OPENAI_API_KEY": "sk-..."\n}\n'}, None),
    (
        "SEC001",
        "pass",
        {**PY, "supabase/migrations/1_setup.sql": f"DECLARE\n  k TEXT := '{DEMO_JWT}';\n"},
        None,
    ),
    # A translated form label (`"password": "Пароль"`) in a locale's message catalog.
    (
        "SEC001",
        "pass",
        {**PY, "public/intl/messages/ru-RU.json": '{\n  "password": "Пароль123"\n}\n'},
        None,
    ),
    (
        "SEC001",
        "fail",
        {**PY, "public/intl/messages/ru-RU.json": f'{{\n  "token": "{KEY}"\n}}\n'},
        "public/intl/messages/ru-RU.json:2",
    ),
    ("SEC001", "pass", {**PY, "api.js": f"/**\n * refreshToken: {EXPIRED_JWT}\n */\n"}, None),
    # A hard-coded fallback or signing key is a secret, even when it reads like a sentence.
    (
        "SEC001",
        "fail",
        {
            **PY,
            "config.py": "import os\n"
            "KEY = os.environ.get('SECRET_KEY') or 'you-will-never-guess'\n",
        },
        "config.py:2",
    ),
    (
        "SEC001",
        "pass",
        {**PY, "config.py": "import os\nKEY = os.environ.get('SECRET_KEY', 'changeme')\n"},
        None,
    ),
    (
        "SEC001",
        "fail",
        {**PY, "settings.py": 'SECRET_KEY = "=ug_ucl@yi6^m(u0%&g2ad"\n'},
        "settings.py:1",
    ),
    # A development key in base settings that the production settings replace from the
    # environment is not what production runs with; one production falls back to still is.
    ("SEC001", "pass", django_settings('env("SECRET_KEY")'), None),
    (
        "SEC001",
        "pass",
        {
            **PY,
            "settings.py": "import os\nif os.environ.get('GITHUB_WORKFLOW'):\n"
            "    DATABASES = {'default': {'USER': 'postgres', 'PASSWORD': 'pg4ci7x'}}\n",
        },
        None,
    ),
    (
        "SEC001",
        "fail",
        django_settings('env("SECRET_KEY", default=SECRET_KEY)'),
        "config/django/base.py:2",
    ),
    ("SEC001", "fail", {"go.mod": "module m\n", **GO_JWT}, "common/utils.go:3"),
    (
        "SEC001",
        "fail",
        {
            "package.json": "{}",
            "auth.js": "const jwt = require('jsonwebtoken');\n"
            "const t = jwt.sign({ id }, 'my very long signing key!');\n",
        },
        "auth.js:2",
    ),
    ("SEC001", "pass", {"package.json": "{}", "auth.js": JWT_FROM_ENV}, None),
    ("SEC002", "pass", {"app.py": "import ast\nv = ast.literal_eval(s)\n"}, None),
    # Python 3.12 syntax (PEP 695) is read whatever interpreter runs the tool.
    (
        "SEC002",
        "fail",
        {
            "app.py": "from flask import request\ntype X = int\n\n\n"
            "def run[T](code: T) -> T:\n    return eval(request.args['c'])\n"
        },
        "app.py:6",
    ),
    # Python 3.14 syntax (PEP 758: `except A, B:` without parentheses) is read too.
    (
        "SEC002",
        "fail",
        {
            "app.py": "from flask import request\ntry:\n    pass\nexcept KeyError, ValueError:\n"
            "    pass\nv = eval(request.args['c'])\n"
        },
        "app.py:6",
    ),
    ("SEC002", "fail", {"app.py": FLASK + "v = eval(request.args['x'])\n"}, "app.py:3"),
    ("SEC002", "fail", {"a.js": "const f = new Function(req.body.code);\n"}, "a.js:1"),
    # The user's own config named on the command line, or the program's own file: not injection.
    ("SEC002", "pass", {"train.py": CONFIGURATOR}, "train.py:3"),
    (
        "SEC002",
        "pass",
        {"d.py": "def f(s):\n    return eval(s) if s.isnumeric() else s\n"},
        "d.py:2",
    ),
    ("SEC002", "cannot_determine", {"m.py": "def load(src):\n    exec(src)\n"}, "m.py:2"),
    ("SEC002", "cannot_determine", {"a.js": "const f = new Function(body);\n"}, "a.js:1"),
    ("SEC003", "pass", {"app.py": "import subprocess\nsubprocess.run(['ls', d])\n"}, None),
    (
        "SEC003",
        "fail",
        {
            "app.py": FLASK
            + "from subprocess import run\nrun('ls ' + request.args['d'], shell=True)\n"
        },
        "app.py:4",
    ),
    (
        "SEC003",
        "fail",
        {"m.go": 'package m\nvar c = exec.Command("sh", "-c", fmt.Sprintf("ls %s", d))\n'},
        "m.go:2",
    ),
    (
        "SEC003",
        "cannot_determine",
        {"m.go": 'package m\nvar c = exec.Command("sh", "-c", s)\n'},
        "m.go:2",
    ),
    # A fixed command through a shell is not injection; a CLI argument concatenated into one is.
    (
        "SEC003",
        "pass",
        {"toc.py": "from subprocess import check_output\ncheck_output('ls -l', shell=True)\n"},
        "toc.py:2",
    ),
    ("SEC003", "pass", {"git.py": GIT_DESCRIBE}, "git.py:5"),
    # The operator's own command line in a shell command: a low gap (see the test below).
    ("SEC003", "fail", {"cli.py": CLICK_SHELL}, "cli.py:7"),
    ("SEC003", "fail", {"bin/create.js": JS_WRAPPER}, "bin/create.js:7"),
    ("SEC003", "fail", {"script/bump.js": BUMP}, "script/bump.js:3"),
    (
        "SEC003",
        "cannot_determine",
        {"r.py": "import subprocess\ndef run(cmd):\n    subprocess.run(cmd, shell=True)\n"},
        "r.py:3",
    ),
    (
        "SEC004",
        "pass",
        {"app.py": "import yaml\nyaml.load(s, Loader=yaml.SafeLoader)\n"},
        None,
    ),
    ("SEC004", "fail", {"app.py": "import pickle\nobj = pickle.loads(blob)\n"}, "app.py:2"),
    # FullLoader refuses Python objects from PyYAML 5.4 on (sendgrid's inbound config)...
    (
        "SEC004",
        "pass",
        {
            "requirements.txt": "PyYAML>=4.2b1\n",
            "app.py": "import yaml\ncfg = yaml.load(s, Loader=yaml.FullLoader)\n",
        },
        None,
    ),
    # ...but not in the older versions a requirement holds it to.
    (
        "SEC004",
        "fail",
        {
            "requirements.txt": "PyYAML==5.3.1\n",
            "app.py": "import yaml\ncfg = yaml.load(s, Loader=yaml.FullLoader)\n",
        },
        "app.py:2",
    ),
    ("SEC004", "fail", {"app.py": "import yaml\ncfg = yaml.load(s)\n"}, "app.py:2"),
    # torch.load unpickles unless weights_only=True (the default only from torch 2.6).
    ("SEC004", "fail", {"m.py": "import torch\nsd = torch.load(path)\n"}, "m.py:2"),
    ("SEC004", "pass", {"m.py": "import torch\nsd = torch.load(path, weights_only=True)\n"}, None),
    (
        "SEC004",
        "pass",
        {"requirements.txt": "torch>=2.6\n", "m.py": "import torch\nsd = torch.load(path)\n"},
        None,
    ),
    ("SEC004", "fail", {"m.py": "x = 1\n", "nb.ipynb": notebook("code")}, "nb.ipynb:6"),
    ("SEC004", "pass", {"m.py": "x = 1\n", "nb.ipynb": notebook("markdown")}, None),
    ("SEC005", "pass", {"app.py": "import requests\nrequests.get(u, timeout=3)\n"}, None),
    ("SEC005", "fail", {"app.py": "import requests\nrequests.get(u, verify=False)\n"}, "app.py:2"),
    (
        "SEC005",
        "fail",
        {"t.go": GO_HTTP + "var c = tls.Config{InsecureSkipVerify: true}\n"},
        "t.go:3",
    ),
    # Switched off only by an option the caller or operator sets: SEC005 passes, SEC026 fails.
    ("SEC005", "pass", {"app.py": INSECURE_FLAG}, "app.py:4"),
    ("SEC026", "fail", {"app.py": INSECURE_FLAG}, "app.py:4"),
    (
        "SEC026",
        "not_applicable",
        {"app.py": "import requests\nrequests.get(u, verify=False)\n"},
        None,
    ),
    ("SEC026", "pass", {"app.py": "import requests\nrequests.get(u, timeout=3)\n"}, None),
    (
        "SEC026",
        "fail",
        {"t.go": GO_HTTP + "var c = tls.Config{InsecureSkipVerify: cfg.Skip}\n"},
        "t.go:3",
    ),
    ("SEC026", "fail", {"t.go": GO_HTTP + GRPC_NO_TLS}, "t.go:5"),
    (
        "SEC005",
        "fail",
        {"a.js": "const axios = require('axios');\nconst o = { rejectUnauthorized: false };\n"},
        "a.js:2",
    ),
    (
        "SEC005",
        "pass",
        {
            "adapters.py": "import urllib3\nurllib3.PoolManager()\n"
            "def f(conn, verify):\n    if verify is False:\n        conn.cert_reqs = 'CERT_NONE'\n"
        },
        "adapters.py:5",
    ),
    (
        "SEC006",
        "pass",
        {"db.py": "cur.execute('SELECT * FROM t WHERE id = %s', (i,))\n"},
        None,
    ),
    (
        "SEC006",
        "fail",
        {"db.py": "x = 1\ncur.execute(f'SELECT * FROM t WHERE id = {i}')\n"},
        "db.py:2",
    ),
    ("SEC007", "pass", {**PY, "SECURITY.md": "# Security\n"}, "SECURITY.md:1"),
    ("SEC007", "fail", {**PY, "README.md": "# app\n"}, "README.md:1"),
    (
        "SEC008",
        "pass",
        {**PY, ".github/dependabot.yml": "version: 2\n"},
        ".github/dependabot.yml:1",
    ),
    ("SEC008", "fail", PY, "pyproject.toml:1"),
    # Dependabot watching pip covers the product's dependencies.
    (
        "SEC008",
        "pass",
        {**PY_DEPS, ".github/dependabot.yml": DEPENDABOT.format("pip")},
        ".github/dependabot.yml:1",
    ),
    ("SEC009", "pass", {**PY, **wf("pip-audit")}, ".github/workflows/ci.yml:6"),
    ("SEC009", "fail", {**PY, **wf("pytest")}, ".github/workflows/ci.yml:1"),
    ("SEC010", "pass", {**PY, ".gitignore": ".env\n"}, ".gitignore:1"),
    ("SEC010", "fail", {**PY, ".env": "DEBUG=1\n"}, ".env:1"),
    # Follow the variable to its default: allowed_hosts: List[str] = ["*"] allows any origin.
    ("SEC011", "fail", {**API, **cors_from_settings('["*"]')}, "main.py:3"),
    ("SEC011", "pass", {**API, **cors_from_settings('["https://app.example.com"]')}, None),
    # NestJS: `{cors: true}` and a bare enableCors() take the cors package's `*` default.
    (
        "SEC011",
        "fail",
        {
            "package.json": '{"dependencies": {"@nestjs/core": "^10.0.0"}}\n',
            "src/main.ts": "import { NestFactory } from '@nestjs/core';\n"
            "const appOptions = {cors: true};\n"
            "const app = await NestFactory.create(M, appOptions);\n",
        },
        "src/main.ts:2",
    ),
    (
        "SEC011",
        "pass",
        {
            "package.json": '{"dependencies": {"@nestjs/core": "^10.0.0"}}\n',
            "src/main.ts": "import { NestFactory } from '@nestjs/core';\n"
            "const app = await NestFactory.create(M);\n"
            "app.enableCors({ origin: process.env.ORIGIN });\n",
        },
        None,
    ),
    # `cors: true` outside a Nest bootstrap (a Vite dev server) is not this setting.
    (
        "SEC011",
        "pass",
        {**API, "vite.config.ts": "export default { server: { cors: true } };\n"},
        None,
    ),
    ("SEC011", "fail", {**API, "cors.py": "CORS_ALLOW_ALL_ORIGINS = True\n"}, "cors.py:1"),
    ("SEC011", "pass", {**API}, None),
    (
        "SEC011",
        "fail",
        {**API, "cors.py": "app.add_middleware(C, allow_origins=['*'])\n"},
        "cors.py:1",
    ),
    (
        "SEC012",
        "pass",
        {**API, "auth.py": "from fastapi.security import OAuth2PasswordBearer\n"},
        "auth.py:1",
    ),
    ("SEC012", "fail", API, "app.py:2"),
    # A header name in a UI component's placeholder is not authentication.
    ("SEC012", "fail", {**NEXT, "components/tool.tsx": PLACEHOLDER_KEY}, "app/page.tsx:1"),
    # Auth on some endpoints only: SEC012 passes, SEC028 names the open ones.
    (
        "SEC028",
        "fail",
        {**NEXT, **next_route("users", AUTHED), **next_route("names", OPEN)},
        "app/api/names/route.ts:2",
    ),
    # No handler shows a recognisable check: the probe cannot tell which ones are open.
    (
        "SEC028",
        "cannot_determine",
        {
            **NEXT,
            "lib/s.ts": "export const s = () => getServerSession()\n",
            **next_route("names", OPEN),
        },
        None,
    ),
    (
        "SEC028",
        "pass",
        {**NEXT, **next_route("users", AUTHED), **next_route("me", DENIES)},
        "app/api/me/route.ts:2",
    ),
    (
        "SEC028",
        "pass",
        {**NEXT, **next_route("users", AUTHED), **next_route("og", STATIC)},
        "app/api/users/route.ts:3",
    ),
    # Handlers that reach the check through a shared wrapper (parseRequest calls checkAuth),
    # and one that asks the wrapper to skip it (a tracking endpoint): public on purpose.
    (
        "SEC028",
        "pass",
        {
            **NEXT,
            **next_route("users", AUTHED),
            "lib/auth.ts": "export async function checkAuth(request) {\n"
            "  return verifyToken(request.headers.get('authorization'))\n}\n",
            "lib/request.ts": "import { checkAuth } from './auth'\n"
            "export async function parseRequest(request, options) {\n"
            "  const auth = options?.skipAuth ? null : await checkAuth(request)\n"
            "  return { auth }\n}\n",
            **next_route("me/teams", PARSED.format(options="")),
            **next_route("send", PARSED.format(options=", { skipAuth: true }")),
        },
        "app/api/me/teams/route.ts:3",
    ),
    # A share link is a capability URL: whoever holds it may open it.
    (
        "SEC028",
        "pass",
        {**NEXT, **next_route("users", AUTHED), **next_route("share/[slug]", OPEN)},
        "app/api/users/route.ts:3",
    ),
    ("SEC028", "fail", {**DRF, "apis.py": DRF_VIEWS.format(guard="(APIView)")}, "apis.py:8"),
    (
        "SEC028",
        "pass",
        {**DRF, "apis.py": DRF_VIEWS.format(guard="(AuthMixin, APIView)")},
        "apis.py:5",
    ),
    (
        "SEC028",
        "cannot_determine",
        {**API, "auth.py": "from fastapi.security import OAuth2PasswordBearer\n"},
        None,
    ),
    ("SEC012", "not_applicable", PY, None),
    (
        "SEC013",
        "pass",
        {
            "app.py": "import flask\napp = flask.Flask(__name__)\n",
            "schemas.py": "from marshmallow import Schema\n",
        },
        "schemas.py:1",
    ),
    ("SEC013", "pass", API, "app.py:1"),
    ("SEC013", "fail", {"server.js": EXPRESS}, "server.js:3"),
    (
        "SEC014",
        "pass",
        {
            "app.py": "from flask import Flask\napp = Flask(__name__)\n"
            "app.config['MAX_CONTENT_LENGTH'] = 1024\n"
        },
        "app.py:3",
    ),
    ("SEC014", "fail", API, "app.py:1"),
    # Framework defaults and what they leave out.
    ("SEC014", "fail", {**NEXT, "app/api/posts/route.ts": READS_BODY}, "app/api/posts/route.ts:2"),
    ("SEC014", "pass", {**NEXT, "pages/api/posts.ts": PAGES_API}, "app/page.tsx:1"),
    (
        "SEC014",
        "fail",
        {**DRF, "apis.py": "def f(request):\n    f = request.FILES['f']\n"},
        "apis.py:2",
    ),
    ("SEC014", "pass", DRF, "config/asgi.py:1"),
    ("SEC014", "pass", spring("String list() { return null; }"), "src/main/java/a/C.java:3"),
    (
        "SEC014",
        "fail",
        spring("String add(@RequestBody Item i) { return null; }"),
        "src/main/java/a/C.java:6",
    ),
    # The fail cites the server; the pass, the lockfile entry whose version brings the default.
    ("SEC014", "fail", {**axum("0.5"), "Cargo.lock": AXUM_LOCK.format("0.5.17")}, "src/main.rs:4"),
    ("SEC014", "pass", {**axum("0.7"), "Cargo.lock": AXUM_LOCK.format("0.7.5")}, "Cargo.lock:2"),
    ("SEC014", "fail", {"go.mod": "module m\n", "main.go": CHI_GRPC}, "main.go:5"),
    ("SEC015", "pass", {**API, "limits.py": "from slowapi import Limiter\n"}, "limits.py:1"),
    ("SEC015", "fail", API, "app.py:2"),
    # Raising DRF's Throttled (an error demo) is not rate limiting.
    (
        "SEC015",
        "fail",
        {**API, "errors.py": "def f():\n    raise exceptions.Throttled()\n"},
        "app.py:2",
    ),
    # A limiter on some routes only: SEC015 passes, SEC027 says the rest is unlimited.
    ("SEC027", "fail", express_limiter("app.use('/v1/auth', authLimiter);"), "app.js:5"),
    ("SEC027", "pass", express_limiter("app.use(authLimiter);"), "app.js:5"),
    ("SEC027", "pass", express_limiter("app.use('/v1', authLimiter);"), "app.js:5"),
    (
        "SEC027",
        "pass",
        express_limiter("if (prod) {\n  app.use(authLimiter);\n}"),
        "app.js:6",
    ),
    ("SEC027", "not_applicable", API, None),
    (
        "SEC027",
        "pass",
        {**API, "limits.py": SLOWAPI.format("default_limits=['10/second']")},
        "limits.py:2",
    ),
    ("SEC027", "fail", {**API, "limits.py": SLOWAPI.format("key_func=k")}, "limits.py:3"),
    (
        "SEC016",
        "pass",
        {"ids.py": "import hashlib\nkey = hashlib.md5(content).hexdigest()\n"},
        None,
    ),
    (
        "SEC016",
        "fail",
        {
            "auth.py": "import hashlib\ndef hash_password(p):\n"
            "    return hashlib.md5(p).hexdigest()\n"
        },
        "auth.py:3",
    ),
    ("SEC017", "pass", {"Dockerfile": "FROM python:3.12-slim\n"}, None),
    (
        "SEC017",
        "fail",
        {"Dockerfile": "FROM python:3.12-slim\nRUN curl -sSL https://x.sh | sh\n"},
        "Dockerfile:2",
    ),
    (
        "SEC020",
        "pass",
        {"package.json": '{"dependencies": {"express": "^4.0.0"}}', "package-lock.json": "{}"},
        "package-lock.json:1",
    ),
    (
        "SEC020",
        "fail",
        {"package.json": '{"dependencies": {"express": "^4.0.0"}}'},
        "package.json:1",
    ),
    ("SEC020", "not_applicable", {"app.py": "x = 1\n"}, None),
    # Every requirement pinned with == is a lock; a Rust program without Cargo.lock is not.
    (
        "SEC020",
        "pass",
        {"requirements.txt": "flask==3.0.0\n", "a.py": "import flask\n"},
        "requirements.txt:1",
    ),
    (
        "SEC020",
        "fail",
        {
            "Cargo.toml": '[package]\nname = "x"\n[dependencies]\nserde = "1"\n',
            "src/main.rs": "fn main() {}\n",
        },
        "Cargo.toml:4",
    ),
    # A dev container's setup script is developer tooling: a low gap that says so.
    (
        "SEC017",
        "fail",
        {
            **PY,
            ".devcontainer/on-create-command.sh": "#!/bin/bash\ncurl -LsSf https://x.sh | sh\n",
        },
        ".devcontainer/on-create-command.sh:2",
    ),
    # A dummy login's digit run and a signed token that is no JWT are not secrets.
    (
        "SEC025",
        "pass",
        {
            **PY,
            "tests/test_login.py": 'def test_login():\n    assert login("u", "0123456789")\n'
            'PASSWORD = "0123456789"\n',
            "README.md": "# eyJpZCI6NSwibmFtZSI6Iml0c2Rhbmdlcm91cyJ9.6YP6T0BaO67XP--9UzTrmurXSmg\n",
        },
        None,
    ),
    # A library's users resolve its dependencies' versions: it ships ranges, no lockfile;
    # also when a console script sits beside the names its package offers to import ...
    (
        "SEC020",
        "not_applicable",
        {
            "pyproject.toml": DOTENV_LIKE,
            "requirements.txt": "click\n",
            "src/dotenv/__init__.py": "from .main import load_dotenv, dotenv_values\n",
            "src/dotenv/__main__.py": "def cli():\n    pass\n",
        },
        None,
    ),
    # ... but a command whose package offers nothing to import is an application.
    (
        "SEC020",
        "fail",
        {
            "pyproject.toml": DOTENV_LIKE,
            "requirements.txt": "click\n",
            "src/dotenv/__init__.py": "import locale\n",
            "src/dotenv/__main__.py": "def cli():\n    pass\n",
        },
        "requirements.txt:1",
    ),
    (
        "SEC020",
        "not_applicable",
        {"Cargo.toml": '[package]\nname = "x"\n[dependencies]\nserde = "1"\n', "src/lib.rs": ""},
        None,
    ),
    (
        "SEC020",
        "not_applicable",
        {
            "pyproject.toml": '[build-system]\nrequires = ["hatchling"]\n[project]\nname = "r"\n'
            'dependencies = ["urllib3>=1.21,<3"]\n',
            "src/r/__init__.py": "import urllib3\n",
        },
        None,
    ),
    ("SEC021", "pass", {"requirements.txt": "requests==2.32.0\n"}, "requirements.txt:1"),
    ("SEC021", "fail", {"requirements.txt": "# deps\nrequests\n"}, "requirements.txt:2"),
    (
        "SEC022",
        "pass",
        {"package.json": '{\n"dependencies": {"express": "^4.0.0"}\n}'},
        "package.json:2",
    ),
    (
        "SEC022",
        "fail",
        {"package.json": '{\n"dependencies": {\n"left-pad": "*"\n}\n}'},
        "package.json:3",
    ),
    (
        "SEC023",
        "pass",
        {"package.json": '{"dependencies": {"a": "1.0.0"}}', **wf("npm ci")},
        ".github/workflows/ci.yml:6",
    ),
    (
        "SEC023",
        "fail",
        {"package.json": '{"dependencies": {"a": "1.0.0"}}', **wf("npm install")},
        ".github/workflows/ci.yml:6",
    ),
    (
        "SEC024",
        "pass",
        {
            ".github/workflows/ci.yml": "on: push\njobs:\n  a:\n    steps:\n"
            "      - uses: actions/checkout@v4\n"
        },
        ".github/workflows/ci.yml:5",
    ),
    (
        "SEC024",
        "fail",
        {
            ".github/workflows/ci.yml": "on: push\njobs:\n  a:\n    steps:\n"
            "      - uses: actions/checkout@main\n"
        },
        ".github/workflows/ci.yml:5",
    ),
    (
        "SEC011",
        "fail",
        {**API, "cors.py": 'CORS(app, resources={r"/*": {"origins": "*"}})\n'},
        "cors.py:1",
    ),
    # Path traversal: request names and tar members, unless reduced to a last component.
    ("SEC029", "fail", {"app.py": UPLOAD.format("f.filename")}, "app.py:8"),
    ("SEC029", "pass", {"app.py": UPLOAD.format("secure_filename(f.filename)")}, None),
    ("SEC029", "fail", {"get.py": TAR.format("")}, "get.py:4"),
    ("SEC029", "pass", {"get.py": TAR.format("filter='data'")}, None),
    ("SEC029", "pass", {"get.py": TAR.replace("tarfile", "zipfile").format("")}, None),
    (
        "SEC029",
        "pass",
        {"cli.py": "import sys\nif __name__ == '__main__':\n    open(sys.argv[1])\n"},
        None,
    ),
    (
        "SEC029",
        "fail",
        {
            "package.json": '{"scripts": {"start": "node s.js"}}',
            "s.js": SEND_FILE.format("req.params.name"),
        },
        "s.js:5",
    ),
    (
        "SEC029",
        "pass",
        {
            "package.json": '{"scripts": {"start": "node s.js"}}',
            "s.js": SEND_FILE.format("path.basename(req.params.name)"),
        },
        None,
    ),
    ("SEC029", "fail", {"go.mod": "module m\n", "main.go": GIN_FILE}, "main.go:8"),
    (
        "SEC029",
        "not_applicable",
        {"pyproject.toml": "[project]\nname = 'lib'\n", "lib/a.py": "x = 1\n"},
        None,
    ),
    # Credential files: 0600 (or chmod) passes, default permissions fail, no such file: n/a.
    ("SEC030", "fail", {"cli.py": TOKEN_CACHE.format("")}, "cli.py:6"),
    ("SEC030", "pass", {"cli.py": TOKEN_CACHE.format("    os.chmod(TOKEN, 0o600)\n")}, "cli.py:6"),
    (
        "SEC030",
        "not_applicable",
        {
            "cli.py": TOKEN_CACHE.replace("token.json", "notes.txt")
            .replace("TOKEN", "NOTES")
            .format("")
        },
        None,
    ),
    ("SEC030", "fail", {"go.mod": "module m\n", "main.go": GO_KEY.format("0644")}, "main.go:5"),
    ("SEC030", "pass", {"go.mod": "module m\n", "main.go": GO_KEY.format("0600")}, "main.go:5"),
    # An upload saved under its client-given name; only its extension kept is safe.
    (
        "SEC029",
        "fail",
        {"go.mod": "module m\n", "main.go": GIN_UPLOAD.format("file.Filename")},
        "main.go:9",
    ),
    (
        "SEC029",
        "pass",
        {"go.mod": "module m\n", "main.go": GIN_UPLOAD.format("id + filepath.Ext(file.Filename)")},
        None,
    ),
]


@cases(TABLE)
def test_security_probes(run_probe: RunProbe, probe_id, outcome, files, where) -> None:
    check_case(run_probe, probe_id, outcome, files, where)


def test_secret_evidence_shows_only_the_masked_value(run_probe: RunProbe) -> None:
    result = run_probe("SEC001", {**PY, "settings.py": f"GITHUB_TOKEN = '{KEY}'\n"})
    assert result.outcome.value == "fail"
    assert KEY not in result.model_dump_json()
    assert "GITHUB_TOKEN" in result.evidence[0].snippet


def test_commented_secret_is_reported_as_commented(run_probe: RunProbe) -> None:
    result = run_probe("SEC001", {**PY, "settings.py": f"# GITHUB_TOKEN = '{KEY}'\n"})
    assert "commented out" in result.message and KEY not in result.model_dump_json()


def test_placeholder_password_is_not_a_secret(run_probe: RunProbe) -> None:
    result = run_probe("SEC001", {**PY, "settings.py": "PASSWORD = 'changeme'\n"})
    assert result.outcome.value == "pass"


def test_every_evidence_snippet_is_redacted(run_probe: RunProbe) -> None:
    result = run_probe("SEC010", {**PY, ".env": f"GITHUB_TOKEN={KEY}\n"})
    assert result.outcome.value == "fail" and result.evidence[0].location == ".env:1"
    assert KEY not in result.evidence[0].snippet and "GITHUB_TOKEN" in result.evidence[0].snippet


def test_a_pattern_in_a_trailing_comment_is_not_code(run_probe: RunProbe) -> None:
    commented = {**API, "cors.py": 'code_only = False  # often a dict key: `"origins": "*"`\n'}
    assert run_probe("SEC011", commented).outcome.value == "pass"
    real = {**API, "cors.py": 'CORS(app, origins="*")  # open to all # on purpose\n'}
    result = run_probe("SEC011", real)
    assert result.outcome.value == "fail" and result.evidence[0].start_line == 1


def test_a_lockfile_too_large_to_read_still_counts(tmp_path):
    # A 2 MB package-lock.json is skipped by ingest (too large) but it exists: a lockfile.
    files = {
        "package.json": '{"dependencies": {"express": "^4.0.0"}}',
        "package-lock.json": "{" + " " * 2_000_000 + "}",
        "index.js": "const express = require('express')\n",
    }
    write_files(tmp_path, files)
    [result] = [c for c in run_probes(probe_snapshot(tmp_path), select=["SEC020"]).checks]
    assert result.outcome is Outcome.passed
    assert result.evidence[0].path == "package-lock.json"


def test_maven_without_a_lockfile_is_a_fact_but_no_gap(run_probe):
    """Three second readers called the gap false: Maven has no lockfile convention."""
    pom = (
        "<project><parent><artifactId>spring-boot-starter-parent</artifactId></parent>"
        "<dependencies><dependency><artifactId>x</artifactId></dependency>"
    )
    main = "class A { public static void main(String[] args) {} }\n"
    result = run_probe("SEC020", {"pom.xml": pom + "</dependencies></project>\n", "A.java": main})
    assert result.outcome is Outcome.failed and result.severity is Severity.low
    assert "Maven" in result.advisory


def test_secrets_the_detector_cannot_see_are_masked_in_evidence(run_probe: RunProbe) -> None:
    fallback = "import os\nKEY = os.environ.get('SECRET_KEY') or 'you-will-never-guess'\n"
    escaped = 'SECRET_KEY = "ab\\\\cd-9f8e7d6c5b"\n'
    for files, value in (
        ({**PY, "config.py": fallback}, "you-will-never-guess"),
        ({"go.mod": "module m\n", **GO_JWT}, "A String Very Strong"),
        ({**PY, "settings.py": escaped}, "cd-9f8e7d6c5b"),
    ):
        result = run_probe("SEC001", files)
        assert result.outcome.value == "fail", result.message
        assert value not in result.model_dump_json(), result.evidence
        assert "[REDACTED:" in result.evidence[0].snippet


AXUM_SERVER = (
    "use axum::{routing::post, Json, Router};\n\n"
    "#[tokio::main]\nasync fn main() {\n    axum::Server::bind(&addr).serve(app()).await;\n}\n\n"
)
# Typed extraction into structs rejects malformed or wrongly typed input: schema validation
# (content rules may still be missing), not a missing one.
TYPED_EXTRACTION_CASES = [
    (
        "SEC013",
        "pass",
        {
            "Cargo.toml": '[package]\nname = "app"\n[dependencies]\naxum = "0.6"\n',
            "src/main.rs": AXUM_SERVER
            + "async fn create(Json(req): Json<NewUser>) -> Json<User> {\n    todo!()\n}\n",
        },
        "src/main.rs:8",
    ),
    # A body taken as untyped JSON (serde_json::Value) is not validated by its extractor.
    (
        "SEC013",
        "fail",
        {
            "Cargo.toml": '[package]\nname = "app"\n[dependencies]\naxum = "0.6"\n',
            "src/main.rs": AXUM_SERVER
            + "async fn create(Json(req): Json<serde_json::Value>) -> String {\n    todo!()\n}\n",
        },
        "src/main.rs:5",
    ),
    (
        "SEC013",
        "pass",
        {
            "Cargo.toml": '[package]\nname = "app"\n[dependencies]\nactix-web = "4"\n',
            "src/main.rs": "use actix_web::{web, App, HttpServer};\n\n"
            "async fn signup(form: web::Json<Signup>) -> String {\n    todo!()\n}\n\n"
            "#[actix_web::main]\nasync fn main() {\n"
            "    HttpServer::new(|| App::new()).run().await;\n}\n",
        },
        "src/main.rs:3",
    ),
    # A gRPC service registered on a server decodes requests into its protobuf types.
    (
        "SEC013",
        "pass",
        {
            "go.mod": "module app\n",
            "main.go": 'package main\n\nimport "google.golang.org/grpc"\n\nfunc main() {\n'
            "\ts := grpc.NewServer()\n\tpb.RegisterUsersServiceServer(s, svc)\n\ts.Serve(l)\n}\n",
        },
        "main.go:7",
    ),
]


@cases(TYPED_EXTRACTION_CASES)
def test_typed_request_extraction_is_validation(
    run_probe: RunProbe, probe_id, outcome, files, where
) -> None:
    check_case(run_probe, probe_id, outcome, files, where)


def test_a_shell_command_from_the_operators_own_input_is_a_low_gap(run_probe: RunProbe) -> None:
    for files in (
        {"cli.py": CLICK_SHELL},
        {"bin/create.js": JS_WRAPPER},
        {"script/bump.js": BUMP},
    ):
        result = run_probe("SEC003", files)
        assert result.outcome is Outcome.failed, result.message
        assert result.severity is Severity.low and result.severity_note, files
        assert "operator's own input" in result.message
    # Request data in a shell command stays high, in a script folder or not.
    served = "const express = require('express');\nconst app = express();\n" + (
        "app.get('/x', (req, res) => { exec(`ls ${req.query.d}`); });\n"
    )
    for path in ("script/serve.js", "server.js"):
        files = {path: "const { exec } = require('child_process');\n" + served}
        result = run_probe("SEC003", files)
        assert result.outcome is Outcome.failed and result.severity is Severity.high, result.message


def test_an_env_file_of_placeholders_and_local_settings_is_a_low_gap(run_probe: RunProbe) -> None:
    local = (
        "GCP_PROJECT=demo-project\nFIRESTORE_EMULATOR_HOST=firestore:8787\nMOCK_AUTH=true\n"
        "MYSQL_ADDR=localhost\nMYSQL_USER=user\nMYSQL_PASSWORD=password\n"
        "CONFIG_SERVICE_PASSWORD=password\n"
    )
    result = run_probe("SEC010", {**PY, ".env": local})
    assert result.outcome.value == "fail" and result.severity is Severity.low, result.message
    assert "placeholder" in result.message and result.severity_note
    # A random-looking secret or a known key format keeps it high, cited where it is.
    for line in ("SESSION_SECRET=Zq8vN2xKp4LmW7rT9sYb", f"GITHUB_TOKEN={KEY}"):
        result = run_probe("SEC010", {**PY, ".env": local + line + "\n"})
        assert result.severity is Severity.high, result.message
        assert result.evidence[0].location == ".env:8", result.evidence


def test_an_aws_key_id_alone_names_a_key_and_the_pair_is_a_secret(run_probe: RunProbe) -> None:
    key_id = "AKIA" + "SOZLZI5FJDJ6XTSZ"
    example = f"def sign():\n    '''credential: {key_id}/20220405/eu-central-1/s3'''\n"
    lone = run_probe("SEC001", {"client.py": example})
    assert lone.outcome is Outcome.passed, lone.message
    assert "access key id with no secret key" in lone.message
    secret = "q8Vt3Zr1Lk9Pm2Xw7Ny4Bc6Hd0Jf5Gs1Ta8Ue3Ri"
    pair = f'AWS_ACCESS_KEY_ID = "{key_id}"\nAWS_SECRET_ACCESS_KEY = "{secret}"\n'
    both = run_probe("SEC001", {"settings.py": pair})
    assert both.outcome is Outcome.failed and both.evidence[0].location == "settings.py:1"
    assert key_id not in both.message and secret not in str(both.evidence)


def test_a_dev_container_script_piping_curl_to_sh_is_a_low_developer_tooling_gap(run_probe):
    setup = {**PY, ".devcontainer/setup.sh": "#!/bin/bash\ncurl -LsSf https://x.sh | sh\n"}
    result = run_probe("SEC017", setup)
    assert result.outcome is Outcome.failed and result.severity is Severity.low
    assert "developer tooling" in result.message and "product code" not in result.message
    built = {**setup, "Dockerfile": "FROM python:3.12\nRUN curl -sSL https://x.sh | sh\n"}
    assert run_probe("SEC017", built).severity is Severity.medium


def test_dependabot_for_actions_only_leaves_the_product_dependencies_unwatched(
    run_probe: RunProbe,
) -> None:
    actions = {**PY_DEPS, ".github/dependabot.yml": DEPENDABOT.format("github-actions")}
    result = run_probe("SEC008", actions)
    assert result.outcome.value == "pass" and result.partial, result.message
    assert "python" in result.message and "github-actions" in result.message
    # Nothing to watch but the actions: a library without runtime dependencies.
    assert not run_probe(
        "SEC008", {**PY, ".github/dependabot.yml": DEPENDABOT.format("npm")}
    ).partial
    bare = {**PY, ".github/dependabot.yml": DEPENDABOT.format("github-actions")}
    assert not run_probe("SEC008", bare).partial
    # pip watched: nothing unwatched.
    pip = {**PY_DEPS, ".github/dependabot.yml": DEPENDABOT.format("pip")}
    assert not run_probe("SEC008", pip).partial


def test_a_packages_requirements_txt_is_its_development_environment(run_probe: RunProbe) -> None:
    files = {
        "pyproject.toml": "[build-system]\nrequires = ['setuptools']\n[project]\nname = 'a'\n",
        "a/__init__.py": "x = 1\n",
        "requirements.txt": "pytest==8.0\n",
        ".github/dependabot.yml": DEPENDABOT.format("github-actions"),
    }
    assert not run_probe("SEC008", files).partial


def test_a_fallback_secret_is_high_not_critical(run_probe) -> None:
    """A literal used only when the variable is unset: high, with the reason."""
    fallback = {
        "app.py": "from flask import Flask\napp = Flask(__name__)\n",
        "config.py": "import os\nKEY = os.environ.get('SECRET_KEY') or 'you-will-never-guess'\n",
    }
    result = run_probe("SEC001", fallback)
    assert result.outcome.value == "fail" and result.severity.value == "high"
    assert "fallback" in result.severity_note


def test_a_vulnerability_reporting_section_is_a_security_policy(run_probe) -> None:
    files = {
        "go.mod": "module x\n",
        "x.go": "package x\n",
        "CONTRIBUTING.md": "# Contributing\n\n## Reporting Vulnerabilities\n\nMail sec@x.org.\n",
    }
    result = run_probe("SEC007", files)
    assert result.outcome.value == "pass" and "CONTRIBUTING.md:3" in result.message


def test_writing_downloaded_bytes_to_a_fixed_path_is_no_traversal(run_probe) -> None:
    """Path.write_bytes(data) writes to the path it is called on: the downloaded bytes are
    the content, not a name (a Netlify build script's temp.zip)."""
    files = {
        "build.py": "from pathlib import Path\nimport httpx\n\n\ndef fetch(url):\n"
        "    r = httpx.get(url)\n    Path('temp.zip').write_bytes(r.read())\n\n\n"
        "if __name__ == '__main__':\n    fetch('https://x/a.zip')\n",
    }
    assert run_probe("SEC029", files).outcome.value == "pass"


def test_a_secret_in_a_local_development_config_file_is_medium(run_probe) -> None:
    files = {
        **GO_API,
        "config/local.yml": f'dsn: postgres://db/x\njwt_signing_key: "{KEY}"\n',
    }
    result = run_probe("SEC001", files)
    assert result.outcome.value == "fail" and result.severity.value == "medium"
    assert "local development" in result.severity_note
