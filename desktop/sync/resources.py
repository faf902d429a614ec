"""The records in one collection on a server: what changed since a sync token
(RFC 6578) or, where tokens fail, a listing of every ETag; fetching many at once
(multiget); writing and deleting one with its precondition (RFC 7232), so a write
never overwrites a version Callsheet has not seen and a retried create never makes a
second copy.

Hrefs are absolute URLs throughout.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

import httpx

from desktop.sync.dav import (
    CALDAV,
    CARDDAV,
    DAV,
    SyncError,
    read_multistatus,
    responses,
    send,
)

MULTIGET_BATCH = 100
_DATA = {
    "contacts": (CARDDAV, "addressbook-multiget", "address-data"),
    "tasks": (CALDAV, "calendar-multiget", "calendar-data"),
}
_TYPES = {"contacts": "text/vcard; charset=utf-8", "tasks": "text/calendar; charset=utf-8"}


class TokenExpired(SyncError):
    """The server no longer knows the sync token (it expired, or the server was restored
    from a backup): a full listing takes its place."""


class PreconditionFailed(SyncError):
    """The record changed on the server since Callsheet last saw it (HTTP 412)."""


class NotOnServer(SyncError):
    """The record was deleted on the server (HTTP 404 where it was expected)."""


class ItemRefused(SyncError):
    """The server would not take this one record (HTTP 4xx); the others go on."""


class ServerFailed(SyncError):
    """The server failed (HTTP 5xx, or full): the run stops and tries again later."""


@dataclass(frozen=True)
class Changes:
    """What the server holds now: `changed` hrefs with their ETags, `removed` hrefs, and
    the token to ask with next time. `full`: `changed` lists every record (a listing),
    so whatever Callsheet knows that is not in it was removed."""

    changed: dict[str, str | None] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    token: str | None = None
    full: bool = False
    more: bool = False  # the server truncated its answer: ask again with `token`


def changes_since(http: httpx.Client, collection: str, token: str | None) -> Changes:
    """The changes since `token` (everything when None); `TokenExpired` when the server
    refuses the token, a full listing when it offers no sync-collection report."""
    body = (
        '<?xml version="1.0" encoding="utf-8"?><D:sync-collection xmlns:D="DAV:">'
        f"<D:sync-token>{escape(token or '')}</D:sync-token><D:sync-level>1</D:sync-level>"
        "<D:prop><D:getetag/></D:prop></D:sync-collection>"
    )
    response = send(http, "REPORT", collection, body, depth=0)
    if response.status_code != 207:
        _raise_server_failure(response)
        if token:
            raise TokenExpired(f"The server no longer knows sync token {token!r}.")
        return listing(http, collection)
    root = read_multistatus(response)
    changes = Changes(token=(root.findtext(f"{{{DAV}}}sync-token") or "").strip() or None)
    own = _path(collection)
    for href, status, props in responses(root, str(response.url)):
        if _path(href) == own:
            changes = _with_more(changes, status == 507)
        elif status == 404:
            changes.removed.append(href)
        else:
            changes.changed[href] = _etag(props)
    return changes


def listing(http: httpx.Client, collection: str) -> Changes:
    """Every record in the collection with its ETag, and the collection's sync token."""
    body = (
        '<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop>'
        "<D:getetag/><D:sync-token/><D:resourcetype/></D:prop></D:propfind>"
    )
    response = send(http, "PROPFIND", collection, body, depth=1)
    if response.status_code != 207:
        _raise_server_failure(response)
        raise SyncError(f"The server cannot list {collection} (HTTP {response.status_code}).")
    root = read_multistatus(response)
    changes = Changes(full=True)
    own = _path(collection)
    for href, _status, props in responses(root, str(response.url)):
        if _path(href) == own:
            token = props.get(f"{{{DAV}}}sync-token")
            changes = Changes(changes.changed, token=_text(token) or None, full=True)
        elif props.get(f"{{{DAV}}}getetag") is not None:
            changes.changed[href] = _etag(props)
    return changes


def fetch(
    http: httpx.Client, collection: str, hrefs: Sequence[str], kind: str = "contacts"
) -> dict[str, tuple[str | None, str]]:
    """The records at `hrefs` (those still there), with their ETags, in one request."""
    space, report, data = _DATA[kind]
    wanted = "".join(f"<D:href>{escape(_path(h))}</D:href>" for h in hrefs)
    body = (
        f'<?xml version="1.0" encoding="utf-8"?><C:{report} xmlns:D="DAV:" xmlns:C="{space}">'
        f"<D:prop><D:getetag/><C:{data}/></D:prop>{wanted}</C:{report}>"
    )
    response = send(http, "REPORT", collection, body, depth=1)
    if response.status_code != 207:
        _raise_server_failure(response)
        raise SyncError(f"The server would not send the records (HTTP {response.status_code}).")
    found = {}
    for href, status, props in responses(read_multistatus(response), str(response.url)):
        text = props.get(f"{{{space}}}{data}")
        if status == 200 and text is not None and text.text:
            found[href] = (_etag(props), text.text)
    return found


def put(
    http: httpx.Client, href: str, text: str, etag: str | None, kind: str = "contacts"
) -> str | None:
    """Write `text` at `href`: over version `etag`, or (None) only if nothing is there.
    Returns the new ETag when the server says it."""
    condition = {"If-Match": etag} if etag else {"If-None-Match": "*"}
    response = send(http, "PUT", href, text, headers={"Content-Type": _TYPES[kind], **condition})
    _check_write(response, href, bool(etag))
    return response.headers.get("ETag")


def delete(http: httpx.Client, href: str, etag: str | None) -> None:
    """Delete `href` if it is still version `etag`; gone already is fine."""
    response = send(http, "DELETE", href, headers={"If-Match": etag} if etag else {})
    if response.status_code == 404:
        return
    _check_write(response, href, True)


def get(http: httpx.Client, href: str) -> tuple[str | None, str] | None:
    """The record at `href` and its ETag, or None when there is none."""
    response = send(http, "GET", href)
    if response.status_code == 404:
        return None
    _raise_server_failure(response)
    if response.status_code != 200:
        raise ItemRefused(f"The server would not send {href} (HTTP {response.status_code}).")
    return response.headers.get("ETag"), response.text


def _check_write(response: httpx.Response, href: str, expected: bool) -> None:
    status = response.status_code
    if 200 <= status < 300:
        return
    if status == 412:
        raise PreconditionFailed(f"{href} changed on the server.")
    if status == 404 and expected:
        raise NotOnServer(f"{href} was deleted on the server.")
    _raise_server_failure(response)
    raise ItemRefused(
        f"The server refused {_path(href).rsplit('/', 1)[-1]} (HTTP {status}"
        + (f": {response.text.strip()[:200]}" if response.text.strip() else "")
        + ")."
    )


def _raise_server_failure(response: httpx.Response) -> None:
    status = response.status_code
    if status == 507:
        raise ServerFailed("The server is out of space; ask its administrator to free some.")
    if status >= 500:
        raise ServerFailed(f"The server failed (HTTP {status}); Callsheet will try again later.")


def _with_more(changes: Changes, more: bool) -> Changes:
    return Changes(changes.changed, changes.removed, changes.token, changes.full, more)


def _etag(props: Mapping[str, object]) -> str | None:
    return _text(props.get(f"{{{DAV}}}getetag")) or None


def _text(element: object) -> str:
    return (getattr(element, "text", None) or "").strip()


def _path(href: str) -> str:
    return urlsplit(href).path
