"""SARIF 2.1.0 for code-scanning UIs: one rule per check, one result per open gap."""

from __future__ import annotations

from urllib.parse import quote

from pipeline.schemas import Report, Severity

SARIF_LEVEL = {
    Severity.critical: "error",
    Severity.high: "error",
    Severity.medium: "warning",
    Severity.low: "note",
}


def artifact_uri(path: str) -> str:
    """A repository path as a relative URI reference (SARIF §3.4.3): percent-encoded.

    Spaces, ``#``, ``%``, ``?`` and non-ASCII characters are encoded (UTF-8), and so is
    ``:``, so a first segment such as ``c:x`` cannot read as a URI scheme.
    """
    return quote(path, safe="/")


def render_sarif(report: Report) -> dict:
    """The report's open gaps as a SARIF log."""
    rules = {
        check.id: {
            "id": check.id,
            "name": check.title,
            "shortDescription": {"text": check.title},
            "help": {"text": check.remediation or check.title},
            "properties": {"category": check.category.value, "severity": check.severity.value},
        }
        for check in report.checks
    }
    results = []
    for finding in report.findings:
        if finding.kind != "gap" or finding.muted:
            continue
        rule_id = finding.check_id or f"LLM-{finding.category.value}"
        rules.setdefault(rule_id, {"id": rule_id, "shortDescription": {"text": finding.title}})
        results.append(
            {
                "ruleId": rule_id,
                "level": SARIF_LEVEL[finding.severity],
                "message": {"text": f"{finding.title}. {finding.recommendation}".strip()},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": artifact_uri(e.path)},
                            "region": {"startLine": e.start_line, "endLine": e.end_line},
                        }
                    }
                    for e in finding.evidence
                ],
                "partialFingerprints": {"readinessFinding": finding.id},
            }
        )
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "readiness",
                        "version": report.tool_version,
                        "rules": sorted(rules.values(), key=lambda r: r["id"]),
                    }
                },
                "results": results,
            }
        ],
    }
