"""What held-out round 13 taught (microblog-api, git-cliff, croc, marshmallow, execa,
ollama-python, guided-diffusion, jsoncrack, listmonk, create-t3-turbo): each case rebuilt
small beside the one that must stay as it is."""

from __future__ import annotations

from pathlib import Path

from tests.probes.conftest import RunProbe, profile_of
from tests.probes.test_testing import PY, TEST, wf

_GO = {"go.mod": "module example.com/app\n\ngo 1.22\n"}
_SERVE = (
    'package main\n\nimport "net/http"\n\nfunc main() {\n'
    '\tsrv := &http.Server{Addr: ":8080"}\n\tsrv.ListenAndServe()\n}\n'
)


def _kinds(root: Path, files: dict[str, str]) -> list[str]:
    return profile_of(root, files).kinds


def test_cypress_folders_are_tests(run_probe: RunProbe) -> None:
    # listmonk: frontend/cypress/plugins/index.js logs in the e2e suite's own admin.
    plugin = "module.exports = () => ({ password: 'Xq7rT2mZ9wLp4' })\n"
    app = {"package.json": '{"name": "a"}', "src/index.js": "export const a = 1\n"}
    files = {**app, "frontend/cypress/plugins/index.js": plugin}
    assert run_probe("SEC001", files).outcome.value == "pass"
    assert run_probe("SEC001", {**app, "frontend/src/env.js": plugin}).outcome.value == "fail"


def test_a_go_service_that_only_reloads_on_sighup(run_probe: RunProbe) -> None:
    # listmonk: srv.Shutdown(ctx) runs when SIGHUP asks for a reload; SIGTERM kills it.
    reload = _SERVE.replace(
        "\tsrv.ListenAndServe()\n",
        "\tgo srv.ListenAndServe()\n\tc := make(chan os.Signal, 1)\n"
        "\tsignal.Notify(c, syscall.SIGHUP)\n\t<-c\n"
        "\tctx, cancel := context.WithTimeout(context.Background(), time.Second)\n"
        "\tdefer cancel()\n\tsrv.Shutdown(ctx)\n",
    )
    result = run_probe("REL004", {**_GO, "main.go": reload})
    assert result.outcome.value == "fail" and "SIGHUP only" in result.message and result.partial
    term = reload.replace("syscall.SIGHUP", "syscall.SIGHUP, syscall.SIGTERM")
    assert run_probe("REL004", {**_GO, "main.go": term}).outcome.value == "pass"
    # The deadline given to Shutdown two lines down bounds no database query.
    db = {
        "db.go": 'package main\n\nimport (\n\t"database/sql"\n\t_ "github.com/lib/pq"\n)\n\n'
        'func open() (*sql.DB, error) {\n\treturn sql.Open("postgres", "")\n}\n'
    }
    timeouts = run_probe("REL006", {**_GO, "main.go": term, **db})
    assert timeouts.outcome.value == "fail"


def test_slog_to_io_discard_is_no_logging(run_probe: RunProbe) -> None:
    # listmonk: slog only silences the cron library's logger; the app logs with log.Printf.
    silenced = _SERVE.replace(
        'import "net/http"',
        'import (\n\t"io"\n\t"log"\n\t"log/slog"\n\t"net/http"\n)',
    ).replace(
        "\tsrv.ListenAndServe()\n",
        "\t_ = slog.New(slog.NewTextHandler(io.Discard, nil))\n"
        '\tlog.Printf("listening")\n\tsrv.ListenAndServe()\n',
    )
    assert run_probe("OBS002", {**_GO, "main.go": silenced}).outcome.value == "fail"
    used = silenced.replace('log.Printf("listening")', 'slog.Info("listening", "addr", ":8080")')
    assert run_probe("OBS002", {**_GO, "main.go": used}).outcome.value == "pass"


def test_a_panic_when_crypto_rand_fails_guards_an_invariant(run_probe: RunProbe) -> None:
    # listmonk's captcha: `_, err := rand.Read(b)` on the line above the check.
    code = (
        'package captcha\n\nimport "crypto/rand"\n\nfunc Key() []byte {\n'
        "\tb := make([]byte, 24)\n\t_, err := rand.Read(b)\n\tif err != nil {\n"
        "\t\tpanic(err)\n\t}\n\treturn b\n}\n"
    )
    assert run_probe("ERR006", {**_GO, "captcha/c.go": code}).outcome.value == "pass"
    read = code.replace("rand.Read(b)", "os.ReadFile(name)").replace('"crypto/rand"', '"os"')
    assert run_probe("ERR006", {**_GO, "captcha/c.go": read}).outcome.value == "fail"


def test_go_names_checked_by_a_pattern_or_read_from_an_embedded_fs(run_probe: RunProbe) -> None:
    # listmonk: `lang := c.Param("lang")`, rejected unless it matches; read from stuffbin.
    handler = (
        'package main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\n'
        "func get(c echo.Context) error {\n"
        '\tlang := c.Param("lang")\n{check}'
        '\t_, err := {read}(fmt.Sprintf("/i18n/%s.json", lang))\n\treturn err\n}}\n'
    )
    check = "\tif !reLang.MatchString(lang) {\n\t\treturn nil\n\t}\n"
    files = {**_GO, "main.go": _SERVE}

    def run(read: str, guard: str) -> str:
        code = handler.replace("{check}", guard).replace("{read}", read).replace("}}", "}")
        return run_probe("SEC029", {**files, "i18n.go": code}).outcome.value

    assert run("os.ReadFile", "") == "fail"
    assert run("os.ReadFile", check) == "pass"
    assert run("fs.Read", "") == "pass"  # in Go, fs is any value: here the binary's own files


def test_sql_formatted_in_a_migration_function(run_probe: RunProbe) -> None:
    # listmonk's recordMigrationVersion formats the program's own version into a settings row.
    code = (
        'package main\n\nimport "fmt"\n\nfunc recordMigrationVersion(ver string, db *sqlx.DB) '
        "error {{\n\t_, err := db.Exec(fmt.Sprintf(`INSERT INTO settings (key, value) "
        "VALUES('migrations', '%s')`, ver))\n\treturn err\n}}\n"
    )
    files = {**_GO, "main.go": _SERVE, "db.go": 'package main\n\nimport _ "github.com/lib/pq"\n'}
    migration = {**files, "install.go": code.format()}
    assert run_probe("SEC006", migration).outcome.value == "pass"
    other = code.replace("recordMigrationVersion", "saveSetting").format()
    assert run_probe("SEC006", {**files, "install.go": other}).outcome.value == "fail"


def test_a_next_static_export_serves_nothing(tmp_path: Path) -> None:
    # jsoncrack: `output: "export"`, built to HTML that nginx serves.
    app = {
        "package.json": '{"name": "www", "scripts": {"start": "next start"}, '
        '"dependencies": {"next": "14", "react": "18"}}',
        "src/pages/index.tsx": "import Link from 'next/link'\nexport default function P() {}\n",
    }
    static = {**app, "next.config.js": 'module.exports = {\n  output: "export",\n}\n'}
    assert "web_service" not in _kinds(tmp_path / "static", static)
    server = {**app, "next.config.js": 'module.exports = {\n  output: "standalone",\n}\n'}
    assert "web_service" in _kinds(tmp_path / "server", server)


def test_words_and_ids_that_are_no_secrets(run_probe: RunProbe) -> None:
    js = {"package.json": '{"name": "a"}'}
    # jsoncrack's sample data: `secretIdentity: "Unknown"`.
    assert (
        run_probe(
            "SEC001", {**js, "data.js": 'export const h = { secret: "Unknown" }\n'}
        ).outcome.value
        == "pass"
    )
    # croc: the public relay's password, a word with digits after it.
    go = {**_GO, "relay.go": 'package relay\n\nfunc d(c *Config) {\n\tc.Password = "pass123"\n}\n'}
    assert run_probe("SEC001", go).outcome.value == "pass"
    # git-cliff's release.sh: git's user.signingkey is a GPG key's public id.
    key = "0123456789ABCDEF0123456789ABCDEF01234567"
    sh = {**PY, "release.sh": f'git -c user.signingkey="{key}" tag -s v1\n'}
    assert run_probe("SEC001", sh).outcome.value == "pass"
    token = {**PY, "release.sh": f'export API_TOKEN="{key}"\n'}
    assert run_probe("SEC001", token).outcome.value == "fail"
    # marshmallow's URL validator: credentials in a comment, on a documentation domain.
    doc = {**PY, "validate.py": "# e.g. 'ftp://foo:bar@ftp.example.org/'\nX = 1\n"}
    assert run_probe("SEC001", doc).outcome.value == "pass"


def test_a_fallback_secret_key_that_only_reads_like_a_dummy(run_probe: RunProbe) -> None:
    # microblog-api: SECRET_KEY falls back to 'top-secret!', which its compose file never sets.
    def config(value: str) -> dict[str, str]:
        line = f"import os\nSECRET_KEY = os.environ.get('SECRET_KEY', '{value}')\n"
        return {**PY, "config.py": line}

    assert run_probe("SEC001", config("top-secret!")).outcome.value == "fail"
    # A fallback that says it must be replaced is still a placeholder.
    assert run_probe("SEC001", config("change-me-in-production")).outcome.value == "pass"


def test_an_image_that_runs_as_an_unprivileged_user(run_probe: RunProbe) -> None:
    # jsoncrack: nginxinc/nginx-unprivileged runs as uid 101 without a USER line.
    dockerfile = "FROM nginxinc/nginx-unprivileged:1.27\nCOPY out /usr/share/nginx/html\n"
    files = {**PY, "Dockerfile": dockerfile}
    result = run_probe("DEP002", files)
    assert result.outcome.value == "pass" and "unprivileged user by default" in result.message
    root = {**PY, "Dockerfile": dockerfile.replace("nginxinc/nginx-unprivileged", "nginx")}
    assert run_probe("DEP002", root).outcome.value == "fail"


def test_ci_through_pnpm_turbo_and_hatch(run_probe: RunProbe) -> None:
    # jsoncrack: `pnpm turbo run lint` runs each package's lint script (eslint, prettier).
    files = {
        "package.json": '{"name": "root", "scripts": {"lint": "turbo run lint"}}',
        "apps/www/package.json": '{"name": "www", "scripts": '
        '{"lint": "eslint src && prettier --check src"}}',
        "apps/www/src/a.js": "export const a = 1\n",
        "apps/www/eslint.config.js": "export default []\n",
    }
    assert run_probe("CQ002", {**files, **wf("pnpm turbo run lint")}).outcome.value == "pass"
    assert run_probe("CQ005", {**files, **wf("pnpm turbo run lint")}).outcome.value == "pass"
    assert run_probe("CQ005", {**files, **wf("pnpm turbo run build")}).outcome.value == "fail"
    # ollama-python: hatch fmt is ruff; `hatch test -acp` is pytest with coverage (-c).
    ruff = {**PY, **TEST, "pyproject.toml": PY["pyproject.toml"] + "[tool.ruff]\n"}
    assert run_probe("CQ005", {**ruff, **wf("uvx hatch fmt --check -f")}).outcome.value == "pass"
    assert run_probe("CQ002", {**ruff, **wf("uvx hatch fmt --check -f")}).outcome.value == "fail"
    assert run_probe("CQ002", {**ruff, **wf("hatch fmt --check -l")}).outcome.value == "pass"
    assert run_probe("TST003", {**ruff, **wf("uvx hatch test -acp")}).outcome.value == "pass"
    assert run_probe("TST003", {**ruff, **wf("uvx hatch test -a")}).outcome.value == "fail"


def test_a_client_handed_httpx_client_naming_api_paths_is_an_sdk(tmp_path: Path) -> None:
    # ollama-python: `super().__init__(httpx.Client, host)`; '/api/chat', '/api/generate'...
    client = (
        "import httpx\n\n\nclass Base:\n    def __init__(self, cls, host):\n"
        "        self._client = cls(base_url=host)\n\n\nclass Client(Base):\n"
        "    def __init__(self, host='http://localhost:11434'):\n"
        "        super().__init__(httpx.Client, host)\n\n"
        "    def chat(self):\n        return self._client.request('POST', '/api/chat')\n\n"
        "    def generate(self):\n        return self._client.request('POST', '/api/generate')\n\n"
        "    def pull(self):\n        return self._client.request('POST', '/api/pull')\n"
    )
    project = "[project]\nname = 'olla'\ndependencies = ['httpx']\n"
    files = {"pyproject.toml": project, "olla/__init__.py": "", "olla/_client.py": client}
    assert _kinds(tmp_path / "sdk", files) == ["sdk", "library"]
    two = client.replace("'/api/pull'", "path")
    assert _kinds(tmp_path / "lib", {**files, "olla/_client.py": two}) == ["library"]


def test_drizzle_vercel_postgres_and_better_auth(run_probe: RunProbe) -> None:
    # create-t3-turbo: Drizzle over @vercel/postgres's pooled `sql`, Better Auth sign-in.
    files = {
        "package.json": '{"name": "app", "scripts": {"start": "next start"}, "dependencies": '
        '{"next": "15", "drizzle-orm": "0.44", "@vercel/postgres": "0.10", "better-auth": "1"}}',
        "src/db.ts": "import { sql } from '@vercel/postgres'\n"
        "import { drizzle } from 'drizzle-orm/vercel-postgres'\n"
        "export const db = drizzle({ client: sql })\n",
        "src/auth.ts": "import { betterAuth } from 'better-auth'\n"
        "export const auth = betterAuth({})\n",
        "src/app/page.tsx": "import Link from 'next/link'\n"
        "export default function Index() { return null }\n",
    }
    assert run_probe("PERF001", files).outcome.value == "pass"
    assert run_probe("SEC012", files).outcome.value == "pass"
    # `drizzle-kit push` keeps no migration history; a React page named Index is no index.
    scripts = '"push": "drizzle-kit push", '
    pushed = {
        **files,
        "package.json": files["package.json"].replace('"start"', scripts + '"start"'),
    }
    assert run_probe("DATA001", pushed).outcome.value == "fail"
    assert run_probe("PERF006", files).outcome.value == "fail"
    indexed = "export const t = (t) => [index('t_email_idx').on(t.email)]\n"
    assert run_probe("PERF006", {**files, "src/schema.ts": indexed}).outcome.value == "pass"


def test_turbo_generators_are_developer_tooling(run_probe: RunProbe) -> None:
    # create-t3-turbo: `turbo gen` puts the package name a developer typed into a command.
    gen = "import { execSync } from 'child_process'\nexport default (a) => "
    gen += "execSync(`pnpm prettier --write packages/${a.name}`)\n"
    app = {"package.json": '{"name": "a"}', "src/index.js": "export const a = 1\n"}
    assert run_probe("SEC003", {**app, "turbo/generators/config.ts": gen}).outcome.value == "pass"
    assert run_probe("SEC003", {**app, "src/gen.ts": gen}).outcome.value == "fail"


def test_a_dataset_read_from_lmdb_is_no_database(tmp_path: Path) -> None:
    # guided-diffusion: datasets/lsun_bedroom.py converts the LSUN lmdb dump into images.
    def database(mode: str) -> bool:
        code = f"import lmdb\n\n\ndef read(p):\n    return lmdb.open(p{mode})\n"
        root = tmp_path / f"r{len(mode)}"
        files = {
            "setup.py": "from setuptools import setup\nsetup(name='d')\n",
            "d/__init__.py": "",
            "d/read.py": code,
        }
        return profile_of(root, files).conditions["database"]

    assert database(", readonly=True") is False
    assert database(", map_size=1 << 30") is True


def test_a_lock_for_each_platform_and_a_body_read_through_a_limit(run_probe: RunProbe) -> None:
    # croc: lock_unix.go flocks, lock_windows.go calls LockFileEx; the store's handler
    # decodes json.NewDecoder(io.LimitReader(request.Body, max)).
    state = (
        'package store\n\nimport (\n\t"os"\n\t"path/filepath"\n)\n\n'
        "func Save(b []byte) error {\n\tdir, _ := os.UserConfigDir()\n"
        '\treturn os.WriteFile(filepath.Join(dir, "state.json"), b, 0o600)\n}\n'
    )
    unix = 'package store\n\nimport "golang.org/x/sys/unix"\n\nfunc lock(fd int) error {\n'
    unix += "\treturn unix.Flock(fd, unix.LOCK_EX)\n}\n"
    windows = 'package store\n\nimport "golang.org/x/sys/windows"\n\nfunc lock(h windows.Handle) '
    windows += "error {\n\treturn windows.LockFileEx(h, 2, 0, 1, 0, &windows.Overlapped{})\n}\n"
    files = {**_GO, "main.go": _SERVE, "store/state.go": state, "store/lock_unix.go": unix}
    assert run_probe("REL007", files).outcome.value == "fail"
    both = {**files, "store/lock_windows.go": windows}
    assert run_probe("REL007", both).outcome.value == "pass"
    read = (
        'package main\n\nimport (\n\t"encoding/json"\n\t"io"\n\t"net/http"\n)\n\n'
        "func put(w http.ResponseWriter, request *http.Request) {{\n\tvar v any\n"
        "\t_ = json.NewDecoder({body}).Decode(&v)\n}}\n"
    )
    plain = {**_GO, "main.go": _SERVE, "put.go": read.format(body="request.Body")}
    assert run_probe("SEC014", plain).outcome.value == "fail"
    limited = read.format(body="io.LimitReader(request.Body, 1<<20)")
    assert run_probe("SEC014", {**plain, "put.go": limited}).outcome.value == "pass"
