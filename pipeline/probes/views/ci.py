"""The ``ci`` view: CI configurations as commands, with their calls followed to what runs.

A workflow step ``make test`` is read through the Makefile target to ``pytest``; ``npm test``
through package.json ``scripts.test``; ``tox`` through tox.ini; ``nox`` through noxfile.py;
``./scripts/test`` through the script; ``pre-commit run`` through .pre-commit-config.yaml.
Only what a CI file runs is a command: YAML is parsed, and only the values of run-like keys
(``run:``, ``script:``, ``uses:``...) are read, so a release-notes ``body:`` is text. A job or
step switched off (``if: false``) runs nothing.

What a command stands for is followed too (see ``tools``): the GitHub Action a step uses, the
steps of Cloud Build (``entrypoint``/``args``, ``images`` it pushes), Travis CI's default script
for the language and its ``deploy:`` providers, the Maven plugins bound to the phases ``mvn``
reaches and the Gradle plugins ``check`` runs, the formatters golangci-lint enforces, Prettier
run by ESLint, lint-staged's commands. pre-commit.ci is CI: its hooks run on every pull request.

``hooks()`` is the other path to enforcement: git hooks that every clone installs (husky with
a ``prepare`` script, lefthook and simple-git-hooks from package.json), with their commands
followed the same way. A hook file nothing installs is not a hook that runs.
"""

from __future__ import annotations

import posixpath
import re
import shlex
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fnmatch import fnmatch
from pathlib import PurePosixPath
from typing import Any

import yaml

from pipeline.probes.registry import view
from pipeline.probes.views.datafiles import DataFiles
from pipeline.probes.views.kinds import npm_bins
from pipeline.probes.views.repo import RepoView
from pipeline.probes.views.search import compiled
from pipeline.probes.views.tools import (
    ACTION_DEFAULTS,
    ACTIONS,
    DOC_PROVIDERS,
    GRADLE_CHECK_TASKS,
    GRADLE_PLUGINS,
    INSTALL,
    MAVEN_GOALS,
    MAVEN_PHASES,
    TRAVIS_DEFAULT,
)

_RUN_KEYS = {
    "run",
    "script",
    "before_script",
    "after_script",
    "command",
    "commands",
    "bash",
    "pwsh",
    "powershell",
    "sh",
    "install",
    "before_install",
    "test",
    "steps",
    # Travis CI and AppVeyor phases
    "after_success",
    "before_deploy",
    "after_deploy",
    "init",
    "build_script",
    "test_script",
    "before_build",
    "after_build",
    "before_test",
    "after_test",
    "on_success",
    "deploy_script",
}
_CI_NAMES = {
    ".gitlab-ci.yml",
    "azure-pipelines.yml",
    "bitbucket-pipelines.yml",
    ".travis.yml",
    "jenkinsfile",
    ".drone.yml",
    "cloudbuild.yaml",
    "cloudbuild.yml",
    "appveyor.yml",
    ".appveyor.yml",
    ".woodpecker.yml",
}
# Where each task runner keeps its scripts in pyproject.toml (None: it only prefixes commands).
# Options of `uv run`, `poetry run`, `hatch run`... that take a value as the next word.
_RUNNER_VALUE_OPTIONS = frozenset(
    {
        "--group",
        "--only-group",
        "--with",
        "--with-requirements",
        "--from",
        "--spec",
        "--extra",
        "--python",
        "-p",
        "--package",
        "--env-file",
        "--directory",
        "--project",
        "--index",
        "-e",
        "--env",
    }
)


def _runner_command(words: list[str]) -> list[str]:
    """The command a runner's ``run`` starts: its words after the runner's own options
    (``uv run --locked --group test pytest -x`` runs ``pytest -x``)."""
    i = 0
    while i < len(words) and words[i].startswith("-"):
        i += 2 if words[i] in _RUNNER_VALUE_OPTIONS else 1
    return words[i:]


_RUNNERS: dict[str, tuple[str, ...] | None] = {
    "uv": None,
    "poetry": None,
    "pipenv": None,
    "hatch": ("tool", "hatch", "envs", "*", "scripts"),
    "pdm": ("tool", "pdm", "scripts"),
    "rye": ("tool", "rye", "scripts"),
    "poe": ("tool", "poe", "tasks"),
    "task": ("tool", "taskipy", "tasks"),
}
_DISABLED = {"false", "${{ false }}", "${{false}}"}
# Cloud Build builder images whose entrypoint is the tool they are named after.
_BUILDERS = {
    "docker": "docker",
    "gcloud": "gcloud",
    "gsutil": "gsutil",
    "kubectl": "kubectl",
    "npm": "npm",
    "yarn": "yarn",
    "mvn": "mvn",
    "gradle": "gradle",
    "git": "git",
    "firebase": "firebase",
    "bazel": "bazel",
    "dotnet": "dotnet",
    "gke-deploy": "gke-deploy",
    "compose": "docker-compose",
    "docker-compose": "docker-compose",
}
_GOLANGCI = (".golangci.yml", ".golangci.yaml", ".golangci.toml", ".golangci.json")
_GO_FORMATTERS = ("gofmt", "gofumpt", "goimports", "gci", "golines")
_ESLINT_CONFIGS = (
    ".eslintrc",
    ".eslintrc.js",
    ".eslintrc.cjs",
    ".eslintrc.json",
    ".eslintrc.yml",
    ".eslintrc.yaml",
    "eslint.config.js",
    "eslint.config.mjs",
    "eslint.config.cjs",
    "eslint.config.ts",
    "eslint.config.mts",
)
# A lint-staged entry written on one line: a quoted glob, a colon, then the command(s).
_STAGED_ENTRY = re.compile(r"^['\"`][^'\"`]+['\"`]\s*:\s*(.+)$")
_LINT_STAGED = (
    ".lintstagedrc",
    ".lintstagedrc.json",
    ".lintstagedrc.yaml",
    ".lintstagedrc.yml",
    ".lintstagedrc.js",
    ".lintstagedrc.cjs",
    ".lintstagedrc.mjs",
    "lint-staged.config.js",
    "lint-staged.config.cjs",
    "lint-staged.config.mjs",
)
_CHECKSTYLE_PLUMBING = {
    "Checker",
    "TreeWalker",
    "SuppressionFilter",
    "SuppressWarningsFilter",
    "SuppressWarningsHolder",
    "SuppressionCommentFilter",
    "SuppressWithNearbyCommentFilter",
    "SuppressionXpathFilter",
    "BeforeExecutionExclusionFileFilter",
}


@dataclass(frozen=True)
class Command:
    """One command line found in CI or reached from it; ``via`` is the chain that led here.

    ``inputs`` are the ``with:`` values of a GitHub Action step; ``runner`` says who runs a
    command when its file does not (``pre-commit.ci``, a husky hook, Travis's default script).
    """

    path: str
    line: int
    text: str
    via: tuple[str, ...] = ()
    trail: tuple[str, ...] = ()  # the command texts that led here
    inputs: tuple[tuple[str, str], ...] = ()
    runner: str = ""
    # In a step or job allowed to fail (`continue-on-error: true`, GitLab's `allow_failure:
    # true`): it runs, but a failure cannot fail the build, so it enforces nothing.
    optional: bool = False

    @property
    def origin(self) -> str:
        """The CI file and line the chain starts from."""
        return self.via[0] if self.via else f"{self.path}:{self.line}"

    def describe(self) -> str:
        chain: list[str] = []
        for where in (*self.via, f"{self.path}:{self.line}"):
            if not chain or chain[-1] != where:  # an action and what it runs share a line
                chain.append(where)
        by = f" ({self.runner})" if self.runner else ""
        if len(chain) == 1:
            return f"`{self.text[:80]}` in {chain[0]}{by}"
        return f"`{self.text[:80]}` reached from {chain[0]} via " + " → ".join(chain[1:]) + by


@view("ci")
class CiModel:
    """Every CI configuration of the repository and the commands it runs."""

    def __init__(self, repo: RepoView, data: DataFiles) -> None:
        self.repo = repo
        self.data = data
        self.precommit_ci = self._precommit_ci()
        self.files = self._files()
        self._commands: list[Command] | None = None
        self._hooks: list[Command] | None = None

    def commands(self) -> list[Command]:
        """Commands written in CI files, then everything they reach (Makefile, scripts...)."""
        if self._commands is None:
            self._commands = self._expand(self._direct())
        return self._commands

    def runs(self, pattern: str, enforced: bool = False) -> Command | None:
        """The first CI command (direct or followed) matching ``pattern`` for the scope.

        A command matches in a part that runs something: ``pip install pytest-cov`` installs
        a tool and runs none. ``enforced``: only a command whose failure fails the build (a
        gate: tests, linters, type checkers, formatters), not one in a step allowed to fail.
        """
        return next(iter(self.all_runs(pattern, enforced)), None)

    def all_runs(self, pattern: str, enforced: bool = False) -> list[Command]:
        """Every CI command matching ``pattern`` for the scope, in the order CI reaches them."""
        return [
            c
            for c in self.commands()
            if not (enforced and c.optional) and _matches(pattern, c.text) and self._concerns(c)
        ]

    def program_runs(self) -> Command | None:
        """A CI command that runs the product's own program (a smoke test): a package.json
        ``bin`` script under node/bun/deno (create-t3-app's e2e workflow runs `node
        dist/index.js`, then builds what it wrote), ``cargo run`` of a binary, ``go run``."""
        patterns = [r"\bcargo run\b(?!.*--example)", r"\bgo run\b(?!.*_test\.go)"]
        for path in self.repo.named("package.json"):
            manifest = self.data.json(path)
            if not isinstance(manifest, dict) or self.repo.by_path[path].role != "product":
                continue
            folder = str(PurePosixPath(path).parent)
            for target in npm_bins(manifest, path):
                relative = target.removeprefix(f"{folder}/") if folder != "." else target
                runner = r"\b(node|bun(\s+run)?|deno\s+run(\s+-\S+)*)\s+(\./)?"
                patterns.append(runner + re.escape(relative) + r"(\s|$)")
        return self.runs("|".join(f"(?:{p})" for p in patterns))

    def hooks(self) -> list[Command]:
        """Commands run by git hooks that every clone installs, followed like CI commands."""
        if self._hooks is None:
            self._hooks = self._expand(self._hook_commands())
        return self._hooks

    def hook_runs(self, pattern: str) -> Command | None:
        """The first command an installed git hook runs that matches ``pattern``."""
        return next(
            (c for c in self.hooks() if _matches(pattern, c.text) and self._concerns(c)), None
        )

    def dormant_hooks(self, pattern: str) -> list[Command]:
        """Hook commands matching ``pattern`` that nothing installs or runs: a
        .pre-commit-config.yaml no CI and no pre-commit.ci runs, husky hooks without an
        install script. They say what a developer may run, not what is enforced."""
        ran = {(c.path, c.line) for c in [*self.commands(), *self.hooks()]}
        candidates = self._precommit_hooks(".pre-commit-config.yaml")
        for f in self.repo.files:
            p = PurePosixPath(f.path)
            if p.parent.name == ".husky" and p.name in ("pre-commit", "pre-push"):
                candidates.extend(self._expand(self._text_commands(f.path)))
        return [
            c
            for c in candidates
            if (c.path, c.line) not in ran and _matches(pattern, c.text) and self._concerns(c)
        ]

    def script_runs(self, name: str, pattern: str) -> Command | None:
        """The first command package.json script ``name`` reaches that matches ``pattern``."""
        return next(
            (
                c
                for c in self._expand(self._package_script(["run", name]))
                if _matches(pattern, c.text)
            ),
            None,
        )

    def on_tags(self, path: str) -> bool:
        """Whether workflow ``path`` runs for tags or releases (``push: tags:``, ``release``)."""
        for doc in self.data.yaml_docs(path) if path.endswith((".yml", ".yaml")) else []:
            if not isinstance(doc, dict):
                continue
            on = doc.get("on", doc.get(True))
            if isinstance(on, str):
                on = {on: None}
            elif isinstance(on, list):
                on = dict.fromkeys(on)
            if not isinstance(on, dict):
                continue
            push = on.get("push")
            if "release" in on or (isinstance(push, dict) and "tags" in push):
                return True
        return False

    def triggers(self) -> dict[str, tuple[str, int]]:
        """Events that start CI: GitHub ``on:`` keys; other CI systems build merge requests."""
        return self.repo.memo("ci-triggers", self._triggers)

    def package_scripts(self) -> dict[str, tuple[str, int, str]]:
        """package.json scripts (root and in scope): name → (path, line, command)."""
        return self.repo.memo("package-scripts", self._package_scripts)

    def external_workflows(self) -> list[Command]:
        """Jobs that call a reusable workflow of another repository (gum's
        ``uses: charmbracelet/meta/.github/workflows/build.yml@main``): what they run is not
        in this checkout."""
        return [
            c
            for c in self.commands()
            if re.match(r"uses:\s*[\w.-]+/[\w.-]+/\.github/workflows/[\w.-]+\.ya?ml@", c.text)
        ]

    def build_plugins(self) -> list[Command]:
        """Checks the build files bind to the build (Maven plugins, Gradle ``check``)."""
        return self.repo.memo(
            "ci-build-plugins", lambda: [c for _, c in self._maven_plugins()] + self._gradle([])
        )

    # --- reading CI files ------------------------------------------------------------------

    def _files(self) -> list[str]:
        found = []
        for f in self.repo.files:
            p = PurePosixPath(f.path)
            if (
                (f.path.startswith(".github/workflows/") and p.suffix in (".yml", ".yaml"))
                or p.name.lower() in _CI_NAMES
                or f.path == ".circleci/config.yml"
                or f.path.startswith((".buildkite/", ".woodpecker/"))
                or (f.path.startswith(".ci/") and f.language in ("shell", "text"))
            ):
                found.append(f.path)
        if self.precommit_ci:
            found.append(".pre-commit-config.yaml")
        return sorted(found)

    def _precommit_ci(self) -> tuple[str, int] | None:
        """Where pre-commit.ci shows it runs the hooks: a ``ci:`` section or its badge."""
        config = ".pre-commit-config.yaml"
        if config not in self.repo.by_path:
            return None
        for doc in self.data.yaml_nodes(config):
            if isinstance(doc, yaml.MappingNode):
                for key, _ in doc.value:
                    if getattr(key, "value", None) == "ci":
                        return config, key.start_mark.line + 1
        for path in self.repo.named("README.md", "README.rst", "README", "README.markdown"):
            if "/" in path:
                continue
            line = self.repo.line_of(
                path, r"results\.pre-commit\.ci/|pre-commit\.ci/(badge|latest)", 0
            )
            if line:
                return path, line
        return None

    def _direct(self) -> list[Command]:
        out: list[Command] = []
        for path in self.files:
            if path == ".pre-commit-config.yaml" and self.precommit_ci:
                out.extend(self._precommit_hooks(path, runner="run by pre-commit.ci"))
            elif path.endswith((".yml", ".yaml")):
                out.extend(self._yaml_commands(path))
            else:
                out.extend(self._text_commands(path))
        return out

    def _yaml_commands(self, path: str) -> list[Command]:
        out: list[Command] = []
        name = PurePosixPath(path).name.lower()
        kind = (
            "travis"
            if name == ".travis.yml"
            else "appveyor"
            if name in ("appveyor.yml", ".appveyor.yml")
            else "cloudbuild"
            if name.startswith("cloudbuild")
            else ""
        )

        def walk(node: yaml.Node, key: str | None, depth: int, optional: bool = False) -> None:
            if isinstance(node, yaml.MappingNode):
                keys = {str(k.value): v for k, v in node.value if isinstance(k, yaml.ScalarNode)}
                if _disabled(keys):
                    return
                optional = optional or _may_fail(keys)
                if kind == "cloudbuild" and ("args" in keys or "entrypoint" in keys):
                    out.extend(_cloudbuild_step(path, node, keys))
                    return
                uses = keys.get("uses")
                if isinstance(uses, yaml.ScalarNode):
                    out.append(
                        Command(
                            path,
                            uses.start_mark.line + 1,
                            f"uses: {str(uses.value).strip()}",
                            inputs=_inputs(keys.get("with")),
                            optional=optional,
                        )
                    )
                for k, v in node.value:
                    name = str(k.value) if isinstance(k, yaml.ScalarNode) else None
                    if name == "uses":
                        continue
                    if depth == 0 and kind in ("travis", "appveyor") and name == "deploy":
                        out.extend(_deploy_providers(path, kind, v))
                    if depth == 0 and kind == "cloudbuild" and name == "images":
                        out.extend(_pushed_images(path, v))
                        continue
                    walk(v, name, depth + 1, optional)
            elif isinstance(node, yaml.SequenceNode):
                for item in node.value:
                    walk(item, key, depth, optional)
            elif isinstance(node, yaml.ScalarNode) and key in _RUN_KEYS | {"image", "orb"}:
                for line, text in _scalar_lines(node):
                    out.append(Command(path, line, text, optional=optional))

        for doc in self.data.yaml_nodes(path):
            walk(doc, None, 0)
            if kind == "travis":
                out.extend(self._travis_default(path, doc))
        names = _workflow_names(self.repo.text(path))
        if names:
            out = [replace(c, text=_substitute(c.text, names)) for c in out]
        matrix = _matrix_values(self.data.yaml_docs(path))
        if matrix:
            out = [m for c in out for m in _expand_matrix(c, matrix)]
        return out

    def _travis_default(self, path: str, doc: yaml.Node) -> list[Command]:
        """Travis CI runs a default script for the language when the file names none."""
        if not isinstance(doc, yaml.MappingNode):
            return []
        top = {str(k.value): v for k, v in doc.value if isinstance(k, yaml.ScalarNode)}
        if "script" in top or any(
            _has_key(top[k], "script") for k in ("jobs", "matrix") if k in top
        ):
            return []
        for key, value in doc.value:
            if getattr(key, "value", None) != "language" or not isinstance(value, yaml.ScalarNode):
                continue
            language = str(value.value).strip().lower()
            for selector, command in TRAVIS_DEFAULT.get(language, ()):
                if selector is None or selector in self.repo.by_path:
                    return [
                        Command(
                            path,
                            key.start_mark.line + 1,
                            command,
                            runner=f"Travis CI's default script for {language}",
                        )
                    ]
        return []

    def _text_commands(self, path: str, args: list[str] | None = None) -> list[Command]:
        """The lines of a script; ``args``, the words it was called with, stand in for its
        positional parameters (``CROSS=$1`` ... ``$CROSS test`` runs ``cargo test``)."""
        out = []
        jenkins = PurePosixPath(path).name.lower() == "jenkinsfile"
        names: dict[str, str] = {}
        for number, line in enumerate(self.repo.lines(path), 1):
            if args:
                line = _positional(line, args, names)
            stripped = line.strip()
            if not stripped or stripped.startswith(("#", "//")):
                continue
            if jenkins:
                m = re.search(r"\b(sh|bat)\s*\(?\s*(?:script:\s*)?(['\"]{1,3})(.+?)\2", stripped)
                if m:
                    out.append(Command(path, number, m.group(3)))
                continue
            out.append(Command(path, number, stripped))
            sibling = _SIBLING_LOOP.match(stripped)
            if sibling:
                # photoview's scripts/test_all.sh: `for test in "$(dirname "$0")"/test_*`,
                # then "${test}": each matching script beside it runs.
                folder = PurePosixPath(path).parent
                for f in self.repo.files:
                    p = PurePosixPath(f.path)
                    if p.parent == folder and f.path != path and fnmatch(p.name, sibling.group(1)):
                        out.append(Command(path, number, f"./{f.path}"))
        return out

    def _expand(self, commands: list[Command]) -> list[Command]:
        seen: set[tuple[str, int, str, bool]] = set()
        result: list[Command] = []
        queue = list(commands)
        while queue:
            cmd = queue.pop(0)
            # The same line reached from a step allowed to fail and from one that is not is
            # kept twice: the required one is what enforces it.
            if (cmd.path, cmd.line, cmd.text, cmd.optional) in seen or len(cmd.via) > 5:
                continue
            seen.add((cmd.path, cmd.line, cmd.text, cmd.optional))
            result.append(cmd)
            via = (*cmd.via, f"{cmd.path}:{cmd.line}")
            trail = (*cmd.trail, cmd.text)
            queue.extend(
                replace(
                    c,
                    via=via,
                    trail=trail,
                    runner=c.runner or cmd.runner,
                    optional=c.optional or cmd.optional,
                )
                for c in self._follow(cmd)
            )
        return result

    # --- following a command to what it runs -----------------------------------------------

    def _follow(self, cmd: Command) -> list[Command]:
        text = cmd.text
        if text.startswith("uses: "):
            return self._action(cmd)
        out: list[Command] = []
        try:
            whole = shlex.split(text, posix=True)
        except ValueError:
            whole = text.split()
        if len(whole) > 2 and whole[0] == "nix" and whole[1] in ("develop", "shell"):
            # direnv's release: `nix develop --command make create-release`: every word
            # after --command (or -c) is the command the dev shell runs.
            flag = next((w for w in ("--command", "-c") if w in whole), "")
            if flag and whole.index(flag) + 1 < len(whole):
                return [replace(cmd, text=shlex.join(whole[whole.index(flag) + 1 :]))]
        if whole and PurePosixPath(whole[0]).name in ("nix-shell", "sh", "bash"):
            inner = _inner_command(whole)
            if inner:
                # nix-shell --run 'cargo test', bash -c '...': the quoted command is what runs
                # (read before splitting on && and before dropping VAR=value words).
                return [replace(cmd, text=inner)]
        for segment in re.split(r"&&|\|\||;|\|", text):
            try:
                words = shlex.split(segment, posix=True)
            except ValueError:
                words = segment.split()
            words = [w for w in words if "=" not in w or w.startswith("-")]
            # `if X; then npm run lint && ...; else ava; fi`: the keyword is no command.
            while words and words[0] in _SHELL_KEYWORDS:
                words = words[1:]
            if not words:
                continue
            tool = PurePosixPath(words[0]).name
            if tool in ("$(MAKE)", "${MAKE}"):
                tool = "make"  # a recipe that runs other targets of its Makefile
            args = [w for w in words[1:] if not w.startswith("-")]
            if tool in ("npx", "pnpx", "bunx") and args:
                tool, args = PurePosixPath(args[0]).name, args[1:]
            if tool in _WRAPPERS:
                # `nyc --reporter=lcov npm test`, `cross-env NODE_ENV=test jest`: the wrapped
                # command is what runs (express's test-ci script).
                at = next((i for i, w in enumerate(words[1:], 1) if w in _WRAPPED), 0)
                if at:
                    out.extend(self._follow(replace(cmd, text=shlex.join(words[at:]))))
            tool_run = (tool == "pipx" and args[:1] == ["run"]) or (
                tool == "uv" and args[:2] == ["tool", "run"]
            )
            if tool == "uvx" or tool_run:
                # `uvx --with tox-uv tox run`, `pipx run nox`: the tool it fetches is what runs.
                start = 1 if tool == "uvx" else words.index("run") + 1
                rest = _runner_command(words[start:])
                if rest:
                    out.extend(self._follow(replace(cmd, text=shlex.join(rest))))
            elif tool in _RUNNERS and args[:1] == ["run"] and len(args) > 1:
                # `uv run pytest`, `poetry run make test`: the rest is the command; `hatch run
                # test`, `pdm run lint`: it may also name a script declared in pyproject.toml.
                rest = _runner_command(words[words.index("run") + 1 :])
                if rest:
                    out.extend(self._pyproject_script(_RUNNERS[tool], rest[0].split(":")[-1]))
                    out.extend(self._follow(replace(cmd, text=shlex.join(rest))))
            elif tool == "hatch" and args[:1] in (["fmt"], ["test"]):
                out.extend(_hatch(cmd, words))
            elif (
                tool in ("mvn", "mvnw")
                and not args
                and not set(words) & {"-v", "--version", "-h", "--help", "-f", "--file"}
            ):
                # `mvn --batch-mode` names no goal: Maven runs the pom's <defaultGoal>
                # (commons-cli: clean verify apache-rat:check ... checkstyle:check).
                out.extend(self._maven_default_goal())
            elif tool == "task" and args and self._taskfile():
                out.extend(self._task_commands(self._taskfile(), args))
            elif tool in ("poe", "task") and args:
                out.extend(self._pyproject_script(_RUNNERS[tool], args[0]))
            elif tool in ("make", "gmake", "just"):
                directory = _flag(words, "-C") or _flag(words, "--directory") or ""
                name = "justfile" if tool == "just" else "Makefile"
                if tool != "just":
                    # GNU make reads GNUmakefile, then makefile, then Makefile (direnv's
                    # GNUmakefile holds its create-release target).
                    name = next(
                        (
                            n
                            for n in ("GNUmakefile", "makefile", "Makefile")
                            if _join(directory, n) in self.repo.by_path
                        ),
                        name,
                    )
                wanted = [a for a in args if a != directory]
                out.extend(self._make_targets(_join(directory, name), wanted))
            elif tool == "lint-staged" or (
                tool in ("npm", "yarn", "pnpm", "bun")
                and args[:2] in (["lint-staged"], ["exec", "lint-staged"], ["dlx", "lint-staged"])
            ):
                out.extend(self._lint_staged())
            elif tool in ("turbo", "lerna", "nx") and args:
                out.extend(self._workspace_scripts(tool, words[1:]))
            elif (
                tool in ("npm", "yarn", "pnpm", "bun", "npx", "pnpx", "bunx")
                and (runner := _workspace_runner(args)) is not None
            ):
                # `pnpm turbo run lint`, `pnpm exec nx run-many -t test`, `npx lerna run test`
                at = words.index(runner)
                out.extend(self._workspace_scripts(runner, words[at + 1 :]))
            elif tool in ("npm", "yarn", "pnpm", "bun"):
                out.extend(self._package_script(args, tool))
            elif tool == "nps":
                out.extend(self._nps(args))
            elif tool == "tox" or (tool.startswith("python") and "tox" in args[:2]):
                chosen = _flag(words, "-e") or _flag(words, "--env") or ""
                out.extend(self._tox_commands(tuple(e for e in chosen.split(",") if e)))
            elif tool == "nox" or (tool.startswith("python") and "nox" in args[:2]):
                out.extend(self._matching_lines("noxfile.py", r"session\.run\("))
            elif (
                tool == "docker"
                and args[:1] == ["run"]
                and (script := _container_script(self.repo.by_path, words))
            ):
                # photoview's tests.yml: `docker run ... photoview/api /app/scripts/test_all.sh`.
                out.extend(self._text_commands(script))
            elif tool in ("pre-commit", "prek") and args[:1] in ([], ["run"]):
                # prek: a drop-in reimplementation of pre-commit reading the same config
                # (archivebox's lint workflow: `prek run --all-files`).
                out.extend(self._precommit_hooks(".pre-commit-config.yaml"))
            elif tool in ("mvn", "mvnw", "mvnw.cmd"):
                out.extend(self._maven(args))
            elif tool in ("gradle", "gradlew", "gradlew.bat") and args:
                out.extend(self._gradle(args))
            elif tool == "golangci-lint" and args[:1] == ["run"]:
                out.extend(self._golangci_formatters(segment))
                out.extend(self._golangci_security(segment))
            elif tool == "eslint" or (
                args[:1] == ["lint"] and tool in ("next", "ng", "nuxt", "vue-cli-service")
            ):
                out.extend(self._eslint_prettier())
                out.extend(self._eslint_style())
                out.extend(self._eslint_security())
            for at, word in enumerate(words[:3]):
                # A script runs when it is the command, or what an interpreter is given
                # (`bash ci/test.sh`, `. ./env.sh`); `cp LICENSE dist/` runs no LICENSE.
                if at and not _runs_script(words[:at]):
                    continue
                script = word.removeprefix("./")
                f = self.repo.by_path.get(script)
                if f and f.language in ("shell", "text") and script != "Makefile":
                    out.extend(self._text_commands(script, words[at + 1 :]))
        return out

    def _action(self, cmd: Command) -> list[Command]:
        """What a ``uses:`` step runs: a local composite action's steps, or the tool a known
        action stands for (with the step's inputs)."""
        ref = cmd.text.removeprefix("uses: ").strip()
        if ref.startswith("./") and ref.endswith((".yml", ".yaml")):
            # A reusable workflow of this repository (`uses: ./.github/workflows/test.yml`).
            path = ref.removeprefix("./").split("@")[0]
            return self._yaml_commands(path) if path in self.repo.by_path else []
        if ref.startswith("./"):
            action = ref.removeprefix("./").rstrip("/")
            out: list[Command] = []
            for name in ("action.yml", "action.yaml"):
                if f"{action}/{name}" in self.repo.by_path:
                    out.extend(self._yaml_commands(f"{action}/{name}"))
            return out
        if ref.startswith("docker://"):
            # next-js-boilerplate's unit tests: `uses: docker://mcr.microsoft.com/playwright`
            # with `args: npm run test -- --coverage`: the container runs its args.
            inputs = dict(cmd.inputs)
            command = " ".join(
                part for part in (inputs.get("entrypoint", ""), inputs.get("args", "")) if part
            )
            return [replace(cmd, text=command)] if command.strip() else []
        name = ref.split("@")[0].lower().rstrip("/")
        entries = ACTIONS.get(name)
        if entries is None:
            return []
        major = ref.split("@")[1].split(".")[0].lower() if "@" in ref else ""
        inputs = {
            **ACTION_DEFAULTS.get(name, {}),
            **ACTION_DEFAULTS.get(f"{name}@{major}", {}),
            **dict(cmd.inputs),
        }
        out = []
        for condition, template in entries:
            if _holds(condition, inputs):
                text = re.sub(r"\{(\w+)\}", lambda m: inputs.get(m.group(1), ""), template)
                if text.strip():
                    runner = f"what {ref.split('@')[0]} runs"
                    out.append(Command(cmd.path, cmd.line, text.strip(), runner=runner))
        return out

    def _maven_default_goal(self) -> list[Command]:
        """What a goal-less `mvn` runs: the root pom's <defaultGoal>, as a command."""
        if "pom.xml" not in self.repo.by_path:
            return []
        found = re.search(r"<defaultGoal>\s*([^<]+?)\s*</defaultGoal>", self.repo.text("pom.xml"))
        if found is None:
            return []
        line = self.repo.line_of("pom.xml", r"<defaultGoal>")
        return [Command("pom.xml", line, f"mvn {found.group(1)}")]

    def _pyproject_script(self, where: tuple[str, ...] | None, name: str) -> list[Command]:
        if where is None:
            return []
        out: list[Command] = []
        for path in self.repo.named("pyproject.toml"):
            tables: list[Any] = [self.data.toml(path) or {}]
            for key in where:
                tables = [
                    value
                    for table in tables
                    if isinstance(table, dict)
                    for value in (table.values() if key == "*" else [table.get(key)])
                ]
            for table in tables:
                if not isinstance(table, dict):
                    continue
                if where == _RUNNERS["poe"]:
                    commands = _poe_commands(table, name)
                else:
                    script = table.get(name)
                    if isinstance(script, dict):
                        script = script.get("cmd") or script.get("shell") or script.get("call")
                    commands = script if isinstance(script, list) else [script] if script else []
                line = self.repo.line_of(path, rf"^\s*['\"]?{re.escape(name)}['\"]?\s*[=.]")
                out.extend(Command(path, line, str(c)) for c in commands)
        return out

    def _make_targets(self, path: str, targets: list[str]) -> list[Command]:
        if path not in self.repo.by_path:
            return []
        recipes: dict[str, list[Command]] = {}
        prereqs: dict[str, list[str]] = {}
        order: list[str] = []
        current: list[str] = []
        just = PurePosixPath(path).name.lower() in ("justfile", ".justfile")
        # Simple variables (GO ?= go, PYTHON := python3): $(GO) test is go test. A value may
        # name others (stern's GOLANGCI_LINT := $(TOOLS_BIN_DIR)/golangci-lint).
        variables: dict[str, str] = {}
        for line in self.repo.lines(path):
            v = re.match(r"^(\w+)\s*(?:\?=|:=|::=|=)\s*([\w./${}()-]+)\s*$", line)
            if v:
                variables.setdefault(v.group(1), v.group(2))

        def expand(text: str) -> str:
            for _ in range(4):
                done = re.sub(
                    r"\$[({](\w+)[)}]", lambda m: variables.get(m.group(1), m.group(0)), text
                )
                if done == text or len(done) > 1000:  # settled, or growing without end
                    break
                text = done
            return text

        for number, line in enumerate(self.repo.lines(path), 1):
            if variables and line.startswith(("\t", "    ")):
                line = expand(line)
            m = re.match(r"^([\w./%-]+(?:\s+[\w./%-]+)*)\s*:(?![=:])(.*)$", line)
            if just and not line.startswith(("\t", " ")):
                # just: `@name param *args='x':` declares one recipe with parameters.
                m = re.match(r"^@?([\w-]+)(?:\s+[*+$]?[\w-]+(?:=\S+)?)*\s*:(?![=:])(.*)$", line)
            if m and not line.startswith(("\t", " ")):
                current = m.group(1).split()
                for name in current:
                    recipes.setdefault(name, [])
                    prereqs[name] = m.group(2).split("#")[0].split()
                    if not name.startswith("."):
                        order.append(name)
                continue
            if line.startswith(("\t", "    ")) and current and line.strip():
                for name in current:
                    recipes[name].append(Command(path, number, line.strip().lstrip("@-")))
            elif line.strip() and not line.startswith(("\t", " ")):
                current = []
        wanted = targets or order[:1]
        out: list[Command] = []
        seen: set[str] = set()
        while wanted:
            name = wanted.pop(0)
            if name in seen:
                continue
            seen.add(name)
            if name not in recipes:
                commands, more = _pattern_rule(name, recipes, prereqs)
                out.extend(commands)
                wanted.extend(more)
                continue
            out.extend(recipes.get(name, []))
            wanted.extend(prereqs.get(name, []))
        return out

    def _package_scripts(self) -> dict[str, tuple[str, int, str]]:
        scripts: dict[str, tuple[str, int, str]] = {}
        for path in sorted(self.repo.named("package.json"), key=len):
            data = self.data.json(path)
            if not isinstance(data, dict) or not isinstance(data.get("scripts"), dict):
                continue
            for name, command in data["scripts"].items():
                line = self.repo.line_of(path, rf'"{re.escape(name)}"\s*:')
                scripts.setdefault(name, (path, line, str(command)))
        return scripts

    def _taskfile(self) -> str:
        """The go-task file at the root (``task NAME`` runs its tasks), or ''."""
        for name in ("Taskfile.yml", "Taskfile.yaml", "taskfile.yml", "taskfile.yaml"):
            if name in self.repo.by_path:
                return name
        return ""

    def _task_commands(self, path: str, names: list[str]) -> list[Command]:
        """The ``cmds`` of go-task tasks, following ``deps`` and ``task:`` calls."""
        docs = self.data.yaml_docs(path)
        tasks = docs[0].get("tasks") if docs and isinstance(docs[0], dict) else None
        if not isinstance(tasks, dict):
            return []
        out: list[Command] = []
        wanted, seen = list(names), set()
        while wanted:
            name = wanted.pop(0)
            task = tasks.get(name)
            if name in seen or task is None:
                continue
            seen.add(name)
            if isinstance(task, str | list):
                task = {"cmds": task if isinstance(task, list) else [task]}
            if not isinstance(task, dict):
                continue
            for dep in task.get("deps") or []:
                wanted.append(str(dep.get("task")) if isinstance(dep, dict) else str(dep))
            for item in task.get("cmds") or []:
                if isinstance(item, dict) and isinstance(item.get("task"), str):
                    wanted.append(item["task"])
                    continue
                text = item.get("cmd") if isinstance(item, dict) else item
                if isinstance(text, str) and text.strip():
                    first = text.strip().splitlines()[0]
                    line = self.repo.line_of(path, re.escape(first[:60]))
                    out.append(Command(path, line, text.strip()))
        return out

    def _workspace_scripts(self, tool: str, words: list[str]) -> list[Command]:
        """What a monorepo task runner runs: the script of that name in every package
        (``turbo test``, ``turbo run test``, ``lerna run test``, ``nx run-many -t test``)."""
        args = [w for w in words if not w.startswith("-")]
        if tool == "nx":
            target = _flag(words, "-t") or _flag(words, "--target") or _flag(words, "--targets")
            names = target.split(",") if target else args[1:2] if args[:1] == ["run"] else []
            if not names and args:
                names = [args[0].split(":")[-1]]
        else:
            names = args[1:2] if args[:1] == ["run"] else args[:1]
        out: list[Command] = []
        for path in sorted(self.repo.named("package.json")):
            data = self.data.json(path)
            scripts = data.get("scripts") if isinstance(data, dict) else None
            if not isinstance(scripts, dict):
                continue
            for name in names:
                if isinstance(scripts.get(name), str) and path != "package.json":
                    line = self.repo.line_of(path, rf'"{re.escape(name)}"\s*:')
                    out.append(Command(path, line, scripts[name]))
        return out

    def _package_script(self, args: list[str], tool: str = "npm") -> list[Command]:
        if not args:
            return []
        # npm runs a script only through `run` and its lifecycle shorthands: `npm ci` is the
        # clean install, never a script named "ci" (yarn and pnpm fall back to scripts).
        if tool == "npm" and args[0] not in _NPM_SCRIPT_COMMANDS:
            return []
        at = 1 if args[0] in ("run", "run-script") and len(args) > 1 else 0
        name = {"t": "test", "tst": "test"}.get(args[at], args[at])
        # `npm start test`: npm passes the words after the script's name on to it.
        extra = [a for a in args[at + 1 :] if re.fullmatch(r"[\w.:-]+", a)]
        scripts = self.package_scripts()
        out = []
        for candidate in (f"pre{name}", name):
            if candidate in scripts:
                path, line, command = scripts[candidate]
                if candidate == name and extra:
                    command = f"{command} {' '.join(extra)}"
                out.append(Command(path, line, command))
        return out

    def _nps(self, names: list[str]) -> list[Command]:
        """What nps (package-scripts.js) runs for ``test.unit``-style names: the quoted
        commands in the named block of the scripts object, by indentation; ``default`` when
        no name is given. Descriptions are not commands."""
        path = next((p for p in _NPS_FILES if p in self.repo.by_path), None)
        if path is None:
            return []
        lines = self.repo.lines(path)
        out: list[Command] = []
        for name in (names or ["default"])[:3]:
            start, end = 0, len(lines)
            for part in name.split("."):
                found = _block(lines, start, end, part)
                if found is None:
                    break
                start, end = found
            else:
                # `nps test` runs test.default (or test.script), not every script under it.
                for key in ("default", "script"):
                    inner = _block(lines, start + 1, end, key)
                    if inner is not None:
                        start, end = inner
                        break
                for number in range(start, end):
                    line = lines[number]
                    if re.match(r"\s*description\s*:", line):
                        continue
                    for command in re.findall(r"'([^']+)'|\"([^\"]+)\"|`([^`]+)`", line):
                        text = next(c for c in command if c)
                        out.append(Command(path, number + 1, text))
        return out

    def _tox_commands(self, envs: tuple[str, ...] = ()) -> list[Command]:
        """What tox runs, wherever tox reads its configuration: tox.ini, setup.cfg's
        ``[testenv]`` sections, or pyproject.toml (``[tool.tox]`` tables, tox 4.21+, or a
        ``legacy_tox_ini`` string). ``tox -e docs`` runs only ``[testenv:docs]`` (or the
        ``[testenv]`` base when that env has no section of its own)."""
        if envs and "tox.ini" in self.repo.by_path:
            chosen: list[Command] = []
            for env in envs:
                own = self._section_lines("tox.ini", f"[testenv:{env}]")
                chosen.extend(own or self._section_lines("tox.ini", "[testenv]"))
            if chosen:
                return chosen
        out = self._section_lines("tox.ini", "[testenv") + self._section_lines(
            "setup.cfg", "[testenv"
        )
        if "tox.toml" in self.repo.by_path:
            # tox 4.21+'s native TOML: the same tables as pyproject's [tool.tox], at the top.
            out += self._tox_toml(self.data.toml("tox.toml") or {}, "tox.toml")
        if "pyproject.toml" not in self.repo.by_path:
            return out
        tox = (self.data.toml("pyproject.toml") or {}).get("tool", {}).get("tox", {})
        if not isinstance(tox, dict):
            return out
        if isinstance(tox.get("legacy_tox_ini"), str):
            return out + self._section_lines("pyproject.toml", "[testenv")
        return out + self._tox_toml(tox, "pyproject.toml")

    def _tox_toml(self, tox: dict[str, Any], path: str) -> list[Command]:
        """The commands of tox's TOML tables: ``env_run_base`` and each ``env.<name>``."""
        out: list[Command] = []
        envs = [tox.get("env_run_base")]
        if isinstance(tox.get("env"), dict):
            envs.extend(tox["env"].values())
        for env in envs:
            if not isinstance(env, dict):
                continue
            for key in ("commands_pre", "commands", "commands_post"):
                for command in env.get(key) or []:
                    words = _tox_words(command) if isinstance(command, list) else []
                    if words:
                        line = self._line_after(path, key, words[0])
                        out.append(Command(path, line, " ".join(words)))
        return out

    def _line_after(self, path: str, key: str, word: str) -> int:
        """The line where ``word`` is quoted after a ``key =`` line (a TOML array of
        commands); else the key's line."""
        start = 0
        for number, line in enumerate(self.repo.lines(path), 1):
            if not start and re.match(rf"\s*{re.escape(key)}\s*=", line):
                start = number
            if start and re.search(rf"['\"]{re.escape(word)}['\"]", line):
                return number
        return start or 1

    def _section_lines(self, path: str, prefix: str) -> list[Command]:
        """What tox runs: the ``commands`` (and ``_pre``/``_post``) of the ``[testenv]``
        sections, and pytest options set through PYTEST_ADDOPTS; not descriptions or deps."""
        out: list[Command] = []
        inside, running = False, False
        for number, line in enumerate(self.repo.lines(path), 1):
            stripped = line.strip()
            if line.startswith("["):
                inside, running = line.startswith(prefix), False
                continue
            if not inside or not stripped or stripped.startswith(("#", ";")):
                continue
            key = re.match(r"([\w-]+)\s*=\s*(.*)$", line)
            if key:
                running = key.group(1) in ("commands", "commands_pre", "commands_post")
                value = key.group(2).strip()
                if running and value:
                    out.append(Command(path, number, value))
                continue
            if running or "ADDOPTS" in stripped:
                out.append(Command(path, number, stripped))
        return out

    def _matching_lines(self, path: str, pattern: str) -> list[Command]:
        rx = compiled(pattern)
        return [
            Command(path, n, s.strip())
            for n, s in enumerate(self.repo.lines(path), 1)
            if rx.search(s)
        ]

    def _precommit_hooks(self, path: str, runner: str = "") -> list[Command]:
        """The hooks of a .pre-commit-config.yaml (their ids, and local hooks' entries).

        pre-commit.ci leaves out the hooks its ``ci: skip:`` list names.
        """
        skip: set[str] = set()
        if runner:
            for doc in self.data.yaml_docs(path):
                ci = doc.get("ci") if isinstance(doc, dict) else None
                if isinstance(ci, dict) and isinstance(ci.get("skip"), list):
                    skip = {str(s) for s in ci["skip"]}
        found = []
        for c in self._matching_lines(path, r"^\s*-?\s*(id|entry):"):
            text = c.text.removeprefix("-").strip()
            if text.removeprefix("id:").strip() in skip:
                continue
            if text.startswith("entry:"):
                # A local hook's entry is the command it runs (pydantic-settings: `entry:
                # make lint`, which runs ruff check and ruff format --check).
                text = text.removeprefix("entry:").strip().strip("'\"")
            found.append(replace(c, text=text, runner=runner))
        return found

    # --- what build tools run -----------------------------------------------------------------

    def _maven(self, args: list[str]) -> list[Command]:
        """Plugins bound to the phases ``mvn`` reaches (``verify`` runs everything before it)."""
        reached = [MAVEN_PHASES.index(a) for a in args if a in MAVEN_PHASES]
        if not reached:
            return []
        last = max(reached)
        return [c for phase, c in self._maven_plugins() if MAVEN_PHASES.index(phase) <= last]

    def _maven_plugins(self) -> list[tuple[str, Command]]:
        return self.repo.memo("ci-maven-plugins", self._read_maven_plugins)

    def _read_maven_plugins(self) -> list[tuple[str, Command]]:
        out: list[tuple[str, Command]] = []
        for path in self.repo.named("pom.xml"):
            try:
                root = ET.fromstring(self.repo.text(path))
            except ET.ParseError:
                continue
            build = _child(root, "build")
            plugins = _child(build, "plugins") if build is not None else None
            # The compiler plugin runs in every build: its managed configuration (a parent
            # pom's pluginManagement) applies to every module even unlisted.
            managed = _child(build, "pluginManagement") if build is not None else None
            managed_plugins = _child(managed, "plugins") if managed is not None else None
            compilers = [
                p
                for p in (list(managed_plugins) if managed_plugins is not None else [])
                if _text(_child(p, "artifactId")) == "maven-compiler-plugin"
            ]
            for plugin in [*(list(plugins) if plugins is not None else []), *compilers]:
                artifact = _text(_child(plugin, "artifactId"))
                line = self.repo.line_of(path, rf"<artifactId>\s*{re.escape(artifact)}\s*<")
                if artifact == "maven-compiler-plugin" and re.search(
                    r"error_prone|errorprone|ErrorProne", ET.tostring(plugin, encoding="unicode")
                ):
                    text = "error-prone (javac plugin of maven-compiler-plugin)"
                    out.append(("compile", Command(path, line, text)))
                executions = _child(plugin, "executions")
                for execution in list(executions) if executions is not None else []:
                    bound = _text(_child(execution, "phase"))
                    goals = _child(execution, "goals")
                    for goal in [_text(g) for g in (list(goals) if goals is not None else [])]:
                        if (artifact, goal) not in MAVEN_GOALS:
                            continue
                        phase = bound or MAVEN_GOALS[(artifact, goal)]
                        if phase not in MAVEN_PHASES:
                            continue
                        text = f"{artifact}:{goal} (bound to the Maven {phase} phase)"
                        if artifact == "maven-checkstyle-plugin":
                            config = _text(_find(execution, "configLocation")) or _text(
                                _find(plugin, "configLocation")
                            )
                            if self._nohttp_only(path, config):
                                text = f"nohttp:check (bound to the Maven {phase} phase)"
                        out.append((phase, Command(path, line, text)))
        return out

    def _nohttp_only(self, build_file: str, config: str) -> bool:
        """Whether a Checkstyle configuration has no rule but NoHttp (it flags http:// URLs)."""
        base = PurePosixPath(build_file).parent
        name = config.replace("${basedir}/", "").replace("${project.basedir}/", "")
        path = str(base / name) if str(base) != "." else name
        if path not in self.repo.by_path:
            return False
        modules = set(re.findall(r"<module\s+name=\"([\w.]+)\"", self.repo.text(path)))
        rules = {m for m in modules if m.rsplit(".", 1)[-1] not in _CHECKSTYLE_PLUMBING}
        return bool(rules) and all("NoHttp" in m for m in rules)

    def _gradle(self, args: list[str]) -> list[Command]:
        """Checks that Gradle's ``check`` (and so ``build``) runs; all of them for ``[]``."""
        tasks = {a.split(":")[-1] for a in args}
        out: list[Command] = []
        for path in self.repo.named("build.gradle", "build.gradle.kts"):
            text = self.repo.text(path)
            # Script plugins the build applies (`apply from: 'test.gradle'`, `apply from:
            # "$rootDir/gradle/quality.gradle"`) are part of it: realworld-springboot-java
            # chains jacocoTestReport after test there. A plugin is cited where it is applied.
            sources = [path, *_gradle_scripts(self.repo, path, text)]
            text = "\n".join(self.repo.text(p) for p in sources)
            # retrofit: `plugins.apply('com.diffplug.spotless')` for each subproject.
            applied = re.findall(
                r"(?:\bid\s*\(?\s*|apply\s+plugin:\s*|plugins\.apply\(\s*)['\"]([\w.-]+)['\"]|"
                r"^\s*`?(checkstyle|pmd|jacoco|codenarc)`?\s*$",
                text,
                re.MULTILINE,
            )
            for plugin in {a or b for a, b in applied}:
                declared = (
                    rf"(id|plugin:|plugins\.apply)\s*\(?\s*['\"]{re.escape(plugin)}['\"]|"
                    rf"^\s*`?{re.escape(plugin)}`?\s*$"
                )
                where = next(
                    (p for p in sources if re.search(declared, self.repo.text(p), re.M)), path
                )
                line = self.repo.line_of(where, declared)
                if plugin == "jacoco":
                    if re.search(r"finalizedBy\W+(tasks\.)?jacocoTestReport", text) and (
                        not args or tasks & {"test", "check", "build"}
                    ):
                        out.append(Command(where, line, "jacocoTestReport (run after test)"))
                    continue
                if plugin not in GRADLE_PLUGINS or (args and not tasks & GRADLE_CHECK_TASKS):
                    continue
                name = GRADLE_PLUGINS[plugin]
                if plugin == "checkstyle":
                    m = re.search(r"configFile\s*=\s*(?:project\.)?file\(['\"]([^'\"]+)", text)
                    if m and self._nohttp_only(path, m.group(1)):
                        name = "nohttp"
                out.append(Command(where, line, f"{name} (run by gradle check)"))
        return out

    def _golangci_formatters(self, segment: str) -> list[Command]:
        """The formatters golangci-lint checks (v2 ``formatters``, v1 gofmt-like linters),
        unless the run never fails (``--issues-exit-code=0``)."""
        if re.search(r"--issues-exit-code[= ]0\b", segment):
            return []
        out: list[Command] = []
        for path in self.repo.named(*_GOLANGCI):
            config = self._config(path)
            if not isinstance(config, dict):
                continue
            formatters = config.get("formatters") or {}
            linters = config.get("linters") or {}
            names = list(formatters.get("enable") or []) if isinstance(formatters, dict) else []
            if isinstance(linters, dict) and str(config.get("version", "1")) == "1":
                enabled = [str(n) for n in linters.get("enable") or []]
                if linters.get("enable-all"):
                    disabled = {str(n) for n in linters.get("disable") or []}
                    enabled = [n for n in _GO_FORMATTERS if n not in disabled]
                names += [n for n in enabled if n in _GO_FORMATTERS]
            for name in dict.fromkeys(str(n) for n in names):
                line = self.repo.line_of(path, rf"^\s*-\s*['\"]?{re.escape(name)}\b")
                out.append(Command(path, line, f"{name} (a formatter golangci-lint enforces)"))
        return out

    def _golangci_security(self, segment: str) -> list[Command]:
        """gosec, when the golangci-lint configuration enables it (by name, or every linter
        and not disabled), unless the run never fails (``--issues-exit-code=0``)."""
        if re.search(r"--issues-exit-code[= ]0\b", segment):
            return []
        out: list[Command] = []
        for path in self.repo.named(*_GOLANGCI):
            config = self._config(path)
            linters = config.get("linters") if isinstance(config, dict) else None
            if not isinstance(linters, dict):
                continue
            enabled = {str(n) for n in linters.get("enable") or []}
            disabled = {str(n) for n in linters.get("disable") or []}
            everything = linters.get("enable-all") is True or linters.get("default") == "all"
            if "gosec" in disabled or not ("gosec" in enabled or everything):
                continue
            line = self.repo.line_of(path, r"^\s*-\s*['\"]?gosec\b") or 1
            out.append(Command(path, line, "gosec (a linter golangci-lint runs)"))
        return out

    def _eslint_security(self) -> list[Command]:
        """eslint-plugin-security's rules, when the ESLint configuration turns them on: its
        presets or a rule in .eslintrc/package.json, the plugin imported by a flat config."""
        rules = r"plugin:security/|['\"]security/detect-[\w-]+['\"]\s*:\s*(?!['\"]?(off|0)\b)"
        out: list[Command] = []
        paths = self.repo.named(*_ESLINT_CONFIGS) + self.repo.named("package.json")
        for path in paths:
            lines = self.repo.lines(path)
            start = 0
            rx = re.compile(rules)
            if path.endswith("package.json"):  # only its eslintConfig, not its dependencies
                start = next((i for i, t in enumerate(lines) if '"eslintConfig"' in t), len(lines))
            elif path.rsplit("/", 1)[-1].startswith("eslint.config"):
                rx = re.compile(rules + r"|['\"]eslint-plugin-security['\"]")
            for number, line in enumerate(lines[start:], start + 1):
                if line.strip().startswith(("//", "#", "*", "/*")):
                    continue
                if rx.search(line):
                    out.append(Command(path, number, "eslint-plugin-security (run by eslint)"))
                    break
        return out

    def _eslint_prettier(self) -> list[Command]:
        """Prettier run as an ESLint rule (eslint-plugin-prettier): formatting fails lint."""
        rx = re.compile(
            r"plugin:prettier/recommended|eslint-plugin-prettier/recommended|"
            r"['\"]prettier/prettier['\"]\s*:\s*(?!['\"]?(off|0)\b)"
        )
        out: list[Command] = []
        paths = self.repo.named(*_ESLINT_CONFIGS) + self.repo.named("package.json")
        for path in paths:
            if path.endswith("package.json") and '"eslintConfig"' not in self.repo.text(path):
                continue
            for number, line in enumerate(self.repo.lines(path), 1):
                if line.strip().startswith(("//", "#", "*", "/*")):
                    continue
                if rx.search(line):
                    text = "prettier --check (run by eslint-plugin-prettier)"
                    out.append(Command(path, number, text))
                    break
        return out

    def _eslint_style(self) -> list[Command]:
        """A style guide's rules (airbnb, standard, xo, google, @antfu) or @stylistic's, when
        the ESLint configuration extends them: indent, quotes, semi and max-len make badly
        formatted code fail lint, unless eslint-config-prettier switches them off."""
        guide = re.compile(
            r"['\"](?:eslint-config-)?(airbnb(?:-base|-typescript)?|standard(?:-with-typescript)?|"
            r"semistandard|neostandard|xo(?:-typescript)?|google)['\"/]|"
            r"['\"]@antfu(?:/eslint-config)?['\"]"
        )
        stylistic = re.compile(r"['\"](?:plugin:)?@stylistic/")
        off = re.compile(r"['\"](?:eslint-config-)?prettier['\"/]")
        out: list[Command] = []
        paths = self.repo.named(*_ESLINT_CONFIGS) + self.repo.named("package.json")
        for path in paths:
            lines = list(self.repo.lines(path))
            start = 0
            if path.endswith("package.json"):  # only its eslintConfig, not its dependencies
                start = next((i for i, t in enumerate(lines) if '"eslintConfig"' in t), len(lines))
            code = [
                (number, line)
                for number, line in enumerate(lines[start:], start + 1)
                if not line.strip().startswith(("//", "#", "*", "/*"))
            ]
            switched_off = any(off.search(line) for _, line in code)
            for number, line in code:
                m = stylistic.search(line) or (None if switched_off else guide.search(line))
                if m:
                    name = m.group(1) if m.re is guide else "@stylistic"
                    name = name or m.group(0).strip("'\"")
                    text = f"eslint style rules of {name} (formatting fails lint)"
                    out.append(Command(path, number, text))
                    break
        return out

    def _lint_staged(self) -> list[Command]:
        """The commands lint-staged runs on staged files (package.json or its own config)."""
        out: list[Command] = []
        for path in self.repo.named("package.json"):
            data = self.data.json(path)
            staged = data.get("lint-staged") if isinstance(data, dict) else None
            if isinstance(staged, dict):
                for value in staged.values():
                    for command in value if isinstance(value, list) else [value]:
                        if isinstance(command, str):
                            line = self.repo.line_of(path, re.escape(_json_string(command)))
                            out.append(Command(path, line, command))
        for path in self.repo.named(*_LINT_STAGED):
            if path.endswith(("js", "cjs", "mjs")):
                for c in self._matching_lines(path, r"['\"`][^'\"`]*\w[^'\"`]*['\"`]"):
                    if c.text.startswith(("//", "*", "/*", "import", "module.exports")):
                        continue
                    # `'**/*.{ts,tsx}': 'npm run lint:staged',` (documenso): the glob is
                    # the key, the commands are the quoted values after it.
                    entry = _STAGED_ENTRY.match(c.text)
                    if entry is None:
                        out.append(c)
                        continue
                    out.extend(
                        replace(c, text=value)
                        for value in re.findall(r"['\"`]([^'\"`]+)['\"`]", entry.group(1))
                    )
                continue
            for doc in self.data.yaml_nodes(path):
                for node in _scalars(doc, values_only=True):
                    for line, text in _scalar_lines(node):
                        out.append(Command(path, line, text))
        return out

    def _config(self, path: str) -> Any:
        if path.endswith(".toml"):
            return self.data.toml(path)
        if path.endswith(".json"):
            return self.data.json(path)
        docs = self.data.yaml_docs(path)
        return docs[0] if docs else None

    # --- git hooks -----------------------------------------------------------------------------

    def _hook_commands(self) -> list[Command]:
        """Commands of the git hooks something installs on every clone."""
        scripts = self.package_scripts()
        installer = next(
            (
                (name, where)
                for name in ("prepare", "postinstall", "preinstall", "install")
                if (where := scripts.get(name)) and re.search(r"\bhusky\b", where[2])
            ),
            None,
        )
        out: list[Command] = []
        if installer:
            name, (path, line, _) = installer
            runner = f"git hook installed by the {name} script, {path}:{line}"
            for f in self.repo.files:
                p = PurePosixPath(f.path)
                if p.parent.name == ".husky" and p.name in ("pre-commit", "pre-push"):
                    out.extend(replace(c, runner=runner) for c in self._text_commands(f.path))
        for path in self.repo.named("package.json"):
            data = self.data.json(path)
            if not isinstance(data, dict):
                continue
            deps = {**(data.get("devDependencies") or {}), **(data.get("dependencies") or {})}
            husky = data.get("husky")
            if isinstance(husky, dict) and isinstance(husky.get("hooks"), dict) and "husky" in deps:
                # husky 4 installs the hooks its package.json section names on install.
                out.extend(self._json_hooks(path, husky["hooks"], "husky 4 hook"))
            simple = data.get("simple-git-hooks")
            if isinstance(simple, dict) and any(
                "simple-git-hooks" in s[2] for s in scripts.values()
            ):
                out.extend(self._json_hooks(path, simple, "simple-git-hooks hook"))
            if "lefthook" in deps:
                for config in self.repo.named("lefthook.yml", ".lefthook.yml", "lefthook.yaml"):
                    out.extend(self._lefthook(config))
            out.extend(self._npm_precommit(path, data, deps))
            hooks = data.get("gitHooks")
            cli = str(deps.get("@vue/cli-plugin-eslint", ""))
            if isinstance(hooks, dict) and (
                "yorkie" in deps or (cli and not re.match(r"[~^>=]*([5-9]|\d\d)", cli))
            ):
                # yorkie reads `gitHooks`; Vue CLI 3 and 4's eslint plugin installs it.
                out.extend(self._json_hooks(path, hooks, "yorkie hook"))
        return out

    def _npm_precommit(
        self, path: str, data: dict[str, Any], deps: dict[str, Any]
    ) -> list[Command]:
        """The hook of the ``pre-commit`` npm package: on install it hooks git to run the npm
        scripts its ``pre-commit``/``precommit`` key names (``npm test`` when none)."""
        if "pre-commit" not in deps:
            return []
        key = next((k for k in ("pre-commit", "precommit") if k in data), "")
        names = data.get(key) if key else "test"
        if isinstance(names, dict):
            names = names.get("run", "test")
        if isinstance(names, str):
            names = [n.strip() for n in names.split(",")]
        if not isinstance(names, list):
            return []
        line = self.repo.line_of(path, rf'"{key}"\s*:') if key else 1
        runner = f"git hook of the pre-commit package, {path}:{line}"
        return [
            Command(path, line, f"npm run {name}", runner=runner)
            for name in names
            if isinstance(name, str) and name
        ]

    def _json_hooks(self, path: str, hooks: dict[str, Any], runner: str) -> list[Command]:
        out = []
        for hook, command in hooks.items():
            if hook in ("pre-commit", "pre-push") and isinstance(command, str):
                line = self.repo.line_of(path, rf'"{re.escape(hook)}"\s*:')
                out.append(Command(path, line, command, runner=f"{runner}, {path}:{line}"))
        return out

    def _lefthook(self, path: str) -> list[Command]:
        out: list[Command] = []
        for doc in self.data.yaml_nodes(path):
            if not isinstance(doc, yaml.MappingNode):
                continue
            for key, value in doc.value:
                if getattr(key, "value", None) in ("pre-commit", "pre-push"):
                    for node in _scalars(value, keys=("run",)):
                        for line, text in _scalar_lines(node):
                            out.append(Command(path, line, text, runner="lefthook hook"))
        return out

    # --- scope and triggers ----------------------------------------------------------------

    def _concerns(self, cmd: Command) -> bool:
        """Whether a CI command applies to the assessed scope of a monorepo.

        A command read from a file in the scope, or naming the scope, applies; one that names
        a sibling package (``make -C services/worker test``) does not; a generic one does.
        """
        scope = self.repo.scope
        if not scope or self.repo.in_scope(cmd.path):
            return True
        scope = scope.strip("/")
        text = " ".join((*cmd.trail, cmd.text))
        if scope in text:
            return True
        return not any(
            re.search(rf"(^|[\s/=:.]){re.escape(other)}(/|\s|$)", text)
            for other in self.repo.memo("scope-siblings", self._siblings)
        )

    def _siblings(self) -> set[str]:
        scope = PurePosixPath((self.repo.scope or "").strip("/"))
        parent = scope.parent
        depth = len(parent.parts)
        found = set()
        for f in self.repo.files:
            parts = PurePosixPath(f.path).parts
            if len(parts) > depth + 1 and tuple(parts[:depth]) == parent.parts:
                candidate = str(PurePosixPath(*parts[: depth + 1]))
                if candidate != str(scope) and not candidate.startswith("."):
                    found.add(candidate)
        return found

    def _triggers(self) -> dict[str, tuple[str, int]]:
        events: dict[str, tuple[str, int]] = {}
        for path in self.files:
            docs = self.data.yaml_nodes(path) if path.endswith((".yml", ".yaml")) else []
            for doc in docs:
                if not isinstance(doc, yaml.MappingNode):
                    continue
                for key, value in doc.value:
                    if getattr(key, "value", None) not in ("on", "true", "True"):
                        continue
                    line = key.start_mark.line + 1
                    if isinstance(value, yaml.ScalarNode):
                        events.setdefault(str(value.value), (path, line))
                    elif isinstance(value, yaml.SequenceNode):
                        for item in value.value:
                            events.setdefault(str(item.value), (path, item.start_mark.line + 1))
                    elif isinstance(value, yaml.MappingNode):
                        for k, _ in value.value:
                            events.setdefault(str(k.value), (path, k.start_mark.line + 1))
            if not path.startswith((".github/", ".ci/")):
                # GitLab, CircleCI, Jenkins, Azure, pre-commit.ci... build merge requests.
                events.setdefault("pull_request", (path, 1))
        return events


# Commands whose arguments are paths or text, never a program they run.
_NOT_RUNNING = re.compile(
    r"^\s*(sudo\s+)?(rm|rmdir|del|rd|mkdir|touch|cp|mv|ls|cat|chmod|chown|echo|printf|"
    r"git\s+clean)(\s|$)"
)


def _poe_commands(tasks: dict[str, Any], name: str, depth: int = 0) -> list[str]:
    """The commands a poethepoet task runs: a string is a command; a table runs its
    ``cmd``/``shell``/``script``, or its ``sequence`` (items of ``default_item_type``),
    or refers to another task (``ref``); a list is a sequence whose strings name other
    tasks (jrnl: ``test = ["lint", "test-run"]``, ``test-run = [{cmd = "tox -e py"}]``)."""
    task = tasks.get(name)
    if depth > 5 or task is None:
        return []

    def item(value: Any, kind: str) -> list[str]:
        if isinstance(value, str):
            return _poe_commands(tasks, value, depth + 1) if kind == "ref" else [value]
        if isinstance(value, dict):
            for key in ("cmd", "shell", "script", "ref"):
                if isinstance(value.get(key), str):
                    return item(value[key], key)
            if isinstance(value.get("sequence"), list):
                inner = str(value.get("default_item_type", "ref"))
                return [c for v in value["sequence"] for c in item(v, inner)]
        if isinstance(value, list):
            return [c for v in value for c in item(v, "ref")]
        return []

    return item(task, "cmd")


def _gradle_scripts(repo: RepoView, build: str, text: str) -> list[str]:
    """The script plugins a Gradle build applies (`apply from: 'x.gradle'`, relative to the
    build file or to `$rootDir`), outside comments, that the repository holds."""
    folder = PurePosixPath(build).parent
    found = []
    for line in text.splitlines():
        if line.lstrip().startswith(("//", "/*", "*")):
            continue
        m = re.search(r"apply\s*\(?\s*from\s*[:=]\s*['\"]([^'\"]+)['\"]", line)
        if m is None:
            continue
        script = re.sub(r"^\$\{?rootDir\}?/", "", m.group(1))
        relative = script != m.group(1)
        joined = script if relative or str(folder) == "." else f"{folder}/{script}"
        applied = posixpath.normpath(joined)
        if applied in repo.by_path and applied not in found:
            found.append(applied)
    return found


# A tool asked for its version or help and nothing else, perhaps through a runner.
_ONLY_ASKS = re.compile(
    r"\s*((uv|poetry|pdm|hatch|pipenv|rye)\s+run|npx|pnpx|bunx|pnpm\s+exec|yarn|"
    r"(npm|pnpm)\s+exec)?\s*\S+\s+(--version|--help)\s*"
)


def _matches(pattern: str, text: str) -> bool:
    """Whether ``text`` runs what ``pattern`` names.

    In an install (``pip install pytest-cov``, ``uv add ruff``, ``curl URL``) the packages
    and URLs it names are not run; its own flags (``--frozen-lockfile``) still describe it.
    """
    rx = compiled(pattern)
    if not rx.search(text):
        return False
    for part in re.split(r"&&|\|\||;", text):
        if _NOT_RUNNING.match(part):
            continue  # `rm -rf .mypy_cache/`: the tool's name is in a path, nothing runs it
        if _ONLY_ASKS.fullmatch(part):
            # `ruff --version`, `uv run prettier --version` print a version; `ruff check .`
            # runs the linter (and `ctest -V`, `mvn verify -V` run, verbosely).
            continue
        install = compiled(INSTALL).search(part)
        for m in rx.finditer(part):
            if not install or m.start() < install.end():
                return True
            word = part.rfind(" ", 0, m.start() + 1) + 1
            if part[word:].startswith("-"):
                return True
    return False


def _disabled(keys: dict[str, yaml.Node]) -> bool:
    """A job or step that never runs: ``if: false`` (GitHub), ``when: never`` (GitLab)."""
    cond, when = keys.get("if"), keys.get("when")
    if isinstance(cond, yaml.ScalarNode) and str(cond.value).strip().lower() in _DISABLED:
        return True
    return isinstance(when, yaml.ScalarNode) and str(when.value).strip() == "never"


def _may_fail(keys: dict[str, yaml.Node]) -> bool:
    """A job or step whose failure does not fail the build: ``continue-on-error: true``
    (GitHub), ``allow_failure: true`` (GitLab). An expression (``${{ matrix.experimental
    }}``) may be false, so only the literal counts."""
    return any(
        isinstance(node := keys.get(name), yaml.ScalarNode)
        and str(node.value).strip().lower() == "true"
        for name in ("continue-on-error", "allow_failure")
    )


def _inputs(node: yaml.Node | None) -> tuple[tuple[str, str], ...]:
    if not isinstance(node, yaml.MappingNode):
        return ()
    return tuple(
        (str(k.value), str(v.value))
        for k, v in node.value
        if isinstance(k, yaml.ScalarNode) and isinstance(v, yaml.ScalarNode)
    )


def _holds(condition: str | None, inputs: dict[str, str]) -> bool:
    if condition is None:
        return True
    if "~" in condition:
        # name~text: the input holds the text (docker/bake-action's `set:` lines with
        # `*.output=type=image,...,push=true`).
        name, text = condition.split("~", 1)
        return text in inputs.get(name, "")
    if "!=" in condition:
        name, value = condition.split("!=", 1)
        return inputs.get(name, "").strip() != value
    if "=" in condition:
        name, value = condition.split("=", 1)
        return inputs.get(name, "").strip() == value
    value = inputs.get(condition, "").strip().lower()
    return bool(value) and value not in ("false", "0", "no")


def _cloudbuild_step(
    path: str, node: yaml.MappingNode, keys: dict[str, yaml.Node]
) -> list[Command]:
    """A Cloud Build step as the command it runs: its entrypoint (or the builder image's)
    with its args; ``bash -c SCRIPT`` runs the script's lines."""
    entry_node, args_node, image = keys.get("entrypoint"), keys.get("args"), keys.get("name")
    entry = str(entry_node.value).strip() if isinstance(entry_node, yaml.ScalarNode) else ""
    if not entry and isinstance(image, yaml.ScalarNode):
        base = str(image.value).split("@")[0].rsplit("/", 1)[-1].split(":")[0]
        entry = _BUILDERS.get(base, "")
    args: list[yaml.ScalarNode] = []
    if isinstance(args_node, yaml.SequenceNode):
        args = [a for a in args_node.value if isinstance(a, yaml.ScalarNode)]
    elif isinstance(args_node, yaml.ScalarNode):
        args = [args_node]
    line = (entry_node or args_node or node).start_mark.line + 1
    if entry in ("bash", "sh", "/bin/bash", "/bin/sh") and len(args) > 1 and args[0].value == "-c":
        return [Command(path, n, t) for n, t in _scalar_lines(args[1])]
    words = [entry, *(shlex.quote(str(a.value)) for a in args)]
    text = " ".join(w for w in words if w)
    return [Command(path, line, text)] if text else []


def _pushed_images(path: str, node: yaml.Node) -> list[Command]:
    """Cloud Build pushes the images its top-level ``images:`` lists when the build succeeds."""
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    return [
        Command(path, i.start_mark.line + 1, f"docker push {i.value}", runner="Cloud Build images")
        for i in items
        if isinstance(i, yaml.ScalarNode)
    ]


def _deploy_providers(path: str, kind: str, node: yaml.Node) -> list[Command]:
    """Travis CI's and AppVeyor's ``deploy:`` providers (GitHub releases, npm, PyPI...)."""
    entries = node.value if isinstance(node, yaml.SequenceNode) else [node]
    out = []
    for entry in entries:
        if not isinstance(entry, yaml.MappingNode):
            continue
        for key, value in entry.value:
            if getattr(key, "value", None) == "provider" and isinstance(value, yaml.ScalarNode):
                provider = str(value.value).strip()
                if provider.lower() in DOC_PROVIDERS:
                    continue
                tool = "dpl" if kind == "travis" else "appveyor deploy"
                text = f"{tool} --provider={provider}"
                out.append(Command(path, key.start_mark.line + 1, text))
    return out


def _has_key(node: yaml.Node, name: str) -> bool:
    if isinstance(node, yaml.MappingNode):
        return any(getattr(k, "value", None) == name or _has_key(v, name) for k, v in node.value)
    if isinstance(node, yaml.SequenceNode):
        return any(_has_key(item, name) for item in node.value)
    return False


def _scalars(
    node: yaml.Node, keys: tuple[str, ...] = (), values_only: bool = False
) -> list[yaml.ScalarNode]:
    """Scalar values under ``node`` (only under ``keys`` when given; mapping values only)."""
    out: list[yaml.ScalarNode] = []

    def walk(n: yaml.Node, key: str | None) -> None:
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                walk(v, str(getattr(k, "value", "")))
        elif isinstance(n, yaml.SequenceNode):
            for item in n.value:
                walk(item, key)
        elif (
            isinstance(n, yaml.ScalarNode)
            and (not keys or key in keys)
            and (key is not None or not values_only)
        ):
            out.append(n)

    walk(node, None)
    return out


def _child(node: ET.Element | None, name: str) -> ET.Element | None:
    """The first child named ``name``, whatever its XML namespace."""
    if node is None:
        return None
    return next((c for c in node if c.tag.rsplit("}", 1)[-1] == name), None)


def _find(node: ET.Element, name: str) -> ET.Element | None:
    return next((c for c in node.iter() if c.tag.rsplit("}", 1)[-1] == name), None)


def _text(node: ET.Element | None) -> str:
    return (node.text or "").strip() if node is not None else ""


def _json_string(text: str) -> str:
    """``text`` as it is written inside a JSON string (quotes and backslashes escaped)."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _scalar_lines(node: yaml.ScalarNode) -> list[tuple[int, str]]:
    """The lines of a scalar with their file line numbers; a line ending in ``\\`` is
    continued by the next, as the shell reads it."""
    block = node.style in ("|", ">")
    base = node.start_mark.line + 1 + (1 if block else 0)
    out: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    names: dict[str, str] = {}
    for offset, raw in enumerate(str(node.value).split("\n")):
        text = raw.strip()
        if pending is not None:
            text = f"{pending[1]} {text}".strip()
            number = pending[0]
            pending = None
        else:
            number = base + (offset if block else 0)
        if text.endswith("\\"):
            pending = (number, text[:-1].rstrip())
            continue
        # `RUNNER=cargo` then `$RUNNER test`: a plain word the block assigns stands in for
        # its name in the lines after (the first value: a conditional reassignment, `[ ... ]
        # && RUNNER=cross`, picks another runner of the same command).
        assigned = re.fullmatch(r"(?:export\s+)?([A-Za-z_]\w*)=([\w./:-]+)", text)
        if assigned:
            names.setdefault(assigned.group(1), assigned.group(2))
        for name, value in names.items():
            text = re.sub(rf"\$\{{?{name}\}}?(?!\w)", value, text)
        if text:
            out.append((number, text))
    if pending is not None and pending[1]:
        out.append(pending)
    return out


# `echo "CARGO=cross" >> $GITHUB_ENV`: a later step's $CARGO is that word.
_GITHUB_ENV = re.compile(r"""echo\s+["']?(\w+)=([\w./-]+)["']?\s*>>\s*["']?\$\{?GITHUB_ENV\}?""")
# A plain word, or a command with its options (jjwt's `MVN_CMD: ./mvnw --no-transfer-progress
# -B`, then `run: ${{env.MVN_CMD}} verify`).
_ENV_ENTRY = re.compile(r"""^\s+(\w+):\s*["']?([\w./-]+(?:\s+--?[\w.=-]+)*)["']?\s*$""")


def _workflow_names(text: str) -> dict[str, str]:
    """Variables a workflow sets to a plain word, from ``env:`` blocks and ``$GITHUB_ENV``
    (sd's test job sets CARGO to cargo or cross, then runs ``$CARGO test``). The first
    value wins: either value is the same tool for what a command runs."""
    names: dict[str, str] = {}
    for m in _GITHUB_ENV.finditer(text):
        names.setdefault(m.group(1), m.group(2))
    lines = text.splitlines()
    for number, line in enumerate(lines):
        block = re.match(r"^(\s*)env:\s*$", line)
        if block is None:
            continue
        indent = len(block.group(1))
        for entry in lines[number + 1 :]:
            if entry.strip() and len(entry) - len(entry.lstrip()) <= indent:
                break
            entry_match = _ENV_ENTRY.match(entry)
            if entry_match:
                names.setdefault(entry_match.group(1), entry_match.group(2))
    return names


_MATRIX_REF = re.compile(r"\$\{\{\s*matrix\.([\w-]+)\s*\}\}")


def _matrix_values(docs: list[Any]) -> dict[str, list[str]]:
    """The plain values each ``strategy.matrix`` key of a workflow's jobs takes, from its
    lists and its ``include`` entries (tenacity's `task: check`, `task: lint`...)."""
    values: dict[str, list[str]] = {}

    def add(key: str, value: Any) -> None:
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            bucket = values.setdefault(key, [])
            if str(value) not in bucket:
                bucket.append(str(value))

    for doc in docs:
        jobs = doc.get("jobs") if isinstance(doc, dict) else None
        for job in (jobs or {}).values() if isinstance(jobs, dict) else []:
            strategy = job.get("strategy") if isinstance(job, dict) else None
            matrix = strategy.get("matrix") if isinstance(strategy, dict) else None
            if not isinstance(matrix, dict):
                continue
            for key, value in matrix.items():
                if key in ("include", "exclude"):
                    continue
                for item in value if isinstance(value, list) else []:
                    add(str(key), item)
            include = matrix.get("include")
            for entry in include if isinstance(include, list) else []:
                for key, value in entry.items() if isinstance(entry, dict) else []:
                    add(str(key), value)
    return values


def _expand_matrix(cmd: Command, matrix: dict[str, list[str]]) -> list[Command]:
    """One command per value of each matrix key it names (`poe ${{ matrix.task }}` runs
    `poe check`, `poe lint` and `poe mypy`), at most 32; unknown keys stay as written."""
    found = [k for k in dict.fromkeys(_MATRIX_REF.findall(cmd.text)) if k in matrix]
    texts = [cmd.text]
    for key in found:
        rx = re.compile(r"\$\{\{\s*matrix\." + re.escape(key) + r"\s*\}\}")
        texts = [rx.sub(v.replace("\\", "\\\\"), t) for t in texts for v in matrix[key]][:32]
    return [replace(cmd, text=t) for t in texts]


def _substitute(text: str, names: dict[str, str]) -> str:
    """``text`` with ``$NAME``, ``${NAME}`` and ``${{ env.NAME }}`` replaced by the word the
    workflow sets ``NAME`` to."""

    def value(m: re.Match[str]) -> str:
        return names.get(m.group(1) or m.group(2) or m.group(3), m.group(0))

    return re.sub(r"\$\{\{\s*env\.(\w+)\s*\}\}|\$\{(\w+)\}|\$(\w+)", value, text)


def _positional(line: str, args: list[str], names: dict[str, str]) -> str:
    """``line`` with $1..$9 (and names assigned from them, ``CROSS=$1``) replaced by the
    words the script was called with; ``names`` collects those assignments as lines pass."""
    assigned = re.match(r"\s*(?:local\s+|readonly\s+)?(\w+)=\$\{?(\d)\}?\s*$", line)
    if assigned and 0 < int(assigned.group(2)) <= len(args):
        names[assigned.group(1)] = args[int(assigned.group(2)) - 1]
    line = re.sub(
        r"\$\{?(\d)\}?",
        lambda m: args[int(m.group(1)) - 1] if 0 < int(m.group(1)) <= len(args) else m.group(0),
        line,
    )
    for name, value in names.items():
        line = re.sub(rf"\$\{{?{name}\}}?(?!\w)", value, line)
    return line


_NPS_FILES = ("package-scripts.js", "package-scripts.cjs", "package-scripts.mjs")


def _block(lines: Sequence[str], start: int, end: int, key: str) -> tuple[int, int] | None:
    """The lines of ``key:`` (its own line and those indented under it) in [start, end)."""
    rx = re.compile(rf"^(\s*)['\"]?{re.escape(key)}['\"]?\s*:")
    for number in range(start, end):
        m = rx.match(lines[number])
        if m is None:
            continue
        indent = len(m.group(1))
        stop = number + 1
        while stop < end and (
            not lines[stop].strip() or len(lines[stop]) - len(lines[stop].lstrip()) > indent
        ):
            stop += 1
        return number, stop
    return None


def _tox_words(command: list[Any]) -> list[str]:
    """The words of one tox TOML command: strings, and the defaults of a ``{replace =
    "posargs", default = [...]}`` table (what runs when no arguments are given)."""
    words: list[str] = []
    for word in command:
        if isinstance(word, str):
            words.append(word)
        elif isinstance(word, dict) and isinstance(word.get("default"), list):
            words.extend(w for w in word["default"] if isinstance(w, str))
    return words


def _runs_script(before: list[str]) -> bool:
    """Whether the words before a file name hand it to an interpreter (`bash -xe`,
    `$(BASH) -xe`, `sh`), so that the file is a script that runs."""
    words = [w for w in before if not w.startswith("-")]
    if not words:
        return False
    last = words[-1]
    return PurePosixPath(last).name in _INTERPRETERS or bool(
        re.fullmatch(r"\$[({]?(BASH|SHELL|SH)[)}]?", last)
    )


_INTERPRETERS = frozenset({"sh", "bash", "zsh", "dash", "ksh", "source", ".", "xvfb-run", "sudo"})
_NPM_SCRIPT_COMMANDS = frozenset(
    {"run", "run-script", "rum", "urn", "test", "t", "tst", "start", "stop", "restart"}
)
_SHELL_KEYWORDS = frozenset(
    {"if", "then", "else", "elif", "do", "while", "until", "!", "{", "exec"}
)


# A loop over the scripts beside the running one: `for t in "$(dirname "$0")"/test_*; do`.
_SIBLING_LOOP = re.compile(
    r"""^for\s+\w+\s+in\s+["']?\$\(dirname\s+["']?\$0["']?\)["']?/([\w.*?-]+)["']?\s*(;.*)?$"""
)


def _container_script(repo_paths: dict[str, Any], words: list[str]) -> str:
    """A repository script a `docker run` runs inside the container, named by its path
    there (`/app/scripts/test_all.sh` with the work tree mounted at /app): the longest
    tail of the path that is a file of the repository."""
    for word in words:
        parts = PurePosixPath(word).parts
        if len(parts) < 2 or not word.endswith((".sh", ".py", ".bash")):
            continue
        for at in range(len(parts) - 1):
            # A folder and a file at least: /usr/local/bin/entrypoint.sh is not the
            # repository's root entrypoint.sh.
            tail = "/".join(p for p in parts[at:] if p != "/")
            if tail.count("/") >= 1 and tail in repo_paths:
                return tail
    return ""


def _inner_command(words: list[str]) -> str:
    """The command a shell or nix-shell is told to run (--run, -c, --command), or ''."""
    return _flag(words, "--run") or _flag(words, "-c") or _flag(words, "--command") or ""


def _pattern_rule(
    name: str, recipes: dict[str, list[Command]], prereqs: dict[str, list[str]]
) -> tuple[list[Command], list[str]]:
    """A make pattern rule's recipe for ``name``: supabase-py's CI runs `make auth.tests`,
    which its Makefile's `auth.%:` rule runs as `$(MAKE) -C src/auth $*` ($* the stem, `tests`;
    $@ the target)."""
    for pattern in recipes:
        if pattern.count("%") != 1:
            continue
        before, after = pattern.split("%")
        if (
            len(name) > len(before) + len(after)
            and name.startswith(before)
            and name.endswith(after)
        ):
            stem = name[len(before) : len(name) - len(after)]
            commands = [
                replace(c, text=c.text.replace("$*", stem).replace("$@", name))
                for c in recipes[pattern]
            ]
            return commands, [p.replace("%", stem) for p in prereqs.get(pattern, [])]
    return [], []


def _flag(words: list[str], flag: str) -> str | None:
    if flag in words and words.index(flag) + 1 < len(words):
        return words[words.index(flag) + 1]
    return None


def _join(directory: str, name: str) -> str:
    return f"{directory.strip('./').rstrip('/')}/{name}" if directory.strip("./") else name


def _workspace_runner(args: list[str]) -> str | None:
    """The monorepo task runner a package manager starts (``pnpm turbo run lint``, ``yarn
    exec nx ...``, ``npx lerna run test``), if any; ``npm run turbo`` runs a script."""
    rest = args[1:] if args[:1] in (["exec"], ["dlx"], ["x"]) else args
    first = rest[0] if rest else ""
    return first if first in ("turbo", "lerna", "nx") and len(rest) > 1 else None


def _hatch(cmd: Command, words: list[str]) -> list[Command]:
    """What Hatch's built-in commands run: ``hatch fmt`` is Ruff's linter and formatter
    (``-l`` the linter only, ``-f`` the formatter only); ``hatch test`` is pytest, with
    coverage under ``-c``/``--cover`` (short flags combine: ``-acp``)."""
    flags = [w for w in words[2:] if w.startswith("-")]
    short = "".join(f[1:] for f in flags if not f.startswith("--"))
    said = f"(as {' '.join(words[:2])} runs it)"
    if words[1] == "test":
        cover = "c" in short or "--cover" in flags or "--cover-quiet" in flags
        text = "pytest --cov" if cover else "pytest"
        return [replace(cmd, text=f"{text} {said}")]
    check = " --check" if "--check" in flags else ""
    linter = "l" in short or "--linter" in flags
    formatter = "f" in short or "--formatter" in flags
    out = []
    if formatter or not linter:
        out.append(replace(cmd, text=f"ruff format{check} {said}"))
    if linter or not formatter:
        out.append(replace(cmd, text=f"ruff check {said}"))
    return out


# Commands that run another command after their own options, and the commands they wrap.
_WRAPPERS = frozenset({"nyc", "c8", "cross-env", "dotenv", "env-cmd", "dotenv-cli"})
_WRAPPED = frozenset(
    {"npm", "yarn", "pnpm", "npx", "bun", "node", "mocha", "jest", "ava", "tap", "vitest"}
    | {"tsx", "ts-node", "playwright", "cypress", "karma", "jasmine", "uvu", "tape"}
)
