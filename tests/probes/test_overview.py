"""The overview view: the product's main modules, in their own words, with what they use."""

from pathlib import Path

from evals.probe_corpus import probe_snapshot, write_files
from pipeline.probes.engine import run_probes


def overview_of(root: Path, files: dict[str, str]):
    write_files(root, files)
    return run_probes(probe_snapshot(root), select=["DOC001"]).overview


def test_modules_split_where_the_product_splits_and_quote_their_own_description(tmp_path):
    body = "\n".join(f"x{i} = {i}" for i in range(40))
    overview = overview_of(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "shop"\ndependencies = ["httpx"]\n',
            "src/shop/__init__.py": '"""Shop\n====\n\nThe shop sells things. More text.\n"""\n',
            "src/shop/api/__init__.py": '"""HTTP handlers for orders."""\nimport httpx\n' + body,
            "src/shop/core/rules.py": body + "\n" + body,
            "tests/test_rules.py": "def test_x():\n    assert True\n",
        },
    )
    by_name = {m.name: m for m in overview.modules}
    # src/ and src/shop/ hold one folder each: the overview walks through them.
    assert set(by_name) == {"src/shop", "src/shop/api", "src/shop/core"}
    assert by_name["src/shop"].description == "Shop: The shop sells things."
    assert by_name["src/shop"].description_evidence[0].path == "src/shop/__init__.py"
    api = by_name["src/shop/api"]
    assert api.description == "HTTP handlers for orders."
    assert [u.name for u in api.uses] == ["HTTPX"]
    assert api.uses[0].evidence[0].location == "src/shop/api/__init__.py:2"
    assert by_name["src/shop/core"].uses == [] and by_name["src/shop/core"].lines == 80
    assert all(not m.name.startswith("tests") for m in overview.modules)


def test_go_package_comments_and_mains_are_found(tmp_path):
    overview = overview_of(
        tmp_path,
        {
            "go.mod": "module example.com/svc\n",
            "cmd/svc/main.go": "package main\n\nfunc main() {\n}\n",
            "internal/store/doc.go": "// Package store keeps orders in memory.\n// Nothing else.\npackage store\n",
            "internal/store/store.go": "package store\n"
            + "\n".join("var _ = 1" for _ in range(30)),
        },
    )
    by_name = {m.name: m for m in overview.modules}
    assert by_name["cmd"].entry_points[0].location == "cmd/svc/main.go:3"
    # internal/ holds most of the code and one folder: the overview names the folder.
    assert by_name["internal/store"].description == "Package store keeps orders in memory."
