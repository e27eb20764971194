"""The kiosk's own on-screen keyboard: a panel of large keys docked at the bottom of the window.

It opens when a text field gets the focus (under the `keyboard.on_screen` policy, `ui.keyboard.policy`) and closes
when the focus leaves text fields. Docked under the screens, it takes its height from them: the screen's scroll area
gets shorter and scrolls the field into view, so the keyboard never covers the field being typed in.

The layout follows the session language (`ui/keyboard/layouts/<lang>.json`) and the field's kind (a keypad for
numbers, dates and phones, `ui.keyboard.fields.field_kind`). Keys type through the field's own API, so undo, length
limits and "typed" signals behave as with a physical keyboard, which keeps working. Each key is at least 20 mm on the
reference panel, is named for assistive technology, and is announced (`key_activated(name)`, and the window's
announcer, which speaks it in read-aloud mode); in a masked or sensitive field a character is announced as
"asterisk", never as itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QApplication, QFrame, QSizePolicy, QVBoxLayout, QWidget

from accessibility.sizing import ReferencePanel
from accessibility.tokens import theme_named
from kiosk.i18n import Catalog
from kiosk.session import CitizenSession, Presentation
from ui.bridge import EventBridge
from ui.keyboard import fields, sizes
from ui.keyboard.policy import checked_mode, should_open
from ui.keyboard.sizes import TOP_LINE_PX
from ui.keyboard.typing_state import TypingState

if TYPE_CHECKING:  # the keys and the layout data load when the keyboard first opens, not at start-up
    from ui.keyboard.key_page import KeyPage
    from ui.keyboard.keys import KeyButton
    from ui.keyboard.layouts import Key, Layout


class OnScreenKeyboard(QFrame):
    """The keyboard panel. The shell adds it under its screens; it follows the focus by itself."""

    key_activated = Signal(str)  # what a key says in speech mode: "a", "Shift", "Space"... ("asterisk" when masked)
    visibility_changed = Signal(bool)  # opened (True) or closed (False)

    def __init__(
        self,
        catalog: Catalog,
        session: CitizenSession,
        panel: ReferencePanel,
        *,
        mode: str = "auto",
        announce: Callable[..., object] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("onScreenKeyboard")
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # keyboards and keypads stay left to right
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.hide()
        self._catalog = catalog
        self._panel = panel
        self._mode = checked_mode(mode)
        # ui.announcer.Announcer.announce: speaks a key in read-aloud mode and raises the accessibility announcement
        self._announce = announce
        self._presentation = session.presentation
        self._target: fields.TextField | None = None
        self._dismissed: QWidget | None = None  # the field "Hide keyboard" was pressed in (a tap on it reopens)
        self._watched: QWidget | None = None  # the field this object filters events of
        self._state = TypingState()  # the layout on show, Shift, Caps lock, a chosen accent, letters or symbols
        self._built: tuple[str, str] | None = None  # (layout, language) the keys were made for
        self._page: KeyPage | None = None  # the keys of one layout; replaced whole when the layout changes
        self._frame = QVBoxLayout(self)
        self._bridges = [EventBridge(session.presentation_changed, self), EventBridge(session.ended, self)]
        self._bridges[0].fired.connect(self._on_presentation)
        self._bridges[1].fired.connect(self._on_session_ended)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)
        self._apply_metrics()

    # Public API ------------------------------------------------------------------------------------------------------
    @property
    def mode(self) -> str:
        return self._mode

    def set_mode(self, mode: str) -> None:
        self._mode = checked_mode(mode)
        if mode == "never":
            self.close_keyboard()

    def is_open(self) -> bool:
        return not self.isHidden()

    def target(self) -> fields.TextField | None:
        """The field the keys type into (None when closed)."""
        return self._target if self._target is not None and shiboken6.isValid(self._target) else None

    def layout_name(self) -> str:
        return self._state.layout.name if self._state.layout is not None else ""

    def buttons(self) -> list[KeyButton]:
        """The keys on show, row by row."""
        return list(self._keys)

    @property
    def _keys(self) -> list[KeyButton]:
        return self._page.keys if self._page is not None else []

    def key(self, text: str = "", action: str = "") -> KeyButton:
        """The key that types `text` (as on its unshifted label) or does `action`; KeyError if the layout has none."""
        for button in self._keys:
            if (action and button.key.action == action) or (text and button.key.text == text):
                return button
        raise KeyError(text or action)

    def open_for(self, field: QWidget) -> None:
        """Show the keyboard for `field` (whatever the mode) with the layout the field and the language ask for."""
        target = fields.text_field(field)
        if target is None:
            raise ValueError("the on-screen keyboard types only into editable text fields")
        if target is not self.target():
            self._state.symbols = False  # a new field starts on letters
        self._target, self._dismissed = target, None
        self._watch(target)
        self._build(self._layout_for(target))
        if self._page is not None:  # the keys were kept (same layout): Tab from this field still reaches them next
            self._page.follow_field()
        self._relabel()
        if self.isHidden():
            self.show()
            self.visibility_changed.emit(True)
        self._reveal_now()
        QTimer.singleShot(0, self, self._reveal_now)  # again once every pending layout request has run

    def close_keyboard(self) -> None:
        self._target, self._dismissed, self._state.shift, self._state.dead = None, None, False, ""
        self._watch(None)
        if not self.isHidden():
            self.hide()
            self.visibility_changed.emit(False)

    # Following the focus ---------------------------------------------------------------------------------------------
    def follow_focus(self, widget: QWidget) -> None:
        """Act as if `widget` had just received the focus (the keyboard was built after it did)."""
        self._on_focus_changed(None, widget)

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if not shiboken6.isValid(self) or new is None or new.window() is not self.window():
            return  # another window, or the window lost activation: nothing changed for the citizen
        if self.isAncestorOf(new):
            return  # a key took the focus (keyboard use): keep typing into the same field
        field = fields.text_field(new)
        if field is None:
            self.close_keyboard()
        elif field is self.target() and self.is_open():
            self._reveal_now()
        elif field is not self._dismissed:
            if should_open(self._mode):
                self.open_for(field)
            else:
                self.close_keyboard()

    def _watch(self, field: QWidget | None) -> None:
        """Filter the events of the target field only (a tap on it reopens a dismissed keyboard)."""
        if self._watched is not None and shiboken6.isValid(self._watched):
            self._watched.removeEventFilter(self)
        self._watched = field
        if field is not None:
            field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (
            event.type() == QEvent.Type.MouseButtonRelease
            and watched is self._dismissed
            and isinstance(watched, QWidget)
            and should_open(self._mode)
        ):
            self.open_for(watched)
        return False

    def _on_presentation(self, presentation: Presentation) -> None:
        old, self._presentation = self._presentation, presentation
        if presentation.theme != old.theme:
            self.update()
        if presentation.language != old.language:
            self._state.alternate = False
        if (presentation.language, presentation.text_step) == (old.language, old.text_step):
            return
        self._apply_metrics()
        target = self.target()
        if self.is_open() and target is not None:
            self.open_for(target)
            QTimer.singleShot(0, self, self._reveal_now)  # the screens re-lay out for the new size first

    def _on_session_ended(self, _reason: object) -> None:
        self._state.caps = self._state.alternate = self._state.symbols = False
        self.close_keyboard()

    # Keys ------------------------------------------------------------------------------------------------------------
    def _layout_for(self, field: QWidget) -> Layout:
        return self._state.layout_for(fields.field_kind(field), self._presentation.language)

    def _build(self, layout: Layout) -> None:
        from ui.keyboard.key_page import KeyPage

        wanted = (layout.name, self._presentation.language)
        if self._built == wanted:
            return
        focused = self._page.focused_key() if self._page is not None else None
        if self._page is not None:  # hidden and deleted later (a key of it may be the one being pressed)
            if focused is not None:
                self._page.back_to_field()  # the focused key is about to go
            self._page.hide()
            self._frame.removeWidget(self._page)
            self._page.deleteLater()
        self._state.layout, self._built = layout, wanted
        switch = self._state.switch_destination(self._presentation.language) is not None
        self._page = KeyPage(layout, self._panel.min_gap_px, switch=switch, field=self.target, parent=self)
        self._page.key_clicked.connect(self._press)
        self._frame.addWidget(self._page)
        self._page.show()  # now, not at the next turn of the event loop: a tap may come before it
        self._page.start_roving(focused)

    def _relabel(self) -> None:
        self.setAccessibleName(self._t("keyboard.title"))
        step, language, multi_line = self._step(), self._presentation.language, self._multi_line()
        fonts = sizes.label_fonts(self._panel, step)
        height = sizes.key_height(self._panel, step)
        for button in self._keys:
            text, name = self._state.label(button.key, language, self._t, multi_line=multi_line)
            button.set_label(text, name)
            if button.isCheckable():
                button.setChecked(self._state.is_checked(button.key))
            font = fonts[button.property("function")]
            button.set_size(sizes.key_width(self._panel, button.key.units, font, text), height)
        # Never squeezed: the screens above give way instead (they scroll), and the keys keep their 20 mm. Counted
        # rather than asked of the layout, whose size hints lag while the panel is hidden.
        rows = len(self._state.layout.rows) if self._state.layout is not None else 0
        self.setFixedHeight(sizes.keyboard_height(self._panel, rows, height))

    def _press(self, button: KeyButton) -> None:
        if not shiboken6.isValid(self):
            return
        key, target = button.key, self.target()
        self._speak(button, target)
        if key.action in ("shift", "caps", "dead"):
            self._toggle(button)
        elif key.action == "hide":
            self._hide_for_now()
        elif key.action in ("switch", "symbols"):
            if key.action == "switch":
                self._state.alternate = not self._state.alternate
            else:
                self._state.symbols = not self._state.symbols
            if target is not None:
                self.open_for(target)
        elif target is not None:
            self._type(key, target)
            self._reveal_now()  # a new line may have moved the caret out of view

    def _speak(self, button: KeyButton, target: QWidget | None) -> None:
        key, spoken = button.key, button.accessibleName()
        if target is not None and fields.is_private(target) and (key.is_char or key.action == "space"):
            spoken = self._t("keyboard.masked")  # a masked field's characters are never spoken
        self.key_activated.emit(spoken)
        if self._announce is not None:
            self._announce(button, spoken)

    def _toggle(self, button: KeyButton) -> None:
        """Shift, Caps lock or an accent: the button has already changed state (checkable)."""
        self._state.toggle(button.key, button.isChecked())
        self._relabel()

    def _type(self, key: Key, target: fields.TextField) -> None:
        if key.action == "backspace" and self._state.dead:
            self._state.dead = ""  # Backspace first takes back a chosen accent
        elif key.action == "backspace":
            fields.delete_back(target)
        elif key.action == "enter":
            fields.press_enter(target)  # may change the page: nothing of this keyboard is used after it
            return
        elif key.action == "space":
            fields.insert_text(target, self._state.dead or " ")  # an accent then Space types the accent itself
            self._state.dead = ""
        else:
            fields.insert_text(target, self._state.char(key))
            self._state.shift, self._state.dead = False, ""
        self._relabel()

    def _hide_for_now(self) -> None:
        """The "Hide keyboard" key: closed until the citizen taps the field again or moves to another field."""
        target = self.target()
        self.close_keyboard()
        if target is not None:
            self._dismissed = target
            self._watch(target)
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        # The session's theme tokens (the keys themselves follow the window's theme stylesheet).
        theme = theme_named(self._presentation.theme)
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(theme.colour("surface")))
        painter.fillRect(0, 0, self.width(), TOP_LINE_PX, QColor(theme.colour("text")))
        painter.end()
        super().paintEvent(event)

    # Sizes and helpers -----------------------------------------------------------------------------------------------
    def _step(self) -> int:
        return self._presentation.text_step

    def _apply_metrics(self) -> None:
        gap = self._panel.min_gap_px
        self._frame.setContentsMargins(gap, gap + TOP_LINE_PX, gap, gap)
        self.setStyleSheet(sizes.key_stylesheet(self._panel, self._step()))

    def _multi_line(self) -> bool:
        target = self.target()
        return target is not None and fields.multi_line(target)

    def _t(self, key: str, **params: object) -> str:
        return self._catalog.t(key, self._presentation.language, **params)

    def _reveal_now(self) -> None:
        target = self.target()
        if target is None or not self.is_open():
            return
        for widget in (self._page, self.window()):  # lay out the keys, then the window with them, then scroll
            layout = widget.layout() if widget is not None else None
            if layout is not None:
                layout.activate()
        fields.reveal(target, self._panel.min_target_px // 2)
