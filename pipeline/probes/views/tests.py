"""The ``tests`` view: where the test definitions are, whatever the ecosystem's convention.

Tests live in ``tests/``, but also in ``src/*/tests``, ``*_test.go``, ``spec/``,
``__tests__``, Rust ``#[cfg(test)]`` modules inside product files, and Django's
``<app>/tests.py``.
"""

from __future__ import annotations

import re

from pipeline.probes.base import Hit
from pipeline.probes.registry import view
from pipeline.probes.views.repo import RepoView
from pipeline.probes.views.search import TextSearch

TEST_DEF = (
    r"^\s*(async )?def test_?\w*\(|^func (Test|Benchmark|Example)\w*\(|#\[(tokio::)?test\]|"
    r"^\s*(it|test|describe)\(\s*['\"`]|@Test\b|class \w+\(.*TestCase\)"
)


@view("tests")
class TestSuite:
    """The test definitions of the repository (in scope)."""

    def __init__(self, repo: RepoView, text: TextSearch) -> None:
        self.repo = repo
        self.text = text
        self.sites = (
            text.grep(TEST_DEF, tests=True)
            + text.grep(r"#\[(tokio::)?test\]", ("rust",), tests=False, skip_rust_tests=False)
            + self._django_tests()
        )
        self.files = sorted({h.path for h in self.sites})

    def _django_tests(self) -> list[Hit]:
        """Django keeps tests in ``<app>/tests.py``, which path conventions do not flag."""
        rx = re.compile(TEST_DEF)
        return [
            Hit(f.path, number, self.repo.shown(f.path, number).strip())
            for f in self.repo.code_files("python")
            if f.path.endswith("tests.py")
            for number, line in enumerate(self.repo.lines(f.path), 1)
            if rx.search(line)
        ]
