"""One delivery pass: claim what is due, send each item's frozen bytes to its endpoint, record what happened.

Shared by the kiosk's worker (sync/worker.py) and `citizen-kiosk sync now`; the outbox's lease keeps the two from
sending the same item. Decisions, in order:
- route: staff's re-route, else the configuration's routing (service, target, default); an unrouted item waits;
- gate: an endpoint paused for its credentials or whose breaker is open is not sent to (one probe when due);
- freeze: the sealed payload is opened and its SHA-256 checked against the one recorded at finalise: only those bytes
  ever leave (a mismatch or an unreadable payload is quarantined, never "repaired");
- classify and record: ACK keeps the receipt; RETRY is rescheduled with full jitter or the server's Retry-After;
  AUTH-PAUSE parks the item and pauses the endpoint; QUARANTINE parks it with the server's message (sealed).
Nothing here raises for a bad item: one poison record never stops the others.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import random
from collections.abc import Callable, Mapping
from functools import partial
from typing import NamedTuple

from sqlite_utils import Database

from kiosk.crypto import PayloadCipher, PayloadError
from kiosk.logs import safe_exception_summary
from kiosk.outbox import Candidate, Claim, claim_due, record_outcome, unclaim
from kiosk.outbox_staff import release_where
from kiosk.settings.model import EndpointSettings, RoutingSettings
from kiosk.storage.clock import Clock, utc_now
from kiosk.submissions import UnknownSubmissionError, read_payload
from sync import breaker
from sync.backoff import next_delay
from sync.classify import Classified, Outcome
from sync.transport import Transport

log = logging.getLogger(__name__)

LEASE_SECONDS = 120.0  # longer than one attempt's connect + read timeouts
BATCH = 20


class PassReport(NamedTuple):
    delivered: int = 0
    scheduled: int = 0
    quarantined: int = 0
    paused: int = 0

    def __add__(self, other: object) -> PassReport:
        assert isinstance(other, PassReport)
        return PassReport(*(a + b for a, b in zip(self, other, strict=True)))

    def line(self) -> str:
        return (
            f"delivered {self.delivered}, scheduled {self.scheduled}, quarantined {self.quarantined}, "
            f"paused {self.paused}"
        )


def server_message_context(submission_uuid: str) -> str:
    return f"server-message:{submission_uuid}"


class SyncEngine:
    def __init__(
        self,
        db: Database,
        *,
        endpoints: Mapping[str, EndpointSettings],
        routing: RoutingSettings,
        cipher: Callable[[], PayloadCipher | None],
        transport: Transport,
        owner: str,
        clock: Clock = utc_now,
        uniform: Callable[[float, float], float] = random.uniform,
    ) -> None:
        self._db, self._endpoints, self._routing = db, endpoints, routing
        self._cipher, self._transport, self._owner = cipher, transport, owner
        self._clock, self._uniform = clock, uniform

    def endpoint_of(self, candidate: Candidate) -> str | None:
        """The endpoint an item goes to, if it is configured."""
        name = candidate.endpoint or self._routing.endpoint_for(candidate.service_id, candidate.target)
        return name if name in self._endpoints else None

    def run_once(self, *, max_items: int | None = None, progress: Callable[[int], None] | None = None) -> PassReport:
        """Deliver everything due now (or up to `max_items`), batch after batch; the report of what happened.

        `progress(n)` is told the size of each batch before it is sent (the header's "sending N")."""
        cipher = self._cipher()
        if cipher is None:
            log.warning("delivery skipped: the payload key is not available")
            return PassReport()
        report = PassReport()
        handled = 0
        while max_items is None or handled < max_items:
            budget, used = self._open_endpoints(), set[str]()
            limit = BATCH if max_items is None else min(BATCH, max_items - handled)
            claims = claim_due(
                self._db,
                owner=self._owner,
                now=self._clock(),
                lease_seconds=LEASE_SECONDS,
                limit=limit,
                accept=partial(self._take, budget=budget, used=used),
            )
            self._return_unused_probes(budget, used)
            if not claims:
                break
            if progress is not None:
                progress(len(claims))
            blocked: set[str] = set()
            for claim in claims:
                report += self._handle(claim, cipher, blocked)
            handled += len(claims)
        return report

    def _open_endpoints(self) -> dict[str, int | None]:
        """Per endpoint how many items may go this batch: None = any, 1 = a probe, 0 = none."""
        budget: dict[str, int | None] = {}
        now = self._clock()
        for name in self._endpoints:
            state = next((s for s in breaker.states(self._db) if s.endpoint == name), None)
            gated = state is not None and (state.breaker != "closed" or state.paused_reason is not None)
            budget[name] = (1 if breaker.allow(self._db, name, now=now) else 0) if gated else None
        return budget

    def _take(self, candidate: Candidate, budget: dict[str, int | None], used: set[str]) -> bool:
        name = self.endpoint_of(candidate)
        if name is None:
            return False  # no endpoint configured for it: it waits, queued, and staff see why
        left = budget.get(name)
        if left is None:
            return True
        if left <= 0:
            return False
        budget[name] = left - 1
        used.add(name)
        return True

    def _return_unused_probes(self, budget: dict[str, int | None], used: set[str]) -> None:
        for name, left in budget.items():
            if left == 1 and name not in used:  # a probe was taken but nothing was due for it
                breaker.return_probe(self._db, name, now=self._clock())

    def _handle(self, claim: Claim, cipher: PayloadCipher, blocked: set[str]) -> PassReport:
        name = self.endpoint_of(Candidate(claim.service_id, claim.target, claim.endpoint))
        now = self._clock()
        if name is None or name in blocked:  # its endpoint was paused or opened earlier in this batch
            unclaim(self._db, claim.submission_uuid, owner=self._owner, now=now, due_at=now, reason="endpoint paused")
            return PassReport()
        body = self._frozen_bytes(claim, cipher)
        if body is None:
            return self._record(claim, name, cipher, _unreadable())
        try:
            result = self._transport.send(self._endpoints[name], submission_uuid=claim.submission_uuid, body=body)
        except Exception as error:  # noqa: BLE001 - a bug in an adapter must not stop the queue
            log.error("delivery to %s failed unexpectedly: %s", name, safe_exception_summary(error))
            result = Classified(Outcome.RETRY, "an unexpected error in the kiosk", True)
        return self._record(claim, name, cipher, result, blocked)

    def _frozen_bytes(self, claim: Claim, cipher: PayloadCipher) -> bytes | None:
        try:
            body = read_payload(self._db, claim.submission_uuid, cipher)
        except (PayloadError, UnknownSubmissionError):
            return None
        if claim.payload_sha256 is not None and hashlib.sha256(body).hexdigest() != claim.payload_sha256:
            return None  # never send bytes other than those frozen at finalise
        return body

    def _record(
        self, claim: Claim, endpoint: str, cipher: PayloadCipher, result: Classified, blocked: set[str] | None = None
    ) -> PassReport:
        now = self._clock()
        sealed = None
        if result.server_message:
            context = server_message_context(claim.submission_uuid)
            sealed = cipher.seal(result.server_message.encode("utf-8"), context=context)
        next_at = None
        if result.outcome is Outcome.RETRY:
            delay = next_delay(claim.attempts - 1, result.retry_after, uniform=self._uniform)
            next_at = now + dt.timedelta(seconds=delay)
        recorded = record_outcome(
            self._db,
            claim.submission_uuid,
            owner=self._owner,
            result=result.outcome.value,
            now=now,
            reason=f"{result.reason} ({endpoint})",
            next_attempt_at=next_at,
            receipt=result.receipt,
            server_message=sealed,
        )
        self._update_endpoint(endpoint, result, now, blocked)
        if not recorded:
            return PassReport()  # our lease was taken over: the other holder's result counts
        return PassReport(
            delivered=int(result.outcome is Outcome.ACK),
            scheduled=int(result.outcome is Outcome.RETRY),
            quarantined=int(result.outcome is Outcome.QUARANTINE),
            paused=int(result.outcome is Outcome.AUTH_PAUSE),
        )

    def _update_endpoint(self, endpoint: str, result: Classified, now: dt.datetime, blocked: set[str] | None) -> None:
        if result.outcome is Outcome.ACK:
            breaker.record_success(self._db, endpoint, now=now)
            released = release_where(
                self._db,
                lambda candidate: self.endpoint_of(candidate) == endpoint,
                now=now,
                reason=f"{endpoint} accepts the kiosk's credentials again",
            )
            if released:
                log.info("endpoint %s: %d paused submissions queued again", endpoint, released)
        elif result.outcome is Outcome.AUTH_PAUSE:
            breaker.pause(self._db, endpoint, now=now, reason=result.reason)
            if blocked is not None:
                blocked.add(endpoint)  # the rest of this batch would be refused too: keep it for later
        elif result.breaker:
            breaker.record_failure(self._db, endpoint, now=now, reason=result.reason)
            opened = next((s for s in breaker.states(self._db) if s.endpoint == endpoint), None)
            if blocked is not None and opened is not None and opened.breaker == "open":
                blocked.add(endpoint)


def _unreadable() -> Classified:
    reason = "the stored answers cannot be read or changed since they were saved (was the key replaced?)"
    return Classified(Outcome.QUARANTINE, reason, False)
