"""Runs the core's start-up work (opening the database, the integrity check) off the GUI thread after the first paint,
then its housekeeping (reloading a changed catalog, deleting expired drafts) every few minutes on the same thread.

Tasks are Qt-free callables that report through the core's Events and NoticeBoard. A failing task is logged by
exception type and place only (its message may hold personal data) and never stops the others or the app.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from kiosk.logs import safe_exception_summary

log = logging.getLogger(__name__)


HOUSEKEEPING_SECONDS = 300.0


class BackgroundTasks:
    def __init__(
        self,
        tasks: Sequence[Callable[[], None]],
        periodic: Sequence[Callable[[], None]] = (),
        interval_seconds: float = HOUSEKEEPING_SECONDS,
    ) -> None:
        self._tasks = tuple(tasks)
        self._periodic = tuple(periodic)
        self._interval = interval_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start once; later calls do nothing."""
        if self._thread is not None or not (self._tasks or self._periodic):
            return
        self._thread = threading.Thread(target=self._run, name="kiosk-background", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        for task in self._tasks:
            _run_one(task)
        log.info("background tasks finished")
        while self._periodic and not self._stop.wait(self._interval):
            for task in self._periodic:
                _run_one(task)

    def join(self, timeout: float) -> bool:
        """Stop the housekeeping and wait up to `timeout` seconds; True when nothing is left running."""
        self._stop.set()
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()


def _run_one(task: Callable[[], None]) -> None:
    name = getattr(task, "__qualname__", type(task).__name__)
    try:
        task()
    except Exception as exc:  # noqa: BLE001 - background work must never take the kiosk down
        log.error("background task %s failed: %s", name, safe_exception_summary(exc))
