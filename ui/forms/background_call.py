"""Run one piece of Qt-free work on a worker thread and get its outcome back on the GUI thread.

Sending a submission opens the database, seals the answers and waits for COMMIT (and the disk's fsync): on the GUI
thread that could freeze the screen mid-tap. `BackgroundCall.start(work)` runs `work()` on a daemon thread and emits
`finished(outcome)` on the thread this object lives in (the GUI thread), through a queued signal as `ui.bridge` does;
`outcome` is the returned value, or the exception it raised (which is never re-raised: the screen decides what to say).
If the screen is gone by then (the session ended), the outcome is dropped.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal

from kiosk.logs import safe_exception_summary

log = logging.getLogger(__name__)


class BackgroundCall(QObject):
    finished = Signal(object)  # the value `work` returned, or the exception it raised
    _done = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, work: Callable[[], object], name: str = "kiosk-background-call") -> None:
        if self.running:
            raise RuntimeError("a background call is already running")
        self._thread = threading.Thread(target=self._run, args=(work,), name=name, daemon=True)
        self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the worker thread (tests, shutdown); True when it has finished."""
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self, work: Callable[[], object]) -> None:
        outcome: object
        try:
            outcome = work()
        except Exception as exc:  # noqa: BLE001 - handed to the screen, which tells the citizen politely
            log.warning("background call failed: %s", safe_exception_summary(exc))
            outcome = exc
        try:
            self._done.emit(outcome)
        except RuntimeError:  # this object was deleted meanwhile (the session ended): nobody is waiting
            log.info("background call finished after its screen was closed")

    def _deliver(self, outcome: object) -> None:
        self.finished.emit(outcome)
