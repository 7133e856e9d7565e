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
