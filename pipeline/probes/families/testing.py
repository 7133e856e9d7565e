"""Testing probes: tests exist, CI really runs them, coverage, assertions, triggers."""

from __future__ import annotations

import ast
import re
from pathlib import PurePosixPath

from pipeline.probes.base import Hit, Probe, plural
from pipeline.probes.shapes import ci_elsewhere
from pipeline.probes.views.ci import CiModel, Command
from pipeline.probes.views.datafiles import DataFiles
from pipeline.probes.views.imports import Imports, matches_prefix
from pipeline.probes.views.manifests import Manifests, Requirement
from pipeline.probes.views.profile import ProfileView
from pipeline.probes.views.python import PythonCode
from pipeline.probes.views.repo import RepoView
from pipeline.probes.views.search import CODE, TextSearch
from pipeline.probes.views.tests import JVM_TESTS, TestSuite
from pipeline.probes.views.tools import COVERAGE, OWN_SUITE, TEST_RUNNER
from pipeline.schemas import SEVERITY_ORDER, Category, CheckResult, Severity

CONFIG = ("yaml", "toml", "json", "ini", "text", "makefile", "shell", "javascript")
ALL = (*CODE, "yaml", "toml", "json", "ini", "text", "makefile", "shell")


class TestsExist(Probe):
    """No automated tests were found."""

    id = "TST001"
    category = Category.testing
    severity = Severity.critical
    title = "No automated tests"
    rationale = "Without tests every change is verified by hand, or not at all."
    remediation = "Add unit tests for the core modules and run them on every change."

    def check(self, repo: RepoView, tests: TestSuite, ci: CiModel) -> CheckResult:
        sites = tests.sites
        if sites:
            files = sorted({h.path for h in sites})
            return self.passed(
                [sites[0].evidence(repo)],
                f"{plural(len(sites), 'test definition')} in {plural(len(files), 'file')}, "
                f"e.g. {sites[0].where}.",
            )
        suite = ci.runs(OWN_SUITE)
        if suite is not None:
            # cobalt: `node api/src/util/test run-tests-for <service>` runs cases kept as JSON
            # (api/src/util/tests/*.json), which no test-definition pattern counts.
            return self.passed(
                [repo.evidence(suite.path, suite.line)],
                f"No test definition was recognised, but CI runs a test suite of the "
                f"project's own ({suite.describe()}); its cases are not counted here.",
                partial=True,
            )
        smoke = ci.program_runs()
        if smoke is not None:
            return _smoke_only(
                self.failed(
                    [repo.evidence(smoke.path, smoke.line)],
                    "No test files or test functions were found; CI does run the program "
                    f"itself ({smoke.describe()}), a smoke test that fails only when a run "
                    "fails.",
                    partial=True,
                )
            )
        return self.failed(repo.anchor(), "No test files or test functions were found.")


def _smoke_only(result: CheckResult) -> CheckResult:
    """Medium at most: a program CI runs end to end is tested, if coarsely (create-t3-app's
    e2e workflow scaffolds every option set and builds each result; its second reader put
    "no automated tests" at medium)."""
    if SEVERITY_ORDER[result.severity] >= SEVERITY_ORDER[Severity.medium]:
        return result
    return result.model_copy(
        update={
            "severity": Severity.medium,
            "severity_note": "Lowered: CI runs the program end to end, which catches a "
            "broken build or a crash though not a wrong result.",
        }
    )


class CiRunsTests(Probe):
    """CI does not run the test suite."""

    id = "TST002"
    category = Category.testing
    severity = Severity.high
    title = "No CI workflow runs the tests"
    rationale = "Tests that CI never runs stop protecting the code the day someone forgets them."
    remediation = "Add a CI job that runs the test suite on every push and pull request."

    def check(self, repo: RepoView, ci: CiModel) -> CheckResult:
        files = ci.files
        if not files:
            return self.failed(repo.anchor(), "No CI configuration was found, so no CI runs tests.")
        cmd = ci.runs(TEST_RUNNER, enforced=True)
        if cmd:
            origin_path, _, origin_line = cmd.origin.rpartition(":")
            evidence = [repo.evidence(cmd.path, cmd.line)]
            if origin_path != cmd.path:
                evidence.insert(0, repo.evidence(origin_path, int(origin_line)))
            return self.passed(evidence, f"Tests run in CI: {cmd.describe()}.")
        delegated = ci_elsewhere(self, repo, ci, "it runs the tests")
        if delegated is not None:
            return delegated
        seen = [c.text for c in ci.commands() if not c.text.startswith("uses:")][:4]
        smoke = ci.program_runs()
        if smoke is not None:
            return _smoke_only(
                self.failed(
                    [repo.evidence(smoke.path, smoke.line)],
                    f"CI is configured ({', '.join(files[:3])}) but no step runs a test "
                    f"runner; it does run the program itself ({smoke.describe()}).",
                    partial=True,
                )
            )
        return self.failed(
            [repo.evidence(files[0], 1)],
            f"CI is configured ({', '.join(files[:3])}) but no step runs a test runner, even "
            f"following make/npm/tox/scripts; it runs: {'; '.join(seen) or 'nothing'}.",
        )


class CoverageMeasured(Probe):
    """Test coverage is not measured."""

    id = "TST003"
    category = Category.testing
    severity = Severity.medium
    title = "Test coverage is not measured"
    rationale = "Without coverage nobody knows which code paths the tests never exercise."
    remediation = "Measure coverage in CI (pytest-cov, jest --coverage, go test -cover, ...)."

    def check(
        self, repo: RepoView, text: TextSearch, ci: CiModel, manifests: Manifests
    ) -> CheckResult:
        cmd = ci.runs(COVERAGE) or ci.runs(_COVERAGE_RUN) or _ci_make_coverage(repo, ci)
        if cmd:
            return self.passed([repo.evidence(cmd.path, cmd.line)], f"Coverage: {cmd.describe()}.")
        default = _coverage_on_by_default(repo, ci)
        if default:
            hit, how = default
            return self.passed(
                [hit.evidence(repo)],
                f"Coverage is measured on every test run: {how} ({hit.where}).",
            )
        looked_at = [
            f"{plural(len(ci.files), 'CI file')} and the commands they reach",
            "pytest addopts, jest/vitest configuration, Maven and Gradle build plugins",
            "coverage configuration (.coveragerc, [tool.coverage], codecov.yml, nyc/c8)",
        ]
        configured = _coverage_configured(repo, text)
        manual = [
            c
            for c in _manual_commands(repo, ci)
            if re.search(_MANUAL_COVERAGE, c.text)
            and not re.search(_NOT_A_RUN, c.text)
            and (c.path, c.line) not in _reached(ci)
        ]
        plugin = _coverage_package(manifests)
        if configured and (manual or plugin):
            # The question is whether coverage is measured: a configuration and the command
            # (or the plugin) that measures it are a setup a developer runs, CI or not.
            where = (
                (manual[0].path, manual[0].line)
                if manual
                else (plugin.path, plugin.line)
                if plugin
                else (configured.path, configured.line)
            )
            how = (
                f"`{manual[0].text[:60]}` ({where[0]}:{where[1]}) measures it"
                if manual
                else f"{plugin.name if plugin else 'a plugin'} is declared ({where[0]}:{where[1]})"
            )
            return self.passed(
                [configured.evidence(repo), repo.evidence(*where)],
                f"Coverage is configured ({configured.where}) and {how}; no CI step runs it, "
                "so it is measured only by hand.",
            )
        api = text.grep(_COVERAGE_API, ("python",), tests=None, limit=1, code_only=True)
        if api:
            # A test command of the project's own (`flask test --coverage`) that starts
            # coverage.py through its API measures coverage when it runs.
            return self.passed(
                [api[0].evidence(repo)],
                f"The code starts coverage.py itself (`{api[0].text.strip()[:60]}`, "
                f"{api[0].where}); no CI step runs it, so it is measured only by hand.",
            )
        if manual:
            cmd = manual[0]
            return self.passed(
                [repo.evidence(cmd.path, cmd.line)],
                f"`{cmd.text[:60]}` ({cmd.path}:{cmd.line}) measures coverage; no CI step "
                "runs it, so it is measured only by hand.",
            )
        if configured:
            return self.failed(
                [configured.evidence(repo)],
                f"Coverage is configured ({configured.where}) but nothing measures it: no CI "
                "step, script or make target runs it, no coverage plugin is declared and the "
                "test runner does not turn it on.",
                looked_at=[*looked_at, "Makefile, package.json, tox, nox and just commands"],
                partial=True,
            )
        return self.failed(
            repo.anchor(), "No coverage tool is configured or run in CI.", looked_at=looked_at
        )


# go test's binary flags as gotestsum and `go test -exec` pass them (-test.coverprofile).
_COVERAGE_RUN = rf"{COVERAGE}|(?<![\w-])-test\.cover(profile|mode|pkg)?\b"
# coverage.py started through its API: `cov = coverage.Coverage(...)` (then .start()).
_COVERAGE_API = r"\bcoverage\.(Coverage|coverage)\(|^\s*from coverage import Coverage\b"
# A command line that measures coverage (not one that installs a coverage package).
_MANUAL_COVERAGE = (
    r"--cov\b|--cov=|\bcoverage (run|report|xml|html|lcov)\b|--coverage\b|"
    r"(?<![\w-])-(test\.)?cover(profile|pkg|mode)?\b|\btarpaulin\b|\bllvm-cov\b|\bgrcov\b|"
    r"(^|\s)(c8|nyc)\s|go tool cover"
)
_NOT_A_RUN = r"^\s*#|\b(install|add)\b.*\b(pytest-cov|coverage|c8|nyc|tarpaulin|llvm-cov)\b"
# Packages that exist to measure coverage: declared, they are how the configuration is used.
_COVERAGE_PACKAGES = re.compile(
    r"^(pytest-cov|coverage|nyc|c8|@vitest/coverage-[\w-]+|vitest-coverage-[\w-]+|"
    r"cargo-tarpaulin|cargo-llvm-cov)$",
    re.I,
)


def _coverage_package(manifests: Manifests) -> Requirement | None:
    """A declared dependency (runtime or development) whose purpose is measuring coverage."""
    for req in (*manifests.python_requirements(), *manifests.node_packages()):
        if _COVERAGE_PACKAGES.match(req.name.split("[")[0]):
            return req
    return None


def _make_variables(repo: RepoView, path: str) -> dict[str, str]:
    """A Makefile's variables: ``VAR = ...``, ``:=``, ``?=`` and ``+=`` joined in order."""
    values: dict[str, str] = {}
    for line in repo.lines(path):
        m = re.match(r"^([A-Za-z_][\w.-]*)\s*(\+|:|::|\?)?=\s*(.*)$", line)
        if m:
            name, op, value = m.group(1), m.group(2), m.group(3).strip()
            if op == "+" and name in values:
                values[name] = f"{values[name]} {value}"
            elif op != "?" or name not in values:
                values[name] = value
    return values


def _expand_make(text: str, values: dict[str, str]) -> str:
    """``$(VAR)`` and ``${VAR}`` replaced by their values, three levels deep."""
    for _ in range(3):
        expanded = re.sub(
            r"\$[({]([A-Za-z_][\w.-]*)[)}]", lambda m: values.get(m.group(1), ""), text
        )
        if expanded == text:
            break
        text = expanded
    return text


def _ci_make_coverage(repo: RepoView, ci: CiModel) -> Command | None:
    """A Makefile recipe CI reaches whose variables, once expanded, measure coverage
    (``gotestsum $(TESTS_ARGS)`` with ``TESTS_ARGS += -test.coverprofile coverage.out``)."""
    for cmd in ci.commands():
        name = PurePosixPath(cmd.path).name
        if not (name == "Makefile" or name.endswith(".mk")) or "$" not in cmd.text:
            continue
        if re.search(TEST_RUNNER, cmd.text) is None and "$" not in cmd.text.split()[0]:
            continue
        expanded = _expand_make(cmd.text, _make_variables(repo, cmd.path))
        if re.search(_COVERAGE_RUN, expanded):
            return Command(cmd.path, cmd.line, expanded, cmd.via, cmd.trail)
    return None


_JEST_CONFIGS = tuple(f"jest.config.{ext}" for ext in ("js", "ts", "mjs", "cjs", "json"))
_VITEST_CONFIGS = tuple(
    f"{tool}.config.{ext}" for tool in ("vitest", "vite") for ext in ("js", "ts", "mjs", "mts")
)


def _coverage_on_by_default(repo: RepoView, ci: CiModel) -> tuple[Hit, str] | None:
    """Where the test runner's own configuration measures coverage on every run."""
    for path in repo.named("pytest.ini", "pyproject.toml", "setup.cfg", "tox.ini"):
        line = _pytest_addopts_cov(repo, path)
        if line:
            return Hit(path, line, ""), "pytest's addopts pass --cov"
    for path in _files_named(repo, *_JEST_CONFIGS, "package.json"):
        if path.endswith("package.json") and '"jest"' not in repo.text(path):
            continue
        line = repo.line_of(path, r"['\"]?collectCoverage['\"]?\s*:\s*true", 0)
        if line:
            return Hit(path, line, ""), "jest's collectCoverage is on"
    for path in _files_named(repo, *_VITEST_CONFIGS):
        m = re.search(r"coverage\s*:\s*\{[^}]*?\benabled\s*:\s*true", repo.text(path), re.S)
        if m:
            line = repo.text(path)[: m.end()].count("\n") + 1
            return Hit(path, line, ""), "vitest's coverage.enabled is on"
    plugin = next((c for c in ci.build_plugins() if re.search(COVERAGE, c.text)), None)
    if plugin:
        return Hit(plugin.path, plugin.line, plugin.text), f"the build runs {plugin.text}"
    # `npm test` is how a JavaScript project runs its tests: a coverage flag in that script
    # measures coverage on every run, with or without CI.
    test_script = ci.package_scripts().get("test")
    if test_script and re.search(COVERAGE, test_script[2]):
        path, line, command = test_script
        return Hit(path, line, command), f"the test script runs `{command[:60]}`"
    return None


def _pytest_addopts_cov(repo: RepoView, path: str) -> int:
    """The line of a pytest ``addopts`` setting that passes --cov (0 when none)."""
    section = {
        "pytest.ini": ("[pytest]",),
        "tox.ini": ("[pytest]",),
        "setup.cfg": ("[tool:pytest]",),
        "pyproject.toml": ("[tool.pytest.ini_options]", "[tool.pytest]"),
    }[PurePosixPath(path).name]
    inside, in_addopts = False, False
    for number, line in enumerate(repo.lines(path), 1):
        stripped = line.strip()
        if line.startswith("[") and not stripped.startswith(("['", '["')):
            inside, in_addopts = stripped in section, False
            continue
        if not inside or stripped.startswith(("#", ";")):
            continue
        key = re.match(r"([\w-]+)\s*=", stripped)
        if key and not line.startswith((" ", "\t")):
            in_addopts = key.group(1) == "addopts"
        if in_addopts and re.search(r"--cov\b", stripped):
            return number
    return 0


def _coverage_configured(repo: RepoView, text: TextSearch) -> Hit | None:
    """Coverage settings that configure a tool without running it."""
    for name in (".coveragerc", "codecov.yml", ".codecov.yml", ".nycrc", ".nycrc.json", ".c8rc"):
        paths = repo.named(name)
        if paths:
            return Hit(paths[0], 1, "")
    hits = text.grep(r"^\[(tool\.)?coverage|^\[coverage:", ("toml", "ini", "text"), limit=1)
    if hits:
        return hits[0]
    for path in _files_named(repo, *_JEST_CONFIGS, *_VITEST_CONFIGS, "tarpaulin.toml"):
        line = repo.line_of(
            path, r"coverage(Provider|Threshold|Directory|Reporters)|coverage\s*:", 0
        )
        if line or path.endswith("tarpaulin.toml"):
            return Hit(path, line or 1, "")
    return None


def _files_named(repo: RepoView, *names: str) -> list[str]:
    """Files with one of ``names`` in scope or at the root, tests folders included (a jest
    configuration often lives in tests/)."""
    wanted = set(names)
    jest = any(name.startswith("jest.") for name in names)
    return [
        f.path
        for f in repo.files
        if repo.applies(f.path)
        and (
            PurePosixPath(f.path).name in wanted
            or (jest and _JEST_VARIANT.match(PurePosixPath(f.path).name) is not None)
        )
    ]


# jest.config.js and its variants: jest.unit.config.cjs, jest.test.config.ts...
_JEST_VARIANT = re.compile(r"^jest(\.[\w-]+)?\.config\.(js|ts|mjs|cjs|json)$")


def _own_commands(repo: RepoView, data: DataFiles) -> set[str]:
    """The names of the program's own commands: a Go module's last path element, Cargo
    package and [[bin]] names, console scripts."""
    names: set[str] = set()
    for path in repo.named("go.mod"):
        module = re.search(r"^module\s+(\S+)", repo.text(path), re.M)
        if module:
            parts = module.group(1).rstrip("/").split("/")
            # github.com/direnv/direnv/v2: the major-version suffix is no command name.
            names.add(
                parts[-2] if re.fullmatch(r"v\d+", parts[-1]) and len(parts) > 1 else parts[-1]
            )
    for path in repo.named("Cargo.toml"):
        table = data.toml(path) or {}
        package = table.get("package")
        if isinstance(package, dict) and isinstance(package.get("name"), str):
            names.add(package["name"])
        bins = table.get("bin")
        names |= (
            {b["name"] for b in bins if isinstance(b, dict) and isinstance(b.get("name"), str)}
            if isinstance(bins, list)
            else set()
        )
    for path in repo.named("pyproject.toml"):
        scripts = ((data.toml(path) or {}).get("project") or {}).get("scripts")
        if isinstance(scripts, dict):
            names |= {str(n) for n in scripts}
    return {n for n in names if len(n) >= 3}


def _shell_tests_running(repo: RepoView, names: set[str]) -> Hit | None:
    """A shell test script that runs one of ``names`` as a command (at a line's start, after
    `$(`, or after `eval`/`exec`/`run`)."""
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in sorted(names))
    run = re.compile(rf"(^\s*|\$\(\s*|\b(eval|exec|run)\s+[\"']?\$?\(?\s*)({alternatives})\s+[\w-]")
    for f in repo.files:
        if f.language != "shell" or not (f.is_test or f.path.startswith(("test/", "tests/"))):
            continue
        for number, line in enumerate(repo.lines(f.path), 1):
            if run.search(line) and not line.lstrip().startswith("#"):
                return Hit(f.path, number, line.strip())
    return None


def _manual_commands(repo: RepoView, ci: CiModel) -> list[Command]:
    """Commands a developer may run by hand: Makefile recipes, package.json and tox scripts."""
    out = [Command(p, n, c) for p, n, c in ci.package_scripts().values()]
    for path in repo.named("Makefile", "tox.ini", "noxfile.py", "justfile"):
        out.extend(Command(path, n, line.strip()) for n, line in enumerate(repo.lines(path), 1))
    # A shell script those run (yq's `make cover`: `bash ./scripts/coverage.sh`, which runs
    # go test -coverprofile): its lines are commands a developer runs too.
    scripts = {
        m.group(1)
        for c in out
        for m in re.finditer(r"(?:^|[\s;&|])(?:bash\s+|sh\s+)?\.?/?([\w./-]+\.sh)\b", c.text)
        if m.group(1) in repo.by_path
    }
    for path in sorted(scripts):
        out.extend(Command(path, n, line.strip()) for n, line in enumerate(repo.lines(path), 1))
    return out


def _reached(ci: CiModel) -> set[tuple[str, int]]:
    return {(c.path, c.line) for c in ci.commands()}


_CODECOV_FILES = ("codecov.yml", ".codecov.yml", "codecov.yaml", ".codecov.yaml")


def _codecov_gate(repo: RepoView, ci: CiModel, data: DataFiles) -> tuple[str, int] | None:
    """Where a Codecov configuration sets a failing (not informational) project or patch status
    with a target or threshold, when CI uploads coverage to Codecov; else None."""
    if not any("codecov" in repo.text(path).lower() for path in ci.files):
        return None
    for path in sorted(repo.by_path):
        if PurePosixPath(path).name not in _CODECOV_FILES or path.count("/") > 1:
            continue
        for doc in data.yaml_docs(path):
            coverage = doc.get("coverage") if isinstance(doc, dict) else None
            status = coverage.get("status") if isinstance(coverage, dict) else None
            if not isinstance(status, dict):
                continue
            for kind in ("project", "patch"):
                checks = status.get(kind)
                for entry in checks.values() if isinstance(checks, dict) else ():
                    if (
                        isinstance(entry, dict)
                        and ("target" in entry or "threshold" in entry)
                        and entry.get("informational") is not True
                    ):
                        key = "threshold" if "threshold" in entry else "target"
                        return path, repo.line_of(path, rf"^\s*{key}\s*:", 0) or 1
    return None


class CoverageThreshold(Probe):
    """No minimum coverage is enforced."""

    id = "TST004"
    category = Category.testing
    severity = Severity.low
    title = "No coverage threshold is enforced"
    rationale = "Coverage that may fall without failing the build quietly erodes."
    remediation = "Set a floor (fail_under, --cov-fail-under, coverageThreshold, jacoco rules)."

    def check(self, repo: RepoView, text: TextSearch, ci: CiModel, data: DataFiles) -> CheckResult:
        gate = _codecov_gate(repo, ci, data)
        if gate:
            return self.passed(
                [repo.evidence(*gate)],
                f"Codecov's status check fails when coverage falls below its target or "
                f"threshold ({gate[0]}:{gate[1]}), and CI uploads coverage to it.",
            )
        pattern = (
            r"fail_under|fail-under|coverageThreshold|<minimum>|violationRules|"
            # c8 / borp / nyc: --check-coverage with --lines N (tap: --coverage-report...).
            r"minimum_coverage|--threshold|--check-coverage|--100\b"
        )
        cmd = ci.runs(pattern)
        hits = text.grep(pattern, CONFIG, limit=1, code_only=True)
        if cmd:
            return self.passed([repo.evidence(cmd.path, cmd.line)], f"Threshold: {cmd.describe()}.")
        if hits:
            return self.passed([hits[0].evidence(repo)], f"Threshold `{hits[0].text}`.")
        # jest configurations in tests/ and the JaCoCo check goal bound to the Maven build.
        for path in _files_named(repo, *_JEST_CONFIGS):
            line = repo.line_of(path, r"\bcoverageThreshold\b", 0)
            if line:
                return self.passed([repo.evidence(path, line)], f"Threshold in {path}:{line}.")
        plugin = next(
            (c for c in ci.build_plugins() if "jacoco-maven-plugin:check" in c.text), None
        )
        if plugin:
            return self.passed(
                [repo.evidence(plugin.path, plugin.line)], f"Threshold: {plugin.describe()}."
            )
        return self.failed(
            repo.anchor(),
            "No coverage threshold in configuration or CI.",
            looked_at=[
                "coverage, pytest, jest and Maven configuration",
                f"{plural(len(ci.files), 'CI file')} and the commands they reach",
            ],
        )


class TestRatio(Probe):
    """There is little test code compared with product code."""

    id = "TST005"
    category = Category.testing
    severity = Severity.medium
    title = "Test code is thin compared with product code"
    rationale = "A small test suite leaves most behaviour unverified."
    remediation = "Grow the tests towards the code that carries business logic."

    def check(self, repo: RepoView, text: TextSearch) -> CheckResult:
        code = repo.code_files(*CODE)
        if not code:
            return self.not_applicable("No product code in scope.")
        # Rust unit tests live in #[cfg(test)] modules of product files: count them once,
        # as test lines, not also as product lines.
        in_file_tests = sum(len(text.rust_test_lines(f.path)) for f in code if f.language == "rust")
        code_lines = sum(f.lines for f in code) - in_file_tests
        test_files = repo.code_files(*CODE, *JVM_TESTS, tests=True)
        test_lines = sum(f.lines for f in test_files) + in_file_tests
        ratio = test_lines / max(code_lines, 1)
        message = f"{test_lines} test lines for {code_lines} product lines ({ratio:.0%})."
        evidence = [repo.evidence(test_files[0].path, 1)] if test_files else repo.anchor()
        return (self.passed if ratio >= 0.15 else self.failed)(evidence, message)


class TestsAssert(Probe):
    """Many Python test functions assert nothing."""

    id = "TST006"
    category = Category.testing
    severity = Severity.medium
    title = "Tests without assertions"
    rationale = "A test that asserts nothing passes whatever the code does."
    remediation = "Give every test an assertion (assert, pytest.raises, mock assertions)."

    def check(self, repo: RepoView, python: PythonCode) -> CheckResult:
        empty: list[tuple[str, int]] = []
        total = 0
        for f in repo.code_files("python", tests=True):
            for node in python.nodes(f.path, ast.FunctionDef, ast.AsyncFunctionDef):
                if node.name.startswith("test"):
                    total += 1
                    if not _asserts(node):
                        empty.append((f.path, node.lineno))
        if not total:
            return self.not_applicable("No Python test functions to read.")
        if empty and len(empty) / total > 0.2:
            return self.failed(
                [repo.evidence(p, n) for p, n in empty[:5]],
                f"{len(empty)} of {total} test functions assert nothing "
                f"(first at {empty[0][0]}:{empty[0][1]}).",
            )
        f0 = repo.code_files("python", tests=True)[0].path
        return self.passed(
            [repo.evidence(f0, 1)], f"{total - len(empty)} of {total} test functions assert."
        )


def _asserts(fn: ast.AST) -> bool:
    for node in ast.walk(fn):
        if isinstance(node, ast.Assert | ast.Raise):
            return True
        if isinstance(node, ast.Call):
            name = ast.unparse(node.func)
            if "assert" in name.lower() or name.endswith(("raises", "warns", "expect", "fail")):
                return True
    return False


_API_SUITE = r"\bnewman\s+run\b|\bpostman\b|\bhurl\s|run-api-tests|api-tests?\.sh\b"


class IntegrationTests(Probe):
    """No integration or end-to-end tests were found."""

    id = "TST007"
    category = Category.testing
    severity = Severity.low
    title = "No integration or end-to-end tests"
    rationale = "Unit tests alone miss failures at the seams: database, network, wiring."
    remediation = "Add a few tests that drive the real entry points against real dependencies."
    applies = "seams"

    def check(
        self, repo: RepoView, text: TextSearch, tests: TestSuite, ci: CiModel, data: DataFiles
    ) -> CheckResult:
        test_files = repo.code_files(*CODE, tests=True)
        # An API test collection that CI runs against the started service (Postman/newman,
        # Hurl, a script named for API tests) is an end-to-end test, whatever language.
        api_runs = ci.all_runs(_API_SUITE)
        if api_runs:
            cmd = api_runs[0]
            return self.passed(
                [repo.evidence(cmd.path, cmd.line)],
                f"CI runs an API test suite against the service: {cmd.describe()}.",
            )
        if not test_files and not tests.sites:
            return self.not_applicable("There are no tests at all (see TST001).")
        for f in test_files:
            parts = f.path.lower().split("/")
            if (
                any(
                    k in p
                    for p in parts
                    for k in ("integration", "e2e", "functional", "acceptance", "end_to_end")
                )
                or any(re.fullmatch(r"integ|test_integ|integ_tests?", p) for p in parts)
                or (f.language == "rust" and "tests" in parts and "src" not in parts)
            ):
                return self.passed([repo.evidence(f.path, 1)], f"Integration tests in {f.path}.")
        hits = text.grep(
            r"testcontainers|mark\.integration|TestClient\(|supertest|httptest\.|"
            # Flask's test client drives the whole app: routing, handlers, database.
            r"\.test_client\(|"
            r"go:build integration|@SpringBootTest|"
            # Tests that start a real local server and talk to it over the network.
            r"pytest_httpbin|\bdef test_\w*\([^)]*\bhttpbin\b|HTTPServer\(|socketserver\.|"
            r"make_server\(|werkzeug\.serving|LiveServerTestCase|\blive_server\b|"
            r"\bhttpserver\.(url|expect)|aiohttp_client|TestServer\(|MockWebServer|"
            r"\.bind\(\s*\(\s*['\"](localhost|127\.0\.0\.1)|"
            # Tests that run the program as a separate process, as a user would.
            r"subprocess\.(run|check_output|check_call|Popen)\(|\bexec\.Command\(|"
            # Node: fx's npm/test.js spawns `node index.js` with piped input.
            r"\b(spawnSync|spawn|execFileSync|execFile|execSync|execa)\(\s*[`'\"]node\b|"
            r"Command::cargo_bin\(|"
            # The whole command line run in-process from its argument list, as the user types
            # it (awslogs: main("awslogs get AAA DDD".split()); click's CliRunner().invoke).
            r"\bmain\(\s*(\[|['\"][^'\"]*['\"]\.split\(\)|argv\s*=)|\bCliRunner\(|"
            # An API client's calls replayed from recordings of the live API, through its
            # whole HTTP stack (tweepy's tape.use_cassette, pytest-recording's mark.vcr).
            r"\.use_cassette\(|\bmark\.vcr\b|@vcr\.|"
            # Behaviour scenarios (Gherkin features) drive the program as its user does:
            # jrnl's tests/bdd runs its CLI through pytest-bdd.
            r"\bpytest_bdd\b|from behave import|@CucumberOptions|io\.cucumber|cucumber\.|godog\.|"
            # A browser driven against the running app (benbjohnson/wtf's chromedp tests).
            r"\bchromedp\.|\bgo-rod/rod\b|from selenium import|webdriver\.|puppeteer\.launch\(|"
            r"from playwright\.|@playwright/test",
            tests=True,
            limit=1,
        )
        if hits:
            return self.passed([hits[0].evidence(repo)], f"Integration test: `{hits[0].text}`.")
        driven = _shell_tests_running(repo, _own_commands(repo, data))
        if driven is not None:
            # direnv: test/direnv-test-common.sh runs the built `direnv` through 32 scenarios
            # in bash, zsh, fish and more, as its users' shells do.
            return self.passed(
                [driven.evidence(repo)],
                f"Shell tests run the built program as a user would: `{driven.text}` "
                f"({driven.where}).",
            )
        return self.failed(
            [repo.evidence(test_files[0].path, 1)] if test_files else repo.anchor(),
            "Tests exist, but none exercises the system end to end.",
        )


class CiOnPullRequests(Probe):
    """CI does not run on pull requests."""

    id = "TST008"
    category = Category.testing
    severity = Severity.medium
    title = "CI does not run on pull requests"
    rationale = "Checks that run only after merge let broken changes into the main branch."
    remediation = "Trigger the CI workflow on pull_request (or merge requests)."

    def check(self, repo: RepoView, ci: CiModel) -> CheckResult:
        files = ci.files
        if not files:
            return self.not_applicable("No CI configuration (see TST002).")
        events = ci.triggers()
        if not events:
            return self.not_applicable(f"{files[0]} declares no triggers this probe can read.")
        for name in ("pull_request", "pull_request_target", "merge_request", "merge_group"):
            if name in events:
                path, line = events[name]
                return self.passed([repo.evidence(path, line)], f"CI runs on {name} ({path}).")
        path, line = next(iter(events.values()), (files[0], 1))
        return self.failed(
            [repo.evidence(path, line)],
            f"CI triggers are {sorted(events) or 'none'}, not pull requests.",
        )


class SkippedTests(Probe):
    """Several tests are skipped unconditionally."""

    id = "TST009"
    category = Category.testing
    severity = Severity.low
    title = "Tests are skipped unconditionally"
    rationale = "Skipped tests hide known failures and rot silently."
    remediation = "Fix or delete skipped tests; use conditional skips with a reason."

    def check(self, repo: RepoView, text: TextSearch, tests: TestSuite) -> CheckResult:
        if not tests.sites:
            return self.not_applicable("There are no tests (see TST001).")
        hits = text.grep(
            r"@pytest\.mark\.skip\b(?!if)|@unittest\.skip\(|\b(it|test|describe)"
            r"\.skip\(|\bxit\(|t\.Skip(Now)?\(|#\[ignore(\s*=\s*\"[^\"]*\")?\]|@Disabled\b|"
            # Rust's #[ignore = "reason"] (sd's tests/cli.rs) is as unconditional.
            r"@Ignore\b",
            tests=None,
        )
        hits = [h for h in hits if not _conditional_go_skip(repo, h.path, h.line)]
        if len(hits) >= 3:
            return self.failed(
                [h.evidence(repo) for h in hits[:5]],
                f"{len(hits)} tests are skipped, first at {hits[0].where}.",
            )
        site = tests.sites[0]
        return self.passed(
            [site.evidence(repo)],
            f"{plural(len(hits), 'skipped test')}; under 3.",
        )


def _conditional_go_skip(repo: RepoView, path: str, line: int) -> bool:
    """``if !cfg.isConfigured() { t.Skip(msg) }``: Go has no skip decorator, so a skip nested
    deeper than the test function's own statements runs only when its condition holds (an
    integration test without its server, a platform it does not support)."""
    if not path.endswith(".go"):
        return False
    lines = repo.lines(path)
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    if "t.Skip" not in text and ".Skip" not in text:
        return False
    indent = len(text) - len(text.lstrip("\t"))
    return indent >= 2 or text.lstrip().startswith("if ")


class TokenSuite(Probe):
    """The tests are a token suite: one or two small test files for the whole product."""

    id = "TST010"
    category = Category.testing
    severity = Severity.medium
    title = "Only a token test suite"
    rationale = (
        "One or two small test files exercise a corner of the product; everything else is "
        "verified by hand, whatever a 'tests exist' check says."
    )
    remediation = "Add tests for the modules that carry the product's behaviour."
    requires = frozenset({"TST001"})

    # A suite is a token one when it is both few files and little code: two files can cover a
    # small tool, and two long files are a real suite; two short ones for a large product are
    # not. The line share is the test lines over product lines (see TST005).
    MAX_FILES = 2
    MIN_SHARE = 0.05

    def check(self, repo: RepoView, tests: TestSuite) -> CheckResult:
        code = repo.code_files(*CODE)
        if not code:
            return self.not_applicable("No product code in scope.")
        if not tests.sites:
            # TST001 passed on a suite CI runs through the project's own runner (cobalt's
            # node api/src/util/test): its cases are data this probe cannot size. (TST001
            # passes on nothing else without test definitions.)
            return self.cannot_determine(
                "The tests run through a runner of the project's own, with cases no test "
                "definition pattern counts; how large the suite is could not be read.",
                looked_at=["test definitions in test files, tests/ folders and Rust test modules"],
            )
        files = tests.files
        test_lines = tests.lines()
        code_lines = max(sum(f.lines for f in code) - tests.lines_in_product(), 1)
        share = test_lines / code_lines
        evidence = [tests.sites[0].evidence(repo)]
        summary = (
            f"{plural(len(files), 'test file')} ({test_lines} lines) for {code_lines} product "
            f"lines ({share:.0%})"
        )
        if len(files) <= self.MAX_FILES and share < self.MIN_SHARE:
            return self.failed(
                evidence,
                f"Only a token test suite: {summary}, e.g. {tests.sites[0].where}.",
                looked_at=["test definitions in test files, tests/ folders and Rust test modules"],
            )
        if share < self.MIN_SHARE:
            # yolov5: 3 files, 308 lines for 15,847 read as a strength; say what holds.
            return self.passed(
                evidence,
                f"More than a token suite of one or two files: {summary}, though thin for the "
                "product's size (see the test-to-code ratio).",
            )
        return self.passed(evidence, f"{summary[0].upper()}{summary[1:]}.")


# Test doubles of outbound services, by the library that makes them.
_DOUBLE_LIBRARIES = (
    # Python
    "responses",
    "respx",
    "httpretty",
    "requests_mock",
    "aioresponses",
    "pytest_httpserver",
    "pytest_httpbin",
    "pytest_localserver",
    "vcr",
    "pytest_recording",
    "betamax",
    "moto",
    "fakeredis",
    "mongomock",
    "testcontainers",
    # JavaScript / TypeScript
    "nock",
    "msw",
    "@mswjs",
    "fetch-mock",
    "jest-fetch-mock",
    "vitest-fetch-mock",
    "axios-mock-adapter",
    "aws-sdk-client-mock",
    "mongodb-memory-server",
    "@testcontainers",
    # Go
    "github.com/h2non/gock",
    "gopkg.in/h2non/gock",
    "github.com/jarcoal/httpmock",
    "github.com/dnaeon/go-vcr",
    "gopkg.in/dnaeon/go-vcr",
    "github.com/testcontainers/testcontainers-go",
    "github.com/alicebob/miniredis",
    "github.com/DATA-DOG/go-sqlmock",
    "github.com/golang/mock",
    "go.uber.org/mock",
    "github.com/stretchr/testify/mock",
    # Rust
    "wiremock",
    "mockito",
    "httpmock",
    "mockall",
    # Java
    "com.github.tomakehurst.wiremock",
    "org.wiremock",
    "okhttp3.mockwebserver",
    "mockwebserver3",
    "org.mockserver",
    "org.testcontainers",
    "org.springframework.test.web.client.MockRestServiceServer",
)
_CLIENTISH = (
    r"(?i:fetch|axios|got\b|undici|https?\b|request|transport|sendMail|smtp|mail|client|"
    r"\bapi\b|octokit|stripe|aws|boto|s3\b|openai|anthropic|redis|twilio|urllib|urlopen|"
    r"aiohttp|socket|grpc|provider|oauth)"
)
# Test doubles written by hand or with a generic mocking tool, aimed at an outbound client.
_DOUBLE_PATTERNS = "|".join(
    [
        # A fake server the client under test talks to. A test server around the product's
        # own router (httptest.NewServer(router), http.createServer(app)) tests the
        # service, not a stand-in for what it calls: only canned handlers count (a func
        # literal, or a handler function the test converts with http.HandlerFunc).
        r"httptest\.New(TLS|Unstarted)?Server\(\s*(http\.HandlerFunc\(|func\s*\()|"
        r"\bHTTPServer\(|ThreadingHTTPServer|socketserver\.\w*Server|\bhttpbin\b|"
        r"MockAgent\(|MockTransport\(|"
        # A server on a free loopback port that the client under test connects to.
        r"TcpListener::bind\(\s*\"(127\.0\.0\.1|localhost):0\"|net\.Listen\(\s*\"tcp\",\s*\"127\.0\.0\.1:0\"|"
        # xh's test server: tokio's TcpListener bound to SocketAddr::from(([127, 0, 0, 1], 0)).
        r"SocketAddr::from\(\(\[127,\s*0,\s*0,\s*1\],\s*0\)\)|"
        # Java: a server a test starts with canned routes (Netty, the JDK's HttpServer).
        r"\bnew ServerBootstrap\(\)|\bHttpServer\.create\(|"
        # Node: a server with a canned handler (axios's tests: http.createServer(handler ||
        # async function (req, res) {...})), not http.createServer(app); jasmine-ajax's fake
        # XMLHttpRequest in browser specs.
        r"\bhttps?\.createServer\(\s*(async\s+)?(function\b|\(\s*\w+\s*,\s*\w+\s*\)\s*=>|\w+\s*\|\|)|"
        r"\bjasmine\.Ajax\.install\(|"
        # Go: a route a test registers with a function literal (pgweb's backend_test.go:
        # gin.New(), router.POST("/timeout", func(c *gin.Context) {...}), then serves it).
        r"\.(GET|POST|PUT|PATCH|DELETE|HandleFunc|Get|Post|Put|Delete)\(\s*\"/[^\"]*\",\s*func\s*\(",
        # A fetch replaced or injected; a fake HTTP transport; recorded responses.
        r"\b(globalThis|global|window)\.fetch\s*=|[Mm]ock\w*Fetch\b|[Ff]etch\w*Mock\b|"
        r"\bfunc \(\w+ \*?\w+\) RoundTrip\(|\bmark\.(vcr|default_cassette)\b|use_cassette\(",
        # Mockito mocks of a client.
        r"@(Mock|MockBean|MockitoBean)\b\s*((private|protected|final)\s+)*\w*(Client|RestTemplate|"
        r"WebClient|Gateway|Api|Proxy)\b|\bmock\(\s*\w*(Client|RestTemplate|WebClient|Gateway|Api|"
        r"Proxy)\.class",
        # A mocking tool aimed at a client module or object.
        rf"\b(jest|vi|sinon|td)\.(mock|doMock|spyOn|stub|replace)\(\s*[^)\n]*?({_CLIENTISH})",
        # A sinon sandbox's stub of a client (sandbox.stub(client.httpClient, "httpRequest")).
        rf"\b\w*(sandbox|Sandbox)\.(stub|replace|spy)\(\s*[^)\n]*?({_CLIENTISH})",
        rf"\b(patch|patch\.object|patch\.dict|mocker\.patch|mocker\.patch\.object|"
        rf"monkeypatch\.setattr)\(\s*[^)\n]*?({_CLIENTISH})",
        # A fake or mock class of a service, client or gateway.
        r"\b(class|type|struct)\s+\w*(Fake|Mock|Stub|Dummy)\w*(Client|Service|Api|API|Gateway|"
        r"Server|Transport|Sender|Mailer|Session|Repository)\b|"
        r"\b(class|type|struct)\s+\w*(Client|Service|Api|API|Gateway|Server|Transport|Sender|"
        r"Mailer|Session|Repository)(Fake|Mock|Stub|Dummy)\b|"
        # A generated Go mock (moq, mockery) of a client-like dependency, built in a test
        # (umputun's secrets: &mocks.NotifierMock{...} for its mail sender).
        r"\bmocks\.(New)?\w*(Client|Service|Api|API|Gateway|Transport|Sender|Mailer|Notifier|"
        r"Session)\w*(Mock)?\b\s*[{(]|"
        # A test server class with canned routes (node-fetch's test/utils/server.js).
        r"\bclass\s+Test\w*Server\b|\bclass\s+\w*TestServer\b",
    ]
)


class MocksExternal(Probe):
    """The tests do not isolate the external services the product calls."""

    id = "TST011"
    category = Category.testing
    severity = Severity.medium
    title = "Tests do not isolate external services"
    rationale = (
        "Tests that reach real APIs are slow, flaky and cannot exercise failures; tests that "
        "never stand in for them leave the calls untested."
    )
    remediation = (
        "Stand in for each outbound service in tests: a recorded or mocked HTTP layer (respx, "
        "responses, nock, msw, httptest, WireMock, VCR), a fake client, or a test container."
    )
    applies = "outbound"

    def check(
        self,
        repo: RepoView,
        imports: Imports,
        tests: TestSuite,
        profile: ProfileView,
        ci: CiModel,
    ) -> CheckResult:
        # The profile's outbound evidence must be product code: a client in a Rust test
        # module is the tests' own.
        calls = [
            (n, hit) for n, hit in profile.outbound if not tests.is_support(hit.path, hit.line)
        ]
        if not calls:
            return self.not_applicable(
                "The outbound calls found are in test code; the product makes none of its own."
            )
        name, site = calls[0]
        searched = [
            "imports of HTTP mocking, recording and fake-server libraries, test containers and "
            "mock generators in test code",
            "fake servers (httptest, HTTPServer), replaced fetch, mocks and monkeypatches aimed "
            "at clients, and fake or mock client/service classes in tests and test doubles",
        ]
        if not tests.sites:
            suite = ci.runs(OWN_SUITE)
            if suite is not None:
                # cobalt: CI runs its own runner over cases kept as data; what they call
                # cannot be read from test code.
                return self.cannot_determine(
                    f"The product calls {name} ({site.where}); its tests run through a "
                    f"runner of the project's own ({suite.describe()}), whose cases say "
                    "nothing readable about what stands in for the remote side.",
                    looked_at=searched,
                )
            return self.failed(
                [site.evidence(repo)],
                f"The product calls {name} ({site.where}) and there are no tests, so nothing "
                "stands in for it.",
                looked_at=searched,
            )
        found = _isolation(imports, tests)
        if found is not None:
            return self.passed(
                [found.evidence(repo)],
                f"Tests stand in for external services: `{found.text}` ({found.where}); the "
                f"product calls {name} ({site.where}).",
            )
        return self.failed(
            [site.evidence(repo), tests.sites[0].evidence(repo)],
            f"The product calls {name} ({site.where}) but no test stands in for an external "
            f"service ({plural(len(tests.files), 'test file')} read).",
            looked_at=searched,
        )


def _isolation(imports: Imports, tests: TestSuite) -> Hit | None:
    """The first sign that the tests stand in for an outbound service."""
    libraries = [
        sites[0]
        for name, sites in imports.sites(tests=True).items()
        if any(matches_prefix(name, lib) for lib in _DOUBLE_LIBRARIES)
    ]
    # A library made for the purpose says it best; a hand-made double is the next best sign.
    candidates = libraries or tests.grep(_DOUBLE_PATTERNS) or _canned_mux_servers(tests)
    return min(candidates, key=lambda h: (h.path, h.line)) if candidates else None


_MUX_SERVER = re.compile(r"httptest\.New(?:TLS|Unstarted)?Server\(\s*(\w+)\s*\)")


def _canned_mux_servers(tests: TestSuite) -> list[Hit]:
    """Go test servers around a mux the test itself makes (go-pagerduty's client_test.go:
    ``mux = http.NewServeMux()``, ``server = httptest.NewServer(mux)``, then each test's
    ``mux.HandleFunc`` with canned answers): a stand-in for the API the client calls, not
    the product's own router."""
    found = []
    for hit in tests.grep(r"httptest\.New(TLS|Unstarted)?Server\(\s*\w+\s*\)"):
        name = _MUX_SERVER.search(hit.text)
        if name is None:
            continue
        made = rf"\b{re.escape(name.group(1))}\s*:?=\s*http\.NewServeMux\(\)"
        if re.search(made, tests.repo.text(hit.path)):
            found.append(hit)
    return found


# Load-test tools, by what their scripts import or how they are run.
_LOAD_SCRIPTS = (
    r"^\s*(from\s+locust\s+import|import\s+locust\b)|"
    r"""\bfrom\s+['"]k6(/[\w/-]+)?['"]|\brequire\(\s*['"](autocannon|loadtest|artillery)['"]|"""
    r"""\bfrom\s+['"](autocannon|loadtest)['"]|^\s*import\s+io\.gatling\b|\bextends\s+Simulation\b|"""
    r"\barrivalRate\s*:|\bwrk\.(method|body|headers)\b|"
    r"\b(vegeta\s+attack|k6\s+run|locust\s+-f|artillery\s+run|autocannon\s+-|ghz\s+--|"
    r"jmeter\s+-n|wrk\s+-[tcd]\s*\d|hey\s+-[nzc]\s*\d)"
)
_LOAD_FILES = (".jmx",)
# Tests that run things at once on purpose (per language), one literal per branch. A
# thread or task that serves a fake upstream is no race: Python threads aimed at a server
# are skipped, and Go and Rust spawns count only beside what gathers them (_GATHERED).
_RACING = "|".join(
    [
        # Python: threads, processes, tasks gathered together.
        r"\bthreading\.Thread\((?![^)\n]*(serve|server|listen))|\bThreadPoolExecutor\(|"
        r"\bProcessPoolExecutor\(|\bmultiprocessing\.(Pool|Process)\(|\basyncio\.gather\(|"
        r"\bcreate_task_group\(|\bopen_nursery\(",
        # Rust: loom models; Java: executors, latches and barriers.
        r"\bloom::model\(|\bExecutors\.new\w+\(|\bnew CountDownLatch\(|\bnew CyclicBarrier\(|"
        r"\bCompletableFuture\.(allOf|runAsync|supplyAsync)\(",
        # JavaScript: worker threads; Go: parallel benchmarks.
        r"\bnew Worker\(|\bb\.RunParallel\(",
    ]
)
_SPAWNS = r"^\s*go func\s*\(|^\s*go [\w.]+\(|\bthread::(spawn|scope)\(|\btokio::spawn\("
_GATHERED = (
    r"\bsync\.WaitGroup\b|\berrgroup\.|\bsync/atomic\b|\batomic\.Add|"
    r"\bthread::scope\(|\.join\(\)|\bjoin_all\(|\bJoinSet\b|\bBarrier\b|\bAtomicU(size|32|64)\b"
)


def _concurrency_tests(repo: RepoView, text: TextSearch, tests: TestSuite) -> Hit | None:
    """A load-test suite, or a test that runs work at once on purpose (computed once)."""

    def compute() -> Hit | None:
        for f in repo.files:
            if f.path.lower().endswith(_LOAD_FILES) and repo.in_scope(f.path):
                return Hit(f.path, 1, "a JMeter test plan")
        load = text.grep(_LOAD_SCRIPTS, (*CODE, *CONFIG), tests=None, limit=1, code_only=True)
        if load:
            return load[0]
        racing = tests.grep(_RACING)
        # A goroutine or thread in a test is often a server or a waiter; spawns that a
        # WaitGroup, errgroup, join or barrier gathers are work started at once on purpose.
        gathered = {h.path for h in tests.grep(_GATHERED, code_only=False)}
        racing += [h for h in tests.grep(_SPAWNS) if h.path in gathered]
        return min(racing, key=lambda h: (h.path, h.line)) if racing else None

    return repo.memo("testing:concurrency-tests", compute)


class ConcurrencyTests(Probe):
    """No test runs work concurrently on purpose, and there is no load-test suite."""

    id = "TST012"
    category = Category.testing
    severity = Severity.low
    title = "No concurrency, stress or load tests"
    rationale = (
        "Races, deadlocks and saturation show only when work overlaps; tests that run one "
        "thing at a time never see them."
    )
    remediation = (
        "Add a test that runs the shared path from several threads/tasks at once, or a load "
        "test (k6, locust, JMeter) for the service."
    )
    applies = "application"

    def check(
        self, repo: RepoView, text: TextSearch, tests: TestSuite, profile: ProfileView
    ) -> CheckResult:
        if not repo.languages():
            return self.not_applicable("No product code in scope.")
        found = _concurrency_tests(repo, text, tests)
        if found is not None:
            load = found.path.lower().endswith(_LOAD_FILES) or re.search(_LOAD_SCRIPTS, found.text)
            return self.passed(
                [found.evidence(repo)],
                f"A load test drives the software with concurrent users: `{found.text}` "
                f"({found.where})."
                if load
                else f"A test runs work concurrently on purpose: `{found.text}` ({found.where}).",
            )
        message = (
            f"No test in {plural(len(tests.files), 'test file')} runs work concurrently on "
            "purpose, and there is no load-test suite."
            if tests.files
            else "There are no tests, and no load-test suite."
        )
        sequential = ""
        if not (profile.holds("service") or profile.holds("worker") or profile.concurrency()):
            sequential = (
                "The product serves no requests and runs one thing at a time (no threads, "
                "processes, async tasks or goroutines in its code): there is no overlap for "
                "such a test to exercise."
            )
        return self.failed(
            [tests.sites[0].evidence(repo)] if tests.sites else repo.anchor(),
            message,
            advisory=sequential,
            looked_at=[
                "load-test suites (JMeter .jmx, k6, locust, Gatling, artillery, wrk, vegeta, hey)",
                "threads, processes, gathered tasks, executors and WaitGroup-gathered goroutines "
                "in test code (parallel test runners such as pytest-xdist or t.Parallel do not "
                "count)",
            ],
        )


class RaceDetector(Probe):
    """Go code without concurrency tests is not even run under the race detector in CI."""

    id = "TST013"
    category = Category.testing
    severity = Severity.low
    title = "The race detector does not run in CI"
    rationale = (
        "Go's race detector finds data races in whatever the tests exercise, for the price "
        "of a flag; without it and without concurrency tests, races surface in production."
    )
    remediation = "Run `go test -race ./...` in CI."
    applies = "application"

    def check(
        self, repo: RepoView, text: TextSearch, tests: TestSuite, ci: CiModel, profile: ProfileView
    ) -> CheckResult:
        if "go" not in repo.languages():
            return self.not_applicable("No Go code: the race detector is Go's.")
        # A server runs each request on a goroutine of its own (net/http does): only a
        # program that serves nothing and starts no goroutine has no race to find.
        if not profile.holds("service") and not text.grep(
            r"^\s*go\s+(func\b|[\w.]+\()", ("go",), limit=1, code_only=True
        ):
            return self.not_applicable(
                "The Go product code serves nothing and starts no goroutine (no `go` "
                "statement): one thread of its own leaves the race detector nothing to find."
            )
        found = _concurrency_tests(repo, text, tests)
        if found is not None:
            return self.not_applicable(
                f"Concurrency tests exist ({found.where}, see TST012): the race detector "
                "adds to them but is not needed to answer."
            )
        cmd = ci.runs(r"\bgo\b[^\n]*\btest\b[^\n]*\s--?race\b")
        if cmd:
            return self.passed(
                [repo.evidence(cmd.path, cmd.line)],
                f"Tests run under the race detector in CI: {cmd.describe()}.",
            )
        return self.failed(
            [repo.evidence(ci.files[0], 1)] if ci.files else repo.anchor("go.mod"),
            "CI does not run the Go tests with -race, and no test runs work concurrently.",
            looked_at=[f"{plural(len(ci.files), 'CI file')} and the commands they reach"],
        )
