"""Writers: every write transaction takes the write lock at its start, and writers in
the same process wait their turn instead of failing as "locked"."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import uuid
from pathlib import Path

import pytest

from db.clock import FixedClock
from db.contact_values import ContactDraft
from db.contacts import create_contact
from db.engine import database_path, open_database
from db.errors import DatabaseLockedError
from desktop.contact_book import ContactBook
from tests.factories import add_contact

HELD_TRANSACTIONS = 3
EDITS = 12


def another_writer_can_start(data_dir: Path) -> bool:
    """Whether a second connection could begin writing right now (without waiting)."""
    with contextlib.closing(sqlite3.connect(database_path(data_dir), timeout=0)) as other:
        try:
            other.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            assert "locked" in str(error)
            return False
        other.rollback()
        return True


def test_a_write_transaction_holds_the_write_lock_from_its_first_statement(
    data_dir: Path, clock: FixedClock
) -> None:
    db = open_database(data_dir, clock=clock)
    try:
        assert another_writer_can_start(data_dir)
        with db.transaction():
            assert not another_writer_can_start(data_dir)  # before anything was written
        with db.writing():
            assert not another_writer_can_start(data_dir)
        with db.reading():
            assert another_writer_can_start(data_dir)  # reads never hold it
        assert another_writer_can_start(data_dir)
    finally:
        db.close()


def test_a_long_background_writer_never_fails_a_save_as_locked(
    data_dir: Path, clock: FixedClock
) -> None:
    """Each background transaction stays open four times longer than SQLite would wait
    for a lock; saves from the foreground wait their turn and all land."""
    busy_timeout_ms = 100
    db = open_database(data_dir, clock=clock, busy_timeout_ms=busy_timeout_ms)
    book = ContactBook(db)  # the background writer works below the book, as an import does
    maya = add_contact(book, "Maya", "Lund")
    inside = threading.Event()
    release = threading.Semaphore(0)
    errors: list[BaseException] = []
    written: list[uuid.UUID] = []

    def background_writer() -> None:
        try:
            for n in range(HELD_TRANSACTIONS):
                with db.transaction() as session:
                    written.append(create_contact(session, ContactDraft(given_name=f"Bulk {n}")))
                    inside.set()
                    release.acquire(timeout=busy_timeout_ms * 4 / 1000)
        except BaseException as error:
            errors.append(error)

    writer = threading.Thread(target=background_writer)
    writer.start()
    try:
        assert inside.wait(30)
        for n in range(EDITS):
            book.update(maya, ContactDraft(given_name="Maya", family_name=f"Lund {n}"))
    finally:
        writer.join(60)
    assert errors == []
    assert book.contact(maya).family_name == f"Lund {EDITS - 1}"
    assert len(written) == HELD_TRANSACTIONS
    assert {row.id for row in book.rows(written)} == set(written)
    book.close()


def test_nested_writes_in_one_thread_are_refused_clearly_not_deadlocked(
    data_dir: Path, clock: FixedClock
) -> None:
    """A transaction opened inside another on the same thread cannot take the write
    lock its outer one holds; it fails after the busy timeout instead of hanging."""
    db = open_database(data_dir, clock=clock, busy_timeout_ms=100)
    try:
        with db.transaction(), pytest.raises(DatabaseLockedError), db.transaction():
            pass
    finally:
        db.close()
