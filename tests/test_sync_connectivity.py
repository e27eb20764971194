"""The connectivity probe against real loopback servers: a healthy service is online, a login page (200 HTML, a
redirect elsewhere, 511) is a captive portal and never online, 5xx is unhealthy, nothing listening or a slow answer
is offline; and the monitor announces the overall state only when it changes."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.connectivity import (
    CLOCK,
    PORTAL,
    Connectivity,
    ConnectivityMonitor,
    Probe,
    State,
    Target,
    judge,
    overall,
    probe,
)
from sync.rest import InsecureEndpointError

OK = json.dumps({"status": "ok"}).encode()
LOGIN_PAGE = b"<!doctype html><html><body><form action='/login'>Accept the terms of use</form></body></html>"


class HealthServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), HealthHandler)
        self.answer: tuple[int, bytes, dict[str, str], float] = (200, OK, {"Content-Type": "application/json"}, 0.0)
        self.requests: list[str] = []  # paths asked for

    @property
    def health_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/health"

    def handle_error(self, request: object, client_address: object) -> None:
        return None  # the client gave up waiting (the timeout test): nothing to report


class HealthHandler(BaseHTTPRequestHandler):
    server: HealthServer

    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        status, body, headers, delay = self.server.answer
        time.sleep(delay)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def server() -> Iterator[HealthServer]:
    running = HealthServer()
    threading.Thread(target=running.serve_forever, args=(0.05,), daemon=True).start()  # quick shutdown
    yield running
    running.shutdown()
    running.server_close()


def ask(url: str, **kwargs: object) -> Probe:
    with requests.Session() as session:
        return probe(session, url, **kwargs)  # type: ignore[arg-type]


def closed_port_url() -> str:
    """A loopback URL nothing listens on: a port the system just handed out and was given back."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/health"


def test_a_healthy_service_is_online(server: HealthServer) -> None:
    assert ask(server.health_url).state == "online"
    server.answer = (200, json.dumps({"status": "ok", "version": "1.4"}).encode(), {}, 0.0)  # more members: allowed
    assert ask(server.health_url).state == "online"
    assert server.requests == ["/health", "/health"]


@pytest.mark.parametrize(
    ("status", "body", "headers"),
    [
        (200, LOGIN_PAGE, {"Content-Type": "text/html"}),
        (200, b"", {}),
        (200, b'[{"status": "ok"}]', {"Content-Type": "application/json"}),  # JSON, but not the health answer
        (200, b"<html>" + b"x" * 2_000_000 + b"</html>", {"Content-Type": "text/html"}),  # read only its start
        (302, b"", {"Location": "http://portal.example.net/login?continue=kiosk"}),
        (307, LOGIN_PAGE, {"Location": "https://10.0.0.1:8443/captive"}),
        (302, b"", {}),  # a redirect that does not even say where
        (511, LOGIN_PAGE, {"Content-Type": "text/html"}),  # RFC 6585: Network Authentication Required
    ],
)
def test_a_login_page_answering_instead_of_the_service_is_a_captive_portal(
    server: HealthServer, status: int, body: bytes, headers: dict[str, str]
) -> None:
    server.answer = (status, body, headers, 0.0)
    result = ask(server.health_url)
    assert result == Probe("captive-portal", PORTAL)
    assert "sign the kiosk in to the network" in result.detail
    assert len(server.requests) == 1  # the redirect was not followed


def test_a_redirect_to_the_same_host_is_not_followed_even_to_a_healthy_answer(server: HealthServer) -> None:
    server.answer = (301, b"", {"Location": "/health/"}, 0.0)
    result = ask(server.health_url)
    assert result.state == "unhealthy" and "redirects" in result.detail
    assert server.requests == ["/health"]


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (503, b""),
        (500, b'{"title": "Internal Server Error"}'),
        (502, LOGIN_PAGE),
        (404, b'{"type": "about:blank", "title": "Not Found", "status": 404}'),
        (200, b'{"status": "down"}'),  # the service itself says it is not ok
    ],
)
def test_an_answering_service_that_is_not_ok_is_unhealthy(server: HealthServer, status: int, body: bytes) -> None:
    server.answer = (status, body, {"Content-Type": "application/json"}, 0.0)
    result = ask(server.health_url)
    assert result.state == "unhealthy"
    if status != 200:
        assert f"HTTP {status}" in result.detail


def test_nothing_listening_is_offline() -> None:
    result = ask(closed_port_url(), timeouts=(1.0, 1.0))
    assert result.state == "offline" and "cannot be reached" in result.detail


def test_a_name_that_cannot_be_looked_up_is_offline() -> None:
    result = ask("https://citizen-kiosk-probe.invalid/health", timeouts=(1.0, 1.0))  # .invalid never resolves
    assert result.state == "offline" and "name" in result.detail


def test_a_service_that_does_not_answer_in_time_is_offline(server: HealthServer) -> None:
    server.answer = (200, OK, {}, 2.0)
    started = time.monotonic()
    result = ask(server.health_url, timeouts=(1.0, 0.2))
    assert result.state == "offline" and "in time" in result.detail
    assert time.monotonic() - started < 1.5  # gave up at the read timeout, did not wait for the answer


def test_plain_http_beyond_loopback_is_refused_before_anything_is_sent() -> None:
    with pytest.raises(InsecureEndpointError):
        ask("http://api.example.gov.pt/health")


@settings(max_examples=300, deadline=None)
@given(
    status=st.integers(100, 599),
    body=st.one_of(st.binary(max_size=64), st.just(OK), st.just(LOGIN_PAGE)),
    location=st.one_of(st.none(), st.sampled_from(["/health/", "http://portal.example.net/", "https://127.0.0.1/"])),
)
def test_only_a_200_with_the_health_answer_is_ever_online(status: int, body: bytes, location: str | None) -> None:
    result = judge("http://127.0.0.1:8765/health", status, location, body)
    healthy = status == 200 and isinstance(data := _json(body), dict) and data.get("status") == "ok"
    assert (result.state == "online") == healthy
    assert result.state in ("online", "captive-portal", "unhealthy")  # "offline"/"clock" only come from transport
    if 300 <= status <= 399 and location not in {"/health/", "https://127.0.0.1/"}:
        assert result.state == "captive-portal"


def _json(body: bytes) -> object:
    try:
        return json.loads(body.decode("utf-8"))
    except ValueError:  # UnicodeDecodeError is a ValueError too
        return None


class ScriptedProber:
    """Stands in for `probe`: answers each health URL with the state scripted for it; records the arguments."""

    def __init__(self) -> None:
        self.states: dict[str, State] = {}
        self.calls: list[tuple[str, dict[str, object]]] = []

    def __call__(self, session: requests.Session, health_url: str, **kwargs: object) -> Probe:
        self.calls.append((health_url, kwargs))
        state = self.states[health_url]
        return Probe(state, CLOCK if state == "clock" else state)


def targets(*names: str) -> Mapping[str, Target]:
    return {name: Target(f"https://{name}.example.gov.pt/health") for name in names}


def test_the_monitor_announces_the_overall_state_only_when_it_changes() -> None:
    prober = ScriptedProber()
    monitor = ConnectivityMonitor(requests.Session(), prober=prober)
    heard: list[Connectivity] = []
    monitor.changed.connect(heard.append)
    assert monitor.changed.name == "connectivity-changed" and monitor.state == "unknown"
    a, b = "https://a.example.gov.pt/health", "https://b.example.gov.pt/health"
    steps: list[tuple[State, State, str]] = [
        ("offline", "offline", "offline"),  # the first result is always announced
        ("offline", "clock", "offline"),  # a different reason, the same overall state: silent
        ("captive-portal", "offline", "captive-portal"),
        ("captive-portal", "online", "online"),  # one reachable endpoint is enough
        ("unhealthy", "online", "online"),
        ("offline", "offline", "offline"),
    ]
    for state_a, state_b, expected in steps:
        prober.states = {a: state_a, b: state_b}
        results = monitor.check(targets("a", "b"))
        assert monitor.state == expected and results == monitor.probes
        assert results["b"].state == state_b
    assert [change.state for change in heard] == ["offline", "captive-portal", "online", "offline"]
    assert heard[0].probes["b"] == Probe("offline", "offline")


def test_the_monitor_probes_with_each_endpoints_tls_settings_and_forgets_removed_ones() -> None:
    prober = ScriptedProber()
    monitor = ConnectivityMonitor(requests.Session(), prober=prober)
    target = Target("https://a.example.gov.pt/health", "ca.pem", ("kiosk.pem", "kiosk.key"), (1.0, 2.0))
    prober.states = {target.health_url: "online", "https://b.example.gov.pt/health": "offline"}
    monitor.check({"a": target, **targets("b")})
    assert prober.calls[0] == (
        target.health_url,
        {"ca_bundle": "ca.pem", "client_cert": ("kiosk.pem", "kiosk.key"), "timeouts": (1.0, 2.0)},
    )
    monitor.check(targets("b"))
    assert set(monitor.probes) == {"b"} and monitor.state == "offline"
    monitor.check({})
    assert monitor.state == "offline" and monitor.probes == {}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["online", "offline", "captive-portal", "unhealthy", "clock"]), max_size=3)))
def test_every_change_is_announced_once_and_nothing_else(rounds: list[list[State]]) -> None:
    prober = ScriptedProber()
    monitor = ConnectivityMonitor(requests.Session(), prober=prober)
    heard: list[str] = []
    monitor.changed.connect(lambda change: heard.append(change.state))
    expected: list[str] = []
    for states in rounds:
        names = [f"e{index}" for index in range(len(states))]
        endpoints = targets(*names)
        prober.states = {endpoints[name].health_url: state for name, state in zip(names, states, strict=True)}
        monitor.check(endpoints)
        state = overall(Probe(s, "") for s in states)
        if not expected or expected[-1] != state:
            expected.append(state)
    assert heard == expected


def test_the_monitor_over_real_servers(server: HealthServer) -> None:
    monitor = ConnectivityMonitor(requests.Session())
    heard: list[str] = []
    monitor.changed.connect(lambda change: heard.append(change.state))
    endpoints = {"sandbox": Target(server.health_url), "gone": Target(closed_port_url(), timeouts=(1.0, 1.0))}
    assert monitor.check(endpoints)["gone"].state == "offline" and monitor.state == "online"
    server.answer = (200, LOGIN_PAGE, {"Content-Type": "text/html"}, 0.0)
    monitor.check(endpoints)
    monitor.check(endpoints)
    assert (monitor.state, monitor.probes["sandbox"].state) == ("captive-portal", "captive-portal")
    assert heard == ["online", "captive-portal"]
