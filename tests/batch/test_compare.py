import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from pipeline.commands.compare import compare_command
from pipeline.compare import compare_reports, render_comparison
from pipeline.schemas import Category, Evidence, Finding, Severity
from pipeline.schemas import Category as C
from pipeline.schemas import Severity as S
from tests.batch.factories import finding, report

app = typer.Typer()
app.command()(compare_command)


def _pair():
    old = report(
        "svc",
        55,
        {Category.testing: 30, Category.security: 70},
        findings=[
            finding("CI runs no tests", check_id="TST001", severity=Severity.critical),
            finding("Runs as root", check_id="DEP002", kind="strength", category=C.deployment),
            finding("No timeouts on HTTP calls", category=C.reliability, severity=S.low),
            finding("Weak logging", category=Category.observability, severity=Severity.high),
        ],
        commit="a" * 40,
    )
    new = report(
        "svc",
        61,
        {Category.testing: 80, Category.security: 60},
        findings=[
            finding("Tests run in CI", check_id="TST001", kind="strength"),
            finding("Runs as root", check_id="DEP002", category=Category.deployment),
            finding("No  timeouts on http calls", category=C.reliability, severity=S.high),
            finding("Weak logging", category=Category.observability, severity=Severity.medium),
            finding("Secrets committed", category=Category.security, severity=Severity.critical),
        ],
        commit="b" * 40,
    )
    return old, new


def test_findings_are_matched_by_check_id_else_by_category_and_title():
    comparison = compare_reports(*_pair())
    assert [c.title for c in comparison.new] == ["Secrets committed"]
    assert [(c.key, c.before, c.after) for c in comparison.fixed] == [
        ("TST001", "gap:critical", "strength")
    ]
    # A strength turned gap, and a gap whose severity rose, both regressed.
    assert sorted((c.key, c.before, c.after) for c in comparison.regressed) == [
        ("DEP002", "strength", "gap:high"),
        ("reliability:no timeouts on http calls", "gap:low", "gap:high"),
    ]
    assert [c.title for c in comparison.improved] == ["Weak logging"]
    deltas = {d.category: d.delta for d in comparison.categories}
    assert deltas[Category.testing] == 50 and deltas[Category.security] == -10
    assert comparison.overall.delta == 6


def test_markdown_names_every_change_and_the_score_moves():
    text = render_comparison(compare_reports(*_pair()))
    assert "Overall: 55% → 61% (+6)" in text
    assert "| Testing | 30% | 80% | +50 |" in text
    assert "| Security | 70% | 60% | -10 |" in text
    assert "### New gaps\n\n- Secrets committed: absent → gap (critical)" in text
    assert "- Runs as root (`DEP002`): strength → gap (high)" in text
    assert "### Fixed" in text and "CI runs no tests" in text
    assert "`aaaaaaaaaaaa` → `bbbbbbbbbbbb`" in text


def test_unchanged_reports_say_no_change():
    old, _ = _pair()
    text = render_comparison(compare_reports(old, old))
    assert "No change." in text and "### " not in text


def _save(path: Path, rep) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(rep.model_dump_json())
    return path


def test_cli_compares_two_files_as_markdown_or_json(tmp_path: Path):
    old, new = _pair()
    a, b = _save(tmp_path / "old.json", old), _save(tmp_path / "new.json", new)
    result = CliRunner().invoke(app, [str(a), str(b)])
    assert result.exit_code == 0, result.output
    assert "Secrets committed" in result.stdout
    result = CliRunner().invoke(app, [str(a), str(b), "--json"])
    data = json.loads(result.stdout)
    assert data["overall"]["old"] == 55 and data["overall"]["new"] == 61
    assert [c["key"] for c in data["new"]] == ["security:secrets committed"]


def test_cli_since_compares_batch_folders_repository_by_repository(tmp_path: Path):
    old, new = _pair()
    _save(tmp_path / "prev/svc/report.json", old)
    _save(tmp_path / "prev/gone/report.json", report("gone", 40))
    _save(tmp_path / "now/svc/report.json", new)
    _save(tmp_path / "now/added/report.json", report("added", 88))
    result = CliRunner().invoke(
        app, ["--since", str(tmp_path / "prev"), str(tmp_path / "now"), "--json"]
    )
    assert result.exit_code == 0, result.output
    repos = {r["repo"]: r for r in json.loads(result.stdout)["repos"]}
    assert repos["svc"]["overall"] == {"category": None, "title": "Overall", "old": 55, "new": 61}
    assert repos["gone"]["only_in"] == "old" and repos["added"]["only_in"] == "new"
    text = CliRunner().invoke(app, ["--since", str(tmp_path / "prev"), str(tmp_path / "now")])
    assert "| svc | 55% | 61% | +6 | 1 | 1 | 2 |" in text.stdout
    assert "| added (only in new) | n/a | 88% | - |" in text.stdout


def test_cli_bad_inputs_exit_2_with_one_line(tmp_path: Path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"not": "a report"}')
    result = CliRunner().invoke(app, [str(bad), str(bad)])
    assert result.exit_code == 2
    assert "not a readiness report.json" in result.output
    assert "Traceback" not in result.output
    result = CliRunner().invoke(app, [str(tmp_path / "missing.json"), str(bad)])
    assert result.exit_code == 2 and "cannot read" in result.output
    result = CliRunner().invoke(app, ["--since", str(tmp_path / "nothing")])
    assert result.exit_code == 2 and "no such batch folder" in result.output


# --- by occurrence, and the --fail-on-new gate -----------------------------------------------


def _swallowed(*places: tuple[int, str], severity: Severity = Severity.high) -> Finding:
    return Finding(
        id="ERR002-fail",
        category=Category.error_handling,
        kind="gap",
        severity=severity,
        title="Exceptions are silently swallowed",
        source="probe",
        check_id="ERR002",
        evidence=[
            Evidence(path="app.py", start_line=line, end_line=line + 1, snippet=snippet)
            for line, snippet in places
        ],
    )


PASS_1 = (10, "    except Exception:\n        pass")
PASS_2 = (30, "    except ValueError:\n        pass")


def test_a_new_location_of_an_old_gap_is_new_and_a_moved_one_is_not():
    old = report("svc", 60, findings=[_swallowed(PASS_1)])
    moved = report("svc", 60, findings=[_swallowed((14, PASS_1[1]))])
    added = report("svc", 60, findings=[_swallowed((14, PASS_1[1]), PASS_2)])
    assert not compare_reports(old, moved).new_occurrences
    comparison = compare_reports(old, added)
    # Compared by check, nothing changed; by occurrence, one swallowed exception is new.
    assert not comparison.new and not comparison.regressed
    assert [c.location for c in comparison.new_occurrences] == ["app.py:30-31"]
    text = render_comparison(comparison)
    assert "### New locations of known gaps" in text
    assert "- Exceptions are silently swallowed (`ERR002`): high at `app.py:30-31`" in text
    fixed = compare_reports(added, old)
    assert [c.location for c in fixed.fixed_occurrences] == ["app.py:30-31"]


def test_the_same_text_twice_in_a_file_is_two_occurrences():
    twice = report("svc", 60, findings=[_swallowed(PASS_1, (40, PASS_1[1]))])
    once = report("svc", 60, findings=[_swallowed(PASS_1)])
    assert [c.location for c in compare_reports(once, twice).new_occurrences] == ["app.py:40-41"]


def test_fail_on_new_exits_1_with_one_line_at_or_above_the_threshold(tmp_path: Path):
    old = _save(tmp_path / "old.json", report("svc", 60, findings=[_swallowed(PASS_1)]))
    medium = report("svc", 60, findings=[_swallowed(PASS_1, PASS_2, severity=Severity.medium)])
    high = report("svc", 60, findings=[_swallowed(PASS_1, PASS_2)])
    new_medium = _save(tmp_path / "medium.json", medium)
    new_high = _save(tmp_path / "high.json", high)
    ok = CliRunner().invoke(app, [str(old), str(new_medium), "--fail-on-new", "high"])
    assert ok.exit_code == 0, ok.output
    failed = CliRunner().invoke(app, [str(old), str(new_high), "--fail-on-new", "high"])
    assert failed.exit_code == 1
    [line] = [x for x in failed.stderr.splitlines() if x.startswith("gate failed")]
    assert line == "gate failed: 1 new gap at high or worse: ERR002 (high) at app.py:30-31"
    unchanged = CliRunner().invoke(app, [str(old), str(old), "--fail-on-new", "low"])
    assert unchanged.exit_code == 0
    bad = CliRunner().invoke(app, [str(old), str(new_high), "--fail-on-new", "severe"])
    assert bad.exit_code == 2


def test_fail_on_new_across_batch_folders_names_the_repository(tmp_path: Path):
    _save(tmp_path / "prev/svc/report.json", report("svc", 60, findings=[_swallowed(PASS_1)]))
    _save(
        tmp_path / "now/svc/report.json", report("svc", 60, findings=[_swallowed(PASS_1, PASS_2)])
    )
    result = CliRunner().invoke(
        app, ["--since", str(tmp_path / "prev"), str(tmp_path / "now"), "--fail-on-new", "high"]
    )
    assert result.exit_code == 1
    assert "gate failed: svc: 1 new gap at high or worse: ERR002" in result.stderr


def test_against_a_probes_only_baseline_only_probe_gaps_can_be_new():
    from pipeline.compare import new_gaps

    old = report("svc", 60, findings=[_swallowed(PASS_1)])
    llm = finding("Retries missing", category=Category.reliability, severity=Severity.critical)
    llm = llm.model_copy(update={"source": "llm"})
    new = report("svc", 60, findings=[_swallowed(PASS_1, PASS_2), llm])
    assert {o.key for o in new_gaps(old, new, Severity.high)} == {"ERR002", llm_key(llm)}
    assert [o.location for o in new_gaps(old, new, Severity.high, probes_only=True)] == [
        "app.py:30-31"
    ]


def llm_key(found: Finding) -> str:
    from pipeline.assemble.occurrences import finding_key

    return finding_key(found)
