"""Follow-ups and history to and from iCalendar (RFC 5545) components, one item at a
time and without storage, through the icalendar package: an open follow-up is a VTODO
(times in their own zone, repeat rule, reminder), a history entry a VJOURNAL. Contacts
are named by CONTACT lines whose ALTREP is the contact's `urn:uuid:`. Each item keeps
the UID its calendar gave it, so importing it again (or syncing it) finds it again.

File imports and exports (`desktop.interop.ical`) and CalDAV sync build on this."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar

from db.activity_values import HISTORY_KINDS, KINDS, ActivityDraft, HistoryDraft
from db.errors import CallsheetError, InputError
from db.recurrence import Recurrence
from desktop.interop.plan import RowProblem
from desktop.interop.table import decode

PRODID = "-//Callsheet//Callsheet//EN"
_PRIORITY_OUT = {"high": 1, "normal": 5, "low": 9}

# A contact an item names: its id and the name written beside it.
Person = tuple[uuid.UUID, str]


@dataclass(frozen=True)
class CalendarItem:
    """One VTODO (`follow_up`) or VJOURNAL (`history`) of a calendar; `number` is its
    place in the file (from 1), `uid` as the calendar wrote it ("" when it has none).
    The contact ids are the ones the item names, not yet checked against a book."""

    number: int
    uid: str
    follow_up: ActivityDraft | None = None
    history: HistoryDraft | None = None


@dataclass
class CalendarReading:
    """What a calendar file holds: its items, the problems that keep some out, and how
    many to-dos were already done (their history travels as VJOURNALs)."""

    items: list[CalendarItem] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    done: int = 0


def read_calendar(data: bytes) -> CalendarReading:
    """Every VTODO and VJOURNAL of one or more VCALENDARs, in file order. A file in an
    encoding other than UTF-8 (Shift-JIS, GB18030, Windows-1252) is read as what it is,
    not as garbled UTF-8."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        text, _encoding = decode(data, Path("The calendar file"))
        data = text.encode("utf-8")
    try:
        calendars = icalendar.Calendar.from_ical(data, multiple=True)
    except (ValueError, KeyError, IndexError) as error:
        raise CallsheetError(f"This is not a readable iCalendar file ({error}).") from None
    reading = CalendarReading()
    number = 0
    for calendar in calendars:
        for component in calendar.walk():
            if component.name not in ("VTODO", "VJOURNAL"):
                continue
            number += 1
            uid = str(component.get("uid", "")).strip()
            try:
                if component.name == "VJOURNAL":
                    reading.items.append(
                        CalendarItem(number, uid, history=history_draft(component))
                    )
                elif (draft := _follow_up(component)) is None:
                    reading.done += 1
                else:
                    reading.items.append(CalendarItem(number, uid, follow_up=draft))
            except (CallsheetError, ValueError, KeyError, AttributeError, TypeError) as error:
                reading.problems.append(RowProblem(number, component.name, str(error), "item"))
    return reading


def named_contacts(component: icalendar.cal.Component) -> tuple[uuid.UUID, ...]:
    """The contact ids a component's CONTACT lines name in their ALTREP."""
    found = []
    lines = component.get("contact", [])
    for value in lines if isinstance(lines, list) else [lines]:
        altrep = str(getattr(value, "params", {}).get("ALTREP", ""))
        try:
            found.append(uuid.UUID(altrep.removeprefix("urn:uuid:")))
        except ValueError:
            continue
    return tuple(dict.fromkeys(found))


def _kinds(component: icalendar.cal.Component) -> list[str]:
    categories = component.get("categories")
    if categories is None:
        return []
    lines = categories if isinstance(categories, list) else [categories]
    return [str(c).lower() for line in lines for c in line.cats]


def one_value(component: icalendar.cal.Component, name: str, default: Any = None) -> Any:
    """A property as given once, or the first of one given twice (a second PRIORITY or
    DTSTART is a writer's mistake, not a reason to refuse the item)."""
    value = component.get(name, default)
    return value[0] if isinstance(value, list) and value else value


def _decoded(component: icalendar.cal.Component, name: str) -> Any:
    """`_one`, as a date, datetime or timedelta."""
    value = one_value(component, name)
    for attribute in ("dt", "td"):
        if hasattr(value, attribute):
            return getattr(value, attribute)
    return component.decoded(name)


STATUS_IN = {"COMPLETED": "done", "CANCELLED": "cancelled"}  # else "open"
STATUS_OUT = {"open": "NEEDS-ACTION", "done": "COMPLETED", "cancelled": "CANCELLED"}


def todo_status(component: icalendar.cal.Component) -> str:
    """A VTODO's state as a follow-up's: "open", "done" or "cancelled"."""
    return STATUS_IN.get(str(one_value(component, "status", "NEEDS-ACTION")).upper(), "open")


def _follow_up(component: icalendar.cal.Component) -> ActivityDraft | None:
    return None if todo_status(component) != "open" else follow_up_draft(component)


def follow_up_draft(component: icalendar.cal.Component, zone: str = "UTC") -> ActivityDraft:
    """A VTODO's values as a follow-up's, whatever its state. The start is DTSTART (or
    DUE when it has none); DUE or DURATION gives the length. A date without a zone
    (a reminders app's) is a date in `zone`."""
    kind = next((k for k in _kinds(component) if k in KINDS), "to-do")
    start = _decoded(component, "dtstart") if "dtstart" in component else None
    if start is None and "due" in component:
        start = _decoded(component, "due")
    if start is None:
        raise InputError("has no start or due date")
    duration = timedelta(0)
    if "duration" in component:
        duration = _decoded(component, "duration")
    elif "due" in component and "dtstart" in component:
        due = _decoded(component, "due")
        if isinstance(due, datetime) == isinstance(start, datetime):
            # A date-only DUE is the last day, as Callsheet and reminders apps write it.
            duration = due - start if isinstance(start, datetime) else due - start + timedelta(1)
    if isinstance(start, datetime):
        zone_name = getattr(start.tzinfo, "key", None) or "UTC"
        local = start.astimezone(ZoneInfo(zone_name)).replace(tzinfo=None)
        timing, end = "timed", local + duration
    else:
        zone_name = str(one_value(component, "x-callsheet-zone", zone))
        local = datetime.combine(start, datetime.min.time())
        timeless = str(one_value(component, "x-callsheet-timeless", "")).upper() == "TRUE"
        timing = "timeless" if timeless else "all_day"
        days = max(duration.days, 1)
        end = local + timedelta(days=days - 1) if timing == "all_day" else local
    repeat = None
    if "rrule" in component:
        rule = one_value(component, "rrule").to_ical()
        repeat = Recurrence.from_rrule(
            rule.decode() if isinstance(rule, bytes) else rule, zone_name
        )
    alarm_minutes = None
    for alarm in component.walk("VALARM"):
        trigger = alarm.decoded("trigger")
        if isinstance(trigger, timedelta):
            alarm_minutes = int(-trigger.total_seconds() // 60)
    return ActivityDraft(
        kind=kind,
        regarding=str(one_value(component, "summary", "")),
        start=local,
        end=end,
        timing=timing,
        time_zone=zone_name,
        priority=_priority_in(int(one_value(component, "priority", 5))),
        alarm_minutes=alarm_minutes,
        repeat=repeat,
        contact_ids=named_contacts(component),
    )


def history_draft(component: icalendar.cal.Component) -> HistoryDraft:
    """A VJOURNAL's values as a history entry's."""
    if "dtstart" not in component:
        raise InputError("has no date")
    occurred = _decoded(component, "dtstart")
    if isinstance(occurred, date) and not isinstance(occurred, datetime):
        occurred = datetime.combine(occurred, datetime.min.time(), UTC)
    if occurred.tzinfo is None:
        occurred = occurred.replace(tzinfo=UTC)
    description = one_value(component, "description")
    return HistoryDraft(
        contact_ids=named_contacts(component),
        kind=next((k for k in _kinds(component) if k in HISTORY_KINDS), "note"),
        occurred_at=occurred,
        regarding=str(one_value(component, "summary", "")),
        outcome=str(one_value(component, "x-callsheet-outcome", "completed")),
        duration_minutes=int(str(one_value(component, "x-callsheet-duration", "0")) or 0),
        notes=str(description) if description is not None else None,
    )


def _priority_in(value: int) -> str:
    return "high" if 1 <= value <= 4 else "low" if value >= 6 else "normal"


# Writing


def follow_up_component(
    uid: str,
    draft: ActivityDraft,
    people: Sequence[Person],
    now: datetime,
    status: str = "open",
) -> icalendar.Todo:
    """A follow-up as a VTODO stamped `now`: DTSTART and DUE (the end, or the start
    when it has no length; for all-day items the last day), in the zone it was entered
    in. A done or cancelled one says so (and when: `now`)."""
    if draft.start is None:
        raise InputError("A follow-up without a date cannot be written to a calendar.")
    todo = icalendar.Todo()
    todo.add("uid", uid)
    todo.add("dtstamp", now)
    todo.add("summary", draft.regarding)
    todo.add("categories", [draft.kind])
    todo.add("priority", _PRIORITY_OUT[draft.priority])
    todo.add("status", STATUS_OUT[status])
    if status == "done":
        todo.add("completed", now)
    end = draft.end if draft.end and draft.end > draft.start else draft.start
    if draft.timing == "timed":
        zone = ZoneInfo(draft.time_zone)
        todo.add("dtstart", draft.start.replace(tzinfo=zone))
        todo.add("due", end.replace(tzinfo=zone))
    else:
        todo.add("dtstart", draft.start.date())
        todo.add("due", (end if draft.timing == "all_day" else draft.start).date())
        if draft.timing == "timeless":
            todo.add("x-callsheet-timeless", "TRUE")
        todo.add("x-callsheet-zone", draft.time_zone)
    if draft.repeat is not None:
        todo.add("rrule", icalendar.vRecur.from_ical(draft.repeat.to_rrule(draft.start)))
    if draft.alarm_minutes is not None:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", draft.regarding or "Reminder")
        alarm.add("trigger", timedelta(minutes=-draft.alarm_minutes))
        todo.add_component(alarm)
    name_contacts(todo, people)
    return todo


def history_component(
    uid: str,
    draft: HistoryDraft,
    people: Sequence[Person],
    now: datetime,
    follow_up_uid: str | None = None,
) -> icalendar.Journal:
    """A history entry as a VJOURNAL stamped `now`; RELATED-TO names the follow-up it
    cleared."""
    journal = icalendar.Journal()
    journal.add("uid", uid)
    journal.add("dtstamp", now)
    journal.add("dtstart", draft.occurred_at)
    journal.add("summary", draft.regarding)
    if draft.notes:
        journal.add("description", draft.notes)
    journal.add("categories", [draft.kind])
    journal.add("x-callsheet-outcome", draft.outcome)
    journal.add("x-callsheet-duration", str(draft.duration_minutes))
    if follow_up_uid:
        journal.add("related-to", follow_up_uid)
    name_contacts(journal, people)
    return journal


def calendar_bytes(components: Iterable[icalendar.cal.Component]) -> bytes:
    """Components as one VCALENDAR, with a VTIMEZONE for every zone their times use."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    for component in components:
        calendar.add_component(component)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def name_contacts(component: icalendar.cal.Component, people: Sequence[Person]) -> None:
    """Name `people` on the component: CONTACT lines whose ALTREP is the contact's UID."""
    for contact_id, name in people:
        component.add("contact", name, parameters={"ALTREP": f"urn:uuid:{contact_id}"})
