"""Documentation probes: README content, changelog, contributing, license, docs, docstrings."""

from __future__ import annotations

import ast
import re

from pipeline.probes.base import Probe
from pipeline.probes.views.imports import Imports
from pipeline.probes.views.profile import ProfileView
from pipeline.probes.views.python import PythonCode
from pipeline.probes.views.repo import RepoView
from pipeline.probes.views.search import TextSearch
from pipeline.schemas import Category, CheckResult, Severity

_READMES = ("README.md", "README.rst", "README.txt", "README", "readme.md", "README.adoc")


def readme(repo: RepoView) -> str | None:
    """The README of the scope, else the root README."""
    paths = repo.named(*_READMES)
    scoped = [p for p in paths if repo.scope and repo.in_scope(p)]
    return min(scoped or paths, key=len) if paths else None


def _heading_line(repo: RepoView, path: str, pattern: str) -> int:
    rx = re.compile(pattern, re.I)
    lines = repo.lines(path)
    for n, line in enumerate(lines, 1):
        underline = n < len(lines) and re.match(r"^[=\-~^]{3,}\s*$", lines[n])
        if (line.lstrip().startswith("#") or underline or line.startswith("**")) and rx.search(
            line
        ):
            return n
    return 0


# A copy-pasteable install command (or dependency snippet) counts as installation docs.
_INSTALL_COMMAND = (
    r"^\s*(\$\s*)?(pip3? install|pipx install|uv (sync|add|pip install|tool install)|"
    r"poetry (add|install)|npm (i|install)\b|yarn add|pnpm add|cargo (add|install)|"
    r"go (get|install)|make (run|install|setup)\b|brew install|apt(-get)? install|"
    r"mvn install|gradle build|docker (run|compose up))|^\s*\[(dev-)?dependencies\]"
)


def _first_line(repo: RepoView, path: str, pattern: str) -> int:
    rx = re.compile(pattern, re.I)
    return next((n for n, line in enumerate(repo.lines(path), 1) if rx.search(line)), 0)


def _fences(repo: RepoView, path: str) -> list[int]:
    """Lines that open a fenced code block."""
    opened, starts = False, []
    for n, line in enumerate(repo.lines(path), 1):
        if line.lstrip().startswith(("```", "~~~")):
            if not opened:
                starts.append(n)
            opened = not opened
    return starts


class ReadmeExists(Probe):
    """The repository has no README."""

    id = "DOC001"
    category = Category.documentation
    severity = Severity.high
    title = "No README"
    rationale = "Newcomers and operators have nowhere to start."
    remediation = "Add a README: what it is, how to install, run, configure and test it."

    def check(self, repo: RepoView) -> CheckResult:
        path = readme(repo)
        if path:
            return self.passed([repo.evidence(path, 1)], f"{path} ({len(repo.lines(path))} lines).")
        return self.failed(repo.anchor(), "No README file at the root or in scope.")


class ReadmeUsage(Probe):
    """The README does not explain how to install and use the software."""

    id = "DOC002"
    category = Category.documentation
    severity = Severity.medium
    title = "README lacks installation and usage instructions"
    rationale = "A README without install and usage steps makes every user reverse-engineer it."
    remediation = "Add Installation and Usage sections with copy-pasteable commands."

    def check(self, repo: RepoView) -> CheckResult:
        path = readme(repo)
        if path is None:
            return self.not_applicable("No README (see DOC001).")
        install = _heading_line(
            repo, path, r"install|setup|set up|getting started|quick ?start|build"
        ) or _first_line(repo, path, _INSTALL_COMMAND)
        use = _heading_line(
            repo,
            path,
            r"usage|\bus(e|ing)\b|running|\brun\b|example|how to|quick ?start|cli|tutorial",
        ) or next((n for n in _fences(repo, path) if abs(n - install) > 3), 0)
        text = repo.text(path)
        code_block = "```" in text or "::" in text or re.search(r"\n\n(    |\t)\S", text)
        missing = [n for n, v in (("installation", install), ("usage", use)) if not v]
        if not missing and code_block:
            return self.passed(
                [repo.evidence(path, install), repo.evidence(path, use)],
                f"{path} has installation (line {install}) and usage (line {use}) sections.",
            )
        return self.failed(
            [repo.evidence(path, 1)],
            f"{path} has no {' or '.join(missing) or 'command example'} section.",
        )


class _FileProbe(Probe):
    names: tuple[str, ...] = ()
    what = ""

    def check(self, repo: RepoView) -> CheckResult:
        paths = repo.named(*self.names) + [
            f.path for f in repo.files if f.path.lower().startswith(self.prefixes())
        ]
        if paths:
            return self.passed([repo.evidence(paths[0], 1)], f"{self.what} in {paths[0]}.")
        return self.failed(repo.anchor("README.md"), f"No {self.what} was found.")

    def prefixes(self) -> tuple[str, ...]:
        return ("\0",)


class Changelog(_FileProbe):
    """No changelog records what changed between releases."""

    id = "DOC003"
    category = Category.documentation
    severity = Severity.low
    title = "No changelog"
    rationale = "Users and operators cannot tell what an upgrade changes."
    remediation = "Keep a CHANGELOG.md (Keep a Changelog format) or generated release notes."
    names = (
        "CHANGELOG.md",
        "CHANGELOG",
        "CHANGELOG.rst",
        "CHANGES.md",
        "CHANGES.rst",
        "HISTORY.md",
        "HISTORY.rst",
        "NEWS.md",
        "RELEASES.md",
        "release-notes.md",
    )
    what = "changelog"

    def prefixes(self) -> tuple[str, ...]:
        return ("changelog.d/", "changes/", ".changeset/")


class Contributing(_FileProbe):
    """No contributing guide."""

    id = "DOC004"
    category = Category.documentation
    severity = Severity.low
    title = "No contributing guide"
    rationale = "Contributors guess at setup, conventions and review expectations."
    remediation = "Add CONTRIBUTING.md: dev setup, tests, style, how to propose changes."
    names = ("CONTRIBUTING.md", "CONTRIBUTING.rst", "CONTRIBUTING", "HACKING.md", "DEVELOPMENT.md")
    what = "contributing guide"


class License(_FileProbe):
    """No license file: others cannot legally use the code."""

    id = "DOC005"
    category = Category.documentation
    severity = Severity.medium
    title = "No license"
    rationale = "Without a license nobody may legally use, modify or ship the code."
    remediation = "Add a LICENSE file and declare it in the package metadata."
    names = (
        "LICENSE",
        "LICENSE.md",
        "LICENSE.txt",
        "LICENCE",
        "COPYING",
        "LICENSE-MIT",
        "LICENSE-APACHE",
        "UNLICENSE",
    )
    what = "license"


class ArchitectureDocs(Probe):
    """There is no documentation beyond the README."""

    id = "DOC006"
    category = Category.documentation
    severity = Severity.low
    title = "No architecture or developer documentation"
    rationale = "Design decisions live only in people's heads and leave with them."
    remediation = "Add docs/ with an architecture overview and decision records."

    def check(self, repo: RepoView) -> CheckResult:
        docs = [
            f.path
            for f in repo.files
            if repo.applies(f.path)
            and f.language in ("markdown", "rst", "text")
            and f.path.lower().endswith((".md", ".rst", ".txt", ".adoc"))  # not an icon .svg
            and re.search(r"(^|/)(docs?|adr|documentation)/", f.path)
        ]
        docs.sort(key=lambda p: (p.endswith(".txt"), p.count("/"), p))
        docs += repo.named("ARCHITECTURE.md", "DESIGN.md", "mkdocs.yml", "conf.py")
        if docs:
            return self.passed(
                [repo.evidence(docs[0], 1)], f"Documentation in {docs[0]} ({len(docs)} files)."
            )
        return self.failed(repo.anchor("README.md"), "No docs/ folder or ARCHITECTURE.md.")


class Docstrings(Probe):
    """Most public functions and types are undocumented."""

    id = "DOC007"
    category = Category.documentation
    severity = Severity.low
    title = "Public APIs lack docstrings"
    rationale = "Undocumented interfaces are misused and hard to change safely."
    remediation = "Document public modules, classes and functions (one line is often enough)."

    def check(self, repo: RepoView, python: PythonCode) -> CheckResult:
        total, documented, first_missing = 0, 0, None
        for f in repo.code_files("python"):
            for node in python.nodes(f.path, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
                if not node.name.startswith("_"):
                    total += 1
                    if ast.get_docstring(node):
                        documented += 1
                    elif first_missing is None:
                        first_missing = (f.path, node.lineno)
        for f in repo.code_files("go"):
            lines = repo.lines(f.path)
            for n, line in enumerate(lines, 1):
                if re.match(r"^(func (\([^)]*\) )?|type )[A-Z]", line):
                    total += 1
                    if n > 1 and lines[n - 2].startswith("//"):
                        documented += 1
                    elif first_missing is None:
                        first_missing = (f.path, n)
        if not total:
            return self.not_applicable("No public Python or Go definitions to document.")
        message = f"{documented} of {total} public definitions are documented."
        if documented / total >= 0.5 or first_missing is None:
            return self.passed(repo.anchor(), message)
        return self.failed([repo.evidence(*first_missing)], message)


class ApiDocs(Probe):
    """The service's API is not described (no OpenAPI/Swagger or generated docs)."""

    id = "DOC008"
    category = Category.documentation
    severity = Severity.low
    title = "No API documentation"
    rationale = "Clients of an undocumented API integrate by trial and error."
    remediation = "Publish an OpenAPI description (generated by the framework or written)."

    applies = "service"

    def check(self, repo: RepoView, imports: Imports, profile: ProfileView) -> CheckResult:
        served = profile.server
        assert served is not None  # a service has the line that serves
        specs = repo.named(
            "openapi.yaml",
            "openapi.yml",
            "openapi.json",
            "swagger.yaml",
            "swagger.json",
            "swagger.yml",
        )
        if specs:
            return self.passed([repo.evidence(specs[0], 1)], f"API described in {specs[0]}.")
        hit = imports.find(
            "fastapi",
            "drf_spectacular",
            "flasgger",
            "flask_smorest",
            "apispec",
            "swagger-ui-express",
            "@nestjs/swagger",
            "github.com/swaggo/swag",
            "utoipa",
            "org.springdoc",
            "io.swagger",
        )
        if hit:
            return self.passed([hit.evidence(repo)], f"OpenAPI generated by `{hit.text}`.")
        return self.failed(
            [served.evidence(repo)],
            f"The service ({served.where}) publishes no OpenAPI description.",
        )


class OperationsDocs(Probe):
    """Nothing tells an operator how to deploy, monitor or troubleshoot the service."""

    id = "DOC009"
    category = Category.documentation
    severity = Severity.low
    title = "No operations runbook"
    rationale = "On-call engineers improvise during incidents without a runbook."
    remediation = "Document deployment, configuration, monitoring and common failures."

    applies = "service"

    def check(self, repo: RepoView, text: TextSearch) -> CheckResult:
        paths = repo.named(
            "RUNBOOK.md",
            "OPERATIONS.md",
            "DEPLOYMENT.md",
            "DEPLOY.md",
            "runbook.md",
            "operations.md",
            "deployment.md",
        )
        if paths:
            return self.passed([repo.evidence(paths[0], 1)], f"Runbook in {paths[0]}.")
        hits = text.grep(
            r"^#+ .*(?i:deploy|operat|runbook|troubleshoot|monitor)",
            ("markdown",),
            tests=None,
            limit=1,
        )
        if hits:
            return self.passed([hits[0].evidence(repo)], f"Operations section `{hits[0].text}`.")
        return self.failed(
            repo.anchor("README.md"), "No runbook and no deploy/operations/troubleshooting section."
        )
