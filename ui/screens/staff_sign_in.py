"""Staff sign-in (`staff-sign-in`): a name, a masked PIN typed on a large keypad (or a passphrase), and on a kiosk with
no account yet, the creation of the first site manager (name and PIN twice).

The check is `kiosk.staff.StaffAccounts.verify` (slow hash, lockout, audit); a wrong PIN and an unknown name get the
same message, a locked account the time left. Secret fields are emptied with `setText("")` — which also empties Qt's
undo history, unlike `clear()` alone — after every attempt and whenever the screen is hidden. Keypad keys are at
least 20 mm square. Whoever signs in goes into the `StaffPresence` of the `StaffGate` and on to `staff-home`.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QWidget

from kiosk.staff import SignInRefused, StaffError, StaffMember
from kiosk.staff_presence import StaffGate
from ui.forms.base import FormLineEdit
from ui.forms.text_inputs import PRIVATE_HINTS
from ui.screens.base import Screen, ScreenContext
from ui.screens.browse_parts import InlineMessage
from ui.widgets import KioskButton

KEY_MM = 20  # keypad keys: at least 20 mm on the glass
STAFF_HOME = "staff-home"
_WEAK_KEYS = {
    "pin-too-short": "staff.weak.short",
    "passphrase-too-short": "staff.weak.short",
    "pin-too-simple": "staff.weak.simple",
    "passphrase-too-simple": "staff.weak.simple",
    "bad-name": "staff.first.bad_name",
}


class StaffSignInScreen(Screen):
    def __init__(self, context: ScreenContext, gate: StaffGate) -> None:
        super().__init__(context)
        self.gate = gate
        with gate.accounts() as accounts:
            self.first_start = accounts.is_empty()
        self.passphrase_mode = False
        self._message: tuple[str, dict[str, object]] | None = None
        self.add_heading("staff.first.title" if self.first_start else "staff.sign_in.title")
        self.add_label("staff.first.lead" if self.first_start else "staff.sign_in.lead", role="lead")
        self.message = InlineMessage(context, icon="warning")
        self.message.hide()
        self.body.addWidget(self.message)
        self.name = self._field("staff.sign_in.name", secret=False)
        self.secret_label = QLabel()
        self.secret = self._field("", secret=True, label=self.secret_label)
        self.repeat: FormLineEdit | None = None
        if self.first_start:
            self.repeat = self._field("staff.first.repeat", secret=True)
        self._target: QLineEdit = self.secret
        self.keypad = QWidget()
        self.keys: dict[str, KioskButton] = {}
        self._build_keypad()
        self.body.addWidget(self.keypad)
        self.toggle = self.add_button("staff.sign_in.use_passphrase", self.toggle_passphrase)
        self.submit = self.add_button(
            "staff.first.create" if self.first_start else "staff.sign_in.submit", self.attempt, kind="primary"
        )
        self.body.addWidget(self.toggle)
        self.body.addWidget(self.submit)
        if self.first_start:
            self.toggle.hide()  # the first site manager starts with a PIN; the CLI adds passphrase accounts
        self.add_back_button()
        self._apply_mode()

    # Building ---------------------------------------------------------------------------------------------------------
    def _field(self, key: str, *, secret: bool, label: QLabel | None = None) -> FormLineEdit:
        caption = label if label is not None else QLabel()
        caption.setProperty("role", "label")
        if key:
            self.bind(caption.setText, key)
        field = FormLineEdit()
        caption.setBuddy(field)
        if secret:
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setInputMethodHints(PRIVATE_HINTS)
            field.setProperty("private", True)
            field.installEventFilter(self)
        field.setMinimumHeight(self.context.panel.min_target_px)
        field.returnPressed.connect(self.attempt)
        self.body.addWidget(caption)
        self.body.addWidget(field)
        if key:
            self.bind(field.setAccessibleName, key)
        else:
            self.bind(field.setAccessibleName, "staff.sign_in.pin")
        return field

    def _build_keypad(self) -> None:
        grid = QGridLayout(self.keypad)
        grid.setContentsMargins(0, 0, 0, 0)
        for index, digit in enumerate("123456789"):
            self._key(grid, digit, index // 3, index % 3, lambda _=False, d=digit: self.press(d))
        self._key(grid, "delete", 3, 0, lambda _=False: self.delete())
        self._key(grid, "0", 3, 1, lambda _=False: self.press("0"))
        grid.setSpacing(self.context.panel.min_gap_px)
        self._size_keys()

    def _key(self, grid: QGridLayout, name: str, row: int, column: int, action: Callable[..., None]) -> None:
        key = KioskButton("secondary")
        if name == "delete":
            self.bind(key.set_label, "staff.sign_in.delete")
        else:
            key.set_label(name)
        # A tap never takes the focus from the field the keys type into; Tab still reaches every key.
        key.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        key.clicked.connect(action)
        grid.addWidget(key, row, column)
        self.keys[name] = key

    # Input ------------------------------------------------------------------------------------------------------------
    def _secret_fields(self) -> list[QLineEdit]:
        return [f for f in (self.secret, self.repeat) if f is not None]

    def _current_target(self) -> QLineEdit:
        return self._target

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        # The keys type into the secret field that last had the focus (Tab may have moved it onto a key since).
        if event.type() == QEvent.Type.FocusIn and watched in self._secret_fields():
            assert isinstance(watched, QLineEdit)
            self._target = watched
        return super().eventFilter(watched, event)

    def press(self, digit: str) -> None:
        target = self._current_target()
        target.setText(target.text() + digit)

    def delete(self) -> None:
        target = self._current_target()
        target.setText(target.text()[:-1])

    def toggle_passphrase(self) -> None:
        self.passphrase_mode = not self.passphrase_mode
        self.wipe()
        self._apply_mode()

    def _apply_mode(self) -> None:
        key = "staff.sign_in.passphrase" if self.passphrase_mode else "staff.sign_in.pin"
        self.secret_label.setText(self.context.t(key))
        self.secret.setAccessibleName(self.context.t(key))
        self.secret.setProperty("keyboard", "text" if self.passphrase_mode else "numeric")
        self.keypad.setVisible(not self.passphrase_mode)
        self.toggle.set_label(
            self.context.t("staff.sign_in.use_pin" if self.passphrase_mode else "staff.sign_in.use_passphrase")
        )

    def wipe(self) -> None:
        """Empty the secret fields; `setText` also empties their undo history (`clear()` could be undone)."""
        for field in self._secret_fields():
            field.setText("")

    # Signing in -------------------------------------------------------------------------------------------------------
    def attempt(self) -> None:
        name, secret = self.name.text(), self.secret.text()
        repeated = self.repeat.text() if self.repeat is not None else None
        self.wipe()
        if not name.strip():
            self.show_message("staff.sign_in.need_name")
            return
        if self.first_start:
            self._create_first(name, secret, repeated)
            return
        with self.gate.accounts() as accounts:
            outcome = accounts.verify(name, secret, self.gate.clock())
        if isinstance(outcome, SignInRefused):
            self._refused(outcome)
        else:
            self._signed_in(outcome)

    def _create_first(self, name: str, secret: str, repeated: str | None) -> None:
        if secret != repeated:
            self.show_message("staff.first.mismatch")
            return
        try:
            with self.gate.accounts() as accounts:
                member = accounts.create_first_site_manager(name, secret, now=self.gate.clock())
        except StaffError as error:
            self.show_message(_WEAK_KEYS.get(error.code, "staff.first.refused"))
            return
        self._signed_in(member)

    def _refused(self, refusal: SignInRefused) -> None:
        if refusal.locked_until is None:
            self.show_message(refusal.message_key)
            return
        left = max(1, math.ceil((refusal.locked_until - self.gate.clock()).total_seconds()))
        self.show_message(refusal.message_key, time=f"{left // 60}:{left % 60:02d}")

    def _signed_in(self, member: StaffMember) -> None:
        self.name.setText("")
        self.hide_message()
        self.gate.presence.sign_in(member)
        self.context.navigate(STAFF_HOME)

    def show_message(self, key: str, **params: object) -> None:
        self._message = (key, params)
        self.message.set_text(self.context.t(key, **params))
        self.message.show()
        self.set_page_title(self.context.t("staff.sign_in.title"))
        self.context.announce(self.message, self.message.text.text(), assertive=True)

    def hide_message(self) -> None:
        self._message = None
        self.message.hide()

    @property
    def message_key(self) -> str | None:
        return None if self._message is None else self._message[0]

    # Called by the shell ----------------------------------------------------------------------------------------------
    def on_retranslate(self) -> None:
        self._apply_mode()
        if self._message is not None:
            key, params = self._message
            self.message.set_text(self.context.t(key, **params))

    def on_restyle(self) -> None:
        self.message.restyle()
        self._size_keys()

    def _size_keys(self) -> None:
        # In the keypad's own style sheet: the window's (min-height for every button) would win over setMinimumSize.
        size = self.context.panel.px(KEY_MM)
        self.keypad.setStyleSheet(f"QPushButton {{ min-width: {size}px; min-height: {size}px; }}")

    def first_focus(self) -> QWidget | None:
        return self.name

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        self.wipe()  # leaving the screen never leaves a PIN behind
        super().hideEvent(event)


def staff_sign_in_factory(gate: StaffGate) -> Callable[[ScreenContext], Screen]:
    """A registry factory: `registry.register("staff-sign-in", staff_sign_in_factory(gate), replace=True)`."""
    return lambda context: StaffSignInScreen(context, gate)
