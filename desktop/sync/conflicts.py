"""The conflict log as people read it, and its one action: put back the value that
lost."""

from __future__ import annotations

import uuid
from typing import Any

from db import sync_state
from db.engine import Database
from db.errors import NotFoundError
from desktop.sync import cards, note_items, todos
from desktop.sync.kinds import ContactKind, RecordKind
from desktop.sync.task_kinds import FollowUpKind, HistoryKind, NoteKind
from desktop.wording import counted


def label(record_type: str, field: str) -> str:
    """A field's name as the log shows it: “Job title”, “Due”."""
    labels = {sync_state.CONTACT: cards.LABELS, sync_state.NOTE: note_items.LABELS}
    return labels.get(record_type, todos.LABELS).get(field, field)


def describe(record_type: str, field: str, value: Any) -> str:
    """A value as the log shows it: “Buyer”, two numbers, 3 contacts, (empty)."""
    if record_type == sync_state.CONTACT:
        return cards.describe_value(field, value)
    if value in (None, "", []):
        return "(empty)"
    if field == "contacts":
        return counted(len(value), "contact")
    if field == "pinned":
        return "yes" if value else "no"
    if field == "alarm_minutes":
        return f"{counted(int(value), 'minute')} before"
    if field in ("start", "end", "occurred_at", "written"):
        return str(value).replace("T", " ")[:16]
    return f"“{value}”"


def restore_value(db: Database, conflict_id: uuid.UUID, region: str) -> str:
    """Give the record the value that lost the conflict, as an edit of this computer's
    (so the next sync sends it); returns the record's name."""
    with db.transaction() as session:
        conflict = sync_state.conflict(session, conflict_id)
        kind = _kind(db, conflict.record_type, region)
        current = kind.load(session, [conflict.record_id]).get(conflict.record_id)
        if current is None:
            raise NotFoundError(f"{conflict.record_name} is no longer in the book.")
        _named, uid, fields = kind.read(session, kind.text(current, None), [])
        fields[conflict.field] = conflict.kept
        kind.put(session, conflict.record_id, uid, fields)
        sync_state.mark_restored(session, conflict_id)
        return conflict.record_name


def _kind(db: Database, record_type: str, region: str) -> RecordKind:
    if record_type == sync_state.ACTIVITY:
        return FollowUpKind(db.clock)
    if record_type == sync_state.HISTORY:
        return HistoryKind(db.clock)
    if record_type == sync_state.NOTE:
        return NoteKind(db.clock)
    return ContactKind(region)
