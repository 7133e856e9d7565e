"""Probe accuracy on the labelled corpus: ``python -m evals.probe_accuracy``.

"fail" (a gap detected) is the positive class. For each category it prints precision and
recall; then overall accuracy (labelled outcomes matched exactly) and every mismatch.
"""

from __future__ import annotations

import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from evals.probe_corpus import CORPUS, RepoSpec, probe_snapshot
from pipeline.probes.engine import registered_probes, run_probes
from pipeline.schemas import Category


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, expected: str, actual: str) -> None:
        if expected == "fail":
            if actual == "fail":
                self.tp += 1
            else:
                self.fn += 1
        elif actual == "fail":
            self.fp += 1
        else:
            self.tn += 1

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


@dataclass
class Scores:
    by_category: dict[Category, Tally] = field(default_factory=lambda: defaultdict(Tally))
    matched: int = 0
    labelled: int = 0
    mismatches: list[str] = field(default_factory=list)
    covered: set[str] = field(default_factory=set)


def score(corpus: list[RepoSpec], workdir: Path) -> Scores:
    """Build every repository of ``corpus`` under ``workdir`` and compare probes to labels."""
    categories = {p.id: p.category for p in registered_probes()}
    scores = Scores()
    for spec in corpus:
        root = spec.build(workdir)
        results = {r.id: r for r in run_probes(probe_snapshot(root, spec.scope)).checks}
        for probe_id, expected in sorted(spec.expected.items()):
            result = results[probe_id]
            actual = result.outcome.value
            scores.labelled += 1
            scores.covered.add(probe_id)
            scores.by_category[categories[probe_id]].add(expected, actual)
            if actual == expected:
                scores.matched += 1
            else:
                scores.mismatches.append(
                    f"{spec.name} {probe_id}: expected {expected}, got {actual} "
                    f"({result.message[:140]})"
                )
    return scores


def _pct(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:5.0%}"


def main() -> int:
    corpus = CORPUS
    with tempfile.TemporaryDirectory() as tmp:
        scores = score(corpus, Path(tmp))
    print(f"{'category':16} {'precision':>9} {'recall':>7} {'tp':>4} {'fp':>4} {'fn':>4} {'tn':>4}")
    for category in Category:
        t = scores.by_category[category]
        print(
            f"{category.value:16} {_pct(t.precision):>9} {_pct(t.recall):>7} "
            f"{t.tp:4} {t.fp:4} {t.fn:4} {t.tn:4}"
        )
    all_ids = {p.id for p in registered_probes()}
    languages = sorted({lang for spec in corpus for lang in spec.languages})
    print(
        f"\naccuracy {scores.matched}/{scores.labelled} = "
        f"{scores.matched / max(scores.labelled, 1):.1%} over {len(corpus)} repositories "
        f"({', '.join(languages)}); probes labelled {len(scores.covered)}/{len(all_ids)}"
    )
    missing = sorted(all_ids - scores.covered)
    if missing:
        print(f"unlabelled probes: {', '.join(missing)}")
    for line in scores.mismatches:
        print(f"MISMATCH {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
