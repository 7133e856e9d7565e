from pathlib import Path

import pytest

from pipeline.batch.manifest import parse_manifest
from pipeline.errors import InputError


def test_text_manifest_skips_comments_and_resolves_paths_against_its_folder(tmp_path: Path):
    manifest = tmp_path / "repos.txt"
    manifest.write_text(
        "# fleet\n\nservices/api\n/abs/billing   # inline note\n"
        "https://example.com/org/api.git\ngit@example.com:org/tools.git\n"
    )
    entries = parse_manifest(manifest)
    assert [e.source for e in entries] == [
        str(tmp_path / "services/api"),
        "/abs/billing",
        "https://example.com/org/api.git",
        "git@example.com:org/tools.git",
    ]
    # Two repositories called "api": the second gets a distinct folder name.
    assert [e.name for e in entries] == ["api", "billing", "api-2", "tools"]
    assert [e.line for e in entries] == [3, 4, 5, 6]
    assert entries[2].is_url and not entries[0].is_url


def test_csv_manifest_reads_ref_scope_and_name(tmp_path: Path):
    manifest = tmp_path / "fleet.csv"
    manifest.write_text(
        "repo,ref,scope,name\n"
        "file:///srv/mono.git,v1.2,packages/web/,\n"
        "# a comment line\n"
        "./lib,,,my lib\n"
    )
    first, second = parse_manifest(manifest)
    assert (first.source, first.ref, first.scope, first.name) == (
        "file:///srv/mono.git",
        "v1.2",
        "packages/web",
        "mono-packages-web",
    )
    assert (second.ref, second.scope, second.name, second.line) == (None, None, "my-lib", 4)


def test_csv_with_a_bad_row_names_its_line(tmp_path: Path):
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("path,ref\n./a,main\n\n./b,main,extra\n")
    with pytest.raises(InputError, match=r"^manifest\.csv:4: 3 cells for 2 columns"):
        parse_manifest(manifest)


def test_csv_without_a_source_column_is_refused(tmp_path: Path):
    manifest = tmp_path / "m.csv"
    manifest.write_text("name,ref\na,main\n")
    with pytest.raises(InputError, match=r"m\.csv:1: .*repo, path or url"):
        parse_manifest(manifest)


def test_yaml_manifest_accepts_strings_and_mappings(tmp_path: Path):
    manifest = tmp_path / "fleet.yaml"
    manifest.write_text(
        "repos:\n  - ./one\n"
        "  - url: https://example.com/two.git\n    ref: 3f2a9c1\n    name: second\n"
    )
    one, two = parse_manifest(manifest)
    assert one.name == "one" and one.ref is None
    assert (two.source, two.ref, two.name, two.line) == (
        "https://example.com/two.git",
        "3f2a9c1",
        "second",
        3,
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- ./one\n- repo: ./two\n  branch: main\n", r"^m\.yml:2: unknown key\(s\) branch"),
        ("- ./one\n- [1, 2]\n", r"^m\.yml:2: expected a path"),
        ("- ./one\n- {repo: ./a, url: https://x/y.git}\n", r"^m\.yml:2: give one of"),
        ("- ./one\n- repo: ./two\n  scope: ../escape\n", r"^m\.yml:2: scope must be"),
        ("- ./one\n  - nested: [\n", r"^m\.yml:\d+: not valid YAML"),
    ],
)
def test_bad_yaml_entries_name_their_line(tmp_path: Path, text: str, expected: str):
    manifest = tmp_path / "m.yml"
    manifest.write_text(text)
    with pytest.raises(InputError, match=expected):
        parse_manifest(manifest)


def test_duplicate_explicit_names_and_empty_manifests_are_refused(tmp_path: Path):
    dup = tmp_path / "dup.csv"
    dup.write_text("path,name\n./a,svc\n./b,svc\n")
    with pytest.raises(InputError, match=r"dup\.csv:3: duplicate name 'svc'"):
        parse_manifest(dup)
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing here\n\n")
    with pytest.raises(InputError, match="lists no repository"):
        parse_manifest(empty)
    with pytest.raises(InputError, match="cannot read manifest"):
        parse_manifest(tmp_path / "missing.txt")


def test_credentials_in_a_url_are_split_off_and_never_shown(tmp_path: Path):
    token = "glpat-" + "Zx9Qw8Er7Ty6Ui5Op4As"
    manifest = tmp_path / "repos.txt"
    manifest.write_text(
        f"https://oauth2:{token}@git.example.com/org/api.git\n"
        f"https://{token}@git.example.com/org/web.git\n"
        "ssh://git@example.com/org/tools.git\n"
    )
    api, web, tools = parse_manifest(manifest)
    assert (api.source, api.name) == ("https://git.example.com/org/api.git", "api")
    assert api.credentials_url == f"https://oauth2:{token}@git.example.com/org/api.git"
    assert web.source == "https://git.example.com/org/web.git" and web.credentials_url
    # The login of an ssh URL is no secret: the URL stays as written.
    assert (tools.source, tools.credentials_url) == ("ssh://git@example.com/org/tools.git", None)
    for entry in (api, web):
        assert token not in repr(entry) and token not in str(entry.key())
