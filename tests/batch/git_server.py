"""A git server on 127.0.0.1 that wants HTTP basic auth: git's "dumb" protocol over files.

A bare repository after ``git update-server-info`` is plain files, so a static file server
is a real git remote. Every request without the expected credentials gets a 401, so a
clone or fetch that succeeds proves git sent them::

    with AuthGitServer(root, user="oauth2", password=token) as server:
        url = server.url("repo.git", with_credentials=True)
"""

from __future__ import annotations

import base64
import functools
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType


class AuthGitServer:
    """Serves the bare repositories under ``root`` to clients that send ``user:password``."""

    def __init__(self, root: Path, user: str, password: str) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.user = user
        self.password = password
        self.requests: list[str] = []  # paths asked, in order, with and without credentials
        self.denied = 0
        expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        server = self

        class Handler(SimpleHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                server.requests.append(self.path)
                if self.headers.get("Authorization") != expected:
                    server.denied += 1
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="git"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                super().do_GET()

            def log_message(self, format: str, *args: object) -> None:
                pass

        handler = functools.partial(Handler, directory=str(root))
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, name: str, with_credentials: bool = False) -> str:
        host, port = self.httpd.server_address[:2]
        login = f"{self.user}:{self.password}@" if with_credentials else ""
        return f"http://{login}{host}:{port}/{name}"

    def publish(self, work_tree: Path, name: str) -> Path:
        """A bare copy of the git repository ``work_tree`` served as ``name``; refreshed when
        called again."""
        bare = self.root / name
        if bare.exists():
            subprocess.run(
                ["git", "-C", str(bare), "fetch", "-q", str(work_tree), "+refs/*:refs/*"],
                check=True,
                capture_output=True,
            )
        else:
            subprocess.run(
                ["git", "clone", "-q", "--bare", str(work_tree), str(bare)],
                check=True,
                capture_output=True,
            )
        subprocess.run(
            ["git", "-C", str(bare), "update-server-info"], check=True, capture_output=True
        )
        return bare

    def __enter__(self) -> AuthGitServer:
        self.thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
