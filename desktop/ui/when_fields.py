"""Editors for a day and a time of day that accept what people type ("tomorrow",
"fri", "+3", "2pm") with a calendar popup and a list of quarter hours."""

from __future__ import annotations

from datetime import date, time

from PySide6.QtCore import QDate, QLocale, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from desktop.typed_dates import TIME_HINT, date_hint, parse_day, parse_time


def day_first() -> bool:
    """Whether the user's locale writes the day before the month (25.11. vs 11/25)."""
    pattern = QLocale().dateFormat(QLocale.FormatType.ShortFormat).lower()
    return pattern.find("d") < pattern.find("m")


class DayEdit(QWidget):
    """A date typed as text, or picked from a calendar."""

    changed = Signal()

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today = today
        self.text = QLineEdit()
        self.text.setPlaceholderText("tomorrow, fri, +3, 25.11.")
        self.text.setToolTip(date_hint(today).capitalize())
        self.text.textChanged.connect(self.changed)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        self.calendar.clicked.connect(self._picked)
        menu = QMenu(self)
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(self.calendar)
        menu.addAction(holder)
        self.menu = menu
        button = QToolButton()
        button.setText("▾")
        button.setToolTip("Pick from a calendar")
        button.setMenu(menu)
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        button.setStyleSheet("QToolButton::menu-indicator { image: none; width: 0; }")
        menu.aboutToShow.connect(self._sync_calendar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.text, 1)
        layout.addWidget(button)
        self.setFocusProxy(self.text)

    def set_day(self, day: date) -> None:
        self.text.setText(day.isoformat())

    def day(self) -> date:
        """The date typed; raises ValueError saying what would work."""
        return parse_day(self.text.text(), self.today, day_first=day_first())

    def _sync_calendar(self) -> None:
        try:
            chosen = self.day()
        except ValueError:
            chosen = self.today
        self.calendar.setSelectedDate(QDate(chosen.year, chosen.month, chosen.day))

    def _picked(self, qdate: QDate) -> None:
        self.set_day(date(qdate.year(), qdate.month(), qdate.day()))
        self.menu.hide()


class TimeEdit(QComboBox):
    """A time of day typed as text, or picked from the quarter hours."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(12)
        for hour in range(24):
            for minute in (0, 15, 30, 45):
                self.addItem(f"{hour:02d}:{minute:02d}")
        self.lineEdit().setPlaceholderText("9:30")
        self.setToolTip(TIME_HINT.capitalize())
        self.setMinimumContentsLength(6)
        self.currentTextChanged.connect(lambda _text: self.changed.emit())

    def set_time(self, value: time) -> None:
        self.setEditText(f"{value.hour:02d}:{value.minute:02d}")

    def time(self) -> time:
        """The time typed; raises ValueError saying what would work."""
        return parse_time(self.currentText())
