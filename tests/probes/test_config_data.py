"""Configuration and data probes: env config for programs, parseable files, migrations, backups."""

from __future__ import annotations

from tests.probes.conftest import RunProbe, cases, check_case
from tests.probes.test_testing import EXPRESS, PY

API = {**PY, "app.py": "from fastapi import FastAPI\napp = FastAPI()\n"}
ENV = {**API, "settings.py": "import os\nDB_URL = os.environ['DB_URL']\n"}
DB = {"db.py": "import psycopg2\n"}
ALEMBIC = "def upgrade():\n    op.create_table('t')\n\ndef downgrade():\n    pass\n"
COMPOSE = "services:\n  db:\n    image: postgres:16\n"

GORM = {
    "go.mod": "module app\n",
    "db/db.go": 'package db\n\nimport "gorm.io/gorm"\n\ntype User struct{ Name string }\n\n'
    "func Init(db *gorm.DB) {\n\tdb.AutoMigrate(&User{})\n}\n",
}
OLD_CONFIG = {
    "config/migrate/migrate.go": 'package migrate\n\nimport "os"\n\n'
    "type oldConfig struct{ Database struct{ Dialect string } }\n\n"
    "func Convert(path string) { os.ReadFile(path) }\n",
}
UNWIRED_SQL = {
    "go.mod": "module app\n",
    "adapters/firestore.go": 'package adapters\n\nimport "cloud.google.com/go/firestore"\n\n'
    "type FirestoreRepository struct{ c *firestore.Client }\n",
    "adapters/mysql.go": 'package adapters\n\nimport "database/sql"\n\n'
    "type MySQLRepository struct{ db *sql.DB }\n\n"
    "func NewMySQLRepository(db *sql.DB) *MySQLRepository { return &MySQLRepository{db} }\n",
    "adapters/repo_test.go": 'package adapters_test\n\nimport "app/adapters"\n\n'
    "func newRepo() { adapters.NewMySQLRepository(nil) }\n",
    "main.go": 'package main\n\nimport "app/adapters"\n\n'
    "func main() { _ = adapters.FirestoreRepository{} }\n",
}

TABLE = [
    ("CFG001", "pass", ENV, "settings.py:2"),
    ("CFG001", "fail", API, "app.py:2"),
    ("CFG001", "not_applicable", {"lib.py": "def f():\n    return 1\n"}, None),
    (
        "CFG002",
        "pass",
        {**ENV, "conf.py": "from pydantic_settings import BaseSettings\n"},
        "conf.py:1",
    ),
    ("CFG002", "fail", ENV, "settings.py:2"),
    # Nothing read, nothing validated: the settings are written in the code.
    ("CFG002", "fail", API, "app.py:2"),
    # Debug defaults matter where something serves requests.
    ("CFG003", "pass", {**API, "conf.py": "import os\nDEBUG = os.getenv('DEBUG') == '1'\n"}, None),
    ("CFG003", "fail", {**API, "settings.py": "SECRET = 1\nDEBUG = True\n"}, "settings.py:2"),
    ("CFG003", "not_applicable", {"settings.py": "SECRET = 1\nDEBUG = True\n"}, None),
    (
        "CFG003",
        "fail",
        {"app.py": "from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\n"},
        "app.py:3",
    ),
    ("CFG004", "pass", {**ENV, ".env.example": "DB_URL=\n"}, ".env.example:1"),
    ("CFG004", "pass", {**ENV, "README.md": "# app\nSet `DB_URL`.\n"}, "README.md:2"),
    ("CFG004", "fail", ENV, "settings.py:2"),
    # Settings kept in a file copied from a committed example: the example documents them.
    (
        "CFG004",
        "pass",
        {
            "package.json": '{"name": "a", "scripts": {"start": "node src/main.js"}}\n',
            "src/main.js": "const http = require('http');\n"
            "http.createServer(() => {}).listen(3000);\n",
            "ormconfig.json.example": '{"host": "localhost"}\n',
        },
        "ormconfig.json.example:1",
    ),
    (
        "CFG004",
        "fail",
        {
            "package.json": '{"name": "a", "scripts": {"start": "node src/main.js"}}\n',
            "src/main.js": "const http = require('http');\n"
            "http.createServer(() => {}).listen(3000);\n",
        },
        "src/main.js:2",
    ),
    (
        "CFG005",
        "pass",
        {
            "c.py": "import os\nURL = os.getenv('URL', 'http://localhost:8000')\n",
            "main.py": "if __name__ == '__main__':\n    pass\n",
        },
        None,
    ),
    # A settings-class field is a default the environment overrides.
    (
        "CFG005",
        "pass",
        {
            "c.py": "from pydantic_settings import BaseSettings\n\n\n"
            "class Settings(BaseSettings):\n    FRONTEND_HOST: str = 'http://localhost:5173'\n",
            "main.py": "if __name__ == '__main__':\n    pass\n",
        },
        None,
    ),
    (
        "CFG005",
        "fail",
        {
            "c.py": "x = 1\nURL = 'postgres://u@localhost:5432/db'\n",
            "main.py": "if __name__ == '__main__':\n    pass\n",
        },
        "c.py:2",
    ),
    (
        "CFG006",
        "pass",
        {**API, "a.py": "import logging, os\nlogging.basicConfig(level=os.getenv('LOG_LEVEL'))\n"},
        "a.py:2",
    ),
    (
        "CFG006",
        "fail",
        {
            "a.py": "import logging\nlogging.basicConfig(level='INFO')\n"
            "from fastapi import FastAPI\napp = FastAPI()\n"
        },
        "a.py:2",
    ),
    # A library's logging: the application sets the level, and an import proves nothing.
    (
        "CFG006",
        "not_applicable",
        {"lib.py": "import logging\nlog = logging.getLogger(__name__)\n"},
        None,
    ),
    ("CFG006", "not_applicable", PY, None),
    ("CFG007", "pass", {"a.yaml": "a: 1\n"}, "a.yaml:1"),
    ("CFG007", "fail", {"a.yaml": "a: [1\n"}, "a.yaml:1"),
    ("CFG007", "fail", {"pyproject.toml": "[project\nname = 1\n"}, "pyproject.toml:1"),
    ("CFG007", "not_applicable", {"a.py": "x = 1\n"}, None),
    # Files their tools read as JSON with comments: comments and trailing commas are fine,
    # a real syntax error is not.
    (
        "CFG007",
        "pass",
        {
            ".cspell.json": '// cspell settings\n{\n  "words": ["axum", "http://x"], /* ok */\n}\n',
            "contrib/ide/vscode/settings.json": '{\n  // format on save\n  "a": true,\n}\n',
            "tsconfig.base.json": '{\n  "compilerOptions": {\n    "strict": 1, // on\n  },\n}\n',
        },
        ".cspell.json:1",
    ),
    ("CFG007", "fail", {".cspell.json": '// x\n{\n  "words": [\n}\n'}, ".cspell.json:1"),
    ("CFG007", "fail", {"data/settings.json": '{\n  // no\n  "a": 1\n}\n'}, "data/settings.json:1"),
    (
        "DATA001",
        "pass",
        {**DB, "alembic/versions/001_init.py": ALEMBIC},
        "alembic/versions/001_init.py:1",
    ),
    (
        "DATA001",
        "pass",
        {**DB, "db/migrations/001.up.sql": "CREATE TABLE t (id int);\n"},
        "db/migrations/001.up.sql:1",
    ),
    ("DATA001", "fail", DB, "db.py:1"),
    ("DATA001", "not_applicable", PY, None),
    # Retention: data that expires or is pruned by age; a field named expires is not a TTL.
    (
        "DATA007",
        "pass",
        {
            "token.js": "const mongoose = require('mongoose');\n"
            "const s = new mongoose.Schema({\n  createdAt: { type: Date, expires: 3600 },\n});\n"
        },
        "token.js:3",
    ),
    (
        "DATA007",
        "fail",
        {
            "token.js": "const mongoose = require('mongoose');\n"
            "const s = new mongoose.Schema({\n  expires: { type: Date, required: true },\n});\n"
            "const del = (u) => Token.deleteMany({ user: u });\n"
        },
        "token.js:1",
    ),
    (
        "DATA007",
        "pass",
        {
            **DB,
            "jobs.sql": "DELETE FROM sessions\nWHERE created_at < now() - interval '30 days';\n",
        },
        "jobs.sql:1",
    ),
    # Rotated logs do not expire the database's rows.
    (
        "DATA007",
        "fail",
        {
            **DB,
            "log.py": "from logging.handlers import RotatingFileHandler\n"
            "h = RotatingFileHandler('a.log', maxBytes=1024, backupCount=3)\n",
        },
        "db.py:1",
    ),
    (
        "DATA007",
        "cannot_determine",
        {**DB, "settings.py": "RETENTION_DAYS = 30\n"},
        None,
    ),
    ("DATA007", "not_applicable", PY, None),
    # A program's input: typed parsing or validation code; a service is SEC013's question.
    (
        "DATA008",
        "pass",
        {
            "Cargo.toml": "[package]\nname = 'x'\n[[bin]]\nname = 'x'\npath = 'src/main.rs'\n",
            "src/main.rs": "use clap::Parser;\n#[derive(Parser)]\nstruct Args { n: u32 }\n"
            "fn main() { let a = Args::parse(); }\n",
        },
        "src/main.rs:1",
    ),
    (
        "DATA008",
        "pass",
        {
            "prepare.py": "import json\ndef validate_record(r):\n    if 'id' not in r:\n"
            "        raise ValueError(r)\nif __name__ == '__main__':\n    validate_record({})\n",
        },
        "prepare.py:2",
    ),
    (
        "DATA008",
        "fail",
        {
            "train.py": "import sys\nif __name__ == '__main__':\n"
            "    exec(open(sys.argv[1]).read())\n",
        },
        "train.py:1",
    ),
    # argparse with type= converts and checks each argument when the script starts.
    (
        "DATA008",
        "pass",
        {
            "train.py": "import argparse\nif __name__ == '__main__':\n"
            "    p = argparse.ArgumentParser()\n    p.add_argument('--lr', type=float)\n"
            "    p.parse_args()\n",
        },
        "train.py:4",
    ),
    ("DATA008", "not_applicable", API, None),
    # A service whose handlers read raw bodies and only check that keys are present.
    (
        "DATA008",
        "fail",
        {
            "app.py": "from flask import Flask, request\napp = Flask(__name__)\n"
            "@app.route('/users', methods=['POST'])\ndef create():\n"
            "    data = request.get_json()\n    if 'name' not in data:\n        return 'bad', 400\n"
            "    return data['name']\n",
        },
        "app.py:5",
    ),
    (
        "DATA008",
        "not_applicable",
        {
            "app.py": "from flask import Flask, request\napp = Flask(__name__)\n"
            "@app.route('/users', methods=['POST'])\ndef create():\n"
            "    return UserSchema().load(request.get_json())\n",
        },
        None,
    ),
    (
        "DATA008",
        "fail",
        {
            "package.json": '{"scripts": {"start": "next start"},\n'
            '"dependencies": {"next": "14.0.0"}}\n',
            "app/api/chat/route.ts": "import { NextResponse } from 'next/server'\n"
            "export async function POST(request: Request) {\n"
            "  const json = await request.json()\n"
            "  const { messages } = json as { messages: any[] }\n"
            "  return NextResponse.json(messages)\n}\n",
        },
        "app/api/chat/route.ts:3",
    ),
    (
        "DATA008",
        "not_applicable",
        {
            "package.json": '{"scripts": {"start": "next start"},\n'
            '"dependencies": {"next": "14.0.0"}}\n',
            "app/api/posts/route.ts": "import { z } from 'zod'\n"
            "import { NextResponse } from 'next/server'\n"
            "export async function POST(req: Request) {\n  const json = await req.json()\n"
            "  const body = z.object({ t: z.string() }).parse(json)\n"
            "  return NextResponse.json(body)\n}\n",
        },
        None,
    ),
    ("DATA001", "not_applicable", {"db.js": "const mongoose = require('mongoose');\n"}, None),
    (
        "DATA001",
        "fail",
        {**DB, "cache.js": "const mongoose = require('mongoose');\n"},
        "db.py:1",
    ),
    # The Supabase CLI's timestamped migrations are a migration tool's layout.
    (
        "DATA001",
        "pass",
        {**DB, "supabase/migrations/20240108234540_setup.sql": "CREATE TABLE t (id int);\n"},
        "supabase/migrations/20240108234540_setup.sql:1",
    ),
    # Code in a migrate/ folder that converts an old config file is not a schema migration;
    # GORM's AutoMigrate syncs the schema (a low gap: only version tracking is missing).
    ("DATA001", "fail", {**GORM, **OLD_CONFIG}, "db/db.go:8"),
    # Production runs on Firestore; the MySQL adapter beside it is constructed only by a test.
    ("DATA001", "not_applicable", UNWIRED_SQL, None),
    # ... and once product code constructs it, its missing migrations count again.
    (
        "DATA001",
        "fail",
        {
            **UNWIRED_SQL,
            "service/service.go": 'package service\n\nimport "app/adapters"\n\n'
            "func Build() { adapters.NewMySQLRepository(nil) }\n",
        },
        "adapters/mysql.go:3",
    ),
    (
        "DATA002",
        "pass",
        {**DB, "docs/ops.md": "# Ops\n\nRun `pg_dump` nightly.\n"},
        "docs/ops.md:3",
    ),
    ("DATA002", "fail", DB, "db.py:1"),
    # A test's data that says "backup" is not a backup procedure.
    ("DATA002", "fail", {**DB, "tests/test_auth.py": "NAME = 'backup server1'\n"}, "db.py:1"),
    ("DATA002", "not_applicable", PY, None),
    # A library that caches a token in the user's home: the program using it owns that.
    (
        "DATA002",
        "not_applicable",
        {**PY, "cache.py": "import os\nPATH = os.path.expanduser('~/.cache-token')\n"},
        None,
    ),
    # A command-line program's own state file; a cache it can fetch again needs no backup.
    (
        "DATA002",
        "not_applicable",
        {
            **PY,
            "cache.py": "import os\nPATH = os.path.expanduser('~/.cache-token')\n",
            "pyproject.toml": "[project]\nname = 'app'\n[project.scripts]\napp = 'cli:main'\n",
            "cli.py": "import argparse\ndef main():\n    argparse.ArgumentParser().parse_args()\n",
        },
        None,
    ),
    (
        "DATA002",
        "fail",
        {
            **PY,
            "history.py": "import os\nPATH = os.path.expanduser('~/.app-history')\n",
            "pyproject.toml": "[project]\nname = 'app'\n[project.scripts]\napp = 'cli:main'\n",
            "cli.py": "import argparse\ndef main():\n    argparse.ArgumentParser().parse_args()\n",
        },
        "pyproject.toml:1",
    ),
    (
        "DATA003",
        "pass",
        {**DB, "migrations/1.up.sql": "x\n", "migrations/1.down.sql": "y\n"},
        "migrations/1.up.sql:1",
    ),
    (
        "DATA003",
        "fail",
        {**DB, "alembic/versions/001_init.py": ALEMBIC},
        "alembic/versions/001_init.py:4-5",
    ),
    ("DATA003", "not_applicable", DB, None),
    (
        "DATA004",
        "pass",
        {**DB, "repo.py": "def save(conn):\n    with conn.transaction():\n        pass\n"},
        "repo.py:2",
    ),
    ("DATA004", "fail", DB, "db.py:1"),
    # A parameter named `transaction` is not a transaction; two writes in one function are
    # the multi-step write the probe asks about.
    (
        "DATA004",
        "fail",
        {
            **DB,
            "static/main.js": "function itemsPosition(transaction) {\n  return transaction;\n}\n",
            "repo.py": "def move(conn, a, b):\n    conn.execute('UPDATE a SET x=1')\n"
            "    conn.execute('UPDATE b SET x=2')\n",
        },
        "repo.py:2",
    ),
    # Every write is one statement in its own function (a token cache's single-key set, one
    # INSERT per repository method): nothing shows a multi-step write.
    (
        "DATA004",
        "cannot_determine",
        {
            "go.mod": "module app\n",
            "repo/task.go": 'package repo\n\nimport "github.com/jackc/pgx/v5"\n\n'
            "type Repo struct{ Pool *pgx.Conn }\n\n"
            "func (r *Repo) Store(sql string) error {\n"
            '\tq := r.Builder.Insert("tasks").Columns("id")\n'
            "\t_, err := r.Pool.Exec(ctx, sql)\n\treturn err\n}\n",
        },
        None,
    ),
    (
        "DATA004",
        "cannot_determine",
        {
            "cache.py": "from redis import Redis\n\nclass Cache:\n    def save(self, token):\n"
            "        self.redis.set(self.key, token)\n",
        },
        None,
    ),
    ("DATA005", "pass", DB, "db.py:1"),
    (
        "DATA005",
        "fail",
        {"db.py": "import sqlalchemy\nBase.metadata.create_all(engine)\n"},
        "db.py:2",
    ),
    (
        "DATA006",
        "pass",
        {"docker-compose.yml": COMPOSE + "    volumes:\n      - pg:/var/lib/postgresql\n"},
        "docker-compose.yml:2",
    ),
    ("DATA006", "fail", {"docker-compose.yml": COMPOSE}, "docker-compose.yml:2"),
    (
        "DATA006",
        "not_applicable",
        {"docker-compose.yml": "services:\n  web:\n    image: nginx:1\n"},
        None,
    ),
    (
        "CFG001",
        "pass",
        {
            "etl/run.py": "import os\nURL = os.environ['URL']\n"
            "if __name__ == '__main__':\n    pass\n"
        },
        "etl/run.py:2",
    ),
]


@cases(TABLE)
def test_config_data_probes(run_probe: RunProbe, probe_id, outcome, files, where) -> None:
    check_case(run_probe, probe_id, outcome, files, where)


# --- configuration as real programs read, check, switch and document it ---------------------

GIN = (
    'package main\n\nimport "github.com/gin-gonic/gin"\n\n'
    "func main() {\n\tr := gin.Default()\n\tr.Run()\n}\n"
)
GO_API = {"go.mod": "module x\n", "main.go": GIN}
WSGI = (
    "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.{module}')\n"
    "from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n"
)
DJANGO = {
    "Procfile": "web: gunicorn config.wsgi\n",
    "config/settings/base.py": "import environ\nenv = environ.Env()\n"
    "DEBUG = env.bool('DJANGO_DEBUG', default=True)\n",
    "config/settings/production.py": "from .base import *\n"
    "DEBUG = env.bool('DJANGO_DEBUG', default=False)\n",
}
SPRING = {
    "pom.xml": "<project><artifactId>spring-boot-starter-web</artifactId></project>\n",
    "src/main/java/a/App.java": "package a;\n\nimport org.springframework.boot.SpringApplication;\n"
    "import org.springframework.web.bind.annotation.RestController;\n\n@RestController\n"
    "public class App {\n  public static void main(String[] a) {\n"
    "    SpringApplication.run(App.class, a);\n  }\n}\n",
}
JS_API = {"server.js": EXPRESS}
SCRIPT = "import torch\n\nif __name__ == '__main__':\n    pass\n"
CLI = (
    "import argparse\np = argparse.ArgumentParser()\n"
    "p.add_argument('--n', type=int, help='how many')\n"
    "if __name__ == '__main__':\n    p.parse_args()\n"
)
SETTINGS = (
    "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n"
    "    database_url: str\n    secret_key: str\n    api_prefix: str = '/api'\n"
)

GO_ENV = {
    "go.mod": "module x\n",
    "main.go": 'package main\n\nimport "net/http"\n\nfunc main() {\n'
    '\thttp.ListenAndServe(":80", nil)\n}\n',
    "config.go": 'package main\n\nimport "github.com/ilyakaznacheev/cleanenv"\n\n'
    'type Config struct {\n\tPort string `env:"HTTP_PORT" env-required:"true"`\n}\n',
}

CONFIG_CASES = [
    # Struct tags name the variables a Go settings library reads and requires.
    ("CFG001", "pass", GO_ENV, "config.go:6"),
    ("CFG002", "pass", GO_ENV, "config.go:3"),
    ("CFG004", "fail", GO_ENV, "config.go:6"),
    # A schema handed the whole process.env reads the environment.
    (
        "CFG001",
        "pass",
        {
            **JS_API,
            "src/config/config.js": "const Joi = require('joi');\nconst s = Joi.object().keys({\n"
            "  PORT: Joi.number(),\n});\nconst { value } = s.validate(process.env);\n",
        },
        "src/config/config.js:5",
    ),
    # Spring Boot reads application.properties and the environment by itself.
    ("CFG001", "pass", SPRING, "src/main/java/a/App.java:3"),
    # Setting a variable for a child process is not reading configuration.
    (
        "CFG001",
        "fail",
        {"main.py": "import os\nos.environ['MASTER_ADDR'] = 'localhost'\n" + SCRIPT[13:]},
        "main.py:4",
    ),
    # Many scripts, most with every setting in the code: configured only in part.
    (
        "CFG001",
        "fail",
        {"train.py": CLI, **{f"s{n}.py": SCRIPT for n in range(4)}},
        "s0.py:1",
    ),
    # A front-end app reading only what its build tool sets, its API address in the code.
    (
        "CFG001",
        "fail",
        {
            "package.json": '{"name": "w", "private": true}\n',
            "src/main.js": "import { createApp } from 'vue';\ncreateApp({}).mount('#app');\n",
            "src/router.js": "const h = createWebHistory(process.env.BASE_URL);\n",
            "src/api.js": "export const API_URL = 'https://api.example.com/api';\n",
        },
        "src/api.js:1",
    ),
    # A tool's config file named in code is not the program's configuration.
    (
        "CFG001",
        "fail",
        {"server.js": EXPRESS + "const t = fs.readFileSync('tsconfig.json');\n"},
        "server.js:3",
    ),
    (
        "CFG001",
        "pass",
        {"server.js": EXPRESS + "const c = yaml.load(fs.readFileSync('config/app.yaml'));\n"},
        "server.js:4",
    ),
    # A script reading its own command line is configured by it.
    (
        "CFG001",
        "pass",
        {"train.py": "import sys\nfor arg in sys.argv[1:]:\n    pass\n" + SCRIPT[13:]},
        "train.py:2",
    ),
    # Typed settings: an argparse CLI with types, a schema in the config module.
    ("CFG002", "pass", {"tool.py": CLI}, "tool.py:3"),
    (
        "CFG002",
        "pass",
        {
            **JS_API,
            "src/config.js": "import { z } from 'zod';\n"
            "export const env = z.object({ PORT: z.string() }).parse(process.env);\n",
        },
        "src/config.js:2",
    ),
    # A zod schema for API errors, or click for a service's admin commands, checks no setting.
    (
        "CFG002",
        "fail",
        {
            "server.js": EXPRESS + "const key = process.env.API_KEY;\n",
            "types/error.ts": "import { z } from 'zod';\n"
            "export const E = z.object({ m: z.string() });\n",
        },
        "server.js:4",
    ),
    ("CFG002", "fail", {**ENV, "cli.py": "import click\n"}, "settings.py:2"),
    # A service configured through clap arguments that fall back to the environment.
    (
        "CFG002",
        "pass",
        {
            "Cargo.toml": "[package]\nname = 's'\n[dependencies]\nclap = '4'\naxum = '0.7'\n",
            "src/main.rs": "use clap::Parser;\n\n#[derive(Parser)]\nstruct Config {\n"
            "    #[arg(long, env)]\n    database_url: String,\n}\n\n#[tokio::main]\n"
            "async fn main() {\n    let c = Config::parse();\n"
            "    axum::serve(listener, app).await.unwrap();\n}\n",
        },
        "src/main.rs:1",
    ),
    # Explicit checks at startup: a missing value stops the program.
    (
        "CFG002",
        "pass",
        {
            **API,
            "settings.py": "import os\nDB_URL = os.environ.get('DB_URL')\nif not DB_URL:\n"
            "    raise RuntimeError('DB_URL is required')\n",
        },
        "settings.py:2",
    ),
    # gin runs in debug mode by default, which only adds log output: a low gap (tested below).
    ("CFG003", "fail", GO_API, None),
    ("CFG003", "pass", {**GO_API, "Dockerfile": "FROM golang\nENV GIN_MODE=release\n"}, None),
    # Debug mode chosen under a condition is a development switch, not a default.
    (
        "CFG003",
        "pass",
        {
            **GO_API,
            "mode.go": 'package main\n\nimport "github.com/gin-gonic/gin"\n\n'
            "func setMode(dev bool) {\n\tif dev {\n\t\tgin.SetMode(gin.DebugMode)\n\t} else {\n"
            "\t\tgin.SetMode(gin.ReleaseMode)\n\t}\n}\n",
        },
        None,
    ),
    # Django: DEBUG on by default in the settings module wsgi.py runs; not in development files,
    # nor in base settings whose DEBUG a production settings module sets off again.
    (
        "CFG003",
        "fail",
        {
            **DJANGO,
            "config/wsgi.py": WSGI.format(module="base"),
            "config/settings/production.py": "from .base import *\nSECURE_SSL_REDIRECT = True\n",
        },
        "config/settings/base.py:3",
    ),
    ("CFG003", "pass", {**DJANGO, "config/wsgi.py": WSGI.format(module="base")}, None),
    (
        "CFG003",
        "fail",
        {
            **DJANGO,
            "config/wsgi.py": WSGI.format(module="base"),
            "config/settings/production.py": "from .base import *\n"
            "DEBUG = env.bool('DJANGO_DEBUG', default=True)\n",
        },
        "config/settings/production.py:2",
    ),
    ("CFG003", "pass", {**DJANGO, "config/wsgi.py": WSGI.format(module="production")}, None),
    ("CFG003", "pass", {**API, "settings/local.py": "DEBUG = True\n"}, None),
    # Spring Boot exposing every actuator endpoint. A debug log level fixed on is part of a
    # debug default (a low, partial gap: readers answered "partly"); one behind a flag is not.
    (
        "CFG003",
        "fail",
        {
            **SPRING,
            "src/main/resources/application.properties": "management.endpoints.web.exposure."
            "include=*\n",
        },
        "src/main/resources/application.properties:1",
    ),
    (
        "CFG003",
        "fail",
        {
            "go.mod": "module x\n",
            "main.go": 'package main\n\nimport (\n\t"net/http"\n'
            '\t"github.com/sirupsen/logrus"\n)\n\n'
            "func main() {\n\tlogrus.SetLevel(logrus.DebugLevel)\n"
            '\thttp.ListenAndServe(":80", nil)\n}\n',
        },
        "main.go:9",
    ),
    (
        "CFG003",
        "pass",
        {
            "go.mod": "module x\n",
            "main.go": 'package main\n\nimport (\n\t"net/http"\n'
            '\t"github.com/sirupsen/logrus"\n)\n\n'
            "func main() {\n\tif debug {\n\t\tlogrus.SetLevel(logrus.DebugLevel)\n\t}\n"
            '\thttp.ListenAndServe(":80", nil)\n}\n',
        },
        None,
    ),
    # Documented settings: example-file variants, most variables named; a CLI's --help.
    ("CFG004", "pass", {**ENV, ".env.local.example": "DB_URL=\n"}, ".env.local.example:1"),
    (
        "CFG004",
        "fail",
        {**API, "settings.py": SETTINGS, ".env.example": "DATABASE_URL=\n"},
        "settings.py:6",
    ),
    ("CFG004", "pass", {"tool.py": CLI}, "tool.py:3"),
    (
        "CFG004",
        "pass",
        {**ENV, "config/app.example.yaml": "# the database\ndb: ${DB_URL}\n"},
        "config/app.example.yaml:2",
    ),
    ("CFG004", "fail", API, "app.py:2"),
    # Only torchrun's variables are read, and nothing documents the script's settings.
    (
        "CFG004",
        "fail",
        {"train.py": "import os\nrank = os.environ.get('RANK')\n" + SCRIPT[13:]},
        "train.py:4",
    ),
]


@cases(CONFIG_CASES)
def test_configuration_as_programs_read_it(
    run_probe: RunProbe, probe_id, outcome, files, where
) -> None:
    check_case(run_probe, probe_id, outcome, files, where)


def test_orm_schema_sync_lowers_missing_migrations(run_probe: RunProbe) -> None:
    """AutoMigrate keeps the schema in step: no versioned migrations is a low gap, not high."""
    result = run_probe("DATA001", GORM)
    assert result.outcome.value == "fail"
    assert result.severity.value == "low" and result.severity_note
    assert run_probe("DATA001", {**DB}).severity.value == "high"


def test_a_debug_mode_that_only_logs_is_a_low_gap(run_probe) -> None:
    result = run_probe("CFG003", GO_API)
    assert result.outcome.value == "fail" and result.severity.value == "low"
    assert "only adds log output" in result.severity_note and "GIN_MODE" in result.message


def test_scripts_that_import_the_settings_module_read_the_configuration(run_probe) -> None:
    main = "\n\ndef main():\n    pass\n\n\nif __name__ == '__main__':\n    main()\n"
    scripts = {f"app/job_{n}.py": "from app.core.db import engine" + main for n in range(5)}
    settings = {
        "app/core/config.py": "from pydantic_settings import BaseSettings\n\n\n"
        "class Settings(BaseSettings):\n    DATABASE_URL: str = 'sqlite://'\n\n\n"
        "settings = Settings()\n",
        "app/core/db.py": "from app.core.config import settings\n\n"
        "engine = settings.DATABASE_URL\n",
        "app/main.py": "from app.core.config import settings\n" + main,
    }
    result = run_probe("CFG001", {**settings, **scripts})
    assert result.outcome.value == "pass", result.message
    # The same scripts with every setting written in them: most programs read nothing.
    alone = {f"app/job_{n}.py": "ENGINE = 'sqlite://'" + main for n in range(5)}
    partly = run_probe("CFG001", {**settings, **alone})
    assert partly.outcome.value == "fail" and "programs read no" in partly.message


def test_typed_argparse_options_validate_the_arguments_only(run_probe) -> None:
    """argparse checks each typed option; the files and data they name are not checked, so
    the question's answer is "partly", not "yes"."""
    script = {
        "train.py": "import argparse\nif __name__ == '__main__':\n"
        "    p = argparse.ArgumentParser()\n    p.add_argument('--lr', type=float)\n"
        "    p.parse_args()\n",
    }
    result = run_probe("DATA008", script)
    assert result.outcome.value == "pass" and result.partial
    assert "command-line arguments" in result.message
    checked = {**script, "data.py": "def validate_rows(rows):\n    return rows\n"}
    assert not run_probe("DATA008", checked).partial


def test_begin_in_a_prompt_is_no_transaction_and_api_calls_are_no_writes(run_probe) -> None:
    """BEGIN in a prompt template is text; `stripe.checkout.sessions.create(` is a remote
    API's call, not a datastore write; a page's code writes to no datastore."""
    prompt = {
        **DB,
        "prompt.ts": "export const src = items.map(i => `<BEGIN SOURCE>\\n${i}\\n</END SOURCE>`)\n",
    }
    assert run_probe("DATA004", prompt).outcome.value == "fail"
    sql = {**DB, "repo.py": "def move(cur):\n    cur.execute('BEGIN')\n"}
    assert run_probe("DATA004", sql).outcome.value == "pass"
    api = {
        **DB,
        "billing.ts": "export async function portal(stripe, id) {\n"
        "  if (id) {\n    return await stripe.billingPortal.sessions.create({ customer: id })\n"
        "  }\n  return await stripe.checkout.sessions.create({ mode: 'subscription' })\n}\n",
        "editor.tsx": "'use client'\nexport function close(ref, db) {\n  ref.current.destroy()\n"
        "  db.save(1)\n  db.save(2)\n}\n",
    }
    result = run_probe("DATA004", api)
    assert "billing.ts" not in result.message and "editor.tsx" not in result.message


def test_debug_logging_fixed_on_is_partly_a_debug_default(run_probe) -> None:
    files = {
        "Cargo.toml": "[package]\nname = 'x'\n[dependencies]\nactix-web = '4'\n"
        "env_logger = '0.11'\n",
        "Dockerfile": 'FROM rust:1.74-slim\nCMD ["./x"]\n',
        "src/main.rs": "use actix_web::{App, HttpServer};\n#[actix_web::main]\n"
        "async fn main() -> std::io::Result<()> {\n"
        '    std::env::set_var("RUST_LOG", "actix_web=trace");\n    env_logger::init();\n'
        '    HttpServer::new(|| App::new()).bind("0.0.0.0:8080")?.run().await\n}\n',
    }
    debug = run_probe("CFG003", files)
    assert debug.outcome.value == "fail" and debug.partial and debug.severity.value == "low"
    level = run_probe("CFG006", files)
    assert level.outcome.value == "fail" and "fixed in code" in level.message
