"""Turn a manifest entry into a folder on disk: clone or fetch git sources, check out the ref."""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import weakref
from dataclasses import dataclass
from pathlib import Path

from pipeline.batch.manifest import ManifestEntry
from pipeline.errors import InputError
from pipeline.secrets import redact_text

GIT_TIMEOUT_S = 300.0
# asyncio locks belong to one event loop; each asyncio.run of a batch gets its own set.
_LOCKS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[Path, asyncio.Lock]] = (
    weakref.WeakKeyDictionary()
)


@dataclass(frozen=True)
class ResolvedSource:
    """A repository ready to assess.

    Attributes:
        path: The folder to assess (the clone, or the user's folder when assessed in place).
        commit: The checked-out commit, when the source is a git repository.
        fingerprint: Changes whenever the assessed content may have changed (resume key).
    """

    path: Path
    commit: str | None
    fingerprint: str


async def resolve_source(
    entry: ManifestEntry, cache_dir: Path, exclude: tuple[Path, ...] = ()
) -> ResolvedSource:
    """Make ``entry`` available on disk.

    Git URLs, and local git repositories given with a ref, are cloned (or fetched when
    already cloned) into ``cache_dir/repos/<hash>`` and checked out at the ref. Local
    folders without a ref are assessed in place, as they are; their fingerprint ignores the
    ``exclude`` folders (the batch's own output and cache may live inside them).

    Raises:
        InputError: The path does not exist, or a git command failed (bad URL, unknown ref).
    """
    if entry.is_url or entry.ref:
        if not entry.is_url:
            _require_folder(entry)
            if await _git_toplevel(Path(entry.source)) is None:
                raise InputError(f"{entry.source}: a ref was given but it is not a git repository")
        return await _checkout(entry, cache_dir)
    folder = _require_folder(entry)
    commit = await _head_commit(folder)
    fingerprint = await asyncio.to_thread(_folder_fingerprint, folder, exclude)
    return ResolvedSource(path=folder, commit=commit, fingerprint=fingerprint)


def _require_folder(entry: ManifestEntry) -> Path:
    folder = Path(entry.source)
    if not folder.is_dir():
        raise InputError(f"{entry.source}: no such folder")
    if not os.access(folder, os.R_OK | os.X_OK):
        raise InputError(f"{entry.source}: folder is not readable")
    if entry.scope and not (folder / entry.scope).is_dir():
        raise InputError(f"{entry.source}: scope {entry.scope!r} is not a folder of it")
    return folder


async def _checkout(entry: ManifestEntry, cache_dir: Path) -> ResolvedSource:
    # One clone per (source, ref): entries of the same repository at different refs run
    # concurrently without fighting over one working tree.
    digest = hashlib.sha256(f"{entry.source}\0{entry.ref or ''}".encode()).hexdigest()[:16]
    clone = cache_dir / "repos" / digest
    locks = _LOCKS.setdefault(asyncio.get_running_loop(), {})
    lock = locks.setdefault(clone, asyncio.Lock())
    # Credentials reach git through the environment, never its config: the clone's remote
    # is the bare URL and git rewrites it to the credentialed one only while it runs.
    env = credentials_env(entry)
    async with lock:
        if (clone / ".git").is_dir():
            # Also scrubs the remote of a clone made before credentials were kept out of it.
            await run_git(["remote", "set-url", "origin", entry.source], cwd=clone)
            await run_git(["fetch", "--force", "--tags", "--prune", "origin"], cwd=clone, env=env)
        else:
            if clone.exists():
                shutil.rmtree(clone)  # a clone interrupted half-way
            clone.parent.mkdir(parents=True, exist_ok=True)
            await run_git(["clone", "--no-checkout", "--", entry.source, str(clone)], env=env)
        commit = await _resolve_ref(clone, entry)
        await run_git(["checkout", "--force", "--detach", commit], cwd=clone)
        await run_git(["clean", "-fdx", "--quiet"], cwd=clone)
    if entry.scope and not (clone / entry.scope).is_dir():
        raise InputError(f"{entry.source}@{commit[:12]}: scope {entry.scope!r} is not a folder")
    return ResolvedSource(path=clone, commit=commit, fingerprint=f"git:{commit}")


async def _resolve_ref(clone: Path, entry: ManifestEntry) -> str:
    # A branch lives under origin/ after a fetch; tags and commits resolve as they are.
    candidates = [f"origin/{entry.ref}", entry.ref] if entry.ref else ["origin/HEAD", "HEAD"]
    for candidate in candidates:
        try:
            out = await run_git(["rev-parse", "--verify", "-q", f"{candidate}^{{commit}}"], clone)
        except InputError:
            continue
        return out.strip()
    raise InputError(f"{entry.source}: no branch, tag or commit named {entry.ref!r}")


async def _git_toplevel(folder: Path) -> str | None:
    try:
        return (await run_git(["rev-parse", "--show-toplevel"], cwd=folder)).strip()
    except InputError:
        return None


async def _head_commit(folder: Path) -> str | None:
    if await _git_toplevel(folder) is None:
        return None
    try:
        return (await run_git(["rev-parse", "--verify", "--quiet", "HEAD"], cwd=folder)).strip()
    except InputError:
        return None  # a repository with no commit yet


def credentials_env(entry: ManifestEntry) -> dict[str, str]:
    """Environment that lets git reach ``entry.source`` with the manifest's credentials.

    ``url.<with credentials>.insteadOf=<without>`` given as ``GIT_CONFIG_*`` variables lives
    only in the one git process: not in its arguments, not in any config file it writes.
    """
    if entry.credentials_url is None:
        return {}
    count = os.environ.get("GIT_CONFIG_COUNT", "")
    index = int(count) if count.isdigit() else 0
    return {
        "GIT_CONFIG_COUNT": str(index + 1),
        f"GIT_CONFIG_KEY_{index}": f"url.{entry.credentials_url}.insteadOf",
        f"GIT_CONFIG_VALUE_{index}": entry.source,
    }


async def run_git(
    args: list[str],
    cwd: Path | None = None,
    timeout: float = GIT_TIMEOUT_S,
    env: dict[str, str] | None = None,
) -> str:
    """Run ``git`` without prompts and return its stdout.

    Raises:
        InputError: git failed, timed out or is not installed; the message is git's last
            line, with any credential in it masked.
    """
    env = {
        **os.environ,
        **(env or {}),
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_ASKPASS": "",
        "SSH_ASKPASS": "",
        "GIT_SSH_COMMAND": os.environ.get("GIT_SSH_COMMAND", "ssh -o BatchMode=yes"),
    }
    try:
        proc = await asyncio.create_subprocess_exec(
            "git",
            *args,
            cwd=cwd,
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
    except OSError as exc:
        raise InputError(f"cannot run git: {exc}") from exc
    try:
        stdout, stderr = await asyncio.wait_for(proc.communicate(), timeout)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise InputError(f"git {args[0]} timed out after {timeout:.0f}s") from None
    if proc.returncode != 0:
        raise InputError(
            f"git {args[0]} failed: {redact_text(_git_reason(stderr, proc.returncode))}"
        )
    return stdout.decode(errors="replace")


def _git_reason(stderr: bytes, code: int | None) -> str:
    """The line of git's message that says what went wrong: its first ``fatal:``/``error:``
    line (the last line is often advice such as "...and the repository exists.")."""
    lines = [line.strip() for line in stderr.decode(errors="replace").splitlines() if line.strip()]
    for line in lines:
        if line.startswith(("fatal:", "error:")):
            return line.split(":", 1)[1].strip()
    return lines[-1] if lines else f"exit code {code}"


def _folder_fingerprint(folder: Path, exclude: tuple[Path, ...] = ()) -> str:
    """A cheap hash of every file's path, size and mtime (git metadata excluded).

    The whole folder counts even for a scoped entry: root files such as CI configs are read too.
    """
    digest = hashlib.sha256()
    skipped = {path.resolve() for path in exclude}
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(
            d for d in dirnames if d != ".git" and (Path(dirpath) / d).resolve() not in skipped
        )
        for filename in sorted(filenames):
            full = Path(dirpath) / filename
            try:
                stat = full.stat()
            except OSError:
                # Gone between listing and stat (or a dangling link): ingest will not see
                # it either, so it has no part in the fingerprint.
                continue
            rel = full.relative_to(folder).as_posix()
            digest.update(f"{rel}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return f"tree:{digest.hexdigest()}"
