"""WebDAV as CardDAV and CalDAV servers speak it: finding a user's address books and
task lists (RFC 6764 and RFC 5397: /.well-known, current-user-principal, the home sets),
listing and making collections.

Over httpx, with the transport injectable (tests put a fault-injecting one under it),
and server XML read with defusedxml (a server is not trusted to send sane XML).
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import Element

import httpx
from defusedxml import ElementTree

from db.errors import CallsheetError
from desktop import __version__

USER_AGENT = f"Callsheet/{__version__} (contact manager; CardDAV/CalDAV sync)"
TIMEOUT = httpx.Timeout(30.0, connect=10.0)
DAV, CARDDAV, CALDAV = "DAV:", "urn:ietf:params:xml:ns:carddav", "urn:ietf:params:xml:ns:caldav"
MAX_REDIRECTS = 5


class SyncError(CallsheetError):
    """A server that could not be used; the message says what to do."""


class ServerUnreachable(SyncError):
    """No answer: offline, a wrong name, a closed port. Normal for a rep on the road."""


class AuthenticationFailed(SyncError):
    """The server refused the user name or password."""


class NotADavServer(SyncError):
    """Something answered that does not speak CardDAV or CalDAV."""


@dataclass(frozen=True)
class Collection:
    """An address book or a calendar on the server."""

    url: str
    name: str
    kind: str  # "contacts" or "tasks" (a calendar that takes VTODO)
    sync_token: str = ""  # empty: the server does not offer RFC 6578 sync-collection
    takes_journals: bool = False  # a task list that also takes VJOURNAL (history)
    vcard_version: str = "4.0"  # an address book's: 3.0 where the server takes no 4.0


@dataclass(frozen=True)
class Discovery:
    """Where a user's things live on a server."""

    principal: str
    contacts_home: str | None
    tasks_home: str | None


def client(
    user: str,
    password: str,
    transport: httpx.BaseTransport | None = None,
    certificate: str | None = None,
) -> httpx.Client:
    """An HTTP client for one account (redirects followed by hand). TLS is verified
    against the system's authorities or, for a server whose `certificate` (PEM) the
    user pinned, against that certificate alone."""
    verify: bool | ssl.SSLContext = True
    if certificate:
        from desktop.sync.certificates import pinned_context

        verify = pinned_context(certificate)
    return httpx.Client(
        auth=httpx.BasicAuth(user, password),
        timeout=TIMEOUT,
        headers={"User-Agent": USER_AGENT},
        follow_redirects=False,
        transport=transport,
        verify=verify,
    )


def server_url(address: str) -> str:
    """The server's base URL from what a user typed: a URL, a host, or an email address
    (its domain, as RFC 6764 says)."""
    text = address.strip()
    if "@" in text and "://" not in text:
        text = text.rsplit("@", 1)[1]
    if "://" not in text:
        text = f"https://{text}"
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SyncError(f"“{address}” is not a server address (try https://dav.example.com/).")
    return text if text.endswith("/") else f"{text}/"


def discover(http: httpx.Client, address: str) -> Discovery:
    """The user's principal and home collections on the server at `address`."""
    base = server_url(address)
    principal = None
    well_known = (urljoin(base, "/.well-known/carddav"), urljoin(base, "/.well-known/caldav"))
    for start in (base, *well_known):
        found = _propfind(http, start, [(DAV, "current-user-principal")], depth=0, quiet=True)
        href = _first_href(found, DAV, "current-user-principal")
        if href:
            principal = urljoin(start, href)
            break
    if principal is None:
        raise NotADavServer(
            f"{_host(base)} answers, but not as a CardDAV or CalDAV server: no user principal "
            "was found there or under /.well-known. Check the server's address."
        )
    homes = _propfind(
        http, principal, [(CARDDAV, "addressbook-home-set"), (CALDAV, "calendar-home-set")], 0
    )
    contacts = _first_href(homes, CARDDAV, "addressbook-home-set")
    tasks = _first_href(homes, CALDAV, "calendar-home-set")
    if contacts is None and tasks is None:
        raise NotADavServer(f"{_host(base)} keeps no address books or calendars for this user.")
    return Discovery(
        principal,
        urljoin(principal, contacts) if contacts else None,
        urljoin(principal, tasks) if tasks else None,
    )


def collections(http: httpx.Client, home: str) -> list[Collection]:
    """The address books and task lists in `home`, sorted by name."""
    found = _propfind(
        http,
        home,
        [
            (DAV, "resourcetype"),
            (DAV, "displayname"),
            (DAV, "sync-token"),
            (CALDAV, "supported-calendar-component-set"),
            (CARDDAV, "supported-address-data"),
        ],
        depth=1,
    )
    made = []
    for href, props in found.items():
        kind = _kind(props)
        if kind is None:
            continue
        name_element = props.get(f"{{{DAV}}}displayname")
        name = (name_element.text or "").strip() if name_element is not None else ""
        token_element = props.get(f"{{{DAV}}}sync-token")
        token = (token_element.text or "").strip() if token_element is not None else ""
        label = name or href.rstrip("/").rsplit("/", 1)[-1]
        journals = "VJOURNAL" in _components(props)
        made.append(Collection(href, label, kind, token, journals, _vcard_version(props)))
    return sorted(made, key=lambda c: (c.kind, c.name.casefold()))


def make_collection(http: httpx.Client, home: str, slug: str, name: str, kind: str) -> Collection:
    """Make an address book (`kind` "contacts") or a task list ("tasks") in `home`."""
    url = urljoin(home, f"{slug}/")
    if kind == "contacts":
        body = (
            f'<D:mkcol xmlns:D="DAV:" xmlns:C="{CARDDAV}"><D:set><D:prop>'
            "<D:resourcetype><D:collection/><C:addressbook/></D:resourcetype>"
            f"<D:displayname>{_escape(name)}</D:displayname></D:prop></D:set></D:mkcol>"
        )
        response = send(http, "MKCOL", url, body)
    else:
        body = (
            f'<C:mkcalendar xmlns:D="DAV:" xmlns:C="{CALDAV}"><D:set><D:prop>'
            f"<D:displayname>{_escape(name)}</D:displayname>"
            '<C:supported-calendar-component-set><C:comp name="VTODO"/><C:comp name="VJOURNAL"/>'
            "</C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>"
        )
        response = send(http, "MKCALENDAR", url, body)
    if response.status_code not in (200, 201):
        raise SyncError(
            f"{_host(url)} would not make “{name}” (HTTP {response.status_code}). "
            "Choose an existing one, or ask the server's administrator."
        )
    [made] = [c for c in collections(http, home) if c.url.rstrip("/") == url.rstrip("/")]
    return made


def _kind(props: dict[str, Element]) -> str | None:
    types = props.get(f"{{{DAV}}}resourcetype")
    if types is None:
        return None
    if types.find(f"{{{CARDDAV}}}addressbook") is not None:
        return "contacts"
    if types.find(f"{{{CALDAV}}}calendar") is None:
        return None
    return "tasks" if "VTODO" in _components(props) else None


def _vcard_version(props: dict[str, Element]) -> str:
    """The vCard version to write (RFC 6352 supported-address-data): 4.0 unless the
    server lists the versions it takes and 4.0 is not among them."""
    data = props.get(f"{{{CARDDAV}}}supported-address-data")
    versions = {
        t.get("version", "") for t in (data if data is not None else [])
        if t.tag == f"{{{CARDDAV}}}address-data-type"
    }  # fmt: skip
    return "3.0" if versions and "4.0" not in versions else "4.0"


def _components(props: dict[str, Element]) -> set[str]:
    """What a calendar takes (a server that does not say takes every component)."""
    components = props.get(f"{{{CALDAV}}}supported-calendar-component-set")
    if components is None:
        return {"VEVENT", "VTODO", "VJOURNAL"}
    return {c.get("name", "").upper() for c in components.findall(f"{{{CALDAV}}}comp")}


def _propfind(
    http: httpx.Client,
    url: str,
    props: list[tuple[str, str]],
    depth: int,
    *,
    quiet: bool = False,
) -> dict[str, dict[str, Element]]:
    """PROPFIND `props` at `url`: for each href, the properties found (status 200).
    `quiet`: an answer that is not a multistatus is no error (discovery tries places)."""
    wanted = "".join(f'<x:{name} xmlns:x="{space}"/>' for space, name in props)
    body = (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<propfind xmlns="DAV:"><prop>{wanted}</prop></propfind>'
    )
    response = send(http, "PROPFIND", url, body, depth=depth)
    if response.status_code != 207:
        if quiet:
            return {}
        raise NotADavServer(
            f"{_host(url)} answered HTTP {response.status_code} where a CardDAV or CalDAV "
            "server answers 207."
        )
    try:
        root = read_multistatus(response)
    except NotADavServer:
        if quiet:
            return {}
        raise
    return {href: props for href, _status, props in responses(root, str(response.url))}


def read_multistatus(response: httpx.Response) -> Element:
    """The root of a 207 answer's XML."""
    try:
        root: Element = ElementTree.fromstring(response.content)
    except ElementTree.ParseError:
        raise NotADavServer(f"{_host(str(response.url))} sent XML that cannot be read.") from None
    return root


def responses(root: Element, base: str) -> Iterator[tuple[str, int, dict[str, Element]]]:
    """Each `response` of a multistatus: its absolute href, its own status (200 unless
    it says), and the properties found with status 200."""
    for entry in root.findall(f"{{{DAV}}}response"):
        href = (entry.findtext(f"{{{DAV}}}href") or "").strip()
        found: dict[str, Element] = {}
        for propstat in entry.findall(f"{{{DAV}}}propstat"):
            if _status(propstat.findtext(f"{{{DAV}}}status")) != 200:
                continue
            for prop in propstat.findall(f"{{{DAV}}}prop"):
                for child in prop:
                    found[child.tag] = child
        yield urljoin(base, href), _status(entry.findtext(f"{{{DAV}}}status")), found


def _status(line: str | None) -> int:
    """200 from "HTTP/1.1 200 OK" (and when there is no status line)."""
    parts = (line or "").split()
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 200


def send(
    http: httpx.Client,
    method: str,
    url: str,
    body: str = "",
    depth: int | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """One request (XML unless `headers` say otherwise), following redirects on the same
    server; no answer is `ServerUnreachable`, a refused password `AuthenticationFailed`."""
    headers = {"Content-Type": "application/xml; charset=utf-8", **(headers or {})}
    if depth is not None:
        headers["Depth"] = str(depth)
    target = url
    for _ in range(MAX_REDIRECTS + 1):
        try:
            response = http.request(method, target, content=body.encode(), headers=headers)
        except httpx.TimeoutException:
            raise ServerUnreachable(f"{_host(target)} did not answer in time.") from None
        except httpx.TransportError as error:
            from desktop.sync.certificates import is_untrusted, untrusted

            if is_untrusted(error):
                raise untrusted(target) from None
            raise ServerUnreachable(
                f"Could not reach {_host(target)} ({error.__class__.__name__})."
            ) from None
        if response.status_code == 401:
            raise AuthenticationFailed(
                f"{_host(target)} refused the user name or password. Check them (some servers "
                "want an app password)."
            )
        if response.is_redirect and "location" in response.headers:
            following = urljoin(target, response.headers["location"])
            if urlsplit(following).hostname != urlsplit(target).hostname:
                raise SyncError(
                    f"{_host(target)} sends Callsheet to another server "
                    f"({_host(following)}); enter that server's address instead."
                )
            target = following
            continue
        return response
    raise NotADavServer(f"{_host(url)} redirected too many times.")


def _first_href(found: dict[str, dict[str, Element]], space: str, name: str) -> str | None:
    for props in found.values():
        element = props.get(f"{{{space}}}{name}")
        if element is not None:
            href = (element.findtext(f"{{{DAV}}}href") or "").strip()
            if href:
                return href
    return None


def _host(url: str) -> str:
    parts = urlsplit(url)
    return (parts.hostname or url) + (f":{parts.port}" if parts.port else "")


def _escape(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text)
