"""The ``ci`` view: CI configurations as commands, with their calls followed to what runs.

A workflow step ``make test`` is read through the Makefile target to ``pytest``; ``npm test``
through package.json ``scripts.test``; ``tox`` through tox.ini; ``nox`` through noxfile.py;
``./scripts/test`` through the script; ``pre-commit run`` through .pre-commit-config.yaml.
Only what a CI file runs is a command: YAML is parsed, and only the values of run-like keys
(``run:``, ``script:``, ``uses:``...) are read, so a release-notes ``body:`` is text.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import yaml

from pipeline.probes.registry import view
from pipeline.probes.views.datafiles import DataFiles
from pipeline.probes.views.repo import RepoView
from pipeline.probes.views.search import compiled

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
_CI_NAMES = {
    ".gitlab-ci.yml",
    "azure-pipelines.yml",
    "bitbucket-pipelines.yml",
    ".travis.yml",
    "jenkinsfile",
    ".drone.yml",
    "cloudbuild.yaml",
    "appveyor.yml",
    ".woodpecker.yml",
}
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


@view("ci")
class CiModel:
    """Every CI configuration of the repository and the commands it runs."""

    def __init__(self, repo: RepoView, data: DataFiles) -> None:
        self.repo = repo
        self.data = data
        self.files = self._files()
        self._commands: list[Command] | None = None

    def commands(self) -> list[Command]:
        """Commands written in CI files, then everything they reach (Makefile, scripts...)."""
        if self._commands is None:
            self._commands = self._expand(self._direct())
        return self._commands

    def runs(self, pattern: str) -> Command | None:
        """The first CI command (direct or followed) matching ``pattern`` for the scope."""
        rx = compiled(pattern)
        return next((c for c in self.commands() if rx.search(c.text) and self._concerns(c)), None)

    def triggers(self) -> dict[str, tuple[str, int]]:
        """Events that start CI: GitHub ``on:`` keys; other CI systems build merge requests."""
        return self.repo.memo("ci-triggers", self._triggers)

    def package_scripts(self) -> dict[str, tuple[str, int, str]]:
        """package.json scripts (root and in scope): name → (path, line, command)."""
        return self.repo.memo("package-scripts", self._package_scripts)

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
        return sorted(found)

    def _direct(self) -> list[Command]:
        out: list[Command] = []
        for path in self.files:
            if path.endswith((".yml", ".yaml")):
                out.extend(self._yaml_commands(path))
            else:
                out.extend(self._text_commands(path))
        return out

    def _yaml_commands(self, path: str) -> list[Command]:
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

        for doc in self.data.yaml_nodes(path):
            walk(doc, None)
        return out

    def _text_commands(self, path: str) -> list[Command]:
        out = []
        jenkins = PurePosixPath(path).name.lower() == "jenkinsfile"
        for number, line in enumerate(self.repo.lines(path), 1):
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

    def _expand(self, commands: list[Command]) -> list[Command]:
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
            queue.extend(
                Command(c.path, c.line, c.text, via, trail) for c in self._follow(cmd.text)
            )
        return result

    # --- following a command to what it runs -----------------------------------------------

    def _follow(self, text: str) -> list[Command]:
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
                out.extend(self._pyproject_script(_RUNNERS[tool], args[1].split(":")[-1]))
                out.extend(self._follow(" ".join(words[words.index("run") + 1 :])))
            elif tool in ("poe", "task") and args:
                out.extend(self._pyproject_script(_RUNNERS[tool], args[0]))
            elif segment.strip().startswith("uses: ./"):
                action = segment.strip().removeprefix("uses: ./").rstrip("/")
                for name in ("action.yml", "action.yaml"):
                    if f"{action}/{name}" in self.repo.by_path:
                        out.extend(self._yaml_commands(f"{action}/{name}"))
            elif tool in ("make", "gmake", "just"):
                directory = _flag(words, "-C") or _flag(words, "--directory") or ""
                name = "justfile" if tool == "just" else "Makefile"
                wanted = [a for a in args if a != directory]
                out.extend(self._make_targets(_join(directory, name), wanted))
            elif tool in ("npm", "yarn", "pnpm", "bun"):
                out.extend(self._package_script(args))
            elif tool == "tox" or (tool.startswith("python") and "tox" in args[:2]):
                out.extend(self._section_lines("tox.ini", "[testenv"))
            elif tool == "nox" or (tool.startswith("python") and "nox" in args[:2]):
                out.extend(self._matching_lines("noxfile.py", r"session\.run\("))
            elif tool == "pre-commit" or "pre-commit/action" in segment:
                out.extend(self._matching_lines(".pre-commit-config.yaml", r"^\s*-?\s*id:"))
            for word in words[:3]:
                script = word.removeprefix("./")
                f = self.repo.by_path.get(script)
                if f and f.language in ("shell", "text") and script != "Makefile":
                    out.extend(self._text_commands(script))
        return out

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
                script = table.get(name) if isinstance(table, dict) else None
                if isinstance(script, dict):
                    script = script.get("cmd") or script.get("shell") or script.get("call")
                commands = script if isinstance(script, list) else [script] if script else []
                line = self.repo.line_of(path, rf"^\s*['\"]?{re.escape(name)}['\"]?\s*=")
                out.extend(Command(path, line, str(c)) for c in commands)
        return out

    def _make_targets(self, path: str, targets: list[str]) -> list[Command]:
        if path not in self.repo.by_path:
            return []
        recipes: dict[str, list[Command]] = {}
        prereqs: dict[str, list[str]] = {}
        order: list[str] = []
        current: list[str] = []
        for number, line in enumerate(self.repo.lines(path), 1):
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

    def _package_script(self, args: list[str]) -> list[Command]:
        if not args:
            return []
        name = args[1] if args[0] in ("run", "run-script") and len(args) > 1 else args[0]
        name = {"t": "test", "tst": "test"}.get(name, name)
        scripts = self.package_scripts()
        out = []
        for candidate in (f"pre{name}", name):
            if candidate in scripts:
                path, line, command = scripts[candidate]
                out.append(Command(path, line, command))
        return out

    def _section_lines(self, path: str, prefix: str) -> list[Command]:
        out, inside = [], False
        for number, line in enumerate(self.repo.lines(path), 1):
            if line.startswith("["):
                inside = line.startswith(prefix)
            elif inside and line.strip() and not line.strip().startswith("#"):
                out.append(Command(path, number, line.strip()))
        return out

    def _matching_lines(self, path: str, pattern: str) -> list[Command]:
        rx = compiled(pattern)
        return [
            Command(path, n, s.strip())
            for n, s in enumerate(self.repo.lines(path), 1)
            if rx.search(s)
        ]

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
                # GitLab, CircleCI, Jenkins, Azure, ... build merge requests by default.
                events.setdefault("pull_request", (path, 1))
        return events


def _scalar_lines(node: yaml.ScalarNode) -> list[tuple[int, str]]:
    block = node.style in ("|", ">")
    base = node.start_mark.line + 1 + (1 if block else 0)
    out = []
    for offset, raw in enumerate(str(node.value).split("\n")):
        if raw.strip():
            out.append((base + (offset if block else 0), raw.strip()))
    return out


def _flag(words: list[str], flag: str) -> str | None:
    if flag in words and words.index(flag) + 1 < len(words):
        return words[words.index(flag) + 1]
    return None


def _join(directory: str, name: str) -> str:
    return f"{directory.strip('./').rstrip('/')}/{name}" if directory.strip("./") else name
