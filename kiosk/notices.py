"""Staff notices: what staff must know now (a recovered database, missing secrets, a full disk).

The board gathers notices from the core and tells its subscribers (the UI's notice bar) whenever the set changes.
Notices are plain data with a catalog key and parameters, never personal data: they are shown and logged.
"""

import threading
from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from kiosk.events import Event

NO_PARAMS: Mapping[str, str] = MappingProxyType({})  # read-only, so one shared default is safe


class StaffNotice(NamedTuple):
    id: str  # stable identity, e.g. "secrets" or "alert-7": re-posting replaces
    kind: str  # catalog key suffix: the UI shows the text `notice.<kind>`
    summary: str  # plain English for logs and the CLI
    params: Mapping[str, str] = NO_PARAMS
    persistent: bool = False  # True: stays until a member of staff acknowledges it


class NoticeBoard:
    """Thread-safe set of current notices; `changed` fires with the whole, ordered set after each change."""

    def __init__(self) -> None:
        self._notices: dict[str, StaffNotice] = {}
        self._lock = threading.Lock()
        self.changed: Event[tuple[StaffNotice, ...]] = Event("notices.changed")

    def post(self, notice: StaffNotice) -> None:
        with self._lock:
            if self._notices.get(notice.id) == notice:
                return
            self._notices[notice.id] = notice
            current = tuple(self._notices.values())
        self.changed.emit(current)

    def withdraw(self, notice_id: str) -> None:
        with self._lock:
            if self._notices.pop(notice_id, None) is None:
                return
            current = tuple(self._notices.values())
        self.changed.emit(current)

    def current(self) -> tuple[StaffNotice, ...]:
        with self._lock:
            return tuple(self._notices.values())
