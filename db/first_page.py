"""The contact list's first page read with sqlite3 alone, so the window paints its rows
before SQLAlchemy and the models load (about 0.3 s of a start). Only the whole book in
either name order is read this way (the list most starts show); `FirstPage` then
stands in for the contact book as the list's source until the book is open.

The statement is the one `db.contacts.list_contacts` builds for those orders; the
tests hold the two to the same rows."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from db import moments, quick_read
from db.clock import Clock
from db.list_query import ContactRow, ListQuery, SortColumn

_PRIMARY = (
    "(SELECT v.{column} FROM {table} v WHERE v.contact_num = c.num AND v.is_primary "
    "ORDER BY v.position LIMIT 1)"
)
_ROWS = (
    "SELECT c.id, c.display_name, c.company_name, c.title, "
    + _PRIMARY.format(column="address", table="contact_emails")
    + ", "
    + _PRIMARY.format(column="number", table="contact_phones")
    + ", c.city, c.updated_at, c.last_contacted_at, c.next_step_at "
    "FROM contacts c WHERE c.deleted_at IS NULL ORDER BY c.{sort} {way}, c.num {way} LIMIT ?"
)
READABLE = (SortColumn.NAME, SortColumn.FILE_AS)


@dataclass(frozen=True)
class FirstPage:
    """The list's count and first rows for `query`, and the clock the list colours
    overdue next steps by: what the list model asks its source for, answered from what
    was read (None for pages beyond it, which the list asks for again once the book is
    open)."""

    query: ListQuery
    total: int
    first_rows: tuple[ContactRow, ...]
    clock: Clock

    def count(self, query: ListQuery | None = None) -> int:
        return self.total

    def page(self, query: ListQuery, offset: int, limit: int) -> list[ContactRow] | None:
        end = min(offset + limit, self.total)
        if query != self.query or end > len(self.first_rows):
            return None
        return list(self.first_rows[offset:end])


def first_page(data_dir: Path, query: ListQuery, rows: int, clock: Clock) -> FirstPage | None:
    """The first `rows` of `query` from the book in `data_dir`, or None when the book
    is not one sqlite3 alone may read (see `db.quick_read.reader`), or the query is not
    read this way."""
    if not _readable(query):
        return None
    with quick_read.reader(data_dir) as conn:
        try:
            return None if conn is None else read_first_page(conn, query, rows, clock)
        except sqlite3.Error:
            return None  # the whole way, then: the book's own checks say what is wrong


def read_first_page(
    conn: sqlite3.Connection, query: ListQuery, rows: int, clock: Clock
) -> FirstPage | None:
    """The first `rows` of `query` read through `conn`, or None when the query is not
    one read this way."""
    if not _readable(query):
        return None
    (total,) = conn.execute("SELECT live FROM contact_tallies").fetchone()
    way = "DESC" if query.descending else "ASC"
    statement = _ROWS.format(sort=query.sort.value, way=way)
    found = tuple(_row(r) for r in conn.execute(statement, (rows,)))
    return FirstPage(query, total, found, clock)


def _readable(query: ListQuery) -> bool:
    """The whole book in a name order: the one statement here reads it."""
    return query.sort in READABLE and query == ListQuery(query.sort, query.descending)


def _row(stored: Sequence[Any]) -> ContactRow:
    id_, name, company, title, email, phone, city, updated, contacted, next_step = stored
    return ContactRow(
        uuid.UUID(bytes=id_),
        name,
        company,
        title,
        email,
        phone,
        city,
        moments.moment(updated),
        _moment(contacted),
        _moment(next_step),
    )


def _moment(value: int | None) -> datetime | None:
    return None if value is None else moments.moment(value)
