"""What the sandbox answers: the contract of docs/submission-api.yaml, request by request, without the HTTP plumbing.

`SandboxApp.handle` takes a parsed request and returns a `Reply`; `sync.sandbox.server` reads and writes the bytes.
Idempotency follows the contract: a completed key gets its original answer again, a key still in flight gets 409,
a key used with another body gets 422, no key gets 400. A key is "in flight" from the moment its request is accepted
until its answer is written (in memory: a sandbox that restarts forgets requests it never answered).
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import NamedTuple
from urllib.parse import parse_qs

from sync.sandbox.auth import TOKEN_LIFETIME_SECONDS, TokenBook, bearer_token, client_credentials
from sync.sandbox.faults import FaultPlan, Faults
from sync.sandbox.store import Attempt, Received, SandboxStore, utc_stamp

KEY = re.compile(r'"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"')
JSON = "application/json"
PROBLEM = "application/problem+json"
CAPTIVE_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Free Wi-Fi</title></head><body><h1>Welcome!</h1>"
    b'<form method="post" action="/login"><label>E-mail <input name="email"></label>'
    b"<button>Connect</button></form></body></html>\n"
)

Headers = Mapping[str, str]  # names in lower case


class Reply(NamedTuple):
    status: int
    body: bytes = b""
    content_type: str = JSON
    headers: tuple[tuple[str, str], ...] = ()
    drop: bool = False  # close the connection without answering
    close: bool = False  # answer, then close the connection


def problem(status: int, detail: str, *headers: tuple[str, str]) -> Reply:
    """An RFC 9457 problem: what the kiosk keeps (encrypted) for staff."""
    body = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status, "detail": detail}
    return Reply(status, json.dumps(body).encode(), PROBLEM, headers)


def _json(status: int, data: object, *headers: tuple[str, str]) -> Reply:
    return Reply(status, json.dumps(data).encode(), JSON, headers)


class SandboxApp:
    def __init__(self, store: SandboxStore, faults: Faults, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.store = store
        self.plan = FaultPlan(faults)
        self.tokens = TokenBook()
        self._sleep = sleep
        self._in_flight: set[str] = set()
        self._lock = threading.Lock()
        self._routes: dict[str, tuple[str, Callable[[Headers, bytes], Reply]]] = {
            "/health": ("GET", self.health),
            "/oauth/token": ("POST", self.token),
            "/submissions": ("POST", self.submit),
        }

    def handle(self, method: str, target: str, headers: Headers, body: bytes) -> Reply:
        path = target.split("?", 1)[0]
        route = self._routes.get(path)
        if route is None:
            return problem(404, "no such resource: the sandbox serves /submissions, /oauth/token and /health")
        allowed, handler = route
        if method != allowed:
            return problem(405, f"use {allowed}", ("Allow", allowed))
        return handler(headers, body)

    def in_flight(self, submission_uuid: str) -> bool:
        """Whether a request with this key is being handled now (tests overlap requests with it)."""
        with self._lock:
            return submission_uuid in self._in_flight

    def health(self, headers: Headers, body: bytes) -> Reply:
        return _json(200, {"status": "ok"})

    def token(self, headers: Headers, body: bytes) -> Reply:
        form = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
        credentials = client_credentials(headers.get("authorization"), form)
        if credentials is None or not self.store.verify_client(*credentials):
            return _json(401, {"error": "invalid_client"}, ("WWW-Authenticate", 'Basic realm="sandbox"'))
        grant = form.get("grant_type", [])
        if grant != ["client_credentials"]:
            return _json(400, {"error": "unsupported_grant_type" if grant else "invalid_request"})
        token = {"access_token": self.tokens.issue(), "token_type": "Bearer", "expires_in": TOKEN_LIFETIME_SECONDS}
        return _json(200, token, ("Cache-Control", "no-store"))

    def submit(self, headers: Headers, body: bytes) -> Reply:
        reply, held = self._submit(headers, body)
        try:
            if self.plan.faults.latency_ms or self.plan.faults.latency_jitter_ms:
                self._sleep(self.plan.delay())
        finally:
            if held is not None:
                with self._lock:
                    self._in_flight.discard(held)
        return reply

    def _submit(self, headers: Headers, body: bytes) -> tuple[Reply, str | None]:
        """The answer, and the key this request holds in flight (released once the answer is due)."""
        admitted = self._admit(headers, body)
        if isinstance(admitted, Reply):
            return admitted, None
        key = admitted.submission_uuid
        draw = self.plan.draw()
        if draw.captive:  # a login page between the kiosk and the server: the request never arrives
            return Reply(200, CAPTIVE_PAGE, "text/html; charset=utf-8"), None
        with self._lock:
            busy = key in self._in_flight
            self._in_flight.add(key)
        if busy:
            self.store.record_attempt(admitted._replace(status=409))
            return problem(409, "a request with this Idempotency-Key is still in progress", *self._later()), None
        try:
            received = self.store.receive(
                admitted,
                lambda receipt, at: (201, _receipt(key, receipt, at)),
                lambda kept: self.plan.decide(draw, kept.attempt, kept.status),
            )
        except sqlite3.Error:
            return problem(503, "the sandbox's store is busy", *self._later()), key
        return self._answer(received), key

    def _admit(self, headers: Headers, body: bytes) -> Reply | Attempt:
        """The attempt to keep, or the problem that refuses it (recorded when the key is usable)."""
        # With no client registered the store is open to anyone: handy for tests and quick demos.
        if self.store.has_clients() and not self.tokens.valid(bearer_token(headers.get("authorization"))):
            return problem(401, "a valid bearer token is required", ("WWW-Authenticate", 'Bearer realm="sandbox"'))
        raw_key = headers.get("idempotency-key")
        if raw_key is None:
            return problem(400, "the Idempotency-Key header is required")
        match = KEY.fullmatch(raw_key.strip())
        if match is None:
            return problem(400, "the Idempotency-Key must be the submission's UUID as a quoted string")
        attempt = Attempt(match.group(1), None, utc_stamp(), hashlib.sha256(body).hexdigest(), None, None)
        invalid, attempt = _check_body(body, attempt)
        if invalid is not None:
            self.store.record_attempt(attempt._replace(status=invalid.status))
            return invalid
        return attempt

    def _answer(self, received: Received) -> Reply:
        kept, status, fault = received
        if kept is None:
            return problem(422, "this Idempotency-Key was used before with a different body")
        if status is None:
            return Reply(0, drop=True)
        if fault is not None:
            retry = self._later() if status == 503 else ()
            return problem(status, f"injected fault ({fault}); the submission is kept", *retry)
        return Reply(kept.status, kept.response, JSON)

    def _later(self) -> tuple[tuple[str, str], ...]:
        seconds = self.plan.faults.retry_after
        return (("Retry-After", str(seconds)),) if seconds else ()


def _check_body(body: bytes, attempt: Attempt) -> tuple[Reply | None, Attempt]:
    """A problem if the body is not a submission with the key's UUID (None if it is), and the attempt with its
    service id, read from the body when there is one."""
    try:
        data = json.loads(body)
    except ValueError:  # not UTF-8 or not JSON
        return problem(400, "the body is not JSON"), attempt
    if not isinstance(data, dict):
        return problem(422, "the body must be a JSON object: a frozen submission"), attempt
    service = data.get("service_id")
    attempt = attempt._replace(service=service if isinstance(service, str) else None)
    if data.get("uuid") != attempt.submission_uuid:
        return problem(422, "the body's uuid is not the Idempotency-Key's UUID"), attempt
    return None, attempt


def _receipt(submission_uuid: str, receipt: str, received_at: str) -> bytes:
    """The receipt body of the contract; the kiosk's classifier reads it as delivered (sync.classify.receipt_in)."""
    return json.dumps({"submission_uuid": submission_uuid, "receipt": receipt, "received_at": received_at}).encode()
