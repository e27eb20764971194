"""Wires the Qt shell to the core and runs it: the only module of the composition root that imports `ui` (Qt).

Start-up order is chosen for a fast first frame: configuration and the window first; the service catalog
(jsonschema), the database (sqlite-utils) and the secrets backend (keyring) load in background tasks after the home
screen has been painted, and report to staff through the notice board.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

# Qt-free modules the shell needs are imported here, before Qt: once PySide6 is loaded it reads the source of every
# module imported after it (to see whether it uses PySide's feature switches), which costs time at every start.
from accessibility.sizing import TEXT_STEPS, ReferencePanel
from accessibility.tokens import THEMES  # noqa: F401 - see above: the shell's theme table, loaded before Qt
from citizen_kiosk import platform_probe
from citizen_kiosk.commands import EXIT_FAILURE, EXIT_OK, UsageError
from citizen_kiosk.wiring import (
    Context,
    catalog_directory,
    catalog_startup_task,
    housekeeping_task,
    secrets_startup_task,
    start_logging,
    storage_startup_task,
    submission_desk_factory,
)
from kiosk.catalog.provider import CatalogProvider
from kiosk.help_calls import HelpCalls
from kiosk.i18n import Catalog, fallback_chain
from kiosk.idle import IdlePolicy
from kiosk.journey import Journey
from kiosk.notices import NoticeBoard
from kiosk.readiness import Readiness
from kiosk.session import CitizenSession, Presentation

if TYPE_CHECKING:
    from kiosk.audit import Recorder
    from kiosk.sounds import Sounds
    from kiosk.staff_presence import StaffPresence
    from ui.tutorials.learning import Learning

log = logging.getLogger(__name__)

# Qt objects that must outlive main(): with QApplication or the window as locals the process crashes at exit
# ("shared QObject was deleted directly", bus error). This anchor holds them for the life of the process.
_PROCESS_LIFETIME: list[object] = []


def platform_problem(platform: str, library_dirs: list[Path] | None = None) -> str | None:
    """A clear sentence when Qt's platform plugin for a real screen cannot load, naming the Debian packages.

    Qt itself would abort with "could not load the Qt platform plugin" (or blame libxcb-cursor0 for any missing
    library); a few stat calls here, at every start, name the real culprits instead.
    """
    if platform != "xcb":
        return None
    plugin = platform_probe.platform_plugin("xcb")
    if plugin is None:
        return "Qt's X11 platform plugin is missing: reinstall PySide6-Essentials (make run does it)."
    missing = platform_probe.absent_libraries(platform_probe.XCB_PLUGIN_LIBRARIES, library_dirs)
    if not missing:
        return None
    packages = " ".join(platform_probe.packages_for(missing))
    return (
        f"Qt cannot open a window because system libraries are missing; install them with: apt-get install {packages}"
    )


def _shell_deps(context: Context, language: str):  # type: ignore[no-untyped-def]
    from ui.shell_deps import ShellDeps

    notices = NoticeBoard()
    readiness = Readiness()
    # What every session starts with and returns to when it ends (timeout, Finish, shutdown): the site's defaults.
    defaults = Presentation(
        language=language,
        theme=context.config.display.default_theme,
        volume=context.config.speech.default_volume,
    )
    session = CitizenSession(defaults, text_steps=len(TEXT_STEPS))
    services = CatalogProvider()  # one per process: empty ("loading") until its start-up task has run
    panel_settings = context.config.panel
    panel = ReferencePanel(
        diagonal_inches=panel_settings.diagonal_inches,
        width_px=panel_settings.width_px,
        height_px=panel_settings.height_px,
        viewing_distance_mm=panel_settings.viewing_distance_mm,
    )
    data_dir = context.data_dir.path
    from citizen_kiosk.delivery import DeliveryService  # Qt-free and light: sync is imported by its task

    delivery = DeliveryService(context)
    deps = ShellDeps(
        # The first screen's language (and its fallbacks) now; the others when first shown.
        catalog=Catalog.load(languages=context.config.languages.available, read_now=fallback_chain(language)),
        session=session,
        notices=notices,
        services=services,
        journey=Journey(session),  # clears itself when the session ends
        panel=panel,
        languages=context.config.languages.available,
        # In this order, on one background thread (ui.background): the catalog first, so browsing is ready soonest;
        # the database before the checks that may need it.
        background_tasks=(
            catalog_startup_task(context, services, notices),
            storage_startup_task(context, notices, readiness),
            secrets_startup_task(context, notices, readiness),
            delivery.start_task(),  # last: delivery needs the database and the keys checked above
        ),
        periodic_tasks=(housekeeping_task(context, services, notices),),
        # The form screens send through the desk (built when first used, never before the first paint) and keep
        # receipts in <data dir>/spool, emptied whenever a session ends.
        desk=submission_desk_factory(context, readiness, after_submit=delivery.wake),
        spool_dir=data_dir / "spool",
        site=context.config.site,
        draft_retention_days=context.config.drafts.retention_days,
        on_screen_keyboard=context.config.keyboard.on_screen,  # ui/keyboard: auto | always | never
        debounce_ms=context.config.input.debounce_ms,  # a second identical tap within it is ignored
        help_calls=_audited_help_calls(context, session),  # the header's "Call a mediator"; staff-home answers
    )
    return deps, readiness, delivery


def _audited_help_calls(context: Context, session: CitizenSession) -> HelpCalls:
    """The kiosk's calls for a mediator, dropped when the session ends; answers and cancellations are audited (the
    audit module loads at the first, never before the first paint)."""
    records: list[Recorder] = []

    def audit(kind: str, actor: str, detail: dict[str, str | int | bool]) -> None:
        if not records:
            from citizen_kiosk.commands.audit_cmd import audit_recorder

            records.append(audit_recorder(context))
        records[0](kind, actor, detail)

    calls = HelpCalls(audit=audit)
    calls.follow(session)
    return calls


def _add_speech(deps, context: Context) -> None:  # type: ignore[no-untyped-def]
    """Read aloud's voice (`speech.engine`): espeak-ng if installed; Qt's text to speech takes over if a background
    probe finds its voices (ui.speech_setup). Built on the GUI thread at first use, which the shell makes right after
    the first paint, before its background tasks start: the probe is one of them."""
    probes: list[Callable[[], None]] = []

    def build():  # type: ignore[no-untyped-def]
        from ui.speech_setup import build_speech

        default = context.config.languages.default  # first: the router's last resort is the site's default language
        speech, probe, keeper = build_speech(
            context.config.speech,
            deps.notices,
            volume=deps.session.defaults.volume,
            languages=(default, *(code for code in deps.languages if code != default)),
            screen_language=lambda: deps.session.presentation.language,
        )
        if probe is not None:
            probes.append(probe)
        if keeper is not None:
            _PROCESS_LIFETIME.append(keeper)
        return speech

    def probe_task() -> None:
        for probe in probes:
            probe()

    deps.speech_factory, deps.speech_settings = build, context.config.speech
    deps.background_tasks = (*deps.background_tasks, probe_task)  # last: the citizen's screens come first


class _SoundsOnFirstCue:
    """`kiosk.sounds.Sounds` that builds ui.sounds_qt's on the first cue (a Qt module kept off the first paint)."""

    def __init__(self, directory: Path, volume: Callable[[], int]) -> None:
        self._directory, self._volume = directory, volume
        self._sounds: Sounds | None = None

    def play(self, cue: str) -> None:
        if self._sounds is None:
            from ui.sounds_qt import build_sounds

            self._sounds = build_sounds(self._directory, self._volume)
            _PROCESS_LIFETIME.append(self._sounds)
        self._sounds.play(cue)


def _add_idle(deps, context: Context) -> None:  # type: ignore[no-untyped-def]
    """Idle warning and expiry (`[idle]`), with the sound cues at the session's volume (silent without audio)."""
    session = deps.session
    deps.idle = IdlePolicy(*context.config.idle)
    deps.sounds = _SoundsOnFirstCue(context.data_dir.path / "sounds", lambda: session.presentation.volume)


# The staff role area (kiosk.staff.ROLE_AREAS) each staff-only screen needs; "" = any signed-in member (the console
# shows each role its own buttons). A staff-only screen not listed needs the site manager's "settings".
STAFF_SCREEN_AREAS = {
    "staff-queue": "queue",
    "staff-home": "",
    "assist-consent": "assist",
    "trainer-session": "tutorials",
}


def _leave_reason(how: str) -> str:
    """ "key Alt+F4" -> "key alt f4": the audit log's reasons are a few lower-case words."""
    words = "".join(c if c.isalnum() else " " for c in how.lower()).split()
    return " ".join(words[:6]) or "unknown"


def run_kiosk(context: Context, *, language: str, windowed: bool, exit_after_first_paint: bool) -> int:
    log_path = start_logging(context)
    log.info("starting kiosk %s (language %s, log %s)", context.config.site.kiosk_id, language, log_path)
    from ui.pyside_startup import load_pyside

    load_pyside()  # before the Qt side: PySide then reads no source of ours (ui.pyside_startup)
    from ui.app import KioskGui, create_application, install_shutdown_handlers

    app = create_application(sys.argv[:1])
    deps, readiness, delivery = _shell_deps(context, language)
    # Staff sign-in and console on this kiosk's database (screenshots keep the registry's samples), wired right after
    # the first paint: nobody can reach the staff screens before it. Until then nobody is signed in.
    presences: list[StaffPresence] = []

    def staff_allowed(name: str) -> bool:
        if not presences:
            return False  # before the staff wiring (first paint) nobody is signed in
        area = STAFF_SCREEN_AREAS.get(name, "settings")
        return presences[0].signed_in if not area else presences[0].may(area)

    deps.staff_allowed = staff_allowed

    def wire_staff() -> None:
        from citizen_kiosk.staff_wiring import build_assistance, register_staff, register_staff_queue

        presences.append(
            register_staff(
                deps.registry,
                context,
                deps.session,
                delivery.wake,
                help_calls=deps.help_calls,
                assistance=build_assistance(deps, context, presences, lambda: gui.window),
            )
        )
        register_staff_queue(deps.registry, context, delivery.wake, staff_name)  # screenshots keep the sample queue
        from citizen_kiosk.trainer_wiring import register_trainer  # the trainer's group sessions on this database

        register_trainer(deps.registry, context, presences[0])

    def staff_name() -> str:
        member = presences[0].member if presences else None
        return member.name if member is not None else "staff"

    _add_speech(deps, context)  # screenshots stay silent
    learnings = _preload_tutorials(deps)  # filled right after the first paint with the learning screens' object
    _add_idle(deps, context)  # and never time out
    if exit_after_first_paint:
        # The benchmark reads this line; background tasks are left out: start-up ends at the first painted frame.
        deps.background_tasks = deps.periodic_tasks = ()
    gui = KioskGui(app, deps, windowed=windowed)
    if not windowed:
        _guard_leaving(gui, context, presences, staff_name)
    from ui.bridge import EventBridge

    # The delivery worker's snapshots (from its own thread) reach the header indicator on the GUI thread.
    EventBridge(delivery.status, gui.window).fired.connect(gui.window.show_sync)

    def after_first_paint() -> None:
        # Before the first frame there is nothing to wipe or close: a signal then may simply end the process.
        install_shutdown_handlers(gui)
        wire_staff()
        from citizen_kiosk.learning_wiring import register_learning  # learners and progress on this kiosk's database

        learnings.append(register_learning(deps.registry, context, deps.session))
        _count_sessions(context, deps.session, gui.window)
        resume_collection()

    deps.after_first_paint = after_first_paint
    if exit_after_first_paint:
        deps.after_first_paint = lambda: _report_first_paint_and_quit(gui)
    _PROCESS_LIFETIME.extend([app, gui, readiness])
    gui.start()
    code = gui.exec()
    delivery.stop()  # the attempt under way finishes and is recorded; nothing is lost either way (leases expire)
    log.info("kiosk shut down cleanly (exit %s)", code)
    return code


def _guard_leaving(gui, context: Context, presences: list[StaffPresence], staff_name: Callable[[], str]) -> None:  # type: ignore[no-untyped-def]
    """The kiosk window closes only for a signed-in site manager; every refused attempt is audited."""
    records: list[Recorder] = []

    def leave_attempt(how: str) -> None:
        if not records:  # the audit module loads at the first attempt, not before the first paint
            from citizen_kiosk.commands.audit_cmd import audit_recorder

            records.append(audit_recorder(context))
        records[0]("leave-attempt", staff_name(), {"reason": _leave_reason(how)})

    gui.guard.may_close = lambda: bool(presences) and presences[0].may("settings")
    gui.guard.on_leave_attempt = leave_attempt


def _preload_tutorials(deps) -> list[Learning]:  # type: ignore[no-untyped-def]
    """Add a background task that parses the shipped tutorials off the GUI thread (~0.3 s), so neither learn-home nor
    a sent form's confirmation (its "learn to do this yourself" offer) waits for them; returns the list the caller
    puts the kiosk's `Learning` in once it exists (after the first paint, before the background thread starts)."""
    learnings: list[Learning] = []

    def preload_tutorials() -> None:
        if learnings:
            learnings[0].tutorials()

    deps.background_tasks = (*deps.background_tasks, preload_tutorials)
    return learnings


def _count_sessions(context: Context, session: CitizenSession, window) -> None:  # type: ignore[no-untyped-def]
    """Today's session counts for the console (kiosk.session_counts), wired after the first paint like the staff area
    that shows them: each screen the window shows tells whether the session had any activity (an untouched one is not
    counted)."""
    from citizen_kiosk.staff_wiring import count_sessions

    tally = count_sessions(context, session)
    window.screen_changed.connect(tally.screen_shown)
    _PROCESS_LIFETIME.append(tally)


def resume_collection() -> None:
    """Turn the garbage collector back on once the first frame is painted (`cli.main` pauses it for start-up).

    What start-up built lives as long as the process, so it is frozen first: left out of every later collection,
    it costs no scan now (one would take ~4 ms, just as the citizen may tap) nor in later full collections.
    """
    gc.freeze()
    gc.enable()


def _report_first_paint_and_quit(gui) -> None:  # type: ignore[no-untyped-def]
    print("first-paint", flush=True)  # first: the benchmark's clock stops at this line
    resume_collection()
    gui.shutdown()


def screenshot(
    context: Context,
    *,
    out: str | None,
    screen: str,
    language: str,
    size: tuple[int, int] | None,
    list_only: bool,
    all_dir: str | None,
    theme: str | None = None,
    text_step: int = 0,
) -> int:
    """Render one screen to `out`, every screen to `all_dir`, or list the names; in `theme` (None: the site's default
    theme, `display.default_theme`) at text step `text_step` (an index of `accessibility.sizing.TEXT_STEPS`)."""
    width, height = size or (context.config.panel.width_px, context.config.panel.height_px)
    # Screenshots are rendered offscreen, on a virtual screen the size of the reference panel.
    from ui.offscreen import offscreen_platform  # Qt-free: the platform must be chosen before Qt starts

    os.environ["QT_QPA_PLATFORM"] = offscreen_platform(width, height, context.config.panel.diagonal_inches)
    from ui.app import create_application
    from ui.screenshot import render_screen, save_screens, screenshot_names

    app = create_application(sys.argv[:1])
    _PROCESS_LIFETIME.append(app)
    deps, _, _ = _shell_deps(context, language)  # rendering runs none of its start-up tasks (ui.screenshot)
    from kiosk.pseudo_locale import PSEUDO_LANGUAGE, with_pseudo_locale

    if language == PSEUDO_LANGUAGE:  # `--lang en-XA`, a testing aid: every text lengthened (kiosk.pseudo_locale)
        deps.catalog = with_pseudo_locale(deps.catalog)
    names = screenshot_names(deps.registry)  # the registered screens and the form's variants (question-date...)
    if list_only:
        print("\n".join(names))
        return EXIT_OK
    # The catalog loads here, before rendering (the kiosk loads it after its first paint), so the browsing screens
    # show real services; problems leave files out exactly as on the kiosk.
    deps.services.load(catalog_directory(context))
    if all_dir:
        try:
            written = save_screens(
                deps, names, language, (width, height), Path(all_dir), text_step=text_step, theme=theme
            )
        except OSError as error:
            print(f"citizen-kiosk: {error}", file=sys.stderr)
            return EXIT_FAILURE
        print("\n".join(str(path) for path in written))
        return EXIT_OK
    if screen not in names:
        raise UsageError(f"no screen named {screen!r}; `citizen-kiosk screenshot --list` shows them")
    path = Path(str(out))
    path.parent.mkdir(parents=True, exist_ok=True)
    image = render_screen(deps, screen, language, (width, height), text_step=text_step, theme=theme)
    if not image.save(str(path)):  # format from the suffix
        print(f"citizen-kiosk: could not write {path}", file=sys.stderr)
        return EXIT_FAILURE
    print(path)
    return EXIT_OK
