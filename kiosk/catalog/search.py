"""Finding a service by what people type: case- and accent-insensitive, tolerant of typos, in every language.

Text is folded before indexing and querying (NFKD, combining marks dropped, casefold: "Mudança" -> "mudanca";
SQLite 3.40's trigram tokenizer cannot remove diacritics, so the index is our own). Each query word is matched against
the vocabulary by trigram overlap (Jaccard similarity of padded trigrams), which survives a missing letter
("nacimento" still finds "nascimento"); in longer words a swapped pair of letters counts as one edit. A service's
score adds, per query word, its best match weighted by where the word appears (title > keywords > summary) and by how
rare the word is (inverse document frequency), so "de" or "the" count for little. Words in the citizen's language
count more than the same words in another language. The index is built from the definitions and is rebuilt whenever
the catalog is reloaded.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from kiosk.catalog.model import Service

FIELD_WEIGHTS = {"title": 3.0, "keywords": 2.5, "summary": 1.0}
OTHER_LANGUAGE = 0.6  # a word found only in another language's text ("pai" is Portuguese, "paid" English) counts less
MIN_SIMILARITY = 0.34  # below this a vocabulary word is not a plausible spelling of the query word
PREFIX_SIMILARITY = 0.85  # "pensa" while typing "pensão": a prefix of 4+ letters is nearly a match
PREFIX_MIN_LETTERS = 4
# Trigrams miss swapped letters in short words ("birht" shares 3 of 9 with "birth"); for words of 5+ letters one or
# two edits (optimal string alignment distance) also count: 1 - edits / length, at most this much.
EDIT_MIN_LETTERS = 5
EDIT_MAX_SIMILARITY = 0.9
_NON_WORD = re.compile(r"[^\w]+")


def fold(text: str) -> str:
    """Lower case without accents and punctuation: what both the index and the query are compared in."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", stripped.casefold()).replace("_", " ").split())


def trigrams(word: str) -> frozenset[str]:
    padded = f"  {word} "  # padding makes word starts count double: people get first letters right
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


class SearchHit(NamedTuple):
    service_id: str
    score: float


class SearchIndex:
    """Vocabulary -> trigrams, and word -> service -> language -> best field weight; immutable once built."""

    def __init__(
        self,
        word_trigrams: dict[str, frozenset[str]],
        postings: dict[str, dict[str, dict[str, float]]],
        by_trigram: dict[str, tuple[str, ...]],
        service_count: int,
    ) -> None:
        self._word_trigrams = word_trigrams
        self._postings = postings
        self._by_trigram = by_trigram  # trigram -> words containing it
        self._idf = {word: math.log(1 + service_count / len(services)) for word, services in postings.items()}

    @classmethod
    def build(cls, services: Iterable[Service]) -> SearchIndex:
        postings: dict[str, dict[str, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
        count = 0
        for service in services:
            count += 1
            for field, lang, text in _fields(service):
                weight = FIELD_WEIGHTS[field]
                for word in fold(text).split():
                    by_lang = postings[word][service.id]
                    if by_lang.get(lang, 0.0) < weight:
                        by_lang[lang] = weight
        word_trigrams = {word: trigrams(word) for word in postings}
        by_trigram: dict[str, list[str]] = defaultdict(list)
        for word, grams in word_trigrams.items():
            for gram in grams:
                by_trigram[gram].append(word)
        frozen = {word: {sid: dict(langs) for sid, langs in services.items()} for word, services in postings.items()}
        return cls(word_trigrams, frozen, {g: tuple(ws) for g, ws in by_trigram.items()}, count)

    def search(self, query: str, *, lang: str | None = None, limit: int = 10) -> list[SearchHit]:
        """Services best matching `query`, best first; `lang` is the citizen's language (None: all count fully)."""
        base = _base(lang) if lang else None
        scores: dict[str, float] = defaultdict(float)
        for query_word in dict.fromkeys(fold(query).split()):
            best: dict[str, float] = {}  # service -> best contribution of this query word
            for word, similarity in self._similar_words(query_word):
                idf = self._idf[word]
                for service_id, langs in self._postings[word].items():
                    weight = max(
                        w if base is None or _base(text_lang) == base else w * OTHER_LANGUAGE
                        for text_lang, w in langs.items()
                    )
                    value = similarity * weight * idf
                    if value > best.get(service_id, 0.0):
                        best[service_id] = value
            for service_id, value in best.items():
                scores[service_id] += value
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        return [SearchHit(service_id, round(score, 4)) for service_id, score in ranked[:limit]]

    def _similar_words(self, query_word: str) -> list[tuple[str, float]]:
        grams = trigrams(query_word)
        shared: dict[str, int] = defaultdict(int)
        for gram in grams:
            for word in self._by_trigram.get(gram, ()):
                shared[word] += 1
        found = []
        for word, common in shared.items():
            similarity = common / (len(grams) + len(self._word_trigrams[word]) - common)
            if len(query_word) >= PREFIX_MIN_LETTERS and word.startswith(query_word):
                similarity = max(similarity, PREFIX_SIMILARITY)
            elif similarity < MIN_SIMILARITY and common >= 2 and len(query_word) >= EDIT_MIN_LETTERS:
                similarity = max(similarity, _edit_similarity(query_word, word))
            if similarity >= MIN_SIMILARITY:
                found.append((word, similarity))
        return found


def _fields(service: Service) -> list[tuple[str, str, str]]:
    """(field, language, text) for every searchable text of a service."""
    found = [("title", lang, text) for lang, text in service.title.values.items()]
    found += [("keywords", lang, word) for lang, words in service.keywords.items() for word in words]
    found += [("summary", lang, text) for lang, text in service.summary.values.items()]
    return found


def _edit_similarity(a: str, b: str) -> float:
    longest = max(len(a), len(b))
    if abs(len(a) - len(b)) > 2 or len(b) < EDIT_MIN_LETTERS:
        return 0.0
    edits = _osa_distance(a, b)
    return min(EDIT_MAX_SIMILARITY, 1 - edits / longest) if edits <= 2 else 0.0


def _osa_distance(a: str, b: str) -> int:
    """Optimal string alignment: insertions, deletions, substitutions and swaps of neighbours, each one edit."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


def _base(lang: str) -> str:
    return lang.split("-", 1)[0].lower()
