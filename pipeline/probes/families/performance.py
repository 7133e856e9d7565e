"""Performance probes: pooling, caching, per-iteration connections, blocking async, benchmarks."""

from __future__ import annotations

import ast
import re
from pathlib import PurePosixPath
from typing import Any

from pipeline.probes.base import Hit, Probe, plural
from pipeline.probes.families.data import foreign_schema, migration_files
from pipeline.probes.families.documentation import prose, readme, sections
from pipeline.probes.shapes import CapabilityProbe
from pipeline.probes.views.imports import Imports
from pipeline.probes.views.knowledge import Knowledge, Use
from pipeline.probes.views.manifests import LOCKFILES
from pipeline.probes.views.profile import ProfileView
from pipeline.probes.views.python import PyCall, PythonCode, dotted
from pipeline.probes.views.repo import RepoView
from pipeline.probes.views.search import CODE, TextSearch
from pipeline.probes.views.syntax import SyntaxTrees
from pipeline.schemas import Category, CheckResult, Outcome, Severity

_VERBS = ("get", "post", "put", "patch", "delete", "head", "request")
_SQL_STORES = frozenset({"sql", "postgresql", "mysql", "sqlite"})
# Engines that run inside the process on local files (the knowledge table's datastores):
# there is no server to connect to.
_KEY_VALUE_FILES = frozenset(
    {"leveldb", "rocksdb", "bolt", "badger", "buntdb", "lmdb", "sled", "redb"}
)
_EMBEDDED = frozenset({"sqlite", "duckdb", *_KEY_VALUE_FILES})
# Stores of keys and values (and message brokers): no declared schema, nothing to index.
_KEY_VALUE = frozenset({"redis", "memcached", "etcd", "rabbitmq", *_KEY_VALUE_FILES})


def _only_stores(knowledge: Knowledge, kinds: frozenset[str]) -> list[Use]:
    """The database clients in use when every one of them is of a store in ``kinds``, else
    none (an unknown or generic client, `sql`, may be a server)."""
    clients = knowledge.using(capability="database_client")
    if clients and all(use.framework.datastore in kinds for use in clients):
        return clients
    return []


class ConnectionPooling(CapabilityProbe):
    """Database connections are opened without a pool."""

    id = "PERF001"
    category = Category.performance
    severity = Severity.medium
    title = "No database connection pooling"
    rationale = "Opening a connection per request adds latency and exhausts the database."
    remediation = "Use a pooled engine/client and size the pool for the workload."
    applies = "database"
    what = "connection pool"
    # Consulted in check(), for database clients only: an HTTP client's pool (boto3,
    # undici) keeps no database connection.
    capability = None
    code_only = False  # pool settings often live in config dicts: "CONN_MAX_AGE": 60
    pattern = (
        r"pool_size|max_overflow|create_pool\(|\bPool\(|SetMaxOpenConns|PgPoolOptions|"
        r"r2d2|deadpool|bb8|HikariDataSource|maximumPoolSize|connectionLimit|"
        # An engine made with poolclass=NullPool pools nothing (CTFd's plugin migrations).
        r"create_(async_)?engine\((?![^\n]*NullPool)|CONN_MAX_AGE|MongoClient\(|sql\.Open\(|"
        r"pgxpool|ConnectionPool|psycopg_pool|new Pool\(|createPool\(|PrismaClient\(|"
        r"mongoose\.connect\("
    )

    def check(
        self,
        repo: RepoView,
        text: TextSearch,
        imports: Imports,
        python: PythonCode,
        knowledge: Knowledge,
        profile: ProfileView,
    ) -> CheckResult:
        pools = [
            (use, hit)
            for use, hit in knowledge.provides("connection_pooling")
            if use.framework.role in ("db_driver", "orm")
            or "database_client" in use.framework.provides
        ]
        django = next(
            (
                u
                for u in knowledge.using(capability="database_client")
                if u.framework.id == "django"
            ),
            None,
        )
        pooled_sql = [
            (u, h)
            for u, h in pools
            if u.framework.datastore in _SQL_STORES and u.framework.id != "django"
        ]
        unpooled = django is not None and not any(u.framework.id == "django" for u, _ in pools)
        if django is not None and unpooled and not pooled_sql:
            settings = text.grep(r"^\s*DATABASES\s*=", ("python",), limit=1)
            site = settings[0] if settings else django.site
            return self.failed(
                [site.evidence(repo)],
                f"Django's database connections ({site.where}) are not kept: CONN_MAX_AGE "
                "is 0 by default, so Django opens and closes a connection for every "
                "request, and nothing sets it above 0 or sets a pool.",
                looked_at=[
                    "CONN_MAX_AGE and OPTIONS 'pool' in the settings, other pooled database clients"
                ],
            )
        if pools:
            # The application's own pool first: a root-level script's engine (CTFd's ping.py,
            # which waits for the database in the entrypoint) is no witness of the app's.
            use, hit = min(pools, key=lambda p: ("/" not in p[1].path, p[1].path, p[1].line))
            default = use.framework.provides["connection_pooling"].rstrip(".")
            return self.passed(
                [hit.evidence(repo)],
                f"Connection pool comes with {use.framework.name} ({hit.where}): {default}.",
            )
        # SQLite, DuckDB, LevelDB...: the engine is a library in the process reading a local
        # file; opening it is no network round trip and there is no server whose connections
        # could run out.
        embedded = _only_stores(knowledge, _EMBEDDED)
        if embedded:
            named = sorted({f"{u.framework.name} ({u.site.where})" for u in embedded})
            return self.not_applicable(
                f"Every database the code uses is embedded: {', '.join(named)} "
                f"{'runs' if len(named) == 1 else 'run'} inside the process on local files, with "
                "no database server to connect to, so there are no connections to pool."
            )
        result = super().check(repo, text, imports, python, knowledge, profile)
        if (
            result.outcome is Outcome.failed
            and "cli" in profile.kinds
            and not profile.holds("service|worker")
        ):
            # pgcli: an interactive client holding one connection for its session; a pool
            # shares connections among concurrent requests, which a command does not serve.
            db = profile.evidence("database")
            assert db is not None  # the profile's database condition holds
            return self.passed(
                [db.evidence(repo)],
                f"It is a command-line program, not a server: its database connection ({db.where}) "
                "serves one run, and there are no concurrent requests for a "
                "pool to share connections among.",
            )
        return result


# Caches used as caches: a call or setting that stores or serves a computed result again.
_CACHE_USE = (
    r"@(cache\.cached|cache\.memoize|cached)\b|cache_page\(|TTLCache\(|LRUCache\(|"
    r"diskcache\.|joblib\.Memory\(|requests_cache|\bsetex\(|\.set\([^)]*\b(ex|px)\s*=|"
    r"\bcache\.(set|get_or_set|set_many|add)\(|"
    r"new (DataLoader|LRUCache|LRU|NodeCache|QuickLRU|Keyv)\(|unstable_cache\(|"
    r"\brevalidate\s*[:=]\s*\d|cache:\s*['\"]force-cache|"
    r"[Cc]ache-[Cc]ontrol['\"]?\s*[,:]\s*['\"][^'\"]*(max-age=[1-9]|s-maxage|public)|"
    r"@Cacheable|@EnableCaching|Caffeine\.newBuilder|"
    # MyBatis's second-level cache in a mapper; Hibernate's; a browser-side query cache
    # (TanStack Query, SWR) that keeps API responses between renders.
    r"^\s*<cache(\s*/>|\s+(eviction|type|flushInterval|size|readOnly)\b)|"
    r"use_second_level_cache['\"]?\s*[=:>]\s*['\"]?true|new QueryClient\(|\buseSWR\(|"
    r"ristretto\.NewCache|bigcache\.New|groupcache\.|cache\.New\(|freecache\.|"
    r"moka::|#\[cached|lru::LruCache|^\s*(pub\s+)?\w+\s*:\s*(std::cell::|once_cell::\w+::)?OnceCell<"
)
# A memoised function that only reads configuration caches nothing expensive.
_CONFIG = re.compile(r"(?i)settings|config|credential|env")
_EXPENSIVE_CALLS = re.compile(
    r"^(requests|httpx|urllib|subprocess|boto3|open|json\.load|pickle|np\.load|torch\.load|"
    r"pd\.read_\w+)|\.(get|post|request|execute|query|fetch\w*|download\w*|read\w*|"
    r"urlopen|run|invoke|search|find\w*|scan)$"
)
_LOADS = ("json.load", "pickle.load", "np.load", "numpy.load", "torch.load", "open")
_SAVES = ("json.dump", "pickle.dump", "np.save", "numpy.save", "torch.save")
_DOWNLOADS = re.compile(
    r"(?i)download|urlretrieve|urlopen|requests\.get|snapshot_download|hf_hub_download|"
    r"torch\.hub|\.save$|\.dump$|savez?$|tofile$"
)


# Library downloads kept in a local cache and reused: torch.hub (~/.cache/torch/hub) and the
# Hugging Face hub (~/.cache/huggingface).
_CACHED_DOWNLOADS = (
    r"torch\.hub\.(load_state_dict_from_url|load|download_url_to_file)\(|"
    r"\bhf_hub_download\(|\bsnapshot_download\(|\.from_pretrained\("
)


class Caching(Probe):
    """Nothing is cached: every request recomputes or refetches."""

    id = "PERF002"
    category = Category.performance
    severity = Severity.low
    title = "No caching of expensive results"
    rationale = "Recomputing hot results on every request wastes latency and money."
    remediation = "Cache expensive, repeatable results (in-process LRU or a shared cache)."
    applies = "application"

    def check(
        self, repo: RepoView, text: TextSearch, python: PythonCode, profile: ProfileView
    ) -> CheckResult:
        found = text.grep(_CACHE_USE, (*CODE, "yaml", "json", "xml", "ini"), limit=1)
        if found:
            hit = found[0]
            return self.passed([hit.evidence(repo)], f"Caching: `{hit.text[:80]}` ({hit.where}).")
        memo, config = _memoised(python)
        if memo is not None:
            return self.passed(
                [memo.evidence(repo)],
                f"Expensive work is memoised: `{memo.text}` ({memo.where}).",
            )
        fetched = text.grep(_CACHED_DOWNLOADS, ("python",), limit=1, code_only=True)
        if fetched:
            hit = fetched[0]
            return self.passed(
                [hit.evidence(repo)],
                f"Downloads are cached on disk by the library that fetches them: `{hit.text}` "
                f"({hit.where}); torch.hub and the Hugging Face hub keep what they fetch and "
                "reuse it.",
            )
        disk = _disk_cache(python)
        if disk is not None:
            return self.passed(
                [disk.evidence(repo)],
                f"Results are kept on disk and reused: {disk.text} ({disk.where}).",
            )
        looked = [
            "cache libraries in use (Redis with expiry, Django/Flask caches, cachetools, "
            "lru-cache, DataLoader, Caffeine, moka...), memoised functions doing I/O or "
            "computation, HTTP cache headers and revalidation, results reused from disk"
        ]
        only = f" Only configuration is memoised ({config.where})." if config else ""
        if profile.holds("service"):
            server = profile.evidence("service")
            return self.failed(
                [server.evidence(repo)] if server else repo.anchor(),
                f"The service caches nothing: no cache, memoisation or HTTP caching of its "
                f"results was found.{only}",
                looked_at=looked,
                # Readers of sampled claims: "nothing expensive to cache" (a push gateway, a
                # CRUD API over an in-memory database). The probe finds no hot path either
                # way, so the fact stands and no gap is claimed from it.
                advisory="No repeated expensive work (a slow query or a remote call per "
                "request) was identified that a cache would save: whether caching pays off "
                "depends on load this reading cannot see.",
            )
        return self.cannot_determine(
            "No cache was found, and whether the program repeats expensive work that a cache "
            f"would save could not be told from the code.{only}",
            looked_at=looked,
        )


def _memoised(python: PythonCode) -> tuple[Hit | None, Hit | None]:
    """A functools cache on a function doing I/O or computation; else one on configuration."""
    config: Hit | None = None
    for path in sorted({c.path for c in python.calls()}):
        aliases = python.aliases(path)
        for func in python.nodes(path, ast.FunctionDef, ast.AsyncFunctionDef):
            names = [
                dotted(d.func if isinstance(d, ast.Call) else d, aliases)
                for d in func.decorator_list
            ]
            if not any(n.split(".")[-1] in ("lru_cache", "cache") for n in names):
                continue
            hit = Hit(path, func.lineno, f"@{names[0]} def {func.name}")
            body = ast.unparse(func)
            calls = [dotted(n.func, aliases) for n in ast.walk(func) if isinstance(n, ast.Call)]
            if _CONFIG.search(func.name) or re.search(r"Settings\(|os\.environ|getenv", body):
                config = config or hit
                continue
            loops = any(
                isinstance(n, ast.For | ast.While | ast.comprehension) for n in ast.walk(func)
            )
            if loops or any(_EXPENSIVE_CALLS.search(c) for c in calls if c):
                return hit, config
    return None, config


def _disk_cache(python: PythonCode) -> Hit | None:
    """A result saved to a cache file and loaded back, or fetched only when not yet on disk."""
    for path in sorted({c.path for c in python.calls()}):
        calls = [c for c in python.calls() if c.path == path]
        loads = [c for c in calls if c.name in _LOADS and _mentions_cache(c)]
        saves = [
            c
            for c in calls
            if (c.name in _SAVES or c.name == "open")
            and (_mentions_cache(c) or "cache" in (c.function or "").lower())
            and (c.name != "open" or _write_mode(c))
        ]
        if loads and saves:
            return Hit(
                path, saves[0].line, f"a cache file written at line {saves[0].line} and read back"
            )
        # `store_page_to_cache` writes a file that `load_page_from_cache` reads back (pathlib
        # style: `path.open("wb")`, `path.read_bytes()`).
        in_cache = [c for c in calls if "cache" in (c.function or "").lower()]
        writes = [c for c in in_cache if _file_io(c) == "write"]
        if writes and any(_file_io(c) == "read" for c in in_cache):
            return Hit(
                path, writes[0].line, f"a cache file written at line {writes[0].line} and read back"
            )
        for node in python.nodes(path, ast.If):
            negated = isinstance(node.test, ast.UnaryOp) and isinstance(node.test.op, ast.Not)
            probe = node.test.operand if isinstance(node.test, ast.UnaryOp) else node.test
            # The whole condition is the file check: `if not os.path.exists(p):`.
            if not isinstance(probe, ast.Call) or not re.fullmatch(
                r"os\.path\.(exists|isfile)|.+\.(exists|is_file)", dotted(probe.func, {}) or ""
            ):
                continue
            branch = node.body if negated else node.orelse
            inner = [n for stmt in branch for n in ast.walk(stmt) if isinstance(n, ast.Call)]
            if any(_DOWNLOADS.search(dotted(n.func, python.aliases(path)) or "") for n in inner):
                return Hit(
                    path, node.lineno, "a result fetched or computed only when not yet on disk"
                )
            early = not negated and any(isinstance(s, ast.Return | ast.Continue) for s in node.body)
            if early and re.search(r"(?i)download", _enclosing_name(python, path, node)):
                return Hit(path, node.lineno, "a download skipped when the file is already there")
    return None


def _file_io(call: PyCall) -> str:
    """ "read" or "write" for a file opened or read through pathlib or ``open``, else ""."""
    method = call.name.rsplit(".", 1)[-1]
    if method in ("write_bytes", "write_text"):
        return "write"
    if method in ("read_bytes", "read_text"):
        return "read"
    if method != "open":
        return ""
    args = call.node.args[1:] if call.name == "open" else call.node.args[:1]
    mode = args[0] if args else call.keyword("mode")
    text = mode.value if isinstance(mode, ast.Constant) and isinstance(mode.value, str) else "r"
    return "write" if any(m in text for m in "wax") else "read"


def _mentions_cache(call: PyCall) -> bool:
    return any("cache" in ast.unparse(a).lower() for a in call.node.args[:1])


def _write_mode(call: PyCall) -> bool:
    mode = call.node.args[1] if len(call.node.args) > 1 else call.keyword("mode")
    return isinstance(mode, ast.Constant) and "w" in str(mode.value)


def _enclosing_name(python: PythonCode, path: str, node: ast.AST) -> str:
    parents = python.parents(path)
    current: ast.AST | None = node
    while current is not None and not isinstance(current, ast.FunctionDef | ast.AsyncFunctionDef):
        current = parents.get(id(current))
    return current.name if isinstance(current, ast.FunctionDef | ast.AsyncFunctionDef) else ""


class HttpPerIteration(Probe):
    """HTTP requests are made in loops without a shared session (a new connection each time)."""

    id = "PERF003"
    category = Category.performance
    severity = Severity.low
    title = "HTTP calls in loops without connection reuse"
    rationale = "requests.get() in a loop opens a new TCP/TLS connection per iteration."
    remediation = "Use a requests.Session/httpx.Client created once and reused."

    def check(self, repo: RepoView, python: PythonCode) -> CheckResult:
        calls = [
            c
            for c in python.calls()
            if c.name in {f"requests.{v}" for v in _VERBS} | {f"httpx.{v}" for v in _VERBS}
        ]
        sessions = [
            c
            for c in python.calls()
            if c.name
            in (
                "requests.Session",
                "httpx.Client",
                "httpx.AsyncClient",
                "aiohttp.ClientSession",
                "requests.session",
            )
        ]
        if not calls and not sessions:
            return self.not_applicable("No Python HTTP client calls (requests/httpx).")
        looped = [c for c in calls if c.in_loop]
        if looped:
            return self.failed(
                [repo.evidence(c.path, c.line) for c in looped[:5]],
                f"{plural(len(looped), 'module-level HTTP call')} inside loops, first at "
                f"{looped[0].path}:{looped[0].line}.",
            )
        # resend-python's http_client_httpx.py: `async with httpx.AsyncClient(...)` inside
        # request(): no loop, but a new client (and connection) for every call.
        per_call = [
            c
            for c in sessions
            if _enclosing_name(python, c.path, c.node)
            not in ("", "__init__", "__new__", "main", "lifespan", "create_app", "setup", "startup")
        ]
        if per_call and len(per_call) == len(sessions):
            site = per_call[0]
            return self.passed(
                [repo.evidence(site.path, site.line)],
                f"No HTTP call sits inside a loop, but `{site.name}` is created inside "
                f"{_enclosing_name(python, site.path, site.node)}() ({site.path}:{site.line}): "
                "each call opens a new client, so connections are not reused between calls.",
                partial=True,
            )
        site = (sessions or calls)[0]
        return self.passed(
            [repo.evidence(site.path, site.line)],
            f"No HTTP call inside a loop ({plural(len(calls), 'request call')} read); "
            f"`{site.name}` at {site.path}:{site.line}.",
        )


class Benchmarks(Probe):
    """No benchmarks or performance tests exist."""

    id = "PERF004"
    category = Category.performance
    severity = Severity.low
    title = "No benchmarks or performance tests"
    rationale = "Without benchmarks, performance regressions ship unnoticed."
    remediation = "Add benchmarks for hot paths (pytest-benchmark, criterion, go test -bench)."

    def check(self, repo: RepoView, text: TextSearch, profile: ProfileView) -> CheckResult:
        pattern = (
            # criterion the Rust crate, not a loss function named `criterion`.
            r"^func Benchmark|criterion::|criterion_(group|main)!|^criterion\s*=\s*[\"{]|"
            r"#\[bench\]|benchmark\(|@Benchmark|"
            r"pytest_benchmark|k6 run|locust|tinybench|hyperfine|asv run|jmh|"
            r"^\[\[bench\]\]|^bench[\w-]*\s*:|\"bench[\w:-]*\"\s*:"
        )
        # A lockfile lists what other packages pull in: a benchmark library there is
        # nobody's benchmark.
        locks = {name for names in LOCKFILES.values() for name in names}
        hits = [
            h
            for h in text.grep(
                pattern, (*CODE, "toml", "json", "yaml", "makefile"), tests=None, code_only=True
            )
            if PurePosixPath(h.path).name.lower() not in locks
        ]
        benches = [
            f.path
            for f in repo.files
            if repo.in_scope(f.path)
            and (
                f.role == "bench"
                or "/benches/" in f"/{f.path}"
                or "/benchmarks/" in f"/{f.path}"
                or "/bench/" in f"/{f.path}"
                # scripts/benchmark-basic, bench.sh, run_benchmarks.py: named for what they do
                or (
                    re.search(r"(^|[_.-])bench(mark)?s?([_.-]|$)", PurePosixPath(f.path).stem)
                    is not None
                    and f.language not in ("markdown", "rst", "text")
                )
            )
        ]
        if hits:
            return self.passed([hits[0].evidence(repo)], f"Benchmark: `{hits[0].text}`.")
        if benches:
            return self.passed([repo.evidence(benches[0], 1)], f"Benchmarks in {benches[0]}.")
        plans = [f.path for f in repo.files if repo.in_scope(f.path) and f.path.endswith(".jmx")]
        if plans:
            return self.passed([repo.evidence(plans[0], 1)], f"JMeter load-test plan {plans[0]}.")
        first = readme(repo)
        for section in sections(repo, first) if first else []:
            if _BENCH_HEADING.search(section.title) and prose(section.body(repo)) >= 150:
                return self.passed(
                    [repo.evidence(section.path, section.line, section.end)],
                    f"{section.path}:{section.line} reports benchmarks ({section.title!r}); the "
                    "code that runs them is not in the repository.",
                    partial=True,
                )
        # A client of a remote API and nothing else: the time its calls take is the API's
        # and the network's, with no hot path of its own to measure.
        kinds = set(profile.kinds)
        client = "sdk" in kinds and kinds <= {"sdk", "library"}
        return self.failed(
            repo.anchor(),
            "No benchmark or load-test code was found.",
            looked_at=[
                "benchmark functions and harnesses (go test -bench, criterion, "
                "pytest-benchmark, JMH, k6, locust, hyperfine), bench folders, JMeter plans, "
                "a Benchmarks section of the README"
            ],
            advisory=(
                "Not a gap in a client library for a remote API: the latency of its calls is "
                "the remote API's and the network's, and the client does no computation of its "
                "own worth benchmarking."
                if client
                else ""
            ),
        )


_BENCH_HEADING = re.compile(r"(?i)^(benchmarks?|performance( comparison)?)$")


_BLOCKING = (
    "time.sleep",
    "requests.get",
    "requests.post",
    "requests.put",
    "requests.patch",
    "requests.delete",
    "requests.head",
    "requests.request",
    "urllib.request.urlopen",
    "urllib.request.urlretrieve",
    "subprocess.run",
    "subprocess.check_output",
    "subprocess.check_call",
    "subprocess.call",
    "socket.create_connection",
    # CPU-bound password hashing holds the loop for tens to hundreds of milliseconds.
    "bcrypt.hashpw",
    "bcrypt.checkpw",
    "bcrypt.kdf",
    "hashlib.pbkdf2_hmac",
    "hashlib.scrypt",
    # Synchronous database drivers.
    "psycopg2.connect",
    "pymysql.connect",
    "MySQLdb.connect",
    "sqlite3.connect",
    # Synchronous downloads.
    "nltk.download",
)
# Objects whose methods block: a passlib/argon2 hasher, a requests session.
_BLOCKING_OBJECTS = {
    "passlib.context.CryptContext": ("hash", "verify", "encrypt", "verify_and_update"),
    "argon2.PasswordHasher": ("hash", "verify"),
    "requests.Session": ("get", "post", "put", "patch", "delete", "head", "request"),
    # newspaper fetches with requests and parses synchronously.
    "newspaper.Article": ("download", "parse", "nlp"),
}
# Names too common to follow from a call to a product function of the same name.
_GENERIC = frozenset(
    {
        *("get", "post", "put", "patch", "delete", "head", "request", "save", "run", "call"),
        *("execute", "update", "create", "fetch", "send", "close", "open", "read", "write"),
        *("load", "dump", "main", "handle", "process", "apply", "start", "stop", "init"),
        "setup",
    }
)
# Sync calls that only stat a file: too cheap to stall a loop.
_CHEAP_SYNC = ("existsSync",)
_JS_FUNCTIONS = (
    "function_declaration",
    "method_definition",
    "arrow_function",
    "function_expression",
    "function",
    "generator_function_declaration",
)
_RUST_BLOCKING = re.compile(
    r"std::thread::sleep|\bthread::sleep\(|std::fs::\w+|reqwest::blocking|\.block_on\(|"
    r"std::io::stdin\(\)"
)


class BlockingInAsync(Probe):
    """Blocking calls run inside async functions and stall the event loop."""

    id = "PERF005"
    category = Category.performance
    severity = Severity.medium
    title = "Blocking calls inside async code"
    rationale = "One blocking call in an async handler freezes every concurrent request."
    remediation = "Use async clients (httpx.AsyncClient, asyncio.sleep) or run_in_executor."
    applies = "async"

    def check(
        self, repo: RepoView, python: PythonCode, syntax: SyntaxTrees, text: TextSearch
    ) -> CheckResult:
        found: list[tuple[Hit, str]] = []
        places = 0
        py_async = [c for c in python.calls() if c.in_async]
        if py_async:
            places += len({(c.path, c.function) for c in py_async})
            found += _python_blocking(python, py_async)
        js_places, js_found = _js_blocking(repo, syntax)
        places += js_places
        found += js_found
        rust_places, rust_found = _rust_blocking(repo, syntax, text)
        places += rust_places
        found += rust_found
        if not places:
            return self.not_applicable("No async functions in product code.")
        if found:
            hit, why = found[0]
            return self.failed(
                [h.evidence(repo) for h, _ in found[:5]],
                f"{plural(len(found), 'blocking call')} in async code, first at {hit.where}: "
                f"{why}.",
            )
        return self.passed(
            [],
            f"No blocking call (sync HTTP, sleep, subprocess, sync file or database access, "
            f"password hashing) in {plural(places, 'async function')}.",
        )


def _python_blocking(python: PythonCode, async_calls: list[PyCall]) -> list[tuple[Hit, str]]:
    """Blocking calls in async functions, directly or through product functions they call."""
    objects = _blocking_objects(python)
    blocking_functions = _blocking_functions(python, objects)
    found: list[tuple[Hit, str]] = []
    for c in async_calls:
        if _deferred(python, c) or _awaited(python, c):
            continue
        why = _blocks(c, objects)
        if why is None:
            target = blocking_functions.get(_callee_name(c))
            if target is not None:
                why = f"{c.name}() {target}"
        if why is not None:
            found.append((Hit(c.path, c.line, c.name), f"{why} in async {c.function}()"))
    return found


def _blocks(call: PyCall, objects: dict[str, tuple[str, ...]]) -> str | None:
    if call.name in _BLOCKING:
        return f"`{call.name}` blocks"
    head, _, last = call.name.rpartition(".")
    methods = objects.get(head) or objects.get(f"{call.path}::{head}")
    if methods and last in methods:
        return f"`{call.name}` blocks"
    return None


def _blocking_objects(python: PythonCode) -> dict[str, tuple[str, ...]]:
    """Module-level names bound to objects whose methods block (``pwd_context``)."""
    found: dict[str, tuple[str, ...]] = {}
    for c in python.calls():
        methods = _BLOCKING_OBJECTS.get(c.name)
        if methods is None:
            continue
        parent = python.parents(c.path).get(id(c.node))
        if isinstance(parent, ast.Assign):
            for target in parent.targets:
                if isinstance(target, ast.Attribute):
                    # `self.session = requests.Session()` names this file's attribute only:
                    # tweepy's async streaming keeps an aiohttp session in self.session too.
                    found[f"{c.path}::{ast.unparse(target)}"] = methods
                    continue
                found[ast.unparse(target)] = methods
                if isinstance(target, ast.Name):
                    module = c.path.removesuffix(".py").replace("/", ".")
                    found[f"{module}.{target.id}"] = methods
    return found


def _blocking_functions(python: PythonCode, objects: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Product functions (sync, uniquely named) that block, directly or through another."""
    defined: dict[str, list[str]] = {}
    sync_calls: dict[str, list[PyCall]] = {}
    for c in python.calls():
        if c.function and not c.in_async:
            sync_calls.setdefault(c.function, []).append(c)
    for path in sorted({c.path for c in python.calls()}):
        for node in python.nodes(path, ast.FunctionDef, ast.AsyncFunctionDef):
            defined.setdefault(node.name, []).append(path)
    unique = {
        name
        for name, paths in defined.items()
        if len(paths) == 1 and name not in _GENERIC and not name.startswith("__")
    }
    blocking: dict[str, str] = {}
    for name in unique:
        for c in sync_calls.get(name, []):
            why = _blocks(c, objects)
            if why is not None and not _deferred(python, c):
                blocking[name] = f"calls `{c.name}` ({c.path}:{c.line})"
                break
    for _ in range(3):
        for name in unique - set(blocking):
            for c in sync_calls.get(name, []):
                callee = _callee_name(c)
                if callee in blocking and callee != name:
                    blocking[name] = f"calls {callee}(), which {blocking[callee].split(' (')[0]}"
                    break
    return blocking


def _callee_name(call: PyCall) -> str:
    return call.name.rpartition(".")[2] if call.name else ""


def _deferred(python: PythonCode, call: PyCall) -> bool:
    """Inside a lambda (handed to run_in_executor/to_thread, run later off the loop)."""
    parents = python.parents(call.path)
    node: ast.AST | None = parents.get(id(call.node))
    while node is not None and not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        if isinstance(node, ast.Lambda):
            return True
        if isinstance(node, ast.Call) and dotted(node.func, {}).endswith(
            ("run_in_executor", "to_thread", "run_sync", "run_in_threadpool")
        ):
            return True
        node = parents.get(id(node))
    return False


def _awaited(python: PythonCode, call: PyCall) -> bool:
    return isinstance(python.parents(call.path).get(id(call.node)), ast.Await)


def _js_blocking(repo: RepoView, syntax: SyntaxTrees) -> tuple[int, list[tuple[Hit, str]]]:
    """Async JS/TS functions, and the synchronous Node calls (``*Sync``) they make."""
    places = 0
    found: list[tuple[Hit, str]] = []
    for f in repo.code_files("javascript", "typescript"):
        source = repo.text(f.path)
        if "async" not in source:
            continue
        # A one-shot command-line script blocks nothing but itself.
        if "/bin/" in f"/{f.path}" or source.startswith("#!"):
            continue
        root = syntax.root(f.path)
        if root is None:
            continue
        # better-sqlite3 runs every statement synchronously on the calling thread.
        sqlite_sync = "better-sqlite3" in source
        functions = _find_kinds(root, _JS_FUNCTIONS)
        # Sync helpers of this file that block (ghostfolio's `hashApiKey` runs pbkdf2Sync
        # with 100,000 iterations): an async function calling one blocks as well.
        helpers = {
            name: blocking[0]
            for fn in functions
            if not _JS_ASYNC.match(fn.text())
            and (name := _js_function_name(fn))
            and (blocking := _js_sync_calls(fn, sqlite_sync))
        }
        for fn in functions:
            if not _JS_ASYNC.match(fn.text()):
                continue
            places += 1
            for call, name in _js_sync_calls(fn, sqlite_sync, helpers):
                line = call.range().start.line + 1
                why = f"`{name}` blocks the event loop inside an async function"
                helper = name.removeprefix("this.")
                if helper in helpers:
                    why = (
                        f"`{name}` calls `{helpers[helper][1]}`, which blocks the event loop "
                        "inside an async function"
                    )
                found.append((Hit(f.path, line, repo.shown(f.path, line).strip()), why))
    return places, found


_JS_ASYNC = re.compile(
    r"\s*(export\s+)?(default\s+)?(static\s+)?((private|public|protected)\s+)?async\b"
)


def _js_function_name(fn: Any) -> str:
    """The name a function declaration or class method is called by ('' for anonymous)."""
    if fn.kind() in ("function_declaration", "method_definition"):
        name = fn.field("name")
        return str(name.text()) if name is not None else ""
    return ""


def _js_sync_calls(
    fn: Any, sqlite_sync: bool, helpers: dict[str, Any] | None = None
) -> list[tuple[Any, str]]:
    """The blocking calls ``fn`` makes itself (not in a nested function): ``*Sync`` Node
    calls, Atomics.wait, better-sqlite3 statements, and calls of blocking ``helpers``."""
    found = []
    for call in fn.find_all(kind="call_expression"):
        callee = call.field("function")
        if callee is None:
            continue
        name = callee.text()
        last = name.rpartition(".")[2]
        sync_sql = sqlite_sync and last in ("prepare", "exec", "pragma", "transaction")
        helper = bool(helpers) and name.removeprefix("this.") in (helpers or {})
        if not (re.fullmatch(r"\w+Sync", last) or name == "Atomics.wait" or sync_sql or helper):
            continue
        if last in _CHEAP_SYNC:
            continue
        owner = next((a for a in call.ancestors() if a.kind() in _JS_FUNCTIONS), None)
        if owner is None or owner.range().start.index != fn.range().start.index:
            continue  # inside a nested (sync) callback: reported with its own function
        found.append((call, name))
    return found


def _find_kinds(root: Any, kinds: tuple[str, ...]) -> list[Any]:
    """Nodes of any of ``kinds`` (a kind the file's grammar lacks is skipped)."""
    found = []
    for kind in kinds:
        try:
            found += root.find_all(kind=kind)
        except (RuntimeError, ValueError):
            continue
    return found


def _rust_blocking(
    repo: RepoView, syntax: SyntaxTrees, text: TextSearch
) -> tuple[int, list[tuple[Hit, str]]]:
    """Async Rust functions, and the blocking std calls they make."""
    places = 0
    found: list[tuple[Hit, str]] = []
    for match in syntax.find(languages=("rust",), kind="function_item"):
        head = match.text.split("{", 1)[0]
        if not re.search(r"\basync\s+(unsafe\s+)?fn\b", head):
            continue
        if match.line in text.rust_test_lines(match.path):
            continue
        places += 1
        for number, line in enumerate(match.text.splitlines(), match.line):
            code = line.split("//", 1)[0]
            blocking = _RUST_BLOCKING.search(code)
            if blocking and "spawn_blocking" not in code:
                found.append(
                    (
                        Hit(match.path, number, repo.shown(match.path, number).strip()),
                        f"`{blocking.group(0)}` blocks the runtime's thread in an async fn",
                    )
                )
    return places, found


# An index defined among a table's columns: `KEY idx (col)`, `UNIQUE KEY idx (a, b)`,
# `INDEX (col)`, `FULLTEXT KEY ...`, `CONSTRAINT uq UNIQUE (col)`. A PRIMARY or FOREIGN KEY
# starts with another word and is not counted.
_INLINE_INDEX = (
    r"^\s*(CONSTRAINT\s+[`\"\w]+\s+)?"
    r"(((UNIQUE|FULLTEXT|SPATIAL)\s+)?(KEY|INDEX)\b|UNIQUE\b)"
    r"(\s+(?!USING\b)[`\"\w]+)?(\s+USING\s+\w+)?\s*\("
)


class DatabaseIndexes(Probe):
    """No database indexes are declared."""

    id = "PERF006"
    category = Category.performance
    severity = Severity.low
    title = "No database indexes declared"
    rationale = "Queries without indexes scan whole tables and slow down as data grows."
    remediation = "Index the columns used in lookups, joins and ordering."

    applies = "database"

    def check(
        self, repo: RepoView, text: TextSearch, profile: ProfileView, knowledge: Knowledge
    ) -> CheckResult:
        db = profile.evidence("database")
        assert db is not None  # the profile's database condition holds
        pattern = (
            r"(?i:create (unique )?index)|index=True|db_index=True|@Index\b|"
            # An ORM's Index(...), not Go's strings.Index (a position) or a class Index.
            # Nor a React page component, `export default function Index()`.
            r"(?<!class )(?<!function )(?<!strings\.)(?<!bytes\.)(?<!slices\.)(?<!sort\.)\bIndex\(|"
            # Drizzle: index("user_email_idx").on(t.email), uniqueIndex(...).on(...).
            r"\b(index|uniqueIndex)\(\s*['\"][\w-]+['\"]\s*\)\s*\.on\(|"
            r"add_index|createIndex|create_index|@@index|indexes\s*=|unique=True|"
            r"#\[index\]|\.index\(\[|\bIndex::create\(\)|"
            # ORM-declared indexes: gorm struct tags, JPA, Prisma, Mongoose/Sequelize options.
            r"gorm:\"[^\"]*\b(index|unique_index|uniqueIndex|unique)\b|"
            r"@Table\([^)]*\bindexes\s*=|@Column\([^)]*\bunique\s*=\s*true|@@unique\b|"
            r"@unique\b|\b(index|unique):\s*true\b|\bindexes:\s*\[|ensureIndex\("
        )
        # Product DB code only: a test's `class Index(View)` declares no index.
        hits: list[Hit] = text.grep(pattern, (*CODE, "sql", "text"), limit=1)
        # An index defined inside CREATE TABLE (MySQL's `KEY idx (col)`, `UNIQUE KEY ...`):
        # in schema files in any case, in SQL kept in code only as written in capitals.
        hits = hits or text.grep(f"(?i:{_INLINE_INDEX})", ("sql",), limit=1)
        hits = hits or text.grep(_INLINE_INDEX, CODE, limit=1)
        if hits:
            return self.passed([hits[0].evidence(repo)], f"Index declared: `{hits[0].text}`.")
        catalogue = None if migration_files(repo) else profile.foreign_database()
        if catalogue is not None:
            return self.not_applicable(foreign_schema(repo, db.where, catalogue))
        # Redis, Memcached, a broker, LevelDB...: values found by their keys, with no tables or
        # collections declared, unless the code creates tables through something else too.
        kv = _only_stores(knowledge, _KEY_VALUE)
        tables = text.grep(r"(?i)^\s*create\s+table\b", ("sql",), limit=1) or text.grep(
            r"\bCREATE TABLE\b", CODE, limit=1
        )
        if kv and not tables:
            stores = ", ".join(sorted({u.framework.datastore for u in kv}))
            return self.not_applicable(
                f"The only datastores ({stores}, e.g. {kv[0].site.where}) keep keys and values "
                "without a declared schema: there are no tables or collections to index."
            )
        return self.failed(
            [db.evidence(repo)], f"The code uses a database ({db.where}) but declares no index."
        )
