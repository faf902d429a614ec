"""Repeating follow-ups: a small rule a user can pick, stored as an RFC 5545 RRULE.

`Recurrence` is what the schedule dialog edits (daily, weekly on chosen days,
monthly by date or by weekday, yearly; ending after N times or on a date).
Expansion is python-dateutil's `rrule` on the series start *in the zone it was
entered in*, so "every Monday 09:00 Europe/Oslo" stays 09:00 on both sides of a
daylight-saving change; results are returned in UTC.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule

from db.errors import InputError

FREQUENCIES = ("daily", "weekly", "monthly", "yearly")
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_FREQ_CODES = {"daily": "DAILY", "weekly": "WEEKLY", "monthly": "MONTHLY", "yearly": "YEARLY"}
_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class RecurrenceError(InputError):
    """A rule that cannot be stored or read back."""


@dataclass(frozen=True)
class Recurrence:
    """How an activity repeats.

    `weekdays` (0 = Monday) applies to weekly rules; `month_week` to monthly rules
    "by weekday" (1..4 or -1 for the last such weekday of the month; the weekday
    is the start's); monthly rules without it repeat on the start's date.
    """

    frequency: str
    interval: int = 1
    weekdays: tuple[int, ...] = field(default_factory=tuple)
    month_week: int | None = None
    count: int | None = None
    until: date | None = None

    def to_rrule(self, start_local: datetime) -> str:
        """The RRULE value (without the "RRULE:" prefix) for a series starting at
        `start_local` (aware, in the zone it was entered in)."""
        if self.frequency not in FREQUENCIES:
            raise RecurrenceError(f"Unknown repeat frequency {self.frequency!r}.")
        parts = [f"FREQ={_FREQ_CODES[self.frequency]}"]
        if self.interval != 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.frequency == "weekly" and self.weekdays:
            parts.append("BYDAY=" + ",".join(WEEKDAY_CODES[d] for d in sorted(set(self.weekdays))))
        if self.frequency == "monthly" and self.month_week is not None:
            parts.append(f"BYDAY={self.month_week}{WEEKDAY_CODES[start_local.weekday()]}")
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        elif self.until is not None:
            # RFC 5545: with a zoned DTSTART, UNTIL is given in UTC. The last day counts whole.
            last_moment = datetime.combine(self.until, time(23, 59, 59), start_local.tzinfo)
            parts.append("UNTIL=" + last_moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ"))
        return ";".join(parts)

    @classmethod
    def from_rrule(cls, value: str, zone: str) -> Recurrence:
        """Read back a rule written by `to_rrule` (or a compatible simple one)."""
        fields: dict[str, str] = {}
        for part in value.strip().removeprefix("RRULE:").split(";"):
            key, sep, item = part.partition("=")
            if not sep:
                raise RecurrenceError(f"Cannot read the repeat rule {value!r}.")
            fields[key.upper()] = item.upper()
        reverse = {code: name for name, code in _FREQ_CODES.items()}
        frequency = reverse.get(fields.get("FREQ", ""))
        if frequency is None:
            raise RecurrenceError(f"Cannot read the repeat rule {value!r}.")
        weekdays: tuple[int, ...] = ()
        month_week = None
        if "BYDAY" in fields:
            days = fields["BYDAY"].split(",")
            if frequency == "monthly":
                month_week = int(days[0][:-2] or "1")
            else:
                weekdays = tuple(WEEKDAY_CODES.index(day[-2:]) for day in days)
        until = None
        if "UNTIL" in fields:
            moment = datetime.strptime(fields["UNTIL"][:15], "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
            until = moment.astimezone(ZoneInfo(zone)).date()
        return cls(
            frequency=frequency,
            interval=int(fields.get("INTERVAL", "1")),
            weekdays=weekdays,
            month_week=month_week,
            count=int(fields["COUNT"]) if "COUNT" in fields else None,
            until=until,
        )

    def describe(self, start_local: datetime) -> str:
        """A sentence for people: "Every 2 weeks on Mon, Wed, 5 times"."""
        unit = {"daily": "day", "weekly": "week", "monthly": "month", "yearly": "year"}[
            self.frequency
        ]
        text = f"Every {unit}" if self.interval == 1 else f"Every {self.interval} {unit}s"
        if self.frequency == "weekly" and self.weekdays:
            text += " on " + ", ".join(_DAY_NAMES[d][:3] for d in sorted(set(self.weekdays)))
        elif self.frequency == "monthly":
            if self.month_week is not None:
                ordinal = _ORDINALS[self.month_week]
                text += f" on the {ordinal} {_DAY_NAMES[start_local.weekday()]}"
            else:
                text += f" on day {start_local.day}"
        if self.count is not None:
            text += ", once" if self.count == 1 else f", {self.count} times"
        elif self.until is not None:
            text += f", until {self.until.isoformat()}"
        return text


def month_week_of(day: date) -> int:
    """Which weekday-of-month `day` is: 1..4, or -1 when it is the month's last one."""
    if (day + timedelta(days=7)).month != day.month:
        return -1
    return min((day.day - 1) // 7 + 1, 4)


def occurrences(
    rule: str, series_start: datetime, zone: str, after: datetime | None = None
) -> Iterator[datetime]:
    """Occurrences of `rule` in UTC, in order, from `series_start` (or strictly after
    `after`). Wall-clock times stay fixed in `zone` across daylight-saving changes."""
    start_local = series_start.astimezone(ZoneInfo(zone))
    try:
        recurring = rrule.rrulestr(rule, dtstart=start_local)
    except (ValueError, TypeError) as error:
        raise RecurrenceError(f"Cannot read the repeat rule {rule!r}: {error}") from error
    assert isinstance(recurring, rrule.rrule)
    moments = (
        recurring.xafter(after.astimezone(ZoneInfo(zone)), inc=False)
        if after is not None
        else iter(recurring)
    )
    for moment in moments:
        yield _normalised(moment).astimezone(UTC)


def next_occurrence(
    rule: str, series_start: datetime, zone: str, after: datetime
) -> datetime | None:
    """The first occurrence strictly after `after`, or None when the series is over."""
    return next(occurrences(rule, series_start, zone, after), None)


def first_occurrence(rule: str, series_start: datetime, zone: str) -> datetime | None:
    """The series' first occurrence (at or after its start), or None if it never occurs."""
    return next(occurrences(rule, series_start, zone), None)


def between(
    rule: str, series_start: datetime, zone: str, start: datetime, end: datetime
) -> list[datetime]:
    """Occurrences in [start, end), in UTC."""
    found = []
    for moment in occurrences(rule, series_start, zone, start - timedelta(microseconds=1)):
        if moment >= end:
            break
        found.append(moment)
    return found


def _normalised(moment: datetime) -> datetime:
    """A wall-clock time that does not exist (the hour skipped in spring) moves forward
    by the gap, as calendar apps do; ambiguous autumn times take the first instance."""
    round_trip = moment.astimezone(UTC).astimezone(moment.tzinfo)
    if round_trip.replace(tzinfo=None) != moment.replace(tzinfo=None):
        return round_trip
    return moment
