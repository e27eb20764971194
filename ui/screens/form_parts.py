"""Pieces the form screens share: the error summary, a page built afresh on each render, and button rows.

The form screens rebuild their page (a `FormPage`) whenever what they show changes: the next question, errors, a new
language or text size. Rebuilding keeps the focus order the same as the order on screen (widgets join Qt's focus
chain in the order they are created) and leaves no stale text or undo history behind in the widgets.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from accessibility.speech import Utterance, clean_text, language_of
from ui import icons
from ui.forms.painted import LinkButton
from ui.screens.base import ScreenContext
from ui.screens.browse_parts import plain_label
from ui.widgets import FlowLayout, KioskButton, lock_down

LAYOUT_LEVELS = 4  # page -> column -> screen content -> scroll area, each one a posted LayoutRequest


ErrorEntry = tuple[str, Callable[[], None], str]  # (message, go to the field, the field's label)


class ErrorSummary(QFrame):
    """GOV.UK's error summary: "There is a problem", then one link per error that moves focus to its field.

    It takes focus when shown (programmatically: it is not a Tab stop), so speech and assistive technology start
    with it; its accessible name is the title and its description lists the errors. Taking focus announces it
    (`context.announce`): "There is a problem", then each error as field, problem and how to fix it. An entry is
    (text, go) or (text, go, field label).
    """

    def __init__(self, context: ScreenContext, entries: Sequence[tuple[str, Callable[[], None]] | ErrorEntry]) -> None:
        super().__init__()
        self.context = context
        self.fields: list[str] = [entry[2] if len(entry) == 3 else "" for entry in entries]
        pairs = [(entry[0], entry[1]) for entry in entries]
        self.setProperty("role", "error-summary")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        body = context.px()
        column = QVBoxLayout(self)
        column.setContentsMargins(body, body * 3 // 4, body, body * 3 // 4)
        column.setSpacing(max(body // 4, context.panel.min_gap_px))  # the links are targets: 3 mm apart
        self.title = plain_label("h2")
        self.title.setText(context.t("form.error_summary.title"))
        column.addWidget(self.title)
        prefix = context.t("form.error_prefix")
        self.links: list[LinkButton] = []
        for text, go in pairs:
            link = LinkButton()
            link.set_link(text, f"{prefix} {text}")
            link.apply_metrics(context)
            link.clicked.connect(go)
            column.addWidget(link)
            self.links.append(link)
        if self.links:
            self.title.setIndent(self.links[0].padding)  # the title lines up with the links' text
        self.setAccessibleName(self.title.text())
        self.setAccessibleDescription(" ".join(text for text, _go in pairs))

    def texts(self) -> list[str]:
        return [link.link_text for link in self.links]

    def spoken_errors(self) -> list[str]:
        """Each error as read aloud: the field, then "Error: " with the problem and how to fix it."""
        return [
            f"{clean_text(field)}. {link.accessibleName()}" if field else link.accessibleName()
            for field, link in zip(self.fields, self.links, strict=True)
        ]

    def speech_script(self) -> list[Utterance]:
        lang = self.context.language
        script = [Utterance(self.title.text(), lang)]
        for field, link in zip(self.fields, self.links, strict=True):
            field_lang = language_of(field) or lang  # a question's label may have fallen back to another language
            if field and field_lang != lang:
                script += [Utterance(clean_text(field), field_lang), Utterance(link.accessibleName(), lang)]
            else:
                script.append(
                    Utterance(f"{clean_text(field)}. {link.accessibleName()}" if field else link.accessibleName(), lang)
                )
        return script

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusInEvent(event)
        self.context.announce(self, self.speech_script(), assertive=True)


class FormPage(QWidget):
    """The content of one render of a form screen; `column` receives the widgets in screen order."""

    def __init__(self, context: ScreenContext) -> None:
        super().__init__()
        self.context = context
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.setSpacing(context.px())

    def label(self, text: str, role: str = "body") -> QLabel:
        label = plain_label(role)
        label.setText(text)
        self.column.addWidget(label)
        return label

    def button(self, text: str, on_click: Callable[[], None], *, kind: str = "secondary") -> KioskButton:
        button = KioskButton(kind)
        button.set_label(text)
        button.clicked.connect(on_click)
        return button

    def row(self, *buttons: QWidget) -> QWidget:
        """Buttons side by side at the start of the line, wrapping onto more lines when the text is large."""
        holder = QWidget()
        flow = FlowLayout(holder, spacing=self.context.px())
        flow.setContentsMargins(0, 0, 0, 0)
        for button in buttons:
            flow.addWidget(button)
        self.column.addWidget(holder)
        return holder

    def back_row(self, on_back: Callable[[], None]) -> KioskButton:
        back = self.button(self.context.t("common.back"), on_back)
        set_icon(back, "back", self.context)
        line = QHBoxLayout()
        line.addWidget(back)
        line.addStretch(1)
        self.column.addLayout(line)
        return back

    def finish(self) -> None:
        lock_down(self)  # no context menu anywhere, whatever was added


def set_icon(button: KioskButton, name: str, context: ScreenContext, token: str = "text") -> None:
    """An icon for the page's size and direction (pages are rebuilt when either changes, so it is not bound)."""
    theme, size = context.theme, round(context.px() * 1.1)
    button.setIconSize(icons.icon_extent(size))
    button.setIcon(icons.state_icon(size, {False: (name, theme.colour(token))}, theme.focus_text, rtl=context.rtl))


def replace_page(screen_body: QVBoxLayout, old: QWidget | None, new: QWidget) -> None:
    """Put `new` where `old` was, laid out at once. The old page is deleted later: it may be handling the key that
    caused this."""
    if old is not None:
        screen_body.removeWidget(old)
        old.hide()
        old.deleteLater()
    screen_body.addWidget(new)
    new.show()  # a child added to a shown widget is otherwise shown by a queued call, after this frame's layout
    settle_layouts(new)


def settle_layouts(page: QWidget) -> None:
    """Style and lay out a new page now. Its fonts come from the stylesheet when it is polished, then it grows its
    column, which grows the scroll area's content, one posted LayoutRequest per level; left to the event loop, the
    first frame (or a screenshot) could show the page squeezed into the old height."""
    page.ensurePolished()
    for _ in range(LAYOUT_LEVELS):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
