"""The secret detector: known formats found and masked, placeholders left alone."""

from __future__ import annotations

import time

import pytest

from pipeline.secrets import find_secrets, redact_secrets

# Assembled at run time so the repository itself holds no secret-shaped literal.
STRIPE = "sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc"
GITHUB = "ghp_" + "Zq3xL9v" * 5 + "Ab"
SLACK = "xoxb-" + "123456789012-1234567890123-" + "aBcDeFgHiJkLmNoPqRsTuVwX"
AWS_ID = "AKIA" + "IOSFODNN7QWERTY2"
AWS_40_CHARS = "wJalrXUtnFEMI/K7MDENG/" + "bPxRfiCYzQWERTYKEY"
WEAK_LOGIN = "Tr0ub4" + "dor3x"
HEX_32 = "a8f5f167f44f4964" + "e6c998dee827110c"
JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
    "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
)
KEY_BODY = "MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi9Lqdkb4GAaGp3ZNGbBzk3ZZvJ"


@pytest.mark.parametrize(
    ("path", "line", "kind", "value"),
    [
        ("settings.py", f'STRIPE_KEY = "{STRIPE}"', "stripe_key", STRIPE),
        ("ci.py", f'token = "{GITHUB}"', "github_token", GITHUB),
        ("notify.js", f'const hook = "{SLACK}";', "slack_token", SLACK),
        ("aws.py", f'AWS_ACCESS_KEY_ID = "{AWS_ID}"', "aws_key", AWS_ID),
        ("aws.py", f'aws_secret_access_key = "{AWS_40_CHARS}"', "aws_key", AWS_40_CHARS),
        ("auth.py", f'SESSION = "{JWT}"', "jwt", JWT),
        ("db.py", f'URL = "postgres://app:{WEAK_LOGIN}@db:5432/app"', "basic_auth", WEAK_LOGIN),
        ("db.py", f'db_password = "{WEAK_LOGIN}&"', "secret_assignment", WEAK_LOGIN + "&"),
        (".env", f"DB_PASSWORD={WEAK_LOGIN}", "secret_assignment", WEAK_LOGIN),
        ("values.yaml", f"password: {WEAK_LOGIN}", "secret_assignment", WEAK_LOGIN),
        ("Dockerfile", f"ENV DB_PASSWORD={WEAK_LOGIN}", "secret_assignment", WEAK_LOGIN),
        ("İstanbul.py", f'İ = 1; key = "{STRIPE}"', "stripe_key", STRIPE),
        ("client.py", f'API_TOKEN: str = "{HEX_32}"', "high_entropy_secret", HEX_32),
    ],
)
def test_known_formats_are_found_masked_and_redacted(
    path: str, line: str, kind: str, value: str
) -> None:
    text = f"import os\n{line}\nTIMEOUT = 3\n"

    (match,) = find_secrets(text, path)

    assert (match.line, match.kind) == (2, kind)
    assert line[match.start : match.end] == value
    assert value not in match.masked
    assert len(match.masked.replace("*", "")) <= 4
    assert not match.commented
    redacted, count = redact_secrets(text, path)
    assert count == 1
    assert value not in redacted
    assert f"[REDACTED:{kind}]" in redacted.splitlines()[1]
    assert redacted.count("\n") == text.count("\n")


def test_multiline_private_key_is_redacted_whole_keeping_line_count() -> None:
    text = (
        "KEY = '''\n-----BEGIN RSA PRIVATE KEY-----\n"
        + (KEY_BODY + "\n") * 3
        + "-----END RSA PRIVATE KEY-----\n'''\nafter = 1\n"
    )

    (match,) = find_secrets(text, "keys.py")
    redacted, count = redact_secrets(text, "keys.py")

    assert (match.kind, match.line, match.end_line) == ("private_key", 2, 6)
    assert count == 1
    assert KEY_BODY not in redacted
    assert redacted.splitlines()[1] == "[REDACTED:private_key]"
    assert redacted.splitlines()[-1] == "after = 1"
    assert redacted.count("\n") == text.count("\n")


def test_code_that_mentions_a_key_header_is_not_a_secret() -> None:
    text = 'if "-----BEGIN RSA PRIVATE KEY-----" in pem:\n    kind = "rsa"\n'
    assert find_secrets(text, "pem.py") == []


@pytest.mark.parametrize(
    "line",
    [
        'password = "changeme"',
        'password = ""',
        'secret = "<your-key>"',
        'api_key = "${API_KEY}"',
        'api_key = "{{ api_key }}"',
        "password = os.environ['DB_PASSWORD']",
        'password = os.getenv("DB_PASSWORD", "")',
        'api_key = "dummy-key-123456"',
        'api_key = "example-api-key"',
        'token = "xxxxxxxxxxxxxxxxxxxxxxxx"',
        'password_field = "password_hash"',
        'header = "X-API-Key"',
        'label = "Enter your password"',
        'SECRET_KEY = "9f8e****"',
        f'stripe = "{STRIPE[:-4]}EXAMPLE"',
        f'token = "{GITHUB}"  # pragma: allowlist secret',
    ],
)
def test_placeholders_and_references_are_not_secrets(line: str) -> None:
    assert find_secrets(line + "\n", "settings.py") == []


def test_commented_out_secret_is_still_reported_as_commented() -> None:
    text = f'# OLD_KEY = "{STRIPE}"\n// token: "{GITHUB}"\n'
    matches = find_secrets(text, "notes.js")
    assert [(m.line, m.kind, m.commented) for m in matches] == [
        (1, "stripe_key", True),
        (2, "github_token", True),
    ]
    assert redact_secrets(text, "notes.js")[1] == 2


def test_line_numbers_count_crlf_and_cr_like_an_editor() -> None:
    text = f'a = 1\r\nb = 2\rc = "\x0c"\nSTRIPE = "{STRIPE}"\n'
    (match,) = find_secrets(text, "x.py")
    assert match.line == 4
    redacted, _ = redact_secrets(text, "x.py")
    assert redacted.startswith("a = 1\r\nb = 2\r")
    assert STRIPE not in redacted


def test_ordinary_code_has_no_secrets() -> None:
    text = "\n".join(
        [
            "def authenticate(user, password):",
            "    token = issue_token(user)",
            "    secret_key = settings.SECRET_KEY",
            '    headers = {"Authorization": f"Bearer {token}"}',
            '    API_KEY_ENV = "SERVICE_API_KEY"',
            '    url = "https://example.com/api/v1/items?page=2"',
            "    return check_password(password, user.password_hash)",
        ]
    )
    assert find_secrets(text, "auth.py") == []


def test_secret_inside_a_long_minified_line_is_found_quickly() -> None:
    blob = "A9x+" * 75_000  # a base64 blob: regexes turn quadratic on such runs
    line = f'{blob} var cfg={{apiKey:"{STRIPE}"}}; {blob}'

    started = time.perf_counter()
    (match,) = find_secrets(line, "bundle.js")

    assert time.perf_counter() - started < 3.0  # about 0.1 s; unbounded it took minutes
    assert line[match.start : match.end] == STRIPE
