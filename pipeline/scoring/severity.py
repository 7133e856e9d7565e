"""Severity in context: the same fact weighs differently in different kinds of software.

A probe's severity is what the fact costs in the software it matters most to (a web
service, usually). This table lowers it where the profile says the risk cannot arise the
same way, and says why in ``severity_note`` so the reader sees the reasoning, not just a
smaller number. It only ever lowers: a false blocker costs more trust than a missed one.
Where the profile makes a failure no gap at all, ``ADVISORIES`` marks it advisory instead:
the fact stands, the gap goes (see ``CheckResult.advisory``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pipeline.schemas import SEVERITY_ORDER, CheckResult, Outcome, Profile, Severity

_EXPOSED = {"web_service", "worker"}
_LIBRARY = {"library", "sdk"}


def _kinds(profile: Profile) -> set[str]:
    return set(profile.kinds)


def _library_only(profile: Profile) -> bool:
    return bool(_kinds(profile)) and _kinds(profile) <= _LIBRARY


def _own_files_tool(profile: Profile) -> bool:
    """A command-line tool with no database: what it stores is its user's own files."""
    return (
        bool(_kinds(profile))
        and _kinds(profile) <= {"cli"}
        and not profile.conditions.get("database", False)
    )


def _command_line_tool(profile: Profile) -> bool:
    """A command-line tool (maybe also a library), and nothing that serves or runs as a
    worker: whoever sets its options runs it, for themselves."""
    kinds = _kinds(profile)
    return "cli" in kinds and kinds <= {"cli", *_LIBRARY}


def _self_contained_library(profile: Profile) -> bool:
    """A library that neither calls out nor keeps a database: its tests through the public
    API are its end-to-end tests."""
    return (
        bool(_kinds(profile))
        and _kinds(profile) <= {"library"}
        and not profile.conditions.get("outbound", False)
        and not profile.conditions.get("database", False)
    )


def _not_exposed(profile: Profile) -> bool:
    return bool(_kinds(profile)) and not _kinds(profile) & _EXPOSED


def _not_long_running(profile: Profile) -> bool:
    return bool(_kinds(profile)) and _kinds(profile) <= {"cli", "research", *_LIBRARY}


def _research(profile: Profile) -> bool:
    return "research" in _kinds(profile) and not _kinds(profile) & _EXPOSED


_SERVER_LANGUAGES = ("python", "go", "rust", "java", "kotlin", "ruby", "php", "csharp")


def _js_app(profile: Profile) -> bool:
    """A JavaScript or TypeScript application (a front end, a Next.js app), where the
    console is the logger and the platform keeps its output: nine in ten of its code lines
    are JavaScript or TypeScript."""
    if not _kinds(profile) & {"app", "web_service"}:
        return False
    lines = profile.languages
    js = lines.get("javascript", 0) + lines.get("typescript", 0)
    other = sum(lines.get(language, 0) for language in _SERVER_LANGUAGES)
    return js > 0 and js >= 9 * other


def _tool_or_library(profile: Profile) -> bool:
    """A command-line tool or a library, and nothing that serves or calls an API."""
    return bool(_kinds(profile)) and _kinds(profile) <= {"cli", "library"}


def _stateless_relay(profile: Profile) -> bool:
    """A service that keeps no data (no database, no state files) and calls no other
    service: what an unauthenticated caller reaches is what it relays or computes for them
    (excalidraw-room forwards end-to-end encrypted messages between a room's members)."""
    conditions = profile.conditions
    return (
        "web_service" in _kinds(profile)
        and not conditions.get("stores_data", False)
        and not conditions.get("outbound", False)
    )


def _keeps_no_data(profile: Profile) -> bool:
    """A service with no database and no state files: what a request sends is shown back
    or handed to the services it calls, not stored (vercel/commerce forwards to Shopify's
    API, which checks its own input)."""
    return "web_service" in _kinds(profile) and not profile.conditions.get("stores_data", False)


def _local_state(profile: Profile) -> bool:
    return _not_exposed(profile) and not profile.conditions.get("database", False)


@dataclass(frozen=True)
class Adjustment:
    """Lower ``checks`` to ``severity`` when ``when`` holds for the profile, because ``note``.

    ``every_check_but``: the rule applies to every check except these (``checks`` unused).
    ``{teaching}`` in the note is the README line that makes the code teaching material."""

    checks: tuple[str, ...]
    when: Callable[[Profile], bool]
    severity: Severity
    note: str
    every_check_but: tuple[str, ...] | None = None

    def covers(self, check_id: str) -> bool:
        if self.every_check_but is not None:
            return check_id not in self.every_check_but
        return check_id in self.checks


def _teaching(profile: Profile) -> bool:
    return profile.teaching is not None


# Hazards a reader of teaching code would copy: they keep their weight in a tutorial too.
_COPIED_HAZARDS = (
    "SEC001",
    "SEC002",
    "SEC003",
    "SEC004",
    "SEC005",
    "SEC006",
    "SEC010",
    "SEC016",
    "SEC017",
    "SEC029",
    "SEC030",
)


ADJUSTMENTS: tuple[Adjustment, ...] = (
    # The most specific first: the first rule that lowers a check is the one applied.
    # Second readers of tut-rest and mini-redis called "no tests" critical, "no
    # authentication" and "no Dockerfile" high two levels too high for teaching code.
    Adjustment(
        (),
        _teaching,
        Severity.low,
        "Lowered: the project says it is teaching material ({teaching}); a missing "
        "production practice is a lesson left out, not a blocker for what it is. Hazards a "
        "reader would copy (secrets, injection, unsafe loading) keep their weight.",
        every_check_but=_COPIED_HAZARDS,
    ),
    Adjustment(
        ("ERR001", "ERR009", "SEC004"),
        _research,
        Severity.low,
        "Lowered for research code: its scripts are run by their authors on their own "
        "checkpoints and data, so a broad handler or an unpickled checkpoint costs one run, "
        "not a service's state or its users' machines.",
    ),
    Adjustment(
        ("SEC002", "SEC003", "SEC004", "SEC006", "SEC029"),
        _not_exposed,
        Severity.medium,
        "Lowered: the software serves no network requests, so only input its own users or "
        "callers pass can reach this line; review what flows in rather than treat it as a "
        "remote exploit.",
    ),
    Adjustment(
        ("SEC005",),
        _command_line_tool,
        Severity.medium,
        "Lowered: a command-line tool makes these connections for the user who runs it, to "
        "servers that user names or to its own update check; a man in the middle can forge "
        "what that one user receives, not reach a service's data or its users.",
    ),
    Adjustment(
        ("SEC012",),
        _stateless_relay,
        Severity.medium,
        "Lowered: the service keeps no data and calls no other service, so no stored record "
        "or downstream account is exposed; check who may use what it computes or relays "
        "(room or capability links, rate limits).",
    ),
    Adjustment(
        ("SEC013",),
        _keeps_no_data,
        Severity.medium,
        "Lowered: the service stores nothing, so malformed input cannot corrupt its data; it "
        "reaches the pages it renders and the services it calls, which check their own input.",
    ),
    Adjustment(
        ("DEP002",),
        _not_exposed,
        Severity.low,
        "Lowered: the image packages a program its user runs (a tool, a training "
        "environment), not a long-running service others can reach.",
    ),
    Adjustment(
        ("OBS001",),
        _not_long_running,
        Severity.low,
        "Lowered: a command-line tool, library or script reports through its output, "
        "exceptions and exit codes; a logging framework matters most to long-running services.",
    ),
    Adjustment(
        ("OBS001",),
        _js_app,
        Severity.low,
        "Lowered for a JavaScript application: console output is what its platform (the "
        "browser, Vercel, a container's log driver) collects; a logging library adds levels "
        "and structure, which matter once it runs as a busy service.",
    ),
    Adjustment(
        ("REL001",),
        _not_long_running,
        Severity.low,
        "Lowered: the calls run inside a command, a script or a caller's process, which the "
        "user can interrupt and the caller can bound; a missing timeout cannot pile up a "
        "service's workers.",
    ),
    Adjustment(
        ("REL002", "REL003"),
        _not_long_running,
        Severity.low,
        "Lowered: a command, script or library call that fails can be re-run by its user or "
        "retried by its caller; retries and circuit breakers protect long-running services.",
    ),
    Adjustment(
        ("ERR002", "ERR003", "ERR011"),
        _not_exposed,
        Severity.medium,
        "Lowered: no service keeps running on a silently wrong state here; a swallowed error "
        "costs one run or one call, and many such handlers are deliberate fallbacks (review "
        "each).",
    ),
    Adjustment(
        ("TST001",),
        _research,
        Severity.medium,
        "Lowered from critical for research code: results should still be reproducible and "
        "checked, but no users depend on it as a service.",
    ),
    Adjustment(
        ("TST002", "TST003", "CQ001", "CQ002", "CQ003", "CQ004", "DEP008", "CFG001"),
        _research,
        Severity.low,
        "Lowered for research code, which is run by its authors rather than shipped.",
    ),
    Adjustment(
        ("DATA002",),
        _local_state,
        Severity.medium,
        "Lowered: the software keeps local files for one user, not a shared database; "
        "the loss is one user's, and a documented location lets them back it up.",
    ),
)


@dataclass(frozen=True)
class Advisory:
    """A failure of ``checks`` is a fact but no gap when ``when`` holds, because ``note``."""

    checks: tuple[str, ...]
    when: Callable[[Profile], bool]
    note: str


# Reviewers reading these failures in research code called them "does not apply": the
# scripts are run once by their authors, so a load test, a lockfile or input validation is
# no production gap. The fact still answers its question and is listed apart.
ADVISORIES: tuple[Advisory, ...] = (
    Advisory(
        ("PERF004", "TST012"),
        _research,
        "Not counted as a gap in research code: training and evaluation scripts run once by "
        "their authors, and their benchmark is the model's evaluation, not a load test.",
    ),
    Advisory(
        (
            "DATA008",
            "TST011",
            "DATA007",
            "DATA002",
            "SEC020",
            "SEC008",
            "SEC009",
            "ERR008",
            "DEP013",
            "CFG004",
            "CFG001",
            "CFG005",
            "CQ008",
            "DOC003",
            "DEP009",
            "OBS003",
            "PERF003",
            "REL002",
        ),
        _research,
        "Not counted as a gap in research code, which its authors run from a checkout "
        "rather than ship: no release to keep patched, no deployment to configure.",
    ),
    Advisory(
        ("DATA002", "PERF006"),
        _library_only,
        "Not counted as a gap in a library: the database it talks to, and what it keeps there "
        "(a cache, a token, tables it is asked to create), belong to the program that uses it; "
        "backups and indexes are that program's concern.",
    ),
    Advisory(
        ("DATA002",),
        _own_files_tool,
        "Not counted as a gap in a command-line tool: the files it keeps (its config, a "
        "session) are its user's own, in the user's home, backed up with the rest of it.",
    ),
    Advisory(
        ("TST007",),
        _self_contained_library,
        "Not counted as a gap in a self-contained library: with no service to call and no "
        "database, tests that drive its public API (encode, decode, parse) are already end to "
        "end.",
    ),
    Advisory(
        ("OBS009", "SEC026"),
        _library_only,
        "Not counted as a gap in a library: it reports to its caller (exceptions, return "
        "values, and a logger left silent until the application configures logging), and an "
        "option its caller must pass on purpose is the caller's decision.",
    ),
    Advisory(
        ("SEC026",),
        _command_line_tool,
        "Not counted as a gap in a command-line tool: a flag or environment variable its user "
        "must set on purpose to skip TLS verification (like curl's -k) is a deliberate escape "
        "hatch for a private or self-signed server, chosen by the user for their own run.",
    ),
    # Readers of real CLIs (glow, pipx) called a retry on a one-shot fetch "does not apply":
    # the user who typed the command sees it fail and runs it again.
    Advisory(
        ("REL002", "REL003"),
        _command_line_tool,
        "Not counted as a gap in a command-line tool: each outbound call serves one command "
        "its user typed and is watching; a failure is reported and the user runs it again. "
        "Retries and circuit breakers protect services and workers that call on nobody's "
        "watch.",
    ),
    Advisory(
        ("ERR008",),
        _tool_or_library,
        "Not counted as a gap in a command-line tool or a library: its failures are its "
        "callers' mistakes or its exit codes, which the standard error types describe; a "
        "hierarchy of its own pays off in a service or an SDK with failures to tell apart.",
    ),
)


def adjust_severity(checks: list[CheckResult], profile: Profile) -> list[CheckResult]:
    """``checks`` with severities lowered where the profile makes the fact weigh less, and
    failures marked advisory where it makes them no gap at all."""
    adjusted = []
    for check in checks:
        if check.outcome is Outcome.failed and not check.advisory:
            for advice in ADVISORIES:
                if check.id in advice.checks and advice.when(profile):
                    check = check.model_copy(update={"advisory": advice.note})
                    break
        for rule in ADJUSTMENTS:
            if (
                rule.covers(check.id)
                and SEVERITY_ORDER[rule.severity] > SEVERITY_ORDER[check.severity]
                and rule.when(profile)
            ):
                teaching = profile.teaching.location if profile.teaching else ""
                note = rule.note.replace("{teaching}", teaching)
                check = check.model_copy(update={"severity": rule.severity, "severity_note": note})
                break
        adjusted.append(check)
    return adjusted
