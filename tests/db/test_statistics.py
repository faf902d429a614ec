"""The planner's statistics: gathered for big books after bulk writes and on a close
that finds them stale, never for small books, and never waited for on close."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from db import statistics
from db.contact_values import ContactDraft
from db.engine import database_path
from desktop.contact_book import ContactBook


def stat_rows(data_dir: Path) -> dict[tuple[str, str | None], str]:
    with sqlite3.connect(database_path(data_dir)) as conn:
        present = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()
        rows = conn.execute("SELECT tbl, idx, stat FROM sqlite_stat1").fetchall() if present else []
    return {(table, index): stat for table, index, stat in rows}


def contacts_known(data_dir: Path) -> int:
    stats = stat_rows(data_dir)
    return max(int(stat.split()[0]) for (table, _), stat in stats.items() if table == "contacts")


@pytest.fixture
def big_from_100(monkeypatch: pytest.MonkeyPatch) -> None:
    """Books count as big from 100 contacts (a million takes minutes to make)."""
    monkeypatch.setattr(statistics, "ANALYZED_FROM", 100)


def test_a_small_book_keeps_no_statistics(data_dir: Path) -> None:
    with ContactBook.open(data_dir) as book:
        book.seed(60, seed=1)
    assert stat_rows(data_dir) == {}


@pytest.mark.usefixtures("big_from_100")
def test_a_big_book_is_analyzed_after_a_seed(data_dir: Path) -> None:
    with ContactBook.open(data_dir) as book:
        book.seed(150, seed=1)
        assert contacts_known(data_dir) >= 150
        assert ("activities", "ix_activities_live_due") in stat_rows(data_dir)


@pytest.mark.usefixtures("big_from_100")
def test_a_book_grown_by_hand_is_analyzed_again_when_it_closes(data_dir: Path) -> None:
    with ContactBook.open(data_dir) as book:
        book.seed(110, seed=1)
    before = contacts_known(data_dir)
    with ContactBook.open(data_dir) as book:
        for n in range(statistics.GROWN * before):
            book.create(ContactDraft(given_name=f"Given{n}", family_name="Hand"))
        assert contacts_known(data_dir) == before  # not while the app runs
    assert contacts_known(data_dir) > statistics.GROWN * before


@pytest.mark.usefixtures("big_from_100")
def test_a_close_leaves_the_statistics_to_the_next_while_another_program_writes(
    data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with ContactBook.open(data_dir) as book:
        book.seed(110, seed=1)
    with sqlite3.connect(database_path(data_dir)) as conn:
        conn.execute("DELETE FROM sqlite_stat1")
    book = ContactBook.open(data_dir)
    other = sqlite3.connect(database_path(data_dir), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process in the middle of a write
    try:
        with caplog.at_level("INFO", logger="db.upkeep"):
            book.close()
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "upkeep not done on close" in caplog.text
    assert stat_rows(data_dir) == {}
    with ContactBook.open(data_dir):
        pass
    assert contacts_known(data_dir) >= 110
