"""Import, export and the duplicate scan at size.

A seeded book is exported to CSV and to vCard 4.0 (timed), each file is imported into
an empty database (timed, through the same preview and run the app uses), and the
seeded book is scanned for duplicates. The reference, measured in the same run, is
the floor any import has to stand on: Python's csv module reading the same file and
SQLite inserting one row per contact with executemany.
"""

from __future__ import annotations

import csv
import sqlite3
import tempfile
import time
from pathlib import Path

from db.duplicates import find_groups
from db.engine import open_database
from db.exports import export_ids
from desktop.interop import importer
from desktop.interop.export import write_export
from desktop.interop.files import plan_contacts


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
    reference = figures["reference_s"]
    print(
        f"reference (csv module + executemany) seconds={reference:.2f} "
        f"ratio_csv_import={figures['import_csv_s'] / reference:.1f}"
    )
