"""Dates and times typed as text: "tomorrow", "fri", "+3", "25.11.", "2026-11-25",
"9", "14:30", "2pm". Raises ValueError with a message that says what would work.

General date forms go to python-dateutil's parser; the shorthands salespeople
type are handled here first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from dateutil import parser as date_parser

from db.errors import InputError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WORKWEEK = WEEKDAYS[:5]
_RELATIVE = re.compile(r"^(?:in\s+)?\+?\s*(\d{1,3})\s*(d|day|days|w|wk|week|weeks)?$")
_DAY_MONTH = re.compile(r"^(\d{1,2})[./](\d{1,2})\.?$")
_TIME = re.compile(r"^(\d{1,2})(?:[:.h]?(\d{2}))?\s*(am|pm|a|p)?$")


def date_hint(today: date) -> str:
    """Examples of dates to type, the written ones a week ahead of `today` (an example
    in the past would be refused as a follow-up's date)."""
    ahead = today + timedelta(days=7)
    return f"try {ahead.isoformat()}, {ahead.day}.{ahead.month}., tomorrow, fri or +3"


TIME_HINT = "try 9, 9:30, 14:00 or 2pm"


def parse_day(text: str, today: date, *, day_first: bool = True) -> date:
    """The date `text` means, relative to `today`."""
    typed = " ".join(text.strip().lower().split())
    if not typed:
        raise InputError(f"Enter a date ({date_hint(today)}).")
    named = {"today": 0, "tod": 0, "tomorrow": 1, "tom": 1, "tmrw": 1, "yesterday": -1}
    if typed in named:
        return today + timedelta(days=named[typed])
    if typed == "next week":
        return today + timedelta(days=7 - today.weekday())
    relative = _RELATIVE.match(typed)
    if relative and (typed.startswith(("+", "in")) or relative.group(2)):
        amount = int(relative.group(1))
        weeks = (relative.group(2) or "d").startswith("w")
        return today + timedelta(days=amount * (7 if weeks else 1))
    for index, name in enumerate(WEEKDAYS):
        if typed.removeprefix("next ")[:3] == name and typed.removeprefix("next ").isalpha():
            ahead = (index - today.weekday()) % 7 or (7 if typed.startswith("next") else 0)
            return today + timedelta(days=ahead)
    try:
        return date.fromisoformat(typed)
    except ValueError:
        pass
    short = _DAY_MONTH.match(typed)
    if short:
        first, second = int(short.group(1)), int(short.group(2))
        day, month = (first, second) if day_first else (second, first)
        try:
            return date(today.year, month, day)
        except ValueError:
            raise InputError(f"“{text.strip()}” is not a date ({date_hint(today)}).") from None
    default = datetime(today.year, today.month, today.day)
    try:
        parsed = date_parser.parse(typed.rstrip("."), default=default, dayfirst=day_first)
    except (ValueError, OverflowError):
        raise InputError(f"“{text.strip()}” is not a date ({date_hint(today)}).") from None
    return parsed.date()


def parse_time(text: str) -> time:
    """The time of day `text` means."""
    typed = text.strip().lower().replace(" ", "")
    if typed in ("noon", "midday"):
        return time(12, 0)
    match = _TIME.match(typed)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        suffix = match.group(3)
        if suffix and not 1 <= hour <= 12:
            match = None
        elif suffix:
            hour = hour % 12 + (12 if suffix.startswith("p") else 0)
        if match and hour < 24 and minute < 60:
            return time(hour, minute)
    raise InputError(f"“{text.strip()}” is not a time of day ({TIME_HINT}).")


def parse_duration(text: str) -> int:
    """Minutes from "30", "45m", "1h", "1:30", "1.5h"."""
    typed = text.strip().lower().replace(" ", "")
    if not typed:
        return 0
    clock = re.fullmatch(r"(\d{1,2}):(\d{2})", typed)
    if clock:
        return int(clock.group(1)) * 60 + int(clock.group(2))
    number = re.fullmatch(r"(\d+(?:[.,]\d+)?)(m|min|mins|minutes|h|hr|hrs|hours)?", typed)
    if number:
        value = float(number.group(1).replace(",", "."))
        return round(value * 60) if (number.group(2) or "m").startswith("h") else round(value)
    raise InputError(f"“{text.strip()}” is not a length of time (try 30, 45m, 1h or 1:30).")


def next_working_day(day: date, working_days: Sequence[str] = WORKWEEK) -> date:
    """`day`, or the first working day after it (any day, if none is one)."""
    for ahead in range(7):
        candidate = day + timedelta(days=ahead)
        if WEEKDAYS[candidate.weekday()] in working_days:
            return candidate
    return day
