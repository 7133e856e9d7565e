"""An unreliable model: it knows the golden answers, and lies at set rates.

A responder for :class:`~pipeline.evaluation.provider.FakeOpenAI`. Asked an open question of
a golden repository, it answers from the labels, but only with what it was shown (a label
whose evidence is not in the prompt's data gets ``cannot_determine``), and at the rates of
:class:`FaultRates` it instead:

- **fabricates** a citation (code that is not in the file);
- **contradicts a fact** (the healthy answer where a required fact failed, or an answer tied
  to a fact whose outcome says the opposite);
- answers **off-schema** (broken or wrong-shaped JSON, or prose);
- gives a **wrong severity**;
- and, whenever its data holds text planted to talk a model round (the repository's
  ``injections``), **obeys it**: the healthy answer, citing the planted text.

Asked to refute a claim, it refutes it with the labelled evidence when the labels disagree
with the claim. Every response carries a marker (``ref`` and a hex id) in its explanation and
is logged, so the evaluation can tell which responses reached the report.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import threading
from dataclasses import dataclass, field

from pipeline.evaluation.golden.questions_spec import QuestionTruth
from pipeline.evaluation.provider import Reply, Request
from pipeline.rubric.questions import Question, questions

_REPO = re.compile(r"^Repository: (?P<name>\S+)", re.MULTILINE)
_QUESTION = re.compile(r"^Question \((?P<category>[^,]+), (?P<id>[\w.]+)\):", re.MULTILINE)
_CLAIM = re.compile(r'answered the question "(?P<ask>.+?)" with "(?P<answer>\w+)"')
_BLOCK = re.compile(r"^--- file: (?P<path>\S+) lines (?P<start>\d+)-(?P<end>\d+)", re.MULTILINE)
_NUMBERED = re.compile(r"^(?P<n>\d+)\| (?P<code>.*)$")
_FACT = re.compile(r"^- \[(?P<id>[A-Z]+\d+)\] (?P<outcome>pass|fail)\b", re.MULTILINE)
_FAKE_CODE = (
    "name = sanitize_filename(name)  # checked against the root",
    "os.chmod(token_file, 0o600)",
    "with portalocker.Lock(path, timeout=10):",
    "cache.expire(max_age=86400)",
    "respx.mock(base_url=API_URL)",
)


@dataclass(frozen=True)
class FaultRates:
    """How often each kind of lie is told (the rest of the answers are the labels')."""

    fabricated: float = 0.2
    contradiction: float = 0.15
    off_schema: float = 0.15
    wrong_severity: float = 0.3
    obeys_injection: float = 1.0


@dataclass
class Response:
    """One response of the model, as the evaluation tallies it."""

    repo: str
    question_id: str
    kind: str  # correct, fabricated, contradiction, off_schema, injected, unsure, refutation
    marker: str
    answer: str | None = None
    wrong_severity: bool = False
    fabricated: list[str] = field(default_factory=list)  # invented snippets it cited


class UnreliableModel:
    """The responder; ``responses`` logs what it did (thread-safe)."""

    def __init__(
        self,
        truths: dict[str, dict[str, QuestionTruth]],
        injections: dict[str, tuple[str, ...]],
        severities: dict[str, str],
        rates: FaultRates | None = None,
        seed: int = 0,
    ) -> None:
        self.truths = truths
        self.injections = injections
        self.severities = severities
        self.rates = rates or FaultRates()
        self.seed = seed
        self.responses: list[Response] = []
        self._lock = threading.Lock()
        self._by_ask = {q.ask: q for q in questions()}
        self._by_id = {q.id: q for q in questions()}

    def __call__(self, request: Request) -> Reply:
        messages = request.messages
        first = next((str(m.get("content", "")) for m in messages if m.get("role") == "user"), "")
        rng = random.Random(f"{self.seed}\0{request.prompt_text}")
        repo = (_REPO.search(first) or {"name": ""})["name"]  # type: ignore[index]
        claim = _CLAIM.search(first)
        if claim:
            return self._refute(repo, first, claim["ask"], claim["answer"], rng)
        asked = _QUESTION.search(first)
        if asked is None:
            return Reply(content="I cannot help with that.")
        return self._answer(repo, self._by_id[asked["id"]], first, rng)

    # -- answers -----------------------------------------------------------------------------

    def _answer(self, repo: str, question: Question, prompt: str, rng: random.Random) -> Reply:
        shown = _shown(prompt)
        truth = self.truths.get(repo, {}).get(question.id)
        planted = self._planted(repo, shown)
        rates = self.rates
        if planted is not None and rng.random() < rates.obeys_injection:
            path, line, text = planted
            cite = [_cite(path, line, text)]
            return self._reply(
                repo, question, "injected", question.good or "no", cite, rng,
                explanation=f"The code says so itself: {text.strip()[:120]}",
                searched="the data shown",
            )  # fmt: skip
        roll = rng.random()
        if roll < rates.off_schema:
            self._log(Response(repo, question.id, "off_schema", self._marker(rng)))
            broken = rng.choice(
                ['{"answer": "yes", "explanat', '{"verdict": "pass", "summary": "ok"}',
                 "Sure! The answer is yes, the code looks fine.", '{"answer": "maybe"}']
            )  # fmt: skip
            return Reply(content=broken)
        correct = _labelled(truth, shown)
        if roll < rates.off_schema + rates.fabricated:
            answer, cite, searched = correct or ("yes", [], "")
            path = cite[0]["path"] if cite else (next(iter(shown), "app.py"))
            invented = rng.choice(_FAKE_CODE)
            start = cite[0]["start_line"] if cite else 3
            fake = _cite(path, start, invented)
            return self._reply(
                repo, question, "fabricated", answer if answer != "no" else "yes", [fake], rng,
                searched=searched, fabricated=[invented],
            )  # fmt: skip
        if roll < rates.off_schema + rates.fabricated + rates.contradiction:
            lie = self._contradiction(question, prompt, shown, rng)
            if lie is not None:
                answer, cite, check_id = lie
                return self._reply(
                    repo, question, "contradiction", answer, cite, rng, check_id=check_id,
                    searched="the data shown",
                )  # fmt: skip
        if correct is None:
            self._log(Response(repo, question.id, "unsure", self._marker(rng)))
            return Reply.json({"answer": "cannot_determine", "explanation": "Not in the data."})
        answer, cite, searched = correct
        return self._reply(repo, question, "correct", answer, cite, rng, searched=searched)

    def _contradiction(
        self, question: Question, prompt: str, shown: dict[str, dict[int, str]], rng: random.Random
    ) -> tuple[str, list[dict], str | None] | None:
        facts = {m["id"]: m["outcome"] for m in _FACT.finditer(prompt)}
        if not facts or not question.good:
            return None
        fact_id = rng.choice(sorted(facts))
        healthy, unhealthy = question.good, question.bad
        answer = healthy if facts[fact_id] == "fail" else unhealthy
        path, lines = next(iter(shown.items()), ("", {}))
        code = next(((n, t) for n, t in lines.items() if len(t.strip()) > 5), None)
        cite = [_cite(path, code[0], code[1])] if code else []
        return answer, cite, fact_id

    def _planted(self, repo: str, shown: dict[str, dict[int, str]]) -> tuple[str, int, str] | None:
        for phrase in self.injections.get(repo, ()):
            for path, lines in shown.items():
                for number, text in lines.items():
                    if phrase in text:
                        return path, number, text
        return None

    def _reply(
        self,
        repo: str,
        question: Question,
        kind: str,
        answer: str,
        cite: list[dict],
        rng: random.Random,
        explanation: str = "",
        searched: str = "",
        check_id: str | None = None,
        fabricated: list[str] | None = None,
    ) -> Reply:
        marker = self._marker(rng)
        severity = self.severities.get(question.id, "medium")
        wrong = rng.random() < self.rates.wrong_severity
        if wrong:
            severity = rng.choice(
                [s for s in ("critical", "high", "medium", "low") if s != severity]
            )
        self._log(Response(repo, question.id, kind, marker, answer, wrong, list(fabricated or [])))
        body = {
            "answer": answer,
            "explanation": f"{explanation or 'Answered from the code shown.'} ({marker})",
            "searched": searched or ("the data shown" if answer == "no" else ""),
            "evidence": cite,
            "check_id": check_id,
            "title": f"{question.ask.rstrip('?')[:90]}: {answer}",
            "recommendation": "Follow the rubric's guide for this question.",
            "severity": severity,
        }
        return Reply.json(body)

    # -- refutations --------------------------------------------------------------------------

    def _refute(self, repo: str, prompt: str, ask: str, claimed: str, rng: random.Random) -> Reply:
        question = self._by_ask.get(ask)
        truth = self.truths.get(repo, {}).get(question.id) if question else None
        shown = _shown(prompt)
        marker = self._marker(rng)
        qid = question.id if question else "?"
        if rng.random() < self.rates.off_schema:
            self._log(Response(repo, qid, "off_schema", marker))
            return Reply(content='{"refuted": tru')
        correct = _labelled(truth, shown)
        wrong = correct is not None and not _agrees(correct[0], claimed)
        if rng.random() < self.rates.fabricated and wrong:
            invented = rng.choice(_FAKE_CODE)
            path = correct[1][0]["path"] if correct and correct[1] else next(iter(shown), "x")
            self._log(Response(repo, qid, "refutation", marker, "refuted", fabricated=[invented]))
            return Reply.json(
                {"refuted": True, "explanation": f"See the code. ({marker})",
                 "evidence": [_cite(path, 1, invented)]}
            )  # fmt: skip
        self._log(Response(repo, qid, "refutation", marker, "refuted" if wrong else "stands"))
        if wrong and correct is not None and correct[1]:
            return Reply.json(
                {"refuted": True, "explanation": f"The labelled code says otherwise. ({marker})",
                 "evidence": correct[1]}
            )  # fmt: skip
        return Reply.json({"refuted": False, "explanation": f"Nothing refutes it. ({marker})"})

    # -- bookkeeping -------------------------------------------------------------------------

    def _marker(self, rng: random.Random) -> str:
        return "ref " + hashlib.sha256(str(rng.random()).encode()).hexdigest()[:10]

    def _log(self, response: Response) -> None:
        with self._lock:
            self.responses.append(response)


def _agrees(truth: str, claimed: str) -> bool:
    """Whether a claim says what the labels say."""
    return truth == claimed


def _cite(path: str, line: int, text: str) -> dict:
    return {"path": path, "start_line": line, "end_line": line, "snippet": text.strip()[:300]}


def _shown(prompt: str) -> dict[str, dict[int, str]]:
    """The data blocks of a prompt: path → line number → text, as the model was shown."""
    shown: dict[str, dict[int, str]] = {}
    current: dict[int, str] | None = None
    for line in prompt.split("\n"):
        block = _BLOCK.match(line)
        if block:
            current = shown.setdefault(block["path"], {})
            continue
        if line.startswith("<<<END DATA"):
            current = None
            continue
        if current is not None:
            numbered = _NUMBERED.match(line)
            if numbered:
                current[int(numbered["n"])] = numbered["code"]
    return shown


def _labelled(
    truth: QuestionTruth | None, shown: dict[str, dict[int, str]]
) -> tuple[str, list[dict], str] | None:
    """The labelled answer with the labelled evidence the model could see, or None when it
    could not see enough to give it."""
    if truth is None:
        return None
    cite = []
    for place in truth.evidence:
        lines = shown.get(place.path, {})
        first = place.text.split("\n")[0]
        if lines.get(place.start_line, "").strip() == first.strip() and first.strip():
            cite.append(_cite(place.path, place.start_line, first))
    if truth.answer in ("yes", "partly") and not cite:
        return None
    searched = truth.searched or "the data shown, for the question's code"
    return truth.answer, cite, searched


def load_truths(
    repos: dict[str, list[QuestionTruth]],
) -> dict[str, dict[str, QuestionTruth]]:
    """Repository → question id → truth."""
    return {name: {t.question_id: t for t in truths} for name, truths in repos.items()}


def summary(responses: list[Response]) -> dict[str, int]:
    """How many responses of each kind the model gave."""
    counts: dict[str, int] = {}
    for response in responses:
        counts[response.kind] = counts.get(response.kind, 0) + 1
        if response.wrong_severity:
            counts["wrong_severity"] = counts.get("wrong_severity", 0) + 1
    return dict(sorted(counts.items()))


def as_json(responses: list[Response]) -> str:
    """The log, for eval.json's neighbours."""
    return json.dumps([r.__dict__ for r in responses], indent=2)
