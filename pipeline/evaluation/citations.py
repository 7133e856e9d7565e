"""Citation validity as the evaluation counts it: the snippet is at exactly the cited lines."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.judge.citations import verify_evidence
from pipeline.schemas import Evidence

# How reports mask secret values in snippets ("9f8e****"): the rest must still be there.
SECRET_MASK = "****"


def citation_is_valid(root: Path, evidence: Evidence) -> bool:
    """Whether ``evidence`` holds at the lines it cites.

    Stricter than the pipeline's check: a snippet that is in the file but elsewhere would be
    re-anchored by the pipeline, yet the citation as published was wrong, so it counts as
    invalid here.
    """
    cited = sorted((evidence.start_line, evidence.end_line))
    if SECRET_MASK in evidence.snippet:
        return _masked_snippet_holds(root, evidence, cited)
    verified = verify_evidence(root, evidence)
    if verified is None:
        return False
    return [verified.start_line, verified.end_line] == cited


def _masked_snippet_holds(root: Path, evidence: Evidence, cited: list[int]) -> bool:
    """Whether the unmasked parts of a masked snippet appear, in order, at the cited lines."""
    bare = evidence.model_copy(update={"snippet": ""})
    verified = verify_evidence(root, bare)
    if verified is None:
        return False
    pattern = ".*?".join(
        re.escape(" ".join(part.split())) for part in evidence.snippet.split(SECRET_MASK)
    )
    return re.search(pattern, " ".join(verified.snippet.split()), re.DOTALL) is not None
