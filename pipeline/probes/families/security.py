"""Security probes: secrets, unsafe calls, TLS, SQL built from strings, weak hashes."""

from __future__ import annotations

import ast
import re
from typing import ClassVar

from pipeline.probes.base import Hit, Probe
from pipeline.probes.shapes import HazardProbe
from pipeline.probes.views.ci import CiModel
from pipeline.probes.views.imports import Imports
from pipeline.probes.views.knowledge import Knowledge
from pipeline.probes.views.profile import ProfileView
from pipeline.probes.views.python import PyCall, PythonCode, is_false, is_true
from pipeline.probes.views.repo import RepoView
from pipeline.probes.views.search import CODE, TextSearch
from pipeline.schemas import Category, CheckResult, Evidence, Severity, SourceFile

_SKIP_SECRET_FILES = (
    "package-lock.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "poetry.lock",
    "uv.lock",
    "cargo.lock",
    "go.sum",
)


class HardcodedSecrets(Probe):
    """Secrets (keys, tokens, passwords) are written into the repository."""

    id = "SEC001"
    category = Category.security
    severity = Severity.critical
    title = "Hard-coded secrets in the repository"
    rationale = "Anyone with read access (and the git history forever) holds these credentials."
    remediation = "Revoke and rotate the secrets; load them from the environment or a vault."

    product = True
    where = ""

    def check(self, repo: RepoView) -> CheckResult:
        evidence: list[Evidence] = []
        kinds: list[str] = []
        scanned = 0
        for f in repo.files:
            if not repo.applies(f.path) or f.path.lower().rsplit("/", 1)[-1] in _SKIP_SECRET_FILES:
                continue
            if _is_product(f) != self.product:
                continue
            scanned += 1
            # Found once by ingest; the evidence shows the redacted line, never the value.
            for match in repo.snapshot.secrets(f.path):
                evidence.append(repo.evidence(f.path, match.line))
                kinds.append(match.kind + (" (commented out)" if match.commented else ""))
        if not scanned and not self.product:
            return self.not_applicable("No test, fixture, example or documentation files.")
        if evidence:
            where = ", ".join(e.location for e in evidence[:3])
            return self.failed(
                evidence[:10],
                f"Secret-like values{self.where}: {len(evidence)} "
                f"({', '.join(sorted(set(kinds)))}) at {where}. Values are redacted here.",
            )
        # Nothing found: there is no line to cite, so the pass carries no evidence.
        return self.passed([], f"No secrets found in {scanned} {self.scope_phrase()} files.")

    def scope_phrase(self) -> str:
        return "product and configuration" if self.product else "test, fixture and docs"


def _is_product(f: SourceFile) -> bool:
    """Product and configuration files (what ships), as opposed to tests, fixtures, docs."""
    return f.role == "product" and not f.is_test


class SecretsOutsideProduct(HardcodedSecrets):
    """Secret-like values sit in tests, fixtures, examples or docs."""

    id = "SEC025"
    severity = Severity.low
    title = "Secret-like values in tests, fixtures or docs"
    rationale = (
        "Usually placeholders or test keys; a real credential here leaks just the same, so "
        "each one should be confirmed fake."
    )
    remediation = "Confirm each value is fake (or generate it at test time); rotate any real one."
    product = False
    where = " in tests, fixtures, examples or docs"


class _MixedHazard(HazardProbe):
    """A hazard read from the Python AST and, for other languages, from a pattern."""

    pattern = ""
    other: ClassVar[tuple[str, ...]] = ("javascript", "typescript", "go", "rust", "java")

    def python_sites(self) -> list[PyCall]:
        return []

    def hits(self) -> list[Hit]:
        found = [
            Hit(c.path, c.line, self.repo.shown(c.path, c.line).strip())
            for c in self.python_sites()
        ]
        if self.pattern:
            found += self.text.grep(self.pattern, self.other)
        return found


def _dynamic(call: PyCall) -> bool:
    return bool(call.node.args) and not isinstance(call.node.args[0], ast.Constant)


class EvalExec(_MixedHazard):
    """`eval`/`exec` (or `new Function`) run strings as code."""

    id = "SEC002"
    category = Category.security
    severity = Severity.high
    title = "Dynamic code execution with eval/exec"
    rationale = "Evaluating strings as code turns any injected input into code execution."
    remediation = "Replace eval/exec with explicit parsing (ast.literal_eval, JSON, dispatch)."
    pattern = r"(?<![\w.])eval\(|new Function\("
    other = ("javascript", "typescript")
    what = "eval/exec call"

    def python_sites(self) -> list[PyCall]:
        return [c for c in self.python.calls_named("eval", "exec", "builtins.eval") if _dynamic(c)]


class ShellInjection(_MixedHazard):
    """Commands run through a shell (`shell=True`, `os.system`, `sh -c`)."""

    id = "SEC003"
    category = Category.security
    severity = Severity.high
    title = "Commands run through a shell"
    rationale = "Shell command strings built from input allow command injection."
    remediation = "Pass argument lists without a shell (subprocess.run([...]), execFile)."
    pattern = (
        r"\bexec(Sync)?\(\s*(`[^`]*\$\{|['\"][^'\"]*['\"]\s*\+)|"
        r"exec\.Command\(\"(sh|bash)\",\s*\"-c\"|Runtime\.getRuntime\(\)\.exec\(|"
        r"Command::new\(\"(sh|bash)\"\)"
    )
    what = "shell command"

    def python_sites(self) -> list[PyCall]:
        risky = self.python.calls_named("os.system", "os.popen", "commands.getoutput")
        risky += [
            c
            for c in self.python.calls()
            if c.name.startswith("subprocess.") and is_true(c.keyword("shell"))
        ]
        return risky


class UnsafeDeserialisation(_MixedHazard):
    """Untrusted data may be deserialised with pickle, unsafe YAML or Java serialisation."""

    id = "SEC004"
    category = Category.security
    severity = Severity.high
    title = "Unsafe deserialisation"
    rationale = "pickle, yaml.load and ObjectInputStream execute code embedded in the data."
    remediation = "Use JSON or yaml.safe_load; never unpickle data from outside the process."
    pattern = r"new ObjectInputStream\(|XMLDecoder\(|\bunserialize\(|serde_pickle"
    what = "unsafe deserialisation call"

    def python_sites(self) -> list[PyCall]:
        out = self.python.calls_named(
            "pickle.load",
            "pickle.loads",
            "cPickle.loads",
            "dill.load",
            "dill.loads",
            "marshal.load",
            "marshal.loads",
            "shelve.open",
            "jsonpickle.decode",
            "yaml.unsafe_load",
            "pandas.read_pickle",
        )
        for call in self.python.calls_named("yaml.load", "yaml.load_all"):
            loader = call.keyword("Loader") or (
                call.node.args[1] if len(call.node.args) > 1 else None
            )
            if loader is None or "Safe" not in ast.unparse(loader):
                out.append(call)
        return out


class TlsVerificationDisabled(_MixedHazard):
    """TLS certificate verification is switched off."""

    id = "SEC005"
    category = Category.security
    severity = Severity.high
    title = "TLS certificate verification disabled"
    rationale = "Without verification any network attacker can read and alter the traffic."
    remediation = "Keep verification on; trust a private CA bundle instead of disabling checks."
    pattern = (
        r"rejectUnauthorized:\s*false|InsecureSkipVerify:\s*true|"
        r"danger_accept_invalid_certs\(true\)|NODE_TLS_REJECT_UNAUTHORIZED|"
        r"NoopHostnameVerifier|TrustAllCerts|trustAllCerts"
    )
    what = "disabled TLS verification"

    def python_sites(self) -> list[PyCall]:
        return [
            c
            for c in self.python.calls()
            if is_false(c.keyword("verify")) or c.name == "ssl._create_unverified_context"
        ]


def _formatted(node: ast.expr) -> bool:
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        return True
    return isinstance(node, ast.Call) and ast.unparse(node.func).endswith(".format")


class SqlFromStrings(_MixedHazard):
    """SQL statements are built by string formatting."""

    id = "SEC006"
    category = Category.security
    severity = Severity.high
    title = "SQL built by string formatting"
    rationale = "Formatting values into SQL invites injection; parameters do not."
    remediation = "Use bound parameters (placeholders) for every value in a query."
    pattern = (
        r"\.(query|execute|raw)\(\s*`[^`]*\$\{|\.(Query|Exec|QueryRow)(Context)?\("
        r"(ctx,\s*)?fmt\.Sprintf\(|(query\w*|execute\w*|prepareStatement|update|create(Native)?Query)\("
        r"\s*\"[^\"]*\"\s*\+|format!\(\"(SELECT|INSERT|UPDATE|DELETE)"
    )
    what = "query built from strings"

    def python_sites(self) -> list[PyCall]:
        return [
            c
            for c in self.python.calls_named(
                "*.execute",
                "*.executemany",
                "*.raw",
                "text",
                "sqlalchemy.text",
                "*.executescript",
            )
            if c.node.args and _formatted(c.node.args[0])
        ]


class WeakHashing(_MixedHazard):
    """MD5 or SHA-1 protect passwords, tokens or signatures, which they cannot do safely."""

    id = "SEC016"
    category = Category.security
    severity = Severity.medium
    title = "Weak hash functions (MD5/SHA-1)"
    rationale = "MD5 and SHA-1 collide cheaply; they must not protect passwords or integrity."
    remediation = "Use SHA-256+ for integrity and argon2/bcrypt/scrypt for passwords."
    pattern = (
        r"createHash\(['\"](md5|sha1)['\"]|\b(md5|sha1)\.New\(|"
        r"MessageDigest\.getInstance\(\"(MD5|SHA-?1)\"|Md5::new|md5::compute"
    )
    what = "weak hash use for security"

    def python_sites(self) -> list[PyCall]:
        return [
            c
            for c in self.python.calls_named("hashlib.md5", "hashlib.sha1")
            if not is_false(c.keyword("usedforsecurity"))
            and _SECURITY_CONTEXT.search(f"{c.function} {self.repo.line(c.path, c.line)}")
        ]

    def hits(self) -> list[Hit]:
        # Content addressing and cache keys may use MD5; passwords and signatures may not.
        return [
            h
            for h in super().hits()
            if h.path.endswith(".py") or _SECURITY_CONTEXT.search(_around(self.repo, h))
        ]


_SECURITY_CONTEXT = re.compile(r"(?i)passw|secret|token|signat|auth|credential|salt|hmac|login")


def _around(repo: RepoView, hit: Hit) -> str:
    lines = repo.lines(hit.path)
    return "\n".join(lines[max(0, hit.line - 6) : hit.line + 1])


class CurlPipeShell(HazardProbe):
    """Build scripts pipe downloaded scripts straight into a shell."""

    id = "SEC017"
    category = Category.security
    severity = Severity.medium
    title = "Remote scripts piped into a shell"
    rationale = "curl | sh runs whatever the server (or an attacker) returns, unverified."
    remediation = "Download pinned artifacts, verify their checksum, then run them."
    pattern = r"(curl|wget)\b[^|\n]*\|\s*(sudo\s+)?(ba|z)?sh\b"
    languages = ("dockerfile", "shell", "makefile", "yaml")
    what = "curl | sh pipeline"
    tests = None
    code_only = False  # shell commands are often quoted (`RUN sh -c "curl … | sh"`)
    ci: CiModel

    def check(  # type: ignore[override]
        self,
        repo: RepoView,
        text: TextSearch,
        imports: Imports,
        python: PythonCode,
        knowledge: Knowledge,
        profile: ProfileView,
        ci: CiModel,
    ) -> CheckResult:
        self.ci = ci
        return super().check(repo, text, imports, python, knowledge, profile)

    def hits(self) -> list[Hit]:
        """Shell, Dockerfile and Makefile lines, and the commands CI really runs: a release
        note's body or an issue template that shows `curl | sh` is text, not a step."""
        found = self.text.grep(
            self.pattern, ("dockerfile", "shell", "makefile"), tests=None, code_only=False
        )
        found += [Hit(c.path, c.line, c.text) for c in self.ci.all_runs(self.pattern)]
        unique = {(h.path, h.line): h for h in found}
        return sorted(unique.values(), key=lambda h: (h.path, h.line))


class EnvFileCommitted(Probe):
    """An environment file with real values is committed."""

    id = "SEC010"
    category = Category.security
    severity = Severity.high
    title = "Environment file committed to the repository"
    rationale = ".env files hold credentials; committed, they leak to every clone."
    remediation = "Remove the file, add it to .gitignore and commit a .env.example instead."

    def check(self, repo: RepoView, text: TextSearch) -> CheckResult:
        committed = [
            f.path
            for f in repo.files
            if repo.applies(f.path)
            and _is_product(f)  # a test fixture's .env (FOO=env) holds no credentials
            and f.path.rsplit("/", 1)[-1].lower()
            in (".env", ".env.local", ".env.production", ".env.prod")
        ]
        if committed:
            return self.failed(
                [repo.evidence(p, 1) for p in committed[:5]],
                f"Committed environment file(s): {', '.join(committed)}.",
            )
        ignores = text.grep(r"^\.env\b", ("text",), tests=None, limit=1)
        evidence = [ignores[0].evidence(repo)] if ignores else []
        return self.passed(evidence, "No .env file is committed.")


class InsecureCors(HazardProbe):
    """CORS allows every origin."""

    id = "SEC011"
    category = Category.security
    severity = Severity.medium
    title = "CORS allows any origin"
    rationale = "A wildcard origin lets any website call the API with the user's browser."
    remediation = "List the allowed origins explicitly from configuration."
    pattern = (
        r"allow_origins\s*=\s*\[\s*['\"]\*['\"]|Access-Control-Allow-Origin['\"]?\s*[,:=]"
        r"\s*['\"]\*|origins?['\"]?\s*[:=]\s*['\"]\*['\"]|AllowAllOrigins:\s*true|"
        r"AllowOrigins:\s*\[\]string\{\"\*\"\}|CorsLayer::permissive|"
        r"allowedOrigins\(\"\*\"\)|\bcors\(\s*\)|CORS\(\w+\)$"
    )
    languages = CODE
    applies = "service"
    what = "wildcard CORS setting"
    code_only = False  # the setting is often a dict key: `"origins": "*"`
