"""The JSON REST adapter: one delivery attempt of one frozen submission to one endpoint, classified.

- HTTPS with certificate verification always on; plain http only to a loopback address (tests, the sandbox).
- `Idempotency-Key: "<submission uuid>"` (quoted, per the IETF draft) on every attempt, and exactly the frozen bytes.
- Timeouts on connect and on read; no automatic retries here: durable retries belong to the outbox (a POST retried
  by the HTTP layer would hide attempts from the schedule and the history).
- A bearer token comes from the caller (OAuth2 client credentials live in their own module); a client certificate
  (mutual TLS) is optional.
The result is a `sync.classify.Classified`: the outbox records it; nothing here touches the database.
"""

from __future__ import annotations

import ipaddress
import ssl
from collections.abc import Callable
from datetime import UTC, datetime
from typing import NamedTuple
from urllib.parse import urlsplit

import requests

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


def deliver(
    session: requests.Session,
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
        answer = session.post(
            endpoint.url,
            data=body,
            headers=headers,
            timeout=timeouts,
            verify=endpoint.ca_bundle or True,
            cert=endpoint.client_cert,
            allow_redirects=False,
        )
    except requests.exceptions.ConnectTimeout:
        return classify_failure("connect-timeout")
    except requests.exceptions.ReadTimeout:
        return classify_failure("read-timeout")
    except requests.exceptions.SSLError as error:
        return classify_failure("tls-clock" if clock_problem(error) else "tls")
    except requests.exceptions.RequestException:
        return classify_failure("connection-reset")  # refused, reset, DNS: the endpoint cannot be reached
    response = Response(answer.status_code, {k.lower(): v for k, v in answer.headers.items()}, answer.content)
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
