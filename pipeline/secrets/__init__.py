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

from detect_secrets.plugins.aws import get_secret_access_keys
from detect_secrets.util.code_snippet import CodeSnippet

from pipeline.lines import LINE_BREAK
from pipeline.secrets.rules import (
    ASSIGNED_BARE,
    ASSIGNED_HEX,
    ASSIGNED_LITERAL,
    DETECTORS,
    DIGEST_NAME,
    ENTROPY_KIND,
    HEX_KIND,
    KEYWORD,
    KEYWORD_KIND,
    KEYWORD_LITERALS,
    KNOWN_DIGESTS,
    LITERALS,
    LITERALS_ANY_CASE,
    PRIVATE_KEY_KIND,
    SHAPES,
    is_config_file,
    is_jwt,
    is_placeholder,
    keyword_rules,
    looks_random,
    plugin_values,
)

_COMMENT_AT_START = re.compile(r"\s*(?:#|//|--(?:\s|$)|;|/\*|\*|<!--|REM\s|rem\s|%)")
_BASE64_BODY = re.compile(r"[A-Za-z0-9+/=]{40,}")
_PRIVATE_KEY_BEGIN = re.compile(
    # Any words before PRIVATE KEY: cosign's "ENCRYPTED SIGSTORE PRIVATE KEY" (homebox's
    # backend/cosign.key), "ENCRYPTED COSIGN PRIVATE KEY".
    r"-----BEGIN (?:[A-Z0-9]+ ){0,3}"
    r"PRIVATE KEY(?: BLOCK)?-----"
)
_PRIVATE_KEY_END = re.compile(r"-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----")
_LINE_BREAK_KEPT = re.compile(r"(\r\n|\r|\n)")
_LONG_LINE = 2000
_WINDOW_BEFORE, _WINDOW_AFTER = 256, 768
_ALLOWLIST_PRAGMA = "pragma: allowlist secret"
_NPMRC_SETTING = re.compile(r"\s*//[\w.-]+(?::\d+)?(?:/\S*)?/:_?\w+\s*=")
_HEX_TOKEN = re.compile(r"(?<![0-9A-Za-z])[0-9a-fA-F]{64}(?![0-9A-Za-z])")
_HEX_TABLE = 3  # more 64-hex values than this in a file: a table of digests
_HEX_CONTEXT = 3  # lines above a value that may say it is a digest
_DIGEST_CONTEXT = re.compile(
    r"sha-?\d|hash|digest|checksum|integrity|fingerprint|\balg\b|md5|blake|commit|etag",
    re.IGNORECASE,
)
_AWS_KEY_ID = re.compile(r"(?:A3T[A-Z0-9]|ABIA|ACCA|AKIA|ASIA)[0-9A-Z]{16}")
# Greedy up to the authority's last "@": a password may hold a raw "@".
_URL_USERINFO = re.compile(r"(?P<scheme>\b[A-Za-z][A-Za-z0-9+.-]*://)[^/?#\s]+@")
_AWS_SECRET_SHAPE = re.compile(r"[A-Za-z0-9+/=]{40}")
_AWS_WINDOW = 3  # lines each side of a key id where its secret key may stand
_BASE64_CHAR = re.compile(r"[A-Za-z0-9+/=]")
AWS_KIND = "aws_key"


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
    found.extend(_aws_secret_keys(lines, found))
    found.extend(_hex_secrets(text, lines, found))
    specs = _dependency_table_lines(lines, path)
    if specs:  # a package name's value is a version spec, not a secret under a name
        found = [m for m in found if m.line not in specs or m.kind not in _NAMED_KINDS]
    return sorted(found, key=lambda m: (m.line, m.start))


# Manifests whose dependency tables map package names to version specs.
_JSON_MANIFESTS = ("package.json", "composer.json")
_DEPENDENCY_TABLE = re.compile(
    r'\s*"(?:(?:dev|peer|optional|bundled?)?dependencies|resolutions|overrides'
    r'|require(?:-dev)?)"\s*:\s*\{',
    re.IGNORECASE,
)
# Kinds found by the name a value stands under (not by its own format): under a package
# name in a dependency table that name is a package's (``@nuxtjs/auth-next``), not a key's.
_NAMED_KINDS = frozenset({KEYWORD_KIND, ENTROPY_KIND, HEX_KIND})


def _dependency_table_lines(lines: list[str], path: str) -> set[int]:
    """The 1-based lines inside a JSON manifest's dependency tables (``"dependencies": {``)."""
    if path.rsplit("/", 1)[-1].lower() not in _JSON_MANIFESTS:
        return set()
    inside: set[int] = set()
    depth = 0
    for number, line in enumerate(lines, start=1):
        if depth:
            inside.add(number)
            depth += line.count("{") - line.count("}")
            depth = max(depth, 0)
            continue
        table = _DEPENDENCY_TABLE.match(line)
        if table:
            inside.add(number)
            rest = line[table.end() :]
            depth = max(1 + rest.count("{") - rest.count("}"), 0)
    return inside


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


def redact_text(text: str) -> str:
    """Free text (an error message, a URL) with URL credentials masked and secrets redacted."""
    return redact_secrets(mask_url_credentials(text))[0]


def mask_url_credentials(text: str) -> str:
    """Every ``scheme://user:password@`` and ``scheme://token@`` in ``text`` as ``scheme://***@``."""
    return _URL_USERINFO.sub(r"\g<scheme>***@", text)


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


def is_aws_key_id(value: str) -> bool:
    """Whether ``value`` is an AWS access key id (it names a key; alone it signs nothing),
    maybe with the scope a credential string carries (``AKIA.../20220405/eu-central-1/s3``)."""
    return _AWS_KEY_ID.match(value) is not None and not _AWS_SECRET_SHAPE.search(value[20:])


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


# Names that hold something about a secret, not the secret: a status ("email_password_status"
# = "success"), a label, a URL, an id, or the key a context stores a value under.
_NO_SECRET_NAME = re.compile(
    r"(?i)(status|state|type|kind|field|label|mode|format|header|param|url|uri|path|prefix|"
    r"suffix|length|_id|_ids|Id|hash|Hash|_hashes|digest|Digest|checksum)$|^(context|ctx)\w*key$"
)
_ASSIGNED_NAME = re.compile(r"([A-Za-z_][\w.-]*)[\"'\]]*\s*(?::=|=>|=|:)\s*[rbu]?[\"'`]?$")


def _named_as_no_secret(line: str, value: str) -> bool:
    """Whether the value is compared, not assigned (``typeof apiKey === 'function'``), or
    the name it is assigned to says it is no secret."""
    before = line[: max(0, line.find(value))]
    if re.search(r"(==|!=)\s*[\"'`]?$", before):
        return True
    # A TypeScript type made of string literals names values, it holds none (rallly's
    # `export type PasswordQuality = "veryWeak" | "weak" | ...`).
    if re.match(r"\s*(export\s+)?(declare\s+)?type\s+\w+(<[^>]*>)?\s*=", line):
        return True
    found = _ASSIGNED_NAME.search(before)
    if found and _PUBLIC_KEY_ID.search(found.group(1)):
        return True
    return bool(found and _NO_SECRET_NAME.search(found.group(1).rsplit(".", 1)[-1]))


# git's `user.signingkey` names a GPG key by its public id or fingerprint (git-cliff's
# release.sh), as do key-id and fingerprint fields: the key itself is elsewhere.
_PUBLIC_KEY_ID = re.compile(r"(?i)^user\.signingkey$|(gpg|pgp)_?key_?id$|fingerprint$")


def _prefix_of_generated(line: str, value: str) -> bool:
    """A literal joined to what follows it (``"whsec_" + btoa(bytes)``): the fixed prefix
    of a value made at run time, not a secret of its own."""
    end = line.find(value) + len(value)
    return re.match(r"[\"'`]\s*\+", line[end:]) is not None


def _quoted(line: str, value: str) -> bool:
    """Whether ``value`` appears in ``line`` as (the start of) a quoted literal."""
    start = line.find(value)
    return start > 0 and line[start - 1] in "\"'`"


def _line_secrets(line: str, number: int, path: str) -> list[SecretMatch]:
    spans: list[tuple[int, int, str]] = []

    def add(value: str, kind: str, search_from: int = 0) -> None:
        start = line.find(value, search_from)
        if start < 0 or any(s < start + len(value) and start < e for s, e, _ in spans):
            return
        spans.append((start, start + len(value), kind))

    lowered = line.lower()
    for detector in DETECTORS:
        if not detector.may_match(line, lowered):
            continue
        for value in plugin_values(detector.plugin, line):
            if detector.kind == "jwt" and not is_jwt(value):
                continue
            if detector.kind == AWS_KIND and _inside_longer_run(line, value):
                continue
            if not is_placeholder(value, known_format=True):
                add(value, detector.kind)
    if any(literal in lowered for literal in KEYWORD_LITERALS):
        config = is_config_file(path)
        for value in KEYWORD.analyze_string(line, denylist_regex_to_group=keyword_rules(path)):
            # In code a literal is quoted: Go's `accountKey := c.AccountKey`, which the
            # plugin's Go rule takes bare, copies a variable, not a secret.
            if (
                len(value) >= 6
                and not is_placeholder(value)
                and (config or _quoted(line, value))
                and not _named_as_no_secret(line, value)
                and not _prefix_of_generated(line, value)
            ):
                add(value, KEYWORD_KIND)
        assigned = [ASSIGNED_LITERAL, ASSIGNED_BARE] if config else [ASSIGNED_LITERAL]
        for pattern in assigned:
            for hit in pattern.finditer(line):
                value = hit.group("value")
                # memos' seed: `"tokenHash":"7631cdaa..."` stores a digest, not the token.
                if (
                    looks_random(value)
                    and not is_placeholder(value)
                    and not _named_as_no_secret(line, value)
                ):
                    add(value, ENTROPY_KIND, hit.start("value"))
    return _matches(line, number, spans)


def _hex_secrets(text: str, lines: list[str], found: list[SecretMatch]) -> list[SecretMatch]:
    """64-hex values assigned to names that are no digest's, in a file that is no digest table.

    Digests are what 64-hex values mostly are, so a value counts only when neither its name
    nor the lines just above it speak of hashing (``INT_HASHES = {'zipf': '...'}``,
    ``"alg": "SHA-256", "content": "..."``) and the file holds few of them (SBOMs, lockfiles
    and test vectors hold many).
    """
    if not 1 <= len(_HEX_TOKEN.findall(text)) <= _HEX_TABLE:
        return []
    extra: list[SecretMatch] = []
    for number, line in enumerate(lines, start=1):
        if len(line) > _LONG_LINE or not _HEX_TOKEN.search(line) or _ALLOWLIST_PRAGMA in line:
            continue
        context = "\n".join(lines[max(0, number - 1 - _HEX_CONTEXT) : number])
        if _DIGEST_CONTEXT.search(context):
            continue
        spans = [(m.start, m.end) for m in found if m.line == number]
        for hit in ASSIGNED_HEX.finditer(line):
            value, start, end = hit.group("value"), hit.start("value"), hit.end("value")
            if DIGEST_NAME.search(hit.group("name")) or value.lower() in KNOWN_DIGESTS:
                continue
            if _url_identifier(line, start, hit.group("name")):
                continue
            if not looks_random(value) or any(s < end and start < e for s, e in spans):
                continue
            extra.append(
                SecretMatch(
                    line=number,
                    kind=HEX_KIND,
                    start=start,
                    end=end,
                    masked=mask(value),
                    commented=_is_commented(line, start),
                )
            )
    return extra


def _url_identifier(line: str, start: int, name: str) -> bool:
    """A hex value inside a URL, under a query or path name that is no credential's
    (``https://www.sqlite.org/src/raw/ext/icu/icu.c?name=91c0...``: a file's artifact id)."""
    before = line[:start]
    scheme = before.rfind("://")
    if scheme < 0 or re.search(r"[\s\"'`]", before[scheme:]):
        return False
    return not re.search(r"(?i)token|key|secret|sig|pass|auth|cred|session", name)


def _aws_secret_keys(lines: list[str], found: list[SecretMatch]) -> list[SecretMatch]:
    """40-character AWS secret keys near an access key id: a tuple, a call's arguments.

    detect-secrets finds a secret key only under a name that says so; next to a key id a
    nameless one is just as plain. The plugin's own verifier regex (``get_secret_access_keys``)
    reads the few lines around each id, joined so a tuple split over lines reads as one.
    """
    extra: list[SecretMatch] = []
    taken: dict[int, list[tuple[int, int]]] = {}
    for m in found:
        taken.setdefault(m.line, []).append((m.start, m.end))
    for match in found:
        if match.kind != AWS_KIND or match.end_line is not None:
            continue
        if not _AWS_KEY_ID.fullmatch(lines[match.line - 1][match.start : match.end]):
            continue
        lo, hi = max(1, match.line - _AWS_WINDOW), min(len(lines), match.line + _AWS_WINDOW)
        window = [n for n in range(lo, hi + 1) if len(lines[n - 1]) <= _LONG_LINE]
        joined = " ".join(lines[n - 1].strip() for n in window)
        for value in get_secret_access_keys(CodeSnippet([joined], 0, 0)):
            if re.fullmatch(r"[0-9a-fA-F]+", value) or not looks_random(value):
                continue
            if is_placeholder(value, known_format=True):
                continue
            for n in window:
                start = _token_at(lines[n - 1], value)
                end = start + len(value) if start is not None else 0
                spans = taken.setdefault(n, [])
                if start is None or any(s < end and start < e for s, e in spans):
                    continue
                spans.append((start, end))
                extra.append(
                    SecretMatch(
                        line=n,
                        kind=AWS_KIND,
                        start=start,
                        end=end,
                        masked=mask(value),
                        commented=_is_commented(lines[n - 1], start),
                    )
                )
    return extra


def _inside_longer_run(line: str, value: str) -> bool:
    """A key id's shape inside a longer run of letters and digits: ``ACCA`` and 16 more
    characters in the middle of a hex blob (memos' seed image), not a key of its own."""
    if not _AWS_KEY_ID.match(value):
        return False  # a secret access key (40 characters), judged by the plugin's rule
    start = line.find(value)
    before = line[start - 1] if start > 0 else ""
    return bool(before.isalnum() or (len(value) > 20 and value[20].isalnum()))


def _token_at(line: str, value: str) -> int | None:
    """Where ``value`` stands as a whole token in ``line`` (not inside a longer run)."""
    start = line.find(value)
    while start >= 0:
        before = line[start - 1 : start]
        after = line[start + len(value) : start + len(value) + 1]
        if not _BASE64_CHAR.match(before) and not _BASE64_CHAR.match(after):
            return start
        start = line.find(value, start + 1)
    return None


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
    if _NPMRC_SETTING.match(line):  # //registry.npmjs.org/:_authToken=...: a setting
        return False
    if _COMMENT_AT_START.match(line):
        return True
    before = line[:start]
    return re.search(r"(?:^|\s)#|(?<!:)//", before) is not None
