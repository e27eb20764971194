"""Tutorials as immutable values: steps of five kinds, the simulated screens practice and demo steps use, mastery.

Built only by `tutorials.build` from files that passed `tutorials/schemas/tutorial.schema.json` and the checks the
schema cannot express (ids unique, references resolve, patterns compile). Texts are the catalog's `Text` (a mapping of
languages with the kiosk's fallback), so the UI shows tutorials exactly as it shows services.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from kiosk.catalog.model import Service, Text

StepKind = Literal["explain", "demo", "practice", "check", "recap"]
SimulationKind = Literal["tap", "scroll", "type", "form", "digital-key", "triage", "attach"]
Verdict = Literal["scam", "genuine"]


@dataclass(frozen=True, slots=True)
class Control:
    """A target to tap, an item of a list or a field to type into, on a simulated screen."""

    id: str
    label: Text
    role: str = "button"
    position: str | None = None
    feedback: Text | None = None  # said when the learner picks this one but should not


@dataclass(frozen=True, slots=True)
class Mistake:
    pattern: re.Pattern[str]
    feedback: Text


@dataclass(frozen=True, slots=True)
class FieldMistake:
    """Feedback for an error on one field of a form or a digital-key screen (`code`/`pattern` None: any error)."""

    field: str
    feedback: Text
    code: str | None = None
    pattern: re.Pattern[str] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Simulation:
    kind: SimulationKind
    title: Text | None = None
    success: Text | None = None  # said when the task is done
    wrong: Text | None = None  # said after a wrong action that has no more specific feedback

    def controls(self) -> tuple[str, ...]:
        """Ids a demo frame may highlight."""
        return ()


@dataclass(frozen=True, slots=True, kw_only=True)
class TapSimulation(Simulation):
    targets: tuple[Control, ...]
    expect: str

    def controls(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.targets)


@dataclass(frozen=True, slots=True, kw_only=True)
class ScrollSimulation(Simulation):
    items: tuple[Control, ...]
    visible: int
    expect: str
    in_view: Text | None = None

    def controls(self) -> tuple[str, ...]:
        return ("list", *(i.id for i in self.items))


@dataclass(frozen=True, slots=True, kw_only=True)
class TypeSimulation(Simulation):
    fields: tuple[Control, ...]
    field: str
    expect_value: str | None = None  # exactly one of value, any, pattern
    expect_any: bool = False
    expect_pattern: re.Pattern[str] | None = None
    keyboard: str = "text"
    mistakes: tuple[Mistake, ...] = ()

    def controls(self) -> tuple[str, ...]:
        return ("keyboard", *(f.id for f in self.fields))


@dataclass(frozen=True, slots=True, kw_only=True)
class FormSimulation(Simulation):
    service: Service  # inline or a shipped practice-* service; never in the catalog, never submitted
    expect: dict[str, object] = field(default_factory=dict)
    mistakes: tuple[FieldMistake, ...] = ()

    def controls(self) -> tuple[str, ...]:
        return ("continue", "back", *(q.id for q, _ in self.service.questions()))


DIGITAL_KEY_CONTROLS = ("phone", "pin", "code", "send", "sign-in", "fake-phone")


@dataclass(frozen=True, slots=True, kw_only=True)
class DigitalKeySimulation(Simulation):
    phone_number: str  # digits only
    pin: str | None = None
    code_length: int = 6
    mistakes: tuple[FieldMistake, ...] = ()

    def controls(self) -> tuple[str, ...]:
        return DIGITAL_KEY_CONTROLS if self.pin else tuple(c for c in DIGITAL_KEY_CONTROLS if c != "pin")


@dataclass(frozen=True, slots=True)
class Message:
    id: str
    channel: str
    sender: Text
    body: Text
    verdict: Verdict
    reason: Text


@dataclass(frozen=True, slots=True, kw_only=True)
class TriageSimulation(Simulation):
    messages: tuple[Message, ...]

    def controls(self) -> tuple[str, ...]:
        return ("scam", "genuine", *(m.id for m in self.messages))


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    name: Text
    type: str
    feedback: Text | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AttachSimulation(Simulation):
    documents: tuple[Document, ...]
    expect: str
    slot: Text | None = None

    def controls(self) -> tuple[str, ...]:
        return ("folder", "attach", *(d.id for d in self.documents))


@dataclass(frozen=True, slots=True)
class Frame:
    highlight: str
    caption: Text
    gesture: str = "point"
    typed: str | None = None


@dataclass(frozen=True, slots=True)
class Option:
    id: str
    label: Text
    correct: bool
    feedback: Text


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    kind: str  # "single-choice" or "true-false"
    prompt: Text
    options: tuple[Option, ...]

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True, slots=True, kw_only=True)
class Step:
    id: str
    kind: StepKind
    title: Text
    narration: Text  # read aloud; every step has it in every language of the tutorial


@dataclass(frozen=True, slots=True, kw_only=True)
class ExplainStep(Step):
    text: Text
    picture: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DemoStep(Step):
    simulation: Simulation
    frames: tuple[Frame, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class PracticeStep(Step):
    task: Text
    simulation: Simulation
    hint: Text | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckStep(Step):
    questions: tuple[Question, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class RecapStep(Step):
    points: tuple[Text, ...]
    picture: str | None = None


@dataclass(frozen=True, slots=True)
class Mastery:
    practice: Literal["all", "none"]
    check_min_percent: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Tutorial:
    id: str
    version: str
    title: Text
    summary: Text
    estimated_minutes: int
    digcomp: tuple[str, ...]
    services: tuple[str, ...]
    life_events: tuple[str, ...]
    mastery: Mastery
    steps: tuple[Step, ...]

    @property
    def languages(self) -> tuple[str, ...]:
        """The tutorial's languages: those of its title (the checks make every text have them all)."""
        return tuple(self.title.values)

    @property
    def iri(self) -> str:
        """The activity id of learning records: changes with the version, so results of different versions differ."""
        return f"urn:citizen-kiosk:tutorial:{self.id}@{self.version}"

    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.steps if isinstance(s, CheckStep) for q in s.questions)

    def practice_steps(self) -> tuple[PracticeStep, ...]:
        return tuple(s for s in self.steps if isinstance(s, PracticeStep))

    def step_index(self, step_id: str) -> int | None:
        return next((n for n, s in enumerate(self.steps) if s.id == step_id), None)
