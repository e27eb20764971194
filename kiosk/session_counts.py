"""Today's citizen sessions for the staff console: how many ended, by how they ended; counts only, nothing personal.

`SessionTally` follows the one `CitizenSession`: each time it ends, the session is counted under the kind of its end
(finished = a form sent or saved, timeout, staff = ended by a staff member or a mediator, shutdown, other) on the
kiosk's local day of the end. A session counts only if the citizen did something: showed a citizen screen other than
home (the composition root reports each screen shown) or changed the language, text size, colours or read aloud. So an
untouched kiosk shutting down, or a stray tap on home followed by an idle timeout, is no session; a finished session
always counts (finishing needs activity anyway).

`SessionCounts` keeps the counts in the kiosk database (table `session_counts`, migration 9: day, kind, count), so a
restart keeps today's numbers. Each write opens the database, adds one in a short transaction and closes it, like the
submission desk: safe from any thread, and the tally hands its writes to `run` (a background worker on the kiosk).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from pathlib import Path

from kiosk.events import Event
from kiosk.logs import safe_exception_summary
from kiosk.session import CitizenSession, Presentation

log = logging.getLogger(__name__)

FINISHED = "finished"
TIMEOUT = "timeout"
STAFF = "staff"
SHUTDOWN = "shutdown"
OTHER = "other"
KINDS: tuple[str, ...] = (FINISHED, TIMEOUT, STAFF, SHUTDOWN, OTHER)  # the order the console lists them in
# Words in an end reason that mean a staff member or mediator ended it ("staff", "assist-end", "mediator ended"...).
_STAFF_WORDS = ("staff", "assist", "mediat")
# Screens that are no sign of a citizen using the kiosk: home itself, the idle warning (it comes by itself) and the
# staff area (a staff member signing in is not a citizen session).
QUIET_SCREENS = frozenset({"home", "idle-warning"})
STAFF_SCREEN_PREFIX = "staff-"


def kind_of(reason: str) -> str:
    """The kind a session's end reason is counted under (one of KINDS)."""
    word = reason.strip().lower()
    if word in (FINISHED, TIMEOUT, SHUTDOWN):
        return word
    if any(part in word for part in _STAFF_WORDS):
        return STAFF
    return OTHER


def is_citizen_screen(name: str) -> bool:
    """Whether showing screen `name` means someone is using the kiosk as a citizen (or with a mediator)."""
    return name not in QUIET_SCREENS and not name.startswith(STAFF_SCREEN_PREFIX)


def local_now() -> dt.datetime:
    """The kiosk's local time: "today" is the site's day, not UTC's."""
    return dt.datetime.now().astimezone()


class SessionCounts:
    """The per-day counts in `data_dir`'s kiosk database; each call opens and closes the database."""

    def __init__(self, data_dir: Path) -> None:
        self._data_dir = data_dir

    def add(self, day: dt.date, kind: str) -> None:
        """Count one session of `kind` on `day` (one short write transaction)."""
        if kind not in KINDS:
            raise ValueError(f"unknown session kind {kind!r}; kinds: {', '.join(KINDS)}")
        from kiosk.storage import open_storage

        with open_storage(self._data_dir) as storage, storage.write() as db:
            db.conn.execute(
                "INSERT INTO session_counts (day, kind, count) VALUES (?, ?, 1) "
                "ON CONFLICT (day, kind) DO UPDATE SET count = count + 1",
                [day.isoformat(), kind],
            )

    def on(self, day: dt.date) -> dict[str, int]:
        """{kind: count} for `day`, only the kinds that happened."""
        from kiosk.storage import open_storage

        with open_storage(self._data_dir) as storage:
            rows = storage.db.conn.execute(
                "SELECT kind, count FROM session_counts WHERE day = ? AND count > 0", [day.isoformat()]
            ).fetchall()
        return {str(kind): int(count) for kind, count in rows}


def total(counts: Mapping[str, int]) -> int:
    return sum(counts.values())


class SessionTally:
    """Counts each ended session of `session` that had activity; `record(day, kind)` stores it (through `run`)."""

    def __init__(
        self,
        session: CitizenSession,
        record: Callable[[dt.date, str], None],
        *,
        run: Callable[[Callable[[], None]], object] = lambda work: work(),
        clock: Callable[[], dt.datetime] = local_now,
    ) -> None:
        self._session = session
        self._record = record
        self._run = run
        self._clock = clock
        self.active = False
        self.counted: Event[str] = Event("session_counts.counted")  # payload: the kind (tests and the console)
        self._unsubscribe = [
            session.ended.connect(self._on_ended),
            session.presentation_changed.connect(self._on_presentation),
        ]

    def screen_shown(self, name: str) -> None:
        """The window showed screen `name` (the composition root connects the window's `screen_changed`)."""
        if is_citizen_screen(name):
            self.active = True

    def close(self) -> None:
        """Stop following the session."""
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []

    def _on_presentation(self, presentation: Presentation) -> None:
        # A session's end puts the defaults back (and says so): that is no citizen's doing.
        if presentation != self._session.defaults:
            self.active = True

    def _on_ended(self, reason: str) -> None:
        kind = kind_of(reason)
        counted = self.active or kind == FINISHED
        self.active = False
        if not counted:
            return
        day = self._clock().date()  # the day it ended, even if the write waits behind another
        self._run(lambda: self._write(day, kind))
        self.counted.emit(kind)

    def _write(self, day: dt.date, kind: str) -> None:
        try:
            self._record(day, kind)
        except Exception as exc:  # noqa: BLE001 - a lost count must never disturb the kiosk; staff see the rest
            log.warning("could not count a session: %s", safe_exception_summary(exc))
