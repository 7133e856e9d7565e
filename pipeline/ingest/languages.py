"""What a file is: its language (by name, extension or shebang) and whether it is a test."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from pipeline.schemas import FileRole

_BY_EXTENSION = {
    ".py": "python",
    ".pyi": "python",
    ".js": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".jsx": "javascript",
    ".ts": "typescript",
    ".tsx": "typescript",
    ".mts": "typescript",
    ".cts": "typescript",
    ".go": "go",
    ".rs": "rust",
    ".java": "java",
    ".kt": "kotlin",
    ".kts": "kotlin",
    ".scala": "scala",
    ".rb": "ruby",
    ".php": "php",
    ".cs": "csharp",
    ".c": "c",
    ".h": "c",
    ".cc": "cpp",
    ".cpp": "cpp",
    ".cxx": "cpp",
    ".hpp": "cpp",
    ".swift": "swift",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".toml": "toml",
    ".json": "json",
    ".jsonc": "json",
    ".ipynb": "json",
    ".sh": "shell",
    ".bash": "shell",
    ".zsh": "shell",
    ".md": "markdown",
    ".markdown": "markdown",
    # MDX pages (Docusaurus, Mintlify, Nextra sites: rallly's apps/docs/*.mdx) are Markdown
    # with components: their prose and headings document the product as Markdown does.
    ".mdx": "markdown",
    ".rst": "markdown",
    ".mk": "makefile",
    ".ini": "ini",
    ".cfg": "ini",
    ".conf": "ini",
    ".properties": "ini",
    ".sql": "sql",
    ".html": "html",
    ".htm": "html",
    ".j2": "html",
    ".jinja": "html",
    ".css": "css",
    ".scss": "css",
    ".less": "css",
    ".tf": "hcl",
    ".hcl": "hcl",
    ".proto": "protobuf",
    ".graphql": "graphql",
    ".xml": "xml",
    ".gradle": "groovy",
    ".groovy": "groovy",
    ".txt": "text",
    ".dockerfile": "dockerfile",
    ".env": "dotenv",
}
_BY_NAME = {
    "makefile": "makefile",
    "gnumakefile": "makefile",
    "containerfile": "dockerfile",
    "dockerfile": "dockerfile",
    "jenkinsfile": "groovy",
    "vagrantfile": "ruby",
    "gemfile": "ruby",
    "rakefile": "ruby",
    "procfile": "text",
    "pipfile": "toml",
    ".env": "dotenv",
    ".bashrc": "shell",
    ".editorconfig": "ini",
    ".gitignore": "text",
    ".dockerignore": "text",
}
_SHEBANG = (
    (re.compile(r"python"), "python"),
    (re.compile(r"\b(?:ba|z|da|k)?sh\b"), "shell"),
    (re.compile(r"\bnode\b|\bdeno\b|\bbun\b"), "javascript"),
    (re.compile(r"\bruby\b"), "ruby"),
)

# Package manifests, in the order a reader looks for them: what declares the build and the
# dependencies. Cargo rewrites a published crate's Cargo.toml and marks it "automatically
# generated": it is still the manifest, never skipped as generated.
MANIFESTS = (
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    "package.json",
    "go.mod",
    "Cargo.toml",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "Pipfile",
    "Gemfile",
    "composer.json",
)
MANIFEST_NAMES = frozenset(name.lower() for name in MANIFESTS)

# Lockfiles: probes read them, but their text says nothing a reader of chunks needs.
LOCKFILES = frozenset(
    {
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "bun.lock",
        "poetry.lock",
        "pipfile.lock",
        "uv.lock",
        "pdm.lock",
        "cargo.lock",
        "go.sum",
        "composer.lock",
        "gemfile.lock",
        "podfile.lock",
        "pubspec.lock",
        "mix.lock",
        "flake.lock",
        "packages.lock.json",
        "gradle.lockfile",
    }
)

_TEST_DIRS = frozenset(
    {
        "tests",
        "test",
        "spec",
        "specs",
        "__tests__",
        "e2e",
        # Cypress's and Playwright's folders: specs, fixtures, support and plugin code that
        # drives a browser against a running app (listmonk's frontend/cypress).
        "cypress",
        "playwright",
        "testdata",
        "test_files",
        "test-files",
        "test_helpers",
        "test-helpers",
        "test_utils",
        "test-utils",
        "testutils",
        "testutil",  # Go's test-support packages: internal/testutil, testingutil
        "testingutil",
        "testhelper",
        "testhelpers",
        "test_support",
        "testsupport",
        "testing",
        "integration_tests",
        # One-word and hyphenated forms (oryx's watcherx/integrationtest/, a test Pod).
        "integrationtest",
        "integrationtests",
        "integration-tests",
        "e2e-tests",
        "e2e_tests",
    }
)
_TEST_NAME = re.compile(
    # *.test-d.ts: type tests that tsd checks (node-fetch's @types/index.test-d.ts).
    r"^(?:test_.*\.py|.*_test\.py|tests\.py|conftest\.py|.*_test\.go|"
    r".*\.(?:test|spec|test-d|cy)\.[cm]?[jt]sx?|"
    # hono's packages/oauth-providers/mocks.ts: the fake provider responses its tests use.
    r"(?:.*\.)?mocks?\.[cm]?[jt]sx?|"
    # fx's npm/test.js, which `npm test` runs: a test script named for what it is.
    r"tests?\.[cm]?[jt]s"
    r"|.*(?:Test|Tests|IT)\.(?:java|kt)|.*_spec\.rb|.*_test\.rb|test_.*\.sh|.*\.bats)$"
)


# Vue and Svelte single-file components: their <script> blocks are the code.
SINGLE_FILE_COMPONENTS = (".vue", ".svelte")
_SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.I)
_TS_SCRIPT = re.compile(r"<script\b[^>]*\blang\s*=\s*[\"']ts[\"']", re.I)


def component_language(text: str) -> str:
    """The language of a single-file component's script: TypeScript when it says so."""
    return "typescript" if _TS_SCRIPT.search(text) else "javascript"


def script_lines(text: str) -> str:
    """A component's text with everything outside its <script> blocks blanked, line for
    line, so code probes read only code and every line number still holds."""
    out: list[str] = []
    inside = False
    for line in text.split("\n"):
        if not inside:
            tag = _SCRIPT_TAG.search(line)
            if tag and "</script>" not in line[tag.end() :]:
                inside = True
            out.append("")
            continue
        if "</script>" in line:
            inside = False
            out.append(line[: line.index("</script>")])
            continue
        out.append(line)
    return "\n".join(out)


def detect_language(path: str, head: str = "") -> str:
    """Lowercase language name from the file name, its extension, else its shebang line."""
    name = PurePosixPath(path).name
    lowered = name.lower()
    if lowered in _BY_NAME:
        return _BY_NAME[lowered]
    if lowered.startswith(("dockerfile.", "containerfile.")) or lowered.endswith(".dockerfile"):
        return "dockerfile"
    if lowered.startswith(".env."):
        return "dotenv"
    if lowered.startswith("makefile."):
        return "makefile"
    suffix = PurePosixPath(lowered).suffix
    if suffix in _BY_EXTENSION:
        return _BY_EXTENSION[suffix]
    if head.startswith("#!"):
        first = head.split("\n", 1)[0]
        for pattern, language in _SHEBANG:
            if pattern.search(first):
                return language
    return "text"


def is_test_path(path: str) -> bool:
    """Whether the file is a test, by the conventions of the common ecosystems.

    Rust's in-file ``#[cfg(test)]`` modules are the probes' business, not a path property.
    """
    parts = PurePosixPath(path).parts
    if any(part in _TEST_DIRS or _TEST_DIR_NAME.match(part) for part in parts[:-1]):
        return True
    return _TEST_NAME.match(parts[-1]) is not None


# A folder named for the tests it holds: cmd/litestream-test, integration-test,
# test-graal-native-image, load_tests.
# A harness a conformance suite drives is a test too (posthog-python's sdk_compliance_adapter).
_TEST_DIR_NAME = re.compile(
    r"^(test[-_]\w[\w-]*|[\w-]*\w[-_](tests?|e2e)|([\w-]*[-_])?(compliance|conformance)([-_][\w-]*)?|"
    # Test-support packages named in one word (blocky's helpertest/, Go's testutil/,
    # testhelpers/): the tests' own helpers, not the product.
    r"helpers?test|test(utils?|helpers?|support|kit|fixtures))$",
    re.I,
)


_ROLE_DIRS = {
    "fixture": frozenset(
        {"testdata", "test_data", "test-data", "fixtures", "__fixtures__", "__mocks__", "mocks"}
        # Recorded HTTP exchanges tests replay (vcrpy/VCR: tweepy's cassettes/).
        | {"cassettes", "vcr_cassettes", "__stubs__"}
    ),
    # Playgrounds and sandboxes: apps that exercise the product by hand (posthog-python's
    # playgrounds/fastapi-exception-capture).
    "example": frozenset(
        {"examples", "example", "_examples", "_example", "samples", "sample", "demo", "demos"}
        | {"playground", "playgrounds", "sandbox", "sandboxes"}
    ),
    "bench": frozenset({"benchmarks", "benchmark", "benches", "bench"}),
    "docs": frozenset({"docs", "doc", "documentation"}),
}
# Folders of inputs inside a test folder.
_TEST_INPUT_DIRS = frozenset({"data", "resources", "assets", "inputs", "golden", "snapshots"})
# A build module named for the samples it holds (spring-boot-admin-samples). Hyphenated
# and plural only: Django-Styleguide-Example's product package is styleguide_example/.
_EXAMPLE_DIR_NAME = re.compile(r"^[\w.-]+-(samples|examples|demos)$", re.I)
# A top-level folder named for the example it holds (lldap's example_configs/, feign's
# example-wikipedia-with-springboot/); deeper down, example_plugin/ may be a product package.
_EXAMPLE_TOP_DIR = re.compile(r"^(examples?|samples?)[-_][\w.-]+$", re.I)
_EXAMPLE_FILE = re.compile(r"^(examples?|demo)\.(py|[cm]?[jt]sx?|go|rs)$")
_BENCH_NAME = re.compile(r"^(?:bench(?:mark)?s?(?:_.*)?|.*_bench(?:mark)?s?)\.(?:py|go|rs|[jt]s)$")


def file_role(path: str, language: str) -> FileRole:
    """What a file is to the project: product, test, example, bench, fixture or docs.

    A fixture folder wins over a test folder (``tests/fixtures/key.pem`` is data, not a
    test); prose (markdown, reStructuredText) is docs wherever it lies.
    """
    parts = PurePosixPath(path).parts
    folders = set(_role_folders(parts[:-1]))
    if folders & _ROLE_DIRS["fixture"]:
        return "fixture"
    if is_test_path(path):
        # tests/data/Dockerfile, src/test/resources/app.yml: the inputs tests read.
        for at, part in enumerate(parts[:-1]):
            if part in _TEST_DIRS and set(parts[at + 1 : -1]) & _TEST_INPUT_DIRS:
                return "fixture"
        return "test"
    if (
        folders & _ROLE_DIRS["example"]
        or any(_EXAMPLE_DIR_NAME.match(f) for f in folders)
        or (len(parts) > 1 and _EXAMPLE_TOP_DIR.match(parts[0]))
    ):
        return "example"
    if folders & _ROLE_DIRS["bench"]:
        return "bench"
    if folders & _ROLE_DIRS["docs"]:
        return "docs"
    if _BENCH_NAME.match(parts[-1]):
        return "bench"
    # A root-level example.js or demo.py shows the product in use (node-fetch's example.js).
    if len(parts) == 1 and _EXAMPLE_FILE.match(parts[-1]):
        return "example"
    # AsciiDoc has no language of its own here ("text"), but it is prose all the same: the
    # README.adoc of Spring's guides quotes @RestController in a sentence, not in code.
    if language in ("markdown", "rst") or parts[-1].lower().endswith((".adoc", ".asciidoc")):
        return "docs"
    return "product"


_JVM_ROOTS = frozenset({"java", "kotlin", "scala", "groovy", "resources"})


def _role_folders(folders: tuple[str, ...]) -> tuple[str, ...]:
    """The folders that can say what a file is for.

    Below a JVM source root (``src/main/java``) folders are package names: a package
    ``org.springframework.samples`` is not a samples folder.
    """
    for i in range(len(folders) - 2):
        if (
            folders[i] == "src"
            and folders[i + 1] in ("main", "test")
            and (folders[i + 2] in _JVM_ROOTS)
        ):
            return folders[: i + 3]
    return folders


def is_lockfile(path: str) -> bool:
    """Whether the file is a dependency lockfile (kept for probes, never chunked)."""
    return PurePosixPath(path).name.lower() in LOCKFILES
