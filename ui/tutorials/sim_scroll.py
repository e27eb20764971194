"""The `scroll` simulation: a list longer than its window; the learner brings an item into view and taps it.

The list shows `visible` items at a time as real buttons. It moves by a finger dragged on it, by the mouse wheel, by
the "Scroll down"/"Scroll up" buttons (no control needs a drag: EN 301 549 5.5/WCAG 2.5.7), and by the arrow keys: Down
on the last item in view moves the list one item on, keeping the focus on that last row. Each move is reported as
`Scrolled(first_visible)`; a tap as `Tap(item)`.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout

from tutorials.actions import Feedback, Scrolled, Tap
from tutorials.model import Frame, ScrollSimulation, Simulation
from ui.tutorials.simulations import Act, SimulatedScreen, SimulationContext, register, sim_button
from ui.widgets import KioskButton


class ScrollScreen(SimulatedScreen):
    def __init__(self, simulation: Simulation, context: SimulationContext, act: Act) -> None:
        super().__init__(simulation, context, act)
        assert isinstance(simulation, ScrollSimulation)
        self.sim = simulation
        practice = context.practice
        self.first = int(getattr(practice, "first_visible", 0))
        self._drag_from: float | None = None
        self._dragged = False
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(max(context.screen.panel.min_gap_px, context.px() // 2))  # targets: 3 mm apart
        self.up = KioskButton()
        self.up.clicked.connect(lambda: self.scroll_by(-1))
        column.addWidget(self.up, 0, Qt.AlignmentFlag.AlignLeading)
        self.list = QFrame()
        self.list.setObjectName("sim-list")
        self.list.setProperty("control", "list")
        rows = QVBoxLayout(self.list)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(max(context.screen.panel.min_gap_px, context.px() // 3))
        self.rows: list[KioskButton] = []
        for index in range(min(simulation.visible, len(simulation.items))):
            button = sim_button("", f"row-{index}")
            button.clicked.connect(lambda _=False, row=index: self._tap(row))
            button.installEventFilter(self)
            rows.addWidget(button)
            self.rows.append(button)
        self.list.installEventFilter(self)
        column.addWidget(self.list)
        self.down = KioskButton()
        self.down.clicked.connect(lambda: self.scroll_by(1))
        line = QHBoxLayout()
        line.addWidget(self.down)
        line.addStretch(1)
        column.addLayout(line)
        self.controls["list"] = self.list
        self.retranslate()

    @property
    def last_first(self) -> int:
        return max(0, len(self.sim.items) - self.sim.visible)

    def shown_ids(self) -> list[str]:
        return [item.id for item in self.sim.items[self.first : self.first + len(self.rows)]]

    def retranslate(self) -> None:
        t = self.context.t
        self.up.set_label(t("tutorial.sim.scroll_up"))
        self.down.set_label(t("tutorial.sim.scroll_down"))
        self.list.setAccessibleName(self.context.text(self.sim.title) or t("tutorial.sim.list"))
        for control_id in [key for key in self.controls if key != "list"]:
            del self.controls[control_id]
        for button, item in zip(self.rows, self.sim.items[self.first :], strict=False):
            button.set_label(self.context.text(item.label))
            button.setProperty("control", item.id)
            self.controls[item.id] = button
        self.up.setEnabled(self.first > 0)
        self.down.setEnabled(self.first < self.last_first)

    def scroll_by(self, delta: int) -> None:
        wanted = max(0, min(self.first + delta, self.last_first))
        if wanted == self.first or self.context.demo:
            return
        self.first = wanted
        self.retranslate()
        self.act(Scrolled(self.first))

    def _tap(self, row: int) -> None:
        shown = self.shown_ids()
        if row < len(shown):
            self.act(Tap(shown[row]))

    def show_frame(self, frame: Frame | None) -> None:
        if frame is not None and frame.highlight in [item.id for item in self.sim.items]:
            ids = [item.id for item in self.sim.items]
            index = ids.index(frame.highlight)
            if not self.first <= index < self.first + len(self.rows):  # a demo scrolls to what it shows
                self.first = max(0, min(index - len(self.rows) + 1, self.last_first))
                self.retranslate()
        super().show_frame(frame)

    def show_feedback(self, feedback: Feedback) -> None:
        if feedback.done:
            self.up.setEnabled(self.first > 0)

    # Finger, wheel and keys ------------------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind == QEvent.Type.Wheel and isinstance(event, QWheelEvent):
            steps = -event.angleDelta().y() // 120
            if steps:
                self.scroll_by(steps)
            return True
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and watched in self.rows:
            return self._arrow(self.rows.index(watched), event.key())
        if isinstance(event, QMouseEvent):
            return self._drag(kind, event)
        return False

    def _arrow(self, row: int, key: int) -> bool:
        if key == Qt.Key.Key_Down and row == len(self.rows) - 1 and self.first < self.last_first:
            self.scroll_by(1)
            return True
        if key == Qt.Key.Key_Up and row == 0 and self.first > 0:
            self.scroll_by(-1)
            return True
        return False

    def _drag(self, kind: QEvent.Type, event: QMouseEvent) -> bool:
        """A finger dragged up on the list brings later items into view (one row per row height dragged)."""
        y = event.globalPosition().y()
        if kind == QEvent.Type.MouseButtonPress:
            self._drag_from, self._dragged = y, False
        elif kind == QEvent.Type.MouseMove and self._drag_from is not None and self.rows:
            row_height = max(1, self.rows[0].height())
            moved = int((self._drag_from - y) / row_height)
            if moved:
                self._drag_from, self._dragged = y, True
                self.scroll_by(moved)
        elif kind == QEvent.Type.MouseButtonRelease:
            self._drag_from = None
            if self._dragged:  # the end of a drag is not a tap on the row now under the finger
                for row in self.rows:
                    row.setDown(False)
                return True
        return False  # a tap that did not drag still taps


register("scroll", ScrollScreen)
