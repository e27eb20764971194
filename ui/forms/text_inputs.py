"""Answers typed in one box: text, e-mail, phone, the identifiers (NIF, citizen card, IBAN, postcode), numbers, and
long text with a character count.

The box is as wide as the answer it expects (a postcode box is short, an e-mail box long: the width is a hint of
what to type), never narrower than a touch target. Input-method hints ask an on-screen keyboard for the right layout
(digits, e-mail characters) and for no word prediction. Codes and numbers read left to right even in Arabic. A private
question (a PIN, a password) is masked and is never put back on screen.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from kiosk.forms.answers import Raw
from ui.forms.base import AnswerSpec, AnswerWidget, FormLineEdit, FormTextEdit, plain_label
from ui.typography import ui_font

Hint = Qt.InputMethodHint


class BoxStyle(NamedTuple):
    chars: int  # the width, in characters of the expected answer (0: the whole column)
    hints: Hint
    left_to_right: bool = False  # codes and numbers
    max_length: int = 2000  # a stuck key cannot build a huge answer; the validator gives the real limit


_CODE = Hint.ImhNoPredictiveText | Hint.ImhNoAutoUppercase | Hint.ImhPreferUppercase
BOX_STYLES = {
    "text": BoxStyle(0, Hint.ImhNoPredictiveText),
    "email": BoxStyle(30, Hint.ImhEmailCharactersOnly | Hint.ImhNoPredictiveText | Hint.ImhNoAutoUppercase, True),
    "phone": BoxStyle(16, Hint.ImhDialableCharactersOnly | Hint.ImhNoPredictiveText, True, 100),
    "nif": BoxStyle(11, Hint.ImhDigitsOnly | Hint.ImhNoPredictiveText, True, 100),
    "citizen-card": BoxStyle(16, _CODE, True, 100),
    "iban": BoxStyle(34, _CODE, True, 100),
    "postcode": BoxStyle(9, Hint.ImhDigitsOnly | Hint.ImhNoPredictiveText, True, 100),
    "number": BoxStyle(10, Hint.ImhFormattedNumbersOnly | Hint.ImhNoPredictiveText, True, 64),
}
PRIVATE_ANSWER = "privateAnswer"  # the dynamic property of a private question's box
PRIVATE_HINTS = Hint.ImhHiddenText | Hint.ImhSensitiveData | Hint.ImhNoPredictiveText | Hint.ImhNoAutoUppercase


def box_width(context_px: int, chars: int, min_px: int) -> int:
    """A box for `chars` characters of body text, plus its padding and border, never below a touch target."""
    advance = QFontMetrics(ui_font(context_px)).horizontalAdvance("0" * chars)
    return max(min_px, advance + context_px * 2)


def leading(widget: QWidget, style: BoxStyle | None = None) -> QWidget:
    """`widget` at the start of its line in the page's direction (a box for a whole line stays as it is). A box that
    reads left to right (codes, numbers) has its own direction, and a layout would place it by that direction: on
    the left of an Arabic page."""
    if style is not None and not style.chars:
        return widget
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(widget, 100)  # the box grows to its own maximum width first; the rest of the line stays empty
    row.addStretch(1)
    return holder


def style_box(field: QLineEdit, style: BoxStyle, *, context_px: int, min_px: int, private: bool = False) -> None:
    field.setInputMethodHints(PRIVATE_HINTS if private else style.hints)
    field.setMaxLength(style.max_length)
    if private:
        field.setEchoMode(QLineEdit.EchoMode.Password)
        # Marks a citizen's private answer: in an assisted session only the citizen types it (ui.assist_banner).
        field.setProperty(PRIVATE_ANSWER, True)
    if style.left_to_right:
        field.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
    if style.chars:
        field.setMaximumWidth(box_width(context_px, style.chars, min_px))
    field.setMinimumWidth(min_px)


class LineAnswer(AnswerWidget):
    """One box; the heading is its label."""

    def __init__(self, spec: AnswerSpec) -> None:
        super().__init__(spec)
        question = spec.question
        assert question is not None
        self.box = FormLineEdit()
        self.style_name = question.type if question.type in BOX_STYLES else "text"
        self._style()
        self.box.setAccessibleName(spec.label)
        self.describe(self.box, spec.hint)
        spec.heading.setBuddy(self.box)
        self.connect_line(self.box)
        self.column.addWidget(leading(self.box, BOX_STYLES[self.style_name]))
        if question.allow_unknown:
            self.add_unknown_option()

    def _style(self) -> None:
        question = self.question
        assert question is not None
        context = self.context
        style_box(
            self.box,
            BOX_STYLES[self.style_name],
            context_px=context.px(),
            min_px=context.panel.min_target_px,
            private=question.private,
        )

    def read(self) -> Raw:
        return self.box.text()

    def write(self, raw: Raw) -> None:
        self.box.setText(raw if isinstance(raw, str) else "")

    def fields(self) -> list[FormLineEdit]:  # type: ignore[override]
        return [self.box]

    def restyle(self) -> None:
        super().restyle()
        if hasattr(self, "box"):
            self._style()


class LongTextAnswer(AnswerWidget):
    """A multi-line box with a count of the characters left (GOV.UK's character count)."""

    def __init__(self, spec: AnswerSpec) -> None:
        super().__init__(spec)
        question = spec.question
        assert question is not None
        self.limit = question.max_length or 5000
        self.box = FormTextEdit()
        self.box.setAccessibleName(spec.label)
        self.describe(self.box, spec.hint)
        self.box.setMinimumHeight(self.context.px() * 8)
        self.box.setInputMethodHints(Hint.ImhNoPredictiveText)
        spec.heading.setBuddy(self.box)
        self.count = plain_label("muted")
        self.box.textChanged.connect(self._count)
        self.column.addWidget(self.box)
        self.column.addWidget(self.count)
        if question.allow_unknown:
            self.add_unknown_option()
        self._count()

    def _count(self) -> None:
        left = self.limit - len(self.box.toPlainText())
        if left >= 0:
            self.count.setText(self.context.t("form.characters_left", count=left))
        else:
            self.count.setText(self.context.t("form.characters_over", count=-left))
        if self.unknown is not None and self.box.toPlainText() and self.unknown.isChecked():
            self.unknown.setChecked(False)

    def read(self) -> Raw:
        return self.box.toPlainText()

    def write(self, raw: Raw) -> None:
        self.box.setPlainText(raw if isinstance(raw, str) else "")

    def fields(self) -> list[FormTextEdit]:  # type: ignore[override]
        return [self.box]


class PartBox(NamedTuple):
    """A labelled box of a multi-part answer (a date's day, an address's street)."""

    part: str
    label_key: str
    style: BoxStyle


def labelled_box(answer: AnswerWidget, part: PartBox, row: QHBoxLayout | None = None) -> FormLineEdit:
    """A visible label above its box, the label as the box's buddy and accessible name; the question describes it."""
    context = answer.context
    label = plain_label("body")
    label.setText(context.t(part.label_key))
    box = FormLineEdit()
    style_box(box, part.style, context_px=context.px(), min_px=context.panel.min_target_px)
    label.setBuddy(box)
    box.setAccessibleName(label.text())
    answer.describe(box, f"{answer.spec.label} {answer.spec.hint}".strip())
    answer.connect_line(box)
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(context.px() // 4)
    column.addWidget(label)
    column.addWidget(leading(box, part.style))
    if row is not None:
        row.addWidget(holder)
    else:
        answer.column.addWidget(holder)
    return box
