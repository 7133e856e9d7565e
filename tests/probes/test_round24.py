"""What held-out round 24's first reports showed (changedetection, go-task, tg-spam, mcfly,
cobalt, commons-cli, point-e, mailgun-go, zustand, click), measured before these fixes."""

from __future__ import annotations

from pathlib import Path

from tests.probes.conftest import RunProbe, as_reported


def test_a_goal_less_maven_run_runs_the_poms_default_goal(run_probe: RunProbe) -> None:
    # commons-cli: CI runs `mvn --errors --show-version --batch-mode`; the pom's
    # <defaultGoal> is `clean verify apache-rat:check ... checkstyle:check`.
    pom = (
        "<project><artifactId>cli</artifactId><build>"
        "<defaultGoal>clean verify checkstyle:check</defaultGoal></build></project>\n"
    )
    workflow = (
        "on: [push]\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: mvn --errors --show-version --batch-mode\n"
    )
    test = "package x;\n\nclass XTest {\n    @org.junit.Test\n    void t() {}\n}\n"
    files = {
        "pom.xml": pom,
        "src/main/java/x/X.java": "package x;\n\nclass X {}\n",
        "src/test/java/x/XTest.java": test,
        ".github/workflows/maven.yml": workflow,
    }
    assert run_probe("TST002", files).outcome.value == "pass"
    assert run_probe("CQ002", files).outcome.value == "pass"
    bare = {
        **files,
        "pom.xml": pom.replace("<defaultGoal>clean verify checkstyle:check</defaultGoal>", ""),
    }
    assert run_probe("TST002", bare).outcome.value == "fail"


def test_a_suite_of_the_projects_own_run_by_ci(run_probe: RunProbe) -> None:
    # cobalt: `node api/src/util/test run-tests-for <service>` runs cases kept as JSON.
    workflow = (
        "on: [push]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: node api/src/util/test run-tests-for youtube\n"
    )
    runner = "const tests = require('./tests/youtube.json')\nfor (const t of tests) run(t)\n"
    files = {
        "package.json": '{"name": "api", "scripts": {"start": "node src/cobalt"}}',
        "api/src/cobalt.js": "console.log(1)\n",
        "api/src/util/test.js": runner,
        ".github/workflows/test.yml": workflow,
    }
    result = run_probe("TST001", files)
    assert result.outcome.value == "pass" and result.partial, result.message
    assert run_probe("TST002", files).outcome.value == "pass"
    other = {**files, ".github/workflows/test.yml": workflow.replace("util/test", "util/build")}
    assert run_probe("TST001", other).outcome.value == "fail"


def test_per_table_migrate_functions_are_a_low_migration_gap(tmp_path: Path) -> None:
    # tg-spam: each table's migrate(ctx, tx, gid) checks for a column and ALTERs the table,
    # in the transaction that creates it at start: no versions table, but not a high gap.
    store = (
        'package storage\n\nimport "github.com/jmoiron/sqlx"\n\nvar db *sqlx.DB\n\n'
        "func (s *Spam) migrate(tx *sqlx.Tx) error {\n"
        '\t_, err := tx.Exec("ALTER TABLE spam ADD COLUMN gid TEXT")\n\treturn err\n}\n'
    )
    main = (
        'package main\n\nimport "net/http"\n\n'
        'func main() {\n\thttp.ListenAndServe(":8080", nil)\n}\n'
    )
    gomod = "module x\n\ngo 1.22\n\nrequire github.com/jmoiron/sqlx v1.4.0\n"
    files = {"go.mod": gomod, "main.go": main, "storage/spam.go": store}
    result = as_reported(tmp_path / "evolve", "DATA001", files)
    assert result.outcome.value == "fail" and result.severity.value == "low", result.message
    plain = {
        **files,
        "storage/spam.go": store.replace("func (s *Spam) migrate(", "func (s *Spam) add("),
    }
    assert as_reported(tmp_path / "plain", "DATA001", plain).severity.value == "high"


def test_a_versions_table_read_by_a_schema_module(run_probe: RunProbe) -> None:
    # mcfly's history/schema.rs: `select max(version) FROM schema_versions`, then stepwise
    # `if current_version < N` upgrades that ALTER the tables.
    schema = (
        "use rusqlite::Connection;\n\npub fn migrate(c: &Connection) {\n"
        "    let v: u16 = c\n"
        '        .query_row("select max(version) FROM schema_versions", [], |r| r.get(0))\n'
        "        .unwrap();\n"
        '    if v < 1 {\n        c.execute("ALTER TABLE commands ADD COLUMN dir TEXT", [])\n'
        "            .unwrap();\n    }\n}\n"
    )
    cargo = '[package]\nname = "x"\nversion = "0.1.0"\n\n[dependencies]\nrusqlite = "0.31"\n'
    files = {"Cargo.toml": cargo, "src/main.rs": "fn main() {}\n", "src/history/schema.rs": schema}
    result = run_probe("DATA001", files)
    assert result.outcome.value == "pass", result.message
    unversioned = schema.replace("FROM schema_versions", "FROM commands")
    assert (
        run_probe("DATA001", {**files, "src/history/schema.rs": unversioned}).outcome.value
        == "fail"
    )
