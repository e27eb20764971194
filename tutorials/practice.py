"""One state machine per simulated screen: it judges the learner's actions and says what to tell them.

Nothing here has a clock (no step is timed), a database or a network: the `form` simulation replays the answers
through the kiosk's real form engine (`kiosk.forms`) in memory and never reaches the outbox. Typed text is compared
and forgotten; only "done" and the number of wrong actions remain.
"""

from __future__ import annotations

import datetime
import random

from kiosk.catalog.plain_language import fold
from kiosk.forms.answers_file import fill
from kiosk.forms.flow import Flow
from tutorials.actions import Action, Attached, Feedback, FormSubmitted, Marked, Scrolled, Tap, Typed
from tutorials.build import MAX_INPUT
from tutorials.model import (
    AttachSimulation,
    Control,
    DigitalKeySimulation,
    FieldMistake,
    FormSimulation,
    ScrollSimulation,
    Simulation,
    TapSimulation,
    TriageSimulation,
    TypeSimulation,
)


class Practice:
    """The state of one practice step; `act` judges an action. Once done it stays done."""

    def __init__(self, simulation: Simulation) -> None:
        self.simulation = simulation
        self.done = False
        self.wrong_actions = 0  # a count only, for "needs help"; never what was done

    def act(self, action: Action) -> Feedback:
        feedback = self._judge(action)
        if feedback.done:
            self.done = True
        elif not feedback.correct:
            self.wrong_actions += 1
        return feedback

    def _judge(self, action: Action) -> Feedback:
        return self.wrong()

    def success(self) -> Feedback:
        return Feedback(True, self.simulation.success, True, "done")

    def wrong(self, control: str | None = None) -> Feedback:
        return Feedback(False, self.simulation.wrong, self.done, "wrong", control)

    def not_this(self, chosen: Control | None) -> Feedback:
        if chosen is not None and chosen.feedback is not None:
            return Feedback(False, chosen.feedback, self.done, "not-this", chosen.id)
        return self.wrong(chosen.id if chosen else None)


class TapPractice(Practice):
    simulation: TapSimulation

    def _judge(self, action: Action) -> Feedback:
        if not isinstance(action, Tap):
            return self.wrong()
        if action.target == self.simulation.expect:
            return self.success()
        return self.not_this(next((t for t in self.simulation.targets if t.id == action.target), None))


class ScrollPractice(Practice):
    simulation: ScrollSimulation

    def __init__(self, simulation: ScrollSimulation) -> None:
        super().__init__(simulation)
        self.first_visible = 0

    def in_view(self, item_id: str) -> bool:
        ids = [i.id for i in self.simulation.items]
        return item_id in ids[self.first_visible : self.first_visible + self.simulation.visible]

    def _judge(self, action: Action) -> Feedback:
        sim = self.simulation
        if isinstance(action, Scrolled):
            was = self.in_view(sim.expect)
            self.first_visible = max(0, min(action.first_visible, len(sim.items) - sim.visible))
            if self.in_view(sim.expect) and not was:
                return Feedback(True, sim.in_view, self.done, "in-view", sim.expect)
            return Feedback(True, None, self.done, "scrolled")
        if not isinstance(action, Tap):
            return self.wrong()
        if not self.in_view(action.target):
            return Feedback(False, None, self.done, "not-in-view", action.target)
        if action.target == sim.expect:
            return self.success()
        return self.not_this(next((i for i in sim.items if i.id == action.target), None))


def _same_text(a: str, b: str) -> bool:
    """Equal ignoring case, accents and extra spaces: a beginner on a touch keyboard is not tested on accents."""
    return " ".join(fold(a).split()) == " ".join(fold(b).split())


class TypePractice(Practice):
    simulation: TypeSimulation

    def _judge(self, action: Action) -> Feedback:
        sim = self.simulation
        if not isinstance(action, Typed):
            return self.wrong()
        if action.field != sim.field:
            return self.not_this(next((f for f in sim.fields if f.id == action.field), None))
        text = action.text.strip()[:MAX_INPUT]
        if self._expected(text):
            return self.success()
        for mistake in sim.mistakes:
            if mistake.pattern.fullmatch(text):
                return Feedback(False, mistake.feedback, self.done, "mistake", sim.field)
        if not text:
            return Feedback(False, sim.wrong, self.done, "empty", sim.field)
        return self.wrong(sim.field)

    def _expected(self, text: str) -> bool:
        sim = self.simulation
        if sim.expect_value is not None:
            return _same_text(text, sim.expect_value)
        if sim.expect_pattern is not None:
            return sim.expect_pattern.fullmatch(text) is not None
        return bool(text)


class FormPractice(Practice):
    simulation: FormSimulation

    def __init__(self, simulation: FormSimulation, today: datetime.date) -> None:
        super().__init__(simulation)
        self.today = today

    def new_flow(self) -> Flow:
        """A fresh flow of the practice form, for the UI to show with the real question screens."""
        return Flow(self.simulation.service, today=self.today)

    def _judge(self, action: Action) -> Feedback:
        sim = self.simulation
        if not isinstance(action, FormSubmitted):
            return self.wrong()
        result = fill(sim.service, action.answers, today=self.today)
        if result.errors:
            error = result.errors[0][1]
            return self._about(error.question_id, error.code, "form-error")
        if not result.ok:  # stopped before the check page: a page was left out
            return self.wrong()
        answers = result.flow.final_answers()
        for key, value in sim.expect.items():
            if answers.get(key) != value:
                return self._about(key, "expect", "form-expect")
        return self.success()

    def _about(self, question_id: str, code: str, key: str) -> Feedback:
        for mistake in self.simulation.mistakes:
            if mistake.field == question_id and mistake.code in (None, code):
                return Feedback(False, mistake.feedback, self.done, key, question_id)
        return Feedback(False, self.simulation.wrong, self.done, key, question_id)


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


class DigitalKeyPractice(Practice):
    """Phone number (and PIN) first; then the fake phone shows a fresh one-time code to type in the code field."""

    simulation: DigitalKeySimulation

    def __init__(self, simulation: DigitalKeySimulation, rng: random.Random) -> None:
        super().__init__(simulation)
        self.one_time_code = "".join(str(rng.randrange(10)) for _ in range(simulation.code_length))
        self.phone_ok = False
        self.pin_ok = simulation.pin is None

    @property
    def code_sent(self) -> bool:
        """Whether the fake phone shows the code now."""
        return self.phone_ok and self.pin_ok

    def _judge(self, action: Action) -> Feedback:
        sim = self.simulation
        if not isinstance(action, Typed) or action.field not in ("phone", "pin", "code"):
            return self.wrong()
        text = action.text.strip()[:MAX_INPUT]
        if action.field == "code":
            if not self.code_sent:
                return Feedback(False, None, self.done, "code-not-sent", "phone" if not self.phone_ok else "pin")
            return self.success() if _digits(text) == self.one_time_code else self._mistake("code", text)
        if action.field == "phone":
            digits = _digits(text)
            digits = digits[3:] if digits.startswith("351") and len(digits) == 12 else digits  # +351 may be typed
            if digits != sim.phone_number:
                return self._mistake("phone", text)
            self.phone_ok = True
        else:
            if text != sim.pin:
                return self._mistake("pin", text)
            self.pin_ok = True
        key = "code-sent" if self.code_sent else f"{action.field}-ok"
        return Feedback(True, None, self.done, key, "fake-phone" if self.code_sent else action.field)

    def _mistake(self, field: str, text: str) -> Feedback:
        for mistake in self.simulation.mistakes:
            if _matches(mistake, field, text):
                return Feedback(False, mistake.feedback, self.done, "mistake", field)
        return self.wrong(field)


def _matches(mistake: FieldMistake, field: str, text: str) -> bool:
    return mistake.field == field and (mistake.pattern is None or mistake.pattern.fullmatch(text) is not None)


class TriagePractice(Practice):
    """Done when every message is marked rightly; the message's reason is said either way."""

    simulation: TriageSimulation

    def __init__(self, simulation: TriageSimulation) -> None:
        super().__init__(simulation)
        self.marked: dict[str, str] = {}  # message id -> the learner's latest verdict

    def _judge(self, action: Action) -> Feedback:
        if not isinstance(action, Marked):
            return self.wrong()
        message = next((m for m in self.simulation.messages if m.id == action.message), None)
        if message is None:
            return self.wrong()
        self.marked[message.id] = action.verdict
        right = action.verdict == message.verdict
        all_right = all(self.marked.get(m.id) == m.verdict for m in self.simulation.messages)
        return Feedback(
            right, message.reason, self.done or all_right, "marked-right" if right else "marked-wrong", message.id
        )


class AttachPractice(Practice):
    simulation: AttachSimulation

    def _judge(self, action: Action) -> Feedback:
        sim = self.simulation
        if not isinstance(action, Attached):
            return self.wrong()
        if action.document == sim.expect:
            return self.success()
        chosen = next((d for d in sim.documents if d.id == action.document), None)
        if chosen is not None and chosen.feedback is not None:
            return Feedback(False, chosen.feedback, self.done, "not-this", chosen.id)
        return self.wrong(action.document)


def practice_for(simulation: Simulation, *, today: datetime.date, rng: random.Random) -> Practice:
    if isinstance(simulation, FormSimulation):
        return FormPractice(simulation, today)
    if isinstance(simulation, DigitalKeySimulation):
        return DigitalKeyPractice(simulation, rng)
    for model, practice in _PRACTICES:
        if isinstance(simulation, model):
            return practice(simulation)
    raise ValueError(f"no practice for a {simulation.kind!r} simulation")  # a placeholder of a broken file


_PRACTICES: tuple[tuple[type[Simulation], type[Practice]], ...] = (
    (TapSimulation, TapPractice),
    (ScrollSimulation, ScrollPractice),
    (TypeSimulation, TypePractice),
    (TriageSimulation, TriagePractice),
    (AttachSimulation, AttachPractice),
)
