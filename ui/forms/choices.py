"""Answers chosen, not typed: yes/no, one of several (radio buttons), any of several (check boxes), a consent, the
"add another?" page of a repeat, and a note (which asks nothing).

Radio buttons are one `QButtonGroup`: Tab enters the group once, the arrow keys move between the options and Space
selects (Qt's own behaviour for radio buttons, kept by `RadioOption`). Each option is a whole-row target with its
label and hint wrapped. Where "I do not know" is a valid answer it is the last option, after the word "or"; in a
multiple choice it takes back every other tick, and any other tick takes it back (GOV.UK's "none of these").
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QButtonGroup, QWidget

from kiosk.forms.answers import UNKNOWN, Raw
from ui.forms.base import AnswerSpec, AnswerWidget, plain_label
from ui.forms.painted import CheckOption, RadioOption
from ui.screens.browse_parts import definition_text

LEADING = Qt.AlignmentFlag.AlignLeading
UNKNOWN_VALUE = "\x00unknown"  # never a choice value: the schema allows slugs only


class _OptionsAnswer(AnswerWidget):
    """Options from (value, label, hint) triples; `multiple` makes them check boxes."""

    def __init__(self, spec: AnswerSpec, options: Sequence[tuple[str, str, str]], *, multiple: bool) -> None:
        super().__init__(spec)
        self.multiple = multiple
        self.options: dict[str, RadioOption | CheckOption] = {}
        # Radio buttons share a group: one Tab stop, arrow keys inside. Check boxes get none: Qt makes any button
        # group a single Tab stop, and each check box must be reachable with Tab.
        self.group = QButtonGroup(self) if not multiple else None
        for value, label, hint in options:
            self._add_option(value, label, hint)
        question = spec.question
        if question is not None and question.allow_unknown:
            self.or_label = plain_label("body")
            self.or_label.setText(self.context.t("form.or"))
            self.column.addWidget(self.or_label)
            self._add_option(UNKNOWN_VALUE, self.context.t("form.unknown"), "")

    def _add_option(self, value: str, label: str, hint: str) -> None:
        option: RadioOption | CheckOption = CheckOption() if self.multiple else RadioOption()
        option.set_texts(label, hint)
        if self.spec.label:
            # The question belongs with each option for assistive technology (a fieldset's legend).
            option.setAccessibleDescription(f"{self.spec.label} {hint}".strip())
        option.apply_metrics(self.context)
        option.enter_pressed.connect(self.submitted)
        if self.group is not None:
            self.group.addButton(option)
        else:
            option.toggled.connect(lambda checked, button=option: self._exclusive_unknown(button, checked))
        self.column.addWidget(option, 0, LEADING)  # as wide as its text: the focus fill hugs the option
        self.options[value] = option

    def _exclusive_unknown(self, button: QAbstractButton, checked: bool) -> None:
        unknown = self.options.get(UNKNOWN_VALUE)
        if not checked or unknown is None:
            return
        others = [option for value, option in self.options.items() if value != UNKNOWN_VALUE]
        for option in others if button is unknown else [unknown]:
            if option.isChecked():
                option.setChecked(False)

    def fields(self) -> list[QWidget]:
        return list(self.options.values())

    def part_field(self, part: str | None) -> QWidget | None:
        chosen = [option for option in self.options.values() if option.isChecked()]
        everything = chosen or list(self.options.values())
        return everything[0] if everything else None

    def chosen(self) -> list[str]:
        return [value for value, option in self.options.items() if option.isChecked()]

    def read(self) -> Raw:
        chosen = self.chosen()
        if UNKNOWN_VALUE in chosen:
            return UNKNOWN
        if self.multiple:
            return tuple(chosen)
        return chosen[0] if chosen else None

    def write(self, raw: Raw) -> None:
        wanted: set[str] = set()
        if raw is UNKNOWN:
            wanted = {UNKNOWN_VALUE}
        elif isinstance(raw, tuple):
            wanted = set(raw)
        elif isinstance(raw, str):
            wanted = {raw}
        for value, option in self.options.items():
            option.setChecked(value in wanted)

    def restyle(self) -> None:
        super().restyle()
        for option in getattr(self, "options", {}).values():
            option.apply_metrics(self.context)


def _yes_no(spec: AnswerSpec) -> list[tuple[str, str, str]]:
    return [("yes", spec.context.t("form.yes"), ""), ("no", spec.context.t("form.no"), "")]


class YesNoAnswer(_OptionsAnswer):
    def __init__(self, spec: AnswerSpec) -> None:
        super().__init__(spec, _yes_no(spec), multiple=False)


class AddAnotherAnswer(_OptionsAnswer):
    """The repeat's "add another?" page: yes (the next item's pages) or no (on to the rest of the form)."""

    def __init__(self, spec: AnswerSpec) -> None:
        super().__init__(spec, _yes_no(spec), multiple=False)


def _choices(spec: AnswerSpec) -> list[tuple[str, str, str]]:
    question = spec.question
    assert question is not None
    lang = spec.context.language
    return [
        (c.value, definition_text(c.label, lang), definition_text(c.hint, lang) if c.hint else "")
        for c in question.choices
    ]


class ChoiceAnswer(_OptionsAnswer):
    def __init__(self, spec: AnswerSpec) -> None:
        super().__init__(spec, _choices(spec), multiple=False)


class MultipleChoiceAnswer(_OptionsAnswer):
    def __init__(self, spec: AnswerSpec) -> None:
        super().__init__(spec, _choices(spec), multiple=True)


class ConsentAnswer(AnswerWidget):
    """One large tick box: "Yes, I agree" to the statement in the heading."""

    def __init__(self, spec: AnswerSpec) -> None:
        super().__init__(spec)
        self.box = CheckOption()
        self.box.set_texts(self.context.t("form.consent.agree"))
        self.box.setAccessibleDescription(f"{spec.label} {spec.hint}".strip())
        self.box.apply_metrics(self.context)
        self.box.enter_pressed.connect(self.submitted)
        self.column.addWidget(self.box, 0, LEADING)

    def fields(self) -> list[QWidget]:
        return [self.box]

    def read(self) -> Raw:
        return self.box.isChecked()

    def write(self, raw: Raw) -> None:
        self.box.setChecked(raw is True)

    def restyle(self) -> None:
        super().restyle()
        if hasattr(self, "box"):
            self.box.apply_metrics(self.context)


class NoteAnswer(AnswerWidget):
    """An information page: the heading and hint say it all; Continue moves on."""

    def read(self) -> Raw:
        return None

    def write(self, raw: Raw) -> None:
        return None
