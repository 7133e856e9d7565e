"""The scriptable fake OpenAI-compatible server (it ships in the package, for ``readiness
eval``), and a well-behaved responder for tests."""

from __future__ import annotations

import re

from pipeline.evaluation.provider import FakeOpenAI, Reply, Request, Responder

__all__ = ["FakeOpenAI", "Reply", "Request", "Responder", "citing_responder"]

_BLOCK = re.compile(r"^--- file: (?P<path>.+) lines (?P<start>\d+)-\d+", re.MULTILINE)
_NUMBERED = re.compile(r"^(?P<n>\d+)\| (?P<code>.*\S.*)$", re.MULTILINE)


def citing_responder(request: Request) -> Reply:
    """A well-behaved model: ``partly``, quoting the first non-blank line of its data.

    Its citation verifies (the line is in the prompt exactly as in the file); with no data it
    cannot tell. Asked to refute a claim, it finds nothing to refute.
    """
    prompt = request.prompt_text
    if "find the code in the data that refutes" in prompt:
        return Reply.json({"refuted": False, "explanation": "Nothing refutes it.", "evidence": []})
    block = _BLOCK.search(prompt)
    line = _NUMBERED.search(prompt, block.end()) if block else None
    if block is None or line is None:
        return Reply.json({"answer": "cannot_determine", "explanation": "No data."})
    number = int(line["n"])
    return Reply.json(
        {
            "answer": "partly",
            "explanation": f"The fake model points at {block['path']} line {number}.",
            "searched": "the data it was shown",
            "evidence": [
                {
                    "path": block["path"],
                    "start_line": number,
                    "end_line": number,
                    "snippet": line["code"].strip()[:200],
                }
            ],
            "check_id": None,
            "title": f"Review {block['path']} line {number}",
            "recommendation": "Nothing: this answer comes from a test double.",
            "severity": "medium",
        }
    )
