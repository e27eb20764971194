"""OAuth 2.0 client credentials against a real token endpoint on loopback: fetched once, reused, refreshed before it
expires (monotonic clock), fetched again after a 401, and refusals told apart from network trouble."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
import requests

from sync.oauth import REFRESH_MARGIN_SECONDS, ClientCredentials, TokenError, TokenSource


class TokenServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), TokenHandler)
        self.issued = 0
        self.forms: list[dict[str, list[str]]] = []
        self.basic: list[str] = []
        self.answer: tuple[int, bytes] | None = None  # override: (status, body)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/oauth/token"


class TokenHandler(BaseHTTPRequestHandler):
    server: TokenServer

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        self.server.forms.append(parse_qs(self.rfile.read(length).decode()))
        self.server.basic.append(base64.b64decode(self.headers["Authorization"].split()[1]).decode())
        if self.server.answer is not None:
            status, body = self.server.answer
        else:
            self.server.issued += 1
            status = 200
            body = json.dumps({"access_token": f"token-{self.server.issued}", "expires_in": 600}).encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def server() -> Iterator[TokenServer]:
    running = TokenServer()
    threading.Thread(target=running.serve_forever, daemon=True).start()
    yield running
    running.shutdown()
    running.server_close()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def source(server: TokenServer, clock: Clock, secret: str | None = "s3cret") -> TokenSource:
    credentials = ClientCredentials(server.url, "kiosk-01", scope="submissions:write")
    return TokenSource(credentials, lambda: secret, requests.Session(), monotonic=clock)


def test_a_token_is_fetched_once_reused_and_refreshed_before_it_expires(server: TokenServer) -> None:
    clock = Clock()
    tokens = source(server, clock)
    assert tokens.token() == "token-1"
    assert server.basic == ["kiosk-01:s3cret"]
    assert server.forms[0] == {"grant_type": ["client_credentials"], "scope": ["submissions:write"]}
    clock.now += 600 - REFRESH_MARGIN_SECONDS - 1
    assert tokens.token() == "token-1"  # still valid: reused, no request
    clock.now += 1
    assert tokens.token() == "token-2"  # within the margin: refreshed
    tokens.invalidate()  # a delivery was answered 401
    assert tokens.token() == "token-3" and server.issued == 3


def test_refusals_and_network_trouble_are_told_apart(server: TokenServer) -> None:
    clock = Clock()
    server.answer = (401, b'{"error": "invalid_client"}')
    with pytest.raises(TokenError) as refused:
        source(server, clock).token()
    assert refused.value.kind == "auth"
    server.answer = (200, b"<html>Wi-Fi login</html>")
    with pytest.raises(TokenError) as portal:
        source(server, clock).token()
    assert portal.value.kind == "network"
    with pytest.raises(TokenError) as missing:
        source(server, clock, secret=None).token()
    assert missing.value.kind == "auth" and "secret is missing" in str(missing.value)
    assert "s3cret" not in str(refused.value) + str(portal.value)  # the secret is never in a message


class _ThreadSession(requests.Session):
    """A real session that notes which thread made it and which threads posted through it."""

    def __init__(self) -> None:
        super().__init__()
        self.owner = threading.get_ident()
        self.posters: list[int] = []

    def post(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.posters.append(threading.get_ident())
        return super().post(*args, **kwargs)


def test_a_source_shared_by_threads_fetches_through_each_callers_own_session(server: TokenServer, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The delivery worker and `sync now` share one token source per endpoint; a requests session is not thread-safe,
    so each fetch must go through the session of the thread that asks, never through the first caller's."""
    from kiosk.settings.model import EndpointSettings
    from sync import transport as transport_module

    sessions: list[_ThreadSession] = []

    def make_session() -> _ThreadSession:
        sessions.append(_ThreadSession())
        return sessions[-1]

    monkeypatch.setattr(transport_module.requests, "Session", make_session)
    nowhere = "http://127.0.0.1:9/submissions"  # deliveries fail fast (refused): only the token fetches matter here
    endpoint = EndpointSettings("gov", nowhere, nowhere, token_url=server.url, client_id="kiosk-01")
    rest = transport_module.RestTransport(lambda name: "s3cret")
    rest.send(endpoint, submission_uuid="a" * 32, body=b"{}")  # the first thread fetches the token
    source = rest._tokens["gov"]
    source.invalidate()  # as after a 401: the next send fetches again, from another thread
    other = threading.Thread(target=lambda: rest.send(endpoint, submission_uuid="b" * 32, body=b"{}"))
    other.start()
    other.join(10)
    assert server.issued == 2 and len(sessions) == 2
    for session in sessions:
        assert session.posters and set(session.posters) == {session.owner}
