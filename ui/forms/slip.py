"""The "learn to do this yourself next time" slip a mediator prints at the end of an assisted service.

It names the service just done (its title in the session's language), how to start it at a kiosk (Use a public service
→ the life event → the service) and how to learn it: the tutorial linked to the service or its life event
(`tutorials.links`), by its title in the session's language, with a learner code for this citizen that stands where a
receipt has its reference (and in the QR code), and says in plain words that the code works only on this kiosk (codes
are kept in this kiosk's database and nowhere else). Without a linked tutorial (or when no code can be made) the
service's id stands there instead and the slip says where "Learn digital skills" is on the home screen. It is printed
through the same spool and printer as the receipts (`ScreenContext.print_receipt`), laid out as a
`kiosk.receipts.Receipt`. Nothing personal is on it: no answer, no reference, no date, no mediator (the builder is not
even given them); the learner code is a pseudonym that does not hold the citizen's name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.codes import for_speech
from kiosk.i18n import is_rtl
from kiosk.receipts import Receipt, label_separator

if TYPE_CHECKING:
    from kiosk.catalog.model import LifeEvent, Service
    from tutorials.model import Tutorial
    from ui.screens.base import ScreenContext

_LRI, _FSI, _PDI = "\u2066", "\u2068", "\u2069"  # isolates: codes, titles and names inside a right-to-left line


def learning_slip(
    service: Service,
    life_event: LifeEvent | None,
    lang: str,
    t: Callable[..., str],
    *,
    site_name: str,
    kiosk_id: str,
    tutorial: Tutorial | None = None,
    code: str | None = None,
) -> Receipt:
    """The slip's text in `lang`; `t(key, **params)` gives the UI strings (assist.slip.*, tutorial.slip.*,
    home.services.title, receipt.*). `tutorial` and `code`: the linked lesson and this citizen's learner code."""
    rtl = is_rtl(lang)

    def isolated(text: str) -> str:
        return f"{_FSI}{text}{_PDI}" if rtl else text

    title = service.title.t(lang)
    steps = [t("home.services.title"), *([life_event.title.t(lang)] if life_event is not None else []), title]
    arrow = " ← " if rtl else " → "
    separator = label_separator(lang)
    site = f"{t('receipt.site')}{separator}{isolated(site_name)} · {t('receipt.kiosk')}\u00a0{isolated(kiosk_id)}"
    # The service's id is the slip's code unless there is a lesson to continue with a learner code.
    reference, reference_label, keep = service.id, t("assist.slip.code"), t("assist.slip.keep")
    learn_lines: tuple[str, ...] = (t("assist.slip.find_lessons"),)
    if tutorial is not None:
        lesson = t("assist.slip.lesson", title=isolated(tutorial.title.t(lang)))
        learn_lines = (lesson, *learn_lines)
        if code is not None:
            reference, reference_label, keep = (
                "-".join(for_speech(code)),
                t("tutorial.slip.code"),
                t("tutorial.slip.keep"),
            )
            kiosk = f"{_LRI}{kiosk_id}{_PDI}" if rtl else kiosk_id
            learn_lines = (lesson, t("tutorial.slip.how"), t("assist.slip.this_kiosk", kiosk=kiosk))
    return Receipt(
        title=t("assist.slip.title"),
        service_title=title,
        reference=reference,
        reference_label=reference_label,
        sent_at_label=t("assist.slip.path"),
        sent_at_text=arrow.join(isolated(step) for step in steps),
        next_steps_heading=t("assist.slip.how_heading"),
        next_steps=t("assist.slip.how"),
        contact_heading=t("assist.slip.learn_heading"),
        contact_lines=learn_lines,
        site_line=site,
        keep_note=keep,
        lang=lang,
        rtl=rtl,
    )


def life_event_of(context: ScreenContext, service: Service) -> LifeEvent | None:
    """The life event the citizen came through, if it holds the service; else the service's first one."""
    chosen = context.journey.life_event_id
    for event_id in ([chosen] if chosen in service.life_events else []) + list(service.life_events):
        event = context.services.life_event(event_id)
        if event is not None:
            return event
    return None


def print_learning_slip(
    context: ScreenContext, service: Service, *, tutorial: Tutorial | None = None, code: str | None = None
) -> bool:
    """Build the slip in the session's language and print it; False when no printer took it."""
    slip = learning_slip(
        service,
        life_event_of(context, service),
        context.language,
        context.t,
        site_name=context.site.name,
        kiosk_id=context.site.kiosk_id,
        tutorial=tutorial,
        code=code,
    )
    return context.print_receipt(slip)
