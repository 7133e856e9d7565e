"""Headless Debian Chromium through Playwright (never a downloaded browser)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium is absent: run `make browser` to install it"
)


@contextmanager
def chromium_page() -> Iterator[Any]:
    """A fresh page; any request that is not file:// fails the test (the dashboard is offline)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            outside: list[str] = []
            page.on(
                "request",
                lambda request: (
                    outside.append(request.url)
                    if not request.url.startswith(("file://", "data:", "about:"))
                    else None
                ),
            )
            yield page
            assert outside == [], f"the page fetched from outside: {outside}"
        finally:
            browser.close()
