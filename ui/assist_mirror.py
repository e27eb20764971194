"""The mediator's mirror: when a second screen faces the mediator, it shows the kiosk window there, scaled, with every
masked editor painted over.

Same session, same window: the mirror only copies pictures of the main window (a few per second), so it holds no state
of its own and shows nothing the citizen's screen does not. Every editor that masks its text (a private answer, a PIN)
is covered with a solid block on the copy, whoever has the keyboard; while such an editor has the focus the on-screen
keyboard is covered too (its pressed keys would spell the secret). It takes no input and never takes the focus.
`mediator_screen` picks the screen; tests pass their own list of screens, or build the mirror without one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QRect, Qt, QTimer
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPaintEvent, QPixmap, QScreen
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from ui.forms.text_inputs import PRIVATE_ANSWER

if TYPE_CHECKING:
    from ui.shell import MainWindow

REFRESH_MS = 250  # four pictures a second: enough to follow typing and scrolling, cheap for the GUI thread
KEYBOARD = "onScreenKeyboard"  # ui.keyboard.panel.OnScreenKeyboard's object name


def mediator_screen(
    window: QWidget, screens: Callable[[], Sequence[QScreen]] = QGuiApplication.screens
) -> QScreen | None:
    """The first screen the kiosk window is not on; None with a single screen (both people look at the same one)."""
    available = list(screens())
    if len(available) < 2:
        return None
    own = window.screen()
    others = [screen for screen in available if screen is not own]
    return others[0] if others else available[1]


def masks_text(widget: QWidget) -> bool:
    return isinstance(widget, QLineEdit) and (
        widget.echoMode() != QLineEdit.EchoMode.Normal or bool(widget.property(PRIVATE_ANSWER))
    )


def masked_rects(window: QWidget) -> list[QRect]:
    """The parts of `window` (its coordinates) the mirror covers: every visible masked editor, and the on-screen
    keyboard while one of them has the focus."""
    rects = []
    for editor in window.findChildren(QLineEdit):
        if editor.isVisible() and masks_text(editor):
            rects.append(_visible_rect(editor, window))
    focused = QApplication.focusWidget()
    if focused is not None and masks_text(focused):
        keyboard = window.findChild(QWidget, KEYBOARD)
        if keyboard is not None and keyboard.isVisible():
            rects.append(_visible_rect(keyboard, window))
    return [rect for rect in rects if not rect.isEmpty()]


def _visible_rect(widget: QWidget, window: QWidget) -> QRect:
    visible = widget.visibleRegion().boundingRect()  # a box scrolled half out of view: only the part on screen
    return QRect(widget.mapTo(window, visible.topLeft()), visible.size())


class AssistMirror(QWidget):
    def __init__(self, window: MainWindow, screen: QScreen | None, *, refresh_ms: int = REFRESH_MS) -> None:
        flags = (
            Qt.WindowType.Window
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowDoesNotAcceptFocus
            | Qt.WindowType.WindowTransparentForInput
        )
        super().__init__(None, flags)
        self.setObjectName("assistMirror")
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self._window = window
        self._frame = QPixmap()
        self._on_own_screen = screen is not None
        if screen is not None:
            self.setScreen(screen)
            self.setGeometry(screen.geometry())
        self._timer = QTimer(self)
        self._timer.setInterval(refresh_ms)
        self._timer.timeout.connect(self.refresh)

    @property
    def frame(self) -> QPixmap:
        """The last copy of the window, masked, at the window's own size."""
        return self._frame

    def start(self) -> None:
        self.refresh()
        if self._on_own_screen:
            self.showFullScreen()
        else:
            self.show()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._frame = QPixmap()  # the last picture may show answers: not kept after the help ends
        self.hide()

    def refresh(self) -> None:
        picture = self._window.grab()
        painter = QPainter(picture)
        colour = QColor(self._window.context.theme.colour("text"))
        for rect in masked_rects(self._window):
            painter.fillRect(rect, colour)  # logical coordinates: the painter follows the picture's pixel ratio
        painter.end()
        self._frame = picture
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(self._window.context.theme.colour("background")))
        if not self._frame.isNull():
            scaled = self._frame.scaled(
                self.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
            painter.drawPixmap(
                QPoint((self.width() - scaled.width()) // 2, (self.height() - scaled.height()) // 2), scaled
            )
        painter.end()
