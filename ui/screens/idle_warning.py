"""The idle warning: "Do you need more time?", the seconds left, one big action, and why the session will end.

`ui.idle.IdleController` shows it over the current screen (the one beneath keeps what was typed) when the idle timer
warns, and takes it away on any input; "I need more time" (at least 20 mm high, focused first) and Escape both ask
for more time. Registered as `idle-warning` so screenshots and the accessibility matrix see it; shown that way, more
time goes back.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from accessibility.sizing import PRIMARY_TARGET_MM
from ui.screens.base import Screen, ScreenContext

SAMPLE_SECONDS = 60  # what the screen shows before the timer says (screenshots)


class IdleWarningScreen(Screen):
    def __init__(
        self, context: ScreenContext, on_more_time: Callable[[], None] | None = None, seconds: int = SAMPLE_SECONDS
    ) -> None:
        super().__init__(context)
        self._on_more_time = on_more_time if on_more_time is not None else context.back
        self.seconds = seconds
        # The action right under the question and the time left: at the largest text size it stays on screen.
        self.title = self.add_heading("idle.warning.title")
        self.seconds_label = QLabel()
        self.seconds_label.setProperty("role", "h2")
        self.seconds_label.setWordWrap(True)
        self.body.addWidget(self.seconds_label)
        self.more_time_button = self.add_button("idle.warning.more_time", self.more_time, kind="primary")
        row = QHBoxLayout()
        row.addWidget(self.more_time_button, 1)
        self.body.addLayout(row)
        self.lead = self.add_label("idle.warning.lead", role="lead")
        self.body.addStretch(1)
        self.set_seconds(seconds)
        self.on_restyle()
        self.on_retranslate()

    def set_seconds(self, seconds: int) -> None:
        self.seconds = max(0, seconds)
        self.seconds_label.setText(self.context.t("idle.warning.seconds_left", seconds=self.seconds))

    def message(self) -> str:
        """What is announced when the warning appears: the question, why, and the time left."""
        return " ".join((self.title.text(), self.lead.text(), self.seconds_label.text()))

    def more_time(self) -> None:
        self._on_more_time()

    def go_back(self) -> None:
        self.more_time()  # Escape: more time

    def on_retranslate(self) -> None:
        self.set_seconds(self.seconds)
        self.set_page_title(self.title.text())

    def on_restyle(self) -> None:
        panel = self.context.panel
        self.more_time_button.setMinimumHeight(max(panel.primary_target_px, panel.px(PRIMARY_TARGET_MM)))

    def first_focus(self) -> QWidget | None:
        return self.more_time_button
