"""Owner waivers: checks the repository's owners accepted or ruled out in readiness.toml."""

from __future__ import annotations

from datetime import date

from pipeline.config import RepoConfig
from pipeline.schemas import CheckResult


def apply_waivers(
    config: RepoConfig, checks: list[CheckResult], today: date | None = None
) -> list[CheckResult]:
    """Mark the checks the owners waived; expired waivers only note their expiry."""
    today = today or date.today()
    by_id = {e.id: e for e in config.waivers}
    result = []
    for check in checks:
        entry = by_id.get(check.id)
        if entry is None:
            result.append(check)
        elif entry.expires is not None and entry.expires < today:
            note = (
                f"Waiver in {config.source} expired on {entry.expires.isoformat()} "
                f"({entry.reason}); the check counts again."
            )
            result.append(check.model_copy(update={"waiver_reason": note}))
        else:
            until = f" (until {entry.expires.isoformat()})" if entry.expires else ""
            result.append(
                check.model_copy(
                    update={"waiver": entry.status, "waiver_reason": entry.reason + until}
                )
            )
    return result
