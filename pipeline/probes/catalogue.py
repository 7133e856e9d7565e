"""Imports every probe family so that each registers itself."""

from pipeline.probes import (  # noqa: F401 - importing registers the probes
    code_quality,
    config,
    data,
    dependencies,
    deploy,
    docker,
    docs,
    error_handling,
    observability,
    performance,
    reliability,
    security,
    supply_chain,
    testing,
    web,
)
