"""Framework knowledge as data: what each library provides by default, and how to spot it.

The table is ``frameworks/<ecosystem>.toml`` in this package, one file per ecosystem.
Probes consult it through the ``knowledge`` view instead of hard-coding defaults, so
teaching readiness a framework is a data change.

An entry says what the library ``provides`` (by default, or only ``when`` a pattern shows it
switched on), what it ``lacks`` by default, and ``since`` which version of the library a
default holds: Spring Boot drains on SIGTERM by default only from 3.4, so below it (or with
no readable version) the capability needs its ``when`` pattern. The version is the one the
repository declares in its manifests and lockfiles, for the names in ``packages``.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

CAPABILITIES = frozenset(
    {
        "serves_http",
        "cli",
        "task_queue",
        "database_client",
        "http_client",
        "llm_client",
        "connection_pooling",
        "db_timeouts",
        "http_timeouts",
        "retries",
        "structured_logging",
        "logging",
        "graceful_shutdown",
        "request_size_limit",
        "input_validation",
        "csrf_protection",
        "health_endpoint",
        "metrics",
        "tracing",
        # Every log line of a request carries an id shared across services (trace ids in MDC).
        "correlation_ids",
        "migrations",
        # The ORM makes the live schema match the models at startup (additive, unversioned).
        "schema_sync",
        "rate_limiting",
        "authentication",
        "config_validation",
        "external_config",
        "production_mode",
        "debug_logging",  # a debug mode on by default that only makes the log chattier
        "error_tracking",
        # A `lacks` entry only: the client reports failures in its results, never by throwing.
        "throws_errors",
    }
)


@dataclass(frozen=True)
class Framework:
    """One library and what using it means."""

    id: str
    name: str
    ecosystem: str
    role: str
    imports: tuple[str, ...]
    packages: tuple[str, ...] = ()
    datastore: str = ""
    source: str = ""
    provides: dict[str, str] = field(default_factory=dict)
    when: dict[str, str] = field(default_factory=dict)
    lacks: dict[str, str] = field(default_factory=dict)
    since: dict[str, str] = field(default_factory=dict)


def version_key(text: str) -> tuple[int, ...] | None:
    """``"3.4.1"`` → ``(3, 4, 1)``; the numbers of a version, None when it has none."""
    found = re.match(r"\D*?(\d+(?:\.\d+)*)", text.strip())
    return tuple(int(part) for part in found.group(1).split(".")) if found else None


@functools.cache
def frameworks() -> tuple[Framework, ...]:
    """Every entry of the shipped table, validated."""
    folder = resources.files(__package__).joinpath("frameworks")
    raw: list[dict[str, Any]] = []
    for part in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if part.name.endswith(".toml"):
            raw += tomllib.loads(part.read_text(encoding="utf-8")).get("framework", [])
    entries = []
    for item in raw:
        entry = Framework(
            id=item["id"],
            name=item["name"],
            ecosystem=item["ecosystem"],
            role=item.get("role", ""),
            imports=tuple(item.get("imports", ())),
            packages=tuple(item.get("packages", ())),
            datastore=item.get("datastore", ""),
            source=item.get("source", ""),
            provides=dict(item.get("provides", {})),
            when=dict(item.get("when", {})),
            lacks=dict(item.get("lacks", {})),
            since=dict(item.get("since", {})),
        )
        named = set(entry.provides) | set(entry.when) | set(entry.lacks) | set(entry.since)
        unknown = named - CAPABILITIES
        if unknown:
            raise ValueError(f"frameworks/: {entry.id} names unknown capabilities {unknown}")
        for capability, version in entry.since.items():
            if capability not in entry.provides or version_key(version) is None:
                raise ValueError(f"frameworks/: {entry.id} since.{capability} = {version!r}")
            if not entry.packages:
                raise ValueError(f"frameworks/: {entry.id} has `since` but no packages")
        entries.append(entry)
    ids = [e.id for e in entries]
    if len(ids) != len(set(ids)):
        raise ValueError("frameworks/: duplicate ids")
    return tuple(entries)


def by_id(framework_id: str) -> Framework:
    """The entry with ``framework_id`` (KeyError when the table has none)."""
    for entry in frameworks():
        if entry.id == framework_id:
            return entry
    raise KeyError(framework_id)
