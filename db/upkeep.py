"""What a book does for itself after bulk writes and when it closes: keeps its change
journal to what sync needs (`db.journal_upkeep`) and its planner statistics fresh
(`db.statistics`). On close it never waits for another program's write: the work is
left to the next close."""

from __future__ import annotations

import logging

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from db import journal_upkeep, statistics

log = logging.getLogger(__name__)


def after_bulk_write(conn: Connection) -> None:
    """In `conn`'s write transaction, after a seed, an import or a big sync."""
    journal_upkeep.compact(conn, superseded=True)
    statistics.gather(conn)


def on_close(conn: Connection) -> None:
    """Compact the journal and refresh stale statistics, if either is due (two small
    reads when neither is). Best effort: a book that cannot be written now is left."""
    try:
        compacting = journal_upkeep.needs_compacting(conn)
        analyzing = statistics.stale(conn)
        conn.rollback()  # the reads' transaction
        if not (compacting or analyzing):
            return
        conn.exec_driver_sql("PRAGMA busy_timeout=0")
        conn.rollback()
        with conn.begin():
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            if compacting:
                journal_upkeep.compact(conn)
            if analyzing:
                statistics.gather(conn)
    except DBAPIError as error:
        log.info("upkeep not done on close: %s", error)
