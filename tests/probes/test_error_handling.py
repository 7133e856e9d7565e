"""Error handling probes: handlers, catch blocks, panics and discarded errors, from syntax trees.

Each probe has a passing and a failing case, and a case for every deliberate idiom it must not
report (an explained no-op, cleanup before a rethrow, a lock's unwrap, a nil guard's panic).
"""

from __future__ import annotations

from tests.probes.conftest import RunProbe, cases, check_case

OK_PY = {"app.py": "def f():\n    try:\n        g()\n    except ValueError:\n        raise\n"}
RUST_TEST_ONLY = (
    "pub fn parse(s: &str) -> Result<u8, std::num::ParseIntError> {\n    s.parse()\n}\n"
    '#[cfg(test)]\nmod tests {\n    #[test]\n    fn t() { super::parse("1").unwrap(); }\n}\n'
)
# A route handler whose catch-all answers 500 and forgets why (taxonomy's route handlers).
CATCH_ALL_TS = (
    "export async function GET(req: Request) {\n  try {\n    const user = await auth()\n"
    "    const posts = await db.post.findMany({ where: { user } })\n"
    "    return Response.json(posts)\n  } catch (error) {\n"
    "    return new Response(null, { status: 500 })\n  }\n}\n"
)
LIBRARY_FALLBACK_TS = (
    "export function supportsProxy(util: any) {\n  try {\n    const types = util.types\n"
    "    const detector = types.isProxy\n    return detector\n  } catch {\n"
    "    return undefined\n  }\n}\n"
)
LOGGED_TS = CATCH_ALL_TS.replace(
    "  } catch (error) {\n", "  } catch (error) {\n    console.error(error)\n"
)
SUPABASE = {
    "package.json": '{"dependencies": {"@supabase/supabase-js": "^2.0.0"}}\n',
    "lib/db.ts": 'import { createClient } from "@supabase/supabase-js"\n'
    "export const supabase = createClient(url, key)\n",
}
OPTIONAL_INTEGRATION = (
    "try:\n    import clearml\nexcept ImportError:\n    clearml = None\n\n"
    "class NotConfiguredError(ValueError):\n    pass\n"
)
GO_OWN = "package a\n\nfunc save(v int) error {\n\treturn nil\n}\n\n"

TABLE = [
    ("ERR001", "pass", OK_PY, "app.py:4"),
    ("ERR001", "fail", {"app.py": "try:\n    x = 1\nexcept:\n    x = 2\n"}, "app.py:3-4"),
    ("ERR002", "pass", OK_PY, "app.py:4"),
    ("ERR002", "fail", {"app.py": "try:\n    x = 1\nexcept OSError:\n    pass\n"}, "app.py:3-4"),
    # A specific failure falls through to the lookup's implicit None ("no such token").
    (
        "ERR002",
        "pass",
        {
            "tokens.py": "import jwt\n\n\ndef from_jwt(raw):\n    try:\n"
            "        return find(jwt.decode(raw, 'k', algorithms=['HS256'])['token'])\n"
            "    except jwt.PyJWTError:\n        pass\n"
        },
        None,
    ),
    (
        "ERR002",
        "fail",
        {
            "tokens.py": "def from_jwt(raw):\n    try:\n        return find(raw)\n"
            "    except Exception:\n        pass\n"
        },
        "tokens.py:4-5",
    ),
    # The failure leaves a sentinel unset, and the function checks it afterwards.
    (
        "ERR002",
        "pass",
        {
            "ts.py": "def stamp(raw):\n    ts = None\n    try:\n        ts = int(raw)\n"
            "    except Exception:\n        pass\n    if ts is None:\n"
            "        raise ValueError('malformed')\n    return ts\n"
        },
        None,
    ),
    (
        "ERR002",
        "fail",
        {
            "ts.py": "def stamp(raw):\n    ts = None\n    try:\n        ts = int(raw)\n"
            "    except Exception:\n        pass\n    return ts\n"
        },
        "ts.py:5-6",
    ),
    # StopIteration ends iteration, it is no failure (requests' resolve_redirects).
    (
        "ERR002",
        "pass",
        {
            "app.py": "def f(it):\n    try:\n        return next(it)\n    except StopIteration:\n"
            "        pass\n"
        },
        "app.py:4",
    ),
    # An optional dependency imported in the try, caught with AttributeError alongside.
    (
        "ERR002",
        "pass",
        {
            "app.py": "def f():\n    try:\n        from netrc import netrc\n"
            "        return netrc()\n    except (ImportError, AttributeError):\n        pass\n"
        },
        "app.py:5",
    ),
    # The next candidate file when this one does not exist (pip-tools' line endings).
    (
        "ERR002",
        "pass",
        {
            "app.py": "def f(names):\n    for name in names:\n        try:\n"
            "            return open(name).read()\n        except FileNotFoundError:\n"
            "            continue\n"
        },
        "app.py:5",
    ),
    # Skipping a record that failed to parse loses it silently: not a candidate loop.
    (
        "ERR002",
        "fail",
        {
            "app.py": "def f(rows):\n    out = []\n    for row in rows:\n        try:\n"
            "            out.append(int(row))\n        except ValueError:\n"
            "            continue\n    return out\n"
        },
        "app.py:6-7",
    ),
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
    # A comment says why nothing is done: a deliberate no-op (changesets' best-effort reads).
    ("ERR003", "pass", {"a.ts": "try { f() } catch {\n  // best effort: a cache miss\n}\n"}, None),
    # A to-do or a line of code commented out does not say why doing nothing is safe.
    (
        "ERR003",
        "fail",
        {
            "store.js": "export function load(api) {\n  return api.get('p')\n"
            "    .then((r) => r.data)\n    .catch(() => {\n"
            "      // #todo SET_ERROR cannot work in multiple states\n"
            "      // context.commit(SET_ERROR, response.data.errors)\n    });\n}\n"
        },
        "store.js:2",
    ),
    ("ERR003", "fail", {"a.ts": "try { f() } catch (e) {\n  // TODO: handle\n}\n"}, "a.ts:1"),
    # Best-effort cleanup before the rethrow, in the `ignored` convention (javapoet).
    (
        "ERR003",
        "pass",
        {
            "A.java": "class A {\n  void f() throws Exception {\n"
            "    try { g(); } catch (Exception e) {\n"
            "      try { h(); } catch (Exception ignored) {\n      }\n      throw e;\n    }\n"
            "  }\n}\n"
        },
        None,
    ),
    # A narrow fallback around one call returns a default: not a swallowed failure.
    (
        "ERR003",
        "pass",
        {"a.ts": "try {\n  return JSON.parse(s)\n} catch {\n  return {}\n}\n"},
        None,
    ),
    # The catch only defines a function that nothing calls (node-express-boilerplate's CLI).
    (
        "ERR003",
        "fail",
        {
            "a.js": "async function run() {\n  try {\n    await exec(c);\n  } catch {\n"
            "    (error) => {\n      console.log(error);\n    };\n  }\n}\n"
        },
        "a.js:4",
    ),
    ("ERR003", "fail", {"a.js": "load()\n  .catch(() => {})\n"}, "a.js:1"),
    (
        "ERR003",
        "pass",
        {"a.js": "load().catch(() => {\n  /* offline: keep the cache */\n})\n"},
        None,
    ),
    ("ERR003", "fail", {"app/api/route.ts": CATCH_ALL_TS}, "app/api/route.ts:6"),
    # Outside a request handler a catch-all's fallback has a caller that sees the outcome:
    # not swallowed (ERR003), but still a catch-all that drops the error (ERR011).
    ("ERR003", "pass", {"lib/probe.ts": LIBRARY_FALLBACK_TS}, None),
    ("ERR011", "fail", {"lib/probe.ts": LIBRARY_FALLBACK_TS}, "lib/probe.ts:6"),
    ("ERR003", "pass", {"app/api/route.ts": LOGGED_TS}, None),
    (
        "ERR004",
        "pass",
        {"src/lib.rs": RUST_TEST_ONLY, "tests/it.rs": "fn t() { x().unwrap(); }\n"},
        None,
    ),
    (
        "ERR004",
        "fail",
        {
            "src/lib.rs": "pub fn load(p: &str) -> String {\n"
            "    std::fs::read_to_string(p).unwrap()\n}\n"
        },
        "src/lib.rs:2",
    ),
    # Setup in main, a poisoned lock, a constant regex, a thread join: no recoverable error.
    (
        "ERR004",
        "pass",
        {
            "src/main.rs": 'fn main() {\n    let v = std::env::var("X").unwrap();\n}\n',
            "src/lib.rs": "pub fn f(m: &Mutex<u8>, h: JoinHandle<()>) {\n"
            "    let g = m.lock().unwrap();\n"
            '    let r = Regex::new(r"^\\d+$").unwrap();\n    h.join().unwrap();\n}\n',
        },
        None,
    ),
    # A module only tests compile (`#[cfg(test)] mod helpers;`) is test code.
    (
        "ERR004",
        "pass",
        {
            "src/lib.rs": "#[cfg(test)]\nmod helpers;\npub fn f() {}\n",
            "src/helpers.rs": 'pub fn open() { std::fs::File::open("x").unwrap(); }\n',
        },
        None,
    ),
    # A parse of a runtime value: syntax cannot tell whether it was validated before.
    (
        "ERR004",
        "cannot_determine",
        {"src/lib.rs": "pub fn f(s: &str) -> u8 {\n    s.parse().unwrap()\n}\n"},
        "src/lib.rs:2",
    ),
    # Formatting into a String cannot fail: its unwrap asserts nothing about I/O.
    (
        "ERR004",
        "pass",
        {
            "src/lib.rs": "pub fn f() -> String {\n    let mut out = String::new();\n"
            '    writeln!(out, "x").unwrap();\n    out\n}\n'
        },
        None,
    ),
    # An Option the function itself checks (fd's path separator): unwrapping it asserts.
    (
        "ERR004",
        "pass",
        {
            "src/lib.rs": "pub fn f(sep: Option<&str>) -> usize {\n"
            "    if sep.is_none() {\n        return 0;\n    }\n    sep.unwrap().len()\n}\n"
        },
        None,
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
    (
        "ERR006",
        "fail",
        {
            "lib/l.go": "package lib\nfunc F() {\n\tif err := g(); err != nil {\n\t\tpanic(err)\n"
            "\t}\n}\n"
        },
        "lib/l.go:4",
    ),
    # A nil guard in a constructor (wild-workouts) or a programmer error (glow's help pairs).
    (
        "ERR006",
        "pass",
        {
            "lib/l.go": "package lib\nfunc New(db *DB) *R {\n\tif db == nil {\n"
            '\t\tpanic("nil db")\n\t}\n\treturn &R{db}\n}\n'
        },
        None,
    ),
    # A type assertion without ok on an error value panics on any other error type.
    (
        "ERR006",
        "fail",
        {
            "lib/l.go": "package lib\nfunc F(err error) int {\n"
            "\terrs := err.(validator.ValidationErrors)\n\treturn len(errs)\n}\n"
        },
        "lib/l.go:3",
    ),
    (
        "ERR006",
        "pass",
        {
            "lib/l.go": "package lib\nfunc F(err error) int {\n"
            "\terrs, ok := err.(validator.ValidationErrors)\n\tif !ok {\n\t\treturn 0\n\t}\n"
            "\treturn len(errs)\n}\n"
        },
        None,
    ),
    # Passing on what recover() caught re-raises the original panic.
    (
        "ERR006",
        "pass",
        {
            "lib/l.go": "package lib\nfunc F() {\n\tdefer func() {\n"
            "\t\tif e := recover(); e != nil {\n\t\t\tcleanup()\n\t\t\tpanic(e)\n\t\t}\n"
            "\t}()\n}\n"
        },
        None,
    ),
    ("ERR007", "pass", {"a.go": "package a\nfunc F() error {\n\treturn g()\n}\n"}, None),
    # A write to an HTTP response (the client has gone), a method named like a header's
    # Set, and another module's function that shares a name with one of the repository's.
    (
        "ERR007",
        "pass",
        {
            "a.go": 'package a\nimport "example.com/other/store"\n'
            "func (s *S) Set(k string) error { return nil }\nfunc Save() error { return nil }\n"
            'func H(w http.ResponseWriter) {\n\tw.Header().Set("X", "y")\n'
            '\tw.Write([]byte("ok"))\n\tstore.Save()\n}\n',
            "go.mod": "module example.com/a\n",
        },
        None,
    ),
    (
        "ERR007",
        "fail",
        {"a.go": GO_OWN + "func F() {\n\tsave(1)\n}\n"},
        "a.go:8",
    ),
    (
        "ERR007",
        "fail",
        {
            "a.go": "package a\nfunc F(p []byte) []byte {\n"
            "\th, _ := bcrypt.GenerateFromPassword(p, 10)\n\treturn h\n}\n"
        },
        "a.go:3",
    ),
    # Discarded in plain sight, and writes to an in-memory buffer that cannot fail.
    (
        "ERR007",
        "pass",
        {
            "a.go": GO_OWN + "func F() string {\n\t_ = save(1)\n\tvar b strings.Builder\n"
            '\tb.WriteString("x")\n\treturn b.String()\n}\n'
        },
        None,
    ),
    (
        "ERR007",
        "fail",
        {"h.go": "package h\nfunc H(w W) {\n\tjson.NewEncoder(w).Encode(v)\n}\n"},
        "h.go:3",
    ),
    (
        "ERR007",
        "fail",
        {"m.go": "package m\nfunc Run(s *S) {\n\tgo s.ListenAndServe()\n}\n"},
        "m.go:3",
    ),
    # The commit error is checked, the (nil) transaction error is returned in its place.
    (
        "ERR007",
        "fail",
        {
            "r.go": "package r\nfunc finish(err error, tx *Tx) error {\n"
            "\tif commitErr := tx.Commit(); commitErr != nil {\n"
            '\t\treturn errors.Wrap(err, "commit")\n\t}\n\treturn nil\n}\n'
        },
        "r.go:4",
    ),
    ("ERR008", "pass", {"errors.py": "class AppError(Exception):\n    pass\n"}, "errors.py:1"),
    (
        "ERR008",
        "pass",
        {"src/error.rs": "#[derive(thiserror::Error, Debug)]\npub enum Error {}\n"},
        "src/error.rs:1",
    ),
    ("ERR008", "fail", {"app.py": "def f():\n    return 1\n"}, "app.py:1"),
    (
        "ERR008",
        "pass",
        {
            "e.go": "package e\ntype SlugError struct{ slug string }\n"
            "func (s SlugError) Error() string { return s.slug }\n"
        },
        "e.go:3",
    ),
    # Sentinel errors in a grouped var block (go-clean-arch's domain/errors.go).
    (
        "ERR008",
        "pass",
        {
            "domain/errors.go": 'package domain\nimport "errors"\nvar (\n'
            '\tErrNotFound = errors.New("not found")\n)\n'
        },
        "domain/errors.go:4",
    ),
    # A Rust error struct whose Display impl lives elsewhere (zoxide's ImportError).
    (
        "ERR008",
        "pass",
        {
            "src/import.rs": "#[derive(Debug)]\npub(crate) struct ImportError {\n"
            "    line: usize,\n}\n"
        },
        "src/import.rs:2",
    ),
    # A comment mentioning a sentinel is not one.
    (
        "ERR008",
        "fail",
        {"main.go": "package main\n// ErrNotFound = errors.New(x) was removed\nfunc main() {}\n"},
        None,
    ),
    # A UI message carrying an error (Bubble Tea's errMsg) is not an error type of its own.
    (
        "ERR008",
        "fail",
        {
            "ui.go": "package ui\ntype errMsg struct{ err error }\n"
            "func (e errMsg) Error() string { return e.err.Error() }\n"
            'func f() error { return fmt.Errorf("load: %w", g()) }\n'
        },
        None,
    ),
    # The only error type belongs to an optional integration (yolov5's ClearML logger).
    (
        "ERR008",
        "cannot_determine",
        {"loggers/clearml.py": OPTIONAL_INTEGRATION, "train.py": "def train():\n    pass\n"},
        "loggers/clearml.py:6",
    ),
    (
        "ERR008",
        "pass",
        {
            "loggers/clearml.py": OPTIONAL_INTEGRATION,
            "errors.py": "class TrainError(Exception):\n    pass\n",
        },
        "errors.py:1",
    ),
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
    # `except Exception: pass` and a bare `except:` used as control flow are catch-alls too
    # (tldr's cache helpers, minGPT's bpe merge loop).
    (
        "ERR009",
        "fail",
        {"app.py": "try:\n    f()\nexcept Exception:\n    pass\n"},
        "app.py:3-4",
    ),
    (
        "ERR009",
        "fail",
        {"app.py": "try:\n    j = w.index(x)\nexcept:\n    out.extend(w)\n"},
        "app.py:3-4",
    ),
    # A fallback import fails loudly when the fallback is missing too (sendgrid's inbound app).
    (
        "ERR009",
        "pass",
        {"app.py": "try:\n    from config import C\nexcept:\n    from pkg.config import C\n"},
        "app.py:3",
    ),
    (
        "ERR001",
        "pass",
        {"app.py": "try:\n    from config import C\nexcept:\n    from pkg.config import C\n"},
        "app.py:3",
    ),
    # The exception travels on in the result (llms-from-scratch's quote checker).
    (
        "ERR009",
        "pass",
        {
            "app.py": "def f(p):\n    try:\n        return check(p)\n    except Exception as e:\n"
            '        return [f"{p}: failed ({e})"]\n'
        },
        "app.py:4",
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
    ("ERR011", "fail", {"app/api/route.ts": CATCH_ALL_TS}, "app/api/route.ts:6"),
    ("ERR011", "pass", {"app/api/route.ts": LOGGED_TS}, None),
    (
        "ERR011",
        "fail",
        {
            "A.java": "class A {\n  Object f() {\n    try { return g(); } catch (Throwable t) {\n"
            "      return null;\n    }\n  }\n}\n"
        },
        "A.java:3",
    ),
    ("ERR011", "not_applicable", OK_PY, None),
    (
        "ERR012",
        "fail",
        {"src/lib.rs": "pub fn f(tx: Sender<u8>) {\n    tx.send(1);\n}\n"},
        "src/lib.rs:2",
    ),
    (
        "ERR012",
        "fail",
        {
            "src/lib.rs": "fn save() -> io::Result<()> {\n    Ok(())\n}\n"
            "pub fn f() {\n    save();\n}\n"
        },
        "src/lib.rs:5",
    ),
    # Discarded in plain sight; a crate method named like a fallible one returns nothing.
    (
        "ERR012",
        "pass",
        {
            "src/lib.rs": "struct B;\nimpl B {\n    fn write(self) {}\n}\n"
            "pub fn f(tx: Sender<u8>, b: B) {\n    let _ = tx.send(1);\n    b.write();\n}\n"
        },
        None,
    ),
    (
        "ERR013",
        "fail",
        {
            **SUPABASE,
            "app/route.ts": 'import { supabase } from "../lib/db"\n'
            "export async function POST() {\n"
            '  await supabase.from("items").upsert(rows)\n  return new Response("ok")\n}\n',
        },
        "app/route.ts:3",
    ),
    (
        "ERR013",
        "fail",
        {
            **SUPABASE,
            "app/route.ts": 'import { supabase } from "../lib/db"\n'
            "export async function GET() {\n"
            '  const { data, error } = await supabase.from("items").select("*")\n'
            "  return Response.json(data)\n}\n",
        },
        "app/route.ts:3",
    ),
    (
        "ERR013",
        "pass",
        {
            **SUPABASE,
            "app/route.ts": 'import { supabase } from "../lib/db"\n'
            "export async function GET() {\n"
            '  const { data, error } = await supabase.from("items").select("*")\n'
            "  if (error) throw error\n  return Response.json(data)\n}\n",
        },
        "lib/db.ts:1",
    ),
    ("ERR013", "not_applicable", {"a.ts": "export const x = 1\n"}, None),
]


@cases(TABLE)
def test_error_handling_probes(run_probe: RunProbe, probe_id, outcome, files, where) -> None:
    check_case(run_probe, probe_id, outcome, files, where)


def test_a_catch_that_swallows_in_the_browser_is_a_low_gap(run_probe) -> None:
    page = "document.title = 'x'\ntry { track() } catch (e) {}\n"
    lowered = run_probe("ERR003", {"src/tracker.js": page})
    assert lowered.outcome.value == "fail" and lowered.severity.value == "low"
    assert "browser" in lowered.severity_note
    server = {"src/tracker.js": page, "src/server.js": "try { save() } catch (e) {}\n"}
    kept = run_probe("ERR003", server)
    assert kept.outcome.value == "fail" and kept.severity.value == "medium"


def test_middleware_that_fails_open_drops_the_cause_but_does_not_swallow(run_probe) -> None:
    """Next.js middleware whose catch passes the request on to its page: the cause is lost
    (ERR011), but the request is answered by the handler, not swallowed (ERR003)."""
    files = {
        "middleware.ts": "import { NextResponse, type NextRequest } from 'next/server'\n"
        "export async function middleware(request: NextRequest) {\n  try {\n"
        "    const session = await getSession(request)\n    const home = await find(session)\n"
        "    return NextResponse.redirect(new URL(home, request.url))\n  } catch (e) {\n"
        "    return NextResponse.next({ request: { headers: request.headers } })\n  }\n}\n"
    }
    assert run_probe("ERR003", files).outcome.value == "pass"
    assert run_probe("ERR011", files).outcome.value == "fail"
    answered = {
        "middleware.ts": files["middleware.ts"].replace(
            "return NextResponse.next({ request: { headers: request.headers } })",
            "return NextResponse.json({ ok: true })",
        )
    }
    assert run_probe("ERR003", answered).outcome.value == "fail"
