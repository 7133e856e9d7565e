"""Probe documentation from the registry: ``readiness explain ID`` and docs/probes.md.

Everything comes from the probe classes (title, docstring, rationale, remediation,
applicability) and from ``pipeline/probe_examples.json``: per probe, a tiny repository on
which it fails (and one on which it passes), which a test runs through the engine so an
example never drifts from what the probe does.
"""

from __future__ import annotations

import difflib
import functools
import json
from importlib import resources
from typing import Any

from pipeline.assemble.sarif import probe_doc_url
from pipeline.errors import InputError
from pipeline.probes.base import Probe
from pipeline.probes.engine import registered_probes
from pipeline.rubric import CATEGORIES

EXAMPLES_RESOURCE = "probe_examples.json"
_EXAMPLE_LINES = 12  # lines of the cited file shown around the failing line


@functools.cache
def probe_examples() -> dict[str, dict[str, Any]]:
    """Per probe id: ``fails`` ({at, files}) and ``passes`` ({shown, files})."""
    text = resources.files("pipeline").joinpath(EXAMPLES_RESOURCE).read_text("utf-8")
    return json.loads(text)


def find_probe(probe_id: str) -> type[Probe]:
    """The probe registered as ``probe_id`` (any case).

    Raises:
        InputError: no probe has that id (the message suggests the closest ones).
    """
    probes = {p.id: p for p in registered_probes()}
    wanted = probe_id.strip().upper()
    if wanted in probes:
        return probes[wanted]
    close = difflib.get_close_matches(wanted, list(probes), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else "; `readiness explain` lists them"
    raise InputError(f"no probe {probe_id!r}{hint}")


def explain(probe_id: str) -> str:
    """What the probe checks, why it matters, how to fix it, an example: plain text."""
    probe = find_probe(probe_id)
    lines = [
        f"{probe.id}: {probe.title}",
        f"category {probe.category.value}, severity {probe.severity.value}, "
        f"applies to {_applies(probe)}",
        "",
        "What it checks:",
        _indent(probe.message()),
        "",
        "Why it matters:",
        _indent(probe.rationale or "-"),
        "",
        "How to fix it:",
        _indent(probe.remediation or "-"),
    ]
    example = probe_examples().get(probe.id, {})
    if "fails" in example:
        path, line = _split_at(example["fails"]["at"])
        lines += ["", f"Example: it fails on {path}:{line}", _excerpt(example["fails"], path, line)]
    if "passes" in example:
        shown = example["passes"]["shown"]
        text = example["passes"]["files"].get(shown, "")
        lines += ["", f"and passes on {shown}:", _numbered(text, 1, _EXAMPLE_LINES)]
    lines += ["", f"More: {probe_doc_url(probe.id)}", ""]
    return "\n".join(lines)


def probe_table() -> str:
    """Every probe, one line each: id, severity, title."""
    rows = [f"{p.id:<8} {p.severity.value:<9} {p.title}" for p in registered_probes()]
    return "\n".join(rows) + "\n"


def probes_markdown() -> str:
    """docs/probes.md: every registered probe, by category, with its example."""
    out = [
        "# Probes",
        "",
        "<!-- Generated from the probe registry by `python -m pipeline.devtools.docs`;"
        " `make test` fails when it drifts. -->",
        "",
        "Every deterministic check readiness runs, by category. `readiness explain ID` prints",
        "the same text; `--select` and `--ignore` (or `select`/`ignore` in readiness.toml)",
        "take ids (`SEC002`), id prefixes (`SEC`) or categories (`security`).",
        "",
    ]
    probes = registered_probes()
    for category, spec in CATEGORIES.items():
        own = [p for p in probes if p.category == category]
        if not own:
            continue
        out += [f"## {spec.title} (`{category.value}`)", ""]
        out += ["| Id | Severity | Title |", "|---|---|---|"]
        out += [
            f"| [{p.id}](#{p.id.lower()}) | {p.severity.value} | {_cell(p.title)} |" for p in own
        ]
        out.append("")
        for probe in own:
            out += _probe_section(probe)
    return "\n".join(out).rstrip() + "\n"


def _probe_section(probe: type[Probe]) -> list[str]:
    section = [
        f'<a id="{probe.id.lower()}"></a>',
        f"### {probe.id}: {probe.title}",
        "",
        f"Severity **{probe.severity.value}**; applies to {_applies(probe)}."
        + (f" Requires {', '.join(sorted(probe.requires))}." if probe.requires else ""),
        "",
        f"- **What it checks**: {' '.join(probe.message().split())}",
        f"- **Why it matters**: {probe.rationale or '-'}",
        f"- **How to fix it**: {probe.remediation or '-'}",
    ]
    example = probe_examples().get(probe.id, {})
    if "fails" in example:
        path, line = _split_at(example["fails"]["at"])
        section += ["", f"Fails on `{path}:{line}`:", "", "```"]
        section += [_excerpt(example["fails"], path, line, indent=""), "```"]
    section.append("")
    return section


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _applies(probe: type[Probe]) -> str:
    condition = probe.applies
    return "all software" if condition == "all" else f"`{condition}`"


def _split_at(where: str) -> tuple[str, int]:
    path, _, line = where.rpartition(":")
    return path, int(line.split("-")[0])  # "app.py:3-4" is a range: its first line


def _excerpt(example: dict[str, Any], path: str, line: int, indent: str = "    ") -> str:
    text = example["files"].get(path, "")
    first = max(1, line - _EXAMPLE_LINES // 2)
    return _numbered(text, first, first + _EXAMPLE_LINES - 1, mark=line, indent=indent)


def _numbered(
    text: str, first: int, last: int, mark: int | None = None, indent: str = "    "
) -> str:
    rows = text.splitlines()[first - 1 : last] or ["(empty file)"]
    width = len(str(first + len(rows)))
    return "\n".join(
        f"{indent}{'>' if number == mark else ' '} {number:>{width}} | {row}".rstrip()
        for number, row in enumerate(rows, first)
    )


def _indent(text: str) -> str:
    return "\n".join(f"  {line}".rstrip() for line in text.splitlines())
