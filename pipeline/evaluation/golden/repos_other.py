"""Golden repositories in Rust, Go, TypeScript, Java and JavaScript, and a monorepo."""

from __future__ import annotations

from typing import Final

from pipeline.evaluation.golden.spec import Expect, Fact, GoldenRepo
from pipeline.schemas import Category as C
from pipeline.schemas import Outcome as O
from pipeline.schemas import Severity as S
from pipeline.schemas import Verdict as V

_GAP: Final = "gap"
_STRENGTH: Final = "strength"

RUST_CRATE = GoldenRepo(
    name="rust-crate",
    kind="Rust crate: unwrap in library code, unwrap inside #[cfg(test)] only as a decoy",
    language="rust",
    notes="The test-module unwrap is fine; a finding citing it is a false positive.",
    avoid=(
        Expect(
            C.error_handling,
            _GAP,
            S.medium,
            ("unwrap", "panic"),
            "src/lib.rs",
            '"5432".parse().unwrap()',
        ),
    ),
    verdicts={
        C.testing: (
            V.passed,
            V.partial,
        ),
        C.error_handling: (
            V.partial,
            V.failed,
        ),
    },
    files={
        "Cargo.toml": (
            '[package]\nname = "portspec"\nversion = "0.3.0"\nedition = "2021"\n\n'
            '[dependencies]\nserde = "1.0.210"\n'
        ),
        "README.md": (
            "# portspec\n\nParse `host:port` strings.\n\n## Usage\n\n"
            '```rust\nlet p = portspec::parse("db:5432");\n```\n'
        ),
        "src/lib.rs": (
            "//! Parse host:port pairs.\n\n"
            "pub struct Endpoint {\n    pub host: String,\n    pub port: u16,\n}\n\n"
            "pub fn parse(spec: &str) -> Endpoint {\n"
            "    let (host, port) = spec.split_once(':').expect(\"missing colon\");\n"
            "    let port = port.parse::<u16>().unwrap();\n"
            "    Endpoint { host: host.to_string(), port }\n"
            "}\n\n"
            "#[cfg(test)]\n"
            "mod tests {\n"
            "    use super::*;\n\n"
            "    #[test]\n"
            "    fn parses_port() {\n"
            '        let port: u16 = "5432".parse().unwrap();\n'
            '        assert_eq!(parse("db:5432").port, port);\n'
            "    }\n"
            "}\n"
        ),
        ".github/workflows/ci.yml": (
            "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - uses: actions/checkout@v4\n      - run: cargo clippy -- -D warnings\n"
            "      - run: cargo test\n"
        ),
    },
    expected=(
        Expect(
            C.error_handling,
            _GAP,
            S.medium,
            ("unwrap", "panic", "expect"),
            "src/lib.rs",
            "let (host, port)",
            span=2,
            check_id="ERR004",
        ),
        Expect(
            C.testing, _STRENGTH, S.low, ("test", "ci"), ".github/workflows/ci.yml", "cargo test"
        ),
        Expect(
            C.code_quality,
            _STRENGTH,
            S.low,
            ("clippy", "lint"),
            ".github/workflows/ci.yml",
            "cargo clippy",
            required=False,
        ),
        Expect(C.documentation, _GAP, S.low, ("changelog",), required=False),
    ),
    facts=(
        Fact("TST001", O.passed),
        Fact("TST002", O.passed),
        Fact("CQ002", O.passed),
        Fact("ERR004", O.failed),
        Fact("DEP008", O.passed),
        Fact("ERR005", O.passed),
        Fact("DOC003", O.failed),
        Fact("DOC001", O.passed),
        Fact("DOC004", O.failed),
        Fact("DOC005", O.failed),
        Fact("SEC007", O.failed),
        Fact("CQ008", O.failed),
        Fact("SEC008", O.failed),
        Fact("SEC009", O.failed),
    ),
)

GO_SERVICE = GoldenRepo(
    name="go-service",
    kind="Go HTTP service, tests in *_test.go, CI runs them through make",
    language="go",
    verdicts={
        C.testing: (
            V.passed,
            V.partial,
        ),
        C.reliability: (
            V.partial,
            V.failed,
        ),
        C.deployment: (
            V.passed,
            V.partial,
        ),
    },
    files={
        "go.mod": "module example.com/pinger\n\ngo 1.22\n",
        "go.sum": "",
        "README.md": (
            "# pinger\n\nAnswers health probes for the edge fleet.\n\n## Run\n\n"
            "    make run\n\n## Test\n\n    make test\n"
        ),
        "Makefile": "run:\n\tgo run .\n\ntest:\n\tgo test ./...\n",
        "main.go": (
            "package main\n\n"
            'import (\n\t"encoding/json"\n\t"log"\n\t"net/http"\n)\n\n'
            "func status(w http.ResponseWriter, r *http.Request) {\n"
            '\tjson.NewEncoder(w).Encode(map[string]string{"status": "ok"})\n'
            "}\n\n"
            "func main() {\n"
            "\tmux := http.NewServeMux()\n"
            '\tmux.HandleFunc("/healthz", status)\n'
            '\tlog.Println("listening on :8080")\n'
            '\tlog.Fatal(http.ListenAndServe(":8080", mux))\n'
            "}\n"
        ),
        "main_test.go": (
            "package main\n\n"
            'import (\n\t"net/http/httptest"\n\t"testing"\n)\n\n'
            "func TestStatus(t *testing.T) {\n"
            "\trec := httptest.NewRecorder()\n"
            '\tstatus(rec, httptest.NewRequest("GET", "/healthz", nil))\n'
            '\tif rec.Code != 200 {\n\t\tt.Fatalf("got %d", rec.Code)\n\t}\n'
            "}\n"
        ),
        "Dockerfile": (
            "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\n"
            "RUN CGO_ENABLED=0 go build -o /pinger .\n\n"
            "FROM gcr.io/distroless/static:nonroot\nCOPY --from=build /pinger /pinger\n"
            'USER nonroot\nENTRYPOINT ["/pinger"]\n'
        ),
        ".github/workflows/ci.yml": (
            "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - uses: actions/checkout@v4\n      - uses: actions/setup-go@v5\n"
            "      - run: make test\n"
        ),
    },
    expected=(
        Expect(
            C.testing,
            _STRENGTH,
            S.low,
            ("test", "ci", "make"),
            ".github/workflows/ci.yml",
            "make test",
        ),
        Expect(
            C.reliability,
            _GAP,
            S.medium,
            ("timeout", "shutdown", "graceful"),
            "main.go",
            "http.ListenAndServe",
            check_id="REL004",
        ),
        Expect(
            C.deployment,
            _STRENGTH,
            S.low,
            ("root", "user", "docker", "distroless"),
            "Dockerfile",
            "USER nonroot",
        ),
        Expect(
            C.error_handling,
            _GAP,
            S.low,
            ("ignored", "error", "encode"),
            "main.go",
            "json.NewEncoder",
            required=False,
            check_id="ERR007",
        ),
        Expect(C.observability, _GAP, S.low, ("structured", "metric", "logging"), required=False),
        Expect(
            C.observability, _STRENGTH, S.low, ("health",), "main.go", '"/healthz"', required=False
        ),
    ),
    facts=(
        Fact("TST001", O.passed),
        Fact("TST002", O.passed),
        Fact("OBS006", O.passed),
        Fact("REL004", O.failed),
        Fact("ERR007", O.failed),
        Fact("DEP001", O.passed),
        Fact("DEP002", O.passed),
        Fact("DEP011", O.passed),
        Fact("OBS001", O.passed),
        Fact("ERR006", O.passed),
        Fact("DOC003", O.failed),
        Fact("OBS002", O.failed),
        Fact("DEP005", O.failed),
        Fact("DOC001", O.passed),
        Fact("DOC004", O.failed),
        Fact("DOC005", O.failed),
        Fact("SEC007", O.failed),
        Fact("CQ008", O.failed),
        Fact("SEC008", O.failed),
        Fact("SEC009", O.failed),
    ),
)

TS_APP = GoldenRepo(
    name="ts-app",
    kind="TypeScript app: strict tsconfig, tests in __tests__, eval of user input, no CI",
    language="typescript",
    verdicts={
        C.security: (
            V.failed,
            V.partial,
        ),
        C.deployment: (V.failed,),
    },
    files={
        "package.json": (
            '{\n  "name": "quickcalc",\n  "version": "1.0.0",\n  "scripts": {\n'
            '    "build": "tsc",\n    "test": "vitest run",\n    "lint": "eslint src"\n  },\n'
            '  "dependencies": {"express": "^4.19.2"},\n'
            '  "devDependencies": {"typescript": "^5.6.2", "vitest": "^2.1.1", '
            '"eslint": "^9.11.1"}\n}\n'
        ),
        "tsconfig.json": '{\n  "compilerOptions": {"strict": true, "outDir": "dist"}\n}\n',
        "README.md": "# quickcalc\n\nA calculator API.\n\n## Usage\n\n    npm start\n",
        "src/index.ts": (
            'import express from "express";\nimport { calculate } from "./calc";\n\n'
            "const app = express();\n\n"
            'app.get("/calc", (req, res) => {\n'
            "  const expr = String(req.query.expr);\n"
            '  console.log("calc", expr);\n'
            "  res.json({ result: calculate(expr) });\n"
            "});\n\n"
            "app.listen(3000);\n"
        ),
        "src/calc.ts": (
            "export function calculate(expr: string): number {\n  return eval(expr) as number;\n}\n"
        ),
        "src/__tests__/calc.test.ts": (
            'import { describe, expect, it } from "vitest";\n'
            'import { calculate } from "../calc";\n\n'
            'describe("calculate", () => {\n'
            '  it("adds", () => {\n    expect(calculate("1 + 2")).toBe(3);\n  });\n});\n'
        ),
    },
    expected=(
        Expect(
            C.security,
            _GAP,
            S.high,
            ("eval", "injection", "code execution"),
            "src/calc.ts",
            "eval(expr)",
            check_id="SEC002",
        ),
        Expect(C.testing, _GAP, S.medium, ("ci", "continuous", "workflow"), check_id="TST002"),
        Expect(C.deployment, _GAP, S.medium, ("docker", "container", "deploy")),
        Expect(
            C.code_quality,
            _STRENGTH,
            S.low,
            ("strict", "typescript", "type"),
            "tsconfig.json",
            '"strict": true',
            required=False,
        ),
        Expect(
            C.observability,
            _GAP,
            S.low,
            ("console", "logging", "log"),
            "src/index.ts",
            "console.log",
            required=False,
        ),
        Expect(
            C.testing, _STRENGTH, S.low, ("test",), "src/__tests__/calc.test.ts", required=False
        ),
        Expect(C.observability, _GAP, S.low, ("health",), required=False),
    ),
    facts=(
        Fact("TST001", O.passed),
        Fact("CQ003", O.passed),
        Fact("SEC002", O.failed),
        Fact("TST002", O.failed),
        Fact("DEP001", O.failed),
        Fact("DOC003", O.failed),
        Fact("OBS003", O.failed),
        Fact("OBS001", O.failed),
        Fact("OBS006", O.failed),
        Fact("DOC001", O.passed),
        Fact("DOC004", O.failed),
        Fact("DOC005", O.failed),
        Fact("SEC007", O.failed),
        Fact("CQ008", O.failed),
        Fact("SEC008", O.failed),
        Fact("SEC009", O.failed),
    ),
)

JAVA_SERVICE = GoldenRepo(
    name="java-service",
    kind="Spring service: Flyway migrations, Maven CI, password in properties, swallowed error",
    language="java",
    verdicts={
        C.security: (
            V.failed,
            V.partial,
        ),
        C.data: (
            V.passed,
            V.partial,
        ),
    },
    files={
        "pom.xml": (
            "<project>\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>com.example</groupId>\n"
            "  <artifactId>ledger</artifactId>\n  <version>2.1.0</version>\n</project>\n"
        ),
        "README.md": (
            "# ledger\n\nBooks payments.\n\n## Build\n\n    mvn -B verify\n\n## Run\n\n"
            "    java -jar target/ledger.jar\n"
        ),
        "src/main/java/com/example/ledger/LedgerService.java": (
            "package com.example.ledger;\n\n"
            "import java.util.List;\n\n"
            "public class LedgerService {\n"
            "    private final Repository repository;\n\n"
            "    public LedgerService(Repository repository) {\n"
            "        this.repository = repository;\n"
            "    }\n\n"
            "    public void book(List<Payment> payments) {\n"
            "        for (Payment p : payments) {\n"
            "            try {\n"
            "                repository.save(p);\n"
            "            } catch (Exception e) {\n"
            "                e.printStackTrace();\n"
            "            }\n"
            "        }\n"
            "    }\n"
            "}\n"
        ),
        "src/main/resources/application.properties": (
            "spring.datasource.url=jdbc:postgresql://db:5432/ledger\n"
            "spring.datasource.username=ledger\n"
            "spring.datasource.password=Ledger2024!prod\n"
        ),
        "src/main/resources/db/migration/V1__create_payments.sql": (
            "CREATE TABLE payments (\n  id BIGSERIAL PRIMARY KEY,\n  amount NUMERIC NOT NULL\n);\n"
        ),
        "src/test/java/com/example/ledger/LedgerServiceTest.java": (
            "package com.example.ledger;\n\nimport org.junit.jupiter.api.Test;\n\n"
            "class LedgerServiceTest {\n    @Test\n    void booksNothing() {\n"
            "        new LedgerService(new InMemoryRepository()).book(java.util.List.of());\n"
            "    }\n}\n"
        ),
        "Dockerfile": (
            "FROM eclipse-temurin:21.0.4_7-jre\nCOPY target/ledger.jar /app/ledger.jar\n"
            'RUN useradd ledger\nUSER ledger\nENTRYPOINT ["java", "-jar", "/app/ledger.jar"]\n'
        ),
        ".github/workflows/build.yml": (
            "name: build\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - uses: actions/checkout@v4\n      - uses: actions/setup-java@v4\n"
            "        with:\n          distribution: temurin\n          java-version: '21'\n"
            "      - run: mvn -B verify\n"
        ),
    },
    expected=(
        Expect(
            C.security,
            _GAP,
            S.high,
            ("password", "secret", "credential"),
            "src/main/resources/application.properties",
            "spring.datasource.password",
            check_id="SEC001",
        ),
        Expect(
            C.error_handling,
            _GAP,
            S.medium,
            ("swallow", "printstacktrace", "catch"),
            "src/main/java/com/example/ledger/LedgerService.java",
            "catch (Exception e)",
            span=2,
            check_id="ERR010",
        ),
        Expect(
            C.data,
            _STRENGTH,
            S.low,
            ("migration", "flyway"),
            "src/main/resources/db/migration/V1__create_payments.sql",
        ),
        Expect(
            C.testing,
            _STRENGTH,
            S.low,
            ("test", "ci", "maven", "mvn"),
            ".github/workflows/build.yml",
            "mvn -B verify",
            required=False,
        ),
        Expect(
            C.deployment,
            _STRENGTH,
            S.low,
            ("root", "user", "docker"),
            "Dockerfile",
            "USER ledger",
            required=False,
        ),
        Expect(C.observability, _GAP, S.medium, ("logging", "log"), required=False),
        Expect(C.data, _GAP, S.medium, ("backup", "restore"), required=False),
    ),
    facts=(
        Fact("TST001", O.passed),
        Fact("TST002", O.passed),
        Fact("SEC001", O.failed),
        Fact("ERR010", O.failed),
        Fact("DEP001", O.passed),
        Fact("DEP002", O.passed),
        Fact("DEP003", O.passed),
        Fact("DATA001", O.passed),
        Fact("DOC003", O.failed),
        Fact("OBS001", O.failed),
        Fact("DOC001", O.passed),
        Fact("DOC004", O.failed),
        Fact("DOC005", O.failed),
        Fact("SEC007", O.failed),
        Fact("CQ008", O.failed),
        Fact("SEC008", O.failed),
        Fact("SEC009", O.failed),
    ),
)

EXPRESS_API = GoldenRepo(
    name="express-api",
    kind="Node Express API: SQL by concatenation, JWT secret in code, root container",
    language="javascript",
    verdicts={
        C.security: (V.failed,),
    },
    files={
        "package.json": (
            '{\n  "name": "members-api",\n  "version": "0.9.0",\n  "main": "index.js",\n'
            '  "scripts": {"start": "node index.js", "test": "mocha"},\n'
            '  "dependencies": {"express": "^4.19.2", "jsonwebtoken": "^9.0.2", "pg": "^8.12.0",'
            ' "morgan": "^1.10.0"},\n  "devDependencies": {"mocha": "^10.7.3"}\n}\n'
        ),
        "README.md": "# members-api\n\n## Usage\n\n    npm install\n    npm start\n",
        "index.js": (
            'const express = require("express");\n'
            'const jwt = require("jsonwebtoken");\n'
            'const morgan = require("morgan");\n'
            'const { Pool } = require("pg");\n\n'
            "const app = express();\n"
            "const pool = new Pool();\n"
            'const JWT_SECRET = "members-jwt-signing-key-7f3a9c";\n\n'
            'app.use(morgan("combined"));\n\n'
            'app.get("/members/:id", async (req, res) => {\n'
            '  const result = await pool.query("SELECT * FROM members WHERE id = "'
            " + req.params.id);\n"
            "  res.json(result.rows);\n"
            "});\n\n"
            'app.post("/login", (req, res) => {\n'
            '  res.json({ token: jwt.sign({ sub: "member" }, JWT_SECRET) });\n'
            "});\n\n"
            "module.exports = app;\n"
            "if (require.main === module) app.listen(3000);\n"
        ),
        "test/members.test.js": (
            'const assert = require("assert");\nconst app = require("../index");\n\n'
            'describe("app", () => {\n  it("exports an express app", () => {\n'
            '    assert.strictEqual(typeof app.listen, "function");\n  });\n});\n'
        ),
        "Dockerfile": (
            'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm install\nCMD ["npm", "start"]\n'
        ),
        ".github/workflows/ci.yml": (
            "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - uses: actions/checkout@v4\n      - run: npm ci\n      - run: npm test\n"
        ),
    },
    expected=(
        Expect(
            C.security,
            _GAP,
            S.critical,
            ("sql", "injection", "query"),
            "index.js",
            "SELECT * FROM members",
            check_id="SEC006",
        ),
        Expect(
            C.security,
            _GAP,
            S.high,
            ("secret", "jwt", "key", "hard-coded"),
            "index.js",
            "const JWT_SECRET",
            check_id="SEC001",
        ),
        Expect(C.deployment, _GAP, S.medium, ("root", "user"), "Dockerfile"),
        Expect(
            C.testing,
            _STRENGTH,
            S.low,
            ("test", "ci", "mocha"),
            ".github/workflows/ci.yml",
            "npm test",
        ),
        Expect(
            C.observability,
            _STRENGTH,
            S.low,
            ("logging", "morgan", "log"),
            "index.js",
            'app.use(morgan("combined"))',
            required=False,
        ),
        Expect(C.security, _GAP, S.medium, ("rate", "validation", "input"), required=False),
        Expect(C.observability, _GAP, S.low, ("health",), required=False),
    ),
    facts=(
        Fact("TST001", O.passed),
        Fact("TST002", O.passed),
        Fact("SEC006", O.failed),
        Fact("SEC001", O.failed),
        Fact("DEP002", O.failed),
        Fact("OBS006", O.failed),
        Fact("DOC003", O.failed),
        Fact("DATA001", O.failed),
        Fact("DOC001", O.passed),
        Fact("DOC004", O.failed),
        Fact("DOC005", O.failed),
        Fact("SEC007", O.failed),
        Fact("CQ008", O.failed),
        Fact("SEC008", O.failed),
        Fact("SEC009", O.failed),
    ),
)

MONOREPO = GoldenRepo(
    name="monorepo",
    kind="monorepo assessed with --scope services/api; the worker's flaws are out of scope",
    language="python",
    scope="services/api",
    notes="A finding about services/worker is out of scope and counts as a false positive.",
    verdicts={
        C.security: (
            V.partial,
            V.failed,
        ),
        C.testing: (
            V.passed,
            V.partial,
        ),
    },
    files={
        "README.md": "# platform\n\nServices and packages of the platform team.\n",
        "services/api/README.md": (
            "# api\n\nPublic API.\n\n## Run\n\n    uvicorn api.main:app\n\n## Test\n\n    pytest\n"
        ),
        "services/api/pyproject.toml": (
            '[project]\nname = "api"\nversion = "3.0.0"\n'
            'dependencies = ["fastapi==0.115.0", "requests==2.32.3"]\n'
        ),
        "services/api/api/__init__.py": "",
        "services/api/api/main.py": (
            "import logging\nimport os\n\nimport requests\nfrom fastapi import FastAPI\n\n"
            "logger = logging.getLogger(__name__)\n"
            "app = FastAPI()\n"
            'BILLING_URL = os.environ.get("BILLING_URL", "https://billing.internal")\n\n\n'
            '@app.post("/invoices")\n'
            "def create_invoice(amount: int) -> dict[str, str]:\n"
            "    reply = requests.post(\n"
            '        f"{BILLING_URL}/invoices", json={"amount": amount}, timeout=5, verify=False\n'
            "    )\n"
            '    logger.info("invoice created")\n'
            '    return {"id": reply.json()["id"]}\n'
        ),
        "services/api/tests/test_main.py": (
            "from api.main import app\n\n\ndef test_app_has_routes():\n"
            '    assert any(r.path == "/invoices" for r in app.routes)\n'
        ),
        "services/api/Dockerfile": (
            "FROM python:3.12.6-slim\nWORKDIR /srv\nCOPY . .\nRUN pip install --no-cache-dir .\n"
            'USER nobody\nCMD ["uvicorn", "api.main:app", "--host", "0.0.0.0"]\n'
        ),
        "services/worker/worker.py": (
            "import time\n\n\ndef loop(queue):\n    while True:\n        try:\n"
            "            queue.pop()()\n        except:\n            pass\n        time.sleep(1)\n"
        ),
        "packages/web/package.json": '{\n  "name": "web",\n  "version": "0.1.0"\n}\n',
        "packages/web/src/main.ts": "document.body.innerHTML = location.hash.slice(1);\n",
        ".github/workflows/api.yml": (
            "name: api\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
            "    defaults:\n      run:\n        working-directory: services/api\n    steps:\n"
            "      - uses: actions/checkout@v4\n      - run: pip install -e . pytest\n"
            "      - run: pytest -q\n"
        ),
    },
    expected=(
        Expect(
            C.security,
            _GAP,
            S.high,
            ("tls", "verify", "certificate", "ssl"),
            "services/api/api/main.py",
            "verify=False",
            check_id="SEC005",
        ),
        Expect(
            C.testing,
            _STRENGTH,
            S.low,
            ("test",),
            "services/api/tests/test_main.py",
            required=False,
        ),
        Expect(
            C.testing,
            _STRENGTH,
            S.low,
            ("test", "ci"),
            ".github/workflows/api.yml",
            "pytest -q",
            required=False,
        ),
        Expect(
            C.deployment,
            _STRENGTH,
            S.low,
            ("root", "user", "docker"),
            "services/api/Dockerfile",
            "USER nobody",
            required=False,
        ),
        Expect(
            C.reliability,
            _STRENGTH,
            S.low,
            ("timeout",),
            "services/api/api/main.py",
            "timeout=5",
            required=False,
        ),
        Expect(C.observability, _GAP, S.low, ("health", "metric"), required=False),
    ),
    facts=(
        Fact("TST001", O.passed),
        Fact("REL001", O.passed),
        Fact("ERR001", O.passed),
        Fact("SEC005", O.failed),
        Fact("DEP002", O.passed),
        Fact("DEP003", O.passed),
        Fact("OBS001", O.passed),
        Fact("DOC003", O.failed),
        Fact("DOC001", O.passed),
        Fact("DOC004", O.failed),
        Fact("DOC005", O.failed),
        Fact("SEC007", O.failed),
        Fact("CQ008", O.failed),
        Fact("SEC008", O.failed),
        Fact("SEC009", O.failed),
    ),
)

OTHER_REPOS = (RUST_CRATE, GO_SERVICE, TS_APP, JAVA_SERVICE, EXPRESS_API, MONOREPO)
