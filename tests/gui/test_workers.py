"""Background jobs: results come back on the UI thread, and never to a dead owner."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from desktop.workers import JobRunner


def test_results_and_errors_reach_their_callbacks(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = JobRunner()
    results: list[object] = []
    runner.start(lambda a, b: a + b, 2, 3, on_done=results.append)
    runner.start(lambda: 1 / 0, on_failed=results.append)
    qtbot.waitUntil(lambda: len(results) == 2)
    assert 5 in results
    assert any(isinstance(r, ZeroDivisionError) for r in results)
    assert not runner.busy()


def test_a_result_after_its_owner_is_gone_is_dropped(qtbot) -> None:  # type: ignore[no-untyped-def]
    owner = QObject()
    runner = JobRunner(owner)
    heard: list[object] = []
    runner.start(lambda: "late", on_done=heard.append)
    assert runner.wait()  # the result is now queued for the UI thread...
    shiboken6.delete(owner)  # ...and the window that asked is closed and gone
    for _ in range(10):
        QApplication.processEvents()
    assert heard == []
