"""The window's parts built after the first paint or on first use: the on-screen keyboard, the assisted-session banner,
the idle controller and the "Call a mediator" controller.

None of these is needed for the first frame, and each brings modules and Qt classes (with the Python enums PySide
creates for them) that would cost start-up time: `ui.shell.MainWindow` imports this module inside the properties that
build them, never at the top.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QVBoxLayout

from kiosk.sounds import SilentSounds
from ui.screens.base import Screen
from ui.widgets import lock_down

if TYPE_CHECKING:
    from kiosk.assist import Assistance
    from kiosk.sounds import Sounds
    from ui.assist_banner import AssistBanner
    from ui.idle import IdleController
    from ui.keyboard.panel import OnScreenKeyboard
    from ui.screens.help_call import HelpCallController
    from ui.shell import MainWindow


def build_keyboard(window: MainWindow) -> OnScreenKeyboard:
    """Docked under the screens (never over them): while it is open the screens are shorter and scroll the field being
    typed in into view. It follows the focus and the session by itself (ui/keyboard)."""
    from ui.keyboard.panel import OnScreenKeyboard

    deps = window.deps
    keyboard = OnScreenKeyboard(
        deps.catalog, deps.session, deps.panel, mode=deps.on_screen_keyboard, announce=window.announce
    )
    lock_down(keyboard)  # as the window's other parts: no context menu
    keyboard.visibility_changed.connect(window.header.set_compact)  # room for the page while typing
    layout = window.layout()
    assert layout is not None
    layout.addWidget(keyboard)
    # Built after the first paint: a text field may already have the focus, and no focus change will come.
    focused = QApplication.focusWidget()
    if focused is not None and window.isAncestorOf(focused):
        keyboard.follow_focus(focused)
    return keyboard


def build_assist_banner(window: MainWindow, assistance: Assistance) -> AssistBanner:
    """The assisted-session strip, right under the header (hidden until a citizen accepts a mediator's help)."""
    from ui.assist_banner import AssistBanner

    banner = AssistBanner(window, assistance)
    lock_down(banner)
    layout = window.layout()
    assert isinstance(layout, QVBoxLayout)
    layout.insertWidget(layout.indexOf(window.header) + 1, banner)
    return banner


def build_idle_controller(window: MainWindow) -> IdleController | None:
    """Idle warning and expiry (None: this kiosk's window never times out), on the screen shown now."""
    if window.deps.idle is None:
        return None
    from ui.idle import IdleController

    if window.deps.idle_clock is None:
        controller = IdleController(window, window.deps.idle, _sounds(window))
    else:
        controller = IdleController(window, window.deps.idle, _sounds(window), clock=window.deps.idle_clock)
    current = window.stack.currentWidget()
    if isinstance(current, Screen) and current is not window.home:  # built after the citizen moved on
        controller.timer.set_kind(current.idle_kind)
    return controller


def build_help_call(window: MainWindow) -> HelpCallController:
    """The header's "Call a mediator": the call screen over the current page, never a navigation."""
    from ui.screens.help_call import HelpCallController

    return HelpCallController(window, window.deps.help_calls, _sounds(window))


def _sounds(window: MainWindow) -> Sounds:
    """The window's sound cues, or silence where the kiosk has none (screenshots, tests)."""
    return window.deps.sounds if window.deps.sounds is not None else SilentSounds()
