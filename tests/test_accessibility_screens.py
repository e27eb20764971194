"""Accessibility basics for every registered screen (iterating the registry, so later screens are checked too).

The screens run with the demo catalog loaded and a life event and service chosen, so the browsing screens are checked
with real tiles (one of which carries the "needs a connection" line) and a real start page. The form screens need a
form in progress: they are checked through the screenshot variants (`ui.screenshot_samples.VARIANTS`), a sample form
standing on a page of every question type, with an error summary, on the check page and sent.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAccessible, QFont, QFontMetricsF
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollBar,
    QWidget,
)

from accessibility.sizing import TEXT_STEPS
from kiosk.i18n import SHIPPED_LANGUAGES
from kiosk.journey import Journey
from ui.screens.registry import default_registry
from ui.screenshot_samples import VARIANTS

REGISTERED = default_registry().names()
SCREENS = REGISTERED + [name for name in VARIANTS if name not in REGISTERED]
LIFE_EVENT, SERVICE = "id-and-digital-identity", "activate-digital-key"  # a tile and a start page needing a connection


@pytest.fixture
def shell_deps(catalog, session, notices, panel, demo_services):  # type: ignore[no-untyped-def]
    from ui.shell import ShellDeps

    journey = Journey(session)
    journey.choose_life_event(LIFE_EVENT)
    journey.choose_service(SERVICE)
    return ShellDeps(
        catalog=catalog,
        session=session,
        notices=notices,
        panel=panel,
        languages=SHIPPED_LANGUAGES,
        services=demo_services,
        journey=journey,
    )


def interactive(window: QWidget) -> list[QWidget]:
    found = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window):
            continue
        if isinstance(widget, QAbstractButton) or (
            widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isEnabled()
        ):
            found.append(widget)
    return found


def painted_texts(widget: QWidget) -> list[tuple[str, QFont]]:
    """Texts a widget paints itself (e.g. the home entries), with their fonts; [] for ordinary widgets."""
    method = getattr(widget, "painted_texts", None)
    return list(method()) if callable(method) else []


def visible_label(widget: QWidget) -> str:
    """A button's text, a self-painted widget's first text, a child label's, or a field's label (its buddy)."""
    text = widget.text() if isinstance(widget, QAbstractButton) else ""
    if text:
        return text
    labels = [text for text, _font in painted_texts(widget) if text]
    labels += [label.text() for label in widget.findChildren(QLabel) if label.text()]
    labels += [label.text() for label in widget.window().findChildren(QLabel) if label.buddy() is widget]
    return labels[0] if labels else ""


def focus_hidden(widget: QWidget) -> str | None:
    """Why the focused `widget` is not in view (WCAG 2.4.11), or None when it is: the part of it not clipped by the
    page's scroll area (its visible region) must be all of it; a control taller than the view must show its top, full
    width, over at least half the view."""
    shown = widget.visibleRegion().boundingRect()
    if shown == widget.rect():
        return None
    area = next((a for a in _ancestors(widget) if isinstance(a, QAbstractScrollArea)), None)
    view = area.viewport().height() if area is not None else widget.window().height()
    if widget.height() > view and shown.top() == 0 and shown.width() == widget.width() and shown.height() >= view // 2:
        return None
    size = f"{widget.width()}x{widget.height()}"
    return f"is only {shown.width()}x{shown.height()} px in view (at {shown.x()},{shown.y()}) of its {size}"


def _ancestors(widget: QWidget) -> list[QWidget]:
    found, parent = [], widget.parentWidget()
    while parent is not None:
        found.append(parent)
        parent = parent.parentWidget()
    return found


def show(window, name: str) -> None:  # type: ignore[no-untyped-def]
    """Show a registered screen, or a variant: the sample form put on its page first (and acted on, for errors)."""
    variant = VARIANTS.get(name)
    screen = name
    if variant is not None:
        variant.prepare(window.deps.journey)
        screen = variant.screen
    window.show_screen(screen)
    assert window.current_screen_name() == screen
    if variant is not None and variant.act is not None:
        variant.act(window.screen_widget(screen))
    for _ in range(3):
        QApplication.processEvents()


def tab_stops(widgets: list[QWidget]) -> tuple[list[QWidget], list[list[QWidget]]]:
    """The widgets Tab stops at one by one, and the radio groups: a group is ONE Tab stop, and the arrow keys move
    between its options (the WAI-ARIA radio group pattern, and Qt's own behaviour)."""
    singles: list[QWidget] = []
    groups: dict[int, list[QWidget]] = {}
    for widget in widgets:
        group = widget.group() if isinstance(widget, QRadioButton) else None
        if group is None:
            singles.append(widget)
        else:
            groups.setdefault(id(group), []).append(widget)
    return singles, list(groups.values())


@pytest.mark.parametrize("name", SCREENS)
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_interactive_widgets_have_names_sizes_and_no_context_menu(main_window, name, lang) -> None:
    main_window.deps.session.set_language(lang)
    show(main_window, name)
    panel = main_window.deps.panel
    widgets = interactive(main_window)
    assert widgets
    for widget in widgets:
        label = visible_label(widget)
        iface = QAccessible.queryAccessibleInterface(widget)
        accessible_name = iface.text(QAccessible.Text.Name)
        assert accessible_name, widget
        assert label and label in accessible_name, (label, accessible_name)
        assert widget.width() >= panel.min_target_px and widget.height() >= panel.min_target_px, (label, widget.size())
    for widget in [main_window, *main_window.findChildren(QWidget)]:
        assert widget.contextMenuPolicy() == Qt.ContextMenuPolicy.NoContextMenu, widget


def test_browsing_screens_show_real_content(main_window) -> None:
    """The checks above must see the catalog's tiles and start page, not the "unavailable" message."""
    for name, minimum in (("services", 11), ("life-event", 4)):
        show(main_window, name)
        assert len(main_window.screen_widget(name).tiles.tiles) >= minimum
    show(main_window, "service-start")
    assert main_window.screen_widget("service-start").start_button.isVisible()


def test_home_entries_are_primary_sized(main_window) -> None:
    for entry in main_window.home.entries.values():
        assert entry.height() >= main_window.deps.panel.primary_target_px


@pytest.mark.parametrize("name", SCREENS)
def test_largest_text_meets_the_07_degree_rule(main_window, name) -> None:
    main_window.deps.session.set_text_step(len(TEXT_STEPS) - 1)
    show(main_window, name)
    panel = main_window.deps.panel
    for widget in main_window.findChildren(QWidget):
        if not widget.isVisibleTo(main_window):
            continue
        texts = painted_texts(widget)
        if isinstance(widget, QLabel | QAbstractButton) and widget.text():
            texts.append((widget.text(), widget.font()))
        for text, font in texts:
            cap = QFontMetricsF(font).capHeight()
            assert panel.meets_large_text(cap), (text, cap, panel.min_cap_height_px)


@pytest.mark.parametrize("name", SCREENS)
def test_tab_visits_every_interactive_widget_and_cycles(main_window, qtbot, name) -> None:
    show(main_window, name)
    focusable = [w for w in interactive(main_window) if w.isEnabled()]
    singles, groups = tab_stops(focusable)
    main_window.header.language_buttons[SHIPPED_LANGUAGES[0]].setFocus()
    visited: list[QWidget] = []
    for _ in range(len(singles) + len(groups) + 1):
        visited.append(QApplication.focusWidget())
        assert focus_hidden(visited[-1]) is None, (visited[-1], focus_hidden(visited[-1]))  # Tab never hides it
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert set(visited) <= set(focusable)
    assert set(singles) <= set(visited)
    assert visited[0] is visited[-1]  # no trap, back to the start
    for options in groups:
        entered = [option for option in options if option in visited]
        assert len(entered) == 1, options  # Tab enters a radio group once...
        entered[0].setFocus()
        reached = {entered[0]}
        for _ in range(len(options) - 1):  # ...and the arrow keys reach every option, each in view
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
            reached.add(QApplication.focusWidget())
            assert focus_hidden(QApplication.focusWidget()) is None
        assert reached == set(options)


# The focus is never out of view (WCAG 2.4.11): the shell scrolls the page to it (MainWindow._reveal_focus) ----------
def test_focus_given_by_code_or_tab_from_the_header_is_scrolled_into_view(main_window, qtbot) -> None:
    show(main_window, "services")
    screen = main_window.stack.currentWidget()
    last = list(screen.tiles.tiles.values())[-1]
    assert focus_hidden(last) is not None  # the catalog is longer than the page
    last.setFocus()  # as the keypad moves, and as screens focus an error or a panel
    assert focus_hidden(last) is None
    back = screen.back_button
    assert focus_hidden(back) is not None
    main_window.header.larger.setFocus()  # the header's last stop before the page
    qtbot.keyClick(main_window.header.larger, Qt.Key.Key_Tab)  # into the page, where Qt itself would not scroll
    assert QApplication.focusWidget() is back and focus_hidden(back) is None


def _far_below(window, control: QWidget) -> QScrollBar:  # type: ignore[no-untyped-def]
    """Plant `control` at the end of the current page, under a spacer three views tall; the page's scroll bar."""
    screen = window.stack.currentWidget()
    spacer = QWidget()
    spacer.setFixedHeight(3 * screen.scroll_area.viewport().height())
    for widget in (spacer, control):
        screen.body.addWidget(widget)
    for _ in range(3):
        QApplication.processEvents()
    return screen.scroll_area.verticalScrollBar()


def test_a_control_taller_than_the_view_shows_its_top(main_window) -> None:
    show(main_window, "help")
    view = main_window.stack.currentWidget().scroll_area.viewport()
    tall = QWidget()  # as the digital-key practice's drawn phone at 200 %
    tall.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    tall.setFixedHeight(2 * view.height())
    _far_below(main_window, tall)
    tall.setFocus()
    assert tall.mapTo(view, QPoint(0, 0)).y() == main_window.deps.panel.min_gap_px  # its top, not its middle
    assert focus_hidden(tall) is None


def test_a_control_nearly_as_tall_as_the_view_is_shown_whole(main_window) -> None:
    """Taller than the view less the gaps, not taller than the view: all of it, the gaps shrunk (the full matrix found
    the drawn phone 12 px short at 150 % in Arabic)."""
    show(main_window, "help")
    view = main_window.stack.currentWidget().scroll_area.viewport()
    almost = QWidget()
    almost.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    almost.setFixedHeight(view.height() - 2)
    _far_below(main_window, almost)
    almost.setFocus()
    assert focus_hidden(almost) is None
    assert almost.visibleRegion().boundingRect().height() == almost.height()


def test_a_tap_never_scrolls_the_page(main_window, qtbot) -> None:
    """A finger on a control half in view gives it the focus, and the page stays still under the finger."""
    show(main_window, "help")
    screen = main_window.stack.currentWidget()
    button = QPushButton("Far below")
    bar = _far_below(main_window, button)
    top = button.mapTo(screen.content, QPoint(0, 0)).y()
    bar.setValue(top + button.height() // 2 - screen.scroll_area.viewport().height())  # its top half in view
    before = bar.value()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(button.width() // 2, button.height() // 4))
    assert button.hasFocus() and bar.value() == before
    assert focus_hidden(button) is not None


def test_focus_is_clearly_visible(main_window, qtbot) -> None:
    button = main_window.header.language_buttons["es"]
    main_window.home.setFocus()
    before = button.grab().toImage()
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    after = button.grab().toImage()
    changed = sum(
        before.pixel(x, y) != after.pixel(x, y)
        for y in range(0, before.height(), 2)
        for x in range(0, before.width(), 2)
    )
    assert changed > (before.width() * before.height() / 4) * 0.5  # the whole button changes, not a hairline
    border = after.pixelColor(2, after.height() // 2).name()
    assert border == main_window.theme.focus_ring
