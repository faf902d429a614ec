"""Follow-ups (VTODO), history and contacts' notes (VJOURNAL) as kinds the sync engine
carries, in the account's task list. An item's contacts are named by their UIDs
(CONTACT lines with an `urn:uuid:` ALTREP); one naming a contact this book does not
have is taken without it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import icalendar
from sqlalchemy.orm import Session

from db import sync_records, sync_state
from db.clock import Clock
from desktop.interop.calendar_items import follow_up_component, history_component
from desktop.interop.plan import is_foreign_uid
from desktop.interop.plan import record_id as id_for_uid
from desktop.sync import note_items, todos
from desktop.sync.cards import Fields, Lost, merge
from desktop.sync.kinds import Loaded
from desktop.sync.todos import UnreadableItem


class _CalendarKind:
    """What follow-ups, history and notes share: the task list, reading, merging."""

    collection = "tasks"
    suffix = ".ics"
    component = ""  # VTODO or VJOURNAL
    notes = False  # of VJOURNALs, this kind is the ones marked as notes (else the rest)
    names: tuple[str, ...] = ()
    noun = ""  # what one is called: "follow-up"

    def __init__(self, clock: Clock) -> None:
        self.now, self.zone = clock.now, clock.zone

    def claims(self, text: str) -> bool:
        found = todos.component_of(text)
        return found is not None and self._fits(found)

    def _fits(self, component: icalendar.cal.Component) -> bool:
        if component.name != self.component:
            return False
        return component.name != "VJOURNAL" or note_items.is_note(component) == self.notes

    def read(
        self, session: Session, text: str, problems: list[str]
    ) -> tuple[uuid.UUID | None, str, Fields]:
        component = todos.component_of(text)
        if component is None or not self._fits(component):
            raise UnreadableItem(f"The server's item is no {self.noun}.")
        fields = self._fields(component)
        named = [uuid.UUID(c) for c in fields["contacts"]]
        known = {str(c) for c in sync_records.known_contacts(session, named)}
        uid = todos.uid_of(component)
        return id_for_uid(uid), uid, todos.with_known_contacts(fields, known)

    def merge(
        self, base: Fields | None, local: Fields, remote: Fields
    ) -> tuple[Fields, list[Lost]]:
        return merge(base, local, remote, self.names, ("contacts",))

    def _fields(self, component: icalendar.cal.Component) -> Fields:
        raise NotImplementedError

    def _text(self, component: icalendar.cal.Component, base: str | None) -> str:
        return todos.over_base(component, base)

    def name(self, fields: Fields) -> str:
        return str(fields["regarding"]) or f"A {self.noun}"


def _loaded(records: Mapping[uuid.UUID, Any]) -> dict[uuid.UUID, Loaded]:
    """Records of sync_records' loaders as the engine takes them."""
    return {i: Loaded(i, r.rev, r.trashed, r) for i, r in records.items()}


def _foreign(uid: str) -> str | None:
    return uid if uid and is_foreign_uid(uid) else None


class FollowUpKind(_CalendarKind):
    record_type = sync_state.ACTIVITY
    component = "VTODO"
    noun = "follow-up"
    names = todos.TASK_FIELDS

    def load(self, session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Loaded]:
        return _loaded(sync_records.load_follow_ups(session, ids))

    def text(self, record: Loaded, base: str | None) -> str:
        value: sync_records.FollowUpRecord = record.value
        component = follow_up_component(
            value.uid, value.draft, value.people, self.now(), value.status
        )
        return self._text(component, base)

    def _fields(self, component: icalendar.cal.Component) -> Fields:
        return todos.task_fields(component, self.zone())

    def put(self, session: Session, record_id: uuid.UUID, uid: str, merged: Fields) -> int:
        return sync_records.put_follow_up(
            session, record_id, todos.activity_draft(merged), merged["status"], _foreign(uid)
        )

    def trash(self, session: Session, ids: Sequence[uuid.UUID]) -> int:
        return sync_records.trash_follow_ups(session, ids)


class HistoryKind(_CalendarKind):
    record_type = sync_state.HISTORY
    component = "VJOURNAL"
    noun = "history entry"
    names = todos.HISTORY_FIELDS

    def load(self, session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Loaded]:
        return _loaded(sync_records.load_history(session, ids))

    def text(self, record: Loaded, base: str | None) -> str:
        value: sync_records.HistoryRecord = record.value
        component = history_component(
            value.uid, value.draft, value.people, self.now(), value.follow_up_uid or None
        )
        return self._text(component, base)

    def _fields(self, component: icalendar.cal.Component) -> Fields:
        return todos.history_fields(component)

    def put(self, session: Session, record_id: uuid.UUID, uid: str, merged: Fields) -> int:
        cleared = id_for_uid(merged["follow_up"]) if merged["follow_up"] else None
        return sync_records.put_history(
            session, record_id, todos.history_values(merged), cleared, _foreign(uid)
        )

    def trash(self, session: Session, ids: Sequence[uuid.UUID]) -> int:
        return sync_records.trash_history(session, ids)


class NoteKind(_CalendarKind):
    """A contact's notes; a company's stay on this computer (`sync_state.pending`)."""

    record_type = sync_state.NOTE
    component = "VJOURNAL"
    notes = True
    noun = "note"
    names = note_items.NOTE_FIELDS

    def load(self, session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Loaded]:
        return _loaded(sync_records.load_notes(session, ids))

    def text(self, record: Loaded, base: str | None) -> str:
        value: sync_records.NoteRecord = record.value
        component = note_items.note_component(
            str(value.id), value.body, value.pinned, value.written, value.people, self.now()
        )
        return self._text(component, base)

    def _fields(self, component: icalendar.cal.Component) -> Fields:
        return note_items.note_fields(component)

    def put(self, session: Session, record_id: uuid.UUID, uid: str, merged: Fields) -> int:
        contact = uuid.UUID(merged["contacts"][0]) if merged["contacts"] else None
        written = datetime.fromisoformat(merged["written"]) if merged["written"] else None
        return sync_records.put_note(
            session, record_id, merged["body"], merged["pinned"], contact, written
        )

    def trash(self, session: Session, ids: Sequence[uuid.UUID]) -> int:
        return sync_records.trash_notes(session, ids)

    def name(self, fields: Fields) -> str:
        return note_items.first_line(str(fields["body"])) or f"A {self.noun}"
