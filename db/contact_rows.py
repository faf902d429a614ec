"""One builder for the rows a new contact needs: the contact with its list columns, its
e-mails, phones, addresses and URLs, group links, social profiles, journal rows and
lookup document.

Bulk import, demo seeding and the coming sync's "apply a pulled card" write through
it with plain INSERTs (an ORM flush per contact manages under a thousand a second).
The ORM path that saves one contact at a time (`db.contacts.create_contact` with the
journal and lookup hooks) produces the same rows for the same draft: a test holds
the two together.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from db.bulk import insert_rows
from db.contact_values import ContactDraft, compose_display_name, file_as, name_for_sorting
from db.journal import book_syncs
from db.phones import national_digits_of
from db.search import LOOKUP, document_for, phone_search_text
from db.text import sort_key

CONTACT_COLUMNS = (
    "num", "id", "prefix", "given_name", "middle_name", "family_name", "suffix", "display_name",
    "sort_name", "file_as", "nickname", "title", "department", "company_id", "company_name",
    "birthday", "photo", "background", "owner", "custom_fields", "vcard_extra",
    "city", "last_contacted_at", "next_step_at",
    "referred_by_id", "created_at", "updated_at", "rev", "lookup_rowid",
)  # fmt: skip
PART_COLUMNS = {
    "contact_emails": ("contact_num", "label", "is_primary", "position", "address"),
    "contact_phones": ("contact_num", "label", "is_primary", "position", "number", "e164"),
    "contact_addresses": (
        "contact_num", "label", "is_primary", "position",
        "street", "city", "region", "postal_code", "country",
    ),
    "contact_urls": ("contact_num", "label", "is_primary", "position", "url"),
}  # fmt: skip
PROFILE_COLUMNS = (
    "id", "contact_id", "network", "handle", "url", "counts", "recent_posts", "details",
    "created_at", "updated_at", "rev",
)  # fmt: skip
JOURNAL_COLUMNS = ("record_type", "record_id", "rev", "op", "changed_at", "origin")
MEMBER_COLUMNS = ("group_id", "contact_id")
_LOOKUP_ROWID_AT = CONTACT_COLUMNS.index("lookup_rowid")


@dataclass(frozen=True)
class NewContact:
    """A new contact: its validated draft and what is stored beside it.

    `company` and `groups` are the (stored id, name) pairs the draft's company
    and groups resolved to; `draft.company` and `draft.group_ids` are not read.
    """

    id: uuid.UUID
    draft: ContactDraft
    company: tuple[bytes, str] | None = None
    groups: Sequence[tuple[bytes, str]] = ()
    profiles: Sequence[tuple[str, str, str]] = ()  # (network, handle, url)
    photo: bytes | None = None
    vcard_extra: Sequence[str] = ()
    last_contacted_at: int | None = None  # moments as stored (`db.moments.stored`)
    next_step_at: int | None = None


class ContactRows:
    """Rows for a batch of new contacts (and anything written beside them), table by
    table, inserted in one go by `write`."""

    def __init__(self, now: int, origin: str = "local") -> None:
        self.now = now
        self.origin = origin
        self.columns: dict[str, Sequence[str]] = {
            "contacts": CONTACT_COLUMNS,
            **PART_COLUMNS,
            "group_members": MEMBER_COLUMNS,
            "social_profiles": PROFILE_COLUMNS,
            "change_journal": JOURNAL_COLUMNS,
        }
        self.rows: dict[str, list[tuple[object, ...]]] = {table: [] for table in self.columns}
        self.documents: list[tuple[str, ...]] = []  # LookupDocument.values(), per contact

    def __len__(self) -> int:
        return len(self.rows["contacts"])

    def add(self, new: NewContact, ids: Iterator[bytes]) -> None:
        """The rows of one new contact; its value and profile rows take ids from `ids`."""
        cid, draft, now, rows = new.id.bytes, new.draft, self.now, self.rows
        display = compose_display_name(draft)
        company_id, company_name = new.company or (None, None)
        primary_address = next((a for a in draft.addresses if a.is_primary), None)
        rows["contacts"].append(
            (
                None, cid, draft.prefix or None, draft.given_name or None,
                draft.middle_name or None, draft.family_name or None, draft.suffix or None,
                display, sort_key(name_for_sorting(draft)), sort_key(file_as(draft)),
                draft.nickname or None, draft.title or None,
                draft.department or None, company_id, company_name,
                draft.birthday.isoformat() if draft.birthday else None, new.photo,
                draft.background or None, draft.owner or None,
                json.dumps(draft.custom_fields) if draft.custom_fields else "{}",
                json.dumps(list(new.vcard_extra)) if new.vcard_extra else None,
                (primary_address.city or None) if primary_address else None,
                new.last_contacted_at, new.next_step_at,
                draft.referred_by_id.bytes if draft.referred_by_id else None, now, now, 1, None,
            )
        )  # fmt: skip
        rows["change_journal"].append(("contact", cid, 1, "create", now, self.origin))
        for n, email in enumerate(draft.emails):
            rows["contact_emails"].append((cid, email.label, email.is_primary, n, email.address))
        for n, phone in enumerate(draft.phones):
            rows["contact_phones"].append(
                (cid, phone.label, phone.is_primary, n, phone.number, phone.e164)
            )
        for n, a in enumerate(draft.addresses):
            rows["contact_addresses"].append(
                (
                    cid, a.label, a.is_primary, n, a.street or None,
                    a.city or None, a.region or None, a.postal_code or None, a.country or None,
                )
            )  # fmt: skip
        for n, link in enumerate(draft.urls):
            rows["contact_urls"].append((cid, link.label, False, n, link.url))
        groups = list(dict.fromkeys(new.groups))
        rows["group_members"] += [(group_id, cid) for group_id, _ in groups]
        for network, handle, address in new.profiles:
            pid = next(ids)
            rows["social_profiles"].append(
                (pid, cid, network, handle, address, "{}", "[]", "{}", now, now, 1)
            )
            rows["change_journal"].append(("social_profile", pid, 1, "create", now, self.origin))
        document = document_for(
            new.id,
            display_name=display,
            nickname=draft.nickname or None,
            company=company_name,
            title=draft.title or None,
            emails=[e.address for e in draft.emails],
            phones=[
                phone_search_text(p.number, p.e164, national_digits_of(p.e164))
                for p in draft.phones
            ],
            places=[part for a in draft.addresses for part in (a.city, a.region, a.postal_code)],
            tags=list(dict.fromkeys(name for _, name in groups)),
        )
        self.documents.append(tuple(document.values()))

    def extend(
        self, table: str, columns: Sequence[str], rows: Sequence[tuple[object, ...]]
    ) -> None:
        """Rows of another table written with these (companies, notes, import items…)."""
        known = self.columns.setdefault(table, columns)
        assert tuple(known) == tuple(columns), f"{table} was given other columns before"
        self.rows.setdefault(table, []).extend(rows)

    def journal(self, record_type: str, record_ids: Sequence[bytes]) -> None:
        """Journal the creation of these records (written through `extend`)."""
        self.rows["change_journal"] += [
            (record_type, record_id, 1, "create", self.now, self.origin) for record_id in record_ids
        ]

    def write(self, conn: Connection) -> None:
        """Insert every row, in an open write transaction. Contacts are numbered after
        the largest number in use and lookup rows from the index's first free row, both
        read now, so others may add contacts meanwhile; the values, held under their
        contact's id until now, are keyed by its number."""
        if not book_syncs(conn):
            self.rows.pop("change_journal", None)  # journaled only while the book syncs
        base = LOOKUP.next_rowid(conn)
        first = (conn.exec_driver_sql("SELECT max(num) FROM contacts").scalar() or 0) + 1
        at = _LOOKUP_ROWID_AT
        numbers = {}
        numbered = []
        for n, row in enumerate(self.rows["contacts"]):
            numbers[row[1]] = first + n
            numbered.append((first + n, *row[1:at], base + n, *row[at + 1 :]))
        self.rows["contacts"] = numbered
        for table in PART_COLUMNS:
            self.rows[table] = [(numbers[row[0]], *row[1:]) for row in self.rows[table]]
        # Companies and groups first, as contacts point at them; the rest in the order
        # their tables were first given (people before what links to them).
        pointed_at = [table for table in ("companies", "groups") if table in self.rows]
        for table in [*pointed_at, *(t for t in self.rows if t not in pointed_at)]:
            rows = self.rows[table]
            if table == "group_members":
                rows = list(dict.fromkeys(rows))
            insert_rows(conn, table, self.columns[table], rows)
        LOOKUP.add_rows(conn, [(base + n, *values) for n, values in enumerate(self.documents)])
