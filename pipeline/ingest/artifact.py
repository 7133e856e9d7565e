"""Whether a folder is a release artifact (an sdist, an npm or crate package), not a repository.

Releases leave out what only the repository has: tests, CI, development configuration. An
assessment of an artifact must say so, or its gaps ("no CI", "no tests") read as facts
about the project.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.ingest.snapshot import RepoSnapshot

_CI_MARKERS = (
    ".github/workflows/",
    ".gitlab-ci.yml",
    ".circleci/",
    ".travis.yml",
    "azure-pipelines.yml",
    "Jenkinsfile",
    ".buildkite/",
    ".drone.yml",
    "bitbucket-pipelines.yml",
)


def release_artifact(snapshot: RepoSnapshot) -> str | None:
    """What release artifact ``snapshot`` looks like (a phrase for the report), or None.

    Only a folder outside git can be one: a repository's checkout is the repository.
    """
    root = Path(snapshot.root)
    if snapshot.commit is not None or (root / ".git").exists():
        return None
    shipped = _what_is_missing(snapshot)
    if (root / "PKG-INFO").is_file():
        return f"a Python source distribution (PKG-INFO at the root, no .git{shipped})"
    if (root / ".cargo_vcs_info.json").is_file():
        return f"a packaged Rust crate (.cargo_vcs_info.json at the root, no .git{shipped})"
    if (root / "package.json").is_file() and shipped == "; no tests and no CI shipped":
        return f"an npm package tarball (package.json, no .git{shipped})"
    return None


def _what_is_missing(snapshot: RepoSnapshot) -> str:
    tests = any(f.is_test for f in snapshot.files)
    ci = any(path.startswith(_CI_MARKERS) or path in _CI_MARKERS for path in snapshot.listed)
    missing = [name for name, present in (("tests", tests), ("CI", ci)) if not present]
    return f"; no {' and no '.join(missing)} shipped" if missing else ""
