"""History entries: what happened with a contact (calls, meetings, emails)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from db import follow_up
from db.clock import session_now
from db.errors import ValidationError
from db.models import Contact, HistoryEntry, history_contacts

KINDS = ("call", "meeting", "email", "to-do", "note")
MAX_DURATION_MINUTES = 24 * 60
OUTCOMES = ("completed", "attempted", "left message", "no answer", "rescheduled", "cancelled")


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
    problems = {}
    if kind not in KINDS:
        problems["kind"] = f"Choose a kind: {', '.join(KINDS)}."
    if outcome not in OUTCOMES:
        problems["outcome"] = f"Choose an outcome: {', '.join(OUTCOMES)}."
    if not 0 <= duration_minutes <= MAX_DURATION_MINUTES:
        problems["duration"] = "The duration must be between 0 minutes and 24 hours."
    if len(regarding.strip()) > 500:
        problems["regarding"] = "Regarding is too long (at most 500 characters)."
    if occurred_at.tzinfo is None:
        raise ValueError("occurred_at must be timezone-aware")
    if occurred_at > session_now(session) + timedelta(minutes=5):
        problems["when"] = "History is what already happened: the time is in the future."
    ids = list(contact_ids)
    if not ids:
        problems["contacts"] = "Choose at least one contact."
    if problems:
        raise ValidationError(problems)
    contacts = list(session.scalars(select(Contact).where(Contact.id.in_(ids))))
    entry = HistoryEntry(
        kind=kind,
        occurred_at=occurred_at,
        regarding=regarding.strip(),
        outcome=outcome,
        duration_minutes=duration_minutes,
        notes=(notes or "").strip() or None,
        contacts=contacts,
    )
    session.add(entry)
    session.flush()
    follow_up.refresh(session, ids)
    return entry.id


def set_trashed(session: Session, history_id: uuid.UUID, trashed: bool) -> None:
    """Move a history entry to the Trash or back (undo of logging it)."""
    entry = session.get(HistoryEntry, history_id)
    if entry is None:
        return
    entry.deleted_at = session_now(session) if trashed else None
    session.flush()
    follow_up.refresh(session, [c.id for c in entry.contacts])
