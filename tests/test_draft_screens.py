"""Save and come back later on the real window: save from a question page with a date of birth, see and print the
code (its QR code read back from the pixels), continue in a new session with the code typed loosely, the neutral
message for a wrong date or an unknown code, locking, the draft deleted once the form is sent, and nothing typed left
behind when the session ends. The database is a fresh data directory sealed with a test key (tests/test_form_screens).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import zxingcpp
from PySide6.QtWidgets import QApplication

from kiosk.catalog import DEMO_CATALOG_DIR
from kiosk.catalog.provider import CatalogProvider
from kiosk.drafts import MAX_WRONG_CHECKS
from kiosk.forms.answers import DateInput
from kiosk.forms.flow import Stage
from kiosk.readiness import Readiness
from kiosk.receipts import DRAFT_SLIP_LABEL_KEYS, build_draft_slip, without_marks
from kiosk.storage import open_storage
from tests.test_form_screens import (
    FakePrinter,
    answer,
    fill_digital_key,
    form_shell_deps,
    open_window,
    settle,
    start,
    texts_everywhere,
)
from tests.test_receipt import ROLL_PX, grey
from ui.receipt import render_receipt_image
from ui.shell import MainWindow

BIRTH = DateInput("2", "3", "1980")
CODE_PATTERN = re.compile(r"D-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}-[0-9A-Z]")
NOT_FOUND = "We could not find saved answers with this code and date of birth. Check both, or ask a member of staff."


@pytest.fixture(scope="module")
def services() -> CatalogProvider:
    provider = CatalogProvider()
    provider.load(DEMO_CATALOG_DIR)
    return provider


@pytest.fixture
def printer() -> FakePrinter:
    return FakePrinter()


@pytest.fixture
def window(qtbot, shell_deps, services, tmp_path: Path, printer: FakePrinter) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    deps = form_shell_deps(shell_deps, services, tmp_path, printer, Readiness())
    deps.draft_retention_days = 14
    win = open_window(qtbot, deps)
    yield win
    win.allow_close()


def drafts_stored(tmp_path: Path) -> int:
    with open_storage(tmp_path / "data") as storage:
        return int(storage.db.execute("SELECT count(*) FROM drafts").fetchone()[0])


def save(window: MainWindow, qtbot, birth: DateInput = BIRTH):  # type: ignore[no-untyped-def]
    """On the save page: type the date of birth and press "Save and print my code"; the page once saved."""
    assert window.current_screen_name() == "save-draft"
    page = window.screen_widget("save-draft")
    for box, value in zip(page.date.fields(), birth, strict=True):
        box.setFocus()
        qtbot.keyClicks(box, value)
    page.save_button.click()
    qtbot.waitUntil(lambda: page.saved is not None or page._refused_shown, timeout=10_000)
    return page


def save_child_benefit_on_page_two(window: MainWindow, qtbot) -> str:  # type: ignore[no-untyped-def]
    question = start(window, "child-benefit")
    answer(window, "Ana Sousa")
    assert question.heading_text == "What is your social security number?"
    question.save_button.click()
    return save(window, qtbot).code_shown


def end_session(window: MainWindow, qtbot, reason: str = "finished") -> None:  # type: ignore[no-untyped-def]
    """The citizen leaves; the window is made active again, as the next citizen's first tap would."""
    window.deps.session.end(reason)
    settle()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def open_resume_page(window: MainWindow):  # type: ignore[no-untyped-def]
    window.show_screen("services")
    window.screen_widget("services").resume_button.click()
    assert window.current_screen_name() == "resume-draft"
    return window.screen_widget("resume-draft")


def resume(window: MainWindow, qtbot, code: str, birth: DateInput = BIRTH):  # type: ignore[no-untyped-def]
    page = open_resume_page(window)
    page.code_field.setFocus()
    qtbot.keyClicks(page.code_field, code)
    for box, value in zip(page.date.fields(), birth, strict=True):
        qtbot.keyClicks(box, value)
    page.continue_button.click()
    qtbot.waitUntil(lambda: not page.busy, timeout=10_000)
    settle()
    return page


def loosely(code: str) -> str:
    """The code as a person may type it: lower case, spaces instead of hyphens."""
    return code.lower().replace("-", " ")


# Saving ---------------------------------------------------------------------------------------------------------------
def test_saving_from_a_question_page_shows_and_prints_the_code(window: MainWindow, qtbot, printer, tmp_path) -> None:  # type: ignore[no-untyped-def]
    question = start(window, "child-benefit")
    answer(window, "Ana Sousa")
    question.save_button.click()
    page = window.screen_widget("save-draft")
    assert page.page_title == "Save your answers and come back later"
    assert "for 14 days" in texts_everywhere(page)
    page = save(window, qtbot)
    code = page.code_shown
    assert CODE_PATTERN.fullmatch(code)
    assert page.panel.hasFocus()  # read first: "Your answers are saved", then the code
    assert "Keep this code. You need it and your date of birth to continue before" in texts_everywhere(page)
    assert drafts_stored(tmp_path) == 1
    [slip] = printer.printed
    assert slip.reference == code and slip.title == "Your answers are saved"
    assert slip.reference_label == "Your code to continue" and slip.sent_at_label == "Keep until"
    assert page.print_status.isVisible()
    # What is printed reads back as the code.
    pixels = grey(render_receipt_image(slip, *ROLL_PX))
    assert [(c.format, c.text) for c in zxingcpp.read_barcodes(pixels)] == [(zxingcpp.BarcodeFormat.QRCode, code)]
    ended: list[str] = []
    window.deps.session.ended.connect(ended.append)
    page.finish_button.click()
    assert ended == ["finished"] and window.deps.journey.flow is None


def test_a_date_of_birth_in_the_future_gets_an_error_summary(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    start(window, "child-benefit").save_button.click()
    page = window.screen_widget("save-draft")
    for box, value in zip(page.date.fields(), ("2", "3", "2090"), strict=True):
        qtbot.keyClicks(box, value)
    page.save_button.click()
    assert page.summary is not None and page.summary.hasFocus()
    assert page.summary.texts() == ["The date must be today or in the past."]
    assert window.windowTitle().startswith("Error:")
    assert [box.text() for box in page.date.fields()] == ["2", "3", "2090"]  # as typed
    assert page.saved is None and not page.call.running  # nothing was sent to the desk


def test_a_refused_save_keeps_the_answers_and_asks_for_staff(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.deps.desk = None
    question = start(window, "child-benefit")
    answer(window, "Ana Sousa")
    question.save_button.click()
    page = save(window, qtbot)
    assert page.saved is None and page.refused.isVisible()
    assert window.deps.journey.flow is not None and window.deps.journey.flow.stage is Stage.QUESTION


def test_the_check_page_offers_saving_on_its_own_row(window: MainWindow) -> None:
    fill_digital_key(window)
    check = window.screen_widget("check-answers")
    assert check.save_button.parentWidget() is not check.send_button.parentWidget()
    check.save_button.click()
    assert window.current_screen_name() == "save-draft"


# Resuming -------------------------------------------------------------------------------------------------------------
def test_a_new_session_continues_on_the_same_page_with_the_earlier_answers(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    code = save_child_benefit_on_page_two(window, qtbot)
    window.screen_widget("save-draft").finish_button.click()
    end_session(window, qtbot)  # already ended by Finish: ending again changes nothing
    resume(window, qtbot, loosely(code))
    assert window.current_screen_name() == "question"
    question = window.screen_widget("question")
    assert question.heading_text == "What is your social security number?"
    assert window.deps.journey.draft_code == code
    assert window.history() == []  # Back never leads to the resume form
    question.back_button.click()
    assert question.heading_text == "What is your full name?" and question.answer.box.text() == "Ana Sousa"
    question.back_button.click()
    assert window.current_screen_name() == "service-start"


def test_a_wrong_date_and_an_unknown_code_read_the_same(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    code = save_child_benefit_on_page_two(window, qtbot)
    end_session(window, qtbot)
    page = resume(window, qtbot, code, DateInput("3", "2", "1980"))
    assert window.current_screen_name() == "resume-draft" and page.message_shown == NOT_FOUND
    assert page.continue_button.hasFocus()
    unknown = "D-YAKN-9EDD-1R-R"  # a well-formed code that was never saved here
    page = resume(window, qtbot, unknown)
    assert page.message_shown == NOT_FOUND


def test_too_many_wrong_dates_lock_the_code(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    code = save_child_benefit_on_page_two(window, qtbot)
    end_session(window, qtbot)
    for _ in range(MAX_WRONG_CHECKS):
        page = resume(window, qtbot, code, DateInput("1", "1", "1990"))
        assert page.message_shown == NOT_FOUND
    page = resume(window, qtbot, code)  # even the right date, for a while
    assert page.message_shown == "For your safety, this code is locked for a while. A member of staff can help you."


def test_a_malformed_code_gets_an_error_summary(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = resume(window, qtbot, "R-3WX5-RZMV-5N7P-6")  # a submission reference, not a draft code
    assert page.summary is not None and page.summary.hasFocus()
    assert page.summary.texts() == ["That is not a code: it looks like D-XXXX-XXXX-XX-X"]
    assert page.code_field.text() == "R-3WX5-RZMV-5N7P-6"
    page.summary.links[0].click()
    assert page.code_field.hasFocus()


def test_sending_a_resumed_form_deletes_its_draft(window: MainWindow, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    fill_digital_key(window)
    window.screen_widget("check-answers").save_button.click()
    code = save(window, qtbot).code_shown
    end_session(window, qtbot)
    resume(window, qtbot, code)
    assert window.current_screen_name() == "check-answers"  # every page was answered
    assert drafts_stored(tmp_path) == 1
    check = window.screen_widget("check-answers")
    check.send_button.click()
    qtbot.waitUntil(lambda: window.current_screen_name() == "confirmation", timeout=10_000)
    assert drafts_stored(tmp_path) == 0


def test_session_end_wipes_everything_typed(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    canary = "D-CANARY"
    page = open_resume_page(window)
    qtbot.keyClicks(page.code_field, canary)
    qtbot.keyClicks(page.date.fields()[2], "1937")
    start(window, "child-benefit").save_button.click()
    qtbot.keyClicks(window.screen_widget("save-draft").date.fields()[2], "1941")
    texts = texts_everywhere(window)
    assert canary in texts and "1937" in texts and "1941" in texts
    window.deps.session.end("timeout")
    settle()
    for widget in QApplication.allWidgets():
        texts = texts_everywhere(widget)
        assert canary not in texts and "1937" not in texts and "1941" not in texts, widget
    assert window.deps.journey.draft_code is None


# The slip -------------------------------------------------------------------------------------------------------------
def test_the_slip_carries_the_code_and_the_last_day_never_an_answer(services: CatalogProvider) -> None:
    service = services.service("child-benefit")
    assert service is not None
    asked: list[str] = []

    def labels(key: str) -> str:
        asked.append(key)
        return key

    expires = datetime(2026, 12, 28, 23, 30, tzinfo=UTC)
    slip = build_draft_slip(service, "d yakn 9edd 1r r", expires, "uk", labels, site_name="Lisboa", kiosk_id="K-1")
    assert set(asked) == set(DRAFT_SLIP_LABEL_KEYS)
    assert slip.reference == "D-YAKN-9EDD-1R-R"
    assert without_marks(slip.sent_at_text) == "28.12.2026"
    arabic = build_draft_slip(
        service, "D-YAKN-9EDD-1R-R", expires, "ar", labels, site_name="Lisboa", kiosk_id="K-1", tz=UTC
    )
    assert arabic.rtl and arabic.sent_at_text == "\u206628/12/2026\u2069"


@pytest.mark.parametrize("lang", ["pt-PT", "ar"])
def test_the_printed_slip_reads_back_in_each_direction(window: MainWindow, lang: str) -> None:
    service = window.deps.services.service("child-benefit")
    assert service is not None
    t = window.deps.catalog.t
    slip = build_draft_slip(
        service,
        "D-YAKN-9EDD-1R-R",
        datetime(2026, 12, 28, tzinfo=UTC),
        lang,
        lambda key: t(key, lang),
        site_name="Lisboa",
        kiosk_id="K-1",
    )
    codes = zxingcpp.read_barcodes(grey(render_receipt_image(slip, *ROLL_PX)))
    assert [code.text for code in codes] == ["D-YAKN-9EDD-1R-R"]
