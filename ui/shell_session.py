"""How the window follows the citizen's session: its presentation re-applied everywhere, and its end.

A presentation change (`CitizenSession.presentation_changed`, through the bridge) re-applies what changed: the language
sets the layout direction and every built screen's texts, the theme the palette, and the text size or theme the
stylesheet; the header, the notice bar and every built screen follow, and a screen that fails to is dropped (home
itself may not fail). The session's end forgets every screen the citizen used (rebuilt fresh when next shown), empties
the clipboard and the receipt spool, and returns home.

`SessionWindow` is the base class of `ui.shell.MainWindow`, apart from its navigation (ui.shell_navigation) and its
construction and start-up (ui.shell): it uses the window's parts declared below.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from accessibility.tokens import Theme, theme_named
from kiosk.i18n import is_rtl
from kiosk.session import Presentation
from ui.screens.base import Screen
from ui.screens.registry import HOME
from ui.theme import build_palette, build_stylesheet

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStackedWidget

    from ui.header import Header
    from ui.notice_bar import NoticeBar
    from ui.screens.home import HomeScreen
    from ui.shell_deps import ShellDeps

log = logging.getLogger(__name__)


class SessionWindow(QWidget):
    if TYPE_CHECKING:  # what the window provides (ui.shell, ui.shell_navigation)
        deps: ShellDeps
        theme: Theme
        stack: QStackedWidget
        header: Header
        notice_bar: NoticeBar
        home: HomeScreen
        _presentation: Presentation
        _screens: dict[str, Screen]
        _history: list[str]

        def _drop(self, name: str) -> None: ...
        def _fail(self, name: str, exc: BaseException) -> None: ...
        def _go_home(self, message_key: str | None = None) -> None: ...

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

    def _wipe_spool(self) -> None:
        if self.deps.spool_dir is not None and self.deps.spool_dir.is_dir():
            from ui.forms.receipt_outlet import wipe_spool

            wipe_spool(self.deps.spool_dir)
