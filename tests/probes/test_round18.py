"""What held-out round 18's first panel taught (shynet, pocket-id, procs, direnv,
pydantic-settings, improved-diffusion, tweepy, midday-v1, platforms, remark42), measured
before these fixes: each case rebuilt small beside the one that must stay as it is."""

from __future__ import annotations

import json
from pathlib import Path

from tests.probes.conftest import RunProbe, profile_of

_GO = {
    "go.mod": "module example.com/svc\n\ngo 1.22\n",
    "main.go": 'package main\n\nimport "net/http"\n\nfunc main() {\n'
    '\thttp.ListenAndServe(":8080", nil)\n}\n',
}
_PY = {"pyproject.toml": "[project]\nname = 'tw'\nversion = '1.0'\ndependencies = ['requests']\n"}


def test_algorithm_names_and_test_build_fixtures_are_no_secrets(run_probe: RunProbe) -> None:
    # pocket-id: OidcClientSecretHashSHA256 ... = "sha256", and e2etest_service.go, which
    # `//go:build e2etest` compiles only into the end-to-end test build.
    model = (
        "package model\n\ntype OidcClientSecretHashAlgorithm string\n\nconst (\n"
        '\tOidcClientSecretHashSHA256 OidcClientSecretHashAlgorithm = "sha256"\n)\n'
    )
    assert run_probe("SEC001", {**_GO, "model/oidc.go": model}).outcome.value == "pass"
    fixture = (
        "//go:build e2etest\n\npackage service\n\nconst (\n"
        '\te2eRefreshTokenValidFixtureToken = "ou87UDg249r1StBLYkMEqy9TXDbV5HmGuDpMcZDo"\n)\n'
    )
    assert run_probe("SEC001", {**_GO, "service/e2e.go": fixture}).outcome.value == "pass"
    shipped = fixture.replace("//go:build e2etest", "//go:build !e2etest")
    assert run_probe("SEC001", {**_GO, "service/e2e.go": shipped}).outcome.value == "fail"
    # A tag that only contains the word (`latest`) is no test build.
    latest = fixture.replace("//go:build e2etest", "//go:build latest")
    assert run_probe("SEC001", {**_GO, "service/e2e.go": latest}).outcome.value == "fail"


def test_recorded_cassettes_and_stub_folders_are_fixtures(run_probe: RunProbe) -> None:
    # tweepy's cassettes/*.yaml (pagination tokens in recorded responses) and remark42's
    # app/__stubs__/jwt.ts.
    cassette = 'body: \'{"meta":{"next_token":"7140dibdnow9c7btw3w29grvxfcgvpb9n9coehpk7xz5i"}}\'\n'
    assert run_probe("SEC001", {**_PY, "cassettes/test_get.yaml": cassette}).outcome.value == (
        "pass"
    )
    assert run_probe("SEC001", {**_PY, "tw/recorded.yaml": cassette}).outcome.value == "fail"


def test_a_dev_token_in_a_saved_request_file(run_probe: RunProbe) -> None:
    # remark42's backend/remark.rest: "### find request ... dev token for secret=12345".
    token = (
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJyZW1hcmsiLCJleHAiOjE5NzYwNTY3NTZ9"
        ".zdTVnQX4F0IFWYCb0uZV4nU8H0x7ZzWbJp6M8mHQb0E"
    )
    rest = (
        "### find request with plain. dev token for secret=12345, not admin\n"
        "GET {{host}}/api/v1/find\nX-JWT: " + token + "\n"
    )
    assert run_probe("SEC001", {**_GO, "backend/remark.rest": rest}).outcome.value == "pass"
    live = rest.replace("dev token for secret=12345, not admin", "admin request")
    assert run_probe("SEC001", {**_GO, "backend/remark.rest": live}).outcome.value == "fail"


def test_a_session_attribute_belongs_to_its_own_file(run_probe: RunProbe) -> None:
    # tweepy: streaming.py keeps requests.Session() in self.session, asynchronous/streaming.py
    # an aiohttp.ClientSession under the same attribute name.
    sync = "import requests\n\n\nclass Stream:\n    def connect(self):\n"
    sync += "        self.session = requests.Session()\n"
    aio = (
        "import aiohttp\n\n\nclass AsyncStream:\n    async def connect(self):\n"
        "        self.session = aiohttp.ClientSession()\n"
        "        async with self.session.request('GET', 'u') as resp:\n"
        "            return await resp.text()\n"
    )
    files = {**_PY, "tw/streaming.py": sync, "tw/aio.py": aio}
    assert run_probe("PERF005", files).outcome.value == "pass"
    blocking = aio.replace("aiohttp.ClientSession()", "requests.Session()").replace(
        "import aiohttp", "import requests"
    )
    assert run_probe("PERF005", {**files, "tw/aio.py": blocking}).outcome.value == "fail"


def test_a_go_request_bound_by_a_context_deadline(run_probe: RunProbe) -> None:
    # remark42's import command: client := http.Client{}, then context.WithTimeout and
    # req.WithContext(ctx).
    command = (
        'package cmd\n\nimport (\n\t"context"\n\t"net/http"\n\t"time"\n)\n\n'
        "func Import(url string) error {\n\tclient := http.Client{}\n"
        "\tctx, cancel := context.WithTimeout(context.Background(), time.Minute)\n"
        "\tdefer cancel()\n\treq, _ := http.NewRequest(http.MethodPost, url, nil)\n"
        "\t_, err := client.Do(req.WithContext(ctx))\n\treturn err\n}\n"
    )
    result = run_probe("REL001", {**_GO, "cmd/import.go": command})
    assert result.outcome.value == "pass", result.message
    assert "context.WithTimeout" in result.message
    bare = command.replace("req.WithContext(ctx)", "req")
    assert run_probe("REL001", {**_GO, "cmd/import.go": bare}).outcome.value == "fail"


def test_go_pkgz_lgr_is_a_logging_framework(run_probe: RunProbe) -> None:
    # remark42 imports github.com/go-pkgz/lgr as `log` in ~44 files.
    logged = 'package main\n\nimport log "github.com/go-pkgz/lgr"\n\nfunc f() {\n'
    logged += '\tlog.Printf("[INFO] started")\n}\n'
    assert run_probe("OBS001", {**_GO, "app/run.go": logged}).outcome.value == "pass"
    # In an _example folder it is an example's logger, not the product's.
    example = {**_GO, "_example/store/run.go": logged}
    assert run_probe("OBS001", example).outcome.value == "fail"


_NEXT = {
    "package.json": json.dumps(
        {
            "name": "app",
            "private": True,
            "scripts": {"start": "next start"},
            "dependencies": {"next": "14", "zod": "3", "next-safe-action": "7", "express": "4"},
        }
    ),
    "src/app/page.tsx": "export default function Page() {\n  return null;\n}\n",
    "src/server.ts": "import express from 'express';\nconst app = express();\napp.listen(3000);\n",
}


def test_a_safe_action_schema_validates_its_input(run_probe: RunProbe) -> None:
    # midday-v1: authActionClient.schema(shareLinkSchema).action(...).
    action = (
        '"use server";\nimport { z } from "zod";\nimport { client } from "./safe-action";\n\n'
        "const shareLinkSchema = z.object({ postId: z.string() });\n\n"
        "export const shareLink = client\n  .schema(shareLinkSchema)\n"
        "  .action(async ({ parsedInput }) => parsedInput);\n"
    )
    result = run_probe("SEC013", {**_NEXT, "src/actions/share.ts": action})
    assert result.outcome.value == "pass" and result.evidence[0].location.endswith(":8")
    unchecked = action.replace("  .schema(shareLinkSchema)\n", "")
    assert run_probe("SEC013", {**_NEXT, "src/actions/share.ts": unchecked}).outcome.value != (
        "pass"
    )


def test_a_local_pre_commit_hook_entry_is_the_command_it_runs(run_probe: RunProbe) -> None:
    # pydantic-settings: pre-commit/action runs the local hook `entry: make lint`, whose
    # target runs ruff check and ruff format --check.
    config = (
        "repos:\n  - repo: local\n    hooks:\n      - id: lint\n        name: Lint\n"
        "        entry: make lint\n        language: system\n"
    )
    workflow = (
        "on: pull_request\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n      - uses: pre-commit/action@v3.0.1\n"
    )
    files = {
        **_PY,
        "tw/__init__.py": "X = 1\n",
        "ruff.toml": "line-length = 100\n",
        ".pre-commit-config.yaml": config,
        ".github/workflows/ci.yml": workflow,
        "Makefile": "lint:\n\truff check tw\n\truff format --check tw\n",
    }
    assert run_probe("CQ005", files).outcome.value == "pass"
    assert run_probe("CQ002", files).outcome.value == "pass"
    other = {**files, "Makefile": "lint:\n\techo nothing\n"}
    assert run_probe("CQ005", other).outcome.value == "fail"


def test_tests_replaying_recorded_api_responses_are_integration_tests(
    run_probe: RunProbe,
) -> None:
    # tweepy: @tape.use_cassette('testgetoembed.json') around real client calls.
    test = (
        "import vcr\n\ntape = vcr.VCR()\n\n\n@tape.use_cassette('get.json')\n"
        "def test_get():\n    assert True\n"
    )
    client = {
        **_PY,
        "tw/api.py": "import requests\n\n\ndef get():\n"
        "    return requests.get('https://api.x.com/2/tweets', timeout=5)\n",
    }
    result = run_probe("TST007", {**client, "tests/test_api.py": test})
    assert result.outcome.value == "pass" and result.evidence[0].location == "tests/test_api.py:6"
    plain = "def test_get():\n    assert True\n"
    assert run_probe("TST007", {**client, "tests/test_api.py": plain}).outcome.value == "fail"


def test_the_docs_sites_image_is_not_the_products(run_probe: RunProbe) -> None:
    # remark42: site/Dockerfile serves the documentation site from a floating reproxy image;
    # the product's Dockerfile pins its bases.
    files = {
        **_GO,
        "Dockerfile": "FROM golang:1.22-alpine AS build\nFROM alpine:3.20\nUSER app\n",
        "site/Dockerfile": "FROM ghcr.io/umputun/reproxy\nCOPY public /srv\n",
    }
    assert run_probe("DEP003", files).outcome.value == "pass"
    moved = {**files, "web/Dockerfile": files["site/Dockerfile"]}
    del moved["site/Dockerfile"]
    assert run_probe("DEP003", moved).outcome.value == "fail"


def test_research_code_installed_only_for_its_own_scripts_is_no_library(tmp_path: Path) -> None:
    # improved-diffusion: setup(name=..., py_modules=[...], install_requires=[...]) so that
    # its scripts can import the package after `pip install -e .`.
    model = "import torch\n\n\nclass UNet(torch.nn.Module):\n    pass\n"
    train = (
        "import argparse\nimport torch\nfrom improved_diffusion.unet import UNet\n\n"
        "def main():\n    parser = argparse.ArgumentParser()\n    parser.parse_args()\n"
        "    torch.save(UNet().state_dict(), 'model.pt')\n\n\n"
        "if __name__ == '__main__':\n    main()\n"
    )
    bare = (
        "from setuptools import setup\n\nsetup(\n    name='improved-diffusion',\n"
        "    py_modules=['improved_diffusion'],\n    install_requires=['torch'],\n)\n"
    )
    files = {
        "setup.py": bare,
        "improved_diffusion/__init__.py": "",
        "improved_diffusion/unet.py": model,
        "scripts/image_train.py": train,
    }
    kinds = profile_of(tmp_path / "bare", files).kinds
    assert "research" in kinds and "library" not in kinds, kinds
    published = bare.replace("    py_modules", "    version='1.0.0',\n    py_modules")
    kinds = profile_of(tmp_path / "pub", {**files, "setup.py": published}).kinds
    assert "library" in kinds, kinds


def test_shell_tests_running_the_built_command_are_end_to_end(run_probe: RunProbe) -> None:
    # direnv: test/direnv-test-common.sh runs `direnv export` and `direnv allow` in shells.
    go = {
        "go.mod": "module github.com/direnv/direnv/v2\n\ngo 1.22\n",
        "main.go": 'package main\n\nimport "os"\n\nfunc main() {\n\t_ = os.Args\n}\n',
        "main_test.go": 'package main\n\nimport "testing"\n\nfunc TestX(t *testing.T) {}\n',
    }
    script = '#!/usr/bin/env bash\ndirenv_eval() {\n  eval "$(direnv export bash)"\n}\n'
    result = run_probe("TST007", {**go, "test/direnv-test-common.sh": script})
    assert result.outcome.value == "pass" and result.evidence[0].location.endswith(":3")
    other = script.replace("direnv export", "git status")
    assert run_probe("TST007", {**go, "test/direnv-test-common.sh": other}).outcome.value == (
        "fail"
    )


def test_a_certificate_expiry_check_must_accept_any_certificate(run_probe: RunProbe) -> None:
    # podinfo's `podcli check cert`: InsecureSkipVerify, Handshake, then reads
    # PeerCertificates[0].NotAfter; it sends nothing over the connection.
    check = (
        'package main\n\nimport (\n\t"crypto/tls"\n\t"net"\n\t"time"\n)\n\n'
        "func checkCert(host string) bool {\n"
        '\traw, _ := net.DialTimeout("tcp", host+":443", 5*time.Second)\n'
        "\tconn := tls.Client(raw, &tls.Config{\n\t\tInsecureSkipVerify: true,\n"
        "\t\tServerName: host,\n\t})\n\t_ = conn.Handshake()\n"
        "\treturn conn.ConnectionState().PeerCertificates[0].NotAfter.After(time.Now())\n}\n"
    )
    result = run_probe("SEC005", {**_GO, "cmd/check.go": check})
    assert result.outcome.value == "pass", result.message
    # The same connection used to send data trusts whoever answers: a gap.
    sends = check.replace("\treturn conn", '\t_, _ = conn.Write([]byte("hi"))\n\treturn conn')
    assert run_probe("SEC005", {**_GO, "cmd/check.go": sends}).outcome.value == "fail"


def test_a_shared_go_client_whose_requests_all_carry_contexts(run_probe: RunProbe) -> None:
    # pocket-id: a zero http.Client{} built at start-up and handed to jobs and services, each
    # of which builds its request with NewRequestWithContext and a context.WithTimeout.
    boot = (
        'package boot\n\nimport "net/http"\n\n'
        "func Client() *http.Client {\n\tc := &http.Client{}\n\treturn c\n}\n"
    )
    job = (
        'package job\n\nimport (\n\t"context"\n\t"net/http"\n\t"time"\n)\n\n'
        "func Beat(c *http.Client, url string) error {\n"
        "\tctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)\n"
        "\tdefer cancel()\n\treq, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, nil)\n"
        "\t_, err := c.Do(req)\n\treturn err\n}\n"
    )
    files = {**_GO, "boot/client.go": boot, "job/beat.go": job}
    result = run_probe("REL001", files)
    assert result.outcome.value == "cannot_determine", result.message
    assert "callers'" in result.message or "shared" in result.message
    # One request built without a context: that call has no deadline at all.
    plain = job.replace(
        "http.NewRequestWithContext(ctx, http.MethodPost, url, nil)",
        "http.NewRequest(http.MethodPost, url, nil)",
    )
    assert run_probe("REL001", {**files, "job/beat.go": plain}).outcome.value == "fail"


def test_a_health_route_asking_its_backend_is_a_low_gap(run_probe: RunProbe) -> None:
    # pocket-id's frontend/src/routes/healthz/+server.ts: axios.get(BACKEND + '/healthz').
    files = {
        "package.json": json.dumps({"name": "web", "dependencies": {"axios": "1.7.0"}}),
        "src/routes/healthz/+server.ts": "import axios from 'axios';\n"
        "export async function GET() {\n"
        "  const ok = await axios.get(process.env.BACKEND_URL + '/healthz');\n"
        "  return new Response(String(ok.status));\n}\n",
    }
    result = run_probe("REL001", files)
    assert result.outcome.value == "fail"
    assert result.severity is not None and result.severity.value == "low", result.severity_note
    moved = {**files, "src/routes/orders/+server.ts": files["src/routes/healthz/+server.ts"]}
    del moved["src/routes/healthz/+server.ts"]
    assert run_probe("REL001", moved).severity.value == "high"


def test_an_allow_list_lookup_validates_an_uploaded_extension(run_probe: RunProbe) -> None:
    # pocket-id's app_images_service.go: the uploaded file's extension is looked up in a
    # MIME table, and a miss returns before path.Join.
    service = (
        'package service\n\nimport (\n\t"mime/multipart"\n\t"path"\n\t"strings"\n)\n\n'
        "func Save(file *multipart.FileHeader, name string) string {\n"
        "\tfileType := strings.ToLower(ext(file.Filename))\n"
        "\tmimeType := mimeOf(fileType)\n"
        '\tif mimeType == "" {\n\t\treturn ""\n\t}\n'
        '\treturn path.Join("images", name+"."+fileType)\n}\n'
    )
    assert run_probe("SEC029", {**_GO, "service/images.go": service}).outcome.value == "pass"
    unchecked = service.replace('\tif mimeType == "" {\n\t\treturn ""\n\t}\n', "")
    assert run_probe("SEC029", {**_GO, "service/images.go": unchecked}).outcome.value == "fail"


def test_a_third_party_base_image_that_provides_the_user(run_probe: RunProbe) -> None:
    # remark42: FROM umputun/baseimage:app, `chown -R app:app /srv`, no USER and no
    # ENTRYPOINT of its own: the base image's init drops to `app` (su-exec).
    dockerfile = (
        "FROM golang:1.22-alpine AS build\nRUN go build -o /app ./\n"
        "FROM umputun/baseimage:app-v1.17.0\nCOPY --from=build /app /srv/app\n"
        'RUN chown -R app:app /srv\nCMD ["/srv/app", "server"]\n'
    )
    result = run_probe("DEP002", {**_GO, "Dockerfile": dockerfile})
    assert result.outcome.value == "cannot_determine", result.message
    assert "umputun/baseimage" in result.message
    # An official image runs as root whatever the files are chowned to.
    official = dockerfile.replace("umputun/baseimage:app-v1.17.0", "alpine:3.20")
    assert run_probe("DEP002", {**_GO, "Dockerfile": official}).outcome.value == "fail"
    # A user the Dockerfile creates itself but never switches to: root.
    created = dockerfile.replace("RUN chown", "RUN adduser -D app && chown")
    assert run_probe("DEP002", {**_GO, "Dockerfile": created}).outcome.value == "fail"


def test_a_readme_that_sends_operators_to_a_docs_site(run_probe: RunProbe) -> None:
    # pocket-id's README "## Setup": "Visit the [documentation](https://docs.pocket-id.org)
    # for the setup guide": the guide exists, outside the repository.
    readme = (
        "# Svc\n\nAn identity provider.\n\n## Setup\n\n"
        "Visit the [documentation](https://docs.example.org) for the setup guide.\n"
    )
    result = run_probe("DOC009", {**_GO, "README.md": readme})
    assert result.outcome.value == "cannot_determine", result.message
    bare = "# Svc\n\nAn identity provider.\n\n## Contribute\n\nSend patches.\n"
    assert run_probe("DOC009", {**_GO, "README.md": bare}).outcome.value == "fail"


_RUST = {
    "Cargo.toml": '[package]\nname = "vw"\nversion = "1.0.0"\n\n[dependencies]\n'
    'reqwest = "0.12"\naxum = "0.7"\n\n[features]\ndefault = ["sqlite"]\nsqlite = []\n'
    "s3 = []\n",
    "src/main.rs": "mod storage;\n\n#[tokio::main]\nasync fn main() {\n"
    '    let app = axum::Router::new();\n    axum::serve(listener(":8080"), app).await;\n}\n',
}


def test_a_call_behind_an_optional_cargo_feature_is_a_low_gap(run_probe: RunProbe) -> None:
    # vaultwarden's src/storage.rs: `#[cfg(s3)] mod s3 { ... reqwest::Client::builder()
    # .build() ... }`, where build.rs turns the non-default `s3` feature into the cfg.
    storage = (
        "#[cfg(s3)]\nmod s3 {\n    pub fn client() -> reqwest::Client {\n"
        "        reqwest::Client::builder().build().unwrap()\n    }\n}\n"
    )
    build = '#[cfg(feature = "s3")]\nprintln!("cargo:rustc-cfg=s3");\n'
    files = {**_RUST, "src/storage.rs": storage, "build.rs": f"fn main() {{\n{build}}}\n"}
    result = run_probe("REL001", files)
    assert result.outcome.value == "fail"
    assert result.severity is not None and result.severity.value == "low", result.severity_note
    default = {**files, "Cargo.toml": files["Cargo.toml"].replace('["sqlite"]', '["s3"]')}
    assert run_probe("REL001", default).severity.value == "high"
    plain = {**files, "src/storage.rs": storage.replace("#[cfg(s3)]\n", "")}
    assert run_probe("REL001", plain).severity.value == "high"


def test_a_python_helper_in_a_project_that_ships_no_python(run_probe: RunProbe) -> None:
    # vaultwarden's tools/global_domains.py: urlopen() without a timeout, run by hand.
    tool = "import urllib.request\n\nurllib.request.urlopen('https://example.org/x.json')\n"
    files = {**_RUST, "tools/global_domains.py": tool}
    result = run_probe("REL001", files)
    assert result.outcome.value == "not_applicable", result.message
    shipped = {**files, "requirements.txt": "requests\n"}
    assert run_probe("REL001", shipped).severity.value == "high"


def test_a_compose_image_on_a_major_tag_floats(run_probe: RunProbe) -> None:
    # pocket-id's docker-compose.yml: `image: pocketid/pocket-id:v2` follows every v2 release.
    compose = "services:\n  app:\n    image: pocketid/pocket-id:v2\n"
    result = run_probe("DEP010", {**_GO, "docker-compose.yml": compose})
    assert result.outcome.value == "fail" and result.partial
    assert result.severity is not None and result.severity.value == "low"
    exact = compose.replace(":v2", ":v2.1.0")
    assert run_probe("DEP010", {**_GO, "docker-compose.yml": exact}).outcome.value == "pass"


def test_hono_routes_guarded_by_middleware_and_rate_limited_public_checks(
    run_probe: RunProbe,
) -> None:
    # rallly: app/api/private/[...route]/route.ts mounts a Hono app whose routes take
    # `spaceApiKeyAuth`; app/api/updates/route.ts is a public version check limited per IP.
    from tests.probes.test_security import AUTHED, NEXT, OPEN, next_route

    hono = (
        "import { Hono } from 'hono'\nimport { handle } from 'hono/vercel'\n"
        "import { prisma } from '@/db'\nimport { spaceApiKeyAuth } from './api-key'\n"
        "const app = new Hono()\n"
        "app.get(\n  '/polls',\n  spaceApiKeyAuth,\n"
        "  async (c) => c.json(await prisma.poll.findMany()),\n)\n"
        "export const GET = handle(app)\n"
    )
    limited = (
        "import { kv } from '@/kv'\nimport { ratelimit } from '@/ratelimit'\n"
        "export async function GET(request: Request) {\n"
        "  const { success } = await ratelimit.limit('updates')\n"
        "  return Response.json(await kv.get('releases'))\n}\n"
    )
    files = {
        **NEXT,
        **next_route("users", AUTHED),
        **next_route("private/[...route]", hono),
        **next_route("updates", limited),
    }
    result = run_probe("SEC028", files)
    assert result.outcome.value == "pass", result.message
    assert "public by design" in result.message
    bare = hono.replace("  spaceApiKeyAuth,\n", "")
    assert run_probe(
        "SEC028", {**files, **next_route("private/[...route]", bare)}
    ).outcome.value == ("fail")
    assert run_probe("SEC028", {**files, **next_route("updates", OPEN)}).outcome.value == "fail"


def test_a_catch_all_in_a_browser_script_is_a_low_gap(run_probe: RunProbe) -> None:
    # shynet's tracking script (templates/analytics/scripts/page.js): `catch (e) {}` around
    # the beacon it sends from other people's pages.
    beacon = (
        "var Tracker = {\n  send: function () {\n    try {\n"
        "      var xhr = new XMLHttpRequest();\n      xhr.open('POST', '/ingress', true);\n"
        "      xhr.send(JSON.stringify({ location: window.location.href }));\n"
        "      Tracker.sent = Tracker.sent + 1;\n    } catch (e) {}\n  },\n};\n"
    )
    files = {"package.json": json.dumps({"name": "t"}), "static/page.js": beacon}
    result = run_probe("ERR011", files)
    assert result.outcome.value == "fail"
    assert result.severity is not None and result.severity.value == "low", result.message
    server = beacon.replace("window.location.href", "process.env.URL")
    assert run_probe("ERR011", {**files, "static/page.js": server}).severity.value == "medium"
