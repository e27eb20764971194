"""Every registered screen (and every form variant) in every theme at 100 % and at 200 %, in Arabic and the
pseudo-locale at 200 %, and with WCAG text spacing in English at 100 % and Portuguese at 200 %: contrast from the theme
tokens, accessible names and roles from the QAccessible tree, target sizes in px and mm, no clipped or elided text, and
a Tab cycle that visits everything and comes back.

The checks live in `tests/a11y_matrix.py` (and the `tests/a11y_*.py` parts it names), which also runs the full
matrix (every size x every language x every theme) as a script outside the suite. Here one window is shared by the
whole module: each case sets the presentation and shows its screen built fresh. The last tests prove each check can
fail, and keep PNGs of the home screen and a question page in high contrast at 200 % and in Arabic in
`test-artifacts/` for a person to judge: the window without a leftover focus ring, and the whole scrolled page
(`-page.png`).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget

from accessibility.tokens import THEMES
from kiosk.pseudo_locale import PSEUDO_LANGUAGE
from tests.a11y_matrix import (
    LARGEST,
    SCREENS,
    Combo,
    apply_combo,
    apply_text_spacing,
    build_window,
    check_accessible,
    check_clipping,
    check_contrast,
    check_spacing,
    check_tab_order,
    check_targets,
    fast_combos,
    screen_failures,
    settle,
    show_screen,
)
from ui.shell import MainWindow

COMBOS = fast_combos()
FOCUS_PAGES = ("home", "question-choice", "error")  # the header, home entries, back, options, links, primary buttons
CASES = [(combo, name) for combo in COMBOS for name in SCREENS]  # grouped by combination: few presentation changes


@pytest.fixture(scope="module")
def window(qapp) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    window = build_window()
    yield window
    window.allow_close()
    window.close()
    window.deleteLater()


def test_the_matrix_covers_every_theme_both_sizes_arabic_the_pseudo_locale_and_text_spacing() -> None:
    assert {(combo.theme, combo.step) for combo in COMBOS} >= {(theme, step) for theme in THEMES for step in (0, 4)}
    assert Combo("default", LARGEST, "ar") in COMBOS and Combo("default", LARGEST, PSEUDO_LANGUAGE) in COMBOS
    assert {(combo.step, combo.lang) for combo in COMBOS if combo.text_spacing} == {(0, "en"), (LARGEST, "pt-PT")}
    assert COMBOS[-1].text_spacing  # spacing last: the other combinations run with Qt's own spacing
    assert LARGEST == 4 and len(THEMES) >= 3  # 200 %; default, high contrast and dark high contrast
    assert "home" in SCREENS and "question-date" in SCREENS and "staff-queue" in SCREENS


@pytest.mark.parametrize(("combo", "name"), CASES, ids=[f"{combo.id}-{name}" for combo, name in CASES])
def test_screen_passes_every_check(window: MainWindow, combo: Combo, name: str) -> None:
    apply_combo(window, combo)
    failures = screen_failures(window, name)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("step", [0, LARGEST], ids=["100%", "200%"])
def test_the_scam_practice_answers_wrap_rather_than_clip_with_text_spacing(window: MainWindow, step: int) -> None:
    """The full matrix with WCAG text spacing found the scam practice's longest answer clipped on its one line in
    Spanish (at every size), French and Ukrainian (from 175 %); its buttons now take more lines (ui.wrap_button)."""
    try:
        for lang in ("es", "fr", "uk"):
            apply_combo(window, Combo("default", step, lang, text_spacing=True))
            failures = screen_failures(window, "practice-tap-long")
            assert not failures, "\n".join(failures)
    finally:
        apply_combo(window, Combo("default", 0, "en"))


FOCUS_CASES = [(Combo(theme, step, "en"), name) for theme in THEMES for step in (0, LARGEST) for name in FOCUS_PAGES]


@pytest.mark.parametrize(("combo", "name"), FOCUS_CASES, ids=[f"{combo.id}-{name}" for combo, name in FOCUS_CASES])
def test_every_tab_stop_keeps_its_contrast_with_keyboard_focus(window: MainWindow, combo: Combo, name: str) -> None:
    apply_combo(window, combo)
    failures = screen_failures(window, name, ["focus-contrast"])
    assert not failures, "\n".join(failures)


# Each check can fail -------------------------------------------------------------------------------------------------
@pytest.fixture
def help_page(window: MainWindow) -> Iterator[MainWindow]:
    """The help screen in English at 100 %, with room to plant a defect in its column (removed afterwards)."""
    apply_combo(window, Combo("default", 0, "en"))
    show_screen(window, "help")
    yield window
    window.deps.session.end("test")


def _plant(window: MainWindow, widget: QWidget) -> QWidget:
    window.stack.currentWidget().body.addWidget(widget)
    widget.show()
    settle()
    return widget


def test_clipping_catches_a_label_too_small_for_its_text(help_page: MainWindow) -> None:
    label = _plant(help_page, QLabel("A sentence far too long for the few pixels this label is allowed to have"))
    label.setFixedWidth(200)
    settle()
    assert any("far too long" in failure and "needs" in failure for failure in check_clipping(help_page))


def test_clipping_catches_a_button_too_narrow_for_its_label(help_page: MainWindow) -> None:
    from ui.widgets import KioskButton

    button = KioskButton()
    button.set_label("Print the receipt")
    _plant(help_page, button).setFixedWidth(150)
    settle()
    assert any("'Print the receipt' needs" in failure for failure in check_clipping(help_page))


def test_text_spacing_reveals_a_label_that_fits_only_without_it(help_page: MainWindow) -> None:
    """WCAG 1.4.12: a label sized for its text at Qt's own spacing is clipped once letters and words are spaced out
    (0.12 and 0.16 of the font size); the spaced combinations of the matrix catch that."""
    label = _plant(help_page, QLabel("Spaced out words"))
    label.setFixedWidth(label.sizeHint().width())
    settle()
    assert not [failure for failure in check_clipping(help_page) if "Spaced out words" in failure]
    try:
        apply_text_spacing(help_page, 0)
        settle()
        assert any("'Spaced out words' needs" in failure for failure in check_clipping(help_page))
    finally:
        apply_text_spacing(help_page, None)
        settle()


def test_clipping_catches_elided_text(help_page: MainWindow) -> None:
    _plant(help_page, QLabel("Your application was sent to the cou\u2026"))
    assert any("is elided" in failure for failure in check_clipping(help_page))


def test_targets_catch_a_small_button_and_a_short_primary_one(help_page: MainWindow) -> None:
    small = _plant(help_page, QPushButton("Tiny"))
    small.setFixedSize(120, 40)
    primary = _plant(help_page, QPushButton("Send"))
    primary.setProperty("kind", "primary")
    primary.setFixedSize(300, help_page.deps.panel.min_target_px)  # 15 mm: enough for a button, not for a primary one
    settle()
    failures = check_targets(help_page)
    assert any("'Tiny' is 120x40 px" in failure for failure in failures)
    assert any("primary QPushButton 'Send'" in failure and "needs 20 mm" in failure for failure in failures)


def test_spacing_catches_two_targets_closer_than_3_mm(help_page: MainWindow) -> None:
    from PySide6.QtWidgets import QHBoxLayout

    row = QWidget()
    line = QHBoxLayout(row)
    line.setContentsMargins(0, 0, 0, 0)
    line.setSpacing(4)  # 1 mm on the reference panel
    for text in ("Left", "Right"):
        button = QPushButton(text)
        button.setFixedSize(300, help_page.deps.panel.primary_target_px)
        line.addWidget(button)
    line.addStretch()  # keep the two buttons side by side
    _plant(help_page, row)
    failures = check_spacing(help_page)
    assert any("'Left' and QPushButton 'Right' are 1.0 mm apart" in failure for failure in failures), failures


def test_accessible_names_must_contain_the_visible_label(help_page: MainWindow) -> None:
    button = _plant(help_page, QPushButton("Print"))
    button.setAccessibleName("Button 7")
    assert any("lacks the visible label 'Print'" in failure for failure in check_accessible(help_page))


def test_contrast_catches_a_colour_that_is_no_token_and_low_contrast(help_page: MainWindow) -> None:
    grey = _plant(help_page, QLabel("Pale grey words"))
    grey.setStyleSheet("color: #bbbbbb;")  # no token at all
    pale = _plant(help_page, QLabel("Muted words on the muted colour"))
    theme = help_page.context.theme
    pale.setStyleSheet(f"color: {theme.divider}; background: {theme.background};")  # a token, but 2:1
    settle()
    failures = check_contrast(help_page)
    assert any("'Pale grey words' shows no text in a theme token" in failure for failure in failures)
    assert any("'Muted words" in failure and "divider text on background" in failure for failure in failures)


def test_tab_order_catches_a_control_tab_never_reaches(help_page: MainWindow) -> None:
    button = _plant(help_page, QPushButton("Only by mouse"))
    button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
    button.setProperty("kind", "secondary")
    from tests.test_accessibility_screens import interactive

    assert button in interactive(help_page)  # a button is interactive whatever its focus policy
    assert any("'Only by mouse' is not reached by Tab" in failure for failure in check_tab_order(help_page))


def test_tab_order_catches_a_stop_out_of_view(help_page: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """With the shell's scrolling to the focus turned off, Tab from the header lands on a button far down the page,
    out of view: the check says so (WCAG 2.4.11)."""
    screen = help_page.stack.currentWidget()
    monkeypatch.setattr(screen, "reveal", lambda _widget: None)
    _plant(help_page, QWidget()).setFixedHeight(3 * screen.scroll_area.viewport().height())
    _plant(help_page, QPushButton("Far below")).setProperty("kind", "secondary")
    failures = check_tab_order(help_page)
    assert any("focus: Tab moves to QPushButton 'Far below', which is only 0x0 px in view" in f for f in failures)


def test_tab_order_catches_a_stop_above_or_before_the_previous_one(help_page: MainWindow) -> None:
    """Tab order follows creation order, the screen the layout: a button put above the ones made before it, and a
    row whose right button comes first, read out of order (WCAG 2.4.3)."""
    from PySide6.QtWidgets import QHBoxLayout

    body = help_page.stack.currentWidget().body
    _plant(help_page, QPushButton("Lower"))
    upper = QPushButton("Upper")
    body.insertWidget(0, upper)
    row = QWidget()
    line = QHBoxLayout(row)
    line.addWidget(QPushButton("Right"))  # first in the Tab order...
    line.insertWidget(0, QPushButton("Left"))  # ...and this one, made second, shown before it
    line.addStretch()
    _plant(help_page, row)
    upper.show()
    settle()
    failures = check_tab_order(help_page)
    assert any("'Lower' to QPushButton 'Upper', above it" in failure for failure in failures), failures
    assert any("'Right' to QPushButton 'Left', before (in the reading direction) it" in f for f in failures)


def test_side_columns_are_the_only_pages_exempt_from_reading_order(window: MainWindow, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The digital-key practice's phone beside the form is a genuine second column: Tab goes down the form and up to
    the phone. Without its entry in `SIDE_COLUMNS` the check would report exactly that step."""
    from tests import a11y_focus

    apply_combo(window, Combo("default", 0, "en"))
    assert not screen_failures(window, "practice-digital-key", ["tab-order"])
    monkeypatch.setattr(a11y_focus, "SIDE_COLUMNS", {})
    failures = screen_failures(window, "practice-digital-key", ["tab-order"])
    assert len(failures) == 1 and "to FakePhone" in failures[0] and "above it" in failures[0], failures


# Pictures for people -------------------------------------------------------------------------------------------------
PICTURES = [
    Combo("high-contrast", LARGEST, "en"),
    Combo("high-contrast", LARGEST, "ar"),
    Combo("default", 0, "ar"),
    Combo("dark-high-contrast", LARGEST, "en"),
]


@pytest.mark.parametrize("combo", PICTURES, ids=[combo.id for combo in PICTURES])
def test_pictures_of_home_and_a_question_page(window: MainWindow, save_artifact, combo: Combo) -> None:  # type: ignore[no-untyped-def]
    """Each page twice: the window as a citizen sees it first, and the whole scrolled page (at 200 % the header takes
    about a third of the height, so the window shows only the top of the question)."""
    apply_combo(window, combo)
    for name in ("home", "question-choice"):
        show_screen(window, name)
        focused = QApplication.focusWidget()
        if focused is not None:  # the focus ring an earlier check left (Tab through the header) is not this page's look
            focused.clearFocus()
            settle()
        assert QApplication.focusWidget() is None
        screen = window.stack.currentWidget()
        screen.scroll_area.verticalScrollBar().setValue(0)  # as a citizen first sees it, not where earlier Tabs left it
        settle()
        stem = f"a11y-{name}-{combo.id.replace('%', '')}"
        path = save_artifact(window, f"{stem}.png")
        assert path.stat().st_size > 10_000  # a real page, not an empty image
        page = save_artifact(screen.content, f"{stem}-page.png")
        assert page.stat().st_size > 10_000
        assert QImage(str(page)).height() == screen.content.height() >= screen.scroll_area.viewport().height()
