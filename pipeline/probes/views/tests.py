"""The ``tests`` view: where the test definitions are, whatever the ecosystem's convention.

Tests live in ``tests/``, but also in ``src/*/tests``, ``*_test.go``, ``spec/``,
``__tests__``, Rust ``#[cfg(test)]`` modules inside product files, and Django's
``<app>/tests.py``.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from pipeline.probes.base import Hit
from pipeline.probes.registry import view
from pipeline.probes.views.repo import RepoView
from pipeline.probes.views.search import CODE, TextSearch

TEST_DEF = (
    r"^\s*(async )?def test_?\w*\(|^func (Test|Benchmark|Example)\w*\(|#\[(tokio::)?test\]|"
    r"^\s*(it|test|describe)\(\s*['\"`]|@Test\b|class \w+\(.*TestCase\)"
)


# Languages tests of JVM code are written in besides Java.
JVM_TESTS = ("groovy", "kotlin")

# A file named after a test double: mocks.go, fake_server.py, stubs.ts, http_mock.go.
_DOUBLE_NAME = re.compile(r"(^|[_.-])(mocks?|fakes?|stubs?)([_.-]|$)|^(mock|fake|stub)", re.I)
# A folder of helpers only tests use: test_helpers/, testutil/, test-support/.
_HELPER_DIR = re.compile(r"tests?[_-]?(helpers?|utils?|support|kit)|testutils?|testhelpers?", re.I)


@view("tests")
class TestSuite:
    """The test definitions of the repository (in scope)."""

    def __init__(self, repo: RepoView, text: TextSearch) -> None:
        self.repo = repo
        self.text = text
        self.sites = (
            text.grep(TEST_DEF, tests=True)
            # JVM tests in Groovy or Kotlin beside Java code (jjwt's 200 Groovy test classes
            # under impl/src/test/groovy); Spock's feature methods are `def "it does x"()`.
            + text.grep(TEST_DEF + r"|^\s*def\s+['\"][^'\"]+['\"]\s*\(", JVM_TESTS, tests=True)
            + text.grep(r"#\[(tokio::)?test\]", ("rust",), tests=False, skip_rust_tests=False)
            + self._django_tests()
        )
        self.files = sorted({h.path for h in self.sites})

    def is_support(self, path: str, line: int = 0) -> bool:
        """Whether ``path`` (at ``line``) is test code or a test double.

        Test files, fixture folders (``__mocks__``, ``testdata``), files named after a double
        (``mocks.go``, ``fake_client.py``) and Rust ``#[cfg(test)]`` modules of product files.
        """
        source = self.repo.by_path.get(path)
        if source is None or not self.repo.in_scope(path):
            return False
        if source.is_test or source.role == "fixture":
            return True
        if source.role != "product":
            return False  # an example's or a benchmark's doubles are not the product's tests
        parts = PurePosixPath(path).parts
        if _DOUBLE_NAME.search(parts[-1]) or any(_HELPER_DIR.fullmatch(d) for d in parts[:-1]):
            return True
        return source.language == "rust" and line in self.text.rust_test_lines(path)

    def grep(self, pattern: str, code_only: bool = True) -> list[Hit]:
        """Lines of test code and test doubles (see ``is_support``) matching ``pattern``."""
        hits = self.text.grep(pattern, CODE, tests=None, code_only=code_only)
        return [h for h in hits if self.is_support(h.path, h.line)]

    def lines(self) -> int:
        """Lines of test code: test files, and Rust test modules inside product files."""
        total = sum(f.lines for f in self.repo.code_files(*CODE, *JVM_TESTS, tests=True))
        return total + self.lines_in_product()

    def lines_in_product(self) -> int:
        """Lines of Rust test modules inside product files (test lines, not product lines)."""
        return sum(len(self.text.rust_test_lines(f.path)) for f in self.repo.code_files("rust"))

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
