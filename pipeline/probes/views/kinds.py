"""What kind of software a repository is: the rules, each decision with its evidence.

Only product files count: an example app, a test server or a demo's ``[[bin]]`` decides
nothing. The rules, in the order they are tried:

* **web_service**: product code builds a server (a framework that serves, or a listen call)
  and something starts it (a Dockerfile, Procfile or compose file, the program's entry point,
  an npm start script, a module-level launch). A server confined to one file of a research
  code base (a demo REST API beside the training scripts) is not the product.
* **app**: a front-end (React, Vue, Svelte, Angular, Next.js) or desktop application; a
  front-end bundled into a service written in another language is part of that service.
* **worker**: a task queue runs background jobs.
* **research**: notebooks, or machine-learning scripts, and no service or app.
* **cli**: a declared command (console script, package.json ``bin``, a Cargo binary, a Go
  ``package main``), or, in a script collection without a package to import, a program
  that parses its command line.
* **library**: a package others install and import, when the software is not a service or
  an app; next to a command-line tool only when the repository publishes further packages
  or the command's Python package offers names to import from its ``__init__.py``.
* **sdk**: a library whose code calls a remote API it names (``https://api.<host>``).
* **infrastructure**: deployment files and next to no code.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, Protocol

from pipeline.probes.base import Hit
from pipeline.probes.views.datafiles import DataFiles
from pipeline.probes.views.imports import Imports
from pipeline.probes.views.knowledge import Knowledge
from pipeline.probes.views.patterns import CODE
from pipeline.probes.views.repo import RepoView
from pipeline.probes.views.search import TextSearch
from pipeline.schemas import KindDecision


class ProfileView(Protocol):
    """What the kind rules read: the views, and the server, entries and outbound calls found."""

    repo: RepoView
    text: TextSearch
    imports: Imports
    data: DataFiles
    knowledge: Knowledge
    server: Hit | None
    entry: list[tuple[str, Hit]]
    outbound: list[tuple[str, Hit]]


# A server started or an application object built at module level (not inside a function).
LAUNCH = (
    r"^(?:export\s+)?(?:(?:const|let|var)\s+)?\w+\s*=\s*(?:await\s+)?(?:new\s+)?(?:\w+\.)?"
    r"(?:express|Koa|fastify|Fastify|Hono|FastAPI|Flask|Quart|Starlette|Sanic|Litestar|"
    r"falcon\.App|web\.Application|Bottle|NestFactory\.create)\(|"
    r"^[\w.]+\.(?:listen|run)\(|^uvicorn\.run\(|^(?:ROOT_URLCONF|WSGI_APPLICATION)\s*=|"
    r"@SpringBootApplication"
)
API_BASE = (
    r"['\"`]https://api\.[\w.-]+|['\"`]https://[\w.-]+/(api|v\d)/|"
    # A bare API host the client puts its scheme on (requestHost: "api.postmarkapp.com").
    r"['\"`]api\.[\w-]+(\.[\w-]+)*\.(com|io|net|org|dev|ai|co|app)['\"`/]|"
    # A default base URL a client's constant names (_DEFAULT_BASE_URL = "https://maps...").
    r"\b\w*(?i:base_?ur[li]|api_?(url|base|host|endpoint))\w*\s*[:=]\s*['\"`]https://[\w.-]+"
)
_ML = ("torch", "tensorflow", "jax", "keras", "sklearn", "lightning", "transformers")
_FRONTEND = ("react-dom", "react", "vue", "svelte", "@angular/core", "next", "solid-js", "nuxt")
_DESKTOP = ("electron", "@tauri-apps/api", "PySide6", "PyQt5", "PyQt6", "tkinter")
# Starting a Python GUI's event loop: what makes a program a desktop application.
_GUI_LOOP = r"\.mainloop\(\s*\)|\bQApplication\(|\.exec_?\(\s*\)|\bTk\(\s*\)\.mainloop"
_CLI_LIBS = (
    "argparse",
    "click",
    "typer",
    "fire",
    "docopt",
    "clap",
    "structopt",
    "argh",
    "github.com/spf13/cobra",
    "github.com/urfave/cli",
    "flag",
    "commander",
    "yargs",
    "meow",
    "cac",
    "picocli",
)
# The reason for a library guessed from code alone: no manifest declares a package.
UNPACKAGED = "code with no server, program entry point or package entry point"
# A documentation website (tRPC's www/ on Docusaurus, with a Next.js image service inside)
# is not the product either: its package.json scripts start the site, not the software.
_NON_PRODUCT = frozenset({"example", "test", "fixture", "bench", "vendored", "docs"})


@dataclass
class Decisions:
    """The kinds found, each with its reason and evidence."""

    kinds: dict[str, KindDecision] = field(default_factory=dict)

    def add(self, kind: str, reason: str, hits: list[Hit], view: ProfileView) -> None:
        if kind not in self.kinds:
            evidence = [h.evidence(view.repo) for h in hits[:2] if h.path]
            self.kinds[kind] = KindDecision(kind=kind, reason=reason, evidence=evidence)


def product_named(view: ProfileView, *names: str) -> list[str]:
    """Files named ``names`` that belong to the product (not an example's or a test's)."""
    return [
        path for path in view.repo.named(*names) if view.repo.by_path[path].role not in _NON_PRODUCT
    ]


def decide(view: ProfileView) -> Decisions:
    """Every kind the evidence supports (see the module docstring for the rules)."""
    decisions = Decisions()
    research = _research(view)
    server = view.server
    if server is not None and _optional_go_server(view, server):
        server = None  # fzf's --listen: a control channel the command opens when asked
    if server is not None and not (
        (research or _bundled_helper(view, server)) and _confined(view, server)
    ):
        launched = _launched(view)
        if launched is not None:
            decisions.add("web_service", "serves requests", [server, launched], view)
    frontend = view.imports.find_in(("javascript", "typescript"), *_FRONTEND, hosted=False)
    if frontend is not None and not _served_by_other_language(view, frontend):
        decisions.add("app", "a front-end application", [frontend], view)
    desktop = view.imports.find(*_DESKTOP)
    if (
        desktop is not None
        and desktop.path.endswith(".py")
        and not view.text.grep(_GUI_LOOP, ("python",), limit=1, code_only=True)
    ):
        # tqdm's tk.py: a Tkinter widget others' programs embed; nothing here starts a GUI.
        desktop = None
    if desktop is not None:
        decisions.add("app", "a desktop application", [desktop], view)
    queue = view.knowledge.provides("task_queue")
    if queue:
        use, hit = queue[0]
        decisions.add("worker", f"runs background tasks with {use.framework.name}", [hit], view)
    if research is not None and not decisions.kinds.keys() & {"web_service", "app"}:
        decisions.add("research", research[0], [research[1]], view)
    package = _package(view)
    service = bool(decisions.kinds.keys() & {"web_service", "app"})
    command = _command(view, package is not None, service)
    if command is None and "web_service" in decisions.kinds:
        command = _subcommands(view)
    if command is not None and "research" not in decisions.kinds:
        decisions.add("cli", command[0], [command[1]], view)
    library: tuple[str, Hit] | None = None
    if package is not None and not service:
        others = _other_packages(view)
        exported = _command_package_api(view) if "cli" in decisions.kinds else None
        if "cli" not in decisions.kinds and not (
            "research" in decisions.kinds and _bare_setup(view, package[1].path)
        ):
            library = package
        elif others:
            library = others[0]
        elif exported is not None:
            library = exported
    elif not decisions.kinds and not _infrastructure(view):
        first = next(iter(view.repo.code_files(*CODE)), None)
        if first is not None:
            library = (UNPACKAGED, Hit(first.path, 1, ""))
    if library is not None:
        api = view.text.first(API_BASE) or _endpoint_paths(view)
        # Not beside a command: a tool that calls an API (changesets on GitHub's, tqdm's
        # notifiers) is a library and a command, not an SDK. go-pagerduty, an API client
        # with a command beside it, is read as library and command too: the cost of that
        # rule, measured on the corpus.
        if api is not None and view.outbound and not decisions.kinds.keys() & {"cli", "research"}:
            decisions.add("sdk", "a client library for a remote API", [api], view)
        decisions.add("library", library[0], [library[1]], view)
    if not decisions.kinds and _infrastructure(view):
        decisions.add("infrastructure", "deployment and infrastructure files", [], view)
    return decisions


_ENDPOINT_PATH = r"""['"`]/(api|v\d+)/[\w/{}:-]+['"`]"""


def _endpoint_paths(view: ProfileView) -> Hit | None:
    """A library that names three or more endpoint paths of one API (``'/api/generate'``,
    ``'/api/chat'``: ollama-python, whose default host is a local server, not api.<host>)."""
    hits = view.text.grep(_ENDPOINT_PATH, CODE)
    paths = {m.group(0) for h in hits if (m := re.search(_ENDPOINT_PATH, h.text))}
    return hits[0] if len(paths) >= 3 else None


_HELPER_FOLDER = re.compile(
    r"(^|/)(helpers?|samples?|examples?|demos?|contrib|webhooks?|inbound)(/|$)", re.I
)


_SETUPTOOLS = re.compile(r"^\s*(from|import)\s+(setuptools|distutils)\b", re.M)
# What a manifest says when its package is meant for others: a version, a description,
# authors, a home page, classifiers.
_PUBLISHED_METADATA = re.compile(
    r"\b(version|description|long_description|author|url|classifiers|license)\s*="
)


def _bare_setup(view: ProfileView, path: str) -> bool:
    """A setup.py that names the package and its requirements and nothing else
    (improved-diffusion's: name, py_modules, install_requires): research code installs it
    with `pip install -e .` so its own scripts can import it; nobody else installs it."""
    if not path.endswith("setup.py"):
        return False
    return not _PUBLISHED_METADATA.search(view.repo.text(path))


def _bundled_helper(view: ProfileView, server: Hit) -> bool:
    """Whether the server is a small helper app bundled inside an API client package: the
    package calls a remote API, and the server's folder holds under a fifth of its code
    (an SDK's sample webhook receiver, not the product)."""
    if _package(view) is None or not view.outbound or view.text.first(API_BASE) is None:
        return False
    folder = str(PurePosixPath(server.path).parent)
    if folder == "." or not _HELPER_FOLDER.search(folder):
        return False
    if view.repo.by_path[server.path].language not in ("python", "javascript", "typescript"):
        return False
    files = view.repo.code_files(*CODE)
    inside = [f for f in files if f.path.startswith(folder + "/")]
    return bool(files) and len(inside) * 5 < len(files)


def _confined(view: ProfileView, server: Hit) -> bool:
    """Whether the server is one file nothing else of the product imports (a demo API)."""
    module = PurePosixPath(server.path).stem
    importers = [
        h.path
        for name, sites in view.imports.sites().items()
        if name.split(".")[-1] == module or name.endswith("/" + module)
        for h in sites
        if h.path != server.path
    ]
    return not importers


_GO_FUNC_LINE = re.compile(r"^func\s+(?:\([^)]*\)\s*)?(\w+)")
# An option that asks for the listener: `if t.listenAddr != nil {`, `if opts.Serve {` (not
# an error check, `if err := http.ListenAndServe(...)`).
_LISTEN_OPTION = re.compile(
    r"^(\s*)(}\s*else\s+)?if\s+(?!.*:=)(?![^{]*\bErrServerClosed\b)[^{]*"
    r"(\b|_|(?<=[a-z])(?=[A-Z]))([Ll]isten|[Ss]erve)\w*\b[^{]*\{\s*$"
)


def _optional_go_server(view: ProfileView, server: Hit) -> bool:
    """A Go command whose server starts only when an option asks for it: the function that
    listens (fzf's startHttpServer, net.Listen) is called only inside `if t.listenAddr !=
    nil {`. The program is the command; the listener is one of its features."""
    if not server.path.endswith(".go"):
        return False
    lines = view.repo.lines(server.path)
    name = next(
        (m.group(1) for n in range(server.line, 0, -1) if (m := _GO_FUNC_LINE.match(lines[n - 1]))),
        None,
    )
    if name is None or name == "main":
        return False
    calls = [
        h
        for h in view.text.grep(rf"(^|[^\w.]){re.escape(name)}\(", ("go",), code_only=True)
        if not _GO_FUNC_LINE.match(h.text)
    ]
    if not calls:
        return False
    return all(_inside_listen_option(view.repo.lines(c.path), c.line) for c in calls)


def _inside_listen_option(lines: tuple[str, ...], line: int) -> bool:
    """Whether ``line`` (1-based) sits inside the block of an `if` on a listen option a few
    lines above it: the `if` is less indented and no line between closes its block."""
    own = len(lines[line - 1]) - len(lines[line - 1].lstrip())
    for number in range(line - 1, max(0, line - 4), -1):
        text = lines[number - 1]
        indent = len(text) - len(text.lstrip())
        if text.strip() and indent < own:
            return bool(_LISTEN_OPTION.match(text))
    return False


def _launched(view: ProfileView) -> Hit | None:
    for name in ("dockerfile", "procfile", "docker-compose.yml", "docker-compose.yaml"):
        paths = product_named(view, name)
        if paths:
            return Hit(paths[0], 1, name)
    programs = [hit for label, hit in view.entry if not declares_command(label, hit)]
    if programs:
        # The main that starts the server, where one does (eladmin's AppRun, beside
        # @SpringBootApplication), rather than a utility class's main met first.
        text = view.text.first(LAUNCH)
        return next((h for h in programs if text is not None and h.path == text.path), programs[0])
    # A wsgi.py or asgi.py module: the application object a WSGI/ASGI server imports
    # (flaskbb's `flaskbb = create_app(config="flaskbb.cfg")`), how Python web apps deploy.
    for path in product_named(view, "wsgi.py", "asgi.py"):
        return Hit(path, 1, PurePosixPath(path).name)
    for path in product_named(view, "package.json"):
        manifest = view.data.json(path)
        scripts = manifest.get("scripts") if isinstance(manifest, dict) else None
        if not isinstance(scripts, dict):
            continue
        for key in ("start", "dev"):
            command = scripts.get(key)
            if isinstance(command, str) and _starts_something(scripts, command):
                return Hit(path, view.repo.line_of(path, rf'"{key}"\s*:'), key)
    return view.text.first(LAUNCH)


# A start or dev script that starts nothing itself: a compiler or bundler in watch mode
# (tRPC's packages: "tsdown --watch"), or a workspace runner handing the script on to the
# packages (its root: "turbo --filter=./packages/* dev"), whose own scripts then decide.
_BUILDS_ONLY = re.compile(
    r"^\s*(?:(?:tsc|tsup|tsdown|rollup|esbuild|webpack|babel|unbuild|vite\s+build|"
    r"microbundle)\b[^&|;]*(?:--watch|\s-w\b)|"
    r"(?:turbo|lerna|nx|pnpm\s+(?:-r|--recursive|--filter|run\s+-r))\b)"
)


# Steps of a script that start no program: installing, linting, formatting, generating.
_SETUP_STEP = re.compile(
    r"^\s*(?:(?:pnpm|npm|yarn|bun)\s+(?:install|i|ci)\b|(?:biome|eslint|prettier|tsc|"
    r"genversion|rimraf|shx|del-cli|tsdown|tsup|rollup|esbuild|unbuild|microbundle|babel)\b|"
    r"vite\s+build\b|webpack\b(?!\s+serve))"
)
_RUN_SCRIPT = re.compile(r"^\s*(?:pnpm|npm|yarn|bun)\s+(?:run\s+)?([\w:.-]+)\s*$")
_WRAPPER = re.compile(r"^\s*(?:concurrently|npm-run-all|run-p|run-s|nodemon|chokidar|onchange)\b")


def _starts_something(scripts: dict[str, Any], command: str, depth: int = 0) -> bool:
    """Whether a package.json script starts a program: inngest-js's `dev` is `pnpm install
    && concurrently "pnpm run dev:build" "pnpm run dev:lint"`, each a nodemon rerunning the
    build or the linter: it starts nothing. Scripts it runs by name are followed; a step
    that cannot be read counts as starting something."""
    if depth > 4:
        return True
    for step in re.split(r"&&|\|\||;", command):
        if not step.strip() or _BUILDS_ONLY.search(step) or _SETUP_STEP.match(step):
            continue
        named = _RUN_SCRIPT.match(step)
        if named:
            inner = scripts.get(named.group(1))
            if isinstance(inner, str) and not _starts_something(scripts, inner, depth + 1):
                continue
            return True
        if _WRAPPER.match(step):
            # The commands a runner or watcher is given: its quoted arguments, or nodemon's
            # -x / --exec; a watcher with none of them restarts a server it names.
            quoted = re.findall(r"\\?[\"']((?:pnpm|npm|yarn|bun|tsc|tsdown|tsup)\b[^\"']*)", step)
            if quoted and not any(_starts_something(scripts, q, depth + 1) for q in quoted):
                continue
        return True
    return False


def _served_by_other_language(view: ProfileView, frontend: Hit) -> bool:
    """A front-end folder inside a service written in another language is that service's UI."""
    server = view.server
    if server is None:
        return False
    language = view.repo.by_path[server.path].language
    return language not in ("javascript", "typescript")


def declares_command(label: str, hit: Hit) -> bool:
    """An entry point a manifest declares as a command (a console script, package.json
    ``bin``, a Cargo ``[[bin]]``), as opposed to a file with a main function (labelled by
    its path, which may well contain "bin": ``turbine/...Application.java``)."""
    return label != hit.path and (
        label.endswith("(console script)")
        or label in ("console_scripts", "bin (package.json)", "[[bin]] (Cargo.toml)")
    )


def launches(label: str, hit: Hit) -> bool:
    """An entry point that starts the program as a process: a Procfile line or a container's
    CMD/ENTRYPOINT."""
    if label == "Procfile":
        return True
    return label != hit.path and label.endswith((" CMD", " ENTRYPOINT"))


def _command(view: ProfileView, packaged: bool, service: bool) -> tuple[str, Hit] | None:
    """A declared command; else, for what is not a service, a program's entry point."""
    cli_lib = view.imports.find(*_CLI_LIBS)
    parsing = view.imports.importers(*_CLI_LIBS)

    def crate_parses(manifest: str) -> bool:
        """Whether code of the crate that ``manifest`` declares imports a CLI library:
        lemmy's lemmy_util_bin (crates/utils) prints the default config; the clap parser is
        the server crate's."""
        folder = str(PurePosixPath(manifest).parent)
        return any(folder in (".", "") or p.startswith(f"{folder}/") for p in parsing)

    # A service's Cargo [[bin]] is the server's binary, not a command, unless its crate
    # parses a command line.
    declared = [
        hit
        for label, hit in view.entry
        if declares_command(label, hit)
        and not (service and label == "[[bin]] (Cargo.toml)" and not crate_parses(hit.path))
        and not (service and _starts_server(view, label, hit))
        and not (service and _OPERATOR_COMMAND.search(hit.text.strip()))
        and not (service and _helper_package(view, label, hit))
    ]
    if declared:
        what = f"declares a command ({declared[0].text})"
        return what + (f", with {cli_lib.text}" if cli_lib else ""), declared[0]
    mains = [hit for label, hit in view.entry if label == hit.path]
    if service:
        # A service's main starts the service, unless a Go program of its own beside it
        # parses a command line with a CLI framework (scc: the cobra counter at the root,
        # its badge server in cmd/badges).
        return _go_command_beside(view, mains)
    for hit in mains:
        # Go's package main may live in any file (hey.go), Rust's binary in src/main.rs.
        # Cargo also builds every src/bin/<name>.rs and src/bin/<name>/main.rs (bat).
        if hit.path.endswith((".go", "src/main.rs")) or _CARGO_BIN.search(hit.path):
            return "a program (package main / fn main)", hit
    if packaged:
        return None  # a module's __main__ in an importable package is a convenience
    if cli_lib is not None and any(hit.path == cli_lib.path for hit in mains):
        return "a program that parses its command line", cli_lib
    if mains:
        return "a program run from the command line", mains[0]
    return None


_GO_CLI_LIBS = ("github.com/spf13/cobra", "github.com/urfave/cli", "github.com/alecthomas/kong")


def _go_command_beside(view: ProfileView, mains: list[Hit]) -> tuple[str, Hit] | None:
    """A Go ``package main`` in another folder than the server's own ``package main``,
    whose package parses its command line with cobra, urfave/cli or kong: a command-line
    tool the repository ships beside its server program. (The standard ``flag`` package
    does not count: a server's own main reads its options with it.)"""
    server = view.server
    if server is None or not server.path.endswith(".go"):
        return None
    parsing = {str(PurePosixPath(p).parent) for p in view.imports.importers(*_GO_CLI_LIBS)}
    served = str(PurePosixPath(server.path).parent)
    # The server is a program of its own (scc's cmd/badges/main.go), not a package a cobra
    # command starts (cmd/svc/main.go running internal/server): one binary, a service.
    if served not in {str(PurePosixPath(m.path).parent) for m in mains if m.path.endswith(".go")}:
        return None
    for hit in mains:
        folder = str(PurePosixPath(hit.path).parent)
        if hit.path.endswith(".go") and folder != served and folder in parsing:
            what = f"a program that parses its command line, beside the server ({server.where})"
            return what, hit
    return None


def _helper_package(view: ProfileView, label: str, hit: Hit) -> bool:
    """A package.json below the root of a service whose root package.json declares no
    workspaces: a helper of its maintainers with a bin of its own (uptime-kuma's
    extra/kuma-pr, which checks out a pull request to test it), not a command the service
    ships. A workspace's packages are the product's."""
    if label != "bin (package.json)" or "/" not in hit.path:
        return False
    root = view.data.json("package.json") if "package.json" in view.repo.by_path else None
    if not isinstance(root, dict) or root.get("workspaces"):
        return False
    if any(name in view.repo.by_path for name in ("pnpm-workspace.yaml", "lerna.json", "nx.json")):
        return False
    # ... kept in a folder for maintainers' tools, or private (a CLI in cli/package.json,
    # published, is a command the project ships).
    own = view.data.json(hit.path)
    private = isinstance(own, dict) and own.get("private") is True
    return PurePosixPath(hit.path).parts[0] in _HELPER_FOLDERS or private


_HELPER_FOLDERS = frozenset(
    {"extra", "extras", "scripts", "script", "tools", "tool", "dev", "hack", "contrib", "misc"}
)


# A service's console scripts that administer the service itself (bugsink-manage,
# -create-conf, -runsnappea, -show-version): its operators' tools, not a command-line
# tool its users run. A client named for the service (`...ctl`) is not among them.
_OPERATOR_COMMAND = re.compile(
    r"(^|[-_])(manage|admin|create[-_]?conf(ig)?|config|migrate|version|show[-_]version|"
    r"run[-_]?\w*|worker|init|setup|util|utils|healthcheck)$"
)


# Subcommands declared with a CLI library: click/typer decorators, urfave/cli and cobra
# command literals, argparse subparsers.
_SUBCOMMAND = r"^\s*@\w+\.command\(|&?(cli|cobra)\.Command\{|\.add_parser\(\s*['\"]"


_SUBCOMMAND_NAME = re.compile(
    r"""add_parser\(\s*['"]([\w-]+)|(?:Name|Use):\s*"([\w-]+)|def\s+(\w+)"""
)


def _subcommands(view: ProfileView) -> tuple[str, Hit] | None:
    """A service whose program is also a command line of three or more subcommands beside
    the one that serves (ntfy: serve, publish, subscribe, user...; datasette: serve,
    publish, package, install...): its users run it as a tool too."""
    named: dict[str, Hit] = {}
    for hit in view.text.grep(_SUBCOMMAND, ("python", "go"), code_only=True):
        if re.search(r"\[\]\*?(cli|cobra)\.Command\{\s*$", hit.text):
            names = _listed_commands(view.repo.lines(hit.path), hit.line)
        else:
            lines = view.repo.lines(hit.path)[hit.line - 1 : hit.line + 12]
            found = _SUBCOMMAND_NAME.search("\n".join(lines))
            names = [next((g for g in found.groups() if g), "")] if found else []
        for name in names:
            key = name.replace("_", "-").lower()
            if name and key not in _ADMIN_COMMANDS and not _ADMIN_WORK.search(key):
                named.setdefault(name, hit)
    # Go's standard library: one flag.FlagSet per subcommand, several in one program's folder
    # (wtf: cmd/wtf/dial_create.go, dial_list.go...); a server's single FlagSet is no command.
    sets = view.text.grep(r'flag\.NewFlagSet\(\s*"[\w-]+"', ("go",), code_only=False)
    folders = Counter(PurePosixPath(h.path).parent for h in sets)
    for hit in sets:
        found = re.search(r'NewFlagSet\(\s*"([\w-]+)"', hit.text)
        if found and folders[PurePosixPath(hit.path).parent] >= 2:
            named.setdefault(found.group(1), hit)
    if len(named) < 3:
        return None
    shown = ", ".join(list(named)[:4])
    return f"a command line with subcommands besides the server ({shown})", next(
        iter(named.values())
    )


def _listed_commands(lines: tuple[str, ...] | list[str], start: int) -> list[str]:
    """The names of a literal list of commands (croc's `app.Commands = []*cli.Command{`,
    then `{ Name: "send", ...}` entries): the Name fields one level inside the list, not the
    flags' names nested deeper."""
    opening = len(lines[start - 1]) - len(lines[start - 1].lstrip())
    names: list[str] = []
    depth: int | None = None
    for line in lines[start:]:
        indent = len(line) - len(line.lstrip())
        if line.strip().startswith("}") and indent <= opening:
            break
        found = re.match(r'\s*Name:\s*"([\w-]+)"', line)
        if found:
            depth = indent if depth is None else depth
            if indent == depth:
                names.append(found.group(1))
    return names


# Commands that run or administer the service itself (opengist's admin reset-password,
# writefreely's db migrate): no tool for its users.
_ADMIN_COMMANDS = frozenset(
    {"serve", "server", "start", "run", "web", "version", "help", "migrate", "db", "init"}
    | {"admin", "user", "users", "keys", "key", "config", "hook", "pre-receive"}
    | {"post-receive", "shell", "create-user", "reset-password", "reset-pass", "toggle-admin"}
    | {"create", "delete", "generate", "healthcheck", "health", "worker", "setup", "install"}
)
# Subcommands that work on the service's own data and keys (pocket-id's key-rotate,
# encryption-key-rotate, export, import, one-time-access-token): its operators' tools.
_ADMIN_WORK = re.compile(
    r"rotate|export|import|backup|restore|token|dump|seed|cleanup|prune|reindex|vacuum|"
    r"reset|migrat|purge"
)
_CARGO_BIN = re.compile(r"(^|/)src/bin/([\w-]+\.rs|[\w-]+/main\.rs)$")
_SERVER_START = re.compile(
    r"\b(uvicorn|hypercorn|granian|waitress)\.(run|serve)\(|\bapp\.run\(|\bweb\.run_app\(|"
    r"\bserve_forever\(|\bgunicorn\b"
)


def _starts_server(view: ProfileView, label: str, hit: Hit) -> bool:
    """A service's console script that only starts its server (``start =
    "mealie.app:main"``, whose main calls uvicorn.run): the launcher, not a command line."""
    if not label.endswith("(console script)") or not hit.path.endswith(".toml"):
        return False
    table = view.data.toml(hit.path) or {}
    scripts = dict(table.get("project", {}).get("scripts", {}) or {})
    scripts |= table.get("tool", {}).get("poetry", {}).get("scripts", {}) or {}
    target = scripts.get(hit.text)
    if not isinstance(target, str) or ":" not in target:
        return False
    module = target.split(":")[0].replace(".", "/")
    root = str(PurePosixPath(hit.path).parent)
    for candidate in (f"{module}.py", f"{module}/__init__.py", f"src/{module}.py"):
        path = candidate if root == "." else f"{root}/{candidate}"
        if path in view.repo.by_path:
            text = view.repo.text(path)
            if _SERVER_START.search(text):
                return True
            # ... or through the product's own server module (radicale's run() calls
            # server.serve(configuration), radicale/server.py holding the server).
            # Only when that module is imported, and the script parses no subcommands of
            # its own (`serve` beside `push` and `pull` is a command line).
            server = view.server
            stem = re.escape(PurePosixPath(server.path).stem) if server is not None else ""
            imported = rf"^\s*(from\s+[\w.]+\s+import\s+[^\n]*\b{stem}\b|import\s+[\w.]*\b{stem}\b)"
            return (
                bool(stem)
                and re.search(imported, text, re.M) is not None
                and re.search(rf"\b{stem}\.(serve|run|start)\w*\(", text) is not None
                and re.search(_SUBCOMMAND, text, re.M) is None
            )
    return False


def _package(view: ProfileView) -> tuple[str, Hit] | None:
    manifests = sorted(
        product_named(view, "pyproject.toml", "setup.py", "setup.cfg"),
        key=lambda p: (p.count("/"), p),
    )
    for path in manifests:
        if path.endswith("setup.py") and not _SETUPTOOLS.search(view.repo.text(path)):
            continue  # a module named setup.py (dinov2/eval/setup.py), not a build script
        table = view.data.toml(path) if path.endswith(".toml") else {}
        if (
            path.endswith(".toml")
            and not (table or {}).get("project")
            and not ((table or {}).get("tool", {}).get("poetry", {}).get("packages"))
        ):
            continue  # a pyproject that only configures tools, or an app's poetry file
        return "a Python package others install and import", Hit(path, 1, "")
    for path in _publishable_npm(view):
        return "an npm package others import", Hit(path, 1, "")
    for path in product_named(view, "Cargo.toml"):
        folder = str(PurePosixPath(path).parent)
        lib = f"{folder}/src/lib.rs" if folder != "." else "src/lib.rs"
        if lib in view.repo.by_path or "[lib]" in view.repo.text(path):
            return "a Rust crate with a library target", Hit(path, 1, "")
    for path in product_named(view, "go.mod"):
        if not any(f.path.endswith("main.go") for f in view.repo.code_files("go")):
            return "a Go module others import", Hit(path, 1, "")
        return "a Go module", Hit(path, 1, "")
    for path in product_named(view, "pom.xml", "build.gradle", "build.gradle.kts"):
        if "spring-boot" not in view.repo.text(path):
            return "a Java library", Hit(path, 1, "")
    return None


def _go_importable(view: ProfileView) -> tuple[str, Hit] | None:
    """A Go module whose root package is no program and that its README tells users to
    fetch or import (go-pagerduty: `go get github.com/PagerDuty/go-pagerduty`, its
    command under command/): a library first, with a command beside it."""
    for path in product_named(view, "go.mod"):
        module = re.search(r"(?m)^module\s+(\S+)", view.repo.text(path))
        folder = str(PurePosixPath(path).parent)
        if module is None:
            continue
        root = [
            f.path
            for f in view.repo.code_files("go")
            if str(PurePosixPath(f.path).parent) == folder
        ]
        if not root or any(re.search(r"(?m)^package main\b", view.repo.text(f)) for f in root):
            continue
        readme = f"{folder}/README.md" if folder != "." else "README.md"
        if readme not in view.repo.by_path:
            continue
        told = rf"go get\s+{re.escape(module.group(1))}(@\S+)?\s*$|\"{re.escape(module.group(1))}\""
        line = view.repo.line_of(readme, told, 0)
        if line:
            reason = f"a Go module others import ({module.group(1)}), with a command beside it"
            return reason, Hit(readme, line, "")
    return None


_RE_EXPORT = re.compile(r"^from\s+\.[\w.]*\s+import\s+\(?([\w\s,]+)\)?", re.M)
_PUBLIC_DEF = re.compile(r"^(?:def|class)\s+([A-Za-z]\w*)", re.M)
_STAR_EXPORT = re.compile(r"^from\s+\.([\w.]*)\s+import\s+\*", re.M)
_ALL_LIST = re.compile(r"^__all__\s*=\s*[\[(]([^\])]*)[\])]", re.M)
_COMMAND_NAMES = frozenset({"main", "cli", "run", "app", "entry", "entrypoint"})


def _export_targets(exports: object) -> list[str]:
    """The file paths an npm `exports` field names, through its condition objects."""
    if isinstance(exports, str):
        return [exports]
    if isinstance(exports, dict):
        return [t for value in exports.values() for t in _export_targets(value)]
    if isinstance(exports, list):
        return [t for value in exports for t in _export_targets(value)]
    return []


def _command_package_api(view: ProfileView) -> tuple[str, Hit] | None:
    """A package whose command is a side door: a Python package whose ``__init__.py`` offers
    names to import (``from .main import load_dotenv, dotenv_values``), or an npm package
    whose ``main``/``exports`` is another file than its ``bin``; others install it as a
    library first."""
    for path in _publishable_npm(view):
        manifest = view.data.json(path)
        if not isinstance(manifest, dict) or not manifest.get("bin"):
            continue
        main = manifest.get("main") or manifest.get("module")
        if isinstance(main, str) and main:
            target = str(PurePosixPath(os.path.normpath(PurePosixPath(path).parent / main)))
            if target not in npm_bins(manifest, path):
                line = view.repo.line_of(path, r'"(main|module)"\s*:')
                reason = f"an npm package others import ({main}), with a command beside it"
                return reason, Hit(path, line, "")
        exported = _export_targets(manifest.get("exports"))
        bins = {PurePosixPath(os.path.normpath(b)).as_posix() for b in npm_bins(manifest, path)}
        base = PurePosixPath(path).parent
        others = [
            t
            for t in exported
            if PurePosixPath(os.path.normpath(base / t)).as_posix() not in bins
            and PurePosixPath(t).name != "package.json"
        ]
        if others:
            # uuid: no main, an `exports` map (and typings) for what others import.
            line = view.repo.line_of(path, r'"exports"\s*:')
            reason = f"an npm package others import ({others[0]}), with a command beside it"
            return reason, Hit(path, line, "")
    go = _go_importable(view)
    if go is not None:
        return go
    for path in product_named(view, "pyproject.toml"):
        table = view.data.toml(path) or {}
        scripts = (table.get("project") or {}).get("scripts") or {}
        if not table.get("build-system") or not isinstance(scripts, dict):
            continue
        for target in scripts.values():
            top = str(target).split(":")[0].split(".")[0].strip()
            inits = [
                f.path
                for f in view.repo.code_files("python")
                if f.path.endswith(f"{top}/__init__.py") and f.role not in _NON_PRODUCT
            ]
            for init in inits[:1]:
                text = view.repo.text(init)
                names = {
                    n.strip()
                    for group in _RE_EXPORT.findall(text)
                    for n in group.replace("\n", ",").split(",")
                    if n.strip() and not n.strip().startswith("_")
                }
                names |= set(_PUBLIC_DEF.findall(text))
                # httpx: `from ._client import *` for each module, and an __all__ list of the
                # names it offers (Client, AsyncClient, get, post...).
                names |= {f"{m}.*" for m in _STAR_EXPORT.findall(text)}
                block = _ALL_LIST.search(text)
                if block:
                    names |= set(re.findall(r"['\"]([A-Za-z]\w*)['\"]", block.group(1)))
                names -= _COMMAND_NAMES
                if len(names) >= 2:
                    shown = ", ".join(sorted(names)[:3])
                    reason = f"a Python package others import ({shown}), with a command beside it"
                    return reason, Hit(init, 1, "")
    return None


def npm_bins(manifest: dict[str, Any], path: str) -> list[str]:
    """The repository paths of the scripts a package.json ``bin`` declares."""
    folder = PurePosixPath(path).parent
    bins = manifest.get("bin")
    targets = (
        [bins] if isinstance(bins, str) else list(bins.values()) if isinstance(bins, dict) else []
    )
    return [
        str(PurePosixPath(os.path.normpath(folder / t)))
        for t in targets
        if isinstance(t, str) and t
    ]


def _publishable_npm(view: ProfileView) -> list[str]:
    found = []
    for path in sorted(product_named(view, "package.json"), key=len):
        manifest = view.data.json(path)
        if (
            isinstance(manifest, dict)
            and not manifest.get("private")
            and (
                manifest.get("main")
                or manifest.get("exports")
                or manifest.get("types")
                or manifest.get("module")
                # npm's default entry point: express and multer name no "main", only a
                # version and an index.js beside package.json.
                or (manifest.get("version") and _sibling(view, path, "index.js"))
            )
        ):
            found.append(path)
    return found


def _sibling(view: ProfileView, path: str, name: str) -> bool:
    folder = PurePosixPath(path).parent
    return (str(folder / name) if str(folder) != "." else name) in view.repo.by_path


def _other_packages(view: ProfileView) -> list[tuple[str, Hit]]:
    """Publishable packages beside the command's own (a monorepo of libraries and a CLI)."""
    packages = []
    for path in _publishable_npm(view):
        manifest = view.data.json(path)
        if isinstance(manifest, dict) and not manifest.get("bin"):
            packages.append(("packages others import beside the command", Hit(path, 1, "")))
    return packages if len(packages) >= 2 else []


def _research(view: ProfileView) -> tuple[str, Hit] | None:
    notebooks = [f.path for f in view.repo.files if f.path.endswith(".ipynb")]
    if len(notebooks) >= 3:
        return f"notebooks and scripts ({len(notebooks)} notebooks)", Hit(notebooks[0], 1, "")
    ml = view.imports.find(*_ML)
    if ml is not None and not _installed_command(view):
        return "machine-learning scripts", ml
    return None


def _installed_command(view: ProfileView) -> bool:
    """A package that declares a console script (``whisper = "whisper.transcribe:cli"``)
    ships a tool built on its models, run by its users, not scripts run by their authors."""
    return _package(view) is not None and any(
        declares_command(label, hit) and label.endswith(("(console script)", "console_scripts"))
        for label, hit in view.entry
    )


def _infrastructure(view: ProfileView) -> bool:
    code = sum(f.lines for f in view.repo.code_files(*CODE))
    infra = sum(f.lines for f in view.repo.files if f.language in ("hcl", "yaml"))
    return infra > 0 and code < infra / 4
