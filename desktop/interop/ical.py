"""Follow-ups and history to and from iCalendar (RFC 5545), through the icalendar
package: open follow-ups as VTODO (times in their own zone, repeat rule, reminder),
history as VJOURNAL. Contacts are named by CONTACT lines whose ALTREP is the contact's
`urn:uuid:`, so a calendar imported after its vCards finds its people again."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
from sqlalchemy import select
from sqlalchemy.orm import Session

from db import activities, history, imports
from db.activities import ActivityDraft
from db.clock import session_now
from db.engine import Database
from db.errors import CallsheetError, InputError
from db.models import Activity, Contact, HistoryEntry
from db.recurrence import Recurrence
from desktop.interop.plan import RowProblem

PRODID = "-//Callsheet//Callsheet//EN"
_PRIORITY_OUT = {"high": 1, "normal": 5, "low": 9}


def _priority_in(value: int) -> str:
    return "high" if 1 <= value <= 4 else "low" if value >= 6 else "normal"


def write_calendar(session: Session, contact_ids: set[uuid.UUID] | None = None) -> bytes:
    """Open follow-ups and history (of `contact_ids`, or all) as one VCALENDAR."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    now = session_now(session)
    for activity in session.scalars(
        select(Activity).where(Activity.deleted_at.is_(None), Activity.status == "open")
    ):
        people = [c for c in activity.contacts if c.deleted_at is None]
        if contact_ids is not None and not any(c.id in contact_ids for c in people):
            continue
        calendar.add_component(_todo(activities.get(session, activity.id).draft, activity, now))
    for entry in session.scalars(select(HistoryEntry).where(HistoryEntry.deleted_at.is_(None))):
        people = [c for c in entry.contacts if c.deleted_at is None]
        if contact_ids is not None and not any(c.id in contact_ids for c in people):
            continue
        calendar.add_component(_journal(entry, people, now))
    return calendar.to_ical()


def _contacts(component: icalendar.cal.Component, people: list[Contact]) -> None:
    for person in people:
        component.add(
            "contact", person.display_name, parameters={"ALTREP": f"urn:uuid:{person.id}"}
        )


def _todo(draft: ActivityDraft, activity: Activity, now: datetime) -> icalendar.Todo:
    todo = icalendar.Todo()
    todo.add("uid", str(activity.id))
    todo.add("dtstamp", now)
    todo.add("summary", draft.regarding)
    todo.add("categories", [draft.kind])
    todo.add("priority", _PRIORITY_OUT[draft.priority])
    todo.add("status", "NEEDS-ACTION")
    assert draft.start is not None
    if draft.timing == "timed":
        start = draft.start.replace(tzinfo=ZoneInfo(draft.time_zone))
        todo.add("dtstart", start)
        if draft.end and draft.end > draft.start:
            todo.add("duration", draft.end - draft.start)
    else:
        todo.add("dtstart", draft.start.date())
        if draft.timing == "all_day" and draft.end:
            todo.add("duration", timedelta(days=(draft.end.date() - draft.start.date()).days + 1))
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
    _contacts(todo, [c for c in activity.contacts if c.deleted_at is None])
    return todo


def _journal(entry: HistoryEntry, people: list[Contact], now: datetime) -> icalendar.Journal:
    journal = icalendar.Journal()
    journal.add("uid", str(entry.id))
    journal.add("dtstamp", now)
    journal.add("dtstart", entry.occurred_at)
    journal.add("summary", entry.regarding)
    if entry.notes:
        journal.add("description", entry.notes)
    journal.add("categories", [entry.kind])
    journal.add("x-callsheet-outcome", entry.outcome)
    journal.add("x-callsheet-duration", str(entry.duration_minutes))
    if entry.activity_id:
        journal.add("related-to", str(entry.activity_id))
    _contacts(journal, people)
    return journal


@dataclass
class CalendarPlan:
    """What a calendar file holds: follow-ups and history to add, and problems."""

    todos: list[tuple[int, ActivityDraft]] = field(default_factory=list)
    journals: list[tuple[int, dict[str, object]]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    skipped: int = 0

    def summary(self) -> str:
        return (
            f"{len(self.todos):,} follow-ups and {len(self.journals):,} history entries to "
            f"add, {self.skipped:,} skipped (already here or done), "
            f"{len(self.problems):,} with problems"
        )


def plan_calendar(session: Session, data: bytes) -> CalendarPlan:
    """Read VTODOs and VJOURNALs; contacts are found by their ALTREP ids."""
    plan = CalendarPlan()
    try:
        calendars = icalendar.Calendar.from_ical(data, multiple=True)
    except (ValueError, KeyError, IndexError) as error:
        raise CallsheetError(f"This is not a readable iCalendar file ({error}).") from None
    known = set(session.scalars(select(Activity.id))) | set(
        session.scalars(select(HistoryEntry.id))
    )
    number = 0
    for calendar in calendars:
        for component in calendar.walk():
            if component.name not in ("VTODO", "VJOURNAL"):
                continue
            number += 1
            try:
                uid = uuid.UUID(str(component.get("uid", "")))
            except ValueError:
                uid = None
            if uid is not None and uid in known:
                plan.skipped += 1
                continue
            people = _people(session, component)
            try:
                if component.name == "VTODO":
                    todo = _todo_draft(component, people)
                    if todo is None:
                        plan.skipped += 1
                    else:
                        activities.validate(todo)
                        plan.todos.append((number, todo))
                else:
                    plan.journals.append((number, _journal_values(component, people)))
            except (CallsheetError, ValueError, KeyError, AttributeError) as error:
                plan.problems.append(RowProblem(number, component.name, str(error), "item"))
    return plan


def _people(session: Session, component: icalendar.cal.Component) -> tuple[uuid.UUID, ...]:
    found = []
    lines = component.get("contact", [])
    for value in lines if isinstance(lines, list) else [lines]:
        altrep = str(getattr(value, "params", {}).get("ALTREP", ""))
        try:
            cid = uuid.UUID(altrep.removeprefix("urn:uuid:"))
        except ValueError:
            continue
        contact = session.get(Contact, cid)
        if contact is not None and contact.deleted_at is None:
            found.append(cid)
    return tuple(found)


def _todo_draft(
    component: icalendar.cal.Component, people: tuple[uuid.UUID, ...]
) -> ActivityDraft | None:
    if str(component.get("status", "NEEDS-ACTION")).upper() in ("COMPLETED", "CANCELLED"):
        return None  # done work comes back as history (VJOURNAL)
    categories = component.get("categories")
    kinds = [str(c).lower() for c in categories.cats] if categories is not None else []
    kind = next((k for k in kinds if k in activities.KINDS), "to-do")
    start = component.decoded("dtstart") if "dtstart" in component else None
    if start is None and "due" in component:
        start = component.decoded("due")
    if start is None:
        raise InputError("has no start or due date")
    duration = component.decoded("duration") if "duration" in component else timedelta(0)
    if isinstance(start, datetime):
        zone = start.tzinfo
        zone_name = getattr(zone, "key", None) or "UTC"
        local = start.astimezone(ZoneInfo(zone_name)).replace(tzinfo=None)
        timing, end = "timed", local + duration
    else:
        zone_name = str(component.get("x-callsheet-zone", "UTC"))
        local = datetime.combine(start, datetime.min.time())
        timeless = str(component.get("x-callsheet-timeless", "")).upper() == "TRUE"
        timing = "timeless" if timeless else "all_day"
        days = max(duration.days, 1)
        end = local + timedelta(days=days - 1) if timing == "all_day" else local
    repeat = None
    if "rrule" in component:
        rule = component["rrule"].to_ical()
        text = rule.decode() if isinstance(rule, bytes) else rule
        repeat = Recurrence.from_rrule(text, zone_name)
    alarm_minutes = None
    for alarm in component.walk("VALARM"):
        trigger = alarm.decoded("trigger")
        if isinstance(trigger, timedelta):
            alarm_minutes = int(-trigger.total_seconds() // 60)
    return ActivityDraft(
        kind=kind,
        regarding=str(component.get("summary", "")),
        start=local,
        end=end,
        timing=timing,
        time_zone=zone_name,
        priority=_priority_in(int(component.get("priority", 5))),
        alarm_minutes=alarm_minutes,
        repeat=repeat,
        contact_ids=people,
    )


def _journal_values(
    component: icalendar.cal.Component, people: tuple[uuid.UUID, ...]
) -> dict[str, object]:
    occurred = component.decoded("dtstart")
    if isinstance(occurred, date) and not isinstance(occurred, datetime):
        occurred = datetime.combine(occurred, datetime.min.time(), UTC)
    if occurred.tzinfo is None:
        occurred = occurred.replace(tzinfo=UTC)
    categories = component.get("categories")
    kinds = [str(c).lower() for c in categories.cats] if categories is not None else []
    description = component.get("description")
    return {
        "contact_ids": people,
        "kind": next((k for k in kinds if k in history.KINDS), "note"),
        "occurred_at": occurred,
        "regarding": str(component.get("summary", "")),
        "outcome": str(component.get("x-callsheet-outcome", "completed")),
        "duration_minutes": int(str(component.get("x-callsheet-duration", "0")) or 0),
        "notes": str(description) if description is not None else None,
    }


def apply_calendar(session: Session, plan: CalendarPlan) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    """Add what `plan` holds; returns the new follow-ups' and history entries' ids."""
    made_activities = [activities.schedule(session, draft) for _, draft in plan.todos]
    made_history = [
        history.record_history(session, **values)  # type: ignore[arg-type]
        for _, values in plan.journals
    ]
    return made_activities, made_history


def import_calendar(db: Database, plan: CalendarPlan, source: str) -> uuid.UUID | None:
    """Add what `plan` holds as one import batch (None when there is nothing to add)."""
    if not (plan.todos or plan.journals):
        return None
    with db.transaction(origin="import") as session:
        batch = imports.start_batch(session, source, "ics")
        made, logged = apply_calendar(session, plan)
        imports.record_calendar_items(session, batch, made, logged)
        imports.finish_batch(session, batch)
    return batch
