"""The task list model: one bucket of activities (or what was done), fetched in pages
as the view scrolls, overdue rows in red."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from db.clock import Moment
from db.tasks import Bucket, TaskQuery, TaskRow, TaskSort
from desktop.contact_book import ContactBook
from desktop.wording import KIND_TITLES, titled

PAGE_SIZE = 300
OVERDUE_COLOR = QColor("#c62828")
DONE_COLOR = QColor("#546e7a")
COLUMNS = ("Due", "Kind", "Regarding", "With", "Priority")
DONE_COLUMNS = ("Cleared", "Kind", "Regarding", "With", "Outcome")
SORTS = (TaskSort.DUE, TaskSort.KIND, TaskSort.REGARDING, None, TaskSort.PRIORITY)
DUE, KIND, REGARDING, WITH, PRIORITY = range(len(COLUMNS))

_Index = QModelIndex | QPersistentModelIndex


def describe_due(due: datetime, timing: str, now: Moment) -> str:
    """ "Today 09:00", "Tomorrow", "Thu 26 Nov 14:30", "Fri 3 Dec 2027 (all day)"."""
    local = due.astimezone(ZoneInfo(now.zone))
    today = now.today
    names = {
        today: "Today",
        today + timedelta(days=1): "Tomorrow",
        today - timedelta(days=1): "Yesterday",
    }
    text = names.get(local.date()) or _day_text(local.date(), today)
    if timing == "timed":
        return f"{text} {local:%H:%M}"
    return f"{text} (all day)" if timing == "all_day" else text


def _day_text(day: date, today: date) -> str:
    text = f"{day:%a} {day.day} {day:%b}"
    return text if day.year == today.year else f"{text} {day.year}"


class TaskListModel(QAbstractTableModel):
    """Rows of `query` as of `moment` (the book's clock read at the last refresh);
    `fetchMore` reads the next page."""

    def __init__(self, book: ContactBook, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.query = TaskQuery()
        self.moment = book.clock.moment()
        self.rows: list[TaskRow] = []
        self.total = 0
        self._resetting = False
        self._read = False  # nothing read yet: a sort only sets the query

    # Qt model
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (DONE_COLUMNS if self.showing_done else COLUMNS)[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.overdue:
                return OVERDUE_COLOR
            return DONE_COLOR if self.showing_done else None
        if role == Qt.ItemDataRole.FontRole and row.overdue and column == DUE:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = titled(row.kind, row.regarding)
            if row.contacts:
                tip += f"\nWith {row.contacts}"
            if row.recurring:
                tip += "\nRepeats"
            if row.overdue:
                tip += "\nOverdue"
            return tip
        if role == Qt.ItemDataRole.AccessibleTextRole and column == DUE and row.overdue:
            return f"Overdue: {self._text(row, column)}"
        return None

    def canFetchMore(self, parent: _Index) -> bool:
        # Not while the reset is being announced: rows inserted from a modelReset
        # handler would arrive inside the reset (Qt's model tester catches this).
        return not parent.isValid() and not self._resetting and len(self.rows) < self.total

    def fetchMore(self, parent: _Index) -> None:
        if not self.canFetchMore(parent):
            return
        more = self.book.tasks(self.query, self.moment, len(self.rows), PAGE_SIZE)
        if not more:
            self.total = len(self.rows)
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
        self.rows.extend(more)
        self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        sort = SORTS[column] if 0 <= column < len(SORTS) else None
        if sort is None:
            return
        query = replace(self.query, sort=sort, descending=order == Qt.SortOrder.DescendingOrder)
        if self._read:
            self.set_query(query)
        else:  # the view being built sorts: its first look reads the rows
            self.query = query

    # Ours
    @property
    def showing_done(self) -> bool:
        return self.query.bucket is Bucket.DONE

    def set_query(self, query: TaskQuery) -> None:
        self.query = query
        self.refresh()

    def refresh(self) -> None:
        """Read the first page again (with a fresh "now")."""
        self._resetting = True
        self._read = True
        try:
            self.beginResetModel()
            self.moment = self.book.clock.moment()
            self.total = self.book.task_count(self.query, self.moment)
            self.rows = self.book.tasks(self.query, self.moment, 0, PAGE_SIZE)
            self.endResetModel()
        finally:
            self._resetting = False
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)

    def row(self, number: int) -> TaskRow | None:
        return self.rows[number] if 0 <= number < len(self.rows) else None

    def row_of(self, activity_id: uuid.UUID) -> int | None:
        for number, row in enumerate(self.rows):
            if row.activity_id == activity_id:
                return number
        return None

    def _text(self, row: TaskRow, column: int) -> str:
        if column == DUE:
            text = describe_due(row.due, row.timing, self.moment)
            return f"↻ {text}" if row.recurring else text
        if column == KIND:
            return KIND_TITLES.get(row.kind, row.kind.capitalize())
        if column == REGARDING:
            return row.regarding
        if column == WITH:
            return row.contacts
        if self.showing_done:
            return (row.outcome or "").capitalize()
        return row.priority.capitalize()
