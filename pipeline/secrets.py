"""The one secret detector of the project: probes report what it finds, prompts get it redacted.

Known key formats come from the ``detect-secrets`` plugins (AWS, GitHub, GitLab, Slack,
Stripe, private keys, JWT, basic-auth URLs, ``password = "..."`` keywords, ...). On top of
them an entropy check catches long random literals assigned to secret-looking names, which
the keyword plugin misses (it knows no ``token`` and no annotated assignments).

Speed: one cheap regex over the whole text picks candidate lines; only those lines meet the
plugins. Placeholders (``changeme``, ``<your-key>``, ``${VAR}``, ``os.environ[...]``, ...)
are not secrets; a commented-out secret still is, and says so in ``SecretMatch.commented``.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
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
class _Detector:
    """A detect-secrets plugin and the cheap markers without which it cannot match a line."""

    kind: str
    plugin: BasePlugin
    literals: tuple[str, ...] = ()  # lowercase substrings, any of which must be in the line
    shape: str | None = None  # or a case-sensitive regex that must match


# Every marker is a necessary part of its plugin's pattern; the tests plant one sample per
# format, so a marker that stops covering its plugin fails them.
_DETECTORS: tuple[_Detector, ...] = (
    _Detector("aws_key", AWSKeyDetector(), ("a3t", "abia", "acca", "akia", "asia", "aws")),
    _Detector("azure_storage_key", AzureStorageKeyDetector(), ("accountkey=",)),
    _Detector("basic_auth", BasicAuthDetector(), shape=r"://\S+@"),
    _Detector("discord_token", DiscordBotTokenDetector(), shape=r"[MNO][\w-]{23,25}\.[\w-]{6}\."),
    _Detector("github_token", GitHubTokenDetector(), shape=r"gh[pousr]_"),
    _Detector("gitlab_token", GitLabTokenDetector(), ("gr1348941",), r"gl[a-z]{2,6}-"),
    _Detector("jwt", JwtTokenDetector(), ("eyj",)),
    _Detector("mailchimp_key", MailchimpDetector(), shape=r"-us\d"),
    _Detector("npm_token", NpmDetector(), ("_authtoken",)),
    _Detector("openai_key", OpenAIDetector(), ("t3blbkfj",)),
    _Detector("pypi_token", PypiTokenDetector(), ("pypi-",)),
    _Detector("sendgrid_key", SendGridDetector(), ("sg.",)),
    _Detector("slack_token", SlackDetector(), ("xox", "hooks.slack.com")),
    _Detector("square_secret", SquareOAuthDetector(), ("sq0csp-",)),
    _Detector("stripe_key", StripeDetector(), ("k_live_",)),
    _Detector("telegram_token", TelegramBotTokenDetector(), shape=r"\d{8,10}:"),
    _Detector("twilio_key", TwilioKeyDetector(), shape=r"AC[a-z0-9]{32}|SK[a-z0-9]{32}"),
)
# What the keyword plugin, the entropy check and private keys need in the line.
_KEYWORD_LITERALS = ("key", "pass", "pwd", "secret", "contrase", "token", "auth", "cred", "salt")
_KEYWORD = KeywordDetector()
_KEYWORD_KIND = "secret_assignment"
_ENTROPY_KIND = "high_entropy_secret"
_PRIVATE_KEY_KIND = "private_key"

_LITERALS = re.compile(
    "|".join(
        re.escape(literal)
        for literal in sorted(
            {lit for d in _DETECTORS for lit in d.literals} | set(_KEYWORD_LITERALS),
            key=len,
            reverse=True,
        )
    )
)
_LITERALS_ANY_CASE = re.compile(_LITERALS.pattern, re.IGNORECASE)
_SHAPES = re.compile("|".join(f"(?:{d.shape})" for d in _DETECTORS if d.shape))
_SHAPE_BY_KIND = {d.kind: re.compile(d.shape) for d in _DETECTORS if d.shape}

# Long literals assigned to names that sound secret, with an optional type annotation.
_ASSIGNED_LITERAL = re.compile(
    r"""(?P<name>[\w.-]*(?:secret|token|passw(?:or)?d|pwd|api_?key|apikey|access_?key"""
    r"""|private_?key|signing_?key|auth|credential|salt)[\w.-]*)["']?\s*"""
    r"""(?::\s*[\w\[\]., |]+?)?\s*(?:=|:|=>|:=)\s*[rbuRB]?"""
    r"""(?P<q>["'`])(?P<value>[^"'`\s]{16,})(?P=q)""",
    re.IGNORECASE,
)

_PLACEHOLDER_WORDS = (
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
_REFERENCE_MARKERS = (
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
_ENV_NAME = re.compile(r"[A-Z][A-Z0-9_]*_[A-Z0-9_]+")
_IDENTIFIER = re.compile(r"[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)+")
_COMMENT_AT_START = re.compile(r"\s*(?:#|//|--(?:\s|$)|;|/\*|\*|<!--|REM\s|rem\s|%)")
_BASE64_BODY = re.compile(r"[A-Za-z0-9+/=]{40,}")
_PRIVATE_KEY_BEGIN = re.compile(
    r"-----BEGIN (?:(?:RSA|DSA|EC|OPENSSH|ENCRYPTED|PGP|SSH2 ENCRYPTED) )?"
    r"PRIVATE KEY(?: BLOCK)?-----"
)
_PRIVATE_KEY_END = re.compile(r"-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----")
_TOKEN_TAIL = re.compile(r"[\w\-.+/=]*")
# Line breaks as Python's ast and editors count them (str.splitlines also splits on \f etc).
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_LINE_BREAK_KEPT = re.compile(r"(\r\n|\r|\n)")
_LONG_LINE = 2000
_WINDOW_BEFORE, _WINDOW_AFTER = 256, 768
_ALLOWLIST_PRAGMA = "pragma: allowlist secret"


@dataclass(frozen=True)
class SecretMatch:
    """One secret in a text: 1-based line, column span of the value in that line, masked."""

    line: int
    kind: str
    start: int
    end: int
    masked: str
    commented: bool = False
    end_line: int | None = None  # a multi-line private key ends here (inclusive)


def find_secrets(text: str, path: str = "") -> list[SecretMatch]:
    """Find the secrets in ``text`` (``path`` tunes the keyword rules to the file type)."""
    lines = _LINE_BREAK.split(text)
    found: list[SecretMatch] = []
    skip_until = 0
    for number, columns in _candidate_lines(text).items():
        if number <= skip_until:
            continue
        line = lines[number - 1]
        if _ALLOWLIST_PRAGMA in line:
            continue
        key = _private_key(lines, number)
        if key is not None:
            found.append(key)
            skip_until = key.end_line or number
            continue
        if len(line) <= _LONG_LINE:
            found.extend(_line_secrets(line, number, path))
            continue
        # Minified code and embedded blobs: the plugins' regexes turn quadratic on long
        # runs of word characters, so only the text around each marker is scanned.
        for lo, hi in _marker_windows(columns, len(line)):
            for match in _line_secrets(line[lo:hi], number, path):
                start, end = match.start + lo, match.end + lo
                found.append(
                    dataclasses.replace(
                        match, start=start, end=end, commented=_is_commented(line, start)
                    )
                )
    return found


def redact_secrets(text: str, path: str = "") -> tuple[str, int]:
    """Replace every secret value with ``[REDACTED:<kind>]``; line count is kept."""
    matches = find_secrets(text, path)
    if not matches:
        return text, 0
    pieces = _LINE_BREAK_KEPT.split(text)
    lines = [
        pieces[i] + (pieces[i + 1] if i + 1 < len(pieces) else "") for i in range(0, len(pieces), 2)
    ]
    by_line: dict[int, list[SecretMatch]] = {}
    for match in matches:
        by_line.setdefault(match.line, []).append(match)
        # The body lines of a multi-line key vanish but their line breaks stay.
        for body in range(match.line + 1, (match.end_line or match.line) + 1):
            lines[body - 1] = _line_break(lines[body - 1])
    for number, line_matches in by_line.items():
        line = lines[number - 1]
        for match in sorted(line_matches, key=lambda m: m.start, reverse=True):
            line = f"{line[: match.start]}[REDACTED:{match.kind}]{line[match.end :]}"
        lines[number - 1] = line
    return "".join(lines), len(matches)


def mask(value: str) -> str:
    """Show at most the first four characters of a secret, fewer for short ones."""
    shown = 4 if len(value) >= 16 else 2 if len(value) >= 8 else 0
    return value[:shown] + "****"


def _candidate_lines(text: str) -> dict[int, list[int]]:
    """The lines (1-based, in order) that hold a marker, with the markers' columns."""
    lowered = text.lower()
    literal_hits: Iterator[re.Match[str]]
    if len(lowered) == len(text):
        literal_hits = _LITERALS.finditer(lowered)
    else:  # some characters change length when lowered: search case-insensitively instead
        literal_hits = _LITERALS_ANY_CASE.finditer(text)
    offsets = {hit.start() for hit in literal_hits}
    offsets.update(hit.start() for hit in _SHAPES.finditer(text))
    if not offsets:
        return {}
    pieces = _LINE_BREAK_KEPT.split(text)
    starts = [0, *itertools.islice(itertools.accumulate(map(len, pieces)), 1, None, 2)]
    lines: dict[int, list[int]] = {}
    for offset in sorted(offsets):
        number = bisect.bisect_right(starts, offset)
        lines.setdefault(number, []).append(offset - starts[number - 1])
    return lines


def _marker_windows(columns: list[int], length: int) -> list[tuple[int, int]]:
    """Disjoint column ranges around the markers of a long line."""
    windows: list[tuple[int, int]] = []
    for column in columns:
        lo, hi = max(0, column - _WINDOW_BEFORE), min(length, column + _WINDOW_AFTER)
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], hi))
        else:
            windows.append((lo, hi))
    return windows


def _line_secrets(line: str, number: int, path: str) -> list[SecretMatch]:
    spans: list[tuple[int, int, str]] = []

    def add(value: str, kind: str, search_from: int = 0) -> None:
        start = line.find(value, search_from)
        if start < 0 or any(s < start + len(value) and start < e for s, e, _ in spans):
            return
        spans.append((start, start + len(value), kind))

    lowered = line.lower()
    for detector in _DETECTORS:
        shape = _SHAPE_BY_KIND.get(detector.kind)
        if not any(lit in lowered for lit in detector.literals) and not (
            shape and shape.search(line)
        ):
            continue
        for value in _plugin_values(detector.plugin, line):
            if not _is_placeholder(value, known_format=True):
                add(value, detector.kind)
    if not any(literal in lowered for literal in _KEYWORD_LITERALS):
        return _matches(line, number, spans)
    for value in _KEYWORD.analyze_string(line, denylist_regex_to_group=_keyword_rules(path)):
        if len(value) >= 6 and not _is_placeholder(value):
            add(value, _KEYWORD_KIND)
    for hit in _ASSIGNED_LITERAL.finditer(line):
        value = hit.group("value")
        if _looks_random(value) and not _is_placeholder(value):
            add(value, _ENTROPY_KIND, hit.start("value"))
    return _matches(line, number, spans)


def _matches(line: str, number: int, spans: list[tuple[int, int, str]]) -> list[SecretMatch]:
    return [
        SecretMatch(
            line=number,
            kind=kind,
            start=start,
            end=end,
            masked=mask(line[start:end]),
            commented=_is_commented(line, start),
        )
        for start, end, kind in sorted(spans)
    ]


def _plugin_values(plugin: BasePlugin, line: str) -> Iterator[str]:
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
            tail = _TOKEN_TAIL.match(line, hit.end())
            value = line[hit.start() : tail.end() if tail else hit.end()].strip(" \t\"'=:")
            if value:
                yield value


def _private_key(lines: list[str], number: int) -> SecretMatch | None:
    """A private key block, if the line opens one with key material after it (not a mention)."""
    line = lines[number - 1]
    begin = _PRIVATE_KEY_BEGIN.search(line)
    if begin is None and "PuTTY-User-Key-File-2" in line:
        begin = re.search(r"PuTTY-User-Key-File-2", line)
    if begin is None:
        return None
    rest = line[begin.end() :]
    commented = _is_commented(line, begin.start())
    if _BASE64_BODY.search(rest.replace("\\n", "")):
        end = _PRIVATE_KEY_END.search(rest)
        stop = begin.end() + end.end() if end else len(line.rstrip().rstrip("\"',;"))
        return SecretMatch(number, _PRIVATE_KEY_KIND, begin.start(), stop, "-----****", commented)
    for offset in range(number, min(number + 200, len(lines))):
        body = lines[offset]
        if _PRIVATE_KEY_END.search(body):
            if offset == number:
                return None  # BEGIN followed right away by END: no key material
            return SecretMatch(
                number,
                _PRIVATE_KEY_KIND,
                begin.start(),
                len(line),
                "-----****",
                commented,
                end_line=offset + 1,
            )
        if offset == number and not re.search(r"[A-Za-z0-9+/=]{20,}|^[\w-]+:", body.strip()):
            return None
    return None


def _is_placeholder(value: str, known_format: bool = False) -> bool:
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
    if any(word in lowered for word in _PLACEHOLDER_WORDS):
        return True
    if any(marker in lowered for marker in _REFERENCE_MARKERS) or re.search(r"[(\[]", stripped):
        return True
    if known_format:
        return False
    return bool(_ENV_NAME.fullmatch(stripped) or _IDENTIFIER.fullmatch(stripped))


def _keyword_rules(path: str) -> dict[re.Pattern[str], int]:
    """Config-like files allow unquoted values (``PASSWORD=x``); code needs the quotes."""
    name = path.rsplit("/", 1)[-1].lower()
    if name.startswith(".env") or name.endswith((".env", ".sh", ".bash")) or "dockerfile" in name:
        return CONFIG_DENYLIST_REGEX_TO_GROUP
    rules = REGEX_BY_FILETYPE.get(determine_file_type(name))
    return rules if rules is not None else QUOTES_REQUIRED_DENYLIST_REGEX_TO_GROUP


def _looks_random(value: str) -> bool:
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


def _is_commented(line: str, start: int) -> bool:
    if _COMMENT_AT_START.match(line):
        return True
    before = line[:start]
    return re.search(r"(?:^|\s)#|(?<!:)//", before) is not None


def _line_break(line: str) -> str:
    return line[len(line.rstrip("\r\n")) :]
