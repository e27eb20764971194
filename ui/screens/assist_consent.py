"""The consent screen of an assisted session (`assist-consent`): written for the citizen, in large plain words.

A signed-in mediator opens it from the staff console ("Assist a citizen"); showing it starts the assist under the
mediator's name. It says who will help (first name only), what they will see and do, that private answers stay the
citizen's, and that the help can stop at any time; then two big choices. "Yes, help me": the consent is recorded
(audited, and frozen into the submission) and the citizen's home opens with the assisted banner. "No, I will do it
alone": the refusal is recorded the same way, the mediator is signed out (no staff rights are left on a screen the
citizen now uses alone) and the citizen's home opens without help. Back (or Escape) before an answer cancels the offer
and returns to the console. Staff-only (area "assist"): nobody reaches it without a mediator's sign-in.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from accessibility.sizing import PRIMARY_TARGET_MM
from kiosk.assist import Assistance, AssistError, Phase, first_name
from ui.screens.base import Screen, ScreenContext
from ui.screens.browse_parts import plain_label

HOME = "home"
SAMPLE_MEDIATOR = "Miguel"  # pictures and the every-screen checks


class AssistConsentScreen(Screen):
    idle_kind = "reading"  # the citizen reads before choosing

    def __init__(self, context: ScreenContext, assistance: Assistance, mediator: Callable[[], str | None]) -> None:
        super().__init__(context)
        self.assistance = assistance
        self.mediator = mediator  # the signed-in staff member's account name (None: nobody)
        self.title = self._label("h1")
        self.points = [self._label("lead") for _ in range(3)]
        self.question = self._label("h2")
        choices = QVBoxLayout()
        self.yes_button = self.add_button("assist.consent.yes", self.accept, kind="primary")
        self.no_button = self.add_button("assist.consent.no", self.refuse, kind="primary")
        for button in (self.yes_button, self.no_button):
            choices.addWidget(button)
        self.body.addLayout(choices)
        self.body.addStretch(1)
        self.on_restyle()
        self.render_texts()

    def _label(self, role: str) -> QLabel:
        label = plain_label(role)
        self.body.addWidget(label)
        return label

    def _name(self) -> str:
        helping = self.assistance.mediator or self.mediator() or ""
        return first_name(helping) if helping.strip() else ""

    def render_texts(self) -> None:
        t, name = self.context.t, self._name()
        self.title.setText(t("assist.consent.title", name=name))
        for label, key in zip(self.points, ("see", "private", "stop"), strict=True):
            label.setText(t(f"assist.consent.{key}", name=name))
        self.question.setText(t("assist.consent.question", name=name))
        self.set_page_title(self.title.text())

    # Called by the shell ---------------------------------------------------------------------------------------------
    def can_show(self) -> bool:
        return self.assistance.mediator is not None or self.mediator() is not None

    def on_shown(self) -> None:
        name = self.mediator()
        if name is not None and self.assistance.phase is not Phase.ASSISTING:
            with contextlib.suppress(AssistError):  # another mediator's offer is waiting: this screen shows theirs
                self.assistance.start(name)
        self.render_texts()

    def on_retranslate(self) -> None:
        self.render_texts()

    def on_restyle(self) -> None:
        panel = self.context.panel
        for button in (self.yes_button, self.no_button):
            button.setMinimumHeight(max(panel.primary_target_px, panel.px(PRIMARY_TARGET_MM)))

    def first_focus(self) -> QWidget | None:
        return self.title  # read first; neither choice is pre-selected (Enter must not answer for the citizen)

    # Acting ----------------------------------------------------------------------------------------------------------
    def accept(self) -> None:
        self._answer(True)

    def refuse(self) -> None:
        self._answer(False)

    def _answer(self, given: bool) -> None:
        if self.assistance.phase is Phase.ASKING:
            self.assistance.consent(given)
        self.context.navigate(HOME, clear_history=True)

    def go_back(self) -> None:
        self.assistance.cancel()
        self.context.back()


def sample_assist_consent(context: ScreenContext) -> Screen:
    """The screen for pictures and the every-screen checks: Miguel offers help (no audit, nobody signed in)."""
    assistance = Assistance(context.session)
    screen = AssistConsentScreen(context, assistance, lambda: SAMPLE_MEDIATOR)
    screen.destroyed.connect(lambda *_args: assistance.close())
    return screen


def assist_consent_factory(
    assistance: Assistance, mediator: Callable[[], str | None]
) -> Callable[[ScreenContext], Screen]:
    """A registry factory on the kiosk's own assistance and staff sign-in."""
    return lambda context: AssistConsentScreen(context, assistance, mediator)
