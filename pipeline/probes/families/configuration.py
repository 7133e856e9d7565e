"""Configuration probes: environment config, validation, unsafe defaults, parseable files."""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from pipeline.probes.base import Hit, Probe, plural
from pipeline.probes.families.documentation import guides, sections
from pipeline.probes.families.observability import LOGGING_MODULES
from pipeline.probes.families.security import overridden_in_production
from pipeline.probes.families.web import deployment_lines
from pipeline.probes.shapes import HazardProbe
from pipeline.probes.views.containers import Containers
from pipeline.probes.views.datafiles import DataFiles
from pipeline.probes.views.imports import Imports
from pipeline.probes.views.knowledge import Knowledge, Use
from pipeline.probes.views.profile import ProfileView
from pipeline.probes.views.python import PythonCode, is_true
from pipeline.probes.views.repo import RepoView
from pipeline.probes.views.search import CODE, TextSearch
from pipeline.probes.views.syntax import SyntaxTrees
from pipeline.schemas import Category, CheckResult, Severity

# Reads of environment variables (and settings objects that read them), in every language.
ENV_READ = (
    r"os\.environ(?:\.get\(|\[|\.setdefault\()|os\.getenv|\bgetenv\(|process\.env\b|"
    r"import\.meta\.env\.\w|os\.Getenv|os\.LookupEnv|env::var|System\.getenv|"
    r"@Value\(\"\$\{|BaseSettings|environ\.get|config\(['\"][A-Z_]+['\"]|"
    r"\benv(?:\.\w+)?\(\s*['\"][A-Z][A-Z0-9_]+['\"]|viper\.|envconfig\.|"
    r"#\[(?:clap|arg)\([^)\]]*\benv\b|\b(?:env|envconfig):\"[A-Z_][A-Z0-9_]*\""
)
# A clap argument that falls back to an environment variable: `#[arg(long, env)] port: u16`.
_CLAP_ENV = re.compile(
    r"#\[(?:clap|arg)\(([^)\]]*\benv\b[^)\]]*)\)\]\s*(?:(?:///[^\n]*|#\[[^\n]*)\n\s*)*"
    r"(?:pub(?:\([^)]*\))?\s+)?(\w+)\s*:"
)
# What a front-end build tool sets (Vue CLI, Vite, Create React App): not runtime settings.
_BUILD_VARIABLES = frozenset({"NODE_ENV", "BASE_URL", "PUBLIC_URL", "MODE", "DEV", "PROD", "SSR"})
# A service address written into front-end code: `baseURL: "https://api..."`.
_HARDCODED_API = (
    r"(?i:base_?url|api_?(url|root|base|host|endpoint)|endpoint)\w*['\"]?\s*[:=]\s*['\"`]https?://"
)
# Writes that look like reads: `os.environ["X"] = ...` sets a variable for a child process.
_ENV_WRITE = re.compile(
    r"(os\.environ\[[^\]]+\]|process\.env(\.\w+|\[[^\]]+\]))\s*=(?!=)|"
    r"os\.environ\.update\(|os\.Setenv\(|env::set_var\("
)
# The variable a read names: os.getenv("X"), env.bool("X"), process.env.X, ${X}...
_NAME_IN_READ = re.compile(
    r"(?:os\.environ\.get|os\.getenv|\bgetenv|environ\.get|os\.environ\.setdefault|"
    r"os\.Getenv|os\.LookupEnv|env::var(?:_os)?|System\.getenv|\benv(?:\.\w+)?|\bconfig)"
    r"\(\s*['\"]([A-Z][A-Z0-9_]*)['\"]|"
    r"(?:os\.environ|process\.env)\[\s*['\"]([A-Z_][A-Z0-9_]*)['\"]\s*\]|"
    r"(?:process|import\.meta)\.env\.([A-Z_][A-Z0-9_]*)|\$\{([A-Z][A-Z0-9_]*)|"
    r"\b(?:env|envconfig):\"([A-Z_][A-Z0-9_]*)\""
)
# Keys of an object literal in a file that hands process.env to a schema (Joi, envalid...).
_SCHEMA_KEY = re.compile(r"^\s*([A-Z][A-Z0-9_]{2,})\s*:", re.M)
_WHOLE_ENV = re.compile(r"process\.env\s*[),]|\(\s*process\.env\s*\)")
# Variables a platform or a tool sets, or that belong to the OS, the shell or another tool
# (KUBECONFIG is kubectl's, DOCKER_HOST Docker's): not settings of the program.
_PLATFORM = re.compile(
    r"^(NODE_ENV|HOME|PATH|USER|USERNAME|LOGNAME|PWD|OLDPWD|SHELL|SHLVL|PROMPT|TERM|"
    r"TERM_PROGRAM|TERM_\w+|COLORTERM|LANG|LANGUAGE|LC_\w+|"
    # Terminal multiplexers and emulators tell a program where it runs (fzf reads them).
    r"TMUX\w*|ZELLIJ\w*|TCELL_\w+|WT_SESSION|KITTY_\w+|ALACRITTY_\w+|WEZTERM_\w+|"
    # What CI and hosting platforms set for their builds (GitLab's CI_*, Cloudflare Pages).
    r"CI_(COMMIT|PIPELINE|JOB|PROJECT|SERVER|REGISTRY|RUNNER|MERGE_REQUEST|ENVIRONMENT|"
    r"DEFAULT_BRANCH|API|BUILDS_DIR|NODE)\w*|CF_PAGES\w*|WORKERS_CI\w*|NETLIFY|"
    r"RENDER|RENDER_(EXTERNAL_URL|EXTERNAL_HOSTNAME|SERVICE_\w+|GIT_\w+|INSTANCE_ID)|"
    r"TZ|TMPDIR|TEMP|TMP|CI|HOSTNAME|NO_COLOR|FORCE_COLOR|CLICOLOR\w*|COLUMNS|LINES|EDITOR|"
    r"VISUAL|PAGER|BROWSER|LS_COLORS|MSYSTEM|DISPLAY|WAYLAND_DISPLAY|XDG_\w+|APPDATA|"
    r"LOCALAPPDATA|USERPROFILE|HOMEDRIVE|HOMEPATH|COMPUTERNAME|WINDIR|PROGRAMDATA|"
    r"PROGRAMFILES\w*|SYSTEMROOT|COMSPEC|RANK|LOCAL_RANK|WORLD_SIZE|"
    r"KUBECONFIG|KUBE_EDITOR|DOCKER_(HOST|CONFIG|CERT_PATH|TLS_VERIFY|CONTEXT)|"
    r"(HTTPS?|FTP|ALL|NO)_PROXY|SSL_CERT_(FILE|DIR)|GOROOT|GOBIN|GOFLAGS|"
    r"LOCAL_WORLD_SIZE|MASTER_ADDR|MASTER_PORT|CUDA_VISIBLE_DEVICES|GITHUB_\w+|RUNNER_\w+|"
    r"VERCEL\w*|NEXT_RUNTIME|NEXT_PHASE|PYTHON\w*|VIRTUAL_ENV|CONDA_\w+|SSH_\w+|"
    r"KUBERNETES_\w+|AWS_LAMBDA_\w+|DJANGO_SETTINGS_MODULE|JAVA_HOME|GOPATH|GOOS|GOARCH|"
    r"CARGO_\w+|RUST_BACKTRACE|RUST_LOG|npm_\w+|INIT_CWD|"
    # systemd's service protocol: socket activation, sd_notify, the watchdog.
    r"LISTEN_(PID|FDS|FDNAMES)|NOTIFY_SOCKET|WATCHDOG_(USEC|PID)|INVOCATION_ID|"
    r"JOURNAL_STREAM|(RUNTIME|STATE|CACHE|LOGS|CONFIGURATION|CREDENTIALS)_DIRECTORY)$"
)

# Command-line parsers: a program configured by its arguments.
_CLI_ARGUMENTS = (
    "argparse",
    "click",
    "typer",
    "fire",
    "docopt",
    "clap",
    "structopt",
    "argh",
    "github.com/spf13/cobra",
    "github.com/urfave/cli",
    "flag",
    # Go's other flag parsers: pflag (cobra's), kong, kingpin, go-flags, ff.
    "github.com/spf13/pflag",
    "github.com/alecthomas/kong",
    "github.com/alecthomas/kingpin",
    "gopkg.in/alecthomas/kingpin.v2",
    "github.com/jessevdk/go-flags",
    "github.com/peterbourgon/ff",
    "commander",
    "yargs",
    "cac",
    "meow",
    "@oclif/core",
    "picocli",
    # Hugging Face's dataclass argument parsers, over argparse (open-r1's grpo.py:
    # TrlParser(...).parse_args_and_config(), which also reads a YAML recipe).
    "transformers.HfArgumentParser",
    "trl.TrlParser",
)
# A flag or command declared with its help text: what `--help` prints.
_HELP_TEXT = (
    r"add_argument\([^)]*\bhelp\s*=|\b(click|typer)\.(option|Option|argument|Argument)\("
    r"[^)]*\bhelp\s*=|#\[(arg|clap|structopt|argh)\([^)]*\b(help|long_help|description)\s*=|"
    r"#\[derive\([^)]*\b(Parser|StructOpt|FromArgs)\b|^\s*Options:\s*$|"
    r"\b(Persistent)?Flags\(\)\.(String|Bool|Int|Uint|Float|Duration|Count|Var)\w*\(|\bflag\.(String|Bool|Int|Int64|Uint|Float64|Duration|"
    r"StringVar|BoolVar|IntVar|Int64Var|DurationVar|Var)\(|\bUsage:\s*\"|"
    r"\.option\(\s*['\"][^'\"]+['\"]\s*,\s*['\"]|\bdescribe:\s*['\"]|"
    r"@Option\([^)]*description\s*="
)
# Libraries that load and check settings (types, required values) when the program starts.
_SETTINGS_LIBRARIES = (
    "pydantic_settings",
    "pydantic.BaseSettings",
    "environs",
    "environ",
    "dynaconf",
    "decouple",
    "envalid",
    "@t3-oss/env-core",
    "@t3-oss/env-nextjs",
    "@t3-oss/env-nuxt",
    "github.com/kelseyhightower/envconfig",
    "github.com/caarlos0/env",
    "github.com/sethvargo/go-envconfig",
    "github.com/ilyakaznacheev/cleanenv",
    "github.com/jinzhu/configor",
    "figment",
    "envy",
    "org.springframework.boot.context.properties",
)
# A schema library applied where settings are loaded (a config/env/settings module).
_SCHEMA = (
    r"\b(z|v|Joi|yup|t|Type)\.object\(|\bJoi\.\w+\(|new\s+Ajv\b|\bcreateEnv\(|\bcleanEnv\(|"
    # class-validator decorators on an environment class that a config module validates
    # (nestjs-boilerplate: `validateConfig(process.env, EnvironmentVariablesValidator)`).
    r"^\s*@Is(String|Int|Number|Enum|Boolean|Url|URL|JSON|Port|Email|Optional)\b"
)
_TOOLING_DIR = re.compile(r"^(dev|scripts?|tools?|hack|devtools|utils/scripts)/", re.I)
_CONFIG_MODULE = re.compile(r"(^|/)[^/]*(config|settings|env|options)[^/]*(/|\.\w+$)", re.I)
# An argument parser bound to the environment: its typed flags are the service's settings.
_PARSER_ENV = (
    r"#\[(?:clap|arg)\([^)\]]*\benv\b|\benvvar\s*=|auto_envvar_prefix|BindPFlags?\(|"
    r"AutomaticEnv\(|EnvVars:\s*\[\]string|\.env\(\s*\"|"
    # go-flags struct tags: `long:"url" env:"REMARK_URL" required:"true"` (remark42).
    r"long:\"[\w-]+\"[^`\n]*\benv:\""
)
# An explicit check of a setting at startup: a missing or empty value stops the program.
_EMPTY_TEST = (
    r"(if\s*\(?\s*(!|not\s+)\s*{v}\b|\b{v}\s*(==|===)\s*(\"\"|''|undefined|null)|\b{v}\s+is\s+None)"
)
_STOPS = re.compile(
    r"\braise\b|\bthrow\b|panic\(|\.Fatal\w*\(|os\.Exit\(|sys\.exit\(|process\.exit\(|"
    r"errors\.New\(|fmt\.Errorf\(|ImproperlyConfigured|\.expect\("
)
# Configuration files the code itself loads (config.yaml, settings.toml...).
_CONFIG_FILE = (
    r"['\"](?:[\w.~-]*/)*(?:config|settings|conf|application|app)(?:[._-][\w.-]*)?"
    r"\.(?:ya?ml|toml|json|ini|cfg|conf|properties)['\"]|"
    r"['\"](?:[\w.~-]*/)*config/[\w.-]+\.(?:ya?ml|toml|json|ini)['\"]"
)
# The example-configuration files people commit: .env.example, .env.local.example,
# prod.env.example, example.env, env.sample, .env.template, .env.dist...
_EXAMPLE_ENV = re.compile(
    r"^(\.?[\w.-]*env[\w.-]*\.(example|sample|template|dist|defaults|tmpl)|"
    r"(example|sample|template)\.[\w.-]*env|env\.(example|sample)|"
    # nestjs-boilerplate's env-example-relational and env-example-document.
    r"\.?env[-_](example|sample|template)([-_.][\w.-]+)?|"
    r"[\w.-]*(config|settings|application|conf)[\w.-]*\.(example|sample|template|dist)"
    r"(\.(ya?ml|toml|json|ini|conf|cfg|properties))?|"
    r"[\w.-]*\.(example|sample)\.(ya?ml|toml|json|ini|conf|cfg|properties))$",
    re.I,
)
# An env file's line: `KEY=value` (optionally `export KEY=value`).
_ENV_ASSIGNMENT = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$")
# Values that stand for "put yours here": changeme, <your-token>, your-api-key, xxx, ***...
_PLACEHOLDER = re.compile(
    r"^(<[^<>]*>|\[[^\[\]]*\]|\{\{[^{}]*\}\}|x{3,}|\*{3,}|\.{3}|…|"
    r"(your|my|enter|insert|put|add|set)[-_ ][\w.\- ]*|"
    r"change[-_ ]?me|change[-_ ]?it|replace[-_ ]?me|fill[-_ ]?me[-_ ]?in|todo|tbd|fixme|"
    r"placeholder|example|dummy|secret|password|passwd|token)$",
    re.I,
)


def _placeholder(name: str, value: str) -> bool:
    """Whether an env file's value is a placeholder, not a setting: empty, a stand-in word
    or the variable's own name (or its last word: `password` for DB_PASSWORD)."""
    value = value.split(" #", 1)[0].strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1].strip()
    if not value:
        return True
    lowered = value.lower().replace("-", "_")
    words = name.lower().split("_")
    return bool(_PLACEHOLDER.match(value)) or lowered in (name.lower(), words[-1])


def _placeholders_only(lines: tuple[str, ...]) -> bool:
    """Whether an env file only names its variables, every value a placeholder."""
    pairs = [m.groups() for m in map(_ENV_ASSIGNMENT.match, lines) if m]
    return bool(pairs) and all(_placeholder(name, value) for name, value in pairs)


# A section of the docs that may describe the settings in prose.
_REFERENCE_HEADING = re.compile(r"config|settings|environment|options|parameters|flags", re.I)
# Share of the variables the code reads that the documentation must name. Half: second
# readers called settings documented when a README table or an example file named the
# main ones (atuin 14 of 28, node-express 1 of 2), the rest being debugging switches.
_DOCUMENTED_SHARE = 0.5
# A repository of many scripts is configured "partly" when fewer take settings than this.
_CONFIGURED_PROGRAMS = 0.75


@dataclass
class Settings:
    """How the program is configured, read once for the configuration probes."""

    reads: list[Hit]  # environment reads in product code (not writes)
    env: list[Hit]  # the reads of settings (not only of what a platform or build tool sets)
    names: dict[str, Hit]  # variable names read (platform variables left out) -> first read
    parser: Hit | None  # a command-line parser
    help: Hit | None  # a flag declared with its help text
    framework: tuple[Use, Hit] | None  # a framework that loads configuration itself
    files: list[Hit]  # configuration files the code loads
    programs: list[str]  # Python programs (a __main__ guard)
    unconfigured: list[str]  # those that read no environment, argument or file

    argv: Hit | None = None  # a program reading its command line by hand (sys.argv)

    @property
    def configurable(self) -> bool:
        return bool(self.env or self.parser or self.argv or self.framework or self.files)

    @property
    def partly(self) -> bool:
        """Many scripts, and too many of them with every setting written in the code."""
        total = len(self.programs)
        return total >= 5 and (total - len(self.unconfigured)) / total < _CONFIGURED_PROGRAMS

    def first(self) -> Hit | None:
        found = [
            h for h in (*self.env[:1], self.parser, self.argv, *self.files[:1]) if h is not None
        ]
        if self.framework:
            found.append(self.framework[1])
        return found[0] if found else None


def settings(
    repo: RepoView,
    text: TextSearch,
    imports: Imports,
    knowledge: Knowledge,
    python: PythonCode,
    profile: ProfileView,
) -> Settings:
    """The program's configuration sources (computed once per run)."""

    def compute() -> Settings:
        reads = [h for h in text.grep(ENV_READ) if not _ENV_WRITE.search(h.text)]
        names: dict[str, Hit] = {}
        env = []
        for hit in reads:
            found = [
                next((g for g in groups if g), "") for groups in _NAME_IN_READ.findall(hit.text)
            ]
            script = repo.by_path[hit.path].language in ("javascript", "typescript")
            own = [
                n
                for n in found
                if n and not _PLATFORM.match(n) and not (script and n in _BUILD_VARIABLES)
            ]
            if own or (not found and not _caller_named(repo, hit)):
                env.append(hit)  # a setting, or a read whose name a search cannot see
            for name in own:
                names.setdefault(name, hit)
        for f in repo.code_files("rust"):
            source = repo.text(f.path)
            for m in _CLAP_ENV.finditer(source):
                explicit = re.search(r"\benv\s*=\s*\"(\w+)\"", m.group(1))
                name = explicit.group(1) if explicit else m.group(2).upper()
                line = source.count("\n", 0, m.start()) + 1
                names.setdefault(name, Hit(f.path, line, repo.shown(f.path, line).strip()))
        for f in repo.code_files("javascript", "typescript"):
            source = repo.text(f.path)
            if _WHOLE_ENV.search(source):
                for m in _SCHEMA_KEY.finditer(source):
                    line = source.count("\n", 0, m.start(1)) + 1
                    if not _PLATFORM.match(m.group(1)):
                        names.setdefault(m.group(1), Hit(f.path, line, m.group(1)))
        fields = _settings_fields(repo, python)
        for name, hit in fields.items():
            names.setdefault(name, hit)
        for hit in text.grep(r"\$\{([A-Z][A-Z0-9_]*)", ("ini", "yaml"), limit=0):
            if "/resources/" in hit.path or hit.path.startswith("config/"):
                for m in re.finditer(r"\$\{([A-Z][A-Z0-9_]*)", hit.text):
                    if not _PLATFORM.match(m.group(1)):
                        names.setdefault(m.group(1), hit)
        provided = knowledge.provides("external_config")
        # node-config loads config/<environment>.json (the package, not a local ./config).
        loader = imports.find_in(("javascript", "typescript"), "config", "convict", "nconf")
        helps = text.grep(_HELP_TEXT, limit=1)
        files = text.grep(_CONFIG_FILE, limit=3) + ([loader] if loader else [])
        programs = [
            hit.path
            for label, hit in profile.entry
            if label == hit.path and hit.path.endswith(".py")
        ]
        # Developers' helper scripts (dev/code-generation/gen_*.py, scripts/) beside the
        # product's own programs are tooling: their settings are no operator's concern.
        own = [p for p in programs if not _TOOLING_DIR.search(p)]
        programs = own or programs
        configured = {h.path for h in reads} | {h.path for h in files}
        configured |= imports.importers(*_CLI_ARGUMENTS)
        configured |= {h.path for h in text.grep(r"\bsys\.argv\b", ("python",))}
        configured |= {h.path for h in fields.values()}
        configured |= _importing(imports, configured)
        argv = text.grep(r"\bsys\.argv\b", ("python",), limit=1, code_only=True)
        return Settings(
            reads=reads,
            env=env,
            argv=argv[0] if argv else None,
            names=names,
            parser=imports.find(*_CLI_ARGUMENTS),
            help=helps[0] if helps else None,
            framework=provided[0] if provided else None,
            files=files,
            programs=programs,
            unconfigured=[p for p in programs if p not in configured],
        )

    return repo.memo("configuration-settings", compute)


def _importing(imports: Imports, configured: set[str]) -> set[str]:
    """Python files that reach a configured module through the repository's own imports
    (a script that imports ``app.core.db``, which reads ``app.core.config``'s settings)."""
    reached: set[str] = set()
    frontier = {p for p in configured if p.endswith(".py")}
    for _ in range(5):  # a few hops: entry point → service → settings
        names = set()
        for path in frontier:
            parts = PurePosixPath(path).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            # Every dotted suffix of two or more parts: the package root is not known.
            names |= {".".join(parts[i:]) for i in range(len(parts) - 1)}
        found = imports.importers(*names) - configured - reached if names else set()
        if not found:
            break
        reached |= found
        frontier = found
    return reached


def _checked(repo: RepoView, found: Settings) -> list[str]:
    """Settings whose read is followed by an explicit check that stops the program when the
    value is missing (`if not x: raise`, `if x == "" { log.Fatal }`, `.expect("...")`)."""
    checked = []
    for name, hit in found.names.items():
        lines = repo.lines(hit.path)
        window = "\n".join(lines[hit.line - 1 : hit.line + 4])
        if "env::var" in hit.text and ".expect(" in hit.text:
            checked.append(name)
            continue
        assigned = re.match(r"^\s*(?:const|let|var)?\s*(\w+)\s*:?=", hit.text)
        subjects = [re.escape(assigned.group(1))] if assigned else []
        subjects.append(r"(os\.environ\.get|os\.getenv|process\.env)\W*" + name)
        for subject in subjects:
            test = re.search(_EMPTY_TEST.format(v=subject), window)
            if test and _STOPS.search(window[test.end() :]):
                checked.append(name)
                break
    return checked


# The settings file a framework loads by itself: application.properties or .yml (Spring Boot,
# Micronaut, Quarkus), bootstrap.yml, appsettings.json (.NET).
_FRAMEWORK_FILE = re.compile(
    r"^(application|bootstrap|appsettings)([-.][\w-]+)?\.(properties|ya?ml|json)$", re.I
)


def _framework_only(repo: RepoView, found: Settings) -> bool:
    """A framework able to load settings is the program's only source, and the repository
    gives it none: no settings file of its own, no environment read, flag or file. A
    framework that could read settings is not a setting."""
    if found.framework is None or found.env or found.names or found.files:
        return False
    if found.parser is not None or found.argv is not None:
        return False
    return not any(
        _FRAMEWORK_FILE.match(PurePosixPath(f.path).name) and not f.is_test
        for f in repo.files
        if repo.applies(f.path)
    )


# A call that reads one variable, up to its opening parenthesis (the name or a constant
# follows), and the subscript and property reads of JavaScript and Python.
_READ_CALL = re.compile(
    r"(?:os\.environ\.get|os\.getenv|\bgetenv|environ\.get|os\.Getenv|os\.LookupEnv|"
    r"env::var(?:_os)?|System\.getenv)\(|"
    r"(?:os\.environ|process\.env)\[[^\]]+\]|(?:process|import\.meta)\.env\.\w+"
)
# What follows a read that only tests it: compared with a word, or asked whether it is set.
_TESTED_AFTER = re.compile(
    r"^\s*(?:[!=]==?\s*['\"`]|\.is_(?:ok|err|some|none)\(\)|is\s+(?:not\s+)?None\b)"
)
_TESTED_BEFORE = re.compile(r"(?:['\"`]\s*[!=]==?\s*|\bParseBool\(\s*|\b_\s*,\s*\w+\s*:?=\s*)$")
# A read that is an `if`'s whole condition: `if os.environ.get("X"):`, `if (!process.env.X) {`.
_CONDITION = re.compile(r"\b(?:if|elif|while)\s*\(?\s*(?:not\s+|!\s*)?$")
_CONDITION_END = re.compile(r"^\s*\)?\s*(?::|\{|\)|&&|\|\||\band\b|\bor\b)")
_ASSIGNED = re.compile(r"(?:^|[\s;(])(\w+)\s*:?=\s*$")


def _read_end(line: str, start: int, end: int) -> int:
    """Where a read that ends in an open parenthesis closes (the end of the line if not)."""
    if not line[start:end].endswith("("):
        return end
    depth = 1
    for i in range(end, len(line)):
        depth += {"(": 1, ")": -1}.get(line[i], 0)
        if depth == 0:
            return i + 1
    return len(line)


def _read_name(repo: RepoView, text: TextSearch, hit: Hit) -> str:
    """The variable a read names, through a constant when it is not written in the call
    (`os.Getenv(env.EnvDebug)`, with `EnvDebug = "DEBUG"` in package env); "" if unknown."""
    found = [next((g for g in groups if g), "") for groups in _NAME_IN_READ.findall(hit.text)]
    if any(found):
        return next(n for n in found if n)
    literal = re.search(r"\(\s*[\"'`]([A-Za-z_]\w*)[\"'`]\s*[,)]", hit.text)
    if literal:
        return literal.group(1)  # a name _NAME_IN_READ leaves out: _MOCK_DATA, http_proxy
    argument = re.search(r"\(\s*(?:\w+\.)*(\w+)\s*[,)]", hit.text)
    if argument is None:
        return ""
    constant = re.escape(argument.group(1))
    language = repo.by_path[hit.path].language
    for site in text.grep(rf"\b{constant}\s*(?::[^=]+|:)?=\s*[\"'`][A-Z_]", (language,), limit=1):
        value = re.search(rf"\b{constant}\s*(?::[^=]+|:)?=\s*[\"'`]([A-Z_][A-Z0-9_]*)", site.text)
        if value:
            return value.group(1)
    return ""


def _caller_named(repo: RepoView, hit: Hit) -> str:
    """The variable that names what an environment read reads, when that name is data:
    yq's env() operator, `os.Getenv(envName)` with envName taken from the user's expression.
    Empty when the argument is a literal, a constant, or a variable set from a literal."""
    read = _READ_CALL.search(hit.text)
    given = re.match(r"\s*([a-z][a-zA-Z0-9]*)\s*[,)\]]", hit.text[read.end() :]) if read else None
    if given is None:
        return ""
    name = given.group(1)
    source = repo.text(hit.path)
    if re.search(rf"\b{name}\s*(?::[^=]+)?:?=\s*[\"'`]", source):
        return ""
    # A loop over the program's own names (`for key in SETTINGS: os.getenv(key)`,
    # `for _, name := range vars`) reads settings, whatever the variable is called.
    if re.search(rf"\bfor\b[^\n]*\b{name}\b[^\n]*(\bin\b|:?=\s*range\b|\bof\b)", source):
        return ""
    return name


def _not_a_setting(repo: RepoView, text: TextSearch, hit: Hit) -> str:
    """Why an environment read is no setting of the program's own, or "" when it is one.

    A read that is only tested (set or not, equal to a word: DEBUG, NO_COLOR, a test hook) is
    an on/off switch; a variable named after a program the file runs (KUBECTL beside
    LookPath("kubectl")) says which tool to run; variables of the OS, the shell and other
    tools (HOME, KUBECONFIG) belong to the user's environment. None of these is a value
    that could be wrong in a way a check at startup would catch."""
    name = _read_name(repo, text, hit)
    if not name:
        given = _caller_named(repo, hit)
        return f"a variable named by `{given}` (data the caller names)" if given else ""
    if _PLATFORM.match(name):
        return f"{name} belongs to the system or another tool"
    source = repo.text(hit.path)
    runs = r"(?:LookPath|Command|CommandContext|which|spawn|execFile|Popen|check_output)\(\s*"
    if re.search(runs + rf"[\"'`]{re.escape(name.lower())}[\"'`]", source):
        return f"{name} names the {name.lower()} program to run"
    for read in _READ_CALL.finditer(hit.text):
        end = _read_end(hit.text, read.start(), read.end())
        before, after = hit.text[: read.start()], hit.text[end:]
        if _TESTED_AFTER.match(after) or _TESTED_BEFORE.search(before):
            return f"{name} is an on/off switch"
        if _CONDITION.search(before) and _CONDITION_END.match(after):
            return f"{name} is an on/off switch"
        assigned = _ASSIGNED.search(before)
        if assigned:
            # A value kept in a variable that is only compared with words in what follows.
            variable = re.escape(assigned.group(1))
            lines = repo.lines(hit.path)[hit.line : hit.line + 8]
            rest = "\n".join([after, *lines])
            uses = [m.end() for m in re.finditer(rf"(?<![\w.]){variable}\b(?!\s*:?=[^=])", rest)]
            tested = [u for u in uses if _TESTED_AFTER.match(rest[u:])]
            if uses and len(tested) == len(uses):
                return f"{name} is an on/off switch"
    return ""


def _settings_fields(repo: RepoView, python: PythonCode) -> dict[str, Hit]:
    """Fields of pydantic settings classes: each is read from the environment variable of
    the same name (with the class's env_prefix)."""
    classes: dict[str, tuple[str, ast.ClassDef]] = {}
    for f in repo.code_files("python"):
        for node in python.nodes(f.path, ast.ClassDef):
            classes.setdefault(node.name, (f.path, node))

    def is_settings(name: str, seen: frozenset[str] = frozenset()) -> bool:
        if name == "BaseSettings":
            return True
        if name not in classes or name in seen:
            return False
        bases = [getattr(b, "id", getattr(b, "attr", "")) for b in classes[name][1].bases]
        return any(is_settings(b, seen | {name}) for b in bases)

    found: dict[str, Hit] = {}
    for name, (path, node) in classes.items():
        if name == "BaseSettings" or not is_settings(name):
            continue
        source = ast.get_source_segment(repo.text(path), node) or ""
        prefix = re.search(r"env_prefix\s*=\s*['\"](\w*)['\"]", source)
        for item in node.body:
            if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                field = item.target.id
                if not field.startswith("_") and field != "model_config":
                    env = f"{prefix.group(1) if prefix else ''}{field}".upper()
                    found.setdefault(env, Hit(path, item.lineno, repo.shown(path, item.lineno)))
    return found


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
        self,
        repo: RepoView,
        text: TextSearch,
        imports: Imports,
        knowledge: Knowledge,
        python: PythonCode,
        profile: ProfileView,
    ) -> CheckResult:
        found = settings(repo, text, imports, knowledge, python, profile)
        looked = ["environment reads, argument parsers and configuration files in product code"]
        if found.partly:
            shown = ", ".join(found.unconfigured[:3])
            return self.failed(
                [repo.evidence(p, 1) for p in found.unconfigured[:3]],
                f"{len(found.unconfigured)} of {len(found.programs)} programs read no "
                f"environment variable, argument or configuration file ({shown}"
                f"{', ...' if len(found.unconfigured) > 3 else ''}): their settings are "
                "written in the code.",
                looked_at=looked,
            )
        if found.env:
            hits = found.env
            others = len(found.reads) - len(hits)
            # yq: `os.Getenv(envName)` counted, NO_COLOR and os.Environ() not; "1 environment
            # read" read as a miscount. Say what was counted and what was set aside.
            return self.passed(
                [hits[0].evidence(repo)],
                f"{plural(len(hits), 'environment read')} of a setting, first `{hits[0].text}` "
                f"({hits[0].where})"
                + (
                    f"; {plural(others, 'other read')} only "
                    + ("switches behaviour or names" if others == 1 else "switch behaviour or name")
                    + " variables of the system or other tools."
                    if others > 0
                    else "."
                ),
            )
        if found.framework:
            use, hit = found.framework
            default = use.framework.provides["external_config"].rstrip(".")
            return self.passed([hit.evidence(repo)], f"{default} ({hit.where}).")
        if found.parser is not None:
            arguments = found.parser
            return self.passed(
                [arguments.evidence(repo)],
                f"Configured by command-line arguments (`{arguments.text}`, {arguments.where}).",
            )
        if found.argv is not None:
            hit = found.argv
            return self.passed(
                [hit.evidence(repo)], f"Reads its command line: `{hit.text}` ({hit.where})."
            )
        if found.files:
            hit = found.files[0]
            return self.passed(
                [hit.evidence(repo)], f"Reads a configuration file: `{hit.text}` ({hit.where})."
            )
        program = profile.evidence("service") or next((hit for _, hit in profile.entry), None)
        evidence = [program.evidence(repo)] if program else repo.anchor()
        message = "The program reads no environment variables, configuration files or arguments"
        if found.reads:
            message = (
                f"The program reads only what the platform or build tool sets "
                f"(`{found.reads[0].text}`, {found.reads[0].where}), no setting of its own"
            )
        address = text.grep(_HARDCODED_API, ("javascript", "typescript"), limit=1)
        if address:
            evidence = [address[0].evidence(repo)]
            message += f"; the service address is written in the code ({address[0].where})"
        return self.failed(evidence, message + ".", looked_at=looked)


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
        self,
        repo: RepoView,
        text: TextSearch,
        imports: Imports,
        knowledge: Knowledge,
        python: PythonCode,
        profile: ProfileView,
    ) -> CheckResult:
        found = settings(repo, text, imports, knowledge, python, profile)
        looked = [
            "typed settings libraries, typed argument parsers and schemas applied in "
            "configuration modules"
        ]
        if not found.configurable:
            program = profile.evidence("service") or next((h for _, h in profile.entry), None)
            return self.failed(
                [program.evidence(repo)] if program else repo.anchor(),
                "Nothing validates the configuration: the settings are written in the code "
                "(see CFG001).",
                looked_at=looked,
                # Second readers: "there is no configuration to validate". CFG001 carries
                # the gap (settings in code); this fact adds none of its own.
                advisory="It reads no configuration at all (no environment variable, flag or "
                "file): there is nothing to validate at startup; that its settings are "
                "written in the code is CFG001's gap.",
            )
        if _framework_only(repo, found):
            assert found.framework is not None
            use, site = found.framework
            return self.not_applicable(
                f"The program has no settings of its own to validate: {use.framework.name} "
                f"could load them ({site.where}), but no settings file, environment read or "
                "flag gives it any."
            )
        # A typed argument parser validates the settings of a command-line program; a
        # service's admin commands say nothing about how the service is configured.
        by_arguments = not found.partly and (
            not profile.holds("service") or bool(text.grep(_PARSER_ENV, limit=1))
        )
        # A parser imported by the file that starts the server configures the service.
        server = profile.evidence("service")
        provided = [
            (use, site)
            for use, site in knowledge.provides("config_validation")
            if by_arguments
            or use.framework.role != "cli"
            or (
                server is not None
                and not found.partly
                # pgweb's metrics server is found first; its main server starts in
                # pkg/cli/cli.go, which parses the go-flags options.
                and any(
                    hit.path in imports.importers(*use.framework.imports)
                    for hit in [server, *(h for _, h in knowledge.provides("serves_http"))]
                )
            )
        ]
        if provided:
            use, site = provided[0]
            return self.passed(
                [site.evidence(repo)],
                f"{use.framework.provides['config_validation'].rstrip('.')} "
                f"({use.framework.name}, {site.where}).",
            )
        hit = imports.find(*_SETTINGS_LIBRARIES) or next(
            (
                h
                for h in text.grep(_SCHEMA, ("javascript", "typescript"), code_only=True)
                if _CONFIG_MODULE.search(h.path)
            ),
            None,
        )
        # The config crate deserialising the layered settings into a typed serde struct.
        hit = hit or next(
            iter(
                text.grep(
                    r"@ConfigurationProperties|BaseSettings\)|\.try_deserialize(::<\w+>)?\(",
                    limit=1,
                )
            ),
            None,
        )
        # Go: a Validate method on the configuration type, in a configuration package or
        # called by the program (`if err := config.Validate(); err != nil`).
        called = bool(text.grep(r"\w\.Validate\(\)", ("go",), code_only=True, limit=1))
        hit = hit or next(
            (
                h
                for h in text.grep(
                    r"^func\s*\(\s*\w+\s+\*?(App)?(Config|Settings)\s*\)\s+Validate\(\)|"
                    # func checks(c *config) error: a check of the loaded configuration.
                    r"^func\s+(validate|check|verify)\w*\(\s*\w+\s+\*?\w*([Cc]onfig|[Ss]ettings)"
                    r"\w*\s*\)\s*error|"
                    # A configuration package's per-value validators (validateRange(raw, min,
                    # max) error) that its parser applies to each option.
                    r"^func\s+validate\w*\([^)]*\)\s*error\s*\{",
                    ("go",),
                    code_only=True,
                )
                if (called and "Validate" in h.text) or _CONFIG_MODULE.search(h.path)
            ),
            None,
        )
        # A function of the program's own that checks the loaded configuration and returns an
        # error (vaultwarden's `fn validate_config(cfg: &ConfigItems, ...) -> Result<...>`).
        hit = hit or next(
            iter(
                text.grep(
                    r"^\s*(pub(\(crate\))?\s+)?fn\s+(validate|check|verify)_(config|settings)\w*\s*\(",
                    ("rust",),
                    code_only=True,
                    limit=1,
                )
            ),
            None,
        )
        if hit:
            return self.passed([hit.evidence(repo)], f"Typed settings: `{hit.text}` ({hit.where}).")
        system = [
            h
            for h in text.grep(r"^@(checks\.)?register\(", ("python",), code_only=True)
            if "django.core" in repo.text(h.path)
            and "checks" in repo.text(h.path)
            and re.search(r"\bsettings\b|get_settings\(", repo.text(h.path))
        ]
        if system:
            # bugsink's bsmain/__init__.py: @register checks of BASE_URL, storage and proxy
            # settings, which Django runs before it serves or migrates (and `check --deploy`).
            return self.passed(
                [system[0].evidence(repo)],
                f"{plural(len(system), 'Django system check')} of the project's own validate "
                f"its settings (first at {system[0].where}); Django runs them with its "
                "management commands (runserver, migrate, check), not under a WSGI server "
                "unless the start script runs one of those first.",
            )
        checked = _checked(repo, found)
        if found.env and not (found.parser or found.argv or found.files or found.framework):
            # Only switches and the user's own environment: no value of the program's own
            # that a check at startup could find wrong.
            why = [_not_a_setting(repo, text, h) for h in found.env]
            others = [n for n in found.names if not any(w.startswith(f"{n} ") for w in why)]
            if all(why) and not others:
                shown = "; ".join(sorted(set(why))[:4])
                return self.not_applicable(
                    f"The program has no settings of its own to validate: its "
                    f"{plural(len(found.env), 'environment read')} only switch behaviour on "
                    f"or off or point at the user's system and tools, read where used ({shown})."
                )
        if found.names and len(checked) / len(found.names) >= 0.5:
            site = found.names[checked[0]]
            return self.passed(
                [site.evidence(repo)],
                f"{len(checked)} of {len(found.names)} settings are checked at startup, a "
                f"missing value stopping the program (first {checked[0]}, {site.where}).",
            )
        sites = found.env or [h for h in (found.parser, *found.files) if h is not None]
        if found.partly and found.parser is not None:
            message = (
                f"{len(found.unconfigured)} of {len(found.programs)} programs take no arguments "
                "and keep their settings in code, unchecked"
            )
        elif found.env:
            message = (
                f"{plural(len(found.env), 'ad hoc environment read')}, none validated "
                f"(first at {found.env[0].where})"
            )
            if checked:
                message += f"; only {', '.join(checked[:3])} checked for a missing value"
        else:
            first = found.first()
            where = first.where if first else "code"
            message = f"Settings are read without a schema or typed parser ({where})"
            able = next(iter(knowledge.using(capability="config_validation")), None)
            if able is not None and able.framework.role != "cli":
                can = able.framework.provides["config_validation"].rstrip(".")
                message += f"; nothing here uses what {able.framework.name} offers: {can}"
        return self.failed(
            [h.evidence(repo) for h in sites[:3]] or repo.anchor(), message + ".", looked_at=looked
        )


_TABLE_ROW = re.compile(r"^\s*\|\s*`?([A-Z][A-Z0-9_]{2,})`?\s*\|")


# A configuration file kept as a template or sample for operators to copy.
_CONFIG_TEMPLATE = re.compile(
    r"(?i)^(?=.*(config|conf|settings))[\w.-]*(^|[._-])(template|example|sample|dist)"
    r"([._-].*)?\.(toml|ya?ml|ini|conf|cfg)$|"
    r"^(?=.*(config|conf|settings))[\w.-]*\.(toml|ya?ml|ini|conf|cfg)\.(template|example|sample|dist)$"
)
_TEMPLATE_KEY = re.compile(r"^\s*#*\s*([A-Za-z][\w-]{2,})\s*[=:]")


def _template_keys(repo: RepoView) -> dict[str, tuple[str, int]]:
    """The keys configuration templates document, commented out or set (lowercase, dashes
    as underscores), each with where it is first documented."""
    keys: dict[str, tuple[str, int]] = {}
    for f in repo.files:
        if not (repo.applies(f.path) and _CONFIG_TEMPLATE.search(PurePosixPath(f.path).name)):
            continue
        for number, line in enumerate(repo.lines(f.path), 1):
            found = _TEMPLATE_KEY.match(line)
            if found:
                keys.setdefault(found.group(1).lower().replace("-", "_"), (f.path, number))
    return keys


class ExampleEnvFile(Probe):
    """The settings the code reads are not documented (an example file or a reference)."""

    id = "CFG004"
    category = Category.configuration
    severity = Severity.low
    title = "No documented example configuration"
    rationale = "Operators cannot deploy what they cannot configure without reading the code."
    remediation = "Commit a .env.example (or a README table) listing every variable."
    applies = "application"

    def check(
        self,
        repo: RepoView,
        text: TextSearch,
        imports: Imports,
        knowledge: Knowledge,
        python: PythonCode,
        profile: ProfileView,
    ) -> CheckResult:
        found = settings(repo, text, imports, knowledge, python, profile)
        examples = sorted(
            (
                f.path
                for f in repo.files
                if repo.applies(f.path)
                and (
                    _EXAMPLE_ENV.match(PurePosixPath(f.path).name)
                    # A committed env file of placeholders lists the variables to fill in,
                    # as a .env.example does.
                    or (f.language == "dotenv" and _placeholders_only(repo.lines(f.path)))
                )
            ),
            key=lambda p: (p.count("/"), p),
        )
        docs = examples + guides(repo)
        looked = [
            "example environment files (.env.example and variants)",
            f"{plural(len(docs) - len(examples), 'README and docs page')} for the variables' names",
        ]
        if not found.configurable and examples:
            # Configuration copied into place from an example (ormconfig.json.example,
            # config.ts.example): what the code reads is a file the example documents.
            return self.passed(
                [repo.evidence(p, 1) for p in examples[:2]],
                f"Example configuration in {', '.join(examples[:3])}: the settings are set by "
                "copying it into place.",
            )
        if not found.configurable:
            program = profile.evidence("service") or next((h for _, h in profile.entry), None)
            return self.failed(
                [program.evidence(repo)] if program else repo.anchor(),
                "No settings are documented: the program reads none, they are written in "
                "the code (see CFG001).",
                looked_at=looked,
                # What is not read cannot be documented; the settings in code are CFG001's gap.
                advisory="It reads no settings of its own (no environment variable, flag or "
                "file): there is nothing to document; that its settings are written in the "
                "code is CFG001's gap.",
            )
        if _framework_only(repo, found):
            assert found.framework is not None
            use, site = found.framework
            return self.not_applicable(
                f"The program has no settings of its own to document: {use.framework.name} "
                f"could load them ({site.where}), but no settings file, environment read or "
                "flag gives it any."
            )
        cli = found.help is not None and not profile.holds("service") and not found.partly
        names = found.names
        documented: dict[str, tuple[str, int]] = {}
        if names:
            wanted = {n.upper(): n for n in names}
            for path in docs:
                for number, line in enumerate(repo.lines(path), 1):
                    for word in re.findall(r"[A-Za-z][A-Za-z0-9_]{2,}", line):
                        # SHIORI_DATABASE_URL documents `env:"DATABASE_URL"` read through a
                        # prefix (envconfig's PrefixLookuper, viper's SetEnvPrefix).
                        # go-flags nests env-namespace prefixes (remark42's AUTH_PASSWD is
                        # documented as STORE_RPC_AUTH_PASSWD): any tail after an underscore.
                        parts = word.split("_") if word.isupper() else []
                        tails = ["_".join(parts[i:]) for i in range(1, len(parts))]
                        key = wanted.get(word.upper()) or next(
                            (wanted[t] for t in tails if t in wanted), None
                        )
                        if key and key not in documented and (word.isupper() or path in examples):
                            documented[key] = (path, number)
        if names:
            # lldap's lldap_config.docker_template.toml documents `force_ldap_user_pass_reset`
            # and says any key can be set as LLDAP_<KEY>: LLDAP_FORCE_LDAP_USER_PASS_RESET,
            # and LLDAP_HEALTHCHECK_OPTIONS__HTTP_HOST for a key of a [section].
            keys = _template_keys(repo)
            heads = [n.split("_", 1)[0] for n in names if "_" in n]
            # The program's own prefix (LLDAP_ on most of lldap's variables), not any first word.
            prefix = max(sorted(set(heads)), key=heads.count) if heads else ""
            shared = bool(prefix) and heads.count(prefix) * 2 >= len(names)
            for name in names if shared else ():
                rest = name.lower().split("_", 1)[1] if name.startswith(prefix + "_") else ""
                found_key = next(
                    (keys[k] for k in (rest, rest.rsplit("__", 1)[-1]) if k and k in keys), None
                )
                if found_key and name not in documented:
                    documented[name] = found_key
        if names:
            # A settings table in a docstring the project publishes as its docs (APIFairy,
            # mkdocstrings): `| `DATABASE_URL` | ... |` documents the variable as well.
            wanted = {n.upper(): n for n in names}
            for f in repo.code_files("python"):
                for number, line in enumerate(repo.lines(f.path), 1):
                    row = _TABLE_ROW.match(line)
                    key = wanted.get(row.group(1)) if row else None
                    if key and key not in documented:
                        documented[key] = (f.path, number)
        share = len(documented) / len(names) if names else 0.0
        missing = sorted(n for n in names if n not in documented)
        if names and share >= _DOCUMENTED_SHARE:
            path, number = min(documented.values(), key=lambda pn: (pn[0] not in examples, pn))
            return self.passed(
                [repo.evidence(path, number)],
                f"{len(documented)} of {len(names)} variables the code reads are documented "
                f"(in {path})"
                + (
                    f"; not {', '.join(missing[:3])}{', ...' if len(missing) > 3 else ''}"
                    if missing
                    else ""
                )
                + ".",
            )
        if cli and found.help is not None:
            return self.passed(
                [found.help.evidence(repo)],
                # The parser lists every flag in --help, described or not: that is the claim,
                # not that each flag has its own help text.
                f"The command line lists its settings in --help (`{found.help.text}`, "
                f"{found.help.where})"
                + (f"; not documented: {', '.join(missing[:3])}" if missing else "")
                + ".",
            )
        if names:
            evidence = [found.names[n].evidence(repo) for n in missing[:3]]
            values = [
                f.path
                for f in repo.files
                if PurePosixPath(f.path).name.lower() == ".env"
                and repo.applies(f.path)
                and f.path not in examples
            ]
            return self.failed(
                evidence,
                f"{len(documented)} of {len(names)} variables the code reads are documented; "
                f"not {', '.join(missing[:5])}{', ...' if len(missing) > 5 else ''}"
                + (f" ({examples[0]} lists the others)" if examples and documented else "")
                + (
                    f"; {values[0]} sets values for local runs, it does not describe them"
                    if values
                    else ""
                )
                + ".",
                looked_at=looked,
            )
        if examples:
            return self.passed([repo.evidence(examples[0], 1)], f"Example in {examples[0]}.")
        first = found.first()
        if found.partly:
            return self.failed(
                [repo.evidence(p, 1) for p in found.unconfigured[:3]],
                f"{len(found.unconfigured)} of {len(found.programs)} programs keep their "
                "settings in the code, with no flag help or reference to document them.",
                looked_at=looked,
            )
        reference = next(
            (
                s
                for path in guides(repo)
                for s in sections(repo, path)
                if _REFERENCE_HEADING.search(s.title)
            ),
            None,
        )
        if reference is None and found.help is None:
            return self.failed(
                [first.evidence(repo)] if first else repo.anchor(),
                "No example configuration, settings reference or flag help documents the "
                f"settings the program reads ({first.where if first else 'code'}).",
                looked_at=[*looked, "configuration, settings and options headings"],
            )
        return self.cannot_determine(
            "The configuration is read without variable names a search can list "
            f"({first.where if first else 'code'}): whether it is documented needs a reader.",
            looked_at=looked,
        )


# Debug switched on in code or configuration, outside Python (Python is read from its tree).
_DEBUG_ON = r"gin\.SetMode\(gin\.DebugMode\)|\bDEBUG\s*[:=]\s*true\b|\"debug\"\s*:\s*true"
# Settings that turn a production server into a debugging one (Spring Boot).
_DEBUG_SETTING = (
    r"^\s*management\.endpoints\.web\.exposure\.include\s*[=:]\s*['\"]?\*|"
    r"^\s*server\.error\.include-stacktrace\s*[=:]\s*['\"]?always|"
    r"^\s*spring\.h2\.console\.enabled\s*[=:]\s*true"
)
# Settings files meant for development or tests, where debug on is the point.
# Debug or trace logging fixed on in what runs: the operator cannot turn it down.
_DEBUG_LOGGING = (
    r"set_var\(\s*\"RUST_LOG\"\s*,\s*\"[^\"]*\b(trace|debug)\b|"
    r"^\s*logging\.level\.[\w.]+\s*[=:]\s*(DEBUG|TRACE|debug|trace)\b|"
    r"SetLevel\(\s*\w+\.(Debug|Trace)Level\s*\)|"
    r"setLevel\(\s*(logging\.)?['\"]?DEBUG\b|basicConfig\([^)]*level\s*=\s*(logging\.)?['\"]?DEBUG"
)
_DEV_FILE = re.compile(
    r"(^|/|_|-)(local|dev|develop|development|test|tests|testing)([._/-]|$)", re.I
)
# A default that switches debug on when the variable is unset:
# env.bool("DEBUG", default=True), os.getenv("DEBUG", "True"), config("DEBUG", default=True),
# a project's own envbool("DEBUG", "True").
_DEFAULT_ON = re.compile(
    r"default\s*=\s*(True|['\"](true|1|yes|on)['\"])|"
    r"\w\(\s*['\"][A-Z_]*DEBUG['\"]\s*,\s*(True|['\"](true|True|1|yes|on)['\"])",
)
_SETTINGS_MODULE = re.compile(r"DJANGO_SETTINGS_MODULE['\"]\s*,\s*['\"]([\w.]+)['\"]")
_CONDITIONAL = frozenset(
    {
        "if_statement",
        "if_expression",
        "ternary_expression",
        "conditional_expression",
        "expression_case",
        "switch_case",
        "switch_statement",
        "match_arm",
    }
)


class DebugDefaults(Probe):
    """Debug mode is switched on in what would run in production."""

    id = "CFG003"
    category = Category.configuration
    severity = Severity.high
    title = "Debug mode enabled by default"
    rationale = "Debug mode leaks stack traces and internals, and may expose a code console."
    remediation = "Default debug to off and enable it only from an explicit environment setting."
    applies = "service"

    def check(
        self,
        repo: RepoView,
        text: TextSearch,
        python: PythonCode,
        knowledge: Knowledge,
        syntax: SyntaxTrees,
        containers: Containers,
        data: DataFiles,
    ) -> CheckResult:
        files = repo.code_files(*CODE)
        if not files:
            return self.not_applicable("No product code in scope, so nothing to check.")
        deploy = deployment_lines(repo, containers, data)
        hits = self._python(repo, python, deploy)
        switched_off = {use.framework.id for use, _ in knowledge.provides("production_mode")}
        for use in knowledge.lacking("production_mode"):
            if use.framework.id not in switched_off:
                default = use.framework.lacks["production_mode"].rstrip(".")
                hits.append((use.site, f"{default}, and nothing here switches it off"))
        # Debug modes that only make the log chattier: on by default, but they expose nothing.
        quiet = [
            (
                use.site,
                f"{use.framework.lacks['debug_logging'].rstrip('.')}, and nothing here "
                "switches it off",
            )
            for use in knowledge.lacking("debug_logging")
            if use.framework.id not in switched_off
        ]
        others = ("javascript", "typescript", "go", "rust", "java")
        hits += [
            (h, f"`{h.text}`")
            for h in text.grep(_DEBUG_ON, others, code_only=True)
            if not _DEV_FILE.search(h.path)
            and not _conditional(python, syntax, h, r"DebugMode|DEBUG|debug")
        ]
        settings = [
            h
            for h in text.grep(_DEBUG_SETTING, ("ini", "yaml"), limit=0)
            if not _DEV_FILE.search(PurePosixPath(h.path).stem)
        ]
        # Spring Boot serves the H2 console to local connections only, unless
        # `spring.h2.console.settings.web-allow-others` is set: a developer's tool, not a
        # page the service exposes.
        local_console = [
            h
            for h in settings
            if "h2.console" in h.text
            and not re.search(r"web-allow-others\s*[=:]\s*true", repo.text(h.path), re.IGNORECASE)
        ]
        hits += [
            (h, f"`{h.text}` exposes debugging endpoints or traces")
            for h in settings
            if h not in local_console
        ]
        hits += [
            (h, f"`{h.text}` in {h.path} makes the development profile the default")
            for h in _spring_dev_profile(repo, data, deploy)
        ]
        levels = [
            (h, f"`{h.text}` fixes debug-level logging on")
            for h in [
                *text.grep(_DEBUG_LOGGING, CODE, code_only=True),
                *text.grep(_DEBUG_LOGGING, ("ini",)),
            ]
            if not _DEV_FILE.search(h.path)
            # A handler's level filters what reaches it; the logger's level decides.
            and not re.search(r"(?i)(handler|\b(ch|fh|sh)\b)\s*\.\s*setLevel", h.text)
            and not _conditional(python, syntax, h, r"[Dd]ebug|DEBUG|[Tt]race|TRACE|[Vv]erbose")
        ]
        only_levels = bool(levels) and not quiet
        quiet += levels
        quiet += [
            (h, f"`{h.text}` serves the H2 console, to local connections only")
            for h in local_console
        ]
        if hits or quiet:
            shown = hits or quiet
            where = ", ".join(h.where for h, _ in shown[:3])
            result = self.failed(
                [h.evidence(repo) for h, _ in shown[:5]],
                f"{plural(len(shown), 'debug-on default')} in what runs in production ({where}"
                f"{', ...' if len(shown) > 3 else ''}): {shown[0][1]}.",
            )
            if not hits:
                # A log level fixed at debug, with no debug mode: part of what is asked.
                result = result.model_copy(
                    update={
                        "severity": Severity.low,
                        "severity_note": "Lowered: this debug mode only adds log output; it "
                        "serves no debugging page and shows clients nothing.",
                        "partial": only_levels,
                    }
                )
            return result
        return self.passed([], f"No debug-on default in {plural(len(files), 'product code file')}.")

    def _python(
        self, repo: RepoView, python: PythonCode, deploy: list[Hit]
    ) -> list[tuple[Hit, str]]:
        """app.run(debug=True), and DEBUG on at module level in the settings production runs."""
        served = any(_PRODUCTION_SERVER.search(h.text) for h in deploy)
        found = [
            (Hit(c.path, c.line, c.name), f"`{c.name}(debug=True)`")
            for c in python.calls()
            if is_true(c.keyword("debug"))
            and c.name.endswith("run")
            and not (served and _development_server(repo, python, c.path, c.line, deploy))
        ]
        selected = self._selected_settings(repo)
        for f in repo.code_files("python"):
            if _DEV_FILE.search(f.path) and not f.path.endswith(("wsgi.py", "asgi.py")):
                continue  # development and test settings switch debug on on purpose
            if selected and f.path not in selected:
                continue  # production runs another settings module that sets DEBUG itself
            tree = python.tree(f.path)
            for node in tree.body if tree else []:
                if not (
                    isinstance(node, ast.Assign)
                    and any(getattr(t, "id", "") == "DEBUG" for t in node.targets)
                ):
                    continue
                path, line, value = f.path, node.lineno, node.value
                # Base settings that a production settings module star-imports and whose DEBUG
                # it sets again: production runs with that value, not this default.
                replaced = overridden_in_production(repo, python, f.path, node.lineno)
                if replaced:
                    override = replaced[1]
                    path, line, value = override.path, override.line, override.value
                source = repo.line(path, line)
                seen = any(h.path == path and h.line == line for h, _ in found)
                if not seen and (
                    is_true(value) or (isinstance(value, ast.Call) and _DEFAULT_ON.search(source))
                ):
                    found.append((Hit(path, line, source.strip()), f"`{source.strip()}`"))
        return found

    def _selected_settings(self, repo: RepoView) -> set[str]:
        """The Django settings files wsgi.py/asgi.py select, when those set DEBUG themselves."""
        chosen: set[str] = set()
        for path in repo.named("wsgi.py", "asgi.py"):
            m = _SETTINGS_MODULE.search(repo.text(path))
            if m:
                module = m.group(1).replace(".", "/")
                chosen |= {
                    f.path
                    for f in repo.files
                    if f.path.endswith((f"{module}.py", f"{module}/__init__.py"))
                }
        if chosen and all(re.search(r"^DEBUG\s*=", repo.text(p), re.M) for p in chosen):
            return chosen
        return set()


# A production WSGI/ASGI server, started by what the deployment runs.
_PRODUCTION_SERVER = re.compile(r"\b(gunicorn|uwsgi|waitress-serve|hypercorn|daphne|granian)\b")


def _spring_dev_profile(repo: RepoView, data: DataFiles, deploy: list[Hit]) -> list[Hit]:
    """Where the packaged Spring settings make a development profile the default (eladmin's
    application.yml, `spring: profiles: active: dev`, turns on the Swagger UI, the code
    generator and the Druid console), unless the deployment chooses the profile itself
    (SPRING_PROFILES_ACTIVE=prod in its Dockerfile or compose file)."""
    if any(re.search(r"(?i)spring[._]profiles[._]active", h.text) for h in deploy):
        return []
    found = []
    for path in repo.named("application.yml", "application.yaml", "application.properties"):
        if repo.by_path[path].role != "product" or not repo.applies(path):
            continue
        if path.endswith(".properties"):
            key = r"spring\.profiles\.active\s*[=:]"
            values = [m.group(1) for m in re.finditer(rf"^\s*{key}\s*(\S+)", repo.text(path), re.M)]
        else:
            key = r"active\s*:"
            values = [
                str(((doc.get("spring") or {}).get("profiles") or {}).get("active", ""))
                for doc in data.yaml_docs(path)
                if isinstance(doc, dict)
                and isinstance(doc.get("spring"), dict)
                and isinstance(doc["spring"].get("profiles"), dict)
            ]
        if any(_DEV_PROFILE.match(v.strip("'\"")) for v in values):
            line = repo.line_of(path, rf"^\s*{key}")
            found.append(Hit(path, line, repo.line(path, line).strip()))
    return found


# A development profile by name (`dev`, `local`, `dev,quartz`).
_DEV_PROFILE = re.compile(r"(dev|local|development)\b", re.I)


def _development_server(
    repo: RepoView, python: PythonCode, path: str, line: int, deploy: list[Hit]
) -> bool:
    """Whether ``app.run(debug=True)`` on ``line`` starts Flask's development server only:
    under an ``if __name__ == "__main__":`` guard, or in a script nothing imports (CTFd's
    serve.py, "Port for debug server"), while the deployment serves the app through a
    production server and runs neither file itself."""
    name = PurePosixPath(path).name
    if any(re.search(rf"\b{re.escape(name)}\b", h.text) for h in deploy):
        return False  # the deployment runs this very file
    tree = python.tree(path)
    for node in tree.body if tree else []:
        if (
            isinstance(node, ast.If)
            and "__main__" in ast.unparse(node.test)
            and node.lineno <= line <= (node.end_lineno or node.lineno)
        ):
            return True
    module = PurePosixPath(path).with_suffix("").as_posix().replace("/", ".")
    stem = PurePosixPath(path).stem
    return not any(
        re.search(
            rf"^\s*(from|import)\s+({re.escape(module)}|{re.escape(stem)})\b",
            repo.text(f.path),
            re.M,
        )
        for f in repo.code_files("python")
        if f.path != path
    )


def _conditional(python: PythonCode, syntax: SyntaxTrees, hit: Hit, word: str) -> bool:
    """Whether the code matching ``word`` on the hit's line runs only under a condition
    (an if, a ternary, a switch case): a debug switch for development, not a default."""
    if hit.path.endswith(".py"):
        parents = python.parents(hit.path)
        nodes = [n for n in python.nodes(hit.path, ast.Call, ast.Assign) if n.lineno == hit.line]
        for node in nodes[:1]:
            parent = parents.get(id(node))
            while parent is not None:
                if isinstance(parent, (ast.If, ast.IfExp, ast.Match)):
                    return True
                parent = parents.get(id(parent))
        return False
    root = syntax.root(hit.path)
    if root is None:
        return False
    try:
        nodes = [n for n in root.find_all(regex=word) if n.range().start.line == hit.line - 1]
    except (RuntimeError, ValueError):
        return False
    if not nodes:
        return False
    smallest = min(nodes, key=lambda n: len(n.text()))
    return any(a.kind() in _CONDITIONAL for a in smallest.ancestors())


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
    # It reads URLs and connection strings, not bare host names ("localhost" handed to a
    # torch.distributed rendezvous): the pass says so rather than claiming every endpoint.
    what = "hard-coded localhost URL or connection string"
    applies = "application"

    def hits(self) -> list[Hit]:
        # viper.SetDefault / os.getenv(..., default): a default the configuration overrides.
        rx = re.compile(r"environ|getenv|Getenv|process\.env|env::var|[Dd]efault|unwrap_or")
        # A field of a settings class (pydantic-settings) is a default the environment
        # overrides: the "env default" the remediation asks for.
        fields = {(h.path, h.line) for h in _settings_fields(self.repo, self.python).values()}

        def statement(h: Hit) -> str:
            # The literal may sit on a continuation line of the environment read:
            # `URL = os.environ.get('URL') or \` then `'http://localhost:3000'`.
            before = self.repo.line(h.path, h.line - 1).rstrip()
            continued = before.endswith(("\\", "(", ",", " or", "||", "??"))
            return f"{before} {h.text}" if continued else h.text

        return [
            h
            for h in super().hits()
            if not rx.search(statement(h))
            and (h.path, h.line) not in fields
            # A URL compared with (`origin.startsWith('http://localhost')`) is recognised,
            # not called; a test runner's config (jest.config.js) configures tests.
            and not _COMPARED.search(h.text)
            and not _TEST_TOOL_CONFIG.match(PurePosixPath(h.path).name)
            # A base URL to resolve relative paths against connects nowhere.
            and not _parse_base(self.repo, h)
        ]


# A URL given as the base to resolve a relative URL against: `new URL(path, base)`,
# `URL.parse(path, base)`, Python's `urljoin(base, path)`, Node's `url.resolve(base, path)`.
# A localhost base there is a dummy origin for parsing a path, not an endpoint.
_URL_LITERAL = re.compile(
    r"['\"`](https?)://[^'\"`]*(localhost|127\.0\.0\.1|0\.0\.0\.0)[^'\"`]*['\"`]"
)
_BASE_AFTER = re.compile(r"\b(new\s+URL|URL\.(parse|canParse))\s*\((?:[^()]|\([^()]*\))*,\s*$")
_BASE_FIRST = re.compile(r"\b(urljoin|url\.resolve)\s*\(\s*$")
_FETCHED = re.compile(
    r"\b(fetch|axios(\.\w+)?|got(\.\w+)?|requests\.\w+|httpx\.\w+|https?\.(get|request))\s*\("
)
_HOLDS_URL = re.compile(r"^\s*(?:(?:const|let|var|final|val)\s+)?(\w+)\s*(?::[^=]+)?=(?!=)")


def _parse_base(repo: RepoView, hit: Hit) -> bool:
    """Whether the localhost URL on ``hit``'s line only serves as the base against which a
    relative URL is resolved, there or through a variable the next lines pass as the base.
    A line that also fetches the result still calls the address."""
    line = repo.line(hit.path, hit.line)
    literal = _URL_LITERAL.search(line)
    if literal is None or _FETCHED.search(line):
        return False
    before = line[: literal.start()]
    if _BASE_AFTER.search(before) or _BASE_FIRST.search(before):
        return True
    assigned = _HOLDS_URL.match(line)
    if assigned is None:
        return False
    name = re.escape(assigned.group(1))
    as_base = re.compile(
        rf"\b(new\s+URL|URL\.(parse|canParse))\s*\((?:[^()]|\([^()]*\))*,\s*{name}\s*[,)]|"
        rf"\b(urljoin|url\.resolve)\s*\(\s*{name}\s*,"
    )
    mention = re.compile(rf"(?<![\w.$]){name}\b")
    uses = [text for text in repo.lines(hit.path)[hit.line : hit.line + 10] if mention.search(text)]
    # Every use in the lines that follow resolves a path against it, and nothing fetches.
    return bool(uses) and all(as_base.search(t) and not _FETCHED.search(t) for t in uses)


_COMPARED = re.compile(
    r"\.(startsWith|endsWith|includes|indexOf|match|test)\(\s*['\"]|[!=]==?\s*['\"]"
)
_TEST_TOOL_CONFIG = re.compile(
    r"(jest|vitest|karma|playwright|cypress|wdio|protractor|nightwatch)\.(config|conf)\.\w+$"
)


def _language(repo: RepoView, path: str) -> str:
    f = repo.by_path.get(path)
    return f.language if f is not None else ""


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
        found = text.grep(
            r"LOG_LEVEL|LOGLEVEL|RUST_LOG|log_level|logLevel|LOGGING_LEVEL|logging\.level|"
            r"[\"']log-level[\"']|GIN_MODE|" + _LEVEL_FROM_CONFIG,
            (*CODE, "yaml", "toml", "text", "json", "ini"),
        )
        # GIN_MODE is gin's switch: in a release config of a program without gin it sets
        # nothing (shiori's .goreleaser.yaml).
        if imports.find("github.com/gin-gonic/gin") is None:
            found = [h for h in found if "GIN_MODE" not in h.text]
        # What the code reads is better evidence than a deployment file that sets it.
        languages = set(CODE)
        found.sort(key=lambda h: (_language(repo, h.path) not in languages, h.path, h.line))
        # The program writing a literal into the variable it reads overrides the operator,
        # and then what a logger reads from the environment is that literal.
        overwrites = [h for h in found if _OVERWRITES_LEVEL.search(h.text)]
        hits = [
            h
            for h in found
            if h not in overwrites
            and not (overwrites and re.search(_LEVEL_FROM_CONFIG, h.text))
            # Alembic's env.py loads alembic.ini's logging: the migration tool's, not the app's.
            and not (_MIGRATION_RUNNER.search(h.path) and "fileConfig(" in h.text)
        ]
        if hits:
            return self.passed(
                [hits[0].evidence(repo)], f"Log level set by `{hits[0].text}` ({hits[0].where})."
            )
        switch = _debug_switch(repo, text)
        if switch is not None:
            # reproxy's setupLog(opts.Dbg): `if dbg { log.Setup(log.Debug, ...) }`, with
            # --dbg / DEBUG on the command line or in the environment.
            return self.passed(
                [switch.evidence(repo)],
                f"Debug logging is switched on by an option (`{switch.text[:60]}`, "
                f"{switch.where}); the level is otherwise fixed.",
                partial=True,
            )
        tornado = _tornado_options(repo, text)
        if tornado is not None:
            return self.passed(
                [tornado.evidence(repo)],
                f"Log level set by Tornado's --logging option (debug, info, warning, error or "
                f"none), which `{tornado.text}` reads from the command line or a config file "
                f"({tornado.where}).",
            )
        program = profile.evidence("service") or logging
        fixed = overwrites[:1] or text.grep(_FIXED_LEVEL, CODE, limit=1)
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


def _debug_switch(repo: RepoView, text: TextSearch) -> Hit | None:
    """A debug option that raises the logger's level: `if dbg {` (or `if opts.Debug {`)
    with a debug level set on the next lines."""
    for hit in text.grep(
        r"^\s*if\s+(\w+\.)*(dbg|debug|verbose|Dbg|Debug|Verbose)\s*(\{|:)",
        ("go", "python", "rust", "javascript", "typescript"),
        code_only=True,
    ):
        after = "\n".join(repo.lines(hit.path)[hit.line : hit.line + 3])
        if re.search(
            r"(?i:\b(log|logger|logging|lgr|slog)\w*\.\w*\([^)\n]*debug|\bset_?level\()|"
            r"\blogging\.DEBUG\b|\bLevel(Debug|Trace)\b|\b(DebugLevel|TraceLevel)\b",
            after,
        ):
            return hit
    return None


# Loggers that take their level from outside the code. Rust: env_logger's init and its
# env builders and pretty_env_logger read RUST_LOG (Builder::new() alone does not), and so
# does tracing-subscriber's EnvFilter built from the environment (EnvFilter::new("info") is
# fixed). Go: a level parsed from text (logrus, zerolog, zap, hclog) comes from a flag or a
# setting, and klog.InitFlags registers -v. Python: a logging file loaded by fileConfig.
_LEVEL_FROM_CONFIG = (
    r"\b(pretty_)?env_logger::(try_)?init(_timed|_from_env)?\(|\bBuilder::from_(default_)?env\(|"
    r"\.parse_(default_)?env\(|\bEnvFilter::(try_)?from_(default_)?env\(|\bfrom_default_env\(|"
    r"\.from_env_lossy\(|\bwith_env_filter\((?!\s*\")|"
    r"\b(logrus|zerolog|zapcore|zap|hclog|log)\.(ParseLevel|ParseAtomicLevel|LevelFromString)\(|"
    r"\bklog\.InitFlags\(|\bfileConfig\("
)
_MIGRATION_RUNNER = re.compile(r"(^|/)(alembic|migrations?|migrate)/")
# Tornado's global options parser defines --logging (tornado.log.define_logging_options) and
# applies it when the program parses its command line or a config file. A separate
# OptionParser instance (`parser.parse_command_line()`) has no such option.
_TORNADO_PARSE = r"(?<![\w.])(tornado\.options\.|options\.)?parse_(command_line|config_file)\s*\("
_TORNADO_OPTIONS = re.compile(
    r"^\s*(from\s+tornado\.options\s+import|from\s+tornado\s+import\s+[^\n]*\boptions\b|"
    r"import\s+tornado\.options\b)",
    re.M,
)


def _tornado_options(repo: RepoView, text: TextSearch) -> Hit | None:
    """Where the program parses Tornado's global options, whose --logging sets the level."""
    for hit in text.grep(_TORNADO_PARSE, ("python",), code_only=True):
        if _TORNADO_OPTIONS.search(repo.text(hit.path)):
            return hit
    return None


# The program setting its own log-level variable to a literal: set_var("RUST_LOG", "trace"),
# os.environ["LOG_LEVEL"] = "DEBUG", process.env.LOG_LEVEL = "debug", os.Setenv(...).
_OVERWRITES_LEVEL = re.compile(
    r"set_var\(\s*\"(RUST_LOG|LOG_LEVEL)\"\s*,\s*\"|"
    r"os\.environ\[\s*['\"](LOG_LEVEL|LOGLEVEL|LOGGING_LEVEL)['\"]\s*\]\s*=\s*['\"]|"
    r"process\.env\.(LOG_LEVEL|LOGLEVEL)\s*=\s*['\"`]|"
    r"os\.Setenv\(\s*\"(LOG_LEVEL|LOGLEVEL)\"\s*,\s*\""
)
# A level written as a constant: setLevel(logging.INFO), level=logging.DEBUG, Level::INFO...
_FIXED_LEVEL = (
    r"setLevel\(\s*(logging\.)?['\"]?[A-Z]+|basicConfig\([^)]*level\s*=\s*(logging\.)?['\"]?[A-Z]|"
    r"with_max_level\(\s*(tracing::)?Level::|LevelFilter::[A-Z]|level:\s*['\"](info|debug|warn)|"
    r"SetLevel\(\s*\w+\.(Info|Debug|Warn)|Level\.(INFO|FINE|DEBUG|WARNING)\b"
)


# JSON files their tools read as JSON with comments (JSONC): TypeScript, VS Code, cspell,
# dev containers, ESLint's and Babel's legacy configs, turbo, tslint, API Extractor, Biome.
_JSONC_NAME = re.compile(
    r"(?i)^(tsconfig([.-][\w.-]+)?|jsconfig([.-][\w.-]+)?|\.?cspell|cspell\.config|"
    r"\.?devcontainer|\.eslintrc|\.babelrc|babel\.config|turbo|tslint|api-extractor|biome|"
    r"deno|\.swcrc|language-configuration)(\.json)?$|\.jsonc$"
)
_VSCODE_DIR = re.compile(r"(?i)(^|/)(\.vscode|\.devcontainer|(ide/)?vscode)/[^/]+\.json$")


def _jsonc(path: str) -> bool:
    """Whether a JSON file is read by a tool that accepts comments and trailing commas."""
    name = path.rsplit("/", 1)[-1]
    return bool(_JSONC_NAME.search(name) or _VSCODE_DIR.search(path))


def _jsonc_error(text: str) -> str | None:
    """Why JSON-with-comments text does not parse, once comments and trailing commas go."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == '"':
            end = i + 1
            while end < n and text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            out.append(text[i : end + 1])
            i = end + 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            out.append(" ")
            i = n if end < 0 else end + 2
        else:
            out.append(char)
            i += 1
    plain = re.sub(r",(\s*[}\]])", r"\1", "".join(out))
    if not plain.strip():
        return None  # an empty settings file is valid
    try:
        json.loads(plain)
    except ValueError as exc:
        return str(exc)
    return None


# A YAML tag the file's own tool constructs (starlette's mkdocs.yml:
# `!!python/name:material.extensions.emoji.twemoji`, CloudFormation's !Ref, GitLab's
# !reference): valid YAML a safe loader declines to build, not a syntax error.
_TOOL_TAG = re.compile(r"could not determine a constructor for the tag")


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
        errors: dict[str, str] = {}
        for f in repo.files:
            if f.language not in ("yaml", "toml", "json") or not repo.applies(f.path):
                continue
            if "{{" in repo.text(f.path):
                continue  # templates (Helm, Jinja) are not plain data
            if f.is_test or f.role == "fixture" or _sample_input(f.role):
                continue  # a test's input (an empty JWK set, a template with __host__) on purpose
            if not repo.text(f.path).strip():
                # An empty file kept for a tool to fill (whoogle's letsencrypt/acme.json, which
                # Traefik's compose file mounts as its certificate store): nothing to parse.
                continue
            checked += 1
            if _jsonc(f.path):
                # Read by tools that accept comments and trailing commas (JSONC).
                error = _jsonc_error(repo.text(f.path))
                if error:
                    errors[f.path] = error
                    broken.append(f.path)
                continue
            if f.language == "yaml":
                data.yaml_docs(f.path)
            elif f.language == "toml":
                data.toml(f.path)
            else:
                data.json(f.path)
            if f.path in data.errors and not _TOOL_TAG.search(data.errors[f.path]):
                errors[f.path] = data.errors[f.path]
                broken.append(f.path)
        if not checked:
            return self.not_applicable("No YAML, TOML or JSON files.")
        if broken:
            return self.failed(
                [repo.evidence(p, 1) for p in broken[:5]],
                f"{broken[0]} does not parse: {errors[broken[0]][:120]}"
                + (f" (and {len(broken) - 1} more)" if len(broken) > 1 else ""),
            )
        first = next(
            f.path
            for f in repo.files
            if f.language in ("yaml", "toml", "json")
            and repo.applies(f.path)
            and "{{" not in repo.text(f.path)
            and not (f.is_test or f.role == "fixture" or _sample_input(f.role))
        )
        return self.passed([repo.evidence(first, 1)], f"All {checked} config files parse.")


def _sample_input(role: str) -> bool:
    """A data file of an examples or docs folder: shown to readers or fed to the program as
    a sample input (yq's examples/bad.yaml and front-matter.yaml, malformed on purpose), not
    configuration anything deploys with."""
    return role in ("docs", "example")
