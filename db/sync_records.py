"""Follow-ups, history and contacts' notes as sync reads and writes them: loaded many
at a time with their state, and made to hold what a server's item says (after the
merge) through the same validation and journal as an edit in the app.

A follow-up travels as its current occurrence (a series' next due, as reminders apps
show it), with its state: open, done or cancelled. Done on the server means done here,
without a history entry (the phone that ticked it logged none; a Callsheet that
cleared it sends its history entry as well).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from db import activities, follow_up, history, notes
from db.activity_values import ActivityDraft, HistoryDraft
from db.bulk import chunks
from db.clock import session_now
from db.models import Activity, Contact, HistoryEntry, Note

Person = tuple[uuid.UUID, str]


@dataclass(frozen=True)
class FollowUpRecord:
    id: uuid.UUID
    rev: int
    trashed: bool
    uid: str  # the UID its calendar gave it, or its id
    draft: ActivityDraft
    status: str
    people: tuple[Person, ...]


@dataclass(frozen=True)
class HistoryRecord:
    id: uuid.UUID
    rev: int
    trashed: bool
    uid: str
    draft: HistoryDraft
    people: tuple[Person, ...]
    follow_up_uid: str  # the follow-up it cleared ("" when none)


@dataclass(frozen=True)
class NoteRecord:
    id: uuid.UUID
    rev: int
    trashed: bool
    body: str
    pinned: bool
    written: datetime
    people: tuple[Person, ...]  # its contact (none when this book lacks it)


def load_follow_ups(session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, FollowUpRecord]:
    found = {}
    for chunk in chunks(list(ids)):
        for activity in session.scalars(
            select(Activity).where(Activity.id.in_(chunk)).options(selectinload(Activity.contacts))
        ):
            found[activity.id] = _follow_up_record(activity)
    return found


def _follow_up_record(activity: Activity) -> FollowUpRecord:
    people = _people(activity.contacts)
    assert activity.starts_at is not None
    draft = activities.draft_from(activity, activity.starts_at, tuple(c for c, _ in people))
    return FollowUpRecord(
        activity.id,
        activity.rev,
        activity.deleted_at is not None,
        activity.ical_uid or str(activity.id),
        draft,
        activity.status,
        people,
    )


def load_history(session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, HistoryRecord]:
    found = {}
    for chunk in chunks(list(ids)):
        for entry in session.scalars(
            select(HistoryEntry)
            .where(HistoryEntry.id.in_(chunk))
            .options(selectinload(HistoryEntry.contacts))
        ):
            people = _people(entry.contacts)
            draft = HistoryDraft(
                tuple(c for c, _ in people), entry.kind, entry.occurred_at, entry.regarding,
                entry.outcome, entry.duration_minutes, entry.notes,
            )  # fmt: skip
            cleared = session.get(Activity, entry.activity_id) if entry.activity_id else None
            found[entry.id] = HistoryRecord(
                entry.id,
                entry.rev,
                entry.deleted_at is not None,
                entry.ical_uid or str(entry.id),
                draft,
                people,
                (cleared.ical_uid or str(cleared.id)) if cleared else "",
            )
    return found


def load_notes(session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, NoteRecord]:
    found = {}
    for chunk in chunks(list(ids)):
        for note in session.scalars(
            select(Note).where(Note.id.in_(chunk)).options(selectinload(Note.contact))
        ):
            found[note.id] = NoteRecord(
                note.id,
                note.rev,
                note.deleted_at is not None,
                note.body,
                note.pinned,
                note.created_at,
                _people([note.contact] if note.contact else []),
            )
    return found


def known_contacts(session: Session, ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    """Which of `ids` are contacts of this book (in the Trash or not)."""
    known: set[uuid.UUID] = set()
    for chunk in chunks(list(ids)):
        known.update(session.scalars(select(Contact.id).where(Contact.id.in_(chunk))))
    return known


def put_follow_up(
    session: Session, record_id: uuid.UUID, draft: ActivityDraft, status: str, uid: str | None
) -> int:
    """Create the follow-up `record_id`, or give it these values and this state (back
    from the Trash if it was there). Returns its `rev` afterwards."""
    row = session.get(Activity, record_id)
    if row is None:
        activities.schedule(session, draft, activity_id=record_id, ical_uid=uid)
        row = session.get(Activity, record_id)
        assert row is not None
    else:
        row.deleted_at = None
        activities.update(session, record_id, draft)
    if row.status != status:
        row.status = status
        row.completed_at = None if status == "open" else session_now(session)
        if status != "open":
            row.alarm_at = None
        follow_up.refresh(session, draft.contact_ids)
    session.flush()
    return row.rev


def put_history(
    session: Session,
    record_id: uuid.UUID,
    draft: HistoryDraft,
    follow_up_id: uuid.UUID | None,
    uid: str | None,
) -> int:
    """Create the history entry `record_id`, or give it these values (back from the
    Trash if it was there). Returns its `rev` afterwards. Another computer's clock may
    run ahead of this one's (an entry "in the future" is taken as it is), and it may
    name only contacts this book does not have (kept, on no contact, so books agree)."""
    row = session.get(HistoryEntry, record_id)
    if row is None:
        history.record(session, draft, entry_id=record_id, ical_uid=uid, from_server=True)
        row = session.get(HistoryEntry, record_id)
        assert row is not None
    else:
        row.deleted_at = None
        history.update(session, record_id, draft, from_server=True)
    if follow_up_id is not None and session.get(Activity, follow_up_id) is not None:
        row.activity_id = follow_up_id
    session.flush()
    return row.rev


def put_note(
    session: Session,
    record_id: uuid.UUID,
    body: str,
    pinned: bool,
    contact_id: uuid.UUID | None,
    written: datetime | None,
) -> int:
    """Create the note `record_id` on the contact (None: one this book lacks), or give
    it this text, pin and contact (back from the Trash if it was there). Returns its
    `rev`."""
    row = session.get(Note, record_id)
    if row is None:
        notes.add_note(session, contact_id, body, pinned, note_id=record_id, created_at=written)
        row = session.get(Note, record_id)
        assert row is not None
    else:
        row.deleted_at = None
        notes.edit_note(session, record_id, body, pinned)
        if contact_id is not None and row.company_id is None and row.contact_id != contact_id:
            row.contact_id = contact_id  # moved by a merge of two contacts, or arrived since
    session.flush()
    return row.rev


def trash_follow_ups(session: Session, ids: Sequence[uuid.UUID]) -> int:
    return activities.trash(session, ids)


def trash_history(session: Session, ids: Sequence[uuid.UUID]) -> int:
    return _trash_live(
        session, HistoryEntry, ids, lambda entry_id: history.set_trashed(session, entry_id, True)
    )


def trash_notes(session: Session, ids: Sequence[uuid.UUID]) -> int:
    return _trash_live(session, Note, ids, lambda note_id: notes.trash_note(session, note_id))


def _trash_live(
    session: Session,
    model: type[HistoryEntry] | type[Note],
    ids: Sequence[uuid.UUID],
    trash_one: Callable[[uuid.UUID], object],
) -> int:
    """Move to the Trash those of `ids` that are live, each by `trash_one`; how many."""
    moved = 0
    for record_id in ids:
        record = session.get(model, record_id)
        if record is not None and record.deleted_at is None:
            trash_one(record_id)
            moved += 1
    return moved


def _people(contacts: list[Contact]) -> tuple[Person, ...]:
    """Whom a record names: every linked contact, also one in the Trash (the link
    stays, as it does here, so a restore brings it back everywhere)."""
    return tuple(sorted(((c.id, c.display_name) for c in contacts), key=lambda p: (p[1], p[0])))
