"""Data probes: migrations, reversibility, backups, transactions, persisted volumes."""

from __future__ import annotations

import ast
import re
from pathlib import PurePosixPath

from pipeline.probes.base import Hit, Probe, plural
from pipeline.probes.families.reliability import in_memory_only, state_writes
from pipeline.probes.shapes import CapabilityProbe
from pipeline.probes.views.containers import Containers
from pipeline.probes.views.datafiles import DataFiles
from pipeline.probes.views.imports import Imports
from pipeline.probes.views.knowledge import Knowledge
from pipeline.probes.views.profile import ProfileView
from pipeline.probes.views.python import PythonCode
from pipeline.probes.views.repo import RepoView
from pipeline.probes.views.search import CODE, TextSearch
from pipeline.probes.views.syntax import SyntaxTrees
from pipeline.schemas import Category, CheckResult, Severity

_MIGRATION_DIR = re.compile(
    # A tool's or an era's prefix counts too: uptime-kuma's db/knex_migrations/.
    r"(^|/)(([\w-]+[_-])?migrations?|alembic|db/migrate|db/migration|changelogs?|liquibase|"
    r"schema_migrations|migrate)(/|$)",
    re.I,
)


# What code in a migrations folder does when it changes a database schema: DDL, a migration
# framework's operations, or running statements. Code in a `migrate/` folder that does none of
# this (converting an old configuration file, say) migrates something else.
_SCHEMA_CODE = re.compile(
    r"(?i)\b(create|alter|drop|rename)\s+(table|index|column|view|schema|type)\b|"
    r"\b(create|add|drop|alter|rename|remove)_?(table|column|index|field|model)\b|"
    r"\bmigrations?\.\w|\bMigration\b|\bSchema\b|\b(op|knex|queryInterface|migrator)\.\w+\(|"
    r"\bexec(ute)?(context)?\s*\(|\bAutoMigrate\b|\b(up|down)\s*\(|"
    # sea-query's schema builders (lldap's sql_migrations.rs: Table::create(), Index::create()).
    r"\b(Table|Index)::(create|alter|drop)\(\)"
)


def migration_files(repo: RepoView) -> list[str]:
    """Schema migration files (Alembic, Django, Flyway, golang-migrate, Prisma, Diesel, ...)."""

    def compute() -> list[str]:
        return sorted(
            f.path
            for f in repo.files
            if repo.applies(f.path)
            and not f.is_test
            and _MIGRATION_DIR.search(str(PurePosixPath(f.path).parent) + "/")
            # Liquibase changelogs are XML as often as YAML (JHipster's config/liquibase/).
            and f.language in (*CODE, "sql", "yaml", "json", "xml", "text")
            and not f.path.endswith("__init__.py")
            and (f.language not in CODE or _SCHEMA_CODE.search(repo.text(f.path)))
        )

    return repo.memo("migrations", compute)


# A migration file named for its place in a sequence: 0001_init.py, V2__add.sql,
# 20240101120000_create.sql, 000003_x.up.sql.
_VERSIONED = re.compile(r"^([Vv]?\d+[_.\-]|\d{8,})")
# Layouts that only a migration tool produces, whose tool keeps the applied versions: Alembic,
# golang-migrate/dbmate (.up.sql), Flyway (V1__x.sql), Rails, Prisma, Django, Diesel.
_TOOL_LAYOUT = re.compile(
    r"(^|/)alembic/versions/|\.up\.sql$|(^|/)V\d+__\w+\.sql$|(^|/)db/migrate/\d+_|"
    r"(^|/)prisma/migrations/|(^|/)migrations/\d{4}_\w+\.py$|(^|/)migrations/\d{4}-\d{2}-\d{2}|"
    r"(^|/)supabase/migrations/\d{14}_[\w.-]+\.sql$|"
    # Aerich (Tortoise ORM): migrations/<app>/<n>_<timestamp>_<name>.py
    r"(^|/)migrations/\w+/\d+_\d{14}_\w+\.py$"
)
# Stores without a schema to migrate: documents and keys take any shape the code gives them
# (the embedded key-value engines too: LevelDB, RocksDB, Bolt, Badger, LMDB...).
_SCHEMALESS = frozenset(
    {"mongodb", "redis", "firestore", "memcached", "dynamodb", "couchdb", "etcd", "datastore"}
    | {"leveldb", "rocksdb", "bolt", "badger", "buntdb", "lmdb", "sled", "redb"}
)
# Where hand-rolled schemes keep the applied version.
# writefreely's `appmigrations`: a table of applied versions by any name ending so.
_VERSION_TABLE = (
    r"schema_?migrations|schema_?versions?|migration_?history|user_version|alembic_version|"
    r"\b[a-z]+migrations\b"
)
# An ordered table of migration steps in code: ntfy's `migrations = map[int]func(db *sql.DB)
# error{0: migrateFrom0, ...}` in server/message_cache.go, not a file named for migrations.
_MIGRATION_STEPS = re.compile(
    r"\bmigrations\s*:?=\s*(map\[int\]|\[\]func\b|\[\]\*?\w*[Mm]igration\b)"
)
# A table of applied migrations by a plainer name: `CREATE TABLE IF NOT EXISTS migrations
# (name TEXT PRIMARY KEY)`, then `INSERT INTO migrations` as each file runs.
_APPLIED_TABLE = (
    r"(?i)\b(create\s+table\s+(if\s+not\s+exists\s+)?|insert\s+into\s+|from\s+)"
    r"[`\"']?(\w+_)?migrations[`\"']?(\s*\(|\s|$)"
)


_MIGRATIONS_MODULE = re.compile(r"(?i)(^|[/_.-])migrat(e|ions?|or)[\w-]*\.\w+$")


def _migrations_in_code(repo: RepoView, text: TextSearch) -> tuple[str, Hit] | None:
    """A hand-rolled migrator: a product module named for migrations that changes the schema
    (``internal/database/migrations.go``, an ordered list of functions running DDL), and code
    that reads or writes the applied version (``SELECT version FROM schema_version``)."""
    version_reads = text.grep(
        rf"(?i)\b(select\b.*\bfrom|insert\s+into|update)\s+[`\"']?({_VERSION_TABLE})\b", CODE
    )
    modules = [
        f.path
        for f in repo.code_files(*CODE)
        if (
            _MIGRATIONS_MODULE.search(f.path)
            or _MIGRATION_STEPS.search(repo.text(f.path))
            # mcfly's history/schema.rs: `select max(version) FROM schema_versions`, then
            # `if current_version < N` steps that alter the tables.
            or any(h.path == f.path for h in version_reads)
        )
        and _SCHEMA_CODE.search(repo.text(f.path))
    ]
    if not modules:
        return None
    tables = (
        text.grep(
            rf"(?i)\b(select\b.*\bfrom|insert\s+into|update|truncate)\s+[`\"']?({_VERSION_TABLE})\b|"
            r"pragma\s+user_version|"
            # sqlite-utils' table API: `db["_llm_migrations"].insert({"name": ...})` (simonw/llm).
            rf"\[\s*[\"'](\w*_)?({_VERSION_TABLE}|migrations)[\"']\s*\]\.(insert|rows|upsert)\b",
            CODE,
            limit=1,
        )
        or [
            # PlayEdu's MigrationCheck.java: each step's DDL, then `migrationService.store(name)`
            # into the `migrations` table it creates first (CREATE TABLE `migrations`).
            hit
            for hit in text.grep(_APPLIED_TABLE, CODE)
            if hit.path in modules
        ][:1]
        or [
            # lldap's sql_migrations.rs: `get_schema_version(pool)` reads the applied version
            # through a query builder, then each upgrade step sets the next.
            hit
            for hit in text.grep(
                r"(?i)\b(get|set|update|read|write|store)_?schema_?version\b", CODE
            )
            if hit.path in modules
        ][:1]
    )
    return (modules[0], tables[0]) if tables else None


def _only_version_tables(line: str) -> bool:
    """Every table the line creates is a migrator's table of applied versions."""
    names = re.findall(r"(?i)create\s+table\s+(?:if\s+not\s+exists\s+)?[`\"']?(\w+)", line)
    return bool(names) and all(
        re.fullmatch(rf"(?i){_VERSION_TABLE}|(\w+_)?migrations", n) for n in names
    )


def _django_migrate_run(text: TextSearch) -> Hit | None | bool:
    """For a Django project whose apps define no model of their own (its schema is Django's
    apps': auth, sessions, admin, whose migrations ship with Django), the `manage.py migrate`
    that applies them, or True when none is found. False when the project has models."""
    if text.grep(r"^\s*class\s+\w+\(\s*(\w+\.)*Model\s*\)", ("python",), limit=1):
        return False
    run = text.grep(
        r"(manage\.py|django-admin)\s+migrate\b",
        ("shell", "dockerfile", "yaml", "text", "makefile", "toml", "json"),
        limit=1,
    )
    return run[0] if run else True


def foreign_schema(repo: RepoView, where: str, catalogue: Hit) -> str:
    """Why a database's schema questions do not apply to a client of its users' databases."""
    files = len(repo.code_files(*CODE)) + len(repo.code_files("sql"))
    return (
        f"The product defines no table of its own: no CREATE TABLE, ORM model or entity, "
        f"schema file or migration folder in {plural(files, 'product file')}. It reads the "
        f"catalogue of the database it is pointed at ({catalogue.where}): the database it "
        f"connects to ({where}) is one its users bring, whose schema it does not own."
    )


class Migrations(Probe):
    """The database schema has no versioned migrations."""

    id = "DATA001"
    category = Category.data
    severity = Severity.high
    title = "No database schema migrations"
    rationale = (
        "Schema changes applied by hand drift between environments and cannot be rolled back."
    )
    remediation = "Manage the schema with a migration tool (Alembic, Flyway, golang-migrate, ...)."
    applies = "database"

    def check(
        self, repo: RepoView, text: TextSearch, profile: ProfileView, knowledge: Knowledge
    ) -> CheckResult:
        db = profile.evidence("database")
        assert db is not None  # the profile's database condition holds
        files = migration_files(repo)
        clients = knowledge.using(capability="database_client")
        stores = {use.framework.datastore or use.framework.id for use in clients}
        # A schema store whose code only tests construct (an alternative adapter kept beside
        # the production one) is not the store the product runs on.
        idle: dict[str, str] = {}
        for use in clients:
            if use.framework.datastore in _SCHEMALESS:
                continue
            site = _only_tests_reach(repo, knowledge.imports.importers(*use.framework.imports))
            if site:
                idle[use.framework.id] = site
        live = [use for use in clients if use.framework.id not in idle]
        live_stores = {use.framework.datastore or use.framework.id for use in live}
        if not files and stores and stores <= _SCHEMALESS:
            return self.not_applicable(
                f"The only datastores ({', '.join(sorted(stores))}, e.g. {db.where}) keep "
                "documents or keys without a database schema, so there is no schema to migrate."
            )
        if not files and live_stores and live_stores <= _SCHEMALESS:
            where = next(iter(idle.values()))
            return self.not_applicable(
                f"The datastores the product runs on ({', '.join(sorted(live_stores))}, e.g. "
                f"{live[0].site.where}) keep documents without a database schema; the SQL code "
                f"({where}) is constructed only by tests, so there is no schema in use to migrate."
            )
        # The store with a schema is the one whose migrations are asked for.
        db = next((u.site for u in clients if u.framework.datastore not in _SCHEMALESS), db)
        django = not files and any(u.framework.id == "django" for u in clients)
        run = _django_migrate_run(text) if django else False
        if isinstance(run, Hit):
            return self.passed(
                [run.evidence(repo)],
                "No model of the project's own needs a migration; the schema of Django's own "
                f"apps (auth, sessions, admin) is migrated by `{run.text.strip()[:60]}` "
                f"({run.where}).",
            )
        if run:
            return self.cannot_determine(
                "The project defines no model of its own, so its schema is Django's apps', "
                "whose migrations ship with Django; no `manage.py migrate` was found in its "
                "scripts to say they are applied.",
                looked_at=["model classes in product code; manage.py migrate in scripts"],
            )
        catalogue = None if files else profile.foreign_database()
        if catalogue is not None:
            return self.not_applicable(foreign_schema(repo, db.where, catalogue))
        versioned = [f for f in files if _VERSIONED.match(PurePosixPath(f).name)]
        tools = knowledge.provides("migrations")
        if tools and (versioned or files):
            use, hit = tools[0]
            example = (versioned or files)[0]
            return self.passed(
                [repo.evidence(example, 1), hit.evidence(repo)],
                f"Versioned migrations with {use.framework.name}: "
                f"{plural(len(files), 'migration file')}, e.g. {example}.",
            )
        layout = [f for f in files if _TOOL_LAYOUT.search(f)]
        if layout:
            return self.passed(
                [repo.evidence(layout[0], 1)],
                f"{plural(len(layout), 'versioned migration')} in a migration tool's layout, "
                f"e.g. {layout[0]}.",
            )
        if versioned:
            table = text.grep(_VERSION_TABLE, (*CODE, "sql"), limit=1) or text.grep(
                _APPLIED_TABLE, (*CODE, "sql"), limit=1
            )
            if table:
                return self.passed(
                    [repo.evidence(versioned[0], 1), table[0].evidence(repo)],
                    f"{plural(len(versioned), 'versioned migration')} (e.g. {versioned[0]}), "
                    f"applied versions tracked at {table[0].where}.",
                )
            return self.cannot_determine(
                f"{plural(len(versioned), 'numbered schema file')} (e.g. {versioned[0]}) but no "
                "migration tool and no table of applied versions was found: whether they are "
                "migrations or re-applied at every start could not be determined.",
                looked_at=["migration tools in use, a versions table in code and SQL"],
                evidence=[repo.evidence(versioned[0], 1)],
            )
        in_code = _migrations_in_code(repo, text)
        if in_code is not None:
            module, tracked = in_code
            return self.passed(
                [repo.evidence(module, 1), tracked.evidence(repo)],
                f"Migrations kept in code ({module}), applied versions tracked at {tracked.where}.",
            )
        synced = knowledge.provides("schema_sync")
        if synced:
            use, hit = synced[0]
            # The ORM keeps the schema in step with the models (DATA005 reports that it happens
            # at startup); what is missing is a versioned record for changes it cannot make.
            result = self.failed(
                [hit.evidence(repo)],
                f"No versioned migrations: {use.framework.name} syncs the schema to the models "
                f"at startup ({hit.where}). {use.framework.provides['schema_sync']} Renames, "
                "type changes and data backfills have no versioned place.",
                looked_at=["migration folders and tools, versioned file names, ORM schema sync"],
            )
            return result.model_copy(
                update={
                    "severity": Severity.low,
                    "severity_note": "Lowered: the ORM applies additive schema changes itself; "
                    "only version tracking for the changes it cannot make is missing.",
                }
            )
        if files:
            memory = in_memory_only(text)
            return self.failed(
                [repo.evidence(files[0], 1)],
                f"{plural(len(files), 'schema file')} ({files[0]}) but no migration tool and no "
                "table recording which versions were applied: the schema is re-applied, not "
                "migrated.",
                looked_at=["migration tools in use, versioned file names, a versions table"],
                advisory=(
                    f"The database is in memory ({memory.where}), rebuilt from these scripts at "
                    "every start: there is no lasting schema to migrate."
                    if memory
                    else ""
                ),
            )
        evolved = _migrate_functions(repo, text) or _idempotent_schema(repo, text)
        if evolved:
            # tg-spam: each table's migrate(ctx, tx, gid), run in the transaction that creates
            # the table at start, checks for a column and ALTERs the table when it is missing.
            where = ", ".join(h.where for h in evolved[:3])
            return self.failed(
                [h.evidence(repo) for h in evolved[:3]],
                f"Schema changes are applied at start ({where}): the code checks what exists "
                "and alters the tables (migrate functions, or a schema script whose ALTER "
                "TABLE ... ADD COLUMN IF NOT EXISTS it re-runs), without a versions table or "
                "a migration tool.",
                looked_at=["migration folders and tools, migrate functions in product code"],
            ).model_copy(
                update={
                    "severity": Severity.low,
                    "severity_note": "Lowered: the code does evolve the schema itself; only "
                    "version tracking, ordering and rollback are missing.",
                }
            )
        memory = in_memory_only(text)
        created = text.grep(_CREATE_TABLE.pattern, CODE, code_only=False)
        names = {m.group(1) for h in created if (m := _CREATE_TABLE.search(h.text))}
        internal = bool(names) and all(n.startswith("_") for n in names)
        result = self.failed(
            [db.evidence(repo)],
            f"The code uses a database ({db.where}) but has no migrations.",
            looked_at=["migrations/, alembic/, db/migrate/ folders and migration tools in use"],
            advisory=(
                f"The database is in memory ({memory.where}), created afresh at every start: "
                "there is no lasting schema to migrate."
                if memory
                else f"The only tables the code creates are its own bookkeeping, named with a "
                f"leading underscore ({', '.join(sorted(names)[:3])}, {created[0].where}), "
                "inside databases that belong to its users: it owns no application schema."
                if internal
                else ""
            ),
        )
        stores = {use.framework.datastore for use in clients}
        if (
            stores
            and stores <= {"sqlite", "duckdb"}
            and "cli" in profile.kinds
            and not profile.holds("service|worker")
        ):
            # pre-commit's store.py: a SQLite cache of cloned hook repositories in the user's
            # cache folder, its tables created IF NOT EXISTS as versions add them. Its panel
            # reader: at most low, not a high blocker.
            return result.model_copy(
                update={
                    "severity": Severity.low,
                    "severity_note": "Lowered: the database is a local file a command-line "
                    "program keeps for itself (a cache or its state); a schema change it gets "
                    "wrong costs one user a rebuilt file, not a service's data.",
                }
            )
        return result


def _migrate_functions(repo: RepoView, text: TextSearch) -> list[Hit]:
    """Product functions named for migrating whose file alters a table's schema."""
    altering = {
        h.path for h in text.grep(r"(?i)\balter\s+table\s+\S+\s+(add|drop|alter|rename)\b", CODE)
    }
    return [
        h
        for h in text.grep(
            r"^\s*(func\s+(\([^)]*\)\s*)?|(async\s+)?def\s+|(async\s+)?function\s+)"
            r"[mM]igrate\w*\s*\(",
            CODE,
        )
        if h.path in altering
    ]


_ADD_IF_MISSING = r"(?i)\balter\s+table\s+.*\badd\s+column\s+if\s+not\s+exists\b"


def _idempotent_schema(repo: RepoView, text: TextSearch) -> list[Hit]:
    """A product SQL script the code loads by its path whose ALTER TABLE ... ADD COLUMN IF
    NOT EXISTS upgrades an older schema in place (alerta's sql/schema.sql, opened by
    `app.open_resource('sql/schema.sql')` and executed at every start): schema evolution
    without version tracking. The script's line, then the line that loads it."""
    found: list[Hit] = []
    for hit in text.grep(_ADD_IF_MISSING, ("sql",)):
        if repo.by_path[hit.path].is_test or any(h.path == hit.path for h in found):
            continue
        # The file's name with its folder (sql/schema.sql), as code names a resource.
        parts = PurePosixPath(hit.path).parts
        named = "/".join(parts[-2:]) if len(parts) > 1 else parts[-1]
        loader = text.grep(r"['\"`]" + re.escape(named) + r"['\"`]", CODE, limit=1)
        if loader:
            found += [hit, loader[0]]
    return found


_CREATE_TABLE = re.compile(r"(?i)\bcreate\s+table\s+(?:if\s+not\s+exists\s+)?[`\"'\[]?(\w+)")


# An embedded database that lives in memory, and URLs of one that lasts.
# Top-level names a file defines that other code would call to use it.
_DEFINES = {
    "go": r"^func\s+([A-Z]\w*)\s*\(|^type\s+([A-Z]\w*)\s",
    "python": r"^(?:async\s+)?def\s+([A-Za-z]\w*)|^class\s+([A-Za-z]\w*)",
    "javascript": r"^export\s+(?:default\s+)?(?:async\s+)?(?:function|class|const|let)\s+(\w+)",
    "typescript": r"^export\s+(?:default\s+)?(?:async\s+)?(?:function|class|const|let)\s+(\w+)",
}
_ENTRYPOINT = re.compile(r"^func main\(\)|^if __name__ ==|^package main\b", re.M)


def _only_tests_reach(repo: RepoView, paths: set[str]) -> str | None:
    """Where one of ``paths`` sits when no product code outside them names anything they
    define (tests may): code kept for tests or as an unused alternative. None when some
    product code uses them, or when that cannot be read (an entry point, an unknown language)."""
    product = [p for p in sorted(paths) if repo.applies(p)]
    if not product:
        return None
    names: set[str] = set()
    for path in product:
        source = next((f for f in repo.files if f.path == path), None)
        if source is None or source.is_test or source.language not in _DEFINES:
            return None
        body = repo.text(path)
        if _ENTRYPOINT.search(body):
            return None
        for found in re.finditer(_DEFINES[source.language], body, re.M):
            names.update(n for n in found.groups() if n)
    if not names:
        return None
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, names))) + r")\b")
    for f in repo.code_files(*_DEFINES, tests=False):
        if f.path not in paths and pattern.search(repo.text(f.path)):
            return None
    return f"{product[0]}:1"


class ReversibleMigrations(Probe):
    """Migrations cannot be rolled back."""

    id = "DATA003"
    category = Category.data
    severity = Severity.low
    title = "Migrations cannot be rolled back"
    rationale = "A bad deploy with an irreversible migration needs a restore from backup."
    remediation = "Write a downgrade (or .down.sql) for each migration."

    def check(self, repo: RepoView, python: PythonCode) -> CheckResult:
        files = migration_files(repo)
        if not files:
            return self.not_applicable("No migrations (see DATA001).")
        ups = [p for p in files if p.endswith(".up.sql")]
        if ups:
            # bun and golang-migrate may mark a file `.tx.up.sql` (run in a transaction).
            downs = {p.replace(".tx.", ".") for p in files if p.endswith(".down.sql")}
            missing = [
                p for p in ups if p.replace(".tx.", ".").replace(".up.", ".down.") not in downs
            ]
            if missing:
                return self.failed(
                    [repo.evidence(p, 1) for p in missing[:5]],
                    f"{len(missing)} .up.sql without a .down.sql, e.g. {missing[0]}.",
                )
            return self.passed(
                [repo.evidence(ups[0], 1)], f"All {len(ups)} up migrations have downs."
            )
        empty, total = [], 0
        for path in files:
            tree = python.tree(path) if path.endswith(".py") else None
            functions = {
                node.name: node
                for node in (tree.body if tree else [])
                if isinstance(node, ast.FunctionDef)
            }
            down = functions.get("downgrade")
            if down is None:
                continue
            total += 1
            up = functions.get("upgrade")
            # An upgrade that changes nothing (flaskbb's, whose drops are commented out)
            # has nothing to reverse: its empty downgrade is the right one.
            if _does_nothing(down) and not (up is not None and _does_nothing(up)):
                empty.append(Hit(path, down.lineno, "def downgrade"))
        if not total:
            return self.not_applicable(
                "The migration tool reverses changes itself or is forward-only by design."
            )
        if empty:
            return self.failed(
                [h.evidence(repo, after=1) for h in empty[:5]],
                f"{len(empty)} of {total} downgrade() functions do nothing.",
            )
        return self.passed([repo.evidence(files[0], 1)], f"All {total} migrations downgrade.")


def _does_nothing(function: ast.FunctionDef) -> bool:
    """Whether a function's body is only ``pass``, docstrings and ``...``."""
    return all(
        isinstance(s, ast.Pass) or (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
        for s in function.body
    )


def _names_a_cache(repo: RepoView, hit: Hit) -> bool:
    """Whether a per-user folder is a cache: the line, or the function it sits in, says so."""
    for number in range(hit.line, max(hit.line - 12, 0), -1):
        line = repo.line(hit.path, number)
        if "cache" in line.lower():
            return True
        if re.match(r"\s*(def|fn|func|function)\s|\S", line):
            return False  # the function or the top-level statement starts here
    return False


_CHANGELOG = re.compile(r"(?i)(changelog|changes|history|news|releases?([-_ ]?notes)?)(\.\w+)?$")
_TWO_FACTOR = re.compile(r"(?i)backup[-_ ]?(codes?|second factor|keys?|tokens?|phone)\b")
_BACKUP_TOOL = re.compile(
    r"(?i)pg_dump|mysqldump|mongodump|pg_basebackup|velero|wal-g|pgbackrest|litestream|restic"
)


class BackupRestore(Probe):
    """Stored data has no documented or scripted backup and restore."""

    id = "DATA002"
    category = Category.data
    severity = Severity.medium
    title = "No backup and restore procedure"
    rationale = "Without tested backups, one bad migration or disk failure loses the data."
    remediation = "Script backups (pg_dump, snapshots) and document and rehearse the restore."

    applies = "owns_data"

    def check(self, repo: RepoView, text: TextSearch, profile: ProfileView) -> CheckResult:
        store = profile.evidence("database")
        # Ignore files (.gitignore's `*.backup`) name what to leave out, not a backup.
        pattern = (
            r"(?i)\bbackups?\b|pg_dump|mysqldump|mongodump|pg_basebackup|velero|"
            r"wal-g|pgbackrest|litestream|restic"
        )
        # In code, the word must be code (a backup function, a command run): a UI string
        # key ("setting.storage.database-note-backup", memos) names a label, not a backup.
        found = text.grep(pattern, ("markdown", "shell", "yaml", "makefile"), tests=None)
        found += text.grep(pattern, CODE, tests=None, code_only=True)
        found += [
            h
            for h in text.grep(pattern, CODE, tests=None)
            if _BACKUP_TOOL.search(h.text) and h not in found
        ]
        found.sort(key=lambda h: (h.path, h.line))
        hits = [
            h
            for h in found
            # Tests name backups as data ("backup server1"); a procedure lives outside them.
            # A changelog's "warnings about no backup second factor" is no procedure either.
            if not PurePosixPath(h.path).name.startswith(".")
            and not repo.by_path[h.path].is_test
            and not (  # a Rust #[cfg(test)] module inside a product file (lemmy)
                repo.by_path[h.path].language == "rust" and h.line in text.rust_test_lines(h.path)
            )
            and not _CHANGELOG.match(PurePosixPath(h.path).name)
            and not _TWO_FACTOR.search(h.text)
        ]
        # Prose that only advises a backup ("take a full backup of your database first")
        # says nothing of how: a tool, a script, a backup section or a restore step does.
        procedure = [
            h
            for h in hits
            if repo.by_path[h.path].language != "markdown"
            or _BACKUP_TOOL.search(h.text)
            or re.match(r"\s*#", h.text)
            or re.search(r"(?i)\brestor", h.text)
        ]
        if procedure:
            return self.passed(
                [procedure[0].evidence(repo)], f"Backup: `{procedure[0].text[:80]}`."
            )
        if hits:
            return self.failed(
                [hits[0].evidence(repo)],
                f"The docs mention backups ({hits[0].where}: `{hits[0].text[:80]}`) but give "
                "no procedure: no backup tool, script, backup section or restore step.",
                looked_at=["backup tools and the words backup/restore in code, scripts and docs"],
            )
        if store is None:
            dirs = profile.state_dirs()
            if dirs and all(_names_a_cache(repo, h) for h in dirs):
                return self.not_applicable(
                    f"The files it keeps are a cache ({dirs[0].where}): what is lost is "
                    "fetched or computed again."
                )
        memory = in_memory_only(text) if store is not None else None
        return self.failed(
            [store.evidence(repo)] if store else repo.anchor("README.md"),
            "The software stores data"
            + (f" ({store.where})" if store else "")
            + "; no backup or restore procedure is scripted or documented.",
            looked_at=["backup tools and the words backup/restore in code, scripts and docs"],
            advisory=(
                f"The database is in memory ({memory.where}): nothing outlives the process, "
                "so there is nothing to back up."
                if memory
                else ""
            ),
        )


_JS_FUNCTIONS = (
    "function_declaration",
    "method_definition",
    "arrow_function",
    "function_expression",
)


# Using a transaction, not naming one: a call on a transaction API, a declared transactional
# method, SQL BEGIN. A parameter or variable called `transaction` is neither.
_TRANSACTION_USE = (
    r"\.begin\(|\.\w*[Tt]ransaction\w*\s*\(|\.transaction\s+do\b|\.Begin(Tx)?\(|"
    # SQL's BEGIN: a statement of its own, not the word in a prompt or a template.
    r"\bBEGIN\s+(TRANSACTION|WORK|IMMEDIATE|EXCLUSIVE|DEFERRED)\b|"
    r"(['\"`]|^)\s*BEGIN\s*;?\s*(['\"`]|$)|"
    r"@Transactional|\bTransactionTemplate\b|\bPlatformTransactionManager\b|"
    r"\btransaction\.atomic\b|\.commit\(|\batomic\(|\.atomic\b|with_transaction|\$transaction|"
    r"\b(sql|pgx|sqlx)\.Tx\b"
)
# A call that writes to a datastore. Executions and ORM mutations count on any receiver (a
# query builder's `.Insert("table")` only builds the statement its `.Exec` then runs);
# collection-like verbs count only on a receiver named like a data handle.
_WRITE_CALL = re.compile(
    r"\.(Exec|ExecContext|exec|execute|executemany|executeUpdate)\s*\((?!\s*\))|"
    r"\.(save|Save|create|Create|"
    r"insert(One|Many)?|Insert(One|Many)?|upsert|Upsert|bulk_create|bulkCreate|persist|"
    r"saveAll|saveAndFlush|deleteById|deleteAll|updateOne|updateMany|deleteOne|deleteMany|"
    r"Updates|destroy)\s*\((?!\s*[\"'`])|"
    r"\.(create|insert|update|delete|save|remove|upsert|Create|Insert|Update|Delete|Save|Remove|"
    r"Upsert|Store)[A-Z]\w*\s*\((?!\s*\))|"
    r"\b(db|knex|session|tx|conn|connection|pool|Pool|DB|redis|cache|memcache|client|store|"
    r"\w*(Repo|Repository|Store|Dao|DAO|repo|repository))\."
    r"(update|Update|delete|Delete|remove|set|hset|hmset|setex|lpush|rpush|sadd|zadd|del|put|"
    r"add|merge)\s*\((?!\s*[\"'`])"
)
# An API resource path three names deep (`stripe.checkout.sessions.create(`,
# `openai.chat.completions.create(`) is a remote API's call, not a datastore handle's
# (`prisma.user.create(`, `this.repo.save(`).
_API_RESOURCE = re.compile(
    r"(?<![\w.])(?!(this|self|ctx|req|app)\.)(?![\w$.]*\b(db|prisma|session|repo\w*)\.)"
    r"[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*){2,}$"
)


_SETUP_STATEMENT = re.compile(r"\(\s*(\w+\s*,\s*)?[\"'`]\s*(PRAGMA|pragma|SET)\b")


def _datastore_writes(line: str) -> int:
    """How many datastore writes a line of code makes."""
    return sum(1 for m in _WRITE_CALL.finditer(line) if not _API_RESOURCE.search(line[: m.start()]))


_FUNCTION_KINDS = {
    "go": ("function_declaration", "method_declaration", "func_literal"),
    "java": ("method_declaration", "constructor_declaration", "lambda_expression"),
    "rust": ("function_item", "closure_expression"),
    "javascript": _JS_FUNCTIONS,
    "typescript": _JS_FUNCTIONS,
}


def _write_spans(
    repo: RepoView, text: TextSearch, python: PythonCode, syntax: SyntaxTrees
) -> tuple[list[list[Hit]], str | None]:
    """Per function of product code, the datastore writes it makes (functions with none left
    out); and a file whose writes could not be assigned to functions (None when all could)."""
    spans: list[list[Hit]] = []
    for f in repo.code_files(*CODE):
        if repo.in_browser(f.path):
            continue  # a page's code writes to no datastore of the product's
        body = text.code_text(f.path, f.language)
        lines = body.splitlines()
        source = repo.lines(f.path)
        # A statement that configures the connection (PRAGMA journal_mode=WAL, SET
        # search_path) writes no data: three PRAGMAs at open are no multi-step write
        # (umputun's secrets).
        counts = [
            0 if n < len(source) and _SETUP_STATEMENT.search(source[n]) else _datastore_writes(line)
            for n, line in enumerate(lines)
        ]
        writes = [n + 1 for n, count in enumerate(counts) if count]
        if not writes:
            continue
        ranges: list[tuple[int, int]] = []
        arms: list[tuple[int, int]] = []  # arms of a switch or match: alternatives
        if f.language == "python":
            if python.tree(f.path) is None:
                return spans, f.path
            ranges = [
                (n.lineno, n.end_lineno or n.lineno)
                for n in python.nodes(f.path, ast.FunctionDef, ast.AsyncFunctionDef)
            ]
        elif f.language in _FUNCTION_KINDS:
            root = syntax.root(f.path)
            if root is None:
                return spans, f.path
            for kind in _FUNCTION_KINDS[f.language]:
                for node in root.find_all(kind=kind):
                    span = node.range()
                    ranges.append((span.start.line + 1, span.end.line + 1))
            for kind in _ARM_KINDS.get(f.language, ()):
                for node in root.find_all(kind=kind):
                    span = node.range()
                    arms.append((span.start.line + 1, span.end.line + 1))
        else:
            return spans, f.path
        for start, end in ranges:
            inside = [
                Hit(f.path, n, repo.shown(f.path, n).strip())
                for n in writes
                if start <= n <= end
                for _ in range(counts[n - 1])
            ]
            if inside:
                spans.extend(_by_arm(inside, arms))
    return spans, None


# Arms of a switch or match (Go, JavaScript, Java, Rust): one runs, the others do not.
_ARM_KINDS = {
    "go": ("expression_case", "type_case", "default_case"),
    "javascript": ("switch_case", "switch_default"),
    "typescript": ("switch_case", "switch_default"),
    "java": ("switch_block_statement_group",),
    "rust": ("match_arm",),
}


def _by_arm(writes: list[Hit], arms: list[tuple[int, int]]) -> list[list[Hit]]:
    """A function's writes as the runs that can happen together: blocky's query-log
    writer runs one ALTER TABLE per database type, in the arms of one switch, and those
    are alternatives, not steps. Writes outside any arm go with every arm's."""
    groups: dict[tuple[int, int] | None, list[Hit]] = {}
    for hit in writes:
        holding = [a for a in arms if a[0] <= hit.line <= a[1]]
        key = min(holding, key=lambda a: a[1] - a[0]) if holding else None
        groups.setdefault(key, []).append(hit)
    outside = groups.pop(None, [])
    if not groups:
        return [outside]
    return [outside + group for group in groups.values()]


class Transactions(CapabilityProbe):
    """Multi-step writes do not use transactions."""

    id = "DATA004"
    category = Category.data
    severity = Severity.medium
    title = "No transactions around multi-step writes"
    rationale = "Without transactions a failure halfway leaves the data inconsistent."
    remediation = "Group related writes in a transaction (session.begin(), BEGIN/COMMIT)."
    applies = "database"
    what = "transaction handling"
    code_only = False
    pattern = _TRANSACTION_USE

    def check(  # type: ignore[override]
        self,
        repo: RepoView,
        text: TextSearch,
        imports: Imports,
        python: PythonCode,
        knowledge: Knowledge,
        profile: ProfileView,
        syntax: SyntaxTrees,
    ) -> CheckResult:
        result = super().check(repo, text, imports, python, knowledge, profile)
        if result.outcome.value != "fail":
            return result
        spans, unread = _write_spans(repo, text, python, syntax)
        if unread is not None:
            return result
        multi = [s for s in spans if len(s) >= 2]
        if multi or not spans:
            if not multi:
                return result  # no write was recognised: nothing to judge them by
            first = multi[0]
            return self.failed(
                [h.evidence(repo) for h in first[:3]],
                f"No transaction handling found, and {plural(len(multi), 'function')} with "
                f"more than one write (e.g. {first[0].where}: `{first[0].text[:80]}` then "
                f"{first[1].where}). Multi-step writes do not use transactions.",
                looked_at=result.looked_at,
            )
        example = f" (e.g. {spans[0][0].where}: `{spans[0][0].text[:80]}`)"
        return self.cannot_determine(
            "No transaction handling found, but no function was seen writing to the datastore "
            f"more than once{example}: each write found is a single statement, which the "
            "datastore applies atomically. Whether some operation spans several writes through "
            "calls in other functions could not be determined.",
            looked_at=[
                *result.looked_at,
                "datastore writes (exec/save/insert/update/delete/set calls) per function",
            ],
            evidence=[spans[0][0].evidence(repo)],
        )


_SYNC_SETTING = r"synchronize[\"']?\s*:\s*true|ddl-auto[=:]\s*(update|create)"


class SchemaAtStartup(Probe):
    """The schema is created by application code instead of migrations."""

    id = "DATA005"
    category = Category.data
    severity = Severity.medium
    title = "Schema created at application startup"
    rationale = "create_all/CREATE TABLE at startup cannot evolve an existing schema safely."
    remediation = "Move schema creation into versioned migrations."

    applies = "database"

    def check(self, repo: RepoView, text: TextSearch, profile: ProfileView) -> CheckResult:
        db = profile.evidence("database")
        assert db is not None  # the profile's database condition holds
        migrations = set(migration_files(repo))
        in_code = _migrations_in_code(repo, text)
        if in_code is not None:
            migrations.update(
                f.path for f in repo.code_files(*CODE) if _MIGRATIONS_MODULE.search(f.path)
            )
        hits = [
            h
            for h in text.grep(r"\.create_all\(|(?i:create table)|AutoMigrate\(|" + _SYNC_SETTING)
            # The ORM's switch often sits in its configuration (ormconfig.json, a committed
            # example of it, application.properties).
            + text.grep(_SYNC_SETTING, ("json", "yaml", "ini", "text", "dotenv"))
            if h.path not in migrations
            # The migrator's own table of applied versions is no schema of the product's.
            and not _only_version_tables(h.text)
        ]
        if hits:
            return self.failed(
                [h.evidence(repo) for h in hits[:5]], f"Schema created by code at {hits[0].where}."
            )
        return self.passed([db.evidence(repo)], "No schema creation in application code.")


_DB_IMAGES = re.compile(
    r"^(postgres|postgis|mysql|mariadb|mongo|timescale|cockroach|"
    r"elasticsearch|opensearch|neo4j|cassandra|influxdb|clickhouse)"
)


# Official images whose Dockerfile declares the data directory a VOLUME.
_DECLARES_VOLUME = re.compile(
    r"^(docker\.io/)?(library/)?(postgres|mysql|mariadb|mongo|redis)(:|@|$)"
)


def _keeps_data(volume: object) -> bool:
    """A mount that can hold the database's data: not a seed script or a config file
    (./init.sql:/docker-entrypoint-initdb.d/init.sql)."""
    target = volume.get("target", "") if isinstance(volume, dict) else str(volume)
    target = str(target).split(":")[1] if ":" in str(target) else str(target)
    return not (
        "docker-entrypoint-initdb.d" in target
        or re.search(r"\.(sql|sh|conf|cnf|ini|ya?ml|json)$", target)
    )


class PersistedVolumes(Probe):
    """A database container in docker-compose keeps its data in the container."""

    id = "DATA006"
    category = Category.data
    severity = Severity.medium
    title = "Database containers without persistent volumes"
    rationale = "Data inside a container disappears when the container is recreated."
    remediation = "Mount a named volume at the database's data directory."

    def check(self, repo: RepoView, data: DataFiles, containers: Containers) -> CheckResult:
        every = [
            s
            for s in containers.compose_services()
            if _DB_IMAGES.match(str(s.data.get("image", "")).split("/")[-1])
        ]
        # A development compose file's database is a throwaway by design.
        dbs = [s for s in every if not containers.for_development(s.path)]
        if every and not dbs:
            return self.not_applicable(
                "Only development compose files (they say so, or run a development server) "
                f"start a database ({every[0].path}:{every[0].line}): its data is a throwaway."
            )
        if not dbs:
            return self.not_applicable("No database service in a compose file.")
        bare = [s for s in dbs if not any(_keeps_data(v) for v in s.data.get("volumes") or [])]
        if bare:
            result = self.failed(
                [repo.evidence(s.path, s.line) for s in bare],
                f"Service `{bare[0].name}` ({bare[0].path}:{bare[0].line}) has no volume for "
                "its data directory.",
            )
            if all(_DECLARES_VOLUME.match(str(s.data.get("image", ""))) for s in bare):
                result = result.model_copy(
                    update={
                        "severity": Severity.low,
                        "severity_note": "Lowered: the official image declares its data "
                        "directory a VOLUME, so compose keeps the data in an anonymous volume "
                        "across container re-creation; `down -v` or a volume prune still "
                        "deletes it, and nothing names it for backups.",
                    }
                )
            return result
        return self.passed(
            [repo.evidence(dbs[0].path, dbs[0].line)],
            f"Database service `{dbs[0].name}` mounts a volume.",
        )


# Data in a datastore that expires or is pruned by age.
_STORE_RETENTION = (
    r"expireAfterSeconds|\bexpires\s*:\s*['\"]?\d|\bsetex\(|\.expire\(|\bex\s*=\s*\d|"
    r"\{\s*EX\s*:|['\"]EX['\"]\s*,|TimeToLiveSpecification|USING\s+TTL|default_time_to_live|"
    r"(?i:delete\s+from\s+\w+\s+where[^;]{0,200}?(created|updated|expire|timestamp|_at\b|date|time)"
    r"\w*\s*<)|"
    r"__(lt|lte)\s*=[^)]*\)\.delete\(|deleteMany\(\s*\{[^}]*\$lt|"
    r"\.Where\(\s*\"[^\"]*(_at|time|date)\w*\s*<[^\"]*\"[^)]*\)\.Delete\(|"
    r"clearsessions|clear_expired|delete_expired|purge_expired|remove_expired|prune_old|purge_old"
)
# Files that are capped: rotated logs, bounded caches.
_FILE_RETENTION = (
    r"RotatingFileHandler\([^)]*backupCount|TimedRotatingFileHandler\(|"
    r"lumberjack\.Logger\{|MaxBackups\s*:|maxFiles\s*:|^\s*rotate\s+\d|"
    r"TTLCache\(|LRUCache\(|size_limit\s*=|lru_cache\(\s*maxsize\s*=\s*\d|"
    # A maximum age for what a tool keeps (TLDR_CACHE_MAX_AGE, zoxide's _ZO_MAXAGE).
    r"\b\w*(CACHE_MAX_AGE|_MAXAGE)\b|\bcache_max_age\b"
)
# Words that name a retention setting whose effect the code does not show.
_RETENTION_WORDS = (
    r"\b(\w*[Rr]etention\w*|RETENTION\w*|(purge|prune)(_|[A-Z])\w+|\w+_(purge|prune)\w*)"
    r"['\"]?\s*[:=(]"
)
# Tables and models of records that pile up with use and want an expiry: sessions, tokens,
# logs, events, notifications, history, attempts. Declared in SQL, in an ORM class, a Prisma
# model, a Mongoose model or a Go struct with ORM tags. Not messages: a chat's or a mail
# app's messages are the content its users keep (chatbot-ui), not a pile-up.
_PILING = r"(Session|Token|Log|Event|Audit|Notification|History|Attempt|PageView)s?"
_ACCUMULATING = (
    rf"(?i:create\s+table\s+(if\s+not\s+exists\s+)?[`\"'\[]?(\w*_)?{_PILING.lower()}\b)|"
    # An ORM table class: Django's, Flask-SQLAlchemy's or Tortoise's Model, SQLAlchemy's
    # Base, a document; SQLModel only with table=True (a pydantic BaseModel is a schema).
    rf"\bclass\s+\w*{_PILING}\s*\(\s*((db|models|orm)\.Model|Model|Base|DeclarativeBase|"
    rf"Document|[\w.]*Entity)\s*[,)]|\bclass\s+\w*{_PILING}\s*\([^)]*\btable\s*=\s*True|"
    rf"^\s*model\s+\w*{_PILING}\s*\{{|\bmodel\(\s*['\"]\w*{_PILING}['\"]|"
    rf"\bclass\s+\w*{_PILING}\s+extends\s+(Model|BaseEntity|Document)\b|"
    rf"^type\s+\w*{_PILING}\s+struct\s*\{{[^}}]*gorm"
)
# Build tool configuration (Tailwind's `purge`) is not about stored data.
_TOOL_CONFIG = re.compile(r"(?i)(tailwind|postcss|webpack|vite|babel|rollup|jest)\.config\.")


class Retention(Probe):
    """The data the product accumulates is never expired or pruned."""

    id = "DATA007"
    category = Category.data
    severity = Severity.low
    title = "No retention or cleanup of stored data"
    rationale = "Data kept forever grows storage, backups and exposure without bound."
    remediation = "Expire or prune data by age (TTL indexes, scheduled deletes, capped logs)."
    applies = "stores_data"

    def check(
        self, repo: RepoView, text: TextSearch, python: PythonCode, profile: ProfileView
    ) -> CheckResult:
        places = (*CODE, "sql", "yaml", "toml", "json", "ini", "text")
        store = text.grep(_STORE_RETENTION, places, limit=1)
        if store:
            hit = store[0]
            return self.passed(
                [hit.evidence(repo)],
                f"Stored data expires or is pruned: `{hit.text}` ({hit.where}).",
            )
        files = text.grep(_FILE_RETENTION, (*CODE, "ini", "text", "yaml"), limit=1)
        db = profile.evidence("database")
        looked = [
            "TTL indexes and key expiry, deletes of rows older than a date, session and "
            "expired-record cleanup, rotated logs and bounded caches, in code, SQL and config"
        ]
        if files and db is None:
            hit = files[0]
            return self.passed(
                [hit.evidence(repo)], f"Stored files are capped: `{hit.text}` ({hit.where})."
            )
        words = [
            h
            for h in text.grep(
                _RETENTION_WORDS, (*CODE, "sql", "yaml", "toml", "ini", "dotenv"), code_only=True
            )
            if not h.path.startswith(".github/") and not _TOOL_CONFIG.search(h.path)
        ]
        if words:
            hit = words[0]
            return self.cannot_determine(
                f"`{hit.text[:80]}` ({hit.where}) names a retention or cleanup setting, but "
                "what it removes, and when, could not be read from the code.",
                looked_at=looked,
                evidence=[hit.evidence(repo)],
            )
        capped = f" (only files are capped, at {files[0].where})" if files else ""
        if db is not None:
            piling = text.grep(_ACCUMULATING, (*CODE, "sql", "text"), limit=1, code_only=True)
            if piling:
                hit = piling[0]
                return self.failed(
                    [hit.evidence(repo), db.evidence(repo)],
                    f"Records that pile up with use (`{hit.text[:80]}`, {hit.where}) are never "
                    f"expired or pruned{capped}: no TTL, no delete by age, no scheduled cleanup "
                    "was found.",
                    looked_at=looked,
                )
            return self.failed(
                [db.evidence(repo)],
                f"The data in the database ({db.where}) is never expired or pruned{capped}: "
                "no TTL, no delete by age, no scheduled cleanup was found.",
                looked_at=[
                    *looked,
                    "tables or models of sessions, tokens, logs, events, "
                    "notifications, history or attempts",
                ],
                advisory=(
                    "No table or model of records that pile up with use (sessions, tokens, "
                    "logs, events, notifications) was found: what the database "
                    "keeps is the product's own records, and keeping them is the product's "
                    "decision, not a retention gap."
                ),
            )
        writes = [hit for hit, _ in state_writes(repo, text, python)]
        where = f" (written at {writes[0].where})" if writes else ""
        dirs = profile.state_dirs()
        cache = ""
        if dirs and all(_names_a_cache(repo, h) for h in dirs):
            cache = (
                f"What it keeps is a cache ({dirs[0].where}) of what it fetches or computes, "
                "fetched again when missing: a size or age cap would be a refinement, not a "
                "retention gap."
            )
        return self.failed(
            [writes[0].evidence(repo)] if writes else repo.anchor(),
            f"The files the product keeps{where} are never expired, capped or pruned.",
            looked_at=looked,
            advisory=cache,
        )


# Typed argument parsers and typed decoding: input that does not fit is rejected.
_TYPED_INPUT = (
    r"\buse\s+clap\b|\bclap::|\bstructopt\b|\bargh::|#\[derive\([^)]*\b(Parser|Deserialize)\b|"
    r"github\.com/spf13/cobra|github\.com/urfave/cli|gopkg\.in/alecthomas/kingpin|"
    r"json\.Unmarshal\(|\.Decode\(&"
)
# argparse converts typed arguments and checks choices, exiting with a usage error: the
# arguments are checked, the files and data they name are not.
_TYPED_ARGUMENTS = (
    r"add_argument\([^)]*\b(type|choices)\s*=|"
    # Go's flag (and pflag): Int, Duration, Float64... parse the value and exit with the usage
    # text on a bad one.
    r"\b(flag|pflag)\.(Int|Int64|Uint|Uint64|Float64|Duration|Bool|Var|TextVar|Func)(Var|P|VarP)?\(|"
    # Node's util.parseArgs with strict mode rejects unknown options and options of the wrong
    # type (trpc-openapi's CLI).
    r"\bparseArgs\(\s*\{[^}]*\bstrict\s*:\s*true|\bstrict\s*:\s*true[^}]*\}\s*\)"
)
# Code that checks input and rejects it: validation functions and validation errors.
_CHECKS = (
    r"\bdef\s+(validate|verify)_\w+|\bfunction\s+(validate|verify)[A-Z_]\w*|"
    r"\b(const|let)\s+(validate|verify)[A-Z]\w*\s*=|\bfn\s+(validate|verify)_\w+|"
    r"\bfunc\s+(\(\w+\s+\*?\w+\)\s+)?(validate|verify|Validate|Verify)[A-Z_]?\w*\(|"
    r"\b(public|private|static)\s+\w+\s+(validate|verify)[A-Z]\w*\(|"
    r"\bValidationError\(|\bBadParameter\(|\bUsageError\("
)


# Reading a request body as raw JSON (Flask, Django, fetch-style Request objects).
_PY_RAW_BODY = re.compile(
    r"request\.get_json\(|request\.json\b|json\.loads\(\s*request\.(body|data)|"
    # get_data() whose result is used (a bare call only drains the body).
    r"[=(,]\s*request\.get_data\("
)
_JS_RAW_BODY = re.compile(r"^(req|request|c\.req|ctx\.req)\.(json|formData)$")
# Calls that check a body against a schema or rules in the same function.
_VALIDATES = re.compile(
    r"(?<!JSON)\.(safe)?[Pp]arse(Async)?\(|[Vv]alidat\w*\(|is_valid\(|\.load\(|"
    r"Schema\(|Form\(|model_validate|parse_obj|parse_raw|\w+\(\*\*|assert\w*\("
)


def _raw_bodies(repo: RepoView, python: PythonCode, syntax: SyntaxTrees) -> list[Hit]:
    """Handlers that read a request body and never check it in the same function."""
    found: list[Hit] = []
    for f in repo.code_files("python"):
        if "request" not in repo.text(f.path):
            continue
        for func in python.nodes(f.path, ast.FunctionDef, ast.AsyncFunctionDef):
            body = ast.unparse(func)
            read = _PY_RAW_BODY.search(body)
            if read and not _VALIDATES.search(body):
                line = next(
                    (
                        n
                        for n in range(func.lineno, (func.end_lineno or func.lineno) + 1)
                        if _PY_RAW_BODY.search(repo.line(f.path, n))
                    ),
                    func.lineno,
                )
                found.append(Hit(f.path, line, repo.shown(f.path, line).strip()))
    for f in repo.code_files("javascript", "typescript"):
        if ".json()" not in repo.text(f.path) and "formData()" not in repo.text(f.path):
            continue
        root = syntax.root(f.path)
        if root is None:
            continue
        for call in root.find_all(kind="call_expression"):
            callee = call.field("function")
            if callee is None or not _JS_RAW_BODY.match(callee.text()):
                continue
            owner = next((a for a in call.ancestors() if a.kind() in _JS_FUNCTIONS), None)
            if owner is None or _VALIDATES.search(owner.text()):
                continue
            line = call.range().start.line + 1
            found.append(Hit(f.path, line, repo.shown(f.path, line).strip()))
    return sorted(set(found), key=lambda h: (h.path, h.line))


class InputChecks(Probe):
    """A program's inputs (arguments, files, responses) are used without being validated."""

    id = "DATA008"
    category = Category.data
    severity = Severity.low
    title = "Program input is not validated"
    rationale = "Malformed arguments, files or responses fail deep inside, or silently corrupt."
    remediation = "Parse input into typed structures or schemas and reject what does not fit."
    applies = "application"

    def check(
        self,
        repo: RepoView,
        text: TextSearch,
        python: PythonCode,
        syntax: SyntaxTrees,
        knowledge: Knowledge,
        profile: ProfileView,
    ) -> CheckResult:
        if profile.holds("service"):
            # Whether a validator exists is SEC013's question; this one asks whether some
            # handlers read the raw body and use it unchecked.
            raw = _raw_bodies(repo, python, syntax)
            if raw:
                return self.failed(
                    [h.evidence(repo) for h in raw[:5]],
                    f"{plural(len(raw), 'request handler')} read the request body and use it "
                    f"without a schema or validation call (first at {raw[0].where}).",
                    looked_at=[
                        "handlers reading request.json()/get_json()/request.body, and parse, "
                        "safeParse, validate, is_valid or schema calls in the same function"
                    ],
                )
            return self.not_applicable(
                "No request handler reads a raw body unchecked; whether requests are validated "
                "is SEC013's question."
            )
        provided = knowledge.provides("input_validation")
        if provided:
            use, hit = provided[0]
            return self.passed(
                [hit.evidence(repo)],
                f"Input is validated with {use.framework.name} ({hit.where}): "
                f"{use.framework.provides['input_validation'].rstrip('.')}.",
            )
        for pattern, what in (
            (_TYPED_INPUT, "parsed into typed structures"),
            (_CHECKS, "checked by validation code"),
            (
                _TYPED_ARGUMENTS,
                "checked only as command-line arguments (typed options of an argument parser)",
            ),
        ):
            hits = text.grep(pattern, CODE, limit=1, code_only=True)
            if hits:
                hit = hits[0]
                return self.passed(
                    [hit.evidence(repo)],
                    f"Input is {what}: `{hit.text}` ({hit.where}).",
                    partial=pattern == _TYPED_ARGUMENTS,
                )
        return self.failed(
            repo.anchor(),
            "No validation of the program's input was found: no schema library, typed "
            "argument parser, typed decoding or validation function.",
            looked_at=[
                "schema and validation libraries (pydantic, click, zod, joi, validator...), "
                "typed parsers (clap, cobra, serde derive, json.Unmarshal), validate_/verify_ "
                "functions and validation errors, in product code"
            ],
        )
