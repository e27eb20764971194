"""What the UI reports a learner did on a simulated screen, and what the engine answers.

The UI never judges an action: it reports one of these small values and shows the `Feedback` it gets back. Typed
text and form answers are held only for the call that judges them (their repr hides them, so a log line or a
traceback never shows what a learner typed).

Feedback keys (the UI may pick a generic string for one when `message` is None):
`done` the task is done · `wrong` a wrong action with no more specific feedback · `not-this` a control, item, field or
document that is not the one (its own feedback) · `mistake` a common wrong input · `empty` nothing typed ·
`not-in-view` an item that is not scrolled into view · `in-view` the item to find is now visible · `scrolled` ·
`code-sent` the fake phone now shows the one-time code · `phone-ok` / `pin-ok` a first field is right · `code-not-sent`
the code was typed before the phone number · `form-error` the form engine refused an answer (`control` is the
question) · `form-expect` an accepted answer that is not the one the task asked for · `marked-right` / `marked-wrong` a
message marked (its reason is the message) · `answer-right` / `answer-wrong` a check question answered.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

from kiosk.catalog.model import Text
from tutorials.model import Verdict


@dataclass(frozen=True, slots=True)
class Tap:
    target: str


@dataclass(frozen=True, slots=True)
class Typed:
    field: str
    text: str = dataclasses.field(repr=False)


@dataclass(frozen=True, slots=True)
class Scrolled:
    first_visible: int  # index of the first item in view after scrolling


@dataclass(frozen=True, slots=True)
class Marked:
    message: str
    verdict: Verdict


@dataclass(frozen=True, slots=True)
class Attached:
    document: str


@dataclass(frozen=True, slots=True)
class FormSubmitted:
    answers: Mapping[str, object] = dataclasses.field(repr=False)  # as an answers file: Flow.final_answers() gives them


Action = Tap | Typed | Scrolled | Marked | Attached | FormSubmitted


@dataclass(frozen=True, slots=True)
class Feedback:
    correct: bool
    message: Text | None  # the tutorial's own words for this case; None: the UI's generic text for `key`
    done: bool  # the practice step (or the check step's questions) is complete
    key: str
    control: str | None = None  # the control, field or question it is about (the UI moves focus there)
