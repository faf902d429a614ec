"""Lookup: find contacts by any fragment of name, company, email, phone digits or city.

The SQLite backend keeps an FTS5 table, `contact_lookup`, updated in the same
transaction as the contact (after each flush, from `db.journal`'s change set).
Queries are built from the user's words only, never from their syntax, so any text
is safe; they are answered by `db.lookup_query`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, event
from sqlalchemy.orm import Session, sessionmaker

from db import lookup_query, plain_sql
from db.journal import changed_contact_ids
from db.lookup_query import LookupHit
from db.phones import national_digits_of
from db.text import digits


@dataclass(frozen=True)
class LookupDocument:
    """The text of one contact as the index sees it."""

    contact_id: uuid.UUID
    name: str
    company: str
    emails: str
    phones: str
    places: str
    tags: str

    def values(self) -> tuple[str, ...]:
        """The indexed columns, in the index's order, after the rowid."""
        return (
            self.contact_id.hex,
            self.name,
            self.company,
            self.emails,
            self.phones,
            self.places,
            self.tags,
        )


def phone_search_text(entered: str, e164: str | None, national_digits: str | None) -> str:
    """Digit forms a phone is found by: as typed, international, and national."""
    forms = [digits(entered)]
    if e164:
        forms.append(digits(e164))
    if national_digits:
        forms.append(national_digits)
    return " ".join(dict.fromkeys(f for f in forms if f))


def document_for(
    contact_id: uuid.UUID,
    *,
    display_name: str,
    nickname: str | None = None,
    company: str | None = None,
    title: str | None = None,
    emails: Iterable[str] = (),
    phones: Iterable[str] = (),
    places: Iterable[str | None] = (),
    tags: Iterable[str] = (),
) -> LookupDocument:
    """Build a contact's index text; `phones` are already `phone_search_text` forms."""
    name = " ".join(part for part in (display_name, nickname) if part)
    return LookupDocument(
        contact_id=contact_id,
        name=name,
        company=" ".join(part for part in (company, title) if part),
        emails=" ".join(emails),
        phones=" ".join(phones),
        places=" ".join(p for p in places if p),
        tags=" ".join(tags),
    )


class SqliteLookup:
    """Lookup over the FTS5 `contact_lookup` table."""

    def lookup(self, session: Session, query: str, limit: int = 50) -> list[LookupHit]:
        """Contacts matching every word of `query`, best first, at most `limit`."""
        return lookup_query.lookup(plain_sql.through(session.connection()), query, limit)

    def next_rowid(self, conn: Connection) -> int:
        """The first index row no contact holds (`contacts.lookup_rowid` is set only
        while the contact has a row, so the largest row in the index bounds them all)."""
        last = conn.exec_driver_sql(
            "SELECT rowid FROM contact_lookup ORDER BY rowid DESC LIMIT 1"
        ).scalar()
        return (last or 0) + 1

    def add_rows(self, conn: Connection, rows: Sequence[tuple[Any, ...]]) -> None:
        """Write index rows `(rowid, *LookupDocument.values())`; the rowids must be free."""
        if rows:
            conn.exec_driver_sql(
                "INSERT INTO contact_lookup(rowid, contact_id, name, company, emails, phones, "
                "places, tags) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )

    def reindex(self, conn: Connection, contact_ids: Iterable[uuid.UUID]) -> None:
        """Bring these contacts' index rows in line with the database.

        Live contacts keep their row (or get a new one); trashed or purged ones lose it.
        """
        ids = list(contact_ids)
        for start in range(0, len(ids), 500):
            chunk = [cid.hex for cid in ids[start : start + 500]]
            marks = ",".join("?" * len(chunk))
            held: dict[str, int] = {
                row[0]: row[1]
                for row in conn.exec_driver_sql(
                    "SELECT id, lookup_rowid FROM contacts WHERE lookup_rowid IS NOT NULL "
                    f"AND id IN ({marks})",
                    tuple(chunk),
                )
            }
            free = self.next_rowid(conn)
            if held:
                conn.exec_driver_sql(
                    "DELETE FROM contact_lookup WHERE rowid = ?",
                    [(rowid,) for rowid in held.values()],
                )
            docs = _documents_from_database(conn, chunk)
            given: list[tuple[int | None, str]] = []
            rows = []
            for doc in docs:
                cid = doc.contact_id.hex
                rowid = held.get(cid)
                if rowid is None:
                    rowid, free = free, free + 1
                    given.append((rowid, cid))
                rows.append((rowid, *doc.values()))
            self.add_rows(conn, rows)
            live = {doc.contact_id.hex for doc in docs}
            given += [(None, cid) for cid in held if cid not in live]
            if given:
                conn.exec_driver_sql("UPDATE contacts SET lookup_rowid = ? WHERE id = ?", given)

    def rebuild(self, conn: Connection) -> None:
        """Rebuild the whole index from the contacts table."""
        conn.exec_driver_sql("DELETE FROM contact_lookup")
        ids = [
            uuid.UUID(hex=r[0])
            for r in conn.exec_driver_sql("SELECT id FROM contacts WHERE deleted_at IS NULL")
        ]
        self.reindex(conn, ids)


LOOKUP = SqliteLookup()


def install(sessions: sessionmaker[Session]) -> None:
    """Keep the index in the same transaction as every contact change."""
    event.listen(sessions, "after_flush", _after_flush)


def _after_flush(session: Session, _context: Any) -> None:
    changed = changed_contact_ids(session)
    if changed:
        LOOKUP.reindex(session.connection(), list(changed))
        changed.clear()


def _documents_from_database(conn: Connection, hex_ids: list[str]) -> list[LookupDocument]:
    """Index documents for the live contacts among `hex_ids`."""
    params = tuple(hex_ids)
    marks = ",".join("?" * len(hex_ids))

    def grouped(sql: str) -> dict[str, list[tuple[Any, ...]]]:
        out: dict[str, list[tuple[Any, ...]]] = {}
        for row in conn.exec_driver_sql(sql.format(marks=marks), params):
            out.setdefault(row[0], []).append(tuple(row[1:]))
        return out

    emails = grouped(
        "SELECT contact_id, address FROM contact_emails "
        "WHERE contact_id IN ({marks}) ORDER BY position"
    )
    phones = grouped(
        "SELECT contact_id, number, e164 FROM contact_phones "
        "WHERE contact_id IN ({marks}) ORDER BY position"
    )
    places = grouped(
        "SELECT contact_id, city, region, postal_code FROM contact_addresses "
        "WHERE contact_id IN ({marks}) ORDER BY position"
    )
    tags = grouped(
        "SELECT m.contact_id, g.name FROM group_members m JOIN groups g "
        "ON g.id = m.group_id WHERE g.deleted_at IS NULL AND m.contact_id IN ({marks})"
    )
    contacts = conn.exec_driver_sql(
        "SELECT id, display_name, nickname, company_name, title FROM contacts "
        f"WHERE deleted_at IS NULL AND id IN ({marks})",
        params,
    )
    return [
        document_for(
            uuid.UUID(hex=cid),
            display_name=display_name,
            nickname=nickname,
            company=company,
            title=title,
            emails=[e for (e,) in emails.get(cid, [])],
            phones=[
                phone_search_text(num, e164, national_digits_of(e164))
                for num, e164 in phones.get(cid, [])
            ],
            places=[p for row in places.get(cid, []) for p in row],
            tags=[t for (t,) in tags.get(cid, [])],
        )
        for cid, display_name, nickname, company, title in contacts
    ]
