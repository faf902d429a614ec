"""Setting up a sync account: find the user's address books on the server, choose
one (or make one), keep the password in the keychain and the rest in the book."""

from __future__ import annotations

import httpx

from desktop.credentials import CredentialStore, account_key
from desktop.sync import dav
from desktop.sync.dav import Collection, SyncError

DEFAULT_BOOK = "Callsheet"


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
        chosen = [b for b in books if wanted.casefold() in (b.name.casefold(), b.url.casefold())]
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
    raise SyncError(f"This account has several address books ({names}): say which one.")


def open_client(
    credentials: CredentialStore,
    server_url: str,
    username: str,
    transport: httpx.BaseTransport | None = None,
) -> httpx.Client:
    """A client for the account, with its password from the keychain."""
    password = credentials.get(account_key(server_url, username))
    if password is None:
        raise NoPassword(
            f"No password is stored for {username} on {server_url}. Enter it again in "
            "Preferences > Sync, or run: callsheet sync add URL --user NAME --password-stdin"
        )
    return dav.client(username, password, transport)


def _slug(name: str) -> str:
    kept = "".join(c if c.isalnum() else "-" for c in name.casefold()).strip("-")
    return kept or "callsheet"
