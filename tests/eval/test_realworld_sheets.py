"""Review sheets of the real-world corpus: what `claims sample` writes, a second reader and
`claims score` must read back, whatever the report quoted."""

from __future__ import annotations

import tomllib

from hypothesis import given
from hypothesis import strategies as st

from evals.realworld.claims import Claim, _toml_string, write_sheet


@given(st.text())
def test_any_text_survives_a_toml_string(text: str) -> None:
    assert tomllib.loads("x = " + _toml_string(text))["x"] == text


def test_a_sheet_quoting_an_emoji_title_parses(tmp_path) -> None:
    # bulletproof-nodejs's README title ends in a shield emoji: JSON wrote it as a
    # surrogate pair, which TOML rejects, and the whole sheet failed to load.
    claim = Claim(
        id="F1",
        kind="strength",
        severity="",
        text="README.md:1 describes the design ('Node.js architecture \U0001f6e1\ufe0f').",
        evidence=("README.md:1",),
    )
    path = tmp_path / "sheet.toml"
    write_sheet(path, "r", "c" * 40, [claim])
    [read] = tomllib.loads(path.read_text(encoding="utf-8"))["claim"]
    assert read["text"] == claim.text and read["evidence"] == ["README.md:1"]
