"""What the shell is given by the composition root: the catalog, the session, the screens, the outlets and the parts
built on first use. Kept apart from the window (ui/shell.py) so the list of what a kiosk wires in reads in one place.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from accessibility.sizing import ReferencePanel
from kiosk.catalog.provider import CatalogProvider
from kiosk.help_calls import HelpCalls
from kiosk.i18n import Catalog
from kiosk.journey import Journey
from kiosk.notices import NoticeBoard
from kiosk.session import CitizenSession
from kiosk.settings.model import SiteSettings, SpeechSettings
from ui.screens.base import DEFAULT_SITE
from ui.screens.registry import ScreenRegistry, default_registry

if TYPE_CHECKING:
    from accessibility.speech import SpeechService
    from kiosk.assist import Assistance
    from kiosk.desk import SubmissionDesk
    from kiosk.idle import IdlePolicy
    from kiosk.receipts import Receipt
    from kiosk.sounds import Sounds


def _nothing() -> None:
    return None


class ShellDeps:
    """What the shell is given by the composition root (a plain class: a dataclass would cost 0.6 ms at every start)."""

    def __init__(
        self,
        *,
        catalog: Catalog,
        session: CitizenSession,
        notices: NoticeBoard,
        panel: ReferencePanel,
        languages: tuple[str, ...],
        services: CatalogProvider | None = None,
        journey: Journey | None = None,
        registry: ScreenRegistry | None = None,
        after_first_paint: Callable[[], None] = _nothing,
        background_tasks: Sequence[Callable[[], None]] = (),
        periodic_tasks: Sequence[Callable[[], None]] = (),
        theme: str | None = None,
        desk: Callable[[], SubmissionDesk] | None = None,
        spool_dir: Path | None = None,
        print_receipt: Callable[[Receipt], bool] | None = None,
        site: SiteSettings = DEFAULT_SITE,
        today: Callable[[], datetime.date] = datetime.date.today,
        draft_retention_days: int = 30,
        on_screen_keyboard: str = "auto",
        speech: SpeechService | None = None,
        speech_factory: Callable[[], SpeechService] | None = None,
        speech_settings: SpeechSettings | None = None,
        debounce_ms: int = 0,
        idle: IdlePolicy | None = None,
        idle_clock: Callable[[], float] | None = None,
        sounds: Sounds | None = None,
        help_calls: HelpCalls | None = None,
    ) -> None:
        self.catalog = catalog
        self.session = session
        self.notices = notices
        self.panel = panel
        self.languages = languages
        # The composition root passes the process's one provider and journey; the defaults (an empty, "loading"
        # catalog and a journey of this session) suit tests and tools that do not browse services.
        self.services = services if services is not None else CatalogProvider()
        self.journey = journey if journey is not None else Journey(session)
        self.registry = registry if registry is not None else default_registry()
        # Called once, on the GUI thread, when the home screen's first paint event has been delivered and the event
        # loop is running again (so that whole frame has been painted and flushed). Benchmarks time start-up up to it.
        self.after_first_paint = after_first_paint
        # Qt-free start-up work run in order on one background thread right after `after_first_paint`.
        self.background_tasks = background_tasks
        # Qt-free housekeeping run on the same thread every few minutes afterwards (ui.background).
        self.periodic_tasks = periodic_tasks
        # The theme follows the session (`Presentation.theme`, default from the setting display.default_theme); a
        # name here switches the session to it when the window is built (tests and tools).
        self.theme = theme
        # The form screens' outlets. `desk` builds the submission desk on first use (importing it costs start-up
        # time); None: this kiosk cannot send (tools, most tests). Receipts are written to `spool_dir` (emptied when
        # each session ends) and printed by `print_receipt` (default: ui.receipt.print_receipt, the default printer).
        self.desk = desk
        self.spool_dir = spool_dir
        self.print_receipt = print_receipt
        self.site = site
        self.today = today
        self.draft_retention_days = draft_retention_days  # days a saved form stays on this kiosk
        self.on_screen_keyboard = on_screen_keyboard  # keyboard.on_screen: "auto" | "always" | "never"
        # Read aloud: the process's one speech service (the composition root picks its engine; here silent) and the
        # [speech] settings (keys, headset). `speech_factory` builds it on first use instead (after the first paint:
        # the composition root's engine choice costs start-up time); `speech` wins if both are given.
        self._speech = speech
        self.speech_factory = speech_factory
        self.speech_settings = speech_settings if speech_settings is not None else SpeechSettings()
        # input.debounce_ms: a second tap on the same control within it is ignored (ui.widgets.TapDebounce). 0 (off)
        # here, for tests and tools that click fast on purpose; the composition root passes the setting.
        self.debounce_ms = debounce_ms
        # [idle]: warn, then end the session after inactivity (ui.idle). None (tests, tools, screenshots): never.
        # `idle_clock` (seconds, monotonic) is for tests; `sounds` plays the cues (None: silent; the composition root
        # passes ui.sounds_qt's).
        self.idle = idle
        self.idle_clock = idle_clock
        self.sounds = sounds
        # Calls for a mediator (the header's help button; the staff console answers them). The composition root
        # passes the kiosk's one, audited and following its session; here one of this session (tests, tools).
        if help_calls is None:
            help_calls = HelpCalls()
            help_calls.follow(session)
        self.help_calls = help_calls
        # Whether a `staff_only` screen may be shown now (a signed-in member whose role opens it). Everything here,
        # for tests and tools; the composition root passes the staff sign-in's answer. Refused: the sign-in is shown.
        self.staff_allowed: Callable[[str], bool] = lambda _name: True
        # A mediator's help for the current citizen (kiosk.assist): its banner shows under the header while the help
        # goes on (ui.assist_banner, built after the first paint). None: this kiosk has no assisted sessions.
        self.assistance: Assistance | None = None

    @property
    def speech(self) -> SpeechService:
        if self._speech is None:
            if self.speech_factory is not None:
                self._speech = self.speech_factory()
            else:
                from accessibility.speech import SilentEngine, SpeechService

                self._speech = SpeechService(SilentEngine())
        return self._speech

    @speech.setter
    def speech(self, speech: SpeechService) -> None:
        self._speech = speech
