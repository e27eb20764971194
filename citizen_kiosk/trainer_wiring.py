"""The trainer's group sessions on a real kiosk: the `trainer-session` screen on this kiosk's database.

`ui.screens.registry.default_registry` registers `trainer-session` on a sample database in memory (pictures, the
accessibility checks). Here the composition root registers it again (`replace=True`) after the first paint, with the
staff wiring: sessions, rosters and progress in the kiosk's database (migration 11), each call on a connection of its
own, the payload key read at each use (it seals the first names and finds learner codes), every trainer action in the
audit log under the signed-in member's name, and CSV exports in the kiosk's exports folder (as the staff queue's).
The shell lets only a member whose role opens "tutorials" (trainers, site managers) reach it (citizen_kiosk/gui.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from citizen_kiosk.wiring import Context

if TYPE_CHECKING:
    from kiosk.staff_presence import StaffPresence
    from ui.screens.base import Screen, ScreenContext
    from ui.screens.registry import ScreenRegistry


def register_trainer(registry: ScreenRegistry, context: Context, presence: StaffPresence) -> None:
    """Register `trainer-session` on this kiosk's database; the screen is built when first shown."""
    from citizen_kiosk.commands.audit_cmd import audit_recorder
    from citizen_kiosk.delivery import database_opener, payload_cipher

    record = audit_recorder(context)

    def actor() -> str:
        member = presence.member
        return member.name if member is not None else "staff"

    def factory(screen_context: ScreenContext) -> Screen:
        from ui.screens.trainer_session import TrainerSessionScreen  # Qt screen: only when shown
        from ui.tutorials.learning import load_shipped
        from ui.tutorials.trainer_parts import TrainerDesk

        desk = TrainerDesk(
            database_opener(context),
            payload_cipher(context),
            load_shipped,
            actor=actor,
            export_dir=context.data_dir.path / "exports",
            kiosk_id=context.config.site.kiosk_id,
            audit=record,
        )
        return TrainerSessionScreen(screen_context, desk)

    registry.register("trainer-session", factory, staff_only=True, replace=True, idle_kind="reading")
