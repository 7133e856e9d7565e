"""readiness: drafts production readiness assessments of code repositories."""

__version__ = "0.1.0"
