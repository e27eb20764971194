"""The Qt application and the one window that lives as long as the process.

`KioskGui` owns the QApplication and the MainWindow together: with either left as a local of `main()` the process can
crash at exit. SIGTERM and SIGINT go through the event loop to `KioskGui.shutdown`, which ends the session cleanly.
"""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Callable
from types import FrameType

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from ui.keyboard.policy import forbid_qt_virtual_keyboard
from ui.shell import MainWindow, ShellDeps
from ui.typography import load_bundled_fonts, ui_font

log = logging.getLogger(__name__)

WINDOWED_SIZE = (1280, 800)
BACKGROUND_JOIN_SECONDS = 3.0
SHUTDOWN_SIGNALS = (signal.SIGTERM, signal.SIGINT)
__all__ = ["KioskGui", "create_application", "install_shutdown_handlers"]


def create_application(argv: list[str]) -> QApplication:
    """Fusion style, the bundled fonts, and no desktop theme leaking in (every kiosk must look the same)."""
    forbid_qt_virtual_keyboard()  # GPL-only, and the kiosk has its own keyboard (ui/keyboard)
    QGuiApplication.setDesktopSettingsAware(False)
    # Asking for Fusion on the command line creates only that style (setStyle() afterwards would build two).
    program = argv[:1] or ["citizen-kiosk"]
    app = QApplication([*program, "-style", "Fusion", *argv[1:]])
    app.setApplicationName("citizen-kiosk")
    load_bundled_fonts()
    app.setFont(ui_font(24))
    return app


class KioskGui:
    def __init__(self, app: QApplication, deps: ShellDeps, *, windowed: bool) -> None:
        self.app = app
        self.deps = deps
        self.windowed = windowed
        self.window = MainWindow(deps, frameless=not windowed)
        self.window.close_requested.connect(self._on_close_requested)
        self._shut_down = False
        self._restore_signals: list[Callable[[], None]] = []

    def start(self) -> None:
        if self.windowed:
            self.window.resize(*WINDOWED_SIZE)
            self.window.show()
            return
        screen = self.app.primaryScreen()
        # Frameless (see MainWindow) + explicit geometry: without a window manager showFullScreen() keeps the
        # natural size.
        self.window.setGeometry(screen.geometry())
        self.window.show()
        if QGuiApplication.platformName() != "offscreen":  # offscreen has no stacking order (and warns)
            self.window.raise_()
        self.window.activateWindow()

    def exec(self) -> int:
        return self.app.exec()

    def shutdown(self) -> None:
        """End the citizen's session, close the window and leave the event loop. Safe to call more than once."""
        if self._shut_down:
            return
        self._shut_down = True
        log.info("kiosk shutting down")
        self.deps.session.end("shutdown")
        if not self.window.background.join(BACKGROUND_JOIN_SECONDS):
            log.warning("background start-up work still running at shutdown")
        self.window.allow_close()
        self.window.close()
        for restore in self._restore_signals:
            restore()
        self._restore_signals.clear()
        self.app.quit()

    @property
    def is_shut_down(self) -> bool:
        return self._shut_down

    def _on_close_requested(self) -> None:
        if self.windowed:
            self.shutdown()
        else:
            log.info("close request ignored: the kiosk window only closes on shutdown")


def install_shutdown_handlers(gui: KioskGui) -> None:
    """SIGTERM and SIGINT -> `gui.shutdown()` on the GUI thread, even while Qt's event loop is busy in C++.

    Python runs signal handlers only between bytecodes, which never happens while Qt waits for events. So the C-level
    handler writes the signal number to a pipe (`signal.set_wakeup_fd`); a QSocketNotifier on the other end wakes the
    event loop, and its slot calls `shutdown()` from ordinary event-loop context. Must be called on the main thread.
    """
    from PySide6.QtCore import QSocketNotifier  # only here: keeps it out of the path to the first paint

    read_fd, write_fd = os.pipe()
    os.set_blocking(read_fd, False)
    os.set_blocking(write_fd, False)
    previous_fd = signal.set_wakeup_fd(write_fd)

    def ignore(signum: int, frame: FrameType | None) -> None:
        return None  # the work happens in `on_wakeup`; a handler must exist so SIGINT raises nothing

    previous = {sig: signal.signal(sig, ignore) for sig in SHUTDOWN_SIGNALS}
    notifier = QSocketNotifier(read_fd, QSocketNotifier.Type.Read, gui.window)

    def on_wakeup() -> None:
        try:
            received = os.read(read_fd, 64)
        except BlockingIOError:
            return
        if any(byte in {int(s) for s in SHUTDOWN_SIGNALS} for byte in received):
            log.info("received a shutdown signal")
            QTimer.singleShot(0, gui.shutdown)

    notifier.activated.connect(on_wakeup)

    def restore() -> None:
        notifier.setEnabled(False)
        signal.set_wakeup_fd(previous_fd)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        os.close(read_fd)
        os.close(write_fd)

    gui._restore_signals.append(restore)
