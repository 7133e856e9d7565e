"""The command line: parses arguments and calls the core. Nothing else lives here."""

from __future__ import annotations

import os
from typing import Annotated

import typer

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

PROG_NAME = "readiness"

app = typer.Typer(
    name=PROG_NAME,
    help="Draft production readiness assessments of code repositories.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # -h everywhere: click hands these names down to every subcommand's context.
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from pipeline import __version__

        typer.echo(f"readiness {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Draft production readiness assessments of code repositories."""


def _register_commands() -> None:
    """Every command lives in its own module; this file only assembles them."""
    from pipeline.commands.assess import assess_command, doctor_command
    from pipeline.commands.batch import batch_command
    from pipeline.commands.cache import cache_app
    from pipeline.commands.compare import compare_command
    from pipeline.commands.evaluate import eval_command
    from pipeline.commands.explain import explain_command

    app.command("assess")(assess_command)
    app.command("batch")(batch_command)
    app.command("compare")(compare_command)
    app.command("explain")(explain_command)
    app.command("eval")(eval_command)
    app.command("doctor")(doctor_command)
    app.add_typer(cache_app, name="cache", help="Inspect or clear the cache.")


_register_commands()


def run() -> None:
    """The ``readiness`` entry point (also ``python -m pipeline``), under its own name
    whatever launched it, so shell completion finds ``_READINESS_COMPLETE``."""
    app(prog_name=PROG_NAME)


if __name__ == "__main__":
    run()
