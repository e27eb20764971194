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

Checks, each returning readable failure lines (never raising, so one run shows every problem):
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

import math
import os
from collections.abc import Callable, Iterable
from itertools import pairwise
from typing import TYPE_CHECKING, NamedTuple

from accessibility.sizing import PRIMARY_TARGET_MM, TEXT_STEPS, ReferencePanel
from ui.offscreen import offscreen_platform  # Qt-free: safe before Qt is imported

REFERENCE_PANEL = ReferencePanel()
if "QT_QPA_PLATFORM" not in os.environ:  # as tests/conftest.py: one offscreen screen the size of the reference panel
    os.environ["QT_QPA_PLATFORM"] = offscreen_platform(
        REFERENCE_PANEL.width_px, REFERENCE_PANEL.height_px, REFERENCE_PANEL.diagonal_inches
    )

import numpy as np  # noqa: E402
from PySide6.QtCore import QPoint, QRect, Qt  # noqa: E402
from PySide6.QtGui import QAccessible, QFont, QFontMetrics, QImage  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QCheckBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTextEdit,
    QWidget,
)

from accessibility.contrast import contrast_ratio  # noqa: E402
from accessibility.tokens import THEMES, Theme  # noqa: E402
from kiosk.i18n import SHIPPED_LANGUAGES, Catalog  # noqa: E402
from kiosk.pseudo_locale import PSEUDO_LANGUAGE, pseudo_core, with_pseudo_locale  # noqa: E402
from tests.test_accessibility_screens import (  # noqa: E402
    LIFE_EVENT,
    SCREENS,
    SERVICE,
    focus_hidden,
    interactive,
    painted_texts,
    show,
    tab_stops,
    visible_label,
)

if TYPE_CHECKING:
    from ui.shell import MainWindow

LARGEST = len(TEXT_STEPS) - 1
ELLIPSIS = "\u2026"
PRIMARY_KINDS = ("primary", "entry", "key")  # 20 mm: primary actions, the home entries and tiles, keyboard keys
BUTTON_RADIUS_PX = 8  # ui.theme: rounded button corners, where the border reaches furthest inwards
MIN_INK_PIXELS = 4  # a colour on fewer pixels than this is noise, not text
SOLID_SHARE = 0.5  # an ink whose pixels are mostly inside a solid area is a shape (a badge, a fill), not text
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


def _describe(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QLabel | QAbstractButton) else ""
    texts = [t for t, _font in painted_texts(widget)]
    label = text or (texts[0] if texts else "") or widget.accessibleName() or widget.objectName()
    return f"{type(widget).__name__} {label[:60]!r}"


# Contrast -------------------------------------------------------------------------------------------------------------
class _Rendered:
    """The page as drawn: the window, and the scrolled page in full (parts outside the viewport are not in a grab of
    the window), as 0xAARRGGBB arrays."""

    def __init__(self, window: MainWindow) -> None:
        screen = window.stack.currentWidget()
        self.content: QWidget = screen.content
        self.window = window
        self._window_pixels = _pixels(window.grab().toImage())
        self._content_pixels = _pixels(self.content.grab().toImage())

    def region(self, widget: QWidget, inset: int) -> np.ndarray:
        inner = widget.rect().adjusted(inset, inset, -inset, -inset)
        if inner.width() <= 0 or inner.height() <= 0:
            inner = widget.rect()
        if self.content.isAncestorOf(widget):
            top_left, pixels = widget.mapTo(self.content, inner.topLeft()), self._content_pixels
        else:
            top_left, pixels = widget.mapTo(self.window, inner.topLeft()), self._window_pixels
        x, y = max(0, top_left.x()), max(0, top_left.y())
        return pixels[y : y + inner.height(), x : x + inner.width()]


def _pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    buffer = np.frombuffer(image.constBits(), dtype=np.uint32, count=image.bytesPerLine() * image.height() // 4)
    return buffer.reshape(image.height(), image.bytesPerLine() // 4)[:, : image.width()].copy()


def _token_colours(theme: Theme) -> dict[int, list[str]]:
    colours: dict[int, list[str]] = {}
    for token, value in theme.tokens().items():
        colours.setdefault(0xFF000000 | int(value.lstrip("#"), 16), []).append(token)
    return colours


def _is_blend(colour: int, background: int, ink: int, tolerance: float = 2.5) -> bool:
    """True when `colour` lies between `background` and `ink` (an anti-aliased edge of `ink` on `background`)."""
    c, b, i = (np.array([(v >> 16) & 255, (v >> 8) & 255, v & 255], dtype=float) for v in (colour, background, ink))
    span = i - b
    if not np.any(span):
        return False
    t = float(np.dot(c - b, span) / np.dot(span, span))
    return 0 < t < 1 and float(np.max(np.abs(b + t * span - c))) <= tolerance


def _hex(argb: int) -> str:
    return f"#{argb & 0xFFFFFF:06x}"


def check_contrast(window: MainWindow, widgets: list[QWidget] | None = None) -> list[str]:
    """Text is drawn in theme tokens, on a theme token, with the theme's text contrast against what it is drawn on
    (computed from the tokens); fills and icons with the theme's contrast for UI parts. `widgets`: only these
    (default: every visible one)."""
    theme = window.context.theme
    tokens = _token_colours(theme)
    rendered = _Rendered(window)
    # Inside a button's border, rounded corners and focus ring: what is left is its fill, text and icons.
    button_inset = max(theme.focus_width, BUTTON_RADIUS_PX) + 2
    failures = []
    for widget in visible_widgets(window) if widgets is None else widgets:
        has_text = bool(painted_texts(widget)) or (isinstance(widget, QLabel | QAbstractButton) and widget.text())
        if not has_text or not widget.isVisible() or not widget.isEnabled():  # WCAG 1.4.3 exempts inactive controls
            continue
        region = rendered.region(widget, button_inset if isinstance(widget, QAbstractButton) else 0)
        failures += [f"contrast: {_describe(widget)}{problem}" for problem in _region_contrast(region, theme, tokens)]
    return failures


def _region_contrast(region: np.ndarray, theme: Theme, tokens: dict[int, list[str]]) -> list[str]:
    """What is wrong with the colours of one widget's pixels (its fill, text and icons); [] when nothing is."""
    values, counts = np.unique(region, return_counts=True)
    if not len(values):
        return []
    background = int(values[np.argmax(counts)])
    if background not in tokens:
        return [f" is drawn on {_hex(background)}, which is no theme token"]
    # The glyphs' own pixels are exactly the text token; their anti-aliased edges blend it with what is under them,
    # and a blend can equal another token by chance (info_bg is a tint of the header blue): those are not inks.
    inks = [int(v) for v, n in zip(values, counts, strict=True) if int(v) in tokens and n >= MIN_INK_PIXELS]
    inks = [ink for ink in inks if ink != background]
    inks = [
        ink
        for ink in inks
        if not any(
            _is_blend(ink, under, other) for under in (background, *inks) for other in inks if other not in (ink, under)
        )
    ]
    if not inks:
        return [f" shows no text in a theme token on {'/'.join(tokens[background])}"]
    problems = []
    for ink in inks:
        mask = region == ink
        under = _under(region, mask, ink, tokens) or background
        ratio = contrast_ratio(_hex(ink), _hex(under))
        # Thin strokes are text (or a pictogram, which gets the same treatment); a solid shape is a fill or a badge.
        solid = _interior_share(mask) > SOLID_SHARE
        needed = theme.min_ui_contrast if solid else theme.min_text_contrast
        if ratio + 1e-9 < needed:
            problems.append(
                f": {'/'.join(tokens[ink])} {'shape' if solid else 'text'} on {'/'.join(tokens[under])} is "
                f"{ratio:.2f}:1, the {theme.name} theme needs {needed}:1"
            )
    return problems


def _shifted(array: np.ndarray, dy: int, dx: int, fill: int) -> np.ndarray:
    out = np.full_like(array, fill)
    h, w = array.shape
    out[max(0, dy) : h + min(0, dy), max(0, dx) : w + min(0, dx)] = array[
        max(0, -dy) : h + min(0, -dy), max(0, -dx) : w + min(0, -dx)
    ]
    return out


def _under(region: np.ndarray, mask: np.ndarray, ink: int, tokens: dict[int, list[str]]) -> int | None:
    """The token colour most often found just outside an ink's strokes: what it is drawn on."""
    found: dict[int, int] = {}
    for dy, dx in ((-3, 0), (3, 0), (0, -3), (0, 3)):
        around = _shifted(region, dy, dx, ink)[mask]
        values, counts = np.unique(around[around != ink], return_counts=True)
        for value, count in zip(values, counts, strict=True):
            if int(value) in tokens:
                found[int(value)] = found.get(int(value), 0) + int(count)
    return max(found, key=lambda value: found[value]) if found else None


def _interior_share(mask: np.ndarray) -> float:
    """Share of an ink's pixels with the same ink 3 px away on all four sides (thin strokes: near 0; fills: near 1)."""
    inside = mask.copy()
    for dy, dx in ((-3, 0), (3, 0), (0, -3), (0, 3)):
        inside &= _shifted(mask, dy, dx, 0).astype(bool)
    return float(inside.sum()) / max(1, int(mask.sum()))


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
            failures.append(f"accessible: {_describe(widget)} is not in the accessibility tree")
            continue
        name = iface.text(QAccessible.Text.Name)
        label = visible_label(widget)
        if not name:
            failures.append(f"accessible: {_describe(widget)} has no accessible name")
        elif not label or core(label) not in core(name):
            failures.append(f"accessible: {_describe(widget)}: name {name!r} lacks the visible label {label!r}")
        roles = expected_roles(widget)
        role = iface.role()
        if roles is not None and role not in roles:
            expected = sorted(r.name for r in roles)
            failures.append(f"accessible: {_describe(widget)} has role {role.name}, expected one of {expected}")
        elif role in (QAccessible.Role.NoRole, QAccessible.Role.Client):
            failures.append(f"accessible: {_describe(widget)} has no meaningful role ({role.name})")
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
                f"targets: {_describe(widget)} is {w}x{h} px ({smallest_mm:.1f} mm), needs {panel.min_target_px} px "
                "(44 px and 15 mm)"
            )
        elif is_primary(widget) and panel.mm(h) + 1e-6 < PRIMARY_TARGET_MM:
            failures.append(f"targets: primary {_describe(widget)} is {panel.mm(h):.1f} mm tall, needs 20 mm")
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
                    f"spacing: {_describe(first)} and {_describe(second)} are {panel.mm(gap):.1f} mm apart "
                    f"({gap:.0f} px), need {MIN_GAP_MM:.0f} mm"
                )
    return failures


# Clipping and elision -------------------------------------------------------------------------------------------------
def _label_room(label: QLabel) -> tuple[QRect, QRect]:
    """(room, needed) for a label's text, both in pixels."""
    room = label.contentsRect()
    margin = label.margin()
    room = room.adjusted(margin, margin, -margin, -margin)
    metrics = QFontMetrics(label.font())
    # Measured from the top: vertical centring in a huge rect only adds rounding.
    flags = (label.alignment() & Qt.AlignmentFlag.AlignHorizontal_Mask).value | Qt.AlignmentFlag.AlignTop.value
    if label.wordWrap():
        flags |= Qt.TextFlag.TextWordWrap.value
        needed = metrics.boundingRect(QRect(0, 0, max(1, room.width()), 1_000_000), flags, label.text())
    else:
        needed = metrics.boundingRect(QRect(0, 0, 1_000_000, 1_000_000), flags, label.text())
    return room, needed


def _button_room(button: QAbstractButton) -> tuple[QRect, QRect]:
    """(room, needed) for a push button's text: inside its border and padding, beside its icon."""
    from PySide6.QtWidgets import QStyle, QStyleOptionButton

    option = QStyleOptionButton()
    option.initFrom(button)
    option.text = button.text()
    option.icon = button.icon()
    option.iconSize = button.iconSize()
    room = button.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, button)
    if not button.icon().isNull():
        room.setWidth(room.width() - button.iconSize().width() - 4)  # Qt's gap between icon and text
    needed = QFontMetrics(button.font()).boundingRect(
        QRect(0, 0, 1_000_000, 1_000_000), Qt.TextFlag.TextShowMnemonic.value, button.text()
    )
    return room, needed


def _reachable(widget: QWidget, window: QWidget) -> str | None:
    """None when every ancestor has room for the widget; scroll areas may hold more than they show, but only
    vertically and only as far as they can scroll."""
    child = widget
    parent = child.parentWidget()
    while parent is not None and child is not window:
        area = parent.parentWidget()
        if isinstance(area, QAbstractScrollArea) and parent is area.viewport():
            viewport = area.viewport()
            if child.width() > viewport.width():
                return f"{_describe(child)} is wider than its scroll area ({child.width()} > {viewport.width()} px)"
            if child.height() > viewport.height() + area.verticalScrollBar().maximum():
                return f"{_describe(child)} cannot be scrolled to its end"
        elif not parent.rect().contains(child.geometry()):
            return f"{_describe(child)} lies outside its parent ({child.geometry()} in {parent.rect()})"
        child, parent = parent, parent.parentWidget()
    return None


def _too_small(needed: QRect, room: QRect) -> str | None:
    if needed.width() > room.width() or needed.height() > room.height():
        return f"needs {needed.width()}x{needed.height()} px, has {room.width()}x{room.height()}"
    return None


def _text_and_room(widget: QWidget) -> tuple[str, str | None]:
    """The text a widget shows and, when it has no room for it, why."""
    if isinstance(widget, QLabel) and widget.text() and widget.pixmap().isNull():
        return widget.text(), _label_problem(widget)
    if painted_texts(widget):  # widgets that wrap and paint their own texts report what they need
        width, height = widget.width(), widget.height()
        if widget.hasHeightForWidth() and height < widget.heightForWidth(width):
            return painted_texts(widget)[0][0], f"is {height} px tall, its texts need {widget.heightForWidth(width)}"
        if width < widget.minimumSizeHint().width():
            return painted_texts(widget)[0][0], f"is {width} px wide, a word needs {widget.minimumSizeHint().width()}"
        return painted_texts(widget)[0][0], None
    if isinstance(widget, QAbstractButton) and widget.text():
        if isinstance(widget, QPushButton):
            room, needed = _button_room(widget)
        else:  # Qt's own check boxes and radio buttons: their size hint is the text and the indicator
            hint = widget.minimumSizeHint()
            room, needed = widget.rect(), QRect(0, 0, hint.width(), hint.height())
        return widget.text(), _too_small(needed, room)
    return "", None


def _label_problem(label: QLabel) -> str | None:
    if label.textFormat() == Qt.TextFormat.PlainText or "<" not in label.text():
        room, needed = _label_room(label)
        return _too_small(needed, room)
    needed_height = label.heightForWidth(label.width())  # rich text: Qt's own layout of it
    return f"is {label.height()} px tall, its text needs {needed_height}" if label.height() < needed_height else None


def check_clipping(window: MainWindow) -> list[str]:
    catalog_ellipses = _catalog_ellipses(window.deps.catalog, window.deps.session.presentation.language)
    failures = []
    for widget in visible_widgets(window):
        if not widget.isVisible():
            continue
        text, problem = _text_and_room(widget)
        if problem is not None:
            failures.append(f"clipping: {_describe(widget)} {problem}")
        if text.count(ELLIPSIS) > sum(text.count(value) for value in catalog_ellipses):
            failures.append(f"clipping: {_describe(widget)} is elided")
        if text or isinstance(widget, QAbstractButton):
            unreachable = _reachable(widget, window)
            if unreachable is not None:
                failures.append(f"clipping: {unreachable}")
    return failures


def _catalog_ellipses(catalog: Catalog, lang: str) -> list[str]:
    """Catalog phrases of the language (and English) that end in "…" ("Sending…"): those are not elision."""
    texts = catalog.all_texts().get(lang, {}) | catalog.all_texts().get("en", {})
    phrases = {
        part.strip() + ELLIPSIS
        for text in texts.values()
        if ELLIPSIS in text
        for part in text.split(ELLIPSIS)[:-1]
        if part.strip()
    }
    return sorted(phrases, key=len)


# Tab order ------------------------------------------------------------------------------------------------------------
def check_tab_order(window: MainWindow) -> list[str]:
    """Tab from the header's first language control visits every interactive widget (a radio group once, its options
    by the arrow keys) and returns to where it started: no trap, nothing left out. Each stop is in view when it gets
    the focus (WCAG 2.4.11), and on the page Tab follows the reading order (WCAG 2.4.3, `check_reading_order`)."""
    focusable = [w for w in interactive(window) if w.isEnabled()]
    singles, groups = tab_stops(focusable)
    start = window.header.language_entry  # the first language button, or the toggle they fold behind at 200 %
    start.setFocus(Qt.FocusReason.TabFocusReason)
    visited: list[QWidget] = []
    failures: list[str] = []
    for _ in range(len(singles) + len(groups) + 1):
        current = QApplication.focusWidget()
        if current is None:
            return ["tab order: the focus was lost"]
        visited.append(current)
        failures += _in_view("Tab", current)
        QTest.keyClick(current, Qt.Key.Key_Tab)
    failures += [f"tab order: {_describe(w)} is not reached by Tab" for w in singles if w not in visited]
    failures += [
        f"tab order: Tab stops at {_describe(w)}, which is not interactive" for w in visited if w not in focusable
    ]
    if visited[0] is not visited[-1]:
        failures.append(f"tab order: Tab does not come back to the start (ends at {_describe(visited[-1])})")
    failures += check_reading_order(window, visited)
    for options in groups:
        entered = [option for option in options if option in visited]
        if len(entered) != 1:
            failures.append(f"tab order: Tab enters the group of {_describe(options[0])} {len(entered)} times")
            continue
        entered[0].setFocus(Qt.FocusReason.TabFocusReason)
        reached = {id(entered[0])}
        for _ in range(len(options) - 1):
            QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
            reached.add(id(QApplication.focusWidget()))
            failures += _in_view("the arrow keys", QApplication.focusWidget())
        missing = [option for option in options if id(option) not in reached]
        failures += [f"tab order: the arrow keys do not reach {_describe(option)}" for option in missing]
    return failures


def _in_view(how: str, focused: QWidget | None) -> list[str]:
    problem = focus_hidden(focused) if focused is not None else "is gone"
    return [] if problem is None else [f"focus: {how} moves to {_describe(focused)}, which {problem}"]


# Genuine two-column layouts, where Tab rightly goes up to the top of the column beside: the object name of the side
# column's widget, and what it is. Steps into and out of it are not checked; every other step on such a page is.
SIDE_COLUMNS = {
    # practice-digital-key (ui/tutorials/sim_digital_key.py): the sign-in form, and beside it a drawn phone that gets
    # the code. Tab goes down the form, then up to the phone.
    "sim-fake-phone": "the drawn phone beside the digital-key sign-in form",
}


def check_reading_order(window: MainWindow, stops: list[QWidget]) -> list[str]:
    """On the page, each Tab stop (in the order visited) lies below the previous one or in the same row after it in
    the reading direction (to the left in a right-to-left language), never entirely above it or before it."""
    content = window.stack.currentWidget().content
    rtl = window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    on_page = [w for w in stops if content.isAncestorOf(w)]
    failures = []
    for previous, current in pairwise(on_page):
        if _in_side_column(previous, content) or _in_side_column(current, content):
            continue
        a, b = (QRect(w.mapTo(content, QPoint(0, 0)), w.size()) for w in (previous, current))
        if b.bottom() < a.top():
            where = "above"
        elif b.top() <= a.bottom() and (b.left() > a.right() if rtl else b.right() < a.left()):
            where = "before (in the reading direction)"
        else:
            continue
        failures.append(f"reading order: Tab goes from {_describe(previous)} to {_describe(current)}, {where} it")
    return failures


def _in_side_column(widget: QWidget, content: QWidget) -> bool:
    part: QWidget | None = widget
    while part is not None and part is not content:
        if part.objectName() in SIDE_COLUMNS:
            return True
        part = part.parentWidget()
    return False


def check_focused_contrast(window: MainWindow) -> list[str]:
    """Each Tab stop keeps its contrast while it has the focus from the keyboard (the look a keyboard or keypad user
    sees: Qt's styles draw some things only after a keyboard focus change)."""
    focusable = [w for w in interactive(window) if w.isEnabled()]
    singles, groups = tab_stops(focusable)
    QTest.keyClick(window.header.language_entry, Qt.Key.Key_Tab)
    failures: list[str] = []
    for _ in range(len(singles) + len(groups)):
        focused = QApplication.focusWidget()
        if focused is None:
            return ["focus contrast: the focus was lost"]
        settle()
        failures += [f"focused {failure}" for failure in check_contrast(window, [focused])]
        QTest.keyClick(focused, Qt.Key.Key_Tab)
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
