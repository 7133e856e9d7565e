"""Deployment probes: compose files, Kubernetes manifests, health probes, packaging, releases."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import PurePosixPath
from typing import Any

from pipeline.probes.base import Hit, Probe, plural
from pipeline.probes.families.dependencies import _IMPORT_NAMES
from pipeline.probes.shapes import CiToolProbe
from pipeline.probes.views.ci import CiModel, Command
from pipeline.probes.views.containers import (
    FLOATS,
    FLOATS_NOTE,
    Containers,
    loosely_pinned,
    unpinned,
)
from pipeline.probes.views.datafiles import DataFiles
from pipeline.probes.views.imports import Imports
from pipeline.probes.views.kinds import declares_command, launches
from pipeline.probes.views.manifests import Manifests
from pipeline.probes.views.profile import ProfileView
from pipeline.probes.views.python import PythonCode
from pipeline.probes.views.repo import RepoView
from pipeline.probes.views.tools import EPHEMERAL_CLUSTER, PUBLISH
from pipeline.schemas import Category, CheckResult, Outcome, Severity


class ContainerHealth(Probe):
    """Containers declare no health check or probes."""

    id = "DEP005"
    category = Category.deployment
    severity = Severity.medium
    applies = "service|worker"  # a one-shot tool's image has nothing to probe
    title = "No container health checks or probes"
    rationale = "Without probes, orchestrators route traffic to instances that are not ready."
    remediation = "Declare HEALTHCHECK, compose healthcheck, or liveness/readiness probes."

    def check(self, repo: RepoView, data: DataFiles, containers: Containers) -> CheckResult:
        docker = containers.dockerfiles
        compose, k8s = containers.compose_services(), containers.k8s_containers()
        helm = containers.helm_templates()
        platform = _platform_checks(repo)
        if platform is not None:
            path, line, what = platform
            return self.passed([repo.evidence(path, line)], f"{what} ({path}:{line}).")
        if not (docker or compose or k8s or helm):
            return self.not_applicable("No container definitions.")
        for path in docker:
            for instr in data.dockerfile(path):
                if instr["instruction"] == "HEALTHCHECK":
                    return self.passed(
                        [repo.evidence(path, instr["startline"] + 1)], f"HEALTHCHECK in {path}."
                    )
        for svc in compose:
            if "healthcheck" in svc.data:
                return self.passed(
                    [repo.evidence(svc.path, svc.line)],
                    f"Compose service `{svc.name}` has a healthcheck.",
                )
        for c, _ in k8s:
            if "livenessProbe" in c.data or "readinessProbe" in c.data:
                return self.passed(
                    [repo.evidence(c.path, c.line)],
                    f"Container `{c.name}` declares probes ({c.path}).",
                )
        for path in helm:
            n = repo.line_of(path, r"(liveness|readiness)Probe", 0)
            if n:
                return self.passed([repo.evidence(path, n)], f"Probes in {path}:{n}.")
        where = (docker + [s.path for s in compose] + [c.path for c, _ in k8s] + helm)[0]
        return self.failed(
            [repo.evidence(where, 1)], f"No HEALTHCHECK, compose healthcheck or probes ({where})."
        )


def _fly_checks(data: dict[str, Any]) -> bool:
    """A fly.toml declaring at least one check: top-level [checks], a service's tcp/http
    checks, or [http_service] checks (empty lists, as `fly launch` writes them, are none)."""
    if data.get("checks"):
        return True
    services = data.get("services") or []
    if isinstance(services, dict):
        services = [services]
    http_service = data.get("http_service")
    if isinstance(http_service, dict):
        services = [*services, http_service]
    return any(
        isinstance(svc, dict) and any(svc.get(k) for k in ("tcp_checks", "http_checks", "checks"))
        for svc in services
    )


def _platform_checks(repo: RepoView) -> tuple[str, int, str] | None:
    """A hosting platform's health checks in its configuration: (path, line, what)."""
    for path in repo.named("fly.toml"):
        try:
            data = tomllib.loads(repo.text(path))
        except tomllib.TOMLDecodeError:
            continue
        if _fly_checks(data):
            line = repo.line_of(
                path,
                r"^\s*\[+\s*(checks|services\.(tcp|http)_checks|http_service\.checks)\b|^\s*(tcp|http)_checks\s*=\s*\[\s*\{",
                1,
            )
            return path, line, "Fly.io health checks in fly.toml"
    for path in repo.named("render.yaml"):
        line = repo.line_of(path, r"^\s*healthCheckPath\s*:", 0)
        if line:
            return path, line, "Render health check path"
    for path in repo.named("app.yaml"):
        line = repo.line_of(path, r"^\s*(liveness|readiness)_check\s*:", 0)
        if line:
            return path, line, "App Engine health check"
    return None


class _K8sProbe(Probe):
    key = ""

    def check(self, repo: RepoView, containers: Containers) -> CheckResult:
        workloads = containers.k8s_containers()
        if not workloads:
            return self.not_applicable("No Kubernetes workload manifests.")
        bad = [c for c, pod in workloads if not self.ok(c.data, pod)]
        if bad:
            return self.failed(
                [repo.evidence(c.path, c.line) for c in bad[:5]],
                f"Container `{bad[0].name}` ({bad[0].path}:{bad[0].line}) {self.key}.",
            )
        c0 = workloads[0][0]
        return self.passed(
            [repo.evidence(c0.path, c0.line)],
            f"All {plural(len(workloads), 'container')} pass, e.g. `{c0.name}`.",
        )

    def ok(self, container: dict[str, Any], workload: dict[str, Any]) -> bool:
        raise NotImplementedError


class K8sResources(_K8sProbe):
    """Kubernetes containers set no resource requests and limits."""

    id = "DEP006"
    category = Category.deployment
    severity = Severity.medium
    title = "No Kubernetes resource requests/limits"
    rationale = "Unbounded pods starve neighbours and get evicted unpredictably."
    remediation = "Set CPU/memory requests and a memory limit on every container."
    key = "sets no resources.limits"

    def ok(self, container: dict[str, Any], workload: dict[str, Any]) -> bool:
        return bool((container.get("resources") or {}).get("limits"))


class K8sSecurityContext(_K8sProbe):
    """Kubernetes containers may run as root or privileged."""

    id = "DEP007"
    category = Category.deployment
    severity = Severity.medium
    title = "Kubernetes containers without a restrictive securityContext"
    rationale = "Root or privileged pods turn a container bug into a node compromise."
    remediation = "Set runAsNonRoot: true, allowPrivilegeEscalation: false, privileged: false."
    key = "lacks runAsNonRoot or is privileged"

    def ok(self, container: dict[str, Any], workload: dict[str, Any]) -> bool:
        spec = workload.get("spec") or {}
        pod = ((spec.get("template") or {}).get("spec") or spec).get("securityContext") or {}
        sc = container.get("securityContext") or {}
        if sc.get("privileged"):
            return False
        return bool(
            sc.get("runAsNonRoot")
            or pod.get("runAsNonRoot")
            or (sc.get("runAsUser") or pod.get("runAsUser") or 0) > 0
        )


class K8sReplicas(Probe):
    """Deployments run a single replica."""

    id = "DEP012"
    category = Category.deployment
    severity = Severity.low
    title = "Single-replica deployments"
    rationale = "One replica means every deploy and node failure is an outage."
    remediation = "Run at least two replicas (or an autoscaler) with a PodDisruptionBudget."

    def check(self, repo: RepoView, containers: Containers) -> CheckResult:
        deployments = {
            (c.path, pod.get("metadata", {}).get("name")): (c, pod)
            for c, pod in containers.k8s_containers()
            if pod.get("kind") == "Deployment"
        }
        if not deployments:
            return self.not_applicable("No Kubernetes Deployments.")
        hpa = any(
            f.language == "yaml" and "HorizontalPodAutoscaler" in repo.text(f.path)
            for f in repo.files
        )
        single = [
            c
            for c, pod in deployments.values()
            if int((pod.get("spec") or {}).get("replicas", 1) or 1) < 2
        ]
        if single and not hpa:
            return self.failed(
                [repo.evidence(c.path, _replicas_line(repo, c.path)) for c in single[:5]],
                f"{single[0].path} runs one replica and no autoscaler.",
            )
        c0 = next(iter(deployments.values()))[0]
        return self.passed(
            [repo.evidence(c0.path, _replicas_line(repo, c0.path))],
            "Deployments run several replicas or autoscale.",
        )


def _replicas_line(repo: RepoView, path: str) -> int:
    return repo.line_of(path, r"^\s*replicas:", 0) or repo.line_of(path, r"^kind:")


class PinnedDeployImages(Probe):
    """Compose or Kubernetes images are unpinned (`latest` or no tag)."""

    id = "DEP010"
    category = Category.deployment
    severity = Severity.medium
    title = "Unpinned images in deployment manifests"
    rationale = "A `latest` image deploys whatever was pushed last, not what was tested."
    remediation = "Reference images by version tag or digest."

    def check(self, repo: RepoView, data: DataFiles, containers: Containers) -> CheckResult:
        # A compose service with `build:` names the image it builds here; nothing is pulled.
        # A compose file that says it is for development deploys nothing.
        images = [
            s
            for s in containers.compose_services()
            if s.data.get("image")
            and not s.data.get("build")
            and not containers.for_development(s.path)
        ]
        images += [c for c, _ in containers.k8s_containers() if c.data.get("image")]
        if not images:
            if any(s.data.get("image") for s in containers.compose_services()):
                return self.not_applicable(
                    "Only development compose files (they say so, or run a development "
                    "server) reference images: nothing is deployed from them."
                )
            return self.not_applicable("No images referenced by compose or Kubernetes files.")
        bad = [
            s for s in images if "$" not in str(s.data["image"]) and unpinned(str(s.data["image"]))
        ]
        if bad:
            result = self.failed(
                [
                    repo.evidence(
                        s.path, repo.line_of(s.path, r"image:\s*" + re.escape(str(s.data["image"])))
                    )
                    for s in bad[:5]
                ],
                f"Unpinned image `{bad[0].data['image']}` ({bad[0].path}).",
            )
            if all(s.path in repo.by_path and repo.by_path[s.path].role == "example" for s in bad):
                # reproxy's examples/docker/docker-compose.yml: a sample users adapt.
                return result.model_copy(
                    update={
                        "severity": Severity.low,
                        "severity_note": "Lowered: every unpinned image is in an example "
                        "compose file, a starting point users copy and adapt, not the "
                        "project's own deployment.",
                    }
                )
            return result
        loose = [
            s
            for s in images
            if "$" not in str(s.data["image"]) and loosely_pinned(str(s.data["image"]))
        ]
        if loose:
            # pocket-id's compose: `pocketid/pocket-id:v2` follows every v2 release.
            image = str(loose[0].data["image"])
            line = repo.line_of(loose[0].path, r"image:\s*" + re.escape(image))
            return self.failed(
                [
                    repo.evidence(
                        s.path, repo.line_of(s.path, r"image:\s*" + re.escape(str(s.data["image"])))
                    )
                    for s in loose[:5]
                ],
                f"Image `{image}` ({loose[0].path}:{line}) {FLOATS} on redeploy.",
                partial=True,
            ).model_copy(update={"severity": Severity.low, "severity_note": FLOATS_NOTE})
        s0 = images[0]
        return self.passed(
            [repo.evidence(s0.path, s0.line)],
            f"All {len(images)} images are pinned to a release, e.g. `{s0.data['image']}`.",
        )


_BUILD_FILES = (
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    "package.json",
    "go.mod",
    "Cargo.toml",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
)


class PackageDefinition(Probe):
    """The code has no package or build definition."""

    id = "DEP008"
    category = Category.deployment
    severity = Severity.medium
    title = "No package or build definition"
    rationale = "Without a build definition there is no reproducible way to install or ship it."
    remediation = "Add pyproject.toml/package.json/go.mod/Cargo.toml/pom.xml with entry points."

    def check(self, repo: RepoView, data: DataFiles, containers: Containers) -> CheckResult:
        if not repo.languages():
            return self.not_applicable("No product code in scope.")
        candidates = [p for p in repo.named(*_BUILD_FILES) if repo.in_scope(p)] or repo.named(
            *_BUILD_FILES
        )
        found = [p for p in candidates if _defines_a_build(repo, data, p)]
        if found:
            path = min(found, key=len)
            return self.passed([repo.evidence(path, 1)], f"Built by {path}.")
        configs = ", ".join(candidates[:3])
        requirements = repo.named("requirements.txt")
        # An application shipped as an image: its Dockerfile installs and builds it.
        image = next(
            (
                (path, number)
                for path in containers.dockerfiles
                for number, line in enumerate(repo.lines(path), 1)
                if re.match(r"\s*RUN\b.*\b(pip|npm|yarn|pnpm|go|cargo|mvn|gradle)\b", line)
            ),
            None,
        )
        return self.failed(
            [repo.evidence(p, 1) for p in (requirements or candidates)[:2]] or repo.anchor(),
            (
                "No package definition builds or installs it outside its image"
                if image
                else "Nothing defines how to build or install it"
            )
            + (
                f": {configs} only configure{'s' if len(candidates) == 1 else ''} tools"
                if candidates
                else ""
            )
            + (
                f"; {requirements[0]} lists dependencies but is not a package"
                if requirements
                else ""
            )
            + ".",
            looked_at=[f"{', '.join(_BUILD_FILES)} in the repository"],
            advisory=(
                f"It ships as an image whose Dockerfile installs and builds it ({image[0]}:"
                f"{image[1]}): an application deployed that way needs no package of its own."
                if image
                else ""
            ),
        )


def _defines_a_build(repo: RepoView, data: DataFiles, path: str) -> bool:
    """A build file that builds something (a pyproject of tool settings only does not)."""
    if path.endswith("pyproject.toml"):
        table = data.toml(path) or {}
        return bool(table.get("project") or table.get("tool", {}).get("poetry"))
    if path.endswith("setup.cfg"):
        return bool(re.search(r"^\[(metadata|options)\]", repo.text(path), re.M))
    if path.endswith("setup.py"):  # not a Django settings module that happens to be named so
        return bool(re.search(r"\bsetup\(", repo.text(path)))
    return True


class DeclaredCommand(Probe):
    """Nothing declares how to start the program: it runs only as scripts from a checkout."""

    id = "DEP013"
    category = Category.deployment
    severity = Severity.low
    applies = "application"
    title = "No declared way to run it"
    rationale = (
        "When nothing declares the command, every user and every deployment re-discovers "
        "which script to run, with which arguments, from the README."
    )
    remediation = (
        "Declare the command: [project.scripts], package.json bin/start, a Procfile, or the "
        "container's CMD."
    )

    def check(self, repo: RepoView, data: DataFiles, profile: ProfileView) -> CheckResult:
        if profile.conditions.get("library"):
            return self.not_applicable("A package others import is itself what it ships.")
        # What a container or Procfile starts first: a service's declared console scripts
        # may be its operators' tools (bugsink-show-version), not what runs it.
        # Among programs, the one that serves, where one does (wtf-dial's cmd/wtfd, not the
        # cmd/wtf-storybook UI preview a developer runs).
        served = str(PurePosixPath(profile.server.path).parent) if profile.server else None
        entries = sorted(
            profile.entry,
            key=lambda entry: (
                not launches(*entry),
                str(PurePosixPath(entry[1].path).parent) != served,
            ),
        )
        for label, hit in entries:
            language = repo.by_path[hit.path].language if hit.path in repo.by_path else ""
            if (
                declares_command(label, hit)
                or launches(label, hit)
                or (label == hit.path and language in ("go", "rust", "java"))
            ):
                return self.passed([hit.evidence(repo)], f"Started by {label} ({hit.where}).")
        for path in repo.named("package.json"):
            manifest = data.json(path)
            scripts = manifest.get("scripts") if isinstance(manifest, dict) else None
            # `npm start`, or a front end's `npm run serve` / `npm run dev` (vue-cli-service).
            name = next((n for n in ("start", "serve", "dev") if n in (scripts or {})), "")
            if isinstance(scripts, dict) and name:
                line = repo.line_of(path, rf'"{name}"\s*:')
                shown = "npm start" if name == "start" else f"npm run {name}"
                return self.passed([repo.evidence(path, line)], f"{shown} ({path}:{line}).")
        scripts = [hit for label, hit in profile.entry if label == hit.path][:3]
        return self.failed(
            [hit.evidence(repo) for hit in scripts] or repo.anchor(),
            "No console script, bin, start script, Procfile or container command is declared"
            + (
                f"; it is run as scripts from a checkout ({', '.join(h.where for h in scripts)})"
                if scripts
                else ""
            )
            + ".",
            looked_at=[
                "[project.scripts], setup.py console_scripts, package.json bin and "
                "scripts.start, Cargo [[bin]], Procfile, Dockerfile CMD/ENTRYPOINT"
            ],
        )


class DeclaredDependencies(Probe):
    """Third-party packages the code imports are declared nowhere an installer reads."""

    id = "DEP014"
    category = Category.deployment
    severity = Severity.medium
    applies = "python"
    title = "Dependencies are not declared"
    rationale = (
        "Imports that no manifest declares are installed by hand from the README, at whatever "
        "version is current that day."
    )
    remediation = "List the dependencies in pyproject.toml (or requirements.txt) with versions."

    def check(
        self, repo: RepoView, imports: Imports, manifests: Manifests, python: PythonCode
    ) -> CheckResult:
        declared = manifests.python_requirements()
        if declared:
            first = declared[0]
            message = (
                f"{len(declared)} dependenc{'y' if len(declared) == 1 else 'ies'} declared, "
                f"first in {first.path}"
            )
            scripts = _inline_metadata(repo)
            missing = [
                (name, hit)
                for name, hit in _undeclared_imports(repo, imports, manifests, python)
                if hit.path not in scripts
            ]
            if missing:
                listed = ", ".join(f"{name} ({hit.where})" for name, hit in missing[:4])
                return self.failed(
                    [repo.evidence(first.path, first.line)]
                    + [hit.evidence(repo) for _, hit in missing[:3]],
                    f"{message}, but product modules import packages no manifest declares "
                    "(installed only when another package happens to depend on them): "
                    f"{listed}{', ...' if len(missing) > 4 else ''}.",
                    looked_at=[
                        "module-level imports of product code against every manifest's text "
                        "(pyproject, setup.py, setup.cfg, requirements*.txt, Pipfile)"
                    ],
                    partial=True,
                )
            return self.passed([repo.evidence(first.path, first.line)], message + ".")
        for path in repo.named("environment.yml", "environment.yaml", "conda.yaml"):
            return self.passed([repo.evidence(path, 1)], f"Dependencies declared in {path}.")
        sites = {
            name: _unconditional_import(imports, python, name)
            for name in imports.third_party_python()
        }
        scripts = _inline_metadata(repo)
        third_party = {
            name: site
            for name, site in sites.items()
            if site is not None and site.path not in scripts
        }
        if not third_party:
            return self.not_applicable(
                "The Python code imports only the standard library (third-party modules, if "
                "any, only inside try, if TYPE_CHECKING or functions: optional)."
            )
        names = sorted(third_party)[:6]
        site = third_party[names[0]]
        return self.failed(
            [site.evidence(repo)],
            f"The code imports {', '.join(names)} but no pyproject.toml, setup.py, "
            "requirements file, Pipfile or environment.yml declares them.",
            looked_at=[
                "pyproject.toml, setup.py, setup.cfg, requirements*.txt, Pipfile, "
                "environment.yml in the repository"
            ],
        )


def _undeclared_imports(
    repo: RepoView, imports: Imports, manifests: Manifests, python: PythonCode
) -> list[tuple[str, Hit]]:
    """Third-party modules product code imports unconditionally (at module level, outside
    try and if blocks) that no manifest mentions under the module's or its package's name."""
    # Every manifest's text (extras and optional groups included) and every requirement read
    # from requirements files in any folder.
    declared = " ".join(r.name for r in manifests.python_requirements())
    text = _norm(f"{manifests.text()} {declared}")
    squashed = _squash(text)
    requirement_words = {w for r in manifests.python_requirements() for w in _words(r.name)}
    names: dict[str, set[str]] = {}
    for dist, module in (*_IMPORT_NAMES.items(), *_MORE_NAMES):
        names.setdefault(module.split(".")[0].lower(), set()).add(dist)
    missing = []
    for module, hit in sorted(imports.third_party_python().items()):
        f = repo.by_path.get(hit.path)
        if f is None or f.role != "product":
            continue
        candidates = {module.lower(), *names.get(module.lower(), ())}
        # Loose on purpose: `slugify` is declared by python-slugify, `environ` by
        # django-environ; a name found anywhere in a manifest is not claimed missing.
        if any(re.search(rf"(?<!\w){re.escape(_norm(c))}(?!\w)", text) for c in candidates):
            continue
        # rest_framework_jwt is djangorestframework-jwt, or drf-jwt: a package whose name
        # holds the module's name run together, or shares a word with it, may provide it.
        if len(_squash(module)) >= 4 and _squash(module) in squashed:
            continue
        if _words(module) & requirement_words:
            continue
        # A framework's own foundation, imported idiomatically beside it: starlette in a
        # FastAPI app, werkzeug in a Flask app, sqlalchemy under SQLModel.
        if any(
            re.search(rf"(?<!\w){re.escape(f)}(?!\w)", text) for f in _FOUNDATION.get(module, ())
        ):
            continue
        site = _unconditional_import(imports, python, module)
        if site is not None:
            missing.append((module, site))
    return missing


# Modules a declared framework pins and whose import beside it is the documented idiom.
_FOUNDATION = {
    "starlette": ("fastapi",),
    "pydantic": ("fastapi", "sqlmodel"),
    "werkzeug": ("flask",),
    "jinja2": ("flask",),
    # Flask's CLI is Click: its docs write custom commands with `import click`.
    "click": ("flask",),
    "itsdangerous": ("flask",),
    "markupsafe": ("flask", "jinja2"),
    "sqlalchemy": ("sqlmodel", "flask-sqlalchemy", "flask_sqlalchemy"),
}


# Import names whose package is named otherwise, beyond the dependency family's table
# (a distribution may provide several modules).
_MORE_NAMES = (
    ("django-filter", "django_filters"),
    ("djangorestframework", "rest_framework"),
    ("pyopenssl", "OpenSSL"),
    ("pyserial", "serial"),
    ("pywin32", "win32api"),
    ("pywin32", "win32con"),
    ("pywin32", "win32com"),
    ("google-cloud-storage", "google"),
    ("ruamel-yaml", "ruamel"),
    ("websocket-client", "websocket"),
    ("opencv-python-headless", "cv2"),
    ("matplotlib", "mpl_toolkits"),
    ("scikit-image", "skimage"),
    ("mysqlclient", "MySQLdb"),
    ("wxpython", "wx"),
    ("biopython", "Bio"),
    ("pygobject", "gi"),
)


def _words(name: str) -> set[str]:
    return {w for w in re.split(r"[^a-z0-9]+", name.lower()) if len(w) >= 3}


def _squash(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name.lower())


def _unconditional_import(imports: Imports, python: PythonCode, module: str) -> Hit | None:
    """The first file that imports ``module`` at module level (any file, not only the one
    that imports it first), or None when every import is optional."""
    importers = sorted(imports.importers(module))
    if any(_guarded_import(python, path, module) for path in importers):
        # tenacity: `try: import tornado except ImportError: tornado = None` in __init__,
        # and tornadoweb.py, which imports tornado at its top, loaded only `if tornado:`.
        # A package that guards an import anywhere treats that dependency as optional.
        return None
    for path in importers:
        line = _module_level_import(python, path, module)
        if line:
            return Hit(path, line, "")
    return None


def _guarded_import(python: PythonCode, path: str, module: str) -> bool:
    """Whether ``path`` imports ``module`` inside a try whose handler catches ImportError
    (or ModuleNotFoundError): the code runs without it."""
    tree = python.tree(path)
    for node in ast.walk(tree) if tree else ():
        if not isinstance(node, ast.Try):
            continue
        caught = " ".join(ast.unparse(h.type) for h in node.handlers if h.type is not None)
        if "ImportError" not in caught and "ModuleNotFoundError" not in caught:
            continue
        for inner in (n for stmt in node.body for n in ast.walk(stmt)):
            if isinstance(inner, ast.Import) and any(
                a.name.split(".")[0] == module for a in inner.names
            ):
                return True
            if isinstance(inner, ast.ImportFrom) and (inner.module or "").split(".")[0] == module:
                return True
    return False


def _module_level_import(python: PythonCode, path: str, module: str) -> int:
    """The line of an ``import module`` directly in the module body (0 when it is only
    imported inside a try, an if, a function: an optional dependency)."""
    tree = python.tree(path)
    for node in tree.body if tree else ():
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == module for a in node.names):
            return node.lineno
        if (
            isinstance(node, ast.ImportFrom)
            and not node.level
            and (node.module or "").split(".")[0] == module
        ):
            return node.lineno
    return 0


class ReleaseAutomation(CiToolProbe):
    """Releases are not built or published by CI."""

    id = "DEP009"
    category = Category.deployment
    severity = Severity.low
    title = "No automated release or deploy pipeline"
    rationale = "Hand-made releases are slow, error-prone and unrepeatable."
    remediation = "Publish packages/images from CI on tags (twine, npm publish, docker push, ...)."
    pattern = PUBLISH
    tool = "release or deploy step"

    def check(  # type: ignore[override]
        self,
        repo: RepoView,
        ci: CiModel,
        required: dict[str, CheckResult],
        profile: ProfileView,
    ) -> CheckResult:
        if not repo.languages():
            return self.not_applicable("No product code in scope.")
        runs = ci.all_runs(PUBLISH)
        go_library = (
            set(repo.languages()) == {"go"}
            and profile.kinds
            and set(profile.kinds) <= {"library", "sdk"}
            and not any(f.path.endswith("main.go") for f in repo.code_files("go"))
        )
        if not runs and go_library:
            return self.not_applicable(
                "A Go module is released by pushing a version tag: the module proxy serves it, "
                "and there is no artifact to build or publish."
            )
        rehearsals = [c for c in runs if _into_throwaway_cluster(repo, c) or _dry_run(repo, c)]
        snapshots = [c for c in runs if c not in rehearsals and _snapshot_only(repo, ci, c)]
        releases = [c for c in runs if c not in rehearsals and c not in snapshots]
        if releases:
            cmd = releases[0]
            return self.passed(
                [repo.evidence(cmd.path, cmd.line)],
                f"{self.tool.capitalize()} runs in CI: {cmd.describe()}.",
            )
        looked_at = [f"{plural(len(ci.files), 'CI file')} and the commands they reach"]
        if snapshots:
            cmd = snapshots[0]
            return self.failed(
                [repo.evidence(cmd.path, cmd.line)],
                f"CI publishes only development snapshots ({cmd.describe()}; the version is a "
                "-SNAPSHOT and the workflow does not run on tags or releases); releases are "
                "made by hand.",
                looked_at=looked_at,
            )
        if rehearsals:
            cmd = rehearsals[0]
            what = (
                "only rehearses the release (a snapshot or dry run that publishes nothing)"
                if _dry_run(repo, cmd)
                else "deploys only into a cluster it creates for the run, to test the manifests"
            )
            return self.failed(
                [repo.evidence(cmd.path, cmd.line)],
                f"CI {what} ({cmd.describe()}); nothing is published.",
                looked_at=looked_at,
            )
        result = super().check(repo, ci, required)
        if result.outcome is Outcome.failed and _go_module_only(repo):
            return result.model_copy(
                update={
                    "severity_note": "A Go library is published by pushing a version tag (the "
                    "module proxy serves it); automation would only add release notes."
                }
            )
        return result


def _go_module_only(repo: RepoView) -> bool:
    """A Go module with no program of its own: nothing to build, only tags to push."""
    return (
        bool(repo.named("go.mod"))
        and repo.languages() == {"go"}
        and not any(
            re.search(r"^func main\(\)", repo.text(f.path), re.M) for f in repo.code_files("go")
        )
    )


def _dry_run(repo: RepoView, cmd: Command) -> bool:
    """A release tool told to publish nothing, on its command line or in the step's `with:`
    arguments (duf's `goreleaser release --snapshot --skip publish`)."""
    step = cmd.text
    if cmd.text.startswith("uses:") and cmd.path:
        for line in repo.lines(cmd.path)[cmd.line : cmd.line + 8]:
            if re.match(r"\s*-\s", line):
                break  # the next step
            step += " " + line
    if re.search(r"\$\{\{[^}]*\brelease\b", step):
        return False  # `${{ github.ref_type == 'tag' && 'release' || 'build --snapshot' }}`
    return bool(_PUBLISHES_NOTHING.search(step))


# GoReleaser's rehearsal flags. `--dry-run` (cargo publish, npm publish) is left out: the
# golden set labels `cargo publish --dry-run` in CI a release step, and its labels are not
# edited to match the tool (the disagreement is in the note).
_PUBLISHES_NOTHING = re.compile(r"--snapshot\b|--skip[= ]?publish\b|--skip-publish\b")


def _into_throwaway_cluster(repo: RepoView, cmd: Command) -> bool:
    """kubectl/helm deploys in a workflow that first creates a kind/minikube/k3d cluster."""
    if not re.search(r"kubectl apply|helm (upgrade|install)", cmd.text):
        return False
    origin = cmd.origin.rpartition(":")[0]
    return bool(re.search(EPHEMERAL_CLUSTER, repo.text(origin)))


def _snapshot_only(repo: RepoView, ci: CiModel, cmd: Command) -> bool:
    """A Maven/Gradle deploy of a -SNAPSHOT version from a workflow no tag or release starts."""
    if not re.search(r"mvnw?( \S+)* deploy|gradlew? (\S+ )*publish", cmd.text):
        return False
    if re.search(r"release:perform|versions:set|-Drevision=", cmd.text):
        return False
    origin = cmd.origin.rpartition(":")[0]
    if ci.on_tags(origin) or "refs/tags" in repo.text(origin):
        return False
    for path in repo.named("pom.xml", "build.gradle", "build.gradle.kts", "gradle.properties"):
        body = repo.text(path)
        if path.endswith("pom.xml"):
            # The project's own version: the first <version> after its <artifactId>, outside
            # the <parent> block.
            body = re.sub(r"<parent>.*?</parent>", "", body, flags=re.S)
            m = re.search(r"<artifactId>[^<]*</artifactId>\s*<version>([^<]+)</version>", body)
        else:
            m = re.search(r"^\s*version\s*=\s*['\"]?([^'\"\s]+)", body, re.M)
        if m:
            return m.group(1).strip().endswith("-SNAPSHOT")
    return False


def _inline_metadata(repo: RepoView) -> set[str]:
    """Python scripts that declare their own dependencies in PEP 723 inline metadata
    (``# /// script`` ... ``# dependencies = [...]``), run by ``uv run`` or ``pipx run``."""
    found: set[str] = set()
    for f in repo.code_files("python"):
        head = repo.lines(f.path)[:40]
        if any(line.strip() == "# /// script" for line in head) and any(
            line.lstrip("# ").startswith("dependencies") for line in head
        ):
            found.add(f.path)
    return found
