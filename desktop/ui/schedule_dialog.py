"""Schedule (or edit) a follow-up: kind, regarding, contacts, when, reminder, repeat."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QStackedWidget,
    QWidget,
)

from db.activities import ActivityDetails
from db.activity_values import ActivityDraft
from db.errors import ValidationError
from db.lookup_query import LookupHit
from db.recurrence import Recurrence, month_week_of
from desktop.typed_dates import DAY_NAMES, WEEKDAYS, WORKWEEK, next_working_day
from desktop.ui.contact_picker import ContactPicker
from desktop.ui.form_dialog import FormDialog, label_for
from desktop.ui.when_fields import DayEdit, TimeEdit
from desktop.wording import KIND_TITLES

PRIORITY_TITLES = {"high": "High", "normal": "Normal", "low": "Low"}
TIMING_TITLES = {"timed": "At a time", "all_day": "All day", "timeless": "Any time that day"}
ALARM_UNITS = (("minutes", 1), ("hours", 60), ("days", 1440))
REPEAT_TITLES = {
    None: "Does not repeat",
    "daily": "Daily",
    "weekly": "Weekly",
    "monthly": "Monthly",
    "yearly": "Yearly",
}
DAY_LETTERS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
DEFAULT_MINUTES = {"call": 15, "meeting": 60, "to-do": 0, "email": 0}


def preset_start(name: str, now: datetime, working_days: Sequence[str] = WORKWEEK) -> datetime:
    """Quick choices at 9:00: "tomorrow", "3 days" and "next week" (its first working
    day), each moved on to the next working day when it falls on a day off."""
    today = now.date()
    days = {"tomorrow": 1, "3 days": 3, "next week": 7 - today.weekday()}[name]
    return datetime.combine(next_working_day(today + timedelta(days=days), working_days), time(9))


class ScheduleDialog(FormDialog):
    """Edits an ActivityDraft; `draft()` holds it, validated, after `accept()`.

    `validate` is the service's check; `now` is the local wall-clock time.
    """

    def __init__(
        self,
        *,
        lookup: Callable[[str, int], list[LookupHit]],
        validate: Callable[[ActivityDraft], None],
        now: datetime,
        zone: str,
        details: ActivityDetails | None = None,
        preset: ActivityDraft | None = None,
        contacts: list[tuple[uuid.UUID, str]] | None = None,
        working_days: Sequence[str] = WORKWEEK,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.validate = validate
        self.now = now
        self.working_days = tuple(working_days)
        self.setObjectName("scheduleDialog")
        self.setWindowTitle("Edit follow-up" if details else "Schedule follow-up")
        self._build(lookup, now.date(), zone)
        draft = details.draft if details else preset
        if draft is None:
            draft = ActivityDraft(
                start=preset_start("tomorrow", now, self.working_days), time_zone=zone
            )
        self._load(draft, details.contacts if details else tuple(contacts or ()))
        self._update_repeat_fields()
        self._update_summary()
        self.mark_clean()
        self.regarding.setFocus()
        self.resize(640, self.sizeHint().height())  # the repeat rows grow it when shown

    # Building
    def _build(self, lookup: Callable[[str, int], list[LookupHit]], today: date, zone: str) -> None:
        self.presets = QHBoxLayout()
        tomorrow = today + timedelta(days=1)
        first_day = next_working_day(tomorrow, self.working_days)
        soonest = "&Tomorrow" if first_day == tomorrow else f"&{DAY_NAMES[first_day.weekday()]}"
        for title, name in (
            (f"{soonest} 9:00", "tomorrow"),
            ("In &3 days", "3 days"),
            ("Ne&xt week", "next week"),
        ):
            button = QPushButton(title)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _c=False, n=name: self.apply_preset(n))
            self.presets.addWidget(button)
        self.presets.addStretch(1)

        self.kind = _combo(KIND_TITLES)
        self.regarding = QLineEdit()
        self.regarding.setPlaceholderText("What is it about? (e.g. Send pilot pricing)")
        self.contacts = ContactPicker(lookup)

        self.day = DayEdit(today)
        self.start_time = TimeEdit()
        self.end_time = TimeEdit()
        self.timing = _combo(TIMING_TITLES)
        self.end_day = DayEdit(today)
        self.times = QStackedWidget()
        timed = QWidget()
        timed_row = QHBoxLayout(timed)
        timed_row.setContentsMargins(0, 0, 0, 0)
        timed_row.addWidget(self.start_time)
        timed_row.addWidget(QLabel("to"))
        timed_row.addWidget(self.end_time)
        timed_row.addStretch(1)
        all_day = QWidget()
        all_day_row = QHBoxLayout(all_day)
        all_day_row.setContentsMargins(0, 0, 0, 0)
        all_day_row.addWidget(QLabel("until"))
        all_day_row.addWidget(self.end_day)
        self.times.addWidget(timed)
        self.times.addWidget(all_day)
        self.times.addWidget(QWidget())
        self.times.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        when = QHBoxLayout()
        when.addWidget(self.day, 2)
        when.addWidget(self.timing)
        when.addWidget(self.times, 3)

        self.zone = QComboBox()
        self.zone.setEditable(True)
        self.zone.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        zones = sorted(available_timezones() | {zone})
        self.zone.addItems(zones)
        self.zone.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.zone.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.local_zone = zone

        self.priority = _combo(PRIORITY_TITLES)
        self.remind = QCheckBox("Remind me")
        self.alarm_amount = QSpinBox()
        self.alarm_amount.setRange(0, 999)
        self.alarm_amount.setValue(15)
        self.alarm_unit = QComboBox()
        for title, _minutes in ALARM_UNITS:
            self.alarm_unit.addItem(title)
        reminder = QHBoxLayout()
        reminder.addWidget(self.remind)
        reminder.addWidget(self.alarm_amount)
        reminder.addWidget(self.alarm_unit)
        reminder.addWidget(QLabel("before"))
        reminder.addStretch(1)

        self.repeat = _combo(REPEAT_TITLES)
        self.interval = QSpinBox()
        self.interval.setRange(1, 999)
        self.interval.setPrefix("every ")
        self.weekdays = [QCheckBox(name) for name in DAY_LETTERS]
        self.month_mode = QComboBox()
        self.ends = QComboBox()
        self.ends.addItems(["forever", "after", "on"])
        self.count = QSpinBox()
        self.count.setRange(1, 999)
        self.count.setValue(10)
        self.count.setSuffix(" times")
        self.until = DayEdit(today)
        repeat_row = QHBoxLayout()
        repeat_row.addWidget(self.repeat)
        repeat_row.addWidget(self.interval)
        repeat_row.addWidget(self.month_mode)
        repeat_row.addStretch(1)
        self.weekday_row = QWidget()
        days_row = QHBoxLayout(self.weekday_row)
        days_row.setContentsMargins(0, 0, 0, 0)
        for box in self.weekdays:
            days_row.addWidget(box)
        days_row.addStretch(1)
        self.end_row = QWidget()
        end_row = QHBoxLayout(self.end_row)
        end_row.setContentsMargins(0, 0, 0, 0)
        end_row.addWidget(QLabel("Ends"))
        end_row.addWidget(self.ends)
        end_row.addWidget(self.count)
        end_row.addWidget(self.until)
        end_row.addStretch(1)

        self.summary = QLabel()
        self.summary.setObjectName("scheduleSummary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("color: #37474f;")

        form = QFormLayout()
        form.addRow("", self.presets)
        form.addRow("&Kind:", self.kind)
        form.addRow("&Regarding:", self.regarding)
        form.addRow("&With:", self.contacts)
        form.addRow(label_for("&Date:", self.day), when)
        form.addRow("Time &zone:", self.zone)
        form.addRow("&Priority:", self.priority)
        form.addRow(label_for("Re&minder:", self.remind), reminder)
        form.addRow(label_for("Re&peat:", self.repeat), repeat_row)
        form.addRow("", self.weekday_row)
        form.addRow("", self.end_row)
        form.addRow("", self.summary)
        self.finish_layout(form)

        for combo in (self.kind, self.timing, self.priority, self.alarm_unit, self.zone):
            combo.currentIndexChanged.connect(self._changed)
        for signal in (
            self.regarding.textEdited,
            self.day.changed,
            self.start_time.changed,
            self.end_time.changed,
            self.end_day.changed,
            self.contacts.changed,
            self.remind.toggled,
            self.alarm_amount.valueChanged,
            self.interval.valueChanged,
            self.month_mode.currentIndexChanged,
            self.count.valueChanged,
            self.until.changed,
            self.zone.editTextChanged,
        ):
            signal.connect(self._changed)
        for box in self.weekdays:
            box.toggled.connect(self._changed)
        self.repeat.currentIndexChanged.connect(self._repeat_changed)
        self.day.changed.connect(self._update_repeat_fields)
        self.interval.valueChanged.connect(self._update_interval_unit)
        self.ends.currentIndexChanged.connect(self._repeat_changed)
        self.timing.currentIndexChanged.connect(self._timing_changed)
        self.start_time.changed.connect(self._keep_length)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._length = timedelta(minutes=15)

    def _load(self, draft: ActivityDraft, contacts: tuple[tuple[uuid.UUID, str], ...]) -> None:
        _select(self.kind, draft.kind)
        self.regarding.setText(draft.regarding)
        self.contacts.set_contacts(list(contacts))
        start = draft.start or preset_start("tomorrow", self.now, self.working_days)
        self.day.set_day(start.date())
        self.start_time.set_time(start.time())
        end = draft.end or start + timedelta(minutes=DEFAULT_MINUTES.get(draft.kind, 15))
        self._length = end - start if draft.timing == "timed" else timedelta(minutes=15)
        self.end_time.set_time(end.time())
        self.end_day.set_day(end.date())
        _select(self.timing, draft.timing)
        self.times.setCurrentIndex(list(TIMING_TITLES).index(draft.timing))
        self.zone.setCurrentText(draft.time_zone)
        _select(self.priority, draft.priority)
        self.remind.setChecked(draft.alarm_minutes is not None)
        if draft.alarm_minutes is not None:
            for index, (_title, minutes) in reversed(list(enumerate(ALARM_UNITS))):
                if draft.alarm_minutes % minutes == 0:
                    self.alarm_unit.setCurrentIndex(index)
                    self.alarm_amount.setValue(draft.alarm_minutes // minutes)
                    break
        repeat = draft.repeat
        _select(self.repeat, repeat.frequency if repeat else None)
        if repeat is not None:
            self.interval.setValue(repeat.interval)
            for index, box in enumerate(self.weekdays):
                box.setChecked(index in repeat.weekdays)
            self._fill_month_modes(start.date())
            _select(self.month_mode, repeat.month_week)
            if repeat.count is not None:
                self.ends.setCurrentIndex(1)
                self.count.setValue(repeat.count)
            elif repeat.until is not None:
                self.ends.setCurrentIndex(2)
                self.until.set_day(repeat.until)
        else:
            self.until.set_day(start.date() + timedelta(days=90))

    # Reacting
    def apply_preset(self, name: str) -> None:
        start = preset_start(name, self.now, self.working_days)
        self.day.set_day(start.date())
        _select(self.timing, "timed")
        self.start_time.set_time(start.time())
        self.mark_dirty()

    def _changed(self, *_args: object) -> None:
        self.mark_dirty()
        self._update_summary()

    def _kind_changed(self) -> None:
        minutes = DEFAULT_MINUTES.get(self.kind.currentData(), 15)
        self._length = timedelta(minutes=minutes)
        self._keep_length()

    def _keep_length(self) -> None:
        """Moving the start moves the end with it, as calendars do."""
        try:
            start = datetime.combine(self.now.date(), self.start_time.time())
        except ValueError:
            return
        self.end_time.blockSignals(True)
        self.end_time.set_time((start + self._length).time())
        self.end_time.blockSignals(False)
        self._update_summary()

    def _timing_changed(self) -> None:
        self.times.setCurrentIndex(self.timing.currentIndex())
        self._update_summary()

    def _repeat_changed(self) -> None:
        self.mark_dirty()
        self._update_repeat_fields()
        self._update_summary()

    def _update_repeat_fields(self) -> None:
        frequency = self.repeat.currentData()
        self.interval.setVisible(frequency is not None)
        self.weekday_row.setVisible(frequency == "weekly")
        self.month_mode.setVisible(frequency == "monthly")
        self.end_row.setVisible(frequency is not None)
        self.count.setVisible(self.ends.currentIndex() == 1)
        self.until.setVisible(self.ends.currentIndex() == 2)
        if frequency == "monthly":
            with contextlib.suppress(ValueError):
                self._fill_month_modes(self.day.day())
        self._update_interval_unit()

    def _update_interval_unit(self) -> None:
        unit = {"daily": "day", "weekly": "week", "monthly": "month", "yearly": "year"}.get(
            self.repeat.currentData(), ""
        )
        plural = self.interval.value() != 1
        self.interval.setSuffix(f" {unit}s" if plural else f" {unit}")

    def _fill_month_modes(self, day: date) -> None:
        chosen = self.month_mode.currentData()
        self.month_mode.blockSignals(True)
        self.month_mode.clear()
        self.month_mode.addItem(f"on day {day.day}", None)
        week = month_week_of(day)
        weekday = day.strftime("%A")
        if week == -1 and (day.day - 1) // 7 + 1 == 4:
            self.month_mode.addItem(f"on the fourth {weekday}", 4)
        self.month_mode.addItem(f"on the {ORDINALS[week]} {weekday}", week)
        _select(self.month_mode, chosen)
        self.month_mode.blockSignals(False)

    def _update_summary(self) -> None:
        try:
            draft = self.current_draft()
        except ValidationError as error:
            self.summary.setText(" ".join(error.problems.values()))
            return
        assert draft.start is not None
        text = draft.start.strftime("%a %d %b %Y")
        if draft.timing == "timed":
            text += draft.start.strftime(", %H:%M")
            if draft.end and draft.end > draft.start:
                text += draft.end.strftime("–%H:%M")
        elif draft.timing == "all_day":
            text += " (all day)"
        else:
            text += " (any time)"
        if draft.time_zone != self.local_zone and draft.timing == "timed":
            try:
                here = draft.start.replace(tzinfo=ZoneInfo(draft.time_zone)).astimezone(
                    ZoneInfo(self.local_zone)
                )
                text += f" {draft.time_zone} = {here:%a %H:%M} here"
            except (ValueError, KeyError):
                pass
        if draft.repeat is not None:
            text += f"\n{draft.repeat.describe(draft.start)}"
        weekday = draft.start.weekday()
        if WEEKDAYS[weekday] not in self.working_days:
            text += f"\n{DAY_NAMES[weekday]} is not one of your working days."
        self.summary.setText(text)

    # FormDialog
    def current_draft(self) -> ActivityDraft:
        """The form as a draft; raises ValidationError for text that does not parse."""
        problems: dict[str, str] = {}
        timing = self.timing.currentData()
        start = end = None
        try:
            day = self.day.day()
        except ValueError as error:
            problems["start"] = str(error)
            day = None
        if day is not None:
            try:
                start_time = self.start_time.time() if timing == "timed" else time()
                start = datetime.combine(day, start_time)
            except ValueError as error:
                problems["start_time"] = str(error)
        if start is not None and timing == "timed":
            try:
                end = datetime.combine(day, self.end_time.time())  # type: ignore[arg-type]
            except ValueError as error:
                problems["end"] = str(error)
        elif start is not None and timing == "all_day":
            try:
                end = datetime.combine(self.end_day.day(), time())
            except ValueError as error:
                problems["end"] = str(error)
        repeat = None
        if self.repeat.currentData() is not None:
            until = None
            if self.ends.currentIndex() == 2:
                try:
                    until = self.until.day()
                except ValueError as error:
                    problems["repeat"] = str(error)
            repeat = Recurrence(
                frequency=self.repeat.currentData(),
                interval=self.interval.value(),
                weekdays=tuple(n for n, box in enumerate(self.weekdays) if box.isChecked()),
                month_week=self.month_mode.currentData(),
                count=self.count.value() if self.ends.currentIndex() == 1 else None,
                until=until,
            )
        if problems:
            raise ValidationError(problems)
        alarm = None
        if self.remind.isChecked():
            alarm = self.alarm_amount.value() * ALARM_UNITS[self.alarm_unit.currentIndex()][1]
        return ActivityDraft(
            kind=self.kind.currentData(),
            regarding=self.regarding.text(),
            start=start,
            end=end,
            timing=timing,
            time_zone=self.zone.currentText().strip(),
            priority=self.priority.currentData(),
            alarm_minutes=alarm,
            repeat=repeat,
            contact_ids=self.contacts.contact_ids(),
        )

    def checked_value(self) -> ActivityDraft:
        draft = self.current_draft()
        self.validate(draft)
        return draft

    def draft(self) -> ActivityDraft:
        value: ActivityDraft = self.value()
        return value

    def widget_for(self, key: str) -> QWidget | None:
        return {
            "kind": self.kind,
            "regarding": self.regarding,
            "start": self.day.text,
            "start_time": self.start_time,
            "end": self.end_time if self.timing.currentData() == "timed" else self.end_day.text,
            "time_zone": self.zone,
            "priority": self.priority,
            "alarm": self.alarm_amount,
            "repeat": self.repeat,
            "timing": self.timing,
        }.get(key)

    def markable_widgets(self) -> list[QWidget]:
        return [
            self.kind,
            self.regarding,
            self.day.text,
            self.start_time,
            self.end_time,
            self.end_day.text,
            self.zone,
            self.priority,
            self.alarm_amount,
            self.repeat,
            self.timing,
        ]


def _combo(titles: dict) -> QComboBox:  # type: ignore[type-arg]
    combo = QComboBox()
    for value, title in titles.items():
        combo.addItem(title, value)
    return combo


def _select(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)
