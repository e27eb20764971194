"""The registry of simulated practice screens: one factory per simulation kind, behind `widget_for`.

A tutorial's demo and practice steps show a *simulated* screen built from the step's data (`tutorials.model`): real
widgets (KioskButton, line edits…) with accessible names from the data, inside a visible frame that says it is
practice ("Practice — nothing is sent"). The simulated screen never judges what the learner does: it reports a small
action value (`tutorials.actions`) through `act` and shows the `Feedback` it gets back. Nothing here reaches the
outbox, a service or the network.

How to add a kind (ui-b's `form`, `digital-key` and `attach` do this): write `ui/tutorials/sim_<kind>.py` with a
factory and register it:

    from ui.tutorials.simulations import SimulatedScreen, SimulationContext, register

    class FormScreen(SimulatedScreen):
        def __init__(self, simulation, context, act): ...

    register("form", FormScreen)    # any callable (simulation, context, act) -> SimulatedScreen

and add the module to `_BUILT_IN` below (imported on the first `widget_for`, so start-up never pays for it). A
factory returns a `SimulatedScreen`: it fills `self.controls` (control id -> the widget for it; the ids of
`simulation.controls()`) so demo frames can highlight a control and feedback can move focus to it, and may override
`show_frame` (a demo frame: e.g. show typed text), `show_feedback` (after an action: e.g. mark a message) and
`retranslate`. In a demo (`context.demo`) the frame makes the screen inert to taps and `act` does nothing (its
controls stay Tab stops, so a screen reader can explore them); the step renderer steps the frames. A kind without
a factory shows a plain "This practice is not available on this kiosk yet" panel (`UnavailableScreen`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from kiosk.catalog.model import Text
from tutorials.actions import Action, Feedback
from tutorials.model import Frame, Simulation
from ui.widgets import KioskButton
from ui.wrap_button import WrapButton

if TYPE_CHECKING:
    from tutorials.practice import Practice
    from ui.screens.base import ScreenContext

Act = Callable[[Action], Feedback]

# The modules that register the built-in kinds; imported once, on the first widget_for (a missing one is skipped, so
# a kind whose module has not landed yet shows the "not available" panel).
_BUILT_IN = (
    "ui.tutorials.sim_tap",
    "ui.tutorials.sim_scroll",
    "ui.tutorials.sim_type",
    "ui.tutorials.sim_triage",
    "ui.tutorials.sim_form",
    "ui.tutorials.sim_digital_key",
    "ui.tutorials.sim_attach",
)


class SimulationContext(NamedTuple):
    """What a simulated screen may use.

    `screen` is the screen's context (catalog, language, theme, panel, announce…); `text(t)` shows a tutorial text in
    the kiosk's language with the per-text fallback; `practice` is the engine's state of the current practice step
    (the fake phone's code, `FormPractice.new_flow()`…; None in a demo); `demo` is True on a demo step.
    """

    screen: ScreenContext
    practice: Practice | None = None
    demo: bool = False

    def text(self, value: Text | None) -> str:
        return value.t(self.screen.language) if value is not None else ""

    def t(self, key: str, **params: object) -> str:
        return self.screen.t(key, **params)

    def px(self, style: str = "body") -> int:
        return self.screen.px(style)


class SimulatedScreen(QWidget):
    """The base of every simulated screen (what a factory returns)."""

    def __init__(self, simulation: Simulation, context: SimulationContext, act: Act) -> None:
        super().__init__()
        self.simulation = simulation
        self.context = context
        self.act = act
        self.controls: dict[str, QWidget] = {}  # control id -> its widget (demo highlight, focus after feedback)

    def show_frame(self, frame: Frame | None) -> None:
        """A demo frame: highlight its control (None: highlight nothing). Override to show more (typed text)."""
        for control_id, widget in self.controls.items():
            on = frame is not None and control_id == frame.highlight
            if widget.property("highlighted") != on:
                widget.setProperty("highlighted", on)
                widget.style().unpolish(widget)
                widget.style().polish(widget)

    def show_feedback(self, feedback: Feedback) -> None:
        """After an action: update the simulated screen (the step renderer shows and announces the message)."""

    def control(self, control_id: str | None) -> QWidget | None:
        return self.controls.get(control_id) if control_id else None

    def first_control(self) -> QWidget | None:
        """The widget a keyboard learner starts on (the first focusable control)."""
        return next((w for w in self.controls.values() if w.focusPolicy() != Qt.FocusPolicy.NoFocus), None)

    def retranslate(self) -> None:
        """The kiosk language or text size changed: re-read the texts. Override when the screen has any."""


Factory = Callable[[Simulation, SimulationContext, Act], SimulatedScreen]


_FACTORIES: dict[str, Factory] = {}
_loaded = False


def register(kind: str, factory: Factory) -> None:
    """Make `factory` build the simulated screen of `kind` (a later registration replaces an earlier one)."""
    _FACTORIES[kind] = factory


def _load_built_in() -> None:
    global _loaded  # noqa: PLW0603 - a once-only lazy import, not state that changes
    if _loaded:
        return
    _loaded = True
    for module in _BUILT_IN:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:
            if error.name != module:  # a real import error inside a module that exists must show
                raise


def available(kind: str) -> bool:
    """Whether this kiosk can show a simulation of `kind`."""
    _load_built_in()
    return kind in _FACTORIES


def kinds() -> tuple[str, ...]:
    _load_built_in()
    return tuple(sorted(_FACTORIES))


class UnavailableScreen(SimulatedScreen):
    """A kind this kiosk has no factory for: say so plainly, and let the learner move on."""

    def __init__(self, simulation: Simulation, context: SimulationContext, act: Act) -> None:
        super().__init__(simulation, context, act)
        layout = QVBoxLayout(self)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setProperty("role", "body")
        layout.addWidget(self.label)
        self.retranslate()

    def retranslate(self) -> None:
        self.label.setText(self.context.t("tutorial.sim_unavailable"))


class PracticeFrame(QFrame):
    """The visible "practice screen" frame around a simulated screen: a banner that says nothing is sent."""

    def __init__(self, inner: SimulatedScreen, context: SimulationContext) -> None:
        super().__init__()
        self.inner = inner
        self.context = context
        self.setObjectName("practiceFrame")
        self.setProperty("role", "practice-frame")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        self.banner = QLabel()
        self.banner.setObjectName("practiceBanner")
        self.banner.setProperty("role", "practice-banner")
        self.banner.setWordWrap(True)
        self.title = QLabel()
        self.title.setProperty("role", "title")
        self.title.setWordWrap(True)
        layout.addWidget(self.banner)
        layout.addWidget(self.title)
        layout.addWidget(inner)
        if context.demo:
            _make_inert(inner)
        self.restyle()
        self.retranslate()

    def restyle(self) -> None:
        """The frame's own look, from the theme's tokens (a dashed edge: a screen inside the screen; the banner like an
        inline message; a demo's highlighted control ringed in the focus colour)."""
        theme, body = self.context.screen.theme, self.context.px()
        c = theme.tokens()
        ring = max(theme.focus_width, 4)
        self.setStyleSheet(
            f"QFrame#practiceFrame {{ border: {max(theme.border_width, 3)}px dashed {c['border']}; "
            f"background: {c['background']}; }}\n"
            f"QLabel#practiceBanner {{ background: {c['info_bg']}; color: {c['info_text']}; font-weight: bold; "
            f"padding: {body // 3}px {body // 2}px; }}\n"
            f'*[highlighted="true"] {{ border: {ring}px solid {c["focus_ring"]}; }}\n'
        )
        margin = body // 2
        layout = self.layout()
        if layout is not None:
            layout.setContentsMargins(margin, margin, margin, margin)
            layout.setSpacing(body // 2)

    def retranslate(self) -> None:
        self.banner.setText(self.context.t("tutorial.practice_banner"))
        title = self.context.text(self.inner.simulation.title)
        self.title.setText(title)
        self.title.setVisible(bool(title))
        self.setAccessibleName(self.context.t("tutorial.practice_screen"))
        self.inner.retranslate()


def _make_inert(widget: QWidget) -> None:
    """A demo is watched, not used: no tap reaches it. Its controls stay Tab stops, so a screen reader user can hear
    what the simulated screen holds; the demo's `act` does nothing."""
    widget.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)


def widget_for(simulation: Simulation, context: SimulationContext, act: Act) -> PracticeFrame:
    """The simulated screen of `simulation` inside its practice frame (`.inner` is the SimulatedScreen)."""
    _load_built_in()
    factory = _FACTORIES.get(simulation.kind, UnavailableScreen)
    return PracticeFrame(factory(simulation, context, act), context)


def sim_button(
    text: str, control_id: str, *, kind: str = "secondary", name: str | None = None, wrap: bool = False
) -> KioskButton:
    """A simulated control: a real kiosk button with the simulation's label as its accessible name; `wrap`: its label
    takes more lines when the row is too narrow (a long answer to choose, ui.wrap_button)."""
    button = WrapButton(kind) if wrap else KioskButton(kind)
    button.set_label(text)
    if name is not None:
        button.setAccessibleName(name)
    button.setObjectName(f"sim-{control_id}")
    button.setProperty("control", control_id)
    return button
