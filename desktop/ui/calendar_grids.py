"""The calendar's painted grids: a time grid (one day or a week) with an all-day strip,
and a month grid. Items can be dragged to another time or day; the grids only say
where an item was dropped, the calendar view decides what that means."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QApplication, QSizePolicy, QWidget

from db.calendar import CalendarDay, CalendarItem
from desktop.wording import titled

HOUR_HEIGHT = 44
GUTTER = 52
SNAP_MINUTES = 15
MIN_BLOCK_MINUTES = 30
KIND_COLORS = {
    "call": QColor("#1e88e5"),
    "meeting": QColor("#8e24aa"),
    "to-do": QColor("#43a047"),
    "email": QColor("#ef6c00"),
}
TODAY_FILL = QColor("#fff8e1")
NOW_LINE = QColor("#d32f2f")
GRID_LINE = QColor("#d0d4d8")
DONE_COLOR = QColor("#90a4ae")


@dataclass(frozen=True)
class Placed:
    """An item where it is drawn."""

    item: CalendarItem
    rect: QRect
    day: date


def item_color(item: CalendarItem) -> QColor:
    return DONE_COLOR if item.status != "open" else KIND_COLORS.get(item.kind, QColor("#546e7a"))


def item_label(item: CalendarItem, local: datetime | None) -> str:
    who = f" · {item.contacts}" if item.contacts else ""
    clock = f"{local:%H:%M} " if local is not None and item.timing == "timed" else ""
    repeat = "↻ " if item.recurring else ""
    return f"{repeat}{clock}{titled(item.kind, item.regarding)}{who}"


def paint_item(
    painter: QPainter, rect: QRect, item: CalendarItem, text: str, selected: bool
) -> None:
    """A rounded block in the kind's colour with white text; done items are grey and
    struck through, repeats have a dashed border, the selected one a dark outline."""
    color = item_color(item)
    done = item.status != "open"
    painter.setBrush(QColor("#eceff1") if done else color)
    border = QPen(QColor("#263238") if selected else color.darker(130), 2 if selected else 1)
    if not item.movable and item.status == "open":
        border.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(border)
    painter.drawRoundedRect(QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
    font = QFont(painter.font())
    font.setStrikeOut(done)
    painter.setFont(font)
    painter.setPen(QColor("#455a64") if done else QColor("white"))
    inner = rect.adjusted(4, 1, -3, -1)
    flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
    if rect.height() < 2 * painter.fontMetrics().height():
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        text = painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, inner.width())
    painter.drawText(inner, flags, text)
    font.setStrikeOut(False)
    painter.setFont(font)


class _DragGrid(QWidget):
    """Shared mouse handling: click selects, double-click opens, drag moves."""

    selected = Signal(object)  # CalendarItem or None
    opened = Signal(object)  # CalendarItem
    dropped = Signal(object, object)  # CalendarItem, local naive datetime (or date)
    emptyDoubleClicked = Signal(object)  # local naive datetime (or date)

    def __init__(self, zone: str, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.zone = ZoneInfo(zone)
        self.days: list[CalendarDay] = []
        self.placed: list[Placed] = []
        self.current: CalendarItem | None = None
        self.today = today
        self.now: datetime | None = None
        self._press: tuple[Placed, QPoint] | None = None
        self._drag_target: object | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def set_days(self, days: list[CalendarDay], today: date, now: datetime) -> None:
        self.days = days
        self.today = today
        self.now = now
        self.layout_items()
        self.update()

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone).replace(tzinfo=None)

    def layout_items(self) -> None:
        raise NotImplementedError

    def slot_at(self, position: QPoint) -> object | None:
        """The time (time grid) or day (strip, month) under `position`: where an item
        dragged there lands."""
        raise NotImplementedError

    def resizeEvent(self, event: object) -> None:
        self.layout_items()

    def paint_items(self, painter: QPainter, *, with_time: bool) -> None:
        for placed in self.placed:
            local = self.local(placed.item.starts_at) if with_time else None
            paint_item(
                painter,
                placed.rect,
                placed.item,
                item_label(placed.item, local),
                placed.item == self.current,
            )

    def drop_index(self) -> int | None:
        """Which shown day an item is being dragged to, if one is."""
        target = self._drag_target
        if self._press is None or not isinstance(target, date):
            return None
        day = target.date() if isinstance(target, datetime) else target
        return next((n for n, d in enumerate(self.days) if d.day == day), None)

    def item_at(self, position: QPoint) -> Placed | None:
        for placed in reversed(self.placed):
            if placed.rect.contains(position):
                return placed
        return None

    def select(self, item: CalendarItem | None) -> None:
        self.current = item
        self.selected.emit(item)
        self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        hit = self.item_at(event.position().toPoint())
        self.select(hit.item if hit else None)
        self._press = (hit, event.position().toPoint()) if hit else None
        self._drag_target = None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None or not self._press[0].item.movable:
            return
        start = self._press[1]
        distance = (event.position().toPoint() - start).manhattanLength()
        if distance >= QApplication.startDragDistance():
            self._drag_target = self.slot_at(event.position().toPoint())
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._press is not None and self._drag_target is not None:
            self.dropped.emit(self._press[0].item, self._drag_target)
        self._press = None
        self._drag_target = None
        self.update()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        hit = self.item_at(event.position().toPoint())
        if hit is not None:
            self.opened.emit(hit.item)
            return
        slot = self.slot_at(event.position().toPoint())
        if slot is not None:
            self.emptyDoubleClicked.emit(slot)


class TimeGrid(_DragGrid):
    """Hours down, days across; timed items as blocks, the current time as a red line."""

    def __init__(self, zone: str, today: date, parent: QWidget | None = None) -> None:
        super().__init__(zone, today, parent)
        self.setMinimumHeight(24 * HOUR_HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(700, 24 * HOUR_HEIGHT)

    def column_rect(self, index: int) -> QRect:
        count = max(len(self.days), 1)
        width = (self.width() - GUTTER) / count
        left = GUTTER + round(index * width)
        return QRect(left, 0, round((index + 1) * width) - round(index * width), self.height())

    def layout_items(self) -> None:
        self.placed = []
        for index, day in enumerate(self.days):
            column = self.column_rect(index)
            timed = [i for i in day.items if i.timing == "timed"]
            for item, lane, lanes, start, end in _lanes(timed, self.local):
                width = (column.width() - 6) / lanes
                top = _minutes_into(start, day.day) * HOUR_HEIGHT // 60
                bottom = min(_minutes_into(end, day.day), 24 * 60) * HOUR_HEIGHT // 60
                rect = QRect(
                    column.left() + 2 + round(lane * width),
                    top,
                    max(round(width) - 2, 12),
                    max(bottom - top, HOUR_HEIGHT // 2),
                )
                self.placed.append(Placed(item, rect, day.day))

    def slot_at(self, position: QPoint) -> datetime | None:
        for index, day in enumerate(self.days):
            if self.column_rect(index).contains(QPoint(position.x(), 1)):
                minutes = max(0, min(position.y(), 24 * HOUR_HEIGHT - 1)) * 60 // HOUR_HEIGHT
                minutes -= minutes % SNAP_MINUTES
                return datetime.combine(day.day, time()) + timedelta(minutes=minutes)
        return None

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().base())
        for index, day in enumerate(self.days):
            if day.day == self.today:
                painter.fillRect(self.column_rect(index), TODAY_FILL)
        painter.setPen(QPen(GRID_LINE))
        for hour in range(25):
            y = hour * HOUR_HEIGHT
            painter.drawLine(GUTTER, y, self.width(), y)
            if hour < 24:
                painter.setPen(self.palette().placeholderText().color())
                painter.drawText(
                    QRect(0, y, GUTTER - 6, 16),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                    f"{hour:02d}:00",
                )
                painter.setPen(QPen(GRID_LINE))
        for index in range(len(self.days)):
            x = self.column_rect(index).left()
            painter.drawLine(x, 0, x, self.height())
        self.paint_items(painter, with_time=True)
        if self.now is not None:
            now = self.local(self.now)
            for index, day in enumerate(self.days):
                if day.day == now.date():
                    y = _minutes_into(now, day.day) * HOUR_HEIGHT // 60
                    column = self.column_rect(index)
                    painter.setPen(QPen(NOW_LINE, 2))
                    painter.drawLine(column.left(), y, column.right(), y)
        index = self.drop_index()
        target = self._drag_target
        if index is not None and self._press is not None and isinstance(target, datetime):
            column = self.column_rect(index)
            top = _minutes_into(target, target.date()) * HOUR_HEIGHT // 60
            height = self._press[0].rect.height()
            ghost = QRect(column.left() + 2, top, column.width() - 6, height)
            painter.setBrush(QColor(0, 0, 0, 30))
            painter.setPen(QPen(QColor("#263238"), 1, Qt.PenStyle.DashLine))
            painter.drawRoundedRect(ghost, 3, 3)
            painter.drawText(ghost.adjusted(4, 2, 0, 0), f"{target:%H:%M}")
        painter.end()


class AllDayStrip(_DragGrid):
    """All-day and timeless items of the shown days, above the time grid."""

    ROW = 20
    MAX_ROWS = 3

    def __init__(self, zone: str, today: date, parent: QWidget | None = None) -> None:
        super().__init__(zone, today, parent)
        self.right_margin = 0
        self.overflow: dict[date, int] = {}
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def column_rect(self, index: int) -> QRect:
        count = max(len(self.days), 1)
        width = (self.width() - GUTTER - self.right_margin) / count
        left = GUTTER + round(index * width)
        return QRect(left, 0, round((index + 1) * width) - round(index * width), self.height())

    def layout_items(self) -> None:
        self.placed = []
        rows = 1
        for index, day in enumerate(self.days):
            column = self.column_rect(index)
            dated = [i for i in day.items if i.timing != "timed"]
            self.overflow[day.day] = max(len(dated) - self.MAX_ROWS, 0)
            dated = dated[: self.MAX_ROWS]
            for row, item in enumerate(dated):
                rect = QRect(
                    column.left() + 2, 22 + row * self.ROW, column.width() - 4, self.ROW - 2
                )
                self.placed.append(Placed(item, rect, day.day))
            rows = max(rows, len(dated))
        self.setFixedHeight(24 + rows * self.ROW)

    def slot_at(self, position: QPoint) -> date | None:
        for index, day in enumerate(self.days):
            if self.column_rect(index).contains(QPoint(position.x(), 1)):
                return day.day
        return None

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().window())
        for index, day in enumerate(self.days):
            column = self.column_rect(index)
            header = QRect(column.left(), 0, column.width(), 20)
            font = QFont(painter.font())
            font.setBold(day.day == self.today)
            painter.setFont(font)
            if day.day == self.today:
                painter.fillRect(header, QColor("#ffe082"))
            painter.setPen(self.palette().text().color())
            painter.drawText(header, Qt.AlignmentFlag.AlignCenter, f"{day.day:%a} {day.day.day}")
            font.setBold(False)
            painter.setFont(font)
            more = day.hidden + self.overflow.get(day.day, 0)
            if more:
                painter.setPen(self.palette().placeholderText().color())
                painter.drawText(
                    header.adjusted(0, 0, -4, 0),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    f"+{more}",
                )
        self.paint_items(painter, with_time=False)
        index = self.drop_index()
        if index is not None:
            column = self.column_rect(index)
            painter.setPen(QPen(QColor("#263238"), 1, Qt.PenStyle.DashLine))
            painter.setBrush(QColor(0, 0, 0, 30))
            painter.drawRect(column.adjusted(1, 21, -2, -1))
        painter.end()


class MonthGrid(_DragGrid):
    """Six weeks of days; each cell lists what fits and says how many more there are.
    Clicking a day's number (or its "+N more") asks for that day (`dayChosen`)."""

    LINE = 18
    dayChosen = Signal(object)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        position = event.position().toPoint()
        for index, day in enumerate(self.days[:42]):
            cell = self.cell_rect(index)
            if cell.contains(position) and position.y() < cell.top() + 18:
                self.dayChosen.emit(day.day)
                return
        super().mousePressEvent(event)

    def cell_rect(self, index: int) -> QRect:
        width = self.width() / 7
        height = (self.height() - 22) / 6
        row, column = divmod(index, 7)
        left, top = round(column * width), 22 + round(row * height)
        return QRect(
            left, top, round((column + 1) * width) - left, 22 + round((row + 1) * height) - top
        )

    def capacity(self) -> int:
        """How many items a cell can show (the rest are counted)."""
        height = (max(self.height(), 300) - 22) / 6
        return max(int((height - 20) // self.LINE), 1)

    def layout_items(self) -> None:
        self.placed = []
        room = self.capacity()
        for index, day in enumerate(self.days[:42]):
            cell = self.cell_rect(index)
            shown = day.items[: room - 1] if day.total > room else day.items[:room]
            for row, item in enumerate(shown):
                rect = QRect(
                    cell.left() + 2,
                    cell.top() + 20 + row * self.LINE,
                    cell.width() - 4,
                    self.LINE - 2,
                )
                self.placed.append(Placed(item, rect, day.day))

    def slot_at(self, position: QPoint) -> date | None:
        for index, day in enumerate(self.days[:42]):
            if self.cell_rect(index).contains(position):
                return day.day
        return None

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().base())
        month = self.days[15].day.month if len(self.days) > 15 else None
        for n, name in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")):
            width = self.width() / 7
            painter.setPen(self.palette().text().color())
            painter.drawText(
                QRect(round(n * width), 0, round(width), 20), Qt.AlignmentFlag.AlignCenter, name
            )
        room = self.capacity()
        for index, day in enumerate(self.days[:42]):
            cell = self.cell_rect(index)
            if day.day == self.today:
                painter.fillRect(cell, TODAY_FILL)
            painter.setPen(QPen(GRID_LINE))
            painter.drawRect(cell.adjusted(0, 0, -1, -1))
            font = QFont(painter.font())
            font.setBold(day.day == self.today)
            painter.setFont(font)
            outside = month is not None and day.day.month != month
            painter.setPen(
                self.palette().placeholderText().color()
                if outside
                else self.palette().text().color()
            )
            label = f"{day.day.day}" if day.day.day != 1 else f"{day.day.day} {day.day:%b}"
            painter.drawText(cell.adjusted(4, 2, -4, 0), Qt.AlignmentFlag.AlignLeft, label)
            font.setBold(False)
            painter.setFont(font)
            shown = room - 1 if day.total > room else room
            if day.total > shown:
                painter.setPen(self.palette().placeholderText().color())
                painter.drawText(
                    cell.adjusted(4, 2, -4, 0),
                    Qt.AlignmentFlag.AlignRight,
                    f"+{day.total - min(shown, len(day.items))} more",
                )
        self.paint_items(painter, with_time=True)
        index = self.drop_index()
        if index is not None:
            painter.setPen(QPen(QColor("#263238"), 2, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(self.cell_rect(index).adjusted(1, 1, -2, -2))
        painter.end()


def _lanes(
    items: list[CalendarItem], local: Callable[[datetime], datetime]
) -> list[tuple[CalendarItem, int, int, datetime, datetime]]:
    """Side-by-side lanes for overlapping items: (item, lane, lanes in its cluster,
    local start, local end). Items that overlap nobody get the full width."""
    placed: list[tuple[CalendarItem, int, int, datetime, datetime]] = []
    cluster: list[tuple[CalendarItem, int, datetime, datetime]] = []
    lane_ends: list[datetime] = []

    def close_cluster() -> None:
        placed.extend((i, lane, len(lane_ends), s, e) for i, lane, s, e in cluster)
        cluster.clear()
        lane_ends.clear()

    for item in sorted(items, key=lambda i: i.starts_at):
        start = local(item.starts_at)
        end = start + timedelta(minutes=max(item.duration_minutes, MIN_BLOCK_MINUTES))
        if lane_ends and start >= max(lane_ends):
            close_cluster()
        lane = next((n for n, free in enumerate(lane_ends) if free <= start), len(lane_ends))
        if lane == len(lane_ends):
            lane_ends.append(end)
        else:
            lane_ends[lane] = end
        cluster.append((item, lane, start, end))
    close_cluster()
    return placed


def _minutes_into(moment: datetime, day: date) -> int:
    """Minutes from the start of `day` to `moment` (both local, naive)."""
    return int((moment - datetime.combine(day, time())).total_seconds() // 60)
