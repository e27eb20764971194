"""The demo and practice steps of the tutorial-step page: the simulated screen (ui.tutorials.simulations), its feedback.

- demo: the simulated screen, inert, one frame at a time: "Next frame"/"Previous frame" move the highlight and the
  caption. Nothing moves by itself: no step is timed and nothing advances without the learner;
- practice: the task, the simulated screen in its "Practice — nothing is sent" frame, the feedback under it (announced
  assertively; focus goes where the feedback points), and "Show me a hint".

Apart from ui.screens.tutorial_step because these are the two step kinds that hold a simulated screen: what the
learner does on it goes to the engine (`TutorialRun.act`) and never reaches the outbox, a service or the network.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from tutorials.actions import Action, Feedback
from tutorials.model import DemoStep, PracticeStep
from ui.screens.browse_parts import InlineMessage
from ui.screens.form_parts import FormPage
from ui.screens.tutorial_step_state import TutorialStepState
from ui.tutorials.simulations import SimulationContext, widget_for

if TYPE_CHECKING:
    from tutorials.engine import TutorialRun


class PracticeParts(TutorialStepState):
    """Renders demo and practice steps and acts on what the learner does with their simulated screen."""

    def _demo(self, page: FormPage, step: DemoStep) -> None:
        t = self.context.t
        page.label(t("tutorial.demo.lead"), "muted")
        self.frame = widget_for(step.simulation, SimulationContext(self.context, demo=True), _no_action)
        page.column.addWidget(self.frame)
        frames = step.frames
        index = min(self.frame_index, len(frames) - 1) if frames else 0
        if frames:
            self.frame.inner.show_frame(frames[index])
            page.label(t("tutorial.demo.frame_of", number=index + 1, total=len(frames)), "muted")
            self.caption = page.label(self.text(frames[index].caption), "title")
        previous = page.button(t("tutorial.demo.previous"), lambda: self.move_frame(-1))
        following = page.button(t("tutorial.demo.next"), lambda: self.move_frame(1))
        previous.setEnabled(index > 0)
        following.setEnabled(index < len(frames) - 1)
        self.frame_buttons = (previous, following)
        page.row(previous, following)

    def _practice(self, page: FormPage, step: PracticeStep, run: TutorialRun) -> None:
        context, t = self.context, self.context.t
        page.label(t("tutorial.practice.task"), "h2")
        page.label(self.text(step.task))
        sim_context = SimulationContext(context, practice=run.practice)
        self.frame = widget_for(step.simulation, sim_context, self.act)
        page.column.addWidget(self.frame)
        self.feedback_box = InlineMessage(context, icon="info")
        page.column.addWidget(self.feedback_box)
        last = self.feedback.get(step.id)
        if last is None and step.id in run.practice_done:
            last = Feedback(True, step.simulation.success, True, "done")
        self._show_feedback(last)
        if step.hint is not None:
            self.hint_box = InlineMessage(context, icon="help")
            self.hint_box.set_text(self.text(step.hint))
            page.column.addWidget(self.hint_box)
            self.hint_box.setVisible(step.id in self.hints)
            self.hint_button = page.button(t("tutorial.practice.hint"), self.show_hint)
            page.row(self.hint_button)

    def _show_feedback(self, feedback: Feedback | None) -> None:
        box = self.feedback_box
        if box is None:
            return
        box.setVisible(feedback is not None)
        if feedback is None:
            return
        self.show_feedback_in(box, feedback, "tutorial.not_yet")

    def act(self, action: Action) -> Feedback:
        """What the learner did on the simulated screen: the engine judges it, the page shows and says why."""
        run = self.run
        assert run is not None
        step = run.step
        was_done = step.id in run.practice_done
        feedback = run.act(action)
        self.feedback[step.id] = feedback
        if self.frame is not None:
            self.frame.inner.show_feedback(feedback)
        self._show_feedback(feedback)
        if step.id in run.practice_done and not was_done:
            self.learning.save()
        if self.feedback_box is not None:
            self.context.announce(self.feedback_box, self.feedback_box.text.text(), assertive=True)
            self.scroll_area.ensureWidgetVisible(self.feedback_box)
        if feedback.done and self.next_button is not None:
            self.next_button.setFocus(Qt.FocusReason.OtherFocusReason)
        elif self.frame is not None:
            target = self.frame.inner.control(feedback.control)
            if target is not None and target.isVisible() and target.focusPolicy() != Qt.FocusPolicy.NoFocus:
                target.setFocus(Qt.FocusReason.OtherFocusReason)
        return feedback

    def show_hint(self) -> None:
        run = self.run
        if run is None or self.hint_box is None:
            return
        self.hints.add(run.step.id)
        self.hint_box.setVisible(True)
        self.context.announce(self.hint_box, self.hint_box.text.text(), assertive=True)
        self.scroll_area.ensureWidgetVisible(self.hint_box)

    def move_frame(self, delta: int) -> None:
        run = self.run
        if run is None or not isinstance(run.step, DemoStep):
            return
        self.frame_index = max(0, min(self.frame_index + delta, len(run.step.frames) - 1))
        self.render_page()
        if self.frame_buttons is not None:
            previous, following = self.frame_buttons
            (following if delta > 0 and following.isEnabled() else previous).setFocus(Qt.FocusReason.OtherFocusReason)
            if not (previous.hasFocus() or following.hasFocus()):
                (previous if previous.isEnabled() else following).setFocus(Qt.FocusReason.OtherFocusReason)
        if self.caption is not None:
            self.context.announce(self.caption, self.caption.text())


def _no_action(_action: Action) -> Feedback:
    """A demo is watched, not used: Enter on one of its controls changes nothing."""
    return Feedback(False, None, False, "demo")
