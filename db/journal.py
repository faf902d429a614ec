"""Record bookkeeping on every flush: timestamps, `rev`, and the change journal.

`rev` is bumped in the same flush, hence the same transaction, as the change, so no
edit made offline can be forgotten by a later sync (sync compares it with the version
each account last agreed). The journal row, the sync outbox's account of who changed
what and where the change came from, is written beside it while the book has a sync
account (`book_syncs`); a book that syncs with nobody keeps none, and the journal of a
book whose last account goes is emptied (`db.journal_upkeep`).
A change to a contact's emails, phones, addresses, links or social profiles is
also a change to the contact (its `rev` goes up), since a synced card carries them.
Listeners downstream (the lookup index) read `changed_contact_ids(session)`.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Connection, event, inspect
from sqlalchemy.orm import Session, attributes, sessionmaker

from db.clock import session_now
from db.ids import new_id
from db.models import (
    RECORD_TYPES,
    ChangeJournal,
    Contact,
    ContactAddress,
    ContactEmail,
    ContactPhone,
    ContactUrl,
    Record,
    SocialProfile,
)

_CONTACT_PARTS = (ContactEmail, ContactPhone, ContactAddress, ContactUrl)
_CHANGED_CONTACTS = "callsheet.changed_contacts"
_ORIGIN = "callsheet.origin"
_SYNCS = "callsheet.syncs"  # whether this flush's book has a sync account
# A user's edit in the app or CLI; a file imported; a change pulled from a sync server.
ORIGINS = ("local", "import", "remote")


def install(sessions: sessionmaker[Session]) -> None:
    """Track every change made through sessions from `sessions`."""
    event.listen(sessions, "before_flush", _before_flush)


def set_origin(session: Session, origin: str) -> None:
    """Journal what this session changes as coming from `origin` (one of `ORIGINS`)."""
    if origin not in ORIGINS:
        raise ValueError(f"unknown origin {origin!r}")
    session.info[_ORIGIN] = origin


def origin_of(session: Session) -> str:
    """Where this session's changes come from ("local" unless set)."""
    return str(session.info.get(_ORIGIN, "local"))


def changed_contact_ids(session: Session) -> set[uuid.UUID]:
    """Contacts changed since the last call (created, edited, trashed, restored, purged)."""
    changed: set[uuid.UUID] = session.info.setdefault(_CHANGED_CONTACTS, set())
    return changed


def book_syncs(conn: Connection) -> bool:
    """Whether the book has a sync account (its changes are journaled)."""
    return conn.exec_driver_sql("SELECT 1 FROM sync_accounts LIMIT 1").first() is not None


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    session.info[_SYNCS] = book_syncs(session.connection())
    now = session_now(session)
    changed = changed_contact_ids(session)
    parents: dict[uuid.UUID, Contact] = {}
    handled: set[int] = set()

    for obj in list(session.new):
        if isinstance(obj, Record):
            if obj.id is None:
                obj.id = new_id()
            obj.created_at = obj.created_at or now
            obj.updated_at = now
            obj.rev = 1
            _append(session, obj, "create", now)
            handled.add(id(obj))
            _note_change(session, obj, changed, parents)
        elif isinstance(obj, _CONTACT_PARTS):
            _collect_parent(session, obj, parents)

    for obj in list(session.dirty):
        if isinstance(obj, Record) and session.is_modified(obj):
            _bump(session, obj, _op_for_update(obj), now)
            handled.add(id(obj))
            _note_change(session, obj, changed, parents)
        elif isinstance(obj, _CONTACT_PARTS) and session.is_modified(obj):
            _collect_parent(session, obj, parents)

    for obj in list(session.deleted):
        if isinstance(obj, Record):
            _append(session, obj, "purge", now)
            handled.add(id(obj))
            _note_change(session, obj, changed, parents)
        elif isinstance(obj, _CONTACT_PARTS):
            _collect_parent(session, obj, parents)

    for contact in parents.values():
        if id(contact) not in handled and contact not in session.deleted:
            _bump(session, contact, "update", now)
        changed.add(contact.id)


def _note_change(
    session: Session, obj: Record, changed: set[uuid.UUID], parents: dict[uuid.UUID, Contact]
) -> None:
    """A contact changed; a social profile changes its contact (the card carries it)."""
    if isinstance(obj, Contact):
        changed.add(obj.id)
    elif isinstance(obj, SocialProfile):
        _collect_parent(session, obj, parents)


def _collect_parent(session: Session, part: Any, parents: dict[uuid.UUID, Contact]) -> None:
    contact = part.contact
    if contact is None:
        committed = attributes.get_history(part, "contact").deleted
        contact = committed[0] if committed else None
    if contact is None and part.contact_id is not None:
        contact = session.get(Contact, part.contact_id)
    if contact is not None and contact.id is not None:
        parents[contact.id] = contact


def _op_for_update(obj: Record) -> str:
    history = inspect(obj).attrs.deleted_at.history
    if history.has_changes():
        was_trashed = bool(history.deleted and history.deleted[0] is not None)
        return "restore" if obj.deleted_at is None and was_trashed else "delete"
    return "update"


def _bump(session: Session, obj: Record, op: str, now: Any) -> None:
    obj.rev = (obj.rev or 0) + 1
    obj.updated_at = now
    _append(session, obj, op, now)


def _append(session: Session, obj: Record, op: str, now: Any) -> None:
    if not session.info.get(_SYNCS):
        return
    session.add(
        ChangeJournal(
            record_type=RECORD_TYPES[type(obj)],
            record_id=obj.id,
            rev=obj.rev,
            op=op,
            changed_at=now,
            origin=origin_of(session),
        )
    )
