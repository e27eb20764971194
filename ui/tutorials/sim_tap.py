"""The `tap` simulation: a small screen of buttons (top, middle, bottom, as the data places them); the learner taps one.

Each target is a real kiosk button named by its label, so a finger, Tab and Enter, or a screen reader all work; the
screen reports `Tap(target)` and the engine says whether it was the one.
"""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from tutorials.actions import Tap
from tutorials.model import Simulation, TapSimulation
from ui.tutorials.simulations import Act, SimulatedScreen, SimulationContext, register, sim_button
from ui.widgets import FlowLayout

ROWS = ("top", "middle", "bottom")


class TapScreen(SimulatedScreen):
    def __init__(self, simulation: Simulation, context: SimulationContext, act: Act) -> None:
        super().__init__(simulation, context, act)
        assert isinstance(simulation, TapSimulation)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(context.px())
        # Each row wraps (FlowLayout) rather than clipping when its labels outgrow the width at large text sizes, and a
        # label longer than the whole row takes more lines (WrapButton).
        holders = {row: QWidget() for row in ROWS}
        rows = {row: FlowLayout(holders[row], spacing=context.px()) for row in ROWS}
        for target in simulation.targets:
            button = sim_button(context.text(target.label), target.id, kind="secondary", wrap=True)
            button.clicked.connect(lambda _=False, target_id=target.id: self.act(Tap(target_id)))
            rows[target.position or "middle"].addWidget(button)
            self.controls[target.id] = button
        for row in ROWS:
            if rows[row].count():
                column.addWidget(holders[row])
                if row != "bottom":
                    column.addStretch(1)  # the top and bottom rows sit apart, as on a real screen

    def retranslate(self) -> None:
        assert isinstance(self.simulation, TapSimulation)
        for target in self.simulation.targets:
            self.controls[target.id].set_label(self.context.text(target.label))  # type: ignore[attr-defined]


register("tap", TapScreen)
