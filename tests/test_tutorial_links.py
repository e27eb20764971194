"""Links from services to tutorials: the lookup (`tutorials.links`), the confirmation's "Learn to do this yourself next
time" on the real window, and the mediator's slip naming the lesson with a learner code the kiosk takes back.

The window tests send demo services through their real pages (the services' example answers), on a learning store in
the test's own database, so the printed learner code goes through `tutorials.progress.resume` like a typed one.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtWidgets import QApplication, QLabel

from kiosk.crypto import PayloadCipher
from kiosk.forms.flow import Stage
from kiosk.readiness import Readiness
from kiosk.storage import open_storage
from tests.test_assist_screens import Assisted, assisted  # noqa: F401 - the assisted-session fixture
from tests.test_form_screens import (
    DIGITAL_KEY,
    PAYLOAD_KEY,
    TODAY,
    FakePrinter,
    answer,
    form_shell_deps,
    open_window,
    settle,
    start,
)
from tutorials.links import first_tutorial_for, tutorials_for
from tutorials.model import Tutorial
from ui.forms.slip import learning_slip
from ui.screens.confirmation import ConfirmationScreen
from ui.shell import MainWindow
from ui.tutorials.learning import DatabaseStore, Learning, load_shipped

SHIPPED = load_shipped()
ORDERED = sorted(SHIPPED.values(), key=lambda t: (t.estimated_minutes, t.id))  # as the learning screens give them
CIPHER = PayloadCipher(PAYLOAD_KEY)


def ids(tutorials: list[Tutorial]) -> list[str]:
    return [t.id for t in tutorials]


# The lookup -----------------------------------------------------------------------------------------------------------
def test_the_closest_service_link_comes_first() -> None:
    found = ids(tutorials_for("change-address", "moving-house", ORDERED))
    assert found[0] == "online-form"  # it links change-address alone: the most specific lesson
    assert set(found) == {t.id for t in ORDERED if "change-address" in t.services or "moving-house" in t.life_events}
    assert first_tutorial_for("activate-digital-key", None, ORDERED) == SHIPPED["digital-key-sign-in"]


def test_service_links_come_before_life_event_links() -> None:
    found = ids(tutorials_for("activate-digital-key", "id-and-digital-identity", ORDERED))
    by_service = {t.id for t in ORDERED if "activate-digital-key" in t.services}
    assert by_service == {"digital-key-sign-in", "spot-the-scam"}
    assert set(found[: len(by_service)]) == by_service
    rest = found[len(by_service) :]
    assert rest and all("id-and-digital-identity" in SHIPPED[tid].life_events for tid in rest)
    assert len(found) == len(set(found))


def test_a_life_event_link_stands_in_for_a_missing_service_link() -> None:
    assert not tutorials_for("european-health-insurance-card", None, ORDERED)
    found = tutorials_for("european-health-insurance-card", "health-and-travel", ORDERED)
    assert found and all("health-and-travel" in t.life_events for t in found)


def test_without_a_link_there_is_nothing() -> None:
    assert tutorials_for("renew-driving-licence", "driving", ORDERED) == []
    assert tutorials_for(None, None, ORDERED) == []
    assert first_tutorial_for("change-address", "moving-house", []) is None


LINKS = st.lists(st.sampled_from(["a", "b", "c", "d"]), unique=True, max_size=3)


def made_up(links: list[tuple[list[str], list[str]]]) -> list[Tutorial]:
    """Tutorials t0, t1... with these (services, life events); the rest of each is a shipped tutorial's."""
    return [
        replace(ORDERED[0], id=f"t{i}", services=tuple(services), life_events=tuple(events))
        for i, (services, events) in enumerate(links)
    ]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(LINKS, LINKS), max_size=8),
    st.sampled_from(["a", "b", "x", None]),
    st.sampled_from(["c", "d", "a", None]),
)
def test_every_linked_tutorial_once_service_links_first(
    links: list[tuple[list[str], list[str]]], service: str | None, event: str | None
) -> None:
    tutorials = made_up(links)
    found = tutorials_for(service, event, tutorials)
    on_service = [t for t in found if service is not None and service in t.services]
    linked = {t.id for t in tutorials if t in on_service or (event is not None and event in t.life_events)}
    assert found[: len(on_service)] == on_service  # service links first, then the life event's
    assert sorted(ids(found)) == sorted(linked)  # each linked tutorial exactly once, nothing else
    assert ids(tutorials_for(service, event, tutorials + tutorials)) == ids(found)  # a second copy changes nothing
    if service is not None and on_service:  # the closest: the service earliest in its list, then the fewest links
        ranks = [(t.services.index(service), len(t.services)) for t in on_service]
        assert ranks == sorted(ranks)


# The slip's text (no window) ------------------------------------------------------------------------------------------
def _labels(catalog, lang: str) -> Callable[..., str]:  # type: ignore[no-untyped-def]
    return lambda key, **params: catalog.t(key, lang, **params)


def test_the_slip_names_the_lesson_and_says_where_lessons_are(catalog, demo_services) -> None:  # type: ignore[no-untyped-def]
    service = demo_services.service("change-address")
    event = demo_services.life_event("moving-house")
    tutorial = SHIPPED["online-form"]
    site = {"site_name": "Lisboa", "kiosk_id": "K-017"}
    plain = learning_slip(service, event, "en", _labels(catalog, "en"), **site)
    assert plain.reference == "change-address"
    assert plain.contact_lines == (catalog.t("assist.slip.find_lessons", "en"),)
    no_code = learning_slip(service, event, "pt-PT", _labels(catalog, "pt-PT"), tutorial=tutorial, **site)
    assert no_code.contact_lines[0] == "Lição: Preencher um formulário online"
    assert no_code.contact_lines[1:] == (catalog.t("assist.slip.find_lessons", "pt-PT"),)
    coded = learning_slip(service, event, "en", _labels(catalog, "en"), tutorial=tutorial, code="A-RZMV-5N7P-6", **site)
    assert coded.reference == "A-RZMV-5N7P-6" and coded.reference_label == "Learner code"
    assert coded.contact_lines[0] == "Lesson: Filling in an online form"
    assert "only on this kiosk (K-017)" in coded.contact_lines[2]
    arabic = learning_slip(
        service, event, "ar", _labels(catalog, "ar"), tutorial=tutorial, code="A-RZMV-5N7P-6", **site
    )
    assert arabic.rtl and "\u2066K-017\u2069" in arabic.contact_lines[2]  # the kiosk's id stays left to right


# On the window --------------------------------------------------------------------------------------------------------
def database_learning(data_dir: Path, *, cipher: PayloadCipher | None = CIPHER) -> tuple[Learning, DatabaseStore]:
    @contextmanager
    def open_db():  # type: ignore[no-untyped-def]
        with open_storage(data_dir) as storage:
            yield storage.db

    store = DatabaseStore(open_db, lambda: cipher, site="test-site")
    return Learning(store, load=lambda: dict(SHIPPED)), store


def with_learning(window: MainWindow, learning: Learning) -> None:
    """The learning screens and the confirmation on `learning` (as citizen_kiosk/learning_wiring.py does)."""
    from ui.screens.registry import register_learning

    register_learning(window.deps.registry, learning, replace=True)


class Kiosk:
    def __init__(self, window: MainWindow, learning: Learning, printer: FakePrinter) -> None:
        self.window, self.learning, self.printer = window, learning, printer


@contextmanager
def open_kiosk(qtbot, shell_deps, demo_services, tmp_path: Path, cipher: PayloadCipher | None) -> Iterator[Kiosk]:  # type: ignore[no-untyped-def]
    """The real window with the demo catalog, a desk, a recording printer and learners in the test's database."""
    printer = FakePrinter()
    window = open_window(qtbot, form_shell_deps(shell_deps, demo_services, tmp_path, printer, Readiness()))
    try:
        learning, _store = database_learning(tmp_path / "data", cipher=cipher)
        with_learning(window, learning)
        yield Kiosk(window, learning, printer)
    finally:
        window.allow_close()


@pytest.fixture
def kiosk(qtbot, shell_deps, demo_services, tmp_path) -> Iterator[Kiosk]:  # type: ignore[no-untyped-def]
    with open_kiosk(qtbot, shell_deps, demo_services, tmp_path, CIPHER) as opened:
        yield opened


def send(window: MainWindow, qtbot, service_id: str) -> ConfirmationScreen:  # type: ignore[no-untyped-def]
    """Fill the demo service with its example answers, page by page, and send it."""
    from kiosk.forms.answers import raw_from_json
    from kiosk.forms.answers_file import example_answers, file_value
    from kiosk.forms.flow import ADD_ANOTHER

    answers = example_answers(window.deps.services.service(service_id), today=TODAY)
    start(window, service_id)
    flow = window.deps.journey.flow
    while flow.stage is Stage.QUESTION:
        step = flow.current
        value = file_value(answers, step)
        answer(window, str(value) if step.kind == ADD_ANOTHER else raw_from_json(step.question, value))
    window.screen_widget("check-answers").send_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "confirmation", timeout=10_000)
    settle()
    screen = window.screen_widget("confirmation")
    assert isinstance(screen, ConfirmationScreen)
    return screen


def test_the_confirmation_opens_the_linked_lesson_after_the_reference(kiosk: Kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    window, learning, printer = kiosk.window, kiosk.learning, kiosk.printer
    window.deps.journey.choose_life_event("moving-house")
    confirmation = send(window, qtbot, "change-address")
    button = confirmation.learn_button
    assert button is not None and button.isVisible() and button.text() == "Learn to do this yourself next time"
    assert "Filling in an online form" in button.accessibleDescription()
    assert QApplication.focusWidget() is confirmation.panel  # the reference is read first
    assert button.mapTo(confirmation.page, button.rect().topLeft()).y() > confirmation.panel.geometry().bottom()
    assert confirmation.slip_button is None  # no mediator: no slip, but the lesson is offered
    reference = confirmation.reference_shown

    before = len(printer.printed)
    button.click()
    settle()
    assert window.current_screen_name() == "tutorial-step"
    assert learning.run is not None and learning.run.tutorial.id == "online-form" and learning.run.index == 0
    step = window.screen_widget("tutorial-step")
    assert step.heading is not None and step.heading.text() == SHIPPED["online-form"].steps[0].title.t("en")
    assert learning.code is not None and len(printer.printed) == before + 1  # a new code, printed as learn-home does
    assert printer.printed[-1].reference == learning.code

    step.go_back()  # the reference is one Back away
    settle()
    assert window.current_screen_name() == "confirmation" and confirmation.reference_shown == reference
    confirmation.finish_button.click()  # Finish still ends the session: the learner is forgotten
    settle()
    assert window.current_screen_name() == "home"
    assert learning.learner is None and learning.code is None and window.deps.journey.last_submission is None


def test_a_service_without_a_linked_lesson_offers_none(kiosk: Kiosk, qtbot) -> None:  # type: ignore[no-untyped-def]
    assert first_tutorial_for("register-job-seeker", "losing-a-job", kiosk.learning.tutorials()) is None
    confirmation = send(kiosk.window, qtbot, "register-job-seeker")
    assert confirmation.learn_button is None and confirmation.finish_button is not None
    assert not any("short lesson" in label.text() for label in confirmation.page.findChildren(QLabel))


def test_without_learner_codes_the_offer_says_lessons_are_unavailable(  # type: ignore[no-untyped-def]
    qtbot, shell_deps, demo_services, tmp_path
) -> None:
    with open_kiosk(qtbot, shell_deps, demo_services, tmp_path, None) as kiosk:  # no payload key: no learner codes
        confirmation = send(kiosk.window, qtbot, "change-address")
        assert confirmation.learn_button is not None
        confirmation.learn_button.click()
        settle()
        assert kiosk.window.current_screen_name() == "confirmation" and kiosk.learning.code is None
        assert confirmation.print_status is not None and not confirmation.print_status.isHidden()
        assert confirmation.print_status.text.text() == kiosk.window.deps.catalog.t("learn.unavailable", "en")


def test_the_mediators_slip_names_the_lesson_with_a_code_this_kiosk_takes_back(  # type: ignore[no-untyped-def]
    assisted: Assisted,  # noqa: F811 - the fixture imported above
    qtbot,
    tmp_path,
) -> None:
    from tutorials.progress import resume

    window = assisted.window
    learning, store = database_learning(tmp_path / "data")
    with_learning(window, learning)
    assisted.agree()
    start(window, "activate-digital-key")
    flow = window.deps.journey.flow
    handed = False
    while flow.stage is Stage.QUESTION:
        if flow.current.question.id == "pin" and not handed:  # the citizen types their private answers
            assisted.banner.hand_button.click()
            handed = True
        answer(window, DIGITAL_KEY[flow.current.question.id])
    assisted.banner.hand_button.click()
    window.screen_widget("check-answers").send_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "confirmation", timeout=10_000)
    settle()
    confirmation = window.screen_widget("confirmation")
    assert confirmation.slip_button is not None and confirmation.learn_button is not None  # offered to both

    confirmation.slip_button.click()
    slip = assisted.printer.printed[-1]
    code = slip.reference
    assert slip.title == "Learn to do this yourself next time" and slip.reference_label == "Learner code"
    assert slip.contact_lines[0] == "Lesson: Signing in with a mobile digital key"
    assert any("only on this kiosk (K-017)" in line for line in slip.contact_lines)
    assert code == learning.code
    with store._open_db() as db:  # the code a citizen types next time finds this learner
        assert resume(db, CIPHER, code, now=dt.datetime.now(dt.UTC)).uuid == learning.learner.uuid
    later, _ = database_learning(tmp_path / "data")  # another day, another session on this kiosk
    assert later.resume(code) == "digital-key-sign-in"  # it opens the lesson the slip names
    submission = window.deps.journey.last_submission
    printed = json.dumps(slip._asdict(), ensure_ascii=False)
    for personal in (submission.reference, "Miguel", "15432876", "123456789", "912", "4821"):
        assert personal not in printed

    printed_before = len(assisted.printer.printed)
    confirmation.learn_button.click()  # the mediator starts it with the citizen: the same learner, no second code
    settle()
    assert window.current_screen_name() == "tutorial-step"
    assert learning.run is not None and learning.run.tutorial.id == "digital-key-sign-in" and learning.code == code
    assert len(assisted.printer.printed) == printed_before
