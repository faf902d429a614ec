"""History entries: what happened with a contact (calls, meetings, emails)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Contact, HistoryEntry, history_contacts

KINDS = ("call", "meeting", "email", "to-do", "note")
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
    if kind not in KINDS:
        raise ValueError(f"unknown history kind {kind!r}")
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    contacts = list(session.scalars(select(Contact).where(Contact.id.in_(list(contact_ids)))))
    entry = HistoryEntry(
        kind=kind,
        occurred_at=occurred_at,
        regarding=regarding,
        outcome=outcome,
        duration_minutes=duration_minutes,
        notes=notes,
        contacts=contacts,
    )
    session.add(entry)
    session.flush()
    return entry.id
