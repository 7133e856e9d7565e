"""Requests per minute the LLM client achieves against a server that enforces a limit.

Usage: ``python -m evals.bench_ratelimit [--rpm 600] [--requests 60] [--concurrency 16]``

A fake OpenAI-compatible server on 127.0.0.1 answers 429 (with Retry-After) past ``--rpm``
(a token bucket with a burst of 2, as providers allow). The client, limited to the same
rate, fires ``--requests`` questions from ``--concurrency`` concurrent tasks. It prints
the achieved rate (should be within 10% of the limit), the 429s seen, and failed items
(should be none: a 429 is retried, never skipped).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from pathlib import Path

from pydantic import BaseModel

from pipeline.llm.client import LLMClient, LLMShared
from pipeline.options import ModelOptions
from pipeline.schemas import Usage
from tests.fakes.openai_server import FakeOpenAI, Reply


class Pong(BaseModel):
    n: int


async def _fire(client: LLMClient, count: int, concurrency: int) -> tuple[Usage, int]:
    usage = Usage()
    gate = asyncio.Semaphore(concurrency)
    failed = 0

    async def one(i: int) -> None:
        nonlocal failed
        async with gate:
            try:
                messages = [{"role": "user", "content": f"ping {i}"}]
                await client.ask(messages, Pong, schema_version="1", usage=usage)
            except Exception:  # noqa: BLE001 - a benchmark counts failures, it does not stop
                failed += 1

    await asyncio.gather(*(one(i) for i in range(count)))
    return usage, failed


def measure(rpm: float, count: int, concurrency: int) -> dict[str, float]:
    """Run the burst; returns the achieved rate and the failures."""
    os.environ.setdefault("OPENAI_API_KEY", "sk-bench")
    with (
        FakeOpenAI(lambda _req: Reply.json({"n": 1})) as fake,
        tempfile.TemporaryDirectory() as tmp,
    ):
        fake.enforce_rate_limit(per_minute=rpm, burst=2)
        options = ModelOptions(
            model="openai/fake", api_base=fake.base_url, requests_per_minute=rpm, timeout_s=10
        )
        client = LLMClient(LLMShared.create(options, Path(tmp)))
        started = time.monotonic()
        usage, failed = asyncio.run(_fire(client, count, concurrency))
        wall = time.monotonic() - started
        accepted = [r.at for r in fake.requests if r.status == 200]
        span = max(accepted) - min(accepted)
    achieved = (len(accepted) - 1) / span * 60 if span > 0 else float("inf")
    return {
        "limit_rpm": rpm,
        "answered": len(accepted),
        "achieved_rpm": round(achieved, 1),
        "ratio": round(achieved / rpm, 3),
        "server_429s": fake.rejected,
        "client_retries": usage.retries,
        "failed_items": failed,
        "wall_s": round(wall, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rpm", type=float, default=600)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    result = measure(args.rpm, args.requests, args.concurrency)
    print(" ".join(f"{key}={value}" for key, value in result.items()))


if __name__ == "__main__":
    main()
