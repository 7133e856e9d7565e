"""The ``profile`` view: what the software is, decided once from evidence.

Kinds (library, cli, web_service, worker, sdk, research, infrastructure, app; see
:mod:`pipeline.probes.views.kinds`), languages, frameworks, data stores, external services
and entry points, each with the lines that decided it. Every probe's applicability is a
condition on this one decision (see ``pipeline/rubric/questions.toml``), so a report never
calls the same code a library in one finding and a service in the next. Only product code
counts. The owners can override the kinds in ``readiness.toml`` (``[profile] kind = ["cli"]``).
"""

from __future__ import annotations

import ast
import re
from pathlib import PurePosixPath

from pipeline.config import RepoConfig
from pipeline.probes.base import Hit
from pipeline.probes.registry import view
from pipeline.probes.views.containers import Containers
from pipeline.probes.views.datafiles import DataFiles
from pipeline.probes.views.imports import Imports
from pipeline.probes.views.kinds import UNPACKAGED, Decisions, decide, npm_bins, product_named
from pipeline.probes.views.knowledge import Knowledge, witness_order
from pipeline.probes.views.python import PythonCode
from pipeline.probes.views.repo import RepoView
from pipeline.probes.views.search import CODE, TextSearch
from pipeline.schemas import KIND_NAMES, Component, KindDecision, Profile

APPLICATION_KINDS = frozenset({"cli", "web_service", "worker", "app", "research", "infrastructure"})
LIBRARY_KINDS = frozenset({"library", "sdk"})

# Servers of their own protocol on a raw socket (a Redis clone, a game server).
RAW_SOCKET_SERVER = (
    r"TcpListener::bind\(|net\.Listen\(\s*\"tcp|asyncio\.start_server\(|"
    r"socketserver\.(TCP|UDP|Threading\w*)Server\(|net\.createServer\(|new ServerSocket\("
)
# Python's standard HTTP servers, built or extended (radicale's ParallelHTTPServer derives
# from wsgiref.simple_server.WSGIServer and runs its own select loop): HTTP, not a protocol
# of its own.
_STDLIB_HTTP_SERVER = (
    r"\b(simple_server|http\.server)\.(WSGI|HTTP|ThreadingHTTP)Server\s*[(),]|"
    r"\bsimple_server\.make_server\("
)
# Calls that start a server (beyond what the knowledge table says about frameworks).
_SERVE_CALL = (
    r"ListenAndServe|uvicorn\.run\(|serve_forever\(|axum::serve|HttpServer::new|"
    r"SpringApplication\.run|http\.createServer\(|web\.run_app\(|"
    + _STDLIB_HTTP_SERVER
    + "|"
    + RAW_SOCKET_SERVER
)
_ENTRY = (
    r"^if __name__ == ['\"]__main__['\"]|^func main\(\)|^\s*(pub )?(async )?fn main\(|"
    r"static void main\(String"
)
# Outbound calls of clients the knowledge table does not name.
# fetch() is a call of the web platform in JavaScript; elsewhere it is just a common name
# (Rust's `pub fn fetch(conn)` loading rows), so it is looked for in JavaScript alone.
_JS_FETCH = r"(?<![\w.])(?<!function )fetch\("
_SAME_ORIGIN_FETCH = re.compile(r"fetch\(\s*['\"`]/(?!/)")
_HTTP_CALL = (
    r"\brequests\.(get|post|put|patch|delete|head|request|Session)\(|"
    # requests' own module, imported by name (analytics-python: `from requests import
    # sessions`, then `sessions.Session()`).
    r"\b(requests\.)?sessions\.Session\(|"
    r"\bhttpx\.(get|post|put|patch|delete|head|request|stream)\(|\bhttpx\.(Client|AsyncClient)\b|"
    r"aiohttp\.ClientSession|urllib\.request\.urlopen|urlretrieve\(|"
    r"\baxios\b|\bgot\(|"
    r"http\.(Get|Post|Head|NewRequest\w*)\(|http\.Client\{|reqwest::|ureq::|"
    r"HttpClient\.|RestTemplate|WebClient|OkHttpClient|AsyncHTTPClient\(|"
    # Node's http/https modules asked for an absolute URL (create-t3-app's npm registry
    # version check: https.get("https://registry.npmjs.org/...")).
    r"(?<![\w.])https?\s*\.(get|request)\(\s*[\"'`]https?://"
)
# Clients of a protocol of their own, on a raw socket.
_SOCKET_CALL = (
    r"TcpStream::connect\(|net\.Dial(Timeout)?\(\s*\"tcp|asyncio\.open_connection\(|"
    r"socket\.create_connection\(|net\.(createConnection|connect)\(|new Socket\(\s*\"|"
    # Mail sent over SMTP: smtplib, the `emails` package, nodemailer's SMTP transport.
    r"smtplib\.SMTP(_SSL)?\(|\bemails\.(message\.)?(html|Message)\(|nodemailer\.createTransport\(|"
    # Go: net/smtp, and go-pkgz/notify's senders (umputun's secrets mails its links).
    r"\bsmtp\.(SendMail|Dial|NewClient)\(|\bnotify\.New(Email|Slack|Telegram|Webhook)\(|"
    # Java: mail through JavaMail's Transport, SSH sessions through JSch (eladmin deploys
    # over SSH and sends mail).
    r"\bTransport\.send\(|\bnew JSch\(\)|\bJavaMailSender\b"
)
_STATE_WRITE = (
    r"platformdirs|appdirs|user_data_dir|user_config_dir|XDG_DATA_HOME|XDG_CONFIG_HOME|"
    r"Path\.home\(\)|expanduser\(['\"]~|os\.UserConfigDir|os\.UserHomeDir|"
    r"dirs::(data|data_local|config|config_local|state)_dir|ProjectDirs|shelve\.open|"
    r"sqlite3\.connect"
)
# A language with this many product lines, or this share of them, is one the product is in.
_LANGUAGE_LINES = 500
_LANGUAGE_SHARE = 0.02
# Places a program also reads its settings from: they say it keeps files only where it writes.
_READ_ONLY_PLACE = re.compile(
    r"user_config_dir|XDG_CONFIG_HOME|os\.UserConfigDir|dirs::(config|config_local)_dir"
)
_FILE_WRITE = re.compile(
    r"fs::write\(|File::create\(|OpenOptions::new\(\)|os\.WriteFile\(|os\.Create\(|"
    r"\bopen\([^)\n]*['\"][wax]b?\+?['\"]|\.write_(text|bytes)\(|writeFileSync\(|writeFile\(|"
    r"fs\.promises\.writeFile|json\.dump\(|yaml\.(safe_)?dump\(|toml\.dump\(|\.mkdir\(|"
    r"os\.makedirs\(|create_dir_all\(|os\.MkdirAll\("
)
# How the code runs things at once: (name, languages, pattern), first match cited.
_CONCURRENCY = (
    ("async/await", ("python",), r"^\s*async\s+def\s"),
    (
        "async/await",
        ("javascript", "typescript"),
        r"\basync\s+(function\b|\(|\w+\s*=>)|=\s*async\b",
    ),
    ("async/await", ("rust",), r"\basync\s+fn\b|#\[tokio::main"),
    ("threads", ("python",), r"\bThreadPoolExecutor\(|threading\.Thread\(|\bThread\(target="),
    (
        "processes",
        ("python",),
        r"\bProcessPoolExecutor\(|multiprocessing\.(Pool|Process)\(|torch\.distributed\b|"
        r"torch\.multiprocessing|\bmp\.spawn\(|DataLoader\([^)]*\bnum_workers\s*=|"
        # MPI: the program re-launched as n processes (spinningup's mpirun -np n).
        r"\bfrom mpi4py\b|\bimport mpi4py\b|\bMPI\.COMM_WORLD\b|[\"'](mpirun|mpiexec)[\"']",
    ),
    ("async tasks", ("python",), r"\basyncio\.(gather|create_task|TaskGroup)\("),
    ("goroutines", ("go",), r"^\s*go\s+(func\b|\w[\w.]*\()"),
    (
        "threads",
        ("rust",),
        r"\bthread::(spawn|scope)\(|\brayon::|\bThreadPool::new\(|\bthreadpool::|"
        r"\bcrossbeam(_channel)?::|\bmpsc::channel\(",
    ),
    ("threads", ("java",), r"\bExecutorService\b|\bnew Thread\(|@Async\b|CompletableFuture\."),
    ("worker threads", ("javascript", "typescript"), r"\bnew Worker\(|worker_threads"),
)
_STORE_NAMES = {
    "postgresql": "PostgreSQL",
    "mysql": "MySQL",
    "sqlite": "SQLite",
    "sql": "a SQL database",
    "mongodb": "MongoDB",
    "redis": "Redis",
}
_NOT = {
    "service": "it does not serve network requests",
    "worker": "it runs no background worker",
    "application": "it is not run as a program",
    "library": "it is not a library",
    "database": "its product code uses no database",
    "outbound": "its product code makes no outbound network calls",
    "stores_data": "it keeps no state of its own",
    "dockerfile": (
        "it has no Dockerfile that builds the product (test, example and dev-container "
        "images aside)"
    ),
    "async": "it has no async code",
    "calls_services": "it is no long-running service or worker that calls other services",
    "owns_data": "it is a library keeping files, not a database: what it stores belongs to "
    "the program that uses it",
    "seams": "it is a library with no database, network or process boundary to test across",
    "resolves_own": "it is a library others install: the programs that install it resolve "
    "the versions of its dependencies, so it declares ranges and ships no lockfile",
}


# Where a README says what the project is for: its opening lines.
_TEACHING_LINES = 40
_TEACHING = re.compile(
    r"(?i)\b(learning|teaching|educational)\s+(resource|purposes?|project|example|material)s?\b|"
    r"\bfor\s+(educational|learning|teaching)\s+purposes\b|\b(for|in)\s+this\s+tutorial\b|"
    r"\bthis\s+(tutorial|guide)\s+(walks|shows|teaches|will)\b"
)

# What defines a table of the product's own: DDL (in SQL files or strings), an ORM's model or
# entity, a schema builder. Generous on purpose: what matches only keeps a database's
# questions asked.
_SCHEMA_DEFINITION = (
    r"(?i:\bcreate\s+(virtual\s+|temp(orary)?\s+)?table\b)|"
    # Python: Django/SQLAlchemy/peewee/Tortoise/SQLModel models, Table(...) on a MetaData.
    r"^\s*class\s+\w+\s*\([^)]*\b(Model|Base|DeclarativeBase|SQLModel|Document)\b|"
    r"\btable\s*=\s*True\b|\bdeclarative_base\(|\bTable\(\s*['\"]\w+['\"]\s*,|"
    # Go: GORM, bun, ent.
    r"\bAutoMigrate\(|\bgorm\.Model\b|gorm:\"|bun:\"table:|\bent\.Schema\b|"
    # Rust: Diesel, SeaORM, sea-query.
    r"\btable!\s*\{|DeriveEntityModel|#\[sea_orm\(|\b(Table|Index)::create\(\)|"
    # Java/Kotlin JPA, Sequelize, Drizzle, Knex, TypeORM, Mongoose.
    r"@Entity\b|@Table\b|\bsequelize\.define\(|\bModel\.init\(|"
    r"\b(pg|sqlite|mysql)Table\(|\bcreateTable\(|\bnew\s+(mongoose\.)?Schema\("
)

# A database's own catalogue: what a tool reads to list the tables of any database.
# What lists the tables of whatever database the program is pointed at (not a health check's
# `SELECT count(*) FROM pg_stat_activity`).
_CATALOGUE = re.compile(
    r"\binformation_schema\.(tables|columns|schemata)\b|\bpg_catalog\.pg_(class|namespace|"
    r"attribute|tables)\b|\bFROM\s+pg_(class|namespace|tables)\b|\bsqlite_master\b|"
    r"\bSHOW\s+(FULL\s+)?(TABLES|DATABASES|SCHEMAS)\b",
    re.I,
)

_STATIC_EXPORT = re.compile(r"""^\s*output\s*:\s*['"]export['"]""", re.M)
_EPHEMERAL_LOOPBACK = re.compile(r"[\"'](127\.0\.0\.1|localhost|\[::1\]):0[\"']")


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
        decisions = decide(self)
        if config.kinds:
            reason = f"declared by the owners in {config.source}"
            decisions = Decisions({k: KindDecision(kind=k, reason=reason) for k in config.kinds})
        self.decisions = decisions
        self.kinds = list(decisions.kinds)
        self.declared = bool(config.kinds)
        self.conditions = self._conditions()

    # --- the conditions probes and questions apply under -------------------------------------

    def holds(self, condition: str) -> bool:
        """Whether a condition expression holds: ``all``, ``service``, ``service|worker``..."""
        names = [part.strip() for part in condition.split("|") if part.strip()]
        return any(name == "all" or self.conditions.get(name, False) for name in names)

    def why_not(self, condition: str) -> str:
        """The reason a condition does not hold, in words a reader can check."""
        names = [part.strip() for part in condition.split("|")]
        # owns_data needs stores_data first: a program that keeps nothing is not "a library
        # keeping files".
        names = [
            "stores_data" if n == "owns_data" and not self.conditions.get("stores_data") else n
            for n in names
        ]
        reasons = [_NOT.get(name, f"the software is not {name}") for name in names]
        return f"Not applicable: {' and '.join(reasons)} ({self.summary()})."

    def state_dirs(self) -> list[Hit]:
        """Where product code keeps files of its own (per-user data or config folders).

        A config folder or the home folder counts only where the product writes files at
        all: lsd looks up its config.yaml under dirs::config_dir() and only reads it; it
        keeps nothing."""
        return [
            h
            for h in self.text.grep(_STATE_WRITE, code_only=True)
            if not _READ_ONLY_PLACE.search(h.text) or _FILE_WRITE.search(self.repo.text(h.path))
        ]

    def evidence(self, condition: str) -> Hit | None:
        """The line that makes ``condition`` hold (the server, the database import...)."""
        for name in (part.strip() for part in condition.split("|")):
            if name == "service" and self.conditions.get("service"):
                return self.server
            if name == "database" and self.database:
                return self.database[0][1]
            if name in ("outbound", "calls_services") and self.outbound:
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
            languages=self.languages(),
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
            concurrency=self._components(self.concurrency()),
            conditions=self.conditions,
            teaching=teaching.evidence(self.repo) if (teaching := self.teaching()) else None,
        )

    def foreign_database(self) -> Hit | None:
        """Where a client of databases its users bring (pgcli, pgweb) reads the catalogue of
        whatever database it is pointed at, when the product defines no table of its own:
        their schemas are not its to create, migrate or index. None otherwise (an app whose
        queries use tables it never defines keeps its schema by hand: that is a gap)."""
        if self.schema() is not None:
            return None
        # SQL kept in multi-line strings (pgcli's pgexecute.py) and in embedded .sql files
        # (pgweb's pkg/statements/sql/) is read too.
        for f in self.repo.code_files(*CODE, "sql"):
            found = _CATALOGUE.search(self.repo.text(f.path))
            if found:
                line = self.repo.text(f.path).count("\n", 0, found.start()) + 1
                return Hit(f.path, line, self.repo.shown(f.path, line).strip())
        return None

    def schema(self) -> Hit | None:
        """Where the product defines a table of its own: DDL, an ORM model or entity, a
        schema file."""

        def find() -> Hit | None:
            hits = self.text.grep(_SCHEMA_DEFINITION, (*CODE, "sql"), limit=1)
            if hits:
                return hits[0]
            for path in [f.path for f in self.repo.files if f.path.endswith(".prisma")]:
                line = self.repo.line_of(path, r"^\s*model\s+\w+\s*\{", 0)
                if line:
                    return Hit(path, line, self.repo.line(path, line).strip())
            return None

        return self.repo.memo("schema-definition", find)

    def teaching(self) -> Hit | None:
        """A line near the top of the root README that says the code is teaching material:
        "intended to be a learning resource" (mini-redis), "for this tutorial" (Spring's
        tut-rest), "for educational purposes"."""
        return self.repo.memo("profile-teaching", self._teaching)

    def _teaching(self) -> Hit | None:
        for f in self.repo.files:
            if "/" in f.path or not f.path.lower().startswith("readme"):
                continue
            for number, line in enumerate(self.repo.lines(f.path)[:_TEACHING_LINES], 1):
                if _TEACHING.search(line):
                    return Hit(f.path, number, line.strip())
        return None

    def concurrency(self) -> list[tuple[str, Hit]]:
        """How the product code does several things at once, each with its first line."""
        found: list[tuple[str, Hit]] = []
        for name, languages, pattern in _CONCURRENCY:
            if any(n == name for n, _ in found):
                continue
            hit = self.text.first(pattern, languages)
            if hit is not None:
                found.append((name, hit))
        for use in self.knowledge.using(capability="task_queue"):
            found.append((f"task queue ({use.framework.name})", use.site))
        return found

    def languages(self) -> dict[str, int]:
        """Product lines per programming language, most first."""
        counts: dict[str, int] = {}
        for f in self.repo.code_files(*CODE):
            counts[f.language] = counts.get(f.language, 0) + f.lines
        return dict(sorted(counts.items(), key=lambda item: -item[1]))

    def _components(self, found: list[tuple[str, Hit]]) -> list[Component]:
        seen: dict[str, Component] = {}
        for name, hit in found:
            if name not in seen:
                seen[name] = Component(name=name, evidence=[hit.evidence(self.repo)])
        return list(seen.values())

    def _conditions(self) -> dict[str, bool]:
        kinds = set(self.kinds)
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
            "teaching": self.teaching() is not None,
        }
        # A long-running process that depends on other services: what circuit breakers and
        # such protect. A command or a library call fails once and is run again.
        conditions["calls_services"] = conditions["outbound"] and (
            conditions["service"] or conditions["worker"]
        )
        conditions["stores_data"] = conditions["database"] or bool(self.state_dirs())
        library_only = bool(kinds) and kinds <= LIBRARY_KINDS
        conditions["owns_data"] = conditions["stores_data"] and (
            not library_only or conditions["database"]
        )
        # Who resolves the dependency versions: an application (or what could not be told
        # apart from one) installs its own; a library's users resolve them in their programs.
        # A library guessed from loose code (no manifest declares a package) is installed by
        # nobody else.
        # A library with a command beside it is installed by others too.
        library = self.decisions.kinds.get("library")
        installed = library is not None and library.reason != UNPACKAGED
        conditions["resolves_own"] = not (installed and kinds <= LIBRARY_KINDS | {"cli"})
        conditions["seams"] = not library_only or conditions["database"] or conditions["outbound"]
        for language in CODE:
            conditions[language] = language in self.product_languages()
        return conditions

    def product_languages(self) -> set[str]:
        """The languages the product is written in: a language of CI helpers alone
        (.github/scripts) or of a sliver of the code (homebox's one Python script among
        30,000 lines of Go and TypeScript) does not make Python's questions its questions."""
        counts: dict[str, int] = {}
        for f in self.repo.code_files(*CODE):
            if not f.path.startswith(".github/"):
                counts[f.language] = counts.get(f.language, 0) + f.lines
        total = sum(counts.values()) or 1
        return {
            language
            for language, lines in counts.items()
            if lines >= _LANGUAGE_LINES or lines / total >= _LANGUAGE_SHARE
        }

    # --- evidence ---------------------------------------------------------------------------

    def _server(self) -> Hit | None:
        for use, hit in self.knowledge.provides("serves_http"):
            if self._ephemeral_loopback(hit):
                continue
            if use.framework.id == "nextjs" and self._static_export(hit.path):
                continue
            return hit if use.framework.when.get("serves_http") else use.site
        calls = [
            h
            for h in self.text.grep(_SERVE_CALL, code_only=True)
            if not self._ephemeral_loopback(h)
        ]
        return min(calls, key=witness_order, default=None)

    def _static_export(self, path: str) -> bool:
        """A Next.js app built with ``output: "export"`` (its next.config, nearest above
        ``path``): ``next build`` writes HTML, CSS and JS files that any static host serves;
        no Next.js server runs and API routes are not allowed (jsoncrack)."""
        folder = PurePosixPath(path).parent
        while True:
            for name in ("next.config.js", "next.config.mjs", "next.config.ts", "next.config.cjs"):
                config = name if str(folder) in (".", "") else f"{folder}/{name}"
                if config in self.repo.by_path:
                    return bool(_STATIC_EXPORT.search(self.repo.text(config)))
            if str(folder) in (".", ""):
                return False
            folder = folder.parent

    def _ephemeral_loopback(self, hit: Hit) -> bool:
        """A server on a loopback port the system picks (127.0.0.1:0): a helper a command
        starts for itself (a local proxy, an OAuth callback), which nothing else can find or
        reach, not a network service."""
        return bool(_EPHEMERAL_LOOPBACK.search(self.repo.text(hit.path)))

    def _removed_command(self, path: str) -> bool:
        """A bin script kept only to tell users the command is gone: a few lines that
        import nothing and exit with an error."""
        if path not in self.repo.by_path:
            return False
        lines = [line for line in self.repo.lines(path) if line.strip()]
        text = "\n".join(lines)
        return (
            len(lines) <= 12
            and not re.search(r"\brequire\(|^\s*import\b", text, re.M)
            and bool(re.search(r"process\.exit\(\s*[1-9]", text))
        )

    def _borrowed_command(self, path: str) -> bool:
        """A bin script that only loads another package's command: a few lines whose imports
        all name other packages (tRPC's bin/intent.js, "Auto-generated by @tanstack/intent
        setup", is `await import('@tanstack/intent/intent-library')`). The command is that
        package's, offered to users of this one; it is no command of the product."""
        if path not in self.repo.by_path:
            # Listed by the walk but not kept: a script ingest set aside as generated (tRPC's
            # carries "Auto-generated by @tanstack/intent setup"), not one written here.
            return path in self.repo.memo("listed", lambda: frozenset(self.repo.snapshot.listed))
        lines = [line for line in self.repo.lines(path) if line.strip()]
        text = "\n".join(lines)
        loaded = re.findall(r"""(?:\brequire|\bimport)\s*\(\s*['"]([^'"]+)['"]""", text)
        loaded += re.findall(r"""^\s*import\s+[^'"]*['"]([^'"]+)['"]""", text, re.M)
        return (
            len(lines) <= 25
            and bool(loaded)
            and not any(name.startswith(".") for name in loaded)
            and not re.search(r"^\s*(function|class|def)\b", text, re.M)
        )

    def _entry_points(self) -> list[tuple[str, Hit]]:
        found: list[tuple[str, Hit]] = []
        for path in product_named(self, "pyproject.toml"):
            table = self.data.toml(path) or {}
            scripts = dict(table.get("project", {}).get("scripts", {}) or {})
            scripts |= table.get("tool", {}).get("poetry", {}).get("scripts", {}) or {}
            for name in scripts:
                line = self.repo.line_of(path, rf"^\s*['\"]?{re.escape(name)}['\"]?\s*=")
                found.append((f"{name} (console script)", Hit(path, line, name)))
        for path in product_named(self, "setup.py", "setup.cfg"):
            line = self.repo.line_of(path, r"console_scripts", 0)
            if line:
                found.append(("console_scripts", Hit(path, line, "console_scripts")))
        for path in product_named(self, "package.json"):
            manifest = self.data.json(path)
            if isinstance(manifest, dict) and manifest.get("bin"):
                targets = npm_bins(manifest, path)
                if targets and all(
                    self._removed_command(t) or self._borrowed_command(t) for t in targets
                ):
                    continue  # `pino` cli has been removed: the bin only says so and exits
                line = self.repo.line_of(path, r'"bin"\s*:')
                found.append(("bin (package.json)", Hit(path, line, "bin")))
        for path in product_named(self, "Cargo.toml"):
            line = self.repo.line_of(path, r"^\[\[bin\]\]", 0)
            if line:
                found.append(("[[bin]] (Cargo.toml)", Hit(path, line, "[[bin]]")))
        for hit in self.text.grep(_ENTRY, code_only=True):
            if not hit.path.endswith("build.rs"):
                found.append((hit.path, hit))
        for path in product_named(self, "Procfile"):
            found.append(("Procfile", Hit(path, 1, "Procfile")))
        for path in self.containers.dockerfiles:
            for instr in self.data.dockerfile(path):
                if instr["instruction"] in ("CMD", "ENTRYPOINT"):
                    line = instr["startline"] + 1
                    label = f"{path} {instr['instruction']}"
                    found.append((label, Hit(path, line, instr["value"])))
        return found

    def _datastores(self) -> list[tuple[str, Hit]]:
        found = []
        # provides(), not using(): a `when` may say which uses keep data (lmdb read-only
        # is a dataset being read).
        for use, hit in self.knowledge.provides("database_client"):
            store = _STORE_NAMES.get(use.framework.datastore, use.framework.datastore)
            name = f"{store} via {use.framework.name}" if store else use.framework.name
            found.append((name, hit))
        return found

    def _outbound(self) -> list[tuple[str, Hit]]:
        found = [(use.framework.name, hit) for use, hit in self.knowledge.provides("http_client")]
        found += [(use.framework.name, hit) for use, hit in self.knowledge.provides("llm_client")]
        if not found:
            # A fetch of a path on its own origin ('/load-message' from the page the service
            # serves) calls the service itself, nobody outside.
            hit = self.text.first(_HTTP_CALL) or next(
                (
                    h
                    for h in self.text.grep(_JS_FETCH, ("javascript", "typescript"), code_only=True)
                    if not _SAME_ORIGIN_FETCH.search(h.text)
                ),
                None,
            )
            if hit is not None:
                found.append(("HTTP calls", hit))
        if not found:
            hit = self.text.first(_SOCKET_CALL)
            if hit is not None:
                found.append(("network connections", hit))
        return found

    def _async(self) -> bool:
        for f in self.repo.code_files("python"):
            if self.python.nodes(f.path, ast.AsyncFunctionDef):
                return True
        # Class methods too (`public async getUser(apiKey: string)`, NestJS services).
        pattern = (
            r"\basync\s+(fn|function)\b|\basync\s*\(|=\s*async\b|"
            r"^\s*(public\s+|private\s+|protected\s+|static\s+)*async\s+\*?[A-Za-z_$][\w$]*\s*[(<]"
        )
        return bool(self.text.grep(pattern, ("javascript", "typescript", "rust"), limit=1))
