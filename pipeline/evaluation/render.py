"""Write an evaluation's ``eval.json`` and its Markdown twin ``eval.md``."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pipeline.evaluation.aggregate import EvalResult
from pipeline.rubric import category_title
from pipeline.templates import render

EVAL_TEMPLATE = "eval/eval.md.j2"


def pct(value: float | None) -> str:
    """A ratio as a whole percentage; a dash when there was nothing to measure."""
    return "–" if value is None else f"{100 * value:.0f}%"


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def render_markdown(result: EvalResult) -> str:
    """The evaluation as Markdown: models side by side, then per category and repository."""
    return render(
        EVAL_TEMPLATE,
        result=result,
        evaluated=result.models[-1],
        pct=pct,
        title=lambda category: category_title(category),
    )


def write_eval(result: EvalResult, out: Path) -> dict[str, Path]:
    """Write ``out/eval.json`` and ``out/eval.md``; returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = {"json": out / "eval.json", "md": out / "eval.md"}
    _write_atomic(written["json"], result.model_dump_json(indent=2) + "\n")
    _write_atomic(written["md"], render_markdown(result))
    return written
