"""The ``containers`` view: Dockerfiles, compose services and Kubernetes workloads."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

import yaml

from pipeline.probes.registry import view
from pipeline.probes.views.datafiles import DataFiles
from pipeline.probes.views.repo import RepoView
from pipeline.probes.views.tools import TEST_RUNNER

_WORKLOADS = {"Deployment", "StatefulSet", "DaemonSet", "Pod", "Job", "CronJob", "ReplicaSet"}
# Tags without a version number that still name one release series: distribution and Node.js
# LTS code names. Any other tag without a digit (`latest`, `slim`, `lts`, `alpine`) floats.
_RELEASE_NAMES = re.compile(
    r"(^|-)(buster|bullseye|bookworm|trixie|focal|jammy|noble|hydrogen|iron|jod|gallium)($|-)"
)


_PROD_NAME = re.compile(r"(^|[._-])prod(uction)?([._-]|$)", re.IGNORECASE)
_DEV_NAME = re.compile(r"(^|[._-])(dev|develop|development|local)([._-]|$)", re.IGNORECASE)


def development_images(files: list[str]) -> set[str]:
    """Dockerfiles that are the development variant of a production one beside them
    (``Dockerfile`` or ``Dockerfile.dev`` next to ``Dockerfile.prod``)."""
    prod_dirs = {
        str(PurePosixPath(p).parent) for p in files if _PROD_NAME.search(PurePosixPath(p).name)
    }
    # A dev-named Dockerfile beside a plain one (yq's Dockerfile.dev, its toolchain image,
    # next to the Dockerfile it ships), or beside the release ones (lldap's Dockerfile.dev
    # next to Dockerfile.ci.alpine and Dockerfile.ci.debian): those are the product's.
    plain_dirs = {
        str(PurePosixPath(p).parent)
        for p in files
        if PurePosixPath(p).name.lower() in ("dockerfile", "containerfile")
        or not _DEV_NAME.search(PurePosixPath(p).name)
    }
    development = set()
    for path in files:
        name = PurePosixPath(path).name
        folder = str(PurePosixPath(path).parent)
        if _PROD_NAME.search(name):
            continue
        beside_prod = folder in prod_dirs and (
            _DEV_NAME.search(name) or name.lower() in ("dockerfile", "containerfile")
        )
        if beside_prod or (folder in plain_dirs and _DEV_NAME.search(name)):
            development.add(path)
    return development


def unpinned(image: str) -> bool:
    """Whether an image reference floats: no tag, ``latest``, or a tag naming no version.

    ``python:3.12-slim`` pins the minor version; ``python:slim`` and ``node:lts`` float.
    """
    if "@sha256:" in image:
        return False
    name = image.rsplit("/", 1)[-1]
    if ":" not in name:
        return True
    tag = name.split(":", 1)[1]
    return not re.search(r"\d", tag) and not _RELEASE_NAMES.search(tag)


# Rolling distribution tags: they name a branch that moves, not a release.
_ROLLING = re.compile(r"(^|-)(sid|testing|unstable|rolling|edge|rawhide|tumbleweed)($|-)")
# Images whose bare number is a release: a distribution's (debian:12 is bookworm), and
# PostgreSQL's since version 10, whose second number is a bug-fix release.
_RELEASE_NUMBERED = {
    "debian",
    "fedora",
    "centos",
    "rockylinux",
    "almalinux",
    "amazonlinux",
    "postgres",
}


# What a floating tag does, and why that is a low gap rather than an unpinned image.
FLOATS = "floats within its series: a bare major version or a rolling tag moves to new releases"
FLOATS_NOTE = (
    "Lowered: the tag holds the major version or branch, so a rebuild or redeploy moves only "
    "within it."
)


def loosely_pinned(image: str) -> bool:
    """Whether a tagged image floats within a series: a bare major version (``node:18``,
    ``java:8-jre``, ``golang:1-bullseye``) moves across minor releases, and a rolling
    distribution tag (``debian:sid-slim``) moves with its branch."""
    if "@sha256:" in image or unpinned(image):
        return False
    name = image.rsplit("/", 1)[-1]
    repo, tag = name.split(":", 1)
    if _ROLLING.search(tag):
        return True
    return bool(re.match(r"v?\d+($|-)", tag)) and repo not in _RELEASE_NUMBERED


_TOOLCHAIN_NAME = re.compile(
    r"(^|[._-])(dev|developer|develop|development|devenv|toolchain)([._-]|$)", re.IGNORECASE
)


@dataclass
class Service:
    """A compose service or Kubernetes container, with where it is declared."""

    name: str
    path: str
    line: int
    data: dict[str, Any] = field(default_factory=dict)


_FOR_DEVELOPMENT = re.compile(
    r"(?i)^\s*#.*\b(for (local )?development|development (purposes|only|environment)|"
    r"local development|dev only|not for production)",
    re.M,
)
_DEV_SERVER = re.compile(
    r"manage\.py runserver|--reload\b|\bnodemon\b|npm run dev\b|yarn dev\b|"
    r"(local|dev)\.Dockerfile|Dockerfile\.(dev|local)\b|target:\s*dev"
)


_DOCS_SITE_FOLDERS = frozenset({"site", "website", "docs", "doc", "www", "documentation"})
_DEV_COMPOSE_NAME = re.compile(
    r"^(docker-)?compose[._-](dev|develop|development|local|test|tests|ci|e2e)\.ya?ml$", re.I
)
# A container command that keeps the container up doing nothing, for a shell or an editor.
_IDLE = re.compile(
    r"^\s*(?:/bin/\w*sh\s+-c\s+)?[\"']?\s*(?:while\s+sleep\s+\d+|sleep\s+(?:infinity|\d{4,})"
    r"|tail\s+-f\s+/dev/null)"
)


# A command that runs a script of the test suite: `ruby /fzf/test/runner.rb`.
_RUNS_TEST_SCRIPT = re.compile(r"(^|[\s/'\"])(tests?|spec|e2e)/[\w./-]*(run|test)\w*\.\w+")


@view("containers")
class Containers:
    """Container definitions of the repository (root-level ones apply to every scope)."""

    def __init__(self, repo: RepoView, data: DataFiles) -> None:
        self.repo = repo
        self.data = data
        # The product's images: not an example's, a test's, or a dev container's.
        found = [
            f.path
            for f in repo.files
            if f.language == "dockerfile"
            and repo.applies(f.path)
            and f.role == "product"
            and ".devcontainer" not in PurePosixPath(f.path).parts
            # Gitpod's workspace image (.gitpod.Dockerfile): a developer's environment.
            and not PurePosixPath(f.path).name.lower().startswith(".gitpod")
            and ".gitpod" not in PurePosixPath(f.path).parts
            # The documentation website's image (remark42's site/Dockerfile serves its docs
            # site with reproxy): it ships the docs, not the product.
            and PurePosixPath(f.path).parts[0] not in _DOCS_SITE_FOLDERS
        ]
        idle = self._idle_images() if found else set()
        self.dockerfiles = sorted(
            path
            for path in found
            if path not in idle and not self._test_image(path) and not self._toolchain_image(path)
        )

    def _toolchain_image(self, path: str) -> bool:
        """A Dockerfile named for development with no CMD or ENTRYPOINT (dua-cli's
        etc/developer.Dockerfile, which its Makefile builds from stdin and runs with -it):
        the toolchain a developer works inside, not an image that runs the product."""
        if not _TOOLCHAIN_NAME.search(PurePosixPath(path).name):
            return False
        return not any(
            i["instruction"] in ("CMD", "ENTRYPOINT") for i in self.data.dockerfile(path)
        )

    def _test_image(self, path: str) -> bool:
        """An image that only builds and tests the code (go-pagerduty's Dockerfile: FROM
        golang, ADD ., RUN go get ./... && go test -race ./...), with no CMD or ENTRYPOINT
        to run anything: a test environment, not how the product ships."""
        instructions = self.data.dockerfile(path)
        commands = [
            str(i.get("value", ""))
            for i in instructions
            if i["instruction"] in ("CMD", "ENTRYPOINT")
        ]
        if commands:
            # fzf's Dockerfile: CMD runs `ruby /fzf/test/runner.rb` in tmux, the integration
            # suite's environment; its binaries ship through goreleaser.
            return all(re.search(TEST_RUNNER, c) or _RUNS_TEST_SCRIPT.search(c) for c in commands)
        runs = [str(i.get("value", "")) for i in instructions if i["instruction"] == "RUN"]
        return any(re.search(TEST_RUNNER, run) for run in runs)

    def _idle_images(self) -> set[str]:
        """Dockerfiles built only for compose services that idle (``command: while sleep
        1000; do :; done``, ``sleep infinity``, ``tail -f /dev/null``): a development
        container an editor attaches to (awslogs' .devcontainer names its ``dev`` service),
        not an image that runs the product."""
        idle: set[str] = set()
        busy: set[str] = set()
        for service in self.compose_services():
            build = service.data.get("build")
            if isinstance(build, str):
                context, dockerfile = build, "Dockerfile"
            elif isinstance(build, dict):
                context = str(build.get("context") or ".")
                dockerfile = str(build.get("dockerfile") or "Dockerfile")
            else:
                continue
            folder = PurePosixPath(service.path).parent / context / dockerfile
            path = PurePosixPath(os.path.normpath(folder)).as_posix()
            command = service.data.get("command")
            text = " ".join(map(str, command)) if isinstance(command, list) else str(command or "")
            (idle if _IDLE.search(text) else busy).add(path)
        return idle - busy

    def stages(self, path: str) -> list[list[dict[str, Any]]]:
        """The instructions of a Dockerfile, split into build stages at each FROM."""
        stages: list[list[dict[str, Any]]] = []
        for instr in self.data.dockerfile(path):
            if instr["instruction"] == "FROM":
                stages.append([])
            if stages:
                stages[-1].append(instr)
        return stages

    def compose_services(self) -> list[Service]:
        """Services of every docker-compose/compose file, with their declaration line."""
        return self.repo.memo("compose", self._compose)

    def for_development(self, path: str) -> bool:
        """A compose file that says it is for development (a comment at its top), or that
        runs a development server: it deploys nothing and keeps nothing worth keeping."""
        # Or its name says so: rallly's docker-compose.dev.yml starts the local services
        # `pnpm docker:up` runs; its docker-compose.yml is what self-hosters deploy.
        return bool(
            _DEV_COMPOSE_NAME.search(PurePosixPath(path).name)
            or _FOR_DEVELOPMENT.search("\n".join(self.repo.lines(path)[:5]))
            or _DEV_SERVER.search(self.repo.text(path))
        )

    def k8s_containers(self) -> list[tuple[Service, dict[str, Any]]]:
        """(container, owning workload) pairs from plain Kubernetes manifests."""
        return self.repo.memo("k8s", self._k8s)

    def helm_templates(self) -> list[str]:
        return [
            f.path
            for f in self.repo.files
            if self.repo.applies(f.path)
            and "/templates/" in f.path
            and f.language == "yaml"
            and "{{" in self.repo.text(f.path)
        ]

    def _compose(self) -> list[Service]:
        out = []
        for f in self.repo.files:
            name = PurePosixPath(f.path).name.lower()
            if (
                f.language != "yaml"
                or not self.repo.applies(f.path)
                or not re.match(r"(docker-)?compose[\w.-]*\.ya?ml$", name)
                or f.is_test
                or f.role == "fixture"  # a test's stand-in services (test/oidc/compose.yml)
            ):
                continue
            for node in self.data.yaml_nodes(f.path):
                for key, value in node.value if isinstance(node, yaml.MappingNode) else []:
                    if key.value != "services" or not isinstance(value, yaml.MappingNode):
                        continue
                    for skey, svalue in value.value:
                        data = yaml.safe_load(yaml.serialize(svalue)) or {}
                        out.append(
                            Service(
                                str(skey.value),
                                f.path,
                                skey.start_mark.line + 1,
                                data if isinstance(data, dict) else {},
                            )
                        )
        return out

    def _k8s(self) -> list[tuple[Service, dict[str, Any]]]:
        out = []
        for f in self.repo.files:
            # A test's sample manifest (tokei's tests/data/yaml.yaml) deploys nothing.
            if f.language != "yaml" or not self.repo.applies(f.path) or f.is_test:
                continue
            if f.role in ("fixture", "test"):
                continue
            if "{{" in self.repo.text(f.path):
                continue
            for doc in self.data.yaml_docs(f.path):
                if not isinstance(doc, dict) or doc.get("kind") not in _WORKLOADS:
                    continue
                spec = doc.get("spec") or {}
                if doc["kind"] == "CronJob":
                    spec = ((spec.get("jobTemplate") or {}).get("spec")) or {}
                pod = (spec.get("template") or {}).get("spec") or spec
                for c in pod.get("containers") or []:
                    name = str(c.get("name", "?"))
                    item = rf"-\s*name:\s*['\"]?{re.escape(name)}\b"
                    line = self.repo.line_of(f.path, item, 0) or self.repo.line_of(
                        f.path, r"containers:"
                    )
                    out.append((Service(name, f.path, line, c), doc))
        return out
