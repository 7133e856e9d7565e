"""Code quality probes: linters, type checkers, formatters, module and function size."""

from __future__ import annotations

import ast
import re
from dataclasses import replace
from pathlib import PurePosixPath

from pipeline.probes.base import Hit, Probe, plural
from pipeline.probes.shapes import CiToolProbe
from pipeline.probes.views.ci import CiModel, Command
from pipeline.probes.views.lexing import blank_text, in_string
from pipeline.probes.views.python import PythonCode
from pipeline.probes.views.repo import RepoView
from pipeline.probes.views.search import CODE, TextSearch
from pipeline.probes.views.tools import FORMATTER, LINTER, NEXT_BUILD, TEST_RUNNER, TYPECHECKER
from pipeline.schemas import Category, CheckResult, Evidence, Outcome, Severity

_LINT_FILES = (
    ".flake8",
    ".pylintrc",
    "pylintrc",
    "ruff.toml",
    ".ruff.toml",
    ".eslintrc",
    ".eslintrc.js",
    ".eslintrc.cjs",
    ".eslintrc.json",
    ".eslintrc.yml",
    ".eslintrc.yaml",
    # JSHint and JSCS, the linters of older JavaScript projects (passport's .jshintrc).
    ".jshintrc",
    ".jscsrc",
    "oxlintrc.json",
    ".oxlintrc.json",
    "eslint.config.js",
    "eslint.config.mjs",
    "eslint.config.cjs",
    "eslint.config.ts",
    "biome.json",
    "biome.jsonc",
    "tslint.json",
    ".golangci.yml",
    ".golangci.yaml",
    ".golangci.toml",
    "clippy.toml",
    ".clippy.toml",
    "checkstyle.xml",
    "pmd.xml",
    "spotbugs-exclude.xml",
)
_LINT_SECTIONS = r"^\[(tool\.(ruff|pylint|flake8)|flake8|pylint|lints|workspace\.lints)\b"


class LinterConfigured(Probe):
    """No linter is configured."""

    id = "CQ001"
    category = Category.code_quality
    severity = Severity.medium
    title = "No linter is configured"
    rationale = "Linters catch bugs and inconsistencies before review does."
    remediation = "Configure ruff/eslint/golangci-lint/clippy/checkstyle for the codebase."

    def check(self, repo: RepoView, text: TextSearch, ci: CiModel) -> CheckResult:
        if not repo.languages():
            return self.not_applicable("No product code in scope.")
        paths = repo.named(*_LINT_FILES)
        if paths:
            return self.passed([repo.evidence(paths[0], 1)], f"Linter configured in {paths[0]}.")
        hits = text.grep(_LINT_SECTIONS, ("toml", "ini"), tests=False, limit=1)
        hits = hits or text.grep(
            r'"eslintConfig"|"eslint"\s*:|maven-checkstyle|spotbugs|'
            r"id:\s*(ruff|flake8|pylint|eslint)",
            ("json", "text", "yaml"),
            tests=False,
            limit=1,
        )
        if hits:
            return self.passed([hits[0].evidence(repo)], f"Linter configured: `{hits[0].text}`.")
        plugin = next((c for c in ci.build_plugins() if re.search(LINTER, c.text)), None)
        if plugin:
            return self.passed(
                [repo.evidence(plugin.path, plugin.line)],
                f"Linter configured in the build: {plugin.describe()}.",
            )
        cmd = ci.runs(LINTER)
        if cmd:
            return self.passed(
                [repo.evidence(cmd.path, cmd.line)], f"Linter run with defaults: {cmd.describe()}."
            )
        nohttp = next((c for c in ci.build_plugins() if c.text.startswith("nohttp")), None)
        only = (
            f" Checkstyle runs only the NoHttp rule ({nohttp.path}:{nohttp.line}), which flags "
            "http:// URLs, not code."
            if nohttp
            else ""
        )
        return self.failed(
            repo.anchor(),
            "No linter configuration and no linter run was found." + only,
            looked_at=[
                "linter configuration files and pyproject/setup.cfg/tox.ini sections",
                "Maven and Gradle build plugins",
                f"{plural(len(ci.files), 'CI file')} and the commands they reach",
            ],
        )


# `eslint src; exit 0`, `ruff check . || true`: the tool runs, its verdict is discarded.
_NEVER_FAILS = re.compile(r"(;|\|\|)\s*(exit\s+0|true|:)\s*$")


class _CiOrHook(CiToolProbe):
    """A tool enforced by CI or by a git hook that every clone installs (husky with a
    ``prepare`` script, lefthook, simple-git-hooks; pre-commit.ci counts as CI)."""

    enforced = True

    def locate(self, repo: RepoView, ci: CiModel) -> tuple[Command, str] | None:
        cmd = ci.runs(self.pattern, enforced=True)
        if cmd:
            return cmd, "runs in CI"
        cmd = ci.hook_runs(self.pattern)
        return (cmd, "runs in a git hook") if cmd else None

    def check(self, repo: RepoView, ci: CiModel, required: dict[str, CheckResult]) -> CheckResult:
        if not repo.languages():
            return self.not_applicable("No product code in scope.")
        found = self.locate(repo, ci)
        ignored = _NEVER_FAILS.search(found[0].text) if found else None
        if found and ignored:
            cmd, where = found
            return self.failed(
                [repo.evidence(cmd.path, cmd.line)],
                f"{self.tool.capitalize()} {where}, but its exit status is thrown away "
                f"(`{ignored.group(0).strip()}`): {cmd.describe()} never fails, so its "
                "findings block nothing.",
                partial=True,
            )
        if found:
            cmd, where = found
            return self.passed(
                [repo.evidence(cmd.path, cmd.line)],
                f"{self.tool.capitalize()} {where}: {cmd.describe()}.",
            )
        result = super().check(repo, ci, required)
        if result.outcome is not Outcome.failed:
            return result
        message = result.message
        dormant = ci.dormant_hooks(self.pattern)
        evidence = list(result.evidence)
        if dormant:
            hook = dormant[0]
            message += (
                f" A git hook would run it ({hook.describe()}), but nothing installs the hook "
                "for every clone and no CI runs it."
            )
            evidence.append(repo.evidence(hook.path, hook.line))
        return self.failed(
            evidence,
            message + self.detail(repo, ci),
            looked_at=[
                *result.looked_at,
                "git hooks installed on clone (husky prepare script, lefthook, simple-git-hooks)",
            ],
        )

    def detail(self, repo: RepoView, ci: CiModel) -> str:
        """More to say about a gap (a subclass hook)."""
        return ""


class LinterInCi(_CiOrHook):
    """CI does not run a linter."""

    id = "CQ002"
    category = Category.code_quality
    severity = Severity.medium
    title = "No linter runs in CI"
    rationale = "A linter that only runs on some laptops does not keep the codebase clean."
    remediation = "Run the linter as a CI step (directly, through make, or via pre-commit)."
    pattern = LINTER
    tool = "linter"
    requires = frozenset({"CQ001"})


class TypeCheckerConfigured(Probe):
    """Python, TypeScript or JavaScript code has no static type checking configured."""

    id = "CQ003"
    category = Category.code_quality
    severity = Severity.medium
    title = "No static type checking is configured"
    rationale = "Type checkers find whole classes of bugs that tests miss."
    remediation = (
        "Configure mypy or pyright for Python; add a tsconfig.json (ideally `strict: true`) for "
        "TypeScript; write JavaScript as TypeScript or check it with `checkJs`."
    )
    applies = "python|javascript|typescript"

    def check(self, repo: RepoView, text: TextSearch, ci: CiModel) -> CheckResult:
        langs = repo.languages() & {"python", "typescript"}
        scripts = _auxiliary_python(repo) if "python" in langs else None
        if scripts:
            langs.discard("python")
        javascript = _javascript_lines(repo)
        if not langs and not javascript:
            if scripts:
                folders, product = scripts
                return self.not_applicable(
                    f"Python here is only auxiliary scripts ({', '.join(folders)}) beside a "
                    f"product written in {product}; no Python is the product's code."
                )
            lines = sum(f.lines for f in repo.code_files("javascript"))
            return self.not_applicable(
                f"JavaScript is a minor part of the code ({plural(lines, 'line')}); the main "
                "languages are statically typed."
            )
        cmd = ci.runs(TYPECHECKER, enforced=True)
        found: list[Evidence] = [repo.evidence(cmd.path, cmd.line)] if cmd else []
        notes: list[str] = []
        missing = []
        partly = False
        if "python" in langs:
            hits = text.grep(
                r"^\[(tool\.(mypy|pyright|basedpyright)|mypy)\]", ("toml", "ini"), tests=False
            )
            checkers = [
                *hits,
                *(Hit(p, 1, "") for p in repo.named("mypy.ini", ".mypy.ini", "pyrightconfig.json")),
            ]
            # A configuration that switches checking off configures none.
            off = [o for c in checkers if (o := _checks_nothing(repo, c))]
            active = [c for c in checkers if not _checks_nothing(repo, c)]
            tested = _checker_in_tests(repo)
            if active:
                found.append(active[0].evidence(repo))
            elif cmd and re.search(r"mypy|pyright|pytype|ty check", cmd.text):
                pass  # the CI command is the evidence
            elif tested:
                found.append(tested.evidence(repo))
                notes.append(
                    "only the tests run a type checker, over what they name (often the public "
                    "stubs), not a configured check of the package"
                )
                partly = True
            else:
                off_note = f"; {_off_note(off)}" if off else ""
                missing.append(f"Python (no mypy/pyright configuration or run{off_note})")
            if off and not active and not missing:
                notes.append(_off_note(off))
        if "typescript" in langs:
            # tsc checks types with any tsconfig; `strict` only makes the checks stricter.
            configs = sorted(repo.named("tsconfig.json"), key=len)
            strict = text.grep(r'"strict"\s*:\s*true', ("json",), tests=False, limit=1)
            if strict:
                found.append(strict[0].evidence(repo))
                notes.append("TypeScript in strict mode")
            elif configs:
                found.append(repo.evidence(configs[0], 1))
                notes.append(f"TypeScript checked by tsc with {configs[0]} (strict mode off)")
            else:
                missing.append("TypeScript (no tsconfig.json)")
        if javascript:
            checked = _checked_javascript(repo)
            if checked:
                found.append(checked.evidence(repo))
                notes.append(f"JavaScript checked by TypeScript ({checked.where})")
            else:
                missing.append(
                    f"JavaScript ({plural(javascript, 'line')}: no TypeScript, no `checkJs` or "
                    "`// @ts-check`, no Flow)"
                )
        if missing:
            return self.failed(
                found or repo.anchor("package.json", "tsconfig.json"),
                f"No static type checking for {', '.join(missing)}.",
                looked_at=[
                    "mypy/pyright configuration, tsconfig.json/jsconfig.json (checkJs), "
                    "`// @ts-check` and `// @flow` comments, .flowconfig",
                    "type checker runs in CI",
                ],
            )
        detail = f" ({'; '.join(notes)})" if notes else ""
        return self.passed(
            found, f"Type checking configured at {found[0].location}{detail}.", partial=partly
        )


def _checks_nothing(repo: RepoView, config: Hit) -> Hit | None:
    """The line that switches a type checker configuration off, its text saying how: pyright's
    ``typeCheckingMode = "off"`` with no rule turned back on, or mypy's global
    ``ignore_errors = true``. Such a configuration quiets the editor; it checks nothing."""
    lines = repo.lines(config.path)
    if config.path.endswith(".json"):
        body = list(enumerate(lines, 1))
    else:
        # The section the header opens, up to the next header.
        body = []
        for number, line in enumerate(lines[config.line :], config.line + 1):
            if line.lstrip().startswith("["):
                break
            body.append((number, line))
    text = "\n".join(line for _, line in body)
    if "mypy" in config.text or PurePosixPath(config.path).name.lower() in _MYPY_FILES:
        for number, line in body:
            if re.match(r"\s*ignore_errors\s*=\s*(true|1|yes|on)\s*(#.*)?$", line, re.I):
                return Hit(config.path, number, "mypy's ignore_errors = true")
        return None
    for number, line in body:
        if re.match(r"""\s*"?typeCheckingMode"?\s*[=:]\s*["']off["']""", line):
            # A rule set to report again checks that much.
            if re.search(
                r"""\breport\w+"?\s*[=:]\s*(["'](error|warning|information)["']|true)""", text
            ):
                return None
            return Hit(config.path, number, 'pyright\'s typeCheckingMode = "off"')
    return None


_MYPY_FILES = ("mypy.ini", ".mypy.ini")


def _off_note(off: list[Hit]) -> str:
    """Where type checking is configured off."""
    return "; ".join(f"{o.text} at {o.where}" for o in off[:2])


# Folders of a repository's helper scripts (build, release, plotting, maintenance), apart
# from the product.
_AUXILIARY_DIRS = frozenset(
    {"scripts", "script", "tools", "tool", "hack", "ci", ".ci", ".github", "contrib", "devtools"}
)
# Programming languages a product may be written in.
_PROGRAM_LANGUAGES = (*CODE, "kotlin", "scala", "ruby", "php", "csharp", "c", "cpp", "swift")


def _auxiliary(path: str) -> bool:
    return bool(set(PurePosixPath(path).parts[:-1]) & _AUXILIARY_DIRS)


def _auxiliary_python(repo: RepoView) -> tuple[list[str], str] | None:
    """Where the Python lies and what the product is written in, when every Python file is
    a helper script (scripts/, tools/) of a product in another language and no Python
    package is declared: a plotting script beside a Rust command is not the product whose
    types a reader asks about. None when Python is a product language."""
    files = repo.code_files("python")
    if not files or not all(_auxiliary(f.path) for f in files):
        return None
    if any(not _auxiliary(p) for p in repo.named("setup.py")) or any(
        not _auxiliary(p) and repo.line_of(p, r"^\[(project|tool\.poetry)\]", 0)
        for p in repo.named("pyproject.toml")
    ):
        return None
    counts: dict[str, int] = {}
    for f in repo.code_files(*_PROGRAM_LANGUAGES):
        if f.language != "python" and not _auxiliary(f.path):
            counts[f.language] = counts.get(f.language, 0) + f.lines
    if not counts:
        return None
    folders = sorted({str(PurePosixPath(f.path).parent) + "/" for f in files})
    return folders[:3], max(counts, key=lambda language: counts[language]).capitalize()


def _checker_in_tests(repo: RepoView) -> Hit | None:
    """A test that runs a type checker: imports mypy's API or starts mypy/pyright as a
    process (a typing test of a package's public stubs)."""
    rx = re.compile(
        r"^\s*(import mypy\.api|from mypy import api|from mypy\.api import)|"
        r"""\[\s*(sys\.executable\s*,\s*["']-m["']\s*,\s*)?["'](mypy|pyright|basedpyright)["']""",
        re.M,
    )
    for f in repo.code_files("python", tests=True):
        m = rx.search(repo.text(f.path))
        if m:
            number = repo.text(f.path).count("\n", 0, m.start()) + 1
            return Hit(f.path, number, repo.line(f.path, number).strip())
    return None


def _javascript_lines(repo: RepoView) -> int:
    """Product JavaScript lines when JavaScript is a main language of the code (a quarter or
    more of it, and no TypeScript), else 0: a few scripts beside Go or Rust are not the code a
    reader asks about."""
    files = repo.code_files("javascript")
    lines = sum(f.lines for f in files)
    total = sum(f.lines for f in repo.code_files(*CODE))
    if not lines or "typescript" in repo.languages() or lines * 4 < total:
        return 0
    return lines


def _checked_javascript(repo: RepoView) -> Hit | None:
    """Where JavaScript is type-checked: `checkJs` in a ts/jsconfig, `// @ts-check`, Flow."""
    for path in repo.named("tsconfig.json", "jsconfig.json"):
        line = repo.line_of(path, r'"checkJs"\s*:\s*true', 0)
        if line:
            return Hit(path, line, repo.line(path, line).strip())
    if repo.named(".flowconfig"):
        return Hit(repo.named(".flowconfig")[0], 1, "")
    # TypeScript inside Vue/Svelte components is checked by vue-tsc/svelte-check.
    for path in repo.named("package.json"):
        line = repo.line_of(path, r"\b(vue-tsc|svelte-check)\b", 0)
        if line:
            return Hit(path, line, repo.line(path, line).strip())
    for f in repo.code_files("javascript"):
        for number, head in enumerate(repo.lines(f.path)[:5], 1):
            if re.match(r"\s*(//|/\*)\s*@(ts-check|flow)\b", head):
                return Hit(f.path, number, head.strip())
    return None


class TypeCheckerInCi(_CiOrHook):
    """CI does not run a type checker."""

    id = "CQ004"
    category = Category.code_quality
    severity = Severity.low
    title = "No type checker runs in CI"
    rationale = "Type errors slip in when the checker is not a required step."
    remediation = "Run mypy/pyright or `tsc --noEmit` in CI."
    pattern = TYPECHECKER
    tool = "type checker"
    requires = frozenset({"CQ003"})
    applies = "python|javascript|typescript"

    def locate(self, repo: RepoView, ci: CiModel) -> tuple[Command, str] | None:
        found = super().locate(repo, ci)
        if found:
            return found
        # TypeScript is type-checked wherever it is compiled by a checking build.
        typescript = "typescript" in repo.languages()
        builds = NEXT_BUILD if typescript and _next_checks_types(repo) else None
        if builds:
            cmd = ci.runs(builds, enforced=True)
            if cmd:
                return cmd, "runs in CI (`next build` type-checks the code)"
        # A test that runs mypy (on the package's stubs, say) runs wherever CI runs the tests.
        tested = _checker_in_tests(repo) if "python" in repo.languages() else None
        runner = ci.runs(TEST_RUNNER, enforced=True) if tested else None
        if tested and runner:
            return runner, f"runs in CI with the tests ({tested.where} runs it)"
        jest = ci.runs(r"\bjest\b", enforced=True) if typescript else None
        ts_jest = _ts_jest(repo) if jest else None
        if jest and ts_jest:
            return jest, f"runs in CI: ts-jest ({ts_jest.where}) type-checks what the tests load"
        bundler = _checking_bundler(repo) if typescript else None
        # The scripts that compile what ships: the build, and the production start that
        # compiles first (Nest's `prestart:prod: tsc`), or the compile before publishing.
        for name in _BUILD_SCRIPTS:
            cmd = ci.script_runs(name, TYPECHECKER) or (
                ci.script_runs(name, builds) if builds else None
            )
            if cmd:
                return cmd, f"runs in every build (the package's `{name}` script)"
            if bundler:
                tool, hit = bundler
                cmd = ci.script_runs(name, rf"\b{tool}\b")
                if cmd:
                    return cmd, (
                        f"runs in every build: the package's `{name}` script bundles with "
                        f"{tool}, whose TypeScript step type-checks ({hit.where})"
                    )
        return None


_BUILD_SCRIPTS = (
    "build",
    "prebuild",
    "build:prod",
    "prestart:prod",
    "start:prod",
    "compile",
    "prepublishOnly",
    "prepare",
)


def _checking_bundler(repo: RepoView) -> tuple[str, Hit] | None:
    """A bundler configured to type-check TypeScript: webpack with ts-loader (not
    transpileOnly) or fork-ts-checker, rollup with rollup-plugin-typescript2, tsup with dts."""
    # (bundler, its config file, what makes it type-check, what switches the check off)
    checks: tuple[tuple[str, str, str, str | None], ...] = (
        ("webpack", r"webpack\.config", r"fork-ts-checker|ts-loader", r"transpileOnly\s*:\s*true"),
        ("rollup", r"rollup\.config", r"rollup-plugin-typescript2", r"check\s*:\s*false"),
        ("tsup", r"tsup\.config", r"\bdts\s*:\s*(true|\{)", None),
    )
    for tool, name, pattern, off in checks:
        for f in repo.files:
            if not re.match(rf"{name}\.[cm]?[jt]s$", PurePosixPath(f.path).name):
                continue
            body = repo.text(f.path)
            if repo.applies(f.path) and re.search(pattern, body):
                if off and re.search(off, body):
                    continue
                line = repo.line_of(f.path, pattern)
                return tool, Hit(f.path, line, repo.line(f.path, line).strip())
    return None


def _next_checks_types(repo: RepoView) -> bool:
    """`next build` fails on type errors unless next.config sets ignoreBuildErrors."""
    for path in repo.named(
        "next.config.js", "next.config.mjs", "next.config.ts", "next.config.cjs"
    ):
        if re.search(r"ignoreBuildErrors\s*:\s*true", repo.text(path)):
            return False
    return True


def _ts_jest(repo: RepoView) -> Hit | None:
    """A jest configuration that compiles tests with ts-jest and keeps its type check on."""
    names = [f"jest.config.{ext}" for ext in ("js", "ts", "mjs", "cjs", "json")]
    paths = [f.path for f in repo.files if PurePosixPath(f.path).name in names]
    paths += [p for p in repo.named("package.json") if '"jest"' in repo.text(p)]
    for path in paths:
        body = repo.text(path)
        if "ts-jest" not in body or re.search(
            r"isolatedModules['\"]?\s*:\s*true|diagnostics['\"]?\s*:\s*false", body
        ):
            continue
        line = repo.line_of(path, "ts-jest")
        return Hit(path, line, repo.line(path, line).strip())
    return None


# Linters with a built-in style guide, run as the command (`xo`, `npx standard`,
# `node_modules/.bin/semistandard`), not fixing what they find (`--fix` rewrites and passes).
_STYLE_LINTER_NAME = re.compile(
    r"(?:^|[;&|(]\s*|\b(?:npx|pnpx|bunx|exec|dlx)\s+(?:-\S+\s+)*)(?:[\w./-]*/)?"
    r"(xo|standard|semistandard|ts-standard|neostandard)(?=\s|$)"
)
_STYLE_LINTER = _STYLE_LINTER_NAME.pattern + r"(?![^;&|]*\s--fix\b)"
_STYLE_RULES_NOTE = "'s style rules: formatting fails lint"


class FormatterEnforced(_CiOrHook):
    """CI does not check formatting."""

    id = "CQ005"
    category = Category.code_quality
    severity = Severity.low
    title = "Formatting is not enforced in CI"
    rationale = "Unenforced formatting turns reviews into whitespace debates."
    remediation = "Check formatting in CI (ruff format --check, prettier --check, gofmt, ...)."
    pattern = FORMATTER
    tool = "formatter check"

    def locate(self, repo: RepoView, ci: CiModel) -> tuple[Command, str] | None:
        found = super().locate(repo, ci)
        if found:
            return found
        # xo and standard are ESLint with a style guide built in: indentation, semicolons,
        # quotes and spacing are lint errors, so running them checks formatting (as
        # eslint-plugin-prettier makes `eslint` check it).
        for runs, where in ((ci.runs, "runs in CI"), (ci.hook_runs, "runs in a git hook")):
            cmd = runs(_STYLE_LINTER)
            named = _STYLE_LINTER_NAME.search(cmd.text) if cmd else None
            if cmd and named:
                tool = named.group(1)
                text = f"{cmd.text} ({tool}{_STYLE_RULES_NOTE})"
                return replace(cmd, text=text), where
        return None

    def check(self, repo: RepoView, ci: CiModel, required: dict[str, CheckResult]) -> CheckResult:
        result = super().check(repo, ci, required)
        # A style guide's lint rules check much of the layout, not all of it (no formatter
        # rewrites the code to one form): readers answered "partly".
        if result.outcome is Outcome.passed and _STYLE_RULES_NOTE in result.message:
            return result.model_copy(update={"partial": True})
        return result

    def detail(self, repo: RepoView, ci: CiModel) -> str:
        isort = ci.runs(r"\bisort\b")
        if isort:
            return (
                f" CI sorts imports ({isort.describe()}), which orders imports but does not "
                "format code."
            )
        return ""


class LargeModules(Probe):
    """Some modules are very large."""

    id = "CQ006"
    category = Category.code_quality
    severity = Severity.low
    title = "Very large source modules"
    rationale = "Modules over a thousand lines are hard to review, test and own."
    remediation = "Split the largest modules by responsibility."

    def check(self, repo: RepoView) -> CheckResult:
        files = repo.code_files(*CODE)
        if not files:
            return self.not_applicable("No product code in scope.")
        # (product lines, path, lines of inline Rust test modules left out)
        sizes = []
        for f in files:
            tests = _rust_test_module_lines(repo.text(f.path)) if f.language == "rust" else 0
            sizes.append((f.lines - tests, f.path, tests))
        big = sorted((s for s in sizes if s[0] > 1000), key=lambda s: -s[0])
        if big:
            return self.failed(
                [repo.evidence(path, 1) for _, path, _ in big[:5]],
                f"{plural(len(big), 'module')} over 1000 lines; largest {big[0][1]} "
                f"({_module_size(*big[0])}).",
            )
        top = max(sizes, key=lambda s: s[0])
        return self.passed(
            [repo.evidence(top[1], 1)],
            f"Largest module is {top[1]} with {_module_size(*top)} (under 1000).",
        )


def _module_size(lines: int, path: str, tests: int) -> str:
    if not tests:
        return f"{lines} lines"
    return f"{lines} lines without its test module of {tests} lines"


_RUST_TEST_MODULE = re.compile(
    r"#\[cfg\(test\)\]\s*(?:#\[[^\]]*\]\s*)*(?:pub(?:\([^)]*\))?\s+)?mod\s+\w+\s*\{"
)


def _rust_test_module_lines(text: str) -> int:
    """Lines of a Rust file's inline ``#[cfg(test)] mod name { ... }`` modules: unit tests
    that live beside the code they test and are compiled only for `cargo test`."""
    if "cfg(test)" not in text:
        return 0
    code = blank_text(text)  # comments out; braces inside strings are counted below
    total, after = 0, 0
    for m in _RUST_TEST_MODULE.finditer(code):
        if m.start() < after:
            continue  # a test module nested in one already counted
        end = _closing_brace(code, m.end() - 1)
        if end < 0:
            continue
        total += code.count("\n", m.start(), end) + 1
        after = end
    return total


# A Rust char literal (`'{'`, `'"'`, `'\\''`, `'\\u{7f}'`); a quote that starts none is a
# lifetime (`'a`). A raw string (`r#"..."#`) runs to its quote and as many hashes.
_RUST_CHAR = re.compile(r"'(?:[^'\\\n]|\\(?:u\{[0-9a-fA-F]{1,6}\}|x[0-9a-fA-F]{2}|.))'")
_RUST_RAW_STRING = re.compile(r"b?r(#*)\"")


def _closing_brace(code: str, start: int) -> int:
    """The offset of the brace closing the one at ``start`` in Rust source (-1 if
    unbalanced), skipping braces in strings, raw strings and char literals."""
    depth, i, n = 0, start, len(code)
    while i < n:
        ch = code[i]
        raw = _RUST_RAW_STRING.match(code, i) if ch in "br" else None
        if raw and (i == 0 or not (code[i - 1].isalnum() or code[i - 1] == "_")):
            end = code.find('"' + raw.group(1), raw.end())
            i = n if end < 0 else end + len(raw.group(1))
        elif ch == '"':
            i += 1
            while i < n and code[i] != '"':
                i += 2 if code[i] == "\\" else 1
        elif ch == "'":
            char = _RUST_CHAR.match(code, i)
            if char:
                i = char.end() - 1
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _function_lines(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines of a function, its docstring left out: an API handler documented in a
    140-line docstring (flower's ``get``) is a short function with long documentation."""
    size = (node.end_lineno or node.lineno) - node.lineno + 1
    first = node.body[0] if node.body else None
    if (
        isinstance(first, ast.Expr)
        and isinstance(first.value, ast.Constant)
        and isinstance(first.value.value, str)
    ):
        size -= (first.end_lineno or first.lineno) - first.lineno + 1
    return size


class LongFunctions(Probe):
    """Some Python functions are very long."""

    id = "CQ007"
    category = Category.code_quality
    severity = Severity.low
    title = "Very long functions"
    rationale = "Functions over a hundred lines hide branches that tests miss."
    remediation = "Extract helpers from the longest functions."

    def check(self, repo: RepoView, python: PythonCode) -> CheckResult:
        files = repo.code_files("python")
        if not files:
            return self.not_applicable("No Python product code to measure.")
        longest: list[tuple[int, str, int, str]] = []
        for f in files:
            for node in python.nodes(f.path, ast.FunctionDef, ast.AsyncFunctionDef):
                longest.append((_function_lines(node), f.path, node.lineno, node.name))
        longest.sort(reverse=True)
        long = [x for x in longest if x[0] > 100]
        if long:
            return self.failed(
                [repo.evidence(p, n) for _, p, n, _ in long[:5]],
                f"{plural(len(long), 'Python function')} over 100 lines, docstrings aside; "
                f"longest "
                f"{long[0][3]} ({long[0][0]} lines) at {long[0][1]}:{long[0][2]}.",
            )
        others = sorted({lang for lang in repo.languages() if lang in CODE} - {"python"})
        unmeasured = f" ({', '.join(others)} code is not measured)" if others else ""
        if not longest:
            return self.passed(
                [repo.evidence(files[0].path, 1)],
                f"No Python functions over 100 lines{unmeasured}.",
            )
        size, path, line, name = longest[0]
        return self.passed(
            [repo.evidence(path, line)],
            f"Longest Python function is {name} ({size} lines, under 100){unmeasured}.",
        )


class PreCommitHooks(Probe):
    """No pre-commit hooks are configured."""

    id = "CQ008"
    category = Category.code_quality
    severity = Severity.low
    title = "No pre-commit hooks"
    rationale = "Hooks catch lint and format errors before they reach CI."
    remediation = "Add a .pre-commit-config.yaml (or husky/lefthook) with lint and format hooks."

    def check(self, repo: RepoView, ci: CiModel) -> CheckResult:
        paths = repo.named(".pre-commit-config.yaml", "lefthook.yml", ".lefthook.yml")
        paths += [f.path for f in repo.files if f.path.startswith(".husky/")]
        if paths:
            return self.passed([repo.evidence(paths[0], 1)], f"Hooks configured in {paths[0]}.")
        # A script that points git at hooks (core.hooksPath, git 2.54's config hooks): a
        # developer installs them with one command.
        for name, (path, line, command) in ci.package_scripts().items():
            if re.search(r"git config .*(core\.hooksPath|\bhook\.)", command):
                return self.passed(
                    [repo.evidence(path, line)],
                    f"Hooks configured by the `{name}` script ({path}:{line}): `{command[:80]}`.",
                )
        # Nix: devenv's or git-hooks.nix's hooks, installed when a developer enters the shell.
        for path in repo.named("flake.nix", "devenv.nix", "shell.nix"):
            line = repo.line_of(path, r"\b(git-hooks|pre-commit-hooks|pre-commit)\.hooks\b", 0)
            if line:
                return self.passed(
                    [repo.evidence(path, line)],
                    f"Hooks configured in {path}:{line} (installed with the Nix dev shell).",
                )
        installed = ci.hooks()
        if installed:
            hook = installed[0]
            return self.passed(
                [repo.evidence(hook.path, hook.line)], f"Hooks configured: {hook.describe()}."
            )
        return self.failed(
            repo.anchor(),
            "No .pre-commit-config.yaml, husky, lefthook, simple-git-hooks, yorkie or "
            "pre-commit (npm) hook found.",
        )


class PythonAnnotations(Probe):
    """Most public Python functions carry no type annotations."""

    id = "CQ009"
    category = Category.code_quality
    severity = Severity.low
    title = "Public Python functions lack type hints"
    rationale = "Untyped interfaces leave callers and type checkers guessing."
    remediation = "Annotate parameters and return types of public functions."

    def check(self, repo: RepoView, python: PythonCode) -> CheckResult:
        total, typed, first_untyped = 0, 0, None
        for f in repo.code_files("python"):
            for node in python.nodes(f.path, ast.FunctionDef, ast.AsyncFunctionDef):
                if not (node.name.startswith("_")):
                    total += 1
                    args = [a for a in node.args.args if a.arg not in ("self", "cls")]
                    if node.returns is not None or (args and all(a.annotation for a in args)):
                        typed += 1
                    elif first_untyped is None:
                        first_untyped = (f.path, node.lineno)
        if not total:
            return self.not_applicable("No public Python functions.")
        share = typed / total
        message = f"{typed} of {total} public functions are annotated ({share:.0%})."
        if share >= 0.6:
            return self.passed(repo.anchor(), message)
        assert first_untyped is not None
        return self.failed([repo.evidence(*first_untyped)], message)


class TodoDensity(Probe):
    """The code carries many TODO/FIXME/HACK markers."""

    id = "CQ010"
    category = Category.code_quality
    severity = Severity.low
    title = "Many TODO/FIXME markers"
    rationale = "A pile of TODOs is unplanned work that nobody tracks."
    remediation = "Turn TODOs into tracked issues and remove the stale ones."

    def check(self, repo: RepoView) -> CheckResult:
        files = repo.code_files(*CODE)
        if not files:
            return self.not_applicable("No product code in scope.")
        hits = _markers(repo)
        lines = sum(f.lines for f in files)
        if len(hits) >= 10 and len(hits) * 300 > lines:
            return self.failed(
                [h.evidence(repo) for h in hits[:5]],
                f"{len(hits)} TODO/FIXME/HACK markers in {lines} lines.",
            )
        if not hits:
            return self.passed([], f"No TODO/FIXME/HACK markers in {lines} lines.")
        return self.passed(
            [hits[0].evidence(repo)], f"{len(hits)} TODO/FIXME/HACK markers in {lines} lines."
        )


def _markers(repo: RepoView) -> list[Hit]:
    rx = re.compile(r"(#|//|/\*|\*)\s*(TODO|FIXME|XXX|HACK)\b")
    hits = []
    for f in repo.code_files(*CODE):
        text = repo.text(f.path)
        if not rx.search(text):
            continue
        for n, line in enumerate(repo.lines(f.path), 1):
            if rx.search(line):
                hits.append(Hit(f.path, n, repo.shown(f.path, n).strip()))
    return hits


class CheckSuppressions(Probe):
    """Type and lint checks are switched off in many places."""

    id = "CQ011"
    category = Category.code_quality
    severity = Severity.low
    title = "Type and lint checks are suppressed in bulk"
    rationale = "Blanket suppressions hide exactly the errors the tools exist to find."
    remediation = "Fix the suppressed errors; keep narrow, commented suppressions only."

    def check(self, repo: RepoView) -> CheckResult:
        if not repo.languages():
            return self.not_applicable("No product code in scope.")
        pattern = (
            # Blanket forms only: `type: ignore[code]`, `noqa: E501`, `nolint:rule` and
            # rule-named eslint-disable comments are narrow and deliberate. An eslint-disable
            # comment naming no rule (at most a `-- reason`) switches off every rule.
            r"type:\s*ignore(?!\[)|@ts-ignore|@ts-nocheck|#\s*noqa\b(?!\s*:)|"
            r"eslint-disable(?:-next-line|-line)?(?:\s+--.*?)?\s*(?:\*/)?\s*\}?\s*$|"
            r"mypy:\s*ignore-errors|#!\[allow\(|//\s*nolint(?!:)|@SuppressWarnings\(\"all"
        )
        hits = _raw_hits(repo, pattern)
        if len(hits) >= 10 or any("nocheck" in h.text or "ignore-errors" in h.text for h in hits):
            return self.failed(
                [h.evidence(repo) for h in hits[:5]],
                f"{len(hits)} blanket suppressions (no rule named), first at {hits[0].where}.",
            )
        narrow = [h for h in _raw_hits(repo, _NARROW_SUPPRESSION) if h not in hits]
        counted = (
            f"; {plural(len(narrow), 'narrow suppression')} name the rule they silence"
            f" (first at {narrow[0].where})"
            if narrow
            else ""
        )
        if not hits:
            return self.passed(
                [narrow[0].evidence(repo)] if narrow else [],
                f"No blanket suppression in product code{counted}.",
            )
        return self.passed(
            [hits[0].evidence(repo)],
            f"{plural(len(hits), 'blanket suppression')} in product code{counted}.",
        )


# Suppressions that name what they silence: deliberate, and counted so a pass never claims
# that none exist.
_NARROW_SUPPRESSION = (
    r"#\s*noqa\b|type:\s*ignore\[|//\s*nolint:|eslint-disable(-next-line|-line)?\s+[\w@/-]|"
    r"pylint:\s*disable|@ts-expect-error|@SuppressWarnings\(|#\[allow\(|clippy::"
)


def _raw_hits(repo: RepoView, pattern: str) -> list[Hit]:
    # Multiline: a pattern anchored at the end of a line must find it in the whole text too.
    rx = re.compile(pattern, re.M)
    out = []
    for f in repo.code_files(*CODE):
        text = repo.text(f.path)
        if rx.search(text):
            for n, s in enumerate(repo.lines(f.path), 1):
                m = rx.search(s)
                if m and not in_string(s, m.start()):
                    out.append(Hit(f.path, n, repo.shown(f.path, n).strip()))
    return out
