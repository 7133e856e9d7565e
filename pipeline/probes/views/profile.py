"""The ``profile`` view: what the software is, decided once from evidence.

Kinds (library, cli, web_service, worker, sdk, research, infrastructure, app), languages,
frameworks, data stores, external services and entry points, each with the lines that
decided it. Every probe's applicability is a condition on this one decision (see
``pipeline/rubric/questions.toml``), so a report never calls the same code a library in one
finding and a service in the next. Only product code counts: an example app or a test
server does not make a framework a service. The owners can override the kinds in
``readiness.toml`` (``[profile] kind = ["cli"]``).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from pipeline.config import RepoConfig
from pipeline.probes.base import Hit
from pipeline.probes.registry import view
from pipeline.probes.views.containers import Containers
from pipeline.probes.views.datafiles import DataFiles
from pipeline.probes.views.imports import Imports
from pipeline.probes.views.knowledge import Knowledge
from pipeline.probes.views.python import PythonCode
from pipeline.probes.views.repo import RepoView
from pipeline.probes.views.search import CODE, TextSearch
from pipeline.schemas import Component, KindDecision, Profile

APPLICATION_KINDS = frozenset({"cli", "web_service", "worker", "app", "research", "infrastructure"})
LIBRARY_KINDS = frozenset({"library", "sdk"})
LANGUAGES = frozenset(CODE)

# Calls that start a server (beyond what the knowledge table says about frameworks).
_SERVE_CALL = (
    r"\.listen\(|ListenAndServe|app\.run\(|uvicorn\.run\(|serve_forever\(|axum::serve|"
    r"HttpServer::new|SpringApplication\.run|createServer\(|web\.run_app\(|\.serve\("
)
# A server started or an application object built at module level (not inside a function).
_LAUNCH = (
    r"^(?:export\s+)?(?:(?:const|let|var)\s+)?\w+\s*=\s*(?:await\s+)?(?:new\s+)?(?:\w+\.)?"
    r"(?:express|Koa|fastify|Fastify|Hono|FastAPI|Flask|Quart|Starlette|Sanic|Litestar|"
    r"falcon\.App|web\.Application|Bottle|NestFactory\.create)\(|"
    r"^[\w.]+\.(?:listen|run)\(|^uvicorn\.run\(|^(?:ROOT_URLCONF|WSGI_APPLICATION)\s*=|"
    r"@SpringBootApplication"
)
_ENTRY = (
    r"^if __name__ == ['\"]__main__['\"]|^package main\b|^\s*(pub )?(async )?fn main\(|"
    r"static void main\(String"
)
_HTTP_CALL = (
    r"\brequests\.(get|post|put|patch|delete|head|request|Session)\(|"
    r"\bhttpx\.(get|post|put|patch|delete|head|request|stream|Client|AsyncClient)\(|"
    r"aiohttp\.ClientSession|\blitellm\.a?completion\(|\b(Async)?(OpenAI|Anthropic)\(|"
    r"urllib\.request\.urlopen|urlopen\(|(?<![\w.])(?<!def )(?<!function )fetch\(|"
    r"\baxios\b|\bgot\(|"
    r"http\.(Get|Post|Head|NewRequest\w*)\(|http\.Client\{|reqwest::|ureq::|"
    r"HttpClient\.|RestTemplate|WebClient|OkHttpClient"
)
_API_BASE = r"['\"`]https://api\.[\w.-]+|['\"`]https://[\w.-]+/(api|v\d)/"
_STATE_WRITE = (
    r"platformdirs|appdirs|user_data_dir|user_config_dir|XDG_DATA_HOME|XDG_CONFIG_HOME|"
    r"Path\.home\(\)|expanduser\(['\"]~|os\.UserConfigDir|os\.UserHomeDir|dirs::(data|config)_dir|"
    r"ProjectDirs|shelve\.open|sqlite3\.connect"
)
_ML = ("torch", "tensorflow", "jax", "keras", "sklearn", "transformers", "lightning")
_FRONTEND = ("react-dom", "react", "vue", "svelte", "@angular/core", "next", "solid-js", "nuxt")
_DESKTOP = ("electron", "@tauri-apps/api", "PySide6", "PyQt5", "PyQt6", "tkinter")
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
_INFRA_LANGUAGES = ("hcl", "yaml")


@dataclass
class Decisions:
    """The kinds found, each with its reason and evidence."""

    kinds: dict[str, KindDecision] = field(default_factory=dict)

    def add(self, kind: str, reason: str, hits: list[Hit], repo: RepoView) -> None:
        if kind not in self.kinds:
            evidence = [h.evidence(repo) for h in hits[:2]]
            self.kinds[kind] = KindDecision(kind=kind, reason=reason, evidence=evidence)


@view("profile")
class ProfileView:
    """The software profile and the conditions probes and questions apply under."""

    def __init__(
        self,
        repo: RepoView,
        text: TextSearch,
        imports: Imports,
        python: PythonCode,
        data: DataFiles,
        containers: Containers,
        knowledge: Knowledge,
        config: RepoConfig,
    ) -> None:
        self.repo = repo
        self.text = text
        self.imports = imports
        self.python = python
        self.data = data
        self.containers = containers
        self.knowledge = knowledge
        self.server = self._server()
        self.entry = self._entry_points()
        self.database = self._datastores()
        self.outbound = self._outbound()
        decisions = self._decide()
        declared = list(config.kinds)
        kinds = declared or list(decisions.kinds)
        if declared:
            decisions = Decisions(
                {
                    k: KindDecision(kind=k, reason=f"declared by the owners in {config.source}")
                    for k in declared
                }
            )
        self.decisions = decisions
        self.kinds = kinds
        self.declared = bool(declared)
        self.conditions = self._conditions()

    # --- the conditions probes and questions apply under -------------------------------------

    def holds(self, condition: str) -> bool:
        """Whether a condition expression holds: ``all``, ``service``, ``service|worker``..."""
        names = [part.strip() for part in condition.split("|") if part.strip()]
        return any(name == "all" or self.conditions.get(name, False) for name in names)

    def why_not(self, condition: str) -> str:
        """The reason a condition does not hold, in words a reader can check."""
        names = [part.strip() for part in condition.split("|")]
        reasons = [_NOT.get(name, f"the software is not {name}") for name in names]
        return f"Not applicable: {' and '.join(reasons)} ({self.summary()})."

    def evidence(self, condition: str) -> Hit | None:
        """The line that makes ``condition`` hold (the server, the database import...)."""
        for name in (part.strip() for part in condition.split("|")):
            if name == "service" and self.conditions.get("service"):
                return self.server
            if name == "database" and self.database:
                return self.database[0][1]
            if name == "outbound" and self.outbound:
                return self.outbound[0][1]
            if name == "worker" and name in self.decisions.kinds:
                queue = self.knowledge.provides("task_queue")
                return queue[0][1] if queue else None
        return None

    def summary(self) -> str:
        """One line: what the software was judged to be, and on what evidence."""
        parts = []
        for decision in self.decisions.kinds.values():
            where = decision.evidence[0].location if decision.evidence else ""
            parts.append(
                f"{KIND_NAMES.get(decision.kind, decision.kind)}: {decision.reason}"
                + (f" ({where})" if where else "")
            )
        return "judged " + "; ".join(parts) if parts else "no kind could be decided"

    def model(self) -> Profile:
        """The profile as the report shows it."""
        return Profile(
            kinds=self.kinds,
            declared=self.declared,
            reasons=list(self.decisions.kinds.values()),
            languages=self._languages(),
            frameworks=[
                Component(
                    name=u.framework.name,
                    role=u.framework.role,
                    evidence=[u.site.evidence(self.repo)],
                )
                for u in self.knowledge.uses
            ],
            datastores=self._components(self.database),
            external_services=self._components(self.outbound),
            entry_points=self._components(self.entry),
            conditions=self.conditions,
        )

    def _components(self, found: list[tuple[str, Hit]]) -> list[Component]:
        seen: dict[str, Component] = {}
        for name, hit in found:
            if name not in seen:
                seen[name] = Component(name=name, evidence=[hit.evidence(self.repo)])
        return list(seen.values())

    def _conditions(self) -> dict[str, bool]:
        kinds = set(self.kinds)
        languages = set(self._languages())
        conditions = {
            "service": "web_service" in kinds,
            "worker": "worker" in kinds,
            "application": bool(kinds & APPLICATION_KINDS),
            "library": bool(kinds & LIBRARY_KINDS),
            "sdk": "sdk" in kinds,
            "database": bool(self.database),
            "outbound": bool(self.outbound),
            "dockerfile": bool(self.containers.dockerfiles),
            "async": self._async(),
        }
        conditions["stores_data"] = conditions["database"] or bool(
            self.text.grep(_STATE_WRITE, limit=1, code_only=True)
        )
        for language in LANGUAGES:
            conditions[language] = language in languages
        return conditions

    # --- evidence ---------------------------------------------------------------------------

    def _languages(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for f in self.repo.code_files(*CODE):
            counts[f.language] = counts.get(f.language, 0) + f.lines
        return dict(sorted(counts.items(), key=lambda item: -item[1]))

    def _server(self) -> Hit | None:
        for use, hit in self.knowledge.provides("serves_http"):
            return hit if use.framework.when.get("serves_http") else use.site
        return self.text.first(_SERVE_CALL)

    def _entry_points(self) -> list[tuple[str, Hit]]:
        found: list[tuple[str, Hit]] = []
        for path in self.repo.named("pyproject.toml"):
            table = self.data.toml(path) or {}
            scripts = dict(table.get("project", {}).get("scripts", {}) or {})
            scripts |= table.get("tool", {}).get("poetry", {}).get("scripts", {}) or {}
            for name in scripts:
                line = self.repo.line_of(path, rf"^\s*['\"]?{re.escape(name)}['\"]?\s*=")
                found.append((f"{name} (console script)", Hit(path, line, name)))
        for path in self.repo.named("setup.py", "setup.cfg"):
            line = self.repo.line_of(path, r"console_scripts", 0)
            if line:
                found.append(("console_scripts", Hit(path, line, "console_scripts")))
        for path in self.repo.named("package.json"):
            manifest = self.data.json(path)
            if isinstance(manifest, dict) and manifest.get("bin"):
                line = self.repo.line_of(path, r'"bin"\s*:')
                found.append(("bin (package.json)", Hit(path, line, "bin")))
        for path in self.repo.named("Cargo.toml"):
            line = self.repo.line_of(path, r"^\[\[bin\]\]", 0)
            if line:
                found.append(("[[bin]] (Cargo.toml)", Hit(path, line, "[[bin]]")))
        for hit in self.text.grep(_ENTRY, code_only=True):
            if not hit.path.endswith("build.rs"):
                found.append((hit.path, hit))
        for path in self.repo.named("Procfile"):
            found.append(("Procfile", Hit(path, 1, "Procfile")))
        for path in self.containers.dockerfiles:
            for instr in self.data.dockerfile(path):
                if instr["instruction"] in ("CMD", "ENTRYPOINT"):
                    line = instr["startline"] + 1
                    found.append(
                        (f"{path} {instr['instruction']}", Hit(path, line, instr["value"]))
                    )
        return found

    def _datastores(self) -> list[tuple[str, Hit]]:
        found = []
        for use in self.knowledge.using(capability="database_client"):
            name = use.framework.datastore or use.framework.name
            found.append((name, use.site))
        return found

    def _outbound(self) -> list[tuple[str, Hit]]:
        found = [(use.framework.name, hit) for use, hit in self.knowledge.provides("http_client")]
        found += [(use.framework.name, hit) for use, hit in self.knowledge.provides("llm_client")]
        if not found:
            hit = self.text.first(_HTTP_CALL)
            if hit is not None:
                found.append(("HTTP calls", hit))
        return found

    def _async(self) -> bool:
        for f in self.repo.code_files("python"):
            if self.python.nodes(f.path, ast.AsyncFunctionDef):
                return True
        pattern = r"\basync\s+(fn|function)\b|\basync\s*\(|=\s*async\b"
        return bool(self.text.grep(pattern, ("javascript", "typescript", "rust"), limit=1))

    # --- kinds ------------------------------------------------------------------------------

    def _decide(self) -> Decisions:
        decisions = Decisions()
        repo = self.repo
        frontend = self.imports.find_in(("javascript", "typescript"), *_FRONTEND)
        launched = self._launched()
        if self.server is not None and launched is not None:
            decisions.add("web_service", "serves requests", [self.server, launched], repo)
        if frontend is not None:
            decisions.add("app", "a front-end application", [frontend], repo)
        desktop = self.imports.find(*_DESKTOP)
        if desktop is not None:
            decisions.add("app", "a desktop application", [desktop], repo)
        queue = self.knowledge.provides("task_queue")
        if queue:
            use, hit = queue[0]
            decisions.add("worker", f"runs background tasks with {use.framework.name}", [hit], repo)
        research = self._research() if not decisions.kinds else None
        if research is not None:
            decisions.add("research", research[0], [research[1]], repo)
        cli = self._cli()
        if cli is not None and not decisions.kinds.keys() & {"web_service", "research"}:
            decisions.add("cli", cli[0], [cli[1]], repo)
        library = self._library()
        if library is not None and not decisions.kinds.keys() & {"web_service", "app", "cli"}:
            api = self.text.first(_API_BASE)
            if api is not None and self.outbound:
                decisions.add("sdk", "a client library for a remote API", [api], repo)
            decisions.add("library", library[0], [library[1]], repo)
        if not decisions.kinds and self._infrastructure():
            anchor = repo.files[0].path if repo.files else ""
            decisions.add(
                "infrastructure", "deployment and infrastructure files", [Hit(anchor, 1, "")], repo
            )
        if not decisions.kinds:
            first = next(iter(self.repo.code_files(*CODE)), None)
            if first is not None:
                decisions.add(
                    "library",
                    "code with no server, program entry point or package entry point",
                    [Hit(first.path, 1, "")],
                    repo,
                )
        return decisions

    def _launched(self) -> Hit | None:
        for name in ("dockerfile", "procfile", "docker-compose.yml", "docker-compose.yaml"):
            paths = self.repo.named(name)
            if paths:
                return Hit(paths[0], 1, name)
        for label, hit in self.entry:
            if "console script" not in label and "bin" not in label:
                return hit
        for path in self.repo.named("package.json"):
            manifest = self.data.json(path)
            scripts = manifest.get("scripts") if isinstance(manifest, dict) else None
            if isinstance(scripts, dict) and "start" in scripts:
                return Hit(path, self.repo.line_of(path, r'"start"\s*:'), "start")
        return self.text.first(_LAUNCH)

    def _cli(self) -> tuple[str, Hit] | None:
        declared = [hit for label, hit in self.entry if "console" in label or "bin" in label]
        cli_lib = self.imports.find(*_CLI_LIBS)
        if declared:
            what = f"declares a command ({declared[0].text})"
            return what + (f", with {cli_lib.text}" if cli_lib else ""), declared[0]
        if cli_lib is not None:
            mains = {hit.path for label, hit in self.entry if label == hit.path}
            if cli_lib.path in mains or any(
                PurePosixPath(p).name in ("main.rs", "main.go", "__main__.py", "cli.py")
                for p in mains
            ):
                return "a program that parses command-line arguments", cli_lib
        for label, hit in self.entry:
            if label == hit.path:  # `if __name__ == "__main__"`, package main, fn main, main()
                return "a program run from the command line", hit
        return None

    def _library(self) -> tuple[str, Hit] | None:
        for path in self.repo.named("pyproject.toml", "setup.py", "setup.cfg"):
            return "a Python package others install and import", Hit(path, 1, "")
        for path in self.repo.named("package.json"):
            manifest = self.data.json(path)
            if (
                isinstance(manifest, dict)
                and not manifest.get("private")
                and (
                    manifest.get("main")
                    or manifest.get("exports")
                    or manifest.get("types")
                    or manifest.get("module")
                )
            ):
                return "an npm package others import", Hit(path, 1, "")
        for path in self.repo.named("Cargo.toml"):
            if any(f.path.endswith("src/lib.rs") for f in self.repo.files):
                return "a Rust crate with a library target (src/lib.rs)", Hit(path, 1, "")
        for path in self.repo.named("go.mod"):
            return "a Go module", Hit(path, 1, "")
        for path in self.repo.named("pom.xml", "build.gradle", "build.gradle.kts"):
            return "a Java library", Hit(path, 1, "")
        return None

    def _research(self) -> tuple[str, Hit] | None:
        notebooks = [f.path for f in self.repo.files if f.path.endswith(".ipynb")]
        ml = self.imports.find(*_ML)
        if len(notebooks) >= 3:
            return f"notebooks and scripts ({len(notebooks)} notebooks)", Hit(notebooks[0], 1, "")
        if ml is not None:
            return "machine-learning scripts", ml
        return None

    def _infrastructure(self) -> bool:
        code = sum(f.lines for f in self.repo.code_files(*CODE))
        infra = sum(f.lines for f in self.repo.files if f.language in _INFRA_LANGUAGES)
        return infra > 0 and code < infra / 4


KIND_NAMES = {
    "library": "a library",
    "cli": "a command-line tool",
    "web_service": "a web service",
    "worker": "a background worker",
    "sdk": "an SDK for a remote API",
    "research": "research scripts",
    "infrastructure": "infrastructure code",
    "app": "an application",
}
_NOT = {
    "service": "it does not serve network requests",
    "worker": "it runs no background worker",
    "application": "it is not run as a program",
    "library": "it is not a library",
    "database": "its product code uses no database",
    "outbound": "its product code makes no outbound network calls",
    "stores_data": "it keeps no state of its own",
    "dockerfile": "it has no Dockerfile",
    "async": "it has no async code",
}
