"""The learning screens with real widgets, by keyboard only: a whole tutorial from learn-home to the recap (explain,
demo, practice with one wrong and one right attempt, check, recap) ending with its completion statement in the
database; a half-done tutorial resumed from its learner code; the "not available" panel of a simulation kind this
kiosk has no screen for; and the outbox left untouched."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.test_tutorial_learner import (
    TUTORIALS,
    Role,
    activate,
    find_accessible,
    focused,
    learner_window,
    press,
    tab_to,
    type_keys,
)
from tutorials.model import CheckStep, Simulation
from tutorials.progress import Learner
from ui.tutorials.simulations import UnavailableScreen, widget_for

TOUCH = TUTORIALS["touch-tap-scroll-type"]


def t(window, key: str, **params: object) -> str:  # type: ignore[no-untyped-def]
    return window.deps.catalog.t(key, "en", **params)


def test_a_tutorial_end_to_end_by_keyboard_only(qapp, qtbot, shell_deps, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with learner_window(qtbot, shell_deps, tmp_path) as (window, learning, outbox_rows):
        before = outbox_rows()
        window.show_screen("learn-home")
        activate(window, "Touch, tap, scroll and type")  # the tutorial's entry
        home = window.screen_widget("learn-home")
        code = home.code_shown
        assert code.startswith("A-") and learning.code == code  # the new learner code, in its groups
        press(Qt.Key.Key_Return)  # focus is on "Start: …"
        assert window.current_screen_name() == "tutorial-step"
        screen = window.screen_widget("tutorial-step")
        run = learning.run
        assert run is not None and run.step.kind == "explain"
        assert screen.position_label.text() == "Step 1 of 9"
        press(Qt.Key.Key_Return)  # explain: focus on Next step
        assert run.step.kind == "demo"
        press(Qt.Key.Key_Return)  # demo: focus on Next picture
        press(Qt.Key.Key_Return)
        assert screen.caption.text() == "To send, tap Send once."
        activate(window, t(window, "tutorial.next"))
        assert run.step.id == "try-tap"
        activate(screen.frame, "Help")  # a wrong attempt, then the right one
        assert "That is the Help button" in screen.feedback_box.text.text()
        assert "try-tap" not in run.practice_done
        activate(screen.frame, "Send")
        assert "Well done! You tapped Send." in screen.feedback_box.text.text()
        assert window.focusWidget() is screen.next_button  # done: focus moves on
        press(Qt.Key.Key_Return)
        press(Qt.Key.Key_Return)  # the scroll explanation
        assert run.step.id == "try-scroll"
        down = find_accessible(screen.frame, "Scroll down")
        tab_to(window, down)
        for _ in range(3):
            press(Qt.Key.Key_Return)
        activate(screen.frame, "Faro")
        activate(window, t(window, "tutorial.next"))
        activate(window, t(window, "tutorial.next"))  # the typing demo
        assert run.step.id == "try-type"
        box = find_accessible(screen.frame, "Town", (Role.EditableText,))
        tab_to(window, box)
        type_keys("lisbo")
        press(Qt.Key.Key_Return)
        assert "Nearly!" in screen.feedback_box.text.text()
        type_keys("a")
        press(Qt.Key.Key_Return)
        assert "try-type" in run.practice_done
        press(Qt.Key.Key_Return)
        step = run.step
        assert isinstance(step, CheckStep)
        for question in step.questions:  # each group: Tab in, arrows to the right option, Space, Enter checks it
            options = screen.groups[question.id][1]
            right = next(o.id for o in question.options if o.correct)
            tab_to(window, options[question.options[0].id])
            for _ in range(len(options)):
                if options[right].hasFocus():
                    break
                press(Qt.Key.Key_Down)
            press(Qt.Key.Key_Space)  # select (Tab into a group with nothing chosen only focuses)
            press(Qt.Key.Key_Return)
            assert screen.answer_boxes[question.id].text.text().startswith("Right.")
        activate(window, t(window, "tutorial.next"))
        assert run.at_last_step and run.finished and run.mastered
        assert "You passed!" in screen.outcome_text(run)
        activate(window, t(window, "tutorial.recap.print"))
        assert screen.print_key == "learn.code.printed"
        verbs = [s["verb"]["display"]["en-US"] for s in learning.statements()]
        assert verbs[0] == "attempted" and "completed" in verbs and verbs[-1] == "passed"
        assert verbs.count("answered") == len(step.questions)
        activate(window, t(window, "tutorial.finish"))
        assert window.current_screen_name() == "learn-home"
        assert outbox_rows() == before


def test_a_half_done_tutorial_resumes_from_its_code(qapp, qtbot, shell_deps, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with learner_window(qtbot, shell_deps, tmp_path) as (window, learning, _rows):
        learning.start("touch-tap-scroll-type")
        code, run = learning.code, learning.run
        assert code is not None and run is not None
        window.show_screen("tutorial-step")
        for _ in range(4):
            activate(window, t(window, "tutorial.next"))
        assert run.step.id == "try-scroll"
        window.deps.session.end("finished")  # the learner leaves: the session forgets them
        assert learning.learner is None and learning.run is None
        window.show_screen("learn-home")
        field = find_accessible(window, "Continue with my learner code", (Role.EditableText,))
        tab_to(window, field)
        type_keys("not a code")
        press(Qt.Key.Key_Return)
        home = window.screen_widget("learn-home")
        assert home.message_key == "tutorial.code.invalid"
        tab_to(window, home.code_field)
        press(Qt.Key.Key_End)
        for _ in range(len("not a code")):  # the typed text is kept: delete it, key by key
            press(Qt.Key.Key_Backspace)
        assert focused() is home.code_field  # the message sends the learner back to the box
        type_keys(code.lower().replace("-", " "))  # typed loosely
        press(Qt.Key.Key_Return)
        assert window.current_screen_name() == "tutorial-step"
        resumed = learning.run
        assert resumed is not None and resumed is not run and resumed.step.id == "try-scroll"
        assert window.screen_widget("tutorial-step").position_label.text() == "Step 5 of 9"
        assert isinstance(learning.learner, Learner)


def test_a_kind_without_a_screen_shows_a_plain_panel(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from ui.tutorials.simulations import SimulationContext

    context = main_window.context  # the context every screen gets
    frame = widget_for(Simulation(kind="no-such-kind"), SimulationContext(context), _never)  # type: ignore[arg-type]
    qtbot.addWidget(frame)
    assert isinstance(frame.inner, UnavailableScreen)
    assert frame.inner.label.text() == (
        "This practice is not available on this kiosk yet. You can go on to the next step."
    )
    assert frame.banner.text() == "Practice — nothing is sent"
    assert frame.accessibleName() == "Practice screen"


def _never(_action):  # type: ignore[no-untyped-def]
    raise AssertionError("nothing to act on")


def test_the_tutorials_load_once_when_the_background_preload_and_a_screen_ask_together() -> None:
    """The kiosk parses the tutorials on its background thread after the first paint (citizen_kiosk.gui); a screen
    that asks meanwhile waits for that load instead of parsing them a second time on the GUI thread."""
    import threading
    import time

    from ui.tutorials.learning import Learning, MemoryStore, load_shipped

    loads: list[str] = []

    def slow_load():  # type: ignore[no-untyped-def]
        loads.append(threading.current_thread().name)
        time.sleep(0.2)
        return load_shipped()

    learning = Learning(MemoryStore(), load=slow_load)
    preload = threading.Thread(target=learning.tutorials, name="kiosk-background")
    preload.start()
    time.sleep(0.05)
    assert len(learning.tutorials()) >= 12  # waited for the background load
    preload.join()
    assert loads == ["kiosk-background"]
