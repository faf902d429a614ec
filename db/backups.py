"""Backups of a book: consistent copies taken with SQLite's online backup API while the
book is in use, kept in rotation, checked before use, and restored in place.

Automatic backups live in one folder as `callsheet-YYYYMMDD-HHMMSSZ-REASON.db` and the
newest `keep` of them are kept. A restore copies the backup into the open database
(through the same backup API), so another Callsheet process that has it open reads the
restored book too, instead of writing on into a file that was moved away.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from db.errors import DatabaseError, NotADatabaseError, UnusableBackupError

REASONS = {
    "daily": "Daily",
    "manual": "Taken by hand",
    "before-import": "Before an import",
    "before-restore": "Before a restore",
    "before-sync": "Before the first sync",
}
_NAME = re.compile(r"^callsheet-(\d{8}-\d{6})Z-([a-z-]+)(?:\.\d+)?\.db$")
_UPGRADE_NAME = re.compile(r"^callsheet\.schema-(\d+)\.(\d{8}T\d{6})Z\.bak$")
_STAMP, _UPGRADE_STAMP = "%Y%m%d-%H%M%S", "%Y%m%dT%H%M%S"
PAGES_PER_STEP = 4096  # ~16 MB a step: a big book's backup lets writers in between steps


@dataclass(frozen=True)
class BackupFile:
    """A backup found on disk."""

    path: Path
    taken_at: datetime  # UTC
    reason: str  # a key of REASONS, or "before-upgrade"
    size: int
    written_ns: int = 0  # orders two taken in the same second

    @property
    def description(self) -> str:
        if self.reason == "before-upgrade":
            return "Before an upgrade"
        return REASONS.get(self.reason, self.reason)


@dataclass(frozen=True)
class BackupSummary:
    """What a backup file holds, read without changing it."""

    revision: str
    contacts: int
    taken_at: datetime | None  # of a recognised backup file name
    older: bool = False  # written by an earlier Callsheet: brought up to date on restore


def copy_database(source: sqlite3.Connection, target: Path) -> None:
    """Copy the database `source` is connected to into a new file `target`, durably:
    written as `target.part` and renamed only when whole."""
    partial = target.with_name(f"{target.name}.part")
    with contextlib.suppress(FileNotFoundError):
        partial.unlink()
    with contextlib.closing(sqlite3.connect(partial)) as dest:
        source.backup(dest, pages=PAGES_PER_STEP)
        dest.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    with partial.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, target)
    sync_folder(target.parent)


def take_automatic(
    source: sqlite3.Connection, folder: Path, reason: str, now: datetime, keep: int
) -> Path:
    """A backup of `source` in `folder`, named by `now` and `reason`; then only the
    newest `keep` automatic backups stay."""
    assert reason in REASONS, reason
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DatabaseError(
            folder, f"the backup folder cannot be made ({error.strerror})", _FOLDER_ADVICE
        ) from error
    stamp = now.astimezone(UTC).strftime(_STAMP)
    target = folder / f"callsheet-{stamp}Z-{reason}.db"
    for n in itertools.count(2):  # two in one second: a restore right after a backup
        if not target.exists():
            break
        target = folder / f"callsheet-{stamp}Z-{reason}.{n}.db"
    _check_room(source, folder)
    try:
        copy_database(source, target)
    except OSError as error:
        raise DatabaseError(
            folder, f"a backup could not be written there ({error.strerror})", _FOLDER_ADVICE
        ) from error
    rotate(folder, keep)
    return target


_FOLDER_ADVICE = "Choose another backup folder in Preferences, or free some space."


def rotate(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` automatic backups in `folder`; returns those gone."""
    gone = [backup.path for backup in automatic_backups(folder)[max(keep, 1) :]]
    for path in gone:
        path.unlink(missing_ok=True)
    return gone


def automatic_backups(folder: Path) -> list[BackupFile]:
    """The automatic backups in `folder`, newest first."""
    return sorted(_found(folder, _NAME, _STAMP), key=_newest_first)


def all_backups(folder: Path, data_dir: Path) -> list[BackupFile]:
    """Automatic backups and the copies kept before upgrades, newest first."""
    return sorted(
        [*_found(folder, _NAME, _STAMP), *_found(data_dir, _UPGRADE_NAME, _UPGRADE_STAMP)],
        key=_newest_first,
    )


def newest_taken_at(folder: Path) -> datetime | None:
    found = automatic_backups(folder)
    return found[0].taken_at if found else None


def summarize(path: Path, known_revisions: set[str], head: str) -> BackupSummary:
    """Check that `path` is a whole Callsheet book this version can open (one of
    `known_revisions`; `head` is this version's), and say what it holds. Raises
    `UnusableBackupError` saying why when it is not."""
    if not path.exists():
        raise UnusableBackupError(path, "there is no such file")
    if not path.is_file():
        raise UnusableBackupError(path, "this is not a plain file")
    not_a_book = "this file is not a whole Callsheet book (it is damaged or another kind of file)"
    try:
        with open_read_only(path) as conn:
            if conn.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise UnusableBackupError(path, "this backup is damaged")
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            if revision is None:
                raise UnusableBackupError(path, not_a_book)
            if revision[0] not in known_revisions:
                raise UnusableBackupError(
                    path, f"this backup was written by a newer Callsheet (schema {revision[0]})"
                )
            (contacts,) = conn.execute(
                "SELECT count(*) FROM contacts WHERE deleted_at IS NULL"
            ).fetchone()
    except (sqlite3.Error, NotADatabaseError) as error:
        raise UnusableBackupError(path, not_a_book) from error
    known = backup_file(path)
    older = revision[0] != head
    return BackupSummary(revision[0], contacts, known.taken_at if known else None, older)


@contextlib.contextmanager
def open_read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to the database file `path` (checked to be SQLite)."""
    with path.open("rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            raise NotADatabaseError(path)
    with contextlib.closing(
        sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
    ) as conn:
        yield conn


def _found(folder: Path, pattern: re.Pattern[str], stamp_format: str) -> Iterator[BackupFile]:
    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    for path in entries:
        backup = _parsed(path, pattern, stamp_format)
        if backup is not None:
            yield backup


def _parsed(path: Path, pattern: re.Pattern[str], stamp_format: str) -> BackupFile | None:
    match = pattern.match(path.name)
    if match is None or not path.is_file():
        return None
    automatic = pattern is _NAME
    stamp = match.group(1) if automatic else match.group(2)
    try:
        taken = datetime.strptime(stamp, stamp_format).replace(tzinfo=UTC)
        status = path.stat()
    except (ValueError, OSError):
        return None
    reason = match.group(2) if automatic else "before-upgrade"
    return BackupFile(path, taken, reason, status.st_size, status.st_mtime_ns)


def backup_file(path: Path) -> BackupFile | None:
    """`path` as a backup, when its name is one Callsheet gives backups."""
    return _parsed(path, _NAME, _STAMP) or _parsed(path, _UPGRADE_NAME, _UPGRADE_STAMP)


def _newest_first(backup: BackupFile) -> tuple[float, int, str]:
    return (-backup.taken_at.timestamp(), -backup.written_ns, backup.path.name)


def _check_room(source: sqlite3.Connection, folder: Path) -> None:
    pages = source.execute("PRAGMA page_count").fetchone()[0]
    size = source.execute("PRAGMA page_size").fetchone()[0]
    if shutil.disk_usage(folder).free < pages * size + (16 << 20):
        raise DatabaseError(
            folder, "there is not enough free disk space for a backup", _FOLDER_ADVICE
        )


def sync_folder(folder: Path) -> None:
    if os.name == "nt":
        return  # Windows cannot open a folder to flush it; its rename is durable
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
