"""Plain SQL for the queries that must also run without SQLAlchemy (the command line's
quick answers): an `Execute` runs one statement with "?" parameters and gives its rows,
through sqlite3 directly or through a SQLAlchemy connection."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from sqlalchemy import Connection, CursorResult

Execute = Callable[[str, Sequence[Any]], Iterable[Sequence[Any]]]


def through(conn: Connection | sqlite3.Connection) -> Execute:
    """An `Execute` on a SQLAlchemy connection (in its transaction) or a sqlite3 one."""
    if isinstance(conn, sqlite3.Connection):
        return lambda sql, params: conn.execute(sql, tuple(params))
    return lambda sql, params: rows(conn, sql, params)


def rows(conn: Connection, sql: str, params: Sequence[Any] = ()) -> Iterable[Sequence[Any]]:
    """A statement's rows as sqlite3 gives them, sent through SQLAlchemy (so its events
    see it, in the connection's transaction) but read without its per-row wrapping,
    which costs more than SQLite's own work on big reads."""
    return raw_rows(conn.exec_driver_sql(sql, tuple(params)))


def raw_rows(result: CursorResult[Any]) -> Iterable[Sequence[Any]]:
    """An executed statement's rows as sqlite3 gives them (no per-row wrapping, no type
    processing: ids as their stored bytes)."""
    return cast(Iterable[Sequence[Any]], result.cursor)
