"""Deterministic probes: facts about a repository, each with evidence.

Layers, after OpenSSF Scorecard and repo-review: the snapshot, then named views computed once
(:mod:`pipeline.probes.views`), then small probe classes (:mod:`pipeline.probes.families`)
that read views by parameter name, run by :mod:`pipeline.probes.engine`.
"""
