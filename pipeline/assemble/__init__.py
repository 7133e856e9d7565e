"""Assemble: render the documents (Markdown, JSON validated against its schema, SARIF, HTML)."""

from __future__ import annotations

import functools
import json
from importlib import resources
from pathlib import Path

import jsonschema

from pipeline.assemble.html import render_html
from pipeline.assemble.markdown import render_markdown
from pipeline.assemble.sarif import render_sarif
from pipeline.checkpoint import atomic_write_text
from pipeline.errors import ConfigError
from pipeline.output import record_written
from pipeline.schemas import Report

SCHEMA_RESOURCE = "report.schema.json"
FORMATS = ("md", "json", "sarif", "html")


def report_json_schema() -> dict:
    """The published JSON Schema of report.json (generated from the Pydantic model)."""
    schema = Report.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://readiness.dev/schemas/report.schema.json"
    return schema


@functools.cache
def shipped_schema() -> dict:
    """The JSON Schema shipped in the package (``pipeline/report.schema.json``)."""
    return json.loads(resources.files("pipeline").joinpath(SCHEMA_RESOURCE).read_text("utf-8"))


def validate_report_json(document: dict) -> None:
    """Raise ``jsonschema.ValidationError`` when a report does not match the shipped schema."""
    error = jsonschema.exceptions.best_match(_validator().iter_errors(document))
    if error is not None:
        raise error


@functools.cache
def _validator() -> jsonschema.protocols.Validator:
    # jsonschema.validate checks the schema itself on every call: ten times the validation.
    schema = shipped_schema()
    validator = jsonschema.validators.validator_for(schema)
    validator.check_schema(schema)
    return validator(schema)


def parse_formats(value: str) -> tuple[str, ...]:
    """``md,json,sarif,html`` into a tuple, rejecting unknown formats with a one-line error."""
    formats = tuple(part.strip().lower() for part in value.split(",") if part.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ConfigError(
            f"unknown format {', '.join(unknown) or repr(value)}: choose from {', '.join(FORMATS)}"
        )
    return formats


def write_reports(
    report: Report,
    out: Path,
    formats: tuple[str, ...],
) -> dict[str, Path]:
    """Write the requested documents into ``out`` atomically and return their paths."""
    texts: dict[str, str] = {}
    if "json" in formats:
        document = json.loads(report.model_dump_json())
        validate_report_json(document)
        texts["json"] = json.dumps(document, indent=2) + "\n"
    if "md" in formats or "html" in formats:
        markdown = render_markdown(report)
        if "md" in formats:
            texts["md"] = markdown
        if "html" in formats:
            texts["html"] = render_html(markdown, report)
    if "sarif" in formats:
        texts["sarif"] = json.dumps(render_sarif(report), indent=2) + "\n"
    written = {fmt: out / f"report.{fmt}" for fmt in texts}
    for fmt, text in texts.items():
        atomic_write_text(written[fmt], text)
    # Remembered so a reviewer's later edits are recognised and never overwritten silently.
    record_written(out, {written[fmt].name: text.encode("utf-8") for fmt, text in texts.items()})
    return written
