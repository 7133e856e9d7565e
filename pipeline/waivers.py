"""Owner waivers: ``readiness.toml`` (or ``[tool.readiness]`` in pyproject.toml) mutes checks.

```toml
[[waive]]
id = "SEC012"
status = "accepted_risk"        # or "not_applicable"
reason = "Internal tool behind the VPN"
expires = 2027-01-01            # optional; an expired waiver is ignored
```
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError
from pipeline.schemas import CheckResult, Waiver


@dataclass(frozen=True)
class WaiverEntry:
    """One owner decision about one check id."""

    id: str
    status: Waiver
    reason: str
    expires: date | None = None


def load_waivers(root: Path) -> tuple[list[WaiverEntry], str | None]:
    """The waivers declared in the repository, and the file they came from (None if none).

    Raises:
        ConfigError: The file does not parse or a waiver is malformed.
    """
    own = root / "readiness.toml"
    if own.is_file():
        return _entries(_parse(own), own.name), own.name
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            section = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {})
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):
            return [], None  # a broken pyproject is the CFG007 probe's finding, not ours
        table = section.get("readiness") if isinstance(section, dict) else None
        if isinstance(table, dict):
            return _entries(table, "pyproject.toml [tool.readiness]"), "pyproject.toml"
    return [], None


def _parse(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path.name}: invalid TOML: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path.name}: cannot read: {exc}") from exc


def _entries(table: dict[str, Any], where: str) -> list[WaiverEntry]:
    raw = table.get("waive", [])
    if not isinstance(raw, list):
        raise ConfigError(f"{where}: `waive` must be an array of tables ([[waive]])")
    entries = []
    for number, item in enumerate(raw, 1):
        if not isinstance(item, dict):
            raise ConfigError(f"{where}: waiver #{number} must be a table")
        unknown = set(item) - {"id", "status", "reason", "expires"}
        if unknown:
            raise ConfigError(f"{where}: waiver #{number} has unknown key(s) {sorted(unknown)}")
        check_id, status, reason = item.get("id"), item.get("status"), item.get("reason")
        if not isinstance(check_id, str) or not check_id:
            raise ConfigError(f'{where}: waiver #{number} needs an `id` such as "SEC012"')
        if status not in {w.value for w in Waiver}:
            raise ConfigError(
                f"{where}: waiver {check_id} has status {status!r}; use "
                '"accepted_risk" or "not_applicable"'
            )
        if not isinstance(reason, str) or not reason.strip():
            raise ConfigError(f"{where}: waiver {check_id} needs a non-empty `reason`")
        expires = item.get("expires")
        if expires is not None and not isinstance(expires, date):
            raise ConfigError(
                f"{where}: waiver {check_id} `expires` must be a date like 2027-01-01"
            )
        entries.append(WaiverEntry(check_id, Waiver(status), reason.strip(), expires))
    return entries


def apply_waivers(
    root: Path, checks: list[CheckResult], today: date | None = None
) -> list[CheckResult]:
    """Mark the checks the owners waived; expired waivers only note their expiry.

    Raises:
        ConfigError: readiness.toml (or [tool.readiness]) is invalid.
    """
    entries, source = load_waivers(root)
    today = today or date.today()
    by_id = {e.id: e for e in entries}
    result = []
    for check in checks:
        entry = by_id.get(check.id)
        if entry is None:
            result.append(check)
        elif entry.expires is not None and entry.expires < today:
            result.append(
                check.model_copy(
                    update={
                        "waiver_reason": f"Waiver in {source} expired on "
                        f"{entry.expires.isoformat()} ({entry.reason}); the check counts again."
                    }
                )
            )
        else:
            until = f" (until {entry.expires.isoformat()})" if entry.expires else ""
            result.append(
                check.model_copy(
                    update={"waiver": entry.status, "waiver_reason": entry.reason + until}
                )
            )
    return result
