"""Runs inside a child process: opens the real main window and reports what it measured.

python -m tests.bench.app_probe paint DATA_DIR      -> "painted" once the window painted
python -m tests.bench.app_probe scroll DATA_DIR ROW -> seconds to show row ROW loaded
python -m tests.bench.app_probe memory DATA_DIR     -> peak RSS (MB) after a session
python -m tests.bench.app_probe select DATA_DIR ROW -> ms per Down key from ROW, each until
                                                       the detail pane is filled and painted
python -m tests.bench.app_probe bare                -> "painted" once a bare window painted
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
    app, window = _window(data_dir)
    watcher = _quit_on_first_paint(app, window.table.viewport())
    window.show()
    app.exec()
    del watcher
    _close(app, window)


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
        window.table.viewport().repaint()
        window.detail.repaint()
        times.append((time.perf_counter() - started) * 1000)
        shown = window.detail.details
        expected = window.model.contact_id(row + step)
        if shown is None or shown.id != expected:
            raise SystemExit(f"step {step}: the detail pane does not show row {row + step}")
        app.processEvents()  # what the step queued (page prefetch, worker results)
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
    elif what == "paint":
        paint(folder)
    elif what == "scroll":
        scroll(folder, int(sys.argv[3]))
    elif what == "memory":
        memory(folder)
    else:
        raise SystemExit(f"unknown probe {what!r}")
