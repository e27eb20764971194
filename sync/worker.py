"""The kiosk's delivery worker: a Qt-free thread that runs delivery passes when there may be something to send.

It wakes on an enqueue (`wake()` after a submission is saved), on "sync now" (staff), on a connectivity change (the
monitor's event) and on a timer: the earliest scheduled retry, capped at `IDLE_SECONDS` so a probe time or an expired
lease is never missed for long. Waiting uses `threading.Event.wait`, i.e. a monotonic clock: a wall clock that jumps
neither stalls the queue nor makes it spin. After every pass and connectivity change it emits a `SyncSnapshot`
(`status_changed`), which the UI bridges to the header indicator. It never raises out of its thread: a failing pass
is logged (type and place only) and retried after a pause.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager

from sqlite_utils import Database

from kiosk.events import Event
from kiosk.logs import safe_exception_summary
from kiosk.outbox import counts
from kiosk.storage.clock import Clock, utc_now
from sync.connectivity import Connectivity, ConnectivityMonitor, Target
from sync.engine import PassReport, SyncEngine
from sync.snapshot import SyncSnapshot

log = logging.getLogger(__name__)

IDLE_SECONDS = 60.0  # the longest sleep: breaker probes, auth probes and expired leases are looked at this often
PROBE_SECONDS = 60.0  # how often endpoints' health is probed
MIN_WAIT_SECONDS = 0.2  # never spin, even if a retry is already due
ERROR_PAUSE_SECONDS = 30.0

OpenDatabase = Callable[[], AbstractContextManager[Database]]
EngineFactory = Callable[[Database], SyncEngine]


class SyncWorker:
    def __init__(
        self,
        open_db: OpenDatabase,
        engine_for: EngineFactory,
        *,
        monitor: ConnectivityMonitor | None = None,
        targets: Mapping[str, Target] | None = None,
        clock: Clock = utc_now,
        monotonic: Callable[[], float] = time.monotonic,
        idle_seconds: float = IDLE_SECONDS,
        probe_seconds: float = PROBE_SECONDS,
        error_pause: float = ERROR_PAUSE_SECONDS,
    ) -> None:
        self._open_db, self._engine_for = open_db, engine_for
        self._monitor, self._targets = monitor, dict(targets or {})
        self._clock, self._monotonic = clock, monotonic
        self._idle, self._probe_every, self._error_pause = idle_seconds, probe_seconds, error_pause
        self.status_changed: Event[SyncSnapshot] = Event("sync-status-changed")
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._snapshot = SyncSnapshot()
        self.passes = 0  # completed passes (tests and diagnostics)
        if monitor is not None:
            monitor.changed.connect(self._connectivity_changed)

    @property
    def snapshot(self) -> SyncSnapshot:
        with self._lock:
            return self._snapshot

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="sync-worker", daemon=True)
            self._thread.start()

    def wake(self) -> None:
        """Something may be due (a submission was saved, staff asked to sync, the network came back)."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        """Finish the attempt under way (its result is recorded) and end the thread."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        next_probe = self._monotonic()
        while not self._stop.is_set():
            try:
                with self._open_db() as db:
                    next_probe = self._serve(db, next_probe)
            except Exception as error:  # noqa: BLE001 - the worker outlives any failure; it is logged and retried
                log.error("delivery worker: %s; retrying in %.0f s", safe_exception_summary(error), self._error_pause)
                self._wake.wait(self._error_pause)
                self._wake.clear()

    def _serve(self, db: Database, next_probe: float) -> float:
        engine = self._engine_for(db)
        try:
            return self._serve_with(engine, db, next_probe)
        finally:
            engine.close()

    def _serve_with(self, engine: SyncEngine, db: Database, next_probe: float) -> float:
        while not self._stop.is_set():
            if self._monitor is not None and self._targets and self._monotonic() >= next_probe:
                self._monitor.check(self._targets)
                next_probe = self._monotonic() + self._probe_every
            self._wake.clear()  # a wake-up from now on is seen after this pass
            report = engine.run_once(progress=lambda n: self._publish(db, sending=n))
            self.passes += 1
            if report != PassReport():
                log.info("delivery pass: %s", report.line())
            self._publish(db, sending=0)
            wait = min(self._until_next_retry(db), next_probe - self._monotonic(), self._idle)
            self._wake.wait(max(wait, MIN_WAIT_SECONDS))
        return next_probe

    def _until_next_retry(self, db: Database) -> float:
        row = db.conn.execute(
            "SELECT min(next_attempt_at) FROM outbox WHERE state = 'retry-scheduled' AND next_attempt_at IS NOT NULL"
        ).fetchone()
        if row is None or row[0] is None:
            return self._idle
        due = dt.datetime.fromisoformat(str(row[0]).replace("Z", "+00:00"))
        return (due - self._clock()).total_seconds()

    def _publish(self, db: Database, *, sending: int) -> None:
        queue = counts(db)
        per_state = queue.per_state
        connectivity = self._monitor.state if self._monitor is not None else "unknown"
        snapshot = SyncSnapshot(
            connectivity=connectivity,
            sending=sending,
            pending=sum(per_state.get(s, 0) for s in ("queued", "retry-scheduled", "sending")),
            parked=sum(per_state.get(s, 0) for s in ("quarantined", "auth-paused")),
            last_success=queue.last_delivered_at,
        )
        self._set(snapshot)

    def _connectivity_changed(self, connectivity: Connectivity) -> None:
        overall = connectivity.state
        with self._lock:
            snapshot = self._snapshot._replace(connectivity=overall)
        self._set(snapshot)
        if overall == "online":
            self.wake()  # the network is back: what waited may go now

    def _set(self, snapshot: SyncSnapshot) -> None:
        with self._lock:
            changed, self._snapshot = snapshot != self._snapshot, snapshot
        if changed:
            self.status_changed.emit(snapshot)
