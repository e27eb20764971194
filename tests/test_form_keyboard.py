"""THE keyboard test: from Home to a sent application and its reference in the database, with key events only.

Every action is a key sent to the focused widget (`QApplication.focusWidget()`): Tab, Shift+Tab, Enter, Space, the
arrow keys, Escape and typing. No setters, no slot calls, no mouse. The service is child-benefit: a repeating group
(each child) with an "add another?" page, a page shown only for a child of 16 or more, a note shown only for two
children or more, numbers, a consent, an address and an IBAN. On the way the citizen meets an error summary twice
(an empty required page, then an IBAN with a wrong check digit), fixes both, changes an answer from the check page,
agrees to reuse their answers today, sends, and gets the reference. The reference on screen is then looked up in the
kiosk's database, the sealed answers are opened with the test key, and Escape from the confirmation leads home.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.catalog import DEMO_CATALOG_DIR
from kiosk.catalog.provider import CatalogProvider
from kiosk.codes import CodeKind, parse_code
from kiosk.crypto import PayloadCipher
from kiosk.forms.flow import Stage
from kiosk.readiness import Readiness
from kiosk.storage import open_storage
from kiosk.submissions import read_payload
from tests.test_form_screens import PAYLOAD_KEY, FakePrinter, form_shell_deps, open_window
from ui.shell import MainWindow

Key = Qt.Key


@pytest.fixture
def window(qtbot, shell_deps, tmp_path: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    services = CatalogProvider()
    services.load(DEMO_CATALOG_DIR)
    win = open_window(qtbot, form_shell_deps(shell_deps, services, tmp_path, FakePrinter(), Readiness()))
    yield win
    win.allow_close()


class Keyboard:
    """Key events to whatever has focus, and nothing else."""

    def __init__(self, qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
        self.qtbot = qtbot
        self.window = window

    def focused(self) -> QWidget:
        return QApplication.focusWidget() or self.window

    def press(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        self.qtbot.keyClick(self.focused(), key, modifier)

    def type(self, text: str) -> None:
        self.qtbot.keyClicks(self.focused(), text)

    def tab_to(self, wanted: Callable[[QWidget], bool], limit: int = 80) -> QWidget:
        """Tab until the focused widget is the one wanted (looking is allowed: only keys act)."""
        for _ in range(limit):
            if wanted(self.focused()):
                return self.focused()
            self.press(Key.Key_Tab)
        raise AssertionError(f"Tab never reached the widget; stuck at {self.focused()!r}")

    def replace(self, text: str) -> None:
        """Select everything in the focused box and type over it (Ctrl+A, then the keys)."""
        self.press(Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        self.type(text)


def question_screen(window: MainWindow):  # type: ignore[no-untyped-def]
    assert window.current_screen_name() == "question"
    return window.screen_widget("question")


def test_a_citizen_applies_for_child_benefit_with_the_keyboard_only(window: MainWindow, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    keys = Keyboard(qtbot, window)
    journey = window.deps.journey

    # Home -> Use a public service -> Having a baby -> Apply for child benefit -> Start now.
    keys.tab_to(lambda w: w is window.home.entries["services"])
    keys.press(Key.Key_Return)
    services = window.screen_widget("services")
    keys.tab_to(lambda w: w is services.tiles.tiles["having-a-baby"])
    keys.press(Key.Key_Return)
    life_event = window.screen_widget("life-event")
    keys.tab_to(lambda w: w is life_event.tiles.tiles["child-benefit"])
    keys.press(Key.Key_Enter)
    start = window.screen_widget("service-start")
    keys.tab_to(lambda w: w is start.start_button)
    keys.press(Key.Key_Return)

    # Question 1: Continue on an empty required page -> the error summary takes focus and leads to the field.
    question = question_screen(window)
    assert question.heading_text == "What is your full name?"
    assert question.progress.text() == "Question 1 of 10"
    assert keys.focused() is question.answer.box  # the page starts in its box
    keys.press(Key.Key_Return)
    assert keys.focused() is question.summary
    assert question.summary.texts() == ["Enter an answer to continue."]
    assert window.windowTitle().startswith("Error: What is your full name?")
    assert question.answer.error_label.text() == "Enter an answer to continue."
    keys.press(Key.Key_Tab)
    assert keys.focused() is question.summary.links[0]
    keys.press(Key.Key_Return)
    assert keys.focused() is question.answer.box
    keys.type("Ana Maria Sousa")
    keys.press(Key.Key_Return)  # Enter in a box is Continue
    assert not window.windowTitle().startswith("Error:")

    # Social security number: this time Tab to Continue and press Enter there.
    assert question.heading_text == "What is your social security number?"
    keys.type("123 456 789 01")
    keys.tab_to(lambda w: w is question.continue_button)
    keys.press(Key.Key_Enter)

    # Address: five labelled boxes, the floor left empty.
    assert question.heading_text == "What is your home address?"
    for part in ("Rua Augusta", "12", "", "1100-048", "Lisboa"):
        keys.type(part)
        keys.press(Key.Key_Tab)
    assert keys.focused() is question.continue_button
    keys.press(Key.Key_Return)

    # Child 1: 18 years old, so the "in education?" page is shown for this child.
    assert question.caption.text() == "Child 1" and question.heading_text == "What is the child's full name?"
    keys.type("Rui Sousa")
    keys.press(Key.Key_Return)
    assert question.heading_text == "What is the child's date of birth?"
    for part in ("2", "3"):
        keys.type(part)
        keys.press(Key.Key_Tab)
    keys.type("2008")
    keys.press(Key.Key_Return)
    assert question.caption.text() == "Child 1" and question.heading_text == "Is the child in education?"
    keys.press(Key.Key_Space)  # the focus is on "Yes": Space selects it
    keys.press(Key.Key_Return)

    # Add another? Yes.
    assert question.heading_text == "Do you want to add another?"
    assert question.hint.text() == "You have added: Child 1."
    keys.press(Key.Key_Space)
    keys.press(Key.Key_Return)

    # Child 2: 11 years old, so no "in education?" page; then "add another?": no.
    assert question.caption.text() == "Child 2"
    keys.type("Marta Sousa")
    keys.press(Key.Key_Return)
    for part in ("15", "6"):
        keys.type(part)
        keys.press(Key.Key_Tab)
    keys.type("2015")
    keys.press(Key.Key_Return)
    assert question.heading_text == "Do you want to add another?"
    keys.press(Key.Key_Down)  # the arrow moves to "No"; Space selects it
    assert keys.focused() is question.answer.options["no"]
    keys.press(Key.Key_Space)
    assert question.answer.raw() == "no"
    keys.press(Key.Key_Return)

    # Two children: the note about larger families is shown; its page has only Continue.
    assert question.heading_text == "Families with 2 or more children may get a higher amount."
    assert keys.focused() is question.continue_button
    keys.press(Key.Key_Return)
    assert question.heading_text == "How many people live in your home, including you?"
    keys.type("4")
    keys.press(Key.Key_Return)
    assert question.heading_text == "What is your household's yearly income, in euros?"
    keys.type("31500")
    keys.press(Key.Key_Return)
    assert question.heading_text == "Can we check your income with the tax authority? (optional)"
    keys.press(Key.Key_Space)  # tick "Yes, I agree"
    keys.press(Key.Key_Return)

    # IBAN with a wrong check digit: the summary again; the typed value stays exactly as typed.
    typed = "PT50 0002 0123 1234 5678 9015 5"
    keys.type(typed)
    keys.press(Key.Key_Return)
    assert keys.focused() is question.summary
    assert question.summary.texts() == ["This IBAN has a mistake. Check each character."]
    assert question.answer.box.text() == typed
    keys.press(Key.Key_Tab)
    keys.press(Key.Key_Return)
    assert keys.focused() is question.answer.box
    keys.press(Key.Key_End)
    keys.press(Key.Key_Backspace)
    keys.type("4")
    keys.press(Key.Key_Return)

    # Check your answers: change the name from here; Continue returns to this page, not to question 2.
    assert window.current_screen_name() == "check-answers"
    check = window.screen_widget("check-answers")
    assert ("What is your full name?", "Ana Maria Sousa") in check.row_texts()
    assert ("What is the child's date of birth?", "2 March 2008") in check.row_texts()
    assert ("What is your household's yearly income, in euros?", "31500") in check.row_texts()
    keys.tab_to(lambda w: w.accessibleName() == "Change: What is your full name?")
    keys.press(Key.Key_Return)
    question = question_screen(window)
    assert question.answer.box.text() == "Ana Maria Sousa"
    assert keys.focused() is question.answer.box
    keys.replace("Ana Maria Sousa Costa")
    keys.press(Key.Key_Return)
    assert window.current_screen_name() == "check-answers"
    assert ("What is your full name?", "Ana Maria Sousa Costa") in check.row_texts()

    # Tell us once, then send.
    keys.tab_to(lambda w: w is check.remember)
    keys.press(Key.Key_Space)
    keys.tab_to(lambda w: w is check.send_button)
    assert check.send_button.text() == "Send your application"
    keys.press(Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_screen_name() == "confirmation", timeout=10_000)

    # The reference shown is the one stored, and the sealed answers are the ones given.
    confirmation = window.screen_widget("confirmation")
    shown = confirmation.reference_shown
    reference = parse_code(shown, CodeKind.SUBMISSION)
    desk = window.context.desk()
    status = desk.lookup(shown)
    assert status is not None and status.reference == reference and status.service_id == "child-benefit"
    assert status.state == "queued"
    with open_storage(tmp_path / "data") as storage:
        uuid = storage.db.conn.execute("SELECT uuid FROM submissions WHERE reference = ?", [reference]).fetchone()[0]
        sealed = json.loads(read_payload(storage.db, uuid, PayloadCipher(PAYLOAD_KEY)))
    answers = sealed["answers"]
    assert answers["full_name"] == "Ana Maria Sousa Costa"
    assert [child["child_name"] for child in answers["children"]] == ["Rui Sousa", "Marta Sousa"]
    assert answers["children"][0]["child_studying"] == "yes" and "child_studying" not in answers["children"][1]
    assert answers["iban"] == "PT50 0002 0123 1234 5678 9015 4"
    assert sealed["consents"] == {"income_check_consent": True}
    assert journey.flow.stage is Stage.SUBMITTED
    assert journey.profile["person.full_name"] == "Ana Maria Sousa Costa"  # agreed: reused today

    # Escape from the confirmation goes home, and Back never reaches the form again.
    keys.press(Key.Key_Escape)
    assert window.current_screen_name() == "home"
    assert window.history() == []
    keys.press(Key.Key_Escape)
    assert window.current_screen_name() == "home"
