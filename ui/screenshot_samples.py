"""Sample forms for pictures and checks: a small service with one page of every question type, and the screens'
variants built on it (`question-date`, `error`, `check-answers`, `confirmation`, `save-draft-saved`...).

The form screens show a journey's flow, so a picture of one needs a flow standing on the right page. `VARIANTS` names
each picture: the registered screen it shows, how to prepare the journey (a fresh flow on the sample service, walked
with valid answers up to a page of that type, or to the end), and optionally what to do once it is shown (type a
wrong tax number and press Continue, for the error summary). `ui.screenshot` renders them and the accessibility tests
walk them, so every question type is checked like any other screen.

The sample service (`ui/sample_service.json`, a catalog service file) is built with `kiosk.catalog.build`, in
Portuguese, English and Arabic (so right-to-left pictures show a real right-to-left form).

The staff queue screen shows a `SampleQueue`: a fixed queue with an item in every state that matters to staff and an
endpoint in each breaker state; its actions change nothing (a picture never sends or writes a file).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from kiosk.catalog.model import QUESTION_TYPES

if TYPE_CHECKING:
    from kiosk.catalog.model import Service
    from kiosk.forms.answers import Raw
    from kiosk.forms.flow import Flow, Step
    from kiosk.journey import Journey
    from kiosk.outbox_staff import QueueItem
    from kiosk.queue_view import QueueView
    from ui.screens.base import Screen

SAMPLE_TODAY = datetime.date(2026, 11, 28)
SAMPLE_REFERENCE = "R-3WX5-RZMV-5N7P-6"
SAMPLE_SENT_AT = datetime.datetime(2026, 11, 28, 14, 5, tzinfo=datetime.UTC)
SAMPLE_DRAFT_CODE = "D-YAKN-9EDD-1R-R"  # a valid draft resume code (its check symbol is right), printed nowhere
SAMPLE_DRAFT_EXPIRES = datetime.datetime(2026, 12, 28, 14, 5, tzinfo=datetime.UTC)


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


def _wrong_nif(screen: Screen) -> None:
    """Type a tax number with a wrong check digit and press Continue: the error summary shows."""
    answer = getattr(screen, "answer", None)
    if answer is not None:
        answer.set_raw("123 456 780")
        screen.submit()  # type: ignore[attr-defined]


def _draft_saved(screen: Screen) -> None:
    """The save page once the draft is saved: the sample code and the day it expires (nothing is stored)."""
    from kiosk.drafts import SavedDraft

    flow = screen.context.journey.flow
    show = getattr(screen, "show_saved", None)
    if flow is not None and show is not None:
        show(SavedDraft(SAMPLE_DRAFT_CODE, SAMPLE_DRAFT_EXPIRES), flow.service)


def _future_birth_date(screen: Screen) -> None:
    """A date of birth in the future, then "Save and print my code": the error summary shows."""
    from kiosk.forms.answers import DateInput

    date = getattr(screen, "date", None)
    if date is not None:
        date.set_raw(DateInput("2", "3", "2050"))
        screen.save()  # type: ignore[attr-defined]


def _not_a_code(screen: Screen) -> None:
    """Something that is not a code and no date, then Continue: the error summary lists both."""
    field = getattr(screen, "code_field", None)
    if field is not None:
        field.setText("D-12AB")
        screen.resume()  # type: ignore[attr-defined]


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


def _open_panel(method: str) -> Callable[[Screen], None]:
    """Open the staff queue's re-route or export panel on its first (held-back) item."""

    def act(screen: Screen) -> None:
        start = getattr(screen, method, None)
        if callable(start):
            start()

    return act


def _help_called(screen: Screen) -> None:
    """A citizen called a mediator from a question page: the staff console lists the call."""
    console = getattr(screen, "console", None)
    calls = getattr(console, "help_calls", None)
    if calls is not None:
        calls.raise_call("question")


def _tutorial_step(step_id: str, tutorial_id: str | None = None) -> Callable[[Screen], None]:
    """A tutorial step of each kind: the sample learner's run (nothing stored) moved to `step_id`."""

    def act(screen: Screen) -> None:
        open_step = getattr(screen, "open_step", None)
        if callable(open_step):
            open_step(step_id, tutorial_id)

    return act


def _learner_code(screen: Screen) -> None:
    """learn-home once a tutorial is chosen: the new learner code in large groups, "Start" and "Print my code"."""
    choose = getattr(screen, "choose", None)
    if callable(choose):
        choose("touch-tap-scroll-type")


def _trainer(method: str, *args: object) -> Callable[[Screen], None]:
    """The trainer's screen on its sample session (ui.tutorials.trainer_parts.sample_desk): its progress table, or
    the new session page."""

    def act(screen: Screen) -> None:
        found = getattr(screen, method, None)
        if callable(found):
            found(*args)

    return act


def _assessment(page: str) -> Callable[[Screen], None]:
    """The self-assessment on a rated statement, on a true/false question answered (its feedback shown), or on its
    result after a few answers (nothing is kept: no learner code)."""

    def act(screen: Screen) -> None:
        items = getattr(screen, "items", None)
        if not callable(getattr(screen, "_go", None)) or items is None:
            return
        from tutorials.assessment_file import TrueFalse

        if page == "question":
            index = next(n for n, (_area, item) in enumerate(items) if isinstance(item, TrueFalse))
            screen._go(index)  # type: ignore[attr-defined]
            screen.options["false"].click()  # type: ignore[attr-defined]
            screen.check()  # type: ignore[attr-defined]
            return
        for n, (_area, item) in enumerate(items):
            if not isinstance(item, TrueFalse):
                screen.ratings[item.id] = 1 + n % 4  # type: ignore[attr-defined]
        screen._go(0 if page == "statement" else len(items))  # type: ignore[attr-defined]

    return act


def _ask_for_help(screen: Screen) -> None:
    """A learner in today's group session (sample records) has asked the trainer for help on a practice step."""
    from ui.tutorials.trainer_parts import SampleLearnerRecords

    ask = getattr(screen, "ask_for_help", None)
    if hasattr(screen, "records") and callable(ask):
        screen.records = SampleLearnerRecords()
        _tutorial_step("try-tap")(screen)
        ask()


class Variant(NamedTuple):
    screen: str  # the registered screen it shows
    prepare: Callable[[Journey], object]
    act: Callable[[Screen], None] | None = None


def _at(kind: str | None) -> Callable[[Journey], object]:
    return lambda journey: sample_flow(journey, kind)


QUESTION_PAGE_TYPES = (*(kind for kind in QUESTION_TYPES if kind != "calculated"), "add-another")
VARIANTS: dict[str, Variant] = {
    "question": Variant("question", _at("text")),
    **{f"question-{kind}": Variant("question", _at(kind)) for kind in QUESTION_PAGE_TYPES},
    "error": Variant("question", _at("nif"), _wrong_nif),
    "check-answers": Variant("check-answers", _at(None)),
    "confirmation": Variant("confirmation", sample_submitted),
    "confirmation-learn": Variant("confirmation", sample_submitted_with_lesson),
    "save-draft": Variant("save-draft", _at("text")),
    "save-draft-error": Variant("save-draft", _at("text"), _future_birth_date),
    "save-draft-saved": Variant("save-draft", _at("text"), _draft_saved),
    "resume-draft": Variant("resume-draft", lambda _journey: None),
    "resume-draft-error": Variant("resume-draft", lambda _journey: None, _not_a_code),
    "staff-queue-reroute": Variant("staff-queue", lambda _journey: None, _open_panel("start_reroute")),
    "staff-queue-export": Variant("staff-queue", lambda _journey: None, _open_panel("start_export")),
    "staff-home-help-call": Variant("staff-home", lambda _journey: None, _help_called),
    "learn-home-code": Variant("learn-home", lambda _journey: None, _learner_code),
    "self-assessment-statement": Variant("self-assessment", lambda _journey: None, _assessment("statement")),
    "self-assessment-question": Variant("self-assessment", lambda _journey: None, _assessment("question")),
    "self-assessment-result": Variant("self-assessment", lambda _journey: None, _assessment("result")),
    "tutorial-step-help": Variant("tutorial-step", lambda _journey: None, _ask_for_help),
    "trainer-session-progress": Variant("trainer-session", lambda _journey: None, _trainer("open_session", 1)),
    "trainer-session-new": Variant("trainer-session", lambda _journey: None, _trainer("start_create")),
    "tutorial-step-demo": Variant("tutorial-step", lambda _journey: None, _tutorial_step("watch-tap")),
    "tutorial-step-check": Variant("tutorial-step", lambda _journey: None, _tutorial_step("check")),
    "tutorial-step-recap": Variant("tutorial-step", lambda _journey: None, _tutorial_step("recap")),
    "practice-scroll": Variant("tutorial-step", lambda _journey: None, _tutorial_step("try-scroll")),
    "practice-type": Variant("tutorial-step", lambda _journey: None, _tutorial_step("try-type")),
    "practice-triage": Variant("tutorial-step", lambda _journey: None, _tutorial_step("try-triage", "spot-the-scam")),
    # Three long answers in one row of a tap practice: the row wraps instead of clipping at 200 %.
    "practice-tap-long": Variant("tutorial-step", lambda _journey: None, _tutorial_step("what-to-do", "spot-the-scam")),
    "practice-form": Variant("tutorial-step", lambda _journey: None, _tutorial_step("try-form", "online-form")),
    "practice-digital-key": Variant(
        "tutorial-step", lambda _journey: None, _tutorial_step("try-sign-in", "digital-key-sign-in")
    ),
    "practice-attach": Variant(
        "tutorial-step", lambda _journey: None, _tutorial_step("try-attach", "documents-photo-pdf-attach")
    ),
}
