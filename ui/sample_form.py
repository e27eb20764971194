"""The sample form for pictures and checks: a small service with one page of every question type, a valid answer for
each page, and a journey's flow on it, walked to a page of a given type, to the check page, or sent.

The sample service (`ui/sample_service.json`, a catalog service file) is built with `kiosk.catalog.build`, in
Portuguese, English and Arabic (so right-to-left pictures show a real right-to-left form).

Separate from `ui.screenshot_samples`, which names the pictures built on it: the form widget and screen tests walk the
sample form on their own.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.catalog.model import Service
    from kiosk.forms.answers import Raw
    from kiosk.forms.flow import Flow, Step
    from kiosk.journey import Journey

SAMPLE_TODAY = datetime.date(2026, 11, 28)
SAMPLE_REFERENCE = "R-3WX5-RZMV-5N7P-6"
SAMPLE_SENT_AT = datetime.datetime(2026, 11, 28, 14, 5, tzinfo=datetime.UTC)


SAMPLE_FILE = Path(__file__).with_name("sample_service.json")  # checked against the catalog schema by tests

# A valid raw answer for each page of the sample, to walk the flow (kiosk.forms.answers.Raw per question type).
_SAMPLE_RAW: dict[str, object] = {
    "full_name": "Ana Maria Sousa",
    "what_happened": "The lift of my building has not worked since March.",
    "people": "3",
    "used_before": "no",
    "call_time": "morning",
    "documents": ("citizen-card", "passport"),
    "email": "ana.sousa@example.pt",
    "phone": "912 345 678",
    "nif": "123456789",
    "card": "15432876 1 ZZ1",
    "iban": "PT50 0002 0123 1234 5678 9015 4",
    "work_postcode": "1050-094",
    "share_consent": True,
    "child_name": "Rui Sousa",
}


def sample_service() -> Service:
    from kiosk.catalog.build import BuildProblems, service

    problems = BuildProblems()
    document = json.loads(SAMPLE_FILE.read_text(encoding="utf-8"))
    built = service(document, SAMPLE_FILE, problems)
    if problems.items:
        raise ValueError(f"the sample service does not build: {problems.items}")
    return built


def sample_raw(step: Step) -> Raw:
    """A valid answer for a page of the sample service ("no" on "add another?": one child is enough)."""
    from kiosk.forms.answers import AddressInput, DateInput

    if step.question is None:
        return "no"
    if step.question.type == "date":
        return DateInput("2", "3", "1950")
    if step.question.type == "address":
        return AddressInput("Rua Augusta", "12", "3.º Esq.", "1100-048", "Lisboa")
    return _SAMPLE_RAW.get(step.question.id)  # type: ignore[return-value]


def page_kind(step: Step) -> str:
    return step.question.type if step.question is not None else step.kind


def sample_flow(journey: Journey, stop_at: str | None = None) -> Flow:
    """A fresh flow on the sample service, walked with valid answers to the first page of type `stop_at` (None: to
    the check page)."""
    from kiosk.forms.flow import Stage

    flow = journey.start_flow(sample_service(), SAMPLE_TODAY)
    while flow.stage is Stage.QUESTION and flow.current is not None:
        step = flow.current
        if page_kind(step) == stop_at:
            return flow
        if flow.submit_page(sample_raw(step)):
            raise RuntimeError(f"the sample answer for {step.key} was refused")
    if stop_at is not None:
        raise LookupError(f"the sample service has no page of type {stop_at!r}")
    return flow


def sample_submitted(journey: Journey) -> None:
    """The sample form sent: the flow submitted and a submission to confirm (never stored anywhere)."""
    from kiosk.submissions import Submission

    flow = sample_flow(journey)
    flow.mark_submitted()
    journey.last_submission = Submission(
        uuid="0b7f4b8e-3d5c-4c1e-9a55-2f6f3c9d8a10",
        reference=SAMPLE_REFERENCE,
        service_id=flow.service.id,
        service_version=flow.service.version,
        site_id="demo-site",
        kiosk_id="kiosk-01",
        created_at=SAMPLE_SENT_AT,
        locale="en",
        assisted=False,
        consents=flow.consents(),
        answers=flow.final_answers(),
    )


def sample_submitted_with_lesson(journey: Journey) -> None:
    """A demo service that a tutorial teaches (change of address, tutorials.links) sent with a mediator's help: the
    confirmation offers the lesson and the mediator's slip (the service comes from the demo catalog)."""
    from dataclasses import replace

    sample_submitted(journey)
    journey.assisted, journey.life_event_id = True, "moving-house"
    if journey.last_submission is not None:
        journey.last_submission = replace(journey.last_submission, service_id="change-address", assisted=True)
