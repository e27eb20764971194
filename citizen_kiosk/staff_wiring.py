"""The staff area on a real kiosk: sign-in on the kiosk's database, the console with the doctor's checks, the alerts
and the queue, and the one `StaffPresence` of the process (signed out whenever the citizen session ends).

Every sign-in attempt and sign-out is written to the audit log (kiosk.audit through `audit_recorder`). Screens are
built only when first shown, so none of this costs start-up time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from citizen_kiosk.wiring import Context

if TYPE_CHECKING:
    from kiosk.session import CitizenSession
    from kiosk.staff import StaffAccounts
    from kiosk.staff_presence import StaffPresence
    from ui.screens.registry import ScreenRegistry
    from ui.screens.staff_home import AlertLine, HealthLine

RECENT_ACKNOWLEDGED = 20  # acknowledged alerts the console counts (the newest)


def register_staff(
    registry: ScreenRegistry, context: Context, session: CitizenSession, wake: Callable[[], None] = lambda: None
) -> StaffPresence:
    """Register `staff-sign-in` and `staff-home` for this kiosk; returns who is signed in (for audit actors)."""
    from citizen_kiosk.commands.audit_cmd import audit_recorder
    from kiosk.staff import StaffAccounts
    from kiosk.staff_presence import StaffGate, StaffPresence

    record = audit_recorder(context)
    presence = StaffPresence(audit=record)
    presence.follow(session)

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
        from citizen_kiosk.delivery import database_opener, payload_cipher
        from ui.screens.staff_home import StaffConsole, StaffHomeScreen
        from ui.screens.staff_queue import database_queue

        queue = database_queue(
            database_opener(context),
            endpoint_names=tuple(context.config.endpoints),
            export_dir=context.data_dir.path / "exports",
            cipher=payload_cipher(context),
            routing=context.config.routing,
            queued_again=wake,
        )
        console = StaffConsole(
            presence=presence,
            queue=queue,
            default_language=context.config.languages.default,
            idle_seconds=context.config.idle.question_seconds,
            health=lambda: _health(context),
            alerts=lambda: _alerts(context),
        )
        return StaffHomeScreen(screen_context, console)

    registry.register("staff-sign-in", sign_in, replace=True)
    registry.register("staff-home", home, staff_only=True, replace=True)
    return presence


def _health(context: Context) -> Sequence[HealthLine]:
    """The doctor's checks, as the console shows them."""
    from citizen_kiosk.doctor import run_checks
    from ui.screens.staff_home import HealthLine

    return [HealthLine(check.name, check.ok, check.detail) for check in run_checks(context)]


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
