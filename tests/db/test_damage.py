"""A damaged book (issue 15.7): found on open when the file changed since it was last
closed cleanly, never written to, and replaced by the last backup on request."""

from __future__ import annotations

import hashlib
import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from db.engine import database_path
from db.errors import DamagedDatabaseError
from desktop.contact_book import ContactBook
from tests.factories import add_contact
from tests.locations import ROOT

PEOPLE = 400


def damage(
    path: Path, flips: int = 200, seed: int = 5, start: int = 4096, spare_schema: bool = False
) -> None:
    """Flip `flips` bytes from `start` on, as a failing disk or a bad copy would; with
    `spare_schema`, in the rows only (the schema's pages, wherever the migrations put
    them, are left whole)."""
    size = path.stat().st_size
    spared: set[int] = set()
    if spare_schema:
        with sqlite3.connect(path) as conn:
            page_size = conn.execute("PRAGMA page_size").fetchone()[0]
            spared = {
                page
                for (page,) in conn.execute(
                    "SELECT pageno FROM dbstat WHERE name = 'sqlite_schema'"
                )
            }
    chance = random.Random(seed)
    with path.open("r+b") as handle:
        done = 0
        while done < flips:
            offset = chance.randrange(start, size)
            if spared and offset // page_size + 1 in spared:
                continue
            handle.seek(offset)
            handle.write(bytes([chance.randrange(256)]))
            done += 1


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def damaged(data_dir: Path) -> Path:
    """A book of `PEOPLE` contacts with a backup, then damaged."""
    book = ContactBook.open(data_dir)
    for n in range(PEOPLE):
        add_contact(book, f"Given{n}", f"Family{n}", emails=(f"p{n}@example.com",))
    book.back_up("daily")
    book.close()
    path = database_path(data_dir)
    damage(path)
    return path


def test_a_damaged_book_is_refused_and_left_as_it_is(damaged: Path, data_dir: Path) -> None:
    before = digest(damaged)
    for create in (True, False):  # writers (app, seed, import) and readers (find, export)
        with pytest.raises(DamagedDatabaseError) as raised:
            ContactBook.open(data_dir, create=create)
        assert raised.value.backup is not None
        assert raised.value.backup.parent == data_dir / "backups"
        assert f"callsheet restore {raised.value.backup}" in str(raised.value)
    assert digest(damaged) == before


def test_the_check_runs_only_when_the_file_changed_since_a_clean_close(data_dir: Path) -> None:
    book = ContactBook.open(data_dir)
    for n in range(PEOPLE):
        add_contact(book, f"Given{n}", f"Family{n}")
    book.close()
    path = database_path(data_dir)
    status = path.stat()
    damage(path, start=status.st_size // 2, spare_schema=True)
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))  # looks untouched
    ContactBook.open(data_dir, create=False).close()  # trusted: closed cleanly, unchanged

    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))
    with pytest.raises(DamagedDatabaseError):
        ContactBook.open(data_dir, create=False)


def test_the_command_line_puts_the_last_backup_in_place_of_a_damaged_book(
    damaged: Path, data_dir: Path
) -> None:
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "desktop", "--data-dir", str(data_dir), *args],
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip

    refused = cli("seed", "--count", "5")
    assert refused.returncode == 1
    assert "this book is damaged" in refused.stderr and len(refused.stderr.splitlines()) == 1
    [backup] = (data_dir / "backups").iterdir()
    damaged_bytes = damaged.read_bytes()

    restored = cli("restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    [aside] = data_dir.glob("callsheet.damaged-*.db")
    assert aside.read_bytes() == damaged_bytes  # kept for whatever can be saved from it
    book = ContactBook.open(data_dir)
    try:
        assert book.count() == PEOPLE
    finally:
        book.close()


def test_text_that_is_not_text_reads_as_damage_not_a_decoding_error(
    data_dir: Path, tmp_path: Path
) -> None:
    book = ContactBook.open(data_dir)
    add_contact(book, "Maya", "Lund")
    book.close()
    with sqlite3.connect(database_path(data_dir)) as conn:
        conn.execute("UPDATE contacts SET display_name = CAST(x'fffe41' AS TEXT)")
    book = ContactBook.open(data_dir)
    try:
        with pytest.raises(DamagedDatabaseError, match="unreadable text"):
            book.export(book.export_ids(None, ""), "csv", tmp_path / "out.csv", "4.0")
    finally:
        book.close()


def test_a_book_open_in_another_program_is_not_checked_again_until_it_dies(
    data_dir: Path,
) -> None:
    """The command line run while the app has the book open trusts the app's own check
    (at a million contacts the check reads gigabytes); once the app is gone without
    closing (killed), the next open checks."""
    book = ContactBook.open(data_dir)
    for n in range(PEOPLE):
        add_contact(book, f"Given{n}", f"Family{n}")
    book.close()
    app = subprocess.Popen(
        [sys.executable, "-c", OPEN_AND_WAIT, str(data_dir)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    try:
        assert app.stdout is not None and app.stdout.readline().strip() == "open"
        path = database_path(data_dir)
        damage(path, start=path.stat().st_size // 2, spare_schema=True)
        ContactBook.open(data_dir, create=False).close()  # open in the app: trusted
    finally:
        app.kill()
        app.communicate(timeout=60)
    with pytest.raises(DamagedDatabaseError):
        ContactBook.open(data_dir, create=False)


OPEN_AND_WAIT = (
    "import sys, time\n"
    "from pathlib import Path\n"
    "from desktop.contact_book import ContactBook\n"
    "book = ContactBook.open(Path(sys.argv[1]))\n"
    "print('open', flush=True)\n"
    "time.sleep(600)\n"
)
