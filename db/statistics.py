"""The query planner's statistics (`sqlite_stat1`), for books big enough to need them.

A book of `ANALYZED_FROM` contacts or more is analyzed after each bulk write (a seed, an
import, a sync that brought `BULK_CHANGES` records) and, when it closes, again if a
table has grown past `GROWN` times what its statistics say (`db.upkeep`); smaller books
keep none, as every book did before, and the planner's own guesses serve them. Each
ANALYZE samples at most `ANALYSIS_LIMIT` rows per index: 0.14 s at a million contacts.
Both states are checked by `tests/db/test_query_plans.py` (no statistics, and a
million's).
"""

from __future__ import annotations

from sqlalchemy import Connection

ANALYSIS_LIMIT = 1000
ANALYZED_FROM = 50_000  # contacts
BULK_CHANGES = 1000  # records a sync brought or changed
# Re-analyze a table this many times larger than its statistics say (sampled, they can
# be half the truth).
GROWN = 4


def gather(conn: Connection) -> bool:
    """Analyze every table and index (sampled) if the book is big enough, in `conn`'s
    write transaction; returns whether it did."""
    if _contacts(conn) < ANALYZED_FROM:
        return False
    conn.exec_driver_sql(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
    conn.exec_driver_sql("ANALYZE")
    return True


def stale(conn: Connection) -> bool:
    """Whether a big book has no statistics, or a table grew past `GROWN` times its
    statistics' row count (rows ever added, read from the largest rowid: no count;
    tables without one are judged by the tables they key)."""
    if _contacts(conn) < ANALYZED_FROM:
        return False
    has_table = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
    ).first()
    if not has_table:
        return True
    known: dict[str, int] = {}
    for table, stat in conn.exec_driver_sql("SELECT tbl, stat FROM sqlite_stat1"):
        rows = int(str(stat).split()[0])
        known[table] = max(known.get(table, 0), rows)
    if not known:
        return True
    keyed = _without_rowid(conn)
    for table, rows in known.items():
        if table.startswith(("contact_lookup", "sqlite_")) or table in keyed:
            continue
        grown = conn.exec_driver_sql(f'SELECT max(rowid) FROM "{table}"').scalar() or 0
        if grown > GROWN * max(rows, 1):
            return True
    return False


def _without_rowid(conn: Connection) -> set[str]:
    """Tables laid out by their key (no rowid to read growth from): they grow with the
    contacts and activities they key, which are checked."""
    return {
        name
        for name, sql in conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL"
        )
        if sql.rstrip().upper().endswith("WITHOUT ROWID")
    }


def _contacts(conn: Connection) -> int:
    total = conn.exec_driver_sql("SELECT live + trashed FROM contact_tallies").scalar()
    return int(total or 0)
