"""The service catalog the kiosk shows now: loaded off the GUI thread after the first paint, read by every screen.

One provider lives as long as the process. `load` builds a new report and search index, then swaps them in as one
snapshot (a single attribute assignment), so a screen reading on the GUI thread never sees one catalog's report with
another's index, and never waits for a load. `changed` fires after each swap, on the loading thread: the UI receives
it through `ui.bridge.EventBridge`.

Importing this module is cheap on purpose: the kiosk creates its provider before the first paint, so the loader
(jsonschema) and the search index are imported inside `load`, on the background thread.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.events import Event

if TYPE_CHECKING:  # for annotations only: this module is imported before the first paint
    from typing import Literal, TypeAlias

    from kiosk.catalog.loader import CatalogReport
    from kiosk.catalog.model import LifeEvent, Service, ServiceCatalog
    from kiosk.catalog.search import SearchIndex

    ProviderState: TypeAlias = Literal["loading", "ready", "failed"]

DEFAULT_LIMIT = 10


class _Snapshot:
    """What the provider holds at one moment; replaced whole, never changed in place."""

    __slots__ = ("fingerprint", "index", "report", "state")

    def __init__(
        self,
        state: ProviderState,
        report: CatalogReport | None,
        index: SearchIndex | None,
        fingerprint: tuple[tuple[str, int, int], ...] = (),
    ) -> None:
        self.state = state
        self.report = report
        self.index = index
        self.fingerprint = fingerprint  # the files this snapshot was loaded from (names, sizes, times)


_LOADING = _Snapshot("loading", None, None)


class CatalogProvider:
    """`state` is "loading" until the first `load` ends, then "ready" (even with problems: what loaded is shown), or
    "failed" when loading raised before any catalog was ready (a later failed reload keeps the catalog it had)."""

    def __init__(self) -> None:
        self._snapshot = _LOADING
        self._load_lock = threading.Lock()  # two loads never interleave; the later one wins
        self.changed: Event[None] = Event("catalog.changed")

    # Reading (any thread) --------------------------------------------------------------------------------------------
    @property
    def state(self) -> ProviderState:
        return self._snapshot.state

    @property
    def report(self) -> CatalogReport | None:
        return self._snapshot.report

    @property
    def index(self) -> SearchIndex | None:
        return self._snapshot.index

    @property
    def catalog(self) -> ServiceCatalog | None:
        report = self._snapshot.report
        return report.catalog if report is not None else None

    def life_events(self) -> tuple[LifeEvent, ...]:
        """Life events in display order that have at least one service (an empty one would lead nowhere)."""
        catalog = self.catalog
        if catalog is None:
            return ()
        return tuple(event for event in catalog.life_events if catalog.services_for(event.id))

    def life_event(self, life_event_id: str | None) -> LifeEvent | None:
        catalog = self.catalog
        return catalog.life_event(life_event_id) if catalog is not None and life_event_id is not None else None

    def services_for(self, life_event_id: str | None) -> tuple[Service, ...]:
        catalog = self.catalog
        return catalog.services_for(life_event_id) if catalog is not None and life_event_id is not None else ()

    def service(self, service_id: str | None) -> Service | None:
        catalog = self.catalog
        return catalog.services.get(service_id) if catalog is not None and service_id is not None else None

    def search(self, query: str, lang: str | None = None, limit: int = DEFAULT_LIMIT) -> list[Service]:
        """Services best matching `query`, best first, searched in `lang` (the citizen's language); [] until ready."""
        snapshot = self._snapshot  # one read: the index and the services come from the same catalog
        if snapshot.index is None or snapshot.report is None or not query.strip():
            return []
        services = snapshot.report.catalog.services  # the index was built from exactly these services
        return [services[hit.service_id] for hit in snapshot.index.search(query, lang=lang, limit=limit)]

    # Loading (any thread, usually the start-up background thread) -----------------------------------------------------
    def load(self, directory: Path, cache_path: Path | None = None) -> None:
        """Load the catalog folder and build its index, swap both in, then emit `changed`.

        A bad file is a problem in the report, not an exception; an exception here is unexpected: it is re-raised after
        the state says "failed" (when there was no catalog yet), so the caller can report it.
        """
        error: Exception | None = None
        with self._load_lock:
            previous = self._snapshot
            try:
                self._snapshot = _build(directory, cache_path)
            except Exception as exc:  # noqa: BLE001 - re-raised below, once the state says what happened
                error = exc
                if previous.report is None:
                    self._snapshot = _Snapshot("failed", None, None)
            changed = self._snapshot is not previous
        if changed:  # outside the lock: a subscriber may read the provider (or even reload it)
            self.changed.emit(None)
        if error is not None:
            raise error

    def reload_if_changed(self, directory: Path, cache_path: Path | None = None) -> bool:
        """Load again when a definition file was added, removed or changed since the last load (a cheap directory
        scan, meant to run every few minutes off the GUI thread); True if it reloaded."""
        from kiosk.catalog.loader import catalog_fingerprint

        if self._snapshot.report is not None and catalog_fingerprint(directory) == self._snapshot.fingerprint:
            return False
        self.load(directory, cache_path)
        return True


def _build(directory: Path, cache_path: Path | None) -> _Snapshot:
    from kiosk.catalog.loader import catalog_fingerprint, load_catalog
    from kiosk.catalog.search import SearchIndex

    fingerprint = catalog_fingerprint(directory)  # before loading: a change during the load is seen next time
    report = load_catalog(directory, cache_path=cache_path)
    return _Snapshot("ready", report, SearchIndex.build(report.catalog.services.values()), fingerprint)
