"""Which tutorials teach what a citizen just did: the links from a service (or its life event) to tutorials.

A tutorial names the services and life events it prepares for (`Tutorial.services`, `Tutorial.life_events`). After a
service is sent, the confirmation offers "learn to do this yourself next time" and the mediator's slip names a lesson:
both ask `tutorials_for` and take the first answer. A tutorial linked to the service itself teaches it more closely
than one linked only to its life event, so service links come first. Within each group the closest link comes first:
a tutorial that lists the id earlier is about it more than one that lists it last, and one with fewer links is more
specific than one linked to everything; ties keep the order the tutorials were given in (the learning screens give
them shortest first, then by id), so the answer is the same on every kiosk.

Qt-free and pure: it reads the tutorials it is given and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable

from tutorials.model import Tutorial


def _closest_first(matches: list[tuple[int, Tutorial]], field: str, wanted: str) -> list[Tutorial]:
    """`matches` (given order, tutorial) sorted by where `wanted` stands in the tutorial's `field`, then how many
    links it has, then the given order."""

    def key(item: tuple[int, Tutorial]) -> tuple[int, int, int]:
        order, tutorial = item
        links: tuple[str, ...] = getattr(tutorial, field)
        return links.index(wanted), len(links), order

    return [tutorial for _order, tutorial in sorted(matches, key=key)]


def tutorials_for(service_id: str | None, life_event_id: str | None, tutorials: Iterable[Tutorial]) -> list[Tutorial]:
    """The tutorials linked to `service_id`, then those linked only to `life_event_id`; each tutorial once.

    Empty when nothing links to either (or both are None): the caller then shows no offer.
    """
    given: list[Tutorial] = []
    for tutorial in tutorials:  # one per id: the first given
        if all(tutorial.id != other.id for other in given):
            given.append(tutorial)
    by_service = [(i, t) for i, t in enumerate(given) if service_id is not None and service_id in t.services]
    found = _closest_first(by_service, "services", service_id or "")
    seen = {t.id for t in found}  # a tutorial linked to both comes once, with the service links
    by_event = [
        (i, t)
        for i, t in enumerate(given)
        if life_event_id is not None and life_event_id in t.life_events and t.id not in seen
    ]
    return found + _closest_first(by_event, "life_events", life_event_id or "")


def first_tutorial_for(
    service_id: str | None, life_event_id: str | None, tutorials: Iterable[Tutorial]
) -> Tutorial | None:
    """The one tutorial to offer after this service: the closest link, or None."""
    found = tutorials_for(service_id, life_event_id, tutorials)
    return found[0] if found else None
