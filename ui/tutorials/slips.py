"""The learner's printed slips, as receipts (kiosk.receipts.Receipt) so the receipt printer path prints them with their
QR code: the learner code slip (to continue another day) and the record of learning (what was done, the DigComp
competences it covers: a record, not a certificate).

Nothing personal is on either: the code is a pseudonym, and the first name a learner may give a trainer is never
printed here. Qt-free.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.codes import for_speech
from kiosk.i18n import is_rtl
from kiosk.receipts import Receipt, format_date, label_separator
from tutorials.model import Tutorial

if TYPE_CHECKING:
    from ui.screens.base import ScreenContext

_LRI, _FSI, _PDI = "\u2066", "\u2068", "\u2069"


def _isolate(text: str, opener: str, rtl: bool) -> str:
    return f"{opener}{text}{_PDI}" if rtl else text


def _site(labels: Callable[[str], str], site_name: str, kiosk_id: str, lang: str) -> str:
    rtl = is_rtl(lang)
    kiosk = labels("receipt.kiosk") + "\u00a0" + _isolate(kiosk_id, _LRI, rtl)
    return labels("receipt.site") + label_separator(lang) + _isolate(site_name, _FSI, rtl) + " · " + kiosk


def competence_text(tag: str, labels: Callable[..., str]) -> str:
    """`digcomp:2.2/5.1@L1` in words: "DigComp 2.2, competence 5.1, level 1"."""
    body = tag.removeprefix("digcomp:")
    version, _, rest = body.partition("/")
    competence, _, level = rest.partition("@L")
    return labels("tutorial.slip.competence", version=version, competence=competence, level=level)


def print_learner_slip(context: ScreenContext, code: str, printed_at: dt.datetime | None = None) -> bool:
    """Print the learner-code slip in the screen's language for its site (now, unless `printed_at` says when);
    True when it printed."""
    slip = build_learner_slip(
        code,
        context.language,
        context.t,
        site_name=context.site.name,
        kiosk_id=context.site.kiosk_id,
        printed_at=printed_at or dt.datetime.now(dt.UTC),
    )
    return context.print_receipt(slip)


def build_learner_slip(
    code: str, lang: str, labels: Callable[..., str], *, site_name: str, kiosk_id: str, printed_at: dt.datetime
) -> Receipt:
    """The slip with the learner code: keep it to continue where you stopped, at this kiosk."""
    rtl = is_rtl(lang)
    return Receipt(
        title=labels("tutorial.slip.code_title"),
        service_title=labels("home.learn.title"),
        reference="-".join(for_speech(code)),
        reference_label=labels("tutorial.slip.code"),
        sent_at_label=labels("tutorial.slip.printed"),
        sent_at_text=_isolate(format_date(printed_at, lang), _LRI, rtl),
        next_steps_heading=labels("tutorial.slip.how_heading"),
        next_steps=labels("tutorial.slip.how"),
        contact_heading=labels("draft.slip.help_heading"),
        contact_lines=(labels("tutorial.slip.help"),),
        site_line=_site(labels, site_name, kiosk_id, lang),
        keep_note=labels("tutorial.slip.keep"),
        lang=lang,
        rtl=rtl,
    )


def build_record_slip(
    tutorial: Tutorial,
    code: str,
    outcome: str,
    lang: str,
    labels: Callable[..., str],
    *,
    site_name: str,
    kiosk_id: str,
    printed_at: dt.datetime,
) -> Receipt:
    """The record of learning for one tutorial: its title, the outcome in plain words, the competences it covers."""
    rtl = is_rtl(lang)
    competences = "\n".join(competence_text(tag, labels) for tag in tutorial.digcomp)
    return Receipt(
        title=labels("tutorial.slip.record_title"),
        service_title=tutorial.title.t(lang),
        reference="-".join(for_speech(code)),
        reference_label=labels("tutorial.slip.code"),
        sent_at_label=labels("tutorial.slip.done_on"),
        sent_at_text=_isolate(format_date(printed_at, lang), _LRI, rtl),
        next_steps_heading=labels("tutorial.slip.covers"),
        next_steps=f"{outcome}\n{competences}".strip(),
        contact_heading=labels("tutorial.slip.next_heading"),
        contact_lines=(labels("tutorial.slip.next"),),
        site_line=_site(labels, site_name, kiosk_id, lang),
        keep_note=labels("tutorial.slip.not_certificate"),
        lang=lang,
        rtl=rtl,
    )
