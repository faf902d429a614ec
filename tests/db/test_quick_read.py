"""`callsheet find` and `agenda` answer from sqlite3 alone when the book was closed cleanly (no
SQLAlchemy, no models: a fast start), and the whole way otherwise, with the same
answers either way."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from db import quick_read
from db.clock import FixedClock, Moment
from db.engine import database_path
from desktop.contact_book import ContactBook
from tests.conftest import TEST_NOW, TEST_ZONE
from tests.locations import ROOT

QUERIES = ["ma", "maya lund", "+47 55", "fjord", "bergen", "zzz"]


@pytest.fixture
def closed_book(data_dir: Path) -> Path:
    with ContactBook.open(data_dir, clock=FixedClock(TEST_NOW, TEST_ZONE)) as book:
        book.seed(400, seed=11)
    return data_dir


def test_the_quick_read_finds_what_the_app_finds(closed_book: Path) -> None:
    with quick_read.reader(closed_book) as conn:
        assert conn is not None
        quick = {q: quick_read.lookup(conn, q, 30) for q in QUERIES}
    with ContactBook.open(closed_book) as book:
        assert {q: book.lookup(q, 30) for q in QUERIES} == quick
    assert any(quick.values())


def test_a_book_open_in_the_app_is_read_quickly_and_one_left_unclean_is_not(
    closed_book: Path,
) -> None:
    book = ContactBook.open(closed_book)  # the app has it open (its open checked it)
    with quick_read.reader(closed_book) as conn:
        assert conn is not None
    book.close()
    with quick_read.reader(closed_book) as conn:
        assert conn is not None
    database_path(closed_book).touch()  # changed since its clean close: a crash, a copy
    with quick_read.reader(closed_book) as conn:
        assert conn is None


def test_the_quick_read_lists_the_agenda_the_app_lists(closed_book: Path) -> None:
    moment = Moment(TEST_NOW, TEST_ZONE)
    with quick_read.reader(closed_book) as conn:
        assert conn is not None
        quick = [quick_read.agenda(conn, moment, days, only, 40) for days, only in CHOICES]
    with ContactBook.open(closed_book) as book:
        assert [
            book.agenda(moment, days, overdue_only=only, limit=40) for days, only in CHOICES
        ] == quick
    assert all(found.rows for found in quick)


CHOICES = [(0, False), (7, False), (7, True), (60, False)]


@pytest.mark.parametrize("command", [["find", "ma"], ["agenda", "--days", "30"]])
def test_a_closed_book_answers_without_sqlalchemy_or_qt(
    closed_book: Path, command: list[str]
) -> None:
    script = (
        "import sys\n"
        "from desktop.cli import main\n"
        f"code = main(['--data-dir', {str(closed_book)!r}, *{command!r}, '--json'])\n"
        "loaded = [m for m in ('sqlalchemy', 'PySide6', 'db.models') if m in sys.modules]\n"
        "print('LOADED', loaded, code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "LOADED [] 0"
    assert len(result.stdout.splitlines()) > 1
