"""The session's journey: chosen service, the form in progress and tell-us-once answers, all gone at session end."""

from __future__ import annotations

import datetime

from kiosk.catalog import load_catalog
from kiosk.forms.flow import Stage
from kiosk.journey import Journey
from kiosk.session import CitizenSession, Presentation

SERVICES = load_catalog().catalog.services
TODAY = datetime.date(2026, 11, 28)


def test_a_flow_starts_prefilled_from_answers_the_citizen_agreed_to_reuse() -> None:
    session = CitizenSession(Presentation(language="pt-PT"), text_steps=5)
    journey = Journey(session)
    flow = journey.start_flow(SERVICES["propose-a-simplification"], TODAY)
    assert journey.flow is flow and flow.stage is Stage.QUESTION
    journey.remember_profile({"person.full_name": "Ana Sousa"})
    later = journey.start_flow(SERVICES["register-birth"], TODAY)
    named = [step for step in later.steps() if step.question and step.question.profile_key == "person.full_name"]
    assert named and later.suggestion(named[0]) == "Ana Sousa"


def test_session_end_forgets_everything_personal() -> None:
    session = CitizenSession(Presentation(language="pt-PT"), text_steps=5)
    journey = Journey(session)
    journey.choose_life_event("having-a-baby")
    journey.start_flow(SERVICES["register-birth"], TODAY)
    journey.remember_profile({"person.full_name": "Ana Sousa"})
    journey.assisted = True
    changes: list[None] = []
    journey.changed.connect(changes.append)
    session.end("finished")
    assert (journey.life_event_id, journey.service_id, journey.flow, journey.last_submission) == (None,) * 4
    assert journey.profile == {} and journey.assisted is False and changes
