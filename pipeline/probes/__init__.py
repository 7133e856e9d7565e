"""Deterministic probes: facts about a repository, each with evidence."""

from pipeline.probes.base import Probe, ProbeContext, registered_probes, run_probes

__all__ = ["Probe", "ProbeContext", "registered_probes", "run_probes"]
