"""What panel final10 taught about code quality, documentation, Docker and Go's discarded
errors: each false claim rebuilt small beside the case that must stay as it is."""

from __future__ import annotations

from tests.probes.conftest import RunProbe
from tests.probes.test_testing import wf

_RUST = {"Cargo.toml": "[package]\nname = 'x'\nversion = '0.1.0'\nedition = '2021'\n"}
_GO = {"go.mod": "module example.com/x\n\ngo 1.22\n"}
_JS = {"index.js": "export const f = () => 1;\n"}


def _rust_lib(product: int, tests: int) -> str:
    code = "".join(f"pub fn f{n}() -> u32 {{\n    {n}\n}}\n" for n in range(product // 3))
    if not tests:
        return code
    body = "".join(
        f'    #[test]\n    fn t{n}() {{\n        assert_eq!(format!("{{}}", f0()), "0");\n'
        "        let _ = ('{', '\"', r#\"}\"#);\n    }\n"
        for n in range(tests // 5)
    )
    return code + "#[cfg(test)]\nmod tests {\n    use super::*;\n" + body + "}\n"


def test_a_rust_modules_inline_tests_do_not_count_toward_its_size(run_probe: RunProbe) -> None:
    # hexyl: src/lib.rs is 1153 lines, of which 261 are its #[cfg(test)] module.
    tested = run_probe("CQ006", {**_RUST, "src/lib.rs": _rust_lib(900, 300)})
    assert tested.outcome.value == "pass", tested.message
    assert "without its test module" in tested.message
    # 1100 lines of product code stay a very large module, test module or not.
    big = run_probe("CQ006", {**_RUST, "src/lib.rs": _rust_lib(1110, 300)})
    assert big.outcome.value == "fail" and "without its test module" in big.message
    plain = run_probe("CQ006", {**_RUST, "src/lib.rs": _rust_lib(1110, 0)})
    assert plain.outcome.value == "fail"
    # A test module declared in another file (`mod tests;`) takes nothing off.
    outside = _rust_lib(1110, 0) + "#[cfg(test)]\nmod tests;\n"
    assert run_probe("CQ006", {**_RUST, "src/lib.rs": outside}).outcome.value == "fail"


_PRINTER = (
    'package printer\n\nimport (\n\t"fmt"\n\t"io"\n)\n\n'
    "func Warning(w io.Writer, format string, args ...any) error {\n"
    '\t_, err := io.WriteString(w, "warning: "+fmt.Sprintf(format, args...)+"\\n")\n'
    "\treturn err\n}\n\n"
    "func Success(w io.Writer, format string, args ...any) error {\n"
    '\t_, err := fmt.Fprintf(w, "ok: "+format+"\\n", args...)\n\treturn err\n}\n\n'
    # Writes a file its caller names, and does more than write: not a print helper.
    "func Save(w io.Writer, data []byte) error {\n\tdata = append(data, '\\n')\n"
    "\t_, err := w.Write(data)\n\treturn err\n}\n"
)


def _go_cmd(body: str) -> dict[str, str]:
    code = (
        'package main\n\nimport (\n\t"fmt"\n\t"io"\n\t"os"\n\n'
        '\t"example.com/x/internal/printer"\n)\n\n'
        'func current() (string, error) {\n\treturn os.Getenv("CTX"), nil\n}\n\n'
        f"{body}\n"
    )
    return {**_GO, "internal/printer/printer.go": _PRINTER, "cmd/x/main.go": code}


def test_go_messages_to_the_terminal_and_error_decorations_drop_no_error(
    run_probe: RunProbe,
) -> None:
    # kubectx: printer.Warning(stderr, ...) wraps a write to stderr, and a value read only
    # to be quoted in the error being returned.
    quiet = (
        "func run(_, stderr io.Writer) error {\n"
        '\tprinter.Warning(stderr, "context %s deleted", "x")\n'
        '\tprinter.Success(os.Stdout, "done")\n'
        '\tio.WriteString(os.Stderr, "bye\\n")\n\treturn nil\n}\n\n'
        "func PrintWarnings(out io.Writer) {\n"
        '\tprinter.Warning(out, "deprecated")\n}\n\n'
        "func guard() error {\n\tcur, _ := current()\n"
        '\treturn fmt.Errorf("locked shell (%q), use exit", cur)\n}\n'
    )
    result = run_probe("ERR007", _go_cmd(quiet))
    assert result.outcome.value == "pass", result.message
    # A file write, a helper writing into a file, a value used as data: still dropped.
    dropped = (
        quiet + "\nfunc store(f *os.File, data []byte) {\n\tf.Write(data)\n"
        '\tprinter.Warning(f, "saved")\n\tprinter.Save(os.Stdout, data)\n}\n\n'
        "func show() {\n\tcur, _ := current()\n\tfmt.Println(cur)\n}\n"
    )
    result = run_probe("ERR007", _go_cmd(dropped))
    assert result.outcome.value == "fail"
    assert [e.location for e in result.evidence] == [
        "cmd/x/main.go:32",
        "cmd/x/main.go:33",
        "cmd/x/main.go:34",
        "cmd/x/main.go:38",
    ], result.message


def _lint(script: str, eslintrc: str | None = None) -> dict[str, str]:
    files = {
        **_JS,
        "package.json": '{"name": "x", "version": "1.0.0", "scripts": {"lint": "'
        + script
        + '"}}\n',
        **wf("npm ci", "npm run lint"),
    }
    if eslintrc is not None:
        files[".eslintrc.json"] = eslintrc
    return files


def test_xo_and_standard_enforce_formatting(run_probe: RunProbe) -> None:
    # node-fetch: `npm run lint` runs xo, whose rules cover indentation, semicolons, spacing.
    for script in ("xo", "standard", "npx semistandard src/", "ts-standard"):
        result = run_probe("CQ005", _lint(script))
        assert result.outcome.value == "pass", (script, result.message)
        # Lint rules check much of the layout, no formatter rewrites it: "partly".
        assert result.partial, script
    # `xo --fix` rewrites what it finds and passes; plain eslint checks no formatting.
    assert run_probe("CQ005", _lint("xo --fix")).outcome.value == "fail"
    plain = _lint("eslint .", '{"extends": "eslint:recommended"}\n')
    assert run_probe("CQ005", plain).outcome.value == "fail"
    # `standard-version` is a release tool, not the standard linter.
    assert run_probe("CQ005", _lint("standard-version")).outcome.value == "fail"


def _released(*steps: str, package: str = '{"name": "x", "version": "1.0.0"}\n') -> dict:
    body = "".join(f"      - {s}\n" for s in steps)
    workflow = f"on: push\njobs:\n  r:\n    runs-on: x\n    steps:\n{body}"
    return {
        **_JS,
        "package.json": package,
        "README.md": "# x\n",
        ".github/workflows/release.yml": workflow,
    }


def test_release_tools_in_ci_publish_release_notes(run_probe: RunProbe) -> None:
    # node-fetch: semantic-release writes each GitHub release's notes from the commits. The
    # question asks for a changelog kept in the repository (the rubric says GitHub releases
    # alone answer no): the fact stays, and the published notes make it no gap.
    semantic = run_probe("DOC003", _released("run: npx semantic-release"))
    assert semantic.outcome.value == "fail", semantic.message
    assert "CI runs semantic-release" in semantic.advisory
    assert any(e.location == ".github/workflows/release.yml:6" for e in semantic.evidence)
    please = run_probe("DOC003", _released("uses: googleapis/release-please-action@v4"))
    assert "CI runs release-please" in please.advisory
    go = {
        "go.mod": "module x\n",
        "main.go": "package main\n\nfunc main() {}\n",
        ".goreleaser.yml": "version: 2\nbuilds:\n  - binary: x\n",
        **wf("goreleaser release --clean"),
    }
    assert "CI runs GoReleaser" in run_probe("DOC003", go).advisory
    # Counter-cases: no changelog and no release tool; a dry run; plugins that publish no
    # notes; GoReleaser with its changelog disabled; a snapshot build (the configuration's
    # own advisory, not one for a release CI runs).
    assert run_probe("DOC003", _released("run: npm test")).advisory == ""
    dry = _released("run: npx semantic-release --dry-run")
    assert run_probe("DOC003", dry).advisory == ""
    silent = _released(
        "run: npx semantic-release",
        package='{"name": "x", "release": {"plugins": ["@semantic-release/commit-analyzer", '
        '"@semantic-release/npm"]}}\n',
    )
    assert run_probe("DOC003", silent).advisory == ""
    off = {**go, ".goreleaser.yml": "version: 2\nchangelog:\n  disable: true\n"}
    assert run_probe("DOC003", off).advisory == ""
    snapshot = {**go, **wf("goreleaser release --snapshot --clean")}
    assert not run_probe("DOC003", snapshot).advisory.startswith("CI runs")


_PY = {"pyproject.toml": "[project]\nname = 'app'\n", "app.py": "def f():\n    return 1\n"}


def test_a_runtime_tag_is_lean_only_without_a_compiler_put_back(run_probe: RunProbe) -> None:
    # yolov5: single-stage on pytorch's -runtime image, installing gcc and python headers.
    built = (
        "FROM pytorch/pytorch:2.8.0-cuda12.8-cudnn9-runtime\n"
        "RUN apt update && apt install --no-install-recommends -y gcc git libpython3-dev\n"
        "COPY . /usr/src/app\n"
    )
    result = run_probe("DEP011", {**_PY, "Dockerfile": built})
    assert result.outcome.value == "fail" and "gcc" in result.message
    # Its `Dockerfile-cpu` sibling on ubuntu is judged too, not only the one ingest knows.
    variants = {
        **_PY,
        "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n",
        "docker/Dockerfile-cpu": "FROM ubuntu:24.04\nRUN apt update\nCOPY . /app\n",
    }
    result = run_probe("DEP011", variants)
    assert result.outcome.value == "fail", result.message
    assert result.evidence[0].location == "docker/Dockerfile-cpu:1"
    # Counter-cases: a runtime image that only copies the code, a slim base.
    copied = "FROM pytorch/pytorch:2.8.0-cuda12.8-cudnn9-runtime\nCOPY . /app\n"
    result = run_probe("DEP011", {**_PY, "Dockerfile": copied})
    assert result.outcome.value == "pass" and "-runtime" in result.message
    slim = {**_PY, "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n"}
    assert run_probe("DEP011", slim).outcome.value == "pass"


_ENTRY = (
    "#!/bin/bash\nPUID=${PUID:-911}\nPGID=${PGID:-911}\n\n"
    "change_user() {\n"
    '    if [ "$(id -u)" = "0" ]; then\n'
    '        groupmod -o -g "$PGID" abc\n        usermod -o -u "$PUID" abc\n'
    "        chown -R $PUID:$PGID /app\n"
    '        exec gosu $PUID "$BASH_SOURCE" "$@"\n    fi\n}\n\n'
    "change_user\nexec python /app/main.py\n"
)


def test_an_entry_script_copied_under_another_name_still_drops_root(run_probe: RunProbe) -> None:
    # mealie: `COPY ./docker/entry.sh $MEALIE_HOME/run.sh`, ENTRYPOINT ["/app/run.sh"].
    dockerfile = (
        "FROM python:3.12-slim\nENV MEALIE_HOME=/app\nCOPY . $MEALIE_HOME\n"
        "COPY ./docker/entry.sh $MEALIE_HOME/run.sh\nRUN chmod +x $MEALIE_HOME/run.sh\n"
        'ENTRYPOINT ["/app/run.sh"]\n'
    )
    files = {**_PY, "Dockerfile": dockerfile, "docker/entry.sh": _ENTRY}
    result = run_probe("DEP002", files)
    assert result.outcome.value == "pass" and result.partial, result.message
    assert result.evidence[0].location == "docker/entry.sh:10"
    # The same script without the drop serves as root.
    root = _ENTRY.replace('        exec gosu $PUID "$BASH_SOURCE" "$@"\n', "")
    assert run_probe("DEP002", {**files, "docker/entry.sh": root}).outcome.value == "fail"
