import csv
import json
from pathlib import Path

from pipeline.batch.summary import common_gaps, write_summaries
from pipeline.schemas import Category, Severity
from tests.batch.factories import finding, hand_batch, report


def test_summary_markdown_ranks_by_overall_score_and_lists_failures(tmp_path: Path):
    result = hand_batch(tmp_path)
    written = write_summaries(result)
    text = written["summary.md"].read_text()
    ranking = text.split("## Ranking")[1].split("## Failed")[0]
    rows = [line for line in ranking.splitlines() if line.startswith("| ") and "[" in line]
    assert [r.split("|")[2].strip() for r in rows] == [
        "[strong](strong/report.md)",
        "[mid](mid/report.md)",
        "[low](low/report.md)",
    ]
    # mid: one critical (TST001) and one high gap; low's muted critical is not counted.
    assert "| 60% | not ready | 1 | 1 |" in rows[1]
    assert "| 35% | not ready | 1 | 0 |" in rows[2]
    failed = text.split("## Failed")[1]
    assert "broken" in failed and "https://x/broken.git@v2" in failed
    assert "repository not found" in failed
    assert "1 reused from the previous run, 1 failed" in text
    # Pipes inside a title must not break the table.
    assert "Few tests \\| partial" in text


def test_summary_csv_and_json_carry_every_repository(tmp_path: Path):
    written = write_summaries(hand_batch(tmp_path))
    with written["summary.csv"].open() as handle:
        rows = list(csv.DictReader(handle))
    assert [r["name"] for r in rows] == ["strong", "mid", "low", "broken"]
    assert rows[1]["testing"] == "20" and rows[1]["security"] == ""
    assert rows[3]["run_status"] == "failed" and rows[3]["overall_score"] == ""
    data = json.loads(written["summary.json"].read_text())
    assert data["totals"] == {"repos": 4, "assessed": 2, "reused": 1, "failed": 1}
    assert [r["name"] for r in data["repos"]] == ["strong", "mid", "low", "broken"]
    assert data["common_gaps"][0] == {
        "key": "TST001",
        "title": "CI runs no tests",
        "category": "Testing",
        "severity": "critical",
        "count": 2,
        "repos": ["low", "mid"],
    }


def test_dashboard_is_self_contained_and_reports_render_without_raw_html(tmp_path: Path):
    result = hand_batch(tmp_path)
    written = write_summaries(result)
    html = written["index.html"].read_text()
    assert "http://" not in html and "https://x" not in html.split('<table id="failed">')[0]
    assert '<a href="mid/report.html">mid</a>' in html
    assert "hsl(" in html and 'id="heatmap"' in html
    page = (result.out / "mid" / "report.html").read_text()
    assert "<table>" in page and "<td>40</td>" in page
    # Text quoted from a repository is shown, never executed.
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert not (result.out / "broken" / "report.html").exists()


def test_common_gaps_count_each_repository_once_and_keep_the_worst_severity():
    a = report("a", 50, findings=[finding("No CI", check_id="CI1", severity=Severity.medium)] * 2)
    b = report("b", 50, findings=[finding("No CI", check_id="CI1", severity=Severity.critical)])
    c = report("c", 50, findings=[finding("Secrets in repo", category=Category.security)])
    gaps = common_gaps([a, b, c])
    assert [(g.key, g.count, g.severity) for g in gaps] == [
        ("CI1", 2, "critical"),
        ("security:secrets in repo", 1, "high"),
    ]
