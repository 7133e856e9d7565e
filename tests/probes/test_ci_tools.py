"""What CI, hooks and build tools really run: linters, type checkers, formatters, coverage,
tests, scanners and releases (CQ001-CQ005, TST002-TST003, SEC009, DEP009).

Each case is a tiny repository shaped like a real one: the tool is run through an Action, a
Cloud Build step, Travis's default script, a Maven phase, a husky hook or pre-commit.ci; or
it only looks as if it ran (an install, a disabled job, a hook nothing installs).
"""

from __future__ import annotations

from tests.probes.conftest import RunProbe, cases, check_case
from tests.probes.test_testing import PY, TEST, wf

GO = {"go.mod": "module x\n", "main.go": "package main\nfunc main() {}\n"}
TS = {"src/a.ts": "export const a: number = 1;\n", "tsconfig.json": '{"compilerOptions": {}}\n'}
JS = {"src/app.js": "const a = 1;\nmodule.exports = a;\n"}
JAVA = {"src/main/java/A.java": "class A {}\n"}


def step(uses: str, **inputs: str) -> dict[str, str]:
    """A workflow with one `uses:` step and its `with:` inputs."""
    body = "".join(f"          {k}: {v}\n" for k, v in inputs.items())
    return {
        ".github/workflows/ci.yml": "on: [push, pull_request]\njobs:\n  t:\n    steps:\n"
        f"      - uses: {uses}\n" + (f"        with:\n{body}" if inputs else "")
    }


def pom(plugins: str, version: str = "1.0") -> dict[str, str]:
    return {
        "pom.xml": "<project xmlns='http://maven.apache.org/POM/4.0.0'>\n"
        f"  <artifactId>a</artifactId>\n  <version>{version}</version>\n"
        f"  <build>\n    <plugins>\n{plugins}    </plugins>\n  </build>\n</project>\n",
        **JAVA,
    }


CHECKSTYLE = (
    "      <plugin>\n        <artifactId>maven-checkstyle-plugin</artifactId>\n"
    "        <configuration><configLocation>{config}</configLocation></configuration>\n"
    "        <executions><execution><goals><goal>check</goal></goals></execution>"
    "</executions>\n      </plugin>\n"
)
NOHTTP = (
    '<module name="com.puppycrawl.tools.checkstyle.Checker">\n'
    '  <module name="io.spring.nohttp.checkstyle.check.NoHttpCheck"/>\n</module>\n'
)
RULES = '<module name="Checker">\n  <module name="TreeWalker">\n    <module name="EmptyBlock"/>\n'
JACOCO = (
    "      <plugin>\n        <artifactId>jacoco-maven-plugin</artifactId>\n"
    "        <executions><execution><goals><goal>prepare-agent</goal></goals></execution>"
    "</executions>\n      </plugin>\n"
)
JAVAFORMAT = (
    "      <plugin>\n        <artifactId>spring-javaformat-maven-plugin</artifactId>\n"
    "        <executions><execution><goals><goal>validate</goal></goals>"
    "<phase>validate</phase></execution></executions>\n      </plugin>\n"
)
ERRORPRONE = (
    "      <plugin>\n        <artifactId>maven-compiler-plugin</artifactId>\n"
    "        <configuration><compilerArgs><arg>-Xplugin:ErrorProne</arg></compilerArgs>"
    "</configuration>\n      </plugin>\n"
)
HUSKY_PRETTIER = {
    ".husky/pre-commit": "#!/bin/sh\nnpx lint-staged\n",
    ".lintstagedrc.json": '{"*.ts": "prettier --write"}\n',
}
CLOUDBUILD = (
    "steps:\n- name: golang\n  entrypoint: ./scripts/test.sh\n  args: ['unit']\n"
    "- name: gcr.io/cloud-builders/docker\n  args: ['build', '-t', 'gcr.io/p/app', '.']\n"
    "images:\n- 'gcr.io/p/app'\n"
)
GOSEC = 'version: "2"\nlinters:\n  enable:\n    - errcheck\n    - gosec\n'
GOLANGCI_V2 = 'version: "2"\nlinters:\n  default: standard\nformatters:\n  enable:\n    - gofumpt\n'

TABLE = [
    # --- linters: run by pre-commit.ci, a Maven phase, a husky hook; not by an install ----
    (
        "CQ002",
        "pass",
        {
            **PY,
            "ruff.toml": "line-length = 90\n",
            "README.md": "# app\n[![pre-commit.ci](https://results.pre-commit.ci/badge/x)]\n",
            ".pre-commit-config.yaml": "repos:\n- repo: x\n  hooks:\n  - id: ruff\n",
        },
        ".pre-commit-config.yaml:4",
    ),
    (
        "CQ002",
        "fail",
        {**PY, "ruff.toml": "line-length = 90\n", **wf("uv add ruff && pytest")},
        ".github/workflows/ci.yml:1",
    ),
    (
        "CQ002",
        "pass",
        {
            **pom(CHECKSTYLE.format(config="checkstyle.xml")),
            "checkstyle.xml": RULES,
            **wf("mvn -B verify"),
        },
        "pom.xml:7",
    ),
    (
        "CQ002",
        "pass",
        {**pom(ERRORPRONE), "checkstyle.xml": RULES, **wf("./mvnw -B package")},
        "pom.xml:7",
    ),
    # `mvn compile` stops before the verify phase the Checkstyle check is bound to.
    (
        "CQ002",
        "fail",
        {
            **pom(CHECKSTYLE.format(config="checkstyle.xml")),
            "checkstyle.xml": RULES,
            **wf("mvn compile"),
        },
        ".github/workflows/ci.yml:1",
    ),
    # A Checkstyle run with only the NoHttp rule checks URLs, not code.
    (
        "CQ001",
        "fail",
        {**pom(CHECKSTYLE.format(config="nohttp.xml")), "nohttp.xml": NOHTTP, **wf("mvn verify")},
        "pom.xml:1",
    ),
    (
        "CQ001",
        "pass",
        pom(CHECKSTYLE.format(config="checkstyle.xml")),
        "pom.xml:7",
    ),
    (
        "CQ002",
        "pass",
        {
            **TS,
            ".eslintrc.json": "{}\n",
            "package.json": '{"scripts": {"prepare": "husky install", "lint": "next lint"}}\n',
            ".husky/pre-commit": "#!/bin/sh\nnpm run lint\n",
        },
        "package.json:1",
    ),
    # --- formatters -------------------------------------------------------------------------
    (
        "CQ005",
        "pass",
        {**GO, ".golangci.yml": GOLANGCI_V2, **step("golangci/golangci-lint-action@v8")},
        ".golangci.yml:6",
    ),
    # golangci-lint that never fails the build does not enforce its formatters.
    (
        "CQ005",
        "fail",
        {
            **GO,
            ".golangci.yml": GOLANGCI_V2,
            **step("golangci/golangci-lint-action@v8", args="--issues-exit-code=0"),
        },
        ".github/workflows/ci.yml:1",
    ),
    (
        "CQ005",
        "pass",
        {
            **GO,
            ".golangci.yml": "linters:\n  enable:\n    - errcheck\n    - goimports\n",
            "cloudbuild.yaml": "steps:\n- name: golang\n  entrypoint: ./lint.sh\n",
            "lint.sh": "#!/bin/sh\ngolangci-lint run\n",
        },
        ".golangci.yml:4",
    ),
    (
        "CQ005",
        "pass",
        {
            **JS,
            "package.json": '{"scripts": {"lint": "eslint ."}}\n',
            ".eslintrc.json": '{"extends": ["airbnb-base", "plugin:prettier/recommended"]}\n',
            ".travis.yml": "language: node_js\nscript:\n  - yarn lint\n",
        },
        ".eslintrc.json:1",
    ),
    # A style guide's rules (indent, quotes, semi, max-len) make ESLint check formatting ...
    (
        "CQ005",
        "pass",
        {
            **JS,
            "package.json": '{"scripts": {"lint": "eslint ."}}\n',
            ".eslintrc": '{\n  "env": {"node": true},\n  "extends": [\n    "airbnb-base"\n  ]\n}\n',
            ".travis.yml": "language: node_js\nscript:\n  - yarn lint\n",
        },
        ".eslintrc:4",
    ),
    (
        "CQ005",
        "pass",
        {
            **JS,
            "package.json": '{"scripts": {"lint": "eslint ."}}\n',
            "eslint.config.js": "import stylistic from '@stylistic/eslint-plugin'\n",
            ".travis.yml": "language: node_js\nscript:\n  - yarn lint\n",
        },
        "eslint.config.js:1",
    ),
    # ... but eslint-config-prettier only turns rules off: ESLint does not check formatting.
    (
        "CQ005",
        "fail",
        {
            **JS,
            "package.json": '{"scripts": {"lint": "eslint ."}}\n',
            ".eslintrc.json": '{"extends": ["airbnb-base", "prettier"]}\n',
            ".travis.yml": "language: node_js\nscript:\n  - yarn lint\n",
        },
        ".travis.yml:1",
    ),
    (
        "CQ005",
        "pass",
        {
            **PY,
            **wf("pre-commit run --all-files"),
            ".pre-commit-config.yaml": "repos:\n- repo: x\n  hooks:\n  - id: ruff-format\n",
        },
        ".pre-commit-config.yaml:4",
    ),
    # A .pre-commit-config.yaml that no CI and no pre-commit.ci runs is not enforced.
    (
        "CQ005",
        "fail",
        {
            **PY,
            **wf("pytest"),
            ".pre-commit-config.yaml": "repos:\n- repo: x\n  hooks:\n  - id: ruff-format\n",
        },
        ".github/workflows/ci.yml:1",
    ),
    (
        "CQ005",
        "pass",
        {**TS, **HUSKY_PRETTIER, "package.json": '{"scripts": {"prepare": "husky"}}\n'},
        ".lintstagedrc.json:1",
    ),
    # Without a prepare script nothing installs the husky hook.
    (
        "CQ005",
        "fail",
        {**TS, **HUSKY_PRETTIER, "package.json": '{"scripts": {"build": "tsc"}}\n'},
        "package.json:1",
    ),
    ("CQ005", "fail", {**PY, **wf("isort . -c")}, ".github/workflows/ci.yml:1"),
    ("CQ005", "pass", {**pom(JAVAFORMAT), **wf("./mvnw -B verify")}, "pom.xml:7"),
    (
        "CQ005",
        "pass",
        {
            **JAVA,
            "build.gradle": "plugins {\n  id 'java'\n  id 'com.diffplug.spotless' version '6'\n}\n",
            **wf("./gradlew build"),
        },
        "build.gradle:3",
    ),
    (
        "CQ005",
        "pass",
        {
            **PY,
            **step("ultralytics/actions@main", python="true"),
        },
        ".github/workflows/ci.yml:5",
    ),
    # --- type checking ------------------------------------------------------------------------
    ("CQ003", "fail", {**JS, "package.json": '{"name": "a"}\n'}, "package.json:1"),
    (
        "CQ003",
        "pass",
        {**JS, "jsconfig.json": '{"compilerOptions": {"checkJs": true}}\n'},
        "jsconfig.json:1",
    ),
    (
        "CQ003",
        "pass",
        {**JS, "package.json": '{"scripts": {"build": "vue-tsc --noEmit && vite build"}}\n'},
        "package.json:1",
    ),
    (
        "CQ004",
        "pass",
        {**JS, "package.json": '{"scripts": {"build": "vue-tsc --noEmit && vite build"}}\n'},
        "package.json:1",
    ),
    (
        "CQ004",
        "pass",
        {
            **TS,
            "package.json": '{"scripts": {"build": "webpack --mode production"}}\n',
            "webpack.config.js": "module.exports = {module: {rules: [{loader: 'ts-loader'}]}};\n",
        },
        "package.json:1",
    ),
    (
        "CQ004",
        "fail",
        {
            **TS,
            "package.json": '{"scripts": {"build": "webpack --mode production"}}\n',
            "webpack.config.js": "module.exports = {rules: [{loader: 'ts-loader', "
            "options: {transpileOnly: true}}]};\n",
        },
        "tsconfig.json:1",
    ),
    # A few lines of JavaScript beside Rust are not a dynamically typed codebase.
    (
        "CQ003",
        "not_applicable",
        {
            "Cargo.toml": "[package]\nname='a'\n",
            "src/main.rs": "fn main() {}\n" * 40,
            "x.js": "a()\n",
        },
        None,
    ),
    (
        "CQ004",
        "pass",
        {**TS, "package.json": '{"scripts": {"build": "next build"}}\n'},
        "package.json:1",
    ),
    (
        "CQ004",
        "fail",
        {
            **TS,
            "package.json": '{"scripts": {"build": "next build"}}\n',
            "next.config.js": "module.exports = {typescript: {ignoreBuildErrors: true}}\n",
        },
        "tsconfig.json:1",
    ),
    (
        "CQ004",
        "pass",
        {
            **TS,
            "package.json": '{"scripts": {"prebuild": "tsc --noEmit", "build": "vite build"}}\n',
        },
        "package.json:1",
    ),
    (
        "CQ004",
        "pass",
        {
            **TS,
            "package.json": '{"scripts": {"test": "jest"}}\n',
            "jest.config.js": "module.exports = {preset: 'ts-jest'};\n",
            **wf("npm test"),
        },
        "package.json:1",
    ),
    (
        "CQ004",
        "pass",
        {
            **PY,
            "mypy.ini": "[mypy]\n",
            ".pre-commit-config.yaml": "ci:\n  autofix_prs: false\nrepos:\n- repo: x\n"
            "  hooks:\n  - id: mypy\n",
        },
        ".pre-commit-config.yaml:6",
    ),
    ("TST002", "pass", {**pom(""), **wf("./mvnw -B package")}, ".github/workflows/ci.yml:6"),
    # Skipping the tests is not running them.
    (
        "TST002",
        "fail",
        {**pom(""), **wf("mvn -B -DskipTests package")},
        ".github/workflows/ci.yml:1",
    ),
    # tox runs its commands; a description or a dependency is not a run.
    (
        "TST003",
        "fail",
        {
            **PY,
            **wf("tox"),
            "tox.ini": "[testenv]\ndescription = tests with coverage\ndeps =\n    pytest-cov\n"
            "commands =\n    pytest\n",
        },
        "pyproject.toml:1",
    ),
    (
        "TST003",
        "pass",
        {**PY, **wf("tox"), "tox.ini": "[testenv]\ncommands =\n    pytest --cov=app\n"},
        "tox.ini:3",
    ),
    # tox read from pyproject.toml ([tool.tox], tox 4.21+), reached through `uv run`'s options.
    (
        "TST002",
        "pass",
        {
            **PY,
            **TEST,
            **wf("uv run --locked --group tests tox run -e py3.13"),
            "pyproject.toml": '[project]\nname = "x"\n\n[dependency-groups]\ntests = ["pytest"]\n\n'
            '[tool.tox.env_run_base]\ncommands = [[\n    "pytest", "-v",\n]]\n',
        },
        ".github/workflows/ci.yml:6",
    ),
    # A monorepo's task runner runs each package's script of that name.
    (
        "TST002",
        "pass",
        {
            "package.json": '{"scripts": {"test": "turbo test --parallel"}}\n',
            "apps/api/package.json": '{"scripts": {"test": "jest"}}\n',
            "apps/api/src/a.js": "module.exports = 1;\n",
            "apps/api/tests/a.test.js": "test('a', () => { expect(1).toBe(1); });\n",
            **wf("yarn test"),
        },
        ".github/workflows/ci.yml:6",
    ),
    # go-task: `task test` runs the Taskfile's test task.
    (
        "TST002",
        "pass",
        {
            **GO,
            "main_test.go": 'package main\nimport "testing"\nfunc TestA(t *testing.T) {}\n',
            "Taskfile.yml": "version: '3'\ntasks:\n  test:\n    cmds:\n      - go test ./...\n",
            **wf("task test"),
        },
        ".github/workflows/ci.yml:6",
    ),
    # `npm test` that runs jest --coverage measures coverage on every run, CI or not.
    (
        "TST003",
        "pass",
        {**JS, "package.json": '{\n  "scripts": {\n    "test": "jest --coverage"\n  }\n}\n'},
        "package.json:3",
    ),
    # A jest configuration under another name (jest.unit.config.cjs) is still jest's.
    (
        "TST003",
        "pass",
        {**JS, "tests/jest.unit.config.cjs": "module.exports = {\n  collectCoverage: true,\n};\n"},
        "tests/jest.unit.config.cjs:2",
    ),
    # --- tests and coverage -------------------------------------------------------------------
    (
        "TST002",
        "pass",
        {**GO, "cloudbuild.yaml": CLOUDBUILD, "scripts/test.sh": "#!/bin/sh\ngo test ./...\n"},
        "cloudbuild.yaml:3",
    ),
    (
        "TST002",
        "pass",
        {**pom(""), ".travis.yml": "language: java\njdk: openjdk8\n"},
        ".travis.yml:1",
    ),
    # Python has no Travis default script.
    ("TST002", "fail", {**PY, **TEST, ".travis.yml": "language: python\n"}, ".travis.yml:1"),
    # A job switched off runs nothing.
    (
        "TST002",
        "fail",
        {
            **PY,
            **TEST,
            ".github/workflows/ci.yml": "on: push\njobs:\n  t:\n    if: false\n    steps:\n"
            "      - run: pytest\n",
        },
        ".github/workflows/ci.yml:1",
    ),
    # `pytest.ini` named in a script is a file name, not a test run.
    ("TST002", "fail", {**PY, **TEST, **wf("echo pytest.ini")}, ".github/workflows/ci.yml:1"),
    (
        "TST003",
        "pass",
        {
            **JS,
            "package.json": '{"scripts": {"coverage": "jest --coverage | coveralls"}}\n',
            ".travis.yml": "language: node_js\nafter_success: yarn coverage\n",
        },
        "package.json:1",
    ),
    ("TST003", "fail", {**PY, **wf("pip install pytest-cov", "pytest")}, "pyproject.toml:1"),
    # `stackoverflow` holds the letters of `kover`.
    (
        "TST003",
        "fail",
        {**PY, **wf('gh issue close 1 --comment "see stackoverflow.com"')},
        "pyproject.toml:1",
    ),
    (
        "TST003",
        "pass",
        {**PY, "pytest.ini": "[pytest]\naddopts =\n    -q\n    --cov=app\n"},
        "pytest.ini:4",
    ),
    (
        "TST003",
        "pass",
        {**JS, "tests/jest.config.js": "module.exports = {\n  collectCoverage: true,\n};\n"},
        "tests/jest.config.js:2",
    ),
    ("TST003", "pass", {**pom(JACOCO), **wf("mvn verify")}, "pom.xml:7"),
    # Configured and measured by a make target: measured, by hand (the question asks whether
    # coverage is measured, not whether CI gates it).
    (
        "TST003",
        "pass",
        {**PY, ".coveragerc": "[run]\n", "Makefile": "cov:\n\tpytest --cov=app\n", **wf("pytest")},
        ".coveragerc:1",
    ),
    (
        "TST004",
        "pass",
        {**JS, "tests/jest.config.js": "module.exports = {\n  coverageThreshold: {},\n};\n"},
        "tests/jest.config.js:2",
    ),
    # --- scanners ------------------------------------------------------------------------------
    (
        "SEC008",
        "pass",
        {
            **JS,
            "package.json": '{\n  "name": "a",\n  "renovate": {"extends": ["config:base"]}\n}\n',
        },
        "package.json:3",
    ),
    (
        "SEC009",
        "pass",
        {
            "Cargo.toml": "[package]\nname='a'\n",
            "src/main.rs": "fn main() {}\n",
            **step("rustsec/audit-check@v2"),
        },
        ".github/workflows/ci.yml:5",
    ),
    ("SEC009", "pass", {**PY, **wf("bandit -r app", "pip-audit")}, ".github/workflows/ci.yml:7"),
    # A security linter switched on in a linter's configuration still runs in CI: gosec in
    # golangci-lint, eslint-plugin-security's rules in ESLint (reached through `yarn lint`).
    (
        "SEC009",
        "cannot_determine",
        {**GO, ".golangci.yml": GOSEC, **step("golangci/golangci-lint-action@v8")},
        ".golangci.yml:5",
    ),
    (
        "SEC009",
        "cannot_determine",
        {
            **JS,
            "package.json": '{"scripts": {"lint": "eslint ."}}\n',
            ".eslintrc.json": '{\n  "extends": ["airbnb-base", "plugin:security/recommended"]\n}\n',
            ".travis.yml": "language: node_js\nscript:\n  - yarn lint\n",
        },
        ".eslintrc.json:2",
    ),
    (
        "SEC009",
        "fail",
        {
            **GO,
            ".golangci.yml": GOSEC.replace("enable", "disable"),
            **step("golangci/golangci-lint-action@v8"),
        },
        ".github/workflows/ci.yml:1",
    ),
    # --- releases ------------------------------------------------------------------------------
    (
        "DEP009",
        "pass",
        {
            "Cargo.toml": "[package]\nname='a'\n",
            "src/main.rs": "fn main() {}\n",
            **step("release-plz/action@v0.5", command="release"),
        },
        ".github/workflows/ci.yml:5",
    ),
    (
        "DEP009",
        "fail",
        {
            "Cargo.toml": "[package]\nname='a'\n",
            "src/main.rs": "fn main() {}\n",
            **step("release-plz/action@v0.5", command="release-pr"),
        },
        ".github/workflows/ci.yml:1",
    ),
    (
        "DEP009",
        "pass",
        {
            **TS,
            "package.json": '{"scripts": {"release": "changeset publish"}}\n',
            **step("changesets/action@v1", publish="pnpm release"),
        },
        "package.json:1",
    ),
    (
        "DEP009",
        "fail",
        {**TS, **step("changesets/action@v1", version="pnpm version-packages")},
        ".github/workflows/ci.yml:1",
    ),
    (
        "DEP009",
        "pass",
        {**GO, **step("softprops/action-gh-release@v2", files="dist/*")},
        ".github/workflows/ci.yml:5",
    ),
    (
        "DEP009",
        "pass",
        {**GO, **step("docker/build-push-action@v6", push="true")},
        ".github/workflows/ci.yml:5",
    ),
    (
        "DEP009",
        "fail",
        {**GO, **step("docker/build-push-action@v6", push="false")},
        ".github/workflows/ci.yml:1",
    ),
    (
        "DEP009",
        "pass",
        {**GO, "cloudbuild.yaml": CLOUDBUILD, "scripts/test.sh": "go test\n"},
        "cloudbuild.yaml:8",
    ),
    (
        "DEP009",
        "pass",
        {
            **GO,
            ".travis.yml": "language: go\ndeploy:\n  provider: releases\n  on:\n    tags: true\n",
        },
        ".travis.yml:3",
    ),
    (
        "DEP009",
        "fail",
        {**GO, ".travis.yml": "language: go\ndeploy:\n  provider: pages\n"},
        ".travis.yml:1",
    ),
    (
        "DEP009",
        "pass",
        {**GO, **wf("gcloud run deploy app --image x")},
        ".github/workflows/ci.yml:6",
    ),
    (
        "DEP009",
        "fail",
        {
            **GO,
            ".github/workflows/ci.yml": "on: push\njobs:\n  d:\n    if: false\n    steps:\n"
            "      - run: docker push x/app\n",
        },
        ".github/workflows/ci.yml:1",
    ),
    # kubectl apply into a kind cluster the workflow creates tests the manifests.
    (
        "DEP009",
        "fail",
        {
            **GO,
            ".github/workflows/ci.yml": "on: push\njobs:\n  d:\n    steps:\n"
            "      - uses: helm/kind-action@v1\n      - run: kubectl apply -f k8s/\n",
        },
        ".github/workflows/ci.yml:6",
    ),
    # Snapshots deployed from every push to master are not releases ...
    (
        "DEP009",
        "fail",
        {**pom("", version="1.1-SNAPSHOT"), **wf("mvn deploy", on="push")},
        ".github/workflows/ci.yml:6",
    ),
    # ... a deploy from a tag is.
    (
        "DEP009",
        "pass",
        {**pom("", version="1.1-SNAPSHOT"), **wf("mvn deploy", on="{push: {tags: ['v*']}}")},
        ".github/workflows/ci.yml:6",
    ),
]


@cases(TABLE)
def test_ci_tool_probes(run_probe: RunProbe, probe_id, outcome, files, where) -> None:
    check_case(run_probe, probe_id, outcome, files, where)


def test_a_hook_nothing_installs_is_named_in_the_gap(run_probe: RunProbe) -> None:
    files = {
        **PY,
        **wf("pytest"),
        ".pre-commit-config.yaml": "repos:\n- repo: x\n  hooks:\n  - id: black\n",
    }
    result = run_probe("CQ005", files)
    assert "nothing installs the hook" in result.message, result.message
    assert any("git hooks" in line for line in result.looked_at)


def test_a_continued_line_is_one_command(run_probe: RunProbe) -> None:
    files = {**PY, **wf("pip install \\\n  pytest-cov", "pytest")}
    assert run_probe("TST003", files).outcome.value == "fail"


def test_coverage_run_only_by_hand_says_so(run_probe: RunProbe) -> None:
    files = {
        **PY,
        ".coveragerc": "[run]\n",
        "Makefile": "cov:\n\tpytest --cov=app\n",
        **wf("pytest"),
    }
    result = run_probe("TST003", files)
    assert "measured only by hand" in result.message and "Makefile:2" in result.message


def test_what_an_action_runs_is_described_once(run_probe: RunProbe) -> None:
    result = run_probe("DEP009", {**GO, **step("softprops/action-gh-release@v2")})
    assert "via" not in result.message and "softprops/action-gh-release" in result.message


def test_a_security_linter_alone_is_not_called_a_scanner(run_probe: RunProbe) -> None:
    result = run_probe("SEC009", {**PY, **wf("bandit -r app")})
    assert result.outcome.value == "cannot_determine", result.message
    assert "bandit -r app" in result.message and result.looked_at


def test_an_install_still_shows_its_own_flags(run_probe: RunProbe) -> None:
    # Packages an install names are not run, but `--frozen-lockfile` describes the install.
    files = {**TS, "package.json": '{"name": "a", "dependencies": {"x": "1.0.0"}}\n'}
    result = run_probe("SEC023", {**files, **wf("pnpm install --frozen-lockfile")})
    assert result.outcome.value == "pass", result.message


PNPM_APP = {
    "package.json": '{"name": "a", "dependencies": {"x": "1.0.0"}}\n',
    "pnpm-lock.yaml": "lockfileVersion: '9.0'\n",
}


@cases(
    [
        # Installing the package manager globally installs no project dependency, and pnpm
        # with a lockfile installs frozen in CI by default.
        (
            "SEC023",
            "pass",
            {**PNPM_APP, **wf("npm install --global pnpm", "pnpm install")},
            ".github/workflows/ci.yml:7",
        ),
        (
            "SEC023",
            "fail",
            {**PNPM_APP, **wf("pnpm install --no-frozen-lockfile")},
            ".github/workflows/ci.yml:6",
        ),
        # Without a pnpm lockfile there is nothing to install from.
        (
            "SEC023",
            "fail",
            {"package.json": PNPM_APP["package.json"], **wf("pnpm install")},
            ".github/workflows/ci.yml:6",
        ),
    ]
)
def test_installs_that_keep_the_lockfile(
    run_probe: RunProbe, probe_id, outcome, files, where
) -> None:
    check_case(run_probe, probe_id, outcome, files, where)


BARE_DEP = (
    '[build-system]\nrequires = ["setuptools>=63"]\n\n[project]\nname = "a"\n'
    'dependencies = [\n  "click >= 8",\n  "setuptools",\n]\n'
)
# An application's pyproject (no build system; uv runs it): its requirements are what it runs.
APP_DEP = (
    '[tool.x]\nrequires = ["setuptools>=63"]\n[project]\nname = "a"\n'
    'dependencies = [\n  "click >= 8",\n  "setuptools",\n]\n'
)


@cases(
    [
        # An application's requirement with no version at all floats like `*` (and is cited
        # on its own line, not the pinned tool requirement of the same name) ...
        ("SEC022", "fail", {"pyproject.toml": APP_DEP}, "pyproject.toml:7"),
        # ... unless a lockfile pins what is installed.
        ("SEC022", "pass", {"pyproject.toml": APP_DEP, "uv.lock": "version = 1\n"}, None),
        # A package others install declares ranges or nothing: its users' installs resolve
        # the versions, so that is neither a gap nor a strength.
        ("SEC022", "not_applicable", {"pyproject.toml": BARE_DEP}, None),
        ("SEC021", "not_applicable", {"pyproject.toml": BARE_DEP}, None),
        ("SEC021", "fail", {"pyproject.toml": APP_DEP}, "pyproject.toml:7"),
    ]
)
def test_requirements_without_a_version_float(
    run_probe: RunProbe, probe_id, outcome, files, where
) -> None:
    check_case(run_probe, probe_id, outcome, files, where)


def test_cleaning_a_tools_cache_does_not_run_it(run_probe: RunProbe) -> None:
    """`rm -rf .mypy_cache/` in a make target CI reaches names mypy's cache; nothing runs."""
    files = {
        **PY,
        "pyproject.toml": "[project]\nname = 'app'\n\n[tool.mypy]\nstrict = true\n",
        "Makefile": "clean:\n\trm -rf .mypy_cache/\n",
        **wf("make clean", "pytest"),
    }
    result = run_probe("CQ004", files)
    assert result.outcome.value == "fail", result.message
    assert "mypy_cache" not in result.message


def test_just_recipes_with_attributes_and_parameters_and_nix_shell_commands(run_probe) -> None:
    """`just lint test` runs recipes declared `[unix]\\ntest *args:`, whose lines run cargo
    through `nix-shell --run '...'`; `coverage run -m unittest` is a test run."""
    from tests.probes.test_testing import wf

    rust = {"Cargo.toml": "[package]\nname = 'z'\n", "src/main.rs": "fn main() {}\n"}
    justfile = (
        "[unix]\nlint:\n    nix-shell --pure --run 'cargo-fmt --all --check'\n\n"
        "[unix]\ntest *args:\n    nix-shell --pure --run 'cargo nextest run {{args}}'\n"
    )
    files = {**rust, "justfile": justfile, **wf("just lint test")}
    assert run_probe("TST002", files).outcome.value == "pass"
    assert run_probe("CQ005", files).outcome.value == "pass"
    make = {
        "setup.py": "from setuptools import setup\nsetup(name='x')\n",
        "x/__init__.py": "",
        "Makefile": "test:\n\tcoverage run -m unittest discover -s test/unit\n",
        **wf("make test"),
    }
    assert run_probe("TST002", make).outcome.value == "pass"
