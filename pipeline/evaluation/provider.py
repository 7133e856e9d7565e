"""A scriptable fake OpenAI-compatible chat server on 127.0.0.1, for the evaluation and tests.

Real HTTP, so litellm talks to it exactly as to a provider. ``readiness eval`` drives it with
the unreliable model (:mod:`pipeline.evaluation.unreliable`); the tests import it through
``tests/fakes``. Each request takes the next
scripted :class:`Reply` (or asks ``responder`` when the script is empty) and every request
body is recorded. It can also enforce a rate limit of its own, answering 429 like a
provider would::

    with FakeOpenAI() as fake:
        fake.script(Reply.error(429, retry_after=1), Reply.json({"verdict": "pass"}))
        ... litellm.acompletion(model="openai/fake", api_base=fake.base_url, api_key="sk-test")
        assert len(fake.requests) == 2
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    """One scripted answer: a chat completion with ``content``, or an error ``status``."""

    content: str = ""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    body: str | None = None  # sent verbatim instead of a completion: a garbled response

    @classmethod
    def garbage(cls, body: str = "<html>502 Bad Gateway</html>", status: int = 200) -> Reply:
        """A response that is not a chat completion at all (a proxy's page, a cut stream)."""
        return cls(status=status, body=body)

    @classmethod
    def json(cls, data: Any, **kwargs: Any) -> Reply:
        return cls(content=json.dumps(data), **kwargs)

    @classmethod
    def error(cls, status: int, retry_after: float | None = None, delay_s: float = 0.0) -> Reply:
        headers = {} if retry_after is None else {"Retry-After": f"{retry_after:g}"}
        return cls(status=status, headers=headers, delay_s=delay_s)


@dataclass
class Request:
    """What the server received: the parsed body and when it arrived (monotonic seconds)."""

    body: dict[str, Any]
    raw: str
    at: float
    headers: dict[str, str]
    status: int = 0

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", []))

    @property
    def prompt_text(self) -> str:
        return "\n".join(str(m.get("content", "")) for m in self.messages)


Responder = Callable[[Request], Reply]


class _Bucket:
    """The server side of a rate limit: a token bucket of ``burst`` requests."""

    def __init__(self, per_minute: float, burst: float) -> None:
        self.rate = per_minute / 60.0
        self.capacity = burst
        self.level = burst
        self.stamp = time.monotonic()

    def take(self) -> float | None:
        """None when allowed, else the seconds until a request would be."""
        now = time.monotonic()
        self.level = min(self.capacity, self.level + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.level >= 1:
            self.level -= 1
            return None
        return (1 - self.level) / self.rate


class FakeOpenAI:
    """The server. Start with ``start()`` or a ``with`` block; ``base_url`` ends in ``/v1``."""

    def __init__(
        self, responder: Responder | None = None, model: str = "fake", port: int = 0
    ) -> None:
        self.responder: Responder = responder or (lambda _req: Reply.json({}))
        self.model = model
        self.port = port  # 0: any free port; a restarted server can take its old one back
        self.requests: list[Request] = []
        self.rejected = 0
        self._script: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._bucket: _Bucket | None = None
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start the server first"
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def script(self, *replies: Reply) -> None:
        """Queue replies for the next requests, in order."""
        with self._lock:
            self._script.extend(replies)

    def enforce_rate_limit(self, per_minute: float, burst: float = 1.0) -> None:
        """Answer 429 (with Retry-After) to requests beyond ``per_minute``."""
        self._bucket = _Bucket(per_minute, burst)

    @property
    def bodies(self) -> list[str]:
        return [r.raw for r in self.requests]

    def start(self) -> FakeOpenAI:
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _answer(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            if self._bucket is not None:
                wait = self._bucket.take()
                if wait is not None:
                    self.rejected += 1
                    return Reply.error(429, retry_after=round(wait, 3))
            if self._script:
                return self._script.popleft()
        return self.responder(request)

    def _completion(self, request: Request, reply: Reply) -> dict[str, Any]:
        prompt = reply.prompt_tokens
        if prompt is None:
            prompt = max(1, len(request.prompt_text) // 4)
        completion = reply.completion_tokens
        if completion is None:
            completion = max(1, len(reply.content) // 4)
        return {
            "id": f"chatcmpl-{len(self.requests)}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": request.body.get("model", self.model),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": reply.content},
                    "finish_reason": "stop",
                }
            ],
            "usage": {
                "prompt_tokens": prompt,
                "completion_tokens": completion,
                "total_tokens": prompt + completion,
            },
        }


def _handler_for(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
            """Quiet: tests read the recorded requests instead."""

        def do_GET(self) -> None:  # noqa: N802 - stdlib name
            self._send(200, {"object": "list", "data": [{"id": fake.model, "object": "model"}]})

        def do_POST(self) -> None:  # noqa: N802 - stdlib name
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8", errors="replace")
            try:
                body = json.loads(raw) if raw else {}
            except ValueError:
                body = {}
            request = Request(body, raw, time.monotonic(), dict(self.headers.items()))
            reply = fake._answer(request)
            request.status = reply.status
            if reply.delay_s and fake._stopping.wait(reply.delay_s):
                return
            if reply.body is not None:
                self._send_raw(reply.status, reply.body.encode("utf-8"), reply.headers)
                return
            if reply.status != 200:
                error = {"message": f"fake error {reply.status}", "type": "fake", "code": None}
                self._send(reply.status, {"error": error}, reply.headers)
                return
            self._send(200, fake._completion(request, reply), reply.headers)

        def _send(self, status: int, data: Any, headers: dict[str, str] | None = None) -> None:
            self._send_raw(status, json.dumps(data).encode("utf-8"), headers)

        def _send_raw(
            self, status: int, payload: bytes, headers: dict[str, str] | None = None
        ) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test): nothing to tell it

    return Handler
