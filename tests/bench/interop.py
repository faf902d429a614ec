"""Import, export and the duplicate scan at size.

A seeded book is exported to CSV and to vCard 4.0 (timed), each file is imported into
an empty database (timed, through the same preview and run the app uses), and the
seeded book is scanned for duplicates. Two references are measured in the same run:
Python's csv module reading the same file and SQLite inserting one row per contact
with executemany; and the storage floor, SQLite alone storing exactly the rows the
CSV import stored (every table and the lookup index, in transactions of the same
size, indexes built after), which no import into this schema can go below.
"""

from __future__ import annotations

import csv
import sqlite3
import tempfile
import time
from pathlib import Path

from db.bulk import IMPORT_TABLES, indexes_deferred
from db.duplicates import find_groups
from db.engine import open_database
from db.exports import export_ids
from db.search import documents_from_database
from desktop.interop import importer
from desktop.interop.export import write_export
from desktop.interop.files import plan_contacts
from desktop.interop.importer import CHUNK


def run(data_dir: Path, contacts: int) -> dict[str, float]:
    """Seconds and rows per second for each step, and the reference."""
    figures: dict[str, float] = {}
    db = open_database(data_dir)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        with db.reading() as session:
            ids = export_ids(session)[:contacts]
            for format in ("csv", "vcf"):
                started = time.perf_counter()
                write_export(session, ids, format, work / f"book.{format}")
                figures[f"export_{format}_s"] = time.perf_counter() - started
        started = time.perf_counter()
        with db.reading() as session:
            groups = find_groups(session)
        figures["dup_scan_s"] = time.perf_counter() - started
        figures["dup_groups"] = len(groups)
        db.close()
        for format in ("csv", "vcf"):
            target = open_database(work / f"empty-{format}")
            started = time.perf_counter()
            plan, _ = plan_contacts(work / f"book.{format}", format, None, "US")
            planned = time.perf_counter()
            with target.reading() as session:
                preview = importer.preview(session, plan, importer.OnDuplicate.MERGE)
            previewed = time.perf_counter()
            outcome = importer.run(target, preview, f"book.{format}", format)
            done = time.perf_counter()
            target.close()
            if format == "csv":
                figures["storage_floor_s"] = _storage_floor(work / "empty-csv", work / "floor")
                figures.update(_reimport(work / "empty-csv", work / "book.csv", work))
            figures[f"import_{format}_plan_s"] = planned - started
            figures[f"import_{format}_preview_s"] = previewed - planned
            figures[f"import_{format}_write_s"] = done - previewed
            figures[f"import_{format}_s"] = done - started
            figures[f"import_{format}_created"] = outcome.created
        figures["reference_s"] = _reference(work / "book.csv", work / "reference.db")
    figures["contacts"] = len(ids)
    return figures


def _reference(csv_path: Path, db_path: Path) -> float:
    """Read the CSV with the csv module and insert a row per contact with executemany."""
    started = time.perf_counter()
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    connection = sqlite3.connect(db_path)
    connection.execute("CREATE TABLE people (id INTEGER PRIMARY KEY, given TEXT, family TEXT)")
    with connection:
        connection.executemany(
            "INSERT INTO people (given, family) VALUES (?, ?)", ((r[0], r[2]) for r in rows[1:])
        )
    connection.close()
    return time.perf_counter() - started


_LOOKUP_COLUMNS = "contact_lookup(rowid, name, company, emails, phones, places, tags)"


REIMPORTED = 20_000


def _reimport(data_dir: Path, export: Path, work: Path) -> dict[str, float]:
    """The same file again (every record already there, unchanged), and then the first
    REIMPORTED rows with a new title each (so many contacts change)."""
    with export.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    title = rows[0].index("Organization Title")
    changed = [rows[0]] + [
        [*row[:title], f"{row[title]} (EMEA)".strip(), *row[title + 1 :]]
        for row in rows[1 : REIMPORTED + 1]
    ]
    with (work / "changed.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(changed)
    db = open_database(data_dir)
    figures: dict[str, float] = {}
    for name, path in (("same", export), ("changed", work / "changed.csv")):
        started = time.perf_counter()
        plan, _ = plan_contacts(path, "csv", None, "US")
        with db.reading() as session:
            preview = importer.preview(session, plan, importer.OnDuplicate.MERGE)
        previewed = time.perf_counter()
        outcome = importer.run(db, preview, path.name, "csv")
        figures[f"reimport_{name}_preview_s"] = previewed - started
        figures[f"reimport_{name}_s"] = time.perf_counter() - started
        figures[f"reimport_{name}_changed"] = outcome.changed
        figures[f"reimport_{name}_rows"] = len(plan.rows)
    db.close()
    return figures


def _storage_floor(imported: Path, folder: Path) -> float:
    """Seconds SQLite takes to store what the import in `imported` stored, rows read
    beforehand, into a fresh database of the same schema with the same settings: each
    contact's rows in the same transaction of CHUNK contacts, indexes built after."""
    source = open_database(imported)
    tables = ["import_batches", "groups", "companies", *IMPORT_TABLES]
    with source.engine.connect() as conn:
        numbered = conn.exec_driver_sql("SELECT id, num FROM contacts ORDER BY num").all()
        order = [cid for cid, _num in numbered]
        part_of = {cid: n // CHUNK for n, cid in enumerate(order)}
        part_of |= {num: n // CHUNK for n, (_cid, num) in enumerate(numbered)}
        parts: list[dict[str, list[tuple[object, ...]]]] = [
            {} for _ in range(max(part_of.values(), default=0) + 1)
        ]
        for table in tables:
            result = conn.exec_driver_sql(f"SELECT * FROM {table}")
            names = [d[0] for d in result.cursor.description]
            owner = next(
                (names.index(n) for n in ("contact_num", "contact_id", "entity_id") if n in names),
                None,
            )
            if table == "contacts":
                owner = names.index("id")
            for row in result:
                part = part_of.get(row[owner], 0) if owner is not None else 0
                parts[part].setdefault(table, []).append(tuple(row))
        held = dict(conn.exec_driver_sql("SELECT id, lookup_rowid FROM contacts").tuples().all())
        for start in range(0, len(order), 500):  # the index keeps no text to copy: made again
            for doc in documents_from_database(conn, order[start : start + 500]):
                cid = doc.contact_id.bytes
                parts[part_of[cid]].setdefault("contact_lookup", []).append(
                    (held[cid], *doc.values())
                )
    source.close()
    empty = open_database(folder)
    started = time.perf_counter()
    with indexes_deferred(empty.writing, IMPORT_TABLES):
        for part in parts:
            with empty.engine.begin() as conn:
                for table, rows in part.items():
                    marks = ", ".join("?" * len(rows[0]))
                    target = _LOOKUP_COLUMNS if table == "contact_lookup" else table
                    conn.exec_driver_sql(f"INSERT INTO {target} VALUES ({marks})", rows)
    elapsed = time.perf_counter() - started
    empty.close()
    return elapsed


def report(figures: dict[str, float]) -> None:
    contacts = int(figures["contacts"])
    for format in ("csv", "vcf"):
        total = figures[f"import_{format}_s"]
        print(
            f"import {format} contacts={contacts} seconds={total:.1f} "
            f"rows_per_s={contacts / total:,.0f} (plan {figures[f'import_{format}_plan_s']:.1f} s, "
            f"preview {figures[f'import_{format}_preview_s']:.1f} s, "
            f"write {figures[f'import_{format}_write_s']:.1f} s; "
            f"created {int(figures[f'import_{format}_created']):,})"
        )
        export = figures[f"export_{format}_s"]
        print(
            f"export {format} contacts={contacts} seconds={export:.1f} "
            f"rows_per_s={contacts / export:,.0f}"
        )
    print(
        f"duplicate scan contacts={contacts} seconds={figures['dup_scan_s']:.1f} "
        f"groups={int(figures['dup_groups']):,}"
    )
    for name in ("same", "changed"):
        rows = int(figures[f"reimport_{name}_rows"])
        total = figures[f"reimport_{name}_s"]
        preview = figures[f"reimport_{name}_preview_s"]
        print(
            f"re-import csv ({name}) rows={rows} seconds={total:.1f} "
            f"rows_per_s={rows / total:,.0f} (preview {preview:.1f} s; "
            f"changed {int(figures[f'reimport_{name}_changed']):,})"
        )
    floor = figures["storage_floor_s"]
    print(
        f"storage floor (SQLite storing the CSV import's rows) seconds={floor:.1f} "
        f"rows_per_s={contacts / floor:,.0f} "
        f"ratio_csv_write={figures['import_csv_write_s'] / floor:.1f}"
    )
    reference = figures["reference_s"]
    print(
        f"reference (csv module + executemany) seconds={reference:.2f} "
        f"ratio_csv_import={figures['import_csv_s'] / reference:.1f}"
    )
