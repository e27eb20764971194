"""Is a delivery endpoint reachable, and is it really the endpoint? The connectivity probe and its monitor.

`probe` makes one cheap `GET` of an endpoint's health URL (docs/submission-api.yaml: 200 with `{"status": "ok"}`),
never ICMP: a ping answered by the network says nothing about the service, and a captive portal answers everything.
Certificate verification is always on and redirects are never followed, so a hotel or library Wi-Fi login page that
intercepts the request is told apart from the service ("captive-portal", never "online"); a TLS failure caused by a
wrong kiosk clock says "check date and time" (offline-sync requirement 11), like a delivery does.

`ConnectivityMonitor` keeps the last probe per endpoint and an overall state, and emits "connectivity-changed" only
when that overall state changes: the sync worker wakes on it and the header indicator shows it. It has no thread of
its own: the worker calls `check()` every minute or so. Nothing here logs, and details never carry personal data.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, NamedTuple, Protocol
from urllib.parse import urljoin, urlsplit

import requests
from urllib3.exceptions import MaxRetryError, NameResolutionError

from kiosk.events import Event
from sync.rest import check_url, clock_problem
from sync.snapshot import ConnectivityState

PROBE_TIMEOUTS = (3.0, 5.0)  # (connect, read) seconds: a probe must be cheap, even when the network is not
MAX_BODY = 16 * 1024  # a health answer is tiny; a portal's login page need not be read to the end

State = Literal["online", "offline", "captive-portal", "unhealthy", "clock"]
Overall = ConnectivityState  # what the header shows (sync.snapshot, which the UI imports without requests)

ONLINE = "the service answers"
PORTAL = "the network login page of this place answers instead of the service — sign the kiosk in to the network"
CLOCK = "this kiosk's date and time look wrong — check date and time"
TLS = "the secure connection to the service failed — check its certificates in the kiosk's configuration"
TIMEOUT = "the service did not answer in time — check the network"
UNREACHABLE = "the service cannot be reached — check the network (or the service is down)"
NO_NAME = "the service's name could not be looked up — check the network"


class Probe(NamedTuple):
    state: State
    detail: str  # plain words for staff


def probe(
    session: requests.Session,
    health_url: str,
    *,
    ca_bundle: str | None = None,
    client_cert: tuple[str, str] | None = None,
    timeouts: tuple[float, float] = PROBE_TIMEOUTS,
) -> Probe:
    """One GET of `health_url`, judged. Never raises for network trouble; `InsecureEndpointError` for plain http
    beyond loopback (a configuration error, as for deliveries)."""
    check_url(health_url)
    try:
        with session.get(
            health_url,
            headers={"Accept": "application/json", "Cache-Control": "no-cache"},  # no cached "ok" from a proxy
            timeout=timeouts,
            verify=ca_bundle or True,
            cert=client_cert,
            allow_redirects=False,
            stream=True,
        ) as answer:
            body = _read_at_most(answer, MAX_BODY)
            return judge(health_url, answer.status_code, answer.headers.get("Location"), body)
    except requests.exceptions.SSLError as error:
        return Probe("clock", CLOCK) if clock_problem(error) else Probe("offline", TLS)
    except requests.exceptions.Timeout:
        return Probe("offline", TIMEOUT)
    except requests.exceptions.ConnectionError as error:
        return Probe("offline", NO_NAME if _name_not_found(error) else UNREACHABLE)
    except requests.exceptions.RequestException:
        return Probe("offline", UNREACHABLE)  # a broken answer (bad chunking, bad encoding): not the service


def judge(health_url: str, status: int, location: str | None, body: bytes) -> Probe:
    """What an HTTP answer to the health probe means (separate from the I/O so every row is plain to read)."""
    if status == 200:
        return _judge_ok(body)
    if 300 <= status <= 399:
        return _judge_redirect(health_url, status, location)
    if status == 511:
        return Probe("captive-portal", PORTAL)  # RFC 6585 "Network Authentication Required": a portal saying so
    if 500 <= status <= 599:
        return Probe("unhealthy", f"the service answers but has a problem (HTTP {status}) — deliveries wait")
    return Probe("unhealthy", f"the service gave an unexpected answer (HTTP {status}) — check the address")


def _judge_ok(body: bytes) -> Probe:
    data = _json(body)
    if isinstance(data, dict) and data.get("status") == "ok":  # the schema allows more members
        return Probe("online", ONLINE)
    if isinstance(data, dict) and isinstance(data.get("status"), str):
        # The service itself says it is not ok (a JSON health answer, not a login page).
        return Probe("unhealthy", f"the service reports a problem (status {data['status'][:40]!r})")
    return Probe("captive-portal", PORTAL)  # an HTML login page answering 200 for every address


def _judge_redirect(health_url: str, status: int, location: str | None) -> Probe:
    target = urlsplit(urljoin(health_url, location or ""))
    if location and (target.hostname or "").lower() == (urlsplit(health_url).hostname or "").lower():
        return Probe("unhealthy", f"the service redirects its health check (HTTP {status}) — check the address")
    return Probe("captive-portal", PORTAL)  # sent elsewhere: the network, not the service, is answering


def _read_at_most(answer: requests.Response, limit: int) -> bytes:
    body = b""
    for chunk in answer.iter_content(chunk_size=4096):
        body += chunk
        if len(body) >= limit:
            break
    return body[:limit]


def _json(body: bytes) -> object:
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


def _name_not_found(error: requests.exceptions.ConnectionError) -> bool:
    reason = error.args[0].reason if error.args and isinstance(error.args[0], MaxRetryError) else None
    return isinstance(reason, NameResolutionError)


@dataclass(frozen=True)
class Target:
    """How to probe one endpoint: its health URL and the same TLS settings as its deliveries."""

    health_url: str
    ca_bundle: str | None = None
    client_cert: tuple[str, str] | None = None  # (certificate file, key file): the endpoint may require mutual TLS
    timeouts: tuple[float, float] = PROBE_TIMEOUTS


class Connectivity(NamedTuple):
    """The payload of "connectivity-changed": the overall state and the probes it was judged from."""

    state: Overall
    probes: Mapping[str, Probe]


class Prober(Protocol):
    """The shape of `probe` (tests pass a scripted one)."""

    def __call__(
        self,
        session: requests.Session,
        health_url: str,
        *,
        ca_bundle: str | None,
        client_cert: tuple[str, str] | None,
        timeouts: tuple[float, float],
    ) -> Probe: ...


class ConnectivityMonitor:
    """The last probe per endpoint and the overall state; `changed` fires only when the overall state changes.

    Thread-safe: the sync worker calls `check()`, the UI reads `state`/`probes` (and re-emits `changed` as a Qt
    signal). Endpoints are probed one after another, each within its own timeouts.
    """

    def __init__(self, session: requests.Session, *, prober: Prober = probe) -> None:
        self.changed: Event[Connectivity] = Event("connectivity-changed")
        self._session, self._probe = session, prober
        self._lock = threading.Lock()
        self._state: Overall = "unknown"  # until the first check: the first result is always announced
        self._probes: dict[str, Probe] = {}

    @property
    def state(self) -> Overall:
        with self._lock:
            return self._state

    @property
    def probes(self) -> Mapping[str, Probe]:
        with self._lock:
            return dict(self._probes)

    def check(self, endpoints: Mapping[str, Target]) -> dict[str, Probe]:
        """Probe every endpoint now; returns the results by endpoint name (they replace the previous ones)."""
        results = {
            name: self._probe(
                self._session,
                target.health_url,
                ca_bundle=target.ca_bundle,
                client_cert=target.client_cert,
                timeouts=target.timeouts,
            )
            for name, target in endpoints.items()
        }
        state = overall(results.values())
        with self._lock:
            previous, self._state, self._probes = self._state, state, dict(results)
        if state != previous:  # emitted outside the lock: a subscriber may read `probes`
            self.changed.emit(Connectivity(state, dict(results)))
        return results


def overall(probes: Iterable[Probe]) -> Overall:
    """ "online" when any endpoint is; else "captive-portal" when any answers a portal; else "offline"."""
    states = {result.state for result in probes}
    if "online" in states:
        return "online"
    return "captive-portal" if "captive-portal" in states else "offline"
