"""The `type` simulation: a small form of boxes; the learner types into the right one with the kiosk's own keyboard.

The boxes are the form engine's line edits (no clipboard, no context menu), so the on-screen keyboard opens on them by
itself with the layout the data asks for (`keyboard`: text, numeric, phone; e-mail uses the letters). Enter in a box,
or the "OK" button, reports `Typed(box, text)` for the box the learner was in; the engine judges it and forgets it.
A demo shows its made-up text (`typed`) in the box it highlights, and a drawing of a keyboard for `keyboard`.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout

from tutorials.actions import Feedback, Typed
from tutorials.model import Frame, Simulation, TypeSimulation
from ui.forms.base import FormLineEdit, plain_label, set_flag
from ui.tutorials.simulations import Act, SimulatedScreen, SimulationContext, register, sim_button

KEYBOARDS = {"text": "text", "email": "text", "numeric": "numeric", "phone": "phone"}


class TypeScreen(SimulatedScreen):
    def __init__(self, simulation: Simulation, context: SimulationContext, act: Act) -> None:
        super().__init__(simulation, context, act)
        assert isinstance(simulation, TypeSimulation)
        self.sim = simulation
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(max(context.screen.panel.min_gap_px, context.px() // 2))  # targets: 3 mm apart
        self.labels: dict[str, QLabel] = {}
        self.boxes: dict[str, FormLineEdit] = {}
        self.current = simulation.field if not simulation.fields else simulation.fields[0].id
        for control in simulation.fields:
            label = plain_label("body")
            box = FormLineEdit()
            box.setObjectName(f"sim-{control.id}")
            box.setProperty("control", control.id)
            box.setProperty("keyboard", KEYBOARDS.get(simulation.keyboard, "text"))
            box.setMinimumHeight(context.screen.panel.min_target_px)
            box.setMaxLength(200)
            label.setBuddy(box)
            box.returnPressed.connect(lambda field=control.id: self.submit(field))
            box.installEventFilter(self)
            column.addWidget(label)
            column.addWidget(box)
            self.labels[control.id], self.boxes[control.id] = label, box
            self.controls[control.id] = box
        self.keyboard_picture: QLabel | None = None
        if context.demo:  # the real keyboard opens only for a real box: a demo shows a drawing of it
            from ui.tutorials.pictures import picture_label

            self.keyboard_picture = picture_label(context.screen, "keyboard", width_mm=70)
            self.keyboard_picture.setProperty("control", "keyboard")
            column.addWidget(self.keyboard_picture, 0, Qt.AlignmentFlag.AlignHCenter)
            self.controls["keyboard"] = self.keyboard_picture
        self.ok = sim_button("", "ok", kind="primary")
        self.ok.clicked.connect(lambda: self.submit(self.current))
        line = QHBoxLayout()
        line.addWidget(self.ok)
        line.addStretch(1)
        column.addLayout(line)
        self.retranslate()

    def retranslate(self) -> None:
        for control in self.sim.fields:
            text = self.context.text(control.label)
            self.labels[control.id].setText(text)
            self.boxes[control.id].setAccessibleName(text)
        self.ok.set_label(self.context.t("tutorial.sim.ok"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.FocusIn:
            for field, box in self.boxes.items():
                if box is watched:
                    self.current = field  # "OK" sends the box the learner was last in
        return False

    def submit(self, field: str) -> None:
        box = self.boxes.get(field)
        if box is not None and not self.context.demo:
            self.act(Typed(field, box.text()))

    def show_feedback(self, feedback: Feedback) -> None:
        for field, box in self.boxes.items():
            set_flag(box, "error", not feedback.correct and feedback.control == field)

    def show_frame(self, frame: Frame | None) -> None:
        super().show_frame(frame)
        if frame is not None and frame.typed is not None and frame.highlight in self.boxes:
            self.boxes[frame.highlight].setText(frame.typed)


register("type", TypeScreen)
