"""The home screen: a welcome and three large entries. Entries whose screens are not registered yet lead to a polite
inline message instead of a fake screen (the shell decides that, see `MainWindow.show_screen`)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ui import icons
from ui.screens.base import Screen, ScreenContext
from ui.widgets import KioskButton

# (target screen, catalog prefix, icon, badge colour token)
ENTRIES = (
    ("services", "home.services", "services", "primary"),
    ("learn", "home.learn", "learn", "accent"),
    ("staff", "home.staff", "staff", "text_muted"),
)


def _passive_label(role: str, wrap: bool) -> QLabel:
    label = QLabel()
    label.setProperty("role", role)
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    return label


class EntryButton(KioskButton):
    """A large card-like button: a badge icon, a bold title, a one-line explanation and a chevron."""

    def __init__(self, icon_name: str, badge_token: str) -> None:
        super().__init__("entry")
        self.icon_name = icon_name
        self.badge_token = badge_token
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        size_policy = self.sizePolicy()
        size_policy.setHeightForWidth(True)
        self.setSizePolicy(size_policy)
        self.row = row = QHBoxLayout(self)
        self.badge = _passive_label("icon", wrap=False)
        self.title = _passive_label("title", wrap=True)
        self.hint = _passive_label("body", wrap=True)
        self.chevron = _passive_label("icon", wrap=False)
        texts = QVBoxLayout()
        texts.setSpacing(4)
        texts.addWidget(self.title)
        texts.addWidget(self.hint)
        row.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addLayout(texts, 1)
        row.addWidget(self.chevron, 0, Qt.AlignmentFlag.AlignVCenter)

    # QPushButton sizes itself from its own text; this one is sized by the layout of its labels.
    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.row.totalSizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.row.totalMinimumSize()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt override
        return self.row.totalHeightForWidth(width)

    def set_texts(self, title: str, hint: str) -> None:
        self.title.setText(title)
        self.hint.setText(hint)
        self.setAccessibleName(title)
        self.setAccessibleDescription(hint)

    def refresh_icons(self, context: ScreenContext) -> None:
        body = context.px()
        theme = context.theme
        row = self.row
        row.setContentsMargins(body, body * 3 // 4, body, body * 3 // 4)
        row.setSpacing(body)
        size = round(body * 2.6)
        self.badge.setPixmap(icons.badge(self.icon_name, size, theme.colour(self.badge_token), theme.background))
        self.chevron.setPixmap(icons.pixmap("chevron", round(body * 1.3), theme.text, rtl=context.rtl))


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
        size = round(body * 1.5)
        self.message_icon.setPixmap(icons.pixmap("info", size, self.context.theme.info_accent))
        for button in self.entries.values():
            button.refresh_icons(self.context)

    def first_focus(self) -> QWidget | None:
        return None
