"""Suspicions: failures whose evidence is a pattern, and whether it is a hazard is unknown.

A hard-coded credential, a path built from an untrusted name, SQL or a shell command built
from untrusted input, a service with no authentication: each probe finds the pattern (a
secret-like literal, a joined name, a formatted query, no auth library), and none can see
what decides whether it is a hazard: whether the literal is a live credential or a
placeholder, whether the name can come from an attacker, whether the endpoints are meant to
be public or sit behind a gateway. On repositories nobody here wrote, read by a second
person before any tuning (``evals/realworld/reviews/r14first`` to ``r24first``), these
failures were false 51 times in 57 (secrets 25 in 28, path traversal 6 in 6, SQL 5 in 5,
request validation 7 in 8), and they were the first key blocker of report after report.

So the fact stands (the probe failed, its evidence is kept), but it is no claim: it makes
no gap, is not scored, leaves its question open for a model to answer with cited code, and
goes to the reviewer with its pointers and what to confirm. A false blocker costs more
trust than a missed one; a pointer the reviewer checks costs neither.
"""

from __future__ import annotations

from pipeline.schemas import CheckResult, Outcome

# Probe id -> what a person must confirm before the failure is a gap.
SUSPICIONS: dict[str, str] = {
    "SEC001": (
        "whether each value is a live credential, rather than a placeholder, a sample, a "
        "test key or a public identifier; a live one is a critical gap: rotate it and load "
        "it from the environment or a secret store"
    ),
    "SEC025": "whether any of these test, fixture or documentation values is a live credential",
    "SEC002": "whether the evaluated text can come from anyone but the program's own user",
    "SEC003": "whether the interpolated input can come from anyone but the program's own user",
    "SEC004": "whether the deserialised data can come from an untrusted party",
    "SEC006": (
        "whether any formatted part can carry untrusted input; identifiers the code quotes, "
        "constants and generated placeholder lists cannot"
    ),
    "SEC029": (
        "whether the name can come from an untrusted caller and reach the path without "
        "a check (a converter, a lookup, a regular expression)"
    ),
    "SEC012": (
        "whether the service is meant to be open, or authenticates at a gateway, a proxy or "
        "in code the checks do not recognise"
    ),
    "SEC028": "whether the endpoints without authentication are meant to be public",
    "SEC013": (
        "how requests are checked: by hand, by the framework's binding or types, or by a "
        "gateway; no schema-validation library was found"
    ),
}


def mark_suspicions(checks: list[CheckResult]) -> list[CheckResult]:
    """``checks`` with the failures of suspicion probes marked ``to_confirm``."""
    return [
        check.model_copy(update={"to_confirm": SUSPICIONS[check.id]})
        if check.outcome is Outcome.failed
        and check.id in SUSPICIONS
        and not check.advisory
        and check.waiver is None
        and not check.to_confirm
        else check
        for check in checks
    ]
