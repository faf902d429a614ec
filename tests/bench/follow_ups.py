"""Task list and calendar load times on a seeded database, measured through the real
views (offscreen Qt), against the contact list's first page in the same run."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from db.engine import database_path

RUNS = 7


def _median_ms(action: Callable[[], object], runs: int = RUNS) -> float:
    action()  # warm the page cache once
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def run(folder: Path) -> dict[str, float]:
    """Milliseconds per view load (median of 7), and the counts behind them."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from db.contacts import ListQuery
    from db.tasks import Bucket
    from desktop.contact_book import ContactBook
    from desktop.ui.calendar_view import CalendarView
    from desktop.ui.task_view import TaskView

    app = QApplication.instance() or QApplication(sys.argv[:1])
    book = ContactBook.open(folder, create=False)
    figures: dict[str, float] = {}
    try:
        figures["activities"] = _count(folder, "SELECT count(*) FROM activities")
        figures["open"] = _count(folder, "SELECT count(*) FROM activities WHERE status = 'open'")
        tasks = TaskView(book)
        tasks.resize(1200, 800)
        tasks.show()
        for bucket in (Bucket.OVERDUE, Bucket.TODAY, Bucket.UPCOMING, Bucket.OPEN, Bucket.DONE):
            tasks.show_bucket(bucket)
            figures[f"tasks_{bucket.name.lower()}_ms"] = _median_ms(
                lambda: (tasks.reload_rows(), tasks.table.repaint(), app.processEvents())
            )
            figures[f"tasks_{bucket.name.lower()}_rows"] = tasks.model.total
        tasks.show_bucket(Bucket.TODAY)
        figures["tasks_full_ms"] = _median_ms(
            lambda: (tasks.reload(), tasks.table.repaint(), app.processEvents())
        )
        calendar = CalendarView(book)
        calendar.resize(1200, 800)
        calendar.show()
        app.processEvents()
        for mode in ("month", "week", "day"):
            calendar.mode = mode
            figures[f"calendar_{mode}_ms"] = _median_ms(
                lambda: (calendar.reload(), calendar.repaint(), app.processEvents())
            )
        figures["calendar_month_items"] = len(calendar.month.placed)

        def contact_list() -> None:
            query = ListQuery()
            book.count(query)
            book.page(query, 0, 200)

        figures["contact_list_ms"] = _median_ms(contact_list)
    finally:
        book.close()
    return figures


def _count(folder: Path, sql: str) -> int:
    """A figure read straight from the file, beside the book under measurement."""
    with contextlib.closing(sqlite3.connect(database_path(folder))) as conn:
        return int(conn.execute(sql).fetchone()[0])
