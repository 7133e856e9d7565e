"""Deployment probes: compose files, Kubernetes manifests, health probes, packaging, releases."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

import yaml

from pipeline.probes.base import Probe, ProbeContext
from pipeline.probes.cimodel import PUBLISH, ci_files, ci_runs
from pipeline.probes.docker import _unpinned, dockerfiles
from pipeline.probes.facts import entry_point, languages, line_of, plural
from pipeline.schemas import Category, CheckResult, Severity


@dataclass
class Service:
    """A compose service or Kubernetes container, with where it is declared."""

    name: str
    path: str
    line: int
    data: dict[str, Any] = field(default_factory=dict)


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
            f"All {plural(len(containers), 'container')} pass, e.g. `{c0.name}`.",
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
