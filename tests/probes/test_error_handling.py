"""Error handling probes: Python handlers from the AST, panics outside tests, empty catches."""

from __future__ import annotations

from tests.probes.conftest import RunProbe, cases, check_case

OK_PY = {"app.py": "def f():\n    try:\n        g()\n    except ValueError:\n        raise\n"}
RUST_TEST_ONLY = (
    "pub fn parse(s: &str) -> Result<u8, std::num::ParseIntError> {\n    s.parse()\n}\n"
    '#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() { super::parse("1").unwrap(); }\n}\n'
)

TABLE = [
    ("ERR001", "pass", OK_PY, "app.py:4"),
    ("ERR001", "fail", {"app.py": "try:\n    x = 1\nexcept:\n    x = 2\n"}, "app.py:3-4"),
    ("ERR002", "pass", OK_PY, "app.py:4"),
    ("ERR002", "fail", {"app.py": "try:\n    x = 1\nexcept OSError:\n    pass\n"}, "app.py:3-4"),
    ("ERR003", "pass", {"a.js": "try { f() } catch (e) { console.error(e) }\n"}, None),
    ("ERR003", "fail", {"a.js": "x = 1\ntry { f() } catch (e) {}\n"}, "a.js:2"),
    (
        "ERR003",
        "fail",
        {
            "A.java": "class A {\n  void f() {\n    try { g(); } catch (Exception e) {\n"
            "    }\n  }\n}\n"
        },
        "A.java:3",
    ),
    ("ERR003", "not_applicable", OK_PY, None),
    (
        "ERR004",
        "pass",
        {"src/lib.rs": RUST_TEST_ONLY, "tests/it.rs": "fn t() { x().unwrap(); }\n"},
        None,
    ),
    (
        "ERR004",
        "fail",
        {"src/main.rs": 'fn main() {\n    let v = std::env::var("X").unwrap();\n}\n'},
        "src/main.rs:2",
    ),
    ("ERR005", "pass", {"src/lib.rs": RUST_TEST_ONLY}, None),
    ("ERR005", "fail", {"src/lib.rs": "pub fn f() {\n    todo!()\n}\n"}, "src/lib.rs:2"),
    (
        "ERR006",
        "pass",
        {
            "cmd/main.go": 'package main\nfunc main() { panic("boom") }\n',
            "lib/l.go": "package lib\n",
        },
        None,
    ),
    ("ERR006", "fail", {"lib/l.go": 'package lib\nfunc F() {\n\tpanic("x")\n}\n'}, "lib/l.go:3"),
    ("ERR007", "pass", {"a.go": "package a\nfunc F() error {\n\treturn g()\n}\n"}, None),
    ("ERR007", "fail", {"a.go": "package a\nfunc F() {\n\tn, _ := strconv.Atoi(s)\n}\n"}, "a.go:3"),
    ("ERR008", "pass", {"errors.py": "class AppError(Exception):\n    pass\n"}, "errors.py:1"),
    (
        "ERR008",
        "pass",
        {"src/error.rs": "#[derive(thiserror::Error, Debug)]\npub enum Error {}\n"},
        "src/error.rs:1",
    ),
    ("ERR008", "fail", {"app.py": "def f():\n    return 1\n"}, "app.py:1"),
    (
        "ERR009",
        "pass",
        {
            "app.py": "import logging\ntry:\n    f()\nexcept Exception:\n"
            "    logging.exception('f failed')\n"
        },
        "app.py:4",
    ),
    (
        "ERR009",
        "fail",
        {"app.py": "try:\n    f()\nexcept Exception:\n    result = None\n"},
        "app.py:3-4",
    ),
    ("ERR010", "pass", {"A.java": "class A {}\n"}, None),
    (
        "ERR010",
        "fail",
        {
            "A.java": "class A {\n  void f() { try {} catch (Exception e) "
            "{ e.printStackTrace(); } }\n}\n"
        },
        "A.java:2",
    ),
    (
        "ERR007",
        "fail",
        {"h.go": "package h\nfunc H(w W) {\n\tjson.NewEncoder(w).Encode(v)\n}\n"},
        "h.go:3",
    ),
]


@cases(TABLE)
def test_error_handling_probes(run_probe: RunProbe, probe_id, outcome, files, where) -> None:
    check_case(run_probe, probe_id, outcome, files, where)
