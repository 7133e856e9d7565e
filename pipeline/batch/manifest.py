"""Read a batch manifest (text, CSV or YAML) into a list of repositories to assess."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import yaml

from pipeline.errors import InputError

_URL_RE = re.compile(r"^(https?|ssh|git|file)://|^[\w.-]+@[\w.-]+:")
_KEYS = {"repo", "path", "url", "ref", "scope", "name"}
_SOURCE_KEYS = ("repo", "path", "url")


@dataclass(frozen=True)
class ManifestEntry:
    """One repository of a batch.

    Attributes:
        source: A git URL without credentials, or a local path (absolute, or resolved against
            the manifest's folder). It is what summaries, errors and the clone's remote show.
        name: Unique, folder-safe name; the repository's output folder is ``out/<name>``.
        ref: Branch, tag or commit to check out; None assesses the working tree as it is.
        scope: Monorepo subfolder to assess, relative to the repository root.
        line: Line of the manifest the entry came from, for error messages.
    """

    source: str
    name: str
    ref: str | None = None
    scope: str | None = None
    line: int = 0
    # The URL as the manifest wrote it, when it carried credentials (``https://user:token@``):
    # handed to git alone, never shown, stored or compared. ``source`` is the URL without them.
    credentials_url: str | None = field(default=None, repr=False, compare=False)

    @property
    def is_url(self) -> bool:
        return is_git_url(self.source)

    def key(self) -> dict[str, str | None]:
        """What identifies the entry in the resume state."""
        return {"source": self.source, "ref": self.ref, "scope": self.scope}


def is_git_url(source: str) -> bool:
    """Whether ``source`` is a git URL (https, ssh, git, file or scp-like) rather than a path."""
    return bool(_URL_RE.match(source))


def parse_manifest(path: Path) -> list[ManifestEntry]:
    """Parse a manifest; the format follows the suffix (.csv, .yaml/.yml, anything else: text).

    Raises:
        InputError: The file is missing, empty or malformed; the message names the line.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read manifest {path}: {exc}") from exc
    suffix = path.suffix.lower()
    if suffix == ".csv":
        raw = _parse_csv(path.name, text)
    elif suffix in (".yaml", ".yml"):
        raw = _parse_yaml(path.name, text)
    else:
        raw = _parse_text(text)
    if not raw:
        raise InputError(f"{path.name}: the manifest lists no repository")
    base = path.resolve().parent
    entries: list[ManifestEntry] = []
    used: set[str] = set()
    for line, fields in raw:
        entries.append(_entry(path.name, base, line, fields, used))
    return entries


def _parse_text(text: str) -> list[tuple[int, dict[str, Any]]]:
    rows = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(" #", 1)[0].strip()
        if line and not line.startswith("#"):
            rows.append((number, {"repo": line}))
    return rows


def _parse_csv(label: str, text: str) -> list[tuple[int, dict[str, Any]]]:
    # Comment lines are blanked, not dropped, so line numbers stay those of the file.
    lines = ["" if line.lstrip().startswith("#") else line for line in text.splitlines()]
    reader = csv.reader(io.StringIO("\n".join(lines)))
    header: list[str] | None = None
    rows = []
    for row in reader:
        number = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [cell.strip().lower() for cell in row]
            unknown = sorted(set(header) - _KEYS)
            if unknown:
                raise InputError(f"{label}:{number}: unknown column(s) {', '.join(unknown)}")
            if not any(key in header for key in _SOURCE_KEYS):
                raise InputError(f"{label}:{number}: the header needs a repo, path or url column")
            continue
        if len(row) > len(header):
            raise InputError(f"{label}:{number}: {len(row)} cells for {len(header)} columns")
        rows.append((number, dict(zip(header, (cell.strip() for cell in row), strict=False))))
    return rows


def _parse_yaml(label: str, text: str) -> list[tuple[int, dict[str, Any]]]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise InputError(f"{label}{where}: not valid YAML ({exc})") from exc
    if node is None:
        return []
    # A mapping with a `repos:` list is accepted as well as a bare list.
    if isinstance(node, yaml.MappingNode):
        inner = [v for k, v in node.value if k.value in ("repos", "repositories")]
        if not inner:
            line = node.start_mark.line + 1
            raise InputError(f"{label}:{line}: expected a list of repositories")
        node = inner[0]
    if not isinstance(node, yaml.SequenceNode):
        raise InputError(f"{label}:{node.start_mark.line + 1}: expected a list of repositories")
    rows = []
    for item in node.value:
        line = item.start_mark.line + 1
        value = yaml.safe_load(yaml.serialize(item))
        if isinstance(value, str):
            rows.append((line, {"repo": value}))
        elif isinstance(value, dict):
            unknown = sorted(str(k) for k in value if k not in _KEYS)
            if unknown:
                raise InputError(f"{label}:{line}: unknown key(s) {', '.join(unknown)}")
            rows.append((line, {k: "" if v is None else str(v) for k, v in value.items()}))
        else:
            raise InputError(f"{label}:{line}: expected a path, a URL or a mapping")
    return rows


def _entry(
    label: str, base: Path, line: int, fields: dict[str, Any], used: set[str]
) -> ManifestEntry:
    sources = [str(fields[k]).strip() for k in _SOURCE_KEYS if str(fields.get(k) or "").strip()]
    if not sources:
        raise InputError(f"{label}:{line}: no repository path or URL")
    if len(sources) > 1:
        raise InputError(f"{label}:{line}: give one of repo, path or url, not several")
    source, credentials_url = split_credentials(sources[0])
    if not is_git_url(source):
        source = str((base / Path(source).expanduser()).resolve())
    scope = (str(fields.get("scope") or "").strip().strip("/")) or None
    if scope and (Path(scope).is_absolute() or ".." in Path(scope).parts):
        raise InputError(f"{label}:{line}: scope must be a subfolder of the repository")
    ref = str(fields.get("ref") or "").strip() or None
    if ref and ref.startswith("-"):
        raise InputError(f"{label}:{line}: invalid ref {ref!r}")
    given = str(fields.get("name") or "").strip()
    name = _safe_name(given) if given else _derive_name(source, scope)
    if given and name in used:
        raise InputError(f"{label}:{line}: duplicate name {given!r}")
    name = _unique(name, used)
    used.add(name)
    return ManifestEntry(
        source=source,
        name=name,
        ref=ref,
        scope=scope,
        line=line,
        credentials_url=credentials_url,
    )


def split_credentials(source: str) -> tuple[str, str | None]:
    """A git URL without its credentials, and the URL as given when it had any.

    ``https://oauth2:glpat-...@host/x.git`` becomes ``https://host/x.git``; the login of an
    ssh URL (``ssh://git@host/x.git``, ``git@host:x.git``) is no secret and stays.
    """
    if not _URL_RE.match(source):
        return source, None
    parts = urlsplit(source)
    userinfo, at, host = parts.netloc.rpartition("@")
    if not at or (parts.scheme == "ssh" and ":" not in userinfo):
        return source, None
    return urlunsplit(parts._replace(netloc=host)), source


def _derive_name(source: str, scope: str | None) -> str:
    tail = re.split(r"[/:]", source.rstrip("/"))[-1]
    tail = tail.removesuffix(".git") or "repo"
    if scope:
        tail = f"{tail}-{scope.replace('/', '-')}"
    return _safe_name(tail)


def _safe_name(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.")
    return cleaned or "repo"


def _unique(name: str, used: set[str]) -> str:
    candidate, counter = name, 2
    while candidate in used:
        candidate, counter = f"{name}-{counter}", counter + 1
    return candidate
