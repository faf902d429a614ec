"""Contacts read in bulk as plain rows (for export, import previews, sync, and the
detail pane's one contact): every field, the photo, the kept vCard lines, the social
profiles and the referrer, 500 contacts per query."""

from __future__ import annotations

import json
import uuid
from collections import namedtuple
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

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
    """The contacts, in the order of `ids`, read `CHUNK` at a time with one plain query
    each, a contact's values and links gathered as JSON by SQLite (an ORM object per
    contact and per value, or a query per kind, would cost more than writing the file)."""
    for start in range(0, len(ids), CHUNK):
        stored_ids = tuple(cid.bytes for cid in ids[start : start + CHUNK])
        sql = _CONTACT_SQL.format(marks=",".join("?" * len(stored_ids)))
        found = {row[0]: row for row in plain_sql.rows(session.connection(), sql, stored_ids)}
        for key in stored_ids:
            row = found.get(key)
            if row is not None:
                yield _exported(row)


def contact_details(session: Session, contact_id: uuid.UUID) -> ContactDetails:
    """One contact's details (also one in the Trash), as `db.contacts.get_contact`
    gives them, read without the ORM's objects."""
    for found in load_contacts(session, [contact_id]):
        return found.details
    raise NotFoundError("That contact no longer exists (it may have been purged).")


# A contact's columns as `details_from` and the export read them; then its values and
# links, each kind a JSON array of arrays in the values' order.
_ContactRow = namedtuple(
    "_ContactRow",
    "id display_name given_name family_name middle_name prefix suffix nickname title "
    "department company_name company_id birthday background owner custom_fields "
    "created_at updated_at deleted_at rev referred_by_id photo vcard_extra",
)
_Email = namedtuple("_Email", "address label is_primary")
_Phone = namedtuple("_Phone", "number label is_primary e164")
_Address = namedtuple("_Address", "street city region postal_code country label is_primary")
_Url = namedtuple("_Url", "url label")


def _values(table: str, row: type[tuple[Any, ...]]) -> str:
    columns = ", ".join(row._fields)  # type: ignore[attr-defined]
    return (
        f"(SELECT json_group_array(json_array({columns})) FROM (SELECT {columns} "
        f"FROM {table} WHERE contact_num = c.num ORDER BY position))"
    )


_CONTACT_SQL = f"""
SELECT {", ".join(f"c.{name}" for name in _ContactRow._fields)},
       {_values("contact_emails", _Email)},
       {_values("contact_phones", _Phone)},
       {_values("contact_addresses", _Address)},
       {_values("contact_urls", _Url)},
       (SELECT json_group_array(json_array(hex(g.id), g.name))
          FROM group_members m JOIN groups g ON g.id = m.group_id
         WHERE m.contact_id = c.id AND g.deleted_at IS NULL),
       (SELECT json_group_array(json_array(network, handle, url)) FROM social_profiles
         WHERE contact_id = c.id AND deleted_at IS NULL)
  FROM contacts c WHERE c.id IN ({{marks}})
"""


def _exported(row: Sequence[Any]) -> ExportedContact:
    """A contact as `_CONTACT_SQL` reads it, converted as the models would (ids, dates,
    moments in UTC, JSON) by hand: the ORM's per-value processing cost more than the
    rest of an export."""
    (stored, *names, company_id, birthday, background, owner, custom, created, updated,
     deleted, rev, referred_by, photo, extra,
     emails, phones, addresses, urls, groups, profiles) = row  # fmt: skip
    kept_lines = json.loads(extra) if extra else None
    contact = _ContactRow._make((
        uuid.UUID(bytes=stored), *names,
        _uuid(company_id), date.fromisoformat(birthday) if birthday else None,
        background, owner, json.loads(custom) if custom else {},
        _moment(created), _moment(updated), _moment(deleted), rev,
        _uuid(referred_by), photo, kept_lines,
    ))  # fmt: skip
    details = details_from(
        contact,
        map(_Email._make, _listed(emails)),
        map(_Phone._make, _listed(phones)),
        map(_Address._make, _listed(addresses)),
        map(_Url._make, _listed(urls)),
        [GroupRef(uuid.UUID(hex=group_id), name) for group_id, name in _listed(groups)],
    )
    return ExportedContact(
        details,
        photo,
        tuple(kept_lines or ()),
        tuple(ProfileLink(net, handle or "", url or "") for net, handle, url in _listed(profiles)),
    )


def _listed(array: str) -> list[Any]:
    return [] if array == "[]" else json.loads(array)


def _uuid(stored: bytes | None) -> uuid.UUID | None:
    return None if stored is None else uuid.UUID(bytes=stored)


def _moment(stored: int | None) -> datetime | None:
    return None if stored is None else moments.moment(stored)
