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
GOOGLE = "AIza" + "SyD4k9Xq2Lm7Pz0Rt5Vw8Yb3Nc6Hf1Jg2Ks"
NPM = "npm_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
HEX_64 = "4283fefc63f0cd0e873a0000c6d07ef7" + "b77e90d3593ad699fc1f7cd5bb2e35cb"
AWS_40_TUPLE = "L6P+8odNXR1yHnGA3cCcYseu52C5" + "CdYP2hMqZ7w1"
OPENAI_PROJECT = "sk-" + "proj-" + "h04YcmpYLAkhCkRpkV2gB69yZI60sJqTEugnPucbaY7sUMuC"
ANTHROPIC = "sk-" + "ant-api03-" + "zuzee6uMDhqnYNX5I3SEQwqlIntmpxf0rfWCfPKPv8oy9tc" * 2 + "AA"
GITHUB_FINE = "github_pat_" + "11ABCDEFG0abcdefghijkl" + "_" + "Mn0Pq1Rs2Tu3Vw4Xy5Z" * 3 + "ab"
RANDOM_32 = "vvhsp38MX9T4FiLJ" + "XgucAey3Yj1ivhNL"


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
        ("maps.js", f'const client = init("{GOOGLE}");', "google_api_key", GOOGLE),
        ("publish.sh", f"export NODE_AUTH={NPM}", "npm_token", NPM),
        (".npmrc", f"//registry.npmjs.org/:_authToken={NPM}", "npm_token", NPM),
        ("settings.py", f'SIGNING = "{HEX_64}"', "hex_secret", HEX_64),
        ("config.json", f'{{"seed": "{HEX_64}", "debug": false}}', "hex_secret", HEX_64),
        (".env", f"APP_SEED={HEX_64}", "hex_secret", HEX_64),
        ("llm.py", f'client = OpenAI(api_key="{OPENAI_PROJECT}")', "openai_key", OPENAI_PROJECT),
        ("llm.py", f'client = Anthropic(api_key="{ANTHROPIC}")', "anthropic_key", ANTHROPIC),
        ("ci.py", f'token = "{GITHUB_FINE}"', "github_token", GITHUB_FINE),
        (
            ".github/workflows/ci.yml",
            f"      API_TOKEN: {RANDOM_32}",
            "high_entropy_secret",
            RANDOM_32,
        ),
        ("Dockerfile", f"ENV SERVICE_TOKEN={RANDOM_32}", "high_entropy_secret", RANDOM_32),
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
        'OPENAI_API_KEY = "sk-..."',
        'key = "AIzaXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"',
        'key = "sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"',
        'SEED = "' + "deadbeef" * 8 + '"',
        'author_email = "maintainers2024@example.org"',
        # A digit run is a dummy login; an itsdangerous token's JSON carries no JWT header.
        'if json.Password == "0123456789" {',
        'password = "123456"',
        "# eyJpZCI6NSwibmFtZSI6Iml0c2Rhbmdlcm91cyJ9.6YP6T0BaO67XP--9UzTrmurXSmg",
    ],
)
def test_placeholders_and_references_are_not_secrets(line: str) -> None:
    assert find_secrets(line + "\n", "settings.py") == []


@pytest.mark.parametrize(
    ("path", "line"),
    [
        (".env.example", "API_TOKEN=<your-token>"),
        (".env", "DB_PASSWORD=${DB_PASSWORD}"),
        (".env", "SECRET_KEY=changeme"),
        (".env", "FIRST_SUPERUSER_PASSWORD=changethis"),
        (".npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}"),
        (".github/workflows/ci.yml", "      API_TOKEN: ${{ secrets.API_TOKEN }}"),
        ("values.yaml", "  authUrl: https://auth.example.com/oauth2/token"),
    ],
)
def test_config_placeholders_are_not_secrets(path: str, line: str) -> None:
    assert find_secrets(line + "\n", path) == []


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("poetry.lock", f'files = [{{file = "a-1.0.whl", hash = "sha256:{HEX_64}"}}]'),
        ("uv.lock", f'sdist = {{ url = "https://x/a.tar.gz", hash = "sha256:{HEX_64}" }}'),
        ("Cargo.lock", f'checksum = "{HEX_64}"'),
        (".terraform.lock.hcl", f'  hashes = [\n    "zh:{HEX_64}",\n  ]'),
        ("requirements.txt", f"flask==3.0.0 --hash=sha256:{HEX_64}"),
        ("Gemfile.lock", f"CHECKSUMS\n  rake (13.0.6) sha256={HEX_64}"),
        (
            "go.sum",
            "golang.org/x/net v0.1.0 h1:" + "hT5Kx3Zr9Wq2Lm7Pz0Rt5Vw8Yb3Nc6Hf1Jg2Ks4Qa=" * 1,
        ),
        ("sbom.json", f'{{"alg": "SHA-256",\n "content": "{HEX_64}"}}'),
        ("tests/test_rng.py", f"# sha256 of the samples\ntgt = {{'int8': '{HEX_64}'}}"),
        ("tests/test_rng.py", "\n".join(f"'k{i}': '{HEX_64[i:]}{HEX_64[:i]}'," for i in range(5))),
        ("Dockerfile", f"FROM python:3.12@sha256:{HEX_64}"),
        ("llm.py", f'MODEL = "meta/llama-2-70b-chat:{HEX_64}"'),
        ("empty.py", 'EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"'),
    ],
)
def test_digests_in_lockfiles_and_tables_are_not_secrets(path: str, text: str) -> None:
    assert find_secrets(text + "\n", path) == []


@pytest.mark.parametrize(
    "text",
    [
        f'CREDS = ("{AWS_ID}", "{AWS_40_TUPLE}")',
        f'CREDS = (\n    "{AWS_ID}",\n    "{AWS_40_TUPLE}",\n)',
        f'session = boto3.Session("{AWS_ID}", "{AWS_40_TUPLE}")',
    ],
    ids=["tuple", "tuple-over-lines", "call"],
)
def test_aws_secret_key_next_to_its_key_id_is_found_without_a_name(text: str) -> None:
    matches = find_secrets(text, "tests/test_s3.py")
    lines = text.split("\n")
    found = {lines[m.line - 1][m.start : m.end]: m.kind for m in matches}
    assert found == {AWS_ID: "aws_key", AWS_40_TUPLE: "aws_key"}
    assert AWS_40_TUPLE not in redact_secrets(text, "tests/test_s3.py")[0]


def test_a_40_character_string_without_a_key_id_nearby_is_not_an_aws_key() -> None:
    text = f'x = 1\n\n\n\n\nPAIR = ("{AWS_ID}", 1)\n\n\n\n\nDATA = ("{AWS_40_TUPLE}",)\n'
    assert [m.line for m in find_secrets(text, "data.py")] == [6]


def test_an_npmrc_token_is_a_setting_not_a_comment() -> None:
    text = f"registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken={NPM}\n"
    (match,) = find_secrets(text, ".npmrc")
    assert (match.line, match.kind, match.commented) == (2, "npm_token", False)
    (commented,) = find_secrets(f"# //registry.npmjs.org/:_authToken={NPM}\n", ".npmrc")
    assert commented.commented


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
