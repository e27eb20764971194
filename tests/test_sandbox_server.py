"""The reference server on loopback, over real HTTP: OAuth2 client credentials, the idempotency contract of
docs/submission-api.yaml, every attempt recorded, injected faults, and the kiosk's own adapter reading its answers."""

from __future__ import annotations

import hashlib
import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync.classify import Outcome, Response, classify_response
from sync.oauth import ClientCredentials, TokenError, TokenSource
from sync.rest import Connections, Endpoint, deliver
from sync.sandbox import Faults, Sandbox

Start = Callable[..., Sandbox]


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Start]:
    """start(**faults) -> a sandbox serving on a free port of 127.0.0.1 with its own store; closed after the test."""
    running: list[Sandbox] = []

    def make(store: Path | None = None, **faults: object) -> Sandbox:
        sandbox = Sandbox(store or tmp_path / f"store-{len(running)}", Faults(**faults))  # type: ignore[arg-type]
        running.append(sandbox)
        return sandbox

    yield make
    for sandbox in running:
        sandbox.close()


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """One sandbox for a property test's examples (each uses a new submission UUID)."""
    with Sandbox(tmp_path_factory.mktemp("shared")) as sandbox:
        yield sandbox


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


def submission(key: str | None = None, **extra: object) -> tuple[str, bytes]:
    key = key or str(uuid.uuid4())
    body = {"uuid": key, "service_id": "register-birth", "answers": {"full_name": "Ana"}, **extra}
    return key, json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def post(http: requests.Session, sandbox: Sandbox, key: str | None, body: bytes, **headers: str) -> requests.Response:
    if key is not None:
        headers["Idempotency-Key"] = f'"{key}"'
    headers["Content-Type"] = "application/json"
    return http.post(sandbox.url + "submissions", data=body, headers=headers, timeout=10)


def classify(answer: requests.Response, key: str) -> Outcome:
    response = Response(answer.status_code, {k.lower(): v for k, v in answer.headers.items()}, answer.content)
    return classify_response(response, key, now=datetime.now(UTC)).outcome


def token_for(http: requests.Session, sandbox: Sandbox, client: str = "kiosk-test", secret: str = "s3cret") -> str:
    answer = http.post(sandbox.url + "oauth/token", data={"grant_type": "client_credentials"}, auth=(client, secret))
    assert answer.status_code == 200, answer.text
    token: str = answer.json()["access_token"]
    return token


def test_health_says_ok(start: Start, http: requests.Session) -> None:
    answer = http.get(start().url + "health")
    assert (answer.status_code, answer.json()) == (200, {"status": "ok"})


def test_unknown_paths_and_methods_are_problems(start: Start, http: requests.Session) -> None:
    sandbox = start()
    assert http.get(sandbox.url + "nowhere").status_code == 404
    wrong = http.get(sandbox.url + "submissions")
    assert (wrong.status_code, wrong.headers["Allow"]) == (405, "POST")
    assert wrong.headers["Content-Type"] == "application/problem+json"


def test_registered_client_gets_a_bearer_token_by_basic_or_form(start: Start, http: requests.Session) -> None:
    sandbox = start()
    sandbox.store.register_client("kiosk-test", "s3cret")
    by_basic = http.post(
        sandbox.url + "oauth/token", data={"grant_type": "client_credentials"}, auth=("kiosk-test", "s3cret")
    )
    assert by_basic.status_code == 200
    token = by_basic.json()
    assert token["token_type"] == "Bearer" and token["expires_in"] == 300 and len(token["access_token"]) >= 32
    form = {"grant_type": "client_credentials", "client_id": "kiosk-test", "client_secret": "s3cret"}
    by_form = http.post(sandbox.url + "oauth/token", data=form)
    assert by_form.status_code == 200 and by_form.json()["access_token"] != token["access_token"]
    refused = http.post(sandbox.url + "oauth/token", data={"grant_type": "password"}, auth=("kiosk-test", "s3cret"))
    assert (refused.status_code, refused.json()) == (400, {"error": "unsupported_grant_type"})


@pytest.mark.parametrize(("client", "secret"), [("kiosk-test", "wrong"), ("kiosk-other", "s3cret"), ("kiosk-test", "")])
def test_wrong_client_credentials_are_refused(start: Start, http: requests.Session, client: str, secret: str) -> None:
    sandbox = start()
    sandbox.store.register_client("kiosk-test", "s3cret")
    answer = http.post(sandbox.url + "oauth/token", data={"grant_type": "client_credentials"}, auth=(client, secret))
    assert (answer.status_code, answer.json()) == (401, {"error": "invalid_client"})
    assert "s3cret" not in answer.text


def test_submissions_need_a_bearer_token_once_a_client_is_registered(start: Start, http: requests.Session) -> None:
    sandbox = start()
    key, body = submission()
    assert post(http, sandbox, key, body).status_code == 201  # no client registered: anonymous requests are fine
    sandbox.store.register_client("kiosk-test", "s3cret")
    key, body = submission()
    without = post(http, sandbox, key, body)
    assert without.status_code == 401 and without.headers["WWW-Authenticate"].startswith("Bearer")
    assert post(http, sandbox, key, body, Authorization="Bearer not-a-token").status_code == 401
    assert sandbox.store.attempts(key) == []  # refused requests are not recorded
    token = token_for(http, sandbox)
    assert post(http, sandbox, key, body, Authorization=f"Bearer {token}").status_code == 201


@pytest.mark.parametrize("key", [None, "", "8e03978e-40d5-43e8-bc93-6894a57f9324", '"not-a-uuid"'])
def test_a_missing_or_malformed_idempotency_key_is_400(start: Start, http: requests.Session, key: str | None) -> None:
    sandbox = start()
    _, body = submission()
    headers = {} if key is None else {"Idempotency-Key": key}
    answer = http.post(sandbox.url + "submissions", data=body, headers=headers)
    assert answer.status_code == 400
    assert answer.headers["Content-Type"] == "application/problem+json"
    assert "Idempotency-Key" in answer.json()["detail"]
    assert classify(answer, "x") is Outcome.QUARANTINE
    assert sandbox.store.submission_count() == 0


def test_a_body_for_another_uuid_or_not_an_object_is_refused_and_recorded(start: Start, http: requests.Session) -> None:
    sandbox = start()
    key, other = str(uuid.uuid4()), submission()[1]
    assert post(http, sandbox, key, other).status_code == 422
    assert post(http, sandbox, key, b"[1, 2]").status_code == 422
    assert post(http, sandbox, key, b"{not json").status_code == 400
    assert [a.status for a in sandbox.store.attempts(key)] == [422, 422, 400]
    assert sandbox.store.submission_count() == 0


def test_a_repeat_gets_the_original_status_and_receipt(start: Start, http: requests.Session) -> None:
    sandbox = start()
    key, body = submission()
    first = post(http, sandbox, key, body)
    again = post(http, sandbox, key, body)
    assert first.status_code == again.status_code == 201
    assert first.content == again.content  # byte for byte, received_at included
    receipt = first.json()
    assert receipt["submission_uuid"] == key and receipt["receipt"].startswith("SBX-")
    assert classify(first, key) is Outcome.ACK and classify(again, key) is Outcome.ACK
    assert sandbox.store.submission_count() == 1
    assert len(sandbox.store.attempts(key)) == 2


def test_the_same_key_with_another_body_is_422_and_the_original_stays(start: Start, http: requests.Session) -> None:
    sandbox = start()
    key, body = submission()
    original = post(http, sandbox, key, body)
    _, changed = submission(key, answers={"full_name": "Rui"})
    refused = post(http, sandbox, key, changed)
    assert refused.status_code == 422 and "different body" in refused.json()["detail"]
    assert classify(refused, key) is Outcome.QUARANTINE
    assert post(http, sandbox, key, body).content == original.content
    assert [a.status for a in sandbox.store.attempts(key)] == [201, 422, 201]


def test_a_key_still_in_flight_gets_409(start: Start) -> None:
    sandbox = start(latency_ms=400)
    key, body = submission()
    first: list[requests.Response] = []
    thread = threading.Thread(target=lambda: first.append(post(requests.Session(), sandbox, key, body)))
    thread.start()
    deadline = time.monotonic() + 5
    while not sandbox.app.in_flight(key):
        assert time.monotonic() < deadline, "the first request never arrived"
        time.sleep(0.005)
    with requests.Session() as other:
        busy = post(other, sandbox, key, body)
    thread.join()
    assert busy.status_code == 409 and busy.headers["Retry-After"] == "1"
    assert classify(busy, key) is Outcome.RETRY
    assert first[0].status_code == 201
    assert sorted(a.status or 0 for a in sandbox.store.attempts(key)) == [201, 409]
    assert not sandbox.app.in_flight(key)


def test_fail_first_commits_once_answers_503_k_times_then_the_receipt(start: Start, http: requests.Session) -> None:
    sandbox = start(fail_first=2)
    key, body = submission()
    answers = [post(http, sandbox, key, body) for _ in range(3)]
    assert [a.status_code for a in answers] == [503, 503, 201]
    assert answers[0].headers["Content-Type"] == "application/problem+json"
    assert answers[0].headers["Retry-After"] == "1"
    assert [classify(a, key) for a in answers] == [Outcome.RETRY, Outcome.RETRY, Outcome.ACK]
    assert sandbox.store.submission_count() == 1
    attempts = sandbox.store.attempts(key)
    assert [(a.status, a.fault) for a in attempts] == [(503, "fail-first"), (503, "fail-first"), (201, None)]
    other_key, other_body = submission()
    assert post(http, sandbox, other_key, other_body).status_code == 503  # K attempts PER submission


def test_drop_closes_the_connection_unanswered_but_the_record_exists(start: Start, http: requests.Session) -> None:
    sandbox = start(drop_rate=1.0)
    key, body = submission()
    with pytest.raises(requests.exceptions.ConnectionError):
        post(http, sandbox, key, body)
    assert sandbox.store.submission_count() == 1
    [attempt] = sandbox.store.attempts(key)
    assert (attempt.status, attempt.fault) == (None, "drop")


def test_a_captive_portal_answers_200_html_and_commits_nothing(start: Start, http: requests.Session) -> None:
    sandbox = start(captive_rate=1.0)
    key, body = submission()
    answer = post(http, sandbox, key, body)
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/html")
    assert b"<form" in answer.content
    assert classify(answer, key) is Outcome.RETRY  # never counted as delivered
    assert sandbox.store.submission_count() == 0 and sandbox.store.attempts() == []


def test_fail_rate_gives_random_5xx_after_committing_reproducibly_by_seed(start: Start) -> None:
    keys = [submission() for _ in range(40)]

    def statuses(sandbox: Sandbox) -> list[int]:
        with requests.Session() as session:
            return [post(session, sandbox, key, body).status_code for key, body in keys]

    first, second = statuses(start(fail_rate=0.5, seed=7)), statuses(start(fail_rate=0.5, seed=7))
    assert first == second
    assert set(first) <= {201, 500, 502, 503, 504} and 201 in first and len(set(first)) >= 3
    assert statuses(start(fail_rate=0.5, seed=8)) != first
    always = start(fail_rate=1.0)
    key, body = keys[0]
    with requests.Session() as session:
        assert post(session, always, key, body).status_code in (500, 502, 503, 504)
    assert always.store.submission_count() == 1  # committed before failing
    assert [a.fault for a in always.store.attempts(key)] == ["fail-rate"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["same", "changed", "other-uuid"]), min_size=1, max_size=6))
def test_every_attempt_is_recorded_with_its_sha256_and_answered_as_the_model_says(
    shared: Sandbox, http: requests.Session, sends: list[str]
) -> None:
    key, body = submission()
    bodies = {"same": body, "changed": submission(key, answers={})[1], "other-uuid": submission()[1]}
    kept: bytes | None = None  # the model: the first body sent with the key's own UUID is kept for good
    expected = []
    for send in sends:
        sent = bodies[send]
        if send != "other-uuid" and kept is None:
            kept = sent
        expected.append(201 if sent == kept else 422)
        assert post(http, shared, key, sent).status_code == expected[-1]
    attempts = shared.store.attempts(key)
    assert [a.body_sha256 for a in attempts] == [hashlib.sha256(bodies[s]).hexdigest() for s in sends]
    assert [a.status for a in attempts] == expected
    assert all(a.service == "register-birth" for a in attempts)


def test_records_list_one_row_per_submission_with_attempts(start: Start, http: requests.Session) -> None:
    sandbox = start()
    first_key, first_body = submission()
    second_key, second_body = submission(service_id="renew-card")
    for key, body in [(first_key, first_body), (second_key, second_body), (first_key, first_body)]:
        post(http, sandbox, key, body)
    records = sandbox.store.records()
    assert [(r.submission_uuid, r.service, r.attempts) for r in records] == [
        (first_key, "register-birth", 2),
        (second_key, "renew-card", 1),
    ]
    assert records[0].received_at == sandbox.store.attempts(first_key)[0].received_at


def test_keep_alive_requests_are_fast(start: Start, http: requests.Session) -> None:
    # Without TCP_NODELAY or one-buffer answers each keep-alive request waits ~40 ms (Nagle + delayed ACK): 100
    # requests would take 4 s. Measured ~1,500 requests/s here; the bound leaves a wide margin for a busy machine.
    sandbox = start()
    began = time.perf_counter()
    for _ in range(100):
        key, body = submission()
        assert post(http, sandbox, key, body).status_code == 201
    assert time.perf_counter() - began < 2.0


def test_the_kiosks_adapter_reads_receipts_as_ack_and_503_as_retry(start: Start) -> None:
    sandbox = start(fail_first=1)
    sandbox.store.register_client("kiosk-test", "s3cret")
    key, body = submission()
    with requests.Session() as session:
        tokens = TokenSource(ClientCredentials(sandbox.url + "oauth/token", "kiosk-test"), lambda: "s3cret", session)
        endpoint = Endpoint("sandbox", sandbox.url + "submissions")
        connections = Connections()
        failed = deliver(connections, endpoint, submission_uuid=key, body=body, token=tokens.token())
        delivered = deliver(connections, endpoint, submission_uuid=key, body=body, token=tokens.token())
        refused = deliver(connections, endpoint, submission_uuid=key, body=body, token="stale")
        wrong = TokenSource(ClientCredentials(sandbox.url + "oauth/token", "kiosk-test"), lambda: "nope", session)
        with pytest.raises(TokenError) as error:
            wrong.token()
    assert (failed.outcome, failed.breaker, failed.retry_after) == (Outcome.RETRY, True, 1.0)
    assert delivered.outcome is Outcome.ACK and delivered.receipt == "SBX-000001"
    assert refused.outcome is Outcome.AUTH_PAUSE
    assert error.value.kind == "auth"
    assert [a.body_sha256 for a in sandbox.store.attempts(key)] == [hashlib.sha256(body).hexdigest()] * 2
