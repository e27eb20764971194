"""The `staff-queue` screen's queue on the kiosk's own database (`database_queue`).

Kept apart from the screen because it needs no Qt: the composition root builds this queue for the staff home's counts
too, without loading the queue screen's widgets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database

    from kiosk.crypto import PayloadCipher
    from kiosk.queue_view import QueueService
    from kiosk.settings.model import RoutingSettings
    from kiosk.storage.clock import Clock


def database_queue(
    open_db: Callable[[], AbstractContextManager[Database]],
    *,
    endpoint_names: Sequence[str],
    export_dir: Path,
    cipher: Callable[[], PayloadCipher | None],
    routing: RoutingSettings | None = None,
    clock: Clock | None = None,
    queued_again: Callable[[], None] = lambda: None,
    audit: Callable[[str, Mapping[str, str | int | bool]], object] = lambda _kind, _detail: None,
) -> QueueService:
    """The kiosk's queue for this screen, with the sync layer's breaker states and its "resume" for paused endpoints
    (the core cannot import `sync`; the UI layer may)."""
    from kiosk.queue_view import QueueService
    from kiosk.storage.clock import utc_now
    from sync import breaker

    def resume(db: Database, endpoint: str, now: dt.datetime) -> None:
        breaker.resume(db, endpoint, now=now)

    return QueueService(
        open_db,
        endpoint_names=endpoint_names,
        export_dir=export_dir,
        cipher=cipher,
        routing=routing,
        clock=clock or utc_now,
        endpoint_states=breaker.states,
        resume_endpoint=resume,
        queued_again=queued_again,
        audit=audit,
    )
