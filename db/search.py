"""Lookup: find contacts by any fragment of name, company, email, phone digits or city.

The SQLite backend keeps an FTS5 table, `contact_lookup`, updated in the same
transaction as the contact (after each flush, from `db.journal`'s change set).
Queries are built from the user's words only, never from their syntax, so any text
is safe. Results are bounded: at most `limit` candidates per tier are read, then
ordered (whole-name prefix, name-word prefix, other hits; then by name), so a
query matching half the database costs what a query matching fifty rows costs.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, event, text
from sqlalchemy.orm import Session, sessionmaker

from db.journal import changed_contact_ids
from db.phones import national_digits_of
from db.text import digits, fold, sort_key

MAX_TERMS = 8
MAX_TERM_LENGTH = 64

_WORD = re.compile(r"[^\W_]+")
_PHONE_LIKE = re.compile(r"^[\d\s+().\-/]+$")


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


@dataclass(frozen=True)
class LookupHit:
    """One contact found, with what the result list shows."""

    id: uuid.UUID
    display_name: str
    company: str | None
    title: str | None
    email: str | None
    phone: str | None
    city: str | None


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


def match_expression(query: str) -> str | None:
    """The FTS5 MATCH text for what a user typed, or None when it has no words.

    Every word becomes a quoted prefix term and the terms are AND-ed. A query that
    looks like a phone number ("+47 55", "555-01") is one: its digits, run together,
    must begin one of a contact's numbers (as typed, international or national), so
    "+47 55" does not find a Brazilian +55 number that merely holds a 47.
    """
    terms = query_terms(query)
    if not terms:
        return None
    if phone_shaped(query):
        return f'phones : "{digits(query)[:MAX_TERM_LENGTH]}"*'
    return " AND ".join(f'"{term}"*' for term in terms)


def phone_shaped(query: str) -> bool:
    """Whether `query` is one phone number ("+47 55", "555-01"), not several words."""
    text = query.strip()
    return bool(_PHONE_LIKE.match(text)) and (len(query_terms(text)) > 1 or text.startswith("+"))


def query_terms(query: str) -> list[str]:
    """The words of `query`, folded, at most MAX_TERMS of at most MAX_TERM_LENGTH."""
    words = _WORD.findall(fold(query[: MAX_TERMS * (MAX_TERM_LENGTH + 8)]))
    return [word[:MAX_TERM_LENGTH] for word in words[:MAX_TERMS]]


class SqliteLookup:
    """Lookup over the FTS5 `contact_lookup` table."""

    def lookup(self, session: Session, query: str, limit: int = 50) -> list[LookupHit]:
        """Contacts matching every word of `query`, best first, at most `limit`."""
        expression = match_expression(query)
        if expression is None or limit <= 0:
            return []
        terms = query_terms(query)
        conn = session.connection()
        rest = " AND ".join(f'"{term}"*' for term in terms[1:])
        name_first = f'(name : "{terms[0]}"*)' + (f" AND {rest}" if rest else "")
        ids = self._match(conn, name_first, limit)
        if len(ids) < limit:
            seen = set(ids)
            ids += [i for i in self._match(conn, expression, limit) if i not in seen]
        hits = _load_hits(conn, ids)
        return sorted(hits, key=_ranking(terms))[:limit]

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

    @staticmethod
    def _match(conn: Connection, expression: str, limit: int) -> list[str]:
        rows = conn.execute(
            text("SELECT contact_id FROM contact_lookup WHERE contact_lookup MATCH :m LIMIT :n"),
            {"m": expression, "n": limit},
        )
        return [r[0] for r in rows]


LOOKUP = SqliteLookup()


def install(sessions: sessionmaker[Session]) -> None:
    """Keep the index in the same transaction as every contact change."""
    event.listen(sessions, "after_flush", _after_flush)


def _after_flush(session: Session, _context: Any) -> None:
    changed = changed_contact_ids(session)
    if changed:
        LOOKUP.reindex(session.connection(), list(changed))
        changed.clear()


def name_tier(display_name: str, terms: Sequence[str]) -> int:
    """How well a name answers the query's words (0 best):
    0 the name's words start with the terms in order ("mar ber": Maren Bertelsen),
    1 each term starts some word of the name (Bernardo Márquez),
    2 the first term starts a word of the name, 3 the match is elsewhere (company, ...).
    """
    words = _WORD.findall(fold(display_name))
    if len(words) >= len(terms) and all(
        word.startswith(term) for word, term in zip(words, terms, strict=False)
    ):
        return 0
    if all(any(word.startswith(term) for word in words) for term in terms):
        return 1
    if any(word.startswith(terms[0]) for word in words):
        return 2
    return 3


def _ranking(terms: Sequence[str]) -> Any:
    def key(hit: LookupHit) -> tuple[int, str]:
        return name_tier(hit.display_name, terms), sort_key(hit.display_name)

    return key


def _load_hits(conn: Connection, hex_ids: list[str]) -> list[LookupHit]:
    if not hex_ids:
        return []
    marks = ",".join(f":i{n}" for n in range(len(hex_ids)))
    rows = conn.execute(
        text(
            "SELECT id, display_name, company_name, title, primary_email, primary_phone, city "
            f"FROM contacts WHERE deleted_at IS NULL AND id IN ({marks})"
        ),
        {f"i{n}": value for n, value in enumerate(hex_ids)},
    )
    return [LookupHit(uuid.UUID(hex=r[0]), *r[1:]) for r in rows]


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
