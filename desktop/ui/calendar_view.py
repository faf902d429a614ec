"""The calendar: day, week and month views of follow-ups. Drag an item to move it, or
select it and use Ctrl+arrows; double-click an empty slot to schedule there."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from db.calendar import CalendarItem
from db.errors import CallsheetError
from desktop.contact_book import ContactBook
from desktop.ui.calendar_grids import HOUR_HEIGHT, SNAP_MINUTES, AllDayStrip, MonthGrid, TimeGrid

MODES = ("day", "week", "month")
WEEK_PER_DAY = 60


class CalendarView(QWidget):
    """Signals: rescheduleRequested(activity id, new start in UTC), editRequested(activity
    id), scheduleAtRequested(local naive datetime), failed(error)."""

    rescheduleRequested = Signal(object, object)
    editRequested = Signal(object)
    scheduleAtRequested = Signal(object)
    failed = Signal(object)
    counted = Signal(int)

    def __init__(
        self,
        book: ContactBook,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("calendarView")
        self.book = book
        now = book.clock.moment()
        self.zone = now.zone
        self.mode = "week"
        self.anchor = now.today
        self.title = QLabel()
        self.title.setObjectName("calendarTitle")
        self.title.setStyleSheet("font-size: 13pt; font-weight: 600;")
        today = QPushButton("Today")
        today.setToolTip("Go to today (Home)")
        today.clicked.connect(self.go_today)
        back = QPushButton("◀")
        back.setToolTip("Earlier (Page Up)")
        back.clicked.connect(lambda: self.step(-1))
        forward = QPushButton("▶")
        forward.setToolTip("Later (Page Down)")
        forward.clicked.connect(lambda: self.step(1))
        self.mode_buttons = QButtonGroup(self)
        bar = QHBoxLayout()
        for widget in (today, back, forward):
            bar.addWidget(widget)
        bar.addSpacing(12)
        bar.addWidget(self.title, 1)
        for n, mode in enumerate(MODES):
            button = QPushButton(mode.capitalize())
            button.setCheckable(True)
            button.setToolTip(f"{mode.capitalize()} view ({mode[0].upper()})")
            self.mode_buttons.addButton(button, n)
            bar.addWidget(button)
        self.mode_buttons.idClicked.connect(lambda n: self.set_mode(MODES[n]))

        self.strip = AllDayStrip(self.zone, now.today)
        self.grid = TimeGrid(self.zone, now.today)
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.grid)
        self.scroll.setWidgetResizable(True)
        self.scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.strip.right_margin = self.scroll.verticalScrollBar().sizeHint().width()
        week_page = QWidget()
        week_layout = QVBoxLayout(week_page)
        week_layout.setContentsMargins(0, 0, 0, 0)
        week_layout.setSpacing(0)
        week_layout.addWidget(self.strip)
        week_layout.addWidget(self.scroll, 1)
        self.month = MonthGrid(self.zone, now.today)
        self.month.dayChosen.connect(self.show_day)
        self.month.setToolTip("Click a day's number to see the whole day")
        self.pages = QStackedWidget()
        self.pages.addWidget(week_page)
        self.pages.addWidget(self.month)
        self.hint = QLabel(
            "Drag to move · arrows select · Ctrl+arrows move the selected item · Enter edits · "
            "double-click an empty slot to schedule"
        )
        self.hint.setStyleSheet("color: #546e7a;")
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.hint)

        self.selected: CalendarItem | None = None
        for grid in (self.strip, self.grid, self.month):
            grid.selected.connect(self._selected)
            grid.opened.connect(lambda item: self.editRequested.emit(item.activity_id))
            grid.dropped.connect(self._dropped)
            grid.emptyDoubleClicked.connect(self._empty_double_clicked)
        self._add_keys()
        self.mode_buttons.button(MODES.index(self.mode)).setChecked(True)

    def _add_keys(self) -> None:
        keys: list[tuple[str, Callable[[], None]]] = [
            ("Home", self.go_today),
            ("PgUp", lambda: self.step(-1)),
            ("PgDown", lambda: self.step(1)),
            ("D", lambda: self.set_mode("day")),
            ("W", lambda: self.set_mode("week")),
            ("M", lambda: self.set_mode("month")),
            ("Ctrl+Left", lambda: self.move_selected(days=-1)),
            ("Ctrl+Right", lambda: self.move_selected(days=1)),
            ("Ctrl+Up", lambda: self.move_selected(up=True)),
            ("Ctrl+Down", lambda: self.move_selected(up=False)),
            ("Return", self._edit_selected),
            ("Right", lambda: self._cycle(1)),
            ("Left", lambda: self._cycle(-1)),
        ]
        for sequence, slot in keys:
            action = QAction(self)
            action.setShortcut(QKeySequence(sequence))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)

    # Navigating
    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.mode_buttons.button(MODES.index(mode)).setChecked(True)
        self.reload()

    def show_day(self, day: date) -> None:
        """The day view of `day` (from the month view)."""
        self.anchor = day
        self.set_mode("day")
        self.scroll_to_working_hours()

    def go_today(self) -> None:
        self.anchor = self.book.clock.today()
        self.reload()
        self.scroll_to_working_hours()

    def step(self, direction: int) -> None:
        if self.mode == "day":
            self.anchor += timedelta(days=direction)
        elif self.mode == "week":
            self.anchor += timedelta(days=7 * direction)
        else:
            month = self.anchor.month - 1 + direction
            self.anchor = date(self.anchor.year + month // 12, month % 12 + 1, 1)
        self.reload()

    def shown_range(self) -> tuple[date, int]:
        """The first day shown and how many days."""
        if self.mode == "day":
            return self.anchor, 1
        if self.mode == "week":
            return self.anchor - timedelta(days=self.anchor.weekday()), 7
        first = self.anchor.replace(day=1)
        return first - timedelta(days=first.weekday()), 42

    def reload(self) -> None:
        """Read the shown days again."""
        now = self.book.clock.moment()
        self.zone = now.zone
        for grid in (self.strip, self.grid, self.month):
            grid.zone = ZoneInfo(now.zone)
        first, count = self.shown_range()
        self.pages.setCurrentWidget(self.month if self.mode == "month" else self.pages.widget(0))
        per_day = self.month.capacity() if self.mode == "month" else WEEK_PER_DAY
        try:
            days = self.book.calendar_days(first, count, now, per_day)
        except CallsheetError as error:
            self.failed.emit(error)
            return
        if self.mode == "month":
            self.month.set_days(days, now.today, now.now)
        else:
            self.strip.set_days(days, now.today, now.now)
            self.grid.set_days(days, now.today, now.now)
        self.title.setText(self._title(first, count))
        total = sum(day.total for day in days)
        self.counted.emit(total)
        if self.selected is not None:
            self.selected = self._find(self.selected.activity_id)
            for grid in (self.strip, self.grid, self.month):
                grid.current = self.selected

    def scroll_to_working_hours(self) -> None:
        self.scroll.verticalScrollBar().setValue(7 * HOUR_HEIGHT + HOUR_HEIGHT // 2)

    def _title(self, first: date, count: int) -> str:
        if self.mode == "day":
            return f"{first:%A} {first.day} {first:%B %Y}"
        if self.mode == "week":
            last = first + timedelta(days=6)
            start = f"{first.day} {first:%b}" if first.year == last.year else f"{first:%d %b %Y}"
            return f"{start} – {last.day} {last:%b %Y}"
        return f"{self.anchor:%B %Y}"

    # Acting on items
    def move_selected(self, *, days: int = 0, up: bool | None = None) -> None:
        """Keyboard rescheduling: a day either way, or a quarter hour (a week in the
        month view) up or down."""
        item = self.selected
        if item is None or not item.movable:
            return
        if up is not None:
            if self.mode == "month" or item.timing != "timed":
                days = -7 if up else 7
            else:
                minutes = -SNAP_MINUTES if up else SNAP_MINUTES
                self.rescheduleRequested.emit(
                    item.activity_id, item.starts_at + timedelta(minutes=minutes)
                )
                return
        self.rescheduleRequested.emit(item.activity_id, self._moved_by_days(item, days))

    def _dropped(self, item: CalendarItem, target: object) -> None:
        if isinstance(target, datetime):
            starts = target.replace(tzinfo=ZoneInfo(self.zone)).astimezone(UTC)
        elif isinstance(target, date):
            local_day = item.starts_at.astimezone(ZoneInfo(self.zone)).date()
            starts = self._moved_by_days(item, (target - local_day).days)
        else:
            return
        if starts != item.starts_at:
            self.rescheduleRequested.emit(item.activity_id, starts)

    def _moved_by_days(self, item: CalendarItem, days: int) -> datetime:
        if item.timing != "timed":
            return item.starts_at + timedelta(days=days)
        zone = ZoneInfo(self.zone)
        local = item.starts_at.astimezone(zone).replace(tzinfo=None) + timedelta(days=days)
        return local.replace(tzinfo=zone).astimezone(UTC)

    def _selected(self, item: CalendarItem | None) -> None:
        self.selected = item
        for grid in (self.strip, self.grid, self.month):
            if grid.current != item:
                grid.current = item
                grid.update()

    def select_activity(self, activity_id: uuid.UUID) -> bool:
        """Select the shown occurrence of an activity (its current one)."""
        found = self._find(activity_id)
        self._selected(found)
        return found is not None

    def _find(self, activity_id: uuid.UUID) -> CalendarItem | None:
        grid = self.month if self.mode == "month" else None
        placed = grid.placed if grid else self.grid.placed + self.strip.placed
        for spot in placed:
            if spot.item.activity_id == activity_id and spot.item.movable:
                return spot.item
        return None

    def _cycle(self, step: int) -> None:
        grid = self.month if self.mode == "month" else None
        placed = grid.placed if grid else self.strip.placed + self.grid.placed
        items = sorted((p.item for p in placed), key=lambda i: i.starts_at)
        if not items:
            return
        index = items.index(self.selected) if self.selected in items else -step
        self._selected(items[(index + step) % len(items)])

    def _edit_selected(self) -> None:
        if self.selected is not None:
            self.editRequested.emit(self.selected.activity_id)

    def _empty_double_clicked(self, slot: object) -> None:
        if isinstance(slot, datetime):
            self.scheduleAtRequested.emit(slot)
        elif isinstance(slot, date):
            self.scheduleAtRequested.emit(datetime(slot.year, slot.month, slot.day, 9))
