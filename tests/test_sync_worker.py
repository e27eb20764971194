"""The delivery worker on its own thread, against a real receiver on loopback and a real database file: it wakes on
an enqueue and on the network coming back, retries on its timer, survives a failing pass and reports its status."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
import requests
from sqlite_utils import Database

from kiosk.crypto import PayloadCipher
from kiosk.outbox import counts
from kiosk.settings.model import EndpointSettings, RoutingSettings
from kiosk.storage import open_storage
from kiosk.storage.clock import utc_now
from sync.connectivity import ConnectivityMonitor, Probe, Target
from sync.engine import SyncEngine
from sync.snapshot import SyncSnapshot
from sync.transport import RestTransport
from sync.worker import SyncWorker
from tests.helpers import queue_submissions
from tests.receiver import Receiver, running_receiver

CIPHER = PayloadCipher(b"w" * 32)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as server:
        yield server


def opener(path: Path) -> Callable[[], AbstractContextManager[Database]]:
    @contextmanager
    def open_db() -> Iterator[Database]:
        with open_storage(path) as storage:
            yield storage.db

    return open_db


def engine_for(url: str) -> Callable[[Database], SyncEngine]:
    endpoint = EndpointSettings("gov", url, url.replace("submissions", "health"), read_timeout_seconds=2.0)
    return lambda db: SyncEngine(
        db,
        endpoints={"gov": endpoint},
        routing=RoutingSettings(default="gov"),
        cipher=lambda: CIPHER,
        transport=RestTransport(lambda name: None),
        owner="worker",
    )


def eventually(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


def queue(path: Path, n: int) -> list[str]:
    with open_storage(path) as storage:
        return queue_submissions(storage.db, n, CIPHER, now=utc_now())


def delivered(path: Path) -> int:
    with open_storage(path) as storage:
        return counts(storage.db).per_state.get("delivered", 0)


def test_a_saved_submission_wakes_the_worker_and_its_status_follows(tmp_path: Path, receiver: Receiver) -> None:
    worker = SyncWorker(opener(tmp_path), engine_for(receiver.url), idle_seconds=30)
    seen: list[SyncSnapshot] = []
    worker.status_changed.connect(seen.append)
    worker.start()
    try:
        eventually(lambda: worker.passes >= 1)
        queue(tmp_path, 3)
        worker.wake()  # what the kiosk does after each submission is saved
        eventually(lambda: delivered(tmp_path) == 3, timeout=5)  # far sooner than the 30 s idle timer
    finally:
        worker.stop()
    assert any(s.sending == 3 for s in seen)  # the header's "sending 3"
    assert worker.snapshot.pending == 0 and worker.snapshot.last_success is not None


def test_a_scheduled_retry_goes_on_the_timer_without_a_wake(tmp_path: Path, receiver: Receiver) -> None:
    queue(tmp_path, 1)
    receiver.script.append((503, {"Retry-After": "1"}, b""))
    worker = SyncWorker(opener(tmp_path), engine_for(receiver.url), idle_seconds=30)
    worker.start()
    try:
        eventually(lambda: delivered(tmp_path) == 1, timeout=8)
    finally:
        worker.stop()
    assert receiver.requests() == 2


def test_the_network_coming_back_wakes_the_worker(tmp_path: Path, receiver: Receiver) -> None:
    answers = ["offline"]

    def prober(session: requests.Session, health_url: str, **_: object) -> Probe:
        return Probe(answers[0], "scripted")  # type: ignore[arg-type]

    monitor = ConnectivityMonitor(requests.Session(), prober=prober)
    worker = SyncWorker(
        opener(tmp_path),
        engine_for(receiver.url),
        monitor=monitor,
        targets={"gov": Target("http://127.0.0.1:9/health")},
        idle_seconds=30,
        probe_seconds=0.2,
    )
    worker.start()
    try:
        eventually(lambda: worker.snapshot.connectivity == "offline")
        passes = worker.passes
        answers[0] = "online"
        eventually(lambda: worker.snapshot.connectivity == "online")
        eventually(lambda: worker.passes > passes)  # woken by the change, not by the 30 s timer
    finally:
        worker.stop()


def test_a_failing_pass_is_logged_and_the_worker_keeps_going(tmp_path: Path, receiver: Receiver) -> None:
    calls = []

    @contextmanager
    def flaky() -> Iterator[Database]:
        calls.append(1)
        if len(calls) == 1:
            raise OSError("disk unavailable for a moment")
        with open_storage(tmp_path) as storage:
            yield storage.db

    queue(tmp_path, 1)
    worker = SyncWorker(flaky, engine_for(receiver.url), idle_seconds=30, error_pause=0.1)
    worker.start()
    try:
        eventually(lambda: delivered(tmp_path) == 1)
    finally:
        worker.stop()
    assert len(calls) == 2


def test_stop_ends_the_thread_promptly(tmp_path: Path, receiver: Receiver) -> None:
    worker = SyncWorker(opener(tmp_path), engine_for(receiver.url), idle_seconds=60)
    worker.start()
    eventually(lambda: worker.passes >= 1)
    started = time.monotonic()
    worker.stop()
    assert time.monotonic() - started < 5  # woken, not left to finish its 60 s idle wait
    assert worker._thread is not None and not worker._thread.is_alive()
