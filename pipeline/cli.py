"""The command line: parses arguments and calls the core. Nothing else lives here."""

from __future__ import annotations

import os

import typer

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


app = typer.Typer(
    name="readiness",
    help="Draft production readiness assessments of code repositories.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register_commands() -> None:
    """Every command lives in its own module; this file only assembles them."""
    from pipeline.commands.assess import assess_command, doctor_command
    from pipeline.commands.batch import batch_command
    from pipeline.commands.cache import cache_app
    from pipeline.commands.compare import compare_command
    from pipeline.commands.evaluate import eval_command

    app.command("assess")(assess_command)
    app.command("doctor")(doctor_command)
    app.command("batch")(batch_command)
    app.command("compare")(compare_command)
    app.command("eval")(eval_command)
    app.add_typer(cache_app, name="cache", help="Inspect or clear the cache.")


_register_commands()

if __name__ == "__main__":
    app()
