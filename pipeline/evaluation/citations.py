"""Citation validity as the evaluation counts it: the snippet is at exactly the cited lines."""

from __future__ import annotations

from pipeline.judge.citations import LineSource, verify_evidence
from pipeline.schemas import Evidence


def citation_is_valid(source: LineSource, evidence: Evidence) -> bool:
    """Whether ``evidence`` holds at the lines it cites.

    Stricter than the pipeline's check: a snippet that is in the file but elsewhere would be
    re-anchored by the pipeline, yet the citation as published was wrong, so it counts as
    invalid here. Snippets are compared with the snapshot's redacted lines, as published.
    """
    cited = sorted((evidence.start_line, evidence.end_line))
    verified = verify_evidence(source, evidence)
    if verified is None:
        return False
    return [verified.start_line, verified.end_line] == cited
