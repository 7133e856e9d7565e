"""The batch outputs: summary.md/.csv/.json, index.html and each report rendered as HTML."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.assemble.html import render_html
from pipeline.assemble.markdown import cell
from pipeline.checkpoint import atomic_write_text
from pipeline.rubric import CATEGORIES
from pipeline.schemas import SEVERITY_ORDER, Report, Severity
from pipeline.secrets import redact_text
from pipeline.templates import environment, render

if TYPE_CHECKING:
    from pipeline.batch.results import BatchResult, RepoOutcome

COMMON_GAPS_SHOWN = 15


@dataclass(frozen=True)
class CommonGap:
    """A gap found in several repositories (matched by check id, else category and title)."""

    key: str
    title: str
    category: str
    severity: str
    repos: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.repos)


def write_summaries(result: BatchResult) -> dict[str, Path]:
    """Write every summary of ``result`` into its output folder; returns them by name."""
    out = result.out
    rows = summary_rows(result)
    gaps = common_gaps([o.report for o in result.outcomes if o.report is not None])
    for outcome in result.outcomes:
        if outcome.report is not None and (outcome.out_dir / "report.md").is_file():
            write_report_html(outcome.out_dir / "report.md", outcome.report)
    categories = [{"id": c.value, "title": spec.title} for c, spec in CATEGORIES.items()]
    failed = [r for r in rows if r["run_status"] == "failed"]
    ranked = [r for r in rows if r["run_status"] != "failed"]
    context: dict[str, Any] = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "categories": categories,
        "ranked": ranked,
        "failed": failed,
        "gaps": gaps[:COMMON_GAPS_SHOWN],
        "totals": _totals(result),
        "usage": result.usage.model_dump(),
        # The fleet's LLM calls against its rate limit (None from hand-built results).
        "llm_rate": result.rate.as_dict() if result.rate is not None else None,
        "seconds": round(result.seconds, 1),
    }
    written = {
        "summary.md": out / "summary.md",
        "summary.csv": out / "summary.csv",
        "summary.json": out / "summary.json",
        "index.html": out / "index.html",
    }
    summary_md = render("batch/summary.md", **context, cell=markdown_cell)
    atomic_write_text(written["summary.md"], summary_md)
    atomic_write_text(written["summary.csv"], _csv(rows, categories))
    data = {**context, "common_gaps": [_gap_dict(g) for g in gaps], "repos": ranked + failed}
    for key in ("ranked", "failed", "gaps"):
        data.pop(key)
    atomic_write_text(written["summary.json"], json.dumps(data, indent=2) + "\n")
    html = environment(html=True).get_template("batch/index.html")
    atomic_write_text(written["index.html"], html.render(**context, score_color=score_color))
    return written


def summary_rows(result: BatchResult) -> list[dict[str, Any]]:
    """One row per repository: assessed ones ranked best first, then the failed ones."""
    rows = [_row(outcome) for outcome in result.outcomes]
    ok = [r for r in rows if r["run_status"] != "failed"]
    ok.sort(key=lambda r: (r["overall_score"] is None, -(r["overall_score"] or 0), r["name"]))
    for rank, row in enumerate(ok, start=1):
        row["rank"] = rank
    failed = sorted((r for r in rows if r["run_status"] == "failed"), key=lambda r: r["name"])
    return ok + failed


def _row(outcome: RepoOutcome) -> dict[str, Any]:
    entry, report = outcome.entry, outcome.report
    row: dict[str, Any] = {
        "rank": None,
        "name": entry.name,
        "source": redact_text(entry.source),  # a token in a query string is not split off
        "ref": entry.ref,
        "scope": entry.scope,
        "commit": outcome.commit,
        "run_status": outcome.status,
        "error": outcome.error,
        "seconds": round(outcome.seconds, 2),
        "worker": outcome.worker,
        "overall_score": None,
        "status": None,
        "critical_gaps": None,
        "high_gaps": None,
        "scores": {},
        "verdicts": {},
        "report_md": None,
        "report_html": None,
    }
    if report is None:
        return row
    gaps = open_gaps(report)
    row.update(
        overall_score=report.overall_score,
        status=report.status,
        critical_gaps=sum(1 for f in gaps if f.severity == Severity.critical),
        high_gaps=sum(1 for f in gaps if f.severity == Severity.high),
        scores={c.id.value: c.score for c in report.categories},
        verdicts={c.id.value: c.verdict.value for c in report.categories},
    )
    if (outcome.out_dir / "report.md").is_file():  # absent with --format json
        row.update(report_md=f"{entry.name}/report.md", report_html=f"{entry.name}/report.html")
    return row


def open_gaps(report: Report) -> list[Any]:
    """The gaps of a report that nobody muted."""
    return [f for f in report.findings if f.kind == "gap" and not f.muted]


def common_gaps(reports: list[Report]) -> list[CommonGap]:
    """Gaps across the fleet, most widespread first (each repository counts once per gap)."""
    seen: dict[str, dict[str, Any]] = {}
    for report in reports:
        for finding in open_gaps(report):
            key = finding.check_id or f"{finding.category.value}:{finding.title.lower()}"
            item = seen.setdefault(
                key,
                {"title": finding.title, "category": finding.category, "sev": finding.severity},
            )
            item.setdefault("repos", set()).add(report.repo.name)
            if SEVERITY_ORDER[finding.severity] < SEVERITY_ORDER[item["sev"]]:
                item["sev"] = finding.severity
    gaps = [
        CommonGap(
            key=key,
            title=item["title"],
            category=CATEGORIES[item["category"]].title,
            severity=item["sev"].value,
            repos=tuple(sorted(item["repos"])),
        )
        for key, item in seen.items()
    ]
    gaps.sort(key=lambda g: (-g.count, SEVERITY_ORDER[Severity(g.severity)], g.title))
    return gaps


def write_report_html(markdown_path: Path, report: Report) -> Path:
    """Render a report's Markdown as a standalone HTML page next to it (``report.html``),
    with a link back to the dashboard."""
    html = render_html(markdown_path.read_text(encoding="utf-8"), report, back="../index.html")
    target = markdown_path.with_name("report.html")
    atomic_write_text(target, html)
    return target


def score_color(score: int | None) -> str:
    """The heat-map colour of a score: red at 0, amber at 50, green at 100, grey without one."""
    if score is None:
        return "#e5e7eb"
    hue = round(max(0, min(100, score)) * 1.2)
    return f"hsl({hue}, 70%, 78%)"


def markdown_cell(value: object) -> str:
    """A value made safe for a Markdown table cell ('-' for nothing)."""
    return cell(value) or "-"


def _totals(result: BatchResult) -> dict[str, int]:
    statuses = [o.status for o in result.outcomes]
    return {
        "repos": len(statuses),
        "assessed": statuses.count("assessed"),
        "reused": statuses.count("reused"),
        "failed": statuses.count("failed"),
    }


def _csv(rows: list[dict[str, Any]], categories: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    fixed = ["rank", "name", "overall_score", "status", "critical_gaps", "high_gaps"]
    tail = ["run_status", "source", "ref", "scope", "commit", "error"]
    writer.writerow(fixed + [c["id"] for c in categories] + tail)
    for row in rows:
        scores = [row["scores"].get(c["id"]) for c in categories]
        cells = [row[k] for k in fixed] + scores + [row[k] for k in tail]
        writer.writerow(["" if cell is None else cell for cell in cells])
    return buffer.getvalue()


def _gap_dict(gap: CommonGap) -> dict[str, Any]:
    return {
        "key": gap.key,
        "title": gap.title,
        "category": gap.category,
        "severity": gap.severity,
        "count": gap.count,
        "repos": list(gap.repos),
    }
