"""What a repository's owners tell readiness: ``readiness.toml`` or ``[tool.readiness]``.

```toml
[roles]                       # paths whose files are not product code
fixture = ["evals/golden/**"] # also: test, example, bench, docs, product

[[waive]]                     # see pipeline/waivers.py
id = "SEC012"
status = "accepted_risk"
reason = "Internal tool behind the VPN"
```
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, get_args

import pathspec

from pipeline.errors import ConfigError
from pipeline.schemas import FileRole


def read_repo_config(root: Path) -> tuple[dict[str, Any], str | None]:
    """The owners' table and where it came from; ``({}, None)`` when there is none.

    Raises:
        ConfigError: readiness.toml does not parse.
    """
    own = root / "readiness.toml"
    if own.is_file():
        try:
            return tomllib.loads(own.read_text(encoding="utf-8")), own.name
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{own.name}: invalid TOML: {exc}") from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{own.name}: cannot read: {exc}") from exc
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            tool = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {})
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
            return {}, None  # a broken pyproject is a probe's finding, not a config error
        table = tool.get("readiness") if isinstance(tool, dict) else None
        if isinstance(table, dict):
            return table, "pyproject.toml [tool.readiness]"
    return {}, None


class RoleOverrides:
    """Owner-declared roles for paths, matched with gitignore-style patterns."""

    def __init__(self, specs: list[tuple[FileRole, pathspec.PathSpec]]) -> None:
        self._specs = specs

    def role(self, path: str) -> FileRole | None:
        """The declared role of ``path``, or None when the owners said nothing about it."""
        for role, spec in self._specs:
            if spec.match_file(path):
                return role
        return None


def role_overrides(root: Path) -> RoleOverrides:
    """The ``[roles]`` table of the repository's config.

    Raises:
        ConfigError: An unknown role or a value that is not a list of patterns.
    """
    table, source = read_repo_config(root)
    roles = table.get("roles", {})
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
