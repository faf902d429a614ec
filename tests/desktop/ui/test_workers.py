"""Background jobs: results come back on the UI thread, and never to a dead owner."""

from __future__ import annotations

import threading
import time

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from db.engine import Database
from desktop.contact_book import ContactBook
from desktop.ui.main_window import MainWindow
from desktop.ui.workers import JobRunner, executor


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


def record_spans(spans: list[tuple[str, str]], lock: threading.Lock, name: str) -> None:
    with lock:
        spans.append(("start", name))
    time.sleep(0.02)  # long enough for an overlap to show, were there one
    with lock:
        spans.append(("end", name))


def one_at_a_time(spans: list[tuple[str, str]]) -> bool:
    return all(
        spans[n] == ("start", spans[n][1]) and spans[n + 1] == ("end", spans[n][1])
        for n in range(0, len(spans), 2)
    )


def test_a_serial_runner_runs_its_jobs_one_at_a_time_in_order(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = JobRunner(serial=True)
    spans: list[tuple[str, str]] = []
    lock = threading.Lock()
    for n in range(6):
        runner.start(record_spans, spans, lock, str(n))
    assert runner.wait()
    assert one_at_a_time(spans)
    assert [name for kind, name in spans if kind == "start"] == [str(n) for n in range(6)]


def test_writes_from_every_runner_share_one_lane(qtbot) -> None:  # type: ignore[no-untyped-def]
    runners = [JobRunner(), JobRunner(), JobRunner(serial=True)]
    spans: list[tuple[str, str]] = []
    lock = threading.Lock()
    for n in range(9):
        runners[n % 3].start(record_spans, spans, lock, str(n), writes=True)
    assert all(runner.wait() for runner in runners)
    assert one_at_a_time(spans) and len(spans) == 18


def test_cancelling_an_owner_stops_its_jobs_and_spares_the_others(qtbot) -> None:  # type: ignore[no-untyped-def]
    closing, staying = QObject(), QObject()
    mine, theirs = JobRunner(closing, serial=True), JobRunner(staying)
    started = threading.Event()

    def long_job(progress) -> int:  # type: ignore[no-untyped-def]
        started.set()
        for n in range(10_000):
            if progress(n, 10_000) is False:
                return n
            time.sleep(0.001)
        return 10_000

    stopped_at: list[int] = []
    mine.start(long_job, on_done=stopped_at.append, with_progress=True)
    queued: list[object] = []
    mine.start(lambda: "never", on_done=queued.append)  # waits behind the long job
    spared: list[object] = []
    theirs.start(lambda: "spared", on_done=spared.append)
    assert started.wait(30)
    assert executor().cancel(owner=closing) == 2
    qtbot.waitUntil(lambda: bool(stopped_at and spared), timeout=30_000)
    assert stopped_at[0] < 10_000 and spared == ["spared"]
    assert mine.wait() and not mine.busy()
    for _ in range(10):
        QApplication.processEvents()
    assert queued == []  # cancelled before its turn: never ran


def test_a_background_writer_holding_long_transactions_does_not_fail_ui_saves(
    qtbot,  # type: ignore[no-untyped-def]
    window: MainWindow,
    book: ContactBook,
    db: Database,
) -> None:
    """A writer-lane job keeps transactions open far past SQLite's busy timeout while
    the UI thread saves edits, as the contact dialog does: every save lands."""
    from db.contact_values import ContactDraft
    from db.contacts import create_contact
    from tests.factories import add_contact

    maya = add_contact(book, "Maya", "Lund")
    inside = threading.Event()
    done: list[int] = []

    def writer(progress) -> int:  # type: ignore[no-untyped-def]
        made = 0
        for n in range(4):
            with db.transaction() as session:  # below the book, as an import writes
                create_contact(session, ContactDraft(given_name=f"Imported {n}"))
                made += 1
                inside.set()
                time.sleep(0.5)
            progress(n + 1, 4)
        return made

    failed: list[Exception] = []
    window.jobs.start(
        writer, on_done=done.append, on_failed=failed.append, with_progress=True, writes=True
    )
    qtbot.waitUntil(lambda: inside.is_set() or bool(failed), timeout=30_000)
    assert failed == []
    for n in range(8):
        book.update(maya, ContactDraft(given_name="Maya", family_name=f"Lund-{n}"))
        QApplication.processEvents()
    qtbot.waitUntil(lambda: bool(done or failed), timeout=60_000)
    assert failed == [] and done == [4]
    assert book.contact(maya).family_name == "Lund-7"
    assert book.count() == 5


def test_closing_the_window_stops_demo_data_being_added(qtbot, window, book) -> None:  # type: ignore[no-untyped-def]
    window.demo.load(200_000)
    qtbot.waitUntil(lambda: book.count() > 0, timeout=60_000)
    window.close()  # cancels the job, and waits for it to stop
    assert not executor().busy()
    assert 0 < book.count() < 200_000
