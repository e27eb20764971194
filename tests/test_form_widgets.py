"""The answer widgets, one per question type: the registry is complete, each gives back exactly what was put in,
boxes are locked down, and the texts around them (errors, answers on the check page) exist in every language."""

from __future__ import annotations

import datetime
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPlainTextEdit

from kiosk.catalog.model import QUESTION_TYPES, Question, Text
from kiosk.catalog.schema_check import schema_errors
from kiosk.forms import validators
from kiosk.forms.answers import UNKNOWN, AddressInput, DateInput, FieldError, check_answer
from kiosk.forms.flow import ADD_ANOTHER, Step
from kiosk.i18n import SHIPPED_LANGUAGES, Catalog
from ui.forms.answer_text import answer_text, breakable, format_date, format_number, raw_for_answer
from ui.forms.base import AnswerSpec, AnswerWidget
from ui.forms.messages import error_text, message_key, message_keys
from ui.forms.registry import NEVER_A_PAGE, WIDGETS, answer_widget
from ui.sample_form import SAMPLE_FILE, sample_raw, sample_service

TODAY = datetime.date(2026, 11, 28)


def test_every_question_type_and_add_another_has_a_widget() -> None:
    assert set(WIDGETS) | NEVER_A_PAGE == {*QUESTION_TYPES, ADD_ANOTHER}
    assert not set(WIDGETS) & NEVER_A_PAGE


def test_the_sample_service_is_a_valid_catalog_service() -> None:
    document = json.loads(SAMPLE_FILE.read_text(encoding="utf-8"))
    assert list(schema_errors("service", document)) == []
    kinds = {question.type for question, _repeat in sample_service().questions()}
    assert kinds == set(QUESTION_TYPES)  # one page of every type


def build(window, question: Question | None, kind: str | None = None) -> AnswerWidget:  # type: ignore[no-untyped-def]
    heading = QLabel("heading")
    spec = AnswerSpec(window.context, question, "The question", "A hint", heading)
    widget = answer_widget(kind or (question.type if question else ADD_ANOTHER), spec)
    window.stack.addWidget(widget)  # inside the window, so the stylesheet applies
    window.stack.setCurrentWidget(widget)
    return widget


def sample_steps() -> list[Step]:
    service = sample_service()
    return [Step("question", q, r, 0 if r else None) for q, r in service.questions() if q.type != "calculated"]


@pytest.mark.parametrize("step", sample_steps(), ids=lambda step: step.question.type)
def test_each_widget_gives_back_what_was_put_in_and_the_flow_accepts_it(main_window, step: Step) -> None:
    question = step.question
    widget = build(main_window, question)
    raw = sample_raw(step)
    widget.set_raw(raw)
    assert widget.raw() == (raw if raw is not None else widget.raw())
    value, errors = check_answer(question, widget.raw(), lambda _current: _Scope(), today=TODAY)
    assert errors == [] or question.type == "note"
    if value is not None:  # a stored answer shown again gives the same answer back
        fresh = build(main_window, question)
        fresh.show_answer(value)
        assert check_answer(question, fresh.raw(), lambda _current: _Scope(), today=TODAY)[0] == value
    for field in widget.fields():
        assert field.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu
        assert field.accessibleName()
        assert field.height() >= main_window.deps.panel.min_target_px or not field.isVisible()


class _Scope:
    """An empty expression scope (the sample's constraints look at nothing)."""

    def value(self, name: str) -> None:
        return None

    current = None
    today = TODAY


def test_add_another_is_yes_or_no(main_window) -> None:  # type: ignore[no-untyped-def]
    widget = build(main_window, None)
    assert widget.raw() is None
    widget.set_raw("no")
    assert widget.raw() == "no" and widget.options["no"].isChecked()


def test_i_do_not_know_is_an_option_and_takes_back_the_other_ticks(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    documents = sample_service().question("documents")
    widget = build(main_window, documents)
    widget.set_raw(("passport",))
    widget.options["\x00unknown"].click()
    assert widget.raw() is UNKNOWN
    assert not widget.options["passport"].isChecked()
    widget.options["passport"].click()
    assert widget.raw() == ("passport",)
    income = Question("income", "number", Text.of({"en": "Income?", "pt-PT": "Rendimento?"}), allow_unknown=True)
    box = build(main_window, income)
    assert box.unknown is not None
    box.unknown.click()
    assert box.raw() is UNKNOWN
    box.box.setFocus()
    qtbot.keyClicks(box.box, "12")  # typing an answer takes back "I do not know"
    assert box.raw() == "12" and not box.unknown.isChecked()


def test_a_private_box_is_masked_and_never_filled_from_a_stored_answer(main_window) -> None:  # type: ignore[no-untyped-def]
    pin = Question("pin", "text", Text.of({"en": "PIN?", "pt-PT": "PIN?"}), private=True)
    widget = build(main_window, pin)
    assert widget.box.echoMode() == QLineEdit.EchoMode.Password
    assert widget.box.inputMethodHints() & Qt.InputMethodHint.ImhHiddenText
    widget.show_answer("4821")
    assert widget.box.text() == ""


def test_boxes_never_give_text_to_the_clipboard_or_take_it(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("from the clipboard")
    for question in (sample_service().question("full_name"), sample_service().question("what_happened")):
        widget = build(main_window, question)
        field = widget.fields()[0]
        field.setFocus()
        qtbot.keyClicks(field, "secret")
        ctrl = Qt.KeyboardModifier.ControlModifier
        for key in (Qt.Key.Key_A, Qt.Key.Key_C, Qt.Key.Key_X, Qt.Key.Key_V):
            qtbot.keyClick(field, key, ctrl)
        assert widget.raw() == "secret"  # neither cut nor pasted
        assert clipboard.text() == "from the clipboard"
        if isinstance(field, QPlainTextEdit):
            assert field.tabChangesFocus()


def test_the_long_text_counts_characters_left_and_over(main_window) -> None:  # type: ignore[no-untyped-def]
    widget = build(main_window, sample_service().question("what_happened"))  # at most 500 characters
    assert widget.count.text() == "You have 500 characters left"
    widget.set_raw("x" * 510)
    assert widget.count.text() == "You have 10 characters too many"


def test_date_and_address_errors_mark_their_own_box(main_window) -> None:  # type: ignore[no-untyped-def]
    widget = build(main_window, sample_service().question("birth_date"))
    widget.set_errors([("month", "The date must include a month.")])
    assert [box.property("error") for box in widget.fields()] == [None, "true", None]
    assert widget.property("error") == "true"
    widget.focus_part("month")
    assert QApplication.focusWidget() is widget.boxes["month"]
    widget.set_errors([])
    assert [box.property("error") for box in widget.fields()] == [None, None, None] and widget.property("error") is None
    assert widget.boxes["day"].accessibleName() == "Day"


# Texts ----------------------------------------------------------------------------------------------------------------
def test_every_error_code_has_a_message_in_every_language(catalog: Catalog) -> None:
    codes = {*validators.INVALID_CODES, "required", "consent.required", "constraint", "choice.unknown", "repeat.min"}
    codes |= {"text.format", *(f"address.{part}.missing" for part in ("street", "number", "postcode", "locality"))}
    keys = set(message_keys())
    for code in codes - {"date.missing"}:
        assert f"errors.{code}" in keys, code
    assert {"errors.date.missing.day", "errors.date.missing.month", "errors.date.missing.year"} <= keys
    for lang in SHIPPED_LANGUAGES:
        for key in keys:
            assert key in catalog.keys(lang), (lang, key)


@pytest.mark.parametrize("lang", SHIPPED_LANGUAGES)
def test_error_messages_fill_in_their_limits(catalog: Catalog, lang: str) -> None:
    def t(key: str, **params: object) -> str:
        return catalog.t(key, lang, **params)

    def text(error: FieldError, kind: str = "number") -> str:
        return error_text(error, kind, t=t, definition=lambda value: value.t(lang))

    assert "20" in text(FieldError("q", "number.max", {"max": 20.0}))  # a definition's 20.0 reads "20"
    assert "9" in text(FieldError("q", "nif.length", {"expected": 9}), "nif")
    assert text(FieldError("q", "date.missing", {}, "month"), "date") == t("errors.date.missing.month")
    assert text(FieldError("q", "required", {}), "choice") == t("errors.required.select")
    own = Text.of({"en": "Count yourself too.", "pt-PT": "Conte-se a si também."})
    assert text(FieldError("q", "constraint", {}, message=own)) == own.t(lang)
    assert text(FieldError("q", "constraint", {})) == t("errors.constraint")
    assert text(FieldError("q", "brand.new.code", {})) == t("errors.invalid")


def test_message_keys_follow_the_codes() -> None:
    assert message_key(FieldError("q", "nif.check_digit", {}), "nif") == "errors.nif.check_digit"
    assert message_key(FieldError("q", "required", {}), "add-another") == "errors.required.select"
    assert message_key(FieldError("q", "required", {}), "text") == "errors.required"


def test_answers_read_naturally_on_the_check_page(catalog: Catalog) -> None:
    service = sample_service()

    def shown(qid: str, value: object, lang: str = "en") -> str:
        question = service.question(qid)
        assert question is not None

        def t(key: str) -> str:
            return catalog.t(key, lang)

        return answer_text(question, value, lang=lang, t=t, definition=lambda text: text.t(lang))  # type: ignore[arg-type]

    assert shown("birth_date", datetime.date(1950, 3, 2)) == "2 March 1950"
    assert shown("birth_date", datetime.date(1950, 3, 1), "fr") == "1er mars 1950"
    assert shown("birth_date", datetime.date(1950, 3, 2), "ar") == "2 مارس 1950"
    assert shown("used_before", "yes", "pt-PT") == "Sim"
    assert shown("people", 3) == "3"
    assert shown("full_name", None) == "Not provided"
    assert shown("full_name", UNKNOWN) == "I do not know"
    assert shown("phone", "+351912345678") == "+351 912 345 678"
    assert shown("call_time", "afternoon", "pt-PT") == "À tarde"
    assert shown("share_consent", True) == "Agreed"
    private = Question("pin", "text", Text.of({"en": "PIN?", "pt-PT": "PIN?"}), private=True)
    assert answer_text(private, "4821", lang="en", t=lambda key: catalog.t(key, "en"), definition=str) == "Hidden"  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=datetime.date(1000, 1, 1), max_value=datetime.date(9999, 12, 31)))
def test_a_stored_date_shown_again_reads_back_as_the_same_date(date: datetime.date) -> None:
    raw = raw_for_answer(None, date)
    assert isinstance(raw, DateInput)
    assert validators.date_parts(*raw, today=TODAY) == date


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.integers(min_value=-(10**12), max_value=10**12),
        st.decimals(min_value=-(10**9), max_value=10**9, places=3, allow_nan=False).map(float),
    )
)
def test_a_stored_number_shown_again_reads_back_as_the_same_number(value: float) -> None:
    raw = raw_for_answer(None, value)
    assert isinstance(raw, str)
    assert validators.number(raw) == value
    for lang in SHIPPED_LANGUAGES:  # as the check page shows it: the language's decimal mark, no exponent
        shown = format_number(value, lang)
        assert "e" not in shown.lower() and float(shown.replace(",", ".")) == value


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_breaking_long_words_changes_nothing_visible(text: str) -> None:
    broken = breakable(text)
    assert broken.replace("\u200b", "") == text.replace("\u200b", "")
    assert all(len(word) <= 16 for word in broken.replace("\u200b", " ").split() if "\u200b" in broken)


def test_dates_in_every_language_use_their_month_names(catalog: Catalog) -> None:
    date = datetime.date(2024, 8, 15)
    seen = {format_date(date, lang, lambda key, lang=lang: catalog.t(key, lang)) for lang in SHIPPED_LANGUAGES}
    assert seen == {"15 de agosto de 2024", "15 August 2024", "15 août 2024", "15 серпня 2024 р.", "15 أغسطس 2024"}
    assert AddressInput._fields == ("street", "number", "floor", "postcode", "locality")
