"""The staff queue screen's Qt-free half: what it shows, in plain words, and what its buttons do.

- `QueueService` is the screen's one dependency. It opens the database for each read or action (single-row work,
  quick enough for the GUI thread) and reaches the sync layer's circuit breaker through two functions it is given,
  because the core never imports `sync`. `ui.screens.staff_queue_source.database_queue` builds it with those functions.
- `queue_rows`, `summary_line` and `endpoint_lines` turn `QueueItem`s, counts and breaker states into display text
  through a translate function `t(key, **params)`. A row shows reference, service, state, age, attempts and the last
  problem in words chosen from a fixed list (`PROBLEM_KEYS`): never an answer, never the server's own message (servers
  echo answers), never free text read from the database.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple, Protocol

from sqlite_utils import Database

from kiosk.crypto import PayloadCipher
from kiosk.export import MIN_PASSPHRASE_CHARS, ExportError, export_submission
from kiosk.outbox import QueueCounts, counts, release
from kiosk.outbox_staff import QueueItem, queue_items, reroute
from kiosk.settings.model import RoutingSettings
from kiosk.storage.clock import Clock, utc_now

Translate = Callable[..., str]
OpenDatabase = Callable[[], AbstractContextManager[Database]]
WAITING_STATES = ("queued", "retry-scheduled", "sending")
ATTENTION_STATES = ("quarantined", "auth-paused")
RETRY_STATES = ("quarantined", "auth-paused", "retry-scheduled")  # what kiosk.outbox.release accepts
LIMIT = 500
SEPARATOR = " · "
LRI, PDI = "\u2066", "\u2069"  # left-to-right isolate: references and times keep their order inside Arabic

# The sync layer's reasons (sync.classify, sync.engine), as recorded in `outbox.last_error`, and the catalog key of
# each one's plain words. A reason not listed here is shown by its state's general words: never as stored.
PROBLEM_KEYS = {
    "the server refused the kiosk's credentials": "credentials",
    "the server timed out waiting for the request": "server_timeout",
    "the server is still handling an earlier attempt": "in_flight",
    "the server has the submission locked for now": "locked",
    "the server asked the kiosk to slow down": "slow_down",
    "the server had a problem": "server_problem",
    "the submission is too large for the server": "too_large",
    "the server does not know this service or version": "unknown_service",
    "the server rejected the answers": "rejected_answers",
    "the server refused the submission": "refused",
    "the server gave an unexpected answer": "unexpected_answer",
    "the server could not be reached in time": "unreachable",
    "the server did not answer in time": "no_answer",
    "the connection was cut": "connection_cut",
    "the secure connection failed": "tls",
    "the secure connection failed: check this kiosk's date and time": "tls_clock",
    "an answer without a receipt (a network login page?)": "captive_portal",
    "an unexpected error in the kiosk": "kiosk_error",
    "the stored answers cannot be read or changed since they were saved (was the key replaced?)": "unreadable",
}
_STATE_PROBLEM = {"quarantined": "held_back", "auth-paused": "credentials"}
_ENDPOINT_SUFFIX = re.compile(r" \([^()]*\)$")  # the engine appends " (endpoint name)" to every reason


class EndpointHealth(Protocol):
    """What the screen reads of one endpoint's breaker (`sync.breaker.BreakerState` has these fields)."""

    @property
    def endpoint(self) -> str: ...
    @property
    def breaker(self) -> str: ...
    @property
    def next_probe_at(self) -> str | None: ...
    @property
    def paused_reason(self) -> str | None: ...
    @property
    def paused_until(self) -> str | None: ...


class QueueView(NamedTuple):
    items: Sequence[QueueItem]  # parked first, then oldest first (kiosk.outbox_staff.queue_items)
    counts: QueueCounts
    endpoints: Sequence[EndpointHealth]
    now: dt.datetime


class QueueSource(Protocol):
    """What the staff queue screen needs: `QueueService` on a kiosk, a fixed sample for pictures."""

    @property
    def endpoint_names(self) -> tuple[str, ...]: ...
    @property
    def export_dir(self) -> Path: ...
    def view(self) -> QueueView: ...
    def retry_now(self, submission_uuid: str) -> bool: ...
    def reroute(self, submission_uuid: str, endpoint: str) -> bool: ...
    def export(self, submission_uuid: str, passphrase: str, directory: Path) -> Path: ...


class QueueRow(NamedTuple):
    submission_uuid: str
    reference: str
    state: str
    title: str  # reference · service
    details: str  # state · age · attempts, then the last problem and a re-route, one per line

    @property
    def spoken(self) -> str:
        """The whole row in one line, for assistive technology."""
        return f"{self.title}. {self.details.replace(chr(10), '. ')}"

    @property
    def can_retry(self) -> bool:
        return self.state in RETRY_STATES

    @property
    def can_reroute(self) -> bool:
        return self.state not in ("delivered", "sending")

    @property
    def can_export(self) -> bool:
        return self.state == "quarantined"


def _no_states(_db: Database) -> Sequence[EndpointHealth]:
    return ()


class QueueService:
    """The queue of one kiosk database, for the staff screen. Every call opens the database, works, closes it."""

    def __init__(
        self,
        open_db: OpenDatabase,
        *,
        endpoint_names: Iterable[str],
        export_dir: Path,
        cipher: Callable[[], PayloadCipher | None],
        routing: RoutingSettings | None = None,
        clock: Clock = utc_now,
        endpoint_states: Callable[[Database], Sequence[EndpointHealth]] = _no_states,
        resume_endpoint: Callable[[Database, str, dt.datetime], None] | None = None,
        queued_again: Callable[[], None] = lambda: None,
        audit: Callable[[str, Mapping[str, str | int | bool]], object] = lambda _kind, _detail: None,
    ) -> None:
        self._open_db, self._cipher, self._clock = open_db, cipher, clock
        self._audit = audit  # (kind, detail): the staff audit log (kiosk.audit); the wiring adds who is signed in
        self._queued_again = queued_again  # wakes the delivery worker: what staff queued again goes at once
        self._routing = routing or RoutingSettings()
        self._states, self._resume = endpoint_states, resume_endpoint
        self._names = tuple(endpoint_names)
        self._export_dir = export_dir

    @property
    def endpoint_names(self) -> tuple[str, ...]:
        return self._names

    @property
    def export_dir(self) -> Path:
        return self._export_dir

    def view(self) -> QueueView:
        with self._open_db() as db:
            return QueueView(queue_items(db, limit=LIMIT), counts(db), list(self._states(db)), self._clock())

    def retry_now(self, submission_uuid: str) -> bool:
        """Queue a parked or waiting item again now; for an item paused by its endpoint's refusal of the kiosk's
        credentials, the endpoint is resumed too (staff say the credentials are fixed). True when it is queued."""
        now = self._clock()
        with self._open_db() as db:
            before = _state(db, submission_uuid)
            if before is None or before[0] not in RETRY_STATES:
                return False
            release(db, submission_uuid, now=now, reason="staff: retry now")
            state, endpoint, service_id, target = before
            route = endpoint or self._routing.endpoint_for(service_id, target)
            if state == "auth-paused" and route is not None and self._resume is not None:
                self._resume(db, route, now)
            after = _state(db, submission_uuid)
        queued = after is not None and after[0] == "queued"
        if queued:
            self._audit("queue-retry", {"submission": submission_uuid, "from_state": state})
            self._queued_again()
        return queued

    def reroute(self, submission_uuid: str, endpoint: str) -> bool:
        if endpoint not in self._names:
            return False
        with self._open_db() as db:
            moved = reroute(db, submission_uuid, endpoint, now=self._clock(), reason="staff: re-route")
        if moved:
            self._audit("queue-reroute", {"submission": submission_uuid, "endpoint": endpoint})
            self._queued_again()
        return moved

    def export(self, submission_uuid: str, passphrase: str, directory: Path) -> Path:
        """The export file written (kiosk.export); ExportError or LookupError (no payload key) when it cannot be."""
        cipher = self._cipher()
        if cipher is None:
            raise LookupError("the payload key is not available on this kiosk")
        with self._open_db() as db:
            path = export_submission(db, submission_uuid, cipher, passphrase, directory, now=self._clock())
        self._audit("export", {"submission": submission_uuid, "via": "screen"})
        return path


class ExportOutcome(NamedTuple):
    path: Path | None  # the file written, or None and why not:
    problem: str = ""  # a catalog key (staff_queue.export.*)
    params: Mapping[str, object] = MappingProxyType({})  # the catalog key's parameters


def try_export(queue: QueueSource, uuid: str, passphrase: str, repeated: str, directory: Path) -> ExportOutcome:
    """Check the passphrase typed twice, then export; the outcome in words for the screen (never the passphrase)."""
    if len(passphrase) < MIN_PASSPHRASE_CHARS:
        return ExportOutcome(None, "staff_queue.export.too_short", {"n": MIN_PASSPHRASE_CHARS})
    if passphrase != repeated:
        return ExportOutcome(None, "staff_queue.export.mismatch")
    try:
        return ExportOutcome(queue.export(uuid, passphrase, directory))
    except ExportError as error:
        unreadable = error.reason in ("unreadable", "changed")
        return ExportOutcome(None, "staff_queue.export.unreadable" if unreadable else "staff_queue.export.failed")
    except LookupError:
        return ExportOutcome(None, "staff_queue.export.no_key")
    except OSError:
        return ExportOutcome(None, "staff_queue.export.failed")  # a full, missing or read-only folder


def _state(db: Database, submission_uuid: str) -> tuple[str, str | None, str, str] | None:
    row = db.conn.execute(
        "SELECT o.state, o.endpoint, s.service_id, s.target FROM outbox o JOIN submissions s "
        "ON s.uuid = o.submission_uuid WHERE o.submission_uuid = ?",
        [submission_uuid],
    ).fetchone()
    return (str(row[0]), row[1], str(row[2]), str(row[3])) if row is not None else None


# Presenting ---------------------------------------------------------------------------------------------------------
def parse_utc(stamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def isolate(text: str) -> str:
    return f"{LRI}{text}{PDI}"


def clock_text(stamp: str | None, now: dt.datetime, tz: dt.tzinfo | None = None) -> str:
    """A stored UTC time as the kiosk's local time: "10:42" today, "27/11 10:42" on another day; "" for None."""
    if stamp is None:
        return ""
    moment, today = parse_utc(stamp).astimezone(tz), now.astimezone(tz)
    hour = moment.strftime("%H:%M")
    return hour if moment.date() == today.date() else f"{moment.day:02d}/{moment.month:02d} {hour}"


def age_text(created_at: str, now: dt.datetime, t: Translate) -> str:
    """How long ago: "just now", "5 min", "2 h", "1 day", "3 days"."""
    seconds = max(0, int((now - parse_utc(created_at)).total_seconds()))
    if seconds < 60:
        return t("staff_queue.age.now")
    if seconds < 3600:
        return t("staff_queue.age.minutes", n=seconds // 60)
    if seconds < 86400:
        return t("staff_queue.age.hours", n=seconds // 3600)
    days = seconds // 86400
    return t("staff_queue.age.one_day") if days == 1 else t("staff_queue.age.days", n=days)


def problem_text(item: QueueItem, t: Translate) -> str:
    """The last problem in plain words from the fixed list; "" when there is none to tell."""
    if item.last_error is None:
        return ""
    reason = _ENDPOINT_SUFFIX.sub("", item.last_error.strip())
    key = PROBLEM_KEYS.get(reason) or _STATE_PROBLEM.get(item.state, "failed")
    return t(f"staff_queue.problem.{key}")


def state_text(item: QueueItem, now: dt.datetime, t: Translate, tz: dt.tzinfo | None = None) -> str:
    if item.state == "retry-scheduled" and item.next_attempt_at is not None:
        return t("staff_queue.state.retry_at", time=isolate(clock_text(item.next_attempt_at, now, tz)))
    known = ("queued", "retry-scheduled", "sending", "quarantined", "auth-paused", "delivered")
    return t(f"staff_queue.state.{item.state.replace('-', '_')}" if item.state in known else "staff_queue.state.other")


def queue_rows(
    items: Iterable[QueueItem],
    *,
    now: dt.datetime,
    t: Translate,
    service_name: Callable[[str], str],
    tz: dt.tzinfo | None = None,
) -> list[QueueRow]:
    rows = []
    for item in items:
        first = SEPARATOR.join(
            [
                state_text(item, now, t, tz),
                age_text(item.created_at, now, t),
                t("staff_queue.attempts", n=item.attempts),
            ]
        )
        lines = [first, problem_text(item, t)]
        if item.endpoint is not None:
            lines.append(t("staff_queue.rerouted", endpoint=isolate(item.endpoint)))
        title = f"{isolate(item.reference)}{SEPARATOR}{service_name(item.service_id)}"
        rows.append(QueueRow(item.submission_uuid, item.reference, item.state, title, "\n".join(filter(None, lines))))
    return rows


def summary_line(queue: QueueCounts, now: dt.datetime, t: Translate, tz: dt.tzinfo | None = None) -> str:
    """ "Waiting: 12 · Need attention: 2 · Last delivery: 10:42"."""
    per_state = queue.per_state
    last = queue.last_delivered_at
    return SEPARATOR.join(
        [
            t("staff_queue.summary.waiting", n=sum(per_state.get(s, 0) for s in WAITING_STATES)),
            t("staff_queue.summary.attention", n=sum(per_state.get(s, 0) for s in ATTENTION_STATES)),
            t("staff_queue.summary.last", time=isolate(clock_text(last, now, tz)))
            if last is not None
            else t("staff_queue.summary.never"),
        ]
    )


def endpoint_lines(
    names: Iterable[str],
    states: Iterable[EndpointHealth],
    now: dt.datetime,
    t: Translate,
    tz: dt.tzinfo | None = None,
) -> list[str]:
    """One line per endpoint (configured, or known to the breaker): working, not reachable or paused, and when the
    kiosk tries next."""
    by_name = {state.endpoint: state for state in states}
    lines = []
    for name in sorted({*names, *by_name}):
        state = by_name.get(name)
        shown = isolate(name)
        if state is not None and state.paused_reason is not None:
            key, at = "paused", state.paused_until
        elif state is not None and state.breaker == "open":
            key, at = "open", state.next_probe_at
        elif state is not None and state.breaker == "half-open":
            key, at = "probing", None
        else:
            key, at = "working", None
        if at is not None:
            lines.append(t(f"staff_queue.endpoint.{key}_at", name=shown, time=isolate(clock_text(at, now, tz))))
        else:
            lines.append(t(f"staff_queue.endpoint.{key}", name=shown))
    return lines
