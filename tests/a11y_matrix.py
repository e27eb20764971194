"""The accessibility matrix: every screen in every theme, text size and language, checked like a person would.

Run the full matrix (every text-size step x every shipped language and the pseudo-locale x every theme, each without
and with WCAG 1.4.12 text spacing) as a script:

    .venv/bin/python -m tests.a11y_matrix            # prints each failure and a summary line; exit 1 on any failure
    .venv/bin/python -m tests.a11y_matrix --themes default --langs en ar --steps 0 4 --screens home question-date

The fast suite (`tests/test_accessibility_matrix.py`) runs a slice of it with the same checks: each theme at 100 % and
at the largest step in English, plus Arabic and the pseudo-locale at the largest step, and WCAG text spacing in English
at 100 % and in Portuguese at the largest step. The screens are the registry's
names plus the form variants (`ui.screenshot_samples.VARIANTS`), as `tests/test_accessibility_screens.py` walks them,
so a new screen is checked without anyone adding it here.

The combinations and the window are in tests/a11y_window.py; the checks are here (names, targets, spacing) and in
tests/a11y_contrast.py, tests/a11y_clipping.py and tests/a11y_focus.py (Tab order); this module names them all for the
tests and the script. Checks, each returning readable failure lines (never raising, so one run shows every problem):
- contrast: the colours each text-bearing widget is actually drawn with (read from the rendered page) must be theme
  tokens, and their contrast with the token they are drawn on, computed from the tokens, at least the theme's minimum
  for text (thin strokes) or for UI parts (solid shapes such as a badge); `focus-contrast` (on request, and in the
  suite on a few pages) does the same for each Tab stop while it has the keyboard focus;
- accessible: every interactive widget is in the QAccessible tree with a name containing its visible label and the
  role its kind needs;
- targets: every interactive widget at least 44 px and 15 mm on the reference panel; primary actions, home entries and
  keyboard keys at least 20 mm;
- clipping: every label and button has room for its text as QFontMetrics lays it out at its width (wrapped where it
  wraps), nothing is elided ("…" only where the catalog has it), and what lies outside the screen can be scrolled to
  (vertically: never sideways);
- tab order: Tab visits every interactive widget (a radio group once, its options by arrow keys) and comes back; each
  stop is in view when it has the focus (WCAG 2.4.11), and on the page each lies below the previous one or after it in
  its row (WCAG 2.4.3; `SIDE_COLUMNS` names the genuine side-by-side columns).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

# First: it chooses the offscreen platform before anything imports Qt (when this runs as a script).
from tests.a11y_window import (
    LARGEST,
    REFERENCE_PANEL,
    Check,
    Combo,
    apply_combo,
    apply_text_spacing,
    build_window,
    describe,
    fast_combos,
    full_combos,
    settle,
    show_screen,
)

# isort: split
from PySide6.QtCore import QRect
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTextEdit,
    QWidget,
)

from accessibility.sizing import PRIMARY_TARGET_MM, TEXT_STEPS
from accessibility.tokens import THEMES
from kiosk.i18n import SHIPPED_LANGUAGES
from kiosk.pseudo_locale import PSEUDO_LANGUAGE, pseudo_core
from tests.a11y_clipping import check_clipping
from tests.a11y_contrast import check_contrast, check_focused_contrast
from tests.a11y_focus import check_tab_order
from tests.test_accessibility_screens import (
    SCREENS,
    interactive,
    visible_label,
)

if TYPE_CHECKING:
    from ui.shell import MainWindow

# Everything the tests take from here, wherever it lives.
__all__ = [
    "CHECKS",
    "EXTRA_CHECKS",
    "LARGEST",
    "REFERENCE_PANEL",
    "SCREENS",
    "Combo",
    "apply_combo",
    "apply_text_spacing",
    "build_window",
    "check_accessible",
    "check_clipping",
    "check_contrast",
    "check_focused_contrast",
    "check_spacing",
    "check_tab_order",
    "check_targets",
    "describe",
    "fast_combos",
    "screen_failures",
    "settle",
    "show_screen",
]

PRIMARY_KINDS = ("primary", "entry", "key")  # 20 mm: primary actions, the home entries and tiles, keyboard keys


# Accessible names and roles -------------------------------------------------------------------------------------------
def _tree(window: QWidget) -> dict[int, QAccessible]:
    """Widgets reachable in the QAccessible tree from the window, by id, with their interface."""
    found: dict[int, object] = {}
    stack = [QAccessible.queryAccessibleInterface(window)]
    seen = 0
    while stack and seen < 20_000:
        iface = stack.pop()
        seen += 1
        if iface is None or not iface.isValid():
            continue
        obj = iface.object()
        if obj is not None:
            found[id(obj)] = iface
        stack.extend(iface.child(i) for i in range(iface.childCount()))
    return found  # type: ignore[return-value]


def expected_roles(widget: QWidget) -> set[QAccessible.Role] | None:
    """The roles a widget of this kind must expose (None: any role but none/client)."""
    role = QAccessible.Role
    if isinstance(widget, QRadioButton):
        return {role.RadioButton}
    if isinstance(widget, QCheckBox):
        return {role.CheckBox}
    if isinstance(widget, QPushButton):
        return {role.CheckBox, role.Button, role.PushButton} if widget.isCheckable() else {role.PushButton}
    if isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
        return {role.EditableText}
    return None


def check_accessible(window: MainWindow) -> list[str]:
    tree = _tree(window)
    # Pseudo-locale texts are padded at their end, so "[Çĥåñĝé one]" is not inside "[Çĥåñĝé: … one two]": compare cores.
    core = pseudo_core if window.deps.session.presentation.language == PSEUDO_LANGUAGE else str
    failures = []
    for widget in interactive(window):
        iface = tree.get(id(widget))
        if iface is None:
            failures.append(f"accessible: {describe(widget)} is not in the accessibility tree")
            continue
        name = iface.text(QAccessible.Text.Name)
        label = visible_label(widget)
        if not name:
            failures.append(f"accessible: {describe(widget)} has no accessible name")
        elif not label or core(label) not in core(name):
            failures.append(f"accessible: {describe(widget)}: name {name!r} lacks the visible label {label!r}")
        roles = expected_roles(widget)
        role = iface.role()
        if roles is not None and role not in roles:
            expected = sorted(r.name for r in roles)
            failures.append(f"accessible: {describe(widget)} has role {role.name}, expected one of {expected}")
        elif role in (QAccessible.Role.NoRole, QAccessible.Role.Client):
            failures.append(f"accessible: {describe(widget)} has no meaningful role ({role.name})")
    return failures


# Target sizes ---------------------------------------------------------------------------------------------------------
def is_primary(widget: QWidget) -> bool:
    return widget.property("kind") in PRIMARY_KINDS


def check_targets(window: MainWindow) -> list[str]:
    panel = window.deps.panel
    failures = []
    for widget in interactive(window):
        w, h = widget.width(), widget.height()
        smallest_mm = panel.mm(min(w, h))
        if min(w, h) < panel.min_target_px:
            failures.append(
                f"targets: {describe(widget)} is {w}x{h} px ({smallest_mm:.1f} mm), needs {panel.min_target_px} px "
                "(44 px and 15 mm)"
            )
        elif is_primary(widget) and panel.mm(h) + 1e-6 < PRIMARY_TARGET_MM:
            failures.append(f"targets: primary {describe(widget)} is {panel.mm(h):.1f} mm tall, needs 20 mm")
    return failures


MIN_GAP_MM = 3.0  # between two targets (checklist item 14): a finger aimed at one must not land on the next


def check_spacing(window: MainWindow) -> list[str]:
    """Every two interactive targets that do not contain each other are at least 3 mm apart on the panel."""
    panel = window.deps.panel
    rects = []
    for widget in interactive(window):
        # Only the part a finger can reach: a control scrolled under the header is not a target there.
        visible = widget.visibleRegion().boundingRect()
        if widget.isVisibleTo(window) and not visible.isEmpty():
            rects.append((widget, QRect(widget.mapTo(window, visible.topLeft()), visible.size())))
    failures = []
    for index, (first, a) in enumerate(rects):
        for second, b in rects[index + 1 :]:
            if a.intersects(b) and (a.contains(b) or b.contains(a)):
                continue  # a control inside another (a field in its row): one target
            dx = max(b.left() - a.right() - 1, a.left() - b.right() - 1, 0)
            dy = max(b.top() - a.bottom() - 1, a.top() - b.bottom() - 1, 0)
            gap = max(dx, dy) if min(dx, dy) == 0 else (dx * dx + dy * dy) ** 0.5
            if panel.mm(gap) + 1e-6 < MIN_GAP_MM:
                failures.append(
                    f"spacing: {describe(first)} and {describe(second)} are {panel.mm(gap):.1f} mm apart "
                    f"({gap:.0f} px), need {MIN_GAP_MM:.0f} mm"
                )
    return failures


CHECKS: dict[str, Check] = {
    "contrast": check_contrast,
    "accessible": check_accessible,
    "targets": check_targets,
    "spacing": check_spacing,
    "clipping": check_clipping,
    "tab-order": check_tab_order,  # last: it moves the focus
}
# Checks the script runs only when asked (`--checks focus-contrast`): a picture per Tab stop is slow for every page;
# the suite runs it on a few pages in every theme.
EXTRA_CHECKS: dict[str, Check] = {"focus-contrast": check_focused_contrast}


def screen_failures(window: MainWindow, name: str, checks: Iterable[str] = CHECKS) -> list[str]:
    """Show `name` in the window's current presentation and run the checks; the failures, or [] when it passes."""
    try:
        show_screen(window, name)
    except AssertionError:  # the shell fell back to home: the screen failed while being built or shown
        return [f"screen: {name} could not be shown (the shell fell back to {window.current_screen_name()})"]
    failures = []
    for check in checks:
        failures += (CHECKS | EXTRA_CHECKS)[check](window)
    return failures


# The script -----------------------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    import argparse
    import time
    from pathlib import Path

    parser = argparse.ArgumentParser(prog="python -m tests.a11y_matrix", description=__doc__.split("\n\n")[0])
    parser.add_argument("--themes", nargs="+", choices=list(THEMES), help="default: every theme")
    parser.add_argument("--steps", nargs="+", type=int, choices=range(len(TEXT_STEPS)), help="default: every step")
    parser.add_argument("--langs", nargs="+", choices=[*SHIPPED_LANGUAGES, PSEUDO_LANGUAGE], help="default: all")
    parser.add_argument("--screens", nargs="+", choices=SCREENS, metavar="NAME", help="default: every screen")
    parser.add_argument("--checks", nargs="+", choices=[*CHECKS, *EXTRA_CHECKS], help=f"default: {' '.join(CHECKS)}")
    parser.add_argument("--png", metavar="DIR", help="also save each page checked as DIR/<combination>-<screen>.png")
    parser.add_argument(
        "--spacing", choices=("off", "on", "both"), default="both", help="WCAG 1.4.12 text spacing (default: both)"
    )
    args = parser.parse_args(argv)
    spacings = {"off": (False,), "on": (True,), "both": (False, True)}[args.spacing]

    from ui.app import create_application

    app = QApplication.instance() or create_application(["citizen-kiosk-a11y-matrix"])
    window = build_window()
    combos = full_combos(args.themes, args.steps, args.langs, spacings)
    screens = args.screens or SCREENS
    started = time.monotonic()
    failed = total = 0
    try:
        for combo in combos:
            apply_combo(window, combo)
            for name in screens:
                total += 1
                failures = screen_failures(window, name, args.checks or CHECKS)
                if args.png:  # before the next page: the picture shows what was checked (the pseudo-locale too)
                    Path(args.png).mkdir(parents=True, exist_ok=True)
                    window.grab().save(str(Path(args.png) / f"{combo.id.replace('%', '')}-{name}.png"))
                if failures:
                    failed += 1
                    for failure in failures:
                        print(f"{combo.id} {name}: {failure}", flush=True)
    finally:
        window.allow_close()
        window.close()
    print(
        f"accessibility matrix: {len(combos)} combinations x {len(screens)} screens = {total} pages, "
        f"{failed} with failures ({time.monotonic() - started:.0f} s)"
    )
    del app
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
