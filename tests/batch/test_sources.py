import asyncio
from pathlib import Path

import pytest

from pipeline.batch.manifest import ManifestEntry
from pipeline.batch.sources import resolve_source
from pipeline.errors import InputError
from tests.batch.factories import git, write
from tests.batch.git_server import AuthGitServer


@pytest.fixture
def history(tmp_path: Path) -> tuple[Path, str, str]:
    """A git repository with two commits; the first is tagged v1, main holds the second."""
    repo = write(tmp_path / "origin", {"app.py": "VERSION = 1\n"})
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "one")
    git(repo, "tag", "v1")
    first = git(repo, "rev-parse", "HEAD")
    write(repo, {"app.py": "VERSION = 2\n"})
    git(repo, "commit", "-q", "-am", "two")
    return repo, first, git(repo, "rev-parse", "HEAD")


def resolve(entry: ManifestEntry, cache: Path):
    return asyncio.run(resolve_source(entry, cache))


def test_local_git_repository_at_a_tag_is_checked_out_in_the_cache(history, tmp_path: Path):
    repo, first, _ = history
    source = resolve(ManifestEntry(str(repo), "svc", ref="v1"), tmp_path / "cache")
    assert source.path.parent == tmp_path / "cache" / "repos"
    assert source.commit == first
    assert (source.path / "app.py").read_text() == "VERSION = 1\n"
    # The user's own working tree is left alone.
    assert (repo / "app.py").read_text() == "VERSION = 2\n"


def test_file_url_follows_branch_updates_on_fetch(history, tmp_path: Path):
    repo, _, second = history
    entry = ManifestEntry(f"file://{repo}", "svc", ref="main")
    cache = tmp_path / "cache"
    assert resolve(entry, cache).commit == second
    write(repo, {"app.py": "VERSION = 3\n"})
    git(repo, "commit", "-q", "-am", "three")
    again = resolve(entry, cache)
    assert again.commit == git(repo, "rev-parse", "HEAD")
    assert (again.path / "app.py").read_text() == "VERSION = 3\n"
    assert again.fingerprint != f"git:{second}"


def test_commit_ref_and_default_branch(history, tmp_path: Path):
    repo, first, second = history
    assert resolve(ManifestEntry(f"file://{repo}", "a", ref=first[:10]), tmp_path).commit == first
    assert resolve(ManifestEntry(f"file://{repo}", "b"), tmp_path).commit == second


def test_bad_url_and_unknown_ref_fail_with_the_reason(history, tmp_path: Path):
    repo, _, _ = history
    with pytest.raises(
        InputError, match="git clone failed: .*nowhere.git. does not appear to be a git"
    ):
        resolve(ManifestEntry(f"file://{tmp_path}/nowhere.git", "x"), tmp_path / "cache")
    with pytest.raises(InputError, match="no branch, tag or commit named 'v9'"):
        resolve(ManifestEntry(str(repo), "y", ref="v9"), tmp_path / "cache")


def test_plain_folder_is_assessed_in_place_and_its_fingerprint_follows_edits(tmp_path: Path):
    folder = write(tmp_path / "plain", {"main.go": "package main\n", "pkg/x/x.go": "package x\n"})
    entry = ManifestEntry(str(folder), "plain")
    first = resolve(entry, tmp_path / "cache")
    assert first.path == folder and first.commit is None
    assert resolve(entry, tmp_path / "cache").fingerprint == first.fingerprint
    write(folder, {"main.go": "package main\n\nfunc main() {}\n"})
    assert resolve(entry, tmp_path / "cache").fingerprint != first.fingerprint


def test_missing_folder_scope_or_non_git_ref_are_refused(tmp_path: Path):
    folder = write(tmp_path / "plain", {"a.py": "x = 1\n"})
    with pytest.raises(InputError, match="no such folder"):
        resolve(ManifestEntry(str(tmp_path / "gone"), "g"), tmp_path)
    with pytest.raises(InputError, match="scope 'pkg' is not a folder"):
        resolve(ManifestEntry(str(folder), "p", scope="pkg"), tmp_path)
    with pytest.raises(InputError, match="not a git repository"):
        resolve(ManifestEntry(str(folder), "p", ref="main"), tmp_path)


TOKEN = "glpat-" + "Zx9Qw8Er7Ty6Ui5Op4As"


def git_metadata(clone: Path) -> str:
    """Every file git keeps beside the objects: config, reflogs, FETCH_HEAD, packed refs."""
    files = [p for p in (clone / ".git").rglob("*") if p.is_file() and "objects" not in p.parts]
    return "\n".join(p.read_text(errors="replace") for p in files)


def test_credentials_reach_git_but_never_the_clone(history, tmp_path: Path):
    repo, _, second = history
    with AuthGitServer(tmp_path / "served", "oauth2", TOKEN) as server:
        server.publish(repo, "svc.git")
        url = server.url("svc.git", with_credentials=True)
        entry = ManifestEntry(server.url("svc.git"), "svc", credentials_url=url)
        cache = tmp_path / "cache"

        source = resolve(entry, cache)

        assert source.commit == second
        assert len(server.requests) > server.denied  # some requests carried the login
        assert TOKEN not in git_metadata(source.path)
        remote = git(source.path, "remote", "get-url", "origin")
        assert remote == server.url("svc.git")
        # A later run fetches with the credentials again, and still stores none.
        write(repo, {"app.py": "VERSION = 3\n"})
        git(repo, "commit", "-q", "-am", "three")
        server.publish(repo, "svc.git")
        assert resolve(entry, cache).commit == git(repo, "rev-parse", "HEAD")
        assert TOKEN not in git_metadata(source.path)
        # Without them the server refuses: the credentials were what opened it.
        with pytest.raises(InputError, match="git fetch failed"):
            resolve(ManifestEntry(server.url("svc.git"), "svc"), cache)


def test_a_clone_made_with_credentials_in_its_remote_is_scrubbed(history, tmp_path: Path):
    repo, _, _ = history
    with AuthGitServer(tmp_path / "served", "oauth2", TOKEN) as server:
        server.publish(repo, "svc.git")
        url = server.url("svc.git", with_credentials=True)
        entry = ManifestEntry(server.url("svc.git"), "svc", credentials_url=url)
        clone = resolve(entry, tmp_path / "cache").path
        git(clone, "remote", "set-url", "origin", url)  # as older versions left it

        resolve(entry, tmp_path / "cache")

        assert git(clone, "remote", "get-url", "origin") == server.url("svc.git")
        assert TOKEN not in (clone / ".git" / "config").read_text()


def test_git_errors_never_show_credentials(tmp_path: Path):
    with AuthGitServer(tmp_path / "served", "oauth2", TOKEN) as server:
        url = server.url("missing.git", with_credentials=True)
        entry = ManifestEntry(server.url("missing.git"), "m", credentials_url=url)
        with pytest.raises(InputError) as caught:
            resolve(entry, tmp_path / "cache")
    assert "git clone failed" in str(caught.value)
    assert TOKEN not in str(caught.value)
