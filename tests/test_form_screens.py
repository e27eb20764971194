"""The form screens on the real window: question pages, the error summary, check answers, sending off the GUI thread,
the confirmation, finding a submission by reference, and what a session end leaves behind (nothing).

The fixtures here (`form_deps`, `open_window`) also serve tests/test_form_keyboard.py.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAccessible, QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QPlainTextEdit, QWidget

from kiosk.catalog import DEMO_CATALOG_DIR
from kiosk.catalog.provider import CatalogProvider
from kiosk.desk import SubmissionDesk
from kiosk.forms.answers import AddressInput
from kiosk.forms.flow import Stage
from kiosk.journey import Journey
from kiosk.readiness import Readiness
from kiosk.receipts import Receipt
from kiosk.settings.model import SiteSettings
from tests.conftest import REFERENCE_PANEL
from ui.shell import MainWindow, ShellDeps

PAYLOAD_KEY = bytes(range(32))
TODAY = datetime.date(2026, 11, 28)
SITE = SiteSettings(id="ec-lisboa", name="Lisboa – Saldanha", kiosk_id="K-017")
SIZE = (REFERENCE_PANEL.width_px, REFERENCE_PANEL.height_px)


class FakePrinter:
    """Stands for the default printer: records each receipt; `available` False is a kiosk without one."""

    def __init__(self) -> None:
        self.available = True
        self.printed: list[Receipt] = []

    def __call__(self, receipt: Receipt) -> bool:
        if self.available:
            self.printed.append(receipt)
        return self.available


@pytest.fixture
def printer() -> FakePrinter:
    return FakePrinter()


@pytest.fixture
def readiness() -> Readiness:
    return Readiness()


def form_shell_deps(deps: ShellDeps, services: CatalogProvider, tmp_path: Path, printer, readiness) -> ShellDeps:  # type: ignore[no-untyped-def]
    """`deps` with the demo catalog, a submission desk on a fresh data directory (test key), a receipt spool and a
    fake printer; today is fixed so ages and dates do not drift."""
    data = tmp_path / "data"
    deps.services = services
    deps.journey = Journey(deps.session)
    deps.desk = lambda: SubmissionDesk(data, SITE, readiness, lambda: PAYLOAD_KEY)
    deps.spool_dir = tmp_path / "spool"
    deps.print_receipt = printer
    deps.site = SITE
    deps.today = lambda: TODAY
    return deps


@pytest.fixture
def form_deps(shell_deps, demo_services, tmp_path, printer, readiness) -> ShellDeps:  # type: ignore[no-untyped-def]
    return form_shell_deps(shell_deps, demo_services, tmp_path, printer, readiness)


def open_window(qtbot, deps: ShellDeps) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(deps)
    qtbot.addWidget(window)
    window.resize(*SIZE)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


@pytest.fixture
def window(qtbot, form_deps: ShellDeps) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    win = open_window(qtbot, form_deps)
    yield win
    win.allow_close()


# Helpers --------------------------------------------------------------------------------------------------------------
def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # pages replaced by a re-render are gone


def start(window: MainWindow, service_id: str):  # type: ignore[no-untyped-def]
    """Choose the service and press Start now: the question screen on its first page."""
    window.deps.journey.choose_service(service_id)
    window.show_screen("service-start")
    window.screen_widget("service-start").start_button.click()
    assert window.current_screen_name() == "question"
    return window.screen_widget("question")


def answer(window: MainWindow, raw: object) -> None:
    """Put `raw` in the current page's answer and press Continue."""
    question = window.screen_widget("question")
    question.answer.set_raw(raw)
    question.continue_button.click()


DIGITAL_KEY = {  # activate-digital-key, page by page (its PIN questions are private)
    "pin_privacy": None,
    "citizen_card": "15432876 1 ZZ1",
    "nif": "123456789",
    "phone": "912 345 678",
    "email": "",
    "pin": "4821",
    "pin_again": "4821",
    "code_sent": None,
    "sms_code": "305117",
    "terms_consent": True,
}


def fill_digital_key(window: MainWindow, until: str | None = None) -> None:
    question = start(window, "activate-digital-key")
    flow = window.deps.journey.flow
    while flow.stage is Stage.QUESTION:
        qid = flow.current.question.id
        if qid == until:
            return
        answer(window, DIGITAL_KEY[qid])
        assert not question.errors, (qid, question.errors)


def texts_everywhere(root: QWidget) -> str:
    """Every text a person or assistive technology can get from the widgets under `root`."""
    parts: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        parts += [widget.accessibleName(), widget.accessibleDescription(), widget.windowTitle()]
        if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
            parts.append(widget.text())
        if isinstance(widget, QPlainTextEdit):
            parts.append(widget.toPlainText())
        painted = getattr(widget, "painted_texts", None)
        if callable(painted):
            parts += [text for text, _font in painted()]
        iface = QAccessible.queryAccessibleInterface(widget)
        if iface is not None and iface.isValid():
            parts += [iface.text(QAccessible.Text.Name), iface.text(QAccessible.Text.Description)]
            parts.append(iface.text(QAccessible.Text.Value))
    return "\n".join(part for part in parts if part)


# Question pages -------------------------------------------------------------------------------------------------------
def test_start_now_begins_the_form_and_back_from_the_first_page_returns_to_the_start(window: MainWindow) -> None:
    question = start(window, "child-benefit")
    assert question.heading_text == "What is your full name?"
    answer(window, "Ana Sousa")
    assert question.heading_text == "What is your social security number?"
    question.back_button.click()
    assert question.heading_text == "What is your full name?"
    assert question.answer.box.text() == "Ana Sousa"  # Back keeps what was given
    question.back_button.click()
    assert window.current_screen_name() == "service-start"
    window.screen_widget("service-start").start_button.click()  # the same form, not a fresh one
    assert window.screen_widget("question").answer.box.text() == "Ana Sousa"


def test_escape_on_a_question_page_steps_back_through_the_form(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    question = start(window, "child-benefit")
    answer(window, "Ana Sousa")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert window.current_screen_name() == "question" and question.heading_text == "What is your full name?"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert window.current_screen_name() == "service-start"


def test_the_error_summary_takes_focus_lists_every_error_and_leads_to_each_field(window: MainWindow) -> None:
    from kiosk.forms.answers import FieldError

    question = start(window, "child-benefit")
    answer(window, "Ana Sousa")
    answer(window, "12345678901")
    assert question.heading_text == "What is your home address?"
    answer(window, AddressInput("Rua Augusta", "", "", "", "Lisboa"))
    summary = question.summary
    assert QApplication.focusWidget() is summary
    assert summary.texts() == ["Enter the building number. If it has none, write s/n."]
    assert question.answer.raw() == AddressInput("Rua Augusta", "", "", "", "Lisboa")  # kept as typed
    assert question.answer.error_label.isVisible()
    icon = question.answer.error_icon  # never colour alone: the message has a warning icon before it
    assert icon.isVisible() and not icon.pixmap().isNull()
    assert (
        question.answer.error_label.accessibleName() == "Error: Enter the building number. If it has none, write s/n."
    )
    number, street = question.answer.boxes["number"], question.answer.boxes["street"]
    assert number.property("error") == "true" and street.property("error") is None  # only the box concerned
    assert number.accessibleDescription().startswith("Error: Enter the building number.")
    assert window.windowTitle() == "Error: What is your home address? – Citizen Spot"
    summary.links[0].click()
    assert QApplication.focusWidget() is number
    # Every error is listed, each leading to its own box (two at once, as when sending finds them).
    window.deps.journey.page_errors = [
        FieldError("home_address", "address.postcode.missing", {}, "postcode"),
        FieldError("home_address", "address.locality.missing", {}, "locality"),
    ]
    window.show_screen("question")
    summary = window.screen_widget("question").summary
    assert summary.texts() == ["Enter the postcode.", "Enter the town or locality."]
    summary.links[1].click()
    assert QApplication.focusWidget() is window.screen_widget("question").answer.boxes["locality"]


def test_a_language_change_rebuilds_the_page_with_the_errors_and_the_typed_values(window: MainWindow) -> None:
    question = start(window, "child-benefit")
    answer(window, "Ana Sousa")
    answer(window, "12345678901")
    answer(window, AddressInput("Rua Augusta", "", "", "99", "Lisboa"))
    assert question.summary.texts() == ["Enter the building number. If it has none, write s/n."]
    window.deps.session.set_language("pt-PT")
    settle()
    assert question.heading_text == "Qual é a sua morada?"
    assert question.summary.texts() == ["Escreva o número da porta. Se não tiver, escreva s/n."]
    assert question.continue_button.text() == "Continuar"
    assert question.answer.raw() == AddressInput("Rua Augusta", "", "", "99", "Lisboa")
    assert window.windowTitle().startswith("Erro: Qual é a sua morada?")
    window.deps.session.set_text_step(4)
    settle()
    assert question.answer.raw() == AddressInput("Rua Augusta", "", "", "99", "Lisboa")
    assert question.summary.texts() == ["Escreva o número da porta. Se não tiver, escreva s/n."]


def test_a_told_once_answer_is_suggested_and_marked(window: MainWindow) -> None:
    window.deps.journey.remember_profile({"person.full_name": "Ana Maria Sousa"})
    question = start(window, "child-benefit")
    assert question.answer.box.text() == "Ana Maria Sousa"
    assert question.prefilled is not None and question.prefilled.isVisible()
    assert question.prefilled.text.text() == "Filled in from earlier — please check"
    answer(window, "Ana Maria Sousa")
    question.back_button.click()  # answered now: no longer a suggestion
    assert question.prefilled is None


def test_optional_questions_say_so_and_never_use_asterisks(window: MainWindow) -> None:
    fill_digital_key(window, until="email")
    question = window.screen_widget("question")
    assert question.heading_text == "What is your email address? (optional)"
    assert "*" not in texts_everywhere(question)


# Private answers and hostile answers ----------------------------------------------------------------------------------
def test_a_private_answer_is_masked_and_never_shown_again(window: MainWindow) -> None:
    fill_digital_key(window, until="pin")
    question = window.screen_widget("question")
    assert question.answer.box.echoMode() == QLineEdit.EchoMode.Password
    assert question.answer.box.inputMethodHints() & Qt.InputMethodHint.ImhSensitiveData
    answer(window, "4821")
    answer(window, "4821")
    answer(window, None)
    answer(window, "305117")
    answer(window, True)
    assert window.current_screen_name() == "check-answers"
    check = window.screen_widget("check-answers")
    rows = dict(check.row_texts())
    assert rows["What 4-digit PIN do you want to use?"] == "Hidden"
    assert rows["What is the 6-digit code you received?"] == "Hidden"
    settle()
    for secret in ("4821", "305117"):
        assert secret not in texts_everywhere(window)
    # Change it: the page comes back empty (a private answer is never put on screen again).
    next(row.change for row in check.rows if row.question.text().startswith("What 4-digit PIN")).click()
    assert window.screen_widget("question").answer.box.text() == ""


def test_hostile_answers_are_shown_as_plain_text(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    from ui.sample_form import sample_raw, sample_service

    journey = window.deps.journey
    journey.start_flow(sample_service(), TODAY)
    window.show_screen("question")
    question = window.screen_widget("question")
    answer(window, "Ana\x07Sousa")  # a control character: refused with a message, the value kept
    assert question.summary.texts() == [
        "The answer has characters that cannot be used. Type it again without special characters."
    ]
    assert question.answer.box.text() == "Ana\x07Sousa"
    hostile = "<b>Ana</b> &amp; <img src=x> \u202eanaS\u202c \u200fمرحبا"
    answer(window, hostile)
    long_word = "x" * 400
    answer(window, f"{long_word}\nline two <i>not italic</i>")
    flow = journey.flow
    while flow.stage is Stage.QUESTION:
        answer(window, sample_raw(flow.current))
    check = window.screen_widget("check-answers")
    settle()
    rows = dict(check.row_texts())
    assert rows["What is your full name?"] == hostile
    assert rows["What happened?"] == f"{long_word}\nline two <i>not italic</i>"
    for row in check.rows:
        assert row.answer.textFormat() == Qt.TextFormat.PlainText
        assert row.question.textFormat() == Qt.TextFormat.PlainText
    # The long word wraps inside the page instead of widening it.
    long_row = next(row for row in check.rows if row.question.text() == "What happened?")
    assert long_row.answer.width() <= check.page.width()
    assert long_row.answer.height() >= long_row.answer.heightForWidth(long_row.answer.width())


# Check answers and sending --------------------------------------------------------------------------------------------
def complete_sample(window: MainWindow, lang: str = "en"):  # type: ignore[no-untyped-def]
    from ui.sample_form import sample_flow

    window.deps.session.set_language(lang)
    flow = sample_flow(window.deps.journey)
    window.show_screen("check-answers")
    assert window.current_screen_name() == "check-answers"
    return flow, window.screen_widget("check-answers")


def test_the_check_page_reads_like_the_answers_and_groups_the_repeat(window: MainWindow) -> None:
    _flow, check = complete_sample(window)
    rows = dict(check.row_texts())
    assert rows["What is your date of birth?"] == "2 March 1950"
    assert rows["Have you used this service before?"] == "No"
    assert rows["When can we call you?"] == "In the morning"
    assert rows["Which documents can you bring?"] == "Citizen card\nPassport"
    assert rows["What is your home address?"] == "Rua Augusta 12\n3.º Esq.\n1100-048 Lisboa"
    assert rows["What is your mobile phone number?"] == "+351 912 345 678"
    assert rows["Can we share your answers with your health centre?"] == "Agreed"
    assert rows["People in your home"] == "3"
    assert rows["What is the child's name?"] == "Rui Sousa"
    calculated = next(row for row in check.rows if row.question.text() == "People in your home")
    assert calculated.change is None  # worked out, not changed
    changes = [row.change for row in check.rows if row.change is not None]
    assert all(change.text() == "Change" for change in changes)
    assert changes[0].accessibleName() == "Change: What is your full name?"
    labels = [label.text() for label in check.page.findChildren(QLabel)]
    assert labels.index("Your children") < labels.index("Child 1") < labels.index("What is the child's name?")
    assert check.send_button.text() == "Send your application"
    assert window.windowTitle() == "Check your answers before sending – Citizen Spot"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("pt-PT", "2 de março de 1950"), ("es", "2 de marzo de 1950"), ("fr", "2 mars 1950"), ("uk", "2 березня 1950 р.")],
)
def test_dates_read_in_each_language(window: MainWindow, lang: str, expected: str) -> None:
    _flow, check = complete_sample(window, lang)
    assert expected in [answer_text for _question, answer_text in check.row_texts()]


def test_an_unanswered_optional_question_is_not_provided(window: MainWindow) -> None:
    fill_digital_key(window)
    rows = dict(window.screen_widget("check-answers").row_texts())
    assert rows["What is your email address?"] == "Not provided"


def test_change_returns_to_the_check_page(window: MainWindow) -> None:
    _flow, check = complete_sample(window)
    check.rows[0].change.click()
    assert window.current_screen_name() == "question"
    answer(window, "Ana Costa")
    assert window.current_screen_name() == "check-answers"
    assert dict(check.row_texts())["What is your full name?"] == "Ana Costa"


def test_sending_with_a_missing_answer_opens_its_page_with_the_error(window: MainWindow) -> None:
    flow, check = complete_sample(window)
    del flow.top_answers["phone"]  # as if an earlier change had made it required again
    check.send_button.click()
    assert window.current_screen_name() == "question"
    question = window.screen_widget("question")
    assert question.heading_text == "What is your mobile phone number?"
    assert question.summary.texts() == ["Enter an answer to continue."]
    assert QApplication.focusWidget() is question.summary
    answer(window, "912 345 678")
    assert window.current_screen_name() == "check-answers"  # Continue returns to the check page


def test_sending_runs_off_the_gui_thread_and_says_sending(window: MainWindow, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    release = threading.Event()
    threads: list[threading.Thread] = []
    real_submit = SubmissionDesk.submit

    def slow_submit(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        assert release.wait(10)
        return real_submit(self, *args, **kwargs)

    monkeypatch.setattr(SubmissionDesk, "submit", slow_submit)
    flow, check = complete_sample(window)
    check.send_button.click()
    qtbot.waitUntil(lambda: bool(threads))
    assert threads[0] is not threading.main_thread()
    assert check.send_button.text() == "Sending…" and not check.send_button.isEnabled()
    assert not check.back_button.isEnabled()  # nothing can change the answers while they are being sent
    release.set()
    qtbot.waitUntil(lambda: window.current_screen_name() == "confirmation", timeout=10_000)
    assert flow.stage is Stage.SUBMITTED
    assert window.deps.journey.last_submission is not None
    assert window.history() == []  # Back from the confirmation goes home


def test_a_refused_submission_keeps_every_answer_and_asks_for_staff(window: MainWindow, qtbot, readiness) -> None:  # type: ignore[no-untyped-def]
    readiness.block("secrets", "The encryption key is missing.")
    flow, check = complete_sample(window)
    before = flow.final_answers()
    check.send_button.click()
    qtbot.waitUntil(check.refused.isVisible, timeout=10_000)
    assert check.refused.text.text() == (
        "Your application could not be sent just now. Your answers are kept. Please ask a member of staff for help."
    )
    assert "encryption" not in texts_everywhere(window)  # the reason is for staff, not for the screen
    assert window.current_screen_name() == "check-answers" and flow.stage is Stage.CHECK
    assert flow.final_answers() == before
    assert check.send_button.isEnabled() and check.send_button.text() == "Send your application"
    readiness.clear("secrets")
    check.send_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "confirmation", timeout=10_000)


def test_a_kiosk_without_a_desk_refuses_politely(window: MainWindow) -> None:
    window.deps.desk = None
    _flow, check = complete_sample(window)
    check.send_button.click()
    assert check.refused.isVisible() and window.current_screen_name() == "check-answers"


# Confirmation ---------------------------------------------------------------------------------------------------------
def send_sample(window: MainWindow, qtbot):  # type: ignore[no-untyped-def]
    _flow, check = complete_sample(window)
    check.send_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "confirmation", timeout=10_000)
    return window.screen_widget("confirmation")


def test_the_confirmation_shows_the_reference_next_steps_and_contact(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    confirmation = send_sample(window, qtbot)
    submission = window.deps.journey.last_submission
    assert confirmation.reference_shown == submission.reference
    assert confirmation.reference_label.accessibleName() == ", ".join(submission.reference.split("-"))
    assert QApplication.focusWidget() is confirmation.panel  # read first: "Application sent", the reference
    texts = [label.text() for label in confirmation.page.findChildren(QLabel)]
    assert "Application sent" in texts and "What happens next" in texts and "Contact" in texts
    assert "We answer within 30 days, by letter." in texts
    assert any("Phone: +351 210 000 003" in text for text in texts)
    assert "Ana Maria Sousa" not in texts_everywhere(confirmation)  # never an answer


def test_printing_spools_and_prints_or_says_there_is_no_printer(window: MainWindow, qtbot, printer, tmp_path) -> None:  # type: ignore[no-untyped-def]
    confirmation = send_sample(window, qtbot)
    confirmation.print_button.click()
    reference = window.deps.journey.last_submission.reference
    assert [receipt.reference for receipt in printer.printed] == [reference]
    assert printer.printed[0].site_line.startswith("Citizen spot: Lisboa – Saldanha")
    assert confirmation.print_status.text.text() == "Receipt printed. Please take it from the printer."
    assert [path.name for path in (tmp_path / "spool").iterdir()] == [f"receipt-{reference}.pdf"]
    printer.available = False
    confirmation.print_button.click()
    assert confirmation.print_status.text.text() == (
        "No printer is available: note your reference or ask a member of staff."
    )


def test_back_and_escape_from_the_confirmation_never_reach_the_form(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    send_sample(window, qtbot)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert window.current_screen_name() == "home"
    for name in ("question", "check-answers"):
        window.show_screen(name)
        assert window.current_screen_name() == "home", name
    window.back()
    assert window.current_screen_name() == "home"


def test_form_pages_without_a_form_send_the_citizen_home(window: MainWindow) -> None:
    for name in ("question", "check-answers", "confirmation"):
        window.show_screen(name)
        assert window.current_screen_name() == "home", name


def test_finish_ends_the_session(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    ended: list[str] = []
    window.deps.session.ended.connect(ended.append)
    confirmation = send_sample(window, qtbot)
    confirmation.finish_button.click()
    assert ended == ["finished"]
    assert window.current_screen_name() == "home"
    assert window.deps.journey.flow is None and window.deps.journey.last_submission is None


# Session end ----------------------------------------------------------------------------------------------------------
def test_session_end_leaves_nothing_behind(window: MainWindow, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    canary = "CANARY-7f3a"
    confirmation = send_sample(window, qtbot)
    confirmation.print_button.click()
    assert any((tmp_path / "spool").iterdir())
    question = start(window, "child-benefit")
    box = question.answer.box
    box.setFocus()
    qtbot.keyClicks(box, f"{canary} Sousa")
    qtbot.keyClick(box, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(box, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)  # copying is blocked in form boxes
    assert canary not in QGuiApplication.clipboard().text()
    qtbot.keyClick(box, Qt.Key.Key_Return)
    window.show_screen("lookup")
    qtbot.keyClicks(window.screen_widget("lookup").field, canary)
    QGuiApplication.clipboard().setText(f"{canary} from elsewhere")  # whatever reached the clipboard
    assert canary in texts_everywhere(window)
    window.deps.session.end("timeout")
    settle()
    assert canary not in texts_everywhere(window)
    for widget in QApplication.allWidgets():  # not even in a widget waiting to be deleted
        assert canary not in texts_everywhere(widget), widget
    assert canary not in QGuiApplication.clipboard().text()
    assert list((tmp_path / "spool").iterdir()) == []
    assert window.deps.journey.flow is None and window.deps.journey.profile == {}
    fresh = start(window, "child-benefit")
    assert fresh.answer.box.text() == "" and not fresh.answer.box.isUndoAvailable()


# Finding a submission -------------------------------------------------------------------------------------------------
def open_lookup(window: MainWindow, qtbot):  # type: ignore[no-untyped-def]
    window.show_screen("services")
    qtbot.mouseClick(window.screen_widget("services").lookup_button, Qt.MouseButton.LeftButton)
    assert window.current_screen_name() == "lookup"
    lookup = window.screen_widget("lookup")
    assert QApplication.focusWidget() is lookup.field
    return lookup


def find(lookup, qtbot, text: str) -> None:  # type: ignore[no-untyped-def]
    lookup.field.setText(text)
    qtbot.keyClick(lookup.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not lookup.call.running and lookup.find_button.isEnabled(), timeout=10_000)
    settle()


def test_a_malformed_reference_gets_an_error_summary(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    lookup = open_lookup(window, qtbot)
    find(lookup, qtbot, "hello")
    assert lookup.summary.texts() == ["That is not a reference: it looks like R-XXXX-XXXX-XXXX-X"]
    assert QApplication.focusWidget() is lookup.summary
    assert lookup.field.text() == "hello" and lookup.field.property("error") == "true"
    assert window.windowTitle().startswith("Error: ")
    lookup.summary.links[0].click()
    assert QApplication.focusWidget() is lookup.field


def test_an_unknown_reference_gets_a_polite_message(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    from kiosk.codes import CodeKind, new_code

    lookup = open_lookup(window, qtbot)
    find(lookup, qtbot, new_code(CodeKind.SUBMISSION))
    assert lookup.summary is None
    assert lookup.message.text.text().startswith("No submission with this reference was sent from this kiosk.")
    assert not lookup.result.isVisible()


def test_a_sent_reference_is_found_in_any_spelling_with_its_state(window: MainWindow, qtbot, printer, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from kiosk.storage import open_storage

    send_sample(window, qtbot)
    submission = window.deps.journey.last_submission
    window.deps.journey.last_submission = None
    # The sample service is not in the catalog: store one for a catalog service too, found by its reference.
    service = window.deps.services.service("child-benefit")
    sent = window.context.desk().submit(
        service, answers={"full_name": "Ana"}, consents={}, language="en", assisted=False
    )
    lookup = open_lookup(window, qtbot)
    find(lookup, qtbot, " ".join(sent.reference.lower().split("-")))
    assert lookup.result.isVisible()
    assert lookup.result_service.text() == "Apply for child benefit"
    assert lookup.result_sent.text().startswith("Sent: ")
    assert lookup.result_state.text() == "Progress: Waiting to be sent"
    assert "Ana" not in texts_everywhere(lookup)  # never an answer
    lookup.reprint_button.click()
    assert printer.printed[-1].reference == sent.reference
    with open_storage(tmp_path / "data") as storage:
        storage.db.conn.execute("UPDATE outbox SET state = 'delivered'")
        storage.db.conn.commit()
    find(lookup, qtbot, sent.reference)
    target = window.deps.services.catalog.targets[service.target].name.t("en")
    assert lookup.result_state.text() == f"Progress: Sent to {target}"
    with open_storage(tmp_path / "data") as storage:
        storage.db.conn.execute("UPDATE outbox SET state = 'quarantined'")
        storage.db.conn.commit()
    find(lookup, qtbot, sent.reference)
    assert lookup.result_state.text() == "Progress: Held back: a member of staff will check it"
    find(lookup, qtbot, submission.reference)  # the sample service is not in the catalog: no receipt to print
    assert lookup.result_service.text() == "sample-every-question" and not lookup.reprint_button.isVisible()


# Every page of every type: nothing clipped at the largest text size, nor in Arabic ------------------------------------
def _form_variants() -> list[str]:
    from ui.screenshot_samples import VARIANTS

    return list(VARIANTS)


@pytest.mark.parametrize("name", _form_variants())
@pytest.mark.parametrize(("lang", "step"), [("ar", 0), ("en", 4), ("uk", 4)])
def test_nothing_is_clipped(window: MainWindow, qtbot, name: str, lang: str, step: int) -> None:  # type: ignore[no-untyped-def]
    from tests.test_accessibility_screens import show
    from tests.test_ui_shell import assert_nothing_clipped

    window.deps.session.set_language(lang)
    window.deps.session.set_text_step(step)
    show(window, name)
    settle()
    assert_nothing_clipped(window, qtbot)
    screen = window.stack.currentWidget()
    for widget in screen.findChildren(QWidget):
        if widget.isVisibleTo(window) and hasattr(widget, "painted_texts") and widget.hasHeightForWidth():
            assert widget.height() >= widget.heightForWidth(widget.width()), (name, widget.painted_texts())
            assert widget.width() <= screen.column.width(), name
    rtl = Qt.LayoutDirection.RightToLeft if lang == "ar" else Qt.LayoutDirection.LeftToRight
    assert screen.layoutDirection() == rtl


def test_codes_read_left_to_right_in_a_mirrored_page(window: MainWindow) -> None:
    from tests.test_accessibility_screens import show

    window.deps.session.set_language("ar")
    show(window, "question-nif")
    settle()
    question = window.screen_widget("question")
    box = question.answer.box
    assert box.layoutDirection() == Qt.LayoutDirection.LeftToRight  # "123 456 789" never reads "789 456 123"
    right_edge = box.mapTo(question.page, box.rect().topRight()).x()
    assert right_edge >= question.page.width() - 20  # yet it starts the line: on the right of an Arabic page
    assert question.heading_text == "ما رقمك الضريبي (NIF)؟"


def _demo_service_ids() -> list[str]:
    provider = CatalogProvider()
    provider.load(DEMO_CATALOG_DIR)
    return sorted(provider.catalog.services) if provider.catalog is not None else []


@pytest.mark.parametrize("service_id", _demo_service_ids())
def test_every_demo_service_can_be_completed_on_screen(window: MainWindow, service_id: str) -> None:
    """Each page of each shipped service, answered through its real widget with the service's example answers."""
    from kiosk.forms.answers import is_empty, raw_from_json
    from kiosk.forms.answers_file import example_answers, file_value
    from kiosk.forms.flow import ADD_ANOTHER

    service = window.deps.services.service(service_id)
    answers = example_answers(service, today=TODAY)
    question = start(window, service_id)
    flow = window.deps.journey.flow
    for _ in range(200):
        if flow.stage is not Stage.QUESTION:
            break
        step = flow.current
        value = file_value(answers, step)
        raw = str(value) if step.kind == ADD_ANOTHER else raw_from_json(step.question, value)
        question.answer.set_raw(raw)
        given = question.answer.raw()
        assert given == raw or (is_empty(raw) and is_empty(given)), (step.key, raw, given)
        question.continue_button.click()
        assert not question.errors, (step.key, question.errors)
    assert window.current_screen_name() == "check-answers"
    check = window.screen_widget("check-answers")
    assert len(check.rows) == len(flow.check_rows()) > 0


def grab_in_window(window: MainWindow, widget: QWidget):  # type: ignore[no-untyped-def]
    """The widget as it looks on screen, over what is behind it (a lone grab has no page behind it)."""
    from PySide6.QtCore import QPoint, QRect

    return window.grab(QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())).toImage()


def test_focus_is_clearly_visible_on_options_links_and_the_summary(window: MainWindow, qtbot, save_artifact) -> None:  # type: ignore[no-untyped-def]
    from tests.test_accessibility_screens import show

    theme = window.theme
    show(window, "question-choice")
    question = window.screen_widget("question")
    option = question.answer.options["afternoon"]
    question.back_button.setFocus()
    before = grab_in_window(window, option)
    option.setFocus()
    qtbot.waitUntil(option.hasFocus)
    after = grab_in_window(window, option)
    middle = after.height() // 2
    assert after.pixelColor(2, middle).name() == theme.focus_ring  # the ring
    assert after.pixelColor(after.width() - 10, middle).name() == theme.focus_bg  # the yellow fill
    assert before.pixelColor(after.width() - 10, middle).name() == theme.background
    save_artifact(window, "form-focus-option-en.png")
    show(window, "error")
    summary = window.screen_widget("question").summary
    assert summary.hasFocus()
    focused_border = grab_in_window(window, summary).pixelColor(2, summary.height() // 2).name()
    link = summary.links[0]
    link.setFocus()
    qtbot.waitUntil(link.hasFocus)
    save_artifact(window, "form-focus-error-link-en.png")
    assert focused_border == theme.focus_ring  # the summary shows it has the focus
    assert grab_in_window(window, summary).pixelColor(2, summary.height() // 2).name() == theme.error
    assert grab_in_window(window, link).pixelColor(2, link.height() // 2).name() == theme.focus_ring
