"""A small receiving back-end on loopback for sync tests: deduplicates on the Idempotency-Key like the contract asks,
answers with a receipt, and can be told to answer otherwise for given attempts (`script`)."""

from __future__ import annotations

import hashlib
import json
import socket
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.tls_ca import CertFiles, serve_tls


class Receiver(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.lock = threading.Lock()
        self.attempts: dict[str, list[str]] = defaultdict(list)  # uuid -> sha256 of each attempt's body
        self.stored: dict[str, str] = {}  # uuid -> receipt (exactly once)
        self.script: list[tuple[int, dict[str, str], bytes]] = []  # answers to give first, in order
        self.headers_seen: list[dict[str, str]] = []
        self.delay = 0.0  # seconds each answer takes
        self.in_flight = self.max_in_flight = 0

    scheme = "http"

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.server_address[1]}/submissions"

    def requests(self) -> int:
        with self.lock:
            return sum(len(v) for v in self.attempts.values())

    def get_request(self):  # type: ignore[no-untyped-def]
        connection, address = super().get_request()
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # see platform-notes: "HTTP on loopback"
        return connection, address


class _Handler(BaseHTTPRequestHandler):
    server: Receiver
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        uuid = self.headers.get("Idempotency-Key", "").strip('"')
        with self.server.lock:
            self.server.in_flight += 1
            self.server.max_in_flight = max(self.server.max_in_flight, self.server.in_flight)
        time.sleep(self.server.delay)
        with self.server.lock:
            self.server.in_flight -= 1
            self.server.attempts[uuid].append(hashlib.sha256(body).hexdigest())
            self.server.headers_seen.append(dict(self.headers))
            scripted = self.server.script.pop(0) if self.server.script else None
            receipt = self.server.stored.setdefault(uuid, f"RCPT-{len(self.server.stored) + 1}")
        if scripted is not None:
            status, headers, payload = scripted
        else:
            status, headers = 201, {"Content-Type": "application/json"}
            payload = json.dumps({"submission_uuid": uuid, "receipt": receipt}).encode()
        head = [f"HTTP/1.1 {status} X", f"Content-Length: {len(payload)}"]
        head += [f"{name}: {value}" for name, value in headers.items()]
        self.wfile.write(("\r\n".join(head) + "\r\n\r\n").encode() + payload)

    def log_message(self, *args: object) -> None:
        return None


@contextmanager
def running_receiver(tls: CertFiles | None = None) -> Iterator[Receiver]:
    """A receiver on loopback; with `tls` (tests/tls_ca.py), over HTTPS with that certificate."""
    server = Receiver()
    if tls is not None:
        serve_tls(server, tls)
        server.scheme = "https"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
