"""The staff area on a real kiosk: sign-in on the kiosk's database, the console with the doctor's checks, the alerts,
the delivery queue on the kiosk's own database (`register_staff_queue`), mediator-assisted sessions
(`build_assistance`) and today's session counts, and the one `StaffPresence` of the process (signed out whenever the
citizen session ends). The doctor's checks take seconds, so the console runs them off the GUI thread
(`health_in_background`).

Every sign-in attempt and sign-out is written to the audit log (kiosk.audit through `audit_recorder`). Screens are
built only when first shown, so none of this costs start-up time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from citizen_kiosk.wiring import Context

if TYPE_CHECKING:
    from kiosk.assist import Assistance
    from kiosk.help_calls import HelpCalls
    from kiosk.session import CitizenSession
    from kiosk.session_counts import SessionTally
    from kiosk.staff import StaffAccounts
    from kiosk.staff_presence import StaffPresence
    from ui.screens.registry import ScreenRegistry
    from ui.screens.staff_home import AlertLine, HealthLine

RECENT_ACKNOWLEDGED = 20  # acknowledged alerts the console counts (the newest)


def register_staff(
    registry: ScreenRegistry,
    context: Context,
    session: CitizenSession,
    wake: Callable[[], None] = lambda: None,
    *,
    help_calls: HelpCalls | None = None,
    assistance: Assistance | None = None,
) -> StaffPresence:
    """Register `staff-sign-in` and `staff-home` (and `assist-consent` with an `assistance`) for this kiosk; returns
    who is signed in (for audit actors)."""
    from citizen_kiosk.commands.audit_cmd import audit_recorder
    from kiosk.staff import StaffAccounts
    from kiosk.staff_presence import StaffGate, StaffPresence

    record = audit_recorder(context)
    presence = StaffPresence(audit=record)
    if assistance is None:
        presence.follow(session)
    else:  # the mediator of an assisted session stays signed in after its "End session" (kiosk.assist)
        from kiosk.assist import follow_session

        follow_session(presence, session)

    @contextmanager
    def accounts() -> Iterator[StaffAccounts]:
        from kiosk.storage import open_storage

        with open_storage(context.data_dir.path) as storage:
            yield StaffAccounts(storage.db.conn, audit=record)

    gate = StaffGate(accounts, presence)

    def sign_in(screen_context):  # type: ignore[no-untyped-def]
        from ui.screens.staff_sign_in import StaffSignInScreen  # Qt screen: only when shown

        return StaffSignInScreen(screen_context, gate)

    def home(screen_context):  # type: ignore[no-untyped-def]
        from ui.screens.staff_home import StaffConsole, StaffHomeScreen

        console = StaffConsole(
            presence=presence,
            queue=_kiosk_queue(context, wake),
            default_language=context.config.languages.default,
            idle_seconds=context.config.idle.question_seconds,
            sessions_today=lambda: _sessions_today(context),
            health=lambda: _health(context),
            health_in_background=True,
            alerts=lambda: _alerts(context),
            help_calls=help_calls,  # the citizen's "Call a mediator", answered from here
        )
        return StaffHomeScreen(screen_context, console)

    registry.register("staff-sign-in", sign_in, replace=True)
    registry.register("staff-home", home, staff_only=True, replace=True)
    if assistance is not None:
        _register_assist(registry, assistance, presence)
    return presence


def _kiosk_queue(context: Context, wake: Callable[[], None], audit=lambda _kind, _detail: None):  # type: ignore[no-untyped-def]
    """The delivery queue on this kiosk's own database, as the console and the queue screen show it; `wake` makes the
    worker send at once what staff queue again (retry now, re-route); `audit` records their actions."""
    from citizen_kiosk.delivery import database_opener, payload_cipher
    from ui.screens.staff_queue_source import database_queue

    return database_queue(
        database_opener(context),
        endpoint_names=tuple(context.config.endpoints),
        export_dir=context.data_dir.path / "exports",
        cipher=payload_cipher(context),
        routing=context.config.routing,
        queued_again=wake,
        audit=audit,
    )


def register_staff_queue(registry, context: Context, wake=lambda: None, actor=lambda: "staff") -> None:  # type: ignore[no-untyped-def]
    """The staff queue screen on this kiosk's own database (the registry's default shows sample data). Retry, re-route
    and export are audited (kiosk.audit) under `actor()`: the signed-in staff member's name once sign-in is wired."""
    from citizen_kiosk.commands.audit_cmd import audit_recorder

    record = audit_recorder(context)

    def factory(screen_context):  # type: ignore[no-untyped-def]
        from ui.screens.staff_queue import staff_queue_factory  # Qt screen: only when shown

        queue = _kiosk_queue(context, wake, audit=lambda kind, detail: record(kind, actor(), detail))
        return staff_queue_factory(queue)(screen_context)

    registry.register("staff-queue", factory, staff_only=True, replace=True)


def build_assistance(deps, context: Context, presences: list[StaffPresence], window) -> Assistance:  # type: ignore[no-untyped-def]
    """Mediator-assisted sessions (kiosk.assist), after the first paint (the shell builds the banner right after):
    audited under the mediator's name, driving the idle timer, signing the mediator out when the citizen goes on
    alone, and giving each submission sent meanwhile the consent and the mediator's first name (the desk reads it)."""
    from citizen_kiosk.commands.audit_cmd import audit_recorder
    from kiosk.assist import Assistance

    record = audit_recorder(context)

    def idle():  # type: ignore[no-untyped-def]
        controller = window().idle
        return controller.timer if controller is not None else None

    def sign_out(reason: str) -> None:
        if presences:
            presences[0].sign_out(reason)

    assistance = Assistance(
        deps.session,
        journey=deps.journey,
        audit=record,
        idle=idle,
        sign_out=sign_out,
    )
    deps.assistance = assistance
    build_desk = deps.desk
    if build_desk is not None:

        def desk():  # type: ignore[no-untyped-def]
            built = build_desk()
            built.assistance = assistance.record
            return built

        deps.desk = desk
    return assistance


def _register_assist(registry: ScreenRegistry, assistance: Assistance, presence: StaffPresence) -> None:
    """The consent screen of an assisted session, offered by the signed-in member whose role opens "assist"; the help
    stops when that member signs out."""
    from kiosk.assist import stop_when_signed_out

    stop_when_signed_out(assistance, presence)

    def mediator() -> str | None:
        member = presence.member
        return member.name if member is not None and member.may("assist") else None

    def consent(screen_context):  # type: ignore[no-untyped-def]
        from ui.screens.assist_consent import AssistConsentScreen  # Qt screen: only when shown

        return AssistConsentScreen(screen_context, assistance, mediator)

    registry.register("assist-consent", consent, staff_only=True, replace=True, idle_kind="reading")


def _health(context: Context) -> Sequence[HealthLine]:
    """The doctor's checks, as the console shows them (called on a worker thread: it takes seconds)."""
    from citizen_kiosk.doctor import run_checks
    from ui.screens.staff_home import HealthLine

    return [HealthLine(check.name, check.ok, check.detail, check.required) for check in run_checks(context)]


def _sessions_today(context: Context) -> dict[str, int] | None:
    """Today's citizen sessions by how they ended (kiosk.session_counts); None when the database cannot be read."""
    from kiosk.session_counts import SessionCounts, local_now
    from kiosk.storage import StorageError

    try:
        return SessionCounts(context.data_dir.path).on(local_now().date())
    except StorageError:
        return None


def count_sessions(context: Context, session: CitizenSession) -> SessionTally:
    """Count each citizen session as it ends, in the kiosk database, on one worker thread (a write opens the database
    and waits for its COMMIT: never on the GUI thread, just as the wiped screens are being rebuilt). The composition
    root passes the window's shown screens to `screen_shown` (activity) and keeps the tally for the process."""
    from concurrent.futures import ThreadPoolExecutor

    from kiosk.session_counts import SessionCounts, SessionTally

    # One worker, so writes never compete with each other; it is joined at exit, so the "shutdown" count is kept.
    writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-session-counts")
    return SessionTally(session, SessionCounts(context.data_dir.path).add, run=writer.submit)


def _alerts(context: Context) -> Sequence[AlertLine]:
    """Open alerts, then the newest acknowledged ones."""
    from kiosk.storage import StorageError, open_storage
    from ui.screens.staff_home import AlertLine

    try:
        with open_storage(context.data_dir.path) as storage:
            rows = storage.db.conn.execute(
                "SELECT summary, acknowledged_at IS NOT NULL FROM staff_alerts WHERE acknowledged_at IS NULL "
                "UNION ALL SELECT * FROM (SELECT summary, 1 FROM staff_alerts WHERE acknowledged_at IS NOT NULL "
                "ORDER BY id DESC LIMIT ?)",
                [RECENT_ACKNOWLEDGED],
            ).fetchall()
    except StorageError:
        return ()
    return [AlertLine(str(summary), bool(acknowledged)) for summary, acknowledged in rows]
