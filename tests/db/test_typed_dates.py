"""Dates and times as salespeople type them."""

from __future__ import annotations

from datetime import date, time

import pytest

from desktop.typed_dates import parse_day, parse_duration, parse_time

MONDAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("today", MONDAY),
        ("Tomorrow", date(2026, 11, 24)),
        ("+3", date(2026, 11, 26)),
        ("in 3 days", date(2026, 11, 26)),
        ("2w", date(2026, 12, 7)),
        ("next week", date(2026, 11, 30)),
        ("fri", date(2026, 11, 27)),
        ("Monday", MONDAY),
        ("next mon", date(2026, 11, 30)),
        ("2026-12-01", date(2026, 12, 1)),
        ("25.12.", date(2026, 12, 25)),
        ("3/1/2027", date(2027, 1, 3)),
        ("1 Feb 2027", date(2027, 2, 1)),
    ],
)
def test_days(typed: str, expected: date) -> None:
    assert parse_day(typed, MONDAY) == expected


def test_month_first_when_the_locale_writes_it_so() -> None:
    assert parse_day("3/1/2027", MONDAY, day_first=False) == date(2027, 3, 1)


@pytest.mark.parametrize("typed", ["", "soonish", "31.02.2027", "+", "99999"])
def test_bad_days_say_what_would_work(typed: str) -> None:
    with pytest.raises(ValueError, match="tomorrow"):
        parse_day(typed, MONDAY)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("9", time(9)),
        ("9:30", time(9, 30)),
        ("0930", time(9, 30)),
        ("14.15", time(14, 15)),
        ("2pm", time(14)),
        ("12 am", time(0)),
        ("12:30pm", time(12, 30)),
        ("noon", time(12)),
    ],
)
def test_times(typed: str, expected: time) -> None:
    assert parse_time(typed) == expected


@pytest.mark.parametrize("typed", ["25", "9:75", "13pm", "half past", ""])
def test_bad_times(typed: str) -> None:
    with pytest.raises(ValueError, match="is not a time"):
        parse_time(typed)


def test_durations() -> None:
    assert [parse_duration(t) for t in ("30", "45m", "1h", "1:30", "1.5h", "")] == [
        30,
        45,
        60,
        90,
        90,
        0,
    ]
    with pytest.raises(ValueError, match="length of time"):
        parse_duration("a while")
