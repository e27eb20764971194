"""Loading a folder of tutorials: every file checked on its own, so one bad file never hides the others.

Layout (the shipped tutorials are `tutorials/content/`):

    <id>.json                    one tutorial per file, named after its id
    practice/practice-<x>.json   practice forms (service definitions) the `form` simulation may name; never part of
                                 the service catalog, never submitted

A file with a problem (unreadable, not JSON, against the schema, a failed check of `tutorials.build`) is named in a
`Problem` with the place inside it and left out; the others load. Links to catalog services and life events are
checked separately (`link_problems`), against the catalog the caller has: a tutorial whose link is missing from one
site's catalog still teaches, the screen just shows no link.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from jsonschema import Draft202012Validator

from kiosk.catalog.checks import plain_language_warnings
from kiosk.catalog.loader import MAX_FILE_BYTES, Problem
from kiosk.catalog.model import Service, Text
from kiosk.catalog.plain_language import warnings_for
from kiosk.catalog.schema_check import describe, place_of
from tutorials import build
from tutorials.model import (
    AttachSimulation,
    CheckStep,
    Control,
    DemoStep,
    ExplainStep,
    PracticeStep,
    RecapStep,
    ScrollSimulation,
    Simulation,
    TapSimulation,
    TriageSimulation,
    Tutorial,
    TypeSimulation,
)

CONTENT_DIR = Path(__file__).with_name("content")
SCHEMA_PATH = Path(__file__).parent / "schemas" / "tutorial.schema.json"


class TutorialReport(NamedTuple):
    tutorials: dict[str, Tutorial]  # by id, in id order
    practice: dict[str, Service]
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...]  # plain language: advice, never leaves anything out

    @property
    def summary(self) -> str:
        return f"{len(self.tutorials)} tutorials, {len(self.problems)} problems"


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def schema_problems(document: Any) -> list[tuple[str, str]]:
    """(place, message) for every violation of the tutorial schema, in document order."""
    errors = sorted(_validator().iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])
    # One error per missing property would repeat "missing 'a', 'b'" (describe names them all): keep each once.
    return list(dict.fromkeys((place_of(e.absolute_path), describe(e)) for e in errors))


def load_tutorials(directory: Path = CONTENT_DIR) -> TutorialReport:
    problems: list[Problem] = []
    warnings: list[Problem] = []
    if not directory.is_dir():
        problems.append(Problem(str(directory), "(folder)", "no such tutorials folder"))
    practice: dict[str, Service] = {}
    for path in _json_files(directory / "practice"):
        name = f"practice/{path.name}"
        document = _read(path, name, problems)
        if document is None:
            continue
        service, found = build.practice_service(document, path)
        problems.extend(Problem(name, place, message) for place, message in found)
        if service is not None:
            warnings.extend(Problem(name, p, m) for p, m in plain_language_warnings(service))
        if service is not None and _named_after(service.id, path, name, problems):
            practice[service.id] = service
    tutorials: dict[str, Tutorial] = {}
    for path in _json_files(directory):
        document = _read(path, path.name, problems)
        found = schema_problems(document) if document is not None else []
        problems.extend(Problem(path.name, place, message) for place, message in found)
        if document is None or found:
            continue
        tutorial, found = build.tutorial(document, practice)
        problems.extend(Problem(path.name, place, message) for place, message in found)
        warnings.extend(Problem(path.name, p, m) for p, m in warnings_for(tutorial_texts(tutorial), path.name))
        if not found and _named_after(tutorial.id, path, path.name, problems):
            tutorials[tutorial.id] = tutorial
    return TutorialReport(tutorials, practice, tuple(problems), tuple(warnings))


def link_problems(tutorial: Tutorial, services: set[str], life_events: set[str]) -> Iterator[Problem]:
    """Linked ids missing from the given catalog (for `tutorials check`)."""
    name = f"{tutorial.id}.json"
    for index, service in enumerate(tutorial.services):
        if service not in services:
            yield Problem(name, f"services[{index}]", f"no service {service!r} in the catalog")
    for index, event in enumerate(tutorial.life_events):
        if event not in life_events:
            yield Problem(name, f"life_events[{index}]", f"no life event {event!r} in the catalog")


def tutorial_texts(tutorial: Tutorial) -> Iterator[tuple[str, Text]]:
    """Every text a learner reads or hears, with its place (for the plain-language advice)."""
    yield "title", tutorial.title
    yield "summary", tutorial.summary
    for index, step in enumerate(tutorial.steps):
        place = f"steps[{index}] ({step.id})"
        yield f"{place}.title", step.title
        yield f"{place}.narration", step.narration
        if isinstance(step, ExplainStep):
            yield f"{place}.text", step.text
        elif isinstance(step, DemoStep):
            yield from ((f"{place}.frames[{i}].caption", f.caption) for i, f in enumerate(step.frames))
            yield from _simulation_texts(step.simulation, f"{place}.simulation")
        elif isinstance(step, PracticeStep):
            yield f"{place}.task", step.task
            if step.hint is not None:
                yield f"{place}.hint", step.hint
            yield from _simulation_texts(step.simulation, f"{place}.simulation")
        elif isinstance(step, CheckStep):
            for qi, question in enumerate(step.questions):
                yield f"{place}.questions[{qi}].prompt", question.prompt
                yield from (
                    (f"{place}.questions[{qi}].options[{i}].feedback", o.feedback)
                    for i, o in enumerate(question.options)
                )
        elif isinstance(step, RecapStep):
            yield from ((f"{place}.points[{i}]", p) for i, p in enumerate(step.points))


def _simulation_texts(sim: Simulation, place: str) -> Iterator[tuple[str, Text]]:
    for key in ("success", "wrong"):
        value = getattr(sim, key)
        if value is not None:
            yield f"{place}.{key}", value
    controls: tuple[Control, ...] = ()
    if isinstance(sim, TapSimulation):
        controls = sim.targets
    elif isinstance(sim, ScrollSimulation):
        controls = sim.items
    elif isinstance(sim, TypeSimulation):
        controls = sim.fields
        yield from ((f"{place}.mistakes[{i}].feedback", m.feedback) for i, m in enumerate(sim.mistakes))
    for control in controls:
        if control.feedback is not None:
            yield f"{place}.{control.id}.feedback", control.feedback
    if isinstance(sim, TriageSimulation):
        yield from ((f"{place}.messages[{i}].reason", m.reason) for i, m in enumerate(sim.messages))
    if isinstance(sim, AttachSimulation):
        yield from ((f"{place}.documents[{i}].feedback", d.feedback) for i, d in enumerate(sim.documents) if d.feedback)


def _json_files(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.suffix == ".json" and p.is_file())
    except OSError:
        return []


def _read(path: Path, name: str, problems: list[Problem]) -> Any | None:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            problems.append(Problem(name, "(the whole file)", f"larger than {MAX_FILE_BYTES} bytes"))
            return None
        data = path.read_bytes()
    except OSError as error:
        problems.append(Problem(name, "(the whole file)", f"cannot be read: {error.strerror or error}"))
        return None
    try:
        return json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        problems.append(Problem(name, f"byte {error.start}", "not UTF-8 text"))
    except json.JSONDecodeError as error:
        problems.append(Problem(name, f"line {error.lineno}, column {error.colno}", f"not JSON: {error.msg}"))
    return None


def _named_after(identifier: str, path: Path, name: str, problems: list[Problem]) -> bool:
    if path.stem == identifier:
        return True
    problems.append(Problem(name, "id", f"the file must be named {identifier}.json"))
    return False
