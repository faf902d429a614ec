"""Two processes on one book: long jobs (set-up, upgrade, seeding, imports) take turns
through the book's job lock, so every one of them lands whole and none trips over
another's groups, lookup rows or dropped indexes."""

from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from db.bulk import declared_indexes
from db.engine import database_path, open_database
from db.job_lock import BookBusyError, JobLock
from desktop.contact_book import ContactBook
from tests.factories import indexed_words

IMPORTERS = 10
ROWS = 120

# The CLI with the bulk thresholds lowered, so a small seed or import drops and
# rebuilds its indexes as a big one does.
BULK_CLI = textwrap.dedent("""
    import sys
    import desktop.demo, desktop.interop.importer
    from desktop.cli import main
    desktop.demo.BULK_THRESHOLD = 100
    desktop.interop.importer.BULK_THRESHOLD = 100
    sys.exit(main(sys.argv[1:]))
""")


def write_csv(path: Path, prefix: str, rows: int) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["First Name", "Last Name", "E-mail 1 - Value", "Organization Name", "Labels"]
        )
        for n in range(rows):
            writer.writerow(
                [f"{prefix}q{n}", f"Zed{prefix}w{n}", f"{prefix}.{n}@example.com", "Acme", "Leads"]
            )
    return path


def start_cli(data_dir: Path, *args: str, script: str | None = None) -> subprocess.Popen[str]:
    program = ["-c", script] if script else ["-m", "desktop"]
    return subprocess.Popen(
        [sys.executable, *program, "--data-dir", str(data_dir), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=600)
    return process.returncode, out, err


def check_whole(data_dir: Path) -> sqlite3.Connection:
    db = open_database(data_dir)
    db.close()
    conn = sqlite3.connect(database_path(data_dir))
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.execute("INSERT INTO contact_lookup(contact_lookup) VALUES ('integrity-check')")
    return conn


def test_ten_imports_at_once_into_a_new_book_all_land(tmp_path: Path, data_dir: Path) -> None:
    files = [write_csv(tmp_path / f"leads{n}.csv", f"P{n}", ROWS) for n in range(IMPORTERS)]
    running = [start_cli(data_dir, "import", str(f)) for f in files]
    results = [finish(p) for p in running]

    for code, out, err in results:
        assert code == 0, err
        assert f"Imported: {ROWS} created" in out
        assert all(line.startswith("callsheet: waiting for ") for line in err.splitlines()), err
    conn = check_whole(data_dir)
    assert conn.execute("SELECT count(*) FROM contacts").fetchone() == (IMPORTERS * ROWS,)
    assert len(indexed_words(conn)) == IMPORTERS * ROWS
    assert conn.execute("SELECT name FROM groups").fetchall() == [("Leads",)]
    assert conn.execute("SELECT count(*) FROM group_members").fetchone() == (IMPORTERS * ROWS,)
    assert conn.execute("SELECT status, count(*) FROM import_batches GROUP BY 1").fetchall() == [
        ("done", IMPORTERS)
    ]
    conn.close()


def test_seeding_and_importing_at_once_keep_each_others_indexes(
    tmp_path: Path, data_dir: Path
) -> None:
    ContactBook.open(data_dir).close()
    seeding = start_cli(data_dir, "seed", "--count", "400", "--seed", "3", script=BULK_CLI)
    importing = start_cli(
        data_dir, "import", str(write_csv(tmp_path / "big.csv", "B", 300)), script=BULK_CLI
    )
    seeded, imported = finish(seeding), finish(importing)

    assert seeded[0] == 0, seeded[2]
    assert imported[0] == 0, imported[2]
    conn = check_whole(data_dir)
    book = ContactBook.open(data_dir)
    try:
        assert book.count() >= 400 + 300
        assert book.lookup("Bq7")[0].display_name == "Bq7 ZedBw7"
    finally:
        book.close()
    declared = {index.name for index in declared_indexes()}
    present = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
    assert declared <= present
    conn.close()


HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from db.job_lock import job_lock
    with job_lock(Path(sys.argv[1])).held("a long import"):
        print("held", flush=True)
        time.sleep(120)
""")


def test_a_job_that_cannot_wait_longer_says_who_holds_the_book(data_dir: Path) -> None:
    ContactBook.open(data_dir).close()
    path = database_path(data_dir)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        heard: list[str] = []
        impatient = JobLock(path, wait_seconds=0.3)
        with pytest.raises(BookBusyError) as raised, impatient.held("an import", heard.append):
            pytest.fail("the lock was taken while another process held it")
        assert f"a long import (process {holder.pid})" in str(raised.value)
        assert heard == [f"Waiting for a long import (process {holder.pid}) to finish…"]
        with impatient.try_hold() as free:
            assert not free
    finally:
        holder.kill()
        holder.communicate()
    with impatient.try_hold() as free:  # the OS let go of a killed holder's lock
        assert free
