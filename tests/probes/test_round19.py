"""What held-out round 19's first panel and labels taught (wakapi, bugsink, dua-cli,
tenacity, ijepa, pinecone-python, inngest-js, skateshop, gotenberg, playedu), measured
before these fixes: each case rebuilt small beside the one that must stay as it is."""

from __future__ import annotations

import json
from pathlib import Path

from tests.probes.conftest import profile_of


def test_a_dev_script_that_only_rebuilds_and_lints_starts_nothing(tmp_path: Path) -> None:
    # inngest-js's packages/inngest: `dev` is `pnpm install && concurrently "pnpm run
    # dev:build" "pnpm run dev:lint"`, each a nodemon rerunning the build or the linter;
    # createServer() is an exported helper its users start.
    scripts = {
        "build": "tsc -p tsconfig.build.json && tsdown --config tsdown.config.ts",
        "lint": "biome check",
        "dev": 'pnpm install && concurrently --names Build,Lint "pnpm run dev:build" '
        '"pnpm run dev:lint"',
        "dev:build": "nodemon -w src -e ts -x 'pnpm run build'",
        "dev:lint": "nodemon -w src -e ts -x 'pnpm run lint'",
    }
    manifest = {"name": "sdk", "version": "1.0.0", "main": "./index.js", "scripts": scripts}
    server = (
        "import http from 'node:http'\n"
        "export const createServer = (handler) => {\n"
        "  const server = http.createServer((req, res) => handler(req, res))\n"
        "  return server\n}\n"
    )
    files = {"package.json": json.dumps(manifest), "src/node.ts": server}
    kinds = profile_of(tmp_path / "lib", files).kinds
    assert "web_service" not in kinds and "library" in kinds, kinds
    # A dev script that does start the server (node, tsx, next dev) launches it.
    started = {**scripts, "dev:build": "nodemon -w src -x 'node dist/server.js'"}
    files = {**files, "package.json": json.dumps({**manifest, "scripts": started})}
    assert "web_service" in profile_of(tmp_path / "svc", files).kinds
