"""Screens by name: the shell shows whatever is registered, and later issues add their screens here.

A factory receives a `ScreenContext` and returns a `Screen`; it runs lazily, the first time the screen is shown, so
start-up only builds the home screen.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from ui.screens.base import Screen, ScreenContext

if TYPE_CHECKING:
    from ui.tutorials.learning import Learning
    from ui.tutorials.trainer_parts import LearnerRecords

ScreenFactory = Callable[[ScreenContext], Screen]
HOME = "home"


class ScreenSpec(NamedTuple):
    name: str
    factory: ScreenFactory
    staff_only: bool = False  # reserved for the staff area (a later issue decides how it is unlocked)
    idle_kind: str | None = None  # the idle timeout's screen kind ("question" | "reading"); None: the class's own


class UnknownScreenError(KeyError):
    """No screen is registered under this name."""


class ScreenRegistry:
    def __init__(self) -> None:
        self._specs: dict[str, ScreenSpec] = {}

    def register(
        self,
        name: str,
        factory: ScreenFactory,
        *,
        staff_only: bool = False,
        replace: bool = False,
        idle_kind: str | None = None,
    ) -> None:
        if not name or name != name.strip():
            raise ValueError(f"screen name must be a non-empty word, got {name!r}")
        if name in self._specs and not replace:
            raise ValueError(f"screen {name!r} is already registered")
        self._specs[name] = ScreenSpec(name, factory, staff_only, idle_kind)

    def names(self) -> list[str]:
        """Registered names, in registration order."""
        return list(self._specs)

    def spec(self, name: str) -> ScreenSpec:
        try:
            return self._specs[name]
        except KeyError:
            raise UnknownScreenError(name) from None

    def create(self, name: str, context: ScreenContext) -> Screen:
        spec = self.spec(name)
        screen = spec.factory(context)
        screen.screen_name = name
        if spec.idle_kind is not None:
            screen.idle_kind = spec.idle_kind
        return screen

    def __contains__(self, name: object) -> bool:
        return name in self._specs


def default_registry() -> ScreenRegistry:
    """Home, help, browsing the catalog (services, a life event, search, a service's start page), the form (one
    question per page, check answers, confirmation), finding a submission by its reference, and saving a form to
    come back later (save-draft) and continuing it (resume-draft); the idle warning (idle-warning, shown over the
    current screen by ui.idle; registered for screenshots and the checks) and the call for a mediator (help-call, shown
    over the current screen by the header's button; registered likewise); for staff, the delivery queue
    (staff-queue), shown here with a fixed sample queue until the composition root registers the kiosk's own with
    `ui.screens.staff_queue.staff_queue_factory` (`replace=True`); learning digital skills (learn-home, tutorial-step,
    practice) with nothing stored until the composition root registers them on the kiosk's database.

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

    def idle_warning(context: ScreenContext) -> Screen:
        from ui.screens.idle_warning import IdleWarningScreen  # shown over other screens by ui.idle; here for pictures

        return IdleWarningScreen(context)

    def help_call(context: ScreenContext) -> Screen:
        from ui.screens.help_call import HelpCallScreen  # shown over other screens by the header; here for pictures

        return HelpCallScreen(context)

    def staff_queue(context: ScreenContext) -> Screen:
        from ui.sample_queue import SampleQueue
        from ui.screens.staff_queue import StaffQueueScreen

        return StaffQueueScreen(context, SampleQueue())

    # Reading screens (long texts, nothing typed) get the longer idle timeout; the others are "question" screens.
    registry.register(HOME, home, idle_kind="reading")
    registry.register("help", help_screen, idle_kind="reading")
    registry.register("services", services, idle_kind="reading")
    registry.register("life-event", life_event, idle_kind="reading")
    registry.register("search", search)
    registry.register("service-start", service_start, idle_kind="reading")
    registry.register("question", question)
    registry.register("check-answers", check_answers)
    registry.register("confirmation", confirmation, idle_kind="reading")
    registry.register("lookup", lookup)
    registry.register("save-draft", save_draft)
    registry.register("resume-draft", resume_draft)
    registry.register("idle-warning", idle_warning)
    registry.register("help-call", help_call, idle_kind="reading")
    registry.register("staff-queue", staff_queue, staff_only=True)
    register_learning(registry, sample_learning)  # built when a learning screen is first shown, not at start-up
    # The staff area with samples, until the composition root registers the kiosk's own (`replace=True`).
    for name, factory, idle_kind in (
        ("staff-sign-in", _sample_staff_sign_in, None),
        ("staff-home", _sample_staff_home, None),
        ("assist-consent", _sample_assist_consent, "reading"),
        ("trainer-session", _sample_trainer_session, "reading"),
    ):
        registry.register(name, factory, staff_only=name != "staff-sign-in", idle_kind=idle_kind)
    return registry


def sample_learning() -> "Learning":
    """Learning with nothing stored (pictures, the accessibility checks): the step screens open the first tutorial."""
    from ui.tutorials.learning import Learning, MemoryStore

    return Learning(MemoryStore(), sample="touch-tap-scroll-type")


def register_learning(
    registry: ScreenRegistry,
    learning: "Learning | Callable[[], Learning]",
    *,
    replace: bool = False,
    records: "LearnerRecords | None" = None,
) -> None:
    """The learning screens (issue 7) on one `Learning` (or a function that builds it, called once, when a learning
    screen is first shown: the engine is not imported at start-up): `learn-home` (the tutorials, learner codes),
    `tutorial-step` (one step of the open tutorial), `practice` (the open tutorial's first practice not yet done) and
    `self-assessment` ("Check your digital skills"). `records` (ui.tutorials.trainer_parts.LearnerRecords) lets a
    learner in today's group session ask the trainer for help, and keeps a self-assessment for a learner with a code;
    None: neither.
    The composition root registers them again on the kiosk's database (citizen_kiosk/learning_wiring.py,
    `replace=True`). The `confirmation` is registered again on the same `Learning` (always replacing the plain one): it
    offers the lesson linked to the service just sent and opens it in `tutorial-step`."""
    built: list[Learning] = []

    def shared() -> "Learning":
        if not built:
            built.append(learning() if callable(learning) else learning)
        return built[0]

    def learn_home(context: ScreenContext) -> Screen:
        from ui.screens.learn_home import LearnHomeScreen

        return LearnHomeScreen(context, shared())

    def tutorial_step(context: ScreenContext) -> Screen:
        from ui.screens.tutorial_step import TutorialStepScreen

        return TutorialStepScreen(context, shared(), records=records)

    def practice(context: ScreenContext) -> Screen:
        from ui.screens.tutorial_step import TutorialStepScreen

        return TutorialStepScreen(context, shared(), practice_only=True, records=records)

    def self_assessment(context: ScreenContext) -> Screen:
        from ui.screens.self_assessment import SelfAssessmentScreen

        return SelfAssessmentScreen(context, shared(), records=records)

    registry.register("learn-home", learn_home, idle_kind="reading", replace=replace)
    registry.register("tutorial-step", tutorial_step, idle_kind="reading", replace=replace)
    registry.register("practice", practice, replace=replace)
    registry.register("self-assessment", self_assessment, replace=replace)

    def confirmation(context: ScreenContext) -> Screen:
        from ui.screens.confirmation import ConfirmationScreen

        return ConfirmationScreen(context, shared)

    registry.register("confirmation", confirmation, idle_kind="reading", replace=True)


def _sample_trainer_session(context: ScreenContext) -> Screen:
    """The trainer's group sessions on a sample database in memory (ui.tutorials.trainer_parts.sample_desk), until the
    composition root registers the kiosk's own (citizen_kiosk/trainer_wiring.py, `replace=True`)."""
    from ui.screens.trainer_session import TrainerSessionScreen
    from ui.tutorials.trainer_parts import sample_desk

    return TrainerSessionScreen(context, sample_desk())


def _sample_staff_sign_in(context: ScreenContext) -> Screen:
    """Staff sign-in on a sample kiosk with one site manager (ui.screens.staff_samples) until the composition root
    registers the kiosk's own with `ui.screens.staff_sign_in.staff_sign_in_factory` (`replace=True`)."""
    from ui.screens.staff_samples import sample_gate
    from ui.screens.staff_sign_in import StaffSignInScreen

    return StaffSignInScreen(context, sample_gate())


def _sample_assist_consent(context: ScreenContext) -> Screen:
    """The consent of an assisted session with a sample mediator, until the composition root registers the kiosk's
    own (`ui.screens.assist_consent.assist_consent_factory`, `replace=True`)."""
    from ui.screens.assist_consent import sample_assist_consent

    return sample_assist_consent(context)


def _sample_staff_home(context: ScreenContext) -> Screen:
    """The staff console signed in as the sample site manager, with sample counts, health and alerts."""
    from ui.screens.help_call import sample_help_calls
    from ui.screens.staff_home import StaffHomeScreen
    from ui.screens.staff_samples import sample_console

    # No call pending: the variant staff-home-help-call (ui.screenshot_samples) raises one.
    return StaffHomeScreen(context, sample_console()._replace(help_calls=sample_help_calls()))
