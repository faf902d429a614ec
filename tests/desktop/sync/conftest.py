"""A real Radicale on loopback (issue 16): one server for the session, a new user (with
an empty storage of their own) for each test."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from db.clock import FixedClock
from db.contact_values import ContactDraft
from db.sync_state import AccountRow
from desktop.contact_book import ContactBook
from desktop.credentials import CredentialStore, account_key
from desktop.sync.accounts import choose_address_book, choose_task_list
from desktop.sync.dav import client
from desktop.sync.engine import Report
from tests.radicale_server import running_radicale

_users = itertools.count(1)


@dataclass(frozen=True)
class DavServer:
    url: str
    users: Path

    def add_user(self) -> tuple[str, str]:
        """A new user name and password the server accepts from now on."""
        user, password = f"rep{next(_users)}", "correct horse"
        with self.users.open("a", encoding="utf-8") as handle:
            handle.write(f"{user}:{password}\n")
        return user, password


@pytest.fixture(scope="session")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DavServer]:
    folder = tmp_path_factory.mktemp("radicale")
    with running_radicale(folder) as (url, users):
        yield DavServer(url, users)


@pytest.fixture
def account(radicale: DavServer) -> tuple[str, str]:
    return radicale.add_user()


@dataclass
class Device:
    """One computer with its own book, syncing with one account (a rep's laptop)."""

    book: ContactBook
    account: AccountRow
    password: str
    region: str = "NO"  # where numbers typed without +country code belong

    def sync(self, transport: httpx.BaseTransport | None = None, **options: Any) -> Report:
        account = self.book.sync_account(self.account.id)
        with client(account.username, self.password, transport) as http:
            return self.book.sync_with(account, http, self.region, **options)


@pytest.fixture
def devices(
    radicale: DavServer, account: tuple[str, str], tmp_path: Path, clock: FixedClock
) -> Iterator[Callable[..., Device]]:
    """Computers with books of their own, all syncing with the test user's address book."""
    user, password = account
    opened: list[ContactBook] = []

    def device(
        name: str, region: str = "NO", tasks: str | None = None, vcard: str = "4.0"
    ) -> Device:
        """A computer syncing contacts (written as vCard `vcard`) and, with `tasks`, the
        task list of that name."""
        book = ContactBook.open(tmp_path / name, clock=clock)
        opened.append(book)
        with client(user, password) as http:
            server, chosen = choose_address_book(http, radicale.url, "Contacts")
            todo = choose_task_list(http, radicale.url, tasks) if tasks else None
        added = book.add_sync_account(
            "Office",
            server,
            user,
            chosen.url,
            todo.url if todo else None,
            bool(todo and todo.takes_journals),
            vcard,
        )
        return Device(book, added, password, region)

    yield device
    for book in opened:
        book.close()


def titles_about_to_conflict(laptop: Device, desktop: Device) -> uuid.UUID:
    """Maya on both computers; the laptop's new title reached the server, the desktop
    has one of its own waiting, and its password is in the keychain. Her id."""
    draft = ContactDraft(given_name="Maya", family_name="Lund", title="Buyer")
    maya_id = laptop.book.create(draft)
    laptop.sync()
    desktop.sync()
    laptop.book.update(maya_id, replace(draft, title="Head of buying"))
    laptop.sync()
    desktop.book.update(maya_id, replace(draft, title="Chief buyer"))
    account = desktop.account
    CredentialStore().set(account_key(account.server_url, account.username), desktop.password)
    return maya_id
