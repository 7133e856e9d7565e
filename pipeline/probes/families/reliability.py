"""Reliability probes: timeouts, retries applied to calls, circuit breakers, atomic writes."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import Any

from pipeline.probes.base import Hit, Probe, plural
from pipeline.probes.shapes import CapabilityProbe
from pipeline.probes.views.datafiles import DataFiles, healthcheck_program, maintainer_script
from pipeline.probes.views.imports import Imports
from pipeline.probes.views.knowledge import Knowledge, Use
from pipeline.probes.views.profile import ProfileView
from pipeline.probes.views.python import PyCall, PythonCode, dotted
from pipeline.probes.views.repo import RepoView
from pipeline.probes.views.search import CODE, TextSearch
from pipeline.probes.views.syntax import SyntaxTrees
from pipeline.schemas import Category, CheckResult, Outcome, Severity

_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request", "stream")
# Constructors of Python HTTP clients whose methods make the calls, and the client's kind.
_PY_CLIENTS = {
    "requests.Session": "requests",
    "requests.session": "requests",
    "requests.sessions.Session": "requests",
    "httpx.Client": "httpx",
    "httpx.AsyncClient": "httpx",
    "aiohttp.ClientSession": "aiohttp",
    "urllib3.PoolManager": "urllib3",
    "urllib3.HTTPConnectionPool": "urllib3",
    "urllib3.HTTPSConnectionPool": "urllib3",
}
# fetch(new URL("./font.ttf", import.meta.url)): an asset bundled with the module.
_BUNDLED_ASSET = re.compile(r"\(\s*new\s+URL\(\s*[`'\"][^`'\"]+[`'\"]\s*,\s*import\.meta\.url\s*\)")
# fetch('/api/user'), fetch(`/api/${id}`): a path on the page's own origin.
_RELATIVE_URL = re.compile(r"\(\s*[`'\"]/(?!/)")
_SWR_KEY = re.compile(
    r"\buse(SWR|SWRImmutable|SWRInfinite)(<[^>]*>)?\(\s*(?P<q>[`'\"])(?P<key>[^`'\"]*)"
)


# A URL path without a scheme or host: '/api/x', 'api/x', `api/${id}`.
_RELATIVE_PATH = re.compile(r"""\(\s*['"`](?![a-z][\w+.-]*:|//|\$\{)[\w/.{}$-]*['"`?]""")
_AXIOS_BASE = re.compile(r"\bbaseURL\b")


def _own_origin(args: str, line: str, source: str) -> bool:
    """Whether a fetch asks the page's own server: a relative URL, or the URL parameter of
    an SWR ``fetcher`` whose every key in the file is a relative path (saas-starter's
    ``useSWR('/api/user', fetcher)``)."""
    if _RELATIVE_URL.match(args):
        return True
    if not re.search(r"\bfetcher\b", line):
        return False
    keys = [m.group("key") for m in _SWR_KEY.finditer(source)]
    return bool(keys) and all(k.startswith("/") and not k.startswith("//") for k in keys)


_PLACE = {
    "browser": "in the user's browser",
    "tooling": "in a build or maintainer script",
    "unused": "in a function nothing in the repository calls",
    "command": "only in a command-line program, which its user runs and can interrupt",
    "own": "in the user's browser, against the page's own server",
    "health": "in a health-check handler, which the prober calling it times out",
    "optional": "only in code behind an optional Cargo feature that default builds leave out",
}
# A route file that answers health probes (SvelteKit's routes/healthz/+server.ts, Next's
# app/api/health/route.ts): whoever probes it gives up on its own deadline.
_HEALTH_ROUTE = re.compile(r"(^|/)(health|healthz|healthcheck|livez|readyz)(/|\.)", re.I)
_GO_FUNC = re.compile(r"^func\s+(\([^)]*\)\s*)?(\w+)")
_GO_METHOD = re.compile(r"func\s+\(")
# A line that declares a Go name rather than using it (its type, its methods, its
# constructor), says it implements an interface (``var _ I = (*T)(nil)``), or comments.
_GO_DECLARES = re.compile(r"(func|type)\b|var\s+_\b|//")
# A Go program that serves: it listens, or opens its own server type.
_SERVES = r"ListenAndServe|\.Serve\(|net\.Listen\(|http\.Server\{|Server\.Open\(\)"
# What a client does when a call passes no timeout.
_BLOCKING_REQWEST = "reqwest's blocking Client times out after 30 s by default"
_NO_TIMEOUT = {
    "requests": "requests has no default timeout: a call without timeout= can wait forever",
    "urllib": "urllib.request.urlopen without timeout= uses the socket default, which is none",
    "urllib3": "urllib3 without a timeout falls back to the socket default, which is none",
    "node-fetch": "node-fetch has no default timeout: a call needs an AbortSignal",
    "fetch": "fetch in a browser or edge runtime has no timeout unless given an AbortSignal",
    "axios": "axios's timeout is 0 by default: a request can wait forever",
    "got": "Got sets no timeout by default",
    "node-http": "Node's http.request sets no timeout unless given one",
    "net/http": "http.DefaultClient and a zero http.Client{} have no timeout",
    "reqwest": "reqwest's Client has no overall timeout unless .timeout() is set",
    "gRPC": "gRPC calls have no deadline unless the context carries one",
}
# What bounds a fetch-based SDK's call on Node when it sets no timeout of its own.
_NODE_BOUND = "only undici's 300 s without headers or body data bounds it"
_DEFAULT_TIMEOUT = {
    "httpx": "httpx times out after 5 s by default",
    "aiohttp": "aiohttp's ClientSession times out after 300 s by default",
    "node": "Node's global fetch (undici) times out after 300 s without headers or body data",
    "ky": "Ky times out after 10 s by default",
}
# Clients whose calls are read one by one; other SDKs are judged by the knowledge table.
_DIRECT = frozenset(
    {
        "requests",
        "httpx",
        "aiohttp",
        "urllib3",
        "urllib",
        "axios",
        "node-fetch",
        "undici",
        "got",
        "ky",
        "net-http-go",
        "reqwest-rust",
    }
)
_RETRY_DECORATORS = (
    "tenacity.retry",
    "backoff.on_exception",
    "backoff.on_predicate",
    "retrying.retry",
    "retry.retry",
    "stamina.retry",
    "async_retrying",
)
_TEST_SUPPORT = re.compile(r"(?i)test(_\w+|utils?|helpers?|support|ing)")
_FRONTEND = ("react", "react-dom", "vue", "svelte", "@angular/core", "solid-js", "preact", "next")
_GO_DEADLINES = (
    r"context\.WithTimeout|context\.WithDeadline|grpc\.WithTimeout|TimeoutHandler|"
    r"middleware\.Timeout|UnaryClientInterceptor|ReadTimeout:|WriteTimeout:"
)


@dataclass(frozen=True)
class Outbound:
    """One outbound call site: whether it is bounded by a timeout and retried, and why."""

    hit: Hit
    client: str
    timeout: bool | None
    timeout_why: str
    retried: bool | None = None
    retry_why: str = ""
    # Where the call runs when that is not a server: "browser" (a page of the app) or
    # "tooling" (a build or maintainer script that package.json runs).
    place: str = ""


class Calls:
    """Outbound call sites of the product, read per language (computed once per run)."""

    def __init__(
        self,
        repo: RepoView,
        python: PythonCode,
        syntax: SyntaxTrees,
        text: TextSearch,
        knowledge: Knowledge,
        data: DataFiles,
    ) -> None:
        self.repo, self.python, self.syntax = repo, python, syntax
        self.text, self.knowledge, self.data = text, knowledge, data

    @staticmethod
    def of(
        repo: RepoView,
        python: PythonCode,
        syntax: SyntaxTrees,
        text: TextSearch,
        knowledge: Knowledge,
        data: DataFiles,
    ) -> list[Outbound]:
        return repo.memo(
            "outbound-calls",
            lambda: Calls(repo, python, syntax, text, knowledge, data).collect(),
        )

    def collect(self) -> list[Outbound]:
        found = [*self._python(), *self._javascript(), *self._go(), *self._rust()]
        found += self._sdks(found)
        # Test-support packages (test_helpers/, testutil/) call out for tests, not the product.
        found = [
            o
            for o in found
            if not any(
                _TEST_SUPPORT.fullmatch(part) for part in PurePosixPath(o.hit.path).parts[:-1]
            )
            and not self._unix_socket(o.hit)
            and not healthcheck_program(self.repo, o.hit.path)
        ]
        return sorted(found, key=lambda o: (o.hit.path, o.hit.line))

    def _unix_socket(self, hit: Hit) -> bool:
        """A Go client whose transport dials a Unix socket: a call to a local process (a
        daemon's control socket), not over the network."""
        if not hit.path.endswith(".go"):
            return False
        lines = self.repo.lines(hit.path)[hit.line - 1 : hit.line + 9]
        return bool(re.search(r"Dial\w*\([^)]*\"unix\"", "\n".join(lines)))

    # --- Python -------------------------------------------------------------------------

    def _python(self) -> list[Outbound]:
        found: list[Outbound] = []
        clients: dict[str, dict[str, str]] = {}
        for f in self.repo.code_files("python"):
            clients[f.path] = self._py_clients(f.path)
        retry_files = {f.path for f in self.repo.code_files("python") if self._py_loop_file(f.path)}
        for c in self.python.calls():
            kind = _py_kind(c, clients.get(c.path, {}))
            if kind is None:
                continue
            timeout, why = self._py_timeout(c, kind)
            retried, retry_why = self._py_retried(c, kind, c.path in retry_files)
            place = "tooling" if self.repo.helper_script(c.path) else ""
            found.append(
                Outbound(Hit(c.path, c.line, c.name), kind, timeout, why, retried, retry_why, place)
            )
        return found

    def _py_clients(self, path: str) -> dict[str, str]:
        """Names (``s``, ``self._session``) bound to an HTTP client object in a file."""
        aliases = self.python.aliases(path)
        bound: dict[str, str] = {}
        for node in self.python.nodes(path, ast.Assign, ast.AnnAssign, ast.withitem):
            value = node.context_expr if isinstance(node, ast.withitem) else node.value
            if not isinstance(value, ast.Call):
                continue
            kind = _PY_CLIENTS.get(dotted(value.func, aliases))
            if kind is None:
                continue
            if isinstance(node, ast.withitem):
                targets = [node.optional_vars] if node.optional_vars is not None else []
            elif isinstance(node, ast.Assign):
                targets = list(node.targets)
            else:
                targets = [node.target]
            for target in targets:
                bound[ast.unparse(target)] = kind
        return bound

    def _py_timeout(self, call: PyCall, kind: str) -> tuple[bool | None, str]:
        value = call.keyword("timeout")
        if value is None:
            if call.has_kwargs():
                return None, "keyword arguments are passed through"
            if kind in _DEFAULT_TIMEOUT:
                return True, _DEFAULT_TIMEOUT[kind]
            return False, _NO_TIMEOUT.get(kind, f"{kind} sets no timeout by default")
        if isinstance(value, ast.Constant) and value.value is None:
            return False, "timeout=None means no timeout"
        unset = self._none_default(call, value)
        if unset:
            return False, f"its timeout is {unset}, which defaults to None (no timeout)"
        return True, "timeout= is set"

    def _none_default(self, call: PyCall, value: ast.expr) -> str | None:
        """The parameter a timeout comes from when that parameter defaults to None."""
        func = self.python.call_context(call.path, call.node)[2]
        if isinstance(value, ast.Name) and func is not None:
            names = {value.id}
            for node in ast.walk(func):
                if isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == value.id for t in node.targets
                ):
                    names |= {n.id for n in ast.walk(node.value) if isinstance(n, ast.Name)}
            for name, default in _defaults(func).items():
                if name in names and _is_none(default):
                    return f"the parameter {name} of {func.name}() ({call.path}:{func.lineno})"
            return None
        if (
            isinstance(value, ast.Attribute)
            and isinstance(value.value, ast.Name)
            and value.value.id == "self"
        ):
            for init in self.python.nodes(call.path, ast.FunctionDef):
                if init.name != "__init__":
                    continue
                defaults = _defaults(init)
                for node in ast.walk(init):
                    if (
                        isinstance(node, ast.Assign)
                        and any(
                            isinstance(t, ast.Attribute) and t.attr == value.attr
                            for t in node.targets
                        )
                        and isinstance(node.value, ast.Name)
                        and _is_none(defaults.get(node.value.id, ast.Constant(0)))
                    ):
                        return f"self.{value.attr}, set from __init__'s {node.value.id}"
        return None

    def _py_retried(self, call: PyCall, kind: str, loop_file: bool) -> tuple[bool, str]:
        if any(
            d.startswith(_RETRY_DECORATORS) or d in ("retry", "backoff.expo")
            for d in call.decorators
        ):
            return True, f"@{call.decorators[0]}"
        func = self.python.call_context(call.path, call.node)[2]
        if func is not None and _celery_retries(func):
            return True, "a Celery task that retries"
        retrying = self._py_retrying_loop(call)
        if retrying:
            return True, f"a `for attempt in {retrying}(...)` loop"
        if loop_file:
            return True, "a retry loop with backoff in the same file"
        if kind in ("requests", "urllib3") and self._py_mounted_retry(call.path):
            return True, "a Retry mounted on the session in the same file"
        retries = call.keyword("retries")
        if kind == "urllib3" and retries is None and not call.has_kwargs():
            return True, "urllib3 retries 3 times by default"
        return False, f"nothing retries this {kind} call"

    def _py_retrying_loop(self, call: PyCall) -> str | None:
        """The tenacity/stamina retrying iterator a call runs inside, if any."""
        parents = self.python.parents(call.path)
        node: ast.AST | None = parents.get(id(call.node))
        while node is not None and not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if isinstance(node, ast.For | ast.AsyncFor) and isinstance(node.iter, ast.Call):
                name = dotted(node.iter.func, self.python.aliases(call.path))
                if name.endswith(("Retrying", "AsyncRetrying", "retry_context")):
                    return name
            node = parents.get(id(node))
        return None

    def _py_mounted_retry(self, path: str) -> bool:
        aliases = self.python.aliases(path)
        for node in self.python.nodes(path, ast.Call):
            name = dotted(node.func, aliases)
            if name.endswith("Retry") and _positive_retry(node):
                return True
            if name.endswith("HTTPAdapter"):
                value = next((k.value for k in node.keywords if k.arg == "max_retries"), None)
                if (
                    isinstance(value, ast.Constant)
                    and isinstance(value.value, int)
                    and value.value > 0
                ):
                    return True
        return False

    def _py_loop_file(self, path: str) -> bool:
        """Whether the file has a loop that catches, then sleeps for a computed delay."""
        for node in self.python.nodes(path, ast.For, ast.While, ast.AsyncFor):
            inner = list(ast.walk(node))
            catches = any(isinstance(n, ast.Try) and n.handlers for n in inner)
            sleeps = [
                n
                for n in inner
                if isinstance(n, ast.Call)
                and dotted(n.func, {}).endswith("sleep")
                and n.args
                and not _constant(n.args[0])
            ]
            if catches and sleeps:
                return True
        return False

    # --- JavaScript and TypeScript --------------------------------------------------------

    def _javascript(self) -> list[Outbound]:
        files = self.repo.code_files("javascript", "typescript")
        if not files:
            return []
        found: list[Outbound] = []
        axios_timeout = bool(
            self.text.grep(
                r"axios\.defaults\.timeout|axios\.create\(\s*\{[^}]*timeout",
                ("javascript", "typescript"),
                limit=1,
            )
        )
        axios_retry = bool(
            self.text.grep(r"axiosRetry\(|axios-retry", ("javascript", "typescript"), limit=1)
        )
        for f in files:
            root = self.syntax.root(f.path)
            if root is None:
                continue
            source = self.repo.text(f.path)
            runtime = self._js_runtime(f.path, source)
            tooling = self._tooling(f.path)
            retry_loop = _js_retry_loop(root)
            instances = _js_instances(root)
            for node in root.find_all(kind="call_expression"):
                callee = node.field("function")
                if callee is None:
                    continue
                name = callee.text()
                kind = _js_kind(name, instances)
                if kind is None:
                    continue
                line = node.range().start.line + 1
                hit = Hit(f.path, line, self.repo.shown(f.path, line).strip())
                args = node.field("arguments")
                args_text = args.text() if args is not None else ""
                if kind == "fetch" and _BUNDLED_ASSET.match(args_text):
                    continue  # reads a file shipped with the code, not another service
                timeout, why = _js_timeout(node, kind, args_text, runtime, axios_timeout)
                retried, retry_why = _js_retried(node, kind, args_text, retry_loop, axios_retry)
                place = "browser" if runtime == "browser" else "tooling" if tooling else ""
                if not place and _HEALTH_ROUTE.search(f.path):
                    place = "health"  # pocket-id's healthz route asking its backend
                if kind == "fetch" and _own_origin(args_text, hit.text, source):
                    place = "own"  # the page asks its own server, not another service
                elif (
                    kind == "axios"
                    and runtime == "browser"
                    and _RELATIVE_PATH.match(args_text)
                    and not self._axios_base_anywhere()
                ):
                    # statping-ng's frontend/src/API.js: axios.get('api/core') from the page,
                    # with no baseURL: the request goes to the server that served the page.
                    place = "own"
                found.append(Outbound(hit, kind, timeout, why, retried, retry_why, place))
        return found

    def _axios_base_anywhere(self) -> bool:
        """Whether any JavaScript of the repository gives axios a base URL (defaults or an
        instance's): then a relative path goes to that host, not the page's own server."""
        return self.repo.memo(
            "axios-base-url",
            lambda: any(
                _AXIOS_BASE.search(self.repo.text(f.path))
                for f in self.repo.code_files("javascript", "typescript")
            ),
        )

    def _tooling(self, path: str) -> bool:
        """A build or maintainer script a package.json script runs by name (uptime-kuma's
        ``"download-dist": "node extra/download-dist.js"``). A top-level scripts/ or tools/
        folder of a JavaScript project is no product code at all (see ``is_product``)."""
        return bool(maintainer_script(self.repo, path))

    def _js_runtime(self, path: str, source: str) -> str:
        """Where a file runs: "node", "browser" or "edge" (fetch's defaults differ)."""
        if re.search(r"""runtime\s*(:\s*\w+\s*)?=\s*['"]edge['"]""", source):
            return "edge"
        head = source.lstrip()[:40]
        if head.startswith(("'use client'", '"use client"')):
            return "browser"
        if re.search(r"""fetch\(\s*[`'"]/""", source):
            return "browser"  # a relative URL is fetched from a page, not from a server
        deps, browser = self._package_deps(path)
        if browser:
            return "any"  # a package built for browsers too: fetch's defaults depend on where
        if "next" in deps:
            parts = PurePosixPath(path).parts
            if re.search(r"(^|/)(components?|hooks)/", path):
                return "browser"
            server = re.search(r"(^|/)(app|src/app)/", path)
            if server or "api" in parts or PurePosixPath(path).stem.startswith("middleware"):
                return "node"
            return "any"  # a shared module (lib/, utils/) runs wherever it is imported
        if deps & set(_FRONTEND):
            return "browser"
        if not deps and {"static", "staticfiles", "assets"} & set(PurePosixPath(path).parts):
            return "browser"  # a server-rendered app's static scripts (Django's static/js)
        return "node"

    def _package_deps(self, path: str) -> tuple[set[str], bool]:
        """Runtime dependencies of the package.json nearest above ``path``, and whether
        that package is also built for browsers (a ``browser`` field)."""
        folder = PurePosixPath(path).parent
        while True:
            manifest = str(folder / "package.json") if str(folder) != "." else "package.json"
            if manifest in self.repo.by_path:
                data = self.data.json(manifest)
                if isinstance(data, dict):
                    deps = set(data.get("dependencies") or {})
                    return deps | set(data.get("peerDependencies") or {}), "browser" in data
                return set(), False
            if str(folder) in (".", ""):
                return set(), False
            folder = folder.parent

    # --- Go and Rust --------------------------------------------------------------------

    def _go(self) -> list[Outbound]:
        found: list[Outbound] = []
        for hit in self.text.grep(
            # http.DefaultClient used or handed to a client constructor (reproxy's
            # consulcatalog.NewClient(addr, http.DefaultClient)): no timeout either way.
            r"\bhttp\.(Get|Post|Head|PostForm)\(|http\.DefaultClient\b|&?http\.Client\{\s*\}",
            ("go",),
            code_only=True,
        ):
            place = (
                "unused"
                if self._go_unused(hit)
                else "command"
                if self._go_commands_only(hit)
                else ""
            )
            deadline = self._go_context_deadline(hit) or self._go_caller_deadline(hit)
            if deadline:
                # remark42's import command: a zero http.Client{}, and the request it sends
                # carries ctx from context.WithTimeout a line below.
                found.append(Outbound(hit, "net/http", True, deadline, place=place))
                continue
            shared = self._go_shared_client(hit)
            if shared:
                found.append(Outbound(hit, "net/http", None, shared, place=place))
                continue
            found.append(Outbound(hit, "net/http", False, _NO_TIMEOUT["net/http"], place=place))
        for hit in self.text.grep(r"&?http\.Client\{[^}]*Timeout\s*:", ("go",), code_only=True):
            found.append(Outbound(hit, "net/http", True, "http.Client{Timeout: ...} is set"))
        dials = self.text.grep(r"\bgrpc\.(Dial|DialContext|NewClient)\(", ("go",), code_only=True)
        if dials:
            bounded = self.text.grep(_GO_DEADLINES, ("go",), limit=1, code_only=True)
            for hit in dials:
                if bounded:
                    found.append(
                        Outbound(hit, "gRPC", None, f"deadlines are set ({bounded[0].where})")
                    )
                else:
                    found.append(
                        Outbound(
                            hit,
                            "gRPC",
                            False,
                            "gRPC sets no deadline by default and no "
                            "context.WithTimeout/WithDeadline is used anywhere",
                        )
                    )
        if found:
            loops = {h.path for h in _go_retry_loops(self.syntax)}
            found = [
                Outbound(
                    o.hit,
                    o.client,
                    o.timeout,
                    o.timeout_why,
                    o.hit.path in loops,
                    "a retry loop with backoff in the same file"
                    if o.hit.path in loops
                    else f"nothing retries this {o.client} call",
                    o.place,
                )
                for o in found
            ]
        return found

    def _go_context_deadline(self, hit: Hit) -> str:
        """Why the calls of the function around ``hit`` are bounded though its client is not:
        it makes a context with a deadline and sends its requests with that context."""
        found = _go_function_body(self.repo.lines(hit.path), hit.line)
        if found is None:
            return ""
        start, body = found
        made = re.search(r"(\w+),\s*\w+\s*:?=\s*context\.With(Timeout|Deadline)\(", body)
        if made is None:
            return ""
        ctx = re.escape(made.group(1))
        if re.search(rf"NewRequestWithContext\(\s*{ctx}\b|\.WithContext\(\s*{ctx}\s*\)", body):
            line = start + body[: made.start()].count("\n")
            return (
                f"its requests carry a context deadline (context.With{made.group(2)}, "
                f"{hit.path}:{line})"
            )
        return ""

    def _go_caller_deadline(self, hit: Hit) -> str:
        """Why a call is bounded by its callers: the function around ``hit`` sends its request
        with the ctx it is given, and every call of it passes a ctx made with a deadline in
        the calling function (pgweb's FetchCredential, called with context.WithTimeout(...,
        10 s) in pkg/api/api.go)."""
        lines = self.repo.lines(hit.path)
        found = _go_function_body(lines, hit.line)
        enclosing = _go_enclosing(lines, hit.line)
        if found is None or enclosing is None:
            return ""
        _, body = found
        name = enclosing[1]
        given = re.search(r"\(\s*(\w+)\s+context\.Context\b", lines[enclosing[2] - 1])
        if given is None or not re.search(
            rf"NewRequestWithContext\(\s*{given.group(1)}\b|\.WithContext\(\s*{given.group(1)}\s*\)",
            body,
        ):
            return ""
        calls = [
            c
            for c in self.text.grep(rf"(^|[^\w]){re.escape(name)}\(\s*\w+", ("go",), code_only=True)
            if not _GO_FUNC.match(self.repo.lines(c.path)[c.line - 1])
        ]
        if not calls:
            return ""
        made = []
        for call in calls:
            passed = re.search(rf"{re.escape(name)}\(\s*(\w+)", call.text)
            caller = _go_function_body(self.repo.lines(call.path), call.line)
            if passed is None or caller is None:
                return ""
            start, text = caller
            deadline = re.search(
                rf"\b{passed.group(1)},\s*\w+\s*:?=\s*context\.With(Timeout|Deadline)\(", text
            )
            if deadline is None:
                return ""
            made.append(f"{call.path}:{start + text[: deadline.start()].count(chr(10))}")
        return (
            f"its request carries the caller's context, and every caller gives it a deadline "
            f"(context.WithTimeout or WithDeadline, {made[0]})"
        )

    def _go_shared_client(self, hit: Hit) -> str:
        """Why a zero ``http.Client{}`` cannot be judged here: it is built in one place and
        handed out, and every request the Go code builds carries a context, so each call's
        deadline is set by whoever makes that context (pocket-id's shared client, whose
        callers each use context.WithTimeout). Empty when the client is used where it is
        made, or when some request is built without a context."""
        if not re.search(r"http\.Client\{\s*\}", hit.text):
            return ""
        found = _go_function_body(self.repo.lines(hit.path), hit.line)
        if found is None:
            return ""
        _, body = found
        if re.search(r"\.(Do|Get|Post|Head|PostForm)\(", body):
            return ""  # used where it is made: _go_context_deadline judges that
        plain = self.text.grep(r"\bhttp\.NewRequest\(", ("go",), limit=1, code_only=True)
        carried = self.text.grep(r"\bhttp\.NewRequestWithContext\(", ("go",), code_only=True)
        if plain or not carried:
            return ""
        deadlines = self.text.grep(_GO_DEADLINES, ("go",), limit=1, code_only=True)
        if not deadlines:
            return ""
        return (
            f"the client is built here and shared; all {len(carried)} requests the code "
            f"builds carry a context (first {carried[0].where}), so their deadlines are "
            f"the callers' (context deadlines are set, e.g. {deadlines[0].where})"
        )

    def _go_unused(self, hit: Hit) -> bool:
        """Whether the call sits in a Go function nothing in the repository calls: a plain
        function (no receiver, so no interface can reach it) that only this module can import
        (unexported, under internal/ or in package main) and whose name appears nowhere else."""
        found = _go_enclosing(self.repo.lines(hit.path), hit.line)
        if found is None:
            return False
        receiver, name, number = found
        if receiver or name in ("main", "init") or name.startswith(("Test", "Benchmark")):
            return False
        source = self.repo.text(hit.path)
        private = (
            name[0].islower()
            or "internal" in PurePosixPath(hit.path).parts
            or re.search(r"(?m)^package main\b", source) is not None
        )
        if not private:
            return False
        package = re.search(r"(?m)^package (\w+)", source)
        qualified = rf"|\b{package.group(1)}\.{name}\b" if package else ""
        # A bare use in the package, or pkg.Name from another; x.Name() is some other method.
        uses = self.text.grep(rf"(^|[^.\w]){name}\b{qualified}", ("go",), tests=None)
        return all(
            (u.path == hit.path and u.line == number) or _GO_METHOD.match(u.text.strip())
            for u in uses
        )

    def _go_commands_only(self, hit: Hit) -> bool:
        """Whether the call is reached only from command-line programs: it sits in a
        method (or an exported function) of a shared package whose type, constructor or
        function only ``package main`` programs that serve nothing name (wtf's DialService,
        built by ``http.NewDialService`` in cmd/wtf and nowhere in its server cmd/wtfd).

        Conservative: a use inside the package (other than the type's own methods and
        constructor), in a program that serves requests or in a non-main package keeps the
        call a server's; so does a package whose import path cannot be read."""
        found = _go_enclosing(self.repo.lines(hit.path), hit.line)
        source = self.repo.text(hit.path)
        package = re.search(r"(?m)^package (\w+)", source)
        if found is None or package is None or package.group(1) == "main":
            return False
        receiver, name, _ = found
        if receiver:
            names = {receiver, f"New{receiver}"}
        elif name[:1].isupper():
            names = {name}
        else:
            return False
        folder = str(PurePosixPath(hit.path).parent)
        imported = self._go_import_path(folder)
        if imported is None:
            return False
        wanted = "|".join(sorted(names))
        programs: set[str] = set()
        for use in self.text.grep(rf"(^|[^\w])({wanted})\b", ("go",), code_only=True):
            where = str(PurePosixPath(use.path).parent)
            if where == folder:
                if _GO_DECLARES.match(use.text.strip()) or not _go_names_type(use.text, names):
                    continue
                owner = _go_enclosing(self.repo.lines(use.path), use.line)
                if owner is not None and (owner[0] in names or owner[1] in names):
                    continue  # the type's own methods and constructor
                return False  # the package uses it itself
            else:
                alias = _go_alias(self.repo.text(use.path), imported, package.group(1))
                if alias and re.search(rf"\b{alias}\.({wanted})\b", use.text):
                    programs.add(where)
        if not programs:
            return False
        for program in programs:
            files = [
                f.path
                for f in self.repo.code_files("go")
                if str(PurePosixPath(f.path).parent) == program
            ]
            if not all(re.search(r"(?m)^package main\b", self.repo.text(f)) for f in files):
                return False
            if any(re.search(_SERVES, self.repo.text(f)) for f in files):
                return False
        return True

    def _go_import_path(self, folder: str) -> str | None:
        """The import path of the Go package in ``folder``, from the go.mod above it."""
        at = PurePosixPath(folder)
        while True:
            mod = "go.mod" if str(at) in (".", "") else f"{at}/go.mod"
            if mod in self.repo.by_path:
                module = re.search(r"(?m)^module\s+(\S+)", self.repo.text(mod))
                if module is None:
                    return None
                rest = (
                    PurePosixPath(folder).relative_to(at)
                    if str(at) not in (".", "")
                    else PurePosixPath(folder)
                )
                return module.group(1) if str(rest) in (".", "") else f"{module.group(1)}/{rest}"
            if str(at) in (".", ""):
                return None
            at = at.parent

    def _rust(self) -> list[Outbound]:
        found = self._rust_calls()
        servers = [
            h.path for _, h in self.knowledge.provides("serves_http") if h.path.endswith(".rs")
        ]
        served = rust_crates_reached(self.repo, self.data, servers) if servers else None
        out = []
        for o in found:
            if rust_feature_gate(self.repo, self.data, o.hit):
                o = replace(o, place="optional")
            elif served is not None and not o.place:
                crate = rust_crate(self.repo, o.hit.path)
                if crate is not None and crate not in served:
                    # atuin: the AI and login calls sit in client crates the sync server
                    # (crates/atuin-server) does not depend on; only the CLI runs them.
                    o = replace(o, place="command")
            out.append(o)
        return out

    def _rust_calls(self) -> list[Outbound]:
        found: list[Outbound] = []
        for hit in self.text.grep(
            r"reqwest::get\(|reqwest::Client::new\(\)|\bClient::new\(\)", ("rust",), code_only=True
        ):
            if "reqwest" in hit.text or hit.path in self.knowledge.imports.importers("reqwest"):
                # reqwest's blocking Client times out after 30 s unless told otherwise (lldap's
                # set-password: `reqwest::blocking::Client::new()`); the async one never does.
                blocking = "blocking::" in hit.text or (
                    "reqwest::" not in hit.text
                    and re.search(r"use reqwest::blocking(::Client)?\b", self.repo.text(hit.path))
                )
                # atuin's fetch_models: `reqwest::Client::new().get(url)...timeout(10 s)`,
                # a deadline on the request the new client sends.
                body = "\n".join(self.repo.lines(hit.path)[hit.line - 1 : hit.line + 10])
                per_request = ".timeout(" in body.split(";")[0]
                why = (
                    "a .timeout() is set on the request"
                    if per_request
                    else _BLOCKING_REQWEST
                    if blocking
                    else _NO_TIMEOUT["reqwest"]
                )
                found.append(
                    Outbound(
                        hit,
                        "reqwest",
                        bool(blocking) or per_request,
                        why,
                        False,
                        "nothing retries this reqwest call",
                    )
                )
        for hit in self.text.grep(r"Client::builder\(\)", ("rust",), code_only=True):
            if (
                hit.path not in self.knowledge.imports.importers("reqwest")
                and "reqwest" not in hit.text
            ):
                continue
            body = "\n".join(self.repo.lines(hit.path)[hit.line - 1 : hit.line + 12])
            chain = body.split(";")[0]
            bounded = ".timeout(" in chain
            before = "\n".join(self.repo.lines(hit.path)[max(0, hit.line - 8) : hit.line])
            if not bounded and re.search(r"->\s*(reqwest::)?ClientBuilder\b", before):
                # atuin's client_builder(): it returns the builder, and each caller sets the
                # timeouts before building (api_client.rs: .connect_timeout(), .timeout()).
                found.append(
                    Outbound(
                        hit,
                        "reqwest",
                        None,
                        "the builder is returned to callers that configure it",
                        False,
                        "nothing retries this reqwest call",
                    )
                )
                continue
            found.append(
                Outbound(
                    hit,
                    "reqwest",
                    bounded,
                    ".timeout() is set" if bounded else _NO_TIMEOUT["reqwest"],
                    False,
                    "nothing retries this reqwest call",
                )
            )
        return found

    # --- SDKs the knowledge table describes --------------------------------------------------

    def _sdks(self, direct: list[Outbound]) -> list[Outbound]:
        found: list[Outbound] = []
        for use in self.knowledge.uses:
            fw = use.framework
            if fw.id in _DIRECT or not ({"http_client", "llm_client"} & set(fw.provides)):
                continue
            hit = self._sdk_site(use)
            if hit is None:
                continue
            if "http_timeouts" in fw.provides:
                timeout, why = True, fw.provides["http_timeouts"].rstrip(".")
            elif "http_timeouts" in fw.lacks and self._on_node_fetch(fw, hit):
                # nextjs-subscription-payments: supabase-js in a server component calls
                # Node's global fetch with no timeout of its own; undici gives up after 300 s
                # without data. Its labeller: "partly"; its reader: a low gap, not a high one.
                timeout = False
                why = f"{fw.name} sets no timeout on the global fetch; {_NODE_BOUND}"
            elif "http_timeouts" in fw.lacks:
                timeout, why = False, fw.lacks["http_timeouts"].rstrip(".")
                setter = fw.when.get("http_timeouts")
                users = self.knowledge.imports.importers(*fw.imports) if setter else set()
                for path in sorted(users):
                    number = self.repo.line_of(path, setter or "", 0)
                    if number:
                        timeout, why = True, f"a timeout is set ({path}:{number})"
                        break
            else:
                timeout, why = None, ""
            if "retries" in fw.provides and not fw.when.get("retries"):
                retried, retry_why = True, fw.provides["retries"].rstrip(".")
            elif "retries" in fw.lacks:
                retried, retry_why = False, fw.lacks["retries"].rstrip(".")
            else:
                retried, retry_why = None, ""
            found.append(Outbound(hit, fw.name, timeout, why, retried, retry_why))
        return found

    def _on_node_fetch(self, fw: Any, hit: Hit) -> bool:
        """A JavaScript SDK built on the global fetch (its lack says so), used where the code
        runs on Node rather than in a browser or an edge function."""
        if fw.ecosystem != "javascript" or "fetch" not in fw.lacks["http_timeouts"]:
            return False
        source = self.repo.text(hit.path)
        return self._js_runtime(hit.path, source) == "node"

    def _sdk_site(self, use: Use) -> Hit | None:
        for capability in ("http_client", "llm_client"):
            if capability in use.framework.provides:
                pattern = use.framework.when.get(capability)
                if not pattern:
                    return use.site
                for found, hit in self.knowledge.provides(capability):
                    if found.framework.id == use.framework.id:
                        return hit
        return None


def _py_kind(call: PyCall, clients: dict[str, str]) -> str | None:
    head, _, last = call.name.rpartition(".")
    if head in ("requests", "httpx") and last in _VERBS:
        return head
    if call.name in ("urllib.request.urlopen", "urllib.request.urlretrieve"):
        return "urllib"
    if last == "urlopen" and head:
        return "urllib3"
    if last in _VERBS and head in clients:
        return clients[head]
    return None


def _defaults(func: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, ast.expr]:
    args = func.args
    positional = [*args.posonlyargs, *args.args]
    found = dict(
        zip(
            [a.arg for a in positional[len(positional) - len(args.defaults) :]],
            args.defaults,
            strict=True,
        )
    )
    found.update(
        {a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d is not None}
    )
    return found


def _is_none(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


def _constant(node: ast.expr) -> bool:
    """Whether an expression is a fixed number (``5``, ``2 * 60``, ``RETRY_DELAY``)."""
    for part in ast.walk(node):
        if isinstance(part, ast.Name) and not part.id.isupper():
            return False
        if isinstance(part, ast.Attribute | ast.Call | ast.Subscript):
            return False
    return True


def _positive_retry(node: ast.Call) -> bool:
    """Whether a urllib3 Retry(...) allows at least one retry (``Retry(0)`` does not)."""
    total = (
        node.args[0]
        if node.args
        else next((k.value for k in node.keywords if k.arg == "total"), None)
    )
    if total is None:
        return bool(node.keywords)
    if isinstance(total, ast.Constant):
        return (
            isinstance(total.value, int) and not isinstance(total.value, bool) and total.value > 0
        )
    return True


def _celery_retries(func: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    for decorator in func.decorator_list:
        if isinstance(decorator, ast.Call) and any(
            k.arg in ("autoretry_for", "retry_backoff") for k in decorator.keywords
        ):
            return True
    return any(
        isinstance(n, ast.Call)
        and isinstance(n.func, ast.Attribute)
        and n.func.attr == "retry"
        and isinstance(n.func.value, ast.Name)
        and n.func.value.id == "self"
        for n in ast.walk(func)
    )


def _js_instances(root: Any) -> dict[str, str]:
    """Names bound to an axios or got instance: ``const api = axios.create(...)``."""
    found: dict[str, str] = {}
    for node in root.find_all(kind="variable_declarator"):
        value = node.field("value")
        name = node.field("name")
        if value is None or name is None:
            continue
        text = value.text()
        if re.match(r"axios\.create\(", text):
            found[name.text()] = "axios"
        elif re.match(r"got\.extend\(", text):
            found[name.text()] = "got"
        elif re.match(r"ky\.(create|extend)\(", text):
            found[name.text()] = "ky"
    return found


_JS_VERBS = r"(get|post|put|patch|delete|head|options|request)"


def _js_kind(name: str, instances: dict[str, str]) -> str | None:
    if re.fullmatch(r"(window\.|globalThis\.|self\.|this\.#|this\._)?fetch", name):
        return "fetch"
    if re.fullmatch(rf"axios(\.{_JS_VERBS})?", name):
        return "axios"
    if re.fullmatch(rf"got(\.{_JS_VERBS}|\.stream)?", name):
        return "got"
    if re.fullmatch(rf"ky(\.{_JS_VERBS})?", name):
        return "ky"
    if re.fullmatch(r"https?\.(request|get)", name):
        return "node-http"
    head, _, last = name.rpartition(".")
    if head in instances and re.fullmatch(_JS_VERBS, last):
        return instances[head]
    return None


_OPT_IN_TIMEOUT = (
    "a timeout applies only when the caller configures one; by default the request has none"
)


def _opt_in_signal(node: Any, args: str) -> bool:
    """The signal passed is made only under a condition on a timeout setting (pusher-http-node:
    `if (config.timeout) { const controller = new AbortController(); ... signal = ...}`),
    so a caller who sets none gets no deadline."""
    if not re.search(r"\bsignal\b(?!\s*:\s*AbortSignal\.timeout)", args):
        return False
    for ancestor in node.ancestors():
        if ancestor.kind() in _JS_FUNCTIONS:
            return bool(
                re.search(
                    r"if\s*\(\s*[\w.]*[Tt]imeout\w*\s*\)\s*\{[^}]*new AbortController",
                    ancestor.text(),
                )
            )
    return False


_JS_FUNCTIONS = frozenset(
    {"function_declaration", "method_definition", "arrow_function", "function_expression"}
    | {"function"}
)


def _js_timeout(
    node: Any, kind: str, args: str, runtime: str, axios_default: bool
) -> tuple[bool | None, str]:
    if re.search(r"\b(signal|timeout|timeoutMs)\b", args):
        if _opt_in_signal(node, args):
            return False, _OPT_IN_TIMEOUT
        return True, "a timeout or AbortSignal is passed"
    for ancestor in node.ancestors():
        if ancestor.kind() == "call_expression":
            callee = ancestor.field("function")
            if callee is not None and re.search(r"(?i)timeout|Promise\.race", callee.text()):
                return True, f"it is raced against a timeout ({callee.text()})"
        if ancestor.kind() in _JS_FUNCTIONS:
            body = ancestor.text()
            if re.search(r"AbortSignal\.timeout|new AbortController|setTimeout\([^)]*abort", body):
                return True, "the request's AbortController is aborted by a timer"
            break
    if kind == "fetch":
        if runtime == "node":
            return True, _DEFAULT_TIMEOUT["node"]
        if runtime == "any":
            return None, "fetch's default depends on whether it runs in Node or a browser"
        return False, _NO_TIMEOUT["fetch"]
    if kind == "axios" and axios_default:
        return True, "axios has a default timeout set for the app"
    if kind == "ky":
        return True, _DEFAULT_TIMEOUT["ky"]
    return False, _NO_TIMEOUT.get(kind, f"{kind} sets no timeout by default")


def _js_retried(node: Any, kind: str, args: str, loop: bool, axios_retry: bool) -> tuple[bool, str]:
    if kind in ("got", "ky") and not re.search(r"\bretry\s*:\s*(0|\{\s*limit\s*:\s*0)", args):
        return True, f"{kind} retries failed requests twice by default"
    if kind == "axios" and axios_retry:
        return True, "axios-retry is applied"
    for ancestor in node.ancestors():
        if ancestor.kind() == "call_expression":
            callee = ancestor.field("function")
            if callee is not None and re.search(r"(?i)retry|backoff", callee.text()):
                return True, f"it runs inside {callee.text()}()"
    if loop:
        return True, "a retry loop with backoff in the same file"
    return False, f"nothing retries this {kind} call"


_JS_SLEEP = re.compile(r"(?i)(sleep|delay|wait|setTimeout|backoff)\w*\(")


def _js_retry_loop(root: Any) -> bool:
    """A loop that catches a failure and then waits for a computed delay."""
    for kind in ("while_statement", "for_statement", "do_statement", "for_in_statement"):
        for loop in root.find_all(kind=kind):
            if not loop.find(kind="try_statement"):
                continue
            for call in loop.find_all(kind="call_expression"):
                callee = call.field("function")
                args = call.field("arguments")
                if callee is None or args is None or not _JS_SLEEP.search(callee.text() + "("):
                    continue
                if re.search(
                    r"[A-Za-z_]\w*", re.sub(r"\b[A-Z_][A-Z0-9_]*\b|\b\d+\b", "", args.text())
                ):
                    return True
    return False


def _go_alias(source: str, imported: str, package: str) -> str | None:
    """The name a Go file calls an imported package by, or None when it does not import it."""
    found = re.search(rf'(?m)^\s*(?:import\s+)?(\w+\s+)?"{re.escape(imported)}"', source)
    if found is None:
        return None
    return found.group(1).strip() if found.group(1) else package


def _go_names_type(line: str, names: set[str]) -> bool:
    """Whether a Go line names one of ``names`` as this package's own identifier: not as
    ``x.Name`` (another package's, or a field reached through a value) and not as the name
    of a struct field being declared (``DialService wtf.DialService``)."""
    code = line.split("//")[0]
    field = re.match(r"\s*(\w+)\s+[\w*\[\]]", code)
    if field and field.group(1) in names:
        code = code[field.end(1) :]
    return any(re.search(rf"(?<![\w.]){re.escape(n)}\b", code) for n in names)


def _go_enclosing(lines: tuple[str, ...], line: int) -> tuple[str, str, int] | None:
    """The Go function around ``line``: (its receiver's type or "", its name, its line)."""
    for number in range(line, 0, -1):
        found = _GO_FUNC.match(lines[number - 1])
        if found:
            receiver = found.group(1) or ""
            owner = re.search(r"(\w+)(\[[^\]]*\])?\s*\)\s*$", receiver.strip())
            return (owner.group(1) if receiver and owner else ""), found.group(2), number
    return None


def _go_function_body(lines: tuple[str, ...], line: int) -> tuple[int, str] | None:
    """The first line and the text of the top-level Go function around ``line`` (up to the
    next ``func``), or None outside any function."""
    enclosing = _go_enclosing(lines, line)
    if enclosing is None:
        return None
    start = enclosing[2]
    end = next(
        (n for n in range(start + 1, len(lines) + 1) if lines[n - 1].startswith("func ")),
        len(lines) + 1,
    )
    return start, "\n".join(lines[start - 1 : end - 1])


def _go_retry_loops(syntax: SyntaxTrees) -> list[Hit]:
    """Go `for` loops that check an error and sleep for a computed delay."""
    found: list[Hit] = []
    for match in syntax.find(languages=("go",), kind="for_statement"):
        body = match.text
        for sleep in re.finditer(r"time\.Sleep\(([^()]*(\([^()]*\))?[^()]*)\)", body):
            delay = re.sub(r"time\.\w+|\b\d+\b|\b[A-Z]\w*\b", "", sleep.group(1))
            if "err" in body and re.search(r"[a-z_]\w*", delay):
                found.append(Hit(match.path, match.line, "retry loop"))
                break
    return found


class OutboundTimeouts(Probe):
    """Outbound HTTP calls have no timeout and can hang forever."""

    id = "REL001"
    category = Category.reliability
    severity = Severity.high
    title = "Outbound calls without timeouts"
    rationale = "A call without a timeout hangs a worker for as long as the remote side stalls."
    remediation = "Set connect and read timeouts on every outbound call."
    applies = "outbound"

    def check(
        self,
        repo: RepoView,
        text: TextSearch,
        python: PythonCode,
        syntax: SyntaxTrees,
        profile: ProfileView,
        knowledge: Knowledge,
        data: DataFiles,
    ) -> CheckResult:
        first = profile.evidence("outbound")
        assert first is not None  # the profile's outbound condition holds
        everything = Calls.of(repo, python, syntax, text, knowledge, data)
        # A page asking its own server waits on the service itself, not on another one.
        calls = [o for o in everything if o.place != "own"]
        if everything and not calls:
            return self.not_applicable(
                f"Every outbound call found runs {_PLACE['own']} (first "
                f"{everything[0].hit.where}): the service's own timeouts bound them."
            )
        missing = [o for o in calls if o.timeout is False]
        bounded = [o for o in calls if o.timeout is True]
        looked = [
            "calls of requests, httpx, urllib, fetch, axios, got, net/http, gRPC and reqwest, "
            "their timeout arguments and the clients' defaults, and SDKs' documented defaults"
        ]
        if missing:
            also = ""
            if bounded:
                verb = "is" if len(bounded) == 1 else "are"
                also = (
                    f"; {plural(len(bounded), 'other call')} {verb} bounded "
                    f"({bounded[0].timeout_why})"
                )
            # Server-side calls first: they are what can hang a service's workers.
            missing.sort(key=lambda o: o.place != "")
            result = self.failed(
                [o.hit.evidence(repo) for o in missing[:5]],
                f"{plural(len(missing), 'outbound call')} without a timeout, first at "
                f"{missing[0].hit.where} ({missing[0].timeout_why}){also}.",
                looked_at=looked,
                partial=bool(bounded),
            )
            places = {o.place for o in missing}
            if all(o.timeout_why == _OPT_IN_TIMEOUT for o in missing):
                result = result.model_copy(
                    update={
                        "partial": True,
                        "severity": Severity.low,
                        "severity_note": "Lowered: a timeout is there for callers who set "
                        "one; only the default leaves requests unbounded.",
                    }
                )
            elif all(_NODE_BOUND in o.timeout_why for o in missing):
                result = result.model_copy(
                    update={
                        "severity": Severity.low,
                        "severity_note": "Lowered: each call goes through Node's global "
                        "fetch, which undici abandons after 300 s without headers or body "
                        "data; no tighter bound is set.",
                    }
                )
            elif "" not in places:
                where = " or ".join(sorted(_PLACE[p] for p in places))
                result = result.model_copy(
                    update={
                        "severity": Severity.low,
                        "severity_note": f"Lowered: every call without a timeout runs {where}; "
                        "a hung request stalls one page or one script run, not a service's "
                        "workers.",
                    }
                )
            return result
        if bounded:
            reasons = sorted({o.timeout_why for o in bounded})
            unread = [o for o in calls if o.timeout is None]
            if unread:
                return self.passed(
                    [o.hit.evidence(repo) for o in bounded[:3]],
                    f"{plural(len(bounded), 'outbound call')} found "
                    f"{'is' if len(bounded) == 1 else 'are'} bounded "
                    f"({'; '.join(reasons[:3])}); {plural(len(unread), 'other')} could not "
                    f"be judged: {unread[0].hit.where} ({unread[0].timeout_why}).",
                    partial=True,
                )
            return self.passed(
                [o.hit.evidence(repo) for o in bounded[:3]],
                f"Every outbound call found ({len(bounded)}) is bounded: {'; '.join(reasons[:3])}.",
            )
        unread = [o for o in calls if o.timeout is None and o.timeout_why]
        if unread:
            return self.cannot_determine(
                f"No outbound call's timeout could be settled: {unread[0].hit.where} "
                f"({unread[0].timeout_why}).",
                looked_at=looked,
                evidence=[o.hit.evidence(repo) for o in unread[:3]],
            )
        return self.cannot_determine(
            f"The code makes outbound calls ({first.where}) through clients whose timeouts "
            "could not be read.",
            looked_at=looked,
            evidence=[first.evidence(repo)],
        )


def rust_crate(repo: RepoView, path: str) -> str | None:
    """The folder of the Cargo package holding ``path`` (its nearest Cargo.toml with a
    [package]), or None."""
    folder = PurePosixPath(path).parent
    while True:
        manifest = "Cargo.toml" if str(folder) in (".", "") else f"{folder}/Cargo.toml"
        if manifest in repo.by_path and re.search(r"(?m)^\[package\]", repo.text(manifest)):
            return str(folder)
        if str(folder) in (".", ""):
            return None
        folder = folder.parent


def rust_crates_reached(repo: RepoView, data: DataFiles, paths: list[str]) -> set[str]:
    """The workspace crates the crates holding ``paths`` build with: themselves and their
    path dependencies, followed through workspace dependencies (dev-dependencies aside,
    which only their tests build)."""
    workspace = data.toml("Cargo.toml") or {}
    members = workspace.get("workspace")
    shared = members.get("dependencies") if isinstance(members, dict) else None
    shared = shared if isinstance(shared, dict) else {}
    reached: set[str] = set()
    pending = [c for c in (rust_crate(repo, p) for p in paths) if c is not None]
    while pending:
        crate = pending.pop()
        if crate in reached:
            continue
        reached.add(crate)
        manifest = data.toml("Cargo.toml" if crate in (".", "") else f"{crate}/Cargo.toml") or {}
        targets = manifest.get("target")
        tables = [manifest.get("dependencies")]
        if isinstance(targets, dict):
            tables += [t.get("dependencies") for t in targets.values() if isinstance(t, dict)]
        for table in (t for t in tables if isinstance(t, dict)):
            for name, spec in table.items():
                if isinstance(spec, dict) and spec.get("workspace") is True:
                    spec = shared.get(name)
                if isinstance(spec, dict) and isinstance(spec.get("path"), str):
                    base = PurePosixPath(crate) if spec is not shared.get(name) else PurePosixPath()
                    target = str(PurePosixPath(*(base / spec["path"]).parts))
                    pending.append(_normalised(target))
    return reached


def _normalised(path: str) -> str:
    """``a/b/../c`` as ``a/c`` ('.' for the root)."""
    parts: list[str] = []
    for part in PurePosixPath(path).parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts) or "."


_CFG_GATE = re.compile(r'^\s*#\[cfg\((?:feature\s*=\s*"([\w-]+)"|(\w+))\)\]\s*$')
_BUILD_CFG = re.compile(
    r'#\[cfg\(feature\s*=\s*"([\w-]+)"\)\]\s*\n\s*println!\("cargo:+rustc-cfg=(\w+)"\)'
)


def rust_feature_gate(repo: RepoView, data: DataFiles, hit: Hit) -> str:
    """The optional Cargo feature the item around ``hit`` is compiled under, when default
    builds leave it out: vaultwarden's `#[cfg(s3)] mod s3 { ... }`, where build.rs turns the
    non-default `s3` feature into that cfg. Empty when the code is always built."""
    folder = PurePosixPath(hit.path).parent
    while True:
        manifest = "Cargo.toml" if str(folder) in (".", "") else f"{folder}/Cargo.toml"
        if manifest in repo.by_path:
            break
        if str(folder) in (".", ""):
            return ""
        folder = folder.parent
    cargo = data.toml(manifest) or {}
    features = cargo.get("features") or {}
    if not isinstance(features, dict):
        return ""
    default = set(features.get("default") or [])
    build = manifest.replace("Cargo.toml", "build.rs")
    cfgs = dict(
        (cfg, feature)
        for feature, cfg in _BUILD_CFG.findall(repo.text(build) if build in repo.by_path else "")
    )
    lines = repo.lines(hit.path)
    for number, line in enumerate(lines[: hit.line], start=1):
        gate = _CFG_GATE.match(line)
        if gate is None:
            continue
        feature = gate.group(1) or cfgs.get(gate.group(2) or "", "")
        if not feature or feature not in features or feature in default:
            continue
        depth, opened = 0, False
        for end in range(number, len(lines) + 1):
            depth += lines[end - 1].count("{") - lines[end - 1].count("}")
            opened = opened or "{" in lines[end - 1]
            if opened and depth <= 0:
                break
            if not opened and lines[end - 1].rstrip().endswith(";"):
                break  # a gated statement or `mod x;`, not a block
        if opened and number < hit.line <= end:
            return feature
    return ""


_IN_MEMORY_DB = (
    r"jdbc:embedded-database|EmbeddedDatabaseBuilder|jdbc:(hsqldb|h2):mem:|"
    r"sqlite:///?:memory:|sqlite3\.connect\(\s*['\"]:memory:"
)
_LASTING_DB = (
    r"jdbc:(mysql|mariadb|postgresql|oracle|sqlserver|h2:file|h2:tcp|hsqldb:file)|"
    r"postgres(ql)?(\+\w+)?://|mysql(\+\w+)?://|mongodb(\+srv)?://|sqlite:///[^:]"
)


def in_memory_only(text: TextSearch) -> Hit | None:
    """The in-memory database the product uses, when no configuration names a lasting one."""
    places = (*CODE, "xml", "yaml", "ini", "toml", "json", "dotenv")
    if text.grep(_LASTING_DB, places, limit=1):
        return None
    found = text.grep(_IN_MEMORY_DB, places, limit=1)
    if found:
        return found[0]
    # Spring Boot with an embedded database on the classpath and no datasource URL set
    # anywhere starts that database in memory (its embedded-database default).
    if text.grep(r"spring-boot", ("xml", "groovy", "kotlin"), limit=1) and not text.grep(
        r"datasource\.url|DATASOURCE_URL|jdbc:", (*places, "dockerfile"), limit=1
    ):
        embedded = text.grep(
            r"<groupId>(com\.h2database|org\.hsqldb|org\.apache\.derby)</groupId>|"
            r"['\"](com\.h2database:h2|org\.hsqldb:hsqldb|org\.apache\.derby:derby)\b",
            ("xml", "groovy", "kotlin"),
            limit=1,
        )
        if embedded:
            return embedded[0]
    return None


_NOT_A_QUERY_DEADLINE = re.compile(r"(?i)shutdown|trac(e|ing)|telemetry|otel|metrics|graceful")


class Retries(Probe):
    """Outbound calls are not retried on transient failure."""

    id = "REL002"
    category = Category.reliability
    severity = Severity.medium
    title = "No retries with backoff on outbound calls"
    rationale = "Transient network and 5xx errors become user-facing failures without retries."
    remediation = "Retry idempotent calls with exponential backoff and jitter (tenacity, ...)."
    applies = "outbound"

    def check(
        self,
        repo: RepoView,
        text: TextSearch,
        imports: Imports,
        python: PythonCode,
        syntax: SyntaxTrees,
        profile: ProfileView,
        knowledge: Knowledge,
        data: DataFiles,
    ) -> CheckResult:
        first = profile.evidence("outbound")
        assert first is not None  # the profile's outbound condition holds
        library = _library_retries(imports, text)
        library += [
            hit
            for use, hit in knowledge.provides("retries")
            if use.framework.role in ("resilience", "worker") and use.framework.when.get("retries")
        ]
        covering = {h.path: h for h in library}
        calls = []
        for o in Calls.of(repo, python, syntax, text, knowledge, data):
            if o.retried is False and o.hit.path in covering:
                hit = covering[o.hit.path]
                o = replace(o, retried=True, retry_why=f"{hit.text} ({hit.where})")
            calls.append(o)
        # A page's or a build script's call is retried by its user, who sees it fail.
        served = [o for o in calls if o.place == ""]
        if calls and not served:
            places = " or ".join(sorted({_PLACE[o.place] for o in calls}))
            return self.not_applicable(
                f"Every outbound call found runs {places} (first {calls[0].hit.where}): a failed "
                "request fails one page, one script or one command run, which its user "
                "repeats; retries protect a service's calls."
            )
        calls = served
        missing = [o for o in calls if o.retried is False]
        retried = [o for o in calls if o.retried is True]
        looked = [
            "retry decorators and retrying clients (tenacity, backoff, urllib3 Retry, "
            "p-retry, retry-go, backon, resilience4j...), loops that catch and sleep for a "
            "growing delay, Celery task retries, and clients that retry by default"
        ]
        if missing:
            also = ""
            if retried:
                also = f"; others are retried ({retried[0].retry_why}, {retried[0].hit.where})"
            result = self.failed(
                [o.hit.evidence(repo) for o in missing[:5]],
                f"{plural(len(missing), 'outbound call')} with no retry, first at "
                f"{missing[0].hit.where} ({missing[0].retry_why}){also}.",
                looked_at=looked,
            )
            # godo: its main client retries through go-retryablehttp; two side clients do
            # not. Retries are there, not everywhere: part of what is asked holds.
            return result.model_copy(update={"partial": True}) if retried else result
        if retried:
            reasons = sorted({o.retry_why for o in retried})
            return self.passed(
                [o.hit.evidence(repo) for o in retried[:3]],
                f"Every outbound call this check could read ({len(retried)}, first at "
                f"{retried[0].hit.where}) is retried: {'; '.join(reasons[:3])}. Calls made "
                "through clients it does not read (raw sockets, other SDKs) were not checked.",
            )
        if library:
            return self.passed(
                [library[0].evidence(repo)],
                f"Retries applied: `{library[0].text}` at {library[0].where}.",
            )
        # An unread call of the product is a better witness than the profile's first one
        # (which may be a script the calls above set aside).
        site = calls[0].hit if calls else first
        return self.cannot_determine(
            f"The code makes outbound calls ({site.where}) through clients this probe does "
            "not read, and no retry library or retry loop was found.",
            looked_at=looked,
            evidence=[site.evidence(repo)],
        )


# Retry libraries, by the call that applies them: each file using one retries its calls.
_RETRY_LIBRARIES = (
    (
        r"pRetry\(|retry\(|axiosRetry\(|retry:\s*[\{\d]",
        ("p-retry", "async-retry", "axios-retry", "got", "cockatiel", "ky"),
    ),
    (
        r"backoff\.Retry|retry\.Do\(|retryablehttp\.NewClient|repeater\.New\w*\(",
        (
            "github.com/cenkalti/backoff",
            "github.com/avast/retry-go",
            "github.com/hashicorp/go-retryablehttp",
            # remark42's image proxy and mailer: repeater.NewDefault(n, delay).Do(ctx, fn).
            "github.com/go-pkgz/repeater",
        ),
    ),
    (
        r"Retry::spawn|retry\(|RetryTransientMiddleware|ExponentialBackoff",
        ("backoff", "tokio_retry", "again", "reqwest_retry", "backon"),
    ),
    (
        r"@Retry|Retry\.of|RetryPolicy|@Retryable",
        (
            "io.github.resilience4j",
            "org.springframework.retry",
            "dev.failsafe",
            "net.jodah.failsafe",
        ),
    ),
)


def _library_retries(imports: Imports, text: TextSearch) -> list[Hit]:
    """The first use of a retry library in each file that imports one."""
    found: dict[str, Hit] = {}
    for pattern, modules in _RETRY_LIBRARIES:
        importing = imports.importers(*modules)
        if not importing:
            continue
        first = imports.find(*modules)
        for hit in text.grep(pattern, code_only=True):
            if hit.path in importing and (first is None or hit.line != first.line):
                found.setdefault(hit.path, hit)
    return sorted(found.values(), key=lambda h: (h.path, h.line))


class CircuitBreaker(CapabilityProbe):
    """No circuit breaker protects calls to other services."""

    id = "REL003"
    category = Category.reliability
    severity = Severity.low
    title = "No circuit breaker on dependencies"
    rationale = "Without a breaker, a failing dependency drags every caller down with it."
    remediation = "Wrap calls to flaky dependencies in a circuit breaker."
    applies = "calls_services"
    what = "circuit breaker"
    modules = (
        "pybreaker",
        "circuitbreaker",
        "aiobreaker",
        "purgatory",
        "opossum",
        "cockatiel",
        "github.com/sony/gobreaker",
        "github.com/afex/hystrix-go",
        "io.github.resilience4j.circuitbreaker",
        "dev.failsafe",
        "failsafe",
    )
    # Spring Cloud's @EnableCircuitBreaker / @EnableHystrix switch Hystrix on for the
    # application, whose Feign clients then fall back (piggymetrics).
    pattern = (
        r"(?<!class )CircuitBreaker\(|@circuit\b|circuit_breaker\(|"
        r"@Enable(CircuitBreaker|Hystrix)\b|@HystrixCommand\b"
    )

    def check(  # type: ignore[override]
        self,
        repo: RepoView,
        text: TextSearch,
        imports: Imports,
        python: PythonCode,
        syntax: SyntaxTrees,
        knowledge: Knowledge,
        profile: ProfileView,
        data: DataFiles,
    ) -> CheckResult:
        """A breaker guards a long-running process's calls; one whose every call runs in a
        page, a script or a command's run has none to guard (the user sees the failure)."""
        base = super().check(repo, text, imports, python, knowledge, profile)
        if base.outcome is not Outcome.failed:
            return base
        calls = Calls.of(repo, python, syntax, text, knowledge, data)
        if calls and all(o.place for o in calls):
            places = " or ".join(sorted({_PLACE[o.place] for o in calls}))
            return self.not_applicable(
                f"Every outbound call found runs {places} (first {calls[0].hit.where}): no "
                "long-running process of the product calls another service."
            )
        return base


_WRITES = ("open", "io.open", "builtins.open")
# A file named for people to read (README.md, CHANGELOG.rst) is documentation the tool
# regenerates, not state the product reads back.
_DOC_FILE = re.compile(
    r"(?i)(^|/)(readme|changelog|changes|license|authors)[^/]*$|\.(md|rst|adoc)$"
)


# The repository's own maintenance scripts (release notes, a template's post-generation
# hook, CRLF fixes): what they write is the project's source, not the product's state.
_MAINTENANCE = re.compile(r"^(scripts?|hooks|tools?|ci|dev|\.github)/")


def state_writes(repo: RepoView, text: TextSearch, python: PythonCode) -> list[tuple[Hit, bool]]:
    """Files the product writes, each with whether it is renamed into place (atomic).

    A write is atomic when the function that writes also renames into place (Python), or
    the file that writes also renames (other languages): an unrelated rename elsewhere (log
    rotation) says nothing about this write. Regenerated documentation is not state, nor
    what the repository's maintenance scripts write.
    """

    def compute() -> list[tuple[Hit, bool]]:
        writes: list[tuple[Hit, bool]] = []
        renames: dict[tuple[str, str | None], Hit] = {}
        for c in python.calls():
            if _renames(c):
                renames.setdefault((c.path, c.function), Hit(c.path, c.line, c.name))
        for c in python.calls():
            if _writes(c) and not _writes_doc(c) and not _MAINTENANCE.match(c.path):
                rename = renames.get((c.path, c.function))
                writes.append((rename or Hit(c.path, c.line, c.name), rename is not None))
        renaming_files = {
            h.path: h
            for h in text.grep(
                r"atomicwrites|AtomicWriter|fs\.rename(Sync)?\(|os\.Rename\(|fs::rename\(|"
                r"\.persist\(|ATOMIC_MOVE|write-file-atomic|"
                # Rust: `use std::fs::rename;` then rename(&tmp, path)
                r"(?<![.\w])rename\(&",
                ("javascript", "typescript", "go", "rust", "java"),
            )
        }
        for hit in text.grep(
            r"fs\.writeFile(Sync)?\(|os\.WriteFile\(|ioutil\.WriteFile\(|"
            r"fs::write\(|File::create\(|Files\.write\(|new FileWriter\(|"
            r"new FileOutputStream\(|\.create(_new)?\(true\)",
            ("javascript", "typescript", "go", "rust", "java"),
        ):
            literal = re.search(r"\(\s*['\"`]([^'\"`]+)['\"`]", hit.text)
            if (literal and _DOC_FILE.search(literal.group(1))) or _MAINTENANCE.match(hit.path):
                continue
            writes.append((renaming_files.get(hit.path, hit), hit.path in renaming_files))
        return writes

    return repo.memo("state-writes", compute)


class AtomicWrites(Probe):
    """Files are written in place, so a crash mid-write leaves them corrupt."""

    id = "REL005"
    category = Category.reliability
    severity = Severity.medium
    title = "State files are written non-atomically"
    rationale = "A crash or full disk mid-write leaves a truncated file that later fails to load."
    remediation = "Write to a temporary file in the same folder, fsync, then os.replace()."
    applies = "stores_data"

    def check(
        self, repo: RepoView, text: TextSearch, python: PythonCode, profile: ProfileView
    ) -> CheckResult:
        writes = state_writes(repo, text, python)
        if not writes:
            store = profile.evidence("database")
            if store is not None:
                return self.passed(
                    [store.evidence(repo)],
                    "The product writes no state files: its state is kept in a database "
                    f"({store.where}), which commits writes atomically.",
                )
            return self.not_applicable("The product code writes no files.")
        in_place = [hit for hit, atomic in writes if not atomic]
        atomic = [hit for hit, done in writes if done]
        helper = _atomic_helper(repo, python)
        if helper is not None and not atomic:
            atomic = [helper]
        if in_place:
            result = self.failed(
                [h.evidence(repo) for h in in_place[:5]],
                f"{plural(len(in_place), 'file write')} in place (first at {in_place[0].where}), "
                "with no temp-file-and-rename in the same function"
                + (
                    f"; {plural(len(atomic), 'other write')} {'is' if len(atomic) == 1 else 'are'}"
                    f" renamed into place (first at {atomic[0].where})."
                    if atomic
                    else "."
                ),
                looked_at=["file writes in product code and renames next to them"],
                partial=bool(atomic),
            )
            if atomic:
                # pipx, jrnl: the state file goes through temp-and-rename; what is left in
                # place was a shebang, a marker file, an editor's temp file (second readers).
                result = result.model_copy(
                    update={
                        "severity": Severity.low,
                        "severity_note": "Lowered: the code already writes files through a "
                        f"temporary file and a rename ({atomic[0].where}); the writes left in "
                        "place need checking one by one, and many are not state.",
                    }
                )
            return result
        first = writes[0][0]
        return self.passed(
            [first.evidence(repo)],
            f"Every file write ({len(writes)}) is renamed into place next to where it is "
            f"written (first at {first.where}).",
        )


_TEMP_FILE = re.compile(r"\b(mkstemp|NamedTemporaryFile|TemporaryFile)\(")
_RENAME_INTO_PLACE = re.compile(r"\b(os\.replace|os\.rename|shutil\.move)\(|\.(replace|rename)\(")


def _atomic_helper(repo: RepoView, python: PythonCode) -> Hit | None:
    """A Python function of the product that writes a temporary file and renames it into
    place (jrnl's ``atomic_write``, pipx's metadata ``write``): the project writes its
    state atomically somewhere, whatever the writes left in place are."""

    def find() -> Hit | None:
        for f in repo.code_files("python"):
            tree = python.tree(f.path)
            for node in ast.walk(tree) if tree else ():
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                source = ast.unparse(node)
                if _TEMP_FILE.search(source) and _RENAME_INTO_PLACE.search(source):
                    return Hit(f.path, node.lineno, f"def {node.name}")
        return None

    return repo.memo("reliability:atomic-helper", find)


def _writes(call: PyCall) -> bool:
    mode = call.node.args[1] if len(call.node.args) > 1 else call.keyword("mode")
    if call.name in _WRITES:
        return isinstance(mode, ast.Constant) and "w" in str(mode.value)
    path_open = call.name.endswith(".open")
    if not path_open and not call.name.endswith((".write_text", ".write_bytes")):
        return False
    # Path.write_text / Path.open("wb"), not a help formatter's or a stream's write_text().
    receiver = call.node.func.value if isinstance(call.node.func, ast.Attribute) else None
    if receiver is None:
        return False
    shown = ast.unparse(receiver)
    pathlike = (
        isinstance(receiver, ast.BinOp | ast.Call)
        or re.search(r"(?i)path|file|dest|target|out|cache|config|json|yaml", shown) is not None
    )
    if path_open:
        mode = call.node.args[0] if call.node.args else call.keyword("mode")
        return pathlike and isinstance(mode, ast.Constant) and "w" in str(mode.value)
    return pathlike


def _writes_doc(call: PyCall) -> bool:
    """A write whose target is a literal documentation file (README.md, CHANGELOG.rst)."""
    target = call.node.args[0] if call.name in _WRITES and call.node.args else None
    if target is None and isinstance(call.node.func, ast.Attribute):
        target = call.node.func.value
        if isinstance(target, ast.Call) and target.args:
            target = target.args[0]
    return (
        isinstance(target, ast.Constant)
        and isinstance(target.value, str)
        and _DOC_FILE.search(target.value) is not None
    )


def _renames(call: PyCall) -> bool:
    if call.name in ("os.replace", "os.rename", "shutil.move") or "atomic" in call.name.lower():
        return True
    return (
        call.name.endswith((".replace", ".rename"))
        and len(call.node.args) == 1
        and call.name.split(".")[0] not in ("str", "text", "s", "line", "name")
    )


# Locks that work on every platform, and locks that are POSIX only.
_PORTABLE_LOCKS = (
    r"\bportalocker\b|\bfilelock\b|FileLock\(|fasteners|InterProcessLock|msvcrt\.locking|"
    r"gofrs/flock|flock\.New\(|juju/fslock|\bfs2::|\bfs4::|fd_lock|"
    r"lock_exclusive\(|try_lock_exclusive\(|proper-lockfile|lockfile\.lock|"
    r"\.tryLock\(|[Cc]hannel\(?\)?\.lock\(|"
    # Windows' own lock, beside a POSIX one in another build-tagged file (croc's
    # lock_windows.go next to lock_unix.go).
    r"\bLockFileEx\(|msvcrt\.locking\("
)
_POSIX_LOCKS = r"fcntl\.(flock|lockf)\(|syscall\.Flock\(|unix\.Flock\(|libc::flock\("
# Folders every run of the program for a user shares (the profile's per-user state places).
_SHARED_PLACES = (
    r"platformdirs|appdirs|user_data_dir|user_config_dir|user_cache_dir|user_state_dir|"
    r"XDG_(DATA|CONFIG|CACHE|STATE)_HOME|Path\.home\(\)|expanduser\(['\"]~|"
    r"os\.User(Config|Cache|Home)Dir|dirs::(data|config|cache)_dir|ProjectDirs"
)


# A file that reads files (fx's fxrc.go reading .fxrc.js from the home folder).
_READS_FILES = re.compile(
    r"\bos\.ReadFile\(|\bReadFile(Sync)?\(|\.read_text\(|\.read_bytes\(|"
    r"\bopen\([^)]*['\"]r['\"]|fs::read(_to_string)?\("
)


class FileLocking(Probe):
    """State files shared by several processes are not locked, or locked on POSIX only."""

    id = "REL007"
    category = Category.reliability
    severity = Severity.low
    title = "Shared state files are not locked portably"
    rationale = (
        "Two runs writing the same state file at once interleave or overwrite each other; "
        "fcntl locks do nothing on Windows."
    )
    remediation = "Lock shared state files with a portable lock (filelock, portalocker, fs2)."
    applies = "stores_data"

    def check(self, repo: RepoView, text: TextSearch, python: PythonCode) -> CheckResult:
        writes = [hit for hit, _ in state_writes(repo, text, python)]
        if not writes:
            return self.not_applicable(
                "The product writes no state files (a database locks its own data)."
            )
        portable = text.grep(_PORTABLE_LOCKS, (*CODE, "toml", "json"), limit=1)
        if portable:
            hit = portable[0]
            return self.passed(
                [hit.evidence(repo)],
                f"State files are locked portably: `{hit.text}` ({hit.where}).",
            )
        posix = text.grep(_POSIX_LOCKS, CODE, limit=1, code_only=True)
        if posix:
            hit = posix[0]
            return self.failed(
                [hit.evidence(repo)],
                f"State files are locked with `{hit.text}` ({hit.where}), a POSIX-only lock: "
                "on Windows concurrent runs are not kept apart.",
                looked_at=["portable file locks (filelock, portalocker, msvcrt, fs2, gofrs/flock)"],
            )
        # fx: os.UserHomeDir() only to expand a `~` in a path the user typed (complete.go)
        # or to find a config file it only reads (fxrc.go); its one write saves the user's
        # own file. A per-user folder found only in a file that reads is not written.
        written = {h.path for h in writes}
        shared = [
            h
            for h in text.grep(_SHARED_PLACES, CODE, code_only=True)
            if (h.path in written or not _READS_FILES.search(repo.text(h.path)))
            and not any(
                '"~' in line or "'~" in line
                for line in repo.lines(h.path)[max(0, h.line - 3) : h.line + 2]
            )
        ][:1]
        looked = [
            "file locks (fcntl, msvcrt, filelock, portalocker, fasteners, fs2, gofrs/flock, "
            "proper-lockfile, FileChannel.lock) in product code"
        ]
        if shared:
            place = shared[0]
            # Cite the write next to the shared folder, or one that looks like state.
            writes.sort(
                key=lambda h: (
                    h.path != place.path,
                    not re.search(r"(?i)cache|config|setting|state|token|\.json", h.text),
                )
            )
            return self.failed(
                [writes[0].evidence(repo), place.evidence(repo)],
                f"The program keeps files in a per-user folder ({place.where}) that every run "
                f"shares, and writes state files (first at {writes[0].where}) with no lock "
                "anywhere in its code.",
                looked_at=looked,
            )
        return self.cannot_determine(
            f"State files are written (first at {writes[0].where}) without a lock, but whether "
            "several processes share them could not be told from where they are written.",
            looked_at=looked,
            evidence=[writes[0].evidence(repo)],
        )


# A field declaration: `ConnectTimeout time.Duration \`yaml:...\`` or `connect_timeout: int = 5`.
_DECLARED_FIELD = re.compile(
    r"^\s*([A-Za-z_]\w*)\s+[\w.*\[\]]+\s*`|^\s*([A-Za-z_]\w*)\s*:\s*[\w\[\]|. ]+(=[^=(]*)?$"
)


def _read_elsewhere(text: TextSearch, name: str | None, declared: Hit) -> bool:
    """Whether a declared field is referenced on another line of product code."""
    if not name:
        return True
    return any(
        (h.path, h.line) != (declared.path, declared.line)
        for h in text.grep(rf"\b{re.escape(name)}\b", code_only=False)
    )


class DatabaseTimeouts(CapabilityProbe):
    """Database calls have no connect or statement timeout."""

    id = "REL006"
    category = Category.reliability
    severity = Severity.low
    title = "No database timeouts"
    rationale = "A stuck query or unreachable database hangs workers indefinitely."
    remediation = "Set connect and statement timeouts on the database client or pool."
    applies = "database"
    what = "database timeout"
    capability = "db_timeouts"
    code_only = False
    # QueryContext(ctx, ...) says nothing about a deadline: the ctx may have none.
    pattern = (
        r"statement_timeout|connect_timeout|pool_timeout|command_timeout|connectTimeout|"
        r"socketTimeoutMS|serverSelectionTimeoutMS|"
        r"context\.WithTimeout|acquire_timeout|connection_timeout|query_timeout|"
        r"idleTimeoutMillis|connectionTimeoutMillis|setQueryTimeout|busy_timeout|"
        r"sqlite3\.connect\([^)]*timeout="
    )

    def check(  # type: ignore[override]
        self,
        repo: RepoView,
        text: TextSearch,
        imports: Imports,
        python: PythonCode,
        knowledge: Knowledge,
        profile: ProfileView,
    ) -> CheckResult:
        result = super().check(repo, text, imports, python, knowledge, profile)
        memory = in_memory_only(text) if result.outcome is Outcome.failed else None
        if memory is None:
            return result
        return result.model_copy(
            update={
                "advisory": f"The database runs in memory, inside the process ({memory.where}): "
                "there is no connection to hang and no server to wait for."
            }
        )

    def find(self) -> Hit | None:
        """A timeout setting that reaches the client: a field only declared in a settings
        class or config struct, and never read anywhere else, sets nothing."""
        for hit in self.text.grep(self.pattern or "", self.languages, code_only=False):
            # A Go deadline for shutting down, or in a tracer, bounds no query (a use case's
            # deadline does: its context reaches the repository's calls).
            if "context.WithTimeout" in hit.text:
                # The deadline's use follows it: `srv.Shutdown(ctx)` two lines down.
                after = " ".join(self.repo.lines(hit.path)[hit.line : hit.line + 3])
                if _NOT_A_QUERY_DEADLINE.search(f"{hit.path} {hit.text} {after}"):
                    continue
            if _http_client_setting(self.repo, hit):
                continue
            field = _DECLARED_FIELD.match(hit.text)
            if field is None or _read_elsewhere(self.text, field.group(1) or field.group(2), hit):
                return hit
        return None


# An HTTP client's builder, and what names a database's client or pool.
_HTTP_BUILDER = re.compile(
    r"\breqwest::|\bureq::|\bClient::builder\(\)|\bClientBuilder\b|\bhttpx\.|\bhttp\.Client\b|"
    r"\baxios\.create\(|\bHttpClient\b|\bOkHttpClient\b"
)
_DB_WORDS = re.compile(
    r"(?i)pool|sql|database|\bdb\b|postgres|mysql|sqlite|mongo|redis|connectoptions"
)


def _http_client_setting(repo: RepoView, hit: Hit) -> bool:
    """A connect timeout set on an HTTP client's builder, not a database's: lldap's
    migration-tool builds `reqwest::Client::builder().connect_timeout(...)` for its GraphQL
    calls."""
    before = "\n".join(repo.lines(hit.path)[max(0, hit.line - 6) : hit.line])
    return bool(_HTTP_BUILDER.search(before)) and not _DB_WORDS.search(before)
