"""Hand-built reports and tiny repositories for the batch tests."""

from __future__ import annotations

import subprocess
from pathlib import Path

from pipeline.batch.manifest import ManifestEntry
from pipeline.batch.run import BatchResult, RepoOutcome
from pipeline.rubric import CATEGORIES
from pipeline.schemas import (
    Category,
    CategoryAssessment,
    Coverage,
    Finding,
    RepoInfo,
    Report,
    Severity,
    Usage,
    Verdict,
)


def finding(
    title: str,
    *,
    category: Category = Category.testing,
    kind: str = "gap",
    severity: Severity = Severity.high,
    check_id: str | None = None,
) -> Finding:
    return Finding(
        id=f"{category.value}-{title[:10]}",
        category=category,
        kind=kind,  # type: ignore[arg-type]
        severity=severity,
        title=title,
        source="probe" if check_id else "offline",
        check_id=check_id,
    )


def report(
    name: str,
    overall: int | None,
    scores: dict[Category, int | None] | None = None,
    findings: list[Finding] | None = None,
    commit: str | None = None,
) -> Report:
    scores = scores or {}
    return Report(
        tool_version="test",
        generated_at="2026-01-01T00:00:00+00:00",
        model="offline",
        repo=RepoInfo(name=name, path=f"/repos/{name}", commit=commit),
        overall_score=overall,
        status="ready" if (overall or 0) >= 80 else "not ready",
        categories=[
            CategoryAssessment(
                id=cat,
                title=spec.title,
                score=scores.get(cat, overall),
                verdict=Verdict.partial,
                summary="",
            )
            for cat, spec in CATEGORIES.items()
        ],
        findings=findings or [],
        checks=[],
        usage=Usage(),
        coverage=Coverage(),
    )


def git(repo: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "PATH": "/usr/bin:/bin",
        "HOME": str(repo),
    }
    done = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", *args],
        cwd=repo,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.stdout.strip()


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def service_files(name: str, tested: bool) -> dict[str, str]:
    """A small Python service; with ``tested`` it gains tests and a CI workflow that runs them."""
    files = {
        "README.md": f"# {name}\n\nA small service that adds numbers.\n",
        "pyproject.toml": f'[project]\nname = "{name}"\nversion = "0.1.0"\n',
        f"src/{name}/__init__.py": "",
        f"src/{name}/app.py": (
            "import logging\n\nlog = logging.getLogger(__name__)\n\n\n"
            "def add(a: int, b: int) -> int:\n    log.info('adding')\n    return a + b\n\n\n"
            # Whether a formula can come from outside the program cannot be told from here:
            # security.dynamic_code stays open for the judge (SEC002 cannot trace it).
            "def total(formula: str, values: dict[str, int]) -> int:\n"
            '    """A formula over named values, such as "a + b * 2"."""\n'
            '    return eval(formula, {"__builtins__": {}}, values)\n'
        ),
    }
    if tested:
        files["tests/test_app.py"] = (
            f"from {name}.app import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n"
        )
        files[".github/workflows/ci.yml"] = (
            "name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
            "      - uses: actions/checkout@v4\n      - run: pip install pytest\n"
            "      - run: pytest\n"
        )
    return files


def outcome(out: Path, rep, status="assessed", error=None, name=None) -> RepoOutcome:
    """A batch outcome whose report.md holds a table and planted HTML."""
    name = name or rep.repo.name
    folder = out / name
    if rep is not None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "report.md").write_text(
            f"# {name} | readiness\n\n| Category | Score |\n|---|---|\n| Testing | 40 |\n\n"
            "<script>alert('planted')</script>\n"
        )
    return RepoOutcome(ManifestEntry(f"/src/{name}", name), status, folder, rep, error=error)


def hand_batch(tmp_path: Path) -> BatchResult:
    """Three assessed repositories (one reused) and one failed, with shared gaps."""
    no_ci = finding("CI runs no tests", check_id="TST001", severity=Severity.critical)
    weak = finding("Few tests | partial", severity=Severity.high)
    strong = report("strong", 91, findings=[finding("Tests run", kind="strength")])
    mid = report("mid", 60, {Category.testing: 20, Category.security: None}, findings=[no_ci, weak])
    low = report("low", 35, findings=[no_ci, finding("Muted", severity=Severity.critical)])
    low.findings[1].muted = True
    out = tmp_path / "out"
    outcomes = [
        outcome(out, mid),
        outcome(out, low, status="reused"),
        outcome(out, strong),
        RepoOutcome(
            ManifestEntry("https://x/broken.git", "broken", ref="v2"),
            "failed",
            out / "broken",
            error="git clone failed: repository not found",
        ),
    ]
    return BatchResult(out, outcomes, 12.5, Usage())
