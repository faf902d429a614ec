"""Log what happened: clear a scheduled activity, or record a call, meeting or email
that was never scheduled (Ctrl+H). Either can offer to schedule the next step."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from db.activities import ActivityDetails
from db.activity_values import OUTCOMES, ActivityDraft
from db.errors import ValidationError
from db.history import HistoryDetails
from db.lookup_query import LookupHit
from desktop.typed_dates import parse_duration
from desktop.ui.contact_picker import ContactPicker
from desktop.ui.form_dialog import FormDialog, label_for
from desktop.ui.when_fields import DayEdit, TimeEdit
from desktop.wording import HISTORY_KIND_TITLES, KIND_TITLES

FOLLOW_UPS = {"tomorrow": "tomorrow 9:00", "3 days": "in 3 days", "next week": "next week"}


@dataclass(frozen=True)
class LogEntry:
    """What the dialog collected; `occurred_at` is naive local time."""

    kind: str
    regarding: str
    contact_ids: tuple[uuid.UUID, ...]
    occurred_at: datetime
    duration_minutes: int
    outcome: str
    notes: str
    follow_up: str | None  # a preset name for schedule_dialog.preset_start, or None


class LogDialog(FormDialog):
    """Clears `activity` when given one, edits `entry` when given one, else records
    history with `contacts`."""

    def __init__(
        self,
        *,
        lookup: Callable[[str, int], list[LookupHit]],
        now: datetime,
        activity: ActivityDetails | None = None,
        contacts: list[tuple[uuid.UUID, str]] | None = None,
        entry: HistoryDetails | None = None,
        zone: str = "UTC",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.now = now
        self.activity = activity
        self.setObjectName("clearDialog" if activity else "historyDialog")
        title = "Clear activity" if activity else "Record history"
        self.setWindowTitle("Edit history entry" if entry else title)
        self.kind = QComboBox()
        for value, title in HISTORY_KIND_TITLES.items():
            self.kind.addItem(title, value)
        self.regarding = QLineEdit()
        self.regarding.setPlaceholderText("What was it about?")
        self.contacts = ContactPicker(lookup)
        self.outcome = QComboBox()
        for outcome in OUTCOMES:
            self.outcome.addItem(outcome.capitalize(), outcome)
        self.day = DayEdit(now.date())
        self.day.set_day(now.date())
        self.time = TimeEdit()
        self.time.set_time(now.time())
        self.duration = QLineEdit()
        self.duration.setPlaceholderText("e.g. 15 or 1h")
        self.duration.setToolTip("How long it took: 15, 45 min, 1h, 1:30")
        self.duration.setMaximumWidth(160)
        when = QHBoxLayout()
        when.addWidget(self.day, 2)
        when.addWidget(self.time, 1)
        when.addWidget(QLabel("lasting"))
        when.addWidget(self.duration, 1)
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText("What was said, what you promised")
        self.notes.setTabChangesFocus(True)
        self.follow_up = QCheckBox("Schedule the next follow-up")
        self.follow_up_when = QComboBox()
        for name, title in FOLLOW_UPS.items():
            self.follow_up_when.addItem(title, name)
        self.follow_up_when.setCurrentIndex(1)
        follow = QHBoxLayout()
        follow.addWidget(self.follow_up)
        follow.addWidget(self.follow_up_when)
        follow.addStretch(1)

        form = QFormLayout()
        if activity is not None:
            header = QLabel(_describe(activity))
            header.setObjectName("clearedActivity")
            header.setWordWrap(True)
            header.setStyleSheet("font-weight: 600;")
            form.addRow(header)
        else:
            form.addRow("&Kind:", self.kind)
            form.addRow("&Regarding:", self.regarding)
            form.addRow("&With:", self.contacts)
        form.addRow("&Outcome:", self.outcome)
        form.addRow(label_for("W&hen:", self.day), when)
        form.addRow("&Notes:", self.notes)
        form.addRow("", follow)
        self.finish_layout(form)

        if activity is not None:
            draft = activity.draft
            self.kind.setCurrentIndex(max(self.kind.findData(draft.kind), 0))
            self.regarding.setText(draft.regarding)
            self.contacts.set_contacts(list(activity.contacts))
            minutes = _minutes(draft) if draft.timing == "timed" else 0
            self.duration.setText(f"{minutes} min" if minutes else "")
            self.follow_up.setChecked(not activity.recurring)
        elif entry is not None:
            self._fill(entry, zone)
        else:
            self.contacts.set_contacts(contacts or [])
            self.follow_up.setChecked(False)
        self.follow_up.toggled.connect(self.follow_up_when.setEnabled)
        self.follow_up_when.setEnabled(self.follow_up.isChecked())
        for signal in (
            self.regarding.textEdited,
            self.duration.textEdited,
            self.notes.textChanged,
            self.contacts.changed,
            self.day.changed,
        ):
            signal.connect(self.mark_dirty)
        self.mark_clean()
        (self.notes if activity else self.regarding).setFocus()
        self.resize(560, 440)

    def _fill(self, entry: HistoryDetails, zone: str) -> None:
        """Show an entry's values to change; no next step is offered for the past."""
        draft = entry.draft
        self.kind.setCurrentIndex(max(self.kind.findData(draft.kind), 0))
        self.regarding.setText(draft.regarding)
        self.contacts.set_contacts(list(entry.contacts))
        self.outcome.setCurrentIndex(max(self.outcome.findData(draft.outcome), 0))
        local = draft.occurred_at.astimezone(ZoneInfo(zone))
        self.day.set_day(local.date())
        self.time.set_time(local.time())
        minutes = draft.duration_minutes
        self.duration.setText(f"{minutes} min" if minutes else "")
        self.notes.setPlainText(draft.notes or "")
        self.follow_up.setChecked(False)
        self.follow_up.hide()
        self.follow_up_when.hide()

    def set_call(self, started: datetime, minutes: int) -> None:
        """Fill in a call just made: a call, when it started, how long it took."""
        self.kind.setCurrentIndex(max(self.kind.findData("call"), 0))
        self.day.set_day(started.date())
        self.time.set_time(started.time())
        self.duration.setText(f"{minutes} min")
        self.follow_up.setChecked(True)
        self.setWindowTitle("How did the call go?")
        self.notes.setFocus()

    def current_entry(self) -> LogEntry:
        problems: dict[str, str] = {}
        occurred_at = self.now
        try:
            occurred_at = datetime.combine(self.day.day(), self.time.time())
        except ValueError as error:
            problems["when"] = str(error)
        try:
            duration = parse_duration(self.duration.text())
        except ValueError as error:
            problems["duration"] = str(error)
            duration = 0
        if occurred_at > self.now + timedelta(minutes=5):
            problems["when"] = "History is what already happened: the time is in the future."
        if self.activity is None and not self.contacts.contact_ids():
            problems["contacts"] = "Choose at least one contact."
        if problems:
            raise ValidationError(problems)
        return LogEntry(
            kind=self.kind.currentData(),
            regarding=self.regarding.text().strip(),
            contact_ids=self.contacts.contact_ids(),
            occurred_at=occurred_at,
            duration_minutes=duration,
            outcome=self.outcome.currentData(),
            notes=self.notes.toPlainText(),
            follow_up=self.follow_up_when.currentData() if self.follow_up.isChecked() else None,
        )

    def checked_value(self) -> LogEntry:
        return self.current_entry()

    def entry(self) -> LogEntry:
        value: LogEntry = self.value()
        return value

    def widget_for(self, key: str) -> QWidget | None:
        return {
            "when": self.day.text,
            "duration": self.duration,
            "contacts": self.contacts.search,
            "regarding": self.regarding,
            "outcome": self.outcome,
            "kind": self.kind,
        }.get(key)

    def markable_widgets(self) -> list[QWidget]:
        return [self.day.text, self.duration, self.contacts.search, self.regarding]


def _minutes(draft: ActivityDraft) -> int:
    if draft.start is None or draft.end is None:
        return 0
    return int((draft.end - draft.start).total_seconds() // 60)


def _describe(activity: ActivityDetails) -> str:
    draft = activity.draft
    kind = KIND_TITLES.get(draft.kind, draft.kind)
    with_whom = f" with {activity.contact_names}" if activity.contacts else ""
    repeat = " (repeats: the next one stays scheduled)" if activity.recurring else ""
    return f"{kind}: {draft.regarding}{with_whom}{repeat}"
