"""The ``knowledge`` view: which known frameworks the product code uses, and what they provide.

A framework counts as used when product code imports it (tests, examples and benchmarks do
not count). A capability that needs configuration (``when`` in the table) holds only where
the pattern appears in product code or configuration. A default that holds only ``since`` a
version of the library holds when the version the repository declares (lockfile first, then
manifest) is at least that; below it, or when no version can be read, only the ``when``
pattern can show the capability, and an unreadable version is reported as ``unsure``.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

from pipeline.knowledge import Framework, frameworks, version_key
from pipeline.probes.base import Hit
from pipeline.probes.registry import view
from pipeline.probes.views.imports import Imports, matches_prefix
from pipeline.probes.views.manifests import Manifests
from pipeline.probes.views.repo import RepoView
from pipeline.probes.views.search import CODE, TextSearch

ECOSYSTEM_LANGUAGES = {
    "python": ("python",),
    "javascript": ("javascript", "typescript"),
    "go": ("go",),
    "rust": ("rust",),
    "java": ("java",),
}
# Where a `when` pattern may be written: code, and the configuration that switches things on.
CONFIG_LANGUAGES = ("yaml", "toml", "json", "ini", "dockerfile", "shell", "text", "dotenv")
# Maven and Gradle build files, where JVM projects switch features on by adding a starter.
_JVM_BUILD = ("xml", "groovy", "kotlin")


_MIGRATION_RUNNER = re.compile(r"(^|/)(alembic|migrations?|migrate)/")
# Programs a developer runs beside the product: a component preview (wtf's
# cmd/wtf-storybook), a playground, a demo. They use the same frameworks, so they are a
# witness only when the product itself shows nothing.
_DEV_TOOL = re.compile(r"(^|/)[^/]*(storybook|playground|sandbox|demo)[^/]*/", re.I)


def witness_order(hit: Hit) -> tuple[bool, bool]:
    """Sort key for the line that shows a capability: the product's own lines before a
    developer tool's, and the application's before its migration runner's."""
    return bool(_DEV_TOOL.search(hit.path)), bool(_MIGRATION_RUNNER.search(hit.path))


@dataclass(frozen=True)
class Use:
    """A framework the product code uses, and where it first imports it."""

    framework: Framework
    site: Hit


@dataclass(frozen=True)
class Declared:
    """The version of a package the repository declares, and where."""

    text: str
    key: tuple[int, ...]
    site: Hit
    locked: bool


@view("knowledge")
class Knowledge:
    """Known frameworks in use and the capabilities they bring."""

    def __init__(
        self, imports: Imports, text: TextSearch, repo: RepoView, manifests: Manifests
    ) -> None:
        self.imports = imports
        self.text = text
        self.repo = repo
        self.manifests = manifests
        self.uses = self._uses()

    def using(self, role: str | None = None, capability: str | None = None) -> list[Use]:
        """Uses of frameworks with ``role`` and/or listing ``capability`` in provides."""
        return [
            use
            for use in self.uses
            if (role is None or use.framework.role == role)
            and (capability is None or capability in use.framework.provides)
        ]

    def provides(self, capability: str) -> list[tuple[Use, Hit]]:
        """Frameworks in use that provide ``capability``, each with the line that shows it.

        The line is the ``when`` pattern's first match when the table gives one (the
        capability must be switched on), else the framework's import; for a default that
        holds since a version, the line declaring that version.
        """
        found = []
        for use in self.using(capability=capability):
            since = use.framework.since.get(capability)
            if since:
                declared = self.version(use.framework)
                if declared is not None and declared.key >= (version_key(since) or ()):
                    found.append((use, declared.site))
                    continue
            pattern = use.framework.when.get(capability)
            if not pattern:
                if not since:
                    found.append((use, use.site))
                continue
            hit = self._when(use.framework, pattern)
            if hit is not None:
                found.append((use, hit))
        return found

    def unsure(self, capability: str) -> list[Use]:
        """Frameworks in use whose default for ``capability`` depends on a version that no
        manifest or lockfile declares (and that the ``when`` pattern does not show)."""
        provided = {use.framework.id for use, _ in self.provides(capability)}
        return [
            use
            for use in self.using(capability=capability)
            if capability in use.framework.since
            and use.framework.id not in provided
            and self.version(use.framework) is None
        ]

    def lacking(self, capability: str) -> list[Use]:
        """Frameworks in use whose table entry says they lack ``capability`` by default.

        A ``when`` pattern for the capability says when the lack applies at all (net/http
        bounds no request body, but only code that serves with it has request bodies: an
        image's health-check client imports it too)."""
        found = []
        for use in self.uses:
            if capability not in use.framework.lacks:
                continue
            pattern = use.framework.when.get(capability)
            if pattern and capability not in use.framework.provides:
                hit = self._when(use.framework, pattern)
                if hit is None:
                    continue
                use = replace(use, site=hit)
            found.append(use)
        return found

    def version(self, framework: Framework) -> Declared | None:
        """The lowest version of the framework's packages the repository declares (a
        lockfile's exact version before a manifest's range), None when none is readable."""
        table = self.repo.memo("declared-versions", self._declared)
        found = [d for name in framework.packages for d in table.get(name.lower(), [])]
        locked = [d for d in found if d.locked]
        pool = locked or found
        return min(pool, key=lambda d: d.key) if pool else None

    def _when(self, framework: Framework, pattern: str) -> Hit | None:
        languages = (*ECOSYSTEM_LANGUAGES.get(framework.ecosystem, CODE), *CONFIG_LANGUAGES)
        if framework.ecosystem == "java":
            languages += _JVM_BUILD  # a starter declared in pom.xml or build.gradle
        # The migration runner's own engine (alembic/env.py, with its NullPool) is not how
        # the application connects: its lines are the last witness, not the first.
        # "A && B": a line matching B in a file that also has a line matching A (Spring's
        # @Validated counts for configuration only on a @ConfigurationProperties class).
        *needed, pattern = pattern.split(" && ")
        hits = self.text.grep(pattern, languages)
        for other in needed:
            files = {h.path for h in self.text.grep(other, languages)}
            hits = [h for h in hits if h.path in files]
        hits = sorted(hits, key=witness_order)
        return hits[0] if hits else None

    def _uses(self) -> list[Use]:
        uses = []
        own = self._own_modules()
        for entry in frameworks():
            if any(matches_prefix(name, prefix) for name in own for prefix in entry.imports):
                continue  # the repository is that library: its own imports use nothing
            languages = ECOSYSTEM_LANGUAGES.get(entry.ecosystem, ())
            # A plugin's peer dependency is its users' framework, not one it runs.
            site = (
                self.imports.find_in(languages, *entry.imports, hosted=False)
                if entry.imports
                else None
            )
            if site is not None:
                uses.append(Use(entry, site))
        uses.sort(key=lambda u: (u.site.path, u.site.line, u.framework.id))
        return uses

    def _own_modules(self) -> set[str]:
        """The module paths the repository itself publishes (go.mod, package.json names)."""
        own: set[str] = set()
        for path in self.repo.named("go.mod"):
            for line in self.repo.lines(path):
                found = re.match(r"^module\s+(\S+)", line)
                if found:
                    own.add(found.group(1))
        for path in self.repo.named("package.json"):
            try:
                data = json.loads(self.repo.text(path))
            except ValueError:
                continue
            if isinstance(data, dict) and isinstance(data.get("name"), str):
                own.add(data["name"])
        return own

    # --- declared versions ------------------------------------------------------------------

    def _declared(self) -> dict[str, list[Declared]]:
        table: dict[str, list[Declared]] = {}

        def add(name: str, spec: str, path: str, locked: bool, line: int = 0) -> None:
            key = version_key(spec) if spec and not spec.strip().startswith("$") else None
            if key is None:
                return
            number = line or self.manifests.declaration_line(path, name)
            text = re.sub(r"^[^\d]*", "", spec.strip())
            hit = Hit(path, number, self.repo.shown(path, number).strip())
            table.setdefault(name.lower(), []).append(Declared(text, key, hit, locked))

        for req in (
            *self.manifests.python_requirements(),
            *self.manifests.node_packages(),
            *self.manifests.cargo_dependencies(),
        ):
            add(req.name, req.spec, req.path, False, req.line)
        for path in self.repo.named(
            "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml"
        ):
            text = self.repo.text(path)
            for name, version, at in _node_lock(PurePosixPath(path).name, text):
                add(name, version, path, True, text.count("\n", 0, at) + 1)
        for path in self.repo.named("cargo.lock", "poetry.lock", "uv.lock"):
            text = self.repo.text(path)
            for name, version in _toml_lock(text):
                add(name, version, path, True, _line_of(text, f'name = "{name}"'))
        for path in self.repo.named("go.mod"):
            for number, line in enumerate(self.repo.lines(path), 1):
                found = re.match(r"^\s*(?:require\s+)?([\w.\-]+\.[\w.\-/]+)\s+(v[\d.]+\S*)", line)
                if found:
                    add(found.group(1), found.group(2), path, True, number)
        for path in self.repo.named("pom.xml"):
            for name, version, number in _maven(self.repo.text(path)):
                add(name, version, path, False, number)
        for path in self.repo.named("build.gradle", "build.gradle.kts"):
            for name, version, number in _gradle(self.repo.text(path)):
                add(name, version, path, False, number)
        return table


def _line_of(text: str, name: str) -> int:
    at = text.find(name)
    return text.count("\n", 0, at) + 1 if at >= 0 else 1


def _node_lock(name: str, text: str) -> list[tuple[str, str, int]]:
    """(package, version, offset) of the top-level packages of an npm, yarn or pnpm lock."""
    found: list[tuple[str, str, int]] = []
    if name.endswith(".json"):
        try:
            data = json.loads(text)
        except ValueError:
            return []
        packages = data.get("packages") if isinstance(data, dict) else None
        for key, entry in (packages or {}).items():
            top = key.startswith("node_modules/") and "/node_modules/" not in key
            if top and isinstance(entry, dict) and isinstance(entry.get("version"), str):
                at = text.find(f'"{key}"')
                found.append((key.removeprefix("node_modules/"), entry["version"], at))
        for key, entry in ((data.get("dependencies") if not packages else None) or {}).items():
            if isinstance(entry, dict) and isinstance(entry.get("version"), str):
                found.append((key, entry["version"], text.find(f'"{key}"')))
        return found
    if name == "yarn.lock":
        rx = r'^"?(@?[^@\s"]+)@[^\n]*:\n\s+version:?\s+"?([^"\s]+)'
        return [(m.group(1), m.group(2), m.start()) for m in re.finditer(rx, text, re.M)]
    # pnpm: `/next@14.1.0:` (v6+) or `/next/13.3.0:` (v5) under packages:
    rx = r"^\s+'?/?(@?[^@\s/':]+(?:/[^@\s/':]+)?)[@/](\d+\.\d+\.\d+[^\s:(']*)"
    return [(m.group(1), m.group(2), m.start()) for m in re.finditer(rx, text, re.M)]


def _toml_lock(text: str) -> list[tuple[str, str]]:
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError):
        return []
    return [
        (str(p["name"]), str(p["version"]))
        for p in data.get("package", [])
        if isinstance(p, dict) and "name" in p and "version" in p
    ]


_MAVEN_BLOCK = re.compile(r"<(parent|dependency|plugin)>(.*?)</\1>", re.S)


def _maven(text: str) -> list[tuple[str, str, int]]:
    """(group:artifact, version, line) of a POM's parent, dependencies and plugins."""
    properties = dict(re.findall(r"<([\w.\-]+)>([^<$]+)</\1>", text))
    found = []
    for block in _MAVEN_BLOCK.finditer(text):
        body = block.group(2)
        group = re.search(r"<groupId>\s*([^<\s]+)\s*</groupId>", body)
        artifact = re.search(r"<artifactId>\s*([^<\s]+)\s*</artifactId>", body)
        version = re.search(r"<version>\s*([^<\s]+)\s*</version>", body)
        if not (group and artifact and version):
            continue
        value: str = version.group(1)
        ref = re.fullmatch(r"\$\{([\w.\-]+)\}", value)
        value = str(properties.get(ref.group(1), value)) if ref else value
        line = text.count("\n", 0, block.start(2) + version.start()) + 1
        found.append((f"{group.group(1)}:{artifact.group(1)}", value, line))
    return found


_GRADLE_PLUGIN = re.compile(
    r"""id\s*\(?\s*['"]([\w.\-]+)['"]\s*\)?\s*version\s*\(?\s*['"]([^'"]+)['"]"""
)
_GRADLE_COORDINATE = re.compile(r"""['"]([\w.\-]+):([\w.\-]+):(\d[^'"@:]*)['"]""")


def _gradle(text: str) -> list[tuple[str, str, int]]:
    """(plugin id or group:artifact, version, line) declared in a Gradle build script."""
    found = []
    for m in _GRADLE_PLUGIN.finditer(text):
        found.append((m.group(1), m.group(2), text.count("\n", 0, m.start()) + 1))
    for m in _GRADLE_COORDINATE.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        found.append((f"{m.group(1)}:{m.group(2)}", m.group(3), line))
    return found
