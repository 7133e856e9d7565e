"""The ``data`` view: TOML, JSON, YAML and Dockerfiles parsed once, parse errors kept."""

from __future__ import annotations

import io
import json
import re
import tomllib
from pathlib import PurePosixPath
from typing import Any

import yaml
from dockerfile_parse import DockerfileParser

from pipeline.probes.registry import view
from pipeline.probes.views.repo import RepoView


class _TaggedLoader(yaml.SafeLoader):
    """The safe loader, reading application tags (CloudFormation's ``!Ref``, GitLab's
    ``!reference``, Home Assistant's ``!secret``) as the plain value they tag: valid YAML
    that only a loader which does not know the application refuses."""


def _untagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_TaggedLoader.add_multi_constructor("!", _untagged)


@view("data")
class DataFiles:
    """Parsed configuration files; ``errors`` maps each file that did not parse to why."""

    def __init__(self, repo: RepoView) -> None:
        self.repo = repo
        self.errors: dict[str, str] = {}
        self._cache: dict[tuple[str, str], Any] = {}

    def _once(self, kind: str, path: str, parse: Any, empty: Any) -> Any:
        key = (kind, path)
        if key not in self._cache:
            try:
                self._cache[key] = parse(self.repo.text(path))
            except (tomllib.TOMLDecodeError, ValueError, yaml.YAMLError) as exc:
                first = str(exc).splitlines()[0] if str(exc) else f"invalid {kind}"
                self.errors[path] = first
                self._cache[key] = empty
        return self._cache[key]

    def toml(self, path: str) -> dict[str, Any] | None:
        """The parsed TOML document, or None."""
        return self._once("toml", path, tomllib.loads, None)  # type: ignore[no-any-return]

    def json(self, path: str) -> Any:
        """The parsed JSON document, or None."""
        return self._once("json", path, json.loads, None)

    def yaml_nodes(self, path: str) -> list[yaml.Node]:
        """The YAML documents as node trees (they keep line numbers), [] when invalid."""
        return self._once(  # type: ignore[no-any-return]
            "yaml-nodes",
            path,
            lambda text: [n for n in yaml.compose_all(text, Loader=yaml.SafeLoader) if n],
            [],
        )

    def yaml_docs(self, path: str) -> list[Any]:
        """The YAML documents as Python data, [] when invalid."""
        return self._once(  # type: ignore[no-any-return]
            "yaml-docs",
            path,
            lambda text: [d for d in yaml.load_all(text, Loader=_TaggedLoader) if d is not None],
            [],
        )

    def dockerfile(self, path: str) -> list[dict[str, Any]]:
        """Dockerfile instructions (``instruction``, ``value``, ``startline`` 0-based)."""
        key = ("dockerfile", path)
        if key not in self._cache:
            parser = DockerfileParser(fileobj=_BytesText(self.repo.text(path)))
            try:
                self._cache[key] = list(parser.structure)
            except Exception as exc:  # noqa: BLE001 - dockerfile-parse raises bare errors
                self.errors[path] = str(exc)
                self._cache[key] = []
        return self._cache[key]  # type: ignore[no-any-return]


def npm_scripts(repo: RepoView) -> list[tuple[str, str, str]]:
    """Every package.json ``scripts`` entry: (manifest path, script name, command)."""

    def read() -> list[tuple[str, str, str]]:
        out: list[tuple[str, str, str]] = []
        for manifest in repo.named("package.json"):
            try:
                data = json.loads(repo.text(manifest))
            except ValueError:
                continue
            scripts = data.get("scripts") if isinstance(data, dict) else None
            if isinstance(scripts, dict):
                out.extend((manifest, str(n), str(c)) for n, c in scripts.items())
        return out

    return repo.memo("npm-scripts", read)


def maintainer_script(repo: RepoView, path: str) -> str:
    """The package.json script that runs ``path`` as a maintainer's or build step
    (``"download-dist": "node extra/download-dist.js"``), or "". A script that starts the
    product (start, serve, dev, preview, prod) does not count, and neither does a file a
    Dockerfile names: uptime-kuma's extra/ holds release scripts beside the image's own
    health check."""
    if any(path in repo.text(f.path) for f in repo.files_in("dockerfile")):
        return ""
    for manifest, name, command in npm_scripts(repo):
        base = str(PurePosixPath(manifest).parent)
        if _PRODUCT_SCRIPT.match(name) or (base != "." and not path.startswith(f"{base}/")):
            continue
        relative = path if base == "." else path[len(base) + 1 :]
        run = rf"{_RUNNERS}\s+(?:-\S+\s+)*(?:\./)?{re.escape(relative)}(?:\s|$|&|;)"
        if re.search(run, command):
            return name
    return ""


def healthcheck_program(repo: RepoView, path: str) -> bool:
    """Whether a Dockerfile's HEALTHCHECK runs ``path`` (by file name, or a program of the
    same name: ``CMD extra/healthcheck`` from extra/healthcheck.go): a probe of the
    container's own server, which Docker times out and retries (--timeout, --retries)."""

    def read() -> set[str]:
        names: set[str] = set()
        for f in repo.files_in("dockerfile"):
            for line in repo.lines(f.path):
                found = re.match(r"\s*HEALTHCHECK\b.*\bCMD\s+(.*)", line)
                if found:
                    names |= {
                        PurePosixPath(word.strip("[]\"',")).name for word in found.group(1).split()
                    }
        return names

    names = repo.memo("healthcheck-programs", read)
    file = PurePosixPath(path)
    # A source file named for the program (extra/healthcheck.go, and the older
    # extra/healthcheck.js that uptime-kuma keeps for Portainer) is that health check.
    return file.name in names or (bool(file.suffix) and file.stem in names)


# Script names that start the product itself, not a maintainer's step.
_PRODUCT_SCRIPT = re.compile(r"^(start|serve|server|dev|develop|preview|prod|production)\b", re.I)
# Programs that run a JavaScript or TypeScript file named on the command line.
_RUNNERS = r"\b(?:node|ts-node|tsx|bun|babel-node|deno\s+run|npx\s+(?:ts-node|tsx))"


class _BytesText:
    """A read-only file object over text, so dockerfile-parse never touches the disk."""

    def __init__(self, text: str) -> None:
        self._buffer = io.BytesIO(text.encode("utf-8"))
        self.name = "Dockerfile"

    def read(self, *args: int) -> bytes:
        return self._buffer.read(*args)

    def seek(self, *args: int) -> int:
        return self._buffer.seek(*args)

    def readlines(self) -> list[bytes]:
        return self._buffer.readlines()
