"""Deliveries, tokens and the connectivity probe over real TLS on loopback, with a private test CA (tests/tls_ca.py):
a trusted certificate is accepted, an untrusted one is a TLS retry, a certificate that a wrong clock sees as expired
or not yet valid says "check date and time", and mutual TLS works with the kiosk's client certificate only."""

from __future__ import annotations

import json
import ssl
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from sync.classify import FAILURES, Outcome
from sync.connectivity import CLOCK, TLS, probe
from sync.oauth import ClientCredentials, TokenError, TokenSource
from sync.rest import Connections, Endpoint, deliver
from tests.tls_ca import Authority, CertFiles, serve_tls

UUID = "3f1c2a9e-7b64-4d1e-9a55-0c2b8e6f4d17"
BODY = json.dumps({"answers": {}, "uuid": UUID}).encode()
TLS_REASON = FAILURES["tls"][0]


class TLSServer(ThreadingHTTPServer):
    """Answers the three calls of the contract: POST /submissions (a receipt), POST /oauth/token, GET /health."""

    daemon_threads = True

    def __init__(self, certificate: CertFiles, client_ca: str | None) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        serve_tls(self, certificate, client_ca=client_ca)
        self.handled: list[str] = []  # requests that got through the handshake
        self.peers: list[str] = []  # the client certificate's common name, with mutual TLS

    def url(self, path: str) -> str:
        return f"https://127.0.0.1:{self.server_address[1]}{path}"

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], OSError):  # a refused handshake is expected; anything else is a bug
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class Handler(BaseHTTPRequestHandler):
    server: TLSServer

    def do_GET(self) -> None:
        self._answer(200, {"status": "ok"})

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path == "/oauth/token":
            self._answer(200, {"access_token": "tls-token", "token_type": "Bearer", "expires_in": 600})
        else:
            self._answer(201, {"submission_uuid": UUID, "receipt": "SS-TLS-1"})

    def _answer(self, status: int, payload: dict[str, object]) -> None:
        self.server.handled.append(f"{self.command} {self.path}")
        peer = self.connection.getpeercert() if isinstance(self.connection, ssl.SSLSocket) else None
        if peer:
            self.server.peers += [value for rdn in peer["subject"] for key, value in rdn if key == "commonName"]  # type: ignore[str-unpack]
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture(scope="session")
def authority(tmp_path_factory: pytest.TempPathFactory) -> Authority:
    return Authority(Path(tmp_path_factory.mktemp("tls")))


@pytest.fixture(scope="session")
def good_cert(authority: Authority) -> CertFiles:
    return authority.server_cert("server")


@pytest.fixture(scope="session")
def kiosk_cert(authority: Authority) -> CertFiles:
    return authority.client_cert("kiosk", common_name="kiosk-demo-site-kiosk-01")


@contextmanager
def running(certificate: CertFiles, client_ca: str | None = None) -> Iterator[TLSServer]:
    server = TLSServer(certificate, client_ca)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def server(good_cert: CertFiles) -> Iterator[TLSServer]:
    with running(good_cert) as started:
        yield started


@pytest.fixture
def mtls_server(good_cert: CertFiles, authority: Authority) -> Iterator[TLSServer]:
    with running(good_cert, client_ca=authority.ca_file) as started:
        yield started


def send(url: str, **endpoint: object):  # type: ignore[no-untyped-def]
    connections = Connections()
    try:
        return deliver(connections, Endpoint("tls", url, **endpoint), submission_uuid=UUID, body=BODY, timeouts=(3, 3))  # type: ignore[arg-type]
    finally:
        connections.close()


def test_a_server_certified_by_the_private_ca_is_trusted_and_without_it_it_is_a_tls_retry(
    server: TLSServer, authority: Authority
) -> None:
    trusted = send(server.url("/submissions"), ca_bundle=authority.ca_file)
    assert (trusted.outcome, trusted.receipt) == (Outcome.ACK, "SS-TLS-1")
    untrusted = send(server.url("/submissions"))  # the system's trust store does not know the private CA
    assert (untrusted.outcome, untrusted.reason, untrusted.breaker) == (Outcome.RETRY, TLS_REASON, True)
    assert server.handled == ["POST /submissions"]  # the untrusted attempt never sent the answers
    with requests.Session() as session:
        assert probe(session, server.url("/health"), ca_bundle=authority.ca_file).state == "online"
        assert tuple(probe(session, server.url("/health"))) == ("offline", TLS)


def test_the_localhost_name_is_certified_too(server: TLSServer, authority: Authority) -> None:
    url = server.url("/submissions").replace("127.0.0.1", "localhost")
    assert send(url, ca_bundle=authority.ca_file).outcome is Outcome.ACK


@pytest.mark.parametrize(
    ("valid_from", "valid_until"),
    [
        (timedelta(days=-730), timedelta(days=-1)),  # expired yesterday: the kiosk's clock runs years ahead
        (timedelta(days=365), timedelta(days=730)),  # valid only from next year: the clock runs years behind
    ],
    ids=["expired", "not-yet-valid"],
)
def test_a_certificate_outside_its_validity_says_check_the_date_and_time(
    authority: Authority, valid_from: timedelta, valid_until: timedelta
) -> None:
    now = datetime.now(UTC)
    name = f"skewed-{valid_from.days}"
    certificate = authority.server_cert(name, not_before=now + valid_from, not_after=now + valid_until)
    with running(certificate) as server:
        result = send(server.url("/submissions"), ca_bundle=authority.ca_file)
        assert result.outcome is Outcome.RETRY and "check this kiosk's date and time" in result.reason
        assert not result.breaker  # the endpoint is fine: the kiosk's clock is not
        with requests.Session() as session:
            assert tuple(probe(session, server.url("/health"), ca_bundle=authority.ca_file)) == ("clock", CLOCK)
        assert server.handled == []


def test_mutual_tls_accepts_the_kiosks_client_certificate_and_refuses_a_kiosk_without_one(
    mtls_server: TLSServer, authority: Authority, kiosk_cert: CertFiles
) -> None:
    accepted = send(mtls_server.url("/submissions"), ca_bundle=authority.ca_file, client_cert=kiosk_cert)
    assert accepted.outcome is Outcome.ACK
    assert mtls_server.peers == ["kiosk-demo-site-kiosk-01"]
    refused = send(mtls_server.url("/submissions"), ca_bundle=authority.ca_file)
    assert (refused.outcome, refused.reason) == (Outcome.RETRY, TLS_REASON)
    assert mtls_server.handled == ["POST /submissions"]
    with requests.Session() as session:
        health = mtls_server.url("/health")
        assert probe(session, health, ca_bundle=authority.ca_file, client_cert=kiosk_cert).state == "online"
        assert probe(session, health, ca_bundle=authority.ca_file).state == "offline"


def test_a_client_certificate_from_another_ca_is_refused(
    mtls_server: TLSServer, authority: Authority, tmp_path: Path
) -> None:
    stranger = Authority(tmp_path / "other", name="Some Other CA").client_cert("stranger")
    refused = send(mtls_server.url("/submissions"), ca_bundle=authority.ca_file, client_cert=stranger)
    assert (refused.outcome, refused.reason) == (Outcome.RETRY, TLS_REASON)
    assert mtls_server.handled == []


def test_a_token_is_fetched_over_tls_with_the_private_ca(server: TLSServer, authority: Authority) -> None:
    credentials = ClientCredentials(server.url("/oauth/token"), "kiosk-01", ca_bundle=authority.ca_file)
    with requests.Session() as session:
        assert TokenSource(credentials, lambda: "s3cret", session).token() == "tls-token"
        without_ca = TokenSource(credentials._replace(ca_bundle=None), lambda: "s3cret", session)
        with pytest.raises(TokenError) as refused:
            without_ca.token()
    assert refused.value.kind == "network"
    assert server.handled == ["POST /oauth/token"]


def test_a_token_endpoint_requiring_mutual_tls_gets_the_kiosks_certificate(
    mtls_server: TLSServer, authority: Authority, kiosk_cert: CertFiles
) -> None:
    credentials = ClientCredentials(
        mtls_server.url("/oauth/token"), "kiosk-01", ca_bundle=authority.ca_file, client_cert=kiosk_cert
    )
    with requests.Session() as session:
        assert TokenSource(credentials, lambda: "s3cret", session).token() == "tls-token"
    assert mtls_server.peers == ["kiosk-demo-site-kiosk-01"]
