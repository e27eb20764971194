"""Learning records as xAPI-shaped statements (xAPI 1.0.3 / IEEE 9274.1.1 JSON), with a pseudonymous actor.

The actor is an account, never a person: `{"account": {"homePage": "urn:citizen-kiosk:<site>", "name": "<learner
uuid>"}}`. The object is the tutorial, `urn:citizen-kiosk:tutorial:<id>@<version>`; an "answered" statement's object is
the question inside it (`…@<version>/<question id>`, an interaction whose parent is the tutorial), so a learning record
store can report per question. Verbs are the ADL vocabulary's. Statements are stored in the kiosk's database
(tutorials.progress) and may later be sent to a learning record store; nothing in them names the learner or repeats
typed text: a response is the id of the option chosen.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any, Final

from kiosk.storage.clock import iso_utc
from tutorials.engine import LearningEvent
from tutorials.model import Tutorial

ADL_VERBS: Final = {
    verb: f"http://adlnet.gov/expapi/verbs/{verb}"
    for verb in ("attempted", "answered", "completed", "passed", "failed")
}
LESSON: Final = "http://adlnet.gov/expapi/activities/lesson"
INTERACTION: Final = "http://adlnet.gov/expapi/activities/cmi.interaction"
PLATFORM: Final = "Citizen Kiosk"


def actor(site: str, learner_uuid: str) -> dict[str, Any]:
    return {"objectType": "Agent", "account": {"homePage": f"urn:citizen-kiosk:{site}", "name": learner_uuid}}


def tutorial_activity(tutorial: Tutorial) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": tutorial.iri,
        "definition": {"type": LESSON, "name": dict(tutorial.title.values)},
    }


def envelope(
    verb: str, activity: dict[str, Any], *, learner_uuid: str, site: str, now: datetime.datetime
) -> dict[str, Any]:
    """A statement's fixed parts: a fresh id, the pseudonymous actor, the ADL verb, the object, platform and time."""
    return {
        "id": str(uuid.uuid4()),
        "actor": actor(site, learner_uuid),
        "verb": {"id": ADL_VERBS[verb], "display": {"en-US": verb}},
        "object": activity,
        "context": {"platform": PLATFORM},
        "timestamp": iso_utc(now),
    }


def statement(
    event: LearningEvent, *, tutorial: Tutorial, learner_uuid: str, site: str, now: datetime.datetime
) -> dict[str, Any]:
    """One statement for one learning event of a run."""
    body = envelope(event.verb, tutorial_activity(tutorial), learner_uuid=learner_uuid, site=site, now=now)
    result: dict[str, Any] = {}
    if event.verb == "answered" and event.question is not None:
        body["object"] = _question_activity(tutorial, event.question)
        body["context"]["contextActivities"] = {"parent": [{"objectType": "Activity", "id": tutorial.iri}]}
        result = {"success": bool(event.success), "response": event.response or ""}
    elif event.verb == "completed":
        result = {"completion": True}
    elif event.verb in ("passed", "failed"):
        result = {"success": event.verb == "passed", "completion": True}
    if event.verb in ("completed", "passed", "failed") and event.score is not None:
        result["score"] = {"scaled": round(event.score, 4)}
    if result:
        body["result"] = result
    return body


def _question_activity(tutorial: Tutorial, question_id: str) -> dict[str, Any]:
    question = next(q for q in tutorial.questions() if q.id == question_id)
    correct = next(o.id for o in question.options if o.correct)
    definition: dict[str, Any] = {
        "type": INTERACTION,
        "name": dict(question.prompt.values),
        "interactionType": "true-false" if question.kind == "true-false" else "choice",
        "correctResponsesPattern": [correct],
    }
    if question.kind != "true-false":
        definition["choices"] = [{"id": o.id, "description": dict(o.label.values)} for o in question.options]
    return {"objectType": "Activity", "id": f"{tutorial.iri}/{question.id}", "definition": definition}
