"""What a delivery attempt's outcome means for the outbox: one table, read top to bottom, every row tested.

| class      | responses                                                                                 |
|------------|-------------------------------------------------------------------------------------------|
| ACK        | 2xx with the expected receipt body (the server's reference for this submission)          |
| RETRY      | timeouts, resets, TLS errors, 408, 409 (in flight), 423, 429, 5xx, a 2xx WITHOUT the receipt body |
|            | (captive portals answer 200 with a login page: never counted as delivered)                |
| AUTH_PAUSE | 401, 403: pause the endpoint, alert staff, keep everything                                |
| QUARANTINE | 400, 404, 413, 422 and every other 4xx: park the record with the server's message         |

Transport failures and 5xx count toward the endpoint's circuit breaker; a per-record 4xx never does. A TLS failure
whose cause is the kiosk's clock says "check date and time", not "network error" (docs/sync.md).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import Enum
from typing import Literal, NamedTuple

MAX_SERVER_MESSAGE = 500  # characters kept of an error body (stored encrypted: servers echo answers)
Failure = Literal["connect-timeout", "read-timeout", "connection-reset", "tls", "tls-clock"]


class Outcome(Enum):
    ACK = "ack"
    RETRY = "retry"
    AUTH_PAUSE = "auth-pause"
    QUARANTINE = "quarantine"


class Classified(NamedTuple):
    outcome: Outcome
    reason: str  # plain words for staff ("the server is busy"), never the payload
    breaker: bool  # counts toward the endpoint's circuit breaker
    receipt: str | None = None  # the server's reference, for ACK
    server_message: str | None = None  # what the server said, for QUARANTINE/AUTH_PAUSE (store encrypted)
    retry_after: float | None = None  # seconds the server asked us to wait, if it did


class Response(NamedTuple):
    status: int
    headers: Mapping[str, str]  # names in lower case
    body: bytes


Rule = tuple[Callable[[Response], bool], Outcome, str, bool]

# Top to bottom, the first matching row decides. 2xx is handled before the table (it needs the receipt body).
RULES: tuple[Rule, ...] = (
    (lambda r: r.status in (401, 403), Outcome.AUTH_PAUSE, "the server refused the kiosk's credentials", False),
    (lambda r: r.status == 408, Outcome.RETRY, "the server timed out waiting for the request", True),
    (lambda r: r.status == 409, Outcome.RETRY, "the server is still handling an earlier attempt", False),
    (lambda r: r.status == 423, Outcome.RETRY, "the server has the submission locked for now", False),
    (lambda r: r.status == 429, Outcome.RETRY, "the server asked the kiosk to slow down", False),
    (lambda r: 500 <= r.status <= 599, Outcome.RETRY, "the server had a problem", True),
    (lambda r: r.status == 413, Outcome.QUARANTINE, "the submission is too large for the server", False),
    (lambda r: r.status == 404, Outcome.QUARANTINE, "the server does not know this service or version", False),
    (lambda r: r.status == 422, Outcome.QUARANTINE, "the server rejected the answers", False),
    (lambda r: 400 <= r.status <= 499, Outcome.QUARANTINE, "the server refused the submission", False),
    (lambda r: True, Outcome.RETRY, "the server gave an unexpected answer", True),  # 1xx/3xx: not a delivery
)

FAILURES: dict[Failure, tuple[str, bool]] = {
    "connect-timeout": ("the server could not be reached in time", True),
    "read-timeout": ("the server did not answer in time", True),
    "connection-reset": ("the connection was cut", True),
    "tls": ("the secure connection failed", True),
    "tls-clock": ("the secure connection failed: check this kiosk's date and time", False),
}


def classify_failure(failure: Failure) -> Classified:
    """A transport failure: always retried; a wrong clock does not count against the endpoint."""
    reason, breaker = FAILURES[failure]
    return Classified(Outcome.RETRY, reason, breaker)


def classify_response(response: Response, submission_uuid: str, *, now: datetime) -> Classified:
    """The class of an HTTP answer to a delivery of `submission_uuid`; `now` (aware) reads an HTTP-date Retry-After."""
    retry_after = parse_retry_after(response.headers.get("retry-after"), now=now)
    if 200 <= response.status <= 299:
        receipt = receipt_in(response.body, submission_uuid)
        if receipt is not None:
            return Classified(Outcome.ACK, "delivered", False, receipt=receipt)
        # A login page or any body that is not this submission's receipt: not a delivery (captive portal).
        return Classified(Outcome.RETRY, "an answer without a receipt (a network login page?)", False)
    for matches, outcome, reason, breaker in RULES:
        if matches(response):
            message = server_message(response.body) if outcome is not Outcome.RETRY else None
            return Classified(outcome, reason, breaker, server_message=message, retry_after=retry_after)
    raise AssertionError("the last rule matches every response")


def receipt_in(body: bytes, submission_uuid: str) -> str | None:
    """The receipt of the contract (docs/submission-api.yaml): a JSON object naming this submission and a non-empty
    `receipt`; None for anything else."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(data, dict) or data.get("submission_uuid") != submission_uuid:
        return None
    receipt = data.get("receipt")
    return receipt if isinstance(receipt, str) and receipt.strip() else None


def server_message(body: bytes) -> str | None:
    """What the server said, for staff: a JSON error's `detail`/`title`/`message`, else the start of the text."""
    text = body.decode("utf-8", errors="replace").strip()
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = None
    if isinstance(data, dict):
        for key in ("detail", "title", "message", "error"):
            if isinstance(data.get(key), str):
                text = data[key]
                break
    return text[:MAX_SERVER_MESSAGE] or None


def parse_retry_after(value: str | None, *, now: datetime) -> float | None:
    """Seconds to wait from a Retry-After header: delay-seconds or an HTTP-date; None when absent or unreadable."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - now).total_seconds())
