"""The import checker: the package has no cycle and no import against the stage order."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pipeline.devtools.imports import problems


def test_the_package_imports_along_the_stage_order_only() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pipeline.devtools.imports"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().endswith("0 import problems in pipeline/")


def test_a_backwards_import_and_a_cycle_are_both_reported(tmp_path: Path) -> None:
    root = tmp_path / "pipeline"
    for folder in ("ingest", "scoring"):
        (root / folder).mkdir(parents=True)
        (root / folder / "__init__.py").write_text("")
    (root / "__init__.py").write_text("")
    # ingest reaching forward into scoring, from inside a function: still a dependency.
    (root / "ingest" / "walk.py").write_text("def f():\n    from pipeline.scoring import policy\n")
    (root / "scoring" / "policy.py").write_text("from pipeline.ingest import walk\n")
    found = problems(root)
    assert any("pipeline.ingest.walk (ingest) imports pipeline.scoring" in p for p in found), found
    assert any(p.startswith("import cycle:") for p in found), found
