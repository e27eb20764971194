"""Screens by name: the shell shows whatever is registered, and later issues add their screens here.

A factory receives a `ScreenContext` and returns a `Screen`; it runs lazily, the first time the screen is shown, so
start-up only builds the home screen.
"""

from collections.abc import Callable
from typing import NamedTuple

from ui.screens.base import Screen, ScreenContext

ScreenFactory = Callable[[ScreenContext], Screen]
HOME = "home"


class ScreenSpec(NamedTuple):
    name: str
    factory: ScreenFactory
    staff_only: bool = False  # reserved for the staff area (a later issue decides how it is unlocked)


class UnknownScreenError(KeyError):
    """No screen is registered under this name."""


class ScreenRegistry:
    def __init__(self) -> None:
        self._specs: dict[str, ScreenSpec] = {}

    def register(self, name: str, factory: ScreenFactory, *, staff_only: bool = False, replace: bool = False) -> None:
        if not name or name != name.strip():
            raise ValueError(f"screen name must be a non-empty word, got {name!r}")
        if name in self._specs and not replace:
            raise ValueError(f"screen {name!r} is already registered")
        self._specs[name] = ScreenSpec(name, factory, staff_only)

    def names(self) -> list[str]:
        """Registered names, in registration order."""
        return list(self._specs)

    def spec(self, name: str) -> ScreenSpec:
        try:
            return self._specs[name]
        except KeyError:
            raise UnknownScreenError(name) from None

    def create(self, name: str, context: ScreenContext) -> Screen:
        screen = self.spec(name).factory(context)
        screen.screen_name = name
        return screen

    def __contains__(self, name: object) -> bool:
        return name in self._specs


def default_registry() -> ScreenRegistry:
    """Home, help, browsing the catalog (services, a life event, search, a service's start page), the form (one
    question per page, check answers, confirmation), finding a submission by its reference, and saving a form to
    come back later (save-draft) and continuing it (resume-draft); for staff, the delivery queue (staff-queue), shown
    here with a fixed sample queue until the composition root registers the kiosk's own with
    `ui.screens.staff_queue.staff_queue_factory` (`replace=True`).

    Imports stay inside the factories so only what is shown is loaded (start-up builds home only).
    """
    registry = ScreenRegistry()

    def home(context: ScreenContext) -> Screen:
        from ui.screens.home import HomeScreen

        return HomeScreen(context)

    def help_screen(context: ScreenContext) -> Screen:
        from ui.screens.help import HelpScreen

        return HelpScreen(context)

    def services(context: ScreenContext) -> Screen:
        from ui.screens.services import ServicesScreen

        return ServicesScreen(context)

    def life_event(context: ScreenContext) -> Screen:
        from ui.screens.life_event import LifeEventScreen

        return LifeEventScreen(context)

    def search(context: ScreenContext) -> Screen:
        from ui.screens.search import SearchScreen

        return SearchScreen(context)

    def service_start(context: ScreenContext) -> Screen:
        from ui.screens.service_start import ServiceStartScreen

        return ServiceStartScreen(context)

    def question(context: ScreenContext) -> Screen:
        from ui.screens.question import QuestionScreen

        return QuestionScreen(context)

    def check_answers(context: ScreenContext) -> Screen:
        from ui.screens.check_answers import CheckAnswersScreen

        return CheckAnswersScreen(context)

    def confirmation(context: ScreenContext) -> Screen:
        from ui.screens.confirmation import ConfirmationScreen

        return ConfirmationScreen(context)

    def lookup(context: ScreenContext) -> Screen:
        from ui.screens.lookup import LookupScreen

        return LookupScreen(context)

    def save_draft(context: ScreenContext) -> Screen:
        from ui.screens.save_draft import SaveDraftScreen

        return SaveDraftScreen(context)

    def resume_draft(context: ScreenContext) -> Screen:
        from ui.screens.resume_draft import ResumeDraftScreen

        return ResumeDraftScreen(context)

    def staff_queue(context: ScreenContext) -> Screen:
        from ui.screens.staff_queue import StaffQueueScreen
        from ui.screenshot_samples import SampleQueue

        return StaffQueueScreen(context, SampleQueue())

    registry.register(HOME, home)
    registry.register("help", help_screen)
    registry.register("services", services)
    registry.register("life-event", life_event)
    registry.register("search", search)
    registry.register("service-start", service_start)
    registry.register("question", question)
    registry.register("check-answers", check_answers)
    registry.register("confirmation", confirmation)
    registry.register("lookup", lookup)
    registry.register("save-draft", save_draft)
    registry.register("resume-draft", resume_draft)
    registry.register("staff-queue", staff_queue, staff_only=True)
    return registry
