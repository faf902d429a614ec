"""Imports as batches: what each one created or changed is recorded, so Undo import
takes exactly that back (created contacts to the Trash, changed ones to their
before-image). The caller commits chunk by chunk; a killed import leaves whole chunks,
each recorded, and Undo works for what landed.

New contacts are written with plain INSERTs (the same rows, journal entries and lookup
index rows an edit makes), because an ORM flush per contact manages under a thousand a
second and an import of 100,000 should take seconds.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, cast

from sqlalchemy import delete, exists, func, select
from sqlalchemy.orm import Session

from db import activities, contacts, groups, history, moments, snapshots, social_profiles
from db.bulk import chunks
from db.clock import session_now
from db.contact_rows import ContactRows, NewContact
from db.contact_values import ImportedContact
from db.errors import NotFoundError, ValidationError
from db.ids import id_bytes, new_id
from db.journal import origin_of
from db.models import (
    Company,
    Contact,
    Group,
    ImportBatch,
    ImportItem,
    Note,
    activity_contacts,
    group_members,
    history_contacts,
)
from db.text import sort_key


@dataclass(frozen=True)
class BatchRow:
    id: uuid.UUID
    source: str
    format: str
    status: str
    created_count: int
    changed_count: int = 0
    started_at: datetime | None = None


_COMPANY_COLUMNS = ("id", "name", "sort_name", "created_at", "updated_at", "rev")


def start_batch(session: Session, source: str, format: str) -> uuid.UUID:
    batch = ImportBatch(
        source=source[:500],
        format=format,
        status="running",
        created_count=0,
        started_at=session_now(session),
    )
    session.add(batch)
    session.flush()
    return batch.id


@dataclass
class ContactWriter:
    """Writes an import's contacts chunk by chunk; remembers the companies and groups
    it has seen so each is looked up once per import."""

    companies: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # key -> (id, name)
    group_ids: dict[str, uuid.UUID] = field(default_factory=dict)  # folded name -> id
    group_names: dict[uuid.UUID, str] = field(default_factory=dict)
    changed: set[uuid.UUID] = field(default_factory=set)  # contacts with a before-image
    _loaded: bool = False

    def create(
        self, session: Session, batch_id: uuid.UUID, records: Sequence[ImportedContact]
    ) -> int:
        """Insert these new contacts (with groups, profiles, photo) in the batch."""
        batch = _batch(session, batch_id)
        self._load(session)
        conn = session.connection()
        built, ids = (
            ContactRows(moments.stored(session_now(session)), origin_of(session)),
            id_bytes(),
        )
        companies: list[tuple[object, ...]] = []
        for record in records:
            draft = record.draft
            company = self._company(draft.company, built.now, companies) if draft.company else None
            groups_of = [self._group(session, batch_id, name) for name in record.groups]
            built.add(
                NewContact(
                    record.id,
                    draft,
                    company,
                    [(gid.bytes, self.group_names[gid]) for gid in groups_of if gid is not None],
                    [(link.network, link.handle, link.url) for link in record.profiles],
                    record.photo,
                    record.vcard_extra,
                ),
                ids,
            )
        built.extend("companies", _COMPANY_COLUMNS, companies)
        built.journal("company", [cast(bytes, row[0]) for row in companies])
        built.extend(
            "import_items",
            ("batch_id", "contact_id", "action"),
            [(batch_id.bytes, record.id.bytes, "created") for record in records]
            + [(batch_id.bytes, row[0], "company") for row in companies],
        )
        built.write(conn)
        batch.created_count += len(records)
        return len(records)

    def hold(
        self, session: Session, batch_id: uuid.UUID, contact_ids: Sequence[uuid.UUID]
    ) -> list[object]:
        """The batch and these contacts (with their details) read in a few queries, for
        `change` to find in the session; keep the list while it works."""
        return [_batch(session, batch_id), *contacts.preload(session, contact_ids)]

    def change(
        self,
        session: Session,
        batch_id: uuid.UUID,
        record: ImportedContact,
        action: str,
    ) -> None:
        """Give an existing contact these values (`action` is "updated" or "merged"),
        keeping its before-image so Undo import can put it back."""
        batch = _batch(session, batch_id)
        self._load(session)
        item = session.get(ImportItem, (batch_id, record.id)) if record.id in self.changed else None
        if item is None:  # first change of this contact in the batch: keep what it was
            item = ImportItem(batch_id=batch_id, contact_id=record.id, action=action)
            item.before = snapshots.take(session, record.id)
            session.add(item)
            batch.changed_count += 1
            self.changed.add(record.id)
        assert item.before is not None
        group_ids = tuple(
            gid for gid in (self._group(session, batch_id, name) for name in record.groups) if gid
        )
        draft = record.draft
        contacts.update_contact(
            session,
            record.id,
            replace(draft, group_ids=tuple(dict.fromkeys(draft.group_ids + group_ids))),
            flush=False,
        )
        row = session.get(Contact, record.id)
        assert row is not None
        if record.photo is not None and row.photo != record.photo:
            row.photo = record.photo
        if record.vcard_extra and tuple(row.vcard_extra or ()) != record.vcard_extra:
            row.vcard_extra = list(record.vcard_extra)
        added = list(item.before.get("added_profiles", []))
        for link in record.profiles:
            try:
                pid = social_profiles.add_profile(
                    session, record.id, link.network, link.handle, link.url
                )
            except ValidationError:
                continue  # already on the contact
            added.append(str(pid))
        item.before = {**item.before, "added_profiles": added}

    def _load(self, session: Session) -> None:
        if self._loaded:
            return
        for cid, key, name in session.connection().exec_driver_sql(
            "SELECT id, sort_name, name FROM companies WHERE deleted_at IS NULL"
        ):
            self.companies.setdefault(key, (cid, name))
        known = groups.list_groups(session)
        # Keyed as group names are unique: case and accents aside ("Café" is "Cafe").
        self.group_ids = {sort_key(g.name): g.id for g in known}
        self.group_names = {g.id: g.name for g in known}
        self._loaded = True

    def _company(self, name: str, now: int, made: list[tuple[object, ...]]) -> tuple[bytes, str]:
        """The company's (id, name); a new one's row is added to `made`."""
        key = sort_key(name)
        known = self.companies.get(key)
        if known is None:
            known = self.companies[key] = (new_id().bytes, " ".join(name.split()))
            made.append((*known, key, now, now, 1))
        return known

    def _group(self, session: Session, batch_id: uuid.UUID, name: str) -> uuid.UUID | None:
        """The group called `name`; one the import makes is recorded, for its undo."""
        key = sort_key(name.strip())
        if not key:
            return None
        if key not in self.group_ids:
            found = groups.group_called(session, name)  # someone may have made it meanwhile
            if found is None:
                found = groups.create_group(session, name.strip())
                session.add(ImportItem(batch_id=batch_id, contact_id=found, action="group"))
            self.group_ids[key] = found
            group = session.get(Group, found)
            assert group is not None
            self.group_names[found] = group.name
        return self.group_ids[key]


def link_referrals(session: Session, referrals: Sequence[tuple[uuid.UUID, uuid.UUID]]) -> int:
    """Set "referred by" for (contact, referrer) pairs where both exist; returns how many."""
    linked = 0
    for contact_id, referrer_id in referrals:
        contact = session.get(Contact, contact_id)
        if contact is None or contact_id == referrer_id:
            continue
        if session.get(Contact, referrer_id) is not None:
            contact.referred_by_id = referrer_id
            linked += 1
    session.flush()
    return linked


def record_calendar_items(
    session: Session,
    batch_id: uuid.UUID,
    activity_ids: Sequence[uuid.UUID],
    history_ids: Sequence[uuid.UUID],
) -> None:
    """Note follow-ups and history entries a calendar import added (the item's
    `contact_id` column then holds the follow-up's or entry's id)."""
    batch = _batch(session, batch_id)
    for action, ids in (("activity", activity_ids), ("history", history_ids)):
        for record_id in ids:
            session.add(ImportItem(batch_id=batch_id, contact_id=record_id, action=action))
    batch.created_count += len(activity_ids) + len(history_ids)
    session.flush()


def finish_batch(session: Session, batch_id: uuid.UUID, status: str = "done") -> None:
    _batch(session, batch_id).status = status


def drop_if_empty(session: Session, batch_id: uuid.UUID) -> None:
    """Forget a failed import that landed nothing; one that landed some stays
    "running" (shown as interrupted) so that it can still be taken back."""
    batch = session.get(ImportBatch, batch_id)
    if batch is not None and not batch.created_count and not batch.changed_count:
        session.execute(delete(ImportItem).where(ImportItem.batch_id == batch_id))
        session.delete(batch)


def undo_batch(session: Session, batch_id: uuid.UUID) -> int:
    """Take the import back: what it created to the Trash, what it changed to what it
    was; returns how many contacts were affected."""
    batch = _batch(session, batch_id)
    items = session.execute(
        select(ImportItem.contact_id, ImportItem.action, ImportItem.before).where(
            ImportItem.batch_id == batch_id
        )
    ).all()
    created = [cid for cid, action, _ in items if action == "created"]
    untouched = _untouched_since(session, created)
    moved = contacts.trash_contacts(session, created)
    contacts.purge_contacts(session, untouched)  # as if never imported; the rest wait in the Trash
    made = [rid for rid, action, _ in items if action == "activity"]
    moved += activities.trash(session, made) if made else 0
    for rid in (rid for rid, action, _ in items if action == "history"):
        history.set_trashed(session, rid, True)
        moved += 1
    for contact_id, action, before in items:
        if (action != "updated" and action != "merged") or before is None:
            continue
        for pid in before.get("added_profiles", []):
            social_profiles.set_trashed(session, uuid.UUID(pid), True)
        snapshots.put_back(session, contact_id, before)
        moved += 1
    made_groups = [rid for rid, action, _ in items if action == "group"]
    made_companies = [rid for rid, action, _ in items if action == "company"]
    _drop_unused(session, Group, made_groups, group_members.c.group_id)
    _drop_unused(session, Company, made_companies, Contact.company_id)
    batch.status = "undone"
    session.flush()
    return moved


def _untouched_since(session: Session, contact_ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    """Of the contacts an import made, those nobody has edited, noted, scheduled or
    logged anything for since: taking the import back deletes these for good."""
    found: list[uuid.UUID] = []
    for chunk in chunks(contact_ids):
        found += session.scalars(
            select(Contact.id).where(
                Contact.id.in_(chunk),
                Contact.rev == 1,
                ~exists().where(Note.contact_id == Contact.id),
                ~exists().where(history_contacts.c.contact_id == Contact.id),
                ~exists().where(activity_contacts.c.contact_id == Contact.id),
            )
        )
    return found


def _drop_unused(
    session: Session, table: type[Group] | type[Company], ids: list[uuid.UUID], user: Any
) -> None:
    """Delete the groups or companies an import made that nothing belongs to any more
    (`user`: the column that points at them)."""
    for record in session.scalars(select(table).where(table.id.in_(ids))):
        if not session.scalar(select(func.count()).where(user == record.id)):
            session.delete(record)


def batches(session: Session) -> list[BatchRow]:
    """Imports, newest first."""
    return [
        BatchRow(b.id, b.source, b.format, b.status, b.created_count, b.changed_count, b.started_at)
        for b in session.scalars(select(ImportBatch).order_by(ImportBatch.started_at.desc()))
    ]


def _batch(session: Session, batch_id: uuid.UUID) -> ImportBatch:
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        raise NotFoundError("That import is not recorded.")
    return batch
