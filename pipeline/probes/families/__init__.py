"""The built-in probe families, one module per concern.

They are registered in pyproject.toml under the ``readiness.probes`` entry-point group, the
same way a third-party package adds its own probes; nothing imports them all by name.
"""
