"""Self-service lockdown: nobody leaves the kiosk or reaches the desktop from inside the app.

Two parts. `LockdownFilter` is an application-wide event filter: it swallows every context menu (mouse, touch hold,
the Menu key, Shift+F10) on every widget, sets `Qt.NoContextMenu` on text widgets as they are polished, and swallows
the key combinations that close, quit or leave full screen (Alt+F4, Ctrl+Q, Ctrl+W, Ctrl+F4, F11, the Super keys),
including as shortcuts, unless the kiosk binds the key itself (F11 is read aloud's "louder" by default, and
nothing in the app toggles full screen). `LeaveGuard` decides a request to close the window: refused unless
`may_close()` says a signed-in site manager may (staff sign-in provides it), and every refusal is reported to
`on_leave_attempt` (the audit log) and logged. Escape is not touched: inside the app it means Back or close a panel
(ui/shell.py).

What the app cannot do on X11 (docs/ui.md, "Lockdown"): Alt+Tab, Ctrl+Alt+F1..F12 (VT switch) and Ctrl+Alt+Backspace
are taken by the window manager or the X server before any application sees them; the kiosk session must disable
them. The window stays on top (`WindowStaysOnTopHint`) and full screen whatever the window manager shows.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from functools import cache
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QKeyCombination, QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from kiosk.logs import safe_exception_summary
from kiosk.settings.model import SpeechSettings
from ui.widgets import AppFilter, lock_down

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent, QKeySequence

log = logging.getLogger(__name__)

__all__ = [
    "LeaveGuard",
    "LockdownFilter",
    "blocked_key_name",
    "lock_down_window",
    "speech_keys",
    "window_flags",
]

_M = Qt.KeyboardModifier
# Matched by class name (QObject.inherits): importing these classes, or QKeySequence, creates their Python enums, and
# this module is imported before the first paint.
_TEXT_WIDGETS = ("QLineEdit", "QTextEdit", "QPlainTextEdit", "QAbstractSpinBox")
# The key tables are built on first use (the first key event), not at import: the filter is installed before the
# first paint, and every Qt enum touched then (QKeySequence's, QEvent's) is created on the way to it.


@cache
def _key_event_class() -> type[QKeyEvent]:
    from PySide6.QtGui import QKeyEvent  # at the first filtered key, not before the first paint (see above)

    return QKeyEvent


@cache
def _blocked_keys() -> dict[tuple[Qt.Key, Qt.KeyboardModifier], str]:
    """(key, modifiers that must all be held) -> the name reported as a leave attempt. Keypad and Shift are ignored
    when matching, so Ctrl+Shift+W is blocked too."""
    k = Qt.Key
    return {
        (k.Key_F4, _M.AltModifier): "Alt+F4",
        (k.Key_F4, _M.ControlModifier): "Ctrl+F4",
        (k.Key_Q, _M.ControlModifier): "Ctrl+Q",
        (k.Key_W, _M.ControlModifier): "Ctrl+W",
        (k.Key_F11, _M.NoModifier): "F11",
        (k.Key_Meta, _M.NoModifier): "Super",
        (k.Key_Super_L, _M.NoModifier): "Super",
        (k.Key_Super_R, _M.NoModifier): "Super",
    }


@cache
def _blocked_standard() -> dict[QKeySequence.StandardKey, str]:
    """Qt's standard sequences for the same actions differ per platform: matched as well."""
    from PySide6.QtGui import QKeySequence

    standard = QKeySequence.StandardKey
    return {standard.Quit: "Quit", standard.Close: "Close", standard.FullScreen: "FullScreen"}


@cache
def _key_events() -> frozenset[QEvent.Type]:
    return frozenset({QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride})


def __getattr__(name: str) -> object:
    if name == "BLOCKED_KEYS":  # public, but built on first use (see above)
        return _blocked_keys()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def blocked_key_name(event: QKeyEvent) -> str | None:
    """The name of the escape combination this key event is, or None for an ordinary key (Escape included)."""
    key = Qt.Key(event.key())
    held = event.modifiers() & (_M.ControlModifier | _M.AltModifier | _M.MetaModifier)
    for (blocked, needed), name in _blocked_keys().items():
        # Modifier keys pressed alone carry their own modifier flag: the Super key arrives as Key_Meta + Meta.
        if key == blocked and (held & ~_M.MetaModifier if needed == _M.NoModifier else held) == needed:
            return name
    for standard, name in _blocked_standard().items():
        if event.matches(standard):
            return name
    return None


def _never() -> bool:
    return False


def _nowhere(how: str) -> None:
    return None


class LeaveGuard:
    """Whether the kiosk window may close now, and the record of every refused attempt to leave.

    `may_close()` is asked at each request (a site manager signs in and out; kiosk mode default: never).
    `on_leave_attempt(how)` receives a short description ("close request", "key Alt+F4"), never personal data. Both
    may be replaced after construction (the composition root wires staff sign-in and the audit log when they exist).
    A callback that raises is logged and counts as "no": the kiosk stays locked.
    """

    def __init__(
        self, may_close: Callable[[], bool] = _never, on_leave_attempt: Callable[[str], None] = _nowhere
    ) -> None:
        self.may_close = may_close
        self.on_leave_attempt = on_leave_attempt
        self.refusals = 0

    def permits_close(self) -> bool:
        try:
            return bool(self.may_close())
        except Exception as exc:  # noqa: BLE001 - a broken sign-in check must lock, not open, the kiosk
            log.error("may_close failed (%s); the kiosk stays locked", safe_exception_summary(exc))
            return False

    def refused(self, how: str) -> None:
        self.refusals += 1
        log.warning("leave attempt refused: %s", how)  # staff read it in the kiosk log
        try:
            self.on_leave_attempt(how)
        except Exception as exc:  # noqa: BLE001 - recording must never break the kiosk
            log.error("recording a leave attempt failed (%s)", safe_exception_summary(exc))


class LockdownFilter(AppFilter):
    """Application event filter: no context menus anywhere, no key combination that closes or leaves full screen.

    `blocked(name)` is emitted once per refused combination (auto-repeat and key releases are swallowed silently).
    """

    blocked = Signal(str)

    def __init__(self, parent: QObject | None = None, *, allowed: Iterable[str] = ()) -> None:
        """`allowed`: the kiosk's own keys (Qt portable text, e.g. "F11"), which pass even if they are listed in
        `BLOCKED_KEYS`: their shortcuts act (read aloud's keys are configurable)."""
        super().__init__(parent)
        self._allowed_keys = tuple(allowed)
        self._allowed: set[str] | None = None  # in Qt's normal form, made at the first key event

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind == QEvent.Type.ContextMenu:
            event.accept()
            return True
        if kind == QEvent.Type.Polish and watched.isWidgetType() and any(map(watched.inherits, _TEXT_WIDGETS)):
            widget = cast(QWidget, watched)
            widget.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
            if widget.inherits("QAbstractSpinBox"):  # its line edit is a child with its own policy
                for child in widget.findChildren(QWidget):
                    child.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
            return False
        if kind in _key_events() and isinstance(event, _key_event_class()):
            name = blocked_key_name(event)
            if name is None or self._is_allowed(event):
                return False
            # Accepting the override stops any QShortcut from firing; the press itself is then swallowed here.
            event.accept()
            if kind == QEvent.Type.KeyPress and not event.isAutoRepeat():
                self.blocked.emit(name)
            return True
        return False

    def _is_allowed(self, event: QKeyEvent) -> bool:
        from PySide6.QtGui import QKeySequence

        if self._allowed is None:
            # Compared in Qt's own normal form, so "ctrl+r" and "Ctrl+R" are the same key.
            portable = QKeySequence.SequenceFormat.PortableText
            self._allowed = {_portable(QKeySequence.fromString(text, portable)) for text in self._allowed_keys}
        modifiers = event.modifiers() & ~_M.KeypadModifier
        return _portable(QKeySequence(QKeyCombination(modifiers, Qt.Key(event.key())))) in self._allowed


def _portable(sequence: QKeySequence) -> str:
    from PySide6.QtGui import QKeySequence

    return sequence.toString(QKeySequence.SequenceFormat.PortableText)


def speech_keys(settings: SpeechSettings) -> tuple[str, ...]:
    """Read aloud's keys (`speech.toggle_key`...): the kiosk's own shortcuts, never blocked."""
    return (settings.toggle_key, settings.repeat_key, settings.volume_down_key, settings.volume_up_key)


def window_flags(*, frameless: bool, on_top: bool) -> Qt.WindowType:
    """The main window's flags: the kiosk is frameless and stays on top (above panels, docks and other windows)."""
    flags = Qt.WindowType.FramelessWindowHint if frameless else Qt.WindowType.Widget
    if on_top:
        flags |= Qt.WindowType.Window | Qt.WindowType.WindowStaysOnTopHint
    return flags


def lock_down_window(window: QWidget, *, allowed: Iterable[str] = (), install: bool = True) -> LockdownFilter:
    """No context menu on the window's widgets (`Qt.NoContextMenu`) and the application-wide filter (letting the
    `allowed` keys through), installed now; the filter lives (and stays installed) as long as the window."""
    lock_down(window)
    lockdown = LockdownFilter(window, allowed=allowed)
    if install:
        lockdown.install()
    return lockdown
