"""The in-app reminder: one due alarm at a time with Open, Snooze and Dismiss, and how
many more are waiting."""

from __future__ import annotations

import uuid
from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QStyle,
    QWidget,
)

from db.activities import AlarmRow
from desktop.ui.reminders import describe

SNOOZES = (("5 minutes", 5), ("15 minutes", 15), ("1 hour", 60), ("Tomorrow", 24 * 60))


class ReminderBanner(QFrame):
    """Signals: openRequested(contact id or None, activity id); snoozed(list of activity
    ids, minutes); dismissed(list of activity ids)."""

    openRequested = Signal(object, object)
    snoozed = Signal(list, int)
    dismissed = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reminderBanner")
        self.setStyleSheet(
            "QFrame#reminderBanner { background: #fff8e1; border: 1px solid #ffca28;"
            " border-radius: 4px; } QLabel { color: #3e2723; }"
        )
        self.alarms: list[AlarmRow] = []
        self.missed = False
        self.title = QLabel()
        self.title.setObjectName("reminderTitle")
        self.title.setStyleSheet("font-weight: 600;")
        self.text = QLabel()
        self.text.setObjectName("reminderText")
        self.text.setWordWrap(True)
        self.open_button = QPushButton("Open")
        self.open_button.clicked.connect(self.open_current)
        self.snooze_button = QPushButton("Snooze")
        menu = QMenu(self.snooze_button)
        for title, minutes in SNOOZES:
            menu.addAction(title, lambda m=minutes: self.snooze(m))
        self.snooze_button.setMenu(menu)
        self.dismiss_button = QPushButton("Dismiss")
        self.dismiss_button.clicked.connect(self.dismiss)
        self.dismiss_all_button = QPushButton("Dismiss all")
        self.dismiss_all_button.clicked.connect(self.dismiss_all)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        bell = QLabel()
        icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
        bell.setPixmap(icon.pixmap(20, 20))
        layout.addWidget(bell)
        layout.addWidget(self.title)
        layout.addWidget(self.text, 1)
        for button in (
            self.open_button,
            self.snooze_button,
            self.dismiss_button,
            self.dismiss_all_button,
        ):
            layout.addWidget(button)
        self.hide()

    def add(self, alarms: list[AlarmRow], missed: bool, now: datetime) -> None:
        """Queue more alarms and show the first."""
        known = {a.activity_id for a in self.alarms}
        self.alarms += [a for a in alarms if a.activity_id not in known]
        self.missed = self.missed or missed
        self.now = now
        self._show_first()

    def current(self) -> AlarmRow | None:
        return self.alarms[0] if self.alarms else None

    def snooze(self, minutes: int) -> None:
        alarm = self.current()
        if alarm is not None:
            self.alarms.pop(0)
            self.snoozed.emit([alarm.activity_id], minutes)
            self._show_first()

    def dismiss(self) -> None:
        alarm = self.current()
        if alarm is not None:
            self.alarms.pop(0)
            self.dismissed.emit([alarm.activity_id])
            self._show_first()

    def dismiss_all(self) -> None:
        ids: list[uuid.UUID] = [a.activity_id for a in self.alarms]
        self.alarms = []
        if ids:
            self.dismissed.emit(ids)
        self._show_first()

    def open_current(self) -> None:
        alarm = self.current()
        if alarm is not None:
            self.openRequested.emit(alarm.first_contact_id, alarm.activity_id)

    def _show_first(self) -> None:
        alarm = self.current()
        if alarm is None:
            self.missed = False
            self.hide()
            return
        waiting = len(self.alarms)
        if self.missed:
            self.title.setText(
                f"Missed while Callsheet was closed ({waiting}):"
                if waiting > 1
                else "Missed while Callsheet was closed:"
            )
        else:
            self.title.setText("Reminder:" if waiting == 1 else f"Reminder (1 of {waiting}):")
        self.text.setText(describe(alarm, self.now))
        self.open_button.setEnabled(alarm.first_contact_id is not None)
        self.dismiss_all_button.setVisible(waiting > 1)
        self.show()
