"""Dockerfile probes: an image for every service, non-root, pinned, filtered, lean."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from pipeline.probes.base import Probe
from pipeline.probes.views.containers import Containers, loosely_pinned, unpinned
from pipeline.probes.views.datafiles import DataFiles
from pipeline.probes.views.profile import ProfileView
from pipeline.probes.views.repo import RepoView
from pipeline.schemas import Category, CheckResult, Evidence, Severity


class DockerfilePresent(Probe):
    """The service has no container image definition."""

    id = "DEP001"
    category = Category.deployment
    severity = Severity.high
    title = "No Dockerfile for the service"
    rationale = "Without an image definition every deployment is built by hand, differently."
    remediation = "Add a Dockerfile (multi-stage, pinned base, non-root user)."
    # A library or a command-line tool ships as a package, not a container.
    applies = "service|worker"

    def check(self, repo: RepoView, containers: Containers, profile: ProfileView) -> CheckResult:
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
        platform = _platform_deploy(repo)
        if platform is None:
            return result
        return result.model_copy(
            update={
                "severity": Severity.low,
                "advisory": f"It is deployed to a hosting platform ({platform}), which builds "
                "it without an image; a Dockerfile would matter only for self-hosting.",
            }
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
)
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


# Packages that only work on (or for) Vercel's platform: a Next.js app using them is deployed
# there.
_PLATFORM_PACKAGES = re.compile(
    r'"@vercel/(analytics|og|speed-insights|kv|postgres|blob|edge-config)"'
)


def _platform_deploy(repo: RepoView) -> str | None:
    """Where the owners deploy without an image: a platform's config file, or a README line."""
    found = [p for p in repo.named(*_PLATFORM_FILES) if "/" not in p or repo.in_scope(p)]
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
        return self.judge(repo, containers.dockerfiles)

    def judge(self, repo: RepoView, files: list[str]) -> CheckResult:
        raise NotImplementedError


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
_PROD_NAME = re.compile(r"(^|[._-])prod(uction)?([._-]|$)", re.IGNORECASE)
_DEV_NAME = re.compile(r"(^|[._-])(dev|develop|development|local)([._-]|$)", re.IGNORECASE)


def _development_images(files: list[str]) -> set[str]:
    """Dockerfiles that are the development variant of a production one beside them
    (``Dockerfile`` or ``Dockerfile.dev`` next to ``Dockerfile.prod``)."""
    prod_dirs = {
        str(PurePosixPath(p).parent) for p in files if _PROD_NAME.search(PurePosixPath(p).name)
    }
    development = set()
    for path in files:
        name = PurePosixPath(path).name
        if _PROD_NAME.search(name) or str(PurePosixPath(path).parent) not in prod_dirs:
            continue
        if _DEV_NAME.search(name) or name.lower() in ("dockerfile", "containerfile"):
            development.add(path)
    return development


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
        good: list[Evidence] = []
        commandless: set[str] = set()
        development = _development_images(files)
        for path in files:
            stages = self.containers.stages(path)
            if not stages or path in development:
                continue
            final = stages[-1]
            users = [i for i in final if i["instruction"] == "USER"]
            image = final[0]["value"]
            words = [w for w in image.split() if not w.startswith("--")]
            own_entry = any(i["instruction"] == "ENTRYPOINT" for i in final)
            if users and users[-1]["value"].split(":")[0] not in ("root", "0"):
                good.append(repo.evidence(path, users[-1]["startline"] + 1))
            elif not users and (
                "nonroot" in image or (not own_entry and words and _DROPS_ROOT.match(words[0]))
            ):
                good.append(repo.evidence(path, final[0]["startline"] + 1))
            else:
                line = (users[-1] if users else final[0])["startline"] + 1
                bad.append(repo.evidence(path, line))
                if not any(i["instruction"] in ("CMD", "ENTRYPOINT") for i in final):
                    commandless.add(path)
        if bad:
            result = self.failed(
                bad,
                f"{bad[0].path} runs its final stage as root "
                f"(no non-root USER after line {bad[0].start_line}).",
            )
            if all(e.path in commandless for e in bad):
                result = result.model_copy(
                    update={
                        "severity": Severity.low,
                        "severity_note": "Lowered: the image names no CMD or ENTRYPOINT, so it "
                        "is a build or development image that a compose file or script runs "
                        "with its own command, not one that serves as it stands.",
                    }
                )
            return result
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
        return self.passed(good, f"Final stage runs as `{good[0].snippet.strip()}`.{dev}")


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
                f"Base image `{loose[0][2]}` ({loose[0][0]}:{loose[0][1]}) floats within its "
                "series: a bare major version or a rolling tag moves to new releases on rebuild"
                + (f"; pinned: {', '.join(i for _, _, i in good[:3])}." if good else "."),
                partial=True,
            )
            return result.model_copy(
                update={
                    "severity": Severity.low,
                    "severity_note": "Lowered: the tag holds the major version or branch, so "
                    "a rebuild moves only within it.",
                }
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
        return self.failed(
            [repo.evidence(files[0], 1)], f"{files[0]} builds without a .dockerignore."
        )


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
        for path in files:
            stages = self.containers.stages(path)
            if not stages:
                continue
            image = stages[-1][0]["value"].split()[0]
            if (
                len(stages) < 2
                and not re.search(
                    r"slim|alpine|distroless|minimal|chainguard|scratch|micro|busybox|wolfi"
                    r"|-jre\b|runtime",  # CUDA and PyTorch `-runtime` tags are the lean ones
                    image,
                )
                and not _SERVER_IMAGE.match(image)
            ):
                heavy.append((path, stages[-1][0]["startline"] + 1, image))
        if heavy:
            return self.failed(
                [repo.evidence(p, n) for p, n, _ in heavy],
                f"{heavy[0][0]} is single-stage on the full image `{heavy[0][2]}`.",
            )
        return self.passed(
            [repo.evidence(files[0], 1)], "Images are multi-stage or built on slim bases."
        )
