"""The ``overview`` view: the product's main modules, what each says it does and uses.

A module is a folder of product code at the first level where the code splits into more
than one folder (``src/``, ``src/main/java/com/acme/`` and other single-child folders are
walked through). Each module lists its size, its languages, its own description (a Python
package docstring, a Go ``// Package`` comment, a Rust ``//!`` crate comment, a
``package.json`` description), the known frameworks, data stores and clients its files
import, and the entry points inside it, each with the line that shows it.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import PurePosixPath

from pipeline.probes.base import Hit
from pipeline.probes.registry import view
from pipeline.probes.views.datafiles import DataFiles
from pipeline.probes.views.imports import Imports, matches_prefix
from pipeline.probes.views.knowledge import Knowledge
from pipeline.probes.views.profile import ProfileView
from pipeline.probes.views.python import PythonCode
from pipeline.probes.views.repo import RepoView
from pipeline.probes.views.search import CODE
from pipeline.schemas import Component, ModuleSummary, Overview, SourceFile

MAX_MODULES = 10
_DESCRIPTION_LIMIT = 200
_GO_PACKAGE = re.compile(r"^//\s*(Package \w+ .*)")
_RUST_DOC = re.compile(r"^//!\s?(.*)")


@view("overview")
class OverviewView:
    """The system overview a report opens with."""

    def __init__(
        self,
        repo: RepoView,
        imports: Imports,
        knowledge: Knowledge,
        python: PythonCode,
        data: DataFiles,
        profile: ProfileView,
    ) -> None:
        self.repo = repo
        self.imports = imports
        self.knowledge = knowledge
        self.python = python
        self.data = data
        self.profile = profile

    def model(self) -> Overview:
        files = self.repo.code_files(*CODE)
        groups = _group(files)
        ranked = sorted(groups.items(), key=lambda item: -sum(f.lines for f in item[1]))
        shown, rest = ranked[:MAX_MODULES], ranked[MAX_MODULES:]
        return Overview(
            modules=[self._module(name, members) for name, members in shown],
            other_files=sum(len(members) for _, members in rest),
            other_lines=sum(f.lines for _, members in rest for f in members),
        )

    def _module(self, name: str, members: list[SourceFile]) -> ModuleSummary:
        paths = {f.path for f in members}
        languages: dict[str, int] = defaultdict(int)
        for f in members:
            languages[f.language] += f.lines
        summary = ModuleSummary(
            name=name,
            files=len(members),
            lines=sum(f.lines for f in members),
            languages=sorted(languages, key=lambda lang: -languages[lang]),
            uses=self._uses(paths),
            entry_points=[
                c.evidence[0]
                for c in self.profile.model().entry_points
                if c.evidence and c.evidence[0].path in paths
            ],
        )
        found = self._description(name, members)
        if found is not None:
            summary.description = found.text
            summary.description_evidence = [self.repo.evidence(found.path, found.line)]
        return summary

    def _uses(self, paths: set[str]) -> list[Component]:
        """Known frameworks imported by files of this module, first site each."""
        sites = self.imports.sites()
        found: list[Component] = []
        for use in self.knowledge.uses:
            entry = use.framework
            first: Hit | None = None
            for name, hits in sites.items():
                if not any(matches_prefix(name, p) for p in entry.imports):
                    continue
                for hit in hits:
                    if hit.path in paths and (
                        first is None or (hit.path, hit.line) < (first.path, first.line)
                    ):
                        first = hit
            if first is not None:
                found.append(
                    Component(
                        name=entry.name,
                        role=entry.datastore and "data store" or entry.role,
                        evidence=[first.evidence(self.repo)],
                    )
                )
        return found

    def _description(self, name: str, members: list[SourceFile]) -> Hit | None:
        """The module's own one-line description, where its code or manifest gives one."""
        by_depth = sorted(members, key=lambda f: (f.path.count("/"), f.path))
        for f in by_depth:
            base = PurePosixPath(f.path).name
            if f.language == "python" and base == "__init__.py" or len(members) == 1:
                hit = self._python_docstring(f) if f.language == "python" else None
                if hit:
                    return hit
            if f.language == "go":
                hit = self._comment(f, _GO_PACKAGE)
                if hit:
                    return hit
            if f.language == "rust" and base in ("lib.rs", "main.rs", "mod.rs"):
                hit = self._comment(f, _RUST_DOC)
                if hit:
                    return hit
        for path in self.repo.named("package.json"):
            if str(PurePosixPath(path).parent) == name:
                manifest = self.data.json(path)
                text = manifest.get("description") if isinstance(manifest, dict) else None
                if isinstance(text, str) and text.strip():
                    line = self.repo.line_of(path, r'"description"\s*:')
                    return Hit(path, line, _first_sentence(text))
        return None

    def _python_docstring(self, f: SourceFile) -> Hit | None:
        tree = self.python.tree(f.path)
        if tree is None or not tree.body:
            return None
        first = tree.body[0]
        if not (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)):
            return None
        if not isinstance(first.value.value, str) or not first.value.value.strip():
            return None
        shown = "\n".join(
            self.repo.shown(f.path, n)
            for n in range(first.lineno, (first.end_lineno or first.lineno) + 1)
        )
        text = shown.strip().strip("\"'rbuRBU").strip()
        return Hit(f.path, first.lineno, _first_sentence(text)) if text else None

    def _comment(self, f: SourceFile, pattern: re.Pattern[str]) -> Hit | None:
        collected: list[str] = []
        start = 0
        for number, line in enumerate(self.repo.snapshot.shown_lines(f.path)[:60], 1):
            match = pattern.match(line.strip())
            if match:
                start = start or number
                collected.append(match.group(1))
            elif collected:
                break
        text = " ".join(part.strip() for part in collected).strip()
        return Hit(f.path, start, _first_sentence(text)) if text else None


_UNDERLINE = re.compile(r"^\s*[-=~^*#`:.]{3,}\s*$")


def _first_sentence(text: str) -> str:
    """The first sentence of a description, bounded; a bare title line takes the sentence
    after it ("Requests HTTP Library: Requests is an HTTP library...")."""
    kept = "\n".join(line for line in text.strip().splitlines() if not _UNDERLINE.match(line))
    paragraphs = [p for p in re.split(r"\n\s*\n", kept.strip()) if p.strip()]
    if not paragraphs:
        return ""
    flat = " ".join(paragraphs[0].split())
    if len(paragraphs) > 1 and not flat.endswith((".", "!", "?", ":")) and len(flat) < 60:
        flat = f"{flat}: {' '.join(paragraphs[1].split())}"
    match = re.match(r"(.+?[.!?])(\s|$)", flat)
    sentence = match.group(1) if match else flat
    if len(sentence) > _DESCRIPTION_LIMIT:
        sentence = sentence[: _DESCRIPTION_LIMIT - 1].rstrip() + "…"
    return sentence


def _group(files: list[SourceFile]) -> dict[str, list[SourceFile]]:
    """Files grouped by folder at the first level where the product splits.

    A group holding more than half the product's lines is split one level further (so a
    Go ``internal/`` or a single ``app/`` does not swallow the whole overview).
    """
    if not files:
        return {}
    dirs = {f.path: PurePosixPath(f.path).parent.parts for f in files}
    common = 0
    for level in zip(*dirs.values(), strict=False):
        if len(set(level)) != 1:
            break
        common += 1
    groups = _split(files, dirs, common)
    total = sum(f.lines for f in files) or 1
    for _ in range(3):
        big = [
            (key, members)
            for key, members in groups.items()
            if sum(f.lines for f in members) * 2 > total and len(groups) < MAX_MODULES
        ]
        if not big:
            break
        key, members = big[0]
        depth = len(PurePosixPath(key).parts) if key != "." else 0
        parts = _split(members, dirs, depth)
        # Walk through folders that hold nothing but one folder (src/requests/...).
        while len(parts) == 1 and all(len(dirs[f.path]) > depth + 1 for f in members):
            depth += 1
            parts = _split(members, dirs, depth)
        del groups[key]
        groups.update(parts)
        if len(parts) < 2:
            break
    return groups


def _split(
    files: list[SourceFile], dirs: dict[str, tuple[str, ...]], depth: int
) -> dict[str, list[SourceFile]]:
    """Files keyed by their folder cut at ``depth + 1`` parts (files above stay together)."""
    groups: dict[str, list[SourceFile]] = defaultdict(list)
    for f in files:
        d = dirs[f.path]
        key = "/".join(d[: depth + 1]) if len(d) > depth else "/".join(d)
        groups[key or "."].append(f)
    return dict(groups)
