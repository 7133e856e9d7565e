"""Ordinary code around the planted evidence, so that finding it is a real search.

A planted repository of ten files lets every search find everything in its first eight hits.
Real repositories are mostly code that answers no question and shares the questions' words:
URL paths and file names that are not filesystem joins, version "locks" that are not file
locks, pagination tokens, soft deletes, caches, monkeypatched clocks. These generators write
such modules deterministically (the same spec, the same files), in the language of the
repository they pad.
"""

from __future__ import annotations

import random

DOMAINS = (
    "billing", "reports", "users", "search", "audit", "metrics", "thumbnails", "quotas",
    "sessions", "exports", "tags", "shares", "previews", "invoices", "teams", "comments",
    "labels", "folders", "alerts", "plans", "coupons", "devices", "regions", "webforms",
)  # fmt: skip


def _camel(word: str) -> str:
    return word[:-1].capitalize() if word.endswith("s") else word.capitalize()


_PY_PARTS = (
    '''def {d}_url_path(record_id: int) -> str:
    """The URL path a {r} is served at (a route, not a file on disk)."""
    return f"/{d}/{{record_id}}"
''',
    '''def update_{r}(record: {R}, name: str, expected_version: int) -> {R}:
    """Optimistic lock: the update wins only if nobody changed the record meanwhile."""
    if record.version != expected_version:
        raise StaleVersion(f"{r} {{record.id}} changed; reload and retry")
    record.name = name
    record.version += 1
    return record
''',
    '''def page_of_{d}(records: list[{R}], page_token: str | None, size: int = 50):
    """One page of records and the token of the next page (an offset, not a secret)."""
    start = int(page_token or 0)
    return records[start : start + size], str(start + size)
''',
    '''_{d}_cache: dict[int, {R}] = {{}}


def cached_{r}(record_id: int, fetch) -> {R}:
    """A {r} from the in-process cache, fetched on first use."""
    if record_id not in _{d}_cache:
        _{d}_cache[record_id] = fetch(record_id)
    return _{d}_cache[record_id]
''',
    '''def archive_{r}(record: {R}) -> dict:
    """Soft delete: the {r} is hidden but kept for the audit trail."""
    log.info("archiving %s %s", "{r}", record.id)
    return {{"id": record.id, "archived": True, "name": record.name}}
''',
    '''def {r}_filename(record: {R}, fmt: str = "csv") -> str:
    """The download name offered to the browser for an export of one {r}."""
    safe = "".join(ch for ch in record.name if ch.isalnum()) or "{r}"
    return f"{{safe}}-{{record.id}}.{{fmt}}"
''',
    '''def render_{d}_csv(records: list[{R}]) -> str:
    """The records as CSV text (returned to the caller, never written here)."""
    rows = ["id,name,version"]
    rows.extend(f"{{r.id}},{{r.name}},{{r.version}}" for r in records)
    return "\\n".join(rows)
''',
    '''def {r}_permissions(role: str) -> set[str]:
    """What a user role may do with a {r} (access control, not file modes)."""
    if role == "owner":
        return {{"read", "write", "delete"}}
    if role == "editor":
        return {{"read", "write"}}
    return {{"read"}}
''',
    '''def parse_{r}(payload: str) -> {R}:
    """A {r} from its JSON form; unknown fields are ignored."""
    data = json.loads(payload)
    return {R}(id=int(data["id"]), name=str(data.get("name", "")))
''',
    '''def schedule_{d}_digest(now: float, every_hours: int = 24) -> float:
    """When the next digest of {d} is due (the scheduler runs it, nothing is deleted)."""
    return now + every_hours * 3600
''',
)

_PY_TEST_PARTS = (
    """def test_{r}_url_path():
    assert {d}_url_path(7) == "/{d}/7"
""",
    """def test_page_of_{d}_returns_the_next_token():
    records = [{R}(id=i, name=str(i)) for i in range(3)]
    page, token = page_of_{d}(records, None, size=2)
    assert len(page) == 2 and token == "2"
""",
    """def test_{r}_permissions_for_an_editor():
    assert "delete" not in {r}_permissions("editor")
""",
    """def test_schedule_uses_the_clock(monkeypatch):
    monkeypatch.setattr("time.time", lambda: 0.0)
    assert schedule_{d}_digest(0.0) == 86400
""",
)


def python_modules(package: str, count: int, seed: int) -> dict[str, str]:
    """``count`` product modules under ``package/`` and a test module for some of them."""
    rng = random.Random(seed)
    files: dict[str, str] = {}
    for domain in rng.sample(DOMAINS, count):
        r, big = domain.rstrip("s"), _camel(domain)
        parts = rng.sample(_PY_PARTS, 5)
        body = "\n\n".join(p.format(d=domain, r=r, R=big) for p in parts)
        files[f"{package}/{domain}.py"] = (
            f'"""{big} records: routes, pages, versions and exports."""\n\n'
            "import json\nimport logging\nfrom dataclasses import dataclass\n\n"
            "log = logging.getLogger(__name__)\n\n\n"
            "class StaleVersion(Exception):\n    pass\n\n\n"
            f"@dataclass\nclass {big}:\n    id: int\n    name: str\n    version: int = 0\n\n\n"
            + body
        )
        tests = [p for p in _PY_TEST_PARTS if _uses(p, body)]
        if tests and rng.random() < 0.6:
            defined = (f"{domain}_url_path", f"page_of_{domain}", f"{r}_permissions")
            names = sorted({big, *(n for n in defined if f"def {n}(" in body)})
            names += [f"schedule_{domain}_digest"] if f"def schedule_{domain}" in body else []
            files[f"tests/test_{domain}.py"] = (
                f"from {package.replace('/', '.')}.{domain} import {', '.join(names)}\n\n\n"
                + "\n\n".join(p.format(d=domain, r=r, R=big) for p in tests)
            )
    return {k: v for k, v in files.items() if v.strip()}


def _uses(part: str, body: str) -> bool:
    for name in ("url_path", "page_of", "permissions", "schedule"):
        if name in part:
            return name in body
    return True


_TS_PARTS = (
    """export function {r}UrlPath(id: string): string {{
  // The route of a {r}: a URL path, not a file.
  return `/{d}/${{id}}`;
}}
""",
    """export function update{R}(record: {R}, name: string, expectedVersion: number): {R} {{
  // Optimistic lock on the version field.
  if (record.version !== expectedVersion) {{
    throw new Error(`{r} ${{record.id}} changed; reload and retry`);
  }}
  return {{ ...record, name, version: record.version + 1 }};
}}
""",
    """export function pageOf{R}s(records: {R}[], pageToken?: string, size = 50) {{
  // The page token is an offset, not a credential.
  const start = Number(pageToken ?? 0);
  return {{ items: records.slice(start, start + size), next: String(start + size) }};
}}
""",
    """const {r}Cache = new Map<string, {R}>();

export async function cached{R}(id: string, fetchOne: (id: string) => Promise<{R}>) {{
  if (!{r}Cache.has(id)) {{
    {r}Cache.set(id, await fetchOne(id));
  }}
  return {r}Cache.get(id)!;
}}
""",
    """export function archive{R}(record: {R}): {R} & {{ archived: true }} {{
  // Soft delete: hidden, kept for the audit trail.
  return {{ ...record, archived: true }};
}}
""",
    """export function {r}Filename(record: {R}, ext = "csv"): string {{
  // The name offered to the browser for a download.
  const safe = record.name.replace(/[^a-z0-9]/gi, "") || "{r}";
  return `${{safe}}-${{record.id}}.${{ext}}`;
}}
""",
    """export function {r}Permissions(role: string): string[] {{
  // Access control for users, not file modes.
  if (role === "owner") return ["read", "write", "delete"];
  return role === "editor" ? ["read", "write"] : ["read"];
}}
""",
    """export function render{R}sCsv(records: {R}[]): string {{
  const rows = records.map((r) => `${{r.id}},${{r.name}},${{r.version}}`);
  return ["id,name,version", ...rows].join("\\n");
}}
""",
)


def typescript_modules(folder: str, count: int, seed: int) -> dict[str, str]:
    """``count`` TypeScript modules under ``folder/``."""
    rng = random.Random(seed)
    files: dict[str, str] = {}
    for domain in rng.sample(DOMAINS, count):
        r, big = _camel(domain).lower()[:1] + _camel(domain)[1:], _camel(domain)
        parts = rng.sample(_TS_PARTS, 5)
        files[f"{folder}/{domain}.ts"] = (
            f"export interface {big} {{ id: string; name: string; version: number }}\n\n"
            + "\n".join(p.format(d=domain, r=r, R=big) for p in parts)
        )
    return files


_GO_PARTS = (
    """// {R}URLPath is the route of a {r}: a URL path, not a file.
func {R}URLPath(id string) string {{
\treturn "/{d}/" + id
}}
""",
    """// Update{R} applies an optimistic lock on the version.
func Update{R}(rec *{R}, name string, expected int) error {{
\tif rec.Version != expected {{
\t\treturn fmt.Errorf("{r} %s changed; reload", rec.ID)
\t}}
\trec.Name = name
\trec.Version++
\treturn nil
}}
""",
    """// PageOf{R}s returns one page and the next page token (an offset).
func PageOf{R}s(recs []{R}, token string, size int) ([]{R}, string) {{
\tstart, _ := strconv.Atoi(token)
\tend := start + size
\tif end > len(recs) {{
\t\tend = len(recs)
\t}}
\treturn recs[start:end], strconv.Itoa(end)
}}
""",
    """var {r}Cache = map[string]{R}{{}}

// Cached{R} memoises lookups in process memory.
func Cached{R}(id string, fetch func(string) {R}) {R} {{
\tif rec, ok := {r}Cache[id]; ok {{
\t\treturn rec
\t}}
\trec := fetch(id)
\t{r}Cache[id] = rec
\treturn rec
}}
""",
    """// Archive{R} is a soft delete: the record stays for the audit trail.
func Archive{R}(rec {R}) {R} {{
\trec.Archived = true
\treturn rec
}}
""",
    """// {R}Filename is the name offered for a download.
func {R}Filename(rec {R}, ext string) string {{
\treturn fmt.Sprintf("%s-%s.%s", rec.Name, rec.ID, ext)
}}
""",
    """// {R}Permissions is access control for users, not file modes.
func {R}Permissions(role string) []string {{
\tswitch role {{
\tcase "owner":
\t\treturn []string{{"read", "write", "delete"}}
\tcase "editor":
\t\treturn []string{{"read", "write"}}
\t}}
\treturn []string{{"read"}}
}}
""",
)


def go_modules(folder: str, count: int, seed: int) -> dict[str, str]:
    """``count`` Go files under ``folder/``, one package."""
    rng = random.Random(seed)
    files: dict[str, str] = {}
    package = folder.rsplit("/", 1)[-1]
    for domain in rng.sample(DOMAINS, count):
        r, big = domain.rstrip("s"), _camel(domain)
        parts = rng.sample(_GO_PARTS, 5)
        files[f"{folder}/{domain}.go"] = (
            f'package {package}\n\nimport (\n\t"fmt"\n\t"strconv"\n)\n\n'
            "var _ = fmt.Sprintf\nvar _ = strconv.Itoa\n\n"
            f"type {big} struct {{\n\tID       string\n\tName     string\n"
            "\tVersion  int\n\tArchived bool\n}\n\n"
            + "\n".join(p.format(d=domain, r=r, R=big) for p in parts)
        )
    return files
