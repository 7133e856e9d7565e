"""What a repository's owners tell readiness: ``readiness.toml`` or ``[tool.readiness]``.

The one reader of that file, validated against the JSON Schema shipped in the package
(``pipeline/config.schema.json``): an unknown key or a wrong type is a one-line error that
names the file, the line and the key. ``readiness.toml`` wins over ``pyproject.toml``; a
``pyproject.toml`` that does not parse is a probe's finding, not a configuration error.
Keys are spelled as the command-line flags; a value given on the command line or in the
environment (``READINESS_*``) wins over the file, which wins over the defaults.

```toml
model = "offline"             # or any litellm model; also api-base, rpm, tpm, max-cost...
select = ["SEC", "testing"]   # probe ids, id prefixes or categories
ignore = ["DOC002"]
exclude = ["third_party/**"]  # never read (gitignore-style globs)
fail-on = "high"              # exit 1 on an open gap this severe (also fail-under = 70)

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

import datetime as dt
import difflib
import functools
import json
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import jsonschema
import pathspec

from pipeline.errors import ConfigError
from pipeline.schemas import FileRole, Waiver

SCHEMA_RESOURCE = "config.schema.json"
_PYPROJECT_TABLE = ("tool", "readiness")
T = TypeVar("T")


@dataclass(frozen=True)
class WaiverEntry:
    """One owner decision about one check id."""

    id: str
    status: Waiver
    reason: str
    expires: dt.date | None = None


class RoleOverrides:
    """Owner-declared roles for paths and paths never read, as gitignore-style patterns."""

    def __init__(
        self,
        specs: list[tuple[FileRole, pathspec.PathSpec]] | None = None,
        exclude: pathspec.PathSpec | None = None,
    ) -> None:
        self._specs = specs or []
        self._exclude = exclude

    def role(self, path: str) -> FileRole | None:
        """The declared role of ``path``, or None when the owners said nothing about it."""
        for role, spec in self._specs:
            if spec.match_file(path):
                return role
        return None

    def excluded(self, path: str) -> bool:
        """Whether the owners excluded ``path`` (``exclude`` in readiness.toml)."""
        return self._exclude is not None and self._exclude.match_file(path)


@dataclass(frozen=True)
class RepoConfig:
    """The owners' configuration, validated.

    ``settings`` holds the run settings the file gives (``model``, ``rpm``, ``max-files``...),
    by their flag names; :meth:`pick` applies the precedence.
    """

    source: str | None = None
    roles: RoleOverrides = field(default_factory=RoleOverrides)
    waivers: tuple[WaiverEntry, ...] = ()
    kinds: tuple[str, ...] = ()  # [profile] kind: overrides the detected kinds
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)
    text: str = field(default="", repr=False)
    prefix: tuple[str, ...] = ()

    @property
    def file_name(self) -> str:
        return "pyproject.toml" if self.prefix else (self.source or "readiness.toml")

    def pick(self, key: str, given: T | None, default: T) -> T:
        """The setting ``key``: ``given`` (command line or environment), else this file's,
        else ``default``."""
        if given is not None:
            return given
        value = self.settings.get(key)
        return default if value is None else value

    def where(self, *key: str | int) -> str:
        """``readiness.toml:12``: the file and line of a key, for error messages."""
        line = line_of(self.text, (*self.prefix, *key))
        return f"{self.file_name}:{line}" if line else self.file_name


def load_config(root: Path) -> RepoConfig:
    """The configuration of the repository at ``root`` (empty when it has none).

    Raises:
        ConfigError: readiness.toml does not parse, or a key is unknown or its value
            invalid (the message names the file, line and key).
    """
    found = _read(root)
    if found is None:
        return RepoConfig()
    table, source, text, prefix = found
    file_name = "pyproject.toml" if prefix else source
    plain = _plain(table)
    _validate(plain, text, file_name, prefix)
    roles = plain.get("roles", {})
    specs: list[tuple[FileRole, pathspec.PathSpec]] = [
        (role, pathspec.PathSpec.from_lines("gitignore", patterns))
        for role, patterns in roles.items()
    ]
    exclude = plain.get("exclude")
    kind = plain.get("profile", {}).get("kind", [])
    settings = {
        key: value
        for key, value in plain.items()
        if key not in ("roles", "profile", "waive", "select", "ignore", "exclude")
    }
    return RepoConfig(
        source=source,
        roles=RoleOverrides(
            specs, pathspec.PathSpec.from_lines("gitignore", exclude) if exclude else None
        ),
        waivers=tuple(_waiver(item) for item in plain.get("waive", [])),
        kinds=tuple([kind] if isinstance(kind, str) else kind),
        select=tuple(plain.get("select", [])),
        ignore=tuple(plain.get("ignore", [])),
        settings=settings,
        text=text,
        prefix=prefix,
    )


def _read(root: Path) -> tuple[dict[str, Any], str, str, tuple[str, ...]] | None:
    own = root / "readiness.toml"
    if own.is_symlink():
        raise ConfigError(f"{own.name}: a symbolic link; readiness reads only a real file")
    if own.is_file():
        try:
            text = own.read_text(encoding="utf-8")
            return tomllib.loads(text), own.name, text, ()
        except tomllib.TOMLDecodeError as exc:
            line = re.search(r"at line (\d+)", str(exc))
            where = f"{own.name}:{line.group(1)}" if line else own.name
            raise ConfigError(f"{where}: invalid TOML: {exc}") from exc
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{own.name}: cannot read: {exc}") from exc
    pyproject = root / "pyproject.toml"
    if pyproject.is_file() and not pyproject.is_symlink():
        try:
            text = pyproject.read_text(encoding="utf-8")
            tool = tomllib.loads(text).get("tool", {})
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
            return None
        table = tool.get("readiness") if isinstance(tool, dict) else None
        if isinstance(table, dict):
            return table, "pyproject.toml [tool.readiness]", text, _PYPROJECT_TABLE
    return None


def _plain(value: Any) -> Any:
    """TOML dates and times as ISO strings: what the JSON Schema (and editors) see."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


@functools.cache
def config_schema() -> dict[str, Any]:
    """The JSON Schema of readiness.toml shipped in the package."""
    text = resources.files("pipeline").joinpath(SCHEMA_RESOURCE).read_text("utf-8")
    return json.loads(text)


@functools.cache
def _validator() -> jsonschema.protocols.Validator:
    schema = config_schema()
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _validate(table: dict[str, Any], text: str, file_name: str, prefix: tuple[str, ...]) -> None:
    problems = []
    for error in _validator().iter_errors(table):
        key, message = _explain(error)
        line = line_of(text, (*prefix, *key))
        # "unknown key 'x'" names the key itself: the message shows the table it is in.
        shown = key[:-1] if message.startswith("unknown key") else key
        problems.append((line or 0, _dotted((*prefix, *shown)), message))
    if problems:
        line, name, message = min(problems, key=lambda p: p[0])
        where = f"{file_name}:{line}" if line else file_name
        raise ConfigError(f"{where}: {name}: {message}" if name else f"{where}: {message}")


def _explain(error: jsonschema.ValidationError) -> tuple[tuple[str | int, ...], str]:
    """The key an error is about and a sentence for a person."""
    path = tuple(error.absolute_path)
    schema, value, kind = error.schema, error.instance, error.validator
    if kind == "additionalProperties" and isinstance(value, dict):
        known = list(schema.get("properties", {}))
        extra = sorted(set(value) - set(known))
        close = difflib.get_close_matches(extra[0], known, n=1) if extra else []
        hint = f" (did you mean {close[0]!r}?)" if close else f"; known keys: {', '.join(known)}"
        return (*path, extra[0]), f"unknown key {extra[0]!r}{hint}"
    if kind == "enum" and path == ("roles",):  # a propertyNames error: the name is the value
        return (*path, value), f"unknown role {value!r}; use one of {', '.join(schema['enum'])}"
    if kind == "enum":
        return path, f"{value!r} is not one of {', '.join(map(str, schema['enum']))}"
    if kind == "oneOf":  # profile.kind: one kind or a list of kinds
        bad = [sub for sub in error.context or [] if sub.validator == "enum"]
        if bad and not isinstance(value, str):
            value = bad[-1].instance
        options = [str(v) for v in bad[0].schema["enum"]] if bad else []
        return path, f"{value!r} is not one of {', '.join(options)}"
    if kind == "required":
        missing = next((k for k in schema.get("required", []) if k not in value), "?")
        return path, f"needs `{missing}`" + (' such as "SEC012"' if missing == "id" else "")
    if kind == "format":
        return path, f"{value!r} is not a date like 2027-01-01"
    if kind == "type":
        return path, f"must be {_type_name(schema['type'])}, not {_type_name(_json_type(value))}"
    if kind in ("minimum", "exclusiveMinimum", "maximum"):
        sign = {"minimum": ">=", "exclusiveMinimum": ">", "maximum": "<="}[kind]
        return path, f"must be {sign} {schema[kind]}, not {value!r}"
    if kind in ("minLength", "pattern"):
        return path, "must not be empty"
    return path, error.message.splitlines()[0]


def _type_name(kind: str | list[str]) -> str:
    names = {
        "array": "a list",
        "object": "a table",
        "string": "a string",
        "integer": "an integer",
        "number": "a number",
        "boolean": "true or false",
    }
    return names.get(kind, kind) if isinstance(kind, str) else " or ".join(kind)


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    for kind, cls in (("object", dict), ("array", list), ("string", str), ("integer", int)):
        if isinstance(value, cls):
            return kind
    return "number" if isinstance(value, float) else type(value).__name__


def _dotted(key: tuple[str | int, ...]) -> str:
    text = ""
    for part in key:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _waiver(item: dict[str, Any]) -> WaiverEntry:
    expires = item.get("expires")
    return WaiverEntry(
        item["id"],
        Waiver(item["status"]),
        item["reason"].strip(),
        dt.date.fromisoformat(expires) if expires else None,
    )


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_NAME = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
_KEY = re.compile(rf"^\s*({_NAME}(?:\s*\.\s*{_NAME})*)\s*=")


def line_of(text: str, key: tuple[str | int, ...]) -> int | None:
    """The 1-based line where ``key`` is set in TOML ``text`` (its nearest parent's line
    when the key itself is not written there); None when nothing of it is found.

    ``key`` is a path such as ``("select",)``, ``("roles", "fixture")`` or ``("waive", 1,
    "expires")``: an integer counts ``[[waive]]`` tables. Enough of TOML for messages: table
    headers, arrays of tables and ``key =`` lines, dotted keys included.
    """
    table: tuple[str | int, ...] = ()
    counts: dict[tuple[str, ...], int] = {}
    best: tuple[int, int] | None = None  # (matched length, line)
    for number, line in enumerate(text.splitlines(), 1):
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            names = tuple(_split_key(header.group(2)))
            if header.group(1) == "[[":
                counts[names] = counts.get(names, -1) + 1
                table = (*names, counts[names])
            else:
                table = names
            best = _better(best, table, key, number)
            continue
        found = _KEY.match(line)
        if found:
            best = _better(best, (*table, *_split_key(found.group(1))), key, number)
    return best[1] if best else None


def _better(
    best: tuple[int, int] | None, path: tuple[str | int, ...], key: tuple[str | int, ...], line: int
) -> tuple[int, int] | None:
    """Keep the line whose path is the longest prefix of ``key`` (the first such line)."""
    if len(path) > len(key) or key[: len(path)] != path or not path:
        return best
    if best is None or len(path) > best[0]:
        return (len(path), line)
    return best


def _split_key(dotted: str) -> list[str]:
    parts = re.findall(r'"([^"]*)"|\'([^\']*)\'|([A-Za-z0-9_-]+)', dotted)
    return [a or b or c for a, b, c in parts]
