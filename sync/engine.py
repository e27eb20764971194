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
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import NamedTuple

from sqlite_utils import Database

from kiosk.crypto import PayloadCipher, PayloadError
from kiosk.logs import safe_exception_summary
from kiosk.outbox import Candidate, Claim, claim_due, record_outcomes, unclaim
from kiosk.outbox import Outcome as RecordedOutcome
from kiosk.outbox_staff import release_where
from kiosk.settings.model import EndpointSettings, RoutingSettings
from kiosk.storage.clock import Clock, utc_now
from kiosk.submissions import UnknownSubmissionError, read_payload
from sync import breaker
from sync.backoff import next_delay
from sync.classify import Classified, Outcome
from sync.gate import EndpointGate
from sync.transport import Transport

log = logging.getLogger(__name__)

MIN_LEASE_SECONDS = 120.0
BATCH = 32
CONCURRENCY = 4  # parallel connections to a healthy endpoint: remote APIs answer in 100s of ms, a queue is long


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
        concurrency: int = CONCURRENCY,
    ) -> None:
        self._db, self._endpoints, self._routing = db, endpoints, routing
        self._cipher, self._transport, self._owner = cipher, transport, owner
        self._clock, self._uniform = clock, uniform
        self._concurrency = max(1, concurrency)
        self._pool: ThreadPoolExecutor | None = None  # made when a healthy endpoint first has several items
        self._healthy: set[str] = set()  # endpoints closed, without failures and not paused: nothing to reset

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
            gate = EndpointGate(self._db, self._endpoints, self.endpoint_of, self._clock)
            self._healthy = {name for name in self._endpoints if gate.healthy(name)}
            limit = BATCH if max_items is None else min(BATCH, max_items - handled)
            claims = claim_due(
                self._db,
                owner=self._owner,
                now=self._clock(),
                lease_seconds=self._lease_seconds(limit),
                limit=limit,
                accept=gate.accept,
            )
            gate.close()
            if not claims:
                break
            if progress is not None:
                progress(len(claims))
            report += self._deliver_batch(claims, cipher)
            handled += len(claims)
        return report

    def _lease_seconds(self, limit: int) -> float:
        """Longer than the slowest possible batch (every attempt taking its full timeouts), so that a lease never
        expires while its holder is still sending: only a crashed holder's items are taken over."""
        slowest = max((e.connect_timeout_seconds + e.read_timeout_seconds for e in self._endpoints.values()), default=0)
        rounds = -(-limit // self._concurrency) + 1
        return max(MIN_LEASE_SECONDS, rounds * slowest)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    def _parallel(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self._concurrency, thread_name_prefix="sync-send")
        return self._pool

    def _send_item(self, name: str, item: tuple[Claim, bytes | None]) -> tuple[Claim, Classified]:
        return item[0], self._send(name, *item)

    def _deliver_batch(self, claims: list[Claim], cipher: PayloadCipher) -> PassReport:
        """Per endpoint: one item first; if it is delivered the rest go in parallel (a healthy endpoint is used at
        full speed), otherwise one by one, stopping as soon as the endpoint is paused or its breaker opens."""
        groups: dict[str, list[Claim]] = {}
        for claim in claims:
            name = self.endpoint_of(Candidate(claim.service_id, claim.target, claim.endpoint))
            if name is None:  # the configuration changed since the claim: give it back
                self._give_back(claim, "no endpoint is configured for it")
                continue
            groups.setdefault(name, []).append(claim)
        report = PassReport()
        for name, group in groups.items():
            first, rest = group[0], group[1:]
            result = self._send(name, first, self._frozen_bytes(first, cipher))
            if result.outcome is Outcome.ACK and rest:
                # Payloads are read here (the connection belongs to this thread); only the HTTP goes in parallel.
                bodies = [(claim, self._frozen_bytes(claim, cipher)) for claim in rest]
                results = list(self._parallel().map(partial(self._send_item, name), bodies))
                report += self._record(name, [(first, result), *results], cipher)  # one transaction
                continue
            report += self._record(name, [(first, result)], cipher)
            for claim in rest:
                if self._blocked(name):
                    self._give_back(claim, f"{name} is paused or not reachable")
                    continue
                report += self._record(
                    name, [(claim, self._send(name, claim, self._frozen_bytes(claim, cipher)))], cipher
                )
        return report

    def _send(self, name: str, claim: Claim, body: bytes | None) -> Classified:
        if body is None:
            return _unreadable()
        try:
            return self._transport.send(self._endpoints[name], submission_uuid=claim.submission_uuid, body=body)
        except Exception as error:  # noqa: BLE001 - a bug in an adapter must not stop the queue
            log.error("delivery to %s failed unexpectedly: %s", name, safe_exception_summary(error))
            return Classified(Outcome.RETRY, "an unexpected error in the kiosk", True)

    def _frozen_bytes(self, claim: Claim, cipher: PayloadCipher) -> bytes | None:
        try:
            body = read_payload(self._db, claim.submission_uuid, cipher)
        except (PayloadError, UnknownSubmissionError):
            return None
        if claim.payload_sha256 is not None and hashlib.sha256(body).hexdigest() != claim.payload_sha256:
            return None  # never send bytes other than those frozen at finalise
        return body

    def _give_back(self, claim: Claim, reason: str) -> None:
        now = self._clock()
        unclaim(self._db, claim.submission_uuid, owner=self._owner, now=now, due_at=now, reason=reason)

    def _blocked(self, name: str) -> bool:
        state = next((s for s in breaker.states(self._db) if s.endpoint == name), None)
        return state is not None and (state.breaker == "open" or state.paused_reason is not None)

    def _record(self, endpoint: str, results: list[tuple[Claim, Classified]], cipher: PayloadCipher) -> PassReport:
        """Record a group's results in one transaction, then update the endpoint's breaker or pause once."""
        now = self._clock()
        outcomes = [self._outcome(claim, result, endpoint, cipher, now) for claim, result in results]
        applied = record_outcomes(self._db, outcomes, owner=self._owner, now=now)
        for _, result in results:
            if result.outcome is not Outcome.ACK:
                self._endpoint_failed(endpoint, result, now)
                self._healthy.discard(endpoint)
        if any(result.outcome is Outcome.ACK for _, result in results) and endpoint not in self._healthy:
            self._endpoint_works(endpoint, now)  # only when there is something to reset: no write per batch
            self._healthy.add(endpoint)
        report = PassReport()
        for (_, result), recorded in zip(results, applied, strict=True):
            if recorded:  # else our lease was taken over: the other holder's result counts
                report += PassReport(
                    delivered=int(result.outcome is Outcome.ACK),
                    scheduled=int(result.outcome is Outcome.RETRY),
                    quarantined=int(result.outcome is Outcome.QUARANTINE),
                    paused=int(result.outcome is Outcome.AUTH_PAUSE),
                )
        return report

    def _outcome(
        self, claim: Claim, result: Classified, endpoint: str, cipher: PayloadCipher, now: dt.datetime
    ) -> RecordedOutcome:
        sealed = None
        if result.server_message:
            context = server_message_context(claim.submission_uuid)
            sealed = cipher.seal(result.server_message.encode("utf-8"), context=context)
        next_at = None
        if result.outcome is Outcome.RETRY:
            delay = next_delay(claim.attempts - 1, result.retry_after, uniform=self._uniform)
            next_at = now + dt.timedelta(seconds=delay)
        reason = f"{result.reason} ({endpoint})"
        return RecordedOutcome(claim.submission_uuid, result.outcome.value, reason, next_at, result.receipt, sealed)

    def _endpoint_works(self, endpoint: str, now: dt.datetime) -> None:
        breaker.record_success(self._db, endpoint, now=now)
        released = release_where(
            self._db,
            lambda candidate: self.endpoint_of(candidate) == endpoint,
            now=now,
            reason=f"{endpoint} accepts the kiosk's credentials again",
        )
        if released:
            log.info("endpoint %s: %d paused submissions queued again", endpoint, released)

    def _endpoint_failed(self, endpoint: str, result: Classified, now: dt.datetime) -> None:
        if result.outcome is Outcome.AUTH_PAUSE:
            breaker.pause(self._db, endpoint, now=now, reason=result.reason)
        elif result.breaker:
            breaker.record_failure(self._db, endpoint, now=now, reason=result.reason)


def _unreadable() -> Classified:
    reason = "the stored answers cannot be read or changed since they were saved (was the key replaced?)"
    return Classified(Outcome.QUARANTINE, reason, False)
