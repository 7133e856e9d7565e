"""Time ingest and the probe catalogue on a generated ~100k-line multi-language repository.

``python -m evals.bench_probes [--lines N]`` prints the repository size and the seconds spent
in ingest (walk + chunking) and in probes (every probe, parsed views cached); CPU seconds
are printed too, since wall time on a shared machine depends on its load.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from evals.probe_corpus import write_files
from pipeline.ingest import ingest_repository
from pipeline.probes.engine import registered_probes, run_probes

_PY_FUNC = '''
def handler_{i}(request, session):
    """Handle request {i}."""
    try:
        payload = session.get(f"https://svc.internal/items/{{request.id}}", timeout=5)
    except ValueError as exc:
        log.warning("bad payload %s", exc)
        raise
    total = 0
    for item in payload.json():
        if item.get("price", 0) > {i}:
            total += item["price"]
    return {{"id": request.id, "total": total}}
'''
_JS_FUNC = """
export async function handler{i}(req, res) {{
  try {{
    const signal = AbortSignal.timeout(5000);
    const r = await fetch(`https://svc.internal/items/${{req.id}}`, {{ signal }});
    const items = await r.json();
    res.json(items.filter((x) => x.price > {i}));
  }} catch (e) {{
    log.error(e);
    res.status(500).end();
  }}
}}
"""
_GO_FUNC = """
// Handler{i} sums prices.
func Handler{i}(ctx context.Context, items []Item) (int, error) {{
\ttotal := 0
\tfor _, it := range items {{
\t\tif it.Price > {i} {{
\t\t\ttotal += it.Price
\t\t}}
\t}}
\tif total < 0 {{
\t\treturn 0, fmt.Errorf("negative total %d", total)
\t}}
\treturn total, nil
}}
"""
_RS_FUNC = """
/// Sum prices above {i}.
pub fn handler_{i}(items: &[Item]) -> Result<u64, Error> {{
    let mut total = 0;
    for it in items {{
        if it.price > {i} {{
            total += it.price;
        }}
    }}
    if total == u64::MAX {{
        return Err(Error::Overflow);
    }}
    Ok(total)
}}
"""
_JAVA_FUNC = """
    /** Sum prices above {i}. */
    public int handler{i}(List<Item> items) {{
        int total = 0;
        for (Item it : items) {{
            if (it.price > {i}) {{
                total += it.price;
            }}
        }}
        log.info("total {{}}", total);
        return total;
    }}
"""


def generate(root: Path, target_lines: int) -> int:
    """Write a multi-language repository of about ``target_lines`` lines; return the count."""
    files: dict[str, str] = {
        "pyproject.toml": "[project]\nname = 'bench'\ndependencies = ['requests>=2']\n",
        "package.json": '{"name": "bench", "scripts": {"test": "jest"}}\n',
        "go.mod": "module bench\n",
        "Cargo.toml": '[package]\nname = "bench"\n',
        ".github/workflows/ci.yml": "on: [push]\njobs:\n  t:\n    steps:\n      - run: make test\n",
        "Makefile": "test:\n\tpytest\n",
        "README.md": "# bench\n",
    }
    per_kind = target_lines // 6
    kinds = [
        ("src/shop/mod_{n}.py", "import logging\n\nlog = logging.getLogger(__name__)\n", _PY_FUNC),
        ("tests/test_mod_{n}.py", "import pytest\n", "\ndef test_{i}():\n    assert {i} + 1\n"),
        ("web/src/mod_{n}.js", "import log from './log.js';\n", _JS_FUNC),
        ("pkg/mod{n}/mod.go", 'package mod{n}\n\nimport (\n\t"context"\n\t"fmt"\n)\n', _GO_FUNC),
        ("src/mod_{n}.rs", "use crate::{{Item, Error}};\n", _RS_FUNC),
        ("java/src/main/java/b/Mod{n}.java", "package b;\n\nclass Mod{n} {{\n", _JAVA_FUNC),
    ]
    total = 0
    for pattern, header, func in kinds:
        lines, n = 0, 0
        while lines < per_kind:
            body = header.format(n=n) + "".join(func.format(i=i) for i in range(20))
            if pattern.endswith(".java"):
                body += "}\n"
            files[pattern.format(n=n)] = body
            lines += body.count("\n")
            n += 1
        total += lines
    write_files(root, files)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        lines = generate(root, args.lines)
        start = time.perf_counter()
        ingested = ingest_repository(root)
        ingest_seconds = time.perf_counter() - start
        start, cpu = time.perf_counter(), time.process_time()
        results = run_probes(ingested).checks
        probe_seconds = time.perf_counter() - start
        probe_cpu = time.process_time() - cpu
    errors = [r.id for r in results if r.outcome.value == "error"]
    print(
        f"{lines} lines in {len(ingested.files)} files: ingest {ingest_seconds:.1f}s, "
        f"{len(registered_probes())} probes {probe_seconds:.1f}s ({probe_cpu:.1f}s CPU)"
        + (f" (errors: {', '.join(errors)})" if errors else "")
    )


if __name__ == "__main__":
    main()
