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
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from pipeline.lines import LINE_BREAK
from pipeline.secrets.rules import (
    ASSIGNED_LITERAL,
    DETECTORS,
    ENTROPY_KIND,
    KEYWORD,
    KEYWORD_KIND,
    KEYWORD_LITERALS,
    LITERALS,
    LITERALS_ANY_CASE,
    PRIVATE_KEY_KIND,
    SHAPE_BY_KIND,
    SHAPES,
    is_placeholder,
    keyword_rules,
    looks_random,
    plugin_values,
)

_COMMENT_AT_START = re.compile(r"\s*(?:#|//|--(?:\s|$)|;|/\*|\*|<!--|REM\s|rem\s|%)")
_BASE64_BODY = re.compile(r"[A-Za-z0-9+/=]{40,}")
_PRIVATE_KEY_BEGIN = re.compile(
    r"-----BEGIN (?:(?:RSA|DSA|EC|OPENSSH|ENCRYPTED|PGP|SSH2 ENCRYPTED) )?"
    r"PRIVATE KEY(?: BLOCK)?-----"
)
_PRIVATE_KEY_END = re.compile(r"-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----")
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
    lines = LINE_BREAK.split(text)
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
    """Replace every secret value with ``[REDACTED:<kind>]``; line count is kept.

    For text that is not a repository file (messages, prompts): repository files are
    redacted once, by ingest, through :func:`redact_lines`.
    """
    matches = find_secrets(text, path)
    if not matches:
        return text, 0
    pieces = _LINE_BREAK_KEPT.split(text)
    lines = pieces[0::2]
    breaks = pieces[1::2]
    redacted = redact_lines(lines, matches)
    out = [line + (breaks[i] if i < len(breaks) else "") for i, line in enumerate(redacted)]
    return "".join(out), len(matches)


def redact_lines(lines: list[str] | tuple[str, ...], matches: Iterable[SecretMatch]) -> list[str]:
    """``lines`` with each secret replaced by ``[REDACTED:<kind>]``; the line count is kept.

    The body lines of a multi-line private key become empty lines.
    """
    out = list(lines)
    by_line: dict[int, list[SecretMatch]] = {}
    for match in matches:
        by_line.setdefault(match.line, []).append(match)
        for body in range(match.line + 1, (match.end_line or match.line) + 1):
            if body <= len(out):
                out[body - 1] = ""
    for number, line_matches in by_line.items():
        if number > len(out):
            continue
        line = out[number - 1]
        for match in sorted(line_matches, key=lambda m: m.start, reverse=True):
            line = f"{line[: match.start]}[REDACTED:{match.kind}]{line[match.end :]}"
        out[number - 1] = line
    return out


def mask(value: str) -> str:
    """Show at most the first four characters of a secret, fewer for short ones."""
    shown = 4 if len(value) >= 16 else 2 if len(value) >= 8 else 0
    return value[:shown] + "****"


def _candidate_lines(text: str) -> dict[int, list[int]]:
    """The lines (1-based, in order) that hold a marker, with the markers' columns."""
    lowered = text.lower()
    literal_hits: Iterator[re.Match[str]]
    if len(lowered) == len(text):
        literal_hits = LITERALS.finditer(lowered)
    else:  # some characters change length when lowered: search case-insensitively instead
        literal_hits = LITERALS_ANY_CASE.finditer(text)
    offsets = {hit.start() for hit in literal_hits}
    offsets.update(hit.start() for hit in SHAPES.finditer(text))
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
    for detector in DETECTORS:
        shape = SHAPE_BY_KIND.get(detector.kind)
        if not any(lit in lowered for lit in detector.literals) and not (
            shape and shape.search(line)
        ):
            continue
        for value in plugin_values(detector.plugin, line):
            if not is_placeholder(value, known_format=True):
                add(value, detector.kind)
    if not any(literal in lowered for literal in KEYWORD_LITERALS):
        return _matches(line, number, spans)
    for value in KEYWORD.analyze_string(line, denylist_regex_to_group=keyword_rules(path)):
        if len(value) >= 6 and not is_placeholder(value):
            add(value, KEYWORD_KIND)
    for hit in ASSIGNED_LITERAL.finditer(line):
        value = hit.group("value")
        if looks_random(value) and not is_placeholder(value):
            add(value, ENTROPY_KIND, hit.start("value"))
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
        return SecretMatch(number, PRIVATE_KEY_KIND, begin.start(), stop, "-----****", commented)
    for offset in range(number, min(number + 200, len(lines))):
        body = lines[offset]
        if _PRIVATE_KEY_END.search(body):
            if offset == number:
                return None  # BEGIN followed right away by END: no key material
            return SecretMatch(
                number,
                PRIVATE_KEY_KIND,
                begin.start(),
                len(line),
                "-----****",
                commented,
                end_line=offset + 1,
            )
        if offset == number and not re.search(r"[A-Za-z0-9+/=]{20,}|^[\w-]+:", body.strip()):
            return None
    return None


def _is_commented(line: str, start: int) -> bool:
    if _COMMENT_AT_START.match(line):
        return True
    before = line[:start]
    return re.search(r"(?:^|\s)#|(?<!:)//", before) is not None
