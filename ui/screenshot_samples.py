"""The screens' variants for pictures and checks (`question-date`, `error`, `check-answers`, `confirmation`,
`save-draft-saved`...), built on the sample form (`ui.sample_form`, one page of every question type).

The form screens show a journey's flow, so a picture of one needs a flow standing on the right page. `VARIANTS` names
each picture: the registered screen it shows, how to prepare the journey (a fresh flow on the sample service, walked
with valid answers up to a page of that type, or to the end), and optionally what to do once it is shown (type a
wrong tax number and press Continue, for the error summary). `ui.screenshot` renders them and the accessibility tests
walk them, so every question type is checked like any other screen.

The staff queue screen's sample is `ui.sample_queue.SampleQueue`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from kiosk.catalog.model import QUESTION_TYPES
from ui.sample_form import sample_flow, sample_submitted, sample_submitted_with_lesson

if TYPE_CHECKING:
    from kiosk.journey import Journey
    from ui.screens.base import Screen

SAMPLE_DRAFT_CODE = "D-YAKN-9EDD-1R-R"  # a valid draft resume code (its check symbol is right), printed nowhere
SAMPLE_DRAFT_EXPIRES = datetime.datetime(2026, 12, 28, 14, 5, tzinfo=datetime.UTC)


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
