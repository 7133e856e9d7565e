"""A built wheel, installed into a fresh venv outside the checkout, assesses a repository.

The wheel is installed without dependencies; the venv sees the dependencies already installed
for the tests through a filtered view of their site-packages that leaves out this checkout's
own editable install, so nothing can be imported from the source tree.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CHECKOUT = Path(__file__).resolve().parents[2]


def _base_python() -> str:
    return str(
        Path(sys.base_prefix) / "bin" / f"python{sys.version_info.major}.{sys.version_info.minor}"
    )


def _dependencies_view(target: Path) -> Path:
    """Links to every installed distribution but readiness itself (editable, from here)."""
    target.mkdir()
    site = Path(sysconfig.get_paths()["purelib"])
    for entry in site.iterdir():
        name = entry.name.lower()
        if name.startswith(("__editable__", "readiness-", "_readiness")) or name in (
            "pipeline",
            "prompts",
        ):
            continue
        if entry.suffix == ".pth" and "editable" in entry.read_text(errors="ignore"):
            continue
        (target / entry.name).symlink_to(entry)
    return target


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work), str(CHECKOUT)],
        check=True,
        capture_output=True,
    )
    [wheel] = work.glob("readiness-*.whl")
    venv = work / "venv"
    subprocess.run([_base_python(), "-m", "venv", str(venv)], check=True)
    view = _dependencies_view(work / "deps")
    [venv_site] = (venv / "lib").glob("python*/site-packages")
    (venv_site / "zz_dependencies.pth").write_text(f"{view}\n")
    # Without PYTHONPATH: pip would take the checkout's readiness.egg-info (which building
    # the wheel leaves there) for an installed readiness and install nothing.
    outside = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
        env=outside,
    )
    return wheel


def test_the_wheel_ships_templates_data_and_no_evals_package(installed: Path) -> None:
    names = zipfile.ZipFile(installed).namelist()
    assert "pipeline/prompts/report/report.md.j2" in names
    assert "pipeline/report.schema.json" in names
    assert "pipeline/rubric/questions.toml" in names
    assert any(n.startswith("pipeline/knowledge/frameworks/") for n in names)
    assert not any(n.startswith(("evals/", "tests/")) for n in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(installed).read(entry_points).decode()
    assert "[readiness.probes]" in text and "pipeline.probes.families.security" in text


def test_the_installed_wheel_assesses_a_repository_outside_the_checkout(
    installed: Path, tmp_path: Path
) -> None:
    venv = installed.parent / "venv"
    repo = tmp_path / "repo"
    (repo / "app").mkdir(parents=True)
    (repo / "app" / "main.py").write_text(
        "import logging\n\nif __name__ == '__main__':\n    pass\n"
    )
    (repo / "README.md").write_text("# repo\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import pipeline; print(pipeline.__file__)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert str(venv) in where.stdout, where.stdout + where.stderr
    result = subprocess.run(
        [str(venv / "bin" / "readiness"), "assess", str(repo), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**env, "READINESS_CACHE_DIR": str(tmp_path / "cache")},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["profile"]["kinds"] == ["cli"]
    assert (tmp_path / "out" / "report.md").read_text().startswith("# Production Readiness")
