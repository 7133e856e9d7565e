"""SARIF 2.1.0 for code-scanning UIs: one rule per check, one result per gap location.

Code-scanning UIs (GitHub's among them) show, dismiss and track one alert per result, so a
check that failed in three places is three results, each with a ``partialFingerprints``
entry that survives edits elsewhere in the file (see :mod:`pipeline.assemble.occurrences`).
Each rule links to its probe's documentation (``helpUri``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from pipeline.assemble.occurrences import FINGERPRINT_KEY, occurrences
from pipeline.schemas import CheckResult, Report, Severity

# docs/probes.md, published: one anchor per probe id (lower case).
PROBE_DOCS_URL = "https://readiness.dev/docs/probes.html"

SARIF_LEVEL = {
    Severity.critical: "error",
    Severity.high: "error",
    Severity.medium: "warning",
    Severity.low: "note",
}
# GitHub ranks security alerts by this CVSS-like number (critical >= 9, high >= 7...).
SECURITY_SEVERITY = {
    Severity.critical: "9.5",
    Severity.high: "8.0",
    Severity.medium: "5.5",
    Severity.low: "2.0",
}


def probe_doc_url(probe_id: str) -> str:
    """Where a probe's documentation lives (its section of docs/probes.md)."""
    return f"{PROBE_DOCS_URL}#{probe_id.lower()}"


def _rule(check: CheckResult) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "category": check.category.value,
        "severity": check.severity.value,
        "tags": ["readiness", check.category.value],
    }
    if check.category.value == "security":
        properties["security-severity"] = SECURITY_SEVERITY[check.severity]
    return {
        "id": check.id,
        "name": check.id,
        "shortDescription": {"text": check.title},
        "fullDescription": {"text": check.rationale or check.title},
        "help": {"text": check.remediation or check.title},
        "helpUri": probe_doc_url(check.id),
        "defaultConfiguration": {"level": SARIF_LEVEL[check.severity]},
        "properties": properties,
    }


def artifact_uri(path: str) -> str:
    """A repository path as a relative URI reference (SARIF §3.4.3): percent-encoded.

    Spaces, ``#``, ``%``, ``?`` and non-ASCII characters are encoded (UTF-8), and so is
    ``:``, so a first segment such as ``c:x`` cannot read as a URI scheme.
    """
    return quote(path, safe="/")


def render_sarif(report: Report) -> dict:
    """The report's open gaps, and its suspicions to confirm (level ``note``), as a SARIF
    log: one result per location."""
    rules = {check.id: _rule(check) for check in report.checks}
    results = []
    for occurrence in occurrences(report, suspected=True):
        finding = occurrence.finding
        rule_id = finding.check_id or f"LLM-{finding.category.value}"
        rules.setdefault(
            rule_id,
            {
                "id": rule_id,
                "shortDescription": {"text": f"{finding.category.value} (model finding)"},
                "properties": {"category": finding.category.value},
            },
        )
        result: dict[str, Any] = {
            "ruleId": rule_id,
            # A suspicion is for review: a note, whatever its severity if confirmed.
            "level": "note" if occurrence.suspected else SARIF_LEVEL[finding.severity],
            "message": {"text": f"{finding.title}. {finding.recommendation}".strip()},
            "partialFingerprints": {FINGERPRINT_KEY: occurrence.fingerprint},
            "properties": {"severity": finding.severity.value, "source": finding.source}
            | ({"toConfirm": True} if occurrence.suspected else {}),
        }
        evidence = occurrence.evidence
        if evidence is not None:
            region: dict[str, Any] = {
                "startLine": evidence.start_line,
                "endLine": max(evidence.end_line, evidence.start_line),
            }
            if evidence.snippet:
                region["snippet"] = {"text": evidence.snippet}
            result["locations"] = [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": artifact_uri(evidence.path)},
                        "region": region,
                    }
                }
            ]
        results.append(result)
    ordered = sorted(rules.values(), key=lambda r: r["id"])
    index = {rule["id"]: number for number, rule in enumerate(ordered)}
    for result in results:
        result["ruleIndex"] = index[result["ruleId"]]
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "readiness",
                        "version": report.tool_version,
                        "informationUri": PROBE_DOCS_URL,
                        "rules": ordered,
                    }
                },
                # GitHub files alerts by the part before the last "/": one category per scope.
                "automationDetails": {
                    "id": f"readiness/{report.repo.scope}/" if report.repo.scope else "readiness/"
                },
                "results": results,
            }
        ],
    }
