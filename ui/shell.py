"""The app shell: one window with a fixed header, a staff notice bar and one stacked area of screens.

The window shows what the `CitizenSession` says (language, text size, colour theme, read aloud) and follows it live;
`session.ended` resets it to a fresh home screen (and the session's presentation to the site's defaults). Screens come
from a `ScreenRegistry`, are built the first time they are shown, and a screen that fails while being built or shown
sends the citizen back home (failsafe), logged without personal data.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLayout, QStackedWidget, QVBoxLayout, QWidget

from accessibility.tokens import Theme, theme_named
from kiosk.i18n import is_rtl
from kiosk.logs import safe_exception_summary
from kiosk.session import Presentation
from ui.background import BackgroundTasks
from ui.bridge import EventBridge
from ui.header import Header
from ui.lockdown import lock_down_window, speech_keys, window_flags
from ui.notice_bar import NoticeBar
from ui.screens.base import Screen, ScreenContext
from ui.screens.home import HomeScreen
from ui.screens.registry import HOME
from ui.shell_deps import ShellDeps
from ui.theme import build_palette, build_stylesheet
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

STAFF_SIGN_IN = "staff-sign-in"  # where a staff-only screen sends whoever is not signed in


class _SessionContext(ScreenContext):
    """A `ScreenContext` whose `theme` is always the session's current one: screens keep the context they were built
    with, and read `context.theme` whenever they restyle, so a theme change reaches every screen and widget."""

    __slots__ = ()

    @property
    def theme(self) -> Theme:
        return theme_named(self.session.presentation.theme)


class MainWindow(QWidget):
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
            from ui.keyboard.panel import OnScreenKeyboard

            deps = self.deps
            self._keyboard = OnScreenKeyboard(
                deps.catalog, deps.session, deps.panel, mode=deps.on_screen_keyboard, announce=self.announce
            )
            lock_down(self._keyboard)  # as the window's other parts: no context menu
            self._keyboard.visibility_changed.connect(self.header.set_compact)  # room for the page while typing
            layout = self.layout()
            assert layout is not None
            layout.addWidget(self._keyboard)
            # Built after the first paint: a text field may already have the focus, and no focus change will come.
            focused = QApplication.focusWidget()
            if focused is not None and self.isAncestorOf(focused):
                self._keyboard.follow_focus(focused)
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
            self._idle = self._idle_controller()
        return self._idle

    @property
    def assist_banner(self) -> AssistBanner | None:
        """The assisted-session strip under the header (None: no assistance on this kiosk); built on first use or
        right after the first paint, hidden until a citizen accepts a mediator's help."""
        if self._assist_banner is None and self.deps.assistance is not None:
            from ui.assist_banner import AssistBanner

            self._assist_banner = AssistBanner(self, self.deps.assistance)
            lock_down(self._assist_banner)
            layout = self.layout()
            assert isinstance(layout, QVBoxLayout)
            layout.insertWidget(layout.indexOf(self.header) + 1, self._assist_banner)
        return self._assist_banner

    def _idle_controller(self) -> IdleController | None:
        if self.deps.idle is None:
            return None
        from kiosk.sounds import SilentSounds
        from ui.idle import IdleController

        sounds = self.deps.sounds if self.deps.sounds is not None else SilentSounds()
        if self.deps.idle_clock is None:
            controller = IdleController(self, self.deps.idle, sounds)
        else:
            controller = IdleController(self, self.deps.idle, sounds, clock=self.deps.idle_clock)
        current = self.stack.currentWidget()
        if isinstance(current, Screen) and current is not self.home:  # built after the citizen moved on
            controller.timer.set_kind(current.idle_kind)
        return controller

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
            from kiosk.sounds import SilentSounds
            from ui.screens.help_call import HelpCallController

            sounds = self.deps.sounds if self.deps.sounds is not None else SilentSounds()
            self._help_call = HelpCallController(self, self.deps.help_calls, sounds)
        return self._help_call

    def _show_help(self) -> None:
        self.help_call.press()

    def show_sync(self, snapshot: SyncSnapshot) -> None:
        """The delivery state for the header's indicator (connect `EventBridge(worker.status_changed).fired` here)."""
        self.header.show_sync(snapshot)

    def show_staff_queue(self) -> None:
        """The staff delivery queue (`staff-queue`); reached from the staff area once mediators sign in."""
        self.show_screen("staff-queue")

    # Navigation ------------------------------------------------------------------------------------------------------
    def current_screen_name(self) -> str:
        current = self.stack.currentWidget()
        return current.screen_name if isinstance(current, Screen) else HOME

    def screen_widget(self, name: str) -> Screen | None:
        """The built screen of that name, if it has been shown since the last session reset."""
        return self._screens.get(name)

    def show_screen(self, name: str, *, clear_history: bool = False) -> None:
        """Show a registered screen; an unregistered one leaves the citizen on home with a polite message.

        `clear_history` forgets every screen shown before, so Back (and Escape) from this one goes home: the
        confirmation of a sent form uses it, so nothing leads back into the form.
        """
        if clear_history:
            self._history.clear()
        self._show(name, remember=not clear_history)

    def back(self) -> None:
        self._show(self._history.pop() if self._history else HOME, remember=False)

    def history(self) -> list[str]:
        """The screens Back leads to, the next one last."""
        return list(self._history)

    def _show(self, name: str, *, remember: bool) -> None:
        if name == HOME:
            self._go_home()
            return
        if name not in self.deps.registry:
            log.info("screen %s is not registered on this kiosk", name)
            self._go_home("home.not_available")
            return
        if self.deps.registry.spec(name).staff_only and not self.deps.staff_allowed(name):
            log.info("screen %s is for signed-in staff: sign-in shown instead", name)
            if STAFF_SIGN_IN not in self.deps.registry or name == STAFF_SIGN_IN:
                self._go_home("home.not_available")
                return
            name = STAFF_SIGN_IN
        previous = self.current_screen_name()
        try:
            screen = self._screens.get(name) or self._build(name)
            if not screen.can_show():  # e.g. a form page once the form is sent: never back into it
                self._go_home()
                return
            self.stack.setCurrentWidget(screen)
            screen.on_shown()
        except Exception as exc:  # noqa: BLE001 - failsafe: any screen bug returns the citizen home
            self._fail(name, exc)
            return
        if name in self._history:
            # Going to a screen Back would reach is going back to it: the history never holds a screen twice, so
            # moving between a form's pages and its check page cannot build an endless trail.
            del self._history[self._history.index(name) :]
        elif remember and previous != name:
            self._history.append(previous)
        self._focus(screen)
        self._apply_page_title()
        self.screen_changed.emit(name)

    def _go_home(self, message_key: str | None = None) -> None:
        self._history.clear()
        if message_key is None:
            self.home.clear_message()
        else:
            self.home.show_message(message_key)
        changed = self.stack.currentWidget() is not self.home
        self.stack.setCurrentWidget(self.home)
        self._apply_page_title()
        if message_key is not None:  # a warning ("not available on this kiosk yet"): to AT, and spoken if read aloud
            self.announcer.announce(self.home.message, self.home.message_text.text(), assertive=True)
        if changed:
            self.screen_changed.emit(HOME)

    def _build(self, name: str) -> Screen:
        screen = self.deps.registry.create(name, self.context)
        self._add(screen)
        return screen

    def _add(self, screen: Screen) -> None:
        lock_down(screen)
        self._screens[screen.screen_name] = screen
        self.stack.addWidget(screen)
        screen.title_changed.connect(self._apply_page_title)

    def _drop(self, name: str) -> None:
        screen = self._screens.pop(name, None)
        if screen is not None and screen is not self.home:
            self.stack.removeWidget(screen)
            screen.setParent(None)  # out of the window's tree at once; deleted (with what was typed) soon after
            screen.deleteLater()

    def _fail(self, name: str, exc: BaseException) -> None:
        log.error("screen %s failed (%s); returning home", name, safe_exception_summary(exc))
        self._drop(name)
        self._go_home("home.screen_failed")

    def _focus(self, screen: Screen) -> None:
        target = screen.first_focus()
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

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

    # Session ---------------------------------------------------------------------------------------------------------
    def _on_presentation(self, presentation: Presentation) -> None:
        old, self._presentation = self._presentation, presentation
        restyle = (presentation.text_step, presentation.theme) != (old.text_step, old.theme)
        if presentation.language != old.language:
            self._apply_language()
        if presentation.theme != old.theme:
            self._apply_theme()
        if restyle:
            self._apply_text_size()
        if (presentation.language, presentation.text_step) != (old.language, old.text_step):
            self.notice_bar.apply(presentation.language, presentation.text_step)
        self.header.apply(presentation)
        for name, screen in list(self._screens.items()):
            try:
                if presentation.language != old.language:
                    screen.retranslate()
                if restyle:
                    screen.restyle()
            except Exception as exc:
                if screen is self.home:
                    raise
                self._fail(name, exc)

    def _apply_language(self) -> None:
        lang = self._presentation.language
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft if is_rtl(lang) else Qt.LayoutDirection.LeftToRight)
        self._apply_page_title()

    def _apply_page_title(self) -> None:
        """The window title names the page (assistive technology reads it first), then the kiosk."""
        app_title = self.deps.catalog.t("app.title", self._presentation.language)
        current = self.stack.currentWidget()
        page = current.page_title if isinstance(current, Screen) else ""
        self.setWindowTitle(f"{page} – {app_title}" if page else app_title)

    def _apply_text_size(self) -> None:
        """The stylesheet for the text size and theme (regenerated when either changes)."""
        self.setStyleSheet(build_stylesheet(self.theme, self.deps.panel, self._presentation.text_step))

    def _apply_theme(self) -> None:
        """Palette and the parts that draw their own colours; the caller then regenerates the stylesheet and
        restyles the screens (their icons and painted widgets read `context.theme`, which follows the session)."""
        self.theme = theme_named(self._presentation.theme)
        self.setPalette(build_palette(self.theme))
        self.notice_bar.set_theme(self.theme)

    def _on_session_ended(self, reason: str) -> None:
        """Forget every screen the citizen used (they are rebuilt fresh when next shown), the clipboard and the
        receipts spooled in this session."""
        log.info("session ended (%s)", reason)
        self.header.close_display_panel()
        for name in [n for n in self._screens if n != HOME]:
            self._drop(name)
        self._history.clear()
        QGuiApplication.clipboard().clear()
        self._wipe_spool()
        self._go_home("home.session_timed_out" if reason == "timeout" else None)  # neutral: nothing was kept

    # Form outlets ----------------------------------------------------------------------------------------------------
    def _submission_desk(self) -> SubmissionDesk | None:
        if self._desk is None and self.deps.desk is not None:
            self._desk = self.deps.desk()
        return self._desk

    def _print_receipt(self, receipt: Receipt) -> bool:
        from ui.forms.receipt_outlet import spool_and_print  # segno and the print module load on first use

        return spool_and_print(receipt, self.deps.spool_dir, self.deps.print_receipt)

    def _wipe_spool(self) -> None:
        if self.deps.spool_dir is not None and self.deps.spool_dir.is_dir():
            from ui.forms.receipt_outlet import wipe_spool

            wipe_spool(self.deps.spool_dir)

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
