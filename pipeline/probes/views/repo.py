"""The ``repo`` view: the snapshot's files as probes select them (scope, role, language).

Evidence is built here from the snapshot's redacted lines, so no probe can show a raw secret.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any, TypeVar

import pathspec

from pipeline.ingest.languages import SINGLE_FILE_COMPONENTS, script_lines
from pipeline.ingest.snapshot import RepoSnapshot
from pipeline.probes.registry import view
from pipeline.probes.views.patterns import CODE, compiled
from pipeline.schemas import Evidence, SourceFile

_BROWSER_GLOBALS = re.compile(
    r"\b(window|navigator|localStorage|sessionStorage)\.\w|['\"]use client['\"]|"
    r"\bdocument\.(getElement|querySelector|cookie|body|title|createElement|addEventListener)|"
    # jQuery: the page's own library (pgweb's static/js/app.js).
    r"\$\((document|window)\)|\(jQuery\)|\bjQuery\("
)

T = TypeVar("T")

# Folders at the repository root whose files apply to every package of a monorepo.
SHARED_DIRS = frozenset(
    {
        ".github",
        ".gitlab",
        ".circleci",
        "docs",
        "doc",
        "deploy",
        "docker",
        "k8s",
        "helm",
        "charts",
        "ops",
        ".ci",
        "scripts",
        "ci",
    }
)
# Files to cite, in order, when something is absent and a line must still anchor the claim.
ANCHORS = (
    "pyproject.toml",
    "setup.py",
    "package.json",
    "go.mod",
    "Cargo.toml",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "readme.md",
    "readme",
)


@view("repo")
class RepoView:
    """The repository as probes see it: files in scope, their text, and evidence."""

    def __init__(self, snapshot: RepoSnapshot) -> None:
        self.snapshot = snapshot
        self.root = snapshot.root
        self.files = snapshot.files
        self.scope = snapshot.scope
        self.by_path = snapshot.by_path
        self._memo: dict[str, Any] = {}

    def memo(self, key: str, factory: Callable[[], T]) -> T:
        """Compute a derived value once per run (``factory`` runs on the first call)."""
        if key not in self._memo:
            self._memo[key] = factory()
        return self._memo[key]  # type: ignore[no-any-return]

    def in_scope(self, path: str) -> bool:
        """Whether ``path`` belongs to the assessed package (always true without a scope)."""
        if not self.scope:
            return True
        scope = self.scope.strip("/")
        return path == scope or path.startswith(scope + "/") or path in self.snapshot.adopted

    def applies(self, path: str) -> bool:
        """In scope, or a root-level file (CI, Docker, docs) that applies to every package."""
        if self.in_scope(path):
            return True
        parts = PurePosixPath(path).parts
        return len(parts) == 1 or parts[0] in SHARED_DIRS

    def code_files(self, *languages: str, tests: bool | None = False) -> list[SourceFile]:
        """In-scope files of ``languages``.

        ``tests`` False = product code only (``role == "product"``: examples, benchmarks,
        fixtures and docs say little about the product), True = tests only, None = every file.
        """
        return [
            f
            for f in self.files
            if f.language in languages
            and self.in_scope(f.path)
            and (
                tests is None
                or (
                    f.is_test
                    if tests
                    else (not f.is_test and is_product(f) and not self.helper_script(f.path))
                )
            )
        ]

    def helper_script(self, path: str) -> bool:
        """A maintainers' script: a build's task file or bundler configuration (gulpfile.js,
        webpack.config.js), a JavaScript one in a top-level bin/, scripts/, tools/, hack/
        or dev/ folder that the npm package does not publish, or a Python script in one of
        the latter four of a project that ships no Python (no setup.py, pyproject.toml,
        setup.cfg, Pipfile or requirements file anywhere): its maintainers' helper, run by
        hand, not what is deployed (wakapi's scripts/sample_data.py beside a Go server,
        vaultwarden's tools/global_domains.py beside a Rust one)."""
        parts = PurePosixPath(path).parts
        if _BUILD_SCRIPT.match(parts[-1]):
            return True  # axios's gulpfile.js fetches contributors from GitHub for the docs
        if len(parts) >= 2 and path.endswith(_JS_SCRIPTS) and parts[0] in _HELPER_DIRS | {"bin"}:
            # A script the npm package does not publish: axios's bin/GithubAPI.js and
            # bin/contributors.js, release chores its .npmignore leaves out of the package.
            unpublished = self.memo("npm-unpublished", self._npm_unpublished)
            return unpublished is not None and unpublished(path)
        if len(parts) < 2 or parts[0] not in _HELPER_DIRS or not path.endswith(".py"):
            return False
        return not self.memo("ships-python", self._ships_python)

    def _npm_unpublished(self) -> Callable[[str], bool] | None:
        """Which paths the root package.json leaves out of the published package, by its
        `files` list or else its .npmignore (npm's own rules); None when the project is no
        published npm package or neither says. A `bin` entry is always published."""
        try:
            manifest = json.loads(self.snapshot.text("package.json") or "null")
        except ValueError:
            return None
        if not isinstance(manifest, dict) or manifest.get("private") is True:
            return None
        bins = manifest.get("bin")
        entries = bins.values() if isinstance(bins, dict) else [bins] if bins else []
        always = {str(b).removeprefix("./") for b in entries}
        files = manifest.get("files")
        if isinstance(files, list) and files:
            listed = pathspec.GitIgnoreSpec.from_lines([str(f).removeprefix("./") for f in files])
            return lambda p: p not in always and not listed.match_file(p)
        if ".npmignore" in self.by_path:
            ignored = pathspec.GitIgnoreSpec.from_lines(self.snapshot.lines(".npmignore"))
            return lambda p: p not in always and ignored.match_file(p)
        return None

    def _ships_python(self) -> bool:
        """Whether Python is one of the product's languages: a Python manifest anywhere,
        Python outside the helper folders, or no product code in another language at all
        (then the helper folders are where the product lives)."""
        if any(
            PurePosixPath(p).name in _PY_MANIFESTS
            or PurePosixPath(p).name.startswith("requirements")
            for p in self.snapshot.listed
        ):
            return True
        product = [f for f in self.files if not f.is_test and is_product(f) and f.language in CODE]
        outside = [f for f in product if PurePosixPath(f.path).parts[0] not in _HELPER_DIRS]
        return any(f.language == "python" for f in outside) or not any(
            f.language != "python" for f in outside
        )

    def languages(self) -> set[str]:
        """Programming languages with product code in scope."""
        return self.memo("languages", lambda: {f.language for f in self.code_files(*CODE)})

    def files_in(self, *languages: str) -> list[SourceFile]:
        return [f for f in self.files if f.language in languages]

    def named(self, *names: str) -> list[str]:
        """Applicable paths whose file name (case-insensitive) is one of ``names``."""
        wanted = {n.lower() for n in names}
        return [
            f.path
            for f in self.files
            if PurePosixPath(f.path).name.lower() in wanted and self.applies(f.path)
        ]

    def present(self, *names: str) -> list[str]:
        """Applicable paths named one of ``names`` that exist, read or not (too large...)."""
        wanted = {n.lower() for n in names}
        return [
            path
            for path in self.snapshot.listed
            if PurePosixPath(path).name.lower() in wanted and self.applies(path)
        ]

    def text(self, path: str) -> str:
        """The text of a repository file, lines joined by ``\\n`` ('' when not kept).

        A Vue or Svelte component's text is its script only (the template and styles
        blanked, line numbers kept): what code probes read.
        """
        if path.endswith(SINGLE_FILE_COMPONENTS):
            return self.memo(f"script:{path}", lambda: script_lines(self.snapshot.text(path)))
        return self.snapshot.text(path)

    def in_browser(self, path: str) -> bool:
        """Code that runs in a browser: a Vue or Svelte component, or a script that touches
        the page's globals or says 'use client'."""
        if path.endswith(SINGLE_FILE_COMPONENTS):
            return True
        return path.endswith((".js", ".jsx", ".ts", ".tsx", ".mjs")) and bool(
            _BROWSER_GLOBALS.search(self.text(path))
        )

    def lines(self, path: str) -> tuple[str, ...]:
        """The lines of ``path`` as code probes read them (a component's script only)."""
        if path.endswith(SINGLE_FILE_COMPONENTS):
            return self.memo(f"script-lines:{path}", lambda: tuple(self.text(path).split("\n")))
        return self.snapshot.lines(path)

    def line(self, path: str, number: int) -> str:
        """One line (1-based) of ``path``, '' past the end."""
        lines = self.lines(path)
        return lines[number - 1] if 0 < number <= len(lines) else ""

    def shown(self, path: str, number: int) -> str:
        """One line (1-based) as it may be shown in a message: secrets redacted."""
        lines = self.snapshot.shown_lines(path)
        return lines[number - 1] if 0 < number <= len(lines) else ""

    def evidence(self, path: str, start: int, end: int | None = None) -> Evidence:
        """Evidence for lines ``start..end`` of ``path``, snippet redacted."""
        return self.snapshot.evidence(path, start, end)

    def anchor(self, *preferred: str) -> list[Evidence]:
        """Line 1 of the most relevant existing file, to cite when something is absent."""
        for name in (*preferred, *ANCHORS):
            paths = [p for p in self.named(name) if self.in_scope(p)] or self.named(name)
            if paths:
                return [self.evidence(min(paths, key=len), 1)]
        scoped = [f.path for f in self.files if self.in_scope(f.path)]
        return [self.evidence(scoped[0], 1)] if scoped else []

    def line_of(self, path: str, pattern: str, default: int = 1) -> int:
        """The first line of ``path`` matching the regex ``pattern`` (``default`` when none)."""
        rx = compiled(pattern)
        for number, line in enumerate(self.lines(path), 1):
            if rx.search(line):
                return number
        return default


# Where CI keeps its own code (a workflow's helper script, a local action), and a top-level
# dev/ folder of developers' own tooling (code generators, seed scripts).
_CI_CODE = (".github/", ".circleci/", ".gitlab/", ".buildkite/", "dev/")


# Task-runner modules at the root: what maintainers run (nox, fabric, doit, tox plugins),
# not what ships. A root tasks.py is not among them: it is invoke's, but Celery's too.
_JS = ("javascript", "typescript")
_TASK_MODULES = frozenset({"noxfile.py", "fabfile.py", "dodo.py", "toxfile.py"})


_HELPER_DIRS = frozenset({"scripts", "tools", "hack", "dev"})
# A build's task file or a bundler's or test runner's configuration: tooling, never shipped.
_BUILD_SCRIPT = re.compile(
    r"^((gulpfile|gruntfile|jakefile)(\.babel)?|(webpack|rollup|karma|esbuild|tsup|jest|vitest)"
    r"\.(config|conf)(\.\w+)?)\.[cm]?[jt]s$",
    re.I,
)
_JS_SCRIPTS = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts")
_WORKSPACE_ROOTS = frozenset({"packages", "apps", "libs", "modules", "services", "plugins"})
_PY_MANIFESTS = frozenset({"setup.py", "setup.cfg", "pyproject.toml", "Pipfile"})


def is_product(f: SourceFile) -> bool:
    """Product code: not an example, benchmark, fixture or doc, nor a Cargo build script,
    nor the code CI runs for itself (``.github/workflows/scripts/commit-checker.py``) or a
    top-level ``dev/`` folder of developers' tools (``dev/code-generation/gen_*.py``), a
    hidden top-level folder (jrnl's ``.build/``) or a root task-runner module."""
    parts = PurePosixPath(f.path).parts
    tooling = f.language in CODE and (
        f.path.startswith(_CI_CODE)
        or (len(parts) > 1 and parts[0].startswith("."))
        or (len(parts) == 1 and parts[0] in _TASK_MODULES)
        # A JavaScript project's top-level scripts/ folder holds its maintainers' release,
        # changelog and generator scripts (thelounge's scripts/changelog.js).
        or (len(parts) > 1 and parts[0] in ("scripts", "tools") and f.language in _JS)
        # ... and so does a workspace package's (inngest-js's
        # packages/inngest/scripts/integrationTestRunner.ts).
        or (
            len(parts) > 3
            and parts[0] in _WORKSPACE_ROOTS
            and parts[2] == "scripts"
            and f.language in _JS
        )
        # Code generators developers run to add a package (`turbo gen`, plop): the answers
        # they type go into commands on their own machine (create-t3-turbo).
        or "turbo/generators/" in f.path
        or parts[-1].startswith("plopfile.")
    )
    return f.role == "product" and parts[-1] != "build.rs" and not tooling
