"""Bulk loading: secondary indexes dropped while many rows go in, rebuilt after.

Building an index once over a million rows is much cheaper than keeping it sorted
through a million inserts. If the process dies in between, `restore_indexes` (which
`db.engine.open_database` runs on every open) rebuilds whatever is missing.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import TypeVar

from sqlalchemy import Connection, Engine, Index

from db.models import Base

log = logging.getLogger(__name__)

# The tables an import of new contacts writes.
IMPORT_TABLES = [
    "contacts", "contact_emails", "contact_phones", "contact_addresses", "contact_urls",
    "group_members", "social_profiles", "change_journal", "import_items",
]  # fmt: skip


def declared_indexes(tables: list[str] | None = None) -> list[Index]:
    """The secondary indexes db/models.py declares (for `tables`, or all)."""
    chosen = (
        [Base.metadata.tables[name] for name in tables] if tables else Base.metadata.sorted_tables
    )
    return [index for table in chosen for index in sorted(table.indexes, key=lambda i: str(i.name))]


def missing_indexes(conn: Connection) -> list[Index]:
    present = {
        name
        for (name,) in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'index'")
    }
    return [index for index in declared_indexes() if index.name not in present]


def restore_indexes(engine: Engine) -> int:
    """Create every declared index the database lacks; returns how many were made."""
    with engine.begin() as conn:
        missing = missing_indexes(conn)
        for index in missing:
            log.warning("rebuilding missing index %s (an interrupted bulk load?)", index.name)
            index.create(conn)
    return len(missing)


@contextlib.contextmanager
def indexes_deferred(
    writing: Callable[[], AbstractContextManager[Connection]], tables: list[str]
) -> Iterator[None]:
    """Drop the secondary indexes of `tables` for the block, and rebuild them after
    (each in a write transaction `writing()` begins)."""
    indexes = declared_indexes(tables)
    with writing() as conn:
        for index in indexes:
            index.drop(conn, checkfirst=True)
    try:
        yield
    finally:
        with writing() as conn:
            for index in indexes:
                index.create(conn, checkfirst=True)


T = TypeVar("T")
IN_LIST_SIZE = 500  # ids per IN (...) list: well under SQLite's limit on bound values


def chunks(items: Sequence[T], size: int = IN_LIST_SIZE) -> Iterator[Sequence[T]]:
    """`items` in slices of at most `size`, for statements that list ids."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def insert_rows(
    conn: Connection, table: str, columns: Sequence[str], rows: Sequence[tuple[object, ...]]
) -> None:
    """Many rows into `table` in one statement (values as SQLite stores them)."""
    if rows:
        conn.exec_driver_sql(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            list(rows),
        )
