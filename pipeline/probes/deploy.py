"""Deployment probes: Dockerfiles, compose files, Kubernetes manifests, packaging, releases."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

import yaml

from pipeline.probes.base import Probe, ProbeContext
from pipeline.probes.cimodel import PUBLISH, ci_files, ci_runs
from pipeline.probes.facts import entry_point, languages, line_of, service
from pipeline.schemas import Category, CheckResult, Evidence, Severity


@dataclass
class Service:
    """A compose service or Kubernetes container, with where it is declared."""

    name: str
    path: str
    line: int
    data: dict[str, Any] = field(default_factory=dict)


def dockerfiles(ctx: ProbeContext) -> list[str]:
    return ctx.memo(
        "dockerfiles",
        lambda: sorted(
            f.path for f in ctx.files if f.language == "dockerfile" and ctx.applies(f.path)
        ),
    )


def _stages(ctx: ProbeContext, path: str) -> list[list[dict[str, Any]]]:
    stages: list[list[dict[str, Any]]] = []
    for instr in ctx.dockerfile(path):
        if instr["instruction"] == "FROM":
            stages.append([])
        if stages:
            stages[-1].append(instr)
    return stages


def compose_services(ctx: ProbeContext) -> list[Service]:
    """Services of every docker-compose/compose file, with their declaration line."""

    def compute() -> list[Service]:
        out = []
        for f in ctx.files:
            name = PurePosixPath(f.path).name.lower()
            if (
                f.language != "yaml"
                or not ctx.applies(f.path)
                or not re.match(r"(docker-)?compose[\w.-]*\.ya?ml$", name)
            ):
                continue
            for node in ctx.yaml_nodes(f.path):
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

    return ctx.memo("compose", compute)


_WORKLOADS = {"Deployment", "StatefulSet", "DaemonSet", "Pod", "Job", "CronJob", "ReplicaSet"}


def k8s_containers(ctx: ProbeContext) -> list[tuple[Service, dict[str, Any]]]:
    """(container, owning workload) pairs from plain Kubernetes manifests."""

    def compute() -> list[tuple[Service, dict[str, Any]]]:
        out = []
        for f in ctx.files:
            if f.language != "yaml" or not ctx.applies(f.path) or "{{" in ctx.text(f.path):
                continue
            for doc in ctx.yaml_docs(f.path):
                if not isinstance(doc, dict) or doc.get("kind") not in _WORKLOADS:
                    continue
                spec = doc.get("spec") or {}
                if doc["kind"] == "CronJob":
                    spec = ((spec.get("jobTemplate") or {}).get("spec")) or {}
                pod = (spec.get("template") or {}).get("spec") or spec
                for c in pod.get("containers") or []:
                    name = str(c.get("name", "?"))
                    item = rf"-\s*name:\s*['\"]?{re.escape(name)}\b"
                    line = line_of(ctx, f.path, item, 0) or line_of(ctx, f.path, r"containers:")
                    out.append((Service(name, f.path, line, c), doc))
        return out

    return ctx.memo("k8s", compute)


def helm_templates(ctx: ProbeContext) -> list[str]:
    return [
        f.path
        for f in ctx.files
        if ctx.applies(f.path)
        and "/templates/" in f.path
        and f.language == "yaml"
        and "{{" in ctx.text(f.path)
    ]


class DockerfilePresent(Probe):
    """The service has no container image definition."""

    id = "DEP001"
    category = Category.deployment
    severity = Severity.high
    title = "No Dockerfile for the service"
    rationale = "Without an image definition every deployment is built by hand, differently."
    remediation = "Add a Dockerfile (multi-stage, pinned base, non-root user)."

    def check(self, ctx: ProbeContext) -> CheckResult:
        files = dockerfiles(ctx)
        if files:
            return self.passed([ctx.evidence(files[0], 1)], f"Image defined in {files[0]}.")
        served = service(ctx)
        if served is None:
            return self.not_applicable(
                "A library or command-line tool: no web framework, listen call or server "
                "entry point was found, so it ships as a package, not a container."
            )
        return self.failed(
            [served.evidence(ctx)],
            f"The code serves requests ({served.where}) but no Dockerfile exists.",
        )


class _DockerProbe(Probe):
    def check(self, ctx: ProbeContext) -> CheckResult:
        files = dockerfiles(ctx)
        if not files:
            return self.not_applicable("No Dockerfile (see DEP001).")
        return self.judge(ctx, files)

    def judge(self, ctx: ProbeContext, files: list[str]) -> CheckResult:
        raise NotImplementedError


class NonRootContainer(_DockerProbe):
    """The container runs as root."""

    id = "DEP002"
    category = Category.deployment
    severity = Severity.high
    title = "Container runs as root"
    rationale = "A compromised process running as root owns the container and eases escapes."
    remediation = "Create an unprivileged user and switch to it with USER in the final stage."

    def judge(self, ctx: ProbeContext, files: list[str]) -> CheckResult:
        bad: list[Evidence] = []
        good: list[Evidence] = []
        for path in files:
            stages = _stages(ctx, path)
            if not stages:
                continue
            final = stages[-1]
            users = [i for i in final if i["instruction"] == "USER"]
            image = final[0]["value"]
            if users and users[-1]["value"].split(":")[0] not in ("root", "0"):
                good.append(ctx.evidence(path, users[-1]["startline"] + 1))
            elif not users and "nonroot" in image:
                good.append(ctx.evidence(path, final[0]["startline"] + 1))
            else:
                line = (users[-1] if users else final[0])["startline"] + 1
                bad.append(ctx.evidence(path, line))
        if bad:
            return self.failed(
                bad,
                f"{bad[0].path} runs its final stage as root "
                f"(no non-root USER after line {bad[0].start_line}).",
            )
        return self.passed(good, f"Final stage runs as `{good[0].snippet.strip()}`.")


def _unpinned(image: str) -> bool:
    if "@sha256:" in image:
        return False
    name = image.rsplit("/", 1)[-1]
    return ":" not in name or name.endswith(":latest")


class PinnedBaseImage(_DockerProbe):
    """Base images are unpinned (no tag, or `latest`)."""

    id = "DEP003"
    category = Category.deployment
    severity = Severity.medium
    title = "Unpinned container base images"
    rationale = "`latest` changes under you: builds stop being reproducible and can break."
    remediation = "Pin base images to a version tag, ideally with an @sha256 digest."

    def judge(self, ctx: ProbeContext, files: list[str]) -> CheckResult:
        bad: list[tuple[str, int, str]] = []
        good: list[tuple[str, int, str]] = []
        for path in files:
            aliases: set[str] = set()
            for instr in ctx.dockerfile(path):
                if instr["instruction"] != "FROM":
                    continue
                words = [w for w in instr["value"].split() if not w.startswith("--")]
                image = words[0] if words else ""
                if len(words) >= 3 and words[1].lower() == "as":
                    aliases.add(words[2])
                if image in aliases or image == "scratch" or "$" in image:
                    continue
                (bad if _unpinned(image) else good).append((path, instr["startline"] + 1, image))
        if bad:
            return self.failed(
                [ctx.evidence(p, n) for p, n, _ in bad],
                f"Unpinned base image `{bad[0][2]}` ({bad[0][0]}:{bad[0][1]}).",
            )
        if not good:
            return self.not_applicable("Base images are set by build arguments only.")
        return self.passed(
            [ctx.evidence(p, n) for p, n, _ in good[:3]],
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

    def judge(self, ctx: ProbeContext, files: list[str]) -> CheckResult:
        ignores = [f.path for f in ctx.files if PurePosixPath(f.path).name == ".dockerignore"]
        if ignores:
            return self.passed(
                [ctx.evidence(ignores[0], 1)], f"Build context filtered by {ignores[0]}."
            )
        return self.failed(
            [ctx.evidence(files[0], 1)], f"{files[0]} builds without a .dockerignore."
        )


class MultiStageImage(_DockerProbe):
    """Images ship build tooling: single-stage build on a full base image."""

    id = "DEP011"
    category = Category.deployment
    severity = Severity.low
    title = "Heavy single-stage container images"
    rationale = "Compilers and caches in the runtime image bloat it and widen the attack surface."
    remediation = "Use a multi-stage build and a slim or distroless runtime base."

    def judge(self, ctx: ProbeContext, files: list[str]) -> CheckResult:
        heavy = []
        for path in files:
            stages = _stages(ctx, path)
            if not stages:
                continue
            image = stages[-1][0]["value"].split()[0]
            if len(stages) < 2 and not re.search(
                r"slim|alpine|distroless|minimal|chainguard|scratch|micro|busybox|wolfi|-jre\b",
                image,
            ):
                heavy.append((path, stages[-1][0]["startline"] + 1, image))
        if heavy:
            return self.failed(
                [ctx.evidence(p, n) for p, n, _ in heavy],
                f"{heavy[0][0]} is single-stage on the full image `{heavy[0][2]}`.",
            )
        return self.passed(
            [ctx.evidence(files[0], 1)], "Images are multi-stage or built on slim bases."
        )


class ContainerHealth(Probe):
    """Containers declare no health check or probes."""

    id = "DEP005"
    category = Category.deployment
    severity = Severity.medium
    title = "No container health checks or probes"
    rationale = "Without probes, orchestrators route traffic to instances that are not ready."
    remediation = "Declare HEALTHCHECK, compose healthcheck, or liveness/readiness probes."

    def check(self, ctx: ProbeContext) -> CheckResult:
        docker, compose, k8s = dockerfiles(ctx), compose_services(ctx), k8s_containers(ctx)
        helm = helm_templates(ctx)
        if not (docker or compose or k8s or helm):
            return self.not_applicable("No container definitions.")
        for path in docker:
            for instr in ctx.dockerfile(path):
                if instr["instruction"] == "HEALTHCHECK":
                    return self.passed(
                        [ctx.evidence(path, instr["startline"] + 1)], f"HEALTHCHECK in {path}."
                    )
        for svc in compose:
            if "healthcheck" in svc.data:
                return self.passed(
                    [ctx.evidence(svc.path, svc.line)],
                    f"Compose service `{svc.name}` has a healthcheck.",
                )
        for c, _ in k8s:
            if "livenessProbe" in c.data or "readinessProbe" in c.data:
                return self.passed(
                    [ctx.evidence(c.path, c.line)],
                    f"Container `{c.name}` declares probes ({c.path}).",
                )
        for path in helm:
            n = line_of(ctx, path, r"(liveness|readiness)Probe", 0)
            if n:
                return self.passed([ctx.evidence(path, n)], f"Probes in {path}:{n}.")
        where = (docker + [s.path for s in compose] + [c.path for c, _ in k8s] + helm)[0]
        return self.failed(
            [ctx.evidence(where, 1)], f"No HEALTHCHECK, compose healthcheck or probes ({where})."
        )


class _K8sProbe(Probe):
    key = ""

    def check(self, ctx: ProbeContext) -> CheckResult:
        containers = k8s_containers(ctx)
        if not containers:
            return self.not_applicable("No Kubernetes workload manifests.")
        bad = [c for c, pod in containers if not self.ok(c.data, pod)]
        if bad:
            return self.failed(
                [ctx.evidence(c.path, c.line) for c in bad[:5]],
                f"Container `{bad[0].name}` ({bad[0].path}:{bad[0].line}) {self.key}.",
            )
        c0 = containers[0][0]
        return self.passed(
            [ctx.evidence(c0.path, c0.line)],
            f"All {len(containers)} container(s) pass, e.g. `{c0.name}`.",
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

    def check(self, ctx: ProbeContext) -> CheckResult:
        deployments = {
            (c.path, pod.get("metadata", {}).get("name")): (c, pod)
            for c, pod in k8s_containers(ctx)
            if pod.get("kind") == "Deployment"
        }
        if not deployments:
            return self.not_applicable("No Kubernetes Deployments.")
        hpa = any(
            f.language == "yaml" and "HorizontalPodAutoscaler" in ctx.text(f.path)
            for f in ctx.files
        )
        single = [
            c
            for c, pod in deployments.values()
            if int((pod.get("spec") or {}).get("replicas", 1) or 1) < 2
        ]
        if single and not hpa:
            return self.failed(
                [ctx.evidence(c.path, _replicas_line(ctx, c.path)) for c in single[:5]],
                f"{single[0].path} runs one replica and no autoscaler.",
            )
        c0 = next(iter(deployments.values()))[0]
        return self.passed(
            [ctx.evidence(c0.path, _replicas_line(ctx, c0.path))],
            "Deployments run several replicas or autoscale.",
        )


def _replicas_line(ctx: ProbeContext, path: str) -> int:
    return line_of(ctx, path, r"^\s*replicas:", 0) or line_of(ctx, path, r"^kind:")


class PinnedDeployImages(Probe):
    """Compose or Kubernetes images are unpinned (`latest` or no tag)."""

    id = "DEP010"
    category = Category.deployment
    severity = Severity.medium
    title = "Unpinned images in deployment manifests"
    rationale = "A `latest` image deploys whatever was pushed last, not what was tested."
    remediation = "Reference images by version tag or digest."

    def check(self, ctx: ProbeContext) -> CheckResult:
        images = [s for s in compose_services(ctx) if s.data.get("image")]
        images += [c for c, _ in k8s_containers(ctx) if c.data.get("image")]
        if not images:
            return self.not_applicable("No images referenced by compose or Kubernetes files.")
        bad = [
            s for s in images if "$" not in str(s.data["image"]) and _unpinned(str(s.data["image"]))
        ]
        if bad:
            return self.failed(
                [
                    ctx.evidence(
                        s.path, line_of(ctx, s.path, r"image:\s*" + re.escape(str(s.data["image"])))
                    )
                    for s in bad[:5]
                ],
                f"Unpinned image `{bad[0].data['image']}` ({bad[0].path}).",
            )
        s0 = images[0]
        return self.passed(
            [ctx.evidence(s0.path, s0.line)],
            f"All {len(images)} images are pinned, e.g. `{s0.data['image']}`.",
        )


class PackageDefinition(Probe):
    """The code has no package or build definition."""

    id = "DEP008"
    category = Category.deployment
    severity = Severity.medium
    title = "No package or build definition"
    rationale = "Without a build definition there is no reproducible way to install or ship it."
    remediation = "Add pyproject.toml/package.json/go.mod/Cargo.toml/pom.xml with entry points."

    def check(self, ctx: ProbeContext) -> CheckResult:
        if not languages(ctx):
            return self.not_applicable("No product code in scope.")
        names = (
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
        found = [p for p in ctx.named(*names) if ctx.in_scope(p)] or ctx.named(*names)
        if not found:
            return self.failed(
                ctx.anchor(),
                "No pyproject.toml, package.json, go.mod, "
                "Cargo.toml or pom.xml defines how to build it.",
            )
        path = min(found, key=len)
        entry = line_of(
            ctx,
            path,
            r"\[project\.scripts\]|console_scripts|\"bin\"|\"start\"|"
            r"\[\[bin\]\]|mainClass|<mainClass>",
            0,
        )
        evidence = [ctx.evidence(path, entry or 1)]
        main = entry_point(ctx)
        detail = (
            f" with entry point at line {entry}"
            if entry
            else f"; program entry {main.where}"
            if main
            else " (a library)"
        )
        return self.passed(evidence, f"Built by {path}{detail}.")


class ReleaseAutomation(Probe):
    """Releases are not built or published by CI."""

    id = "DEP009"
    category = Category.deployment
    severity = Severity.low
    title = "No automated release or deploy pipeline"
    rationale = "Hand-made releases are slow, error-prone and unrepeatable."
    remediation = "Publish packages/images from CI on tags (twine, npm publish, docker push, ...)."

    def check(self, ctx: ProbeContext) -> CheckResult:
        cmd = ci_runs(ctx, PUBLISH)
        if cmd:
            return self.passed(
                [ctx.evidence(cmd.path, cmd.line)], f"Releases from CI: {cmd.describe()}."
            )
        files = ci_files(ctx)
        return self.failed(
            [ctx.evidence(files[0], 1)] if files else ctx.anchor(),
            "No CI step publishes a package or image or deploys.",
        )
