"""The submission desk: where a finished form becomes a durable, encrypted, queued submission, or is refused; and
where an unfinished one is saved as a draft and found again (kiosk.drafts).

The screens call `submit` off the GUI thread and show the confirmation only when it returns: by then the sealed
submission and its outbox row are committed (kiosk.submissions.finalise). A kiosk that cannot store safely (no key, no
database: `Readiness`) refuses with a reason for staff and keeps the citizen's answers on screen. The desk opens the
database for each call: a submission is a short transaction, and nothing personal stays open in between.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.readiness import Readiness
from kiosk.settings.model import SiteSettings

if TYPE_CHECKING:  # storage, crypto (cryptography) and drafts load when a citizen first saves or sends, not at start
    from kiosk.assist import AssistRecord
    from kiosk.catalog.model import Service
    from kiosk.crypto import PayloadCipher
    from kiosk.drafts import ResumedDraft, SavedDraft
    from kiosk.submissions import Submission, SubmissionStatus


class SubmissionRefused(Exception):  # noqa: N818 - a refusal, not a failure of the code
    """The kiosk cannot store this submission safely now; `reason` is for staff, never shown with answers."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _no_assistance() -> AssistRecord | None:
    return None


class SubmissionDesk:
    def __init__(
        self,
        data_dir: Path,
        site: SiteSettings,
        readiness: Readiness,
        payload_key: Callable[[], bytes | None],
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        after_submit: Callable[[], None] = lambda: None,
    ) -> None:
        self._data_dir = data_dir
        self._after_submit = after_submit  # wakes the delivery worker: a saved submission may go at once
        self._site = site
        self._readiness = readiness
        self._payload_key = payload_key
        self._clock = clock
        # A mediator's help in this session (kiosk.assist.Assistance.record), read at each submit: the composition
        # root sets it; None means nobody offered help.
        self.assistance: Callable[[], AssistRecord | None] = _no_assistance

    def submit(
        self,
        service: Service,
        *,
        answers: dict[str, object],
        consents: dict[str, bool],
        language: str,
        assisted: bool,
    ) -> Submission:
        """Seal and queue; returns after COMMIT. Raises SubmissionRefused, or StorageError (e.g. a full disk)."""
        from kiosk.storage import open_storage
        from kiosk.submissions import finalise, new_submission, reference_exists

        cipher = self._cipher()
        record = self.assistance()
        with open_storage(self._data_dir) as storage:
            submission = new_submission(
                service_id=service.id,
                service_version=service.version,
                site_id=self._site.id,
                kiosk_id=self._site.kiosk_id,
                locale=language,
                assisted=assisted or (record is not None and record.consent),
                consents=consents,
                answers=answers,
                now=self._clock(),
                reference_exists=partial(reference_exists, storage.db),
                assistance=record.as_submission() if record is not None else None,
            )
            finalise(
                storage.db,
                submission,
                cipher,
                target=service.target,
                retention_days=service.retention_days,
            )
        self._after_submit()
        return submission

    def save_draft(
        self, service: Service, *, answers: dict[str, object], language: str, date_of_birth: date, retention_days: int
    ) -> SavedDraft:
        """Save and come back later: seal the answers as a draft; returns the resume code to print (kiosk.drafts)."""
        from kiosk.drafts import save_draft
        from kiosk.storage import open_storage

        cipher = self._cipher()
        with open_storage(self._data_dir) as storage:
            return save_draft(
                storage.db,
                cipher,
                service_id=service.id,
                service_version=service.version,
                answers=answers,
                language=language,
                date_of_birth=date_of_birth,
                now=self._clock(),
                retention_days=retention_days,
            )

    def resume_draft(self, code: str, *, date_of_birth: date | None, mediator_checked: bool = False) -> ResumedDraft:
        """The saved answers (raises DraftError with a reason the screen words kindly, or SubmissionRefused)."""
        from kiosk.drafts import resume_draft
        from kiosk.storage import open_storage

        cipher = self._cipher()
        with open_storage(self._data_dir) as storage:
            return resume_draft(
                storage.db,
                cipher,
                code,
                date_of_birth=date_of_birth,
                now=self._clock(),
                mediator_checked=mediator_checked,
            )

    def forget_draft(self, code: str) -> bool:
        """Delete a draft whose service has now been sent."""
        from kiosk.drafts import delete_draft
        from kiosk.storage import open_storage

        cipher = self._cipher()
        with open_storage(self._data_dir) as storage:
            return delete_draft(storage.db, cipher, code)

    def _cipher(self) -> PayloadCipher:
        from kiosk.crypto import PayloadCipher

        refusal = self._readiness.refusal()
        if refusal is not None:
            raise SubmissionRefused(refusal)
        key = self._payload_key()
        if key is None:
            raise SubmissionRefused("The encryption key is missing, so nothing personal can be stored.")
        return PayloadCipher(key)

    def lookup(self, reference_text: str) -> SubmissionStatus | None:
        """A submission's delivery state by its reference (never its answers); raises CodeError for a malformed one."""
        from kiosk.storage import open_storage
        from kiosk.submissions import lookup

        with open_storage(self._data_dir) as storage:
            return lookup(storage.db, reference_text)
