"""Staff's view of the delivery queue (`staff-queue`): what waits, what needs attention, and three actions on one item.

The page shows a summary ("Waiting: 12 · Need attention: 2 · Last delivery: 10:42"), each endpoint's state ("civil-
registry: not reachable, next try 10:50"), and the queue, parked items first, as one radio group: Tab enters the list
once, the arrow keys move between rows, and each row's accessible name reads the whole row. What a row says comes
from `kiosk.queue_view` (reference, service, state, age, attempts, the last problem in fixed plain words): never an
answer, never the server's own message. Actions on the chosen row:

- **Retry now** queues a held-back, paused or waiting item again (`QueueSource.retry_now`);
- **Re-route** sends it to another configured endpoint, chosen in a panel below the list;
- **Export** (held-back items) writes an encrypted file for delivery by hand: the passphrase is typed twice in masked
  fields, which are emptied with `setText("")` (that also empties Qt's undo history: `clear()` could be undone)
  right after use, on Cancel and whenever the screen is hidden.

The page is rebuilt on every change (`ui.screens.form_parts.FormPage`), so the focus order is the order on screen and
no old text survives in a widget. The screen's one dependency is a `kiosk.queue_view.QueueSource`: `database_queue`
builds the kiosk's; the registry's default is a fixed sample (`ui.screenshot_samples.SampleQueue`) for pictures and
checks until the staff area is wired (mediator sign-in). Database work is single-row and runs on the GUI thread.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QHideEvent
from PySide6.QtWidgets import QButtonGroup, QFrame, QLabel, QWidget

from kiosk.export import MIN_PASSPHRASE_CHARS
from kiosk.logs import safe_exception_summary
from kiosk.queue_view import (
    QueueRow,
    QueueSource,
    QueueView,
    endpoint_lines,
    isolate,
    queue_rows,
    summary_line,
    try_export,
)
from ui.forms.base import FormLineEdit, set_flag
from ui.forms.painted import RadioOption
from ui.forms.text_inputs import PRIVATE_HINTS, BoxStyle, Hint, leading, style_box
from ui.screens.base import Screen, ScreenContext
from ui.screens.browse_parts import BulletList, InlineMessage, definition_text
from ui.screens.form_parts import FormPage, replace_page
from ui.widgets import KioskButton

if TYPE_CHECKING:
    from sqlite_utils import Database

    from kiosk.crypto import PayloadCipher
    from kiosk.queue_view import QueueService
    from kiosk.settings.model import RoutingSettings
    from kiosk.storage.clock import Clock

log = logging.getLogger(__name__)

Mode = Literal["list", "reroute", "export"]
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


class StaffQueueScreen(Screen):
    def __init__(self, context: ScreenContext, queue: QueueSource, *, tz: dt.tzinfo | None = None) -> None:
        super().__init__(context)
        self.queue, self.tz = queue, tz
        self.back_button = self.add_back_button()
        self.add_heading("staff_queue.title")
        self.add_label("staff_queue.lead")
        self.page: FormPage | None = None
        self.view: QueueView | None = None
        self.rows: list[QueueRow] = []
        self.row_options: dict[str, RadioOption] = {}
        self.selected: str | None = None  # the chosen row's submission
        self.mode: Mode = "list"
        self.panel_uuid: str | None = None  # the submission the open panel acts on
        self.message: Message | None = None
        self.error: Message | None = None  # a problem in the open panel
        self.retry_button: KioskButton | None = None
        self.reroute_button: KioskButton | None = None
        self.export_button: KioskButton | None = None
        self.refresh_button: KioskButton | None = None
        self.summary: QLabel | None = None
        self.message_box: InlineMessage | None = None
        self.endpoint_options: dict[str, RadioOption] = {}
        self.passphrase: FormLineEdit | None = None
        self.repeat: FormLineEdit | None = None
        self.folder: FormLineEdit | None = None
        self._folder_text = str(queue.export_dir)
        self.refresh()

    # Reading ---------------------------------------------------------------------------------------------------------
    def refresh(self, focus: Literal["row", "panel"] | None = None) -> None:
        try:
            self.view = self.queue.view()
        except Exception as exc:  # noqa: BLE001 - an unreadable database is told on the page, never a crash
            log.error("staff queue could not be read (%s)", safe_exception_summary(exc))
            self.view = None
        now = self.view.now if self.view is not None else dt.datetime.now(dt.UTC)
        items = self.view.items if self.view is not None else ()
        self.rows = queue_rows(items, now=now, t=self.context.t, service_name=self._service_name, tz=self.tz)
        shown = {row.submission_uuid for row in self.rows}
        if self.selected not in shown:
            self.selected = self.rows[0].submission_uuid if self.rows else None
        if self.panel_uuid not in shown:  # its item left the list (delivered meanwhile): nothing to act on
            self.mode, self.panel_uuid, self.error = "list", None, None
        self.rebuild(focus)

    def selected_row(self) -> QueueRow | None:
        return next((row for row in self.rows if row.submission_uuid == self.selected), None)

    # Building the page -----------------------------------------------------------------------------------------------
    def rebuild(self, focus: Literal["row", "panel"] | None = None) -> None:
        self._remember_folder()
        self._wipe_secrets()
        context, t = self.context, self.context.t
        page = FormPage(context)
        self.row_options, self.endpoint_options = {}, {}
        self.passphrase = self.repeat = self.folder = None
        if self.view is None:
            page.label(t("staff_queue.unavailable"))
            self.retry_button = self.reroute_button = self.export_button = None
            self.refresh_button = page.button(t("staff_queue.refresh"), lambda: self.refresh("row"))
            page.row(self.refresh_button)
        else:
            self._overview(page, self.view)
            self._list(page, self.view)
            if self.mode == "reroute":
                self._reroute_panel(page)
            elif self.mode == "export":
                self._export_panel(page)
            self._endpoints(page, self.view)
        page.finish()
        replace_page(self.body, self.page, page)
        self.page = page
        title = t("staff_queue.title")
        self.set_page_title(f"{t('form.error_prefix')} {title}" if self.error is not None else title)
        self._update_actions()
        target = self._focus_target(focus)
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _overview(self, page: FormPage, view: QueueView) -> None:
        t = self.context.t
        self.summary = page.label(summary_line(view.counts, view.now, t, self.tz), role="title")
        self.message_box = None
        if self.message is not None:
            key, params = self.message
            self.message_box = InlineMessage(self.context)
            self.message_box.set_text(t(key, **params))
            page.column.addWidget(self.message_box)

    def _endpoints(self, page: FormPage, view: QueueView) -> None:
        t = self.context.t
        page.label(t("staff_queue.endpoints"), role="h2")
        lines = endpoint_lines(self.queue.endpoint_names, view.endpoints, view.now, t, self.tz)
        endpoints = BulletList(self.context)
        endpoints.set_items(lines or [t("staff_queue.endpoint.none")])
        page.column.addWidget(endpoints)

    def _list(self, page: FormPage, view: QueueView) -> None:
        t = self.context.t
        heading = page.label(t("staff_queue.items"), role="h2")
        if not self.rows:
            page.label(t("staff_queue.empty"))
            self.retry_button = self.reroute_button = self.export_button = None
            self.refresh_button = page.button(t("staff_queue.refresh"), lambda: self.refresh("row"))
            page.row(self.refresh_button)
            return
        hint = t("staff_queue.items_hint")
        page.label(hint, role="muted")
        group = QButtonGroup(page)
        for row in self.rows:
            option = RowOption()
            option.set_texts(row.title, row.details)
            option.setAccessibleName(row.spoken)  # the whole row, as it reads on screen
            option.setAccessibleDescription(f"{heading.text()}. {hint}")
            option.apply_metrics(self.context)
            option.setChecked(row.submission_uuid == self.selected)
            option.toggled.connect(lambda checked, uuid=row.submission_uuid, o=option: self._choose(uuid, o, checked))
            group.addButton(option)
            page.column.addWidget(option)
            self.row_options[row.submission_uuid] = option
        total = sum(view.counts.per_state.get(state, 0) for state in view.counts.per_state if state != "delivered")
        if total > len(self.rows):
            page.label(t("staff_queue.more", shown=len(self.rows), total=total), role="muted")
        if self.mode != "list":  # an open panel has its own buttons: one primary action on the page at a time
            self.retry_button = self.reroute_button = self.export_button = self.refresh_button = None
            return
        self.retry_button = page.button(t("staff_queue.retry"), self.retry_now, kind="primary")
        self.reroute_button = page.button(t("staff_queue.reroute"), self.start_reroute)
        self.export_button = page.button(t("staff_queue.export"), self.start_export)
        self.refresh_button = page.button(t("staff_queue.refresh"), lambda: self.refresh("row"))
        for button, hint_key in (
            (self.retry_button, "staff_queue.retry_hint"),
            (self.reroute_button, "staff_queue.reroute_hint"),
            (self.export_button, "staff_queue.export_hint"),
            (self.refresh_button, "staff_queue.refresh_hint"),
        ):
            button.setAccessibleDescription(t(hint_key))
        page.row(self.retry_button, self.reroute_button, self.export_button, self.refresh_button)

    def _panel_heading(self, page: FormPage, key: str) -> None:
        rule = QFrame()  # a line between the list and the panel that acts on one of its rows
        rule.setProperty("role", "summary-row")
        rule.setFixedHeight(self.context.px() // 2)
        page.column.addWidget(rule)
        reference = next((row.reference for row in self.rows if row.submission_uuid == self.panel_uuid), "")
        page.label(self.context.t(key, reference=isolate(reference)), role="h2")
        if self.error is not None:
            error_key, params = self.error
            # "Error:" in the text itself, not only in the accessible name: the colour must never be the only cue.
            prefix = self.context.t("form.error_prefix")
            label = page.label(f"{prefix} {self.context.t(error_key, **params)}", role="error")
            label.setAccessibleName(label.text())

    def _reroute_panel(self, page: FormPage) -> None:
        t = self.context.t
        self._panel_heading(page, "staff_queue.reroute.title")
        names = self.queue.endpoint_names
        page.label(t("staff_queue.reroute.choose") if names else t("staff_queue.reroute.none"))
        group = QButtonGroup(page)
        for name in names:
            option = RadioOption()
            option.set_texts(isolate(name))  # a configuration name reads left to right, even in Arabic
            option.apply_metrics(self.context)
            group.addButton(option)
            page.column.addWidget(option)
            self.endpoint_options[name] = option
        buttons = [page.button(t("staff_queue.reroute.confirm"), self.confirm_reroute, kind="primary")] if names else []
        page.row(*buttons, page.button(t("staff_queue.cancel"), self.close_panel))

    def _export_panel(self, page: FormPage) -> None:
        t = self.context.t
        self._panel_heading(page, "staff_queue.export.title")
        page.label(t("staff_queue.export.lead"))
        hint = t("staff_queue.export.passphrase_hint", n=MIN_PASSPHRASE_CHARS)
        self.passphrase = self._field(page, t("staff_queue.export.passphrase"), hint, PASSPHRASE_BOX, private=True)
        self.repeat = self._field(page, t("staff_queue.export.repeat"), "", PASSPHRASE_BOX, private=True)
        self.folder = self._field(page, t("staff_queue.export.folder"), t("staff_queue.export.folder_hint"), FOLDER_BOX)
        self.folder.setText(self._folder_text)
        for field in (self.passphrase, self.repeat, self.folder):
            field.returnPressed.connect(self.confirm_export)
        confirm = page.button(t("staff_queue.export.confirm"), self.confirm_export, kind="primary")
        page.row(confirm, page.button(t("staff_queue.cancel"), self.close_panel))

    def _field(
        self, page: FormPage, label_text: str, hint: str, style: BoxStyle, *, private: bool = False
    ) -> FormLineEdit:
        label = page.label(label_text, role="title")
        if hint:
            page.label(hint, role="muted")
        field = FormLineEdit()
        style_box(field, style, context_px=self.context.px(), min_px=self.context.panel.min_target_px, private=private)
        label.setBuddy(field)
        field.setAccessibleName(label_text)
        description = hint
        if self.error is not None and private:
            key, params = self.error
            description = f"{self.context.t('form.error_prefix')} {self.context.t(key, **params)} {hint}".strip()
            set_flag(field, "error", True)
        field.setAccessibleDescription(description)
        page.column.addWidget(leading(field, style))
        return field

    # Acting ----------------------------------------------------------------------------------------------------------
    def _choose(self, uuid: str, option: RadioOption, checked: bool) -> None:
        if checked:
            self.selected = uuid
            self._update_actions()
            self.scroll_area.ensureWidgetVisible(option)  # the arrow keys move through a list taller than the page

    def retry_now(self) -> None:
        row = self.selected_row()
        if row is None or not row.can_retry:
            return
        done = self._act(lambda: self.queue.retry_now(row.submission_uuid))
        self._finish(row, "staff_queue.done.retry" if done else "staff_queue.done.retry_failed")

    def start_reroute(self) -> None:
        row = self.selected_row()
        if row is not None and row.can_reroute:
            self.mode, self.panel_uuid, self.error, self.message = "reroute", row.submission_uuid, None, None
            self.rebuild("panel")

    def confirm_reroute(self) -> None:
        chosen = next((name for name, option in self.endpoint_options.items() if option.isChecked()), None)
        row = next((row for row in self.rows if row.submission_uuid == self.panel_uuid), None)
        if row is None:
            self.close_panel()
            return
        if chosen is None:
            self.error = ("staff_queue.reroute.missing", {})
            self.rebuild("panel")
            return
        done = self._act(lambda: self.queue.reroute(row.submission_uuid, chosen))
        key = "staff_queue.done.reroute" if done else "staff_queue.done.reroute_failed"
        self._finish(row, key, endpoint=isolate(chosen))

    def start_export(self) -> None:
        row = self.selected_row()
        if row is not None and row.can_export:
            self.mode, self.panel_uuid, self.error, self.message = "export", row.submission_uuid, None, None
            self._folder_text = str(self.queue.export_dir)
            self.rebuild("panel")

    def confirm_export(self) -> None:
        row = next((row for row in self.rows if row.submission_uuid == self.panel_uuid), None)
        if row is None or self.passphrase is None or self.repeat is None:
            self.close_panel()
            return
        passphrase, repeated = self.passphrase.text(), self.repeat.text()
        self._remember_folder()
        self._wipe_secrets()  # at once: the passphrase must not stay in a widget, whatever happens next
        folder = Path(self._folder_text.strip() or self.queue.export_dir)
        outcome = try_export(self.queue, row.submission_uuid, passphrase, repeated, folder)
        del passphrase, repeated
        if outcome.path is not None:
            self._finish(row, "staff_queue.done.export", path=isolate(str(outcome.path)))
            return
        self.error = (outcome.problem, dict(outcome.params))
        self.rebuild("panel")

    def close_panel(self) -> None:
        self._wipe_secrets()
        self.mode, self.panel_uuid, self.error = "list", None, None
        self.rebuild("row")

    def go_back(self) -> None:
        if self.mode != "list":
            self.close_panel()  # Escape or Back closes the open panel first
            return
        super().go_back()

    def _act(self, action: Callable[[], bool]) -> bool:
        try:
            return action()
        except Exception as exc:  # noqa: BLE001 - a failed action is told on the page
            log.error("staff queue action failed (%s)", safe_exception_summary(exc))
            return False

    def _finish(self, row: QueueRow, key: str, **params: object) -> None:
        self.message = (key, {"reference": isolate(row.reference), **params})
        self.mode, self.panel_uuid, self.error = "list", None, None
        self.refresh("row")

    # Inside ----------------------------------------------------------------------------------------------------------
    def _update_actions(self) -> None:
        row = self.selected_row()
        for button, allowed in (
            (self.retry_button, row is not None and row.can_retry),
            (self.reroute_button, row is not None and row.can_reroute and bool(self.queue.endpoint_names)),
            (self.export_button, row is not None and row.can_export),
        ):
            if button is not None:
                button.setEnabled(allowed)

    def _focus_target(self, focus: Literal["row", "panel"] | None) -> QWidget | None:
        if focus == "panel":
            if self.passphrase is not None:
                return self.passphrase
            chosen = [option for option in self.endpoint_options.values() if option.isChecked()]
            options = chosen or list(self.endpoint_options.values())
            if options:
                return options[0]
        if focus is not None:
            return self.row_options.get(self.selected or "") or self.refresh_button
        return None

    def _service_name(self, service_id: str) -> str:
        service = self.context.services.service(service_id)
        return definition_text(service.title, self.context.language) if service is not None else service_id

    def _remember_folder(self) -> None:
        if self.folder is not None:
            self._folder_text = self.folder.text()

    def _wipe_secrets(self) -> None:
        """Empty the passphrase fields; `setText` also empties the undo history (`clear()` could be undone)."""
        for field in (self.passphrase, self.repeat):
            if field is not None:
                field.setText("")

    # Called by the shell ---------------------------------------------------------------------------------------------
    def first_focus(self) -> QWidget | None:
        return self._focus_target("row") or self.back_button

    def on_shown(self) -> None:
        self.refresh()

    def on_retranslate(self) -> None:
        self.refresh()

    def on_restyle(self) -> None:
        self.rebuild()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        self._wipe_secrets()  # leaving the screen never leaves a passphrase behind
        super().hideEvent(event)


def database_queue(
    open_db: Callable[[], AbstractContextManager[Database]],
    *,
    endpoint_names: Sequence[str],
    export_dir: Path,
    cipher: Callable[[], PayloadCipher | None],
    routing: RoutingSettings | None = None,
    clock: Clock | None = None,
    queued_again: Callable[[], None] = lambda: None,
    audit: Callable[[str, Mapping[str, str | int | bool]], object] = lambda _kind, _detail: None,
) -> QueueService:
    """The kiosk's queue for this screen, with the sync layer's breaker states and its "resume" for paused endpoints
    (the core cannot import `sync`; the UI layer may)."""
    from kiosk.queue_view import QueueService
    from kiosk.storage.clock import utc_now
    from sync import breaker

    def resume(db: Database, endpoint: str, now: dt.datetime) -> None:
        breaker.resume(db, endpoint, now=now)

    return QueueService(
        open_db,
        endpoint_names=endpoint_names,
        export_dir=export_dir,
        cipher=cipher,
        routing=routing,
        clock=clock or utc_now,
        endpoint_states=breaker.states,
        resume_endpoint=resume,
        queued_again=queued_again,
        audit=audit,
    )


def staff_queue_factory(queue: QueueSource, *, tz: dt.tzinfo | None = None) -> Callable[[ScreenContext], Screen]:
    """A registry factory for the kiosk's own queue: `registry.register("staff-queue", staff_queue_factory(q),
    staff_only=True, replace=True)`."""
    return lambda context: StaffQueueScreen(context, queue, tz=tz)
