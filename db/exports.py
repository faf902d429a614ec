"""Contacts read in bulk as plain rows (for export, import previews, sync, and the
detail pane's one contact): every field, the photo, the kept vCard lines, the social
profiles and the referrer, 500 contacts per query."""

from __future__ import annotations

import json
import uuid
from collections import namedtuple
from collections.abc import Iterable, Iterator, Sequence
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
       max(CASE WHEN c.custom_fields = '{{}}' OR NOT json_valid(c.custom_fields) THEN 0
                ELSE (SELECT count(*) FROM json_each(c.custom_fields)) END)
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
    return map(_exported, _rows_in_order(session, _CONTACT_SQL, ids))


def flat_contacts(session: Session, ids: Sequence[uuid.UUID]) -> Iterator[Sequence[Any]]:
    """The contacts, in the order of `ids`, as rows of text for writers that need no
    objects (the CSV export), the columns of `FLAT_COLUMNS`: every absent value is "",
    ids are in their usual text form, the birthday in ISO form; "values" is one JSON
    array holding, for each kind of `FLAT_VALUES`, an array of its values in their
    order (each an array of its items; a group's name and a profile's link bare)."""
    return (row[1:] for row in _rows_in_order(session, _FLAT_SQL, ids))


def _rows_in_order(session: Session, sql: str, ids: Sequence[uuid.UUID]) -> Iterator[Any]:
    """The rows `sql` (its first column the stored id, "{marks}" where the ids go)
    gives for these contacts, `CHUNK` at a time, in the order of `ids`; ids of contacts
    that are gone give none."""
    for start in range(0, len(ids), CHUNK):
        stored_ids = tuple(cid.bytes for cid in ids[start : start + CHUNK])
        chunk_sql = sql.format(marks=",".join("?" * len(stored_ids)))
        rows = plain_sql.rows(session.connection(), chunk_sql, stored_ids)
        found = {row[0]: row for row in rows}
        yield from (found[key] for key in stored_ids if key in found)


FLAT_COLUMNS = (
    "id", "display_name", "prefix", "given_name", "middle_name", "family_name", "suffix",
    "nickname", "company_name", "title", "department", "birthday", "background", "owner",
    "referred_by_id", "values", "custom_fields",
)  # fmt: skip
FLAT_VALUES = {  # the kinds in "values", in order, and the items of each value
    "groups": ("name",),
    "emails": ("is_primary", "label", "address"),
    "phones": ("is_primary", "label", "number", "e164"),
    "addresses": ("is_primary", "label", "street", "city", "region", "postal_code", "country"),
    "urls": ("label", "url"),
    "profiles": ("url",),
}


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


def _values(table: str, items: Sequence[str]) -> str:
    """A contact's rows of a value table (in `c`'s query) as a JSON array of arrays of
    `items` (columns, or expressions of them)."""
    return (
        f"(SELECT json_group_array(json_array({', '.join(items)})) FROM (SELECT * "
        f"FROM {table} WHERE contact_num = c.num ORDER BY position))"
    )


def _id_text(column: str) -> str:
    """SQL giving a stored id in its usual text form (lower-case hex, dashed), or ""."""
    hexed = f"lower(hex({column}))"
    parts = "||'-'||".join(
        f"substr({hexed}, {start}, {length})"
        for start, length in ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))
    )
    return f"CASE WHEN {column} IS NULL THEN '' ELSE {parts} END"


def _gathered(*arrays: str) -> str:
    """SQL for one JSON array holding the JSON arrays `arrays` give (read with one
    `json.loads` where one per kind cost more than the rest of the row)."""
    return "json_array(" + ", ".join(f"json({array})" for array in arrays) + ")"


def _text(columns: Iterable[str]) -> list[str]:
    return [f"coalesce({name}, '')" for name in columns]


_GROUPS = """(SELECT json_group_array({item})
                FROM group_members m JOIN groups g ON g.id = m.group_id
               WHERE m.contact_id = c.id AND g.deleted_at IS NULL)"""
_PROFILES = """(SELECT json_group_array({item}) FROM social_profiles
                 WHERE contact_id = c.id AND deleted_at IS NULL)"""
_CONTACT_VALUES = _gathered(
    _values("contact_emails", _Email._fields),
    _values("contact_phones", _Phone._fields),
    _values("contact_addresses", _Address._fields),
    _values("contact_urls", _Url._fields),
    _GROUPS.format(item="json_array(hex(g.id), g.name)"),
    _PROFILES.format(item="json_array(network, handle, url)"),
)
_CONTACT_SQL = f"""
SELECT {", ".join(f"c.{name}" for name in _ContactRow._fields)}, {_CONTACT_VALUES}
  FROM contacts c WHERE c.id IN ({{marks}})
"""
_VALUE_KINDS = ("emails", "phones", "addresses", "urls")
_FLAT_VALUES = _gathered(
    _GROUPS.format(item="g.name"),
    *(_values(f"contact_{kind}", _text(FLAT_VALUES[kind])) for kind in _VALUE_KINDS),
    _PROFILES.format(item="coalesce(url, '')"),
)
_FLAT_SQL = f"""
SELECT c.id, {_id_text("c.id")},
       {", ".join(_text(f"c.{name}" for name in FLAT_COLUMNS[1:14]))},
       {_id_text("c.referred_by_id")}, {_FLAT_VALUES}, coalesce(c.custom_fields, '')
  FROM contacts c WHERE c.id IN ({{marks}})
"""


def _exported(row: Sequence[Any]) -> ExportedContact:
    """A contact as `_CONTACT_SQL` reads it, converted as the models would (ids, dates,
    moments in UTC, JSON) by hand: the ORM's per-value processing cost more than the
    rest of an export."""
    (stored, *names, company_id, birthday, background, owner, custom, created, updated,
     deleted, rev, referred_by, photo, extra, values) = row  # fmt: skip
    emails, phones, addresses, urls, groups, profiles = json.loads(values)
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
        map(_Email._make, emails),
        map(_Phone._make, phones),
        map(_Address._make, addresses),
        map(_Url._make, urls),
        [GroupRef(uuid.UUID(hex=group_id), name) for group_id, name in groups],
    )
    return ExportedContact(
        details,
        photo,
        tuple(kept_lines or ()),
        tuple(ProfileLink(net, handle or "", url or "") for net, handle, url in profiles),
    )


def _uuid(stored: bytes | None) -> uuid.UUID | None:
    return None if stored is None else uuid.UUID(bytes=stored)


def _moment(stored: int | None) -> datetime | None:
    return None if stored is None else moments.moment(stored)
