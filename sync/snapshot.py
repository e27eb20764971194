"""What the header indicator and the staff screen show of delivery: one small immutable record, emitted on change.

The worker (sync/worker.py) emits a `SyncSnapshot` through a `kiosk.events.Event` after every pass and on every
connectivity change; the UI bridges it to a Qt signal (ui.bridge). No personal data: counts and states only.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

ConnectivityState = Literal["unknown", "online", "offline", "captive-portal"]  # also sync.connectivity.Overall


class SyncSnapshot(NamedTuple):
    connectivity: ConnectivityState = "unknown"
    sending: int = 0  # items being sent in the pass under way
    pending: int = 0  # waiting to be sent: queued, scheduled for a retry, or being sent
    parked: int = 0  # quarantined or paused: waiting for staff
    last_success: str | None = None  # ISO-8601 UTC of the last delivery

    @property
    def headline(self) -> Literal["online", "offline", "sending", "captive-portal"]:
        """The header's one word: sending beats the rest; unknown reads as offline until a probe says otherwise."""
        if self.sending:
            return "sending"
        if self.connectivity in ("online", "captive-portal"):
            return self.connectivity
        return "offline"
