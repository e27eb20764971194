"""One delivery pass against a real HTTP receiver on loopback: frozen bytes, receipts, every outcome recorded,
poison isolation, breaker and auth pause, schedule kept across restarts, no double send, clock skew."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pytest

from kiosk.crypto import PayloadCipher
from kiosk.outbox import counts, history
from kiosk.outbox_staff import queue_items, reroute
from kiosk.settings.model import EndpointSettings, RoutingSettings
from kiosk.storage import Storage, open_storage
from sync import breaker
from sync.engine import SyncEngine, server_message_context
from sync.transport import RestTransport
from tests.helpers import queue_submissions
from tests.receiver import Receiver, running_receiver
from tests.tls_ca import Authority

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
CIPHER = PayloadCipher(b"e" * 32)


class Clock:
    def __init__(self, start: dt.datetime = NOW) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def storage(tmp_path: Path) -> Iterator[Storage]:
    with open_storage(tmp_path) as opened:
        yield opened


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as server:
        yield server


def engine(  # type: ignore[no-untyped-def]
    storage: Storage,
    url: str,
    clock: Clock,
    *,
    owner: str = "worker",
    routing: RoutingSettings | None = None,
    ca_bundle: str | None = None,
):
    endpoint = EndpointSettings(
        "gov",
        url,
        url.replace("submissions", "health"),
        ca_bundle=Path(ca_bundle) if ca_bundle else None,
        read_timeout_seconds=2.0,
    )
    return SyncEngine(
        storage.db,
        endpoints={"gov": endpoint},
        routing=routing or RoutingSettings(default="gov"),
        cipher=lambda: CIPHER,
        transport=RestTransport(lambda name: None),
        owner=owner,
        clock=clock,
        uniform=lambda low, high: high,  # the longest wait the jitter allows: deterministic
    )


def states(storage: Storage) -> dict[str, int]:
    return counts(storage.db).per_state


def test_due_items_are_delivered_with_their_frozen_bytes_and_receipts(storage: Storage, receiver: Receiver) -> None:
    uuids = queue_submissions(storage.db, 3, CIPHER, now=NOW)
    report = engine(storage, receiver.url, Clock()).run_once()
    assert report.line() == "delivered 3, scheduled 0, quarantined 0, paused 0"
    digests = dict(storage.db.conn.execute("SELECT uuid, payload_sha256 FROM submissions").fetchall())
    assert {u: receiver.attempts[u] for u in uuids} == {u: [digests[u]] for u in uuids}
    assert {h["Idempotency-Key"] for h in receiver.headers_seen} == {f'"{u}"' for u in uuids}
    items = queue_items(storage.db, include_delivered=True)
    assert {i.state for i in items} == {"delivered"} and all(i.receipt.startswith("RCPT-") for i in items)  # type: ignore[union-attr]


def test_a_healthy_endpoint_gets_the_rest_of_a_batch_in_parallel_after_one_delivered_first(
    storage: Storage, receiver: Receiver
) -> None:
    queue_submissions(storage.db, 9, CIPHER, now=NOW)
    receiver.delay = 0.05
    assert engine(storage, receiver.url, Clock()).run_once().delivered == 9
    assert 2 <= receiver.max_in_flight <= 4  # bounded: a back-end is never flooded by one kiosk


def test_a_poison_record_is_quarantined_with_the_sealed_message_and_the_others_flow(
    storage: Storage, receiver: Receiver
) -> None:
    first, *others = queue_submissions(storage.db, 4, CIPHER, now=NOW)
    problem = json.dumps({"title": "Invalid", "detail": "field nif: 123456789 is not valid"}).encode()
    receiver.script.append((422, {"Content-Type": "application/problem+json"}, problem))
    report = engine(storage, receiver.url, Clock()).run_once()
    assert (report.delivered, report.quarantined) == (3, 1)
    row = storage.db.conn.execute(
        "SELECT state, last_error, server_message FROM outbox WHERE submission_uuid = ?", [first]
    ).fetchone()
    assert row[0] == "quarantined" and "rejected the answers" in row[1]
    assert b"123456789" not in row[2]  # servers echo answers: the message is sealed
    assert CIPHER.open(row[2], context=server_message_context(first)) == b"field nif: 123456789 is not valid"
    assert all(receiver.attempts[u] for u in others)


def test_retry_after_is_honoured_and_the_schedule_survives_a_restart(storage: Storage, receiver: Receiver) -> None:
    [uuid] = queue_submissions(storage.db, 1, CIPHER, now=NOW)
    receiver.script.append((503, {"Retry-After": "120"}, b"busy"))
    clock = Clock()
    assert engine(storage, receiver.url, clock).run_once().scheduled == 1
    [item] = queue_items(storage.db)
    assert item.state == "retry-scheduled"
    assert item.next_attempt_at == "2026-11-28T12:02:12.000Z"  # 120 s + the 10 % jitter (pinned to its maximum)
    clock.advance(100)
    restarted = engine(storage, receiver.url, clock, owner="after-reboot")
    assert restarted.run_once().delivered == 0 and receiver.requests() == 1  # no burst after a restart
    clock.advance(40)
    assert restarted.run_once().delivered == 1
    assert [h[2] for h in history(storage.db, uuid)] == ["queued", "sending", "retry-scheduled", "sending", "delivered"]


def test_an_unreachable_endpoint_opens_the_breaker_and_is_probed_once_per_interval(storage: Storage) -> None:
    queue_submissions(storage.db, 8, CIPHER, now=NOW)
    clock = Clock()
    dead = "http://127.0.0.1:9/submissions"  # discard port: nothing listens
    report = engine(storage, dead, clock).run_once()
    assert report.scheduled == breaker.FAILURE_THRESHOLD  # the rest were not tried once the breaker opened
    [state] = breaker.states(storage.db)
    assert state.breaker == "open"
    attempts = storage.db.conn.execute("SELECT sum(attempts) FROM outbox").fetchone()[0]
    assert attempts == breaker.FAILURE_THRESHOLD  # items given back were not counted as attempts
    clock.advance(breaker.PROBE_INTERVAL_SECONDS + 1)
    queue_submissions(storage.db, 1, CIPHER, now=clock.now)
    assert engine(storage, dead, clock).run_once().scheduled == 1  # exactly one probe
    assert breaker.states(storage.db)[0].breaker == "open"


def test_refused_credentials_pause_the_endpoint_until_a_probe_succeeds(storage: Storage, receiver: Receiver) -> None:
    queue_submissions(storage.db, 3, CIPHER, now=NOW)
    receiver.script.append((401, {}, b'{"detail": "token expired"}'))
    clock = Clock()
    report = engine(storage, receiver.url, clock).run_once()
    assert report.paused == 1 and receiver.requests() == 1  # the others were kept, not sent to be refused
    assert engine(storage, receiver.url, clock).run_once() == (0, 0, 0, 0)
    clock.advance(breaker.AUTH_PROBE_SECONDS + 1)
    assert engine(storage, receiver.url, clock).run_once().delivered == 3  # the probe worked: paused item released
    assert states(storage) == {"delivered": 3}


def test_unrouted_items_wait_and_staff_can_re_route_a_quarantined_one(storage: Storage, receiver: Receiver) -> None:
    [waiting] = queue_submissions(storage.db, 1, CIPHER, now=NOW, service_id="unknown-service", target="nowhere")
    routing = RoutingSettings(services={"register-birth": "gov"})
    assert engine(storage, receiver.url, Clock(), routing=routing).run_once() == (0, 0, 0, 0)
    assert states(storage) == {"queued": 1}
    assert reroute(storage.db, waiting, "gov", now=NOW, reason="staff") is True
    assert engine(storage, receiver.url, Clock(), routing=routing).run_once().delivered == 1


def test_a_changed_payload_is_quarantined_and_never_sent(storage: Storage, receiver: Receiver) -> None:
    [uuid] = queue_submissions(storage.db, 1, CIPHER, now=NOW)
    storage.db.conn.execute("UPDATE submissions SET payload_sha256 = ? WHERE uuid = ?", ["0" * 64, uuid])
    storage.db.conn.commit()
    assert engine(storage, receiver.url, Clock()).run_once().quarantined == 1
    assert receiver.requests() == 0


def test_concurrent_worker_and_sync_now_never_send_the_same_item(tmp_path: Path, receiver: Receiver) -> None:
    with open_storage(tmp_path) as storage:
        queue_submissions(storage.db, 60, CIPHER, now=NOW)

    def run(owner: str) -> None:
        with open_storage(tmp_path) as own:  # each on its own connection, as the worker and the CLI are
            engine(own, receiver.url, Clock(), owner=owner).run_once()

    threads = [threading.Thread(target=run, args=(name,)) for name in ("worker", "sync-now", "third")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(receiver.attempts) == 60 and all(len(a) == 1 for a in receiver.attempts.values())


@pytest.mark.parametrize("skew_days", [730, -730])
def test_a_clock_two_years_off_still_finalises_and_delivers_over_tls(tmp_path: Path, skew_days: int) -> None:
    authority = Authority(tmp_path / "ca")
    wrong = NOW + dt.timedelta(days=skew_days)
    with running_receiver(authority.server_cert()) as receiver, open_storage(tmp_path / "data") as storage:
        queue_submissions(storage.db, 2, CIPHER, now=wrong)
        receiver.script.append((503, {}, b""))
        tls_engine = engine(storage, receiver.url, Clock(wrong), ca_bundle=authority.ca_file)
        assert receiver.url.startswith("https://")
        assert tls_engine.run_once().delivered == 1
        # Staff correct the clock: the retry scheduled by the wrong clock is due now, not in two years.
        assert engine(storage, receiver.url, Clock(NOW), ca_bundle=authority.ca_file).run_once().delivered == 1
        assert states(storage) == {"delivered": 2}
