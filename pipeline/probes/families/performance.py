"""Performance probes: pooling, caching, per-iteration connections, blocking async, benchmarks."""

from __future__ import annotations

from pipeline.probes.base import Hit, Probe, plural
from pipeline.probes.shapes import CapabilityProbe
from pipeline.probes.views.imports import Imports
from pipeline.probes.views.knowledge import Knowledge
from pipeline.probes.views.profile import ProfileView
from pipeline.probes.views.python import PythonCode
from pipeline.probes.views.repo import RepoView
from pipeline.probes.views.search import CODE, TextSearch
from pipeline.schemas import Category, CheckResult, Severity

_VERBS = ("get", "post", "put", "patch", "delete", "head", "request")
_SQL_STORES = frozenset({"sql", "postgresql", "mysql", "sqlite"})


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
        r"create_engine\(|create_async_engine\(|CONN_MAX_AGE|MongoClient\(|sql\.Open\(|"
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
                "request, and nothing sets it or a pool.",
                looked_at=[
                    "CONN_MAX_AGE and OPTIONS 'pool' in the settings, other pooled database clients"
                ],
            )
        if pools:
            use, hit = pools[0]
            default = use.framework.provides["connection_pooling"].rstrip(".")
            return self.passed(
                [hit.evidence(repo)],
                f"Connection pool comes with {use.framework.name} ({hit.where}): {default}.",
            )
        return super().check(repo, text, imports, python, knowledge, profile)


class Caching(CapabilityProbe):
    """Nothing is cached: every request recomputes or refetches."""

    id = "PERF002"
    category = Category.performance
    severity = Severity.low
    title = "No caching of expensive results"
    rationale = "Recomputing hot results on every request wastes latency and money."
    remediation = "Cache expensive, repeatable results (in-process LRU or a shared cache)."
    applies = "service"
    what = "caching"
    modules = (
        "cachetools",
        "diskcache",
        "redis",
        "aiocache",
        "django.core.cache",
        "flask_caching",
        "fastapi_cache",
        "node-cache",
        "lru-cache",
        "ioredis",
        "github.com/golang/groupcache",
        "github.com/dgraph-io/ristretto",
        "github.com/redis/go-redis",
        "github.com/go-redis/redis",
        "moka",
        "cached",
        "lru",
        "com.github.benmanes.caffeine",
        "org.springframework.cache",
    )
    pattern = r"@(functools\.)?(lru_cache|cache|cached_property)\b|@Cacheable|Cache-Control"


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
        site = (sessions or calls)[0]
        return self.passed(
            [repo.evidence(site.path, site.line)],
            f"No per-iteration HTTP connections; `{site.name}` at {site.path}:{site.line}.",
        )


class Benchmarks(Probe):
    """No benchmarks or performance tests exist."""

    id = "PERF004"
    category = Category.performance
    severity = Severity.low
    title = "No benchmarks or performance tests"
    rationale = "Without benchmarks, performance regressions ship unnoticed."
    remediation = "Add benchmarks for hot paths (pytest-benchmark, criterion, go test -bench)."

    def check(self, repo: RepoView, text: TextSearch) -> CheckResult:
        pattern = (
            r"^func Benchmark|criterion|#\[bench\]|benchmark\(|@Benchmark|"
            r"pytest_benchmark|k6 run|locust|tinybench|hyperfine|asv run|jmh|"
            r"^\[\[bench\]\]|^bench[\w-]*\s*:|\"bench[\w:-]*\"\s*:"
        )
        hits = text.grep(
            pattern,
            (*CODE, "toml", "json", "yaml", "makefile"),
            tests=None,
            limit=1,
            code_only=True,
        )
        benches = [
            f.path
            for f in repo.files
            if repo.in_scope(f.path)
            and (
                f.role == "bench"
                or "/benches/" in f"/{f.path}"
                or "/benchmarks/" in f"/{f.path}"
                or "/bench/" in f"/{f.path}"
            )
        ]
        if hits:
            return self.passed([hits[0].evidence(repo)], f"Benchmark: `{hits[0].text}`.")
        if benches:
            return self.passed([repo.evidence(benches[0], 1)], f"Benchmarks in {benches[0]}.")
        return self.failed(repo.anchor(), "No benchmark or load-test code was found.")


_BLOCKING = (
    "time.sleep",
    "requests.get",
    "requests.post",
    "requests.put",
    "requests.delete",
    "requests.request",
    "urllib.request.urlopen",
    "subprocess.run",
    "subprocess.check_output",
    "subprocess.call",
    "socket.create_connection",
)


class BlockingInAsync(Probe):
    """Blocking calls run inside async functions and stall the event loop."""

    id = "PERF005"
    category = Category.performance
    severity = Severity.medium
    title = "Blocking calls inside async code"
    rationale = "One blocking call in an async handler freezes every concurrent request."
    remediation = "Use async clients (httpx.AsyncClient, asyncio.sleep) or run_in_executor."

    def check(self, repo: RepoView, python: PythonCode) -> CheckResult:
        calls = python.calls()
        async_calls = [c for c in calls if c.in_async]
        if not async_calls:
            return self.not_applicable("No async Python functions.")
        blocking = [c for c in async_calls if c.name in _BLOCKING]
        if blocking:
            return self.failed(
                [repo.evidence(c.path, c.line) for c in blocking[:5]],
                f"`{blocking[0].name}` blocks the event loop in async "
                f"{blocking[0].function}() ({blocking[0].path}:{blocking[0].line}).",
            )
        return self.passed(
            [repo.evidence(async_calls[0].path, async_calls[0].line)],
            f"No blocking calls among {len(async_calls)} calls in async functions.",
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

    def check(self, repo: RepoView, text: TextSearch, profile: ProfileView) -> CheckResult:
        db = profile.evidence("database")
        assert db is not None  # the profile's database condition holds
        pattern = (
            r"(?i:create (unique )?index)|index=True|db_index=True|(?<!class )\bIndex\(|@Index\b|"
            r"add_index|createIndex|create_index|@@index|indexes\s*=|unique=True|"
            r"#\[index\]|\.index\(\["
        )
        # Product DB code only: a test's `class Index(View)` declares no index.
        hits: list[Hit] = text.grep(pattern, (*CODE, "sql", "text"), limit=1)
        if hits:
            return self.passed([hits[0].evidence(repo)], f"Index declared: `{hits[0].text}`.")
        return self.failed(
            [db.evidence(repo)], f"The code uses a database ({db.where}) but declares no index."
        )
