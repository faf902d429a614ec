"""`callsheet sync` SIGKILLed at random points of a first sync and of incremental syncs
(issue 16): afterwards the book passes integrity_check, the next sync finishes, and the
server and another computer hold the same contacts and follow-ups, none twice.

CI runs `--fault-trials 10`; a longer run: `pytest tests/desktop/sync/test_sync_kills.py
--fault-trials 200`.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest

from db.contacts import ListQuery
from db.engine import database_path
from desktop.contact_book import ContactBook
from desktop.sync import resources
from desktop.sync.accounts import choose_address_book, choose_task_list
from desktop.sync.dav import client
from tests.desktop.sync.conftest import DavServer
from tests.locations import ROOT

CONTACTS = 80
LONGEST_WAIT_S = 2.0


def start_sync(data_dir: Path, password: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "desktop", "--data-dir", str(data_dir), "sync", "--password-stdin"],
        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        cwd=ROOT,
    )  # fmt: skip
    assert process.stdin is not None
    process.stdin.write(f"{password}\n")
    process.stdin.close()
    return process


def sync_to_the_end(data_dir: Path, password: str) -> None:
    finished = subprocess.run(
        [sys.executable, "-m", "desktop", "--data-dir", str(data_dir), "sync", "--password-stdin"],
        input=f"{password}\n", capture_output=True, text=True, timeout=600, cwd=ROOT,
    )  # fmt: skip
    assert finished.returncode == 0, finished.stderr


def edit_some(book: ContactBook, chance: random.Random, round_number: int) -> None:
    """Offline work between syncs: titles changed, one contact trashed, one added, one
    follow-up cleared."""
    live = book.page(ListQuery(), 0, CONTACTS * 10)
    for contact_id in chance.sample([r.id for r in live], 25):
        draft = book.contact(contact_id).to_draft("NO")
        book.update(contact_id, replace(draft, title=f"Round {round_number}"))
    book.trash([chance.choice(live).id])
    book.create(replace(book.contact(live[0].id).to_draft("NO"), given_name=f"New{round_number}"))
    open_ones = book.open_activities_of([r.id for r in live])
    if open_ones:
        book.clear_activity(chance.choice(open_ones), "completed", f"Round {round_number}")


def follow_ups(data_dir: Path) -> dict[str, tuple[str, str]]:
    """Every follow-up in the Trash or not: its regarding and state."""
    with closing(sqlite3.connect(database_path(data_dir))) as conn:
        rows = conn.execute("SELECT id, regarding, status, deleted_at IS NULL FROM activities")
        return {str(uuid.UUID(bytes=row[0])): tuple(row[1:]) for row in rows}


def live_contacts(book: ContactBook) -> dict[str, tuple[str, str]]:
    rows = book.page(ListQuery(), 0, CONTACTS * 10)
    return {str(r.id): (book.contact(r.id).display_name, book.contact(r.id).title) for r in rows}


def test_killed_syncs_leave_a_whole_book_and_converge(
    radicale: DavServer,
    account: tuple[str, str],
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    trials = int(request.config.getoption("--fault-trials"))
    chance = random.Random(int(os.environ.get("CALLSHEET_FAULT_SEED", "16")))
    user, password = account
    laptop = tmp_path / "laptop"
    subprocess.run(
        [sys.executable, "-m", "desktop", "--data-dir", str(laptop), "seed",
         "--count", str(CONTACTS), "--seed", "4"],
        check=True, capture_output=True, timeout=600, cwd=ROOT,
    )  # fmt: skip
    with client(user, password) as http:
        server, book_on_server = choose_address_book(http, radicale.url, "Contacts")
        tasks = choose_task_list(http, radicale.url, None)
    assert tasks is not None
    lists = (book_on_server.url, tasks.url, tasks.takes_journals)
    with ContactBook.open(laptop) as book:
        book.add_sync_account("Office", server, user, *lists)

    killed = 0
    for n in range(trials):
        if n:
            with ContactBook.open(laptop) as book:
                edit_some(book, chance, n)
        process = start_sync(laptop, password)
        time.sleep(chance.uniform(0.2, LONGEST_WAIT_S))
        if process.poll() is None:
            killed += 1
            os.kill(process.pid, signal.SIGKILL)
        process.wait()
        assert process.stderr is not None
        process.stderr.close()
        with closing(sqlite3.connect(database_path(laptop))) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], n
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == [], n
    print(f"sync kills: {trials} trials, {killed} killed mid-way")
    assert killed >= 1, "at least one kill must land while a sync runs"

    sync_to_the_end(laptop, password)
    desktop = tmp_path / "desktop"
    with ContactBook.open(desktop) as book:
        book.add_sync_account("Office", server, user, *lists)
    sync_to_the_end(desktop, password)
    sync_to_the_end(laptop, password)  # anything the desktop's pull merged and sent back

    with ContactBook.open(laptop) as here, ContactBook.open(desktop) as there:
        ours, theirs = live_contacts(here), live_contacts(there)
        assert here.sync_pending(here.sync_accounts()[0].id) == 0
    assert ours == theirs
    assert follow_ups(laptop) == follow_ups(desktop)
    with client(user, password) as http:
        hrefs = list(resources.listing(http, book_on_server.url).changed)
        items = list(resources.listing(http, tasks.url).changed)
    on_server = [href.rsplit("/", 1)[-1].removesuffix(".vcf") for href in hrefs]
    assert sorted(on_server) == sorted(ours), "the server holds each live contact once"
    live_follow_ups = [i for i, (_, _, live) in follow_ups(laptop).items() if live]
    tasks_there = {href.rsplit("/", 1)[-1].removesuffix(".ics") for href in items}
    assert set(live_follow_ups) <= tasks_there, "every follow-up is on the server"
    assert len(items) == len(tasks_there), "and none twice"
