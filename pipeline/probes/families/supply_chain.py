"""Supply-chain probes: lockfiles, pinning, update bots, scanners, policy, action pinning."""

from __future__ import annotations

import re

from pipeline.probes.base import Probe, ProbeContext
from pipeline.probes.cimodel import AUDIT, ci_commands, ci_files, ci_runs
from pipeline.probes.facts import plural
from pipeline.probes.manifests import (
    cargo_dependencies,
    lockfiles,
    node_packages,
    python_requirements,
)
from pipeline.schemas import Category, CheckResult, Evidence, Severity


class SecurityPolicy(Probe):
    """No security policy tells reporters how to disclose vulnerabilities."""

    id = "SEC007"
    category = Category.security
    severity = Severity.low
    title = "No security policy"
    rationale = "Without a policy, vulnerabilities get reported in public issues or not at all."
    remediation = "Add SECURITY.md with a private reporting channel and supported versions."

    def check(self, ctx: ProbeContext) -> CheckResult:
        paths = ctx.named("SECURITY.md", "SECURITY.rst", "SECURITY.txt", "security.txt")
        if paths:
            return self.passed([ctx.evidence(paths[0], 1)], f"Security policy in {paths[0]}.")
        return self.failed(ctx.anchor("README.md"), "No SECURITY.md was found.")


class UpdateBot(Probe):
    """No bot keeps dependencies up to date."""

    id = "SEC008"
    category = Category.security
    severity = Severity.medium
    title = "No automated dependency updates"
    rationale = "Without Dependabot or Renovate, known-vulnerable versions linger for months."
    remediation = "Enable Dependabot (.github/dependabot.yml) or Renovate (renovate.json)."

    def check(self, ctx: ProbeContext) -> CheckResult:
        paths = ctx.named(
            "dependabot.yml",
            "dependabot.yaml",
            "renovate.json",
            "renovate.json5",
            ".renovaterc",
            ".renovaterc.json",
        )
        if paths:
            return self.passed([ctx.evidence(paths[0], 1)], f"Updates automated by {paths[0]}.")
        return self.failed(ctx.anchor(), "No dependabot.yml or renovate configuration found.")


class SecurityScanInCi(Probe):
    """CI runs no dependency or code security scanner."""

    id = "SEC009"
    category = Category.security
    severity = Severity.medium
    title = "No security scanning in CI"
    rationale = "Known vulnerabilities in dependencies and code go unnoticed without a scanner."
    remediation = "Run pip-audit/npm audit/cargo audit/govulncheck or CodeQL/Trivy in CI."

    def check(self, ctx: ProbeContext) -> CheckResult:
        cmd = ci_runs(ctx, AUDIT)
        if cmd:
            return self.passed(
                [ctx.evidence(cmd.path, cmd.line)], f"Security scanning in CI: {cmd.describe()}."
            )
        files = ci_files(ctx)
        return self.failed(
            [ctx.evidence(files[0], 1)] if files else ctx.anchor(),
            "No audit or security scanner runs in CI"
            + (f" ({files[0]})." if files else " (no CI is configured)."),
        )


class Lockfiles(Probe):
    """Dependencies are resolved without a committed lockfile."""

    id = "SEC020"
    category = Category.security
    severity = Severity.medium
    title = "No dependency lockfile"
    rationale = "Without a lockfile every install can pull different, unreviewed versions."
    remediation = "Commit the lockfile (uv.lock, poetry.lock, package-lock.json, go.sum, ...)."

    def check(self, ctx: ProbeContext) -> CheckResult:
        locks = lockfiles(ctx)
        needed: dict[str, Evidence] = {}
        py = [r for r in python_requirements(ctx) if not r.dev]
        if py and not all(r.pinned for r in py):
            needed["python"] = ctx.evidence(py[0].path, py[0].line)
        if node_packages(ctx):
            path = node_packages(ctx)[0].path
            needed["javascript"] = ctx.evidence(path, 1)
        for path in ctx.named("go.mod"):
            if re.search(r"^require\b", ctx.text(path), re.M):
                needed["go"] = ctx.evidence(path, 1)
        cargo = cargo_dependencies(ctx)
        if cargo and any(f.path.endswith("src/main.rs") for f in ctx.files):
            needed["rust"] = ctx.evidence(cargo[0].path, 1)
        if not needed:
            return self.not_applicable("No third-party dependencies that need a lockfile.")
        missing = [eco for eco in needed if eco not in locks]
        if missing:
            return self.failed(
                [needed[e] for e in missing], f"No lockfile for {', '.join(missing)} dependencies."
            )
        found = [locks[e] for e in needed]
        return self.passed([ctx.evidence(p, 1) for p in found], f"Lockfiles: {', '.join(found)}.")


class PythonPinning(Probe):
    """Python dependencies are declared without any version constraint."""

    id = "SEC021"
    category = Category.security
    severity = Severity.medium
    title = "Unpinned Python dependencies"
    rationale = "An unconstrained dependency can jump major versions on the next install."
    remediation = "Bound versions in the manifest and pin exact versions in a lockfile."

    def check(self, ctx: ProbeContext) -> CheckResult:
        reqs = python_requirements(ctx)
        if not reqs:
            return self.not_applicable("No Python dependencies are declared.")
        lock = lockfiles(ctx).get("python")
        loose = [r for r in reqs if not r.bounded]
        if loose and not lock:
            names = ", ".join(r.name for r in loose[:6])
            return self.failed(
                [ctx.evidence(r.path, r.line) for r in loose[:5]],
                f"{len(loose)} of {len(reqs)} dependencies have no version "
                f"constraint and there is no lockfile: {names}.",
            )
        if lock:
            return self.passed([ctx.evidence(lock, 1)], f"Versions locked in {lock}.")
        return self.passed(
            [ctx.evidence(reqs[0].path, reqs[0].line)],
            f"All {len(reqs)} dependencies carry version constraints.",
        )


class FloatingDependencies(Probe):
    """Dependencies point at wildcards, `latest` or git branches."""

    id = "SEC022"
    category = Category.security
    severity = Severity.medium
    title = "Dependencies on wildcard, latest or git versions"
    rationale = "Floating references pull whatever is newest, including compromised releases."
    remediation = "Depend on released versions with explicit constraints."

    def check(self, ctx: ProbeContext) -> CheckResult:
        reqs = python_requirements(ctx) + node_packages(ctx) + cargo_dependencies(ctx)
        if not reqs:
            return self.not_applicable("No dependency manifest declares dependencies.")
        floating = [
            r
            for r in reqs
            if r.spec.strip() in ("*", "latest", "x")
            or re.match(r"(git\+|github:|git://|https?://)", r.spec.strip())
            or (r.ecosystem == "rust" and r.spec == "" and "git" in ctx.lines(r.path)[r.line - 1])
        ]
        if floating:
            return self.failed(
                [ctx.evidence(r.path, r.line) for r in floating[:5]],
                "Floating versions: "
                + ", ".join(f"{r.name} ({r.spec or 'git'})" for r in floating[:5])
                + ".",
            )
        return self.passed(
            [ctx.evidence(reqs[0].path, reqs[0].line)],
            f"None of {len(reqs)} dependencies uses a floating version.",
        )


class ReproducibleInstall(Probe):
    """CI installs JavaScript dependencies without honouring the lockfile."""

    id = "SEC023"
    category = Category.security
    severity = Severity.low
    title = "CI installs dependencies without the lockfile"
    rationale = "`npm install` may rewrite the lockfile; CI then tests versions nobody reviewed."
    remediation = (
        "Use `npm ci`, `yarn --frozen-lockfile`/`--immutable` or `pnpm i --frozen-lockfile`."
    )

    def check(self, ctx: ProbeContext) -> CheckResult:
        if not node_packages(ctx) or not ci_files(ctx):
            return self.not_applicable("No npm dependencies installed by CI.")
        loose = [
            c
            for c in ci_commands(ctx)
            if re.search(
                r"\b(npm (install|i)\b(?!\s+-g)|yarn( install)?\s*$|pnpm (install|i)"
                r"\b)",
                c.text,
            )
            and "frozen" not in c.text
            and "immutable" not in c.text
        ]
        if loose:
            return self.failed(
                [ctx.evidence(c.path, c.line) for c in loose[:3]],
                f"CI runs `{loose[0].text}` ({loose[0].path}:{loose[0].line}).",
            )
        strict = ci_runs(ctx, r"npm ci\b|frozen-lockfile|--immutable")
        if strict:
            return self.passed(
                [ctx.evidence(strict.path, strict.line)],
                f"CI installs from the lockfile: {strict.describe()}.",
            )
        return self.not_applicable("CI does not install npm dependencies.")


class ActionPinning(Probe):
    """GitHub Actions are referenced by branch instead of a version or commit."""

    id = "SEC024"
    category = Category.security
    severity = Severity.low
    title = "GitHub Actions pinned to branches"
    rationale = "An action on @main runs whatever its owner pushes next, with your secrets."
    remediation = "Pin actions to a release tag or, better, a full commit SHA."

    def check(self, ctx: ProbeContext) -> CheckResult:
        uses = [
            c
            for c in ci_commands(ctx)
            if c.text.startswith("uses: ")
            and not c.via
            and not c.text.startswith(("uses: ./", "uses: docker://"))
        ]
        if not uses:
            return self.not_applicable("No GitHub Actions are used.")
        loose = [
            c
            for c in uses
            if "@" not in c.text or re.search(r"@(main|master|latest|dev|develop|HEAD)\s*$", c.text)
        ]
        if loose:
            return self.failed(
                [ctx.evidence(c.path, c.line) for c in loose[:5]],
                f"{plural(len(loose), 'action')} on a branch, e.g. `{loose[0].text}`.",
            )
        return self.passed(
            [ctx.evidence(uses[0].path, uses[0].line)],
            f"All {len(uses)} actions reference a version or commit.",
        )
