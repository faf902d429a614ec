"""Calendar files against the contact book: export open follow-ups and history as one
VCALENDAR, plan an import (what is new, what is already here, what names no contact of
this book) and apply it as one import batch. The mapping itself is
`desktop.interop.calendar_items`.

An item's UID decides its id here (`plan.record_id`: Callsheet's own UUIDs as they are,
another app's UID as a stable uuid5 of it, which is also kept and written back), so a
calendar imported twice adds its items once."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace

import icalendar
from sqlalchemy import select
from sqlalchemy.orm import Session

from db import activities, history, imports
from db.activity_values import HistoryDraft
from db.bulk import chunks
from db.clock import session_now
from db.engine import Database
from db.errors import CallsheetError
from db.models import Activity, Contact, HistoryEntry
from desktop.interop.calendar_items import (
    CalendarItem,
    calendar_bytes,
    follow_up_component,
    history_component,
    read_calendar,
)
from desktop.interop.plan import RowProblem, is_foreign_uid, record_id


def write_calendar(session: Session, contact_ids: set[uuid.UUID] | None = None) -> bytes:
    """Open follow-ups and history (of `contact_ids`, or all) as one VCALENDAR."""
    now = session_now(session)
    components: list[icalendar.cal.Component] = []
    for activity in session.scalars(
        select(Activity).where(Activity.deleted_at.is_(None), Activity.status == "open")
    ):
        people = _people(activity.contacts, contact_ids)
        if people:
            planned = activities.get(session, activity.id).draft
            components.append(follow_up_component(_uid(activity), planned, people, now))
    for entry in session.scalars(select(HistoryEntry).where(HistoryEntry.deleted_at.is_(None))):
        people = _people(entry.contacts, contact_ids)
        if people:
            draft = HistoryDraft(
                tuple(c for c, _ in people), entry.kind, entry.occurred_at, entry.regarding,
                entry.outcome, entry.duration_minutes, entry.notes,
            )  # fmt: skip
            cleared = session.get(Activity, entry.activity_id) if entry.activity_id else None
            follow_up = _uid(cleared) if cleared else None
            components.append(history_component(_uid(entry), draft, people, now, follow_up))
    return calendar_bytes(components)


def _people(contacts: list[Contact], wanted: set[uuid.UUID] | None) -> list[tuple[uuid.UUID, str]]:
    """An item's live contacts, or none when it names none of `wanted`."""
    live = [(c.id, c.display_name) for c in contacts if c.deleted_at is None]
    if wanted is not None and not any(c in wanted for c, _ in live):
        return []
    return live


def _uid(record: Activity | HistoryEntry) -> str:
    return record.ical_uid or str(record.id)


@dataclass
class CalendarPlan:
    """What a calendar file adds: follow-ups (VTODO) and history (VJOURNAL) whose
    contacts are all of this book, and the problems that keep others out."""

    todos: list[CalendarItem] = field(default_factory=list)
    journals: list[CalendarItem] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    skipped: int = 0

    def summary(self) -> str:
        return (
            f"{len(self.todos):,} follow-ups and {len(self.journals):,} history entries to "
            f"add, {self.skipped:,} skipped (already here or done), "
            f"{len(self.problems):,} with problems"
        )


def plan_calendar(session: Session, data: bytes) -> CalendarPlan:
    """What importing `data` would add; contacts are found by their ALTREP ids."""
    reading = read_calendar(data)
    plan = CalendarPlan(problems=list(reading.problems), skipped=reading.done)
    seen = set(session.scalars(select(Activity.id))) | set(session.scalars(select(HistoryEntry.id)))
    named = list({c for item in reading.items for c in _named(item)})
    live: set[uuid.UUID] = set()
    for chunk in chunks(named):
        live.update(
            session.scalars(
                select(Contact.id).where(Contact.id.in_(chunk), Contact.deleted_at.is_(None))
            )
        )
    now = session_now(session)
    for item in reading.items:
        item_id = record_id(item.uid)
        if item_id is not None and item_id in seen:
            plan.skipped += 1
            continue
        try:
            item = _with_contacts(item, live)
            if item.follow_up is not None:
                activities.validate(item.follow_up)
                plan.todos.append(item)
            elif item.history is not None:
                if not item.history.contact_ids:
                    raise CallsheetError(
                        "names no contact of this book (import their vCards first)"
                    )
                history.validate(item.history, now)
                plan.journals.append(item)
        except (CallsheetError, ValueError) as error:
            kind = "VTODO" if item.follow_up is not None else "VJOURNAL"
            plan.problems.append(RowProblem(item.number, kind, _message(error), "item"))
            continue
        if item_id is not None:
            seen.add(item_id)  # the same UID twice in one file is added once
    return plan


def _named(item: CalendarItem) -> tuple[uuid.UUID, ...]:
    values = item.follow_up or item.history
    return values.contact_ids if values is not None else ()


def _with_contacts(item: CalendarItem, live: set[uuid.UUID]) -> CalendarItem:
    """The item naming only contacts this book has (and has not trashed)."""
    if item.follow_up is not None:
        kept = tuple(c for c in item.follow_up.contact_ids if c in live)
        return replace(item, follow_up=replace(item.follow_up, contact_ids=kept))
    assert item.history is not None
    kept = tuple(c for c in item.history.contact_ids if c in live)
    return replace(item, history=replace(item.history, contact_ids=kept))


def _message(error: Exception) -> str:
    problems = getattr(error, "problems", None)
    return " ".join(problems.values()) if isinstance(problems, dict) else str(error)


def apply_calendar(session: Session, plan: CalendarPlan) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    """Add what `plan` holds; returns the new follow-ups' and history entries' ids."""
    made_activities, made_history = [], []
    for item in plan.todos:
        assert item.follow_up is not None
        made_activities.append(
            activities.schedule(
                session, item.follow_up, activity_id=record_id(item.uid), ical_uid=_foreign(item)
            )
        )
    for item in plan.journals:
        assert item.history is not None
        made_history.append(
            history.record(
                session, item.history, entry_id=record_id(item.uid), ical_uid=_foreign(item)
            )
        )
    return made_activities, made_history


def _foreign(item: CalendarItem) -> str | None:
    """The item's UID when another app made it (Callsheet's own are its ids)."""
    return item.uid if item.uid and is_foreign_uid(item.uid) else None


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
