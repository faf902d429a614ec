"""History entries: what happened with a contact (calls, meetings, emails)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import follow_up
from db.activity_values import HISTORY_KINDS, OUTCOMES, HistoryDraft
from db.clock import session_now
from db.errors import NotFoundError, ValidationError
from db.models import Contact, HistoryEntry, history_contacts

MAX_DURATION_MINUTES = 24 * 60


@dataclass(frozen=True)
class HistoryRow:
    id: uuid.UUID
    kind: str
    occurred_at: datetime
    duration_minutes: int
    outcome: str
    regarding: str
    notes: str | None


def history_for(session: Session, contact_id: uuid.UUID, limit: int = 500) -> list[HistoryRow]:
    """A contact's history, newest first."""
    rows = session.execute(
        select(
            HistoryEntry.id,
            HistoryEntry.kind,
            HistoryEntry.occurred_at,
            HistoryEntry.duration_minutes,
            HistoryEntry.outcome,
            HistoryEntry.regarding,
            HistoryEntry.notes,
        )
        .join(history_contacts, history_contacts.c.history_id == HistoryEntry.id)
        .where(history_contacts.c.contact_id == contact_id, HistoryEntry.deleted_at.is_(None))
        .order_by(HistoryEntry.occurred_at.desc())
        .limit(limit)
    )
    return [HistoryRow(*row) for row in rows]


def record_history(
    session: Session,
    contact_ids: Iterable[uuid.UUID],
    *,
    kind: str,
    occurred_at: datetime,
    regarding: str = "",
    outcome: str = "completed",
    duration_minutes: int = 0,
    notes: str | None = None,
) -> uuid.UUID:
    """Log something that happened with one or more contacts."""
    draft = HistoryDraft(
        tuple(contact_ids), kind, occurred_at, regarding, outcome, duration_minutes, notes
    )
    return record(session, draft)


def validate(draft: HistoryDraft, now: datetime | None) -> None:
    """Raise ValidationError naming every field of `draft` with a problem. With `now`,
    a time after it is one and the entry must name a contact; None: the entry comes
    from another computer (its clock is its own; its contacts may not be in this book)."""
    problems = {}
    if draft.kind not in HISTORY_KINDS:
        problems["kind"] = f"Choose a kind: {', '.join(HISTORY_KINDS)}."
    if draft.outcome not in OUTCOMES:
        problems["outcome"] = f"Choose an outcome: {', '.join(OUTCOMES)}."
    if not 0 <= draft.duration_minutes <= MAX_DURATION_MINUTES:
        problems["duration"] = "The duration must be between 0 minutes and 24 hours."
    if len(draft.regarding.strip()) > 500:
        problems["regarding"] = "Regarding is too long (at most 500 characters)."
    if draft.occurred_at.tzinfo is None:
        raise ValueError("occurred_at must be timezone-aware")
    if now is not None and draft.occurred_at > now + timedelta(minutes=5):
        problems["when"] = "History is what already happened: the time is in the future."
    if now is not None and not draft.contact_ids:
        problems["contacts"] = "Choose at least one contact."
    if problems:
        raise ValidationError(problems)


def record(
    session: Session,
    draft: HistoryDraft,
    *,
    entry_id: uuid.UUID | None = None,
    ical_uid: str | None = None,
    from_server: bool = False,
) -> uuid.UUID:
    """Validate and log `draft`. A calendar import passes the id the item's UID names
    and, for another app's UID, that UID to write back on export; a sync passes
    `from_server` (see `validate`)."""
    validate(draft, None if from_server else session_now(session))
    ids = list(draft.contact_ids)
    contacts = list(session.scalars(select(Contact).where(Contact.id.in_(ids))))
    entry = HistoryEntry(
        kind=draft.kind,
        occurred_at=draft.occurred_at,
        regarding=draft.regarding.strip(),
        outcome=draft.outcome,
        duration_minutes=draft.duration_minutes,
        notes=(draft.notes or "").strip() or None,
        contacts=contacts,
        ical_uid=ical_uid,
    )
    if entry_id is not None:
        entry.id = entry_id
    session.add(entry)
    session.flush()
    follow_up.refresh(session, ids)
    return entry.id


@dataclass(frozen=True)
class HistoryDetails:
    """One entry as the edit dialog shows it: its values and whom it names."""

    id: uuid.UUID
    draft: HistoryDraft
    contacts: tuple[tuple[uuid.UUID, str], ...]


def get_entry(session: Session, history_id: uuid.UUID) -> HistoryDetails:
    entry = _live(session, history_id)
    people = tuple((c.id, c.display_name) for c in entry.contacts if c.deleted_at is None)
    draft = HistoryDraft(
        contact_ids=tuple(c for c, _name in people),
        kind=entry.kind,
        occurred_at=entry.occurred_at,
        regarding=entry.regarding,
        outcome=entry.outcome,
        duration_minutes=entry.duration_minutes,
        notes=entry.notes,
    )
    return HistoryDetails(entry.id, draft, people)


def update(
    session: Session, history_id: uuid.UUID, draft: HistoryDraft, from_server: bool = False
) -> None:
    """Give an entry new values (a typo in the notes, the wrong outcome, who was there)."""
    validate(draft, None if from_server else session_now(session))
    entry = _live(session, history_id)
    before = {c.id for c in entry.contacts}
    entry.kind = draft.kind
    entry.occurred_at = draft.occurred_at
    entry.regarding = draft.regarding.strip()
    entry.outcome = draft.outcome
    entry.duration_minutes = draft.duration_minutes
    entry.notes = (draft.notes or "").strip() or None
    if before != set(draft.contact_ids):
        entry.contacts = list(
            session.scalars(select(Contact).where(Contact.id.in_(list(draft.contact_ids))))
        )
    session.flush()
    follow_up.refresh(session, list(before | set(draft.contact_ids)))


def _live(session: Session, history_id: uuid.UUID) -> HistoryEntry:
    entry = session.get(HistoryEntry, history_id)
    if entry is None or entry.deleted_at is not None:
        raise NotFoundError("That history entry no longer exists (it may have been undone).")
    return entry


def set_trashed(session: Session, history_id: uuid.UUID, trashed: bool) -> None:
    """Move a history entry to the Trash or back (undo of logging it)."""
    entry = session.get(HistoryEntry, history_id)
    if entry is None:
        return
    entry.deleted_at = session_now(session) if trashed else None
    session.flush()
    follow_up.refresh(session, [c.id for c in entry.contacts])
