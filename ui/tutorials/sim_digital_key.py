"""The `digital-key` simulation: a practice sign-in with a mobile digital key, and a fake phone that gets the code.

On the left (the right in Arabic) the sign-in form: the mobile phone number, the PIN when the simulation has one,
*Send code*, then the security code and *Sign in*. Beside it a drawn phone (`FakePhone`) that shows "No new messages"
until the number (and PIN) are right, then an SMS with the one-time code the engine made for this run (a fresh one each
time). The phone is one Tab stop, a group whose accessible name reads the whole message with the code digit by digit,
so a learner who cannot see it hears it; the engine sends the focus there when the code arrives.

*Send code* reports `Typed("phone", ...)` and, once the number is right, `Typed("pin", ...)`; *Sign in* reports
`Typed("code", ...)`. The boxes ask the on-screen keyboard for a phone or number keypad (input-method hints and the
`keyboard` property, as `ui/forms/text_inputs.py` does), read left to right and sit at the start of the line in
Arabic too; the PIN is masked. Nothing typed is kept: the engine judges it and forgets it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFocusEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QVBoxLayout, QWidget

from tutorials.actions import Feedback, Typed
from tutorials.model import DigitalKeySimulation, Frame, Simulation
from tutorials.practice import DigitalKeyPractice
from ui.forms.base import FormLineEdit
from ui.forms.text_inputs import BOX_STYLES, BoxStyle, leading, style_box
from ui.screens.browse_parts import plain_label
from ui.tutorials.simulations import Act, SimulatedScreen, SimulationContext, register
from ui.widgets import KioskButton

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel

    from ui.screens.base import ScreenContext

Hint = Qt.InputMethodHint
LRI, PDI = "\u2066", "\u2069"  # a code keeps its left-to-right order inside an Arabic sentence
DEMO_CODE = "48291357"  # a demo has no engine: its phone shows the first code_length digits (or what a frame types)
DEMO_ORDER = ("phone", "pin", "send", "fake-phone", "code", "sign-in")  # the sign-in, in the order a demo shows it
_DIGITS = Hint.ImhDigitsOnly | Hint.ImhNoPredictiveText
PIN_STYLE = BoxStyle(6, _DIGITS, True, 12)
PHONE_STYLE = BOX_STYLES["phone"]
NO_BREAK = "\u00a0"  # the code never wraps between its groups


def code_style(length: int) -> BoxStyle:
    """The code box: as wide as the code with its group spaces, digits only, left to right."""
    return BoxStyle(length + length // 3 + 1, _DIGITS, True, 20)


def grouped(code: str) -> str:
    """Groups of three, as the message shows the code: 482 913."""
    return NO_BREAK.join(code[i : i + 3] for i in range(0, len(code), 3))


class FakePhone(QGroupBox):
    """A drawn phone: its outline, a speaker slot, and the screen with a message bubble (or "No new messages").

    A `QGroupBox` so assistive technology gets a group; it is one Tab stop and its accessible name is the message.
    """

    def __init__(self, context: SimulationContext) -> None:
        super().__init__()
        self.context = context
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.code: str | None = None
        self.screen_column = QVBoxLayout(self)
        self.bubble = QWidget()
        bubble_column = QVBoxLayout(self.bubble)
        self.sender_label = plain_label("title")
        self.message = plain_label("body")
        bubble_column.addWidget(self.sender_label)
        bubble_column.addWidget(self.message)
        self.empty = plain_label("muted")
        self.screen_column.addWidget(self.empty)
        self.screen_column.addWidget(self.bubble)
        self.screen_column.addStretch(1)
        self.refresh()

    def show_code(self, code: str | None) -> None:
        self.code = code
        self.refresh()

    def refresh(self) -> None:
        screen: ScreenContext = self.context.screen
        t, body = self.context.t, screen.px()
        halo = self.halo()
        width = body * 11 + 2 * halo
        self.setFixedWidth(width)
        self.setMinimumHeight(round(body * 11 * 1.6) + 2 * halo)
        self.screen_column.setContentsMargins(body + halo, body * 2 + halo, body + halo, body * 2 + halo)
        self.screen_column.setSpacing(body // 2)
        bubble = self.bubble.layout()
        if bubble is not None:
            bubble.setContentsMargins(body // 2, body // 2, body // 2, body // 2)
            bubble.setSpacing(body // 4)
        title = t("tutorial.key.phone")
        self.empty.setText(t("tutorial.key.no_messages"))
        self.empty.setVisible(self.code is None)
        self.bubble.setVisible(self.code is not None)
        if self.code is None:
            self.setAccessibleName(f"{title}: {self.empty.text()}")
        else:
            self.sender_label.setText(t("tutorial.key.sms_sender"))
            self.message.setText(t("tutorial.key.sms", code=f"{LRI}{grouped(self.code)}{PDI}"))
            spelled = t("tutorial.key.code_spelled", digits=" ".join(self.code))
            self.setAccessibleName(f"{title}: {self.sender_label.text()}. {self.message.text()} {spelled}")
        self.update()

    def halo(self) -> int:
        """Room around the phone for the focus: the yellow fill and the thick ring, as every control has."""
        return self.context.screen.theme.focus_width + self.context.px() // 3

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override: the phone is drawn, not styled
        theme = self.context.screen.theme
        ring, body = theme.focus_width, self.context.px()
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        radius = body * 1.2
        halo = self.halo()
        if self.hasFocus():  # the kiosk's focus: a yellow fill inside a thick ring, never colour alone
            half = ring / 2
            p.setPen(QPen(QColor(theme.focus_ring), ring))
            p.setBrush(QColor(theme.focus_bg))
            p.drawRoundedRect(QRectF(self.rect()).adjusted(half, half, -half, -half), radius + halo, radius + halo)
        outline = QRectF(self.rect()).adjusted(halo, halo, -halo, -halo)
        p.setPen(QPen(QColor(theme.text), max(3, theme.border_width + 1)))
        p.setBrush(QColor(theme.background))
        p.drawRoundedRect(outline, radius, radius)
        speaker = QRectF(outline.center().x() - body, outline.top() + body * 0.7, body * 2, body * 0.3)
        p.setBrush(QColor(theme.text))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawRoundedRect(speaker, body * 0.15, body * 0.15)
        if self.bubble.isVisible():
            p.setPen(QPen(QColor(theme.border), theme.border_width))
            p.setBrush(QColor(theme.surface))
            p.drawRoundedRect(QRectF(self.bubble.geometry()), body * 0.4, body * 0.4)
        p.end()

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusOutEvent(event)
        self.update()


class DigitalKeyScreen(SimulatedScreen):
    simulation: DigitalKeySimulation

    def __init__(self, simulation: Simulation, context: SimulationContext, act: Act) -> None:
        assert isinstance(simulation, DigitalKeySimulation)
        super().__init__(simulation, context, act)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        form = QWidget()
        self.form_column = QVBoxLayout(form)
        self.form_column.setContentsMargins(0, 0, 0, 0)
        self.heading = plain_label("h2")
        self.form_column.addWidget(self.heading)
        self.phone, self.phone_label, self.phone_hint = self._box(PHONE_STYLE, "phone")
        self.pin: FormLineEdit | None = None
        if simulation.pin is not None:
            self.pin, self.pin_label, self.pin_hint = self._box(PIN_STYLE, "numeric")
        self.send_button = KioskButton()
        self.send_button.clicked.connect(self.send)
        self._button_row(self.send_button)
        self.code, self.code_label, self.code_hint = self._box(code_style(simulation.code_length), "numeric")
        self.sign_in_button = KioskButton("primary")
        self.sign_in_button.clicked.connect(self.sign_in)
        self._button_row(self.sign_in_button)
        self.form_column.addStretch(1)
        self.fake_phone = FakePhone(context)
        phone_column = QVBoxLayout()
        self.phone_caption = plain_label("title")
        self.phone_caption.setWordWrap(True)
        phone_column.addWidget(self.phone_caption)
        phone_column.addWidget(self.fake_phone)
        phone_column.addStretch(1)
        row.addWidget(form, 1)
        row.addLayout(phone_column)
        self.phone.returnPressed.connect(self.send)
        if self.pin is not None:
            self.pin.returnPressed.connect(self.send)
        self.code.returnPressed.connect(self.sign_in)
        self.controls = {
            "phone": self.phone,
            **({"pin": self.pin} if self.pin is not None else {}),
            "send": self.send_button,
            "code": self.code,
            "sign-in": self.sign_in_button,
            "fake-phone": self.fake_phone,
        }
        for control_id, widget in self.controls.items():
            widget.setObjectName(f"sim-{control_id}")
            widget.setProperty("control", control_id)
        self.retranslate()

    def _button_row(self, button: KioskButton) -> None:
        line = QHBoxLayout()
        line.addWidget(button)
        line.addStretch(1)
        self.form_column.addLayout(line)

    def _box(self, style: BoxStyle, keyboard: str) -> tuple[FormLineEdit, QLabel, QLabel]:
        """A labelled box (the label is its buddy and name) with a hint under the label, at the line's start."""
        label, hint, box = plain_label("title"), plain_label("muted"), FormLineEdit()
        box.setProperty("keyboard", keyboard)  # the on-screen keyboard's keypad, whatever the hints say
        label.setBuddy(box)
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(label)
        column.addWidget(hint)
        column.addWidget(leading(box, style))
        self.form_column.addWidget(holder)
        return box, label, hint

    # Texts and sizes -------------------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        t, screen = self.context.t, self.context.screen
        self.form_column.setSpacing(max(screen.px() // 2, screen.panel.min_gap_px))
        self.heading.setText(t("tutorial.key.heading"))
        boxes = [(self.phone, self.phone_label, self.phone_hint, PHONE_STYLE, "phone", False)]
        if self.pin is not None:
            boxes.append((self.pin, self.pin_label, self.pin_hint, PIN_STYLE, "pin", True))
        length = self.simulation.code_length
        boxes.append((self.code, self.code_label, self.code_hint, code_style(length), "code", False))
        for box, label, hint, style, name, private in boxes:
            style_box(box, style, context_px=screen.px(), min_px=screen.panel.min_target_px, private=private)
            label.setText(t(f"tutorial.key.{name}_label"))
            hint_text = t(f"tutorial.key.{name}_hint", digits=length)
            hint.setText(hint_text)
            box.setAccessibleName(label.text())
            box.setAccessibleDescription(hint_text)
        self.send_button.set_label(t("tutorial.key.send"))
        self.sign_in_button.set_label(t("tutorial.key.sign_in"))
        self.fake_phone.refresh()
        self.phone_caption.setText(t("tutorial.key.phone"))
        self.phone_caption.setMaximumWidth(self.fake_phone.width())
        row = self.layout()
        if row is not None:
            row.setSpacing(screen.px())

    # Acting ----------------------------------------------------------------------------------------------------------
    def send(self) -> None:
        """Send code: the number first; the PIN only once the number is right (as the real service asks)."""
        if self.context.demo:
            return
        feedback = self.act(Typed("phone", self.phone.text()))
        self.show_feedback(feedback)
        if feedback.correct and self.pin is not None and feedback.key != "code-sent":
            self.show_feedback(self.act(Typed("pin", self.pin.text())))

    def sign_in(self) -> None:
        if not self.context.demo:
            self.show_feedback(self.act(Typed("code", self.code.text())))

    def show_feedback(self, feedback: Feedback) -> None:
        """Idempotent (the step renderer may call it too): the phone shows the code once the engine sent it."""
        practice = self.context.practice
        if isinstance(practice, DigitalKeyPractice) and practice.code_sent and self.fake_phone.code is None:
            self.fake_phone.show_code(practice.one_time_code)

    def show_frame(self, frame: Frame | None) -> None:
        """A demo frame, on a screen built for it alone: what comes before it in the sign-in is filled in already
        (the number, the PIN, then the message on the phone), its own typed text goes in its box. The demo phone
        shows the code a `code` frame types, else 482 913 (docs/tutorials.md: type that in a demo)."""
        super().show_frame(frame)
        if frame is None or frame.highlight not in DEMO_ORDER:
            return
        reached = DEMO_ORDER.index(frame.highlight)
        sim = self.simulation
        code = "".join(c for c in (frame.typed or "") if c.isdigit()) if frame.highlight == "code" else ""
        earlier = {
            "phone": (self.phone, sim.phone_number),
            "pin": (self.pin, sim.pin or ""),
            "code": (self.code, DEMO_CODE[: sim.code_length]),
        }
        for control_id, (box, value) in earlier.items():
            if box is None:
                continue
            if control_id == frame.highlight:
                box.setText(frame.typed or "")
            elif DEMO_ORDER.index(control_id) < reached:
                box.setText(value)
        if reached > DEMO_ORDER.index("send"):
            self.fake_phone.show_code(code or DEMO_CODE[: sim.code_length])


register("digital-key", DigitalKeyScreen)
