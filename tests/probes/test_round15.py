"""What held-out round 15 and its panel taught (flaskbb, sd, vhs, attrs, dinov2,
go-pagerduty, documenso, saas-starter, filebrowser, lemmy): each case rebuilt small beside
the one that must stay as it is."""

from __future__ import annotations

from tests.probes.conftest import RunProbe

_CARGO = {
    "Cargo.toml": "[package]\nname = 'sd'\nversion = '1.0.0'\n",
    "src/main.rs": "fn main() {}\n",
    "tests/cli.rs": "#[test]\nfn runs() {}\n",
}


def test_a_test_runner_named_through_a_workflow_variable(run_probe: RunProbe) -> None:
    # sd: one step writes CARGO=cargo (or cross) to $GITHUB_ENV, the next runs $CARGO test.
    workflow = (
        "on: pull_request\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
        "    - uses: actions/checkout@v4\n"
        '    - run: echo "CARGO=cargo" >> $GITHUB_ENV\n'
        "    - name: Test\n      run: |\n        $CARGO test --target x86_64\n"
    )
    files = {**_CARGO, ".github/workflows/test.yml": workflow}
    assert run_probe("TST002", files).outcome.value == "pass"
    # The same through an env: block, and ${{ env.NAME }}.
    env = workflow.replace('    - run: echo "CARGO=cargo" >> $GITHUB_ENV\n', "").replace(
        "jobs:\n", "env:\n  CARGO: cargo\njobs:\n"
    )
    env = env.replace("$CARGO test", "${{ env.CARGO }} test")
    assert run_probe("TST002", {**_CARGO, ".github/workflows/test.yml": env}).outcome.value == (
        "pass"
    )
    # A variable the workflow never sets stays unknown: no test runner is seen.
    unset = workflow.replace('    - run: echo "CARGO=cargo" >> $GITHUB_ENV\n', "")
    assert run_probe("TST002", {**_CARGO, ".github/workflows/test.yml": unset}).outcome.value == (
        "fail"
    )


_VHS = {
    "go.mod": "module example.com/vhs\n\ngo 1.22\n",
    "main.go": 'package main\n\nimport "net"\n\nfunc main() {\n\tnet.Listen("tcp", ":1976")\n}\n',
    "Dockerfile": "FROM debian:stable-slim\nRUN useradd -u 1976 vhs\nCOPY vhs /usr/bin/\n"
    'ENV VHS_UID="1976"\nENTRYPOINT ["/usr/bin/vhs"]\n',
}


def test_a_program_that_gives_up_root_itself(run_probe: RunProbe) -> None:
    # vhs: the image starts as root; `vhs serve` binds, then calls syscall.Setuid(1976).
    root = run_probe("DEP002", _VHS)
    assert root.outcome.value == "fail" and not root.partial, root.message
    drops = {
        **_VHS,
        "serve_unix.go": 'package main\n\nimport "syscall"\n\nfunc drop(uid int) error {\n'
        "\treturn syscall.Setuid(uid)\n}\n",
    }
    dropped = run_probe("DEP002", drops)
    assert dropped.outcome.value == "fail" and dropped.partial, dropped.message
    assert dropped.severity.value == "low" and "serve_unix.go:6" in dropped.message


_NODE = {"package.json": '{"name": "app", "dependencies": {"next": "15.0.0"}}'}


def test_an_address_a_seed_login_and_a_doubled_word_are_no_secrets(run_probe: RunProbe) -> None:
    # documenso: resetPasswordLink = 'https://documenso.com' in an e-mail template.
    link = {
        **_NODE,
        "emails/reset.tsx": "export const resetPasswordLink = 'https://documenso.com';\n",
    }
    assert run_probe("SEC001", link).outcome.value == "pass"
    # A URL with a token in it is still read as one.
    token = "export const resetPasswordLink = 'https://x.io/?k=Zq8vT3mW9pL2rX7n';\n"
    assert run_probe("SEC001", {**_NODE, "emails/reset.tsx": token}).outcome.value == "fail"
    # saas-starter: the seed script's demo login, which the README documents.
    seed = "const email = 'test@test.com';\nconst password = 'Xk29vLq0pZ7mWn3R';\n"
    assert run_probe("SEC001", {**_NODE, "lib/db/seed.ts": seed}).outcome.value == "pass"
    assert run_probe("SEC001", {**_NODE, "lib/db/users.ts": seed}).outcome.value == "fail"


def test_a_reference_a_script_writes_and_a_federation_nonce(run_probe: RunProbe) -> None:
    # lemmy: scripts/update_config_defaults.sh writes config/defaults.hjson from the
    # documented Settings struct, with example values.
    defaults = '{\n  setup: {\n    admin_password: "tf6HHDS4RolWfFhk4Rq9"\n  }\n}\n'
    script = '#!/usr/bin/env bash\ndest=${1-config/defaults.hjson}\n\ncargo run >"$dest"\n'
    files = {**_NODE, "config/defaults.hjson": defaults}
    assert run_probe("SEC001", files).outcome.value == "fail"
    written = {**files, "scripts/update_config_defaults.sh": script}
    assert run_probe("SEC001", written).outcome.value == "pass"
    # An ActivityPub signature's nonce travels beside the signature: public by design.
    nonce = '{\n  "signature": {\n    "nonce": "' + "fe42f1478453c9c5" * 4 + '"\n  }\n}\n'
    assert run_probe("SEC001", {**_NODE, "assets/note.json": nonce}).outcome.value == "pass"


def test_a_secret_in_the_default_configuration_is_high(tmp_path) -> None:
    # flaskbb: configs/default.py, overridden by the config file makeconfig writes.
    from tests.probes.conftest import as_reported

    py = {"pyproject.toml": "[project]\nname = 'forum'\nversion = '1'\n"}
    line = 'class DefaultConfig:\n    WTF_CSRF_SECRET_KEY = "Zq8vT3mW9pL2rX7nQ4"\n'
    default = as_reported(tmp_path / "d", "SEC001", {**py, "forum/configs/default.py": line})
    assert default.outcome.value == "fail" and default.severity.value == "high", default.message
    other = as_reported(tmp_path / "o", "SEC001", {**py, "forum/configs/production.py": line})
    assert other.severity.value == "critical", other.message


def test_a_configuration_that_says_it_is_for_development(tmp_path) -> None:
    # lemmy's docker/lemmy.hjson: "a minimal lemmy config for the dev / main branch".
    from tests.probes.conftest import as_reported

    body = '  setup: {\n    admin_password: "Zq8vT3mW9pL2rX7nQ4"\n  }\n}\n'
    dev = "{\n  # This is a minimal config for the dev / main branch.\n" + body
    said = as_reported(tmp_path / "d", "SEC001", {**_NODE, "docker/app.hjson": dev})
    assert said.outcome.value == "fail" and said.severity.value == "medium", said.message
    plain = as_reported(tmp_path / "p", "SEC001", {**_NODE, "docker/app.hjson": "{\n" + body})
    assert plain.severity.value == "critical", plain.message


def test_a_type_stored_in_a_column_is_no_database(tmp_path) -> None:
    # filebrowser: go-enum files import database/sql/driver for the Valuer interface; the
    # store is BoltDB.
    from tests.probes.conftest import profile_of

    enum = (
        'package http\n\nimport "database/sql/driver"\n\n'
        "func (x Kind) Value() (driver.Value, error) {\n\treturn nil, nil\n}\n"
    )
    go = {"go.mod": "module example.com/fb\n\ngo 1.22\n", "http/kind_enum.go": enum}
    assert not profile_of(tmp_path / "enum", go).datastores
    handle = 'package store\n\nimport "database/sql"\n\nvar DB *sql.DB\n'
    assert profile_of(tmp_path / "sql", {**go, "store/db.go": handle}).datastores


def test_a_test_server_around_a_mux_the_test_makes(run_probe: RunProbe) -> None:
    # go-pagerduty: setup() makes a mux, serves it with httptest; each test registers
    # canned handlers on it.
    from tests.probes.test_testing import GO_OUT

    setup = (
        'package m\n\nimport (\n\t"net/http"\n\t"net/http/httptest"\n\t"testing"\n)\n\n'
        "var mux *http.ServeMux\n\nfunc setup() {\n\tmux = http.NewServeMux()\n"
        "\tserver := httptest.NewServer(mux)\n\tGet(server.URL)\n}\n\n"
        "func TestGet(t *testing.T) { setup() }\n"
    )
    assert run_probe("TST011", {**GO_OUT, "client_test.go": setup}).outcome.value == "pass"
    # The product's own router served the same way tests the service, not a stand-in.
    own = setup.replace("mux = http.NewServeMux()", "mux = NewRouter()")
    assert run_probe("TST011", {**GO_OUT, "client_test.go": own}).outcome.value == "fail"


def test_a_page_asking_its_own_server_and_the_stripe_library(run_probe: RunProbe) -> None:
    # saas-starter: useSWR('/api/user', fetcher) with fetcher = (url) => fetch(url), and
    # Stripe's library (80 s timeout, one retry by default since v13).
    app = {
        "package.json": '{"name": "saas", "dependencies": {"next": "15.0.0", "stripe": "18.0.0",'
        ' "swr": "2.0.0"}}',
        "lib/payments/stripe.ts": "import Stripe from 'stripe';\n\n"
        "export const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);\n",
        "app/(dashboard)/layout.tsx": "'use client';\nimport useSWR from 'swr';\n\n"
        "const fetcher = (url: string) => fetch(url).then((res) => res.json());\n\n"
        "export default function Layout() {\n"
        "  const { data } = useSWR<User>('/api/user', fetcher);\n  return data;\n}\n",
    }
    bounded = run_probe("REL001", app)
    assert bounded.outcome.value == "pass" and "80 seconds" in bounded.message, bounded.message
    assert run_probe("REL002", app).outcome.value == "pass"
    # A key on another origin is another service's.
    away = {
        **app,
        "app/(dashboard)/layout.tsx": app["app/(dashboard)/layout.tsx"].replace(
            "'/api/user'", "'https://api.example.com/user'"
        ),
    }
    assert run_probe("REL001", away).outcome.value == "fail"


def test_an_empty_downgrade_of_an_upgrade_that_changes_nothing(run_probe: RunProbe) -> None:
    # flaskbb: remove_conversations's upgrade has its drop_table calls commented out.
    head = "from alembic import op\n\nrevision = 'a'\n\n\n"
    noop = head + "def upgrade():\n    # op.drop_table('conversations')\n    pass\n\n\n"
    noop += "def downgrade():\n    pass\n"
    files = {"pyproject.toml": "[project]\nname='forum'\n", "migrations/versions/a.py": noop}
    assert run_probe("DATA003", files).outcome.value == "pass"
    real = noop.replace("    # op.drop_table('conversations')\n    pass", "    op.drop_table('c')")
    files["migrations/versions/a.py"] = real
    assert run_probe("DATA003", files).outcome.value == "fail"


def test_the_image_ci_builds_is_the_one_judged(run_probe: RunProbe) -> None:
    # documenso: CI builds docker/Dockerfile (USER nodejs); apps/remix/Dockerfile.bun is a
    # leftover nobody builds.
    files = {
        **_NODE,
        "docker/Dockerfile": 'FROM node:22\nCOPY . /app\nUSER nodejs\nCMD ["node", "a"]\n',
        "apps/remix/Dockerfile": 'FROM node:22\nCOPY . /app\nCMD ["node", "a"]\n',
    }
    assert run_probe("DEP002", files).outcome.value == "fail"
    workflow = (
        "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: docker build -f ./docker/Dockerfile .\n"
    )
    built = {**files, ".github/workflows/publish.yml": workflow}
    assert run_probe("DEP002", built).outcome.value == "pass"


def test_a_wsgi_module_launches_a_flask_app_and_an_emoji_is_no_health_route(
    run_probe: RunProbe, tmp_path
) -> None:
    # flaskbb: create_app() builds Flask(...) inside a function; wsgi.py is what a WSGI
    # server imports. Its emoji migration maps "heartbeat" to a character.
    from tests.probes.conftest import profile_of

    app = (
        "from flask import Flask\n\n\ndef create_app():\n    app = Flask('forum')\n    return app\n"
    )
    files = {"pyproject.toml": "[project]\nname = 'forum'\n", "forum/app.py": app}
    assert "web_service" not in profile_of(tmp_path / "bare", files).kinds
    wsgi = {**files, "wsgi.py": "from forum.app import create_app\n\napp = create_app()\n"}
    assert "web_service" in profile_of(tmp_path / "wsgi", wsgi).kinds
    emoji = "EMOJIS = {\n    'heartbeat': '\\U0001f493',\n}\n"
    migrated = {**wsgi, "forum/migrations/0002_emoji.py": emoji}
    assert run_probe("OBS006", migrated).outcome.value == "fail"


def test_a_go_client_module_with_a_command_beside_it(tmp_path) -> None:
    # go-pagerduty: the root package is the API client its README says to `go get`; the
    # pd command lives under command/.
    from tests.probes.conftest import profile_of

    files = {
        "go.mod": "module github.com/acme/go-acme\n\ngo 1.22\n",
        "client.go": 'package acme\n\nimport "net/http"\n\nconst apiEndpoint = '
        '"https://api.acme.com"\n\nfunc Get() { http.Get(apiEndpoint) }\n',
        "command/main.go": "package main\n\nfunc main() {}\n",
    }
    assert profile_of(tmp_path / "bare", files).kinds == ["cli"]
    told = {**files, "README.md": "# go-acme\n\n    go get github.com/acme/go-acme@latest\n"}
    kinds = profile_of(tmp_path / "told", told).kinds
    assert set(kinds) == {"cli", "library"}, kinds


def test_a_rust_file_compiled_for_tests_only(run_probe: RunProbe) -> None:
    # lemmy: schema_setup/diff_check.rs opens with #![cfg(test)].
    body = 'use std::fs;\n\npub fn dump() -> String {\n    fs::read_to_string("a").unwrap()\n}\n'
    crate = {
        "Cargo.toml": "[package]\nname = 'db'\nversion = '1.0.0'\n",
        "src/lib.rs": "mod diff;\n",
    }
    assert run_probe("ERR004", {**crate, "src/diff.rs": body}).outcome.value == "fail"
    gated = {**crate, "src/diff.rs": "#![cfg(test)]\n" + body}
    assert run_probe("ERR004", gated).outcome.value == "pass"


def test_a_backup_named_in_a_rust_test_module_is_no_procedure(run_probe: RunProbe) -> None:
    # lemmy: `let backup = export_user_settings(...)` inside #[cfg(test)] mod tests.
    crate = {
        "Cargo.toml": "[package]\nname = 'srv'\nversion = '1.0.0'\n\n[dependencies]\n"
        "diesel = { version = '2', features = ['postgres'] }\n",
        "src/main.rs": "use diesel::pg::PgConnection;\n\nfn main() {}\n",
    }
    test = "pub fn export() {}\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() {\n"
    test += "        let backup = super::export();\n    }\n}\n"
    inside = run_probe("DATA002", {**crate, "src/settings.rs": test})
    assert inside.outcome.value == "fail", inside.message
    script = {**crate, "src/settings.rs": test, "docker/backup.sh": "pg_dumpall -c > dump.sql\n"}
    assert run_probe("DATA002", script).outcome.value == "pass"


def test_pinned_development_tools_lock_nothing_the_program_runs_with(run_probe: RunProbe) -> None:
    # dinov2: requirements-dev.txt pins black, flake8 and pylint; requirements.txt floats.
    files = {
        "requirements.txt": "torch==2.0.0\nomegaconf\nfvcore\n",
        "requirements-dev.txt": "black==22.6.0\nflake8==5.0.4\npylint==2.15.0\n",
        "train.py": "import torch\nimport omegaconf\nimport fvcore\n",
    }
    assert run_probe("SEC020", files).outcome.value == "fail"
    frozen = {**files, "requirements.txt": "torch==2.0.0\nomegaconf==2.3.0\nfvcore==0.1.5\n"}
    assert run_probe("SEC020", frozen).outcome.value == "pass"


def test_a_payment_providers_return_url_proves_its_caller(run_probe: RunProbe) -> None:
    # saas-starter: /api/stripe/checkout is where Stripe sends the buyer back; it checks the
    # session id with Stripe before it touches the database.
    from tests.probes.test_security import AUTHED, NEXT, OPEN, next_route

    back = (
        "import { db } from '@/lib/db'\nimport { stripe } from '@/lib/stripe'\n"
        "export async function GET(req: Request) {\n"
        "  const id = new URL(req.url).searchParams.get('session_id')\n"
        "  const session = await stripe.checkout.sessions.retrieve(id)\n"
        "  return Response.json(await db.user.findFirst())\n}\n"
    )
    files = {**NEXT, **next_route("users", AUTHED), **next_route("stripe/checkout", back)}
    assert run_probe("SEC028", files).outcome.value == "pass"
    opened = {**files, **next_route("stripe/checkout", OPEN)}
    assert run_probe("SEC028", opened).outcome.value == "fail"


def test_a_services_helper_binary_is_no_command_line_tool(tmp_path) -> None:
    # lemmy: crates/utils declares [[bin]] lemmy_util_bin (prints the default config);
    # clap parses the server's own flags in crates/server.
    from tests.probes.conftest import profile_of

    server = (
        "use clap::Parser;\nuse actix_web::HttpServer;\n\n#[derive(Parser)]\nstruct Args {}\n\n"
        "pub async fn start() {\n    HttpServer::new(|| todo!());\n}\n"
    )
    files = {
        "Cargo.toml": "[workspace]\nmembers = ['crates/*']\n",
        "Dockerfile": 'FROM rust:1.80\nCMD ["lemmy_server"]\n',
        "crates/server/Cargo.toml": "[package]\nname = 'server'\n\n[dependencies]\nclap = '4'\n",
        "crates/server/src/lib.rs": server,
        "crates/utils/Cargo.toml": "[package]\nname = 'utils'\n\n[[bin]]\nname = 'util_bin'\n"
        "path = 'src/main.rs'\n",
        "crates/utils/src/main.rs": 'fn main() {\n    println!("{}", "config");\n}\n',
    }
    assert "cli" not in profile_of(tmp_path / "helper", files).kinds
    parses = {**files, "crates/utils/src/main.rs": "use clap::Parser;\n\nfn main() {}\n"}
    assert "cli" in profile_of(tmp_path / "tool", parses).kinds


def test_crypto_rands_reader_failing_is_no_recoverable_error(run_probe: RunProbe) -> None:
    # rs/xid (a user read): `if _, err := rand.Reader.Read(b); err != nil { panic(...) }`.
    from tests.probes.test_final5 import _GO_API

    body = "\tb := make([]byte, 3)\n\tif _, err := rand.Reader.Read(b); err != nil {\n"
    body += "\t\tpanic(err)\n\t}\n\treturn b\n"
    token = {
        **_GO_API,
        "server/token.go": 'package server\n\nimport "crypto/rand"\n\nfunc token() []byte {\n'
        + body
        + "}\n",
    }
    assert run_probe("ERR006", token).outcome.value == "pass"
    other = {
        **token,
        "server/token.go": token["server/token.go"].replace("rand.Reader.Read", "load"),
    }
    other["server/token.go"] += "\nfunc load(b []byte) (int, error) { return 0, nil }\n"
    assert run_probe("ERR006", other).outcome.value == "fail"
