"""The window's way between screens: which one is shown, what Back leads to, and the failsafe.

Screens come from the `ScreenRegistry` and are built the first time they are shown (`_build`), kept while the
session lasts and dropped when it ends (`_drop`: out of the window's tree at once, deleted with what was typed soon
after). A staff-only screen shows the staff sign-in to whoever is not signed in; an unregistered one leaves the
citizen on home with a polite message; a screen that fails while being built or shown is dropped and the citizen is
sent home (logged without personal data). Back's history never holds a screen twice.

A mixin of `ui.shell.MainWindow`, apart from the window's chrome, presentation and start-up: it uses the window's
stack, registry, home screen and page title, declared below.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from kiosk.logs import safe_exception_summary
from ui.screens.base import Screen
from ui.screens.registry import HOME
from ui.widgets import lock_down

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QStackedWidget

    from ui.announcer import Announcer
    from ui.screens.base import ScreenContext
    from ui.screens.home import HomeScreen
    from ui.shell_deps import ShellDeps

log = logging.getLogger(__name__)

STAFF_SIGN_IN = "staff-sign-in"  # where a staff-only screen sends whoever is not signed in


class ScreenNavigation:
    if TYPE_CHECKING:  # what the window provides
        deps: ShellDeps
        context: ScreenContext
        stack: QStackedWidget
        home: HomeScreen
        screen_changed: SignalInstance
        _screens: dict[str, Screen]
        _history: list[str]

        @property
        def announcer(self) -> Announcer: ...

        def _apply_page_title(self) -> None: ...

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
