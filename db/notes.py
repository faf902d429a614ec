"""Notes on a contact: add, edit, pin as a talking point, trash."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.clock import session_now
from db.errors import NotFoundError, ValidationError
from db.models import Note


@dataclass(frozen=True)
class NoteRow:
    id: uuid.UUID
    body: str
    pinned: bool
    created_at: datetime
    updated_at: datetime


def notes_for(session: Session, contact_id: uuid.UUID) -> list[NoteRow]:
    """A contact's live notes, pinned first, then newest first."""
    rows = session.execute(
        select(Note.id, Note.body, Note.pinned, Note.created_at, Note.updated_at)
        .where(Note.contact_id == contact_id, Note.deleted_at.is_(None))
        .order_by(Note.pinned.desc(), Note.created_at.desc())
    )
    return [NoteRow(*row) for row in rows]


def add_note(
    session: Session,
    contact_id: uuid.UUID | None,
    body: str,
    pinned: bool = False,
    *,
    note_id: uuid.UUID | None = None,
    created_at: datetime | None = None,
) -> uuid.UUID:
    """A new note on the contact. Sync gives the id and time the note was written on
    another computer, and None for a contact this book does not have (kept unseen, as
    history is, so the books agree)."""
    note = Note(
        id=note_id, contact_id=contact_id, body=_checked(body), pinned=pinned, created_at=created_at
    )
    session.add(note)
    session.flush()
    return note.id


def edit_note(session: Session, note_id: uuid.UUID, body: str, pinned: bool | None = None) -> None:
    note = _get(session, note_id)
    clean = _checked(body)
    if note.body != clean:
        note.body = clean
    if pinned is not None and note.pinned != pinned:
        note.pinned = pinned
    session.flush()


def trash_note(session: Session, note_id: uuid.UUID) -> None:
    _get(session, note_id).deleted_at = session_now(session)
    session.flush()


def restore_note(session: Session, note_id: uuid.UUID) -> None:
    _get(session, note_id).deleted_at = None
    session.flush()


def _get(session: Session, note_id: uuid.UUID) -> Note:
    note = session.get(Note, note_id)
    if note is None:
        raise NotFoundError("That note no longer exists.")
    return note


def _checked(body: str) -> str:
    if not body.strip():
        raise ValidationError({"body": "A note needs some text."})
    return body.rstrip()
