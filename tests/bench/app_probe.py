"""Runs inside a child process: opens the real main window and reports what it measured.

python -m tests.bench.app_probe paint DATA_DIR      -> "painted" once the list painted with
                                                       rows, "ready" once the book is open
python -m tests.bench.app_probe scroll DATA_DIR ROW -> seconds to show row ROW loaded
python -m tests.bench.app_probe memory DATA_DIR     -> peak RSS (MB) after a session
python -m tests.bench.app_probe select DATA_DIR ROW -> ms per Down key from ROW, each until
                                                       the detail pane is filled and painted
python -m tests.bench.app_probe bare                -> "painted" once a bare window painted
python -m tests.bench.app_probe walk DATA_DIR OUT   -> ms per step of the walkthrough's
                                                       interactive steps, screenshots in OUT
                                                       (the book keeps a logged call and a
                                                       follow-up from each walk)
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _window(data_dir: Path):  # type: ignore[no-untyped-def]
    from db.engine import open_database
    from desktop.app import application
    from desktop.contact_book import ContactBook
    from desktop.ui.main_window import MainWindow

    app = application()
    window = MainWindow(ContactBook(open_database(data_dir)), "US")
    window.resize(1280, 800)
    return app, window


def paint(data_dir: Path) -> None:
    """Start as the app does (`WindowStart`): "painted" once the list first paints with
    its first row, "ready" once the book is open behind the window; then close."""
    from PySide6.QtCore import QEvent, QObject

    from desktop.app import application
    from desktop.ui.window_start import WindowStart

    app = application()
    start = WindowStart(data_dir, "US")

    class FirstPaintWithRows(QObject):  # of the list, wherever its window comes from
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() != QEvent.Type.Paint or self.seen or not watched.isWidgetType():
                return False
            table = watched.parent()  # type: ignore[attr-defined]
            rows = table is not None and table.objectName() == "contactList"
            if rows and table.model().row_at(0) is not None:
                self.seen = True
                print("painted", flush=True)
            return False

    watcher = FirstPaintWithRows()
    watcher.seen = False  # type: ignore[attr-defined]
    app.installEventFilter(watcher)
    if not start.begin():
        raise SystemExit("the book did not open")
    window = start.window
    while not (watcher.seen and start.book is not None):  # type: ignore[attr-defined]
        app.processEvents()
    print("ready", flush=True)
    window.close()
    app.processEvents()
    start.close()


def _quit_on_first_paint(app, widget):  # type: ignore[no-untyped-def]
    """Print "painted" when `widget` first paints, and leave the event loop (keep the
    result). The caller then closes as the app does, so the next run finds the book
    closed cleanly, as a user's next start does."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and not self.seen:
                self.seen = True
                print("painted", flush=True)
                QTimer.singleShot(0, app.quit)
            return False

    watcher = FirstPaint()
    watcher.seen = False  # type: ignore[attr-defined]
    widget.installEventFilter(watcher)
    return watcher


def _close(app, window) -> None:  # type: ignore[no-untyped-def]
    """Close the window and the book as quitting the app does."""
    window.close()
    app.processEvents()
    window.book.close()


def _wait_loaded(app, window, row: int, timeout: float = 30.0) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    while window.model.row_at(row) is None:
        app.processEvents()
        if time.perf_counter() - started > timeout:
            raise TimeoutError(f"row {row} did not load")
    window.table.viewport().repaint()
    return time.perf_counter() - started


def scroll(data_dir: Path, row: int) -> None:
    app, window = _window(data_dir)
    window.show()
    app.processEvents()
    started = time.perf_counter()
    window.table.scrollTo(window.model.index(row, 0))
    _wait_loaded(app, window, row)
    print(f"{time.perf_counter() - started:.4f}", flush=True)
    _close(app, window)


def memory(data_dir: Path) -> None:
    app, window = _window(data_dir)
    window.show()
    app.processEvents()
    total = window.model.rowCount()
    for fraction in (0.1, 0.3, 0.5, 0.7, 0.9, 0.99):
        row = int(total * fraction)
        window.table.scrollTo(window.model.index(row, 0))
        _wait_loaded(app, window, row)
    for text in ("jo", "mar", "ber", "555", "gmail"):
        window.lookup_box.setText(text)
        window.lookup.run()
        window.jobs.wait()
        app.processEvents()
    print(f"{peak_rss_mb():.1f}", flush=True)
    _close(app, window)


def select(data_dir: Path, row: int, steps: int = 200) -> None:
    """Walk down the list from `row` with the Down key, as a rep reading through it does:
    each step's time covers the key, the detail pane filled and both panes painted."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    app, window = _window(data_dir)
    window.show()
    app.processEvents()
    window.table.scrollTo(window.model.index(row, 0))
    _wait_loaded(app, window, row + steps + 1)
    window.table.setCurrentIndex(window.model.index(row, 0))
    window.table.setFocus()
    app.processEvents()
    times = []
    for step in range(1, steps + 1):
        started = time.perf_counter()
        QTest.keyClick(window.table, Qt.Key.Key_Down)
        window.detail.repaint()  # the pane shows the new contact, painted now
        app.processEvents()  # and what Qt updates on its own (the two rows' highlight)
        times.append((time.perf_counter() - started) * 1000)
        shown = window.detail.details
        expected = window.model.contact_id(row + step)
        if shown is None or shown.id != expected:
            raise SystemExit(f"step {step}: the detail pane does not show row {row + step}")
    print(" ".join(f"{t:.3f}" for t in times), flush=True)
    _close(app, window)


def bare() -> None:
    """A bare Qt main window with an empty table: the floor for start-up."""
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication([])
    window = QMainWindow()
    table = QTableView()
    window.setCentralWidget(table)
    window.resize(1280, 800)
    watcher = _quit_on_first_paint(app, table.viewport())
    window.show()
    app.exec()
    del watcher


def walk(data_dir: Path, out: Path) -> None:
    """The walkthrough's steps a big book could make wait (find, a contact, the call
    sheet, the task list, the calendar, delete and undo), each timed until its result is
    on screen and painted; a screenshot of each in `out` to look at."""
    from desktop.ui.sidebar import View

    app, window = _window(data_dir)
    window.show()
    _settle(app, window)
    out.mkdir(parents=True, exist_ok=True)
    timings: list[tuple[str, float]] = []

    def step(name: str, action, done, shot) -> None:  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        action()
        while not done():
            app.processEvents()
            if time.perf_counter() - started > 60:
                raise TimeoutError(name)
        shot.repaint()
        timings.append((name, (time.perf_counter() - started) * 1000))
        app.processEvents()  # layouts settle (a status text that grew) before the picture
        shot.grab().save(str(out / f"{len(timings):02d}-{name.replace(' ', '-')}.png"))

    def found() -> bool:
        return window.model.in_lookup and window.model.row_at(0) is not None

    def lookup(text: str) -> None:
        window.lookup_box.setFocus()
        window.lookup_box.setText(text)
        window.lookup.run()
        window.jobs.wait()  # the lookup runs on a worker; its result is then delivered
        app.processEvents()

    step("find fjord ber", lambda: lookup("fjord ber"), found, window)
    first = window.model.contact_id(0)
    step(
        "select the first",
        lambda: window.table.setCurrentIndex(window.model.index(0, 0)),
        lambda: window.detail.details is not None and window.detail.details.id == first,
        window,
    )
    step("find by phone +47 55", lambda: lookup("+47 55"), found, window)
    sheet: list[object] = []
    step(
        "call sheet",
        lambda: sheet.append(window.follow_up_actions.open_sheet(window.model.contact_id(0))),
        lambda: bool(sheet) and sheet[0] is not None,
        window,
    )
    if sheet and sheet[0] is not None:
        sheet[0].grab().save(str(out / "call-sheet.png"))  # type: ignore[attr-defined]
        sheet[0].close()  # type: ignore[attr-defined]
    window.lookup_box.clear()
    window.lookup.run()
    _settle(app, window)
    step("task list", lambda: window.choose(View("tasks")), lambda: True, window)
    step("calendar", lambda: window.choose(View("calendar")), lambda: True, window)
    step(
        "all contacts",
        lambda: window.choose(View("all")),
        lambda: window.model.row_at(0) is not None,
        window,
    )
    window.table.setCurrentIndex(window.model.index(5, 0))
    _settle(app, window)
    doomed = window.model.contact_id(5)
    step(
        "delete",
        window.contacts.delete,
        lambda: window.model.contact_id(5) != doomed,
        window,
    )
    step(
        "undo the delete",
        window.undo_action.trigger,  # Ctrl+Z
        lambda: window.model.contact_id(5) == doomed,
        window,
    )
    _walk_a_group(app, window, step)
    for name, ms in timings:
        print(f"{name}: {ms:.0f} ms", flush=True)


def _walk_a_group(app, window, step) -> None:  # type: ignore[no-untyped-def]
    """The afternoon's steps: a group made a call list and walked, a call logged with its
    next step (as the log dialog's OK does), and two records merged and the merge taken
    back (as the merge view's OK and Ctrl+Z do). The book keeps the call and the follow-up."""
    from datetime import timedelta

    from db.activity_values import ActivityDraft
    from desktop.ui.sidebar import View

    book = window.book
    group = book.groups()[0]  # seeded groups hold about 3 % of the book each
    step(
        "open a group",
        lambda: window.choose(View("group", group.id)),
        lambda: window.model.row_at(0) is not None,
        window,
    )
    step("call list from it", window.call_lists.make, lambda: True, window)
    step("next on the call list", window.call_lists.next, lambda: True, window)
    calling = window.call_lists.calling

    def log_and_schedule() -> None:
        moment = book.clock.moment()
        book.record_history([calling], kind="call", occurred_at=moment.now, regarding="Pricing")
        draft = ActivityDraft(
            start=moment.local_now + timedelta(days=3),
            time_zone=moment.zone,
            regarding="Call back",
            contact_ids=(calling,),
        )
        book.schedule(draft)
        window.refresh_all(calling)

    step("log a call and its next step", log_and_schedule, lambda: True, window)
    window.call_lists.end()
    first, second = window.model.contact_id(0), window.model.contact_id(1)
    merged: list[object] = []

    def merge() -> None:
        merged.append(book.merge(first, [second], book.contact(first).to_draft()))
        window.refresh_all(first)

    step("merge two", merge, lambda: True, window)
    step(
        "undo the merge",
        lambda: (book.undo_merge(merged[0]), window.refresh_all(first)),
        lambda: True,
        window,
    )
    _change_a_groups_members(app, window, step, group)
    window.choose(View("all"))  # as a day ends: the next start shows the whole book
    _close(app, window)


def _change_a_groups_members(app, window, step, group) -> None:  # type: ignore[no-untyped-def]
    """2,000 contacts added to the group as the Add to Group dialog's OK does, and taken
    out again with Ctrl+Z: the window's moment, then the write's (the book is as it was)."""
    from db.contacts import ListQuery

    ids = window.book.ids_on_page(ListQuery(), 0, 2000)

    def said(text: str):  # type: ignore[no-untyped-def]
        return lambda: text in window.statusBar().currentMessage()

    add = lambda: window.groups.change_membership(group.id, group.name, ids, joined=True)  # noqa: E731
    step("add 2,000 to the group (the window back)", add, lambda: True, window)
    step("... the adding written", lambda: None, said("Added"), window)
    step("undo the adding (the window back)", window.undo_action.trigger, lambda: True, window)
    step("... the undo written", lambda: None, lambda: not window.jobs.busy(), window)


def _settle(app, window, rounds: int = 20) -> None:  # type: ignore[no-untyped-def]
    """Let queued work (pages, counts, the detail pane) arrive."""
    for _ in range(rounds):
        app.processEvents()
        window.jobs.wait()


def peak_rss_mb() -> float:
    """This process's peak resident memory. VmHWM, because ru_maxrss survives exec() on
    Linux and would report the parent's peak (the benchmark seeds in the parent)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    what = sys.argv[1]
    folder = Path(sys.argv[2]) if len(sys.argv) > 2 else Path()
    if what == "bare":
        bare()
    elif what == "select":
        select(folder, int(sys.argv[3]))
    elif what == "walk":
        walk(folder, Path(sys.argv[3]))
    elif what == "paint":
        paint(folder)
    elif what == "scroll":
        scroll(folder, int(sys.argv[3]))
    elif what == "memory":
        memory(folder)
    else:
        raise SystemExit(f"unknown probe {what!r}")
