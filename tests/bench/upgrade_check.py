"""An upgrade of a big book, checked: nothing lost, the old file copied aside first.

A copy of a seeded book is taken back to `FROM` (as the Callsheet before issue 17 left
it); every table's rows are counted and a sample of contacts is read in full (every
row of theirs in every table: details, values, groups, follow-ups, history, notes,
profiles). Then the app opens it, as a user's first start of
the new version does (the old file is copied aside, the upgrade runs on a copy), and
the same is read again: the counts and the sample must be equal. Reports the upgrade's
time and the file's bytes per contact before and after.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from alembic import command

from db import migrations, moments
from db.engine import database_path, make_engine
from db.search import documents_from_database
from desktop.contact_book import ContactBook
from tests.bench.databases import seeded

FROM = "0010"
SAMPLE = 300
# Tables an upgrade may change by design: new ones, and the planner's statistics.
CHANGED_BY_DESIGN = {"sqlite_stat1", "contact_tallies", "group_sizes", "alembic_version"}


def run(contacts: int) -> dict[str, float]:
    source = seeded(contacts)
    with tempfile.TemporaryDirectory() as folder:
        book_dir = Path(folder)
        path = database_path(book_dir)
        shutil.copyfile(database_path(source), path)
        engine = make_engine(path)
        command.downgrade(migrations.alembic_config(engine), FROM)
        engine.dispose()
        before_bytes = path.stat().st_size
        before_counts = _counts(path)
        sample = _sample_ids(path)
        before = _read(path, sample)
        started = time.perf_counter()
        ContactBook.open(book_dir).close()
        upgraded_s = time.perf_counter() - started
        after = _read(path, sample)
        after_counts = _counts(path)
        aside = sorted(book_dir.glob(f"callsheet.schema-{FROM}.*.bak"))
        lost = {
            table: (n, after_counts.get(table))
            for table, n in before_counts.items()
            if table not in CHANGED_BY_DESIGN and after_counts.get(table) != n
        }
        if lost:
            raise SystemExit(f"rows changed by the upgrade: {lost}")
        if before != after:
            differing = [cid for cid in sample if before[cid] != after[cid]]
            raise SystemExit(f"{len(differing)} sampled contacts differ, first {differing[0]}")
        unlike = _index_unlike_fresh(path, sample)
        if unlike:
            raise SystemExit(
                f"{len(unlike)} sampled contacts are indexed wrongly, first {unlike[0]}"
            )
        if len(aside) != 1 or aside[0].stat().st_size != before_bytes:
            raise SystemExit(f"the old file was not copied aside whole: {aside}")
        return {
            "contacts": contacts,
            "upgrade_s": upgraded_s,
            "before_bytes_per_contact": before_bytes / contacts,
            "after_bytes_per_contact": path.stat().st_size / contacts,
            "tables_compared": len(before_counts),
            "sampled": len(sample),
        }


def _counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'contact_lookup%' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def _sample_ids(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        ids = [row[0] for row in conn.execute("SELECT id FROM contacts")]
    return random.Random(17).sample(ids, min(SAMPLE, len(ids)))


# A contact's values, by kind: their table and the columns compared (their key is left
# out: 0012 and 0017 renumber it by design).
_VALUES = {
    "emails": ("contact_emails", "label, is_primary, position, address"),
    "phones": ("contact_phones", "label, is_primary, position, number, e164"),
    "addresses": (
        "contact_addresses",
        "label, is_primary, position, street, city, region, postal_code, country",
    ),
    "urls": ("contact_urls", "label, is_primary, position, url"),
}
# A contact's other rows in every table that holds them.
_PARTS = {
    "contact": "SELECT * FROM contacts WHERE id = ?",
    "groups": "SELECT group_id FROM group_members WHERE contact_id = ? ORDER BY group_id",
    "follow-ups": "SELECT a.* FROM activity_contacts l JOIN activities a "
    "ON a.id = l.activity_id WHERE l.contact_id = ? ORDER BY a.id",
    "history": "SELECT h.* FROM history_contacts l JOIN history_entries h "
    "ON h.id = l.history_id WHERE l.contact_id = ? ORDER BY h.id",
    "notes": "SELECT * FROM notes WHERE contact_id = ? ORDER BY id",
    "profiles": "SELECT * FROM social_profiles WHERE contact_id = ? ORDER BY id",
}
# The contact's primary email and phone: copied into the contact until 0018, read from
# its values after; and its row number, a column from 0017 (its rowid before).
_NOT_COMPARED = ("primary_email", "primary_phone", "num")
_PRIMARY_COPIES = "SELECT primary_email AS email, primary_phone AS phone FROM contacts WHERE id = ?"
_PRIMARY_VALUES = (
    "SELECT (SELECT address FROM contact_emails WHERE contact_num = c.num AND is_primary "
    "ORDER BY position LIMIT 1) AS email, (SELECT number FROM contact_phones "
    "WHERE contact_num = c.num AND is_primary ORDER BY position LIMIT 1) AS phone "
    "FROM contacts c WHERE id = ?"
)


def _queries(conn: sqlite3.Connection) -> dict[str, str]:
    """What `_read` runs on this schema: values under the contact's id until 0017, under
    its number from then on; the primary copies until 0018."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(contacts)")}
    numbered = "num" in columns
    values = {
        kind: (
            f"SELECT {', '.join(f'p.{c.strip()}' for c in compared.split(','))} FROM contacts c "
            f"JOIN {table} p ON p.contact_num = c.num WHERE c.id = ? ORDER BY p.position"
            if numbered
            else f"SELECT {compared} FROM {table} WHERE contact_id = ? ORDER BY position"
        )
        for kind, (table, compared) in _VALUES.items()
    }
    primary = _PRIMARY_COPIES if "primary_email" in columns else _PRIMARY_VALUES
    return {**_PARTS, **values, "primary": primary}


def _read(path: Path, ids: list[str]) -> dict[str, object]:
    """Every row of each sampled contact (by id hex), as the oldest schema stores it:
    ids as hex (16 bytes from 0015 on), moments as naive UTC text (numbers from 0016),
    the primary email and phone as copied or as read from the values (0018)."""
    with sqlite3.connect(path) as conn:
        as_bytes = conn.execute("SELECT typeof(id) = 'blob' FROM contacts LIMIT 1").fetchone()[0]
        parts = _queries(conn)
        return {
            cid: {
                part: [
                    _as_first_stored(cursor, row)
                    for cursor in [conn.execute(sql, (bytes.fromhex(cid) if as_bytes else cid,))]
                    for row in cursor
                ]
                for part, sql in parts.items()
            }
            for cid in ids
        }


def _as_first_stored(cursor: sqlite3.Cursor, row: tuple[object, ...]) -> tuple[object, ...]:
    """A row's ids (16 bytes, from 0015) as hex, and its moments (numbers, from 0016)
    as text, as `FROM` stored them (the seeded books hold no other 16-byte values)."""
    names = [d[0] for d in cursor.description]
    return tuple(
        _as_text(value) if name in _MOMENTS else _as_hex(value)
        for name, value in zip(names, row, strict=True)
        if name not in _NOT_COMPARED
    )


_MOMENTS = {
    "created_at", "updated_at", "deleted_at", "last_contacted_at", "next_step_at",
    "starts_at", "alarm_at", "series_start", "completed_at", "occurred_at", "fetched_at",
    "gone_at",
}  # fmt: skip


def _as_hex(value: object) -> object:
    return value.hex() if isinstance(value, bytes) and len(value) == 16 else value


def _as_text(value: object) -> object:
    if isinstance(value, int):
        return moments.moment(value).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def _index_unlike_fresh(path: Path, ids: list[str]) -> list[str]:
    """The sampled contacts whose words in the upgraded lookup index are not those a
    fresh index of their data holds now."""
    engine = make_engine(path)
    with engine.connect() as conn:
        conn.exec_driver_sql(
            "CREATE VIRTUAL TABLE temp.fresh USING fts5(name, company, emails, phones, places, "
            "tags, content = '', tokenize = 'unicode61 remove_diacritics 2', detail = column)"
        )
        documents = documents_from_database(conn, [bytes.fromhex(cid) for cid in ids])
        conn.exec_driver_sql(
            "INSERT INTO temp.fresh (rowid, name, company, emails, phones, places, tags) "
            "SELECT lookup_rowid, ?, ?, ?, ?, ?, ? FROM contacts WHERE id = ?",
            [(*doc.values(), doc.contact_id.bytes) for doc in documents],
        )
        words = {}
        for table in ("main.contact_lookup", "temp.fresh"):
            schema, name = table.split(".")
            conn.exec_driver_sql(
                f"CREATE VIRTUAL TABLE temp.words_{name} "
                f"USING fts5vocab({schema}, {name}, instance)"
            )
            marks = ",".join("?" * len(ids))
            words[table] = sorted(
                conn.exec_driver_sql(
                    f"SELECT c.id, w.col, w.term FROM temp.words_{name} w "
                    f"JOIN contacts c ON c.lookup_rowid = w.doc WHERE c.id IN ({marks})",
                    tuple(bytes.fromhex(cid) for cid in ids),
                ).all()
            )
    engine.dispose()
    upgraded, fresh = words["main.contact_lookup"], words["temp.fresh"]
    return sorted({row[0].hex() for row in set(upgraded) ^ set(fresh)})


def report(f: dict[str, float]) -> None:
    print(
        f"upgrade of {int(f['contacts']):,} contacts from {FROM}: {f['upgrade_s']:.1f} s "
        f"(old file copied aside, checked, upgraded on a copy, statistics gathered); "
        f"{int(f['tables_compared'])} tables' counts and {int(f['sampled'])} contacts' rows "
        f"equal before and after, their lookup words those a fresh index gives; "
        f"{f['before_bytes_per_contact']:,.0f} -> "
        f"{f['after_bytes_per_contact']:,.0f} bytes per contact"
    )
