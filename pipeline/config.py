"""What a repository's owners tell readiness: ``readiness.toml`` or ``[tool.readiness]``.

The one reader of that file. ``readiness.toml`` wins over ``pyproject.toml``; a broken
``pyproject.toml`` is a probe's finding, not a configuration error.

```toml
[roles]                       # paths whose files are not product code
fixture = ["evals/golden/**"] # also: test, example, bench, docs, vendored, product

[profile]                     # what readiness cannot tell by itself
kind = ["cli"]                # library, cli, web_service, worker, sdk, research, app...

[[waive]]                     # checks the owners accept or rule out
id = "SEC012"
status = "accepted_risk"      # or "not_applicable"
reason = "Internal tool behind the VPN"
expires = 2027-01-01          # optional; an expired waiver is ignored
```
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, get_args

import pathspec

from pipeline.errors import ConfigError
from pipeline.schemas import KINDS, FileRole, Waiver

_TOP_KEYS = {"roles", "waive", "profile"}


@dataclass(frozen=True)
class WaiverEntry:
    """One owner decision about one check id."""

    id: str
    status: Waiver
    reason: str
    expires: date | None = None


class RoleOverrides:
    """Owner-declared roles for paths, matched with gitignore-style patterns."""

    def __init__(self, specs: list[tuple[FileRole, pathspec.PathSpec]] | None = None) -> None:
        self._specs = specs or []

    def role(self, path: str) -> FileRole | None:
        """The declared role of ``path``, or None when the owners said nothing about it."""
        for role, spec in self._specs:
            if spec.match_file(path):
                return role
        return None


@dataclass(frozen=True)
class RepoConfig:
    """The owners' configuration, validated."""

    source: str | None = None
    roles: RoleOverrides = field(default_factory=RoleOverrides)
    waivers: tuple[WaiverEntry, ...] = ()
    kinds: tuple[str, ...] = ()  # [profile] kind: overrides the detected kinds


def load_config(root: Path) -> RepoConfig:
    """The configuration of the repository at ``root`` (empty when it has none).

    Raises:
        ConfigError: readiness.toml does not parse, or a value is invalid.
    """
    table, source = _read(root)
    if source is None:
        return RepoConfig()
    unknown = set(table) - _TOP_KEYS
    if unknown and source == "readiness.toml":
        raise ConfigError(f"{source}: unknown key(s) {sorted(unknown)}")
    return RepoConfig(
        source=source,
        roles=_roles(table.get("roles", {}), source),
        waivers=tuple(_waivers(table.get("waive", []), source)),
        kinds=_kinds(table.get("profile", {}), source),
    )


def _read(root: Path) -> tuple[dict[str, Any], str | None]:
    own = root / "readiness.toml"
    if own.is_symlink():
        raise ConfigError(f"{own.name}: a symbolic link; readiness reads only a real file")
    if own.is_file():
        try:
            return tomllib.loads(own.read_text(encoding="utf-8")), own.name
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{own.name}: invalid TOML: {exc}") from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{own.name}: cannot read: {exc}") from exc
    pyproject = root / "pyproject.toml"
    if pyproject.is_file() and not pyproject.is_symlink():
        try:
            tool = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {})
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
            return {}, None
        table = tool.get("readiness") if isinstance(tool, dict) else None
        if isinstance(table, dict):
            return table, "pyproject.toml [tool.readiness]"
    return {}, None


def _roles(roles: Any, source: str) -> RoleOverrides:
    if not isinstance(roles, dict):
        raise ConfigError(f'{source}: `roles` must be a table such as fixture = ["data/**"]')
    known = get_args(FileRole)
    specs: list[tuple[FileRole, pathspec.PathSpec]] = []
    for role, patterns in roles.items():
        if role not in known:
            raise ConfigError(f"{source}: unknown role {role!r}; use one of {', '.join(known)}")
        if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
            raise ConfigError(f"{source}: roles.{role} must be a list of path patterns")
        specs.append((role, pathspec.PathSpec.from_lines("gitignore", patterns)))
    return RoleOverrides(specs)


def _kinds(profile: Any, source: str) -> tuple[str, ...]:
    if not isinstance(profile, dict):
        raise ConfigError(f'{source}: `profile` must be a table such as kind = ["cli"]')
    unknown = set(profile) - {"kind"}
    if unknown:
        raise ConfigError(f"{source}: profile has unknown key(s) {sorted(unknown)}")
    kind = profile.get("kind", [])
    kinds = [kind] if isinstance(kind, str) else kind
    if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
        raise ConfigError(f'{source}: profile.kind must be a list such as ["cli"]')
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        raise ConfigError(f"{source}: profile.kind {bad[0]!r} is not one of {', '.join(KINDS)}")
    return tuple(kinds)


def _waivers(raw: Any, where: str) -> list[WaiverEntry]:
    if not isinstance(raw, list):
        raise ConfigError(f"{where}: `waive` must be an array of tables ([[waive]])")
    entries = []
    for number, item in enumerate(raw, 1):
        if not isinstance(item, dict):
            raise ConfigError(f"{where}: waiver #{number} must be a table")
        unknown = set(item) - {"id", "status", "reason", "expires"}
        if unknown:
            raise ConfigError(f"{where}: waiver #{number} has unknown key(s) {sorted(unknown)}")
        check_id, status, reason = item.get("id"), item.get("status"), item.get("reason")
        if not isinstance(check_id, str) or not check_id:
            raise ConfigError(f'{where}: waiver #{number} needs an `id` such as "SEC012"')
        if status not in {w.value for w in Waiver}:
            raise ConfigError(
                f"{where}: waiver {check_id} has status {status!r}; use "
                '"accepted_risk" or "not_applicable"'
            )
        if not isinstance(reason, str) or not reason.strip():
            raise ConfigError(f"{where}: waiver {check_id} needs a non-empty `reason`")
        expires = item.get("expires")
        if expires is not None and not isinstance(expires, date):
            raise ConfigError(
                f"{where}: waiver {check_id} `expires` must be a date like 2027-01-01"
            )
        entries.append(WaiverEntry(check_id, Waiver(status), reason.strip(), expires))
    return entries
