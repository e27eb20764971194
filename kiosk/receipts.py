"""What a printed receipt says, in one language: the reference, when it was sent, what happens next, whom to contact.

Qt-free, so the same content can be printed (ui/receipt.py), spoken and tested without a display. A receipt may be
left behind at the kiosk, so it never carries the citizen's answers: the builder does not even take them. Dates are
formatted here, per language, without the `locale` module (process-wide state, and a kiosk may lack the locales).

Right-to-left receipts wrap data that must read left to right (dates, phone numbers, e-mail and web addresses, codes,
names that may be Latin) in Unicode isolates, so the bidi algorithm cannot reorder their parts inside Arabic text.
Addresses get a word joiner after each hyphen: wrapped there, "seguranca-" + "social" looks like one split word.
`without_marks` removes these invisible marks.
"""

import re
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Final, NamedTuple

from kiosk.catalog.model import Service
from kiosk.codes import for_speech
from kiosk.i18n import is_rtl

# Every UI string a receipt needs; the caller's `labels(key)` must know them all (kiosk/locales/*.json).
RECEIPT_LABEL_KEYS: Final = (
    "receipt.title",  # "Application sent"
    "receipt.reference",  # "Your reference"
    "receipt.sent_at",  # "Sent"
    "receipt.next_steps",  # "What happens next"
    "receipt.contact",  # "Contact"
    "receipt.phone",  # "Phone"
    "receipt.email",  # "Email"
    "receipt.web",  # "Website"
    "receipt.hours",  # "Opening hours"
    "receipt.keep",  # "Keep this receipt. Quote the reference if you contact us."
    "receipt.site",  # "Citizen spot"
    "receipt.kiosk",  # "Kiosk"
)

# The draft slip's own strings (save and come back later), with the shared "receipt.site" and "receipt.kiosk".
DRAFT_SLIP_LABEL_KEYS: Final = (
    "draft.slip.title",  # "Your answers are saved"
    "draft.slip.code",  # "Your code to continue"
    "draft.slip.keep_until",  # "Keep until"
    "draft.slip.how_heading",  # "How to continue"
    "draft.slip.how",  # what to bring, where to go
    "draft.slip.help_heading",  # "Need help?"
    "draft.slip.help",  # "A member of staff can help you continue."
    "draft.slip.keep",  # "Keep this slip. Nobody can continue without your date of birth."
    "receipt.site",
    "receipt.kiosk",
)

# Day first everywhere the kiosk has users (never the US month-first order); Ukrainian writes dots.
_DATE_FORMATS: Final = {
    "pt": "{d:02d}/{m:02d}/{y:04d} {H:02d}:{M:02d}",
    "en": "{d:02d}/{m:02d}/{y:04d} {H:02d}:{M:02d}",
    "es": "{d:02d}/{m:02d}/{y:04d} {H:02d}:{M:02d}",
    "fr": "{d:02d}/{m:02d}/{y:04d} {H:02d}:{M:02d}",
    "uk": "{d:02d}.{m:02d}.{y:04d} {H:02d}:{M:02d}",
    "ar": "{d:02d}/{m:02d}/{y:04d} {H:02d}:{M:02d}",
}
_ISO_FORMAT: Final = "{y:04d}-{m:02d}-{d:02d} {H:02d}:{M:02d}"  # any other language: unambiguous everywhere
# French typography puts a (no-break) space before a colon.
_SEPARATORS: Final = {"fr": "\u00a0: "}
_SEPARATOR: Final = ": "

_LRI: Final = "\u2066"  # left-to-right isolate: numbers, codes, addresses
_FSI: Final = "\u2068"  # first-strong isolate: names, whatever script they are in
_PDI: Final = "\u2069"
_WORD_JOINER: Final = "\u2060"  # no line break here: a break after an address's hyphen reads as a word split
_MARKS: Final = {ord(mark): None for mark in (_LRI, _FSI, _PDI, _WORD_JOINER)}
_PORTUGUESE_NUMBER: Final = re.compile(r"\+351(\d{3})(\d{3})(\d{3})")


class Receipt(NamedTuple):
    """The text of one receipt in one language, in print order. `rtl` says how to lay it out."""

    title: str
    service_title: str
    reference: str  # the display form, exactly what the QR code encodes
    reference_label: str
    sent_at_label: str
    sent_at_text: str  # the kiosk's local date and time, e.g. "28/11/2026 14:05"
    next_steps_heading: str
    next_steps: str
    contact_heading: str
    contact_lines: tuple[str, ...]  # name, phone, e-mail, web, hours: those the service has
    site_line: str  # the citizen spot and the kiosk, so staff know where it was printed
    keep_note: str
    lang: str
    rtl: bool


def build_receipt(
    service: Service,
    reference: str,
    sent_at: datetime,
    lang: str,
    labels: Callable[[str], str],
    *,
    site_name: str,
    kiosk_id: str,
    tz: tzinfo | None = None,
) -> Receipt:
    """The receipt for `service` sent as `reference` at `sent_at` (timezone-aware), shown in the zone `tz`.

    `labels(key)` returns the UI string in `lang` for each key of RECEIPT_LABEL_KEYS (e.g. `lambda key:
    catalog.t(key, lang)`). `site_name` and `kiosk_id` are keyword-only: two strings side by side are easy to swap.
    `tz=None` is the kiosk's local zone. The reference is checked and put in display form (`CodeError` if it is not a
    valid code of any kind).
    """
    if sent_at.tzinfo is None or sent_at.utcoffset() is None:
        raise ValueError("a receipt's sent_at must be timezone-aware (a naive time could print the wrong hour)")
    rtl = is_rtl(lang)
    separator = label_separator(lang)
    contact = service.contact
    lines = [_isolate(contact.name.t(lang), _FSI, rtl)]
    if contact.phone:
        lines.append(labels("receipt.phone") + separator + _isolate(format_phone(contact.phone), _LRI, rtl))
    if contact.email:
        lines.append(labels("receipt.email") + separator + _isolate(_unbroken(contact.email), _LRI, rtl))
    if contact.web:
        lines.append(labels("receipt.web") + separator + _isolate(_unbroken(format_web(contact.web)), _LRI, rtl))
    if contact.hours is not None:
        lines.append(labels("receipt.hours") + separator + contact.hours.t(lang))
    site = _site_line(labels, site_name, kiosk_id, lang)
    return Receipt(
        title=labels("receipt.title"),
        service_title=service.title.t(lang),
        reference="-".join(for_speech(reference)),
        reference_label=labels("receipt.reference"),
        sent_at_label=labels("receipt.sent_at"),
        sent_at_text=_isolate(format_date_time(sent_at, lang, tz), _LRI, rtl),
        next_steps_heading=labels("receipt.next_steps"),
        next_steps=service.next_steps.t(lang),
        contact_heading=labels("receipt.contact"),
        contact_lines=tuple(lines),
        site_line=site,
        keep_note=labels("receipt.keep"),
        lang=lang,
        rtl=rtl,
    )


def build_draft_slip(
    service: Service,
    code: str,
    expires_at: datetime,
    lang: str,
    labels: Callable[[str], str],
    *,
    site_name: str,
    kiosk_id: str,
    tz: tzinfo | None = None,
) -> Receipt:
    """The slip printed when a form is saved to finish later: the resume code (also as the QR code) and the last
    day it can be used, how to continue, and where it was printed. Like a receipt it never carries an answer, and it
    never carries the date of birth either (the second factor that makes a found slip useless to anyone else).

    `labels(key)` must know DRAFT_SLIP_LABEL_KEYS. The code is checked and put in display form (`CodeError`).
    """
    rtl = is_rtl(lang)
    site = _site_line(labels, site_name, kiosk_id, lang)
    return Receipt(
        title=labels("draft.slip.title"),
        service_title=service.title.t(lang),
        reference="-".join(for_speech(code)),
        reference_label=labels("draft.slip.code"),
        sent_at_label=labels("draft.slip.keep_until"),
        sent_at_text=_isolate(format_date(expires_at, lang, tz), _LRI, rtl),
        next_steps_heading=labels("draft.slip.how_heading"),
        next_steps=labels("draft.slip.how"),
        contact_heading=labels("draft.slip.help_heading"),
        contact_lines=(labels("draft.slip.help"),),
        site_line=site,
        keep_note=labels("draft.slip.keep"),
        lang=lang,
        rtl=rtl,
    )


def _site_line(labels: Callable[[str], str], site_name: str, kiosk_id: str, lang: str) -> str:
    """Where a slip was printed: the citizen spot and the kiosk (a no-break space keeps "Kiosk" and its id together)."""
    rtl = is_rtl(lang)
    kiosk = labels("receipt.kiosk") + "\u00a0" + _isolate(kiosk_id, _LRI, rtl)
    return labels("receipt.site") + label_separator(lang) + _isolate(site_name, _FSI, rtl) + " · " + kiosk


def format_date(moment: datetime, lang: str, tz: tzinfo | None = None) -> str:
    """The day of `moment` (timezone-aware) in `tz` (None: the kiosk's local zone), in the language's order."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("format_date needs a timezone-aware datetime")
    local = moment.astimezone(tz)
    pattern = _DATE_FORMATS.get(_base(lang), _ISO_FORMAT).split(" ", maxsplit=1)[0]  # the date without its time
    return pattern.format(d=local.day, m=local.month, y=local.year)


def format_date_time(moment: datetime, lang: str, tz: tzinfo | None = None) -> str:
    """`moment` (timezone-aware) as date and time to the minute in `tz` (None: the kiosk's local zone)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("format_date_time needs a timezone-aware datetime")
    local = moment.astimezone(tz)
    pattern = _DATE_FORMATS.get(_base(lang), _ISO_FORMAT)
    return pattern.format(d=local.day, m=local.month, y=local.year, H=local.hour, M=local.minute)


def label_separator(lang: str) -> str:
    """What goes between a label and its value ("Phone: ..."); French wants a space before the colon."""
    return _SEPARATORS.get(_base(lang), _SEPARATOR)


def format_phone(number: str) -> str:
    """Portuguese numbers in the groups people read them in ("+351 210 000 003"); other numbers unchanged."""
    match = _PORTUGUESE_NUMBER.fullmatch(number.replace(" ", ""))
    return "+351 " + " ".join(match.groups()) if match else number


def format_web(address: str) -> str:
    """A web address as people type it: without "https://" (browsers add it) or a trailing slash."""
    return address.removeprefix("https://").rstrip("/")


def without_marks(text: str) -> str:
    """`text` without the invisible layout marks this module adds (bidi isolates, word joiners): for speech, tests."""
    return text.translate(_MARKS)


def _unbroken(address: str) -> str:
    return address.replace("-", "-" + _WORD_JOINER)


def _isolate(text: str, opener: str, rtl: bool) -> str:
    return f"{opener}{text}{_PDI}" if rtl else text


def _base(lang: str) -> str:
    return lang.split("-", maxsplit=1)[0]
