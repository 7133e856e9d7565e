"""Configuration probes: environment config, validation, unsafe defaults, parseable files."""

from __future__ import annotations

import ast
import re

from pipeline.probes.base import Hit, Probe
from pipeline.probes.families.observability import LOGGING_MODULES
from pipeline.probes.shapes import HazardProbe
from pipeline.probes.views.datafiles import DataFiles
from pipeline.probes.views.imports import Imports
from pipeline.probes.views.knowledge import Knowledge
from pipeline.probes.views.profile import ProfileView
from pipeline.probes.views.python import is_true
from pipeline.probes.views.repo import RepoView
from pipeline.probes.views.search import CODE, TextSearch
from pipeline.schemas import Category, CheckResult, Severity

ENV_READ = (
    r"os\.environ(?:\.get\(|\[|\.setdefault\()|os\.getenv|\bgetenv\(|process\.env\.\w|"
    r"process\.env\[|os\.Getenv|os\.LookupEnv|env::var|System\.getenv|@Value\(\"\$\{|BaseSettings|environ\.get|"
    r"config\(['\"][A-Z_]+['\"]|viper\.|envconfig\."
)


_CLI_ARGUMENTS = (
    "argparse",
    "click",
    "typer",
    "clap",
    "structopt",
    "argh",
    "github.com/spf13/cobra",
    "github.com/urfave/cli",
    "flag",
    "commander",
    "yargs",
    "picocli",
)


class EnvironmentConfig(Probe):
    """Settings are hard-coded instead of read from the environment."""

    id = "CFG001"
    category = Category.configuration
    severity = Severity.medium
    title = "Configuration is not read from the environment"
    rationale = "Hard-coded settings force a rebuild per environment and leak into images."
    remediation = "Read settings from environment variables (12-factor), with safe defaults."
    # A library is configured by its callers.
    applies = "application"

    def check(
        self, repo: RepoView, text: TextSearch, imports: Imports, profile: ProfileView
    ) -> CheckResult:
        hits = text.grep(ENV_READ)
        if hits:
            return self.passed(
                [hits[0].evidence(repo)],
                f"{len(hits)} environment reads, first `{hits[0].text}` ({hits[0].where}).",
            )
        arguments = imports.find(*_CLI_ARGUMENTS)
        if arguments is not None:
            return self.passed(
                [arguments.evidence(repo)],
                f"Configured by command-line arguments (`{arguments.text}`, {arguments.where}).",
            )
        program = profile.evidence("service") or next((hit for _, hit in profile.entry), None)
        return self.failed(
            [program.evidence(repo)] if program else repo.anchor(),
            "The program reads no environment variables, configuration files or arguments.",
            looked_at=["environment reads and argument parsers in product code"],
        )


class ValidatedConfig(Probe):
    """Configuration values are read ad hoc, without a typed, validated settings object."""

    id = "CFG002"
    category = Category.configuration
    severity = Severity.low
    title = "Configuration is not validated at startup"
    rationale = "A typo in an environment variable surfaces as a crash hours later, not at boot."
    remediation = "Load settings into one typed object validated at startup (pydantic-settings...)."
    applies = "application"

    def check(
        self, repo: RepoView, text: TextSearch, imports: Imports, knowledge: Knowledge
    ) -> CheckResult:
        reads = text.grep(ENV_READ)
        if not reads:
            return self.not_applicable("The code reads no environment configuration.")
        provided = knowledge.provides("config_validation")
        if provided:
            use, site = provided[0]
            return self.passed(
                [site.evidence(repo)], f"Typed settings with {use.framework.name} ({site.where})."
            )
        hit = imports.find(
            "pydantic_settings",
            "pydantic.BaseSettings",
            "environs",
            "dynaconf",
            "decouple",
            "envalid",
            "@t3-oss/env-core",
            "github.com/kelseyhightower/envconfig",
            "github.com/caarlos0/env",
            "github.com/spf13/viper",
            "figment",
            "envy",
            "config",
            "org.springframework.boot.context.properties",
        )
        hit = hit or next(
            iter(
                text.grep(
                    r"@ConfigurationProperties|BaseSettings\)|"
                    r"z\.object\(|envSchema|Joi\.object\(",
                    limit=1,
                )
            ),
            None,
        )
        if hit:
            return self.passed([hit.evidence(repo)], f"Typed settings: `{hit.text}` ({hit.where}).")
        return self.failed(
            [h.evidence(repo) for h in reads[:3]],
            f"{len(reads)} ad hoc environment reads, none validated (first at {reads[0].where}).",
        )


class DebugDefaults(HazardProbe):
    """Debug mode is switched on in code."""

    id = "CFG003"
    category = Category.configuration
    severity = Severity.high
    title = "Debug mode enabled by default"
    rationale = "Debug mode leaks stack traces and internals, and may expose a code console."
    remediation = "Default debug to off and enable it only from an explicit environment setting."
    pattern = r"gin\.SetMode\(gin\.DebugMode\)|\bDEBUG\s*[:=]\s*true\b|\"debug\"\s*:\s*true"
    what = "debug-on default"
    applies = "service"

    def hits(self) -> list[Hit]:
        found = [
            Hit(c.path, c.line, c.name)
            for c in self.python.calls()
            if is_true(c.keyword("debug")) and c.name.endswith("run")
        ]
        for f in self.repo.code_files("python"):
            tree = self.python.tree(f.path)
            for node in tree.body if tree else []:
                if (
                    isinstance(node, ast.Assign)
                    and is_true(node.value)
                    and any(getattr(t, "id", "") == "DEBUG" for t in node.targets)
                ):
                    found.append(Hit(f.path, node.lineno, "DEBUG = True"))
        others = ("javascript", "typescript", "go", "rust", "java")
        return found + self.text.grep(self.pattern, others)


class ExampleEnvFile(Probe):
    """The environment variables the code reads are not documented in an example file."""

    id = "CFG004"
    category = Category.configuration
    severity = Severity.low
    title = "No documented example configuration"
    rationale = "Operators cannot deploy what they cannot configure without reading the code."
    remediation = "Commit a .env.example (or a README table) listing every variable."
    applies = "application"

    def check(self, repo: RepoView, text: TextSearch) -> CheckResult:
        reads = text.grep(ENV_READ)
        if not reads:
            return self.not_applicable("The code reads no environment configuration.")
        examples = repo.named(
            ".env.example",
            ".env.sample",
            ".env.template",
            ".env.dist",
            "example.env",
            "env.example",
            ".env.defaults",
        )
        if examples:
            return self.passed([repo.evidence(examples[0], 1)], f"Example in {examples[0]}.")
        names = set()
        for h in reads:
            names.update(re.findall(r"['\"]([A-Z][A-Z0-9_]{2,})['\"]", h.text))
        docs = [p for p in repo.named("README.md", "README.rst", "README", "configuration.md")]
        for path in docs:
            for number, line in enumerate(repo.lines(path), 1):
                if any(n in line for n in names):
                    return self.passed(
                        [repo.evidence(path, number)], f"Variables documented in {path}:{number}."
                    )
        return self.failed(
            [reads[0].evidence(repo)],
            f"Code reads {', '.join(sorted(names)[:5]) or 'environment variables'}"
            " but no .env.example or README section documents them.",
        )


class HardcodedEndpoints(HazardProbe):
    """Service endpoints (localhost URLs, connection strings) are hard-coded."""

    id = "CFG005"
    category = Category.configuration
    severity = Severity.low
    title = "Hard-coded service endpoints"
    rationale = "Hard-coded hosts break every environment but the developer's machine."
    remediation = "Read endpoints from configuration; keep localhost only as an env default."
    pattern = (
        r"['\"](https?|postgres(ql)?|mysql|mongodb|redis|amqp)://[^'\"]*"
        r"(localhost|127\.0\.0\.1|0\.0\.0\.0)"
    )
    what = "hard-coded endpoint"
    applies = "application"

    def hits(self) -> list[Hit]:
        rx = re.compile(r"environ|getenv|Getenv|process\.env|env::var|default|unwrap_or")
        return [h for h in super().hits() if not rx.search(h.text)]


class LogLevelConfigurable(Probe):
    """The log level cannot be changed without a code change."""

    id = "CFG006"
    category = Category.configuration
    severity = Severity.low
    title = "Log level is not configurable"
    rationale = "Debugging production needs more logs without a redeploy."
    remediation = "Read the log level from an environment variable (LOG_LEVEL, RUST_LOG)."
    applies = "service|worker"

    def check(
        self, repo: RepoView, text: TextSearch, imports: Imports, profile: ProfileView
    ) -> CheckResult:
        logging = imports.find(*LOGGING_MODULES)
        if logging is None:
            return self.not_applicable("No logging framework is used (see OBS001).")
        hits = text.grep(
            r"LOG_LEVEL|LOGLEVEL|RUST_LOG|log_level|logLevel|EnvFilter|"
            r"from_default_env|LOGGING_LEVEL|logging\.level|GIN_MODE",
            (*CODE, "yaml", "toml", "text", "json", "ini"),
            limit=1,
        )
        if hits:
            return self.passed([hits[0].evidence(repo)], f"Log level set by `{hits[0].text}`.")
        program = profile.evidence("service") or logging
        fixed = text.grep(_FIXED_LEVEL, CODE, limit=1)
        if fixed:
            return self.failed(
                [fixed[0].evidence(repo)],
                f"The log level is fixed in code: `{fixed[0].text}` ({fixed[0].where}).",
            )
        return self.failed(
            [program.evidence(repo)],
            f"Nothing sets the log level from configuration (LOG_LEVEL, RUST_LOG...) for the "
            f"program at {program.where}.",
        )


# A level written as a constant: setLevel(logging.INFO), level=logging.DEBUG, Level::INFO...
_FIXED_LEVEL = (
    r"setLevel\(\s*(logging\.)?['\"]?[A-Z]+|basicConfig\([^)]*level\s*=\s*(logging\.)?['\"]?[A-Z]|"
    r"with_max_level\(\s*(tracing::)?Level::|LevelFilter::[A-Z]|level:\s*['\"](info|debug|warn)|"
    r"SetLevel\(\s*\w+\.(Info|Debug|Warn)|Level\.(INFO|FINE|DEBUG|WARNING)\b"
)


class ConfigFilesParse(Probe):
    """Some configuration files do not parse."""

    id = "CFG007"
    category = Category.configuration
    severity = Severity.medium
    title = "Configuration files that do not parse"
    rationale = "A broken YAML/TOML/JSON file fails the deploy or, worse, is silently ignored."
    remediation = "Fix the syntax errors and validate config files in CI."

    def check(self, repo: RepoView, data: DataFiles) -> CheckResult:
        checked, broken = 0, []
        for f in repo.files:
            if f.language not in ("yaml", "toml", "json") or not repo.applies(f.path):
                continue
            if "{{" in repo.text(f.path) or f.path.endswith(("tsconfig.json", ".jsonc")):
                continue  # templates (Helm, Jinja) and JSON-with-comments are not plain data
            checked += 1
            if f.language == "yaml":
                data.yaml_docs(f.path)
            elif f.language == "toml":
                data.toml(f.path)
            else:
                data.json(f.path)
            if f.path in data.errors:
                broken.append(f.path)
        if not checked:
            return self.not_applicable("No YAML, TOML or JSON files.")
        if broken:
            return self.failed(
                [repo.evidence(p, 1) for p in broken[:5]],
                f"{broken[0]} does not parse: {data.errors[broken[0]][:120]}"
                + (f" (and {len(broken) - 1} more)" if len(broken) > 1 else ""),
            )
        first = next(
            f.path
            for f in repo.files
            if f.language in ("yaml", "toml", "json")
            and repo.applies(f.path)
            and "{{" not in repo.text(f.path)
        )
        return self.passed([repo.evidence(first, 1)], f"All {checked} config files parse.")
