"""A learner's run through one tutorial: the current step, moving, practising, answering, the score and mastery.

The UI renders `run.step` and reports what the learner does: `next()`/`back()` to move, `act(action)` on a practice
step (tutorials.actions), `answer(question, option)` on a check step; each returns a `Feedback` to show. The run keeps
only what progress needs (step reached, practice steps done, the option first chosen for each question) and queues
`LearningEvent`s that `tutorials.progress.record` turns into xAPI statements.

Decisions: moving on is always allowed (a learner may skip; the mastery rule says what counts); a check question is
scored on its first answer (the feedback reveals the right one), later answers get feedback but change nothing; the
outcome (completed, then passed or failed) is reported on arriving at the last step, the recap, and again only if
it changed (a learner who goes back and finishes a practice step can pass).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Mapping
from typing import Literal, NamedTuple

from tutorials.actions import Action, Feedback
from tutorials.model import CheckStep, PracticeStep, Step, Tutorial
from tutorials.practice import Practice, practice_for

Verb = Literal["attempted", "answered", "completed", "passed", "failed"]


class LearningEvent(NamedTuple):
    verb: Verb
    question: str | None = None  # for "answered"
    response: str | None = None  # the option id chosen (never typed text)
    success: bool | None = None
    score: float | None = None  # scaled 0..1, for passed/failed


class Snapshot(NamedTuple):
    """What progress keeps of a run: enough to continue where the learner stopped."""

    tutorial_id: str
    version: str
    step_id: str
    step_index: int
    practice_done: tuple[str, ...]
    answers: Mapping[str, str]  # question id -> option id first chosen
    finished: bool  # the last step was reached
    outcome: Literal["passed", "failed"] | None
    score: float | None


class WrongStepError(RuntimeError):
    """`act` outside a practice step or `answer` outside a check step: a UI bug."""


class TutorialRun:
    def __init__(
        self,
        tutorial: Tutorial,
        *,
        today: datetime.date | None = None,
        seed: int | None = None,
        resume_from: Snapshot | None = None,
    ) -> None:
        """A fresh run (reports "attempted"), or one continuing a saved snapshot (reports nothing new).

        A snapshot of another version keeps what still fits: its step, practice steps and questions by id.
        """
        self.tutorial = tutorial
        self.today = today or datetime.date.today()
        self._rng: random.Random = random.Random(seed) if seed is not None else random.SystemRandom()
        self.index = 0
        self.practice_done: set[str] = set()
        self.answers: dict[str, str] = {}
        self._practices: dict[str, Practice] = {}
        self._events: list[LearningEvent] = []
        self._reported: Verb | None = None
        self._finished = False
        if resume_from is None:
            self._events.append(LearningEvent("attempted"))
            if self.at_last_step:  # a one-step tutorial is over as soon as it starts
                self._report_outcome()
        else:
            self._restore(resume_from)

    def _restore(self, snapshot: Snapshot) -> None:
        t = self.tutorial
        found = t.step_index(snapshot.step_id)
        self.index = found if found is not None else min(snapshot.step_index, len(t.steps) - 1)
        practice_ids = {s.id for s in t.practice_steps()}
        self.practice_done = {s for s in snapshot.practice_done if s in practice_ids}
        options = {q.id: {o.id for o in q.options} for q in t.questions()}
        self.answers = {q: o for q, o in snapshot.answers.items() if o in options.get(q, ())}
        self._finished = snapshot.finished
        self._reported = snapshot.outcome

    # Where we are ----------------------------------------------------------------------------------------------------
    @property
    def step(self) -> Step:
        return self.tutorial.steps[self.index]

    @property
    def position(self) -> tuple[int, int]:
        """(1-based number of the current step, number of steps) for "Step 3 of 7"."""
        return self.index + 1, len(self.tutorial.steps)

    @property
    def at_last_step(self) -> bool:
        return self.index == len(self.tutorial.steps) - 1

    @property
    def practice(self) -> Practice | None:
        """The state of the current practice step (the UI reads e.g. the fake phone's code or the scroll offset)."""
        step = self.step
        if not isinstance(step, PracticeStep):
            return None
        if step.id not in self._practices:
            self._practices[step.id] = practice_for(step.simulation, today=self.today, rng=self._rng)
        return self._practices[step.id]

    # Moving ----------------------------------------------------------------------------------------------------------
    def next(self) -> bool:
        """One step on; False at the last step."""
        if self.at_last_step:
            return False
        self.index += 1
        if self.at_last_step:
            self._report_outcome()
        return True

    def back(self) -> bool:
        """One step back; False at the first step."""
        if self.index == 0:
            return False
        self.index -= 1
        return True

    def go_to(self, step_id: str) -> None:
        """Straight to a step (the recap's "practise again" links)."""
        found = self.tutorial.step_index(step_id)
        if found is None:
            raise KeyError(step_id)
        self.index = found
        if self.at_last_step:
            self._report_outcome()

    # Doing -----------------------------------------------------------------------------------------------------------
    def act(self, action: Action) -> Feedback:
        """A learner action on the current practice step's simulated screen."""
        practice = self.practice
        if practice is None:
            raise WrongStepError(f"step {self.step.id!r} is a {self.step.kind}, not a practice")
        feedback = practice.act(action)
        if practice.done:
            self.practice_done.add(self.step.id)
        return feedback

    def answer(self, question_id: str, option_id: str) -> Feedback:
        """Choose an option of a question of the current check step; the option's feedback comes back."""
        step = self.step
        if not isinstance(step, CheckStep):
            raise WrongStepError(f"step {step.id!r} is a {step.kind}, not a check")
        question = next((q for q in step.questions if q.id == question_id), None)
        option = question.option(option_id) if question is not None else None
        if question is None or option is None:
            raise KeyError(f"{question_id}/{option_id}")
        if question.id not in self.answers:
            self.answers[question.id] = option.id
            self._events.append(LearningEvent("answered", question.id, option.id, option.correct))
        done = all(q.id in self.answers for q in step.questions)
        return Feedback(
            option.correct, option.feedback, done, "answer-right" if option.correct else "answer-wrong", question.id
        )

    # Results ---------------------------------------------------------------------------------------------------------
    @property
    def score(self) -> float | None:
        """Share of all check questions whose first answer was right (unanswered ones count as wrong); None if the
        tutorial has no questions."""
        questions = self.tutorial.questions()
        return self._right() / len(questions) if questions else None

    @property
    def mastered(self) -> bool:
        rule = self.tutorial.mastery
        if rule.practice == "all" and not {s.id for s in self.tutorial.practice_steps()} <= self.practice_done:
            return False
        # In whole numbers: 4 right of 5 is exactly 80 %, whatever floating point would say.
        return self._right() * 100 >= rule.check_min_percent * len(self.tutorial.questions())

    def _right(self) -> int:
        return sum(
            1
            for q in self.tutorial.questions()
            if (o := q.option(self.answers.get(q.id, ""))) is not None and o.correct
        )

    @property
    def finished(self) -> bool:
        return self._finished

    def snapshot(self) -> Snapshot:
        outcome: Literal["passed", "failed"] | None = None
        if self._reported in ("passed", "failed"):
            outcome = "passed" if self._reported == "passed" else "failed"
        return Snapshot(
            self.tutorial.id,
            self.tutorial.version,
            self.step.id,
            self.index,
            tuple(sorted(self.practice_done)),
            dict(self.answers),
            self._finished,
            outcome,
            self.score,
        )

    def drain_events(self) -> list[LearningEvent]:
        """The events since the last call, oldest first (progress.record stores them)."""
        events, self._events = self._events, []
        return events

    def _report_outcome(self) -> None:
        verdict: Verb = "passed" if self.mastered else "failed"
        if not self._finished:
            self._finished = True
            self._events.append(LearningEvent("completed", score=self.score))
        if verdict != self._reported:
            self._reported = verdict
            self._events.append(LearningEvent(verdict, success=verdict == "passed", score=self.score))
