"""Reminders while the app runs: a timer armed for the next alarm (and a periodic
check, since another process may add activities), by the book's clock."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from PySide6.QtCore import QObject, QTimer, Signal

from db.activities import AlarmRow
from db.errors import CallsheetError
from desktop.contact_book import ContactBook
from desktop.wording import titled

POLL_MS = 60_000
MISSED_AFTER = timedelta(minutes=1)


class Reminders(QObject):
    """Signals:
    due(list, bool): AlarmRows whose time has come, and whether they were missed while
        the app was closed (the first check after start).
    failed(object): a CallsheetError.
    """

    due = Signal(list, bool)
    failed = Signal(object)

    def __init__(
        self,
        book: ContactBook,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.book = book
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.check)
        self._announced: set[tuple[uuid.UUID, datetime]] = set()

    def start(self) -> None:
        """Show what was missed while the app was closed, then wait for the next one."""
        self._check(missed=True)

    def check(self) -> None:
        """Announce alarms that have come due since the last check."""
        self._check(missed=False)

    def rearm(self) -> None:
        """After a snooze or dismiss: wait for whatever is next now."""
        self._arm()

    def snooze(self, activity_ids: list[uuid.UUID], minutes: int) -> None:
        try:
            self.book.snooze(activity_ids, self.book.clock.now() + timedelta(minutes=minutes))
        except CallsheetError as error:
            self.failed.emit(error)
        self._arm()

    def dismiss(self, activity_ids: list[uuid.UUID]) -> None:
        try:
            self.book.dismiss(activity_ids)
        except CallsheetError as error:
            self.failed.emit(error)
        self._arm()

    def _check(self, *, missed: bool) -> None:
        try:
            alarms = self.book.due_alarms(self.book.clock.now())
        except CallsheetError as error:
            self.failed.emit(error)
            alarms = []
        fresh = [a for a in alarms if (a.activity_id, a.alarm_at) not in self._announced]
        self._announced.update((a.activity_id, a.alarm_at) for a in fresh)
        # At start, what came due more than a minute ago was missed while closed.
        cutoff = self.book.clock.now() - MISSED_AFTER if missed else None
        late = [a for a in fresh if cutoff is not None and a.alarm_at < cutoff]
        on_time = [a for a in fresh if a not in late]
        if late:
            self.due.emit(late, True)
        if on_time:
            self.due.emit(on_time, False)
        self._arm()

    def _arm(self) -> None:
        try:
            upcoming = self.book.next_alarm_at()
        except CallsheetError:
            upcoming = None
        delay = POLL_MS
        if upcoming is not None:
            until = (upcoming - self.book.clock.now()).total_seconds() * 1000
            if until > 0:
                delay = min(int(until) + 50, POLL_MS)
        self.timer.start(delay)


def describe(alarm: AlarmRow, now: datetime) -> str:
    """ "Call: Send pricing with Maya Lund, in 15 minutes"."""
    text = titled(alarm.kind, alarm.regarding)
    if alarm.contacts:
        text += f" with {alarm.contacts}"
    minutes = round((alarm.starts_at - now).total_seconds() / 60)
    if alarm.timing != "timed":
        when = "today" if minutes > -1440 else "overdue"
    elif minutes > 0:
        when = f"in {minutes} minute{'s' if minutes != 1 else ''}"
    elif minutes == 0:
        when = "now"
    else:
        when = f"{-minutes} minute{'s' if minutes != -1 else ''} ago"
        if minutes <= -120:
            when = f"{-minutes // 60} hours ago"
    return f"{text}, {when}"
