"""What counts as a secret: detect-secrets plugins with their markers, and placeholders."""

from __future__ import annotations

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


@dataclass(frozen=True)
class Detector:
    """A detect-secrets plugin and the cheap markers without which it cannot match a line."""

    kind: str
    plugin: BasePlugin
    literals: tuple[str, ...] = ()  # lowercase substrings, any of which must be in the line
    shape: str | None = None  # or a case-sensitive regex that must match


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
)
# What the keyword plugin, the entropy check and private keys need in the line.
KEYWORD_LITERALS = ("key", "pass", "pwd", "secret", "contrase", "token", "auth", "cred", "salt")
KEYWORD = KeywordDetector()
KEYWORD_KIND = "secret_assignment"
ENTROPY_KIND = "high_entropy_secret"
PRIVATE_KEY_KIND = "private_key"

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
SHAPE_BY_KIND = {d.kind: re.compile(d.shape) for d in DETECTORS if d.shape}

# Long literals assigned to names that sound secret, with an optional type annotation.
ASSIGNED_LITERAL = re.compile(
    r"""(?P<name>[\w.-]*(?:secret|token|passw(?:or)?d|pwd|api_?key|apikey|access_?key"""
    r"""|private_?key|signing_?key|auth|credential|salt)[\w.-]*)["']?\s*"""
    r"""(?::\s*[\w\[\]., |]+?)?\s*(?:=|:|=>|:=)\s*[rbuRB]?"""
    r"""(?P<q>["'`])(?P<value>[^"'`\s]{16,})(?P=q)""",
    re.IGNORECASE,
)

PLACEHOLDER_WORDS = (
    "changeme",
    "change_me",
    "change-me",
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
    if "***" in stripped:  # already masked
        return True
    if stripped.startswith(("$", "%(", "{{", "<", "/", "./", "~/", "@")) or " " in stripped:
        return True
    if any(word in lowered for word in PLACEHOLDER_WORDS):
        return True
    if any(marker in lowered for marker in REFERENCE_MARKERS) or re.search(r"[(\[]", stripped):
        return True
    if known_format:
        return False
    return bool(ENV_NAME.fullmatch(stripped) or IDENTIFIER.fullmatch(stripped))


def keyword_rules(path: str) -> dict[re.Pattern[str], int]:
    """Config-like files allow unquoted values (``PASSWORD=x``); code needs the quotes."""
    name = path.rsplit("/", 1)[-1].lower()
    if name.startswith(".env") or name.endswith((".env", ".sh", ".bash")) or "dockerfile" in name:
        return CONFIG_DENYLIST_REGEX_TO_GROUP
    rules = REGEX_BY_FILETYPE.get(determine_file_type(name))
    return rules if rules is not None else QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP


def looks_random(value: str) -> bool:
    """Long, mixed letters and digits, and high Shannon entropy: a key, not a word."""
    if "://" in value or not re.search(r"\d", value) or not re.search(r"[A-Za-z]", value):
        return False
    if is_sequential_string(value):
        return False
    counts: dict[str, int] = {}
    for char in value:
        counts[char] = counts.get(char, 0) + 1
    entropy = -sum(c / len(value) * math.log2(c / len(value)) for c in counts.values())
    is_hex = re.fullmatch(r"[0-9a-fA-F]+", value) is not None
    return entropy >= (3.0 if is_hex else 3.5)
