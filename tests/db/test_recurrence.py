"""Repeat rules: RRULE round trips and expansion across DST, month ends and "last Friday"."""

from __future__ import annotations

from datetime import UTC, date, datetime
from itertools import islice
from zoneinfo import ZoneInfo

import pytest

from db.recurrence import (
    Recurrence,
    RecurrenceError,
    between,
    first_occurrence,
    month_week_of,
    next_occurrence,
    occurrences,
)

OSLO = ZoneInfo("Europe/Oslo")
NEW_YORK = ZoneInfo("America/New_York")


def local(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.astimezone(zone).replace(tzinfo=None)


def test_weekly_call_keeps_its_wall_clock_time_across_the_spring_change() -> None:
    # Europe moves its clocks on Sunday 29 March 2026; the Monday call stays at 09:00.
    start = datetime(2026, 3, 16, 9, 0, tzinfo=OSLO)
    rule = Recurrence("weekly", weekdays=(0,)).to_rrule(start)
    moments = list(islice(occurrences(rule, start, "Europe/Oslo"), 4))
    assert [local(m, OSLO) for m in moments] == [
        datetime(2026, 3, 16, 9, 0),
        datetime(2026, 3, 23, 9, 0),
        datetime(2026, 3, 30, 9, 0),
        datetime(2026, 4, 6, 9, 0),
    ]
    # ...so in UTC it moves an hour earlier after the change.
    assert [m.hour for m in moments] == [8, 8, 7, 7]
    assert all(m.tzinfo is UTC for m in moments)


def test_daily_series_through_the_autumn_change_in_new_york() -> None:
    start = datetime(2026, 10, 30, 17, 30, tzinfo=NEW_YORK)
    rule = Recurrence("daily", count=4).to_rrule(start)
    moments = list(occurrences(rule, start, "America/New_York"))
    assert [local(m, NEW_YORK).time().hour for m in moments] == [17, 17, 17, 17]
    assert [m.hour for m in moments] == [21, 21, 22, 22]  # EDT until 1 Nov 02:00, then EST


def test_an_occurrence_in_the_skipped_spring_hour_moves_forward() -> None:
    start = datetime(2026, 3, 27, 2, 30, tzinfo=OSLO)
    rule = Recurrence("daily", count=3).to_rrule(start)
    moments = [local(m, OSLO) for m in occurrences(rule, start, "Europe/Oslo")]
    assert moments == [
        datetime(2026, 3, 27, 2, 30),
        datetime(2026, 3, 28, 2, 30),
        datetime(2026, 3, 29, 3, 30),  # 02:30 does not exist that night
    ]


def test_monthly_on_the_31st_skips_short_months_as_rfc_5545_says() -> None:
    start = datetime(2026, 1, 31, 10, 0, tzinfo=OSLO)
    rule = Recurrence("monthly", count=4).to_rrule(start)
    assert rule == "FREQ=MONTHLY;COUNT=4"
    days = [local(m, OSLO).date() for m in occurrences(rule, start, "Europe/Oslo")]
    assert days == [date(2026, 1, 31), date(2026, 3, 31), date(2026, 5, 31), date(2026, 7, 31)]


def test_last_friday_of_the_month() -> None:
    start = datetime(2026, 1, 30, 15, 0, tzinfo=OSLO)  # the last Friday of January
    assert month_week_of(start.date()) == -1
    repeat = Recurrence("monthly", month_week=-1, count=4)
    rule = repeat.to_rrule(start)
    assert rule == "FREQ=MONTHLY;BYDAY=-1FR;COUNT=4"
    days = [local(m, OSLO).date() for m in occurrences(rule, start, "Europe/Oslo")]
    assert days == [date(2026, 1, 30), date(2026, 2, 27), date(2026, 3, 27), date(2026, 4, 24)]
    assert repeat.describe(start) == "Every month on the last Friday, 4 times"


def test_second_tuesday_and_month_week_of() -> None:
    assert month_week_of(date(2026, 11, 10)) == 2
    assert month_week_of(date(2026, 11, 24)) == -1
    assert month_week_of(date(2026, 12, 22)) == 4
    start = datetime(2026, 11, 10, 9, 0, tzinfo=OSLO)
    rule = Recurrence("monthly", month_week=2).to_rrule(start)
    nxt = next_occurrence(rule, start, "Europe/Oslo", start)
    assert nxt is not None and local(nxt, OSLO) == datetime(2026, 12, 8, 9, 0)


def test_weekly_on_chosen_days_every_second_week_until_a_date() -> None:
    start = datetime(2026, 11, 23, 8, 0, tzinfo=OSLO)  # a Monday
    repeat = Recurrence("weekly", interval=2, weekdays=(0, 3), until=date(2026, 12, 10))
    rule = repeat.to_rrule(start)
    assert rule.startswith("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;UNTIL=20261210T")
    days = [local(m, OSLO).date() for m in occurrences(rule, start, "Europe/Oslo")]
    assert days == [date(2026, 11, 23), date(2026, 11, 26), date(2026, 12, 7), date(2026, 12, 10)]
    assert Recurrence.from_rrule(rule, "Europe/Oslo") == repeat


def test_yearly_and_round_trips() -> None:
    start = datetime(2026, 2, 28, 12, 0, tzinfo=OSLO)
    for repeat in (
        Recurrence("yearly"),
        Recurrence("daily", interval=3, count=10),
        Recurrence("monthly", month_week=4),
        Recurrence("weekly", weekdays=(1, 4)),
    ):
        assert Recurrence.from_rrule(repeat.to_rrule(start), "Europe/Oslo") == repeat


def test_a_rule_that_never_occurs_has_no_first_occurrence() -> None:
    start = datetime(2026, 2, 28, 12, 0, tzinfo=UTC)
    assert first_occurrence("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", start, "UTC") is None


def test_between_returns_only_the_window() -> None:
    start = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    rule = Recurrence("daily").to_rrule(start)
    found = between(
        rule, start, "UTC", datetime(2026, 11, 5, tzinfo=UTC), datetime(2026, 11, 7, tzinfo=UTC)
    )
    assert [m.day for m in found] == [5, 6]


def test_unreadable_rules_say_so() -> None:
    with pytest.raises(RecurrenceError):
        Recurrence.from_rrule("every tuesday", "UTC")
    with pytest.raises(RecurrenceError):
        list(occurrences("FREQ=SOMETIMES", datetime(2026, 1, 1, tzinfo=UTC), "UTC"))
