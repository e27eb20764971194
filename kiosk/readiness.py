"""Whether this kiosk may accept submissions now, and if not, exactly why (for staff).

A kiosk without its encryption key, or whose database could not be opened, still starts — citizens can read and
learn — but must refuse to take personal data it cannot store safely. Every part that can block submissions reports
here; the submit flow asks `refusal()` before accepting anything, and staff see the same reasons as notices.
"""

from __future__ import annotations

import threading

from kiosk.events import Event


class Readiness:
    def __init__(self) -> None:
        self._blockers: dict[str, str] = {}
        self._lock = threading.Lock()
        self.changed: Event[tuple[str, ...]] = Event("readiness.changed")

    def block(self, part: str, reason: str) -> None:
        """`part` (e.g. "secrets", "database") cannot support submissions; `reason` is one sentence for staff."""
        with self._lock:
            self._blockers[part] = reason
            reasons = tuple(self._blockers.values())
        self.changed.emit(reasons)

    def clear(self, part: str) -> None:
        with self._lock:
            if self._blockers.pop(part, None) is None:
                return
            reasons = tuple(self._blockers.values())
        self.changed.emit(reasons)

    def refusal(self) -> str | None:
        """None when submissions may be accepted; otherwise every reason, one per line."""
        with self._lock:
            return "\n".join(self._blockers.values()) or None

    @property
    def accepting_submissions(self) -> bool:
        return self.refusal() is None
