"""Lookup: find contacts by any fragment of name, company, email, phone digits or city.

The SQLite backend keeps a contentless FTS5 table, `contact_lookup`, updated in the
same transaction as the contact (after each flush, from `db.journal`'s change set).
The index holds no copy of its text, so it cannot take a document back out: a changed
contact gets a new row, `contacts.lookup_rowid` names the one that counts, and the
rows left behind are counted (`lookup_state.stale`, by trigger) until a rebuild clears
them (`SqliteLookup.compaction_due`, then `rebuild`; `db.upkeep` decides when).
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

_COLUMNS = "name, company, emails, phones, places, tags"
COMPACT_FROM = 1000  # stale rows below this are never worth a rebuild


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
        """The first index row never handed out."""
        return int(conn.exec_driver_sql("SELECT next_rowid FROM lookup_state").scalar_one())

    def add_rows(self, conn: Connection, rows: Sequence[tuple[Any, ...]]) -> None:
        """Write index rows `(rowid, *LookupDocument.values())`; the rowids must be free
        (from `next_rowid`), and are then taken."""
        if rows:
            conn.exec_driver_sql(
                f"INSERT INTO contact_lookup(rowid, {_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            conn.exec_driver_sql(
                "UPDATE lookup_state SET next_rowid = max(next_rowid, ?)",
                (max(row[0] for row in rows) + 1,),
            )

    def reindex(self, conn: Connection, contact_ids: Iterable[uuid.UUID]) -> None:
        """Bring these contacts' index rows in line with the database: each live one gets
        a fresh row with its text now; trashed or purged ones are let go of."""
        ids = list(contact_ids)
        for start in range(0, len(ids), 500):
            chunk = [cid.bytes for cid in ids[start : start + 500]]
            marks = ",".join("?" * len(chunk))
            held = {
                row[0]
                for row in conn.exec_driver_sql(
                    f"SELECT id FROM contacts WHERE lookup_rowid IS NOT NULL AND id IN ({marks})",
                    tuple(chunk),
                )
            }
            docs = documents_from_database(conn, chunk)
            first = self.next_rowid(conn)
            self.add_rows(conn, [(first + n, *doc.values()) for n, doc in enumerate(docs)])
            given: list[tuple[int | None, bytes]] = [
                (first + n, doc.contact_id.bytes) for n, doc in enumerate(docs)
            ]
            live = {doc.contact_id.bytes for doc in docs}
            given += [(None, cid) for cid in held if cid not in live]
            if given:
                conn.exec_driver_sql("UPDATE contacts SET lookup_rowid = ? WHERE id = ?", given)

    def stale_rows(self, conn: Connection) -> int:
        """How many rows of the index no contact holds any more."""
        return int(conn.exec_driver_sql("SELECT stale FROM lookup_state").scalar_one())

    def compaction_due(self, conn: Connection, *, largest: int | None = None) -> bool:
        """Whether the rows left behind (at least `COMPACT_FROM`) outnumber the live
        contacts, so a rebuild is worth it; with `largest`, only in books of at most
        that many contacts."""
        stale = self.stale_rows(conn)
        if stale < COMPACT_FROM:
            return False
        live = int(conn.exec_driver_sql("SELECT live FROM contact_tallies").scalar_one())
        return stale > live and (largest is None or live <= largest)

    def rebuild(self, conn: Connection) -> None:
        """Rebuild the whole index from the contacts table."""
        conn.exec_driver_sql("INSERT INTO contact_lookup(contact_lookup) VALUES ('delete-all')")
        conn.exec_driver_sql(
            "UPDATE contacts SET lookup_rowid = NULL WHERE lookup_rowid IS NOT NULL"
        )
        ids = [
            uuid.UUID(bytes=r[0])
            for r in conn.exec_driver_sql("SELECT id FROM contacts WHERE deleted_at IS NULL")
        ]
        self.reindex(conn, ids)
        conn.exec_driver_sql("UPDATE lookup_state SET stale = 0")


LOOKUP = SqliteLookup()


def install(sessions: sessionmaker[Session]) -> None:
    """Keep the index in the same transaction as every contact change."""
    event.listen(sessions, "after_flush", _after_flush)


def _after_flush(session: Session, _context: Any) -> None:
    changed = changed_contact_ids(session)
    if changed:
        LOOKUP.reindex(session.connection(), list(changed))
        changed.clear()


def documents_from_database(conn: Connection, stored_ids: list[bytes]) -> list[LookupDocument]:
    """Index documents for the live contacts among `stored_ids` (ids as stored)."""
    params = tuple(stored_ids)
    marks = ",".join("?" * len(stored_ids))

    def grouped(sql: str) -> dict[bytes, list[tuple[Any, ...]]]:
        out: dict[bytes, list[tuple[Any, ...]]] = {}
        for row in plain_sql.rows(conn, sql.format(marks=marks), params):
            out.setdefault(row[0], []).append(tuple(row[1:]))
        return out

    emails = grouped(
        "SELECT c.id, p.address FROM contacts c JOIN contact_emails p "
        "ON p.contact_num = c.num WHERE c.id IN ({marks}) ORDER BY p.contact_num, p.position"
    )
    phones = grouped(
        "SELECT c.id, p.number, p.e164 FROM contacts c JOIN contact_phones p "
        "ON p.contact_num = c.num WHERE c.id IN ({marks}) ORDER BY p.contact_num, p.position"
    )
    places = grouped(
        "SELECT c.id, p.city, p.region, p.postal_code FROM contacts c JOIN contact_addresses p "
        "ON p.contact_num = c.num WHERE c.id IN ({marks}) ORDER BY p.contact_num, p.position"
    )
    tags = grouped(
        "SELECT m.contact_id, g.name FROM group_members m JOIN groups g "
        "ON g.id = m.group_id WHERE g.deleted_at IS NULL AND m.contact_id IN ({marks})"
    )
    contacts = plain_sql.rows(
        conn,
        "SELECT id, display_name, nickname, company_name, title FROM contacts "
        f"WHERE deleted_at IS NULL AND id IN ({marks})",
        params,
    )
    return [
        document_for(
            uuid.UUID(bytes=cid),
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
