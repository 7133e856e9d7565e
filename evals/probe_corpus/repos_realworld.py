"""Repositories shaped like the real packages a validator assessed (express, flask, chi, zod,
anyhow, hyper, jdk.httpserver, readiness), each planting the pattern a probe got wrong there.

Labels are what the planted code is: a framework library is not a service, an example app is
not the product, a test password is not a production secret, a re-raising handler swallows
nothing. Secret-like values are assembled at import time so no literal token is committed.
"""
# ruff: noqa: E501 - embedded repository files read better unwrapped

from __future__ import annotations

from evals.probe_corpus import RepoSpec

P, F, NA = "pass", "fail", "not_applicable"
TOKEN = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A"

# express: a framework library; `require('express')` only in a JSDoc comment, the listen
# helper defined but never called, `debug` as its logger, no tests in the tarball.
EXPRESS = RepoSpec(
    "js-express-like",
    {
        "package.json": '{\n  "name": "expresslike",\n  "version": "5.0.0",\n  "main": "index.js",\n'
        '  "scripts": {"test": "mocha", "lint": "eslint ."},\n  "dependencies": {"debug": "^4.3.6"}\n}\n',
        "index.js": "'use strict';\nmodule.exports = require('./lib/express');\n",
        "lib/express.js": "'use strict';\nvar proto = require('./application');\n"
        "exports = module.exports = createApplication;\n"
        "function createApplication() {\n  var app = function (req, res, next) { app.handle(req, res, next); };\n"
        "  Object.assign(app, proto);\n  return app;\n}\n",
        "lib/application.js": "'use strict';\nvar debug = require('debug')('express:application');\n"
        "var http = require('node:http');\nvar app = exports = module.exports = {};\n\n"
        "/**\n * Listen for connections.\n *\n *    var express = require('express')\n"
        " *      , app = express();\n *    app.listen(3000);\n */\n"
        "app.listen = function listen() {\n  var server = http.createServer(this);\n"
        "  debug('listening');\n  return server.listen.apply(server, arguments);\n};\n",
    },
    {
        "DEP001": NA,
        "SEC012": NA,
        "SEC013": NA,
        "SEC014": NA,
        "SEC015": NA,
        "OBS006": NA,
        "REL004": NA,
        "DOC008": NA,
        "OBS001": P,
        "SEC001": P,
        "SEC025": NA,
        "SEC005": NA,  # no outbound calls: the TLS question does not apply
    },
    languages=("javascript",),
)

# flask: a framework library with example apps, docs with example secrets, a test fixture
# .env, handler idioms that are not swallowing, and a None request-size default.
FLASK = RepoSpec(
    "py-flask-like",
    {
        "pyproject.toml": "[project]\nname = 'flasklike'\nversion = '3.1.3'\n"
        "dependencies = [\n    # the WSGI toolkit\n    'werkzeug>=3.1',\n]\n\n"
        "[project.scripts]\nflasklike = 'flasklike.cli:main'\n\n[tool.ruff]\nline-length = 88\n",
        "README.md": "# Flasklike\n\n## Installing\n\n```\npip install flasklike\n```\n\n"
        "## A Simple Example\n\n```python\nfrom flasklike import App\n```\n",
        "src/flasklike/__init__.py": "from .app import App as App\n",
        "src/flasklike/app.py": "import typing as t\n\n"
        'DEFAULTS = {\n    "DEBUG": None,\n    "MAX_CONTENT_LENGTH": None,\n}\n\n\n'
        "class App:\n    def wsgi_app(self, environ, start_response):\n        try:\n"
        "            return self.handle(environ)\n        except:  # noqa: E722\n"
        "            self.log_error()\n            raise\n",
        "src/flasklike/cli.py": "import argparse\n\ntry:\n    import dotenv\nexcept ImportError:\n"
        "    pass\nelse:\n    dotenv.load_dotenv()\n\n\ndef main():\n"
        "    parser = argparse.ArgumentParser()\n    print(parser.parse_args())\n",
        "src/flasklike/templating.py": "class TemplateNotFound(Exception):\n    pass\n\n\n"
        "def find(loaders, name):\n    for loader in loaders:\n        try:\n"
        "            return loader.get(name)\n        except TemplateNotFound:\n            continue\n"
        "    raise TemplateNotFound(name)\n",
        "src/flasklike/config.py": "import json\n\n\ndef load(path):\n    try:\n"
        "        return json.load(open(path))\n    except OSError:\n"
        "        # a missing file means the defaults apply\n        pass\n    return {}\n",
        "examples/tutorial/flaskr/db.py": "import sqlite3\n\n\ndef get_db():\n"
        "    return sqlite3.connect('flaskr.sqlite')\n",
        "examples/celery/app.py": "from flasklike import App\nimport signal\n\napp = App()\n"
        "signal.signal(signal.SIGTERM, lambda *a: None)\n",
        "docs/config.md": f"# Config\n\n```python\nGITHUB_TOKEN = '{TOKEN}'\n```\n",
        "tests/test_views.py": "import flasklike.views\n\n\nclass Index(flasklike.views.View):\n"
        "    pass\n\n\ndef test_index():\n    assert Index\n",
        "tests/test_apps/.env": "FOO=env\n",
    },
    {
        "SEC001": P,
        "SEC025": F,
        "ERR001": P,
        "ERR002": P,
        "DATA001": NA,
        "PERF006": NA,
        "DEP001": NA,
        "SEC012": NA,
        "SEC014": NA,
        "REL004": NA,
        "CFG006": NA,
        "DOC002": P,
    },
    languages=("python",),
)

# chi: a Go router library; the runnable server and its shutdown live in _examples/, a TLS
# key in testdata/, and `"panic("` is a string the recoverer searches for.
CHI = RepoSpec(
    "go-chi-like",
    {
        "go.mod": "module github.com/go-chi/chilike\n\ngo 1.14\n",
        "chi.go": 'package chi\n\nimport "net/http"\n\n// NewRouter returns a router.\n'
        "func NewRouter() *Mux { return &Mux{} }\n\ntype Mux struct{}\n\n"
        "func (m *Mux) ServeHTTP(w http.ResponseWriter, r *http.Request) {}\n",
        "middleware/recoverer.go": 'package middleware\n\nimport "strings"\n\n'
        "func frames(stack []string) int {\n\tfor i := range stack {\n"
        '\t\tif strings.HasPrefix(stack[i], "panic(") {\n\t\t\treturn i\n\t\t}\n\t}\n\treturn 0\n}\n',
        "_examples/graceful/main.go": 'package main\n\nimport (\n\t"net/http"\n\t"os/signal"\n'
        '\t"syscall"\n)\n\nfunc main() {\n\tsignal.Notify(make(chan os.Signal), syscall.SIGTERM)\n'
        '\tw.Write([]byte("hi"))\n\thttp.ListenAndServe(":3333", nil)\n}\n',
        "testdata/key.pem": "-----BEGIN RSA PRIVATE KEY-----\n"
        "MIIEpAIBAAKCAQEA1c7+9z5Pad7OejecsQ0bu3aumrTsg0BNe1BB3fzC5/h8zE4k\n"
        "-----END RSA PRIVATE KEY-----\n",
        "chi_test.go": 'package chi\n\nimport "testing"\n\nfunc TestRouter(t *testing.T) {\n'
        '\tif NewRouter() == nil {\n\t\tt.Fatal("nil")\n\t}\n}\n',
    },
    {
        "ERR006": P,
        "REL004": NA,
        "OBS006": NA,
        "SEC015": NA,
        "DEP001": NA,
        "SEC001": P,
        "SEC025": F,
    },
    languages=("go",),
)

# zod: a TypeScript validation library with a generic error class, a test password and
# empty catches only in its benchmarks.
ZOD = RepoSpec(
    "ts-zod-like",
    {
        "package.json": '{\n  "name": "zodlike",\n  "version": "3.0.0",\n  "main": "lib/index.js",\n'
        '  "scripts": {"test": "jest", "bench": "tsx src/benchmarks/index.ts"}\n}\n',
        "src/ZodError.ts": "export class ZodError<T = any> extends Error {\n  issues: T[] = [];\n}\n",
        "src/index.ts": "export { ZodError } from './ZodError';\n",
        "src/tests/error.test.ts": "test('x', () => {\n  const user = { password: \"peanuts\", token: '"
        + TOKEN
        + "' };\n  expect(user).toBeTruthy();\n});\n",
        "src/benchmarks/union.ts": "export function run(f: () => void) {\n  try {\n    f();\n  } catch (e) {}\n}\n",
    },
    {
        "ERR008": P,
        "ERR003": P,
        "SEC001": P,
        "SEC025": F,
        "OBS001": NA,
        "PERF004": P,
    },
    languages=("typescript",),
)

# anyhow/hyper: Rust library crates; a build script imports std::env without reading it, the
# README documents installation as a [dependencies] snippet, unit tests sit in #[cfg(test)].
ANYHOW = RepoSpec(
    "rust-anyhow-like",
    {
        "Cargo.toml": '# THIS FILE IS AUTOMATICALLY GENERATED BY CARGO\n[package]\nname = "anyhowlike"\n'
        'version = "1.0.69"\n\n[dependencies]\n\n[dev-dependencies]\nfutures = "0.3"\n',
        "README.md": 'Anyhowlike\n==========\n\n```toml\n[dependencies]\nanyhowlike = "1.0"\n```\n\n'
        "<br>\n\n## Details\n\n```rust\nuse anyhowlike::Result;\n\nfn get() -> Result<()> {\n    Ok(())\n}\n```\n",
        "build.rs": "use std::env;\nuse std::process::Command;\n\nfn main() {\n"
        '    let _ = Command::new("rustc");\n}\n',
        "src/lib.rs": "pub struct Error;\n\npub type Result<T> = std::result::Result<T, Error>;\n\n"
        "#[cfg(test)]\nmod tests {\n    #[test]\n    fn it_works() {\n        assert_eq!(2, 2);\n"
        "        assert_eq!(3, 3);\n        assert_eq!(4, 4);\n    }\n}\n",
    },
    {
        "DOC002": P,
        "OBS001": NA,
        "CFG001": NA,
        "CFG006": NA,
        "DEP001": NA,
    },
    languages=("rust",),
)

# jdk.httpserver: Java logging through java.lang.System.Logger.
JDK = RepoSpec(
    "java-httpserver-like",
    {
        "src/sun/net/httpserver/ServerImpl.java": "package sun.net.httpserver;\n\n"
        "import java.lang.System.Logger;\nimport java.lang.System.Logger.Level;\n\n"
        'class ServerImpl {\n    private final Logger logger = System.getLogger("com.sun.net.httpserver");\n\n'
        '    void start() {\n        logger.log(Level.DEBUG, "started");\n    }\n}\n',
    },
    {"OBS001": P},
    languages=("java",),
)

# readiness itself: a CLI whose retry loop over candidates raises at the end, benchmark
# scripts, a "Using it" README section, an environment copied (not read) for a subprocess,
# and an isinstance check on httpx that is no HTTP call.
READINESS = RepoSpec(
    "py-cli-like",
    {
        "pyproject.toml": "[project]\nname = 'tool'\nversion = '1'\ndependencies = [\n"
        "    # httpx talks to the model server\n    'httpx>=0.27',\n]\n\n"
        "[project.scripts]\ntool = 'tool.cli:main'\n",
        "README.md": "# tool\n\n```\nmake run    # creates .venv, installs everything\n```\n\n"
        "## Using it\n\n```\ntool assess .\n```\n",
        "Makefile": "run:\n\tpython -m tool\n\nbench:\n\tpython evals/bench.py\n",
        "tool/__init__.py": "",
        "tool/cli.py": "import argparse\n\n\ndef main():\n    print(argparse.ArgumentParser())\n\n\n"
        "if __name__ == '__main__':\n    main()\n",
        "tool/sources.py": "class InputError(Exception):\n    pass\n\n\n"
        "def pick(candidates, load):\n    for c in candidates:\n        try:\n"
        "            return load(c)\n        except InputError:\n            continue\n"
        "    raise InputError('no usable source')\n",
        "tool/boundary.py": "import httpx\n\n\ndef kind(exc):\n"
        "    if isinstance(exc, httpx.HTTPError):\n        return 'http'\n    return 'other'\n",
        "evals/bench.py": "import os\nimport subprocess\n\n"
        "env = {**os.environ, 'X': '1'}\nsubprocess.run(['true'], env=env, check=True)\n",
    },
    {
        "ERR002": P,
        "PERF004": P,
        "DOC002": P,
        "REL001": NA,
        "REL003": NA,
        "SEC001": P,
        "SEC025": P,
    },
    languages=("python",),
)

REPOS = [EXPRESS, FLASK, CHI, ZOD, ANYHOW, JDK, READINESS]
