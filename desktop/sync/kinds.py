"""What the sync engine needs to know about each kind of record it carries: how to
load it, write it as the server's text, read a server's text back as comparable
fields, merge, and store the merge. Contacts are vCards in an address book; follow-ups
(VTODO) and history (VJOURNAL) share a task list (`desktop.sync.task_kinds`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.orm import Session

from db import contacts, sync_apply, sync_state
from db.exports import load_contacts
from desktop.interop.vcard import write_vcard
from desktop.sync.cards import (
    Fields,
    Lost,
    contact_of,
    merge,
    read_fields,
    referred_by,
)


@dataclass(frozen=True)
class Loaded:
    """A record of the book as sync sees it; `value` is the kind's own."""

    id: uuid.UUID
    rev: int
    trashed: bool
    value: Any


class RecordKind(Protocol):
    record_type: str  # as sync_state and the journal name it
    suffix: str  # of its resource names on the server
    collection: str  # "contacts" or "tasks": the account's collection it lives in

    def claims(self, text: str) -> bool:
        """Whether a server's resource is one of these."""

    def load(self, session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Loaded]: ...

    def text(self, record: Loaded, base: str | None) -> str:
        """The record as the server should hold it (over its version `base`)."""

    def read(
        self, session: Session, text: str, problems: list[str]
    ) -> tuple[uuid.UUID | None, str, Fields]:
        """A server's text as (record id its UID names, the UID, fields); raises
        `InputError` when the text cannot be one of these."""

    def merge(
        self, base: Fields | None, local: Fields, remote: Fields
    ) -> tuple[Fields, list[Lost]]: ...

    def put(self, session: Session, record_id: uuid.UUID, uid: str, merged: Fields) -> int:
        """Give the record (made when new) the merged values; its rev after."""

    def trash(self, session: Session, ids: Sequence[uuid.UUID]) -> int: ...

    def name(self, fields: Fields) -> str:
        """What the conflict log and problem lines call it."""


class ContactKind:
    """Contacts as vCards (`desktop.sync.cards`); for an account that carries one group,
    a contact that arrives from it joins that group here (so it stays shared)."""

    record_type = sync_state.CONTACT
    suffix = ".vcf"
    collection = "contacts"

    def __init__(self, region: str, vcard_version: str = "4.0", group: str | None = None) -> None:
        self.region, self.vcard_version, self.group = region, vcard_version, group

    def claims(self, text: str) -> bool:
        return True

    def load(self, session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Loaded]:
        return {
            c.details.id: Loaded(c.details.id, c.details.rev, c.details.deleted_at is not None, c)
            for c in load_contacts(session, list(ids))
        }

    def text(self, record: Loaded, base: str | None) -> str:
        return write_vcard(record.value, self.vcard_version)

    def read(
        self, session: Session, text: str, problems: list[str]
    ) -> tuple[uuid.UUID | None, str, Fields]:
        uid, fields = read_fields(text, self.region, problems)
        return uid, str(uid or ""), fields

    def merge(
        self, base: Fields | None, local: Fields, remote: Fields
    ) -> tuple[Fields, list[Lost]]:
        return merge(base, local, remote)

    def put(self, session: Session, record_id: uuid.UUID, uid: str, merged: Fields) -> int:
        groups = merged["groups"]
        if self.group and self.group.casefold() not in {g.casefold() for g in groups}:
            merged = {**merged, "groups": sorted([*groups, self.group], key=str.casefold)}
        record = contact_of(merged, record_id, self.region)
        return sync_apply.put_contact(session, record, referred_by(merged))

    def trash(self, session: Session, ids: Sequence[uuid.UUID]) -> int:
        return contacts.trash_contacts(session, list(ids))

    def name(self, fields: Fields) -> str:
        return str(fields["display_name"])
