"""Quick answers from a book with sqlite3 alone, for the command line's `find` and
`agenda`: no SQLAlchemy, no models, a read-only connection. Only a book at this
version's schema that `open_database` would trust without its integrity check (closed
cleanly and unchanged since, or open in another program now) is read this way; for any
other (left by a crash, from an older version, missing) `reader` returns None and the
caller opens the book the whole way, with its upgrade, checks and messages."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from db import agenda_query, lookup_query, plain_sql
from db.agenda_query import Agenda
from db.book_file import HEAD_REVISION, database_path, open_elsewhere, stored_revision
from db.book_file import unchanged_since_clean_close as unchanged
from db.clock import Moment
from db.errors import CallsheetError
from db.lookup_query import LookupHit


@contextlib.contextmanager
def reader(data_dir: Path) -> Iterator[sqlite3.Connection | None]:
    """A read-only connection to the book in `data_dir`, or None (see the module)."""
    path = database_path(data_dir.expanduser().absolute())
    conn = None
    try:
        trusted = path.is_file() and (unchanged(path) or open_elsewhere(path))
        if trusted and stored_revision(path) == HEAD_REVISION:
            conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
            conn.execute("SELECT live FROM contact_tallies").fetchone()  # it reads (WAL)
    except (sqlite3.Error, CallsheetError, OSError):
        if conn is not None:
            conn.close()
        conn = None
    try:
        yield conn
    finally:
        if conn is not None:
            conn.close()


def lookup(conn: sqlite3.Connection, text: str, limit: int) -> list[LookupHit]:
    """What `ContactBook.lookup` finds, read through `conn`."""
    return lookup_query.lookup(plain_sql.through(conn), text, limit)


def agenda(
    conn: sqlite3.Connection, moment: Moment, days: int, overdue_only: bool, limit: int
) -> Agenda:
    """What `ContactBook.agenda` lists, read through `conn`."""
    return agenda_query.agenda(plain_sql.through(conn), moment, days, overdue_only, limit)
