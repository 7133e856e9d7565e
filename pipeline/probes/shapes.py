"""Reusable probe shapes: "this capability is present" and "this hazard is absent".

A capability passes on an import or a telling call, or when a framework in use provides it
by default (the knowledge table); it fails only with the search it made written down. A
hazard fails on the sites it finds in product code, up to five cited.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import ClassVar

from pipeline.probes.base import Hit, Probe, plural
from pipeline.probes.views.ci import CiModel
from pipeline.probes.views.imports import Imports
from pipeline.probes.views.knowledge import Knowledge
from pipeline.probes.views.profile import ProfileView
from pipeline.probes.views.python import PythonCode
from pipeline.probes.views.repo import RepoView
from pipeline.probes.views.search import CODE, TextSearch
from pipeline.schemas import CheckResult

# What the profile's evidence for a condition is called in a message.
_CONDITION_PHRASE = {
    "service": "serves requests",
    "database": "uses a database",
    "outbound": "makes outbound calls",
    "calls_services": "calls other services from a long-running process",
    "worker": "runs background work",
}


class Views:
    """The views shapes keep while they check, so subclasses can read them in hooks."""

    repo: RepoView
    text: TextSearch
    imports: Imports
    python: PythonCode
    knowledge: Knowledge
    profile: ProfileView

    def bind(
        self,
        repo: RepoView,
        text: TextSearch,
        imports: Imports,
        python: PythonCode,
        knowledge: Knowledge,
        profile: ProfileView,
    ) -> None:
        self.repo, self.text, self.imports = repo, text, imports
        self.python, self.knowledge, self.profile = python, knowledge, profile


class CapabilityProbe(Views, Probe):
    """Passes when a library for the capability is imported (or a telling call is made)."""

    modules: ClassVar[tuple[str, ...]] = ()
    pattern: ClassVar[str | None] = None
    languages: ClassVar[tuple[str, ...]] = CODE
    what: ClassVar[str] = "it"
    # A knowledge-table capability that frameworks may provide by default.
    capability: ClassVar[str | None] = None
    # Roles whose frameworks provide the capability for something else (a CLI library's
    # argument validation is not a web service's request validation).
    other_roles: ClassVar[tuple[str, ...]] = ()
    # Whether the pattern describes code (skip matches inside string literals) or values.
    code_only: ClassVar[bool] = True

    def find(self) -> Hit | None:
        hit = self.imports.find(*self.modules) if self.modules else None
        if hit is None and self.pattern:
            hits = self.text.grep(self.pattern, self.languages, limit=1, code_only=self.code_only)
            hit = hits[0] if hits else None
        return hit

    def check(
        self,
        repo: RepoView,
        text: TextSearch,
        imports: Imports,
        python: PythonCode,
        knowledge: Knowledge,
        profile: ProfileView,
    ) -> CheckResult:
        self.bind(repo, text, imports, python, knowledge, profile)
        files = repo.code_files(*self.languages)
        if not files:
            return self.not_applicable("No product code in a language this probe reads.")
        if self.capability:
            provided = [
                (use, hit)
                for use, hit in knowledge.provides(self.capability)
                if use.framework.role not in self.excluded_roles(profile)
            ]
            if provided:
                use, hit = provided[0]
                default = use.framework.provides[self.capability].rstrip(".")
                return self.passed(
                    [hit.evidence(repo)],
                    f"{self.what.capitalize()} comes with {use.framework.name} ({hit.where}): "
                    f"{default}.",
                )
        found = self.find()
        if found:
            return self.passed(
                [found.evidence(repo)],
                f"{self.what.capitalize()} found: `{found.text}` ({found.where}).",
            )
        needed = profile.evidence(self.applies)
        evidence = [needed.evidence(repo)] if needed else repo.anchor()
        context = ""
        if needed is not None:
            phrase = _CONDITION_PHRASE.get(self.applies.split("|")[0], "qualifies")
            context = f" although the code {phrase} ({needed.where})"
        return self.failed(
            evidence,
            f"No {self.what} found{context}. {self.message()}",
            looked_at=[self.searched(len(files))],
        )

    def excluded_roles(self, profile: ProfileView) -> tuple[str, ...]:
        """Roles of frameworks whose default does not answer this question here."""
        return self.other_roles

    def searched(self, files: int) -> str:
        """What the search covered, for the reader of a gap."""
        parts = []
        if self.modules:
            shown = ", ".join(self.modules[:5]) + (", ..." if len(self.modules) > 5 else "")
            parts.append(f"imports of {shown}")
        if self.pattern:
            parts.append("calls and settings matching its pattern")
        if self.capability:
            parts.append("frameworks that provide it by default")
        return f"{' and '.join(parts) or 'the code'} in {plural(files, 'product file')}"


class HazardProbe(Views, Probe):
    """Fails when a risky pattern appears in product code; cites up to five sites."""

    pattern: ClassVar[str]
    languages: ClassVar[tuple[str, ...]] = CODE
    what: ClassVar[str] = "occurrence"
    tests: ClassVar[bool | None] = False
    # Skip matches starting inside a string literal (`"panic("` is text, not a call).
    code_only: ClassVar[bool] = True

    def hits(self) -> list[Hit]:
        return self.text.grep(
            self.pattern, self.languages, tests=self.tests, code_only=self.code_only
        )

    def check(
        self,
        repo: RepoView,
        text: TextSearch,
        imports: Imports,
        python: PythonCode,
        knowledge: Knowledge,
        profile: ProfileView,
    ) -> CheckResult:
        self.bind(repo, text, imports, python, knowledge, profile)
        files = repo.code_files(*self.languages, tests=self.tests)
        if not files:
            return self.not_applicable(
                f"No {'/'.join(self.languages)} code in scope, so nothing to check."
            )
        hits = self.hits()
        if hits:
            where = ", ".join(h.where for h in hits[:3])
            return self.failed(
                [h.evidence(repo) for h in hits[:5]],
                f"{plural(len(hits), self.what)} in {_place(hits)} ({where}"
                f"{', ...' if len(hits) > 3 else ''}). {self.message()}",
            )
        # A pass that rests on finding nothing has no line to cite (see Probe.passed).
        return self.passed([], f"No {self.what} in {plural(len(files), 'product code file')}.")


def ci_elsewhere(probe: Probe, repo: RepoView, ci: CiModel, what: str) -> CheckResult | None:
    """Cannot determine, when a CI job calls a reusable workflow of another repository
    (gum's ``uses: charmbracelet/meta/.github/workflows/build.yml@main``): what it runs is
    not in this checkout, so "CI does not run X" would be a guess."""
    external = ci.external_workflows()
    if not external:
        return None
    call = external[0]
    return probe.cannot_determine(
        f"CI delegates to a reusable workflow of another repository "
        f"(`{call.text.removeprefix('uses: ')}`, {call.path}:{call.line}), which this checkout "
        f"does not hold; whether {what} cannot be read here.",
        looked_at=[f"{plural(len(ci.files), 'CI file')} and the commands they reach"],
        evidence=[repo.evidence(call.path, call.line)],
    )


class CiToolProbe(Probe):
    """Passes when CI runs a tool matching ``pattern`` (following make, npm, tox, ...).

    A tool that must be configured first ``requires`` the probe that finds its
    configuration: with nothing configured, that probe's gap says it all. The "CI runs X"
    questions (linter, type checker, formatter, scanner, release) all take this shape.
    """

    pattern: str = ""
    tool: str = ""
    # A gate (linter, type checker, formatter): a run in a step allowed to fail enforces
    # nothing and does not count. A scanner or a release there still runs.
    enforced: ClassVar[bool] = False

    def check(self, repo: RepoView, ci: CiModel, required: dict[str, CheckResult]) -> CheckResult:
        if not repo.languages():
            return self.not_applicable("No product code in scope.")
        cmd = ci.runs(self.pattern, enforced=self.enforced)
        if cmd:
            return self.passed(
                [repo.evidence(cmd.path, cmd.line)],
                f"{self.tool.capitalize()} runs in CI: {cmd.describe()}.",
            )
        delegated = ci_elsewhere(self, repo, ci, f"it runs the {self.tool}")
        if delegated is not None:
            return delegated
        config = next((r.evidence[0] for r in required.values() if r.evidence), None)
        files = ci.files
        if files:
            evidence = [repo.evidence(files[0], 1)]
            message = f"CI ({', '.join(files[:2])}) does not run the {self.tool}"
            if config:
                message += f", although one is configured ({config.location})"
        elif config:
            evidence = [config]
            message = f"A {self.tool} is configured ({config.location}) but no CI runs it"
        else:
            evidence = repo.anchor()
            message = f"No CI is set up, so no {self.tool} runs"
        return self.failed(
            evidence,
            message + ".",
            looked_at=[f"{plural(len(files), 'CI file')} and the commands they reach"],
        )


def _place(hits: list[Hit]) -> str:
    """Where the hazard's sites are, in words: CI and container builds are not product code
    (whoogle's `curl ... install.sh | sh` runs in .github/workflows/scan.yml)."""
    build = all(
        h.path.startswith((".github/", ".gitlab-ci", ".circleci/"))
        or PurePosixPath(h.path).name.lower().startswith(("dockerfile", "containerfile"))
        for h in hits
    )
    return "CI and container builds" if build else "product code"
