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
