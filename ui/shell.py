"""The app shell: one window with a fixed header, a staff notice bar and one stacked area of screens.

The window shows what the `CitizenSession` says (language, text size, colour theme, read aloud) and follows it live;
`session.ended` resets it to a fresh home screen (and the session's presentation to the site's defaults). Screens come
from a `ScreenRegistry`, are built the first time they are shown, and a screen that fails while being built or shown
sends the citizen back home (failsafe), logged without personal data.

This module builds the window and runs its start-up; the way between screens is in ui.shell_navigation, following the
session (presentation and end) in ui.shell_session, and the parts built after the first paint in ui.window_parts.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLayout, QStackedWidget, QVBoxLayout, QWidget

from accessibility.tokens import Theme, theme_named
from kiosk.logs import safe_exception_summary
from ui.background import BackgroundTasks
from ui.bridge import EventBridge
from ui.header import Header
from ui.lockdown import lock_down_window, speech_keys, window_flags
from ui.notice_bar import NoticeBar
from ui.screens.base import Screen, ScreenContext
from ui.screens.home import HomeScreen
from ui.screens.registry import HOME
from ui.shell_deps import ShellDeps
from ui.shell_navigation import STAFF_SIGN_IN, ScreenNavigation
from ui.shell_session import SessionWindow
from ui.theme import build_palette
from ui.widgets import TapDebounce, lock_down

if TYPE_CHECKING:  # event classes too: importing one creates its Python type (and enums) before the first paint
    from PySide6.QtGui import QCloseEvent, QKeyEvent

    from accessibility.speech import SpeechService
    from kiosk.desk import SubmissionDesk
    from kiosk.receipts import Receipt
    from sync.snapshot import SyncSnapshot
    from ui.announcer import Announcer, Parts
    from ui.assist_banner import AssistBanner
    from ui.idle import IdleController
    from ui.keyboard.panel import OnScreenKeyboard
    from ui.keypad import KeypadFilter
    from ui.screens.help_call import HelpCallController
    from ui.speech_mode import SpeechMode

log = logging.getLogger(__name__)
__all__ = ["STAFF_SIGN_IN", "MainWindow", "ShellDeps"]  # ShellDeps is defined in ui.shell_deps


class _SessionContext(ScreenContext):
    """A `ScreenContext` whose `theme` is always the session's current one: screens keep the context they were built
    with, and read `context.theme` whenever they restyle, so a theme change reaches every screen and widget."""

    __slots__ = ()

    @property
    def theme(self) -> Theme:
        return theme_named(self.session.presentation.theme)


class MainWindow(ScreenNavigation, SessionWindow):
    screen_changed = Signal(str)
    close_requested = Signal()  # the window system asked to close; the owner decides (a kiosk ignores it)
    _covered: tuple[QWidget | None, QWidget | None] = (None, None)  # the screen and focus under `cover`'s screen
    _assist_banner: AssistBanner | None = None  # built by `assist_banner`

    def __init__(self, deps: ShellDeps, *, frameless: bool = False, on_top: bool = False) -> None:
        # Window flags belong in the constructor: changing them later re-creates the native window. The kiosk is
        # frameless and on top (ui.lockdown); --windowed is neither.
        super().__init__(None, window_flags(frameless=frameless, on_top=on_top))
        self.setObjectName("mainWindow")
        self.deps = deps
        if deps.theme is not None:
            deps.session.set_theme(deps.theme)
        self.theme = theme_named(deps.session.presentation.theme)
        self._presentation = deps.session.presentation
        self._screens: dict[str, Screen] = {}
        self._history: list[str] = []
        self._allow_close = False
        self._first_paint_seen = False
        self._desk: SubmissionDesk | None = None
        self.background = BackgroundTasks(deps.background_tasks, deps.periodic_tasks)
        # Built on first use or right after the first paint (`_after_first_paint`), never before it: their modules
        # and the Qt classes they use (and the Python enums PySide creates for those) cost start-up time.
        self._announcer: Announcer | None = None
        self._keyboard: OnScreenKeyboard | None = None
        self._speech_mode: SpeechMode | None = None
        self._keypad: KeypadFilter | None = None
        self._idle: IdleController | None = None
        self._idle_built = False
        self._help_call: HelpCallController | None = None
        self.context = _SessionContext(
            catalog=deps.catalog,
            session=deps.session,
            notices=deps.notices,
            services=deps.services,
            journey=deps.journey,
            panel=deps.panel,
            theme=self.theme,
            navigate=self.show_screen,
            back=self.back,
            desk=self._submission_desk,
            print_receipt=self._print_receipt,
            site=deps.site,
            today=deps.today,
            draft_retention_days=deps.draft_retention_days,
            announce=self.announce,
        )
        self.setPalette(build_palette(self.theme))
        self.setAutoFillBackground(True)
        layout = QVBoxLayout(self)
        # The window's size is the screen's, set from outside: a layout-driven minimum size would only fight it (and
        # makes the offscreen platform warn about size hints).
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.header = Header(
            deps.catalog, deps.session, deps.panel, self.theme, languages=deps.languages, on_help=self._show_help
        )
        self.notice_bar = NoticeBar(deps.catalog, deps.panel, self.theme)
        self.stack = QStackedWidget()
        layout.addWidget(self.header)
        layout.addWidget(self.notice_bar)
        layout.addWidget(self.stack, 1)
        # With the keyboard open at the largest text size the screens may get less than a scroll area's usual minimum.
        self.stack.setMinimumHeight(deps.panel.min_target_px)
        self._apply_language()  # the header already shows the session's presentation
        self._apply_text_size()
        self.notice_bar.apply(self._presentation.language, self._presentation.text_step)

        home = deps.registry.create(HOME, self.context)  # no failsafe for home itself: without it there is no kiosk
        if not isinstance(home, HomeScreen):
            raise TypeError("the 'home' screen must be a ui.screens.home.HomeScreen")
        self.home = home
        self._add(home)
        home.content.call_after_next_paint(self._on_first_paint)

        self._bridges = [
            EventBridge(deps.session.presentation_changed, self),
            EventBridge(deps.session.ended, self),
            EventBridge(deps.notices.changed, self),
        ]
        self._bridges[0].fired.connect(self._on_presentation)
        self._bridges[1].fired.connect(self._on_session_ended)
        self._bridges[2].fired.connect(self.notice_bar.set_notices)
        self.notice_bar.set_notices(deps.notices.current())
        # The tap debounce: an application event filter, installed after the first frame.
        self.tap_debounce = TapDebounce(deps.debounce_ms, self)
        # The window's own parts (each screen is locked down as it is added, `_add`) now, and application-wide no
        # context menu anywhere and no key that closes or leaves full screen (ui.lockdown; the speech keys, F11
        # "louder" by default, stay the kiosk's). Its `blocked` signal reports each refused key. The filter is
        # installed right after the first frame (`_after_first_paint`): a Python
        # application filter sees the style object and every event type while the window is first shown and polished,
        # and PySide then creates their Python types and enums (~600 enum members, ~6 ms of start-up).
        self.lockdown = lock_down_window(self, allowed=speech_keys(deps.speech_settings), install=False)

    # Parts built after the first paint (or on first use) -------------------------------------------------------------
    @property
    def speech(self) -> SpeechService:
        return self.deps.speech

    @property
    def announcer(self) -> Announcer:
        """Every announcement: spoken (read aloud) and to assistive technology."""
        if self._announcer is None:
            from ui.announcer import Announcer

            self._announcer = Announcer(self.deps.speech, self.deps.session, self)
        return self._announcer

    def announce(self, widget: QWidget | None, parts: Parts, **options: object) -> str:
        """`Announcer.announce` (the screens' `context.announce`), building the announcer on first use."""
        return self.announcer.announce(widget, parts, **options)  # type: ignore[arg-type]

    @property
    def keyboard(self) -> OnScreenKeyboard:
        """Docked under the screens (never over them): while it is open the screens are shorter and scroll the field
        being typed in into view. It follows the focus and the session by itself (ui/keyboard)."""
        if self._keyboard is None:
            from ui.window_parts import build_keyboard

            self._keyboard = build_keyboard(self)
        return self._keyboard

    @property
    def speech_mode(self) -> SpeechMode:
        """Read aloud's keys and reading; its bridges come after the window's, so on a language change the screens
        are re-translated before they are read again."""
        if self._speech_mode is None:
            from ui.speech_mode import SpeechMode

            self._speech_mode = SpeechMode(self, self.announcer, self.deps.speech_settings)
        return self._speech_mode

    @property
    def keypad(self) -> KeypadFilter:
        """The numeric keypad mapping: an application event filter, installed after the first frame."""
        if self._keypad is None:
            from ui.keypad import KeypadFilter

            self._keypad = KeypadFilter(self)
        return self._keypad

    @property
    def idle(self) -> IdleController | None:
        """Idle warning and expiry (None: this window never times out), installed after the first frame."""
        if not self._idle_built:
            self._idle_built = True
            from ui.window_parts import build_idle_controller

            self._idle = build_idle_controller(self)
        return self._idle

    @property
    def assist_banner(self) -> AssistBanner | None:
        """The assisted-session strip under the header (None: no assistance on this kiosk); built on first use or
        right after the first paint, hidden until a citizen accepts a mediator's help."""
        if self._assist_banner is None and self.deps.assistance is not None:
            from ui.window_parts import build_assist_banner

            self._assist_banner = build_assist_banner(self, self.deps.assistance)
        return self._assist_banner

    def cover(self, screen: Screen) -> None:
        """Show `screen` over the current one without navigating (the idle warning): the screen beneath keeps what
        was typed, its scroll and its focus, and comes back with `uncover`."""
        self._covered = (self.stack.currentWidget(), QApplication.focusWidget())
        lock_down(screen)
        self.stack.addWidget(screen)
        self.stack.setCurrentWidget(screen)
        self._focus(screen)
        self._apply_page_title()

    def uncover(self, screen: Screen) -> None:
        beneath, focus = self._covered
        self._covered = (None, None)
        if beneath is not None and self.stack.indexOf(beneath) >= 0 and self.stack.currentWidget() is screen:
            self.stack.setCurrentWidget(beneath)
            if focus is not None and self.isAncestorOf(focus):
                focus.setFocus(Qt.FocusReason.OtherFocusReason)
        self.stack.removeWidget(screen)
        screen.setParent(None)
        screen.deleteLater()
        self._apply_page_title()

    @property
    def help_call(self) -> HelpCallController:
        """The header's "Call a mediator": the call screen over the current page, never a navigation (built on first
        use)."""
        if self._help_call is None:
            from ui.window_parts import build_help_call

            self._help_call = build_help_call(self)
        return self._help_call

    def _show_help(self) -> None:
        self.help_call.press()

    def show_sync(self, snapshot: SyncSnapshot) -> None:
        """The delivery state for the header's indicator (connect `EventBridge(worker.status_changed).fired` here)."""
        self.header.show_sync(snapshot)

    def show_staff_queue(self) -> None:
        """The staff delivery queue (`staff-queue`); reached from the staff area once mediators sign in."""
        self.show_screen("staff-queue")

    def _reveal_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Wherever the focus goes on the page (Tab, the keypad, a screen's own `setFocus`), the page scrolls it into
        view: Qt's own scrolling misses Tab from the header and round the end, and `setFocus` never scrolls. A tap is
        left alone (the page never moves under a finger); the header, the keyboard and the bars are always in view."""
        if new is None or not shiboken6.isValid(self) or QGuiApplication.mouseButtons() != Qt.MouseButton.NoButton:
            return
        screen = self.stack.currentWidget()
        if isinstance(screen, Screen):
            screen.reveal(new)  # nothing unless `new` is on its page

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        # Escape = Back on every screen but home. Buttons ignore Escape, so it reaches the window from anywhere.
        current = self.stack.currentWidget()
        if event.key() == Qt.Key.Key_Escape and isinstance(current, Screen) and current.escape_goes_back:
            event.accept()
            current.go_back()
            return
        super().keyPressEvent(event)

    # Form outlets ----------------------------------------------------------------------------------------------------
    def _submission_desk(self) -> SubmissionDesk | None:
        if self._desk is None and self.deps.desk is not None:
            self._desk = self.deps.desk()
        return self._desk

    def _print_receipt(self, receipt: Receipt) -> bool:
        from ui.forms.receipt_outlet import spool_and_print  # segno and the print module load on first use

        return spool_and_print(receipt, self.deps.spool_dir, self.deps.print_receipt)

    # Start-up and shutdown -------------------------------------------------------------------------------------------
    @property
    def first_paint_done(self) -> bool:
        return self._first_paint_seen

    def _on_first_paint(self) -> None:
        self._first_paint_seen = True
        QTimer.singleShot(0, self._after_first_paint)  # runs once this frame is painted and flushed

    def _after_first_paint(self) -> None:
        # The owner's hook first: this is the moment the first frame is complete (benchmarks/startup.py stops its clock
        # here, as its bare window does in its first timer after painting). What follows runs in this same callback,
        # so no input can reach the window before the lockdown is in place.
        try:
            self.deps.after_first_paint()
        except Exception as exc:  # noqa: BLE001 - a start-up hook must not take the kiosk down
            log.error("after_first_paint failed: %s", safe_exception_summary(exc))
        if self._allow_close and not self.isVisible():  # the hook shut the window down (the first-paint benchmark)
            return
        self.lockdown.install()
        self.header.complete_icons()  # focus and checked states: the first frame drew only what it showed
        # Before the background tasks: the speech service may be built here, and its probe is one of them.
        self.keyboard  # noqa: B018 - built now, so it follows the focus from the citizen's first tap
        self.speech_mode  # noqa: B018 - the speech keys act from now on
        self.keypad.install()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._reveal_focus)
        self.tap_debounce.install()
        idle = self.idle
        if idle is not None:
            idle.install()
        self.assist_banner  # noqa: B018 - ready before any mediator can sign in (the staff screens come after now)
        self.background.start()

    def allow_close(self) -> None:
        self._allow_close = True

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        # A kiosk refuses every close request (Alt+F4, a window manager's button) unless its owner allows it, now
        # (KioskGui asks its LeaveGuard, then shuts down) or before: in Qt 6 QApplication.quit() also asks each window
        # to close, so end the process through KioskGui.shutdown().
        if not self._allow_close:
            self.close_requested.emit()
        if self._allow_close:
            event.accept()
            return
        event.ignore()
