"""Backups (issue 15.10): taken while the book is open, kept in rotation, checked before
use, and restored in place with the book as it was kept aside."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from alembic import command

from db import migrations
from db.clock import FixedClock
from db.contacts import ListQuery
from db.engine import HEAD_REVISION, Database, database_path, open_database
from db.errors import UnusableBackupError
from db.restore import BackupPlan
from desktop.contact_book import ContactBook
from desktop.settings import BACKUP_FOLDER, BACKUP_KEEP, Settings, backup_plan
from tests.factories import add_contact


def names(book: ContactBook) -> list[str]:
    return sorted(row.display_name for row in book.page(ListQuery(), 0, 100))


@pytest.fixture
def plan(tmp_path: Path) -> BackupPlan:
    return BackupPlan(tmp_path / "kept", keep=3)


@pytest.fixture
def backed(db: Database, plan: BackupPlan) -> ContactBook:
    return ContactBook(db, plan)


def test_only_the_newest_automatic_backups_are_kept(
    backed: ContactBook, clock: FixedClock, plan: BackupPlan
) -> None:
    taken = []
    for _ in range(5):
        taken.append(backed.back_up("daily"))
        clock.advance(timedelta(hours=1))
    assert sorted(plan.folder.iterdir()) == sorted(taken[-3:])
    assert [b.path for b in backed.backup_list()] == taken[::-1][:3]
    assert taken[-1].name == "callsheet-20261123-130000Z-daily.db"  # 10:00 Oslo, + 4 hours


def test_a_daily_backup_is_taken_once_a_day(backed: ContactBook, clock: FixedClock) -> None:
    first = backed.back_up_daily()
    assert first is not None
    clock.advance(timedelta(hours=23))
    assert backed.back_up_daily() is None
    clock.advance(timedelta(hours=1))
    assert backed.back_up_daily() not in (None, first)


def test_a_restore_puts_the_book_back_and_keeps_it_as_it_was(
    db: Database, backed: ContactBook, clock: FixedClock, data_dir: Path
) -> None:
    add_contact(db, "Maya", "Lund")
    backup = backed.back_up("manual")
    add_contact(db, "Ola", "Berg")
    clock.advance(timedelta(minutes=5))
    elsewhere = ContactBook.open(data_dir, clock=clock)  # as another process holds it
    try:
        summary, kept = backed.restore_backup(backup)
        assert summary.contacts == 1 and summary.revision == HEAD_REVISION
        assert names(backed) == ["Maya Lund"]
        assert names(elsewhere) == ["Maya Lund"]  # reads the restored book, not a stale file
        assert [hit.display_name for hit in backed.lookup("Ola")] == []
        backed.restore_backup(kept)
        assert names(elsewhere) == ["Maya Lund", "Ola Berg"]
    finally:
        elsewhere.close()
    with sqlite3.connect(database_path(data_dir)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        conn.execute("INSERT INTO contact_lookup(contact_lookup) VALUES ('integrity-check')")


def test_a_backup_from_an_older_version_is_brought_up_to_date(
    tmp_path: Path, backed: ContactBook
) -> None:
    old = open_database(tmp_path / "old")
    add_contact(old, "Anna", "Alt")
    command.downgrade(migrations.alembic_config(old.engine), "0005")
    with old.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    old.close()

    summary, _ = backed.restore_backup(database_path(tmp_path / "old"))
    assert summary.revision == "0005"
    assert names(backed) == ["Anna Alt"]
    assert backed.lookup("Alt")[0].display_name == "Anna Alt"


def refused(backed: ContactBook, path: Path, why: str) -> None:
    before = names(backed)
    with pytest.raises(UnusableBackupError, match=why):
        backed.restore_backup(path)
    assert names(backed) == before
    assert backed.backup_list() == []  # nothing was even set aside


def test_what_is_not_a_usable_backup_is_refused_and_changes_nothing(
    db: Database, backed: ContactBook, tmp_path: Path
) -> None:
    add_contact(db, "Maya", "Lund")
    text = tmp_path / "notes.db"
    text.write_text("not a database")
    refused(backed, text, "not a whole Callsheet book")
    refused(backed, tmp_path / "missing.db", "no such file")

    whole = backed.back_up_to(tmp_path / "whole.db")
    cut = tmp_path / "cut.db"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    refused(backed, cut, "damaged|not a whole")

    newer = tmp_path / "newer.db"
    newer.write_bytes(whole.read_bytes())
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    refused(backed, newer, r"newer Callsheet \(schema 9999\)")


def test_an_import_is_preceded_by_a_backup(backed: ContactBook, tmp_path: Path) -> None:
    from desktop.interop.files import plan_contacts
    from desktop.interop.importer import OnDuplicate

    sheet = tmp_path / "people.csv"
    sheet.write_text("First Name,Last Name\nMaya,Lund\n", "utf-8")
    plan, _ = plan_contacts(sheet, "csv", None, "NO")
    backed.import_contacts(backed.import_preview(plan, OnDuplicate.MERGE), str(sheet), "csv")
    [backup] = backed.backup_list()
    assert backup.reason == "before-import"
    assert backed.check_backup(backup.path).contacts == 0


class Store(dict[str, object]):
    def value(self, key: str) -> object | None:
        return self.get(key)

    def setValue(self, key: str, value: object) -> None:
        self[key] = value

    def sync(self) -> None:
        return None


def test_the_backup_folder_and_count_come_from_the_settings(tmp_path: Path) -> None:
    from desktop.defaults import MachineDefaults

    data = tmp_path / "data"
    settings = Settings(Store(), MachineDefaults({}, frozenset()))
    assert backup_plan(settings, data) == BackupPlan(data / "backups", 7)
    settings.set(BACKUP_FOLDER, "elsewhere")
    settings.set(BACKUP_KEEP, 30)
    assert backup_plan(settings, data) == BackupPlan(data / "elsewhere", 30)
    it = MachineDefaults(
        {"backups/folder": str(tmp_path / "share"), "backups/keep": "14"},
        frozenset({"backups/folder"}),
    )
    settings = Settings(Store({"backups/folder": "mine"}), it)
    assert backup_plan(settings, data) == BackupPlan(tmp_path / "share", 14)


def cli(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_backup_and_restore_from_the_command_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    book = ContactBook.open(data)
    add_contact(book._db, "Maya", "Lund")
    book.close()

    made = cli(data, "backup", "--out", str(tmp_path / "friday.db"))
    assert made.returncode == 0, made.stderr
    assert made.stdout == f"Backed up {database_path(data)} to {tmp_path / 'friday.db'}.\n"
    assert cli(data, "backup").returncode == 0
    listed = cli(data, "backup", "--list")
    assert "Taken by hand" in listed.stdout and str(data / "backups") in listed.stdout

    assert cli(data, "seed", "--count", "5", "--seed", "1").returncode == 0
    restored = cli(data, "restore", str(tmp_path / "friday.db"))
    assert restored.returncode == 0, restored.stderr
    assert "1 contact." in restored.stdout and "before-restore.db" in restored.stdout
    assert [line.split("  ")[0] for line in cli(data, "find", "Lund").stdout.splitlines()] == [
        "Maya Lund"
    ]

    bad = cli(data, "restore", str(tmp_path / "nowhere.db"))
    assert bad.returncode == 1
    assert bad.stderr.strip().endswith("Choose another backup. Your book has not been changed.")
