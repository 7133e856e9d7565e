"""``readiness explain ID``: what a probe checks, why it matters, how to fix it, an example."""

from __future__ import annotations

from typing import Annotated

import typer

from pipeline.commands.common import guarded


def explain_command(
    probe_id: Annotated[
        str | None, typer.Argument(metavar="ID", help="A probe id (SEC002); none lists them all.")
    ] = None,
) -> None:
    """Explain a probe: what it checks, why it matters, how to fix it, an example."""
    from pipeline.assemble.probe_docs import explain, probe_table

    with guarded():
        typer.echo(explain(probe_id) if probe_id else probe_table(), nl=False)
