"""The form, digital-key and attach simulations, driven with key events only on the real window.

Each simulated screen sits in its practice frame on a small host screen that does what the step renderer does with an
action (the engine judges it, the message is shown under the screen and announced assertively, focus goes to the
control it is about). The learner finds controls by accessible name and reaches them with Tab; typing, arrows, Space
and Enter do the rest. Checked: the specific feedback for a wrong action, completion, names and target sizes of every
control, nothing reaching the desk or the journey, Arabic (mirrored; phone numbers and codes left to right) and 200 %
text. PNGs go to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QWidget

from accessibility.tokens import THEMES
from kiosk.catalog.model import Text
from kiosk.forms.answers import UNKNOWN, AddressInput, DateInput, raw_from_json
from kiosk.forms.answers_file import example_answers
from tests.a11y_matrix import (
    check_accessible,
    check_clipping,
    check_contrast,
    check_focused_contrast,
    check_tab_order,
    check_targets,
)
from tests.test_tutorials_schema import t
from tutorials.actions import Action, Feedback
from tutorials.build import Builder, simulation
from tutorials.loader import load_tutorials
from tutorials.model import (
    AttachSimulation,
    DemoStep,
    DigitalKeySimulation,
    FormSimulation,
    Frame,
    PracticeStep,
    Simulation,
)
from tutorials.practice import DigitalKeyPractice, Practice, practice_for
from ui.forms.choices import ChoiceAnswer, ConsentAnswer, MultipleChoiceAnswer, YesNoAnswer
from ui.forms.painted import RadioOption
from ui.forms.text_inputs import LineAnswer
from ui.screens.base import Screen, ScreenContext
from ui.screens.browse_parts import definition_text, plain_label
from ui.screens.form_parts import ErrorSummary
from ui.shell import MainWindow
from ui.speech_reader import widget_script
from ui.tutorials.sim_form import FormScreen, json_value
from ui.tutorials.simulations import PracticeFrame, SimulationContext, widget_for

if TYPE_CHECKING:
    from kiosk.catalog.model import Question

TODAY = dt.date(2026, 11, 28)
PRACTICE_FORMS = load_tutorials().practice
_names = itertools.count()

ATTACH = {
    "kind": "attach",
    "title": t("Pedir um cartão (treino)", "Ask for a card (practice)"),
    "slot": t("Comprovativo de morada", "Proof of address"),
    "documents": [
        {
            "id": "holiday",
            "name": t("Férias no Algarve.jpg", "Holiday in the Algarve.jpg"),
            "type": "photo",
            "feedback": t("Essa é uma fotografia das férias.", "That is a holiday photo. Look for the bill."),
        },
        {"id": "bill", "name": t("Fatura da luz.pdf", "Electricity bill.pdf"), "type": "pdf"},
        {"id": "letter", "name": t("Carta.docx", "Letter.docx"), "type": "document"},
    ],
    "expect": "bill",
    "success": t("Muito bem!", "Well done! The bill is attached."),
    "wrong": t("Esse não.", "Not that one."),
}
DIGITAL_KEY = {
    "kind": "digital-key",
    "phone_number": "912 345 678",
    "pin": "4321",
    "mistakes": [
        {"field": "phone", "pattern": r"\d{1,8}", "feedback": t("Faltam números.", "Some digits are missing.")},
        {"field": "pin", "feedback": t("O PIN é 4321.", "The PIN for this practice is 4321.")},
    ],
    "success": t("Entrou!", "You are signed in."),
    "wrong": t("Veja outra vez.", "Look again at the phone."),
}
FORM = {
    "kind": "form",
    "title": t("Cartão da biblioteca (treino)", "Library card (practice)"),
    "service_ref": "practice-library-card",
    "expect": {"first_name": "Ana", "postcode": "1000-001"},
    "mistakes": [
        {"field": "postcode", "code": "postcode.format", "feedback": t("4-3 números.", "Four digits, a dash, three.")},
        {"field": "first_name", "code": "expect", "feedback": t("Escreva Ana.", "The practice asks for Ana.")},
    ],
    "success": t("Muito bem!", "Well done: the form is filled in."),
    "wrong": t("Ainda não.", "Not yet."),
}


def build(doc: dict[str, Any]) -> Simulation:
    builder = Builder(("pt-PT", "en"), PRACTICE_FORMS)
    built = simulation(builder, doc, "test")
    assert not builder.problems, builder.problems
    return built


class SimHost(Screen):
    """What the step renderer does around a simulated screen: feedback under it, announced, focus to its control."""

    def __init__(self, context: ScreenContext, sim: Simulation, practice: Practice | None) -> None:
        super().__init__(context)
        self.practice = practice
        self.feedback: list[Feedback] = []
        sim_context = SimulationContext(context, practice, demo=practice is None)
        self.frame: PracticeFrame = widget_for(sim, sim_context, self.act)
        self.inner = self.frame.inner
        self.message = plain_label("lead")
        self.body.addWidget(self.frame)
        self.body.addWidget(self.message)

    def first_focus(self) -> QWidget | None:
        return self.inner.first_control()

    def on_retranslate(self) -> None:
        self.frame.retranslate()

    def on_restyle(self) -> None:
        self.frame.retranslate()

    def act(self, action: Action) -> Feedback:
        assert self.practice is not None, "a demo never acts"
        feedback = self.practice.act(action)
        self.feedback.append(feedback)
        text = definition_text(feedback.message, self.context.language) if feedback.message else feedback.key
        self.message.setText(text)
        self.context.announce(self.message, text, assertive=True)
        self.inner.show_feedback(feedback)
        target = self.inner.control(feedback.control)
        if target is not None:
            target.setFocus()
        return feedback


class Learner:
    """A keyboard-only learner on the window: finds controls by accessible name, Tabs to them, types, presses keys."""

    def __init__(self, window: MainWindow, host: SimHost) -> None:
        self.window, self.host = window, host
        self.announced: list[tuple[str, bool]] = []
        window.announcer.announced.connect(lambda _w, message, assertive: self.announced.append((message, assertive)))

    def named(self, name: str, kind: type[QWidget] = QWidget) -> QWidget:
        found = [
            w
            for w in self.host.frame.findChildren(kind)
            if w.isVisible() and QAccessible.queryAccessibleInterface(w).text(QAccessible.Text.Name) == name
        ]
        assert len(found) == 1, (name, found)
        return found[0]

    def tab_to(self, widget: QWidget) -> None:
        for _ in range(80):
            if QApplication.focusWidget() is widget:
                return
            QTest.keyClick(QApplication.focusWidget() or self.window, Qt.Key.Key_Tab)
        raise AssertionError(f"Tab never reached {widget.accessibleName()!r}")

    def key(self, key: Qt.Key) -> None:
        QTest.keyClick(QApplication.focusWidget(), key)
        settle()

    def type_into(self, name: str, text: str) -> None:
        box = self.named(name, QLineEdit)
        self.tab_to(box)
        QTest.keySequence(box, "Ctrl+A")  # select all: typing replaces what was there
        QTest.keyClick(box, Qt.Key.Key_Backspace)
        QTest.keyClicks(box, text)

    def press(self, name: str) -> None:
        self.tab_to(self.named(name))
        self.key(Qt.Key.Key_Return)

    def last_assertive(self) -> str:
        return next(message for message, assertive in reversed(self.announced) if assertive)


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


@pytest.fixture
def open_sim(main_window: MainWindow) -> Iterator[Callable[..., tuple[SimHost, Learner]]]:
    def open_(doc: dict[str, Any] | Simulation, *, seed: int = 7, demo: bool = False) -> tuple[SimHost, Learner]:
        sim = doc if isinstance(doc, Simulation) else build(doc)
        practice = None if demo else practice_for(sim, today=TODAY, rng=random.Random(seed))
        name = f"sim-host-{next(_names)}"
        main_window.deps.registry.register(name, lambda context: SimHost(context, sim, practice))
        main_window.show_screen(name)
        settle()
        host = main_window.screen_widget(name)
        assert isinstance(host, SimHost)
        return host, Learner(main_window, host)

    yield open_


def en(text: dict[str, str]) -> str:
    return text["en"]


# Attach ---------------------------------------------------------------------------------------------------------------
def test_attach_a_wrong_document_says_why_then_the_right_one_completes(open_sim, main_window, save_artifact) -> None:  # type: ignore[no-untyped-def]
    host, learner = open_sim(ATTACH)
    screen = host.inner
    learner.press("Attach")  # nothing chosen: the simulated site's own check, not a mistake
    assert screen.site_error.isVisible() and learner.last_assertive() == screen.site_error.text()
    assert host.feedback == [] and host.practice.wrong_actions == 0
    holiday = learner.named("Holiday in the Algarve.jpg", RadioOption)
    assert QApplication.focusWidget() is holiday  # the check sent the learner to the folder
    learner.key(Qt.Key.Key_Space)  # choose the photo
    learner.key(Qt.Key.Key_Return)  # Enter on a document attaches it
    feedback = host.feedback[-1]
    assert not feedback.correct and feedback.key == "not-this"
    assert host.message.text() == en(ATTACH["documents"][0]["feedback"]) == learner.last_assertive()
    assert screen.attached is not None and screen.attached.id == "holiday"
    assert screen.remove_button.isVisible() and "Holiday in the Algarve.jpg" in screen.slot_text.text()
    save_artifact(main_window, "tutorial-sim-attach-wrong-en-100.png")
    learner.press("Remove Holiday in the Algarve.jpg")
    assert screen.attached is None and not screen.remove_button.isVisible()
    assert QApplication.focusWidget() is holiday
    learner.key(Qt.Key.Key_Down)  # the arrow keys move through the folder and choose
    assert learner.named("Electricity bill.pdf", RadioOption).isChecked()
    learner.press("Attach")
    assert host.feedback[-1].done and host.message.text() == en(ATTACH["success"])
    assert "Electricity bill.pdf" in screen.slot_text.text()


# Digital key ----------------------------------------------------------------------------------------------------------
def test_digital_key_wrong_number_and_pin_then_the_code_from_the_fake_phone(
    open_sim, main_window, save_artifact
) -> None:  # type: ignore[no-untyped-def]
    host, learner = open_sim(DIGITAL_KEY)
    screen, practice = host.inner, host.practice
    assert isinstance(practice, DigitalKeyPractice)
    phone = screen.fake_phone
    assert "No new messages." in phone.accessibleName() and practice.one_time_code not in phone.accessibleName()
    learner.type_into("Security code", "111111")
    learner.press("Sign in")  # the code before the number: said kindly, focus to the number
    assert host.feedback[-1].key == "code-not-sent" and QApplication.focusWidget() is screen.phone
    learner.type_into("Mobile phone number", "91234")
    learner.press("Send code")
    assert host.message.text() == "Some digits are missing." == learner.last_assertive()
    assert QApplication.focusWidget() is screen.phone
    learner.type_into("Mobile phone number", "+351 912 345 678")
    learner.type_into("Digital Mobile Key PIN", "1111")
    learner.press("Send code")
    assert host.message.text() == "The PIN for this practice is 4321." and QApplication.focusWidget() is screen.pin
    assert phone.code is None
    learner.type_into("Digital Mobile Key PIN", "4321")
    learner.press("Send code")
    assert host.feedback[-1].key == "code-sent" and phone.code == practice.one_time_code
    assert QApplication.focusWidget() is phone  # the engine sends the learner to the message; its name reads it
    spelled = " ".join(practice.one_time_code)
    assert spelled in phone.accessibleName() and phone.sender_label.text() in phone.accessibleName()
    assert practice.one_time_code[:3] in phone.message.text()
    save_artifact(main_window, "tutorial-sim-digital-key-code-sent-en-100.png")
    spoken = " ".join(u.text for u in widget_script(host.frame, "en", lambda key: key))  # read aloud's script
    assert spelled in spoken and "No new messages." not in spoken
    learner.type_into("Security code", "000000" if practice.one_time_code != "000000" else "111111")
    learner.press("Sign in")
    assert not host.feedback[-1].correct and host.message.text() == "Look again at the phone."
    learner.type_into("Security code", practice.one_time_code)
    learner.key(Qt.Key.Key_Return)  # Enter in the code box signs in
    assert host.feedback[-1].done and host.message.text() == "You are signed in."


def test_digital_key_boxes_ask_for_keypads_and_a_fresh_code_each_run(open_sim) -> None:  # type: ignore[no-untyped-def]
    host, _learner = open_sim(DIGITAL_KEY, seed=1)
    screen = host.inner
    hints = Qt.InputMethodHint
    assert screen.phone.inputMethodHints() & hints.ImhDialableCharactersOnly
    assert screen.phone.property("keyboard") == "phone"
    assert screen.code.inputMethodHints() & hints.ImhDigitsOnly and screen.code.property("keyboard") == "numeric"
    assert screen.pin.echoMode() == QLineEdit.EchoMode.Password and screen.pin.property("keyboard") == "numeric"
    other, _ = open_sim(DIGITAL_KEY, seed=2)
    assert host.practice.one_time_code != other.practice.one_time_code


# Form -----------------------------------------------------------------------------------------------------------------
def test_form_shows_the_form_engines_errors_and_the_tutorials_feedback_and_never_sends(
    open_sim, main_window: MainWindow, save_artifact
) -> None:  # type: ignore[no-untyped-def]
    desk_calls: list[int] = []
    main_window.deps.desk = lambda: desk_calls.append(1)  # type: ignore[assignment,func-returns-value]
    host, learner = open_sim(FORM)
    screen = host.inner
    name = "Which name does the practice give you?"
    learner.type_into(name, "Rita")
    learner.key(Qt.Key.Key_Return)  # Enter in the box is Continue
    assert host.feedback == []  # a page the form engine accepts is not judged yet
    learner.type_into("What is the postcode?", "1000")
    learner.press("Continue")
    summary = screen.summary
    assert isinstance(summary, ErrorSummary) and QApplication.focusWidget() is summary
    form_error = main_window.deps.catalog.t("errors.postcode.format", "en")
    assert summary.texts() == [form_error] and screen.answer is not None
    assert screen.answer.error_label.text() == form_error  # the message beside the field, as on a real page
    assert host.feedback[-1].key == "form-error" and host.message.text() == "Four digits, a dash, three."
    # Said in this order: the tutorial's feedback, then the summary that took the focus (it does not cut it off).
    assert learner.announced[-2] == ("Four digits, a dash, three.", True)
    assert form_error in learner.announced[-1][0] and learner.announced[-1][1]
    assert screen.answer.first_field().text() == "1000"  # kept as typed
    save_artifact(main_window, "tutorial-sim-form-error-en-100.png")
    learner.type_into("What is the postcode?", "1000-001")
    learner.press("Continue")
    learner.tab_to(learner.named("Yes", RadioOption))  # a radio group is one Tab stop: the arrows move inside
    learner.key(Qt.Key.Key_Down)
    learner.key(Qt.Key.Key_Space)
    assert learner.named("No", RadioOption).isChecked()
    learner.key(Qt.Key.Key_Return)  # the last page: the form goes to the engine
    assert host.feedback[-1].key == "form-expect" and host.message.text() == "The practice asks for Ana."
    change = learner.named(f"Change: {name}")
    assert QApplication.focusWidget() is change  # the check page, on the answer the task asked otherwise
    learner.key(Qt.Key.Key_Return)
    learner.type_into(name, "Ana")
    learner.key(Qt.Key.Key_Return)  # back to the check page: judged again
    assert host.feedback[-1].done and host.message.text() == "Well done: the form is filled in."
    assert screen.finished
    texts = [label.text() for label in screen.findChildren(QLabel) if label.isVisible()]
    assert main_window.deps.catalog.t("tutorial.form.done_text", "en") in texts and "1000-001" in texts
    assert desk_calls == [] and main_window.deps.journey.flow is None  # never the desk, never the journey


def test_form_back_goes_to_the_page_before_and_keeps_its_answer(open_sim) -> None:  # type: ignore[no-untyped-def]
    host, learner = open_sim(FORM)
    first = learner.named("Which name does the practice give you?", QLineEdit)
    assert "back" not in host.inner.controls  # the first page has nowhere to go back to
    learner.type_into("Which name does the practice give you?", "Ana")
    learner.key(Qt.Key.Key_Return)
    learner.press("Back")
    first = learner.named("Which name does the practice give you?", QLineEdit)
    assert isinstance(first, QLineEdit) and first.text() == "Ana" and QApplication.focusWidget() is first


# Every kind: names, sizes, Arabic, 200 % ------------------------------------------------------------------------------
DOCS = {"attach": ATTACH, "digital-key": DIGITAL_KEY, "form": FORM}


PRESENTATIONS = [("en", 0), ("en", 4), ("ar", 4), ("pt-PT", 0)]  # (language, text-size step): 100 % and 200 %


@pytest.mark.parametrize("kind", sorted(DOCS))
@pytest.mark.parametrize("presentation", PRESENTATIONS, ids=[f"{lang}-{100 + 25 * s}" for lang, s in PRESENTATIONS])
def test_every_control_is_named_large_enough_reachable_and_unclipped(
    open_sim, main_window: MainWindow, save_artifact, kind: str, presentation: tuple[str, int]
) -> None:  # type: ignore[no-untyped-def]
    lang, step = presentation
    main_window.deps.session.set_language(lang)
    main_window.deps.session.set_text_step(step)
    host, _learner = open_sim(DOCS[kind])
    settle()
    save_artifact(main_window, f"tutorial-sim-{kind}-{lang}-{100 + 25 * step}.png")
    failures = [
        *check_accessible(main_window),
        *check_targets(main_window),
        *check_clipping(main_window),
        *check_tab_order(main_window),
    ]
    assert not failures, "\n".join(failures)
    assert set(host.inner.controls) <= set(build(DOCS[kind]).controls())
    for control_id, widget in host.inner.controls.items():
        assert widget.property("control") == control_id


@pytest.mark.parametrize("kind", sorted(DOCS))
@pytest.mark.parametrize("theme", sorted(THEMES))
def test_every_theme_keeps_the_contrast_of_every_text_and_focused_control(
    open_sim, main_window: MainWindow, save_artifact, kind: str, theme: str
) -> None:  # type: ignore[no-untyped-def]
    main_window.deps.session.set_theme(theme)
    _host, _learner = open_sim(DOCS[kind])
    failures = [*check_contrast(main_window), *check_focused_contrast(main_window)]
    assert not failures, "\n".join(failures)
    save_artifact(main_window, f"tutorial-sim-{kind}-{theme}-focus.png")


def test_arabic_mirrors_the_screen_and_keeps_numbers_and_codes_left_to_right(
    open_sim, main_window: MainWindow, save_artifact
) -> None:  # type: ignore[no-untyped-def]
    main_window.deps.session.set_language("ar")
    main_window.deps.session.set_text_step(4)
    host, learner = open_sim(DIGITAL_KEY)
    screen = host.inner
    assert screen.layoutDirection() == Qt.LayoutDirection.RightToLeft
    for box in (screen.phone, screen.pin, screen.code):
        assert box.layoutDirection() == Qt.LayoutDirection.LeftToRight
    # Mirrored: the phone is on the left of the form, each box at the start (right) of its line.
    assert (
        screen.fake_phone.mapTo(main_window, screen.fake_phone.rect().topLeft()).x()
        < screen.phone.mapTo(main_window, screen.phone.rect().topLeft()).x()
    )
    learner.type_into(screen.phone.accessibleName(), "912345678")
    learner.type_into(screen.pin.accessibleName(), "4321")
    learner.press(screen.send_button.accessibleName())
    code = host.practice.one_time_code  # type: ignore[attr-defined]
    assert (
        f"\u2066{code[:3]}\u00a0{code[3:]}\u2069" in screen.fake_phone.message.text()
    )  # isolated: reads left to right
    host.scroll_area.ensureWidgetVisible(screen.fake_phone)
    save_artifact(main_window, "tutorial-sim-digital-key-code-sent-ar-200.png")


def test_a_language_change_rebuilds_the_form_page_with_what_was_typed_and_its_errors(
    open_sim, main_window: MainWindow
) -> None:  # type: ignore[no-untyped-def]
    host, learner = open_sim(FORM)
    learner.type_into("Which name does the practice give you?", "Ana")
    learner.key(Qt.Key.Key_Return)
    learner.type_into("What is the postcode?", "12")
    learner.press("Continue")
    main_window.deps.session.set_language("pt-PT")
    settle()
    screen = host.inner
    assert screen.summary is not None and screen.summary.texts() == [
        main_window.deps.catalog.t("errors.postcode.format", "pt-PT")
    ]
    assert screen.answer is not None and screen.answer.first_field().text() == "12"
    assert learner.named("Qual é o código postal?", QLineEdit) is screen.answer.first_field()


# The shipped tutorials that use these kinds ---------------------------------------------------------------------------
SHIPPED = [
    (tutorial.id, step)
    for tutorial in load_tutorials().tutorials.values()
    for step in tutorial.steps
    if isinstance(step, DemoStep | PracticeStep) and step.simulation.kind in DOCS
]


@pytest.mark.parametrize(
    "step",
    [s for _t, s in SHIPPED if isinstance(s, DemoStep)],
    ids=[f"{t}-{s.id}" for t, s in SHIPPED if isinstance(s, DemoStep)],
)
def test_every_frame_of_a_shipped_demo_highlights_a_control_and_nothing_acts(
    open_sim, main_window: MainWindow, save_artifact, step: DemoStep
) -> None:  # type: ignore[no-untyped-def]
    for number, frame in enumerate(step.frames):
        host, _learner = open_sim(step.simulation, demo=True)  # as the step page: a screen built for each frame
        host.inner.show_frame(frame)
        settle()
        widget = host.inner.control(frame.highlight)
        assert widget is not None and widget.property("highlighted") is True, (number, frame.highlight)
        if frame.typed is not None and isinstance(widget, QLineEdit):
            assert widget.text() == frame.typed
        for control in host.inner.controls.values():  # a demo's controls may be reached (read), never acted on
            if control.isVisible() and control.focusPolicy() != Qt.FocusPolicy.NoFocus:
                control.setFocus()
                QTest.keyClick(control, Qt.Key.Key_Return)
        assert host.feedback == []
    save_artifact(main_window, f"tutorial-sim-demo-{step.simulation.kind}-last-frame.png")


def test_a_demo_phone_shows_the_code_the_demo_types_from_the_message_on(open_sim) -> None:  # type: ignore[no-untyped-def]
    sim = build(DIGITAL_KEY)
    phone_frame = Frame("fake-phone", Text.of({"en": "The code arrives."}))
    host, _learner = open_sim(sim, demo=True)
    host.inner.show_frame(phone_frame)
    shown = host.inner.fake_phone.code
    assert shown == "482913" and host.inner.phone.text() == sim.phone_number and host.inner.pin.text() == sim.pin
    host, _learner = open_sim(sim, demo=True)
    host.inner.show_frame(Frame("send", Text.of({"en": "Tap Send code."})))
    assert host.inner.fake_phone.code is None  # the message comes after Send


@pytest.mark.parametrize(
    "step",
    [s for _t, s in SHIPPED if isinstance(s, PracticeStep) and s.simulation.kind != "form"],
    ids=[f"{t}-{s.id}" for t, s in SHIPPED if isinstance(s, PracticeStep) and s.simulation.kind != "form"],
)
def test_a_keyboard_learner_completes_each_shipped_attach_and_digital_key_practice(
    open_sim, step: PracticeStep
) -> None:  # type: ignore[no-untyped-def]
    host, learner = open_sim(step.simulation)
    screen, sim = host.inner, step.simulation
    if isinstance(sim, AttachSimulation):
        learner.tab_to(next(iter(screen.options.values())))
        while not screen.options[sim.expect].hasFocus():
            learner.key(Qt.Key.Key_Down)
        learner.key(Qt.Key.Key_Space)
        learner.press(screen.attach_button.accessibleName())
    else:
        assert isinstance(sim, DigitalKeySimulation) and isinstance(host.practice, DigitalKeyPractice)
        learner.type_into(screen.phone.accessibleName(), sim.phone_number)
        if sim.pin is not None:
            learner.type_into(screen.pin.accessibleName(), sim.pin)
        learner.press(screen.send_button.accessibleName())
        learner.type_into(screen.code.accessibleName(), host.practice.one_time_code)
        learner.press(screen.sign_in_button.accessibleName())
    assert host.feedback[-1].done and host.feedback[-1].correct


def fill_page_by_keys(learner: Learner, screen: FormScreen, value: object) -> None:
    """One question page, by keys: type into a box, arrow to a radio option and Space, Space on each check box."""
    answer = screen.answer
    assert answer is not None
    fields = answer.fields()
    if isinstance(answer, LineAnswer):
        learner.type_into(fields[0].accessibleName(), str(value))
    elif isinstance(answer, MultipleChoiceAnswer):
        for chosen in value if isinstance(value, list) else [value]:
            learner.tab_to(answer.options[str(chosen)])
            learner.key(Qt.Key.Key_Space)
    elif isinstance(answer, ConsentAnswer):
        learner.tab_to(fields[0])
        if bool(value) != fields[0].isChecked():
            learner.key(Qt.Key.Key_Space)
    else:  # one radio group: Tab enters it once, the arrows move, Space chooses
        assert isinstance(answer, YesNoAnswer | ChoiceAnswer), type(answer)
        target = answer.options["yes" if value is True else "no" if value is False else str(value)]
        learner.tab_to(fields[0])
        for _ in range(len(fields)):
            if target.hasFocus():
                break
            learner.key(Qt.Key.Key_Down)
        learner.key(Qt.Key.Key_Space)
    learner.press(screen.continue_button.accessibleName() if screen.continue_button else "")


@pytest.mark.parametrize(
    "step",
    [s for _t, s in SHIPPED if isinstance(s, PracticeStep) and s.simulation.kind == "form"],
    ids=[f"{t}-{s.id}" for t, s in SHIPPED if isinstance(s, PracticeStep) and s.simulation.kind == "form"],
)
def test_a_keyboard_learner_fills_in_each_shipped_practice_form(open_sim, main_window, step: PracticeStep) -> None:  # type: ignore[no-untyped-def]
    sim = step.simulation
    assert isinstance(sim, FormSimulation)
    answers = example_answers(sim.service, today=TODAY) | sim.expect
    host, learner = open_sim(sim)
    screen = host.inner
    assert isinstance(screen, FormScreen)
    for _page in range(20):
        if screen.finished:
            break
        assert screen.step is not None and screen.step.question is not None
        fill_page_by_keys(learner, screen, answers[screen.step.question.id])
    assert screen.finished and host.feedback[-1].done and host.feedback[-1].correct
    assert main_window.deps.journey.flow is None


# What the engine replays is what was typed -------------------------------------------------------------------------
_part = st.text(alphabet=st.characters(blacklist_characters="-", blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.tuples(st.just("text"), st.text(max_size=40)),
        st.tuples(st.just("date"), st.builds(DateInput, _part, _part, _part)),
        st.tuples(st.just("address"), st.builds(AddressInput, *[st.text(max_size=20)] * len(AddressInput._fields))),
        st.tuples(st.just("multiple-choice"), st.lists(st.from_regex(r"[a-z]{1,8}", fullmatch=True)).map(tuple)),
        st.tuples(st.just("consent"), st.booleans()),
        st.tuples(st.just("yes-no"), st.just(UNKNOWN)),
    )
)
def test_a_page_input_goes_to_the_engine_as_the_same_raw_input(case: tuple[str, object]) -> None:
    kind, raw = case
    question = cast("Question", SimpleNamespace(type=kind))  # raw_from_json reads only the type
    assert raw_from_json(question, json_value(raw)) == raw  # type: ignore[arg-type]
