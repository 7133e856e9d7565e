"""The baseline a gate compares with: a report.json, or the repository at a git revision.

``readiness assess PATH --fail-on-new high`` (the pre-commit hook) asks what gaps a change
adds. The answer needs the gaps before the change: by default those of ``HEAD``. Its files
are read from git's objects (not ``git archive``, which drops ``export-ignore`` paths) into
the cache, once per commit, and assessed probes-only; the resulting report is kept per
commit and settings, so the next commit attempt on the same ``HEAD`` reads one file.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

from pipeline.checkpoint import fingerprint
from pipeline.compare import load_report
from pipeline.errors import InputError
from pipeline.options import AssessOptions
from pipeline.progress import Progress
from pipeline.runner import assess, code_fingerprint
from pipeline.schemas import Report

DEFAULT_REVISION = "HEAD"


def load_baseline(options: AssessOptions, baseline: str, progress: Progress) -> Report | None:
    """The report to compare with: ``baseline`` as a report.json file, else as a git revision
    of the assessed repository. None when the revision is ``HEAD`` of a repository that has
    no commit yet (everything is new).

    Raises:
        InputError: ``baseline`` is neither a readable report.json nor a revision.
    """
    as_file = Path(baseline).expanduser()
    if as_file.is_file():
        return load_report(as_file)
    root = options.path.expanduser().resolve()
    commit = _git(root, "rev-parse", "--verify", "-q", f"{baseline}^{{commit}}")
    if commit is None:
        if baseline == DEFAULT_REVISION and _git(root, "rev-parse", "--git-dir") is not None:
            return None  # the first commit: nothing before it
        raise InputError(
            f"--baseline {baseline}: neither a report.json nor a git revision of {options.path}"
        )
    commit = commit.strip()
    prefix = (_git(root, "rev-parse", "--show-prefix") or "").strip()
    settings = fingerprint(
        code_fingerprint(), options.select, options.ignore, options.scope, options.max_files
    )
    folder = (
        options.cache_dir
        / "baselines"
        / hashlib.sha256(str(root).encode()).hexdigest()[:16]
        / commit[:20]
    )
    saved = folder / f"report-{settings}.json"
    if saved.is_file():
        return load_report(saved)
    tree = folder / "tree"
    if not (folder / "tree.complete").is_file():
        _export(root, commit, prefix, tree)
        (folder / "tree.complete").write_text(commit + "\n")
    result = assess(
        replace(
            options,
            path=tree,
            out=folder / "out",
            formats=("json",),
            name=options.name or root.name,
            probes_only=True,
        ),
        progress,
    )
    shutil.copyfile(result.written["json"], saved)
    return result.report


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-c", "safe.directory=*", "-C", str(root), *args],
            capture_output=True,
            check=False,
            timeout=120,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.decode("utf-8", "surrogateescape") if done.returncode == 0 else None


def _export(root: Path, commit: str, prefix: str, tree: Path) -> None:
    """Write the regular files of ``commit`` under ``prefix`` into ``tree``."""
    listing = subprocess.run(
        ["git", "-c", "safe.directory=*", "-C", str(root), "ls-tree", "-r", "-z", "--full-tree"]
        + [commit],
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout.decode("utf-8", "surrogateescape")
    blobs: list[tuple[str, str]] = []
    for entry in filter(None, listing.split("\0")):
        meta, _, path = entry.partition("\t")
        mode, kind, sha = meta.split()
        # Regular files only: links and submodules are not read in a work tree either.
        if kind == "blob" and mode in ("100644", "100755") and path.startswith(prefix):
            blobs.append((sha, path[len(prefix) :]))
    if tree.exists():
        shutil.rmtree(tree)
    tree.mkdir(parents=True)
    contents = subprocess.run(
        ["git", "-c", "safe.directory=*", "-C", str(root), "cat-file", "--batch"],
        input="".join(f"{sha}\n" for sha, _ in blobs).encode(),
        capture_output=True,
        check=True,
        timeout=600,
    ).stdout
    offset = 0
    for _, path in blobs:
        header_end = contents.index(b"\n", offset)
        size = int(contents[offset:header_end].split()[2])
        start = header_end + 1
        target = tree / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(contents[start : start + size])
        offset = start + size + 1
