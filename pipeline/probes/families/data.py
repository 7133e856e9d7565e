"""Data probes: migrations, reversibility, backups, transactions, persisted volumes."""

from __future__ import annotations

import ast
import re
from pathlib import PurePosixPath

from pipeline.probes.base import Probe, ProbeContext
from pipeline.probes.deploy import compose_services
from pipeline.probes.facts import CODE, Hit, database, grep, plural
from pipeline.probes.kinds import CapabilityProbe
from pipeline.schemas import Category, CheckResult, Severity

_MIGRATION_DIR = re.compile(
    r"(^|/)(migrations?|alembic|db/migrate|db/migration|changelog|schema_migrations|"
    r"migrate)(/|$)",
    re.I,
)


def migration_files(ctx: ProbeContext) -> list[str]:
    """Schema migration files (Alembic, Django, Flyway, golang-migrate, Prisma, Diesel, ...)."""

    def compute() -> list[str]:
        return sorted(
            f.path
            for f in ctx.files
            if ctx.applies(f.path)
            and not f.is_test
            and _MIGRATION_DIR.search(str(PurePosixPath(f.path).parent) + "/")
            and f.language in (*CODE, "sql", "yaml", "json", "text")
            and not f.path.endswith("__init__.py")
        )

    return ctx.memo("migrations", compute)


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

    def check(self, ctx: ProbeContext) -> CheckResult:
        db = database(ctx)
        files = migration_files(ctx)
        if db is None and not files:
            return self.not_applicable(
                "The code uses no database, so there is no schema to migrate."
            )
        if files:
            return self.passed(
                [ctx.evidence(files[0], 1)],
                f"{plural(len(files), 'migration file')}, e.g. {files[0]}.",
            )
        assert db is not None
        return self.failed(
            [db.evidence(ctx)],
            f"The code uses a database ({db.where}) but has no migrations folder.",
        )


class ReversibleMigrations(Probe):
    """Migrations cannot be rolled back."""

    id = "DATA003"
    category = Category.data
    severity = Severity.low
    title = "Migrations cannot be rolled back"
    rationale = "A bad deploy with an irreversible migration needs a restore from backup."
    remediation = "Write a downgrade (or .down.sql) for each migration."

    def check(self, ctx: ProbeContext) -> CheckResult:
        files = migration_files(ctx)
        if not files:
            return self.not_applicable("No migrations (see DATA001).")
        ups = [p for p in files if p.endswith(".up.sql")]
        if ups:
            missing = [p for p in ups if p.replace(".up.sql", ".down.sql") not in ctx.by_path]
            if missing:
                return self.failed(
                    [ctx.evidence(p, 1) for p in missing[:5]],
                    f"{len(missing)} .up.sql without a .down.sql, e.g. {missing[0]}.",
                )
            return self.passed(
                [ctx.evidence(ups[0], 1)], f"All {len(ups)} up migrations have downs."
            )
        empty, total = [], 0
        for path in files:
            tree = ctx.python_ast(path) if path.endswith(".py") else None
            for node in tree.body if tree else []:
                if isinstance(node, ast.FunctionDef) and node.name == "downgrade":
                    total += 1
                    body = [
                        s
                        for s in node.body
                        if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
                    ]
                    if all(isinstance(s, ast.Pass) for s in body):
                        empty.append(Hit(path, node.lineno, "def downgrade"))
        if not total:
            return self.not_applicable(
                "The migration tool reverses changes itself or is forward-only by design."
            )
        if empty:
            return self.failed(
                [h.evidence(ctx, after=1) for h in empty[:5]],
                f"{len(empty)} of {total} downgrade() functions do nothing.",
            )
        return self.passed([ctx.evidence(files[0], 1)], f"All {total} migrations downgrade.")


class BackupRestore(Probe):
    """Stored data has no documented or scripted backup and restore."""

    id = "DATA002"
    category = Category.data
    severity = Severity.high
    title = "No backup and restore procedure"
    rationale = "Without tested backups, one bad migration or disk failure loses the data."
    remediation = "Script backups (pg_dump, snapshots) and document and rehearse the restore."

    def check(self, ctx: ProbeContext) -> CheckResult:
        db = database(ctx)
        if db is None:
            return self.not_applicable("The code uses no database.")
        hits = grep(
            ctx,
            r"(?i)\bbackups?\b|pg_dump|mysqldump|mongodump|pg_basebackup|velero|"
            r"wal-g|pgbackrest|litestream|restic",
            (*CODE, "markdown", "shell", "yaml", "makefile", "text"),
            tests=None,
            limit=1,
        )
        if hits:
            return self.passed([hits[0].evidence(ctx)], f"Backup: `{hits[0].text[:80]}`.")
        return self.failed(
            [db.evidence(ctx)],
            f"The code stores data ({db.where}); no backup or restore procedure "
            "is scripted or documented.",
        )


class Transactions(CapabilityProbe):
    """Multi-step writes do not use transactions."""

    id = "DATA004"
    category = Category.data
    severity = Severity.medium
    title = "No transactions around multi-step writes"
    rationale = "Without transactions a failure halfway leaves the data inconsistent."
    remediation = "Group related writes in a transaction (session.begin(), BEGIN/COMMIT)."
    requires = "database"
    what = "transaction handling"
    code_only = False
    pattern = (
        r"\.begin\(|[Tt]ransaction|\bBEGIN\b|\.Begin(Tx)?\(|@Transactional|\.commit\(|"
        r"atomic\(|\.atomic\b|with_transaction|\$transaction"
    )


class SchemaAtStartup(Probe):
    """The schema is created by application code instead of migrations."""

    id = "DATA005"
    category = Category.data
    severity = Severity.medium
    title = "Schema created at application startup"
    rationale = "create_all/CREATE TABLE at startup cannot evolve an existing schema safely."
    remediation = "Move schema creation into versioned migrations."

    def check(self, ctx: ProbeContext) -> CheckResult:
        db = database(ctx)
        if db is None:
            return self.not_applicable("The code uses no database.")
        migrations = set(migration_files(ctx))
        hits = [
            h
            for h in grep(
                ctx,
                r"\.create_all\(|(?i:create table)|AutoMigrate\(|"
                r"synchronize:\s*true|ddl-auto[=:]\s*(update|create)",
            )
            if h.path not in migrations
        ]
        if hits:
            return self.failed(
                [h.evidence(ctx) for h in hits[:5]], f"Schema created by code at {hits[0].where}."
            )
        return self.passed([db.evidence(ctx)], "No schema creation in application code.")


_DB_IMAGES = re.compile(
    r"^(postgres|postgis|mysql|mariadb|mongo|timescale|cockroach|"
    r"elasticsearch|opensearch|neo4j|cassandra|influxdb|clickhouse)"
)


class PersistedVolumes(Probe):
    """A database container in docker-compose keeps its data in the container."""

    id = "DATA006"
    category = Category.data
    severity = Severity.medium
    title = "Database containers without persistent volumes"
    rationale = "Data inside a container disappears when the container is recreated."
    remediation = "Mount a named volume at the database's data directory."

    def check(self, ctx: ProbeContext) -> CheckResult:
        dbs = [
            s
            for s in compose_services(ctx)
            if _DB_IMAGES.match(str(s.data.get("image", "")).split("/")[-1])
        ]
        if not dbs:
            return self.not_applicable("No database service in a compose file.")
        bare = [s for s in dbs if not s.data.get("volumes")]
        if bare:
            return self.failed(
                [ctx.evidence(s.path, s.line) for s in bare],
                f"Service `{bare[0].name}` ({bare[0].path}:{bare[0].line}) has no volume.",
            )
        return self.passed(
            [ctx.evidence(dbs[0].path, dbs[0].line)],
            f"Database service `{dbs[0].name}` mounts a volume.",
        )
