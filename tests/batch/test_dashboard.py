"""index.html in headless Chromium: it renders, sorts on a click, and its links resolve."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipeline.batch.summary import write_summaries
from tests.batch.browser import chromium_page, needs_chromium
from tests.batch.factories import hand_batch

pytestmark = [pytest.mark.browser, needs_chromium]

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


def column(page: Any, index: int) -> list[str]:
    cells = page.locator(f"#ranking tbody tr td:nth-child({index})")
    return [text.strip() for text in cells.all_inner_texts()]


def check_dashboard(index: Path, screenshot: Path | None = None) -> list[str]:
    """Open the dashboard, sort it, follow every report link; returns the repository names."""
    with chromium_page() as page:
        page.goto(index.as_uri())
        names = column(page, 2)
        assert names, "the ranking table has no row"
        scores = [int(s.rstrip("%")) for s in column(page, 3) if s != "n/a"]
        assert scores == sorted(scores, reverse=True), "the table starts ranked best first"
        assert page.locator("#heatmap tbody tr").count() == len(names)
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot), full_page=True)

        page.click("#ranking th:nth-child(2)")  # Repository
        assert column(page, 2) == sorted(names, key=str.lower)
        page.click("#ranking th:nth-child(2)")
        assert column(page, 2) == sorted(names, key=str.lower, reverse=True)
        page.click("#ranking th:nth-child(3)")  # Overall, ascending
        ascending = [int(s.rstrip("%")) for s in column(page, 3) if s != "n/a"]
        assert ascending == sorted(scores)
        assert page.locator("#ranking th:nth-child(3)").get_attribute("aria-sort") == "ascending"

        hrefs = page.locator("#ranking tbody a").evaluate_all("links => links.map(a => a.href)")
        assert len(hrefs) == len(names)
        for href in hrefs:
            response = page.goto(href)
            assert response is not None and response.ok, href
            assert page.locator("#report h1").count() == 1, f"{href} shows no report"
            page.click("nav a")  # back to the dashboard through the page's own link
            assert page.url == index.as_uri()
        return names


def test_dashboard_of_a_hand_built_batch(tmp_path: Path):
    result = hand_batch(tmp_path)
    write_summaries(result)
    names = check_dashboard(result.out / "index.html")
    assert sorted(names) == ["low", "mid", "strong"]
