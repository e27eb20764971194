"""Schema-valid tutorial documents -> `tutorials.model` values, with the checks a JSON Schema cannot express.

Each problem is a (place, message) pair like the catalog's: `steps[3] (try-it).simulation.expect: no target 'sned'`.
Checked here: every text has every language of the title; step and question ids are unique; a check question has
exactly one right option; references (expected targets, demo highlights, form fields) exist; patterns compile; a
scroll target starts out of view; the last step is a recap; the mastery rule can be met. Inline practice services are
checked exactly as catalog services are (schema, expressions, references between questions).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from kiosk.catalog import build as catalog_build
from kiosk.catalog import checks as catalog_checks
from kiosk.catalog.model import Service, Text
from kiosk.catalog.schema_check import schema_errors
from tutorials.model import (
    AttachSimulation,
    CheckStep,
    Control,
    DemoStep,
    DigitalKeySimulation,
    Document,
    ExplainStep,
    FieldMistake,
    FormSimulation,
    Frame,
    Mastery,
    Message,
    Mistake,
    Option,
    PracticeStep,
    Question,
    RecapStep,
    ScrollSimulation,
    Simulation,
    Step,
    TapSimulation,
    TriageSimulation,
    Tutorial,
    TypeSimulation,
)

MAX_INPUT = 200  # learners' input is cut to this before a pattern sees it: no pattern can be made to run for long


class Builder:
    """Builds one tutorial, collecting problems; `languages` are the title's, which every text must have."""

    def __init__(self, languages: tuple[str, ...], practice: Mapping[str, Service]) -> None:
        self.languages = languages
        self.practice = practice
        self.problems: list[tuple[str, str]] = []

    def add(self, place: str, message: str) -> None:
        self.problems.append((place, message))

    def text(self, value: Mapping[str, str], place: str) -> Text:
        missing = [lang for lang in self.languages if lang not in value]
        if missing:
            self.add(place, f"missing {', '.join(repr(m) for m in missing)} (the tutorial's title has it)")
        return Text.of(value)

    def optional(self, document: Mapping[str, Any], key: str, place: str) -> Text | None:
        value = document.get(key)
        return self.text(value, f"{place}.{key}") if value is not None else None

    def pattern(self, source: str, place: str) -> re.Pattern[str]:
        try:
            return re.compile(source)
        except re.error as error:
            self.add(place, f"not a valid pattern: {error}")
            return re.compile(re.escape(source))


def tutorial(document: Mapping[str, Any], practice: Mapping[str, Service]) -> tuple[Tutorial, list[tuple[str, str]]]:
    """The tutorial and the problems found building it (the tutorial is usable only when there are none)."""
    b = Builder(tuple(document["title"]), practice)
    steps = tuple(_step(b, s, f"steps[{i}] ({s['id']})") for i, s in enumerate(document["steps"]))
    mastery = Mastery(document["mastery"]["practice"], document["mastery"]["check_min_percent"])
    built = Tutorial(
        id=document["id"],
        version=document["version"],
        title=b.text(document["title"], "title"),
        summary=b.text(document["summary"], "summary"),
        estimated_minutes=document["estimated_minutes"],
        digcomp=tuple(document["digcomp"]),
        services=tuple(document.get("services", ())),
        life_events=tuple(document.get("life_events", ())),
        mastery=mastery,
        steps=steps,
    )
    b.problems.extend(_whole_tutorial_problems(built))
    return built, b.problems


def _whole_tutorial_problems(built: Tutorial) -> Iterator[tuple[str, str]]:
    for kind, ids in (("step", [s.id for s in built.steps]), ("question", [q.id for q in built.questions()])):
        for dup in sorted({i for i in ids if ids.count(i) > 1}):
            yield "steps", f"the {kind} id {dup!r} is used more than once (progress is saved by id)"
    if built.steps[-1].kind != "recap":
        yield f"steps[{len(built.steps) - 1}]", "the last step must be a recap"
    if built.mastery.practice == "all" and not built.practice_steps():
        yield "mastery.practice", "'all' needs at least one practice step"
    if built.mastery.check_min_percent > 0 and not built.questions():
        yield "mastery.check_min_percent", "a minimum score needs at least one check question"


def _step(b: Builder, doc: Mapping[str, Any], place: str) -> Step:
    common = {
        "id": doc["id"],
        "title": b.text(doc["title"], f"{place}.title"),
        "narration": b.text(doc["narration"], f"{place}.narration"),
    }
    kind = doc["kind"]
    if kind == "explain":
        return ExplainStep(kind=kind, text=b.text(doc["text"], f"{place}.text"), picture=doc["picture"], **common)
    if kind == "demo":
        sim = simulation(b, doc["simulation"], f"{place}.simulation")
        frames = tuple(_frame(b, f, sim, f"{place}.frames[{i}]") for i, f in enumerate(doc["frames"]))
        return DemoStep(kind=kind, simulation=sim, frames=frames, **common)
    if kind == "practice":
        sim = simulation(b, doc["simulation"], f"{place}.simulation")
        if sim.wrong is None:
            b.add(f"{place}.simulation", "missing 'wrong': what to say after a wrong action")
        task = b.text(doc["task"], f"{place}.task")
        return PracticeStep(kind=kind, task=task, simulation=sim, hint=b.optional(doc, "hint", place), **common)
    if kind == "check":
        questions = tuple(_question(b, q, f"{place}.questions[{i}]") for i, q in enumerate(doc["questions"]))
        return CheckStep(kind=kind, questions=questions, **common)
    points = tuple(b.text(p, f"{place}.points[{i}]") for i, p in enumerate(doc["points"]))
    return RecapStep(kind="recap", points=points, picture=doc.get("picture"), **common)


def _frame(b: Builder, doc: Mapping[str, Any], sim: Simulation, place: str) -> Frame:
    if doc["highlight"] not in sim.controls():
        b.add(f"{place}.highlight", f"no control {doc['highlight']!r} on this screen ({', '.join(sim.controls())})")
    if "typed" in doc and doc.get("gesture") != "type":
        b.add(f"{place}.typed", "'typed' goes with the gesture 'type'")
    return Frame(
        doc["highlight"], b.text(doc["caption"], f"{place}.caption"), doc.get("gesture", "point"), doc.get("typed")
    )


def _question(b: Builder, doc: Mapping[str, Any], place: str) -> Question:
    options = tuple(
        Option(
            o["id"],
            b.text(o["label"], f"{place}.options[{i}].label"),
            o["correct"],
            b.text(o["feedback"], f"{place}.options[{i}].feedback"),
        )
        for i, o in enumerate(doc["options"])
    )
    right = sum(o.correct for o in options)
    if right != 1:
        b.add(f"{place}.options", f"exactly one option must be correct (found {right})")
    _unique(b, [o.id for o in options], f"{place}.options", "option")
    return Question(doc["id"], doc["kind"], b.text(doc["prompt"], f"{place}.prompt"), options)


def _unique(b: Builder, ids: list[str], place: str, what: str) -> None:
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        b.add(place, f"the {what} id {dup!r} is used more than once")


def _controls(b: Builder, docs: list[Mapping[str, Any]], place: str) -> tuple[Control, ...]:
    controls = tuple(
        Control(
            d["id"],
            b.text(d["label"], f"{place}[{i}].label"),
            d.get("role", "button"),
            d.get("position"),
            b.optional(d, "feedback", f"{place}[{i}]"),
        )
        for i, d in enumerate(docs)
    )
    _unique(b, [c.id for c in controls], place, "control")
    return controls


def _expected(b: Builder, expect: str, ids: list[str], place: str) -> None:
    if expect not in ids:
        b.add(f"{place}.expect", f"{expect!r} is not one of {', '.join(ids)}")


def simulation(b: Builder, doc: Mapping[str, Any], place: str) -> Simulation:
    common: dict[str, Any] = {key: b.optional(doc, key, place) for key in ("title", "success", "wrong")}
    return _SIMULATIONS[doc["kind"]](b, doc, place, common)


def _tap_simulation(b: Builder, doc: Mapping[str, Any], place: str, common: dict[str, Any]) -> Simulation:
    targets = _controls(b, doc["targets"], f"{place}.targets")
    _expected(b, doc["expect"], [t.id for t in targets], place)
    return TapSimulation(kind="tap", targets=targets, expect=doc["expect"], **common)


def _scroll_simulation(b: Builder, doc: Mapping[str, Any], place: str, common: dict[str, Any]) -> Simulation:
    items = _controls(b, doc["items"], f"{place}.items")
    ids = [i.id for i in items]
    _expected(b, doc["expect"], ids, place)
    if doc["expect"] in ids[: doc["visible"]]:
        b.add(f"{place}.expect", f"{doc['expect']!r} is in view from the start: nothing to scroll for")
    in_view = b.optional(doc, "in_view", place)
    return ScrollSimulation(
        kind="scroll", items=items, visible=doc["visible"], expect=doc["expect"], in_view=in_view, **common
    )


def _digital_key_simulation(b: Builder, doc: Mapping[str, Any], place: str, common: dict[str, Any]) -> Simulation:
    return DigitalKeySimulation(
        kind="digital-key",
        phone_number=doc["phone_number"].replace(" ", ""),
        pin=doc.get("pin"),
        code_length=doc.get("code_length", 6),
        mistakes=_field_mistakes(b, doc.get("mistakes", ()), place),
        **common,
    )


def _triage_simulation(b: Builder, doc: Mapping[str, Any], place: str, common: dict[str, Any]) -> Simulation:
    messages = tuple(
        Message(
            m["id"],
            m["channel"],
            b.text(m["sender"], f"{place}.messages[{i}].sender"),
            b.text(m["body"], f"{place}.messages[{i}].body"),
            m["verdict"],
            b.text(m["reason"], f"{place}.messages[{i}].reason"),
        )
        for i, m in enumerate(doc["messages"])
    )
    _unique(b, [m.id for m in messages], f"{place}.messages", "message")
    return TriageSimulation(kind="triage", messages=messages, **common)


def _attach_simulation(b: Builder, doc: Mapping[str, Any], place: str, common: dict[str, Any]) -> Simulation:
    documents = tuple(
        Document(
            d["id"],
            b.text(d["name"], f"{place}.documents[{i}].name"),
            d["type"],
            b.optional(d, "feedback", f"{place}.documents[{i}]"),
        )
        for i, d in enumerate(doc["documents"])
    )
    _unique(b, [d.id for d in documents], f"{place}.documents", "document")
    _expected(b, doc["expect"], [d.id for d in documents], place)
    return AttachSimulation(
        kind="attach", documents=documents, expect=doc["expect"], slot=b.optional(doc, "slot", place), **common
    )


def _type_simulation(b: Builder, doc: Mapping[str, Any], place: str, common: dict[str, Any]) -> Simulation:
    fields = _controls(b, doc["fields"], f"{place}.fields")
    if doc["field"] not in [f.id for f in fields]:
        b.add(f"{place}.field", f"{doc['field']!r} is not one of {', '.join(f.id for f in fields)}")
    expect = doc["expect"]
    mistakes = tuple(
        Mistake(
            b.pattern(m["pattern"], f"{place}.mistakes[{i}].pattern"),
            b.text(m["feedback"], f"{place}.mistakes[{i}].feedback"),
        )
        for i, m in enumerate(doc.get("mistakes", ()))
    )
    return TypeSimulation(
        kind="type",
        fields=fields,
        field=doc["field"],
        expect_value=expect.get("value"),
        expect_any=expect.get("any", False),
        expect_pattern=b.pattern(expect["pattern"], f"{place}.expect.pattern") if "pattern" in expect else None,
        keyboard=doc.get("keyboard", "text"),
        mistakes=mistakes,
        **common,
    )


def _field_mistakes(b: Builder, docs: Any, place: str) -> tuple[FieldMistake, ...]:
    return tuple(
        FieldMistake(
            m["field"],
            b.text(m["feedback"], f"{place}.mistakes[{i}].feedback"),
            m.get("code"),
            b.pattern(m["pattern"], f"{place}.mistakes[{i}].pattern") if "pattern" in m else None,
        )
        for i, m in enumerate(docs)
    )


def _form_simulation(b: Builder, doc: Mapping[str, Any], place: str, common: dict[str, Any]) -> Simulation:
    if "service" in doc and "service_ref" in doc:
        b.add(place, "give either 'service' or 'service_ref', not both")
    service = _form_service(b, doc, place)
    mistakes = _field_mistakes(b, doc.get("mistakes", ()), place)
    if service is None:  # reported; a placeholder keeps the rest of the tutorial checkable
        return Simulation(kind="form", **common)
    ids = [q.id for q, _ in service.questions()]
    for i, mistake in enumerate(mistakes):
        if mistake.field not in ids:
            b.add(f"{place}.mistakes[{i}].field", f"the form has no question {mistake.field!r}")
    for key in doc.get("expect", {}):
        if key not in ids:
            b.add(f"{place}.expect.{key}", f"the form has no question {key!r}")
    return FormSimulation(kind="form", service=service, expect=dict(doc.get("expect", {})), mistakes=mistakes, **common)


def _form_service(b: Builder, doc: Mapping[str, Any], place: str) -> Service | None:
    if "service_ref" in doc:
        found = b.practice.get(doc["service_ref"])
        if found is None:
            b.add(f"{place}.service_ref", f"no practice service {doc['service_ref']!r} (content/practice/)")
        return found
    service, problems = practice_service(doc["service"], Path("<inline>"))
    b.problems.extend((f"{place}.service.{where}", message) for where, message in problems)
    return None if problems else service


def practice_service(document: Any, source: Path) -> tuple[Service | None, list[tuple[str, str]]]:
    """A practice form checked as a catalog service is, except its links: it has no life event or target to reach."""
    found = list(schema_errors("service", document))
    if found:
        return None, found
    problems = catalog_build.BuildProblems()
    service = catalog_build.service(document, source, problems)
    found = [*problems.items, *catalog_checks.file_problems(service)]
    return (None if found else service), found


_SimulationBuilder = Callable[[Builder, Mapping[str, Any], str, dict[str, Any]], Simulation]
_SIMULATIONS: dict[str, _SimulationBuilder] = {
    "tap": _tap_simulation,
    "scroll": _scroll_simulation,
    "type": _type_simulation,
    "form": _form_simulation,
    "digital-key": _digital_key_simulation,
    "triage": _triage_simulation,
    "attach": _attach_simulation,
}
