"""The `triage` simulation: messages (a text message, an e-mail, a letter, a phone call) to mark as scam or genuine.

Each message is a card: how it came and who it says it is from, what it says, and two real buttons, "Scam" and
"Genuine", named with the sender so a screen reader tells the cards apart. Marking reports `Marked(message,
verdict)`; the card then shows the verdict and the message's reason (right or wrong, the reason is the lesson), told
by a word and an icon, never by colour alone. A learner may change a mark.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout

from tutorials.actions import Feedback, Marked
from tutorials.model import Frame, Message, Simulation, TriageSimulation, Verdict
from ui.forms.base import plain_label
from ui.tutorials.simulations import Act, SimulatedScreen, SimulationContext, register, sim_button
from ui.widgets import KioskButton

VERDICTS: tuple[Verdict, ...] = ("scam", "genuine")


class MessageCard(QFrame):
    def __init__(self, message: Message, context: SimulationContext) -> None:
        super().__init__()
        self.message = message
        self.context = context
        self.setObjectName(f"sim-{message.id}")
        self.setProperty("control", message.id)
        self.setProperty("role", "summary-row")
        column = QVBoxLayout(self)
        body = context.px()
        column.setContentsMargins(body // 2, body // 2, body // 2, body // 2)
        column.setSpacing(body // 3)
        self.sender_label = plain_label("title")
        self.text = plain_label("body")
        self.result = plain_label("body")
        self.result.hide()
        column.addWidget(self.sender_label)
        column.addWidget(self.text)
        row = QHBoxLayout()
        row.setSpacing(body)
        self.buttons: dict[str, KioskButton] = {}
        for verdict in VERDICTS:
            button = sim_button("", verdict)
            button.setCheckable(True)
            row.addWidget(button)
            self.buttons[verdict] = button
        row.addStretch(1)
        column.addLayout(row)
        column.addWidget(self.result)
        self.mark: str | None = None
        self.right: bool | None = None

    def retranslate(self) -> None:
        t, text = self.context.t, self.context.text
        channel = t(f"tutorial.sim.channel.{self.message.channel}")
        sender = text(self.message.sender)
        self.sender_label.setText(f"{channel} · {sender}")
        self.text.setText(text(self.message.body))
        self.setAccessibleName(f"{channel}, {sender}")
        for verdict, button in self.buttons.items():
            label = t(f"tutorial.sim.{verdict}")
            button.set_label(label)
            button.setAccessibleName(f"{label}: {sender}")
            button.setChecked(self.mark == verdict)
        if self.mark is not None and self.right is not None:
            said = t("tutorial.sim.marked", verdict=t(f"tutorial.sim.{self.mark}"))
            outcome = t("tutorial.sim.marked_right" if self.right else "tutorial.sim.marked_wrong")
            self.result.setText(f"{said} {outcome} {text(self.message.reason)}")
            self.result.setProperty("role", "body" if self.right else "error")
            self.result.style().unpolish(self.result)
            self.result.style().polish(self.result)
            self.result.show()


class TriageScreen(SimulatedScreen):
    def __init__(self, simulation: Simulation, context: SimulationContext, act: Act) -> None:
        super().__init__(simulation, context, act)
        assert isinstance(simulation, TriageSimulation)
        self.sim = simulation
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(context.px())
        self.cards: dict[str, MessageCard] = {}
        marked = dict(getattr(context.practice, "marked", {}) or {})
        for message in simulation.messages:
            card = MessageCard(message, context)
            for verdict, button in card.buttons.items():
                button.clicked.connect(lambda _=False, m=message.id, v=verdict: self._mark(m, v))
            if message.id in marked:  # a rebuilt page (language, text size) keeps the marks made
                card.mark, card.right = marked[message.id], marked[message.id] == message.verdict
            column.addWidget(card)
            self.cards[message.id] = card
            self.controls[message.id] = card
        first = simulation.messages[0].id if simulation.messages else None
        self._focus_card = first
        self._point_verdicts(first)
        self.retranslate()

    def _point_verdicts(self, message_id: str | None) -> None:
        """ "scam" and "genuine" in a demo frame mean the buttons of the message shown last."""
        card = self.cards.get(message_id or "")
        if card is not None:
            self.controls.update(card.buttons)

    def retranslate(self) -> None:
        for card in self.cards.values():
            card.retranslate()

    def _mark(self, message_id: str, verdict: Verdict) -> None:
        if self.context.demo:
            self.cards[message_id].buttons[verdict].setChecked(self.cards[message_id].mark == verdict)
            return
        card = self.cards[message_id]
        card.mark = verdict
        card.buttons[verdict].setChecked(True)
        other = next(v for v in VERDICTS if v != verdict)
        card.buttons[other].setChecked(False)
        self.act(Marked(message_id, verdict))

    def show_feedback(self, feedback: Feedback) -> None:
        card = self.cards.get(feedback.control or "")
        if card is not None:
            card.right = feedback.correct
            card.retranslate()

    def control(self, control_id: str | None) -> QLabel | None:
        return None  # focus stays on the button just pressed: the reason is read out, the next card is a Tab away

    def first_control(self) -> KioskButton | None:
        first = next(iter(self.cards.values()), None)
        return first.buttons["scam"] if first is not None else None

    def show_frame(self, frame: Frame | None) -> None:
        if frame is not None and frame.highlight in self.cards:
            self._point_verdicts(frame.highlight)
        super().show_frame(frame)
        if frame is not None and frame.gesture == "tap" and frame.highlight in VERDICTS:
            for card in self.cards.values():
                if card.buttons[frame.highlight] is self.controls.get(frame.highlight):
                    card.mark = frame.highlight
                    card.retranslate()


register("triage", TriageScreen)
