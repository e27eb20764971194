"""What the on-screen keyboard types into: which widgets are text fields, which layout each wants, and how a key edits
one through the widget's own API (so undo, maximum lengths, validators and signals work as if the citizen had typed).

A field's kind comes from the input-method hints the form widgets already set (`ui/forms/text_inputs.py`): digits,
formatted numbers and dialable characters get a keypad (phone fields one with "+"), everything else letters. A widget
may say it explicitly with the dynamic property `keyboard` = "text" | "numeric" | "phone".
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRect, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QScrollArea, QTextEdit, QWidget

Hint = Qt.InputMethodHint
TextField = QLineEdit | QPlainTextEdit | QTextEdit
FIELD_KINDS = ("text", "numeric", "phone")
_NUMERIC_HINTS = Hint.ImhDigitsOnly | Hint.ImhFormattedNumbersOnly
_PRIVATE_HINTS = Hint.ImhHiddenText | Hint.ImhSensitiveData


def text_field(widget: QWidget | None) -> TextField | None:
    """`widget` if the keyboard can type into it (an enabled, editable text box), else None."""
    if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit) and widget.isEnabled() and not widget.isReadOnly():
        return widget
    return None


def field_kind(field: QWidget) -> str:
    """Which layout the field asks for: "text", "numeric" or "phone"."""
    declared = field.property("keyboard")
    if declared in FIELD_KINDS:
        return str(declared)
    hints = field.inputMethodHints()
    if hints & Hint.ImhDialableCharactersOnly:
        return "phone"
    if hints & _NUMERIC_HINTS:
        return "numeric"
    return "text"


def multi_line(field: QWidget) -> bool:
    return isinstance(field, QPlainTextEdit | QTextEdit)


def is_private(field: QWidget) -> bool:
    """A masked or sensitive field: what its keys type is never spoken."""
    if isinstance(field, QLineEdit) and field.echoMode() != QLineEdit.EchoMode.Normal:
        return True
    return bool(field.inputMethodHints() & _PRIVATE_HINTS)


def insert_text(field: TextField, text: str) -> None:
    if isinstance(field, QLineEdit):
        field.insert(text)  # replaces a selection, keeps maxLength and the validator, one undo step, textEdited
    else:
        field.insertPlainText(text)


def delete_back(field: TextField) -> None:
    if isinstance(field, QLineEdit):
        field.backspace()
        return
    cursor = field.textCursor()
    cursor.deletePreviousChar()  # on the document's undo stack
    field.setTextCursor(cursor)


def press_enter(field: QWidget) -> None:
    """What Enter does in this field: Continue (returnPressed) in a one-line box, a new line in a multi-line one."""
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(field, QKeyEvent(kind, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r"))


def reveal(field: TextField, margin: int) -> None:
    """Scroll every scroll area around `field` so the whole field and `margin` around it are in view (or, for a box
    taller than the view, its caret).

    The keyboard is docked under the screens, never over them, so a field in view is a field not under the keyboard.
    (QScrollArea.ensureWidgetVisible is not enough: for a text box it only makes the caret visible.)
    """
    parent = field.parentWidget()
    while parent is not None:
        content = parent.widget() if isinstance(parent, QScrollArea) else None
        if isinstance(parent, QScrollArea) and content is not None and content.isAncestorOf(field):
            view = parent.viewport().size()
            area = QRect(field.mapTo(content, QPoint(0, 0)), field.size())
            if isinstance(field, QPlainTextEdit | QTextEdit) and area.height() + 2 * margin > view.height():
                caret = field.cursorRect()
                area = QRect(field.viewport().mapTo(content, caret.topLeft()), caret.size())
            centre = area.center()
            parent.ensureVisible(
                centre.x(),
                centre.y(),
                min(area.width() // 2, view.width() // 2),
                min(area.height() // 2 + margin, view.height() // 2),
            )
        parent = parent.parentWidget()
