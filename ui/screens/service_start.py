"""A service's start page (the GOV.UK pattern): what it does, what you need, how long it takes, who can use it, a
notice when it needs a connection, one "Start now" button (and "Continue a saved form" beside it, quieter), and the
other ways to get the service.

The service comes from the session's `Journey`; the page re-reads it each time it is shown. Every text of the service
comes from its definition, shown as plain text and re-applied when the language changes.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.bridge import EventBridge
from ui.screens.base import Screen, ScreenContext
from ui.screens.browse_parts import BulletList, InlineMessage, definition_text, plain_label
from ui.widgets import FlowLayout, KioskButton

NEXT_SCREEN = "question"  # the first question of the form
W = TypeVar("W", bound=QWidget)


class ServiceStartScreen(Screen):
    def __init__(self, context: ScreenContext) -> None:
        super().__init__(context)
        self.back_button = self.add_back_button()
        self.unavailable = InlineMessage(context)
        self.bind(self.unavailable.set_text, "services.unavailable")
        self.body.addWidget(self.unavailable)
        # Everything about the service, hidden together when there is no service to show.
        self.details = QWidget()
        column = self.column_layout = QVBoxLayout(self.details)
        column.setContentsMargins(0, 0, 0, 0)
        self.heading = self._add(column, plain_label("h1"))
        self.summary = self._add(column, plain_label("lead"))
        self.eligibility_heading = self._add_heading(column, "start.eligibility")
        self.eligibility = self._add(column, plain_label())
        self._add_heading(column, "start.you_need")
        self.you_need = BulletList(context)
        column.addWidget(self.you_need)
        self.nothing_needed = self._add(column, plain_label())
        self.bind(self.nothing_needed.setText, "start.nothing_needed")
        self._add_heading(column, "start.duration_title")
        self.duration = self._add(column, plain_label())
        self.connection = InlineMessage(context, icon="connection")
        self.bind(self.connection.set_text, "start.needs_connection")
        column.addWidget(self.connection)
        self.start_button = KioskButton("primary")
        self.bind(self.start_button.set_label, "start.start")
        self.start_button.clicked.connect(self.start)
        # Someone who saved this form earlier continues it with their code instead of starting again.
        self.resume_button = KioskButton("secondary")
        self.bind(self.resume_button.set_label, "draft.resume_link")
        self.resume_button.clicked.connect(lambda: context.navigate("resume-draft"))
        actions = QWidget()
        self.action_row = FlowLayout(actions, spacing=context.px())
        self.action_row.setContentsMargins(0, 0, 0, 0)
        self.action_row.addWidget(self.start_button)
        self.action_row.addWidget(self.resume_button)
        column.addWidget(actions)
        self._add_heading(column, "start.other_ways")
        self.other_ways = self._add(column, plain_label())
        self.body.addWidget(self.details)
        self._bridge = EventBridge(context.services.changed, self)
        self._bridge.fired.connect(self._refresh)
        self.on_restyle()
        self._refresh()

    @staticmethod
    def _add(column: QVBoxLayout, widget: W) -> W:
        column.addWidget(widget)
        return widget

    def _add_heading(self, column: QVBoxLayout, key: str) -> QWidget:
        label = plain_label("h2")
        self.bind(label.setText, key)
        column.addWidget(label)
        return label

    def _refresh(self, _payload: object = None) -> None:
        service = self.context.services.service(self.context.journey.service_id)
        self.unavailable.setVisible(service is None)
        self.details.setVisible(service is not None)
        if service is None:
            return
        lang = self.context.language
        self.heading.setText(definition_text(service.title, lang))
        self.summary.setText(definition_text(service.summary, lang))
        self.eligibility_heading.setVisible(service.eligibility is not None)
        self.eligibility.setVisible(service.eligibility is not None)
        if service.eligibility is not None:
            self.eligibility.setText(definition_text(service.eligibility, lang))
        self.you_need.set_items([definition_text(item, lang) for item in service.you_need])
        self.you_need.setVisible(bool(service.you_need))
        self.nothing_needed.setVisible(not service.you_need)
        self.duration.setText(self.context.t("start.duration", minutes=service.duration_minutes))
        # Shown whenever the service needs a connection; whether the kiosk is online comes with synchronisation.
        self.connection.setVisible(service.needs_connection)
        self.other_ways.setText(definition_text(service.other_ways, lang))

    def start(self) -> None:
        """Start now: a fresh form for this service, or the one in progress (Back from its first page leads here)."""
        from kiosk.forms.flow import Stage  # the forms package loads when a form starts, not at start-up

        journey = self.context.journey
        service = self.context.services.service(journey.service_id)
        if service is None:
            return
        flow = journey.flow
        if flow is not None and flow.service.id == service.id and flow.stage is Stage.START:
            flow.start()  # the answers given so far stay
        elif flow is None or flow.service.id != service.id or flow.stage is Stage.SUBMITTED:
            flow = journey.start_flow(service, self.context.today())
        self.context.navigate("check-answers" if flow.stage is Stage.CHECK else NEXT_SCREEN)

    def on_shown(self) -> None:
        self._refresh()  # the citizen may have chosen another service since this screen was built

    def on_retranslate(self) -> None:
        self._refresh()

    def on_restyle(self) -> None:
        self.column_layout.setSpacing(self.context.px())
        self.action_row.set_gap(self.context.px())
        self.you_need.restyle()
        self.unavailable.restyle()
        self.connection.restyle()

    def first_focus(self) -> QWidget | None:
        return self.back_button
