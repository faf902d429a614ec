"""The book's file on disk, read without SQLAlchemy: its name, its schema revision,
whether it was closed cleanly and is unchanged since, and whether another process has
it open now. Either way the next open may skip the integrity check (a book open
elsewhere was checked by the open that found it unclean), and `db.quick_read` may
answer from it."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # Windows: no shared locks; an unclean book is always checked
    fcntl = None  # type: ignore[assignment]

from db.errors import NotADatabaseError

DB_FILENAME = "callsheet.db"
HEAD_REVISION = "0019"


def database_path(data_dir: Path) -> Path:
    return data_dir / DB_FILENAME


def stored_revision(path: Path) -> str | None:
    """The schema revision of an existing file, read without changing a byte of it."""
    with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
        tables = {
            name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if "alembic_version" not in tables:
            if tables:
                raise NotADatabaseError(path)
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def closed_cleanly(path: Path) -> None:
    """Note that the book was closed as it is now (no other connection holds it, its
    WAL is gone), so the next open may skip the integrity check."""
    if Path(f"{path}-wal").exists() or not path.exists():
        return  # another process still has it open: its close will say
    status = path.stat()
    with contextlib.suppress(OSError):
        _clean_marker(path).write_text(f"{status.st_size} {status.st_mtime_ns}", "ascii")


def unchanged_since_clean_close(path: Path) -> bool:
    """Whether the book is as it was when last closed cleanly, with nobody's changes
    waiting in its WAL."""
    try:
        noted = _clean_marker(path).read_text("ascii").split()
        status = path.stat()
    except OSError:
        return False
    wal = Path(f"{path}-wal")
    return noted == [str(status.st_size), str(status.st_mtime_ns)] and (
        not wal.exists() or wal.stat().st_size == 0
    )


def forget_clean_close(path: Path) -> None:
    """The book is open for writing: the next open cannot trust it unchecked."""
    with contextlib.suppress(OSError):
        _clean_marker(path).unlink(missing_ok=True)


def _clean_marker(path: Path) -> Path:
    return path.with_name(f"{path.name}.closed")


class OpenMark:
    """A shared lock on `callsheet.db.open`, held while this process has the book open:
    the OS drops it when the process ends, however it ends, so a book whose clean-close
    marker is missing and that nobody holds open was left by a crash."""

    def __init__(self, path: Path) -> None:
        self._handle: IO[bytes] | None = None
        if fcntl is None:
            return
        with contextlib.suppress(OSError):  # a read-only folder: nothing to mark
            self._handle = _mark_file(path).open("ab")
            fcntl.flock(self._handle, fcntl.LOCK_SH)

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()  # closing drops the lock
            self._handle = None


def open_elsewhere(path: Path) -> bool:
    """Whether another open of the book (in any process) holds it now."""
    if fcntl is None:
        return False
    try:
        with _mark_file(path).open("ab") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            return False
    except OSError:
        return False


def _mark_file(path: Path) -> Path:
    return path.with_name(f"{path.name}.open")
