"""Self-service lockdown (issue 6, item 3): the kiosk window refuses to close without a signed-in site manager, no
context menu opens anywhere, no key combination closes the app or leaves full screen, no product code can open a file,
print or URL dialog or start another program, and under a real window manager (Xvfb + openbox) Alt+F4 and the other
shortcuts leave the kiosk window mapped, full screen and alive.
"""

from __future__ import annotations

import ast
import gc
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from tests.helpers import ROOT, child_env, ensure_test_packages, start_xvfb
from ui.lockdown import LeaveGuard, LockdownFilter, blocked_key_name

# Close, print, file and URL routes out of a kiosk, and ways to start another program.
BANNED = (
    "QFileDialog",
    "QPrintDialog",
    "QPrintPreviewDialog",
    "QPageSetupDialog",
    "QColorDialog",
    "QFontDialog",
    "QDesktopServices",
    "openUrl",
    "QProcess",
    "webbrowser",
    "startfile",
    "xdg-open",
)
PRODUCT_PACKAGES = ("kiosk", "ui", "sync", "accessibility", "tutorials", "citizen_kiosk")
# (file relative to the repository, banned name) -> why that file legitimately needs it. Empty today: receipts print
# straight to the default printer (ui/receipt.py), without a dialog.
ALLOWED: dict[tuple[str, str], str] = {}


# The guard: closing needs a signed-in site manager --------------------------------------------------------------------
def _kiosk(qapp, qtbot, shell_deps, **kwargs):  # type: ignore[no-untyped-def]
    from ui.app import KioskGui

    gui = KioskGui(qapp, shell_deps, windowed=False, **kwargs)
    qtbot.addWidget(gui.window)
    gui.start()
    qtbot.waitExposed(gui.window)
    qtbot.waitUntil(lambda: gui.window.lockdown.installed)  # right after the first frame is painted
    return gui


def test_kiosk_window_is_on_top_frameless_and_full_screen(qapp, qtbot, shell_deps) -> None:
    gui = _kiosk(qapp, qtbot, shell_deps)
    flags = gui.window.windowFlags()
    assert flags & Qt.WindowType.WindowStaysOnTopHint and flags & Qt.WindowType.FramelessWindowHint
    assert gui.window.isFullScreen()
    assert gui.window.geometry() == qapp.primaryScreen().geometry()
    gui.shutdown()


def test_windowed_mode_is_not_on_top_and_closes(qapp, qtbot, shell_deps) -> None:
    from ui.app import KioskGui

    gui = KioskGui(qapp, shell_deps, windowed=True)
    qtbot.addWidget(gui.window)
    gui.start()
    assert not gui.window.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert gui.guard.permits_close()
    gui.window.close()
    assert gui.is_shut_down and gui.guard.refusals == 0


def test_close_is_refused_without_sign_in_and_recorded_as_a_leave_attempt(qapp, qtbot, shell_deps, caplog) -> None:
    attempts: list[str] = []
    gui = _kiosk(qapp, qtbot, shell_deps, on_leave_attempt=attempts.append)
    with caplog.at_level(logging.WARNING, logger="ui.lockdown"):
        assert gui.window.close() is False  # what Qt does on Alt+F4 or a window manager's close request
        QApplication.sendEvent(gui.window, event := _close_event())
    assert not event.isAccepted()
    assert gui.window.isVisible() and not gui.is_shut_down
    assert attempts == ["close request", "close request"]
    assert "leave attempt refused: close request" in caplog.text
    gui.shutdown()  # SIGTERM's path still ends it
    assert not gui.window.isVisible()


def test_a_signed_in_site_manager_may_close(qapp, qtbot, shell_deps) -> None:
    signed_in = {"site-manager": False}
    attempts: list[str] = []
    gui = _kiosk(qapp, qtbot, shell_deps, may_close=lambda: signed_in["site-manager"], on_leave_attempt=attempts.append)
    gui.window.close()
    assert gui.window.isVisible() and attempts == ["close request"]
    signed_in["site-manager"] = True  # staff sign-in flips what may_close answers
    assert gui.window.close() is True
    assert not gui.window.isVisible() and gui.is_shut_down
    assert attempts == ["close request"]


def test_a_failing_sign_in_check_keeps_the_kiosk_locked(qapp, qtbot, shell_deps) -> None:
    def broken() -> bool:
        raise RuntimeError("staff store unavailable")

    def broken_audit(how: str) -> None:
        raise OSError("disk full")

    gui = _kiosk(qapp, qtbot, shell_deps, may_close=broken, on_leave_attempt=broken_audit)
    gui.window.close()
    assert gui.window.isVisible() and gui.guard.refusals == 1
    gui.shutdown()


def test_the_guard_can_be_wired_after_construction() -> None:
    guard = LeaveGuard()
    assert not guard.permits_close()
    seen: list[str] = []
    guard.on_leave_attempt, guard.may_close = seen.append, lambda: True
    guard.refused("key Alt+F4")
    assert seen == ["key Alt+F4"] and guard.permits_close()


def _close_event():  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QCloseEvent

    return QCloseEvent()


# Context menus: swallowed on every widget --------------------------------------------------------------------------
def _every_widget(window: QWidget) -> list[QWidget]:
    return [window, *window.findChildren(QWidget)]


class _Spy(QObject):
    """A widget's own event filter: runs after the application's filters, so it sees only what they let through."""

    def __init__(self) -> None:
        super().__init__()
        self.seen = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ContextMenu:
            self.seen += 1
        return False


def _context_menu_reaches(widget: QWidget) -> bool:
    """Whether a context-menu event (mouse or Menu key) sent to `widget` gets past the application's filters."""
    spy = _Spy()
    widget.installEventFilter(spy)
    try:
        for reason in (QContextMenuEvent.Reason.Mouse, QContextMenuEvent.Reason.Keyboard):
            QApplication.sendEvent(widget, QContextMenuEvent(reason, QPoint(2, 2), widget.mapToGlobal(QPoint(2, 2))))
    finally:
        widget.removeEventFilter(spy)
    return spy.seen > 0


@pytest.fixture
def form_window(qtbot, shell_deps, tmp_path):  # type: ignore[no-untyped-def]
    """The window with the demo catalog, on the question screen at a text field (the citizen card number)."""
    from kiosk.catalog import DEMO_CATALOG_DIR
    from kiosk.catalog.provider import CatalogProvider
    from kiosk.readiness import Readiness
    from tests.test_form_screens import FakePrinter, answer, form_shell_deps, open_window, start

    services = CatalogProvider()
    services.load(DEMO_CATALOG_DIR)
    window = open_window(qtbot, form_shell_deps(shell_deps, services, tmp_path, FakePrinter(), Readiness()))
    start(window, "activate-digital-key")
    answer(window, None)  # past the privacy notice, to the first text field
    yield window
    window.allow_close()


@pytest.mark.parametrize("screen", ["home", "question"])
def test_a_context_menu_event_on_any_widget_is_swallowed(main_window, form_window, screen) -> None:  # type: ignore[no-untyped-def]
    window = form_window if screen == "question" else main_window
    assert window.current_screen_name() == screen
    widgets = _every_widget(window)
    assert len(widgets) > 30
    reached = [w for w in widgets if _context_menu_reaches(w)]
    assert reached == []
    fields = [w for w in widgets if isinstance(w, QLineEdit) and w.isVisibleTo(window)]
    assert fields or screen == "home"
    assert all(f.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu for f in fields)


def test_without_the_filter_context_menus_do_reach_widgets(main_window) -> None:
    """The spy above can fail: with the filter removed the same event reaches the widget."""
    filters = [f for f in gc.get_objects() if isinstance(f, LockdownFilter) and shiboken6.isValid(f) and f.installed]
    assert main_window.lockdown in filters
    for lockdown in filters:
        lockdown.remove()
    try:
        assert _context_menu_reaches(main_window.home)
    finally:
        for lockdown in filters:
            lockdown.install()


def test_text_widgets_created_later_get_no_context_menu_policy(main_window, qtbot) -> None:
    field = QLineEdit()
    qtbot.addWidget(field)
    assert field.contextMenuPolicy() == Qt.ContextMenuPolicy.DefaultContextMenu
    field.show()  # polished on show
    assert field.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu


# Keys: nothing closes, quits or leaves full screen ----------------------------------------------------------------
ESCAPE_COMBOS = [
    (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier, "Alt+F4"),
    (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier, "Ctrl+Q"),
    (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier, "Ctrl+W"),
    (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier, "Ctrl+W"),
    (Qt.Key.Key_F4, Qt.KeyboardModifier.ControlModifier, "Ctrl+F4"),
    (Qt.Key.Key_F11, Qt.KeyboardModifier.NoModifier, "F11"),
    (Qt.Key.Key_Super_L, Qt.KeyboardModifier.NoModifier, "Super"),
    (Qt.Key.Key_Meta, Qt.KeyboardModifier.MetaModifier, "Super"),
]
ORDINARY = [
    (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_Q, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_W, Qt.KeyboardModifier.ShiftModifier),
    (Qt.Key.Key_F4, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_Tab, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier),
]


@pytest.mark.parametrize(("key", "modifiers", "name"), ESCAPE_COMBOS)
def test_escape_combinations_are_named(key, modifiers, name) -> None:  # type: ignore[no-untyped-def]
    assert blocked_key_name(QKeyEvent(QEvent.Type.KeyPress, key, modifiers)) == name


@pytest.mark.parametrize(("key", "modifiers"), ORDINARY)
def test_ordinary_keys_and_escape_pass(key, modifiers) -> None:  # type: ignore[no-untyped-def]
    assert blocked_key_name(QKeyEvent(QEvent.Type.KeyPress, key, modifiers)) is None


def test_escape_keys_never_reach_a_widget_and_are_leave_attempts(qapp, qtbot, shell_deps) -> None:
    attempts: list[str] = []
    gui = _kiosk(qapp, qtbot, shell_deps, on_leave_attempt=attempts.append)
    assert shell_deps.session.presentation.volume == shell_deps.session.defaults.volume
    received: list[int] = []
    target = gui.window.home
    original = target.keyPressEvent
    target.keyPressEvent = lambda event: received.append(event.key())  # type: ignore[method-assign]
    try:
        for key, modifiers, _ in ESCAPE_COMBOS:
            QApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyPress, key, modifiers))
        QApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier))
        # Auto-repeat of a held combination is swallowed without flooding the audit log.
        QApplication.sendEvent(
            target, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier, "", True)
        )
    finally:
        target.keyPressEvent = original  # type: ignore[method-assign]
    # F11 is read aloud's "louder" key (speech.volume_up_key): the kiosk's own, so it passes the filter and its
    # shortcut takes it (the volume rises); nothing toggles full screen on it.
    assert received == [Qt.Key.Key_A]
    assert shell_deps.session.presentation.volume > shell_deps.session.defaults.volume
    assert attempts == [f"key {name}" for _, _, name in ESCAPE_COMBOS if name != "F11"]
    assert gui.window.isVisible() and gui.window.isFullScreen()
    gui.shutdown()


def test_a_shortcut_for_quit_never_fires(main_window, qtbot) -> None:
    fired: list[str] = []
    for sequence in ("Ctrl+Q", "Ctrl+W", "Ctrl+F4", "Alt+F4"):
        shortcut = QShortcut(QKeySequence(sequence), main_window)
        shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
        shortcut.activated.connect(lambda s=sequence: fired.append(s))
    control = QShortcut(QKeySequence("Ctrl+K"), main_window)
    control.setContext(Qt.ShortcutContext.ApplicationShortcut)
    control.activated.connect(lambda: fired.append("Ctrl+K"))
    focus = QApplication.focusWidget() or main_window
    qtbot.keyClick(focus, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(focus, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(focus, Qt.Key.Key_F4, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(focus, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(focus, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert fired == ["Ctrl+K"]  # shortcuts work; only the escape routes are gone
    assert main_window.isVisible()


def test_the_kiosks_own_keys_pass_even_when_listed(qapp) -> None:
    """F11 is blocked unless the kiosk binds it (read aloud's keys are configurable: only the configured ones pass)."""
    from kiosk.settings.model import SpeechSettings
    from ui.lockdown import speech_keys

    f11 = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_F11, Qt.KeyboardModifier.NoModifier)
    ctrl_q = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    target = QWidget()
    for allowed, f11_passes in (((), False), (speech_keys(SpeechSettings()), True), (("F12", "Ctrl+R"), False)):
        lockdown = LockdownFilter(allowed=allowed)
        assert lockdown.eventFilter(target, f11) is not f11_passes
        assert lockdown.eventFilter(target, ctrl_q) is True


def test_escape_still_means_back(main_window, qtbot) -> None:
    main_window.show_screen("help")
    qtbot.keyClick(QApplication.focusWidget() or main_window, Qt.Key.Key_Escape)
    assert main_window.current_screen_name() == "home"


def test_the_filter_is_application_wide_and_removable(qapp) -> None:
    lockdown = LockdownFilter()
    lockdown.install()
    lockdown.install()  # idempotent
    assert lockdown.installed
    lockdown.remove()
    assert not lockdown.installed


# Static: no file, print or URL dialogs and no other programs in product code ---------------------------------------
def banned_uses(source: str) -> list[tuple[int, str]]:
    """(line, banned name) for each banned name used as code: names, attributes, imports and string literals that
    are not docstrings (importlib.import_module("webbrowser")). Comments and docstrings may mention them."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    pattern = re.compile("|".join(re.escape(name) for name in BANNED))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        texts: list[str] = []
        if isinstance(node, ast.Name):
            texts = [node.id]
        elif isinstance(node, ast.Attribute):
            texts = [node.attr]
        elif isinstance(node, ast.alias):
            texts = [node.name, node.asname or ""]
        elif isinstance(node, ast.ImportFrom):
            texts = [node.module or ""]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            texts = [node.value]
        for text in texts:
            found += [(getattr(node, "lineno", 0), match) for match in pattern.findall(text)]
    return found


def product_files() -> list[Path]:
    return sorted(path for package in PRODUCT_PACKAGES for path in (ROOT / package).rglob("*.py"))


def test_no_escape_routes_in_product_code() -> None:
    files = product_files()
    assert len(files) > 50
    offences = []
    used_allowances = set()
    for path in files:
        relative = path.relative_to(ROOT).as_posix()
        for line, name in banned_uses(path.read_text(encoding="utf-8")):
            if (relative, name) in ALLOWED:
                used_allowances.add((relative, name))
            else:
                offences.append(f"{relative}:{line}: {name}")
    assert offences == [], "a kiosk must offer no file, print or URL dialog and start no program: " + "; ".join(
        offences
    )
    assert set(ALLOWED) == used_allowances, "allow-list entries no longer needed: remove them"


@pytest.mark.parametrize(
    "snippet",
    [
        "from PySide6.QtWidgets import QFileDialog\n",
        "import webbrowser\n",
        "from PySide6.QtGui import QDesktopServices as D\n",
        "def f(d):\n    d.openUrl(1)\n",
        "from PySide6 import QtPrintSupport\nQtPrintSupport.QPrintDialog()\n",
        "from PySide6.QtCore import QProcess\n",
        "import os\nos.startfile('x')\n",
        "import importlib\nimportlib.import_module('webbrowser')\n",
        "import subprocess\nsubprocess.run(['xdg-open', 'x'])\n",
    ],
)
def test_the_static_check_catches_each_route(snippet: str) -> None:
    assert banned_uses(snippet)


def test_the_static_check_lets_docs_and_comments_mention_them() -> None:
    assert banned_uses('"""Never a QFileDialog here."""\n# nor webbrowser\nx = 1\n') == []


# The real kiosk under a window manager (Xvfb + openbox): the shortcuts leave it in place ------------------------------
TIME_LIMIT_S = 60  # the whole test: display, window manager, kiosk start-up, the keys and the shutdown
KEYS = ("alt+F4", "ctrl+q", "ctrl+w", "F11", "super")
# What each key leaves in the kiosk log: openbox turns Alt+F4 into a close request (refused by closeEvent); the others
# reach the app's filter. Nothing at all happens for Alt+Tab on X11 as far as the app can tell: the window manager
# takes it (docs/ui.md, "Lockdown").
REFUSALS = ("close request", "key Ctrl+Q", "key Ctrl+W", "key Super")  # F11 is "louder": the kiosk's own key
# On a loaded machine openbox may announce itself before it has grabbed its keys: Alt+F4 then reaches the kiosk as a
# key, refused by its filter instead of its closeEvent. Refused either way; the close path has its own tests.
SAME_REFUSAL = {"close request": "key Alt+F4"}
CLI = (sys.executable, "-m", "citizen_kiosk")
WM_TOOLS = {"Xvfb": "xvfb", "openbox": "openbox", "xdotool": "xdotool", "xwininfo": "x11-utils", "xprop": "x11-utils"}


def _missing_wm_tools() -> list[str]:
    return [f"{command} (package {package})" for command, package in WM_TOOLS.items() if shutil.which(command) is None]


@pytest.fixture(scope="module")
def wm_tools() -> None:
    """Install what the test needs when root on Debian (the [test] group, as `make test` does); otherwise skip."""
    ensure_test_packages("window-manager test", _missing_wm_tools)


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        return max(0.1, self.end - time.monotonic())

    def wait_for(self, what: str, probe, diagnose=lambda: ""):  # type: ignore[no-untyped-def]
        while time.monotonic() < self.end:
            found = probe()
            if found:
                return found
            time.sleep(0.2)
        pytest.fail(f"gave up after {TIME_LIMIT_S} s waiting for {what} {diagnose()}")


def _x(deadline: _Deadline, env: dict[str, str], *command: str) -> str:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False, timeout=deadline.left())
    return result.stdout if result.returncode == 0 else ""


def _window_state(deadline: _Deadline, env: dict[str, str], window: str) -> dict[str, str]:
    info = _x(deadline, env, "xwininfo", "-id", window)
    fields = dict(re.findall(r"^\s*([A-Za-z -]+):\s+(.+)$", info, re.MULTILINE))
    fields["_NET_WM_STATE"] = _x(deadline, env, "xprop", "-id", window, "_NET_WM_STATE")
    return fields


def _in_place(state: dict[str, str]) -> bool:
    return (
        state.get("Map State") == "IsViewable"
        and (state.get("Absolute upper-left X"), state.get("Absolute upper-left Y")) == ("0", "0")
        and (state.get("Width"), state.get("Height")) == ("1280", "800")  # the whole virtual screen
        and "_NET_WM_STATE_FULLSCREEN" in state["_NET_WM_STATE"]
        and "_NET_WM_STATE_ABOVE" in state["_NET_WM_STATE"]
    )


def _end(process: subprocess.Popen[bytes] | None) -> None:
    """End a process started in its own session with everything it started (SIGKILL: only after a failure)."""
    if process is not None and process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@pytest.mark.subprocess
def test_under_a_window_manager_no_shortcut_moves_the_kiosk(wm_tools, catalog, tmp_path) -> None:  # type: ignore[no-untyped-def]

    deadline = _Deadline(TIME_LIMIT_S)
    xvfb, display = start_xvfb()
    env = child_env(tmp_path, DISPLAY=display, QT_QPA_PLATFORM="xcb")
    (tmp_path / "home").mkdir()
    wm = kiosk = None
    kiosk_stderr = (tmp_path / "kiosk.stderr").open("wb")
    log_path = tmp_path / "data" / "logs" / "kiosk.log"

    def kiosk_log() -> str:
        return log_path.read_text(encoding="utf-8") if log_path.exists() else ""

    try:
        # openbox with its stock configuration (HOME is empty): A-F4 closes the active window.
        wm = subprocess.Popen(
            ["openbox", "--sm-disable"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline.wait_for(
            "openbox", lambda: "window id" in _x(deadline, env, "xprop", "-root", "_NET_SUPPORTING_WM_CHECK")
        )
        # The demo configuration `make run` uses (deliveries to a sandbox on loopback, not running here: they wait).
        config = tmp_path / "config.toml"
        written = subprocess.run(
            [*CLI, "--data-dir", str(tmp_path / "sandbox"), "sandbox", "write-config", str(config), "--port", "9"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
            timeout=deadline.left(),
        )
        assert written.returncode == 0, written.stderr
        kiosk = subprocess.Popen(
            [*CLI, "run", "--config", str(config), "--data-dir", str(tmp_path / "data"), "--lang", "en"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=kiosk_stderr,
            start_new_session=True,  # one process group: whatever it starts ends with it
        )

        def stderr_tail() -> str:
            return (tmp_path / "kiosk.stderr").read_text(errors="replace")[-2000:]

        title = re.escape(catalog.t("app.title", "en"))
        found = deadline.wait_for(
            "the kiosk window",
            lambda: kiosk.poll() is None and _x(deadline, env, "xdotool", "search", "--onlyvisible", "--name", title),
            stderr_tail,
        )
        window = found.split()[0]
        # The kiosk raises and activates itself: nobody helps it to the focus here.
        deadline.wait_for(
            "the kiosk to be active", lambda: _x(deadline, env, "xdotool", "getactivewindow").strip() == window
        )
        deadline.wait_for("full screen", lambda: _in_place(_window_state(deadline, env, window)), stderr_tail)
        for key in KEYS:
            _x(deadline, env, "xdotool", "key", key)
            time.sleep(0.3)  # the window manager would unmap or resize it by now
            assert kiosk.poll() is None, f"{key} ended the kiosk: {stderr_tail()}"
            state = _window_state(deadline, env, window)
            assert _in_place(state), (key, state)
            assert window in _x(deadline, env, "xdotool", "search", "--onlyvisible", "--name", title).split()
        # Every key was seen and refused, by the kiosk (not lost on the way): the log shows each leave attempt.
        deadline.wait_for(
            "the refusals in the kiosk log",
            lambda: all(
                any(f"leave attempt refused: {way}" in kiosk_log() for way in (how, SAME_REFUSAL.get(how, how)))
                for how in REFUSALS
            ),
            lambda: kiosk_log()[-2000:],
        )
        kiosk.send_signal(signal.SIGTERM)  # what systemd does: still a clean shutdown
        assert kiosk.wait(timeout=deadline.left()) == 0, stderr_tail()
        assert "kiosk shut down cleanly (exit 0)" in kiosk_log()
        # ... and in the audit log, tamper-evident: one leave-attempt record per refusal, with a chain that holds.
        listed = subprocess.run(
            [*CLI, "--config", str(config), "--data-dir", str(tmp_path / "data"), "audit", "list", "--json"],
            capture_output=True, text=True, timeout=deadline.left(), check=False, env=env,
        )  # fmt: skip
        kinds = [record["kind"] for record in json.loads(listed.stdout)]
        assert kinds.count("leave-attempt") >= len(REFUSALS), (kinds, listed.stderr)
    finally:
        _end(kiosk)
        _end(wm)
        kiosk_stderr.close()
        xvfb.send_signal(signal.SIGTERM)
        xvfb.wait(timeout=10)
    assert time.monotonic() < deadline.end
