"""The app shell through its public API: window, header, navigation, language, text size, notices, session, failsafe."""

from __future__ import annotations

import logging
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QWidget

from accessibility.sizing import TEXT_STEPS
from kiosk.i18n import ENDONYMS, SHIPPED_LANGUAGES
from kiosk.notices import StaffNotice
from ui.screens.base import Screen
from ui.screens.home import HomeScreen


def visible_texts(root: QWidget) -> list[str]:
    texts = [w.text() for w in root.findChildren(QLabel) if w.isVisibleTo(root) and w.text()]
    texts += [w.text() for w in root.findChildren(QAbstractButton) if w.isVisibleTo(root) and w.text()]
    return texts


def test_kiosk_window_is_frameless_and_covers_the_screen(qapp, qtbot, shell_deps) -> None:
    from ui.app import KioskGui

    gui = KioskGui(qapp, shell_deps, windowed=False)
    qtbot.addWidget(gui.window)
    gui.start()
    qtbot.waitExposed(gui.window)
    assert gui.window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert gui.window.geometry() == qapp.primaryScreen().geometry()
    assert gui.window.geometry().size().toTuple() == (1920, 1080)
    gui.shutdown()
    assert not gui.window.isVisible()


def test_windowed_close_by_the_window_system_shuts_down(qapp, qtbot, shell_deps) -> None:
    from ui.app import KioskGui

    gui = KioskGui(qapp, shell_deps, windowed=True)
    qtbot.addWidget(gui.window)
    gui.start()
    qtbot.waitExposed(gui.window)
    gui.window.close()
    assert gui.is_shut_down


def test_windowed_mode_has_a_frame_and_a_development_size(qapp, qtbot, shell_deps) -> None:
    from ui.app import KioskGui

    gui = KioskGui(qapp, shell_deps, windowed=True)
    qtbot.addWidget(gui.window)
    gui.start()
    qtbot.waitExposed(gui.window)
    assert not gui.window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert gui.window.size().toTuple() == (1280, 800)
    gui.shutdown()
    gui.shutdown()  # idempotent


def test_kiosk_window_ignores_close_requests_until_shutdown(qapp, qtbot, shell_deps) -> None:
    from ui.app import KioskGui

    gui = KioskGui(qapp, shell_deps, windowed=False)
    qtbot.addWidget(gui.window)
    gui.start()
    qtbot.waitExposed(gui.window)
    gui.window.close()  # Qt 6 delivers the window system's close request the same way
    assert gui.window.isVisible()
    gui.shutdown()
    assert not gui.window.isVisible()


def test_home_shows_three_entries(main_window) -> None:
    assert main_window.current_screen_name() == "home"
    home = main_window.home
    assert list(home.entries) == ["services", "learn-home", "staff-sign-in"]
    titles = [button.title_text for button in home.entries.values()]
    assert titles == ["Use a public service", "Learn digital skills", "Staff"]
    assert all(button.height() >= main_window.deps.panel.primary_target_px for button in home.entries.values())


def _registry_without(name: str):  # type: ignore[no-untyped-def]
    """The default screens but `name`: a kiosk where that part is switched off."""
    from ui.screens.registry import ScreenRegistry, default_registry

    full, registry = default_registry(), ScreenRegistry()
    for kept in full.names():
        if kept != name:
            spec = full.spec(kept)
            registry.register(kept, spec.factory, staff_only=spec.staff_only, idle_kind=spec.idle_kind)
    return registry


@pytest.fixture
def window_without_learning(qtbot, shell_deps):  # type: ignore[no-untyped-def]
    from ui.shell import MainWindow

    shell_deps.registry = _registry_without("learn-home")
    window = MainWindow(shell_deps)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    yield window
    window.allow_close()


@pytest.mark.parametrize("target", ["learn-home"])
def test_unregistered_entry_shows_inline_message_and_stays_home(window_without_learning, qtbot, target) -> None:
    main_window = window_without_learning
    button = main_window.home.entries[target]
    button.setFocus()
    qtbot.waitUntil(button.hasFocus)
    qtbot.keyClick(button, Qt.Key.Key_Return)
    assert main_window.current_screen_name() == "home"
    assert main_window.home.message.isVisible()
    assert main_window.home.message_text.text() == (
        "This is not available on this kiosk yet. Please ask a member of staff."
    )


def test_click_on_an_entry_also_shows_the_message(window_without_learning, qtbot) -> None:
    main_window = window_without_learning
    qtbot.mouseClick(main_window.home.entries["learn-home"], Qt.MouseButton.LeftButton)
    assert main_window.current_screen_name() == "home"
    assert main_window.home.message.isVisible()


def test_registered_screen_is_shown_instead_of_the_message(qapp, qtbot, shell_deps) -> None:
    from ui.shell import MainWindow

    class Learn(Screen):
        def __init__(self, context) -> None:  # type: ignore[no-untyped-def]
            super().__init__(context)
            self.add_back_button()
            self.add_heading("home.learn.title")

    shell_deps.registry.register("learn-home", Learn, replace=True)
    window = MainWindow(shell_deps)
    qtbot.addWidget(window)
    window.show()
    window.show_screen("staff")  # not registered: the message shows on home
    assert window.home.message.isVisible()
    qtbot.mouseClick(window.home.entries["learn-home"], Qt.MouseButton.LeftButton)
    assert window.current_screen_name() == "learn-home"
    assert not window.home.message.isVisible()
    window.back()
    assert window.current_screen_name() == "home"
    window.allow_close()


def test_the_services_entry_opens_the_registered_services_screen(main_window, qtbot) -> None:
    qtbot.mouseClick(main_window.home.entries["services"], Qt.MouseButton.LeftButton)
    assert main_window.current_screen_name() == "services"
    assert not main_window.home.message.isVisible()


def test_call_a_mediator_opens_from_the_header_and_escape_returns(main_window, qtbot) -> None:
    assert main_window.header.help.text() == "Call a mediator"
    qtbot.mouseClick(main_window.header.help, Qt.MouseButton.LeftButton)
    assert main_window.current_screen_name() == "help-call"  # over home, not a navigation
    call_screen = main_window.stack.currentWidget()
    assert {"A mediator is on the way", "How this kiosk works"} <= set(visible_texts(call_screen))
    assert call_screen.back_button.hasFocus()
    qtbot.keyClick(main_window.focusWidget(), Qt.Key.Key_Escape)
    assert main_window.current_screen_name() == "home"
    assert main_window.header.help.text() == "Mediator called"  # the call stays until answered or cancelled


def test_help_back_button_returns_home_with_enter(main_window, qtbot) -> None:
    main_window.show_screen("help")
    back = main_window.screen_widget("help").back_button
    qtbot.waitUntil(back.hasFocus)
    qtbot.keyClick(back, Qt.Key.Key_Enter)
    assert main_window.current_screen_name() == "home"


def test_escape_on_home_stays_home(main_window, qtbot) -> None:
    qtbot.keyClick(main_window, Qt.Key.Key_Escape)
    assert main_window.current_screen_name() == "home"


def test_language_switch_retranslates_live_and_arabic_mirrors(main_window, qtbot, catalog) -> None:
    main_window.show_screen("help")
    for lang in SHIPPED_LANGUAGES:
        qtbot.mouseClick(main_window.header.language_buttons[lang], Qt.MouseButton.LeftButton)
        assert main_window.deps.session.presentation.language == lang
        texts = visible_texts(main_window)
        for key in ("help.title", "header.help", "app.title", "common.back", "header.language"):
            assert catalog.t(key, lang) in texts, (lang, key)
        assert main_window.home.entries["services"].title_text == catalog.t("home.services.title", lang)
        assert main_window.header.language_buttons[lang].isChecked()
        expected = Qt.LayoutDirection.RightToLeft if lang == "ar" else Qt.LayoutDirection.LeftToRight
        assert main_window.layoutDirection() == expected
        assert main_window.screen_widget("help").layoutDirection() == expected
    assert [b.text() for b in main_window.header.language_buttons.values()] == [ENDONYMS[c] for c in SHIPPED_LANGUAGES]


def test_inline_message_follows_the_language(main_window, qtbot, catalog) -> None:
    main_window.show_screen("learn")
    main_window.deps.session.set_language("pt-PT")
    assert main_window.home.message_text.text() == catalog.t("home.not_available", "pt-PT")


def label_font_px(window) -> int:  # type: ignore[no-untyped-def]
    label = window.home.findChildren(QLabel)[0]
    label.ensurePolished()
    return label.font().pixelSize()


def test_text_size_steps_change_the_font_and_nothing_is_clipped(main_window, qtbot, panel) -> None:
    header = main_window.header
    sizes = [label_font_px(main_window)]
    assert not header.smaller.isEnabled()
    for _ in range(len(TEXT_STEPS) - 1):
        qtbot.mouseClick(header.larger, Qt.MouseButton.LeftButton)
        sizes.append(label_font_px(main_window))
    assert main_window.deps.session.presentation.text_step == len(TEXT_STEPS) - 1
    assert not header.larger.isEnabled()
    assert sizes == sorted(sizes) and len(set(sizes)) == len(TEXT_STEPS)
    assert sizes[-1] >= 2 * sizes[0]
    for lang in SHIPPED_LANGUAGES:
        main_window.deps.session.set_language(lang)
        for name in ("home", "help"):
            main_window.show_screen(name)
            assert_nothing_clipped(main_window, qtbot)
    qtbot.mouseClick(header.smaller, Qt.MouseButton.LeftButton)
    assert main_window.deps.session.presentation.text_step == len(TEXT_STEPS) - 2


def assert_nothing_clipped(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Every visible label and button is at least as large as its content needs (no clipping, no eliding)."""
    for _ in range(3):  # font changes relayout through posted LayoutRequest events: let them all run
        QApplication.processEvents()
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or not isinstance(widget, QLabel | QAbstractButton):
            continue
        if isinstance(widget, QLabel) and widget.wordWrap():
            needed = widget.heightForWidth(widget.width())
            assert widget.height() >= needed, (widget.text(), widget.height(), needed)
        else:
            hint = widget.minimumSizeHint()
            assert widget.width() >= hint.width(), (widget.text() or widget.accessibleName(), widget.width(), hint)
            assert widget.height() >= hint.height(), (widget.text() or widget.accessibleName(), widget.height(), hint)
        # Inside its parent (a scroll area's content may be larger than the viewport: that scrolls, it does not clip).
        parent = widget.parentWidget()
        if parent is not None and widget.isVisible():
            assert parent.rect().contains(widget.geometry()), (widget.text(), widget.geometry(), parent.rect())


def test_read_aloud_toggle_records_on_the_session_and_shows_its_state_in_text(main_window, qtbot, catalog) -> None:
    toggle = main_window.header.read_aloud
    assert toggle.text() == catalog.t("header.read_aloud_off", "en")
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    assert main_window.deps.session.presentation.read_aloud is True
    assert toggle.isChecked()
    assert toggle.text() == catalog.t("header.read_aloud_on", "en")
    assert toggle.accessibleName() == toggle.text()


def test_session_end_resets_language_text_size_and_screens(main_window, qtbot) -> None:
    session = main_window.deps.session
    main_window.show_screen("learn")  # leaves the inline message on home
    session.set_language("uk")
    session.set_text_step(3)
    session.set_read_aloud(True)
    main_window.show_screen("help")
    session.end("finished")
    assert main_window.current_screen_name() == "home"
    assert main_window.screen_widget("help") is None  # rebuilt fresh next time
    assert not main_window.home.message.isVisible()
    assert main_window.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert main_window.home.entries["services"].title_text == "Use a public service"
    assert main_window.header.language_buttons["en"].isChecked()
    assert not main_window.header.read_aloud.isChecked()
    assert label_font_px(main_window) == main_window.deps.panel.text_px("h1", 0)


def test_notices_from_a_background_thread_appear_and_disappear(main_window, qtbot, catalog) -> None:
    bar = main_window.notice_bar
    assert not bar.isVisible()
    notice = StaffNotice("db", "database-recovered", "recovered", {"moved_to": "/d/x.db", "salvaged": "3", "lost": "1"})
    worker = threading.Thread(target=main_window.deps.notices.post, args=(notice,))
    worker.start()
    worker.join()
    qtbot.waitUntil(bar.isVisible)
    (text,) = bar.texts()
    assert "Items saved: \u20683\u2069" in text and "/d/x.db" in text
    assert bar.label.text() == catalog.t("notice.label", "en")  # a text label, not colour alone
    main_window.deps.session.set_language("fr")
    assert bar.texts()[0].startswith("Le fichier de données")
    worker = threading.Thread(target=main_window.deps.notices.withdraw, args=("db",))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: not bar.isVisible())


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("database-recovered", {"moved_to": "m", "salvaged": "1", "lost": "0"}),
        ("secrets-unavailable", {"reason": "no backend"}),
        ("storage-full", {}),
        ("schema-too-new", {"detail": "version 9"}),
        ("database-unavailable", {"detail": "permission denied"}),
        ("catalog-problems", {"count": "3"}),
        ("catalog-unavailable", {}),
    ],
)
def test_every_notice_kind_is_translated(main_window, catalog, kind, params) -> None:
    main_window.deps.notices.post(StaffNotice(kind, kind, "summary in English", params))
    for lang in SHIPPED_LANGUAGES:
        main_window.deps.session.set_language(lang)
        text = main_window.notice_bar.texts()[0]
        assert text != "summary in English"
        for value in params.values():
            assert value in text


def test_unknown_notice_kind_falls_back_to_its_summary(main_window) -> None:
    main_window.deps.notices.post(StaffNotice("x", "no-such-kind", "Plain summary"))
    assert main_window.notice_bar.texts() == ["Plain summary"]


def test_failing_screen_returns_home_and_logs_without_the_message(qapp, qtbot, shell_deps, caplog) -> None:
    from ui.shell import MainWindow

    secret = "Maria Canary 123456789"

    def broken(context):  # type: ignore[no-untyped-def]
        raise ValueError(secret)

    shell_deps.registry.register("services", broken, replace=True)
    window = MainWindow(shell_deps)
    qtbot.addWidget(window)
    window.show()
    window.show_screen("help")
    with caplog.at_level(logging.INFO):
        window.show_screen("services")
    assert window.current_screen_name() == "home"
    assert window.home.message.isVisible()
    assert window.home.message_key == "home.screen_failed"
    assert "ValueError" in caplog.text and "services" in caplog.text
    assert secret not in caplog.text
    for record in caplog.records:
        assert record.exc_info is None
    window.allow_close()


def test_failing_screen_on_language_change_returns_home(qapp, qtbot, shell_deps, caplog) -> None:
    from ui.shell import MainWindow

    class Fragile(Screen):
        def on_retranslate(self) -> None:
            raise RuntimeError("secret 987")

    shell_deps.registry.register("fragile", Fragile)
    window = MainWindow(shell_deps)
    qtbot.addWidget(window)
    window.show_screen("fragile")
    assert window.current_screen_name() == "fragile"
    with caplog.at_level(logging.ERROR):
        shell_deps.session.set_language("es")
    assert window.current_screen_name() == "home"
    assert "secret 987" not in caplog.text
    window.allow_close()


def test_after_first_paint_is_told_before_the_post_frame_setup(qapp, qtbot, shell_deps) -> None:
    """The hook marks the moment the first frame is complete (benchmarks/startup.py stops its clock there, as its bare
    window does): the window's own post-frame setup (the key lockdown, the remaining icons) comes after it, in the
    same callback, so no input reaches the window in between."""
    from ui.shell import MainWindow

    seen: list[bool] = []
    window: MainWindow | None = None

    def hook() -> None:
        assert window is not None
        seen.append(window.lockdown.installed)

    shell_deps.after_first_paint = hook
    window = MainWindow(shell_deps)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: seen != [])
    assert seen == [False]
    assert window.lockdown.installed  # right after the hook, in the same event-loop callback
    window.lockdown.remove()
    window.allow_close()


def test_after_first_paint_runs_once_then_background_tasks(qapp, qtbot, shell_deps, caplog) -> None:
    from ui.shell import MainWindow

    calls: list[str] = []
    done = threading.Event()
    shell_deps.after_first_paint = lambda: calls.append(
        f"paint:{threading.current_thread() is threading.main_thread()}"
    )

    def failing_task() -> None:
        raise OSError("disk /home/maria")

    def task() -> None:
        calls.append(f"task:{threading.current_thread() is threading.main_thread()}")
        done.set()

    shell_deps.background_tasks = (failing_task, task)
    window = MainWindow(shell_deps)
    qtbot.addWidget(window)
    assert calls == []
    window.show()
    qtbot.waitUntil(done.is_set)
    assert window.background.join(5)
    window.repaint()
    qtbot.wait(10)
    assert calls == ["paint:True", "task:False"]
    assert "OSError" in caplog.text and "maria" not in caplog.text
    window.allow_close()


def _variants(button) -> dict[tuple[str, str], bytes]:  # type: ignore[no-untyped-def]
    """What the button's icon draws in each (mode, state), as raw pixels."""
    from PySide6.QtGui import QIcon

    size = button.iconSize()
    return {
        (mode.name, state.name): bytes(button.icon().pixmap(size, mode, state).toImage().constBits())
        for mode in (QIcon.Mode.Normal, QIcon.Mode.Active)
        for state in (QIcon.State.Off, QIcon.State.On)
    }


def test_the_first_frame_draws_only_the_icons_it_shows_and_the_rest_come_right_after(qapp, qtbot, shell_deps) -> None:
    from ui.shell import MainWindow

    window = MainWindow(shell_deps)
    qtbot.addWidget(window)
    read_aloud = window.header.read_aloud
    before = _variants(read_aloud)
    # Qt falls back to the one pixmap there is: focus and "on" look like the unfocused "off" until the first frame.
    assert len(set(before.values())) == 1
    window.show()
    qtbot.waitUntil(lambda: window._first_paint_seen)
    qtbot.waitUntil(lambda: len(set(_variants(read_aloud).values())) == 4)
    after = _variants(read_aloud)
    assert after[("Normal", "Off")] == before[("Normal", "Off")]  # the first frame's icon is the finished one's
    language = next(b for b in window.header.language_buttons.values() if not b.isChecked())
    assert _variants(language)[("Normal", "On")] != _variants(language)[("Normal", "Off")]  # the check mark
    window.allow_close()


def test_home_screen_class_is_the_registered_home(main_window) -> None:
    assert isinstance(main_window.home, HomeScreen)
    assert main_window.deps.registry.names()[:2] == ["home", "help"]
    assert {"services", "life-event", "search", "service-start"} <= set(main_window.deps.registry.names())


def test_home_entries_wrap_their_texts_and_mirror_in_arabic(main_window, qtbot) -> None:
    entry = main_window.home.entries["services"]
    assert entry.accessibleName() == entry.title_text
    assert entry.accessibleDescription() == "Ask for documents, renew them or book an appointment."
    assert entry.heightForWidth(entry.minimumSizeHint().width()) > entry.heightForWidth(entry.width())  # wraps
    badge = QColor(main_window.theme.colour("primary"))

    def badge_side() -> str:
        image = entry.grab().toImage()
        middle = image.height() // 2
        left = any(image.pixelColor(x, middle) == badge for x in range(image.width() // 4))
        right = any(image.pixelColor(x, middle) == badge for x in range(3 * image.width() // 4, image.width()))
        assert left != right
        return "left" if left else "right"

    assert badge_side() == "left"
    main_window.deps.session.set_language("ar")
    qtbot.waitUntil(lambda: entry.layoutDirection() == Qt.LayoutDirection.RightToLeft)
    assert badge_side() == "right"


# Navigation history and page titles (the form screens rely on these) --------------------------------------------------
def _screen_class(can_show: bool = True, title: str = ""):  # type: ignore[no-untyped-def]
    class Page(Screen):
        backs = 0

        def __init__(self, context) -> None:  # type: ignore[no-untyped-def]
            super().__init__(context)
            self.back_button = self.add_back_button()
            self.set_page_title(title)

        def can_show(self) -> bool:
            return can_show

        def go_back(self) -> None:
            type(self).backs += 1
            super().go_back()

    return Page


def test_clear_history_makes_back_go_home(main_window) -> None:
    for name in ("one", "two", "sent"):
        main_window.deps.registry.register(name, _screen_class())
    main_window.show_screen("one")
    main_window.show_screen("two")
    assert main_window.history() == ["home", "one"]
    main_window.show_screen("sent", clear_history=True)
    assert main_window.history() == []
    main_window.back()
    assert main_window.current_screen_name() == "home"


def test_the_history_never_holds_a_screen_twice(main_window) -> None:
    for name in ("a", "b", "c"):
        main_window.deps.registry.register(name, _screen_class())
    for name in ("a", "b", "c", "b", "c", "b"):
        main_window.show_screen(name)
    assert main_window.history() == ["home", "a"]  # going to a screen Back would reach is going back to it
    main_window.back()
    assert main_window.current_screen_name() == "a"


def test_a_screen_with_nothing_to_show_sends_the_citizen_home(main_window) -> None:
    main_window.deps.registry.register("empty", _screen_class(can_show=False))
    main_window.show_screen("help")
    main_window.show_screen("empty")
    assert main_window.current_screen_name() == "home"
    assert not main_window.home.message.isVisible()  # not an error: there is simply nothing to show


def test_escape_asks_the_screen_to_go_back(main_window, qtbot) -> None:
    page = _screen_class()
    main_window.deps.registry.register("page", page)
    main_window.show_screen("page")
    qtbot.keyClick(main_window.focusWidget(), Qt.Key.Key_Escape)
    assert page.backs == 1 and main_window.current_screen_name() == "home"


def test_the_window_title_names_the_page(main_window, qtbot) -> None:
    main_window.deps.registry.register("titled", _screen_class(title="Error: What is your name?"))
    main_window.show_screen("titled")
    assert main_window.windowTitle() == "Error: What is your name? – Citizen Spot"
    main_window.back()
    assert main_window.windowTitle() == "Citizen Spot"


def test_session_end_empties_the_clipboard_and_the_receipt_spool(qapp, qtbot, shell_deps, tmp_path) -> None:
    from PySide6.QtGui import QGuiApplication

    from ui.shell import MainWindow

    spool = tmp_path / "spool"
    (spool / "old").mkdir(parents=True)
    (spool / "receipt-R-3WX5-RZMV-5N7P-6.pdf").write_bytes(b"%PDF-")
    (spool / "old" / "left.pdf").write_bytes(b"%PDF-")
    shell_deps.spool_dir = spool
    window = MainWindow(shell_deps)
    qtbot.addWidget(window)
    QGuiApplication.clipboard().setText("Ana Sousa, 123456789")
    shell_deps.session.end("timeout")
    assert QGuiApplication.clipboard().text() == ""
    assert spool.is_dir() and list(spool.iterdir()) == []
    window.allow_close()


def test_a_staff_only_screen_asks_for_sign_in_until_the_member_may_see_it(main_window, shell_deps) -> None:  # type: ignore[no-untyped-def]
    allowed: set[str] = set()
    shell_deps.staff_allowed = lambda name: name in allowed
    main_window.show_screen("staff-queue")
    assert main_window.current_screen_name() == "staff-sign-in"  # not the queue: nobody is signed in
    main_window.show_screen("staff-home")
    assert main_window.current_screen_name() == "staff-sign-in"
    allowed.add("staff-queue")  # e.g. a mediator signed in
    main_window.show_screen("staff-queue")
    assert main_window.current_screen_name() == "staff-queue"
    main_window.show_screen("help")  # ordinary screens never ask
    assert main_window.current_screen_name() == "help"
