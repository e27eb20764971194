"""The "learn to do this yourself next time" slip a mediator prints at the end of an assisted service.

It names the service just done (its title in the session's language), how to start it at a kiosk (Use a public service
→ the life event → the service), and a placeholder line for the tutorials until they exist. It is printed through the
same spool and printer as the receipts (`ScreenContext.print_receipt`), laid out as a `kiosk.receipts.Receipt`: the
service's id stands where a receipt has its reference (and in the QR code). Nothing personal is on it: no answer, no
reference, no date, no mediator; the builder is not even given them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.i18n import is_rtl
from kiosk.receipts import Receipt, label_separator

if TYPE_CHECKING:
    from kiosk.catalog.model import LifeEvent, Service
    from ui.screens.base import ScreenContext

_FSI, _PDI = "\u2068", "\u2069"  # first-strong isolate: titles and names inside a right-to-left line


def learning_slip(
    service: Service,
    life_event: LifeEvent | None,
    lang: str,
    t: Callable[[str], str],
    *,
    site_name: str,
    kiosk_id: str,
) -> Receipt:
    """The slip's text in `lang`; `t(key)` gives the UI strings (assist.slip.*, home.services.title, receipt.*)."""
    rtl = is_rtl(lang)

    def isolated(text: str) -> str:
        return f"{_FSI}{text}{_PDI}" if rtl else text

    title = service.title.t(lang)
    steps = [t("home.services.title"), *([life_event.title.t(lang)] if life_event is not None else []), title]
    arrow = " ← " if rtl else " → "
    separator = label_separator(lang)
    site = f"{t('receipt.site')}{separator}{isolated(site_name)} · {t('receipt.kiosk')}\u00a0{isolated(kiosk_id)}"
    return Receipt(
        title=t("assist.slip.title"),
        service_title=title,
        reference=service.id,
        reference_label=t("assist.slip.code"),
        sent_at_label=t("assist.slip.path"),
        sent_at_text=arrow.join(isolated(step) for step in steps),
        next_steps_heading=t("assist.slip.how_heading"),
        next_steps=t("assist.slip.how"),
        contact_heading=t("assist.slip.learn_heading"),
        contact_lines=(t("assist.slip.tutorials"),),
        site_line=site,
        keep_note=t("assist.slip.keep"),
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


def print_learning_slip(context: ScreenContext, service: Service) -> bool:
    """Build the slip in the session's language and print it; False when no printer took it."""
    slip = learning_slip(
        service,
        life_event_of(context, service),
        context.language,
        context.t,
        site_name=context.site.name,
        kiosk_id=context.site.kiosk_id,
    )
    return context.print_receipt(slip)
