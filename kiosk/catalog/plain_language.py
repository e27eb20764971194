"""Plain-language advice for catalog content: sentences of at most 20 words and no administrative words.

ISO 24495-1 and the AMA's "Simples" guide ask for short sentences and everyday words. The words to avoid are data, one
glossary per language (`kiosk/catalog/glossary/<lang>.json`: term -> plain alternative), so a content designer can add
one without touching code. A term is matched on folded words (no accents, no case; "Óbito" and "obitos" both match
"óbito"), whole words only, plurals included; "|" in a term separates the forms of one word ("deferir|deferido").

Everything here is a warning: it never leaves a service out. A use the designers decided to keep goes in the
glossary's `allowed` list with the file and the reason, so the next check stays quiet about it.
"""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import NamedTuple

from kiosk.catalog.model import LifeEvent, Page, Repeat, Service, Text

GLOSSARY_DIR = Path(__file__).with_name("glossary")
MAX_SENTENCE_WORDS = 20
PLAIN_LANGUAGE_LANGS = ("pt-PT", "en")  # the languages every definition must have (and the glossaries we ship)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"\w+")
MIN_PLURAL_LENGTH = 4  # "a" -> "as" would turn Portuguese articles into false matches


class GlossaryError(ValueError):
    """A glossary file is missing or malformed; the message names the file."""


class Term(NamedTuple):
    key: str  # as written in the glossary, e.g. "no âmbito de|do|da"
    shown: str  # the form found, e.g. "no âmbito da"
    plain: str


class Glossary:
    """Administrative terms of one language, indexed by their first folded word for a single pass over a text."""

    def __init__(
        self,
        language: str,
        terms: dict[str, str],
        allowed: Iterable[tuple[str, str]] = (),
        names: Iterable[str] = (),
    ) -> None:
        self.language = language
        self.terms = dict(terms)
        self.allowed = frozenset(allowed)  # (term key, catalog file) pairs kept on purpose
        # Official names that contain a term ("certidão de óbito"): the citizen must recognise them as written.
        self.names = tuple(names)
        self._index: dict[str, list[tuple[tuple[str, ...], Term | None]]] = {}
        entries: list[tuple[str, Term | None]] = [(name, None) for name in self.names]
        entries += [(shown, Term(key, shown, plain)) for key, plain in self.terms.items() for shown in _variants(key)]
        for shown, term in entries:
            for words in _inflected(tuple(words_of(shown))):
                self._index.setdefault(words[0], []).append((words, term))
        for candidates in self._index.values():
            candidates.sort(key=lambda entry: -len(entry[0]))  # the longest wins, a name over a term in it

    def find(self, text: str) -> list[Term]:
        """Every glossary term in `text`, once each, in order of first appearance; overlapping matches count once and
        the words of an official name are never a match."""
        words = words_of(text)
        found: dict[str, Term] = {}
        position = 0
        while position < len(words):
            step = 1
            for phrase, term in self._index.get(words[position], ()):
                if tuple(words[position : position + len(phrase)]) == phrase:
                    if term is not None:
                        found.setdefault(term.key, term)
                    step = len(phrase)
                    break
            position += step
        return list(found.values())

    def is_allowed(self, key: str, file: str) -> bool:
        return (key, file) in self.allowed


def fold(text: str) -> str:
    """Lower case without accents: "Óbito" -> "obito", "À" -> "a"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words_of(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def _variants(key: str) -> list[str]:
    """ "no âmbito de|do" -> ["no âmbito de", "no âmbito do"]."""
    choices = [chunk.split("|") for chunk in key.split()]
    return [" ".join(parts) for parts in itertools.product(*choices)]


def _inflected(words: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The phrase with each longer word also in its plural forms (Portuguese and English)."""
    return [tuple(combo) for combo in itertools.product(*(_plurals(word) for word in words))]


def _plurals(word: str) -> list[str]:
    if len(word) < MIN_PLURAL_LENGTH:
        return [word]
    forms = [word, word + "s", word + "es"]
    if word.endswith("ao"):  # deliberação -> deliberações, alemão -> alemães
        forms += [word[:-2] + "oes", word[:-2] + "aes"]
    if word.endswith("y"):  # ministry -> ministries
        forms.append(word[:-1] + "ies")
    if word.endswith("l"):  # legal -> legais
        forms.append(word[:-1] + "is")
    return forms


@cache
def load_glossary(language: str, directory: Path = GLOSSARY_DIR) -> Glossary:
    path = directory / f"{language}.json"
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        terms = document["terms"]
        allowed = [(entry["term"], entry["file"]) for entry in document.get("allowed", [])]
        names = [entry["name"] for entry in document.get("names", [])]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise GlossaryError(f"{path}: not a glossary ({error})") from error
    if not isinstance(terms, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in terms.items()):
        raise GlossaryError(f"{path}: 'terms' must map each term to its plain alternative")
    unknown = [key for key, _file in allowed if key not in terms]
    if unknown:
        raise GlossaryError(f"{path}: 'allowed' names terms the glossary does not have: {unknown}")
    return Glossary(language, terms, allowed, names)


def service_texts(service: Service) -> Iterator[tuple[str, Text]]:
    """(place, text) of every text of a service a citizen reads (the contact's name is a proper name: left out)."""
    yield "title", service.title
    yield "summary", service.summary
    for index, item in enumerate(service.you_need):
        yield f"you_need[{index}]", item
    yield "other_ways", service.other_ways
    if service.eligibility is not None:
        yield "eligibility", service.eligibility
    yield "next_steps", service.next_steps
    if service.contact.hours is not None:
        yield "contact.hours", service.contact.hours
    for index, page in enumerate(service.pages):
        yield from _page_texts(page, f"pages[{index}] ({page.id})")


def _page_texts(page: Page, place: str) -> Iterator[tuple[str, Text]]:
    yield f"{place}.label", page.label
    if isinstance(page, Repeat):
        yield f"{place}.item_label", page.item_label
        for index, question in enumerate(page.pages):
            yield from _page_texts(question, f"{place}.pages[{index}] ({question.id})")
        return
    if page.hint is not None:
        yield f"{place}.hint", page.hint
    if page.constraint_message is not None:
        yield f"{place}.constraint_message", page.constraint_message
    for index, choice in enumerate(page.choices):
        yield f"{place}.choices[{index}] ({choice.value})", choice.label
        if choice.hint is not None:
            yield f"{place}.choices[{index}] ({choice.value}).hint", choice.hint


def life_event_texts(event: LifeEvent) -> Iterator[tuple[str, Text]]:
    yield "title", event.title
    yield "summary", event.summary


def warnings_for(
    texts: Iterable[tuple[str, Text]], file: str, glossaries: Mapping[str, Glossary] | None = None
) -> Iterator[tuple[str, str]]:
    """(place, message) for each long sentence and each glossary term in the pt-PT and English texts of `file`
    ("services/<id>.json"); `glossaries` by language, the shipped ones by default."""
    for place, text in texts:
        for lang in PLAIN_LANGUAGE_LANGS:
            value = text.values.get(lang)
            if value:
                glossary = glossaries[lang] if glossaries is not None else load_glossary(lang)
                yield from _long_sentences(value, f"{place} [{lang}]")
                yield from _glossary_terms(value, f"{place} [{lang}]", glossary, file)


def _long_sentences(text: str, place: str) -> Iterator[tuple[str, str]]:
    for sentence in _SENTENCE_END.split(text.strip()):
        words = len(sentence.split())
        if words > MAX_SENTENCE_WORDS:
            start = " ".join(sentence.split()[:6])
            yield place, f"a sentence of {words} words (plain language: at most {MAX_SENTENCE_WORDS}): {start}…"


def _glossary_terms(text: str, place: str, glossary: Glossary, file: str) -> Iterator[tuple[str, str]]:
    for term in glossary.find(text):
        if not glossary.is_allowed(term.key, file):
            yield place, f'administrative word "{term.shown}": plain language says "{term.plain}"'
