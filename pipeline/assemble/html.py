"""report.html: the Markdown report as one self-contained page (for ``assess`` and a batch)."""

from __future__ import annotations

import functools

from markdown_it import MarkdownIt
from markupsafe import Markup

from pipeline import __version__
from pipeline.schemas import Report
from pipeline.templates import map_template_errors, render

TEMPLATE = "report/report.html"


@functools.cache
def _markdown() -> MarkdownIt:
    # Raw HTML stays off: report text quotes the assessed repository, which nobody vetted.
    return MarkdownIt("commonmark", {"html": False}).enable("table")


def markdown_to_html(markdown: str) -> str:
    """CommonMark with tables, raw HTML escaped."""
    return _markdown().render(markdown)


def render_html(markdown: str, report: Report, back: str | None = None) -> str:
    """The page for ``report`` whose Markdown is ``markdown``; ``back`` links to a dashboard."""
    with map_template_errors(TEMPLATE):
        return render(
            TEMPLATE,
            html=True,
            title=report.repo.name,
            body=Markup(markdown_to_html(markdown)),
            back=back,
            version=__version__,
        )
