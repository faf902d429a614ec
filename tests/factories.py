"""Small helpers that add records through the same services the app uses."""

from __future__ import annotations

import uuid
from typing import Any

from db.contact_values import AddressValue, ContactDraft, EmailValue, PhoneValue
from db.contacts import create_contact
from db.engine import Database
from desktop.contact_book import ContactBook


def add_contact(
    target: Database | ContactBook,
    given: str,
    family: str = "",
    *,
    company: str = "",
    emails: tuple[str, ...] = (),
    phones: tuple[str, ...] = (),
    city: str = "",
    country: str = "",
    region: str = "US",
    group_ids: tuple[uuid.UUID, ...] = (),
    title: str = "",
) -> uuid.UUID:
    draft = ContactDraft(
        given_name=given,
        family_name=family,
        company=company,
        title=title,
        emails=tuple(EmailValue(e) for e in emails),
        phones=tuple(PhoneValue(p) for p in phones),
        addresses=(AddressValue(city=city, country=country),) if city or country else (),
        group_ids=group_ids,
        default_region=region,
    )
    if isinstance(target, ContactBook):
        return target.create(draft)
    with target.transaction() as session:
        return create_contact(session, draft)


class MemoryStore:
    """A settings store in a dict (what the app keeps in its settings file)."""

    def __init__(self, values: dict[str, object] | None = None) -> None:
        self.values: dict[str, object] = dict(values or {})

    def value(self, key: str) -> object | None:
        return self.values.get(key)

    def setValue(self, key: str, value: object) -> None:
        self.values[key] = value

    def sync(self) -> None:
        return None


def make_syncing(db: Database) -> None:
    """Give the book a sync account (no server is asked): its changes are journaled."""
    from db import sync_state

    with db.transaction() as session:
        sync_state.add_account(
            session, "Team", "https://dav.example", "maya", "https://dav.example/book/"
        )


def indexed_words(conn: Any) -> dict[uuid.UUID, dict[str, list[str]]]:
    """What the lookup index holds for each contact: each column's words,
    sorted. Only the rows contacts hold count (the contentless index keeps the rows
    changes left behind). `conn` is a sqlite3 or SQLAlchemy connection."""
    run = conn.exec_driver_sql if hasattr(conn, "exec_driver_sql") else conn.execute
    run("CREATE VIRTUAL TABLE temp.indexed_words USING fts5vocab(main, contact_lookup, instance)")
    found: dict[uuid.UUID, dict[str, list[str]]] = {}
    for contact_id, column, term in run(
        "SELECT c.id, w.col, w.term FROM temp.indexed_words w "
        "JOIN contacts c ON c.lookup_rowid = w.doc ORDER BY w.term"
    ).fetchall():
        found.setdefault(uuid.UUID(bytes=contact_id), {}).setdefault(column, []).append(term)
    run("DROP TABLE temp.indexed_words")
    return found
