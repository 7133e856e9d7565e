"""The LLM judge: one schema-bound call per open question, and an adversary for the big claims.

The model reads the question, the facts of its category as ground truth, and the code that
retrieval found, fenced as untrusted data (lines that address the reader with instructions
are taken out first). It answers ``yes | no | partly | cannot_determine`` with verbatim
evidence. Before anything is kept, code checks the answer (``checks``): every citation must be
in the file, a ``no`` must say what was searched, a healthy answer needs code (not prose, not
a comment) behind it, nothing may quote text addressed to the reader, and no answer may
contradict a fact. What fails is re-asked with the problems, then dropped and counted.

Severity is the question's (``search.toml``), never the model's. A critical or high gap, an
all-clear on a critical or high question, and any all-clear drawn from code that carried
instructions to its reader face a second call that tries to refute them; a claim refuted
with verified code is dropped and counted.
"""

from __future__ import annotations

import hashlib
import json

from pipeline.errors import BudgetExceeded, ProviderUnavailable, RateLimited, UnexpectedModelOutput
from pipeline.judge.base import QuestionInput
from pipeline.judge.checks import (
    AnswerDraft,
    CitedEvidence,
    Refutation,
    check_answer,
    check_refutation,
    direction,
)
from pipeline.judge.injection import neutralise
from pipeline.llm.budget import Budget
from pipeline.llm.client import LLMClient, LLMShared, Message
from pipeline.llm.structured import response_format_for
from pipeline.options import ModelOptions
from pipeline.retrieve import pointers
from pipeline.schemas import (
    SEVERITY_ORDER,
    Category,
    CheckResult,
    Evidence,
    Finding,
    QuestionAnswer,
    QuestionJudgement,
    Severity,
    Usage,
)
from pipeline.templates import render, template_hash

__all__ = ["AnswerDraft", "LLMJudge", "LLMShared", "numbered"]

TEMPLATES = ("judge/system.j2", "judge/question.j2", "judge/refute.j2", "judge/reask.j2")
# Bump when AnswerDraft or Refutation change shape: cached answers of the old shape go unused.
ANSWER_SCHEMA_VERSION = "q1"
_SEVERITIES = list(Severity)
_BIG = (Severity.critical, Severity.high)


class LLMJudge:
    """Answers open questions through an LLM; one per repository (it holds the repo budget)."""

    def __init__(self, options: ModelOptions, shared: LLMShared) -> None:
        self.name = f"llm:{options.model}"
        self.options = options
        self.repo_budget = Budget(options.repo_limits, "repo")
        self.client = LLMClient(shared, [self.repo_budget])

    def prompt_hashes(self) -> dict[str, str]:
        """Template name → sha256[:12], for the report's metadata."""
        return {name: template_hash(name) for name in TEMPLATES}

    async def answer(self, item: QuestionInput) -> QuestionJudgement:
        """Answer one open question; what cannot be answered stays open, with pointers.

        Provider trouble (down, rate limited beyond the retries, no answer in time, garbage)
        and a spent budget do not raise: the question stays open, ``cannot_determine``, and
        says why; ``usage.provider_error`` marks it as not final, so a re-run asks again.

        Raises:
            ProviderError: the provider rejected the credentials or the request: a
                configuration error no question can get past.
        """
        usage = Usage()
        data, fence, tainted = self._data(item)
        try:
            got = await self.client.ask(
                self._messages(item, data, fence),
                AnswerDraft,
                schema_version=ANSWER_SCHEMA_VERSION,
                usage=usage,
                check=lambda value: check_answer(item, value, usage),
                reask=lambda problems: render("judge/reask.j2", problems=problems),
            )
        except BudgetExceeded as exc:
            usage.budget_exhausted = str(exc)
            return self._still_open(item, usage, f"not answered: the {exc}")
        except (RateLimited, ProviderUnavailable, UnexpectedModelOutput) as exc:
            return self._provider_fault(item, usage, "not answered", exc)
        usage.dropped_findings += got.dropped
        draft = got.value
        if draft.answer == "cannot_determine":
            reason = draft.explanation.strip() or "the model could not tell from the code"
            return self._still_open(item, usage, f"the model could not tell: {reason}")

        finding = self._finding(item, draft, usage)
        # The big claims face an adversary: a critical or high gap, the absence of a critical
        # or high hazard, and any all-clear drawn from data that carried instructions.
        big = item.hints.severity in (Severity.critical, Severity.high)
        way = direction(item.question, draft.answer)
        must_face = (
            (finding is not None and finding.kind == "gap" and finding.severity in _BIG)
            or (way == "healthy" and big)
            or (way == "healthy" and tainted)
        )
        if must_face:
            try:
                refuted = await self._refute(item, draft, data, fence, usage)
            except BudgetExceeded as exc:
                usage.budget_exhausted = str(exc)
                return self._still_open(item, usage, f"not checked: the {exc}")
            except (RateLimited, ProviderUnavailable, UnexpectedModelOutput) as exc:
                return self._provider_fault(item, usage, "not checked by the adversary", exc)
            if refuted is not None:
                usage.refuted += 1
                usage.dropped_findings += 1
                where = ", ".join(f"{e.path}:{e.start_line}" for e in refuted.evidence[:2])
                return self._still_open(
                    item,
                    usage,
                    f"the model answered {draft.answer!r}, but a second reading refuted it "
                    f"({where}): {refuted.explanation.strip()[:200]}",
                )

        evidence = [_evidence(c) for c in draft.evidence]
        answer = item.left_open.model_copy(
            update={
                "status": "answered",
                "answer": draft.answer,
                "source": "llm",
                "evidence": evidence,
                "reason": draft.explanation.strip(),
                "searched": draft.searched.strip() or item.evidence.searched,
                "finding_ids": [finding.id] if finding else [],
                "usage": usage,
                "pointers": [],
            }
        )
        return QuestionJudgement(answer=answer, findings=[finding] if finding else [])

    # -- pieces --------------------------------------------------------------------------------

    def _still_open(
        self, item: QuestionInput, usage: Usage, reason: str, answer: str | None = None
    ) -> QuestionJudgement:
        left = item.left_open.model_copy(
            update={
                "pointers": pointers(item.evidence),
                "searched": item.evidence.searched,
                "reason": reason[:400],
                "usage": usage,
                "answer": answer or item.left_open.answer,
            }
        )
        return QuestionJudgement(answer=left)

    def _provider_fault(
        self, item: QuestionInput, usage: Usage, what: str, error: Exception
    ) -> QuestionJudgement:
        """The question left open, cannot be determined, because of the provider: marked so
        in ``usage.provider_error`` (the runner keeps no checkpoint of it, the command exits 1)."""
        kind = "garbled answers" if isinstance(error, UnexpectedModelOutput) else "provider trouble"
        reason = f"{what} ({kind}): {' '.join(str(error).split())}"
        usage.provider_error = reason[:300]
        return self._still_open(item, usage, reason, answer="cannot_determine")

    def _finding(self, item: QuestionInput, draft: AnswerDraft, usage: Usage) -> Finding | None:
        """The finding an answer makes: a gap (the question's severity) or a strength."""
        question = item.question
        way = direction(question, draft.answer)
        evidence = [_evidence(c) for c in draft.evidence]
        if way == "healthy":
            if not evidence:
                return None  # a hazard not found: nothing to point at
            kind, severity = "strength", Severity.low
        elif way in ("unhealthy", "partly"):
            kind, severity = "gap", item.hints.severity
            if way == "partly":
                severity = _SEVERITIES[min(SEVERITY_ORDER[severity] + 1, len(_SEVERITIES) - 1)]
        else:
            return None
        if draft.severity is not None and kind == "gap" and draft.severity != severity.value:
            usage.severity_overridden += 1
        anchor = evidence[0].location if evidence else ""
        digest = hashlib.sha256(f"{question.id}\0{draft.answer}\0{anchor}".encode()).hexdigest()
        title = draft.title.strip() or _default_title(question.ask, draft.answer)
        return Finding(
            id=f"LLM-{digest[:10]}",
            category=Category(question.category),
            kind=kind,  # type: ignore[arg-type]
            severity=severity,
            title=title[:120],
            impact=draft.explanation.strip()[:500],
            recommendation=draft.recommendation.strip()[:500],
            source="llm",
            check_id=None,
            evidence=evidence,
            question_id=question.id,
        )

    async def _refute(
        self, item: QuestionInput, draft: AnswerDraft, data: list[dict], fence: str, usage: Usage
    ) -> Refutation | None:
        """The adversary's refutation when it found one in verified code, else None."""
        schema = Refutation.model_json_schema()
        _, schema_in_prompt = response_format_for(
            self.options.model, self.options.api_base, "Refutation", schema
        )
        user = render(
            "judge/refute.j2",
            repo_name=item.repo.name,
            ask=item.question.ask,
            answer=draft.answer,
            explanation=draft.explanation,
            evidence=[c.model_dump() for c in draft.evidence],
            chunks=data,
            fence=fence,
            schema=json.dumps(schema, separators=(",", ":")) if schema_in_prompt else "",
        )
        messages: list[Message] = [
            {"role": "system", "content": render("judge/system.j2", fence=fence)},
            {"role": "user", "content": user},
        ]
        before = usage.llm_requests
        try:
            got = await self.client.ask(
                messages,
                Refutation,
                schema_version=ANSWER_SCHEMA_VERSION,
                usage=usage,
                check=lambda value: check_refutation(item, value, usage),
                reask=lambda problems: render("judge/reask.j2", problems=problems),
            )
        finally:
            usage.refutation_requests += usage.llm_requests - before
        value = got.value
        return value if value.refuted and value.evidence else None

    def _data(self, item: QuestionInput) -> tuple[list[dict], str, bool]:
        """The retrieved chunks as the model sees them (numbered, instructions taken out),
        the fence that marks them, and whether any line had to be taken out."""
        chunks: list[dict] = []
        removed = 0
        for hit in item.evidence.hits:
            chunk = hit.chunk
            lines, taken = neutralise(chunk.text.split("\n"))
            removed += taken
            chunks.append(
                {
                    "path": chunk.path,
                    "start_line": chunk.start_line,
                    "end_line": chunk.end_line,
                    "why": hit.why,
                    "numbered": numbered("\n".join(lines), chunk.start_line),
                }
            )
        fence = hashlib.sha256(
            "\0".join(str(c["numbered"]) for c in chunks).encode("utf-8")
        ).hexdigest()[:12]
        return chunks, fence, removed > 0

    def _messages(self, item: QuestionInput, data: list[dict], fence: str) -> list[Message]:
        schema = AnswerDraft.model_json_schema()
        _, schema_in_prompt = response_format_for(
            self.options.model, self.options.api_base, "AnswerDraft", schema
        )
        question = item.question
        user = render(
            "judge/question.j2",
            repo_name=item.repo.name,
            question_id=question.id,
            category=question.category,
            ask=question.ask,
            guide=question.guide,
            good=question.good,
            probe_note=item.left_open.reason,
            checks=[_fact(check) for check in item.facts],
            searched=item.evidence.searched,
            chunks=data,
            fence=fence,
            schema=json.dumps(schema, separators=(",", ":")) if schema_in_prompt else "",
        )
        return [
            {"role": "system", "content": render("judge/system.j2", fence=fence)},
            {"role": "user", "content": user},
        ]


def _default_title(ask: str, answer: str) -> str:
    return f"{ask.rstrip('?')}: {answer}"


def _evidence(cited: CitedEvidence) -> Evidence:
    return Evidence(
        path=cited.path,
        start_line=cited.start_line,
        end_line=cited.end_line,
        snippet=cited.snippet,
    )


def _fact(check: CheckResult) -> dict[str, str]:
    locations = ", ".join(e.location for e in check.evidence[:3])
    outcome = check.outcome.value
    if check.to_confirm:
        # A suspicion is no ground truth: the question is asked to settle it either way.
        outcome = f"suspected, to confirm ({check.to_confirm})"
    if check.waiver is not None:
        outcome += f" (waived: {check.waiver.value})"
    return {
        "id": check.id,
        "outcome": outcome,
        "title": check.title,
        "message": check.message,
        "locations": locations,
    }


def numbered(text: str, first_line: int) -> str:
    """Chunk text with each line prefixed by its number in the file, as the model sees it."""
    return "\n".join(f"{n}| {line}" for n, line in enumerate(text.split("\n"), first_line))


def still_open(left: QuestionAnswer) -> bool:
    """Whether a judgement left the question open."""
    return left.status == "open"
