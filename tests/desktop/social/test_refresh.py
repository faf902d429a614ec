"""The refresh policy with an injected clock: what is due, what a failure keeps, what a
404 marks, what Gravatar reveals, and where avatars go."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from db.clock import FixedClock
from db.engine import Database
from desktop.contact_book import ContactBook
from desktop.social.fetch import Fetcher
from desktop.social.profiles import recognise
from desktop.social.refresh import ProfileRefresher, RefreshPolicy
from desktop.social.sources import gravatar
from tests.desktop.social.conftest import fixture, fixture_bytes
from tests.factories import add_contact

JSON = "application/json"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def add_github(book: ContactBook, contact: uuid.UUID) -> uuid.UUID:
    ref = recognise("github.com/mayalund")
    return book.add_profile(contact, ref.network, ref.handle, ref.url)


def serve_github(server: HTTPServer, avatar: bool = True) -> None:
    user = json.loads(fixture("github_user.json"))
    user["avatar_url"] = server.url_for("/avatar.png") if avatar else None
    server.expect_request("/users/mayalund").respond_with_json(user)
    server.expect_request("/avatar.png").respond_with_data(
        fixture_bytes("avatar.png"), content_type="image/png"
    )


def refresher(
    book: ContactBook, fetcher: Fetcher, data_dir: Path, **policy: object
) -> ProfileRefresher:
    """A refresher whose user allowed lookups by email (unless `policy` says otherwise)."""
    settings = RefreshPolicy(**{"by_email": True, **policy})  # type: ignore[arg-type]
    return ProfileRefresher(book, fetcher, data_dir / "avatars", settings)


def test_a_fresh_snapshot_is_kept_with_its_avatar_and_not_fetched_again_for_a_week(
    sources: HTTPServer, fetcher: Fetcher, book: ContactBook, data_dir: Path, clock: FixedClock
) -> None:
    maya = add_contact(book, "Maya", "Lund")
    profile = add_github(book, maya)
    serve_github(sources)
    report = refresher(book, fetcher, data_dir).refresh_contact(maya)
    assert report.refreshed == ["https://github.com/mayalund"]
    [row] = book.profiles(maya)
    assert (row.display_name, row.fetched_at, row.last_error) == ("Maya Lund", NOW, None)
    assert row.avatar_path == str(data_dir / "avatars" / f"{profile}.png")
    assert Path(row.avatar_path).read_bytes() == fixture_bytes("avatar.png")
    requests = len(sources.log)
    clock.set(NOW + timedelta(days=6))
    assert refresher(book, fetcher, data_dir).refresh_contact(maya).summary() == ("nothing was due")
    assert len(sources.log) == requests
    clock.set(NOW + timedelta(days=7))
    assert refresher(book, fetcher, data_dir).refresh_contact(maya).refreshed


def test_an_error_keeps_the_last_good_snapshot_and_a_404_marks_it_gone(
    sources: HTTPServer, fetcher: Fetcher, book: ContactBook, data_dir: Path, clock: FixedClock
) -> None:
    maya = add_contact(book, "Maya", "Lund")
    add_github(book, maya)
    serve_github(sources, avatar=False)
    refresher(book, fetcher, data_dir).refresh_contact(maya)
    sources.clear()
    sources.expect_request("/users/mayalund").respond_with_data("{not json", content_type=JSON)
    clock.set(NOW + timedelta(days=8))
    report = refresher(book, fetcher, data_dir).refresh_contact(maya)
    assert report.failed and "not valid JSON" in report.failed[0][1]
    [row] = book.profiles(maya)
    assert (row.display_name, row.fetched_at) == ("Maya Lund", NOW)  # the good one stays
    assert "not valid JSON" in (row.last_error or "")
    sources.clear()
    sources.expect_request("/users/mayalund").respond_with_data("Not Found", status=404)
    refresher(book, fetcher, data_dir).refresh_contact(maya, force=True)
    [row] = book.profiles(maya)
    assert row.gone_at == clock.now() and row.display_name == "Maya Lund"


def test_fetching_can_be_turned_off_entirely_or_per_source(
    sources: HTTPServer, fetcher: Fetcher, book: ContactBook, data_dir: Path
) -> None:
    maya = add_contact(book, "Maya", "Lund", emails=("maya@fjordline.example",))
    add_github(book, maya)
    off = refresher(book, fetcher, data_dir, enabled=False)
    assert off.refresh_contact(maya, force=True).summary() == "nothing was due"
    no_github = refresher(book, fetcher, data_dir, disabled=frozenset({"github", "gravatar"}))
    assert no_github.refresh_contact(maya, force=True).summary() == "nothing was due"
    assert sources.log == []


def test_gravatar_fills_in_and_reveals_other_profiles(
    sources: HTTPServer, fetcher: Fetcher, book: ContactBook, data_dir: Path
) -> None:
    address = "maya@fjordline.example"
    maya = add_contact(book, "Maya", "Lund", emails=(address, "maya.private@example.org"))
    digest = gravatar.email_hash(address)
    body = json.loads(fixture("gravatar_profile.json").replace("HASH", digest))
    body["avatar_url"] = None
    sources.expect_request(f"/v3/profiles/{digest}").respond_with_json(body)
    sources.expect_request(
        f"/v3/profiles/{gravatar.email_hash('maya.private@example.org')}"
    ).respond_with_data("", status=404)
    serve_github(sources, avatar=False)
    sources.expect_request("/xrpc/app.bsky.actor.getProfile").respond_with_data(
        fixture("bluesky_profile.json"), content_type=JSON
    )
    sources.expect_request("/xrpc/app.bsky.feed.getAuthorFeed").respond_with_data(
        fixture("bluesky_feed.json"), content_type=JSON
    )
    report = refresher(book, fetcher, data_dir).refresh_contact(maya)
    assert report.added == [
        "https://bsky.app/profile/maya.bsky.social",
        "https://github.com/mayalund",
    ]
    rows = {row.network: row for row in book.profiles(maya) if row.gone_at is None}
    assert set(rows) == {"gravatar", "bluesky", "github"}
    assert rows["gravatar"].details["job_title"] == "Head of Purchasing"
    assert rows["bluesky"].counts["followers"] == 1284
    assert len(rows["bluesky"].recent_posts) == 2
    gone = [row for row in book.profiles(maya) if row.gone_at is not None]
    assert [row.handle for row in gone] == ["maya.private@example.org"]


def test_a_snapshot_is_not_an_edit_of_the_contact(
    sources: HTTPServer, fetcher: Fetcher, book: ContactBook, data_dir: Path, db: Database
) -> None:
    from sqlalchemy import func, select

    from db.models import ChangeJournal

    maya = add_contact(book, "Maya", "Lund")
    add_github(book, maya)
    serve_github(sources)
    with db.reading() as session:
        before = session.scalar(select(func.count()).select_from(ChangeJournal))
    refresher(book, fetcher, data_dir).refresh_contact(maya)
    with db.reading() as session:
        assert session.scalar(select(func.count()).select_from(ChangeJournal)) == before


def test_the_same_profile_twice_is_refused(book: ContactBook) -> None:
    from db.errors import ValidationError

    maya = add_contact(book, "Maya", "Lund")
    add_github(book, maya)
    with pytest.raises(ValidationError, match="already on this contact"):
        add_github(book, maya)
