"""Finding a user's address books and task lists on a real server (issue 16.1)."""

from __future__ import annotations

import socket

import pytest
from pytest_httpserver import HTTPServer

from desktop.sync.dav import (
    CARDDAV,
    AuthenticationFailed,
    NotADavServer,
    ServerUnreachable,
    SyncError,
    client,
    collections,
    discover,
    make_collection,
    server_url,
)
from tests.desktop.sync.conftest import DavServer


def test_what_a_user_types_becomes_a_server_address() -> None:
    assert server_url("dav.example.com") == "https://dav.example.com/"
    assert server_url("maya@fjordline.example") == "https://fjordline.example/"
    assert server_url("http://127.0.0.1:5232") == "http://127.0.0.1:5232/"
    with pytest.raises(SyncError, match="not a server address"):
        server_url("ftp://files.example.com")


def test_the_homes_are_found_from_the_server_address(
    radicale: DavServer, account: tuple[str, str]
) -> None:
    user, password = account
    with client(user, password) as http:
        found = discover(http, radicale.url.rstrip("/"))
    assert found.principal == f"{radicale.url}{user}/"
    assert found.contacts_home == f"{radicale.url}{user}/"
    assert found.tasks_home == f"{radicale.url}{user}/"


def test_address_books_and_task_lists_are_listed_and_made(
    radicale: DavServer, account: tuple[str, str]
) -> None:
    user, password = account
    with client(user, password) as http:
        home = discover(http, radicale.url).contacts_home
        assert home is not None
        assert collections(http, home) == []
        book = make_collection(http, home, "team", "Team contacts", "contacts")
        tasks = make_collection(http, home, "follow-ups", "Follow-ups & calls", "tasks")
        listed = collections(http, home)
    assert [(c.kind, c.name) for c in listed] == [
        ("contacts", "Team contacts"),
        ("tasks", "Follow-ups & calls"),
    ]
    assert book.url == f"{radicale.url}{user}/team/" and tasks.url.endswith("/follow-ups/")
    assert all(c.sync_token for c in listed)  # Radicale offers RFC 6578 sync


def test_a_wrong_password_says_so(radicale: DavServer, account: tuple[str, str]) -> None:
    user, _ = account
    with client(user, "wrong") as http, pytest.raises(AuthenticationFailed, match="app password"):
        discover(http, radicale.url)


def test_nothing_listening_is_unreachable_not_an_error_of_ours() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with client("rep", "x") as http, pytest.raises(ServerUnreachable, match="Could not reach"):
        discover(http, f"http://127.0.0.1:{port}/")


def test_a_web_server_that_is_not_dav_is_named_as_such(httpserver: HTTPServer) -> None:
    httpserver.expect_request("").respond_with_data(
        "<html>Welcome</html>", content_type="text/html"
    )
    with client("rep", "x") as http, pytest.raises(NotADavServer, match="not as a CardDAV"):
        discover(http, httpserver.url_for("/"))


def test_an_address_book_that_takes_only_vcard_3_gets_vcard_3(httpserver: HTTPServer) -> None:
    def book(name: str, versions: tuple[str, ...]) -> str:
        types = "".join(
            f'<C:address-data-type content-type="text/vcard" version="{v}"/>' for v in versions
        )
        supported = f"<C:supported-address-data>{types}</C:supported-address-data>"
        return (
            f"<D:response><D:href>/maya/{name}/</D:href><D:propstat><D:prop>"
            "<D:resourcetype><D:collection/><C:addressbook/></D:resourcetype>"
            f"<D:displayname>{name}</D:displayname>{supported if versions else ''}"
            "</D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>"
        )

    answer = (
        f'<?xml version="1.0"?><D:multistatus xmlns:D="DAV:" xmlns:C="{CARDDAV}">'
        + book("old", ("3.0",)) + book("both", ("3.0", "4.0")) + book("silent", ())
        + "</D:multistatus>"
    )  # fmt: skip
    httpserver.expect_request("/maya/", method="PROPFIND").respond_with_data(
        answer, status=207, content_type="application/xml"
    )
    with client("maya", "x") as http:
        found = {c.name: c.vcard_version for c in collections(http, httpserver.url_for("/maya/"))}
    assert found == {"old": "3.0", "both": "4.0", "silent": "4.0"}
