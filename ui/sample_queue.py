"""The staff queue's sample: `SampleQueue`, a fixed queue with an item in every state that matters to staff and an
endpoint in each breaker state; its actions change nothing (a picture never sends or writes a file).

The registry's default `staff-queue` and the sample staff console (`ui.screens.staff_samples`) show it, for pictures
and the accessibility checks. It shares nothing with the sample form (`ui.sample_form`), hence a module of its own.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.outbox_staff import QueueItem
    from kiosk.queue_view import QueueView

SAMPLE_QUEUE_NOW = datetime.datetime(2026, 11, 28, 10, 45, tzinfo=datetime.UTC)


def _sample_reference(seed: int) -> str:
    from kiosk.codes import CodeKind, new_code

    return new_code(CodeKind.SUBMISSION, rng=lambda bits: (seed * 0x9E3779B97F4A7C15) % (1 << bits))


def _ago(**delta: float) -> str:
    from kiosk.storage.clock import iso_utc

    return iso_utc(SAMPLE_QUEUE_NOW - datetime.timedelta(**delta))


def _sample_item(  # noqa: PLR0917 - one sample row
    seed: int, service_id: str, state: str, attempts: int, created: str, error: str | None, **more: str | None
) -> QueueItem:
    from kiosk.outbox_staff import QueueItem

    return QueueItem(
        submission_uuid=f"00000000-0000-4000-8000-{seed:012d}",
        reference=_sample_reference(seed),
        service_id=service_id,
        target=service_id,
        endpoint=more.get("endpoint"),
        state=state,
        attempts=attempts,
        created_at=created,
        updated_at=created,
        next_attempt_at=more.get("next_attempt_at"),
        last_error=error,
        receipt=None,
    )


class SampleQueue:
    """A `kiosk.queue_view.QueueSource` with a fixed queue, for pictures and the accessibility checks."""

    endpoint_names = ("civil-registry", "social-security", "tax-authority")
    export_dir = Path("/var/lib/citizen-kiosk/exports")

    def view(self) -> QueueView:
        from kiosk.outbox import QueueCounts
        from kiosk.queue_view import QueueView
        from sync.breaker import BreakerState

        items = [
            _sample_item(
                1,
                "register-birth",
                "quarantined",
                1,
                _ago(days=3, hours=2),
                "the server rejected the answers (civil-registry)",
            ),
            _sample_item(
                2,
                "unemployment-benefit",
                "auth-paused",
                2,
                _ago(hours=2),
                "the server refused the kiosk's credentials (social-security)",
            ),
            _sample_item(
                3,
                "check-tax-refund",
                "retry-scheduled",
                4,
                _ago(minutes=40),
                "the server could not be reached in time (tax-authority)",
                next_attempt_at=_ago(minutes=-5),
            ),
            _sample_item(
                4,
                "change-address",
                "queued",
                3,
                _ago(days=1, hours=5),
                "the server does not know this service or version (social-security)",
                endpoint="civil-registry",
            ),
            _sample_item(5, "renew-citizen-card", "queued", 0, _ago(minutes=2), None),
        ]
        states = {"quarantined": 1, "auth-paused": 1, "retry-scheduled": 1, "queued": 2}
        endpoints = [
            BreakerState("civil-registry", "closed", 0, None, _ago(minutes=3), None),
            BreakerState("social-security", "closed", 0, None, None, None, "refused", _ago(minutes=-25)),
            BreakerState("tax-authority", "open", 0, _ago(minutes=-5), None, "timeout"),
        ]
        counts = QueueCounts(states, items[2].created_at, _ago(minutes=3))
        return QueueView(items, counts, endpoints, SAMPLE_QUEUE_NOW)

    def retry_now(self, submission_uuid: str) -> bool:
        return False

    def reroute(self, submission_uuid: str, endpoint: str) -> bool:
        return False

    def export(self, submission_uuid: str, passphrase: str, directory: Path) -> Path:
        raise OSError("a picture never writes an export")
