"""One long job at a time on a book, across processes.

Upgrades, demo seeding, imports, undoing an import and restoring a backup each take
many transactions (some drop and rebuild indexes, some create groups by name), so two
of them interleaved would trip over each other. They take the book's job lock, an OS
file lock beside the database (`callsheet.db.lock`): a second job waits its turn, and
says so, or gives up with one line after `wait_seconds`. Ordinary edits and reads do
not take it; SQLite's own lock orders their single transactions.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from db.errors import DatabaseError, ReadOnlyDatabaseError

WAIT_SECONDS = 30 * 60
OnWait = Callable[[str], object]
_made: dict[Path, JobLock] = {}
_made_guard = threading.Lock()


class BookBusyError(DatabaseError):
    def __init__(self, path: Path, holder: str) -> None:
        super().__init__(
            path,
            f"another Callsheet job is still working on it ({holder})",
            "Try again when it has finished.",
        )


def job_lock(path: Path) -> JobLock:
    """The job lock of the database at `path`: one per file in a process, as two OS
    locks on one file in one process would wait on each other."""
    with _made_guard:
        lock = _made.get(path)
        if lock is None:
            lock = _made[path] = JobLock(path)
        return lock


class JobLock:
    """The job lock of the database at `path`; re-entrant within one thread."""

    def __init__(self, path: Path, wait_seconds: float = WAIT_SECONDS) -> None:
        self.path = path
        self.wait_seconds = wait_seconds
        self._file = FileLock(path.with_name(f"{path.name}.lock"), thread_local=False)
        self._holder_file = path.with_name(f"{path.name}.job")
        self._threads = threading.RLock()

    @contextlib.contextmanager
    def held(self, job: str, on_wait: OnWait | None = None) -> Iterator[None]:
        """Hold the lock for `job` (words such as "an import"), waiting for another
        process's job to end; `on_wait` hears once what is being waited for."""
        with self._threads:
            first = not self._file.is_locked
            try:
                self._file.acquire(timeout=0)
            except PermissionError:
                raise ReadOnlyDatabaseError(self.path) from None
            except Timeout:
                holder = self.holder()
                if on_wait is not None:
                    on_wait(f"Waiting for {holder} to finish…")
                try:
                    self._file.acquire(timeout=self.wait_seconds)
                except Timeout:
                    raise BookBusyError(self.path, self.holder()) from None
            try:
                if first:
                    with contextlib.suppress(OSError):  # only ever shown to a waiter
                        self._holder_file.write_text(f"{job} (process {os.getpid()})", "utf-8")
                yield
            finally:
                self._file.release()

    @contextlib.contextmanager
    def try_hold(self) -> Iterator[bool]:
        """The lock if no other job holds it now: yields whether it was taken."""
        if not self._threads.acquire(blocking=False):
            yield False  # a thread of this process holds it
            return
        try:
            self._file.acquire(timeout=0)
        except (Timeout, OSError):  # OSError: a read-only folder, where no job can run
            self._threads.release()
            yield False
            return
        try:
            yield True
        finally:
            self._file.release()
            self._threads.release()

    def holder(self) -> str:
        """Who holds the lock, as its holder wrote it down (best effort)."""
        try:
            text = self._holder_file.read_text("utf-8").strip()
        except (OSError, UnicodeDecodeError):
            text = ""
        return text or "another job"
