"""Restoring a book from a backup, and taking backups of an open book.

A restore checks the backup, keeps the current book as a backup, brings a copy of the
backup up to this version's schema beside the book, and only then copies it into the
open database with SQLite's backup API, in one step that readers never see half done.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from db import backups, bulk
from db.backups import BackupSummary
from db.engine import (
    HEAD_REVISION,
    Database,
    durable_replace,
    raw_connection,
    remove_with_journals,
    translate_errors,
    upgrade_copy,
)
from db.errors import DatabaseError
from db.job_lock import job_lock


@dataclass(frozen=True)
class BackupPlan:
    """Where automatic backups go and how many are kept."""

    folder: Path
    keep: int = 7

    @classmethod
    def beside(cls, data_dir: Path) -> BackupPlan:
        """The default: `backups` in the data folder, seven kept."""
        return cls(data_dir.expanduser().absolute() / "backups")


def take_backup(db: Database, plan: BackupPlan, reason: str) -> Path:
    """An automatic backup of the open book, by its clock, rotated with the others."""
    with translate_errors(db.path), raw_connection(db.engine) as conn:
        return backups.take_automatic(conn, plan.folder, reason, db.clock.now(), plan.keep)


def backup_to(db: Database, target: Path) -> Path:
    """A backup of the open book written to the file `target` (replaced when whole)."""
    target = target.expanduser().absolute()
    if target.resolve() == db.path.resolve():
        raise DatabaseError(target, "that is the book itself", "Choose another file name.")
    with translate_errors(db.path), raw_connection(db.engine) as conn:
        try:
            backups.copy_database(conn, target)
        except OSError as error:
            raise DatabaseError(
                target, f"the backup could not be written ({error.strerror})", ""
            ) from error
    return target


def newest_backup(plan: BackupPlan, data_dir: Path) -> Path | None:
    """The newest backup of the book in `data_dir`, automatic or kept before an upgrade."""
    found = backups.all_backups(plan.folder, data_dir)
    return found[0].path if found else None


def check_backup(path: Path) -> BackupSummary:
    """What the backup at `path` holds, or a `DatabaseError` saying why it cannot be used."""
    from db import migrations

    return backups.summarize(path, migrations.known_revisions(), HEAD_REVISION)


def restore(db: Database, backup: Path, plan: BackupPlan) -> tuple[BackupSummary, Path]:
    """Put the book back as `backup` holds it; the book as it was is backed up first.

    Returns what the backup held and where the book as it was now is. Waits for
    another process's job on the book (imports, seeding) to finish first.
    """
    with db.jobs.held("a restore from a backup"), _staged(db.path, backup) as (summary, working):
        kept = take_backup(db, plan, "before-restore")  # may rotate `backup` away: staged
        with (
            contextlib.closing(sqlite3.connect(working)) as source,
            db.writers_waiting(),
            raw_connection(db.engine) as live,
        ):
            source.backup(live)  # in one step: readers see the old book or the new
        bulk.restore_indexes(db.engine)
    return summary, kept


def replace_damaged(path: Path, backup: Path, now: datetime) -> Path:
    """Put the backup in the place of the damaged book at `path`, which is moved aside
    (not deleted: something may yet be saved from it). Returns where it went."""
    stamp = now.astimezone(UTC).strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.stem}.damaged-{stamp}Z.db")
    with job_lock(path).held("a restore from a backup"), _staged(path, backup) as (_, working):
        for suffix in ("-wal", "-shm"):
            if Path(f"{path}{suffix}").exists():
                os.replace(f"{path}{suffix}", f"{aside}{suffix}")
        os.replace(path, aside)
        durable_replace(working, path)
    return aside


@contextlib.contextmanager
def _staged(book: Path, backup: Path) -> Iterator[tuple[BackupSummary, Path]]:
    """The checked backup copied beside `book` and brought up to this version's schema;
    the copy is gone afterwards, whatever happened."""
    summary = check_backup(backup)
    working = book.with_name(f"{book.name}.restoring")
    remove_with_journals(working)
    try:
        with backups.open_read_only(backup) as source:
            backups.copy_database(source, working)
        if summary.older:
            upgrade_copy(working, book)
        yield summary, working
    finally:
        remove_with_journals(working)
