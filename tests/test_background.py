"""Background work: start-up tasks once, then housekeeping on the same thread until the kiosk shuts down."""

from __future__ import annotations

import threading

from ui.background import BackgroundTasks


def test_start_up_tasks_run_once_then_housekeeping_repeats_until_join() -> None:
    order: list[str] = []
    repeated = threading.Event()

    def housekeeping() -> None:
        order.append("housekeeping")
        if order.count("housekeeping") >= 3:
            repeated.set()

    def failing() -> None:
        raise RuntimeError("a broken task must not stop the others")

    tasks = BackgroundTasks([lambda: order.append("start-up"), failing], [housekeeping], interval_seconds=0.01)
    tasks.start()
    assert repeated.wait(5)
    assert tasks.join(5)  # join stops the housekeeping loop at once
    assert order[0] == "start-up" and order.count("start-up") == 1
    count = len(order)
    assert not threading.Event().wait(0.05) and len(order) == count  # nothing runs after join
