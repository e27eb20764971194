"""The home screen: a welcome and three large entries. Entries whose screens are not registered yet lead to a polite
inline message instead of a fake screen (the shell decides that, see `MainWindow.show_screen`)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui import icons
from ui.screens.base import Screen, ScreenContext
from ui.screens.entry import EntryButton

# (target screen, catalog prefix, icon, badge colour token)
ENTRIES = (
    ("services", "home.services", "services", "primary"),
    ("learn-home", "home.learn", "learn", "accent"),
    ("staff-sign-in", "home.staff", "staff", "text_muted"),
)


class HomeScreen(Screen):
    escape_goes_back = False

    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        self.add_heading("home.title")
        self.add_label("home.lead", role="lead")
        self.message = QFrame()
        self.message.setProperty("role", "inline-message")
        self.message_row = message_row = QHBoxLayout(self.message)
        self.message_icon = QLabel()
        self.message_text = QLabel()
        self.message_text.setWordWrap(True)
        self.message_text.setTextFormat(Qt.TextFormat.PlainText)
        message_row.addWidget(self.message_icon, 0, Qt.AlignmentFlag.AlignTop)
        message_row.addWidget(self.message_text, 1)
        self.message.hide()
        self._message_key: str | None = None
        self.body.addWidget(self.message)
        self.entries: dict[str, EntryButton] = {}
        entries = QWidget()
        self.entry_list = QVBoxLayout(entries)
        self.entry_list.setContentsMargins(0, 0, 0, 0)
        for target, prefix, icon_name, token in ENTRIES:
            button = EntryButton(icon_name, token)
            button.setMinimumHeight(context.panel.primary_target_px)
            button.clicked.connect(lambda _=False, t=target: self.context.navigate(t))
            self.bind(self._entry_texts(button, prefix), f"{prefix}.title")
            self.entries[target] = button
            self.entry_list.addWidget(button)
        self.body.addWidget(entries)
        self.on_restyle()

    def _entry_texts(self, button: EntryButton, prefix: str) -> Callable[[str], None]:
        def apply(_title: str) -> None:
            button.set_texts(self.context.t(f"{prefix}.title"), self.context.t(f"{prefix}.hint"))

        return apply

    def show_message(self, key: str) -> None:
        """An inline, polite message above the entries (e.g. "not available yet"); stays until cleared."""
        self._message_key = key
        self.message_text.setText(self.context.t(key))
        self._draw_message_icon()
        self.message.show()

    def clear_message(self) -> None:
        self._message_key = None
        self.message.hide()

    @property
    def message_key(self) -> str | None:
        return self._message_key

    def on_retranslate(self) -> None:
        if self._message_key is not None:
            self.message_text.setText(self.context.t(self._message_key))
        self.on_restyle()

    def on_restyle(self) -> None:
        body = self.context.px()
        self.entry_list.setSpacing(body)
        layout = self.message_row
        layout.setContentsMargins(body, body * 3 // 4, body, body * 3 // 4)
        layout.setSpacing(body * 3 // 4)
        if self._message_key is not None:
            self._draw_message_icon()
        for button in self.entries.values():
            button.apply_metrics(self.context)

    def _draw_message_icon(self) -> None:
        # Only while a message shows: start-up has none, so it does not draw an icon nobody sees.
        size = round(self.context.px() * 1.5)
        self.message_icon.setPixmap(icons.pixmap("info", size, self.context.theme.info_accent))

    def first_focus(self) -> QWidget | None:
        return None
