"""Reusable probe shapes: "this capability is used" and "this hazard is absent"."""

from __future__ import annotations

from typing import ClassVar

from pipeline.probes.base import Probe, ProbeContext
from pipeline.probes.facts import CODE, Hit, database, find_import, grep, outbound, plural, service
from pipeline.schemas import CheckResult

_REQUIREMENTS = {
    "service": (service, "no web or RPC server framework and no listen call was found"),
    "database": (database, "the code uses no database client"),
    "outbound": (outbound, "the code makes no outbound HTTP calls"),
}


def requirement(ctx: ProbeContext, name: str | None) -> tuple[Hit | None, str]:
    """The evidence a probe's precondition holds, and the reason to give when it does not."""
    if name is None:
        return None, ""
    if name == "service":
        from pipeline.probes.software import software_kind

        kind = software_kind(ctx)
        return kind.server, kind.reason
    finder, reason = _REQUIREMENTS[name]
    return finder(ctx), reason


class CapabilityProbe(Probe):
    """Passes when a library for the capability is imported (or a telling call is made)."""

    modules: ClassVar[tuple[str, ...]] = ()
    pattern: ClassVar[str | None] = None
    languages: ClassVar[tuple[str, ...]] = CODE
    requires: ClassVar[str | None] = None
    what: ClassVar[str] = "it"
    # Whether the pattern describes code (skip matches inside string literals) or values.
    code_only: ClassVar[bool] = True

    def find(self, ctx: ProbeContext) -> Hit | None:
        hit = find_import(ctx, *self.modules) if self.modules else None
        if hit is None and self.pattern:
            hits = grep(ctx, self.pattern, self.languages, limit=1, code_only=self.code_only)
            hit = hits[0] if hits else None
        return hit

    def check(self, ctx: ProbeContext) -> CheckResult:
        if not grep(ctx, r"\S", self.languages, limit=1):
            return self.not_applicable("No product code in a language this probe reads.")
        needed, reason = requirement(ctx, self.requires)
        if self.requires and needed is None:
            return self.not_applicable(f"Not applicable: {reason}.")
        hit = self.find(ctx)
        if hit:
            return self.passed(
                [hit.evidence(ctx)], f"{self.what.capitalize()} found: `{hit.text}` ({hit.where})."
            )
        evidence = [needed.evidence(ctx)] if needed else ctx.anchor()
        context = f" although the code {self.requires_phrase()} ({needed.where})" if needed else ""
        return self.failed(evidence, f"No {self.what} found{context}. {self.message()}")

    def requires_phrase(self) -> str:
        return {
            "service": "serves requests",
            "database": "uses a database",
            "outbound": "makes outbound calls",
        }.get(self.requires or "", "")


class HazardProbe(Probe):
    """Fails when a risky pattern appears in product code; cites up to five sites."""

    pattern: ClassVar[str]
    languages: ClassVar[tuple[str, ...]] = CODE
    what: ClassVar[str] = "occurrence"
    tests: ClassVar[bool | None] = False
    # Skip matches starting inside a string literal (`"panic("` is text, not a call).
    code_only: ClassVar[bool] = True

    def hits(self, ctx: ProbeContext) -> list[Hit]:
        return grep(ctx, self.pattern, self.languages, tests=self.tests, code_only=self.code_only)

    def check(self, ctx: ProbeContext) -> CheckResult:
        files = ctx.code_files(*self.languages, tests=self.tests)
        if not files:
            return self.not_applicable(
                f"No {'/'.join(self.languages)} code in scope, so nothing to check."
            )
        hits = self.hits(ctx)
        if hits:
            where = ", ".join(h.where for h in hits[:3])
            return self.failed(
                [h.evidence(ctx) for h in hits[:5]],
                f"{plural(len(hits), self.what)} in product code ({where}"
                f"{', ...' if len(hits) > 3 else ''}). {self.message()}",
            )
        # A pass that rests on finding nothing has no line to cite (see Probe.passed).
        return self.passed(
            [],
            f"No {self.what} in {plural(len(files), 'product code file')}.",
        )
