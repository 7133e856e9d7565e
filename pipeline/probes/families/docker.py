"""Dockerfile probes: an image for every service, non-root, pinned, filtered, lean."""

from __future__ import annotations

import json
import re
import shlex
from fnmatch import fnmatch
from pathlib import PurePosixPath
from typing import Any

from pipeline.probes.base import Probe
from pipeline.probes.views.ci import CiModel
from pipeline.probes.views.containers import (
    FLOATS,
    FLOATS_NOTE,
    Containers,
    development_images,
    loosely_pinned,
    unpinned,
)
from pipeline.probes.views.datafiles import DataFiles
from pipeline.probes.views.profile import ProfileView
from pipeline.probes.views.repo import RepoView
from pipeline.schemas import Category, CheckResult, Evidence, Severity


class DockerfilePresent(Probe):
    """The service has no container image definition."""

    id = "DEP001"
    category = Category.deployment
    # Medium: an image is one way to ship a service among several (a static binary, a
    # platform's buildpack, a systemd unit). Review panels judged "high" two levels too
    # high in 15 of 49 sampled claims, many of the rest called it generous, none too low.
    severity = Severity.medium
    title = "No Dockerfile for the service"
    rationale = "Without an image definition every deployment is built by hand, differently."
    remediation = "Add a Dockerfile (multi-stage, pinned base, non-root user)."
    # A library or a command-line tool ships as a package, not a container.
    applies = "service|worker"

    def check(
        self, repo: RepoView, containers: Containers, profile: ProfileView, ci: CiModel
    ) -> CheckResult:
        files = containers.dockerfiles
        if files:
            return self.passed([repo.evidence(files[0], 1)], f"Image defined in {files[0]}.")
        builder = _image_builder(repo)
        if builder is not None:
            path, line, tool = builder
            return self.passed(
                [repo.evidence(path, line)],
                f"The image is built without a Dockerfile, by {tool} ({path}:{line}).",
            )
        served = profile.evidence("service")
        result = self.failed(
            [served.evidence(repo)] if served else repo.anchor(),
            "The code "
            + (f"serves requests ({served.where})" if served else "runs as a long-lived process")
            + " but no Dockerfile exists.",
            looked_at=["Dockerfile, Containerfile and *.dockerfile anywhere in the repository"],
        )
        plugin = _image_plugin(repo)
        if plugin is not None:
            path, line, tool = plugin
            return result.model_copy(
                update={
                    "severity": Severity.low,
                    "evidence": [*result.evidence, repo.evidence(path, line)],
                    "message": f"{result.message} {tool} ({path}:{line}) could build an image, "
                    "but no build file, script, workflow or document runs its image goal.",
                    "severity_note": "Lowered: the build plugin makes an image one command "
                    "away; what is missing is a build that runs it and a definition to review.",
                }
            )
        platform = _platform_deploy(repo)
        host = ci.runs(_HOST_DEPLOY) if platform is None else None
        if host is not None:
            # A release job that builds the binary and installs it on a host over SSH: the
            # deployment is scripted and repeatable, only not in a container.
            return result.model_copy(
                update={
                    "severity": Severity.low,
                    "advisory": f"CI deploys the built program to a host over SSH "
                    f"({host.describe()}): the deployment is scripted, only not in an image.",
                }
            )
        if platform is None:
            return result
        return result.model_copy(
            update={
                "severity": Severity.low,
                "advisory": f"It is deployed to a hosting platform ({platform}), which builds "
                "it without an image; a Dockerfile would matter only for self-hosting.",
            }
        )


# CI steps that put a build on a host: appleboy's scp/ssh actions, scp/rsync to user@host,
# a remote systemctl restart.
_HOST_DEPLOY = (
    r"^uses:\s*appleboy/(scp|ssh)-action\b|\bscp\s+(-\S+\s+)*\S+\s+\S+@\S+:|"
    r"\brsync\b[^\n]*\s\S+@\S+:|\bssh\s+(-\S+\s+)*\S+@\S+\s[^\n]*systemctl\s+restart"
)
_PLATFORM_FILES = (
    "vercel.json",
    "netlify.toml",
    "procfile",
    "app.yaml",
    "fly.toml",
    "render.yaml",
    "railway.json",
    "railway.toml",
    "app.json",
    "wrangler.toml",
    "manifest.yml",
    "manifest.yaml",
)
# Descriptor names other tools use too, and what the platform's own file holds: App Engine's
# app.yaml names its runtime (DigitalOcean's app spec sits in .do/), Cloud Foundry's manifest
# lists applications, and an app.json that is an Expo or React Native manifest is no Heroku one.
_PLATFORM_SHAPE = {
    "app.yaml": re.compile(r"^runtime\s*:", re.MULTILINE),
    "manifest.yml": re.compile(r"^applications\s*:", re.MULTILINE),
    "manifest.yaml": re.compile(r"^applications\s*:", re.MULTILINE),
}
_NOT_PLATFORM = {"app.json": re.compile(r'"(expo|displayName)"\s*:')}
_PLATFORM_DOC = re.compile(
    r"(?i)\b(deploy\w*)\b.{0,80}\b(Vercel|Netlify|Heroku|Fly\.io|Railway|App Engine|"
    r"Cloudflare (Pages|Workers))\b|\b(Vercel|Netlify|Heroku|Fly\.io|Railway)\b.{0,80}\bdeploy"
)


# Tools that build an OCI image from the source or the build, with no Dockerfile: Cloud Native
# Buildpacks (Spring Boot's build-image goal and bootBuildImage task, `pack build`), Jib, ko.
_IMAGE_BUILDERS = (
    (r"spring-boot:build-image|\bbootBuildImage\b", "Cloud Native Buildpacks (Spring Boot)"),
    (
        r"\bjib-maven-plugin\b|com\.google\.cloud\.tools\.jib|\bjib(Docker)?Build\b|\bjib:build\b",
        "Jib",
    ),
    (r"\bpack\s+build\b", "Cloud Native Buildpacks (pack)"),
    (r"\bko\s+(build|publish|apply|resolve)\b", "ko"),
)
# Build plugins that can build an image: Spring Boot's Maven and Gradle plugins build one with
# Cloud Native Buildpacks (`mvn spring-boot:build-image`, `gradle bootBuildImage`, since Boot
# 2.3). Present but never invoked, it is an image one command away, not an image build: the
# labellers of tut-rest and eladmin both answered "no" (the plugin could, nothing does).
_IMAGE_PLUGINS = (
    (
        r"<artifactId>\s*spring-boot-maven-plugin\s*</artifactId>",
        "Spring Boot's Maven plugin (`spring-boot:build-image`, Cloud Native Buildpacks)",
    ),
    (
        r"""\bid\s*(\(\s*)?["']org\.springframework\.boot["']"""
        r"""|apply\s+plugin:\s*["']org\.springframework\.boot["']"""
        r"""|\bid\s*=\s*["']org\.springframework\.boot["']""",  # a version catalog's plugin
        "Spring Boot's Gradle plugin (`bootBuildImage`, Cloud Native Buildpacks)",
    ),
)
# The Spring Boot version a build names: the parent, the BOM, the plugin or a property.
_BOOT_VERSION = re.compile(
    r"<artifactId>\s*spring-boot-(?:starter-parent|dependencies|maven-plugin)\s*</artifactId>"
    r"\s*<version>\s*(\d+)\.(\d+)"
    r"|<spring-boot\.version>\s*(\d+)\.(\d+)"
    r"""|org\.springframework\.boot["']\)?\s+version\s+["'](\d+)\.(\d+)"""
    r"|spring-boot-gradle-plugin:(\d+)\.(\d+)"
    r"""|springBootVersion\s*=\s*["']?(\d+)\.(\d+)"""
)
# Where a build of the image is configured or written down.
_BUILD_FILES = (
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "makefile",
    ".ko.yaml",
    "project.toml",
)


def _image_builder(repo: RepoView) -> tuple[str, int, str] | None:
    """Where the image is built by a tool that needs no Dockerfile: (path, line, tool)."""
    docs = [f.path for f in repo.files if f.language == "markdown" and repo.applies(f.path)]
    workflows = [
        f.path
        for f in repo.files
        if f.path.startswith((".github/workflows/", ".gitlab-ci")) and repo.applies(f.path)
    ]
    paths = [*repo.named(*_BUILD_FILES), *workflows, *sorted(docs, key=lambda p: (p.count("/"), p))]
    for path in paths:
        if PurePosixPath(path).name.lower() == ".ko.yaml":
            return path, 1, "ko"
        for pattern, tool in _IMAGE_BUILDERS:
            line = repo.line_of(path, pattern, 0)
            if line:
                return path, line, tool
    return None


def _image_plugin(repo: RepoView) -> tuple[str, int, str] | None:
    """A build plugin that could build an image (Spring Boot's, since 2.3) when nothing
    here runs its image goal: (path, line, plugin)."""
    if _boot_before_build_image(repo):
        return None
    for path in repo.named(*_BUILD_FILES, "libs.versions.toml"):
        for pattern, tool in _IMAGE_PLUGINS:
            line = repo.line_of(path, pattern, 0)
            if line:
                return path, line, tool
    return None


def _boot_before_build_image(repo: RepoView) -> bool:
    """Whether the Spring Boot the build names predates 2.3, which has no image goal."""
    found = [
        tuple(int(g) for g in m.groups() if g)
        for path in repo.named(*_BUILD_FILES, "gradle.properties", "libs.versions.toml")
        for m in _BOOT_VERSION.finditer(repo.text(path))
    ]
    return bool(found) and all(v < (2, 3) for v in found)


# Packages that only work on (or for) Vercel's platform: a Next.js app using them is deployed
# there.
_PLATFORM_PACKAGES = re.compile(
    r'"@vercel/(analytics|og|speed-insights|kv|postgres|blob|edge-config)"'
)


def _platform_descriptor(repo: RepoView, path: str) -> bool:
    """Whether a file with a platform descriptor's name is that platform's descriptor."""
    name = PurePosixPath(path).name.lower()
    if name == "app.yaml" and PurePosixPath(path).parent.name == ".do":
        return True
    text = repo.text(path)
    shape, other = _PLATFORM_SHAPE.get(name), _NOT_PLATFORM.get(name)
    return (shape is None or bool(shape.search(text))) and not (other and other.search(text))


def _platform_deploy(repo: RepoView) -> str | None:
    """Where the owners deploy without an image: a platform's config file, or a README line."""
    found = [
        p
        for p in repo.named(*_PLATFORM_FILES)
        if ("/" not in p or repo.in_scope(p)) and _platform_descriptor(repo, p)
    ]
    if found:
        return f"{found[0]}:1"
    for path in repo.named("package.json"):
        if '"next"' in repo.text(path):
            line = repo.line_of(path, _PLATFORM_PACKAGES.pattern, 0)
            if line:
                return f"{path}:{line} (Vercel's own packages in a Next.js app)"
    for path in repo.named("README.md", "README.rst", "README"):
        line = repo.line_of(path, _PLATFORM_DOC.pattern, 0)
        if line:
            return f"{path}:{line}"
    return None


class _DockerProbe(Probe):
    applies = "dockerfile"
    containers: Containers
    data: DataFiles

    def check(self, repo: RepoView, containers: Containers, data: DataFiles) -> CheckResult:
        self.containers, self.data = containers, data
        dockerfiles = containers.dockerfiles + _variant_dockerfiles(repo, containers)
        # An image whose command builds release packages serves nothing: beside images that
        # do serve, it is not what these probes judge.
        serving = [
            path
            for path in dockerfiles
            if not (stages := containers.stages(path)) or not _builds_packages(stages[-1])
        ]
        chosen = serving or dockerfiles
        # The images CI builds and publishes are what ships; other Dockerfiles beside them
        # are alternatives nobody builds (documenso's apps/remix/Dockerfile.bun and .pnpm,
        # beside the docker/Dockerfile its workflows build).
        built = _built_by_ci(repo, chosen)
        return self.judge(repo, built or chosen)

    def judge(self, repo: RepoView, files: list[str]) -> CheckResult:
        raise NotImplementedError


# `Dockerfile-cpu`, `Dockerfile_arm64`: variants named with a dash or underscore (a dot,
# `Dockerfile.cpu`, is already a Dockerfile to ingest).
_VARIANT_DOCKERFILE = re.compile(r"^(docker|container)file[-_][\w-]+$", re.IGNORECASE)


# A program that gives up root itself: Go's syscall/x/sys Setuid, Python's os.setuid,
# Node's process.setuid, Rust's nix::unistd::setuid.
_SETUID = re.compile(
    r"\b(syscall|unix)\.Setuid\(|\bos\.setuid\(|\bprocess\.setuid\(|"
    r"\bunistd::setuid\(|\bsetuid\(\s*Uid::"
)


def _code_drops_privileges(repo: RepoView) -> Evidence | None:
    """The first product line that switches the running process to another user."""
    for f in repo.code_files("go", "python", "javascript", "typescript", "rust"):
        for number, line in enumerate(repo.lines(f.path), 1):
            if _SETUID.search(line) and not line.lstrip().startswith(("//", "#")):
                return repo.evidence(f.path, number)
    return None


def _built_by_ci(repo: RepoView, dockerfiles: list[str]) -> list[str]:
    """The Dockerfiles a CI workflow names to build (``-f ./docker/Dockerfile``,
    ``file: ./docker/Dockerfile``), when it names some and leaves others."""
    texts = [
        repo.text(f.path)
        for f in repo.files
        if f.path.startswith(".github/workflows/") or f.path == ".gitlab-ci.yml"
    ]
    built = []
    for path in dockerfiles:
        named = rf"(-f|--file|\bfile:|\bdockerfile:)\s*[\"']?(\./)?{re.escape(path)}[\"']?(\s|$)"
        if any(re.search(named, text, re.I) for text in texts):
            built.append(path)
    return built if len(built) < len(dockerfiles) else []


def _variant_dockerfiles(repo: RepoView, containers: Containers) -> list[str]:
    """Product Dockerfiles whose variant suffix ingest did not read as a Dockerfile."""
    known = set(containers.dockerfiles)
    return sorted(
        f.path
        for f in repo.files
        if f.path not in known
        and _VARIANT_DOCKERFILE.match(PurePosixPath(f.path).name)
        and repo.applies(f.path)
        and f.role == "product"
        and ".devcontainer" not in PurePosixPath(f.path).parts
        and re.search(r"^\s*FROM\s", repo.text(f.path), re.MULTILINE | re.IGNORECASE)
    )


# Official database and broker images whose entrypoint starts the server as its own user
# (gosu / su-exec to postgres, mysql, redis...): without a USER or ENTRYPOINT of their own, an
# image built on them does not serve as root.
_DROPS_ROOT = re.compile(
    r"^(docker\.io/)?(library/)?(postgres|mysql|mariadb|redis|mongo|rabbitmq)(:|@|$)"
)
# Official server images: a Dockerfile on them adds configuration or seed data to a runtime
# image; there is no build tooling for a second stage to leave behind.
_SERVER_IMAGE = re.compile(
    r"^(docker\.io/)?(library/)?(postgres|mysql|mariadb|redis|mongo|rabbitmq|nginx|httpd|caddy"
    r"|traefik|haproxy|memcached|elasticsearch|eclipse-mosquitto|minio/minio)(:|@|$)"
)
# Base images that run as an unprivileged user by default: distroless ":nonroot" tags,
# nginx-unprivileged (uid 101), Chainguard images (uid 65532), Bitnami's (uid 1001).
_NON_ROOT_IMAGE = re.compile(
    r"nonroot|nginx-unprivileged|^(--\S+\s+)*cgr\.dev/chainguard/|^(--\S+\s+)*bitnami/"
)


_CHOWN_USER = re.compile(r"\bchown\s+(?:-\w+\s+)*([A-Za-z_][\w-]*)(?::[\w-]+)?\s")
_CREATES_USER = re.compile(r"\b(useradd|adduser|addgroup|groupadd)\b")


def _base_image_user(final: list[dict[str, Any]], words: list[str]) -> str:
    """The user a third-party base image provides, when the final stage hands its files to
    a non-root user it never creates (remark42's `FROM umputun/baseimage:app` plus `chown -R
    app:app /srv`: the base image's entrypoint drops to `app`). Empty when the base is an
    official image (``python``, ``node``: root by default) or no such user shows."""
    if not words or "/" not in words[0] or words[0].startswith(("docker.io/library/",)):
        return ""
    runs = " ".join(i["value"] for i in final if i["instruction"] == "RUN")
    if _CREATES_USER.search(runs):
        return ""
    for m in _CHOWN_USER.finditer(runs + " "):
        if m.group(1) not in ("root", "0"):
            return m.group(1)
    return ""


def _action_image(repo: RepoView, path: str) -> bool:
    """The image of a GitHub Action (an action.yml beside it, or a folder named for one:
    yq's github-action/Dockerfile). GitHub runs Docker actions as the default user, root,
    and documents that they must not set USER: root there is the platform's requirement."""
    folder = PurePosixPath(path).parent
    if "action" in folder.name.lower() and folder.name.lower() != "actions":
        return True
    dockerfile = re.escape(PurePosixPath(path).name)
    for name in ("action.yml", "action.yaml"):
        action = f"{folder}/{name}" if str(folder) != "." else name
        # Only an action built from this Dockerfile (`image: 'Dockerfile'`); yq's root
        # action.yml runs a published image, and its root Dockerfile is the product's.
        if action in repo.by_path and re.search(
            rf"^\s*image:\s*['\"]?(\./)?{dockerfile}['\"]?\s*$", repo.text(action), re.M
        ):
            return True
    return False


# A command that builds release packages (`CMD ["/src/packaging/debian/build.sh"]`): the
# image is a build environment, not one that serves.
_PACKAGE_BUILD = re.compile(
    r"\bdpkg-buildpackage\b|\bdebuild\b|\brpmbuild\b|\bfpm\b|\bgoreleaser\b|"
    r"\bmake\s+(package|dist|deb|rpm|release)\b|packag\w*/[\w./-]*build[\w-]*\.sh|"
    r"build[-_]?(package|deb|rpm)s?[\w-]*\.sh"
)


_PACKAGE_TOOLS = re.compile(r"\b(rpm-build|rpmdevtools|debhelper|devscripts|dh-make|dpkg-dev)\b")


def _builds_packages(final: list[dict[str, Any]]) -> bool:
    """The final stage builds .deb/.rpm packages: its command runs a package build, or,
    with no command and no port, it installs the packaging tools that a later run uses."""
    commands = [i["value"] for i in final if i["instruction"] in ("CMD", "ENTRYPOINT")]
    if commands:
        return all(_PACKAGE_BUILD.search(c) for c in commands)
    return not any(i["instruction"] == "EXPOSE" for i in final) and any(
        i["instruction"] == "RUN" and _PACKAGE_TOOLS.search(i["value"]) for i in final
    )


# Commands that run the rest of their line as another user. An entrypoint that starts as root
# to fix volume ownership or remap the UID, then exec's the server through one of them, serves
# unprivileged (the official images' idiom): the user follows the command, or an option.
_DROP_USER_FIRST = {"gosu", "su-exec", "s6-setuidgid", "setuidgid", "su", "runuser"}
_DROP_USER_OPTION = {
    "runuser": ("-u", "--user"),
    "sudo": ("-u", "--user"),
    "chpst": ("-u",),
    "setpriv": ("--reuid",),
    "chroot": ("--userspec",),
}
# su's and runuser's options that take a value (the command, the shell, a group).
_SU_VALUE_OPTIONS = {"-c", "--command", "-s", "--shell", "-g", "--group", "-G", "--supp-group"}
# Words before the command itself: `env`, an init that forwards signals.
_WRAPPERS = {"env", "tini", "dumb-init", "catatonit", "nohup"}
_ASSIGNMENT = re.compile(r"^[A-Za-z_]\w*=")
_EXEC = re.compile(r"(?:^\s*|[;&|]\s*|\b(?:then|else|do)\s+)exec\s+(.+)")
_EXEC_ARGS = re.compile(r"""^\s*exec\s+["']?\$(@|\{@\})["']?\s*$""", re.MULTILINE)


def _words(text: str) -> list[str]:
    """A command line's words, quotes removed (split on spaces when it does not parse)."""
    try:
        return shlex.split(text, comments=True)
    except ValueError:
        return text.split()


def _dropped_to(words: list[str]) -> str | None:
    """The user a command line runs its command as, when it drops root (None otherwise)."""
    while words and (
        _ASSIGNMENT.match(words[0])
        or PurePosixPath(words[0]).name in _WRAPPERS
        or words[0].startswith("-")
    ):
        words = words[1:]
    if not words:
        return None
    name, args = PurePosixPath(words[0]).name, words[1:]
    user = None
    for option in _DROP_USER_OPTION.get(name, ()):
        for i, word in enumerate(args):
            if word == option and i + 1 < len(args):
                user = args[i + 1]
            elif word.startswith(option + "="):
                user = word.split("=", 1)[1]
    if user is None and name in _DROP_USER_FIRST:
        user = "root"  # su with no user name switches to root
        skip = False
        for word in args:
            if skip or word.startswith("-"):
                skip = not skip and word in _SU_VALUE_OPTIONS
                continue
            user = word
            break
    if user is None or user.split(":")[0] in ("root", "0", ""):
        return None
    return user


def _drop_line(text: str) -> tuple[int, str] | None:
    """(line, user) where a script exec's its command through a privilege drop: `exec gosu
    app "$@"`, or `set -- su-exec app "$@"` before `exec "$@"`. A drop the script does not end
    in (`su app -c ./migrate`, then the server) leaves the server root."""
    execs_args = bool(_EXEC_ARGS.search(text))
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("#"):
            continue
        found = _EXEC.search(line)
        rest = found.group(1) if found else None
        if rest is None and execs_args and line.lstrip().startswith("set -- "):
            rest = line.lstrip()[len("set -- ") :]
        user = _dropped_to(_words(rest)) if rest else None
        if user:
            return number, user
    return None


def _repository_script(repo: RepoView, dockerfile: str, word: str) -> str | None:
    """The repository's shell script an in-image path names: the file whose path ends with
    most of it, the nearest to the Dockerfile when several do."""
    parts = [p for p in PurePosixPath(word).parts if p not in ("/", ".", "..")]
    if not parts or "$" in word:
        return None
    scripts = [f.path for f in repo.files if f.language == "shell" and repo.applies(f.path)]
    home = PurePosixPath(dockerfile).parent.parts
    for k in range(len(parts), 0, -1):
        tail = "/".join(parts[-k:])
        found = [p for p in scripts if p == tail or p.endswith("/" + tail)]
        if found:
            return max(found, key=lambda p: (_shared(PurePosixPath(p).parts, home), -len(p)))
    return None


def _first_word(value: str) -> str:
    """The first word of an instruction's value ('' for a bare `FROM`)."""
    words = value.split()
    return words[0] if words else ""


_LOCAL_REGISTRY = re.compile(r"^(localhost|127\.0\.0\.1)(:\d+)?/")


def _local_base(repo: RepoView, image: str) -> str | None:
    """The repository's Dockerfile that builds ``image``: one from a registry on the build
    machine (`localhost:5000/lldap/lldap:alpine-base`), found by its tag
    (`Dockerfile.ci.alpine-base`, `alpine-base.Dockerfile`); or one a Dockerfile of the
    repository says it is built as (wger's extras/docker/base/Dockerfile: `# docker build
    --tag wger/base .`, the base of its production and demo images)."""
    dockerfiles = [f.path for f in repo.files if f.language == "dockerfile"]
    last = image.split("/")[-1]
    if _LOCAL_REGISTRY.match(image) and ":" in last:
        tag = image.rsplit(":", 1)[1]
        for path in dockerfiles:
            name = PurePosixPath(path).name
            if name.endswith("." + tag) or name == f"{tag}.Dockerfile":
                return path
        return None
    name = image.split("@")[0].rsplit(":", 1)[0] if ":" in last else image.split("@")[0]
    if "/" not in name or "$" in name:
        return None
    built_as = re.compile(rf"(?:-t|--tag)[ =]{re.escape(name)}(?::[\w.-]+)?(?=\s|$)")
    for path in dockerfiles:
        if built_as.search(repo.text(path)):
            return path
    return None


def _shared(a: tuple[str, ...], b: tuple[str, ...]) -> int:
    """How many leading path parts ``a`` and ``b`` share."""
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _command_words(value: str) -> list[str]:
    """The words of an ENTRYPOINT or CMD, exec or shell form, `sh -c` strings split too."""
    words: list[str] = []
    try:
        parsed = json.loads(value)
    except ValueError:
        parsed = None
    if not (isinstance(parsed, list) and all(isinstance(w, str) for w in parsed)):
        parsed = _words(value)
    for word in parsed:
        words.extend(w for w in re.split(r"[\s;&|()]+", word) if w)
    return words


class NonRootContainer(_DockerProbe):
    """The container runs as root."""

    id = "DEP002"
    category = Category.deployment
    severity = Severity.high
    title = "Container runs as root"
    rationale = "A compromised process running as root owns the container and eases escapes."
    remediation = "Create an unprivileged user and switch to it with USER in the final stage."

    def judge(self, repo: RepoView, files: list[str]) -> CheckResult:
        bad: list[Evidence] = []
        good: list[tuple[list[Evidence], str]] = []  # evidence, and what it shows
        commandless: set[str] = set()
        offered: dict[str, tuple[str, int]] = {}  # a non-root target beside a root default
        drops = 0  # images whose first process is root and drops to a user for the server
        unknown: list[tuple[Evidence, str]] = []  # a base image's entrypoint picks the user
        development = development_images(files)
        # A base image another Dockerfile of the repository builds on (lldap's
        # Dockerfile.ci.alpine-base, whose entrypoint script Dockerfile.ci.alpine copies in)
        # is judged through the images built from it.
        bases = {
            built
            for f in files
            for stage in self.containers.stages(f)[-1:]
            if (built := _local_base(repo, _first_word(stage[0]["value"]))) and built != f
        }
        for path in files:
            stages = self.containers.stages(path)
            if not stages or path in development or path in bases or _action_image(repo, path):
                continue
            final = stages[-1]
            users = [i for i in final if i["instruction"] == "USER"]
            image = final[0]["value"]
            words = [w for w in image.split() if not w.startswith("--")]
            own_entry = any(i["instruction"] == "ENTRYPOINT" for i in final)
            if users and users[-1]["value"].split(":")[0] not in ("root", "0"):
                user = repo.evidence(path, users[-1]["startline"] + 1)
                good.append(([user], f"Final stage runs as `{user.snippet.strip()}`."))
            elif not users and (
                _NON_ROOT_IMAGE.search(image)
                or (not own_entry and words and _DROPS_ROOT.match(words[0]))
            ):
                base = repo.evidence(path, final[0]["startline"] + 1)
                good.append(
                    (
                        [base],
                        f"Final stage's base image runs as an unprivileged user by default "
                        f"(`{base.snippet.strip()}`).",
                    )
                )
            elif drop := self._entrypoint_drop(repo, path, final):
                good.append(drop)
                drops += 1
            elif not own_entry and (owner := _base_image_user(final, words)):
                unknown.append(
                    (
                        repo.evidence(path, final[0]["startline"] + 1),
                        f"{path} sets no USER, but it gives its files to `{owner}`, a user "
                        f"its base image `{words[0]}` creates, and that image's own "
                        "entrypoint decides who the server runs as",
                    )
                )
            else:
                line = (users[-1] if users else final[0])["startline"] + 1
                bad.append(repo.evidence(path, line))
                if not any(i["instruction"] in ("CMD", "ENTRYPOINT") for i in final) or (
                    _builds_packages(final)
                ):
                    commandless.add(path)
                other = _non_root_target(stages[:-1])
                if other is not None:
                    offered[path] = other
        if bad:
            result = self.failed(
                bad,
                f"{bad[0].path} runs its final stage as root "
                f"(no non-root USER after line {bad[0].start_line}).",
            )
            if all(e.path in offered for e in bad):
                # litestream: a `hardened` target runs as nonroot; the default one is root.
                name, user_line = offered[bad[0].path]
                result = result.model_copy(
                    update={
                        "message": f"{result.message[:-1]}; a non-root target is offered "
                        f"(`{name}`, USER at line {user_line}), for whoever builds it.",
                        "partial": True,
                        "severity": Severity.medium,
                        "severity_note": "Lowered: the Dockerfile also builds a non-root image "
                        "(`docker build --target`); the default image still runs as root.",
                    }
                )
            dropped_in_code = _code_drops_privileges(repo)
            if dropped_in_code is not None and not result.partial:
                # vhs: `vhs serve` binds its port, then calls syscall.Setgid/Setuid to the
                # user the image's ENV names; only a local run of the command stays root.
                result = result.model_copy(
                    update={
                        "evidence": [*bad, dropped_in_code],
                        "message": f"{result.message[:-1]}; the program drops to another user "
                        f"itself (`{dropped_in_code.snippet.strip()[:60]}`, "
                        f"{dropped_in_code.location}).",
                        "partial": True,
                        "severity": Severity.low,
                        "severity_note": "Lowered: the program gives up root in its own code "
                        "once it has what needs it; check that the image's settings make it "
                        "do so, and prefer a USER line.",
                    }
                )
            if all(e.path in commandless for e in bad):
                result = result.model_copy(
                    update={
                        "severity": Severity.low,
                        "severity_note": "Lowered: the image names no CMD or ENTRYPOINT, or "
                        "its command builds packages, so it is a build or development image "
                        "that a compose file or script runs with its own command, not one that "
                        "serves as it stands.",
                    }
                )
            return result
        if unknown and not good:
            return self.cannot_determine(
                "; ".join(why for _, why in unknown[:2]) + ": inspect that base image.",
                looked_at=list(files),
                evidence=[e for e, _ in unknown[:3]],
            )
        if not good:
            return self.cannot_determine(
                "No Dockerfile's final stage could be read.", looked_at=list(files)
            )
        dev = (
            f" Not counted: development images beside a production one "
            f"({', '.join(sorted(development))})."
            if development
            else ""
        )
        # An entrypoint that starts as root and drops to a user before the server: the
        # server is unprivileged, the container's first process is not.
        dropped = drops == len(good)
        if dropped:
            dev += (
                " The entrypoint itself starts as root (to fix ownership) before it drops to "
                "that user."
            )
        if unknown:
            # Another image's user is its base image's to decide: say so rather than let
            # the judged ones stand for it.
            dev += f" Not judged: {unknown[0][1]}."
        return self.passed(
            [e for evidence, _ in good for e in evidence],
            good[0][1] + dev,
            partial=dropped or bool(unknown),
        )

    def _entrypoint_drop(
        self, repo: RepoView, path: str, final: list[dict[str, Any]]
    ) -> tuple[list[Evidence], str] | None:
        """The final stage starts as root but its ENTRYPOINT or CMD runs the server as another
        user: directly (`ENTRYPOINT ["gosu", "app", ...]`), or through a script of the
        repository, copied into the image, that exec's it through a privilege drop."""
        entry = [i for i in final if i["instruction"] == "ENTRYPOINT"][-1:]
        cmd = [i for i in final if i["instruction"] == "CMD"][-1:]
        base = _local_base(repo, _first_word(final[0]["value"])) if final else None
        if not entry and not cmd and base and (stages := self.containers.stages(base)):
            # lldap's Dockerfile.ci.alpine adds gosu and the entrypoint script to its own base
            # image (localhost:5000/lldap/lldap:alpine-base, built from
            # Dockerfile.ci.alpine-base), whose ENTRYPOINT runs that script.
            entry = [i for i in stages[-1] if i["instruction"] == "ENTRYPOINT"][-1:]
            cmd = [i for i in stages[-1] if i["instruction"] == "CMD"][-1:]
            path_of_command = base
        else:
            path_of_command = path
        # CMD is the command when there is no ENTRYPOINT, or one that is only an init (tini).
        init = _command_words(entry[0]["value"]) if entry else []
        if any(PurePosixPath(w).name not in _WRAPPERS and not w.startswith("-") for w in init):
            cmd = []
        words = [w for i in entry + cmd for w in _command_words(i["value"])]
        if not words:
            return None
        where = repo.evidence(path_of_command, (entry + cmd)[0]["startline"] + 1)
        user = _dropped_to(words)
        if user:
            return [where], f"{path} starts its command as user `{user}` ({where.location})."
        for word in words:
            script = _repository_script(repo, path, word)
            if not (
                script and (self._copied(path, script) or self._copied(path_of_command, script))
            ):
                script = self._copied_as(repo, path, word)
            found = _drop_line(repo.text(script)) if script else None
            if script and found:
                line, user = found
                return [repo.evidence(script, line), where], (
                    f"{path} starts {script}, which runs the server as user `{user}` "
                    f"({script}:{line}), not as root."
                )
        return None

    def _copied_as(self, repo: RepoView, path: str, word: str) -> str | None:
        """The repository script a COPY or ADD brings into the image under the name ``word``
        runs by (`COPY ./docker/entry.sh $HOME/run.sh` for `ENTRYPOINT ["/app/run.sh"]`):
        one source, copied to a file path whose name is the command's."""
        name = PurePosixPath(word).name
        if not name or "$" in name or word.startswith("-"):
            return None
        for instr in self.data.dockerfile(path):
            if instr["instruction"] not in ("COPY", "ADD"):
                continue
            words = _command_words(instr["value"])
            if any(w.startswith("--from") for w in words):
                continue  # from another stage or image, not from the repository
            plain = [w for w in words if not w.startswith("--")]
            if len(plain) != 2 or plain[1].endswith("/"):
                continue
            source, target = plain
            if PurePosixPath(target).name == name:
                return _repository_script(repo, path, source)
        return None

    def _copied(self, path: str, script: str) -> bool:
        """Whether a COPY or ADD of the Dockerfile brings ``script`` into the image (its whole
        context, a directory holding it, the file, or a glob matching its name)."""
        for instr in self.data.dockerfile(path):
            if instr["instruction"] not in ("COPY", "ADD"):
                continue
            words = _command_words(instr["value"])
            for source in [w for w in words if not w.startswith("--")][:-1]:
                source = str(PurePosixPath(source)).lstrip("/")
                if (
                    source in (".", "")
                    or f"/{source}/" in f"/{script}/"
                    or fnmatch(PurePosixPath(script).name, PurePosixPath(source).name)
                ):
                    return True
        return False


class PinnedBaseImage(_DockerProbe):
    """Base images are unpinned (no tag, or `latest`)."""

    id = "DEP003"
    category = Category.deployment
    severity = Severity.medium
    title = "Unpinned container base images"
    rationale = "`latest` changes under you: builds stop being reproducible and can break."
    remediation = "Pin base images to a version tag, ideally with an @sha256 digest."

    def judge(self, repo: RepoView, files: list[str]) -> CheckResult:
        bad: list[tuple[str, int, str]] = []
        loose: list[tuple[str, int, str]] = []
        good: list[tuple[str, int, str]] = []
        for path in files:
            aliases: set[str] = set()
            for instr in self.data.dockerfile(path):
                if instr["instruction"] != "FROM":
                    continue
                words = [w for w in instr["value"].split() if not w.startswith("--")]
                image = words[0] if words else ""
                if len(words) >= 3 and words[1].lower() == "as":
                    aliases.add(words[2])
                if image in aliases or image == "scratch" or "$" in image:
                    continue
                if _local_base(repo, image):
                    continue  # built by the repository itself, pinned by being its own
                where = bad if unpinned(image) else loose if loosely_pinned(image) else good
                where.append((path, instr["startline"] + 1, image))
        if bad:
            return self.failed(
                [repo.evidence(p, n) for p, n, _ in bad + loose],
                f"Unpinned base image `{bad[0][2]}` ({bad[0][0]}:{bad[0][1]})"
                + (f"; pinned: {', '.join(i for _, _, i in good[:3])}." if good else "."),
                partial=bool(good or loose),
            )
        if loose:
            result = self.failed(
                [repo.evidence(p, n) for p, n, _ in loose],
                f"Base image `{loose[0][2]}` ({loose[0][0]}:{loose[0][1]}) {FLOATS} on "
                "rebuild" + (f"; pinned: {', '.join(i for _, _, i in good[:3])}." if good else "."),
                partial=True,
            )
            return result.model_copy(
                update={"severity": Severity.low, "severity_note": FLOATS_NOTE}
            )
        if not good:
            return self.not_applicable("Base images are set by build arguments only.")
        return self.passed(
            [repo.evidence(p, n) for p, n, _ in good[:3]],
            f"Base images pinned: {', '.join(i for _, _, i in good[:3])}.",
        )


class DockerIgnore(_DockerProbe):
    """No .dockerignore keeps secrets and junk out of the build context."""

    id = "DEP004"
    category = Category.deployment
    severity = Severity.low
    title = "No .dockerignore"
    rationale = "Without it, .git, .env and local caches are copied into images."
    remediation = "Add a .dockerignore excluding .git, .env, caches and build output."

    def judge(self, repo: RepoView, files: list[str]) -> CheckResult:
        ignores = [f.path for f in repo.files if PurePosixPath(f.path).name == ".dockerignore"]
        if ignores:
            return self.passed(
                [repo.evidence(ignores[0], 1)], f"Build context filtered by {ignores[0]}."
            )
        result = self.failed(
            [repo.evidence(files[0], 1)], f"{files[0]} builds without a .dockerignore."
        )
        wholesale = [c for path in files for c in self._copies(path) if _whole_tree(repo, c[1])]
        named = [c for path in files for c in self._copies(path)]
        mounted = any(
            re.search(r"--mount=[^\s]*type=bind", repo.text(path)) for path in files
        )  # `RUN --mount=type=bind,target=. go build`: the context is mounted, not copied
        parsed = all(self.containers.stages(path) for path in files)
        if not named and not mounted and parsed:
            # cheat's Dockerfile installs tools and copies nothing: the build context never
            # reaches the image, so there is nothing to filter.
            return self.not_applicable(
                f"No Dockerfile ({', '.join(files[:3])}) copies from the build context (no COPY "
                "or ADD of local files), so there is nothing for a .dockerignore to filter."
            )
        if named and not wholesale:
            path, sources, line = named[0][0], named[0][1], named[0][2]
            return result.model_copy(
                update={
                    "advisory": f"Every COPY and ADD names what it takes (`{' '.join(sources)}`"
                    f", {path}:{line}); nothing copies the repository or a source folder "
                    "whole, so no .git, .env or cache can reach the image without one."
                }
            )
        return result

    def _copies(self, path: str) -> list[tuple[str, list[str], int]]:
        """(Dockerfile, sources, line) of each COPY/ADD from the build context."""
        found = []
        for stage in self.containers.stages(path):
            for instr in stage:
                if instr["instruction"] not in ("COPY", "ADD"):
                    continue
                value = instr["value"].strip()
                if value.startswith("["):
                    try:
                        words = [str(w) for w in json.loads(value)]
                    except ValueError:
                        words = value.strip("[]").replace('"', "").split(",")
                else:
                    words = value.split()
                if any(w.startswith("--from") for w in words):
                    continue  # from another stage or image, not the context
                args = [w.strip() for w in words if not w.startswith("--")]
                if len(args) >= 2:
                    found.append((path, args[:-1], instr["startline"] + 1))
        return found


def _whole_tree(repo: RepoView, sources: list[str]) -> bool:
    """A COPY source that takes a tree whose junk a .dockerignore would filter: the context
    (`.`), a wildcard, or a folder of the repository."""
    for source in sources:
        name = source.removeprefix("./").rstrip("/")
        last = name.rsplit("/", 1)[-1]
        # `${TARGETARCH}/just` still names one file; `$SRC` alone could be anything.
        if name in ("", ".") or any(c in name for c in "*?[") or "$" in last:
            return True
        if any(f.path.startswith(name + "/") for f in repo.files):
            return True
    return False


class MultiStageImage(_DockerProbe):
    """Images ship build tooling: single-stage build on a full base image."""

    id = "DEP011"
    category = Category.deployment
    severity = Severity.low
    title = "Heavy single-stage container images"
    rationale = "Compilers and caches in the runtime image bloat it and widen the attack surface."
    remediation = "Use a multi-stage build and a slim or distroless runtime base."

    def judge(self, repo: RepoView, files: list[str]) -> CheckResult:
        heavy = []
        runtime = []  # single-stage on a `-runtime` tag that adds no compiler
        for path in files:
            stages = self.containers.stages(path)
            if not stages:
                continue
            image = stages[-1][0]["value"].split()[0]
            if len(stages) > 1 or _SLIM_BASE.search(image) or _SERVER_IMAGE.match(image):
                continue
            if _local_base(repo, image):
                continue  # the repository's own base image, judged in its own Dockerfile
            line = stages[-1][0]["startline"] + 1
            # A `-runtime` tag (CUDA, PyTorch) is its family's variant without the compilers,
            # not a slim image: it stays lean only while the Dockerfile puts none back.
            toolchain = _installed_toolchain(stages[-1])
            if _RUNTIME_TAG.search(image) and toolchain is None:
                runtime.append((path, line, image))
                continue
            heavy.append((path, line, image, toolchain))
        if heavy:
            path, line, image, toolchain = heavy[0]
            added = f", and installs build tools into it ({toolchain})" if toolchain else ""
            return self.failed(
                [repo.evidence(p, n) for p, n, _, _ in heavy],
                f"{path} is single-stage on the full image `{image}`{added}.",
            )
        if runtime:
            path, line, image = runtime[0]
            return self.passed(
                [repo.evidence(path, line)],
                f"Images are multi-stage, on slim bases, or, like {path}, on a `-runtime` image "
                f"(`{image}`) to which they add no compiler.",
            )
        return self.passed(
            [repo.evidence(files[0], 1)], "Images are multi-stage or built on slim bases."
        )


_SLIM_BASE = re.compile(
    r"slim|alpine|distroless|minimal|chainguard|scratch|micro|busybox|wolfi|-jre\b"
)
_RUNTIME_TAG = re.compile(r":[^/@]*\bruntime\b")
# A package-manager install of compilers or headers: what a build stage is for.
_TOOLCHAIN = re.compile(
    r"\b(?:apt-get|apt|apk|yum|dnf|microdnf|zypper)\b[^;&|]*?\b(?:install|add)\b[^;&|]*?"
    r"(?<![\w.-])(gcc|g\+\+|clang|build-essential|build-base|make|cmake|[\w.+]+-dev(?:el)?)"
    r"(?![\w.+-])"
)


def _installed_toolchain(stage: list[dict[str, Any]]) -> str | None:
    """The first compiler or -dev package a stage's RUN installs (None when it adds none)."""
    for instr in stage:
        if instr["instruction"] == "RUN":
            found = _TOOLCHAIN.search(instr["value"])
            if found:
                return found.group(1)
    return None


def _non_root_target(stages: list[list[dict[str, Any]]]) -> tuple[str, int] | None:
    """An earlier, named stage that runs as a non-root user and starts a program (a target
    `docker build --target` builds): its name and the line of its USER."""
    for stage in stages:
        head = stage[0]["value"].split()
        users = [i for i in stage if i["instruction"] == "USER"]
        runs = any(i["instruction"] in ("CMD", "ENTRYPOINT") for i in stage)
        if (
            len(head) >= 3
            and head[-2].lower() == "as"
            and users
            and users[-1]["value"].split(":")[0] not in ("root", "0")
            and runs
        ):
            return head[-1], users[-1]["startline"] + 1
    return None
