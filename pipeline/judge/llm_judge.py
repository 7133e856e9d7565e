"""The LLM judge: one category per question, answers bound to a schema, findings bound to code.

The model reads the category's facts as ground truth and the retrieved chunks as fenced,
untrusted data. Its answer is checked before it is kept: every citation must be in the
file (re-anchored when the lines moved), and no finding may contradict a fact. A rejected
answer is re-asked with the problems; what still fails is dropped and counted.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Literal

from pydantic import BaseModel, Field

from pipeline.errors import BudgetExceeded, UnexpectedModelOutput
from pipeline.judge.base import JudgeInput
from pipeline.judge.citations import verify_evidence
from pipeline.llm.budget import Budget
from pipeline.llm.client import Checked, LLMClient, LLMShared, Message
from pipeline.llm.structured import response_format_for
from pipeline.options import ModelOptions
from pipeline.schemas import (
    CheckResult,
    Evidence,
    Finding,
    JudgeOutput,
    Outcome,
    Severity,
    Usage,
)
from pipeline.templates import render, template_hash

__all__ = ["CategoryAnswer", "LLMJudge", "LLMShared"]

TEMPLATES = ("judge/system.j2", "judge/category.j2", "judge/reask.j2")
# Bump when CategoryAnswer changes shape: cached answers of the old shape are then unused.
ANSWER_SCHEMA_VERSION = "2"
MAX_FINDINGS = 8
_LINE_PREFIX = re.compile(r"^\s*\d+\s*\|\s?", re.MULTILINE)


class CitedEvidence(BaseModel):
    path: str = Field(max_length=300)
    start_line: int = Field(ge=1)
    end_line: int = Field(ge=1)
    snippet: str = Field(min_length=3, max_length=400)


class FindingDraft(BaseModel):
    kind: Literal["gap", "strength"]
    severity: Literal["critical", "high", "medium", "low"]
    title: str = Field(min_length=3, max_length=120)
    impact: str = Field(default="", max_length=500)
    recommendation: str = Field(default="", max_length=500)
    check_id: str | None = None
    evidence: list[CitedEvidence] = Field(min_length=1, max_length=3)


class CategoryAnswer(BaseModel):
    """What the model answers for one category: a summary and findings, never a verdict."""

    summary: str = Field(max_length=800)
    findings: list[FindingDraft] = Field(default_factory=list, max_length=MAX_FINDINGS)


class LLMJudge:
    """Judges categories through an LLM; one instance per repository (it holds the repo budget)."""

    def __init__(self, options: ModelOptions, shared: LLMShared) -> None:
        self.name = f"llm:{options.model}"
        self.options = options
        self.repo_budget = Budget(options.repo_limits, "repo")
        self.client = LLMClient(shared, [self.repo_budget])

    needs_chunks = True

    def prompt_hashes(self) -> dict[str, str]:
        """Template name → sha256[:12], for the report's metadata."""
        return {name: template_hash(name) for name in TEMPLATES}

    async def judge(self, item: JudgeInput) -> tuple[JudgeOutput, Usage]:
        """Judge one category; a spent budget leaves it to the facts and says so."""
        usage = Usage()
        messages = self._messages(item)
        try:
            answer = await self.client.ask(
                messages,
                CategoryAnswer,
                schema_version=ANSWER_SCHEMA_VERSION,
                usage=usage,
                check=lambda value: check_answer(item, value),
                reask=lambda problems: render("judge/reask.j2", problems=problems),
            )
        except BudgetExceeded as exc:
            usage.budget_exhausted = str(exc)
            return self._not_judged(item, f"Not judged: the {exc}."), usage
        except UnexpectedModelOutput as exc:
            return self._not_judged(item, f"Not judged: {exc}."), usage
        usage.dropped_findings += answer.dropped
        findings = [_finding(item, draft) for draft in answer.value.findings]
        judgement = JudgeOutput(
            category=item.spec.id,
            summary=answer.value.summary.strip() or None,
            findings=findings,
            dropped_findings=answer.dropped,
        )
        return judgement, usage

    def _not_judged(self, item: JudgeInput, reason: str) -> JudgeOutput:
        return JudgeOutput(category=item.spec.id, not_judged=reason)

    def _messages(self, item: JudgeInput) -> list[Message]:
        schema = CategoryAnswer.model_json_schema()
        _, schema_in_prompt = response_format_for(
            self.options.model, self.options.api_base, "CategoryAnswer", schema
        )
        chunks: list[dict[str, str | int]] = [
            {
                "path": c.path,
                "start_line": c.start_line,
                "end_line": c.end_line,
                "numbered": numbered(c.text, c.start_line),
            }
            for c in item.chunks
        ]
        fence = hashlib.sha256(
            "\0".join(str(c["numbered"]) for c in chunks).encode("utf-8")
        ).hexdigest()[:12]
        spec = item.spec
        user = render(
            "judge/category.j2",
            repo_name=item.repo.name,
            category=spec.id.value,
            title=spec.title,
            excellent=spec.excellent,
            adequate=spec.adequate,
            missing=spec.missing,
            questions=list(spec.questions),
            checks=[_fact(check) for check in item.checks],
            chunks=chunks,
            fence=fence,
            max_findings=MAX_FINDINGS,
            schema=json.dumps(schema, separators=(",", ":")) if schema_in_prompt else "",
        )
        system = render("judge/system.j2", fence=fence)
        messages: list[Message] = [
            {"role": "system", "content": system},
            {"role": "user", "content": user},
        ]
        return messages


def check_answer(item: JudgeInput, answer: CategoryAnswer) -> Checked[CategoryAnswer]:
    """Keep the findings grounded in the files and consistent with the facts; list the rest."""
    checks = {c.id: c for c in item.checks}
    problems: list[str] = []
    kept: list[FindingDraft] = []
    for draft in answer.findings:
        draft = draft.model_copy(deep=True)
        if draft.check_id is not None and draft.check_id not in checks:
            draft.check_id = None  # an invented reference: the finding stands on its evidence
        contradiction = _contradiction(draft, checks)
        if contradiction:
            problems.append(f'finding "{draft.title}": {contradiction}')
            continue
        verified: list[CitedEvidence] = []
        for cited in draft.evidence:
            ev = verify_evidence(item.snapshot, _as_evidence(cited))
            if ev is None:
                problems.append(
                    f'finding "{draft.title}": {cited.path} lines {cited.start_line}-'
                    f"{cited.end_line} do not contain the quoted snippet (or the file is not "
                    "in the data); quote the code exactly"
                )
                continue
            verified.append(
                CitedEvidence(
                    path=ev.path,
                    start_line=ev.start_line,
                    end_line=ev.end_line,
                    snippet=ev.snippet if len(ev.snippet) >= 3 else cited.snippet,
                )
            )
        if verified:
            draft.evidence = verified
            kept.append(draft)
    value = answer.model_copy(update={"findings": kept})
    return Checked(value, problems, dropped=len(answer.findings) - len(kept))


def _contradiction(draft: FindingDraft, checks: dict[str, CheckResult]) -> str | None:
    check = checks.get(draft.check_id or "")
    if check is None:
        return None
    if draft.kind == "gap" and check.outcome == Outcome.passed:
        return f"a gap contradicts the fact {check.id}, whose outcome is pass"
    if draft.kind == "strength" and check.outcome == Outcome.failed:
        return f"a strength contradicts the fact {check.id}, whose outcome is fail"
    return None


def _as_evidence(cited: CitedEvidence) -> Evidence:
    """The citation as evidence, with line-number prefixes and redaction markers taken out."""
    snippet = _LINE_PREFIX.sub("", cited.snippet)
    return Evidence(
        path=cited.path.strip().removeprefix("./"),
        start_line=cited.start_line,
        end_line=cited.end_line,
        snippet=snippet,
    )


def _finding(item: JudgeInput, draft: FindingDraft) -> Finding:
    evidence = [Evidence(**e.model_dump()) for e in draft.evidence]
    anchor = evidence[0].location if evidence else ""
    digest = hashlib.sha256(f"{item.spec.id.value}\0{draft.title}\0{anchor}".encode()).hexdigest()
    return Finding(
        id=f"LLM-{digest[:10]}",
        category=item.spec.id,
        kind=draft.kind,
        severity=Severity(draft.severity),
        title=draft.title.strip(),
        impact=draft.impact.strip(),
        recommendation=draft.recommendation.strip(),
        source="llm",
        check_id=draft.check_id,
        evidence=evidence,
    )


def _fact(check: CheckResult) -> dict[str, str]:
    locations = ", ".join(e.location for e in check.evidence[:3])
    outcome = check.outcome.value
    if check.waiver is not None:
        outcome += f" (waived: {check.waiver.value})"
    return {
        "id": check.id,
        "outcome": outcome,
        "severity": check.severity.value,
        "title": check.title,
        "message": check.message,
        "locations": locations,
    }


def numbered(text: str, first_line: int) -> str:
    """Chunk text with each line prefixed by its number in the file, as the model sees it."""
    return "\n".join(f"{n}| {line}" for n, line in enumerate(text.split("\n"), first_line))
