"""What a schema cannot check: references between questions, files and targets, and plain-language warnings.

Problems make a service unusable (it is left out); warnings are advice for the designer (ISO 24495 plain language:
sentences of at most 20 words, no administrative words from the glossary) and never block a service.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from kiosk.catalog import plain_language
from kiosk.catalog.model import LifeEvent, Question, Repeat, Service
from kiosk.forms.expressions import Expression


def service_problems(service: Service, life_events: set[str], targets: set[str]) -> Iterator[tuple[str, str]]:
    yield from link_problems(service, life_events, targets)
    yield from file_problems(service)


def link_problems(service: Service, life_events: set[str], targets: set[str]) -> Iterator[tuple[str, str]]:
    """What depends on other files: the life events and the target a service names."""
    for index, event in enumerate(service.life_events):
        if event not in life_events:
            yield f"life_events[{index}]", f"no life event {event!r} (life-events/{event}.json)"
    if service.target not in targets:
        yield "target", f"no submission target {service.target!r} in targets.json"


def file_problems(service: Service) -> Iterator[tuple[str, str]]:
    """What the service's own file decides: references between its questions, ids, choices, consents."""
    yield from _question_problems(service)
    consent_ids = {q.id for q, _ in service.questions() if q.type == "consent"}
    for index, consent in enumerate(service.consents):
        if consent not in consent_ids:
            yield f"consents[{index}]", f"{consent!r} is not a consent question of this service"


def _question_problems(service: Service) -> Iterator[tuple[str, str]]:
    """Ids unique; every ${name} refers to something asked earlier (a repeat's item sees its earlier siblings)."""
    ids = [page.id for page in service.pages]
    ids += [q.id for page in service.pages if isinstance(page, Repeat) for q in page.pages]
    for duplicate in sorted({i for i in ids if ids.count(i) > 1}):
        yield "pages", f"the id {duplicate!r} is used more than once in this service"
    seen: set[str] = set()  # ids visible from the top level, in page order
    for index, page in enumerate(service.pages):
        place = f"pages[{index}] ({page.id})"
        if isinstance(page, Repeat):
            yield from _references(page.show_if, "show_if", place, seen)
            if page.min_items > page.max_items:
                yield place, f"min ({page.min_items}) is more than max ({page.max_items})"
            inner = set(seen)
            for sub_index, question in enumerate(page.pages):
                sub_place = f"{place}.pages[{sub_index}] ({question.id})"
                yield from _single_question(question, sub_place, inner)
                inner.add(question.id)
        else:
            yield from _single_question(page, place, seen)
        seen.add(page.id)


def _single_question(question: Question, place: str, visible: set[str]) -> Iterator[tuple[str, str]]:
    yield from _references(question.show_if, "show_if", place, visible)
    yield from _references(question.required_if, "required_if", place, visible)
    yield from _references(question.calculation, "calculation", place, visible)
    yield from _references(question.constraint, "constraint", place, visible | {question.id})
    values = [choice.value for choice in question.choices]
    for value in sorted({v for v in values if values.count(v) > 1}):
        yield f"{place}.choices", f"the value {value!r} is used by more than one choice"
    if question.minimum is not None and question.maximum is not None and question.minimum > question.maximum:
        yield place, f"min ({question.minimum}) is more than max ({question.maximum})"
    if question.private and question.profile_key:
        yield place, "a private answer is never shared with other services: remove profile_key"
    if question.private and question.type not in {"text", "number"}:
        yield place, f"only text and number questions can be private, not {question.type!r}"


def _references(expr: Expression | None, key: str, place: str, visible: set[str]) -> Iterator[tuple[str, str]]:
    if expr is None:
        return
    for name, position in expr.reference_positions():
        if name not in visible:
            yield (
                f"{place}.{key}",
                f"${{{name}}} at position {position} is not a question asked before this one",
            )


def plain_language_warnings(service: Service) -> Iterator[tuple[str, str]]:
    """Long sentences and administrative words in the service's texts (see `kiosk.catalog.plain_language`)."""
    return plain_language.warnings_for(plain_language.service_texts(service), f"services/{service.id}.json")


def life_event_warnings(event: LifeEvent) -> Iterator[tuple[str, str]]:
    return plain_language.warnings_for(plain_language.life_event_texts(event), f"life-events/{event.id}.json")


def duplicate_ids(ids: Mapping[str, list[str]]) -> Iterator[tuple[str, str]]:
    """(file, message) for each file that repeats an id already defined by an earlier file."""
    for identifier, files in ids.items():
        for file in files[1:]:
            yield file, f"the id {identifier!r} is already defined in {files[0]}"
