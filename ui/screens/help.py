"""Help: how to get help from a member of staff, in plain words, with a Back button."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ui.screens.base import Screen, ScreenContext


class HelpScreen(Screen):
    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        self.back_button = self.add_back_button()
        self.add_heading("help.title")
        self.add_label("help.staff", role="lead")
        self.add_label("help.where")
        self.add_label("help.together")
        self.add_label("help.tools")

    def first_focus(self) -> QWidget | None:
        return self.back_button
