"""Schema-valid JSON documents -> catalog values, parsing every expression once.

Runs only on documents that passed the schema, so shapes are trusted here; what the schema cannot see (expression
syntax) is reported as a problem with the question's place, and the service is then left out of the catalog.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kiosk.catalog.model import Choice, Contact, LifeEvent, Page, Question, Repeat, Service, Target, Text
from kiosk.forms.expressions import Expression, ExpressionError, parse

EXPRESSION_FIELDS = ("show_if", "required_if", "constraint", "calculation")


class BuildProblems:
    """Collects (place, message) pairs while a document is turned into values."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []

    def add(self, place: str, message: str) -> None:
        self.items.append((place, message))


def text(value: Mapping[str, str]) -> Text:
    return Text.of(value)


def optional_text(document: Mapping[str, Any], key: str) -> Text | None:
    value = document.get(key)
    return Text.of(value) if value is not None else None


def expression(document: Mapping[str, Any], key: str, place: str, problems: BuildProblems) -> Expression | None:
    source = document.get(key)
    if source is None:
        return None
    try:
        return parse(source)
    except ExpressionError as error:
        problems.add(f"{place}.{key}", f"{error} in {source!r}")
        return None


def question(document: Mapping[str, Any], place: str, problems: BuildProblems) -> Question:
    where = f"{place} ({document['id']})"
    exprs = {key: expression(document, key, where, problems) for key in EXPRESSION_FIELDS}
    return Question(
        id=document["id"],
        type=document["type"],
        label=text(document["label"]),
        hint=optional_text(document, "hint"),
        required=document.get("required", True),
        required_if=exprs["required_if"],
        show_if=exprs["show_if"],
        constraint=exprs["constraint"],
        constraint_message=optional_text(document, "constraint_message"),
        calculation=exprs["calculation"],
        choices=tuple(
            Choice(c["value"], text(c["label"]), optional_text(c, "hint")) for c in document.get("choices", ())
        ),
        private=document.get("private", False),
        profile_key=document.get("profile_key"),
        allow_unknown=document.get("allow_unknown", False),
        minimum=document.get("min"),
        maximum=document.get("max"),
        integer=document.get("integer", False),
        max_length=document.get("max_length"),
        not_future=document.get("not_future", False),
        not_past=document.get("not_past", False),
    )


def page(document: Mapping[str, Any], place: str, problems: BuildProblems) -> Page:
    if document.get("type") != "repeat":
        return question(document, place, problems)
    where = f"{place} ({document['id']})"
    return Repeat(
        id=document["id"],
        label=text(document["label"]),
        item_label=text(document["item_label"]),
        pages=tuple(question(q, f"{place}.pages[{i}]", problems) for i, q in enumerate(document["pages"])),
        min_items=document.get("min", 1),
        max_items=document.get("max", 10),
        show_if=expression(document, "show_if", where, problems),
    )


def service(document: Mapping[str, Any], source: Path, problems: BuildProblems) -> Service:
    contact = document["contact"]
    return Service(
        id=document["id"],
        version=document["version"],
        title=text(document["title"]),
        summary=text(document["summary"]),
        life_events=tuple(document["life_events"]),
        keywords={lang: tuple(words) for lang, words in document["keywords"].items()},
        you_need=tuple(text(item) for item in document["you_need"]),
        duration_minutes=document["duration_minutes"],
        other_ways=text(document["other_ways"]),
        needs_connection=document["needs_connection"],
        pages=tuple(page(p, f"pages[{i}]", problems) for i, p in enumerate(document["pages"])),
        next_steps=text(document["next_steps"]),
        contact=Contact(
            name=text(contact["name"]),
            phone=contact.get("phone"),
            email=contact.get("email"),
            web=contact.get("web"),
            hours=optional_text(contact, "hours"),
        ),
        target=document["target"],
        retention_days=document["retention_days"],
        eligibility=optional_text(document, "eligibility"),
        consents=tuple(document.get("consents", ())),
        source=source,
    )


def life_event(document: Mapping[str, Any]) -> LifeEvent:
    return LifeEvent(
        id=document["id"],
        title=text(document["title"]),
        summary=text(document["summary"]),
        icon=document["icon"],
        order=document["order"],
    )


def targets(document: Mapping[str, Any]) -> list[Target]:
    return [Target(t["id"], text(t["name"])) for t in document["targets"]]
