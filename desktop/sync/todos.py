"""Follow-ups (VTODO) and history (VJOURNAL) as sync compares and merges them: their
fields read from iCalendar text, and the text to write back.

As with cards, both sides are read the same way (this computer's record is written
as iCalendar and read back). A record written over the server's version keeps every
property Callsheet does not map (a phone's DESCRIPTION, LOCATION, its own X- lines,
the categories that are not a kind): only the mapped ones are replaced. Loads without
Qt, storage or the network client.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import icalendar

from db.activity_values import KINDS, ActivityDraft, HistoryDraft
from db.errors import InputError
from db.recurrence import Recurrence
from desktop.interop.calendar_items import (
    calendar_bytes,
    follow_up_draft,
    history_draft,
    todo_status,
)

Fields = dict[str, Any]

TASK_FIELDS = (
    "kind", "regarding", "priority", "status", "timing", "time_zone", "start", "end",
    "repeat", "alarm_minutes", "contacts",
)  # fmt: skip
HISTORY_FIELDS = (
    "kind", "regarding", "outcome", "occurred_at", "duration_minutes", "notes", "contacts",
    "follow_up",
)  # fmt: skip
LABELS = {
    "kind": "Kind", "regarding": "Regarding", "priority": "Priority", "status": "Done or open",
    "timing": "Timing", "time_zone": "Time zone", "start": "Due", "end": "Ends",
    "repeat": "Repeat", "alarm_minutes": "Reminder", "contacts": "Contacts",
    "outcome": "Outcome", "occurred_at": "When", "duration_minutes": "Duration",
    "notes": "Notes", "follow_up": "Follow-up it cleared",
}  # fmt: skip
# What Callsheet writes in a VTODO or VJOURNAL; the rest of a server's item is kept.
_MAPPED = {
    "VTODO": {
        "DTSTAMP", "SUMMARY", "PRIORITY", "STATUS", "COMPLETED", "DTSTART", "DUE",
        "DURATION", "RRULE", "CONTACT", "CATEGORIES", "X-CALLSHEET-ZONE",
        "X-CALLSHEET-TIMELESS",
    },
    "VJOURNAL": {
        "DTSTAMP", "SUMMARY", "DTSTART", "CONTACT", "CATEGORIES", "DESCRIPTION",
        "RELATED-TO", "X-CALLSHEET-OUTCOME", "X-CALLSHEET-DURATION", "X-CALLSHEET-RECORD",
        "X-CALLSHEET-PINNED",
    },
}  # fmt: skip


class UnreadableItem(InputError):
    """An item that cannot be a follow-up or history entry here (no date, no contact)."""


def component_of(text: str) -> icalendar.cal.Component | None:
    """The VTODO or VJOURNAL a calendar resource holds (None: an event, or nothing ours)."""
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except (ValueError, KeyError, IndexError):
        return None
    return next((c for c in calendar.walk() if c.name in ("VTODO", "VJOURNAL")), None)


def uid_of(component: icalendar.cal.Component) -> str:
    return str(component.get("uid", "")).strip()


def task_fields(component: icalendar.cal.Component, zone: str) -> Fields:
    """A VTODO's fields (a date without a zone is one in `zone`); `UnreadableItem`
    when it has no date."""
    try:
        draft = follow_up_draft(component, zone)
    except (InputError, ValueError, KeyError, AttributeError, TypeError) as error:
        raise UnreadableItem(f"The to-do cannot be kept as a follow-up: {error}.") from None
    return {
        "kind": draft.kind,
        "regarding": draft.regarding.strip(),
        "priority": draft.priority,
        "status": todo_status(component),
        "timing": draft.timing,
        "time_zone": draft.time_zone,
        "start": draft.start.isoformat() if draft.start else "",
        "end": draft.end.isoformat() if draft.end and draft.timing != "timeless" else "",
        "repeat": _rule(draft),
        "alarm_minutes": draft.alarm_minutes,
        "contacts": sorted(str(c) for c in draft.contact_ids),
    }


def _rule(draft: ActivityDraft) -> str:
    if draft.repeat is None or draft.start is None:
        return ""
    return draft.repeat.to_rrule(draft.start.replace(tzinfo=ZoneInfo(draft.time_zone)))


def history_fields(component: icalendar.cal.Component) -> Fields:
    """A VJOURNAL's fields; `UnreadableItem` when it has no date."""
    try:
        draft = history_draft(component)
    except (InputError, ValueError, KeyError, AttributeError, TypeError) as error:
        raise UnreadableItem(f"The journal entry cannot be kept as history: {error}.") from None
    related = component.get("related-to")
    return {
        "kind": draft.kind,
        "regarding": draft.regarding.strip(),
        "outcome": draft.outcome,
        "occurred_at": draft.occurred_at.astimezone(UTC).isoformat(),
        "duration_minutes": draft.duration_minutes,
        "notes": (draft.notes or "").strip(),
        "contacts": sorted(str(c) for c in draft.contact_ids),
        "follow_up": str(related).strip() if related is not None else "",
    }


def activity_draft(fields: Fields) -> ActivityDraft:
    """The follow-up the fields describe."""
    start = datetime.fromisoformat(fields["start"])
    return ActivityDraft(
        kind=fields["kind"],
        regarding=fields["regarding"],
        start=start,
        end=datetime.fromisoformat(fields["end"]) if fields["end"] else None,
        timing=fields["timing"],
        time_zone=fields["time_zone"],
        priority=fields["priority"],
        alarm_minutes=fields["alarm_minutes"],
        repeat=(
            Recurrence.from_rrule(fields["repeat"], fields["time_zone"])
            if fields["repeat"]
            else None
        ),
        contact_ids=tuple(uuid.UUID(c) for c in fields["contacts"]),
    )


def history_values(fields: Fields) -> HistoryDraft:
    """The history entry the fields describe."""
    return HistoryDraft(
        contact_ids=tuple(uuid.UUID(c) for c in fields["contacts"]),
        kind=fields["kind"],
        occurred_at=datetime.fromisoformat(fields["occurred_at"]),
        regarding=fields["regarding"],
        outcome=fields["outcome"],
        duration_minutes=fields["duration_minutes"],
        notes=fields["notes"] or None,
    )


def with_known_contacts(fields: Fields, known: set[str]) -> Fields:
    """The fields naming only contacts this book has (a server's item may name others)."""
    return {**fields, "contacts": [c for c in fields["contacts"] if c in known]}


def over_base(component: icalendar.cal.Component, base: str | None) -> str:
    """`component` as a calendar resource: written over the server's version `base`,
    whose properties Callsheet does not map (and its unmapped categories) stay."""
    if base:
        old = component_of(base)
        if old is not None and old.name == component.name:
            component = _kept_from(old, component)
    return calendar_bytes([component]).decode("utf-8")


def _kept_from(old: icalendar.cal.Component, new: icalendar.cal.Component) -> Any:
    merged = new.__class__()
    merged.add("uid", uid_of(old) or uid_of(new))
    for name, value in new.property_items(recursive=False):
        if name not in ("BEGIN", "END", "UID", "CATEGORIES"):
            merged.add(name, value, encode=False)
    ours = _categories(new)
    taken = {c.casefold() for c in ours}
    others = [
        c for c in _categories(old) if c.casefold() not in KINDS and c.casefold() not in taken
    ]
    if ours or others:
        merged.add("categories", ours + others)
    written, mapped = set(merged), _MAPPED[str(new.name)]
    for name, value in old.property_items(recursive=False):
        if name not in ("BEGIN", "END", "UID") and name not in mapped and name not in written:
            merged.add(name, value, encode=False)
    for sub in new.subcomponents:
        merged.add_component(sub)
    for sub in old.subcomponents:
        if sub.name != "VALARM":  # reminders are mapped: ours replace the server's
            merged.add_component(sub)
    return merged


def _categories(component: icalendar.cal.Component) -> list[str]:
    lines = component.get("categories")
    if lines is None:
        return []
    return [str(c) for line in (lines if isinstance(lines, list) else [lines]) for c in line.cats]
