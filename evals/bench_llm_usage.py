"""Tokens and cost of assessing a repository with an LLM judge, measured at a fake server.

Usage: ``python -m evals.bench_llm_usage [PATH] [--model openai/gpt-4o-mini]``

The fake OpenAI-compatible server on 127.0.0.1 answers every category with a grounded
finding (it quotes the first line of data it is shown) and reports usage as characters/4.
The model name is only used for litellm's offline price list, so the cost is what that
model would charge for these prompts. The repository is assessed from a snapshot (its
committed tree when it is a git repository), and a second run on the same cache shows the
calls saved.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from pipeline.options import AssessOptions, ModelOptions
from pipeline.runner import assess
from tests.fakes.openai_server import FakeOpenAI, citing_responder


def snapshot(path: Path, into: Path) -> Path:
    """A copy of the repository that nobody edits while it is assessed twice."""
    into.mkdir(parents=True)
    if (path / ".git").exists():
        archive = subprocess.run(
            ["git", "-C", str(path), "archive", "HEAD"], check=True, capture_output=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    else:
        shutil.copytree(path, into, dirs_exist_ok=True)
    return into


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=".", type=Path)
    parser.add_argument("--model", default="openai/gpt-4o-mini")
    args = parser.parse_args()
    os.environ.setdefault("OPENAI_API_KEY", "sk-bench")
    with FakeOpenAI(citing_responder) as fake, tempfile.TemporaryDirectory() as tmp:
        model = ModelOptions(model=args.model, api_base=fake.base_url, timeout_s=30)
        project = snapshot(args.path.resolve(), Path(tmp) / args.path.resolve().name)
        for run in ("cold", "warm"):
            options = AssessOptions(
                path=project,
                out=Path(tmp) / f"out-{run}",
                cache_dir=Path(tmp) / "cache",
                model=model,
            )
            started = time.monotonic()
            usage = assess(options).report.usage
            print(
                f"{run}: requests={usage.llm_requests} cache_hits={usage.cache_hits} "
                f"retries={usage.retries} reasks={usage.reasks} "
                f"dropped={usage.dropped_findings} prompt_tokens={usage.prompt_tokens} "
                f"completion_tokens={usage.completion_tokens} cost_usd={usage.cost_usd:.5f} "
                f"server_requests={len(fake.requests)} wall_s={time.monotonic() - started:.1f}"
            )


if __name__ == "__main__":
    main()
