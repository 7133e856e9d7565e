"""The real-world corpus: public repositories at pinned commits, labelled by people who read them.

``manifest.toml`` names the repositories (never their code); ``labels/<name>.toml`` holds a
reader's answer to every question of ``pipeline/rubric/questions.toml``, written without
seeing any report (see LABELLING.md); ``reviews/<name>.toml`` holds a second reader's check of
a sample of a report's own claims. This module scores reports against the labels:

* a question is **addressed** when the report answers it (yes, no, partly; from the profile
  or the probes, or a model with evidence); open and ``cannot_determine`` answers are not;
* **accuracy** is the share of addressed answers that agree with the label; a report that
  answers a question the label says does not apply (auth for a CLI) is wrong;
* **coverage** is the share of applicable labelled questions the report addresses.

A label of ``partly`` agrees with ``partly`` and with the unhealthy answer (there is a gap,
in part); ``cannot_determine`` labels are not scored.
"""

from __future__ import annotations

import json
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.questions import settle
from pipeline.rubric.questions import Question, questions
from pipeline.schemas import CheckResult

HERE = Path(__file__).resolve().parent
SCORED = ("yes", "no", "partly")


@dataclass(frozen=True)
class Repo:
    """One manifest entry."""

    name: str
    github: str
    commit: str
    kind: str
    language: str
    scope: str | None = None
    holdout: bool = False
    holdout_round: int = 0  # 1: the first held-out set; 2: added after round 1 was spent


def manifest(path: Path = HERE / "manifest.toml") -> list[Repo]:
    entries = tomllib.loads(path.read_text(encoding="utf-8"))["repo"]
    return [
        Repo(
            name=e["name"],
            github=e["github"],
            commit=e["commit"],
            kind=e["kind"],
            language=e["language"],
            scope=e.get("scope") or None,
            holdout=bool(e.get("holdout", False)),
            holdout_round=int(e.get("holdout_round", 1 if e.get("holdout") else 0)),
        )
        for e in entries
    ]


def labels(name: str, folder: Path = HERE / "labels") -> dict[str, dict[str, Any]]:
    """Question id → the labeller's answer record for repository ``name`` ({} if unlabelled)."""
    path = folder / f"{name}.toml"
    if not path.is_file():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {answer["id"]: answer for answer in data.get("answer", [])}


def report_answers(report: dict[str, Any]) -> dict[str, Any]:
    """Question id → the report's answer (a string, a list of kinds, or None for open).

    Reports that carry ``questions`` are read directly; older reports (before the questions
    existed) are read through the same settling rule from their checks.
    """
    answers: dict[str, Any] = {}
    profile = report.get("profile") or {}
    if profile.get("kinds"):
        answers["profile.kind"] = list(profile["kinds"])
    if report.get("questions"):
        for q in report["questions"]:
            if q["status"] == "answered":
                answers[q["id"]] = q["answer"]
            elif q["status"] == "not_applicable":
                answers[q["id"]] = "not_applicable"
            else:
                answers[q["id"]] = None
        return answers
    checks = [CheckResult.model_validate(_old_check(c)) for c in report.get("checks", [])]
    for q in questions():
        if q.settled_by:
            answers[q.id] = settle(q, checks)[0]
    return answers


def _old_check(check: dict[str, Any]) -> dict[str, Any]:
    fields = set(CheckResult.model_fields)
    return {k: v for k, v in check.items() if k in fields}


@dataclass
class Verdict:
    question: str
    label: Any
    answer: Any
    status: str  # correct, wrong, unaddressed, skipped


def judge(question: Question | None, label: Any, answer: Any) -> str:
    """correct, wrong, unaddressed or skipped, for one labelled question."""
    if question is None or question.id == "profile.kind":
        if not isinstance(label, list):
            return "skipped"
        if not answer:
            return "unaddressed"
        return "correct" if _kinds(label) == _kinds(answer) else "wrong"
    if label == "cannot_determine" or label is None:
        return "skipped"
    if label == "not_applicable":
        return "wrong" if answer in SCORED else "skipped"
    if answer not in SCORED:
        return "unaddressed"
    if answer == label:
        return "correct"
    if label == "partly" and answer == question.bad:
        return "correct"
    return "wrong"


def _kinds(kinds: list[str]) -> frozenset[str]:
    found = set(kinds)
    if "sdk" in found:
        found.discard("library")  # an SDK is a library for a remote API
    return frozenset(found)


@dataclass
class Tally:
    correct: int = 0
    wrong: int = 0
    unaddressed: int = 0

    def add(self, status: str) -> None:
        if status in ("correct", "wrong", "unaddressed"):
            setattr(self, status, getattr(self, status) + 1)

    @property
    def addressed(self) -> int:
        return self.correct + self.wrong

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.addressed if self.addressed else None

    @property
    def coverage(self) -> float | None:
        total = self.addressed + self.unaddressed
        return self.addressed / total if total else None

    def merge(self, other: Tally) -> None:
        self.correct += other.correct
        self.wrong += other.wrong
        self.unaddressed += other.unaddressed


@dataclass
class RepoScore:
    repo: Repo
    tally: Tally = field(default_factory=Tally)
    verdicts: list[Verdict] = field(default_factory=list)


def score_repo(repo: Repo, report: dict[str, Any]) -> RepoScore:
    """The report of ``repo`` against its labels."""
    by_id = {q.id: q for q in questions()}
    answers = report_answers(report)
    result = RepoScore(repo)
    for qid, record in labels(repo.name).items():
        status = judge(by_id.get(qid), record.get("answer"), answers.get(qid))
        result.tally.add(status)
        result.verdicts.append(Verdict(qid, record.get("answer"), answers.get(qid), status))
    return result


def summary(scores: list[RepoScore]) -> dict[str, Any]:
    """Totals per kind of repository and overall, as plain data."""
    kinds: dict[str, Tally] = {}
    total = Tally()
    for s in scores:
        kinds.setdefault(s.repo.kind, Tally()).merge(s.tally)
        total.merge(s.tally)
    wrong = Counter(v.question for s in scores for v in s.verdicts if v.status == "wrong")
    missed = Counter(v.question for s in scores for v in s.verdicts if v.status == "unaddressed")
    return {
        "repos": {s.repo.name: _row(s.tally) | {"kind": s.repo.kind} for s in scores},
        "kinds": {k: _row(t) for k, t in sorted(kinds.items())},
        "total": _row(total),
        "most_wrong": wrong.most_common(15),
        "most_unaddressed": missed.most_common(15),
    }


def _row(t: Tally) -> dict[str, Any]:
    return {
        "addressed": t.addressed,
        "correct": t.correct,
        "wrong": t.wrong,
        "unaddressed": t.unaddressed,
        "accuracy": t.accuracy,
        "coverage": t.coverage,
    }


def details(scores: list[RepoScore]) -> dict[str, list[dict[str, Any]]]:
    """Every scored question of every repository, for reading what went wrong."""
    return {
        s.repo.name: [
            {"question": v.question, "label": v.label, "answer": v.answer, "status": v.status}
            for v in s.verdicts
            if v.status in ("wrong", "unaddressed")
        ]
        for s in scores
    }


def write(path: Path, scores: list[RepoScore]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"summary": summary(scores), "details": details(scores)}
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
