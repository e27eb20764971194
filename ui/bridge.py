"""Core events -> Qt signals on the GUI thread.

The Qt-free core emits `kiosk.events.Event`s from whatever thread does the work (a background integrity check, a sync
worker). Widgets may only be touched on the GUI thread, so every core event reaches the UI through an `EventBridge`:
emitted on the GUI thread it is delivered at once; emitted elsewhere it is queued to the GUI thread's event loop.
"""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from kiosk.events import Event


class EventBridge(QObject):
    """Re-emits one core `Event` as the Qt signal `fired(payload)`, always on the thread this object lives in."""

    fired = Signal(object)
    _queued = Signal(object)

    def __init__(self, event: Event[Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._home_thread = threading.get_ident()  # created on the GUI thread, like every QObject of the UI
        # Signal to signal: a connection to `.emit` is never freed by PySide 6.11 (benchmarks/sessions.py).
        self._queued.connect(self.fired, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe = event.connect(self._relay)
        # A deleted bridge must not stay subscribed: the core would call into a dead C++ object.
        self.destroyed.connect(self._unsubscribe)

    def _relay(self, payload: object) -> None:
        if threading.get_ident() == self._home_thread:
            self.fired.emit(payload)
        else:
            self._queued.emit(payload)

    def close(self) -> None:
        """Stop listening to the core event (idempotent)."""
        self._unsubscribe()
