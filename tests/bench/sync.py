"""Sync at size against a real Radicale on loopback (issue 16).

- The server's floor: the same cards a first sync sends, PUT one after another by a
  plain loop (`If-None-Match: *`, one HTTP client) into an empty address book of another
  user, in the same run. Radicale stores each new card in a file of its own, so this is
  what no client can go below.
- First sync: `callsheet sync` (a process of its own, so its peak RSS is its own) of a
  seeded book into an empty address book.
- No-op sync: the same book synced again at once (nothing to send or fetch).
- One change: one contact edited on the first computer and synced, then pulled by a
  second computer that already holds the rest.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from db.contacts import ListQuery
from db.engine import open_database
from db.exports import export_ids, load_contacts
from desktop.contact_book import ContactBook
from desktop.interop.vcard import write_vcard
from desktop.sync import resources
from desktop.sync.accounts import choose_address_book
from desktop.sync.dav import client
from tests.bench.databases import seeded
from tests.locations import ROOT
from tests.radicale_server import running_radicale

PASSWORD = "bench"


def run(contacts: int) -> dict[str, float]:
    figures: dict[str, float] = {"contacts": contacts}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        book_dir = work / "laptop"
        shutil.copytree(seeded(contacts), book_dir)
        with running_radicale(work / "radicale") as (url, users):
            users.write_text(f"floor:{PASSWORD}\nrep:{PASSWORD}\n", "utf-8")
            figures["floor_s"] = _floor(url, book_dir, contacts)
            print(f"server's floor: {figures['floor_s']:.1f} s", flush=True)
            server, collection = _account(url, "rep")
            for data_dir in (book_dir, work / "desktop"):
                with ContactBook.open(data_dir) as book:
                    book.add_sync_account("Office", server, "rep", collection)
            figures["first_s"], figures["first_rss_mb"] = _sync_process(book_dir)
            print(f"first sync: {figures['first_s']:.1f} s", flush=True)
            figures["noop_s"], figures["noop_sent"] = _timed_sync(book_dir, "pushed")
            _sync_process(work / "desktop")  # the second computer fetches the book
            with ContactBook.open(book_dir) as book:
                some = book.page(ListQuery(), 0, 1)[0].id
                draft = book.contact(some).to_draft("NO")
                book.update(some, replace(draft, title="Head of buying"))
            figures["push_one_s"], figures["pushed"] = _timed_sync(book_dir, "pushed")
            figures["pull_one_s"], figures["pulled"] = _timed_sync(work / "desktop", "pulled")
    figures["first_ratio"] = figures["first_s"] / figures["floor_s"]
    return figures


def _account(url: str, user: str) -> tuple[str, str]:
    with client(user, PASSWORD) as http:
        server, chosen = choose_address_book(http, url, "Contacts")
    return server, chosen.url


def _floor(url: str, book_dir: Path, contacts: int) -> float:
    """Seconds the server needs to take the book's cards from a plain PUT loop."""
    db = open_database(book_dir)
    with db.reading() as session:
        ids = export_ids(session)[:contacts]
        cards = [(c.details.id, write_vcard(c)) for c in load_contacts(session, ids)]
    db.close()
    _, collection = _account(url, "floor")
    with client("floor", PASSWORD) as http:
        started = time.perf_counter()
        for contact_id, card in cards:
            resources.put(http, f"{collection}{contact_id}.vcf", card, None)
        return time.perf_counter() - started


# Runs `callsheet ARGS...` and says its own peak RSS (KiB) on stderr's last line.
_MEASURED = (
    "import resource, runpy, sys\n"
    "sys.argv = ['callsheet', *sys.argv[1:]]\n"
    "try:\n"
    "    runpy.run_module('desktop', run_name='__main__')\n"
    "finally:\n"
    "    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
)


def _sync_process(data_dir: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one `callsheet sync` in a process of its own."""
    started = time.perf_counter()
    finished = subprocess.run(
        [sys.executable, "-c", _MEASURED, "--data-dir", str(data_dir), "sync",
         "--password-stdin"],
        input=f"{PASSWORD}\n", capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    *said, peak = finished.stderr.strip().splitlines()
    if finished.returncode != 0:
        raise RuntimeError("\n".join(said))
    return elapsed, int(peak) / 1024


def _timed_sync(data_dir: Path, what: str) -> tuple[float, int]:
    """Seconds of one run of the engine in this process (no start-up), and how many
    records it `what` ("pushed" or "pulled")."""
    with ContactBook.open(data_dir) as book:
        (account,) = book.sync_accounts()
        with client(account.username, PASSWORD) as http:
            started = time.perf_counter()
            report = book.sync_with(account, http, "NO")
            elapsed = time.perf_counter() - started
    return elapsed, int(getattr(report, what))
