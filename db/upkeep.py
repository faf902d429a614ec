"""What a book does for itself after bulk writes and when it closes: keeps its change
journal to what sync needs (`db.journal_upkeep`), its planner statistics fresh
(`db.statistics`) and its lookup index free of the rows changes left behind
(`db.search`). On close it never waits for another program's write: the work is
left to the next close."""

from __future__ import annotations

import logging

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from db import journal_upkeep, statistics
from db.search import LOOKUP

log = logging.getLogger(__name__)

# On close the lookup index is rebuilt only in books this small (a second or so); a
# larger book's is rebuilt after its next import or big sync.
REBUILD_ON_CLOSE_UP_TO = 20_000


def after_bulk_write(conn: Connection) -> None:
    """In `conn`'s write transaction, after a seed, an import or a big sync."""
    journal_upkeep.compact(conn, superseded=True)
    if LOOKUP.compaction_due(conn):
        LOOKUP.rebuild(conn)
    statistics.gather(conn)


def on_close(conn: Connection) -> None:
    """Compact the journal, refresh stale statistics and rebuild a small book's lookup
    index, whichever is due (small reads when none is). Best effort: a book that cannot
    be written now is left."""
    try:
        compacting = journal_upkeep.needs_compacting(conn)
        analyzing = statistics.stale(conn)
        rebuilding = LOOKUP.compaction_due(conn, largest=REBUILD_ON_CLOSE_UP_TO)
        conn.rollback()  # the reads' transaction
        if not (compacting or analyzing or rebuilding):
            return
        conn.exec_driver_sql("PRAGMA busy_timeout=0")
        conn.rollback()
        with conn.begin():
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            if compacting:
                journal_upkeep.compact(conn)
            if rebuilding:
                LOOKUP.rebuild(conn)
            if analyzing:
                statistics.gather(conn)
    except DBAPIError as error:
        log.info("upkeep not done on close: %s", error)
