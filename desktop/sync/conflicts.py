"""The conflict log's one action: put back the value that lost."""

from __future__ import annotations

import uuid

from db import sync_apply, sync_state
from db.engine import Database
from db.errors import NotFoundError
from db.exports import load_contacts
from desktop.sync.cards import contact_fields, contact_of, referred_by


def restore_value(db: Database, conflict_id: uuid.UUID, region: str) -> str:
    """Give the contact the value that lost the conflict, as an edit of this computer's
    (so the next sync sends it); returns the contact's name."""
    with db.transaction() as session:
        conflict = sync_state.conflict(session, conflict_id)
        current = next(iter(load_contacts(session, [conflict.record_id])), None)
        if current is None:
            raise NotFoundError(f"{conflict.record_name} is no longer in the book.")
        fields = contact_fields(current, region)
        fields[conflict.field] = conflict.kept
        sync_apply.put_contact(
            session, contact_of(fields, conflict.record_id, region), referred_by(fields)
        )
        sync_state.mark_restored(session, conflict_id)
        return conflict.record_name
