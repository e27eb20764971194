"""The widgets the `staff-queue` page is built of: the summary, the queue's rows as one radio group, the action buttons,
the endpoints' states, and the two panels (re-route and export) that act on one row, with their masked fields.

Kept apart from `ui.screens.staff_queue` because they hold none of the screen's state: each function adds its widgets
to the `FormPage` in reading order (which is the focus order) and returns the ones the screen reads later, so the
screen module keeps what is chosen, typed and done, and this one how it looks and reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import NamedTuple

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QButtonGroup, QFrame, QLabel

from kiosk.export import MIN_PASSPHRASE_CHARS
from kiosk.queue_view import QueueRow, QueueView, endpoint_lines, isolate, summary_line
from ui.forms.base import FormLineEdit, set_flag
from ui.forms.painted import RadioOption
from ui.forms.text_inputs import PRIVATE_HINTS, BoxStyle, Hint, leading, style_box
from ui.screens.base import ScreenContext
from ui.screens.browse_parts import BulletList, InlineMessage
from ui.screens.form_parts import FormPage
from ui.widgets import KioskButton

PASSPHRASE_BOX = BoxStyle(24, PRIVATE_HINTS, False, 200)
FOLDER_BOX = BoxStyle(0, Hint.ImhNoPredictiveText | Hint.ImhNoAutoUppercase, True, 1000)
Message = tuple[str, dict[str, object]]  # a catalog key and its parameters: re-translated with the page


class RowOption(RadioOption):
    """One row of the queue: its first line (reference and service) in bold, the details under it."""

    def apply_metrics(self, context: ScreenContext) -> None:
        super().apply_metrics(context)
        self._font = QFont(self._font)
        self._font.setBold(True)
        self.updateGeometry()


class QueueActions(NamedTuple):
    """The list's four buttons, enabled by the screen for the chosen row."""

    retry: KioskButton
    reroute: KioskButton
    export: KioskButton
    refresh: KioskButton


class ExportFields(NamedTuple):
    """The export panel's fields, read by the screen and emptied by it after use."""

    passphrase: FormLineEdit
    repeat: FormLineEdit
    folder: FormLineEdit


def overview(
    page: FormPage, context: ScreenContext, view: QueueView, message: Message | None, tz: dt.tzinfo | None
) -> tuple[QLabel, InlineMessage | None]:
    """The summary line, and under it what the last action did (if anything)."""
    t = context.t
    summary = page.label(summary_line(view.counts, view.now, t, tz), role="title")
    message_box = None
    if message is not None:
        key, params = message
        message_box = InlineMessage(context)
        message_box.set_text(t(key, **params))
        page.column.addWidget(message_box)
    return summary, message_box


def endpoint_states(
    page: FormPage, context: ScreenContext, names: Sequence[str], view: QueueView, tz: dt.tzinfo | None
) -> None:
    t = context.t
    page.label(t("staff_queue.endpoints"), role="h2")
    lines = endpoint_lines(names, view.endpoints, view.now, t, tz)
    endpoints = BulletList(context)
    endpoints.set_items(lines or [t("staff_queue.endpoint.none")])
    page.column.addWidget(endpoints)


def row_options(
    page: FormPage,
    context: ScreenContext,
    rows: Sequence[QueueRow],
    *,
    selected: str | None,
    description: str,
    choose: Callable[[str, RadioOption, bool], None],
) -> dict[str, RadioOption]:
    """The queue's rows as one radio group, by submission: Tab enters it once and the arrow keys move between rows."""
    options: dict[str, RadioOption] = {}
    group = QButtonGroup(page)
    for row in rows:
        option = RowOption()
        option.set_texts(row.title, row.details)
        option.setAccessibleName(row.spoken)  # the whole row, as it reads on screen
        option.setAccessibleDescription(description)
        option.apply_metrics(context)
        option.setChecked(row.submission_uuid == selected)
        option.toggled.connect(lambda checked, uuid=row.submission_uuid, o=option: choose(uuid, o, checked))
        group.addButton(option)
        page.column.addWidget(option)
        options[row.submission_uuid] = option
    return options


def action_buttons(
    page: FormPage,
    context: ScreenContext,
    *,
    retry: Callable[[], None],
    reroute: Callable[[], None],
    export: Callable[[], None],
    refresh: Callable[[], None],
) -> QueueActions:
    """Retry now, Re-route, Export and Refresh in one row, each explaining when it applies."""
    t = context.t
    retry_button = page.button(t("staff_queue.retry"), retry, kind="primary")
    reroute_button = page.button(t("staff_queue.reroute"), reroute)
    export_button = page.button(t("staff_queue.export"), export)
    refresh_button = page.button(t("staff_queue.refresh"), refresh)
    for button, hint_key in (
        (retry_button, "staff_queue.retry_hint"),
        (reroute_button, "staff_queue.reroute_hint"),
        (export_button, "staff_queue.export_hint"),
        (refresh_button, "staff_queue.refresh_hint"),
    ):
        button.setAccessibleDescription(t(hint_key))
    page.row(retry_button, reroute_button, export_button, refresh_button)
    return QueueActions(retry_button, reroute_button, export_button, refresh_button)


def panel_heading(page: FormPage, context: ScreenContext, key: str, *, reference: str, error: Message | None) -> None:
    rule = QFrame()  # a line between the list and the panel that acts on one of its rows
    rule.setProperty("role", "summary-row")
    rule.setFixedHeight(context.px() // 2)
    page.column.addWidget(rule)
    page.label(context.t(key, reference=isolate(reference)), role="h2")
    if error is not None:
        error_key, params = error
        # "Error:" in the text itself, not only in the accessible name: the colour must never be the only cue.
        prefix = context.t("form.error_prefix")
        label = page.label(f"{prefix} {context.t(error_key, **params)}", role="error")
        label.setAccessibleName(label.text())


def reroute_panel(
    page: FormPage,
    context: ScreenContext,
    names: Sequence[str],
    *,
    reference: str,
    error: Message | None,
    confirm: Callable[[], None],
    cancel: Callable[[], None],
) -> dict[str, RadioOption]:
    """The re-route panel: the configured endpoints as a radio group (returned by name), Re-route and Cancel."""
    t = context.t
    panel_heading(page, context, "staff_queue.reroute.title", reference=reference, error=error)
    page.label(t("staff_queue.reroute.choose") if names else t("staff_queue.reroute.none"))
    options: dict[str, RadioOption] = {}
    group = QButtonGroup(page)
    for name in names:
        option = RadioOption()
        option.set_texts(isolate(name))  # a configuration name reads left to right, even in Arabic
        option.apply_metrics(context)
        group.addButton(option)
        page.column.addWidget(option)
        options[name] = option
    buttons = [page.button(t("staff_queue.reroute.confirm"), confirm, kind="primary")] if names else []
    page.row(*buttons, page.button(t("staff_queue.cancel"), cancel))
    return options


def export_panel(
    page: FormPage,
    context: ScreenContext,
    *,
    reference: str,
    error: Message | None,
    folder_text: str,
    confirm: Callable[[], None],
    cancel: Callable[[], None],
) -> ExportFields:
    """The export panel: the passphrase twice in masked fields, the folder, Export and Cancel (Enter in a field
    exports too)."""
    t = context.t
    panel_heading(page, context, "staff_queue.export.title", reference=reference, error=error)
    page.label(t("staff_queue.export.lead"))
    hint = t("staff_queue.export.passphrase_hint", n=MIN_PASSPHRASE_CHARS)
    passphrase_label, repeat_label = t("staff_queue.export.passphrase"), t("staff_queue.export.repeat")
    passphrase = _field(page, context, passphrase_label, hint, PASSPHRASE_BOX, error=error, private=True)
    repeat = _field(page, context, repeat_label, "", PASSPHRASE_BOX, error=error, private=True)
    folder_label, folder_hint = t("staff_queue.export.folder"), t("staff_queue.export.folder_hint")
    folder = _field(page, context, folder_label, folder_hint, FOLDER_BOX, error=error)
    folder.setText(folder_text)
    for field in (passphrase, repeat, folder):
        field.returnPressed.connect(confirm)
    confirm_button = page.button(t("staff_queue.export.confirm"), confirm, kind="primary")
    page.row(confirm_button, page.button(t("staff_queue.cancel"), cancel))
    return ExportFields(passphrase, repeat, folder)


def _field(
    page: FormPage,
    context: ScreenContext,
    label_text: str,
    hint: str,
    style: BoxStyle,
    *,
    error: Message | None,
    private: bool = False,
) -> FormLineEdit:
    label = page.label(label_text, role="title")
    if hint:
        page.label(hint, role="muted")
    field = FormLineEdit()
    style_box(field, style, context_px=context.px(), min_px=context.panel.min_target_px, private=private)
    label.setBuddy(field)
    field.setAccessibleName(label_text)
    description = hint
    if error is not None and private:
        key, params = error
        description = f"{context.t('form.error_prefix')} {context.t(key, **params)} {hint}".strip()
        set_flag(field, "error", True)
    field.setAccessibleDescription(description)
    page.column.addWidget(leading(field, style))
    return field
