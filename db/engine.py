"""Opening a Callsheet database: checks, pragmas, backup and migration on open.

`open_database` refuses files that are not SQLite databases and databases from a
newer Callsheet, copies an older database aside before upgrading it, and maps
SQLite's failures (locked, read-only, damaged) to `db.errors` with messages that
name the file and say what to do. It never overwrites a file it cannot read.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, exc
from sqlalchemy.orm import Session, sessionmaker

from db import backups, bulk, journal, search, statistics, upkeep
from db.book_file import (
    HEAD_REVISION,
    OpenMark,
    closed_cleanly,
    database_path,
    forget_clean_close,
    open_elsewhere,
    stored_revision,
    unchanged_since_clean_close,
)
from db.clock import Clock, SystemClock, session_info
from db.errors import (
    DamagedDatabaseError,
    DatabaseError,
    DatabaseLockedError,
    DataDirectoryError,
    DiskFullError,
    EmptyDatabaseError,
    MissingDatabaseError,
    NewerDatabaseError,
    NotADatabaseError,
    ReadOnlyDatabaseError,
)
from db.job_lock import JobLock, OnWait, job_lock
from db.models import number_new_contacts

log = logging.getLogger(__name__)

# Page cache per connection: an import of 100,000 outgrows the default 2 MB and rereads
# index pages from disk.
CACHE_KIB = 32 * 1024
BUSY_TIMEOUT_MS = 5000
_SQLITE_MAGIC = b"SQLite format 3\x00"
NEARLY_FULL_BYTES = 1 << 20  # an I/O error with less free than this: the disk is full
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


@dataclass
class Database:
    """An open database: its file, engine and session factory.

    Writes take the write lock at their start (`BEGIN IMMEDIATE`), one thread of this
    process at a time: a second writer waits its turn instead of failing as "locked"
    when its first write meets another's open transaction. Reads never wait.
    """

    path: Path
    engine: Engine
    sessions: sessionmaker[Session]
    clock: Clock
    jobs: JobLock
    writable: bool = True  # False for a book read as it is on a full disk
    open_mark: OpenMark | None = None
    _writer: threading.RLock = field(default_factory=threading.RLock, repr=False)

    @contextlib.contextmanager
    def transaction(self, origin: str = "local") -> Iterator[Session]:
        """A session whose work is committed on success and rolled back on error; the
        journal records its changes as coming from `origin` (`db.journal.ORIGINS`)."""
        with (
            self._writer,
            self.sessions() as session,
            translate_errors(self.path),
            session.begin(),
        ):
            journal.set_origin(session, origin)
            session.connection().exec_driver_sql("BEGIN IMMEDIATE")
            yield session

    @contextlib.contextmanager
    def writing(self, conn: Connection | None = None) -> Iterator[Connection]:
        """A write transaction on a plain connection (bulk loads), `conn` or a pooled one."""
        with self._writer, translate_errors(self.path), contextlib.ExitStack() as stack:
            if conn is None:
                conn = stack.enter_context(self.engine.connect())
            with conn.begin():
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                yield conn

    def writers_waiting(self) -> contextlib.AbstractContextManager[bool]:
        """Keep this process's writers waiting (for work beneath the ORM, such as a
        restore, that writes on a connection of its own)."""
        return self._writer

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for reads only."""
        with self.sessions() as session, translate_errors(self.path):
            yield session

    def after_bulk_write(self) -> None:
        """Compact the journal and refresh the planner's statistics (`db.upkeep`)."""
        with self.writing() as conn:
            upkeep.after_bulk_write(conn)

    def close(self) -> None:
        if self.writable:
            with self.engine.connect() as conn:
                upkeep.on_close(conn)
        self.engine.dispose()
        if self.open_mark is not None:
            self.open_mark.release()
        closed_cleanly(self.path)


def open_database(
    data_dir: Path,
    *,
    clock: Clock | None = None,
    create: bool = True,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    on_wait: OnWait | None = None,
) -> Database:
    """Open (creating or upgrading as needed) the database in `data_dir`.

    `clock` is what "now" means for everything stored through it (the computer's
    clock unless given). An upgrade waits for another process's job on the book
    (`db.job_lock`), and `on_wait` hears what it waits for.

    Raises a `db.errors.DatabaseError` subclass naming the file when it cannot.
    """
    data_dir = data_dir.expanduser().absolute()  # a relative folder, as typed, works too
    path = database_path(data_dir)
    _prepare_directory(data_dir, create)
    clock = clock or SystemClock()
    try:
        return _open(path, clock, create, busy_timeout_ms, on_wait)
    except DiskFullError:
        if create or _has_unsaved_log(path):
            raise
        return _snapshot(path, clock)  # reading needs no room: find and export still work


def _open(
    path: Path, clock: Clock, create: bool, busy_timeout_ms: int, on_wait: OnWait | None
) -> Database:
    revision: str | None = None
    if path.exists():
        if path.stat().st_size == 0:
            raise EmptyDatabaseError(path)
        _check_is_sqlite(path)
        if create and not os.access(path, os.W_OK):
            raise ReadOnlyDatabaseError(path)
        with translate_errors(path):
            revision = stored_revision(path)
    elif not create:
        raise MissingDatabaseError(path)
    jobs = job_lock(path)
    checked = revision != HEAD_REVISION  # an upgrade or a first open checks its result
    if revision != HEAD_REVISION:
        what = "an upgrade" if revision else "the book's set-up"
        with jobs.held(what, on_wait), translate_errors(path):
            revision = stored_revision(path) if path.exists() else None  # done meanwhile?
            if revision != HEAD_REVISION:
                _upgrade_aside(path, revision, clock, busy_timeout_ms)
    engine = make_engine(path, busy_timeout_ms)
    mark = None
    try:
        with translate_errors(path):
            if not (checked or unchanged_since_clean_close(path) or open_elsewhere(path)):
                _check_integrity(engine, path)
            mark = OpenMark(path)
            forget_clean_close(path)
        # Indexes are missing while a bulk load runs, or after one was killed: only
        # the second is this open's to mend.
        with jobs.try_hold() as free, translate_errors(path):
            if free:
                bulk.restore_indexes(engine)
    except BaseException:
        engine.dispose()
        if mark is not None:
            mark.release()
        raise
    return Database(
        path=path,
        engine=engine,
        sessions=make_sessions(engine, clock),
        clock=clock,
        jobs=jobs,
        open_mark=mark,
    )


def make_engine(path: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Engine:
    """An engine on `path` with WAL, foreign keys and a busy timeout on every connection."""
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        mode = cursor.execute("PRAGMA journal_mode=WAL").fetchone()
        if mode and str(mode[0]).lower() != "wal":
            # SQLite keeps the old mode when it cannot switch: the file or its folder
            # is read-only, or another program holds the file exclusively.
            writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
            raise sqlite3.OperationalError(
                "database is locked" if writable else "attempt to write a readonly database"
            )
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA cache_size={-CACHE_KIB}")
        cursor.close()

    return engine


def _snapshot(path: Path, clock: Clock) -> Database:
    """The book read as the file holds it, without writing a byte beside it (no WAL
    index): for finding and exporting on a full disk, where nothing can be written."""
    uri = f"{path.as_uri()}?immutable=1"
    engine = create_engine(
        "sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False)
    )
    with translate_errors(path), engine.connect() as conn:
        revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    if revision != HEAD_REVISION:
        engine.dispose()
        raise DiskFullError(path)  # an upgrade needs room
    log.warning("the disk is full: %s is read as it is, and cannot be changed", path)
    sessions = make_sessions(engine, clock)
    return Database(
        path=path,
        engine=engine,
        sessions=sessions,
        clock=clock,
        jobs=job_lock(path),
        writable=False,
    )


def _has_unsaved_log(path: Path) -> bool:
    """Whether the book's WAL holds changes not yet in the file itself."""
    wal = Path(f"{path}-wal")
    return wal.exists() and wal.stat().st_size > 0


def make_sessions(engine: Engine, clock: Clock) -> sessionmaker[Session]:
    """A session factory whose sessions keep the journal and the lookup index by `clock`."""
    sessions = sessionmaker(engine, expire_on_commit=False, info=session_info(clock))
    event.listen(sessions, "before_flush", number_new_contacts)
    journal.install(sessions)
    search.install(sessions)
    return sessions


@contextlib.contextmanager
def translate_errors(path: Path) -> Iterator[None]:
    """Turn SQLite's operational failures into user-facing `DatabaseError`s."""
    try:
        yield
    except exc.DBAPIError as error:
        raise _translate(path, error.orig) from error
    except sqlite3.Error as error:
        raise _translate(path, error) from error
    except UnicodeDecodeError as error:  # text that is not text, even in the schema
        raise DamagedDatabaseError(path, "unreadable text in it") from error


def _translate(path: Path, error: BaseException | None) -> Exception:
    message = str(error).lower()
    if "could not decode" in message:  # text that is not text: damaged pages
        return DamagedDatabaseError(path, "unreadable text in it")
    if "malformed" in message:
        return DamagedDatabaseError(path, "SQLite says its disk image is malformed")
    if "not a database" in message or "file is encrypted" in message:
        return NotADatabaseError(path)
    if "locked" in message or "busy" in message:
        return DatabaseLockedError(path)
    if "readonly" in message or "read-only" in message or "unable to open" in message:
        return ReadOnlyDatabaseError(path)
    if ("disk" in message and "full" in message) or (
        "disk i/o error" in message and _nearly_full(path)
    ):
        return DiskFullError(path)
    return error if isinstance(error, Exception) else RuntimeError(message)


def _check_integrity(engine: Engine, path: Path) -> None:
    """SQLite's quick check, run when the book may have changed since it was last
    closed cleanly (a crash, a copy, a disk fault): a damaged book is not used."""
    with engine.connect() as conn:
        found = [row[0] for row in conn.exec_driver_sql("PRAGMA quick_check(10)")]
    if found != ["ok"]:
        log.warning("integrity check of %s failed: %s", path, found)
        lines = [
            line.strip()
            for text in found
            for line in str(text).splitlines()
            if line.strip() and not line.startswith("***")
        ]
        more = f", and {len(lines) - 1} more problems" if len(lines) > 1 else ""
        raise DamagedDatabaseError(path, f"{lines[0] if lines else found[0]}{more}")


def _nearly_full(path: Path) -> bool:
    try:
        return shutil.disk_usage(path.parent).free < NEARLY_FULL_BYTES
    except OSError:
        return False


def _prepare_directory(data_dir: Path, create: bool) -> None:
    if data_dir.exists() and not data_dir.is_dir():
        raise DataDirectoryError(data_dir, "it is a file, not a folder")
    if not data_dir.exists():
        if not create:
            raise MissingDatabaseError(database_path(data_dir))
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DataDirectoryError(data_dir, error.strerror or str(error)) from error
    if create and not os.access(data_dir, os.W_OK | os.X_OK):
        raise ReadOnlyDatabaseError(database_path(data_dir))


def _check_is_sqlite(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            header = handle.read(len(_SQLITE_MAGIC))
    except OSError as error:
        raise ReadOnlyDatabaseError(path) from error
    if header and header != _SQLITE_MAGIC:
        raise NotADatabaseError(path)


def _upgrade_aside(path: Path, revision: str | None, clock: Clock, busy_timeout_ms: int) -> None:
    """Bring the file to the newest schema all at once: a copy is migrated beside it and
    moved into its place only when every step succeeded, so an upgrade (or a first
    open) that is interrupted leaves the file as it was, and the next open starts over.
    An existing file is backed up first (one backup per old revision: the newest)."""
    from db import migrations

    if revision is not None and revision not in migrations.known_revisions():
        raise NewerDatabaseError(path, revision)
    working = path.with_name(f"{path.name}.upgrading")
    remove_with_journals(working)  # what an interrupted upgrade left
    if revision is not None:
        original = make_engine(path, busy_timeout_ms)
        try:
            with original.connect() as conn:  # its WAL into the file, so none is left stale
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            backup_copy(original, path, revision, clock.now())
            _copy_database(original, working)
        finally:
            original.dispose()
    upgrade_copy(working, path, busy_timeout_ms)
    durable_replace(working, path)


def upgrade_copy(working: Path, book: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
    """Bring the copy `working` of `book` to the newest schema, check it and fold its WAL
    into the file, ready to be moved (or copied) into the book's place."""
    from db import migrations

    engine = make_engine(working, busy_timeout_ms)
    try:
        migrations.upgrade(engine)
        with engine.connect() as conn:
            _reclaim_freed_pages(conn)
        with engine.begin() as conn:
            statistics.gather(conn)  # an upgraded book starts with the planner informed
        with engine.connect() as conn:
            problems = conn.exec_driver_sql("PRAGMA quick_check").scalar_one()
            if problems != "ok":
                raise DatabaseError(
                    book,
                    f"upgrading it made a damaged copy ({problems})",
                    "The book itself is unchanged; report this with callsheet.log.",
                )
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()


# An upgrade that left this share of the file free (tables it rebuilt) gives it back.
RECLAIM_FROM = 0.1


def _reclaim_freed_pages(conn: Connection) -> None:
    """VACUUM the working copy if the migrations freed much of it: a rebuilt table's old
    pages stay in the file, unused, until then."""
    pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()
    free = conn.exec_driver_sql("PRAGMA freelist_count").scalar_one()
    if pages and free / pages >= RECLAIM_FROM:
        conn.exec_driver_sql("VACUUM")


@contextlib.contextmanager
def raw_connection(engine: Engine) -> Iterator[sqlite3.Connection]:
    """The sqlite3 connection under a pooled one (for the backup API)."""
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert isinstance(raw, sqlite3.Connection)
        yield raw


def _copy_database(engine: Engine, target: Path) -> None:
    with raw_connection(engine) as source:
        backups.copy_database(source, target)


def durable_replace(source: Path, target: Path) -> None:
    """Move `source` over `target` (its WAL already checkpointed away), on disk."""
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)  # the old file's, now stale
    os.replace(source, target)
    remove_with_journals(source)
    backups.sync_folder(target.parent)


def remove_with_journals(path: Path) -> None:
    """Delete a database file with its WAL, index, journal and half-written copy."""
    for suffix in ("", "-wal", "-shm", "-journal", ".part"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def backup_copy(engine: Engine, path: Path, revision: str, now: datetime) -> Path:
    """Copy the database aside, consistently (WAL included), before an upgrade."""
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.stem}.schema-{revision}.{stamp}.bak")
    free = shutil.disk_usage(path.parent).free
    if free < path.stat().st_size * 2:
        raise DatabaseError(
            path,
            "there is not enough free disk space to back it up before upgrading",
            "Free some space and open it again.",
        )
    _copy_database(engine, target)
    for older in path.parent.glob(f"{path.stem}.schema-{revision}.*.bak"):
        if older != target:
            older.unlink(missing_ok=True)  # the same revision, backed up before
    return target
