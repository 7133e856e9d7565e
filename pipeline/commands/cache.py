"""``readiness cache stats|clear``: what the cache folder holds, and emptying it."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated

import typer

from pipeline.commands.common import guarded
from pipeline.errors import InputError
from pipeline.options import default_cache_dir

cache_app = typer.Typer(no_args_is_help=True)

# What lives under the cache folder, and what a user calls it.
PARTS: dict[str, str] = {
    "llm": "LLM answers",
    "embeddings": "embeddings",
    "chroma": "ChromaDB index",
    "runs": "run checkpoints",
    "repos": "cloned repositories",
}
# Files the cache folder keeps in git; clear never removes them.
KEPT = {"README.md", ".gitignore"}

CacheDirOption = Annotated[
    Path | None,
    typer.Option("--cache-dir", help="Cache folder (default: $READINESS_CACHE_DIR or ./cache)."),
]


def _size(path: Path) -> tuple[int, int]:
    """Bytes and files under ``path``."""
    if path.is_file():
        return path.stat().st_size, 1
    total = files = 0
    for item in path.rglob("*"):
        if item.is_file() and not item.is_symlink():
            total += item.stat().st_size
            files += 1
    return total, files


def _human(size: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


def _llm_answers(path: Path) -> int | None:
    if not path.is_dir():
        return None
    import diskcache

    with diskcache.Cache(str(path)) as cache:
        return len(cache)


@cache_app.command("stats")
def stats(cache_dir: CacheDirOption = None) -> None:
    """Show the size of each part of the cache."""
    with guarded():
        folder = (cache_dir or default_cache_dir()).resolve()
        typer.echo(f"cache: {folder}")
        if not folder.is_dir():
            typer.echo("  (empty: the folder does not exist yet)")
            return
        grand = 0
        for name, label in PARTS.items():
            size, files = _size(folder / name) if (folder / name).exists() else (0, 0)
            grand += size
            extra = ""
            if name == "llm":
                answers = _llm_answers(folder / name)
                extra = f", {answers} answers" if answers is not None else ""
            typer.echo(f"  {label:<20} {_human(size):>10}  {files} files{extra}")
        typer.echo(f"  {'total':<20} {_human(grand):>10}")


@cache_app.command("clear")
def clear(
    cache_dir: CacheDirOption = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete everything in the cache folder (LLM answers, embeddings, index, checkpoints)."""
    with guarded():
        folder = (cache_dir or default_cache_dir()).resolve()
        if folder.exists() and not folder.is_dir():
            raise InputError(f"{folder} is not a folder")
        if not folder.is_dir():
            typer.echo(f"nothing to clear: {folder} does not exist")
            return
        doomed = [item for item in folder.iterdir() if item.name not in KEPT]
        sizes = [_size(item) for item in doomed]
        size, files = sum(s for s, _ in sizes), sum(f for _, f in sizes)
        if not yes and not typer.confirm(
            f"Delete {files} files ({_human(size)}) under {folder}?", default=False
        ):
            typer.echo("cancelled: nothing deleted")
            raise typer.Exit(1)
        for item in doomed:
            if item.is_dir() and not item.is_symlink():
                shutil.rmtree(item)
            else:
                item.unlink()
        typer.echo(f"cleared {files} files ({_human(size)}) from {folder}")
