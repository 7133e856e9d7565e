"""Performance and reliability probes: retries must be applied, timeouts set, writes atomic."""

from __future__ import annotations

from tests.probes.conftest import RunProbe, cases, check_case
from tests.probes.test_testing import PY

API = {**PY, "app.py": "from fastapi import FastAPI\napp = FastAPI()\n"}
DB = {"db.py": "import psycopg2\n"}
SERVICE = {"app.py": "from fastapi import FastAPI\napp = FastAPI()\n"}
CALL = {"client.py": "import requests\ndef fetch(u):\n    return requests.get(u, timeout=5)\n"}

TABLE = [
    (
        "PERF001",
        "pass",
        {
            "db.py": "from sqlalchemy import create_engine\n"
            "engine = create_engine(URL, pool_size=10)\n"
        },
        "db.py:2",
    ),
    (
        "PERF001",
        "fail",
        {"db.py": "import psycopg\ndef q():\n    return psycopg.connect(DSN)\n"},
        "db.py:1",
    ),
    ("PERF001", "not_applicable", PY, None),
    # Django closes its connection after every request unless CONN_MAX_AGE keeps it; an
    # HTTP client's pool (boto3) is no database pool.
    (
        "PERF001",
        "fail",
        {
            "settings.py": "import django\nDATABASES = {'default': {'ENGINE': 'x'}}\n",
            "s3.py": "import boto3\nc = boto3.client('s3')\n",
        },
        "settings.py:2",
    ),
    (
        "PERF001",
        "pass",
        {
            "settings.py": "import django\n"
            "DATABASES = {'default': {'ENGINE': 'x', 'CONN_MAX_AGE': 60}}\n",
        },
        "settings.py:2",
    ),
    # supabase-js reaches Postgres over HTTP through PostgREST's server-side pool.
    (
        "PERF001",
        "pass",
        {"db.ts": "import { createClient } from '@supabase/supabase-js'\n"},
        "db.ts:1",
    ),
    (
        "PERF002",
        "pass",
        {
            **API,
            "c.py": "import functools, requests\n@functools.lru_cache\ndef rates():\n"
            "    return requests.get(URL, timeout=5).json()\n",
        },
        "c.py:3",
    ),
    ("PERF002", "fail", API, "app.py:2"),
    (
        "PERF002",
        "pass",
        {
            **API,
            "views.py": "from django.core.cache import cache\ndef stats():\n"
            "    return cache.get_or_set('stats', compute, 60)\n",
        },
        "views.py:3",
    ),
    # Pages written to a cache file by one function and read back by another (tldr's client).
    (
        "PERF002",
        "pass",
        {
            "pyproject.toml": "[project]\nname = 't'\n[project.scripts]\ntldr = 'tldr:main'\n",
            "tldr.py": "def load_page_from_cache(p):\n    with p.open('rb') as f:\n"
            "        return f.read()\n\ndef store_page_to_cache(page, p):\n"
            "    with p.open('wb') as f:\n        f.write(page)\n",
        },
        "tldr.py:6",
    ),
    # Writing a file from a function that only mentions a cache is no cache without a read.
    (
        "PERF002",
        "fail",
        {
            **API,
            "cache.py": "def clear_cache_report(p):\n    with p.open('w') as f:\n"
            "        f.write('')\n",
        },
        "app.py:2",
    ),
    # Memoising the settings object caches nothing expensive.
    (
        "PERF002",
        "fail",
        {
            **API,
            "config.py": "from functools import lru_cache\n@lru_cache\ndef get_settings():\n"
            "    return Settings()\n",
        },
        "app.py:2",
    ),
    # A no-cache header is the opposite of caching.
    (
        "PERF002",
        "fail",
        {**API, "mw.py": "def nocache(r):\n    r.headers['Cache-Control'] = 'no-store'\n"},
        "app.py:2",
    ),
    (
        "PERF002",
        "pass",
        {
            "package.json": '{"scripts": {"start": "next start"},\n'
            '"dependencies": {"next": "14.0.0"}}\n',
            "app/api/x/route.ts": "import { NextResponse } from 'next/server'\n"
            "export async function GET() {\n  return NextResponse.json([])\n}\n",
            "app/page.tsx": "export default async function P() {\n"
            "  const r = await fetch(URL, { next: { revalidate: 60 } })\n}\n",
        },
        "app/page.tsx:2",
    ),
    # Downloaded once, reused from disk.
    (
        "PERF002",
        "pass",
        {
            "prepare.py": "import os, requests\nif __name__ == '__main__':\n"
            "    if not os.path.exists(PATH):\n"
            "        open(PATH, 'w').write(requests.get(URL, timeout=9).text)\n",
        },
        "prepare.py:3",
    ),
    # A file check inside a larger condition only chooses a path; it caches nothing.
    (
        "PERF002",
        "cannot_determine",
        {
            "cli.py": "import os\ndef fetch(r, d):\n    if r.editable and os.path.exists(d):\n"
            "        return None\n    else:\n        return download(r)\n"
            "if __name__ == '__main__':\n    fetch(1, 2)\n",
        },
        None,
    ),
    # A command-line tool without a cache may have nothing worth caching.
    (
        "PERF002",
        "cannot_determine",
        {
            "cli.py": "import argparse\ndef main():\n    argparse.ArgumentParser().parse_args()\n"
            "if __name__ == '__main__':\n    main()\n",
        },
        None,
    ),
    ("PERF003", "pass", {"c.py": "import requests\ns = requests.Session()\n"}, "c.py:2"),
    (
        "PERF003",
        "fail",
        {"c.py": "import requests\nfor u in urls:\n    requests.get(u, timeout=1)\n"},
        "c.py:3",
    ),
    ("PERF003", "not_applicable", PY, None),
    (
        "PERF004",
        "pass",
        {"bench_test.go": "package a\nfunc BenchmarkX(b *testing.B) {}\n"},
        "bench_test.go:2",
    ),
    ("PERF004", "fail", PY, "pyproject.toml:1"),
    # A loss function named criterion is no benchmark; a script named for benchmarks is one.
    (
        "PERF004",
        "fail",
        {**PY, "train.py": "import torch\ncriterion = torch.nn.CrossEntropyLoss()\n"},
        "pyproject.toml:1",
    ),
    (
        "PERF004",
        "pass",
        {**PY, "scripts/benchmark-basic": "#!/bin/sh\ntime ./app run data.csv\n"},
        "scripts/benchmark-basic:1",
    ),
    # tinybench pulled in by a test runner, listed only in the lockfile: no benchmark.
    (
        "PERF004",
        "fail",
        {
            "package.json": '{"name": "a", "devDependencies": {"vitest": "1.0.0"}}\n',
            "pnpm-lock.yaml": "lockfileVersion: '9.0'\npackages:\n  tinybench@2.9.0:\n"
            "    resolution: {integrity: sha512-x}\n",
        },
        "package.json:1",
    ),
    (
        "PERF005",
        "pass",
        {"a.py": "import asyncio\nasync def f():\n    await asyncio.sleep(1)\n"},
        None,
    ),
    ("PERF005", "fail", {"a.py": "import time\nasync def f():\n    time.sleep(1)\n"}, "a.py:3"),
    # newspaper's Article downloads and parses synchronously, on the event loop.
    (
        "PERF005",
        "fail",
        {
            "s.py": "from newspaper import Article\n\n\nasync def summary(url):\n"
            "    article = Article(url)\n    article.download()\n    return article.text\n"
        },
        "s.py:6",
    ),
    ("PERF005", "not_applicable", PY, None),
    # Password hashing reached through product functions blocks the async handler.
    (
        "PERF005",
        "fail",
        {
            "security.py": "from passlib.context import CryptContext\n"
            "pwd_context = CryptContext(schemes=['bcrypt'])\n"
            "def verify_password(p, h):\n    return pwd_context.verify(p, h)\n",
            "models.py": "import security\nclass User:\n    def check_password(self, p):\n"
            "        return security.verify_password(p, self.h)\n",
            "routes.py": "async def login(user, p):\n    if not user.check_password(p):\n"
            "        raise ValueError()\n",
        },
        "routes.py:2",
    ),
    # Handed to an executor, the blocking call runs off the loop.
    (
        "PERF005",
        "pass",
        {
            "a.py": "import asyncio, requests\nasync def f(loop, u):\n"
            "    return await loop.run_in_executor(None, lambda: requests.get(u, timeout=5))\n"
        },
        None,
    ),
    (
        "PERF005",
        "fail",
        {
            "src/load.js": "const fs = require('fs')\nasync function load(p) {\n"
            "  return JSON.parse(fs.readFileSync(p))\n}\nmodule.exports = { load }\n"
        },
        "src/load.js:3",
    ),
    # A stat is too cheap to count; a one-shot script in bin/ stalls nothing else.
    (
        "PERF005",
        "pass",
        {
            "src/init.js": "const fs = require('fs')\nasync function init(p) {\n"
            "  if (fs.existsSync(p)) return\n  await fs.promises.mkdir(p)\n}\n",
            "bin/create.js": "#!/usr/bin/env node\nconst cp = require('child_process')\n"
            "async function main() {\n  cp.execSync('git init')\n}\nmain()\n",
        },
        None,
    ),
    (
        "PERF005",
        "fail",
        {
            "src/lib.rs": "pub async fn load(p: &str) -> String {\n"
            "    std::fs::read_to_string(p).unwrap()\n}\n"
        },
        "src/lib.rs:2",
    ),
    (
        "PERF005",
        "pass",
        {
            "src/lib.rs": "pub async fn load(p: &str) -> String {\n"
            "    tokio::fs::read_to_string(p).await.unwrap()\n}\n"
        },
        None,
    ),
    (
        "PERF006",
        "pass",
        {**DB, "schema.sql": "CREATE TABLE t (id int);\nCREATE INDEX i ON t (id);\n"},
        "schema.sql:2",
    ),
    ("PERF006", "fail", DB, "db.py:1"),
    # Indexes declared by the ORM: gorm struct tags.
    (
        "PERF006",
        "pass",
        {
            "go.mod": "module app\n",
            "models.go": 'package models\n\nimport "github.com/jinzhu/gorm"\n\n'
            "type Article struct {\n\tgorm.Model\n"
            '\tSlug string `gorm:"unique_index"`\n}\n',
        },
        "models.go:7",
    ),
    ("REL001", "pass", CALL, "client.py:3"),
    (
        "REL001",
        "fail",
        {"client.py": "import requests\ndef f(u):\n    return requests.get(u)\n"},
        "client.py:3",
    ),
    ("REL001", "fail", {"c.go": "package c\nfunc F() {\n\thttp.Get(url)\n}\n"}, "c.go:3"),
    ("REL001", "not_applicable", PY, None),
    (
        "REL002",
        "pass",
        {
            "client.py": "import requests\nfrom tenacity import retry\n@retry\n"
            "def f(u):\n    return requests.get(u, timeout=5)\n"
        },
        "client.py:5",
    ),
    (
        "REL002",
        "pass",
        {
            "client.py": "import time, requests\ndef f(u):\n    for i in range(3):\n"
            "        try:\n            return requests.get(u, timeout=5)\n"
            "        except Exception:\n            time.sleep(2 ** i)\n"
        },
        "client.py:5",
    ),
    (
        "REL002",
        "fail",
        {**CALL, "pyproject.toml": "[project]\nname='a'\ndependencies=['tenacity']\n"},
        "client.py:3",
    ),
    ("REL002", "not_applicable", PY, None),
    ("REL003", "pass", {**CALL, **SERVICE, "b.py": "import pybreaker\n"}, "b.py:1"),
    ("REL003", "fail", {**CALL, **SERVICE}, "client.py:3"),
    # A command that calls a service fails once and is run again: no breaker to want.
    (
        "REL003",
        "not_applicable",
        {**CALL, "cli.py": "import argparse\nargparse.ArgumentParser()\n"},
        None,
    ),
    (
        "REL004",
        "pass",
        {**API, "life.py": "import signal\nsignal.signal(signal.SIGTERM, stop)\n"},
        "life.py:2",
    ),
    ("REL004", "fail", API, "app.py:2"),
    ("REL004", "not_applicable", PY, None),
    (
        "REL005",
        "pass",
        {
            "s.py": "import os\ndef save(p, d):\n    with open(p + '.tmp', 'w') as f:\n"
            "        f.write(d)\n    os.replace(p + '.tmp', p)\n",
            # It keeps state of its own.
            "state.py": "from pathlib import Path\nHOME = Path.home() / '.app'\n",
        },
        "s.py:5",
    ),
    (
        "REL005",
        "fail",
        {
            "s.py": "def save(p, d):\n    with open(p, 'w') as f:\n        f.write(d)\n",
            "state.py": "from pathlib import Path\nHOME = Path.home() / '.app'\n",
        },
        "s.py:2",
    ),
    ("REL005", "not_applicable", PY, None),
    # Path.open("wb") writes in place, like open(p, "w").
    (
        "REL005",
        "fail",
        {
            "cache.py": "from pathlib import Path\n\n\ndef store(page):\n"
            "    path = Path.home() / '.cache' / 'app' / 'page.md'\n"
            "    with path.open('wb') as f:\n        f.write(page)\n",
        },
        "cache.py:6",
    ),
    # Rust: a temp file opened with create_new(true), then `rename(&tmp, path)` (std::fs).
    (
        "REL005",
        "pass",
        {
            "Cargo.toml": "[package]\nname = 'z'\n",
            "src/main.rs": "use std::fs::{rename, OpenOptions};\nuse std::io::Write;\n"
            "fn main() {\n    let dir = dirs::data_local_dir().unwrap();\n"
            '    let tmp = dir.join("db.tmp");\n'
            "    let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp).unwrap();\n"
            '    f.write_all(b"x").unwrap();\n    rename(&tmp, dir.join("db")).unwrap();\n}\n',
        },
        "src/main.rs:8",
    ),
    # A per-user cache every run shares, written with no lock; fcntl alone is POSIX only.
    (
        "REL007",
        "fail",
        {
            "locations.py": "from platformdirs import user_cache_dir\n"
            "CACHE = user_cache_dir('t')\n",
            "cache.py": "import json\ndef save(path, d):\n    with open(path, 'w') as f:\n"
            "        json.dump(d, f)\n",
        },
        "cache.py:3",
    ),
    (
        "REL007",
        "fail",
        {
            "cache.py": "import fcntl, json\nfrom pathlib import Path\nP = Path.home() / '.t'\n"
            "def save(d):\n    with open(P, 'w') as f:\n        fcntl.flock(f, fcntl.LOCK_EX)\n"
            "        json.dump(d, f)\n",
        },
        "cache.py:6",
    ),
    (
        "REL007",
        "pass",
        {
            "cache.py": "import json\nfrom filelock import FileLock\nfrom pathlib import Path\n"
            "P = Path.home() / '.t'\ndef save(d):\n    with FileLock(str(P) + '.lock'):\n"
            "        with open(P, 'w') as f:\n            json.dump(d, f)\n",
        },
        "cache.py:2",
    ),
    # State kept in a database only: the database locks its own data.
    ("REL007", "not_applicable", {"db.py": "import psycopg2\n"}, None),
    # State kept in a database is written atomically by it; a regenerated README is no state.
    (
        "REL005",
        "pass",
        {
            "db.py": "import psycopg2\n",
            "toc.py": "def save(t):\n    with open('README.md', 'w') as f:\n        f.write(t)\n",
        },
        "db.py:1",
    ),
    # A help formatter's write_text() writes no file.
    (
        "REL005",
        "pass",
        {
            "db.py": "import psycopg2\n",
            "cli.py": "def epilog(formatter, text):\n    formatter.write_text(text)\n",
        },
        "db.py:1",
    ),
    (
        "REL005",
        "fail",
        {
            "db.py": "import psycopg2\n",
            "cache.py": "def save(self, d):\n    self.cache_path.write_text(d)\n",
        },
        "cache.py:2",
    ),
    (
        "REL006",
        "pass",
        {"db.py": "import psycopg2\nc = psycopg2.connect(dsn, connect_timeout=5)\n"},
        "db.py:2",
    ),
    ("REL006", "fail", DB, "db.py:1"),
    # A timeout field declared in the settings but never passed to the driver sets nothing.
    (
        "REL006",
        "fail",
        {
            **DB,
            "settings.py": "from pydantic_settings import BaseSettings\n"
            "class Settings(BaseSettings):\n    db_connect_timeout: int = 5\n",
        },
        "db.py:1",
    ),
    (
        "REL006",
        "pass",
        {
            "settings.py": "from pydantic_settings import BaseSettings\n"
            "class Settings(BaseSettings):\n    db_connect_timeout: int = 5\n",
            "db.py": "import psycopg2\nfrom settings import Settings\ns = Settings()\n"
            "conn = psycopg2.connect(dsn, connect_timeout=s.db_connect_timeout)\n",
        },
        "db.py:4",
    ),
    # A context passed to a query may carry no deadline at all.
    (
        "REL006",
        "fail",
        {
            "repo.go": 'package r\nimport "database/sql"\n'
            "func Get(ctx context.Context, db *sql.DB) {\n\tdb.QueryContext(ctx, q)\n}\n",
        },
        # The line that uses a connection, not the import (database/sql's `when`).
        "repo.go:3",
    ),
    # Retries are asked of outbound network calls; a retried database call makes none.
    (
        "REL002",
        "not_applicable",
        {"etl.py": "from tenacity import retry\n\n@retry\ndef load(conn):\n    conn.execute(q)\n"},
        None,
    ),
]


NODE_CLI = {"package.json": '{"name": "cli", "bin": {"cli": "index.js"}}\n'}
GO_MOD = {"go.mod": "module example.com/svc\n"}

# Timeouts and retries are read call by call: the client's default, the argument passed,
# where the call runs (Node's fetch has undici's defaults, a browser's has none).
CALLS = [
    ("REL001", "pass", {"c.py": "import httpx\ndef f(u):\n    return httpx.get(u)\n"}, "c.py:3"),
    (
        "REL001",
        "fail",
        {
            "c.py": "import requests\ndef get(u, timeout=None):\n"
            "    return requests.get(u, timeout=timeout)\n"
        },
        "c.py:3",
    ),
    (
        "REL001",
        "fail",
        {
            "c.py": "import requests\nclass A:\n    def __init__(self, wait=None):\n"
            "        self.wait = wait\n        self._s = requests.Session()\n"
            "    def post(self, u):\n        return self._s.post(u, timeout=self.wait)\n"
        },
        "c.py:7",
    ),
    (
        "REL001",
        "pass",
        {**NODE_CLI, "index.js": "async function f(u) {\n  return await fetch(u)\n}\n"},
        "index.js:2",
    ),
    # In a Next.js app a shared lib/ module runs wherever it is imported.
    (
        "REL001",
        "cannot_determine",
        {
            "package.json": '{"dependencies": {"next": "14.0.0"}}\n',
            "lib/geo.ts": "export async function geo(ip: string) {\n"
            "  return await fetch(URL + ip)\n}\n",
        },
        None,
    ),
    # A package built for browsers too: fetch's default depends on where it runs.
    (
        "REL001",
        "cannot_determine",
        {
            "package.json": '{"name": "sdk", "browser": "dist/browser.js"}\n',
            "src/client.js": "export async function get(u) {\n  return await fetch(u)\n}\n",
        },
        None,
    ),
    (
        "REL001",
        "fail",
        {
            "package.json": '{"dependencies": {"react": "18.0.0"}}\n',
            "src/api.ts": "'use client'\nexport async function f(u: string) {\n"
            "  return await fetch(u)\n}\n",
        },
        "src/api.ts:3",
    ),
    (
        "REL001",
        "pass",
        {
            "package.json": '{"dependencies": {"react": "18.0.0"}}\n',
            "src/api.ts": "export async function f(u: string) {\n"
            "  return await rejectAfterTimeout(fetch(u), 5000)\n}\n",
        },
        "src/api.ts:2",
    ),
    (
        "REL001",
        "fail",
        {
            **GO_MOD,
            "client.go": 'package c\nimport "google.golang.org/grpc"\n'
            "func C() {\n\tconn, _ := grpc.Dial(addr)\n\t_ = conn\n}\n",
        },
        "client.go:4",
    ),
    (
        "REL001",
        "pass",
        {"mail.js": "const nodemailer = require('nodemailer');\nnodemailer.createTransport({});\n"},
        "mail.js:2",
    ),
    # smtplib's defaults are not in the table: a gap would be a guess.
    (
        "REL001",
        "cannot_determine",
        {"mail.py": "import smtplib\ndef send():\n    smtplib.SMTP('mail')\n"},
        None,
    ),
    (
        "REL002",
        "cannot_determine",
        {"mail.py": "import smtplib\ndef send():\n    smtplib.SMTP('mail')\n"},
        None,
    ),
    # A test-support package's client is not the product's: test_helpers/ is test code, so
    # the product makes no outbound call at all.
    (
        "REL001",
        "not_applicable",
        {
            "Cargo.toml": "[package]\nname = 'x'\n[dependencies]\nreqwest = '0.12'\n",
            "src/test_helpers/client.rs": "pub fn c() {\n    let c = reqwest::Client::new();\n}\n",
        },
        None,
    ),
    # A Retry mounted on one session does not retry another module's plain calls.
    (
        "REL002",
        "fail",
        {
            "api.py": "import requests\nfrom requests.adapters import HTTPAdapter\n"
            "from urllib3.util.retry import Retry\ns = requests.Session()\n"
            "s.mount('https://', HTTPAdapter(max_retries=Retry(total=3, backoff_factor=1)))\n"
            "def get(u):\n    return s.get(u, timeout=5)\n",
            "auth.py": "import requests\ndef token(u):\n    return requests.post(u, timeout=5)\n",
        },
        "auth.py:3",
    ),
    (
        "REL002",
        "pass",
        {
            "api.py": "import requests\nfrom requests.adapters import HTTPAdapter\n"
            "from urllib3.util.retry import Retry\ns = requests.Session()\n"
            "s.mount('https://', HTTPAdapter(max_retries=Retry(total=3, backoff_factor=1)))\n"
            "def get(u):\n    return s.get(u, timeout=5)\n",
        },
        "api.py:7",
    ),
    # Retry(0) allows no retry at all.
    (
        "REL002",
        "fail",
        {
            "api.py": "import requests\nfrom urllib3.util.retry import Retry\n"
            "s = requests.Session()\nR = Retry(0, read=False)\n"
            "def get(u):\n    return s.get(u, timeout=5)\n",
        },
        "api.py:6",
    ),
    # A hand-written loop that waits a growing delay retries the calls of its file.
    (
        "REL002",
        "pass",
        {
            **NODE_CLI,
            "client.js": "async function call(u) {\n  let attempt = 0\n  while (true) {\n"
            "    try {\n      return await fetch(u)\n    } catch (e) {\n"
            "      await sleep(100 * 2 ** attempt)\n      attempt++\n    }\n  }\n}\n",
        },
        "client.js:5",
    ),
    (
        "REL002",
        "pass",
        {
            "c.py": "import requests\nfrom tenacity import Retrying, stop_after_attempt\n"
            "def f(u):\n    for attempt in Retrying(stop=stop_after_attempt(3)):\n"
            "        with attempt:\n            return requests.get(u, timeout=5)\n",
        },
        "c.py:6",
    ),
    # Each file that uses a retry library retries its own calls.
    (
        "REL002",
        "pass",
        {
            **GO_MOD,
            "a.go": 'package c\nimport (\n\t"net/http"\n\t"github.com/avast/retry-go"\n)\n'
            "func A() {\n\tretry.Do(func() error {\n\t\t_, err := http.Get(u)\n"
            "\t\treturn err\n\t})\n}\n",
        },
        "a.go:8",
    ),
    # A Go loop that sleeps a fixed 10 s waits, it does not back off.
    (
        "REL002",
        "fail",
        {
            **GO_MOD,
            "c.go": 'package c\nimport (\n\t"net/http"\n\t"time"\n)\n'
            "func F() {\n\tfor {\n\t\t_, err := http.Get(u)\n\t\tif err == nil {\n"
            "\t\t\treturn\n\t\t}\n\t\ttime.Sleep(10 * time.Second)\n\t}\n}\n",
        },
        "c.go:8",
    ),
    # The OpenAI SDK retries its own calls, not the app's plain fetches (a server's: a
    # page's fetch is retried by its user, see test_round7).
    (
        "REL002",
        "fail",
        {
            "package.json": '{"dependencies": {"express": "4.0.0"}}\n',
            "ai.ts": "import OpenAI from 'openai'\nconst c = new OpenAI()\n",
            "hook.ts": "export async function f() {\n"
            "  return await fetch('https://hooks.example.com/x')\n}\n",
        },
        "hook.ts:2",
    ),
    (
        "REL002",
        "pass",
        {"ai.ts": "import OpenAI from 'openai'\nconst c = new OpenAI()\n"},
        "ai.ts:2",
    ),
    (
        "REL002",
        "pass",
        {
            "tasks.py": "import requests\nfrom celery import shared_task\n"
            "@shared_task(autoretry_for=(Exception,), retry_backoff=True)\n"
            "def ping(u):\n    requests.get(u, timeout=5)\n",
        },
        "tasks.py:5",
    ),
]


@cases(CALLS)
def test_outbound_calls(run_probe: RunProbe, probe_id, outcome, files, where):
    check_case(run_probe, probe_id, outcome, files, where)


@cases(TABLE)
def test_performance_reliability_probes(run_probe: RunProbe, probe_id, outcome, files, where):
    check_case(run_probe, probe_id, outcome, files, where)


def test_calls_from_a_page_or_a_build_script_are_a_low_gap(run_probe: RunProbe) -> None:
    page = {
        "package.json": '{"dependencies": {"react": "18.0.0"}}\n',
        "src/api.ts": "'use client'\nexport async function f(u: string) {\n"
        "  return await fetch(u)\n}\n",
    }
    browser = run_probe("REL001", page)
    assert browser.outcome.value == "fail" and browser.severity.value == "low"
    assert "browser" in browser.severity_note
    script = {
        "package.json": '{"scripts": {"build-geo": "node scripts/build-geo.js"}, '
        '"dependencies": {"axios": "1.0.0"}}\n',
        "scripts/build-geo.js": "const axios = require('axios')\n"
        "async function main() {\n  await axios.get(process.env.GEO_URL)\n}\nmain()\n",
        "server.js": "const express = require('express')\nexpress().listen(3000)\n",
    }
    # A JavaScript project's top-level scripts/ folder is its maintainers' (thelounge's
    # changelog script, umami's build-geo): no product call at all.
    assert run_probe("REL001", script).outcome.value == "not_applicable"
    # A maintainer script elsewhere, run by a package.json script: a low gap.
    moved = {
        **{k: v for k, v in script.items() if k != "scripts/build-geo.js"},
        "package.json": script["package.json"].replace("scripts/", "extra/"),
        "extra/build-geo.js": script["scripts/build-geo.js"],
    }
    tooling = run_probe("REL001", moved)
    assert tooling.outcome.value == "fail" and tooling.severity.value == "low"
    assert "maintainer script" in tooling.severity_note
    # The same call in the server keeps the probe's severity.
    served = {
        **script,
        "server.js": script["server.js"] + "const axios = require('axios')\n"
        "axios.get(process.env.GEO_URL)\n",
    }
    kept = run_probe("REL001", served)
    assert kept.outcome.value == "fail" and kept.severity.value == "high"
    assert kept.evidence[0].path == "server.js"


def test_fetching_a_bundled_asset_is_no_outbound_call(run_probe: RunProbe) -> None:
    route = (
        'export const runtime = "edge"\n'
        "const font = fetch(\n"
        '  new URL("../assets/Inter.ttf", import.meta.url)\n'
        ").then((res) => res.arrayBuffer())\n"
        "export async function GET(u: string) {\n  return await fetch(u)\n}\n"
    )
    result = run_probe(
        "REL001",
        {"package.json": '{"dependencies": {"next": "14"}}\n', "app/api/og/route.ts": route},
    )
    assert result.outcome.value == "fail" and len(result.evidence) == 1
    assert result.evidence[0].location == "app/api/og/route.ts:6"
