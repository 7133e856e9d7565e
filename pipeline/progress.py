"""How the core reports progress without knowing about terminals (the CLI renders it)."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def stage(self, repo: str, stage: str, detail: str = "") -> None:
        """A stage of ``repo`` started (or reports ``detail`` while it runs)."""
        ...

    def finished(self, repo: str, stage: str, detail: str = "") -> None:
        """A stage of ``repo`` finished, with a one-line summary."""
        ...


class SilentProgress:
    def stage(self, repo: str, stage: str, detail: str = "") -> None:
        return None

    def finished(self, repo: str, stage: str, detail: str = "") -> None:
        return None
