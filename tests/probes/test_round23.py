"""What held-out round 23's first panel taught (librephotos, node-express-realworld, fzf,
oathkeeper, rustypaste, feign, open-r1, minio-py, dayjs, got), measured before these fixes:
each case rebuilt small beside the one that must stay as it is."""

from __future__ import annotations

from pathlib import Path

from pipeline.probes.views.lexing import blank_text
from tests.probes.conftest import RunProbe, as_reported, profile_of


def test_a_go_raw_string_ending_in_a_backslash_closes() -> None:
    # fzf's terminal.go: regexp.MustCompile(`[^\x1b]\x1b\\`); read as an escape, the closing
    # backquote was lost and the next 7,000 lines were taken for a string.
    source = "var re = regexp.MustCompile(`[^\\x1b]\\x1b\\\\`)\nfunc f() { call() }\n"
    go = blank_text(source, strings=True, raw_backquotes=True)
    assert "call()" in go
    # In JavaScript a backslash escapes the backquote: `a\`b` is one template literal.
    js = blank_text("const s = `a\\`b`; call()\n", strings=True)
    assert "call()" in js and "b" not in js.split(";")[0]


_FZF_SERVER = (
    'package fzf\n\nimport "net"\n\n'
    "func startHttpServer(addr string) (net.Listener, error) {\n"
    '\treturn net.Listen("tcp", addr)\n}\n'
)
_FZF_TERMINAL = (
    "package fzf\n\ntype Terminal struct {\n\tlistenAddr *string\n}\n\n"
    "func (t *Terminal) Loop() {\n\tif t.listenAddr != nil {\n"
    "\t\tstartHttpServer(*t.listenAddr)\n\t}\n}\n"
)


def test_a_command_that_listens_only_when_asked_is_a_command(tmp_path: Path) -> None:
    # fzf: startHttpServer is called only inside `if t.listenAddr != nil {` (--listen).
    files = {
        "go.mod": "module x\n\ngo 1.22\n",
        "main.go": 'package main\n\nimport "x/src"\n\nfunc main() {\n\tfzf.Run()\n}\n',
        "src/server.go": _FZF_SERVER,
        "src/terminal.go": _FZF_TERMINAL,
    }
    kinds = profile_of(tmp_path / "cli", files).kinds
    assert kinds == ["cli"], kinds
    always = _FZF_TERMINAL.replace("\tif t.listenAddr != nil {\n", "\t{\n")
    served = profile_of(tmp_path / "svc", {**files, "src/terminal.go": always}).kinds
    assert "web_service" in served, served


def test_an_example_module_named_example_something_is_an_example(tmp_path: Path) -> None:
    # feign: example-wikipedia-with-springboot/ (a Spring Boot app) beside the library's
    # Maven modules; it made the HTTP client library a web service.
    app = (
        "package example;\n\nimport org.springframework.boot.SpringApplication;\n"
        "import org.springframework.boot.autoconfigure.SpringBootApplication;\n\n"
        "@SpringBootApplication\npublic class App {\n  public static void main(String[] a) {\n"
        "    SpringApplication.run(App.class, a);\n  }\n}\n"
    )
    files = {
        "pom.xml": "<project><artifactId>feign-parent</artifactId></project>\n",
        "core/pom.xml": "<project><artifactId>feign-core</artifactId></project>\n",
        "core/src/main/java/feign/Feign.java": "package feign;\n\npublic class Feign {}\n",
        "example-wikipedia-with-springboot/pom.xml": "<project><artifactId>ex</artifactId>"
        "</project>\n",
        "example-wikipedia-with-springboot/src/main/java/example/App.java": app,
    }
    assert "web_service" not in profile_of(tmp_path / "lib", files).kinds
    moved = {
        k.replace("example-wikipedia-with-springboot", "wikipedia-server"): v
        for k, v in files.items()
    }
    assert "web_service" in profile_of(tmp_path / "svc", moved).kinds


def test_trl_and_transformers_parsers_configure_a_script(run_probe: RunProbe) -> None:
    # open-r1's grpo.py: TrlParser((...)).parse_args_and_config(), arguments and a recipe.
    script = (
        "from trl import TrlParser\n\n\ndef main(args):\n    print(args)\n\n\n"
        "if __name__ == '__main__':\n    parser = TrlParser((dict,))\n"
        "    main(parser.parse_args_and_config())\n"
    )
    files = {"train/grpo.py": script}
    assert run_probe("CFG001", files).outcome.value == "pass"
    bare = script.replace("from trl import TrlParser", "from trl import Trainer as TrlParser")
    assert run_probe("CFG001", {"train/grpo.py": bare}).outcome.value == "fail"


def test_keys_in_usage_examples_and_placeholder_words(run_probe: RunProbe) -> None:
    # minio-py's package docstring shows `Minio("play.min.io", access_key=..., secret_key=...)`;
    # open-r1 gives a local vLLM server api_key="something".
    key = "zuf+tfteSlswRu7BJ86wekitnifILbZam1KYY3TG"
    doc = f'"""Client.\n\n    >>> Minio("play.min.io", secret_key="{key}")\n"""\n\nX = 1\n'
    files = {"minio/__init__.py": doc}
    assert run_probe("SEC001", files).outcome.value == "pass"
    code = f'CLIENT = dict(host="play.min.io", secret_key="{key}")\n'
    assert run_probe("SEC001", {"minio/__init__.py": code}).outcome.value == "fail"
    llm = 'llm = OpenAILLM(base_url=url, api_key="something")\n'
    assert run_probe("SEC001", {"gen.py": llm}).outcome.value == "pass"
    real = 'llm = OpenAILLM(base_url=url, api_key="k8Qz2VbX9pL4mN7tR1wY")\n'
    assert run_probe("SEC001", {"gen.py": real}).outcome.value == "fail"


def test_a_value_in_a_jsdoc_example(run_probe: RunProbe) -> None:
    # got's options.ts: a JSDoc example passing `secret: 'passphrase'` to a hook.
    source = (
        "/**\nAn example.\n\n```js\nconst {headers} = await instance(url, {\n"
        "\tsecret: 'Kp9vQ2mZ7xL4wR8t'\n});\n```\n*/\nexport const hooks = {};\n"
    )
    files = {"package.json": '{"name": "got", "version": "1.0.0"}', "source/options.ts": source}
    assert run_probe("SEC001", files).outcome.value == "pass"
    plain = "export const options = {\n\tsecret: 'Kp9vQ2mZ7xL4wR8t'\n};\n"
    assert run_probe("SEC001", {**files, "source/options.ts": plain}).outcome.value == "fail"


def test_unpickling_the_programs_own_model_files_is_a_low_gap(tmp_path: Path) -> None:
    # librephotos: pickle.load of the vocabulary it keeps at a path it names itself.
    model = (
        "import pickle\n\nVOCAB = '/protected_media/data_models/im2txt/vocab.pkl'\n\n\n"
        "def load():\n    return pickle.load(open(VOCAB, 'rb'))\n"
    )
    files = {"service/model.py": model}
    result = as_reported(tmp_path / "own", "SEC004", files)
    assert result.outcome.value == "fail" and result.severity.value == "low", result
    uploaded = model.replace(
        "def load():\n    return pickle.load(open(VOCAB, 'rb'))\n",
        "def load(request):\n    return pickle.loads(request.body)\n",
    )
    other = as_reported(tmp_path / "req", "SEC004", {"service/model.py": uploaded})
    assert other.outcome.value == "fail" and other.severity.value != "low", other


def test_a_test_image_and_a_declared_license(run_probe: RunProbe) -> None:
    # fzf's Dockerfile runs `ruby /fzf/test/runner.rb`: the test suite's environment.
    # node-express-realworld: "license": "MIT" in package.json, no LICENSE file.
    docker = 'FROM ruby:3.4\nCOPY . /fzf\nCMD ["bash", "-c", "ruby /fzf/test/runner.rb"]\n'
    files = {
        "go.mod": "module x\n\ngo 1.22\n",
        "main.go": "package main\n\nfunc main() {}\n",
        "Dockerfile": docker,
    }
    assert run_probe("DEP002", files).outcome.value == "not_applicable"
    served = {**files, "Dockerfile": docker.replace("ruby /fzf/test/runner.rb", "/fzf/bin/fzf")}
    assert run_probe("DEP002", served).outcome.value == "fail"
    manifest = '{\n  "name": "api",\n  "license": "MIT"\n}\n'
    result = run_probe("DOC005", {"package.json": manifest, "index.js": "x = 1\n"})
    assert result.outcome.value == "pass" and result.partial, result.message
    bare = '{\n  "name": "api"\n}\n'
    assert (
        run_probe("DOC005", {"package.json": bare, "index.js": "x = 1\n"}).outcome.value == "fail"
    )


def test_an_integrationtest_folder_is_not_the_product(run_probe: RunProbe) -> None:
    # oryx's watcherx/integrationtest/: a test Pod and its config, not a deployment.
    schema = '{"smtp": "smtps://foo:Kq8vR2mX7pL4wN3@mail.acme-corp.io:465/"}\n'
    main = "package main\n\nfunc main() {}\n"
    files = {"main.go": main, "watcherx/integrationtest/config.json": schema}
    assert run_probe("SEC001", files).outcome.value == "pass"
    shipped = {"main.go": main, "watcherx/deploy/config.json": schema}
    assert run_probe("SEC001", shipped).outcome.value == "fail"
    # A stub/ folder may be product code (pkg/stub/handler.go imported by main).
    stub = {"main.go": main, "pkg/stub/config.json": schema}
    assert run_probe("SEC001", stub).outcome.value == "fail"


def test_an_empty_catch_under_an_option_to_ignore_failures(run_probe: RunProbe) -> None:
    # got: `if (options.ignoreInvalidCookies) { promises = promises.map(async promise => {
    # try { await promise; } catch {} }); }`: the user asked for invalid cookies to be dropped.
    source = (
        "export async function store(options: any, promises: Promise<unknown>[]) {\n"
        "  if (options.ignoreInvalidCookies) {\n"
        "    promises = promises.map(async promise => {\n"
        "      try {\n        await promise;\n      } catch {}\n    });\n  }\n"
        "  await Promise.all(promises);\n}\n"
    )
    files = {"package.json": '{"name": "got", "version": "1.0.0"}', "source/cookies.ts": source}
    assert run_probe("ERR003", files).outcome.value == "pass"
    always = source.replace("  if (options.ignoreInvalidCookies) {\n", "  {\n")
    assert run_probe("ERR003", {**files, "source/cookies.ts": always}).outcome.value == "fail"


def test_unreached_packages_of_a_copied_go_module_are_not_the_product(tmp_path: Path) -> None:
    # oathkeeper: oryx/ is github.com/ory/x (its own go.mod, `replace => ./oryx`); oathkeeper
    # imports a few of its packages, not its database helpers, which made it "use a database".
    from evals.probe_corpus import probe_snapshot, write_files

    gomod = "module example.com/proxy\n\ngo 1.22\n\nreplace example.com/x => ./oryx\n"
    files = {
        "go.mod": gomod,
        "main.go": 'package main\n\nimport "example.com/x/httpx"\n\nfunc main() { httpx.Get() }\n',
        "oryx/go.mod": "module example.com/x\n\ngo 1.22\n",
        "oryx/httpx/get.go": (
            'package httpx\n\nimport "example.com/x/urlx"\n\nfunc Get() { urlx.P() }\n'
        ),
        "oryx/urlx/parse.go": "package urlx\n\nfunc P() {}\n",
        "oryx/sqlcon/conn.go": 'package sqlcon\n\nimport "database/sql"\n\nvar DB *sql.DB\n',
        "oryx/sqlcon/migrations/1_init.up.sql": "CREATE TABLE t (id int);\n",
    }
    write_files(tmp_path / "copy", files)
    kept = {f.path for f in probe_snapshot(tmp_path / "copy", None).files}
    assert {"oryx/httpx/get.go", "oryx/urlx/parse.go", "oryx/go.mod"} <= kept
    assert not kept & {"oryx/sqlcon/conn.go", "oryx/sqlcon/migrations/1_init.up.sql"}
    # A second module nobody imports (another program) stays whole.
    alone = {**files, "main.go": "package main\n\nfunc main() {}\n"}
    write_files(tmp_path / "alone", alone)
    kept = {f.path for f in probe_snapshot(tmp_path / "alone", None).files}
    assert "oryx/sqlcon/conn.go" in kept


def test_database_sql_types_alone_use_no_database(run_probe: RunProbe) -> None:
    # oryx's otelx: `import "database/sql"` for sql.NullString in an attribute helper.
    helper = (
        'package otelx\n\nimport "database/sql"\n\n'
        "func S(v sql.NullString) string {\n\treturn v.String\n}\n"
    )
    files = {"go.mod": "module x\n\ngo 1.22\n", "otelx/attr.go": helper}
    assert run_probe("DATA001", files).outcome.value == "not_applicable"
    conn = helper + '\nfunc Open() (*sql.DB, error) {\n\treturn sql.Open("pgx", "")\n}\n'
    assert run_probe("DATA001", {**files, "otelx/attr.go": conn}).outcome.value == "fail"
