"""Imports as batches: what each one created or changed is recorded, so Undo import
takes exactly that back (created contacts to the Trash, changed ones to their
before-image). The caller commits chunk by chunk; a killed import leaves whole chunks,
each recorded, and Undo works for what landed.

New contacts are written with plain INSERTs (the same rows, journal entries and lookup
index rows an edit makes), because an ORM flush per contact manages under a thousand a
second and an import of 100,000 should take seconds.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from db import activities, contacts, groups, history, snapshots, social_profiles
from db.bulk import insert_rows, stamp
from db.clock import session_now
from db.contacts import ContactDraft, compose_display_name
from db.errors import NotFoundError, ValidationError
from db.ids import hex_ids, new_id
from db.models import Contact, ImportBatch, ImportItem
from db.phones import national_digits_of
from db.search import LOOKUP, document_for, phone_search_text
from db.text import sort_key


@dataclass(frozen=True)
class ProfileLink:
    network: str
    handle: str
    url: str


@dataclass(frozen=True)
class ImportedContact:
    """A contact as an import writes it: a validated draft and what comes with it.
    `draft.group_ids` is ignored: `groups` names them (made when missing)."""

    id: uuid.UUID
    draft: ContactDraft
    groups: tuple[str, ...] = ()
    profiles: tuple[ProfileLink, ...] = ()
    photo: bytes | None = None
    vcard_extra: tuple[str, ...] = ()


@dataclass(frozen=True)
class BatchRow:
    id: uuid.UUID
    source: str
    format: str
    status: str
    created_count: int
    changed_count: int = 0
    started_at: datetime | None = None


_CONTACT_COLUMNS = (
    "id", "prefix", "given_name", "middle_name", "family_name", "suffix", "display_name",
    "sort_name", "nickname", "title", "department", "company_id", "company_name",
    "birthday", "photo", "background", "owner", "custom_fields", "vcard_extra",
    "primary_email", "primary_phone", "city", "created_at", "updated_at", "rev",
    "lookup_rowid",
)  # fmt: skip
_PART_COLUMNS = {
    "contact_emails": ("id", "contact_id", "label", "is_primary", "position", "address"),
    "contact_phones": ("id", "contact_id", "label", "is_primary", "position", "number", "e164"),
    "contact_addresses": (
        "id", "contact_id", "label", "is_primary", "position",
        "street", "city", "region", "postal_code", "country",
    ),
    "contact_urls": ("id", "contact_id", "label", "is_primary", "position", "url"),
}  # fmt: skip
_PROFILE_COLUMNS = (
    "id", "contact_id", "network", "handle", "url", "counts", "recent_posts", "details",
    "created_at", "updated_at", "rev",
)  # fmt: skip
_JOURNAL_COLUMNS = ("record_type", "record_id", "rev", "op", "changed_at")


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

    companies: dict[str, tuple[str, str]] = field(default_factory=dict)  # key -> (id, name)
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
        now = stamp(session_now(session))
        rows: dict[str, list[tuple[object, ...]]] = {name: [] for name in _PART_COLUMNS}
        people: list[tuple[object, ...]] = []
        profiles: list[tuple[object, ...]] = []
        members: list[tuple[str, str]] = []
        items: list[tuple[str, str, str]] = []
        journal: list[tuple[object, ...]] = []
        documents: list[tuple[object, ...]] = []
        free_rowid = LOOKUP.next_rowid(conn)
        ids = hex_ids()
        for number, record in enumerate(records):
            cid, draft = record.id.hex, record.draft
            company_id, company_name = (
                self._company(conn, draft.company, now, journal) if draft.company else (None, None)
            )
            display = compose_display_name(draft)
            primary_address = next((a for a in draft.addresses if a.is_primary), None)
            people.append(
                (
                    cid, draft.prefix or None, draft.given_name or None,
                    draft.middle_name or None, draft.family_name or None, draft.suffix or None,
                    display, sort_key(display), draft.nickname or None, draft.title or None,
                    draft.department or None, company_id, company_name,
                    draft.birthday.isoformat() if draft.birthday else None, record.photo,
                    draft.background or None, draft.owner or None,
                    json.dumps(draft.custom_fields) if draft.custom_fields else "{}",
                    json.dumps(list(record.vcard_extra)) if record.vcard_extra else None,
                    next((e.address for e in draft.emails if e.is_primary), None),
                    next((p.number for p in draft.phones if p.is_primary), None),
                    (primary_address.city or None) if primary_address else None,
                    now, now, 1, free_rowid + number,
                )
            )  # fmt: skip
            journal.append(("contact", cid, 1, "create", now))
            for n, email in enumerate(draft.emails):
                rows["contact_emails"].append(
                    (next(ids), cid, email.label, email.is_primary, n, email.address)
                )
            for n, phone in enumerate(draft.phones):
                rows["contact_phones"].append(
                    (next(ids), cid, phone.label, phone.is_primary, n, phone.number, phone.e164)
                )
            for n, a in enumerate(draft.addresses):
                rows["contact_addresses"].append(
                    (
                        next(ids), cid, a.label, a.is_primary, n, a.street or None,
                        a.city or None, a.region or None, a.postal_code or None,
                        a.country or None,
                    )
                )  # fmt: skip
            for n, url in enumerate(draft.urls):
                rows["contact_urls"].append((next(ids), cid, url.label, False, n, url.url))
            tags = []
            for name in dict.fromkeys(record.groups):
                group_id = self._group(session, name)
                if group_id is not None:
                    members.append((group_id.hex, cid))
                    tags.append(self.group_names[group_id])
            document = document_for(
                record.id,
                display_name=display,
                nickname=draft.nickname or None,
                company=company_name,
                title=draft.title or None,
                emails=[e.address for e in draft.emails],
                phones=[
                    phone_search_text(p.number, p.e164, national_digits_of(p.e164))
                    for p in draft.phones
                ],
                places=[
                    part for a in draft.addresses for part in (a.city, a.region, a.postal_code)
                ],
                tags=list(dict.fromkeys(tags)),
            )
            documents.append((free_rowid + number, *document.values()))
            for link in record.profiles:
                pid = next(ids)
                profiles.append(
                    (pid, cid, link.network, link.handle, link.url, "{}", "[]", "{}", now, now, 1)
                )
                journal.append(("social_profile", pid, 1, "create", now))
            items.append((batch_id.hex, cid, "created"))
        insert_rows(conn, "contacts", _CONTACT_COLUMNS, people)
        for table, columns in _PART_COLUMNS.items():
            insert_rows(conn, table, columns, rows[table])
        insert_rows(conn, "group_members", ("group_id", "contact_id"), list(dict.fromkeys(members)))
        insert_rows(conn, "social_profiles", _PROFILE_COLUMNS, profiles)
        insert_rows(conn, "change_journal", _JOURNAL_COLUMNS, journal)
        insert_rows(conn, "import_items", ("batch_id", "contact_id", "action"), items)
        LOOKUP.add_rows(conn, documents)
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
            gid for gid in (self._group(session, name) for name in record.groups) if gid
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
        self.group_ids = {g.name.casefold(): g.id for g in known}
        self.group_names = {g.id: g.name for g in known}
        self._loaded = True

    def _company(
        self, conn: Connection, name: str, now: str, journal: list[tuple[object, ...]]
    ) -> tuple[str, str]:
        """The company's (id, name), created when new."""
        key = sort_key(name)
        known = self.companies.get(key)
        if known is None:
            known = self.companies[key] = (new_id().hex, " ".join(name.split()))
            insert_rows(
                conn,
                "companies",
                ("id", "name", "sort_name", "created_at", "updated_at", "rev"),
                [(*known, key, now, now, 1)],
            )
            journal.append(("company", known[0], 1, "create", now))
        return known

    def _group(self, session: Session, name: str) -> uuid.UUID | None:
        key = name.strip().casefold()
        if not key:
            return None
        if key not in self.group_ids:
            self.group_ids[key] = groups.create_group(session, name.strip())
            self.group_names[self.group_ids[key]] = name.strip()
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
    moved = contacts.trash_contacts(session, created)
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
    batch.status = "undone"
    session.flush()
    return moved


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
