"""Security probes: secrets, unsafe calls, TLS, SQL built from strings, weak hashes."""

from __future__ import annotations

import ast
import base64
import json
import re
import time
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, ClassVar

from pipeline.probes.base import Hit, Probe, plural
from pipeline.probes.shapes import HazardProbe
from pipeline.probes.views.ci import CiModel
from pipeline.probes.views.containers import development_images
from pipeline.probes.views.datafiles import healthcheck_program, maintainer_script
from pipeline.probes.views.imports import Imports
from pipeline.probes.views.knowledge import Knowledge
from pipeline.probes.views.manifests import Manifests
from pipeline.probes.views.profile import ProfileView
from pipeline.probes.views.python import PyCall, PythonCode, dotted, is_false, is_true
from pipeline.probes.views.repo import RepoView
from pipeline.probes.views.search import CODE, TextSearch
from pipeline.probes.views.syntax import SyntaxTrees
from pipeline.schemas import Category, CheckResult, Evidence, Outcome, Severity, SourceFile
from pipeline.secrets import AWS_KIND, is_aws_key_id
from pipeline.secrets.rules import decoded_text, looks_random

_SKIP_SECRET_FILES = (
    "package-lock.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "poetry.lock",
    "uv.lock",
    "cargo.lock",
    "go.sum",
)
# Kinds a value only has by its place (`password: x`, `scheme://user:pass@host`), as opposed
# to a key format (`ghp_...`, `AKIA...`) that is a real credential wherever it sits.
_GENERIC_KINDS = frozenset({"secret_assignment", "basic_auth"})
# Detector kinds with no provider's format: what a fixture or a demo has as often as a leak.
_SHAPELESS_KINDS = _GENERIC_KINDS | {"high_entropy_secret", "hex_secret", "private_key", "jwt"}
# Throwaway places: a CI job's service container, a local docker-compose, an example file.
_CI_FILES = frozenset(
    {
        ".gitlab-ci.yml",
        ".travis.yml",
        "azure-pipelines.yml",
        "bitbucket-pipelines.yml",
        "appveyor.yml",
        ".drone.yml",
        ".woodpecker.yml",
        "jenkinsfile",
        "cloudbuild.yaml",
    }
)
_EXAMPLE_NAME = re.compile(r"(?i)(^|[._-])(example|sample|template|dist|tmpl)($|[._-])")
_COMPOSE_NAME = re.compile(r"(?i)^(docker-)?compose([._-][\w.-]*)?\.ya?ml$")
_PRODUCTION_NAME = re.compile(r"(?i)prod")
_LOCAL_HOST = re.compile(
    r"@(localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]|host\.docker\.internal)(?=[:/?#]|$)", re.I
)
# example.com, .org and .net and the .example/.test/.invalid names are reserved for
# documentation (RFC 2606): `ftp://foo:bar@ftp.example.org/` in marshmallow's URL validator.
_EXAMPLE_HOST = re.compile(
    r"@([\w-]+\.)*(example\.(com|org|net)|[\w-]+\.(example|test|invalid))(?=[:/?#'\"\s]|$)",
    re.I,
)
_ELIDED = re.compile(r"\.\.\.|…|\*\*\*")
# Translation catalogs: `"password": "Пароль"` there is the label a form shows, not a value.
_CATALOG_DIR = frozenset(
    {"intl", "i18n", "l10n", "locale", "locales", "lang", "langs", "languages", "messages"}
    | {"translations"}
)
# A locale's strings kept as a script module (statping-ng's frontend/src/languages/german.js:
# `password: "Kennwort"`): by its folder only, never by its name.
_CATALOG_MODULE_EXT = (".js", ".mjs", ".ts")
_LOCALE_MODULE_DIR = frozenset({"i18n", "l10n", "locale", "locales", "lang", "langs", "languages"})
# A module named for its locale: de.js, pt-BR.ts, zh_CN.js, german.js.
_LOCALE_NAME = re.compile(
    r"[a-z]{2}([-_][a-z]{2,4})?|english|german|french|spanish|italian|japanese|chinese|"
    r"russian|portuguese|dutch|korean|polish|turkish|swedish|danish|norwegian|finnish|czech|"
    r"ukrainian|arabic|hebrew|hindi|greek|hungarian|romanian|indonesian|vietnamese|thai|"
    r"persian|catalan|bulgarian|croatian|serbian|slovak|slovenian|estonian|latvian|lithuanian",
    re.I,
)
_GIVES_EXAMPLE = re.compile(r"(?i)\be\.g\.|\bfor example\b|\bexample:|\bsuch as\b")
_CATALOG_NAME = re.compile(
    r"(^|[._-])(i18n|l10n|locale|messages|translations?)[._-][a-z]{2}([_-][a-z]{2,4})?\.\w+$"
)
_CATALOG_EXT = (".json", ".po", ".pot", ".yml", ".yaml", ".properties", ".xliff", ".xlf", ".arb")


_CHART_VALUES = re.compile(r"(?i)^values([._-][\w.-]*)?\.ya?ml$")


def _chart_values(repo: RepoView, path: str) -> bool:
    """A Helm chart's values file (``values.yaml`` beside ``Chart.yaml``): defaults that each
    installation overrides."""
    where = PurePosixPath(path)
    return bool(_CHART_VALUES.match(where.name)) and (
        str(where.parent / "Chart.yaml") in repo.by_path
        or str(where.parent.parent / "Chart.yaml") in repo.by_path
    )


def _translation_catalog(path: str) -> bool:
    """Whether a file is a UI message catalog (a locale's strings), by its folder and format."""
    parts = path.lower().split("/")
    if (
        parts[-1].endswith(_CATALOG_MODULE_EXT)
        and len(parts) > 1
        and parts[-2] in _LOCALE_MODULE_DIR
        and _LOCALE_NAME.fullmatch(parts[-1].rsplit(".", 1)[0])
    ):
        return True
    if not parts[-1].endswith(_CATALOG_EXT):
        return False
    # ...or by a name that says it: login.i18n.de.json, messages.fr.json (spring-boot-admin).
    # photoview's ui/src/extractedTranslations/da/translation.json: a folder or file named
    # for translations, in any casing or compound.
    return (
        any(p in _CATALOG_DIR or re.fullmatch(r"\w*(translations?|locales)", p) for p in parts[:-1])
        or bool(_CATALOG_NAME.search(parts[-1]))
        or parts[-1].rsplit(".", 1)[0] in ("translation", "translations", "messages")
    )


def _local_place(path: str) -> str | None:
    """Why a file holds only throwaway values (CI, local compose, an example), or None."""
    parts = path.lower().split("/")
    name = parts[-1]
    if path.startswith((".github/workflows/", ".circleci/")) or name in _CI_FILES:
        return "a CI job's configuration"
    if _COMPOSE_NAME.match(name) and not _PRODUCTION_NAME.search(name):
        return "a local docker-compose file"
    if name.startswith(".env") and _EXAMPLE_NAME.search(name[4:]):
        return "an example environment file"
    # rallly's apps/web/.env.test: the values its Playwright and CI runs start with.
    if re.fullmatch(r"\.env\.(test|testing|e2e|ci)(\.local)?", name):
        return "a test environment file"
    if _EXAMPLE_NAME.search(name.rsplit(".", 1)[0] if "." in name else name) and not name.endswith(
        (".py", ".js", ".ts", ".go", ".rs", ".java")
    ):
        return "an example configuration file"
    if _TEST_HELPER_NAME.search(name.rsplit(".", 1)[0]):
        return "a test or mock helper"  # run-s3-docker-tests.sh, s3_mock.py
    return None


_TEST_HELPER_NAME = re.compile(r"(^|[-_.])(tests?|mocks?|fakes?|stubs?)([-_.]|$)")


def _jwt_claims(value: str) -> dict[str, object]:
    """The claims a JWT's payload carries (empty when it does not decode)."""
    parts = value.split(".")
    if len(parts) < 2:
        return {}
    body = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(body.encode("ascii")))
    except (ValueError, UnicodeError):
        return {}
    return claims if isinstance(claims, dict) else {}


def _jwt_expired(value: str, now: float) -> bool:
    """Whether a JWT's payload says it expired: an expired token opens nothing."""
    exp = _jwt_claims(value).get("exp")
    return isinstance(exp, int | float) and exp < now


# An issuer that declares the token a published demo (the local-development keys a
# platform's CLI prints for everyone, e.g. `"iss": "supabase-demo"`).
_DEMO_ISSUER = re.compile(r"(?i)(^|[\W_])(demo|example|sample)($|[\W_])")


def _jwt_demo(value: str) -> str | None:
    """The issuer of a JWT that says it is a public demo token, or None."""
    issuer = _jwt_claims(value).get("iss")
    return issuer if isinstance(issuer, str) and _DEMO_ISSUER.search(issuer) else None


_LONE_AWS_ID = (
    "an AWS access key id with no secret key in its file (it names a key; it signs nothing)"
)


def _discount(path: str, kind: str, value: str, line: str, now: float) -> str | None:
    """Why a match the detector found is not a live credential here, or None when it is."""
    if _ELIDED.search(value):
        return "an elided placeholder"
    if kind == "jwt" and _jwt_expired(value, now):
        return "an expired token"
    if kind == "jwt" and _jwt_demo(value):
        return "a public demo token (its issuer says demo)"
    if kind == "basic_auth" and _LOCAL_HOST.search(line[line.find(value) :]):
        return "credentials for a server on the local machine"
    if kind == "basic_auth" and _EXAMPLE_HOST.search(line[line.find(value) :]):
        return "credentials in a URL on a documentation-only domain (RFC 2606)"
    if kind in _GENERIC_KINDS and _translation_catalog(path):
        return "a UI label in a translation catalog"
    if kind in _GENERIC_KINDS and _PLACEHOLDER_VALUE.fullmatch(value.strip("'\"` ")):
        # open-r1's generate.py: OpenAILLM(base_url=..., api_key="something") for a local
        # vLLM server that checks no key.
        return "a placeholder word, not a key"
    if kind in _GENERIC_KINDS and _LABEL_NAME.search(line[: max(line.find(value), 0)]):
        # wakapi's `const AuthKeyDeriveInfo = "AUTH-KEY;SIGNED:HMAC-SHA256;..."`: the HKDF
        # info string that labels a derived key, public by design (RFC 5869).
        return "a label that names a key's use (a key-derivation info or context string)"
    place = _local_place(path)
    if place and kind in _SHAPELESS_KINDS and _CHANGE_THIS.search(line[line.find(value) :]):
        # bugsink's docker-compose-sample.yaml: `SECRET_KEY: django-insecure-...  # Change
        # this (and remove django-insecure prefix), e.g. openssl rand -base64 50`.
        return f"a value its comment says to change, in {place}"
    # A password that a local compose file or a CI job gives its own throwaway database is
    # a throwaway however random it looks; in an example file, a random-looking value may be
    # a real one pasted by mistake.
    if place and kind in _GENERIC_KINDS and (not looks_random(value) or "example" not in place):
        return f"a throwaway value in {place}"
    return None


def _smoke_test_job(workflow: str) -> bool:
    """A CI file that builds an image and runs it, without deploying anything: no ssh, no
    image push, no registry login, no deploy step."""
    return bool(
        re.search(r"\bdocker (build|buildx build)\b|docker/build-push-action", workflow)
    ) and not (
        re.search(r"(?i)\bssh\b|docker push|push:\s*true|docker/login-action|\bdeploy", workflow)
    )


# `docker run -e NAME=value`, `--env NAME=value`: a setting handed to a container.
_CONTAINER_ENV = re.compile(r"(^|\s)(-e|--env)[\s=]+['\"]?\w+=")
# A comment after the value telling the reader to put their own in its place.
_CHANGE_THIS = re.compile(
    r"(#|//)\s*.*\b(change\s+(this|me|it)|replace\s+(this|me|it|with)|generate\s+(your|a|one))",
    re.I,
)
_DEV_SETTINGS = re.compile(
    r"(^|/)settings/(development|dev|local|test|testing|ci)\.py$|"
    r"(^|/)settings_(development|dev|local|test)\.py$"
)


_DEV_MODULE = "a development settings module the deployed entry does not load"


def _dev_settings(repo: RepoView, path: str) -> bool:
    """A Django settings module for development (settings/development.py), which neither
    the deployed entry (wsgi.py, asgi.py) nor another settings module loads: bugsink's
    wsgi.py defaults to bugsink_conf; only the repository's own manage.py uses it."""
    if not _DEV_SETTINGS.search(path):
        return False
    module = path.removesuffix(".py").replace("/", ".")
    stem = PurePosixPath(path).stem
    for f in repo.files:
        name = PurePosixPath(f.path).name
        if f.path == path or f.language != "python":
            continue
        text = repo.text(f.path)
        if name in ("wsgi.py", "asgi.py") and module.split(".", 1)[-1] in text:
            return False
        if "/settings/" in f"/{f.path}" and re.search(rf"from\s+\.{stem}\s+import", text):
            return False
    return True


# The name a value is assigned to ends in a word for a label: HKDF's `info`, a context.
_LABEL_NAME = re.compile(
    r"(?i)(derive\w*info|info|label|context|purpose|usage|description)['\"]?\s*(:\s*[\w.]+\s*)?"
    r"(=|:=|:)\s*[\"'`]?$"
)
_READABLE_FIXTURE = "a readable password or token of a test, fixture or doc (not random-looking)"
_TESTS_LOAD_IT = "a key file only tests load (a fixture)"


_HOST_SETTING = re.compile(
    r"(?i)\b\w*(host|addr|address|server)\w*['\"]?\s*[=:]\s*['\"]?"
    r"(localhost|127\.0\.0\.1|\[::1\])\b"
)


# Words that stand in for a key: what a local server that checks none is given.
_PLACEHOLDER_VALUE = re.compile(
    r"(?i)something|empty|none|null|dummy|fake|placeholder|changeme|change[-_]?me|"
    r"secret|password|passw0rd|token|api[-_]?key|key|notused|not[-_]?used|unused|"
    r"your[-_][\w-]+|x{3,}|\*{3,}|<[^>]+>|\$\{?\w+\}?|foo|bar|baz|foobar"
)
# A form field's or an option's placeholder text: `Placeholder: "383810182:EEx8..."`.
_PLACEHOLDER_FIELD = re.compile(r"(?i)\bplaceholder\w*[\"']?\s*[:=]")
_LOOPBACK_URL_CREDENTIALS = re.compile(
    r"://[^/\s:@'\"]+:[^@\s'\"]+@(127\.0\.0\.1|localhost|\[::1\])[:/'\"]"
)


def _in_documentation(
    repo: RepoView,
    python: PythonCode,
    text: TextSearch,
    path: str,
    language: str,
    line: int,
    column: int,
) -> bool:
    """Whether the value at ``line``:``column`` sits in a Python docstring or inside a
    `/** ... */` doc comment (a real comment, not `"/public/**"` in a string)."""
    if language == "python":
        tree = python.tree(path)
        if tree is None:
            return False
        owners = [tree, *python.nodes(path, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)]
        for node in owners:
            body = getattr(node, "body", [])
            first = body[0] if body else None
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
                and first.lineno <= line <= (first.end_lineno or first.lineno)
            ):
                return True
        return False
    if language not in ("javascript", "typescript", "java", "go", "rust"):
        return False
    source = repo.text(path)
    offset = sum(len(t) + 1 for t in repo.lines(path)[: line - 1]) + column
    if offset >= len(source):
        return False
    blanked = text.code_text(path, language)  # comments turned to spaces, strings kept
    if blanked[offset] == source[offset]:
        return False  # code or a string, not a comment
    start = source.rfind("/*", 0, offset)
    while start >= 0 and blanked[start] != " ":
        start = source.rfind("/*", 0, start)  # a `/*` inside a string opens nothing
    return start >= 0 and source.startswith("/**", start) and source.find("*/", start + 2) > offset


def _detector_sample(repo: RepoView, path: str, line: int, value: str) -> bool:
    """A token-shaped value written within three lines of a regular expression that matches
    its prefix: the pattern a secret scanner uses and the sample it is tested on."""
    prefix = re.match(r"[A-Za-z]{2,}[_-]?", value)
    if prefix is None:
        return False
    head = re.escape(prefix.group(0)[:3])
    nearby = repo.lines(path)[max(0, line - 4) : line + 1]
    return any(re.search(rf"[\"'|]{head}[\w-]*(\[[^\]]+\]|\\[dws])", text) for text in nearby)


def _beside_local_host(repo: RepoView, path: str, line: int) -> bool:
    """A setting within four lines that points the same block at the local machine."""
    lines = repo.lines(path)
    return any(_HOST_SETTING.search(text) for text in lines[max(0, line - 5) : line + 4])


_PLACEHOLDER_COMMENT = re.compile(
    r"(?i)(#|//|/\*|\*|--).*\b(placeh\w*|dummy|fake|not\s+(a\s+)?real|throwaway)\b"
)


def _commented_placeholder(repo: RepoView, path: str, line: int) -> bool:
    """A comment on the line or in the three above it says the value is a placeholder."""
    lines = repo.lines(path)
    return any(_PLACEHOLDER_COMMENT.search(t) for t in lines[max(0, line - 4) : line])


# `if !profile.Demo {`, `if (!isDev)`, `if not settings.DEBUG:`; not `if !deviceReady`.
_DEMO_GUARD = re.compile(
    r"^\s*(}\s*else\s+)?if\s*\(?\s*(!|not\s+)[\w.]*?"
    r"([Dd]emo|[Dd]ev|[Dd]ebug|[Dd]evelopment|DEMO|DEV|DEBUG)(Mode|_mode|Enabled|_enabled)?\b"
)


def _replaced_unless_demo(repo: RepoView, path: str, line: int) -> bool:
    """The variable the line assigns is assigned again, within the next six lines, under
    ``if !<demo/dev/debug flag>``: the literal is what demo or development runs use."""
    lines = repo.lines(path)
    assigned = re.match(r"^\s*(?:var\s+|let\s+|const\s+)?(\w+)\s*:?=", lines[line - 1])
    if assigned is None:
        return False
    name = assigned.group(1)
    after = lines[line : line + 6]
    for at, text in enumerate(after):
        if _DEMO_GUARD.match(text):
            return any(
                re.match(rf"^\s*{re.escape(name)}\s*=[^=]", t) for t in after[at + 1 : at + 4]
            )
    return False


def _algolia_search_key(repo: RepoView, path: str, line: int) -> bool:
    """An ``apiKey`` in an Algolia or DocSearch block that also names its ``appId`` and
    ``indexName``: the search-only key Algolia documents as safe to ship to browsers (an
    admin key would not sit in front-end configuration)."""
    lines = repo.lines(path)
    block = "\n".join(lines[max(0, line - 6) : line + 5])
    return (
        re.search(r"(?i)api_?key", repo.line(path, line)) is not None
        and re.search(r"(?i)algolia|docsearch", block) is not None
        and re.search(r"(?i)index_?name", block) is not None
        and re.search(r"(?i)app_?id", block) is not None
    )


def _same_as_user(repo: RepoView, path: str, line: int, value: str) -> bool:
    """A readable password equal to the user name a setting within four lines gives
    (``postgres:postgres``, ``LD_DB_USER=linkding`` then ``LD_DB_PASSWORD=linkding``)."""
    if looks_random(value):
        return False
    # The user name itself, or, in a file that says it is for development, doubled
    # (lemmy's dev config: admin_username "lemmy", admin_password "lemmylemmy", doubled to
    # pass the 10-character minimum). Elsewhere `rootroot` may well be the real password.
    half = value[: len(value) // 2]
    doubled = len(value) % 2 == 0 and half * 2 == value and _says_development(repo, path)
    names = [value] + ([half] if doubled else [])
    spelled = "|".join(re.escape(n) for n in names)
    user = re.compile(rf"(?i)\w*user(name)?\w*['\"]?\s*[=:]\s*['\"]?({spelled})['\"]?\s*$")
    lines = repo.lines(path)
    return any(user.search(text) for text in lines[max(0, line - 5) : line + 4])


def _only_tests_load(repo: RepoView, path: str) -> bool:
    """A key file (certificate/localhost.key) whose name only test code mentions."""
    name = PurePosixPath(path).name
    if PurePosixPath(path).suffix not in (".pem", ".key", ".p8", ".p12", ".crt", ".cert"):
        return False
    mentioned = [f for f in repo.files if f.language in CODE and name in repo.text(f.path)]
    return bool(mentioned) and all(f.is_test for f in mentioned)


_DEV_TOKEN_NOTE = re.compile(r"(?i)\b(dev|development|local|test|testing|example)\b")


def _dev_requests(repo: RepoView, path: str) -> bool:
    """A .http/.rest file of saved requests whose titles (`###` lines) say its tokens are
    for development (remark42's "dev token for secret=12345")."""
    return any(
        line.lstrip().startswith("###") and _DEV_TOKEN_NOTE.search(line)
        for line in repo.lines(path)
    )


# A Go build constraint that compiles the file only for tests (`//go:build e2etest`).
_GO_TEST_BUILD = re.compile(
    # A tag that is a test's own word (e2etest, integration, test, unit_test), not one that
    # merely contains it (`latest`), and not negated (`!e2etest` ships).
    r"\A(?:\s*//[^\n]*\n)*\s*//go:build\s+[^\n]*(?<![!\w])"
    r"(e2e\w*|integration\w*|tests?\b|testing\b|\w+[_-](e2e|tests?|integration))\b"
)

_LOCAL_HTTPS_KEY = "a key for HTTPS on localhost that no product code loads"


def _local_https_key(repo: RepoView, path: str) -> bool:
    """A key file named for localhost (ghostfolio's apps/client/localhost.pem, which its
    DEVELOPMENT.md makes with openssl and the Angular dev server's sslKey names) that no
    product code loads: it serves https://localhost during development, where nobody else's
    traffic passes, so it protects nothing a deployment relies on."""
    pure = PurePosixPath(path)
    if pure.suffix not in (".pem", ".key") or not pure.stem.lower().startswith("localhost"):
        return False
    return not any(
        f.language in CODE and not f.is_test and pure.name in repo.text(f.path) for f in repo.files
    )


def _env_default(repo: RepoView, path: str, line: int) -> bool:
    """A value in a table of environment defaults that ``os.environ.setdefault`` applies
    (manage.py's DEFAULT_ENVS): the environment's own value wins, this is the fallback."""
    text = repo.text(path)
    if "environ.setdefault(" not in text:
        return False
    if "environ.setdefault(" in repo.line(path, line):
        return True
    for number in range(line - 1, max(0, line - 30), -1):
        above = repo.line(path, number)
        if re.match(r"^\s*\w*DEFAULT\w*\s*=\s*\{", above, re.I):
            return True
        if re.match(r"^\S", above) and not above.startswith(("}", ")")):
            return False
    return False


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

    def check(
        self, repo: RepoView, python: PythonCode, syntax: SyntaxTrees, text: TextSearch
    ) -> CheckResult:
        evidence: list[Evidence] = []
        kinds: list[str] = []
        discounted: dict[str, int] = {}
        demo: dict[str, set[int]] = {}  # lines whose value only demo/dev runs use
        templated: dict[tuple[str, int], str] = {}  # defaults a generated config replaces
        scanned = 0
        now = time.time()
        for f in repo.files:
            if not repo.applies(f.path) or f.path.lower().rsplit("/", 1)[-1] in _SKIP_SECRET_FILES:
                continue
            if _is_product(f) != self.product:
                continue
            scanned += 1
            # Found once by ingest; the evidence shows the redacted line, never the value.
            matches = repo.snapshot.secrets(f.path)
            values = [repo.line(f.path, m.line)[m.start : m.end] for m in matches]
            # An AWS secret key beside an id: the pair signs requests, so the id counts too.
            aws_secret = any(
                m.kind == AWS_KIND and not is_aws_key_id(v)
                for m, v in zip(matches, values, strict=True)
            )
            for match, value in zip(matches, values, strict=True):
                line = repo.line(f.path, match.line)
                lone_id = match.kind == AWS_KIND and is_aws_key_id(value) and not aws_secret
                why = (
                    _discount(f.path, match.kind, value, line, now)
                    or (
                        # bugsink's ci.yml: `docker run -e SECRET_KEY=<random> bugsink-ci`,
                        # the key of the image the same job has just built to smoke-test
                        # (not a deploy: no ssh, no push, no registry login beside it).
                        "a throwaway value a CI job gives the container it starts"
                        if _local_place(f.path) == "a CI job's configuration"
                        and match.kind in _SHAPELESS_KINDS
                        and _CONTAINER_ENV.search(line)
                        and _smoke_test_job(repo.text(f.path))
                        else None
                    )
                    or _production_replaces(repo, python, f.path, match.line)
                    or (_DEV_MODULE if _dev_settings(repo, f.path) else None)
                    or (_LONE_AWS_ID if lone_id else None)
                    or (
                        # ntfy's server.yml: "# - twilio-auth-token is ..., e.g. affebeef...".
                        "an example a comment gives (e.g.)"
                        if match.commented and _GIVES_EXAMPLE.search(line)
                        else None
                    )
                    or (
                        _TESTS_LOAD_IT
                        if match.kind == "private_key" and _only_tests_load(repo, f.path)
                        else None
                    )
                    or (
                        _LOCAL_HTTPS_KEY
                        if match.kind == "private_key" and _local_https_key(repo, f.path)
                        else None
                    )
                    or (
                        # wger's import command: MongoClient('mongodb://off:off-wger@127.0.0.1').
                        "credentials for a server on the local machine"
                        if _LOOPBACK_URL_CREDENTIALS.search(line)
                        else None
                    )
                    or (
                        # minio-py's package docstring: `>>> client = Minio("play.min.io",
                        # access_key=..., secret_key=...)`; got's JSDoc example `secret:
                        # 'passphrase'`: usage shown in the docs, not a setting of the code.
                        "a usage example in a docstring or doc comment"
                        if _in_documentation(
                            repo, python, text, f.path, f.language, match.line, match.start
                        )
                        else None
                    )
                    or (
                        # statping-ng's Telegram notifier: Placeholder: "383810182:EEx8...",
                        # the shape a form shows in its empty field.
                        "a placeholder a form shows" if _PLACEHOLDER_FIELD.search(line) else None
                    )
                    or (
                        # atuin-lab-share's crypto.rs: the key of a test vector, in the
                        # #[cfg(test)] module of a product file.
                        "a value in a Rust test module"
                        if f.language == "rust" and match.line in text.rust_test_lines(f.path)
                        else None
                    )
                    or (
                        # atuin's secrets.rs: ("GitHub PAT", "ghp_[a-zA-Z0-9]{36}",
                        # TestValue::Single("ghp_...")): the sample its detector is tested on.
                        "a sample beside the pattern that detects it"
                        if _detector_sample(repo, f.path, match.line, value)
                        else None
                    )
                    or (
                        # [database] User = root / Password = rootroot / Host = 127.0.0.1:
                        # a readable password for a server on the machine itself.
                        "credentials for a server on the local machine"
                        if match.kind in _GENERIC_KINDS
                        and not looks_random(value)
                        and _beside_local_host(repo, f.path, match.line)
                        else None
                    )
                    or (
                        # Algolia's search-only key beside its app id and index name: meant
                        # for browsers (DocSearch config of create-t3-app's site).
                        "a public search-only key (Algolia)"
                        if match.kind in _GENERIC_KINDS
                        and _algolia_search_key(repo, f.path, match.line)
                        else None
                    )
                    or (
                        # kutt's knexfile.js: "set to a placeholder string to bypass env
                        # validation" just above `process.env.JWT_SECRET = "securekey"`.
                        "a value its comment calls a placeholder"
                        if match.kind in _GENERIC_KINDS
                        and not looks_random(value)
                        and _commented_placeholder(repo, f.path, match.line)
                        else None
                    )
                    or (
                        # remark42's backend/remark.rest: saved requests of a REST client,
                        # "### find request ... dev token for secret=12345": tokens a
                        # developer signed with the dev compose file's secret.
                        "a token in a saved HTTP request file that says it is for development"
                        if PurePosixPath(f.path).suffix in (".http", ".rest")
                        and _dev_requests(repo, f.path)
                        else None
                    )
                    or (
                        # pocket-id's e2etest_service.go, compiled only with `-tags e2etest`:
                        # fixture tokens its end-to-end suite seeds.
                        "a value only a test build compiles (a //go:build test tag)"
                        if f.path.endswith(".go") and _GO_TEST_BUILD.search(repo.text(f.path))
                        else None
                    )
                    or (
                        # homebox: `demoPasswordDefault = "demodemo"`, the login of its demo
                        # mode ("public knowledge"), which HBOX_DEMO_PASSWORD overrides.
                        "a demo mode's readable default login"
                        if match.kind in _GENERIC_KINDS
                        and not looks_random(value)
                        and re.search(r"(?i)\bdemo\w*\s*[:=]", line)
                        else None
                    )
                    or (
                        # LD_DB_USER=linkding / LD_DB_PASSWORD=linkding: a local default.
                        "a password equal to the user name set beside it (or doubling it, in a "
                        "development file)"
                        if match.kind in _GENERIC_KINDS
                        and _same_as_user(repo, f.path, match.line, value)
                        else None
                    )
                    or (
                        # `password = "hacksoft"` for a test's own user: a fixture. Outside
                        # product code only a key format or a random-looking value can leak.
                        _READABLE_FIXTURE
                        if not self.product
                        and match.kind in _GENERIC_KINDS
                        and not looks_random(value)
                        else None
                    )
                )
                if why:
                    discounted[why] = discounted.get(why, 0) + 1
                    continue
                evidence.append(repo.evidence(f.path, match.line))
                if match.kind in _GENERIC_KINDS and _replaced_unless_demo(repo, f.path, match.line):
                    demo.setdefault(f.path, set()).add(match.line)
                where = _templated_in_generated_config(repo, f.path, match.line)
                if where is not None:
                    templated[(f.path, match.line)] = where
                fallback = match.kind in _GENERIC_KINDS and _env_default(repo, f.path, match.line)
                kind = "hardcoded_fallback" if fallback else match.kind
                if match.kind == "google_api_key" and _BROWSER_KEY_NAME.search(line):
                    kind = _BROWSER_KEY
                kinds.append(kind + (" (commented out)" if match.commented else ""))
        if self.product:
            for site in hardcoded_credentials(repo, python, syntax):
                if any(e.path == site.path and e.start_line == site.line for e in evidence):
                    continue
                why = _production_replaces(repo, python, site.path, site.line) or (
                    _DEV_MODULE if _dev_settings(repo, site.path) else None
                )
                if why:
                    discounted[why] = discounted.get(why, 0) + 1
                    continue
                evidence.append(site.evidence(repo))
                kinds.append(site.kind)
        if not scanned and not self.product:
            return self.not_applicable("No test, fixture, example or documentation files.")
        skipped = "; ".join(f"{n} {why}" for why, n in sorted(discounted.items()))
        skipped = f" Not counted: {skipped}." if skipped else ""
        if evidence:
            where = ", ".join(e.location for e in evidence[:3])
            result = self.failed(
                evidence[:10],
                f"Secret-like values{self.where}: {len(evidence)} "
                f"({', '.join(sorted(set(kinds)))}) at {where}. Values are redacted here."
                + skipped,
            )
            if self.product and all(e.start_line in demo.get(e.path, ()) for e in evidence):
                # memos: `secret := "usememos"` then `if !profile.Demo { secret =
                # setting.SecretKey }`: the literal signs only demo instances. Its labeller
                # said "partly", its reader "low at most".
                result = result.model_copy(
                    update={
                        "severity": Severity.low,
                        "partial": True,
                        "severity_note": "Lowered: every value is what demo or development "
                        "runs use; the next lines replace it otherwise. Anyone who runs the "
                        "demo mode in public signs with a key everyone can read.",
                    }
                )
            elif self.product and all(
                "ENCRYPTED" in repo.line(e.path, e.start_line) for e in evidence
            ):
                # homebox's backend/cosign.key: "BEGIN ENCRYPTED SIGSTORE PRIVATE KEY".
                result = result.model_copy(
                    update={
                        "severity": Severity.medium,
                        "severity_note": "Lowered: every key is stored encrypted with a "
                        "password; it is usable only with that password, which a committed "
                        "key still invites guessing offline. Rotate it and keep it out of git.",
                    }
                )
            elif self.product and all((e.path, e.start_line) in templated for e in evidence):
                # flaskbb: DefaultConfig's WTF_CSRF_SECRET_KEY = "reallyhardtoguess", which
                # the config `flaskbb makeconfig` writes from config.cfg.template replaces
                # with a random key. Its labeller: a real default; its panel reader: not high.
                where = templated[(evidence[0].path, evidence[0].start_line)]
                result = result.model_copy(
                    update={
                        "severity": Severity.low,
                        "severity_note": "Lowered: the configuration the project generates "
                        f"({where}) fills this setting with a value of its own; the literal "
                        "applies only to an instance started without a generated config.",
                    }
                )
            elif self.product and all(PurePosixPath(e.path).name == "manage.py" for e in evidence):
                # pydis-site: DEFAULT_ENVS set with os.environ.setdefault in manage.py, for
                # the local superuser its `run` command creates.
                result = result.model_copy(
                    update={
                        "severity": Severity.medium,
                        "severity_note": "Lowered: Django's manage.py runs management commands "
                        "and the development server; the site is served through wsgi.py or "
                        "asgi.py, which a default set in manage.py does not reach. It still "
                        "reaches every command run in production (migrate, createsuperuser).",
                    }
                )
            elif self.product and all(k.endswith(" (commented out)") for k in kinds):
                result = result.model_copy(
                    update={
                        "severity": Severity.medium,
                        "severity_note": "Lowered: every value is commented out, most often "
                        "the format a sample configuration documents (ntfy's client.yml); "
                        "nothing reads it, but a real key pasted there has still leaked.",
                    }
                )
            elif self.product and all(
                _DEV_CONFIG.search(e.path) or _says_development(repo, e.path) for e in evidence
            ):
                result = result.model_copy(
                    update={
                        "severity": Severity.medium,
                        "severity_note": "Lowered: every value sits in a configuration file "
                        "named for local development; it matters if that file is what a "
                        "deployment falls back to.",
                    }
                )
            elif self.product and all(
                _EXAMPLE_NAME.search(PurePosixPath(e.path).name) for e in evidence
            ):
                result = result.model_copy(
                    update={
                        "severity": Severity.medium,
                        "severity_note": "Lowered: every value sits in an example file, a "
                        "sample its users replace; each still needs confirming as a sample, "
                        "not a real key pasted by mistake.",
                    }
                )
            elif self.product and all(_chart_values(repo, e.path) for e in evidence):
                result = result.model_copy(
                    update={
                        "severity": Severity.medium,
                        "severity_note": "Lowered: every value is a default in a Helm chart's "
                        "values file, which installs override (`--set`, their own values "
                        "file); a release that keeps it runs with a password anyone can read.",
                    }
                )
            elif not self.product and {k.removesuffix(" (commented out)") for k in kinds} <= (
                _SHAPELESS_KINDS
            ):
                # Review panels on real repositories judged 16 of 18 such gaps false (test
                # passwords, demo keys, documentation placeholders) and the other two throwaway
                # test keys: only a live provider's key format (ghp_, AKIA, xoxb-) says more.
                result = result.model_copy(
                    update={
                        "advisory": "Every value has a generic shape (a password or key "
                        "assigned in a test, a random-looking string, a demo key file or "
                        "token) and none has the format of a provider's live key; in tests, "
                        "fixtures, examples and docs such values are placeholders and "
                        "throwaway keys as a rule. Listed for a reviewer to confirm fake."
                    }
                )
            elif self.product and all(_DEFAULT_CONFIG.search(e.path) for e in evidence):
                # flaskbb's configs/default.py: loaded first, then overridden by the config
                # file `flaskbb makeconfig` writes with random keys.
                result = result.model_copy(
                    update={
                        "severity": Severity.high,
                        "severity_note": "Lowered: every value sits in the default "
                        "configuration, which a deployment's own settings override; one "
                        "that forgets to runs with a key anyone can read.",
                    }
                )
            elif (
                self.product
                and _BROWSER_KEY in kinds
                and set(kinds)
                <= {
                    _BROWSER_KEY,
                    "hardcoded_fallback",
                }
            ):
                # bakerydemo: GOOGLE_MAP_API_KEY, which locations/models.py hands to the page
                # for the Maps script, and a basic-auth password used when none is set. Its
                # panel reader: "at most low to medium", not critical.
                result = result.model_copy(
                    update={
                        "severity": Severity.medium,
                        "severity_note": "Lowered: a Google Maps key is sent to every "
                        "visitor's browser by design, so it is public wherever it is used; "
                        "its protection is a referrer restriction in Google's console, which "
                        "the code cannot show. A fallback is used only when the environment "
                        "does not set the value.",
                    }
                )
            elif self.product and set(kinds) == {"hardcoded_fallback"}:
                # The literal is used only when the variable is unset: a deployment that sets
                # it is safe, one that forgets runs with a key anyone can read.
                result = result.model_copy(
                    update={
                        "severity": Severity.high,
                        "severity_note": "Lowered: each value is a fallback used only when "
                        "the environment does not set the secret; nothing stops a deployment "
                        "that forgets it from running with a key anyone can read.",
                    }
                )
            return result
        # Nothing found: there is no line to cite, so the pass carries no evidence.
        return self.passed(
            [], f"No secrets found in {scanned} {self.scope_phrase()} files.{skipped}"
        )

    def scope_phrase(self) -> str:
        return "product and configuration" if self.product else "test, fixture and docs"


# A Google API key for a browser script (Maps JavaScript API), by the name it is set under.
_BROWSER_KEY = "google_browser_key"
_BROWSER_KEY_NAME = re.compile(r"(?i)\b\w*(maps?|browser|public|javascript)\w*\s*[:=]")

# Configuration files named for local development (config/local.yml, settings/dev.py,
# .env.development, appsettings.Development.json).
_DEV_CONFIG = re.compile(
    r"(?i)(^|/)(config|configs|settings|conf)/(local|dev|develop|development)\.[\w.]+$|"
    r"(^|/)(local|dev|develop|development)\.(ya?ml|json|toml|ini|env|properties)$|"
    r"(^|/)[\w.-]*[._-](local|dev|development)\.(ya?ml|json|toml|ini|py|env|properties)$|"
    r"(^|/)\.env\.(local|dev|development)$"
)


# The defaults a configuration loader starts from (flaskbb/configs/default.py,
# default_settings.py, config/defaults.py).
_DEFAULT_CONFIG = re.compile(
    r"(?i)(^|/)(configs?|settings|conf)/defaults?\.\w+$|(^|/)default[-_](settings|config)\.\w+$"
)


# A configuration file's own opening comment saying it is for development (lemmy's
# docker/lemmy.hjson: "a minimal lemmy config for the dev / main branch. Do not use for a
# release").
_DEVELOPMENT_COMMENT = re.compile(
    r"(?i)(#|//|;|<!--).*(\b(for|of) (the )?(local )?(dev|development|testing)\b|"
    r"do not use (it |this )?(in|for) (a )?(production|release))"
)


def _says_development(repo: RepoView, path: str) -> bool:
    """Whether a configuration file says, in a comment among its first lines, that it is for
    development only."""
    f = repo.by_path.get(path)
    if f is None or f.language in CODE:
        return False
    return any(_DEVELOPMENT_COMMENT.search(line) for line in repo.lines(path)[:12])


def _is_product(f: SourceFile) -> bool:
    """Product and configuration files (what ships), as opposed to tests, fixtures, docs.
    A database seed script is fixture data for secrets: the demo login it creates for local
    development (saas-starter's lib/db/seed.ts, `admin123`, which its README documents)."""
    return f.role == "product" and not f.is_test and not _SEED_SCRIPT.search(f.path)


# lib/db/seed.ts, prisma/seed.ts, db/seeds.rb, seeders/users.js, scripts/seed-db.py.
_SEED_SCRIPT = re.compile(
    r"(?i)(^|/)(seeds|seeders?|seeding)/|(^|/)seeds?([-_.]\w+)*\.(ts|js|mjs|cjs|py|rb)$"
)


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


# --- credentials written into code: fallbacks and signing keys ---------------------------------

# Names that hold a credential (an environment variable, a setting, a constant).
_SECRET_NAME = re.compile(
    r"(?i)secret|passw(or)?d|passwd|\bpwd\b|_pwd\b|token|api_?key|apikey|private_?key|"
    r"signing_?key|jwt_?key|credential|auth_?key"
)
# ... but not the names of things about a credential (its URL, file, length, header).
_NOT_A_SECRET_NAME = re.compile(
    r"(?i)(url|uri|file|path|dir|name|user(name)?|header|field|type|algorithm|alg|expir\w*|"
    r"lifetime|ttl|timeout|length|len|min|max|prefix|regex|pattern|env|var|param|id|kind|"
    r"scheme|location|endpoint|host|port|format|hash(er)?s?|validators?|reset\w*|change\w*|"
    r"rounds|iterations|cookie\w*)$"
)
_PLACEHOLDER_WORDS = (
    "changeme",
    "change_me",
    "change-me",
    "changethis",
    "change this",
    "placeholder",
    "example",
    "your",
    "dummy",
    "fake",
    "sample",
    "mock",
    "test",
    "secret",
    "password",
    "token",
    "xxx",
    "todo",
    "fixme",
    "replace",
    "insert",
    "notreal",
    "redacted",
    "default",
    # Well-known defaults of local servers (postgres:postgres, guest:guest, root).
    "postgres",
    "guest",
    "mysql",
    "root",
    "admin",
    "localhost",
)


# Words that tell whoever deploys to put their own value in: a fallback saying so is not
# meant to run. A fallback that only reads like a dummy ('top-secret!', 'dev-password') is
# the key every instance started without the variable signs with (microblog-api).
_REPLACE_WORDS = (
    "changeme",
    "change_me",
    "change-me",
    "changethis",
    "change this",
    "change-this",
    "placeholder",
    "example",
    "your",
    "replace",
    "insert",
    "notreal",
    "todo",
    "fixme",
    "redacted",
)


def _placeholder_fallback(value: str) -> bool:
    """A fallback that is empty, templated or elided, or that says it must be replaced."""
    return _placeholder_literal(value, _REPLACE_WORDS)


def _placeholder_literal(value: str, words: tuple[str, ...] = _PLACEHOLDER_WORDS) -> bool:
    """An empty, templated, elided or self-declared dummy value (not a credential)."""
    stripped = value.strip()
    lowered = stripped.lower()
    if len(stripped) < 6 or len(set(stripped)) <= 2 or _ELIDED.search(stripped):
        return True
    if stripped.startswith(("$", "%(", "{{", "<", "/", "./", "~/", "@")) or "://" in lowered:
        return True
    if re.fullmatch(r"[A-Z][A-Z0-9_]*", stripped):  # the name of an environment variable
        return True
    if re.fullmatch(r"[\d.]+|true|false|none|null", lowered):
        return True
    if re.search(r"%[sdr]|\{\w*\}|\\[dws]|^\^", stripped):  # a format string or a regex
        return True
    lowered += " " + decoded_text(stripped).lower()  # base64 of "change-me-in-production"
    return any(word in lowered for word in words)


@dataclass(frozen=True)
class CredentialSite:
    """A credential literal the key-format detector cannot see (a fallback, a signing key)."""

    path: str
    line: int
    kind: str
    value: str

    def evidence(self, repo: RepoView) -> Evidence:
        # The detector did not redact this value: mask it in the cited line ourselves.
        shown = repo.shown(self.path, self.line)
        cited = repo.evidence(self.path, self.line)
        if self.value and self.value in shown:
            masked = shown.replace(self.value, f"[REDACTED:{self.kind}]")
        else:  # written with escapes: mask every string literal on the line
            masked = re.sub(r"([\"'`])(?:\\.|(?!\1).)*\1", f"[REDACTED:{self.kind}]", shown)
        return cited.model_copy(update={"snippet": masked[:400]})


_ENV_READS = (
    "os.environ.get",
    "os.getenv",
    "os.environ.setdefault",
    "environ.get",
    "getenv",
    "env",
    "env.str",
    "env.get_value",
    "config",
    "decouple.config",
)


def hardcoded_credentials(
    repo: RepoView, python: PythonCode, syntax: SyntaxTrees
) -> list[CredentialSite]:
    """Credential literals in product code: env fallbacks, secret settings, signing keys."""

    def compute() -> list[CredentialSite]:
        found = _python_credentials(repo, python)
        found += _go_signing_keys(repo, syntax)
        found += _js_signing_keys(repo, syntax)
        found += _config_signing_keys(repo)
        return found

    return repo.memo("security:hardcoded-credentials", compute)


# A signing or encryption key set in a configuration file the product loads (PlayEdu's
# application.yml: `jwt-secret-key: "playeduxyz"`, Sa-Token's JWT key): the key
# forges every session of an instance that keeps the default.
_CONFIG_KEY = re.compile(
    r"""^\s*(?:[\w.-]*[.-])?((?:jwt|token|session|cookie)[-_.]?secret(?:[-_.]?key)?|"""
    r"""secret[-_.]?key|signing[-_.]?key|encryption[-_.]?key)\s*[:=]\s*"""
    r"""(["']?)([^"'\s#]+)\2\s*(#.*)?$""",
    re.I,
)
_CONFIG_FILE = re.compile(
    r"(^|/)(application|bootstrap|config|settings)[\w-]*\.(ya?ml|properties)$"
)


def _config_signing_keys(repo: RepoView) -> list[CredentialSite]:
    found: list[CredentialSite] = []
    for f in repo.files:
        if (
            not _CONFIG_FILE.search(f.path)
            or not _is_product(f)
            or _local_place(f.path)
            or re.search(r"(?i)(^|[-_/])(dev|local|test)[\w-]*\.(ya?ml|properties)$", f.path)
        ):
            continue
        for number, line in enumerate(repo.lines(f.path), start=1):
            m = _CONFIG_KEY.match(line)
            if m and not _placeholder_literal(m.group(3)):
                found.append(CredentialSite(f.path, number, "hardcoded_setting", m.group(3)))
    return found


def _str_value(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str | bytes):
        value = node.value
        return value.decode("utf-8", "replace") if isinstance(value, bytes) else value
    if isinstance(node, ast.Call) and len(node.args) == 1 and not node.keywords:
        # SecretStr("..."), b"...".decode(): the literal inside a wrapper.
        return _str_value(node.args[0])
    return None


def _target_name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Subscript):
        key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
    return ""


def _secret_name(name: str) -> bool:
    return bool(name) and bool(_SECRET_NAME.search(name)) and not _NOT_A_SECRET_NAME.search(name)


def _env_fallback(call: ast.Call, aliases: dict[str, str]) -> tuple[str, ast.expr] | None:
    """``(variable, default)`` of an environment read with a default, else None."""
    name = dotted(call.func, aliases)
    # ... or a project's own helper named for it: envsecret("SECRET_KEY", "---").
    own = re.fullmatch(r"(get_?)?env(_?[a-z]+)?", name.rsplit(".", 1)[-1]) is not None
    if name not in _ENV_READS and not name.endswith((".getenv", "environ.get")) and not own:
        return None
    if not call.args:
        return None
    variable = _str_value(call.args[0])
    if variable is None:
        return None
    default = next((k.value for k in call.keywords if k.arg in ("default", "fallback")), None)
    if default is None and len(call.args) > 1:
        default = call.args[1]
    return (variable, default) if default is not None else (variable, ast.Constant(None))


def _python_credentials(repo: RepoView, python: PythonCode) -> list[CredentialSite]:
    found: list[CredentialSite] = []
    for f in repo.code_files("python"):
        if python.tree(f.path) is None:
            continue
        aliases = python.aliases(f.path)
        for call in python.nodes(f.path, ast.Call):
            read = _env_fallback(call, aliases)
            if read is None:
                continue
            variable, default = read
            value = _str_value(default)
            if value is not None and _secret_name(variable) and not _placeholder_fallback(value):
                found.append(CredentialSite(f.path, default.lineno, "hardcoded_fallback", value))
        for node in python.nodes(f.path, ast.BoolOp):
            # os.environ.get("SECRET_KEY") or "literal"
            if not isinstance(node.op, ast.Or) or len(node.values) < 2:
                continue
            first, last = node.values[0], node.values[-1]
            read = _env_fallback(first, aliases) if isinstance(first, ast.Call) else None
            value = _str_value(last)
            if (
                read
                and value is not None
                and _secret_name(read[0])
                and not _placeholder_fallback(value)
            ):
                found.append(CredentialSite(f.path, last.lineno, "hardcoded_fallback", value))
        for assign in python.nodes(f.path, ast.Assign, ast.AnnAssign):
            targets = assign.targets if isinstance(assign, ast.Assign) else [assign.target]
            value = _str_value(assign.value)
            if value is None or assign.value is None or _placeholder_literal(value):
                continue
            if any(_credential_setting(_target_name(t)) for t in targets):
                found.append(
                    CredentialSite(f.path, assign.value.lineno, "hardcoded_setting", value)
                )
    return found


# --- settings a production settings module replaces -----------------------------------------

_PRODUCTION_MODULE = re.compile(r"(?i)(^|[._-])prod(uction)?($|[._-])")


@dataclass(frozen=True)
class Override:
    """A production settings module's own assignment of a name its base settings also set."""

    path: str
    line: int
    value: ast.expr

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


def _star_import_target(repo: RepoView, path: str, node: ast.ImportFrom) -> str | None:
    """The repository file a ``from <module> import *`` in ``path`` names, or None."""
    module = (node.module or "").replace(".", "/")
    if node.level:
        folder = path.rsplit("/", 1)[0] if "/" in path else ""
        for _ in range(node.level - 1):
            folder = folder.rsplit("/", 1)[0] if "/" in folder else ""
        stem = f"{folder}/{module}" if folder else module
        candidates = [f"{stem}.py", f"{stem}/__init__.py"]
        known = {f.path for f in repo.files}
        return next((c for c in candidates if c in known), None)
    if not module:
        return None
    return next(
        (
            f.path
            for f in repo.code_files("python")
            if f.path == f"{module}.py" or f.path.endswith((f"/{module}.py",))
        ),
        None,
    )


def production_overrides(repo: RepoView, python: PythonCode) -> dict[tuple[str, str], Override]:
    """``(base settings file, NAME)`` -> the assignment of NAME in a production settings module
    (production.py, prod.py, settings_prod.py) that star-imports that base file: production
    never sees the base value unless the new one refers back to it."""

    def compute() -> dict[tuple[str, str], Override]:
        found: dict[tuple[str, str], Override] = {}
        for f in repo.code_files("python"):
            stem = f.path.rsplit("/", 1)[-1].removesuffix(".py")
            tree = python.tree(f.path) if _PRODUCTION_MODULE.search(stem) else None
            if tree is None:
                continue
            bases: list[str] = []
            for node in tree.body:
                if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
                    target = _star_import_target(repo, f.path, node)
                    if target and target != f.path:
                        bases.append(target)
            assigned = _always_assigned(f.path, tree.body)
            for base in bases:
                for name, override in assigned.items():
                    found.setdefault((base, name), override)
        return found

    return repo.memo("security:production-overrides", compute)


def _always_assigned(path: str, body: list[ast.stmt]) -> dict[str, Override]:
    """Module-level names every path through ``body`` assigns afresh (not from their old
    value): plain assignments, and names set in both branches of an ``if``/``else`` or in
    a ``try`` and each of its handlers (linkding's prod.py reads SECRET_KEY from a file,
    else generates a random one)."""
    assigned: dict[str, Override] = {}
    for node in body:
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if not isinstance(target, ast.Name):
                    continue
                refers_back = any(
                    isinstance(n, ast.Name) and n.id == target.id for n in ast.walk(node.value)
                )
                if not refers_back:
                    assigned[target.id] = Override(path, node.lineno, node.value)
        elif isinstance(node, ast.If) and node.orelse:
            first, other = _always_assigned(path, node.body), _always_assigned(path, node.orelse)
            assigned |= {k: v for k, v in first.items() if k in other}
        elif isinstance(node, ast.Try):
            tried = _always_assigned(path, node.body)
            for handler in node.handlers:
                ends = bool(handler.body) and isinstance(handler.body[-1], ast.Raise)
                if not ends:
                    handled = _always_assigned(path, handler.body)
                    tried = {k: v for k, v in tried.items() if k in handled}
            assigned |= tried | _always_assigned(path, node.finalbody)
        elif isinstance(node, ast.With):
            assigned |= _always_assigned(path, node.body)
    return assigned


def overridden_in_production(
    repo: RepoView, python: PythonCode, path: str, line: int
) -> tuple[str, Override] | None:
    """The module-level name assigned on ``line`` of ``path`` and the production settings
    assignment that replaces it, or None (not a settings file, or production keeps it)."""
    if not path.endswith(".py"):
        return None
    overrides = production_overrides(repo, python)
    if not any(base == path for base, _ in overrides):
        return None
    tree = python.tree(path)
    for node in tree.body if tree else []:
        if not isinstance(node, ast.Assign | ast.AnnAssign):
            continue
        if not node.lineno <= line <= (node.end_lineno or node.lineno):
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            if isinstance(target, ast.Name) and (path, target.id) in overrides:
                return target.id, overrides[(path, target.id)]
    return None


_CI_VARIABLE = re.compile(
    r"['\"](CI|GITHUB_ACTIONS|GITHUB_WORKFLOW|GITLAB_CI|TRAVIS|CIRCLECI|BUILDKITE|JENKINS_URL|"
    r"TF_BUILD)['\"]"
)


def _ci_only(python: PythonCode, path: str, line: int) -> bool:
    """Whether ``line`` sits in the body of an ``if`` that tests a CI environment variable
    (``if os.environ.get("GITHUB_WORKFLOW"):``): settings for a CI job's throwaway services."""
    if not path.endswith(".py"):
        return False
    for node in python.nodes(path, ast.If):
        if not node.body or not _CI_VARIABLE.search(ast.unparse(node.test)):
            continue
        if node.body[0].lineno <= line <= (node.body[-1].end_lineno or node.body[-1].lineno):
            return True
    return False


def _debug_only(python: PythonCode, path: str, line: int) -> bool:
    """Whether ``line`` sits in the body of ``if DEBUG:`` whose ``else`` sets production up
    (``if DEBUG: SECRET_KEY = "dev" else: SECRET_KEY = env("SECRET_KEY")``)."""
    if not path.endswith(".py"):
        return False
    for node in python.nodes(path, ast.If):
        if not node.body or not node.orelse:
            continue
        if not re.fullmatch(r"(settings\.)?(DEBUG|debug)", ast.unparse(node.test)):
            continue
        if node.body[0].lineno <= line <= (node.body[-1].end_lineno or node.body[-1].lineno):
            return True
    return False


def _production_replaces(repo: RepoView, python: PythonCode, path: str, line: int) -> str | None:
    """Why a literal in settings is not what production runs with, or None."""
    if _ci_only(python, path, line):
        return "a throwaway value set only when running in CI"
    if _debug_only(python, path, line):
        return (
            "a development value set only when DEBUG is on (the else branch configures production)"
        )
    found = overridden_in_production(repo, python, path, line)
    if found is None:
        return None
    name, override = found
    return f"a development default of {name} that production settings replace ({override.where})"


_SETTING_NAME = re.compile(r"^\s*([A-Z][A-Z0-9_]*)\s*[=:]")
_TEMPLATE_SUFFIXES = (".template", ".tmpl", ".tpl", ".j2", ".jinja", ".jinja2")


def _templated_in_generated_config(repo: RepoView, path: str, line: int) -> str | None:
    """Where a configuration template sets the setting assigned on ``line`` to a value filled
    in when the configuration is generated (flaskbb's config.cfg.template: ``SECRET_KEY =
    "{{ secret_key }}"``, which ``flaskbb makeconfig`` fills with a random key): the literal
    in the defaults class is what a deployment's own file replaces, not what it runs with."""
    setting = _SETTING_NAME.match(repo.line(path, line))
    if setting is None:
        return None
    name = re.escape(setting.group(1))
    filled = re.compile(rf"^\s*{name}\s*[=:]\s*['\"]?(\{{\{{|\{{%|\$\{{)")
    for f in repo.files:
        if f.path == path or not f.path.endswith(_TEMPLATE_SUFFIXES):
            continue
        for number, text in enumerate(repo.lines(f.path), start=1):
            if filled.match(text):
                return f"{f.path}:{number}"
    return None


def _credential_setting(name: str) -> bool:
    """A setting that holds a signing or encryption key (SECRET_KEY, JWT_SECRET, ...)."""
    return bool(
        re.search(r"(?i)(^|_)(secret(_key)?|signing_key|jwt_key|encryption_key)$", name)
    ) or name in ("secret_key", "SECRET_KEY")


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


BAD, UNSURE, SAFE = "bad", "unsure", "safe"
# Built from the operator's own input (their command line, config, a maintainer script's own
# files) that no network input reaches: a quoting bug for the person typing, not an injection.
OPERATOR = "operator"
_OPERATOR_NOTE = (
    "Lowered: the input is the operator's own (a command-line argument, a maintainer "
    "script's own files) and no network input reaches it, so only the person running the "
    "command can break it."
)


@dataclass(frozen=True)
class Site:
    """One call judged by where its input comes from."""

    hit: Hit
    verdict: str  # BAD, UNSURE, OPERATOR or SAFE
    why: str


class _TracedHazard(Probe):
    """A hazard that depends on where the input comes from, traced back from each call.

    Fails on a site fed by input the program does not control; passes when every site
    runs constants, the program's own files or the local user's own input; cannot tell
    (and says which sites) when an input's origin could not be traced.
    """

    what: ClassVar[str] = "call"
    # What a pass found none of, when it says more than ``what``.
    none_found: ClassVar[str] = ""
    # What a safe site does, for the message of a pass.
    safe_phrase: ClassVar[str] = "every one runs a fixed string or the user's own input"

    def sites(self, repo: RepoView, python: PythonCode, syntax: SyntaxTrees) -> list[Site]:
        raise NotImplementedError

    def check(self, repo: RepoView, python: PythonCode, syntax: SyntaxTrees) -> CheckResult:
        files = repo.code_files(*CODE)
        if not files:
            return self.not_applicable("No product code in scope, so nothing to check.")
        sites = self.sites(repo, python, syntax)
        bad = [s for s in sites if s.verdict == BAD]
        unsure = [s for s in sites if s.verdict == UNSURE]
        searched = f"{self.what}s in {plural(len(files), 'product code file')}"
        if bad:
            where = "; ".join(f"{s.hit.where} ({s.why})" for s in bad[:3])
            return self.failed(
                [s.hit.evidence(repo) for s in bad[:5]],
                f"{plural(len(bad), self.what)} fed by input the program does not fix: "
                f"{where}{'; ...' if len(bad) > 3 else ''}. {self.message()}",
            )
        if unsure:
            where = "; ".join(f"{s.hit.where} ({s.why})" for s in unsure[:3])
            return self.cannot_determine(
                f"{plural(len(unsure), self.what)} whose input could not be traced to its "
                f"origin: {where}{'; ...' if len(unsure) > 3 else ''}. A reviewer should check "
                "whether that input can come from outside (a request, downloaded data).",
                looked_at=[searched],
                evidence=[s.hit.evidence(repo) for s in unsure[:5]],
            )
        operator = [s for s in sites if s.verdict == OPERATOR]
        if operator:
            where = "; ".join(f"{s.hit.where} ({s.why})" for s in operator[:3])
            result = self.failed(
                [s.hit.evidence(repo) for s in operator[:5]],
                f"{plural(len(operator), self.what)} built from the operator's own input: "
                f"{where}{'; ...' if len(operator) > 3 else ''}. No network input reaches "
                f"{'it' if len(operator) == 1 else 'them'}, so this is a quoting hazard for "
                "whoever runs the command, not an injection others can use.",
            )
            return result.model_copy(
                update={"severity": Severity.low, "severity_note": _OPERATOR_NOTE}
            )
        if sites:
            where = "; ".join(f"{s.hit.where} ({s.why})" for s in sites[:3])
            return self.passed(
                [s.hit.evidence(repo) for s in sites[:3]],
                f"{plural(len(sites), self.what)}, and {self.safe_phrase}: {where}"
                f"{'; ...' if len(sites) > 3 else ''}.",
            )
        return self.passed(
            [], f"No {self.none_found or self.what} in {plural(len(files), 'product code file')}."
        )


def _py_hit(repo: RepoView, path: str, line: int) -> Hit:
    return Hit(path, line, repo.shown(path, line).strip())


def _numeric_guard(python: PythonCode, path: str, call: ast.Call) -> bool:
    """``eval(s) if s.isnumeric() else s``: the string is known to be a number."""
    parents = python.parents(path)
    node: ast.AST | None = parents.get(id(call))
    while node is not None and not isinstance(node, _FUNCTIONS):
        test = node.test if isinstance(node, ast.IfExp | ast.If) else None
        if test is not None and re.search(r"\.is(numeric|digit|decimal)\(", ast.unparse(test)):
            return True
        node = parents.get(id(node))
    return False


def _judge_whole(sources: frozenset[str]) -> tuple[str, str]:
    """A value used whole (the code to run, the command to run)."""
    if OUTSIDE in sources:
        return BAD, describe_sources(frozenset({OUTSIDE}))
    if UNKNOWN in sources:
        return UNSURE, describe_sources(frozenset({UNKNOWN}))
    return SAFE, describe_sources(sources) or "a constant"


class EvalExec(_TracedHazard):
    """`eval`/`exec` (or `new Function`) run strings that can come from outside as code."""

    id = "SEC002"
    category = Category.security
    severity = Severity.high
    title = "Dynamic code execution with eval/exec"
    rationale = "Evaluating strings as code turns any injected input into code execution."
    remediation = "Replace eval/exec with explicit parsing (ast.literal_eval, JSON, dispatch)."
    what = "call that evaluates a string as code (eval, Python's exec, new Function)"
    safe_phrase = "each runs a constant, the program's own code or the local user's own config"

    def sites(self, repo: RepoView, python: PythonCode, syntax: SyntaxTrees) -> list[Site]:
        tracer = tracer_for(repo, python)
        found: list[Site] = []
        for call in python.calls_named("eval", "exec", "builtins.eval", "builtins.exec"):
            if not _dynamic(call):
                continue
            hit = _py_hit(repo, call.path, call.line)
            if _numeric_guard(python, call.path, call.node):
                found.append(Site(hit, SAFE, "only a numeric string"))
                continue
            verdict, why = _judge_whole(tracer.sources(call.path, call.node.args[0]))
            found.append(Site(hit, verdict, why))
        files = [f.path for f in repo.code_files("javascript", "typescript")]
        for pattern in ("eval($A)", "new Function($$$A)"):
            for m in syntax.find(pattern, files=files) if files else []:
                args = m.node.get_multiple_matches("A") if "$$$" in pattern else []
                arg = m.node.get_match("A") if not args else args[-1]
                if arg is None or arg.kind() in ("string", "number"):
                    continue
                text = arg.text()
                if re.search(r"\b(req|request|ctx\.request)\.(body|query|params)|location\.", text):
                    found.append(Site(m.hit(repo), BAD, "request or page data"))
                else:
                    found.append(Site(m.hit(repo), UNSURE, describe_sources(frozenset({UNKNOWN}))))
        return found


class ShellInjection(_TracedHazard):
    """Shell commands are built from input that is not fixed (interpolated or concatenated)."""

    id = "SEC003"
    category = Category.security
    severity = Severity.high
    title = "Commands run through a shell"
    rationale = "Shell command strings built from input allow command injection."
    remediation = "Pass argument lists without a shell (subprocess.run([...]), execFile)."
    what = "shell command"
    # What is looked for, said as such: starting the user's own shell (vhs record's
    # exec.Command(shell)) is no command string, and "no shell command" read as untrue.
    none_found: ClassVar[str] = "shell command string built from variable input"
    safe_phrase = "each runs a fixed command or one the local user wrote"

    def sites(self, repo: RepoView, python: PythonCode, syntax: SyntaxTrees) -> list[Site]:
        tracer = tracer_for(repo, python, frozenset({"quote", "shlex.quote"}))
        found: list[Site] = []
        for call in _python_shell_calls(python):
            command = call.node.args[0] if call.node.args else call.keyword("args")
            if command is None:
                command = call.keyword("cmd")
            if command is None:
                continue
            hit = _py_hit(repo, call.path, call.line)
            interpolated, sources = tracer.parts(call.path, command)
            found.append(Site(hit, *_judge_command(interpolated, sources)))
        found += _js_shell_sites(repo, syntax)
        found += _go_shell_sites(repo, syntax)
        found += _other_shell_sites(repo, syntax)
        return found


def _python_shell_calls(python: PythonCode) -> list[PyCall]:
    risky = python.calls_named(
        "os.system",
        "os.popen",
        "commands.getoutput",
        "subprocess.getoutput",
        "subprocess.getstatusoutput",
        "asyncio.create_subprocess_shell",
    )
    risky += [
        c
        for c in python.calls()
        if c.name.startswith("subprocess.") and is_true(c.keyword("shell"))
    ]
    return sorted(risky, key=lambda c: (c.path, c.line))


def _judge_command(interpolated: bool, sources: frozenset[str]) -> tuple[str, str]:
    if not interpolated:
        if OUTSIDE in sources:
            return BAD, "the whole command is " + describe_sources(frozenset({OUTSIDE}))
        if UNKNOWN in sources:
            return UNSURE, "the command is " + describe_sources(frozenset({UNKNOWN}))
        if sources <= {CONST}:
            return SAFE, "a fixed command"
        return SAFE, "the command is " + describe_sources(sources)
    if OUTSIDE in sources:
        return BAD, "interpolates " + describe_sources(frozenset({OUTSIDE}))
    if UNKNOWN in sources:
        return UNSURE, "interpolates " + describe_sources(frozenset({UNKNOWN}))
    if LOCAL in sources:
        return OPERATOR, "interpolates " + describe_sources(frozenset({LOCAL}))
    return SAFE, "interpolates only constants or the program's own values"


_JS_SHELL = ("exec", "execSync")
_JS_OPERATOR_INPUT = "the operator's input in a command-line script that reads no network input"
_JS_OPERATOR = f"interpolates {_JS_OPERATOR_INPUT}"


def _js_interpolated(node: object) -> bool:
    kind = node.kind()  # type: ignore[attr-defined]
    if kind == "template_string":
        return "${" in str(node.text())  # type: ignore[attr-defined]
    return kind == "binary_expression" and "+" in str(node.text())  # type: ignore[attr-defined]


# A command-line script: where it sits (bin/, scripts/, tools/) or its `#!` line ...
_SCRIPT_DIR = re.compile(r"(^|/)(bin|scripts?|tools)/")
# ... unless something in it takes input from the network (a request, a fetched response).
_JS_NETWORK = re.compile(
    r"\b(req|request|ctx\.request)\.(body|query|params|headers|cookies)|\bfetch\(|"
    r"\baxios\b|\bgot\(|\bhttps?\.(get|request)\(|createServer\(|\bexpress\(|"
    r"\b(app|router)\.(get|post|put|patch|delete)\(|process\.stdin|\bsocket\b"
)


def _js_command_line_script(repo: RepoView, path: str) -> bool:
    """A script an operator runs from a shell (bin/, scripts/, tools/, a `#!` line, a
    package.json `bin`, a package.json script that runs it by name) that reads nothing
    from the network: what it interpolates is the operator's own command line or the
    repository's own files."""
    text = repo.text(path)
    declared = any(
        re.search(rf'"bin"\s*:\s*(\{{[^}}]*)?"(\./)?{re.escape(path)}"', repo.text(p))
        for p in repo.named("package.json")
    )
    script = bool(_SCRIPT_DIR.search(path)) or text.startswith("#!") or declared
    script = script or bool(maintainer_script(repo, path))
    return script and not _JS_NETWORK.search(text)


def _js_shell_sites(repo: RepoView, syntax: SyntaxTrees) -> list[Site]:
    """child_process exec/execSync with an interpolated command, directly or via a wrapper."""
    files = [
        f.path
        for f in repo.code_files("javascript", "typescript")
        if re.search(r"child_process|shelljs", repo.text(f.path))
    ]
    found: list[Site] = []
    wrappers: dict[str, tuple[str, int]] = {}
    for path in files:
        for name in _JS_SHELL:
            for m in syntax.find(f"{name}($C $$$)", files=[path]):
                command = m.node.get_match("C")
                if command is None:
                    continue
                if _js_interpolated(command) and _js_command_line_script(repo, path):
                    found.append(Site(m.hit(repo), OPERATOR, _JS_OPERATOR))
                elif _js_interpolated(command):
                    found.append(Site(m.hit(repo), BAD, "interpolates variable input"))
                elif command.kind() == "identifier":
                    function = _js_enclosing_function(m.node)
                    if function is not None and command.text() in _js_params(function):
                        wrappers[_js_function_name(function)] = (m.path, m.line)
        for name in list(wrappers):
            if not name:
                continue
            for m in syntax.find(f"{name}($C $$$)", files=[path]):
                command = m.node.get_match("C")
                if command is not None and _js_interpolated(command):
                    operator = _js_command_line_script(repo, path)
                    found.append(
                        Site(
                            m.hit(repo),
                            OPERATOR if operator else BAD,
                            f"interpolates {_JS_OPERATOR_INPUT if operator else 'variable input'}"
                            f" into {name}(), which runs it through a shell "
                            f"({wrappers[name][0]}:{wrappers[name][1]})",
                        )
                    )
    return found


def _js_enclosing_function(node: object) -> object | None:
    current = node.parent()  # type: ignore[attr-defined]
    while current is not None:
        if current.kind() in (
            "function_declaration",
            "function_expression",
            "arrow_function",
            "method_definition",
        ):
            return current
        current = current.parent()
    return None


def _js_params(function: object) -> set[str]:
    params = function.field("parameters")  # type: ignore[attr-defined]
    if params is None:
        single = function.field("parameter")  # type: ignore[attr-defined]
        return {single.text()} if single is not None else set()
    return {p.text() for p in params.named_children() if p.kind() == "identifier"}


def _js_function_name(function: object) -> str:
    name = function.field("name")  # type: ignore[attr-defined]
    if name is not None:
        return str(name.text())
    parent = function.parent()  # type: ignore[attr-defined]
    if parent is not None and parent.kind() == "variable_declarator":
        ident = parent.field("name")
        return str(ident.text()) if ident is not None else ""
    return ""


def _go_shell_sites(repo: RepoView, syntax: SyntaxTrees) -> list[Site]:
    files = [f.path for f in repo.code_files("go")]
    found: list[Site] = []
    for pattern in ('exec.Command($SH, "-c", $C)', 'exec.CommandContext($X, $SH, "-c", $C)'):
        for m in syntax.find(pattern, files=files) if files else []:
            if m.var("SH").strip('"`').rsplit("/", 1)[-1] not in ("sh", "bash", "zsh", "dash"):
                continue
            command = m.node.get_match("C")
            kind = command.kind() if command is not None else ""
            text = command.text() if command is not None else ""
            if kind in _GO_STRING:
                found.append(Site(m.hit(repo), SAFE, "a fixed command"))
            elif "Sprintf" in text or kind == "binary_expression":
                found.append(Site(m.hit(repo), BAD, "interpolates variable input"))
            else:
                found.append(Site(m.hit(repo), UNSURE, describe_sources(frozenset({UNKNOWN}))))
    return found


def _other_shell_sites(repo: RepoView, syntax: SyntaxTrees) -> list[Site]:
    """Java's Runtime.exec and Rust's Command::new("sh").arg("-c")."""
    found: list[Site] = []
    java = [f.path for f in repo.code_files("java")]
    for m in syntax.find("Runtime.getRuntime().exec($C)", files=java) if java else []:
        command = m.node.get_match("C")
        kind = command.kind() if command is not None else ""
        if kind == "string_literal":
            continue
        verdict = BAD if kind == "binary_expression" else UNSURE
        found.append(Site(m.hit(repo), verdict, "a command string built at run time"))
    rust = [f.path for f in repo.code_files("rust")]
    for m in syntax.find("Command::new($SH)", files=rust) if rust else []:
        if m.var("SH").strip('"') not in ("sh", "bash", "/bin/sh", "/bin/bash", "cmd"):
            continue
        chain = m.node
        while chain.parent() is not None and chain.parent().kind() in (
            "field_expression",
            "call_expression",
        ):
            chain = chain.parent()
        text = chain.text()
        if not re.search(r'\.args?\(\s*\[?\s*"(-c|/C)"', text):
            continue
        if "format!" in text:
            found.append(Site(m.hit(repo), BAD, "interpolates variable input"))
        elif re.search(r'"(-c|/C)"\s*\)\s*\.arg\(\s*"', text):
            found.append(Site(m.hit(repo), SAFE, "a fixed command"))
        else:
            found.append(Site(m.hit(repo), UNSURE, describe_sources(frozenset({UNKNOWN}))))
    # The execute crate's shell(cmd) runs cmd with `sh -c` (`cmd /c` on Windows): bat's
    # $LESSOPEN preprocessor.
    for path in rust:
        if not re.search(r"\buse\s+execute::[^;]*\bshell\b", repo.text(path)):
            continue
        for number, line in enumerate(repo.lines(path), 1):
            if re.search(r"(^|[^\w.:])shell\(", line) and not re.match(r"\s*(//|use\b)", line):
                hit = Hit(path, number, repo.shown(path, number).strip())
                found.append(Site(hit, UNSURE, "a command line the execute crate runs with sh -c"))
    return found


# A variable named `yaml` holding a ruamel.yaml loader (jrnl's config.py): its load() builds
# plain data unless the loader was made with typ="unsafe".
_RUAMEL_INSTANCE = re.compile(r"(?m)^\s*yaml\s*=\s*(?:ruamel\.yaml\.)?YAML\((?![^)]*unsafe)")


class UnsafeDeserialisation(_MixedHazard):
    """Untrusted data may be deserialised with pickle, unsafe YAML or Java serialisation."""

    id = "SEC004"
    category = Category.security
    severity = Severity.high
    title = "Unsafe deserialisation"
    rationale = "pickle, yaml.load and ObjectInputStream execute code embedded in the data."
    remediation = "Use JSON or yaml.safe_load; never unpickle data from outside the process."
    # java.beans.XMLDecoder (always `new XMLDecoder(`); a Go `NewXMLDecoder(` is a parser.
    pattern = r"new ObjectInputStream\(|\bnew XMLDecoder\(|\bunserialize\(|serde_pickle"
    what = "unsafe deserialisation call"
    # Code cells of notebooks that ship with the product (research code lives there).
    notebook_pattern = re.compile(
        r"\b(pickle|cPickle|dill|joblib)\.loads?\(|\btorch\.load\((?![^\n]*weights_only\s*=\s*True)"
    )
    manifests: Manifests

    def check(  # type: ignore[override]
        self,
        repo: RepoView,
        text: TextSearch,
        imports: Imports,
        python: PythonCode,
        knowledge: Knowledge,
        profile: ProfileView,
        manifests: Manifests,
    ) -> CheckResult:
        self.manifests = manifests
        result = super().check(repo, text, imports, python, knowledge, profile)
        if result.outcome is not Outcome.failed:
            return result
        shown = {(h.path, h.line) for h in self.hits()}
        sites = [c for c in self.python_sites() if (c.path, c.line) in shown]
        tracer = tracer_for(repo, python)
        own = (
            bool(sites)
            and len(sites) == len(shown)
            and all(
                c.node.args and tracer.sources(c.path, c.node.args[0]) <= {CONST, OWN}
                for c in sites
            )
        )
        if not own:
            return result
        # librephotos: torch.load and pickle.load of the model files it downloads to paths
        # it builds from its own settings (im2txt/sample.py). Its panel reader: at most low.
        return result.model_copy(
            update={
                "severity": Severity.low,
                "severity_note": "Lowered: every call reads a file the program names itself "
                "(its own paths and settings, no request data): only whoever can replace "
                "those files, model downloads included, could run code through them.",
            }
        )

    def hits(self) -> list[Hit]:
        found = super().hits()
        for f in self.repo.files:
            if not (f.path.endswith(".ipynb") and self.repo.in_scope(f.path) and _is_product(f)):
                continue
            for number in _notebook_code_lines(self.repo, f.path, self.notebook_pattern):
                line = self.repo.line(f.path, number)
                if "torch.load" not in line or not self.torch_safe_by_default():
                    found.append(Hit(f.path, number, self.repo.shown(f.path, number).strip()))
        return found

    def _weights_only_kwargs(self, call: PyCall) -> bool:
        """``torch.load(fp, **kwargs)`` just after ``kwargs = {"weights_only": True}``: the
        version-guarded form (whisper's) passes the flag through a dict."""
        if not call.has_kwargs():
            return False
        before = range(max(1, call.line - 8), call.line)
        return any(
            re.search(r"['\"]weights_only['\"]\s*:\s*True", self.repo.line(call.path, n))
            for n in before
        )

    def torch_safe_by_default(self) -> bool:
        """torch.load defaults to weights_only=True from torch 2.6: is an older one allowed?"""
        specs = [r.spec for r in self.manifests.python_requirements() if r.name.lower() == "torch"]
        if not specs:
            return False
        for spec in specs:
            low = re.search(r">=?\s*(\d+)\.(\d+)", spec)
            if low is None or (int(low.group(1)), int(low.group(2))) < (2, 6):
                return False
        return True

    def old_pyyaml(self) -> bool:
        """Whether a requirement holds PyYAML below 5.4, whose FullLoader still built arbitrary
        Python objects (CVE-2020-14343); from 5.4 on FullLoader refuses them."""
        for r in self.manifests.python_requirements():
            if r.name.lower() != "pyyaml":
                continue
            top = re.search(r"(==|<=|<|~=)\s*(\d+)\.(\d+)", r.spec)
            if top is not None and (int(top.group(2)), int(top.group(3))) < (5, 4):
                return True
        return False

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
            "joblib.load",
        )
        for call in self.python.calls_named("yaml.load", "yaml.load_all"):
            if _RUAMEL_INSTANCE.search(self.repo.text(call.path)):
                continue  # `yaml = YAML(typ="safe")`: ruamel's safe or round-trip loader
            loader = call.keyword("Loader") or (
                call.node.args[1] if len(call.node.args) > 1 else None
            )
            name = ast.unparse(loader) if loader is not None else ""
            if "Safe" in name or ("FullLoader" in name and not self.old_pyyaml()):
                continue
            out.append(call)
        if self.old_pyyaml():
            out += self.python.calls_named("yaml.full_load", "yaml.full_load_all")
        for call in self.python.calls_named("numpy.load"):
            if is_true(call.keyword("allow_pickle")):
                out.append(call)
        if not self.torch_safe_by_default():
            # Before torch 2.6, torch.load unpickles anything unless weights_only=True.
            out += [
                c
                for c in self.python.calls_named("torch.load")
                if not is_true(c.keyword("weights_only")) and not self._weights_only_kwargs(c)
            ]
        # Bytes a module pickles itself and unpickles again (an exception carried through a
        # multiprocessing queue): its own values, not data from outside. A file is not that.
        own = {c.path for c in self.python.calls_named("pickle.dumps")}
        out = [c for c in out if not (c.name == "pickle.loads" and c.path in own)]
        # A shelf the module also creates (shelve.open(db, flag='n')) is its own state file.
        shelves = {
            c.path
            for c in self.python.calls_named("shelve.open")
            if re.search(r"flag\s*=\s*['\"][nc]", ast.unparse(c.node))
        }
        out = [c for c in out if not (c.name == "shelve.open" and c.path in shelves)]
        return sorted(out, key=lambda c: (c.path, c.line))


def _notebook_code_lines(repo: RepoView, path: str, pattern: re.Pattern[str]) -> list[int]:
    """Lines of a notebook file whose code cells (not markdown, not outputs) match."""
    try:
        cells = json.loads(repo.text(path)).get("cells", [])
    except (ValueError, AttributeError):
        return []
    wanted: list[str] = []
    for cell in cells if isinstance(cells, list) else []:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", [])
        lines = source.splitlines() if isinstance(source, str) else source
        wanted += [
            str(line)
            for line in lines
            if pattern.search(str(line)) and not str(line).lstrip().startswith("#")
        ]
    numbers: list[int] = []
    raw = repo.lines(path)
    for line in wanted:
        encoded = json.dumps(line.rstrip("\n"))[1:-1]
        start = numbers[-1] if numbers else 0
        number = next((i + 1 for i in range(start, len(raw)) if encoded in raw[i]), None)
        if number is not None:
            numbers.append(number)
    return numbers


@dataclass(frozen=True)
class TlsSite:
    """A place that switches TLS verification off, and whether only an option does."""

    hit: Hit
    opt_in: bool
    how: str


def tls_sites(repo: RepoView, python: PythonCode, syntax: SyntaxTrees) -> list[TlsSite]:
    """Every product site that disables verification, judged always-on or opt-in."""

    def compute() -> list[TlsSite]:
        found = _python_tls(repo, python)
        found += _tree_tls(repo, syntax)
        found += [
            TlsSite(h, False, "trusts every certificate")
            for h in TextSearch(repo, python).grep(
                r"NoopHostnameVerifier|TrustAllCerts|trustAllCerts|ALLOW_ALL_HOSTNAME_VERIFIER",
                ("java",),
                code_only=True,
            )
        ]
        return sorted(found, key=lambda s: (s.hit.path, s.hit.line))

    return repo.memo("security:tls-sites", compute)


def _py_conditional(python: PythonCode, path: str, node: ast.AST) -> bool:
    """Inside an if (or a conditional expression) of its function: something must be set."""
    parents = python.parents(path)
    current = parents.get(id(node))
    while current is not None and not isinstance(current, (*_FUNCTIONS, ast.Module)):
        if isinstance(current, ast.If | ast.IfExp):
            return True
        current = parents.get(id(current))
    return False


def _python_tls(repo: RepoView, python: PythonCode) -> list[TlsSite]:
    found: list[TlsSite] = []
    for call in python.calls():
        # requests/httpx's verify=False; Tornado's HTTPRequest(validate_cert=False).
        flag = next((k for k in ("verify", "validate_cert") if is_false(call.keyword(k))), None)
        if flag or call.name == "ssl._create_unverified_context":
            hit = _py_hit(repo, call.path, call.line)
            how = f"{flag}=False" if flag else "an unverified SSL context"
            found.append(TlsSite(hit, _py_conditional(python, call.path, call.node), how))
    for f in repo.code_files("python"):
        if python.tree(f.path) is None:
            continue
        aliases = python.aliases(f.path)
        for node in python.nodes(f.path, ast.Assign, ast.keyword):
            value = node.value
            names = (
                [_target_name(t) for t in node.targets]
                if isinstance(node, ast.Assign)
                else [node.arg or ""]
            )
            shown = dotted(value, aliases) if isinstance(value, ast.Attribute) else ""
            text = value.value if isinstance(value, ast.Constant) else shown
            off = (
                text in ("CERT_NONE", "ssl.CERT_NONE")
                and any(n in ("cert_reqs", "verify_mode") for n in names)
            ) or ("check_hostname" in names and is_false(value))
            if off:
                line = getattr(node, "lineno", None) or value.lineno
                found.append(
                    TlsSite(
                        _py_hit(repo, f.path, line),
                        _py_conditional(python, f.path, node),
                        "certificate checks set to CERT_NONE"
                        if "check_hostname" not in names
                        else "hostname checks off",
                    )
                )
    return found


# A Rust `match` arm (xh: `Verify::No => client.danger_accept_invalid_certs(true)`, the
# user's --verify=no) and a Go/JS/Java switch case are conditions too.
_TREE_CONDITIONS = frozenset(
    {
        "if_statement",
        "if_expression",
        "ternary_expression",
        "conditional_expression",
        "match_arm",
        "expression_case",
        "switch_case",
        "switch_block_statement_group",
    }
)
# Where the search for a guarding condition stops: a named function or the file. A closure
# is part of the code around it (memos hands `func(tr *http.Transport) {...}` to an AWS
# client builder inside `if s3Config.InsecureSkipTlsVerify {`).
_TREE_FUNCTIONS = frozenset(
    {
        "function_declaration",
        "method_declaration",
        "function_item",
        "method_definition",
        "source_file",
        "program",
    }
)


def _inspects_certificate(node: Any) -> bool:
    """A Go function that only shakes hands to read the certificate it is sent (podinfo's
    `podcli check cert`: InsecureSkipVerify, Handshake, then PeerCertificates[0].NotAfter):
    it must accept any certificate to report an expired or self-signed one, and sends no
    data over the connection, so nothing it trusts can be forged."""
    current = node.parent()
    while current is not None and current.kind() not in _TREE_FUNCTIONS:
        current = current.parent()
    if current is None or current.kind() == "source_file":
        return False
    body = current.text()
    return "PeerCertificates" in body and not re.search(
        r"\.Write(Message|String)?\(|http\.|\.Do\(|\.Get\(|\.Post\(", body
    )


def _tree_conditional(node: object) -> bool:
    current = node.parent()  # type: ignore[attr-defined]
    while current is not None and current.kind() not in _TREE_FUNCTIONS:
        if current.kind() in _TREE_CONDITIONS:
            return True
        current = current.parent()
    return False


def _grpc_upgraded(repo: RepoView, hit: Hit) -> bool:
    """An insecure gRPC option kept in a variable that a later line replaces with TLS
    credentials (statping-ng: `grpcOption := grpc.WithInsecure()`, then `if
    s.VerifySSL.Bool { grpcOption = grpc.WithTransportCredentials(h2creds) }`): plain text is
    the default of an option, not the only way."""
    held = re.match(r"\s*(\w+)\s*:?=\s*grpc\.", repo.line(hit.path, hit.line))
    if held is None:
        return False
    after = "\n".join(repo.lines(hit.path)[hit.line : hit.line + 15])
    return bool(re.search(rf"\b{held.group(1)}\s*=\s*grpc\.WithTransportCredentials\(", after))


def _tree_tls(repo: RepoView, syntax: SyntaxTrees) -> list[TlsSite]:
    found: list[TlsSite] = []
    go = [f.path for f in repo.code_files("go")]
    for m in syntax.find(kind="keyed_element", files=go) if go else []:
        key, _, value = m.text.partition(":")
        if key.strip() != "InsecureSkipVerify":
            continue
        value = value.strip()
        if value == "false" or _inspects_certificate(m.node):
            continue
        opt_in = value != "true" or _tree_conditional(m.node)
        found.append(TlsSite(m.hit(repo), opt_in, "InsecureSkipVerify"))
    for pattern in ("grpc.WithInsecure()", "insecure.NewCredentials()"):
        for m in syntax.find(pattern, files=go) if go else []:
            opt_in = _tree_conditional(m.node) or _grpc_upgraded(repo, m.hit(repo))
            found.append(TlsSite(m.hit(repo), opt_in, "gRPC without TLS"))
    js = [f.path for f in repo.code_files("javascript", "typescript")]
    for m in syntax.find(kind="pair", files=js) if js else []:
        key, value = m.node.field("key"), m.node.field("value")
        if key is None or value is None:
            continue
        if key.text().strip("'\"") not in ("rejectUnauthorized", "strictSSL"):
            continue
        if value.text() == "true":
            continue
        opt_in = value.text() != "false" or _tree_conditional(m.node)
        found.append(TlsSite(m.hit(repo), opt_in, f"{key.text().strip(chr(39) + chr(34))}: false"))
    for m in syntax.find(kind="assignment_expression", files=js) if js else []:
        left, _, right = m.text.partition("=")
        if "NODE_TLS_REJECT_UNAUTHORIZED" in left:
            found.append(
                TlsSite(m.hit(repo), _tree_conditional(m.node), "NODE_TLS_REJECT_UNAUTHORIZED")
            )
        elif re.search(r"\.(rejectUnauthorized|strictSSL)\s*$", left) and right.strip() == "false":
            # hackathon-starter retries mail with `transportConfig.tls.rejectUnauthorized =
            # false` after a self-signed certificate error.
            how = f"{left.strip().rsplit('.', 1)[-1]} = false"
            found.append(TlsSite(m.hit(repo), _tree_conditional(m.node), how))
    rust = [f.path for f in repo.code_files("rust")]
    for name in ("danger_accept_invalid_certs", "danger_accept_invalid_hostnames"):
        for m in syntax.find(f"$R.{name}($V)", files=rust) if rust else []:
            value = m.var("V")
            if value == "false":
                continue
            opt_in = value != "true" or _tree_conditional(m.node)
            found.append(TlsSite(m.hit(repo), opt_in, name))
    return found


_HEALTH_PROBE = (
    "Not counted as a gap: only the program a Dockerfile's HEALTHCHECK runs switches "
    "verification off, to reach the container's own server (which may serve a self-signed "
    "certificate); no traffic of its users passes through it."
)


class TlsVerificationDisabled(Probe):
    """TLS certificate verification is switched off unconditionally."""

    id = "SEC005"
    category = Category.security
    severity = Severity.high
    title = "TLS certificate verification disabled"
    rationale = "Without verification any network attacker can read and alter the traffic."
    remediation = "Keep verification on; trust a private CA bundle instead of disabling checks."
    applies = "outbound"

    def check(self, repo: RepoView, python: PythonCode, syntax: SyntaxTrees) -> CheckResult:
        files = repo.code_files(*CODE)
        if not files:
            return self.not_applicable("No product code in scope, so nothing to check.")
        sites = tls_sites(repo, python, syntax)
        always = [s for s in sites if not s.opt_in]
        if always:
            where = ", ".join(f"{s.hit.where} ({s.how})" for s in always[:3])
            # uptime-kuma's extra/healthcheck.go, which the image's HEALTHCHECK runs against
            # its own server (localhost, maybe on a self-signed certificate).
            health = all(healthcheck_program(repo, s.hit.path) for s in always)
            return self.failed(
                [s.hit.evidence(repo) for s in always[:5]],
                f"{plural(len(always), 'place')} in product code switch TLS verification off "
                f"with no option to keep it on: {where}{', ...' if len(always) > 3 else ''}.",
                advisory=_HEALTH_PROBE if health else "",
            )
        optional = [s for s in sites if s.opt_in]
        if optional:
            where = ", ".join(s.hit.where for s in optional[:3])
            return self.passed(
                [s.hit.evidence(repo) for s in optional[:3]],
                f"Verification stays on unless a condition turns it off (an option the caller or "
                f"operator sets, or a case the code tests: {where}); "
                "see SEC026.",
            )
        return self.passed(
            [], f"Nothing disables TLS verification in {plural(len(files), 'product code file')}."
        )


class TlsVerificationOptOut(Probe):
    """An option lets the caller or operator switch TLS verification off."""

    id = "SEC026"
    category = Category.security
    severity = Severity.low
    title = "TLS verification can be switched off by an option"
    rationale = (
        "Verification is on by default, but a flag, parameter or environment variable turns "
        "it off; set by mistake in production, it removes the protection silently."
    )
    remediation = "Prefer trusting a private CA bundle; warn loudly whenever the option is used."
    applies = "outbound"
    requires = frozenset({"SEC005"})

    def check(self, repo: RepoView, python: PythonCode, syntax: SyntaxTrees) -> CheckResult:
        files = repo.code_files(*CODE)
        optional = [s for s in tls_sites(repo, python, syntax) if s.opt_in]
        if optional:
            where = ", ".join(f"{s.hit.where} ({s.how})" for s in optional[:3])
            return self.failed(
                [s.hit.evidence(repo) for s in optional[:5]],
                "TLS verification is switched off only under a condition (an option, or a case "
                f"the code tests): {where}"
                f"{', ...' if len(optional) > 3 else ''}.",
            )
        return self.passed(
            [], f"No option switches TLS verification off in {plural(len(files), 'product file')}."
        )


# A name quoted as an SQL identifier: table and column names cannot be bound as parameters,
# and quoting them is the safe way to put them into the text (sqlite-utils' quote_identifier).
_QUOTES_IDENTIFIER = re.compile(r"(?i)(quote|escape)_?(id|ident(ifier)?|name|column|table)s?$")


def _quoted_identifier(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and bool(
        _QUOTES_IDENTIFIER.search(ast.unparse(node.func).rsplit(".", 1)[-1])
    )


def _formatted(node: ast.expr) -> bool:
    if isinstance(node, ast.JoinedStr):
        return any(
            isinstance(v, ast.FormattedValue)
            and not _code_constant(v.value)
            and not _quoted_identifier(v.value)
            for v in node.values
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        return True
    return isinstance(node, ast.Call) and ast.unparse(node.func).endswith(".format")


def _fixed_by_code(repo: RepoView, python: PythonCode, call: PyCall) -> bool:
    """Every value formatted into the query is fixed by the program: a literal, a constant,
    a loop over a tuple of table names, a quoted identifier, traced through assignments
    (datasette's `"select distinct database_name from {}".format(table)` for each of its
    own catalog tables). Unknown origins stay a finding."""
    values = _formatted_values(call.node.args[0])
    tracer = tracer_for(repo, python)
    return bool(values) and all(
        _quoted_identifier(v)
        or _escapes_quotes(python, v)
        or _model_metadata(v)
        or tracer.sources(call.path, v) <= {CONST, OWN}
        for v in values
    )


def _model_metadata(value: ast.expr) -> bool:
    """A Django model's own metadata (`self.model._meta.db_table`): the table name its
    class declares, which no request sets (wger's ApproximateCountQuerySet)."""
    return (
        isinstance(value, ast.Attribute)
        and value.attr in ("db_table", "model_name", "app_label", "pk_name")
        and isinstance(value.value, ast.Attribute)
        and value.value.attr == "_meta"
    )


def _formatted_values(query: ast.expr) -> list[ast.expr]:
    """The values formatted into a query string: f-string fields, .format() arguments, the
    right side of %, the non-literal parts of a concatenation."""
    if isinstance(query, ast.JoinedStr):
        return [v.value for v in query.values if isinstance(v, ast.FormattedValue)]
    if isinstance(query, ast.Call) and isinstance(query.func, ast.Attribute):
        return [*query.args, *(k.value for k in query.keywords)]
    if isinstance(query, ast.BinOp) and isinstance(query.op, ast.Mod):
        right = query.right
        return list(right.elts) if isinstance(right, ast.Tuple) else [right]
    if isinstance(query, ast.BinOp):
        return [n for n in _flatten_add(query) if not _is_str_constant(n)]
    return []


def _value_position(query: ast.expr) -> bool:
    """Whether something is formatted where SQL takes a value: inside quotes, or after a
    comparison, LIKE, IN ( or VALUES ( (`WHERE name = '{name}'`): the classic injection,
    whatever the value's origin. Table names and clause fragments are not values."""
    if isinstance(query, ast.JoinedStr):
        template = "".join(
            "{}" if isinstance(v, ast.FormattedValue) else str(getattr(v, "value", ""))
            for v in query.values
        )
    elif isinstance(query, ast.Call) and _is_str_constant(
        query.func.value if isinstance(query.func, ast.Attribute) else query.func
    ):
        template = str(query.func.value.value)  # type: ignore[attr-defined]
        template = re.sub(r"\{[^{}]*\}", "{}", template)
    elif (
        isinstance(query, ast.BinOp)
        and isinstance(query.op, ast.Mod)
        and _is_str_constant(query.left)
    ):
        template = re.sub(r"%[sdr]", "{}", str(query.left.value))  # type: ignore[attr-defined]
    elif isinstance(query, ast.BinOp):
        template = "".join(
            str(n.value) if isinstance(n, ast.Constant) else "{}" for n in _flatten_add(query)
        )
    else:
        return True
    return bool(_SQL_VALUE_SLOT.search(template))


_SQL_VALUE_SLOT = re.compile(
    r"""['"]\{\}|(=|<>|<|>|\blike|\bin\s*\(|\bvalues\s*\()\s*\{\}""", re.IGNORECASE
)


def _escapes_quotes(python: PythonCode, node: ast.expr) -> bool:
    """A call of the program's own function that doubles the quote character before
    wrapping its argument in quotes (datasette's escape_sqlite: `'"{}"'.format(s.replace('"',
    '""'))`): an identifier made safe to format in."""
    if not isinstance(node, ast.Call):
        return False
    name = ast.unparse(node.func).rsplit(".", 1)[-1]

    def quoting() -> bool:
        for f in python.repo.code_files("python"):
            for d in python.nodes(f.path, ast.FunctionDef):
                if d.name == name and _DOUBLES_QUOTES.search(ast.unparse(d)):
                    return True
        return False

    return bool(python.repo.memo(f"escapes-quotes:{name}", quoting))


_DOUBLES_QUOTES = re.compile(r"""\.replace\(\s*('"'|"'"|'`'|"`"|'\\''),\s*('""'|"''"|'``'|"``")""")


# Calls that make a fresh random name: what they return no caller chose.
_RANDOM_NAME = frozenset(
    {"secrets.token_hex", "secrets.token_urlsafe", "uuid.uuid4", "uuid4", "token_hex"}
)


def _random_value(node: ast.expr) -> bool:
    """``f"sp_{secrets.token_hex(16)}"``, ``uuid.uuid4().hex``: only literals, constants and
    random-name calls."""
    calls = [n for n in ast.walk(node) if isinstance(n, ast.Call)]
    if not any(ast.unparse(c.func) in _RANDOM_NAME for c in calls):
        return False
    modules = {"secrets", "uuid"}
    return all(
        n.id in modules or n.id.isupper() or n.id in _RANDOM_NAME
        for n in ast.walk(node)
        if isinstance(n, ast.Name)
    )


def _generated_names_only(python: PythonCode, call: PyCall) -> bool:
    """``conn.execute(f"SAVEPOINT {savepoint};")`` where ``savepoint`` was made from
    ``secrets.token_hex`` in the same function: the only value formatted in is a random name
    the code made itself (sqlite-utils' nested transactions)."""
    query = call.node.args[0]
    if not isinstance(query, ast.JoinedStr):
        return False
    values = [
        v.value
        for v in query.values
        if isinstance(v, ast.FormattedValue) and not _code_constant(v.value)
    ]
    parents = python.parents(call.path)
    scope: ast.AST | None = parents.get(id(call.node))
    while scope is not None and not isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef):
        scope = parents.get(id(scope))
    if scope is None:
        return False

    def generated(value: ast.expr) -> bool:
        if _random_value(value):
            return True
        if not isinstance(value, ast.Name):
            return False
        assigned = [
            n.value
            for n in ast.walk(scope)
            if isinstance(n, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == value.id for t in n.targets)
        ]
        return bool(assigned) and all(_random_value(a) for a in assigned)

    return bool(values) and all(generated(v) for v in values)


def _code_constant(node: ast.expr) -> bool:
    """A value the code fixes, not one a request brings: a module constant (``TABLE``), a
    class's own setting (``cls._threshold``), a literal."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Name):
        return node.id.isupper()
    if isinstance(node, ast.Attribute):
        base = node.value
        return node.attr.isupper() or (isinstance(base, ast.Name) and base.id == "cls")
    return False


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

    def _python_sql(self) -> list[PyCall]:
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
            if c.node.args
            and _formatted(c.node.args[0])
            and not _generated_names_only(self.python, c)
            and not _fixed_by_code(self.repo, self.python, c)
        ]

    def hits(self) -> list[Hit]:
        # Read once per repository: check() asks again whether every hit is an entity key.
        return self.repo.memo("sql-from-strings", self._hits)

    def _hits(self) -> list[Hit]:
        # `fmt.Sprintf("PRAGMA page_size = %d", n)`: a number formatted in cannot inject;
        # `update("UPDATE t SET a=:a, " + "b=:b WHERE id=:id", params)`: a long literal split
        # over two lines, bound by named parameters, has nothing formatted in.
        # A migration runs once, by the operator, over the schema's own names (kutt's knex
        # migration formats `IF NOT EXISTS` in for the engines that know it).
        return [
            h
            for h in super().hits()
            if not _NUMBERS_ONLY.search(h.text)
            and _concatenation(self.repo, h) != "literal"
            and _sql_text(self.repo, h)
            and not _MIGRATION_PATH.search(h.path)
            and not _in_migration_function(self.repo, h)
            # Code in the browser holds no database connection: what it builds is text the
            # server receives and decides about (pgweb's console UI composes "TRUNCATE TABLE "
            # + table for an API whose purpose is to run its user's SQL).
            and not self.repo.in_browser(h.path)
        ]

    def check(  # type: ignore[override]
        self,
        repo: RepoView,
        text: TextSearch,
        imports: Imports,
        python: PythonCode,
        knowledge: Knowledge,
        profile: ProfileView,
    ) -> CheckResult:
        result = super().check(repo, text, imports, python, knowledge, profile)
        if result.outcome is not Outcome.failed:
            return result
        shown = {(h.path, h.line) for h in self.hits()}
        sites = [c for c in self.python_sites() if (c.path, c.line) in shown]
        if len(sites) == len(shown) and not any(_value_position(c.node.args[0]) for c in sites):
            tracer = tracer_for(repo, python)
            origins: frozenset[str] = frozenset()
            for c in sites:
                for v in _formatted_values(c.node.args[0]):
                    origins |= tracer.sources(c.path, v)
            if OUTSIDE not in origins:
                # Python only, and no value traced to a request: what reaches the query is
                # not known here, so the gap would be a guess (datasette's internal tables).
                return self.cannot_determine(
                    f"{plural(len(sites), 'query')} format in values whose origin could not "
                    f"be traced ({', '.join(f'{c.path}:{c.line}' for c in sites[:3])}"
                    f"{', ...' if len(sites) > 3 else ''}); none was traced to request data. "
                    "A reviewer should check what reaches them; values the program fixes "
                    "(its own table names, numbers, quoted identifiers) were set aside.",
                    looked_at=[
                        "Python queries built by f-strings, .format, % and +, and "
                        "where each formatted value comes from"
                    ],
                    evidence=[repo.evidence(c.path, c.line) for c in sites[:5]],
                )
        hits = self.hits()
        if all(h.path.endswith(".rs") for h in hits) and not any(
            _REQUEST_TEXT.search(_call_text(repo, h)) for h in hits
        ):
            # Rust: format! fills the query from names this probe cannot follow (lemmy's
            # scheduled task formats its own column prefix and temp-table name, passed in as
            # constants by its callers). Without a trace to request data the gap is a guess.
            where = ", ".join(h.where for h in hits[:3])
            return self.cannot_determine(
                f"{plural(len(hits), 'query')} built with format! ({where}"
                f"{', ...' if len(hits) > 3 else ''}); where the formatted values come from "
                "is not traced in Rust. A reviewer should check that no request data reaches "
                "them (table and column names the program fixes are safe).",
                looked_at=['Rust format!("SELECT|INSERT|UPDATE|DELETE ...") query texts'],
                evidence=[h.evidence(repo) for h in hits[:5]],
            )
        if not all(_concatenation(repo, h) == "entity" for h in hits):
            return result
        # The fact stands (values are formatted into the query text); the hazard does not.
        return result.model_copy(
            update={
                "advisory": "Every value formatted in is a key read from an entity the code "
                "already loaded (`pet.getId()`), not request input: nothing a caller sends "
                "reaches the query text. Bound parameters would still be the cleaner form."
            }
        )

    def python_sites(self) -> list[PyCall]:
        # A migration runs once, by the operator, over the schema's own names: no request
        # reaches the table or column names it formats into its DDL.
        return [c for c in self._python_sql() if not _MIGRATION_PATH.search(c.path)]


_MIGRATION_PATH = re.compile(r"(^|/)(alembic/versions|migrations?|db/migrate)/")
_FUNCTION_HEAD = re.compile(
    r"^\s*(?:func\s+(?:\([^)]*\)\s*)?|(?:async\s+)?def\s+|function\s+)(\w+)"
)


def _in_migration_function(repo: RepoView, hit: Hit) -> bool:
    """The SQL is built inside a function named for migrations (listmonk's
    ``recordMigrationVersion`` formats the program's own version string into the settings
    row): what it formats in is the schema's own history, not a caller's input."""
    lines = repo.lines(hit.path)
    for number in range(min(hit.line, len(lines)), 0, -1):
        head = _FUNCTION_HEAD.match(lines[number - 1])
        if head:
            return re.search(r"(?i)migrat", head.group(1)) is not None
    return False


_STRING_LITERAL = re.compile(r'"(?:\\.|[^"\\\n])*"')
# An entity's key read from the entity (`pet.getId()`): a stored key, not request input.
_ENTITY_KEY = re.compile(r"^(\w+\.)+getId\(\)(\.(toString|intValue)\(\))?$")


# A call that quotes an identifier, as the text of an operand: `SqlString.escapeId(n, true)`.
_QUOTED_CALL = re.compile(r"(?i)^([\w.]+\.)?(quote|escape)_?(id|ident(ifier)?)\(")

_SQL_WORDS = re.compile(
    r"(?i)\b(select|insert|update|delete|create|drop|alter|with|from|where|set|values|"
    r"savepoint|pragma|merge|replace|truncate|grant|begin|commit|rollback|join|order\s+by)\b"
)


def _call_text(repo: RepoView, hit: Hit) -> str:
    """The hit's line and the five after it, joined: a call's arguments often wrap."""
    return " ".join(repo.lines(hit.path)[hit.line - 1 : hit.line + 5])


def _sql_text(repo: RepoView, hit: Hit) -> bool:
    """The text the call builds reads as SQL, or cannot be read: a REST client's
    ``ApiService.query("articles" + ...)`` builds a URL path, not a query."""
    joined = _call_text(repo, hit)
    start = re.search(r"\(\s*(ctx,\s*)?(fmt\.Sprintf\(\s*)?([\"`])", joined)
    if start is None:
        return True
    quote = start.group(3)
    body = joined[start.end() :]
    end = body.find(quote)
    literal = body[: end if end >= 0 else len(body)]
    if quote == "`":
        # Every static part of the template: `${sql} WHERE ...` reads as SQL after its
        # first value; `${cmd} ${args.join(" ")}` has nothing but spaces to read.
        literal = re.sub(r"\$\{[^}]*\}", " ", literal)
    if not re.sub(r"[\s,;:()'\"]", "", literal):
        # Nothing to read: the receiver decides. thelounge's `irc.raw(...)` sends an IRC
        # line; `knex.raw(...)`, `db.query(...)` run SQL.
        receiver = re.search(r"(\w+)\s*\.\s*\w+\s*\($", joined[: start.start() + 1])
        return receiver is None or not _NOT_A_DATABASE.search(receiver.group(1))
    return bool(_SQL_WORDS.search(literal))


# Receivers of a `raw(`/`query(` call that speak another protocol than SQL.
_NOT_A_DATABASE = re.compile(r"(?i)^(irc|socket|ws|client\w*irc|http|axios|api\w*|fetch\w*)$")


def _concatenation(repo: RepoView, hit: Hit) -> str:
    """What the query argument at ``hit`` (``query("..." + ...``) joins, read up to the
    call's closing parenthesis (at most six lines on): ``literal`` when only string
    literals, ``entity`` when literals and keys read from an entity (``pet.getId()``),
    else ``""``."""
    joined = _call_text(repo, hit)
    start = re.search(r'\(\s*"', joined)
    if start is None:
        return ""
    text = _STRING_LITERAL.sub('""', joined[start.start() + 1 :])
    depth, argument = 0, ""
    for char in text:
        if char in "([{":
            depth += 1
        elif char in ")]}":
            if depth == 0:
                break
            depth -= 1
        elif char == "," and depth == 0:
            break
        argument += char
    else:
        return ""  # the call does not close within reach: cannot tell
    operands = [o.strip() for o in argument.split("+")]
    if len(operands) < 2:
        return ""
    source = "\n".join(repo.lines(hit.path))

    def assigned_from(operand: str, shape: re.Pattern[str]) -> bool:
        """The operand, or the variable it names, is an expression of ``shape``
        (`String petId = pet.getId().toString();` earlier in the file)."""
        if shape.match(operand):
            return True
        assigned = re.search(rf"\b{re.escape(operand)}\s*=\s*([^;\n]+);", source)
        return bool(
            re.fullmatch(r"\w+", operand) and assigned and shape.match(assigned.group(1).strip())
        )

    # An identifier quoted for SQL (`SqlString.escapeId(name, true)`) is text, not a value.
    values = [o for o in operands if o != '""' and not assigned_from(o, _QUOTED_CALL)]
    if not values:
        return "literal"
    return "entity" if all(assigned_from(o, _ENTITY_KEY) for o in values) else ""


# A Go format string whose every verb formats a number (%d, %5.2f, %x...).
_NUMBERS_ONLY = re.compile(
    r"fmt\.Sprintf\(\s*\"(?:[^\"%\\]|\\.|%%)*(?:%[-+# 0]*\d*(?:\.\d+)?[dfxXobeEgG]"
    r"(?:[^\"%\\]|\\.|%%)*)+\""
)


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


# Files that set up a developer's environment (a dev container, a cloud workspace, an IDE).
_DEV_TOOLING = re.compile(r"(^|/)(\.devcontainer|\.gitpod|\.vscode|\.idea)/|(^|/)\.gitpod\.ya?ml$")
_DEV_NOTE = (
    "Lowered: only developer-environment setup (a dev container, a workspace or a "
    "development image) runs it; the product and its build do not."
)


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
        result = super().check(repo, text, imports, python, knowledge, profile)
        if result.outcome is not Outcome.failed:
            return result
        hits = self.hits()
        # ... or the development image beside the one that ships (shlink's dev.Dockerfile,
        # which its docker-compose.yml builds for local work, next to the release Dockerfile).
        dockerfiles = [f.path for f in repo.files if f.language == "dockerfile"]
        development = development_images(dockerfiles)
        if not all(_DEV_TOOLING.search(h.path) or h.path in development for h in hits):
            return result
        # A dev container's, workspace's or development image's setup runs on a developer's
        # machine: no product, shipped image or release is built from it.
        where = ", ".join(h.where for h in hits[:3])
        failed = self.failed(
            [h.evidence(repo) for h in hits[:5]],
            f"{plural(len(hits), self.what)} in developer tooling only ({where}"
            f"{', ...' if len(hits) > 3 else ''}), not in product or build code: setting up "
            "a development environment this way runs unverified code on developers' machines.",
        )
        return failed.model_copy(update={"severity": Severity.low, "severity_note": _DEV_NOTE})

    def hits(self) -> list[Hit]:
        """Shell, Dockerfile and Makefile lines, and the commands CI really runs: a release
        note's body or an issue template that shows `curl | sh` is text, not a step."""
        found = self.text.grep(
            self.pattern, ("dockerfile", "shell", "makefile"), tests=None, code_only=False
        )
        found += [Hit(c.path, c.line, c.text) for c in self.ci.all_runs(self.pattern)]
        # A test's input file (tests/data/Dockerfile counted for its lines) is never run; a
        # benchmark's or an example's script is run by hand, by whoever reads it.
        # A script fetched at a commit (yq's scripts/devtools.sh: raw.githubusercontent.com/
        # golangci/golangci-lint/6008b81b.../install.sh) is the same bytes every time: what
        # runs was reviewable, which is what pinning and checksums are for.
        unique = {
            (h.path, h.line): h
            for h in found
            if not _PINNED_SCRIPT_URL.search(h.text)
            and (
                (f := self.repo.by_path.get(h.path)) is None
                or f.role not in ("fixture", "bench", "example", "docs")
                and not (f.language == "shell" and _shown_not_run(self.repo, h))
            )
        }
        return sorted(unique.values(), key=lambda h: (h.path, h.line))


_PINNED_SCRIPT_URL = re.compile(r"https?://[^\s|'\"]*/[0-9a-f]{40}/[^\s|'\"]+")


def _shown_not_run(repo: RepoView, hit: Hit) -> bool:
    """A shell line that shows a command rather than runs it: text an `echo`/`printf`
    prints, or a here-document (an installer's usage text, memos' scripts/install.sh:
    ``curl -fsSL .../install.sh | sh`` under ``cat <<EOF``)."""
    if re.match(r"\s*(echo|printf)\b", hit.text):
        return True
    lines = repo.lines(hit.path)
    end = ""
    for number, line in enumerate(lines[: hit.line], 1):
        if end:
            if line.strip() == end:
                end = ""
            elif number == hit.line:
                return True
            continue
        opened = re.search(r"<<-?\s*['\"]?(\w+)['\"]?", line)
        if opened:
            end = opened.group(1)
    return False


_ENV_NOTE = "Lowered: the committed file holds only placeholders and local settings, no credential."
_ENV_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*[=:]\s*(.*?)\s*$")


def _live_env_value(repo: RepoView, path: str) -> int | None:
    """The line of the first value in an environment file that may be a real credential:
    a key format the detector knows, or a secret-named variable set to a random-looking
    value. None when every value is a placeholder or a local setting."""
    now = time.time()
    for match in repo.snapshot.secrets(path):
        line = repo.line(path, match.line)
        value = line[match.start : match.end]
        if _discount(path, match.kind, value, line, now):
            continue
        if match.kind not in _GENERIC_KINDS or looks_random(value):
            return match.line
    for number, line in enumerate(repo.lines(path), 1):
        m = _ENV_LINE.match(line)
        if not m or line.lstrip().startswith("#"):
            continue
        name, value = m.group(1), m.group(2).strip("'\"")
        if _secret_name(name) and looks_random(value) and not _placeholder_literal(value):
            return number
    return None


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
            live = {p: _live_env_value(repo, p) for p in committed}
            real = [p for p in committed if live[p]]
            if real:
                return self.failed(
                    [repo.evidence(p, live[p] or 1) for p in real[:5]],
                    f"Committed environment file(s): {', '.join(committed)}; "
                    f"{real[0]}:{live[real[0]]} holds a value that looks like a real secret.",
                )
            result = self.failed(
                [repo.evidence(p, 1) for p in committed[:5]],
                f"Committed environment file(s): {', '.join(committed)}. Every value in "
                f"{'it' if len(committed) == 1 else 'them'} is a placeholder or a local "
                "setting (no key format, no random-looking secret), so no credential leaks; "
                "a real value added later would.",
            )
            return result.model_copy(update={"severity": Severity.low, "severity_note": _ENV_NOTE})
        ignores = text.grep(r"^\.env\b", ("text",), tests=None, limit=1)
        evidence = [ignores[0].evidence(repo)] if ignores else []
        # tRPC commits .env files in its examples (placeholders); "no .env file is committed"
        # read as untrue. Say which files were looked at.
        aside = sorted(
            f.path
            for f in repo.files
            if repo.applies(f.path)
            and not _is_product(f)
            and f.path.rsplit("/", 1)[-1].lower() in (".env", ".env.local", ".env.production")
        )
        also = (
            f" ({plural(len(aside), '.env file')} of examples, tests or docs set aside, e.g. "
            f"{aside[0]})"
            if aside
            else ""
        )
        return self.passed(evidence, f"No .env file is committed in the product's files{also}.")


# A setting that lets cross-origin requests carry cookies and Authorization headers:
# allow_credentials=True, supports_credentials=True, CORS_ALLOW_CREDENTIALS = True,
# credentials: true, AllowCredentials: true, .allowCredentials(true), setAllowCredentials(true),
# allow-credentials: true, "Access-Control-Allow-Credentials", "true", and the calls that
# take no value: actix-cors's .supports_credentials(), gorilla's handlers.AllowCredentials().
_CORS_CREDENTIALS = (
    r"(?i)(?<![A-Za-z0-9])(?:set|access[-_]control[-_])?"
    r"(?:(?:allow[-_]?credentials|supports_credentials|credentials)['\"]?\s*(?:=>|[:=,(])\s*"
    r"['\"]?true\b|(?:allow[-_]?credentials|supports_credentials)\(\s*\))"
)
_CORS_SETTINGS = (*CODE, "yaml", "toml", "ini", "dotenv")
_CORS_NO_CREDENTIALS_NOTE = (
    "Lowered: no setting allows credentials, and browsers send no cookies or Authorization "
    "header to an origin answered with `*`; the wildcard opens only what is public anyway."
)
_CORS_LITERAL_NOTE = (
    "Lowered: the wildcard is sent as a literal `*`, and browsers refuse credentials from "
    "such a response even when credentials are allowed; only public data is exposed."
)


# A block entered only in development: `if (isDev) {`, `if settings.DEBUG:`,
# `if (process.env.NODE_ENV === "development")`.
_DEV_GUARD = re.compile(
    r"^\s*(}\s*else\s+)?if\s*\(?\s*(isDev\w*|is_dev\w*|devMode|dev_mode|(settings\.|app\.)?DEBUG|"
    r"app\.debug|process\.env\.NODE_ENV\s*===?\s*['\"](development|dev)['\"])\s*\)?\s*[{:]?\s*$"
)


def _development_only(repo: RepoView, hit: Hit) -> bool:
    """Whether ``hit`` sits in a block entered only in development (dockge allows every
    origin `if (isDev)`; in production Socket.IO checks the origin)."""
    lines = repo.lines(hit.path)
    own = len(lines[hit.line - 1]) - len(lines[hit.line - 1].lstrip())
    for number in range(hit.line - 1, max(0, hit.line - 8), -1):
        line = lines[number - 1]
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        if indent >= own:
            continue
        if _DEV_GUARD.match(line):
            return True
        own = indent  # an enclosing line (`cors = {`): look further out
    return False


# `corsOrigins: (\n process.env.A ||\n process.env.B ||\n '*'\n)`: a chain of fallbacks over
# several lines, ending in the wildcard.
_CORS_SPLIT_FALLBACK = re.compile(
    r"""(?i)\b\w*(cors|origin)\w*['"]?\s*[:=]\s*\(?\s*\n(?:[^\n;]*(\|\||\?\?|\bor\b)\s*\n){1,4}"""
    r"""\s*['"]\*['"]"""
)


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
        r"allowedOrigins\(\"\*\"\)|\bcors\(\s*\)|CORS\(\w+\)$|"
        # Spring's CorsConfiguration and CorsRegistry: addAllowedOrigin("*"),
        # addAllowedOriginPattern("*") (eladmin), allowedOriginPatterns("*"),
        # setAllowedOrigins(List.of("*")).
        r"\b(add|set)?[aA]llowedOrigin(Pattern)?s?\(\s*(\w+\.(of|asList|singletonList)\()?"
        r"\"\*\"|"
        # Flask-CORS made with no options and bound later (cors.init_app(app)): every origin.
        r"^\s*\w+\s*=\s*CORS\(\s*\)\s*$|"
        r"CORS_(ALLOW_ALL_ORIGINS|ORIGIN_ALLOW_ALL)\s*=\s*True|"
        # Go: ozzo-routing's cors.AllowAll options and rs/cors's cors.AllowAll().
        r"\bcors\.AllowAll\b|"
        # A CORS constructor of the project's own handed a wildcard:
        # NewCORSMiddleware([]string{"*"}).
        r"\b\w*(?i:cors)\w*\(\s*(\[\]string\{|\[)\s*[\"']\*[\"']|"
        # A wildcard fallback when the setting is unset: origin: process.env.CORS_ORIGIN || "*",
        # os.getenv("CORS_ORIGINS", "*").
        r"origins?['\"]?\s*[:=]\s*[\w.\[\]'\"]+\s*(\|\||\?\?)\s*['\"]\*['\"]|"
        r"(?i:cors|origin)\w*['\"]\s*,\s*['\"]\*['\"]\s*\)|"
        # Spring: @CrossOrigin with no origins allows every origin by default.
        r"@CrossOrigin\s*(\(\s*\)|$|\((?![^)]*(\b(origins|value|originPatterns)\b|[\"{]\s*[\"h]))[^)]*\))"
    )
    languages = CODE
    applies = "service"
    what = "wildcard CORS setting"
    code_only = False  # the setting is often a dict key: `"origins": "*"`

    def check(
        self,
        repo: RepoView,
        text: TextSearch,
        imports: Imports,
        python: PythonCode,
        knowledge: Knowledge,
        profile: ProfileView,
    ) -> CheckResult:
        result = super().check(repo, text, imports, python, knowledge, profile)
        if result.outcome is not Outcome.failed:
            return result
        # Browsers send no cookies or Authorization to an origin answered with `*`: without
        # credentials the wildcard opens only what any client could fetch anyway.
        if not text.grep(_CORS_CREDENTIALS, _CORS_SETTINGS, limit=1):
            note = _CORS_NO_CREDENTIALS_NOTE
        elif all(self.literal_wildcard(h) for h in self.hits()):
            note = _CORS_LITERAL_NOTE
        else:  # Starlette, Flask-CORS, django-cors-headers, rs/cors: the origin mirrored
            return result
        return result.model_copy(update={"severity": Severity.low, "severity_note": note})

    def literal_wildcard(self, hit: Hit) -> bool:
        """Whether the wildcard goes out as a literal `*` even with credentials allowed: the
        `cors` package (Express, Socket.IO, NestJS) and Fastify's send the string as is, as
        does a hand-set Access-Control-Allow-Origin header. Browsers then refuse credentials."""
        f = self.repo.by_path.get(hit.path)
        if f is not None and f.language in ("javascript", "typescript"):
            return True
        return re.search(r"(?i)Access-Control-Allow-Origin", hit.text) is not None

    def hits(self) -> list[Hit]:
        found = [h for h in super().hits() if not _development_only(self.repo, h)]
        # Flask-CORS reads its origins from the app's config when the code passes none.
        if self.text.grep(r"\bCORS_ORIGINS\b", (*CODE, "yaml", "toml", "dotenv"), limit=1):
            found = [h for h in found if not re.search(r"=\s*CORS\(\s*\)", h.text)]
        seen = {(h.path, h.line) for h in found}
        found += [h for h in self.followed() if (h.path, h.line) not in seen]
        seen = {(h.path, h.line) for h in found}
        found += [h for h in self.nest_defaults() if (h.path, h.line) not in seen]
        seen = {(h.path, h.line) for h in found}
        found += [h for h in self.echo_defaults() if (h.path, h.line) not in seen]
        seen = {(h.path, h.line) for h in found}
        return found + [h for h in self.split_fallbacks() if (h.path, h.line) not in seen]

    def split_fallbacks(self) -> list[Hit]:
        """A CORS setting whose fallback chain ends in `'*'` across lines (nestjs-boilerplate's
        app.config.ts: `corsOrigins: (process.env.APP_CORS_ORIGINS ||
        process.env.FRONTEND_DOMAIN || '*')`): every origin when nothing is set."""
        found = []
        for f in self.repo.code_files("javascript", "typescript", "python"):
            source = self.repo.text(f.path)
            for m in _CORS_SPLIT_FALLBACK.finditer(source):
                line = source.count("\n", 0, m.start()) + 1
                found.append(Hit(f.path, line, self.repo.line(f.path, line).strip()))
        return [h for h in found if not _development_only(self.repo, h)]

    def echo_defaults(self) -> list[Hit]:
        """Echo's ``middleware.CORS()``, or ``CORSWithConfig`` with no AllowOrigins: echo
        then allows every origin (``*``)."""
        found = []
        for h in self.text.grep(r"\bmiddleware\.CORS(WithConfig)?\(", ("go",), code_only=True):
            if "labstack/echo" not in self.repo.text(h.path):
                continue
            lines = self.repo.lines(h.path)[h.line - 1 : h.line + 15]
            config, depth = [], 0
            for line in lines:
                config.append(line)
                depth += line.count("(") - line.count(")")
                if depth <= 0:
                    break
            if "AllowOrigin" not in "\n".join(config):
                found.append(h)
        return found

    def nest_defaults(self) -> list[Hit]:
        """NestJS's and routing-controllers' ``{cors: true}`` option and a bare
        ``app.enableCors()``: each hands the ``cors`` package its defaults, which answer every
        origin with ``*``."""
        nest = {
            h.path
            for h in self.text.grep(
                r"\bNestFactory\.create\w*\(|\b(use|create)(Express|Koa)Server\(", code_only=True
            )
        }
        if not nest:
            return []
        return [
            h
            for h in self.text.grep(r"\bcors\s*:\s*true\b|\.enableCors\(\s*\)", code_only=True)
            if h.path in nest
        ]

    def followed(self) -> list[Hit]:
        """Origins passed as a variable or setting whose default allows every origin.

        ``allow_origins=settings.allowed_hosts`` with ``allowed_hosts: List[str] = ["*"]``
        in the settings class allows any origin unless the deployment overrides it.
        """
        defaults = _wildcard_defaults(self.repo, self.python)
        found: list[Hit] = []
        for call in self.python.calls():
            for key in ("allow_origins", "origins", "allowed_origins"):
                value = call.keyword(key)
                if value is None or isinstance(value, ast.List | ast.Constant):
                    continue
                name = (
                    value.attr
                    if isinstance(value, ast.Attribute)
                    else (value.id if isinstance(value, ast.Name) else "")
                )
                if name in defaults:
                    path, line = defaults[name]
                    found.append(_py_hit(self.repo, call.path, value.lineno))
                    found.append(_py_hit(self.repo, path, line))  # where "*" is the default
        return found


def _wildcard_defaults(repo: RepoView, python: PythonCode) -> dict[str, tuple[str, int]]:
    """Names (settings fields, module constants) whose value or default is ``["*"]``."""
    found: dict[str, tuple[str, int]] = {}
    for f in repo.code_files("python"):
        if python.tree(f.path) is None:
            continue
        for node in python.nodes(f.path, ast.Assign, ast.AnnAssign):
            value = node.value
            if value is None:
                continue
            if isinstance(value, ast.Call):  # Field(default=["*"]), env.list(..., default=["*"])
                value = next((k.value for k in value.keywords if k.arg == "default"), value)
            star = (
                isinstance(value, ast.List | ast.Tuple)
                and any(isinstance(e, ast.Constant) and e.value == "*" for e in value.elts)
            ) or (isinstance(value, ast.Constant) and value.value == "*")
            if not star:
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                name = _target_name(t)
                if name:
                    found.setdefault(name, (f.path, node.lineno))
    return found


_GO_STRING = ("interpreted_string_literal", "raw_string_literal")
_KEY_CALL = re.compile(r"(?i)sign|hmac|secret|key|parse|verify")


def _go_literal(node: object) -> str | None:
    kind = node.kind()  # type: ignore[attr-defined]
    if kind == "expression_list":
        children = node.named_children()  # type: ignore[attr-defined]
        return _go_literal(children[0]) if len(children) == 1 else None
    if kind in _GO_STRING:
        return str(node.text())[1:-1]  # type: ignore[attr-defined]
    return None


def _go_signing_keys(repo: RepoView, syntax: SyntaxTrees) -> list[CredentialSite]:
    """Go string constants used as key bytes (`[]byte(jwtSecret)`), and key literals."""
    files = [f.path for f in repo.code_files("go")]
    if not files:
        return []
    constants: dict[str, tuple[str, int, str]] = {}
    for kind in ("const_spec", "var_spec"):
        for m in syntax.find(kind=kind, files=files):
            name, value = m.node.field("name"), m.node.field("value")
            literal = _go_literal(value) if value is not None else None
            if name is not None and literal is not None and _secret_name(name.text()):
                constants[name.text()] = (m.path, m.line, literal)
    found: dict[tuple[str, int], CredentialSite] = {}
    for m in syntax.find("[]byte($X)", files=files):
        used = m.var("X").rsplit(".", 1)[-1]
        literal = _go_literal(m.node.get_match("X"))
        if literal is not None:
            call = m.node.parent()
            while call is not None and call.kind() not in ("call_expression", "source_file"):
                call = call.parent()
            function = call.field("function") if call is not None else None
            if function is None or not _KEY_CALL.search(function.text()):
                continue
            if not _placeholder_literal(literal):
                found[(m.path, m.line)] = CredentialSite(m.path, m.line, "signing_key", literal)
        elif used in constants:
            path, line, value = constants[used]
            if not _placeholder_literal(value):
                found[(path, line)] = CredentialSite(path, line, "signing_key", value)
    return list(found.values())


_JS_STRING = ("string", "template_string")


def _js_literal(node: object) -> str | None:
    kind = node.kind()  # type: ignore[attr-defined]
    text = str(node.text())  # type: ignore[attr-defined]
    if kind == "string" or (kind == "template_string" and "${" not in text):
        return text[1:-1]
    return None


def _js_signing_keys(repo: RepoView, syntax: SyntaxTrees) -> list[CredentialSite]:
    """JWT signing keys written as literals: `jwt.sign(payload, 'key')`, `secretOrKey: 'k'`."""
    files = [f.path for f in repo.code_files("javascript", "typescript")]
    if not files:
        return []
    found: dict[tuple[str, int], CredentialSite] = {}
    for pattern in ("$J.sign($P, $K $$$)", "$J.verify($T, $K $$$)"):
        for m in syntax.find(pattern, files=files):
            if not re.search(r"(?i)jwt|jsonwebtoken|jose", m.var("J")):
                continue
            key = m.node.get_match("K")
            literal = _js_literal(key) if key is not None else None
            if literal is None and key is not None and key.kind() == "identifier":
                literal = _js_constant(syntax, m.path, key.text())
            if literal is not None and not _placeholder_literal(literal):
                found[(m.path, m.line)] = CredentialSite(m.path, m.line, "signing_key", literal)
    for m in syntax.find(kind="pair", files=files):
        key = m.node.field("key")
        value = m.node.field("value")
        if key is None or value is None:
            continue
        if key.text().strip("'\"") not in ("secretOrKey", "secretOrPrivateKey", "jwtSecret"):
            continue
        literal = _js_literal(value)
        if literal is not None and not _placeholder_literal(literal):
            found[(m.path, m.line)] = CredentialSite(m.path, m.line, "signing_key", literal)
    return list(found.values())


def _js_constant(syntax: SyntaxTrees, path: str, name: str) -> str | None:
    """The string literal a file-level `const name = '...'` holds, if any."""
    for m in syntax.find(kind="variable_declarator", files=[path]):
        ident, value = m.node.field("name"), m.node.field("value")
        if ident is not None and value is not None and ident.text() == name:
            return _js_literal(value)
    return None


# --- where a value comes from: a small, bounded data-flow trace over the Python AST ------------

CONST, OWN, LOCAL, OUTSIDE, UNKNOWN = "constant", "own", "local", "outside", "unknown"
_SOURCE_WORDS = {
    OWN: "the program's own files or commands",
    LOCAL: "the local user's own input (command line, config, environment)",
    OUTSIDE: "data from outside (a request or a download)",
    UNKNOWN: "a value whose origin could not be traced",
}
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_REQUEST_ROOTS = re.compile(
    r"^(flask\.request|request|req|starlette\.requests\.Request|self\.request)\."
    r"(args|form|values|json|data|files|get_json|get_data|body|query_params|path_params|"
    r"cookies|headers|GET|POST|FILES|query|params|content|stream)"
)
_NETWORK_CALL = re.compile(
    r"^(requests|httpx|urllib3|aiohttp)\.|\.urlopen$|^urlopen$|"
    # urllib.request's fetchers; url2pathname and pathname2url only convert strings.
    r"^urllib\.request\.(urlopen|urlretrieve|Request|build_opener|OpenerDirector)\b|"
    r"^(requests|httpx)\.\w+\(\)\."
)
_OWN_COMMAND = re.compile(r"^subprocess\.(check_output|run|getoutput)$|^os\.popen$")
_PASS_THROUGH = frozenset(
    {
        "str",
        "bytes",
        "repr",
        "list",
        "tuple",
        "sorted",
        "reversed",
        "strip",
        "lstrip",
        "rstrip",
        "lower",
        "upper",
        "replace",
        "decode",
        "encode",
        "split",
        "splitlines",
        "format",
        "join",
        "get",
        "pop",
        "copy",
        "deepcopy",
        "items",
        "values",
        "keys",
        "dedent",
        "textwrap.dedent",
        "os.path.join",
        "Path",
        "pathlib.Path",
        "resolve",
        "absolute",
        "expanduser",
        "re.split",
        "re.sub",
        "re.findall",
        "shlex.split",
    }
)
_READS = frozenset(
    {"read", "read_text", "read_bytes", "readlines", "load", "safe_load", "loads", "yaml_load"}
)
_ROUTE_DECORATOR = re.compile(
    r"\.(route|get|post|put|patch|delete|websocket|api_route)$|(^|\.)api_view$|"
    r"\.(on_message|message_handler|handler)$"
)
_CLI_DECORATOR = re.compile(r"(^|\.)(command|argument|option|group)$|^typer\.|^click\.")


class Tracer:
    """Where a Python expression's value comes from, followed a few steps back.

    Sources: a constant; the program's own files or commands (``open('configurator.py')``,
    ``git`` output); the local user's input (``sys.argv``, argparse, click arguments,
    environment, a file the user names); outside data (request fields, HTTP downloads); or
    unknown (a parameter nobody traced, an attribute of an object). A parameter is followed
    to the calls of its function in product code; everything stops after a few steps.
    """

    def __init__(
        self,
        repo: RepoView,
        python: PythonCode,
        depth: int = 6,
        clean: frozenset[str] = frozenset(),
    ) -> None:
        self.repo = repo
        self.python = python
        self.depth = depth
        # Calls whose result is safe for the sink at hand (shlex.quote for a shell,
        # secure_filename for a path), by dotted name or method name.
        self.clean = clean
        self._memo: dict[tuple[str, int, int], frozenset[str]] = {}
        self._bound: dict[int, dict[str, list[ast.expr]]] = {}
        self._callers: dict[str, list[PyCall]] | None = None

    # -- entry points --------------------------------------------------------------------------

    def sources(self, path: str, node: ast.expr) -> frozenset[str]:
        return self._expr(path, node, self.depth, frozenset())

    def parts(self, path: str, node: ast.expr) -> tuple[bool, frozenset[str]]:
        """``(interpolated, sources of the variable parts)`` of a string expression."""
        if isinstance(node, ast.JoinedStr):
            values = [v.value for v in node.values if isinstance(v, ast.FormattedValue)]
            return True, self._union(path, values, self.depth, frozenset())
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
            pieces = _flatten_add(node)
            if isinstance(node.op, ast.Mod):
                pieces = [node.left, node.right]
            variable = [p for p in pieces if not _is_str_constant(p)]
            if len(variable) < len(pieces):
                return True, self._union(path, variable, self.depth, frozenset())
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("format", "join")
            and _is_str_constant(node.func.value)
        ):
            values = [*node.args, *(k.value for k in node.keywords)]
            if node.func.attr == "join" and len(values) == 1:
                listed = values[0]
                if isinstance(listed, ast.List | ast.Tuple):
                    values = [e for e in listed.elts if not _is_str_constant(e)]
            return True, self._union(path, values, self.depth, frozenset())
        if isinstance(node, ast.Name):
            scope = self._scope(path, node) or self.python.tree(path)
            bound = self._bindings(scope, node.id) if scope is not None else []
            if bound and all(_builds_string(b) for b in bound):
                found = [self.parts(path, b) for b in bound]
                return any(i for i, _ in found), frozenset().union(*(s for _, s in found))
        return False, self.sources(path, node)

    # -- expressions ---------------------------------------------------------------------------

    def _union(
        self, path: str, nodes: list[ast.expr], depth: int, seen: frozenset[int]
    ) -> frozenset[str]:
        out: frozenset[str] = frozenset()
        for n in nodes:
            out |= self._expr(path, n, depth, seen)
        return out or frozenset({CONST})

    def _expr(self, path: str, node: ast.expr, depth: int, seen: frozenset[int]) -> frozenset[str]:
        if depth <= 0 or id(node) in seen:
            return frozenset({UNKNOWN})
        key = (path, id(node), depth)
        if key not in self._memo:
            # A cycle is answered "unknown" inside itself; the answer is kept for reuse.
            self._memo[key] = self._expr_uncached(path, node, depth, seen | {id(node)})
        return self._memo[key]

    def _expr_uncached(
        self, path: str, node: ast.expr, depth: int, seen: frozenset[int]
    ) -> frozenset[str]:
        aliases = self.python.aliases(path)
        if isinstance(node, ast.Constant):
            return frozenset({CONST})
        if isinstance(node, ast.JoinedStr):
            values = [v.value for v in node.values if isinstance(v, ast.FormattedValue)]
            return self._union(path, values, depth, seen)
        if isinstance(node, ast.BinOp):
            if not isinstance(node.op, ast.Mod) and any(
                isinstance(side, ast.Constant)
                and isinstance(side.value, int | float)
                and not isinstance(side.value, bool)
                for side in (node.left, node.right)
            ):
                return frozenset({CONST})  # `limit + 1`: arithmetic gives a number
            return self._union(path, [node.left, node.right], depth, seen)
        if isinstance(node, ast.IfExp):
            return self._union(path, [node.body, node.orelse], depth, seen)
        if isinstance(node, ast.BoolOp):
            return self._union(path, list(node.values), depth, seen)
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            return self._union(path, list(node.elts), depth, seen)
        if isinstance(node, ast.Dict):
            return self._union(path, [v for v in node.values if v is not None], depth, seen)
        if isinstance(node, ast.ListComp | ast.GeneratorExp | ast.SetComp):
            return self._union(path, [node.elt, *(g.iter for g in node.generators)], depth, seen)
        if isinstance(node, ast.Starred):
            return self._expr(path, node.value, depth, seen)
        if isinstance(node, ast.Subscript):
            return self._expr(path, node.value, depth, seen)
        if isinstance(node, ast.Attribute | ast.Name):
            name = dotted(node, aliases)
            if name in ("sys.argv", "os.environ") or name.startswith(("sys.argv", "os.environ")):
                return frozenset({LOCAL})
            if _REQUEST_ROOTS.match(name + ".") or _REQUEST_ROOTS.match(name):
                return frozenset({OUTSIDE})
            if name in ("__file__", "__name__") or name.endswith(".__file__"):
                return frozenset({OWN})
            if isinstance(node, ast.Attribute):
                base = node.value
                if isinstance(base, ast.Name) and base.id == "self":
                    return frozenset({UNKNOWN})
                if (
                    ".name" in self.clean
                    and node.attr in ("name", "stem")
                    and isinstance(base, ast.Call)
                    and dotted(base.func, aliases).endswith("Path")
                ):
                    return frozenset({CONST})  # Path(x).name: the last component only
                return self._expr(path, base, depth, seen)
            return self._name(path, node, depth, seen)
        if isinstance(node, ast.Call):
            return self._call(path, node, depth, seen)
        if isinstance(node, ast.Await):
            return self._expr(path, node.value, depth, seen)
        return frozenset({UNKNOWN})

    def _call(self, path: str, node: ast.Call, depth: int, seen: frozenset[int]) -> frozenset[str]:
        aliases = self.python.aliases(path)
        name = dotted(node.func, aliases)
        method = node.func.attr if isinstance(node.func, ast.Attribute) else name
        if name in ("input", "getpass.getpass") or name.startswith(("os.getenv", "os.environ")):
            return frozenset({LOCAL})
        if _NETWORK_CALL.search(name) or _REQUEST_ROOTS.match(name + "."):
            return frozenset({OUTSIDE})
        if _OWN_COMMAND.match(name):
            return frozenset({OWN})
        if name in ("open", "io.open", "codecs.open") and node.args:
            return self._file(path, node.args[0], depth, seen)
        if method == "parse_args" or name.endswith(("ArgumentParser.parse_args",)):
            return frozenset({LOCAL})
        if method in ("isnumeric", "isdigit", "isdecimal"):
            return frozenset({CONST})
        if method in _READS and isinstance(node.func, ast.Attribute):
            # f.read(), Path(p).read_text(), yaml.safe_load(f), json.load(f)
            target = node.func.value
            if method in ("load", "safe_load", "loads", "yaml_load") and node.args:
                target = node.args[0]
            return self._file(path, target, depth, seen)
        if name in self.clean or method in self.clean:
            return frozenset({CONST})  # sanitised for the sink at hand
        if (
            "<segment>" in self.clean
            and method == "replace"
            and len(node.args) == 2
            and _is_str_constant(node.args[0])
            and getattr(node.args[0], "value", None) in (".", "..")
            and _is_str_constant(node.args[1])
            and getattr(node.args[1], "value", None) == ""
        ):
            return frozenset({CONST})  # `ext.replace(".", "")`: no "..", so it cannot climb
        if name in _PASS_THROUGH or method in _PASS_THROUGH:
            parts = list(node.args) + [k.value for k in node.keywords]
            if isinstance(node.func, ast.Attribute):
                parts.append(node.func.value)
            return self._union(path, parts, depth, seen)
        if name in ("int", "float", "len", "bool", "round", "abs", "hash", "id"):
            return frozenset({CONST})  # a number is never code or shell syntax
        return frozenset({UNKNOWN})

    def _file(self, path: str, where: ast.expr, depth: int, seen: frozenset[int]) -> frozenset[str]:
        """The contents of a file: the program's own file when its path is fixed."""
        if isinstance(where, ast.Call) and dotted(where.func, self.python.aliases(path)) in (
            "open",
            "io.open",
        ):
            if not where.args:
                return frozenset({UNKNOWN})
            where = where.args[0]
        found = self._expr(path, where, depth - 1, seen)
        return frozenset(OWN if s == CONST else s for s in found)

    # -- names ---------------------------------------------------------------------------------

    def _name(self, path: str, node: ast.Name, depth: int, seen: frozenset[int]) -> frozenset[str]:
        scope = self._scope(path, node)
        if isinstance(scope, _FUNCTIONS) and not isinstance(scope, ast.Lambda):
            params = [a.arg for a in (*scope.args.posonlyargs, *scope.args.args)]
            params += [a.arg for a in scope.args.kwonlyargs]
            bound = self._bindings(scope, node.id)
            if bound:
                return self._union(path, bound, depth - 1, seen)
            if node.id in params:
                return self._parameter(path, scope, node.id, depth - 1, seen)
            # A closure reads its enclosing function's names (datasette's nested
            # delete_stale_database_catalog loops over the outer function's table names).
            outer = self._scope(path, scope)
            while isinstance(outer, ast.FunctionDef | ast.AsyncFunctionDef):
                outer_params = {a.arg for a in (*outer.args.posonlyargs, *outer.args.args)}
                bound = self._bindings(outer, node.id)
                if bound:
                    return self._union(path, bound, depth - 1, seen)
                if node.id in outer_params | {a.arg for a in outer.args.kwonlyargs}:
                    return self._parameter(path, outer, node.id, depth - 1, seen)
                outer = self._scope(path, outer)
            module = self.python.tree(path)
            bound = self._bindings(module, node.id) if module is not None else []
            if bound:
                return self._union(path, bound, depth - 1, seen)
        else:
            module = self.python.tree(path)
            bound = self._bindings(module, node.id) if module is not None else []
            if bound:
                return self._union(path, bound, depth - 1, seen)
        if node.id in self.python.aliases(path) or node.id in self._relative_imports(path):
            return frozenset({OWN})  # an imported name: the program's own code
        return frozenset({UNKNOWN})

    def _relative_imports(self, path: str) -> set[str]:
        """Names ``from .module import NAME`` brings in: the package's own."""
        return {
            a.asname or a.name
            for n in self.python.nodes(path, ast.ImportFrom)
            if n.level
            for a in n.names
        }

    def _scope(self, path: str, node: ast.AST) -> ast.AST | None:
        parents = self.python.parents(path)
        current = parents.get(id(node))
        while current is not None and not isinstance(current, _FUNCTIONS):
            current = parents.get(id(current))
        return current

    def _bindings(self, scope: ast.AST, name: str) -> list[ast.expr]:
        """What ``name`` is bound to in ``scope`` (not inside nested functions)."""
        index = self._bound.get(id(scope))
        if index is None:
            index = self._bound[id(scope)] = _binding_index(scope)
        return index.get(name, [])

    def _parameter(
        self,
        path: str,
        function: ast.FunctionDef | ast.AsyncFunctionDef,
        name: str,
        depth: int,
        seen: frozenset[int],
    ) -> frozenset[str]:
        """A parameter: a CLI argument, or what the function's callers pass (or its default)."""
        aliases = self.python.aliases(path)
        decorators = [
            dotted(d.func if isinstance(d, ast.Call) else d, aliases)
            for d in function.decorator_list
        ]
        if any(_ROUTE_DECORATOR.search(d) for d in decorators):
            default = _default(function, name)
            if isinstance(default, ast.Call) and dotted(default.func, aliases).endswith(
                ("Depends", "Security")
            ):
                return frozenset({UNKNOWN})  # an injected dependency, not request data
            if _typed_value(function, name, aliases):
                return frozenset({CONST})  # the framework parsed it: a number, a UUID, a date
            if "<segment>" in self.clean and _one_segment(function, name):
                return frozenset({CONST})  # a route segment never holds a "/"
            return frozenset({OUTSIDE})  # a request handler's parameters are request data
        if any(_CLI_DECORATOR.search(d) for d in decorators):
            return frozenset({LOCAL})
        positional = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
        index = positional.index(name) if name in positional else None
        default = _default(function, name)
        method = bool(positional) and positional[0] in ("self", "cls")
        if self._callers is None:
            self._callers = {}
            for c in self.python.calls():
                self._callers.setdefault(c.name.rsplit(".", 1)[-1], []).append(c)
        owner = self.python.parents(path).get(id(function))
        cls = owner.name if isinstance(owner, ast.ClassDef) else None
        callers = [
            c
            for c in self._callers.get(function.name, [])
            if (c.name == function.name or c.name.endswith("." + function.name))
            and not _other_class(c.name, function.name, cls)
        ]
        if method and function.name in _GENERIC_METHODS:
            # `x.delete(value)` calls a hundred classes' delete: callers found by a name this
            # common say nothing of this method's arguments (mealie's repository delete).
            return frozenset({UNKNOWN})
        if not callers or depth <= 0:
            return frozenset({UNKNOWN})
        out: frozenset[str] = frozenset()
        for call in callers:
            passed = next((k.value for k in call.node.keywords if k.arg == name), None)
            if passed is None and index is not None:
                position = index - 1 if method and "." in call.name else index
                if 0 <= position < len(call.node.args):
                    passed = call.node.args[position]
                    if isinstance(passed, ast.Starred):
                        return frozenset({UNKNOWN})
            if passed is None and call.has_kwargs():
                return frozenset({UNKNOWN})
            if passed is None:
                if default is None:
                    continue
                out |= self._expr(path, default, depth, seen)
            else:
                out |= self._expr(call.path, passed, depth, seen)
        return out or frozenset({UNKNOWN})


def _binding_index(scope: ast.AST) -> dict[str, list[ast.expr]]:
    """Every name bound in ``scope`` (not in nested functions or classes) and its values."""
    found: dict[str, list[ast.expr]] = {}

    def bind(target: ast.expr, value: ast.expr) -> None:
        if isinstance(target, ast.Name):
            found.setdefault(target.id, []).append(value)
        elif isinstance(target, ast.Tuple | ast.List):
            if isinstance(value, ast.Tuple | ast.List) and len(value.elts) == len(target.elts):
                for t, v in zip(target.elts, value.elts, strict=True):
                    bind(t, v)
            else:
                for t in target.elts:
                    bind(t, value)
        elif isinstance(target, ast.Starred):
            bind(target.value, value)

    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        if isinstance(node, (*_FUNCTIONS, ast.ClassDef)):
            continue
        stack.extend(ast.iter_child_nodes(node))
        if isinstance(node, ast.Assign):
            for target in node.targets:
                bind(target, node.value)
        elif isinstance(node, ast.AnnAssign | ast.AugAssign | ast.NamedExpr):
            if node.value is not None:
                bind(node.target, node.value)
        elif isinstance(node, ast.For | ast.AsyncFor | ast.comprehension):
            bind(node.target, node.iter)
        elif isinstance(node, ast.withitem) and node.optional_vars is not None:
            bind(node.optional_vars, node.context_expr)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.attr in ("append", "extend", "insert", "update", "add")
        ):
            found.setdefault(node.func.value.id, []).extend(node.args)
    return found


_GENERIC_METHODS = frozenset(
    {"get", "set", "add", "put", "post", "patch", "delete", "remove", "update", "create"}
    | {"save", "load", "read", "write", "open", "close", "run", "execute", "process"}
    | {"handle", "send", "call", "apply", "build", "render", "parse", "validate"}
)


def _other_class(called: str, method: str, cls: str | None) -> bool:
    """Whether ``called`` names the method on another class (``Other.get_directory(x)`` does
    not call ``Group.get_directory``); instances and modules cannot be told apart by name."""
    if cls is None:
        return False
    receiver = called[: -len(method) - 1].rsplit(".", 1)[-1]
    receiver = receiver.split("(", 1)[0]  # `Repo().delete`: an instance of Repo
    return receiver[:1].isupper() and receiver != cls


_TYPED = re.compile(r"(^|\.)(int|float|bool|UUID\d?|date|datetime|time|Decimal)$")


def _typed_value(
    function: ast.FunctionDef | ast.AsyncFunctionDef, name: str, aliases: dict[str, str]
) -> bool:
    """Whether a handler's parameter is annotated with a type the framework parses and checks
    (FastAPI, Django Ninja and Litestar reject a request whose value is not a number, UUID or
    date), so it can carry no path, shell or SQL syntax."""
    arg = next(
        (
            a
            for a in (*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs)
            if a.arg == name
        ),
        None,
    )
    if arg is None or arg.annotation is None:
        return False
    hint = arg.annotation
    if isinstance(hint, ast.BinOp) and isinstance(hint.op, ast.BitOr):
        options = [hint.left, hint.right]
    elif isinstance(hint, ast.Subscript) and dotted(hint.value, aliases).endswith("Optional"):
        options = [hint.slice]
    else:
        options = [hint]
    names = [
        dotted(o, aliases) for o in options if not (isinstance(o, ast.Constant) and o.value is None)
    ]
    return bool(names) and all(_TYPED.search(n) for n in names)


def _one_segment(function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    """Whether the route path gives ``name`` one path segment: ``{name}`` (FastAPI, Starlette)
    or ``<name>``/``<string:name>`` (Flask), whose converters match no "/"; ``{name:path}`` and
    ``<path:name>`` match several segments."""
    for decorator in function.decorator_list:
        if not isinstance(decorator, ast.Call) or not decorator.args:
            continue
        route = decorator.args[0]
        if isinstance(route, ast.Constant) and isinstance(route.value, str):
            text = route.value
            if f"{{{name}}}" in text or f"<{name}>" in text or f"<string:{name}>" in text:
                return True
    return False


def _default(function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> ast.expr | None:
    args = function.args
    positional = [*args.posonlyargs, *args.args]
    offset = len(positional) - len(args.defaults)
    for i, a in enumerate(positional):
        if a.arg == name and i >= offset:
            return args.defaults[i - offset]
    for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=False):
        if a.arg == name:
            return d
    return None


def _builds_string(node: ast.expr) -> bool:
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Mod):
        return any(_is_str_constant(p) for p in _flatten_add(node)) or isinstance(node.op, ast.Mod)
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("format", "join")
        and _is_str_constant(node.func.value)
    )


def _flatten_add(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [*_flatten_add(node.left), *_flatten_add(node.right)]
    return [node]


def _is_str_constant(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str | bytes)


def tracer_for(repo: RepoView, python: PythonCode, clean: frozenset[str] = frozenset()) -> Tracer:
    """One tracer per run and sanitiser set, so traced answers are shared between probes."""
    return repo.memo(f"security:tracer:{sorted(clean)}", lambda: Tracer(repo, python, clean=clean))


def describe_sources(sources: frozenset[str]) -> str:
    return " and ".join(_SOURCE_WORDS[s] for s in (OUTSIDE, LOCAL, UNKNOWN, OWN) if s in sources)


# --- untrusted names joined into filesystem paths -------------------------------------------------

_PATH_CLEAN = frozenset(
    {
        "secure_filename",
        "werkzeug.utils.secure_filename",
        "os.path.basename",
        "basename",
        "uuid.uuid4",
        "uuid4",
        "safe_join",
        "werkzeug.security.safe_join",
        "get_valid_filename",
        ".name",
        "<segment>",
    }
)
# Calls that open, write, serve or remove a file by the path they are given.
_PATH_SINKS = frozenset(
    {
        "open",
        "io.open",
        "os.open",
        "os.remove",
        "os.unlink",
        "os.rmdir",
        "os.makedirs",
        "os.mkdir",
        "os.rename",
        "shutil.copy",
        "shutil.copyfile",
        "shutil.copy2",
        "shutil.move",
        "shutil.rmtree",
        "flask.send_file",
        "send_file",
        "FileResponse",
        "starlette.responses.FileResponse",
        "fastapi.responses.FileResponse",
        "django.http.FileResponse",
        "pathlib.Path",
        "Path",
        "os.path.join",
    }
)
_SAVE_METHODS = frozenset({"save", "write_bytes", "write_text", "open", "unlink", "mkdir"})
_MEMBER_CHECK = re.compile(
    r"commonpath|commonprefix|is_relative_to|\.startswith\(|filter\s*=|members\s*=|"
    r"os\.path\.realpath|\.\.\b|'\.\.'|\"\.\.\""
)


class PathTraversal(Probe):
    """Untrusted names (request data, archive members) are joined into filesystem paths."""

    id = "SEC029"
    category = Category.security
    severity = Severity.high
    title = "Path traversal from untrusted names"
    rationale = (
        "A name like ../../etc/passwd from a request or an archive member escapes the folder "
        "the code meant to read or write."
    )
    remediation = (
        "Keep only the last path component (secure_filename, basename) or resolve the path "
        "and check it stays under the base folder; extract tar files with filter='data'."
    )
    applies = "application"

    def check(self, repo: RepoView, python: PythonCode, syntax: SyntaxTrees) -> CheckResult:
        files = repo.code_files(*CODE)
        if not files:
            return self.not_applicable("No product code in scope, so nothing to check.")
        sites = _python_path_sites(repo, python)
        sites += _tree_path_sites(repo, syntax)
        seen: set[tuple[str, int]] = set()
        unique = []
        for hit, why in sites:
            if (hit.path, hit.line) not in seen:
                seen.add((hit.path, hit.line))
                unique.append((hit, why))
        looked = [
            f"archive extraction and file paths built from request data in "
            f"{plural(len(files), 'product code file')}"
        ]
        if unique:
            where = "; ".join(f"{h.where} ({why})" for h, why in unique[:3])
            return self.failed(
                [h.evidence(repo) for h, _ in unique[:5]],
                f"{plural(len(unique), 'place')} {'joins' if len(unique) == 1 else 'join'} "
                "an untrusted name into a filesystem path: "
                f"{where}{'; ...' if len(unique) > 3 else ''}.",
                looked_at=looked,
            )
        return self.passed(
            [],
            "No request data reaches a filesystem path unsanitised, and no tar archive is "
            f"extracted unfiltered, in {plural(len(files), 'product code file')} (member names "
            "an archive is read by, one at a time, are not traced).",
        )


def _python_path_sites(repo: RepoView, python: PythonCode) -> list[tuple[Hit, str]]:
    tracer = tracer_for(repo, python, _PATH_CLEAN)
    found: list[tuple[Hit, str]] = []
    for call in python.calls():
        method = call.node.func.attr if isinstance(call.node.func, ast.Attribute) else ""
        if method in ("extractall", "extract") and _tar_receiver(python, call):
            scope = tracer_for(repo, python)._scope(call.path, call.node)
            body = ast.unparse(scope) if scope is not None else repo.text(call.path)
            if call.keyword("filter") is None and not _MEMBER_CHECK.search(body):
                found.append(
                    (_py_hit(repo, call.path, call.line), "tar members extracted unchecked")
                )
            continue
        if call.name in _PATH_SINKS:
            if _last_part(python, call):
                continue  # Path(name).stem: only the last component is kept
            args = list(call.node.args)
        elif method == "save" and _django_storage(python, call.path):
            # Django keeps only the base name of an uploaded file, and Storage.save() rejects
            # names with '..' or an absolute path (SuspiciousFileOperation, since 3.2.1).
            continue
        elif method in _SAVE_METHODS and isinstance(call.node.func, ast.Attribute):
            # upload.save(dst) takes the path; Path.write_bytes(data), .open(mode),
            # .unlink() and .mkdir() act on the path they are called on.
            args = list(call.node.args[:1]) if method == "save" else [call.node.func.value]
        else:
            continue
        for arg in args:
            if OUTSIDE in tracer.sources(call.path, arg):
                scope = tracer._scope(call.path, call.node)
                if scope is not None and _PATH_GUARD.search(ast.unparse(scope)):
                    break  # the joined path is checked to stay under its folder
                found.append((_py_hit(repo, call.path, call.line), "a name from the request"))
                break
    return found


# A check that a joined path stays under its folder: resolved and compared by prefix or parent.
_PATH_GUARD = re.compile(
    r"is_relative_to\(|commonpath\(|\.relative_to\(|\.parent\s*[!=]=|"
    r"(realpath|abspath|resolve|absolute)\([^\n]*\)[^\n]*\.startswith\("
)


def _last_part(python: PythonCode, call: PyCall) -> bool:
    """Whether ``Path(x)`` is built only to take its last component (``.name``, ``.stem``,
    ``.suffix``): no file is touched and no directory part survives."""
    parent = python.parents(call.path).get(id(call.node))
    return isinstance(parent, ast.Attribute) and parent.attr in ("name", "stem", "suffix")


def _django_storage(python: PythonCode, path: str) -> bool:
    """Whether the file works with Django's file storage (FileSystemStorage, default_storage)."""
    return any(v.startswith("django.core.files") for v in python.aliases(path).values())


def _tar_receiver(python: PythonCode, call: PyCall) -> bool:
    """Whether ``x.extractall()`` is called on a tar archive (zipfile sanitises names)."""
    func = call.node.func
    if not isinstance(func, ast.Attribute):
        return False
    receiver = func.value
    aliases = python.aliases(call.path)
    if isinstance(receiver, ast.Call):
        return dotted(receiver.func, aliases).startswith("tarfile.")
    if not isinstance(receiver, ast.Name):
        return False
    tracer = tracer_for(python.repo, python)
    scope = tracer._scope(call.path, call.node) or python.tree(call.path)
    bound = tracer._bindings(scope, receiver.id) if scope is not None else []
    return any(
        isinstance(b, ast.Call) and dotted(b.func, aliases).startswith("tarfile.") for b in bound
    )


_REQUEST_TEXT = re.compile(
    r"\breq(uest)?\.(params|query|body|files?)\b|\bctx\.(params|query|request\.body)\b|"
    r"\bc\.(Param|Query|PostForm|DefaultQuery|FormFile)\(|\br\.URL\.Query\(\)|\bmux\.Vars\(|"
    r"\br\.(FormValue|PostFormValue)\(|\b\w*([Ff]ile|[Hh]eader)\.Filename\b|originalname|"
    r"getParameter\(|getOriginalFilename\(\)"
)
# Per language: `fs.Read` is Node's fs module in JavaScript but, in Go, any value named fs
# (listmonk's stuffbin file system compiled into the binary).
_TREE_SINK = {
    "javascript": re.compile(
        r"^(path\.(join|resolve)|fs(\.promises)?\.\w+|res\.(sendFile|download))$"
    ),
    "go": re.compile(
        r"^(filepath\.Join|path\.Join|os\.(Open|OpenFile|Create|ReadFile|WriteFile|Remove|"
        r"RemoveAll|MkdirAll)|http\.ServeFile|c\.(File|SaveUploadedFile|FileAttachment))$"
    ),
    "java": re.compile(r"^(Paths\.get|Path\.of|new File)$"),
}
# A name matched against a pattern before use (`if !re.MatchString(lang) { return }`).
_TREE_VALIDATED = r"\.(MatchString|test|matches)\(\s*{}\s*\)"
# A name looked up in an allow-list whose miss returns (pocket-id's
# `mimeType := utils.GetImageMimeType(fileType); if mimeType == "" { return ... }`): only the
# names the table knows get past it.
_TREE_LOOKED_UP = (
    r"(?<!\w)(\w+)(\s*,\s*(\w+))?\s*:?=\s*[\w.]+(\[\s*{0}\s*\]|\(\s*{0}\s*\))\s*\n"
    r"\s*if\s+(\1\s*==\s*(\"\"|nil)|!\3\b)[^\n]*\{{\s*\n\s*return\b"
)
# Only the last component, or only the extension, of a name: neither can climb out.
_TREE_CLEAN = re.compile(
    r"basename|extname|filepath\.(Base|Ext)|path\.(Base|Ext)|IsLocal|getName\(\)|sanitize|"
    # A helper whose name says it checks or cleans a file name (eladmin's
    # FileUtil.verifyFilename strips separators and '..').
    r"(?i:\b(verify|validate|check|clean|safe|sanitis)\w*file_?name\w*\()"
)


def _tree_path_sites(repo: RepoView, syntax: SyntaxTrees) -> list[tuple[Hit, str]]:
    """JS/TS, Go and Java: request fields (direct, or through a local) reaching a path call."""
    found: list[tuple[Hit, str]] = []
    for language, kinds in (
        (("javascript", "typescript"), ("call_expression", "new_expression")),
        (("go",), ("call_expression",)),
        (("java",), ("method_invocation", "object_creation_expression")),
    ):
        sink = _TREE_SINK[language[0]]
        files = [f.path for f in repo.code_files(*language)]
        files = [p for p in files if _REQUEST_TEXT.search(repo.text(p))]
        for path in files:
            source = repo.text(path)
            tainted = {
                t
                for t in _tainted_locals(syntax, path)
                if not re.search(_TREE_VALIDATED.format(re.escape(t)), source)
                and not re.search(_TREE_LOOKED_UP.format(re.escape(t)), source)
            }
            for kind in kinds:
                for m in syntax.find(kind=kind, files=[path]):
                    callee = _callee(m.node)
                    if not sink.match(callee):
                        continue
                    args = m.node.field("arguments")
                    text = args.text() if args is not None else ""
                    if callee.endswith("SaveUploadedFile") and args is not None:
                        # (file, destination): only the destination is a path.
                        named = args.named_children()
                        text = named[1].text() if len(named) > 1 else ""
                    if _TREE_CLEAN.search(text) or _only_checked(m.node):
                        continue
                    if _REQUEST_TEXT.search(text) or any(
                        re.search(rf"\b{re.escape(t)}\b", text) for t in tainted
                    ):
                        found.append((m.hit(repo), "a name from the request"))
    return found


# A function that judges a path rather than opening it (filebrowser's
# `d.CheckRules(filepath.Join(dst, rel))`, a permission rule checked on the joined name).
_PATH_CHECK = re.compile(r"(?i)^(check|valid|verify|allow|is|can|has|match)")


_ARGUMENTS = ("argument_list", "arguments")


def _only_checked(node: Any) -> bool:
    """Whether a joined path (``filepath.Join``/``path.join``) is only handed to a check:
    joining touches no file, and the call it is passed to decides nothing on disk."""
    parent = node.parent()
    call = parent.parent() if parent is not None and parent.kind() in _ARGUMENTS else None
    if call is None or call.kind() not in ("call_expression", "method_invocation"):
        return False
    callee = _callee(call)
    return bool(callee) and bool(_PATH_CHECK.match(callee.rsplit(".", 1)[-1]))


def _callee(node: object) -> str:
    kind = node.kind()  # type: ignore[attr-defined]
    if kind == "new_expression" or kind == "object_creation_expression":
        ctor = node.field("constructor") or node.field("type")  # type: ignore[attr-defined]
        return f"new {ctor.text()}" if ctor is not None else ""
    if kind == "method_invocation":
        obj, name = node.field("object"), node.field("name")  # type: ignore[attr-defined]
        return f"{obj.text()}.{name.text()}" if obj is not None and name is not None else ""
    function = node.field("function")  # type: ignore[attr-defined]
    return str(function.text()) if function is not None else ""


def _tainted_locals(syntax: SyntaxTrees, path: str) -> set[str]:
    """Local names assigned from request fields in ``path`` (one step, any function)."""
    names: set[str] = set()
    for kind in (
        "variable_declarator",
        "short_var_declaration",
        "assignment_expression",
        "local_variable_declaration",
    ):
        for m in syntax.find(kind=kind, files=[path]):
            left, _, right = m.text.partition(":=" if kind == "short_var_declaration" else "=")
            if not right or not _REQUEST_TEXT.search(right) or _TREE_CLEAN.search(right):
                continue
            for name in re.findall(r"[A-Za-z_]\w*", left.split("(")[0]):
                if name not in ("const", "let", "var", "err", "_", "String", "final"):
                    names.add(name)
    return names


# --- key and credential files written with loose permissions ----------------------------------

_CREDENTIAL_PATH = re.compile(
    r"(?i)private[_-]?key|secret|token(?!iz)|credential|passw|\.pem\b|\.key\b|id_rsa|"
    r"id_ed25519|id_ecdsa|\.p12\b|\.pfx\b|api[_-]?key|oauth|\.netrc|kubeconfig"
)
_TIGHT_MODE = re.compile(r"0o?[46]00\b|0o?[46][04]0\b|S_IRUSR|S_IWUSR|umask\(\s*0o?0?77")
_WRITE_MODES = re.compile(r"[wax+]")


@dataclass(frozen=True)
class CredentialWrite:
    hit: Hit
    tight: bool


class SecretFilePermissions(Probe):
    """Key or credential files are written with the default (world-readable) permissions."""

    id = "SEC030"
    category = Category.security
    severity = Severity.medium
    title = "Credential files written without restricted permissions"
    rationale = (
        "Written with the default umask (often 0644), a token or key file can be read by "
        "every other user and process on the machine."
    )
    remediation = (
        "Create such files with mode 0600 (os.open(..., 0o600), os.WriteFile(p, b, 0600))."
    )
    applies = "application"

    def check(
        self, repo: RepoView, python: PythonCode, syntax: SyntaxTrees, profile: ProfileView
    ) -> CheckResult:
        if not profile.holds("stores_data"):
            return self.not_applicable(profile.why_not("stores_data"))
        writes = _python_credential_writes(repo, python) + _tree_credential_writes(repo, syntax)
        if not writes:
            return self.not_applicable(
                "The product writes no key, token or credential files (file writes whose "
                "path names a key, token, secret or credential were searched)."
            )
        loose = [w for w in writes if not w.tight]
        if loose:
            where = ", ".join(w.hit.where for w in loose[:3])
            return self.failed(
                [w.hit.evidence(repo) for w in loose[:5]],
                f"{plural(len(loose), 'credential file write')} with default permissions "
                f"({where}{', ...' if len(loose) > 3 else ''}): no mode 0600, chmod or umask "
                "restricts who can read them.",
            )
        where = ", ".join(w.hit.where for w in writes[:3])
        return self.passed(
            [w.hit.evidence(repo) for w in writes[:3]],
            f"Credential files are written with restricted permissions ({where}).",
        )


def _python_credential_writes(repo: RepoView, python: PythonCode) -> list[CredentialWrite]:
    found: list[CredentialWrite] = []
    for call in python.calls():
        method = call.node.func.attr if isinstance(call.node.func, ast.Attribute) else ""
        target: ast.expr | None = None
        if call.name in ("open", "io.open") and call.node.args:
            mode = call.node.args[1] if len(call.node.args) > 1 else call.keyword("mode")
            if isinstance(mode, ast.Constant) and _WRITE_MODES.search(str(mode.value)):
                target = call.node.args[0]
        elif call.name == "os.open" and call.node.args:
            target = call.node.args[0]
        elif method in ("write_text", "write_bytes") and isinstance(call.node.func, ast.Attribute):
            target = call.node.func.value
        if target is None:
            continue
        shown = _expression_text(python, call.path, target)
        if not _CREDENTIAL_PATH.search(shown):
            continue
        scope = tracer_for(repo, python)._scope(call.path, call.node)
        body = ast.unparse(scope) if scope is not None else ast.unparse(call.node)
        tight = bool(_TIGHT_MODE.search(body)) or "chmod" in body
        found.append(CredentialWrite(_py_hit(repo, call.path, call.line), tight))
    return found


def _expression_text(python: PythonCode, path: str, node: ast.expr) -> str:
    """The source of a path expression, with the values of the local names it uses."""
    text = ast.unparse(node)
    tracer = tracer_for(python.repo, python)
    scope = tracer._scope(path, node) or python.tree(path)
    for name in {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}:
        for value in tracer._bindings(scope, name)[:3] if scope is not None else []:
            text += " " + ast.unparse(value)
    return text


def _tree_credential_writes(repo: RepoView, syntax: SyntaxTrees) -> list[CredentialWrite]:
    found: list[CredentialWrite] = []
    go = [f.path for f in repo.code_files("go")]
    for pattern in (
        "os.WriteFile($P, $D, $M)",
        "ioutil.WriteFile($P, $D, $M)",
        "os.OpenFile($P, $F, $M)",
    ):
        for m in syntax.find(pattern, files=go) if go else []:
            if _CREDENTIAL_PATH.search(m.var("P")):
                found.append(CredentialWrite(m.hit(repo), bool(_TIGHT_MODE.search(m.var("M")))))
    js = [f.path for f in repo.code_files("javascript", "typescript")]
    for name in ("writeFileSync", "writeFile"):
        for m in syntax.find(f"$FS.{name}($P, $$$REST)", files=js) if js else []:
            if _CREDENTIAL_PATH.search(m.var("P")):
                found.append(CredentialWrite(m.hit(repo), bool(_TIGHT_MODE.search(m.text))))
    return found
