"""The accessibility matrix's combinations (theme, text size, language, text spacing) and its window: building it,
putting a combination on it and showing a screen built fresh. The checks are in tests/a11y_contrast.py,
tests/a11y_clipping.py, tests/a11y_focus.py and tests/a11y_matrix.py, which runs them all (see its docstring).
Imported first by tests/a11y_matrix.py: it chooses the offscreen platform before Qt is imported."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, NamedTuple

from accessibility.sizing import TEXT_STEPS, ReferencePanel
from ui.offscreen import offscreen_platform  # Qt-free: safe before Qt is imported

REFERENCE_PANEL = ReferencePanel()
if "QT_QPA_PLATFORM" not in os.environ:  # as tests/conftest.py: one offscreen screen the size of the reference panel
    os.environ["QT_QPA_PLATFORM"] = offscreen_platform(
        REFERENCE_PANEL.width_px, REFERENCE_PANEL.height_px, REFERENCE_PANEL.diagonal_inches
    )

from PySide6.QtGui import QFont  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractButton,
    QApplication,
    QLabel,
    QWidget,
)

from accessibility.tokens import THEMES  # noqa: E402
from kiosk.i18n import SHIPPED_LANGUAGES, Catalog  # noqa: E402
from kiosk.pseudo_locale import PSEUDO_LANGUAGE, with_pseudo_locale  # noqa: E402
from tests.test_accessibility_screens import (  # noqa: E402
    LIFE_EVENT,
    SERVICE,
    painted_texts,
    show,
)

if TYPE_CHECKING:
    from ui.shell import MainWindow

LARGEST = len(TEXT_STEPS) - 1
Check = Callable[["MainWindow"], list[str]]


# WCAG 1.4.12 text spacing, in fractions of the font size: what the text must survive. Qt lets letter and word
# spacing be overridden for every widget (the application font); line height and paragraph spacing it does not, for
# plain-text labels, so the kiosk keeps its own (Noto Sans: 1.36 lines, paragraphs apart by a layout gap).
LETTER_SPACING_EM = 0.12
WORD_SPACING_EM = 0.16


class Combo(NamedTuple):
    theme: str
    step: int
    lang: str
    text_spacing: bool = False  # WCAG 1.4.12's letter and word spacing on every text (`apply_combo`)

    @property
    def id(self) -> str:
        spaced = "-spaced" if self.text_spacing else ""
        return f"{self.theme}-{round(TEXT_STEPS[self.step] * 100)}%-{self.lang}{spaced}"


def fast_combos() -> list[Combo]:
    """The suite's slice: each theme at 100 % and at the largest step, then Arabic and the pseudo-locale at the
    largest step, then WCAG text spacing in English at 100 % and in Portuguese (the kiosk's first language, with long
    words) at the largest step (grouped by theme, so the shared window changes theme as rarely as possible)."""
    combos = [Combo(theme, step, "en") for theme in THEMES for step in (0, LARGEST)]
    extremes = [Combo("default", LARGEST, "ar"), Combo("default", LARGEST, PSEUDO_LANGUAGE)]
    spaced = [Combo("default", 0, "en", text_spacing=True), Combo("default", LARGEST, "pt-PT", text_spacing=True)]
    return [*combos, *extremes, *spaced]


def full_combos(
    themes: Iterable[str] | None = None,
    steps: Iterable[int] | None = None,
    langs: Iterable[str] | None = None,
    spacings: Iterable[bool] = (False, True),
) -> list[Combo]:
    """Every theme x every text-size step x every shipped language and the pseudo-locale x without and with WCAG text
    spacing."""
    return [
        Combo(theme, step, lang, spaced)
        for theme in (themes or THEMES)
        for step in (steps if steps is not None else range(len(TEXT_STEPS)))
        for lang in (langs or (*SHIPPED_LANGUAGES, PSEUDO_LANGUAGE))
        for spaced in spacings
    ]


# The window -----------------------------------------------------------------------------------------------------------
def build_window(catalog: Catalog | None = None) -> MainWindow:
    """A real MainWindow at the reference panel's size, shown and active, with the demo catalog loaded, a life event
    and a service chosen, and the pseudo-locale known to its string catalog."""
    from kiosk.catalog import DEMO_CATALOG_DIR
    from kiosk.catalog.provider import CatalogProvider
    from kiosk.journey import Journey
    from kiosk.notices import NoticeBoard
    from kiosk.session import CitizenSession, Presentation
    from ui.shell import MainWindow, ShellDeps

    services = CatalogProvider()
    services.load(DEMO_CATALOG_DIR)
    session = CitizenSession(Presentation(language="en"), text_steps=len(TEXT_STEPS))
    journey = Journey(session)
    journey.choose_life_event(LIFE_EVENT)
    journey.choose_service(SERVICE)
    deps = ShellDeps(
        catalog=with_pseudo_locale(catalog or Catalog.load()),
        session=session,
        notices=NoticeBoard(),
        panel=REFERENCE_PANEL,
        languages=SHIPPED_LANGUAGES,
        services=services,
        journey=journey,
    )
    window = MainWindow(deps)
    window.resize(REFERENCE_PANEL.width_px, REFERENCE_PANEL.height_px)
    window.show()
    window.activateWindow()
    QTest.qWaitForWindowActive(window, 5000)  # focus (the Tab checks) needs the active window
    settle()
    return window


def settle() -> None:
    for _ in range(3):  # font and text changes relayout through posted LayoutRequest events: let them all run
        QApplication.processEvents()


def apply_combo(window: MainWindow, combo: Combo) -> None:
    apply_text_spacing(window, combo.step if combo.text_spacing else None)  # first: restyling reads the app font
    session = window.deps.session
    session.set_theme(combo.theme)
    session.set_text_step(combo.step)
    session.set_language(combo.lang)


def apply_text_spacing(window: MainWindow, step: int | None) -> None:
    """WCAG 1.4.12's letter and word spacing (None: none) on every widget's text, through the application font, which
    the style sheet's sizes and `ui.typography.ui_font` keep; in whole pixels (rounded up) of the body text at
    text-size `step`, so larger text (titles) gets a little less than its own 0.12 em. The window's style sheet is set
    again: the fonts it gave the widgets already shown follow the application font only when they are polished."""
    font = QApplication.font()
    body = REFERENCE_PANEL.text_px("body", step) if step is not None else 0
    font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, math.ceil(LETTER_SPACING_EM * body))
    font.setWordSpacing(math.ceil(WORD_SPACING_EM * body))
    if font != QApplication.font():
        QApplication.setFont(font)
        sheet = window.styleSheet()
        window.setStyleSheet("")
        window.setStyleSheet(sheet)


def show_screen(window: MainWindow, name: str) -> None:
    """Show a screen (or variant) built fresh, as a new citizen would see it: a screen built for another variant keeps
    that variant's state (an open panel), so every screen but home is dropped first, by ending the session, and the
    presentation and journey are put back."""
    session, journey = window.deps.session, window.deps.journey
    presentation = session.presentation
    session.end("accessibility-matrix")
    session.set_theme(presentation.theme)
    session.set_text_step(presentation.text_step)
    session.set_language(presentation.language)
    journey.choose_life_event(LIFE_EVENT)
    journey.choose_service(SERVICE)
    show(window, name)
    settle()


def visible_widgets(window: MainWindow) -> list[QWidget]:
    return [widget for widget in window.findChildren(QWidget) if widget.isVisibleTo(window)]


def describe(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QLabel | QAbstractButton) else ""
    texts = [t for t, _font in painted_texts(widget)]
    label = text or (texts[0] if texts else "") or widget.accessibleName() or widget.objectName()
    return f"{type(widget).__name__} {label[:60]!r}"
