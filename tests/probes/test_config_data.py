"""Configuration and data probes: env config for programs, parseable files, migrations, backups."""

from __future__ import annotations

from tests.probes.conftest import RunProbe, cases, check_case
from tests.probes.test_testing import PY

API = {**PY, "app.py": "from fastapi import FastAPI\napp = FastAPI()\n"}
ENV = {**API, "settings.py": "import os\nDB_URL = os.environ['DB_URL']\n"}
DB = {"db.py": "import psycopg2\n"}
ALEMBIC = "def upgrade():\n    op.create_table('t')\n\ndef downgrade():\n    pass\n"
COMPOSE = "services:\n  db:\n    image: postgres:16\n"

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
    ("CFG002", "not_applicable", API, None),
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
    (
        "CFG005",
        "pass",
        {
            "c.py": "import os\nURL = os.getenv('URL', 'http://localhost:8000')\n",
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
    (
        "DATA002",
        "pass",
        {**DB, "docs/ops.md": "# Ops\n\nRun `pg_dump` nightly.\n"},
        "docs/ops.md:3",
    ),
    ("DATA002", "fail", DB, "db.py:1"),
    ("DATA002", "not_applicable", PY, None),
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
