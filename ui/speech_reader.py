"""Screen scripts: what read aloud says for a screen, found by walking its widgets in visual order.

Every registered screen gets a script without code of its own: headings and texts as they read, each field with its
name, hint (or error) and current value, each button with its name and state. A widget may speak for itself and its
children with a `speech_script() -> list[Utterance]` method (the error summary does: "field: problem and fix"), and a
label whose `speechText` property is set is read that way (the reference on the confirmation, spelt in groups).

Each text is spoken in the language it is in: a widget's explicit locale (the language switch's endonyms), a content
text that fell back to another language (`accessibility.speech.language_of`), else the screen's language. A password
box's value is `private` (read back only on a headset), anything else typed is spoken as typed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QCheckBox,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QTextEdit,
    QWidget,
)

from accessibility.speech import NORMAL, PRIVATE, Utterance, clean_text, language_of
from kiosk.i18n import is_rtl, normalise_language

Translate = Callable[[str], str]  # catalog key -> text in the screen's language


def visual_children(widget: QWidget) -> list[QWidget]:
    """Direct child widgets in layout order (how they appear), then any not in a layout, in creation order."""
    ordered: list[QWidget] = []

    def walk(layout: QLayout) -> None:
        for index in range(layout.count()):
            item = layout.itemAt(index)
            if item is None:
                continue
            child, inner = item.widget(), item.layout()
            if child is not None:
                ordered.append(child)
            elif inner is not None:
                walk(inner)

    layout = widget.layout()
    if layout is not None:
        walk(layout)
    seen = set(map(id, ordered))
    children = widget.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
    return ordered + [child for child in children if id(child) not in seen]


def accessible_text(widget: QWidget, which: QAccessible.Text) -> str:
    iface = QAccessible.queryAccessibleInterface(widget)
    return iface.text(which) if iface is not None and iface.isValid() else ""


class ScriptBuilder:
    """Builds one screen's utterances; `said` keeps a field from repeating its heading or hint."""

    def __init__(self, root: QWidget, language: str, t: Translate) -> None:
        self.root = root
        self.language = language
        self.t = t
        self.utterances: list[Utterance] = []
        self.said: set[str] = set()
        self.comma = "، " if is_rtl(language) else ", "  # the pause between a name and its role and state

    def say(self, text: str, widget: QWidget | None = None, kind: str = NORMAL) -> None:
        text = clean_text(text)
        if not text:
            return
        self.utterances.append(Utterance(text, self.language_for(widget, text), kind))
        if kind == NORMAL:
            self.said.add(text)

    def say_new(self, text: str, widget: QWidget | None = None) -> None:
        """Say `text` less what was already said (a description that repeats the hint shown above the field)."""
        rest = clean_text(text)
        for known in sorted(self.said, key=len, reverse=True):
            if known and known in rest:
                rest = rest.replace(known, " ")
        if any(ch.isalnum() for ch in rest):
            self.say(" ".join(rest.split()), widget)

    def language_for(self, widget: QWidget | None, text: str) -> str:
        if widget is not None:
            explicit = widget.property("speechLang")
            if isinstance(explicit, str) and explicit:
                return explicit
            if widget.testAttribute(Qt.WidgetAttribute.WA_SetLocale) and widget.locale() != QLocale.c():
                code = widget.locale().bcp47Name()
                return normalise_language(code) or code
        return language_of(text) or self.language

    # Walking ---------------------------------------------------------------------------------------------------------
    def walk(self, widget: QWidget) -> None:
        if widget is not self.root and not widget.isVisibleTo(self.root):
            return
        own = getattr(widget, "speech_script", None)
        if callable(own):
            for utterance in own():
                self.utterances.append(utterance)
                self.said.add(utterance.text)
            return
        if isinstance(widget, QAbstractSlider):
            return  # scroll bars
        if isinstance(widget, QLabel):
            self.label(widget)
        elif isinstance(widget, QAbstractButton):
            self.button(widget)
        elif isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit | QAbstractSpinBox):
            self.field(widget)
        elif widget.focusPolicy() & Qt.FocusPolicy.TabFocus and accessible_text(widget, QAccessible.Text.Name):
            self.other(widget)
        else:
            for child in visual_children(widget):
                self.walk(child)

    def label(self, label: QLabel) -> None:
        if label.buddy() is not None:
            return  # its field says it
        spoken = label.property("speechText")
        if isinstance(spoken, str) and spoken:
            self.say(spoken, label)
            return
        text = label.accessibleName() or label.text()
        for line in text.splitlines():
            self.say(line, label)

    def button(self, button: QAbstractButton) -> None:
        name = accessible_text(button, QAccessible.Text.Name) or button.text()
        state = ""
        if isinstance(button, QCheckBox):
            state = self.t("speech.ticked" if button.isChecked() else "speech.not_ticked")
        elif isinstance(button, QRadioButton) or button.isCheckable():
            state = self.t("speech.selected" if button.isChecked() else "speech.not_selected")
        role = "" if isinstance(button, QCheckBox | QRadioButton) else self.t("speech.button")
        unavailable = "" if button.isEnabled() else self.t("speech.unavailable")
        details = self.comma.join(part for part in (role, state, unavailable) if part)
        if self.language_for(button, name) == self.language:
            self.say(f"{clean_text(name)}{self.comma}{details}" if details else name, button)
            self.said.add(clean_text(name))
        else:  # a name in another language (the language switch's endonyms) in its own voice
            self.say(name, button)
            self.say(details)
        painted = getattr(button, "painted_texts", None)
        if callable(painted):  # texts the widget draws beside its name (a tile's explanation, an option's hint)
            for text, _font in painted():
                if text and _letters(text) not in _letters(name):
                    self.say(text, button)

    def field(self, field: QWidget) -> None:
        name = accessible_text(field, QAccessible.Text.Name)
        if name and clean_text(name) not in self.said:
            self.say(name, field)
        elif name:
            self.said.add(clean_text(name))
        self.say(self.t("speech.text_box"))
        self.say_new(field.accessibleDescription(), field)
        value = _value(field)
        if not value:
            self.say(self.t("speech.empty"))
        elif isinstance(field, QLineEdit) and field.echoMode() != QLineEdit.EchoMode.Normal:
            self.say(value, field, PRIVATE)
        else:
            self.utterances.append(Utterance(value, self.language, NORMAL))  # as typed; never added to `said`

    def other(self, widget: QWidget) -> None:
        self.say(accessible_text(widget, QAccessible.Text.Name), widget)
        self.say(accessible_text(widget, QAccessible.Text.Value), widget)


def _letters(text: str) -> str:
    """Only letters and digits: to tell whether a drawn text is already part of a name, whatever the punctuation."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _value(field: QWidget) -> str:
    if isinstance(field, QLineEdit):
        return field.text()
    if isinstance(field, QPlainTextEdit):
        return field.toPlainText()
    if isinstance(field, QTextEdit):
        return field.toPlainText()
    if isinstance(field, QAbstractSpinBox):
        return field.text()
    return ""


def widget_script(root: QWidget, language: str, t: Translate) -> list[Utterance]:
    """The utterances for `root` and everything visible inside it, in visual order."""
    builder = ScriptBuilder(root, language, t)
    builder.walk(root)
    return builder.utterances


def screen_script(
    title: str, content: QWidget, language: str, t: Translate, *, controls: Sequence[QWidget] = ()
) -> list[Utterance]:
    """A page: its title (unless a heading says it), its content, then what else is on the screen (`controls`: the
    header, the staff notice bar), after "Also on this screen:"."""
    builder = ScriptBuilder(content, language, t)
    builder.walk(content)
    heading = clean_text(title)
    if heading and heading not in builder.said:  # usually the h1 says it; "Error: ..." titles are said first
        builder.utterances.insert(0, Utterance(heading, builder.language_for(None, heading)))
        builder.said.add(heading)
    shown = [widget for widget in controls if widget.isVisible()]
    if shown:
        builder.say(t("speech.controls"))
    for widget in shown:
        builder.root = widget
        builder.walk(widget)
    return builder.utterances
