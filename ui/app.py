"""The Qt application and the one window that lives as long as the process.

`KioskGui` owns the QApplication and the MainWindow together: with either left as a local of `main()` the process can
crash at exit. SIGTERM and SIGINT go through the event loop to `KioskGui.shutdown`, which ends the session cleanly.
In kiosk mode the window is frameless, full screen and on top, and closes only when `may_close()` allows it (a
signed-in site manager); every refused close or escape key is a leave attempt (ui.lockdown).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from types import FrameType

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication, QPixmapCache
from PySide6.QtWidgets import QApplication

from ui.keyboard.policy import forbid_qt_virtual_keyboard
from ui.lockdown import LeaveGuard
from ui.shell import MainWindow
from ui.shell_deps import ShellDeps
from ui.typography import load_bundled_fonts, ui_font

log = logging.getLogger(__name__)

WINDOWED_SIZE = (1280, 800)
BACKGROUND_JOIN_SECONDS = 3.0
SHUTDOWN_SIGNALS = ("SIGTERM", "SIGINT")  # by name: the signal module loads with the handlers, after the first frame
# Qt keeps rendered icons and styled backgrounds in a pixmap cache (10 MB by default) that each citizen's freshly built
# screens add to until it is full: a smaller cache still holds every screen's pictures, and keeps a kiosk that runs
# for weeks flat in memory (benchmarks/sessions.py).
PIXMAP_CACHE_KB = 3 * 1024
__all__ = ["KioskGui", "create_application", "install_shutdown_handlers"]


def create_application(argv: list[str]) -> QApplication:
    """Fusion style, the bundled fonts, and no desktop theme leaking in (every kiosk must look the same)."""
    forbid_qt_virtual_keyboard()  # GPL-only, and the kiosk has its own keyboard (ui/keyboard)
    QGuiApplication.setDesktopSettingsAware(False)
    # Asking for Fusion on the command line creates only that style (setStyle() afterwards would build two).
    program = argv[:1] or ["citizen-kiosk"]
    app = QApplication([*program, "-style", "Fusion", *argv[1:]])
    app.setApplicationName("citizen-kiosk")
    QPixmapCache.setCacheLimit(PIXMAP_CACHE_KB)
    load_bundled_fonts()
    app.setFont(ui_font(24))
    return app


def _windowed_may_close() -> bool:
    return True


def _kiosk_may_close() -> bool:
    return False


class KioskGui:
    """`may_close() -> bool`: whether a close request may end the kiosk now (default: always with --windowed, never
    in kiosk mode; staff sign-in passes "a site manager is signed in"). `on_leave_attempt(how)`: told of every refused
    close request or escape key (the audit log). Both are kept on `self.guard` and may be replaced later."""

    def __init__(
        self,
        app: QApplication,
        deps: ShellDeps,
        *,
        windowed: bool,
        may_close: Callable[[], bool] | None = None,
        on_leave_attempt: Callable[[str], None] | None = None,
    ) -> None:
        self.app = app
        self.deps = deps
        self.windowed = windowed
        self.guard = LeaveGuard(may_close or (_windowed_may_close if windowed else _kiosk_may_close))
        if on_leave_attempt is not None:
            self.guard.on_leave_attempt = on_leave_attempt
        self.window = MainWindow(deps, frameless=not windowed, on_top=not windowed)
        self.window.close_requested.connect(self._on_close_requested)
        self.window.lockdown.blocked.connect(self._on_key_blocked)
        self._shut_down = False
        self._restore_signals: list[Callable[[], None]] = []

    def start(self) -> None:
        if self.windowed:
            self.window.resize(*WINDOWED_SIZE)
            self.window.show()
            return
        screen = self.app.primaryScreen()
        # Frameless (see MainWindow) + explicit geometry: without a window manager showFullScreen() keeps the
        # natural size; with one, the full-screen state keeps panels and docks below the kiosk.
        self.window.setGeometry(screen.geometry())
        self.window.showFullScreen()
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
        if self.guard.permits_close():
            log.info("close request accepted")
            self.shutdown()
        else:
            self.guard.refused("close request")

    def _on_key_blocked(self, name: str) -> None:
        self.guard.refused(f"key {name}")


def install_shutdown_handlers(gui: KioskGui) -> None:
    """SIGTERM and SIGINT -> `gui.shutdown()` on the GUI thread, even while Qt's event loop is busy in C++.

    Python runs signal handlers only between bytecodes, which never happens while Qt waits for events. So the C-level
    handler writes the signal number to a pipe (`signal.set_wakeup_fd`); a QSocketNotifier on the other end wakes the
    event loop, and its slot calls `shutdown()` from ordinary event-loop context. Must be called on the main thread.
    """
    import signal

    from PySide6.QtCore import QSocketNotifier  # only here: keeps it out of the path to the first paint

    signals = [getattr(signal, name) for name in SHUTDOWN_SIGNALS]

    read_fd, write_fd = os.pipe()
    os.set_blocking(read_fd, False)
    os.set_blocking(write_fd, False)
    previous_fd = signal.set_wakeup_fd(write_fd)

    def ignore(signum: int, frame: FrameType | None) -> None:
        return None  # the work happens in `on_wakeup`; a handler must exist so SIGINT raises nothing

    previous = {sig: signal.signal(sig, ignore) for sig in signals}
    notifier = QSocketNotifier(read_fd, QSocketNotifier.Type.Read, gui.window)

    def on_wakeup() -> None:
        try:
            received = os.read(read_fd, 64)
        except BlockingIOError:
            return
        if any(byte in {int(s) for s in signals} for byte in received):
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
