"""Render registered screens to PNG through the real MainWindow, so header and notices look exactly as on the kiosk.

Rendering uses a throw-away session in the requested language, text step and theme (the caller's session is not
touched; the theme defaults to the one the caller's session shows) and runs no start-up hooks or background tasks.
Needs a QApplication (see `ui.app.create_application`); offscreen is fine.
The browsing screens show what the caller's journey chose; with nothing chosen, the catalog's first life event and
its first service, so a picture of the start page shows a real start page (load the catalog before rendering).

The form screens show a flow: their pictures, and the variants `question-<type>`, `error`... (`screenshot_names`),
come from `ui.screenshot_samples`, which puts a sample form on the right page.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from accessibility.sizing import TEXT_STEPS
from kiosk.journey import Journey
from kiosk.session import CitizenSession, Presentation
from ui.screens.registry import ScreenRegistry, UnknownScreenError
from ui.shell import MainWindow, ShellDeps


class ScreenRenderError(RuntimeError):
    """The screen failed while being built or shown (the shell fell back to home); see the log for the cause."""


def screenshot_names(registry: ScreenRegistry) -> list[str]:
    """Every registered screen, then the variants of the form screens (`question-date`, `error`...)."""
    from ui.screenshot_samples import VARIANTS

    names = registry.names()
    return names + [name for name, variant in VARIANTS.items() if name not in names and variant.screen in registry]


def render_screen(
    deps: ShellDeps, name: str, lang: str, size: tuple[int, int], *, text_step: int = 0, theme: str | None = None
) -> QImage:
    """One screen (or variant) as an image. `theme`: a name of `accessibility.tokens.THEMES` (None: the caller's
    session's theme); an unknown name is a ValueError listing the known ones."""
    if QApplication.instance() is None:
        raise RuntimeError("render_screen needs a QApplication: call ui.app.create_application first")
    from ui.sample_form import SAMPLE_TODAY
    from ui.screenshot_samples import VARIANTS

    variant = VARIANTS.get(name)
    screen = variant.screen if variant is not None else name
    if screen not in deps.registry:
        raise UnknownScreenError(name)
    presentation = Presentation(
        language=lang, text_step=text_step, theme=theme if theme is not None else deps.session.presentation.theme
    )
    session = CitizenSession(presentation, text_steps=len(TEXT_STEPS))
    quiet = copy.copy(deps)
    quiet.session, quiet.after_first_paint, quiet.background_tasks = session, lambda: None, ()
    quiet.theme = None  # the throw-away session's theme rules
    quiet.journey = _sample_journey(deps, session)
    quiet.desk, quiet.spool_dir, quiet.today = None, None, lambda: SAMPLE_TODAY  # a picture never sends or prints
    if variant is not None:
        variant.prepare(quiet.journey)
    window = MainWindow(quiet)
    try:
        window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        window.resize(*size)
        window.show()
        window.show_screen(screen)
        shown = window.screen_widget(screen)
        if window.current_screen_name() != screen or shown is None:
            raise ScreenRenderError(f"screen {name!r} failed to render")
        if variant is not None and variant.act is not None:
            variant.act(shown)
        QApplication.processEvents()
        return window.grab().toImage()
    finally:
        window.allow_close()
        window.close()
        window.deleteLater()


def _sample_journey(deps: ShellDeps, session: CitizenSession) -> Journey:
    """A journey of the throw-away session: the caller's choices, else the first life event and its first service."""
    journey = Journey(session)
    life_event_id, service_id = deps.journey.life_event_id, deps.journey.service_id
    events = deps.services.life_events()
    if life_event_id is None and events:
        life_event_id = events[0].id
    if service_id is None:
        services = deps.services.services_for(life_event_id)
        service_id = services[0].id if services else None
    if life_event_id is not None:
        journey.choose_life_event(life_event_id)
    if service_id is not None:
        journey.choose_service(service_id)
    return journey


def save_screens(
    deps: ShellDeps,
    names: Sequence[str],
    lang: str,
    size: tuple[int, int],
    out: Path,
    *,
    text_step: int = 0,
    theme: str | None = None,
) -> list[Path]:
    """Write each screen as PNG. `out` ending in `.png` takes exactly one screen; otherwise it is a directory
    (created if needed) that receives `NAME.png` per screen. Returns the paths written."""
    out = Path(out)
    if out.suffix.lower() == ".png":
        if len(names) != 1:
            raise ValueError(f"{out}: one PNG file holds one screen, got {len(names)}")
        targets = [out]
    else:
        targets = [out / f"{name}.png" for name in names]
    for name, target in zip(names, targets, strict=True):
        target.parent.mkdir(parents=True, exist_ok=True)
        image = render_screen(deps, name, lang, size, text_step=text_step, theme=theme)
        if not image.save(str(target)):  # the format follows the .png suffix
            raise OSError(f"{target}: could not write PNG")
    return targets
