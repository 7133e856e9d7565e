"""CI configurations as commands, with the calls they make followed to what really runs.

A workflow step ``make test`` is read through the Makefile target to ``pytest``; ``npm test``
through package.json ``scripts.test``; ``tox`` through tox.ini; ``nox`` through noxfile.py;
``./scripts/test`` through the script; ``pre-commit run`` through .pre-commit-config.yaml.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import yaml

from pipeline.probes.base import ProbeContext
from pipeline.probes.facts import _rx

TEST_RUNNER = (
    r"\b(pytest|py\.test|python[\d.]* -m (pytest|unittest)|nose2|jest|vitest|mocha|ava|karma|"
    r"playwright test|cypress run|go test|gotestsum|cargo (\+\S+ )?test|cargo nextest|"
    r"mvnw?( -\S+)*( [\w:-]+)* (test|verify|install)\b|gradlew? (\S+ )*(test|check|build)\b|"
    r"ctest|rspec|phpunit|dotnet test|bun test|deno test|trial|ward|hatch test|"
    r"node --test|manage\.py test|django-admin test|python -m django test)"
)
LINTER = (
    r"\b(ruff( check)?\b(?! format)|flake8|pylint|eslint|golangci-lint|golangci/golangci-lint|"
    r"go vet|staticcheck|clippy|checkstyle|spotbugs|pmd|biome (check|lint|ci)|oxlint|"
    r"ruff-action|revive|ktlint|standard\b|xo\b|super-linter)"
)
TYPECHECKER = r"\b(mypy|pyright|basedpyright|pytype|tsc\b|vue-tsc|ty check)"
FORMATTER = (
    r"\b(ruff format|black|prettier|gofmt|goimports|rustfmt|cargo fmt|spotless|isort|"
    r"google-java-format|biome (format|check|ci)|dprint)"
)
COVERAGE = (
    r"(--cov\b|--cov=|coverage run|coverage report|coverage xml|pytest-cov|--coverage|"
    r"-cover(profile)?\b|tarpaulin|llvm-cov|grcov|jacoco|c8 |nyc |codecov|coveralls|kover)"
)
AUDIT = (
    r"\b(pip-audit|safety check|safety scan|npm audit|yarn audit|pnpm audit|cargo audit|"
    r"cargo deny|govulncheck|trivy|grype|snyk|osv-scanner|bandit|gosec|semgrep|"
    r"codeql-action|dependency-check|dependency-review-action|gitleaks|trufflehog)"
)
PUBLISH = (
    r"(twine upload|gh-action-pypi-publish|uv publish|poetry publish|flit publish|npm publish|"
    r"yarn publish|pnpm publish|goreleaser|cargo publish|docker push|docker/build-push-action|"
    r"mvn( \S+)* deploy|gradlew? (\S+ )*publish|helm push|kubectl apply|helm upgrade|"
    r"semantic-release|release-please)"
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
}


@dataclass(frozen=True)
class Command:
    """One command line found in CI or reached from it; ``via`` is the chain that led here."""

    path: str
    line: int
    text: str
    via: tuple[str, ...] = ()
    trail: tuple[str, ...] = ()  # the command texts that led here

    @property
    def origin(self) -> str:
        """The CI file and line the chain starts from."""
        return self.via[0] if self.via else f"{self.path}:{self.line}"

    def describe(self) -> str:
        chain = [*self.via, f"{self.path}:{self.line}"]
        if len(chain) == 1:
            return f"`{self.text[:80]}` in {chain[0]}"
        return f"`{self.text[:80]}` reached from {chain[0]} via " + " → ".join(chain[1:])


def ci_files(ctx: ProbeContext) -> list[str]:
    """Every CI configuration in the repository (they apply to every scope)."""

    def compute() -> list[str]:
        found = []
        for f in ctx.files:
            p = PurePosixPath(f.path)
            name = p.name.lower()
            if (
                (f.path.startswith(".github/workflows/") and p.suffix in (".yml", ".yaml"))
                or name
                in (
                    ".gitlab-ci.yml",
                    "azure-pipelines.yml",
                    "bitbucket-pipelines.yml",
                    ".travis.yml",
                    "jenkinsfile",
                    ".drone.yml",
                    "cloudbuild.yaml",
                    "appveyor.yml",
                    ".woodpecker.yml",
                )
                or f.path == ".circleci/config.yml"
                or f.path.startswith((".buildkite/", ".woodpecker/"))
                or (f.path.startswith(".ci/") and f.language in ("shell", "text"))
            ):
                found.append(f.path)
        return sorted(found)

    return ctx.memo("ci-files", compute)


def _scalar_lines(node: yaml.ScalarNode) -> list[tuple[int, str]]:
    base = node.start_mark.line + 1 + (1 if node.style in ("|", ">") else 0)
    value = str(node.value)
    out = []
    for offset, raw in enumerate(value.splitlines()):
        if raw.strip():
            out.append((base + (offset if node.style in ("|", ">") else 0), raw.strip()))
    return out


def _yaml_commands(ctx: ProbeContext, path: str) -> list[Command]:
    out: list[Command] = []

    def walk(node: yaml.Node, key: str | None) -> None:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                walk(v, str(k.value) if isinstance(k, yaml.ScalarNode) else None)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item, key)
        elif isinstance(node, yaml.ScalarNode) and key in _RUN_KEYS | {"uses", "image", "orb"}:
            for line, text in _scalar_lines(node):
                out.append(Command(path, line, f"uses: {text}" if key == "uses" else text))

    for doc in ctx.yaml_nodes(path):
        walk(doc, None)
    return out


def _text_commands(ctx: ProbeContext, path: str) -> list[Command]:
    out = []
    jenkins = PurePosixPath(path).name.lower() == "jenkinsfile"
    for number, line in enumerate(ctx.lines(path), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "//")):
            continue
        if jenkins:
            m = re.search(r"\b(sh|bat)\s*\(?\s*(?:script:\s*)?(['\"]{1,3})(.+?)\2", stripped)
            if m:
                out.append(Command(path, number, m.group(3)))
        else:
            out.append(Command(path, number, stripped))
    return out


def ci_commands(ctx: ProbeContext) -> list[Command]:
    """Commands written in CI files, then everything they reach (Makefile, scripts, ...)."""
    return ctx.memo("ci-commands", lambda: _expand(ctx, _direct(ctx)))


def _direct(ctx: ProbeContext) -> list[Command]:
    out: list[Command] = []
    for path in ci_files(ctx):
        if path.endswith((".yml", ".yaml")):
            out.extend(_yaml_commands(ctx, path))
        else:
            out.extend(_text_commands(ctx, path))
    return out


def _expand(ctx: ProbeContext, commands: list[Command]) -> list[Command]:
    seen: set[tuple[str, int]] = set()
    result: list[Command] = []
    queue = list(commands)
    while queue:
        cmd = queue.pop(0)
        if (cmd.path, cmd.line) in seen or len(cmd.via) > 5:
            continue
        seen.add((cmd.path, cmd.line))
        result.append(cmd)
        via = (*cmd.via, f"{cmd.path}:{cmd.line}")
        trail = (*cmd.trail, cmd.text)
        queue.extend(Command(c.path, c.line, c.text, via, trail) for c in follow(ctx, cmd.text))
    return result


def follow(ctx: ProbeContext, text: str) -> list[Command]:
    """The commands that one command line delegates to, read from the files it names."""
    out: list[Command] = []
    for segment in re.split(r"&&|\|\||;|\|", text):
        try:
            words = shlex.split(segment, posix=True)
        except ValueError:
            words = segment.split()
        words = [w for w in words if "=" not in w or w.startswith("-")]
        if not words:
            continue
        tool = PurePosixPath(words[0]).name
        args = [w for w in words[1:] if not w.startswith("-")]
        if tool in _RUNNERS and args[:1] == ["run"] and len(args) > 1:
            # `uv run pytest`, `poetry run make test`: the rest is the command; `hatch run
            # test`, `pdm run lint`: it may also name a script declared in pyproject.toml.
            out.extend(_pyproject_script(ctx, _RUNNERS[tool], args[1].split(":")[-1]))
            out.extend(follow(ctx, " ".join(words[words.index("run") + 1 :])))
        elif tool in ("poe", "task") and args:
            out.extend(_pyproject_script(ctx, _RUNNERS[tool], args[0]))
        elif segment.strip().startswith("uses: ./"):
            action = segment.strip().removeprefix("uses: ./").rstrip("/")
            for name in ("action.yml", "action.yaml"):
                if f"{action}/{name}" in ctx.by_path:
                    out.extend(_yaml_commands(ctx, f"{action}/{name}"))
        elif tool in ("make", "gmake", "just"):
            directory = _flag(words, "-C") or _flag(words, "--directory") or ""
            name = "justfile" if tool == "just" else "Makefile"
            out.extend(
                _make_targets(ctx, _join(directory, name), [a for a in args if a != directory])
            )
        elif tool in ("npm", "yarn", "pnpm", "bun"):
            out.extend(_package_script(ctx, args))
        elif tool == "tox" or (tool.startswith("python") and "tox" in args[:2]):
            out.extend(_section_lines(ctx, "tox.ini", "[testenv"))
        elif tool == "nox" or (tool.startswith("python") and "nox" in args[:2]):
            out.extend(_matching_lines(ctx, "noxfile.py", r"session\.run\("))
        elif tool == "pre-commit" or "pre-commit/action" in segment:
            out.extend(_matching_lines(ctx, ".pre-commit-config.yaml", r"^\s*-?\s*id:"))
        for word in words[:3]:
            script = word.removeprefix("./")
            f = ctx.by_path.get(script)
            if f and f.language in ("shell", "text") and script not in ("Makefile",):
                out.extend(_text_commands(ctx, script))
    return out


# Where each task runner keeps its scripts in pyproject.toml (None: it only prefixes commands).
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


def _pyproject_script(ctx: ProbeContext, where: tuple[str, ...] | None, name: str) -> list[Command]:
    if where is None:
        return []
    out: list[Command] = []
    for path in ctx.named("pyproject.toml"):
        tables: list[Any] = [ctx.toml(path) or {}]
        for key in where:
            tables = [
                value
                for table in tables
                if isinstance(table, dict)
                for value in (table.values() if key == "*" else [table.get(key)])
            ]
        for table in tables:
            script = table.get(name) if isinstance(table, dict) else None
            if isinstance(script, dict):
                script = script.get("cmd") or script.get("shell") or script.get("call")
            commands = script if isinstance(script, list) else [script] if script else []
            line = _line_of(ctx, path, rf"^\s*['\"]?{re.escape(name)}['\"]?\s*=")
            out.extend(Command(path, line, str(c)) for c in commands)
    return out


def _flag(words: list[str], flag: str) -> str | None:
    if flag in words and words.index(flag) + 1 < len(words):
        return words[words.index(flag) + 1]
    return None


def _join(directory: str, name: str) -> str:
    return f"{directory.strip('./').rstrip('/')}/{name}" if directory.strip("./") else name


def _make_targets(ctx: ProbeContext, path: str, targets: list[str]) -> list[Command]:
    if path not in ctx.by_path:
        return []
    recipes: dict[str, list[Command]] = {}
    prereqs: dict[str, list[str]] = {}
    order: list[str] = []
    current: list[str] = []
    for number, line in enumerate(ctx.lines(path), 1):
        m = re.match(r"^([\w./%-]+(?:\s+[\w./%-]+)*)\s*:(?![=:])(.*)$", line)
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
        out.extend(recipes.get(name, []))
        wanted.extend(prereqs.get(name, []))
    return out


def package_scripts(ctx: ProbeContext) -> dict[str, tuple[str, int, str]]:
    """package.json scripts (root and in scope): name → (path, line, command)."""

    def compute() -> dict[str, tuple[str, int, str]]:
        scripts: dict[str, tuple[str, int, str]] = {}
        for path in sorted(ctx.named("package.json"), key=len):
            data = ctx.json_data(path)
            if not isinstance(data, dict) or not isinstance(data.get("scripts"), dict):
                continue
            for name, command in data["scripts"].items():
                line = _line_of(ctx, path, rf'"{re.escape(name)}"\s*:')
                scripts.setdefault(name, (path, line, str(command)))
        return scripts

    return ctx.memo("package-scripts", compute)


def _package_script(ctx: ProbeContext, args: list[str]) -> list[Command]:
    if not args:
        return []
    name = args[1] if args[0] in ("run", "run-script") and len(args) > 1 else args[0]
    name = {"t": "test", "tst": "test"}.get(name, name)
    scripts = package_scripts(ctx)
    out = []
    for candidate in (f"pre{name}", name):
        if candidate in scripts:
            path, line, command = scripts[candidate]
            out.append(Command(path, line, command))
    return out


def _section_lines(ctx: ProbeContext, path: str, prefix: str) -> list[Command]:
    out, inside = [], False
    for number, line in enumerate(ctx.lines(path), 1):
        if line.startswith("["):
            inside = line.startswith(prefix)
        elif inside and line.strip() and not line.strip().startswith("#"):
            out.append(Command(path, number, line.strip()))
    return out


def _matching_lines(ctx: ProbeContext, path: str, pattern: str) -> list[Command]:
    rx = _rx(pattern)
    return [Command(path, n, s.strip()) for n, s in enumerate(ctx.lines(path), 1) if rx.search(s)]


def _line_of(ctx: ProbeContext, path: str, pattern: str) -> int:
    rx = _rx(pattern)
    return next((n for n, s in enumerate(ctx.lines(path), 1) if rx.search(s)), 1)


def ci_runs(ctx: ProbeContext, pattern: str) -> Command | None:
    """The first CI command (direct or followed) matching ``pattern`` that concerns the scope."""
    rx = _rx(pattern)
    return next((c for c in ci_commands(ctx) if rx.search(c.text) and _concerns(ctx, c)), None)


def _concerns(ctx: ProbeContext, cmd: Command) -> bool:
    """Whether a CI command applies to the assessed scope of a monorepo.

    A command read from a file in the scope, or naming the scope, applies; one that names a
    sibling package (``make -C services/worker test``) does not; a generic one does.
    """
    if not ctx.scope or ctx.in_scope(cmd.path):
        return True
    scope = ctx.scope.strip("/")
    text = " ".join((*cmd.trail, cmd.text))
    if scope in text:
        return True
    return not any(
        re.search(rf"(^|[\s/=:.]){re.escape(other)}(/|\s|$)", text) for other in _siblings(ctx)
    )


def _siblings(ctx: ProbeContext) -> set[str]:
    def compute() -> set[str]:
        scope = PurePosixPath((ctx.scope or "").strip("/"))
        parent = scope.parent
        depth = len(parent.parts)
        found = set()
        for f in ctx.files:
            parts = PurePosixPath(f.path).parts
            if len(parts) > depth + 1 and tuple(parts[:depth]) == parent.parts:
                candidate = str(PurePosixPath(*parts[: depth + 1]))
                if candidate != str(scope) and not candidate.startswith("."):
                    found.add(candidate)
        return found

    return ctx.memo("scope-siblings", compute)


def github_triggers(ctx: ProbeContext) -> dict[str, tuple[str, int]]:
    """Events that start CI: GitHub ``on:`` keys, or ``merge_request``-style for others."""

    def compute() -> dict[str, tuple[str, int]]:
        events: dict[str, tuple[str, int]] = {}
        for path in ci_files(ctx):
            for doc in ctx.yaml_nodes(path) if path.endswith((".yml", ".yaml")) else ():
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
                # GitLab, CircleCI, Jenkins, Azure, ... build merge requests by default.
                events.setdefault("pull_request", (path, 1))
        return events

    return ctx.memo("triggers", compute)
