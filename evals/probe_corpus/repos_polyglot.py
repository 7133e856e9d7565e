"""JavaScript/TypeScript, Go, Rust, Java and monorepo repositories of the probe corpus."""
# ruff: noqa: E501 - embedded repository files read better unwrapped

from __future__ import annotations

from evals.probe_corpus import RepoSpec

P, F, NA = "pass", "fail", "not_applicable"

NODE_API = RepoSpec(
    "node-express-api",
    {
        "package.json": '{\n  "name": "api",\n  "main": "src/server.js",\n  "scripts": {\n'
        '    "start": "node src/server.js",\n    "test": "jest --coverage"\n  },\n'
        '  "dependencies": {\n    "express": "^4.19.2",\n    "pino": "^9.0.0",\n'
        '    "zod": "^3.23.0",\n    "express-rate-limit": "^7.2.0",\n    "cors": "^2.8.5"\n'
        '  },\n  "devDependencies": {\n    "jest": "^29.7.0"\n  }\n}\n',
        "package-lock.json": "{}\n",
        ".github/workflows/ci.yml": "on: [push]\njobs:\n  test:\n    runs-on: x\n    steps:\n"
        "      - uses: actions/checkout@v4\n      - run: npm install\n      - run: npm test\n",
        "Dockerfile": 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["npm", "start"]\n',
        "README.md": "# api\n\n## Setup\n\n```\nnpm ci\n```\n\n## Usage\n\n`npm start`\n",
        "src/server.js": "const express = require('express');\nconst cors = require('cors');\n"
        "const pino = require('pino');\nconst rateLimit = require('express-rate-limit');\n"
        "const { z } = require('zod');\n\nconst log = pino();\nconst app = express();\n"
        "app.use(cors());\napp.use(rateLimit({ windowMs: 60000, max: 100 }));\n"
        "app.use(express.json({ limit: '100kb' }));\n\n"
        "app.get('/healthz', (req, res) => res.send('ok'));\n\n"
        "app.post('/orders', async (req, res) => {\n"
        "  const order = z.object({ id: z.string() }).parse(req.body);\n"
        "  const quote = await fetch('https://pricing.internal/quote');\n"
        "  try {\n    log.info({ order }, 'saved');\n  } catch (e) {}\n"
        "  res.json(await quote.json());\n});\n\n"
        "app.listen(process.env.PORT || 3000);\n",
        "src/__tests__/server.test.js": "test('adds', () => {\n  expect(1 + 1).toBe(2);\n});\n",
    },
    languages=("javascript",),
    expected={
        "TST001": P,
        "TST002": P,
        "TST003": P,
        "TST008": F,
        "ERR003": F,
        "ERR011": P,  # the empty catch guards one call: a no-op, not a catch-all
        "ERR013": NA,
        "SEC011": F,
        "SEC013": P,
        "SEC014": P,
        "SEC015": P,
        "SEC027": P,
        "SEC020": P,
        "SEC022": P,
        "SEC023": F,
        "SEC012": F,
        "SEC028": NA,
        "OBS001": P,
        "OBS002": P,
        "OBS006": P,
        # Node's global fetch is undici's: 300 s header and body timeouts by default.
        "REL001": P,
        "REL004": F,
        "CFG001": P,
        "CQ003": NA,
        "CQ001": F,
        "DEP001": P,
        "DEP002": F,
        "DEP003": P,
        "DEP004": F,
        "DEP011": F,
        "DEP008": P,
        "DOC002": P,
        "DATA001": NA,
    },
)

TS_LIB = RepoSpec(
    "ts-library",
    {
        "package.json": '{\n  "name": "@acme/units",\n  "main": "dist/index.js",\n'
        '  "scripts": {\n    "lint": "eslint src",\n    "test": "vitest run"\n  },\n'
        '  "devDependencies": {\n    "vitest": "^1.6.0",\n    "typescript": "^5.4.0"\n  }\n}\n',
        "pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
        "tsconfig.json": '{\n  "compilerOptions": {\n    "strict": true\n  }\n}\n',
        "eslint.config.js": "export default [];\n",
        ".github/workflows/ci.yml": "on: [pull_request]\njobs:\n  t:\n    runs-on: x\n    steps:\n"
        "      - run: pnpm install --frozen-lockfile\n      - run: pnpm run lint\n"
        "      - run: pnpm test\n      - run: npx tsc --noEmit\n",
        "src/index.ts": "/** Convert metres to feet. */\nexport function feet(m: number): number {\n"
        "  return m * 3.28084;\n}\n\n// @ts-ignore legacy\nexport const legacy = (window as any).x;\n",
        "src/__tests__/index.test.ts": "import { feet } from '../index';\n"
        "import { expect, it } from 'vitest';\n\nit('converts', () => {\n"
        "  expect(feet(1)).toBeCloseTo(3.28);\n});\n",
    },
    languages=("typescript",),
    expected={
        "TST001": P,
        "TST002": P,
        "TST008": P,
        "CQ001": P,
        "CQ002": P,
        "CQ003": P,
        "CQ004": P,
        "CQ011": P,
        "DEP001": NA,
        "SEC012": NA,
        "OBS004": NA,
        "CFG001": NA,
        "SEC023": P,
        "REL001": NA,
        "DEP008": P,
        "DOC001": F,
    },
)

_GO_MAIN = """package main

import (
\t"context"
\t"log/slog"
\t"net/http"
\t"os"
\t"os/signal"
\t"syscall"

\t"example.com/shop/store"
)

func main() {
\tmux := http.NewServeMux()
\tmux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {})
\tsrv := &http.Server{Addr: os.Getenv("ADDR"), Handler: mux}
\tgo srv.ListenAndServe()
\tstop := make(chan os.Signal, 1)
\tsignal.Notify(stop, syscall.SIGTERM)
\t<-stop
\t_ = srv.Shutdown(context.Background())
\tslog.Info("stopped", "items", store.Count())
}
"""

_GO_STORE = """package store

import (
\t"net/http"
\t"time"
)

var client = &http.Client{Timeout: 5 * time.Second}

// Count returns the number of items.
func Count() int {
\tif client == nil {
\t\tpanic("no client")
\t}
\treturn 0
}
"""

_K8S = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  replicas: 3
  template:
    spec:
      securityContext:
        runAsNonRoot: true
      containers:
        - name: shop
          image: ghcr.io/acme/shop:1.4.2
          resources:
            limits:
              memory: 128Mi
          livenessProbe:
            httpGet: {path: /healthz, port: 8080}
"""

GO_SERVICE = RepoSpec(
    "go-shop-service",
    {
        "go.mod": "module example.com/shop\n\ngo 1.22\n\nrequire github.com/google/uuid v1.6.0\n",
        "go.sum": "github.com/google/uuid v1.6.0 h1:x\n",
        "cmd/shop/main.go": _GO_MAIN,
        "store/store.go": _GO_STORE,
        "store/store_test.go": 'package store\n\nimport "testing"\n\n'
        'func TestCount(t *testing.T) {\n\tif Count() != 0 {\n\t\tt.Fatal("count")\n\t}\n}\n',
        ".golangci.yml": "linters:\n  enable: [errcheck]\n",
        ".github/workflows/ci.yml": "on: [push, pull_request]\njobs:\n  t:\n    runs-on: x\n"
        "    steps:\n      - uses: actions/checkout@v4\n      - run: go test -race ./...\n"
        "      - uses: golangci/golangci-lint-action@v6\n      - run: govulncheck ./...\n",
        "Dockerfile": "FROM golang:1.22 AS build\nCOPY . /src\nRUN go build -o /shop ./cmd/shop\n"
        "FROM gcr.io/distroless/static:nonroot\nCOPY --from=build /shop /shop\n"
        'ENTRYPOINT ["/shop"]\n',
        "deploy/k8s.yaml": _K8S,
        "README.md": "# shop\n\n## Build\n\n```\ngo build ./cmd/shop\n```\n\n## Run\n\n`ADDR=:8080 shop`\n",
    },
    languages=("go",),
    expected={
        "TST001": P,
        "TST002": P,
        "TST008": P,
        "CQ001": P,
        "CQ002": P,
        "CQ003": NA,
        "ERR006": P,  # `if client == nil { panic(...) }` guards a precondition, not an error
        "ERR007": F,
        "SEC009": P,
        "SEC020": P,
        "SEC024": P,
        "OBS001": P,
        "OBS002": P,
        "OBS006": P,
        "REL001": P,
        "REL004": P,
        "CFG001": P,
        "DEP001": P,
        "DEP002": P,
        "DEP003": P,
        "DEP005": P,
        "DEP006": P,
        "DEP007": P,
        "DEP010": P,
        "DEP011": P,
        "DEP012": P,
        "DEP008": P,
        "DOC007": P,
        "TST012": F,
        "TST013": P,
    },
)

_RUST_LIB = """use thiserror::Error;

#[derive(Debug, Error)]
pub enum ParseError {
    #[error("empty input")]
    Empty,
}

/// Parse a count.
pub fn parse(s: &str) -> Result<u32, ParseError> {
    s.trim().parse().map_err(|_| ParseError::Empty)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses() {
        assert_eq!(parse("3").unwrap(), 3);
    }
}
"""

RUST_CLI = RepoSpec(
    "rust-cli-tidy",
    {
        "Cargo.toml": '[package]\nname = "tally"\nversion = "0.4.0"\n\n[dependencies]\n'
        'clap = "4.5"\nthiserror = "1.0"\n',
        "Cargo.lock": "# lock\n",
        "src/lib.rs": _RUST_LIB,
        "src/main.rs": "use clap::Parser;\n\n#[derive(Parser)]\nstruct Args {\n    n: String,\n}\n\n"
        "fn main() -> Result<(), tally::ParseError> {\n    let args = Args::parse();\n"
        '    println!("{}", tally::parse(&args.n)?);\n    Ok(())\n}\n',
        "tests/cli.rs": '#[test]\nfn runs() {\n    tally::parse("1").unwrap();\n}\n',
        ".github/workflows/ci.yml": "on: [push, pull_request]\njobs:\n  t:\n    runs-on: x\n"
        "    steps:\n      - run: cargo fmt --check\n      - run: cargo clippy -- -D warnings\n"
        "      - run: cargo test\n      - run: cargo publish --dry-run\n",
        "README.md": "# tally\n\n## Install\n\n```\ncargo install tally\n```\n\n## Usage\n\n"
        "`tally 3`\n",
        "LICENSE": "MIT\n",
    },
    languages=("rust",),
    expected={
        "TST001": P,
        "TST002": P,
        "TST007": P,
        "CQ002": P,
        "CQ005": P,
        "ERR004": P,
        "ERR005": P,
        "ERR008": P,
        "SEC020": P,
        "DEP001": NA,
        "DEP008": P,
        "DEP009": P,
        "OBS004": NA,
        "SEC012": NA,
        "DOC002": P,
        "DOC005": P,
    },
)

RUST_SERVICE = RepoSpec(
    "rust-axum-unwraps",
    {
        "Cargo.toml": '[package]\nname = "edge"\nversion = "0.1.0"\n\n[dependencies]\n'
        'axum = "0.7"\ntokio = { version = "1", features = ["full"] }\ntracing = "0.1"\n'
        'reqwest = "0.12"\nserde = { git = "https://github.com/serde-rs/serde" }\n',
        "src/main.rs": "use axum::{routing::get, Router};\nuse tracing::info;\n\n"
        "#[tokio::main]\nasync fn main() {\n"
        '    let app = Router::new().route("/", get(root));\n'
        '    let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await.unwrap();\n'
        '    info!("listening");\n    axum::serve(listener, app).await.unwrap();\n}\n\n'
        "async fn root() -> String {\n"
        '    reqwest::get("https://upstream.internal").await.unwrap().text().await.unwrap()\n}\n\n'
        "fn later() {\n    todo!()\n}\n",
    },
    languages=("rust",),
    expected={
        "TST001": F,
        "TST002": F,
        "ERR004": F,
        "ERR005": F,
        "ERR012": P,
        "REL001": F,
        "REL002": F,
        "DEP001": F,
        "SEC020": F,
        "SEC022": F,
        "OBS001": P,
        "OBS006": F,
        "OBS009": P,
        "REL004": F,
        "DOC001": F,
        "SEC012": F,
        "TST010": NA,
        "TST011": F,
    },
)

_JAVA_CTRL = """package com.acme.orders;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class OrderController {
    private static final Logger log = LoggerFactory.getLogger(OrderController.class);
    private final JdbcTemplate jdbc;

    public OrderController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/orders")
    public Object find(String name) {
        try {
            return jdbc.queryForList("SELECT * FROM orders WHERE name = '" + name + "'");
        } catch (Exception e) {
        }
        return null;
    }

    public void audit() {
        try {
            log.info("audit");
        } catch (RuntimeException e) {
            e.printStackTrace();
        }
    }
}
"""

JAVA_SPRING = RepoSpec(
    "java-spring-orders",
    {
        "pom.xml": "<project>\n  <artifactId>orders</artifactId>\n  <dependencies>\n"
        "    <dependency><artifactId>spring-boot-starter-web</artifactId></dependency>\n"
        "    <dependency><artifactId>spring-boot-starter-actuator</artifactId></dependency>\n"
        "    <dependency><artifactId>flyway-core</artifactId></dependency>\n"
        "  </dependencies>\n</project>\n",
        "src/main/java/com/acme/orders/OrderController.java": _JAVA_CTRL,
        "src/main/java/com/acme/orders/App.java": "package com.acme.orders;\n\n"
        "import org.springframework.boot.SpringApplication;\n"
        "import org.springframework.boot.autoconfigure.SpringBootApplication;\n\n"
        "@SpringBootApplication\npublic class App {\n"
        "    public static void main(String[] args) {\n"
        "        SpringApplication.run(App.class, args);\n    }\n}\n",
        "src/main/resources/db/migration/V1__init.sql": "CREATE TABLE orders (name text);\n",
        "src/main/resources/application.yml": "server:\n  port: 8080\n"
        "management:\n  endpoints:\n    web:\n      exposure:\n        include: health\n",
        "src/test/java/com/acme/orders/OrderControllerTest.java": "package com.acme.orders;\n\n"
        "import org.junit.jupiter.api.Test;\n\nclass OrderControllerTest {\n"
        "    @Test\n    void finds() {}\n}\n",
        ".gitlab-ci.yml": "test:\n  image: maven:3.9-eclipse-temurin-21\n  script:\n"
        "    - mvn -B verify\n",
        "Dockerfile": "FROM eclipse-temurin:21-jre\nCOPY target/orders.jar /app.jar\nUSER 1000\n"
        'ENTRYPOINT ["java", "-jar", "/app.jar"]\n',
    },
    languages=("java",),
    expected={
        "TST001": P,
        "TST002": P,
        "TST008": P,
        "ERR003": F,
        "ERR010": F,
        "ERR011": F,
        "SEC006": F,
        "OBS001": P,
        "DATA001": P,
        # State in a database only: no state files to lock, and no order is ever pruned.
        "REL007": NA,
        "DATA007": F,
        "DATA008": NA,
        "DEP001": P,
        "DEP002": P,
        "DEP003": P,
        "DEP011": P,
        "DEP008": P,
        "CQ003": NA,
        "SEC012": F,
    },
)

MONOREPO = RepoSpec(
    "monorepo-scoped-api",
    {
        ".github/workflows/ci.yml": "on: [pull_request]\njobs:\n  api:\n    runs-on: x\n"
        "    steps:\n      - run: make -C services/api test\n",
        "README.md": "# platform\n\n## Install\n\n```\nmake\n```\n\n## Usage\n\nSee services.\n",
        "services/api/Makefile": "test:\n\tpytest -q\n",
        "services/api/pyproject.toml": "[project]\nname = 'api'\ndependencies = ['flask==3.0.3']\n",
        "services/api/app.py": "import os\n\nfrom flask import Flask\n\napp = Flask(__name__)\n"
        "DEBUG = os.getenv('DEBUG') == '1'\n"
        "BROKER = 'amqp://guest@localhost:5672'\n\n\n"
        "@app.get('/health')\ndef health():\n    return 'ok'\n",
        "services/api/tests/test_app.py": "from app import health\n\n\ndef test_health():\n"
        "    assert health() == 'ok'\n",
        "services/worker/main.go": 'package main\n\nfunc main() {\n\tpanic("boom")\n}\n',
        "services/worker/util/util.go": 'package util\n\nfunc F() {\n\tpanic("x")\n}\n',
        "docker-compose.yml": "services:\n  api:\n    build: services/api\n"
        "  db:\n    image: postgres\n",
        "services/api/deploy/k8s.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n"
        "spec:\n  template:\n    spec:\n      containers:\n        - name: api\n"
        "          image: acme/api:latest\n          securityContext:\n"
        "            privileged: true\n",
    },
    scope="services/api",
    languages=("python",),
    expected={
        "TST001": P,
        "TST002": P,
        "ERR006": NA,
        "CFG003": P,
        "CFG005": F,
        "OBS006": P,
        "DOC001": P,
        "DEP001": F,
        "DEP006": F,
        "DEP007": F,
        "DEP010": F,
        "DEP012": F,
        "DATA006": F,
        "SEC021": P,
        "CQ010": P,
    },
)

_TODOS = "".join(f"// TODO: handle case {i}\nexport const c{i} = {i};\n" for i in range(12))

TODO_HEAVY = RepoSpec(
    "ts-todo-suppressions",
    {
        "package.json": '{"name": "x", "dependencies": {}}\n',
        "src/a.ts": _TODOS,
        "src/b.ts": "// @ts-nocheck\nexport const b = 1;\n",
    },
    languages=("typescript",),
    expected={"CQ010": F, "CQ011": F, "CQ003": F, "TST001": F},
)

REPOS = [NODE_API, TS_LIB, GO_SERVICE, RUST_CLI, RUST_SERVICE, JAVA_SPRING, MONOREPO, TODO_HEAVY]
