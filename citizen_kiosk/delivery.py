"""Builds the delivery side from the configuration: the engine for one database connection, and the kiosk's worker.

Part of the composition root (no Qt): `sync now` uses the engine directly, the GUI starts the worker after its first
paint. requests and the sync layer are imported inside the functions, off the kiosk's start-up path. The payload key
is read from the secrets backend at each pass (never kept between passes), so a key restored by staff just works.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING

from citizen_kiosk.wiring import Context, open_secrets

if TYPE_CHECKING:
    from sqlite_utils import Database

    from kiosk.crypto import PayloadCipher
    from sync.connectivity import Target
    from sync.engine import SyncEngine
    from sync.worker import SyncWorker


def payload_cipher(context: Context) -> Callable[[], PayloadCipher | None]:
    """The payload cipher, read from the secrets backend at each call (never held between uses)."""

    def cipher() -> PayloadCipher | None:
        from kiosk.crypto import PayloadCipher

        key = open_secrets(context).payload_key()
        return PayloadCipher(key) if key is not None else None

    return cipher


def database_opener(context: Context) -> Callable[[], AbstractContextManager[Database]]:
    """Opens the kiosk's database on a connection of the calling thread's own, closed when the block ends."""

    @contextmanager
    def open_db() -> Iterator[Database]:
        from kiosk.storage import open_storage

        with open_storage(context.data_dir.path) as storage:
            yield storage.db

    return open_db


def engine_factory(context: Context, *, owner: str) -> Callable[[Database], SyncEngine]:
    """A function that builds the delivery engine for one database connection (each thread opens its own)."""
    from sync.engine import SyncEngine
    from sync.transport import RestTransport

    secrets = open_secrets(context)
    transport = RestTransport(secrets.get)
    cipher = payload_cipher(context)

    def build(db: Database) -> SyncEngine:
        return SyncEngine(
            db,
            endpoints=context.config.endpoints,
            routing=context.config.routing,
            cipher=cipher,
            transport=transport,
            owner=f"{owner}-{os.getpid()}",
        )

    return build


def health_targets(context: Context) -> dict[str, Target]:
    """What the connectivity monitor probes: each configured endpoint's health URL, with its TLS settings."""
    from sync.connectivity import Target

    targets = {}
    for name, endpoint in context.config.endpoints.items():
        cert = (str(endpoint.client_cert), str(endpoint.client_key)) if endpoint.client_cert else None
        timeouts = (min(endpoint.connect_timeout_seconds, 5.0), min(endpoint.read_timeout_seconds, 10.0))
        ca = str(endpoint.ca_bundle) if endpoint.ca_bundle else None
        targets[name] = Target(endpoint.health_url, ca, cert, timeouts)
    return targets


def build_worker(context: Context) -> SyncWorker:
    """The kiosk's delivery worker (not started): its own database connection, engine, and connectivity monitor."""
    import requests

    from sync.connectivity import ConnectivityMonitor
    from sync.worker import SyncWorker

    return SyncWorker(
        database_opener(context),
        engine_factory(context, owner=f"{context.config.site.kiosk_id}-worker"),
        monitor=ConnectivityMonitor(requests.Session()),
        targets=health_targets(context),
    )


class DeliveryService:
    """The GUI's handle on delivery: the worker is built and started by a background task after the first paint
    (importing requests and the sync layer costs time the first frame must not pay), woken after each submission,
    stopped at shutdown. `status` relays the worker's snapshots (the UI bridges it to the header indicator)."""

    def __init__(self, context: Context) -> None:
        from kiosk.events import Event  # cheap, stdlib only

        self._context = context
        self._worker: SyncWorker | None = None
        self.status: Event[object] = Event("delivery-status")

    def start_task(self) -> Callable[[], None]:
        def task() -> None:
            if not self._context.config.endpoints:  # nothing to deliver to: submissions wait, saved here
                from sync.snapshot import SyncSnapshot

                self.status.emit(SyncSnapshot(connectivity="offline"))
                return
            worker = build_worker(self._context)
            worker.status_changed.connect(self.status.emit)
            worker.start()
            self._worker = worker

        return task

    def wake(self) -> None:
        if self._worker is not None:
            self._worker.wake()

    def stop(self) -> None:
        if self._worker is not None:
            self._worker.stop()
