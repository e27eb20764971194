"""What every answer widget is, and the kiosk's text boxes.

An answer widget shows one question's inputs under the page's heading (the question) and hint. Its contract, used by
the question screen and by nothing else:

- `raw()`: exactly what the citizen entered, untouched (`kiosk.forms.answers.Raw`); the flow validates it.
- `set_raw(raw)`: put back what was entered (after a language change the page is rebuilt with the typed values).
- `show_answer(value)`: fill from a stored answer or a tell-us-once suggestion (never for a private question).
- `focus_part(part)`: focus the box an error is about ("day", "postcode"), or the first one.
- `set_errors(messages)`: the inline message above the inputs, a red bar beside the question, red borders on the
  boxes concerned, and "Error: ..." in their accessible descriptions.
- `submitted`: Enter in a box (or on an option) means Continue, as in a web form.

Text boxes never offer a context menu or the clipboard (copy, cut, paste, drag and drop): whatever a citizen types
must not outlive their session, and a clipboard would carry it to the next person. They are never emptied with
`clear()` (undoable): the page is rebuilt instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from kiosk.forms.answers import UNKNOWN, Answer, Raw
from ui import icons
from ui.forms.answer_text import raw_for_answer
from ui.forms.painted import CheckOption

if TYPE_CHECKING:
    from kiosk.catalog.model import Question
    from ui.screens.base import ScreenContext

_BLOCKED_KEYS = (
    QKeySequence.StandardKey.Copy,
    QKeySequence.StandardKey.Cut,
    QKeySequence.StandardKey.Paste,
)


def _blocked(event: QKeyEvent) -> bool:
    return any(event.matches(key) for key in _BLOCKED_KEYS)


class FormLineEdit(QLineEdit):
    """A one-line box: plain text, no context menu, no clipboard, no drag and drop."""

    def __init__(self) -> None:
        super().__init__()
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setDragEnabled(False)
        self.setAcceptDrops(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if _blocked(event):
            event.accept()
            return
        super().keyPressEvent(event)


class FormTextEdit(QPlainTextEdit):
    """A multi-line box for long answers; Tab moves on (it never types a tab), no clipboard."""

    def __init__(self) -> None:
        super().__init__()
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.viewport().setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setTabChangesFocus(True)
        self.setAcceptDrops(False)
        self.setFrameShape(QFrame.Shape.NoFrame)  # the stylesheet draws the border

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if _blocked(event):
            event.accept()
            return
        super().keyPressEvent(event)


def plain_label(role: str = "body") -> QLabel:
    label = QLabel()
    label.setProperty("role", role)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def set_flag(widget: QWidget, name: str, value: bool | str) -> None:
    """Set a style property ("true", another word, or none) and re-apply the stylesheet (Qt does not by itself)."""
    wanted = "true" if value is True else value or None
    if widget.property(name) == wanted:
        return
    widget.setProperty(name, wanted)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


class AnswerSpec(NamedTuple):
    """What an answer widget is built from: the page's question (None on an "add another?" page) and its texts."""

    context: ScreenContext
    question: Question | None
    label: str  # the question as the heading shows it, "(optional)" included
    hint: str
    heading: QLabel  # the page's h1: the visible label of a one-box answer


class AnswerWidget(QFrame):
    submitted = Signal()

    def __init__(self, spec: AnswerSpec) -> None:
        super().__init__()
        self.spec = spec
        self.context = spec.context
        self.question = spec.question
        self.setProperty("role", "form-group")
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 0, 0)
        # The inline message: a warning icon before the text, so an error is never told by colour alone.
        self.error_row = QWidget()
        row = self._error_row_layout = QHBoxLayout(self.error_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.error_icon = plain_label("error")
        self.error_icon.setWordWrap(False)
        self.error_label = plain_label("error")
        row.addWidget(self.error_icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.error_label, 1)
        self.error_row.hide()
        self.column.addWidget(self.error_row)
        self.unknown: CheckOption | None = None
        self._descriptions: dict[QWidget, str] = {}
        self.messages: list[tuple[str | None, str]] = []
        self.restyle()

    # For subclasses --------------------------------------------------------------------------------------------------
    def read(self) -> Raw:
        """What the inputs hold (without "I do not know")."""
        raise NotImplementedError

    def write(self, raw: Raw) -> None:
        """Put `raw` into the inputs (never called with UNKNOWN when the widget has its own unknown option)."""
        raise NotImplementedError

    def fields(self) -> list[QWidget]:
        """The inputs, in order (the first takes focus; error borders go on those an error is about)."""
        return []

    def part_field(self, part: str | None) -> QWidget | None:
        fields = self.fields()
        return fields[0] if fields else None

    def describe(self, field: QWidget, description: str) -> None:
        """The accessible description of `field` when there is no error (usually the hint)."""
        self._descriptions[field] = description
        field.setAccessibleDescription(description)

    def connect_line(self, field: FormLineEdit) -> None:
        # Signal to signal: a connection to `.emit` is never freed by PySide 6.11 (benchmarks/sessions.py).
        field.returnPressed.connect(self.submitted)
        field.textEdited.connect(self._typed)

    def add_unknown_option(self) -> None:
        """A separate "I do not know" tick box for questions that allow it (choices add it as an option instead)."""
        option = CheckOption()
        option.set_texts(self.context.t("form.unknown"))
        option.apply_metrics(self.context)
        option.enter_pressed.connect(self.submitted)
        self.column.addWidget(option, 0, Qt.AlignmentFlag.AlignLeading)
        self.unknown = option

    # The contract ----------------------------------------------------------------------------------------------------
    def raw(self) -> Raw:
        if self.unknown is not None and self.unknown.isChecked():
            return UNKNOWN
        return self.read()

    def set_raw(self, raw: Raw) -> None:
        if raw is UNKNOWN and self.unknown is not None:
            self.unknown.setChecked(True)
            return
        self.write(raw)

    def show_answer(self, value: Answer | None) -> None:
        if value is None or (self.question is not None and self.question.private):
            return  # a private answer is never put back on screen
        self.set_raw(raw_for_answer(self.question, value))

    def first_field(self) -> QWidget | None:
        return self.part_field(None)

    def focus_part(self, part: str | None) -> None:
        field = self.part_field(part) or self.first_field()
        if field is not None:
            field.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_errors(self, messages: Sequence[tuple[str | None, str]]) -> None:
        """(part, message) pairs; an empty list removes every error mark."""
        self.messages = list(messages)
        prefix = self.context.t("form.error_prefix")
        text = "\n".join(message for _part, message in messages)
        self.error_label.setText(text)
        self.error_label.setAccessibleName(f"{prefix} {text}" if text else "")
        self.error_row.setVisible(bool(messages))
        # The red bar stands at the start of the line: on the right in right-to-left languages.
        set_flag(self, "error", ("rtl" if self.context.rtl else "true") if messages else False)
        parts = {part for part, _message in messages}
        marked = {self.part_field(part) for part in parts if part is not None}
        for field in self.fields():
            wrong = bool(messages) and (None in parts or field in marked or not marked)
            set_flag(field, "error", wrong)
            own = self._descriptions.get(field, "")
            field.setAccessibleDescription(f"{prefix} {text} {own}".strip() if wrong else own)
        self._margins()

    def restyle(self) -> None:
        self.column.setSpacing(max(self.context.px() // 2, self.context.panel.min_gap_px))  # 3 mm between options
        body = self.context.px()
        self._error_row_layout.setSpacing(body // 2)
        self.error_icon.setPixmap(icons.pixmap("warning", round(body * 1.2), self.context.theme.error))
        self._margins()

    # Inside ----------------------------------------------------------------------------------------------------------
    def _margins(self) -> None:
        # Room for the red bar: the inputs move in, as GOV.UK's form group does.
        indent = self.context.px() // 2 if self.messages else 0
        self.column.setContentsMargins(0 if self.context.rtl else indent, 0, indent if self.context.rtl else 0, 0)

    def _typed(self, _text: str) -> None:
        if self.unknown is not None and self.unknown.isChecked():
            self.unknown.setChecked(False)  # typing an answer takes back "I do not know"
