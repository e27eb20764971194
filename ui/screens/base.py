"""What every screen is built on: a context to reach the core, and a scrollable, translatable page.

A screen never holds its own copy of a string: it binds widgets to catalog keys, and the shell calls `retranslate`
when the language changes and `restyle` when the text size changes. Content scrolls, so large text never clips.
"""

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple, Protocol

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QPaintEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from accessibility.sizing import ReferencePanel
from accessibility.tokens import Theme
from kiosk.i18n import Catalog, is_rtl
from kiosk.notices import NoticeBoard
from kiosk.session import CitizenSession
from kiosk.settings.model import SiteSettings
from ui import icons
from ui.widgets import KioskButton

if TYPE_CHECKING:
    from kiosk.catalog.provider import CatalogProvider
    from kiosk.desk import SubmissionDesk
    from kiosk.journey import Journey
    from kiosk.receipts import Receipt

COLUMN_EMS = 46  # readable line length: the content column is about 46 body-text ems wide at most
DEFAULT_SITE = SiteSettings(id="demo-site", name="Demo citizen spot", kiosk_id="kiosk-01")  # the settings' defaults


class Navigate(Protocol):
    def __call__(self, name: str, *, clear_history: bool = False) -> None:
        """Show screen `name`; `clear_history` forgets every earlier screen (Back then goes home)."""


def _no_desk() -> "SubmissionDesk | None":
    return None


def _no_printer(_receipt: "Receipt") -> bool:
    return False


def _no_announcement(_widget: QWidget | None, _parts: object, **_options: object) -> str:
    return ""


class ScreenContext(NamedTuple):
    """Everything a screen may use. `navigate(name)` asks the shell for another screen; `back()` goes back.

    `catalog` holds the UI strings; `services` the service catalog (life events, services, search), which loads after
    the first paint; `journey` the life event and service the citizen chose in this session. The form screens also
    use `desk()` (the submission desk, built on first use; None when this kiosk has none), `print_receipt(receipt)`
    (spools and prints; False when no printer took it), `site` (for receipts), `today()` (the flow's date) and
    `draft_retention_days` (save and come back later).
    """

    catalog: Catalog
    session: CitizenSession
    notices: NoticeBoard
    services: "CatalogProvider"  # quoted: this module has no postponed annotations (they cost time at start-up)
    journey: "Journey"
    panel: ReferencePanel
    theme: Theme
    navigate: Navigate
    back: Callable[[], None]
    desk: Callable[[], "SubmissionDesk | None"] = _no_desk
    print_receipt: Callable[["Receipt"], bool] = _no_printer
    site: SiteSettings = DEFAULT_SITE
    today: Callable[[], datetime.date] = datetime.date.today
    draft_retention_days: int = 30  # how long a saved draft stays on this kiosk (settings: drafts.retention_days)
    # announce(widget, text or utterances, assertive=..., ...): ui.announcer.Announcer.announce (spoken with read
    # aloud on, and a QAccessibleAnnouncementEvent always); nothing outside a window.
    announce: Callable[..., str] = _no_announcement

    @property
    def language(self) -> str:
        return self.session.presentation.language

    @property
    def text_step(self) -> int:
        return self.session.presentation.text_step

    @property
    def rtl(self) -> bool:
        return is_rtl(self.language)

    def t(self, key: str, **params: object) -> str:
        return self.catalog.t(key, self.language, **params)

    def px(self, style: str = "body") -> int:
        return self.panel.text_px(style, self.text_step)


class ScreenContent(QWidget):
    """The page inside a screen's scroll area; it can report its next paint (how the shell sees its first frame).

    A paintEvent override rather than an event filter: each event an event filter sees is handed to Python as its most
    derived class, and finding that class makes PySide build every QEvent subclass on first use (~1 ms at start).
    """

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("screenContent")
        # A plain QWidget draws its style-sheet background by itself; a subclass has to ask for it.
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._after_paint: Callable[[], None] | None = None

    def call_after_next_paint(self, callback: Callable[[], None]) -> None:
        """Call `callback` once, right after the next paint event of this page has been handled."""
        self._after_paint = callback

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        if self._after_paint is not None:
            callback, self._after_paint = self._after_paint, None
            callback()


class PageScrollArea(QScrollArea):
    """A screen's scroll area, without Qt's own scroll-into-view on Tab: that one runs only for Tab moves between two
    of its own widgets (not from the header, not round the end, not for the keypad), centres a control taller than the
    view, and would undo `Screen.reveal`, which the shell calls on every focus change instead."""

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 - Qt override
        return QWidget.focusNextPrevChild(self, forward)


class Screen(QWidget):
    """One page of the stacked area. Subclasses add content to `self.body` in `__init__`."""

    escape_goes_back = True  # Escape = Back; the home screen turns this off
    # Which idle timeout applies (kiosk.idle): "question" (typing, choosing) or "reading" (long texts, more time);
    # the registry may set it per screen (`ScreenRegistry.register(..., idle_kind=...)`).
    idle_kind = "question"
    title_changed = Signal()  # `page_title` changed: the shell puts it in the window title

    def __init__(self, context: ScreenContext) -> None:
        super().__init__()
        self.context = context
        self.screen_name = ""
        self.page_title = ""  # what this page is, for the window title ("Error: " first when it shows errors)
        self._bindings: list[tuple[Callable[[str], None], str, dict[str, object]]] = []
        self._icon_refreshers: list[Callable[[], None]] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = PageScrollArea()
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        outer.addWidget(self.scroll_area)
        self.content = ScreenContent()
        row = QHBoxLayout(self.content)
        self.column = QWidget()
        row.addStretch(1)
        # The column sits at the top at its height-for-width. (Aligning the body layout itself instead would size it
        # by its size hint: wrapped text that needs more lines at the real width would be squeezed.)
        row.addWidget(self.column, 100, Qt.AlignmentFlag.AlignTop)
        row.addStretch(1)
        self.body = QVBoxLayout(self.column)
        self.scroll_area.setWidget(self.content)
        self._apply_metrics()

    # Building blocks -------------------------------------------------------------------------------------------------
    def bind(self, setter: Callable[[str], None], key: str, **params: object) -> None:
        """Call `setter(text)` now and after every language change."""
        self._bindings.append((setter, key, params))
        setter(self.context.t(key, **params))

    def add_label(self, key: str, role: str = "body", **params: object) -> QLabel:
        label = QLabel()
        label.setProperty("role", role)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        self.bind(label.setText, key, **params)
        self.body.addWidget(label)
        return label

    def add_heading(self, key: str, level: int = 1, **params: object) -> QLabel:
        return self.add_label(key, role=f"h{level}", **params)

    def add_button(
        self, key: str, on_click: Callable[[], None], *, kind: str = "secondary", icon: str | None = None
    ) -> KioskButton:
        button = KioskButton(kind)
        self.bind(button.set_label, key)
        button.clicked.connect(on_click)
        if icon is not None:
            self.bind_icon(button, icon)
        return button

    def add_back_button(self) -> KioskButton:
        button = self.add_button("common.back", self.go_back, icon="back")
        row = QHBoxLayout()
        row.addWidget(button)
        row.addStretch(1)
        self.body.addLayout(row)
        return button

    def bind_icon(self, button: KioskButton, name: str, token: str = "text") -> None:
        def refresh() -> None:
            theme, size = self.context.theme, round(self.context.px() * 1.1)
            button.setIconSize(icons.icon_extent(size))
            button.setIcon(
                icons.state_icon(size, {False: (name, theme.colour(token))}, theme.focus_text, rtl=self.context.rtl)
            )

        self._icon_refreshers.append(refresh)
        refresh()

    # Called by the shell ---------------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        for setter, key, params in self._bindings:
            setter(self.context.t(key, **params))
        for refresh in self._icon_refreshers:
            refresh()  # directional icons mirror with the language
        self.on_retranslate()

    def restyle(self) -> None:
        self._apply_metrics()
        for refresh in self._icon_refreshers:
            refresh()
        self.on_restyle()

    def on_retranslate(self) -> None:
        """Hook: update anything not bound with `bind`."""

    def on_restyle(self) -> None:
        """Hook: update sizes not covered by the stylesheet (icons, fixed widths)."""

    def on_shown(self) -> None:
        """Hook: the screen became the current one."""

    def can_show(self) -> bool:
        """Whether there is anything to show now; the shell sends the citizen home instead when not (e.g. a form
        page once the form has been sent)."""
        return True

    def go_back(self) -> None:
        """Back (the button and Escape). A form page steps back through its own questions instead."""
        self.context.back()

    def set_page_title(self, title: str) -> None:
        if title != self.page_title:
            self.page_title = title
            self.title_changed.emit()

    def reveal(self, widget: QWidget) -> None:
        """Scroll the page so `widget`, which just got the focus, is in view with the panel's minimum gap around it
        (WCAG 2.4.11, focus not obscured): a control taller than the view shows its top; a text box is revealed as the
        on-screen keyboard reveals it (the whole box, or its caret when the box is taller than the view)."""
        if not self.content.isAncestorOf(widget):
            return
        # Imported on the first focus change, never on the way to the first paint.
        from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QTextEdit

        from ui.keyboard.fields import reveal

        margin = self.context.panel.min_gap_px
        view = self.scroll_area.viewport().height()
        if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
            reveal(widget, margin)
        elif widget.height() > view:
            top = widget.mapTo(self.content, QPoint(0, 0)).y()
            self.scroll_area.verticalScrollBar().setValue(top - margin)
        else:  # the whole control, with as much of the gap around it as the view leaves
            self.scroll_area.ensureWidgetVisible(widget, margin, min(margin, (view - widget.height()) // 2))

    def first_focus(self) -> QWidget | None:
        """The widget that takes focus when the screen is shown (None: leave focus alone)."""
        return None

    def _apply_metrics(self) -> None:
        body = self.context.px()
        self.column.setMaximumWidth(body * COLUMN_EMS)
        self.body.setSpacing(body)
        margin = self.context.panel.min_target_px // 2
        self.body.setContentsMargins(margin, body, margin, body * 2)
