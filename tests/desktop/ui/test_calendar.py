"""The calendar: items on their days, today marked, moved by drag and by keyboard,
busy days capped with a count."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from db.activity_values import ActivityDraft
from db.clock import FixedClock
from desktop.contact_book import ContactBook
from desktop.ui.calendar_grids import HOUR_HEIGHT
from desktop.ui.main_window import MainWindow
from desktop.ui.sidebar import View
from tests.factories import add_contact

ZONE = "Europe/Oslo"
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # Wednesday 10:00 in Oslo


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW, ZONE)


def schedule(book: ContactBook, start: datetime, **fields: object) -> uuid.UUID:
    maya = add_contact(book, "Maya", "Lund")
    draft = ActivityDraft(start=start, time_zone=ZONE, contact_ids=(maya,), **fields)  # type: ignore[arg-type]
    return book.schedule(draft)


def local(moment: datetime) -> datetime:
    return moment.astimezone(ZoneInfo(ZONE)).replace(tzinfo=None)


def calendar_window(qtbot, book: ContactBook) -> MainWindow:  # type: ignore[no-untyped-def]
    window = MainWindow(book, "NO")
    qtbot.addWidget(window)
    window.resize(1300, 900)
    window.show()
    qtbot.waitExposed(window)
    window.choose(View("calendar"))
    return window


def test_the_week_shows_items_on_their_day_and_marks_today(qtbot, book: ContactBook) -> None:  # type: ignore[no-untyped-def]
    aid = schedule(book, datetime(2026, 11, 26, 14, 0), regarding="Pilot review")
    window = calendar_window(qtbot, book)
    view = window.calendar_view
    assert view.title.text() == "23 Nov – 29 Nov 2026"
    assert view.grid.today == datetime(2026, 11, 25).date()
    [placed] = view.grid.placed
    assert placed.item.activity_id == aid and placed.day == datetime(2026, 11, 26).date()
    assert placed.rect.top() == 14 * HOUR_HEIGHT
    assert view.grid.column_rect(3).contains(placed.rect.center())


def test_dragging_an_item_reschedules_it_with_undo(qtbot, book: ContactBook) -> None:  # type: ignore[no-untyped-def]
    aid = schedule(
        book, datetime(2026, 11, 26, 14, 0), end=datetime(2026, 11, 26, 15, 0), alarm_minutes=15
    )
    window = calendar_window(qtbot, book)
    grid = window.calendar_view.grid
    [placed] = grid.placed
    target = QPoint(grid.column_rect(4).center().x(), 10 * HOUR_HEIGHT + HOUR_HEIGHT // 2 + 2)
    QTest.mousePress(grid, Qt.MouseButton.LeftButton, pos=placed.rect.center())
    QTest.mouseMove(grid, placed.rect.center() + QPoint(10, 10))
    QTest.mouseMove(grid, target)
    QTest.mouseRelease(grid, Qt.MouseButton.LeftButton, pos=target)
    moved = book.activity(aid)
    assert local(moved.starts_at) == datetime(2026, 11, 27, 10, 30)
    assert moved.draft.end is not None and moved.draft.end - moved.draft.start == timedelta(hours=1)
    assert [p.day for p in grid.placed] == [datetime(2026, 11, 27).date()]
    window.undo_stack.undo()
    assert local(book.activity(aid).starts_at) == datetime(2026, 11, 26, 14, 0)


def test_keyboard_moves_the_selected_item(qtbot, book: ContactBook) -> None:  # type: ignore[no-untyped-def]
    aid = schedule(book, datetime(2026, 11, 26, 14, 0))
    window = calendar_window(qtbot, book)
    view = window.calendar_view
    view._cycle(1)
    assert view.selected is not None and view.selected.activity_id == aid
    view.move_selected(days=1)
    assert local(book.activity(aid).starts_at) == datetime(2026, 11, 27, 14, 0)
    view.move_selected(up=False)
    assert local(book.activity(aid).starts_at) == datetime(2026, 11, 27, 14, 15)
    assert view.selected is not None and view.selected.activity_id == aid
    shortcuts = {a.shortcut().toString() for a in view.actions()}
    assert {"Ctrl+Left", "Ctrl+Right", "Ctrl+Up", "Ctrl+Down"} <= shortcuts


def test_month_view_caps_busy_days_and_moves_by_day(qtbot, book: ContactBook) -> None:  # type: ignore[no-untyped-def]
    first = None
    for hour in range(8, 18):
        aid = schedule(book, datetime(2026, 11, 24, hour, 0), regarding=f"call {hour}")
        first = first or aid
    window = calendar_window(qtbot, book)
    view = window.calendar_view
    view.set_mode("month")
    assert view.title.text() == "November 2026"
    month = view.month
    tuesday = next(d for d in month.days if d.day == datetime(2026, 11, 24).date())
    assert tuesday.total == 10
    shown = [p for p in month.placed if p.day == tuesday.day]
    assert 0 < len(shown) < 10 and len(shown) == month.capacity() - 1
    index = month.days.index(tuesday)
    target = month.cell_rect(index + 2).center()
    QTest.mousePress(month, Qt.MouseButton.LeftButton, pos=shown[0].rect.center())
    QTest.mouseMove(month, shown[0].rect.center() + QPoint(12, 0))
    QTest.mouseMove(month, target)
    QTest.mouseRelease(month, Qt.MouseButton.LeftButton, pos=target)
    assert local(book.activity(first).starts_at) == datetime(2026, 11, 26, 8, 0)  # type: ignore[arg-type]


def test_a_series_shows_every_occurrence_and_only_the_current_moves(
    qtbot,
    book: ContactBook,  # type: ignore[no-untyped-def]
) -> None:
    from db.recurrence import Recurrence

    schedule(book, datetime(2026, 11, 23, 9, 0), repeat=Recurrence("daily", count=5))
    window = calendar_window(qtbot, book)
    placed = window.calendar_view.grid.placed
    assert [p.day.day for p in placed] == [23, 24, 25, 26, 27]
    assert [p.item.movable for p in placed] == [True, False, False, False, False]


def test_clicking_a_busy_days_number_opens_that_day(qtbot, book: ContactBook) -> None:  # type: ignore[no-untyped-def]
    for hour in range(8, 18):
        schedule(book, datetime(2026, 11, 24, hour, 0), regarding=f"call {hour}")
    window = calendar_window(qtbot, book)
    view = window.calendar_view
    view.set_mode("month")
    index = next(n for n, d in enumerate(view.month.days) if d.day.day == 24)
    QTest.mouseClick(
        view.month,
        Qt.MouseButton.LeftButton,
        pos=view.month.cell_rect(index).topRight() + QPoint(-8, 8),
    )
    assert view.mode == "day" and view.title.text() == "Tuesday 24 November 2026"
    assert len(view.grid.placed) == 10
