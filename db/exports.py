"""Contacts read in bulk as plain rows (for export, import previews, sync, and the
detail pane's one contact): every field, the photo, the kept vCard lines, the social
profiles and the referrer, 500 contacts per query."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict, namedtuple
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from db import moments, plain_sql
from db.contact_values import ContactDetails, ExportedContact, GroupRef, ProfileLink
from db.contacts import ListQuery, details_from, ids_in_list
from db.errors import NotFoundError
from db.search import LOOKUP

CHUNK = 500


@dataclass(frozen=True)
class PartCounts:
    """The most values any one contact has of each kind: an export's widest row."""

    emails: int = 0
    phones: int = 0
    addresses: int = 0
    urls: int = 0
    profiles: int = 0
    custom_fields: int = 0


_MOST_PARTS = """
SELECT max((SELECT count(*) FROM contact_emails WHERE contact_num = c.num)),
       max((SELECT count(*) FROM contact_phones WHERE contact_num = c.num)),
       max((SELECT count(*) FROM contact_addresses WHERE contact_num = c.num)),
       max((SELECT count(*) FROM contact_urls WHERE contact_num = c.num)),
       max((SELECT count(*) FROM social_profiles
             WHERE contact_id = c.id AND deleted_at IS NULL)),
       max(CASE WHEN json_valid(c.custom_fields)
                THEN (SELECT count(*) FROM json_each(c.custom_fields)) ELSE 0 END)
  FROM contacts c WHERE c.id IN ({marks})
"""


def most_parts(session: Session, ids: Sequence[uuid.UUID]) -> PartCounts:
    """How wide the widest of these contacts is, counted in the database (nothing is
    loaded), so a CSV's header can be written before its rows stream out."""
    most = [0] * 6
    conn = session.connection()
    for start in range(0, len(ids), CHUNK):
        chunk = tuple(cid.bytes for cid in ids[start : start + CHUNK])
        found = conn.exec_driver_sql(_MOST_PARTS.format(marks=",".join("?" * len(chunk))), chunk)
        most = [max(m, n or 0) for m, n in zip(most, found.one(), strict=True)]
    return PartCounts(*most)


def export_ids(
    session: Session, group_id: uuid.UUID | None = None, text: str = ""
) -> Sequence[uuid.UUID]:
    """Live contacts to export, by name: all, a group's, or those a lookup finds."""
    ids = ids_in_list(session, ListQuery(group_id=group_id))
    if not text.strip():
        return ids
    found = {hit.id for hit in LOOKUP.lookup(session, text, limit=len(ids) or 1)}
    return [cid for cid in ids if cid in found]


def load_contacts(session: Session, ids: Sequence[uuid.UUID]) -> Iterator[ExportedContact]:
    """The contacts, in the order of `ids`, read `CHUNK` at a time with plain queries
    (an ORM object per contact and per value would cost more than writing the file)."""
    for start in range(0, len(ids), CHUNK):
        chunk = list(ids[start : start + CHUNK])
        conn = session.connection()
        stored_ids = tuple(cid.bytes for cid in chunk)
        marks = ",".join("?" * len(stored_ids))
        parts = {name: _grouped(conn, part, stored_ids) for name, part in _PARTS.items()}
        member_of: dict[bytes, list[GroupRef]] = defaultdict(list)
        for contact_id, group_id, name in plain_sql.rows(
            conn, _MEMBER_OF_SQL.format(marks=marks), stored_ids
        ):
            member_of[contact_id].append(GroupRef(uuid.UUID(bytes=group_id), name))
        profiles: dict[bytes, list[ProfileLink]] = defaultdict(list)
        for contact_id, network, handle, url in plain_sql.rows(
            conn, _PROFILES_SQL.format(marks=marks), stored_ids
        ):
            profiles[contact_id].append(ProfileLink(network, handle or "", url or ""))
        rows = _contact_rows(conn, stored_ids)
        for key in stored_ids:
            row = rows.get(key)
            if row is None:
                continue
            details = details_from(
                row,
                parts["emails"].get(key, ()),
                parts["phones"].get(key, ()),
                parts["addresses"].get(key, ()),
                parts["urls"].get(key, ()),
                member_of.get(key, ()),
            )
            yield ExportedContact(
                details,
                row.photo,
                tuple(row.vcard_extra or ()),
                tuple(profiles.get(key, ())),
            )


_MEMBER_OF_SQL = (
    "SELECT m.contact_id, g.id, g.name FROM group_members m JOIN groups g ON g.id = m.group_id "
    "WHERE m.contact_id IN ({marks}) AND g.deleted_at IS NULL"
)
_PROFILES_SQL = (
    "SELECT contact_id, network, handle, url FROM social_profiles "
    "WHERE contact_id IN ({marks}) AND deleted_at IS NULL"
)


def contact_details(session: Session, contact_id: uuid.UUID) -> ContactDetails:
    """One contact's details (also one in the Trash), as `db.contacts.get_contact`
    gives them, read without the ORM's objects."""
    for found in load_contacts(session, [contact_id]):
        return found.details
    raise NotFoundError("That contact no longer exists (it may have been purged).")


# A contact's columns as `details_from` and the export read them.
_ContactRow = namedtuple(
    "_ContactRow",
    "id display_name given_name family_name middle_name prefix suffix nickname title "
    "department company_name company_id birthday background owner custom_fields "
    "created_at updated_at deleted_at rev referred_by_id photo vcard_extra",
)
_CONTACT_SQL = f"SELECT {', '.join(_ContactRow._fields)} FROM contacts WHERE id IN ({{marks}})"


def _contact_rows(conn: Connection, stored_ids: tuple[bytes, ...]) -> dict[bytes, Any]:
    """These contacts' rows by stored id, their values converted as the models would
    (ids, dates, moments in UTC, JSON) by hand: the ORM's per-value processing cost
    more than the rest of an export."""
    sql = _CONTACT_SQL.format(marks=",".join("?" * len(stored_ids)))
    found = {}
    for row in plain_sql.rows(conn, sql, stored_ids):
        (stored, *names, company_id, birthday, background, owner, custom, created, updated,
         deleted, rev, referred_by, photo, extra) = row  # fmt: skip
        found[stored] = _ContactRow._make((
            uuid.UUID(bytes=stored), *names,
            _uuid(company_id), date.fromisoformat(birthday) if birthday else None,
            background, owner, json.loads(custom) if custom else {},
            _moment(created), _moment(updated), _moment(deleted), rev,
            _uuid(referred_by), photo, json.loads(extra) if extra else None,
        ))  # fmt: skip
    return found


def _uuid(stored: bytes | None) -> uuid.UUID | None:
    return None if stored is None else uuid.UUID(bytes=stored)


def _moment(stored: int | None) -> datetime | None:
    return None if stored is None else moments.moment(stored)


@dataclass(frozen=True)
class _Part:
    """How to read one kind of a contact's values: its table, and the columns (after
    the contact's id) `details_from` reads, as a named row."""

    table: str
    row: type[tuple[Any, ...]]

    @property
    def sql(self) -> str:
        columns = ", ".join(f"p.{name}" for name in self.row._fields)  # type: ignore[attr-defined]
        return (
            f"SELECT c.id, {columns} FROM contacts c JOIN {self.table} p "
            "ON p.contact_num = c.num WHERE c.id IN ({marks}) ORDER BY p.contact_num, p.position"
        )


_PARTS = {
    "emails": _Part("contact_emails", namedtuple("_Email", "address label is_primary")),
    "phones": _Part("contact_phones", namedtuple("_Phone", "number label is_primary e164")),
    "addresses": _Part(
        "contact_addresses",
        namedtuple("_Address", "street city region postal_code country label is_primary"),
    ),
    "urls": _Part("contact_urls", namedtuple("_Url", "url label")),
}


def _grouped(
    conn: Connection, part: _Part, stored_ids: tuple[bytes, ...]
) -> dict[bytes, list[Any]]:
    """A part table's rows for these contacts (by their stored ids), in their order:
    plain rows, without a type conversion per value (the values are all text and
    numbers; `is_primary` is 0 or 1, which `details_from` reads as a flag)."""
    found: dict[bytes, list[Any]] = defaultdict(list)
    make = part.row._make  # type: ignore[attr-defined]
    sql = part.sql.format(marks=",".join("?" * len(stored_ids)))
    for contact_id, *values in plain_sql.rows(conn, sql, stored_ids):
        found[contact_id].append(make(values))
    return found
