"""The sandbox's HTTP plumbing: a threading HTTP/1.1 server built to be fast on loopback.

Python's `http.server` writes the status line, each header and the body as separate small segments; with Nagle's
algorithm and delayed ACKs every keep-alive request then waits ~40 ms (23 requests/s instead of ~1,250, see
docs/sandbox.md). So accepted sockets get TCP_NODELAY AND each answer is written in one buffer. Handler threads are
daemons: an idle keep-alive connection never holds up shutdown.
"""

from __future__ import annotations

import socket
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

from sync.sandbox.faults import Faults
from sync.sandbox.routes import Reply, SandboxApp, problem
from sync.sandbox.store import SandboxStore

MAX_BODY_BYTES = 16 * 1024 * 1024
DEFAULT_HOST = "127.0.0.1"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # a fleet benchmark opens many connections at once

    def __init__(self, address: tuple[str, int], app: SandboxApp) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        super().__init__(address, _Handler)
        self.app = app

    def get_request(self) -> tuple[socket.socket, Any]:
        connection, address = super().get_request()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the kiosk's requests.Session reuses its connection
    server_version = "citizen-kiosk-sandbox"
    server: _Server

    def _serve(self) -> None:
        body = self._read_body()
        if body is not None:
            self._dispatch(body)

    # The routes answer 405 for a method they do not take.
    do_GET = do_POST = do_PUT = do_DELETE = _serve  # noqa: N815 - the names http.server dispatches to

    def _read_body(self) -> bytes | None:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            self._write(problem(411, "send the body with a Content-Length")._replace(close=True))
            return None
        try:
            length = int(self.headers.get("Content-Length") or "0")
        except ValueError:
            length = -1
        if length < 0:
            self._write(problem(400, "the Content-Length is not a number")._replace(close=True))
            return None
        if length > MAX_BODY_BYTES:  # not read: the connection is closed after the answer
            self._write(problem(413, f"bodies are limited to {MAX_BODY_BYTES} bytes")._replace(close=True))
            return None
        return self.rfile.read(length)

    def _dispatch(self, body: bytes) -> None:
        headers = {name.lower(): value for name, value in self.headers.items()}
        try:
            reply = self.server.app.handle(self.command, self.path, headers, body)
        except Exception:  # noqa: BLE001 - one failed request must not stop a test server; the client sees a 500
            reply = problem(500, "the sandbox failed to handle this request")
        if reply.drop:
            self.close_connection = True  # closed unanswered once this method returns
            return
        self._write(reply)

    def _write(self, reply: Reply) -> None:
        lines = [
            f"HTTP/1.1 {reply.status} {HTTPStatus(reply.status).phrase}",
            f"Server: {self.server_version}",
            f"Date: {self.date_time_string()}",
            f"Content-Type: {reply.content_type}",
            f"Content-Length: {len(reply.body)}",
            *(f"{name}: {value}" for name, value in reply.headers),
        ]
        if reply.close or self.close_connection:
            lines.append("Connection: close")
            self.close_connection = True
        self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + reply.body)

    def log_message(self, format: str, *args: Any) -> None:
        return None  # nothing is logged: request lines are noise here, and bodies or identifiers never belong in logs


class Sandbox:
    """A running reference server on its own store: serves on a background thread from construction to `close()`."""

    def __init__(
        self, store_dir: Path, faults: Faults | None = None, *, host: str = DEFAULT_HOST, port: int = 0
    ) -> None:
        self.store = SandboxStore(store_dir)
        self.app = SandboxApp(self.store, faults or Faults())
        try:
            self._server = _Server((host, port), self.app)
        except BaseException:
            self.store.close()
            raise
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="sandbox", daemon=True
        )
        self._thread.start()

    @property
    def url(self) -> str:
        """The base URL, e.g. http://127.0.0.1:54321/ (the submissions are at `url + "submissions"`)."""
        host, port = self._server.server_address[:2]
        host_text = host.decode() if isinstance(host, bytes) else host
        return f"http://[{host_text}]:{port}/" if ":" in host_text else f"http://{host_text}:{port}/"

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
        self.store.close()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()
