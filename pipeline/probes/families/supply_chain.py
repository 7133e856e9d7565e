"""Supply-chain probes: lockfiles, pinning, update bots, scanners, policy, action pinning."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from pipeline.probes.base import Hit, Probe, plural
from pipeline.probes.shapes import CiToolProbe
from pipeline.probes.views.ci import CiModel
from pipeline.probes.views.datafiles import DataFiles
from pipeline.probes.views.manifests import LOCKFILES, Manifests, Requirement
from pipeline.probes.views.profile import ProfileView
from pipeline.probes.views.repo import RepoView
from pipeline.probes.views.tools import AUDIT, LINT_ONLY
from pipeline.schemas import Category, CheckResult, Evidence, Outcome, Severity


class SecurityPolicy(Probe):
    """No security policy tells reporters how to disclose vulnerabilities."""

    id = "SEC007"
    category = Category.security
    severity = Severity.low
    title = "No security policy"
    rationale = "Without a policy, vulnerabilities get reported in public issues or not at all."
    remediation = "Add SECURITY.md with a private reporting channel and supported versions."

    def check(self, repo: RepoView) -> CheckResult:
        paths = repo.named("SECURITY.md", "SECURITY.rst", "SECURITY.txt", "security.txt")
        if paths:
            return self.passed([repo.evidence(paths[0], 1)], f"Security policy in {paths[0]}.")
        # A section of the contributing guide or README that says how to report one.
        for path in repo.named("CONTRIBUTING.md", "README.md", "README.rst", "CONTRIBUTING.rst"):
            line = repo.line_of(
                path,
                r"(?i)^\s*#+\s.*(report(ing)?\s+(a\s+)?(security|vulnerabilit)|security\s+(polic|disclos)|"
                r"vulnerabilit(y|ies)\s+(report|disclos))",
                0,
            )
            if line:
                return self.passed(
                    [repo.evidence(path, line)],
                    f"How to report a vulnerability is documented in {path}:{line}.",
                )
        # Or, under any heading, a paragraph that says where security bugs go.
        for path in repo.named("CONTRIBUTING.md", "README.md", "README.rst", "CONTRIBUTING.rst"):
            found = _reporting_paragraph(repo.lines(path))
            if found:
                start, end = found
                return self.passed(
                    [repo.evidence(path, start, end)],
                    f"How to report a vulnerability is documented in {path}:{start}-{end}.",
                )
        return self.failed(
            repo.anchor("README.md"),
            "No SECURITY.md, and no section of the README or contributing guide on reporting "
            "vulnerabilities, was found (an organisation-wide policy in its .github repository "
            "cannot be seen from here).",
            looked_at=[
                "SECURITY.md/.rst/.txt, and security or vulnerability-reporting headings or "
                "paragraphs in README and CONTRIBUTING"
            ],
        )


# A paragraph on reporting security bugs names what is reported ...
_SECURITY_SUBJECT = re.compile(
    r"(?i)\bsecurity[- ](bug|issue|problem|flaw|vulnerabilit|report|concern|hole)|"
    r"\bvulnerabilit(y|ies)\b"
)
# ... and a channel that keeps it out of public issues: a bounty programme, a disclosure
# process, a private report, a security address, a repository security advisory.
_PRIVATE_CHANNEL = re.compile(
    r"(?i)\bbounty\b|\b(responsible|coordinated|safe|private)\s+disclosure|"
    r"\bprivately\b|\b(do\s+not|don't|never)\s+(open|file|create|post|report|submit)\b|"
    r"\bnot\s+(in\s+|as\s+|via\s+)?(a\s+)?public\s+(github\s+)?issue|"
    r"\bsecurity@|\bhackerone\b|security\s+advisor|report\s+a\s+vulnerability|"
    r"\b(e-?mail|contact)\b[^.]*?[\w.+-]+@[\w-]+\.\w"
)


def _reporting_paragraph(lines: tuple[str, ...]) -> tuple[int, int] | None:
    """The lines (1-based, inclusive) of the first prose paragraph that tells reporters where
    to send security bugs: it names them and a private channel. A word on security in
    passing ("keep dependencies secure") names neither."""
    start = 0
    fenced = False
    block: list[str] = []
    for number, line in enumerate([*lines, ""], 1):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            block, start = [], 0
            continue
        if fenced:
            continue
        if line.strip():
            start = start or number
            block.append(line)
            continue
        text = " ".join(block)
        if block and _SECURITY_SUBJECT.search(text) and _PRIVATE_CHANNEL.search(text):
            return start, number - 1
        block, start = [], 0
    return None


class UpdateBot(Probe):
    """No bot keeps dependencies up to date."""

    id = "SEC008"
    category = Category.security
    severity = Severity.medium
    title = "No automated dependency updates"
    rationale = "Without Dependabot or Renovate, known-vulnerable versions linger for months."
    remediation = "Enable Dependabot (.github/dependabot.yml) or Renovate (renovate.json)."

    def check(self, repo: RepoView, data: DataFiles, manifests: Manifests) -> CheckResult:
        paths = repo.named(
            "dependabot.yml",
            "dependabot.yaml",
            "renovate.json",
            "renovate.json5",
            ".renovaterc",
            ".renovaterc.json",
            ".renovaterc.json5",
        )
        if paths:
            unwatched = _unwatched(repo, data, manifests, paths[0])
            if unwatched:
                names = ", ".join(f"{eco} ({ev.location})" for eco, ev in unwatched.items())
                return self.passed(
                    [repo.evidence(paths[0], 1), *list(unwatched.values())[:2]],
                    f"{paths[0]} keeps only {', '.join(_watched(data, paths[0])) or 'nothing'} "
                    f"up to date; the product's {names} dependencies are not watched.",
                    partial=True,
                )
            return self.passed([repo.evidence(paths[0], 1)], f"Updates automated by {paths[0]}.")
        for path in repo.named("package.json"):
            line = repo.line_of(path, r'^\s*"renovate"\s*:', 0)
            if line:
                return self.passed(
                    [repo.evidence(path, line)], f"Updates automated by Renovate ({path}:{line})."
                )
        none = ""
        if not runtime_dependencies(repo, manifests):
            none = (
                "It declares no third-party dependency it runs with: there is nothing of its "
                "own for a bot to keep up to date (its CI actions and development tools aside)."
            )
        return self.failed(
            repo.anchor(),
            "No dependabot.yml or renovate configuration found.",
            looked_at=["dependabot.yml, renovate.json(5), .renovaterc and package.json renovate"],
            advisory=none,
        )


# Dependabot's package-ecosystem values for each language's dependency manifests.
_DEPENDABOT_ECOSYSTEMS = {
    "python": {"pip", "pipenv", "poetry", "uv", "pip-compile"},
    "javascript": {"npm", "yarn", "pnpm", "bun"},
    "go": {"gomod"},
    "rust": {"cargo"},
    "java": {"maven", "gradle"},
}


def _watched(data: DataFiles, path: str) -> list[str]:
    """The package-ecosystem values a dependabot.yml lists ([] for any other file)."""
    if PurePosixPath(path).name not in ("dependabot.yml", "dependabot.yaml"):
        return []
    found: list[str] = []
    for doc in data.yaml_docs(path):
        updates = doc.get("updates") if isinstance(doc, dict) else None
        for entry in updates if isinstance(updates, list) else ():
            eco = entry.get("package-ecosystem") if isinstance(entry, dict) else None
            if isinstance(eco, str) and eco not in found:
                found.append(eco)
    return found


def _unwatched(
    repo: RepoView, data: DataFiles, manifests: Manifests, path: str
) -> dict[str, Evidence]:
    """The languages whose runtime dependencies the product declares but a dependabot.yml
    does not watch (it lists only github-actions, say). Renovate watches every manager it
    finds by default, so only a dependabot.yml that parses and lists ecosystems is read."""
    watched = set(_watched(data, path))
    if not watched:
        return {}
    declared: dict[str, Evidence] = {}
    py = [r for r in manifests.python_requirements() if not r.dev]
    if any(manifests.distributed(r.path) for r in manifests.python_requirements()) or any(
        manifests.distributed(p) for p in repo.named("pyproject.toml", "setup.py", "setup.cfg")
    ):
        # A package's runtime dependencies are those its build declares; a requirements.txt
        # beside it pins the development environment.
        py = [r for r in py if manifests.distributed(r.path)]
    if py:
        declared["python"] = repo.evidence(py[0].path, py[0].line)
    node = [r for r in manifests.node_packages() if not r.dev]
    if node:
        declared["javascript"] = repo.evidence(node[0].path, node[0].line)
    for go_mod in repo.named("go.mod"):
        line = repo.line_of(go_mod, r"^require\b", 0)
        if line:
            declared.setdefault("go", repo.evidence(go_mod, line))
    cargo = [r for r in manifests.cargo_dependencies() if not r.dev]
    if cargo:
        declared["rust"] = repo.evidence(cargo[0].path, cargo[0].line)
    for build in repo.named("pom.xml", "build.gradle", "build.gradle.kts")[:1]:
        if re.search(r"<dependency>|implementation\s*[(\"']|api\s*[(\"']", repo.text(build)):
            declared["java"] = repo.evidence(build, 1)
    return {eco: ev for eco, ev in declared.items() if not (_DEPENDABOT_ECOSYSTEMS[eco] & watched)}


class SecurityScanInCi(CiToolProbe):
    """CI runs no dependency or code security scanner."""

    id = "SEC009"
    category = Category.security
    severity = Severity.medium
    title = "No security scanning in CI"
    rationale = "Known vulnerabilities in dependencies and code go unnoticed without a scanner."
    remediation = "Run pip-audit/npm audit/cargo audit/govulncheck or CodeQL/Trivy in CI."
    pattern = AUDIT
    tool = "security scanner"

    def check(  # type: ignore[override]
        self, repo: RepoView, ci: CiModel, required: dict[str, CheckResult], data: DataFiles
    ) -> CheckResult:
        result = super().check(repo, ci, required)
        runs = ci.all_runs(AUDIT)
        ruff = _ruff_security_rules(repo, data)
        if result.outcome is Outcome.failed and ruff is not None:
            ran = ci.runs(r"\bruff\b(?![- ]format)")
            if ran is not None:
                return self.cannot_determine(
                    f"Only a security linter runs in CI: ruff ({ran.describe()}) with its "
                    f"bandit rules selected ({ruff}); it flags risky code patterns but checks "
                    "neither dependencies nor known vulnerabilities.",
                    looked_at=[f"{plural(len(ci.files), 'CI file')} and the commands they reach"],
                    evidence=[repo.evidence(ran.path, ran.line)],
                )
        scanners = [c for c in runs if not re.search(LINT_ONLY, c.text)]
        if result.outcome is Outcome.passed and scanners:
            cmd = scanners[0]
            return self.passed(
                [repo.evidence(cmd.path, cmd.line)],
                f"{self.tool.capitalize()} runs in CI: {cmd.describe()}.",
            )
        if result.outcome is Outcome.passed:
            # bandit and gosec are linters for risky code patterns: they look up no known
            # vulnerability in the code or its dependencies.
            cmd = runs[0]
            return self.cannot_determine(
                f"Only a security linter runs in CI ({cmd.describe()}): it flags risky code "
                "patterns but checks neither dependencies nor known vulnerabilities.",
                looked_at=[f"{plural(len(ci.files), 'CI file')} and the commands they reach"],
                evidence=[repo.evidence(cmd.path, cmd.line)],
            )
        return result


def _ruff_security_rules(repo: RepoView, data: DataFiles) -> str | None:
    """Where ruff's configuration selects its bandit rules (``S``, or ``ALL``), if it does."""
    for path in repo.named("pyproject.toml", "ruff.toml", ".ruff.toml"):
        table = data.toml(path) or {}
        if path.endswith("pyproject.toml"):
            table = table.get("tool", {}).get("ruff", {})
        if not isinstance(table, dict):
            continue
        lint = table.get("lint", {}) if isinstance(table.get("lint"), dict) else {}
        for key in ("select", "extend-select"):
            chosen = [*(table.get(key) or []), *(lint.get(key) or [])]
            if any(rule in ("S", "ALL") for rule in chosen if isinstance(rule, str)):
                line = repo.line_of(path, rf"^\s*{key}\s*=")
                return f"{path}:{line}"
    return None


_JVM = (
    "Maven has no lockfile convention and Gradle's locking is opt-in: both resolve the exact "
    "versions the build file declares; only transitive versions can drift."
)


class Lockfiles(Probe):
    """Dependencies are resolved without a committed lockfile."""

    id = "SEC020"
    category = Category.security
    severity = Severity.medium
    title = "No dependency lockfile"
    applies = "resolves_own"
    rationale = "Without a lockfile every install can pull different, unreviewed versions."
    remediation = "Commit the lockfile (uv.lock, poetry.lock, package-lock.json, go.sum, ...)."

    def check(self, repo: RepoView, manifests: Manifests, profile: ProfileView) -> CheckResult:
        locks = dict(manifests.lockfiles())
        py = [r for r in manifests.python_requirements() if not r.dev]
        if py and all(r.pinned for r in py):  # every requirement pinned with == is a lock
            locks.setdefault("python", py[0].path)
        needed = runtime_dependencies(repo, manifests, npm_dev=True)
        if not needed:
            return self.not_applicable("No third-party dependencies are declared.")
        missing = [eco for eco in needed if eco not in locks]
        if missing:
            result = self.failed(
                [needed[e] for e in missing],
                f"No lockfile for {', '.join(missing)} dependencies"
                + (f" (locked: {', '.join(sorted(set(locks.values())))})." if locks else "."),
                looked_at=[
                    f"{', '.join(LOCKFILES[e])} anywhere in the repository" for e in missing
                ],
            )
            if missing == ["java"]:
                return result.model_copy(update={"severity": Severity.low, "advisory": _JVM})
            if (
                missing == ["python"]
                and any(manifests.distributed(r.path) for r in py)
                and not profile.holds("service|worker")
                and "app" not in profile.decisions.kinds
            ):
                return result.model_copy(update={"advisory": _INSTALLED})
            return result
        found = sorted({locks[e] for e in needed})
        return self.passed([repo.evidence(p, 1) for p in found], f"Lockfiles: {', '.join(found)}.")


def runtime_dependencies(
    repo: RepoView, manifests: Manifests, *, npm_dev: bool = False
) -> dict[str, Evidence]:
    """Per ecosystem, where the product declares third-party dependencies it runs with
    (``npm_dev``: npm's devDependencies too, which a bundled app builds with)."""
    needed: dict[str, Evidence] = {}
    py = [r for r in manifests.python_requirements() if not r.dev]
    if py:
        needed["python"] = repo.evidence(py[0].path, py[0].line)
    # devDependencies are the build's and the tests', not what the package runs with.
    node = [r for r in manifests.node_packages() if npm_dev or not r.dev]
    if node:
        needed["javascript"] = repo.evidence(node[0].path, node[0].line or 1)
    # An example's own go.mod (_examples/versions/go.mod) is not the product's.
    for path in [p for p in repo.named("go.mod") if repo.by_path[p].role == "product"]:
        if re.search(r"^require\b", repo.text(path), re.M):
            needed["go"] = repo.evidence(path, 1)
    cargo = [r for r in manifests.cargo_dependencies() if not r.dev]
    if cargo:
        needed["rust"] = repo.evidence(cargo[0].path, cargo[0].line)
    for path in repo.named("pom.xml", "build.gradle", "build.gradle.kts")[:1]:
        if re.search(r"<dependency>|implementation\s*[(\"']|api\s*[(\"']", repo.text(path)):
            needed["java"] = repo.evidence(path, 1)
    return needed


_INSTALLED = (
    "A package its users install (pip, pipx): their installs resolve its dependency ranges, "
    "so a lockfile in the repository would pin only CI and development, not what users run."
)
_DISTRIBUTED = (
    "Not applicable: the Python dependencies are those of a package others install "
    "(declared with a build system): a package declares ranges, or no constraint, and the "
    "installs of its users resolve the versions."
)


_RANGES = (
    "A package its users install (pip, pipx) declares ranges, or no constraint, by design: "
    "their installs resolve the versions, and a requirements file beside the package sets up "
    "a checkout (development, CI), not what users run."
)


class PythonPinning(Probe):
    """Python dependencies are declared without any version constraint."""

    id = "SEC021"
    category = Category.security
    severity = Severity.medium
    title = "Unpinned Python dependencies"
    rationale = "An unconstrained dependency can jump major versions on the next install."
    remediation = "Bound versions in the manifest and pin exact versions in a lockfile."

    def check(self, repo: RepoView, manifests: Manifests, profile: ProfileView) -> CheckResult:
        reqs = [r for r in manifests.python_requirements() if not r.dev]
        if not reqs:
            return self.not_applicable("No Python runtime dependencies are declared.")
        lock = manifests.lockfiles().get("python")
        # A package others pip-install (built from a pyproject.toml, setup.py or setup.cfg of
        # the product's own), unless a service, worker or app is deployed from the checkout.
        package = (
            any(manifests.distributed(r.path) for r in reqs)
            or any(
                manifests.distributed(p) and repo.by_path[p].role == "product"
                for p in repo.named("pyproject.toml", "setup.py", "setup.cfg")
            )
        ) and not (profile.holds("service|worker") or "app" in profile.decisions.kinds)
        if not lock:
            reqs = [r for r in reqs if not manifests.distributed(r.path)]
            if not reqs:
                return self.not_applicable(_DISTRIBUTED)
        loose = [r for r in reqs if not r.bounded]
        if loose and not lock:
            names = ", ".join(list(dict.fromkeys(r.name for r in loose))[:6])
            result = self.failed(
                [repo.evidence(r.path, r.line) for r in loose[:5]],
                f"{len(loose)} of {len(reqs)} dependencies have no version "
                f"constraint and there is no lockfile: {names}.",
            )
            # The requirements file beside such a package sets up a checkout (development,
            # CI, running from source); what users run is resolved by their own installs.
            return result.model_copy(update={"advisory": _RANGES}) if package else result
        if lock:
            return self.passed([repo.evidence(lock, 1)], f"Versions locked in {lock}.")
        return self.passed(
            [repo.evidence(reqs[0].path, reqs[0].line)],
            f"All {len(reqs)} dependencies carry version constraints.",
        )


# A requirements-file line that installs from a repository or an archive, not from an
# index: `git+https://...#egg=x`, `-e git+ssh://...`, `https://.../x-main.zip`.
_URL_LINE = re.compile(r"^\s*(?:(?:-e|--editable)\s+)?((?:git|hg|svn|bzr)\+\S+|https?://\S+)")
_NOT_PRODUCT_ROLES = frozenset({"example", "fixture", "test", "bench"})


def _url_requirements(repo: RepoView) -> list[Requirement]:
    """Requirements installed from a VCS or archive URL in requirements files (the manifests
    view reads only named requirements): whatever the branch or the archive holds today."""
    out: list[Requirement] = []
    for f in repo.files:
        path = PurePosixPath(f.path)
        name = path.name.lower()
        if not repo.applies(f.path) or f.role in _NOT_PRODUCT_ROLES:
            continue
        if not name.endswith((".txt", ".in")) or not (
            name.startswith("requirements") or path.parent.name.lower() == "requirements"
        ):
            continue
        for number, line in enumerate(repo.lines(f.path), 1):
            found = _URL_LINE.match(line)
            if not found:
                continue
            url = found.group(1)
            egg = re.search(r"[#&]egg=([\w.-]+)", url)
            stem = url.split("#")[0].split("?")[0].rstrip("/").rsplit("/", 1)[-1]
            label = egg.group(1) if egg else re.sub(r"\.(git|zip|tar\.gz|whl)$", "", stem)
            out.append(Requirement(label or url, url, f.path, number, "python", False))
    return out


class FloatingDependencies(Probe):
    """Dependencies point at wildcards, `latest` or git branches."""

    id = "SEC022"
    category = Category.security
    severity = Severity.medium
    title = "Dependencies on wildcard, latest or git versions"
    rationale = "Floating references pull whatever is newest, including compromised releases."
    remediation = "Depend on released versions with explicit constraints."

    def check(self, repo: RepoView, manifests: Manifests) -> CheckResult:
        reqs = (
            manifests.python_requirements()
            + _url_requirements(repo)
            + manifests.node_packages()
            + manifests.cargo_dependencies()
        )
        if not reqs:
            return self.not_applicable("No dependency manifest declares dependencies.")
        # An application's runtime requirement with no version specifier takes whatever is
        # newest, as `*` does, unless a lockfile pins it. A package others install (built with
        # a build system) declares ranges or nothing by design: its users' installs resolve
        # the versions, so its own requirements are judged for wildcards and git references
        # only. (Requirements files often list development tools, or are pip-compile inputs;
        # they are not read for this.)
        locked = bool(repo.named(*LOCKFILES["python"]))
        distributed = [r for r in reqs if r.ecosystem == "python" and manifests.distributed(r.path)]
        # `*` on a package of the same workspace resolves to the local copy, not a registry.
        local = {
            data["name"]
            for path in repo.named("package.json")
            if isinstance(data := manifests.data.json(path), dict)
            and isinstance(data.get("name"), str)
        }
        floating = [
            r
            for r in reqs
            if (
                r.spec.strip() in ("*", "latest", "x")
                and not (r.ecosystem == "javascript" and r.name in local)
            )
            # PEP 508's direct references (`pkg @ git+https://...`) too.
            or re.match(r"(@\s*)?(git\+|github:|git://|https?://)", r.spec.strip())
            or (r.ecosystem == "rust" and r.spec == "" and "git" in repo.line(r.path, r.line))
            or (
                r.ecosystem == "python"
                and not r.spec.strip()
                and not r.dev
                and not locked
                and r not in distributed
                and PurePosixPath(r.path).name == "pyproject.toml"
            )
        ]
        if floating:

            def shown(r: Requirement) -> str:
                if r.spec:
                    return r.spec
                return "no version constraint" if r.ecosystem == "python" else "git"

            return self.failed(
                [repo.evidence(r.path, r.line) for r in floating[:5]],
                "Floating versions: "
                + ", ".join(f"{r.name} ({shown(r)})" for r in floating[:5])
                + (f" and {len(floating) - 5} more" if len(floating) > 5 else "")
                + ".",
            )
        if len(distributed) == len(reqs) and not locked:
            return self.not_applicable(
                _DISTRIBUTED.removesuffix(".") + "; none of them uses a wildcard or git reference."
            )
        return self.passed(
            [repo.evidence(reqs[0].path, reqs[0].line)],
            f"None of {len(reqs)} dependencies uses a wildcard, latest or git reference"
            + (
                "."
                if locked
                or distributed
                or not any(
                    r.ecosystem == "python" and PurePosixPath(r.path).name == "pyproject.toml"
                    for r in reqs
                )
                else ", nor is a runtime requirement in pyproject.toml left without a version "
                "(requirements files, often lists of development tools, are not judged for this)."
            ),
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

    def check(self, repo: RepoView, ci: CiModel, manifests: Manifests) -> CheckResult:
        if not manifests.node_packages() or not ci.files:
            return self.not_applicable("No npm dependencies installed by CI.")
        no_lock = _no_lockfile_on_purpose(repo)
        if no_lock is not None:
            return self.not_applicable(
                f"The project keeps no lockfile on purpose ({no_lock.where}: "
                f"`{no_lock.text.strip()}`): a library tested against the versions its users "
                "resolve has no lockfile for CI to install from."
            )
        # pnpm (with a pnpm-lock.yaml) and Yarn 2+ install from the lockfile by default when
        # they run in CI: `pnpm install` there is `pnpm install --frozen-lockfile`.
        frozen_in_ci = []
        if repo.named("pnpm-lock.yaml"):
            frozen_in_ci.append("pnpm")
        if repo.named(".yarnrc.yml") or any(
            re.search(r'"packageManager"\s*:\s*"yarn@[2-9]', repo.text(p))
            for p in repo.named("package.json")
        ):
            frozen_in_ci.append("yarn")
        loose = [
            c
            for c in ci.commands()
            if re.search(
                r"\b(npm (install|i)\b|yarn( install)?\s*$|pnpm (install|i)\b)",
                c.text,
            )
            # Installing a tool globally (npm i -g pnpm) installs no project dependencies.
            and not re.search(r"\s(-g|--global|--location[= ]global)\b", c.text)
            and ("no-frozen" in c.text or "frozen" not in c.text)
            and "immutable" not in c.text
            and not (c.text.split()[0] in frozen_in_ci and "no-frozen" not in c.text)
        ]
        if loose:
            return self.failed(
                [repo.evidence(c.path, c.line) for c in loose[:3]],
                f"CI runs `{loose[0].text}` ({loose[0].path}:{loose[0].line}).",
            )
        strict = ci.runs(r"npm ci\b|(?<!no-)frozen-lockfile|--immutable")
        if strict is None and frozen_in_ci:
            managers = {"pnpm": r"pnpm (install|i)\b", "yarn": r"yarn( install)?\s*$"}
            strict = ci.runs(r"^(" + "|".join(managers[m] for m in frozen_in_ci) + ")")
            if strict is not None:
                return self.passed(
                    [repo.evidence(strict.path, strict.line)],
                    f"CI installs from the lockfile: {strict.describe()}, which in CI "
                    "refuses to change the lockfile by default.",
                )
        if strict:
            return self.passed(
                [repo.evidence(strict.path, strict.line)],
                f"CI installs from the lockfile: {strict.describe()}.",
            )
        return self.not_applicable("CI does not install npm dependencies.")


def _no_lockfile_on_purpose(repo: RepoView) -> Hit | None:
    """`.npmrc`'s ``package-lock=false`` (npm writes no lockfile), with none tracked."""
    if repo.named("package-lock.json", "yarn.lock", "pnpm-lock.yaml", "bun.lockb", "bun.lock"):
        return None
    for path in repo.named(".npmrc"):
        line = repo.line_of(path, r"^\s*package-lock\s*=\s*false\b", 0)
        if line:
            return Hit(path, line, repo.line(path, line))
    return None


class ActionPinning(Probe):
    """GitHub Actions are referenced by branch instead of a version or commit."""

    id = "SEC024"
    category = Category.security
    severity = Severity.low
    title = "GitHub Actions pinned to branches"
    rationale = "An action on @main runs whatever its owner pushes next, with your secrets."
    remediation = "Pin actions to a release tag or, better, a full commit SHA."

    def check(self, repo: RepoView, ci: CiModel) -> CheckResult:
        uses = [
            c
            for c in ci.commands()
            if c.text.startswith("uses: ")
            and not c.via
            # ./ and $/ are actions of the repository itself, at the commit that runs.
            and not c.text.startswith(("uses: ./", "uses: $/", "uses: docker://"))
        ]
        if not uses:
            return self.not_applicable("No GitHub Actions are used.")
        refs = [(c, _action_ref(c.text)) for c in uses]
        loose = [c for c, ref in refs if ref == "branch"]
        if loose:
            return self.failed(
                [repo.evidence(c.path, c.line) for c in loose[:5]],
                f"{plural(len(loose), 'action')} on a branch rather than a version or commit, "
                f"e.g. `{loose[0].text}`.",
            )
        pinned = sum(ref == "commit" for _, ref in refs)
        how = (
            "all by full commit SHA"
            if pinned == len(uses)
            else f"{pinned} by full commit SHA, the rest by release tag"
            if pinned
            else "by release tag; none by commit SHA"
        )
        return self.passed(
            [repo.evidence(uses[0].path, uses[0].line)],
            f"All {len(uses)} actions reference a version or commit ({how}).",
        )


# A release tag: v1, v1.2, 1.2.3, v4.1.0, v2.0.0-beta.1. Anything else that is not a full
# commit SHA (stable, nightly, main, release/v1, a feature branch) names a branch.
_VERSION_REF = re.compile(r"v?\d+(\.\d+)*([-+][0-9A-Za-z.-]+)?", re.IGNORECASE)
_COMMIT_REF = re.compile(r"[0-9a-f]{40}", re.IGNORECASE)


def _action_ref(uses: str) -> str:
    """What an action reference points at: "commit" (immutable), "version" (a release tag,
    movable but published on purpose) or "branch" (whatever is pushed next, so unpinned)."""
    ref = uses.partition("@")[2].strip()
    if _COMMIT_REF.fullmatch(ref):
        return "commit"
    if _VERSION_REF.fullmatch(ref):
        return "version"
    return "branch"
