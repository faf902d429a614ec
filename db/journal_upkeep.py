"""Keeping the change journal to what sync needs. Sync pushes what moved past the
version each account last agreed (`rev` against `synced_rev`), so a journal row is only
the outbox's account of the change: a book that syncs with nobody needs none, and a
syncing book needs only each record's latest. Run after bulk writes and when a book
closes (`db.upkeep`), and when its last account goes; migration 0013 did it once for
every existing book."""

from __future__ import annotations

from sqlalchemy import Connection

from db.journal import book_syncs

_SUPERSEDED = (
    "DELETE FROM change_journal WHERE seq < "
    "(SELECT max(later.seq) FROM change_journal later "
    "WHERE later.record_id = change_journal.record_id)"
)


def needs_compacting(conn: Connection) -> bool:
    """Whether a book that syncs with nobody still holds journal rows."""
    held = conn.exec_driver_sql("SELECT 1 FROM change_journal LIMIT 1").first()
    return held is not None and not book_syncs(conn)


def compact(conn: Connection, *, superseded: bool = False) -> None:
    """In `conn`'s write transaction: empty the journal of a book that syncs with
    nobody; with `superseded`, drop a syncing book's rows older than each record's
    latest (a pass over the whole journal: after bulk writes only)."""
    if not book_syncs(conn):
        conn.exec_driver_sql("DELETE FROM change_journal")
    elif superseded:
        conn.exec_driver_sql(_SUPERSEDED)
