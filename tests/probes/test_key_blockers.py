"""What the false key blockers of panel final12 taught (mealie, memos, linkwarden): each case
rebuilt small beside the one that must stay a gap."""

from __future__ import annotations

from evals.probe_corpus import probe_snapshot, write_files
from tests.probes.conftest import RunProbe, as_reported, profile_of

_FASTAPI = "from pathlib import Path\nfrom uuid import UUID\nfrom fastapi import FastAPI\n"
_FASTAPI += "from fastapi.responses import FileResponse\nrouter = FastAPI()\nBASE = Path('/srv')\n"
_PKG = {"pyproject.toml": "[project]\nname = 'app'\ndependencies = ['fastapi']\n"}


def _route(signature: str, body: str, path: str = "/{user_id}/{file_name}") -> dict[str, str]:
    code = f"{_FASTAPI}\n\n@router.get('{path}')\ndef get_file({signature}):\n{body}"
    return {**_PKG, "app/main.py": code}


def test_path_parameters_the_framework_parses_or_keeps_in_one_segment(run_probe: RunProbe) -> None:
    # mealie: a UUID and a one-segment name joined under a folder cannot leave it.
    body = "    return FileResponse(BASE / str(user_id) / file_name)\n"
    safe = _route("user_id: UUID, file_name: str", body)
    assert run_probe("SEC029", safe).outcome.value == "pass"
    # {name:path} matches several segments: ../../etc/passwd gets through.
    several = _route("user_id: UUID, file_name: str", body, "/{user_id}/{file_name:path}")
    assert run_probe("SEC029", several).outcome.value == "fail"
    # A query parameter is any string.
    query = _route("user_id: UUID, name: str", body.replace("file_name", "name"), "/{user_id}")
    assert run_probe("SEC029", query).outcome.value == "fail"
    # A str-typed user id in the path is one segment too; as a query parameter it is a gap.
    untyped = _route("user_id: str", "    return FileResponse(BASE / user_id)\n", "/x")
    assert run_probe("SEC029", untyped).outcome.value == "fail"


def test_a_name_kept_to_its_last_part_or_checked_against_its_folder(run_probe: RunProbe) -> None:
    # mealie's backup upload: Path(filename).stem, then the parent is compared with the folder.
    stem = "    name = Path(file_name).stem\n    return FileResponse(BASE / f'{name}.zip')\n"
    assert run_probe("SEC029", _route("file_name: str", stem, "/x")).outcome.value == "pass"
    joined = "    dest = (BASE / file_name).absolute()\n"
    guarded = joined + "    if dest.parent != BASE:\n        raise ValueError\n"
    guarded += "    return FileResponse(dest)\n"
    assert run_probe("SEC029", _route("file_name: str", guarded, "/x")).outcome.value == "pass"
    unguarded = joined + "    return FileResponse(dest)\n"
    assert run_probe("SEC029", _route("file_name: str", unguarded, "/x")).outcome.value == "fail"


def test_a_class_named_call_is_not_another_class_s_method(run_probe: RunProbe) -> None:
    # mealie: User.get_directory(name) is no caller of Group.get_directory(id).
    models = (
        "from pathlib import Path\nBASE = Path('/srv')\n\n\nclass User:\n"
        "    @staticmethod\n    def get_directory(user_id):\n"
        "        return open(BASE / str(user_id))\n\n\nclass Group:\n"
        "    @staticmethod\n    def get_directory(group_id):\n"
        "        return open(BASE / str(group_id))\n"
    )
    route = (
        f"{_FASTAPI}from app.models import User, Group\n\n\n@router.get('/x')\n"
        "def get_file(name: str):\n    return User.get_directory(name)\n"
    )
    files = {**_PKG, "app/models.py": models, "app/main.py": route}
    result = run_probe("SEC029", files)
    assert result.outcome.value == "fail" and "app/models.py:8" in result.message
    assert "app/models.py:14" not in result.message


_GO_MOD = {"go.mod": "module example.com/app\n\ngo 1.22\n"}
_GET = 'package {pkg}\n\nimport "net/http"\n\nfunc {name}(u string) {{\n\thttp.Get(u)\n}}\n'


def test_a_go_function_nothing_calls_cannot_hang_the_service(run_probe: RunProbe) -> None:
    # memos: internal/httpgetter.GetImage is called nowhere (a proto getter shares its name).
    dead = _GET.format(pkg="httpgetter", name="GetImage")
    proto = "package api\n\ntype L struct{ i string }\n\nfunc (x *L) GetImage() string {\n"
    proto += "\treturn x.i\n}\n"
    main = "package main\n\nfunc main() {}\n"
    files = {**_GO_MOD, "internal/httpgetter/image.go": dead, "api/l.go": proto, "main.go": main}
    result = run_probe("REL001", files)
    assert result.outcome.value == "fail" and result.severity.value == "low"
    assert "nothing in the repository calls" in result.severity_note
    # Called from another package: it runs, and the gap is high.
    caller = main.replace("func main() {}", 'func main() { httpgetter.GetImage("x") }')
    used = run_probe("REL001", {**files, "main.go": caller})
    assert used.outcome.value == "fail" and used.severity.value == "high"
    # An exported function outside internal/ may be called by other modules.
    public = {**_GO_MOD, "pkg/get/get.go": _GET.format(pkg="get", name="Fetch"), "main.go": main}
    assert run_probe("REL001", public).severity.value == "high"


def test_an_empty_catch_is_a_medium_gap(run_probe: RunProbe) -> None:
    # linkwarden, dockge: readers put deliberate best-effort catches at medium or low.
    files = {
        "package.json": '{"name": "a", "dependencies": {"express": "4"}}',
        "index.js": "try { f() } catch (e) {}\n",
    }
    result = run_probe("ERR003", files)
    assert result.outcome.value == "fail" and result.severity.value == "medium"


def test_no_authentication_on_a_relay_that_keeps_nothing(tmp_path) -> None:
    # excalidraw-room: socket.io forwards encrypted scene updates between a room's members.
    def sec012(name: str, files: dict[str, str]) -> tuple[str, str]:
        check = as_reported(tmp_path / name, "SEC012", files)
        return check.outcome.value, check.severity.value

    relay = (
        "const express = require('express')\nconst http = require('http')\n"
        "const { Server } = require('socket.io')\nconst app = express()\n"
        "app.get('/', (req, res) => res.send('up'))\n"
        "const server = http.createServer(app)\nserver.listen(3002)\n"
        "const io = new Server(server)\n"
        "io.on('connection', (s) => {\n  s.on('join', (room) => s.join(room))\n"
        "  s.on('update', (room, data) => s.to(room).emit('update', data))\n})\n"
    )
    pkg = '{"name": "room", "scripts": {"start": "node index.js"}, '
    pkg += '"dependencies": {"express": "4", "socket.io": "4"}}'
    assert sec012("relay", {"package.json": pkg, "index.js": relay}) == ("fail", "medium")
    # The same server keeping each room's scene in a database exposes what it keeps.
    stored = relay.replace("s.to(room).emit('update', data)", "db.set(room, data)")
    stored = "const { createClient } = require('redis')\nconst db = createClient()\n" + stored
    kept = pkg.replace('"socket.io": "4"', '"socket.io": "4", "redis": "4"')
    assert sec012("stored", {"package.json": kept, "index.js": stored}) == ("fail", "high")


def test_ci_that_runs_the_program_end_to_end_is_a_smoke_test(run_probe: RunProbe) -> None:
    # create-t3-app: no unit tests; e2e.yml builds the CLI, runs dist/index.js over a matrix
    # of options and builds each app it writes. Its reader: "no automated tests" is medium.
    from tests.probes.test_testing import wf

    pkg = '{"name": "create-x", "bin": {"create-x": "dist/index.js"}, '
    pkg += '"scripts": {"build": "tsup", "start": "node dist/index.js"}}'
    files = {"cli/package.json": pkg, "cli/src/index.ts": "console.log('x')\n"}
    smoke = {**files, **wf("cd cli && pnpm build", "cd cli && pnpm start ../out --CI")}
    tests = run_probe("TST001", smoke)
    assert tests.outcome.value == "fail" and tests.partial and tests.severity.value == "medium"
    assert "run the program itself" in tests.message
    ci = run_probe("TST002", smoke)
    assert ci.outcome.value == "fail" and ci.partial and ci.severity.value == "medium"
    # Building it is no run of it.
    built = run_probe("TST001", {**files, **wf("cd cli && pnpm build")})
    assert built.severity.value == "critical" and not built.partial


# --- panel final13's false key blockers ------------------------------------------------------


def test_a_flask_app_whose_own_code_logs_nothing(run_probe: RunProbe) -> None:
    # microblog-api: Flask's app.logger reports unhandled errors; the app logs nothing.
    app = "from flask import Flask\napp = Flask(__name__)\n\n\n@app.get('/')\ndef i():\n"
    app += "    return 'x'\n"
    files = {"pyproject.toml": "[project]\nname = 'a'\ndependencies = ['flask']\n"}
    files |= {"app.py": app, "Dockerfile": "FROM python:3.12\nCMD flask run\n"}
    result = run_probe("OBS001", files)
    assert result.outcome.value == "fail" and result.partial and result.severity.value == "medium"
    own = app.replace("    return 'x'", "    app.logger.info('index')\n    return 'x'")
    assert run_probe("OBS001", {**files, "app.py": own}).outcome.value == "pass"


def test_defaults_set_in_djangos_manage_py(run_probe: RunProbe) -> None:
    # pydis-site: DEFAULT_ENVS applied with os.environ.setdefault in manage.py only.
    manage = (
        "import os\n\nDEFAULT_ENVS = {\n    'API_KEY': 'q8Zr3LmX9vKp2Tn7Wb4Yc6Hd0fE1',\n}\n"
        "for k, v in DEFAULT_ENVS.items():\n    os.environ.setdefault(k, v)\n"
    )
    files = {"pyproject.toml": "[project]\nname = 'site'\n", "manage.py": manage}
    assert run_probe("SEC001", files).severity.value == "medium"
    assert run_probe("SEC001", {**files, "settings.py": manage}).severity.value != "medium"


def test_a_dockerfile_that_also_offers_a_non_root_target(run_probe: RunProbe) -> None:
    # litestream: `FROM scratch AS hardened ... USER nonroot`, then the default debian stage.
    dockerfile = (
        "FROM golang:1.25 AS builder\nRUN go build -o /app .\n\n"
        "FROM scratch AS hardened\nCOPY --from=builder /app /app\nUSER nonroot:nonroot\n"
        'ENTRYPOINT ["/app"]\n\nFROM debian:bookworm-slim AS default\n'
        'COPY --from=builder /app /app\nENTRYPOINT ["/app"]\n'
    )
    files = {"go.mod": "module x\n", "main.go": "package main\n\nfunc main() {}\n"}
    result = run_probe("DEP002", {**files, "Dockerfile": dockerfile})
    assert result.outcome.value == "fail" and result.partial and "hardened" in result.message
    plain = dockerfile.replace("USER nonroot:nonroot\n", "")
    assert not run_probe("DEP002", {**files, "Dockerfile": plain}).partial


def test_paths_from_a_common_method_name_or_a_dotless_extension(run_probe: RunProbe) -> None:
    # mealie: `repo.delete(value)` matches every class's delete; `ext.replace(".", "")`
    # leaves nothing to climb with.
    service = (
        "import shutil\nfrom pathlib import Path\nBASE = Path('/srv')\n\n\nclass Repo:\n"
        "    def delete(self, value):\n        shutil.rmtree(BASE / str(value))\n\n"
        "    def write(self, data, ext):\n        ext = ext.replace('.', '')\n"
        "        (BASE / f'original.{ext}').write_bytes(data)\n"
    )
    route = (
        "from fastapi import FastAPI\nfrom app.repo import Repo\napp = FastAPI()\n\n\n"
        "@app.post('/x')\ndef x(name: str, ext: str, data: bytes):\n"
        "    Repo().delete(name)\n    Repo().write(data, ext)\n"
    )
    files = {
        "pyproject.toml": "[project]\nname = 'app'\ndependencies = ['fastapi']\n",
        "app/__init__.py": "",
        "app/repo.py": service,
        "app/main.py": route,
    }
    assert run_probe("SEC029", files).outcome.value == "pass"
    named = service.replace("def delete(self", "def purge(self").replace(
        "ext = ext.replace('.', '')", "pass"
    )
    result = run_probe(
        "SEC029",
        {
            **files,
            "app/repo.py": named,
            "app/main.py": route.replace("Repo().delete(name)", "Repo().purge(name)"),
        },
    )
    assert result.outcome.value == "fail"


def test_bookkeeping_tables_in_a_users_database(run_probe: RunProbe) -> None:
    # litestream: CREATE TABLE IF NOT EXISTS _litestream_seq inside the user's SQLite file.
    code = (
        'package db\n\nimport (\n\t"database/sql"\n\t_ "modernc.org/sqlite"\n)\n\n'
        "func Init(db *sql.DB) error {\n\t_, err := db.Exec(`CREATE TABLE IF NOT EXISTS "
        "{name} (id INTEGER PRIMARY KEY, seq INTEGER)`)\n\treturn err\n}\n"
    )
    files = {"go.mod": "module x\n", "main.go": "package main\n\nfunc main() {}\n"}
    result = run_probe("DATA001", {**files, "db/db.go": code.replace("{name}", "_tool_seq")})
    assert result.outcome.value == "fail" and "bookkeeping" in result.advisory
    own = run_probe("DATA001", {**files, "db/db.go": code.replace("{name}", "orders")})
    assert own.outcome.value == "fail" and not own.advisory


def test_a_tkinter_widget_in_a_library_is_no_desktop_app(tmp_path) -> None:
    # tqdm/tk.py: a progress bar others' Tk programs embed; nothing calls mainloop().
    def kinds(name: str, widget: str) -> list[str]:
        files = {"setup.py": "from setuptools import setup\nsetup(name='bar')\n"}
        files |= {"bar/__init__.py": "", "bar/tk.py": widget}
        return profile_of(tmp_path / name, files).kinds

    widget = "import tkinter\n\n\nclass Bar:\n    def __init__(self):\n        self.w = 1\n"
    assert "app" not in kinds("widget", widget)
    app = widget + "\n\nif __name__ == '__main__':\n    tkinter.Tk().mainloop()\n"
    assert "app" in kinds("app", app)


def test_an_npm_package_with_only_an_index_js_and_generated_types(
    run_probe: RunProbe, tmp_path
) -> None:
    # express: a version and index.js, no "main": npm's default entry point, a library.
    pkg = '{"name": "express", "version": "5.0.0", "dependencies": {"debug": "4"}}'
    files = {"package.json": pkg, "index.js": "module.exports = require('./lib/express')\n"}
    files["lib/express.js"] = "module.exports = function () {}\n"
    assert run_probe("SEC020", files).outcome.value == "not_applicable"
    # chatbot-ui: `supabase gen types typescript > supabase/types.ts` writes that file.
    app = {
        "package.json": '{"name": "chat", "private": true, "scripts": '
        '{"db-types": "supabase gen types typescript --local > supabase/types.ts"}}',
        "src/index.ts": "export const a = 1\n",
        "supabase/types.ts": "export type A = 1\n" * 1200,
    }
    write_files(tmp_path / "gen", app)
    assert "supabase/types.ts" not in {f.path for f in probe_snapshot(tmp_path / "gen", None).files}
    assert run_probe("CQ006", app).outcome.value == "pass"
    # Without the script that writes it, the same file is the project's own, and too big.
    written = {**app, "package.json": '{"name": "chat", "private": true}'}
    assert run_probe("CQ006", written).outcome.value == "fail"


def test_a_release_tool_told_to_publish_nothing(run_probe: RunProbe) -> None:
    # duf: goreleaser-action with `args: release --snapshot --skip publish`.
    step = (
        "on: [push]\njobs:\n  r:\n    runs-on: x\n    steps:\n"
        "      - uses: goreleaser/goreleaser-action@v6\n        with:\n"
        "          args: release {args}\n      - run: echo done\n"
    )
    files = {"go.mod": "module x\n", "main.go": "package main\n\nfunc main() {}\n"}
    dry = {**files, ".github/workflows/r.yml": step.format(args="--snapshot --skip publish")}
    result = run_probe("DEP009", dry)
    assert result.outcome.value == "fail" and "rehearses" in result.message
    real = {**files, ".github/workflows/r.yml": step.format(args="--clean")}
    assert run_probe("DEP009", real).outcome.value == "pass"


def test_a_documentation_website_is_docs_not_the_products_app(
    run_probe: RunProbe, tmp_path
) -> None:
    # git-cliff: website/ on Docusaurus; create-t3-app: www/ on Astro.
    cargo = "[package]\nname = 'tool'\nversion = '1.0.0'\n"
    site = '{"name": "site", "private": true, "dependencies": {"@docusaurus/core": "3", '
    site += '"react": "18", "clsx": "2"}}'
    files = {
        "Cargo.toml": cargo,
        "src/main.rs": "fn main() {}\n",
        "website/package.json": site,
        "website/src/pages/index.tsx": "import React from 'react'\nexport default () => null\n",
    }
    assert profile_of(tmp_path / "site", files).kinds == ["cli"]
    assert run_probe("CQ012", files).outcome.value != "fail"
    # The same folder without a docs generator is the product's front end.
    app = {**files, "website/package.json": site.replace('"@docusaurus/core": "3", ', "")}
    assert "app" in profile_of(tmp_path / "app", app).kinds


def test_node_https_get_is_outbound_and_a_tag_conditional_release_is_a_release(
    run_probe: RunProbe, tmp_path
) -> None:
    # create-t3-app's CLI asks the npm registry for its latest version with https.get.
    check = 'import https from "https"\nexport const v = () =>\n  https\n    .get(\n'
    check += '      "https://registry.npmjs.org/-/package/x/dist-tags",\n      () => {},\n    )\n'
    pkg = '{"name": "x", "bin": {"x": "dist/index.js"}}'
    profile = profile_of(tmp_path / "cli", {"package.json": pkg, "src/version.ts": check})
    assert profile.conditions["outbound"]
    # curlie: `args: ${{ github.ref_type == 'tag' && 'release' || 'build --snapshot' }}`.
    step = (
        "on: [push]\njobs:\n  r:\n    runs-on: x\n    steps:\n"
        "      - uses: goreleaser/goreleaser-action@v6\n        with:\n"
        "          args: ${{ github.ref_type == 'tag' && 'release' || 'build --snapshot' }}\n"
    )
    files = {"go.mod": "module x\n", "main.go": "package main\n\nfunc main() {}\n"}
    assert run_probe("DEP009", {**files, ".github/workflows/r.yml": step}).outcome.value == "pass"


def test_packages_a_config_file_or_an_orm_loads_by_name(run_probe: RunProbe) -> None:
    # express-ts-boilerplate: nodemon and tslint in package-scripts.js, mysql and pg loaded by
    # TypeORM; excalidraw-room: ESLint plugins beside the shareable config it extends.
    deps = {"typeorm": "0.3", "pg": "8", "nodemon": "3", "eslint-plugin-prettier": "5"}
    deps |= {"left-pad": "1"}
    pkg = '{"name": "api", "dependencies": {' + ", ".join(f'"{k}": "{v}"' for k, v in deps.items())
    pkg += "}}"
    files = {
        "package.json": pkg,
        "src/index.js": "const { DataSource } = require('typeorm')\nmodule.exports = DataSource\n",
        "package-scripts.js": "module.exports = { scripts: { dev: 'nodemon --watch src' } }\n",
        ".eslintrc.json": '{\n  "extends": "@acme/eslint-config"\n}\n',
    }
    result = run_probe("CQ012", files)
    assert result.outcome.value == "fail" and result.message.endswith("left-pad.")
