"""The one event mechanism of the Qt-free layers: plain, typed callbacks.

The UI subscribes and re-emits as Qt signals (see `ui.bridge`); the core never knows Qt exists.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from kiosk.logs import safe_exception_summary

T = TypeVar("T")

log = logging.getLogger(__name__)


class Event(Generic[T]):
    """A named event that carries one payload of type T to every subscriber.

    Subscribers run synchronously in the emitting thread, in subscription order. A failing subscriber is logged (by
    exception type and place only: payloads may hold personal data) and does not stop the others.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self._subscribers: list[Callable[[T], None]] = []
        self._lock = threading.Lock()

    def connect(self, callback: Callable[[T], None]) -> Callable[[], None]:
        """Subscribe; returns a function that unsubscribes."""
        with self._lock:
            self._subscribers.append(callback)
        return lambda: self.disconnect(callback)

    def disconnect(self, callback: Callable[[T], None]) -> None:
        with self._lock:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

    def emit(self, payload: T) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for callback in subscribers:
            try:
                callback(payload)
            except Exception as exc:  # noqa: BLE001 - one bad subscriber must not silence the rest
                log.error("subscriber of %s failed: %s", self.name, safe_exception_summary(exc))

    def __len__(self) -> int:
        return len(self._subscribers)
