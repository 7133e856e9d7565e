"""Generate docs/probes.md (from the probe registry) and docs/cli.md (from the real --help).

``python -m pipeline.devtools.docs`` rewrites both; ``--check`` exits 1 when either differs
from what is committed (a test runs it, so ``make test`` catches the drift).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pipeline.assemble.probe_docs import probes_markdown

# Every command and sub-command, in the order docs/cli.md shows them.
COMMANDS: tuple[tuple[str, ...], ...] = (
    (),
    ("assess",),
    ("batch",),
    ("compare",),
    ("explain",),
    ("eval",),
    ("doctor",),
    ("cache", "stats"),
    ("cache", "clear"),
)
# Plain click help at a fixed width: the same text on every machine and terminal.
_HELP_ENV = {"TYPER_USE_RICH": "0", "COLUMNS": "100", "TERM": "dumb", "NO_COLOR": "1"}

CLI_INTRO = """\
# Command line

<!-- Generated from the real `--help` by `python -m pipeline.devtools.docs`; `make test`
fails when it drifts. -->

`-h` works wherever `--help` does. Shell completion: `readiness --install-completion` (or
`--show-completion` to print the script).

## Where settings come from

Each setting is taken from the first of these that gives it:

1. the command line (`--model openai/gpt-4o-mini`);
2. the environment: the `READINESS_*` variable named in the option's help
   (`READINESS_MODEL=openai/gpt-4o-mini`);
3. the assessed repository's `readiness.toml`, or the `[tool.readiness]` table of its
   `pyproject.toml`, with keys spelled as the flags (`model = "openai/gpt-4o-mini"`,
   `max-cost = 2.0`; see `pipeline/config.schema.json`, the JSON Schema shipped in the
   package, for every key); `readiness batch` reads only the repository keys there
   (`select`, `ignore`, `exclude`, `max-files`, `roles`, `profile`, `waive`), never its
   model settings;
4. the default shown in the help.

An unknown key or a wrong type in the file is a one-line error naming the file, the line and
the key (`readiness.toml:3: select: must be a list, not a string`), exit code 2.

## Exit codes

0 success; 1 the work ran but something failed (a gate: `--fail-under`, `--fail-on`,
`--fail-on-new`; a repository of a batch; provider trouble), with one line per reason;
2 bad input or usage, with a one-line error; 130 interrupted (Ctrl-C): the checkpoints
written so far are kept, and the same command resumes from them.
"""


def help_text(command: tuple[str, ...]) -> str:
    """The ``--help`` of ``readiness COMMAND`` exactly as a user sees it in plain mode."""
    done = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *command, "--help"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **_HELP_ENV},
    )
    return done.stdout.rstrip() + "\n"


def cli_markdown() -> str:
    """docs/cli.md."""
    parts = [CLI_INTRO]
    for command in COMMANDS:
        title = " ".join(("readiness", *command))
        parts += [f"## `{title}`\n", "```\n" + help_text(command) + "```\n"]
    return "\n".join(parts)


def generated(docs: Path) -> dict[Path, str]:
    """Each generated document and the text it should hold."""
    return {docs / "probes.md": probes_markdown(), docs / "cli.md": cli_markdown()}


def main(argv: list[str]) -> int:
    docs = Path(__file__).resolve().parents[2] / "docs"
    check = "--check" in argv
    stale = []
    for path, text in generated(docs).items():
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == text:
            continue
        stale.append(path)
        if not check:
            path.write_text(text, encoding="utf-8")
    for path in stale:
        verb = "is out of date" if check else "rewritten"
        print(f"docs/{path.name} {verb}", file=sys.stderr)
    if check and stale:
        print("run: python -m pipeline.devtools.docs", file=sys.stderr)
    return 1 if check and stale else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
