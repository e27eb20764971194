"""One step of a tutorial, rendered from its data: explain, demo, practice, check or recap (tutorials.model).

The page: the tutorial's name and "Step 3 of 7", the step's title, "Read this step aloud" (the step's narration, in the
language it is written in, through the announcer), "Ask the trainer for help" when the learner is in a group session
today (it raises their flag on the trainer's screen and resets nothing: ui.tutorials.trainer_parts.LearnerRecords), the
step itself, then "Previous step" and "Next step". Progress is
saved at every move, every answer and every finished practice (`Learning.save`), so the learner code resumes it.

- explain: the text and its picture (ui.tutorials.pictures);
- demo: the simulated screen, inert, one frame at a time: "Next frame"/"Previous frame" move the highlight and the
  caption. Nothing moves by itself: no step is timed and nothing advances without the learner;
- practice: the task, the simulated screen in its "Practice — nothing is sent" frame (ui.tutorials.simulations), the
  feedback under it (announced assertively; focus goes where the feedback points), and "Show me a hint";
- check: each question as a radio group (one Tab stop, arrows inside) with "Check my answer" and the chosen option's
  feedback;
- recap: the points to remember and, once the run is finished, the outcome in plain words, "Print my record of
  learning" (a slip with the competences covered) and "Practise again".

The page is rebuilt on each change of step, language or text size (as the form pages are), so the focus order is the
order on screen. The simulated screen reports what the learner did to the engine (`TutorialRun.act`) and never
reaches the outbox, a service or the network.
"""

from __future__ import annotations

import datetime as dt
import functools
import sqlite3
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QButtonGroup, QFrame, QLabel, QVBoxLayout, QWidget

from accessibility.speech import Utterance
from kiosk.catalog.model import Text
from tutorials.actions import Action, Feedback
from tutorials.model import CheckStep, DemoStep, ExplainStep, PracticeStep, Question, RecapStep
from ui.forms.base import plain_label
from ui.forms.painted import RadioOption
from ui.screens.base import Screen, ScreenContext
from ui.screens.browse_parts import BulletList, InlineMessage
from ui.screens.draft_parts import code_text
from ui.screens.form_parts import FormPage, replace_page
from ui.tutorials.learning import Learning
from ui.tutorials.pictures import picture_label
from ui.tutorials.simulations import PracticeFrame, SimulationContext, widget_for

if TYPE_CHECKING:
    from tutorials.engine import TutorialRun
    from ui.tutorials.trainer_parts import LearnerRecords
    from ui.widgets import KioskButton

LEARN_HOME = "learn-home"


class TutorialStepScreen(Screen):
    """`practice_only`: the `practice` screen, which opens on the run's first practice step not yet done. `records`:
    group sessions on this kiosk (None: no "Ask the trainer for help")."""

    def __init__(
        self,
        context: ScreenContext,
        learning: Learning,
        *,
        practice_only: bool = False,
        records: LearnerRecords | None = None,
    ) -> None:
        super().__init__(context)
        self.learning = learning
        self.records = records
        self.help_button: KioskButton | None = None
        self.help_box: InlineMessage | None = None
        self.help_key: str | None = None
        self._in_group: dict[str, bool] = {}  # learner uuid -> in a group session today (asked once per learner)
        learning.follow(context.session)
        self.practice_only = practice_only
        self.page: FormPage | None = None
        self.heading: QLabel | None = None
        self.position_label: QLabel | None = None
        self.read_button: KioskButton | None = None
        self.previous_button: KioskButton | None = None
        self.next_button: KioskButton | None = None
        self.frame: PracticeFrame | None = None
        self.feedback_box: InlineMessage | None = None
        self.hint_button: KioskButton | None = None
        self.hint_box: InlineMessage | None = None
        self.frame_buttons: tuple[KioskButton, KioskButton] | None = None
        self.caption: QLabel | None = None
        self.groups: dict[str, tuple[QButtonGroup, dict[str, RadioOption]]] = {}
        self.check_buttons: dict[str, KioskButton] = {}
        self.answer_boxes: dict[str, InlineMessage] = {}
        self.print_button: KioskButton | None = None
        self.print_key: str | None = None
        self.finish_button: KioskButton | None = None
        # What the page shows beyond the run's own state, per step: the demo frame, the last feedback, the hint.
        self.frame_index = 0
        self.feedback: dict[str, Feedback] = {}
        self.hints: set[str] = set()
        self.choices: dict[str, str] = {}  # question id -> option id chosen (the engine keeps only the first)
        self.answered: dict[str, Feedback] = {}
        self._step_id: str | None = None
        self._run_seen: object = None

    @property
    def run(self) -> TutorialRun | None:
        run = self.learning.current_run()
        if run is not self._run_seen:  # another tutorial, or another learner: nothing shown before applies
            self._run_seen, self._step_id = run, None
            self.feedback, self.hints, self.choices, self.answered = {}, set(), {}, {}
            self.print_key = None
        return run

    def can_show(self) -> bool:
        return self.run is not None

    def on_shown(self) -> None:
        run = self.run
        if run is None:
            return
        if self.practice_only and run.step.kind != "practice":
            steps = run.tutorial.practice_steps()
            target = next((s for s in steps if s.id not in run.practice_done), steps[0] if steps else None)
            if target is not None:
                run.go_to(target.id)
        if run.step.id != self._step_id:
            self._enter_step()
        self.render_page()

    def on_retranslate(self) -> None:
        if self.run is not None:
            self.render_page()

    def on_restyle(self) -> None:
        self.on_retranslate()

    def first_focus(self) -> QWidget | None:
        run = self.run
        if run is None:
            return None
        step = run.step
        if isinstance(step, PracticeStep) and self.frame is not None and step.id not in run.practice_done:
            return self.frame.inner.first_control() or self.next_button
        if isinstance(step, DemoStep) and self.frame_buttons is not None:
            return self.frame_buttons[1]
        if isinstance(step, CheckStep) and self.groups:
            first = next(iter(self.groups.values()))
            options = list(first[1].values())
            chosen = first[0].checkedButton()
            return chosen or (options[0] if options else None)
        if isinstance(step, RecapStep) and self.finish_button is not None:
            return self.finish_button
        return self.next_button

    # Rendering -------------------------------------------------------------------------------------------------------
    def text(self, value: Text | None) -> str:
        return value.t(self.context.language) if value is not None else ""

    def render_page(self) -> None:
        run = self.run
        if run is None:
            return
        context, t = self.context, self.context.t
        step = run.step
        page = FormPage(context)
        page.back_row(self.go_back)
        self.frame = self.feedback_box = self.hint_button = self.hint_box = None
        self.frame_buttons = self.caption = None
        self.groups, self.check_buttons, self.answer_boxes = {}, {}, {}
        self.print_button = self.finish_button = None
        page.label(self.text(run.tutorial.title), "muted")
        number, total = run.position
        self.position_label = page.label(t("tutorial.step_of", number=number, total=total), "title")
        self.heading = page.label(self.text(step.title), "h1")
        self.read_button = page.button(t("tutorial.read_aloud"), self.read_aloud)
        self.help_button = self.help_box = None
        if self.in_group():
            self.help_button = page.button(t("tutorial.help.ask"), self.ask_for_help)
            page.row(self.read_button, self.help_button)
            self.help_box = InlineMessage(context, icon="help")
            page.column.addWidget(self.help_box)
            self.help_box.setVisible(self.help_key is not None)
            if self.help_key is not None:
                self.help_box.set_text(t(self.help_key))
        else:
            page.row(self.read_button)
        if isinstance(step, ExplainStep):
            page.label(self.text(step.text))
            page.column.addWidget(picture_label(context, step.picture), 0, Qt.AlignmentFlag.AlignHCenter)
        elif isinstance(step, DemoStep):
            self._demo(page, step)
        elif isinstance(step, PracticeStep):
            self._practice(page, step, run)
        elif isinstance(step, CheckStep):
            self._check(page, step, run)
        elif isinstance(step, RecapStep):
            self._recap(page, step, run)
        self._navigation(page, run)
        page.finish()
        replace_page(self.body, self.page, page)
        self.page = page
        self.set_page_title(f"{self.text(step.title)} · {t('tutorial.step_of', number=number, total=total)}")

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

    def _check(self, page: FormPage, step: CheckStep, run: TutorialRun) -> None:
        for question in step.questions:
            self._question(page, question)

    def _question(self, page: FormPage, question: Question) -> None:
        context, t = self.context, self.context.t
        group_frame = QFrame()
        group_frame.setProperty("role", "form-group")
        column = QVBoxLayout(group_frame)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(max(context.panel.min_gap_px, context.px() // 2))  # options are targets: 3 mm apart
        prompt = self.text(question.prompt)
        label = plain_label("h2")
        label.setText(prompt)
        column.addWidget(label)
        group = QButtonGroup(group_frame)
        options: dict[str, RadioOption] = {}
        for option in question.options:
            radio = RadioOption()
            radio.set_texts(self.text(option.label))
            radio.setAccessibleDescription(prompt)
            radio.apply_metrics(context)
            radio.setChecked(self.choices.get(question.id) == option.id)
            radio.enter_pressed.connect(functools.partial(self.check_answer, question))
            group.addButton(radio)
            column.addWidget(radio, 0, Qt.AlignmentFlag.AlignLeading)
            options[option.id] = radio
        page.column.addWidget(group_frame)
        button = page.button(t("tutorial.check.button"), functools.partial(self.check_answer, question))
        page.row(button)
        box = InlineMessage(context, icon="info")
        page.column.addWidget(box)
        self.groups[question.id] = (group, options)
        self.check_buttons[question.id] = button
        self.answer_boxes[question.id] = box
        self._show_answer(question.id)

    def _recap(self, page: FormPage, step: RecapStep, run: TutorialRun) -> None:
        context, t = self.context, self.context.t
        points = BulletList(context)
        points.set_items([self.text(point) for point in step.points])
        page.column.addWidget(points)
        if step.picture is not None:
            page.column.addWidget(picture_label(context, step.picture), 0, Qt.AlignmentFlag.AlignHCenter)
        page.label(t("tutorial.recap.done"), "h2")
        page.label(self.outcome_text(run))
        code = self.learning.code
        if code is not None:
            page.label(t("tutorial.recap.code", code=code_text(code, context.rtl)))
        status = InlineMessage(context, icon="receipt")
        page.column.addWidget(status)
        status.setVisible(self.print_key is not None)
        if self.print_key is not None:
            status.set_text(t(self.print_key))
        self.print_button = page.button(t("tutorial.recap.print"), self.print_record)
        buttons = [self.print_button]
        if any(s.id not in run.practice_done for s in run.tutorial.practice_steps()):
            buttons.append(page.button(t("tutorial.recap.practise_again"), self.practise_again))
        page.row(*buttons)

    def _navigation(self, page: FormPage, run: TutorialRun) -> None:
        t = self.context.t
        self.previous_button = page.button(t("tutorial.previous"), self.previous_step)
        self.previous_button.setEnabled(run.index > 0)
        if run.at_last_step:
            self.next_button = None
            self.finish_button = page.button(t("tutorial.finish"), self.finish, kind="primary")
            page.row(self.finish_button, self.previous_button)
        else:
            self.next_button = page.button(t("tutorial.next"), self.next_step, kind="primary")
            page.row(self.next_button, self.previous_button)

    def outcome_text(self, run: TutorialRun) -> str:
        """The mastery result in plain words."""
        t = self.context.t
        questions = len(run.tutorial.questions())
        right = round((run.score or 0) * questions)
        practices = run.tutorial.practice_steps()
        done = sum(1 for s in practices if s.id in run.practice_done)
        parts = [t("tutorial.recap.practice_count", done=done, total=len(practices))]
        if questions:
            parts.append(t("tutorial.recap.question_count", right=right, total=questions))
        rule = run.tutorial.mastery
        verdict = "tutorial.recap.passed" if run.mastered else "tutorial.recap.not_yet"
        parts.append(t(verdict, percent=rule.check_min_percent))
        return " ".join(parts)

    # Feedback --------------------------------------------------------------------------------------------------------
    def feedback_text(self, feedback: Feedback) -> str:
        if feedback.message is not None:
            return self.text(feedback.message)
        return self.context.t(f"tutorial.feedback.{feedback.key}")

    def _show_feedback(self, feedback: Feedback | None) -> None:
        box = self.feedback_box
        if box is None:
            return
        box.setVisible(feedback is not None)
        if feedback is None:
            return
        mark = self.context.t("tutorial.right" if feedback.correct else "tutorial.not_yet")
        box.set_text(f"{mark} {self.feedback_text(feedback)}")
        box.icon_name = "check" if feedback.correct else "warning"
        box.restyle()

    def _show_answer(self, question_id: str) -> None:
        box = self.answer_boxes.get(question_id)
        feedback = self.answered.get(question_id)
        if box is None:
            return
        box.setVisible(feedback is not None or question_id in self.choices)
        if feedback is None:
            if question_id in self.choices:
                box.set_text(self.context.t("tutorial.check.choose"))
            return
        mark = self.context.t("tutorial.right" if feedback.correct else "tutorial.not_quite")
        box.set_text(f"{mark} {self.feedback_text(feedback)}")
        box.icon_name = "check" if feedback.correct else "warning"
        box.restyle()

    # Acting ----------------------------------------------------------------------------------------------------------
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

    def check_answer(self, question: Question) -> None:
        run = self.run
        group = self.groups.get(question.id)
        if run is None or group is None:
            return
        chosen = next((oid for oid, radio in group[1].items() if radio.isChecked()), None)
        box = self.answer_boxes[question.id]
        if chosen is None:
            box.set_text(self.context.t("tutorial.check.choose"))
            box.setVisible(True)
            self.context.announce(box, box.text.text(), assertive=True)
            return
        self.choices[question.id] = chosen
        self.answered[question.id] = run.answer(question.id, chosen)
        self.learning.save()
        self._show_answer(question.id)
        self.context.announce(box, box.text.text(), assertive=True)
        self.scroll_area.ensureWidgetVisible(box)

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

    def in_group(self) -> bool:
        """The learner of this session is in a group session on this kiosk today (asked once per learner)."""
        learner = self.learning.learner
        if self.records is None or learner is None:
            return False
        if learner.uuid not in self._in_group:
            try:
                self._in_group[learner.uuid] = self.records.in_group_today(learner)
            except (OSError, sqlite3.Error):
                return False
        return self._in_group[learner.uuid]

    def ask_for_help(self) -> None:
        """Raise the learner's flag on the trainer's screen; nothing of the run changes."""
        learner = self.learning.learner
        if self.records is None or learner is None:
            return
        try:
            asked = self.records.ask_for_help(learner) > 0
        except (OSError, sqlite3.Error):
            asked = False
        self.help_key = "tutorial.help.asked" if asked else "tutorial.help.not_sent"
        self.render_page()
        if self.help_button is not None:
            self.help_button.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.help_box is not None:
            self.context.announce(self.help_box, self.help_box.text.text(), assertive=True)

    def read_aloud(self) -> None:
        run = self.run
        if run is None or self.heading is None:
            return
        found = run.step.narration.get(self.context.language)
        self.context.announce(self.heading, [Utterance(found.text, found.lang)], always_speak=True)

    def _enter_step(self) -> None:
        run = self.run
        assert run is not None
        self._step_id = run.step.id
        self.frame_index = 0
        self.help_key = None
        self.learning.save()

    def _moved(self) -> None:
        self._enter_step()
        self.render_page()
        self.scroll_area.verticalScrollBar().setValue(0)
        focus = self.first_focus()
        if focus is not None:
            focus.setFocus(Qt.FocusReason.OtherFocusReason)
        run = self.run
        if run is not None and self.heading is not None and self.position_label is not None:
            found = run.step.narration.get(self.context.language)
            title = f"{self.position_label.text()}. {self.heading.text()}"
            spoken = [Utterance(title, self.context.language), Utterance(found.text, found.lang)]
            self.context.announce(self.heading, title, spoken=spoken)

    def next_step(self) -> None:
        run = self.run
        if run is not None and run.next():
            self._moved()

    def previous_step(self) -> None:
        run = self.run
        if run is not None and run.back():
            self._moved()

    def open_step(self, step_id: str, tutorial_id: str | None = None) -> None:
        """Show a step straight away (pictures and checks of each step kind), opening `tutorial_id` first if given."""
        if tutorial_id is not None:
            self.learning.start(tutorial_id)
        run = self.run
        if run is not None:
            run.go_to(step_id)
            self._moved()

    def practise_again(self) -> None:
        run = self.run
        if run is None:
            return
        target = next((s for s in run.tutorial.practice_steps() if s.id not in run.practice_done), None)
        if target is not None:
            run.go_to(target.id)
            self._moved()

    def print_record(self) -> None:
        run, code = self.run, self.learning.code
        if run is None or code is None:
            return
        from ui.tutorials.slips import build_record_slip

        context = self.context
        slip = build_record_slip(
            run.tutorial,
            code,
            self.outcome_text(run),
            context.language,
            context.t,
            site_name=context.site.name,
            kiosk_id=context.site.kiosk_id,
            printed_at=dt.datetime.now(dt.UTC),
        )
        self.print_key = "learn.code.printed" if context.print_receipt(slip) else "learn.code.no_printer"
        self.render_page()
        if self.print_button is not None:
            self.print_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def finish(self) -> None:
        self.learning.save()
        self.context.navigate(LEARN_HOME)

    def go_back(self) -> None:
        self.learning.save()
        self.context.back()


def _no_action(_action: Action) -> Feedback:
    """A demo is watched, not used: Enter on one of its controls changes nothing."""
    return Feedback(False, None, False, "demo")
