"""Answers in several labelled boxes: a date (GOV.UK's memorable date: Day, Month, Year) and an address (street,
number, floor (optional), postcode, locality).

Each box has its own visible label, which is also its accessible name; the question describes it. An error about one
box (a missing month, a wrong postcode) marks that box and takes focus there. In right-to-left languages the row
mirrors (Day stands first, on the right), while each box keeps its digits left to right.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.forms.answers import AddressInput, DateInput, Raw
from ui.forms.base import AnswerSpec, AnswerWidget, FormLineEdit
from ui.forms.text_inputs import BOX_STYLES, BoxStyle, PartBox, labelled_box

_DIGITS = BOX_STYLES["nif"].hints
DATE_BOXES = (
    PartBox("day", "form.date.day", BoxStyle(2, _DIGITS, True, 20)),
    PartBox("month", "form.date.month", BoxStyle(2, _DIGITS, True, 20)),
    PartBox("year", "form.date.year", BoxStyle(4, _DIGITS, True, 20)),
)
_TEXT = BOX_STYLES["text"].hints
ADDRESS_BOXES = (
    PartBox("street", "form.address.street", BoxStyle(0, _TEXT, False, 400)),
    PartBox("number", "form.address.number", BoxStyle(8, _TEXT, False, 400)),
    PartBox("floor", "form.address.floor", BoxStyle(8, _TEXT, False, 400)),
    PartBox("postcode", "form.address.postcode", BOX_STYLES["postcode"]),
    PartBox("locality", "form.address.locality", BoxStyle(20, _TEXT, False, 400)),
)


class _PartsAnswer(AnswerWidget):
    boxes: dict[str, FormLineEdit]

    def fields(self) -> list[FormLineEdit]:  # type: ignore[override]
        return list(self.boxes.values())

    def part_field(self, part: str | None) -> QWidget | None:
        return self.boxes.get(part or "") or next(iter(self.boxes.values()))


class DateAnswer(_PartsAnswer):
    def __init__(self, spec: AnswerSpec) -> None:
        super().__init__(spec)
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(self.context.px())
        self.boxes = {part.part: labelled_box(self, part, row) for part in DATE_BOXES}
        row.addStretch(1)
        self.column.addWidget(holder)
        if spec.question is not None and spec.question.allow_unknown:
            self.add_unknown_option()

    def read(self) -> Raw:
        return DateInput(*(self.boxes[part.part].text() for part in DATE_BOXES))

    def write(self, raw: Raw) -> None:
        values = raw if isinstance(raw, DateInput) else DateInput("", "", "")
        for part, value in zip(DATE_BOXES, values, strict=True):
            self.boxes[part.part].setText(value)


class AddressAnswer(_PartsAnswer):
    def __init__(self, spec: AnswerSpec) -> None:
        super().__init__(spec)
        self.boxes = {part.part: labelled_box(self, part) for part in ADDRESS_BOXES}
        if spec.question is not None and spec.question.allow_unknown:
            self.add_unknown_option()

    def read(self) -> Raw:
        return AddressInput(*(self.boxes[part.part].text() for part in ADDRESS_BOXES))

    def write(self, raw: Raw) -> None:
        values = raw if isinstance(raw, AddressInput) else AddressInput("", "", "", "", "")
        for part, value in zip(ADDRESS_BOXES, values, strict=True):
            self.boxes[part.part].setText(value)
