"""What held-out round 9 taught the performance and web probes (sqlite-utils, flower,
go-kit-realworld, mini-redis, resend-node), each case rebuilt small beside the one that must
stay as it is."""

from __future__ import annotations

from tests.probes.conftest import RunProbe

_PY = {"pyproject.toml": '[project]\nname = "tool"\nversion = "1.0"\n'}
_GO = {"go.mod": "module x\n"}
_RUST = {"Cargo.toml": '[package]\nname = "kv"\nversion = "0.1.0"\n'}


def test_an_embedded_database_has_no_connections_to_pool(run_probe: RunProbe) -> None:
    local = "import sqlite3\n\n\ndef open_db(path):\n    return sqlite3.connect(path)\n"
    result = run_probe("PERF001", {**_PY, "tool/db.py": local})
    assert result.outcome.value == "not_applicable" and "embedded" in result.message
    node = {
        "package.json": '{"name": "notes", "main": "index.js"}\n',
        "index.js": "const Database = require('better-sqlite3');\n"
        "module.exports = (file) => new Database(file);\n",
    }
    assert run_probe("PERF001", node).outcome.value == "not_applicable"
    # A database server reached without a pool is still the gap, alone or beside SQLite.
    server = "import psycopg\n\n\ndef open_db(dsn):\n    return psycopg.connect(dsn)\n"
    assert run_probe("PERF001", {**_PY, "tool/db.py": server}).outcome.value == "fail"
    both = {**_PY, "tool/db.py": server, "tool/cache.py": local}
    assert run_probe("PERF001", both).outcome.value == "fail"


_SCHEMA = (
    "CREATE TABLE users (\n    id BINARY(16) PRIMARY KEY,\n    username VARCHAR(255),\n"
    "    email VARCHAR(255){index}\n);\n\n"
    "CREATE TABLE articles (\n    id BINARY(16) PRIMARY KEY,\n    author_id BINARY(16),\n"
    "    FOREIGN KEY (author_id) REFERENCES users (id)\n);\n"
)
_SQLX = (
    'package main\n\nimport (\n\t"github.com/jmoiron/sqlx"\n\t_ "github.com/go-sql-driver/mysql"\n'
    ')\n\nfunc main() {\n\tdb, _ := sqlx.Open("mysql", "dsn")\n\t_ = db\n}\n'
)


def test_indexes_inside_create_table_and_stores_with_nothing_to_index(
    run_probe: RunProbe,
) -> None:
    files = {**_GO, "main.go": _SQLX}
    unique = ",\n    UNIQUE KEY idx_users_username_email (username, email)"
    result = run_probe("PERF006", {**files, "schema.sql": _SCHEMA.format(index=unique)})
    assert result.outcome.value == "pass"
    assert result.evidence[0].location == "schema.sql:5"
    keyed = ",\n    key idx_users_email (email)"
    assert run_probe(
        "PERF006", {**files, "schema.sql": _SCHEMA.format(index=keyed)}
    ).outcome.value == ("pass")
    # Primary and foreign keys are no index declared for the lookups.
    plain = {**files, "schema.sql": _SCHEMA.format(index="")}
    assert run_probe("PERF006", plain).outcome.value == "fail"
    # A broker or cache read by its keys has no schema to index.
    broker = "import redis\n\n\ndef depth(r, queue):\n    return redis.Redis().llen(queue)\n"
    result = run_probe("PERF006", {**_PY, "tool/broker.py": broker})
    assert result.outcome.value == "not_applicable" and "redis" in result.message
    # ... unless the repository also declares tables.
    tables = {**_PY, "tool/broker.py": broker, "schema.sql": _SCHEMA.format(index="")}
    assert run_probe("PERF006", tables).outcome.value == "fail"


def _server(bind: str) -> dict[str, str]:
    main = (
        "use tokio::net::TcpListener;\n\n#[tokio::main]\nasync fn main() {\n"
        "    let port = 6379;\n"
        f"    {bind}\n"
        "    loop {\n        let (socket, _) = listener.accept().await.unwrap();\n"
        "        drop(socket);\n    }\n}\n"
    )
    return {**_RUST, "src/main.rs": main}


def test_a_service_listening_on_loopback_only_is_reachable_from_this_host(
    run_probe: RunProbe,
) -> None:
    local = run_probe(
        "SEC012",
        _server('let listener = TcpListener::bind(&format!("127.0.0.1:{port}")).await.unwrap();'),
    )
    assert local.outcome.value == "fail" and local.severity.value == "low"
    assert local.severity_note and "this host" in local.severity_note
    via = (
        "let addr = std::net::SocketAddr::from(([127, 0, 0, 1], port));\n"
        "    let listener = TcpListener::bind(addr).await.unwrap();"
    )
    assert run_probe("SEC012", _server(via)).severity.value == "low"
    # Every interface, or an address the configuration chooses, keeps the severity.
    wide = run_probe(
        "SEC012",
        _server('let listener = TcpListener::bind(&format!("0.0.0.0:{port}")).await.unwrap();'),
    )
    assert wide.outcome.value == "fail" and wide.severity.value == "high"
    configured = (
        'let addr = std::env::var("ADDR").unwrap_or("127.0.0.1:6379".into());\n'
        "    let listener = TcpListener::bind(addr).await.unwrap();"
    )
    assert run_probe("SEC012", _server(configured)).severity.value == "high"
    go = 'package main\n\nimport "net"\n\nfunc main() {\n\tl, _ := net.Listen("tcp", ":8080")\n'
    go += "\tfor {\n\t\tc, _ := l.Accept()\n\t\tc.Close()\n\t}\n}\n"
    assert run_probe("SEC012", {**_GO, "main.go": go}).severity.value == "high"
    loopback = go.replace('":8080"', '"127.0.0.1:8080"')
    assert run_probe("SEC012", {**_GO, "main.go": loopback}).severity.value == "low"


def test_an_api_client_has_no_hot_path_to_benchmark(run_probe: RunProbe) -> None:
    client = (
        "export class Emails {\n  async send(body: object) {\n"
        "    const res = await fetch('https://api.mailer.example/emails', {\n"
        "      method: 'POST', body: JSON.stringify(body),\n    });\n"
        "    return res.json();\n  }\n}\n"
    )
    sdk = {"package.json": '{"name": "mailer", "main": "dist/index.js"}\n', "src/index.ts": client}
    result = run_probe("PERF004", sdk)
    assert result.outcome.value == "fail" and "remote API" in result.advisory
    # A library that computes (a parser) is measured by its own benchmarks.
    parser = (
        "export function parse(text: string): string[] {\n"
        "  return text.split(',').map((cell) => cell.trim());\n}\n"
    )
    library = {**sdk, "src/index.ts": parser}
    result = run_probe("PERF004", library)
    assert result.outcome.value == "fail" and result.advisory == ""
    # So is a service, even one that calls the same API.
    server = "const express = require('express');\nconst app = express();\napp.listen(3000);\n"
    service = {**sdk, "src/server.js": server}
    result = run_probe("PERF004", service)
    assert result.outcome.value == "fail" and result.advisory == ""
