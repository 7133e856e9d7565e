"""What held-out round 17's first panel taught (vaultwarden, homebox, lsd, yq, httpx, moco,
go-jira, rallly, nextjs-subscription-payments, mall-tiny), measured before these fixes: each
case rebuilt small beside the one that must stay as it is."""

from __future__ import annotations

import json
from pathlib import Path

from tests.probes.conftest import RunProbe, profile_of

_GO = {
    "go.mod": "module example.com/yq\n\ngo 1.22\n",
    "main.go": 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("yq")\n}\n',
}
_NODE_SERVER = {
    "package.json": json.dumps({"name": "web", "private": True, "dependencies": {"express": "5"}}),
    "src/main.ts": "import express from 'express';\nconst app = express();\napp.listen(3000);\n",
}


def test_plain_text_release_notes_are_a_changelog(run_probe: RunProbe) -> None:
    # yq keeps release_notes.txt, one block per version.
    notes = {**_GO, "release_notes.txt": "4.53.6:\n  - Fixed a crash\n"}
    assert run_probe("DOC003", notes).outcome.value == "pass"
    assert run_probe("DOC003", {**_GO, "notes.txt": "4.53.6:\n"}).outcome.value == "fail"


def test_a_dev_image_and_a_github_action_image_are_not_the_shipped_one(
    run_probe: RunProbe,
) -> None:
    # yq: Dockerfile (USER yq) beside Dockerfile.dev (a toolchain image, root), and
    # github-action/Dockerfile, which GitHub runs as root by design.
    shipped = 'FROM alpine:3\nRUN adduser -D yq\nUSER yq\nENTRYPOINT ["yq"]\n'
    files = {
        **_GO,
        "Dockerfile": shipped,
        "Dockerfile.dev": "FROM golang:1.22\nRUN go install tool@latest\n",
        "github-action/Dockerfile": 'FROM alpine:3\nUSER root\nENTRYPOINT ["/entrypoint.sh"]\n',
    }
    result = run_probe("DEP002", files)
    assert result.outcome.value == "pass", result.message
    # The shipped image as root is still the gap.
    root = {**files, "Dockerfile": shipped.replace("USER yq\n", "")}
    assert run_probe("DEP002", root).outcome.value == "fail"


def test_an_action_yml_running_a_published_image_leaves_the_dockerfile_the_products(
    run_probe: RunProbe,
) -> None:
    action = "runs:\n  using: 'docker'\n  image: 'docker://example/yq:4'\n"
    files = {**_GO, "action.yml": action, "Dockerfile": 'FROM alpine:3\nENTRYPOINT ["yq"]\n'}
    assert run_probe("DEP002", files).outcome.value == "fail"
    built = {**files, "action.yml": "runs:\n  using: 'docker'\n  image: 'Dockerfile'\n"}
    assert run_probe("DEP002", built).outcome.value == "cannot_determine"


def test_a_few_lines_of_python_do_not_make_python_questions(tmp_path: Path) -> None:
    # homebox: one Python migration helper among thousands of lines of Go.
    go = "package main\n\n" + "".join(f"func f{n}() int {{ return {n} }}\n" for n in range(600))
    files = {**_GO, "big.go": go, "tools/gen.py": "import requests\nprint(requests.get)\n"}
    conditions = profile_of(tmp_path / "mixed", files).conditions
    assert conditions["go"] and not conditions["python"]
    small = {**_GO, "gen/gen.py": "import requests\nprint(requests.get)\n"}
    assert profile_of(tmp_path / "small", small).conditions["python"]


_HOMEBOX_TASKS = 'env:\n  HBOX_AUTH_API_KEY_PEPPER: "{value}"\n'


def test_values_that_say_they_are_not_for_production(run_probe: RunProbe) -> None:
    # homebox's Taskfile: "dev-only-pepper-not-for-production-use-32b+".
    said = _HOMEBOX_TASKS.format(value="dev-only-pepper-not-for-production-use-32b+")
    assert run_probe("SEC001", {**_GO, "Taskfile.yml": said}).outcome.value == "pass"
    real = _HOMEBOX_TASKS.format(value="q8Vt3mW9pL2rX7nZk4Jd+32b")
    assert run_probe("SEC001", {**_GO, "Taskfile.yml": real}).outcome.value == "fail"


def test_a_demo_modes_default_login(run_probe: RunProbe) -> None:
    # homebox: demoPasswordDefault = "demodemo", the demo's published login.
    demo = 'package api\n\nconst (\n\tdemoPasswordDefault = "demodemo"\n)\n'
    assert run_probe("SEC001", {**_GO, "api/demo.go": demo}).outcome.value == "pass"
    admin = demo.replace("demoPasswordDefault", "adminPasswordDefault")
    assert run_probe("SEC001", {**_GO, "api/demo.go": admin}).outcome.value == "fail"


_COSIGN = (
    "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n"
    + "eyJrZGYiOnsibmFtZSI6InNjcnlwdCIsInBhcmFtcyI6eyJOIjo2NTUzNiwiciI6\n" * 3
    + "-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n"
)


def test_an_encrypted_cosign_key_is_found_and_lowered(run_probe: RunProbe) -> None:
    # homebox's backend/cosign.key: found at all only with any words before PRIVATE KEY.
    result = run_probe("SEC001", {**_GO, "backend/cosign.key": _COSIGN})
    assert result.outcome.value == "fail" and result.severity.value == "medium", result.message
    plain = _COSIGN.replace("ENCRYPTED SIGSTORE ", "")
    clear = run_probe("SEC001", {**_GO, "backend/cosign.key": plain})
    assert clear.outcome.value == "fail" and clear.severity.value == "critical"


def test_a_test_env_file_and_a_type_of_string_literals(run_probe: RunProbe) -> None:
    # rallly: apps/web/.env.test (CRON_SECRET for Playwright), and
    # `export type PasswordQuality = "veryWeak" | "weak" | ...`.
    env = "CRON_SECRET=9f8e7d6c5b4a39281706f5e4d3c2b1a0\n"
    assert run_probe("SEC001", {**_NODE_SERVER, "apps/web/.env.test": env}).outcome.value == (
        "pass"
    )
    assert run_probe("SEC001", {**_NODE_SERVER, "apps/web/.env": env}).outcome.value == "fail"
    kinds = 'export type PasswordQuality = "veryWeak" | "weak" | "fair";\n'
    assert run_probe("SEC001", {**_NODE_SERVER, "src/types.ts": kinds}).outcome.value == "pass"
    value = 'export const password = "veryWeakQ8vT3mW9pL2";\n'
    assert run_probe("SEC001", {**_NODE_SERVER, "src/types.ts": value}).outcome.value == "fail"


def test_a_package_that_re_exports_its_modules_is_a_library(tmp_path: Path) -> None:
    # httpx: `from ._client import *` for each module, an __all__ list, and a `httpx`
    # console script: a library with a command beside it.
    init = (
        "from ._api import *\nfrom ._client import *\n\n"
        "__all__ = [\n    'Client',\n    'AsyncClient',\n    'get',\n]\n"
    )
    files = {
        "pyproject.toml": "[build-system]\nrequires = ['hatchling']\n\n[project]\nname = 'hx'\n"
        "\n[project.scripts]\nhx = 'hx:main'\n",
        "hx/__init__.py": init,
        "hx/_api.py": "def get(url):\n    return url\n",
        "hx/_client.py": "class Client:\n    pass\n\n\nclass AsyncClient:\n    pass\n",
        "hx/_main.py": "import click\n\n\n@click.command()\ndef main():\n    pass\n",
    }
    kinds = profile_of(tmp_path / "hx", files).kinds
    assert "library" in kinds and "cli" in kinds, kinds


def test_a_catch_that_answers_invalid_input_with_a_literal(run_probe: RunProbe) -> None:
    # rallly's outbound-proxy.ts: try { new URL(value) ... } catch { return "<invalid URL>" }.
    parse = (
        "export function sanitize(value: string) {\n  try {\n    const url = new URL(value);\n"
        '    url.username = "";\n    url.password = "";\n    return url.href;\n'
        '  } catch {\n    return "<invalid URL>";\n  }\n}\n'
    )
    assert run_probe("ERR011", {**_NODE_SERVER, "src/proxy.ts": parse}).outcome.value == "pass"
    # The same catch around work that is no parsing loses a failure.
    work = parse.replace("new URL(value)", "await fetch(value)").replace(
        "export function", "export async function"
    )
    assert run_probe("ERR011", {**_NODE_SERVER, "src/proxy.ts": work}).outcome.value == "fail"


def test_a_readme_that_sends_readers_to_the_docs_site(run_probe: RunProbe) -> None:
    # rallly: "## Self-hosting ... See the [self-hosting docs](https://...) for installation".
    readme = (
        "# Rallly\n\nScheduling polls.\n\n## Self-hosting\n\n"
        "See the [self-hosting docs](https://support.example.com/self-hosting) for "
        "installation.\n"
    )
    result = run_probe("DOC002", {**_NODE_SERVER, "README.md": readme})
    assert result.outcome.value == "fail" and result.partial and result.severity.value == "low"
    assert result.evidence[0].location == "README.md:7"
    bare = run_probe("DOC002", {**_NODE_SERVER, "README.md": "# Rallly\n\nScheduling polls.\n"})
    assert bare.outcome.value == "fail" and bare.severity.value == "medium"


_ROCKET = {
    "Cargo.toml": "[package]\nname = 'vw'\nversion = '1.0.0'\n\n[dependencies]\nrocket = '0.5'\n",
    "src/main.rs": "#[rocket::main]\nasync fn main() {\n    rocket::build().launch().await;\n}\n",
}


def test_rust_handlers_taking_typed_structs_validate_the_shape(run_probe: RunProbe) -> None:
    # vaultwarden: Rocket handlers take Json<PreloginData> and ~120 other serde structs.
    handler = (
        "#[post('/prelogin', data = '<data>')]\n"
        "async fn prelogin(data: Json<PreloginData>) -> String {\n    todo!()\n}\n"
    )
    result = run_probe("SEC013", {**_ROCKET, "src/api.rs": handler})
    assert result.outcome.value == "pass" and result.evidence[0].location == "src/api.rs:2"
    untyped = handler.replace("Json<PreloginData>", "Json<Value>")
    assert run_probe("SEC013", {**_ROCKET, "src/api.rs": untyped}).outcome.value == "fail"


def test_a_coverage_script_a_make_target_runs(run_probe: RunProbe) -> None:
    # yq: `make cover` runs `bash ./scripts/coverage.sh`, which runs go test -coverprofile.
    files = {
        **_GO,
        "main_test.go": 'package main\n\nimport "testing"\n\nfunc TestX(t *testing.T) {}\n',
        "Makefile": "cover:\n\t${ENGINERUN} bash ./scripts/coverage.sh\n",
        "scripts/coverage.sh": "#!/bin/bash\ngo test -coverprofile=coverage.out ./...\n",
    }
    result = run_probe("TST003", files)
    assert result.outcome.value == "pass" and "scripts/coverage.sh:2" in result.message
    plain = {**files, "scripts/coverage.sh": "#!/bin/bash\ngo test ./...\n"}
    assert run_probe("TST003", plain).outcome.value == "fail"


def test_sample_inputs_in_examples_are_not_configuration(run_probe: RunProbe) -> None:
    # yq: examples/bad.yaml is malformed on purpose.
    files = {**_GO, "examples/bad.yaml": "a: [1, 2\n", "config.yaml": "a: 1\n"}
    assert run_probe("CFG007", files).outcome.value == "pass"
    broken = {**files, "config.yaml": "a: [1, 2\n"}
    assert run_probe("CFG007", broken).outcome.value == "fail"


_LSD = {
    "Cargo.toml": "[package]\nname = 'lsd'\nversion = '1.0.0'\n\n[[bin]]\nname = 'lsd'\n"
    "path = 'src/main.rs'\n",
    "src/main.rs": "use clap::Parser;\nfn main() {}\n",
}


def test_a_config_folder_only_read_keeps_no_state(run_probe: RunProbe) -> None:
    # lsd looks up config.yaml under dirs::config_dir() and never writes a file.
    config = "pub fn path() -> Option<std::path::PathBuf> {\n    dirs::config_dir()\n}\n"
    result = run_probe("DATA007", {**_LSD, "src/config_file.rs": config})
    assert result.outcome.value == "not_applicable"
    assert "keeps no state" in result.message
    writes = config.replace(
        "    dirs::config_dir()\n",
        '    let p = dirs::config_dir();\n    std::fs::write("x", "y").ok();\n    p\n',
    )
    assert run_probe("DATA007", {**_LSD, "src/config_file.rs": writes}).outcome.value != (
        "not_applicable"
    )


def test_a_fetch_based_sdk_on_node_is_a_low_gap_undici_bounds(run_probe: RunProbe) -> None:
    # nextjs-subscription-payments: supabase-js in a server component calls Node's global
    # fetch, which undici abandons after 300 s (labeller: partly; reader: low, not high); in a
    # 'use client' component the browser's fetch has no bound at all.
    package = {
        "name": "shop",
        "private": True,
        "dependencies": {"next": "14", "@supabase/supabase-js": "2", "react": "18"},
    }
    page = (
        "import { createClient } from '@supabase/supabase-js';\n\n"
        "export default async function Account() {\n"
        "  const supabase = createClient('u', 'k');\n"
        "  const { data } = await supabase.from('users').select();\n  return data;\n}\n"
    )
    files = {"package.json": json.dumps(package), "app/account/page.tsx": page}
    result = run_probe("REL001", files)
    assert result.outcome.value == "fail" and result.severity.value == "low", result.message
    assert "300 s" in result.message
    browser = {**files, "app/account/page.tsx": "'use client';\n" + page}
    unbounded = run_probe("REL001", browser)
    assert unbounded.outcome.value == "fail" and unbounded.severity.value != "low"


def test_a_dev_compose_file_by_its_name_deploys_nothing(run_probe: RunProbe) -> None:
    # rallly: docker-compose.dev.yml (redis-http:latest for `pnpm docker:up`) beside the
    # docker-compose.yml self-hosters deploy (postgres:18-alpine).
    dev = "services:\n  redis:\n    image: hiett/serverless-redis-http:latest\n"
    prod = "services:\n  db:\n    image: postgres:18-alpine\n"
    files = {**_NODE_SERVER, "docker-compose.dev.yml": dev, "docker-compose.yml": prod}
    assert run_probe("DEP010", files).outcome.value == "pass"
    shipped = {**_NODE_SERVER, "docker-compose.yml": prod + dev.replace("services:\n", "")}
    assert run_probe("DEP010", shipped).outcome.value == "fail"


_BAKE = (
    "on:\n  push:\n    tags: ['v*']\njobs:\n  images:\n    runs-on: ubuntu-latest\n"
    "    steps:\n      - uses: actions/checkout@v4\n      - uses: docker/bake-action@v6\n"
    "        with:\n          set: |\n            *.output=type=image,{push}\n"
)


def test_docker_bake_that_pushes_is_a_release_step(run_probe: RunProbe) -> None:
    # vaultwarden's release.yml: bake with `*.output=type=image,...,push=true`.
    pushed = {**_GO, "Dockerfile": "FROM alpine:3\n", ".github/workflows/release.yml": _BAKE}
    pushed[".github/workflows/release.yml"] = _BAKE.format(push="push=true")
    assert run_probe("DEP009", pushed).outcome.value == "pass"
    local = {**pushed, ".github/workflows/release.yml": _BAKE.format(push="push=false")}
    assert run_probe("DEP009", local).outcome.value == "fail"


def test_a_script_fetched_at_a_commit_is_pinned(run_probe: RunProbe) -> None:
    # yq's scripts/devtools.sh pipes install.sh fetched at a commit SHA into sh.
    pinned = (
        "#!/bin/sh\ncurl -sSfL https://raw.githubusercontent.com/golangci/golangci-lint/"
        "6008b81b81c690c046ffc3fd5bce896da715d5fd/install.sh | sh -s -- v2.11.3\n"
    )
    assert run_probe("SEC017", {**_GO, "build.sh": pinned}).outcome.value == "pass"
    floating = pinned.replace("6008b81b81c690c046ffc3fd5bce896da715d5fd", "HEAD")
    assert run_probe("SEC017", {**_GO, "build.sh": floating}).outcome.value == "fail"


def test_a_readme_usage_section_with_docker_run_is_operations_doc(run_probe: RunProbe) -> None:
    # vaultwarden's README "## Usage": docker run and compose steps.
    usage = (
        "# vw\n\n## Usage\n\nStart it:\n\n```sh\ndocker run -d --name vw -p 80:80 vw:latest\n```\n"
    )
    result = run_probe("DOC009", {**_NODE_SERVER, "README.md": usage})
    assert result.outcome.value == "pass" and result.evidence[0].location.startswith("README.md:3")
    local = usage.replace("docker run -d --name vw -p 80:80 vw:latest", "npm run dev")
    assert run_probe("DOC009", {**_NODE_SERVER, "README.md": local}).outcome.value == "fail"


def test_a_buffer_method_returns_no_error_whatever_a_same_named_method_does(
    run_probe: RunProbe,
) -> None:
    # yq: b.Truncate(n - 1) on a *bytes.Buffer, while its own code declares an error-returning
    # Truncate elsewhere.
    own = (
        "package lib\n\ntype store struct{}\n\n"
        "func (s *store) Truncate(n int) error {\n\treturn nil\n}\n"
    )
    printer = (
        'package lib\n\nimport "bytes"\n\nfunc trim(b *bytes.Buffer) {\n\tb.Truncate(1)\n}\n\n'
        "func drop(s *store) {\n\ts.Truncate(1)\n}\n"
    )
    result = run_probe("ERR007", {**_GO, "lib/store.go": own, "lib/printer.go": printer})
    assert result.outcome.value == "fail", result.message
    assert [e.location for e in result.evidence] == ["lib/printer.go:10"], result.evidence
