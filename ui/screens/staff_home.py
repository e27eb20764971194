"""The staff console (`staff-home`): who is signed in, today's citizen sessions (counts only), the delivery queue's
summary, the site's defaults, device health (the doctor's checks) and the alerts, with buttons by role.

A mediator sees the queue and "Assist a citizen"; a trainer the tutorials; the site manager everything, with device
health and alerts. Nothing here is personal: counts, states and fixed English check details for staff. Everything
comes through a `StaffConsole` the composition root builds (the UI never imports the doctor itself), read afresh
each time the screen is shown. Nobody signed in: the shell sends the citizen home (`can_show`).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from typing import NamedTuple

from PySide6.QtWidgets import QLabel, QWidget

from kiosk.queue_view import QueueSource, summary_line
from kiosk.staff_presence import StaffPresence
from ui.screens.base import Screen, ScreenContext
from ui.screens.browse_parts import plain_label
from ui.widgets import KioskButton

HOME = "home"


class HealthLine(NamedTuple):
    name: str  # the doctor check's name, e.g. "database"
    ok: bool
    detail: str  # plain English for staff (the doctor's detail); never personal data


class AlertLine(NamedTuple):
    summary: str
    acknowledged: bool


def _no_count() -> int | None:
    return None


def _no_health() -> Sequence[HealthLine]:
    return ()


def _no_alerts() -> Sequence[AlertLine]:
    return ()


class StaffConsole(NamedTuple):
    presence: StaffPresence
    queue: QueueSource
    default_language: str
    idle_seconds: int | None = None  # seconds before the idle warning on a citizen screen; None: not configured
    sessions_today: Callable[[], int | None] = _no_count  # None: not counted on this kiosk yet
    health: Callable[[], Sequence[HealthLine]] = _no_health
    alerts: Callable[[], Sequence[AlertLine]] = _no_alerts
    clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)


# (area the role needs, catalog key, target screen)
ACTIONS = (
    ("queue", "staff.home.open_queue", "staff-queue"),
    ("assist", "staff.home.assist", "assist-consent"),
    ("tutorials", "staff.home.tutorials", "learn"),
)


class StaffHomeScreen(Screen):
    def __init__(self, context: ScreenContext, console: StaffConsole) -> None:
        super().__init__(context)
        self.console = console
        self.add_heading("staff.home.title")
        self.who = self._label("lead")
        self.lines: dict[str, QLabel] = {}
        self.sections: dict[str, QWidget] = {}
        for section, heading in (
            ("today", "staff.home.today"),
            ("queue", "staff.home.queue"),
            ("settings", "staff.home.settings"),
            ("health", "staff.home.health"),
            ("alerts", "staff.home.alerts"),
        ):
            self.sections[section] = self.add_heading(heading, level=2)
            self.lines[section] = self._label("body")
        self.buttons: dict[str, KioskButton] = {}
        for area, key, target in ACTIONS:
            button = self.add_button(key, functools.partial(self.context.navigate, target))
            self.buttons[area] = button
            self.body.addWidget(button)
        self.sign_out_button = self.add_button("staff.home.sign_out", self.sign_out, kind="primary")
        self.body.addWidget(self.sign_out_button)
        # Unsubscribed when the screen is deleted (each session end), so the presence never keeps old screens alive.
        unsubscribe = console.presence.changed.connect(self._presence_changed)
        self.destroyed.connect(lambda *_args: unsubscribe())
        self.refresh()

    def _label(self, role: str) -> QLabel:
        label = plain_label(role)
        self.body.addWidget(label)
        return label

    def refresh(self) -> None:
        """Read everything afresh (on show and on a language change)."""
        presence, t = self.console.presence, self.context.t
        member = presence.member
        if member is None:
            return
        role = t("staff.role." + member.role.replace("-", "_"))
        self.who.setText(t("staff.home.signed_in", name=member.name, role=role))
        sessions = self.console.sessions_today()
        self.lines["today"].setText(
            t("staff.home.sessions_unknown") if sessions is None else t("staff.home.sessions", n=sessions)
        )
        view = self.console.queue.view()
        self.lines["queue"].setText(summary_line(view.counts, view.now, t))
        settings = [t("staff.home.language", language=self.console.default_language)]
        if self.console.idle_seconds is not None:
            settings.append(t("staff.home.idle", seconds=self.console.idle_seconds))
        self.lines["settings"].setText("\n".join(settings))
        self.lines["health"].setText("\n".join(self._health_lines()) if presence.may("health") else "")
        alerts = list(self.console.alerts()) if presence.may("alerts") else []
        open_count = sum(not a.acknowledged for a in alerts)
        summary = t("staff.home.alerts_counts", open=open_count, acknowledged=len(alerts) - open_count)
        self.lines["alerts"].setText("\n".join([summary, *(f"• {a.summary}" for a in alerts if not a.acknowledged)]))
        visible = {"today": True, "queue": presence.may("queue"), "settings": True}
        visible |= {"health": presence.may("health"), "alerts": presence.may("alerts")}
        for section, shown in visible.items():
            self.sections[section].setVisible(shown)
            self.lines[section].setVisible(shown)
        for area, button in self.buttons.items():
            button.setVisible(presence.may(area))

    def _health_lines(self) -> list[str]:
        t = self.context.t
        return [
            t("staff.home.health_ok", name=line.name)
            if line.ok
            else t("staff.home.health_problem", name=line.name, detail=line.detail)
            for line in self.console.health()
        ]

    def sign_out(self) -> None:
        self.console.presence.sign_out("signed out")

    def _presence_changed(self, member: object) -> None:
        if member is None and self.isVisible():
            self.context.navigate(HOME, clear_history=True)

    # Called by the shell ----------------------------------------------------------------------------------------------
    def can_show(self) -> bool:
        return self.console.presence.signed_in

    def on_shown(self) -> None:
        self.refresh()

    def on_retranslate(self) -> None:
        self.refresh()

    def first_focus(self) -> QWidget | None:
        return None


def staff_home_factory(console: StaffConsole) -> Callable[[ScreenContext], Screen]:
    """A registry factory: `registry.register("staff-home", staff_home_factory(console), staff_only=True,
    replace=True)`."""
    return lambda context: StaffHomeScreen(context, console)
