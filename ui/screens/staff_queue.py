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
no old text survives in a widget; its widgets are built by `ui.screens.staff_queue_parts`, while this module keeps
what is chosen, typed and done. The screen's one dependency is a `kiosk.queue_view.QueueSource`:
`ui.screens.staff_queue_source.database_queue` builds the kiosk's; the registry's default is a fixed sample
(`ui.sample_queue.SampleQueue`) for pictures and checks until the staff area is wired (mediator sign-in). Database
work is single-row and runs on the GUI thread.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from PySide6.QtCore import Qt
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.logs import safe_exception_summary
from kiosk.queue_view import QueueRow, QueueSource, QueueView, isolate, queue_rows, try_export
from ui.forms.base import FormLineEdit
from ui.forms.painted import RadioOption
from ui.screens.base import Screen, ScreenContext
from ui.screens.browse_parts import InlineMessage, definition_text
from ui.screens.form_parts import FormPage, replace_page
from ui.screens.staff_queue_parts import (
    Message,
    action_buttons,
    endpoint_states,
    export_panel,
    overview,
    reroute_panel,
    row_options,
)
from ui.widgets import KioskButton

log = logging.getLogger(__name__)

Mode = Literal["list", "reroute", "export"]


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
            self.summary, self.message_box = overview(page, context, self.view, self.message, self.tz)
            self._list(page, self.view)
            if self.mode == "reroute":
                self._reroute_panel(page)
            elif self.mode == "export":
                self._export_panel(page)
            endpoint_states(page, context, self.queue.endpoint_names, self.view, self.tz)
        page.finish()
        replace_page(self.body, self.page, page)
        self.page = page
        title = t("staff_queue.title")
        self.set_page_title(f"{t('form.error_prefix')} {title}" if self.error is not None else title)
        self._update_actions()
        target = self._focus_target(focus)
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

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
        description = f"{heading.text()}. {hint}"
        self.row_options = row_options(
            page, self.context, self.rows, selected=self.selected, description=description, choose=self._choose
        )
        total = sum(view.counts.per_state.get(state, 0) for state in view.counts.per_state if state != "delivered")
        if total > len(self.rows):
            page.label(t("staff_queue.more", shown=len(self.rows), total=total), role="muted")
        if self.mode != "list":  # an open panel has its own buttons: one primary action on the page at a time
            self.retry_button = self.reroute_button = self.export_button = self.refresh_button = None
            return
        self.retry_button, self.reroute_button, self.export_button, self.refresh_button = action_buttons(
            page,
            self.context,
            retry=self.retry_now,
            reroute=self.start_reroute,
            export=self.start_export,
            refresh=lambda: self.refresh("row"),
        )

    def _reroute_panel(self, page: FormPage) -> None:
        self.endpoint_options = reroute_panel(
            page,
            self.context,
            self.queue.endpoint_names,
            reference=self._panel_reference(),
            error=self.error,
            confirm=self.confirm_reroute,
            cancel=self.close_panel,
        )

    def _export_panel(self, page: FormPage) -> None:
        self.passphrase, self.repeat, self.folder = export_panel(
            page,
            self.context,
            reference=self._panel_reference(),
            error=self.error,
            folder_text=self._folder_text,
            confirm=self.confirm_export,
            cancel=self.close_panel,
        )

    def _panel_reference(self) -> str:
        return next((row.reference for row in self.rows if row.submission_uuid == self.panel_uuid), "")

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


def staff_queue_factory(queue: QueueSource, *, tz: dt.tzinfo | None = None) -> Callable[[ScreenContext], Screen]:
    """A registry factory for the kiosk's own queue: `registry.register("staff-queue", staff_queue_factory(q),
    staff_only=True, replace=True)`."""
    return lambda context: StaffQueueScreen(context, queue, tz=tz)
