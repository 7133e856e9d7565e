"""What counts as a secret: detect-secrets plugins with their markers, and placeholders."""

from __future__ import annotations

import base64
import functools
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from detect_secrets.filters.heuristic import is_sequential_string, is_templated_secret
from detect_secrets.plugins.aws import AWSKeyDetector
from detect_secrets.plugins.azure_storage_key import AzureStorageKeyDetector
from detect_secrets.plugins.base import BasePlugin
from detect_secrets.plugins.basic_auth import BasicAuthDetector
from detect_secrets.plugins.discord import DiscordBotTokenDetector
from detect_secrets.plugins.github_token import GitHubTokenDetector
from detect_secrets.plugins.gitlab_token import GitLabTokenDetector
from detect_secrets.plugins.jwt import JwtTokenDetector
from detect_secrets.plugins.keyword import (
    CONFIG_DENYLIST_REGEX_TO_GROUP,
    QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP,
    REGEX_BY_FILETYPE,
    KeywordDetector,
)
from detect_secrets.plugins.mailchimp import MailchimpDetector
from detect_secrets.plugins.npm import NpmDetector
from detect_secrets.plugins.openai import OpenAIDetector
from detect_secrets.plugins.pypi_token import PypiTokenDetector
from detect_secrets.plugins.sendgrid import SendGridDetector
from detect_secrets.plugins.slack import SlackDetector
from detect_secrets.plugins.square_oauth import SquareOAuthDetector
from detect_secrets.plugins.stripe import StripeDetector
from detect_secrets.plugins.telegram_token import TelegramBotTokenDetector
from detect_secrets.plugins.twilio import TwilioKeyDetector
from detect_secrets.util.filetype import determine_file_type

from pipeline.secrets.formats import (
    AgeSecretKeyDetector,
    AnthropicKeyDetector,
    AzureClientSecretDetector,
    DatabricksTokenDetector,
    DigitalOceanTokenDetector,
    GitHubFineGrainedTokenDetector,
    GoogleApiKeyDetector,
    GoogleOAuthSecretDetector,
    HuggingFaceTokenDetector,
    LinearKeyDetector,
    NpmAccessTokenDetector,
    OpenAIProjectKeyDetector,
    PostmanKeyDetector,
    ShopifyTokenDetector,
    SlackAppTokenDetector,
    StripeWebhookSecretDetector,
    VaultTokenDetector,
)


@functools.cache
def _shape(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@dataclass(frozen=True)
class Detector:
    """A detect-secrets plugin and the cheap markers without which it cannot match a line."""

    kind: str
    plugin: BasePlugin
    literals: tuple[str, ...] = ()  # lowercase substrings, any of which must be in the line
    shape: str | None = None  # or a case-sensitive regex that must match

    def may_match(self, line: str, lowered: str) -> bool:
        """Whether the line holds this detector's marker (cheap; the plugin decides)."""
        if any(literal in lowered for literal in self.literals):
            return True
        return self.shape is not None and _shape(self.shape).search(line) is not None


# Every marker is a necessary part of its plugin's pattern; the tests plant one sample per
# format, so a marker that stops covering its plugin fails them.
DETECTORS: tuple[Detector, ...] = (
    Detector("aws_key", AWSKeyDetector(), ("a3t", "abia", "acca", "akia", "asia", "aws")),
    Detector("azure_storage_key", AzureStorageKeyDetector(), ("accountkey=",)),
    Detector("basic_auth", BasicAuthDetector(), shape=r"://\S+@"),
    Detector("discord_token", DiscordBotTokenDetector(), shape=r"[MNO][\w-]{23,25}\.[\w-]{6}\."),
    Detector("github_token", GitHubTokenDetector(), shape=r"gh[pousr]_"),
    Detector("gitlab_token", GitLabTokenDetector(), ("gr1348941",), r"gl[a-z]{2,6}-"),
    Detector("jwt", JwtTokenDetector(), ("eyj",)),
    Detector("mailchimp_key", MailchimpDetector(), shape=r"-us\d"),
    Detector("npm_token", NpmDetector(), ("_authtoken",)),
    Detector("openai_key", OpenAIDetector(), ("t3blbkfj",)),
    Detector("pypi_token", PypiTokenDetector(), ("pypi-",)),
    Detector("sendgrid_key", SendGridDetector(), ("sg.",)),
    Detector("slack_token", SlackDetector(), ("xox", "hooks.slack.com")),
    Detector("square_secret", SquareOAuthDetector(), ("sq0csp-",)),
    Detector("stripe_key", StripeDetector(), ("k_live_",)),
    Detector("telegram_token", TelegramBotTokenDetector(), shape=r"\d{8,10}:"),
    Detector("twilio_key", TwilioKeyDetector(), shape=r"AC[a-z0-9]{32}|SK[a-z0-9]{32}"),
    # Formats detect-secrets lacks (pipeline.secrets.formats).
    Detector("age_secret_key", AgeSecretKeyDetector(), ("age-secret-key-1",)),
    Detector("anthropic_key", AnthropicKeyDetector(), ("sk-ant-",)),
    Detector("azure_client_secret", AzureClientSecretDetector(), ("q~",)),
    Detector("databricks_token", DatabricksTokenDetector(), ("dapi",)),
    Detector("digitalocean_token", DigitalOceanTokenDetector(), ("_v1_",)),
    Detector("github_token", GitHubFineGrainedTokenDetector(), ("github_pat_",)),
    Detector("google_api_key", GoogleApiKeyDetector(), ("aiza",)),
    Detector("google_oauth_secret", GoogleOAuthSecretDetector(), ("gocspx-",)),
    Detector("huggingface_token", HuggingFaceTokenDetector(), ("hf_",)),
    Detector("linear_key", LinearKeyDetector(), ("lin_api_",)),
    Detector("npm_token", NpmAccessTokenDetector(), ("npm_",)),
    Detector("openai_key", OpenAIProjectKeyDetector(), ("sk-proj-", "sk-svcacct-", "sk-admin-")),
    Detector("postman_key", PostmanKeyDetector(), ("pmak-",)),
    Detector("shopify_token", ShopifyTokenDetector(), ("shpat_", "shpca_", "shppa_", "shpss_")),
    Detector("slack_token", SlackAppTokenDetector(), ("xapp-",)),
    Detector("stripe_key", StripeWebhookSecretDetector(), ("whsec_",)),
    Detector("vault_token", VaultTokenDetector(), ("hvs.", "hvb.")),
)
# What the keyword plugin, the entropy check and private keys need in the line.
KEYWORD_LITERALS = ("key", "pass", "pwd", "secret", "contrase", "token", "auth", "cred", "salt")
KEYWORD = KeywordDetector()
KEYWORD_KIND = "secret_assignment"
ENTROPY_KIND = "high_entropy_secret"
PRIVATE_KEY_KIND = "private_key"

HEX_KIND = "hex_secret"

LITERALS = re.compile(
    "|".join(
        re.escape(literal)
        for literal in sorted(
            {lit for d in DETECTORS for lit in d.literals} | set(KEYWORD_LITERALS),
            key=len,
            reverse=True,
        )
    )
)
LITERALS_ANY_CASE = re.compile(LITERALS.pattern, re.IGNORECASE)
SHAPES = re.compile("|".join(f"(?:{d.shape})" for d in DETECTORS if d.shape))

_SECRET_NAME = (
    r"[\w.-]*(?:secret|token|passw(?:or)?d|pwd|api_?key|apikey|access_?key"
    r"|private_?key|signing_?key|auth(?!or)|credential|salt)[\w.-]*"
)
_TYPE_AND_SEPARATOR = r"""["']?\s*(?::\s*[\w\[\]., |]+?)?\s*(?:=|:|=>|:=)\s*"""
# Long literals assigned to names that sound secret, with an optional type annotation.
ASSIGNED_LITERAL = re.compile(
    rf"""(?P<name>{_SECRET_NAME}){_TYPE_AND_SEPARATOR}[rbuRB]?"""
    r"""(?P<q>["'`])(?P<value>[^"'`\s]{16,})(?P=q)""",
    re.IGNORECASE,
)
# The same without quotes, for files whose values need none (.env, YAML, INI, Dockerfile).
ASSIGNED_BARE = re.compile(
    rf"""(?P<name>{_SECRET_NAME})["']?[ \t]*(?:=|:)[ \t]*"""
    r"""(?P<value>[^\s"'`#;,{}\[\]]{16,})(?=$|[\s#;,}\]])""",
    re.IGNORECASE,
)
# A 64-hex value (256 bits: ``secrets.token_hex(32)``, HMAC and signing keys) is a key under
# any name but a digest's: ``SEED = "9f8e..."`` is flagged, ``sha256 = "..."`` is not, and
# neither is a hex run inside a longer value (``sha256:...``, ``zh:...`` in lockfiles,
# ``model:<version hash>``): the name starts a line or follows a space, bracket or separator.
ASSIGNED_HEX = re.compile(
    r"""(?<![^\s{(\[,;&?])(?P<nq>["'`]?)(?P<name>[A-Za-z_$][\w$-]*)(?P=nq)[ \t]*"""
    r"""(?::[ \t]*[\w\[\]., |]+?)?[ \t]*(?:=|:|=>|:=)[ \t]*[rbuRB]?"""
    r"""(?P<q>["'`]?)(?P<value>[0-9a-fA-F]{64})(?P=q)(?![\w./+=:-])"""
)
DIGEST_NAME = re.compile(
    r"hash|sha|md5|digest|checksum|sum$|integrity|fingerprint|etag|commit|rev|oid|uuid|guid"
    r"|signature|nonce|expect|nar|cid|blob|tree|object|ref$|version|(?:^|_|-)ids?$|^id|test|fixture|vector",
    re.IGNORECASE,
)
# Well-known digests that are no one's secret (SHA-256 of nothing).
KNOWN_DIGESTS = frozenset({"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"})

PLACEHOLDER_WORDS = (
    "changeme",
    "change_me",
    "change-me",
    "changethis",
    "change_this",
    "change-this",
    "xxx",
    "your",
    "example",
    "dummy",
    "placeholder",
    "fake",
    "sample",
    "redacted",
    "todo",
    "fixme",
    "insert",
    "replace",
    "secret",
    "password",
    "passwd",
    "apikey",
    "token",
    "credential",
    "notreal",
    "foobar",
    "test",
    # A value that says where it must not go (homebox's Taskfile:
    # "dev-only-pepper-not-for-production-use-32b+").
    "not-for-prod",
    "not_for_prod",
    "notforprod",
    "dev-only",
    "dev_only",
    "do-not-use",
    "do_not_use",
)
REFERENCE_MARKERS = (
    "os.environ",
    "getenv",
    "process.env",
    "env(",
    "env[",
    "environ",
    "settings.",
    "config.",
    "vault:",
    "secrets.",
    "secretkeyref",
)
ENV_NAME = re.compile(r"[A-Z][A-Z0-9_]*_[A-Z0-9_]+")
IDENTIFIER = re.compile(r"[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)+")
TOKEN_TAIL = re.compile(r"[\w\-.+/=]*")
# A regular expression: a counted quantifier, or several alternatives. No key format and
# no generated password alphabet (Django's included) uses `{n,m}` or `|`.
_REGEX_SHAPE = re.compile(r"\{\d+(,\d*)?\}|\|.*\|")
_REPEATED = re.compile(r"(.{1,16}?)\1+")  # deadbeefdeadbeef...: a pattern, not a key
# A version or a version range (``5.0.0-1667386184.dfbbb54``, ``^4.0.1``, ``>=2.0.0rc1``,
# ``v1.2.3+build.7``): a dependency's version is public, never a secret, whatever the name it
# stands under (``"@nuxtjs/auth-next": "5.0.0-..."`` names a package, not a credential).
_VERSION = re.compile(
    r"(?:[\^~]|[<>]=?|[=!~]=|=)?v?\d+(?:\.\d+){1,3}"
    r"(?:-[0-9A-Za-z]+(?:[.-][0-9A-Za-z]+)*"  # semver's pre-release
    r"|(?:[.-]?(?:a|b|c|rc|alpha|beta|pre|preview|dev|post)\d*)+)?"  # PEP 440's
    r"(?:\+[0-9A-Za-z]+(?:[.-][0-9A-Za-z]+)*)?"
)
CONFIG_NAMES = (".npmrc", ".yarnrc", ".pypirc", ".netrc", ".pgpass", ".htpasswd")


def plugin_values(plugin: BasePlugin, line: str) -> Iterator[str]:
    """The secret part of each match of a detect-secrets regex plugin.

    Plugins mix styles: a group may hold the value (``aws ... "(value)"``, ``://u:(pw)@``) or
    only a prefix (``(ghp|gho)_...``); the value group is the one that closes the match.
    Lazy tails (JWT's third segment) are extended to the end of the token.
    """
    for pattern in getattr(plugin, "denylist", ()):
        for hit in pattern.finditer(line):
            if hit.re.groups and hit.group(1) and hit.end(1) >= hit.end() - 1:
                yield hit.group(1)
                continue
            tail = TOKEN_TAIL.match(line, hit.end())
            value = line[hit.start() : tail.end() if tail else hit.end()].strip(" \t\"'=:")
            if value:
                yield value


def is_placeholder(value: str, known_format: bool = False) -> bool:
    """Template, reference, label or dummy: a value that is not a real credential.

    A value in a known key format (``ghp_...``) is not judged by its shape, only by words.
    """
    stripped = value.strip("\"'`")
    lowered = stripped.lower()
    if not stripped or len(set(stripped)) <= 2 or is_templated_secret(stripped):
        return True
    if "***" in stripped or "..." in stripped or "\u2026" in stripped:  # masked or elided
        return True
    if stripped.startswith(("$", "%(", "{{", "<", "/", "./", "~/", "@")) or " " in stripped:
        return True
    if _BARE_ORIGIN.fullmatch(stripped):
        return True  # `resetPasswordLink = 'https://documenso.com'`: an address, not a key
    if any(word in lowered for word in PLACEHOLDER_WORDS):
        return True
    # `postgresql://user:pass@host` in a regex's comment (posthog-python); "pass123", a
    # stand-in word with digits after it (croc's public relay password).
    if lowered in _PLACEHOLDER_VALUES or re.sub(r"\d+$", "", lowered) in _PLACEHOLDER_VALUES:
        return True
    if _MY_WORD.fullmatch(lowered):
        return True  # "mypass", "mysecret": a sample config's stand-in (ntfy's client.yml)
    if any(word in decoded_text(stripped).lower() for word in PLACEHOLDER_WORDS):
        return True
    # "P@ssw0rd", "s3cr3t": a placeholder spelled with digits and symbols for letters.
    if any(word in lowered.translate(_LEET) for word in ("password", "secret", "changeme")):
        return True
    if any(marker in lowered for marker in REFERENCE_MARKERS) or re.search(r"[(\[]", stripped):
        return True
    if known_format:
        return False
    if is_version(stripped):
        return True
    # A run of digits ("0123456789", "123456") is a dummy login, not a credential.
    if stripped.isdigit() and (is_sequential_string(stripped) or len(set(stripped)) <= 4):
        return True
    return bool(ENV_NAME.fullmatch(stripped) or IDENTIFIER.fullmatch(stripped))


# Whole values that only stand in for a password: too short for the word list above.
# Words that say no value is known: `secretIdentity: "Unknown"` in jsoncrack's sample data.
_PLACEHOLDER_VALUES = frozenset(
    {"pass", "pwd", "pw", "passwd", "pword", "abc", "abc123"}
    | {"unknown", "none", "null", "nil", "undefined", "n/a", "tbd", "todo", "redacted", "hidden"}
    # A type's name where a generated reference shows each field's type (lemmy's
    # defaults.hjson: `api_key: "string"`), and the demo admin's stand-in ("admin123").
    | {"string", "str", "admin"}
    # What a crash report writes over a credential before printing its options (awslogs:
    # `options["aws_secret_access_key"] = "SENSITIVE"`): the value taken out, not one put in.
    | {"sensitive", "masked", "removed", "omitted", "scrubbed", "filtered", "censored"}
    # The name of a hash or signing algorithm (pocket-id's OidcClientSecretHashSHA256 =
    # "sha256", OidcClientSecretHashBcrypt = "bcrypt"): which function, not a key.
    | {"sha1", "sha256", "sha384", "sha512", "md5", "bcrypt", "scrypt", "argon2", "argon2id"}
    | {"pbkdf2", "hmac", "hs256", "hs384", "hs512", "rs256", "es256", "eddsa", "ed25519"}
)
# A scheme, a host and at most a port: no user, no path, no query to carry a token.
_BARE_ORIGIN = re.compile(r"[a-z][a-z0-9+.-]*://[a-z0-9.-]+(:\d+)?/?", re.I)
_MY_WORD = re.compile(r"my[_-]?(pass|passwd|password|pwd|secret|token|key|api[_-]?key)\d*")
_LEET = str.maketrans({"@": "a", "4": "a", "0": "o", "1": "i", "3": "e", "$": "s", "5": "s"})
_BASE64 = re.compile(r"[A-Za-z0-9+/_-]{16,}={0,2}")


def decoded_text(value: str) -> str:
    """The text a base64 value spells, when it decodes to printable words ("" otherwise).

    JHipster's sample JWT key is base64 of "my-secret-key-which-should-be-changed-in-
    production...": a placeholder that says so once decoded. Random key bytes never decode
    to printable text."""
    if not _BASE64.fullmatch(value):
        return ""
    try:
        raw = base64.b64decode(value + "=" * (-len(value) % 4), altchars=b"-_", validate=False)
        text = raw.decode("ascii")
    except ValueError:
        return ""
    text = text.rstrip("\n")
    if len(text) < 12 or not all(c.isprintable() for c in text):
        return ""
    return text


def is_version(value: str) -> bool:
    """Whether ``value`` is a version or a version range: public, never a secret."""
    return _VERSION.fullmatch(value) is not None


def is_jwt(value: str) -> bool:
    """Whether an ``eyJ...`` token is a JWT: its first segment decodes to a JSON header
    naming its algorithm (``{"alg": ...}``). Other signed tokens (itsdangerous's) also start
    with base64 JSON, but carry data, not a header."""
    head = value.split(".", 1)[0]
    try:
        decoded = base64.urlsafe_b64decode(head + "=" * (-len(head) % 4))
        header = json.loads(decoded)
    except ValueError:
        return True  # cannot tell: keep the detector's verdict
    return isinstance(header, dict) and "alg" in header


@functools.lru_cache(maxsize=1024)
def keyword_rules(path: str) -> dict[re.Pattern[str], int]:
    """Config-like files allow unquoted values (``PASSWORD=x``); code needs the quotes."""
    if is_config_file(path):
        return CONFIG_DENYLIST_REGEX_TO_GROUP
    name = path.rsplit("/", 1)[-1].lower()
    rules = REGEX_BY_FILETYPE.get(determine_file_type(name))
    return rules if rules is not None else QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP


@functools.lru_cache(maxsize=1024)
def is_config_file(path: str) -> bool:
    """Files whose values go unquoted: .env, shell, Dockerfiles, YAML, INI, TOML, rc files."""
    name = path.rsplit("/", 1)[-1].lower()
    if name.startswith(".env") or name.endswith((".env", ".sh", ".bash")) or "dockerfile" in name:
        return True
    if name in CONFIG_NAMES:
        return True
    return REGEX_BY_FILETYPE.get(determine_file_type(name)) is CONFIG_DENYLIST_REGEX_TO_GROUP


def looks_random(value: str) -> bool:
    """Long, mixed letters and digits, and high Shannon entropy: a key, not a word."""
    if "://" in value or not re.search(r"\d", value) or not re.search(r"[A-Za-z]", value):
        return False
    if not value.isascii():
        return False  # Japanese prose has no spaces; keys are ASCII (memos' ja.json)
    if _REGEX_SHAPE.search(value):
        return False  # `H{1,2}|h{1,2}|m{1,2}|...`: a pattern's quantifiers and alternatives
    if is_sequential_string(value) or _REPEATED.fullmatch(value):
        return False
    counts: dict[str, int] = {}
    for char in value:
        counts[char] = counts.get(char, 0) + 1
    entropy = -sum(c / len(value) * math.log2(c / len(value)) for c in counts.values())
    is_hex = re.fullmatch(r"[0-9a-fA-F]+", value) is not None
    return entropy >= (3.0 if is_hex else 3.5)
