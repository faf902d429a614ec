"""Sync of a big book already in step with its server (issue 16: a no-op sync of
100,000 contacts, one change pushed and pulled), against a real Radicale on loopback.

Getting 100,000 cards into Radicale through its HTTP API takes hours (it stores about
26 new cards a second here), so the starting point is made directly: each contact's
card written as a file into the collection's folder (Radicale's own storage layout),
then one listing gives the ETags and the sync token, and each computer's book records
that it agrees with the server on every contact, as a finished first sync leaves it.
What is timed is the engine from there, against the server's own time for the same
work: the sync-collection REPORT alone (a no-op's floor) and, for one change, one
plain If-Match PUT plus that REPORT.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import httpx
from sqlalchemy import insert, update

from db.contacts import ListQuery
from db.engine import open_database
from db.exports import export_ids, load_contacts
from db.models import SyncAccount, SyncItem
from desktop.contact_book import ContactBook
from desktop.interop.vcard import write_vcard
from desktop.sync import resources
from desktop.sync.accounts import choose_address_book
from desktop.sync.dav import client, send
from tests.bench.databases import seeded
from tests.radicale_server import running_radicale

PASSWORD = "bench"
USER = "rep"
TRIES = 5


def run(contacts: int) -> dict[str, float]:
    figures: dict[str, float] = {"contacts": contacts}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        laptop, desktop = work / "laptop", work / "desktop"
        shutil.copytree(seeded(contacts), laptop)
        with running_radicale(work / "radicale") as (url, users):
            users.write_text(f"{USER}:{PASSWORD}\n", "utf-8")
            with client(USER, PASSWORD) as http:
                server, collection = choose_address_book(http, url, "Contacts")
            with ContactBook.open(laptop) as book:
                book.add_sync_account("Office", server, USER, collection.url)
            started = time.perf_counter()
            cards = _cards(laptop)
            _write_into_storage(work / "radicale", collection.url, cards)
            with client(USER, PASSWORD) as http:
                http.timeout = httpx.Timeout(None)  # the first listing reads every card
                listing = resources.listing(http, collection.url)
            _agree(laptop, collection.url, cards, listing)
            figures["setup_s"] = time.perf_counter() - started
            shutil.copytree(laptop, desktop)

            figures["floor_s"] = _median(lambda: _report_alone(collection.url, listing.token))
            figures["token_s"] = _median(lambda: _token_alone(collection.url))
            figures["noop_s"], sent = _timed(laptop, "pushed")
            figures["noop_sent"] = sent
            with ContactBook.open(laptop) as book:
                some = book.page(ListQuery(), 0, 1)[0].id
                draft = book.contact(some).to_draft("NO")
                book.update(some, replace(draft, title="Head of buying"))
            figures["push_one_s"], figures["pushed"] = _timed(laptop, "pushed", tries=1)
            figures["pull_one_s"], figures["pulled"] = _timed(desktop, "pulled", tries=1)
            figures["noop_after_s"], _ = _timed(desktop, "pulled")
            figures["put_floor_s"] = _put_alone(collection.url, cards, listing, some)
    figures["noop_ratio"] = figures["noop_s"] / figures["floor_s"]
    figures["one_floor_s"] = figures["put_floor_s"] + figures["floor_s"]
    return figures


def _cards(data_dir: Path) -> dict[str, tuple[int, str]]:
    """Each contact's id, rev and card, as a push would write it."""
    db = open_database(data_dir)
    cards = {}
    with db.reading() as session:
        ids = export_ids(session)
        for start in range(0, len(ids), 1000):
            for c in load_contacts(session, ids[start : start + 1000]):
                cards[str(c.details.id)] = (c.details.rev, write_vcard(c))
    db.close()
    return cards


def _write_into_storage(root: Path, collection: str, cards: dict[str, tuple[int, str]]) -> None:
    """The cards as Radicale keeps them: one file per item in the collection's folder."""
    path = collection.split("://", 1)[1].split("/", 1)[1].strip("/")
    folder = root / "collections" / "collection-root" / path
    assert folder.is_dir(), folder
    for contact_id, (_rev, card) in cards.items():
        (folder / f"{contact_id}.vcf").write_text(card, "utf-8", newline="")


def _agree(
    data_dir: Path,
    collection: str,
    cards: dict[str, tuple[int, str]],
    listing: resources.Changes,
) -> None:
    """Record in the book that it and the server agree on every contact."""
    db = open_database(data_dir)
    with db.transaction(origin="remote") as session:
        account_id = session.query(SyncAccount.id).scalar()
        rows = [
            {
                "account_id": account_id,
                "record_type": "contact",
                "record_id": uuid.UUID(contact_id),
                "href": f"{collection}{contact_id}.vcf",
                "etag": listing.changed[f"{collection}{contact_id}.vcf"],
                "synced_rev": rev,
                "base": card,
            }
            for contact_id, (rev, card) in cards.items()
        ]
        for start in range(0, len(rows), 5000):
            session.execute(insert(SyncItem), rows[start : start + 5000])
        session.execute(
            update(SyncAccount)
            .where(SyncAccount.id == account_id)
            .values(contacts_token=listing.token, last_synced_at=db.clock.now())
        )
    db.close()


def _report_alone(collection: str, token: str | None) -> float:
    """Seconds the server takes to answer "what changed since `token`" (nothing)."""
    with client(USER, PASSWORD) as http:
        started = time.perf_counter()
        changes = resources.changes_since(http, collection, token)
        elapsed = time.perf_counter() - started
    assert not changes.changed and not changes.removed, "the server should hold no changes"
    return elapsed


def _token_alone(collection: str) -> float:
    """Seconds the server takes to say its collection's sync token (a PROPFIND Depth 0,
    the cheapest "did anything change?" a client could ask)."""
    body = (
        '<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop>'
        "<D:sync-token/></D:prop></D:propfind>"
    )
    with client(USER, PASSWORD) as http:
        started = time.perf_counter()
        send(http, "PROPFIND", collection, body, depth=0)
        return time.perf_counter() - started


def _put_alone(
    collection: str, cards: dict[str, tuple[int, str]], listing: resources.Changes, not_this: object
) -> float:
    """Seconds the server takes to store one changed card over its version (a plain
    If-Match PUT of a contact the runs above left alone)."""
    contact_id = next(c for c in cards if c != str(not_this))
    href = f"{collection}{contact_id}.vcf"
    changed = cards[contact_id][1].replace("END:VCARD", "NOTE:changed by hand\r\nEND:VCARD")
    with client(USER, PASSWORD) as http:
        started = time.perf_counter()
        resources.put(http, href, changed, listing.changed[href])
        return time.perf_counter() - started


def _timed(data_dir: Path, what: str, tries: int = TRIES) -> tuple[float, int]:
    """The median seconds of `tries` runs of the engine (the book already open), and how
    many records the last one `what` ("pushed" or "pulled")."""
    with ContactBook.open(data_dir) as book:
        (account,) = book.sync_accounts()
        times, moved = [], 0
        for _ in range(tries):
            with client(account.username, PASSWORD) as http:
                started = time.perf_counter()
                report = book.sync_with(account, http, "NO")
                times.append(time.perf_counter() - started)
            moved = int(getattr(report, what))
            account = book.sync_account(account.id)
    return statistics.median(times), moved


def _median(measure: Callable[[], float]) -> float:
    return statistics.median(measure() for _ in range(TRIES))
