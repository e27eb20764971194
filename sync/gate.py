"""Which endpoints a delivery batch may send to, decided before the batch is claimed.

An endpoint whose breaker is closed and which is not paused takes any number of items; one that is open (or paused
for its credentials) takes none until its probe time, then exactly one (`sync.breaker.allow` hands the probe to one
caller only). A probe that found nothing due is handed back, so the breaker neither stays half-open nor waits another
interval because nothing happened to be queued for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlite_utils import Database

from kiosk.outbox import Candidate
from kiosk.storage.clock import Clock
from sync import breaker


class EndpointGate:
    def __init__(
        self, db: Database, endpoints: Iterable[str], route: Callable[[Candidate], str | None], clock: Clock
    ) -> None:
        self._db, self._route, self._clock = db, route, clock
        states = {s.endpoint: s for s in breaker.states(db)}
        now = clock()
        self._budget: dict[str, int | None] = {}  # None: any number; 1: one probe; 0: none
        self._healthy: set[str] = set()
        for name in endpoints:
            state = states.get(name)
            if state is None or (state.breaker == "closed" and not state.failures and state.paused_reason is None):
                self._healthy.add(name)
            gated = state is not None and (state.breaker != "closed" or state.paused_reason is not None)
            self._budget[name] = (1 if breaker.allow(db, name, now=now) else 0) if gated else None
        self._used: set[str] = set()

    def healthy(self, name: str) -> bool:
        """Closed, no failures counted and not paused: a success has nothing to reset."""
        return name in self._healthy

    def accept(self, candidate: Candidate) -> bool:
        """Whether the batch takes this item (called by kiosk.outbox.claim_due for each due item, oldest first)."""
        name = self._route(candidate)
        if name is None:
            return False  # no endpoint configured for it: it waits, queued, and staff see why
        left = self._budget.get(name)
        if left is None:
            return True
        if left <= 0:
            return False
        self._budget[name] = left - 1
        self._used.add(name)
        return True

    def close(self) -> None:
        """Hand back probes that were taken but not used."""
        for name, left in self._budget.items():
            if left == 1 and name not in self._used:
                breaker.return_probe(self._db, name, now=self._clock())
