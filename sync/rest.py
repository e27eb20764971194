"""The JSON REST adapter: one delivery attempt of one frozen submission to one endpoint, classified.

- HTTPS with certificate verification always on; plain http only to a loopback address (tests, the sandbox).
- `Idempotency-Key: "<submission uuid>"` (quoted, per the IETF draft) on every attempt, and exactly the frozen bytes.
- Timeouts on connect and on read; no automatic retries here: durable retries belong to the outbox (a POST retried
  by the HTTP layer would hide attempts from the schedule and the history).
- A bearer token comes from the caller (OAuth2 client credentials live in their own module); a client certificate
  (mutual TLS) is optional.
The result is a `sync.classify.Classified`: the outbox records it; nothing here touches the database.

Deliveries go through urllib3 directly (`Connections`): requests' per-call work cost about three times the CPU of the
request itself, and a long queue is drained by CPU (benchmarks/outbox.py). OAuth token requests, a few an hour, keep
using requests (sync/oauth.py).
"""

from __future__ import annotations

import ipaddress
import ssl
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from typing import NamedTuple
from urllib.parse import urlsplit

import requests.utils
import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NewConnectionError,
    ReadTimeoutError,
    SSLError,
)

from sync.classify import Classified, Response, classify_failure, classify_response

CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 30.0


class Endpoint(NamedTuple):
    name: str
    url: str  # the submissions URL, e.g. https://api.example.gov.pt/kiosk/submissions
    client_cert: tuple[str, str] | None = None  # (certificate file, key file) for mutual TLS
    ca_bundle: str | None = None  # a private CA; None: the system's trust store


class InsecureEndpointError(ValueError):
    """Plain http to anything but loopback: refused, the answers would cross the network in clear."""


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme == "https":
        return
    host = parts.hostname or ""
    if parts.scheme == "http" and (host == "localhost" or _is_loopback(host)):
        return
    raise InsecureEndpointError(f"endpoint URL must use https (plain http only to loopback): {parts.scheme}://{host}")


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Connections:
    """Keep-alive connections for deliveries: one urllib3 pool manager per TLS set-up (CA bundle, client certificate),
    certificate and host name always verified (requests' default CA bundle unless the endpoint names one). Like a
    requests session, not to be shared between threads: the transport keeps one per thread."""

    def __init__(self) -> None:
        self._managers: dict[tuple[str | None, tuple[str, str] | None, str | None], urllib3.PoolManager] = {}

    def manager(self, endpoint: Endpoint) -> urllib3.PoolManager:
        proxy = proxy_for(endpoint.url)
        key = (endpoint.ca_bundle, endpoint.client_cert, proxy)
        manager = self._managers.get(key)
        if manager is None:
            cert_file, key_file = endpoint.client_cert or (None, None)
            tls = {
                "num_pools": 8,
                "maxsize": 1,
                "cert_reqs": "CERT_REQUIRED",
                "ca_certs": endpoint.ca_bundle or requests.utils.DEFAULT_CA_BUNDLE_PATH,
                "cert_file": cert_file,
                "key_file": key_file,
                "retries": False,
            }
            # A site whose network needs a proxy sets HTTPS_PROXY (and NO_PROXY), as requests and curl read them.
            made = urllib3.ProxyManager(proxy, **tls) if proxy else urllib3.PoolManager(**tls)  # type: ignore[arg-type]
            manager = self._managers[key] = made
        return manager

    def close(self) -> None:
        for manager in self._managers.values():
            manager.clear()
        self._managers.clear()


def proxy_for(url: str) -> str | None:
    """The proxy the environment names for `url` (HTTPS_PROXY / HTTP_PROXY), None when there is none or NO_PROXY
    leaves the host out."""
    parts = urlsplit(url)
    proxy = urllib.request.getproxies().get(parts.scheme)
    if not proxy or urllib.request.proxy_bypass(parts.hostname or ""):
        return None
    return proxy


def deliver(
    connections: Connections,
    endpoint: Endpoint,
    *,
    submission_uuid: str,
    body: bytes,
    token: str | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    timeouts: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT),
) -> Classified:
    """POST the frozen `body` once and classify what happened (never raises for network trouble)."""
    check_url(endpoint.url)
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "Idempotency-Key": f'"{submission_uuid}"',
    }
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        answer = connections.manager(endpoint).request(
            "POST",
            endpoint.url,
            body=body,
            headers=headers,
            timeout=urllib3.Timeout(connect=timeouts[0], read=timeouts[1]),
            retries=False,
            redirect=False,
        )
    except NewConnectionError:  # refused, unreachable, DNS (urllib3 2 makes it a kind of connect timeout: first)
        return classify_failure("connection-reset")
    except ConnectTimeoutError:
        return classify_failure("connect-timeout")
    except ReadTimeoutError:
        return classify_failure("read-timeout")
    except SSLError as error:
        return classify_failure("tls-clock" if clock_problem(error) else "tls")
    except (HTTPError, OSError):
        return classify_failure("connection-reset")  # reset or closed mid-way: the endpoint cannot be reached
    response = Response(answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.data)
    return classify_response(response, submission_uuid, now=now())


def clock_problem(error: Exception) -> bool:
    """A certificate "not yet valid" or "expired" usually means this kiosk's clock is wrong."""
    text = str(error).lower()
    inner = error.__context__
    while inner is not None:
        if isinstance(inner, ssl.SSLCertVerificationError):
            text += " " + str(inner.verify_message).lower()
        inner = inner.__context__
    return "not yet valid" in text or "has expired" in text or "certificate expired" in text
