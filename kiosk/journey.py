"""Where the citizen is during one session: the life event and service they chose, the form they are filling in,
the answers they agreed to reuse, and the last submission (for its confirmation).

Screens are shown by name; what they show comes from here (the services list reads the chosen life event, the start
page the chosen service, the question page the flow). It is session state holding personal data:
`CitizenSession.ended` clears all of it, so the next citizen starts fresh and nothing outlives the session.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING

from kiosk.events import Event
from kiosk.session import CitizenSession

if TYPE_CHECKING:  # only for annotations: importing the forms package is not needed to build a Journey
    from kiosk.catalog.model import Service
    from kiosk.forms.answers import Answer, FieldError
    from kiosk.forms.flow import Flow
    from kiosk.submissions import Submission


class Journey:
    def __init__(self, session: CitizenSession) -> None:
        self.life_event_id: str | None = None
        self.service_id: str | None = None
        self.flow: Flow | None = None
        self.last_submission: Submission | None = None
        self.assisted = False  # a mediator is helping (set by the mediator mode)
        # Errors the next question page shows with its question: sending found a required answer missing there.
        self.page_errors: list[FieldError] = []
        # The resume code of the draft this form was resumed from: sending the form forgets that draft.
        self.draft_code: str | None = None
        self._profile: dict[str, Answer] = {}
        self.changed: Event[None] = Event("journey.changed")
        session.ended.connect(lambda _reason: self.clear())

    def choose_life_event(self, life_event_id: str) -> None:
        self.life_event_id = life_event_id
        self.changed.emit(None)

    def choose_service(self, service_id: str) -> None:
        self.service_id = service_id
        self.changed.emit(None)

    def start_flow(self, service: Service, today: datetime.date) -> Flow:
        """A fresh form for `service`, prefilled from answers the citizen agreed to reuse in this session."""
        from kiosk.forms.flow import Flow

        self.service_id = service.id
        self.draft_code = None  # a fresh form is not the saved one
        self.flow = Flow(service, today=today, profile=self._profile)
        self.flow.start()
        self.changed.emit(None)
        return self.flow

    def resume_flow(self, service: Service, flow: Flow, draft_code: str) -> Flow:
        """Make a flow resumed from a saved draft (kiosk.forms.answers_file.resume) the one being filled in."""
        self.service_id = service.id
        self.flow = flow
        self.draft_code = draft_code
        self.page_errors = []
        self.changed.emit(None)
        return flow

    @property
    def profile(self) -> Mapping[str, Answer]:
        """Tell us once: profile key -> answer, only what the citizen agreed to reuse today."""
        return dict(self._profile)

    def remember_profile(self, values: Mapping[str, Answer]) -> None:
        self._profile.update(values)

    def take_page_errors(self) -> list[FieldError]:
        """The errors waiting for the next question page, once (showing them again would be stale)."""
        errors, self.page_errors = self.page_errors, []
        return errors

    def clear(self) -> None:
        self.life_event_id = self.service_id = None
        self.flow = None
        self.draft_code = None
        self.last_submission = None
        self.assisted = False
        self.page_errors = []
        self._profile.clear()
        self.changed.emit(None)
