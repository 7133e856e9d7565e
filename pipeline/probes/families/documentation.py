"""Documentation probes: README content, changelog, contributing, license, docs, docstrings."""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from pipeline.probes.base import Hit, Probe, plural
from pipeline.probes.views.ci import CiModel, Command
from pipeline.probes.views.datafiles import DataFiles
from pipeline.probes.views.imports import Imports
from pipeline.probes.views.profile import ProfileView
from pipeline.probes.views.python import PythonCode
from pipeline.probes.views.repo import RepoView
from pipeline.probes.views.search import CODE, TextSearch
from pipeline.schemas import Category, CheckResult, Outcome, Severity

_READMES = ("README.md", "README.rst", "README.txt", "README", "readme.md", "README.adoc")


def readme(repo: RepoView) -> str | None:
    """The README of the scope, else the root README."""
    paths = repo.named(*_READMES)
    scoped = [p for p in paths if repo.scope and repo.in_scope(p)]
    return min(scoped or paths, key=len) if paths else None


# --- sections of prose documents ----------------------------------------------------------

# A setext (Markdown) or reStructuredText underline: the line above it is a heading.
_UNDERLINE = re.compile(r"^([=\-~^*+#\"`'])\1{2,}\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass(frozen=True)
class Section:
    """A heading of a prose document and the lines under it, up to the next heading."""

    path: str
    line: int  # the heading's line (1-based)
    title: str
    start: int  # first body line
    end: int  # last body line
    raw: str = ""  # the heading as written (code spans kept)

    def body(self, repo: RepoView) -> list[str]:
        return list(repo.lines(self.path)[self.start - 1 : self.end])


def sections(repo: RepoView, path: str) -> list[Section]:
    """The headings of a Markdown or reStructuredText file (not lines inside code fences),
    each with its body: the lines up to the next heading of the same or a higher level. A
    line that is only bold text counts as a heading whose body ends at any heading."""

    def compute() -> list[Section]:
        lines = repo.lines(path)
        heads: list[tuple[int, str, int, int]] = []  # (line, title, first body line, level)
        styles: list[str] = []  # reStructuredText levels, in order of appearance

        def level(style: str) -> int:
            if path.lower().endswith((".md", ".markdown")):
                return {"=": 1, "-": 2}.get(style, 3)
            if style not in styles:
                styles.append(style)
            return styles.index(style) + 1

        markdown = path.lower().endswith((".md", ".markdown", ".mdx"))
        fenced = False
        n = 0
        while n < len(lines):
            line = lines[n]
            if _FENCE.match(line):
                fenced = not fenced
                n += 1
                continue
            if fenced:
                n += 1
                continue
            following = lines[n + 1] if n + 1 < len(lines) else ""
            atx = re.match(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$", line)
            bold = re.match(r"^\*\*([^*]+)\*\*:?\s*$", line)
            # An HTML heading in Markdown (eza's `<h1>Command-line options</h1>`).
            html = (
                re.match(r"^\s*<h([1-6])\b[^>]*>(.*?)</h\1>\s*$", line, re.I) if markdown else None
            )
            if atx:
                heads.append((n + 1, atx.group(2), n + 2, len(atx.group(1))))
            elif html:
                heads.append((n + 1, html.group(2), n + 2, int(html.group(1))))
            elif bold:
                heads.append((n + 1, bold.group(1), n + 2, 99))
            elif (
                line.strip()
                and not line.startswith((" ", "\t"))
                and _UNDERLINE.match(following)
                and not _UNDERLINE.match(line)
                # In Markdown a line of backticks or tildes opens a code block: the line
                # above it ("From the project root, run:") is text, not a heading.
                and not (markdown and _FENCE.match(following))
            ):
                heads.append((n + 1, line.strip(), n + 3, level(following.strip()[0])))
                n += 2
                continue
            elif _UNDERLINE.match(line) and n + 2 < len(lines) and lines[n + 2] == line:
                # a reStructuredText title with an overline and an underline
                heads.append((n + 2, lines[n + 1].strip(), n + 4, level("over" + line[0])))
                n += 3
                continue
            n += 1
        found = []
        for i, (number, title, start, depth) in enumerate(heads):
            end = len(lines)
            for later, _, _, later_depth in heads[i + 1 :]:
                if later_depth <= depth or depth == 99:
                    end = later - 1
                    break
            found.append(
                Section(path, number, _plain(title), start, max(start - 1, end), title.strip())
            )
        return found

    return repo.memo(f"sections:{path}", compute)


def _plain(title: str) -> str:
    """A heading's words: markup, links, emoji and numbering removed."""
    title = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", title)  # images, badges
    title = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", title)
    title = re.sub(r"[*_`]", "", title)
    title = re.sub(r"^[^\w]+", "", title)  # emoji, "1." stays a word
    return re.sub(r"\s+", " ", title).strip()


def prose(body: list[str]) -> int:
    """Characters of text in a section body (blank lines and fences left out)."""
    return sum(len(line.strip()) for line in body if line.strip() and not _FENCE.match(line))


def guides(repo: RepoView) -> list[str]:
    """The prose a developer reads: the README, Markdown files at the root of the repository
    or of the scope (CLAUDE.md, AGENTS.md, HACKING.md...), and pages under docs folders."""

    def compute() -> list[str]:
        first = readme(repo)
        found = [first] if first else []
        roots = {".", (repo.scope or ".").strip("/") or "."}
        for f in repo.files:
            if f.path in found or not repo.applies(f.path):
                continue
            if f.language != "markdown" and not f.path.lower().endswith(".adoc"):
                continue
            if retired(f.path):
                continue
            if (
                str(PurePosixPath(f.path).parent) in roots
                or f.path.lower() == ".github/copilot-instructions.md"
                or _DOCS_DIR.search(f.path)
            ):
                found.append(f.path)
        return found

    return repo.memo("doc-guides", compute)


_DOCS_DIR = re.compile(r"(^|/)(docs?|adr|adrs|documentation)/", re.I)


def _heading_line(repo: RepoView, path: str, pattern: str) -> int:
    """The first heading of ``path`` whose words match ``pattern`` (0 when none); the title
    at the top names the project, it is not a section."""
    rx = re.compile(pattern, re.I)
    heads = sections(repo, path)
    if heads and heads[0].line <= 3:
        heads = heads[1:]
    return next((s.line for s in heads if rx.search(s.title)), 0)


# A copy-pasteable install command (or dependency snippet) counts as installation docs.
_INSTALL_COMMAND = (
    r"^\s*(\$\s*)?(pip3? install|pipx install|uv (sync|add|pip install|tool install)|"
    r"poetry (add|install)|(npm|pnpm|bun) (i|install|add)\b|yarn (add|install)\b|yarn\s*$|"
    r"cargo (add|install)|go (get|install)|make (run|install|setup)\b|brew install|"
    r"apt(-get)? install|mvn install|gradle build|docker(-| )compose up|docker run|"
    # Run from a checkout: building and starting it is how it is installed.
    r"cargo (run|build)\b|go (run|build)\b|\./mvnw|\./gradlew (bootRun|build)\b|"
    r"git clone)|^\s*\[(dev-)?dependencies\]|^\s*<dependency>|"
    r"^\s*(implementation|api|compile)\s*\(?\s*['\"][\w.-]+:[\w.-]+:"
)
_INLINE_COMMAND = (
    r"^\s*([-*]|\d+\.)\s.*`(\$ )?(go|npm|npx|pnpm|yarn|pip|pipx|uv|cargo|docker|make|python3?|"
    r"node|java|mvn|\./\w+)\s[^`]+`"
)
_INSTALL_HEADING = (
    # moco's "Preparation": install PyTorch and the dataset before training.
    r"install|setup|set up|getting started|get started|quick ?start|build|download|"
    r"prepar(e|ation)|requirements|dependencies|"
    r"run(ning)? (it )?locally|local development|adding .* to your|"
    r"start(ing)? (the )?(app|application|server|service)"
)
_USE_HEADING = (
    r"usage|\bus(e|ing)\b|running|\brun\b|example|how to|quick ?start|\bcli\b|tutorial|"
    # Research code is used by training, evaluating or sampling (moco's "Unsupervised
    # Training" and "Linear Classification" give the commands).
    r"\btrain(ing)?\b|evaluat|inference|sampling|\bdemo\b|"
    r"getting started|commands|command[- ]line options|\boptions\b|\bflags\b"
)


# An install command quoted in a sentence: "Install with `pip install -e .`."
_INLINE_INSTALL = (
    r"`(\$ )?(pip3? install|pipx install|uv (add|pip install|tool install)|"
    r"(npm|pnpm) (i|install|add)|yarn add|cargo (add|install)|go (get|install)|"
    r"brew install)\s[^`]+`"
)
# A guide named for installing or using the software (docs/install.md, docs/usage.md,
# getting-started.md), not CONTRIBUTING.md or a changelog.
_GUIDE_NAME = re.compile(
    r"(?i)(^|/)(install|installation|installing|setup|set-up|usage|using|"
    r"getting[-_ ]?started|quick[-_]?start|deploy|deployment|tutorial)([-_.][^/]*)?"
    r"\.(md|rst|adoc)$"
)
_MARKDOWN_LINK = re.compile(r"\]\(\.?/?([\w./-]+\.(md|rst|adoc))(#[^)]*)?\)")


def _linked_guide(repo: RepoView, path: str) -> tuple[str, int] | None:
    """A guide in the repository the README links to that holds commands: (its path, the
    line of its first code block or install command)."""
    folder = PurePosixPath(path).parent
    for target in dict.fromkeys(m.group(1) for m in _MARKDOWN_LINK.finditer(repo.text(path))):
        guide = str(folder / target) if str(folder) != "." else target
        if guide not in repo.by_path or guide == path or not _GUIDE_NAME.search(guide):
            continue
        line = (_fences(repo, guide) or [0])[0] or _first_line(repo, guide, _INSTALL_COMMAND)
        if line:
            return guide, line
    return None


def _first_line(repo: RepoView, path: str, pattern: str) -> int:
    rx = re.compile(pattern, re.I)
    return next((n for n, line in enumerate(repo.lines(path), 1) if rx.search(line)), 0)


def _fences(repo: RepoView, path: str) -> list[int]:
    """Lines that open a fenced code block."""
    opened, starts = False, []
    lines = repo.lines(path)
    for n, line in enumerate(lines, 1):
        if _FENCE.match(line):
            # A citation (BibTeX's @article{...}) is a block of code that shows no use.
            if not opened and not (n < len(lines) and re.match(r"\s*@[A-Za-z]+\{", lines[n])):
                starts.append(n)
            opened = not opened
    return starts


def _go_import(repo: RepoView, path: str) -> int:
    """A code line of ``path`` importing the Go module itself: Go fetches a module on its
    first import, so the import line is the installation step."""
    mods = [
        p for p in repo.named("go.mod") if PurePosixPath(p).parent == PurePosixPath(path).parent
    ]
    module = next(
        (
            m.group(1)
            for p in mods
            for m in [re.search(r"^module\s+(\S+)", repo.text(p), re.M)]
            if m
        ),
        None,
    )
    if not module:
        return 0
    rx = re.compile(rf"^(import\s+)?(\w+\s+)?\"{re.escape(module)}(/[\w./-]*)?\"")
    return next((n for n, code in code_lines(repo, path) if rx.search(code)), 0)


def crate_docs(repo: RepoView, near: str) -> tuple[str, list[tuple[int, str]]] | None:
    """The crate documentation (``//!`` lines of ``src/lib.rs``) of the crate whose folder
    holds ``near``: what docs.rs shows as the crate's front page."""
    folder = PurePosixPath(near).parent
    path = str(folder / "src" / "lib.rs") if str(folder) != "." else "src/lib.rs"
    if path not in repo.by_path:
        return None
    lines = [
        (n, re.sub(r"^\s*//!\s?", "", line))
        for n, line in enumerate(repo.lines(path), 1)
        if line.lstrip().startswith("//!")
    ]
    return (path, lines) if lines else None


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
        inline = _first_line(repo, path, _INLINE_INSTALL)
        install = (
            _heading_line(repo, path, _INSTALL_HEADING)
            or _first_line(repo, path, _INSTALL_COMMAND)
            or inline
            or _go_import(repo, path)
        )
        use = _heading_line(repo, path, _USE_HEADING) or next(
            (n for n in _fences(repo, path) if abs(n - install) > 3), 0
        )
        text = repo.text(path)
        code_block = bool(
            "```" in text
            or "::" in text
            or re.search(r"\n\n(    |\t)\S", text)
            # Commands quoted inline in a list: "- Start it: `go run main.go serve`".
            or re.search(_INLINE_COMMAND, text, re.M)
            # shap-e: "Install with `pip install -e .`." in a sentence.
            or inline
        )
        linked = None
        if install and not code_block:
            # lldap: "## Installation" links to docs/install.md#with-docker, which holds
            # the commands; the README keeps the overview.
            linked = _linked_guide(repo, path)
            code_block = linked is not None
        found = {"installation": (path, install), "usage": (path, use)}
        crate = crate_docs(repo, path)
        if crate and not (install and use and code_block):
            # A Rust crate's front page on docs.rs is its crate documentation.
            lib, lines = crate
            rx = re.compile(_INSTALL_COMMAND, re.I)
            if not install:
                hit = next((n for n, line in lines if rx.search(line)), 0)
                found["installation"] = (lib, hit)
            if not (use and code_block):
                fence = next((n for n, line in lines if _FENCE.match(line)), 0)
                found["usage"] = (lib, use if use and code_block else fence)
                code_block = code_block or bool(fence)
        missing = [what for what, (_, line) in found.items() if not line]
        if not missing and code_block:
            where = {what: f"{p}:{line}" for what, (p, line) in found.items()}
            return self.passed(
                [repo.evidence(p, line) for p, line in found.values()]
                + ([repo.evidence(linked[0], linked[1])] if linked else []),
                f"Installation ({where['installation']}) and usage ({where['usage']}) are "
                "explained"
                + (f", with the commands in {linked[0]}, which the README links" if linked else "")
                + ".",
            )
        looked = [
            f"headings and install commands of {path}"
            + (f" and the crate documentation of {crate[0]}" if crate else "")
        ]
        deferred = _first_line(repo, path, _DOCS_LINK)
        if deferred:
            # rallly: "## Self-hosting ... See the [self-hosting docs](https://...) for
            # installation": the steps exist, on a site the repository does not hold.
            return self.failed(
                [repo.evidence(path, deferred)],
                f"{path} sends readers to documentation elsewhere for installation and use "
                f"({path}:{deferred}); the repository itself holds no "
                f"{' or '.join(missing) or 'command example'} steps.",
                looked_at=looked,
                partial=True,
            ).model_copy(
                update={
                    "severity": Severity.low,
                    "severity_note": "Lowered: the instructions exist on the project's "
                    "documentation site; only a reader of the repository alone lacks them.",
                }
            )
        return self.failed(
            [repo.evidence(path, 1)],
            f"{path} has no {' or '.join(missing) or 'command example'} section.",
            looked_at=looked,
        )


# A link to installation or usage documentation kept elsewhere.
_DOCS_LINK = (
    r"\[[^\]]*(install|self-?host|set ?up|getting started|quick ?start|usage|documentation|"
    r"docs)[^\]]*\]\(https?://|\(https?://[^)]*(install|self-?host|setup|getting-started|"
    r"quickstart|/docs)"
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
        # Plain-text notes per version (yq's release_notes.txt), and the older names.
        "release_notes.txt",
        "release_notes.md",
        "RELEASE_NOTES.md",
        "release-notes.txt",
        "CHANGES",
        "CHANGES.txt",
        "HISTORY.txt",
        "NEWS",
        "NEWS.rst",
    )
    what = "changelog"

    def prefixes(self) -> tuple[str, ...]:
        return ("changelog.d/", "changes/", ".changeset/")

    def check(  # type: ignore[override]
        self, repo: RepoView, data: DataFiles, ci: CiModel
    ) -> CheckResult:
        result = super().check(repo)
        if result.outcome is not Outcome.failed:
            return result
        configs = repo.named(".goreleaser.yml", ".goreleaser.yaml", "goreleaser.yml")
        goreleaser = [path for path in configs if _goreleaser_changelog(data, path)]
        released = _release_notes_tool(repo, data, ci, goreleaser=bool(goreleaser) or not configs)
        if released:
            # The question asks for a changelog kept in the repository, which this is not;
            # but users do read what changed, so the missing file is no gap.
            tool, cmd = released
            return result.model_copy(
                update={
                    "evidence": [*result.evidence, repo.evidence(cmd.path, cmd.line)],
                    "advisory": f"CI runs {tool} ({cmd.describe()}), which writes each "
                    "release's notes from its commits or change files and publishes them with "
                    "the release: users can read what changed, only not in the repository.",
                }
            )
        generated = [
            p
            for p in repo.named("release.yml", "release.yaml")
            if p.startswith(".github/")
            and any(isinstance(d, dict) and "changelog" in d for d in data.yaml_docs(p))
        ]
        if generated:
            # viper: .github/release.yml sorts merged pull requests into categories by label.
            return result.model_copy(
                update={
                    "evidence": [*result.evidence, repo.evidence(generated[0], 1)],
                    "advisory": f"GitHub generates each release's notes from its merged pull "
                    f"requests, grouped as {generated[0]} sets out: users can read what "
                    "changed, only not in the repository.",
                }
            )
        if goreleaser:
            return result.model_copy(
                update={
                    "advisory": f"GoReleaser ({goreleaser[0]}) writes the release notes from "
                    "the commit log into each GitHub release (its changelog is on unless "
                    "disabled): users get a list of changes, only not in the repository."
                }
            )
        return result


def _goreleaser_changelog(data: DataFiles, path: str) -> bool:
    """A GoReleaser configuration that keeps its changelog on (the default)."""
    docs = data.yaml_docs(path)
    config = docs[0] if docs and isinstance(docs[0], dict) else {}
    changelog = config.get("changelog")
    return not (isinstance(changelog, dict) and changelog.get("disable") is True)


# Release tools that write release notes as they release: semantic-release (from
# conventional commits, into a GitHub/GitLab release or CHANGELOG.md), release-please (a
# CHANGELOG.md in its release pull request), changesets (CHANGELOG.md from .changeset files),
# GoReleaser (the commit log in the GitHub release). A dry run or snapshot publishes nothing.
_RELEASE_NOTES_TOOLS = (
    ("semantic-release", r"\bsemantic-release\b(?![\w-])(?![^;&|]*--dry-run)"),
    ("release-please", r"\brelease-please\b"),
    ("changesets", r"\bchangesets/action\b|\bchangeset version\b"),
    (
        "GoReleaser",
        r"\bgoreleaser\b(?![\w-])(?![^;&|]*(\b(check|build|healthcheck|init)\b|--snapshot|"
        r"--skip[= ]\S*publish))",
    ),
)
_SEMANTIC_RELEASE_CONFIGS = (
    ".releaserc",
    ".releaserc.json",
    ".releaserc.yaml",
    ".releaserc.yml",
    ".releaserc.js",
    ".releaserc.cjs",
    ".releaserc.mjs",
    "release.config.js",
    "release.config.cjs",
    "release.config.mjs",
)


def _release_notes_tool(
    repo: RepoView, data: DataFiles, ci: CiModel, goreleaser: bool
) -> tuple[str, Command] | None:
    """(tool, command) of a release tool CI runs that publishes release notes."""
    for tool, pattern in _RELEASE_NOTES_TOOLS:
        if tool == "GoReleaser" and not goreleaser:
            continue  # its configuration switches the changelog off
        if tool == "semantic-release" and not _semantic_release_notes(repo, data):
            continue
        cmd = ci.runs(pattern)
        if cmd:
            return tool, cmd
    return None


def _semantic_release_notes(repo: RepoView, data: DataFiles) -> bool:
    """semantic-release's default plugins publish notes in a GitHub release; a configuration
    that lists its plugins without @semantic-release/github, gitlab or changelog publishes
    none."""
    publishes = re.compile(
        r"@semantic-release/(github|gitlab|changelog)\b|semantic-release-(github|gitlab)"
    )
    for path in repo.named(*_SEMANTIC_RELEASE_CONFIGS, "package.json"):
        if path.endswith("package.json"):
            manifest = data.json(path)
            release = manifest.get("release") if isinstance(manifest, dict) else None
            plugins = release.get("plugins") if isinstance(release, dict) else None
            if plugins is not None and not publishes.search(json.dumps(plugins)):
                return False
            continue
        text = repo.text(path)
        if re.search(r"\bplugins['\"]?\s*[:=]", text) and not publishes.search(text):
            return False
    return True


# A command that runs a project's test suite: `pytest`, `go test ./...`, `npm test`...
TEST_COMMAND = (
    r"(?:^|&&\s*|;\s*)(?:[A-Z_]+=\S*\s+)*"
    # `uv run pytest`, `poetry run pytest`: an environment manager running the test runner.
    r"(?:(?:uv|poetry|pdm|pipenv|rye|hatch) run (?:--?[\w-]+(?:[ =][\w.-]+)? )*)?"
    r"(python3? -m pytest|pytest|py\.test|poe (?:tests?|check|[\w-]*-tests?|tests?-[\w-]+)\b|"
    r"go test(?!.*-bench)|cargo (?:nextest run|test)|(?:npm|pnpm|yarn|bun) (?:run |start )?test|"
    r"nps test|"
    r"npx (?:jest|vitest|mocha)|(?:\./)?mvnw? [\w:.= -]*\b(?:test|verify)\b|"
    # make test, make unit-test, make test-e2e, make check; not make testdata (which seeds).
    r"(?:\./)?gradlew? [\w:. -]*\b(?:test|check)\b|"
    r"make (?:[\w-]*?[-_]?tests?(?:[-_][\w-]+)?|check)(?![\w])|tox\b|"
    r"nox\b|hatch (?:run )?test|(?:just|task) [\w:-]*(?:test|integration)[\w:-]*|"
    r"bundle exec rspec|rake test|dotnet test|phpunit)"
)


def code_lines(repo: RepoView, path: str) -> list[tuple[int, str]]:
    """The code a prose document shows: lines of fenced or indented blocks, and inline code
    spans, each without a shell prompt."""
    found: list[tuple[int, str]] = []
    fenced = False
    for number, line in enumerate(repo.lines(path), 1):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced or line.startswith(("    ", "\t")):
            found.append((number, re.sub(r"^\s*(\$|>|%|PS>|#)\s+", "", line.strip())))
        else:
            found += [(number, span.strip()) for span in re.findall(r"`+([^`]+)`+", line)]
    return found


def first_command(repo: RepoView, paths: list[str], pattern: str) -> tuple[str, int, str] | None:
    """The first command matching ``pattern`` that one of ``paths`` shows, with its line."""
    rx = re.compile(pattern)
    for path in paths:
        for number, code in code_lines(repo, path):
            m = rx.search(code)
            if m:
                return path, number, m.group(1)
    return None


_CONTRIBUTING_FILE = re.compile(
    r"(^|/)(contributing|hacking|development|developing|developer[-_ ]guide)"
    r"(\.(md|rst|txt|adoc))?$",
    re.I,
)
_DEVELOPMENT_HEADING = re.compile(
    r"contribut|develop|hacking|build(ing)? from source|local setup|run(ning)? (the )?tests|"
    r"\btest(s|ing)?\b",
    re.I,
)


class Contributing(Probe):
    """No contributing guide: nothing explains how to set up, build and test the project."""

    id = "DOC004"
    category = Category.documentation
    severity = Severity.low
    title = "No contributing guide"
    rationale = "Contributors guess at setup, conventions and review expectations."
    remediation = "Add CONTRIBUTING.md: dev setup, tests, style, how to propose changes."

    def check(self, repo: RepoView) -> CheckResult:
        files = [
            f.path
            for f in repo.files
            if repo.applies(f.path)
            and f.language in ("markdown", "text")
            and _CONTRIBUTING_FILE.search(f.path)
        ]
        if files:
            files.sort(key=lambda p: (p.count("/"), p))
            return self.passed([repo.evidence(files[0], 1)], f"Contributing guide in {files[0]}.")
        docs = guides(repo)
        heads = [s for path in docs for s in sections(repo, path)]
        command = first_command(repo, docs, TEST_COMMAND)
        for path, line, shown in _commands(repo, docs, TEST_COMMAND):
            around = _section_at(heads, path, line)
            if around is not None and _explanation(around.body(repo)) >= _EXPLAINED:
                return self.passed(
                    [repo.evidence(path, line)],
                    f"{path}:{line} explains how to run the tests (`{shown}`).",
                )
        for path, line, shown in _commands(repo, docs, TEST_COMMAND):
            # pinecone's README: "## Development" with subsections Setup (`uv sync`), Tests
            # (`uv run pytest`), Type checking and Linting, each a command under its title:
            # together they are the guide, though no one subsection explains much.
            development = [
                s
                for s in heads
                if s.path == path
                and s.start <= line <= s.end
                and _DEVELOPMENT_HEADING.search(s.title)
            ]
            for section in development:
                others = [
                    n
                    for n, code in code_lines(repo, path)
                    if section.start <= n <= section.end and n != line and code.strip()
                ]
                if others:
                    return self.passed(
                        [repo.evidence(section.path, section.line, section.end)],
                        f"{path}:{section.line} ({section.title!r}) shows how to run the tests "
                        f"(`{shown}`) beside {plural(len(others), 'other development command')}.",
                    )
        if not command and not repo.code_files(*CODE, tests=True):
            # nextjs-subscription-payments: no test suite at all, and a "Develop locally"
            # section with install and local-run commands and the prose around them.
            for section in (s for s in heads if _DEVELOPMENT_HEADING.search(s.title)):
                shown_here = [
                    n
                    for n, code in code_lines(repo, section.path)
                    if section.start <= n <= section.end and code.strip()
                ]
                if len(shown_here) >= 2 and prose(section.body(repo)) >= 150:
                    return self.passed(
                        [repo.evidence(section.path, section.line, section.end)],
                        f"{section.path}:{section.line} ({section.title!r}) explains how to "
                        f"set up and run the project ({plural(len(shown_here), 'command')}); "
                        "there is no test suite for it to explain.",
                    )
        if command:
            path, line, shown = command
            around = _section_at(heads, path, line)
            # A bare command (a list of npm scripts, "run tox") tells a contributor which
            # command runs the tests, not how to set up, build and test the project.
            where = f" under {around.title!r}" if around else ""
            return self.failed(
                [repo.evidence(path, line)],
                f"No contributing guide: {path}:{line}{where} only names the test command "
                f"(`{shown}`) without explaining how to set up, build and test the project.",
                looked_at=[
                    "CONTRIBUTING/HACKING/DEVELOPMENT files",
                    f"development sections in {plural(len(docs), 'guide')}",
                ],
                partial=True,
            )
        # "Contributor Covenant Code of Conduct" is about behaviour, not how to contribute.
        process = next(
            (
                s
                for s in heads
                if "contribut" in s.title.lower()
                and "conduct" not in s.title.lower()
                and "code_of_conduct" not in s.path.lower()
                and prose(s.body(repo)) >= 150
            ),
            None,
        )
        testing = next(
            (
                s
                for s in heads
                if re.search(r"\btest(s|ing)?\b", s.title, re.I) and prose(s.body(repo)) >= 100
            ),
            None,
        )
        if process and testing:
            return self.passed(
                [
                    repo.evidence(process.path, process.line),
                    repo.evidence(testing.path, testing.line),
                ],
                f"{process.path} explains contributing ({process.title!r}, line {process.line}) "
                f"and testing ({testing.title!r}, {testing.path}:{testing.line}).",
            )
        looked = [
            "CONTRIBUTING/HACKING/DEVELOPMENT files",
            f"test commands and development sections in {plural(len(docs), 'guide')}"
            + (f" ({', '.join(docs[:3])}{', ...' if len(docs) > 3 else ''})" if docs else ""),
        ]
        partial = process or next((s for s in heads if _DEVELOPMENT_HEADING.search(s.title)), None)
        if partial:
            return self.failed(
                [repo.evidence(partial.path, partial.line)],
                f"No contributing guide: {partial.path}:{partial.line} ({partial.title!r}) "
                "does not explain how to build and run the tests.",
                looked_at=looked,
            )
        return self.failed(
            repo.anchor("README.md"), "No contributing guide was found.", looked_at=looked
        )


def _deploy_command(line: str) -> re.Match[str] | None:
    """The deploy command a line shows, unless it says it is for development (photoview's
    `docker compose -f dev-compose.yaml build # Build images for development`)."""
    m = _DEPLOY_COMMAND.search(line)
    return None if m is None or re.search(r"(?i)\bdev\b|develop|dev-compose", line) else m


# Characters of prose (code left out) a section needs to explain its command, not just show
# it: about one full sentence.
_EXPLAINED = 80


def _commands(repo: RepoView, paths: list[str], pattern: str) -> list[tuple[str, int, str]]:
    """Every command matching ``pattern`` that one of ``paths`` shows, with its line."""
    rx = re.compile(pattern)
    return [
        (path, number, m.group(1))
        for path in paths
        for number, code in code_lines(repo, path)
        for m in [rx.search(code)]
        if m
    ]


def _section_at(heads: list[Section], path: str, line: int) -> Section | None:
    """The innermost section of ``path`` whose body holds ``line``."""
    holding = [s for s in heads if s.path == path and s.start <= line <= s.end]
    return min(holding, key=lambda s: s.end - s.start) if holding else None


def _explanation(body: list[str]) -> int:
    """Characters of prose in a section body: fenced and indented code, code-only lines and
    reStructuredText directives left out."""
    total, fenced = 0, False
    for line in body:
        if _FENCE.match(line):
            fenced = not fenced
            continue
        text = line.strip()
        if fenced or not text or line.startswith(("    ", "\t")) or text.startswith(".. "):
            continue
        if re.match(r"^([-*+]|\d+\.)\s+`", text):
            continue  # "- `npm test` - run jest": a list of commands, not an explanation
        words = re.sub(r"`+[^`]*`+", "", text)
        words = re.sub(r"^[-*+]\s+|^\d+\.\s+", "", words).strip(" -:.")
        total += len(words)
    return total


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

    def prefixes(self) -> tuple[str, ...]:
        # LICENCE-MIT (British spelling), LICENSE.code.txt, LICENSES/ (REUSE): at the root.
        return ("license", "licence", "copying")

    def check(self, repo: RepoView) -> CheckResult:
        result = super().check(repo)
        if result.outcome is Outcome.passed:
            return result
        # node-express-realworld: no LICENSE file, but package.json says "license": "MIT".
        for name, pattern in _LICENSE_FIELDS:
            for path in repo.named(name):
                if "/" in path:
                    continue
                line = repo.line_of(path, pattern, 0)
                if line:
                    return self.passed(
                        [repo.evidence(path, line)],
                        f"The package declares its license ({path}:{line}: "
                        f"`{repo.line(path, line).strip()[:60]}`); no LICENSE file carries the "
                        "text, which most licenses ask to ship with the code.",
                        partial=True,
                    )
        return result


# Package metadata that names the license (an SPDX id or a license table).
_LICENSE_FIELDS = (
    # npm's "UNLICENSED" grants no license at all.
    ("package.json", r'^\s*"license"\s*:\s*"(?!UNLICENSED")[^"]+"'),
    ("pyproject.toml", r"^\s*license\s*=\s*(\{|\"[^\"]+\")"),
    ("Cargo.toml", r"^\s*license\s*=\s*\"[^\"]+\""),
    ("setup.cfg", r"^\s*license\s*=\s*\S"),
    ("setup.py", r"\blicense\s*=\s*['\"][^'\"]+['\"]"),
    ("pom.xml", r"<license>"),
)


# A document about the design, by its name: ARCHITECTURE.md, docs/design.md, docs/adr/...
_DESIGN_FILE = re.compile(
    r"(^|/)((architecture|design|internals|how[-_]it[-_]works|technical[-_]decisions|decisions|"
    r"concepts)"
    r"[^/]*\.(md|rst|adoc|txt)|(adr|adrs|decisions)/[^/]+\.(md|rst|adoc)|"
    # A project-named design document: GsonDesignDocument.md, PROJECT_ARCHITECTURE.md.
    r"[^/]*(?-i:Design|Architecture|_DESIGN|_ARCHITECTURE|-design\b|-architecture)[^/]*"
    r"\.(md|rst|adoc))$",
    re.I,
)
# Folders of retired material: a design document kept there (archivebox's
# old/Architecture.md, a wishlist of pages that never shipped) describes no current design.
_RETIRED = frozenset({"old", "legacy", "deprecated", "attic", "obsolete", "archive", "archived"})


def retired(path: str) -> bool:
    """Whether ``path`` lies in a folder of retired material (old/, docs/Legacy/...)."""
    return any(part.lower() in _RETIRED for part in PurePosixPath(path).parts[:-1])


# A heading that introduces a description of the design: "Architecture", "Code architecture",
# "Project structure", "Directory structure", "How it works", "Design decisions"... (not a
# bare "Design", which in an app's README is as often about its looks).
_DESIGN_HEADING = re.compile(
    r"architect|^(((project|code|codebase|directory|folder|repository|repo|source|package|"
    r"module|file|application|app|system)\s+)?(structure|layout|organi[sz]ation)|"
    r"(system|software|technical|high[- ]level)\s+design|design\s+(decisions|notes|"
    r"overview|principles|goals)|internals|how\s+(it|\w+)\s+works|"
    r"(technical|design|architecture)?\s*decisions|((core|key|general|main|basic)\s+)?concepts|"
    # An ML README's "Approach" (the model and how it is trained); a template's "Technology
    # stack" (its parts and how they connect); "Main components".
    r"(our\s+)?approach|(the\s+)?method|(technology|tech)\s+stack(\s+and\s+features)?|"
    r"((main|core|key)\s+)?components)$|"
    # Chinese READMEs (eladmin's 项目结构 "project structure", 系统架构 "system architecture").
    r"^(项目|目录|代码|系统|详细|工程|整体|技术)?(结构|架构|设计)(说明|图|介绍)?$",
    re.I,
)
# Crate documentation this long describes the crate's types and how they fit.
_CRATE_DOC_LINES = 40


# Commands that deploy or run a service for real: a container, a compose stack, a chart.
_DEPLOY_COMMAND = re.compile(
    r"^\s*(\$\s*)?(docker run\b.*|docker[- ]compose (up|-f)\b.*|helm (install|upgrade)\b.*|"
    r"kubectl apply\b.*|podman run\b.*)$",
    re.M,
)


def _tool_folder(path: str) -> bool:
    """A file in a hidden folder of a tool other than GitHub's: the instructions and
    vendored skill references of coding agents (ghostfolio's .agents/skills/angular-developer/
    references/cli.md, Angular's generic `ng deploy`), an editor's settings. They document
    the tool, not the project."""
    return any(
        part.startswith(".") and part != ".github" for part in PurePosixPath(path).parts[:-1]
    )


class ArchitectureDocs(Probe):
    """Nothing describes the design: its main components and how they fit together."""

    id = "DOC006"
    category = Category.documentation
    severity = Severity.low
    title = "No architecture or design documentation"
    rationale = "Design decisions live only in people's heads and leave with them."
    remediation = "Add docs/ with an architecture overview and decision records."

    def check(self, repo: RepoView) -> CheckResult:
        named = sorted(
            (
                f.path
                for f in repo.files
                if repo.applies(f.path)
                and f.role == "docs"
                and _DESIGN_FILE.search(f.path)
                and not retired(f.path)
            ),
            key=lambda p: (p.count("/"), p),
        )
        if named:
            return self.passed([repo.evidence(named[0], 1)], f"Design described in {named[0]}.")
        docs = guides(repo)
        for path in docs:
            for section in sections(repo, path):
                if _DESIGN_HEADING.search(section.title) and prose(section.body(repo)) >= 150:
                    return self.passed(
                        [repo.evidence(section.path, section.line, section.end)],
                        f"{section.path}:{section.line} describes the design ({section.title!r}).",
                    )
        for path in docs:
            found = _architecture_image(repo, path)
            if found:
                line, alt = found
                return self.passed(
                    [repo.evidence(path, line)],
                    f"{path}:{line} shows an architecture diagram ({alt!r}).",
                )
        for path in docs:
            mapped = _component_map(repo, path)
            if mapped:
                line, parts = mapped
                return self.passed(
                    [repo.evidence(path, line)],
                    f"{path}:{line} describes what each part of the code does "
                    f"({', '.join(parts[:4])}{', ...' if len(parts) > 4 else ''}).",
                )
        for path in _folder_readmes(repo):
            mapped = _component_map(repo, path, whole=True)
            if mapped:
                line, parts = mapped
                return self.passed(
                    [repo.evidence(path, line)],
                    f"{path} walks through the code of its folder "
                    f"({', '.join(parts[:4])}{', ...' if len(parts) > 4 else ''}).",
                )
        first = readme(repo)
        crate = crate_docs(repo, first or "Cargo.toml")
        if crate and len(crate[1]) >= _CRATE_DOC_LINES:
            lib, lines = crate
            return self.passed(
                [repo.evidence(lib, lines[0][0], lines[-1][0])],
                f"The crate documentation of {lib} ({len(lines)} lines) describes its parts.",
            )
        pages = [p for p in docs if _DOCS_DIR.search(p)]
        message = "No architecture, design or project-structure document or section"
        if pages:
            message += f" ({plural(len(pages), 'page')} under docs, none about the design)"
        modules = [f for f in repo.code_files(*CODE) if f.lines >= _TRIVIAL_MODULE]
        single = ""
        if len(modules) == 1:
            single = (
                f"The product is one module ({modules[0].path}, {modules[0].lines} lines): its "
                "README and docstrings are its map; a design document matters once there are "
                "parts to fit together."
            )
        return self.failed(
            [repo.evidence(pages[0], 1)] if pages else repo.anchor("README.md"),
            message + ".",
            advisory=single,
            looked_at=[
                "ARCHITECTURE/DESIGN files and decision records",
                f"architecture, design and structure headings in {plural(len(docs), 'guide')}",
                "crate documentation (//! in src/lib.rs)",
            ],
        )


# A module this short (an __init__.py, a version file) is not a part of the design.
_TRIVIAL_MODULE = 30
# An image whose alt text or file name says it shows the architecture.
_ARCHITECTURE_IMAGE = re.compile(
    r"!\[([^\]]*)\]\(([^)\s]+)[^)]*\)|<img\b[^>]*?\bsrc=[\"']([^\"']+)[\"'][^>]*>", re.I
)
_CODE_FILE = re.compile(r"\.(py|go|rs|js|jsx|ts|tsx|mjs|java|kt|rb|cs|swift|c|cc|cpp|h)$")


def _architecture_image(repo: RepoView, path: str) -> tuple[int, str] | None:
    """The line of an image in ``path`` (outside code) whose alt text or file name names the
    architecture ("golang clean architecture", architecture.png), and its alt text."""
    fenced = False
    for number, line in enumerate(repo.lines(path), 1):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        for m in _ARCHITECTURE_IMAGE.finditer(line):
            alt, src = m.group(1) or "", m.group(2) or m.group(3) or ""
            name = PurePosixPath(src.split("?")[0]).name
            if re.search(r"architect", f"{alt} {name}", re.I) and "shields.io" not in src:
                return number, alt or name
    return None


def _folder_readmes(repo: RepoView) -> list[str]:
    """READMEs inside folders of product code (``pkg/README.md``), shallowest first."""
    folders = {str(PurePosixPath(f.path).parent) for f in repo.code_files(*CODE)}
    return sorted(
        (
            f.path
            for f in repo.files
            if "/" in f.path
            and repo.applies(f.path)
            and PurePosixPath(f.path).name.lower() in ("readme.md", "readme.markdown")
            and str(PurePosixPath(f.path).parent) in folders
        ),
        key=lambda p: (p.count("/"), p),
    )


def _component_map(repo: RepoView, path: str, whole: bool = False) -> tuple[int, list[str]] | None:
    """A paragraph or list (not a table, not code) of ``path`` that names at least three of
    the product's own source files and says, in prose, what they hold ("mingpt/model.py
    contains the Transformer, mingpt/bpe.py the encoder..."): a map of the components.

    ``whole``: the document as one block, for a README inside a code folder that walks
    through the folder's files one list item or section at a time."""
    folder = PurePosixPath(path).parent
    block: list[tuple[int, str]] = []
    fenced = False

    def examine() -> tuple[int, list[str]] | None:
        text = " ".join(line for _, line in block)
        targets = re.findall(r"\]\(([^)#\s]+)\)|`([^`\s]+)`", text)
        parts: list[str] = []
        for link, span in targets:
            name = (link or span).removeprefix("./").rstrip("/")
            if name.startswith(("http:", "https:", "/")) or not _CODE_FILE.search(name):
                continue
            resolved = str(folder / name) if str(folder) != "." else name
            f = repo.by_path.get(resolved)
            if f is not None and f.role == "product" and resolved not in parts:
                parts.append(resolved)
        words = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
        words = re.sub(r"`[^`]*`", "", words)
        if len(parts) >= 3 and len(words.strip()) >= 150:
            return block[0][0], parts
        return None

    for number, line in enumerate([*repo.lines(path), ""], 1):
        if _FENCE.match(line):
            fenced = not fenced
            if not whole:
                block = []
            continue
        if fenced:
            continue
        if not line.strip() or re.match(r"^\s{0,3}#{1,6}\s", line) or _UNDERLINE.match(line):
            if whole and line.strip():
                continue  # a heading inside the walk-through: the block goes on
            if whole and number <= len(repo.lines(path)):
                continue
            found = examine() if block else None
            if found:
                return found
            block = []
            continue
        if line.lstrip().startswith("|"):  # a table row: an index, not a description
            if not whole:
                block = []
            continue
        block.append((number, line))
    return None


# Doc comments a compiler or a generator turns into the API reference, enforced or built.
_RUST_MISSING_DOCS = r"#!\[(warn|deny|forbid)\([^)]*\bmissing_docs\b"
_CARGO_MISSING_DOCS = r"^\s*missing_docs\s*=\s*(\{[^}]*level\s*=\s*)?[\"'](warn|deny|forbid)"
# mkdocstrings also reads `::: name` after a heading's hashes (`# ::: pkg`).
_AUTODOC = r"^\s*(\.\. auto(module|class|function|summary)::|(#{1,6}\s*)?:::\s*[\w.]+\s*$)"
# retrofit's prepareWebsite copies each module's `dokkaHtml` output (or its `javadoc`
# task's destinationDir) into the site it publishes.
_JAVADOC_BUILD = (
    r"maven-javadoc-plugin|javadoc:(jar|javadoc)|withJavadocJar\(\)|\bjavadoc\b.*task|"
    r"\bdokka(Html|Javadoc|Gfm)\b|tasks\.named\(\s*['\"]javadoc['\"]\)|org\.jetbrains\.dokka"
)
# A README heading that documents an API item: a signature, a typed option, a member list.
_API_HEADING = re.compile(
    r"^(api( reference| documentation)?|reference|methods|functions|constructors|parameters|"
    r"fields|options|properties|interfaces|classes|types|exports|package exports|"
    r"\w+ options|configuration options)$",
    re.I,
)
_API_SIGNATURE = re.compile(r"`[^`]+`|^[\w.$]+\s*\([^)]*\)|^\w+\??\s*:\s*[\w<>\[\]|. ]+$")

# A public definition in each language, and whether the lines above it document it.
_PUBLIC = {
    "go": re.compile(r"^(func (\([^)]*\) )?|type )[A-Z]"),
    "rust": re.compile(
        r"^\s*pub (unsafe |async |const )*"
        r"(fn|struct|enum|trait|type|union|mod|const|static|macro)\b"
    ),
    "java": re.compile(
        r"^\s*public\s+(static\s+|final\s+|abstract\s+|synchronized\s+|default\s+)*"
        r"(class|interface|enum|record|@interface|[\w<>\[\],.? ]+\s+\w+\s*\()"
    ),
    "javascript": re.compile(
        r"^\s*export\s+(default\s+)?(declare\s+)?(async\s+)?"
        r"(function|class|const|let|interface|type|enum|abstract\s+class)\b"
    ),
}
_PUBLIC["typescript"] = _PUBLIC["javascript"]
_DOC_ABOVE = {
    "go": re.compile(r"^\s*//"),
    "rust": re.compile(r"^\s*(///|/\*\*|\*/)"),
    "java": re.compile(r"\*/\s*$"),
    "javascript": re.compile(r"\*/\s*$"),
    "typescript": re.compile(r"\*/\s*$"),
}
# Lines between a doc comment and its definition: attributes, annotations, decorators.
_BETWEEN = re.compile(r"^\s*(#\[|@\w)")


class Docstrings(Probe):
    """The public interface has no reference documentation: most public functions and types
    carry no doc comment, and no API reference is generated or written."""

    id = "DOC007"
    category = Category.documentation
    severity = Severity.low
    title = "Public API lacks reference documentation"
    rationale = "Undocumented interfaces are misused and hard to change safely."
    remediation = "Document public modules, classes and functions (one line is often enough)."
    applies = "library|sdk"

    def check(self, repo: RepoView, python: PythonCode, text: TextSearch) -> CheckResult:
        generated = self._generated(repo, text)
        if generated:
            return generated
        total, documented = 0, 0
        first_missing: tuple[str, int] | None = None
        first_documented: tuple[str, int] | None = None
        for f in repo.code_files("python"):
            for node in python.nodes(f.path, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
                if not node.name.startswith("_"):
                    total += 1
                    if ast.get_docstring(node):
                        documented += 1
                        first_documented = first_documented or (f.path, node.lineno)
                    elif first_missing is None:
                        first_missing = (f.path, node.lineno)
        for language, public in _PUBLIC.items():
            tests = text.rust_test_lines if language == "rust" else None
            for f in repo.code_files(language):
                lines = repo.lines(f.path)
                skip = tests(f.path) if tests else set()
                for n, line in enumerate(lines, 1):
                    if n in skip or not public.match(line):
                        continue
                    total += 1
                    above = n - 2
                    while above >= 0 and _BETWEEN.match(lines[above]):
                        above -= 1
                    if above >= 0 and _DOC_ABOVE[language].search(lines[above]):
                        documented += 1
                        first_documented = first_documented or (f.path, n)
                    elif first_missing is None:
                        first_missing = (f.path, n)
        message = f"{documented} of {total} public definitions are documented"
        if first_documented and (documented / total >= 0.5 or first_missing is None):
            return self.passed([repo.evidence(*first_documented)], message + ".")
        written = self._readme_reference(repo)
        if written:
            return written
        if not total:
            return self.not_applicable("No public definitions to document.")
        assert first_missing is not None
        return self.failed(
            [repo.evidence(*first_missing)],
            message + ", and no API reference is generated or written in a README.",
            looked_at=[
                "doc comments on public definitions in product code",
                "missing_docs lints, autodoc/mkdocstrings pages, typedoc and javadoc builds",
                "API sections of the READMEs",
            ],
        )

    def _generated(self, repo: RepoView, text: TextSearch) -> CheckResult | None:
        """A pass when the reference is enforced or generated (missing_docs, autodoc...)."""
        for f in repo.code_files("rust"):
            if f.path.endswith("lib.rs"):
                line = _first_line(repo, f.path, _RUST_MISSING_DOCS)
                if line:
                    return self.passed(
                        [repo.evidence(f.path, line)],
                        f"The compiler requires docs on public items ({f.path}:{line}): "
                        "rustdoc generates the reference.",
                    )
        for path in repo.named("Cargo.toml"):
            line = _first_line(repo, path, _CARGO_MISSING_DOCS)
            if line:
                return self.passed(
                    [repo.evidence(path, line)],
                    f"The missing_docs lint is on ({path}:{line}): rustdoc generates the "
                    "reference.",
                )
        for path in guides(repo):
            line = _first_line(repo, path, _AUTODOC)
            if line:
                return self.passed(
                    [repo.evidence(path, line)],
                    f"{path}:{line} generates the API reference from the docstrings.",
                )
        for path in repo.named("typedoc.json", "typedoc.config.js", "typedoc.config.cjs"):
            return self.passed([repo.evidence(path, 1)], f"TypeDoc builds the reference ({path}).")
        for path in repo.named("package.json", "pom.xml", "build.gradle", "build.gradle.kts"):
            pattern = r"\btypedoc\b" if path.endswith(".json") else _JAVADOC_BUILD
            line = _first_line(repo, path, pattern)
            if line:
                return self.passed(
                    [repo.evidence(path, line)],
                    f"The build generates the API reference ({path}:{line}).",
                )
        for f in repo.files:
            if f.path.startswith(".github/workflows/") and f.language == "yaml":
                line = _first_line(repo, f.path, r"javadoc:(jar|javadoc)|\bgradlew? .*javadoc\b")
                if line:
                    return self.passed(
                        [repo.evidence(f.path, line)],
                        f"CI builds the Javadoc reference ({f.path}:{line}).",
                    )
        return None

    def _readme_reference(self, repo: RepoView) -> CheckResult | None:
        """A pass when READMEs (the root's, each package's) or an API page document the API
        item by item."""
        paths = [readme(repo)] + [
            f.path
            for f in repo.files
            if PurePosixPath(f.path).name.lower() in ("readme.md", "readme.rst")
            and repo.in_scope(f.path)
            and f.role == "docs"
            and any(
                str(PurePosixPath(f.path).parent / m) in repo.by_path
                for m in ("package.json", "Cargo.toml", "pyproject.toml", "pom.xml", "go.mod")
            )
        ]
        # A hand-written reference page (pino's docs/api.md).
        paths += [
            f.path
            for f in repo.files
            if repo.in_scope(f.path) and _API_PAGE.search(f.path) and f.role == "docs"
        ]
        heads = [
            s
            for path in dict.fromkeys(p for p in paths if p)
            for s in sections(repo, path)
            if _API_HEADING.match(s.title) or _API_SIGNATURE.search(s.raw)
        ]
        if len(heads) >= 3:
            first = heads[0]
            return self.passed(
                [repo.evidence(first.path, first.line)],
                f"The docs document the API item by item ({len(heads)} sections, first "
                f"{first.title!r} at {first.path}:{first.line}).",
            )
        return None


_API_PAGE = re.compile(r"(?i)(^|/)(api|reference|api[-_]reference)\.(md|rst|adoc)$")


class ApiDocs(Probe):
    """The service's API is not described (no OpenAPI/Swagger or generated docs)."""

    id = "DOC008"
    category = Category.documentation
    severity = Severity.low
    title = "No API documentation"
    rationale = "Clients of an undocumented API integrate by trial and error."
    remediation = "Publish an OpenAPI description (generated by the framework or written)."

    applies = "service"

    def check(
        self, repo: RepoView, imports: Imports, profile: ProfileView, text: TextSearch
    ) -> CheckResult:
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
        described = _api_description(repo)
        if described is not None:
            return self.passed(
                [repo.evidence(described, 1)], f"API described in {described} (OpenAPI)."
            )
        pages = _server_rendered(repo, text) or _next_pages(repo)
        return self.failed(
            [served.evidence(repo)],
            f"The service ({served.where}) publishes no OpenAPI description.",
            advisory=(
                f"It renders HTML pages on the server ({pages.where}) and exposes no JSON "
                "API of its own: an API description documents an API, and there is none."
                if pages
                else ""
            ),
        )


def _api_description(repo: RepoView) -> str | None:
    """A JSON or YAML file whose top lines say it is a Swagger or OpenAPI document."""
    head = re.compile(r"""^\s*["']?(swagger|openapi)["']?\s*:\s*["']?[23]\.""")
    for f in repo.files:
        if (
            f.language in ("json", "yaml")
            and repo.in_scope(f.path)
            and f.lines >= 10
            and any(head.match(line) for line in repo.lines(f.path)[:20])
        ):
            return f.path
    return None


# Controllers that return JSON, against pages rendered on the server.
_JSON_API = (
    r"@RestController|@ResponseBody|ResponseEntity<|\bres\.json\(|\bjsonify\(|JsonResponse\(|"
    r"c\.JSON\(|ctx\.json\(|Json\("
)
_RENDERED = r"^\s*@Controller\b|\bres\.render\(|\bModelAndView\b"


def _next_pages(repo: RepoView) -> Hit | None:
    """A Next.js app of pages with at most two route handlers (vercel/commerce: a storefront
    and one revalidation webhook): a site, not an API others integrate with."""
    files = [f.path for f in repo.code_files("javascript", "typescript")]
    pages = [p for p in files if _NEXT_PAGE.search(p)]
    routes = [p for p in files if _NEXT_ROUTE.search(p)]
    if not pages or len(routes) > 2:
        return None
    return Hit(pages[0], 1, "")


_NEXT_PAGE = re.compile(r"(^|/)app/(.*/)?page\.[jt]sx?$|(^|/)pages/(?!api/)[^_][^/]*\.[jt]sx?$")
_NEXT_ROUTE = re.compile(r"(^|/)app/(.*/)?route\.[jt]s$|(^|/)pages/api/")


def _server_rendered(repo: RepoView, text: TextSearch) -> Hit | None:
    """A controller that renders pages, in a service that returns no JSON of its own."""
    if text.grep(
        _JSON_API, ("java", "kotlin", "javascript", "typescript", "python", "go"), limit=1
    ):
        return None
    templates = any(
        f.path.endswith((".jsp", ".jspx")) or "/templates/" in f"/{f.path}" for f in repo.files
    )
    found = text.grep(_RENDERED, ("java", "kotlin", "javascript", "typescript"), limit=1)
    return found[0] if found and templates else None


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
        hits = [
            h
            for h in text.grep(
                # "Self-hosting", not "Why yet another self-hosted photo gallery" (photoview).
                r"^#+ (?!(?i:why)\b).*(?i:deploy|operat|runbook|troubleshoot|monitor|self-?host|"
                r"in production|production (setup|use|deployment)|"
                # photoview's "Getting started — Setup with Docker" on the user's server.
                r"(setup|set up|install(ation|ing)?|run(ning)?) (it )?with docker)",
                ("markdown",),
                tests=None,
            )
            if not _tool_folder(h.path)
        ]
        if hits:
            return self.passed([hits[0].evidence(repo)], f"Operations section `{hits[0].text}`.")
        # vaultwarden's README "Usage" section: docker run and compose steps to deploy it.
        for path in guides(repo):
            if _tool_folder(path):
                continue
            heads = sections(repo, path)
            lines = repo.lines(path)
            for number, line in enumerate(lines, 1):
                command = _deploy_command(line)
                if command is None:
                    continue
                holding = [h for h in heads if h.start <= number <= h.end]
                # photoview's "Start API server with Docker", under "Set up Docker
                # development environment", shows a developer's run, not a deployment.
                if not holding or any(
                    re.search(r"(?i)develop|contribut", h.title) for h in holding
                ):
                    continue
                # The narrowest section holding the command, not the title's whole document.
                section = min(holding, key=lambda h: h.end - h.line)
                return self.passed(
                    [repo.evidence(section.path, section.line, section.end)],
                    f"{section.path}:{section.line} ({section.title!r}) shows how to deploy "
                    f"it (`{command.group(0).strip()}`).",
                )
        first = readme(repo)
        deferred = _first_line(repo, first, _DOCS_LINK) if first else None
        if first and deferred:
            # Only a link under a setup, install, deploy or hosting heading defers the
            # operations guide (not a template's link to its framework's docs).
            holding = [s for s in sections(repo, first) if s.start <= deferred <= s.end]
            if not any(
                re.search(r"(?i)set ?up|install|deploy|self-?host|getting started|running", s.title)
                for s in holding
            ):
                deferred = None
        if first and deferred:
            # pocket-id: "## Setup ... Visit the [documentation](https://docs.pocket-id.org)
            # for the setup guide": the deployment guide lives on a site not in the repository.
            return self.cannot_determine(
                f"No runbook or operations section in the repository, but {first} sends "
                f"readers to documentation kept elsewhere ({first}:{deferred}); whether that "
                "covers deploying and running the service cannot be told from here.",
                looked_at=[
                    "runbook files, and deploy/operations headings and deploy commands "
                    "in the project's Markdown"
                ],
                evidence=[repo.evidence(first, deferred)],
            )
        return self.failed(
            repo.anchor("README.md"), "No runbook and no deploy/operations/troubleshooting section."
        )
