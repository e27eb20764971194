"""The staff console (`staff-home`): who is signed in, today's citizen sessions (counts only), the delivery queue's
summary, the site's defaults, device health (the doctor's checks) and the alerts, with buttons by role.

A mediator sees the queue and "Assist a citizen"; a trainer the group sessions (`trainer-session`); the site manager
everything, with device health and alerts. Nothing here is personal: counts, states and fixed English check details
for staff. Everything comes through a `StaffConsole` the composition root builds (the UI never imports the doctor
itself), read afresh each time the screen is shown. Nobody signed in: the shell sends the citizen home (`can_show`).

Today's sessions are counts by how they ended (kiosk.session_counts), shown as "Citizen sessions today: 12 (finished:
9 · timed out: 3)": the catalog has no plural forms, so every number follows a colon. The doctor's checks take seconds
(speech probes a child process): on the kiosk (`health_in_background`) they run on a worker thread
(ui.forms.background_call) while the section says "Checking…". Check names and states are translated; the details stay
the doctor's plain English, in a smaller line that says so.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

from PySide6.QtWidgets import QLabel, QWidget

from kiosk.help_calls import HelpCalls
from kiosk.queue_view import QueueSource, summary_line
from kiosk.session_counts import KINDS
from kiosk.staff_presence import StaffPresence
from ui.forms.background_call import BackgroundCall
from ui.screens.base import Screen, ScreenContext
from ui.screens.browse_parts import plain_label
from ui.widgets import KioskButton

HOME = "home"


class HealthLine(NamedTuple):
    name: str  # the doctor check's name, e.g. "database"
    ok: bool
    detail: str  # plain English for staff (the doctor's detail); never personal data
    required: bool = True  # a failing required check is a problem; an advisory one (audio, speech...) a warning


# The doctor's check names (citizen_kiosk.doctor.run_checks) -> their catalog keys; another name is shown as it is.
CHECK_KEYS = {
    "data-dir": "staff.check.data_dir",
    "database": "staff.check.database",
    "secrets": "staff.check.secrets",
    "fonts": "staff.check.fonts",
    "qt-platform": "staff.check.qt_platform",
    "display": "staff.check.display",
    "audio": "staff.check.audio",
    "speech": "staff.check.speech",
}
HEALTH_STATE_KEYS = {
    "ok": "staff.home.health_ok",
    "problem": "staff.home.health_problem",
    "warning": "staff.home.health_warning",
}
SessionsToday = Mapping[str, int] | int  # {kind: count} (kiosk.session_counts.KINDS), or only the total


class AlertLine(NamedTuple):
    summary: str
    acknowledged: bool


def _no_count() -> SessionsToday | None:
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
    sessions_today: Callable[[], SessionsToday | None] = _no_count  # None: not counted on this kiosk yet
    health: Callable[[], Sequence[HealthLine]] = _no_health
    health_in_background: bool = False  # True: `health` is slow (the doctor), run it off the GUI thread
    alerts: Callable[[], Sequence[AlertLine]] = _no_alerts
    clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
    help_calls: HelpCalls | None = None  # the kiosk's calls for a mediator (kiosk.help_calls); None: not shown


# (area the role needs, catalog key, target screen)
ACTIONS = (
    ("queue", "staff.home.open_queue", "staff-queue"),
    ("assist", "staff.home.assist", "assist-consent"),
    ("tutorials", "staff.home.tutorials", "trainer-session"),  # the trainer's group sessions
)


class StaffHomeScreen(Screen):
    def __init__(self, context: ScreenContext, console: StaffConsole) -> None:
        super().__init__(context)
        self.console = console
        self.add_heading("staff.home.title")
        self.who = self._label("lead")
        if console.help_calls is not None:  # a citizen's call for a mediator first: "I am on my way" answers it
            from ui.screens.help_call import StaffHelpCalls

            self.help_calls = StaffHelpCalls(context, console.help_calls, console.presence)
            self.body.addWidget(self.help_calls)
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
            if section == "health":  # the doctor's own words, in English, under the translated states
                self.health_details = self._label("muted")
        self.health_call: BackgroundCall | None = None
        self.health_results: Sequence[HealthLine] | None = None  # the last checks' outcome; None: not yet
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
        self.check_health()
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
        self.lines["today"].setText(self._sessions_text())
        view = self.console.queue.view()
        self.lines["queue"].setText(summary_line(view.counts, view.now, t))
        settings = [t("staff.home.language", language=self.console.default_language)]
        if self.console.idle_seconds is not None:
            settings.append(t("staff.home.idle", seconds=self.console.idle_seconds))
        self.lines["settings"].setText("\n".join(settings))
        self._show_health()
        alerts = list(self.console.alerts()) if presence.may("alerts") else []
        open_count = sum(not a.acknowledged for a in alerts)
        summary = t("staff.home.alerts_counts", open=open_count, acknowledged=len(alerts) - open_count)
        self.lines["alerts"].setText("\n".join([summary, *(f"• {a.summary}" for a in alerts if not a.acknowledged)]))
        visible = {"today": True, "queue": presence.may("queue"), "settings": True}
        visible |= {"health": presence.may("health"), "alerts": presence.may("alerts")}
        for section, shown in visible.items():
            self.sections[section].setVisible(shown)
            self.lines[section].setVisible(shown)
        self.health_details.setVisible(presence.may("health") and bool(self.health_details.text()))
        for area, button in self.buttons.items():
            button.setVisible(presence.may(area))

    def _sessions_text(self) -> str:
        t = self.context.t
        sessions = self.console.sessions_today()
        if sessions is None:
            return t("staff.home.sessions_unknown")
        if isinstance(sessions, int):
            return t("staff.home.sessions", n=sessions)
        kinds = [t("staff.home.session_kind." + kind, n=sessions[kind]) for kind in KINDS if sessions.get(kind)]
        total = sum(sessions.values())
        if not kinds:
            return t("staff.home.sessions", n=total)
        return t("staff.home.sessions_by_kind", n=total, kinds=" · ".join(kinds))

    # Device health ---------------------------------------------------------------------------------------------------
    def check_health(self) -> None:
        """Run the doctor's checks again (on a worker thread on the kiosk), unless they are running now."""
        if not self.console.presence.may("health"):
            return
        if not self.console.health_in_background:
            self.health_results = list(self.console.health())
            return
        if self.health_call is None:
            self.health_call = BackgroundCall(self)
            self.health_call.finished.connect(self._health_checked)
        if self.health_call.running:
            return
        health = self.console.health  # not `self`: the worker must not touch the screen, which may go meanwhile
        self.health_call.start(lambda: list(health()), name="kiosk-health-checks")

    @property
    def checking_health(self) -> bool:
        return self.health_call is not None and self.health_call.running

    def _health_checked(self, outcome: object) -> None:
        if isinstance(outcome, BaseException):  # logged by BackgroundCall; staff see the checks could not run
            outcome = [HealthLine("doctor", False, f"the checks could not run: {type(outcome).__name__}")]
        assert isinstance(outcome, list)
        self.health_results = outcome
        self._show_health()

    def _show_health(self) -> None:
        t = self.context.t
        lines: list[str] = []
        if self.checking_health:
            lines.append(t("staff.home.health_checking"))
        details: list[str] = []
        for line in self.health_results or ():
            name = t(CHECK_KEYS[line.name]) if line.name in CHECK_KEYS else line.name
            state = "ok" if line.ok else ("problem" if line.required else "warning")
            lines.append(t(HEALTH_STATE_KEYS[state], name=name))
            if not line.ok and line.detail:
                details.append(f"{line.name}: {line.detail}")
        self.lines["health"].setText("\n".join(lines))
        if details:
            details.insert(0, t("staff.home.health_details"))
        self.health_details.setText("\n".join(details))
        self.health_details.setVisible(self.console.presence.may("health") and bool(details))

    def sign_out(self) -> None:
        self.console.presence.sign_out("signed out")

    def _presence_changed(self, member: object) -> None:
        if member is None and self.isVisible():
            self.context.navigate(HOME, clear_history=True)

    # Called by the shell ----------------------------------------------------------------------------------------------
    def can_show(self) -> bool:
        return self.console.presence.signed_in

    def on_shown(self) -> None:
        self.check_health()
        self.refresh()

    def on_retranslate(self) -> None:
        self.refresh()

    def first_focus(self) -> QWidget | None:
        return None


def staff_home_factory(console: StaffConsole) -> Callable[[ScreenContext], Screen]:
    """A registry factory: `registry.register("staff-home", staff_home_factory(console), staff_only=True,
    replace=True)`."""
    return lambda context: StaffHomeScreen(context, console)
