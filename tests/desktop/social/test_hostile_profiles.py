"""Profiles as an attacker would write them (issue 15.5): addresses that point into the
user's network, servers that drip, answers in the wrong shape, text that would drive a
terminal or read backwards, waits asked for and forgotten, settings the CLI ignored."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from db.clock import FixedClock
from desktop.calls.brief import render_text
from desktop.calls.sheet import build_sheet
from desktop.contact_book import ContactBook
from desktop.social.fetch import BadResponse, Fetcher, RateGate, RateLimited, Unavailable
from desktop.social.refresh import ProfileRefresher
from desktop.social.snapshot import from_html, plain, shown
from tests.desktop.social.conftest import fixture
from tests.factories import add_contact
from tests.locations import ROOT

JSON = "application/json"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/about",
        "http://localhost:{port}/about",
        "http://[::ffff:127.0.0.1]:{port}/about",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.1.2.3/",
        "http://192.168.0.1/",
        "http://[fe80::1]/",
        "http://224.0.0.251/",
        "http://0.0.0.0:{port}/",
    ],
)
def test_a_private_or_local_target_is_never_fetched(httpserver: HTTPServer, url: str) -> None:
    httpserver.expect_request("/about").respond_with_data("<title>Router admin</title>")
    fetcher = Fetcher(gate=RateGate(spacing_s=0.0), trusted=[])
    try:
        with pytest.raises(BadResponse, match="private or local address"):
            fetcher.get_html(url.format(port=httpserver.port))
    finally:
        fetcher.close()
    assert httpserver.log == []


def test_a_web_page_profile_on_the_local_network_is_not_shown(
    httpserver: HTTPServer, book: ContactBook, tmp_path: Path
) -> None:
    """The attack: a contact's "web site" is the router's admin page, or the cloud's
    metadata service; its title would have shown on the call sheet."""
    httpserver.expect_request("/admin").respond_with_data(
        "<title>Router admin: password hint</title>", content_type="text/html"
    )
    maya = add_contact(book, "Maya", "Lund")
    url = httpserver.url_for("/admin")
    book.add_profile(maya, "website", url, url)
    fetcher = Fetcher(gate=RateGate(spacing_s=0.0))  # no overrides: nothing is trusted
    try:
        report = ProfileRefresher(book, fetcher, tmp_path).refresh_contact(maya, force=True)
    finally:
        fetcher.close()
    assert "private or local address" in report.summary()
    [profile] = book.profiles(maya)
    assert not profile.display_name and profile.fetched_at is None
    assert httpserver.log == []


def test_credentials_in_an_override_are_never_shown_or_logged(
    httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    base = httpserver.url_for("").rstrip("/").replace("http://", "http://proxyuser:s3cret@")
    monkeypatch.setenv("CALLSHEET_GITHUB_URL", base)
    httpserver.expect_request("/users/maya").respond_with_data("busy", status=503)
    caplog.set_level(logging.INFO)
    from desktop.social.profiles import recognise
    from desktop.social.sources import SOURCES

    fetcher = Fetcher(gate=RateGate(spacing_s=0.0))
    try:
        with pytest.raises(Unavailable) as raised:
            SOURCES["github"](fetcher, recognise("https://github.com/maya"))
    finally:
        fetcher.close()
    assert httpserver.log, "the override (a proxy on loopback) is trusted"
    assert "s3cret" not in str(raised.value) and "proxyuser" not in str(raised.value)
    assert "s3cret" not in caplog.text


@pytest.fixture
def dripping_server() -> Iterator[int]:
    """A server that sends its answer one byte a second: it would take minutes."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.recv(65536)
                for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" * 50:
                    if stop.wait(1.0):
                        break
                    try:
                        conn.send(bytes([byte]))
                    except OSError:
                        break

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join(5)
    listener.close()


def test_a_server_that_drips_bytes_is_given_up_on_at_the_deadline(dripping_server: int) -> None:
    url = f"http://127.0.0.1:{dripping_server}/slow"
    fetcher = Fetcher(gate=RateGate(spacing_s=0.0), trusted=[url], deadline_s=1.5)
    try:
        with pytest.raises(Unavailable, match="took too long"):
            fetcher.get_json(url)  # each byte arrives well within the read timeout
    finally:
        fetcher.close()


def test_an_answer_in_the_wrong_shape_keeps_the_last_good_profile(
    sources: HTTPServer, book: ContactBook, tmp_path: Path, clock: FixedClock
) -> None:
    maya = add_contact(book, "Maya", "Lund")
    book.add_profile(maya, "github", "maya", "https://github.com/maya")
    sources.expect_ordered_request("/users/maya").respond_with_data(
        fixture("github_user.json"), content_type=JSON
    )
    for wrong in ("[]", '{"message": "API changed"}', '{"name": {"first": "Maya"}}'):
        sources.expect_ordered_request("/users/maya").respond_with_data(wrong, content_type=JSON)
    fetcher = Fetcher(gate=RateGate(spacing_s=0.0))
    refresher = ProfileRefresher(book, fetcher, tmp_path)
    try:
        refresher.refresh_contact(maya, force=True)
        [good] = book.profiles(maya)
        assert good.display_name
        for _ in range(3):
            clock.advance(timedelta(hours=1))
            report = refresher.refresh_contact(maya, force=True)
            assert "the last one is kept" in report.summary()
            [kept] = book.profiles(maya)
            assert (kept.display_name, kept.headline, kept.fetched_at) == (
                good.display_name,
                good.headline,
                good.fetched_at,
            )
    finally:
        fetcher.close()


def test_text_is_shown_as_it_was_written_and_cannot_hide_or_drive_a_terminal() -> None:
    assert plain("I write &lt;script&gt; tags") == "I write &lt;script&gt; tags"
    assert from_html("<p>I write &lt;script&gt; tags</p>") == "I write <script> tags"
    assert from_html("<p>Hi</p><p>there<br>you</p>") == "Hi\nthere\nyou"
    hostile = "Maya\x1b[2J\x1b]0;owned\x07 \u202eetadpu\u202c\x9b31m"
    assert shown(hostile) == "Maya[2J]0;owned etadpu31m"
    assert plain(hostile) == "Maya[2J]0;owned etadpu31m"


def test_brief_prints_nothing_that_drives_the_terminal(
    book: ContactBook, clock: FixedClock
) -> None:
    maya = add_contact(book, "Maya\x1b[31m", "Lund")
    profile = book.add_profile(maya, "github", "maya", "https://github.com/maya")
    book.store_snapshot(
        profile,
        fetched_at=clock.now(),
        display_name="Maya",
        headline="Buyer \x1b]52;c;cm0gLXJmIH4=\x07 at \u202eFjordline\u202c",
        counts={},
        posts=[],
        details={},
        avatar_path=None,
    )
    text = render_text(build_sheet(book, maya, clock.moment()), "Europe/Oslo")
    assert "Buyer ]52;c;cm0gLXJmIH4= at Fjordline" in text
    assert not any(ord(c) < 32 and c != "\n" for c in text)
    assert "\u202e" not in text and "\x1b" not in text


def test_a_wait_asked_for_is_remembered_by_the_next_run(tmp_path: Path) -> None:
    wall = [1_000_000.0]
    first = RateGate.kept_in(tmp_path, wall=lambda: wall[0])
    first.back_off("api.github.com", 600)
    again = RateGate.kept_in(tmp_path, wall=lambda: wall[0])  # the next `brief --refresh`
    with pytest.raises(RateLimited):
        again.claim("api.github.com")
    assert again.claim("bsky.social") == 0.0  # other hosts are not held up
    wall[0] += 601
    assert RateGate.kept_in(tmp_path, wall=lambda: wall[0]).claim("api.github.com") == 0.0
    (tmp_path / "profile-source-waits.json").write_text("not json")
    assert RateGate.kept_in(tmp_path).not_before == {}  # a damaged file is no reason to fail


def test_the_command_line_uses_the_source_addresses_in_the_settings(
    httpserver: HTTPServer, book: ContactBook, data_dir: Path, tmp_path: Path
) -> None:
    httpserver.expect_request("/users/maya").respond_with_data(
        fixture("github_user.json"), content_type=JSON
    )
    maya = add_contact(book, "Maya", "Lund")
    book.add_profile(maya, "github", "maya", "https://github.com/maya")
    config = Path(os.environ["CALLSHEET_CONFIG_DIR"])
    config.mkdir(parents=True, exist_ok=True)
    (config / "callsheet.ini").write_text(
        f"[social]\ngithub_url={httpserver.url_for('').rstrip('/')}\n", "utf-8"
    )
    env = {k: v for k, v in os.environ.items() if not k.endswith("_URL")}
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "--data-dir", str(data_dir), "brief", "maya",
         "--refresh"],
        capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL, env=env,
        cwd=ROOT, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert [entry[0].path for entry in httpserver.log] == ["/users/maya"]
    assert "Profiles: updated 1." in result.stderr
