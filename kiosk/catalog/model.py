"""The service catalog as immutable values: services, their question pages, life events and submission targets.

Built only by `kiosk.catalog.loader` from schema-validated files; nothing here knows about files or JSON. Every
expression is already parsed (`kiosk.forms.expressions`), so a screen never meets a syntax error at run time.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from kiosk.forms.expressions import Expression
from kiosk.i18n import FALLBACK_LANGUAGE, LocalizedText, content_fallback_chain
from kiosk.pseudo_locale import PSEUDO_LANGUAGE, pseudo_content

QUESTION_TYPES = (
    "text",
    "long-text",
    "number",
    "date",
    "yes-no",
    "choice",
    "multiple-choice",
    "address",
    "email",
    "phone",
    "nif",
    "citizen-card",
    "iban",
    "postcode",
    "consent",
    "note",
    "calculated",
)
# Types that ask the citizen nothing: a note is read, a calculated value is worked out from other answers.
UNANSWERED_TYPES = frozenset({"note", "calculated"})


@dataclass(frozen=True)
class Text:
    """One text in several languages; a lookup falls back per text: the language, its base, the configured content
    fallback (`languages.content_fallback`), English; `get` says which language it found. The pseudo-locale
    (`kiosk.pseudo_locale`, never offered to citizens) gets the English, lengthened."""

    values: Mapping[str, str]  # read-only by type; a private copy (a mapping proxy would cost the cache dearly)

    @classmethod
    def of(cls, values: Mapping[str, str]) -> Text:
        return cls(dict(values))

    def get(self, lang: str) -> LocalizedText:
        if lang == PSEUDO_LANGUAGE:  # tests and screenshots only: the English made longer, to catch truncation
            return LocalizedText(pseudo_content(self.get(FALLBACK_LANGUAGE).text), PSEUDO_LANGUAGE)
        for candidate in content_fallback_chain(lang):
            if candidate in self.values:
                return LocalizedText(self.values[candidate], candidate)
        first = next(iter(self.values.items()))  # the schema guarantees pt-PT and en, so this is only a safety net
        return LocalizedText(first[1], first[0])

    def t(self, lang: str) -> str:
        return self.get(lang).text


@dataclass(frozen=True)
class Choice:
    value: str
    label: Text
    hint: Text | None = None


@dataclass(frozen=True)
class Question:
    """One page with one question; `label` is the page heading. Expressions are parsed; None means "not set"."""

    id: str
    type: str
    label: Text
    hint: Text | None = None
    required: bool = True
    required_if: Expression | None = None
    show_if: Expression | None = None
    constraint: Expression | None = None
    constraint_message: Text | None = None
    calculation: Expression | None = None
    choices: tuple[Choice, ...] = ()
    private: bool = False
    profile_key: str | None = None
    allow_unknown: bool = False
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False
    max_length: int | None = None
    not_future: bool = False
    not_past: bool = False

    @property
    def asks(self) -> bool:
        """Whether the citizen answers this page (a note or a calculation asks nothing)."""
        return self.type not in UNANSWERED_TYPES

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)


@dataclass(frozen=True)
class Repeat:
    """Pages asked once per item (each child...), between `min_items` and `max_items` times."""

    id: str
    label: Text
    item_label: Text  # with {n} for the item's number
    pages: tuple[Question, ...]
    min_items: int = 1
    max_items: int = 10
    show_if: Expression | None = None


Page = Question | Repeat


@dataclass(frozen=True)
class Contact:
    name: Text
    phone: str | None = None
    email: str | None = None
    web: str | None = None
    hours: Text | None = None


@dataclass(frozen=True)
class Service:
    id: str
    version: str
    title: Text
    summary: Text
    life_events: tuple[str, ...]
    keywords: Mapping[str, tuple[str, ...]]
    you_need: tuple[Text, ...]
    duration_minutes: int
    other_ways: Text
    needs_connection: bool
    pages: tuple[Page, ...]
    next_steps: Text
    contact: Contact
    target: str
    retention_days: int
    eligibility: Text | None = None
    consents: tuple[str, ...] = ()
    source: Path | None = None  # the definition file, for messages

    def questions(self) -> Iterator[tuple[Question, Repeat | None]]:
        """Every question in page order, with the repeat it belongs to (None at the top level)."""
        for page in self.pages:
            if isinstance(page, Repeat):
                for question in page.pages:
                    yield question, page
            else:
                yield page, None

    def question(self, question_id: str) -> Question | None:
        return next((q for q, _ in self.questions() if q.id == question_id), None)


@dataclass(frozen=True)
class LifeEvent:
    id: str
    title: Text
    summary: Text
    icon: str
    order: int


@dataclass(frozen=True)
class Target:
    id: str
    name: Text


@dataclass(frozen=True)
class ServiceCatalog:
    """Everything that loaded without problems; services keep the order of their ids."""

    services: Mapping[str, Service]
    life_events: tuple[LifeEvent, ...]  # in display order
    targets: Mapping[str, Target]

    def services_for(self, life_event_id: str) -> tuple[Service, ...]:
        return tuple(s for s in self.services.values() if life_event_id in s.life_events)

    def life_event(self, life_event_id: str) -> LifeEvent | None:
        return next((e for e in self.life_events if e.id == life_event_id), None)
