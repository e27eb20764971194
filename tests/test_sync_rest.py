"""The JSON REST adapter against a real HTTP server on loopback: exact bytes, the quoted Idempotency-Key, the token,
every kind of answer classified, timeouts and refused connections retried, plain http refused beyond loopback."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sync.classify import Outcome
from sync.rest import Connections, Endpoint, InsecureEndpointError, check_url, deliver

UUID = "8e03978e-40d5-43e8-bc93-6894a57f9324"
BODY = json.dumps({"answers": {"full_name": "Ana"}, "uuid": UUID}, sort_keys=True, separators=(",", ":")).encode()


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.script: list[tuple[int, bytes, dict[str, str], float]] = []  # answers to give, in order
        self.seen: list[dict[str, object]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/submissions"


class Handler(BaseHTTPRequestHandler):
    server: Server

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.seen.append({"headers": dict(self.headers), "sha256": hashlib.sha256(body).hexdigest()})
        status, payload, headers, delay = self.server.script.pop(0)
        time.sleep(delay)
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (the timeout test): nothing to answer

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    yield running
    running.shutdown()
    running.server_close()


def send(server: Server, **kwargs: object):  # type: ignore[no-untyped-def]
    connections = Connections()
    try:
        return deliver(connections, Endpoint("test", server.url), submission_uuid=UUID, body=BODY, **kwargs)  # type: ignore[arg-type]
    finally:
        connections.close()


def test_a_receipt_is_delivered_and_the_request_carries_key_token_and_exact_bytes(server: Server) -> None:
    receipt = json.dumps({"submission_uuid": UUID, "receipt": "SS-1"}).encode()
    server.script.append((201, receipt, {"Content-Type": "application/json"}, 0.0))
    result = send(server, token="t0ken")
    assert (result.outcome, result.receipt) == (Outcome.ACK, "SS-1")
    [request] = server.seen
    headers = request["headers"]
    assert isinstance(headers, dict)
    assert headers["Idempotency-Key"] == f'"{UUID}"'
    assert headers["Authorization"] == "Bearer t0ken"
    assert headers["Content-Type"] == "application/json"
    assert request["sha256"] == hashlib.sha256(BODY).hexdigest()


def test_every_attempt_sends_the_same_bytes_and_answers_are_classified(server: Server) -> None:
    server.script += [
        (503, b"", {"Retry-After": "7"}, 0.0),
        (200, b"<html>Wi-Fi login</html>", {}, 0.0),  # a captive portal
        (422, b'{"detail": "field nif"}', {"Content-Type": "application/problem+json"}, 0.0),
        (401, b"", {}, 0.0),
    ]
    results = [send(server) for _ in range(4)]
    assert [r.outcome for r in results] == [Outcome.RETRY, Outcome.RETRY, Outcome.QUARANTINE, Outcome.AUTH_PAUSE]
    assert results[0].retry_after == 7.0 and results[2].server_message == "field nif"
    assert len({request["sha256"] for request in server.seen}) == 1


def test_a_slow_server_is_a_read_timeout_and_a_closed_port_cannot_be_reached(server: Server) -> None:
    server.script.append((201, b"{}", {}, 1.0))
    slow = send(server, timeouts=(2.0, 0.2))
    assert slow.outcome is Outcome.RETRY and slow.reason == "the server did not answer in time" and slow.breaker
    closed = server.url.replace(str(server.server_address[1]), "9")  # port 9 (discard): nothing listens on loopback
    gone = deliver(Connections(), Endpoint("gone", closed), submission_uuid=UUID, body=BODY, timeouts=(1.0, 1.0))
    assert gone.outcome is Outcome.RETRY and gone.breaker


def test_plain_http_is_refused_except_to_loopback() -> None:
    check_url("https://api.example.gov.pt/kiosk/submissions")
    check_url("http://127.0.0.1:8080/submissions")
    check_url("http://[::1]:8080/submissions")
    check_url("http://localhost:8080/submissions")
    with pytest.raises(InsecureEndpointError, match="must use https"):
        check_url("http://api.example.gov.pt/kiosk/submissions")
    with pytest.raises(InsecureEndpointError):
        check_url("ftp://127.0.0.1/x")


class ForwardingProxy(ThreadingHTTPServer):
    """A plain HTTP proxy: takes requests for absolute URLs and forwards them, noting each URL it carried."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), ProxyHandler)
        self.carried: list[str] = []


class ProxyHandler(BaseHTTPRequestHandler):
    server: ForwardingProxy

    def do_POST(self) -> None:
        import http.client
        from urllib.parse import urlsplit

        self.server.carried.append(self.path)
        target = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        upstream = http.client.HTTPConnection(target.hostname or "", target.port or 80, timeout=5)
        upstream.request("POST", target.path, body=body, headers={k: v for k, v in self.headers.items()})
        answer = upstream.getresponse()
        payload = answer.read()
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in ("connection", "transfer-encoding", "content-length"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        upstream.close()

    def log_message(self, *args: object) -> None:
        return None


def test_a_proxy_named_in_the_environment_carries_the_delivery(server: Server, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    proxy = ForwardingProxy()
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{proxy.server_address[1]}")
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        server.script.append((201, json.dumps({"submission_uuid": UUID, "receipt": "R-1"}).encode(), {}, 0))
        result = send(server)
        assert result.outcome is Outcome.ACK and proxy.carried == [server.url]
        assert server.seen[0]["sha256"] == hashlib.sha256(BODY).hexdigest()  # the same bytes, through the proxy
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")  # left out of the proxy: straight to the server
        server.script.append((201, json.dumps({"submission_uuid": UUID, "receipt": "R-1"}).encode(), {}, 0))
        assert send(server).outcome is Outcome.ACK and proxy.carried == [server.url]
    finally:
        proxy.shutdown()
        proxy.server_close()
