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
        zone="Europe/Oslo",
        **{"now": MONDAY, **kwargs},  # type: ignore[arg-type]
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


def test_on_a_saturday_the_soonest_choice_is_the_next_working_day(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QPushButton

    saturday = datetime(2026, 11, 28, 10, 30)
    form = dialog(qtbot, now=saturday)
    titles = [b.text() for b in form.findChildren(QPushButton) if "9:00" in b.text()]
    assert titles == ["&Monday 9:00"]
    assert form.checked_value().start == datetime(2026, 11, 30, 9, 0)  # not Sunday
    form.day.text.setText("2026-11-29")
    assert "Sunday is not one of your working days." in form.summary.text()
    six_days = dialog(qtbot, now=saturday, working_days=("mon", "tue", "wed", "thu", "fri", "sun"))
    assert six_days.checked_value().start == datetime(2026, 11, 29, 9, 0)


def test_an_empty_regarding_reads_as_the_kind_and_a_bad_date_s_example_lies_ahead(
    qtbot,
) -> None:  # type: ignore[no-untyped-def]
    from db.errors import ValidationError
    from desktop.wording import titled

    assert titled("call", "") == "Call" and titled("call", "Call") == "Call"
    assert titled("call", "Send pricing") == "Call: Send pricing"
    form = dialog(qtbot)
    form.day.text.setText("someday")
    try:
        form.checked_value()
    except ValidationError as error:
        message = " ".join(error.problems.values())
    assert "try 2026-11-30, 30.11.," in message  # a week after MONDAY (2026-11-23)
