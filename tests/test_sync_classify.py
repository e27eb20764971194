"""Response classification (every row of the table) and backoff discipline (full jitter, Retry-After, no lockstep)."""

from __future__ import annotations

import json
import random
import statistics
from datetime import UTC, datetime, timedelta

import pytest

from sync.backoff import CAP_SECONDS, RETRY_AFTER_MAX_SECONDS, full_jitter, next_delay
from sync.classify import (
    FAILURES,
    Outcome,
    Response,
    classify_failure,
    classify_response,
    parse_retry_after,
)

UUID = "8e03978e-40d5-43e8-bc93-6894a57f9324"
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
RECEIPT = json.dumps({"submission_uuid": UUID, "receipt": "SS-2026-000123"}).encode()


def answer(status: int, body: bytes = b"", **headers: str) -> Response:
    return Response(status, {k.replace("_", "-"): v for k, v in headers.items()}, body)


def test_a_2xx_with_this_submissions_receipt_is_delivered() -> None:
    for status in (200, 201, 202):
        result = classify_response(answer(status, RECEIPT), UUID, now=NOW)
        assert (result.outcome, result.receipt, result.breaker) == (Outcome.ACK, "SS-2026-000123", False)


@pytest.mark.parametrize(
    "body",
    [
        b"<html><title>Wi-Fi login</title></html>",  # a captive portal's page
        b"",
        json.dumps({"submission_uuid": "another-uuid", "receipt": "X"}).encode(),  # someone else's receipt
        json.dumps({"submission_uuid": UUID, "receipt": "  "}).encode(),
        json.dumps({"submission_uuid": UUID}).encode(),
        b"\xff\xfe not text",
    ],
)
def test_a_2xx_without_the_expected_receipt_is_retried_never_delivered(body: bytes) -> None:
    result = classify_response(answer(200, body), UUID, now=NOW)
    assert result.outcome is Outcome.RETRY and result.receipt is None


@pytest.mark.parametrize(
    ("status", "outcome", "breaker"),
    [
        (408, Outcome.RETRY, True),
        (409, Outcome.RETRY, False),  # the first attempt is still in flight at the server
        (423, Outcome.RETRY, False),
        (429, Outcome.RETRY, False),
        (500, Outcome.RETRY, True),
        (502, Outcome.RETRY, True),
        (503, Outcome.RETRY, True),
        (504, Outcome.RETRY, True),
        (401, Outcome.AUTH_PAUSE, False),
        (403, Outcome.AUTH_PAUSE, False),
        (400, Outcome.QUARANTINE, False),
        (404, Outcome.QUARANTINE, False),
        (413, Outcome.QUARANTINE, False),
        (422, Outcome.QUARANTINE, False),
        (410, Outcome.QUARANTINE, False),  # any other 4xx is permanent
        (302, Outcome.RETRY, True),  # a redirect is not a delivery
    ],
)
def test_each_status_row_of_the_table(status: int, outcome: Outcome, breaker: bool) -> None:
    result = classify_response(answer(status, b'{"detail": "x"}'), UUID, now=NOW)
    assert (result.outcome, result.breaker) == (outcome, breaker)
    assert result.receipt is None and result.reason


@pytest.mark.parametrize("failure", list(FAILURES))
def test_transport_failures_are_retried_and_a_wrong_clock_says_so(failure: str) -> None:
    result = classify_failure(failure)  # type: ignore[arg-type]
    assert result.outcome is Outcome.RETRY
    assert result.breaker is (failure != "tls-clock")  # the kiosk's clock is not the endpoint's fault
    if failure == "tls-clock":
        assert "check this kiosk's date and time" in result.reason


def test_a_quarantine_keeps_the_servers_message_for_staff() -> None:
    problem = json.dumps({"title": "Invalid", "detail": "field nif: check digit"}).encode()
    assert classify_response(answer(422, problem), UUID, now=NOW).server_message == "field nif: check digit"
    plain = classify_response(answer(400, b"bad request " * 100), UUID, now=NOW).server_message
    assert plain is not None and len(plain) == 500
    assert classify_response(answer(503, b"down"), UUID, now=NOW).server_message is None


def test_retry_after_in_seconds_or_as_an_http_date() -> None:
    assert classify_response(answer(503, retry_after="120"), UUID, now=NOW).retry_after == 120.0
    later = (NOW + timedelta(minutes=5)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert classify_response(answer(429, retry_after=later), UUID, now=NOW).retry_after == 300.0
    assert parse_retry_after("Tue, 01 Jan 2019 00:00:00 GMT", now=NOW) == 0.0  # in the past: now
    assert parse_retry_after("soon", now=NOW) is None
    assert parse_retry_after(None, now=NOW) is None


# Backoff ------------------------------------------------------------------------------------------------------------
def test_full_jitter_stays_between_zero_and_the_capped_exponential() -> None:
    rng = random.Random(7)
    for attempt in range(0, 80):
        ceiling = min(CAP_SECONDS, 30.0 * 2.0 ** min(attempt, 64))
        values = [full_jitter(attempt, uniform=rng.uniform) for _ in range(50)]
        assert all(0.0 <= v <= ceiling for v in values)
    assert full_jitter(3, uniform=lambda low, high: high) == 240.0  # the ceiling grows 30, 60, 120, 240…
    assert full_jitter(30, uniform=lambda low, high: high) == CAP_SECONDS


def test_retry_after_is_a_floor_clamped_and_jittered() -> None:
    top = lambda low, high: high  # noqa: E731 - the largest jitter the RNG could give
    bottom = lambda low, high: low  # noqa: E731
    assert next_delay(0, 120.0, uniform=bottom) == 120.0  # never sooner than the server asked
    assert next_delay(0, 120.0, uniform=top) == pytest.approx(132.0)
    assert next_delay(0, 10**9, uniform=bottom) == RETRY_AFTER_MAX_SECONDS  # a hostile value cannot park the queue
    assert next_delay(0, -5.0, uniform=top) == 0.0


def test_a_fleet_coming_back_together_does_not_retry_in_lockstep() -> None:
    rng = random.Random(2026)
    # 500 kiosks whose network came back at the same moment, each at its fourth retry.
    delays = sorted(next_delay(4, uniform=rng.uniform) for _ in range(500))
    assert statistics.pstdev(delays) > 100  # spread over the whole window (0-480 s), not clustered
    per_second = max(sum(1 for d in delays if second <= d < second + 1) for second in range(480))
    assert per_second <= 10  # no burst: at most ~2 % of the fleet in any one second


def test_the_published_contract_describes_the_receipt_the_kiosk_accepts() -> None:
    """docs/submission-api.yaml and sync.classify must agree on what a receipt is (no YAML parser needed)."""
    from tests.helpers import ROOT

    contract = (ROOT / "docs" / "submission-api.yaml").read_text(encoding="utf-8")
    assert contract.startswith("openapi: 3.1.0")
    receipt = contract[contract.index("    Receipt:") : contract.index("    Problem:\n      type: object")]
    assert "required: [submission_uuid, receipt]" in receipt
    for status in ("409", "422", "429", "503"):
        assert f'"{status}":' in contract
    assert "name: Idempotency-Key" in contract and "required: true" in contract
