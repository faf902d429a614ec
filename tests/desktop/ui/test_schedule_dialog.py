"""The schedule dialog turns what a rep picks into the draft the service stores."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from db.activities import validate
from db.activity_values import ActivityDraft
from db.recurrence import Recurrence
from desktop.ui.schedule_dialog import ScheduleDialog

MONDAY = datetime(2026, 11, 23, 10, 0)


def dialog(qtbot, **kwargs: object) -> ScheduleDialog:  # type: ignore[no-untyped-def]
    made = ScheduleDialog(
        lookup=lambda text, limit: [],
        validate=lambda draft: validate(draft) and None,
        now=MONDAY,
        zone="Europe/Oslo",
        **kwargs,  # type: ignore[arg-type]
    )
    qtbot.addWidget(made)
    return made


def test_last_friday_monthly_with_a_reminder_in_hours(qtbot) -> None:  # type: ignore[no-untyped-def]
    form = dialog(qtbot, contacts=[(uuid.uuid4(), "Maya Lund")])
    form.regarding.setText("Month-end numbers")
    form.day.text.setText("2026-11-27")  # the last Friday of November
    form.start_time.setEditText("15:00")
    form.repeat.setCurrentIndex(form.repeat.findData("monthly"))
    form.month_mode.setCurrentIndex(form.month_mode.findData(-1))
    form.ends.setCurrentIndex(1)
    form.count.setValue(6)
    form.remind.setChecked(True)
    form.alarm_amount.setValue(2)
    form.alarm_unit.setCurrentIndex(1)  # hours
    draft = form.checked_value()
    assert draft.repeat == Recurrence("monthly", month_week=-1, count=6)
    assert draft.alarm_minutes == 120
    assert draft.start == datetime(2026, 11, 27, 15, 0)
    assert draft.end == datetime(2026, 11, 27, 15, 15)  # a call lasts 15 minutes by default
    assert "Every month on the last Friday, 6 times" in form.summary.text()


def test_all_day_over_several_days_and_timeless(qtbot) -> None:  # type: ignore[no-untyped-def]
    form = dialog(qtbot)
    form.kind.setCurrentIndex(form.kind.findData("meeting"))
    form.timing.setCurrentIndex(form.timing.findData("all_day"))
    form.day.text.setText("fri")
    form.end_day.text.setText("+6")
    draft = form.checked_value()
    assert (draft.timing, draft.start, draft.end) == (
        "all_day",
        datetime(2026, 11, 27),
        datetime(2026, 11, 29),
    )
    form.timing.setCurrentIndex(form.timing.findData("timeless"))
    assert form.checked_value().timing == "timeless"
    form.end_day.text.setText("yesterday")
    form.timing.setCurrentIndex(form.timing.findData("all_day"))
    form.accept()
    assert "last day is before the first day" in form.problems_label.text()


def test_editing_loads_every_field_back(qtbot) -> None:  # type: ignore[no-untyped-def]
    from db.activities import ActivityDetails

    draft = ActivityDraft(
        kind="email",
        regarding="Send pricing",
        start=datetime(2026, 12, 1, 8, 30),
        end=datetime(2026, 12, 1, 9, 0),
        time_zone="America/New_York",
        priority="high",
        alarm_minutes=1440,
        repeat=Recurrence("weekly", weekdays=(1, 3), until=date(2027, 2, 1)),
    )
    details = ActivityDetails(uuid.uuid4(), draft, "open", datetime.now().astimezone(), True)
    form = dialog(qtbot, details=details)
    assert form.checked_value() == draft
    assert form.windowTitle() == "Edit follow-up"
    assert "America/New_York" in form.summary.text() and "here" in form.summary.text()
