"""Owner waivers from readiness.toml or [tool.readiness]: muted, expiring, validated."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.errors import ConfigError
from pipeline.schemas import Category, CheckResult, Outcome, Severity, Waiver
from pipeline.scoring import apply_waivers


def check(check_id: str) -> CheckResult:
    return CheckResult(
        id=check_id,
        category=Category.security,
        severity=Severity.high,
        title="t",
        outcome=Outcome.failed,
        message="m",
    )


def test_readiness_toml_mutes_a_check_with_its_reason(tmp_path: Path) -> None:
    (tmp_path / "readiness.toml").write_text(
        '[[waive]]\nid = "SEC012"\nstatus = "accepted_risk"\nreason = "Behind the VPN"\n'
        "expires = 2027-01-01\n"
    )
    out = apply_waivers(
        load_config(tmp_path), [check("SEC012"), check("SEC001")], today=date(2026, 6, 1)
    )
    assert out[0].waiver is Waiver.accepted_risk
    assert out[0].waiver_reason == "Behind the VPN (until 2027-01-01)"
    assert out[1].waiver is None


def test_expired_waiver_is_ignored_and_says_so(tmp_path: Path) -> None:
    (tmp_path / "readiness.toml").write_text(
        '[[waive]]\nid = "SEC012"\nstatus = "not_applicable"\nreason = "x"\nexpires = 2025-01-01\n'
    )
    out = apply_waivers(load_config(tmp_path), [check("SEC012")], today=date(2026, 6, 1))
    assert out[0].waiver is None and "expired on 2025-01-01" in (out[0].waiver_reason or "")


def test_pyproject_tool_readiness_is_read(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "a"\n[[tool.readiness.waive]]\nid = "DEP001"\n'
        'status = "not_applicable"\nreason = "Shipped as a wheel"\n'
    )
    out = apply_waivers(load_config(tmp_path), [check("DEP001")])
    assert out[0].waiver is Waiver.not_applicable


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("[[waive]\nid = 1\n", "invalid TOML"),
        ('[[waive]]\nid = "SEC012"\nstatus = "ignored"\nreason = "x"\n', "accepted_risk"),
        ('[[waive]]\nid = "SEC012"\nstatus = "accepted_risk"\n', "reason"),
        (
            '[[waive]]\nid = "SEC012"\nstatus = "accepted_risk"\nreason = "x"\nexpires = "soon"\n',
            "date",
        ),
    ],
)
def test_invalid_readiness_toml_is_a_one_line_config_error(tmp_path: Path, body, problem) -> None:
    (tmp_path / "readiness.toml").write_text(body)
    with pytest.raises(ConfigError) as info:
        apply_waivers(load_config(tmp_path), [check("SEC012")])
    message = str(info.value)
    assert message.startswith("readiness.toml") and problem in message and "\n" not in message
