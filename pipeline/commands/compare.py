"""``readiness compare``: what is new, fixed or regressed between two assessments."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from pipeline.assemble.occurrences import at_or_above
from pipeline.commands.common import guarded
from pipeline.compare import (
    BatchComparison,
    Comparison,
    compare_batches,
    compare_reports,
    describe_gaps,
    load_report,
    render_comparison,
)
from pipeline.errors import InputError
from pipeline.schemas import Severity

DEFAULT_BATCH_OUT = Path("reports/batch")


def compare_command(
    old: Annotated[
        Path | None, typer.Argument(help="OLD report.json (or, with --since, the NEW batch).")
    ] = None,
    new: Annotated[Path | None, typer.Argument(help="NEW report.json.")] = None,
    since: Annotated[
        Path | None, typer.Option(help="A previous batch folder to compare a batch against.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of Markdown.")] = (
        False
    ),
    fail_on_new: Annotated[
        Severity | None,
        typer.Option(
            case_sensitive=False,
            help="Exit 1 when NEW has a gap location of this severity or worse that OLD had"
            " not (a new location of an old gap counts).",
        ),
    ] = None,
) -> None:
    """Compare OLD.json with NEW.json, or a batch folder with a previous one (--since)."""
    with guarded():
        comparison = _compare(old, new, since)
        if as_json:
            print(json.dumps(comparison.model_dump(mode="json"), indent=2))
        else:
            print(render_comparison(comparison), end="")
    if fail_on_new is not None:
        reasons = _new_gaps(comparison, fail_on_new)
        for reason in reasons:
            typer.echo(f"gate failed: {reason}", err=True)
        if reasons:
            raise typer.Exit(1)


def _new_gaps(comparison: Comparison | BatchComparison, threshold: Severity) -> list[str]:
    """One line per repository that gained gap locations at ``threshold`` or worse."""
    items = comparison.repos if isinstance(comparison, BatchComparison) else [comparison]
    reasons = []
    for item in items:
        found = [o for o in item.new_occurrences if at_or_above(o.severity, threshold)]
        if found:
            what = f"new gaps at {threshold.value} or worse"
            prefix = f"{item.repo}: " if isinstance(comparison, BatchComparison) else ""
            reasons.append(prefix + describe_gaps(found, what))
    return reasons


def _compare(
    old: Path | None, new: Path | None, since: Path | None
) -> Comparison | BatchComparison:
    if since is not None:
        if new is not None:
            raise InputError("with --since, give at most one folder: the new batch")
        return compare_batches(since, old or DEFAULT_BATCH_OUT)
    if old is None or new is None:
        raise InputError("give OLD.json and NEW.json, or --since PREVIOUS_BATCH [NEW_BATCH]")
    if old.is_dir() and new.is_dir():
        return compare_batches(old, new)
    return compare_reports(load_report(old), load_report(new))
