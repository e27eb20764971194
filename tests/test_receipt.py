"""The printed receipt: its content (Qt-free), the PDF, a QR code phones can read, printing without a dialog, the spool.

The key check renders the receipt with the same painting code the printer and the PDF use, then decodes the QR code
from the pixels with zxing-cpp, in Portuguese, English and Arabic (right to left).
"""

from __future__ import annotations

import dataclasses
import inspect
import os
import re
import stat
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

from kiosk.catalog import load_catalog
from kiosk.catalog.model import Contact, Service, Text
from kiosk.codes import CodeError, CodeKind, new_code
from kiosk.receipts import RECEIPT_LABEL_KEYS, Receipt, build_receipt, format_date_time, without_marks
from ui import receipt as receipt_ui
from ui.receipt import (
    A4,
    ReceiptSpool,
    margin_mm,
    print_receipt,
    print_receipt_on,
    receipt_pdf,
    render_receipt_image,
    write_receipt_pdf,
)
from ui.receipt_layout import QR_QUIET_MODULES, QR_SYMBOL_MM

REFERENCE = "R-3WX5-RZMV-5N7P-6"
SENT_AT = datetime(2026, 11, 28, 14, 5, 30, tzinfo=UTC)
LISBON_WINTER = timezone(timedelta(0))  # Lisbon is UTC+0 in November; explicit so the tests ignore the host's zone
ROLL_PX = (640, 1600)  # 80 mm x 200 mm at 203 dpi, the usual thermal receipt printer
PX_PER_MM = ROLL_PX[0] / 80

LABELS = {
    "en": {
        "receipt.title": "Application sent",
        "receipt.reference": "Your reference",
        "receipt.sent_at": "Sent",
        "receipt.next_steps": "What happens next",
        "receipt.contact": "Contact",
        "receipt.phone": "Phone",
        "receipt.email": "Email",
        "receipt.web": "Website",
        "receipt.hours": "Opening hours",
        "receipt.keep": "Keep this receipt. Quote the reference if you contact us.",
        "receipt.site": "Citizen spot",
        "receipt.kiosk": "Kiosk",
    },
    "pt-PT": {
        "receipt.title": "Pedido enviado",
        "receipt.reference": "A sua referência",
        "receipt.sent_at": "Enviado em",
        "receipt.next_steps": "O que acontece a seguir",
        "receipt.contact": "Contactos",
        "receipt.phone": "Telefone",
        "receipt.email": "Email",
        "receipt.web": "Site",
        "receipt.hours": "Horário",
        "receipt.keep": "Guarde este talão. Indique a referência se nos contactar.",
        "receipt.site": "Espaço Cidadão",
        "receipt.kiosk": "Quiosque",
    },
    "ar": {
        "receipt.title": "تم إرسال الطلب",
        "receipt.reference": "رقمك المرجعي",
        "receipt.sent_at": "وقت الإرسال",
        "receipt.next_steps": "ماذا يحدث بعد ذلك",
        "receipt.contact": "للتواصل",
        "receipt.phone": "الهاتف",
        "receipt.email": "البريد الإلكتروني",
        "receipt.web": "الموقع الإلكتروني",
        "receipt.hours": "ساعات العمل",
        "receipt.keep": "احتفظ بهذا الإيصال. اذكر الرقم المرجعي إذا تواصلت معنا.",
        "receipt.site": "مكتب خدمة المواطن",
        "receipt.kiosk": "الجهاز",
    },
}


def _with(text: Text, **more: str) -> Text:
    return Text.of({**text.values, **more})


@pytest.fixture(scope="module")
def service() -> Service:
    """The demo child-benefit service, with Arabic added (the demo catalog has pt-PT and en only)."""
    demo = load_catalog().catalog.services["child-benefit"]
    contact = dataclasses.replace(
        demo.contact,
        name=_with(demo.contact.name, ar="الضمان الاجتماعي"),
        email="apoio@example.gov.pt",
        hours=_with(demo.contact.hours or Text.of({"en": "Weekdays"}), ar="أيام العمل، من 9:00 إلى 18:00"),
    )
    return dataclasses.replace(
        demo,
        title=_with(demo.title, ar="طلب إعانة الأطفال"),
        next_steps=_with(
            demo.next_steps, ar="يقرر الضمان الاجتماعي خلال 30 يومًا. تصلك النتيجة برسالة أو عبر الإنترنت."
        ),
        contact=contact,
    )


def make_receipt(service: Service, lang: str, reference: str = REFERENCE) -> Receipt:
    return build_receipt(
        service,
        reference,
        SENT_AT,
        lang,
        LABELS[lang].__getitem__,
        site_name="Lisboa – Saldanha",
        kiosk_id="K-017",
        tz=LISBON_WINTER,
    )


def grey(image: QImage) -> np.ndarray:
    """The image as a (height, width) uint8 array, 0 black to 255 white."""
    image = image.convertToFormat(QImage.Format.Format_Grayscale8)
    rows = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    return rows.reshape(image.height(), image.bytesPerLine())[:, : image.width()].copy()


def ink_rows(pixels: np.ndarray) -> np.ndarray:
    return np.flatnonzero((pixels < 128).any(axis=1))


def first_band(pixels: np.ndarray) -> np.ndarray:
    """The pixels of the first line of text (the title): the rows from the first ink to the next blank row."""
    rows = ink_rows(pixels)
    start = end = rows[0]
    while end + 1 < len(pixels) and (pixels[end + 1] < 128).any():
        end += 1
    return pixels[start : end + 1]


def ink_columns(pixels: np.ndarray) -> tuple[int, int]:
    columns = np.flatnonzero((pixels < 128).any(axis=0))
    return int(columns[0]), int(columns[-1])


# --- the content (Qt-free) -------------------------------------------------------------------------------------------


def test_english_receipt_has_every_part_in_order(service: Service) -> None:
    receipt = make_receipt(service, "en")
    assert receipt.title == "Application sent"
    assert receipt.service_title == "Apply for child benefit"
    assert receipt.reference == REFERENCE
    assert (receipt.reference_label, receipt.sent_at_label) == ("Your reference", "Sent")
    assert receipt.sent_at_text == "28/11/2026 14:05"
    assert receipt.next_steps == service.next_steps.t("en")
    assert tuple(without_marks(line) for line in receipt.contact_lines) == (
        "Social security",
        "Phone: +351 210 000 003",
        "Email: apoio@example.gov.pt",
        "Website: example.gov.pt/seguranca-social",
        "Opening hours: " + (service.contact.hours or Text.of({})).t("en"),
    )
    assert receipt.site_line == "Citizen spot: Lisboa – Saldanha · Kiosk\u00a0K-017"
    assert receipt.keep_note.startswith("Keep this receipt")
    assert (receipt.lang, receipt.rtl) == ("en", False)
    # Addresses may wrap after "/" but never after a hyphen, where the break would look like a word split.
    assert "example.gov.pt/seguranca-\u2060social" in receipt.contact_lines[3]


def test_contact_lines_list_only_what_the_service_has(service: Service) -> None:
    bare = dataclasses.replace(service, contact=Contact(name=Text.of({"pt-PT": "Finanças", "en": "Tax office"})))
    assert make_receipt(bare, "pt-PT").contact_lines == ("Finanças",)


def test_the_receipt_asks_for_exactly_its_labels(service: Service) -> None:
    asked: list[str] = []

    def labels(key: str) -> str:
        asked.append(key)
        return LABELS["en"][key]

    build_receipt(service, REFERENCE, SENT_AT, "en", labels, site_name="Lisboa", kiosk_id="K-1")
    assert set(asked) == set(RECEIPT_LABEL_KEYS)


def test_time_is_the_kiosks_local_time_in_each_languages_format(service: Service) -> None:
    summer = timezone(timedelta(hours=1))
    assert format_date_time(SENT_AT, "pt-PT", summer) == "28/11/2026 15:05"
    assert format_date_time(SENT_AT, "uk", LISBON_WINTER) == "28.11.2026 14:05"
    assert format_date_time(SENT_AT, "de", LISBON_WINTER) == "2026-11-28 14:05"  # unknown language: ISO order
    assert format_date_time(datetime(2027, 1, 1, 0, 30, tzinfo=UTC), "en", timezone(timedelta(hours=-1))) == (
        "31/12/2026 23:30"
    )
    with pytest.raises(ValueError, match="timezone-aware"):
        naive = datetime(2026, 11, 28, 14, 5)
        build_receipt(service, REFERENCE, naive, "en", LABELS["en"].__getitem__, site_name="L", kiosk_id="K")


@settings(max_examples=300, deadline=None)
@given(
    moment=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)),
    offset_minutes=st.integers(min_value=-12 * 60, max_value=14 * 60),
    lang=st.sampled_from(["pt-PT", "en", "es", "fr", "uk", "ar", "xx"]),
)
def test_formatted_time_reads_back_as_the_same_local_minute(moment: datetime, offset_minutes: int, lang: str) -> None:
    zone = timezone(timedelta(minutes=offset_minutes))
    text = format_date_time(moment, lang, zone)
    numbers = [int(part) for part in re.findall(r"\d+", text)]
    local = moment.astimezone(zone)
    expected_date = [local.year, local.month, local.day] if lang == "xx" else [local.day, local.month, local.year]
    assert numbers == [*expected_date, local.hour, local.minute]


@settings(max_examples=200, deadline=None)
@given(bits=st.integers(min_value=0, max_value=2**60 - 1), lower=st.booleans(), spaced=st.booleans())
def test_any_valid_reference_is_printed_in_display_form(bits: int, lower: bool, spaced: bool) -> None:
    code = new_code(CodeKind.SUBMISSION, rng=lambda _: bits)
    typed = code.replace("-", " " if spaced else "")
    typed = typed.lower() if lower else typed
    minimal = Service(**_minimal_service_fields())  # type: ignore[arg-type]
    receipt = build_receipt(minimal, typed, SENT_AT, "en", LABELS["en"].__getitem__, site_name="L", kiosk_id="K")
    assert receipt.reference == code


def _minimal_service_fields() -> dict[str, object]:
    text = Text.of({"pt-PT": "x", "en": "x"})
    return {
        "id": "s",
        "version": "1",
        "title": text,
        "summary": text,
        "life_events": (),
        "keywords": {},
        "you_need": (),
        "duration_minutes": 1,
        "other_ways": text,
        "needs_connection": False,
        "pages": (),
        "next_steps": text,
        "contact": Contact(name=text),
        "target": "t",
        "retention_days": 1,
    }


def test_a_reference_with_a_wrong_check_symbol_is_refused(service: Service) -> None:
    with pytest.raises(CodeError):
        make_receipt(service, "en", reference="R-3WX5-RZMV-5N7P-7")


def test_arabic_receipt_is_right_to_left_with_left_to_right_data_isolated(service: Service) -> None:
    receipt = make_receipt(service, "ar")
    assert receipt.rtl
    assert receipt.title == LABELS["ar"]["receipt.title"]
    assert receipt.service_title == "طلب إعانة الأطفال"
    assert receipt.reference == REFERENCE  # never wrapped: it is exactly what the QR code holds
    assert receipt.sent_at_text == "\u206628/11/2026 14:05\u2069"
    assert "الهاتف: \u2066+351 210 000 003\u2069" in receipt.contact_lines
    assert without_marks(receipt.site_line) == "مكتب خدمة المواطن: Lisboa – Saldanha · الجهاز\u00a0K-017"


def test_a_receipt_never_carries_answers(service: Service) -> None:
    """A receipt can be left at the kiosk: the builder takes no answers, so an answer's canary can never reach it."""
    params = set(inspect.signature(build_receipt).parameters)
    assert params == {"service", "reference", "sent_at", "lang", "labels", "site_name", "kiosk_id", "tz"}
    assert not any("answer" in field for field in Receipt._fields)
    canary = "Zé Canário 123456789 PT50000201231234567890154"
    answers = {question.id: canary for question, _ in service.questions()}  # what the citizen typed on the way
    assert answers  # the service does ask questions
    for lang in ("pt-PT", "en", "ar"):
        receipt = make_receipt(service, lang)
        text = "\n".join(str(value) for value in receipt)
        for word in canary.split():
            assert word not in text


# --- the PDF -------------------------------------------------------------------------------------------------------


def pdf_title(data: bytes) -> str:
    """The /Title of the PDF's Info dictionary (Qt writes it as UTF-16BE with a byte-order mark)."""
    found = re.search(rb"/Title \((.*?)(?<!\\)\)", data, re.DOTALL)
    assert found, "no /Title in the PDF"
    raw = re.sub(rb"\\(.)", rb"\1", found.group(1))
    return raw[2:].decode("utf-16-be") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1")


def page_sizes_mm(data: bytes) -> list[tuple[float, float]]:
    boxes = re.findall(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    return [(round(float(w) * 25.4 / 72), round(float(h) * 25.4 / 72)) for w, h in boxes]


def test_pdf_is_an_80_mm_roll_titled_with_the_reference(qapp, service: Service, tmp_path: Path) -> None:
    path = write_receipt_pdf(tmp_path / "receipt.pdf", make_receipt(service, "pt-PT"))
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert pdf_title(data) == REFERENCE
    assert f'<rdf:li xml:lang="x-default">{REFERENCE}</rdf:li>'.encode() in data  # the XMP title too
    assert page_sizes_mm(data) == [(80, 200)]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_pdf_on_a4_and_a_long_text_continues_on_a_new_page(qapp, service: Service) -> None:
    receipt = make_receipt(service, "en")
    assert page_sizes_mm(receipt_pdf(receipt, A4)) == [(210, 297)]
    # Next steps alone longer than a page: their lines flow over the pages instead of running off the first one.
    long = receipt._replace(next_steps=" ".join(["Social security will write to you about the next step."] * 40))
    pages = page_sizes_mm(receipt_pdf(long))
    assert len(pages) >= 3
    assert set(pages) == {(80, 200)}


# --- what is printed: the QR code and the layout ---------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["pt-PT", "en", "ar"])
def test_the_printed_qr_code_reads_back_as_the_reference(qapp, service: Service, lang: str, save_artifact) -> None:
    image = render_receipt_image(make_receipt(service, lang), *ROLL_PX)
    save_artifact(image, f"receipt-{lang}.png")
    pixels = grey(image)
    codes = zxingcpp.read_barcodes(pixels)
    assert [(code.format, code.text) for code in codes] == [(zxingcpp.BarcodeFormat.QRCode, REFERENCE)]
    corners = codes[0].position
    left, right = corners.top_left.x, corners.top_right.x
    top, bottom = corners.top_left.y, corners.bottom_left.y
    assert (right - left) / PX_PER_MM >= QR_SYMBOL_MM - 0.5  # zxing places corners on module centres, give 1/2 mm
    assert abs((right - left) - (bottom - top)) <= 2  # square
    module = (right - left + 1) / 21  # version 1; the corners are within one pixel of the symbol's edges
    quiet = round(QR_QUIET_MODULES * module) - 2
    zone = pixels[top - quiet : bottom + quiet + 1, left - quiet : right + quiet + 1].copy()
    zone[quiet:-quiet, quiet:-quiet] = 255  # blank the symbol: what is left is the quiet zone, all white
    assert zone.min() == 255


@pytest.mark.parametrize("lang", ["pt-PT", "en", "ar"])
def test_the_receipt_fits_an_80_by_200_mm_roll(qapp, service: Service, lang: str) -> None:
    pixels = grey(render_receipt_image(make_receipt(service, lang), *ROLL_PX))
    rows = ink_rows(pixels)
    margin_px = margin_mm(80) * PX_PER_MM
    assert rows[0] >= margin_px - 1
    assert rows[-1] < ROLL_PX[1] - margin_px - 5 * PX_PER_MM  # the last line ends well above the bottom margin
    left, right = ink_columns(pixels)
    assert left >= margin_px - 1
    assert right <= ROLL_PX[0] - margin_px  # nothing runs off the side


def test_arabic_is_laid_out_from_the_right(qapp, service: Service) -> None:
    english = first_band(grey(render_receipt_image(make_receipt(service, "en"), *ROLL_PX)))
    arabic = first_band(grey(render_receipt_image(make_receipt(service, "ar"), *ROLL_PX)))
    margin_px = margin_mm(80) * PX_PER_MM
    en_left, en_right = ink_columns(english)
    ar_left, ar_right = ink_columns(arabic)
    assert en_left <= margin_px + 4 < ROLL_PX[0] / 2 < en_right < ROLL_PX[0] - margin_px - 20
    assert margin_px + 20 < ar_left < ROLL_PX[0] / 2 < ar_right and ar_right >= ROLL_PX[0] - margin_px - 4


def test_text_is_drawn_as_plain_text(qapp, service: Service) -> None:
    """Markup in a service's text is printed as typed, never interpreted (a rich-text title would show only "X")."""
    receipt = make_receipt(service, "en")
    plain = first_band(grey(render_receipt_image(receipt._replace(title="X"), *ROLL_PX)))
    marked = first_band(grey(render_receipt_image(receipt._replace(title="<b>X</b>"), *ROLL_PX)))
    plain_width = np.subtract(*reversed(ink_columns(plain)))
    marked_width = np.subtract(*reversed(ink_columns(marked)))
    assert marked_width > 4 * plain_width


# --- printing --------------------------------------------------------------------------------------------------------


def test_printing_without_any_printer_returns_false_quietly(qapp, service: Service) -> None:
    if QPrinterInfo.availablePrinters():
        pytest.skip("this machine has printers; the stubbed test below covers the no-printer path")
    assert print_receipt(make_receipt(service, "en"), None) is False  # Qt warnings would fail the test
    assert print_receipt(make_receipt(service, "en"), "receipts") is False


class _NoPrinters:
    @staticmethod
    def availablePrinters() -> list[QPrinterInfo]:
        return []

    @staticmethod
    def defaultPrinter() -> QPrinterInfo:  # pragma: no cover - must not be reached
        raise AssertionError("asked for a default printer although none exists")


def test_printing_returns_false_when_no_printer_is_listed(qapp, service: Service, monkeypatch) -> None:
    monkeypatch.setattr(receipt_ui, "QPrinterInfo", _NoPrinters)
    assert print_receipt(make_receipt(service, "en"), None) is False


def test_printing_paints_the_same_receipt_on_a_printer(qapp, service: Service, tmp_path: Path) -> None:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # a file stands in for the receipt printer
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert print_receipt_on(printer, make_receipt(service, "en")) is True
    data = (tmp_path / "printed.pdf").read_bytes()
    assert data.startswith(b"%PDF")
    assert page_sizes_mm(data) == [(80, 200)]
    assert REFERENCE not in pdf_title(data)  # print queues show the title to staff: not the reference


# --- the spool -------------------------------------------------------------------------------------------------------


def test_spool_files_are_private_and_wipe_deletes_them_all(qapp, service: Service, tmp_path: Path) -> None:
    spool = ReceiptSpool(tmp_path / "spool")
    assert spool.wipe() == 0  # no folder yet
    other = new_code(CodeKind.SUBMISSION)
    paths = [spool.write(make_receipt(service, "en")), spool.write(make_receipt(service, "ar", reference=other))]
    assert [p.name for p in paths] == [f"receipt-{REFERENCE}.pdf", f"receipt-{other}.pdf"]
    assert stat.S_IMODE((tmp_path / "spool").stat().st_mode) == 0o700
    for path in paths:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert path.read_bytes().startswith(b"%PDF")
    (tmp_path / "spool" / "stray.tmp").write_bytes(b"left by a crash")
    assert spool.wipe() == 3
    assert list((tmp_path / "spool").iterdir()) == []
    assert spool.wipe() == 0


def test_rewriting_a_spool_file_makes_it_private_again(qapp, service: Service, tmp_path: Path) -> None:
    spool = ReceiptSpool(tmp_path)
    path = spool.write(make_receipt(service, "en"))
    path.chmod(0o644)
    assert spool.write(make_receipt(service, "en")) == path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.skipif(not hasattr(os, "O_NOFOLLOW"), reason="O_NOFOLLOW is POSIX")
def test_a_link_planted_in_the_spool_is_not_followed(qapp, service: Service, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("untouched")
    spool = ReceiptSpool(tmp_path / "spool")
    spool.directory.mkdir()
    (spool.directory / f"receipt-{REFERENCE}.pdf").symlink_to(target)
    with pytest.raises(OSError):
        spool.write(make_receipt(service, "en"))
    assert target.read_text() == "untouched"
    assert spool.wipe() == 1  # the link goes, its target stays
    assert target.exists()
