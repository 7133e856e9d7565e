"""Properties of the one line model and of chunking, for any text a file may hold.

Whatever the bytes (any line breaks, U+2028, form feeds, very long lines, secrets), ingest
numbers lines as ``pipeline.lines.split_lines`` does, and every chunk is a span of those
lines: its numbers point at them, its text is exactly their redacted text, and together the
chunks cover every line that has anything on it.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.ingest import ingest_repository
from pipeline.ingest.chunking import chunk_snapshot
from pipeline.lines import join_lines, split_lines
from pipeline.secrets import find_secrets

GITHUB = "ghp_" + "Zq3xL9v" * 5 + "Ab"
STRIPE = "sk_" + "live_" + "4eC39HqLyjWDarjtT1zdp7dc"
KEY_BODY = "MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi9Lqdkb4GAaGp3ZNGbBzk3ZZvJ"

# Lines a repository really holds, secrets among them, and lines no editor would write.
FRAGMENTS = st.sampled_from(
    [
        "",
        "    ",
        "\t",
        "def handler(event):",
        "    return event['body']",
        "class Store:",
        "    def get(self, key):",
        "        return self.items[key]",
        "}",
        "  // comment",
        "# heading",
        f'TOKEN = "{GITHUB}"',
        f"stripe_key: {STRIPE}",
        "-----BEGIN RSA PRIVATE KEY-----",
        KEY_BODY,
        "-----END RSA PRIVATE KEY-----",
        "x = 1\x0cy = 2",
        "a\u2028b\x85c\x0bd",
        "word " * 300,
        "A9x+" * 500,
    ]
)
WILD = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\x00\r\n\ufeff"), max_size=120
)
BREAKS = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def file_texts(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.one_of(FRAGMENTS, WILD), max_size=60))
    text = "".join(line + draw(BREAKS) for line in lines)
    if text and draw(st.booleans()):
        text = text.rstrip("\r\n")  # no final line break
    return text


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(text=file_texts(), name=st.sampled_from(["app.py", "notes.md", "main.go", "run.txt"]))
# A stray footer before a key block whose body is a token: the footer line is shown as it is.
@example(
    text="\n".join(["-----END RSA PRIVATE KEY-----", "-----BEGIN RSA PRIVATE KEY-----"])
    + f'\nTOKEN = "{GITHUB}"\n-----END RSA PRIVATE KEY-----\n',
    name="app.py",
)
def test_chunks_are_exact_spans_of_the_redacted_lines(text: str, name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / name).write_bytes(text.encode("utf-8"))
        snapshot = ingest_repository(root)
        chunks = chunk_snapshot(snapshot)

    lines = split_lines(text)
    (source,) = snapshot.files
    assert snapshot.lines(name) == tuple(lines)
    assert source.lines == len(lines)
    shown = snapshot.shown_lines(name)
    assert len(shown) == len(lines)
    assert [m.line for m in snapshot.secrets(name)] == [
        m.line for m in find_secrets(join_lines(lines), name)
    ]

    # The values found, and the body lines of private keys (their header is no secret).
    matches = snapshot.secrets(name)
    found = [lines[m.line - 1][m.start : m.end] for m in matches if m.end_line is None]
    found += [
        lines[body - 1]
        for m in matches
        for body in range(m.line + 1, (m.end_line or m.line) + 1)
        # A short body line ("0") also occurs in unrelated lines: only real key material counts,
        # and the footer, like the header, is no secret (a stray one may stand anywhere).
        if len(lines[body - 1].strip()) >= 8 and "-----END" not in lines[body - 1]
    ]
    covered: set[int] = set()
    for chunk in chunks:
        assert chunk.path == name
        assert 1 <= chunk.start_line <= chunk.end_line <= len(lines)
        span = shown[chunk.start_line - 1 : chunk.end_line]
        if chunk.text != "\n".join(span):
            # A single line over the model's window is cut to what fits.
            assert chunk.start_line == chunk.end_line and span[0].startswith(chunk.text)
        covered.update(range(chunk.start_line, chunk.end_line + 1))
        assert not any(value in chunk.text for value in found)
    assert len({c.id for c in chunks}) == len(chunks)

    for number, line in enumerate(shown, start=1):
        if line.strip() and number not in covered:
            # Only a blob is dropped: one line over the window, 300 characters without a space.
            assert re.search(r"\S{300}", line), (number, line[:80])
