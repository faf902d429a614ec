"""Setting up a sync account: find the user's address books on the server, choose
one (or make one), keep the password in the keychain and the rest in the book."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx

from desktop.credentials import CredentialStore, account_key
from desktop.sync import dav
from desktop.sync.dav import Collection, SyncError

if TYPE_CHECKING:
    from db.job_lock import OnWait
    from db.sync_state import AccountRow
    from desktop.contact_book import ContactBook
    from desktop.sync.engine import Progress, Report

DEFAULT_BOOK = "Callsheet"
DEFAULT_TASK_LIST = "Callsheet"


class ChooseAddressBook(SyncError):
    """The account has several address books and none was named."""


class NoPassword(SyncError):
    """The keychain holds no password for the account (a new computer, a new keychain)."""


def choose_address_book(
    http: httpx.Client, address: str, wanted: str | None
) -> tuple[str, Collection]:
    """The server's base URL and the address book to sync: the one named `wanted` (by
    name or URL; made when there is none of that name), the only one there is, or a new
    "Callsheet" book when there is none."""
    found = dav.discover(http, address)
    if found.contacts_home is None:
        raise SyncError("This server keeps no address books for this user.")
    books = [c for c in dav.collections(http, found.contacts_home) if c.kind == "contacts"]
    if wanted:
        chosen = [b for b in books if _called(b, wanted)]
        if chosen:
            return dav.server_url(address), chosen[0]
        return dav.server_url(address), dav.make_collection(
            http, found.contacts_home, _slug(wanted), wanted, "contacts"
        )
    if len(books) == 1:
        return dav.server_url(address), books[0]
    if not books:
        return dav.server_url(address), dav.make_collection(
            http, found.contacts_home, _slug(DEFAULT_BOOK), DEFAULT_BOOK, "contacts"
        )
    names = ", ".join(f"“{b.name}”" for b in books)
    raise ChooseAddressBook(f"This account has several address books ({names}): say which one.")


def choose_task_list(http: httpx.Client, address: str, wanted: str | None) -> Collection | None:
    """The task list follow-ups sync with: the one named `wanted` (made when there is
    none of that name), else one called "Callsheet", else the only one there is, else
    a new "Callsheet" list. None when the server keeps no calendars (CardDAV only)."""
    home = dav.discover(http, address).tasks_home
    if home is None:
        return None
    there = dav.collections(http, home)
    lists = [c for c in there if c.kind == "tasks"]
    name = wanted or DEFAULT_TASK_LIST
    chosen = [c for c in lists if _called(c, name)]
    if chosen:
        return chosen[0]
    if len(lists) == 1 and not wanted:
        return lists[0]
    taken = {c.url.rstrip("/").rsplit("/", 1)[-1] for c in there}
    slug = _slug(name) if _slug(name) not in taken else f"{_slug(name)}-tasks"
    return dav.make_collection(http, home, slug, name, "tasks")


def set_up(
    book: ContactBook,
    credentials: CredentialStore,
    address: str,
    username: str,
    password: str,
    *,
    name: str | None = None,
    address_book: str | None = None,
    task_list: str | None = None,
    tasks: bool = True,
    certificate: str | None = None,
    group: str | None = None,
    transport: httpx.BaseTransport | None = None,
) -> AccountRow:
    """Sign in at `address`, choose (or make) the address book and, with `tasks`, the
    task list; keep the account in the book and its password in the keychain. Nothing
    is kept when any step fails. `certificate`: the server's own (PEM), trusted alone
    because the user confirmed its fingerprint (`UntrustedCertificate` shows it);
    `group`: only its members (and their follow-ups, history and notes) travel."""
    with dav.client(username.strip(), password, transport, certificate) as http:
        server, chosen = choose_address_book(http, address, address_book)
        todo_list = choose_task_list(http, address, task_list) if tasks else None
    added = book.add_sync_account(
        name or _default_name(book, server, username),
        server,
        username.strip(),
        chosen.url,
        todo_list.url if todo_list else None,
        bool(todo_list and todo_list.takes_journals),
        chosen.vcard_version,
        certificate,
        " ".join(group.split()) if group and group.strip() else None,
    )
    try:
        credentials.set(account_key(server, added.username), password)
    except Exception:
        book.remove_sync_account(added.id)
        raise
    return added


def use_task_list(
    book: ContactBook,
    credentials: CredentialStore,
    account: AccountRow,
    wanted: str | None,
    *,
    password: str | None = None,
    transport: httpx.BaseTransport | None = None,
) -> AccountRow:
    """Sync the account's follow-ups with the task list `wanted` (chosen as at sign-in
    when None); everything is sent to it at the next sync."""
    http = _signed_in(credentials, account, password, transport)
    with http:
        chosen = choose_task_list(http, account.server_url, wanted)
    if chosen is None:
        raise SyncError("This server keeps no task lists for this user.")
    return book.set_sync_task_list(account.id, chosen.url, chosen.takes_journals)


def what_syncs(account: AccountRow) -> str:
    """What travels to the account, in a few words."""
    who = f"the group “{account.contacts_group}”" if account.contacts_group else "contacts"
    if not account.tasks_url:
        return f"{who} (follow-ups, history and notes stay on this computer)"
    if not account.history_syncs:
        return (
            f"{who} and follow-ups (history and notes stay on this computer: the task "
            "list takes no journals)"
        )
    return f"{who}, follow-ups, history and notes"


def forget(book: ContactBook, credentials: CredentialStore, account: AccountRow) -> None:
    """Remove the account (its contacts stay) and, unless another account signs in the
    same way, its password."""
    book.remove_sync_account(account.id)
    same_sign_in = [
        other
        for other in book.sync_accounts()
        if (other.server_url, other.username) == (account.server_url, account.username)
    ]
    if not same_sign_in:
        credentials.delete(account_key(account.server_url, account.username))


def sync_now(
    book: ContactBook,
    credentials: CredentialStore,
    account: AccountRow,
    region: str,
    *,
    password: str | None = None,
    transport: httpx.BaseTransport | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    dry_run: bool = False,
    on_wait: OnWait | None = None,
    keep_trashed: bool = False,
) -> Report:
    """One run for `account`, signed in with `password` or the keychain's."""
    http = _signed_in(credentials, account, password, transport)
    with http:
        return book.sync_with(
            account,
            http,
            region,
            progress=progress,
            cancelled=cancelled,
            dry_run=dry_run,
            on_wait=on_wait,
            keep_trashed=keep_trashed,
        )


def _signed_in(
    credentials: CredentialStore,
    account: AccountRow,
    password: str | None,
    transport: httpx.BaseTransport | None,
) -> httpx.Client:
    """A client for the account, with `password` or the keychain's, trusting the
    certificate the user pinned for it (if any)."""
    if password is None:
        password = credentials.get(account_key(account.server_url, account.username))
    if password is None:
        raise NoPassword(
            f"No password is stored for {account.username} on {account.server_url}. Enter "
            "it again in Preferences > Sync, or run: callsheet sync --password-stdin"
        )
    return dav.client(account.username, password, transport, account.tls_certificate)


def _default_name(book: ContactBook, server: str, username: str) -> str:
    host = urlsplit(server).hostname or server
    taken = {a.name.casefold() for a in book.sync_accounts()}
    return host if host.casefold() not in taken else f"{username.strip()} on {host}"


def _called(collection: Collection, wanted: str) -> bool:
    """Whether `wanted` names the collection: its name, its URL, or its last segment."""
    slug = collection.url.rstrip("/").rsplit("/", 1)[-1]
    return wanted.casefold() in (collection.name.casefold(), collection.url.casefold(), slug)


def _slug(name: str) -> str:
    kept = "".join(c if c.isalnum() else "-" for c in name.casefold()).strip("-")
    return kept or "callsheet"
