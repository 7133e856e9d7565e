"""The ``knowledge`` view: which known frameworks the product code uses, and what they provide.

A framework counts as used when product code imports it (tests, examples and benchmarks do
not count). A capability that needs configuration (``when`` in the table) holds only where
the pattern appears in product code or configuration.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.knowledge import Framework, frameworks
from pipeline.probes.base import Hit
from pipeline.probes.registry import view
from pipeline.probes.views.imports import Imports
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


@dataclass(frozen=True)
class Use:
    """A framework the product code uses, and where it first imports it."""

    framework: Framework
    site: Hit


@view("knowledge")
class Knowledge:
    """Known frameworks in use and the capabilities they bring."""

    def __init__(self, imports: Imports, text: TextSearch) -> None:
        self.imports = imports
        self.text = text
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
        capability must be switched on), else the framework's import.
        """
        found = []
        for use in self.using(capability=capability):
            pattern = use.framework.when.get(capability)
            if not pattern:
                found.append((use, use.site))
                continue
            languages = (*ECOSYSTEM_LANGUAGES.get(use.framework.ecosystem, CODE), *CONFIG_LANGUAGES)
            hits = self.text.grep(pattern, languages, limit=1)
            if hits:
                found.append((use, hits[0]))
        return found

    def lacking(self, capability: str) -> list[Use]:
        """Frameworks in use whose table entry says they lack ``capability`` by default."""
        return [use for use in self.uses if capability in use.framework.lacks]

    def _uses(self) -> list[Use]:
        uses = []
        for entry in frameworks():
            languages = ECOSYSTEM_LANGUAGES.get(entry.ecosystem, ())
            site = self.imports.find_in(languages, *entry.imports) if entry.imports else None
            if site is not None:
                uses.append(Use(entry, site))
        uses.sort(key=lambda u: (u.site.path, u.site.line, u.framework.id))
        return uses
